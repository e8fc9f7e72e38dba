//! Shared test helpers: the kcna-2011 corpus beside the repository.
#![allow(dead_code)]

use std::io::BufRead;
use std::path::PathBuf;

use chrono::NaiveDate;
use tealeaf_model::ArticleDoc;

/// `shared/` sits beside the repository checkout.
pub fn corpus_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/kcna/kcna-2011.jsonl.gz")
}

/// The corpus as (1-based line number, article). Tests that read it are
/// `#[ignore]`d with that reason; run anyway (`--include-ignored`), they
/// fail here when it is absent.
pub fn corpus() -> Vec<(usize, ArticleDoc)> {
    let path = corpus_path();
    assert!(
        path.exists(),
        "needs ../shared/corpus beside the repository; the kcna-2011 corpus is not at {}",
        path.display()
    );
    let f = std::fs::File::open(&path).expect("open corpus");
    let r = std::io::BufReader::new(flate2::read::GzDecoder::new(f));
    let mut out = Vec::new();
    for (i, line) in r.lines().enumerate() {
        let line = line.expect("read corpus line");
        let v: serde_json::Value = serde_json::from_str(&line).expect("corpus line is JSON");
        let s = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
        out.push((
            i + 1,
            ArticleDoc {
                people: Vec::new(),
                countries: Vec::new(),
                id: format!("kcna-2011:{}", i + 1),
                outlet: "kcna".into(),
                language: s("language"),
                published: NaiveDate::parse_from_str(&s("date"), "%Y-%m-%d").ok(),
                title: s("title"),
                paragraphs: tealeaf_model::text::split_paragraphs(&s("story")),
                commentary: String::new(),
            },
        ));
    }
    out
}
