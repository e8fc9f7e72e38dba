//! One person in every script: an archive holding New Year addresses in
//! Korean and kcna-2011 articles in English answers `person 김일성` and
//! `person "Kim Il Sung"` with the same person, counting mentions from both
//! languages; other spellings and an unknown Hangul name find theirs.

mod common;

use std::io::BufRead;

use common::*;

/// A New Year address as a JSONL record: its first line as the title, the
/// speech (after `원 문` when the file has one) one paragraph a line,
/// dated January 1st of its year. (The files are UTF-8, one with a BOM,
/// some with CRLF line ends.)
fn address(year: u32) -> serde_json::Value {
    let path = shared().join(format!("corpus/nk-new-year-addresses/{year}.txt"));
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text
        .trim_start_matches('\u{feff}')
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let body = match lines.iter().position(|l| *l == "원 문") {
        Some(i) => &lines[i + 1..],
        None => &lines[1..],
    };
    serde_json::json!({
        "date": format!("{year}-01-01"),
        "title": lines[0],
        "story": body.join("\n\n"),
        "language": "ko",
    })
}

/// The first `n` English kcna-2011 records whose story holds `phrase`,
/// each (date, title) once (repeats are one article).
fn kcna_naming(phrase: &str, n: usize) -> Vec<serde_json::Value> {
    let path = shared().join("corpus/kcna/kcna-2011.jsonl.gz");
    let file = std::fs::File::open(&path).unwrap();
    let reader = std::io::BufReader::new(flate2::read::MultiGzDecoder::new(file));
    let mut seen = std::collections::HashSet::new();
    reader
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(&l.unwrap()).unwrap())
        .filter(|v| v["language"] == "en" && v["story"].as_str().unwrap_or("").contains(phrase))
        .filter(|v| seen.insert((v["date"].to_string(), v["title"].to_string())))
        .take(n)
        .collect()
}

#[test]
#[ignore = "needs ../shared/corpus (cargo test -- --include-ignored)"]
fn a_person_is_one_across_scripts_and_spellings() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let korean: Vec<serde_json::Value> = [1968, 1970, 1995, 1996].map(address).to_vec();
    let ko = write_jsonl(dir.path(), "addresses.jsonl", &korean);
    // "President Kim Il Sung" is always the person (never a prize's or a
    // square's name).
    let english = kcna_naming("President Kim Il Sung", 20);
    assert_eq!(english.len(), 20);
    let en = write_jsonl(dir.path(), "kcna.jsonl", &english);
    for (outlet, file) in [("rodong", &ko), ("kcna", &en)] {
        ok(
            &data,
            &[
                "ingest",
                "--outlet",
                outlet,
                "--map",
                "published=date,body=story",
                file.to_str().unwrap(),
            ],
        );
    }

    let by_hangul = json(&data, &["person", "--json", "김일성"]);
    let by_roman = json(&data, &["person", "--json", "Kim Il Sung"]);
    assert_eq!(by_hangul["name"], "Kim Il Sung");
    assert_eq!(by_hangul, by_roman);
    // Articles from both languages: the four addresses (January 1st of
    // their years) and the twenty English articles of 2011.
    assert_eq!(by_roman["articles"].as_u64().unwrap(), 24, "{by_roman}");
    let months: Vec<&str> = by_roman["by_month"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["period"].as_str().unwrap())
        .collect();
    for year in ["1968-01", "1970-01", "1995-01", "1996-01"] {
        assert!(months.contains(&year), "{year} missing from {months:?}");
    }
    assert!(months.iter().any(|m| m.starts_with("2011-")), "{months:?}");
    // Dozens of Korean mentions (김일성동지의, 김일성동지께서 ...) beside
    // the English ones.
    let korean_mentions: u64 = by_roman["by_month"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| !m["period"].as_str().unwrap().starts_with("2011"))
        .map(|m| m["mentions"].as_u64().unwrap())
        .sum();
    assert!(korean_mentions >= 60, "{korean_mentions} Korean mentions");

    // Other spellings of the same person.
    for spelling in ["kim il sung", "Kim Il-sung", "KIM IL SUNG"] {
        assert_eq!(
            json(&data, &["person", "--json", spelling])["name"],
            "Kim Il Sung",
            "{spelling}"
        );
    }
    assert_eq!(
        json(&data, &["person", "--json", "김정일"])["name"],
        json(&data, &["person", "--json", "Kim Jong Il"])["name"]
    );
    // A name no list knows, found next to 동지 in the 1970 address and
    // stored romanized DPRK-style: asked for in Hangul or romanized.
    let choe = json(&data, &["person", "--json", "최영도"]);
    assert_eq!(choe["name"], "Choe Yong Do");
    assert_eq!(
        json(&data, &["person", "--json", "Choe Yong-do"])["name"],
        "Choe Yong Do"
    );
    // Nobody is made up: a name mentioned nowhere is an error.
    let out = run(&data, &["person", "홍길동"]);
    assert!(!out.status.success());
}
