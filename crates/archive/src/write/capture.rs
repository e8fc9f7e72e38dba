//! Storing a capture with content: which article it is (by id, or by
//! identity key and ordinal), its content and capture rows, and what it
//! does to the article's versions (extend, append, or re-derive them from
//! every capture), as [`crate::decide`] says.
//!
//! Must not touch: the word diffs of changes (queued or computed through
//! the changes module), analysis rows.

use rusqlite::{params, OptionalExtension};
use tealeaf_model::identity::derived_id;
use tealeaf_model::CaptureRecord;

use crate::decide::{self, hex_u128, ArticleState, Event, Prepared, Step};
use crate::write::changes::PendingChange;
use crate::write::known::Extension;
use crate::write::runs::IngestRun;
use crate::{ArchiveError, ArchiveWriter, Result};

/// What storing one capture did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A new article (its first version).
    NewArticle { id: String, seq: i64 },
    /// A known article with content it did not hold at that point in its
    /// history: a new version. `seq` is set when the article's current
    /// content changed (the index must be updated).
    NewVersion { id: String, seq: Option<i64> },
    /// Nothing new: the same observation was stored before, or it extends
    /// a version's `first_seen`/`last_seen`.
    Unchanged { id: String },
    /// A capture with neither title nor body of a named article.
    Failed { id: String },
    /// A capture that could not be attributed to an article (a gone
    /// capture of an unknown article); the reason says why.
    Unattributed { reason: String },
}

impl ArchiveWriter {
    /// Decides which article `rec` is a capture of (see the identity rule in
    /// `tealeaf_model::identity`) and stores it; `prep` is
    /// `Prepared::of(rec)`. Meant for inside [`ArchiveWriter::begin`]/
    /// [`ArchiveWriter::commit`] (many captures a transaction); outside, it runs in
    /// a transaction of its own.
    pub fn store(
        &mut self,
        run: &mut IngestRun,
        rec: &CaptureRecord,
        prep: &Prepared,
    ) -> Result<Outcome> {
        if self.in_batch {
            return self.store_in_batch(run, rec, prep);
        }
        // `begin` also checks what this connection remembers against other
        // connections' writes.
        self.begin()?;
        match self.store_in_batch(run, rec, prep) {
            Ok(outcome) => {
                self.commit()?;
                Ok(outcome)
            }
            Err(e) => {
                self.rollback();
                Err(e)
            }
        }
    }

    fn store_in_batch(
        &mut self,
        run: &mut IngestRun,
        rec: &CaptureRecord,
        prep: &Prepared,
    ) -> Result<Outcome> {
        let hash = prep.content_hash.as_str();
        let (captured_at, observed_at) = run.capture_times(rec);
        // Whether the archive holds this capture's own spelling of its
        // content: two spellings that differ in white space only share a
        // hash, and the first one stored is the one kept.
        self.stored_own_text = None;

        if rec.is_empty() {
            let Some(id) = rec.id.clone() else {
                return Err(ArchiveError::Corrupt(
                    "a capture with neither title nor body must name its article (id)".into(),
                ));
            };
            self.conn
                .prepare_cached(
                    "INSERT OR IGNORE INTO failed_captures
                     (article_id, url, captured_at, observed_at, source, line, reason, run_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'neither title nor body', ?7)",
                )?
                .execute(params![
                    id,
                    rec.url.as_deref().unwrap_or(""),
                    captured_at,
                    observed_at,
                    rec.origin.source,
                    rec.origin.line as i64,
                    run.run_id
                ])?;
            return Ok(Outcome::Failed { id });
        }

        let (id, key, ordinal, known_new) = match (&rec.id, &prep.identity_key) {
            (Some(id), _) => (id.clone(), None, None, false),
            (None, Some(key)) => {
                let claim = claim_key(key, rec);
                let (ordinal, known_new) = self.ordinal_for(run, claim, key, &captured_at, hash)?;
                (
                    derived_id(key, ordinal),
                    Some(key.as_str()),
                    Some(ordinal),
                    known_new,
                )
            }
            (None, None) => {
                return Err(ArchiveError::Corrupt(
                    "a record without id needs an identity key".into(),
                ))
            }
        };

        let content_key = hex_u128(hash);
        if !self.known.contents.contains(&content_key) {
            let inserted = self
                .conn
                .prepare_cached(
                    "INSERT OR IGNORE INTO contents(hash, title, paragraphs) VALUES (?1, ?2, ?3)",
                )?
                .execute(params![hash, rec.title, prep.paragraphs_json])?;
            self.known.contents.insert(content_key);
            if inserted == 1 {
                self.stored_own_text = Some(content_key);
            }
        }

        let warnings = (!rec.warnings.is_empty())
            .then(|| serde_json::to_string(&rec.warnings).unwrap_or_default());
        let inserted = self
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO captures
                 (article_id, content_hash, captured_at, observed_at, source, line, warnings, run_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                id,
                hash,
                captured_at,
                observed_at,
                rec.origin.source,
                rec.origin.line as i64,
                warnings,
                run.run_id
            ])?;
        if inserted == 0 {
            if let (Some(key), Some(ordinal)) = (key, ordinal) {
                // Stored by an earlier run (or earlier in this one): the
                // claim is not in this run's captures, so it is kept here.
                let claims = run.claimed_stored.entry(claim_key(key, rec)).or_default();
                if !claims.contains(&ordinal) {
                    claims.push(ordinal);
                }
            }
            return Ok(Outcome::Unchanged { id });
        }

        let existing: Option<ArticleState> = if known_new {
            None
        } else if let Some(state) = self.known.articles.get(&id) {
            Some(state.clone())
        } else {
            self.conn
                .prepare_cached(
                    "SELECT current_hash, last_seen, versions, gone IS NOT NULL FROM articles WHERE id = ?1",
                )?
                .query_row([&id], |r| {
                    Ok(ArticleState {
                        current: r.get(0)?,
                        last_seen: r.get(1)?,
                        versions: r.get(2)?,
                        gone: r.get(3)?,
                    })
                })
                .optional()?
        };

        let media = rec
            .media
            .iter()
            .map(|m| m.as_str())
            .collect::<Vec<_>>()
            .join(",");
        match existing {
            None => {
                let seq = run.take_seq();
                // Stored as analysed when its analysis is expected in this
                // transaction (see `Archive::expect_analysis`).
                let analysed = self.expect_analysis && self.in_batch;
                self.conn
                    .prepare_cached(
                        "INSERT INTO articles(id, seq, outlet, ident_key, ordinal, url, language,
                           published, media, photo_count, byline, current_hash, title_only,
                           first_seen, last_seen, analyzed_seq, commentary, language_detected)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?15, ?16, ?17)",
                    )?
                    .execute(params![
                        id,
                        seq,
                        rec.outlet,
                        key,
                        ordinal,
                        rec.url,
                        rec.language,
                        rec.published.map(|d| d.to_string()),
                        media,
                        rec.photo_count,
                        rec.byline,
                        hash,
                        rec.is_title_only(),
                        observed_at,
                        analysed.then_some(seq),
                        rec.commentary,
                        rec.language_detected && rec.language.is_some()
                    ])?;
                if analysed {
                    self.analysis_due.insert(id.clone());
                }
                self.conn
                    .prepare_cached(
                        "INSERT INTO versions(article_id, n, content_hash, first_seen, last_seen, captures)
                         VALUES (?1, 1, ?2, ?3, ?3, 1)",
                    )?
                    .execute(params![id, hash, observed_at])?;
                self.known.articles.insert(
                    id.clone(),
                    ArticleState {
                        current: hash.to_string(),
                        last_seen: observed_at.clone(),
                        versions: 1,
                        gone: false,
                    },
                );
                self.known.unanalysed_new.insert(id.clone());
                // Removals of this article that arrived before its text
                // (gone captures name it; listings may name a derived id).
                {
                    let waiting: bool = self
                        .conn
                        .prepare_cached(
                            "SELECT EXISTS(SELECT 1 FROM captures WHERE article_id = ?1 AND status != 200)
                                 OR EXISTS(SELECT 1 FROM listing_presence WHERE article_id = ?1)",
                        )?
                        .query_row([&id], |r| r.get(0))?;
                    if waiting {
                        self.rebuild_versions(&id)?;
                    }
                }
                Ok(Outcome::NewArticle { id, seq })
            }
            Some(state) => {
                let step = decide::step(&state, hash, &observed_at);
                // The common re-capture only extends the last version. The
                // two updates this takes wait in memory and are written
                // together before the commit ([`ArchiveWriter::flush_extensions`]).
                if step == Step::Extend {
                    let ext =
                        self.known
                            .extensions
                            .entry(id.clone())
                            .or_insert_with(|| Extension {
                                version: state.versions,
                                last_seen: String::new(),
                                captures: 0,
                            });
                    ext.last_seen.clone_from(&observed_at);
                    ext.captures += 1;
                    self.known.articles.insert(
                        id.clone(),
                        ArticleState {
                            last_seen: observed_at,
                            ..state
                        },
                    );
                    return Ok(Outcome::Unchanged { id });
                }
                let (versions_before, versions_after, new_current) = if step == Step::Append {
                    self.append_version(&id, &state, hash, &observed_at, rec)?;
                    let n = state.versions as usize;
                    (n, n + 1, hash.to_string())
                } else {
                    self.rebuild_versions(&id)?
                };
                let (old_current, old_last_seen) = (state.current, state.last_seen);
                // Metadata follows the latest observation. What it was
                // before this run is kept, for `forget` to put back.
                if observed_at >= old_last_seen {
                    self.conn
                        .prepare_cached(
                            "INSERT OR IGNORE INTO run_overwrites(run_id, article_id, url, language,
                               published, media, photo_count, byline, commentary, language_detected)
                             SELECT ?1, id, url, language, published, media, photo_count, byline,
                               commentary, language_detected
                             FROM articles WHERE id = ?2",
                        )?
                        .execute(params![run.run_id, id])?;
                    self.conn
                        .prepare_cached(
                            "UPDATE articles SET url = COALESCE(?2, url), language = COALESCE(?3, language),
                               published = COALESCE(?4, published), media = ?5,
                               photo_count = COALESCE(?6, photo_count), byline = COALESCE(?7, byline),
                               commentary = COALESCE(?8, commentary),
                               language_detected = CASE WHEN ?3 IS NULL THEN language_detected ELSE ?9 END
                             WHERE id = ?1",
                        )?
                        .execute(params![
                            id,
                            rec.url,
                            rec.language,
                            rec.published.map(|d| d.to_string()),
                            media,
                            rec.photo_count,
                            rec.byline,
                            rec.commentary,
                            rec.language_detected
                        ])?;
                }
                let seq = if new_current != old_current {
                    let seq = run.take_seq();
                    let title_only: bool = if new_current == hash {
                        rec.paragraphs.is_empty()
                    } else {
                        self.conn
                            .prepare_cached(
                                "SELECT paragraphs = '[]' FROM contents WHERE hash = ?1",
                            )?
                            .query_row([&new_current], |r| r.get(0))?
                    };
                    self.conn
                        .prepare_cached(
                            "UPDATE articles SET seq = ?2, current_hash = ?3, title_only = ?4 WHERE id = ?1",
                        )?
                        .execute(params![id, seq, new_current, title_only])?;
                    Some(seq)
                } else {
                    None
                };
                if versions_after > versions_before {
                    Ok(Outcome::NewVersion { id, seq })
                } else {
                    Ok(Outcome::Unchanged { id })
                }
            }
        }
    }

    /// The ordinal of (key, content) in this batch: the ordinal of the
    /// archived article under the key that already holds this content, or
    /// the smallest ordinal not yet claimed in this batch by a record
    /// captured at the same moment (`captured_at`: the capture time as
    /// stored, '' when the input gave none). The flag is true when no
    /// article with that ordinal can exist yet (saves a lookup).
    fn ordinal_for(
        &mut self,
        run: &mut IngestRun,
        claim: (u128, Option<i64>),
        key: &str,
        captured_at: &str,
        hash: &str,
    ) -> Result<(u32, bool)> {
        let h = hex_u128(hash);
        if let Some(&ord) = run.seen.get(&(claim.0, h)) {
            // Known content at another moment: it still claims its
            // ordinal at this one, as a stored article would. Once entries
            // were forgotten, a missing one is left missing: the capture
            // stored next tells the claim when the entry is read again.
            let claims = match run.claimed.get_mut(&claim) {
                Some(claims) => Some(claims),
                None if !run.claims_forgotten => {
                    if run.claimed.len() >= run.cache_max {
                        run.claimed.clear();
                        run.claims_forgotten = true;
                        None
                    } else {
                        Some(run.claimed.entry(claim).or_default())
                    }
                }
                None => None,
            };
            if let Some(claims) = claims {
                if !claims.contains(&ord) {
                    claims.push(ord);
                }
            }
            return Ok((ord, false));
        }
        // Plain lookups, sorted here: with ORDER BY (or as one correlated
        // query) SQLite's STAT4 build re-prepares the statement at every
        // call.
        let mut candidates: Vec<(String, u32)> = self
            .conn
            .prepare_cached("SELECT id, ordinal FROM articles WHERE ident_key = ?1")?
            .query_map([key], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        candidates.sort_by_key(|c| c.1);
        if !run.claimed.contains_key(&claim) {
            // Until the cache first forgets, a missing entry is one never
            // claimed.
            let claims = if run.claims_forgotten {
                self.claims_stored(run, &candidates, &claim, captured_at)?
            } else {
                Vec::new()
            };
            if run.claimed.len() >= run.cache_max {
                run.claimed.clear();
                run.claims_forgotten = true;
            }
            run.claimed.insert(claim, claims);
        }
        let mut archived = None;
        for (id, ord) in &candidates {
            let holds: bool = self
                .conn
                .prepare_cached("SELECT EXISTS(SELECT 1 FROM captures WHERE article_id = ?1 AND content_hash = ?2)")?
                .query_row([id.as_str(), hash], |r| r.get(0))?;
            if holds {
                archived = Some(*ord);
                break;
            }
        }
        let stored: Vec<u32> = candidates.iter().map(|c| c.1).collect();
        let claims = run.claimed.entry(claim).or_default();
        let (ord, known_new) = decide::ordinal(archived, claims, &stored);
        if !claims.contains(&ord) {
            claims.push(ord);
        }
        if run.seen.len() >= run.cache_max {
            run.seen.clear();
        }
        run.seen.insert((claim.0, h), ord);
        Ok((ord, known_new))
    }

    /// The ordinals this run claimed under a key at a moment, read again
    /// from what it stored: the articles under the key (`candidates`) with
    /// a capture of this run at that moment, and the claims of captures an
    /// earlier run had stored.
    fn claims_stored(
        &mut self,
        run: &IngestRun,
        candidates: &[(String, u32)],
        claim: &(u128, Option<i64>),
        captured_at: &str,
    ) -> Result<Vec<u32>> {
        let mut claims = run.claimed_stored.get(claim).cloned().unwrap_or_default();
        for (id, ord) in candidates {
            if claims.contains(ord) {
                continue;
            }
            let captured_in_run: bool = self
                .conn
                .prepare_cached(
                    "SELECT EXISTS(SELECT 1 FROM captures
                     WHERE article_id = ?1 AND captured_at = ?2 AND run_id = ?3)",
                )?
                .query_row(params![id, captured_at, run.run_id], |r| r.get(0))?;
            if captured_in_run {
                claims.push(*ord);
            }
        }
        Ok(claims)
    }

    /// Re-derives an article's versions from its captures and listing
    /// observations in capture-time order, then its changes; returns
    /// (versions before, versions after, current content).
    pub(crate) fn rebuild_versions(&mut self, id: &str) -> Result<(usize, usize, String)> {
        // Everything a waiting extension says is in the captures read below.
        self.known.extensions.remove(id);
        let before: i64 = self
            .conn
            .prepare_cached("SELECT COUNT(*) FROM versions WHERE article_id = ?1")?
            .query_row([id], |r| r.get(0))?;
        // The stored analyses, read while the versions they were made
        // from (which tell a restoration) are still there.
        let known = self.known_analyses(id)?;
        let mut events: Vec<(String, u8, i64, Event)> = self
            .conn
            .prepare_cached(
                "SELECT content_hash, observed_at, status, id FROM captures WHERE article_id = ?1",
            )?
            .query_map([id], |r| {
                let status: i64 = r.get(2)?;
                let event = if status == 200 {
                    Event::Content(r.get(0)?)
                } else {
                    Event::Gone(status.to_string())
                };
                Ok((r.get(1)?, 0, r.get(3)?, event))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let presence: Vec<(String, bool)> = self
            .conn
            .prepare_cached(
                "SELECT captured_at, present FROM listing_presence WHERE article_id = ?1",
            )?
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (at, present) in presence {
            let event = if present {
                Event::Listed
            } else {
                Event::Gone("delisted".into())
            };
            // A listing observed at the same moment as a capture counts after it.
            events.push((at, 1, 0, event));
        }
        events.sort_by(|a, b| (&a.0, a.1, a.2).cmp(&(&b.0, b.1, b.2)));
        let versions = decide::derive_versions(events);

        self.conn
            .prepare_cached("DELETE FROM versions WHERE article_id = ?1")?
            .execute([id])?;
        for (n, v) in versions.iter().enumerate() {
            self.conn
                .prepare_cached(
                    "INSERT INTO versions(article_id, n, content_hash, first_seen, last_seen, captures, gone)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute(params![id, n as i64 + 1, v.hash, v.first, v.last, v.captures, v.gone])?;
        }
        let current = versions
            .iter()
            .rev()
            .find(|v| v.gone.is_none())
            .map(|v| v.hash.clone())
            .ok_or_else(|| {
                ArchiveError::Corrupt(format!("article {id} has no capture with content"))
            })?;
        let first = versions
            .first()
            .map(|v| v.first.clone())
            .unwrap_or_default();
        let last = versions.last().map(|v| v.last.clone()).unwrap_or_default();
        let gone = versions.last().and_then(|v| v.gone.clone());
        self.conn
            .prepare_cached(
                "UPDATE articles SET first_seen = ?2, last_seen = ?3, gone = ?4, versions = ?5 WHERE id = ?1",
            )?
            .execute(params![id, first, last, gone, versions.len() as i64])?;
        // Every caller stores `current` as the article's current content.
        self.known.articles.insert(
            id.to_string(),
            ArticleState {
                current: current.clone(),
                last_seen: last.clone(),
                versions: versions.len() as i64,
                gone: gone.is_some(),
            },
        );
        self.rebuild_changes(id, &versions, known)?;
        Ok((before as usize, versions.len(), current))
    }

    /// Adds version `state.versions + 1` holding `hash` (the content of
    /// `rec`, captured at `at`, later than anything known of the article,
    /// which is not gone) and the change to it: what
    /// [`ArchiveWriter::rebuild_versions`] would derive, without reading the
    /// article's captures and rewriting its versions and changes.
    fn append_version(
        &mut self,
        id: &str,
        state: &ArticleState,
        hash: &str,
        at: &str,
        rec: &CaptureRecord,
    ) -> Result<()> {
        let n = state.versions;
        // Re-captures still waiting to extend version n are written now:
        // the next ones extend version n + 1.
        if let Some(ext) = self.known.extensions.remove(id) {
            self.conn
                .prepare_cached(
                    "UPDATE versions SET last_seen = ?3, captures = captures + ?4
                     WHERE article_id = ?1 AND n = ?2",
                )?
                .execute(params![id, ext.version, ext.last_seen, ext.captures])?;
        }
        self.conn
            .prepare_cached(
                "INSERT INTO versions(article_id, n, content_hash, first_seen, last_seen, captures, gone)
                 VALUES (?1, ?2, ?3, ?4, ?4, 1, NULL)",
            )?
            .execute(params![id, n + 1, hash, at])?;
        self.conn
            .prepare_cached("UPDATE articles SET last_seen = ?2, versions = ?3 WHERE id = ?1")?
            .execute(params![id, at, n + 1])?;
        let to = if self.stored_own_text == Some(hex_u128(hash)) {
            (rec.title.clone(), rec.paragraphs.clone())
        } else {
            self.content(hash)?
        };
        let job = PendingChange {
            article_id: id.to_string(),
            restored: false,
            from: self.content(&state.current)?,
            to,
            from_hash: state.current.clone(),
            to_hash: hash.to_string(),
        };
        let analysed = self.analyse_or_defer(job)?;
        self.insert_change(
            id,
            n,
            (&state.current, hash),
            (&state.last_seen, at),
            &analysed,
        )?;
        self.known.articles.insert(
            id.to_string(),
            ArticleState {
                current: hash.to_string(),
                last_seen: at.to_string(),
                versions: n + 1,
                gone: false,
            },
        );
        Ok(())
    }
}

/// The key of a claim: the identity key and the capture time as the input
/// gave it, to the microsecond (`None`: it gave none). Read again from the
/// archive (once the cache has forgotten entries, past 100,000 keys and
/// moments), whose captures keep whole seconds, an entry also holds the
/// claims of the other moments of its second: a record may then become a
/// new article where it would have been another moment's version.
fn claim_key(key: &str, rec: &CaptureRecord) -> (u128, Option<i64>) {
    (hex_u128(key), rec.captured_at.map(|t| t.timestamp_micros()))
}
