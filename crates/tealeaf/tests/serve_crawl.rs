//! `tealeaf serve`'s crawl page (`/crawl`, `/crawl.json`): the real binary
//! on a data directory whose crawl state was written through
//! `CrawlStore`, as the crawler writes it. Talks to 127.0.0.1 only.

mod common;

use std::io::{Read, Write};
use std::path::Path;

use common::*;
use serde_json::{json, Value};
use tealeaf_archive::crawl::{CrawlStore, FetchOutcome, ARTICLE, LISTING};

/// `tealeaf serve` on `data` at a free port of 127.0.0.1, read-only; the
/// server (with its stdout) and its address.
fn serve_at(data: &Path) -> ((Kill, ServerOut), String) {
    let (server, mut lines) = serve(data);
    let first = lines.next().and_then(|l| l.ok()).unwrap_or_default();
    let addr = first
        .strip_prefix("listening on http://")
        .map(|a| a.trim_end_matches('/').to_string())
        .unwrap_or_else(|| panic!("no address line: {first:?}"));
    assert!(addr.starts_with("127.0.0.1:"), "{addr}");
    ((server, lines), addr)
}

/// GET `path` (with an `Accept` header if given): the status line, the
/// head and the body.
fn get(addr: &str, path: &str, accept: Option<&str>) -> (String, String, String) {
    let mut s = std::net::TcpStream::connect(addr).expect("connect");
    let accept = accept
        .map(|a| format!("Accept: {a}\r\n"))
        .unwrap_or_default();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: x\r\n{accept}Connection: close\r\n\r\n"
    )
    .expect("send");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("read");
    let (head, body) = out.split_once("\r\n\r\n").expect("a head and a body");
    let status = head.lines().next().unwrap_or_default().to_string();
    (status, head.to_string(), body.to_string())
}

fn get_json(addr: &str, path: &str) -> Value {
    let (status, head, body) = get(addr, path, None);
    assert!(status.starts_with("HTTP/1.1 200"), "{status}\n{body}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{head}"
    );
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

/// A data directory with one article ingested (so the archive exists) and
/// no crawl.
fn ingested() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = write_jsonl(
        tmp.path(),
        "one.jsonl",
        &[json!({"id": "one", "outlet": "kcna", "language": "en",
                 "published": "2026-01-01", "url": "http://kcna.example/one",
                 "captured_at": "2026-01-01T06:00:00Z", "title": "One article",
                 "paragraphs": ["A sentence to search."]})],
    );
    let summary = json(
        &tmp.path().join("data"),
        &["ingest", "--json", file.to_str().expect("utf-8")],
    );
    assert_eq!(summary["new_articles"], 1, "{summary}");
    tmp
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64
}

const HOST: &str = "rodong.rep.kp";
const OTHER_HOST: &str = "kcna.kp";
const EVIL: &str = "<script>alert(1)</script>";

#[test]
fn the_crawl_page_shows_what_the_crawler_stored_escaped() {
    let tmp = ingested();
    let data = tmp.path().join("data");
    let now = unix_now();
    let summary = json!({"fetched": 3, "new_articles": 1, "new_versions": 0, "removals": 1,
                         "not_modified": 1, "errors": 1, "robots_disallowed": 2,
                         "seconds": 4.5});
    {
        let store = CrawlStore::open(&data.join("archive.sqlite")).expect("open the store");
        let a1 = format!("http://{HOST}/en/article/1");
        let a2 = format!("http://{HOST}/en/article/2");
        let gone = format!("http://{OTHER_HOST}/en/article/3");
        let listing = format!("http://{HOST}/en/index.php");
        assert!(store.add(&a1, HOST, ARTICLE, now - 600, now - 60).unwrap());
        assert!(store.add(&a2, HOST, ARTICLE, now - 600, now - 30).unwrap());
        assert!(store
            .add(&gone, OTHER_HOST, ARTICLE, now - 600, now - 600)
            .unwrap());
        assert!(store
            .add(&listing, HOST, LISTING, now - 600, now + 3600)
            .unwrap());
        store
            .fetched(
                &gone,
                &FetchOutcome {
                    at: Some(now - 300),
                    status: 404,
                    checks: 1,
                    due_at: now + 86_400,
                    gone: true,
                    ..Default::default()
                },
            )
            .unwrap();
        store
            .set_robots(HOST, Some("User-agent: *\nDisallow: /cgi/"), now - 500)
            .unwrap();
        store.host_fetched(HOST, now - 400, None).unwrap();
        store.host_fetched(HOST, now - 300, Some(EVIL)).unwrap();
        store.host_fetched(OTHER_HOST, now - 300, None).unwrap();
        let round = store.start_round("crawl", now - 500).unwrap();
        store.finish_round(round, now - 200, &summary).unwrap();
        store.start_round("wayback", now - 100).unwrap();
    }

    let (_server, addr) = serve_at(&data);

    // The twin: the numbers as written, plus `now`.
    let j = get_json(&addr, "/crawl.json");
    assert!(j["now"].as_i64().expect("now") >= now, "{j}");
    assert_eq!(j["urls"], 4, "{j}");
    assert_eq!(j["articles"], 3, "{j}");
    assert_eq!(j["listings"], 1, "{j}");
    assert_eq!(j["never_fetched"], 3, "{j}");
    assert_eq!(j["gone"], 1, "{j}");
    // The two never fetched articles; the gone one is re-checked tomorrow.
    assert_eq!(j["due_now"], 2, "{j}");
    assert_eq!(j["next_due"], now + 3600, "{j}");
    assert_eq!(j["wayback_captures"], 0, "{j}");
    let hosts = j["hosts"].as_array().expect("hosts");
    assert_eq!(hosts.len(), 2, "{j}");
    // Ordered by host.
    assert_eq!(hosts[0]["host"], OTHER_HOST);
    assert_eq!(hosts[0]["errors"], 0);
    assert_eq!(hosts[0]["robots_at"], Value::Null);
    let h = &hosts[1];
    assert_eq!(h["host"], HOST);
    assert_eq!(h["fetches"], 2);
    assert_eq!(h["errors"], 1);
    assert_eq!(h["last_error"], EVIL);
    assert_eq!(h["last_error_at"], now - 300);
    assert_eq!(h["last_fetch_at"], now - 300);
    assert_eq!(h["robots_at"], now - 500);
    let rounds = j["rounds"].as_array().expect("rounds");
    assert_eq!(rounds.len(), 2, "{j}");
    // Newest first: the wayback round still open, then the finished crawl.
    assert_eq!(rounds[0]["kind"], "wayback");
    assert_eq!(rounds[0]["finished_at"], Value::Null);
    assert_eq!(rounds[1]["kind"], "crawl");
    assert_eq!(rounds[1]["started_at"], now - 500);
    assert_eq!(rounds[1]["finished_at"], now - 200);
    assert_eq!(rounds[1]["summary"], summary);

    // The same through Accept.
    let (status, _, body) = get(&addr, "/crawl", Some("application/json"));
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    let again: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(again["urls"], 4);

    // The page.
    let (status, head, page) = get(&addr, "/crawl", None);
    assert!(status.starts_with("HTTP/1.1 200"), "{status}\n{page}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: text/html"),
        "{head}"
    );
    assert!(page.contains("<h1>Crawl</h1>"), "{page}");
    assert!(
        page.contains(r#"<a href="/crawl" aria-current="page">Crawl</a>"#),
        "the menu links the page: {page}"
    );
    assert!(page.contains(HOST) && page.contains(OTHER_HOST), "{page}");
    assert!(!page.contains("<script"), "unescaped markup: {page}");
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the error, escaped: {page}"
    );
    assert!(page.contains("running or interrupted"), "{page}");
    for key in [
        "fetched",
        "new_articles",
        "new_versions",
        "removals",
        "not_modified",
        "errors",
        "robots_disallowed",
    ] {
        assert!(
            page.contains(&format!("<dt>{key}</dt>")),
            "summary key {key}: {page}"
        );
    }
    assert!(page.contains("<dd>2</dd>"), "{page}");
    assert!(page.contains(" UTC"), "{page}");
    assert!(page.contains("(in 60 min)"), "{page}");
    assert!(!page.contains("No crawl yet"), "{page}");

    // Other pages link it from the menu.
    let (_, _, home) = get(&addr, "/", None);
    assert!(home.contains(r#"<a href="/crawl">Crawl</a>"#), "{home}");
}

#[test]
fn without_a_crawl_the_page_says_so_and_how_to_start_one() {
    let tmp = ingested();
    let data = tmp.path().join("data");
    let (_server, addr) = serve_at(&data);

    let (status, _, page) = get(&addr, "/crawl", None);
    assert!(status.starts_with("HTTP/1.1 200"), "{status}\n{page}");
    assert!(page.contains("No crawl yet"), "{page}");
    assert!(
        page.contains("tealeaf crawl --profile rodong --once"),
        "{page}"
    );
    assert!(!page.contains("<table"), "{page}");

    let j = get_json(&addr, "/crawl.json");
    assert!(j["now"].is_i64(), "{j}");
    assert_eq!(j["urls"], 0, "{j}");
    assert_eq!(j["next_due"], Value::Null, "{j}");
    assert_eq!(j["hosts"], json!([]), "{j}");
    assert_eq!(j["rounds"], json!([]), "{j}");
}
