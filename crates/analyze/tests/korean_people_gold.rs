//! Precision and recall of person mentions in Korean text, on New Year
//! addresses annotated by hand (`tests/data/korean-people-gold.jsonl`:
//! mentions per person per address; guidelines in docs/analysis.md).

use std::collections::BTreeMap;
use std::path::PathBuf;

use tealeaf_analyze::{Analyzer, EntityKind};

fn addresses_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/nk-new-year-addresses")
}

/// One address as the analyzer sees it: the first line as the headline,
/// the speech (after the `원 문` line when the file has one, else every
/// line after the first) one paragraph a non-empty line. The files are
/// UTF-8, one with a byte-order mark, some with CRLF line ends.
fn address(year: u32) -> (String, Vec<String>) {
    let path = addresses_dir().join(format!("{year}.txt"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "needs ../shared/corpus beside the repository: {}: {e}",
            path.display()
        )
    });
    let text = text.trim_start_matches('\u{feff}');
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    let title = lines.first().cloned().unwrap_or_default();
    let body = match lines.iter().position(|l| l == "원 문") {
        Some(i) => lines[i + 1..].to_vec(),
        None => lines.get(1..).map(<[String]>::to_vec).unwrap_or_default(),
    };
    (title, body)
}

fn gold() -> Vec<(u32, BTreeMap<String, usize>)> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/korean-people-gold.jsonl"
    );
    let text = std::fs::read_to_string(path).expect("gold file");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("gold line is JSON");
            let year = v["year"].as_u64().expect("year") as u32;
            let people = v["people"]
                .as_object()
                .expect("people")
                .iter()
                .map(|(k, n)| (k.clone(), n.as_u64().expect("count") as usize))
                .collect();
            (year, people)
        })
        .collect()
}

#[test]
#[ignore = "needs ../shared/corpus (cargo test -- --include-ignored)"]
fn korean_person_mentions_on_annotated_addresses() {
    let analyzer = Analyzer::new().expect("embedded gazetteers");
    let g = gold();
    assert!(g.len() >= 10, "at least 10 annotated addresses");
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for (year, want) in g {
        let (title, paragraphs) = address(year);
        let a = analyzer.analyze_parts(&title, &paragraphs, None);
        let mut got: BTreeMap<String, usize> = BTreeMap::new();
        for m in a.mentions.iter().filter(|m| m.kind == EntityKind::Person) {
            *got.entry(m.canonical.to_string()).or_default() += 1;
        }
        let want: BTreeMap<String, usize> = want
            .into_iter()
            .map(|(p, n)| (analyzer.canonical_person(&p).to_string(), n))
            .collect();
        let mut names: Vec<&String> = want.keys().chain(got.keys()).collect();
        names.sort();
        names.dedup();
        for name in names {
            let (w, g) = (
                want.get(name).copied().unwrap_or(0),
                got.get(name).copied().unwrap_or(0),
            );
            let both = w.min(g);
            tp += both;
            fp += g - both;
            fn_ += w - both;
            if w != g {
                eprintln!("{year}: {name}: gold {w}, found {g}");
            }
        }
    }
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let r = tp as f64 / (tp + fn_).max(1) as f64;
    let f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    eprintln!("korean person mentions: tp {tp} fp {fp} fn {fn_}  P {p:.3} R {r:.3} F1 {f1:.3}");
    assert!(p >= 0.95, "precision {p:.3} < 0.95");
    assert!(r >= 0.85, "recall {r:.3} < 0.85");
}
