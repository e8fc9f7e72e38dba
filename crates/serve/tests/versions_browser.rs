//! The side-by-side page in Chromium, driven through chromedriver (W3C
//! WebDriver over HTTP, as in `webdriver.rs`): the two columns stand side
//! by side at desktop width and stack, older first, at 400 px; removed and
//! added words are struck and underlined (not colour alone). Ignored
//! unless asked for (`--include-ignored`): it needs chromium and
//! chromedriver.

mod common;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn chromedriver() -> PathBuf {
    std::env::var_os("PATH")
        .and_then(|path| {
            std::env::split_paths(&path)
                .map(|d| d.join("chromedriver"))
                .find(|p| p.is_file())
        })
        .expect("needs chromedriver: not on PATH (apt-get install chromium-driver)")
}

/// chromedriver and one headless session; both end on drop.
struct Browser {
    driver: Child,
    session: String,
    agent: ureq::Agent,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.agent.delete(&self.session).call();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

#[derive(Debug, Clone, Copy)]
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl Browser {
    fn start() -> Browser {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let driver = Command::new(chromedriver())
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let base = format!("http://127.0.0.1:{port}");
        let profile = tempfile::tempdir().expect("profile dir");
        let mut b = Browser {
            driver,
            session: String::new(),
            agent: agent(),
            _profile: profile,
        };
        let started = Instant::now();
        let ready = |a: &ureq::Agent| {
            a.get(&format!("{base}/status"))
                .call()
                .ok()
                .and_then(|mut r| r.body_mut().read_to_string().ok())
                .is_some_and(|s| s.contains("\"ready\":true"))
        };
        while !ready(&b.agent) {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver not ready"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium(),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                    "--window-size=1280,900",
                    format!("--user-data-dir={}", b._profile.path().display()),
                ]
            }
        }}});
        let v = b.call("POST", &format!("{base}/session"), Some(caps));
        let id = v["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {v}"));
        b.session = format!("{base}/session/{id}");
        b
    }

    fn call(&self, method: &str, url: &str, body: Option<Value>) -> Value {
        let r = match method {
            "GET" => get(url),
            _ => post(
                url,
                &[("Content-Type", "application/json")],
                body.unwrap_or_else(|| json!({})).to_string().as_bytes(),
            ),
        };
        assert_eq!(r.status, 200, "{method} {url}: {}", r.body);
        r.json()["value"].clone()
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.call(method, &format!("{}{path}", self.session), body)
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

    fn rect(&self, css: &str) -> Rect {
        let v = self.cmd("GET", &format!("/element/{}/rect", self.find(css)), None);
        let f = |k: &str| v[k].as_f64().unwrap_or_else(|| panic!("{css}: {v}"));
        Rect {
            x: f("x"),
            y: f("y"),
            w: f("width"),
            h: f("height"),
        }
    }

    fn css(&self, css: &str, property: &str) -> String {
        let id = self.find(css);
        self.cmd("GET", &format!("/element/{id}/css/{property}"), None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    fn resize(&self, width: u32, height: u32) {
        self.cmd(
            "POST",
            "/window/rect",
            Some(json!({"width": width, "height": height})),
        );
    }
}

#[test]
#[ignore = "needs chromium and chromedriver (cargo test -- --include-ignored)"]
fn compare_columns_side_by_side_on_a_desktop_and_stacked_on_a_phone() {
    let (srv, _tmp) = history_server();
    let b = Browser::start();
    b.go(&format!("{}/article/{HISTORY_ID}/compare", srv.base));
    let (old, new) = (".sbs-changed .sbs-old", ".sbs-changed .sbs-new");

    // Desktop: one row, two columns, the older on the left.
    let page = b.rect("html");
    assert!(page.w > 1000.0, "desktop viewport {page:?}");
    let (l, r) = (b.rect(old), b.rect(new));
    assert!((l.y - r.y).abs() < 1.0, "not on one line: {l:?} {r:?}");
    assert!(
        r.x >= l.x + l.w,
        "right column not right of the left: {l:?} {r:?}"
    );
    assert!(
        l.w > 300.0 && r.w > 300.0,
        "columns too narrow: {l:?} {r:?}"
    );

    // Marked words: struck and underlined, not only coloured.
    let struck = b.css(&format!("{old} del"), "text-decoration-line");
    assert!(struck.contains("line-through"), "del: {struck}");
    let underlined = b.css(&format!("{new} ins"), "text-decoration-line");
    assert!(underlined.contains("underline"), "ins: {underlined}");

    // A phone: the columns stack, the older first, each the page's width.
    b.resize(400, 900);
    let page = b.rect("html");
    assert!(page.w <= 400.0, "phone viewport {page:?}");
    let (l, r) = (b.rect(old), b.rect(new));
    assert!(r.y >= l.y + l.h - 0.5, "not stacked: {l:?} {r:?}");
    assert!(
        (l.x - r.x).abs() < 1.0,
        "stacked cells not aligned: {l:?} {r:?}"
    );
    assert!(
        l.x + l.w <= page.w && r.w > 300.0,
        "{l:?} {r:?} in {page:?}"
    );
}

#[test]
#[ignore = "needs chromium (cargo test -- --include-ignored)"]
fn version_pages_run_no_script_from_the_text() {
    let (srv, _tmp) = history_server();
    let chrome = chromium();
    for path in [
        format!("/article/{HISTORY_ID}"),
        format!("/article/{HISTORY_ID}/v/1"),
        format!("/article/{HISTORY_ID}/v/2"),
        format!("/article/{HISTORY_ID}/compare"),
        format!("/article/{HISTORY_ID}/compare?a=1&b=2"),
        format!("/article/{XSS_ID}/v/1"),
    ] {
        // A dialog would hold headless Chromium: `dump_dom` errs then.
        let dom = dump_dom(&chrome, &format!("{}{path}", srv.base))
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(dom.contains("</main>"), "{path}: not drawn: {dom}");
        let lower = dom.to_ascii_lowercase();
        for bad in ["data-pwned=\"", "<script", "<img", "<iframe", "<svg"] {
            assert!(!lower.contains(bad), "{path}: `{bad}` in the DOM: {dom}");
        }
    }
}
