//! The collectors: `tealeaf crawl` (a polite crawler that watches sites and
//! re-checks what it has seen, so silent edits and purges are caught when
//! they happen) and `tealeaf wayback` (the Internet Archive's captures of a
//! url prefix). docs/crawl.md says how they behave.
//!
//! Every fetch is written to WARC files under the data directory
//! ([`warc_out`]) and ingested from there through the same path as any
//! WARC file ([`feed`]); what the collectors remember between runs
//! (frontier, due times, hosts, rounds) is in the archive
//! (`tealeaf_archive::crawl`).
//!
//! Modules: [`guard`] (which addresses may be reached), [`fetch`] (one
//! request), [`robots`] (robots.txt per host), [`schedule`] (when a page is
//! due again), [`crawl`] (the crawler's rounds), [`wayback`] (CDX listing
//! and captures), [`warc_out`], [`feed`].
//!
//! Must not touch: the terminal (callers print), SQL (behind the archive
//! crate), reading pages beyond links and a digest of their text (the
//! reader and the archive do that on ingest).

pub mod crawl;
pub mod feed;
pub mod fetch;
pub mod guard;
pub mod robots;
pub mod schedule;
pub mod warc_out;
pub mod wayback;

pub use crawl::{crawl, CrawlOptions, CrawlSummary};
pub use fetch::{default_user_agent, ClientOptions};
pub use wayback::{wayback, WaybackOptions, WaybackSummary};

/// Why a collector stopped. Fetch errors are not here: they are counted
/// per host and the run goes on.
#[derive(Debug, thiserror::Error)]
pub enum CrawlError {
    #[error("{0}")]
    Archive(tealeaf_archive::ArchiveError),
    #[error("{0}")]
    Pipeline(tealeaf_pipeline::PipelineError),
    #[error("{path}: {cause}")]
    Io { path: String, cause: std::io::Error },
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Fetch(fetch::FetchError),
}

/// Now, in unix seconds.
pub(crate) fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Sleeps until `until`, waking early when `stop` is set. Returns whether
/// it was stopped.
pub(crate) fn sleep_until(until: std::time::Instant, stop: &std::sync::atomic::AtomicBool) -> bool {
    use std::sync::atomic::Ordering;
    loop {
        if stop.load(Ordering::Relaxed) {
            return true;
        }
        let now = std::time::Instant::now();
        if now >= until {
            return false;
        }
        std::thread::sleep((until - now).min(std::time::Duration::from_millis(100)));
    }
}
