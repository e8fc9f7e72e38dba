//! `tealeaf ingest` and `tealeaf demo`: arguments and printing around
//! the pipeline crate.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use tealeaf_read::{FieldMap, Format, ReadOptions};

use tealeaf_pipeline::{DataDir, Summary};

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
    /// Captures per archive transaction. Large: a re-capture touches
    /// pages all over the archive, and each commit writes every page its
    /// transaction touched to the WAL: fewer commits, fewer pages written
    /// again.
    #[arg(long, default_value_t = 50_000, hide = true)]
    pub batch: usize,
}

pub fn run(data: &DataDir, args: IngestArgs) -> Result<ExitCode> {
    let mut map = FieldMap::default();
    for spec in &args.map {
        map.extend(FieldMap::parse(spec).map_err(anyhow::Error::msg)?)
            .map_err(anyhow::Error::msg)?;
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
    tealeaf_read::bulk::check_mapped_columns(&args.paths, &opts).map_err(anyhow::Error::msg)?;
    let summary = ingest_paths(data, &args.paths, &opts, args.batch.max(1), !args.json)?;
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

/// Runs the pipeline with a progress bar on stderr when it is a terminal.
pub fn ingest_paths(
    data: &DataDir,
    paths: &[PathBuf],
    opts: &ReadOptions,
    batch: usize,
    progress: bool,
) -> Result<Summary> {
    let bar = (progress && std::io::stderr().is_terminal()).then(|| crate::output::progress_bar(0));
    let report = |read: u64, total: u64| {
        if let Some(bar) = &bar {
            bar.set_length(total);
            bar.set_position(read);
        }
    };
    // Another process writing this data directory: nothing was read yet,
    // so wait for it rather than fail.
    let summary = waiting_for_writer(data, || {
        tealeaf_pipeline::ingest_paths(data, paths, opts, batch, &report)
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    // Said after every ingest until it is done: a chart mixing two rules'
    // people is wrong without showing it.
    if !data.analysis_rules(&data.reader()?)?.current {
        eprintln!("{}", crate::output::STALE_ANALYSIS);
    }
    if summary.caught_up > 0 {
        eprintln!(
            "note: the index was behind the archive (an interrupted run?); {} articles re-indexed",
            summary.caught_up
        );
    }
    Ok(summary)
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

#[derive(Args)]
pub struct DemoArgs {
    /// Then serve the archive in a browser (until Ctrl-C).
    #[arg(long)]
    pub serve: bool,
    /// Address for --serve.
    #[arg(long, default_value = crate::DEFAULT_ADDR)]
    pub addr: String,
}

pub fn demo(data: &DataDir, args: DemoArgs, serve: crate::Launch) -> Result<ExitCode> {
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
        "\nNext: tealeaf show ID · tealeaf stats · tealeaf ingest YOUR_FILES (data in {})\n\
         In a browser: tealeaf serve, then open http://{}/",
        data.root.display(),
        crate::DEFAULT_ADDR
    );
    if args.serve {
        println!();
        return serve(data, crate::serve::ServeArgs::read_only(args.addr));
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `op` again while another process holds the data directory's
/// writer (it fails before doing anything then), saying once that it
/// waits.
pub(crate) fn waiting_for_writer<T>(
    data: &DataDir,
    mut op: impl FnMut() -> Result<T, tealeaf_pipeline::PipelineError>,
) -> Result<T, tealeaf_pipeline::PipelineError> {
    let mut said_waiting = false;
    loop {
        match op() {
            Err(tealeaf_pipeline::PipelineError::Index {
                cause: tealeaf_index::IndexError::Locked,
                ..
            }) => {
                if !said_waiting {
                    eprintln!(
                        "tealeaf: another tealeaf process is writing to {}; waiting for it to finish (Ctrl-C to stop)",
                        data.root.display()
                    );
                    said_waiting = true;
                }
                std::thread::sleep(std::time::Duration::from_millis(250));
            }
            other => return other,
        }
    }
}
