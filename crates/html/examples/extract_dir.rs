//! Reads every `.html.gz` page of a directory (or those a file list names,
//! one name a line) with `tealeaf_html::extract` and prints one JSON line
//! per page: `{"file", "title", "paragraphs"}`, in name order. Used by
//! `bench/extract.py`.
//!
//! `extract_dir PAGES_DIR [FILE_LIST] [--threads N]`

use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

fn main() {
    if let Err(e) = run() {
        eprintln!("extract_dir: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut threads = 1usize;
    if let Some(at) = args.iter().position(|a| a == "--threads") {
        threads = args
            .get(at + 1)
            .and_then(|n| n.parse().ok())
            .ok_or("--threads needs a number")?;
        args.drain(at..at + 2);
    }
    let dir = PathBuf::from(
        args.first()
            .ok_or("usage: extract_dir PAGES_DIR [FILE_LIST] [--threads N]")?,
    );
    let mut names: Vec<String> = match args.get(1) {
        Some(list) => std::fs::read_to_string(list)?
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        None => std::fs::read_dir(&dir)?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".html.gz"))
            .collect(),
    };
    names.sort();
    let threads = threads.max(1).min(names.len().max(1));
    let chunk = names.len().div_ceil(threads).max(1);
    let lines: Vec<Vec<String>> = std::thread::scope(|s| {
        let handles: Vec<_> = names
            .chunks(chunk)
            .map(|part| {
                let dir = &dir;
                s.spawn(move || part.iter().map(|n| line(dir, n)).collect::<Vec<_>>())
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for l in lines.iter().flatten() {
        writeln!(out, "{l}")?;
    }
    out.flush()?;
    Ok(())
}

/// One page's JSON line; a page that cannot be read gets an `error`.
fn line(dir: &Path, name: &str) -> String {
    let result = read_gz(&dir.join(name))
        .map_err(|e| e.to_string())
        .and_then(|bytes| {
            tealeaf_html::extract(&bytes, &tealeaf_html::Hints::default())
                .map_err(|e| e.to_string())
        });
    let value = match result {
        Ok(page) => serde_json::json!({
            "file": name,
            "title": page.title,
            "paragraphs": page.paragraphs,
        }),
        Err(e) => serde_json::json!({ "file": name, "title": "", "paragraphs": [], "error": e }),
    };
    value.to_string()
}

fn read_gz(path: &Path) -> std::io::Result<Vec<u8>> {
    let packed = std::fs::read(path)?;
    // The gzip trailer's last four bytes are the unpacked size (mod 2^32):
    // sized once, the buffer is not grown and copied while inflating.
    let hint = packed
        .last_chunk::<4>()
        .map_or(0, |b| u32::from_le_bytes(*b) as usize);
    let mut bytes = Vec::with_capacity(hint.min(256 << 20) + 1);
    flate2::read::GzDecoder::new(packed.as_slice()).read_to_end(&mut bytes)?;
    Ok(bytes)
}
