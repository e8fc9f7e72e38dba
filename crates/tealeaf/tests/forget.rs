//! `tealeaf runs` and `tealeaf forget --run N`: undoing a wrong ingest
//! leaves the archive, its analysis, relations and index exactly as if the
//! run had never happened: compared, table by table, with an archive that
//! ingested only the other runs.

mod common;

use std::path::Path;

use common::*;
use serde_json::json;

/// The three runs: a good one, a wrong one (a new version of A with the
/// wrong text and url, an unrelated article, a removal of B, a failed
/// capture and a listing holding E), and a later good one that re-captures
/// A, adds D and captures the listing again without E.
fn inputs(dir: &Path) -> [std::path::PathBuf; 3] {
    let rec = |published: &str, title: &str, body: &str, url: &str, at: &str| {
        json!({"outlet": "kcna", "language": "en", "published": published, "title": title,
               "body": body, "url": url, "captured_at": at})
    };
    let a = rec(
        "2011-05-01",
        "Talks Held in Pyongyang",
        "Kim Jong Il met Hu Jintao in Pyongyang on Sunday.\n\nThe talks were held in a friendly atmosphere, KCNA said.",
        "http://kcna.example/a",
        "2011-05-01T08:00:00Z",
    );
    let first = write_jsonl(
        dir,
        "first.jsonl",
        &[
            a.clone(),
            rec(
                "2011-05-02",
                "Factory Visited",
                "Kim Jong Il visited the Huichon machine factory and talked with its workers.",
                "http://kcna.example/b",
                "2011-05-02T08:00:00Z",
            ),
            json!({"id": "e-1", "outlet": "kcna", "language": "en", "published": "2011-05-03",
                   "title": "Statement of Spokesman", "body": "The spokesman of the ministry issued a statement on Russia.",
                   "captured_at": "2011-05-03T08:00:00Z"}),
        ],
    );
    let wrong = write_jsonl(
        dir,
        "wrong.jsonl",
        &[
            rec(
                "2011-05-01",
                "Talks Held in Pyongyang",
                "Wrongly mapped text about Beijing and Moscow.",
                "http://kcna.example/a-wrong",
                "2011-05-04T08:00:00Z",
            ),
            rec(
                "2011-05-04",
                "Unrelated Story",
                "Choe Ryong Hae arrived in Havana, Cuba, on a visit.",
                "http://kcna.example/c",
                "2011-05-04T08:00:00Z",
            ),
            json!({"outlet": "kcna", "language": "en", "published": "2011-05-02",
                   "title": "Factory Visited", "status": 404, "captured_at": "2011-05-05T00:00:00Z"}),
            json!({"id": "e-1", "outlet": "kcna", "captured_at": "2011-05-05T00:00:00Z"}),
            json!({"listing": "front", "outlet": "kcna", "captured_at": "2011-05-05T00:00:00Z",
                   "items": ["e-1"]}),
        ],
    );
    let mut a_again = a;
    a_again["captured_at"] = json!("2011-05-06T08:00:00Z");
    let later = write_jsonl(
        dir,
        "later.jsonl",
        &[
            a_again,
            rec(
                "2011-05-06",
                "Another Day",
                "Kim Yong Nam received the ambassador of China.",
                "http://kcna.example/d",
                "2011-05-06T08:00:00Z",
            ),
            json!({"listing": "front", "outlet": "kcna", "captured_at": "2011-05-07T00:00:00Z",
                   "items": []}),
        ],
    );
    [first, wrong, later]
}

/// Every stored row that is not bookkeeping (row ids, seqs, which file
/// and run), sorted: what two archives must agree on.
fn tables(data: &Path) -> Vec<(String, Vec<String>)> {
    let conn = rusqlite::Connection::open(data.join("archive.sqlite")).unwrap();
    [
        "SELECT id, outlet, ident_key, ordinal, url, language, published, media, photo_count, byline,
                current_hash, title_only, first_seen, last_seen, gone, versions, commentary,
                language_detected FROM articles",
        "SELECT * FROM versions",
        "SELECT * FROM changes",
        "SELECT article_id, content_hash, captured_at, observed_at, status FROM captures",
        "SELECT article_id, captured_at, reason FROM failed_captures",
        "SELECT hash, title, paragraphs FROM contents",
        "SELECT listing, outlet, captured_at, items FROM listing_captures",
        "SELECT * FROM listing_presence",
        "SELECT kind, name, article_id, count, in_title, titles FROM mentions",
        "SELECT * FROM events",
        "SELECT * FROM entourage",
        "SELECT * FROM related",
        "SELECT * FROM related_features",
    ]
    .iter()
    .map(|sql| {
        let mut stmt = conn.prepare(sql).unwrap();
        let n = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join(" | "))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        rows.sort();
        (sql.split_whitespace().last().unwrap().to_string(), rows)
    })
    .collect()
}

fn indexed_ids(data: &Path) -> Vec<String> {
    let found = json(data, &["search", "--json", "--limit", "1000", ""]);
    let mut ids: Vec<String> = found["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn forgetting_a_run_leaves_the_archive_as_if_it_never_ran() {
    let dir = tempfile::tempdir().unwrap();
    let [first, wrong, later] = inputs(dir.path());
    let (data, control) = (dir.path().join("data"), dir.path().join("control"));
    for file in [&first, &wrong, &later] {
        ok(&data, &["ingest", file.to_str().unwrap()]);
    }
    for file in [&first, &later] {
        ok(&control, &["ingest", file.to_str().unwrap()]);
    }
    // The wrong run did what it says.
    assert_eq!(
        json(&data, &["search", "--json", "Havana"])["total"],
        1,
        "the wrong run's article is searchable before"
    );
    let before = tables(&data);
    let differing: Vec<&str> = before
        .iter()
        .zip(&tables(&control))
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a.0.as_str())
        .collect();
    for table in [
        "articles",
        "versions",
        "changes",
        "captures",
        "failed_captures",
        "contents",
        "listing_presence",
        "mentions",
    ] {
        assert!(differing.contains(&table), "{table}: {differing:?}");
    }

    let runs = json(&data, &["runs", "--json"]);
    let runs = runs.as_array().unwrap();
    assert_eq!(runs.len(), 3);
    assert_eq!(runs[1]["id"], 2);
    assert!(runs[1]["sources"][0]
        .as_str()
        .unwrap()
        .ends_with("wrong.jsonl"));
    assert_eq!(runs[1]["summary"]["new_articles"], 1);
    assert_eq!(runs[1]["recorded"], true);
    assert!(ok(&data, &["runs"]).contains("wrong.jsonl"));

    // A dry run says what would go and changes nothing.
    let dry = json(&data, &["forget", "--run", "2", "--dry-run", "--json"]);
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["articles_removed"].as_array().unwrap().len(), 1);
    assert_eq!(tables(&data), before);

    let done = json(&data, &["forget", "--run", "2", "--json"]);
    assert_eq!(done["dry_run"], false);
    // Two content captures, the removal; the failed capture; the listing.
    assert_eq!(done["captures"], 3, "{done}");
    assert_eq!(done["failed_captures"], 1);
    assert_eq!(done["listings"], 1);
    assert_eq!(done["articles_removed"].as_array().unwrap().len(), 1);

    let (got, want) = (tables(&data), tables(&control));
    for ((name, got), (_, want)) in got.iter().zip(&want) {
        assert_eq!(got, want, "table {name} differs from the control's");
    }
    assert_eq!(indexed_ids(&data), indexed_ids(&control));
    for word in ["Beijing", "Havana", "Huichon", "Pyongyang"] {
        assert_eq!(
            json(&data, &["search", "--json", word])["total"],
            json(&control, &["search", "--json", word])["total"],
            "{word}"
        );
    }
    let mut st = json(&data, &["stats", "--json"]);
    let mut st_control = json(&control, &["stats", "--json"]);
    st["data_dir"] = json!("");
    st_control["data_dir"] = json!("");
    assert_eq!(st, st_control);
    assert_eq!(st["index_behind"], false);

    // The run is listed as forgotten; it cannot be forgotten twice, and a
    // run that does not exist is named.
    let runs = json(&data, &["runs", "--json"]);
    assert!(runs[1]["forgotten_at"].is_string(), "{runs}");
    for (n, says) in [("2", "already forgotten"), ("9", "no such run")] {
        let out = run(&data, &["forget", "--run", n]);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("run {n}: {says}")), "{err}");
    }

    // The wrong input read again is new again; the later run forgotten
    // too leaves only the first.
    ok(&data, &["forget", "--run", "3"]);
    let only_first = dir.path().join("only-first");
    ok(&only_first, &["ingest", first.to_str().unwrap()]);
    assert_eq!(tables(&data), tables(&only_first));
    assert_eq!(indexed_ids(&data), indexed_ids(&only_first));
}

#[test]
fn a_running_server_follows_a_forgotten_run() {
    let dir = tempfile::tempdir().unwrap();
    let [first, wrong, _] = inputs(dir.path());
    let data = dir.path().join("data");
    ok(&data, &["ingest", first.to_str().unwrap()]);
    ok(&data, &["ingest", wrong.to_str().unwrap()]);
    let (_server, mut out) = serve(&data);
    let host = served_host(&mut out);
    let total = |q: &str| -> u64 {
        let body = http_get(&host, &format!("/search.json?q={q}"));
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["total"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(total("Havana"), 1);
    ok(&data, &["forget", "--run", "2"]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while total("Havana") != 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the server still finds the forgotten article"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert_eq!(total("Pyongyang"), 1);
}

#[test]
fn runs_stored_before_runs_were_recorded_cannot_be_forgotten() {
    let dir = tempfile::tempdir().unwrap();
    let [first, _, later] = inputs(dir.path());
    let data = dir.path().join("data");
    ok(&data, &["ingest", first.to_str().unwrap()]);
    // The archive as schema 8 left it: without what schema 9 added ...
    let conn = rusqlite::Connection::open(data.join("archive.sqlite")).unwrap();
    conn.execute_batch(
        "ALTER TABLE captures DROP COLUMN run_id;
         ALTER TABLE failed_captures DROP COLUMN run_id;
         ALTER TABLE listing_captures DROP COLUMN run_id;
         ALTER TABLE runs DROP COLUMN forgotten_at;
         DROP TABLE run_overwrites;
         DROP TABLE index_deletions;
         DELETE FROM meta WHERE key IN ('runs_recorded_from', 'seq_floor');
         DROP INDEX related_features_text_key;
         DROP INDEX related_features_copy_of;
         ALTER TABLE related_features DROP COLUMN text_key;
         ALTER TABLE related_features DROP COLUMN copy_of;",
    )
    .unwrap();
    // ... and without what schemas 10, 12 and 13 added.
    let triggers: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for t in triggers {
        conn.execute_batch(&format!("DROP TRIGGER {t}")).unwrap();
    }
    conn.execute_batch(
        "DROP TABLE article_days; DROP TABLE row_counts; DROP TABLE entity_days;
         DROP TABLE entities; DROP TABLE title_days; DROP TABLE honorific_days;
         DROP INDEX IF EXISTS events_at; ALTER TABLE events DROP COLUMN at;
         ALTER TABLE mentions DROP COLUMN honorifics;
         ALTER TABLE mentions DROP COLUMN named_after;
         PRAGMA user_version = 8;",
    )
    .unwrap();
    drop(conn);
    ok(&data, &["ingest", later.to_str().unwrap()]);
    let runs = json(&data, &["runs", "--json"]);
    assert_eq!(runs[0]["recorded"], false, "{runs}");
    assert_eq!(runs[1]["recorded"], true, "{runs}");
    assert!(ok(&data, &["runs"]).contains("cannot be undone"));
    let out = run(&data, &["forget", "--run", "1"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot be undone"), "{err}");

    let articles = |data: &Path| json(data, &["stats", "--json"])["articles"].clone();
    assert_eq!(articles(&data), 4);
    ok(&data, &["forget", "--run", "2"]);
    assert_eq!(articles(&data), 3, "D went, A kept its first capture");
}

#[test]
#[ignore = "needs ../shared/corpus (cargo test -- --include-ignored)"]
fn a_wrong_import_of_kcna_2011_is_undone_and_the_right_one_adds_no_changes() {
    let corpus = shared().join("corpus/kcna/kcna-2011.jsonl.gz");
    let corpus = corpus.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (data, control) = (dir.path().join("data"), dir.path().join("control"));
    let right = [
        "ingest",
        "--outlet",
        "kcna",
        "--map",
        "published=date,body=story",
        corpus,
    ];
    // The body forgotten in --map: every article title-only.
    let wrong = json(
        &data,
        &[
            "ingest",
            "--outlet",
            "kcna",
            "--map",
            "published=date",
            "--json",
            corpus,
        ],
    );
    assert_eq!(wrong["title_only"], wrong["new_articles"]);
    let done = json(&data, &["forget", "--run", "1", "--json"]);
    assert_eq!(
        done["articles_removed"].as_array().unwrap().len() as u64,
        wrong["new_articles"].as_u64().unwrap()
    );
    let st = json(&data, &["stats", "--json"]);
    assert_eq!(
        (
            st["articles"].clone(),
            st["captures"].clone(),
            st["indexed"].clone()
        ),
        (json!(0), json!(0), json!(0))
    );

    ok(&data, &right);
    ok(&control, &right);
    let (mut st, mut st_control) = (
        json(&data, &["stats", "--json"]),
        json(&control, &["stats", "--json"]),
    );
    st["data_dir"] = json!("");
    st_control["data_dir"] = json!("");
    assert_eq!(st, st_control);
    assert_eq!(
        st["versions"], st["articles"],
        "no version of the wrong import is left"
    );
    assert_eq!(
        json(&data, &["changes", "--json"])["total"].as_u64(),
        Some(0),
        "the right import changes nothing the wrong one left"
    );
    assert_eq!(indexed_count(&data), indexed_count(&control));
}

fn indexed_count(data: &Path) -> serde_json::Value {
    json(data, &["search", "--json", "--limit", "1", ""])["total"].clone()
}
