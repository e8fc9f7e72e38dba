//! `tealeaf export`: a whole result set as CSV, JSONL or Parquet.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use tealeaf_index::Sort;
use tealeaf_pipeline::DataDir;
use tealeaf_query::export;

use crate::open_for_reading;
use crate::search::{ArticleFilters, SortArg};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Jsonl,
    Parquet,
}

#[derive(Args)]
pub struct ExportArgs {
    /// The query (as for `search`); empty exports everything the filters let through.
    #[arg(long, short, default_value = "")]
    pub query: String,
    #[command(flatten)]
    pub filters: ArticleFilters,
    /// Row order (relevance needs a query; without one, newest).
    #[arg(long, value_enum)]
    pub sort: Option<SortArg>,
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Output file (standard output when absent; Parquet needs a file).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// CSV cells exactly as stored: no `'` before cells that start with
    /// `=`, `+`, `-`, `@`, tab or carriage return (for programs, not
    /// spreadsheets).
    #[arg(long)]
    pub raw_csv: bool,
}

pub fn run(data: &DataDir, args: ExportArgs) -> Result<ExitCode> {
    args.filters.check()?;
    if args.raw_csv && args.format != ExportFormat::Csv {
        anyhow::bail!("--raw-csv is for --format csv (JSONL and Parquet are always as stored)");
    }
    let (archive, index) = open_for_reading(data)?;
    let sort = match args.sort {
        Some(sort) => sort.into(),
        None if args.query.trim().is_empty() => Sort::Newest,
        None => Sort::Relevance,
    };
    let req = args.filters.request(args.query.clone(), sort);
    let hits = export::all_hits(&index, &req)?;
    let out: Box<dyn Write + Send> = match &args.output {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None if args.format == ExportFormat::Parquet => {
            anyhow::bail!("Parquet needs a file: give --output FILE")
        }
        None => Box::new(BufWriter::new(std::io::stdout())),
    };
    let mut n = 0usize;
    match args.format {
        ExportFormat::Csv => {
            let cells = if args.raw_csv {
                export::CsvCells::Raw
            } else {
                export::CsvCells::Neutralised
            };
            let mut w = export::csv_writer(out)?;
            for chunk in hits.chunks(export::CHUNK) {
                let rows = export::rows(&archive, chunk)?;
                n += rows.len();
                export::write_csv_rows(&mut w, &rows, cells)?;
            }
            w.flush()?;
        }
        ExportFormat::Jsonl => {
            let mut out = out;
            for chunk in hits.chunks(export::CHUNK) {
                let rows = export::rows(&archive, chunk)?;
                n += rows.len();
                export::write_jsonl_rows(&mut out, &rows)?;
            }
            out.flush()?;
        }
        ExportFormat::Parquet => {
            let mut w = export::ParquetWriter::new(out)?;
            for chunk in hits.chunks(export::CHUNK) {
                let rows = export::rows(&archive, chunk)?;
                n += rows.len();
                w.write(rows)?;
            }
            w.finish()?;
        }
    }
    if let Some(path) = &args.output {
        eprintln!("{n} articles written to {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}
