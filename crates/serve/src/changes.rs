//! `/changes`: the feed of what changed after publication (edits,
//! rewrites, replacements, removals, restorations), newest first, with
//! filters and paging; `/changes.atom` to subscribe to it. The home page's
//! "Latest changes" reads through [`newest`] too.

use std::collections::VecDeque;

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::{Deserialize, Serialize};
use tealeaf_archive::{ArchiveReader, ChangeFilter, ChangeRow};
use tealeaf_diff::ChangeKind;
use tealeaf_query::atom::{self, Entry, Feed};
use tealeaf_query::export::{csv_continued, CsvCells};

use crate::page::{encode, query_string, thousands, BaseUrl, FirstWords, Page, Want};
use crate::{AppError, AppState};

pub const PER_PAGE: usize = 25;
/// Paging newest first keeps the newest `offset + PER_PAGE` rows while it
/// reads them all: this bounds that window.
const MAX_OFFSET: usize = 10_000;
const FEED_ENTRIES: usize = 50;
/// Hunks shown per change in the feed (the article page has them all).
const HUNKS_SHOWN: usize = 3;
/// Characters of a removed or added run shown in the feed.
const CLIP: usize = 300;

/// The filters of `/changes` and `/changes.atom`, as given.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ChangesParams {
    pub kind: Vec<ChangeKind>,
    pub outlet: Vec<String>,
    /// Changes first seen on or after this day.
    pub since: Option<chrono::NaiveDate>,
    /// ... and on or before this one.
    pub until: Option<chrono::NaiveDate>,
    pub page: usize,
}

impl ChangesParams {
    pub fn parse(pairs: &[(String, String)]) -> Result<ChangesParams, AppError> {
        let mut p = ChangesParams {
            page: 1,
            ..Default::default()
        };
        let date = |k: &str, v: &str| {
            tealeaf_model::dates::parse_date(v)
                .map_err(|e| AppError::BadRequest(format!("`{k}`: {e}")))
        };
        for (k, v) in pairs {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            match k.as_str() {
                "kind" => {
                    let kind = ChangeKind::parse(v).ok_or_else(|| {
                        AppError::BadRequest(format!(
                            "`kind` must be one of {}, not `{v}`",
                            ChangeKind::ALL.map(|k| k.as_str()).join(", ")
                        ))
                    })?;
                    p.kind.push(kind);
                }
                "outlet" => p.outlet.push(v.to_ascii_lowercase()),
                "since" | "from" => p.since = Some(date(k, v)?),
                "until" | "to" => p.until = Some(date(k, v)?),
                "page" => {
                    p.page = v.parse::<usize>().ok().filter(|n| *n >= 1).ok_or_else(|| {
                        AppError::BadRequest(format!("`page` must be 1 or more, not `{v}`"))
                    })?
                }
                _ => {}
            }
        }
        if (p.page - 1).saturating_mul(PER_PAGE) > MAX_OFFSET {
            return Err(AppError::BadRequest(format!(
                "pages go up to {}; narrow the dates down to go further back",
                MAX_OFFSET / PER_PAGE + 1
            )));
        }
        Ok(p)
    }

    pub fn filter(&self) -> ChangeFilter {
        ChangeFilter {
            // Change times are RFC 3339 UTC strings: a day is compared as
            // its midnight, `until` as the midnight after it (inclusive).
            since: self.since.map(|d| format!("{d}T00:00:00Z")),
            until: self
                .until
                .map(|d| format!("{}T00:00:00Z", d.succ_opt().unwrap_or(d))),
            outlets: self.outlet.clone(),
            kinds: self.kind.clone(),
            article: None,
        }
    }

    pub fn link(&self, path: &str, page: usize) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        for k in &self.kind {
            pairs.push(("kind", k.as_str().to_string()));
        }
        for o in &self.outlet {
            pairs.push(("outlet", o.clone()));
        }
        pairs.push((
            "since",
            self.since.map(|d| d.to_string()).unwrap_or_default(),
        ));
        pairs.push((
            "until",
            self.until.map(|d| d.to_string()).unwrap_or_default(),
        ));
        if page > 1 {
            pairs.push(("page", page.to_string()));
        }
        format!("{path}{}", query_string(&pairs))
    }
}

/// The changes matching `filter`, newest first: `limit` of them after the
/// first `offset`, and how many match in all. The archive reads them
/// oldest first; only the newest `offset + limit` are kept meanwhile.
pub fn newest(
    archive: &ArchiveReader,
    filter: &ChangeFilter,
    offset: usize,
    limit: usize,
) -> Result<(Vec<ChangeRow>, usize), AppError> {
    let keep = offset + limit;
    let mut window: VecDeque<ChangeRow> = VecDeque::with_capacity(keep.min(1024) + 1);
    let mut total = 0;
    archive.for_each_change(filter, |row| {
        total += 1;
        window.push_back(row);
        if window.len() > keep {
            window.pop_front();
        }
        Ok(())
    })?;
    let rows = window.into_iter().rev().skip(offset).take(limit).collect();
    Ok((rows, total))
}

/// One hunk of a stored change, for display.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct HunkView {
    #[serde(default)]
    pub field: String,
    pub paragraph: Option<usize>,
    pub old_paragraph: Option<usize>,
    #[serde(default)]
    pub removed: String,
    #[serde(default)]
    pub added: String,
    #[serde(default)]
    pub moved: bool,
}

/// The hunks of a change row; a row whose hunks cannot be read shows none
/// (the JSON twin still carries them as stored).
pub fn hunks_of(row: &ChangeRow) -> Vec<HunkView> {
    serde_json::from_str(row.hunks.get()).unwrap_or_default()
}

#[derive(Serialize)]
pub struct ChangesPage {
    pub params: ChangesParams,
    pub total: usize,
    pub offset: usize,
    pub per_page: usize,
    /// As `tealeaf changes --json` gives them, newest first.
    pub changes: Vec<ChangeRow>,
    pub links: ChangeLinks,
    #[serde(skip)]
    hunks: Vec<Vec<HunkView>>,
    #[serde(skip)]
    outlets: Vec<String>,
    #[serde(skip)]
    first_words: FirstWords,
}

#[derive(Serialize)]
pub struct ChangeLinks {
    pub atom: String,
    /// Neighbouring pages as this one was asked for (the twin's: twins).
    pub prev: Option<String>,
    pub next: Option<String>,
    /// `[page, link]` of the numbered pages the pager shows.
    pub pages: Vec<(usize, String)>,
}

pub async fn handler(
    State(state): State<AppState>,
    want: Want,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let params = match ChangesParams::parse(&pairs) {
        Ok(p) => p,
        Err(e) => return want.error(e),
    };
    let outlets = state.choices().outlets;
    let page = state
        .read(move |db| {
            let offset = (params.page - 1) * PER_PAGE;
            let (changes, total) = newest(db.archive, &params.filter(), offset, PER_PAGE)?;
            let path = want.path("/changes");
            let last = total.min(MAX_OFFSET + PER_PAGE).div_ceil(PER_PAGE).max(1);
            let links = ChangeLinks {
                atom: params.link("/changes.atom", 1),
                prev: (params.page > 1).then(|| params.link(&path, params.page - 1)),
                next: (offset + PER_PAGE < total && offset + PER_PAGE <= MAX_OFFSET)
                    .then(|| params.link(&path, params.page + 1)),
                pages: crate::page::page_numbers(params.page, last)
                    .into_iter()
                    .map(|n| (n, params.link(&path, n)))
                    .collect(),
            };
            Ok(ChangesPage {
                first_words: FirstWords::of(
                    db.archive,
                    changes.iter().map(|c| (c.id.as_str(), c.title.as_str())),
                )?,
                hunks: changes.iter().map(hunks_of).collect(),
                params,
                total,
                offset,
                per_page: PER_PAGE,
                changes,
                links,
                outlets,
            })
        })
        .await;
    want.page(page)
}

impl Page for ChangesPage {
    fn title(&self) -> String {
        "Changes".into()
    }

    fn nav(&self) -> &'static str {
        "/changes"
    }

    fn body(&self) -> Markup {
        html! {
            p { "What changed in articles after they were first captured: edited, rewritten or replaced text, removals and restorations. Newest first." }
            (self.form())
            section aria-labelledby="changes-h" {
                h2 #changes-h {
                    (thousands(self.total as u64)) @if self.total == 1 { " change" } @else { " changes" }
                    @if !self.changes.is_empty() {
                        span.muted { ", " (thousands((self.offset + 1) as u64)) "–" (thousands((self.offset + self.changes.len()) as u64)) " shown" }
                    }
                }
                p.exports.muted { "Subscribe: " a href=(self.links.atom) { "Atom feed of these changes" } "." }
                ol.hits.changes start=(self.offset + 1) {
                    @for (c, hunks) in self.changes.iter().zip(&self.hunks) {
                        li { (change_entry(c, hunks, HUNKS_SHOWN, &self.first_words)) }
                    }
                }
                (crate::page::pager(self.links.prev.as_deref(), self.links.next.as_deref(), self.params.page, &self.links.pages))
            }
        }
    }
}

impl ChangesPage {
    fn form(&self) -> Markup {
        let p = &self.params;
        html! {
            form.search action="/changes" method="get" {
                div {
                    label for="kind" { "Kind" }
                    select #kind name="kind" {
                        option value="" { "any" }
                        @for k in ChangeKind::ALL {
                            option value=(k.as_str()) selected[p.kind.contains(&k)] { (k.as_str()) }
                        }
                    }
                }
                div {
                    label for="outlet" { "Outlet" }
                    select #outlet name="outlet" {
                        option value="" { "any" }
                        @for o in &self.outlets {
                            option value=(o) selected[p.outlet.iter().any(|x| x == o)] { (o) }
                        }
                    }
                }
                div {
                    label for="since" { "Seen since" }
                    input #since type="date" name="since" value=(p.since.map(|d| d.to_string()).unwrap_or_default());
                }
                div {
                    label for="until" { "Until" }
                    input #until type="date" name="until" value=(p.until.map(|d| d.to_string()).unwrap_or_default());
                }
                div { label for="go" { "\u{a0}" } button #go type="submit" { "Show" } }
            }
        }
    }
}

fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(CLIP).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

/// One change: link to the article's diffs, what kind, when, and its first
/// `shown` hunks (removed text struck, added text marked).
pub fn change_entry(
    c: &ChangeRow,
    hunks: &[HunkView],
    shown: usize,
    first_words: &FirstWords,
) -> Markup {
    html! {
        a.hit-title href={ "/article/" (encode(&c.id)) "#diffs" } { (crate::page::title_or_id(&c.title, &c.id, first_words)) }
        div.meta {
            span class={ "kind kind-" (c.kind) } { (c.kind) }
            " · v" (c.from.n) " → v" (c.to.n) " · seen " (c.to.captured_at)
            " · " (c.outlet)
            @if let Some(p) = &c.published { " · published " (p) }
            @if let Some(ch) = c.changed { " · " (format!("{:.0}", ch * 100.0)) "% of words changed" }
        }
        @if !hunks.is_empty() {
            ul.hunks {
                @for h in hunks.iter().take(shown) {
                    li {
                        span.where {
                            @if h.field == "title" { "title" }
                            @else if let Some(n) = h.paragraph {
                                "¶" (n + 1)
                                @if h.moved { @if let Some(o) = h.old_paragraph { " moved from ¶" (o + 1) } }
                            }
                        }
                        " "
                        @if !h.removed.is_empty() { del { (clip(&h.removed)) } " " }
                        @if !h.added.is_empty() { ins { (clip(&h.added)) } }
                    }
                }
                @if hunks.len() > shown {
                    li.muted { "and " (hunks.len() - shown) " more on the article page" }
                }
            }
        }
    }
}

/// `/changes.atom`: the newest changes matching the filters.
pub async fn atom_handler(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let want = Want::Json;
    let params = match ChangesParams::parse(&pairs) {
        Ok(p) => p,
        Err(e) => return want.error(e),
    };
    let feed = state
        .read(move |db| {
            let (rows, _) = newest(db.archive, &params.filter(), 0, FEED_ENTRIES)?;
            Ok(atom(&params, &rows, &base))
        })
        .await;
    match feed {
        Ok(body) => (
            [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
            body,
        )
            .into_response(),
        Err(e) => want.error(e),
    }
}

/// Rows of `/changes.csv` at most (the newest): a change row carries its
/// hunks, and the archive is read oldest first, so the rows wait in memory.
pub const CSV_MAX_ROWS: usize = 100_000;

/// The columns of `/changes.csv`: a change row of `/changes.json`
/// flattened (`from` and `to` as `from_n`, `from_content_hash`, ...;
/// `hunks` as its JSON text).
pub const CSV_COLUMNS: [&str; 15] = [
    "id",
    "url",
    "outlet",
    "published",
    "title",
    "kind",
    "from_n",
    "from_content_hash",
    "from_captured_at",
    "to_n",
    "to_content_hash",
    "to_captured_at",
    "changed",
    "similarity",
    "hunks",
];

/// `/changes.csv`: the changes `/changes` lists with the same filters,
/// newest first, all of them (up to [`CSV_MAX_ROWS`]; `X-Total-Count`
/// tells how many match). Cells that a spreadsheet would run as formulas
/// are neutralised unless `raw=1`.
pub async fn csv_handler(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let want = Want::Json;
    let (params, cells) = match (
        ChangesParams::parse(&pairs),
        crate::export::csv_cells(&pairs),
    ) {
        (Ok(p), Ok(c)) => (p, c),
        (Err(e), _) | (_, Err(e)) => return want.error(e),
    };
    let out = state
        .read(move |db| {
            let (rows, total) = newest(db.archive, &params.filter(), 0, CSV_MAX_ROWS)?;
            let body = changes_csv(&rows, cells)
                .map_err(|e| AppError::Internal(format!("writing CSV: {e}")))?;
            Ok((total, body))
        })
        .await;
    match out {
        Ok((total, body)) => crate::export::csv_response("changes.csv", Some(total), body),
        Err(e) => want.error(e),
    }
}

fn changes_csv(rows: &[ChangeRow], cells: CsvCells) -> Result<Vec<u8>, String> {
    let mut w = csv_continued(Vec::new());
    w.write_record(CSV_COLUMNS).map_err(|e| e.to_string())?;
    let num = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    for r in rows {
        let record = [
            r.id.as_str(),
            r.url.as_deref().unwrap_or(""),
            r.outlet.as_str(),
            r.published.as_deref().unwrap_or(""),
            r.title.as_str(),
            r.kind.as_str(),
            &r.from.n.to_string(),
            r.from.content_hash.as_str(),
            r.from.captured_at.as_str(),
            &r.to.n.to_string(),
            r.to.content_hash.as_str(),
            r.to.captured_at.as_str(),
            &num(r.changed),
            &num(r.similarity),
            r.hunks.get(),
        ]
        .map(|c| cells.cell(c).into_owned());
        w.write_record(&record).map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

fn atom(params: &ChangesParams, rows: &[ChangeRow], base: &str) -> String {
    let page_link = params.link("/changes", 1);
    let entries = rows
        .iter()
        .map(|r| {
            let id = encode(&r.id);
            let summary: Vec<String> = hunks_of(r)
                .iter()
                .take(HUNKS_SHOWN)
                .map(|h| format!("[-{}-] {{+{}+}}", clip(&h.removed), clip(&h.added)))
                .collect();
            Entry {
                title: format!("{} ({})", r.title, r.kind),
                // One entry per change: the article and the version it reached.
                id: format!("urn:tealeaf:change:{id}:{}", r.to.n),
                link: format!("/article/{id}#diffs"),
                published: None,
                updated: r.to.captured_at.clone(),
                category: r.kind.to_string(),
                summary: (!summary.is_empty()).then(|| summary.join("\n")),
            }
        })
        .collect();
    Feed {
        title: "tealeaf: changes".into(),
        id: atom::feed_id("changes", &page_link),
        updated: rows
            .first()
            .map(|r| r.to.captured_at.clone())
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".into()),
        self_link: params.link("/changes.atom", 1),
        html_link: page_link,
        entries,
        base: base.to_string(),
    }
    .to_xml()
}
