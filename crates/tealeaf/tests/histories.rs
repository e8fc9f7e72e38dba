//! Crawl histories are versions: captures of one article at different
//! times, ingested in one run, make versions of one article, whether the
//! identity comes from a profiled site's url, an `id`, or the identity key;
//! only records without capture times keep the bulk-dump rule (different
//! content under one key in one run: different articles).

mod common;

use common::*;
use serde_json::{json, Value};

/// The seed page's paragraphs (real Rodong Sinmun text): the lines after
/// the headline, blank lines dropped.
fn seed_paragraphs() -> Vec<String> {
    let dir = shared().join("corpus/seed");
    let path = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "txt"))
        .unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    let paragraphs: Vec<String> = text
        .lines()
        .skip(4)
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    assert!(paragraphs.len() > 20, "{paragraphs:?}");
    paragraphs
}

fn versions_of(data: &std::path::Path, id: &str) -> usize {
    json(data, &["show", id, "--json"])["versions"]
        .as_array()
        .unwrap_or_else(|| panic!("no versions for {id}"))
        .len()
}

#[test]
#[ignore = "needs ../shared/corpus (cargo test -- --include-ignored)"]
fn an_old_layout_rodong_history_without_ids_gives_one_article_per_url() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let ps = seed_paragraphs();
    let (first, second) = (ps[..10].to_vec(), ps[10..20].to_vec());
    let mut edited = first.clone();
    edited[3] = edited[3].replace("new year", "New Year");
    assert_ne!(edited, first);
    let url = |n: u32| {
        format!(
            "http://www.rodong.rep.kp/en/index.php?strPageID=SF01_02_01&newsID=2021-09-12-{n:04}"
        )
    };
    let rec = |n: u32, day: u32, title: &str, paragraphs: &[String]| {
        json!({"outlet": "rodong", "language": "en", "published": "2021-09-12", "url": url(n),
               "captured_at": format!("2021-09-{day:02}T06:00:00Z"), "title": title, "paragraphs": paragraphs})
    };
    let file = write_jsonl(
        tmp.path(),
        "history.jsonl",
        &[
            rec(9, 12, "Respected Comrade Kim Jong Un Sends Message", &first),
            rec(10, 12, "Another Article", &second),
            // Retitled and edited: still the same url, so the same article.
            rec(
                9,
                13,
                "Respected Comrade Kim Jong Un Sends New Year Message",
                &edited,
            ),
            rec(10, 13, "Another Article", &second),
            rec(
                9,
                14,
                "Respected Comrade Kim Jong Un Sends New Year Message",
                &edited,
            ),
        ],
    );
    ok(&data, &["ingest", file.to_str().unwrap()]);
    let stats = json(&data, &["stats", "--json"]);
    assert_eq!(stats["articles"], 2, "{stats}");
    let id = "rodong:en:2021-09-12-0009";
    assert_eq!(versions_of(&data, id), 2);
    let changes = changes_of(&data, id);
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(versions_of(&data, "rodong:en:2021-09-12-0010"), 1);
    assert!(changes_of(&data, "rodong:en:2021-09-12-0010").is_empty());
}

#[test]
#[ignore = "needs ../shared/corpus (cargo test -- --include-ignored)"]
fn captures_at_different_times_under_one_key_are_versions_at_one_time_articles() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let ps = seed_paragraphs();
    let (a, b, c) = (ps[..6].to_vec(), ps[6..12].to_vec(), ps[12..18].to_vec());
    // No id, no profiled url: the identity key (outlet, date, language,
    // title) decides.
    let rec = |at: &str, paragraphs: &[String]| {
        json!({"outlet": "kcna", "language": "en", "published": "2026-01-01",
               "url": "http://mirror.example/index.html", "captured_at": at,
               "title": "Kim Jong Un Sends New Year Message", "paragraphs": paragraphs})
    };
    let file = write_jsonl(
        tmp.path(),
        "crawl.jsonl",
        &[
            // Two different stories under one title, seen in one capture.
            rec("2026-01-01T06:00:00Z", &a),
            rec("2026-01-01T06:00:00Z", &c),
            // The first, edited, a day later: a version, not an article.
            rec("2026-01-02T06:00:00Z", &b),
        ],
    );
    ok(&data, &["ingest", file.to_str().unwrap()]);
    let stats = json(&data, &["stats", "--json"]);
    assert_eq!(stats["articles"], 2, "{stats}");
    let listed = json(&data, &["search", "--json", "Kim Jong Un"]);
    let ids: Vec<String> = listed["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 2, "{listed}");
    let mut versions: Vec<usize> = ids.iter().map(|id| versions_of(&data, id)).collect();
    versions.sort();
    assert_eq!(versions, vec![1, 2]);

    // Without capture times the bulk-dump rule holds: three contents under
    // one key in one run are three articles.
    let bulk_data = tmp.path().join("bulk");
    let strip = |v: Value| {
        let mut v = v;
        v.as_object_mut().unwrap().remove("captured_at");
        v
    };
    let file = write_jsonl(
        tmp.path(),
        "dump.jsonl",
        &[
            strip(rec("x", &a)),
            strip(rec("x", &c)),
            strip(rec("x", &b)),
        ],
    );
    ok(&bulk_data, &["ingest", file.to_str().unwrap()]);
    assert_eq!(json(&bulk_data, &["stats", "--json"])["articles"], 3);
}

/// A content seen again at a later moment claims its article at that
/// moment too: another content captured then is another article, in one
/// run as across runs.
#[test]
#[ignore = "needs ../shared/corpus (cargo test -- --include-ignored)"]
fn a_content_seen_again_claims_its_article_at_that_moment() {
    let tmp = tempfile::tempdir().unwrap();
    let ps = seed_paragraphs();
    let (x, y) = (ps[..6].to_vec(), ps[6..12].to_vec());
    let rec = |at: &str, paragraphs: &[String]| {
        json!({"outlet": "kcna", "language": "en", "published": "2026-01-01",
               "captured_at": at, "title": "", "paragraphs": paragraphs})
    };
    let day1 = rec("2026-01-01T06:00:00Z", &x);
    let day2 = [
        rec("2026-01-02T06:00:00Z", &x),
        rec("2026-01-02T06:00:00Z", &y),
    ];
    let one_run = tmp.path().join("one");
    let file = write_jsonl(
        tmp.path(),
        "all.jsonl",
        &[day1.clone(), day2[0].clone(), day2[1].clone()],
    );
    ok(&one_run, &["ingest", file.to_str().unwrap()]);
    let two_runs = tmp.path().join("two");
    let first = write_jsonl(tmp.path(), "day1.jsonl", &[day1]);
    let second = write_jsonl(tmp.path(), "day2.jsonl", &day2);
    ok(&two_runs, &["ingest", first.to_str().unwrap()]);
    ok(&two_runs, &["ingest", second.to_str().unwrap()]);
    for data in [&one_run, &two_runs] {
        let stats = json(data, &["stats", "--json"]);
        assert_eq!(stats["articles"], 2, "{}: {stats}", data.display());
        assert_eq!(stats["versions"], 2, "{}: {stats}", data.display());
    }
}
