//! Korean text pages and the annotated New Year addresses through the real
//! binary: ingest, `show` (text and JSON) and the article page, with the
//! expectations for the corpus computed here from the files themselves.

mod common;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use common::*;

fn korean_fixture() -> PathBuf {
    repo().join("crates/read/tests/fixtures/rodong-ko.txt")
}

/// The one article of a data directory, by `export`.
fn only_article(data: &Path) -> serde_json::Value {
    let rows = ok(data, &["export", "--format", "jsonl"]);
    let ids: Vec<String> = rows
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("JSON line");
            v["id"].as_str().expect("id").to_string()
        })
        .collect();
    assert_eq!(ids.len(), 1, "{rows}");
    json(data, &["show", &ids[0], "--json"])
}

/// GET `path` from a server at `addr` (HTTP/1.0: a body not chunked).
fn get(addr: &str, path: &str) -> String {
    let mut s = std::net::TcpStream::connect(addr).expect("connect");
    write!(s, "GET {path} HTTP/1.0\r\nHost: x\r\n\r\n").expect("send");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("read");
    assert!(
        out.starts_with("HTTP/1.1 200") || out.starts_with("HTTP/1.0 200"),
        "{out}"
    );
    out
}

#[test]
fn a_korean_text_page_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let s = json(
        &data,
        &["ingest", "--json", korean_fixture().to_str().unwrap()],
    );
    assert_eq!(
        (s["new_articles"].as_u64(), s["rejected"].as_u64()),
        (Some(1), Some(0)),
        "{s}"
    );
    assert_eq!(s["warnings"].as_array().map(Vec::len), Some(0), "{s}");
    let a = only_article(&data);
    assert_eq!(a["outlet"], "rodong");
    assert_eq!(a["published"], "2013-01-01");
    assert_eq!(a["title"], "신년사");
    assert_eq!(a["language"], "ko");
    assert_eq!(a["language_detected"], true);
    assert_eq!(a["commentary"], serde_json::Value::Null);
    let paragraphs = a["paragraphs"].as_array().unwrap();
    assert_eq!(paragraphs.len(), 5);
    assert_eq!(paragraphs[0], "친애하는 동지들!");
    let text = ok(&data, &["show", a["id"].as_str().unwrap()]);
    assert!(text.contains("ko (detected)"), "{text}");
    assert!(!text.contains("Commentary"), "{text}");

    // The same page in EUC-KR, a wrong weekday and a kcna masthead.
    let page = std::fs::read_to_string(korean_fixture())
        .unwrap()
        .replace("로동신문", "조선중앙통신사")
        .replace("화요일", "수요일");
    let (bytes, _, bad) = encoding_rs::EUC_KR.encode(&page);
    assert!(!bad);
    let euc = dir.path().join("euc-kr.txt");
    std::fs::write(&euc, &bytes).unwrap();
    let data2 = dir.path().join("data2");
    let s = json(&data2, &["ingest", "--json", euc.to_str().unwrap()]);
    assert_eq!(s["new_articles"], 1, "{s}");
    let warnings = s["warnings"].to_string();
    assert!(warnings.contains("EUC-KR"), "{warnings}");
    assert!(
        warnings.contains("dateline says 수요일 but 2013-01-01 is a Tuesday"),
        "{warnings}"
    );
    let b = only_article(&data2);
    assert_eq!(b["outlet"], "kcna");
    assert_eq!(b["published"], "2013-01-01");
    assert_eq!(b["paragraphs"], a["paragraphs"]);
}

/// What a file of the New Year addresses says, read here with plain string
/// handling: the date of its second non-blank line (`... - 1976년 01월
/// 01일`), whether it has a `원 문` line, the first paragraph after it.
struct Address {
    date: Option<String>,
    first_paragraph: Option<String>,
}

fn read_address(path: &Path) -> Address {
    let bytes = std::fs::read(path).unwrap();
    let text = String::from_utf8(bytes).expect("the addresses are UTF-8");
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let lines: Vec<&str> = text.lines().collect();
    let nonblank: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| !l.trim().is_empty())
        .collect();
    let date = nonblank.get(1).and_then(|l| {
        let after = l.rsplit_once('-')?.1.trim();
        let (y, rest) = after.split_once('년')?;
        let (m, rest) = rest.split_once('월')?;
        let (d, rest) = rest.split_once('일')?;
        let n = |s: &str| s.trim().parse::<u32>().ok();
        if !rest.trim().is_empty() {
            return None;
        }
        Some(format!("{:04}-{:02}-{:02}", n(y)?, n(m)?, n(d)?))
    });
    let squeeze = |l: &str| l.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let first_paragraph = lines.iter().position(|l| squeeze(l) == "원문").map(|at| {
        lines[at + 1..]
            .iter()
            .map(|l| l.trim_matches(|c: char| c.is_whitespace()))
            .skip_while(|l| l.is_empty())
            .take_while(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    });
    Address {
        date,
        first_paragraph,
    }
}

#[test]
#[ignore = "needs ../shared/corpus (cargo test -- --include-ignored)"]
fn the_new_year_addresses_with_the_documented_command() {
    let corpus = shared().join("corpus/nk-new-year-addresses");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 73);
    let mut by_date: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut free_form = Vec::new();
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        match read_address(f) {
            Address {
                date: Some(date),
                first_paragraph: Some(first),
            } => {
                assert!(by_date.insert(date, (name, first)).is_none(), "one a day");
            }
            _ => free_form.push(name),
        }
    }
    // 1946–2003 and 2006 are annotated; the other 15 are copies with no
    // date line and no `원 문` (docs/capture-format.md).
    assert_eq!((by_date.len(), free_form.len()), (58, 15), "{free_form:?}");

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // Without `--format address`, the 15 files that mark neither title
    // nor date are not taken for addresses.
    let plain = dir.path().join("plain");
    let out = std::process::Command::new(bin())
        .current_dir(repo())
        .env("TEALEAF_DATA", &plain)
        .args([
            "ingest",
            "--json",
            "../shared/corpus/nk-new-year-addresses/",
        ])
        .output()
        .unwrap();
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    assert_eq!(s["new_articles"], 58, "{s}");
    assert_eq!(s["rejected"], 15, "{s}");
    assert_eq!(
        out.status.code(),
        Some(1),
        "rejections make the exit status 1"
    );
    let mut rejected: Vec<String> = s["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert!(e["line"].as_u64() >= Some(1), "{e}");
            assert!(e["message"].as_str().unwrap().contains("원 문"), "{e}");
            let source = e["source"].as_str().unwrap();
            source.rsplit('/').next().unwrap().to_string()
        })
        .collect();
    rejected.sort();
    assert_eq!(rejected, free_form);

    // The command of docs/capture-format.md, from the repository: every
    // file one article; those that mark no date are dated from their name.
    let out = std::process::Command::new(bin())
        .current_dir(repo())
        .env("TEALEAF_DATA", &data)
        .args([
            "ingest",
            "--json",
            "--format",
            "address",
            "../shared/corpus/nk-new-year-addresses/",
        ])
        .output()
        .unwrap();
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    assert_eq!(s["new_articles"], 73, "{s}");
    assert_eq!(s["rejected"], 0, "{s}");
    assert!(out.status.success());
    for name in &free_form {
        let year = name.trim_end_matches(".txt");
        let day = format!("{year}-01-01");
        let found = ok(
            &data,
            &["export", "--from", &day, "--to", &day, "--format", "jsonl"],
        );
        assert_eq!(found.lines().count(), 1, "{name}: {found}");
        let row: serde_json::Value = serde_json::from_str(found.trim()).unwrap();
        let a = json(&data, &["show", row["id"].as_str().unwrap(), "--json"]);
        assert_eq!(a["title"], "신년사", "{name}");
        assert!(
            a["warnings"].to_string().contains("dated from its name")
                || a["warnings"].to_string().contains("from its name"),
            "{name}: {}",
            a["warnings"]
        );
    }

    let rows = ok(&plain, &["export", "--format", "jsonl"]);
    let mut seen = 0;
    for row in rows.lines() {
        let row: serde_json::Value = serde_json::from_str(row).unwrap();
        let a = json(&plain, &["show", row["id"].as_str().unwrap(), "--json"]);
        let date = a["published"].as_str().unwrap();
        let (file, first) = by_date
            .get(date)
            .unwrap_or_else(|| panic!("{date} is the date line of no file: {a}"));
        assert_eq!(a["paragraphs"][0], first.as_str(), "{file}");
        assert_eq!(a["outlet"], "rodong", "{file}");
        assert_eq!(a["language"], "ko", "{file}");
        assert_eq!(a["language_detected"], true, "{file}");
        let commentary = a["commentary"].as_str().unwrap_or_else(|| panic!("{file}"));
        let body = a["paragraphs"].to_string();
        // The source line closing each is the editor's, not the text's.
        assert!(!body.contains("조선로동당출판사"), "{file}");
        if date == "1950-01-01" {
            assert!(commentary.contains("남침을 6개월 앞두고"), "{commentary}");
            assert!(!body.contains("남침을 6개월 앞두고"));
            assert!(commentary.ends_with("pp.352~357."), "{commentary}");
        }
        seen += 1;
    }
    assert_eq!(seen, 58);

    // 1987's address is the speech of 30 December 1986, dated so; its
    // commentary is under its own heading, after the text.
    let found = ok(
        &data,
        &[
            "export",
            "--from",
            "1986-12-30",
            "--to",
            "1986-12-30",
            "--format",
            "jsonl",
        ],
    );
    let row: serde_json::Value =
        serde_json::from_str(found.trim()).unwrap_or_else(|e| panic!("{e}: {found}"));
    let id = row["id"].as_str().unwrap().to_string();
    let text = ok(&data, &["show", &id]);
    let text_at = text.find("대의원동지들!").expect("the text");
    let heading = text
        .find("Commentary (the editor's, not part of the text)")
        .expect("heading");
    let note = text
        .find("김일성은 1987년 신년사를 발표하지 않았다")
        .expect("commentary");
    assert!(text_at < heading && heading < note, "{text}");
}

#[test]
fn the_article_page_shows_the_commentary_apart_and_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("1976.txt");
    std::fs::write(
        &file,
        "신년사 \n\n- 1976년 01월 01일 \n해 제\n\n해제 <b>굵게</b> & 끝.\n\n원 문\n\n동지들!\n\n새해를 맞이합니다.\n",
    )
    .unwrap();
    ok(&data, &["ingest", file.to_str().unwrap()]);
    let a = only_article(&data);
    assert_eq!(a["commentary"], "해제 <b>굵게</b> & 끝.");
    assert_eq!(
        a["paragraphs"],
        serde_json::json!(["동지들!", "새해를 맞이합니다."])
    );
    let id = a["id"].as_str().unwrap().to_string();

    let (_server, mut lines) = serve(&data);
    let first = lines.next().and_then(|l| l.ok()).unwrap_or_default();
    let addr = first
        .strip_prefix("listening on http://")
        .map(|a| a.trim_end_matches('/').to_string())
        .expect("the address line");
    let page = get(&addr, &format!("/article/{id}"));
    let heading = page
        .find("Commentary (not part of the text)")
        .expect("heading");
    assert!(page.find("새해를 맞이합니다.").unwrap() < heading);
    assert!(
        page.contains("해제 &lt;b&gt;굵게&lt;/b&gt; &amp; 끝."),
        "{page}"
    );
    assert!(!page.contains("<b>굵게"));
    assert!(page.contains("ko (detected)"));
    let twin = get(&addr, &format!("/article/{id}.json"));
    let body = twin.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    let v: serde_json::Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {twin}"));
    assert_eq!(v["commentary"], a["commentary"]);
    assert_eq!(v["language_detected"], true);
}
