//! `/article/{id}`: one article, its metadata, the people, countries and
//! organizations it mentions, an editor's commentary (apart from the text), its versions
//! (each linked to its own page) and the word diffs between them, under an
//! "edited after publication" notice when its text changed. Also how every
//! page about one article finds it from its id or a prefix ([`find`]).
//! The version pages themselves are `crate::versions`'.

use axum::extract::{Path, State};
use axum::response::Response;
use maud::{html, Markup};
use serde::Serialize;
use tealeaf_archive::{ArticleEntities, ArticleView};
use tealeaf_diff::{Block, WordOp};
use tealeaf_query::versions::{version_diffs, VersionDiff};

use crate::page::{encode, safe_href, strip_json, Page, Want};
use crate::search::encode_path;
use crate::versions::Edited;
use crate::{AppError, AppState, Db};

/// Longest id looked up; longer ones cannot exist and are not worth a query.
const MAX_ID: usize = 256;

/// The page's data: `tealeaf show ID --json` (the article, the people,
/// countries and organizations it mentions), plus the diffs between
/// consecutive versions.
#[derive(Serialize)]
pub struct ArticlePage {
    #[serde(flatten)]
    pub article: ArticleView,
    /// `people`, `countries`, `organizations`: canonical names with counts
    /// and titles, most mentioned first.
    #[serde(flatten)]
    pub entities: ArticleEntities,
    /// One entry per step from a version to the next, oldest first.
    pub diffs: Vec<VersionDiff>,
    /// Set when the text or title changed after the first capture.
    pub edited: Option<Edited>,
    #[serde(skip)]
    first_words: crate::page::FirstWords,
}

pub async fn handler(
    State(state): State<AppState>,
    want: Want,
    Path(id): Path<String>,
) -> Response {
    let id = strip_json(&id).to_string();
    if let Err(e) = check_id(&id) {
        return want.error(e);
    }
    let page = state
        .read(move |db| {
            let article = find(db, &id)?;
            let entities = db.archive.entities_of(&article.id)?;
            let first_words = crate::page::FirstWords::of(
                db.archive,
                article
                    .translations
                    .iter()
                    .chain(&article.reprints)
                    .map(|r| (r.id.as_str(), r.title.as_str())),
            )?;
            Ok(ArticlePage {
                first_words,
                diffs: version_diffs(&article.versions),
                edited: crate::versions::edited(&article.versions),
                article,
                entities,
            })
        })
        .await;
    want.page(page)
}

/// Refuses an id no article can have before any query is made.
pub(crate) fn check_id(id: &str) -> Result<(), AppError> {
    if id.is_empty() || id.len() > MAX_ID {
        return Err(AppError::NotFound(format!("no article `{id}`")));
    }
    Ok(())
}

/// The article `id` names: its id, or a unique prefix of one, as on the
/// command line (`tealeaf show daab79`). Every page about one article
/// resolves it here.
pub(crate) fn find(db: &Db<'_>, id: &str) -> Result<ArticleView, AppError> {
    match db.archive.article(id) {
        Err(tealeaf_archive::ArchiveError::NotFound(e)) => {
            match db.archive.ids_with_prefix(id, 2)?.as_slice() {
                [only] => Ok(db.archive.article(only)?),
                _ => Err(tealeaf_archive::ArchiveError::NotFound(e).into()),
            }
        }
        found => Ok(found?),
    }
}

/// What an article (or one version of it) is called: its title, or for
/// an untitled one its first words, marked, or its id.
pub(crate) fn shown_title(title: &str, paragraphs: &[String], id: &str) -> String {
    if tealeaf_model::text::is_untitled(title) {
        let lead = tealeaf_model::text::display_title(title, paragraphs);
        if lead.is_empty() {
            format!("(untitled) {id}")
        } else {
            format!("{lead} (untitled)")
        }
    } else {
        title.to_string()
    }
}

impl Page for ArticlePage {
    fn title(&self) -> String {
        let a = &self.article;
        shown_title(&a.title, &a.paragraphs, &a.id)
    }

    fn body(&self) -> Markup {
        let a = &self.article;
        let base = format!("/article/{}", encode_path(&a.id));
        html! {
            @if let Some(e) = &self.edited {
                // First on the page: a reader quoting the text must know
                // it is not the text as first captured.
                p.note.edited {
                    strong { "Edited after publication:" }
                    " " (e.versions) " versions of the text; last changed "
                    time datetime=(e.last_changed) { (e.last_changed) } ". "
                    a href="#diffs" { "What changed" } " · "
                    a href={ (base) "/compare" } { "first and latest side by side" }
                }
            }
            dl.meta-list {
                dt { "Outlet" } dd { (a.outlet_name) " (" (a.outlet) ")" }
                dt { "Published" } dd {
                    (a.published.as_deref().unwrap_or("undated"))
                    @if let Some(w) = &a.weekday { ", " (w) }
                }
                @if let Some(l) = &a.language {
                    dt { "Language" } dd { (l) @if a.language_detected { " (detected)" } }
                }
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
                @if let Some(g) = &a.gone { dt { "Gone" } dd { "since the last capture (" (g) ")" } }
                @if !self.entities.people.is_empty() {
                    dt { "People" } dd {
                        @for (i, p) in self.entities.people.iter().enumerate() {
                            @if i > 0 { ", " }
                            a href={ "/person/" (encode_path(&p.name)) } { (p.name) }
                        }
                    }
                }
                @if !self.entities.countries.is_empty() {
                    dt { "Countries" } dd {
                        @for (i, c) in self.entities.countries.iter().enumerate() {
                            @if i > 0 { ", " }
                            a href={ "/search?country=" (encode(&c.name)) } { (c.name) }
                        }
                    }
                }
                @if !self.entities.organizations.is_empty() {
                    dt { "Organizations" } dd {
                        @for (i, o) in self.entities.organizations.iter().enumerate() {
                            @if i > 0 { ", " }
                            (o.name)
                        }
                    }
                }
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
            @if let Some(c) = &a.commentary {
                // An editor's notes on the text, shown apart from it.
                section.commentary aria-labelledby="commentary" {
                    h2 #commentary { "Commentary (not part of the text)" }
                    @for p in tealeaf_model::text::split_paragraphs(c) { p { (p) } }
                }
            }
            (related_section(
                "translations",
                "Translations",
                "The same story in another language, paired by its names, numbers and shape (docs/related.md).",
                &a.translations,
                &self.first_words,
                |r| format!("confidence {:.2}", r.confidence),
            ))
            (related_section(
                "reprints",
                "Reprints",
                "The same text printed again: a reprint, a re-run, or the text under another title.",
                &a.reprints,
                &self.first_words,
                |r| format!("similarity {:.2}", r.score),
            ))
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
                                    td {
                                        a href={ (base) "/v/" (v.n) } {
                                            @if let Some(g) = &v.gone { "(gone: " (g) ")" }
                                            @else if tealeaf_model::text::is_untitled(&v.title) { "(untitled)" }
                                            @else { (v.title) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                @if a.versions.iter().filter(|v| v.gone.is_none()).count() > 1 {
                    p { a href={ (base) "/compare" } { "Compare two versions side by side" } }
                }
                @if a.failed_captures > 0 {
                    p.muted { (a.failed_captures) " failed captures (no title or body)." }
                }
            }
            (version_diffs_section(&base, &self.diffs))
        }
    }
}

/// An article's translations or reprints, linked, with how sure the
/// relation is.
fn related_section(
    id: &str,
    heading: &str,
    about: &str,
    related: &[tealeaf_archive::RelatedArticle],
    first_words: &crate::page::FirstWords,
    measure: impl Fn(&tealeaf_archive::RelatedArticle) -> String,
) -> Markup {
    html! {
        @if !related.is_empty() {
            section aria-labelledby=(id) {
                h2 #(id) { (heading) }
                p.muted { (about) }
                ul.related {
                    @for r in related {
                        li {
                            a href={ "/article/" (encode(&r.id)) } {
                                (crate::page::title_or_id(&r.title, &r.id, first_words))
                            }
                            span.muted {
                                " · " (r.published.as_deref().unwrap_or("undated"))
                                " · " (r.outlet)
                                @if let Some(l) = &r.language { " · " (l) }
                                " · " (measure(r))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// What changed between versions: for each step, the title's and the
/// paragraphs' word diffs (removed words in `<del>`, added in `<ins>`),
/// deleted, inserted and moved paragraphs; removals and restorations as
/// such.
fn version_diffs_section(base: &str, diffs: &[VersionDiff]) -> Markup {
    html! {
        @if !diffs.is_empty() {
            section aria-labelledby="diffs" {
                h2 #diffs { "Changes between versions" }
                @for d in diffs {
                    section.diff aria-label={ "Version " (d.to) } {
                        h3 {
                            @match d.from { Some(f) => { "Version " (f) " → " (d.to) }, None => { "Version " (d.to) } }
                            ": " span class={ "kind kind-" (d.kind) } { (d.kind) }
                        }
                        p.meta {
                            "seen " (d.seen)
                            @if let Some(c) = d.changed { " · " (format!("{:.0}", c * 100.0)) "% of words changed" }
                            @if let (Some(f), Some(_)) = (d.from, d.changed) {
                                " · " a href={ (base) "/compare?a=" (f) "&b=" (d.to) } { "side by side" }
                            }
                        }
                        @if let Some(g) = &d.gone {
                            p { "The article was gone (" (g) "): no text was captured." }
                        } @else if d.blocks.is_empty() && d.title.is_empty() {
                            p { "Back with the same text as before." }
                        } @else {
                            @if !d.title.is_empty() {
                                p.diff-title { span.where { "title" } " " (words(&d.title)) }
                            }
                            (blocks(d))
                        }
                    }
                }
            }
        }
    }
}

fn words(ops: &[WordOp]) -> Markup {
    html! {
        @for op in ops {
            @match op {
                WordOp::Same(t) => (t),
                WordOp::Removed(t) => del { (t) },
                WordOp::Added(t) => ins { (t) },
            }
        }
    }
}

/// The aligned paragraphs; unchanged ones are left out but counted, so
/// that the edits stand out.
fn blocks(d: &VersionDiff) -> Markup {
    let same = d
        .blocks
        .iter()
        .filter(|b| matches!(b, Block::Same { .. }))
        .count();
    let text = |list: &[String], i: usize| list.get(i).cloned().unwrap_or_default();
    html! {
        ol.diff-blocks {
            @for b in &d.blocks {
                @match b {
                    Block::Same { .. } => {},
                    Block::Changed { old, new, words: w } => li.changed {
                        span.where { "¶" (new + 1) @if old != new { " (was ¶" (old + 1) ")" } } " " (words(w))
                    },
                    Block::Deleted { old, .. } => li.deleted {
                        span.where { "¶" (old + 1) " deleted" } " " del { (text(&d.old_paragraphs, *old)) }
                    },
                    Block::Inserted { new } => li.inserted {
                        span.where { "¶" (new + 1) " inserted" } " " ins { (text(&d.new_paragraphs, *new)) }
                    },
                    Block::Moved { old, new, words: w } => li.moved {
                        span.where { "¶" (old + 1) " moved to ¶" (new + 1) @if !w.is_empty() { " and edited" } } " "
                        @if w.is_empty() { (text(&d.new_paragraphs, *new)) } @else { (words(w)) }
                    },
                }
            }
        }
        @if same > 0 {
            p.muted { (same) @if same == 1 { " paragraph" } @else { " paragraphs" } " unchanged." }
        }
    }
}
