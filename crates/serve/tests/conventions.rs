//! Conventions scripts and feed readers rely on (as Datasette has them),
//! over real HTTP on 127.0.0.1: twins' paging links lead to twins, `_size`,
//! numbered pages and thousands separators, ETag and Last-Modified with
//! 304s, absolute links in Atom feeds, CORS only when asked for, the
//! search form's several outlets and languages, person facets linking to
//! person pages; and cached pages that never outlive a change of the
//! archive, whoever writes it.

mod common;

use common::*;
use tealeaf_read::ReadOptions;

fn rec(id: &str, outlet: &str, lang: &str, date: &str, title: &str, body: &str) -> String {
    serde_json::json!({
        "id": id, "outlet": outlet, "language": lang, "published": date,
        "title": title, "paragraphs": [body],
        "captured_at": format!("{date}T06:00:00Z"),
    })
    .to_string()
}

fn ingest(data: &tealeaf_pipeline::DataDir, dir: &std::path::Path, name: &str, lines: &[String]) {
    let path = dir.join(name);
    std::fs::write(&path, lines.join("\n") + "\n").expect("write records");
    let s =
        tealeaf_pipeline::ingest_paths(data, &[path], &ReadOptions::default(), 4000, &|_, _| {})
            .expect("ingest");
    assert_eq!(s.rejected, 0, "{:?}", s.errors);
}

/// The fixtures plus 45 articles saying "pagerword" (30 kcna in English,
/// 15 rodong in Spanish), and a server over them.
fn server(
    config: impl FnOnce(&mut tealeaf_serve::Config),
) -> (Server, tempfile::TempDir, tealeaf_pipeline::DataDir) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = data_dir(tmp.path());
    let lines: Vec<String> = (0..45)
        .map(|i| {
            let (outlet, lang) = if i < 30 {
                ("kcna", "en")
            } else {
                ("rodong", "es")
            };
            rec(
                &format!("pager-{i:02}"),
                outlet,
                lang,
                &format!("2011-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
                &format!("Pager article {i}"),
                "The pagerword appears here, and Kim Jong Un is named.",
            )
        })
        .collect();
    ingest(&data, tmp.path(), "pager.jsonl", &lines);
    let mut c = tealeaf_serve::Config::new(data.clone());
    config(&mut c);
    (start(c), tmp, data)
}

#[test]
fn twins_page_to_twins_with_sizes_and_numbers() {
    let (srv, _tmp, _) = server(|_| {});
    let b = &srv.base;
    let j = get(&format!("{b}/search.json?q=pagerword")).json();
    assert_eq!(j["total"], 45);
    assert_eq!(j["hits"].as_array().map(Vec::len), Some(20));
    let next = j["links"]["next"].as_str().expect("a next page");
    assert!(next.starts_with("/search.json?"), "{next}");
    // Following the twin's links walks the whole result set once.
    let mut seen = std::collections::BTreeSet::new();
    let mut url = format!("{b}/search.json?q=pagerword&_size=7");
    let mut pages = 0;
    loop {
        let page = get(&url).json();
        assert_eq!(page["per_page"], 7);
        for h in page["hits"].as_array().expect("hits") {
            assert!(
                seen.insert(h["id"].as_str().expect("id").to_string()),
                "each hit once"
            );
        }
        pages += 1;
        match page["links"]["next"].as_str() {
            Some(n) => {
                assert!(
                    n.starts_with("/search.json?") && n.contains("_size=7"),
                    "{n}"
                );
                url = format!("{b}{n}");
            }
            None => break,
        }
    }
    assert_eq!((seen.len(), pages), (45, 7));
    // The numbered pages: first, last, and two either side.
    let p4 = get(&format!("{b}/search.json?q=pagerword&_size=5&page=4")).json();
    let numbers: Vec<u64> = p4["links"]["pages"]
        .as_array()
        .expect("pages")
        .iter()
        .map(|p| p[0].as_u64().expect("number"))
        .collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5, 6, 9]);
    assert_eq!(
        p4["links"]["prev"],
        "/search.json?q=pagerword&_size=5&page=3"
    );
    // The page's own links are pages; `_size` is capped, and refused when
    // it is no size.
    let html = get(&format!("{b}/search?q=pagerword&_size=5&page=4")).body;
    assert!(
        html.contains(r#"href="/search?q=pagerword&amp;_size=5&amp;page=9""#),
        "{html}"
    );
    assert!(html.contains(r#"aria-current="page">4<"#));
    let big = get(&format!("{b}/search.json?q=pagerword&_size=100000")).json();
    assert_eq!(big["per_page"], 100);
    assert_eq!(
        get(&format!("{b}/search.json?q=pagerword&_size=0")).status,
        400
    );
    assert_eq!(
        get(&format!("{b}/search.json?q=pagerword&_size=x")).status,
        400
    );
    // Changes and people page to twins as well.
    let people = get(&format!("{b}/people.json?_size=1")).json();
    if let Some(n) = people["links"]["next"].as_str() {
        assert!(n.starts_with("/people.json?"), "{n}");
    }
}

#[test]
fn several_outlets_and_languages_from_the_form_and_facets_to_person_pages() {
    let (srv, _tmp, _) = server(|_| {});
    let b = &srv.base;
    let html = get(&format!("{b}/search?q=pagerword&outlet=kcna&outlet=rodong")).body;
    // Checkboxes, both ticked.
    for o in ["kcna", "rodong"] {
        assert!(
            html.contains(&format!(
                r#"type="checkbox" name="outlet" value="{o}" checked"#
            )),
            "{o} ticked in {html}"
        );
    }
    let both = get(&format!(
        "{b}/search.json?q=pagerword&outlet=kcna&outlet=rodong"
    ))
    .json();
    let kcna = get(&format!("{b}/search.json?q=pagerword&outlet=kcna")).json();
    let es = get(&format!("{b}/search.json?q=pagerword&lang=es")).json();
    assert_eq!(
        (
            both["total"].as_u64(),
            kcna["total"].as_u64(),
            es["total"].as_u64()
        ),
        (Some(45), Some(30), Some(15))
    );
    let en_es = get(&format!("{b}/search.json?q=pagerword&lang=en&lang=es")).json();
    assert_eq!(en_es["total"], 45);
    // A person in the facets links to the search and to the person page.
    let person = both["facets"]["person"][0]["value"]
        .as_str()
        .expect("a person facet")
        .to_string();
    assert!(
        html.contains(&format!(
            r#"href="/person/{}""#,
            tealeaf_serve::page::encode(&person).replace('+', "%20")
        )),
        "{person} links to its page"
    );
}

#[test]
fn etags_dates_and_304s() {
    let (srv, tmp, data) = server(|_| {});
    let b = &srv.base;
    for path in [
        "/",
        "/index.json",
        "/search?q=pagerword",
        "/changes.atom",
        "/search.atom?q=pagerword",
        "/people",
    ] {
        let first = get(&format!("{b}{path}"));
        assert_eq!(first.status, 200, "{path}");
        let etag = first.header("etag");
        let date = first.header("last-modified");
        assert!(
            etag.starts_with('"') && etag.len() > 10,
            "{path}: etag {etag:?}"
        );
        assert!(date.ends_with(" GMT"), "{path}: last-modified {date:?}");
        let again = get_with(&format!("{b}{path}"), ("If-None-Match", &etag));
        assert_eq!((again.status, again.body.as_str()), (304, ""), "{path}");
        let since = get_with(&format!("{b}{path}"), ("If-Modified-Since", &date));
        assert_eq!(since.status, 304, "{path}");
        let other = get_with(&format!("{b}{path}"), ("If-None-Match", "\"other\""));
        assert_eq!(other.status, 200, "{path}");
    }
    let home = get(&format!("{b}/index.json"));
    let (etag, date) = (home.header("etag"), home.header("last-modified"));
    // A second later, another process adds an article: the home page is
    // new, its date later, and neither validator claims it unchanged.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    ingest(
        &data,
        tmp.path(),
        "more.jsonl",
        &[rec(
            "late",
            "kcna",
            "en",
            "2011-12-30",
            "Late",
            "The pagerword once more.",
        )],
    );
    let changed = get_with(&format!("{b}/index.json"), ("If-None-Match", &etag));
    assert_eq!(changed.status, 200);
    assert_eq!(
        changed.json()["stats"]["articles"],
        home.json()["stats"]["articles"]
            .as_u64()
            .map(|n| n + 1)
            .expect("count")
    );
    assert_eq!(
        get_with(&format!("{b}/index.json"), ("If-Modified-Since", &date)).status,
        200
    );
    // Streamed exports are not buffered for a hash.
    let csv = get(&format!("{b}/search.csv?q=pagerword"));
    assert_eq!(csv.status, 200);
    assert_eq!(csv.header("etag"), "");
}

#[test]
fn cached_pages_follow_every_writer() {
    let (srv, tmp, data) = server(|_| {});
    let b = &srv.base;
    let before = get(&format!("{b}/search.json?q=zebrafinch")).json();
    assert_eq!(before["total"], 0);
    let home = get(&format!("{b}/index.json")).json();
    // Asked again: the same page (from the cache).
    assert_eq!(
        get(&format!("{b}/search.json?q=zebrafinch")).json()["total"],
        0
    );
    ingest(
        &data,
        tmp.path(),
        "finch.jsonl",
        &[rec(
            "finch",
            "kcna",
            "en",
            "2026-06-01",
            "Zebrafinch",
            "A zebrafinch sings.",
        )],
    );
    // The archive's counts move at once; the search as soon as the server
    // sees the index's commit (it looks every 2 s).
    let now = get(&format!("{b}/index.json")).json();
    assert_eq!(
        now["stats"]["articles"].as_u64(),
        home["stats"]["articles"].as_u64().map(|n| n + 1)
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let found = get(&format!("{b}/search.json?q=zebrafinch")).json();
        if found["total"] == 1 {
            assert_eq!(found["hits"][0]["id"], "finch");
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the search never saw the new article"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let home = get(&format!("{b}/index.json")).json();
    assert_eq!(
        home["latest"][0]["id"], "finch",
        "the home page's latest follow too"
    );
}

#[test]
fn atom_links_are_absolute() {
    let (srv, _tmp, _) = server(|_| {});
    let b = &srv.base;
    for path in ["/search.atom?q=pagerword", "/changes.atom"] {
        let xml = get(&format!("{b}{path}")).body;
        let hrefs: Vec<&str> = xml
            .split("href=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .collect();
        assert!(!hrefs.is_empty(), "{xml}");
        for h in hrefs {
            assert!(
                h.starts_with(&format!("{b}/")),
                "{path}: {h} is absolute on {b}"
            );
        }
    }
    // A Host that is not a plain host:port is not written into links.
    let (_, raw) = raw_request(b, "/search.atom?q=pagerword", "evil.example/\"><x");
    assert!(!raw.contains("evil.example"), "{raw}");
    // --public-url wins over the Host.
    let (srv, _tmp, _) = server(|c| c.public_url = Some("https://archive.example.org/tl/".into()));
    let xml = get(&format!("{}/search.atom?q=pagerword", srv.base)).body;
    assert!(
        xml.contains("href=\"https://archive.example.org/tl/search?q=pagerword"),
        "{xml}"
    );
}

#[test]
fn cors_only_when_asked_for() {
    let origin = ("Origin", "https://notebook.example.org");
    let (plain, _t1, _) = server(|_| {});
    let r = get_with(&format!("{}/search.json?q=pagerword", plain.base), origin);
    assert_eq!(r.header("access-control-allow-origin"), "");
    let (cors, _t2, _) = server(|c| c.cors = Some("https://notebook.example.org".into()));
    for path in [
        "/search.json?q=pagerword",
        "/search.csv?q=pagerword",
        "/index.json",
    ] {
        let r = get_with(&format!("{}{path}", cors.base), origin);
        assert_eq!(r.status, 200);
        assert_eq!(
            r.header("access-control-allow-origin"),
            "https://notebook.example.org",
            "{path}"
        );
    }
    // Another origin is not let in: the header names only the one given
    // (browsers compare it with the page's origin).
    let r = get_with(
        &format!("{}/index.json", cors.base),
        ("Origin", "https://other.example"),
    );
    assert_eq!(
        r.header("access-control-allow-origin"),
        "https://notebook.example.org"
    );
    // An origin that is not one is refused at start.
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut c = tealeaf_serve::Config::new(data_dir(tmp.path()));
    c.cors = Some("not an origin".into());
    let err = match tealeaf_serve::app(&c) {
        Ok(_) => panic!("an origin that is not one is refused"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains("--cors"), "{err}");
}

#[test]
fn counts_have_thousands_separators() {
    // 1,000 articles: the home page and the hit count say so.
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tealeaf_pipeline::DataDir::new(tmp.path().join("data"));
    let lines: Vec<String> = (0..1000)
        .map(|i| {
            rec(
                &format!("k{i}"),
                "kcna",
                "en",
                "2011-05-05",
                &format!("Item {i}"),
                "A thousandword text.",
            )
        })
        .collect();
    ingest(&data, tmp.path(), "k.jsonl", &lines);
    let srv = start(tealeaf_serve::Config::new(data));
    let home = get(&format!("{}/", srv.base)).body;
    assert!(home.contains("<strong>1,000</strong>"), "{home}");
    let hits = get(&format!("{}/search?q=thousandword", srv.base)).body;
    assert!(hits.contains("1,000 hits"), "{hits}");
    // The twins keep plain numbers.
    assert_eq!(
        get(&format!("{}/search.json?q=thousandword", srv.base)).json()["total"],
        1000
    );
}

#[test]
fn untitled_articles_in_change_lists_show_their_first_words() {
    let (srv, tmp, data) = server(|_| {});
    let record = |date: &str, text: &str| {
        serde_json::json!({
            "id": "no-title", "outlet": "kcna", "language": "en", "published": "2011-03-03",
            "title": "", "paragraphs": [text], "captured_at": format!("{date}T06:00:00Z"),
        })
        .to_string()
    };
    ingest(
        &data,
        tmp.path(),
        "v1.jsonl",
        &[record(
            "2011-03-03",
            "Workers of the <b>Kangson</b> complex overfulfilled their plan for March.",
        )],
    );
    ingest(
        &data,
        tmp.path(),
        "v2.jsonl",
        &[record(
            "2011-03-05",
            "Workers of the <b>Kangson</b> complex fulfilled their plan for March.",
        )],
    );
    for path in ["/changes", "/"] {
        let page = get(&format!("{}{path}", srv.base)).body;
        let entry = page
            .split(r#"href="/article/no-title#diffs""#)
            .nth(1)
            .and_then(|rest| rest.split("</a>").next())
            .unwrap_or_else(|| panic!("{path} lists the change: {page}"));
        assert!(
            entry.contains("Workers of the &lt;b&gt;Kangson"),
            "{path}: {entry}"
        );
        assert!(entry.contains("(untitled)"), "{path}: {entry}");
    }
}

#[test]
fn a_person_asked_for_by_another_spelling_is_sent_to_their_page() {
    let (srv, _tmp, _) = server(|_| {});
    let b = &srv.base;
    for (asked, want) in [
        (
            "/person/Kim%20Jong-un?by=year",
            "/person/Kim%20Jong%20Un?by=year",
        ),
        ("/person/Kim%20Jong-Un.json", "/person/Kim%20Jong%20Un.json"),
        (
            "/person/%EA%B9%80%EC%A0%95%EC%9D%80",
            "/person/Kim%20Jong%20Un",
        ),
    ] {
        let (status, raw) = raw_request(b, asked, b.trim_start_matches("http://"));
        assert_eq!(status, 308, "{asked}: {raw}");
        let location = raw
            .lines()
            .find_map(|l| l.strip_prefix("location: "))
            .unwrap_or_else(|| panic!("{asked}: no Location in {raw}"));
        assert_eq!(location.trim(), want, "{asked}");
        assert_eq!(get(&format!("{b}{want}")).status, 200, "{want}");
    }
    // Nobody by any spelling: still a 404.
    assert_eq!(get(&format!("{b}/person/Nobody%20At%20All")).status, 404);
}
