//! Tests of the fixture servers in `tests/site/` (used by the crawl and
//! wayback tests), with plain `std::net::TcpStream` requests.

mod site;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::{Duration, Instant};

use site::{Capture, Site, Wayback};
use tealeaf_html::{extract, Hints, UrlKind};

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// GET `target` from `addr` with `Host: host`.
fn request(addr: &str, host: &str, target: &str, headers: &[(&str, &str)]) -> Reply {
    let mut s = TcpStream::connect(addr).expect("the fixture listens");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut req =
        format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: site-fixture-test\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("Connection: close\r\n\r\n");
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("reads the response");
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: raw[end + 4..].to_vec(),
    }
}

/// GET `url` (its host as the Host header) from `addr`.
fn fetch(addr: &str, url: &str, headers: &[(&str, &str)]) -> Reply {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let at = rest.find(['/', '?']).unwrap_or(rest.len());
    let target = if at == rest.len() { "/" } else { &rest[at..] };
    request(addr, &rest[..at], target, headers)
}

fn read(url: &str, body: &[u8]) -> tealeaf_html::Page {
    let hints = Hints {
        url: Some(url.to_string()),
        content_type: Some("text/html; charset=utf-8".to_string()),
        ..Hints::default()
    };
    extract(body, &hints).unwrap_or_else(|e| panic!("{url} does not extract: {e}"))
}

#[test]
fn texts_come_from_the_corpus_when_present() {
    let texts = site::texts();
    assert_eq!(texts.len(), 18);
    assert!(texts.iter().all(|t| t.paragraphs.len() >= 3));
    if site::corpus_path().is_file() {
        assert!(site::from_corpus(), "the corpus is there but was not read");
    }
    let edited = site::edited(&texts[0]);
    assert_ne!(edited, texts[0]);
    assert_eq!(edited.paragraphs.len(), texts[0].paragraphs.len());
    let changed = edited
        .paragraphs
        .iter()
        .zip(&texts[0].paragraphs)
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(changed, 1);
}

#[test]
fn pages_read_back_as_their_texts() {
    let site = Site::start();
    let addr = site.addr();
    for round in 1..=2 {
        site.set_round(round);
        for name in site::RODONG_ARTICLES {
            let url = site.rodong_url(name);
            let reply = fetch(&addr, &url, &[]);
            let Some(text) = site.rodong_text(name, round) else {
                assert_ne!(reply.status, 200, "{name} in round {round}");
                continue;
            };
            assert_eq!(reply.status, 200, "{name} in round {round}");
            let page = read(&url, &reply.body);
            assert_eq!(page.kind, UrlKind::Article, "{url}");
            assert_eq!(page.key.as_deref(), Some(site.rodong_key(name).as_str()));
            assert_eq!(
                tealeaf_html::url::article_id(&url).as_deref(),
                Some(site.rodong_id(name).as_str())
            );
            assert_eq!(page.title, text.title, "{name} in round {round}");
            assert_eq!(page.paragraphs, text.paragraphs, "{name} in round {round}");
            assert_eq!(page.published.map(|d| d.to_string()), Some(text.date));
            assert!(page.warnings.is_empty(), "{name}: {:?}", page.warnings);
        }
        for name in site::KCNA_ARTICLES {
            let Some(text) = site.kcna_text(name, round) else {
                continue;
            };
            if name == "slow" || name == "flaky" {
                continue; // read through site.body (their own tests fetch them)
            }
            let url = site.kcna_url(name);
            let reply = fetch(&addr, &url, &[]);
            assert_eq!(reply.status, 200, "{name}");
            let page = read(&url, &reply.body);
            assert_eq!(page.kind, UrlKind::Article);
            assert_eq!(page.key.as_deref(), Some(site.kcna_key(name).as_str()));
            assert_eq!(
                tealeaf_html::url::article_id(&url).as_deref(),
                Some(site.kcna_id(name).as_str())
            );
            assert_eq!(page.title, text.title);
            assert_eq!(page.paragraphs, text.paragraphs);
            assert_eq!(page.place.as_deref(), Some("Pyongyang"));
            assert_eq!(page.published.map(|d| d.to_string()), Some(text.date));
            assert!(page.warnings.is_empty(), "{name}: {:?}", page.warnings);
        }
        for name in ["slow", "flaky"] {
            let url = site.kcna_url(name);
            let text = site.kcna_text(name, round).unwrap();
            let page = read(&url, &site.body(&url, round).unwrap());
            assert_eq!((page.title, page.paragraphs), (text.title, text.paragraphs));
        }
    }
    for n in 1..=site::GENERIC_ARTICLES {
        let url = site.generic_url(n);
        let reply = fetch(&addr, &url, &[]);
        assert_eq!(reply.status, 200);
        let page = read(&url, &reply.body);
        let text = site.generic_text(n);
        assert_eq!(page.title, text.title);
        assert_eq!(page.paragraphs, text.paragraphs);
    }
    for url in [
        site.rodong_start(),
        site.rodong_listing2(),
        site.kcna_list(),
    ] {
        assert_eq!(
            tealeaf_html::classify(&url).map(|u| u.kind),
            Some(UrlKind::Listing),
            "{url}"
        );
    }
    // The hits name the hosts without www. and port.
    assert!(!site.hits_for("www.rodong.rep.kp").is_empty());
    assert!(!site.hits_for(site::KCNA).is_empty());
    assert_eq!(site.hits_for(site::GENERIC).len(), site::GENERIC_ARTICLES);
}

#[test]
fn listings_link_what_the_round_has() {
    let site = Site::start();
    let addr = site.addr();
    let home = fetch(&addr, &site.rodong_start(), &[]).text();
    let key_of = |name: &str| {
        let url = site.rodong_url(name);
        url.split_once('?').unwrap().1.to_string()
    };
    for name in ["A", "B", "C", "D", "E"] {
        assert!(home.contains(&key_of(name)), "home links {name}");
    }
    assert!(!home.contains(&key_of("G")));
    assert!(home.contains("http://www.rodong.rep.kp/en/index.php?"));
    assert!(home.contains("http://rodong.rep.kp/en/index.php?"));
    assert!(home.contains("http://example.com/x"));
    assert!(home.contains("/en/secret/"));
    assert!(home.contains("/photo/x.jpg"));
    assert!(home.contains("/css/style.css"));
    let second = fetch(&addr, &site.rodong_listing2(), &[]).text();
    assert!(second.contains("newsID="), "{second}");
    assert!(second.contains(&key_of("A")));

    let kcna_home = fetch(&addr, &site.kcna_start(), &[]).text();
    assert!(kcna_home.contains("/en/article/list/1"));
    let list = fetch(&addr, &site.kcna_list(), &[]).text();
    for name in site::KCNA_ARTICLES {
        assert!(list.contains(&site.kcna_key(name)), "list links {name}");
    }
    assert!(list.contains("/kp/"));
    let generic = request(&addr, &addr, "/", &[]).text();
    assert!(generic.contains("/news/3.html"));

    let img = fetch(&addr, "http://www.rodong.rep.kp/photo/x.jpg", &[]);
    assert_eq!(img.header("content-type"), Some("image/jpeg"));

    site.set_round(2);
    let home = fetch(&addr, &site.rodong_start(), &[]).text();
    assert!(home.contains(&key_of("G")));
}

#[test]
fn round_two_changes_and_round_three_keeps() {
    let site = Site::start();
    let addr = site.addr();
    let r1: Vec<Reply> = ["A", "B", "C", "F", "G"]
        .iter()
        .map(|n| fetch(&addr, &site.rodong_url(n), &[]))
        .collect();
    assert_eq!(r1[4].status, 404, "G is not there yet");
    let k1 = fetch(&addr, &site.kcna_url("K1"), &[]);

    site.set_round(2);
    let a = fetch(&addr, &site.rodong_url("A"), &[]);
    assert_eq!(a.status, 200);
    assert_ne!(a.body, r1[0].body);
    assert!(a.text().contains(site::EDITED_SENTENCE));
    assert_ne!(a.header("etag"), r1[0].header("etag"));
    let b = fetch(&addr, &site.rodong_url("B"), &[]);
    let c = fetch(&addr, &site.rodong_url("C"), &[]);
    let (tb, tc) = (
        site.rodong_text("B", 1).unwrap(),
        site.rodong_text("C", 1).unwrap(),
    );
    assert_eq!(site.rodong_text("B", 2).unwrap().title, tc.title);
    assert_eq!(site.rodong_text("C", 2).unwrap().title, tb.title);
    assert!(b.text().contains(
        &tc.paragraphs[0]
            .replace('&', "&amp;")
            .replace('"', "&quot;")
    ));
    assert!(c.text().contains(
        &tb.paragraphs[0]
            .replace('&', "&amp;")
            .replace('"', "&quot;")
    ));
    assert_eq!(fetch(&addr, &site.rodong_url("D"), &[]).status, 404);
    let e = fetch(&addr, &site.rodong_url("E"), &[]);
    assert_eq!(e.status, 302);
    assert_eq!(e.header("location"), Some("/en/"));
    let f = fetch(&addr, &site.rodong_url("F"), &[]);
    assert_eq!(f.body, r1[3].body, "F does not change");
    assert_eq!(f.header("last-modified"), r1[3].header("last-modified"));
    assert_eq!(fetch(&addr, &site.rodong_url("G"), &[]).status, 200);
    let k1_2 = fetch(&addr, &site.kcna_url("K1"), &[]);
    assert_ne!(k1_2.body, k1.body);
    assert_eq!(site.rodong_status("D", 2), 404);
    assert_eq!(site.rodong_status("E", 2), 302);

    site.set_round(3);
    let a3 = fetch(&addr, &site.rodong_url("A"), &[]);
    assert_eq!(a3.body, a.body);
    assert_eq!(a3.header("etag"), a.header("etag"));
    assert_eq!(a3.header("last-modified"), a.header("last-modified"));
    assert_eq!(site.rodong_text("A", 3), site.rodong_text("A", 2));
}

#[test]
fn validators_answer_304() {
    let site = Site::start();
    let addr = site.addr();
    let url = site.rodong_url("F");
    let first = fetch(&addr, &url, &[]);
    let etag = first.header("etag").expect("an ETag").to_string();
    assert!(etag.starts_with('"') && etag.ends_with('"'));
    let lm = first
        .header("last-modified")
        .expect("a Last-Modified")
        .to_string();
    let again = fetch(&addr, &url, &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    assert_eq!(again.header("etag"), Some(etag.as_str()));
    let other = fetch(&addr, &url, &[("If-None-Match", "\"nope\"")]);
    assert_eq!(other.status, 200);
    assert_eq!(other.body, first.body);
    assert_eq!(
        fetch(&addr, &url, &[("If-Modified-Since", &lm)]).status,
        304
    );
    assert_eq!(
        fetch(
            &addr,
            &url,
            &[("If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT")]
        )
        .status,
        200
    );
    // A changed page: the old validators no longer match.
    let a = site.rodong_url("A");
    let a1 = fetch(&addr, &a, &[]);
    let a_etag = a1.header("etag").unwrap().to_string();
    let a_lm = a1.header("last-modified").unwrap().to_string();
    site.set_round(2);
    assert_eq!(fetch(&addr, &a, &[("If-None-Match", &a_etag)]).status, 200);
    assert_eq!(
        fetch(&addr, &a, &[("If-Modified-Since", &a_lm)]).status,
        200
    );
    assert_eq!(fetch(&addr, &url, &[("If-None-Match", &etag)]).status, 304);
    // The hits keep the request headers, names lowercased.
    let hits = site.hits_for_url(&url);
    assert_eq!(hits.len(), 6);
    assert_eq!(hits[1].header("if-none-match"), Some(etag.as_str()));
    assert!(hits[1].headers.iter().any(|(k, _)| k == "if-none-match"));
    assert_eq!(hits[1].status, 304);
    assert_eq!(hits[1].method, "GET");
}

#[test]
fn robots_per_host() {
    let site = Site::start();
    let addr = site.addr();
    let r = fetch(&addr, "http://www.rodong.rep.kp/robots.txt", &[]);
    assert_eq!((r.status, r.text().as_str()), (200, site::RODONG_ROBOTS));
    assert!(r.header("content-type").unwrap().starts_with("text/plain"));
    let r = fetch(&addr, "http://rodong.rep.kp:80/robots.txt", &[]);
    assert_eq!(r.text(), site::RODONG_ROBOTS);
    let k = fetch(&addr, "http://www.kcna.kp/robots.txt", &[]);
    assert_eq!((k.status, k.text().as_str()), (200, site::KCNA_ROBOTS));
    assert_eq!(request(&addr, &addr, "/robots.txt", &[]).status, 404);
    assert_eq!(site.hits_for("rodong.rep.kp").len(), 2);
    assert_eq!(site.count("http://www.rodong.rep.kp/robots.txt"), 2);
    assert_eq!(site.count(&site.rodong_secret_url()), 0);
    let args = site.resolve_args();
    assert_eq!(args.len(), 8);
    assert_eq!(args[0], "--resolve");
    assert_eq!(args[1], format!("rodong.rep.kp={}", site.addr()));
    assert_eq!(args[7], format!("www.kcna.kp={}", site.addr()));
}

#[test]
fn flaky_then_fine_and_slow_in_parallel() {
    let site = Site::start();
    let addr = site.addr();
    let flaky = site.kcna_url("flaky");
    for _ in 0..site::FLAKY_FAILURES {
        let r = fetch(&addr, &flaky, &[]);
        assert_eq!(r.status, 503);
        assert_eq!(r.header("retry-after"), Some("1"));
    }
    assert_eq!(fetch(&addr, &flaky, &[]).status, 200);
    assert_eq!(fetch(&addr, &flaky, &[]).status, 200);

    let slow = site.kcna_url("slow");
    let t0 = Instant::now();
    let workers: Vec<_> = (0..3)
        .map(|_| {
            let (addr, slow) = (addr.clone(), slow.clone());
            thread::spawn(move || fetch(&addr, &slow, &[]).status)
        })
        .collect();
    for w in workers {
        assert_eq!(w.join().unwrap(), 200);
    }
    let took = t0.elapsed();
    assert!(took >= site::SLOW_DELAY, "{took:?}");
    assert!(
        took < site::SLOW_DELAY * 2,
        "served one at a time: {took:?}"
    );
    assert_eq!(site.max_in_flight("www.kcna.kp"), 3);
    assert_eq!(site.max_in_flight("rodong.rep.kp"), 0);
    let hit = site.hits_for_url(&slow).pop().unwrap();
    assert!(hit.duration() >= site::SLOW_DELAY);
}

#[test]
fn huge_page_survives_a_client_that_stops_reading() {
    let site = Site::start();
    let url = site.kcna_url("huge");
    let (_, target) = site::split_url(&url);
    for sized in [true, false] {
        site.set_huge_content_length(sized);
        let mut s = TcpStream::connect(site.addr()).unwrap();
        write!(s, "GET {target} HTTP/1.1\r\nHost: www.kcna.kp\r\n\r\n").unwrap();
        let mut got = vec![0u8; 1 << 20];
        s.read_exact(&mut got).unwrap();
        let head = String::from_utf8_lossy(&got[..2000]).into_owned();
        assert!(head.starts_with("HTTP/1.1 200"));
        assert_eq!(
            head.contains(&format!("Content-Length: {}", site::HUGE_BYTES)),
            sized,
            "{head}"
        );
        drop(s);
    }
    // Both hits end, unfinished, and the server still answers.
    let t0 = Instant::now();
    while site.hits_for_url(&url).len() < 2 {
        assert!(
            t0.elapsed() < Duration::from_secs(10),
            "the writer never ended"
        );
        thread::sleep(Duration::from_millis(20));
    }
    for hit in site.hits_for_url(&url) {
        assert!(!hit.complete);
        assert!(hit.sent < site::HUGE_BYTES);
    }
    assert_eq!(fetch(&site.addr(), &site.kcna_url("K2"), &[]).status, 200);
}

#[test]
fn dropping_stops_the_server() {
    let site = Site::start();
    let addr = site.addr();
    assert_eq!(request(&addr, &addr, "/", &[]).status, 200);
    let t0 = Instant::now();
    drop(site);
    assert!(t0.elapsed() < Duration::from_secs(2));
    assert!(TcpStream::connect(&addr).is_err(), "still listening");

    let wb = Wayback::start(Wayback::history());
    let addr = wb.addr();
    drop(wb);
    assert!(TcpStream::connect(&addr).is_err(), "still listening");
}

fn cdx_rows(wb: &Wayback, query: &str) -> serde_json::Value {
    let r = request(
        &wb.addr(),
        &wb.addr(),
        &format!("/cdx/search/cdx?{query}"),
        &[],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    serde_json::from_slice(&r.body).unwrap_or_else(|e| panic!("{e}: {}", r.text()))
}

const FL: &str = "output=json&fl=timestamp,original,statuscode,digest,mimetype";

#[test]
fn cdx_lists_collapses_and_pages() {
    let wb = Wayback::start(Wayback::history());
    let all = cdx_rows(&wb, &format!("url=rodong.rep.kp/en/&matchType=prefix&{FL}"));
    let all = all.as_array().unwrap();
    assert_eq!(
        all[0],
        serde_json::json!(["timestamp", "original", "statuscode", "digest", "mimetype"])
    );
    assert_eq!(all.len(), 1 + wb.captures().len());
    let statuses: Vec<&str> = all[1..].iter().map(|r| r[2].as_str().unwrap()).collect();
    assert!(statuses.contains(&"-") && statuses.contains(&"404") && statuses.contains(&"200"));
    // Sorted by url, then time.
    let keys: Vec<(String, String)> = all[1..]
        .iter()
        .map(|r| {
            (
                r[1].as_str().unwrap().to_string(),
                r[0].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);

    // collapse=digest drops the re-capture and the revisit.
    let q = format!("url=http://www.rodong.rep.kp/en/&matchType=prefix&{FL}&collapse=digest");
    let collapsed = cdx_rows(&wb, &q);
    let collapsed = collapsed.as_array().unwrap();
    assert_eq!(collapsed.len(), 1 + wb.captures().len() - 2);
    assert!(collapsed[1..].iter().all(|r| r[2] != "-"));
    // A prefix with the scheme and www. matches the same.
    let bare = cdx_rows(
        &wb,
        &format!("url=rodong.rep.kp/en&matchType=prefix&{FL}&collapse=digest"),
    );
    assert_eq!(&bare, &serde_json::Value::Array(collapsed.clone()));

    // Paging: 2 rows at a time, then [] and the resume key.
    let mut paged = Vec::new();
    let mut resume: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut q = format!("{q}&limit=2&showResumeKey=true");
        if let Some(k) = &resume {
            q.push_str(&format!("&resumeKey={k}"));
        }
        let page = cdx_rows(&wb, &q);
        let rows = page.as_array().unwrap().clone();
        pages += 1;
        assert_eq!(rows[0][0], "timestamp");
        let n = rows.len();
        if n >= 3 && rows[n - 2] == serde_json::json!([]) {
            paged.extend(rows[1..n - 2].iter().cloned());
            resume = Some(rows[n - 1][0].as_str().unwrap().to_string());
        } else {
            paged.extend(rows[1..].iter().cloned());
            break;
        }
        assert!(pages < 10);
    }
    assert_eq!(paged, collapsed[1..].to_vec());
    assert_eq!(pages, (collapsed.len() - 1).div_ceil(2));

    // from/to, exact urls, nothing found.
    let y2014 = cdx_rows(
        &wb,
        &format!("url=rodong.rep.kp/en/&matchType=prefix&{FL}&from=2014&to=2014"),
    );
    let y2014 = y2014.as_array().unwrap();
    assert_eq!(y2014.len(), 3);
    assert!(y2014[1..]
        .iter()
        .all(|r| r[0].as_str().unwrap().starts_with("2014")));
    let art = &Wayback::history_articles()[0];
    let exact = cdx_rows(
        &wb,
        &format!(
            "url={}&{FL}",
            art.original.replace('&', "%26").replace('?', "%3F")
        ),
    );
    assert_eq!(exact.as_array().unwrap().len(), 4);
    let none = cdx_rows(&wb, &format!("url=kcna.kp/&matchType=prefix&{FL}"));
    assert_eq!(none, serde_json::json!([]));
    assert_eq!(wb.cdx_hits().len(), 6 + pages);
}

#[test]
fn id_captures_serve_their_bodies() {
    let wb = Wayback::start(Wayback::history());
    let addr = wb.addr();
    let arts = Wayback::history_articles();
    for c in wb.captures().to_vec() {
        let r = fetch(&addr, &wb.id_url(&c), &[]);
        assert_eq!(r.body, c.body, "{} {}", c.timestamp, c.original);
        match c.status {
            0 | 200 => assert_eq!(r.status, 200),
            s => assert_eq!(r.status, s),
        }
        if c.status == 200 {
            assert_eq!(r.header("content-type"), Some(c.mimetype.as_str()));
        }
        assert_eq!(wb.fetches(&c), 1);
    }
    // Versions read back with the old layout.
    for art in &arts {
        for (ts, text) in &art.versions {
            let c = wb
                .captures()
                .iter()
                .find(|c| &c.timestamp == ts && c.original == art.original)
                .unwrap();
            let page = read(&art.original, &c.body);
            assert_eq!(page.title, text.title);
            assert_eq!(page.paragraphs, text.paragraphs);
            assert_eq!(
                page.published.map(|d| d.to_string()),
                Some(text.date.clone())
            );
            assert_eq!(
                tealeaf_html::url::article_id(&art.original).as_deref(),
                Some(art.id.as_str())
            );
        }
    }
    // Digests: same body, same digest; SHA-1 base32.
    let caps = wb.captures();
    assert_eq!(caps[1].digest(), caps[2].digest());
    assert_ne!(caps[1].digest(), caps[3].digest());
    assert_eq!(caps[1].digest().len(), 32);
    assert_eq!(
        site::sha1(b"abc")
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>(),
        "a9993e364706816aba3e25717850c26c9cd0d89d"
    );
    // A timestamp without a capture redirects to the nearest one.
    let r = fetch(
        &addr,
        &format!("{}/web/2014id_/{}", wb.base_url(), arts[0].original),
        &[],
    );
    assert_eq!(r.status, 302);
    assert_eq!(
        r.header("location"),
        Some(format!("/web/20140210120000id_/{}", arts[0].original).as_str())
    );
    assert_eq!(
        fetch(
            &addr,
            &format!("{}/web/2014id_/http://nowhere.example/", wb.base_url()),
            &[]
        )
        .status,
        404
    );

    wb.fail_next(1, 429);
    let r = fetch(&addr, &wb.id_url(&caps[0]), &[]);
    assert_eq!((r.status, r.header("retry-after")), (429, Some("1")));
    assert_eq!(fetch(&addr, &wb.id_url(&caps[0]), &[]).status, 200);
}

#[test]
fn custom_captures() {
    let caps = vec![
        Capture::html("20200101000000", "http://www.kcna.kp/en/", "<html>a</html>"),
        Capture::html("20200102000000", "http://www.kcna.kp/en/", "<html>a</html>"),
        Capture::html("20200103000000", "https://kcna.kp/en/", "<html>b</html>"),
    ];
    let wb = Wayback::start(caps);
    let rows = cdx_rows(&wb, &format!("url=www.kcna.kp/en/&{FL}&collapse=digest"));
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1][0], "20200101000000");
    assert_eq!(rows[2][0], "20200103000000");
    assert_eq!(rows[1][2], "200");
}
