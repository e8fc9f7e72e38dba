//! `tealeaf search`.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use clap::{Args, ValueEnum};
use serde::Serialize;
use tealeaf_index::{SearchRequest, Sort};

use crate::open_for_reading;
use tealeaf_pipeline::DataDir;

#[derive(Clone, Copy, ValueEnum)]
pub enum SortArg {
    Relevance,
    /// Newest first.
    #[value(alias = "date")]
    Newest,
    Oldest,
}

#[derive(Args)]
pub struct SearchArgs {
    /// The query: words (all must match), "exact phrases", OR, NOT or -word,
    /// title:word, prefix*.
    #[arg(required = true, num_args = 1..)]
    pub query: Vec<String>,
    #[command(flatten)]
    pub filters: ArticleFilters,
    /// Only articles that mention this person (repeatable: all of them).
    #[arg(long)]
    pub person: Vec<String>,
    /// Only articles that mention this country (repeatable: all of them).
    #[arg(long)]
    pub country: Vec<String>,
    #[arg(long, value_enum, default_value = "relevance")]
    pub sort: SortArg,
    /// Hits to show (1 to 10,000).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=MAX_LIMIT))]
    pub limit: u64,
    /// Hits to skip before the first shown (at most 1,000,000).
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u64).range(0..=MAX_OFFSET))]
    pub offset: u64,
    /// Show each group of reprints (the same text printed again) once, at
    /// its best-ranked member; `--limit` and `--offset` count groups.
    #[arg(long)]
    pub collapse: bool,
    #[arg(long)]
    pub json: bool,
}

/// The most hits one `search` shows (`export` writes whole result sets).
const MAX_LIMIT: u64 = 10_000;
/// The deepest `search` pages.
const MAX_OFFSET: u64 = 1_000_000;

/// Outlet, language and date filters, shared by `search` and `export`.
#[derive(Args, Default)]
pub struct ArticleFilters {
    /// Only these outlets (repeatable).
    #[arg(long)]
    pub outlet: Vec<String>,
    /// Only these languages, e.g. en, es (repeatable).
    #[arg(long)]
    pub lang: Vec<String>,
    /// Published on or after this date (YYYY-MM-DD or `Jan. 1, 2026`).
    #[arg(long, value_parser = parse_date)]
    pub from: Option<chrono::NaiveDate>,
    /// Published on or before this date.
    #[arg(long, value_parser = parse_date)]
    pub to: Option<chrono::NaiveDate>,
}

impl ArticleFilters {
    /// Refuses a date range that can hold nothing (`--from` after `--to`).
    pub fn check(&self) -> Result<()> {
        if let (Some(from), Some(to)) = (self.from, self.to) {
            if from > to {
                anyhow::bail!("--from {from} is after --to {to}: no date is in between");
            }
        }
        Ok(())
    }

    /// A search request with these filters (outlets and languages as the
    /// index holds them, lowercase).
    pub fn request(&self, query: String, sort: Sort) -> SearchRequest {
        SearchRequest {
            query,
            outlets: self.outlet.iter().map(|o| o.to_ascii_lowercase()).collect(),
            languages: self.lang.iter().map(|l| l.to_ascii_lowercase()).collect(),
            from: self.from,
            to: self.to,
            sort,
            ..SearchRequest::default()
        }
    }
}

impl From<SortArg> for Sort {
    fn from(s: SortArg) -> Sort {
        match s {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Newest => Sort::Newest,
            SortArg::Oldest => Sort::Oldest,
        }
    }
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    tealeaf_model::dates::parse_date(s).map_err(|e| e.to_string())
}

impl SearchArgs {
    pub fn simple(query: &str) -> Self {
        SearchArgs {
            query: vec![query.to_string()],
            filters: ArticleFilters::default(),
            person: vec![],
            country: vec![],
            sort: SortArg::Relevance,
            limit: 10,
            offset: 0,
            collapse: false,
            json: false,
        }
    }
}

pub use tealeaf_query::hits::HitOut;

#[derive(Serialize)]
pub struct SearchOut {
    pub query: String,
    pub total: usize,
    pub offset: usize,
    pub took_ms: f64,
    /// Set when the query could not be read as written: what was searched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub hits: Vec<HitOut>,
}

pub fn run(data: &DataDir, args: SearchArgs) -> Result<ExitCode> {
    args.filters.check()?;
    let (archive, index) = open_for_reading(data)?;
    let started = Instant::now();
    let req = SearchRequest {
        people: canonical(&archive, &args.person, tealeaf_archive::EntityKind::Person)?,
        countries: canonical(
            &archive,
            &args.country,
            tealeaf_archive::EntityKind::Country,
        )?,
        limit: args.limit as usize,
        offset: args.offset as usize,
        ..args.filters.request(args.query.join(" "), args.sort.into())
    };
    let (results, hits) = if args.collapse {
        let collapsed = tealeaf_query::collapse::search_collapsed(&index, &archive, &req)?;
        let hits = tealeaf_query::hits::collapsed_hits(&archive, &collapsed)?;
        (collapsed.results, hits)
    } else {
        let results = index.search(&req)?;
        let hits = tealeaf_query::hits::hits(&archive, &results)?;
        (results, hits)
    };
    let out = SearchOut {
        query: req.query,
        total: results.total,
        offset: args.offset as usize,
        took_ms: (started.elapsed().as_secs_f64() * 1e6).round() / 1e3,
        note: results.note.clone(),
        hits,
    };
    if let Some(note) = &out.note {
        eprintln!("note: {}", crate::output::clean(note));
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        crate::output::print_search(&out);
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct BenchQueryArgs {
    /// A file of queries, one a line; an optional TAB then FROM..TO date
    /// range. Lines starting with # are skipped.
    pub queries: std::path::PathBuf,
    #[arg(long, default_value_t = 3)]
    pub repeat: usize,
    /// Also build highlighted snippets for the hits (the peer does not).
    #[arg(long)]
    pub snippets: bool,
}

/// Times queries inside one process with the index opened once, as the
/// FTS5 peer's `query` does: top 10 with their titles (stored in the index,
/// as the peer's are in its table), and the total count.
pub fn bench(data: &DataDir, args: BenchQueryArgs) -> Result<ExitCode> {
    use anyhow::Context;
    let text = std::fs::read_to_string(&args.queries)
        .with_context(|| format!("cannot read {}", args.queries.display()))?;
    let mut reqs = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (q, range) = line.split_once('\t').unwrap_or((line, ""));
        let (mut from, mut to) = (None, None);
        if !range.trim().is_empty() {
            let (a, b) = range.trim().split_once("..").with_context(|| {
                format!(
                    "{}:{}: date range must be FROM..TO",
                    args.queries.display(),
                    n + 1
                )
            })?;
            from = Some(parse_date(a).map_err(anyhow::Error::msg)?);
            to = Some(parse_date(b).map_err(anyhow::Error::msg)?);
        }
        reqs.push(SearchRequest {
            query: q.to_string(),
            from,
            to,
            limit: 10,
            ..Default::default()
        });
    }
    let (archive, index) = open_for_reading(data)?;
    let mut times = Vec::new();
    let mut hits = 0usize;
    for _ in 0..args.repeat.max(1) {
        for req in &reqs {
            let t = Instant::now();
            let results = index.search(req)?;
            let ids: Vec<String> = results.hits.iter().map(|h| h.id.clone()).collect();
            if args.snippets {
                for s in archive.summaries(&ids)?.values() {
                    std::hint::black_box(results.snippet(&s.title, &s.paragraphs.join("\n\n")));
                }
            } else {
                // Titles come with the hits, as the peer's do.
                std::hint::black_box(results.hits.iter().map(|h| h.title.len()).sum::<usize>());
            }
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            hits += results.total;
        }
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| times[((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1];
    let median = if times.len() % 2 == 1 {
        times[times.len() / 2]
    } else {
        (times[times.len() / 2 - 1] + times[times.len() / 2]) / 2.0
    };
    println!(
        "{}",
        serde_json::json!({
            "queries": times.len(),
            "p50_ms": (median * 1000.0).round() / 1000.0,
            "p95_ms": (pct(0.95) * 1000.0).round() / 1000.0,
            "hits": hits,
        })
    );
    Ok(ExitCode::SUCCESS)
}

/// The archive's spelling of names typed by the user (`choe ryong hae` →
/// `Choe Ryong Hae`); a name never mentioned is kept, and finds nothing.
fn canonical(
    archive: &tealeaf_archive::ArchiveReader,
    names: &[String],
    kind: tealeaf_archive::EntityKind,
) -> Result<Vec<String>> {
    names
        .iter()
        .map(|n| {
            Ok(archive
                .entity_names(n.trim(), Some(kind))?
                .into_iter()
                .next()
                .map(|(name, _, _)| name)
                .unwrap_or_else(|| n.trim().to_string()))
        })
        .collect()
}
