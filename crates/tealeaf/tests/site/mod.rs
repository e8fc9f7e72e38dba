//! Fixture web servers for the `tealeaf crawl` and `tealeaf wayback`
//! tests: [`Site`] imitates rodong.rep.kp, kcna.kp and a generic news site
//! on one `127.0.0.1` port, dispatching on the `Host` header, with content
//! that changes over simulated rounds; [`Wayback`] imitates the Wayback
//! Machine's CDX API and `id_` captures. Both only listen on 127.0.0.1,
//! record every request ([`Hit`]) and stop when dropped.
//!
//! Use from a test file with `mod site;`.
//!
//! # Site, round by round
//!
//! Rodong (`http://www.rodong.rep.kp/en/`, a listing) links to articles
//! A–E (relative, root-relative and absolute hrefs, with and without
//! `www.`), to a second listing `index.php?MUAxQA==` that links to F (an
//! old-style `newsID` url) and again to A, to `/photo/x.jpg`,
//! `/css/style.css`, `http://example.com/x` (off-site) and
//! `/en/secret/index.php?…` (disallowed by robots.txt). Kcna
//! (`http://www.kcna.kp/en/`, kind Other) links to `/en/article/list/1`,
//! which links to K1–K4, `slow` (answers after [`SLOW_DELAY`]), `flaky`
//! (503 + `Retry-After: 1` to its first [`FLAKY_FAILURES`] requests),
//! `huge` ([`HUGE_BYTES`] of HTML, streamed) and `/kp/article/list/1`
//! (disallowed). The generic site (any other Host, e.g. `127.0.0.1:PORT`)
//! has `/` linking `/news/1.html`–`/news/3.html`.
//!
//! Round 2 (and 3, and later: the same): rodong G appears (linked from the
//! home listing), A's text is edited ([`EDITED_SENTENCE`]), B and C swap
//! texts, D answers 404, E answers 302 to `/en/`; kcna K1 is edited.
//!
//! Every 200 has an `ETag` (hash of the body) and `Last-Modified` (the
//! round the body last changed); a matching `If-None-Match` (or, without
//! it, an `If-Modified-Since` not before `Last-Modified`) gets 304.
#![allow(dead_code, unused_imports)]

mod content;
mod http;
mod wayback;

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

pub use content::{corpus_path, edited, from_corpus, texts, Text, EDITED_SENTENCE};
pub use http::{bare_host, etag_of, sha1, split_url, Body, Hit, Request, Response};
pub use wayback::{Capture, HistoryArticle, Wayback};

use http::{base64, conditional, fnv64, http_date, Server};

pub const RODONG: &str = "rodong.rep.kp";
pub const KCNA: &str = "kcna.kp";
/// The generic site's host as hits record it.
pub const GENERIC: &str = "127.0.0.1";

/// Rodong articles, in slot order (G appears in round 2).
pub const RODONG_ARTICLES: [&str; 7] = ["A", "B", "C", "D", "E", "F", "G"];
/// Kcna articles: `huge` has no text (its body is filler).
pub const KCNA_ARTICLES: [&str; 7] = ["K1", "K2", "K3", "K4", "slow", "flaky", "huge"];
/// Generic articles are numbered 1..=GENERIC_ARTICLES.
pub const GENERIC_ARTICLES: usize = 3;

/// How long the `slow` kcna article takes to answer.
pub const SLOW_DELAY: Duration = Duration::from_millis(1500);
/// How many requests to the `flaky` kcna article get 503 (by default).
pub const FLAKY_FAILURES: usize = 2;
/// The size of the `huge` kcna article.
pub const HUGE_BYTES: u64 = 40 << 20;

pub const RODONG_ROBOTS: &str = "User-agent: *\nDisallow: /en/secret/\n";
pub const KCNA_ROBOTS: &str = "User-agent: *\nDisallow: /kp/\nCrawl-delay: 0\n";

/// The rodong second listing's query (base64 of `1@1@`: no article key).
const RODONG_LIST2: &str = "MUAxQA==";
const RODONG_SECRET: &str = "/en/secret/index.php?MTJAMjAxMS0xMi0wMS0wOTlAMUAxQEAwQDhA";
const KCNA_LIST: &str = "/en/article/list/1";
const KCNA_DISALLOWED: &str = "/kp/article/list/1";

/// Last-Modified of a body first served in round `r`.
fn last_modified(round: u32) -> String {
    // 2026-02-01 00:00 GMT + r hours.
    http_date(1_769_904_000 + i64::from(round) * 3600)
}

/// The fixture news sites. Starts in round 1.
pub struct Site {
    server: Server,
    inner: Arc<Inner>,
}

struct Inner {
    round: AtomicU32,
    flaky_left: AtomicUsize,
    huge_sized: AtomicBool,
}

/// What a url holds in a round.
enum Page {
    Html(String),
    Resp(Response),
}

impl Site {
    pub fn start() -> Site {
        let inner = Arc::new(Inner {
            round: AtomicU32::new(1),
            flaky_left: AtomicUsize::new(FLAKY_FAILURES),
            huge_sized: AtomicBool::new(true),
        });
        // Loads the texts before serving (the first request stays quick).
        let _ = texts();
        let state = inner.clone();
        let server = Server::start("site", move |req| handle(&state, req));
        Site { server, inner }
    }

    /// Switches the content to round `n` (1, 2, 3...; 3 and later are 2's).
    pub fn set_round(&self, n: u32) {
        assert!(n >= 1, "rounds count from 1");
        self.inner.round.store(n, Ordering::SeqCst);
    }

    pub fn round(&self) -> u32 {
        self.inner.round.load(Ordering::SeqCst)
    }

    /// Makes the next `n` requests to `flaky` answer 503 again.
    pub fn set_flaky_failures(&self, n: usize) {
        self.inner.flaky_left.store(n, Ordering::SeqCst);
    }

    /// Whether `huge` sends `Content-Length` (default true; false: the
    /// body ends when the connection closes).
    pub fn set_huge_content_length(&self, sized: bool) {
        self.inner.huge_sized.store(sized, Ordering::SeqCst);
    }

    pub fn port(&self) -> u16 {
        self.server.port()
    }

    /// `127.0.0.1:PORT`.
    pub fn addr(&self) -> String {
        self.server.addr()
    }

    /// `--resolve HOST=127.0.0.1:PORT` for rodong and kcna, with and
    /// without `www.`.
    pub fn resolve_args(&self) -> Vec<String> {
        let addr = self.addr();
        [
            "rodong.rep.kp",
            "www.rodong.rep.kp",
            "kcna.kp",
            "www.kcna.kp",
        ]
        .iter()
        .flat_map(|h| ["--resolve".to_string(), format!("{h}={addr}")])
        .collect()
    }

    pub fn rodong_start(&self) -> String {
        "http://www.rodong.rep.kp/en/".to_string()
    }

    /// The second rodong listing (links F).
    pub fn rodong_listing2(&self) -> String {
        format!("http://www.rodong.rep.kp/en/index.php?{RODONG_LIST2}")
    }

    /// The robots-disallowed rodong url the home listing links to.
    pub fn rodong_secret_url(&self) -> String {
        format!("http://www.rodong.rep.kp{RODONG_SECRET}")
    }

    pub fn kcna_start(&self) -> String {
        "http://www.kcna.kp/en/".to_string()
    }

    pub fn kcna_list(&self) -> String {
        format!("http://www.kcna.kp{KCNA_LIST}")
    }

    /// The robots-disallowed kcna url the list page links to.
    pub fn kcna_disallowed_url(&self) -> String {
        format!("http://www.kcna.kp{KCNA_DISALLOWED}")
    }

    /// `http://127.0.0.1:PORT/`.
    pub fn generic_start(&self) -> String {
        format!("http://{}/", self.addr())
    }

    /// The canonical url of rodong article `name` (A–G).
    pub fn rodong_url(&self, name: &str) -> String {
        format!(
            "http://www.rodong.rep.kp{}",
            rodong_target(rodong_slot(name))
        )
    }

    /// The article key of rodong article `name` (`2011-12-01-001`).
    pub fn rodong_key(&self, name: &str) -> String {
        rodong_key(rodong_slot(name))
    }

    /// The archive id (`rodong:en:KEY`).
    pub fn rodong_id(&self, name: &str) -> String {
        format!("rodong:en:{}", self.rodong_key(name))
    }

    /// The url of kcna article `name` (K1–K4, slow, flaky, huge).
    pub fn kcna_url(&self, name: &str) -> String {
        format!("http://www.kcna.kp{}", kcna_target(kcna_slot(name)))
    }

    /// The 32 hex digits of a kcna article's url.
    pub fn kcna_key(&self, name: &str) -> String {
        kcna_key(kcna_slot(name))
    }

    /// The archive id (`kcna:en:HEX`).
    pub fn kcna_id(&self, name: &str) -> String {
        format!("kcna:en:{}", self.kcna_key(name))
    }

    /// `http://127.0.0.1:PORT/news/N.html`, N in 1..=3.
    pub fn generic_url(&self, n: usize) -> String {
        assert!(
            (1..=GENERIC_ARTICLES).contains(&n),
            "no generic article {n}"
        );
        format!("http://{}/news/{n}.html", self.addr())
    }

    /// What rodong article `name` holds in `round`; None when it is no
    /// article then (G in round 1; D (404) and E (302) from round 2).
    pub fn rodong_text(&self, name: &str, round: u32) -> Option<Text> {
        rodong_text(rodong_slot(name), round)
    }

    /// What kcna article `name` holds in `round` (None for `huge`).
    pub fn kcna_text(&self, name: &str, round: u32) -> Option<Text> {
        kcna_text(kcna_slot(name), round)
    }

    /// What generic article `n` holds (every round).
    pub fn generic_text(&self, n: usize) -> Text {
        assert!(
            (1..=GENERIC_ARTICLES).contains(&n),
            "no generic article {n}"
        );
        texts()[12 + n].clone()
    }

    /// The status rodong article `name` answers in `round` (200, 404,
    /// 302).
    pub fn rodong_status(&self, name: &str, round: u32) -> u16 {
        match rodong_page(rodong_slot(name), round) {
            Page::Html(_) => 200,
            Page::Resp(r) => r.status,
        }
    }

    /// The body a url answers with in `round` (None for non-200 answers and
    /// the streamed `huge`).
    pub fn body(&self, url: &str, round: u32) -> Option<Vec<u8>> {
        let (host, target) = split_url(url);
        match route(&host, &target, round) {
            Page::Html(h) => Some(h.into_bytes()),
            Page::Resp(r) if r.status == 200 => r.bytes().map(<[u8]>::to_vec),
            Page::Resp(_) => None,
        }
    }

    /// Every request so far, in the order they started.
    pub fn hits(&self) -> Vec<Hit> {
        self.server.hits()
    }

    /// The requests to `host` (`rodong.rep.kp`, `www.kcna.kp`,
    /// `127.0.0.1`: compared without port and `www.`).
    pub fn hits_for(&self, host: &str) -> Vec<Hit> {
        let host = bare_host(host);
        self.hits().into_iter().filter(|h| h.host == host).collect()
    }

    /// The requests for `url` (host and target compared; for the generic
    /// site give `generic_url(n)`).
    pub fn hits_for_url(&self, url: &str) -> Vec<Hit> {
        let (host, target) = split_url(url);
        let target = http::percent_decode(&target, false);
        self.hits()
            .into_iter()
            .filter(|h| h.host == host && http::percent_decode(&h.target, false) == target)
            .collect()
    }

    /// How many requests there were for `url`.
    pub fn count(&self, url: &str) -> usize {
        self.hits_for_url(url).len()
    }

    /// Forgets the hits (and the in-flight maxima).
    pub fn clear_hits(&self) {
        self.server.clear_hits()
    }

    /// The most requests to `host` being served at once.
    pub fn max_in_flight(&self, host: &str) -> usize {
        self.server.max_in_flight(host)
    }

    /// Requests being served now.
    pub fn in_flight(&self) -> usize {
        self.server.in_flight()
    }
}

fn rodong_slot(name: &str) -> usize {
    RODONG_ARTICLES
        .iter()
        .position(|n| n.eq_ignore_ascii_case(name))
        .unwrap_or_else(|| panic!("no rodong article {name:?}; there are {RODONG_ARTICLES:?}"))
}

fn kcna_slot(name: &str) -> usize {
    KCNA_ARTICLES
        .iter()
        .position(|n| n.eq_ignore_ascii_case(name))
        .unwrap_or_else(|| panic!("no kcna article {name:?}; there are {KCNA_ARTICLES:?}"))
}

/// The date a rodong slot's page prints (its key's date): the date of the
/// text it holds in round 1.
fn rodong_date(slot: usize) -> String {
    texts()[slot].date.clone()
}

fn rodong_key(slot: usize) -> String {
    format!("{}-{:03}", rodong_date(slot), slot + 1)
}

fn rodong_target(slot: usize) -> String {
    if RODONG_ARTICLES[slot] == "F" {
        format!(
            "/en/index.php?strPageID=SF01_02_01&newsID={}",
            rodong_key(slot)
        )
    } else {
        let token = base64(format!("12@{}@1@1@@0@8@", rodong_key(slot)).as_bytes());
        format!("/en/index.php?{token}")
    }
}

fn rodong_text(slot: usize, round: u32) -> Option<Text> {
    let t = texts();
    let later = round >= 2;
    let text = match (RODONG_ARTICLES[slot], later) {
        ("A", true) => edited(&t[0]),
        ("B", true) => t[2].clone(),
        ("C", true) => t[1].clone(),
        ("D" | "E", true) | ("G", false) => return None,
        _ => t[slot].clone(),
    };
    Some(Text {
        date: rodong_date(slot),
        ..text
    })
}

fn rodong_page(slot: usize, round: u32) -> Page {
    match rodong_text(slot, round) {
        Some(text) => Page::Html(content::rodong_article(&rodong_date(slot), &text)),
        None if RODONG_ARTICLES[slot] == "E" => Page::Resp(Response::redirect(302, "/en/")),
        None => Page::Resp(Response::not_found()),
    }
}

fn kcna_key(slot: usize) -> String {
    let name = KCNA_ARTICLES[slot];
    format!(
        "{:016x}{:016x}",
        fnv64(format!("kcna {name}").as_bytes()),
        fnv64(format!("kcna {name} 2").as_bytes())
    )
}

fn kcna_target(slot: usize) -> String {
    format!("/en/article/q/{}.kcmsf", kcna_key(slot))
}

fn kcna_text(slot: usize, round: u32) -> Option<Text> {
    let t = texts();
    match KCNA_ARTICLES[slot] {
        "huge" => None,
        "K1" if round >= 2 => Some(edited(&t[7])),
        _ => Some(t[7 + slot].clone()),
    }
}

/// The `huge` body: a kcna page whose body never ends (to HUGE_BYTES).
fn huge_response(sized: bool) -> Response {
    let t = &texts()[7];
    let page = content::kcna_article(&t.date, t);
    let cut = page
        .find("<div class=\"content-wrapper\">")
        .map_or(page.len(), |i| i + "<div class=\"content-wrapper\">".len());
    let mut resp = Response::html(200, Vec::new());
    resp.body = Body::Filler {
        head: page.as_bytes()[..cut].to_vec(),
        unit: "<p>The oversized page goes on and on without end, as no article does.</p>\n"
            .repeat(64)
            .into_bytes(),
        len: HUGE_BYTES,
    };
    resp.content_length = sized;
    resp
}

fn links(pairs: &[(String, String)]) -> Vec<(String, String)> {
    pairs.to_vec()
}

fn title_of(text: Option<Text>, fallback: &str) -> String {
    text.map_or_else(|| fallback.to_string(), |t| t.title)
}

/// What `host` + `target` holds in `round`, without side effects (the
/// flaky counter is kept by `handle`).
fn route(host: &str, target: &str, round: u32) -> Page {
    let target = http::percent_decode(target, false);
    let target = target.as_str();
    match host {
        RODONG => rodong_route(target, round),
        KCNA => kcna_route(target, round),
        _ => generic_route(target),
    }
}

fn rodong_route(target: &str, round: u32) -> Page {
    let url_of = |name: &str| rodong_target(rodong_slot(name));
    match target {
        "/robots.txt" => return Page::Resp(Response::text(200, RODONG_ROBOTS)),
        "/" => return Page::Resp(Response::redirect(302, "/en/")),
        "/en/" | "/en/index.php" | "/en" => {
            let title = |n: &str| title_of(rodong_text(rodong_slot(n), round), n);
            let a = url_of("A");
            let mut list = vec![
                // Relative, absolute with and without www., root-relative.
                (
                    format!("index.php?{}", &a["/en/index.php?".len()..]),
                    title("A"),
                ),
                (
                    format!("http://www.rodong.rep.kp{}", url_of("B")),
                    title("B"),
                ),
                (format!("http://rodong.rep.kp{}", url_of("C")), title("C")),
                (url_of("D"), title("D")),
                (url_of("E"), title("E")),
            ];
            if round >= 2 {
                list.insert(0, (url_of("G"), title("G")));
            }
            list.push((format!("index.php?{RODONG_LIST2}"), "More news".to_string()));
            let extra = format!(
                "  <div class=\"photo\"><img src=\"/photo/x.jpg\" alt=\"photo\"><a href=\"/photo/x.jpg\">Photo</a></div>\n  <p><a href=\"http://example.com/x\">Elsewhere</a> | <a href=\"{RODONG_SECRET}\">Members</a></p>\n"
            );
            return Page::Html(content::rodong_listing(
                "Latest news",
                &links(&list),
                &extra,
            ));
        }
        "/photo/x.jpg" => {
            let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16];
            jpeg.extend_from_slice(b"JFIF\0fixture image");
            jpeg.extend_from_slice(&[0xFF, 0xD9]);
            return Page::Resp(Response::new(200, "image/jpeg", jpeg));
        }
        "/css/style.css" => {
            return Page::Resp(Response::new(
                200,
                "text/css",
                ".TextP { text-indent: 2em; }\n",
            ))
        }
        _ => {}
    }
    if target == format!("/en/index.php?{RODONG_LIST2}") {
        let title = |n: &str| title_of(rodong_text(rodong_slot(n), round), n);
        let list = vec![
            (url_of("F"), title("F")),
            (
                format!("http://www.rodong.rep.kp{}", url_of("A")),
                title("A"),
            ),
            ("/en/".to_string(), "Home".to_string()),
        ];
        return Page::Html(content::rodong_listing("Politics", &list, ""));
    }
    if target == RODONG_SECRET {
        let t = &texts()[0];
        let secret = Text {
            title: "Members Only".to_string(),
            ..t.clone()
        };
        return Page::Html(content::rodong_article(&t.date, &secret));
    }
    match (0..RODONG_ARTICLES.len()).find(|&s| rodong_target(s) == target) {
        Some(slot) => rodong_page(slot, round),
        None => Page::Resp(Response::not_found()),
    }
}

fn kcna_route(target: &str, round: u32) -> Page {
    match target {
        "/robots.txt" => Page::Resp(Response::text(200, KCNA_ROBOTS)),
        "/" => Page::Resp(Response::redirect(302, "/en/")),
        "/en/" | "/en" => Page::Html(content::kcna_listing(
            &[(KCNA_LIST.to_string(), "News".to_string())],
            "",
        )),
        KCNA_LIST => {
            let list: Vec<(String, String)> = (0..KCNA_ARTICLES.len())
                .map(|s| {
                    let title = title_of(kcna_text(s, round), "Oversized item");
                    (kcna_target(s), title)
                })
                .collect();
            let extra = format!(
                "  <div class=\"pagination\"><a href=\"{KCNA_DISALLOWED}\">조선어</a></div>\n"
            );
            Page::Html(content::kcna_listing(&list, &extra))
        }
        "/resources/images/logo.png" => Page::Resp(Response::new(
            200,
            "image/png",
            b"\x89PNG\r\n\x1a\nfixture".to_vec(),
        )),
        "/css/common.css" => Page::Resp(Response::new(200, "text/css", "body { margin: 0; }\n")),
        t if t.starts_with("/kp/") => Page::Html(content::kcna_listing(&[], "")),
        t => match (0..KCNA_ARTICLES.len()).find(|&s| kcna_target(s) == t) {
            Some(slot) => match kcna_text(slot, round) {
                Some(text) => {
                    let mut resp = Response::html(200, content::kcna_article(&text.date, &text));
                    if KCNA_ARTICLES[slot] == "slow" {
                        resp.delay = SLOW_DELAY;
                    }
                    Page::Resp(resp)
                }
                None => Page::Resp(huge_response(true)),
            },
            None => Page::Resp(Response::not_found()),
        },
    }
}

fn generic_route(target: &str) -> Page {
    if target == "/" || target == "/index.html" {
        let list: Vec<(String, String)> = (1..=GENERIC_ARTICLES)
            .map(|n| (format!("/news/{n}.html"), texts()[12 + n].title.clone()))
            .collect();
        return Page::Html(content::generic_home(&list));
    }
    let n = target
        .strip_prefix("/news/")
        .and_then(|r| r.strip_suffix(".html"))
        .and_then(|n| n.parse::<usize>().ok());
    match n {
        Some(n) if (1..=GENERIC_ARTICLES).contains(&n) => {
            Page::Html(content::generic_article(&texts()[12 + n]))
        }
        _ => Page::Resp(Response::not_found()),
    }
}

fn into_response(page: Page) -> Response {
    match page {
        Page::Html(h) => Response::html(200, h),
        Page::Resp(r) => r,
    }
}

fn handle(inner: &Inner, req: &Request) -> Response {
    let round = inner.round.load(Ordering::SeqCst);
    let host = req.host.as_str();
    if host == KCNA && req.path() == kcna_target(kcna_slot("flaky")) {
        let failing = inner
            .flaky_left
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
        if failing {
            return Response::html(
                503,
                "<html><body><h1>Service Unavailable</h1></body></html>\n",
            )
            .with_header("Retry-After", "1");
        }
    }
    let mut resp = into_response(route(host, &req.target, round));
    if matches!(resp.body, Body::Filler { .. }) {
        resp.content_length = inner.huge_sized.load(Ordering::SeqCst);
        return resp;
    }
    // The round the body last changed: its Last-Modified.
    let since = match resp.bytes().filter(|_| resp.status == 200) {
        Some(body) => (1..round)
            .rev()
            .take_while(|&r| {
                into_response(route(host, &req.target, r))
                    .bytes()
                    .is_some_and(|b| b == body)
            })
            .last()
            .unwrap_or(round),
        None => round,
    };
    conditional(req, resp, Some(&last_modified(since)))
}
