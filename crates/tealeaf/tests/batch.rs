//! A batch of inputs with bad ones among them: each bad one is named and
//! skipped, the rest is read.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::*;
use serde_json::json;

fn record(title: &str) -> serde_json::Value {
    json!({"outlet": "kcna", "language": "en", "published": "2011-05-01", "title": title,
           "body": format!("{title}: the text of the article, long enough to be one.")})
}

#[test]
fn a_missing_path_and_a_directory_that_cannot_be_listed_are_named_and_the_rest_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    // Others may come in (the run is as `nobody` when the tests run as root).
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let input = tmp.path().join("input");
    std::fs::create_dir(&input).unwrap();
    // In name order: a file, the unreadable directory, another file.
    write_jsonl(&input, "a.jsonl", &[record("First Article")]);
    let locked = input.join("m-locked");
    std::fs::create_dir(&locked).unwrap();
    write_jsonl(&locked, "hidden.jsonl", &[record("Never Read")]);
    write_jsonl(&input, "z.jsonl", &[record("Last Article")]);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let missing = tmp.path().join("no-such-file.jsonl");
    let data = tmp.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o777)).unwrap();

    let bin = bin_copy(tmp.path());
    let out = unprivileged(
        &bin,
        &data,
        &[
            "ingest",
            "--json",
            missing.to_str().unwrap(),
            input.to_str().unwrap(),
        ],
    );
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["new_articles"], 2, "{s}");
    assert_eq!(s["rejected"], 2, "{s}");
    let errors: Vec<(String, String)> = s["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["source"].as_str().unwrap().to_string(),
                e["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(errors[0].0, missing.display().to_string());
    assert!(errors[0].1.starts_with("cannot read"), "{errors:?}");
    assert_eq!(errors[1].0, locked.display().to_string());
    assert!(
        errors[1].1.starts_with("cannot list this directory"),
        "{errors:?}"
    );
    let titles = json(&data, &["search", "--json", "Article"]);
    assert_eq!(titles["total"], 2, "{titles}");
}

#[test]
fn a_web_servers_error_page_is_named_and_not_stored() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_jsonl(
        dir.path(),
        "dump.jsonl",
        &[
            record("Talks Held"),
            json!({"outlet": "kcna", "published": "2011-12-05",
                   "title": "The requested URL /item/2011/20111205-03ee.html was not found on this server.,",
                   "story": ""}),
            json!({"outlet": "kcna", "published": "2011-12-05", "title": "403 Forbidden",
                   "body": "You don't have permission to access /item/ on this server."}),
        ],
    );
    let data = dir.path().join("data");
    let out = run(&data, &["ingest", "--json", file.to_str().unwrap()]);
    assert!(out.status.success(), "an error page is not an input error");
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["new_articles"], 1, "{s}");
    assert_eq!(s["error_pages"], 2, "{s}");
    let named: Vec<u64> = s["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["message"].as_str().unwrap().contains("error page"))
        .map(|w| w["line"].as_u64().unwrap())
        .collect();
    assert_eq!(named, [2, 3]);
    assert_eq!(json(&data, &["stats", "--json"])["articles"], 1);
    // And said on the terminal, by file and line.
    let again = run(&data, &["ingest", file.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(
        stderr.contains("dump.jsonl:2: a web server's error page, not an article"),
        "{stderr}"
    );
}
