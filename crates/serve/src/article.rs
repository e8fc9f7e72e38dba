//! `/article/{id}`: one article, its metadata and its versions.

use axum::extract::{Path, State};
use axum::response::Response;
use maud::{html, Markup};
use serde::Serialize;
use tealeaf_archive::ArticleView;

use crate::page::{safe_href, strip_json, Page, Want};
use crate::{AppError, AppState};

/// Longest id looked up; longer ones cannot exist and are not worth a query.
const MAX_ID: usize = 256;

/// The page's data is exactly `tealeaf show ID --json`.
#[derive(Serialize)]
#[serde(transparent)]
pub struct ArticlePage {
    pub article: ArticleView,
}

pub async fn handler(
    State(state): State<AppState>,
    want: Want,
    Path(id): Path<String>,
) -> Response {
    let id = strip_json(&id).to_string();
    if id.is_empty() || id.len() > MAX_ID {
        return want.error(AppError::NotFound(format!("no article `{id}`")));
    }
    let page = state
        .read(move |db| {
            Ok(ArticlePage {
                article: db.archive.article(&id)?,
            })
        })
        .await;
    want.page(page)
}

impl Page for ArticlePage {
    fn title(&self) -> String {
        self.article.title.clone()
    }

    fn body(&self) -> Markup {
        let a = &self.article;
        html! {
            dl.meta-list {
                dt { "Outlet" } dd { (a.outlet_name) " (" (a.outlet) ")" }
                dt { "Published" } dd {
                    (a.published.as_deref().unwrap_or("undated"))
                    @if let Some(w) = &a.weekday { ", " (w) }
                }
                @if let Some(l) = &a.language { dt { "Language" } dd { (l) } }
                @if !a.media.is_empty() {
                    dt { "Media" } dd {
                        (a.media.join(", "))
                        @if let Some(n) = a.photo_count { " (" (n) " photos)" }
                    }
                }
                @if let Some(b) = &a.byline { dt { "Byline" } dd { (b) } }
                @if let Some(url) = &a.url {
                    dt { "Source" } dd {
                        @if let Some(href) = safe_href(url) {
                            a href=(href) rel="noopener noreferrer nofollow" { (url) }
                        } @else {
                            (url)
                        }
                    }
                }
                dt { "Id" } dd { code { (a.id) } }
                dt { "Seen" } dd { (a.first_seen) " to " (a.last_seen) }
            }
            @if !a.warnings.is_empty() {
                ul.muted { @for w in &a.warnings { li { "Warning: " (w) } } }
            }
            article aria-label="Text" {
                @if a.paragraphs.is_empty() {
                    p.muted { "Only the title was captured." }
                }
                @for p in &a.paragraphs { p { (p) } }
            }
            section aria-labelledby="versions" {
                h2 #versions { "Versions" }
                div.table-wrap {
                    table {
                        thead { tr { th scope="col" { "#" } th scope="col" { "First seen" } th scope="col" { "Last seen" } th scope="col" { "Captures" } th scope="col" { "Title" } } }
                        tbody {
                            @for v in &a.versions {
                                tr {
                                    td { (v.n) }
                                    td { (v.first_seen) }
                                    td { (v.last_seen) }
                                    td { (v.captures) }
                                    td { (v.title) }
                                }
                            }
                        }
                    }
                }
                @if a.failed_captures > 0 {
                    p.muted { (a.failed_captures) " failed captures (no title or body)." }
                }
            }
            (version_diffs_section(a))
        }
    }
}

/// What changed between versions. Issue 3: render the word diffs here.
fn version_diffs_section(a: &ArticleView) -> Markup {
    html! {
        @if a.versions.len() > 1 {
            section aria-labelledby="diffs" {
                h2 #diffs { "Changes between versions" }
                p.muted { "Word diffs arrive with change tracking." }
            }
        }
    }
}
