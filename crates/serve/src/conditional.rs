//! Conditional GETs for pages, twins and feeds: an `ETag` (a hash of the
//! body) and a `Last-Modified` (when this server first saw the archive as
//! it is now), answered with 304 Not Modified when the client already has
//! them, so feed readers and scripts that poll cost a hash, not a
//! download.
//!
//! Owns: those two headers and the 304. Must not touch: what a page holds;
//! streamed exports (CSV, JSONL) pass through untouched, unbuffered.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

use crate::AppState;

/// Larger bodies are sent without an `ETag` rather than held twice.
const MAX_HASHED: usize = 16 * 1024 * 1024;

pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    let asked = req.headers().clone();
    // What `/crawl` shows depends on the clock (urls due now), not only
    // on the archive: it gets an ETag but no date.
    let dated = !req.uri().path().starts_with("/crawl");
    // Read before the page is computed: a commit landing meanwhile makes
    // the date later than the page, never earlier.
    let modified = if dated { state.last_modified() } else { None };
    let resp = next.run(req).await;
    if resp.status() != StatusCode::OK || !whole_page(resp.headers()) {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_HASHED).await else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the page could not be read",
        )
            .into_response();
    };
    let etag = format!("\"{}\"", &blake3::hash(&bytes).to_hex()[..32]);
    let modified = modified.map(|t| {
        DateTime::<Utc>::from(t)
            .format("%a, %d %b %Y %H:%M:%S GMT")
            .to_string()
    });
    if let Ok(v) = HeaderValue::from_str(&etag) {
        parts.headers.insert(header::ETAG, v);
    }
    if let Some(v) = modified
        .as_deref()
        .and_then(|m| HeaderValue::from_str(m).ok())
    {
        parts.headers.insert(header::LAST_MODIFIED, v);
    }
    if not_modified(&asked, &etag, modified.as_deref()) {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        parts.headers.remove(header::CONTENT_TYPE);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Pages, twins, feeds and the stylesheet: bodies built whole in memory.
fn whole_page(headers: &HeaderMap) -> bool {
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    [
        "text/html",
        "application/json",
        "application/atom+xml",
        "text/css",
    ]
    .iter()
    .any(|k| kind.starts_with(k))
}

/// RFC 9110 §13.1: `If-None-Match` when given decides alone; otherwise
/// `If-Modified-Since` at or after the page's date.
fn not_modified(asked: &HeaderMap, etag: &str, modified: Option<&str>) -> bool {
    if let Some(tags) = asked
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    {
        return tags
            .split(',')
            .map(str::trim)
            .any(|t| t == "*" || t == etag || t.strip_prefix("W/") == Some(etag));
    }
    let since = asked
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| DateTime::parse_from_rfc2822(v).ok());
    match (
        since,
        modified.and_then(|m| DateTime::parse_from_rfc2822(m).ok()),
    ) {
        (Some(since), Some(modified)) => modified <= since,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_decides_before_the_date() {
        let etag = "\"abc\"";
        let date = "Mon, 07 Dec 2026 04:00:00 GMT";
        let headers = |pairs: &[(header::HeaderName, &str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.insert(k.clone(), HeaderValue::from_str(v).expect("header"));
            }
            h
        };
        assert!(not_modified(
            &headers(&[(header::IF_NONE_MATCH, "\"abc\"")]),
            etag,
            Some(date)
        ));
        assert!(not_modified(
            &headers(&[(header::IF_NONE_MATCH, "\"x\", W/\"abc\"")]),
            etag,
            None
        ));
        // A different tag: modified, whatever the date says.
        assert!(!not_modified(
            &headers(&[
                (header::IF_NONE_MATCH, "\"x\""),
                (header::IF_MODIFIED_SINCE, date)
            ]),
            etag,
            Some(date)
        ));
        assert!(not_modified(
            &headers(&[(header::IF_MODIFIED_SINCE, date)]),
            etag,
            Some(date)
        ));
        assert!(!not_modified(
            &headers(&[(header::IF_MODIFIED_SINCE, "Mon, 07 Dec 2026 03:59:59 GMT")]),
            etag,
            Some(date)
        ));
        assert!(!not_modified(
            &headers(&[(header::IF_MODIFIED_SINCE, date)]),
            etag,
            None
        ));
        assert!(!not_modified(&HeaderMap::new(), etag, Some(date)));
    }
}
