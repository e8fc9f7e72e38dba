//! What the writer remembers of the stored state, to spare lookups on the
//! common path of an ingest: the state of articles it stored or looked up,
//! contents it knows stored, re-captures waiting to extend last versions,
//! and the digests of analysis rows it wrote.
//!
//! Must not touch: any decision (that is [`crate::decide`]); it only
//! caches, and forgets everything when another connection has written.

use std::collections::HashMap;

use crate::decide::ArticleState;
use crate::{ArchiveWriter, Result};

/// What the archive writer knows without asking SQLite: the state of
/// articles it stored or looked up, and content hashes it knows stored.
/// Bounded; forgotten when another connection writes.
#[derive(Debug, Default)]
pub(crate) struct Known {
    pub(crate) articles: HashMap<String, ArticleState>,
    /// Re-captures that extend an article's last version, not yet written.
    pub(crate) extensions: HashMap<String, Extension>,
    /// Articles this connection created and nobody has analysed yet.
    pub(crate) unanalysed_new: foldhash::HashSet<String>,
    /// Digest of the analysis rows this connection wrote (or has waiting)
    /// for an article, and the seq they are stored under.
    pub(crate) analysis_prints: foldhash::HashMap<String, ([u8; 16], i64)>,
    pub(crate) contents: std::collections::HashSet<u128>,
    data_version: Option<i64>,
}

/// Re-captures of an article's current content, to add to its last
/// version.
#[derive(Debug)]
pub(crate) struct Extension {
    /// The version they extend (`versions.n`).
    pub(crate) version: i64,
    pub(crate) last_seen: String,
    pub(crate) captures: i64,
}

/// Articles (and contents) remembered at most; past it, forgotten at once.
/// Each is remembered for the batches it is stored in, mostly: a bulk load
/// of hundreds of thousands of articles would otherwise keep them all.
const KNOWN_MAX: usize = 100_000;

impl Known {
    pub(crate) fn check(&mut self, data_version: i64) {
        // Extensions are written before every commit: none wait here.
        debug_assert!(self.extensions.is_empty());
        if self.data_version != Some(data_version)
            || self.articles.len() > KNOWN_MAX
            || self.contents.len() > KNOWN_MAX
            || self.unanalysed_new.len() > KNOWN_MAX
            || self.analysis_prints.len() > KNOWN_MAX
        {
            *self = Known {
                data_version: Some(data_version),
                ..Known::default()
            };
        }
    }
}

impl ArchiveWriter {
    /// Writes the re-captures that extend last versions (see
    /// [`ArchiveWriter::store`]): one statement for many articles, which SQLite
    /// looks up by key, instead of two statements a capture.
    pub(crate) fn flush_extensions(&mut self) -> Result<()> {
        if self.known.extensions.is_empty() {
            return Ok(());
        }
        let mut rows: Vec<(String, Extension)> = self.known.extensions.drain().collect();
        // In key order: neighbouring rows share pages.
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        const ROWS: usize = 256;
        for chunk in rows.chunks(ROWS) {
            let marks = vec!["(?, ?, ?, ?)"; chunk.len()].join(", ");
            let values: Vec<rusqlite::types::Value> = chunk
                .iter()
                .flat_map(|(id, e)| {
                    [
                        id.clone().into(),
                        e.version.into(),
                        e.last_seen.clone().into(),
                        e.captures.into(),
                    ]
                })
                .collect();
            self.conn
                .prepare_cached(&format!(
                    "UPDATE versions SET last_seen = v.column3, captures = captures + v.column4
                     FROM (VALUES {marks}) AS v
                     WHERE versions.article_id = v.column1 AND versions.n = v.column2"
                ))?
                .execute(rusqlite::params_from_iter(values.iter()))?;
            self.conn
                .prepare_cached(&format!(
                    "UPDATE articles SET last_seen = v.column3
                     FROM (VALUES {marks}) AS v WHERE articles.id = v.column1"
                ))?
                .execute(rusqlite::params_from_iter(values.iter()))?;
        }
        Ok(())
    }
}
