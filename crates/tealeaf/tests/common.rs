//! Helpers shared by the CLI tests: run the real `tealeaf` binary on a
//! temporary data directory.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_tealeaf")
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `../shared` beside the repo: the corpora. Tests that read it are
/// `#[ignore]`d with that reason; run anyway (`--include-ignored`), they
/// fail here when it is absent.
pub fn shared() -> PathBuf {
    let p = repo().join("../shared");
    assert!(
        p.join("corpus").is_dir(),
        "needs ../shared/corpus beside the repository; not found at {}",
        p.join("corpus").display()
    );
    p
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

pub fn run(data: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .arg("--data")
        .arg(data)
        .args(args)
        .output()
        .expect("the tealeaf binary runs")
}

pub fn json(data: &Path, args: &[&str]) -> serde_json::Value {
    let out = run(data, args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}) from {args:?}: status {:?}\nstdout: {stdout}\nstderr: {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

pub fn ok(data: &Path, args: &[&str]) -> String {
    let out = run(data, args);
    assert!(
        out.status.success(),
        "{args:?} failed: {:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Writes `lines` as a JSONL file `name` in `dir`.
pub fn write_jsonl(dir: &Path, name: &str, lines: &[serde_json::Value]) -> PathBuf {
    let path = dir.join(name);
    let text: String = lines.iter().map(|v| format!("{v}\n")).collect();
    std::fs::write(&path, text).unwrap();
    path
}

/// The changes of one article, as `tealeaf changes --json --id` lists them.
pub fn changes_of(data: &Path, id: &str) -> Vec<serde_json::Value> {
    json(data, &["changes", "--json", "--id", id])["changes"]
        .as_array()
        .unwrap()
        .clone()
}

/// Stops a child process however the test ends.
pub struct Kill(pub std::process::Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A server's stdout, to be kept open: it prints more lines after the
/// address and would die writing to a closed pipe.
pub type ServerOut = std::io::Lines<BufReader<std::process::ChildStdout>>;

/// `tealeaf serve` on `data` at a free port of 127.0.0.1, read-only; its
/// stdout's lines (the first names the address).
pub fn serve(data: &Path) -> (Kill, ServerOut) {
    let mut child = Command::new(bin())
        .arg("--data")
        .arg(data)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env_remove("TEALEAF_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("tealeaf serve starts");
    let stdout = child.stdout.take().expect("stdout");
    (Kill(child), BufReader::new(stdout).lines())
}

/// The kcna-2011 records published from `from` to `to` (`YYYY-MM-DD`),
/// as JSONL lines.
pub fn kcna_records(from: &str, to: &str) -> Vec<String> {
    let path = shared().join("corpus/kcna/kcna-2011.jsonl.gz");
    let file = std::fs::File::open(&path).expect("kcna-2011 is in the shared corpus");
    BufReader::new(flate2::read::MultiGzDecoder::new(file))
        .lines()
        .map(|l| l.expect("a line"))
        .filter(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a record");
            let date = v["date"].as_str().unwrap_or("");
            date >= from && date <= to
        })
        .collect()
}

/// The address a server started by [`serve`] listens on (`127.0.0.1:PORT`).
pub fn served_host(out: &mut ServerOut) -> String {
    let line = out
        .next()
        .expect("the server prints its address")
        .expect("a line");
    let host = line
        .strip_prefix("listening on http://")
        .expect("the address line")
        .trim_end_matches('/')
        .to_string();
    assert!(host.starts_with("127.0.0.1:"), "{host}");
    host
}

/// GET `path` from `host` (one connection, closed after): the body of a
/// 200 answer (anything else fails the test).
pub fn http_get(host: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(host).expect("connect");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("read");
    assert!(out.starts_with("HTTP/1.1 200"), "{path}: {out}");
    out.split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())
        .unwrap_or_default()
}

pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// The tealeaf binary copied into `dir` (which must let others in, 0755),
/// where `nobody` can run it.
pub fn bin_copy(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let copy = dir.join("tealeaf");
    std::fs::copy(bin(), &copy).unwrap();
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755)).unwrap();
    copy
}

/// Runs `bin_copy` (see [`bin_copy`]) on `data` as a user file modes
/// apply to: as `nobody` (setpriv) when the tests run as root, whom
/// permissions do not stop; as this user otherwise.
pub fn unprivileged(bin_copy: &Path, data: &Path, args: &[&str]) -> Output {
    let mut cmd = if is_root() {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(bin_copy);
        c
    } else {
        Command::new(bin_copy)
    };
    cmd.arg("--data")
        .arg(data)
        .args(args)
        .output()
        .expect("runs")
}
