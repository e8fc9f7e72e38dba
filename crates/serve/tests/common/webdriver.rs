//! The browser tests' WebDriver client: chromedriver on a free 127.0.0.1
//! port and one headless Chromium session, spoken to in the W3C WebDriver
//! protocol over HTTP with the tests' HTTP client. It owns the protocol
//! only; what a page must look like belongs to the tests.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::agent;

/// How WebDriver names an element in its answers.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// chromedriver on PATH; the test fails here when it is not installed.
pub fn chromedriver() -> PathBuf {
    std::env::var_os("PATH")
        .and_then(|path| {
            std::env::split_paths(&path)
                .map(|d| d.join("chromedriver"))
                .find(|p| p.is_file())
        })
        .expect("needs chromedriver: not on PATH (apt-get install chromium-driver)")
}

/// One request to chromedriver: its status and its JSON answer (a
/// WebDriver error is JSON too, `{"value": {"error": ...}}`).
pub fn call(agent: &ureq::Agent, method: &str, url: &str, body: Option<Value>) -> (u16, Value) {
    let resp = match method {
        "GET" => agent.get(url).call(),
        "DELETE" => agent.delete(url).call(),
        _ => agent
            .post(url)
            .header("Content-Type", "application/json")
            .send(body.unwrap_or_else(|| json!({})).to_string()),
    };
    let mut resp = resp.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let status = resp.status().as_u16();
    let text = resp
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_string()
        .expect("webdriver answer");
    let v = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{method} {url}: not JSON ({e}): {text}"));
    (status, v)
}

/// An element's box on the page, in CSS pixels.
#[derive(Debug, Clone, Copy)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// A chromedriver process and one browser session; both end on drop.
pub struct Session {
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

impl Session {
    /// Starts `driver` and a headless `chrome` in a 1280x900 window.
    pub fn start(chrome: &Path, driver: &Path) -> Session {
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
        // Owned from here on, so that chromedriver ends even when it
        // never gets ready.
        let mut session = Session {
            driver: child,
            url: String::new(),
            agent: agent(),
            _profile: tempfile::tempdir().expect("profile dir"),
        };
        let started = Instant::now();
        let ready = |a: &ureq::Agent| {
            a.get(&format!("{base}/status"))
                .call()
                .ok()
                .and_then(|mut r| r.body_mut().read_to_string().ok())
                .is_some_and(|s| s.contains("\"ready\":true"))
        };
        while !ready(&session.agent) {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver not ready"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chrome,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                    "--window-size=1280,900",
                    format!("--user-data-dir={}", session._profile.path().display()),
                ]
            }
        }}});
        let (_, v) = call(
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

    /// A command to this session: its `value`, or `Err` with the
    /// WebDriver error (`{"error": ..., "message": ...}`).
    pub fn try_cmd(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, Value> {
        let (status, v) = call(&self.agent, method, &format!("{}{path}", self.url), body);
        let value = v["value"].clone();
        if status == 200 {
            Ok(value)
        } else {
            Err(value)
        }
    }

    /// A command that must succeed: its `value`.
    pub fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.try_cmd(method, path, body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    pub fn go(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url })));
    }

    /// The first element matching `css`; the test fails without one.
    pub fn find(&self, css: &str) -> String {
        let v = self
            .try_cmd(
                "POST",
                "/element",
                Some(json!({"using": "css selector", "value": css})),
            )
            .unwrap_or_else(|e| e);
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element `{css}`: {v}"))
            .to_string()
    }

    pub fn text(&self, element: &str) -> String {
        self.cmd("GET", &format!("/element/{element}/text"), None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// Whether a checkbox, radio button or option is ticked.
    pub fn selected(&self, element: &str) -> bool {
        self.cmd("GET", &format!("/element/{element}/selected"), None)
            .as_bool()
            .unwrap_or_else(|| panic!("`selected` of {element} is not a boolean"))
    }

    pub fn current_url(&self) -> String {
        self.cmd("GET", "/url", None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// The page's address once `done` holds for it, or as it is after ten
    /// seconds: a click that submits a form or follows a link can return
    /// before the browser has navigated.
    pub fn url_once(&self, done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let url = self.current_url();
            if done(&url) || Instant::now() > deadline {
                return url;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The page's address once it holds `part` (see [`Session::url_once`]).
    pub fn url_once_it_holds(&self, part: &str) -> String {
        self.url_once(|url| url.contains(part))
    }

    /// The text of an open dialog, if one is open.
    pub fn alert(&self) -> Option<String> {
        let v = self.try_cmd("GET", "/alert/text", None).ok()?;
        v.as_str().map(str::to_string)
    }

    /// The box of the first element matching `css`.
    pub fn rect(&self, css: &str) -> Rect {
        let v = self.cmd("GET", &format!("/element/{}/rect", self.find(css)), None);
        let f = |k: &str| v[k].as_f64().unwrap_or_else(|| panic!("{css}: {v}"));
        Rect {
            x: f("x"),
            y: f("y"),
            w: f("width"),
            h: f("height"),
        }
    }

    /// The computed `property` of the first element matching `css`.
    pub fn css(&self, css: &str, property: &str) -> String {
        let id = self.find(css);
        self.cmd("GET", &format!("/element/{id}/css/{property}"), None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    pub fn resize(&self, width: u32, height: u32) {
        self.cmd(
            "POST",
            "/window/rect",
            Some(json!({"width": width, "height": height})),
        );
    }

    /// Saves a PNG of the window to `path`.
    pub fn screenshot(&self, path: &Path) {
        self.save_png("/screenshot", path);
    }

    /// Saves a PNG of one element (scrolled into view) to `path`.
    pub fn element_screenshot(&self, element: &str, path: &Path) {
        self.save_png(&format!("/element/{element}/screenshot"), path);
    }

    fn save_png(&self, command: &str, path: &Path) {
        let b64 = self.cmd("GET", command, None);
        let png = base64_decode(b64.as_str().expect("base64 screenshot"));
        std::fs::write(path, &png).expect("save the screenshot");
    }
}

pub fn base64_decode(s: &str) -> Vec<u8> {
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
