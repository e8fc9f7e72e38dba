//! Prints, for chosen articles of a corpus, what the analysis reads: people
//! with their titles and honorifics, countries and events, one JSON object
//! an article in the shape of the hand annotations
//! (`tests/data/ANNOTATION.md`), for review and for comparing with them:
//!
//! cargo run --release -p tealeaf-analyze --example dump_events -- CORPUS.jsonl.gz [LINE...]
//!
//! LINE: 1-based line numbers of the corpus (all articles when none).
use std::collections::BTreeSet;
use std::io::{BufRead, Write};

use serde_json::json;
use tealeaf_analyze::{Analyzer, EntityKind};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: dump_events CORPUS.jsonl.gz [LINE...]")?;
    let lines: BTreeSet<usize> = args.map(|a| a.parse()).collect::<Result<_, _>>()?;
    let r = std::io::BufReader::new(flate2::read::GzDecoder::new(std::fs::File::open(path)?));
    let an = Analyzer::new()?;
    let out = std::io::stdout();
    let mut out = out.lock();
    for (i, line) in r.lines().enumerate() {
        let n = i + 1;
        if !lines.is_empty() && !lines.contains(&n) {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line?)?;
        let s = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
        let paragraphs = tealeaf_model::text::split_paragraphs(&s("story"));
        let published = chrono::NaiveDate::parse_from_str(&s("date"), "%Y-%m-%d").ok();
        let a = an.analyze_parts(&s("title"), &paragraphs, published);
        let titles = a.person_titles();
        let honorifics = a.person_honorifics();
        let people: Vec<_> = a
            .people()
            .into_iter()
            .map(|p| {
                let of = |set: &BTreeSet<(&str, &str)>| {
                    set.iter()
                        .filter(|(q, _)| *q == p)
                        .map(|(_, t)| t.to_string())
                        .collect::<Vec<_>>()
                };
                json!({"name": p, "titles": of(&titles), "honorifics": of(&honorifics)})
            })
            .collect();
        let events: Vec<_> = a
            .events
            .iter()
            .map(|e| {
                json!({"actor": e.actor, "action": e.action, "date": e.date,
                       "object": e.recipient.as_ref().or(e.from.as_ref()),
                       "occasion": e.occasion, "date_text": e.date_text})
            })
            .collect();
        let o = json!({"line": n, "language": s("language"), "date": s("date"),
            "title": s("title"), "people": people,
            "countries": a.entities(EntityKind::Country), "events": events});
        writeln!(out, "{o}")?;
    }
    Ok(())
}
