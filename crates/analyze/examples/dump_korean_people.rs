//! Lists the people found in Korean text files (one document a file: the
//! first line a headline, the rest paragraphs) with counts, each as
//! printed and romanized, for spotting false positives:
//! cargo run --release -p tealeaf-analyze --example dump_korean_people -- FILE...
use std::collections::HashMap;

use tealeaf_analyze::{Analyzer, EntityKind, Source};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        return Err("usage: dump_korean_people FILE...".into());
    }
    let an = Analyzer::new()?;
    let mut counts: HashMap<(String, String, Source), usize> = HashMap::new();
    for f in files {
        let text = std::fs::read_to_string(&f)?;
        let mut lines = text
            .trim_start_matches('\u{feff}')
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty());
        let title = lines.next().unwrap_or("").to_string();
        let paragraphs: Vec<String> = lines.map(str::to_string).collect();
        let a = an.analyze_parts(&title, &paragraphs, None);
        for m in a.mentions.iter().filter(|m| m.kind == EntityKind::Person) {
            let surface = m.surface(&title, &paragraphs).to_string();
            *counts
                .entry((m.canonical.to_string(), surface, m.source))
                .or_default() += 1;
        }
    }
    let mut v: Vec<_> = counts.into_iter().collect();
    v.sort_by_key(|e| std::cmp::Reverse(e.1));
    for ((name, surface, src), n) in v {
        println!("{n}\t{name}\t{surface}\t{src:?}");
    }
    Ok(())
}
