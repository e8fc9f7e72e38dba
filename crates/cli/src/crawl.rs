//! `tealeaf crawl` and `tealeaf wayback`: arguments, the stop signal,
//! progress and the summary around the collectors (`tealeaf-crawl`).

use std::collections::HashMap;
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use tealeaf_crawl::{ClientOptions, CrawlOptions, WaybackOptions};
use tealeaf_pipeline::DataDir;

#[derive(Clone, Copy, ValueEnum)]
pub enum ProfileArg {
    Rodong,
    Kcna,
    Generic,
}

/// What both collectors are told about fetching.
#[derive(Args)]
pub struct FetchArgs {
    /// Seconds between two requests to one host (robots.txt's
    /// Crawl-delay when longer).
    #[arg(long, value_name = "SECONDS")]
    pub delay: Option<f64>,
    /// The User-Agent header (default: tealeaf and its version, saying what
    /// it is).
    #[arg(long, value_name = "TEXT")]
    pub user_agent: Option<String>,
    /// Allow loopback, private, link-local and other internal addresses
    /// (refused by default, after DNS and on every redirect).
    #[arg(long)]
    pub allow_private: bool,
    /// Connect to ADDR:PORT for HOST instead of looking HOST up (a mirror,
    /// a test server). With it, no other name is looked up at all.
    #[arg(long, value_name = "HOST=ADDR:PORT")]
    pub resolve: Vec<String>,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct CrawlArgs {
    /// Start pages (default: the profile's).
    pub urls: Vec<String>,
    /// Whose start pages and url scheme (rodong.rep.kp, kcna.kp) or any
    /// other news site (generic, with start urls).
    #[arg(long, value_enum)]
    pub profile: Option<ProfileArg>,
    /// One round, then exit (otherwise rounds repeat until Ctrl-C or
    /// SIGTERM).
    #[arg(long)]
    pub once: bool,
    /// Re-check every known article now, whatever its schedule.
    #[arg(long)]
    pub recheck_all: bool,
    /// At most this many page requests a round.
    #[arg(long, value_name = "N")]
    pub max_pages: Option<u64>,
    #[command(flatten)]
    pub fetch: FetchArgs,
}

#[derive(Args)]
pub struct WaybackArgs {
    /// The url prefix whose captures to import
    /// (e.g. http://www.rodong.rep.kp/en/).
    pub prefix: String,
    /// Captures from this date (YYYY, YYYY-MM, YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Captures up to this date.
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// The Wayback Machine's address.
    #[arg(long, value_name = "URL", default_value = tealeaf_crawl::wayback::DEFAULT_ENDPOINT)]
    pub endpoint: String,
    /// Fetch at most this many captures.
    #[arg(long, value_name = "N")]
    pub max_captures: Option<u64>,
    /// CDX rows asked for per request (tests page with small ones).
    #[arg(long, default_value_t = 1000, hide = true, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub cdx_page_size: u32,
    #[command(flatten)]
    pub fetch: FetchArgs,
}

static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_stop_signal(_: libc::c_int) {
    // A second Ctrl-C does not wait for the request under way.
    if STOP.swap(true, Ordering::SeqCst) {
        unsafe { libc::_exit(130) };
    }
}

/// Ctrl-C and SIGTERM finish the request under way, store what was
/// fetched, and exit 0.
fn catch_stop_signals() {
    let handler = on_stop_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
    // SAFETY: the handler only touches an atomic (and _exit), both
    // async-signal-safe.
    unsafe {
        libc::signal(libc::SIGINT, handler);
        libc::signal(libc::SIGTERM, handler);
    }
}

fn client(args: &FetchArgs) -> Result<ClientOptions> {
    let mut resolve = HashMap::new();
    for spec in &args.resolve {
        let (host, addr) = spec
            .split_once('=')
            .with_context(|| format!("--resolve {spec}: expected HOST=ADDR:PORT"))?;
        let addr: SocketAddr = addr
            .parse()
            .with_context(|| format!("--resolve {spec}: `{addr}` is not ADDR:PORT"))?;
        resolve.insert(host.trim().to_ascii_lowercase(), addr);
    }
    Ok(ClientOptions {
        user_agent: args
            .user_agent
            .clone()
            .unwrap_or_else(tealeaf_crawl::default_user_agent),
        allow_private: args.allow_private,
        resolve,
        max_bytes: tealeaf_crawl::fetch::MAX_RESPONSE_BYTES,
        timeout: tealeaf_crawl::fetch::REQUEST_TIMEOUT,
    })
}

fn delay(args: &FetchArgs, default: Duration) -> Result<Duration> {
    match args.delay {
        None => Ok(default),
        Some(s) if s.is_finite() && (0.0..=3600.0).contains(&s) => Ok(Duration::from_secs_f64(s)),
        Some(s) => anyhow::bail!("--delay {s}: give seconds between 0 and 3600"),
    }
}

/// Runs a collector with the stop signals caught and its progress on a
/// spinner (on stderr when it is a terminal and JSON was not asked for).
fn collect<T>(json: bool, run: impl FnOnce(&dyn Fn(&str)) -> Result<T>) -> Result<T> {
    catch_stop_signals();
    let bar = (!json && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    });
    let progress = |message: &str| {
        if let Some(bar) = &bar {
            bar.set_message(message.to_string());
        }
    };
    let result = run(&progress);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    result
}

pub fn crawl(data: &DataDir, args: CrawlArgs) -> Result<ExitCode> {
    let mut opts = CrawlOptions::new(client(&args.fetch)?);
    opts.seeds = args.urls.clone();
    opts.profile = args.profile.map(|p| match p {
        ProfileArg::Rodong => tealeaf_html::Profile::Rodong,
        ProfileArg::Kcna => tealeaf_html::Profile::Kcna,
        ProfileArg::Generic => tealeaf_html::Profile::Generic,
    });
    opts.once = args.once;
    opts.recheck_all = args.recheck_all;
    opts.delay = delay(&args.fetch, tealeaf_crawl::crawl::DEFAULT_DELAY)?;
    opts.max_pages = args.max_pages;
    if matches!(args.profile, Some(ProfileArg::Generic)) && args.urls.is_empty() {
        anyhow::bail!("--profile generic needs start urls");
    }
    let summary = collect(args.fetch.json, |progress| {
        tealeaf_crawl::crawl(data, &opts, &STOP, progress)
            .with_context(|| format!("crawling into {}", data.root.display()))
    })?;
    if args.fetch.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        eprintln!(
            "{} round{}: {} fetched, {} new articles, {} new versions, {} removals, \
             {} not modified, {} unchanged, {} robots-disallowed, {} errors{}",
            summary.rounds,
            if summary.rounds == 1 { "" } else { "s" },
            summary.fetched,
            summary.kept.new_articles,
            summary.kept.new_versions,
            summary.removals,
            summary.not_modified,
            summary.unchanged,
            summary.robots_disallowed,
            summary.errors,
            if summary.interrupted {
                " (stopped)"
            } else {
                ""
            }
        );
        for (host, n) in &summary.errors_by_host {
            let last = summary
                .last_error_by_host
                .get(host)
                .map(String::as_str)
                .unwrap_or("");
            eprintln!("  {host}: {n} errors; last: {last}");
        }
        for host in &summary.hosts_given_up {
            eprintln!("  {host}: left alone for the rest of the round");
        }
        print_ingest_problems(&summary.kept.ingest);
    }
    // Hosts failing now and then is normal (KCNA often is unreachable);
    // a crawl that reached nothing at all says so in its exit code.
    Ok(
        if summary.fetched == 0 && (summary.refused > 0 || summary.errors > 0) {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        },
    )
}

fn print_ingest_problems(ingest: &tealeaf_crawl::feed::Ingested) {
    for e in &ingest.errors {
        eprintln!("  rejected: {}: {}", e.source, e.message);
    }
}

/// `--from 2013-05` → `201305` (the CDX API's form).
fn cdx_date(flag: &str, value: &str) -> Result<String> {
    let digits: String = value.chars().filter(|c| *c != '-').collect();
    anyhow::ensure!(
        matches!(digits.len(), 4 | 6 | 8 | 10 | 12 | 14)
            && digits.bytes().all(|b| b.is_ascii_digit()),
        "{flag} {value}: give a date as YYYY, YYYY-MM or YYYY-MM-DD"
    );
    Ok(digits)
}

pub fn wayback(data: &DataDir, args: WaybackArgs) -> Result<ExitCode> {
    let mut opts = WaybackOptions::new(&args.prefix, client(&args.fetch)?);
    opts.from = args
        .from
        .as_deref()
        .map(|d| cdx_date("--from", d))
        .transpose()?;
    opts.to = args
        .to
        .as_deref()
        .map(|d| cdx_date("--to", d))
        .transpose()?;
    opts.endpoint = args.endpoint.clone();
    opts.delay = delay(&args.fetch, tealeaf_crawl::wayback::DEFAULT_DELAY)?;
    opts.max_captures = args.max_captures;
    opts.page_size = args.cdx_page_size as usize;
    let summary = collect(args.fetch.json, |progress| {
        tealeaf_crawl::wayback(data, &opts, &STOP, progress)
            .with_context(|| format!("importing Wayback captures into {}", data.root.display()))
    })?;
    if args.fetch.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        eprintln!(
            "{} captures listed: {} fetched, {} already imported, {} repeating a digest, \
             {} not pages; {} new articles, {} new versions, {} removals, {} errors{}",
            summary.listed,
            summary.fetched,
            summary.already_known,
            summary.same_digest,
            summary.not_pages,
            summary.kept.new_articles,
            summary.kept.new_versions,
            summary.removals,
            summary.errors,
            if summary.interrupted {
                " (stopped)"
            } else {
                ""
            }
        );
        if let Some(e) = &summary.last_error {
            eprintln!("  last error: {e}");
        }
        print_ingest_problems(&summary.kept.ingest);
    }
    Ok(ExitCode::SUCCESS)
}
