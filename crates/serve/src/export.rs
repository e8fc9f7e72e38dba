//! Whole result sets as CSV and JSONL (streamed), and the newest hits as
//! an Atom feed. Rows and their writers are `tealeaf_query::export`'s, as
//! for `tealeaf export`.

use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use tealeaf_index::Sort;
use tealeaf_query::atom::{self, Entry, Feed};
use tealeaf_query::export::{
    all_hits, csv_continued, csv_writer, rows, write_csv_rows, write_jsonl_rows, ExportRow, CHUNK,
};

use crate::page::{encode, Want};
use crate::search::SearchParams;
use crate::{AppError, AppState};

/// Entries in an Atom feed.
const FEED_ENTRIES: usize = 50;

/// The CSV columns, in order, as `/search.csv` writes them.
pub use tealeaf_query::export::CSV_COLUMNS;

#[derive(Clone, Copy)]
enum Format {
    Csv,
    Jsonl,
}

pub async fn csv_handler(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    stream(state, pairs, Format::Csv).await
}

pub async fn jsonl_handler(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    stream(state, pairs, Format::Jsonl).await
}

/// Streams every hit: the search runs first (a bad query is still a 400),
/// then rows go out a chunk at a time while the client reads; a client
/// that goes away stops the work.
async fn stream(state: AppState, pairs: Vec<(String, String)>, format: Format) -> Response {
    // Errors of an export go out as JSON: its clients are programs.
    let want = Want::Json;
    let params = match SearchParams::parse(&pairs) {
        Ok(p) => p,
        Err(e) => return want.error(e),
    };
    let permit = match state.exports.clone().acquire_owned().await {
        Ok(p) => p,
        Err(_) => return want.error(AppError::Internal("shutting down".into())),
    };
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(8);
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel::<Result<usize, AppError>>();
    let worker = state.clone();
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let archive = match worker.checkout() {
            Ok(a) => a,
            Err(e) => {
                let _ = ready_tx.send(Err(e));
                return;
            }
        };
        let hits = match all_hits(&worker.index, &params.request(0, 0)) {
            Ok(h) => h,
            Err(e) => {
                let _ = ready_tx.send(Err(e.into()));
                worker.checkin(archive);
                return;
            }
        };
        if ready_tx.send(Ok(hits.len())).is_err() {
            worker.checkin(archive);
            return;
        }
        let mut first = true;
        for chunk in hits.chunks(CHUNK) {
            let bytes = rows(&archive, chunk)
                .map_err(|e| std::io::Error::other(e.to_string()))
                .and_then(|rows| {
                    let mut buf = Vec::with_capacity(rows.len() * 2048);
                    match format {
                        Format::Jsonl => write_jsonl_rows(&mut buf, &rows)?,
                        Format::Csv => {
                            let mut w = if first {
                                csv_writer(&mut buf)?
                            } else {
                                csv_continued(&mut buf)
                            };
                            write_csv_rows(&mut w, &rows)?;
                            w.flush()?;
                        }
                    }
                    Ok(Bytes::from(buf))
                });
            first = false;
            let failed = bytes.is_err();
            if tx.blocking_send(bytes).is_err() || failed {
                break;
            }
        }
        if first {
            // No hits: a CSV still gets its header row.
            if let Format::Csv = format {
                let mut buf = Vec::new();
                if let Ok(mut w) = csv_writer(&mut buf) {
                    let _ = w.flush();
                }
                drop(tx.blocking_send(Ok(Bytes::from(buf))));
            }
        }
        worker.checkin(archive);
    });
    let total = match ready_rx.await {
        Ok(Ok(total)) => total,
        Ok(Err(e)) => return want.error(e),
        Err(_) => return want.error(AppError::Internal("export worker failed".into())),
    };
    let body = Body::from_stream(futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    }));
    let (content_type, ext) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "csv"),
        Format::Jsonl => ("application/x-ndjson; charset=utf-8", "jsonl"),
    };
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"tealeaf-search.{ext}\""),
            ),
            (
                header::HeaderName::from_static("x-total-count"),
                total.to_string(),
            ),
        ],
        body,
    )
        .into_response()
}

/// `/search.atom`: the newest hits of a saved search.
pub async fn atom_handler(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let want = Want::Json;
    let params = match SearchParams::parse(&pairs) {
        Ok(p) => p,
        Err(e) => return want.error(e),
    };
    let feed = state
        .read(move |db| {
            let mut req = params.request(FEED_ENTRIES, 0);
            // A feed is newest first whatever the page's sort.
            req.sort = Sort::Newest;
            let results = db.index.search(&req)?;
            let rows = rows(db.archive, &results.hits)?;
            Ok(atom(&params, &rows))
        })
        .await;
    match feed {
        Ok(xml) => (
            [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
            xml,
        )
            .into_response(),
        Err(e) => want.error(e),
    }
}

fn atom(params: &SearchParams, rows: &[ExportRow]) -> String {
    let page_link = params.link("/search", 1, None);
    let updated = rows
        .iter()
        .find_map(|r| atom::day(r.published.as_deref()))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let entries = rows
        .iter()
        .map(|r| {
            let when = atom::day(r.published.as_deref()).unwrap_or_else(|| updated.clone());
            let summary: String = r
                .paragraphs
                .first()
                .map(|p| p.chars().take(300).collect())
                .unwrap_or_default();
            let id = encode(&r.id);
            Entry {
                title: r.title.clone(),
                id: format!("urn:tealeaf:article:{id}"),
                link: format!("/article/{id}"),
                published: Some(when.clone()),
                updated: when,
                category: r.outlet.clone(),
                summary: (!summary.is_empty()).then_some(summary),
            }
        })
        .collect();
    Feed {
        title: if params.q.is_empty() {
            "tealeaf: latest articles".to_string()
        } else {
            format!("tealeaf: {}", params.q)
        },
        id: atom::feed_id("search", &page_link),
        updated,
        self_link: params.link("/search.atom", 1, None),
        html_link: page_link,
        entries,
    }
    .to_xml()
}
