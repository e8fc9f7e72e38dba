//! Pages and their JSON twins: the [`Page`] trait, the [`Want`] extractor
//! that picks HTML or JSON, the layout, errors, and the stylesheet.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use axum::Router;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use serde::Serialize;

use crate::AppState;

/// The menu: (path, label). Pages of later issues add themselves here.
pub const NAV: &[(&str, &str)] = &[
    ("/", "Home"),
    ("/search", "Search"),
    ("/changes", "Changes"),
    ("/people", "People"),
    ("/trends", "Trends"),
    ("/crawl", "Crawl"),
];

const STYLE: &str = include_str!("style.css");

/// A page: its data is the JSON twin (`Serialize`), `body` the HTML.
pub trait Page: Serialize {
    /// The `<title>` and the page's `<h1>`.
    fn title(&self) -> String;
    /// The HTML inside `<main>`, below the `<h1>`.
    fn body(&self) -> Markup;
    /// Which [`NAV`] entry is this page's (its path).
    fn nav(&self) -> &'static str {
        ""
    }
}

/// What the client asked for: the page or its JSON twin (a `.json` suffix
/// on the path, or `Accept: application/json` ahead of `text/html`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    Html,
    Json,
}

impl<S: Send + Sync> FromRequestParts<S> for Want {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        if parts.uri.path().ends_with(".json") {
            return Ok(Want::Json);
        }
        let accept = parts
            .headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        Ok(
            match (accept.find("application/json"), accept.find("text/html")) {
                (Some(j), Some(h)) if j < h => Want::Json,
                (Some(_), None) => Want::Json,
                _ => Want::Html,
            },
        )
    }
}

/// Where the client reached this server (`http://host:port`), for the
/// absolute links feeds need: `--public-url` when given, else the
/// request's `Host` when it is a plain `host[:port]`, else empty (links
/// stay relative).
pub struct BaseUrl(pub String);

impl FromRequestParts<AppState> for BaseUrl {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(url) = state.public_url() {
            return Ok(BaseUrl(url.trim_end_matches('/').to_string()));
        }
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|h| {
                !h.is_empty()
                    && h.len() <= 255
                    && h.chars().all(|c| {
                        c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']')
                    })
            });
        Ok(BaseUrl(
            host.map(|h| format!("http://{h}")).unwrap_or_default(),
        ))
    }
}

impl Want {
    /// The path of a page as this request wants it: `/search` or, for
    /// the twin, `/search.json`, so that a twin's links lead to twins.
    pub fn path(self, page: &str) -> String {
        match self {
            Want::Html => page.to_string(),
            Want::Json if page == "/" => "/index.json".to_string(),
            Want::Json => format!("{page}.json"),
        }
    }

    /// The answer to a page request: the page in the wanted form, or the
    /// error in the wanted form.
    pub fn page<P: Page>(self, page: Result<P, AppError>) -> Response {
        let mut resp = match page {
            Err(e) => self.error(e),
            Ok(p) => match self {
                Want::Json => json(StatusCode::OK, &p),
                Want::Html => html_response(
                    StatusCode::OK,
                    layout(&p.title(), p.nav(), html! { h1 { (p.title()) } (p.body()) }),
                ),
            },
        };
        // One URL, two representations: caches must key on Accept.
        resp.headers_mut()
            .insert(header::VARY, HeaderValue::from_static("Accept"));
        resp
    }

    pub fn error(self, e: AppError) -> Response {
        let status = e.status();
        if status.is_server_error() {
            eprintln!("error: {e}");
        }
        let message = e.public_message();
        let mut resp = match self {
            Want::Json => json(
                status,
                &serde_json::json!({"error": message, "status": status.as_u16()}),
            ),
            Want::Html => {
                let title = status.canonical_reason().unwrap_or("Error");
                html_response(
                    status,
                    layout(
                        title,
                        "",
                        html! {
                            h1 { (title) }
                            p.error { (message) }
                            @if let AppError::BadRequest(_) = e {
                                p { "See " a href="/search" { "the search page" } " for the query syntax." }
                            }
                        },
                    ),
                )
            }
        };
        resp.headers_mut()
            .insert(header::VARY, HeaderValue::from_static("Accept"));
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        resp
    }
}

/// Registers `path` and its JSON twin `path.json` (`/index.json` for `/`)
/// on the same handler. A path ending in a parameter (`/article/{id}`)
/// gets its `.json` inside the parameter: strip it with [`strip_json`].
pub fn twin(
    router: Router<AppState>,
    path: &str,
    route: MethodRouter<AppState>,
) -> Router<AppState> {
    let router = router.route(path, route.clone());
    if path.ends_with('}') {
        return router;
    }
    let json_path = if path == "/" {
        "/index.json".to_string()
    } else {
        format!("{path}.json")
    };
    router.route(&json_path, route)
}

/// `abc.json` → `abc`: the id in a JSON twin's path.
pub fn strip_json(param: &str) -> &str {
    param.strip_suffix(".json").unwrap_or(param)
}

pub fn json<T: Serialize + ?Sized>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => (
            status,
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            body,
        )
            .into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

fn html_response(status: StatusCode, markup: Markup) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        markup.into_string(),
    )
        .into_response()
}

/// The frame of every page: header with the menu, `<main>`, footer.
pub fn layout(title: &str, current: &str, main: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · tealeaf" }
                link rel="stylesheet" href="/static/style.css";
            }
            body {
                header {
                    a.brand href="/" { "tealeaf" }
                    nav aria-label="Main" {
                        ul {
                            @for (path, label) in NAV {
                                li {
                                    @if *path == current {
                                        a href=(path) aria-current="page" { (label) }
                                    } @else {
                                        a href=(path) { (label) }
                                    }
                                }
                            }
                        }
                    }
                }
                main { (main) }
                footer {
                    p { "Every page has a JSON twin: add " code { ".json" } " to its path." }
                }
            }
        }
    }
}

/// Already escaped HTML (e.g. `tealeaf_query::snippet::to_html`), passed
/// through as is.
pub fn trusted_html(s: &str) -> PreEscaped<&str> {
    PreEscaped(s)
}

pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLE,
    )
        .into_response()
}

pub async fn not_found(want: Want) -> Response {
    want.error(AppError::NotFound("no such page".into()))
}

/// Errors a request can end in; each has a status and a message that is
/// safe to show (internal details go to the log only).
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Unauthorized(String),
    /// Someone else holds what is needed (e.g. the index writer lock).
    #[error("{0}")]
    Busy(String),
    #[error("{0}")]
    Internal(String),
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn public_message(&self) -> String {
        match self {
            AppError::Internal(_) => "the server failed to answer; the error is in its log".into(),
            e => e.to_string(),
        }
    }
}

impl From<tealeaf_archive::ArchiveError> for AppError {
    fn from(e: tealeaf_archive::ArchiveError) -> Self {
        match e {
            tealeaf_archive::ArchiveError::NotFound(id) => {
                AppError::NotFound(format!("no article `{id}`"))
            }
            e => AppError::Internal(e.to_string()),
        }
    }
}

impl From<tealeaf_index::IndexError> for AppError {
    fn from(e: tealeaf_index::IndexError) -> Self {
        match e {
            e @ tealeaf_index::IndexError::BadQuery { .. } => AppError::BadRequest(e.to_string()),
            e => AppError::Internal(e.to_string()),
        }
    }
}

impl From<tealeaf_query::QueryError> for AppError {
    fn from(e: tealeaf_query::QueryError) -> Self {
        match e {
            tealeaf_query::QueryError::Archive(e) => e.into(),
            tealeaf_query::QueryError::Index(e) => e.into(),
        }
    }
}

/// Percent-encodes a query-string value.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A query string from pairs, skipping empty values.
pub fn query_string(pairs: &[(&str, String)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// A link is shown as a link only when it is http(s); anything else
/// (`javascript:`, `data:`) is shown as text.
pub fn safe_href(url: &str) -> Option<&str> {
    let lower = url.trim_start().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then_some(url)
}

/// A hit's link text: its title, or for an untitled article its first
/// words, marked as not the outlet's title.
pub fn hit_title(h: &tealeaf_query::hits::HitOut) -> Markup {
    html! {
        @if h.untitled {
            span.untitled { (h.display_title) } span.muted { " (untitled)" }
        } @else {
            (h.title)
        }
    }
}

/// The first words of the untitled articles of a list built from
/// analysis or change rows (which carry titles, not text), by id.
#[derive(Debug, Clone, Default)]
pub struct FirstWords(std::collections::HashMap<String, String>);

impl FirstWords {
    /// Reads the text of those of `rows` (`(id, title)`) that have no
    /// title; the others need nothing.
    pub fn of<'a>(
        archive: &tealeaf_archive::ArchiveReader,
        rows: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<FirstWords, AppError> {
        let ids: Vec<String> = rows
            .into_iter()
            .filter(|(_, title)| tealeaf_model::text::is_untitled(title))
            .map(|(id, _)| id.to_string())
            .collect();
        if ids.is_empty() {
            return Ok(FirstWords::default());
        }
        let summaries = archive.summaries(&ids)?;
        Ok(FirstWords(
            summaries
                .into_iter()
                .map(|(id, s)| {
                    let words = tealeaf_model::text::display_title(&s.title, &s.paragraphs);
                    (id, words)
                })
                .collect(),
        ))
    }
}

/// Link text for an article known by its title and id: the title, or for
/// an untitled article its first words marked as such (its id when it has
/// no text either).
pub fn title_or_id(title: &str, id: &str, first_words: &FirstWords) -> Markup {
    html! {
        @if !tealeaf_model::text::is_untitled(title) {
            (title)
        } @else if let Some(words) = first_words.0.get(id).filter(|w| !w.is_empty()) {
            span.untitled { (words) } span.muted { " (untitled)" }
        } @else {
            span.muted { "(untitled) " } code { (id) }
        }
    }
}

/// `12345` as `12,345`: counts are read at a glance.
pub fn thousands(n: impl Into<u64>) -> String {
    let digits = n.into().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The page numbers a pager shows: the first, the last, and two on each
/// side of `current`.
pub fn page_numbers(current: usize, last: usize) -> Vec<usize> {
    let mut n: Vec<usize> = [1, last]
        .into_iter()
        .chain(current.saturating_sub(2).max(1)..=(current + 2).min(last))
        .filter(|n| (1..=last).contains(n))
        .collect();
    n.sort_unstable();
    n.dedup();
    n
}

/// A pager: previous, the numbered pages (a gap where numbers are left
/// out), next. Nothing when everything fits on one page.
pub fn pager(
    prev: Option<&str>,
    next: Option<&str>,
    current: usize,
    pages: &[(usize, String)],
) -> Markup {
    html! {
        @if pages.len() > 1 {
            nav.pager.numbered aria-label="Pages" {
                @if let Some(prev) = prev { a href=(prev) rel="prev" { "← Previous" } } @else { span {} }
                ol.pages {
                    @for (i, (n, link)) in pages.iter().enumerate() {
                        @if i > 0 && pages[i - 1].0 + 1 < *n { li.gap aria-hidden="true" { "…" } }
                        li {
                            @if *n == current {
                                a href=(link) aria-current="page" { (thousands(*n as u64)) }
                            } @else {
                                a href=(link) { (thousands(*n as u64)) }
                            }
                        }
                    }
                }
                @if let Some(next) = next { a href=(next) rel="next" { "Next →" } } @else { span {} }
            }
        }
    }
}

/// Said on the pages that show the analysis (home, person) while the
/// archive's analyses were made with other rules than this tealeaf's.
pub const STALE_ANALYSIS: &str =
    "Some articles were analysed with other rules than this tealeaf's \
(an earlier tealeaf, or other gazetteers): their people, titles and events are the old rules' \
until `tealeaf reanalyze` is run.";

#[cfg(test)]
mod numbers_tests {
    use super::{page_numbers, thousands};

    #[test]
    fn thousands_and_page_numbers() {
        assert_eq!(thousands(0u64), "0");
        assert_eq!(thousands(999u64), "999");
        assert_eq!(thousands(1000u64), "1,000");
        assert_eq!(thousands(13_848u64), "13,848");
        assert_eq!(thousands(1_234_567u64), "1,234,567");
        assert_eq!(page_numbers(1, 1), [1]);
        assert_eq!(page_numbers(1, 10), [1, 2, 3, 10]);
        assert_eq!(page_numbers(6, 10), [1, 4, 5, 6, 7, 8, 10]);
        assert_eq!(page_numbers(10, 10), [1, 8, 9, 10]);
    }
}
