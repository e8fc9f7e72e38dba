//! Fingerprints what decides the analysis: this crate's sources and the
//! gazetteers it embeds. An archive records the fingerprint its articles
//! were analysed with, so that tealeaf can say when they are due for
//! `tealeaf reanalyze` (a new tealeaf, other rules). Any edit counts, a
//! comment's too: a needless re-analysis is cheaper than a stale one
//! nobody is told about.

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn main() {
    let crate_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let gazetteers = crate_dir.join("../../gazetteers");
    let src = crate_dir.join("src");
    println!("cargo:rerun-if-changed={}", src.display());
    println!("cargo:rerun-if-changed={}", gazetteers.display());
    let mut paths = Vec::new();
    files(&src, &mut paths);
    files(&gazetteers, &mut paths);
    let mut named: Vec<(String, PathBuf)> = paths
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&crate_dir)
                .unwrap_or(&p)
                .to_string_lossy()
                .replace('\\', "/");
            (rel, p)
        })
        .collect();
    named.sort();
    let mut hasher = blake3::Hasher::new();
    for (rel, path) in named {
        let bytes = std::fs::read(&path).expect("a readable source file");
        hasher.update(rel.as_bytes());
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    let hex = hasher.finalize().to_hex();
    println!("cargo:rustc-env=TEALEAF_RULES_BUILD={}", &hex[..16]);
}
