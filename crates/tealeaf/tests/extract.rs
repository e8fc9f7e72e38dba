//! `tealeaf extract` and HTML ingest as a user meets them: bad pages are
//! named and skipped without taking the good ones down, charsets are
//! decoded, and the whole dev set of real pages reads without a panic.

mod common;

use common::*;
use serde_json::Value;

fn lines(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

const ARTICLE: &str = "<!DOCTYPE html><html lang=\"en\"><head><title>Talks Held in Pyongyang</title></head>\
<body><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav><article><h1>Talks Held in Pyongyang</h1>\
<p>Talks between the delegations of the two countries were held in Pyongyang on Tuesday, the first in many years.</p>\
<p>Present there were officials of the ministries concerned, who discussed cooperation in the fields of economy and culture.</p>\
<p>The talks proceeded in a friendly atmosphere, and both sides agreed to meet again in the new year.</p>\
</article><footer>Copyright 2026. All rights reserved.</footer></body></html>";

#[test]
fn bad_pages_are_named_and_the_good_one_still_reads() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("pages");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("a-good.html"), ARTICLE).unwrap();
    std::fs::write(
        dir.join("b-image.html"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10",
    )
    .unwrap();
    // 50 MB: over the one-page limit.
    let mut big = String::from("<html><body>");
    while big.len() < 50 << 20 {
        big.push_str("<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>\n");
    }
    std::fs::write(dir.join("c-big.html"), big).unwrap();
    std::fs::write(dir.join("notes.txt"), "not a page, not listed").unwrap();
    let missing = tmp.path().join("missing.html");

    let out = std::process::Command::new(bin())
        .args(["extract", "--json"])
        .arg(&dir)
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let got = lines(&out.stdout);
    let files: Vec<&str> = got.iter().map(|v| v["file"].as_str().unwrap()).collect();
    assert_eq!(files.len(), 4, "{files:?}");
    assert!(files[0].ends_with("a-good.html") && files[3].ends_with("missing.html"));
    assert_eq!(got[0]["profile"], "generic");
    assert_eq!(got[0]["title"], "Talks Held in Pyongyang");
    assert_eq!(got[0]["language"], "en");
    assert!(got[0]["paragraphs"][0]
        .as_str()
        .unwrap()
        .starts_with("Talks between"));
    assert!(got[0].get("error").is_none());
    assert!(
        got[1]["error"]
            .as_str()
            .unwrap()
            .contains("not an HTML page"),
        "{}",
        got[1]
    );
    assert!(
        got[2]["error"].as_str().unwrap().contains("limit"),
        "{}",
        got[2]
    );
    assert!(
        got[3]["error"].as_str().unwrap().contains("cannot open"),
        "{}",
        got[3]
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    for name in ["b-image.html", "c-big.html", "missing.html"] {
        assert!(stderr.contains(name), "{name} not named: {stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn windows_1252_and_euc_kr_pages_decode() {
    let tmp = tempfile::tempdir().unwrap();
    let latin = tmp.path().join("latin.html");
    let mut bytes = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">\
<title>Caf\xe9 \x93Pyongyang\x94</title></head><body><article><h1>Caf\xe9 \x93Pyongyang\x94</h1>"
        .to_vec();
    for _ in 0..3 {
        bytes.extend_from_slice(b"<p>The caf\xe9 on the river bank opened its doors to visitors from abroad, who praised its na\xefve charm.</p>");
    }
    bytes.extend_from_slice(b"</article></body></html>");
    std::fs::write(&latin, bytes).unwrap();
    let korean = tmp.path().join("korean.html");
    let text = "<html><head><meta charset=\"euc-kr\"><title>로동신문</title></head><body><article><h1>경애하는 김정은동지께서 새해 축하문을 보내시였다</h1>\
<p>경애하는 김정은동지께서 해외작전부대 지휘관, 전투원들에게 새해 축하문을 보내시였다.</p>\
<p>축하문의 전문은 다음과 같다. 조국을 멀리 떠나 있는 동지들에게 따뜻한 인사를 보낸다.</p>\
<p>온 나라가 새해를 맞이하는 기쁨에 넘쳐있는 지금 이 시각에도 나는 동지들을 먼저 생각한다.</p></article></body></html>";
    std::fs::write(&korean, encoding_rs::EUC_KR.encode(text).0).unwrap();
    let out = std::process::Command::new(bin())
        .args(["extract", "--json"])
        .arg(&latin)
        .arg(&korean)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let got = lines(&out.stdout);
    assert_eq!(got[0]["title"], "Café “Pyongyang”");
    assert!(got[0]["paragraphs"][0].as_str().unwrap().contains("naïve"));
    assert!(
        got[1]["paragraphs"][0]
            .as_str()
            .unwrap()
            .contains("해외작전부대"),
        "{}",
        got[1]
    );
}

#[test]
#[ignore = "needs ../shared/corpus (cargo test -- --include-ignored)"]
fn the_dev_set_extracts_and_ingests_without_a_panic() {
    let pages = shared().join("corpus/html-dev/pages");
    let out = std::process::Command::new(bin())
        .args(["extract", "--json"])
        .arg(&pages)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let got = lines(&out.stdout);
    assert_eq!(got.len(), 990);
    let with_text = got
        .iter()
        .filter(|v| v["paragraphs"].as_array().is_some_and(|p| !p.is_empty()))
        .count();
    assert!(with_text >= 970, "only {with_text} of 990 pages gave text");

    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let out = run(&data, &["ingest", "--json", pages.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(matches!(out.status.code(), Some(0 | 1)), "{stderr}");
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        summary["read"].as_u64().unwrap() + summary["rejected"].as_u64().unwrap(),
        990,
        "{summary}"
    );
    assert!(
        summary["new_articles"].as_u64().unwrap() >= 900,
        "{summary}"
    );
}

/// The site profiles' fixtures (crates/html/tests/fixtures) through the
/// command, as a script reads them: the JSON fields and their values.
#[test]
fn extract_json_reads_the_profiled_fixtures() {
    let fixtures = repo().join("crates/html/tests/fixtures");
    let out = std::process::Command::new(bin())
        .args(["extract", "--json"])
        .arg(&fixtures)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let got = lines(&out.stdout);
    let by_name = |name: &str| -> &Value {
        got.iter()
            .find(|v| v["file"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("{name} not extracted"))
    };
    let rodong = by_name("rodong-current-en.html");
    assert_eq!(rodong["profile"], "rodong");
    assert_eq!(rodong["outlet"], "rodong");
    assert_eq!(rodong["language"], "en");
    assert_eq!(rodong["published"], "2026-01-01");
    assert_eq!(rodong["photo_count"], 11);
    assert_eq!(rodong["media"], serde_json::json!(["photo"]));
    assert!(rodong["title"]
        .as_str()
        .unwrap()
        .starts_with("Respected Comrade Kim Jong Un Sends New Year"));
    assert!(rodong["paragraphs"][0]
        .as_str()
        .unwrap()
        .starts_with("The respected Comrade Kim Jong Un sent"));
    for field in [
        "file",
        "url",
        "profile",
        "outlet",
        "language",
        "published",
        "title",
        "paragraphs",
        "byline",
        "media",
        "photo_count",
        "warnings",
    ] {
        assert!(rodong.get(field).is_some(), "no `{field}` in {rodong}");
    }
    let kcna = by_name("kcna-juche-en.html");
    assert_eq!(kcna["profile"], "kcna");
    assert_eq!(kcna["published"], "2011-12-01");
    assert_eq!(kcna["place"], "Pyongyang");
    assert_eq!(kcna["title"], "Kim Jong Il Congratulates Lao President");
    // A page saved without its url: --url names it.
    let out = std::process::Command::new(bin())
        .args([
            "extract",
            "--json",
            "--url",
            "http://www.kcna.kp/en/article/list/1",
        ])
        .arg(fixtures.join("kcna-list-en.html"))
        .output()
        .unwrap();
    let list = &lines(&out.stdout)[0];
    assert_eq!(list["kind"], "listing", "{list}");
    assert_eq!(list["url"], "http://www.kcna.kp/en/article/list/1");
    assert_eq!(list["key"], Value::Null);
}
