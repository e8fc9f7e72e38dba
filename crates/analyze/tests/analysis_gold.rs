//! Precision, recall and F1 per language for people, organizations,
//! countries, titles and events on the hand-annotated kcna-2011 articles of
//! issue 20 (`tests/data/analysis-test.jsonl`; format and guidelines in
//! `tests/data/ANNOTATION.md`). The scoring rules are in `gold/mod.rs`.
//!
//! `TEALEAF_ANALYSIS_GOLD=tune` scores the tuning set
//! (`analysis-tune.jsonl`) instead, any other value is a path. With
//! `--nocapture` it prints a markdown table and each article's differences;
//! `cargo run -p tealeaf-analyze --example analysis_score` prints the same.

mod common;
mod gold;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;
use tealeaf_analyze::{
    Analysis, Analyzer, EntityKind, Event, Mention, PersonTitle, Source, TitlePosition,
};

/// The annotation file scored: the test set unless `TEALEAF_ANALYSIS_GOLD`
/// says `tune` or gives a path.
fn gold_path() -> PathBuf {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    match std::env::var("TEALEAF_ANALYSIS_GOLD").as_deref() {
        Err(_) | Ok("") | Ok("test") => data.join("analysis-test.jsonl"),
        Ok("tune") => data.join("analysis-tune.jsonl"),
        Ok(path) => PathBuf::from(path),
    }
}

#[test]
#[ignore = "needs ../shared/corpus (cargo test -- --include-ignored)"]
fn analysis_scores_on_annotated_articles() {
    let path = gold_path();
    let gold = gold::load(&path).expect("annotation file");
    assert!(!gold.is_empty(), "{} holds no annotation", path.display());
    let by_line: HashMap<usize, _> = common::corpus().into_iter().collect();
    let analyzer = Analyzer::new().expect("embedded gazetteers");
    let mut report = gold::Report::default();
    for g in &gold {
        let doc = by_line
            .get(&g.line)
            .expect("annotated line exists in the corpus");
        // A wrong line number would score another article: the headline
        // copied into the annotation must be the corpus's.
        if let Some(title) = &g.title {
            assert_eq!(
                gold::fold(title),
                gold::fold(&doc.title),
                "line {}: annotated headline is not the corpus's",
                g.line
            );
        }
        report.add(g, gold::score_article(&analyzer, g, &analyzer.analyze(doc)));
    }
    eprintln!("{}\n", path.display());
    for d in &report.diffs {
        eprintln!("{d}");
    }
    eprintln!("\n{}", report.table());

    // Floors that hold with the rules of the annotation's time, a small
    // margin below; raise them as the rules improve.
    for (lang, floors) in FLOORS {
        let c = report.get(lang);
        if c.articles == 0 {
            continue;
        }
        let got = [
            ("people F1", c.people.f1()),
            ("organizations F1", c.organizations.f1()),
            ("titles F1", c.titles.f1()),
            ("event accuracy", c.event_accuracy()),
            ("event precision", c.event_precision()),
        ];
        for ((what, v), floor) in got.iter().zip(floors) {
            assert!(*v >= *floor, "{lang} {what} {v:.3} < floor {floor}");
        }
    }

    // On the fixed test set, issue 20's targets themselves.
    if path.ends_with("analysis-test.jsonl") {
        for (lang, people) in TARGETS {
            let c = report.get(lang);
            assert!(
                c.people.f1() >= *people,
                "{lang} people F1 {:.3} < target {people}",
                c.people.f1()
            );
            assert_eq!(
                c.institutions_as_people, 0,
                "{lang}: institutions as people"
            );
            assert!(
                c.event_precision() >= 0.9,
                "{lang} events fully right {:.3} < target 0.9",
                c.event_precision()
            );
        }
    }
}

/// Issue 20's people F1 targets per language (and, for both, no
/// institution counted as a person and ≥ 90 % of the analyzer's events
/// fully right), asserted on the fixed test set.
const TARGETS: &[(&str, f64)] = &[("en", 0.98), ("es", 0.95)];

/// Per language: people F1, organizations F1, titles F1, event accuracy,
/// event precision (events fully right of the analyzer's). First set a
/// few points under main's rules as of issue 20's annotation (on the
/// tuning set and the test set's draft: en 0.957/0.896 people,
/// 0.434/0.425 organizations, 0.571/0.597 titles, 0.108/0.081 events;
/// es 0.946/0.892, 0.273/0.173, 0.105/0.108, 0/0); raised under the
/// rules of issue 20 to a few points under the lower of the two sets
/// (tuning/test: en people 0.984/0.982, titles 0.779/0.730, event
/// accuracy 0.189/0.211, precision 0.875/0.963; es 0.989/0.986,
/// 0.856/0.823, 0.297/0.517, 0.550/0.939).
const FLOORS: &[(&str, [f64; 5])] = &[
    ("en", [0.95, 0.40, 0.70, 0.17, 0.84]),
    ("es", [0.95, 0.15, 0.79, 0.27, 0.50]),
];

/// A hand-made annotation and a hand-made analysis of it: every count the
/// scorer gives, worked out by hand.
#[test]
fn scorer_counts_a_hand_made_fixture() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/analysis-fixture.jsonl");
    let gold = gold::load(&path).expect("fixture");
    assert_eq!(gold.len(), 3);
    let analyzer = Analyzer::new().expect("embedded gazetteers");

    let person = |name: &str| mention(EntityKind::Person, name);
    let title = |p: &str, t: &str| PersonTitle {
        person: p.into(),
        title: t.into(),
        position: TitlePosition::Before,
        kind: Default::default(),
        paragraph: None,
        mention_start: 0,
    };
    let event = |actor: Option<&str>, action: &str, date: Option<&str>| Event {
        actor: actor.map(str::to_string),
        action: action.into(),
        modifier: None,
        recipient: None,
        recipient_people: Vec::new(),
        from: None,
        occasion: None,
        date: date.map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("date")),
        date_text: None,
        paragraph: None,
        full_text: None,
    };

    // Article 1 (en).
    let a1 = Analysis {
        mentions: vec![
            person("Kim Jong Il"),
            // Named after a person: counted as a person here.
            person("Kim Chaek"),
            // Found, but not in the gold: a false positive.
            person("Ri Yong Ho"),
            // `Workers’ Party of Korea` in the gold: the gazetteer's WPK.
            mention(EntityKind::Organization, "Workers' Party of Korea"),
            // Under `named_after` in the gold: credited, not false.
            mention(
                EntityKind::Organization,
                "Kim Chaek University of Technology",
            ),
            mention(EntityKind::Country, "DPRK"),
            mention(EntityKind::Country, "China"),
        ],
        titles: vec![
            // Honorific by its words alone: not scored.
            title("Kim Jong Il", "dear respected Comrade"),
            // The person's honorific in the gold: not scored.
            title("Kim Jong Il", "General"),
            // Meets `the General Secretary of the Workers' Party of Korea`.
            title("Kim Jong Il", "General Secretary of the WPK"),
            // Meets `Chairman of the National Defence Commission`.
            title("Kim Jong Il", "chairman of the NDC"),
            // Wrong: a false positive.
            title("Ri Yong Ho", "Vice Marshal"),
        ],
        events: vec![
            // Right actor and action, wrong date.
            event(Some("Kim Jong Il"), "inspects", Some("2011-12-02")),
            // `sends telegram` is `sends message`: right.
            event(Some("Kim Jong Il"), "sends telegram", None),
        ],
        entourages: Vec::new(),
    };
    let s1 = gold::score_article(&analyzer, &gold[0], &a1);
    let c = &s1.counts;
    // Gold people: Kim Jong Il (as `Kim Jong-il`), Choe Ryong Hae.
    assert_eq!(c.people, prf(1, 2, 1), "{:?}", s1.diffs);
    // Gold organizations: WPK, KPA; got WPK and the credited university.
    assert_eq!(c.organizations, prf(2, 0, 1), "{:?}", s1.diffs);
    assert_eq!(c.countries, prf(1, 1, 0), "{:?}", s1.diffs);
    // Gold titles: 2 of Kim Jong Il's, 1 of Choe Ryong Hae's.
    assert_eq!(c.titles, prf(2, 1, 1), "{:?}", s1.diffs);
    assert_eq!(c.institutions_as_people, 1);
    assert_eq!(
        (
            c.gold_events,
            c.gold_events_right,
            c.gold_events_actor_action
        ),
        (2, 1, 2)
    );
    assert_eq!((c.analyzer_events, c.analyzer_events_right), (2, 1));
    assert_eq!(c.false_events, 0);

    // Article 2 (es): no events in the gold, two from the analyzer.
    let a2 = Analysis {
        mentions: vec![person("Kim Jong Un")],
        titles: vec![title(
            "Kim Jong Un",
            "el Vicepresidente de la Comisión Militar Central",
        )],
        events: vec![
            event(Some("Kim Jong Un"), "visits", None),
            event(None, "attends", None),
        ],
        entourages: Vec::new(),
    };
    let s2 = gold::score_article(&analyzer, &gold[1], &a2);
    let c = &s2.counts;
    assert_eq!(c.people, prf(1, 0, 0), "{:?}", s2.diffs);
    assert_eq!(c.organizations, prf(0, 0, 0));
    assert_eq!(c.titles, prf(1, 0, 0), "{:?}", s2.diffs);
    assert_eq!(
        (c.gold_events, c.analyzer_events, c.false_events),
        (0, 2, 2)
    );

    // Article 3 (es): the person is found as the article prints him
    // (`Jakaya Mrisho Kikwete`, annotated `Jakaya Kikwete`): the same
    // person, as actor too; another person is not.
    let a3 = |actor: &str| Analysis {
        mentions: vec![person("Jakaya Mrisho Kikwete")],
        titles: Vec::new(),
        events: vec![event(Some(actor), "sends message", Some("2011-12-19"))],
        entourages: Vec::new(),
    };
    let c = gold::score_article(&analyzer, &gold[2], &a3("Jakaya Mrisho Kikwete")).counts;
    assert_eq!(c.people, prf(1, 0, 0));
    assert_eq!((c.gold_events_right, c.analyzer_events_right), (1, 1));
    let c = gold::score_article(&analyzer, &gold[2], &a3("Kim Jong Un")).counts;
    assert_eq!((c.gold_events_right, c.analyzer_events_right), (0, 0));

    let mut report = gold::Report::default();
    report.add(&gold[0], s1);
    report.add(&gold[1], s2);
    let all = report.get("all");
    assert_eq!(all.articles, 2);
    assert_eq!(all.people, prf(2, 2, 1));
    assert!((all.people.f1() - 4.0 / 7.0).abs() < 1e-9);
    assert!((all.event_accuracy() - 0.5).abs() < 1e-9);
    assert!((all.event_precision() - 0.25).abs() < 1e-9);
    let table = report.table();
    assert!(table.contains("| measure | all | en | es |"), "{table}");
    assert_eq!(report.diffs.len(), 2);
}

fn prf(tp: usize, fp: usize, fn_: usize) -> gold::Prf {
    gold::Prf { tp, fp, fn_ }
}

fn mention(kind: EntityKind, canonical: &str) -> Mention {
    Mention::new(
        kind,
        Arc::from(canonical),
        Some(0),
        0,
        canonical.len(),
        Source::Gazetteer,
    )
}

#[test]
fn titles_normalise_to_one_form() {
    let same = [
        ("the member of the Political Bureau of the C.C., WPK", "member of the Political Bureau of the Central Committee of the Workers' Party of Korea"),
        ("as Supreme Commander of the Korean People’s Army", "supreme commander of the KPA"),
        ("el presidente del Presidium de la Asamblea Popular Suprema", "Presidente del Presidium de la APS"),
        ("chairman of the National Defence Commission,", "Chairman of the NDC"),
        ("Vice-Marshal", "vice marshal"),
        ("presidente del Comité de Defensa Nacional", "Presidente del CDN"),
        ("chairman of the DPRK NDC", "chairman of the National Defence Commission"),
        ("secretario del CC del PTC", "secretario del Comite Central del Partido del Trabajo de Corea"),
    ];
    for (a, b) in same {
        assert_eq!(
            gold::normalize_title(a),
            gold::normalize_title(b),
            "{a} / {b}"
        );
    }
    assert_eq!(
        gold::normalize_title("President of the DPRK"),
        "president of the dprk"
    );
    assert_ne!(
        gold::normalize_title("Marshal"),
        gold::normalize_title("Vice Marshal")
    );
}
