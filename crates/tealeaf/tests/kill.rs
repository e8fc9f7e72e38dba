//! Crash safety: a real `tealeaf ingest` child killed with SIGKILL in the
//! middle of a large ingest loses nothing it committed, leaves no
//! duplicates, and the index catches up with the archive.

mod common;
use std::io::{BufRead, Write};
use std::time::{Duration, Instant};

use common::*;

/// kcna-2011 written out `copies` times, each copy's titles marked so that
/// every copy is a distinct set of articles.
fn big_input(dir: &std::path::Path, copies: usize) -> std::path::PathBuf {
    let shared = shared();
    let src = shared.join("corpus/kcna/kcna-2011.jsonl.gz");
    let lines: Vec<String> = std::io::BufReader::new(flate2::read::MultiGzDecoder::new(
        std::fs::File::open(src).unwrap(),
    ))
    .lines()
    .map(Result::unwrap)
    .collect();
    let path = dir.join("big.jsonl");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    for copy in 0..copies {
        for line in &lines {
            let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
            let title = v["title"].as_str().unwrap_or("").to_string();
            v["title"] = serde_json::Value::String(format!("[{copy}] {title}"));
            writeln!(out, "{v}").unwrap();
        }
    }
    out.flush().unwrap();
    path
}

fn count(data: &std::path::Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open_with_flags(
        data.join("archive.sqlite"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    conn.busy_timeout(Duration::from_secs(5)).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap_or(0)
}

fn ingest_args(file: &std::path::Path) -> Vec<String> {
    [
        "ingest",
        "--outlet",
        "kcna",
        "--map",
        "published=date,body=story",
        "--json",
        // Small transactions, so that the kill lands between commits.
        "--batch",
        "4000",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([file.display().to_string()])
    .collect()
}

#[test]
#[ignore = "needs ../shared/corpus (cargo test -- --include-ignored)"]
fn sigkill_mid_ingest_loses_nothing_committed() {
    let dir = tempfile::tempdir().unwrap();
    let input = big_input(dir.path(), 6);
    let args = ingest_args(&input);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();

    // The control: the same input, not interrupted.
    let control = dir.path().join("control");
    let c = json(&control, &args);
    let want = c["new_articles"].as_i64().unwrap();
    assert!(want > 60_000);

    let data = dir.path().join("killed");
    let mut child = std::process::Command::new(bin())
        .arg("--data")
        .arg(&data)
        .args(&args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until at least two batches are committed, then kill.
    let started = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(10));
        if data.join("archive.sqlite").exists()
            && count(&data, "SELECT COUNT(*) FROM articles") >= 8_000
        {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "ingest finished before it could be killed: make the input larger"
        );
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no commit seen"
        );
    }
    child.kill().unwrap(); // SIGKILL on Unix
    let status = child.wait().unwrap();
    assert!(!status.success(), "the child was killed");
    let committed = count(&data, "SELECT COUNT(*) FROM articles");
    assert!(
        committed >= 8_000 && committed < want,
        "killed mid-way: {committed} of {want}"
    );

    // What was committed is counted by the aggregates as by a recount.
    let drift = tealeaf_archive::ArchiveReader::open(&data.join("archive.sqlite"))
        .unwrap()
        .aggregate_drift()
        .unwrap();
    assert!(drift.is_empty(), "after the kill: {drift:?}");

    // The index is behind the archive; a search catches it up.
    let st = json(&data, &["stats", "--json"]);
    assert_eq!(st["articles"], committed);
    let everything = json(&data, &["search", "--json", "--limit", "1", ""]);
    assert_eq!(
        everything["total"], committed,
        "the index caught up with what was committed"
    );

    // Run again: what was committed is recognized, the rest is added.
    let again = json(&data, &args);
    assert_eq!(again["new_articles"].as_i64().unwrap(), want - committed);
    let st = json(&data, &["stats", "--json"]);
    assert_eq!(st["articles"], want, "nothing lost, nothing doubled");
    assert_eq!(
        st["captures"],
        json(&control, &["stats", "--json"])["captures"]
    );
    assert_eq!(st["indexed"], want);
    let drift = tealeaf_archive::ArchiveReader::open(&data.join("archive.sqlite"))
        .unwrap()
        .aggregate_drift()
        .unwrap();
    assert!(drift.is_empty(), "after the second run: {drift:?}");
    assert_eq!(st["index_behind"], false);
    assert_eq!(
        count(&data, "SELECT COUNT(*) FROM (SELECT ident_key, ordinal FROM articles GROUP BY 1, 2 HAVING COUNT(*) > 1)"),
        0
    );
    assert_eq!(
        count(&data, "SELECT COUNT(*) FROM (SELECT ident_key, current_hash FROM articles GROUP BY 1, 2 HAVING COUNT(*) > 1)"),
        0
    );
    let last = json(&data, &["search", "--json", "title:\"[5]\" Pyongyang"]);
    let last_control = json(&control, &["search", "--json", "title:\"[5]\" Pyongyang"]);
    assert_eq!(last["total"], last_control["total"]);
    assert!(last["total"].as_u64().unwrap() > 0);
}
