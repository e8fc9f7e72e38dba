//! The index on a real tantivy directory: query syntax, folding, filters,
//! sorting, counts, snippets, and the catch-up payload.

use chrono::NaiveDate;
use tealeaf_index::{SearchIndex, SearchRequest, Sort};
use tealeaf_model::ArticleDoc;

fn doc(
    id: &str,
    outlet: &str,
    lang: &str,
    date: (i32, u32, u32),
    title: &str,
    body: &str,
) -> ArticleDoc {
    ArticleDoc {
        people: Vec::new(),
        countries: Vec::new(),
        id: id.into(),
        outlet: outlet.into(),
        language: lang.into(),
        published: NaiveDate::from_ymd_opt(date.0, date.1, date.2),
        title: title.into(),
        paragraphs: body.split("\n\n").map(str::to_string).collect(),
        commentary: String::new(),
    }
}

fn index() -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().unwrap();
    let (idx, created) = SearchIndex::open(&dir.path().join("index")).unwrap();
    assert!(created);
    let mut w = idx.writer(1, 20_000_000).unwrap();
    let docs = [
        doc(
            "seed",
            "rodong",
            "en",
            (2026, 1, 1),
            "Kim Jong Un Sends New Year\u{2019}s Message",
            "The message to the overseas operations units.\n\nBehind you are Pyongyang and Moscow.",
        ),
        doc(
            "cuba",
            "kcna",
            "es",
            (2011, 5, 3),
            "Delegación del Máximo",
            "El Máximo Líder de Cuba recibió a la delegación.",
        ),
        doc(
            "libya",
            "kcna",
            "en",
            (2011, 3, 20),
            "Aggression against Libya",
            "Imperialists launched aggression against Libya. <script>alert(1)</script>",
        ),
        doc(
            "sports",
            "kcna",
            "en",
            (2011, 6, 1),
            "Sports delegation leaves",
            "A sports delegation left Pyongyang for Moscow.",
        ),
        doc(
            "undated",
            "kcna",
            "en",
            (2011, 1, 1),
            "Delegation arrives",
            "A delegation arrived in Pyongyang.",
        ),
    ];
    for d in &docs {
        w.add(d).unwrap();
    }
    w.commit(5).unwrap();
    idx.reload().unwrap();
    (dir, idx)
}

fn ids(idx: &SearchIndex, req: SearchRequest) -> (usize, Vec<String>) {
    let r = idx.search(&SearchRequest { limit: 20, ..req }).unwrap();
    (r.total, r.hits.into_iter().map(|h| h.id).collect())
}

fn q(query: &str) -> SearchRequest {
    SearchRequest {
        query: query.into(),
        ..Default::default()
    }
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn folding_apostrophes_and_accents() {
    let (_d, idx) = index();
    assert_eq!(ids(&idx, q("\"New Year's\"")).1, vec!["seed"]);
    assert_eq!(
        ids(&idx, q("\"new year\u{2019}s message\"")).1,
        vec!["seed"]
    );
    assert_eq!(ids(&idx, q("Maximo")).1, vec!["cuba"]);
    assert_eq!(ids(&idx, q("MÁXIMO lider")).1, vec!["cuba"]);
}

#[test]
fn no_stemming() {
    let (_d, idx) = index();
    assert_eq!(ids(&idx, q("imperialist")).0, 0, "exact words only");
    assert_eq!(ids(&idx, q("imperialists")).1, vec!["libya"]);
}

#[test]
fn phrases_booleans_fields_prefixes() {
    let (_d, idx) = index();
    assert_eq!(ids(&idx, q("\"overseas operations\"")).1, vec!["seed"]);
    assert_eq!(ids(&idx, q("\"operations overseas\"")).0, 0);
    assert_eq!(
        sorted(ids(&idx, q("Pyongyang Moscow")).1),
        vec!["seed", "sports"],
        "words AND by default"
    );
    assert_eq!(
        sorted(ids(&idx, q("Libya OR Cuba")).1),
        vec!["cuba", "libya"]
    );
    assert_eq!(ids(&idx, q("delegation NOT sports")).1, vec!["undated"]);
    assert_eq!(
        sorted(ids(&idx, q("(delegation OR delegacion) -sports")).1),
        vec!["cuba", "undated"]
    );
    assert_eq!(ids(&idx, q("title:Libya")).1, vec!["libya"]);
    assert_eq!(
        ids(&idx, q("title:Pyongyang")).0,
        0,
        "title: looks at titles only"
    );
    assert_eq!(
        sorted(ids(&idx, q("Pyong*")).1),
        vec!["seed", "sports", "undated"]
    );
    assert_eq!(ids(&idx, q("title:deleg*")).0, 3);
    // Queries as people type them are never errors: what cannot be read
    // is read as words, with a note; what can is read with no note.
    let r = idx.search(&q("title:(Libya")).unwrap();
    assert_eq!(r.total, 1);
    assert!(
        r.note.as_deref().unwrap().contains("words `Libya`"),
        "{:?}",
        r.note
    );
    for (query, hits) in [
        ("\"overseas operations", vec!["seed"]),
        ("Libya title:", vec!["libya"]),
        ("New Year's", vec!["seed"]),
        ("\"New Year's Message\"", vec!["seed"]),
        ("(Libya OR Moscow", vec!["libya", "seed", "sports"]),
        ("AND delegation left", vec!["sports"]),
        ("title:*", vec![]),
        ("((((", vec![]),
    ] {
        let note = idx.search(&q(query)).unwrap().note;
        assert_eq!(sorted(ids(&idx, q(query)).1), hits, "{query}: {note:?}");
    }
    assert!(idx.search(&q("New Year's")).unwrap().note.is_none());
    assert!(idx.search(&q("\"overseas")).unwrap().note.is_some());
}

#[test]
fn filters_sorting_and_counts() {
    let (_d, idx) = index();
    let base = || q("delegation OR delegación");
    assert_eq!(ids(&idx, base()).0, 3);
    assert_eq!(
        ids(
            &idx,
            SearchRequest {
                languages: vec!["es".into()],
                ..base()
            }
        )
        .1,
        vec!["cuba"]
    );
    assert_eq!(
        ids(
            &idx,
            SearchRequest {
                outlets: vec!["rodong".into()],
                ..base()
            }
        )
        .0,
        0
    );
    let from = NaiveDate::from_ymd_opt(2011, 5, 1);
    let to = NaiveDate::from_ymd_opt(2011, 5, 31);
    assert_eq!(
        ids(&idx, SearchRequest { from, to, ..base() }).1,
        vec!["cuba"]
    );
    assert_eq!(ids(&idx, SearchRequest { from, ..base() }).0, 2);
    assert_eq!(
        ids(
            &idx,
            SearchRequest {
                sort: Sort::Newest,
                ..base()
            }
        )
        .1,
        vec!["sports", "cuba", "undated"]
    );
    assert_eq!(
        ids(
            &idx,
            SearchRequest {
                sort: Sort::Oldest,
                ..base()
            }
        )
        .1,
        vec!["undated", "cuba", "sports"]
    );
    let page = idx
        .search(&SearchRequest {
            limit: 1,
            offset: 1,
            sort: Sort::Newest,
            ..base()
        })
        .unwrap();
    assert_eq!(page.total, 3, "the total counts every hit, not the page");
    assert_eq!(page.hits[0].id, "cuba");
    assert_eq!(ids(&idx, q("")).0, 5, "an empty query lists everything");
}

#[test]
fn snippets_highlight() {
    let (_d, idx) = index();
    let r = idx
        .search(&SearchRequest {
            limit: 5,
            ..q("Libya")
        })
        .unwrap();
    let body = "Imperialists launched aggression against Libya. <script>alert(1)</script>";
    let s = r.snippet("Aggression against Libya", body);
    assert!(!s.highlights.is_empty());
    assert_eq!(&s.text[s.highlights[0].clone()], "Libya");
    assert!(
        s.text.contains("<script>"),
        "the text is as written: {}",
        s.text
    );
    let r = idx
        .search(&SearchRequest {
            limit: 5,
            ..q("\"overseas operations\"")
        })
        .unwrap();
    let s = r.snippet("t", "The message to the overseas operations units.");
    assert_eq!(
        &s.text[s.highlights[0].clone()],
        "overseas operations",
        "a phrase is one highlight"
    );
}

#[test]
fn payload_records_the_archive_seq_and_upsert_replaces() {
    let (dir, idx) = index();
    assert_eq!(idx.indexed_seq().unwrap(), 5);
    let mut w = idx.writer(1, 20_000_000).unwrap();
    w.upsert(&doc(
        "libya",
        "kcna",
        "en",
        (2011, 3, 20),
        "Rewritten",
        "Nothing about that country.",
    ))
    .unwrap();
    w.commit(6).unwrap();
    w.finish().unwrap();
    idx.reload().unwrap();
    assert_eq!(ids(&idx, q("Libya")).0, 0);
    assert_eq!(ids(&idx, q("Rewritten")).1, vec!["libya"]);
    assert_eq!(idx.num_docs(), 5);
    drop(idx);
    let (again, created) = SearchIndex::open(&dir.path().join("index")).unwrap();
    assert!(!created);
    assert_eq!(again.indexed_seq().unwrap(), 6);
    assert_eq!(sorted(again.all_ids().unwrap()).len(), 5);
}

/// Korean texts: every query of two or more syllables finds every text
/// that holds it as a string, ranks whole words and word starts above the
/// inside of longer words, and finds the commentary.
#[test]
fn hangul_substrings_ranking_and_commentary() {
    let dir = tempfile::tempdir().unwrap();
    let (idx, _) = SearchIndex::open(&dir.path().join("index")).unwrap();
    let mut w = idx.writer(1, 20_000_000).unwrap();
    let inside = doc(
        "inside",
        "rodong",
        "ko",
        (2026, 1, 1),
        "창건",
        "조선인민군 장병들에게 만세",
    );
    let whole = doc("whole", "rodong", "ko", (2026, 1, 2), "새해", "인민 만세");
    let starts = doc(
        "starts",
        "rodong",
        "ko",
        (2026, 1, 3),
        "새해",
        "인민들의 행복",
    );
    let mut noted = doc(
        "noted",
        "rodong",
        "ko",
        (1976, 1, 1),
        "신년사",
        "경애하는 김정은동지께서 ＫＣＮＡ ２０２６년 金日成",
    );
    noted.commentary = "6개년계획의 미달성분야를 완성".into();
    for d in [&inside, &whole, &starts, &noted] {
        w.add(d).unwrap();
    }
    w.commit(4).unwrap();
    idx.reload().unwrap();

    let (total, hits) = ids(&idx, q("인민"));
    assert_eq!(total, 3);
    assert_eq!(hits[0], "whole", "{hits:?}");
    assert_eq!(hits[1], "starts", "{hits:?}");
    assert_eq!(hits[2], "inside", "{hits:?}");
    // Names glued to particles, full-width forms, Hanja pairs.
    assert_eq!(ids(&idx, q("김정은")).1, ["noted"]);
    assert_eq!(ids(&idx, q("김정은동지")).1, ["noted"]);
    assert_eq!(ids(&idx, q("kcna 2026년")).1, ["noted"]);
    assert_eq!(ids(&idx, q("日成")).1, ["noted"]);
    // A string that is not there, though its pairs are, in other words.
    assert_eq!(ids(&idx, q("인민만세")).0, 0);
    assert_eq!(ids(&idx, q("\"인민 만세\"")).1, ["whole"]);
    // The commentary is searched; a field query reaches it too.
    assert_eq!(ids(&idx, q("미달성")).1, ["noted"]);
    assert_eq!(ids(&idx, q("commentary:개년계획")).1, ["noted"]);
    // Excluded Korean words exclude.
    assert_eq!(sorted(ids(&idx, q("인민 -창건")).1), ["starts", "whole"]);
    // A snippet highlights the whole match once.
    let r = idx.search(&q("김정은")).unwrap();
    let s = r.snippet("신년사", &noted.paragraphs.join("\n\n"));
    assert_eq!(s.highlights.len(), 1, "{s:?}");
    assert_eq!(&s.text[s.highlights[0].clone()], "김정은");
    // A pair of the query inside another word is not marked.
    let s = r.snippet("신년사", "김정일동지와 김정은동지");
    assert_eq!(s.highlights.len(), 1, "{s:?}");
    assert_eq!(&s.text[s.highlights[0].clone()], "김정은");
}

#[test]
fn a_name_typed_without_quotes_finds_the_person_then_the_phrase_first() {
    let dir = tempfile::tempdir().unwrap();
    let (idx, _) = SearchIndex::open(&dir.path().join("index")).unwrap();
    let mut w = idx.writer(1, 20_000_000).unwrap();
    let with_people = |mut d: ArticleDoc, people: &[&str]| {
        d.people = people.iter().map(|p| p.to_string()).collect();
        d
    };
    // Each matches the three words one by one, and each repeats them more
    // often than the articles that should come first.
    let spanish =
        "Kim Jong Il dijo un discurso. Un pueblo, un partido, un ejército: un Kim, un Jong.";
    let un = "The UN Secretary-General met Kim Jong Il. The UN, the UN, the UN said Kim and Jong.";
    let docs = [
        doc("es", "kcna", "es", (2011, 1, 2), "Discurso", spanish),
        doc("un", "kcna", "en", (2011, 1, 3), "UN meeting", un),
        // The phrase, twice, in an article the analysis tagged with nobody.
        doc(
            "phrase",
            "kcna",
            "en",
            (2011, 1, 4),
            "Kim Jong Un visits",
            "Kim Jong Un visited a farm.",
        ),
        // The person, found by the analysis.
        with_people(
            doc(
                "person",
                "kcna",
                "en",
                (2011, 1, 5),
                "Inspection",
                "Kim Jong Un inspected a unit.",
            ),
            &["Kim Jong Un"],
        ),
    ];
    for d in &docs {
        w.add(d).unwrap();
    }
    w.commit(4).unwrap();
    idx.reload().unwrap();
    let (total, hits) = ids(&idx, q("Kim Jong Un"));
    assert_eq!(total, 4, "every article holding the three words matches");
    assert_eq!(hits[..2], ["person", "phrase"], "{hits:?}");
    // In lower case too; a quoted phrase still finds only the phrase.
    let (_, lower) = ids(&idx, q("kim jong un"));
    assert_eq!(lower[0], "person");
    let (total, hits) = ids(&idx, q("\"Kim Jong Un\""));
    assert_eq!(
        (total, sorted(hits)),
        (2, vec!["person".into(), "phrase".into()])
    );
    // Words that are not a name: no person clause, the phrase still first.
    let (_, hits) = ids(&idx, q("Jong Un"));
    assert_eq!(hits[0], "phrase", "{hits:?}");
}

#[test]
fn dates_that_end_before_they_start_are_noted() {
    let (_d, idx) = index();
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let r = idx
        .search(&SearchRequest {
            from: day("2030-01-01"),
            to: day("2000-01-01"),
            limit: 10,
            ..q("delegation")
        })
        .unwrap();
    assert_eq!(r.total, 0);
    let note = r.note.expect("a note");
    assert!(
        note.contains("end (2000-01-01) before they start (2030-01-01)"),
        "{note}"
    );
    // A range that holds days has no note.
    let r = idx
        .search(&SearchRequest {
            from: day("2000-01-01"),
            to: day("2030-01-01"),
            limit: 10,
            ..q("delegation")
        })
        .unwrap();
    assert!(r.total > 0 && r.note.is_none());
}
