//! `tealeaf serve`: arguments around the server crate.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;
use tealeaf_pipeline::DataDir;

#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on (this machine only unless told otherwise).
    #[arg(long, default_value = tealeaf_serve::DEFAULT_ADDR)]
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

pub fn run(data: &DataDir, args: ServeArgs) -> Result<ExitCode> {
    let mut config = tealeaf_serve::Config::new(data.clone());
    config.token = args.token.filter(|t| !t.is_empty());
    config.max_body = args.max_body_mib.max(1) * 1024 * 1024;
    config.timeout = Duration::from_secs(args.timeout_secs.max(1));
    let writable = config.token.is_some();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(tealeaf_serve::serve(config, &args.addr, |addr| {
        // Tests and scripts read this line to find the port (with :0).
        println!("listening on http://{addr}/");
        if writable {
            println!("POST /api/ingest accepts the token");
        } else {
            println!("read-only (no --token)");
        }
    }))?;
    Ok(ExitCode::SUCCESS)
}
