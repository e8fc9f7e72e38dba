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
    // A BOM hides no column (a file of one record)...
    let bom = tmp.path().join("bom.jsonl");
    std::fs::write(
        &bom,
        b"\xef\xbb\xbf{\"date\": \"2011-12-01\", \"title\": \"Talks\", \"story\": \"Held.\"}\n",
    )
    .unwrap();
    let out = run(
        &tmp.path().join("bom-data"),
        &[
            "ingest",
            "--outlet",
            "kcna",
            "--map",
            "published=date,body=story",
            bom.to_str().unwrap(),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // ... and a line that is not UTF-8 does not hide the typo.
    let bad = tmp.path().join("bad.jsonl");
    let mut bytes = b"{\"title\": \"\xff\xfe\"}\n".to_vec();
    bytes.extend_from_slice(&std::fs::read(&jsonl).unwrap());
    std::fs::write(&bad, bytes).unwrap();
    let out = run(
        &tmp.path().join("bad-data"),
        &[
            "ingest",
            "--outlet",
            "kcna",
            "--map",
            "published=date,body=stroy",
            bad.to_str().unwrap(),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
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
