//! People, events and trends through the real binary: the seed page's
//! event, person and trend contracts, search filters by person and
//! country, and analysis kept up to date incrementally.

mod common;
use common::*;

#[test]
fn the_seed_page_event_and_people() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    ok(
        &data,
        &["ingest", repo().join("fixtures/pages").to_str().unwrap()],
    );

    let ev = json(&data, &["events", "--json", "--actor", "kim jong un"]);
    let events = ev["events"].as_array().unwrap();
    let e = events
        .iter()
        .map(|r| &r["event"])
        .find(|e| e["action"].as_str().unwrap_or("").contains("message"))
        .unwrap_or_else(|| panic!("no message event: {ev}"));
    assert_eq!(e["actor"], "Kim Jong Un");
    assert_eq!(e["action"], "sends message");
    assert_eq!(e["modifier"], "congratulatory");
    assert_eq!(
        e["recipient"],
        "the officers and soldiers of the overseas operations units"
    );
    assert_eq!(e["occasion"], "the new year");
    assert_eq!(e["date"], "2025-12-31");
    // The full text of the message: after "The full text of the message is
    // as follows:" (paragraph 2 of 25) to the end.
    assert_eq!(e["full_text"], serde_json::json!({"start": 2, "end": 25}));

    let p = json(&data, &["person", "--json", "kim jong un"]);
    assert_eq!(p["name"], "Kim Jong Un");
    assert_eq!(p["articles"], 1);
    assert_eq!(p["first_seen"], "2026-01-01");
    assert_eq!(p["last_seen"], "2026-01-01");
    assert_eq!(p["by_month"][0]["period"], "2026-01");
    // "Respected Comrade" is a word of respect: an honorific, not a title
    // (an office).
    let list = |key: &str| -> Vec<String> {
        p[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["title"].as_str().unwrap().to_string())
            .collect()
    };
    let (titles, honorifics) = (list("titles"), list("honorifics"));
    assert!(
        honorifics.contains(&"respected Comrade".to_string()),
        "{honorifics:?}"
    );
    assert!(
        !titles.contains(&"respected Comrade".to_string()),
        "{titles:?}"
    );
    assert_eq!(p["honorifics"][0]["first_seen"], "2026-01-01");
    let out = run(&data, &["person", "Kim Jong Un"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("honorific") && text.contains("respected Comrade"),
        "{text}"
    );

    let out = run(&data, &["person", "Nobody Here"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Nobody Here"));
}

#[test]
#[ignore = "needs ../shared/corpus and fonts (cargo test -- --include-ignored)"]
fn kcna_people_trends_and_filters() {
    let shared = shared();
    fonts();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let corpus = shared.join("corpus/kcna/kcna-2011.jsonl.gz");
    ok(
        &data,
        &[
            "ingest",
            "--outlet",
            "kcna",
            "--map",
            "published=date,body=story",
            corpus.to_str().unwrap(),
        ],
    );

    // Search by person and country.
    let all = json(&data, &["search", "--json", "--limit", "1", "Pyongyang"])["total"]
        .as_u64()
        .unwrap();
    let choe = json(
        &data,
        &[
            "search",
            "--json",
            "--limit",
            "50",
            "--person",
            "Choe Ryong Hae",
            "Pyongyang",
        ],
    );
    let n_choe = choe["total"].as_u64().unwrap();
    assert!(n_choe > 0 && n_choe < all, "{n_choe} of {all}");
    for h in choe["hits"].as_array().unwrap() {
        let id = h["id"].as_str().unwrap();
        let text = serde_json::to_string(&json(&data, &["show", id, "--json"])).unwrap();
        assert!(text.contains("Choe Ryong Hae"), "{id} does not name him");
    }
    let both = json(
        &data,
        &[
            "search",
            "--json",
            "--person",
            "choe ryong hae",
            "--country",
            "russia",
            "",
        ],
    )["total"]
        .as_u64()
        .unwrap();
    assert!(
        both < n_choe + 1000
            && both
                <= json(
                    &data,
                    &["search", "--json", "--person", "Choe Ryong Hae", ""]
                )["total"]
                    .as_u64()
                    .unwrap()
    );

    // Trends: entities from mentions, text from the index.
    let t = json(
        &data,
        &[
            "trend",
            "--json",
            "--by",
            "month",
            "Russia",
            "Kim Jong Un",
            "\"overseas operations\"",
        ],
    );
    let russia = t["terms"]["Russia"].as_array().unwrap();
    assert_eq!(russia.len(), 12, "twelve months of 2011");
    assert_eq!(t["matched"]["Russia"]["matched_as"], "country");
    assert_eq!(
        t["matched"]["\"overseas operations\""]["matched_as"],
        "text"
    );
    let sum: i64 = russia.iter().map(|p| p["articles"].as_i64().unwrap()).sum();
    let russia_articles = json(
        &data,
        &[
            "search",
            "--json",
            "--limit",
            "1",
            "--country",
            "Russia",
            "",
        ],
    )["total"]
        .as_i64()
        .unwrap();
    assert_eq!(
        sum, russia_articles,
        "the trend counts the same articles the filter finds"
    );
    for p in russia {
        assert!(p["mentions"].as_i64().unwrap() >= p["articles"].as_i64().unwrap());
        for key in ["period", "articles", "mentions"] {
            assert!(p.get(key).is_some());
        }
    }
    let text = t["terms"]["\"overseas operations\""].as_array().unwrap();
    let text_sum: i64 = text.iter().map(|p| p["articles"].as_i64().unwrap()).sum();
    assert_eq!(
        text_sum,
        json(
            &data,
            &[
                "search",
                "--json",
                "--limit",
                "1",
                "\"overseas operations\""
            ]
        )["total"]
            .as_i64()
            .unwrap()
    );
    let kju: i64 = t["terms"]["Kim Jong Un"].as_array().unwrap()[11]["articles"]
        .as_i64()
        .unwrap();
    assert!(kju > 100, "December 2011: {kju}");

    let per = json(
        &data,
        &["trend", "--json", "--per-1000", "--by", "year", "Russia"],
    );
    let y = &per["terms"]["Russia"][0];
    assert_eq!(y["period"], "2011");
    let rate = y["articles_per_1000"].as_f64().unwrap();
    // Every article of the dump is of 2011 (its 28 error pages not stored).
    let in_2011 = json(&data, &["stats", "--json"])["articles"]
        .as_f64()
        .unwrap();
    assert_eq!(in_2011, 13_820.0);
    let expected = y["articles"].as_f64().unwrap() * 1000.0 / in_2011;
    assert!((rate - expected).abs() < 1e-6, "{rate} vs {expected}");

    let csv = ok(
        &data,
        &["trend", "--csv", "--by", "year", "Russia", "China"],
    );
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "term,matched_as,period,articles,mentions,articles_per_1000,mentions_per_1000"
    );
    assert_eq!(lines.len(), 3);

    for ext in ["svg", "png"] {
        let chart = dir.path().join(format!("trend.{ext}"));
        ok(
            &data,
            &[
                "trend",
                "--chart",
                chart.to_str().unwrap(),
                "Russia",
                "China",
            ],
        );
        let bytes = std::fs::read(&chart).unwrap();
        if ext == "svg" {
            let svg = String::from_utf8(bytes).unwrap();
            assert!(
                svg.contains("<svg")
                    && svg.contains("Russia")
                    && svg.contains("China")
                    && svg.contains("2011-01")
            );
        } else {
            assert!(bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000);
        }
    }

    // A person with entourage positions.
    let p = json(&data, &["person", "--json", "Choe Ryong Hae"]);
    assert!(p["articles"].as_i64().unwrap() > 50);
    assert!(
        p["entourage"].as_array().unwrap().len() > 5,
        "{}",
        p["entourage"]
    );
    let pos = &p["entourage"][0];
    assert!(
        pos["position"].as_i64().unwrap() >= 1
            && pos["position"].as_i64().unwrap() <= pos["of"].as_i64().unwrap()
    );
    assert_eq!(p["with"][0]["name"], "Kim Jong Il");
}

#[test]
fn analysis_is_incremental_and_reanalyze_follows_gazetteers() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let one = dir.path().join("one.jsonl");
    std::fs::write(
        &one,
        r#"{"id":"x1","outlet":"kcna","published":"2011-05-01","title":"Talks","body":"Kim Jong Il met Hu Jintao in Beijing."}"#,
    )
    .unwrap();
    ok(&data, &["ingest", one.to_str().unwrap()]);
    assert_eq!(
        json(&data, &["person", "--json", "Hu Jintao"])["articles"],
        1
    );
    // A new version is re-analysed: Hu is gone, Putin came.
    let two = dir.path().join("two.jsonl");
    std::fs::write(
        &two,
        r#"{"id":"x1","outlet":"kcna","published":"2011-05-01","title":"Talks","body":"Kim Jong Il met Vladimir Putin in Moscow.","captured_at":"2030-01-01T00:00:00Z"}"#,
    )
    .unwrap();
    ok(&data, &["ingest", two.to_str().unwrap()]);
    assert_eq!(run(&data, &["person", "Hu Jintao"]).status.code(), Some(2));
    assert_eq!(
        json(&data, &["person", "--json", "vladimir putin"])["articles"],
        1
    );
    assert_eq!(
        json(
            &data,
            &["search", "--json", "--person", "Vladimir Putin", ""]
        )["total"],
        1
    );
    assert_eq!(
        json(&data, &["search", "--json", "--person", "Hu Jintao", ""])["total"],
        0
    );

    // A user gazetteer names someone the rules cannot: after reanalyze the
    // archive and the index know him.
    std::fs::create_dir_all(data.join("gazetteers")).unwrap();
    std::fs::write(
        data.join("gazetteers/mine.tsv"),
        "Talks Person\tperson\tTalks\n",
    )
    .unwrap();
    ok(&data, &["reanalyze"]);
    assert_eq!(
        json(&data, &["person", "--json", "talks person"])["articles"],
        1
    );
    assert_eq!(
        json(&data, &["search", "--json", "--person", "Talks Person", ""])["total"],
        1
    );
    // A broken gazetteer line is an error naming the file and line.
    std::fs::write(data.join("gazetteers/bad.tsv"), "# ok\nNo Kind Here\n").unwrap();
    let out = run(&data, &["reanalyze"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("bad.tsv:2"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

const ANALYSIS_INDEXES: [&str; 4] = [
    "mentions_name",
    "events_actor",
    "events_at",
    "entourage_person",
];

fn analysis_indexes(data: &std::path::Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(data.join("archive.sqlite")).unwrap();
    let mut names: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('mentions', 'events', 'entourage') AND sql IS NOT NULL")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    names.sort();
    names
}

#[test]
fn a_bulk_load_builds_the_analysis_indexes_at_its_end_and_a_later_ingest_rebuilds_lost_ones() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let one = dir.path().join("one.jsonl");
    std::fs::write(
        &one,
        r#"{"id":"x1","outlet":"kcna","published":"2011-05-01","title":"Talks","body":"Kim Jong Il met Hu Jintao in Beijing. He was accompanied by Choe Ryong Hae and Kim Yo Jong."}"#,
    )
    .unwrap();
    // Into a new archive: a bulk load, which drops the indexes while it
    // stores rows and builds them at its end.
    ok(&data, &["ingest", one.to_str().unwrap()]);
    let mut all: Vec<String> = ANALYSIS_INDEXES.iter().map(|s| s.to_string()).collect();
    all.sort();
    assert_eq!(analysis_indexes(&data), all);
    let person = json(&data, &["person", "--json", "Hu Jintao"]);
    let events = json(&data, &["events", "--json", "--actor", "Kim Jong Il"]);

    // A bulk load killed before its end leaves them out: readers get the
    // same answers (by scanning) ...
    let conn = rusqlite::Connection::open(data.join("archive.sqlite")).unwrap();
    for name in ANALYSIS_INDEXES {
        conn.execute_batch(&format!("DROP INDEX {name}")).unwrap();
    }
    drop(conn);
    assert!(analysis_indexes(&data).is_empty());
    assert_eq!(json(&data, &["person", "--json", "Hu Jintao"]), person);
    assert_eq!(
        json(&data, &["events", "--json", "--actor", "Kim Jong Il"]),
        events
    );
    // ... and the next ingest, small against the archive, builds them again.
    let two = dir.path().join("two.jsonl");
    std::fs::write(
        &two,
        r#"{"id":"x2","outlet":"kcna","published":"2011-05-02","title":"Visit","body":"Kim Jong Il visited a factory."}"#,
    )
    .unwrap();
    ok(&data, &["ingest", two.to_str().unwrap()]);
    assert_eq!(analysis_indexes(&data), all);
    assert_eq!(json(&data, &["person", "--json", "Hu Jintao"]), person);
}

/// An institution named after a person is an organization linked to that
/// person, not the person (issue 20): in `show --json`, the JSONL export
/// and `person --json`.
#[test]
fn institutions_named_after_people_are_organizations_linked_to_them() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = write_jsonl(
        dir.path(),
        "one.jsonl",
        &[
            serde_json::json!({"id": "u1", "outlet": "kcna", "published": "2012-03-01",
            "title": "Students Meet",
            "body": "Students of Kim Chaek University of Technology met in Pyongyang. \
                     Kim Il Sung University hosted them."}),
            serde_json::json!({"id": "u2", "outlet": "kcna", "published": "2012-03-02",
            "title": "Anniversary",
            "body": "Kim Chaek was remembered in Pyongyang on the anniversary of his death."}),
        ],
    );
    ok(&data, &["ingest", file.to_str().unwrap()]);
    let shown = json(&data, &["show", "--json", "u1"]);
    let people: Vec<&str> = shown["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(!people.contains(&"Kim Chaek"), "{shown}");
    assert!(!people.contains(&"Kim Il Sung"), "{shown}");
    let orgs = shown["organizations"].as_array().unwrap();
    let linked = |name: &str| {
        orgs.iter()
            .find(|o| o["name"] == name)
            .map(|o| o["named_after"].clone())
    };
    assert_eq!(
        linked("Kim Chaek University of Technology"),
        Some(serde_json::json!("Kim Chaek")),
        "{shown}"
    );
    assert_eq!(
        linked("Kim Il Sung University"),
        Some(serde_json::json!("Kim Il Sung")),
        "{shown}"
    );
    // The export carries the same link.
    let exported = ok(&data, &["export", "--format", "jsonl"]);
    let row: serde_json::Value = exported
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|r| r["id"] == "u1")
        .unwrap();
    assert_eq!(row["organizations"], shown["organizations"]);
    // The person himself is counted where the text names him only.
    assert_eq!(
        json(&data, &["person", "--json", "Kim Chaek"])["articles"],
        1
    );
}

/// `stats --json`'s `analysis_rules`, and whether `stats` says to
/// re-analyse.
fn rules_state(data: &std::path::Path) -> (serde_json::Value, bool) {
    let rules = json(data, &["stats", "--json"])["analysis_rules"].clone();
    let text = ok(data, &["stats"]);
    (rules, text.contains("tealeaf reanalyze"))
}

#[test]
fn analyses_made_with_other_rules_are_said_until_reanalyze() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let one = dir.path().join("one.jsonl");
    std::fs::write(
        &one,
        r#"{"id":"x1","outlet":"kcna","published":"2011-05-01","title":"Talks","body":"Kim Jong Il met Hu Jintao in Beijing."}"#,
    )
    .unwrap();
    let first = run(&data, &["ingest", one.to_str().unwrap()]);
    assert!(first.status.success());
    assert!(!String::from_utf8_lossy(&first.stderr).contains("reanalyze"));
    let (rules, said) = rules_state(&data);
    assert_eq!(rules["current"], true, "{rules}");
    assert_eq!(rules["archive"], rules["tealeaf"], "{rules}");
    assert!(!said);

    // A gazetteer edited: the archive's analyses are the old lists'.
    std::fs::create_dir_all(data.join("gazetteers")).unwrap();
    std::fs::write(
        data.join("gazetteers/mine.tsv"),
        "Talks Person\tperson\tTalks\n",
    )
    .unwrap();
    let (stale, said) = rules_state(&data);
    assert_eq!(stale["current"], false, "{stale}");
    assert_ne!(stale["tealeaf"], rules["tealeaf"]);
    assert!(said);
    // The pages that show the analysis say it too.
    {
        let (_server, mut out) = common::serve(&data);
        let host = common::served_host(&mut out);
        for path in ["/", "/person/Hu%20Jintao"] {
            let page = common::http_get(&host, path);
            assert!(page.contains("tealeaf reanalyze"), "{path}: {page}");
        }
    }
    // An ingest with the new lists leaves a mix, and says so.
    let two = dir.path().join("two.jsonl");
    std::fs::write(
        &two,
        r#"{"id":"x2","outlet":"kcna","published":"2011-05-02","title":"Talks again","body":"Kim Jong Il met Hu Jintao again."}"#,
    )
    .unwrap();
    let second = run(&data, &["ingest", two.to_str().unwrap()]);
    assert!(second.status.success());
    assert!(
        String::from_utf8_lossy(&second.stderr).contains("tealeaf reanalyze"),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    let (mixed, _) = rules_state(&data);
    assert_eq!(mixed["archive"], serde_json::Value::Null, "{mixed}");
    // Going back to the old lists does not hide the mix.
    std::fs::remove_file(data.join("gazetteers/mine.tsv")).unwrap();
    assert_eq!(rules_state(&data).0["current"], false);

    ok(&data, &["reanalyze"]);
    let (after, said) = rules_state(&data);
    assert_eq!(after["current"], true, "{after}");
    assert_eq!(after["archive"], after["tealeaf"]);
    assert!(!said);
    {
        let (_server, mut out) = common::serve(&data);
        let host = common::served_host(&mut out);
        let page = common::http_get(&host, "/person/Hu%20Jintao");
        assert!(!page.contains("tealeaf reanalyze"), "{page}");
    }

    // An archive from a tealeaf that did not record its rules.
    let conn = rusqlite::Connection::open(data.join("archive.sqlite")).unwrap();
    conn.execute("DELETE FROM meta WHERE key = 'analysis_rules'", [])
        .unwrap();
    drop(conn);
    assert_eq!(rules_state(&data).0["current"], false);
    ok(&data, &["reanalyze"]);
    assert_eq!(rules_state(&data).0["current"], true);
}
