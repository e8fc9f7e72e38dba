//! `tealeaf export`: a whole result set as CSV, JSONL or Parquet.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use parquet::data_type::{ByteArray, ByteArrayType, FloatType, Int32Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use tealeaf_index::Sort;
use tealeaf_pipeline::DataDir;
use tealeaf_serve::export::{self, ExportRow};

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
}

/// Rows per Parquet row group: bounds memory on large exports.
const ROW_GROUP: usize = 8192;

pub fn run(data: &DataDir, args: ExportArgs) -> Result<ExitCode> {
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
            let mut w = export::csv_writer(out)?;
            for chunk in hits.chunks(export::CHUNK) {
                let rows = export::rows(&archive, chunk)?;
                n += rows.len();
                export::write_csv_rows(&mut w, &rows)?;
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
            let mut w = ParquetOut::new(out)?;
            let mut buf = Vec::with_capacity(ROW_GROUP);
            for chunk in hits.chunks(export::CHUNK) {
                let rows = export::rows(&archive, chunk)?;
                n += rows.len();
                buf.extend(rows);
                if buf.len() >= ROW_GROUP {
                    w.row_group(&buf)?;
                    buf.clear();
                }
            }
            if !buf.is_empty() || n == 0 {
                w.row_group(&buf)?;
            }
            w.close()?;
        }
    }
    if let Some(path) = &args.output {
        eprintln!("{n} articles written to {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// The Parquet schema: the CSV columns, with `published` as a DATE.
const PARQUET_SCHEMA: &str = "message article {
    REQUIRED BYTE_ARRAY id (UTF8);
    REQUIRED BYTE_ARRAY outlet (UTF8);
    OPTIONAL INT32 published (DATE);
    OPTIONAL BYTE_ARRAY language (UTF8);
    REQUIRED BYTE_ARRAY title (UTF8);
    REQUIRED BYTE_ARRAY body (UTF8);
    REQUIRED FLOAT score;
}";

struct ParquetOut<W: Write + Send> {
    writer: SerializedFileWriter<W>,
}

fn days_since_epoch(d: &str) -> Option<i32> {
    let d = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()?;
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
    i32::try_from((d - epoch).num_days()).ok()
}

impl<W: Write + Send> ParquetOut<W> {
    fn new(out: W) -> Result<Self> {
        let schema = Arc::new(parquet::schema::parser::parse_message_type(PARQUET_SCHEMA)?);
        let props = Arc::new(WriterProperties::builder().build());
        Ok(ParquetOut {
            writer: SerializedFileWriter::new(out, schema, props)?,
        })
    }

    fn row_group(&mut self, rows: &[ExportRow]) -> Result<()> {
        let text = |f: &dyn Fn(&ExportRow) -> String| -> Vec<ByteArray> {
            rows.iter()
                .map(|r| ByteArray::from(f(r).into_bytes()))
                .collect()
        };
        let mut rg = self.writer.next_row_group()?;
        let mut i = 0;
        while let Some(mut col) = rg.next_column()? {
            match i {
                0 => write_bytes(&mut col, &text(&|r| r.id.clone()), None)?,
                1 => write_bytes(&mut col, &text(&|r| r.outlet.clone()), None)?,
                2 => {
                    let days: Vec<Option<i32>> = rows
                        .iter()
                        .map(|r| r.published.as_deref().and_then(days_since_epoch))
                        .collect();
                    let values: Vec<i32> = days.iter().flatten().copied().collect();
                    let defs: Vec<i16> = days.iter().map(|d| d.is_some() as i16).collect();
                    col.typed::<Int32Type>()
                        .write_batch(&values, Some(&defs), None)?;
                }
                3 => {
                    let values: Vec<ByteArray> = rows
                        .iter()
                        .filter_map(|r| r.language.as_ref())
                        .map(|l| ByteArray::from(l.as_bytes().to_vec()))
                        .collect();
                    let defs: Vec<i16> = rows.iter().map(|r| r.language.is_some() as i16).collect();
                    write_bytes(&mut col, &values, Some(&defs))?;
                }
                4 => write_bytes(&mut col, &text(&|r| r.title.clone()), None)?,
                5 => write_bytes(&mut col, &text(&|r| r.paragraphs.join("\n\n")), None)?,
                _ => {
                    let scores: Vec<f32> = rows.iter().map(|r| r.score).collect();
                    col.typed::<FloatType>().write_batch(&scores, None, None)?;
                }
            }
            col.close()?;
            i += 1;
        }
        rg.close()?;
        Ok(())
    }

    fn close(self) -> Result<()> {
        self.writer.close()?;
        Ok(())
    }
}

fn write_bytes(
    col: &mut parquet::file::writer::SerializedColumnWriter<'_>,
    values: &[ByteArray],
    defs: Option<&[i16]>,
) -> Result<()> {
    col.typed::<ByteArrayType>()
        .write_batch(values, defs, None)?;
    Ok(())
}
