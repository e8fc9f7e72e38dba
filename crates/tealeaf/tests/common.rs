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
