//! An article's analysis as the rows the archive stores (mentions with
//! the titles they carry, events, entourage positions), their digest, and
//! the buffer of rows waiting to be written. Made on any thread.
//!
//! Must not touch: SQLite (the writer files these rows: [`super::store`]).

use std::collections::BTreeMap;

use rusqlite::types::Value;
use tealeaf_analyze::{Analysis, EntityKind};

/// Analysis rows not yet written, for [`crate::ArchiveWriter::flush_analysis`].
#[derive(Debug, Default)]
pub(crate) struct AnalysisRows {
    /// (seq, article, kind, name, count, in title, titles, honorifics,
    /// named after): a person's titles (offices) and honorifics in the
    /// article ride on their mention row, each a JSON array (schemas 4 and
    /// 10), and an organization's or place's namesake on its own (schema
    /// 13). The seq is the one analysed, set when the rows are taken in
    /// (schema 5).
    pub(crate) mentions: Vec<[Value; 9]>,
    pub(crate) events: Vec<[Value; 13]>,
    pub(crate) entourage: Vec<[Value; 7]>,
    /// (article id, seq analysed)
    pub(crate) analysed: Vec<[Value; 2]>,
    /// The articles these rows are of (a fast hash: probed and filled for
    /// every article analysed).
    pub(crate) ids: foldhash::HashSet<String>,
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
    pub(crate) fn take_in(&mut self, id: String, seq: i64, mut rows: AnalysisRows) {
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
    pub(crate) fn drop_article(&mut self, id: &str) {
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
/// (which would move every row).
pub(crate) fn in_key_order(rows: &[[Value; 9]]) -> Vec<&[Value; 9]> {
    fn seq(v: &Value) -> i64 {
        match v {
            Value::Integer(n) => *n,
            _ => 0,
        }
    }
    let mut runs: Vec<&[[Value; 9]]> = rows.chunk_by(|a, b| seq(&a[0]) == seq(&b[0])).collect();
    runs.sort_by_key(|run| seq(&run[0][0]));
    runs.into_iter().flatten().collect()
}

/// An article's analysis as the rows the archive stores, with their
/// digest. Made on any thread: an ingest makes them on its analysis
/// threads, and the archive writer only files them.
#[derive(Debug)]
pub struct AnalysisRowsOf {
    pub(crate) id: String,
    pub(crate) rows: AnalysisRows,
    pub(crate) print: [u8; 16],
}

impl AnalysisRowsOf {
    /// The rows of analysis `a` of article `id`.
    pub fn new(id: &str, a: &Analysis) -> AnalysisRowsOf {
        let mut counts: BTreeMap<(&str, &str), (i64, bool, Option<&str>)> = BTreeMap::new();
        for m in &a.mentions {
            let e = counts.entry((m.kind.as_str(), &*m.canonical)).or_default();
            e.0 += 1;
            e.1 |= m.paragraph.is_none();
            e.2 = e.2.or(m.named_after.as_deref());
        }
        // Each title's person is a person the article mentions (titles are
        // read off person mentions), so every title has a row to ride on.
        let mut titles: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (person, title) in a.person_titles() {
            titles.entry(person).or_default().push(title);
        }
        let mut honorifics: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (person, h) in a.person_honorifics() {
            honorifics.entry(person).or_default().push(h);
        }
        let person = EntityKind::Person.as_str();
        let mut new = AnalysisRows::default();
        new.mentions.extend(counts.into_iter().map(
            |((kind, name), (count, in_title, named_after))| {
                let list = |of: &BTreeMap<&str, Vec<&str>>| match of.get(name) {
                    Some(list) if kind == person => {
                        Value::Text(serde_json::to_string(list).unwrap_or_default())
                    }
                    _ => Value::Null,
                };
                let (titles, honorifics) = (list(&titles), list(&honorifics));
                [
                    Value::Null, // the seq, once known (`take_in`)
                    text(id),
                    text(kind),
                    text(name),
                    count.into(),
                    i64::from(in_title).into(),
                    titles,
                    honorifics,
                    named_after.map_or(Value::Null, text),
                ]
            },
        ));
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

pub(crate) fn text(s: &str) -> Value {
    Value::Text(s.to_string())
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
                Value::Null,
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
