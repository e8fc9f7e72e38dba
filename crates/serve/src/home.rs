//! `/`: what the archive holds, the latest articles, the latest changes.

use axum::extract::State;
use axum::response::Response;
use maud::{html, Markup};
use serde::Serialize;
use tealeaf_archive::{ChangeFilter, ChangeRow, Stats};
use tealeaf_index::{SearchRequest, Sort};

use crate::page::{thousands, FirstWords, Page, Want};
use crate::search::HitOut;
use crate::{AppError, AppState, Db};

const LATEST: usize = 10;

#[derive(Clone, Serialize)]
pub struct HomePage {
    pub stats: Stats,
    /// Newest by published date.
    pub latest: Vec<HitOut>,
    /// The latest changes, newest first, as `/changes.json` gives them.
    pub latest_changes: Vec<ChangeRow>,
    #[serde(skip)]
    first_words: FirstWords,
    #[serde(skip)]
    analysis_stale: bool,
}

/// The [`LATEST`] changes seen most recently, of any kind.
pub fn latest_changes(db: &Db) -> Result<Vec<ChangeRow>, AppError> {
    Ok(crate::changes::newest(db.archive, &ChangeFilter::default(), 0, LATEST)?.0)
}

pub async fn handler(State(state): State<AppState>, want: Want) -> Response {
    let checked = state.clone();
    let page = state
        .cached(&state.home_cache, String::new(), move |db| {
            // Read with the page, after `cached` has checked the archive.
            let analysis_stale = checked.analysis_stale();
            let results = db.index.search(&SearchRequest {
                sort: Sort::Newest,
                limit: LATEST,
                ..Default::default()
            })?;
            let ids: Vec<String> = results.hits.iter().map(|h| h.id.clone()).collect();
            let summaries = db.archive.summaries(&ids)?;
            let latest = results
                .hits
                .iter()
                .filter_map(|h| summaries.get(&h.id).map(|s| HitOut::plain(s, 0.0)))
                .collect();
            let changes = latest_changes(db)?;
            Ok(HomePage {
                analysis_stale,
                stats: db.archive.stats()?,
                latest,
                first_words: FirstWords::of(
                    db.archive,
                    changes.iter().map(|c| (c.id.as_str(), c.title.as_str())),
                )?,
                latest_changes: changes,
            })
        })
        .await
        .map(|p| HomePage::clone(&p));
    want.page(page)
}

impl Page for HomePage {
    fn title(&self) -> String {
        "The archive".into()
    }

    fn nav(&self) -> &'static str {
        "/"
    }

    fn body(&self) -> Markup {
        let s = &self.stats;
        html! {
            form.search action="/search" method="get" role="search" {
                div.q {
                    label for="home-q" { "Search the archive" }
                    input #home-q type="search" name="q" placeholder="\"overseas operations\" OR title:Russia";
                }
                div { button type="submit" { "Search" } }
            }
            @if self.analysis_stale {
                p.note { (crate::page::STALE_ANALYSIS) }
            }
            section aria-labelledby="counts" {
                h2 #counts { "What it holds" }
                ul.counts {
                    li { strong { (thousands(s.articles as u64)) } "articles" }
                    li { strong { (thousands(s.versions as u64)) } "versions" }
                    li { strong { (thousands(s.captures as u64)) } "captures" }
                    li { strong { (thousands(s.failed_captures as u64)) } "failed captures" }
                }
                p.muted {
                    @for (i, (outlet, n)) in s.outlets.iter().enumerate() {
                        @if i > 0 { " · " }
                        a href={ "/search?outlet=" (crate::page::encode(outlet)) } { (outlet) } " " (thousands(*n as u64))
                    }
                    @if let (Some(first), Some(last)) = (&s.first_published, &s.last_published) {
                        " — published " (first) " to " (last)
                    }
                }
            }
            section aria-labelledby="latest" {
                h2 #latest { "Latest articles" }
                @if self.latest.is_empty() {
                    p { "Nothing yet: ingest some files with " code { "tealeaf ingest" } "." }
                } @else {
                    ol.hits {
                        @for h in &self.latest {
                            li {
                                a.hit-title href={ "/article/" (crate::page::encode(&h.id)) } { (crate::page::hit_title(h)) }
                                div.meta { (crate::search::meta_line(h)) }
                            }
                        }
                    }
                }
            }
            (changes_section(&self.latest_changes, &self.first_words))
        }
    }
}

/// The latest-changes section: each change with its first hunk.
fn changes_section(changes: &[ChangeRow], first_words: &FirstWords) -> Markup {
    html! {
        section aria-labelledby="changes" {
            h2 #changes { "Latest changes" }
            @if changes.is_empty() {
                p { "No article has changed since it was first captured." }
            } @else {
                ol.hits.changes {
                    @for c in changes {
                        li { (crate::changes::change_entry(c, &crate::changes::hunks_of(c), 1, first_words)) }
                    }
                }
                p { a href="/changes" { "All changes →" } }
            }
        }
    }
}
