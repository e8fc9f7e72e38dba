//! `POST /api/ingest`: a JSONL or CSV body in tealeaf's capture format
//! (docs/capture-format.md) through the ingest pipeline. Needs the token.

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use futures_util::StreamExt;
use tealeaf_read::{BytesSource, FieldMap, Format, ReadOptions, Source};

use crate::page::{json, Want};
use crate::{AppError, AppState};

/// How uploads are named in the summary's errors (never a server path).
const UPLOAD: &str = "upload";

pub async fn handler(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(pairs): Query<Vec<(String, String)>>,
    body: Body,
) -> Response {
    let want = Want::Json;
    if !state.writable() {
        return want.error(AppError::Unauthorized(
            "this server is read-only: start it with --token (or TEALEAF_TOKEN) to accept ingests"
                .into(),
        ));
    }
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !state.token_matches(presented.trim()) {
        return want.error(AppError::Unauthorized(
            "a valid token is required: `Authorization: Bearer TOKEN`".into(),
        ));
    }
    let opts = match options(&headers, &pairs) {
        Ok(o) => o,
        Err(e) => return want.error(e),
    };

    // The whole body is received before anything is stored: one cut short
    // or over the size limit stores nothing.
    let bytes = match receive(body).await {
        Ok(bytes) => bytes,
        Err(response) => return response,
    };

    // One ingest at a time; readers go on meanwhile (SQLite WAL).
    let _guard = state.ingest_lock.lock().await;
    let worker = state.clone();
    let result = tokio::task::spawn_blocking(move || {
        let upload: Box<dyn Source> = Box::new(BytesSource::new(UPLOAD, bytes, opts));
        let summary = tealeaf_pipeline::ingest(&worker.data, vec![upload], 4000, &|_, _| {});
        // Searches see the new commit from now on.
        let reloaded = worker.index.reload();
        worker.index_reloaded();
        let _ = worker.refresh_choices();
        summary.map(|s| (s, reloaded))
    })
    .await;
    match result {
        Ok(Ok((summary, reloaded))) => {
            if let Err(e) = reloaded {
                eprintln!("error: reloading the index after an ingest: {e}");
            }
            json(StatusCode::OK, &summary)
        }
        Ok(Err(tealeaf_pipeline::PipelineError::Index {
            cause: tealeaf_index::IndexError::Locked,
            ..
        })) => want.error(AppError::Busy(
            "another tealeaf process is writing to this data directory; try again later".into(),
        )),
        Ok(Err(e)) => want.error(AppError::Internal(format!("ingest: {e}"))),
        Err(e) => want.error(AppError::Internal(format!("ingest worker: {e}"))),
    }
}

/// Format from `?format=` or the Content-Type (JSONL by default; `text/csv`,
/// `text/tab-separated-values`, `text/html`, `application/warc`), plus
/// `?outlet=` and `?map=` as on the command line.
fn options(headers: &HeaderMap, pairs: &[(String, String)]) -> Result<ReadOptions, AppError> {
    let mut opts = ReadOptions::default();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    opts.format = Some(if content_type.starts_with("text/csv") {
        Format::Csv
    } else if content_type.starts_with("text/tab-separated-values") {
        Format::Tsv
    } else if content_type.starts_with("text/html") {
        Format::Html
    } else if content_type.starts_with("application/warc") {
        Format::Warc
    } else {
        Format::Jsonl
    });
    for (k, v) in pairs {
        match k.as_str() {
            "format" => {
                let f: Format = v.parse().map_err(AppError::BadRequest)?;
                if f == Format::Page {
                    return Err(AppError::BadRequest(
                        "the API takes JSONL, CSV, TSV, HTML or WARC, not text pages".into(),
                    ));
                }
                opts.format = Some(f);
            }
            "outlet" => {
                if !tealeaf_model::outlet::valid_slug(v) {
                    return Err(AppError::BadRequest(format!(
                        "`outlet` `{v}` is not a slug (lowercase letters, digits, - and _)"
                    )));
                }
                opts.outlet = Some(v.clone());
            }
            "map" => opts
                .map
                .extend(FieldMap::parse(v).map_err(AppError::BadRequest)?)
                .map_err(AppError::BadRequest)?,
            _ => {}
        }
    }
    Ok(opts)
}

/// The request body; an error response when it cannot be had (too large,
/// broken connection).
async fn receive(body: Body) -> Result<Vec<u8>, Response> {
    let want = Want::Json;
    let mut bytes = Vec::new();
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| {
            if is_too_large(&e) {
                too_large()
            } else {
                want.error(AppError::BadRequest(format!("reading the body: {e}")))
            }
        })?;
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

fn is_too_large(e: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if s.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = s.source();
    }
    false
}

fn too_large() -> Response {
    json(
        StatusCode::PAYLOAD_TOO_LARGE,
        &serde_json::json!({"error": "the request body is larger than the server accepts", "status": 413}),
    )
}
