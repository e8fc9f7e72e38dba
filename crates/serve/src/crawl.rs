//! `/crawl`: what `tealeaf crawl` and `tealeaf wayback` left in the archive
//! (docs/crawl.md): how many urls the crawler knows and how many are due,
//! when the next is due, each host's fetches and errors, and the latest
//! rounds with their summaries. Read only, through
//! `ArchiveReader::crawl_status`; the crawler writes it.
//!
//! Every stored string (host, error, summary value) came from the network:
//! it is shown as text, escaped by maud.

use axum::extract::State;
use axum::response::Response;
use maud::{html, Markup};
use serde::Serialize;
use tealeaf_archive::crawl::{CrawlHost, CrawlRound, CrawlStatus};
use tealeaf_archive::ArchiveReader;

use crate::page::{Page, Want};
use crate::{AppError, AppState};

/// Rounds shown (newest first).
pub const ROUNDS: usize = 20;
/// The schema migration that added the crawler's tables: an archive read
/// as it is (read-only media) may predate it, and then has no crawl.
const CRAWL_SCHEMA: i64 = 6;
/// The summary's numbers shown first, in this order; other scalar keys
/// follow in the summary's own order.
pub const SUMMARY_KEYS: &[&str] = &[
    "fetched",
    "new_articles",
    "new_versions",
    "removals",
    "not_modified",
    "errors",
    "robots_disallowed",
];
/// Characters of a host's last error shown (the twin has it whole).
const CLIP: usize = 300;
/// How to start one, shown while there is none.
const START: &str = "tealeaf crawl --profile rodong --once";

/// The page's data and JSON twin: the crawl's state (the fields of
/// `CrawlStatus`) and `now`, the unix time it was read at.
#[derive(Serialize)]
pub struct CrawlPage {
    pub now: i64,
    #[serde(flatten)]
    pub status: CrawlStatus,
}

impl CrawlPage {
    /// Whether the crawler never ran on this archive.
    pub fn is_empty(&self) -> bool {
        let s = &self.status;
        s.urls == 0 && s.hosts.is_empty() && s.rounds.is_empty() && s.wayback_captures == 0
    }
}

/// The crawl's state at `now`; an archive older than the crawler's tables
/// has an empty one.
pub fn status(archive: &ArchiveReader, now: i64) -> Result<CrawlStatus, AppError> {
    if archive.schema_version()? < CRAWL_SCHEMA {
        return Ok(CrawlStatus {
            urls: 0,
            articles: 0,
            listings: 0,
            never_fetched: 0,
            gone: 0,
            due_now: 0,
            next_due: None,
            hosts: Vec::new(),
            rounds: Vec::new(),
            wayback_captures: 0,
        });
    }
    Ok(archive.crawl_status(now, ROUNDS)?)
}

pub async fn handler(State(state): State<AppState>, want: Want) -> Response {
    let now = chrono::Utc::now().timestamp();
    let page = state
        .read(move |db| {
            Ok(CrawlPage {
                now,
                status: status(db.archive, now)?,
            })
        })
        .await;
    want.page(page)
}

/// Unix seconds as `YYYY-MM-DD HH:MM UTC`.
pub fn utc(secs: i64) -> String {
    match chrono::DateTime::from_timestamp(secs, 0) {
        Some(t) => t.format("%Y-%m-%d %H:%M UTC").to_string(),
        None => format!("{secs} (unix seconds)"),
    }
}

/// How long from `now` until `at`: `in 5 min`, `in 3 h`, `in 2 days`.
pub fn until(now: i64, at: i64) -> String {
    let mins = ((at - now).max(0) as u64).div_ceil(60);
    if mins < 120 {
        format!("in {mins} min")
    } else if mins < 48 * 60 {
        format!("in {} h", mins / 60)
    } else {
        format!("in {} days", mins / (24 * 60))
    }
}

fn when(t: Option<i64>) -> Markup {
    html! {
        @match t {
            Some(t) => time { (utc(t)) },
            None => span.muted { "never" },
        }
    }
}

fn clip(s: &str) -> String {
    match s.char_indices().nth(CLIP) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// A summary's entries to show: [`SUMMARY_KEYS`] present, then the other
/// keys whose values are numbers, strings or booleans (a list is shown as
/// its length); nested objects are left to the twin.
pub fn summary_entries(summary: &serde_json::Value) -> Vec<(String, String)> {
    let Some(map) = summary.as_object() else {
        return Vec::new();
    };
    let shown = |v: &serde_json::Value| match v {
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::String(s) => Some(clip(s)),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        serde_json::Value::Array(a) => Some(a.len().to_string()),
        _ => None,
    };
    let main = SUMMARY_KEYS
        .iter()
        .filter_map(|k| map.get(*k).and_then(shown).map(|v| (k.to_string(), v)));
    let rest = map
        .iter()
        .filter(|(k, _)| !SUMMARY_KEYS.contains(&k.as_str()))
        .filter_map(|(k, v)| shown(v).map(|v| (k.clone(), v)));
    main.chain(rest).collect()
}

impl Page for CrawlPage {
    fn title(&self) -> String {
        "Crawl".into()
    }

    fn nav(&self) -> &'static str {
        "/crawl"
    }

    fn body(&self) -> Markup {
        let s = &self.status;
        if self.is_empty() {
            return html! {
                p { "No crawl yet: the crawler has not run on this archive." }
                p { "Start one with " code { (START) } " (one round; without "
                    code { "--once" } " it keeps going, re-checking articles when due)." }
            };
        }
        html! {
            section aria-labelledby="crawl-counts" {
                h2 #crawl-counts { "Urls" }
                ul.counts {
                    li { strong { (s.urls) } "urls known" }
                    li { strong { (s.articles) } "articles" }
                    li { strong { (s.listings) } "listings" }
                    li { strong { (s.never_fetched) } "never fetched" }
                    li { strong { (s.gone) } "gone" }
                    li { strong { (s.due_now) } "due now" }
                    li { strong { (s.wayback_captures) } "Wayback captures" }
                }
                p {
                    "Next due: "
                    @match s.next_due {
                        Some(t) => { time { (utc(t)) } " (" (until(self.now, t)) ")" },
                        None => span.muted { "nothing later is scheduled" },
                    }
                    " · as of " time { (utc(self.now)) } "."
                }
                @if let Some(r) = s.rounds.first() {
                    p {
                        "Last round: " (r.kind) " #" (r.id) ", started " time { (utc(r.started_at)) } ", "
                        @match r.finished_at {
                            Some(t) => { "finished " time { (utc(t)) } }
                            None => "running or interrupted",
                        }
                        "."
                    }
                }
            }
            (hosts_section(&s.hosts))
            (rounds_section(&s.rounds))
        }
    }
}

fn hosts_section(hosts: &[CrawlHost]) -> Markup {
    html! {
        section aria-labelledby="crawl-hosts" {
            h2 #crawl-hosts { "Hosts" }
            @if hosts.is_empty() {
                p { "No host fetched yet." }
            } @else {
                div.table-wrap {
                    table {
                        thead {
                            tr {
                                th scope="col" { "host" }
                                th scope="col" { "fetches" }
                                th scope="col" { "errors" }
                                th scope="col" { "last error" }
                                th scope="col" { "last fetch" }
                                th scope="col" { "robots.txt" }
                            }
                        }
                        tbody {
                            @for h in hosts {
                                tr {
                                    th scope="row" { (h.host) }
                                    td { (h.fetches) }
                                    td { (h.errors) }
                                    td {
                                        @match &h.last_error {
                                            Some(e) => {
                                                (clip(e))
                                                @if let Some(t) = h.last_error_at {
                                                    br; span.meta { time { (utc(t)) } }
                                                }
                                            },
                                            None => span.muted { "none" },
                                        }
                                    }
                                    td { (when(h.last_fetch_at)) }
                                    td {
                                        @match (&h.robots, h.robots_at) {
                                            (Some(_), Some(t)) => { "stored, " time { (utc(t)) } },
                                            (Some(_), None) => "stored",
                                            (None, Some(t)) => { "none on the host, " time { (utc(t)) } },
                                            (None, None) => span.muted { "not fetched" },
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn rounds_section(rounds: &[CrawlRound]) -> Markup {
    html! {
        section aria-labelledby="crawl-rounds" {
            h2 #crawl-rounds { "Rounds" }
            @if rounds.is_empty() {
                p { "No round yet." }
            } @else {
                p.muted { "The latest " (ROUNDS) ", newest first." }
                div.table-wrap {
                    table {
                        thead {
                            tr {
                                th scope="col" { "#" }
                                th scope="col" { "kind" }
                                th scope="col" { "started" }
                                th scope="col" { "finished" }
                                th scope="col" { "summary" }
                            }
                        }
                        tbody {
                            @for r in rounds {
                                tr {
                                    td { (r.id) }
                                    td { (r.kind) }
                                    td { time { (utc(r.started_at)) } }
                                    td {
                                        @match r.finished_at {
                                            Some(t) => time { (utc(t)) },
                                            None => span.muted { "running or interrupted" },
                                        }
                                    }
                                    td {
                                        @let entries = r.summary.as_ref().map(summary_entries).unwrap_or_default();
                                        @if entries.is_empty() {
                                            span.muted { "—" }
                                        } @else {
                                            dl.meta-list {
                                                @for (k, v) in &entries {
                                                    dt { (k) }
                                                    dd { (v) }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_utc_minutes() {
        assert_eq!(utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc(1_767_225_600 + 3_660), "2026-01-01 01:01 UTC");
        assert_eq!(until(100, 100), "in 0 min");
        assert_eq!(until(0, 61), "in 2 min");
        assert_eq!(until(0, 3 * 3600), "in 3 h");
        assert_eq!(until(0, 3 * 86_400), "in 3 days");
    }

    #[test]
    fn summaries_show_the_main_numbers_first() {
        let s = serde_json::json!({"seconds": 1.5, "errors": 2, "fetched": 10,
                                   "nested": {"a": 1}, "failures": ["x", "y"]});
        let e = summary_entries(&s);
        let keys: Vec<&str> = e.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(&keys[..2], ["fetched", "errors"]);
        assert!(keys.contains(&"seconds") && keys.contains(&"failures"));
        assert!(!keys.contains(&"nested"));
        assert_eq!(summary_entries(&serde_json::json!(3)), Vec::new());
    }
}
