//! `tealeaf serve`'s arguments. Starting the server is the binary's job
//! (crate `tealeaf`), which hands [`crate::run`] a launcher: this crate
//! never depends on the server crate.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use tealeaf_pipeline::DataDir;

/// Where the server listens unless told otherwise: this machine only.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

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
}
