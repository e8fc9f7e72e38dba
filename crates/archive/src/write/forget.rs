//! Undoing an ingest run (`tealeaf forget --run N`): the captures, failed
//! captures and listing captures it stored go, and what was derived from
//! them is derived again from what is left. An article the run alone held
//! goes with its versions, changes, analysis and relations; one it added
//! to keeps its other captures, its versions and changes re-derived from
//! them, and its metadata as it was before the run (`run_overwrites`).
//! Contents no capture holds any more go too. A later run that read the
//! same records added nothing of its own (its captures were already
//! there), so nothing of it stays.
//!
//! Every article kept gets a new `seq`, so that its analysis, relations
//! and index document catch up as after an ingest; an article taken away
//! is listed in `index_deletions` under a new seq, for the index to drop.
//! All in one transaction: a killed `forget` leaves the run as it was.
//!
//! Must not touch: how versions are derived (`decide`, the capture
//! module), how analysis rows are made.

use std::collections::{BTreeSet, HashSet};

use chrono::Utc;
use rusqlite::{params, OptionalExtension};
use tealeaf_model::dates::format_timestamp;

use crate::{ArchiveError, ArchiveWriter, Result};

/// What undoing a run did (or, for a dry run, would do).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Forgotten {
    pub run: i64,
    /// Captures taken away: with content, and removals (404/410).
    pub captures: u64,
    pub failed_captures: u64,
    pub listings: u64,
    /// Articles the run alone held, taken away.
    pub articles_removed: Vec<String>,
    /// Articles kept, their versions, changes and metadata derived again
    /// without the run.
    pub articles_changed: Vec<String>,
    /// Contents (texts) no capture holds any more, taken away.
    pub contents_removed: u64,
    /// Nothing was changed: what it would do.
    pub dry_run: bool,
}

impl ArchiveWriter {
    /// Undoes run `run` (see the module doc), in one transaction; with
    /// `dry_run`, says what it would do and changes nothing.
    pub fn forget_run(&mut self, run: i64, dry_run: bool) -> Result<Forgotten> {
        // What this connection remembers is about to be wrong.
        self.rollback();
        self.begin()?;
        let result = self.forget_in_batch(run);
        let result = match result {
            Ok(mut f) if dry_run => {
                self.rollback();
                f.dry_run = true;
                Ok(f)
            }
            Ok(f) => self.commit().map(|()| f),
            Err(e) => Err(e),
        };
        self.rollback();
        result
    }

    fn forget_in_batch(&mut self, run: i64) -> Result<Forgotten> {
        let refuse = |reason: String| ArchiveError::Run { run, reason };
        let forgotten_at: Option<Option<String>> = self
            .conn
            .query_row("SELECT forgotten_at FROM runs WHERE id = ?1", [run], |r| {
                r.get(0)
            })
            .optional()?;
        match forgotten_at {
            None => return Err(refuse("no such run (`tealeaf runs` lists them)".into())),
            Some(Some(at)) => return Err(refuse(format!("already forgotten, at {at}"))),
            Some(None) => {}
        }
        if run < self.runs_recorded_from()? {
            return Err(refuse(
                "stored by a tealeaf that did not record which run stored what \
                 (archive schema 8 or older): it cannot be undone"
                    .into(),
            ));
        }
        let mut f = Forgotten {
            run,
            ..Forgotten::default()
        };

        // What the run's rows touch, before they go.
        let mut articles = BTreeSet::new();
        let mut hashes = HashSet::new();
        {
            let mut stmt = self
                .conn
                .prepare("SELECT article_id, content_hash FROM captures WHERE run_id = ?1")?;
            let mut rows = stmt.query([run])?;
            while let Some(r) = rows.next()? {
                articles.insert(r.get::<_, String>(0)?);
                let hash: String = r.get(1)?;
                if !hash.is_empty() {
                    hashes.insert(hash);
                }
            }
        }
        let overwritten: Vec<String> = self
            .conn
            .prepare("SELECT article_id FROM run_overwrites WHERE run_id = ?1")?
            .query_map([run], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        articles.extend(overwritten);
        let listings: Vec<String> = self
            .conn
            .prepare("SELECT DISTINCT listing FROM listing_captures WHERE run_id = ?1")?
            .query_map([run], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;

        f.captures = self
            .conn
            .execute("DELETE FROM captures WHERE run_id = ?1", [run])? as u64;
        f.failed_captures = self
            .conn
            .execute("DELETE FROM failed_captures WHERE run_id = ?1", [run])?
            as u64;
        f.listings = self
            .conn
            .execute("DELETE FROM listing_captures WHERE run_id = ?1", [run])?
            as u64;
        // A listing's presence rows follow from its captures: derived
        // again from those left, for every article it held before or now.
        for listing in &listings {
            let held: Vec<String> = self
                .conn
                .prepare_cached(
                    "SELECT DISTINCT article_id FROM listing_presence WHERE listing = ?1",
                )?
                .query_map([listing], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            articles.extend(held);
            self.conn
                .execute("DELETE FROM listing_presence WHERE listing = ?1", [listing])?;
            articles.extend(self.fill_presence(listing)?);
        }

        let mut next_seq = self.max_seq()? + 1;
        let mut take_seq = || {
            next_seq += 1;
            next_seq - 1
        };
        let mut partners = BTreeSet::new();
        for id in &articles {
            let analyzed: Option<Option<i64>> = self
                .conn
                .prepare_cached("SELECT analyzed_seq FROM articles WHERE id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()?;
            // Not an article (yet): a removal that waits for its text.
            let Some(analyzed) = analyzed else { continue };
            let has_content: bool = self
                .conn
                .prepare_cached(
                    "SELECT EXISTS(SELECT 1 FROM captures WHERE article_id = ?1 AND status = 200)",
                )?
                .query_row([id], |r| r.get(0))?;
            if has_content {
                self.put_back_metadata(run, id)?;
                let (_, _, current) = self.rebuild_versions(id)?;
                let title_only: bool = self
                    .conn
                    .prepare_cached("SELECT paragraphs = '[]' FROM contents WHERE hash = ?1")?
                    .query_row([&current], |r| r.get(0))?;
                self.conn
                    .prepare_cached(
                        "UPDATE articles SET seq = ?2, current_hash = ?3, title_only = ?4 WHERE id = ?1",
                    )?
                    .execute(params![id, take_seq(), current, title_only])?;
                f.articles_changed.push(id.clone());
            } else {
                partners.extend(self.take_away(run, id, analyzed, take_seq())?);
                f.articles_removed.push(id.clone());
            }
        }
        // Articles paired with one taken away may pair with another now
        // (a translation is paired one to one): related again.
        for id in partners.difference(&articles) {
            self.conn
                .prepare_cached("UPDATE articles SET seq = ?2 WHERE id = ?1")?
                .execute(params![id, take_seq()])?;
        }
        f.contents_removed = self.remove_unheld_contents(hashes)?;
        self.conn.execute(
            "UPDATE runs SET forgotten_at = ?2 WHERE id = ?1",
            params![run, format_timestamp(&Utc::now())],
        )?;
        // The seqs taken stay taken, even when the articles holding the
        // highest are gone.
        self.set_meta("seq_floor", &(next_seq - 1).to_string())?;
        self.known = Default::default();
        Ok(f)
    }

    /// Puts back the article's metadata as it was before `run` overwrote
    /// it. When a later run overwrote it again, that run's record of
    /// "before" becomes this one's instead (the article then shows the
    /// later run's metadata).
    fn put_back_metadata(&mut self, run: i64, id: &str) -> Result<()> {
        const COLUMNS: &str =
            "url, language, published, media, photo_count, byline, commentary, language_detected";
        let found: bool = self
            .conn
            .prepare_cached(
                "SELECT EXISTS(SELECT 1 FROM run_overwrites WHERE run_id = ?1 AND article_id = ?2)",
            )?
            .query_row(params![run, id], |r| r.get(0))?;
        if !found {
            return Ok(());
        }
        let later: Option<i64> = self
            .conn
            .prepare_cached(
                "SELECT MIN(run_id) FROM run_overwrites WHERE article_id = ?1 AND run_id > ?2",
            )?
            .query_row(params![id, run], |r| r.get(0))?;
        let from =
            format!("(SELECT {COLUMNS} FROM run_overwrites WHERE run_id = ?1 AND article_id = ?2)");
        match later {
            Some(later) => self
                .conn
                .prepare_cached(&format!(
                    "UPDATE run_overwrites SET ({COLUMNS}) = {from} WHERE run_id = ?3 AND article_id = ?2"
                ))?
                .execute(params![run, id, later])?,
            None => self
                .conn
                .prepare_cached(&format!(
                    "UPDATE articles SET ({COLUMNS}) = {from} WHERE id = ?2"
                ))?
                .execute(params![run, id])?,
        };
        self.conn
            .prepare_cached("DELETE FROM run_overwrites WHERE run_id = ?1 AND article_id = ?2")?
            .execute(params![run, id])?;
        Ok(())
    }

    /// Takes away an article no capture with content holds any more: its
    /// row and everything derived from it; the index is told to drop it
    /// at `seq`. Returns the articles it was related to.
    fn take_away(
        &mut self,
        run: i64,
        id: &str,
        analyzed: Option<i64>,
        seq: i64,
    ) -> Result<Vec<String>> {
        // Its copies too, when it represents their group: one of them
        // takes its place.
        let partners: Vec<String> = self
            .conn
            .prepare_cached(
                "SELECT DISTINCT other_id FROM related WHERE article_id = ?1
                 UNION SELECT article_id FROM related_features WHERE copy_of = ?1",
            )?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for other in &partners {
            self.conn
                .prepare_cached("DELETE FROM related WHERE article_id = ?1 AND other_id = ?2")?
                .execute([other.as_str(), id])?;
        }
        if let Some(analyzed) = analyzed {
            self.conn
                .prepare_cached("DELETE FROM mentions WHERE seq = ?1")?
                .execute([analyzed])?;
        }
        for sql in [
            "DELETE FROM articles WHERE id = ?1",
            "DELETE FROM versions WHERE article_id = ?1",
            "DELETE FROM changes WHERE article_id = ?1",
            "DELETE FROM events WHERE article_id = ?1",
            "DELETE FROM entourage WHERE article_id = ?1",
            "DELETE FROM related WHERE article_id = ?1",
            "DELETE FROM related_features WHERE article_id = ?1",
        ] {
            self.conn.prepare_cached(sql)?.execute([id])?;
        }
        // Only this run can have recorded its metadata: any other run that
        // did added a capture with content, which would still hold it.
        self.conn
            .prepare_cached("DELETE FROM run_overwrites WHERE run_id = ?1 AND article_id = ?2")?
            .execute(params![run, id])?;
        self.conn
            .prepare_cached(
                "INSERT OR REPLACE INTO index_deletions(article_id, seq) VALUES (?1, ?2)",
            )?
            .execute(params![id, seq])?;
        Ok(partners)
    }

    /// Deletes the contents among `hashes` that no capture holds any more
    /// (any article's: a reprint shares its text). One pass over the
    /// captures, as there is no index by content.
    fn remove_unheld_contents(&mut self, mut hashes: HashSet<String>) -> Result<u64> {
        if hashes.is_empty() {
            return Ok(0);
        }
        {
            let mut stmt = self.conn.prepare("SELECT content_hash FROM captures")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let hash = r.get_ref(0)?.as_str().unwrap_or_default();
                if hashes.remove(hash) && hashes.is_empty() {
                    return Ok(0);
                }
            }
        }
        let mut n = 0;
        for hash in &hashes {
            n += self
                .conn
                .prepare_cached("DELETE FROM contents WHERE hash = ?1")?
                .execute([hash])? as u64;
        }
        Ok(n)
    }
}

impl crate::ArchiveReader {
    /// The articles `forget` took away after `seq`: what an index that
    /// reached `seq` must drop.
    pub fn deleted_since(&self, seq: i64) -> Result<Vec<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT article_id FROM index_deletions WHERE seq > ?1 ORDER BY seq")?
            .query_map([seq], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }
}
