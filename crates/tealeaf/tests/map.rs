//! A `--map` typo stops the run before anything is stored: a mapped
//! column that no record has, or a field mapped twice.

mod common;

use common::*;

#[test]
fn a_mapped_column_no_record_has_stops_the_run_before_anything_is_stored() {
    let tmp = tempfile::tempdir().unwrap();
    let jsonl = tmp.path().join("dump.jsonl");
    std::fs::write(
        &jsonl,
        "{\"date\": \"2011-12-01\", \"title\": \"Talks Held\", \"story\": \"Talks were held.\"}\n\
         {\"date\": \"2011-12-02\", \"title\": \"Visit Ends\", \"story\": \"The visit ended.\"}\n",
    )
    .unwrap();
    let csv = tmp.path().join("dump.csv");
    std::fs::write(
        &csv,
        "date,title,story\n2011-12-01,Talks Held,Talks were held.\n",
    )
    .unwrap();
    for file in [&jsonl, &csv] {
        let data = tmp.path().join("data");
        let out = run(
            &data,
            &[
                "ingest",
                "--outlet",
                "kcna",
                "--map",
                "published=date,body=stroy",
                file.to_str().unwrap(),
            ],
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("`stroy`"), "{stderr}");
        assert!(stderr.contains("date, story, title"), "{stderr}");
        assert!(
            !data.join("archive.sqlite").exists(),
            "something was stored"
        );

        // Spelled right, it reads.
        ok(
            &data,
            &[
                "ingest",
                "--outlet",
                "kcna",
                "--map",
                "published=date,body=story",
                file.to_str().unwrap(),
            ],
        );
        let stats = json(&data, &["stats", "--json"]);
        assert_eq!(stats["title_only"], 0, "{stats}");
        std::fs::remove_dir_all(&data).unwrap();
    }
}

#[test]
fn a_field_mapped_twice_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    for args in [
        vec!["ingest", "--map", "published=date,published=day", "x.jsonl"],
        vec![
            "ingest",
            "--map",
            "published=date",
            "--map",
            "published=day",
            "x.jsonl",
        ],
    ] {
        let out = run(&data, &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("`published` is given twice"), "{stderr}");
    }
}
