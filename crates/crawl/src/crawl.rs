//! The crawler's rounds (docs/crawl.md). A round fetches every listing
//! (the start pages and the listings they link to), the articles they
//! show (new or known), and every other known article whose re-check is
//! due; new links found on the way join the round. Hosts are visited one
//! request at a time with a delay between requests, after robots.txt; a
//! host that keeps failing is left alone until the next round.
//!
//! Must not touch: how a fetch is made (`fetch`), where it may go
//! (`guard`), reading records into the archive (`feed` hands them to the
//! pipeline).

use std::collections::{BTreeMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;
use tealeaf_archive::crawl::{CrawlUrl, FetchOutcome, ARTICLE, LISTING};
use tealeaf_html::{Profile, UrlKind};
use tealeaf_pipeline::DataDir;

use crate::feed::{Collector, Kept};
use crate::fetch::{ClientOptions, Exchange, FetchError};
use crate::robots::{robots_url, Rules};
use crate::schedule;
use crate::warc_out::DEFAULT_ROTATE_BYTES;
use crate::{sleep_until, unix_now, CrawlError};

/// What `tealeaf crawl` is asked to do.
#[derive(Debug, Clone)]
pub struct CrawlOptions {
    /// Start pages; empty: the profile's.
    pub seeds: Vec<String>,
    pub profile: Option<Profile>,
    /// One round, then exit.
    pub once: bool,
    /// Every known article is due now.
    pub recheck_all: bool,
    /// Between two requests to one host (robots.txt's `Crawl-delay` when
    /// longer).
    pub delay: Duration,
    /// At most this many page requests a round.
    pub max_pages: Option<u64>,
    pub client: ClientOptions,
    /// Records are ingested after this many fetches (and at the end of
    /// each round).
    pub ingest_every: u64,
    pub rotate_bytes: u64,
}

impl CrawlOptions {
    pub fn new(client: ClientOptions) -> CrawlOptions {
        CrawlOptions {
            seeds: Vec::new(),
            profile: None,
            once: true,
            recheck_all: false,
            delay: DEFAULT_DELAY,
            max_pages: None,
            client,
            ingest_every: 50,
            rotate_bytes: DEFAULT_ROTATE_BYTES,
        }
    }
}

/// The default pause between two requests to one host.
pub const DEFAULT_DELAY: Duration = Duration::from_secs(5);

/// The start pages of a profile.
pub fn profile_seeds(profile: Profile) -> Vec<String> {
    match profile {
        Profile::Rodong => vec![
            "http://www.rodong.rep.kp/en/".into(),
            "http://www.rodong.rep.kp/ko/".into(),
        ],
        Profile::Kcna => vec![
            "http://www.kcna.kp/en/".into(),
            "http://www.kcna.kp/kp/".into(),
        ],
        Profile::Generic => Vec::new(),
    }
}

/// What a crawl did (the `crawl --json` contract, docs/json.md).
#[derive(Debug, Clone, Default, Serialize)]
pub struct CrawlSummary {
    pub rounds: u64,
    /// Page requests answered (robots.txt not counted).
    pub fetched: u64,
    /// `new_articles`, `new_versions`, `warc_files`, `ingest`.
    #[serde(flatten)]
    pub kept: Kept,
    /// Article urls found gone (404, 410, redirected away) that were not
    /// before.
    pub removals: u64,
    /// Conditional requests answered 304.
    pub not_modified: u64,
    /// Articles fetched again and found the same.
    pub unchanged: u64,
    /// Urls first seen in this run.
    pub discovered: u64,
    pub robots_disallowed: u64,
    /// Requests the address guard refused.
    pub refused: u64,
    pub errors: u64,
    pub errors_by_host: BTreeMap<String, u64>,
    /// Hosts left alone for the rest of a round after failing.
    pub hosts_given_up: Vec<String>,
    /// The last error message per host.
    pub last_error_by_host: BTreeMap<String, String>,
    /// Stopped by a signal before the round was done.
    pub interrupted: bool,
    pub seconds: f64,
}

/// Per-host state within a run.
struct Host {
    /// robots.txt's rules, once read in this run.
    rules: Option<Rules>,
    /// Not before this.
    next_at: Instant,
    failures: u32,
    given_up: bool,
    queue: VecDeque<Queued>,
    queued: HashSet<String>,
}

struct Queued {
    url: String,
    /// A retry after 429/503 waits for this.
    not_before: Option<Instant>,
    attempts: u32,
}

/// The crawler.
pub struct Crawler<'a> {
    opts: &'a CrawlOptions,
    c: Collector<'a>,
    hosts: BTreeMap<String, Host>,
    seeds: HashSet<String>,
    /// Urls handled in this round (never twice a round).
    done: HashSet<String>,
    summary: CrawlSummary,
    pages_this_round: u64,
    stop: &'a AtomicBool,
    progress: &'a dyn Fn(&str),
}

/// Crawls until one round is done (`once`) or `stop` is set.
pub fn crawl(
    data: &DataDir,
    opts: &CrawlOptions,
    stop: &AtomicBool,
    progress: &dyn Fn(&str),
) -> Result<CrawlSummary, CrawlError> {
    let started = Instant::now();
    let mut seeds = opts.seeds.clone();
    if seeds.is_empty() {
        seeds = opts.profile.map(profile_seeds).unwrap_or_default();
    }
    if seeds.is_empty() {
        return Err(CrawlError::Usage(
            "nothing to crawl: give start urls, or --profile rodong or kcna".into(),
        ));
    }
    let mut normalized = Vec::new();
    for s in &seeds {
        let u = crate::guard::check_url(s, true)
            .map_err(|e| CrawlError::Usage(format!("start url {s}: {e}")))?;
        normalized.push(u.to_string());
    }
    let collector = Collector::open(data, "crawl", &opts.client, opts.rotate_bytes)?;
    let mut crawler = Crawler {
        opts,
        c: collector,
        hosts: BTreeMap::new(),
        seeds: normalized.iter().cloned().collect(),
        done: HashSet::new(),
        summary: CrawlSummary::default(),
        pages_this_round: 0,
        stop,
        progress,
    };
    crawler.sync_summary();
    let now = unix_now();
    for s in &normalized {
        let kind = match tealeaf_html::classify(s).map(|u| u.kind) {
            Some(UrlKind::Article) => ARTICLE,
            _ => LISTING,
        };
        crawler.add(s, kind, now)?;
    }
    if opts.recheck_all {
        crawler.c.store.all_due(now).map_err(CrawlError::Archive)?;
    }
    loop {
        crawler.round()?;
        if opts.once || stop.load(Ordering::Relaxed) {
            break;
        }
        // The next round: when something is due (the listings hourly),
        // and never sooner than MIN_ROUND_GAP: urls of a host left alone
        // stay due, and must not start round after round.
        let next = crawler
            .c
            .store
            .next_due()
            .map_err(CrawlError::Archive)?
            .unwrap_or(i64::MAX)
            .min(unix_now() + schedule::LISTING_EVERY);
        let wait = (next - unix_now()).max(schedule::MIN_ROUND_GAP) as u64;
        progress(&format!("waiting {wait} s for the next round"));
        if sleep_until(Instant::now() + Duration::from_secs(wait), stop) {
            break;
        }
    }
    crawler.summary.interrupted = stop.load(Ordering::Relaxed);
    crawler.summary.seconds = (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
    Ok(crawler.summary)
}

impl Crawler<'_> {
    fn add(&mut self, url: &str, kind: &str, now: i64) -> Result<bool, CrawlError> {
        let Some(host) = host_of(url) else {
            return Ok(false);
        };
        let added = self
            .c
            .store
            .add(url, &host, kind, now, now)
            .map_err(CrawlError::Archive)?;
        if added {
            self.summary.discovered += 1;
        }
        Ok(added)
    }

    fn round(&mut self) -> Result<(), CrawlError> {
        let round_id = self
            .c
            .store
            .start_round("crawl", unix_now())
            .map_err(CrawlError::Archive)?;
        self.summary.rounds += 1;
        self.done.clear();
        self.pages_this_round = 0;
        for host in self.hosts.values_mut() {
            host.given_up = false;
            host.failures = 0;
            host.queue.clear();
            host.queued.clear();
            // Read again from the state (fetched again once a day).
            host.rules = None;
        }
        let now = unix_now();
        // The start pages on the first round of a run (each `--once`),
        // whatever their due time; later rounds of a long run fetch them
        // when due (hourly). A start url that is an article waits for its
        // re-check like any other.
        let first_round = self.summary.rounds == 1;
        for seed in self.seeds.clone() {
            if !first_round {
                break;
            }
            let listing = self
                .c
                .store
                .url(&seed)
                .map_err(CrawlError::Archive)?
                .is_some_and(|u| u.kind == LISTING);
            if listing {
                self.enqueue(&seed);
            }
        }
        for u in self
            .c
            .store
            .due(now, usize::MAX >> 1)
            .map_err(CrawlError::Archive)?
        {
            self.enqueue(&u.url);
        }
        while let Some((host, queued)) = self.next()? {
            if self.stop.load(Ordering::Relaxed) {
                break;
            }
            if self
                .opts
                .max_pages
                .is_some_and(|max| self.pages_this_round >= max)
            {
                break;
            }
            self.visit(&host, queued)?;
            if self.c.since_ingest >= self.opts.ingest_every {
                self.ingest()?;
            }
        }
        self.ingest()?;
        self.summary.interrupted = self.stop.load(Ordering::Relaxed);
        let summary = serde_json::to_value(&self.summary).unwrap_or_default();
        self.c
            .store
            .finish_round(round_id, unix_now(), &summary)
            .map_err(CrawlError::Archive)?;
        Ok(())
    }

    fn ingest(&mut self) -> Result<(), CrawlError> {
        (self.progress)("storing what was fetched");
        self.c.ingest()?;
        self.sync_summary();
        Ok(())
    }

    /// The summary's counts of what was written and stored.
    fn sync_summary(&mut self) {
        self.summary.kept = self.c.kept();
    }

    fn enqueue(&mut self, url: &str) {
        if self.done.contains(url) {
            return;
        }
        let Some(host) = host_of(url) else { return };
        let h = self.hosts.entry(host).or_insert_with(|| Host {
            rules: None,
            next_at: Instant::now(),
            failures: 0,
            given_up: false,
            queue: VecDeque::new(),
            queued: HashSet::new(),
        });
        if !h.queued.insert(url.to_string()) {
            return;
        }
        h.queue.push_back(Queued {
            url: url.to_string(),
            not_before: None,
            attempts: 0,
        });
    }

    /// The next url to visit: of the hosts with work, the one ready
    /// soonest, waited for. `None` when the round is done (or stopped).
    fn next(&mut self) -> Result<Option<(String, Queued)>, CrawlError> {
        loop {
            let ready = self
                .hosts
                .iter()
                .filter(|(_, h)| !h.given_up && !h.queue.is_empty())
                .map(|(name, h)| {
                    let front = h.queue.front().and_then(|q| q.not_before);
                    let at = front.map_or(h.next_at, |f| f.max(h.next_at));
                    (at, name.clone())
                })
                .min();
            let Some((at, name)) = ready else {
                return Ok(None);
            };
            if at > Instant::now() {
                (self.progress)(&format!(
                    "round {}: {} fetched; waiting {:.1} s for {name}",
                    self.summary.rounds,
                    self.summary.fetched,
                    (at - Instant::now()).as_secs_f64()
                ));
                if sleep_until(at, self.stop) {
                    return Ok(None);
                }
                continue;
            }
            let Some(host) = self.hosts.get_mut(&name) else {
                continue;
            };
            let Some(queued) = host.queue.pop_front() else {
                continue;
            };
            if self.done.contains(&queued.url) {
                continue;
            }
            return Ok(Some((name, queued)));
        }
    }

    fn host_delay(&self, host: &str) -> Duration {
        let crawl_delay = self
            .hosts
            .get(host)
            .and_then(|h| h.rules.as_ref()?.crawl_delay())
            .map(|s| Duration::from_secs_f64(s.min(schedule::MAX_WAIT.as_secs_f64())))
            .unwrap_or_default();
        self.opts.delay.max(crawl_delay)
    }

    /// Makes sure the host's robots.txt is known (fetching it when it is
    /// not, or is old). Returns false when the host is to be left alone.
    fn robots(&mut self, host: &str, url: &url::Url) -> Result<bool, CrawlError> {
        if let Some(rules) = self.hosts.get(host).and_then(|h| h.rules.as_ref()) {
            return Ok(!matches!(rules, Rules::Unreachable));
        }
        let now = unix_now();
        let stored = self.c.store.host(host).map_err(CrawlError::Archive)?;
        if let Some(stored) = stored.filter(|h| {
            h.robots_at
                .is_some_and(|at| now - at < schedule::ROBOTS_MAX_AGE)
        }) {
            if let Some(h) = self.hosts.get_mut(host) {
                h.rules = Some(Rules::from_stored(stored.robots.as_deref()));
            }
            return Ok(true);
        }
        let Some(robots) = robots_url(url) else {
            return Ok(true);
        };
        (self.progress)(&format!("reading {robots}"));
        let mut target = robots.clone();
        let mut result = self.c.fetcher.get(&target, &[]);
        self.after_request(host);
        // RFC 9309: redirects of robots.txt are followed (5 hops), on the
        // same site (http → https, the `www.` twin).
        for _ in 0..5 {
            let next = match &result {
                Ok(x) if (300..400).contains(&x.status) && x.status != 304 => x
                    .header("location")
                    .and_then(|l| url::Url::parse(&target).ok()?.join(l).ok())
                    .map(|u| u.to_string())
                    .filter(|n| site_of(n) == site_of(&target)),
                _ => None,
            };
            let Some(next) = next else { break };
            if let Ok(x) = &result {
                self.keep(x, &target, false)?;
            }
            if let Some(at) = self.hosts.get(host).map(|h| h.next_at) {
                if sleep_until(at, self.stop) {
                    return Ok(false);
                }
            }
            target = next;
            result = self.c.fetcher.get(&target, &[]);
            self.after_request(host);
        }
        let rules = match result {
            Ok(x) => {
                self.keep(&x, &target, false)?;
                self.c
                    .store
                    .host_fetched(host, now, None)
                    .map_err(CrawlError::Archive)?;
                match x.status {
                    200..=299 => {
                        let body = x.decoded_body().unwrap_or_default();
                        let text = String::from_utf8_lossy(&body).into_owned();
                        self.c
                            .store
                            .set_robots(host, Some(&text), now)
                            .map_err(CrawlError::Archive)?;
                        Rules::from_stored(Some(&text))
                    }
                    300..=499 => {
                        self.c
                            .store
                            .set_robots(host, None, now)
                            .map_err(CrawlError::Archive)?;
                        Rules::AllowAll
                    }
                    _ => {
                        self.failed(host, &format!("robots.txt answered {}", x.status))?;
                        Rules::Unreachable
                    }
                }
            }
            Err(e) if e.is_refusal() => {
                self.summary.refused += 1;
                self.note_error(host, &e.to_string());
                Rules::Unreachable
            }
            Err(e) => {
                self.failed(host, &format!("robots.txt: {e}"))?;
                Rules::Unreachable
            }
        };
        let reachable = !matches!(rules, Rules::Unreachable);
        if let Some(h) = self.hosts.get_mut(host) {
            h.rules = Some(rules);
            if !reachable {
                // Without its robots.txt a host is not crawled this round.
                h.given_up = true;
                if !self.summary.hosts_given_up.contains(&host.to_string()) {
                    self.summary.hosts_given_up.push(host.to_string());
                }
            }
        }
        Ok(reachable)
    }

    fn after_request(&mut self, host: &str) {
        let delay = self.host_delay(host);
        if let Some(h) = self.hosts.get_mut(host) {
            h.next_at = h.next_at.max(Instant::now() + delay);
        }
    }

    fn note_error(&mut self, host: &str, message: &str) {
        self.summary.errors += 1;
        *self
            .summary
            .errors_by_host
            .entry(host.to_string())
            .or_default() += 1;
        self.summary
            .last_error_by_host
            .insert(host.to_string(), message.to_string());
    }

    /// A failed request: counted, backed off, and the host given up after
    /// too many in a row.
    fn failed(&mut self, host: &str, message: &str) -> Result<(), CrawlError> {
        self.note_error(host, message);
        self.c
            .store
            .host_fetched(host, unix_now(), Some(message))
            .map_err(CrawlError::Archive)?;
        let delay = self.host_delay(host);
        if let Some(h) = self.hosts.get_mut(host) {
            h.failures += 1;
            h.next_at = Instant::now() + schedule::backoff(h.failures, delay);
            if h.failures >= schedule::HOST_FAILURES_TO_GIVE_UP {
                h.given_up = true;
                if !self.summary.hosts_given_up.contains(&host.to_string()) {
                    self.summary.hosts_given_up.push(host.to_string());
                }
            }
        }
        Ok(())
    }

    /// Writes an exchange to the WARC files; a listing's is marked so
    /// (`WARC-Tealeaf-Page: listing`, docs/warc.md), so that ingest does not
    /// read a start page of an unprofiled site as an article.
    fn keep(&mut self, x: &Exchange, target: &str, listing: bool) -> Result<(), CrawlError> {
        let mark = [("WARC-Tealeaf-Page", "listing".to_string())];
        let extra: &[(&str, String)] = if listing { &mark } else { &[] };
        self.c.keep(x, target, x.at, extra)
    }

    fn visit(&mut self, host: &str, mut queued: Queued) -> Result<(), CrawlError> {
        let url = queued.url.clone();
        let Ok(parsed) = url::Url::parse(&url) else {
            self.done.insert(url);
            return Ok(());
        };
        if !self.robots(host, &parsed)? {
            // Left in the state as it was: due, for the next round.
            return Ok(());
        }
        // The delay after a robots.txt request just made.
        if let Some(at) = self.hosts.get(host).map(|h| h.next_at) {
            if sleep_until(at, self.stop) {
                return Ok(());
            }
        }
        let known = self.c.store.url(&url).map_err(CrawlError::Archive)?;
        let Some(known) = known else {
            self.done.insert(url);
            return Ok(());
        };
        let now = unix_now();
        let allowed = self
            .hosts
            .get(host)
            .and_then(|h| h.rules.as_ref())
            .is_none_or(|r| r.allowed(&url));
        if !allowed {
            self.summary.robots_disallowed += 1;
            self.done.insert(url.clone());
            self.postpone(&known, now + schedule::RETRY_DISALLOWED)?;
            return Ok(());
        }
        self.pages_this_round += 1;
        (self.progress)(&format!(
            "round {}: {} fetched, {} new; {url}",
            self.summary.rounds, self.summary.fetched, self.summary.discovered
        ));
        // A listing is always fetched whole: the articles it shows are
        // re-checked with it.
        let mut conditional = Vec::new();
        if known.kind == ARTICLE && known.digest.is_some() && !known.gone {
            if let Some(etag) = &known.etag {
                conditional.push(("if-none-match", etag.clone()));
            }
            if let Some(lm) = &known.last_modified {
                conditional.push(("if-modified-since", lm.clone()));
            }
        }
        // Redirects that stay on the same page (http → https, another
        // spelling of the article) are followed, a few hops at most.
        let mut current = url.clone();
        let mut hops = 0;
        let exchange = loop {
            let result = self.c.fetcher.get(&current, &conditional);
            self.after_request(host);
            let x = match result {
                Ok(x) => x,
                Err(FetchError::Refused(r)) => {
                    self.summary.refused += 1;
                    self.note_error(host, &r.to_string());
                    self.done.insert(url.clone());
                    self.postpone(&known, now + schedule::RETRY_DISALLOWED)?;
                    return Ok(());
                }
                Err(e) => {
                    self.failed(host, &format!("{current}: {e}"))?;
                    self.done.insert(url.clone());
                    self.postpone(&known, now + schedule::RETRY_FAILED)?;
                    return Ok(());
                }
            };
            self.keep(&x, &current, known.kind == LISTING)?;
            self.summary.fetched += 1;
            if (300..400).contains(&x.status) && x.status != 304 && hops < 5 {
                if let Some(next) = x
                    .header("location")
                    .and_then(|l| url::Url::parse(&current).ok()?.join(l).ok())
                {
                    let next = next.to_string();
                    let allowed = self
                        .hosts
                        .get(host)
                        .and_then(|h| h.rules.as_ref())
                        .is_none_or(|r| r.allowed(&next));
                    if self.same_page(&url, &known.kind, &next) && allowed {
                        hops += 1;
                        current = next;
                        // The host's delay holds between hops too.
                        if let Some(at) = self.hosts.get(host).map(|h| h.next_at) {
                            if sleep_until(at, self.stop) {
                                return Ok(());
                            }
                        }
                        continue;
                    }
                }
            }
            break x;
        };
        self.done.insert(url.clone());
        let status = exchange.status;
        if status < 500 && status != 429 {
            self.c
                .store
                .host_fetched(host, unix_now(), None)
                .map_err(CrawlError::Archive)?;
            if let Some(h) = self.hosts.get_mut(host) {
                h.failures = 0;
            }
        }
        match status {
            429 | 503 => {
                let wait = exchange
                    .header("retry-after")
                    .and_then(|v| schedule::retry_after(v, chrono::Utc::now()))
                    .unwrap_or_else(|| schedule::backoff(queued.attempts + 1, self.opts.delay));
                // The wait asked for is kept, and the url tried again; a
                // url still refused after its retries counts as a failure
                // of the host (so a host answering 503 to everything is
                // left alone after a few urls).
                let message = format!("{url}: {status}, asked to wait {} s", wait.as_secs());
                if queued.attempts < 2 {
                    self.note_error(host, &message);
                    queued.attempts += 1;
                    queued.not_before = Some(Instant::now() + wait);
                    self.done.remove(&url);
                    if let Some(h) = self.hosts.get_mut(host) {
                        h.next_at = h.next_at.max(Instant::now() + wait);
                        h.queue.push_back(queued);
                    }
                } else {
                    self.failed(host, &message)?;
                    if let Some(h) = self.hosts.get_mut(host) {
                        h.next_at = h.next_at.max(Instant::now() + wait);
                    }
                    self.postpone(&known, now + schedule::RETRY_FAILED)?;
                }
            }
            500..=599 => {
                self.failed(host, &format!("{url}: {status}"))?;
                self.postpone(&known, now + schedule::RETRY_FAILED)?;
            }
            304 => {
                self.summary.not_modified += 1;
                self.summary.unchanged += u64::from(known.kind == ARTICLE);
                let checks = known.checks + 1;
                self.record(&known, &exchange, None, false, checks, false)?;
            }
            200..=299 => self.page(&known, &exchange, &current)?,
            _ => {
                // As WARC ingest reads it: only an article url of a profiled
                // site (its key names the article) is removed by a 404 or a
                // redirect away; a 3xx without a Location says nothing.
                let profiled_article =
                    tealeaf_html::classify(&url).is_some_and(|u| u.kind == UrlKind::Article);
                let redirect_away =
                    (300..400).contains(&status) && exchange.header("location").is_some();
                let gone = known.kind == ARTICLE && (matches!(status, 404 | 410) || redirect_away);
                if gone {
                    if !known.gone && profiled_article {
                        self.summary.removals += 1;
                    }
                    let checks = if known.gone { known.checks + 1 } else { 1 };
                    self.record(&known, &exchange, None, false, checks, true)?;
                } else {
                    self.note_error(host, &format!("{url}: {status}"));
                    self.postpone(&known, now + schedule::RETRY_FAILED)?;
                }
            }
        }
        Ok(())
    }

    /// Whether a redirect from `from` to `to` stays on the same page: the
    /// same article, or for a listing the same host.
    fn same_page(&self, from: &str, kind: &str, to: &str) -> bool {
        // Another site is never the same page, whatever its url says.
        if site_of(from) != site_of(to) {
            return false;
        }
        if kind == ARTICLE {
            let id = |u: &str| tealeaf_html::url::article_id(u);
            match (id(from), id(to)) {
                (Some(a), Some(b)) => a == b,
                // An unprofiled site's page moving to https or a trailing
                // slash: the same page.
                (None, None) => normalized(from) == normalized(to),
                _ => false,
            }
        } else {
            true
        }
    }

    fn postpone(&mut self, known: &CrawlUrl, due_at: i64) -> Result<(), CrawlError> {
        self.c
            .store
            .fetched(
                &known.url,
                &FetchOutcome {
                    at: None,
                    status: known.status.unwrap_or(0),
                    etag: known.etag.clone(),
                    last_modified: known.last_modified.clone(),
                    digest: None,
                    changed: false,
                    checks: known.checks,
                    due_at,
                    gone: known.gone,
                },
            )
            .map_err(CrawlError::Archive)
    }

    fn record(
        &mut self,
        known: &CrawlUrl,
        x: &Exchange,
        digest: Option<String>,
        changed: bool,
        checks: i64,
        gone: bool,
    ) -> Result<(), CrawlError> {
        let now = unix_now();
        let due_at = if known.kind == LISTING {
            now + schedule::LISTING_EVERY
        } else {
            now + schedule::article_due_in(checks)
        };
        self.c
            .store
            .fetched(
                &known.url,
                &FetchOutcome {
                    at: Some(now),
                    status: i64::from(x.status),
                    etag: x.header("etag").map(str::to_string),
                    last_modified: x.header("last-modified").map(str::to_string),
                    digest,
                    changed,
                    checks,
                    due_at,
                    gone,
                },
            )
            .map_err(CrawlError::Archive)
    }

    /// A page that answered: its links followed, its text's digest
    /// compared with the last one.
    fn page(&mut self, known: &CrawlUrl, x: &Exchange, final_url: &str) -> Result<(), CrawlError> {
        let body = x.decoded_body().unwrap_or_default();
        let content_type = x.header("content-type");
        let is_html = content_type.is_none_or(|t| {
            let t = t.to_ascii_lowercase();
            t.contains("html") || t.contains("text/plain") || t.contains("octet-stream")
        });
        if is_html {
            self.follow(&known.url, final_url, &body, content_type)?;
        }
        let digest = digest_of(&body, final_url, content_type);
        let changed = known.digest.as_deref() != Some(digest.as_str());
        let checks = if changed || known.gone {
            1
        } else {
            known.checks + 1
        };
        if known.kind == ARTICLE && !changed && !known.gone {
            self.summary.unchanged += 1;
        }
        self.record(known, x, Some(digest), changed, checks, false)
    }

    /// Adds the links of a page that the crawl follows: same host; for a
    /// profiled site its articles (from any page) and its listings (from
    /// the start pages); for another site, its pages linked from the
    /// start pages and listings.
    fn follow(
        &mut self,
        from: &str,
        final_url: &str,
        body: &[u8],
        content_type: Option<&str>,
    ) -> Result<(), CrawlError> {
        let Ok(links) = tealeaf_html::links(body, content_type) else {
            return Ok(());
        };
        let Ok(page_url) = url::Url::parse(final_url) else {
            return Ok(());
        };
        let base = links
            .base
            .as_deref()
            .and_then(|b| page_url.join(b).ok())
            .unwrap_or(page_url);
        let from_seed = self.seeds.contains(from);
        let from_listing = from_seed
            || self
                .c
                .store
                .url(from)
                .map_err(CrawlError::Archive)?
                .is_some_and(|u| u.kind == LISTING);
        let home = host_of(from);
        let now = unix_now();
        let mut seen = HashSet::new();
        for href in &links.hrefs {
            let Ok(mut link) = base.join(href) else {
                continue;
            };
            link.set_fragment(None);
            if !matches!(link.scheme(), "http" | "https") {
                continue;
            }
            // `www.` or not is the same site: spelled as the page that
            // links to it, so that one page is one url (fetched once).
            if site_of(link.as_str()) != site_of(from) {
                continue;
            }
            if host_of(link.as_str()) != home {
                let Some(from_host) = url::Url::parse(from)
                    .ok()
                    .and_then(|u| u.host_str().map(str::to_string))
                else {
                    continue;
                };
                if link.set_host(Some(&from_host)).is_err() {
                    continue;
                }
            }
            let link = link.to_string();
            if !seen.insert(link.clone()) || looks_like_asset(&link) {
                continue;
            }
            let kind = match tealeaf_html::classify(&link) {
                Some(site) => match site.kind {
                    UrlKind::Article => ARTICLE,
                    UrlKind::Listing if from_seed => LISTING,
                    _ => continue,
                },
                None if from_listing && !self.seeds.contains(&link) => ARTICLE,
                None => continue,
            };
            // New urls join the round; so do the listings a start page
            // links to (every round) and the articles a listing still
            // shows, whatever their schedule: the latest are the ones most
            // often edited, and a conditional request of an unchanged one
            // costs a 304.
            if self.add(&link, kind, now)? || kind == LISTING || from_listing {
                self.enqueue(&link);
            }
        }
        Ok(())
    }
}

/// A page's text digest: title and paragraphs as the reader reads them,
/// so that a page whose markup changed around the same text is the same.
fn digest_of(body: &[u8], url: &str, content_type: Option<&str>) -> String {
    let hints = tealeaf_html::Hints {
        url: Some(url.to_string()),
        content_type: content_type.map(str::to_string),
        ..Default::default()
    };
    let mut hasher = blake3::Hasher::new();
    match tealeaf_html::extract(body, &hints) {
        Ok(page) => {
            hasher.update(page.title.as_bytes());
            for p in &page.paragraphs {
                hasher.update(b"\n");
                hasher.update(p.as_bytes());
            }
        }
        Err(_) => {
            hasher.update(body);
        }
    }
    hasher.finalize().to_hex()[..32].to_string()
}

/// The host a crawl keys politeness by: as in the url, lowercased, with
/// its port.
pub fn host_of(url: &str) -> Option<String> {
    let u = url::Url::parse(url).ok()?;
    let host = u.host_str()?.to_ascii_lowercase();
    Some(match u.port() {
        Some(p) => format!("{host}:{p}"),
        None => host,
    })
}

/// A url's site: its host without `www.`, with its port.
fn site_of(url: &str) -> Option<String> {
    let host = host_of(url)?;
    Some(host.strip_prefix("www.").unwrap_or(&host).to_string())
}

fn normalized(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    rest.trim_end_matches('/').to_string()
}

/// Urls of things that are not pages (images, style sheets, scripts,
/// documents, media).
fn looks_like_asset(url: &str) -> bool {
    let path = url
        .split(['?', '#'])
        .next()
        .unwrap_or(url)
        .to_ascii_lowercase();
    const ASSETS: [&str; 24] = [
        ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".bmp", ".css", ".js", ".pdf",
        ".zip", ".rar", ".gz", ".mp3", ".mp4", ".m4v", ".avi", ".wmv", ".flv", ".swf", ".doc",
        ".xls", ".woff",
    ];
    ASSETS.iter().any(|ext| path.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assets_are_not_followed_and_hosts_keep_ports() {
        assert!(looks_like_asset("http://x.org/a/b.JPG?x=1"));
        assert!(!looks_like_asset("http://x.org/en/index.php?MUAxQA=="));
        assert_eq!(
            host_of("http://WWW.Rodong.rep.kp:8080/en/").as_deref(),
            Some("www.rodong.rep.kp:8080")
        );
    }
}
