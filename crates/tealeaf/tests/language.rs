//! Records that do not say their language: kcna-2011 as a CSV without its
//! `language` column. Detection is measured against the real column, and
//! the detected language is what `search --lang` filters on and what
//! `show --json` marks as detected.

mod common;

use std::collections::HashSet;
use std::io::BufRead;

use common::*;

struct Record {
    date: String,
    title: String,
    story: String,
    language: String,
}

/// kcna-2011 records with a title and a story, each (date, title) once (a
/// second story under one date and title would be a version of the same
/// article).
fn records() -> Vec<Record> {
    let path = shared().join("corpus/kcna/kcna-2011.jsonl.gz");
    let file = std::fs::File::open(&path).unwrap();
    let reader = std::io::BufReader::new(flate2::read::MultiGzDecoder::new(file));
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for line in reader.lines() {
        let v: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
        let s = |k: &str| v[k].as_str().unwrap_or("").trim().to_string();
        let r = Record {
            date: s("date"),
            title: s("title"),
            story: s("story"),
            language: s("language"),
        };
        if r.title.is_empty() || r.story.is_empty() {
            continue;
        }
        if seen.insert((r.date.clone(), r.title.clone())) {
            out.push(r);
        }
    }
    out
}

/// A reference independent of the detector: the column, except that a
/// story labelled `en` whose first 300 words hold more Spanish function
/// words than English ones is Spanish (the column labels hundreds of
/// Spanish stories `en`).
fn reference(r: &Record) -> &str {
    if r.language != "en" {
        return &r.language;
    }
    const EN: &[&str] = &["the", "of", "and", "to", "in", "is", "was", "on", "for"];
    const ES: &[&str] = &[
        "el", "los", "las", "del", "y", "en", "por", "con", "que", "la", "de",
    ];
    let (mut en, mut es) = (0, 0);
    for w in r
        .story
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(300)
    {
        let w = w.to_lowercase();
        en += usize::from(EN.contains(&w.as_str()));
        es += usize::from(ES.contains(&w.as_str()));
    }
    if es > en {
        "es"
    } else {
        "en"
    }
}

/// Detection against the `language` column on every record, and against
/// the column corrected where it labels Spanish text `en`.
#[test]
#[ignore = "needs ../shared/corpus (cargo test -- --include-ignored)"]
fn detection_agrees_with_the_language_column() {
    let all = records();
    let (mut column, mut corrected, mut none) = (0usize, 0usize, 0usize);
    let mut wrong: std::collections::BTreeMap<(String, String), usize> = Default::default();
    for r in &all {
        let paragraphs = tealeaf_model::text::split_paragraphs(&r.story);
        match tealeaf_model::text::detect_language(&r.title, &paragraphs) {
            Some(l) => {
                column += usize::from(l == r.language);
                corrected += usize::from(l == reference(r));
                if l != reference(r) {
                    *wrong
                        .entry((reference(r).to_string(), l.to_string()))
                        .or_default() += 1;
                }
            }
            None => none += 1,
        }
    }
    let n = all.len() as f64;
    let relabelled = all.iter().filter(|r| reference(r) != r.language).count();
    eprintln!(
        "language detection on {} kcna-2011 records: {column} agree with the column ({:.4}); \
         {relabelled} stories labelled en are Spanish text; against the corrected labels \
         {corrected} ({:.4}); {none} undecided; disagreements (reference, detected): {wrong:?}",
        all.len(),
        column as f64 / n,
        corrected as f64 / n
    );
    assert!(all.len() > 10_000);
    let accuracy = corrected as f64 / n;
    assert!(accuracy >= 0.995, "accuracy {accuracy:.4}");
}

#[test]
#[ignore = "needs ../shared/corpus (cargo test -- --include-ignored)"]
fn a_csv_without_a_language_column_is_searchable_by_language() {
    let all = records();
    // Every 40th English record and every 8th Spanish one: a few hundred
    // articles, both languages well represented.
    let (mut n_en, mut n_es) = (0, 0);
    let mut sample = Vec::new();
    for r in &all {
        let take = match r.language.as_str() {
            "en" => {
                n_en += 1;
                n_en % 40 == 1
            }
            "es" => {
                n_es += 1;
                n_es % 8 == 1
            }
            _ => false,
        };
        if take {
            sample.push(r);
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("kcna-no-language.csv");
    let mut w = csv::Writer::from_path(&csv_path).unwrap();
    w.write_record(["date", "title", "story"]).unwrap();
    for r in &sample {
        w.write_record([&r.date, &r.title, &r.story]).unwrap();
    }
    w.flush().unwrap();
    drop(w);

    let data = dir.path().join("data");
    let csv_arg = csv_path.to_str().unwrap();
    ok(
        &data,
        &[
            "ingest",
            "--outlet",
            "kcna",
            "--map",
            "published=date,body=story",
            csv_arg,
        ],
    );
    let total = |lang: Option<&str>| {
        let mut args = vec!["search", "--json", "--limit", "1000"];
        if let Some(l) = lang {
            args.extend(["--lang", l]);
        }
        args.push("");
        json(&data, &args)
    };
    let everything = total(None)["total"].as_u64().unwrap();
    let en = total(Some("en"));
    let es = total(Some("es"));
    let (n_en, n_es) = (en["total"].as_u64().unwrap(), es["total"].as_u64().unwrap());
    let want_en = sample.iter().filter(|r| reference(r) == "en").count() as u64;
    let want_es = sample.len() as u64 - want_en;
    eprintln!(
        "{} records without a language: --lang en finds {n_en} (labels corrected: {want_en}), \
         --lang es {n_es} ({want_es})",
        sample.len()
    );
    assert_eq!(everything, sample.len() as u64);
    // Against the labels corrected (see `reference`), a miss or two.
    assert!(n_en.abs_diff(want_en) <= 2, "{n_en} vs {want_en}");
    assert!(n_es.abs_diff(want_es) <= 2, "{n_es} vs {want_es}");

    // An English hit is one of the English records, shown as detected.
    let titles_en: HashSet<&str> = sample
        .iter()
        .filter(|r| reference(r) == "en")
        .map(|r| r.title.as_str())
        .collect();
    let hits = en["hits"].as_array().unwrap();
    assert_eq!(hits.len() as u64, n_en);
    for h in hits.iter().take(20) {
        let id = h["id"].as_str().unwrap();
        let shown = json(&data, &["show", id, "--json"]);
        let text = serde_json::to_string(&shown).unwrap();
        assert!(
            text.contains("\"language_detected\":true"),
            "{id} not marked detected: {text:.400}"
        );
        assert!(text.contains("\"language\":\"en\""), "{id}: {text:.400}");
        let title = shown["title"]
            .as_str()
            .or_else(|| shown["article"]["title"].as_str())
            .unwrap_or("");
        assert!(
            titles_en.contains(title),
            "{id}: `{title}` is not an English record"
        );
    }
}
