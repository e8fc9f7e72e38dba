//! Storing captures: identity, captures, versions.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use tealeaf_model::dates::format_timestamp;
use tealeaf_model::identity::{derived_id, identity_key};
use tealeaf_model::CaptureRecord;

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

fn hex_u128(hex: &str) -> u128 {
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
    /// `Prepared::of(rec)`. Must be inside [`Archive::begin`]/[`Archive::commit`].
    pub fn store(
        &mut self,
        run: &mut IngestRun,
        rec: &CaptureRecord,
        prep: &Prepared,
    ) -> Result<Outcome> {
        let hash = prep.content_hash.as_str();
        let captured_at = rec
            .captured_at
            .as_ref()
            .map(format_timestamp)
            .unwrap_or_default();
        let observed_at = if captured_at.is_empty() {
            run.started_text.clone()
        } else {
            captured_at.clone()
        };

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

        self.conn
            .prepare_cached(
                "INSERT OR IGNORE INTO contents(hash, title, paragraphs) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![hash, rec.title, prep.paragraphs_json])?;

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

        let existing: Option<(String, String)> = if known_new {
            None
        } else {
            self.conn
                .prepare_cached("SELECT current_hash, last_seen FROM articles WHERE id = ?1")?
                .query_row([&id], |r| Ok((r.get(0)?, r.get(1)?)))
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
                self.conn
                    .prepare_cached(
                        "INSERT INTO articles(id, seq, outlet, ident_key, ordinal, url, language,
                           published, media, photo_count, byline, current_hash, title_only,
                           first_seen, last_seen)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)",
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
                        observed_at
                    ])?;
                self.conn
                    .prepare_cached(
                        "INSERT INTO versions(article_id, n, content_hash, first_seen, last_seen, captures)
                         VALUES (?1, 1, ?2, ?3, ?3, 1)",
                    )?
                    .execute(params![id, hash, observed_at])?;
                Ok(Outcome::NewArticle { id, seq })
            }
            Some((old_current, old_last_seen)) => {
                let (versions_before, versions_after, new_current) = self.rebuild_versions(&id)?;
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
                    let title_only: bool = self
                        .conn
                        .prepare_cached("SELECT paragraphs = '[]' FROM contents WHERE hash = ?1")?
                        .query_row([&new_current], |r| r.get(0))?;
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

    /// Re-derives an article's versions from its captures in capture-time
    /// order; returns (versions before, versions after, current content).
    fn rebuild_versions(&mut self, id: &str) -> Result<(usize, usize, String)> {
        let before: i64 = self
            .conn
            .prepare_cached("SELECT COUNT(*) FROM versions WHERE article_id = ?1")?
            .query_row([id], |r| r.get(0))?;
        let caps: Vec<(String, String)> = self
            .conn
            .prepare_cached(
                "SELECT content_hash, observed_at FROM captures WHERE article_id = ?1
                 ORDER BY observed_at, id",
            )?
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        // (hash, first_seen, last_seen, captures)
        let mut versions: Vec<(String, String, String, i64)> = Vec::new();
        for (hash, at) in caps {
            match versions.last_mut() {
                Some(v) if v.0 == hash => {
                    v.2 = at;
                    v.3 += 1;
                }
                _ => versions.push((hash, at.clone(), at, 1)),
            }
        }
        self.conn
            .prepare_cached("DELETE FROM versions WHERE article_id = ?1")?
            .execute([id])?;
        for (n, v) in versions.iter().enumerate() {
            self.conn
                .prepare_cached(
                    "INSERT INTO versions(article_id, n, content_hash, first_seen, last_seen, captures)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?
                .execute(params![id, n as i64 + 1, v.0, v.1, v.2, v.3])?;
        }
        let first = versions.first().map(|v| v.1.clone()).unwrap_or_default();
        let last = versions.last().map(|v| v.2.clone()).unwrap_or_default();
        self.conn
            .prepare_cached("UPDATE articles SET first_seen = ?2, last_seen = ?3 WHERE id = ?1")?
            .execute(params![id, first, last])?;
        let current = versions
            .last()
            .map(|v| v.0.clone())
            .ok_or_else(|| ArchiveError::Corrupt(format!("article {id} has no captures")))?;
        Ok((before as usize, versions.len(), current))
    }
}
