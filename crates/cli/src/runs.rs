//! `tealeaf runs` and `tealeaf forget`: the ingest runs an archive
//! holds, and undoing one (a wrong `--map`, the wrong files, an outlet
//! mistyped), through the pipeline crate.
//!
//! Must not touch: what undoing does (`tealeaf_archive`'s forget module).

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use comfy_table::{presets::UTF8_FULL_CONDENSED, Table};
use tealeaf_archive::RunRow;
use tealeaf_pipeline::DataDir;

use crate::output::{clean, truncate};

#[derive(Args)]
pub struct RunsArgs {
    /// Print the runs as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct ForgetArgs {
    /// The run to undo (`tealeaf runs` lists them).
    #[arg(long, value_name = "N")]
    pub run: i64,
    /// Say what would go, and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print what was done as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn runs(data: &DataDir, args: RunsArgs) -> Result<ExitCode> {
    let runs = data.reader()?.runs()?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&runs)?);
        return Ok(ExitCode::SUCCESS);
    }
    if runs.is_empty() {
        println!("No ingest runs yet.");
        return Ok(ExitCode::SUCCESS);
    }
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec![
        "run",
        "started",
        "read",
        "new articles",
        "new versions",
        "sources",
        "state",
    ]);
    for r in &runs {
        let count = |k: &str| {
            r.summary
                .as_ref()
                .and_then(|s| s[k].as_u64())
                .map_or_else(|| "?".to_string(), |n| n.to_string())
        };
        t.add_row(vec![
            r.id.to_string(),
            r.started_at.clone(),
            count("read"),
            count("new_articles"),
            count("new_versions"),
            sources(r),
            state(r),
        ]);
    }
    println!("{t}");
    println!("Undo one with: tealeaf forget --run N (--dry-run first says what would go)");
    Ok(ExitCode::SUCCESS)
}

fn sources(r: &RunRow) -> String {
    let first = r.sources.first().map(|s| clean(s)).unwrap_or_default();
    let first = truncate(&first, 60);
    match r.sources.len() {
        0 | 1 => first,
        n => format!("{first} and {} more", n - 1),
    }
}

fn state(r: &RunRow) -> String {
    if let Some(at) = &r.forgotten_at {
        format!("forgotten {at}")
    } else if !r.recorded {
        "cannot be undone (stored before schema 9)".into()
    } else if r.finished_at.is_none() {
        "interrupted or running".into()
    } else {
        "done".into()
    }
}

pub fn forget(data: &DataDir, args: ForgetArgs) -> Result<ExitCode> {
    let f = crate::ingest::waiting_for_writer(data, || data.forget_run(args.run, args.dry_run))?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&f)?);
        return Ok(ExitCode::SUCCESS);
    }
    let verb = if f.dry_run {
        "would take away"
    } else {
        "took away"
    };
    println!(
        "Run {}: {verb} {} capture{}, {} failed capture{}, {} listing capture{} and {} article{} it alone held; \
         {} other article{} {} derived again without it.",
        f.run,
        f.captures,
        plural(f.captures),
        f.failed_captures,
        plural(f.failed_captures),
        f.listings,
        plural(f.listings),
        f.articles_removed.len(),
        plural(f.articles_removed.len() as u64),
        f.articles_changed.len(),
        plural(f.articles_changed.len() as u64),
        if f.dry_run { "would be" } else { "were" },
    );
    if f.dry_run {
        println!("Nothing was changed (--dry-run).");
    }
    Ok(ExitCode::SUCCESS)
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
