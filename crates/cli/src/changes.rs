//! `tealeaf changes` and `tealeaf diff`: what was edited, replaced or
//! removed after publication.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use tealeaf_archive::ChangeFilter;
use tealeaf_diff::{Block, ChangeKind, WordOp};
use tealeaf_pipeline::DataDir;

use crate::output::clean;

#[derive(Args)]
pub struct ChangesArgs {
    /// Changes first seen on or after this date or time.
    #[arg(long, value_parser = parse_time)]
    pub since: Option<String>,
    /// Changes first seen before the end of this date (or before this time).
    #[arg(long, value_parser = parse_until)]
    pub until: Option<String>,
    #[arg(long)]
    pub outlet: Vec<String>,
    /// edited, rewritten, replaced, cosmetic, removed, restored (repeatable).
    #[arg(long, value_parser = parse_kind)]
    pub kind: Vec<ChangeKind>,
    /// Only this article's changes.
    #[arg(long)]
    pub id: Option<String>,
    #[arg(long)]
    pub json: bool,
}

fn parse_kind(s: &str) -> Result<ChangeKind, String> {
    ChangeKind::parse(s).ok_or_else(|| {
        format!(
            "unknown kind `{s}` ({})",
            ChangeKind::ALL.map(|k| k.as_str()).join(", ")
        )
    })
}

fn parse_time(s: &str) -> Result<String, String> {
    tealeaf_model::dates::parse_timestamp(s)
        .map(|t| tealeaf_model::dates::format_timestamp(&t))
        .map_err(|e| e.to_string())
}

/// `--until 2026-01-05` includes that whole day.
fn parse_until(s: &str) -> Result<String, String> {
    match tealeaf_model::dates::parse_date(s) {
        Ok(d) if !s.contains(['T', ':']) => Ok(format!("{}T00:00:00Z", d.succ_opt().unwrap_or(d))),
        _ => parse_time(s),
    }
}

pub fn changes(data: &DataDir, args: ChangesArgs) -> Result<ExitCode> {
    let archive = data.archive_existing()?;
    let filter = ChangeFilter {
        since: args.since,
        until: args.until,
        outlets: args.outlet.iter().map(|o| o.to_ascii_lowercase()).collect(),
        kinds: args.kind.clone(),
        article: args.id,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut total = 0u64;
    if args.json {
        // Streamed: a history of millions of changes never sits in memory.
        out.write_all(b"{\"changes\":[")?;
        archive.for_each_change(&filter, |row| {
            if total > 0 {
                out.write_all(b",").map_err(io_to_archive)?;
            }
            serde_json::to_writer(&mut out, &row).map_err(|e| io_to_archive(e.into()))?;
            total += 1;
            Ok(())
        })?;
        writeln!(out, "],\"total\":{total}}}")?;
    } else {
        let color = std::io::stdout().is_terminal();
        archive.for_each_change(&filter, |row| {
            total += 1;
            let first = serde_json::from_str::<Vec<tealeaf_diff::Hunk>>(row.hunks.get())
                .ok()
                .and_then(|h| h.into_iter().next());
            let detail = match first {
                Some(h) if h.moved => {
                    format!("paragraph {} moved", h.old_paragraph.unwrap_or(0) + 1)
                }
                Some(h) => format!(
                    "{}{}",
                    if h.removed.is_empty() {
                        String::new()
                    } else {
                        format!("−“{}” ", clip(&h.removed))
                    },
                    if h.added.is_empty() {
                        String::new()
                    } else {
                        format!("+“{}”", clip(&h.added))
                    }
                ),
                None => String::new(),
            };
            let kind = if color {
                paint_kind(row.kind.as_str())
            } else {
                format!("{:<9}", row.kind)
            };
            writeln!(
                out,
                "{}  {}  {}  v{}→v{}  {}\n      {}",
                row.to.captured_at,
                kind,
                row.id,
                row.from.n,
                row.to.n,
                clean(&clip(&row.title)),
                clean(&detail)
            )
            .map_err(io_to_archive)
        })?;
        writeln!(out, "{total} change{}", if total == 1 { "" } else { "s" })?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn io_to_archive(e: std::io::Error) -> tealeaf_archive::ArchiveError {
    tealeaf_archive::ArchiveError::Corrupt(format!("writing the output: {e}"))
}

fn clip(s: &str) -> String {
    let s = s.replace('\n', " ");
    if s.chars().count() > 70 {
        format!("{}…", s.chars().take(69).collect::<String>())
    } else {
        s
    }
}

fn paint_kind(kind: &str) -> String {
    let code = match kind {
        "edited" => "33",
        "rewritten" => "35",
        "replaced" | "removed" => "31",
        "restored" => "32",
        _ => "2",
    };
    format!("\x1b[{code}m{kind:<9}\x1b[0m")
}

#[derive(Args)]
pub struct DiffArgs {
    /// Article id (a unique prefix is enough).
    pub id: String,
    /// The old version's number (default: the one before the last).
    pub a: Option<i64>,
    /// The new version's number (default: the last).
    pub b: Option<i64>,
    #[arg(long)]
    pub json: bool,
}

pub fn diff(data: &DataDir, args: DiffArgs) -> Result<ExitCode> {
    let archive = data.archive_existing()?;
    let id = crate::show::resolve_id(&archive, &args.id)?;
    let article = archive.article(&id)?;
    let out = tealeaf_query::versions::pair(&article, args.a, args.b)?;
    let (old, new) = (&out.from, &out.to);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(ExitCode::SUCCESS);
    }
    let color = std::io::stdout().is_terminal();
    println!(
        "{}  v{} ({}) → v{} ({}): {} ({:.0}% of words changed)",
        id,
        old.n,
        old.last_seen,
        new.n,
        new.first_seen,
        out.kind,
        out.changed * 100.0
    );
    println!();
    println!("{}", render_words(&out.title, color));
    println!();
    for block in &out.blocks {
        match block {
            Block::Same { new: n, .. } => {
                let p = &new.paragraphs[*n];
                println!("  ¶{}  {}", n + 1, dim(&clean(&clip(p)), color));
            }
            Block::Changed {
                old: o,
                new: n,
                words,
            } => {
                let label = if o == n {
                    format!("¶{}", n + 1)
                } else {
                    format!("¶{}→{}", o + 1, n + 1)
                };
                println!("~ {label}  {}", render_words(words, color));
            }
            Block::Deleted { old: o, .. } => println!(
                "- ¶{}  {}",
                o + 1,
                removed(&clean(&old.paragraphs[*o]), color)
            ),
            Block::Inserted { new: n } => println!(
                "+ ¶{}  {}",
                n + 1,
                added(&clean(&new.paragraphs[*n]), color)
            ),
            Block::Moved {
                old: o,
                new: n,
                words,
            } => {
                if words.is_empty() {
                    println!(
                        "↕ ¶{}→{}  moved: {}",
                        o + 1,
                        n + 1,
                        clean(&clip(&new.paragraphs[*n]))
                    );
                } else {
                    println!(
                        "↕ ¶{}→{}  moved and edited: {}",
                        o + 1,
                        n + 1,
                        render_words(words, color)
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Word diff for people: colors on a terminal, `[-removed-]{+added+}`
/// markers otherwise (as `git diff --word-diff`).
fn render_words(ops: &[WordOp], color: bool) -> String {
    let mut s = String::new();
    for op in ops {
        match op {
            WordOp::Same(t) => s.push_str(&clean(t)),
            WordOp::Removed(t) => s.push_str(&removed(&clean(t), color)),
            WordOp::Added(t) => s.push_str(&added(&clean(t), color)),
        }
    }
    s
}

fn removed(t: &str, color: bool) -> String {
    mark(
        t,
        if color {
            ("\x1b[31;9m", "\x1b[0m")
        } else {
            ("[-", "-]")
        },
    )
}

fn added(t: &str, color: bool) -> String {
    mark(
        t,
        if color {
            ("\x1b[32;4m", "\x1b[0m")
        } else {
            ("{+", "+}")
        },
    )
}

/// Wraps the words of `t` in markers, leaving white space at its ends
/// outside them.
fn mark(t: &str, (open, close): (&str, &str)) -> String {
    let core = t.trim();
    if core.is_empty() {
        return t.to_string();
    }
    let lead = &t[..t.len() - t.trim_start().len()];
    let trail = &t[t.trim_end().len()..];
    format!("{lead}{open}{core}{close}{trail}")
}

fn dim(t: &str, color: bool) -> String {
    if color {
        format!("\x1b[2m{t}\x1b[0m")
    } else {
        t.to_string()
    }
}
