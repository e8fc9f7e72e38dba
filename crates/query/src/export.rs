//! Whole result sets as rows: every hit of a search, in order, with its
//! text, written as CSV, JSONL or Parquet (`tealeaf export` and the
//! server's `/search.csv`, `/search.jsonl`).

use std::io::Write;

use serde::Serialize;
use tealeaf_archive::{ArchiveError, ArchiveReader};
use tealeaf_index::{Hit, IndexError, SearchIndex, SearchRequest};

pub use crate::parquet_writer::ParquetWriter;

/// Articles fetched from the archive per step of an export.
pub const CHUNK: usize = 256;

/// One exported article (a line of JSONL, a row of CSV).
#[derive(Debug, Clone, Serialize)]
pub struct ExportRow {
    pub id: String,
    pub outlet: String,
    pub published: Option<String>,
    pub language: Option<String>,
    pub title: String,
    pub paragraphs: Vec<String>,
    /// 0 when sorted by date.
    pub score: f32,
}

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 7] = [
    "id",
    "outlet",
    "published",
    "language",
    "title",
    "body",
    "score",
];

/// Every hit of `req` in its order (`limit`/`offset` ignored).
pub fn all_hits(index: &SearchIndex, req: &SearchRequest) -> Result<Vec<Hit>, IndexError> {
    Ok(index.search_all(req)?.hits)
}

/// The rows of `hits`, in their order (ids no longer in the archive are
/// skipped).
pub fn rows(archive: &ArchiveReader, hits: &[Hit]) -> Result<Vec<ExportRow>, ArchiveError> {
    let ids: Vec<String> = hits.iter().map(|h| h.id.clone()).collect();
    let mut summaries = archive.summaries(&ids)?;
    Ok(hits
        .iter()
        .filter_map(|h| {
            summaries.remove(&h.id).map(|s| ExportRow {
                id: s.id,
                outlet: s.outlet,
                published: s.published,
                language: s.language,
                title: s.title,
                paragraphs: s.paragraphs,
                score: h.score,
            })
        })
        .collect())
}

/// A CSV writer with the header row written.
pub fn csv_writer<W: Write>(out: W) -> csv::Result<csv::Writer<W>> {
    let mut w = csv_continued(out);
    w.write_record(CSV_COLUMNS)?;
    Ok(w)
}

/// A CSV writer for rows that follow a header written earlier (a stream
/// written a piece at a time).
pub fn csv_continued<W: Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(out)
}

/// Paragraphs are joined by a blank line in the `body` column.
pub fn write_csv_rows<W: Write>(w: &mut csv::Writer<W>, rows: &[ExportRow]) -> csv::Result<()> {
    for r in rows {
        w.write_record([
            r.id.as_str(),
            r.outlet.as_str(),
            r.published.as_deref().unwrap_or(""),
            r.language.as_deref().unwrap_or(""),
            r.title.as_str(),
            r.paragraphs.join("\n\n").as_str(),
            r.score.to_string().as_str(),
        ])?;
    }
    Ok(())
}

pub fn write_jsonl_rows<W: Write>(mut out: W, rows: &[ExportRow]) -> std::io::Result<()> {
    for r in rows {
        serde_json::to_writer(&mut out, r)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
