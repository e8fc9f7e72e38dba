//! Hangul search with full recall, on the real New Year addresses: for
//! each word, the search's total equals the number of files that hold the
//! word as a string (what `grep -l` counts), computed here from the files.

mod common;
use common::*;

/// Words of one to many files, names, particles glued or not, Hanja-free.
const WORDS: &[&str] = &[
    "인민",
    "김일성",
    "김정일",
    "김정은",
    "조국",
    "통일",
    "사회주의",
    "로동당",
    "혁명",
    "동지들",
    "경제",
    "농업",
    "공업",
    "과학",
    "청년",
    "인민군",
    "승리",
    "새해",
    "평화",
    "자주",
    "미제",
    "남조선",
    "주체사상",
    "천리마",
    "수령님",
    "경애하는",
    "강성국가",
    "선군",
    "원수님",
    "조선로동당",
    "인민경제",
    "김정은동지",
];

fn files() -> Vec<(String, String)> {
    let dir = shared().join("corpus/nk-new-year-addresses");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            out.push((name, text.trim_start_matches('\u{feff}').to_string()));
        }
    }
    out.sort();
    assert_eq!(out.len(), 73, "the corpus has 73 addresses");
    out
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn every_hangul_word_finds_every_file_that_holds_it() {
    let files = files();
    let tmp = tempfile::tempdir().unwrap();
    // Each file whole as one record: search must find a word wherever the
    // file holds it, whatever the reader makes of the file's parts.
    let lines: Vec<serde_json::Value> = files
        .iter()
        .map(|(name, text)| {
            serde_json::json!({
                "id": format!("address-{name}"), "outlet": "rodong", "language": "ko",
                "published": format!("{name}-01-01"), "title": "신년사", "body": text,
            })
        })
        .collect();
    let input = write_jsonl(tmp.path(), "addresses.jsonl", &lines);
    let data = tmp.path().join("data");
    ok(&data, &["ingest", input.to_str().unwrap()]);

    let mut checked = 0;
    for word in WORDS {
        let expected = files.iter().filter(|(_, t)| t.contains(word)).count();
        let got = json(&data, &["search", word, "--json", "--limit", "100"]);
        let total = got["total"].as_u64().unwrap() as usize;
        assert_eq!(
            total, expected,
            "`{word}`: search total against files holding it"
        );
        // The hits are exactly those files.
        let mut hit_ids: Vec<String> = got["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect();
        hit_ids.sort();
        let mut want: Vec<String> = files
            .iter()
            .filter(|(_, t)| t.contains(word))
            .map(|(n, _)| format!("address-{n}"))
            .collect();
        want.sort();
        assert_eq!(hit_ids, want, "`{word}`");
        if expected > 0 {
            checked += 1;
        }
    }
    assert!(checked >= 20, "at least 20 words occur: {checked}");

    // The trend counts each occurrence, inside longer words too.
    let trend = json(&data, &["trend", "인민", "--by", "year", "--json"]);
    let periods = trend["terms"]["인민"].as_array().unwrap();
    let mut counted = 0;
    for period in periods {
        let year = period["period"].as_str().unwrap();
        // Years with no address (1957) are shown with nothing.
        let expected = files
            .iter()
            .find(|(name, _)| name == year)
            .map_or(0, |(_, text)| text.matches("인민").count());
        assert_eq!(
            period["mentions"].as_u64().unwrap() as usize,
            expected,
            "{year}"
        );
        counted += usize::from(expected > 0);
    }
    assert_eq!(counted, files.len());

    // The same through the reader of the addresses (docs/capture-format.md):
    // title, text and the commentary kept apart are all searched.
    let read = tmp.path().join("read");
    let dir = shared().join("corpus/nk-new-year-addresses");
    ok(
        &read,
        &["ingest", "--format", "address", dir.to_str().unwrap()],
    );
    for word in WORDS {
        let expected = files.iter().filter(|(_, t)| t.contains(word)).count();
        let got = json(&read, &["search", word, "--json"]);
        assert_eq!(
            got["total"].as_u64().unwrap() as usize,
            expected,
            "`{word}`, read as addresses"
        );
    }

    // A phrase of two words: the first word ends a run of Hangul, the
    // second begins the next one (white space or punctuation between).
    let phrase = "\"조선 인민\"";
    let expected = files
        .iter()
        .filter(|(_, t)| {
            let runs = words_of(t);
            runs.windows(2)
                .any(|w| w[0].ends_with("조선") && w[1].starts_with("인민"))
        })
        .count();
    let got = json(&data, &["search", phrase, "--json"]);
    assert_eq!(
        got["total"].as_u64().unwrap() as usize,
        expected,
        "{phrase}"
    );
    assert!(expected > 0);
}

/// The text's words as the search sees their order: runs of letters and
/// digits, a change between Hangul and other letters ending a word.
fn words_of(text: &str) -> Vec<String> {
    let hangul = |c: char| ('\u{ac00}'..='\u{d7a3}').contains(&c);
    let mut out: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        let same = word.chars().last().is_some_and(|l| hangul(l) == hangul(c));
        if (!c.is_alphanumeric() || !same) && !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        if c.is_alphanumeric() {
            word.push(c);
        }
    }
    out
}
