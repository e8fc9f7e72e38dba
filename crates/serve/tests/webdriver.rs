//! End to end as a user: Chromium driven through chromedriver (the W3C
//! WebDriver protocol, spoken over HTTP with the test's HTTP client) types
//! a query into the search form, submits it, opens the first hit and
//! saves a screenshot, which is checked. Also checks that the article
//! holding script opens no dialog. Ignored unless asked for
//! (`--include-ignored`): it needs chromium and chromedriver.

mod common;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// chromedriver on PATH; the test fails here when it is not installed.
fn chromedriver() -> PathBuf {
    std::env::var_os("PATH")
        .and_then(|path| {
            std::env::split_paths(&path)
                .map(|d| d.join("chromedriver"))
                .find(|p| p.is_file())
        })
        .expect("needs chromedriver: not on PATH (apt-get install chromium-driver)")
}

/// A chromedriver process and one browser session; both end on drop.
struct Session {
    driver: Child,
    url: String,
    agent: ureq::Agent,
    _profile: tempfile::TempDir,
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.agent.delete(&self.url).call();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn call(agent: &ureq::Agent, method: &str, url: &str, body: Option<Value>) -> Value {
    let resp = match (method, body) {
        ("GET", _) => agent.get(url).call(),
        ("DELETE", _) => agent.delete(url).call(),
        (_, body) => agent
            .post(url)
            .header("Content-Type", "application/json")
            .send(body.unwrap_or_else(|| json!({})).to_string()),
    };
    let mut resp = resp.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let text = resp
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_string()
        .expect("webdriver answer");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{method} {url}: not JSON ({e}): {text}"))
}

impl Session {
    fn start(chrome: &std::path::Path, driver: &std::path::Path) -> Session {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let base = format!("http://127.0.0.1:{port}");
        let a = agent();
        let started = Instant::now();
        loop {
            if let Ok(mut r) = a.get(&format!("{base}/status")).call() {
                if r.body_mut()
                    .read_to_string()
                    .is_ok_and(|s| s.contains("\"ready\":true"))
                {
                    break;
                }
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver not ready"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().expect("profile dir");
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chrome,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                    "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }
        }}});
        let mut session = Session {
            driver: child,
            url: String::new(),
            agent: a,
            _profile: profile,
        };
        let v = call(
            &session.agent,
            "POST",
            &format!("{base}/session"),
            Some(caps),
        );
        let id = v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {v}"))
            .to_string();
        session.url = format!("{base}/session/{id}");
        session
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let v = call(&self.agent, method, &format!("{}{path}", self.url), body);
        v["value"].clone()
    }

    fn go(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url })));
    }

    fn find(&self, css: &str) -> String {
        let v = self.cmd(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element `{css}`: {v}"))
            .to_string()
    }

    fn text(&self, element: &str) -> String {
        self.cmd("GET", &format!("/element/{element}/text"), None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    fn current_url(&self) -> String {
        self.cmd("GET", "/url", None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }
    /// The page's address once it holds `part`, or as it is after ten
    /// seconds: a click that submits a form or follows a link can return
    /// before the browser has navigated.
    fn url_once_it_holds(&self, part: &str) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let url = self.current_url();
            if url.contains(part) || std::time::Instant::now() > deadline {
                return url;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    /// The text of an open dialog, if one is open.
    fn alert(&self) -> Option<String> {
        let v = self.cmd("GET", "/alert/text", None);
        v.as_str().map(str::to_string)
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for v in s.bytes().filter_map(val) {
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

#[test]
#[ignore = "needs chromium and chromedriver (cargo test -- --include-ignored)"]
fn type_a_query_submit_open_the_hit_and_screenshot() {
    let chrome = chromium();
    let driver = chromedriver();
    let (srv, tmp) = fixture_server(None);
    let s = Session::start(&chrome, &driver);

    // The search page, its labelled field; type and submit.
    s.go(&format!("{}/search", srv.base));
    let label = s.find("label[for=q]");
    assert!(s.text(&label).contains("phrases"), "label");
    let q = s.find("input#q[name=q]");
    s.cmd(
        "POST",
        &format!("/element/{q}/value"),
        Some(json!({"text": "\"overseas operations\""})),
    );
    let newest = s.find("select#sort option[value=newest]");
    s.cmd("POST", &format!("/element/{newest}/click"), None);
    let go = s.find("form.search button[type=submit]");
    s.cmd("POST", &format!("/element/{go}/click"), None);

    // The browser followed the form's GET to the results.
    let url = s.url_once_it_holds("/search?q=");
    assert!(url.contains("/search?q=%22overseas+operations%22"), "{url}");
    assert!(url.contains("sort=newest"), "{url}");
    let heading = s.find("#results-h");
    assert!(
        s.text(&heading).starts_with("1 hit"),
        "{}",
        s.text(&heading)
    );
    let mark = s.find("ol.hits .snippet b");
    assert_eq!(s.text(&mark).to_lowercase(), "overseas operations");

    // Open the first hit.
    let hit = s.find("ol.hits a.hit-title");
    let title = s.text(&hit);
    s.cmd("POST", &format!("/element/{hit}/click"), None);
    let url = s.url_once_it_holds("/article/");
    assert!(url.contains("/article/"), "{url}");
    let h1 = s.find("main h1");
    assert_eq!(s.text(&h1), title);
    let versions = s.find("#versions");
    assert_eq!(s.text(&versions), "Versions");

    // Save the screenshot and check it.
    let b64 = s.cmd("GET", "/screenshot", None);
    let png = base64_decode(b64.as_str().expect("base64 screenshot"));
    let shot = tmp.path().join("article.png");
    std::fs::write(&shot, &png).expect("save the screenshot");
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&shot).expect("open"),
    ));
    let mut reader = decoder.read_info().expect("a valid PNG");
    let (w, h) = (reader.info().width, reader.info().height);
    assert!(w >= 800 && h >= 500, "{w}x{h}");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let frame = reader.next_frame(&mut buf).expect("pixels");
    let px = &buf[..frame.buffer_size()];
    let n = frame.color_type.samples();
    let mut colours: Vec<&[u8]> = px.chunks(n).map(|p| &p[..3]).collect();
    let dark = colours.iter().filter(|p| p.iter().all(|&c| c < 90)).count();
    assert!(dark * 100 > colours.len(), "no text or header drawn");
    colours.sort();
    colours.dedup();
    assert!(
        colours.len() > 20,
        "blank screenshot ({} colours)",
        colours.len()
    );
}

#[test]
#[ignore = "needs chromium and chromedriver (cargo test -- --include-ignored)"]
fn the_script_probe_opens_no_dialog() {
    let chrome = chromium();
    let driver = chromedriver();
    let (srv, tmp) = fixture_server(None);
    let s = Session::start(&chrome, &driver);

    // Control: a page that does call alert() leaves a dialog open.
    let control = tmp.path().join("control.html");
    std::fs::write(
        &control,
        "<!doctype html><title>c</title><script>alert('control')</script>",
    )
    .expect("write");
    s.go(&format!("file://{}", control.display()));
    assert_eq!(s.alert().as_deref(), Some("control"));
    s.cmd("POST", "/alert/dismiss", None);

    for path in [format!("/article/{XSS_ID}"), "/search?q=probe".to_string()] {
        s.go(&format!("{}{path}", srv.base));
        assert_eq!(s.alert(), None, "{path}: a dialog opened");
        let title = s.cmd("GET", "/title", None);
        assert!(
            !title.as_str().unwrap_or("").starts_with("pwned"),
            "{path}: {title}"
        );
        // Clicking the probe's text (where an injected link or image
        // would be) does nothing either.
        let body = s.find("main");
        s.cmd("POST", &format!("/element/{body}/click"), None);
        assert_eq!(s.alert(), None, "{path}: a dialog opened on click");
    }
}

/// The people index as a user meets it: the menu leads there, a spelling
/// typed into its form finds the person, whose page's chart has bars that
/// open their month's articles in the search; on the trends page a point
/// of the chart does the same.
#[test]
#[ignore = "needs chromium, chromedriver and fonts (cargo test -- --include-ignored)"]
fn people_index_then_a_chart_bar_opens_its_articles() {
    let chrome = chromium();
    let driver = chromedriver();
    fonts();
    let (srv, tmp) = history_server();
    let s = Session::start(&chrome, &driver);

    s.go(&format!("{}/", srv.base));
    let menu = s.find("nav a[href='/people']");
    s.cmd("POST", &format!("/element/{menu}/click"), None);
    assert!(s.url_once_it_holds("/people").ends_with("/people"));
    let h1 = s.find("main h1");
    assert_eq!(s.text(&h1), "People");
    let first = s.find("table.people tbody tr td a");
    assert_eq!(s.text(&first), "Kim Jong Un");
    let shot = s.cmd("GET", "/screenshot", None);
    let png = base64_decode(shot.as_str().expect("base64 screenshot"));
    let path = tmp.path().join("people.png");
    std::fs::write(&path, &png).expect("save the screenshot");
    let reader = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&path).expect("open"),
    ))
    .read_info()
    .expect("a valid PNG");
    assert!(reader.info().width >= 800 && reader.info().height >= 500);

    // A spelling with a hyphen, in other letter case.
    let q = s.find("input#q[name=q]");
    s.cmd(
        "POST",
        &format!("/element/{q}/value"),
        Some(json!({"text": "JONG-UN"})),
    );
    let go = s.find("form.search button[type=submit]");
    s.cmd("POST", &format!("/element/{go}/click"), None);
    let url = s.url_once_it_holds("q=JONG-UN");
    assert!(url.contains("/people?q=JONG-UN"), "{url}");
    let heading = s.find("#people-h");
    assert!(
        s.text(&heading).starts_with("1 person"),
        "{}",
        s.text(&heading)
    );
    let person = s.find("table.people tbody tr td a");
    s.cmd("POST", &format!("/element/{person}/click"), None);
    let url = s.url_once_it_holds("/person/");
    assert!(url.ends_with("/person/Kim%20Jong%20Un"), "{url}");

    // The first bar: December 2025, one article.
    let bar = s.find("figure.chart svg a");
    s.cmd("POST", &format!("/element/{bar}/click"), None);
    let url = s.url_once_it_holds("/search?");
    assert!(
        url.contains("/search?person=Kim+Jong+Un&from=2025-12-01&to=2025-12-31"),
        "{url}"
    );
    let results = s.find("#results-h");
    assert!(
        s.text(&results).starts_with("1 hit"),
        "{}",
        s.text(&results)
    );

    // A point of the trends chart (plotters' SVG, links laid over it).
    s.go(&format!("{}/trends?terms=Kim+Jong+Un", srv.base));
    let point = s.find("figure.chart svg g.chart-links a");
    s.cmd("POST", &format!("/element/{point}/click"), None);
    let url = s.url_once_it_holds("/search?");
    assert!(
        url.contains("/search?person=Kim+Jong+Un&from=2025-12-01"),
        "{url}"
    );
    let results = s.find("#results-h");
    assert!(
        s.text(&results).starts_with("1 hit"),
        "{}",
        s.text(&results)
    );
}
