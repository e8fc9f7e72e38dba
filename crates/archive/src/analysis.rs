//! Storing and reading the analysis of articles (people, countries,
//! titles, events, entourage lists). Derived data: rebuilt for an article
//! whenever its current version changes, and by `tealeaf reanalyze`.

use std::borrow::Borrow;
use std::collections::{BTreeMap, HashMap};

use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use tealeaf_analyze::{Analysis, EntityKind};
use tealeaf_model::{ArticleDoc, Period};

use rusqlite::types::Value;

use crate::{Archive, ArchiveError, Result};

/// Articles whose analysis rows wait in memory at most (a bulk ingest
/// writes them in a few wide statements).
const ANALYSES_BUFFERED: usize = 2048;
/// Rows in one multi-row statement at most (13 columns × 256 rows stays
/// far under SQLite's 32,766 parameters).
const ROWS_PER_STATEMENT: usize = 256;

/// The analysis tables' secondary indexes: what queries look rows up by
/// (a name, a person, an actor). Storing rows never reads them, so a bulk
/// load can drop them and build them once at its end
/// ([`Archive::defer_analysis_indexes`]).
const ANALYSIS_INDEXES: [(&str, &str); 3] = [
    ("mentions_name", "mentions(name, kind)"),
    ("events_actor", "events(actor)"),
    ("entourage_person", "entourage(person)"),
];

/// Analysis rows not yet written, for [`Archive::flush_analysis`].
#[derive(Debug, Default)]
pub(crate) struct AnalysisRows {
    /// (seq, article, kind, name, count, in title, titles): a person's
    /// titles in the article ride on their mention row, as a JSON array
    /// (schema 4: rows of their own were a sixth of the analysis rows' cost
    /// to store). The seq is the one analysed, set when the rows are taken
    /// in (schema 5).
    mentions: Vec<[Value; 7]>,
    events: Vec<[Value; 13]>,
    entourage: Vec<[Value; 7]>,
    /// (article id, seq analysed)
    analysed: Vec<[Value; 2]>,
    /// The articles these rows are of. (Probed and filled for every
    /// article analysed: SipHash was a tenth of storing the rows.)
    ids: foldhash::HashSet<String>,
}

impl AnalysisRows {
    /// A digest of the rows without their article id: equal digests, equal
    /// rows (128 bits of BLAKE3).
    fn fingerprint(&self) -> [u8; 16] {
        // The rows are laid out in one buffer and hashed at once: fed to
        // the hasher value by value, its per-call work was most of the
        // digest's cost (the digest is the same).
        let mut buf: Vec<u8> = Vec::with_capacity(1024);
        // Lengths and integers as LEB128 varints (zigzag for the sign): one
        // byte for most, and BLAKE3's work grows with the buffer's length.
        fn varint(buf: &mut Vec<u8>, mut n: u64) {
            while n >= 0x80 {
                buf.push((n as u8 & 0x7F) | 0x80);
                n >>= 7;
            }
            buf.push(n as u8);
        }
        let mut add = |table: u8, row: &[Value]| {
            buf.push(table);
            for v in row.iter().skip(1) {
                match v {
                    Value::Null => buf.push(0),
                    Value::Integer(n) => {
                        buf.push(1);
                        varint(&mut buf, ((n << 1) ^ (n >> 63)) as u64);
                    }
                    Value::Real(f) => {
                        buf.push(2);
                        buf.extend_from_slice(&f.to_le_bytes());
                    }
                    Value::Text(t) => {
                        buf.push(3);
                        varint(&mut buf, t.len() as u64);
                        buf.extend_from_slice(t.as_bytes());
                    }
                    Value::Blob(b) => {
                        buf.push(4);
                        varint(&mut buf, b.len() as u64);
                        buf.extend_from_slice(b);
                    }
                }
            }
        };
        // Without the seq, which the digest must not depend on.
        self.mentions.iter().for_each(|r| add(1, &r[1..]));
        self.events.iter().for_each(|r| add(3, r));
        self.entourage.iter().for_each(|r| add(4, r));
        let mut out = [0u8; 16];
        out.copy_from_slice(&blake3::hash(&buf).as_bytes()[..16]);
        out
    }

    /// Adds article `id`'s rows, made from its content at `seq`, to those
    /// waiting.
    fn take_in(&mut self, id: String, seq: i64, mut rows: AnalysisRows) {
        for r in &mut rows.mentions {
            r[0] = seq.into();
        }
        self.mentions.append(&mut rows.mentions);
        self.events.append(&mut rows.events);
        self.entourage.append(&mut rows.entourage);
        self.ids.insert(id);
    }

    /// Drops the rows waiting for article `id` (its analysis is replaced
    /// before they were written).
    fn drop_article(&mut self, id: &str) {
        if !self.ids.remove(id) {
            return;
        }
        let of = |v: &Value| matches!(v, Value::Text(t) if t == id);
        self.mentions.retain(|r| !of(&r[1]));
        self.events.retain(|r| !of(&r[0]));
        self.entourage.retain(|r| !of(&r[0]));
        self.analysed.retain(|r| !of(&r[0]));
    }
}

/// Mention rows sorted by their whole key (seq, kind, name). An
/// analysis's rows come in key order and together (a BTreeMap made them),
/// so the runs of one seq are sorted, stably, not the rows themselves
/// (moving the rows was a seventh of storing them).
fn in_key_order(rows: &[[Value; 7]]) -> Vec<&[Value; 7]> {
    fn seq(v: &Value) -> i64 {
        match v {
            Value::Integer(n) => *n,
            _ => 0,
        }
    }
    let mut runs: Vec<&[[Value; 7]]> = rows.chunk_by(|a, b| seq(&a[0]) == seq(&b[0])).collect();
    runs.sort_by_key(|run| seq(&run[0][0]));
    runs.into_iter().flatten().collect()
}

/// An article's analysis as the rows the archive stores, with their
/// digest. Made on any thread: an ingest makes them on its analysis
/// threads, and the archive writer only files them.
#[derive(Debug)]
pub struct AnalysisRowsOf {
    id: String,
    rows: AnalysisRows,
    print: [u8; 16],
}

impl AnalysisRowsOf {
    /// The rows of analysis `a` of article `id`.
    pub fn new(id: &str, a: &Analysis) -> AnalysisRowsOf {
        let mut counts: BTreeMap<(&str, &str), (i64, bool)> = BTreeMap::new();
        for m in &a.mentions {
            let e = counts.entry((m.kind.as_str(), &*m.canonical)).or_default();
            e.0 += 1;
            e.1 |= m.paragraph.is_none();
        }
        // Each title's person is a person the article mentions (titles are
        // read off person mentions), so every title has a row to ride on.
        let mut titles: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (person, title) in a.person_titles() {
            titles.entry(person).or_default().push(title);
        }
        let person = EntityKind::Person.as_str();
        let mut new = AnalysisRows::default();
        new.mentions
            .extend(counts.into_iter().map(|((kind, name), (count, in_title))| {
                let titles = match titles.get(name) {
                    Some(titles) if kind == person => {
                        Value::Text(serde_json::to_string(titles).unwrap_or_default())
                    }
                    _ => Value::Null,
                };
                [
                    Value::Null, // the seq, once known (`take_in`)
                    text(id),
                    text(kind),
                    text(name),
                    count.into(),
                    i64::from(in_title).into(),
                    titles,
                ]
            }));
        for (n, e) in a.events.iter().enumerate() {
            let opt_text = |s: &Option<String>| s.as_deref().map_or(Value::Null, text);
            let opt_int = |n: Option<usize>| n.map_or(Value::Null, |n| (n as i64).into());
            new.events.push([
                text(id),
                (n as i64).into(),
                opt_text(&e.actor),
                text(&e.action),
                opt_text(&e.modifier),
                opt_text(&e.recipient),
                opt_text(&e.occasion),
                e.date.map_or(Value::Null, |d| Value::Text(d.to_string())),
                opt_text(&e.date_text),
                opt_int(e.paragraph),
                opt_int(e.full_text.as_ref().map(|r| r.start)),
                opt_int(e.full_text.as_ref().map(|r| r.end)),
                Value::Text(serde_json::to_string(e).unwrap_or_default()),
            ]);
        }
        for (list, ent) in a.entourages.iter().enumerate() {
            let kind = serde_json::to_value(ent.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            for (pos, person) in ent.people.iter().enumerate() {
                new.entourage.push([
                    text(id),
                    (list as i64).into(),
                    (pos as i64 + 1).into(),
                    (ent.people.len() as i64).into(),
                    text(&kind),
                    text(person),
                    (ent.paragraph as i64).into(),
                ]);
            }
        }
        let print = new.fingerprint();
        AnalysisRowsOf {
            id: id.to_string(),
            rows: new,
            print,
        }
    }
}

impl Archive {
    /// Replaces the analysis rows of article `id`, made from its content at
    /// `seq`.
    pub fn store_analysis(&mut self, id: &str, seq: i64, a: &Analysis) -> Result<()> {
        self.store_analysis_rows(seq, AnalysisRowsOf::new(id, a), None)
    }

    /// [`Archive::store_analysis`] with the rows made beforehand.
    pub fn store_analysis_rows_of(&mut self, seq: i64, rows: AnalysisRowsOf) -> Result<()> {
        self.store_analysis_rows(seq, rows, None)
    }

    /// [`Archive::store_analysis_rows_of`] for an article this connection
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
    /// article afterwards (a twentieth of a bulk ingest with analysis).
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
        // A first analysis has nothing to replace: four deletes saved per
        // new article are a sixth of a bulk ingest's archive work.
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
            "INSERT INTO mentions(seq, article_id, kind, name, count, in_title, titles) VALUES ",
            &in_key_order(&rows.mentions),
        )?;
        self.insert_rows(
            "INSERT INTO events(article_id, n, actor, action, modifier, recipient, occasion, event_date,
               date_text, paragraph, text_from, text_to, detail) VALUES ",
            &rows.events,
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
    /// index by name lands at a random place of it, which was half the cost
    /// of storing the mentions of kcna-2011, while building the index once
    /// at the end sorts the rows in one pass.
    /// [`Archive::ensure_analysis_indexes`] builds them again; a reader
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
        self.in_own_transaction(&creates)?;
        Ok(missing.len())
    }

    /// Runs `sql` in a transaction of its own (rolled back on error).
    fn in_own_transaction(&mut self, sql: &str) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.commit()?;
        Ok(())
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

    /// People and countries of an article, for its index document.
    pub(crate) fn doc_entities(&self, id: &str) -> Result<(Vec<String>, Vec<String>)> {
        let mut people = Vec::new();
        let mut countries = Vec::new();
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT kind, name FROM mentions WHERE seq = (SELECT analyzed_seq FROM articles WHERE id = ?1)
                 AND kind IN ('person', 'country')",
            )?;
        let mut rows = stmt.query([id])?;
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

    /// The people and countries article `id` mentions, as `(kind, name,
    /// count)`, people first, then most mentioned first (the article page
    /// links them).
    pub fn entities_of(&self, id: &str) -> Result<Vec<(String, String, i64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT kind, name, count FROM mentions WHERE seq = (SELECT analyzed_seq FROM articles WHERE id = ?1)
             AND kind IN ('person', 'country') ORDER BY kind DESC, count DESC, name",
        )?;
        let rows = stmt
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Canonical names matching `name` (case-insensitive), most mentioned
    /// first; for resolving what a user typed.
    pub fn entity_names(
        &self,
        name: &str,
        kind: Option<&str>,
    ) -> Result<Vec<(String, String, i64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT name, kind, COUNT(*) FROM mentions WHERE name = ?1 COLLATE NOCASE
             AND (?2 IS NULL OR kind = ?2) GROUP BY name, kind ORDER BY 3 DESC",
        )?;
        let rows = stmt
            .query_map(params![name, kind], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Everything known about one person (the `person --json` contract).
    pub fn person(&self, name: &str) -> Result<PersonView> {
        let found = self.entity_names(name, Some("person"))?;
        let name = found
            .first()
            .map(|f| f.0.clone())
            .ok_or_else(|| ArchiveError::NotFound(format!("person {name}")))?;
        let (articles, mentions, first_seen, last_seen): (i64, i64, Option<String>, Option<String>) = self.conn.query_row(
            "SELECT COUNT(*), SUM(m.count), MIN(a.published), MAX(a.published)
             FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.name = ?1 AND m.kind = 'person'",
            [&name],
            |r| Ok((r.get(0)?, r.get::<_, Option<i64>>(1)?.unwrap_or(0), r.get(2)?, r.get(3)?)),
        )?;
        let by_month = self.collect(
            "SELECT substr(a.published, 1, 7), COUNT(*), SUM(m.count)
             FROM mentions m JOIN articles a ON a.id = m.article_id
             WHERE m.name = ?1 AND m.kind = 'person' AND a.published IS NOT NULL GROUP BY 1 ORDER BY 1",
            &name,
            |r| Ok(PeriodCount { period: r.get(0)?, articles: r.get(1)?, mentions: r.get(2)? }),
        )?;
        let titles = self.collect(
            "SELECT t.value, MIN(a.published), MAX(a.published), COUNT(*)
             FROM mentions m JOIN articles a ON a.id = m.article_id JOIN json_each(m.titles) t
             WHERE m.name = ?1 AND m.kind = 'person' AND m.titles IS NOT NULL
             GROUP BY t.value ORDER BY 2, 1",
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
        let with = self.collect(
            "SELECT o.name, COUNT(*) FROM mentions m JOIN mentions o ON o.seq = m.seq
             WHERE m.name = ?1 AND m.kind = 'person' AND o.kind = 'person' AND o.name != m.name
             GROUP BY o.name ORDER BY 2 DESC, 1 LIMIT 20",
            &name,
            |r| {
                Ok(CoMention {
                    name: r.get(0)?,
                    articles: r.get(1)?,
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
            by_month,
            with,
            entourage,
        })
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
               AND (?3 IS NULL OR COALESCE(e.event_date, a.published) >= ?3)
               AND (?4 IS NULL OR COALESCE(e.event_date, a.published) <= ?4)
             ORDER BY COALESCE(e.event_date, a.published) DESC, e.article_id, e.n LIMIT ?5",
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
        kind: &str,
        name: &str,
        period: Period,
        outlet: Option<&str>,
    ) -> Result<Vec<PeriodCount>> {
        let sql = format!(
            "SELECT {} AS p, COUNT(*), SUM(m.count) FROM mentions m JOIN articles a ON a.id = m.article_id
             WHERE m.name = ?1 AND m.kind = ?2 AND a.published IS NOT NULL AND (?3 IS NULL OR a.outlet = ?3)
             GROUP BY p ORDER BY p",
            period_sql(period)
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt
            .query_map(params![name, kind, outlet], |r| {
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
            "SELECT {} AS p, COUNT(*) FROM articles a WHERE a.published IS NOT NULL
             AND (?1 IS NULL OR a.outlet = ?1) GROUP BY p",
            period_sql(period)
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

/// SQL for the period of `a.published` (`YYYY-MM-DD`), as
/// [`Period::label`] writes it.
fn period_sql(period: Period) -> &'static str {
    match period {
        Period::Day => "a.published",
        // The Monday that starts the week.
        Period::Week => "date(a.published, '-' || ((CAST(strftime('%w', a.published) AS INTEGER) + 6) % 7) || ' days')",
        Period::Month => "substr(a.published, 1, 7)",
        Period::Year => "substr(a.published, 1, 4)",
    }
}

fn text(s: &str) -> rusqlite::types::Value {
    rusqlite::types::Value::Text(s.to_string())
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

/// The `person --json` contract.
#[derive(Debug, Clone, Serialize)]
pub struct PersonView {
    pub name: String,
    pub articles: i64,
    pub mentions: i64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub titles: Vec<TitleSeen>,
    pub by_month: Vec<PeriodCount>,
    /// The people most often mentioned in the same articles.
    pub with: Vec<CoMention>,
    /// Positions in ordered name lists, by date.
    pub entourage: Vec<Position>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A mention row's key: (seq, kind, name).
    fn key(r: &[Value]) -> (i64, String, String) {
        let s = |v: &Value| match v {
            Value::Text(t) => t.clone(),
            _ => String::new(),
        };
        match &r[0] {
            Value::Integer(seq) => (*seq, s(&r[2]), s(&r[3])),
            other => panic!("no seq: {other:?}"),
        }
    }

    #[test]
    fn the_digest_tells_rows_apart_and_ignores_the_article_and_seq() {
        let rows = |id: &str, a: Value, b: Value| {
            let mut r = AnalysisRows::default();
            r.mentions.push([
                Value::Integer(id.len() as i64),
                text(id),
                a,
                b,
                Value::Integer(1),
                Value::Integer(0),
                Value::Null,
            ]);
            r.fingerprint()
        };
        let t = |s: &str| Value::Text(s.to_string());
        let i = Value::Integer;
        assert_eq!(rows("a", t("x"), t("ab")), rows("bc", t("x"), t("ab")));
        let distinct = [
            rows("a", t("x"), t("ab")),
            rows("a", t("xa"), t("b")),
            rows("a", t("x"), t(&"b".repeat(200))),
            rows("a", t("x"), t(&"b".repeat(201))),
            rows("a", i(1), t("ab")),
            rows("a", i(-1), t("ab")),
            rows("a", i(128), t("ab")),
            rows("a", i(i64::MIN), t("ab")),
            rows("a", Value::Null, t("ab")),
        ];
        for (k, a) in distinct.iter().enumerate() {
            for b in &distinct[k + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn sorting_by_seq_alone_sorts_by_the_whole_key() {
        let analyzer = tealeaf_analyze::Analyzer::new().unwrap();
        let paragraphs = [
            "Kim Jong Un, general secretary of the Workers' Party of Korea, met Xi Jinping, president of China, and Vladimir Putin in Pyongyang. Choe Ryong Hae, Pak Pong Ju and Kim Yo Jong, vice department director, were present. Russia, China, Laos, Cuba and Viet Nam sent delegations.".to_string(),
            "Premier Kim Tok Hun and Jo Yong Won, secretary of the C.C., WPK, accompanied Kim Jong Un to Japan and the United States.".to_string(),
        ];
        let mut all = AnalysisRows::default();
        // Analyses arrive out of order, several rows each.
        for (id, seq) in [("m", 13), ("b", 2), ("z", 26), ("a", 1), ("k", 11)] {
            let a = analyzer.analyze_parts("Talks in Pyongyang", &paragraphs, None);
            let rows = AnalysisRowsOf::new(id, &a).rows;
            assert!(rows.mentions.len() > 5);
            all.take_in(id.to_string(), seq, rows);
        }
        let by_seq: Vec<_> = in_key_order(&all.mentions).into_iter().cloned().collect();
        let mut by_key = all.mentions.clone();
        by_key.sort_by_cached_key(|r| key(r));
        assert_eq!(by_seq, by_key);
        assert_ne!(all.mentions, by_key, "arrived sorted");
    }
}
