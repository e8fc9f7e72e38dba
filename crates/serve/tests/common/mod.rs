//! Shared by the server tests: a real data directory ingested from the
//! repository's fixtures, a real server on 127.0.0.1 (port 0), a real HTTP
//! client, and headless Chromium.
#![allow(dead_code)]

pub mod webdriver;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tealeaf_pipeline::DataDir;
use tealeaf_read::ReadOptions;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Title, body, byline and url of this article hold script that must never
/// run: each payload marks `<body>` (or opens a dialog) if it does.
pub const XSS_ID: &str = "xss-probe";
pub const XSS_TITLE: &str =
    "Probe <script>alert(1)</script><script>document.title='pwned'</script>";
pub fn xss_record() -> String {
    serde_json::json!({
        "id": XSS_ID,
        "outlet": "kcna",
        "language": "en",
        "published": "2025-12-01",
        "url": "javascript:alert(1)",
        "title": XSS_TITLE,
        "byline": "<b onmouseover=alert(1)>byline</b>",
        "paragraphs": [
            "<img src=x onerror=\"document.body.setAttribute('data-pwned','img');alert(1)\">",
            "<a href=\"javascript:alert(1)\">a javascript: link</a> probe",
            "<script>document.body.setAttribute('data-pwned','script')</script><svg onload=alert(1)></svg>",
            "</textarea></title><iframe src=\"javascript:alert(1)\"></iframe>"
        ],
        "captured_at": "2025-12-01T06:00:00Z"
    })
    .to_string()
}

/// A data directory with the seed page, the sample captures and the
/// script probe.
pub fn data_dir(dir: &Path) -> DataDir {
    let data = DataDir::new(dir.join("data"));
    let probe = dir.join("probe.jsonl");
    std::fs::write(&probe, xss_record() + "\n").expect("write the probe");
    let paths = vec![
        repo().join("fixtures/pages/000_f3b22d0fefd5ee43.txt"),
        repo().join("fixtures/samples/captures.jsonl"),
        probe,
    ];
    let s =
        tealeaf_pipeline::ingest_paths(&data, &paths, &ReadOptions::default(), 4000, &|_, _| {})
            .expect("ingest the fixtures");
    assert_eq!(s.rejected, 0, "fixtures ingest cleanly: {:?}", s.errors);
    data
}

/// An article with a history: captured, edited, gone (404), back again.
/// Its title and text hold markup that must stay text on every page (the
/// diffs carry it in `<del>`/`<ins>`), and it names people and a country.
pub const HISTORY_ID: &str = "history-probe";
pub fn history_records() -> String {
    let rec = |at: &str, title: &str, paragraphs: &[&str], status: Option<u16>| {
        let mut r = serde_json::json!({
            "id": HISTORY_ID,
            "outlet": "kcna",
            "language": "en",
            "published": "2025-12-01",
            "title": title,
            "paragraphs": paragraphs,
            "captured_at": at,
        });
        if let Some(s) = status {
            r["status"] = s.into();
        }
        r.to_string()
    };
    let title = "History <script>alert(1)</script> probe";
    let lead = "Kim Jong Un inspected a tractor factory and met guests from Russia. \
                He was accompanied by Choe Ryong Hae and Jo Yong Won.";
    let v2 = [
        lead,
        "The workers pledged <script>document.body.setAttribute('data-pwned','diff')</script> firm loyalty.",
        "A new paragraph <iframe src=\"javascript:alert(3)\"></iframe> appeared.",
    ];
    [
        rec(
            "2025-12-01T06:00:00Z",
            title,
            &[
                lead,
                "The workers pledged <img src=x onerror=\"document.body.setAttribute('data-pwned','img')\"> loyalty.",
                "An old paragraph that will be deleted.",
            ],
            None,
        ),
        rec("2025-12-03T06:00:00Z", title, &v2, None),
        rec("2025-12-05T06:00:00Z", "", &[], Some(404)),
        rec("2025-12-07T06:00:00Z", title, &v2, None),
    ]
    .join("\n")
        + "\n"
}

/// A server over the fixture data plus [`history_records`].
pub fn history_server() -> (Server, tempfile::TempDir) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = data_dir(tmp.path());
    let history = tmp.path().join("history.jsonl");
    std::fs::write(&history, history_records()).expect("write the history");
    let s = tealeaf_pipeline::ingest_paths(
        &data,
        &[history],
        &ReadOptions::default(),
        4000,
        &|_, _| {},
    )
    .expect("ingest the history");
    assert_eq!(s.rejected, 0, "the history ingests cleanly: {:?}", s.errors);
    (start(tealeaf_serve::Config::new(data)), tmp)
}

/// A running server; stopped when dropped.
pub struct Server {
    pub base: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

pub fn start(config: tealeaf_serve::Config) -> Server {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.set_nonblocking(true).expect("nonblocking");
    let addr = listener.local_addr().expect("local addr");
    let app = tealeaf_serve::app(&config).expect("open the data directory");
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            tealeaf_serve::serve_on(listener, app, &config, async {
                let _ = rx.await;
            })
            .await
            .expect("serve");
        });
    });
    Server {
        base: format!("http://{addr}"),
        shutdown: Some(tx),
    }
}

/// A server over the fixture data; the temp dir lives as long as it.
pub fn fixture_server(token: Option<&str>) -> (Server, tempfile::TempDir) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = data_dir(tmp.path());
    let mut config = tealeaf_serve::Config::new(data);
    config.token = token.map(str::to_string);
    config.max_body = 256 * 1024;
    (start(config), tmp)
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

pub struct Resp {
    pub status: u16,
    pub headers: ureq::http::HeaderMap,
    pub body: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", &self.body))
    }
}

fn finish(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Resp {
    let mut r = r.expect("the request reaches the server");
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let body = r
        .body_mut()
        .with_config()
        .limit(256 * 1024 * 1024)
        .read_to_string()
        .expect("body");
    Resp {
        status,
        headers,
        body,
    }
}

pub fn get(url: &str) -> Resp {
    finish(agent().get(url).call())
}

pub fn get_with(url: &str, header: (&str, &str)) -> Resp {
    finish(agent().get(url).header(header.0, header.1).call())
}

pub fn post(url: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
    let mut req = agent().post(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    finish(req.send(body))
}

/// A raw request line sent as is (no client normalizing `..`), status code back.
pub fn raw_status(base: &str, path: &str) -> (u16, String) {
    raw_request(base, path, base.trim_start_matches("http://"))
}

/// A raw GET with the `Host` header given as is: status code and the whole
/// response back.
pub fn raw_request(base: &str, path: &str, host: &str) -> (u16, String) {
    use std::io::Write;
    let addr = base.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).ok();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    let status = out
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, out)
}

/// Headless Chromium (`TEALEAF_CHROMIUM`, or on PATH). Tests that drive it
/// are `#[ignore]`d with that reason; run anyway (`--include-ignored`),
/// they fail here when it is not installed.
pub fn chromium() -> PathBuf {
    let names = ["chromium", "chromium-browser", "google-chrome"];
    std::env::var_os("TEALEAF_CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| {
            let path = std::env::var_os("PATH")?;
            std::env::split_paths(&path)
                .flat_map(|d| names.iter().map(move |n| d.join(n)))
                .find(|p| p.is_file())
        })
        .expect("needs chromium: none of chromium, chromium-browser, google-chrome is on PATH and TEALEAF_CHROMIUM is unset (apt-get install chromium)")
}

/// Fails the test when charts cannot be drawn: plotters measures text
/// with a system TrueType font, even for SVG.
pub fn fonts() {
    use tealeaf_query::chart::{self, ChartError};
    match chart::svg(&[], tealeaf_model::Period::Month, false, None) {
        Err(e @ ChartError::NoFont) => panic!("needs fonts: {e}"),
        other => {
            other.expect("an empty chart draws");
        }
    }
}

/// Runs Chromium headless on `url` with `args` (e.g. `--dump-dom`); its
/// stdout, or `Err` when it did not finish within `timeout` (a page that
/// opened a dialog never finishes).
pub fn browse(
    chrome: &Path,
    args: &[&str],
    url: &str,
    timeout: Duration,
) -> Result<String, String> {
    let profile = tempfile::tempdir().expect("profile dir");
    let mut child = Command::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let started = Instant::now();
    loop {
        match child.try_wait().expect("wait for chromium") {
            Some(_) => break,
            None if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "chromium did not finish within {timeout:?} on {url}"
                ));
            }
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    }
    Ok(reader.join().unwrap_or_default())
}

pub fn dump_dom(chrome: &Path, url: &str) -> Result<String, String> {
    browse(chrome, &["--dump-dom"], url, Duration::from_secs(30))
}
