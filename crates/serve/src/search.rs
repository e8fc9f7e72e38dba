//! `/search`: the query form, filters, facets, highlighted hits, paging.

use std::time::Instant;

use axum::extract::{Query, State};
use axum::response::Response;
use chrono::NaiveDate;
use maud::{html, Markup};
use serde::Serialize;
use tealeaf_index::{Facets, SearchRequest, Sort};

use crate::page::{encode, query_string, thousands, trusted_html, Page, Want};
use crate::{AppError, AppState};

pub const PER_PAGE: usize = 20;
/// Largest `_size`: each hit costs a snippet; exports read whole sets.
pub const MAX_PER_PAGE: usize = 100;
/// Deep pages cost a sort over everything before them; exports are the
/// way to read a whole result set.
const MAX_OFFSET: usize = 10_000;
const MAX_QUERY: usize = 2_000;

/// The search parameters of `/search` and its exports, as given.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SearchParams {
    pub q: String,
    pub outlet: Vec<String>,
    pub lang: Vec<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Canonical names of people every hit mentions (repeatable).
    pub person: Vec<String>,
    /// ... and of countries.
    pub country: Vec<String>,
    /// `relevance`, `newest` or `oldest`.
    pub sort: String,
    pub page: usize,
    /// Show each group of reprints once (`collapse=1`).
    pub collapse: bool,
    /// Hits a page (`_size`, as Datasette calls it): [`PER_PAGE`] unless
    /// asked, at most [`MAX_PER_PAGE`].
    #[serde(rename = "_size")]
    pub size: usize,
}

impl SearchParams {
    /// Reads `q`, `outlet`/`lang`/`person`/`country` (repeatable), `from`,
    /// `to`, `sort`, `page`; empty values are absent. Bad values are a 400 naming them.
    pub fn parse(pairs: &[(String, String)]) -> Result<SearchParams, AppError> {
        let mut p = SearchParams {
            page: 1,
            size: PER_PAGE,
            ..Default::default()
        };
        let date = |k: &str, v: &str| {
            tealeaf_model::dates::parse_date(v)
                .map_err(|e| AppError::BadRequest(format!("`{k}`: {e}")))
        };
        let mut sort = None;
        for (k, v) in pairs {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            match k.as_str() {
                "q" => p.q = v.to_string(),
                "outlet" => p.outlet.push(v.to_ascii_lowercase()),
                "lang" | "language" => p.lang.push(v.to_ascii_lowercase()),
                // Names are matched exactly (canonical, case-sensitive):
                // the facet links carry them as stored.
                "person" => p.person.push(v.to_string()),
                "country" => p.country.push(v.to_string()),
                "from" => p.from = Some(date(k, v)?),
                "to" => p.to = Some(date(k, v)?),
                "sort" => sort = Some(v.to_string()),
                "collapse" => {
                    p.collapse = match v {
                        "1" | "true" | "on" | "yes" => true,
                        "0" | "false" | "off" | "no" => false,
                        other => {
                            return Err(AppError::BadRequest(format!(
                                "`collapse` must be 1 or 0, not `{other}`"
                            )))
                        }
                    }
                }
                "page" => {
                    p.page = v.parse::<usize>().ok().filter(|n| *n >= 1).ok_or_else(|| {
                        AppError::BadRequest(format!("`page` must be 1 or more, not `{v}`"))
                    })?
                }
                "_size" | "size" => {
                    p.size = v
                        .parse::<usize>()
                        .ok()
                        .filter(|n| *n >= 1)
                        .ok_or_else(|| {
                            AppError::BadRequest(format!("`_size` must be 1 or more, not `{v}`"))
                        })?
                        .min(MAX_PER_PAGE)
                }
                _ => {}
            }
        }
        if p.q.len() > MAX_QUERY
            || p.person
                .iter()
                .chain(&p.country)
                .map(String::len)
                .sum::<usize>()
                > MAX_QUERY
        {
            return Err(AppError::BadRequest(format!(
                "the query is longer than {MAX_QUERY} bytes"
            )));
        }
        p.sort = match sort.as_deref() {
            // Without words there is no relevance: newest first.
            None if p.q.is_empty() => "newest".into(),
            None => "relevance".into(),
            Some(s @ ("relevance" | "newest" | "oldest")) => s.into(),
            Some("date") => "newest".into(),
            Some(other) => {
                return Err(AppError::BadRequest(format!(
                    "`sort` must be relevance, newest or oldest, not `{other}`"
                )))
            }
        };
        if (p.page - 1).saturating_mul(p.size) > MAX_OFFSET {
            return Err(AppError::BadRequest(format!(
                "pages go up to {}; export the results (CSV or JSONL) to read them all",
                MAX_OFFSET / p.size + 1
            )));
        }
        Ok(p)
    }

    /// Whether anything was asked (a bare `/search` shows only the form).
    pub fn is_empty(&self) -> bool {
        self.q.is_empty()
            && self.outlet.is_empty()
            && self.lang.is_empty()
            && self.from.is_none()
            && self.to.is_none()
            && self.person.is_empty()
            && self.country.is_empty()
    }

    pub fn request(&self, limit: usize, offset: usize) -> SearchRequest {
        SearchRequest {
            query: self.q.clone(),
            outlets: self.outlet.clone(),
            languages: self.lang.clone(),
            from: self.from,
            to: self.to,
            people: self.person.clone(),
            countries: self.country.clone(),
            sort: match self.sort.as_str() {
                "newest" => Sort::Newest,
                "oldest" => Sort::Oldest,
                _ => Sort::Relevance,
            },
            limit,
            offset,
        }
    }

    /// The parameters as a query string, with `page` set and, optionally,
    /// one more outlet/lang filter or a year's date range.
    pub fn link(&self, path: &str, page: usize, add: Option<(&str, &str)>) -> String {
        let mut pairs: Vec<(&str, String)> = vec![("q", self.q.clone())];
        for o in &self.outlet {
            pairs.push(("outlet", o.clone()));
        }
        for l in &self.lang {
            pairs.push(("lang", l.clone()));
        }
        for n in &self.person {
            pairs.push(("person", n.clone()));
        }
        for c in &self.country {
            pairs.push(("country", c.clone()));
        }
        let (mut from, mut to) = (self.from, self.to);
        match add {
            Some(("year", y)) => {
                if let Ok(y) = y.parse::<i32>() {
                    from = NaiveDate::from_ymd_opt(y, 1, 1);
                    to = NaiveDate::from_ymd_opt(y, 12, 31);
                }
            }
            Some((k, v)) => pairs.push((k, v.to_string())),
            None => {}
        }
        pairs.push(("from", from.map(|d| d.to_string()).unwrap_or_default()));
        pairs.push(("to", to.map(|d| d.to_string()).unwrap_or_default()));
        let default_sort = if self.q.is_empty() {
            "newest"
        } else {
            "relevance"
        };
        if self.sort != default_sort {
            pairs.push(("sort", self.sort.clone()));
        }
        if self.collapse {
            pairs.push(("collapse", "1".into()));
        }
        if self.size != PER_PAGE {
            pairs.push(("_size", self.size.to_string()));
        }
        if page > 1 {
            pairs.push(("page", page.to_string()));
        }
        format!("{path}{}", query_string(&pairs))
    }
}

impl SearchParams {
    /// The search link without one person/country filter.
    pub fn without(&self, key: &str, value: &str) -> String {
        let mut p = self.clone();
        match key {
            "person" => p.person.retain(|n| n != value),
            _ => p.country.retain(|c| c != value),
        }
        p.link("/search", 1, None)
    }
}

/// Percent-encodes a path segment (a name in `/person/{name}`): spaces as
/// `%20`, since `+` is literal in a path.
pub fn encode_path(s: &str) -> String {
    encode(s).replace('+', "%20")
}

pub use tealeaf_query::hits::HitOut;

pub fn meta_line(h: &HitOut) -> Markup {
    html! {
        (h.published.as_deref().unwrap_or("undated"))
        " · " (h.outlet)
        @if let Some(l) = &h.language { " · " (l) }
    }
}

#[derive(Clone, Default, Serialize)]
pub struct Links {
    pub csv: String,
    pub jsonl: String,
    pub atom: String,
    /// The neighbouring pages, as the page itself was asked for: the
    /// twin's point to the twin.
    pub prev: Option<String>,
    pub next: Option<String>,
    /// The numbered pages around this one (`[page, link]`, the first and
    /// the last always), for the pager.
    pub pages: Vec<(usize, String)>,
}

impl Links {
    fn of(params: &SearchParams, total: usize, want: Want) -> Links {
        let path = want.path("/search");
        let size = params.size;
        let offset = (params.page - 1) * size;
        let last = total.min(MAX_OFFSET + size).div_ceil(size).max(1);
        Links {
            csv: params.link("/search.csv", 1, None),
            jsonl: params.link("/search.jsonl", 1, None),
            atom: params.link("/search.atom", 1, None),
            prev: (params.page > 1).then(|| params.link(&path, params.page - 1, None)),
            next: (offset + size < total && offset + size <= MAX_OFFSET)
                .then(|| params.link(&path, params.page + 1, None)),
            pages: crate::page::page_numbers(params.page, last)
                .into_iter()
                .map(|n| (n, params.link(&path, n, None)))
                .collect(),
        }
    }
}

#[derive(Clone, Serialize)]
pub struct SearchPage {
    pub query: String,
    pub params: SearchParams,
    pub total: usize,
    pub offset: usize,
    pub per_page: usize,
    pub took_ms: f64,
    pub hits: Vec<HitOut>,
    /// Counts over the whole result set, not only this page.
    pub facets: Facets,
    pub links: Links,
    /// True while the index lacks changes the archive holds (an ingest is
    /// running, or the server is catching up after one was killed): the
    /// newest articles may be missing from the hits.
    pub index_behind: bool,
    /// Set when the query could not be read as written: what was searched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip)]
    choices: crate::state::Choices,
}

pub async fn handler(
    State(state): State<AppState>,
    want: Want,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let params = match SearchParams::parse(&pairs) {
        Ok(p) => p,
        Err(e) => return want.error(e),
    };
    let started = Instant::now();
    // Pages are kept per address until the archive or the index changes.
    let key = params.link("/search", params.page, None);
    let page = state
        .cached(&state.search_cache, key, move |db| {
            let offset = (params.page - 1) * params.size;
            let mut hits = Vec::new();
            let (mut total, mut facets, mut note) = (0, Facets::default(), None);
            if !params.is_empty() {
                let req = params.request(params.size, offset);
                let (results, f) = db.index.search_faceted(&req)?;
                total = results.total;
                note.clone_from(&results.note);
                facets = f;
                hits = if params.collapse {
                    let collapsed =
                        tealeaf_query::collapse::search_collapsed(db.index, db.archive, &req)?;
                    tealeaf_query::hits::collapsed_hits(db.archive, &collapsed)?
                } else {
                    tealeaf_query::hits::hits(db.archive, &results)?
                };
            }
            let links = Links::default();
            Ok(SearchPage {
                query: params.q.clone(),
                total,
                offset,
                per_page: params.size,
                took_ms: 0.0,
                hits,
                facets,
                links,
                params,
                choices: Default::default(),
                index_behind: false,
                note,
            })
        })
        .await
        .map(|cached| SearchPage {
            took_ms: (started.elapsed().as_secs_f64() * 1e6).round() / 1e3,
            choices: state.choices(),
            index_behind: state.index_behind(),
            links: Links::of(&cached.params, cached.total, want),
            ..SearchPage::clone(&cached)
        });
    want.page(page)
}

impl Page for SearchPage {
    fn title(&self) -> String {
        if self.query.is_empty() {
            "Search".into()
        } else {
            format!("Search: {}", self.query)
        }
    }

    fn nav(&self) -> &'static str {
        "/search"
    }

    fn body(&self) -> Markup {
        let p = &self.params;
        html! {
            (self.form())
            @if self.index_behind {
                p.note { "The index is catching up with the archive: the newest articles may be missing from these results." }
            }
            @if let Some(note) = &self.note {
                p.note { (note) }
            }
            @if p.is_empty() {
                (syntax_help())
            } @else {
                div.layout {
                    aside aria-labelledby="facets-h" {
                        h2 #facets-h .visually-hidden { "Narrow down" }
                        (facet_list(p, "Outlet", "outlet", &self.facets.outlet))
                        (facet_list(p, "Language", "lang", &self.facets.language))
                        (facet_list(p, "Year", "year", &self.facets.year))
                        (facet_list(p, "Person", "person", &self.facets.person))
                        (facet_list(p, "Country", "country", &self.facets.country))
                    }
                    section aria-labelledby="results-h" {
                        h2 #results-h {
                            (thousands(self.total as u64)) @if self.total == 1 { " hit" } @else { " hits" }
                            @if self.total > 0 {
                                span.muted { ", " (thousands((self.offset + 1) as u64)) "–" (thousands((self.offset + self.hits.len()) as u64)) " shown" }
                            }
                        }
                        p.exports.muted {
                            "All results as "
                            a href=(self.links.csv) { "CSV" } ", "
                            a href=(self.links.jsonl) { "JSONL" } "; subscribe: "
                            a href=(self.links.atom) { "Atom feed" } "."
                        }
                        ol.hits start=(self.offset + 1) {
                            @for h in &self.hits {
                                li {
                                    a.hit-title href={ "/article/" (encode(&h.id)) } { (crate::page::hit_title(h)) }
                                    div.meta { (meta_line(h)) }
                                    p.snippet { (trusted_html(&h.snippet)) }
                                    @if let Some(n @ 1..) = h.reprints_hidden {
                                        p.muted.reprints {
                                            "+" (n) @if n == 1 { " reprint" } @else { " reprints" }
                                            " of this text left out ("
                                            a href={ "/article/" (encode(&h.id)) "#reprints" } { "see them" } ")"
                                        }
                                    }
                                }
                            }
                        }
                        (crate::page::pager(self.links.prev.as_deref(), self.links.next.as_deref(), p.page, &self.links.pages))
                    }
                }
            }
        }
    }
}

impl SearchPage {
    fn form(&self) -> Markup {
        let p = &self.params;
        let selected = |list: &[String], v: &str| list.iter().any(|x| x == v);
        html! {
            form.search action="/search" method="get" role="search" {
                div.q {
                    label for="q" { "Words, \"phrases\", OR, NOT, title:word, prefix*" }
                    input #q type="search" name="q" value=(p.q);
                }
                // Checkboxes: several outlets or languages at once (each
                // sent as its own `outlet=`/`lang=`, which the search ORs).
                fieldset.choices {
                    legend { "Outlet" }
                    @for o in &self.choices.outlets {
                        label.check {
                            input type="checkbox" name="outlet" value=(o) checked[selected(&p.outlet, o)];
                            " " (o)
                        }
                    }
                }
                fieldset.choices {
                    legend { "Language" }
                    @for l in &self.choices.languages {
                        label.check {
                            input type="checkbox" name="lang" value=(l) checked[selected(&p.lang, l)];
                            " " (l)
                        }
                    }
                }
                div {
                    label for="from" { "From" }
                    input #from type="date" name="from" value=(p.from.map(|d| d.to_string()).unwrap_or_default());
                }
                div {
                    label for="to" { "To" }
                    input #to type="date" name="to" value=(p.to.map(|d| d.to_string()).unwrap_or_default());
                }
                div {
                    label for="sort" { "Sort" }
                    select #sort name="sort" {
                        @for (v, label) in [("relevance", "relevance"), ("newest", "newest first"), ("oldest", "oldest first")] {
                            option value=(v) selected[p.sort == v] { (label) }
                        }
                    }
                }
                div.check {
                    input #collapse type="checkbox" name="collapse" value="1" checked[p.collapse];
                    label for="collapse" { "Reprints once" }
                }
                div { label for="go" { "\u{a0}" } button #go type="submit" { "Search" } }
                // People and countries come from facet and article links;
                // the form keeps them so that a new query stays narrowed.
                @for n in &p.person { input type="hidden" name="person" value=(n); }
                @for c in &p.country { input type="hidden" name="country" value=(c); }
            }
            @if !p.person.is_empty() || !p.country.is_empty() {
                p.filters {
                    "Only articles mentioning "
                    @for (i, (key, name)) in p.person.iter().map(|n| ("person", n)).chain(p.country.iter().map(|c| ("country", c))).enumerate() {
                        @if i > 0 { " and " }
                        strong { (name) }
                        " ("
                        a href=(p.without(key, name)) aria-label={ "remove " (name) } { "remove" }
                        @if key == "person" { ", " a href={ "/person/" (encode_path(name)) } { "person page" } }
                        ")"
                    }
                    "."
                }
            }
        }
    }
}

fn facet_list(
    p: &SearchParams,
    heading: &str,
    key: &str,
    counts: &[tealeaf_index::FacetCount],
) -> Markup {
    html! {
        @if !counts.is_empty() {
            h2 { (heading) }
            ul {
                @for c in counts {
                    li {
                        a href=(p.link("/search", 1, Some((key, &c.value)))) { (c.value) }
                        span.muted { (thousands(c.count)) }
                        @if key == "person" {
                            a.person-page href={ "/person/" (encode_path(&c.value)) } title={ (c.value) ": person page" } {
                                span aria-hidden="true" { "↗" }
                                span.visually-hidden { (c.value) ": person page" }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn syntax_help() -> Markup {
    html! {
        h2 { "How to search" }
        ul {
            li { "Words must all match: " code { "Kim Jong Un" } }
            li { "Exact phrases in quotes: " code { "\"overseas operations\"" } }
            li { code { "OR" } ", " code { "NOT" } " or " code { "-word" } ", in the title only: " code { "title:Russia" } ", prefixes: " code { "militar*" } }
            li { "Leave the words empty to browse by outlet, language and date." }
        }
    }
}
