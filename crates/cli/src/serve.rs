//! `tealeaf serve`'s arguments. Starting the server is the binary's job
//! (crate `tealeaf`), which hands [`crate::run`] a launcher: this crate
//! never depends on the server crate.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use tealeaf_pipeline::DataDir;

/// Where the server listens unless told otherwise: this machine only.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";
/// The server's defaults (docs/serve.md gives the reasons; the server
/// crate, which this crate may not depend on, has the same).
pub const DEFAULT_HEADER_TIMEOUT_SECS: u64 = 10;
pub const DEFAULT_WRITE_TIMEOUT_SECS: u64 = 30;
pub const DEFAULT_MAX_CONNECTIONS: usize = 256;

/// Starts the server on a data directory and serves until it is stopped.
pub type Launch<'a> = &'a dyn Fn(&DataDir, ServeArgs) -> Result<ExitCode>;

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// Address to listen on (this machine only unless told otherwise).
    #[arg(long, default_value = DEFAULT_ADDR)]
    pub addr: String,
    /// Token that `POST /api/ingest` requires (`Authorization: Bearer T`).
    /// Without one the server is read-only.
    #[arg(long, env = "TEALEAF_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Largest request body accepted, in MiB.
    #[arg(long, default_value_t = 64)]
    pub max_body_mib: usize,
    /// Longest a request may take to be answered, in seconds.
    #[arg(long, default_value_t = 60)]
    pub timeout_secs: u64,
    /// Longest a client may take to send a request's head, in seconds,
    /// counted from when the connection is ready for it; also how long an
    /// idle keep-alive connection stays open.
    #[arg(long, default_value_t = DEFAULT_HEADER_TIMEOUT_SECS)]
    pub header_timeout_secs: u64,
    /// Longest a response may wait on a client that reads none of it, in
    /// seconds, before the connection is closed.
    #[arg(long, default_value_t = DEFAULT_WRITE_TIMEOUT_SECS)]
    pub write_timeout_secs: u64,
    /// Connections open at once; more wait until one closes.
    #[arg(long, default_value_t = DEFAULT_MAX_CONNECTIONS)]
    pub max_connections: usize,
    /// The address users reach the server at (e.g. behind a proxy), for
    /// the absolute links of Atom feeds; otherwise the request's Host.
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    /// Let scripts on this origin (https://example.org, or *) read the
    /// pages' JSON, exports and feeds (CORS, GET only). Off by default.
    #[arg(long, value_name = "ORIGIN")]
    pub cors: Option<String>,
}

impl ServeArgs {
    /// The defaults, listening on `addr`, read-only (`demo --serve`).
    pub fn read_only(addr: String) -> Self {
        ServeArgs {
            addr,
            token: None,
            max_body_mib: 64,
            timeout_secs: 60,
            header_timeout_secs: DEFAULT_HEADER_TIMEOUT_SECS,
            write_timeout_secs: DEFAULT_WRITE_TIMEOUT_SECS,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            public_url: None,
            cors: None,
        }
    }
}
