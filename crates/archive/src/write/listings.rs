//! Listings: captures of pages that list articles. Every article a
//! listing ever held is present or absent at each of its captures; an
//! article absent from a later capture is delisted (a removal), and one
//! listed again is restored.
//!
//! Must not touch: contents and capture rows of articles.

use rusqlite::params;
use tealeaf_model::dates::format_timestamp;
use tealeaf_model::ListingRecord;

use crate::write::capture::Outcome;
use crate::write::runs::IngestRun;
use crate::{ArchiveWriter, Result};

impl ArchiveWriter {
    /// Stores a listing capture and what it implies: every article the
    /// listing ever held is present or absent at this capture, and articles
    /// it holds for the first time are absent from its other captures.
    /// Returns the outcomes for the articles whose history changed.
    pub fn store_listing(
        &mut self,
        run: &mut IngestRun,
        rec: &ListingRecord,
    ) -> Result<Vec<Outcome>> {
        let captured_at = rec
            .captured_at
            .as_ref()
            .map(format_timestamp)
            .unwrap_or_else(|| run.started_text.clone());
        let items_json = serde_json::to_string(&rec.items).unwrap_or_else(|_| "[]".into());
        let inserted = self
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO listing_captures(listing, outlet, captured_at, items, source, line, run_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![rec.listing, rec.outlet, captured_at, items_json, rec.origin.source, rec.origin.line as i64, run.run_id])?;
        if inserted == 0 {
            return Ok(Vec::new());
        }
        let touched = self.fill_presence(&rec.listing)?;
        let mut outcomes = Vec::new();
        for id in touched {
            let exists: bool = self
                .conn
                .prepare_cached("SELECT EXISTS(SELECT 1 FROM articles WHERE id = ?1)")?
                .query_row([&id], |r| r.get(0))?;
            if !exists {
                continue;
            }
            let (before, after, current) = self.rebuild_versions(&id)?;
            let old_current: String = self
                .conn
                .prepare_cached("SELECT current_hash FROM articles WHERE id = ?1")?
                .query_row([&id], |r| r.get(0))?;
            let seq = if current != old_current {
                let seq = run.take_seq();
                self.conn
                    .prepare_cached(
                        "UPDATE articles SET seq = ?2, current_hash = ?3 WHERE id = ?1",
                    )?
                    .execute(params![id, seq, current])?;
                Some(seq)
            } else {
                None
            };
            outcomes.push(if after > before {
                Outcome::NewVersion { id, seq }
            } else {
                Outcome::Unchanged { id }
            });
        }
        Ok(outcomes)
    }

    /// Marks every article the listing's captures ever held present or
    /// absent at each of them (rows already there are kept). Returns, in
    /// order, the articles that got a row they did not have.
    pub(crate) fn fill_presence(&mut self, listing: &str) -> Result<Vec<String>> {
        let captures: Vec<(String, std::collections::HashSet<String>)> = self
            .conn
            .prepare_cached("SELECT captured_at, items FROM listing_captures WHERE listing = ?1")?
            .query_map([listing], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?
            .map(|row| {
                row.map(|(at, items)| {
                    (
                        at,
                        serde_json::from_str::<Vec<String>>(&items)
                            .unwrap_or_default()
                            .into_iter()
                            .collect(),
                    )
                })
            })
            .collect::<rusqlite::Result<_>>()?;
        let members: std::collections::HashSet<String> = captures
            .iter()
            .flat_map(|(_, items)| items.iter().cloned())
            .collect();
        let mut touched = Vec::new();
        for member in &members {
            let mut changed = 0;
            for (at, items) in &captures {
                changed += self
                    .conn
                    .prepare_cached(
                        "INSERT OR IGNORE INTO listing_presence(listing, article_id, captured_at, present)
                         VALUES (?1, ?2, ?3, ?4)",
                    )?
                    .execute(params![listing, member, at, items.contains(member)])?;
            }
            if changed > 0 {
                touched.push(member.clone());
            }
        }
        touched.sort();
        Ok(touched)
    }
}
