//! Change tracking on capture histories built from real kcna-2011
//! articles: each planted edit must come out as its kind, and nothing else.

mod common;
use std::io::BufRead;

use common::*;
use serde_json::{json, Value};

/// English kcna-2011 stories with at least five paragraphs, one of them of
/// two sentences or more: (title, paragraphs).
fn stories(n: usize) -> Vec<(String, Vec<String>)> {
    let shared = shared();
    let file = std::fs::File::open(shared.join("corpus/kcna/kcna-2011.jsonl.gz")).unwrap();
    let mut out = Vec::new();
    for line in std::io::BufReader::new(flate2::read::MultiGzDecoder::new(file)).lines() {
        let v: Value = serde_json::from_str(&line.unwrap()).unwrap();
        let (Some(title), Some(story)) = (v["title"].as_str(), v["story"].as_str()) else {
            continue;
        };
        let ps: Vec<String> = story
            .split("\n\n")
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
        if v["language"] == "en"
            && ps.len() >= 5
            && ps.iter().all(|p| p.len() > 40)
            && ps[2].contains(". ")
        {
            out.push((title.to_string(), ps));
            if out.len() == n {
                break;
            }
        }
    }
    assert_eq!(out.len(), n);
    out
}

fn capture(id: &str, day: u32, title: &str, paragraphs: &[String]) -> Value {
    json!({"id": id, "outlet": "kcna", "language": "en", "published": "2011-06-01",
           "url": format!("http://kcna.example/{id}"),
           "captured_at": format!("2011-06-{day:02}T06:00:00Z"), "title": title, "paragraphs": paragraphs})
}

fn kinds(changes: &[Value]) -> Vec<&str> {
    changes
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect()
}

#[test]
#[ignore = "needs ../shared/corpus (cargo test -- --include-ignored)"]
fn planted_edits_come_out_as_their_kind() {
    let s = stories(12);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut lines = Vec::new();

    // 1. One word swapped.
    let (t, p) = &s[0];
    let mut p2 = p.clone();
    let word = p2[1].split_whitespace().nth(3).unwrap().to_string();
    p2[1] = p2[1].replacen(&word, "Pyongyang", 1);
    lines.extend([capture("word", 1, t, p), capture("word", 2, t, &p2)]);

    // 2. A sentence deleted.
    let (t, p) = &s[1];
    let mut p2 = p.clone();
    let cut = p2[2].find(". ").unwrap();
    p2[2] = p2[2][cut + 2..].to_string();
    let deleted_sentence = p[2][..cut + 1].to_string();
    lines.extend([capture("sentence", 1, t, p), capture("sentence", 2, t, &p2)]);

    // 3. A paragraph inserted.
    let (t, p) = &s[2];
    let mut p2 = p.clone();
    p2.insert(3, s[11].1[0].clone());
    lines.extend([
        capture("paragraph", 1, t, p),
        capture("paragraph", 2, t, &p2),
    ]);

    // 4. Whole bodies swapped between two articles.
    let ((ta, pa), (tb, pb)) = (&s[3], &s[4]);
    lines.extend([
        capture("swap-a", 1, ta, pa),
        capture("swap-b", 1, tb, pb),
        capture("swap-a", 2, tb, pb),
        capture("swap-b", 2, ta, pa),
    ]);

    // 5. Quote style only.
    let (t, p) = &s[5];
    let curly: Vec<String> = p
        .iter()
        .map(|x| format!("\u{201c}{}\u{201d}", x.replace('\'', "\u{2019}")))
        .collect();
    let straight: Vec<String> = p.iter().map(|x| format!("\"{x}\"")).collect();
    lines.extend([
        capture("quotes", 1, t, &straight),
        capture("quotes", 2, t, &curly),
    ]);

    // 6. White space only: not even a new version.
    let (t, p) = &s[6];
    let spaced: Vec<String> = p
        .iter()
        .map(|x| x.replace(' ', "  ").replace(", ", ",\u{a0}"))
        .collect();
    lines.extend([capture("spaces", 1, t, p), capture("spaces", 2, t, &spaced)]);

    // 7. An empty capture in the middle of a history.
    let (t, p) = &s[7];
    lines.extend([
        capture("empty", 1, t, p),
        json!({"id": "empty", "outlet": "kcna", "captured_at": "2011-06-02T06:00:00Z", "title": "", "paragraphs": []}),
        capture("empty", 3, t, p),
    ]);

    // 8. Removed, then restored.
    let (t, p) = &s[8];
    lines.extend([
        capture("gone", 1, t, p),
        json!({"id": "gone", "outlet": "kcna", "captured_at": "2011-06-02T06:00:00Z", "status": 410}),
        json!({"id": "gone", "outlet": "kcna", "captured_at": "2011-06-03T06:00:00Z", "status": 404}),
        capture("gone", 4, t, p),
    ]);

    // 9. Much rewritten, same story: every other paragraph loses a third
    // of its words and the rest are reordered.
    let (t, p) = &s[9];
    let rewritten: Vec<String> = p
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let w: Vec<&str> = x.split_whitespace().collect();
            if i % 2 == 0 {
                w.iter()
                    .enumerate()
                    .filter(|(j, _)| j % 3 != 0)
                    .map(|(_, w)| *w)
                    .collect::<Vec<_>>()
                    .join(" ")
            } else {
                let (a, b) = w.split_at(w.len() / 2);
                format!("{} {}", b.join(" "), a.join(" "))
            }
        })
        .collect();
    lines.extend([
        capture("rewrite", 1, t, p),
        capture("rewrite", 2, t, &rewritten),
    ]);

    // 10. A paragraph moved.
    let (t, p) = &s[10];
    let mut moved = p.clone();
    let first = moved.remove(0);
    moved.push(first);
    lines.extend([capture("moved", 1, t, p), capture("moved", 2, t, &moved)]);

    let file = write_jsonl(dir.path(), "history.jsonl", &lines);
    let summary = json(&data, &["ingest", "--json", file.to_str().unwrap()]);
    assert_eq!(summary["rejected"], 0, "{summary}");
    assert_eq!(summary["failed_captures"], 1);

    let c = changes_of(&data, "word");
    assert_eq!(kinds(&c), ["edited"]);
    let h = &c[0]["hunks"][0];
    assert_eq!(
        (
            h["paragraph"].as_u64(),
            h["removed"].as_str(),
            h["added"].as_str()
        ),
        (Some(1), Some(word.as_str()), Some("Pyongyang"))
    );
    assert_eq!(c[0]["from"]["captured_at"], "2011-06-01T06:00:00Z");
    assert_eq!(c[0]["to"]["captured_at"], "2011-06-02T06:00:00Z");
    assert_eq!(c[0]["url"], "http://kcna.example/word");

    let c = changes_of(&data, "sentence");
    assert_eq!(kinds(&c), ["edited"]);
    assert_eq!(
        c[0]["hunks"][0]["removed"].as_str().unwrap().trim(),
        deleted_sentence
    );
    assert_eq!(c[0]["hunks"][0]["paragraph"], 2);

    let c = changes_of(&data, "paragraph");
    assert_eq!(kinds(&c), ["edited"]);
    assert_eq!(c[0]["hunks"].as_array().unwrap().len(), 1);
    assert_eq!(c[0]["hunks"][0]["paragraph"], 3);
    assert_eq!(c[0]["hunks"][0]["removed"], "");
    assert_eq!(c[0]["hunks"][0]["added"], s[11].1[0].as_str());

    assert_eq!(kinds(&changes_of(&data, "swap-a")), ["replaced"]);
    assert_eq!(kinds(&changes_of(&data, "swap-b")), ["replaced"]);
    assert_eq!(kinds(&changes_of(&data, "quotes")), ["cosmetic"]);
    assert_eq!(kinds(&changes_of(&data, "spaces")), Vec::<&str>::new());
    assert_eq!(
        json(&data, &["show", "spaces", "--json"])["versions"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(kinds(&changes_of(&data, "empty")), Vec::<&str>::new());
    let shown = json(&data, &["show", "empty", "--json"]);
    assert_eq!(shown["versions"].as_array().unwrap().len(), 1);
    assert_eq!(shown["failed_captures"], 1);

    let c = changes_of(&data, "gone");
    assert_eq!(kinds(&c), ["removed", "restored"]);
    assert_eq!(c[0]["to"]["captured_at"], "2011-06-02T06:00:00Z");
    assert_eq!(c[1]["to"]["captured_at"], "2011-06-04T06:00:00Z");
    assert_eq!(c[1]["hunks"], json!([]), "restored as it was");
    let shown = json(&data, &["show", "gone", "--json"]);
    let v = shown["versions"].as_array().unwrap();
    assert_eq!(v.len(), 3);
    assert_eq!(v[1]["gone"], "410");
    assert_eq!(
        v[1]["last_seen"], "2011-06-03T06:00:00Z",
        "the 404 extends the removal"
    );
    assert_eq!(shown["gone"], Value::Null);

    assert_eq!(kinds(&changes_of(&data, "rewrite")), ["rewritten"]);

    let c = changes_of(&data, "moved");
    assert_eq!(kinds(&c), ["edited"]);
    let hunks = c[0]["hunks"].as_array().unwrap();
    assert_eq!(
        hunks.len(),
        1,
        "one move, not a deletion and an insertion: {hunks:?}"
    );
    assert_eq!(hunks[0]["moved"], true);
    let d = ok(&data, &["diff", "moved"]);
    assert!(d.contains("↕ ¶1→5  moved"), "{d}");

    // Filters.
    let edited = json(&data, &["changes", "--json", "--kind", "edited"]);
    assert_eq!(edited["total"], 4);
    let later = json(&data, &["changes", "--json", "--since", "2011-06-03"]);
    assert_eq!(kinds(later["changes"].as_array().unwrap()), ["restored"]);
    let early = json(&data, &["changes", "--json", "--until", "2011-06-02"]);
    assert_eq!(
        early["total"].as_u64().unwrap() + later["total"].as_u64().unwrap(),
        json(&data, &["changes", "--json"])["total"]
            .as_u64()
            .unwrap()
    );

    // The same history ingested in reverse order gives the same changes.
    let mut reversed = lines.clone();
    reversed.reverse();
    let rfile = write_jsonl(dir.path(), "reversed.jsonl", &reversed);
    let rdata = dir.path().join("reversed");
    json(&rdata, &["ingest", "--json", rfile.to_str().unwrap()]);
    assert_eq!(
        json(&rdata, &["changes", "--json"]),
        json(&data, &["changes", "--json"])
    );

    // Again: nothing new.
    let again = json(&data, &["ingest", "--json", file.to_str().unwrap()]);
    assert_eq!(again["new_versions"], 0);
    assert_eq!(again["new_articles"], 0);
}

#[test]
#[ignore = "needs ../shared/corpus (cargo test -- --include-ignored)"]
fn a_history_split_across_runs_and_files_in_any_order() {
    let s = stories(2);
    let (t, p) = &s[0];
    let mut p2 = p.clone();
    p2[0] = format!("{} Added at the end.", p2[0]);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // Day 3 first, then day 1, then day 2 (which holds the edit).
    let f3 = write_jsonl(dir.path(), "c3.jsonl", &[capture("split", 3, t, &p2)]);
    let f1 = write_jsonl(dir.path(), "c1.jsonl", &[capture("split", 1, t, p)]);
    let f2 = write_jsonl(dir.path(), "c2.jsonl", &[capture("split", 2, t, &p2)]);
    for f in [&f3, &f1, &f2] {
        json(&data, &["ingest", "--json", f.to_str().unwrap()]);
    }
    let shown = json(&data, &["show", "split", "--json"]);
    let v = shown["versions"].as_array().unwrap();
    assert_eq!(v.len(), 2);
    assert_eq!(v[0]["first_seen"], "2011-06-01T06:00:00Z");
    assert_eq!(v[1]["first_seen"], "2011-06-02T06:00:00Z");
    assert_eq!(v[1]["last_seen"], "2011-06-03T06:00:00Z");
    let c = changes_of(&data, "split");
    assert_eq!(kinds(&c), ["edited"]);
    assert_eq!(c[0]["hunks"][0]["added"], "Added at the end.");
    let d = ok(&data, &["diff", "split", "1", "2"]);
    assert!(d.contains("{+Added at the end.+}"), "{d}");
    let dj = json(&data, &["diff", "split", "--json"]);
    assert_eq!(dj["kind"], "edited");
    assert_eq!(
        (dj["from"]["n"].as_i64(), dj["to"]["n"].as_i64()),
        (Some(1), Some(2))
    );
}

#[test]
#[ignore = "needs ../shared/corpus (cargo test -- --include-ignored)"]
fn a_listing_that_drops_an_article_removes_it() {
    let s = stories(2);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let listing = |day: u32, items: &[&str]| {
        json!({"listing": "http://kcna.example/index", "outlet": "kcna",
               "captured_at": format!("2011-06-{day:02}T07:00:00Z"), "items": items})
    };
    let file = write_jsonl(
        dir.path(),
        "listings.jsonl",
        &[
            capture("a1", 1, &s[0].0, &s[0].1),
            capture("a2", 1, &s[1].0, &s[1].1),
            listing(3, &["a1"]),
            listing(1, &["a1", "a2"]),
            listing(5, &["a1", "a2"]),
        ],
    );
    let summary = json(&data, &["ingest", "--json", file.to_str().unwrap()]);
    assert_eq!(summary["listings"], 3);
    assert_eq!(kinds(&changes_of(&data, "a2")), ["removed", "restored"]);
    assert_eq!(
        changes_of(&data, "a2")[0]["to"]["captured_at"],
        "2011-06-03T07:00:00Z"
    );
    assert_eq!(kinds(&changes_of(&data, "a1")), Vec::<&str>::new());
    let shown = json(&data, &["show", "a2", "--json"]);
    assert_eq!(shown["versions"][1]["gone"], "delisted");
}

#[test]
#[ignore = "needs ../shared/corpus (cargo test -- --include-ignored)"]
fn a_removal_seen_before_the_text_and_a_move_in_a_short_article() {
    let s = stories(1);
    let (t, p) = &s[0];
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // The 404 of day 3 and the 410 of day 2 come before any text.
    let early = write_jsonl(
        dir.path(),
        "early.jsonl",
        &[
            json!({"id": "late", "outlet": "kcna", "captured_at": "2011-06-03T06:00:00Z", "status": 404}),
            json!({"id": "late", "outlet": "kcna", "captured_at": "2011-06-02T06:00:00Z", "status": 410}),
        ],
    );
    let summary = json(&data, &["ingest", "--json", early.to_str().unwrap()]);
    assert_eq!(summary["rejected"], 0, "{summary}");
    let text = write_jsonl(
        dir.path(),
        "text.jsonl",
        &[capture("late", 4, t, p), capture("late", 1, t, p)],
    );
    json(&data, &["ingest", "--json", text.to_str().unwrap()]);
    let c = changes_of(&data, "late");
    assert_eq!(kinds(&c), ["removed", "restored"]);
    assert_eq!(c[0]["to"]["captured_at"], "2011-06-02T06:00:00Z");

    // Three paragraphs, the first moved to the end: an edit, not a rewrite.
    let short: Vec<String> = p[..3].to_vec();
    let mut moved = short.clone();
    let first = moved.remove(0);
    moved.push(first);
    let f = write_jsonl(
        dir.path(),
        "short.jsonl",
        &[
            capture("short", 1, t, &short),
            capture("short", 2, t, &moved),
        ],
    );
    json(&data, &["ingest", "--json", f.to_str().unwrap()]);
    assert_eq!(kinds(&changes_of(&data, "short")), ["edited"]);
}
