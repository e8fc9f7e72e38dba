//! Answers to the questions readers ask of the archive, as plain data for
//! every front end (the CLI and the server build on the same answers).
//!
//! Owns: search hits as shown (metadata, title, the highlighted snippet
//! rendered as HTML), trends per [`Period`](tealeaf_model::Period) and
//! their charts, whole result sets as export rows with their CSV, JSONL
//! and Parquet writers, what changed between versions of an article
//! (aligned paragraphs, word diffs), and Atom feeds.
//!
//! It is given an open archive and index: the data directory, and keeping
//! the index caught up, are the pipeline's.
//!
//! Must not touch: SQL or tantivy internals (it asks the archive and index
//! crates), HTTP, or the terminal (callers render and print).

pub mod atom;
pub mod chart;
pub mod collapse;
pub mod export;
pub mod hits;
mod parquet_writer;
pub mod snippet;
pub mod trend;
pub mod versions;

use tealeaf_archive::ArchiveError;
use tealeaf_index::IndexError;

/// What a question can fail on: the archive or the index. Messages are
/// the causes' own, so that callers can say which file they read.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("{0}")]
    Archive(ArchiveError),
    #[error("{0}")]
    Index(IndexError),
}

impl From<ArchiveError> for QueryError {
    fn from(e: ArchiveError) -> Self {
        QueryError::Archive(e)
    }
}

impl From<IndexError> for QueryError {
    fn from(e: IndexError) -> Self {
        QueryError::Index(e)
    }
}

pub type Result<T> = std::result::Result<T, QueryError>;
