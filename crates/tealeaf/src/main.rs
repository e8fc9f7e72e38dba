//! The `tealeaf` binary: wires the terminal front end (`tealeaf-cli`) and
//! the HTTP front end (`tealeaf-serve`), and sets the process up (memory
//! allocator, SIGPIPE).
//!
//! Must not touch: anything a command does (that is the CLI's) or how the
//! server answers (the server's).

mod alloc;
mod serve;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // `tealeaf ... | head` must end quietly, not panic on a closed pipe.
    // SAFETY: restoring the default disposition of SIGPIPE at start-up,
    // before any thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    alloc::no_transparent_huge_pages();
    alloc::sqlite_uses_mimalloc();
    let cli = tealeaf_cli::Cli::parse();
    match tealeaf_cli::run(cli, &serve::run) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_cli_and_the_server_agree_on_the_default_address() {
        assert_eq!(tealeaf_cli::DEFAULT_ADDR, tealeaf_serve::DEFAULT_ADDR);
    }
}
