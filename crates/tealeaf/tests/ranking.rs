//! A name typed as people type it, on KCNA's last week of 2011 (the real
//! corpus): `Kim Jong Un` unquoted finds every article with the three
//! words, and ranks every article holding the name before any that holds
//! the words apart (Spanish *un*, "UN Organizations Mourn Kim Jong Il").

mod common;

use common::*;

#[test]
fn kim_jong_un_unquoted_ranks_his_articles_first() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let records = kcna_records("2011-12-24", "2011-12-31");
    let file = dir.path().join("week.jsonl");
    std::fs::write(&file, records.join("\n") + "\n").expect("written");
    let data = dir.path().join("data");
    let path = file.to_str().expect("utf-8");
    ok(
        &data,
        &[
            "ingest",
            "--outlet",
            "kcna",
            "--map",
            "published=date,body=story",
            path,
        ],
    );
    // Counted from the records themselves: those holding the name, and
    // those holding the three words anywhere.
    let name = |text: &str| {
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        words.windows(3).any(|w| w == ["kim", "jong", "un"])
    };
    let (mut with_name, mut with_words) = (0, 0);
    for r in &records {
        let v: serde_json::Value = serde_json::from_str(r).expect("a record");
        let text = format!(
            "{}\n{}",
            v["title"].as_str().unwrap_or(""),
            v["story"].as_str().unwrap_or("")
        );
        let lower = text.to_lowercase();
        let has = |w: &str| lower.split(|c: char| !c.is_alphanumeric()).any(|x| x == w);
        if has("kim") && has("jong") && has("un") {
            with_words += 1;
            with_name += usize::from(name(&text));
        }
    }
    assert!(
        with_words > with_name,
        "the week has articles with the words apart"
    );
    let found = json(
        &data,
        &["search", "Kim Jong Un", "--limit", "1000", "--json"],
    );
    assert_eq!(found["total"].as_u64(), Some(with_words as u64));
    let hits = found["hits"].as_array().expect("hits");
    // Each hit's stored text, read back: does it hold the name?
    let named: Vec<bool> = hits
        .iter()
        .map(|h| {
            let shown = json(&data, &["show", h["id"].as_str().expect("an id"), "--json"]);
            let paragraphs: Vec<&str> = shown["paragraphs"]
                .as_array()
                .map(|ps| ps.iter().filter_map(|p| p.as_str()).collect())
                .unwrap_or_default();
            name(&format!(
                "{}\n{}",
                shown["title"].as_str().unwrap_or(""),
                paragraphs.join("\n")
            ))
        })
        .collect();
    assert_eq!(named.iter().filter(|n| **n).count(), with_name);
    assert!(
        named[..with_name].iter().all(|n| *n),
        "every article naming him comes before any with the words apart: {named:?}"
    );
    let mourn = hits
        .iter()
        .position(|h| h["title"] == "UN Organizations Mourn Kim Jong Il's Demise")
        .expect("the UN article matches the words");
    assert!(mourn >= with_name, "ranked {mourn}");
}
