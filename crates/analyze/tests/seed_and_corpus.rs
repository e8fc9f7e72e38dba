//! The seed page's event (checked by reading the page) and real kcna-2011
//! entourage lists, titles and the no-panic sweep.

mod common;

use chrono::NaiveDate;
use tealeaf_analyze::{Analyzer, EntityKind, ListKind};

fn seed() -> tealeaf_model::CaptureRecord {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/pages/000_f3b22d0fefd5ee43.txt"
    );
    let text = std::fs::read_to_string(path).expect("seed page");
    tealeaf_read::page::parse_page("seed", &text, None).expect("seed parses")
}

#[test]
fn seed_page_event() {
    let rec = seed();
    let a = Analyzer::new()
        .unwrap()
        .analyze_parts(&rec.title, &rec.paragraphs, rec.published);
    let e = a.events.first().expect("an event");
    assert_eq!(e.actor.as_deref(), Some("Kim Jong Un"));
    assert_eq!(e.action, "sends message");
    assert_eq!(e.modifier.as_deref(), Some("congratulatory"));
    assert_eq!(
        e.recipient.as_deref(),
        Some("the officers and soldiers of the overseas operations units")
    );
    assert_eq!(e.occasion.as_deref(), Some("the new year"));
    assert_eq!(e.date, NaiveDate::from_ymd_opt(2025, 12, 31));
    assert_eq!(e.paragraph, Some(0));
    // Paragraph 1 is "The full text of the message is as follows:"; the
    // message runs from the salutation to the last paragraph.
    let range = e.full_text.clone().expect("full text located");
    assert_eq!(
        rec.paragraphs[1],
        "The full text of the message is as follows:"
    );
    assert_eq!(range, 2..rec.paragraphs.len());
    assert!(rec.paragraphs[range.start].starts_with("To the officers and soldiers"));
    assert!(rec.paragraphs[range.end - 1].starts_with("As I, together with your parents"));

    // Honorifics: "Respected Comrade" in the headline, "respected
    // Comrade" in the lead; words of respect, not offices.
    assert!(a
        .person_honorifics()
        .contains(&("Kim Jong Un", "respected Comrade")));
    assert!(!a
        .person_titles()
        .contains(&("Kim Jong Un", "respected Comrade")));
    // Countries: the DPRK (with a curly apostrophe), Russia twice (demonym and name).
    let countries = a.entities(EntityKind::Country);
    assert!(
        countries.contains("DPRK") && countries.contains("Russia"),
        "{countries:?}"
    );
    let places = a.entities(EntityKind::Place);
    assert!(
        places.contains("Pyongyang") && places.contains("Moscow"),
        "{places:?}"
    );
    assert_eq!(a.people().into_iter().collect::<Vec<_>>(), ["Kim Jong Un"]);
}

fn doc(corpus: &[(usize, tealeaf_model::ArticleDoc)], line: usize) -> &tealeaf_model::ArticleDoc {
    &corpus
        .iter()
        .find(|(l, _)| *l == line)
        .expect("line in corpus")
        .1
}

/// Lists read by hand from the articles (lines of kcna-2011.jsonl).
#[test]
#[ignore = "needs ../shared/corpus (cargo test -- --include-ignored)"]
fn entourage_order_on_real_articles() {
    let corpus = common::corpus();
    let an = Analyzer::new().unwrap();
    let cases: &[(usize, ListKind, &[&str])] = &[
        // "Accompanying him were Kim Jong Un, ..., KPA Vice Marshal Ri Yong Ho, ...,
        // KPA Generals Kim Won Hong, Pak Jae Gyong and Hyon Chol Hae and staff members ..."
        (
            94,
            ListKind::Accompanying,
            &[
                "Kim Jong Un",
                "Ri Yong Ho",
                "Jang Song Thaek",
                "Kim Kyong Ok",
                "Kim Won Hong",
                "Pak Jae Gyong",
                "Hyon Chol Hae",
            ],
        ),
        // "He was accompanied by Kim Jong Un, ...; Kim Kyong Hui, ...; ... and Kwon Hyok Bong, ..."
        (
            528,
            ListKind::Accompanying,
            &[
                "Kim Jong Un",
                "Kim Kyong Hui",
                "Jang Song Thaek",
                "Pak To Chun",
                "Ju Kyu Chang",
                "Ri Jae Il",
                "Kwon Hyok Bong",
            ],
        ),
        (
            2627,
            ListKind::Accompanying,
            &[
                "Kim Jong Un",
                "Ri Yong Ho",
                "Kim Kyong Hui",
                "Jang Song Thaek",
                "Kim Kyong Ok",
                "Kim Won Hong",
                "Pak Jae Gyong",
                "Hyon Chol Hae",
            ],
        ),
        // "Present at the meeting were Choe Yong Rim, Kim Ki Nam, officials ..."
        (624, ListKind::Present, &["Choe Yong Rim", "Kim Ki Nam"]),
        // "Present there were Yang Hyong Sop, vice-president ..., and officials ..."
        (7887, ListKind::Present, &["Yang Hyong Sop"]),
        // "It was seen off at the airport by Pyon Yong Rip, ..., Pak Kil Yon, ..."
        (
            10086,
            ListKind::SeeingOff,
            &[
                "Pyon Yong Rip",
                "Pak Kil Yon",
                "Mordi Emmanuel",
                "Guan Huabing",
            ],
        ),
    ];
    for (line, kind, want) in cases {
        let a = an.analyze(doc(&corpus, *line));
        let got = a
            .entourages
            .iter()
            .find(|e| e.kind == *kind)
            .unwrap_or_else(|| panic!("line {line}: no {kind:?} list in {:?}", a.entourages));
        assert_eq!(&got.people, want, "line {line}");
    }
}

/// Titles read by hand from kcna-2011 articles.
#[test]
#[ignore = "needs ../shared/corpus (cargo test -- --include-ignored)"]
fn titles_on_real_articles() {
    let corpus = common::corpus();
    let an = Analyzer::new().unwrap();
    let cases: &[(usize, &str, &str)] = &[
        (1, "Kim Jong Il", "General Secretary"),
        (
            1,
            "Choummaly Sayasone",
            "general secretary of the Central Committee of the Lao People's Revolutionary Party",
        ),
        (
            1,
            "Choummaly Sayasone",
            "president of the Lao People's Democratic Republic",
        ),
        (
            1,
            "Choummaly Sayasone",
            "chairman of the Central Committee of Defence and Security of Laos",
        ),
        (
            2866,
            "Kim Yong Nam",
            "president of the Presidium of the SPA",
        ),
        (
            762,
            "Kim Jong Un",
            "vice-chairman of the Central Military Commission of the WPK",
        ),
        (1154, "Kim Jong Un", "supreme leader of the DPRK"),
        (1154, "Kim Jong Il", "leader"),
        (1154, "Kim Jong Il", "His Excellency"),
        (1383, "Kim Jong Un", "respected"),
        (1504, "Kim Il Sung", "great leader Comrade"),
        (
            10086,
            "Yang Hyong Sop",
            "vice-president of the Presidium of the SPA",
        ),
        (10086, "Pak Kil Yon", "vice-minister of Foreign Affairs"),
        (94, "Ri Yong Ho", "Vice Marshal"),
        // `member of the Political Bureau and department director of the
        // C.C., WPK`: the bureau is the Central Committee's.
        (
            528,
            "Kim Kyong Hui",
            "member of the Political Bureau of the Central Committee of the WPK",
        ),
        (
            528,
            "Kim Kyong Hui",
            "department director of the Central Committee of the WPK",
        ),
    ];
    // Words of respect go to the honorifics, apart from the offices.
    let honorifics = [
        "leader",
        "His Excellency",
        "respected",
        "great leader Comrade",
    ];
    for (line, person, title) in cases {
        let a = an.analyze(doc(&corpus, *line));
        let (pairs, others) = if honorifics.contains(title) {
            (a.person_honorifics(), a.person_titles())
        } else {
            (a.person_titles(), a.person_honorifics())
        };
        assert!(
            !others.contains(&(*person, *title)),
            "line {line}: ({person}, {title}) of the wrong kind"
        );
        assert!(
            pairs.contains(&(*person, *title)),
            "line {line}: ({person}, {title}) not in {pairs:?}"
        );
    }
}

/// Events read by hand from kcna-2011 leads.
#[test]
#[ignore = "needs ../shared/corpus (cargo test -- --include-ignored)"]
fn events_on_real_articles() {
    let corpus = common::corpus();
    let an = Analyzer::new().unwrap();
    // Published Thursday 2011-12-01: "General Secretary Kim Jong Il on
    // Thursday sent a congratulatory message to Choummaly Sayasone, ...,
    // on the 36th founding anniversary of the Republic."
    let a = an.analyze(doc(&corpus, 1));
    let e = &a.events[0];
    assert_eq!(e.actor.as_deref(), Some("Kim Jong Il"));
    assert_eq!(e.action, "sends message");
    assert_eq!(e.recipient_people, ["Choummaly Sayasone"]);
    assert_eq!(e.date, NaiveDate::from_ymd_opt(2011, 12, 1));
    assert_eq!(
        e.occasion.as_deref(),
        Some("the 36th founding anniversary of the Republic")
    );
    assert_eq!(
        e.full_text,
        Some(2..a.events[0].full_text.clone().unwrap().end)
    );
    // Published Thursday 2011-12-22: "Kim Jong Un, ..., Monday received a
    // message of condolences from Nursultan Nazarbayev, president of Kazakhstan."
    let a = an.analyze(doc(&corpus, 952));
    let e = &a.events[0];
    assert_eq!(e.actor.as_deref(), Some("Kim Jong Un"));
    assert_eq!(e.action, "receives message");
    assert_eq!(e.modifier.as_deref(), Some("condolence"));
    assert_eq!(e.from.as_deref(), Some("Nursultan Nazarbayev"));
    assert_eq!(e.date, NaiveDate::from_ymd_opt(2011, 12, 19));
}

/// Never panics, on every article of the corpus and on mangled copies.
#[test]
#[ignore = "needs ../shared/corpus (cargo test -- --include-ignored)"]
fn no_panic_on_whole_corpus() {
    let corpus = common::corpus();
    let an = Analyzer::new().unwrap();
    let mut n = 0;
    for (_, d) in &corpus {
        let a = an.analyze(d);
        n += a.mentions.len();
        for m in &a.mentions {
            // A span of its text, whole words.
            let text = match m.paragraph {
                None => &d.title,
                Some(p) => &d.paragraphs[p],
            };
            let surface = m.surface(&d.title, &d.paragraphs);
            assert!(!surface.is_empty(), "{m:?} in {text:?}");
            assert!(
                tealeaf_analyze::text::is_whole_word(text, m.start, m.end),
                "{surface:?} in {text:?}"
            );
        }
        for e in &a.events {
            assert!(e.date.is_none() || e.date <= d.published);
        }
    }
    assert!(n > 50_000, "{n} mentions");
    // Mangled text: cut at every char boundary of a few articles.
    for (_, d) in corpus.iter().step_by(1500) {
        let p = d.paragraphs.first().cloned().unwrap_or_default();
        for (i, _) in p.char_indices().step_by(7) {
            let cut = vec![p[..i].to_string(), p[i..].to_string(), "’s , ; . ,".into()];
            an.analyze_parts(&p[i..], &cut, d.published);
        }
    }
}
