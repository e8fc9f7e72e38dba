//! What every request shares: the data directory, the index reader, a
//! small pool of read-only archive connections, and the limits on
//! concurrent blocking work.

use std::ops::Deref;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use tealeaf_archive::ArchiveReader;
use tealeaf_index::SearchIndex;
use tealeaf_pipeline::DataDir;
use tokio::sync::Semaphore;

use crate::cache::{Generation, PageCache};
use crate::page::AppError;
use crate::{Config, ServeError};

/// Blocking work (SQLite, tantivy) run at once. More would only queue on
/// two cores, and each worker holds an archive connection with its cache.
const WORKERS: usize = 4;
/// How often (at most) a request checks whether another process (a
/// `tealeaf ingest` beside the server) committed to the index.
const RELOAD_CHECK_MS: u64 = 2_000;
/// How long an index left behind while busy waits before the next try.
const CATCH_UP_RETRY_MS: u64 = 30_000;

/// Read access for one request: a pooled archive connection and the index.
pub struct Db<'a> {
    pub archive: &'a ArchiveReader,
    pub index: &'a SearchIndex,
    pub data: &'a DataDir,
}

/// Outlets and languages the archive holds, for the search form's menus.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    pub outlets: Vec<String>,
    pub languages: Vec<String>,
}

pub struct Inner {
    pub data: DataDir,
    pub index: SearchIndex,
    pool: Mutex<Vec<ArchiveReader>>,
    workers: Semaphore,
    /// Hash of the ingest token: comparing hashes is constant-time
    /// (`blake3::Hash`'s `==`) and hides the token's length.
    token: Option<blake3::Hash>,
    pub(crate) ingest_lock: tokio::sync::Mutex<()>,
    choices: RwLock<Choices>,
    started: Instant,
    last_check_ms: AtomicU64,
    seen_seq: AtomicI64,
    /// Changes the archive holds that the index does not (an ingest
    /// running, or one killed between the archive's commit and the
    /// index's): shown on the search page and in its twin.
    index_behind: AtomicI64,
    /// Whether the archive's analyses were made with other rules than
    /// this tealeaf's (`tealeaf reanalyze` is due).
    analysis_stale: std::sync::atomic::AtomicBool,
    catching_up: std::sync::atomic::AtomicBool,
    /// The archive's `seq` and the time (ms since start) of the last
    /// catch-up tried: while an ingest runs the index is behind and busy,
    /// so it is tried again only when the archive moved or after a while.
    last_catch_up: Mutex<(i64, u64)>,
    /// One connection kept only to ask whether the archive changed
    /// (`data_version`): half of a cached page's [`Generation`].
    watcher: Mutex<Option<ArchiveReader>>,
    /// Bumped whenever the index reader is reloaded: the other half.
    index_generation: AtomicU64,
    pub(crate) home_cache: PageCache<crate::home::HomePage>,
    pub(crate) search_cache: PageCache<crate::search::SearchPage>,
    pub(crate) people_cache: PageCache<crate::people::PeopleList>,
    public_url: Option<String>,
    /// Canonical names from any spelling (`Kim Jong-un`, `김정은`), as the
    /// CLI resolves them: built once, on the first name it is asked for.
    analyzer: std::sync::OnceLock<Option<tealeaf_analyze::Analyzer>>,
    /// When the current [`Generation`] was first seen: the pages'
    /// `Last-Modified` (never earlier than the change it follows).
    generation_seen: Mutex<Option<(Generation, std::time::SystemTime)>>,
}

/// Search pages kept: a few hundred analysts' recent queries, each some
/// tens of kilobytes.
const SEARCH_PAGES_CACHED: usize = 512;

/// Cheap to clone: handlers get one each.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub fn open(config: &Config) -> Result<AppState, ServeError> {
        let data = config.data.clone();
        if config.token.is_some() && !data.archive_path().exists() {
            // A writable server may start empty and be filled through the API.
            data.archive()?;
        }
        // Opens read-write once to catch the index up after an interrupted
        // ingest; requests then use read-only connections.
        let (archive, index, _) = data.open_for_reading()?;
        let analysis_stale = data
            .analysis_rules(&archive)
            .is_ok_and(|rules| !rules.current);
        drop(archive);
        let state = AppState(Arc::new(Inner {
            data,
            index,
            pool: Mutex::new(Vec::new()),
            workers: Semaphore::new(WORKERS),
            token: config
                .token
                .as_deref()
                .filter(|t| !t.is_empty())
                .map(|t| blake3::hash(t.as_bytes())),
            ingest_lock: tokio::sync::Mutex::new(()),
            choices: RwLock::new(Choices::default()),
            started: Instant::now(),
            last_check_ms: AtomicU64::new(0),
            seen_seq: AtomicI64::new(0),
            index_behind: AtomicI64::new(0),
            analysis_stale: std::sync::atomic::AtomicBool::new(analysis_stale),
            catching_up: std::sync::atomic::AtomicBool::new(false),
            last_catch_up: Mutex::new((0, 0)),
            watcher: Mutex::new(None),
            index_generation: AtomicU64::new(0),
            home_cache: PageCache::new(1),
            search_cache: PageCache::new(SEARCH_PAGES_CACHED),
            people_cache: PageCache::new(1),
            public_url: config.public_url.clone().filter(|u| !u.is_empty()),
            generation_seen: Mutex::new(None),
            analyzer: std::sync::OnceLock::new(),
        }));
        if let Ok(seq) = state.index.indexed_seq() {
            state.seen_seq.store(seq, Ordering::Relaxed);
        }
        state
            .refresh_choices()
            .map_err(|e| ServeError::Io(std::io::Error::other(e.to_string())))?;
        Ok(state)
    }

    /// Takes a connection from the pool, or opens one.
    pub(crate) fn checkout(&self) -> Result<ArchiveReader, AppError> {
        if let Some(a) = self.pool.lock().ok().and_then(|mut p| p.pop()) {
            return Ok(a);
        }
        ArchiveReader::open_read_only(&self.data.archive_path()).map_err(AppError::from)
    }

    pub(crate) fn checkin(&self, archive: ArchiveReader) {
        if let Ok(mut p) = self.pool.lock() {
            if p.len() < WORKERS {
                p.push(archive);
            }
        }
    }

    /// Runs `f` on a blocking thread with read access to the archive and
    /// the index; at most [`WORKERS`] at once. Every page handler reads
    /// through this.
    pub async fn read<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&Db) -> Result<T, AppError> + Send + 'static,
    {
        let _permit = self
            .workers
            .acquire()
            .await
            .map_err(|_| AppError::Internal("the server is shutting down".into()))?;
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            state.reload_if_committed();
            let archive = state.checkout()?;
            let out = f(&Db {
                archive: &archive,
                index: &state.index,
                data: &state.data,
            });
            state.checkin(archive);
            out
        })
        .await
        .map_err(|e| AppError::Internal(format!("worker failed: {e}")))?
    }

    /// Sees what another process committed to the index since the last
    /// look (checked at most every [`RELOAD_CHECK_MS`], by one request).
    fn reload_if_committed(&self) {
        let now = self.started.elapsed().as_millis() as u64;
        let last = self.last_check_ms.load(Ordering::Relaxed);
        if now.saturating_sub(last) < RELOAD_CHECK_MS
            || self
                .last_check_ms
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_err()
        {
            return;
        }
        match self.index.indexed_seq() {
            Ok(seq) if seq != self.seen_seq.load(Ordering::Relaxed) => {
                if self.index.reload().is_ok() {
                    self.index_reloaded();
                    self.seen_seq.store(seq, Ordering::Relaxed);
                    let _ = self.refresh_choices();
                }
            }
            Ok(_) => {}
            Err(e) => eprintln!("error: reading the index's commit: {e}"),
        }
        self.catch_up_if_behind();
    }

    /// Cached pages computed before this are stale.
    pub(crate) fn index_reloaded(&self) {
        self.index_generation.fetch_add(1, Ordering::Relaxed);
    }

    /// What pages computed now are computed from; `None` when the archive
    /// cannot be asked (nothing is cached then).
    pub(crate) fn generation(&self) -> Option<Generation> {
        let mut watcher = self.watcher.lock().ok()?;
        if watcher.is_none() {
            *watcher = ArchiveReader::open_read_only(&self.data.archive_path()).ok();
        }
        let version = watcher.as_ref()?.data_version().ok()?;
        Some((version, self.index_generation.load(Ordering::Relaxed)))
    }

    /// The page at `key` from `cache` if nothing changed since it was
    /// computed, else computed by `f` (as [`AppState::read`] runs it) and
    /// kept. The index is checked for other processes' commits first, as
    /// `read` does, so that a cached page is not served past one.
    pub async fn cached<V, F>(
        &self,
        cache: &PageCache<V>,
        key: String,
        f: F,
    ) -> Result<Arc<V>, AppError>
    where
        V: Send + Sync + 'static,
        F: FnOnce(&Db) -> Result<V, AppError> + Send + 'static,
    {
        if self.reload_check_due() {
            let state = self.clone();
            let _ = tokio::task::spawn_blocking(move || state.reload_if_committed()).await;
        }
        let generation = self.generation();
        if let Some(g) = generation {
            if let Some(v) = cache.get(&key, g) {
                return Ok(v);
            }
        }
        let v = Arc::new(self.read(f).await?);
        // Kept under the generation read before computing: a commit in
        // between makes the next request compute it again.
        if let Some(g) = generation {
            cache.put(key, g, Arc::clone(&v));
        }
        Ok(v)
    }

    fn reload_check_due(&self) -> bool {
        let now = self.started.elapsed().as_millis() as u64;
        now.saturating_sub(self.last_check_ms.load(Ordering::Relaxed)) >= RELOAD_CHECK_MS
    }

    /// Whether the index lacks changes the archive holds.
    pub fn index_behind(&self) -> bool {
        self.index_behind.load(Ordering::Relaxed) > 0
    }

    /// Whether the archive's analyses were made with other rules than
    /// this tealeaf's, as last checked.
    pub fn analysis_stale(&self) -> bool {
        self.analysis_stale.load(Ordering::Relaxed)
    }

    /// Compares the archive's last change with the index's; when the index
    /// is behind and no other process is writing it (an ingest killed
    /// between the two commits), catches it up on a thread of its own.
    fn catch_up_if_behind(&self) {
        let archive_seq = match self.checkout() {
            Ok(archive) => {
                if let Ok(rules) = self.data.analysis_rules(&archive) {
                    self.analysis_stale.store(!rules.current, Ordering::Relaxed);
                }
                let seq = archive.max_seq();
                self.checkin(archive);
                seq
            }
            Err(_) => return,
        };
        let (Ok(archive_seq), Ok(index_seq)) = (archive_seq, self.index.indexed_seq()) else {
            return;
        };
        let behind = (archive_seq - index_seq).max(0);
        self.index_behind.store(behind, Ordering::Relaxed);
        if behind == 0 {
            return;
        }
        let now = self.started.elapsed().as_millis() as u64;
        match self.last_catch_up.lock() {
            Ok(mut last) => {
                if last.0 == archive_seq && now.saturating_sub(last.1) < CATCH_UP_RETRY_MS {
                    return;
                }
                *last = (archive_seq, now);
            }
            Err(_) => return,
        }
        if self.catching_up.swap(true, Ordering::Relaxed) {
            return;
        }
        let state = self.clone();
        let spawned = std::thread::Builder::new()
            .name("tealeaf-catch-up".into())
            .spawn(move || {
                // The server's own ingest brings the index up itself.
                let Ok(_ingesting) = state.ingest_lock.try_lock() else {
                    state.catching_up.store(false, Ordering::Relaxed);
                    return;
                };
                // Busy: another process holds the index (an ingest still
                // running); it brings the index up itself.
                match state.data.open_for_reading() {
                    Ok((_, _, tealeaf_pipeline::CaughtUp::Done(n))) if n > 0 => {
                        eprintln!(
                            "note: the index was behind the archive; {n} articles re-indexed"
                        );
                    }
                    Ok(_) => {}
                    Err(e) => eprintln!("error: catching the index up: {e}"),
                }
                if state.index.reload().is_ok() {
                    state.index_reloaded();
                    if let Ok(seq) = state.index.indexed_seq() {
                        state.seen_seq.store(seq, Ordering::Relaxed);
                        if seq >= archive_seq {
                            state.index_behind.store(0, Ordering::Relaxed);
                        }
                    }
                    let _ = state.refresh_choices();
                }
                state.catching_up.store(false, Ordering::Relaxed);
            });
        if spawned.is_err() {
            self.catching_up.store(false, Ordering::Relaxed);
        }
    }

    /// The canonical name of the person `asked` names (in any spelling
    /// the gazetteers know, or romanized), if it differs from `asked`.
    pub(crate) fn person_name(&self, asked: &str) -> Option<String> {
        let analyzer = self.analyzer.get_or_init(|| self.data.analyzer().ok());
        let name = analyzer.as_ref()?.person_name(asked);
        (name != asked).then_some(name)
    }

    pub fn public_url(&self) -> Option<&str> {
        self.public_url.as_deref()
    }

    /// Since when the archive and index are as they are now, as far as
    /// this server saw: `None` when the archive cannot be asked.
    pub(crate) fn last_modified(&self) -> Option<std::time::SystemTime> {
        let generation = self.generation()?;
        let mut seen = self.generation_seen.lock().ok()?;
        match *seen {
            Some((g, at)) if g == generation => Some(at),
            _ => {
                let now = std::time::SystemTime::now();
                *seen = Some((generation, now));
                Some(now)
            }
        }
    }

    /// Whether `presented` is the configured token (false when none is).
    pub fn token_matches(&self, presented: &str) -> bool {
        match &self.token {
            Some(expected) => blake3::hash(presented.as_bytes()) == *expected,
            None => false,
        }
    }

    pub fn writable(&self) -> bool {
        self.token.is_some()
    }

    pub fn choices(&self) -> Choices {
        self.choices.read().map(|c| c.clone()).unwrap_or_default()
    }

    /// Re-reads the outlets and languages (at start and after an ingest).
    pub(crate) fn refresh_choices(&self) -> Result<(), AppError> {
        let archive = self.checkout()?;
        let stats = archive.stats();
        self.checkin(archive);
        let stats = stats?;
        let c = Choices {
            outlets: stats.outlets.keys().cloned().collect(),
            languages: stats
                .languages
                .keys()
                .filter(|l| l.as_str() != "?")
                .cloned()
                .collect(),
        };
        if let Ok(mut w) = self.choices.write() {
            *w = c;
        }
        Ok(())
    }
}
