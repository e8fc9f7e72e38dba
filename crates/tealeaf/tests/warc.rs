//! `tealeaf ingest` on WARC files and HTML pages: the fixtures written by
//! warcio (tests/fixtures/warc/make.py) through the real binary.
//!
//! What each test needs beyond the readers is said on it: the HTML
//! extractor (tealeaf-html's generic extractor and kcna profile) to read
//! titles and text, and the pipeline deriving article ids from url keys
//! (`kcna:en:<hex>`) for records without an id, which is what lets a
//! removal (a 404 or a redirect: no title) join its article.

mod common;
use std::path::PathBuf;

use common::*;
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/warc")
        .join(name)
}

fn manifest() -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture("manifest.json")).unwrap()).unwrap()
}

/// `kcna:en:<hex>`: the id the pipeline derives from a kcna.kp article url.
fn url_id(url: &str) -> String {
    let hex = url
        .split("/article/q/")
        .nth(1)
        .and_then(|r| r.split('.').next())
        .unwrap();
    format!("kcna:en:{hex}")
}

/// Article ids by title, from `export`.
fn id_of(data: &std::path::Path, title: &str) -> String {
    let out = ok(data, &["export", "--format", "jsonl"]);
    out.lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|v| v["title"] == title)
        .unwrap_or_else(|| panic!("no article titled {title:?} in\n{out}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn kinds(data: &std::path::Path, id: &str) -> Vec<String> {
    json(data, &["changes", "--json", "--id", id])["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap().to_string())
        .collect()
}

/// Needs the HTML extractor (titles, text) and, for the edit and the
/// removals, the pipeline's ids from url keys (marked).
#[test]
fn a_warc_crawl_gives_versions_edits_and_removals() {
    let m = manifest();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let warc = fixture("capture.warc.gz");
    let summary = json(&data, &["ingest", "--json", warc.to_str().unwrap()]);
    let (t1, t2) = (m["t1"].as_str().unwrap(), m["t2"].as_str().unwrap());

    // [extractor] The revisit at T2 is a second capture of the same text.
    let c = id_of(&data, m["revisited"]["title"].as_str().unwrap());
    let shown = json(&data, &["show", &c, "--json"]);
    let v = shown["versions"].as_array().unwrap();
    assert_eq!(v.len(), 1, "{shown}");
    assert_eq!(v[0]["captures"], 2);
    assert_eq!(v[0]["last_seen"], t2);
    assert!(kinds(&data, &c).is_empty());

    // [extractor + pipeline ids] The edit: same url, same title, one word
    // changed at T2. Both captures are in one run, where the identity key
    // alone makes different content a different article: the url key
    // joins them.
    let a = id_of(&data, m["edited"]["title"].as_str().unwrap());
    let shown = json(&data, &["show", &a, "--json"]);
    let v = shown["versions"].as_array().unwrap();
    assert_eq!(v.len(), 2, "{shown}");
    assert_eq!(v[0]["first_seen"], t1);
    assert_eq!(v[1]["first_seen"], t2);
    assert_eq!(shown["url"], m["edited"]["url"]);
    let changes = json(&data, &["changes", "--json", "--id", &a])["changes"].clone();
    assert_eq!(changes[0]["kind"], "edited", "{changes}");
    assert_eq!(changes[0]["hunks"][0]["removed"], m["edited"]["word"]);
    assert_eq!(changes[0]["hunks"][0]["added"], "Pyongyang");
    assert_eq!(changes[0]["to"]["captured_at"], t2);

    // [extractor + pipeline ids] The 404 at T2 and the redirect to the
    // home page at T2 are removals of their articles.
    assert_eq!(summary["rejected"], 0, "{summary}");
    assert_eq!(summary["new_articles"], 5, "{summary}");
    let b = url_id(m["gone_404"]["url"].as_str().unwrap());
    assert_eq!(b, id_of(&data, m["gone_404"]["title"].as_str().unwrap()));
    assert_eq!(kinds(&data, &b), ["removed"]);
    let shown = json(&data, &["show", &b, "--json"]);
    assert_eq!(shown["versions"][1]["gone"], "404", "{shown}");
    assert_eq!(shown["versions"][1]["first_seen"], t2);
    let d = url_id(m["redirected"]["url"].as_str().unwrap());
    assert_eq!(kinds(&data, &d), ["removed"]);
    let shown = json(&data, &["show", &d, "--json"]);
    assert_eq!(shown["versions"][1]["gone"], "302", "{shown}");
    assert_eq!(a, url_id(m["edited"]["url"].as_str().unwrap()));

    // Again: nothing new.
    let again = json(&data, &["ingest", "--json", warc.to_str().unwrap()]);
    assert_eq!(again["new_versions"], 0, "{again}");
    assert_eq!(again["new_articles"], 0, "{again}");
}

/// The rejection and its place need nothing but the reader; the count of
/// stored articles needs the HTML extractor (marked).
#[test]
fn a_cut_warc_is_reported_by_file_and_offset_and_the_rest_is_stored() {
    let m = manifest();
    let at = m["cut"]["offset"].as_u64().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let cut = fixture("cut.warc");
    let out = run(&data, &["ingest", cut.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("cut.warc: record at byte {at}: cut short")),
        "{stderr}"
    );

    let data = dir.path().join("data2");
    let summary = json(&data, &["ingest", "--json", cut.to_str().unwrap()]);
    let errors = summary["errors"].as_array().unwrap();
    let e = errors
        .iter()
        .find(|e| e["offset"] == at)
        .unwrap_or_else(|| panic!("no error at offset {at}: {summary}"));
    assert!(e["source"].as_str().unwrap().ends_with("cut.warc"));
    assert_eq!(e["line"], 0);
    assert!(e["message"].as_str().unwrap().contains("cut short"));

    // [extractor] The records before and after the cut one are stored.
    assert_eq!(errors.len(), 1, "{summary}");
    assert_eq!(summary["new_articles"], 2, "{summary}");
    for t in m["cut"]["titles"].as_array().unwrap() {
        id_of(&data, t.as_str().unwrap());
    }
}

#[test]
fn an_html_file_holding_a_png_is_refused_saying_so() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let png = dir.path().join("photo.html");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10").unwrap();
    let out = run(&data, &["ingest", png.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("photo.html: not an HTML page: it holds PNG image data"),
        "{stderr}"
    );
}

/// Needs the HTML extractor (the charsets themselves are tealeaf-html's
/// charset module, already in place).
#[test]
fn pages_in_windows_1252_and_euc_kr_are_decoded() {
    let m = manifest();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    json(
        &data,
        &[
            "ingest",
            "--json",
            fixture("cp1252.html").to_str().unwrap(),
            fixture("capture.warc.gz").to_str().unwrap(),
        ],
    );
    for (key, how) in [("cp1252", "meta charset"), ("euc_kr", "HTTP header")] {
        let id = id_of(&data, m[key]["title"].as_str().unwrap());
        let shown = json(&data, &["show", &id, "--json"]);
        assert_eq!(
            shown["paragraphs"], m[key]["paragraphs"],
            "{key} ({how}): {shown}"
        );
    }
}
