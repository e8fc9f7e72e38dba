//! Removals: a capture saying an article is gone (HTTP 404/410), stored
//! as a capture without content; the article's versions are re-derived
//! with it.
//!
//! Must not touch: listings (their own module), contents.

use rusqlite::params;
use tealeaf_model::identity::identity_key;
use tealeaf_model::CaptureRecord;

use crate::write::capture::Outcome;
use crate::write::runs::IngestRun;
use crate::{ArchiveWriter, Result};

impl ArchiveWriter {
    /// Stores a capture saying the article is gone (HTTP 404/410). The
    /// article is named by `id`, or by its identity key when exactly one
    /// article has it.
    pub fn store_gone(&mut self, run: &mut IngestRun, rec: &CaptureRecord) -> Result<Outcome> {
        let status = rec.status.unwrap_or(404);
        let (captured_at, observed_at) = run.capture_times(rec);
        let id = match &rec.id {
            Some(id) => id.clone(),
            None => {
                let key = identity_key(
                    &rec.outlet,
                    rec.published,
                    rec.language.as_deref(),
                    &rec.title,
                );
                let ids: Vec<String> = self
                    .conn
                    .prepare_cached("SELECT id FROM articles WHERE ident_key = ?1")?
                    .query_map([&key], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                match ids.as_slice() {
                    [one] => one.clone(),
                    [] => {
                        return Ok(Outcome::Unattributed {
                            reason: format!(
                                "a {status} capture of an article not in the archive (give its id)"
                            ),
                        })
                    }
                    _ => {
                        return Ok(Outcome::Unattributed {
                            reason: format!(
                                "a {status} capture that fits several articles (give its id)"
                            ),
                        })
                    }
                }
            }
        };
        let exists: bool = self
            .conn
            .prepare_cached("SELECT EXISTS(SELECT 1 FROM articles WHERE id = ?1)")?
            .query_row([&id], |r| r.get(0))?;
        if !exists && rec.id.is_none() {
            return Ok(Outcome::Unattributed {
                reason: format!("a {status} capture of `{id}`, which is not in the archive"),
            });
        }
        let inserted = self
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO captures
                 (article_id, content_hash, captured_at, observed_at, source, line, status, run_id)
                 VALUES (?1, '', ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                id,
                captured_at,
                observed_at,
                rec.origin.source,
                rec.origin.line as i64,
                status,
                run.run_id
            ])?;
        if inserted == 0 || !exists {
            // A removal seen before any text of its article (captures may
            // come in any order) waits in `captures` until the text comes.
            return Ok(Outcome::Unchanged { id });
        }
        let (before, after, _) = self.rebuild_versions(&id)?;
        Ok(if after > before {
            Outcome::NewVersion { id, seq: None }
        } else {
            Outcome::Unchanged { id }
        })
    }
}
