//! The aggregates schema 12 keeps for pages and commands (article counts
//! by day, row counts, entity and title counts by day, the events' listing
//! date) equal a full recount of the rows they count after every kind of
//! write: ingests, re-captures that change text and publication dates,
//! failed captures, undoing runs, re-analysis. The recounts here are SQL
//! over the base tables, written apart from the library's own
//! `aggregate_drift` check, which is asserted too.

mod common;
use std::path::Path;

use common::*;
use serde_json::{json, Value};

fn drift(data: &Path) -> Vec<(String, String, i64, i64)> {
    tealeaf_archive::ArchiveReader::open(&data.join("archive.sqlite"))
        .unwrap()
        .aggregate_drift()
        .unwrap()
}

fn sql_i64(data: &Path, sql: &str, arg: &str) -> i64 {
    let conn = rusqlite::Connection::open(data.join("archive.sqlite")).unwrap();
    let mut stmt = conn.prepare(sql).unwrap();
    let n = if sql.contains("?1") {
        stmt.query_row([arg], |r| r.get::<_, Option<i64>>(0))
    } else {
        stmt.query_row([], |r| r.get::<_, Option<i64>>(0))
    };
    n.unwrap().unwrap_or(0)
}

/// What `stats`, `person` and `trend` show equals a recount from the rows.
fn assert_shown_equals_recount(data: &Path, step: &str) {
    let d = drift(data);
    assert!(
        d.is_empty(),
        "{step}: aggregates drifted from a recount: {d:?}"
    );

    let st = json(data, &["stats", "--json"]);
    for (field, sql) in [
        ("articles", "SELECT COUNT(*) FROM articles"),
        ("versions", "SELECT COUNT(*) FROM versions"),
        ("captures", "SELECT COUNT(*) FROM captures"),
        ("failed_captures", "SELECT COUNT(*) FROM failed_captures"),
        (
            "title_only",
            "SELECT COUNT(*) FROM articles WHERE title_only",
        ),
    ] {
        assert_eq!(st[field], sql_i64(data, sql, ""), "{step}: stats {field}");
    }
    let first = rusqlite::Connection::open(data.join("archive.sqlite"))
        .unwrap()
        .query_row("SELECT MIN(published) FROM articles", [], |r| {
            r.get::<_, Option<String>>(0)
        })
        .unwrap();
    assert_eq!(
        st["first_published"],
        json!(first),
        "{step}: first published"
    );

    let joined = "FROM mentions m JOIN articles a ON a.id = m.article_id
                  WHERE m.kind = 'person' AND m.name = ?1";
    for person in ["Kim Jong Il", "Choe Ryong Hae"] {
        let articles = sql_i64(data, &format!("SELECT COUNT(*) {joined}"), person);
        let out = run(data, &["person", "--json", person]);
        if articles == 0 {
            assert!(!out.status.success(), "{step}: {person} is gone");
            continue;
        }
        let p: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(p["articles"], articles, "{step}: {person} articles");
        assert_eq!(
            p["mentions"],
            sql_i64(data, &format!("SELECT SUM(m.count) {joined}"), person),
            "{step}: {person} mentions"
        );
        let by_month: i64 = p["by_month"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["articles"].as_i64().unwrap())
            .sum();
        assert_eq!(
            by_month,
            sql_i64(
                data,
                &format!("SELECT COUNT(*) {joined} AND a.published IS NOT NULL"),
                person
            ),
            "{step}: {person} by month"
        );
        let titled: i64 = p["titles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["articles"].as_i64().unwrap())
            .sum();
        assert_eq!(
            titled,
            sql_i64(
                data,
                "SELECT COUNT(*) FROM mentions m JOIN articles a ON a.id = m.article_id
                 JOIN json_each(m.titles) WHERE m.kind = 'person' AND m.name = ?1",
                person
            ),
            "{step}: {person} titles"
        );
    }

    let trend = json(data, &["trend", "--json", "--by", "month", "Russia"]);
    let counted: i64 = trend["terms"]["Russia"]
        .as_array()
        .map(|ps| ps.iter().map(|p| p["articles"].as_i64().unwrap()).sum())
        .unwrap_or(0);
    assert_eq!(
        counted,
        sql_i64(
            data,
            "SELECT COUNT(*) FROM mentions m JOIN articles a ON a.id = m.article_id
             WHERE m.kind = 'country' AND m.name = ?1 AND a.published IS NOT NULL",
            "Russia"
        ),
        "{step}: trend Russia"
    );
}

/// KCNA's first week of December 2011 with explicit ids, so that a later
/// capture of the same id may change anything, its date included.
fn week(ids_from: usize) -> Vec<Value> {
    kcna_records("2011-12-01", "2011-12-07")
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let mut v: Value = serde_json::from_str(l).unwrap();
            v["id"] = json!(format!("k{}", i + ids_from));
            v["outlet"] = json!("kcna");
            v["captured_at"] = json!("2011-12-08T00:00:00Z");
            v
        })
        .collect()
}

#[test]
#[ignore = "needs ../shared/corpus (cargo test -- --include-ignored)"]
fn aggregates_equal_a_recount_after_every_kind_of_write() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let map = ["--map", "published=date,body=story"];

    let first = week(0);
    assert!(first.len() > 150, "a week of KCNA");
    let file = write_jsonl(dir.path(), "first.jsonl", &first);
    ok(&data, &["ingest", map[0], map[1], file.to_str().unwrap()]);
    assert_shown_equals_recount(&data, "first ingest");
    assert!(
        sql_i64(
            &data,
            "SELECT COUNT(*) FROM mentions WHERE name = ?1",
            "Kim Jong Il"
        ) > 10
    );

    // Re-captures: every tenth article edited so that who it names
    // changes, every seventh edited and moved to another day, a few emptied (failed
    // captures), and new articles beside them.
    let mut second: Vec<Value> = first
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 7 == 0 || i % 10 == 0 || i % 50 == 3)
        .map(|(i, v)| {
            let mut v = v.clone();
            v["captured_at"] = json!("2011-12-20T00:00:00Z");
            if i % 10 == 0 {
                let story = v["story"].as_str().unwrap_or("").to_string();
                v["story"] = json!(format!(
                    "Choe Ryong Hae, secretary of the WPK, and Kim Jong Il visited Russia.\n\n{}",
                    story.replace("Kim Jong Il", "the leader")
                ));
            }
            if i % 7 == 0 {
                // Metadata follows a new version: the text changes too.
                v["date"] = json!("2011-11-15");
                let story = v["story"].as_str().unwrap_or("").to_string();
                v["story"] = json!(format!("{story}\n\nThe date was corrected."));
            }
            if i % 50 == 3 {
                v["story"] = json!("");
                v["title"] = json!("");
            }
            v
        })
        .collect();
    second.extend(week(10_000).into_iter().take(40));
    let file = write_jsonl(dir.path(), "second.jsonl", &second);
    ok(&data, &["ingest", map[0], map[1], file.to_str().unwrap()]);
    assert!(sql_i64(&data, "SELECT COUNT(*) FROM failed_captures", "") > 0);
    assert!(
        sql_i64(
            &data,
            "SELECT COUNT(*) FROM articles WHERE published = ?1",
            "2011-11-15"
        ) > 10,
        "dates moved"
    );
    assert_shown_equals_recount(&data, "re-captures");

    // Undoing the second run puts texts and dates back; undoing the first
    // leaves the second's new articles alone.
    ok(&data, &["forget", "--run", "2"]);
    assert_shown_equals_recount(&data, "forget run 2");
    ok(&data, &["ingest", map[0], map[1], file.to_str().unwrap()]);
    ok(&data, &["forget", "--run", "1"]);
    assert_shown_equals_recount(&data, "forget run 1");

    ok(&data, &["reanalyze"]);
    assert_shown_equals_recount(&data, "reanalyze");
}
