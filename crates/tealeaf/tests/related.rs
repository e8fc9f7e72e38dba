//! Translations and reprints on real KCNA text: five days of kcna-2011
//! (English and Spanish), ingested at once and in two runs; `show`,
//! `search --collapse`, the article page and its twin. And how articles
//! without a title are shown.

mod common;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use common::*;

const MAP: &[&str] = &["--outlet", "kcna", "--map", "published=date,body=story"];

fn ingest(data: &Path, file: &Path) -> serde_json::Value {
    let mut args = vec!["ingest"];
    args.extend_from_slice(MAP);
    let file = file.to_str().expect("a utf-8 path");
    args.extend_from_slice(&[file, "--json"]);
    json(data, &args)
}

/// Every article's translations: (id, language, published) → its
/// translations' (id, language, published, confidence).
type Translations = HashMap<String, Vec<(String, String, String, f64)>>;

fn translations(data: &Path) -> (Translations, HashMap<String, (String, String)>) {
    let found = json(data, &["search", "*", "--limit", "10000", "--json"]);
    let mut out = Translations::new();
    let mut meta = HashMap::new();
    for hit in found["hits"].as_array().expect("hits") {
        let id = hit["id"].as_str().expect("an id").to_string();
        let show = json(data, &["show", &id, "--json"]);
        meta.insert(
            id.clone(),
            (
                show["language"].as_str().unwrap_or("").to_string(),
                show["published"].as_str().unwrap_or("").to_string(),
            ),
        );
        let list = show["translations"]
            .as_array()
            .expect("show --json has translations")
            .iter()
            .map(|t| {
                (
                    t["id"].as_str().expect("id").to_string(),
                    t["language"].as_str().unwrap_or("").to_string(),
                    t["published"].as_str().unwrap_or("").to_string(),
                    t["confidence"].as_f64().expect("confidence"),
                )
            })
            .collect();
        out.insert(id, list);
    }
    (out, meta)
}

fn pairs(t: &Translations) -> BTreeSet<(String, String)> {
    t.iter()
        .flat_map(|(a, list)| {
            list.iter()
                .map(move |(b, ..)| (a.clone().min(b.clone()), a.clone().max(b.clone())))
        })
        .collect()
}

fn days_apart(a: &str, b: &str) -> i64 {
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date");
    (d(a) - d(b)).num_days().abs()
}

#[test]
fn stories_pair_with_their_translations_the_same_in_one_run_or_two() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (early, late) = (
        kcna_records("2011-11-28", "2011-11-30"),
        kcna_records("2011-12-01", "2011-12-02"),
    );
    assert!(
        early.len() > 50 && late.len() > 50,
        "{} {}",
        early.len(),
        late.len()
    );
    let write = |name: &str, lines: &[String]| {
        let p = dir.path().join(name);
        std::fs::write(&p, lines.join("\n") + "\n").expect("written");
        p
    };
    let all = write("all.jsonl", &[early.clone(), late.clone()].concat());
    let (first, second) = (write("early.jsonl", &early), write("late.jsonl", &late));

    let at_once = dir.path().join("at-once");
    let summary = ingest(&at_once, &all);
    assert!(
        summary["related"]["translation_pairs"]
            .as_u64()
            .expect("a count")
            > 10
    );
    let (t, meta) = translations(&at_once);

    // The Spanish story of Dec. 1 and its English original.
    let title_of = |id: &str| json(&at_once, &["show", id, "--json"])["title"].clone();
    let es = t
        .keys()
        .find(|id| title_of(id) == "Kim Yong Nam visitara la Republica Unida de Tanzania")
        .expect("the Spanish story is in");
    let partner = &t[es];
    assert_eq!(partner.len(), 1, "{partner:?}");
    assert_eq!(title_of(&partner[0].0), "Kim Yong Nam to Visit Tanzania");
    assert!(partner[0].3 > 0.0 && partner[0].3 <= 1.0);

    // Every pair: both ways, across languages, a day apart at most, and
    // one partner per language.
    for (a, list) in &t {
        let mut languages = BTreeSet::new();
        for (b, lang, published, _) in list {
            assert!(t[b].iter().any(|(x, ..)| x == a), "{b} lists {a} back");
            assert_ne!(&meta[a].0, lang, "{a} and {b} are in two languages");
            assert!(days_apart(&meta[a].1, published) <= 1, "{a} {b}");
            assert!(
                languages.insert(lang.clone()),
                "{a} has one {lang} translation"
            );
        }
    }
    // Most Spanish stories of these days are translations of an English one.
    let spanish: Vec<&String> = meta.keys().filter(|id| meta[*id].0 == "es").collect();
    let paired = spanish.iter().filter(|id| !t[**id].is_empty()).count();
    assert!(
        paired * 10 >= spanish.len() * 6,
        "{paired} of {} Spanish stories paired",
        spanish.len()
    );

    // The same archive built in two runs (the Spanish of Dec. 1 arrives
    // after the English of Nov. 30) holds the same pairs.
    let two_runs = dir.path().join("two-runs");
    ingest(&two_runs, &first);
    let again = ingest(&two_runs, &second);
    assert!(again["related"]["articles"].as_u64().expect("a count") > 0);
    let (t2, _) = translations(&two_runs);
    assert_eq!(pairs(&t), pairs(&t2));

    // An ingest that adds nothing keeps them.
    ingest(&two_runs, &second);
    let (t3, _) = translations(&two_runs);
    assert_eq!(pairs(&t), pairs(&t3));

    // `show` prints them.
    let text = ok(&at_once, &["show", es]);
    assert!(text.contains("Translations"), "{text}");
    assert!(text.contains("Kim Yong Nam to Visit Tanzania"), "{text}");
}

#[test]
fn a_story_run_again_the_next_day_is_a_reprint_and_collapses_in_search() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let lines = kcna_records("2011-11-29", "2011-11-30");
    let file = dir.path().join("days.jsonl");
    std::fs::write(&file, lines.join("\n") + "\n").expect("written");
    let data = dir.path().join("data");
    ingest(&data, &file);

    let plain = json(&data, &["search", "title:\"Chinese Service\"", "--json"]);
    let ids: Vec<String> = plain["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["id"].as_str().expect("an id").to_string())
        .collect();
    assert_eq!(
        ids.len(),
        2,
        "KCNA ran the story on Nov. 29 and 30: {plain}"
    );

    let shown = json(&data, &["show", &ids[0], "--json"]);
    let reprints = shown["reprints"].as_array().expect("reprints");
    assert_eq!(reprints.len(), 1, "{reprints:?}");
    assert_eq!(reprints[0]["id"], ids[1]);
    assert!(reprints[0]["score"].as_f64().expect("a score") >= 0.5);
    // Stories of other days that only share words are not reprints.
    let other = json(&data, &["search", "title:\"Gambian President\"", "--json"]);
    let other_id = other["hits"][0]["id"].as_str().expect("another story");
    assert!(json(&data, &["show", other_id, "--json"])["reprints"]
        .as_array()
        .expect("reprints")
        .is_empty());

    let collapsed = json(
        &data,
        &[
            "search",
            "title:\"Chinese Service\"",
            "--collapse",
            "--json",
        ],
    );
    let hits = collapsed["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 1, "{collapsed}");
    assert_eq!(hits[0]["reprints_hidden"], 1);
    assert_eq!(collapsed["total"], 2, "total counts articles");
    let text = ok(
        &data,
        &["search", "title:\"Chinese Service\"", "--collapse"],
    );
    assert!(text.contains("+1 reprint of this text left out"), "{text}");
    // Without --collapse, hits carry no such field.
    assert!(plain["hits"][0].get("reprints_hidden").is_none());

    // The article page and its twin; the search page collapses on request.
    let (_server, mut out) = serve(&data);
    let host = served_host(&mut out);
    let get = |path: &str| http_get(&host, path);
    let page = get(&format!("/article/{}", ids[0]));
    assert!(page.contains("id=\"reprints\""), "{page}");
    assert!(page.contains(&format!("href=\"/article/{}\"", ids[1])));
    let twin: serde_json::Value =
        serde_json::from_str(&get(&format!("/article/{}.json", ids[0]))).expect("json");
    assert_eq!(twin["reprints"][0]["id"], ids[1], "{twin}");
    let search: serde_json::Value = serde_json::from_str(&get(
        "/search.json?q=title%3A%22Chinese+Service%22&collapse=1",
    ))
    .expect("json");
    assert_eq!(
        search["hits"].as_array().expect("hits").len(),
        1,
        "{search}"
    );
    assert_eq!(search["hits"][0]["reprints_hidden"], 1);
    let html = get("/search?q=title%3A%22Chinese+Service%22&collapse=1");
    assert!(html.contains("of this text left out"), "{html}");
}

#[test]
fn an_untitled_article_is_shown_by_its_first_words_marked_as_such() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let file = dir.path().join("day.jsonl");
    std::fs::write(
        &file,
        kcna_records("2011-10-11", "2011-10-11").join("\n") + "\n",
    )
    .expect("written");
    let data = dir.path().join("data");
    ingest(&data, &file);
    // KCNA's story of Pyongyang's facelift came without a title.
    let found = json(&data, &["search", "facelifting", "--lang", "en", "--json"]);
    let hit = found["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .find(|h| h["title"] == "")
        .expect("the untitled story is found")
        .clone();
    assert_eq!(hit["untitled"], true);
    let shown = hit["display_title"].as_str().expect("a display title");
    assert!(
        shown.starts_with("“The DPRK capital city of Pyongyang"),
        "{shown}"
    );
    assert!(shown.ends_with("…”"), "{shown}");
    let titled = json(&data, &["search", "title:Uzbekistan", "--json"]);
    assert_eq!(titled["hits"][0]["untitled"], false);
    assert_eq!(
        titled["hits"][0]["display_title"],
        titled["hits"][0]["title"]
    );
    let text = ok(&data, &["search", "facelifting", "--lang", "en"]);
    assert!(text.contains("(untitled)"), "{text}");

    let (_server, mut out) = serve(&data);
    let host = served_host(&mut out);
    let page = http_get(&host, "/search?q=facelifting&lang=en");
    assert!(
        page.contains("The DPRK capital city of Pyongyang"),
        "{page}"
    );
    assert!(page.contains("(untitled)"), "{page}");
    let id = hit["id"].as_str().expect("an id");
    let article = http_get(&host, &format!("/article/{id}"));
    let head = article
        .split("<title>")
        .nth(1)
        .and_then(|t| t.split("</title>").next())
        .expect("a <title>");
    assert!(
        head.contains("The DPRK capital city") && head.contains("(untitled)"),
        "{head}"
    );
    assert!(article.contains("<h1>“The DPRK capital city"), "{article}");
}

/// An article's reprints as `show --json` lists them: id → score.
fn reprints_of(data: &Path, id: &str) -> BTreeMap<String, f64> {
    json(data, &["show", id, "--json"])["reprints"]
        .as_array()
        .expect("reprints")
        .iter()
        .map(|r| {
            let id = r["id"].as_str().expect("an id").to_string();
            (id, r["score"].as_f64().expect("a score"))
        })
        .collect()
}

/// The title of the kcna-2011 story [`fta_story`] copies.
const FTA_TITLE: &str = "DPRK Economic Experts Censure S. Korea-US FTA";

/// A kcna-2011 story printed in 2011, 2010 and 2009 (three articles of one
/// text), and a near-copy of it in 2008 (one paragraph rewritten: a
/// reprint, not a copy).
fn fta_story() -> ([serde_json::Value; 3], serde_json::Value) {
    let title = FTA_TITLE;
    let base: serde_json::Value = kcna_records("2011-11-29", "2011-11-29")
        .iter()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("a record"))
        .find(|r| r["title"] == title)
        .expect("the story is in kcna-2011");
    // Copy k: the same record k years earlier, another article.
    let copy = |k: i32| {
        let mut r = base.clone();
        let year = (2011 - k).to_string();
        for key in ["date", "url"] {
            let v = r[key].as_str().expect("a string").replace("2011", &year);
            r[key] = v.into();
        }
        r
    };
    let story = base["story"].as_str().expect("a story");
    let first = story
        .lines()
        .find(|l| !l.trim().is_empty())
        .expect("a paragraph");
    // A near-copy: one paragraph rewritten, so a reprint but not a copy.
    let mut near = copy(3);
    near["story"] = story
        .replacen(
            first,
            "Economists in Pyongyang said on Tuesday that the agreement serves only the monopolies.",
            1,
        )
        .into();
    ([copy(0), copy(1), copy(2)], near)
}

#[test]
fn copies_of_one_text_are_reprints_of_each_other_through_their_group() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let title = FTA_TITLE;
    let ([c0, c1, c2], near) = fta_story();
    // One record a run: runs 1 to 3 the copies, run 4 the near-copy.
    let data = dir.path().join("data");
    for (k, record) in [c0, c1, c2, near].into_iter().enumerate() {
        let file = write_jsonl(dir.path(), &format!("run{k}.jsonl"), &[record]);
        ingest(&data, &file);
    }
    let found = json(&data, &["search", &format!("title:\"{title}\""), "--json"]);
    let mut by_year = BTreeMap::new();
    for hit in found["hits"].as_array().expect("hits") {
        let year = hit["published"].as_str().expect("a date")[..4].to_string();
        by_year.insert(year, hit["id"].as_str().expect("an id").to_string());
    }
    assert_eq!(by_year.len(), 4, "{found}");
    let copies: Vec<String> = ["2011", "2010", "2009"]
        .iter()
        .map(|y| by_year[*y].clone())
        .collect();
    let near_id = by_year["2008"].clone();

    let check = |copies: &[String]| {
        let near_scores = reprints_of(&data, &near_id);
        let want: BTreeSet<&String> = copies.iter().collect();
        assert_eq!(near_scores.keys().collect::<BTreeSet<_>>(), want);
        let s = near_scores[&copies[0]];
        assert!((0.5..1.0).contains(&s), "a near-copy: {near_scores:?}");
        for c in copies {
            assert_eq!(
                near_scores[c], s,
                "one text, one similarity: {near_scores:?}"
            );
            let shown = reprints_of(&data, c);
            let mut want: BTreeMap<String, f64> = copies
                .iter()
                .filter(|o| *o != c)
                .map(|o| (o.clone(), 1.0))
                .collect();
            want.insert(near_id.clone(), s);
            assert_eq!(shown, want, "the reprints of copy {c}");
        }
        let collapsed = json(
            &data,
            &[
                "search",
                &format!("title:\"{title}\""),
                "--collapse",
                "--json",
            ],
        );
        let hits = collapsed["hits"].as_array().expect("hits");
        assert_eq!(hits.len(), 1, "{collapsed}");
        assert_eq!(hits[0]["reprints_hidden"], copies.len(), "{collapsed}");
    };
    // Stored as a group under the first copy stored (run 1, the greatest
    // id: a copy arriving later does not move the group), with no pair
    // between copies.
    let stored = |rep: &str| {
        let db = rusqlite::Connection::open(data.join("archive.sqlite")).expect("the archive");
        let under: i64 = db
            .query_row(
                "SELECT COUNT(*) FROM related_features WHERE copy_of = ?1",
                [rep],
                |r| r.get(0),
            )
            .expect("counted");
        let pairs: i64 = db
            .query_row(
                "SELECT COUNT(*) FROM related WHERE kind = 'reprint' AND other_id != ?1",
                [&near_id],
                |r| r.get(0),
            )
            .expect("counted");
        (under, pairs)
    };
    check(&copies);
    let first = copies[0].clone();
    assert!(
        copies.iter().any(|c| *c < first),
        "a later copy has a lesser id (ids are hashes of the urls): {copies:?}"
    );
    assert_eq!(stored(&first), (2, 1), "two copies under {first}, one pair");

    // Forgetting the run that brought the representative leaves the other
    // copies a group under the least of them, and the near-copy their
    // reprint.
    ok(&data, &["forget", "--run", "1"]);
    let left: Vec<String> = copies.into_iter().filter(|c| *c != first).collect();
    check(&left);
    let next = left.iter().min().expect("copies");
    assert_eq!(stored(next), (1, 1), "one copy under {next}, one pair");
    assert!(run_fails_show(&data, &first));
}

/// The count `sql` gives with `param` as its one parameter.
fn count(db: &rusqlite::Connection, sql: &str, param: &str) -> i64 {
    db.query_row(sql, [param], |r| r.get(0)).expect("counted")
}

#[test]
fn two_representatives_of_one_text_become_one_without_losing_a_pair() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let ([c0, c1, c2], near) = fta_story();
    let data = dir.path().join("data");
    let first = write_jsonl(dir.path(), "run1.jsonl", &[c0, c1, near]);
    ingest(&data, &first);
    let db_path = data.join("archive.sqlite");
    let id_of_year = |year: &str| -> String {
        let db = rusqlite::Connection::open(&db_path).expect("the archive");
        db.query_row(
            "SELECT id FROM articles WHERE published LIKE ?1",
            [format!("{year}%")],
            |r| r.get(0),
        )
        .expect("an article of that year")
    };
    let (a, b, near_id) = (id_of_year("2011"), id_of_year("2010"), id_of_year("2008"));
    let (least, other) = if a < b { (a, b) } else { (b, a) };
    // What an older archive may hold: both copies standing for the text,
    // the near-copy's pair with the greater one only.
    {
        let db = rusqlite::Connection::open(&db_path).expect("the archive");
        let moved = db
            .execute_batch(&format!(
                "UPDATE related_features SET copy_of = NULL WHERE article_id = '{other}';
                 UPDATE related SET article_id = '{other}' WHERE kind = 'reprint' AND article_id = '{least}';
                 UPDATE related SET other_id = '{other}' WHERE kind = 'reprint' AND other_id = '{least}';"
            ));
        moved.expect("the older state");
        let pairs = count(
            &db,
            "SELECT COUNT(*) FROM related WHERE kind = 'reprint' AND article_id = ?1",
            &other,
        );
        assert_eq!(pairs, 1, "the near-copy's pair moved to {other}");
    }
    // A third copy arrives: the group takes the least of the two, and the
    // near-copy stays a reprint of every copy.
    let second = write_jsonl(dir.path(), "run2.jsonl", &[c2]);
    ingest(&data, &second);
    let db = rusqlite::Connection::open(&db_path).expect("the archive");
    let representatives = count(
        &db,
        "SELECT COUNT(*) FROM related_features WHERE copy_of IS NULL AND article_id != ?1",
        &near_id,
    );
    assert_eq!(representatives, 1, "one representative for the text");
    let copies = count(
        &db,
        "SELECT COUNT(*) FROM related_features WHERE copy_of = ?1",
        &least,
    );
    assert_eq!(copies, 2, "two copies under {least}");
    let shown = reprints_of(&data, &near_id);
    assert_eq!(shown.len(), 3, "the near-copy's reprints: {shown:?}");
    assert!(shown.contains_key(&least) && shown.contains_key(&other));
}

/// Whether `show` fails for an article that is gone.
fn run_fails_show(data: &Path, id: &str) -> bool {
    !run(data, &["show", id]).status.success()
}
