//! Fingerprints what decides the analysis: this crate's sources and the
//! gazetteers it embeds. An archive records the fingerprint its articles
//! were analysed with, so that tealeaf can say when they are due for
//! `tealeaf reanalyze` (a new tealeaf, other rules). Any edit counts, a
//! comment's too: a needless re-analysis is cheaper than a stale one
//! nobody is told about. Not covered: what the analysis calls in other
//! crates (`tealeaf-model`'s dates) and the dependencies' versions.

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        // Editors' lock, swap and backup files are not sources.
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs" || x == "tsv") {
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
        // An unreadable file fails the build where it is compiled or
        // embedded; here it only leaves the fingerprint.
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        hasher.update(rel.as_bytes());
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    let hex = hasher.finalize().to_hex();
    println!("cargo:rustc-env=TEALEAF_RULES_BUILD={}", &hex[..16]);
}
