//! What `tealeaf crawl` and `tealeaf wayback` remember between runs, in the
//! archive's own file (schema migration 6, docs/crawl.md): the frontier and
//! each url's next due time, per-host state (robots.txt, errors), rounds
//! with their summaries, how far the crawler's WARC files were ingested,
//! and the Wayback captures fetched.
//!
//! Must not touch: captures, articles and versions (the crawler's fetches
//! reach those only through ingest, like any WARC file), the network.
//! Times are unix seconds.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::{ArchiveReader, Result};

/// A url's kind for the crawler: listings are fetched every round,
/// articles on the re-check schedule.
pub const ARTICLE: &str = "article";
pub const LISTING: &str = "listing";

/// One url the crawler knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CrawlUrl {
    pub url: String,
    pub host: String,
    pub kind: String,
    pub found_at: i64,
    pub fetched_at: Option<i64>,
    pub status: Option<i64>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub digest: Option<String>,
    pub changed_at: Option<i64>,
    pub checks: i64,
    pub due_at: i64,
    pub gone: bool,
}

/// What one fetch of a url found, to store against it.
#[derive(Debug, Clone, Default)]
pub struct FetchOutcome {
    /// When fetched; `None` keeps the stored time (a url postponed
    /// without a fetch).
    pub at: Option<i64>,
    /// HTTP status; 0 when no answer came.
    pub status: i64,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// The page text's digest (200 only; `None` keeps the stored one).
    pub digest: Option<String>,
    /// Whether the page changed since the last fetch.
    pub changed: bool,
    pub checks: i64,
    pub due_at: i64,
    pub gone: bool,
}

/// A host's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CrawlHost {
    pub host: String,
    /// robots.txt as fetched; `None`: there is none (everything allowed).
    pub robots: Option<String>,
    pub robots_at: Option<i64>,
    pub fetches: i64,
    pub errors: i64,
    pub last_error: Option<String>,
    pub last_error_at: Option<i64>,
    pub last_fetch_at: Option<i64>,
}

/// One crawl or wayback run's round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrawlRound {
    pub id: i64,
    pub kind: String,
    pub started_at: i64,
    pub finished_at: Option<i64>,
    pub summary: Option<serde_json::Value>,
}

/// The crawl's state at a glance (the server's crawl page).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrawlStatus {
    pub urls: i64,
    pub articles: i64,
    pub listings: i64,
    pub never_fetched: i64,
    pub gone: i64,
    pub due_now: i64,
    /// The earliest due time after now, if any.
    pub next_due: Option<i64>,
    pub hosts: Vec<CrawlHost>,
    /// The latest rounds, newest first.
    pub rounds: Vec<CrawlRound>,
    pub wayback_captures: i64,
}

/// The crawler's connection to the archive file.
pub struct CrawlStore {
    conn: Connection,
}

fn url_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CrawlUrl> {
    Ok(CrawlUrl {
        url: r.get(0)?,
        host: r.get(1)?,
        kind: r.get(2)?,
        found_at: r.get(3)?,
        fetched_at: r.get(4)?,
        status: r.get(5)?,
        etag: r.get(6)?,
        last_modified: r.get(7)?,
        digest: r.get(8)?,
        changed_at: r.get(9)?,
        checks: r.get(10)?,
        due_at: r.get(11)?,
        gone: r.get::<_, i64>(12)? != 0,
    })
}

const URL_COLUMNS: &str = "url, host, kind, found_at, fetched_at, status, etag, last_modified, \
                           digest, changed_at, checks, due_at, gone";

fn host_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CrawlHost> {
    Ok(CrawlHost {
        host: r.get(0)?,
        robots: r.get(1)?,
        robots_at: r.get(2)?,
        fetches: r.get(3)?,
        errors: r.get(4)?,
        last_error: r.get(5)?,
        last_error_at: r.get(6)?,
        last_fetch_at: r.get(7)?,
    })
}

const HOST_COLUMNS: &str =
    "host, robots, robots_at, fetches, errors, last_error, last_error_at, last_fetch_at";

impl CrawlStore {
    /// Opens (creating if needed) the archive at `path`, its schema brought
    /// up to date.
    pub fn open(path: &Path) -> Result<CrawlStore> {
        Ok(CrawlStore {
            conn: crate::connect(path)?,
        })
    }

    /// Adds `url` to the frontier, due at `due_at`, unless it is known.
    /// A known article url given as a listing becomes a listing. Returns
    /// whether it was new.
    pub fn add(&self, url: &str, host: &str, kind: &str, now: i64, due_at: i64) -> Result<bool> {
        let added = self.conn.execute(
            "INSERT OR IGNORE INTO crawl_urls(url, host, kind, found_at, due_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![url, host, kind, now, due_at],
        )? > 0;
        if !added && kind == LISTING {
            self.conn.execute(
                "UPDATE crawl_urls SET kind = ?2, due_at = MIN(due_at, ?3)
                 WHERE url = ?1 AND kind != ?2",
                params![url, kind, due_at],
            )?;
        }
        Ok(added)
    }

    pub fn url(&self, url: &str) -> Result<Option<CrawlUrl>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {URL_COLUMNS} FROM crawl_urls WHERE url = ?1"),
                [url],
                url_row,
            )
            .optional()?)
    }

    /// Urls due at or before `now`: listings first, then never-fetched
    /// ones, then the longest overdue.
    pub fn due(&self, now: i64, limit: usize) -> Result<Vec<CrawlUrl>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {URL_COLUMNS} FROM crawl_urls WHERE due_at <= ?1
             ORDER BY kind != 'listing', fetched_at IS NOT NULL, due_at, url LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![now, limit as i64], url_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The earliest due time of any url, if any.
    pub fn next_due(&self) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row("SELECT MIN(due_at) FROM crawl_urls", [], |r| r.get(0))?)
    }

    /// Stores what a fetch of `url` found.
    pub fn fetched(&self, url: &str, f: &FetchOutcome) -> Result<()> {
        self.conn.execute(
            "UPDATE crawl_urls SET fetched_at = COALESCE(?2, fetched_at), status = ?3,
                 etag = CASE WHEN ?3 = 304 THEN etag ELSE ?4 END,
                 last_modified = CASE WHEN ?3 = 304 THEN last_modified ELSE ?5 END,
                 digest = COALESCE(?6, digest),
                 changed_at = CASE WHEN ?7 THEN ?2 ELSE changed_at END,
                 checks = ?8, due_at = ?9, gone = ?10
             WHERE url = ?1",
            params![
                url,
                f.at,
                f.status,
                f.etag,
                f.last_modified,
                f.digest,
                f.changed,
                f.checks,
                f.due_at,
                f.gone
            ],
        )?;
        Ok(())
    }

    /// Makes every article due now (`--recheck-all`); returns how many.
    pub fn all_due(&self, now: i64) -> Result<u64> {
        Ok(self
            .conn
            .execute("UPDATE crawl_urls SET due_at = ?1 WHERE due_at > ?1", [now])?
            as u64)
    }

    pub fn host(&self, host: &str) -> Result<Option<CrawlHost>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {HOST_COLUMNS} FROM crawl_hosts WHERE host = ?1"),
                [host],
                host_row,
            )
            .optional()?)
    }

    /// Stores a host's robots.txt (`None`: it has none).
    pub fn set_robots(&self, host: &str, robots: Option<&str>, at: i64) -> Result<()> {
        self.conn.execute(
            "INSERT INTO crawl_hosts(host, robots, robots_at) VALUES (?1, ?2, ?3)
             ON CONFLICT(host) DO UPDATE SET robots = excluded.robots,
                 robots_at = excluded.robots_at",
            params![host, robots, at],
        )?;
        Ok(())
    }

    /// Counts a request to `host`, and its error if it failed.
    pub fn host_fetched(&self, host: &str, at: i64, error: Option<&str>) -> Result<()> {
        self.conn.execute(
            "INSERT INTO crawl_hosts(host, fetches, errors, last_error, last_error_at, last_fetch_at)
             VALUES (?1, 1, ?3 IS NOT NULL, ?3, CASE WHEN ?3 IS NULL THEN NULL ELSE ?2 END, ?2)
             ON CONFLICT(host) DO UPDATE SET fetches = fetches + 1,
                 errors = errors + (?3 IS NOT NULL),
                 last_error = COALESCE(?3, last_error),
                 last_error_at = CASE WHEN ?3 IS NULL THEN last_error_at ELSE ?2 END,
                 last_fetch_at = ?2",
            params![host, at, error],
        )?;
        Ok(())
    }

    /// Starts a round of `kind` (`crawl`, `wayback`); returns its id.
    pub fn start_round(&self, kind: &str, at: i64) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO crawl_rounds(kind, started_at) VALUES (?1, ?2)",
            params![kind, at],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn finish_round(&self, id: i64, at: i64, summary: &serde_json::Value) -> Result<()> {
        self.conn.execute(
            "UPDATE crawl_rounds SET finished_at = ?2, summary = ?3 WHERE id = ?1",
            params![id, at, summary.to_string()],
        )?;
        Ok(())
    }

    /// The WARC files the collectors wrote: (file, bytes of whole records
    /// written, bytes ingested).
    pub fn warcs(&self) -> Result<Vec<(String, u64, u64)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT file, written, ingested FROM crawl_warcs ORDER BY file")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get::<_, i64>(1)? as u64,
                r.get::<_, i64>(2)? as u64,
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records that `file` holds whole records up to byte `written`.
    pub fn set_warc_written(&self, file: &str, written: u64) -> Result<()> {
        self.conn.execute(
            "INSERT INTO crawl_warcs(file, written, ingested) VALUES (?1, ?2, 0)
             ON CONFLICT(file) DO UPDATE SET written = excluded.written",
            params![file, written as i64],
        )?;
        Ok(())
    }

    pub fn set_warc_ingested(&self, file: &str, ingested: u64) -> Result<()> {
        self.conn.execute(
            "UPDATE crawl_warcs SET ingested = ?2 WHERE file = ?1",
            params![file, ingested as i64],
        )?;
        Ok(())
    }

    /// Whether the capture of `original` at `timestamp` was dealt with.
    pub fn wayback_known(&self, original: &str, timestamp: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM wayback_captures WHERE original = ?1 AND timestamp = ?2",
                [original, timestamp],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// The digest of the capture of `original` dealt with last before
    /// `timestamp`, if any.
    pub fn wayback_previous_digest(
        &self,
        original: &str,
        timestamp: &str,
    ) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT digest FROM wayback_captures WHERE original = ?1 AND timestamp < ?2
                 ORDER BY timestamp DESC LIMIT 1",
                [original, timestamp],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub fn wayback_done(
        &self,
        original: &str,
        timestamp: &str,
        digest: &str,
        status: Option<i64>,
        at: i64,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT OR REPLACE INTO wayback_captures(original, timestamp, digest, status, fetched_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![original, timestamp, digest, status, at],
        )?;
        Ok(())
    }
}

impl ArchiveReader {
    /// The crawl's state: counts of urls, hosts, the last `rounds` rounds.
    pub fn crawl_status(&self, now: i64, rounds: usize) -> Result<CrawlStatus> {
        let (urls, articles, listings, never_fetched, gone, due_now): (
            i64,
            i64,
            i64,
            i64,
            i64,
            i64,
        ) = self.conn.query_row(
            "SELECT COUNT(*), COALESCE(SUM(kind = 'article'), 0),
                    COALESCE(SUM(kind = 'listing'), 0),
                    COALESCE(SUM(fetched_at IS NULL), 0), COALESCE(SUM(gone), 0),
                    COALESCE(SUM(due_at <= ?1), 0)
             FROM crawl_urls",
            [now],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        )?;
        let next_due = self.conn.query_row(
            "SELECT MIN(due_at) FROM crawl_urls WHERE due_at > ?1",
            [now],
            |r| r.get(0),
        )?;
        let hosts = {
            let mut stmt = self.conn.prepare(&format!(
                "SELECT {HOST_COLUMNS} FROM crawl_hosts ORDER BY host"
            ))?;
            let rows = stmt.query_map([], host_row)?;
            rows.collect::<rusqlite::Result<Vec<_>>>()?
        };
        let rounds = {
            let mut stmt = self.conn.prepare(
                "SELECT id, kind, started_at, finished_at, summary FROM crawl_rounds
                 ORDER BY id DESC LIMIT ?1",
            )?;
            let rows = stmt.query_map([rounds as i64], |r| {
                let summary: Option<String> = r.get(4)?;
                Ok(CrawlRound {
                    id: r.get(0)?,
                    kind: r.get(1)?,
                    started_at: r.get(2)?,
                    finished_at: r.get(3)?,
                    summary: summary.and_then(|s| serde_json::from_str(&s).ok()),
                })
            })?;
            rows.collect::<rusqlite::Result<Vec<_>>>()?
        };
        let wayback_captures =
            self.conn
                .query_row("SELECT COUNT(*) FROM wayback_captures", [], |r| r.get(0))?;
        Ok(CrawlStatus {
            urls,
            articles,
            listings,
            never_fetched,
            gone,
            due_now,
            next_due,
            hosts,
            rounds,
            wayback_captures,
        })
    }
}
