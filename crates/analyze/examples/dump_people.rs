//! Lists rule-found people across the corpus with counts (for spotting
//! false positives), then the things named after people and the senses
//! given to homonyms: cargo run --release -p tealeaf-analyze --example
//! dump_people -- PATH
use std::collections::HashMap;
use std::io::BufRead;

use tealeaf_analyze::{Analyzer, EntityKind, Source};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: dump_people CORPUS.jsonl.gz")?;
    let r = std::io::BufReader::new(flate2::read::GzDecoder::new(std::fs::File::open(path)?));
    let an = Analyzer::new()?;
    let mut counts: HashMap<(String, Source), usize> = HashMap::new();
    let mut things: HashMap<String, usize> = HashMap::new();
    let mut senses: HashMap<String, usize> = HashMap::new();
    for line in r.lines() {
        let v: serde_json::Value = serde_json::from_str(&line?)?;
        let s = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
        let paragraphs = tealeaf_model::text::split_paragraphs(&s("story"));
        let a = an.analyze_parts(&s("title"), &paragraphs, None);
        for m in &a.mentions {
            if let Some(p) = &m.named_after {
                let k = format!("{}\t{} <- {}", m.kind.as_str(), m.canonical, p);
                *things.entry(k).or_default() += 1;
            }
            if m.sense.is_some() || m.evidence.is_some() {
                let k = format!(
                    "{}\t{}\t{}",
                    m.canonical,
                    m.sense.as_deref().unwrap_or("-"),
                    m.evidence.as_deref().unwrap_or("")
                );
                *senses.entry(k).or_default() += 1;
            }
        }
        for m in a.mentions.iter().filter(|m| m.kind == EntityKind::Person) {
            if m.source != Source::Gazetteer {
                *counts
                    .entry((m.canonical.to_string(), m.source))
                    .or_default() += 1;
            }
        }
    }
    let mut v: Vec<_> = counts.into_iter().collect();
    v.sort_by_key(|e| std::cmp::Reverse(e.1));
    for ((name, src), n) in v {
        println!("{n}\t{src:?}\t{name}");
    }
    for (title, map) in [("named after", things), ("senses", senses)] {
        println!("# {title}");
        let mut v: Vec<_> = map.into_iter().collect();
        v.sort_by_key(|e| std::cmp::Reverse(e.1));
        for (k, n) in v {
            println!("{n}\t{k}");
        }
    }
    Ok(())
}
