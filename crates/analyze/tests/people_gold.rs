//! Precision and recall for people on hand-annotated kcna-2011 articles
//! (`tests/data/people-gold.jsonl`; guidelines in docs/analysis.md).

mod common;

use std::collections::{BTreeSet, HashMap};

use tealeaf_analyze::gazetteer::EntryKind;
use tealeaf_analyze::{Analyzer, EntityKind, Gazetteer};

struct Score {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Score {
    fn p(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fp).max(1) as f64
    }
    fn r(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fn_).max(1) as f64
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.p(), self.r());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn gold() -> Vec<(usize, Vec<String>)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/people-gold.jsonl");
    let text = std::fs::read_to_string(path).expect("gold file");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("gold line is JSON");
            let line = v["line"].as_u64().expect("line") as usize;
            let people = v["people"]
                .as_array()
                .expect("people")
                .iter()
                .map(|p| p.as_str().expect("name").to_string())
                .collect();
            (line, people)
        })
        .collect()
}

/// Micro-averaged over per-article sets of canonical names. Gold names are
/// written as the article spells them; the analyzer's gazetteer maps them to
/// canonical form (`Bashar Al-Assad` → `Bashar al-Assad`).
fn score(analyzer: &Analyzer, verbose: bool) -> Score {
    let corpus = common::corpus();
    let by_line: HashMap<usize, _> = corpus.into_iter().collect();
    let mut s = Score {
        tp: 0,
        fp: 0,
        fn_: 0,
    };
    let g = gold();
    assert!(g.len() >= 100, "at least 100 annotated articles");
    for (line, people) in g {
        let doc = by_line.get(&line).expect("gold line exists in the corpus");
        let want: BTreeSet<String> = people
            .iter()
            .map(|p| analyzer.canonical_person(p).to_string())
            .collect();
        let a = analyzer.analyze(doc);
        let got: BTreeSet<String> = a
            .entities(EntityKind::Person)
            .into_iter()
            .map(str::to_string)
            .collect();
        let tp = want.intersection(&got).count();
        s.tp += tp;
        s.fp += got.len() - tp;
        s.fn_ += want.len() - tp;
        if verbose && want != got {
            eprintln!(
                "line {line}: missed {:?} extra {:?}",
                want.difference(&got).collect::<Vec<_>>(),
                got.difference(&want).collect::<Vec<_>>()
            );
        }
    }
    s
}

#[test]
#[ignore = "needs ../shared/corpus (cargo test -- --include-ignored)"]
fn people_f1_on_annotated_sample() {
    let analyzer = Analyzer::new().expect("embedded gazetteers");
    let s = score(&analyzer, true);
    eprintln!(
        "people: tp {} fp {} fn {}  P {:.3} R {:.3} F1 {:.3}",
        s.tp,
        s.fp,
        s.fn_,
        s.p(),
        s.r(),
        s.f1()
    );
    assert!(s.f1() >= 0.9, "people F1 {:.3} < 0.9", s.f1());
}

/// The rules alone, without the people gazetteer: how much the lists
/// carry. Reported, not asserted beyond a floor.
#[test]
#[ignore = "needs ../shared/corpus (cargo test -- --include-ignored)"]
fn people_rules_without_people_gazetteer() {
    let g = Gazetteer::embedded()
        .expect("embedded gazetteers")
        .without_kind(EntryKind::Entity(EntityKind::Person));
    let rules_only = Analyzer::with_gazetteer(&g).expect("compiles");
    let s = score(&rules_only, false);
    eprintln!(
        "rules only: tp {} fp {} fn {}  P {:.3} R {:.3} F1 {:.3}",
        s.tp,
        s.fp,
        s.fn_,
        s.p(),
        s.r(),
        s.f1()
    );
    assert!(s.f1() >= 0.75, "rules-only people F1 {:.3}", s.f1());
}
