//! One article's versions as pages: `/article/{id}/v/{n}` (one version at
//! its own address), `/article/{id}/compare?a=N&b=M` (two versions side by
//! side, paragraphs aligned), and the "edited after publication" summary
//! the article page shows.
//!
//! Versions are numbered as the archive numbers them and the article page
//! lists them: 1 is the first captured, in capture order, gone versions
//! (404, 410, delisted) included. The diff is `tealeaf_query::versions`'s
//! (`pair`, hence `compare`): this module only lays it out in two columns
//! and must not diff anything itself.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use maud::{html, Markup};
use serde::Serialize;
use tealeaf_archive::{ArticleView, VersionView};
use tealeaf_diff::{Block, ChangeKind, WordOp};
use tealeaf_query::versions::{pair, PairError};

use crate::article::{check_id, find, shown_title};
use crate::page::{safe_href, strip_json, Page, Want};
use crate::search::encode_path;
use crate::{AppError, AppState};

/// The article page's notice: the text or title changed after the first
/// capture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edited {
    /// Texts in succession: 1 + each time the text (or title) differed
    /// from the one before it. Removals are not counted, and neither is a
    /// restoration with the text it had.
    pub versions: usize,
    /// When the last of those changes was first captured.
    pub last_changed: String,
}

/// `Some` when the article's text or title changed after its first
/// capture.
pub fn edited(versions: &[VersionView]) -> Option<Edited> {
    let mut texts = versions.iter().filter(|v| v.gone.is_none());
    let mut prev = &texts.next()?.content_hash;
    let (mut count, mut last) = (1, None);
    for v in texts {
        if v.content_hash != *prev {
            count += 1;
            last = Some(&v.first_seen);
            prev = &v.content_hash;
        }
    }
    last.map(|l| Edited {
        versions: count,
        last_changed: l.clone(),
    })
}

/// What the version and compare pages say about their article.
#[derive(Debug, Serialize)]
pub struct ArticleRef {
    pub id: String,
    /// The current title (or first words, marked untitled).
    pub title: String,
    pub outlet: String,
    pub outlet_name: String,
    pub published: Option<String>,
    pub url: Option<String>,
}

impl ArticleRef {
    fn of(a: &ArticleView) -> Self {
        ArticleRef {
            id: a.id.clone(),
            title: shown_title(&a.title, &a.paragraphs, &a.id),
            outlet: a.outlet.clone(),
            outlet_name: a.outlet_name.clone(),
            published: a.published.clone(),
            url: a.url.clone(),
        }
    }

    fn href(&self) -> String {
        format!("/article/{}", encode_path(&self.id))
    }
}

/// The versions with text: first and last (what "compare" defaults to).
fn text_ends(versions: &[VersionView]) -> Option<(i64, i64)> {
    let mut texts = versions.iter().filter(|v| v.gone.is_none()).map(|v| v.n);
    let first = texts.next()?;
    Some((first, texts.next_back().unwrap_or(first)))
}

/// `/article/{id}/v/{n}`: one version.
#[derive(Debug, Serialize)]
pub struct VersionPage {
    pub article: ArticleRef,
    pub n: i64,
    /// Versions the article has (gone ones included).
    pub count: usize,
    /// The version's own title and text (empty for a gone version).
    pub title: String,
    pub paragraphs: Vec<String>,
    /// Why the article was gone in this version; null for one with text.
    pub gone: Option<String>,
    pub first_seen: String,
    pub last_seen: String,
    pub captures: i64,
    pub content_hash: String,
    pub prev: Option<i64>,
    pub next: Option<i64>,
    /// The first and the latest version with text.
    pub first_text: i64,
    pub latest_text: i64,
    /// This version's text is the latest one's.
    pub same_as_latest: bool,
}

pub async fn version_handler(
    State(state): State<AppState>,
    want: Want,
    Path((id, n)): Path<(String, String)>,
) -> Response {
    let n_text = strip_json(&n);
    let Ok(n) = n_text.parse::<u32>() else {
        return want.error(AppError::BadRequest(format!(
            "`{n_text}` is not a version number (1 is the first version)"
        )));
    };
    if let Err(e) = check_id(&id) {
        return want.error(e);
    }
    let page = state
        .read(move |db| {
            let a = find(db, &id)?;
            version_page(a, i64::from(n))
        })
        .await;
    want.page(page)
}

fn version_page(mut a: ArticleView, n: i64) -> Result<VersionPage, AppError> {
    let count = a.versions.len();
    let Some(i) = a.versions.iter().position(|v| v.n == n) else {
        return Err(AppError::NotFound(format!(
            "article `{}` has no version {n}: it has {count} (1 to {count})",
            a.id
        )));
    };
    let (first_text, latest_text) = text_ends(&a.versions).unwrap_or((n, n));
    let latest_hash = a
        .versions
        .iter()
        .find(|v| v.n == latest_text)
        .map(|v| v.content_hash.clone())
        .unwrap_or_default();
    let prev = i.checked_sub(1).map(|p| a.versions[p].n);
    let next = a.versions.get(i + 1).map(|v| v.n);
    let article = ArticleRef::of(&a);
    let v = a.versions.swap_remove(i);
    Ok(VersionPage {
        article,
        n,
        count,
        same_as_latest: v.gone.is_none() && v.content_hash == latest_hash,
        title: v.title,
        paragraphs: v.paragraphs,
        gone: v.gone,
        first_seen: v.first_seen,
        last_seen: v.last_seen,
        captures: v.captures,
        content_hash: v.content_hash,
        prev,
        next,
        first_text,
        latest_text,
    })
}

impl Page for VersionPage {
    fn title(&self) -> String {
        let t = if self.gone.is_some() {
            self.article.title.clone()
        } else {
            shown_title(&self.title, &self.paragraphs, &self.article.id)
        };
        format!("{t} (version {} of {})", self.n, self.count)
    }

    fn body(&self) -> Markup {
        let base = self.article.href();
        let v = |n: i64| format!("{base}/v/{n}");
        html! {
            nav.version-nav aria-label="Versions of this article" {
                ul {
                    li { @match self.prev {
                        Some(p) => a href=(v(p)) rel="prev" { "← Version " (p) },
                        None => span.muted { "First version" },
                    } }
                    li { @match self.next {
                        Some(n) => a href=(v(n)) rel="next" { "Version " (n) " →" },
                        None => span.muted { "Latest version" },
                    } }
                    li { a href=(base) { "The article" } }
                    li { a href={ (base) "#versions" } { "All versions" } }
                    @if self.gone.is_none() {
                        li { (self.compare_link(&base)) }
                    }
                }
            }
            p.note {
                @if let Some(g) = &self.gone {
                    "In this version the article was gone (" (g) "): no text was captured."
                } @else if self.n == self.latest_text {
                    "The latest text of this article."
                } @else if self.same_as_latest {
                    "The same text as the latest version (" (self.latest_text) ")."
                } @else {
                    "An earlier text: the article was changed after this version."
                }
            }
            dl.meta-list {
                dt { "Version" } dd { (self.n) " of " (self.count) }
                dt { "Captured" } dd {
                    "first " (self.first_seen) ", last " (self.last_seen)
                    " (" (self.captures) @if self.captures == 1 { " capture)" } @else { " captures)" }
                }
                dt { "Outlet" } dd { (self.article.outlet_name) " (" (self.article.outlet) ")" }
                dt { "Published" } dd { (self.article.published.as_deref().unwrap_or("undated")) }
                @if let Some(url) = &self.article.url {
                    dt { "Source" } dd {
                        @if let Some(href) = safe_href(url) {
                            a href=(href) rel="noopener noreferrer nofollow" { (url) }
                        } @else {
                            (url)
                        }
                    }
                }
                dt { "Id" } dd { code { (self.article.id) } }
            }
            @if self.gone.is_none() {
                article aria-label={ "Text of version " (self.n) } {
                    @if self.paragraphs.is_empty() {
                        p.muted { "Only the title was captured." }
                    }
                    @for p in &self.paragraphs { p { (p) } }
                }
            }
        }
    }
}

impl VersionPage {
    /// With the latest text; the latest itself with the first.
    fn compare_link(&self, base: &str) -> Markup {
        html! {
            @if self.n != self.latest_text {
                a href={ (base) "/compare?a=" (self.n) "&b=" (self.latest_text) } {
                    "Compare with the latest (version " (self.latest_text) ")"
                }
            } @else if self.first_text != self.n {
                a href={ (base) "/compare?a=" (self.first_text) "&b=" (self.n) } {
                    "Compare with the first (version " (self.first_text) ")"
                }
            }
        }
    }
}

/// `/article/{id}/compare`: two versions side by side.
#[derive(Debug, Serialize)]
pub struct ComparePage {
    pub article: ArticleRef,
    /// The older version (left column) and the newer (right).
    pub a: Side,
    pub b: Side,
    /// As `tealeaf diff`: the kind of change from `a` to `b`, the share
    /// of words changed and the similarity.
    pub kind: ChangeKind,
    pub changed: f64,
    pub similarity: f64,
    /// Both versions hold the same title and text.
    pub same_text: bool,
    /// The titles' word diff, split into the two columns; null when the
    /// title did not change.
    pub title: Option<Row>,
    /// The paragraphs aligned, in the newer version's order (deleted ones
    /// where they stood).
    pub rows: Vec<Row>,
    /// Every version, for the form (gone ones cannot be picked).
    pub versions: Vec<Choice>,
}

#[derive(Debug, Serialize)]
pub struct Side {
    pub n: i64,
    pub first_seen: String,
    pub last_seen: String,
    pub title: String,
}

/// One line of the two columns: `left` from the older version (same and
/// removed words), `right` from the newer (same and added words); null
/// where a side has no paragraph (deleted, inserted).
#[derive(Debug, Serialize)]
pub struct Row {
    /// same, changed, deleted, inserted, moved (the block's kind).
    pub block: &'static str,
    pub left: Option<Cell>,
    pub right: Option<Cell>,
}

#[derive(Debug, Serialize)]
pub struct Cell {
    /// 1-based paragraph number in its version (0 for the title).
    pub paragraph: usize,
    pub words: Vec<WordOp>,
}

#[derive(Debug, Serialize)]
pub struct Choice {
    pub n: i64,
    pub first_seen: String,
    pub gone: Option<String>,
}

pub async fn compare_handler(
    State(state): State<AppState>,
    want: Want,
    Path(id): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    // `/compare.json` is a route of its own: the id carries no `.json`.
    let param = |name: &str| -> Result<Option<i64>, AppError> {
        match pairs.iter().rev().find(|(k, _)| k == name) {
            None => Ok(None),
            Some((_, v)) if v.trim().is_empty() => Ok(None),
            Some((_, v)) => v
                .trim()
                .parse::<u32>()
                .map(|n| Some(i64::from(n)))
                .map_err(|_| {
                    AppError::BadRequest(format!(
                        "`{name}` must be a version number (1 is the first version), not `{v}`"
                    ))
                }),
        }
    };
    let (a, b) = match (param("a"), param("b")) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return want.error(e),
    };
    if let Err(e) = check_id(&id) {
        return want.error(e);
    }
    let page = state
        .read(move |db| {
            let article = find(db, &id)?;
            compare_page(&article, a, b)
        })
        .await;
    want.page(page)
}

fn compare_page(
    article: &ArticleView,
    a: Option<i64>,
    b: Option<i64>,
) -> Result<ComparePage, AppError> {
    let (first, latest) = text_ends(&article.versions).ok_or_else(|| {
        AppError::NotFound(format!("article `{}` has no version with text", article.id))
    })?;
    let (a, b) = (a.unwrap_or(first), b.unwrap_or(latest));
    // The older always on the left, so that the left column holds what
    // was removed and the right what was added.
    let (a, b) = (a.min(b), a.max(b));
    let p = pair(article, Some(a), Some(b)).map_err(|e| match e {
        PairError::NoVersion { .. } | PairError::NoText => AppError::NotFound(e.to_string()),
        PairError::Removal { .. } | PairError::OnlyOne { .. } => {
            AppError::BadRequest(e.to_string())
        }
    })?;
    let side = |e: &tealeaf_query::versions::End<'_>| Side {
        n: e.n,
        first_seen: e.first_seen.to_string(),
        last_seen: e.last_seen.to_string(),
        title: e.title.to_string(),
    };
    let title = (p.from.title != p.to.title).then(|| {
        let (left, right) = columns(&p.title, p.from.title, p.to.title);
        Row {
            block: "changed",
            left: Some(Cell {
                paragraph: 0,
                words: left,
            }),
            right: Some(Cell {
                paragraph: 0,
                words: right,
            }),
        }
    });
    let text = |list: &[String], i: usize| list.get(i).cloned().unwrap_or_default();
    let (old, new) = (p.from.paragraphs, p.to.paragraphs);
    let cell = |paragraph: usize, words: Vec<WordOp>| {
        Some(Cell {
            paragraph: paragraph + 1,
            words,
        })
    };
    // An edited paragraph as two cells, each in its own spelling.
    let edited = |block: &'static str, o: usize, n: usize, words: &[WordOp]| {
        let (left, right) = columns(words, &text(old, o), &text(new, n));
        Row {
            block,
            left: cell(o, left),
            right: cell(n, right),
        }
    };
    let rows = p
        .blocks
        .iter()
        .map(|b| match b {
            Block::Same { old: o, new: n } => Row {
                block: "same",
                left: cell(*o, vec![WordOp::Same(text(old, *o))]),
                right: cell(*n, vec![WordOp::Same(text(new, *n))]),
            },
            Block::Changed {
                old: o,
                new: n,
                words,
            } => edited("changed", *o, *n, words),
            Block::Deleted { old: o, .. } => Row {
                block: "deleted",
                left: cell(*o, vec![WordOp::Removed(text(old, *o))]),
                right: None,
            },
            Block::Inserted { new: n } => Row {
                block: "inserted",
                left: None,
                right: cell(*n, vec![WordOp::Added(text(new, *n))]),
            },
            Block::Moved {
                old: o,
                new: n,
                words,
            } if words.is_empty() => Row {
                block: "moved",
                left: cell(*o, vec![WordOp::Same(text(old, *o))]),
                right: cell(*n, vec![WordOp::Same(text(new, *n))]),
            },
            Block::Moved {
                old: o,
                new: n,
                words,
            } => edited("moved", *o, *n, words),
        })
        .collect();
    let hash = |n: i64| {
        article
            .versions
            .iter()
            .find(|v| v.n == n)
            .map(|v| &v.content_hash)
    };
    Ok(ComparePage {
        article: ArticleRef::of(article),
        a: side(&p.from),
        b: side(&p.to),
        kind: p.kind,
        changed: p.changed,
        similarity: p.similarity,
        same_text: hash(a) == hash(b),
        title,
        rows,
        versions: article
            .versions
            .iter()
            .map(|v| Choice {
                n: v.n,
                first_seen: v.first_seen.clone(),
                gone: v.gone.clone(),
            })
            .collect(),
    })
}

#[derive(Clone, Copy, PartialEq)]
enum Column {
    Left,
    Right,
}

/// One column's share of a word diff: the left keeps what was removed,
/// the right what was added; both keep what stayed.
fn split(ops: &[WordOp], column: Column) -> Vec<WordOp> {
    ops.iter()
        .filter(|op| match op {
            WordOp::Same(_) => true,
            WordOp::Removed(_) => column == Column::Left,
            WordOp::Added(_) => column == Column::Right,
        })
        .cloned()
        .collect()
}

/// The two columns of the word diff `ops` of `old` to `new`, each in its
/// version's own spelling. The diff compares words after the cosmetic fold
/// and spells unchanged ones as `new` does, so where the fold hid a
/// difference (case, quotes, dashes, spaces) the left column would show
/// words the old version never had: it is then taken from the same diff
/// run from `new` to `old`.
fn columns(ops: &[WordOp], old: &str, new: &str) -> (Vec<WordOp>, Vec<WordOp>) {
    let (left, right) = (split(ops, Column::Left), split(ops, Column::Right));
    if joined(&left) == old {
        return (left, right);
    }
    let left = tealeaf_diff::word_diff(new, old)
        .into_iter()
        .filter_map(|op| match op {
            WordOp::Same(t) => Some(WordOp::Same(t)),
            WordOp::Added(t) => Some(WordOp::Removed(t)),
            WordOp::Removed(_) => None,
        })
        .collect();
    (left, right)
}

fn joined(ops: &[WordOp]) -> String {
    ops.iter()
        .map(|op| match op {
            WordOp::Same(t) | WordOp::Removed(t) | WordOp::Added(t) => t.as_str(),
        })
        .collect()
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

impl Page for ComparePage {
    fn title(&self) -> String {
        format!(
            "{}: versions {} and {}",
            self.article.title, self.a.n, self.b.n
        )
    }

    fn body(&self) -> Markup {
        let base = self.article.href();
        let (a, b) = (self.a.n, self.b.n);
        let cell = |c: &Option<Cell>, n: i64, class: &str| {
            html! {
                div class={ "sbs-cell " (class) } {
                    @match c {
                        Some(c) => {
                            span.where { "v" (n) @if c.paragraph > 0 { " ¶" (c.paragraph) } @else { " title" } }
                            " " (words(&c.words))
                        },
                        None => span.sbs-missing { "v" (n) ": not in this version" },
                    }
                }
            }
        };
        html! {
            p { a href=(base) { "← The article" } }
            form.compare method="get" action={ (base) "/compare" } {
                div {
                    label for="a" { "Older (left)" }
                    (self.select("a", a))
                }
                div {
                    label for="b" { "Newer (right)" }
                    (self.select("b", b))
                }
                button type="submit" { "Compare" }
            }
            p.meta {
                @if a == b {
                    "The same version on both sides."
                } @else if self.same_text {
                    "The same title and text in both versions."
                } @else {
                    span class={ "kind kind-" (self.kind.as_str()) } { (self.kind.as_str()) }
                    " · " (format!("{:.0}", self.changed * 100.0)) "% of words changed"
                }
            }
            p.meta { "Removed words are struck through in the older version (left), added words underlined in the newer (right)." }
            div.sbs {
                div.sbs-row.sbs-head {
                    (self.head(&base, &self.a, "sbs-old"))
                    (self.head(&base, &self.b, "sbs-new"))
                }
                @if let Some(t) = &self.title {
                    div.sbs-row.sbs-title {
                        (cell(&t.left, a, "sbs-old"))
                        (cell(&t.right, b, "sbs-new"))
                    }
                }
                @for r in &self.rows {
                    div class={ "sbs-row sbs-" (r.block) } {
                        (cell(&r.left, a, "sbs-old"))
                        (cell(&r.right, b, "sbs-new"))
                    }
                }
                @if self.rows.is_empty() {
                    p.muted { "Neither version has paragraphs: only titles were captured." }
                }
            }
        }
    }
}

impl ComparePage {
    fn select(&self, name: &str, current: i64) -> Markup {
        html! {
            select id=(name) name=(name) {
                @for v in &self.versions {
                    option value=(v.n) selected[v.n == current] disabled[v.gone.is_some()] {
                        "Version " (v.n) " · " (v.first_seen)
                        @if let Some(g) = &v.gone { " · gone (" (g) ")" }
                    }
                }
            }
        }
    }

    fn head(&self, base: &str, s: &Side, class: &str) -> Markup {
        html! {
            div class={ "sbs-cell " (class) } {
                h2 { a href={ (base) "/v/" (s.n) } { "Version " (s.n) } }
                p.meta { "seen " (s.first_seen) " to " (s.last_seen) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(n: i64, text: Option<&str>) -> VersionView {
        VersionView {
            n,
            content_hash: text.unwrap_or("").to_string(),
            gone: text.is_none().then(|| "404".to_string()),
            first_seen: format!("2026-01-0{n}T06:00:00Z"),
            last_seen: format!("2026-01-0{n}T06:00:00Z"),
            captures: 1,
            title: String::new(),
            paragraphs: Vec::new(),
        }
    }

    #[test]
    fn edited_counts_texts_in_succession() {
        assert_eq!(edited(&[v(1, Some("x"))]), None);
        // Gone and back with the same text: never edited.
        assert_eq!(
            edited(&[v(1, Some("x")), v(2, None), v(3, Some("x"))]),
            None
        );
        assert_eq!(
            edited(&[
                v(1, Some("x")),
                v(2, Some("y")),
                v(3, None),
                v(4, Some("y"))
            ]),
            Some(Edited {
                versions: 2,
                last_changed: "2026-01-02T06:00:00Z".into()
            })
        );
        // Changed back: three texts, the last change the third's.
        assert_eq!(
            edited(&[v(1, Some("x")), v(2, Some("y")), v(3, Some("x"))]),
            Some(Edited {
                versions: 3,
                last_changed: "2026-01-03T06:00:00Z".into()
            })
        );
    }

    #[test]
    fn each_column_is_spelled_as_its_version() {
        let (old, new) = ("Delegation arrives", "Friendly delegation arrives");
        let (left, right) = columns(&tealeaf_diff::word_diff(old, new), old, new);
        assert_eq!(joined(&left), old);
        assert_eq!(joined(&right), new);
        assert_eq!(right[0], WordOp::Added("Friendly ".into()));
        assert!(!left.iter().any(|op| matches!(op, WordOp::Added(_))));
    }

    #[test]
    fn columns_keep_their_side_of_a_diff() {
        let ops = vec![
            WordOp::Same("a ".into()),
            WordOp::Removed("old".into()),
            WordOp::Added("new".into()),
        ];
        assert_eq!(
            split(&ops, Column::Left),
            [WordOp::Same("a ".into()), WordOp::Removed("old".into())]
        );
        assert_eq!(
            split(&ops, Column::Right),
            [WordOp::Same("a ".into()), WordOp::Added("new".into())]
        );
    }
}
