//! Storing captures: identity, captures, versions.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use tealeaf_model::dates::format_timestamp;
use tealeaf_model::identity::{derived_id, identity_key};
use tealeaf_model::{CaptureRecord, ListingRecord};

use crate::{Archive, ArchiveError, Result};

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

/// The derived values storing a capture needs: computed by
/// [`Prepared::of`] on any thread, so that ingest can do it beside the
/// archive writer.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub content_hash: String,
    /// `None` for records with an explicit id.
    pub identity_key: Option<String>,
    pub paragraphs_json: String,
}

impl Prepared {
    pub fn of(rec: &CaptureRecord) -> Prepared {
        Prepared {
            content_hash: rec.content_hash(),
            identity_key: rec.id.is_none().then(|| {
                identity_key(
                    &rec.outlet,
                    rec.published,
                    rec.language.as_deref(),
                    &rec.title,
                )
            }),
            paragraphs_json: serde_json::to_string(&rec.paragraphs).unwrap_or_else(|_| "[]".into()),
        }
    }
}

/// An article's state as last stored by this connection.
#[derive(Debug, Clone)]
pub(crate) struct ArticleState {
    current: String,
    last_seen: String,
    versions: i64,
    gone: bool,
}

/// What the archive writer knows without asking SQLite: the state of
/// articles it stored or looked up, and content hashes it knows stored.
/// Bounded; forgotten when another connection writes.
#[derive(Debug, Default)]
pub(crate) struct Known {
    articles: HashMap<String, ArticleState>,
    /// Re-captures that extend an article's last version, not yet written.
    extensions: HashMap<String, Extension>,
    /// Articles this connection created and nobody has analysed yet.
    pub(crate) unanalysed_new: foldhash::HashSet<String>,
    /// Digest of the analysis rows this connection wrote (or has waiting)
    /// for an article, and the seq they are stored under.
    pub(crate) analysis_prints: foldhash::HashMap<String, ([u8; 16], i64)>,
    contents: std::collections::HashSet<u128>,
    data_version: Option<i64>,
}

/// Re-captures of an article's current content, to add to its last
/// version.
#[derive(Debug)]
struct Extension {
    /// The version they extend (`versions.n`).
    version: i64,
    last_seen: String,
    captures: i64,
}

/// Articles (and contents) remembered at most; past it, forgotten at once.
const KNOWN_MAX: usize = 1_000_000;

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

/// State of one ingest run (one capture batch, in design.md's words).
pub struct IngestRun {
    pub run_id: i64,
    pub started_at: DateTime<Utc>,
    started_text: String,
    /// Per identity key: which ordinals are taken in this batch.
    claimed: HashMap<u128, Vec<u32>>,
    /// (identity key, content hash) → ordinal, for records seen in this batch.
    seen: HashMap<(u128, u128), u32>,
    next_seq: i64,
}

impl IngestRun {
    /// A capture's time as the input gave it ('' when it did not), and the
    /// time its history is ordered by (that, or this run's start).
    fn capture_times(&self, rec: &CaptureRecord) -> (String, String) {
        let captured_at = rec
            .captured_at
            .as_ref()
            .map(format_timestamp)
            .unwrap_or_default();
        let observed_at = if captured_at.is_empty() {
            self.started_text.clone()
        } else {
            captured_at.clone()
        };
        (captured_at, observed_at)
    }
}

pub(crate) fn hex_u128(hex: &str) -> u128 {
    u128::from_str_radix(hex, 16).unwrap_or(0)
}

impl Archive {
    /// Starts an ingest run: one capture batch.
    pub fn start_run(&mut self, sources: &[String]) -> Result<IngestRun> {
        let started_at = Utc::now();
        let started_text = format_timestamp(&started_at);
        self.conn.execute(
            "INSERT INTO runs(started_at, sources) VALUES (?1, ?2)",
            params![
                started_text,
                serde_json::to_string(sources).unwrap_or_default()
            ],
        )?;
        let run_id = self.conn.last_insert_rowid();
        Ok(IngestRun {
            run_id,
            started_at,
            started_text,
            claimed: HashMap::new(),
            seen: HashMap::new(),
            next_seq: self.max_seq()? + 1,
        })
    }

    pub fn finish_run(&mut self, run: &IngestRun, summary: &serde_json::Value) -> Result<()> {
        self.conn.execute(
            "UPDATE runs SET finished_at = ?1, summary = ?2 WHERE id = ?3",
            params![
                format_timestamp(&Utc::now()),
                summary.to_string(),
                run.run_id
            ],
        )?;
        Ok(())
    }

    /// Decides which article `rec` is a capture of (see the identity rule in
    /// `tealeaf_model::identity`) and stores it; `prep` is
    /// `Prepared::of(rec)`. Meant for inside [`Archive::begin`]/
    /// [`Archive::commit`] (many captures a transaction); outside, it runs in
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
                     (article_id, url, captured_at, observed_at, source, line, reason)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'neither title nor body')",
                )?
                .execute(params![
                    id,
                    rec.url.as_deref().unwrap_or(""),
                    captured_at,
                    observed_at,
                    rec.origin.source,
                    rec.origin.line as i64
                ])?;
            return Ok(Outcome::Failed { id });
        }

        let (id, key, ordinal, known_new) = match (&rec.id, &prep.identity_key) {
            (Some(id), _) => (id.clone(), None, None, false),
            (None, Some(key)) => {
                let (ordinal, known_new) = self.ordinal_for(run, key, hash)?;
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
                 (article_id, content_hash, captured_at, observed_at, source, line, warnings)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                id,
                hash,
                captured_at,
                observed_at,
                rec.origin.source,
                rec.origin.line as i64,
                warnings
            ])?;
        if inserted == 0 {
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
                let seq = run.next_seq;
                run.next_seq += 1;
                // Stored as analysed when its analysis is expected in this
                // transaction (see `Archive::expect_analysis`).
                let analysed = self.expect_analysis && self.in_batch;
                self.conn
                    .prepare_cached(
                        "INSERT INTO articles(id, seq, outlet, ident_key, ordinal, url, language,
                           published, media, photo_count, byline, current_hash, title_only,
                           first_seen, last_seen, analyzed_seq)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?15)",
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
                        analysed.then_some(seq)
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
                let ArticleState {
                    current: old_current,
                    last_seen: old_last_seen,
                    ..
                } = &state;
                // The common re-capture: the current content, seen again
                // later. It only extends the last version.
                // The two updates this takes wait in memory and are written
                // together before the commit ([`Archive::flush_extensions`]).
                if hash == old_current && observed_at >= *old_last_seen && !state.gone {
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
                // New content seen after everything known of the article:
                // a version is appended, nothing before it is re-derived.
                let appends = observed_at > *old_last_seen && !state.gone;
                let (versions_before, versions_after, new_current) = if appends {
                    self.append_version(&id, &state, hash, &observed_at, rec)?;
                    let n = state.versions as usize;
                    (n, n + 1, hash.to_string())
                } else {
                    self.rebuild_versions(&id)?
                };
                let (old_current, old_last_seen) = (state.current, state.last_seen);
                // Metadata follows the latest observation.
                if observed_at >= old_last_seen {
                    self.conn
                        .prepare_cached(
                            "UPDATE articles SET url = COALESCE(?2, url), language = COALESCE(?3, language),
                               published = COALESCE(?4, published), media = ?5,
                               photo_count = COALESCE(?6, photo_count), byline = COALESCE(?7, byline)
                             WHERE id = ?1",
                        )?
                        .execute(params![
                            id,
                            rec.url,
                            rec.language,
                            rec.published.map(|d| d.to_string()),
                            media,
                            rec.photo_count,
                            rec.byline
                        ])?;
                }
                let seq = if new_current != old_current {
                    let seq = run.next_seq;
                    run.next_seq += 1;
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
    /// the smallest ordinal not yet claimed in this batch. The flag is true
    /// when no article with that ordinal can exist yet (saves a lookup).
    fn ordinal_for(&mut self, run: &mut IngestRun, key: &str, hash: &str) -> Result<(u32, bool)> {
        let (k, h) = (hex_u128(key), hex_u128(hash));
        if let Some(&ord) = run.seen.get(&(k, h)) {
            return Ok((ord, false));
        }
        let claimed = run.claimed.entry(k).or_default();
        // Plain lookups, sorted here: with ORDER BY (or as one correlated
        // query) SQLite's STAT4 build re-prepares the statement at every
        // call, which cost a third of the ingest time.
        let mut candidates: Vec<(String, u32)> = self
            .conn
            .prepare_cached("SELECT id, ordinal FROM articles WHERE ident_key = ?1")?
            .query_map([key], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        candidates.sort_by_key(|c| c.1);
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
        let ord = match archived {
            Some(ord) => ord,
            None => (0..).find(|o| !claimed.contains(o)).unwrap_or(0),
        };
        if !claimed.contains(&ord) {
            claimed.push(ord);
        }
        run.seen.insert((k, h), ord);
        let known_new = archived.is_none() && candidates.iter().all(|c| c.1 != ord);
        Ok((ord, known_new))
    }

    /// Re-derives an article's versions from its captures and listing
    /// observations in capture-time order, then its changes; returns
    /// (versions before, versions after, current content).
    fn rebuild_versions(&mut self, id: &str) -> Result<(usize, usize, String)> {
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
        let versions = derive_versions(events);

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
    /// [`Archive::rebuild_versions`] would derive, without reading the
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

    /// Re-derives the changes between consecutive versions; pairs already
    /// analysed keep their stored analysis (diffs are the costly part).
    /// With [`Archive::defer_changes`] on, a new pair is stored pending
    /// (kind '') and queued for the caller to analyse.
    fn rebuild_changes(
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
            // Removed: to ''. Restored: from the last content before the
            // removal, so its hunks show what came back different.
            let (from_hash, to_hash) = match (&old.gone, &new.gone) {
                (None, Some(_)) => (old.hash.clone(), String::new()),
                (Some(_), None) => (last_content.unwrap_or("").to_string(), new.hash.clone()),
                (None, None) => (old.hash.clone(), new.hash.clone()),
                (Some(_), Some(_)) => continue,
            };
            // The same two contents make a different change when the
            // second brings the article back after a removal.
            let key = (from_hash.clone(), to_hash.clone(), old.gone.is_some());
            let analysed = match known.remove(&key) {
                Some(found) => found,
                None if new.gone.is_some() => ("removed".to_string(), None, None, "[]".to_string()),
                None if old.gone.is_some() && from_hash == to_hash => {
                    ("restored".to_string(), None, None, "[]".to_string())
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
    fn insert_change(
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
                kind,
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
    /// [`Archive::defer_changes`] on, queued for the caller and stored
    /// pending (kind '') meanwhile.
    fn analyse_or_defer(&mut self, job: PendingChange) -> Result<Analysed> {
        let analysed = match &mut self.deferred {
            Some(queue) => {
                queue.push(job);
                (String::new(), None, None, "[]".to_string())
            }
            None => job.analyse().into_row(),
        };
        if analysed.0.is_empty() {
            self.mark_changes_pending()?;
        }
        Ok(analysed)
    }

    /// The analyses stored for an article's changes, by their two contents
    /// and whether the change is a restoration (pending ones included).
    fn known_analyses(&mut self, id: &str) -> Result<HashMap<ChangeKey, Analysed>> {
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
                (r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?),
            );
        }
        Ok(known)
    }

    /// Writes the re-captures that extend last versions (see
    /// [`Archive::store`]): one statement for many articles, which SQLite
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

    /// Stores changes pending and queues their analysis instead of
    /// computing word diffs while storing (`true`), or computes them
    /// inline again (`false`). The caller analyses what
    /// [`Archive::take_pending_changes`] returns and stores the results with
    /// [`Archive::store_change_analysis`]; pending changes left by an
    /// interrupted run are completed by [`Archive::complete_pending_changes`].
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
                a.kind,
                a.changed,
                a.similarity,
                a.hunks
            ])?;
        Ok(())
    }

    /// Whether an interrupted run left changes without their analysis.
    pub fn has_pending_changes(&self) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT EXISTS(SELECT 1 FROM meta WHERE key = 'changes_pending')")?
            .query_row([], |r| r.get(0))?)
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

    fn mark_changes_pending(&mut self) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT OR IGNORE INTO meta(key, value) VALUES ('changes_pending', '1')",
            )?
            .execute([])?;
        Ok(())
    }

    fn content(&self, hash: &str) -> Result<(String, Vec<String>)> {
        let (title, ps): (String, String) = self
            .conn
            .prepare_cached("SELECT title, paragraphs FROM contents WHERE hash = ?1")?
            .query_row([hash], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let paragraphs = serde_json::from_str(&ps)
            .map_err(|e| ArchiveError::Corrupt(format!("content {hash}: {e}")))?;
        Ok((title, paragraphs))
    }

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
                 (article_id, content_hash, captured_at, observed_at, source, line, status)
                 VALUES (?1, '', ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                id,
                captured_at,
                observed_at,
                rec.origin.source,
                rec.origin.line as i64,
                status
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
                "INSERT OR IGNORE INTO listing_captures(listing, outlet, captured_at, items, source, line)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![rec.listing, rec.outlet, captured_at, items_json, rec.origin.source, rec.origin.line as i64])?;
        if inserted == 0 {
            return Ok(Vec::new());
        }
        let captures: Vec<(String, std::collections::HashSet<String>)> = self
            .conn
            .prepare_cached("SELECT captured_at, items FROM listing_captures WHERE listing = ?1")?
            .query_map([&rec.listing], |r| {
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
                    .execute(params![rec.listing, member, at, items.contains(member)])?;
            }
            if changed > 0 {
                touched.push(member.clone());
            }
        }
        touched.sort();
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
                let seq = run.next_seq;
                run.next_seq += 1;
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
}

/// A stored change analysis: kind, share changed, similarity, hunks JSON.
type Analysed = (String, Option<f64>, Option<f64>, String);

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
    pub kind: String,
    pub changed: Option<f64>,
    pub similarity: Option<f64>,
    /// JSON array of hunks.
    pub hunks: String,
}

impl ChangeAnalysis {
    fn into_row(self) -> Analysed {
        (self.kind, self.changed, self.similarity, self.hunks)
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
            ("restored".to_string(), a)
        } else {
            let a = tealeaf_diff::classify(&a, &b, &thresholds);
            (a.kind.as_str().to_string(), Some(a))
        };
        ChangeAnalysis {
            kind,
            changed: assessment.map(|a| a.changed),
            similarity: assessment.map(|a| a.similarity),
            hunks: serde_json::to_string(&hunks).unwrap_or_else(|_| "[]".into()),
        }
    }
}

/// What happened at one moment of an article's history.
enum Event {
    Content(String),
    Gone(String),
    /// A listing held the article (no content seen).
    Listed,
}

/// One derived version: a content state, or the article gone.
pub(crate) struct DerivedVersion {
    hash: String,
    gone: Option<String>,
    first: String,
    last: String,
    captures: i64,
}

/// Consecutive captures of one content are one version; a gone capture
/// starts a gone version; a listing that holds a gone article again
/// restores its last content. Events before the first content are ignored
/// (nothing to remove yet).
fn derive_versions(events: Vec<(String, u8, i64, Event)>) -> Vec<DerivedVersion> {
    let mut versions: Vec<DerivedVersion> = Vec::new();
    let mut last_content: Option<String> = None;
    for (at, _, _, event) in events {
        match event {
            Event::Content(hash) => {
                match versions.last_mut() {
                    Some(v) if v.gone.is_none() && v.hash == hash => {
                        v.last = at;
                        v.captures += 1;
                    }
                    _ => versions.push(DerivedVersion {
                        hash: hash.clone(),
                        gone: None,
                        first: at.clone(),
                        last: at,
                        captures: 1,
                    }),
                }
                last_content = Some(hash);
            }
            Event::Gone(reason) => match versions.last_mut() {
                None => {}
                Some(v) if v.gone.is_some() => {
                    v.last = at;
                    v.captures += 1;
                }
                Some(_) => versions.push(DerivedVersion {
                    hash: String::new(),
                    gone: Some(reason),
                    first: at.clone(),
                    last: at,
                    captures: 1,
                }),
            },
            Event::Listed => match (versions.last_mut(), &last_content) {
                (Some(v), Some(hash)) if v.gone.is_some() => versions.push(DerivedVersion {
                    hash: hash.clone(),
                    gone: None,
                    first: at.clone(),
                    last: at,
                    captures: 1,
                }),
                (Some(v), _) => {
                    if at > v.last {
                        v.last = at;
                    }
                }
                (None, _) => {}
            },
        }
    }
    versions
}
