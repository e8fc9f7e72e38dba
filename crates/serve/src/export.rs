//! Whole result sets as CSV and JSONL (streamed), and the newest hits as
//! an Atom feed. Rows and their writers are `tealeaf_query::export`'s, as
//! for `tealeaf export`.
//!
//! A streamed export holds nothing shared while it waits on its client:
//! each step (the search, then [`STEP`] articles at a time) takes a worker
//! and an archive connection like any page and gives them back before its
//! bytes are sent. A client that stops reading thus stalls only its own
//! export, until the connection's write timeout closes it (`conn`).

use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use tealeaf_index::{Hit, Sort};
use tealeaf_query::atom::{self, Entry, Feed};
use tealeaf_query::export::{
    all_hits, csv_continued, csv_writer, rows, write_csv_rows, write_jsonl_rows, CsvCells,
    ExportRow,
};
use tokio::sync::mpsc;

use crate::page::{encode, BaseUrl, Want};
use crate::search::SearchParams;
use crate::{AppError, AppState};

/// Entries in an Atom feed.
const FEED_ENTRIES: usize = 50;

/// Articles read and encoded per step of a streamed export. Small, so that
/// a client that stops reading pins little memory (a step waiting to be
/// sent, one in the channel), and so that pages waiting for a worker get
/// one between steps.
const STEP: usize = 64;

/// The CSV columns, in order, as `/search.csv` writes them.
pub use tealeaf_query::export::CSV_COLUMNS;

#[derive(Clone, Copy)]
enum Format {
    Csv(CsvCells),
    Jsonl,
}

/// `/search.csv`: cells a spreadsheet would read as formulas are
/// neutralised unless `raw=1`.
pub async fn csv_handler(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    match csv_cells(&pairs) {
        Ok(cells) => stream(state, pairs, Format::Csv(cells)).await,
        Err(e) => Want::Json.error(e),
    }
}

pub async fn jsonl_handler(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    stream(state, pairs, Format::Jsonl).await
}

/// `raw`: `1`/`true`/`yes` writes cells as stored; absent, empty,
/// `0`/`false`/`no` neutralises them; anything else is a 400 (a typo must
/// not silently give the other kind of file).
pub(crate) fn csv_cells(pairs: &[(String, String)]) -> Result<CsvCells, AppError> {
    let mut cells = CsvCells::default();
    for (k, v) in pairs.iter().filter(|(k, _)| k == "raw") {
        cells = match v.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" => CsvCells::Raw,
            "" | "0" | "false" | "no" => CsvCells::Neutralised,
            _ => {
                return Err(AppError::BadRequest(format!(
                    "`{k}` must be 1 or 0, not `{v}`"
                )))
            }
        };
    }
    Ok(cells)
}

/// Streams every hit: the search runs first (a bad query is still a 400),
/// then rows go out a step at a time while the client reads; a client
/// that goes away stops the work.
async fn stream(state: AppState, pairs: Vec<(String, String)>, format: Format) -> Response {
    // Errors of an export go out as JSON: its clients are programs.
    let want = Want::Json;
    let params = match SearchParams::parse(&pairs) {
        Ok(p) => p,
        Err(e) => return want.error(e),
    };
    let request = params.request(0, 0);
    let hits = match state
        .read(move |db| Ok(all_hits(db.index, &request)?))
        .await
    {
        Ok(hits) => hits,
        Err(e) => return want.error(e),
    };
    let total = hits.len();
    // One step waits here while the next is read: reading ahead further
    // would only hold more memory for a client that is slower than us.
    let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(1);
    tokio::spawn(produce(state, hits, format, tx));
    let body = Body::from_stream(futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    }));
    let (content_type, ext) = match format {
        Format::Csv(_) => ("text/csv; charset=utf-8", "csv"),
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

/// Reads and encodes the rows of `hits` a step at a time and sends them to
/// the response body. A failed step is sent as an error, which makes hyper
/// abort the response (the client sees a cut connection, never a shorter
/// file that looks whole); a closed channel (the client went away, or its
/// connection timed out) ends the work.
async fn produce(
    state: AppState,
    hits: Vec<Hit>,
    format: Format,
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
) {
    if let Format::Csv(_) = format {
        // The header row goes out first, whether or not anything matched.
        let mut buf = Vec::new();
        let head = csv_writer(&mut buf)
            .map_err(std::io::Error::from)
            .and_then(|mut w| w.flush());
        let piece = head.map(|()| Bytes::from(buf));
        if tx.send(piece).await.is_err() {
            return;
        }
    }
    let mut rest = hits.into_iter();
    loop {
        let step: Vec<Hit> = rest.by_ref().take(STEP).collect();
        if step.is_empty() {
            return;
        }
        let piece = state
            .read(move |db| {
                let rows = rows(db.archive, &step)?;
                encode_rows(format, &rows).map_err(|e| AppError::Internal(e.to_string()))
            })
            .await
            .map_err(|e| std::io::Error::other(e.to_string()));
        let failed = piece.is_err();
        if tx.send(piece).await.is_err() || failed {
            return;
        }
    }
}

fn encode_rows(format: Format, rows: &[ExportRow]) -> Result<Bytes, std::io::Error> {
    let mut buf = Vec::with_capacity(rows.len() * 2048);
    match format {
        Format::Jsonl => write_jsonl_rows(&mut buf, rows)?,
        Format::Csv(cells) => {
            let mut w = csv_continued(&mut buf);
            write_csv_rows(&mut w, rows, cells)?;
            w.flush()?;
        }
    }
    Ok(Bytes::from(buf))
}

/// A whole CSV file as an attachment named `name`, with
/// `X-Total-Count` when the rows are counted.
pub(crate) fn csv_response(name: &str, total: Option<usize>, body: Vec<u8>) -> Response {
    let mut resp = (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response();
    if let Some(total) = total {
        resp.headers_mut().insert(
            header::HeaderName::from_static("x-total-count"),
            header::HeaderValue::from(total),
        );
    }
    resp
}

/// `/search.atom`: the newest hits of a saved search.
pub async fn atom_handler(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
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
            Ok(atom(&params, &rows, &base))
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

fn atom(params: &SearchParams, rows: &[ExportRow], base: &str) -> String {
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
        base: base.to_string(),
    }
    .to_xml()
}
