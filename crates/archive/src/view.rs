//! Reading the archive: articles with their versions, stats, and the
//! documents the index is built from.

use std::collections::{BTreeMap, HashMap};

use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use tealeaf_diff::ChangeKind;
use tealeaf_model::{ArticleDoc, Outlet};

use crate::{ArchiveError, ArchiveReader, ArchiveWriter, Result};

#[derive(Debug, Clone, Serialize)]
pub struct VersionView {
    pub n: i64,
    pub content_hash: String,
    /// Why the article was gone in this version ('404', '410',
    /// 'delisted'); `None` for a version with content (title, paragraphs).
    pub gone: Option<String>,
    pub first_seen: String,
    pub last_seen: String,
    pub captures: i64,
    pub title: String,
    pub paragraphs: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleView {
    pub id: String,
    pub outlet: String,
    pub outlet_name: String,
    pub url: Option<String>,
    pub language: Option<String>,
    pub published: Option<String>,
    pub weekday: Option<String>,
    pub media: Vec<String>,
    pub photo_count: Option<u32>,
    pub title: String,
    pub paragraphs: Vec<String>,
    pub byline: Option<String>,
    /// An editor's commentary kept apart from the text.
    pub commentary: Option<String>,
    /// `language` was detected from the text, not given by the input.
    pub language_detected: bool,
    pub title_only: bool,
    pub first_seen: String,
    pub last_seen: String,
    pub versions: Vec<VersionView>,
    pub failed_captures: i64,
    pub warnings: Vec<String>,
    /// Set when the article is gone now ('404', '410', 'delisted').
    pub gone: Option<String>,
    /// The same story in other languages, surest first.
    pub translations: Vec<crate::RelatedArticle>,
    /// The same text printed again (reprints, re-runs, under another
    /// title), earliest first.
    pub reprints: Vec<crate::RelatedArticle>,
}

/// A search hit's display data.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleSummary {
    pub id: String,
    pub outlet: String,
    pub published: Option<String>,
    pub language: Option<String>,
    pub title: String,
    pub paragraphs: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub articles: i64,
    pub versions: i64,
    pub captures: i64,
    pub failed_captures: i64,
    pub title_only: i64,
    pub outlets: BTreeMap<String, i64>,
    pub languages: BTreeMap<String, i64>,
    pub first_published: Option<String>,
    pub last_published: Option<String>,
}

fn paragraphs_from_json(id: &str, json: &str) -> Result<Vec<String>> {
    serde_json::from_str(json)
        .map_err(|e| ArchiveError::Corrupt(format!("paragraphs of {id}: {e}")))
}

/// An article's current version as read, its paragraphs not yet parsed
/// from their stored form.
pub struct UnparsedDoc {
    doc: ArticleDoc,
    paragraphs: String,
}

impl UnparsedDoc {
    /// The document with its paragraphs.
    pub fn parse(self) -> Result<ArticleDoc> {
        let paragraphs = paragraphs_from_json(&self.doc.id, &self.paragraphs)?;
        Ok(ArticleDoc {
            paragraphs,
            ..self.doc
        })
    }
}

impl ArchiveReader {
    pub fn article(&self, id: &str) -> Result<ArticleView> {
        let row = self
            .conn
            .query_row(
                "SELECT a.id, a.outlet, a.url, a.language, a.published, a.media, a.photo_count,
                        a.byline, a.title_only, a.first_seen, a.last_seen, c.title, c.paragraphs,
                        a.commentary, a.language_detected
                 FROM articles a JOIN contents c ON c.hash = a.current_hash WHERE a.id = ?1",
                [id],
                |r| {
                    Ok((
                        (
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, Option<String>>(2)?,
                            r.get::<_, Option<String>>(3)?,
                            r.get::<_, Option<String>>(4)?,
                            r.get::<_, String>(5)?,
                            r.get::<_, Option<u32>>(6)?,
                        ),
                        (
                            r.get::<_, Option<String>>(7)?,
                            r.get::<_, bool>(8)?,
                            r.get::<_, String>(9)?,
                            r.get::<_, String>(10)?,
                            r.get::<_, String>(11)?,
                            r.get::<_, String>(12)?,
                        ),
                        (r.get::<_, Option<String>>(13)?, r.get::<_, bool>(14)?),
                    ))
                },
            )
            .optional()?
            .ok_or_else(|| ArchiveError::NotFound(id.to_string()))?;
        let (
            (id, outlet, url, language, published, media, photo_count),
            rest,
            (commentary, language_detected),
        ) = row;
        let (byline, title_only, first_seen, last_seen, title, paragraphs) = rest;
        let paragraphs = paragraphs_from_json(&id, &paragraphs)?;

        let mut versions = Vec::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT v.n, v.content_hash, v.first_seen, v.last_seen, v.captures, c.title, c.paragraphs, v.gone
             FROM versions v LEFT JOIN contents c ON c.hash = v.content_hash
             WHERE v.article_id = ?1 ORDER BY v.n",
        )?;
        let mut rows = stmt.query([&id])?;
        while let Some(r) = rows.next()? {
            let ps: Option<String> = r.get(6)?;
            versions.push(VersionView {
                n: r.get(0)?,
                content_hash: r.get(1)?,
                gone: r.get(7)?,
                first_seen: r.get(2)?,
                last_seen: r.get(3)?,
                captures: r.get(4)?,
                title: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                paragraphs: match ps {
                    Some(ps) => paragraphs_from_json(&id, &ps)?,
                    None => Vec::new(),
                },
            });
        }
        let failed_captures: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM failed_captures WHERE article_id = ?1",
            [&id],
            |r| r.get(0),
        )?;
        let mut warnings = Vec::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT warnings FROM captures WHERE article_id = ?1 AND warnings IS NOT NULL",
        )?;
        let mut rows = stmt.query([&id])?;
        while let Some(r) = rows.next()? {
            let w: String = r.get(0)?;
            for w in serde_json::from_str::<Vec<String>>(&w).unwrap_or_default() {
                if !warnings.contains(&w) {
                    warnings.push(w);
                }
            }
        }
        let weekday = published
            .as_deref()
            .and_then(|p| chrono::NaiveDate::parse_from_str(p, "%Y-%m-%d").ok())
            .map(|d| tealeaf_model::dates::weekday_name(d).to_string());
        let gone = versions.last().and_then(|v| v.gone.clone());
        let (translations, reprints) = self.related_articles(&id)?;
        Ok(ArticleView {
            gone,
            translations,
            reprints,
            outlet_name: Outlet::display_name(&outlet),
            id,
            outlet,
            url,
            language,
            published,
            weekday,
            media: media
                .split(',')
                .filter(|m| !m.is_empty())
                .map(str::to_string)
                .collect(),
            photo_count,
            title,
            paragraphs,
            byline,
            commentary,
            language_detected,
            title_only,
            first_seen,
            last_seen,
            versions,
            failed_captures,
            warnings,
        })
    }

    /// Ids that start with `prefix` (for `show` with a shortened id).
    pub fn ids_with_prefix(&self, prefix: &str, limit: usize) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM articles WHERE id >= ?1 AND id < ?1 || x'ff' ORDER BY id LIMIT ?2",
        )?;
        let ids = stmt
            .query_map(params![prefix, limit as i64], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// The archive's counts, read from the aggregates schema 12 keeps
    /// (see [`ArchiveReader::aggregate_drift`]): no scan of the archive.
    pub fn stats(&self) -> Result<Stats> {
        let count = |name: &str| -> Result<i64> {
            Ok(self
                .conn
                .prepare_cached("SELECT n FROM row_counts WHERE name = ?1")?
                .query_row([name], |r| r.get(0))
                .optional()?
                .unwrap_or(0))
        };
        let group = |sql: &str| -> Result<BTreeMap<String, i64>> {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let map = stmt
                .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(map)
        };
        let (articles, title_only, first_published, last_published) = self.conn.query_row(
            "SELECT COALESCE(SUM(n), 0), COALESCE(SUM(n) FILTER (WHERE title_only), 0),
                    MIN(NULLIF(day, '')) FILTER (WHERE n > 0), MAX(NULLIF(day, '')) FILTER (WHERE n > 0)
             FROM article_days",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        Ok(Stats {
            articles,
            versions: count("versions")?,
            captures: count("captures")?,
            failed_captures: count("failed_captures")?,
            title_only,
            outlets: group(
                "SELECT outlet, SUM(n) FROM article_days GROUP BY outlet HAVING SUM(n) > 0",
            )?,
            languages: group(
                "SELECT IIF(language = '', '?', language), SUM(n) FROM article_days
                 GROUP BY 1 HAVING SUM(n) > 0",
            )?,
            first_published,
            last_published,
        })
    }

    /// Each aggregate that differs from a recount of the rows it counts,
    /// as `(table, key, kept, recounted)`; empty when all agree. A full
    /// scan of the archive: for tests and checks, never for a page.
    pub fn aggregate_drift(&self) -> Result<Vec<(String, String, i64, i64)>> {
        let mut drift = Vec::new();
        // Both sides are read whole and compared in memory: a join of
        // the two would be planned as a nested loop over unindexed rows.
        let read = |sql: &str| -> Result<HashMap<String, i64>> {
            let mut stmt = self.conn.prepare(sql)?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let mut compare = |table: &str, kept: &str, recount: &str| -> Result<()> {
            let (kept, recount) = (read(kept)?, read(recount)?);
            // Rows whose counts are 0 are as good as absent.
            for (key, &k) in &kept {
                let r = recount.get(key).copied().unwrap_or(0);
                if k != r {
                    drift.push((table.to_string(), key.clone(), k, r));
                }
            }
            for (key, &r) in &recount {
                if r != 0 && !kept.contains_key(key) {
                    drift.push((table.to_string(), key.clone(), 0, r));
                }
            }
            Ok(())
        };
        compare(
            "article_days",
            "SELECT outlet || '|' || language || '|' || day || '|' || title_only AS key, n FROM article_days",
            "SELECT outlet || '|' || COALESCE(language, '') || '|' || COALESCE(published, '') || '|' || (title_only != 0) AS key,
                    COUNT(*) AS n FROM articles GROUP BY 1",
        )?;
        compare(
            "row_counts",
            "SELECT name AS key, n FROM row_counts",
            "SELECT 'versions' AS key, COUNT(*) AS n FROM versions
             UNION ALL SELECT 'captures', COUNT(*) FROM captures
             UNION ALL SELECT 'failed_captures', COUNT(*) FROM failed_captures",
        )?;
        for (what, col) in [("articles", "COUNT(*)"), ("mentions", "SUM(m.count)")] {
            compare(
                &format!("entity_days.{what}"),
                &format!(
                    "SELECT kind || '|' || name || '|' || day || '|' || outlet AS key, {what} AS n FROM entity_days"
                ),
                &format!(
                    "SELECT m.kind || '|' || m.name || '|' || COALESCE(a.published, '') || '|' || a.outlet AS key,
                            {col} AS n FROM mentions m JOIN articles a ON a.id = m.article_id GROUP BY 1"
                ),
            )?;
            compare(
                &format!("entities.{what}"),
                &format!("SELECT kind || '|' || name AS key, {what} AS n FROM entities"),
                &format!(
                    "SELECT m.kind || '|' || m.name AS key, {col} AS n
                     FROM mentions m JOIN articles a ON a.id = m.article_id GROUP BY 1"
                ),
            )?;
        }
        compare(
            "title_days",
            "SELECT person || '|' || title || '|' || day AS key, articles AS n FROM title_days",
            "SELECT m.name || '|' || t.value || '|' || COALESCE(a.published, '') AS key, COUNT(*) AS n
             FROM mentions m JOIN articles a ON a.id = m.article_id JOIN json_each(m.titles) t
             WHERE m.kind = 'person' AND m.titles IS NOT NULL GROUP BY 1",
        )?;
        compare(
            "honorific_days",
            "SELECT person || '|' || title || '|' || day AS key, articles AS n FROM honorific_days",
            "SELECT m.name || '|' || t.value || '|' || COALESCE(a.published, '') AS key, COUNT(*) AS n
             FROM mentions m JOIN articles a ON a.id = m.article_id JOIN json_each(m.honorifics) t
             WHERE m.kind = 'person' AND m.honorifics IS NOT NULL GROUP BY 1",
        )?;
        // Every event that has a date to be listed by carries it.
        compare(
            "events.at",
            "SELECT e.article_id || '|' || e.n AS key, 1 AS n FROM events e JOIN articles a ON a.id = e.article_id
             WHERE e.at IS COALESCE(e.event_date, a.published) AND e.at IS NOT NULL",
            "SELECT e.article_id || '|' || e.n AS key, 1 AS n FROM events e JOIN articles a ON a.id = e.article_id
             WHERE COALESCE(e.event_date, a.published) IS NOT NULL",
        )?;
        Ok(drift)
    }

    /// Calls `f` for the current version of every article with
    /// `seq > after`, in seq order: what the index needs to catch up.
    pub fn for_each_doc_since(
        &self,
        after: i64,
        f: impl FnMut(i64, ArticleDoc) -> Result<()>,
    ) -> Result<()> {
        self.for_each_doc_between(after, i64::MAX, f)
    }

    /// As [`ArchiveReader::for_each_doc_since`], for `after < seq <= upto`.
    pub fn for_each_doc_between(
        &self,
        after: i64,
        upto: i64,
        mut f: impl FnMut(i64, ArticleDoc) -> Result<()>,
    ) -> Result<()> {
        self.for_each_unparsed_doc_between(after, upto, |seq, doc| f(seq, doc.parse()?))
    }

    /// As [`ArchiveReader::for_each_doc_between`], with each document's
    /// paragraphs still in their stored form: [`UnparsedDoc::parse`] can
    /// run on another thread than the one reading the archive.
    pub fn for_each_unparsed_doc_between(
        &self,
        after: i64,
        upto: i64,
        mut f: impl FnMut(i64, UnparsedDoc) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self.conn.prepare(
            "SELECT a.seq, a.id, a.outlet, a.language, a.published, c.title, c.paragraphs,
                    a.commentary, a.analyzed_seq
             FROM articles a JOIN contents c ON c.hash = a.current_hash
             WHERE a.seq > ?1 AND a.seq <= ?2 ORDER BY a.seq",
        )?;
        let mut rows = stmt.query([after, upto])?;
        while let Some(r) = rows.next()? {
            let published: Option<String> = r.get(4)?;
            let (people, countries) = self.doc_entities_at(r.get(8)?)?;
            let doc = ArticleDoc {
                people,
                countries,
                outlet: r.get(2)?,
                language: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                published: published
                    .and_then(|p| chrono::NaiveDate::parse_from_str(&p, "%Y-%m-%d").ok()),
                title: r.get(5)?,
                commentary: r.get::<_, Option<String>>(7)?.unwrap_or_default(),
                id: r.get(1)?,
                paragraphs: Vec::new(),
            };
            f(
                r.get(0)?,
                UnparsedDoc {
                    doc,
                    paragraphs: r.get(6)?,
                },
            )?;
        }
        Ok(())
    }

    /// Display data for a set of ids (search hits), keyed by id.
    pub fn summaries(&self, ids: &[String]) -> Result<HashMap<String, ArticleSummary>> {
        let mut out = HashMap::with_capacity(ids.len());
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.id, a.outlet, a.published, a.language, c.title, c.paragraphs
             FROM articles a JOIN contents c ON c.hash = a.current_hash WHERE a.id = ?1",
        )?;
        for id in ids {
            let row = stmt
                .query_row([id], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                    ))
                })
                .optional()?;
            if let Some((id, outlet, published, language, title, ps)) = row {
                let paragraphs = paragraphs_from_json(&id, &ps)?;
                out.insert(
                    id.clone(),
                    ArticleSummary {
                        id,
                        outlet,
                        published,
                        language,
                        title,
                        paragraphs,
                    },
                );
            }
        }
        Ok(out)
    }

    /// Titles for a set of ids: what a result list shows without snippets.
    pub fn titles(&self, ids: &[String]) -> Result<HashMap<String, String>> {
        let mut out = HashMap::with_capacity(ids.len());
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.title FROM articles a JOIN contents c ON c.hash = a.current_hash WHERE a.id = ?1",
        )?;
        for id in ids {
            if let Some(title) = stmt.query_row([id], |r| r.get::<_, String>(0)).optional()? {
                out.insert(id.clone(), title);
            }
        }
        Ok(out)
    }

    /// Article ids that hold more than one article's worth of the same
    /// content under one identity key: must be empty (a consistency check
    /// used by tests and `tealeaf check`).
    pub fn duplicate_articles(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM (
               SELECT a.ident_key, a.current_hash FROM articles a
               WHERE a.ident_key IS NOT NULL GROUP BY 1, 2 HAVING COUNT(*) > 1)",
            [],
            |r| r.get(0),
        )?)
    }
}

impl ArchiveReader {
    /// The index document of one article's current version.
    pub fn doc(&self, id: &str) -> Result<ArticleDoc> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT a.outlet, a.language, a.published, c.title, c.paragraphs, a.commentary
                 FROM articles a JOIN contents c ON c.hash = a.current_hash WHERE a.id = ?1",
            )?
            .query_row([id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                ))
            })
            .optional()?
            .ok_or_else(|| ArchiveError::NotFound(id.to_string()))?;
        let (outlet, language, published, title, ps, commentary) = row;
        let (people, countries) = self.doc_entities(id)?;
        Ok(ArticleDoc {
            people,
            countries,
            id: id.to_string(),
            outlet,
            language: language.unwrap_or_default(),
            published: published
                .and_then(|p| chrono::NaiveDate::parse_from_str(&p, "%Y-%m-%d").ok()),
            title,
            paragraphs: paragraphs_from_json(id, &ps)?,
            commentary: commentary.unwrap_or_default(),
        })
    }
}

impl ArchiveWriter {
    /// The index document of article `id` just after `rec` was stored as a
    /// new version of it, for an ingest that analyses it anew (people and
    /// countries are left empty). When the capture's content is the
    /// article's current one and the capture stored it (the usual case),
    /// its text is taken from the capture, not read back and parsed from
    /// the archive.
    pub fn doc_after_capture(
        &self,
        id: &str,
        rec: &tealeaf_model::CaptureRecord,
        content_hash: &str,
    ) -> Result<ArticleDoc> {
        let (outlet, language, published, current, commentary): (
            String,
            Option<String>,
            Option<String>,
            String,
            Option<String>,
        ) = self
            .conn
            .prepare_cached(
                "SELECT outlet, language, published, current_hash, commentary FROM articles WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .optional()?
            .ok_or_else(|| ArchiveError::NotFound(id.to_string()))?;
        if current != content_hash
            || self.stored_own_text != Some(crate::decide::hex_u128(content_hash))
        {
            let mut doc = self.doc(id)?;
            doc.people.clear();
            doc.countries.clear();
            return Ok(doc);
        }
        Ok(ArticleDoc {
            id: id.to_string(),
            outlet,
            language: language.unwrap_or_default(),
            published: published
                .and_then(|p| chrono::NaiveDate::parse_from_str(&p, "%Y-%m-%d").ok()),
            title: rec.title.clone(),
            paragraphs: rec.paragraphs.clone(),
            commentary: commentary.unwrap_or_default(),
            ..ArticleDoc::default()
        })
    }
}

/// Which changes to list.
#[derive(Debug, Clone, Default)]
pub struct ChangeFilter {
    /// Changes first seen at or after this time (RFC 3339 or a date).
    pub since: Option<String>,
    /// ... and before this one.
    pub until: Option<String>,
    pub outlets: Vec<String>,
    pub kinds: Vec<ChangeKind>,
    pub article: Option<String>,
}

/// One version at one end of a change.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeEnd {
    pub n: i64,
    pub content_hash: String,
    /// The capture that shows this end: the old version's last capture, the
    /// new version's first.
    pub captured_at: String,
}

/// One change between consecutive versions (the `changes --json` contract).
#[derive(Debug, Clone, Serialize)]
pub struct ChangeRow {
    pub id: String,
    pub url: Option<String>,
    pub outlet: String,
    pub published: Option<String>,
    pub title: String,
    pub kind: ChangeKind,
    pub from: ChangeEnd,
    pub to: ChangeEnd,
    /// Share of words changed (None for removals).
    pub changed: Option<f64>,
    pub similarity: Option<f64>,
    /// JSON array of hunks: `{field, paragraph, old_paragraph, removed, added[, moved]}`.
    pub hunks: Box<serde_json::value::RawValue>,
}

impl ArchiveReader {
    /// Calls `f` for every change matching `filter`, in the order they were
    /// first seen.
    pub fn for_each_change(
        &self,
        filter: &ChangeFilter,
        mut f: impl FnMut(ChangeRow) -> Result<()>,
    ) -> Result<()> {
        let mut sql = String::from(
            "SELECT c.article_id, a.url, a.outlet, a.published, ct.title, c.kind, c.from_n, c.from_hash,
                    c.from_seen, c.to_n, c.to_hash, c.at, c.changed, c.similarity, c.hunks
             FROM changes c JOIN articles a ON a.id = c.article_id
             JOIN contents ct ON ct.hash = a.current_hash WHERE 1 = 1",
        );
        let mut args: Vec<String> = Vec::new();
        if let Some(since) = &filter.since {
            args.push(since.clone());
            sql.push_str(&format!(" AND c.at >= ?{}", args.len()));
        }
        if let Some(until) = &filter.until {
            args.push(until.clone());
            sql.push_str(&format!(" AND c.at < ?{}", args.len()));
        }
        if let Some(article) = &filter.article {
            args.push(article.clone());
            sql.push_str(&format!(" AND c.article_id = ?{}", args.len()));
        }
        let kinds: Vec<String> = filter
            .kinds
            .iter()
            .map(|k| k.as_str().to_string())
            .collect();
        for (column, values) in [("a.outlet", &filter.outlets), ("c.kind", &kinds)] {
            if !values.is_empty() {
                let mut marks = Vec::new();
                for v in values {
                    args.push(v.clone());
                    marks.push(format!("?{}", args.len()));
                }
                if column == "c.kind" {
                    // A change still being analysed by a running ingest
                    // ('') is analysed below, then filtered.
                    marks.push("''".into());
                }
                sql.push_str(&format!(" AND {column} IN ({})", marks.join(", ")));
            }
        }
        sql.push_str(" ORDER BY c.at, c.article_id, c.to_n");
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(args.iter()))?;
        while let Some(r) = rows.next()? {
            let stored_kind = crate::write::changes::kind_of(&r.get::<_, String>(5)?);
            let mut hunks: String = r.get(14)?;
            let (mut changed, mut similarity): (Option<f64>, Option<f64>) =
                (r.get(12)?, r.get(13)?);
            let kind = if let Some(kind) = stored_kind {
                kind
            } else {
                // Stored pending by an ingest that is still running (or was
                // killed): analysed here, as the ingest will.
                let a = self
                    .pending_change(
                        &r.get::<_, String>(0)?,
                        r.get(6)?,
                        &r.get::<_, String>(7)?,
                        &r.get::<_, String>(10)?,
                    )?
                    .analyse();
                if !filter.kinds.is_empty() && !filter.kinds.contains(&a.kind) {
                    continue;
                }
                (changed, similarity, hunks) = (a.changed, a.similarity, a.hunks);
                a.kind
            };
            let hunks = serde_json::value::RawValue::from_string(hunks)
                .map_err(|e| ArchiveError::Corrupt(format!("hunks: {e}")))?;
            f(ChangeRow {
                id: r.get(0)?,
                url: r.get(1)?,
                outlet: r.get(2)?,
                published: r.get(3)?,
                title: r.get(4)?,
                kind,
                from: ChangeEnd {
                    n: r.get(6)?,
                    content_hash: r.get(7)?,
                    captured_at: r.get(8)?,
                },
                to: ChangeEnd {
                    n: r.get(9)?,
                    content_hash: r.get(10)?,
                    captured_at: r.get(11)?,
                },
                changed,
                similarity,
                hunks,
            })?;
        }
        Ok(())
    }
}
