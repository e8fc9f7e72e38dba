//! Storing and reading relations between articles (reprints,
//! translations) and what they were computed from. Derived data: the
//! pipeline computes it (crates/relate) for every article whose current
//! version changed since `related_seq`, and replaces the rows it touched.
//!
//! Must not touch: how relations are computed (signatures, anchors,
//! pairing), which is `tealeaf-relate`'s.

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::{ArchiveReader, ArchiveWriter, Result};

/// The meta key holding the archive `seq` relations were computed through.
const RELATED_SEQ: &str = "related_seq";

/// What an article's relations are computed from, as stored.
#[derive(Debug, Clone, Default)]
pub struct RelatedFeatures {
    pub article_id: String,
    pub language: String,
    pub published: Option<String>,
    pub signature: Option<Vec<u8>>,
    pub bands: Option<Vec<u8>>,
    pub anchors: String,
    pub chars: u32,
    pub paragraphs: u32,
    pub syllabic: bool,
    /// [`tealeaf_relate`]'s key of the signature: equal for copies.
    pub text_key: Option<i64>,
}

/// The kinds of relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RelationKind {
    Reprint,
    Translation,
}

impl RelationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RelationKind::Reprint => "reprint",
            RelationKind::Translation => "translation",
        }
    }
}

/// One relation between two articles, as the pipeline hands it over.
#[derive(Debug, Clone, PartialEq)]
pub struct Relation {
    pub a: String,
    pub b: String,
    pub score: f32,
    pub confidence: f32,
}

/// An article related to the one shown, with what a reader needs to tell
/// it: a translation or a reprint.
#[derive(Debug, Clone, Serialize)]
pub struct RelatedArticle {
    pub id: String,
    pub outlet: String,
    pub language: Option<String>,
    pub published: Option<String>,
    pub title: String,
    /// Reprints: the estimated similarity of the two texts (0 to 1).
    /// Translations: the pairing's score.
    pub score: f32,
    /// Translations: how far the pairing stands above its best rival
    /// (0 to 1). Reprints: the similarity again.
    pub confidence: f32,
}

fn read_features(r: &rusqlite::Row<'_>) -> rusqlite::Result<RelatedFeatures> {
    Ok(RelatedFeatures {
        article_id: r.get(0)?,
        language: r.get(1)?,
        published: r.get(2)?,
        signature: r.get(3)?,
        bands: r.get(4)?,
        anchors: r.get(5)?,
        chars: r.get(6)?,
        paragraphs: r.get(7)?,
        syllabic: r.get(8)?,
        text_key: r.get(9)?,
    })
}

const FEATURE_COLUMNS: &str = "article_id, language, published, signature, bands, anchors, chars, \
     paragraphs, syllabic, text_key";

/// One article among those sharing a text key: its id and the
/// representative it is stored as a copy of.
pub type KeyMember = (String, Option<String>);

impl ArchiveReader {
    /// The archive `seq` relations were computed through (0: never).
    pub fn related_through(&self) -> Result<i64> {
        Ok(self
            .meta(RELATED_SEQ)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }

    /// The seq of the `n`-th article changed after `after` (in seq
    /// order), or `None` when fewer changed: where a pass over changed
    /// articles may stop to commit.
    pub fn nth_seq_after(&self, after: i64, n: usize) -> Result<Option<i64>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq FROM articles WHERE seq > ?1 ORDER BY seq LIMIT 1 OFFSET ?2",
        )?;
        Ok(stmt
            .query_row(params![after, n.saturating_sub(1) as i64], |r| r.get(0))
            .optional()?)
    }

    /// Calls `f` with the id and band keys of every article in `language`
    /// that has a signature and is not a copy of another (its group's
    /// representative stands for it): the reprint candidates are found by
    /// streaming these past the keys of the articles being related.
    pub fn for_each_reprint_bands(
        &self,
        language: &str,
        mut f: impl FnMut(&str, &[u8]),
    ) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT article_id, bands FROM related_features
             WHERE language = ?1 AND bands IS NOT NULL AND copy_of IS NULL",
        )?;
        let mut rows = stmt.query([language])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let bands: Vec<u8> = r.get(1)?;
            f(&id, &bands);
        }
        Ok(())
    }

    /// The (language, text key) of those of `ids` stored with a signature:
    /// the copy groups they belonged to.
    pub fn text_keys_of(&self, ids: &[String]) -> Result<Vec<(String, i64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT language, text_key FROM related_features
             WHERE article_id = ?1 AND text_key IS NOT NULL",
        )?;
        let mut out = Vec::new();
        for id in ids {
            if let Some(k) = stmt
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
            {
                out.push(k);
            }
        }
        Ok(out)
    }

    /// The articles of `language` stored with text key `key`, by id: read
    /// from the key's index alone (schema 14), not from the rows.
    pub fn key_members(&self, language: &str, key: i64) -> Result<Vec<KeyMember>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT article_id, copy_of FROM related_features
             WHERE text_key = ?2 AND language = ?1 ORDER BY article_id",
        )?;
        let rows = stmt
            .query_map(params![language, key], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The representative of `id`'s copy group: `id` itself when it is
    /// one or has no copies.
    pub fn representative(&self, id: &str) -> Result<String> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT copy_of FROM related_features WHERE article_id = ?1")?;
        let of: Option<Option<String>> = stmt.query_row([id], |r| r.get(0)).optional()?;
        Ok(of.flatten().unwrap_or_else(|| id.to_string()))
    }

    /// The copies stored under representative `id` (not `id` itself), by
    /// id.
    pub fn copies_of(&self, id: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT article_id FROM related_features WHERE copy_of = ?1 ORDER BY article_id",
        )?;
        let rows = stmt
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The stored features of `ids` that have a signature.
    pub fn related_features_of(&self, ids: &[String]) -> Result<HashMap<String, RelatedFeatures>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {FEATURE_COLUMNS} FROM related_features
             WHERE article_id = ?1 AND signature IS NOT NULL"
        ))?;
        let mut out = HashMap::with_capacity(ids.len());
        for id in ids {
            if let Some(f) = stmt.query_row([id], read_features).optional()? {
                out.insert(id.clone(), f);
            }
        }
        Ok(out)
    }

    /// The features of the articles with a language, published from
    /// `from` to `to` (inclusive, `YYYY-MM-DD`): translation candidates.
    pub fn related_features_published(&self, from: &str, to: &str) -> Result<Vec<RelatedFeatures>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {FEATURE_COLUMNS} FROM related_features
             WHERE published BETWEEN ?1 AND ?2 AND language != ''"
        ))?;
        let rows = stmt
            .query_map([from, to], read_features)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The stored relations of `kind` of article `id`: (other id, score,
    /// confidence).
    pub fn relations_of(&self, id: &str, kind: RelationKind) -> Result<Vec<(String, f32, f32)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT other_id, score, confidence FROM related WHERE article_id = ?1 AND kind = ?2",
        )?;
        let rows = stmt
            .query_map(params![id, kind.as_str()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Article `id`'s translations and reprints, best first, with their
    /// titles. Reprints are the whole group (reprints of reprints too),
    /// each with its similarity to the closest article linking it.
    pub fn related_articles(&self, id: &str) -> Result<(Vec<RelatedArticle>, Vec<RelatedArticle>)> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.other_id, r.score, r.confidence, a.outlet, a.language, a.published, c.title
             FROM related r JOIN articles a ON a.id = r.other_id
             JOIN contents c ON c.hash = a.current_hash
             WHERE r.article_id = ?1 AND r.kind = ?2",
        )?;
        let mut fetch = |of: &str, kind: RelationKind| -> Result<Vec<RelatedArticle>> {
            let rows = stmt
                .query_map(params![of, kind.as_str()], |r| {
                    Ok(RelatedArticle {
                        id: r.get(0)?,
                        score: r.get(1)?,
                        confidence: r.get(2)?,
                        outlet: r.get(3)?,
                        language: r.get(4)?,
                        published: r.get(5)?,
                        title: r.get(6)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        };
        let mut translations = fetch(id, RelationKind::Translation)?;
        translations.sort_by(|x, y| y.confidence.total_cmp(&x.confidence));
        drop(stmt);
        let mut about = self.conn.prepare_cached(
            "SELECT a.outlet, a.language, a.published, c.title
             FROM articles a JOIN contents c ON c.hash = a.current_hash WHERE a.id = ?1",
        )?;
        // The reprint group, breadth first: a text printed three times is
        // one group even when only neighbouring printings were compared
        // above the threshold.
        let mut reprints: Vec<RelatedArticle> = Vec::new();
        let mut seen = vec![id.to_string()];
        let mut frontier = vec![id.to_string()];
        while let Some(next) = frontier.pop() {
            for (other, score, confidence) in self.reprint_neighbours(&next)? {
                if seen.contains(&other) {
                    continue;
                }
                seen.push(other.clone());
                let Some((outlet, language, published, title)) = about
                    .query_row([&other], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                    })
                    .optional()?
                else {
                    continue;
                };
                frontier.push(other.clone());
                reprints.push(RelatedArticle {
                    id: other,
                    outlet,
                    language,
                    published,
                    title,
                    score,
                    confidence,
                });
            }
            // A runaway group (boilerplate everywhere) is cut short.
            if reprints.len() >= 200 {
                break;
            }
        }
        reprints.sort_by(|x, y| x.published.cmp(&y.published).then(x.id.cmp(&y.id)));
        Ok((translations, reprints))
    }

    /// The reprints of article `id` one step away, as if a pair were
    /// stored between every two copies of a text (only pairs between
    /// their groups' representatives are): its copies (similarity 1), and
    /// each article paired with its representative and that one's
    /// copies, by id.
    fn reprint_neighbours(&self, id: &str) -> Result<Vec<(String, f32, f32)>> {
        let rep = self.representative(id)?;
        let mut out = Vec::new();
        for copy in std::iter::once(rep.clone()).chain(self.copies_of(&rep)?) {
            if copy != id {
                out.push((copy, 1.0, 1.0));
            }
        }
        for (other, score, confidence) in self.relations_of(&rep, RelationKind::Reprint)? {
            for copy in self.copies_of(&other)? {
                out.push((copy, score, confidence));
            }
            out.push((other, score, confidence));
        }
        out.sort_by(|x, y| x.0.cmp(&y.0));
        Ok(out)
    }

    /// For each of `ids`, the id naming its reprint group, for collapsing
    /// reprints in a result list: the least representative reached, which
    /// every member of the group reaches (pairs join representatives, and
    /// each copy names its own). Ids without reprints name themselves.
    pub fn reprint_groups(&self, ids: &[String]) -> Result<HashMap<String, String>> {
        let mut stmt = self.conn.prepare_cached(
            "WITH RECURSIVE g(id) AS (
                 SELECT COALESCE(
                     (SELECT copy_of FROM related_features WHERE article_id = ?1), ?1)
                 UNION
                 SELECT r.other_id FROM related r JOIN g ON r.article_id = g.id
                 WHERE r.kind = 'reprint'
             )
             SELECT MIN(id) FROM (SELECT id FROM g LIMIT 1000)",
        )?;
        let mut out = HashMap::with_capacity(ids.len());
        for id in ids {
            let group: Option<String> = stmt.query_row([id], |r| r.get(0))?;
            out.insert(id.clone(), group.unwrap_or_else(|| id.clone()));
        }
        Ok(out)
    }

    /// An article's language, when it has one.
    pub fn language_of(&self, id: &str) -> Result<Option<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT language FROM articles WHERE id = ?1")?;
        let language: Option<Option<String>> = stmt.query_row([id], |r| r.get(0)).optional()?;
        Ok(language.flatten().filter(|l| !l.is_empty()))
    }

    /// How many articles have at least one relation of `kind` (a copy of
    /// a text is a reprint of the others).
    pub fn related_count(&self, kind: RelationKind) -> Result<i64> {
        if kind == RelationKind::Reprint {
            return Ok(self.conn.query_row(
                "SELECT COUNT(*) FROM (
                     SELECT article_id FROM related WHERE kind = 'reprint'
                     UNION SELECT article_id FROM related_features WHERE copy_of IS NOT NULL
                     UNION SELECT copy_of FROM related_features WHERE copy_of IS NOT NULL)",
                [],
                |r| r.get(0),
            )?);
        }
        Ok(self.conn.query_row(
            "SELECT COUNT(DISTINCT article_id) FROM related WHERE kind = ?1",
            [kind.as_str()],
            |r| r.get(0),
        )?)
    }
}

impl ArchiveWriter {
    /// Stores (replacing) the features of `rows`, each article in the copy group of
    /// its representative in `copy_of`, if any (no group otherwise).
    pub fn store_related_features(
        &mut self,
        rows: &[RelatedFeatures],
        copy_of: &HashMap<String, String>,
    ) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "INSERT OR REPLACE INTO related_features({FEATURE_COLUMNS}, copy_of)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
        ))?;
        for f in rows {
            stmt.execute(params![
                f.article_id,
                f.language,
                f.published,
                f.signature,
                f.bands,
                f.anchors,
                f.chars,
                f.paragraphs,
                f.syllabic,
                f.text_key,
                copy_of.get(&f.article_id)
            ])?;
        }
        Ok(())
    }

    /// Replaces the relations of `kind` that touch any of `articles` with
    /// `relations` (stored in both directions).
    pub fn replace_relations(
        &mut self,
        kind: RelationKind,
        articles: &[String],
        relations: &[Relation],
    ) -> Result<()> {
        {
            let mut out = self
                .conn
                .prepare_cached("DELETE FROM related WHERE kind = ?1 AND article_id = ?2")?;
            let mut back = self.conn.prepare_cached(
                "DELETE FROM related WHERE kind = ?1 AND other_id = ?2 AND article_id IN
                     (SELECT other_id FROM related WHERE kind = ?1 AND article_id = ?2)",
            )?;
            for id in articles {
                back.execute(params![kind.as_str(), id])?;
                out.execute(params![kind.as_str(), id])?;
            }
        }
        let mut insert = self.conn.prepare_cached(
            "INSERT OR REPLACE INTO related(article_id, kind, other_id, score, confidence)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for r in relations {
            for (x, y) in [(&r.a, &r.b), (&r.b, &r.a)] {
                insert.execute(params![x, kind.as_str(), y, r.score, r.confidence])?;
            }
        }
        Ok(())
    }

    /// Stores article `id` as a copy of `representative` (`None`: as a
    /// representative or an article without copies).
    pub fn set_copy_of(&mut self, id: &str, representative: Option<&str>) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE related_features SET copy_of = ?2 WHERE article_id = ?1")?
            .execute(params![id, representative])?;
        Ok(())
    }

    /// Records that relations are computed through archive `seq`.
    pub fn set_related_through(&self, seq: i64) -> Result<()> {
        self.set_meta(RELATED_SEQ, &seq.to_string())
    }
}
