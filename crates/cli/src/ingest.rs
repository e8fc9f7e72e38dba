//! `tealeaf ingest`: read → archive → index, streamed.
//!
//! A reader thread decompresses and parses; this thread stores into SQLite
//! in batched transactions; tantivy's own threads tokenize. The archive is
//! committed before the index, and the index commit records the archive
//! `seq` it reached, so a killed run loses nothing committed and the next
//! run (or search) catches the index up.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use serde::Serialize;
use tealeaf_archive::Outcome;
use tealeaf_model::ArticleDoc;
use tealeaf_read::{ByteCounter, FieldMap, Format, Item, ReadError, ReadOptions};

use crate::datadir::{self, DataDir};

#[derive(Args)]
pub struct IngestArgs {
    /// Files or directories (read recursively) to ingest.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Outlet slug for records that do not name one (e.g. kcna, rodong).
    #[arg(long)]
    pub outlet: Option<String>,
    /// Which input column holds which field: `field=column,...`
    /// (fields: id, outlet, url, language, published, media, photo_count,
    /// title, paragraphs, body, byline, captured_at).
    #[arg(long, value_name = "FIELD=COLUMN,...")]
    pub map: Vec<String>,
    /// Read every file as this format instead of telling it from its name.
    #[arg(long, value_parser = clap::value_parser!(Format))]
    pub format: Option<Format>,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
    /// Captures per archive transaction.
    #[arg(long, default_value_t = 4000, hide = true)]
    pub batch: usize,
}

#[derive(Serialize, Default)]
pub struct ErrorEntry {
    pub source: String,
    pub line: u64,
    pub message: String,
}

impl From<ReadError> for ErrorEntry {
    fn from(e: ReadError) -> Self {
        ErrorEntry {
            source: e.origin.source,
            line: e.origin.line,
            message: e.message,
        }
    }
}

#[derive(Serialize, Default)]
pub struct Summary {
    pub read: u64,
    pub new_articles: u64,
    pub new_versions: u64,
    pub unchanged: u64,
    pub failed_captures: u64,
    pub rejected: u64,
    pub title_only: u64,
    pub errors: Vec<ErrorEntry>,
    pub warnings: Vec<ErrorEntry>,
    pub seconds: f64,
}

const CHUNK: usize = 512;

/// A read item with what storing it needs, computed on the reader thread.
struct Prepared {
    item: Item,
    prep: Option<tealeaf_archive::Prepared>,
}

impl From<Item> for Prepared {
    fn from(item: Item) -> Self {
        let prep = match &item {
            Item::Record(r) => Some(tealeaf_archive::Prepared::of(r)),
            Item::Rejected(_) => None,
        };
        Prepared { item, prep }
    }
}

pub fn run(data: &DataDir, args: IngestArgs) -> Result<ExitCode> {
    let mut map = FieldMap::default();
    for spec in &args.map {
        map.extend(FieldMap::parse(spec).map_err(anyhow::Error::msg)?);
    }
    if let Some(o) = &args.outlet {
        anyhow::ensure!(
            tealeaf_model::outlet::valid_slug(o),
            "--outlet `{o}` is not a slug (lowercase letters, digits, - and _)"
        );
    }
    let opts = ReadOptions {
        outlet: args.outlet.clone(),
        map,
        format: args.format,
    };
    let paths = tealeaf_read::expand_paths(&args.paths).context("cannot list the input paths")?;
    let summary = ingest_paths(data, &paths, &opts, args.batch.max(1), !args.json)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        crate::output::print_ingest_summary(&summary);
    }
    Ok(if summary.rejected > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn ingest_paths(
    data: &DataDir,
    paths: &[PathBuf],
    opts: &ReadOptions,
    batch: usize,
    progress: bool,
) -> Result<Summary> {
    let started = Instant::now();
    for p in paths {
        anyhow::ensure!(p.exists(), "{}: no such file", p.display());
    }
    let mut archive = data.archive()?;
    let (index, _) = data.index()?;
    let mut writer = datadir::writer(&index, &data.index_path())?;
    let caught_up = datadir::catch_up(&archive, &index, &mut writer)?;
    if caught_up > 0 {
        eprintln!("note: the index was behind the archive (an interrupted run?); {caught_up} articles re-indexed");
    }

    let total_bytes: u64 = paths
        .iter()
        .filter_map(|p| p.metadata().ok())
        .map(|m| m.len())
        .sum();
    let counter = ByteCounter::default();
    let bar = (progress && std::io::stderr().is_terminal())
        .then(|| crate::output::progress_bar(total_bytes));

    let (tx, rx) = crossbeam_channel::bounded::<Vec<Prepared>>(8);
    let reader = {
        let paths = paths.to_vec();
        let opts = opts.clone();
        let counter = counter.clone();
        std::thread::Builder::new()
            .name("tealeaf-read".into())
            .spawn(move || {
                for path in paths {
                    let items = match tealeaf_read::read_file(&path, &opts, &counter) {
                        Ok(items) => items,
                        Err(e) => {
                            if tx.send(vec![Prepared::from(Item::Rejected(e))]).is_err() {
                                return;
                            }
                            continue;
                        }
                    };
                    let mut chunk = Vec::with_capacity(CHUNK);
                    for item in items {
                        chunk.push(Prepared::from(item));
                        if chunk.len() == CHUNK
                            && tx
                                .send(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK)))
                                .is_err()
                        {
                            return;
                        }
                    }
                    if !chunk.is_empty() && tx.send(chunk).is_err() {
                        return;
                    }
                }
            })
            .context("cannot start the reader thread")?
    };

    let sources: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let mut run = archive.start_run(&sources)?;
    let mut s = Summary::default();
    let mut in_batch = 0usize;
    archive.begin()?;
    for chunk in rx {
        for Prepared { item, prep } in chunk {
            let (rec, prep) = match (item, prep) {
                (Item::Record(r), Some(p)) => (r, p),
                (Item::Record(_), None) => unreachable!("records are always prepared"),
                (Item::Rejected(e), _) => {
                    s.rejected += 1;
                    s.errors.push(e.into());
                    continue;
                }
            };
            s.read += 1;
            for w in &rec.warnings {
                s.warnings.push(ErrorEntry {
                    source: rec.origin.source.clone(),
                    line: rec.origin.line,
                    message: w.clone(),
                });
            }
            if rec.is_empty() && rec.id.is_none() {
                s.rejected += 1;
                s.errors.push(ErrorEntry {
                    source: rec.origin.source.clone(),
                    line: rec.origin.line,
                    message: "neither title nor body (and no id naming an article): rejected"
                        .into(),
                });
                continue;
            }
            let outcome = archive
                .store(&mut run, &rec, &prep)
                .with_context(|| format!("storing {}", rec.origin))?;
            match outcome {
                Outcome::NewArticle { id, .. } => {
                    s.new_articles += 1;
                    if rec.is_title_only() {
                        s.title_only += 1;
                    }
                    let rec = *rec;
                    writer.add(&ArticleDoc {
                        id,
                        outlet: rec.outlet,
                        language: rec.language.unwrap_or_default(),
                        published: rec.published,
                        title: rec.title,
                        paragraphs: rec.paragraphs,
                    })?;
                }
                Outcome::NewVersion { id, seq } => {
                    s.new_versions += 1;
                    if seq.is_some() {
                        writer.upsert(&archive.doc(&id)?)?;
                    }
                }
                Outcome::Unchanged { .. } => s.unchanged += 1,
                Outcome::Failed { .. } => s.failed_captures += 1,
            }
            in_batch += 1;
            if in_batch >= batch {
                archive.commit()?;
                archive.begin()?;
                in_batch = 0;
                if let Some(bar) = &bar {
                    bar.set_position(counter.get());
                }
            }
        }
    }
    archive.commit()?;
    reader
        .join()
        .map_err(|_| anyhow::anyhow!("the reader thread failed"))?;
    // The archive is durable; now the index, which records how far it got.
    writer.commit(archive.max_seq()?)?;
    writer.finish()?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    s.seconds = (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
    archive.finish_run(&run, &serde_json::to_value(&s)?)?;
    Ok(s)
}

/// Sample data compiled into the binary, so that `tealeaf demo` works
/// anywhere: the seed page and a few fixtures written for tealeaf.
const SAMPLES: &[(&str, &str)] = &[
    (
        "000_f3b22d0fefd5ee43.txt",
        include_str!("../../../fixtures/pages/000_f3b22d0fefd5ee43.txt"),
    ),
    (
        "captures.jsonl",
        include_str!("../../../fixtures/samples/captures.jsonl"),
    ),
];

pub fn demo(data: &DataDir) -> Result<ExitCode> {
    let dir = data.root.join("samples");
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut paths = Vec::new();
    for (name, text) in SAMPLES {
        let path = dir.join(name);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        paths.push(path);
    }
    println!("Loading the sample data into {} …\n", data.root.display());
    let summary = ingest_paths(data, &paths, &ReadOptions::default(), 4000, true)?;
    crate::output::print_ingest_summary(&summary);
    println!("\n$ tealeaf search \"overseas operations\"\n");
    crate::search::run(
        data,
        crate::search::SearchArgs::simple("\"overseas operations\""),
    )?;
    println!(
        "\nNext: tealeaf show ID · tealeaf stats · tealeaf ingest YOUR_FILES (data in {})",
        data.root.display()
    );
    Ok(ExitCode::SUCCESS)
}
