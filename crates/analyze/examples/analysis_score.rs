//! Scores the analyzer against hand annotations (issue 20) and prints each
//! article's differences and a markdown table per language:
//! cargo run --release -p tealeaf-analyze --example analysis_score -- [test|tune|FILE.jsonl]
//! (default `test`: `tests/data/analysis-test.jsonl`). The scoring rules
//! are `tests/gold/mod.rs`, shared with `tests/analysis_gold.rs`.

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "../tests/gold/mod.rs"]
mod gold;

use std::collections::HashMap;
use std::path::PathBuf;

use tealeaf_analyze::Analyzer;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let path = match std::env::args().nth(1).as_deref() {
        None | Some("test") => data.join("analysis-test.jsonl"),
        Some("tune") => data.join("analysis-tune.jsonl"),
        Some(p) => PathBuf::from(p),
    };
    let gold = gold::load(&path)?;
    let by_line: HashMap<usize, _> = common::corpus().into_iter().collect();
    let analyzer = Analyzer::new()?;
    let mut report = gold::Report::default();
    for g in &gold {
        let doc = by_line
            .get(&g.line)
            .ok_or_else(|| format!("line {} is not in the corpus", g.line))?;
        report.add(g, gold::score_article(&analyzer, g, &analyzer.analyze(doc)));
    }
    for d in &report.diffs {
        println!("{d}");
    }
    println!("\n{}\n{}", path.display(), report.table());
    Ok(())
}
