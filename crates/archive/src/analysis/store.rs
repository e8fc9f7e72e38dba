//! The writer's side of analysis: storing an article's rows (replacing
//! its earlier analysis, or only moving its analysed seq when the rows are
//! the same), writing buffered rows many a statement, marking articles for
//! re-analysis, and the analysis tables' secondary indexes.
//!
//! Must not touch: how rows are made from an analysis ([`super::rows`]).

use std::borrow::Borrow;

use rusqlite::types::Value;
use rusqlite::OptionalExtension;
use tealeaf_analyze::Analysis;

use super::rows::{in_key_order, text, AnalysisRows, AnalysisRowsOf};
use super::ANALYSIS_INDEXES;
use crate::{ArchiveWriter, Result};

/// Articles whose analysis rows wait in memory at most (a bulk ingest
/// writes them in a few wide statements).
const ANALYSES_BUFFERED: usize = 2048;
/// Rows in one multi-row statement at most (13 columns × 256 rows stays
/// far under SQLite's 32,766 parameters).
const ROWS_PER_STATEMENT: usize = 256;

/// How an aggregate row of articles and mentions takes in more of both.
const ADD_COUNTS: &str = " ON CONFLICT DO UPDATE SET articles = articles + excluded.articles,
    mentions = mentions + excluded.mentions";

/// Articles' publication day and outlet, by id (`None`: no such article).
type Places = foldhash::HashMap<String, Option<(Option<String>, String)>>;

impl ArchiveWriter {
    /// Replaces the analysis rows of article `id`, made from its content at
    /// `seq`.
    pub fn store_analysis(&mut self, id: &str, seq: i64, a: &Analysis) -> Result<()> {
        self.store_analysis_rows(seq, AnalysisRowsOf::new(id, a), None)
    }

    /// [`ArchiveWriter::store_analysis`] with the rows made beforehand.
    pub fn store_analysis_rows_of(&mut self, seq: i64, rows: AnalysisRowsOf) -> Result<()> {
        self.store_analysis_rows(seq, rows, None)
    }

    /// [`ArchiveWriter::store_analysis_rows_of`] for an article this connection
    /// stored as new: unless another connection has written since (which
    /// may have analysed it), it has no earlier analysis to replace, and
    /// the lookup is spared.
    pub fn store_analysis_of_new_article(&mut self, seq: i64, rows: AnalysisRowsOf) -> Result<()> {
        let first = self.known.unanalysed_new.remove(&rows.id);
        if self.analysis_due.remove(&rows.id) {
            // Stored as analysed at `seq` in this transaction: only the
            // rows are missing.
            let AnalysisRowsOf { id, rows, print } = rows;
            self.known.analysis_prints.insert(id.clone(), (print, seq));
            self.analysis_rows.take_in(id, seq, rows);
            return self.flush_if_full();
        }
        self.store_analysis_rows(seq, rows, first.then_some(false))
    }

    /// New articles are stored as analysed at their seq (`true`): for an
    /// ingest that analyses each one and stores its rows in the same
    /// transaction, which spares setting the analysed seq of every new
    /// article afterwards.
    /// Those whose analysis has not come back when the transaction
    /// commits are unmarked then, so a committed article is never marked
    /// analysed without its rows.
    pub fn expect_analysis(&mut self, on: bool) {
        self.expect_analysis = on;
    }

    /// Unmarks the new articles whose analysis has not come back (called
    /// before every commit).
    pub(crate) fn unmark_analysis_due(&mut self) -> Result<()> {
        if self.analysis_due.is_empty() {
            return Ok(());
        }
        let due: Vec<[Value; 1]> = self
            .analysis_due
            .drain()
            .map(|id| [Value::Text(id)])
            .collect();
        self.write_rows(
            "UPDATE articles SET analyzed_seq = NULL WHERE id IN (VALUES ",
            &due,
            ")",
        )
    }

    fn store_analysis_rows(
        &mut self,
        seq: i64,
        prepared: AnalysisRowsOf,
        analysed_before: Option<bool>,
    ) -> Result<()> {
        let AnalysisRowsOf {
            id,
            rows: new,
            print,
        } = prepared;
        let id = id.as_str();
        // A new version often leaves the analysis as it was (an edit that
        // names no one new): when this connection wrote exactly these rows,
        // only the analysed seq moves.
        // (Only inside a transaction: its start checks that no other
        // connection wrote since the digest was taken.)
        if analysed_before.is_none() && self.in_batch && !self.analysis_rows.ids.contains(id) {
            if let Some(&(known, stored_seq)) = self.known.analysis_prints.get(id) {
                if known == print {
                    // The mention rows move to the new seq.
                    self.conn
                        .prepare_cached("UPDATE mentions SET seq = ?2 WHERE seq = ?1")?
                        .execute([stored_seq, seq])?;
                    self.known
                        .analysis_prints
                        .insert(id.to_string(), (print, seq));
                    let rows = &mut self.analysis_rows;
                    rows.analysed.push([text(id), seq.into()]);
                    rows.ids.insert(id.to_string());
                    return self.flush_if_full();
                }
            }
        }
        // The seq of the analysis written before, if any.
        let analysed_before: Option<i64> = match analysed_before {
            Some(false) => None,
            _ => {
                // An earlier analysis still waiting is replaced unwritten;
                // the archive says whether one was written before.
                self.analysis_rows.drop_article(id);
                self.conn
                    .prepare_cached("SELECT analyzed_seq FROM articles WHERE id = ?1")?
                    .query_row([id], |r| r.get(0))
                    .optional()?
                    .flatten()
            }
        };
        // A first analysis has nothing to replace: no deletes.
        if let Some(before) = analysed_before {
            self.conn
                .prepare_cached("DELETE FROM mentions WHERE seq = ?1")?
                .execute([before])?;
            for table in ["events", "entourage"] {
                self.conn
                    .prepare_cached(&format!("DELETE FROM {table} WHERE article_id = ?1"))?
                    .execute([id])?;
            }
        }
        self.known
            .analysis_prints
            .insert(id.to_string(), (print, seq));
        self.analysis_rows.take_in(id.to_string(), seq, new);
        self.analysis_rows.analysed.push([text(id), seq.into()]);
        self.flush_if_full()
    }

    fn flush_if_full(&mut self) -> Result<()> {
        if self.analysis_rows.ids.len() >= ANALYSES_BUFFERED {
            self.flush_analysis()?;
        }
        Ok(())
    }

    /// Writes the buffered analysis rows. Called before every commit, and
    /// before an article's earlier analysis is replaced.
    pub(crate) fn flush_analysis(&mut self) -> Result<&mut Self> {
        if self.analysis_rows.ids.is_empty() {
            return Ok(self);
        }
        let rows = std::mem::take(&mut self.analysis_rows);
        // In key order, each insert lands next to the one before it (and
        // after those of earlier flushes): fewer pages visited and split
        // than in arrival order.
        self.insert_rows(
            "INSERT INTO mentions(seq, article_id, kind, name, count, in_title, titles, honorifics, named_after) VALUES ",
            &in_key_order(&rows.mentions),
        )?;
        let places = self.places_of(&rows)?;
        self.add_to_aggregates(&rows.mentions, &places)?;
        // The date an event is listed by (schema 11), given here rather
        // than set by the insert trigger, which still does it for a row
        // inserted without one.
        let events: Vec<[Value; 14]> = rows
            .events
            .iter()
            .map(|e| {
                let published = match &e[0] {
                    Value::Text(id) => places.get(id.as_str()).and_then(|p| p.as_ref()),
                    _ => None,
                }
                .and_then(|(published, _)| published.clone());
                let at = match &e[7] {
                    Value::Null => published.map_or(Value::Null, Value::Text),
                    date => date.clone(),
                };
                std::array::from_fn(|i| e.get(i).cloned().unwrap_or_else(|| at.clone()))
            })
            .collect();
        self.insert_rows(
            "INSERT INTO events(article_id, n, actor, action, modifier, recipient, occasion, event_date,
               date_text, paragraph, text_from, text_to, detail, at) VALUES ",
            &events,
        )?;
        self.insert_rows(
            "INSERT OR IGNORE INTO entourage(article_id, list, position, size, kind, person, paragraph) VALUES ",
            &rows.entourage,
        )?;
        // One statement for many articles: SQLite looks each one up by id.
        self.write_rows(
            "UPDATE articles SET analyzed_seq = v.column2 FROM (VALUES ",
            &rows.analysed,
            ") AS v WHERE articles.id = v.column1",
        )?;
        Ok(self)
    }

    /// The publication day and outlet of each article the rows are of
    /// (`None`: no such article, whose rows no aggregate counts, as a
    /// recount joining the articles would not).
    fn places_of(&self, rows: &AnalysisRows) -> Result<Places> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT published, outlet FROM articles WHERE id = ?1")?;
        let mut places = Places::default();
        let ids = rows.mentions.iter().map(|r| &r[1]);
        for id in ids.chain(rows.events.iter().map(|r| &r[0])) {
            let Value::Text(id) = id else { continue };
            if places.contains_key(id.as_str()) {
                continue;
            }
            let place = stmt
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            places.insert(id.clone(), place);
        }
        Ok(places)
    }

    /// Adds the mention rows just inserted to entity_days, entities,
    /// title_days and honorific_days (schema 15), summed over the rows:
    /// one upsert per entity and day, not per row. The same sums a
    /// recount from the rows gives (`json_each` of a title list counts
    /// each element).
    fn add_to_aggregates(&self, mentions: &[[Value; 9]], places: &Places) -> Result<()> {
        type Key<'a> = (&'a str, &'a str);
        let mut days: foldhash::HashMap<(Key, &str, &str), (i64, i64)> = Default::default();
        let mut totals: foldhash::HashMap<Key, (i64, i64)> = Default::default();
        let mut titles: foldhash::HashMap<(&str, String, &str), i64> = Default::default();
        let mut honorifics: foldhash::HashMap<(&str, String, &str), i64> = Default::default();
        for r in mentions {
            let (Value::Text(id), Value::Text(kind), Value::Text(name), Value::Integer(count)) =
                (&r[1], &r[2], &r[3], &r[4])
            else {
                continue;
            };
            let Some(Some((published, outlet))) = places.get(id.as_str()) else {
                continue;
            };
            let day = published.as_deref().unwrap_or("");
            let d = days.entry(((kind, name), day, outlet)).or_default();
            *d = (d.0 + 1, d.1 + count);
            let t = totals.entry((kind, name)).or_default();
            *t = (t.0 + 1, t.1 + count);
            for (column, sums) in [(&r[6], &mut titles), (&r[7], &mut honorifics)] {
                let Value::Text(list) = column else { continue };
                // The lists are written by `rows` as JSON arrays of
                // strings; anything else adds nothing, as `json_each`
                // of it would add no string.
                let list: Vec<String> = serde_json::from_str(list).unwrap_or_default();
                for title in list {
                    *sums.entry((name.as_str(), title, day)).or_default() += 1;
                }
            }
        }
        let days: Vec<[Value; 6]> = days
            .into_iter()
            .map(|(((kind, name), day, outlet), (articles, mentions))| {
                [
                    text(kind),
                    text(name),
                    text(day),
                    text(outlet),
                    articles.into(),
                    mentions.into(),
                ]
            })
            .collect();
        self.write_rows(
            "INSERT INTO entity_days(kind, name, day, outlet, articles, mentions) VALUES ",
            &days,
            ADD_COUNTS,
        )?;
        let totals: Vec<[Value; 4]> = totals
            .into_iter()
            .map(|((kind, name), (articles, mentions))| {
                [text(kind), text(name), articles.into(), mentions.into()]
            })
            .collect();
        self.write_rows(
            "INSERT INTO entities(kind, name, articles, mentions) VALUES ",
            &totals,
            ADD_COUNTS,
        )?;
        for (table, sums) in [("title_days", titles), ("honorific_days", honorifics)] {
            let sums: Vec<[Value; 4]> = sums
                .into_iter()
                .map(|((person, title, day), articles)| {
                    [text(person), Value::Text(title), text(day), articles.into()]
                })
                .collect();
            self.write_rows(
                &format!("INSERT INTO {table}(person, title, day, articles) VALUES "),
                &sums,
                " ON CONFLICT DO UPDATE SET articles = articles + excluded.articles",
            )?;
        }
        Ok(())
    }

    fn insert_rows<const N: usize, R: Borrow<[Value; N]>>(
        &self,
        head: &str,
        rows: &[R],
    ) -> Result<()> {
        self.write_rows(head, rows, "")
    }

    /// Runs `head (…), (…), … tail` over `rows`, many rows a statement:
    /// per-statement work, not per-row work, is what a bulk ingest pays
    /// for here. Statements hold 256, 128, … or 1 rows, so that few
    /// distinct ones are prepared and cached.
    fn write_rows<const N: usize, R: Borrow<[Value; N]>>(
        &self,
        head: &str,
        rows: &[R],
        tail: &str,
    ) -> Result<()> {
        let tuple = format!("({})", vec!["?"; N].join(", "));
        let mut rest = rows;
        while !rest.is_empty() {
            let take = if rest.len() >= ROWS_PER_STATEMENT {
                ROWS_PER_STATEMENT
            } else {
                1 << rest.len().ilog2()
            };
            let (chunk, after) = rest.split_at(take);
            let sql = format!("{head}{}{tail}", vec![tuple.as_str(); take].join(", "));
            self.conn
                .prepare_cached(&sql)?
                .execute(rusqlite::params_from_iter(
                    chunk.iter().flat_map(|row| row.borrow().iter()),
                ))?;
            rest = after;
        }
        Ok(())
    }

    /// Drops the analysis tables' secondary indexes, for a load that adds
    /// many rows against those already stored: each row inserted into an
    /// index by name lands at a random place of it, while building the
    /// index once at the end sorts the rows in one pass.
    /// [`ArchiveWriter::ensure_analysis_indexes`] builds them again; a reader
    /// meanwhile gets the same answers, found by scanning. Commits at once
    /// (call outside a transaction).
    pub fn defer_analysis_indexes(&mut self) -> Result<()> {
        let drops: String = ANALYSIS_INDEXES
            .iter()
            .map(|(name, _)| format!("DROP INDEX IF EXISTS {name};"))
            .collect();
        self.in_own_transaction(&drops)
    }

    /// Builds whichever analysis index is missing: after a bulk load, or a
    /// run killed during one. Returns how many were built. Commits at once
    /// (call outside a transaction).
    pub fn ensure_analysis_indexes(&mut self) -> Result<usize> {
        let missing: Vec<&(&str, &str)> = ANALYSIS_INDEXES
            .iter()
            .filter(|(name, _)| !self.has_index(name).unwrap_or(false))
            .collect();
        if missing.is_empty() {
            return Ok(0);
        }
        let creates: String = missing
            .iter()
            .map(|(name, on)| format!("CREATE INDEX IF NOT EXISTS {name} ON {on};"))
            .collect();
        // The sorts run in memory up to the page cache's size, beside the
        // cache itself (and wholly in memory with temporary files kept
        // there): with a bulk load's cache, that was an ingest's peak of
        // memory (issue 22). A small cache and temporary files on disk
        // while they run make them spill sooner instead.
        let conn = &self.reader.conn;
        let cache: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        let temp: i64 = conn.query_row("PRAGMA temp_store", [], |r| r.get(0))?;
        conn.pragma_update(None, "cache_size", INDEX_BUILD_CACHE)?;
        conn.pragma_update(None, "temp_store", "FILE")?;
        let built = self.in_own_transaction(&creates);
        let conn = &self.reader.conn;
        conn.pragma_update(None, "cache_size", cache)?;
        conn.pragma_update(None, "temp_store", temp)?;
        built?;
        Ok(missing.len())
    }

    /// Runs `sql` in a transaction of its own (rolled back on error).
    fn in_own_transaction(&mut self, sql: &str) -> Result<()> {
        let tx = self
            .reader
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.commit()?;
        Ok(())
    }

    /// Marks every article for re-analysis (`tealeaf reanalyze`).
    pub fn forget_analysis(&mut self) -> Result<u64> {
        // Rows still waiting would come back with their articles marked
        // analysed.
        self.analysis_rows = AnalysisRows::default();
        self.known.unanalysed_new.clear();
        self.known.analysis_prints.clear();
        // The rows go too: a first analysis inserts without deleting.
        self.conn
            .execute_batch("DELETE FROM mentions; DELETE FROM events; DELETE FROM entourage;")?;
        Ok(self
            .conn
            .execute("UPDATE articles SET analyzed_seq = NULL", [])? as u64)
    }
}

/// The page cache while analysis indexes are built, in SQLite's unit
/// (negative: KiB).
const INDEX_BUILD_CACHE: i64 = -8_000;
