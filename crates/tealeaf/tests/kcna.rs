//! The real kcna-2011 dump (13,907 records) through the exact command of
//! the issue, checked against counts computed here independently of
//! tealeaf's code.

mod common;
use std::collections::{HashMap, HashSet};
use std::io::BufRead;

use common::*;

struct Expected {
    records: u64,
    articles: u64,
    title_only: u64,
    spanish: u64,
    /// (date, title) pairs that hold more than one distinct story.
    shared_title: (String, String),
    neither: u64,
    /// Lines (1-based) of the records that are a web server's 404 page
    /// kept by the scraper, not an article.
    error_pages: Vec<u64>,
}

/// Distinct (date, language, title, paragraphs) among records with a title
/// or a body, paragraphs split at blank lines and white space collapsed.
fn expected(path: &std::path::Path) -> Expected {
    let file = std::fs::File::open(path).unwrap();
    let reader = std::io::BufReader::new(flate2::read::MultiGzDecoder::new(file));
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut seen = HashSet::new();
    let mut title_only = HashSet::new();
    let mut spanish = HashSet::new();
    let mut stories: HashMap<(String, String), HashSet<String>> = HashMap::new();
    let (mut records, mut neither) = (0, 0);
    let mut error_pages = Vec::new();
    for line in reader.lines() {
        let v: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
        records += 1;
        let title = norm(v["title"].as_str().unwrap_or(""));
        if title.contains("was not found on this server") {
            error_pages.push(records);
            continue;
        }
        let story = v["story"].as_str().unwrap_or("");
        let paragraphs: Vec<String> = story
            .split("\n\n")
            .map(norm)
            .filter(|p| !p.is_empty())
            .collect();
        if title.is_empty() && paragraphs.is_empty() {
            neither += 1;
            continue;
        }
        let date = v["date"].as_str().unwrap().to_string();
        let lang = v["language"].as_str().unwrap().to_string();
        let key = (
            date.clone(),
            lang.clone(),
            title.clone(),
            paragraphs.clone(),
        );
        if paragraphs.is_empty() {
            title_only.insert(key.clone());
        }
        if lang == "es" {
            spanish.insert(key.clone());
        }
        if !title.is_empty() && !paragraphs.is_empty() && lang == "en" {
            stories
                .entry((date, title))
                .or_default()
                .insert(paragraphs.join("\n"));
        }
        seen.insert(key);
    }
    let shared_title = stories
        .into_iter()
        .filter(|(_, s)| s.len() > 1)
        .map(|(k, _)| k)
        .min()
        .expect("kcna-2011 has titles shared by different stories on one day");
    Expected {
        records,
        articles: seen.len() as u64,
        title_only: title_only.len() as u64,
        spanish: spanish.len() as u64,
        shared_title,
        neither,
        error_pages,
    }
}

#[test]
#[ignore = "needs ../shared/corpus (cargo test -- --include-ignored)"]
fn kcna_2011_loads_correctly_with_the_documented_command() {
    let shared = shared();
    let corpus = shared.join("corpus/kcna/kcna-2011.jsonl.gz");
    let want = expected(&corpus);
    assert_eq!(want.records, 13_907);
    assert_eq!(want.error_pages.len(), 28);

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = std::process::Command::new(bin())
        .env("TEALEAF_DATA", &data)
        .args([
            "ingest",
            "--outlet",
            "kcna",
            "--map",
            "published=date,body=story",
            "--json",
        ])
        .arg(&corpus)
        .output()
        .unwrap();
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["read"], want.records - want.neither);
    assert_eq!(s["rejected"], want.neither);
    assert_eq!(s["new_articles"], want.articles, "{s}");
    let pages = want.error_pages.len() as u64;
    assert_eq!(
        s["unchanged"],
        want.records - want.neither - pages - want.articles,
        "exact duplicates collapse"
    );
    assert_eq!(s["title_only"], want.title_only);
    // The server's "not found" pages the dump holds are not stored, and
    // each is named by its line; they do not fail the run.
    assert_eq!(s["error_pages"], pages);
    let named: Vec<u64> = s["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["message"].as_str().unwrap().contains("error page"))
        .map(|w| w["line"].as_u64().unwrap())
        .collect();
    assert_eq!(named, want.error_pages);
    assert_eq!(out.status.success(), want.neither == 0);
    let found = json(
        &data,
        &["search", "--json", "\"was not found on this server\""],
    );
    assert_eq!(found["total"], 0, "{found}");

    let st = json(&data, &["stats", "--json"]);
    assert_eq!(st["articles"], want.articles);
    assert_eq!(st["outlets"]["kcna"], want.articles);
    assert_eq!(st["languages"]["es"], want.spanish);
    assert_eq!(st["title_only"], want.title_only);
    assert_eq!(st["indexed"], want.articles);

    // Different stories under one title on one day stay apart, and the
    // shared day-index url is not what tells them apart.
    let (date, title) = &want.shared_title;
    let q = format!("title:\"{title}\"");
    let hits = json(
        &data,
        &[
            "search", "--json", "--from", date, "--to", date, "--lang", "en", "--limit", "50", &q,
        ],
    );
    let ids: HashSet<&str> = hits["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert!(ids.len() >= 2, "{title} on {date}: {hits}");
    let urls: HashSet<String> = ids
        .iter()
        .map(|id| {
            json(&data, &["show", id, "--json"])["url"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    assert_eq!(urls.len(), 1, "they share the day's index url");

    // Spanish is tagged and filterable; phrases and filters work at scale.
    let es = json(&data, &["search", "--json", "--lang", "es", "Kim"]);
    assert!(es["total"].as_u64().unwrap() > 100, "{}", es["total"]);
    let en = json(
        &data,
        &["search", "--json", "--lang", "en", "\"Kim Jong Il\""],
    );
    let dec = json(
        &data,
        &[
            "search",
            "--json",
            "--lang",
            "en",
            "--from",
            "2011-12-01",
            "\"Kim Jong Il\"",
        ],
    );
    assert!(en["total"].as_u64().unwrap() > dec["total"].as_u64().unwrap());
    assert!(dec["total"].as_u64().unwrap() > 0);
    let newest = json(
        &data,
        &[
            "search",
            "--json",
            "--sort",
            "newest",
            "--limit",
            "3",
            "Pyongyang",
        ],
    );
    let dates: Vec<&str> = newest["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["published"].as_str().unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");

    // The same input again changes nothing.
    let again = json(
        &data,
        &[
            "ingest",
            "--outlet",
            "kcna",
            "--map",
            "published=date,body=story",
            "--json",
            corpus.to_str().unwrap(),
        ],
    );
    assert_eq!(again["new_articles"], 0);
    assert_eq!(again["new_versions"], 0);
    assert_eq!(again["unchanged"], want.records - want.neither - pages);
    assert_eq!(
        json(&data, &["stats", "--json"])["captures"],
        st["captures"]
    );
}
