//! Reading the analysis: the entities of an article, people (titles,
//! co-mentions, positions in name lists), events, and counts per period.
//!
//! Must not touch: the analysis rows' layout beyond reading them (they are
//! written by [`super::store`]).

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use tealeaf_analyze::EntityKind;
use tealeaf_model::{ArticleDoc, Period};

use crate::{ArchiveError, ArchiveReader, Result};

/// SQL for the period of `a.published` (`YYYY-MM-DD`), as
/// [`Period::label`] writes it.
/// The period of the day in column `day` (YYYY-MM-DD), as SQL.
fn period_sql(period: Period, day: &str) -> String {
    match period {
        Period::Day => day.to_string(),
        // The Monday that starts the week.
        Period::Week => format!(
            "date({day}, '-' || ((CAST(strftime('%w', {day}) AS INTEGER) + 6) % 7) || ' days')"
        ),
        Period::Month => format!("substr({day}, 1, 7)"),
        Period::Year => format!("substr({day}, 1, 4)"),
    }
}

/// An entity kind as stored in column `col` (rows are written from
/// [`EntityKind`]s: any other text is damage, reported as such).
fn stored_kind(r: &rusqlite::Row, col: usize) -> rusqlite::Result<EntityKind> {
    let s = r.get_ref(col)?.as_str()?;
    [
        EntityKind::Person,
        EntityKind::Country,
        EntityKind::Organization,
        EntityKind::Place,
    ]
    .into_iter()
    .find(|k| k.as_str() == s)
    .ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            col,
            rusqlite::types::Type::Text,
            format!("unknown entity kind `{s}`").into(),
        )
    })
}

impl ArchiveReader {
    /// Articles whose analysis is missing or older than their content, with
    /// the content to analyse.
    pub fn unanalyzed(&self, limit: usize) -> Result<Vec<(i64, ArticleDoc)>> {
        let ids: Vec<String> = self
            .conn
            .prepare_cached("SELECT id FROM articles WHERE analyzed_seq IS NOT seq LIMIT ?1")?
            .query_map([limit as i64], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let seq: i64 = self
                .conn
                .prepare_cached("SELECT seq FROM articles WHERE id = ?1")?
                .query_row([&id], |r| r.get(0))?;
            out.push((seq, self.doc(&id)?));
        }
        Ok(out)
    }

    /// The bytes the database holds in use, its write-ahead log included
    /// (the file alone lags behind until a checkpoint copies the log in).
    pub fn stored_bytes(&self) -> Result<u64> {
        let page = |p: &str| -> Result<i64> {
            Ok(self
                .conn
                .query_row(&format!("PRAGMA {p}"), [], |r| r.get(0))?)
        };
        let pages = page("page_count")? - page("freelist_count")?;
        Ok((pages.max(0) as u64).saturating_mul(page("page_size")? as u64))
    }

    /// Whether the archive has an index of this name.
    pub fn has_index(&self, name: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?1")?
            .exists([name])?)
    }

    /// People and countries of the analysis stored at `analyzed_seq` (an
    /// article's `analyzed_seq`; `None`: not analysed), for its index
    /// document.
    pub(crate) fn doc_entities_at(
        &self,
        analyzed_seq: Option<i64>,
    ) -> Result<(Vec<String>, Vec<String>)> {
        let (mut people, mut countries) = (Vec::new(), Vec::new());
        let Some(seq) = analyzed_seq else {
            return Ok((people, countries));
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT kind, name FROM mentions WHERE seq = ?1 AND kind IN ('person', 'country')",
        )?;
        let mut rows = stmt.query([seq])?;
        while let Some(r) = rows.next()? {
            let (kind, name): (String, String) = (r.get(0)?, r.get(1)?);
            if kind == "person" {
                people.push(name);
            } else {
                countries.push(name);
            }
        }
        Ok((people, countries))
    }

    /// People and countries of an article, for its index document.
    pub(crate) fn doc_entities(&self, id: &str) -> Result<(Vec<String>, Vec<String>)> {
        let analyzed_seq: Option<i64> = self
            .conn
            .prepare_cached("SELECT analyzed_seq FROM articles WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?
            .flatten();
        self.doc_entities_at(analyzed_seq)
    }

    /// The people, countries and organizations article `id` mentions,
    /// with their mention counts and, for people, the titles the article
    /// gives them: the article page, `show --json` and the export read
    /// them here.
    pub fn entities_of(&self, id: &str) -> Result<ArticleEntities> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT kind, name, count, titles, named_after FROM mentions
             WHERE seq = (SELECT analyzed_seq FROM articles WHERE id = ?1)
             AND kind IN ('person', 'country', 'organization') ORDER BY count DESC, name",
        )?;
        type Row = (EntityKind, String, i64, Option<String>, Option<String>);
        let rows: Vec<Row> = stmt
            .query_map([id], |r| {
                Ok((
                    stored_kind(r, 0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = ArticleEntities::default();
        for (kind, name, mentions, titles, named_after) in rows {
            let titles = match titles {
                None => Vec::new(),
                Some(json) => serde_json::from_str(&json)
                    .map_err(|e| ArchiveError::Corrupt(format!("titles of {name} in {id}: {e}")))?,
            };
            let list = match kind {
                EntityKind::Person => &mut out.people,
                EntityKind::Country => &mut out.countries,
                EntityKind::Organization => &mut out.organizations,
                EntityKind::Place => continue,
            };
            list.push(ArticleEntity {
                name,
                kind,
                mentions,
                titles,
                named_after,
            });
        }
        Ok(out)
    }

    /// Canonical names matching `name` (case-insensitive), most mentioned
    /// first; for resolving what a user typed.
    pub fn entity_names(
        &self,
        name: &str,
        kind: Option<EntityKind>,
    ) -> Result<Vec<(String, EntityKind, i64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT name, kind, articles FROM entities WHERE name = ?1 COLLATE NOCASE
             AND (?2 IS NULL OR kind = ?2) AND articles > 0 ORDER BY 3 DESC",
        )?;
        let rows = stmt
            .query_map(params![name, kind.map(EntityKind::as_str)], |r| {
                Ok((r.get(0)?, stored_kind(r, 1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Everything known about one person (the `person --json` contract)
    /// but `with`, read from the aggregates of schema 12.
    pub fn person(&self, name: &str) -> Result<PersonView> {
        let found = self.entity_names(name, Some(EntityKind::Person))?;
        let name = found
            .first()
            .map(|f| f.0.clone())
            .ok_or_else(|| ArchiveError::NotFound(format!("person {name}")))?;
        let (articles, mentions, first_seen, last_seen): (
            i64,
            i64,
            Option<String>,
            Option<String>,
        ) = self.conn.query_row(
            "SELECT SUM(articles), SUM(mentions), MIN(NULLIF(day, '')), MAX(NULLIF(day, ''))
             FROM entity_days WHERE kind = 'person' AND name = ?1 AND articles > 0",
            [&name],
            |r| {
                Ok((
                    r.get::<_, Option<i64>>(0)?.unwrap_or(0),
                    r.get::<_, Option<i64>>(1)?.unwrap_or(0),
                    r.get(2)?,
                    r.get(3)?,
                ))
            },
        )?;
        let by_month = self.collect(
            "SELECT substr(day, 1, 7), SUM(articles), SUM(mentions) FROM entity_days
             WHERE kind = 'person' AND name = ?1 AND day != '' AND articles > 0 GROUP BY 1 ORDER BY 1",
            &name,
            |r| Ok(PeriodCount { period: r.get(0)?, articles: r.get(1)?, mentions: r.get(2)? }),
        )?;
        let titles = self.collect(
            "SELECT title, MIN(NULLIF(day, '')), MAX(NULLIF(day, '')), SUM(articles) FROM title_days
             WHERE person = ?1 AND articles > 0 GROUP BY title ORDER BY 2, 1",
            &name,
            |r| {
                Ok(TitleSeen {
                    title: r.get(0)?,
                    first_seen: r.get(1)?,
                    last_seen: r.get(2)?,
                    articles: r.get(3)?,
                })
            },
        )?;
        let honorifics = self.collect(
            "SELECT title, MIN(NULLIF(day, '')), MAX(NULLIF(day, '')), SUM(articles) FROM honorific_days
             WHERE person = ?1 AND articles > 0 GROUP BY title ORDER BY 2, 1",
            &name,
            |r| {
                Ok(TitleSeen {
                    title: r.get(0)?,
                    first_seen: r.get(1)?,
                    last_seen: r.get(2)?,
                    articles: r.get(3)?,
                })
            },
        )?;
        let entourage = self.collect(
            "SELECT e.article_id, a.published, e.position, e.size, e.kind, c.title
             FROM entourage e JOIN articles a ON a.id = e.article_id JOIN contents c ON c.hash = a.current_hash
             WHERE e.person = ?1 ORDER BY a.published, e.article_id, e.list",
            &name,
            |r| Ok(Position { id: r.get(0)?, published: r.get(1)?, position: r.get(2)?, of: r.get(3)?, list: r.get(4)?, title: r.get(5)? }),
        )?;
        Ok(PersonView {
            name,
            articles,
            mentions,
            first_seen,
            last_seen,
            titles,
            honorifics,
            by_month,
            with: Vec::new(),
            entourage,
        })
    }

    /// Every person the analysis found, with the numbers of the people
    /// index: articles and mentions, first and last publication dates
    /// (as [`ArchiveReader::person`] counts them), how many distinct
    /// titles the articles give them and the one given in most articles.
    /// In name order. Read from the aggregates `entity_days` and
    /// `title_days` (schema 12); the server keeps the answer until the
    /// archive changes ([`ArchiveReader::data_version`]).
    pub fn people_summary(&self) -> Result<Vec<PersonSummary>> {
        let mut people: Vec<PersonSummary> = self
            .conn
            .prepare_cached(
                "SELECT name, SUM(articles), SUM(mentions), MIN(NULLIF(day, '')), MAX(NULLIF(day, ''))
                 FROM entity_days WHERE kind = 'person' AND articles > 0 GROUP BY name ORDER BY name",
            )?
            .query_map([], |r| {
                Ok(PersonSummary {
                    name: r.get(0)?,
                    articles: r.get(1)?,
                    mentions: r.get::<_, Option<i64>>(2)?.unwrap_or(0),
                    first_seen: r.get(3)?,
                    last_seen: r.get(4)?,
                    titles: 0,
                    top_title: None,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        // (name, title, articles), in name order as `people` is.
        let mut stmt = self.conn.prepare_cached(
            "SELECT person, title, SUM(articles) FROM title_days WHERE articles > 0
             GROUP BY person, title ORDER BY person, title",
        )?;
        let mut rows = stmt.query([])?;
        let mut i = 0;
        let mut best = 0;
        while let Some(r) = rows.next()? {
            let (name, title, n): (String, String, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
            while i < people.len() && people[i].name < name {
                i += 1;
                best = 0;
            }
            let Some(p) = people.get_mut(i).filter(|p| p.name == name) else {
                continue;
            };
            p.titles += 1;
            // Titles come in order: the first with the most articles wins.
            if n > best {
                best = n;
                p.top_title = Some(title);
            }
        }
        Ok(people)
    }

    fn collect<T>(
        &self,
        sql: &str,
        arg: &str,
        f: impl FnMut(&rusqlite::Row) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map([arg], f)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Events, newest first, filtered.
    pub fn events(&self, f: &EventFilter) -> Result<Vec<EventRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.article_id, a.outlet, a.published, c.title, e.detail
             FROM events e JOIN articles a ON a.id = e.article_id JOIN contents c ON c.hash = a.current_hash
             WHERE (?1 IS NULL OR e.actor = ?1 COLLATE NOCASE)
               AND (?2 IS NULL OR e.action LIKE '%' || ?2 || '%')
               AND (?3 IS NULL OR e.at >= ?3)
               AND (?4 IS NULL OR e.at <= ?4)
             ORDER BY e.at DESC, e.article_id, e.n LIMIT ?5",
        )?;
        let rows = stmt
            .query_map(
                params![f.actor, f.action, f.from, f.to, f.limit as i64],
                |r| {
                    let detail: String = r.get(4)?;
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, detail))
                },
            )?
            .collect::<rusqlite::Result<Vec<(String, String, Option<String>, String, String)>>>()?;
        rows.into_iter()
            .map(|(id, outlet, published, title, detail)| {
                let event = serde_json::from_str(&detail)
                    .map_err(|e| ArchiveError::Corrupt(format!("event of {id}: {e}")))?;
                Ok(EventRow {
                    id,
                    outlet,
                    published,
                    title,
                    event,
                })
            })
            .collect()
    }

    /// Per period: articles and mentions of an entity (`kind`, canonical
    /// `name`), optionally for one outlet. Periods are labelled as
    /// [`Period::label`] labels them.
    pub fn entity_trend(
        &self,
        kind: EntityKind,
        name: &str,
        period: Period,
        outlet: Option<&str>,
    ) -> Result<Vec<PeriodCount>> {
        let sql = format!(
            "SELECT {} AS p, SUM(articles), SUM(mentions) FROM entity_days
             WHERE name = ?1 AND kind = ?2 AND day != '' AND articles > 0 AND (?3 IS NULL OR outlet = ?3)
             GROUP BY p ORDER BY p",
            period_sql(period, "day")
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt
            .query_map(params![name, kind.as_str(), outlet], |r| {
                Ok(PeriodCount {
                    period: r.get(0)?,
                    articles: r.get(1)?,
                    mentions: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Articles per period (denominators for `--per-1000`).
    pub fn articles_per_period(
        &self,
        period: Period,
        outlet: Option<&str>,
    ) -> Result<HashMap<String, i64>> {
        let sql = format!(
            "SELECT {} AS p, SUM(n) FROM article_days WHERE day != '' AND n > 0
             AND (?1 IS NULL OR outlet = ?1) GROUP BY p",
            period_sql(period, "day")
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt
            .query_map(params![outlet], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Publication date of each article, for text-term trends.
    pub fn published_of(&self, ids: &[String]) -> Result<Vec<Option<String>>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT published FROM articles WHERE id = ?1")?;
        ids.iter()
            .map(|id| Ok(stmt.query_row([id], |r| r.get(0)).optional()?.flatten()))
            .collect()
    }
}

#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventRow {
    pub id: String,
    pub outlet: String,
    pub published: Option<String>,
    pub title: String,
    pub event: tealeaf_analyze::Event,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PeriodCount {
    pub period: String,
    pub articles: i64,
    pub mentions: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TitleSeen {
    pub title: String,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub articles: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CoMention {
    pub name: String,
    pub articles: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Position {
    pub id: String,
    pub published: Option<String>,
    pub position: i64,
    pub of: i64,
    pub list: String,
    pub title: String,
}

/// One row of the people index ([`ArchiveReader::people_summary`]).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PersonSummary {
    /// The canonical name.
    pub name: String,
    pub articles: i64,
    pub mentions: i64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    /// Distinct titles the articles give them.
    pub titles: i64,
    /// The title given in most articles (the first by name on a tie).
    pub top_title: Option<String>,
}

/// The `person --json` contract.
#[derive(Debug, Clone, Serialize)]
pub struct PersonView {
    pub name: String,
    pub articles: i64,
    pub mentions: i64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    /// Offices, posts and ranks (an archive analysed before honorifics
    /// were told apart holds both here until `tealeaf reanalyze`).
    pub titles: Vec<TitleSeen>,
    /// Words of respect (`respected Comrade`, `camarada`), same shape.
    pub honorifics: Vec<TitleSeen>,
    pub by_month: Vec<PeriodCount>,
    /// The people most often mentioned in the same articles. Left empty
    /// by [`ArchiveReader::person`]: the index counts them from its fast
    /// fields (`SearchIndex::co_mentioned`), where the archive would join
    /// every mention of every article the person is in.
    pub with: Vec<CoMention>,
    /// Positions in ordered name lists, by date.
    pub entourage: Vec<Position>,
}

/// One entity an article mentions (the JSON shape of `show --json`, the
/// export and the article page; docs/json.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleEntity {
    /// Canonical name.
    pub name: String,
    pub kind: EntityKind,
    /// Mentions in the article (headline and text).
    pub mentions: i64,
    /// The titles the article gives a person, sorted; empty for the other
    /// kinds.
    pub titles: Vec<String>,
    /// For an organization named after a person (`Kim Chaek University of
    /// Technology`): that person's canonical name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub named_after: Option<String>,
}

/// An article's people, countries and organizations, each list most
/// mentioned first (then by name).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ArticleEntities {
    pub people: Vec<ArticleEntity>,
    pub countries: Vec<ArticleEntity>,
    pub organizations: Vec<ArticleEntity>,
}
