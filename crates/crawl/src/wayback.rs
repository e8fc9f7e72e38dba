//! `tealeaf wayback`: the Internet Archive's captures of every url under a
//! prefix (docs/crawl.md). The CDX API lists them (paged with its resume
//! key), each capture's original bytes come from `web/<timestamp>id_/<url>`,
//! and each is written to the WARC files as a response for the original
//! url at the capture's time, then ingested like any WARC record: versions
//! and removals reaching back as far as the Wayback Machine's record.
//!
//! Must not touch: reading pages (ingest does), the terminal.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;
use tealeaf_pipeline::DataDir;

use crate::feed::{Collector, Kept};
use crate::fetch::{ClientOptions, Exchange, FetchError};
use crate::schedule;
use crate::warc_out::DEFAULT_ROTATE_BYTES;
use crate::{sleep_until, unix_now, CrawlError};

/// The Internet Archive.
pub const DEFAULT_ENDPOINT: &str = "https://web.archive.org";

/// What `tealeaf wayback` is asked to do.
#[derive(Debug, Clone)]
pub struct WaybackOptions {
    pub prefix: String,
    /// `YYYY`, `YYYYMMDD`... (CDX `from`/`to`).
    pub from: Option<String>,
    pub to: Option<String>,
    pub endpoint: String,
    pub delay: Duration,
    pub max_captures: Option<u64>,
    pub client: ClientOptions,
    /// CDX rows asked for per request.
    pub page_size: usize,
    pub ingest_every: u64,
    pub rotate_bytes: u64,
}

impl WaybackOptions {
    pub fn new(prefix: &str, client: ClientOptions) -> WaybackOptions {
        WaybackOptions {
            prefix: prefix.to_string(),
            from: None,
            to: None,
            endpoint: DEFAULT_ENDPOINT.to_string(),
            delay: DEFAULT_DELAY,
            max_captures: None,
            client,
            page_size: 1000,
            ingest_every: 50,
            rotate_bytes: DEFAULT_ROTATE_BYTES,
        }
    }
}

/// The Internet Archive asks for no more than about one request a second
/// from a client; a few seconds between captures stays well clear of it.
pub const DEFAULT_DELAY: Duration = Duration::from_secs(3);

/// What a wayback run did (the `wayback --json` contract).
#[derive(Debug, Clone, Default, Serialize)]
pub struct WaybackSummary {
    /// CDX rows read.
    pub listed: u64,
    /// Captures fetched.
    pub fetched: u64,
    /// Captures an earlier run dealt with.
    pub already_known: u64,
    /// Captures with the same digest as the url's capture before them.
    pub same_digest: u64,
    /// Captures of server errors (5xx, 429): not pages, skipped.
    pub server_errors: u64,
    /// Captures that are not pages (images, scripts...).
    pub not_pages: u64,
    /// `new_articles`, `new_versions`, `warc_files`, `ingest`.
    #[serde(flatten)]
    pub kept: Kept,
    /// Captures of article urls gone (404, 410, redirected).
    pub removals: u64,
    pub errors: u64,
    pub last_error: Option<String>,
    pub interrupted: bool,
    pub seconds: f64,
}

/// One CDX row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CdxRow {
    pub timestamp: String,
    pub original: String,
    /// `None` for revisits (`-`).
    pub status: Option<u16>,
    pub digest: String,
    pub mimetype: String,
}

struct Run<'a> {
    opts: &'a WaybackOptions,
    c: Collector<'a>,
    summary: WaybackSummary,
    next_at: Instant,
    stop: &'a AtomicBool,
    progress: &'a dyn Fn(&str),
}

/// Imports the captures under `opts.prefix`.
pub fn wayback(
    data: &DataDir,
    opts: &WaybackOptions,
    stop: &AtomicBool,
    progress: &dyn Fn(&str),
) -> Result<WaybackSummary, CrawlError> {
    let started = Instant::now();
    let endpoint = opts.endpoint.trim_end_matches('/');
    crate::guard::check_url(endpoint, true)
        .map_err(|e| CrawlError::Usage(format!("--endpoint {endpoint}: {e}")))?;
    if opts.prefix.trim().is_empty() {
        return Err(CrawlError::Usage("the url prefix is empty".into()));
    }
    let collector = Collector::open(data, "wayback", &opts.client, opts.rotate_bytes)?;
    let mut run = Run {
        opts,
        c: collector,
        summary: WaybackSummary::default(),
        next_at: Instant::now(),
        stop,
        progress,
    };
    run.sync_summary();
    let round = run
        .c
        .store
        .start_round("wayback", unix_now())
        .map_err(CrawlError::Archive)?;
    let result = run.all_pages(endpoint);
    // What was fetched is stored even when the listing failed part way.
    run.ingest()?;
    run.summary.interrupted = stop.load(Ordering::Relaxed);
    run.summary.seconds = (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
    let summary = serde_json::to_value(&run.summary).unwrap_or_default();
    run.c
        .store
        .finish_round(round, unix_now(), &summary)
        .map_err(CrawlError::Archive)?;
    result?;
    Ok(run.summary)
}

impl Run<'_> {
    fn all_pages(&mut self, endpoint: &str) -> Result<(), CrawlError> {
        let mut resume: Option<String> = None;
        loop {
            if self.stopped() {
                return Ok(());
            }
            let url = self.cdx_url(endpoint, resume.as_deref())?;
            (self.progress)(&format!(
                "listing captures ({} so far, {} fetched)",
                self.summary.listed, self.summary.fetched
            ));
            let Some(x) = self.get_retrying(&url)? else {
                return Ok(());
            };
            if x.status != 200 {
                return Err(CrawlError::Usage(format!(
                    "the CDX API answered {} for {url}",
                    x.status
                )));
            }
            let body = x.decoded_body().unwrap_or_default();
            let (rows, next) = parse_cdx(&body)
                .map_err(|e| CrawlError::Usage(format!("the CDX API's answer to {url}: {e}")))?;
            // A page without rows ends the listing, resume key or not.
            let empty = rows.is_empty();
            for row in rows {
                self.summary.listed += 1;
                if self.stopped() || self.full() {
                    return Ok(());
                }
                self.capture(endpoint, &row)?;
                if self.c.since_ingest >= self.opts.ingest_every {
                    self.ingest()?;
                }
            }
            match next {
                Some(key) if !empty && Some(&key) != resume.as_ref() => resume = Some(key),
                _ => return Ok(()),
            }
        }
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    fn full(&self) -> bool {
        self.opts
            .max_captures
            .is_some_and(|max| self.summary.fetched >= max)
    }

    fn cdx_url(&self, endpoint: &str, resume: Option<&str>) -> Result<String, CrawlError> {
        let mut u = url::Url::parse(&format!("{endpoint}/cdx/search/cdx"))
            .map_err(|e| CrawlError::Usage(format!("--endpoint {endpoint}: {e}")))?;
        {
            let mut q = u.query_pairs_mut();
            q.append_pair("url", self.opts.prefix.trim())
                .append_pair("matchType", "prefix")
                .append_pair("output", "json")
                .append_pair("fl", "timestamp,original,statuscode,digest,mimetype")
                .append_pair("collapse", "digest")
                .append_pair("limit", &self.opts.page_size.to_string())
                .append_pair("showResumeKey", "true");
            if let Some(from) = &self.opts.from {
                q.append_pair("from", from);
            }
            if let Some(to) = &self.opts.to {
                q.append_pair("to", to);
            }
            if let Some(key) = resume {
                q.append_pair("resumeKey", key);
            }
        }
        Ok(u.to_string())
    }

    /// GETs `url` politely: the delay kept, 429/503 and failures retried
    /// with back-off a few times. `None` when stopped.
    fn get_retrying(&mut self, url: &str) -> Result<Option<Exchange>, CrawlError> {
        let mut failures = 0u32;
        loop {
            if sleep_until(self.next_at, self.stop) {
                return Ok(None);
            }
            let result = self.c.fetcher.get(url, &[]);
            self.next_at = Instant::now() + self.opts.delay;
            let wait = match result {
                Ok(x) if matches!(x.status, 429 | 503) || x.status >= 500 => {
                    let wait = x
                        .header("retry-after")
                        .and_then(|v| schedule::retry_after(v, Utc::now()));
                    self.error(format!("{url}: {}", x.status));
                    wait
                }
                Ok(x) => return Ok(Some(x)),
                Err(e @ FetchError::Refused(_)) => return Err(CrawlError::Fetch(e)),
                Err(e) => {
                    self.error(format!("{url}: {e}"));
                    None
                }
            };
            failures += 1;
            if failures >= schedule::HOST_FAILURES_TO_GIVE_UP {
                return Err(CrawlError::Usage(format!(
                    "{url}: gave up after {failures} failures ({})",
                    self.summary.last_error.clone().unwrap_or_default()
                )));
            }
            let wait = wait.unwrap_or_else(|| schedule::backoff(failures, self.opts.delay));
            self.next_at = self.next_at.max(Instant::now() + wait);
        }
    }

    fn error(&mut self, message: String) {
        self.summary.errors += 1;
        self.summary.last_error = Some(message);
    }

    fn capture(&mut self, endpoint: &str, row: &CdxRow) -> Result<(), CrawlError> {
        let known = |r: &Self| -> Result<bool, CrawlError> {
            r.c.store
                .wayback_known(&row.original, &row.timestamp)
                .map_err(CrawlError::Archive)
        };
        if known(self)? {
            self.summary.already_known += 1;
            return Ok(());
        }
        let done = |r: &Self| {
            r.c.store
                .wayback_done(
                    &row.original,
                    &row.timestamp,
                    &row.digest,
                    row.status.map(i64::from),
                    unix_now(),
                )
                .map_err(CrawlError::Archive)
        };
        let page_like = {
            let m = row.mimetype.to_ascii_lowercase();
            m.contains("html") || m == "warc/revisit" || m == "unk" || m.is_empty()
        };
        if !page_like && row.status.is_none_or(|s| s == 200) {
            self.summary.not_pages += 1;
            return done(self);
        }
        // A capture the Wayback Machine made of a server error says
        // nothing about the page (and replays as that error).
        if row.status.is_some_and(|s| s >= 500 || s == 429) {
            self.summary.server_errors += 1;
            return done(self);
        }
        // The same bytes as the capture before it: the page unchanged,
        // nothing to fetch. (A return to an earlier text is a change, and
        // is fetched.)
        if row.status.is_none_or(|s| s == 200)
            && self
                .c
                .store
                .wayback_previous_digest(&row.original, &row.timestamp)
                .map_err(CrawlError::Archive)?
                .is_some_and(|d| d == row.digest)
        {
            self.summary.same_digest += 1;
            return done(self);
        }
        let Some(captured_at) = parse_timestamp(&row.timestamp) else {
            self.error(format!(
                "capture timestamp {:?} is not a date",
                row.timestamp
            ));
            return done(self);
        };
        let mut source = format!("{endpoint}/web/{}id_/{}", row.timestamp, row.original);
        (self.progress)(&format!(
            "{} fetched, {} listed; {} {}",
            self.summary.fetched, self.summary.listed, row.timestamp, row.original
        ));
        let mut hops = 0;
        let x = loop {
            let x = match self.get_retrying(&source) {
                Ok(Some(x)) => x,
                Ok(None) => return Ok(()),
                Err(e @ CrawlError::Fetch(_)) => return Err(e),
                // One capture that cannot be had does not end the run; it
                // is tried again by the next.
                Err(_) => return Ok(()),
            };
            // The Wayback Machine sends a capture not at this exact second
            // to the nearest one: followed when it is the same url.
            if (300..400).contains(&x.status) && hops < 3 {
                if let Some(next) = x.header("location").and_then(|l| {
                    url::Url::parse(&source)
                        .ok()?
                        .join(l)
                        .ok()
                        .map(|u| u.to_string())
                }) {
                    let same_host = crate::crawl::host_of(&next) == crate::crawl::host_of(&source);
                    if same_host && same_original(&next, &row.original) {
                        hops += 1;
                        source = next;
                        continue;
                    }
                }
            }
            break x;
        };
        self.summary.fetched += 1;
        // Sent to the nearest capture: dated as that one.
        let captured_at = wayback_timestamp(&source)
            .and_then(|ts| parse_timestamp(&ts))
            .unwrap_or(captured_at);
        let article = tealeaf_html::classify(&row.original)
            .is_some_and(|u| u.kind == tealeaf_html::UrlKind::Article);
        if article && (matches!(x.status, 404 | 410) || (300..400).contains(&x.status)) {
            self.summary.removals += 1;
        }
        self.c.keep(
            &x,
            &row.original,
            captured_at,
            &[("WARC-Source-URI", source.clone())],
        )?;
        done(self)
    }

    fn ingest(&mut self) -> Result<(), CrawlError> {
        (self.progress)("storing what was fetched");
        self.c.ingest()?;
        self.sync_summary();
        Ok(())
    }

    /// The summary's counts of what was written and stored.
    fn sync_summary(&mut self) {
        self.summary.kept = self.c.kept();
    }
}

/// The timestamp of a Wayback url (`.../web/<ts>id_/<url>`).
fn wayback_timestamp(wayback_url: &str) -> Option<String> {
    let at = wayback_url.find("/web/")?;
    let rest = &wayback_url[at + 5..];
    let ts: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    (ts.len() >= 4).then_some(ts)
}

/// Whether a Wayback url (`.../web/<ts>id_/<url>`) is of `original`.
fn same_original(wayback_url: &str, original: &str) -> bool {
    let Some(at) = wayback_url.find("/web/") else {
        return false;
    };
    let rest = &wayback_url[at + 5..];
    let Some(slash) = rest.find('/') else {
        return false;
    };
    let strip = |u: &str| {
        let u = u.split_once("://").map_or(u, |(_, r)| r);
        u.strip_prefix("www.")
            .unwrap_or(u)
            .trim_end_matches('/')
            .to_string()
    };
    strip(&rest[slash + 1..]) == strip(original)
}

/// A CDX timestamp (`20130101093000`, or shorter) as a time.
pub fn parse_timestamp(ts: &str) -> Option<DateTime<Utc>> {
    if ts.len() < 4 || ts.len() > 14 || !ts.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut full = ts.to_string();
    // Missing month and day are the first; missing time is midnight.
    while full.len() < 8 {
        full.push_str("01");
    }
    while full.len() < 14 {
        full.push('0');
    }
    NaiveDateTime::parse_from_str(&full, "%Y%m%d%H%M%S")
        .ok()
        .map(|t| t.and_utc())
}

/// Reads a CDX JSON answer: the rows, and the resume key when more remain.
pub fn parse_cdx(body: &[u8]) -> Result<(Vec<CdxRow>, Option<String>), String> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok((Vec::new(), None));
    }
    let table: Vec<Vec<serde_json::Value>> =
        serde_json::from_slice(body).map_err(|e| format!("not CDX JSON ({e})"))?;
    let mut rows = table.into_iter();
    let Some(header) = rows.next() else {
        return Ok((Vec::new(), None));
    };
    let names: Vec<String> = header
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_string())
        .collect();
    let col = |name: &str| names.iter().position(|n| n == name);
    let (Some(ts), Some(orig)) = (col("timestamp"), col("original")) else {
        return Err(format!("no timestamp and original columns in {names:?}"));
    };
    let (status, digest, mime) = (col("statuscode"), col("digest"), col("mimetype"));
    let text = |row: &[serde_json::Value], i: Option<usize>| -> String {
        i.and_then(|i| row.get(i))
            .map(|v| match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    let mut resume = None;
    let mut after_blank = false;
    for row in rows {
        if row.is_empty() {
            after_blank = true;
            continue;
        }
        if after_blank {
            resume = Some(text(&row, Some(0)));
            break;
        }
        out.push(CdxRow {
            timestamp: text(&row, Some(ts)),
            original: text(&row, Some(orig)),
            status: text(&row, status).parse().ok(),
            digest: text(&row, digest),
            mimetype: text(&row, mime),
        });
    }
    Ok((out, resume.filter(|k| !k.is_empty())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cdx_answers_and_resume_keys_are_read() {
        let body = br#"[["timestamp","original","statuscode","digest","mimetype"],
            ["20130101000000","http://www.rodong.rep.kp/en/a","200","AAA","text/html"],
            ["20140101000000","http://www.rodong.rep.kp/en/a","-","BBB","warc/revisit"],
            [],
            ["com,example)/ 20140101000000"]]"#;
        let (rows, resume) = parse_cdx(body).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].status, Some(200));
        assert_eq!(rows[1].status, None);
        assert_eq!(rows[1].digest, "BBB");
        assert_eq!(resume.as_deref(), Some("com,example)/ 20140101000000"));
        assert_eq!(parse_cdx(b"[]").unwrap(), (Vec::new(), None));
        assert!(parse_cdx(b"<html>").is_err());
    }

    #[test]
    fn timestamps_and_wayback_urls() {
        assert_eq!(
            parse_timestamp("20130102030405").unwrap().to_rfc3339(),
            "2013-01-02T03:04:05+00:00"
        );
        assert_eq!(
            parse_timestamp("2013").unwrap().to_rfc3339(),
            "2013-01-01T00:00:00+00:00"
        );
        assert!(parse_timestamp("2013x").is_none());
        assert_eq!(
            wayback_timestamp("http://x/web/20150101000000id_/http://a/b").as_deref(),
            Some("20150101000000")
        );
        assert!(same_original(
            "https://web.archive.org/web/20130101000001id_/http://rodong.rep.kp/en/a",
            "http://www.rodong.rep.kp/en/a"
        ));
        assert!(!same_original(
            "https://web.archive.org/web/20130101000001id_/http://rodong.rep.kp/en/",
            "http://www.rodong.rep.kp/en/a"
        ));
    }
}
