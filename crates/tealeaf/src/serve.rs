//! `tealeaf serve` (and `demo --serve`): starts the server crate with the
//! arguments the CLI parsed.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use tealeaf_cli::ServeArgs;
use tealeaf_pipeline::DataDir;

pub fn run(data: &DataDir, args: ServeArgs) -> Result<ExitCode> {
    let mut config = tealeaf_serve::Config::new(data.clone());
    config.token = args.token.filter(|t| !t.is_empty());
    config.max_body = args.max_body_mib.max(1) * 1024 * 1024;
    config.timeout = Duration::from_secs(args.timeout_secs.max(1));
    // Zero would close every connection at once: one second is the least.
    config.header_timeout = Duration::from_secs(args.header_timeout_secs.max(1));
    config.write_timeout = Duration::from_secs(args.write_timeout_secs.max(1));
    config.max_connections = args.max_connections.max(1);
    config.public_url = args.public_url;
    config.cors = args.cors;
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

#[cfg(test)]
mod tests {
    /// The CLI may not depend on the server crate, so it states the
    /// server's defaults again: they must not drift apart.
    #[test]
    fn the_cli_defaults_are_the_servers() {
        use tealeaf_cli::serve as cli;
        assert_eq!(
            cli::DEFAULT_HEADER_TIMEOUT_SECS,
            tealeaf_serve::DEFAULT_HEADER_TIMEOUT_SECS
        );
        assert_eq!(
            cli::DEFAULT_WRITE_TIMEOUT_SECS,
            tealeaf_serve::DEFAULT_WRITE_TIMEOUT_SECS
        );
        assert_eq!(
            cli::DEFAULT_MAX_CONNECTIONS,
            tealeaf_serve::DEFAULT_MAX_CONNECTIONS
        );
        assert_eq!(cli::DEFAULT_ADDR, tealeaf_serve::DEFAULT_ADDR);
    }
}
