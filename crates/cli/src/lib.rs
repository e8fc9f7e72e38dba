//! The `tealeaf` command line: the terminal front end.
//!
//! Owns: argument parsing, progress bars, tables for people and JSON for
//! programs, for every command. The binary (crate `tealeaf`) parses
//! [`Cli`] and calls [`run`], handing it the server's launcher.
//!
//! Must not touch: the server crate (started through [`serve::Launch`]),
//! SQL or tantivy internals, or the pipeline's threads; those stay behind
//! the archive, index, pipeline and query crates' APIs.

mod analysis;
mod changes;
mod crawl;
mod export;
mod extract;
mod ingest;
mod output;
mod runs;
mod sched;
mod search;
pub mod serve;
mod show;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};
pub use serve::{Launch, ServeArgs, DEFAULT_ADDR};
use tealeaf_pipeline::CaughtUp;

#[derive(Parser)]
#[command(
    name = "tealeaf",
    version,
    about = "A faithful, versioned, searchable archive of state media (Rodong Sinmun, KCNA).",
    long_about = None
)]
pub struct Cli {
    /// Data directory (archive.sqlite and index/).
    #[arg(
        long,
        global = true,
        env = "TEALEAF_DATA",
        default_value = "tealeaf-data"
    )]
    data: PathBuf,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Read text pages, JSONL or CSV files (plain or .gz) into the archive.
    Ingest(ingest::IngestArgs),
    /// Print what tealeaf reads from HTML pages (site profile, date, title,
    /// paragraphs...) without storing anything; --json for scripts.
    Extract(extract::ExtractArgs),
    /// Watch sites politely: fetch new articles, re-check known ones on a
    /// schedule (edits and removals), keep every fetch in WARC files.
    Crawl(crawl::CrawlArgs),
    /// Import the Wayback Machine's captures of a url prefix as versions.
    Wayback(crawl::WaybackArgs),
    /// Full-text search: phrases, AND/OR/NOT, title:, prefixes*, filters.
    Search(search::SearchArgs),
    /// One article with its versions.
    Show(show::ShowArgs),
    /// What the archive holds.
    Stats(show::StatsArgs),
    /// Every change between consecutive versions: edited, rewritten,
    /// replaced, cosmetic, removed, restored.
    Changes(changes::ChangesArgs),
    /// Word diff of two versions of an article (default: the last two).
    Diff(changes::DiffArgs),
    /// One person: first and last seen, titles, mentions per month, who
    /// with, positions in name lists.
    Person(analysis::PersonArgs),
    /// Events read from headlines and leads: who did what, to whom, when.
    Events(analysis::EventsArgs),
    /// Articles and mentions per period for terms or entities; table,
    /// --json, --csv or --chart FILE.svg|png.
    Trend(analysis::TrendArgs),
    /// Re-run the analysis over the whole archive (after editing
    /// gazetteers in DATA/gazetteers/) and rebuild the index.
    Reanalyze,
    /// Rebuild the search index from the archive.
    Reindex,
    /// The ingest runs the archive holds: when, what they read, what they
    /// added.
    Runs(runs::RunsArgs),
    /// Undo one ingest run: what it alone added goes, the articles it
    /// added to are derived again from their other captures.
    Forget(runs::ForgetArgs),
    /// Serve the archive over HTTP: pages, JSON twins, exports, feeds.
    Serve(serve::ServeArgs),
    /// Write a whole result set as CSV, JSONL or Parquet.
    Export(export::ExportArgs),
    /// Load the sample data shipped in tealeaf and run a first search.
    Demo(ingest::DemoArgs),
    /// Time a file of queries inside one process (for bench/).
    #[command(hide = true)]
    BenchQuery(search::BenchQueryArgs),
    /// Time `trend` inside one process (for bench/).
    #[command(hide = true)]
    BenchTrend(analysis::BenchTrendArgs),
}

/// Runs one command; `serve` starts the server (for `serve` and
/// `demo --serve`).
pub fn run(cli: Cli, serve: Launch) -> Result<ExitCode> {
    let data = tealeaf_pipeline::DataDir::new(cli.data);
    // Batch work, before it starts its threads.
    if matches!(
        cli.command,
        Command::Ingest(_) | Command::Reanalyze | Command::Reindex | Command::Demo(_)
    ) {
        sched::long_time_slices();
    }
    match cli.command {
        Command::Ingest(args) => ingest::run(&data, args),
        Command::Extract(args) => extract::run(args),
        Command::Crawl(args) => crawl::crawl(&data, args),
        Command::Wayback(args) => crawl::wayback(&data, args),
        Command::Search(args) => search::run(&data, args),
        Command::Show(args) => show::run(&data, args),
        Command::Stats(args) => show::stats(&data, args),
        Command::Changes(args) => changes::changes(&data, args),
        Command::Diff(args) => changes::diff(&data, args),
        Command::Person(args) => analysis::person(&data, args),
        Command::Events(args) => analysis::events(&data, args),
        Command::Trend(args) => analysis::trend(&data, args),
        Command::Reanalyze => analysis::reanalyze(&data),
        Command::Reindex => reindex(&data),
        Command::Runs(args) => runs::runs(&data, args),
        Command::Forget(args) => runs::forget(&data, args),
        Command::Serve(args) => serve(&data, args),
        Command::Export(args) => export::run(&data, args),
        Command::Demo(args) => ingest::demo(&data, args, serve),
        Command::BenchQuery(args) => search::bench(&data, args),
        Command::BenchTrend(args) => analysis::bench_trend(&data, args),
    }
}

fn reindex(data: &tealeaf_pipeline::DataDir) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    let n = data.reindex()?;
    eprintln!(
        "reindexed {n} articles in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// Opens archive and index for a read command, saying when the index had
/// to catch up or could not.
pub fn open_for_reading(
    data: &tealeaf_pipeline::DataDir,
) -> Result<(tealeaf_archive::ArchiveReader, tealeaf_index::SearchIndex)> {
    let (archive, index, caught_up) = data.open_for_reading()?;
    match caught_up {
        CaughtUp::Done(0) => {}
        CaughtUp::Done(n) => {
            eprintln!("note: the index was behind the archive; {n} articles re-indexed")
        }
        CaughtUp::Busy => eprintln!(
            "note: another tealeaf process is writing; results may not include its latest work"
        ),
        CaughtUp::ReadOnly => eprintln!(
            "note: the index is behind the archive and this data directory cannot be written; results may miss the latest articles"
        ),
    }
    Ok((archive, index))
}

/// A query's error, naming the file of the data directory it came from
/// (as the pipeline's errors do).
pub fn located(
    data: &tealeaf_pipeline::DataDir,
    e: tealeaf_query::QueryError,
) -> tealeaf_pipeline::PipelineError {
    use tealeaf_pipeline::PipelineError;
    match e {
        tealeaf_query::QueryError::Archive(cause) => PipelineError::Archive {
            path: data.archive_path(),
            cause,
        },
        tealeaf_query::QueryError::Index(cause) => PipelineError::Index {
            path: data.index_path(),
            cause,
        },
    }
}
