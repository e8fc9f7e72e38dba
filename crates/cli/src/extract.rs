//! `tealeaf extract`: what tealeaf reads from HTML pages, printed without
//! storing anything: for checking a profile on a saved page, and for
//! scripts (`--json`: one object per file and line).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, ValueEnum};
use serde::Serialize;
use tealeaf_html::{Hints, Page, Profile, MAX_PAGE_BYTES};

use crate::output::clean;

#[derive(Args)]
pub struct ExtractArgs {
    /// HTML pages (`.html`, `.htm`, plain or `.gz`), or directories of them.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The url the page came from, when it does not say (it decides the
    /// site profile and the article key).
    #[arg(long)]
    url: Option<String>,
    /// Read with this profile whatever the url says.
    #[arg(long, value_enum)]
    profile: Option<ProfileArg>,
    /// One JSON object per file and line.
    #[arg(long)]
    json: bool,
    /// Pages read at once (default: one per core).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=256))]
    threads: Option<u16>,
}

#[derive(Clone, Copy, ValueEnum)]
enum ProfileArg {
    Rodong,
    Kcna,
    Generic,
}

/// One page as `--json` prints it (docs/json.md).
#[derive(Serialize)]
struct PageOut<'a> {
    file: String,
    url: Option<&'a str>,
    profile: &'static str,
    outlet: Option<&'a str>,
    language: Option<&'a str>,
    published: Option<String>,
    title: &'a str,
    paragraphs: &'a [String],
    byline: Option<&'a str>,
    media: Vec<&'static str>,
    photo_count: Option<u32>,
    key: Option<&'a str>,
    kind: tealeaf_html::UrlKind,
    place: Option<&'a str>,
    warnings: &'a [String],
}

#[derive(Serialize)]
struct ErrorOut<'a> {
    file: String,
    error: &'a str,
}

pub fn run(args: ExtractArgs) -> Result<ExitCode> {
    let files = pages_under(&args.paths);
    let hints = Hints {
        url: args.url.clone(),
        profile: args.profile.map(|p| match p {
            ProfileArg::Rodong => Profile::Rodong,
            ProfileArg::Kcna => Profile::Kcna,
            ProfileArg::Generic => Profile::Generic,
        }),
        ..Hints::default()
    };
    let threads = args.threads.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| n.get()),
        usize::from,
    );
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = 0usize;
    let mut emit =
        |file: &Path, result: std::result::Result<Page, String>| -> std::io::Result<()> {
            let name = file.display().to_string();
            match result {
                Ok(page) => {
                    if args.json {
                        serde_json::to_writer(&mut out, &page_out(name, &page))?;
                        writeln!(out)
                    } else {
                        write_page(&mut out, &name, &page)
                    }
                }
                Err(message) => {
                    failed += 1;
                    eprintln!("tealeaf: {name}: {message}");
                    if args.json {
                        serde_json::to_writer(
                            &mut out,
                            &ErrorOut {
                                file: name,
                                error: &message,
                            },
                        )?;
                        writeln!(out)?;
                    }
                    Ok(())
                }
            }
        };
    // In slices, so that a slow page holds back at most a slice of
    // results; a page that makes the reader panic is reported as an error
    // and the rest go on.
    for slice in files.chunks(threads * 16) {
        for_each_in_order(
            slice,
            threads,
            |file| {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_page(file, &hints)))
                    .unwrap_or_else(|_| {
                        Err("the reader failed on this page (a bug in tealeaf)".into())
                    })
            },
            &mut emit,
        )?;
    }
    out.flush()?;
    drop(out);
    if failed > 0 {
        eprintln!(
            "tealeaf: {failed} of {} files could not be read",
            files.len()
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads `files` on `threads` threads and hands each result to `emit` in
/// the files' order, holding back results that come early.
fn for_each_in_order<T: Send>(
    files: &[PathBuf],
    threads: usize,
    read: impl Fn(&Path) -> T + Sync,
    emit: &mut dyn FnMut(&Path, T) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let (tx, rx) = std::sync::mpsc::channel::<(usize, T)>();
    std::thread::scope(|scope| {
        for _ in 0..threads.clamp(1, files.len().max(1)) {
            let tx = tx.clone();
            let (next, read) = (&next, &read);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(file) = files.get(i) else { break };
                if tx.send((i, read(file))).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let mut waiting = std::collections::BTreeMap::new();
        let mut due = 0;
        for (i, result) in rx {
            waiting.insert(i, result);
            while let Some(result) = waiting.remove(&due) {
                emit(&files[due], result)?;
                due += 1;
            }
        }
        Ok(())
    })
}

fn read_page(file: &Path, hints: &Hints) -> std::result::Result<Page, String> {
    let bytes = read_limited(file)?;
    tealeaf_html::extract(&bytes, hints).map_err(|e| e.to_string())
}

/// The file's bytes, gunzipped, refusing more than one page may hold
/// before reading it all.
fn read_limited(file: &Path) -> std::result::Result<Vec<u8>, String> {
    let opened = std::fs::File::open(file).map_err(|e| format!("cannot open: {e}"))?;
    let stream = tealeaf_read::decompress(std::io::BufReader::new(opened))
        .map_err(|e| format!("cannot read: {e}"))?;
    let mut bytes = Vec::new();
    stream
        .take(MAX_PAGE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() > MAX_PAGE_BYTES {
        return Err(format!(
            "page is over the {} MiB limit for one HTML page; skipped",
            MAX_PAGE_BYTES >> 20
        ));
    }
    Ok(bytes)
}

/// Files named, and the pages under directories named (`.html`, `.htm`,
/// with or without `.gz`; recursively, sorted, hidden entries skipped).
/// A missing path is kept, so that reading it says so.
fn pages_under(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for path in paths {
        if !path.is_dir() {
            out.push(path.clone());
            continue;
        }
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
            Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(_) => {
                out.push(path.clone());
                continue;
            }
        };
        entries.retain(|e| {
            e.file_name()
                .is_some_and(|n| !n.to_string_lossy().starts_with('.'))
        });
        entries.sort();
        for entry in entries {
            if entry.is_dir() {
                out.extend(pages_under(&[entry]));
            } else if is_page_name(&entry) {
                out.push(entry);
            }
        }
    }
    out
}

fn is_page_name(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    name.ends_with(".html") || name.ends_with(".htm")
}

fn page_out(file: String, page: &Page) -> PageOut<'_> {
    PageOut {
        file,
        url: page.url.as_deref(),
        profile: page.profile.as_str(),
        outlet: page.outlet.as_deref(),
        language: page.language.as_deref(),
        published: page.published.map(|d| d.format("%Y-%m-%d").to_string()),
        title: &page.title,
        paragraphs: &page.paragraphs,
        byline: page.byline.as_deref(),
        media: page.media.iter().map(|m| m.as_str()).collect(),
        photo_count: page.photo_count,
        key: page.key.as_deref(),
        kind: page.kind,
        place: page.place.as_deref(),
        warnings: &page.warnings,
    }
}

fn write_page(out: &mut impl Write, file: &str, page: &Page) -> std::io::Result<()> {
    writeln!(out, "== {}", clean(file))?;
    let mut facts = vec![format!("profile {}", page.profile.as_str())];
    if let Some(outlet) = &page.outlet {
        facts.push(format!("outlet {outlet}"));
    }
    if let Some(language) = &page.language {
        facts.push(format!("language {}", clean(language)));
    }
    if let Some(date) = page.published {
        facts.push(format!("published {date}"));
    }
    if let Some(key) = &page.key {
        facts.push(format!("key {}", clean(key)));
    }
    if let Some(place) = &page.place {
        facts.push(format!("place {}", clean(place)));
    }
    if !page.media.is_empty() {
        let media: Vec<&str> = page.media.iter().map(|m| m.as_str()).collect();
        facts.push(format!("media {}", media.join(", ")));
    }
    if let Some(n) = page.photo_count {
        facts.push(format!("{n} photos"));
    }
    writeln!(out, "{}", facts.join(" · "))?;
    if let Some(url) = &page.url {
        writeln!(out, "url {}", clean(url))?;
    }
    for warning in &page.warnings {
        writeln!(out, "warning: {}", clean(warning))?;
    }
    writeln!(out, "\n{}", clean(&page.title))?;
    if let Some(byline) = &page.byline {
        writeln!(out, "{}", clean(byline))?;
    }
    for paragraph in &page.paragraphs {
        writeln!(out, "\n{}", clean(paragraph))?;
    }
    writeln!(out)
}
