//! The seed page and hand-written inputs through the real binary: the JSON
//! contracts of ingest, show, search and stats; errors naming file and line.

mod common;
use common::*;

#[test]
fn seed_page_round_trip_and_json_contracts() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let seed = repo().join("fixtures/pages");
    let s = json(&data, &["ingest", "--json", seed.to_str().unwrap()]);
    for key in [
        "read",
        "new_articles",
        "new_versions",
        "unchanged",
        "failed_captures",
        "rejected",
        "errors",
    ] {
        assert!(s.get(key).is_some(), "ingest --json lacks {key}: {s}");
    }
    assert_eq!(s["new_articles"], 1);
    assert_eq!(s["rejected"], 0);

    let found = json(
        &data,
        &["search", "--json", "\"overseas operations units\""],
    );
    assert_eq!(found["total"], 1);
    let hit = &found["hits"][0];
    for key in ["id", "outlet", "published", "title", "snippet", "score"] {
        assert!(hit.get(key).is_some(), "search hit lacks {key}: {hit}");
    }
    assert!(
        hit["snippet"]
            .as_str()
            .unwrap()
            .contains("<b>overseas operations units</b>"),
        "{hit}"
    );
    let id = hit["id"].as_str().unwrap().to_string();

    let a = json(&data, &["show", &id, "--json"]);
    assert_eq!(a["id"], id.as_str());
    assert_eq!(a["outlet"], "rodong");
    assert_eq!(a["outlet_name"], "Rodong Sinmun");
    assert_eq!(a["published"], "2026-01-01");
    assert_eq!(a["weekday"], "Thursday");
    assert_eq!(a["media"], serde_json::json!(["photo"]));
    assert_eq!(a["photo_count"], 11);
    assert_eq!(
        a["title"],
        "Respected Comrade Kim Jong Un Sends New Year\u{2019}s Message to Officers and Soldiers of Overseas Operations Units"
    );
    let ps = a["paragraphs"].as_array().unwrap();
    assert_eq!(ps.len(), 25);
    assert!(ps[0]
        .as_str()
        .unwrap()
        .starts_with("The respected Comrade Kim Jong Un sent a congratulatory message"));
    assert!(ps[24].as_str().unwrap().ends_with("warm militant salute."));
    assert!(a.get("url").is_some() && a.get("language").is_some() && a.get("byline").is_some());
    let v = &a["versions"][0];
    for key in ["n", "content_hash", "first_seen", "last_seen"] {
        assert!(v.get(key).is_some(), "version lacks {key}: {v}");
    }
    assert_eq!(a["versions"].as_array().unwrap().len(), 1);

    // A unique prefix of the id is enough.
    let short = json(&data, &["show", &id[..6], "--json"]);
    assert_eq!(short["id"], id.as_str());

    // Folding: the straight apostrophe finds the curly one.
    assert_eq!(
        json(&data, &["search", "--json", "\"New Year's Message\""])["total"],
        1
    );

    let st = json(&data, &["stats", "--json"]);
    assert_eq!(st["articles"], 1);
    assert_eq!(st["versions"], 1);
    assert_eq!(st["captures"], 1);
    assert_eq!(st["outlets"]["rodong"], 1);
    assert_eq!(st["indexed"], 1);

    // Again: nothing changes, and it says so.
    let again = json(&data, &["ingest", "--json", seed.to_str().unwrap()]);
    assert_eq!(again["new_articles"], 0);
    assert_eq!(again["unchanged"], 1);
    let text = ok(&data, &["ingest", seed.to_str().unwrap()]);
    assert!(text.contains("Nothing new"), "{text}");
}

#[test]
fn bad_input_is_named_by_file_and_line_and_good_records_survive() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("mixed.jsonl");
    std::fs::write(
        &file,
        concat!(
            r#"{"outlet":"kcna","published":"2011-12-01","title":"Good One","body":"Text one."}"#,
            "\n",
            "{oops\n",
            r#"{"outlet":"kcna","published":"2011-12-01","title":"","body":""}"#,
            "\n",
            r#"{"outlet":"kcna","published":"2011-12-02","title":"Good Two","body":"Text two."}"#,
            "\n",
        ),
    )
    .unwrap();
    let page = dir.path().join("notes.txt");
    std::fs::write(&page, "Shopping list\n\nmilk\n").unwrap();

    let out = run(
        &data,
        &[
            "ingest",
            "--json",
            file.to_str().unwrap(),
            page.to_str().unwrap(),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "rejections make the exit status non-zero"
    );
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["read"], 3);
    assert_eq!(s["new_articles"], 2);
    assert_eq!(s["rejected"], 3);
    let errors = s["errors"].as_array().unwrap();
    let at: Vec<(String, u64)> = errors
        .iter()
        .map(|e| {
            (
                e["source"].as_str().unwrap().to_string(),
                e["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(at.contains(&(file.display().to_string(), 2)), "{at:?}");
    assert!(at.contains(&(file.display().to_string(), 3)), "{at:?}");
    assert!(
        at.iter().any(|(f, _)| f == &page.display().to_string()),
        "{at:?}"
    );
    assert!(errors
        .iter()
        .any(|e| e["message"].as_str().unwrap().contains("masthead")));

    // People see the same on stderr.
    let out = run(&data, &["ingest", file.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}:2:", file.display())),
        "{stderr}"
    );

    // A missing file is rejected naming it, and the good file beside it
    // is still read (exit 1: something was rejected).
    let good = dir.path().join("good.jsonl");
    std::fs::write(
        &good,
        "{\"id\":\"beside-missing\",\"outlet\":\"kcna\",\"title\":\"Read anyway\",\"body\":\"Text.\"}\n",
    )
    .unwrap();
    let out = run(
        &data,
        &[
            "ingest",
            "--json",
            "/nonexistent/dump.jsonl",
            good.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["new_articles"], 1, "{s}");
    assert_eq!(s["errors"][0]["source"], "/nonexistent/dump.jsonl", "{s}");
    // So is an unknown --map field.
    let out = run(
        &data,
        &["ingest", "--map", "pubdate=date", file.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown field `pubdate`"));
    // And searching an empty data directory.
    let out = run(&dir.path().join("nothing"), &["search", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no archive"));
}

#[test]
fn a_changed_capture_adds_a_version_and_show_lists_both() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let one = dir.path().join("one.jsonl");
    let two = dir.path().join("two.jsonl");
    let rec = |body: &str, at: &str| {
        format!(
            r#"{{"outlet":"kcna","published":"2011-12-01","title":"Edited Story","body":"{body}","captured_at":"{at}"}}"#
        )
    };
    std::fs::write(&one, rec("The first text.", "2011-12-01T06:00:00Z") + "\n").unwrap();
    std::fs::write(&two, rec("The second text.", "2011-12-03T06:00:00Z") + "\n").unwrap();
    let a = json(&data, &["ingest", "--json", one.to_str().unwrap()]);
    assert_eq!(a["new_articles"], 1);
    let b = json(&data, &["ingest", "--json", two.to_str().unwrap()]);
    assert_eq!(b["new_versions"], 1);
    assert_eq!(b["new_articles"], 0);
    let hit = json(&data, &["search", "--json", "title:edited"]);
    assert_eq!(hit["total"], 1);
    let id = hit["hits"][0]["id"].as_str().unwrap().to_string();
    let shown = json(&data, &["show", &id, "--json"]);
    let versions = shown["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["first_seen"], "2011-12-01T06:00:00Z");
    assert_eq!(versions[1]["first_seen"], "2011-12-03T06:00:00Z");
    assert_eq!(shown["paragraphs"][0], "The second text.");
    // The index follows the current version.
    assert_eq!(json(&data, &["search", "--json", "second"])["total"], 1);
    assert_eq!(json(&data, &["search", "--json", "first"])["total"], 0);
    let human = ok(&data, &["show", &id]);
    assert!(human.contains("2011-12-03T06:00:00Z"), "{human}");
}

#[test]
fn demo_loads_the_embedded_samples() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = ok(&data, &["demo"]);
    assert!(out.contains("overseas operations"), "{out}");
    let st = json(&data, &["stats", "--json"]);
    assert!(st["articles"].as_i64().unwrap() >= 4, "{st}");
    assert_eq!(st["languages"]["es"], 1);
    // Running it again changes nothing.
    ok(&data, &["demo"]);
    assert_eq!(
        json(&data, &["stats", "--json"])["articles"],
        st["articles"]
    );
}

#[test]
fn reindex_rebuilds_a_lost_index() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    ok(&data, &["demo"]);
    let before = json(&data, &["search", "--json", "Pyongyang"])["total"].clone();
    std::fs::remove_dir_all(data.join("index")).unwrap();
    // Any search notices and catches up from the archive.
    assert_eq!(
        json(&data, &["search", "--json", "Pyongyang"])["total"],
        before
    );
    let out = run(&data, &["reindex"]);
    assert!(out.status.success());
    assert_eq!(
        json(&data, &["search", "--json", "Pyongyang"])["total"],
        before
    );
    let st = json(&data, &["stats", "--json"]);
    assert_eq!(st["indexed"], st["articles"]);
}

#[test]
fn an_archive_that_is_not_a_database_is_named_once_with_the_reason_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("archive.sqlite"), "not a database, a note\n").unwrap();
    let out = run(&data, &["stats"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("archive.sqlite"), "{err}");
    assert_eq!(
        err.matches("file is not a database").count(),
        1,
        "the reason once, not once per error layer: {err}"
    );
}

#[test]
fn search_arguments_out_of_range_are_clear_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let pages = repo().join("fixtures/pages");
    assert!(run(&data, &["ingest", pages.to_str().unwrap()])
        .status
        .success());

    for (args, says) in [
        (&["search", "--limit", "0", "Kim"][..], "--limit"),
        (
            &["search", "--limit", "18446744073709551615", "Kim"],
            "--limit",
        ),
        (
            &["search", "--offset", "18446744073709551615", "Kim"],
            "--offset",
        ),
        (
            &[
                "search",
                "--from",
                "2012-01-01",
                "--to",
                "2011-01-01",
                "Kim",
            ],
            "--from 2012-01-01 is after --to 2011-01-01",
        ),
    ] {
        let out = run(&data, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }

    // Queries tantivy's parser would take badly are read as words, with a
    // short note.
    let deep = format!("{}Kim{}", "(".repeat(10_000), ")".repeat(10_000));
    for (query, says) in [
        ("title:*", "nothing to search for"),
        (deep.as_str(), "searched for the words `Kim`"),
        ("People's Army \"unclosed", "searched for the words"),
    ] {
        let out = run(&data, &["search", query]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        assert!(stderr.contains(says), "{stderr}");
        assert!(
            stderr.len() < 400,
            "the message quotes the whole query: {stderr}"
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        let head = stdout.lines().next().unwrap_or("");
        assert!(
            head.chars().count() < 200,
            "the heading prints the whole query back: {} characters",
            head.chars().count()
        );
    }

    // Nor does a trend of it print a table as wide as the query.
    let out = run(&data, &["trend", deep.as_str()]);
    assert_eq!(out.status.code(), Some(0));
    let widest = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0);
    assert!(widest < 200, "a trend table {widest} characters wide");

    // Past the last hit: nothing shown, and said so.
    let out = run(&data, &["search", "--offset", "5", "Kim"]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("none shown: --offset 5 is past the last"),
        "{stdout}"
    );
}
