//! `/people`: every person the analysis found, with their numbers
//! (articles, mentions, first and last seen, titles), sortable, paged and
//! searchable by any spelling; `/people.csv` the same rows for a
//! spreadsheet. Each name links to its `/person/{name}` page.
//!
//! The list is two SQL aggregates over all person mentions
//! ([`ArchiveReader::people_summary`], a scan of every mention: too much
//! for every request), so it is kept in the server's page cache until the
//! archive changes (`crate::cache`): a request then only filters, sorts
//! and pages it.
//!
//! Must not touch: the analysis or the gazetteers (it reads them), the
//! other pages' state.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::Response;
use maud::{html, Markup};
use serde::Serialize;
use tealeaf_analyze::gazetteer::EntryKind;
use tealeaf_analyze::{EntityKind, Gazetteer};
use tealeaf_archive::{ArchiveReader, PersonSummary};
use tealeaf_pipeline::DataDir;
use tealeaf_query::export::{csv_continued, CsvCells};

use crate::page::{encode, query_string, Page, Want};
use crate::search::encode_path;
use crate::{AppError, AppState};

pub const DEFAULT_SIZE: usize = 50;
/// Largest page: `_size` above it is cut to it.
pub const MAX_SIZE: usize = 1_000;
const MAX_Q: usize = 200;

/// What the list is sorted by. Each has its natural order (most articles,
/// most mentions, names A to Z, earliest first seen, latest last seen
/// first); `order` turns it round. Ties go by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    Articles,
    Mentions,
    Name,
    FirstSeen,
    LastSeen,
}

impl SortKey {
    const ALL: [SortKey; 5] = [
        SortKey::Articles,
        SortKey::Mentions,
        SortKey::Name,
        SortKey::FirstSeen,
        SortKey::LastSeen,
    ];

    fn as_str(self) -> &'static str {
        match self {
            SortKey::Articles => "articles",
            SortKey::Mentions => "mentions",
            SortKey::Name => "name",
            SortKey::FirstSeen => "first_seen",
            SortKey::LastSeen => "last_seen",
        }
    }

    fn label(self) -> &'static str {
        match self {
            SortKey::Articles => "most articles",
            SortKey::Mentions => "most mentions",
            SortKey::Name => "name",
            SortKey::FirstSeen => "first seen",
            SortKey::LastSeen => "last seen",
        }
    }

    /// The natural order: descending for counts and last seen.
    fn descending(self) -> bool {
        matches!(
            self,
            SortKey::Articles | SortKey::Mentions | SortKey::LastSeen
        )
    }
}

/// The parameters of `/people` and `/people.csv`, as understood.
#[derive(Debug, Clone, Serialize)]
pub struct PeopleParams {
    pub q: String,
    pub sort: SortKey,
    /// `asc` or `desc`.
    pub order: &'static str,
    pub page: usize,
    /// People a page (`_size`).
    pub size: usize,
}

impl PeopleParams {
    pub fn parse(pairs: &[(String, String)]) -> Result<PeopleParams, AppError> {
        let mut p = PeopleParams {
            q: String::new(),
            sort: SortKey::Articles,
            order: "",
            page: 1,
            size: DEFAULT_SIZE,
        };
        let mut order = None;
        for (k, v) in pairs {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            match k.as_str() {
                "q" => p.q = v.to_string(),
                "sort" => {
                    p.sort = SortKey::ALL
                        .into_iter()
                        .find(|s| s.as_str() == v)
                        .ok_or_else(|| {
                            AppError::BadRequest(format!(
                                "`sort` must be one of {}, not `{v}`",
                                SortKey::ALL.map(SortKey::as_str).join(", ")
                            ))
                        })?
                }
                "order" => {
                    order = Some(match v {
                        "asc" => "asc",
                        "desc" => "desc",
                        _ => {
                            return Err(AppError::BadRequest(format!(
                                "`order` must be asc or desc, not `{v}`"
                            )))
                        }
                    })
                }
                "page" => p.page = positive(k, v)?,
                "_size" => p.size = positive(k, v)?.min(MAX_SIZE),
                _ => {}
            }
        }
        if p.q.len() > MAX_Q {
            return Err(AppError::BadRequest(format!(
                "`q` is longer than {MAX_Q} bytes"
            )));
        }
        p.order = order.unwrap_or(if p.sort.descending() { "desc" } else { "asc" });
        Ok(p)
    }

    /// The link to this list with another sort, order or page.
    fn link(&self, path: &str, sort: SortKey, order: &str, page: usize) -> String {
        let natural = if sort.descending() { "desc" } else { "asc" };
        let pairs = [
            ("q", self.q.clone()),
            (
                "sort",
                if sort == SortKey::Articles {
                    String::new()
                } else {
                    sort.as_str().to_string()
                },
            ),
            (
                "order",
                if order == natural {
                    String::new()
                } else {
                    order.to_string()
                },
            ),
            (
                "page",
                if page > 1 {
                    page.to_string()
                } else {
                    String::new()
                },
            ),
            (
                "_size",
                if self.size == DEFAULT_SIZE || path.ends_with(".csv") {
                    String::new()
                } else {
                    self.size.to_string()
                },
            ),
        ];
        format!("{path}{}", query_string(&pairs))
    }

    fn page_link(&self, page: usize) -> String {
        self.link("/people", self.sort, self.order, page)
    }

    /// The link to `page` as this request wants it (the twin's: a twin).
    fn page_link_as(&self, want: Want, page: usize) -> String {
        self.link(&want.path("/people"), self.sort, self.order, page)
    }
}

fn positive(k: &str, v: &str) -> Result<usize, AppError> {
    v.parse::<usize>()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| AppError::BadRequest(format!("`{k}` must be 1 or more, not `{v}`")))
}

/// The people of an archive and the spellings each is found by.
pub struct PeopleList {
    /// In name order.
    people: Vec<PersonSummary>,
    /// Per person (same order): the folded canonical name and, for a
    /// person the gazetteers list, their folded variants.
    spellings: Vec<Vec<String>>,
}

/// The archive's people, computed again only when the archive changed
/// since (kept in the server's page cache, per generation).
async fn people_list(state: &AppState) -> Result<Arc<PeopleList>, AppError> {
    state
        .cached(&state.people_cache, String::new(), |db| {
            build(db.archive, db.data)
        })
        .await
}

fn build(conn: &ArchiveReader, data: &DataDir) -> Result<PeopleList, AppError> {
    let people = conn.people_summary()?;
    let variants = gazetteer_variants(data);
    let spellings = people
        .iter()
        .map(|p| {
            let mut s = vec![fold(&p.name)];
            for v in variants.get(p.name.as_str()).into_iter().flatten() {
                // Folded, and as written (a Hangul name that does not
                // romanize is still found by its letters).
                for f in [fold(v), v.to_lowercase()] {
                    if !s.contains(&f) {
                        s.push(f);
                    }
                }
            }
            s
        })
        .collect();
    Ok(PeopleList { people, spellings })
}

/// The variants the gazetteers (shipped, plus the data directory's own,
/// as the analysis reads them) list for each person.
fn gazetteer_variants(data: &DataDir) -> HashMap<String, Vec<String>> {
    let dir = data
        .archive_path()
        .parent()
        .map(|root| root.join("gazetteers"))
        .filter(|d| d.is_dir());
    // A broken user gazetteer is ingest's to report; the shipped lists
    // still give their spellings.
    let g = dir
        .map(|d| Gazetteer::with_user_dir(&d))
        .unwrap_or_else(Gazetteer::embedded)
        .or_else(|_| Gazetteer::embedded());
    let Ok(g) = g else {
        return HashMap::new();
    };
    g.entries()
        .iter()
        .filter(|e| e.kind == EntryKind::Entity(EntityKind::Person))
        .map(|e| (e.canonical.clone(), e.variants.clone()))
        .collect()
}

/// A name as searched: lower case, without apostrophes, breves or
/// accents, hyphens as spaces, one space between words, and Hangul
/// romanized (`Ch'oe Ryong-hae` and `최룡해` are both `choe ryong hae`).
fn fold(s: &str) -> String {
    tealeaf_analyze::hangul::fold_name(s, |_| false)
}

impl PeopleList {
    /// The people whose name or a known spelling of it holds `q` (folded
    /// alike), sorted as asked.
    fn select(&self, p: &PeopleParams) -> Vec<&PersonSummary> {
        let q = fold(&p.q);
        let as_written = p.q.to_lowercase();
        let mut rows: Vec<&PersonSummary> = self
            .people
            .iter()
            .zip(&self.spellings)
            .filter(|(_, s)| {
                q.is_empty() || s.iter().any(|s| s.contains(&q) || s.contains(&as_written))
            })
            .map(|(p, _)| p)
            .collect();
        let key = p.sort;
        let desc = p.order == "desc";
        rows.sort_by(|a, b| {
            use std::cmp::Ordering;
            // Undated people go last whichever way dates are sorted.
            let dates = |x: &Option<String>, y: &Option<String>| match (x, y) {
                (Some(x), Some(y)) => {
                    let o = x.cmp(y);
                    if desc {
                        o.reverse()
                    } else {
                        o
                    }
                }
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            };
            let dir = |o: Ordering| if desc { o.reverse() } else { o };
            let primary = match key {
                SortKey::Articles => dir(a.articles.cmp(&b.articles)),
                SortKey::Mentions => dir(a.mentions.cmp(&b.mentions)),
                SortKey::Name => dir(a
                    .name
                    .to_lowercase()
                    .cmp(&b.name.to_lowercase())
                    .then_with(|| a.name.cmp(&b.name))),
                SortKey::FirstSeen => dates(&a.first_seen, &b.first_seen),
                SortKey::LastSeen => dates(&a.last_seen, &b.last_seen),
            };
            primary.then_with(|| a.name.cmp(&b.name))
        });
        rows
    }
}

#[derive(Serialize)]
pub struct PeoplePage {
    pub params: PeopleParams,
    /// People matching `q` (all of them without it).
    pub total: usize,
    pub offset: usize,
    pub people: Vec<PersonSummary>,
    pub links: PeopleLinks,
    /// Every person the analysis found.
    #[serde(skip)]
    everyone: usize,
    #[serde(skip)]
    pages: usize,
}

#[derive(Serialize)]
pub struct PeopleLinks {
    pub csv: String,
    pub prev: Option<String>,
    pub next: Option<String>,
}

pub async fn handler(
    State(state): State<AppState>,
    want: Want,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let params = match PeopleParams::parse(&pairs) {
        Ok(p) => p,
        Err(e) => return want.error(e),
    };
    let list = match people_list(&state).await {
        Ok(list) => list,
        Err(e) => return want.error(e),
    };
    let page = state
        .read(move |_| {
            let rows = list.select(&params);
            let total = rows.len();
            let offset = (params.page - 1).saturating_mul(params.size);
            let people: Vec<PersonSummary> = rows
                .into_iter()
                .skip(offset)
                .take(params.size)
                .cloned()
                .collect();
            let pages = total.div_ceil(params.size).max(1);
            let links = PeopleLinks {
                csv: params.link("/people.csv", params.sort, params.order, 1),
                prev: (params.page > 1).then(|| params.page_link_as(want, params.page - 1)),
                next: (offset + params.size < total)
                    .then(|| params.page_link_as(want, params.page + 1)),
            };
            Ok(PeoplePage {
                everyone: list.people.len(),
                pages,
                params,
                total,
                offset,
                people,
                links,
            })
        })
        .await;
    want.page(page)
}

/// `/people.csv`: every person matching `q`, in the asked order (no
/// paging): `name,articles,mentions,first_seen,last_seen,titles,top_title`.
/// Cells that a spreadsheet would run as formulas are neutralised unless
/// `raw=1`.
pub async fn csv_handler(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    // Its clients are programs: errors as JSON.
    let want = Want::Json;
    let (params, cells) = match (
        PeopleParams::parse(&pairs),
        crate::export::csv_cells(&pairs),
    ) {
        (Ok(p), Ok(c)) => (p, c),
        (Err(e), _) | (_, Err(e)) => return want.error(e),
    };
    let list = match people_list(&state).await {
        Ok(list) => list,
        Err(e) => return want.error(e),
    };
    let out = state
        .read(move |_| {
            let rows = list.select(&params);
            let body = people_csv(&rows, cells)
                .map_err(|e| AppError::Internal(format!("writing CSV: {e}")))?;
            Ok((rows.len(), body))
        })
        .await;
    match out {
        Ok((total, body)) => crate::export::csv_response("people.csv", Some(total), body),
        Err(e) => want.error(e),
    }
}

/// The CSV columns of `/people.csv`.
pub const CSV_COLUMNS: [&str; 7] = [
    "name",
    "articles",
    "mentions",
    "first_seen",
    "last_seen",
    "titles",
    "top_title",
];

fn people_csv(rows: &[&PersonSummary], cells: CsvCells) -> Result<Vec<u8>, String> {
    let mut w = csv_continued(Vec::new());
    w.write_record(CSV_COLUMNS).map_err(|e| e.to_string())?;
    for p in rows {
        w.write_record([
            &*cells.cell(&p.name),
            &p.articles.to_string(),
            &p.mentions.to_string(),
            p.first_seen.as_deref().unwrap_or(""),
            p.last_seen.as_deref().unwrap_or(""),
            &p.titles.to_string(),
            &*cells.cell(p.top_title.as_deref().unwrap_or("")),
        ])
        .map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

impl Page for PeoplePage {
    fn title(&self) -> String {
        "People".into()
    }

    fn nav(&self) -> &'static str {
        "/people"
    }

    fn body(&self) -> Markup {
        let p = &self.params;
        html! {
            p { "Everyone the analysis found in the archive: " (self.everyone) " people. Each name opens the person's page; the numbers of articles open them in the search." }
            form.search action="/people" method="get" {
                div.q {
                    label for="q" { "Name, in any spelling (part of one will do)" }
                    input #q type="text" name="q" value=(p.q) placeholder="Jong Un, Ri Sol-ju, Ch'oe Ryong-hae";
                }
                div {
                    label for="sort" { "Sort by" }
                    select #sort name="sort" {
                        @for k in SortKey::ALL {
                            option value=(k.as_str()) selected[p.sort == k] { (k.label()) }
                        }
                    }
                }
                div {
                    label for="order" { "Order" }
                    select #order name="order" {
                        option value="" { "usual" }
                        option value="asc" selected[p.order == "asc" && p.sort.descending()] { "ascending" }
                        option value="desc" selected[p.order == "desc" && !p.sort.descending()] { "descending" }
                    }
                }
                @if p.size != DEFAULT_SIZE { input type="hidden" name="_size" value=(p.size); }
                div { label for="go" { "\u{a0}" } button #go type="submit" { "Find" } }
            }
            section aria-labelledby="people-h" {
                h2 #people-h {
                    (self.total) @if self.total == 1 { " person" } @else { " people" }
                    @if !p.q.is_empty() { " matching “" (p.q) "”" }
                    @if !self.people.is_empty() {
                        span.muted { ", " (self.offset + 1) "–" (self.offset + self.people.len()) " shown" }
                    }
                }
                p.exports.muted {
                    "Download: " a href=(self.links.csv) { "CSV" } " · "
                    a href=(self.params.link("/people.json", p.sort, p.order, p.page)) { "JSON" }
                }
                @if self.people.is_empty() {
                    p { "Nobody by that name. The search looks in every spelling the gazetteers list (hyphens, apostrophes and letter case aside) and in names written in Hangul." }
                } @else {
                    div.table-wrap { table.people {
                        thead { tr {
                            (self.sort_th(SortKey::Name, "Name"))
                            (self.sort_th(SortKey::Articles, "Articles"))
                            (self.sort_th(SortKey::Mentions, "Mentions"))
                            (self.sort_th(SortKey::FirstSeen, "First seen"))
                            (self.sort_th(SortKey::LastSeen, "Last seen"))
                            th scope="col" { "Titles" }
                        } }
                        tbody { @for r in &self.people { tr {
                            td { a href={ "/person/" (encode_path(&r.name)) } { (r.name) } }
                            td.num { a href={ "/search?person=" (encode(&r.name)) } { (r.articles) } }
                            td.num { (r.mentions) }
                            td.date { (r.first_seen.as_deref().unwrap_or("undated")) }
                            td.date { (r.last_seen.as_deref().unwrap_or("undated")) }
                            td {
                                @if let Some(t) = &r.top_title {
                                    (t)
                                    @if r.titles > 1 { span.muted { " and " (r.titles - 1) " more" } }
                                }
                            }
                        } } }
                    } }
                }
                (self.pager())
            }
        }
    }
}

impl PeoplePage {
    /// A column heading that sorts by its column (the other way round when
    /// it already does), marked with `aria-sort`.
    fn sort_th(&self, key: SortKey, label: &str) -> Markup {
        let p = &self.params;
        let current = p.sort == key;
        let natural = if key.descending() { "desc" } else { "asc" };
        let order = match (current, p.order) {
            (true, "asc") => "desc",
            (true, _) => "asc",
            (false, _) => natural,
        };
        let aria = match (current, p.order) {
            (false, _) => None,
            (true, "asc") => Some("ascending"),
            (true, _) => Some("descending"),
        };
        html! {
            th scope="col" aria-sort=[aria] {
                a href=(p.link("/people", key, order, 1)) { (label) }
                @if current { span.muted aria-hidden="true" { @if p.order == "asc" { " ▲" } @else { " ▼" } } }
            }
        }
    }

    /// Previous and next, and the numbers of the pages around this one
    /// (the first and last always).
    fn pager(&self) -> Markup {
        let p = &self.params;
        let pages: Vec<(usize, String)> = crate::page::page_numbers(p.page, self.pages)
            .into_iter()
            .map(|n| (n, p.page_link(n)))
            .collect();
        crate::page::pager(
            self.links.prev.as_deref(),
            self.links.next.as_deref(),
            p.page,
            &pages,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_fold_alike() {
        assert_eq!(fold("Kim Jong-un"), "kim jong un");
        assert_eq!(fold("  Ch'oe   Ryong-hae "), "choe ryong hae");
        assert_eq!(fold("김정은"), "kim jong un");
        assert!(fold("Kim Jong Un").contains(&fold("jong UN")));
    }

    fn person(name: &str, articles: i64, first: Option<&str>) -> PersonSummary {
        PersonSummary {
            name: name.into(),
            articles,
            mentions: articles * 2,
            first_seen: first.map(str::to_string),
            last_seen: first.map(str::to_string),
            titles: 0,
            top_title: None,
        }
    }

    #[test]
    fn selects_by_any_spelling_and_sorts() {
        let list = PeopleList {
            people: vec![
                person("Choe Ryong Hae", 5, Some("2011-02-01")),
                person("Kim Jong Un", 9, Some("2011-03-01")),
                person("Undated", 9, None),
            ],
            spellings: vec![
                vec![fold("Choe Ryong Hae"), fold("최룡해")],
                vec![fold("Kim Jong Un"), fold("Kim Jong-un"), fold("김정은")],
                vec![fold("Undated")],
            ],
        };
        let names = |pairs: &[(&str, &str)]| -> Vec<String> {
            let pairs: Vec<(String, String)> = pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            let p = PeopleParams::parse(&pairs).expect("params");
            list.select(&p).iter().map(|r| r.name.clone()).collect()
        };
        assert_eq!(names(&[]), ["Kim Jong Un", "Undated", "Choe Ryong Hae"]);
        assert_eq!(names(&[("q", "jong-UN")]), ["Kim Jong Un"]);
        assert_eq!(names(&[("q", "최룡")]), ["Choe Ryong Hae"]);
        assert_eq!(names(&[("q", "Ch'oe")]), ["Choe Ryong Hae"]);
        assert_eq!(
            names(&[("sort", "first_seen")]),
            ["Choe Ryong Hae", "Kim Jong Un", "Undated"]
        );
        assert_eq!(
            names(&[("sort", "first_seen"), ("order", "desc")]),
            ["Kim Jong Un", "Choe Ryong Hae", "Undated"]
        );
        assert_eq!(
            names(&[("sort", "name"), ("order", "desc")]),
            ["Undated", "Kim Jong Un", "Choe Ryong Hae"]
        );
    }

    #[test]
    fn bad_parameters_are_refused_and_sizes_capped() {
        let parse = |k: &str, v: &str| PeopleParams::parse(&[(k.to_string(), v.to_string())]);
        assert!(parse("_size", "0").is_err());
        assert!(parse("_size", "x").is_err());
        assert_eq!(parse("_size", "5000").expect("capped").size, MAX_SIZE);
        assert!(parse("sort", "height").is_err());
        assert!(parse("order", "up").is_err());
        assert!(parse("page", "0").is_err());
    }
}
