//! Changes between consecutive versions: re-derived with the versions,
//! stored with their analysis (kind, share changed, similarity, word
//! hunks) or pending (kind '') while other threads compute it, and
//! completed after an interrupted run.
//!
//! Must not touch: which versions exist (the capture module derives them).

use std::collections::HashMap;

use rusqlite::params;

use tealeaf_diff::ChangeKind;

use crate::decide::{self, DerivedVersion};
use crate::{ArchiveError, ArchiveReader, ArchiveWriter, Result};

impl ArchiveWriter {
    /// Re-derives the changes between consecutive versions; pairs already
    /// analysed keep their stored analysis (diffs are the costly part).
    /// With [`ArchiveWriter::defer_changes`] on, a new pair is stored pending
    /// (kind '') and queued for the caller to analyse.
    pub(crate) fn rebuild_changes(
        &mut self,
        id: &str,
        versions: &[DerivedVersion],
        mut known: HashMap<ChangeKey, Analysed>,
    ) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM changes WHERE article_id = ?1")?
            .execute([id])?;
        let mut last_content: Option<&str> = None;
        for (i, pair) in versions.windows(2).enumerate() {
            let (old, new) = (&pair[0], &pair[1]);
            if old.gone.is_none() {
                last_content = Some(&old.hash);
            }
            let Some((from_hash, to_hash)) = decide::change_ends(old, new, last_content) else {
                continue;
            };
            // The same two contents make a different change when the
            // second brings the article back after a removal.
            let key = (from_hash.clone(), to_hash.clone(), old.gone.is_some());
            let analysed = match known.remove(&key) {
                Some(found) => found,
                None if new.gone.is_some() => {
                    (Some(ChangeKind::Removed), None, None, "[]".to_string())
                }
                None if old.gone.is_some() && from_hash == to_hash => {
                    (Some(ChangeKind::Restored), None, None, "[]".to_string())
                }
                None => {
                    let job = PendingChange {
                        article_id: id.to_string(),
                        restored: old.gone.is_some(),
                        from: self.content(&from_hash)?,
                        to: self.content(&to_hash)?,
                        from_hash,
                        to_hash,
                    };
                    self.analyse_or_defer(job)?
                }
            };
            self.insert_change(
                id,
                i as i64 + 1,
                (&key.0, &key.1),
                (&old.last, &new.first),
                &analysed,
            )?;
        }
        Ok(())
    }

    /// Stores the change from version `from_n` to the next: its two
    /// contents (`from`, `to` hashes), the old version's last capture and
    /// the new one's first, and its analysis.
    pub(crate) fn insert_change(
        &self,
        id: &str,
        from_n: i64,
        (from_hash, to_hash): (&str, &str),
        (from_seen, at): (&str, &str),
        analysed: &Analysed,
    ) -> Result<()> {
        let (kind, changed, similarity, hunks) = analysed;
        self.conn
            .prepare_cached(
                "INSERT INTO changes(article_id, to_n, from_n, kind, from_hash, to_hash, from_seen, at,
                   changed, similarity, hunks)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?
            .execute(params![
                id,
                from_n + 1,
                from_n,
                kind.map_or("", ChangeKind::as_str),
                from_hash,
                to_hash,
                from_seen,
                at,
                changed,
                similarity,
                hunks
            ])?;
        Ok(())
    }

    /// The analysis of a new change: computed here, or, with
    /// [`ArchiveWriter::defer_changes`] on, queued for the caller and stored
    /// pending (kind '') meanwhile.
    pub(crate) fn analyse_or_defer(&mut self, job: PendingChange) -> Result<Analysed> {
        let analysed = match &mut self.deferred {
            Some(queue) => {
                queue.push(job);
                (None, None, None, "[]".to_string())
            }
            None => job.analyse().into_row(),
        };
        if analysed.0.is_none() {
            self.mark_changes_pending()?;
        }
        Ok(analysed)
    }

    /// The analyses stored for an article's changes, by their two contents
    /// and whether the change is a restoration (pending ones included).
    pub(crate) fn known_analyses(&mut self, id: &str) -> Result<HashMap<ChangeKey, Analysed>> {
        let mut known = HashMap::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.from_hash, c.to_hash, c.kind, c.changed, c.similarity, c.hunks,
                    EXISTS(SELECT 1 FROM versions v WHERE v.article_id = c.article_id
                           AND v.n = c.from_n AND v.gone IS NOT NULL)
             FROM changes c WHERE c.article_id = ?1",
        )?;
        let mut rows = stmt.query([id])?;
        while let Some(r) = rows.next()? {
            known.insert(
                (r.get(0)?, r.get(1)?, r.get(6)?),
                (
                    kind_of(&r.get::<_, String>(2)?),
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ),
            );
        }
        Ok(known)
    }

    /// Stores changes pending and queues their analysis instead of
    /// computing word diffs while storing (`true`), or computes them
    /// inline again (`false`). The caller analyses what
    /// [`ArchiveWriter::take_pending_changes`] returns and stores the results with
    /// [`ArchiveWriter::store_change_analysis`]; pending changes left by an
    /// interrupted run are completed by [`ArchiveWriter::complete_pending_changes`].
    pub fn defer_changes(&mut self, on: bool) {
        match (on, self.deferred.is_some()) {
            (true, false) => self.deferred = Some(Vec::new()),
            (false, true) => self.deferred = None,
            _ => {}
        }
    }

    /// The changes queued since the last call.
    pub fn take_pending_changes(&mut self) -> Vec<PendingChange> {
        self.deferred
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// Stores the analysis of a pending change. A change whose versions
    /// were re-derived meanwhile without it is simply no longer there.
    pub fn store_change_analysis(
        &mut self,
        change: &PendingChange,
        a: &ChangeAnalysis,
    ) -> Result<()> {
        // Only the pending changes of the same two contents *and* the same
        // standing (a restoration or not) share this analysis.
        self.conn
            .prepare_cached(
                "UPDATE changes SET kind = ?5, changed = ?6, similarity = ?7, hunks = ?8
                 WHERE article_id = ?1 AND from_hash = ?2 AND to_hash = ?3 AND kind = ''
                   AND EXISTS(SELECT 1 FROM versions v WHERE v.article_id = changes.article_id
                              AND v.n = changes.from_n AND v.gone IS NOT NULL) = ?4",
            )?
            .execute(params![
                change.article_id,
                change.from_hash,
                change.to_hash,
                change.restored,
                a.kind.as_str(),
                a.changed,
                a.similarity,
                a.hunks
            ])?;
        Ok(())
    }

    /// Analyses every pending change here and now; returns how many.
    pub fn complete_pending_changes(&mut self) -> Result<u64> {
        if !self.has_pending_changes()? {
            return Ok(0);
        }
        // Under the write lock, so that no other writer adds pending
        // changes between reading them and clearing the mark.
        let own = !self.in_batch;
        if own {
            self.begin()?;
        }
        let pending: Vec<(String, i64, String, String)> = self
            .conn
            .prepare("SELECT article_id, from_n, from_hash, to_hash FROM changes WHERE kind = ''")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (article_id, from_n, from_hash, to_hash) in &pending {
            let job = self.pending_change(article_id, *from_n, from_hash, to_hash)?;
            self.store_change_analysis(&job, &job.analyse())?;
        }
        self.conn
            .execute("DELETE FROM meta WHERE key = 'changes_pending'", [])?;
        if own {
            self.commit()?;
        }
        Ok(pending.len() as u64)
    }

    fn mark_changes_pending(&mut self) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT OR IGNORE INTO meta(key, value) VALUES ('changes_pending', '1')",
            )?
            .execute([])?;
        Ok(())
    }
}

impl ArchiveReader {
    /// Whether an interrupted run left changes without their analysis.
    pub fn has_pending_changes(&self) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT EXISTS(SELECT 1 FROM meta WHERE key = 'changes_pending')")?
            .query_row([], |r| r.get(0))?)
    }

    /// A stored pending change, with what analysing it needs.
    pub(crate) fn pending_change(
        &self,
        article_id: &str,
        from_n: i64,
        from_hash: &str,
        to_hash: &str,
    ) -> Result<PendingChange> {
        let restored: bool = self
            .conn
            .prepare_cached(
                "SELECT EXISTS(SELECT 1 FROM versions WHERE article_id = ?1 AND n = ?2 AND gone IS NOT NULL)",
            )?
            .query_row(params![article_id, from_n], |r| r.get(0))?;
        Ok(PendingChange {
            article_id: article_id.to_string(),
            restored,
            from: self.content(from_hash)?,
            to: self.content(to_hash)?,
            from_hash: from_hash.to_string(),
            to_hash: to_hash.to_string(),
        })
    }

    pub(crate) fn content(&self, hash: &str) -> Result<(String, Vec<String>)> {
        let (title, ps): (String, String) = self
            .conn
            .prepare_cached("SELECT title, paragraphs FROM contents WHERE hash = ?1")?
            .query_row([hash], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let paragraphs = serde_json::from_str(&ps)
            .map_err(|e| ArchiveError::Corrupt(format!("content {hash}: {e}")))?;
        Ok((title, paragraphs))
    }
}

/// A stored kind; '' (pending) is `None`.
pub(crate) fn kind_of(stored: &str) -> Option<ChangeKind> {
    ChangeKind::parse(stored).filter(|_| !stored.is_empty())
}

/// A stored change analysis: kind (`None` while pending), share changed,
/// similarity, hunks JSON.
type Analysed = (Option<ChangeKind>, Option<f64>, Option<f64>, String);

/// A change's two contents, and whether it is a restoration.
type ChangeKey = (String, String, bool);

/// A change between two versions with text whose analysis (kind, share
/// changed, similarity, hunks) is still to be computed: everything that
/// needs, so that any thread can compute it.
#[derive(Debug, Clone)]
pub struct PendingChange {
    pub article_id: String,
    pub from_hash: String,
    pub to_hash: String,
    /// The change brings the article back after a removal.
    pub restored: bool,
    /// Title and paragraphs of each end.
    pub from: (String, Vec<String>),
    pub to: (String, Vec<String>),
}

/// The analysis of a change, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeAnalysis {
    pub kind: ChangeKind,
    pub changed: Option<f64>,
    pub similarity: Option<f64>,
    /// JSON array of hunks.
    pub hunks: String,
}

impl ChangeAnalysis {
    fn into_row(self) -> Analysed {
        (Some(self.kind), self.changed, self.similarity, self.hunks)
    }
}

impl PendingChange {
    /// The word diffs and the classification: pure and thread-safe.
    pub fn analyse(&self) -> ChangeAnalysis {
        let (a, b) = (
            tealeaf_diff::Content {
                title: &self.from.0,
                paragraphs: &self.from.1,
            },
            tealeaf_diff::Content {
                title: &self.to.0,
                paragraphs: &self.to.1,
            },
        );
        let same = self.from_hash == self.to_hash;
        let hunks = if same {
            Vec::new()
        } else {
            tealeaf_diff::hunks(&a, &b)
        };
        let thresholds = tealeaf_diff::Thresholds::default();
        let (kind, assessment) = if self.restored {
            let a = (!same).then(|| tealeaf_diff::classify(&a, &b, &thresholds));
            (ChangeKind::Restored, a)
        } else {
            let a = tealeaf_diff::classify(&a, &b, &thresholds);
            (a.kind, Some(a))
        };
        ChangeAnalysis {
            kind,
            changed: assessment.map(|a| a.changed),
            similarity: assessment.map(|a| a.similarity),
            hunks: serde_json::to_string(&hunks).unwrap_or_else(|_| "[]".into()),
        }
    }
}
