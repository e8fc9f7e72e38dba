//! `/`: what the archive holds, the latest articles, the latest changes.

use axum::extract::State;
use axum::response::Response;
use maud::{html, Markup};
use serde::Serialize;
use tealeaf_archive::Stats;
use tealeaf_index::{SearchRequest, Sort};

use crate::page::{Page, Want};
use crate::search::HitOut;
use crate::{AppError, AppState, Db};

const LATEST: usize = 10;

#[derive(Serialize)]
pub struct HomePage {
    pub stats: Stats,
    /// Newest by published date.
    pub latest: Vec<HitOut>,
    /// Articles whose text changed most recently. `null` until change
    /// tracking (issue 3) fills [`latest_changes`].
    pub latest_changes: Option<Vec<ChangeItem>>,
}

/// One entry of the latest-changes list. Issue 3 owns its final shape.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeItem {
    pub id: String,
    pub title: String,
    /// The version that changed the text.
    pub version: i64,
    pub seen: String,
}

/// The latest changes for the home page: `None` while this build does not
/// track changes. Issue 3: fill this (and `changes_section` renders it).
pub fn latest_changes(_db: &Db) -> Result<Option<Vec<ChangeItem>>, AppError> {
    Ok(None)
}

pub async fn handler(State(state): State<AppState>, want: Want) -> Response {
    let page = state
        .read(|db| {
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
            Ok(HomePage {
                stats: db.archive.stats()?,
                latest,
                latest_changes: latest_changes(db)?,
            })
        })
        .await;
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
            section aria-labelledby="counts" {
                h2 #counts { "What it holds" }
                ul.counts {
                    li { strong { (s.articles) } "articles" }
                    li { strong { (s.versions) } "versions" }
                    li { strong { (s.captures) } "captures" }
                    li { strong { (s.failed_captures) } "failed captures" }
                }
                p.muted {
                    @for (i, (outlet, n)) in s.outlets.iter().enumerate() {
                        @if i > 0 { " · " }
                        a href={ "/search?outlet=" (crate::page::encode(outlet)) } { (outlet) } " " (n)
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
                                a.hit-title href={ "/article/" (crate::page::encode(&h.id)) } { (h.title) }
                                div.meta { (crate::search::meta_line(h)) }
                            }
                        }
                    }
                }
            }
            (changes_section(self.latest_changes.as_deref()))
        }
    }
}

/// The latest-changes section (issue 3 fills the data).
fn changes_section(changes: Option<&[ChangeItem]>) -> Markup {
    html! {
        section aria-labelledby="changes" {
            h2 #changes { "Latest changes" }
            @match changes {
                None => p.muted { "Change tracking is not part of this build yet." },
                Some([]) => p { "No article has changed since it was first captured." },
                Some(items) => ol.hits {
                    @for c in items {
                        li {
                            a.hit-title href={ "/article/" (crate::page::encode(&c.id)) } { (c.title) }
                            div.meta { "version " (c.version) " · seen " (c.seen) }
                        }
                    }
                },
            }
        }
    }
}
