//! `tealeaf person`, `events`, `trend` and `reanalyze`: who, when, how
//! often.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use comfy_table::{presets::UTF8_FULL_CONDENSED, Table};
use tealeaf_archive::EventFilter;
use tealeaf_model::Period;
use tealeaf_pipeline::DataDir;
use tealeaf_query::export::CsvCells;
use tealeaf_query::trend::Series;

use crate::output::clean;

#[derive(Args)]
pub struct PersonArgs {
    /// The person's name, in any letter case and any spelling a gazetteer
    /// lists or that folds like it (`Ch'oe Ryong-hae`), or in Hangul (`김일성`).
    #[arg(required = true, num_args = 1..)]
    pub name: Vec<String>,
    #[arg(long)]
    pub json: bool,
}

/// How many people a person's "Most often with" lists.
const CO_MENTIONED: usize = 20;

pub fn person(data: &DataDir, args: PersonArgs) -> Result<ExitCode> {
    let archive = data.archive_existing()?;
    let asked = args.name.join(" ");
    // Any spelling or script of a name finds the person it is stored
    // under: `김일성`, `Kim Il-sung` and `kim il sung` are `Kim Il Sung`;
    // an unknown Hangul name is looked up romanized, as analysis stores
    // it. A broken user gazetteer is ingest's error to report; here the
    // name is then looked up as given.
    // A name stored as typed (any case) needs no analyzer, whose lists
    // take longer to build than the whole answer.
    let stored = archive.entity_names(&asked, Some(tealeaf_archive::EntityKind::Person))?;
    let name = match stored.first() {
        Some((stored, _, _)) => stored.clone(),
        None => match data.analyzer() {
            Ok(analyzer) => analyzer.person_name(&asked),
            Err(_) => asked.clone(),
        },
    };
    let mut p = match archive.person(&name) {
        Ok(p) => p,
        Err(tealeaf_archive::ArchiveError::NotFound(_)) => {
            anyhow::bail!("nobody called `{asked}` is mentioned in the archive")
        }
        Err(e) => return Err(e.into()),
    };
    // An index that cannot be opened leaves "with" out, not the rest.
    if let Ok((index, _)) = data.index() {
        p.with = index
            .co_mentioned(&p.name, CO_MENTIONED)?
            .into_iter()
            .map(|f| tealeaf_archive::CoMention {
                name: f.value,
                articles: f.count as i64,
            })
            .collect();
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&p)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("{}", clean(&p.name));
    println!(
        "{} articles, {} mentions, first seen {}, last seen {}\n",
        p.articles,
        p.mentions,
        p.first_seen.as_deref().unwrap_or("?"),
        p.last_seen.as_deref().unwrap_or("?")
    );
    // Offices and words of respect in tables of their own, so that the
    // first title read is an office.
    for (head, list) in [("title", &p.titles), ("honorific", &p.honorifics)] {
        if list.is_empty() {
            continue;
        }
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED);
        t.set_header(vec![head, "first seen", "last seen", "articles"]);
        for ti in list {
            t.add_row(vec![
                clean(&ti.title),
                ti.first_seen.clone().unwrap_or_default(),
                ti.last_seen.clone().unwrap_or_default(),
                ti.articles.to_string(),
            ]);
        }
        println!("{t}\n");
    }
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec!["month", "articles", "mentions"]);
    for m in &p.by_month {
        t.add_row(vec![
            m.period.clone(),
            m.articles.to_string(),
            m.mentions.to_string(),
        ]);
    }
    println!("{t}\n");
    if !p.with.is_empty() {
        let names: Vec<String> = p
            .with
            .iter()
            .take(10)
            .map(|c| format!("{} ({})", clean(&c.name), c.articles))
            .collect();
        println!("Most often with: {}\n", names.join(", "));
    }
    if !p.entourage.is_empty() {
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED);
        t.set_header(vec!["published", "position", "list", "article"]);
        for e in &p.entourage {
            t.add_row(vec![
                e.published.clone().unwrap_or_default(),
                format!("{} of {}", e.position, e.of),
                e.list.clone(),
                format!("{}  {}", e.id, clean(&e.title)),
            ]);
        }
        println!("Positions in name lists (rank read from order):\n{t}");
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct EventsArgs {
    /// Only events of this actor (canonical name, any letter case).
    #[arg(long)]
    pub actor: Option<String>,
    /// Only actions containing this text (e.g. `message`, `inspects`).
    #[arg(long)]
    pub action: Option<String>,
    #[arg(long, value_parser = parse_date)]
    pub from: Option<chrono::NaiveDate>,
    #[arg(long, value_parser = parse_date)]
    pub to: Option<chrono::NaiveDate>,
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    #[arg(long)]
    pub json: bool,
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    tealeaf_model::dates::parse_date(s).map_err(|e| e.to_string())
}

pub fn events(data: &DataDir, args: EventsArgs) -> Result<ExitCode> {
    let archive = data.archive_existing()?;
    let rows = archive.events(&EventFilter {
        actor: args.actor,
        action: args.action,
        from: args.from.map(|d| d.to_string()),
        to: args.to.map(|d| d.to_string()),
        limit: args.limit,
    })?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "events": rows }))?
        );
        return Ok(ExitCode::SUCCESS);
    }
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec![
        "date",
        "actor",
        "action",
        "recipient / object",
        "occasion",
        "article",
    ]);
    for r in &rows {
        let e = &r.event;
        let action = match &e.modifier {
            Some(m) => format!("{} ({m})", e.action),
            None => e.action.clone(),
        };
        t.add_row(vec![
            e.date
                .map(|d| d.to_string())
                .or_else(|| r.published.clone())
                .unwrap_or_default(),
            clean(e.actor.as_deref().unwrap_or("")),
            clean(&action),
            clean(e.recipient.as_deref().or(e.from.as_deref()).unwrap_or("")),
            clean(e.occasion.as_deref().unwrap_or("")),
            r.id.clone(),
        ]);
    }
    println!("{t}\n{} events", rows.len());
    Ok(ExitCode::SUCCESS)
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ByArg {
    Day,
    Week,
    Month,
    Year,
}

impl From<ByArg> for Period {
    fn from(b: ByArg) -> Period {
        match b {
            ByArg::Day => Period::Day,
            ByArg::Week => Period::Week,
            ByArg::Month => Period::Month,
            ByArg::Year => Period::Year,
        }
    }
}

#[derive(Args)]
pub struct TrendArgs {
    /// Terms or entities: `Russia`, `"Kim Jong Un"`, `"overseas operations"`.
    #[arg(required = true, num_args = 1..)]
    pub terms: Vec<String>,
    #[arg(long, value_enum, default_value = "month")]
    pub by: ByArg,
    #[arg(long)]
    pub outlet: Option<String>,
    /// Also per 1,000 articles of the outlet in each period.
    #[arg(long)]
    pub per_1000: bool,
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    #[arg(long)]
    pub csv: bool,
    /// With --csv: terms exactly as given, no `'` before one that starts
    /// with `=`, `+`, `-`, `@`, tab or carriage return.
    #[arg(long, requires = "csv")]
    pub raw_csv: bool,
    /// Draw a chart: FILE.svg or FILE.png.
    #[arg(long, value_name = "FILE")]
    pub chart: Option<PathBuf>,
}

pub fn trend(data: &DataDir, args: TrendArgs) -> Result<ExitCode> {
    let (archive, index) = crate::open_for_reading(data)?;
    let by = Period::from(args.by);
    let outlet = args.outlet.as_deref().map(str::to_ascii_lowercase);
    let series = tealeaf_query::trend::trend(
        &archive,
        &index,
        &args.terms,
        by,
        outlet.as_deref(),
        args.per_1000,
    )
    .map_err(|e| crate::located(data, e))?;
    if let Some(path) = &args.chart {
        tealeaf_query::chart::draw(path, &series, by, args.per_1000, outlet.as_deref())
            .with_context(|| format!("drawing {}", path.display()))?;
        eprintln!("chart written to {}", path.display());
    }
    if args.json {
        let terms: serde_json::Map<String, serde_json::Value> = series
            .iter()
            .map(|s| {
                (
                    s.term.clone(),
                    serde_json::to_value(&s.points).unwrap_or_default(),
                )
            })
            .collect();
        let matched: serde_json::Map<String, serde_json::Value> = series
            .iter()
            .map(|s| {
                (
                    s.term.clone(),
                    serde_json::json!({"matched_as": s.matched_as, "name": s.name}),
                )
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "by": by, "outlet": outlet, "per_1000": args.per_1000, "terms": terms, "matched": matched
            }))?
        );
    } else if args.csv {
        let cells = if args.raw_csv {
            CsvCells::Raw
        } else {
            CsvCells::Neutralised
        };
        let stdout = std::io::stdout();
        let mut w = csv::Writer::from_writer(stdout.lock());
        tealeaf_query::trend::write_csv(&mut w, &series, cells)?;
    } else if args.chart.is_none() {
        print_table(&series, args.per_1000)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn print_table(series: &[Series], per_1000: bool) -> Result<()> {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    let mut header = vec!["period".to_string()];
    for s in series {
        let label = if s.matched_as == "text" {
            s.term.clone()
        } else {
            format!("{} ({})", s.name, s.matched_as)
        };
        // A term pasted by mistake would make the table as wide as it.
        header.push(clean(&crate::output::truncate(&label, 60)));
    }
    t.set_header(header);
    let periods = series.first().map(|s| s.points.len()).unwrap_or(0);
    for i in 0..periods {
        let mut row = vec![series[0].points[i].period.clone()];
        for s in series {
            let p = &s.points[i];
            row.push(match (per_1000, p.articles_per_1000) {
                (true, Some(r)) => format!("{} art. / {} ment. ({r:.1}‰)", p.articles, p.mentions),
                _ => format!("{} art. / {} ment.", p.articles, p.mentions),
            });
        }
        t.add_row(row);
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "{t}")?;
    Ok(())
}

pub fn reanalyze(data: &DataDir) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    let n = data.reanalyze()?;
    eprintln!(
        "re-analysed and re-indexed {n} articles in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct BenchTrendArgs {
    #[arg(required = true, num_args = 1..)]
    pub terms: Vec<String>,
    #[arg(long, value_enum, default_value = "month")]
    pub by: ByArg,
    #[arg(long, default_value_t = 20)]
    pub repeat: usize,
}

/// Times `trend` inside one process, archive and index opened once.
pub fn bench_trend(data: &DataDir, args: BenchTrendArgs) -> Result<ExitCode> {
    let (archive, index) = crate::open_for_reading(data)?;
    let by = Period::from(args.by);
    let mut times = Vec::new();
    for _ in 0..args.repeat.max(1) {
        let t = std::time::Instant::now();
        let series = tealeaf_query::trend::trend(&archive, &index, &args.terms, by, None, false)
            .map_err(|e| crate::located(data, e))?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(series);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!(
        "{}",
        serde_json::json!({"terms": args.terms, "runs": times.len(), "p50_ms": times[times.len() / 2], "max_ms": times[times.len() - 1]})
    );
    Ok(ExitCode::SUCCESS)
}
