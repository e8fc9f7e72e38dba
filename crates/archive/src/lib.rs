//! The archive: tealeaf's source of truth, one SQLite file.
//!
//! Owns: the schema and its migrations ([`schema`]), the article-identity
//! decision for each capture (rule in `tealeaf_model::identity`), captures,
//! versions (derived from captures in capture-time order), failed captures,
//! and the `seq` counter by which the index catches up.
//!
//! Must not touch: the full-text index, files other than its own database,
//! or the terminal. Everything derived (index, analysis) is rebuilt from
//! what this crate stores.

mod analysis;
mod schema;
mod store;
mod view;

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

pub use analysis::{
    AnalysisRowsOf, CoMention, EventFilter, EventRow, PeriodCount, PersonView, Position, TitleSeen,
};
pub use store::{ChangeAnalysis, IngestRun, Outcome, PendingChange, Prepared};
pub use tealeaf_model::ArticleDoc;
pub use view::{
    ArticleSummary, ArticleView, ChangeEnd, ChangeFilter, ChangeRow, Stats, VersionView,
};

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    // The message includes SQLite's, so it is not chained as a source too
    // (error chains would print it twice).
    #[error("SQLite: {0}")]
    Sqlite(rusqlite::Error),
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    #[error(
        "the archive was written by a newer tealeaf (schema {found}, this build knows {known})"
    )]
    TooNew { found: i64, known: i64 },
    #[error("no article `{0}`")]
    NotFound(String),
}

impl From<rusqlite::Error> for ArchiveError {
    fn from(e: rusqlite::Error) -> Self {
        ArchiveError::Sqlite(e)
    }
}

pub type Result<T> = std::result::Result<T, ArchiveError>;

/// The schema version this build writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = schema::MIGRATIONS.len() as i64;

pub struct Archive {
    conn: Connection,
    /// An open write transaction, when a batch is under way.
    in_batch: bool,
    /// When set, the word diffs of new changes are not computed while
    /// storing: the changes are stored pending and queued here, for the
    /// caller to analyse on other threads ([`Archive::defer_changes`]).
    deferred: Option<Vec<PendingChange>>,
    /// What this connection knows of the stored state, to spare lookups on
    /// the common path of an ingest; dropped whenever another connection
    /// has written (see [`Archive::begin`]).
    known: store::Known,
    /// Analysis rows waiting to be written (before the next commit).
    analysis_rows: analysis::AnalysisRows,
    /// Whether new articles are stored as analysed at once
    /// ([`Archive::expect_analysis`]).
    expect_analysis: bool,
    /// The new articles of the open transaction stored so, whose analysis
    /// has not come back: unmarked before it commits.
    analysis_due: foldhash::HashSet<String>,
    /// The content the last stored capture inserted, as its hash: the
    /// archive then holds that capture's own text for it.
    stored_own_text: Option<u128>,
}

impl Archive {
    /// Opens (creating if needed) the archive at `path` and brings its
    /// schema up to date.
    pub fn open(path: &Path) -> Result<Archive> {
        let conn = Connection::open(path)?;
        Self::setup(conn)
    }

    /// Opens an existing archive read-only (no migrations; fails if absent).
    pub fn open_read_only(path: &Path) -> Result<Archive> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let known = schema::MIGRATIONS.len() as i64;
        if found > known {
            return Err(ArchiveError::TooNew { found, known });
        }
        Ok(Archive {
            conn,
            in_batch: false,
            deferred: None,
            known: store::Known::default(),
            analysis_rows: Default::default(),
            expect_analysis: false,
            analysis_due: Default::default(),
            stored_own_text: None,
        })
    }

    fn setup(conn: Connection) -> Result<Archive> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // Room for the multi-row inserts of every size (analysis) besides
        // the statements of each capture.
        conn.set_prepared_statement_cache_capacity(128);
        // WAL: readers (search, serve) never block the writer. NORMAL
        // synchronous is durable across process crashes (only an OS crash
        // may lose the last commits), which is the guarantee ingest gives.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        conn.pragma_update(None, "cache_size", -32_000)?;
        // Checkpoint every ~64 MB of WAL rather than 4 MB: bulk ingest
        // rewrites the same pages many times between checkpoints.
        conn.pragma_update(None, "wal_autocheckpoint", 16_384)?;
        // Closing does not checkpoint: copying a bulk ingest's WAL into the
        // database at exit cost ~15% of a kcna-2011 ingest, and the WAL is
        // as durable as the database. Later writes checkpoint it
        // (wal_autocheckpoint above).
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
            true,
        )?;
        let mut archive = Archive {
            conn,
            in_batch: false,
            deferred: None,
            known: store::Known::default(),
            analysis_rows: Default::default(),
            expect_analysis: false,
            analysis_due: Default::default(),
            stored_own_text: None,
        };
        archive.migrate()?;
        Ok(archive)
    }

    fn migrate(&mut self) -> Result<()> {
        let found: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let known = schema::MIGRATIONS.len() as i64;
        if found > known {
            return Err(ArchiveError::TooNew { found, known });
        }
        for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(found as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
        }
        Ok(())
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Sets the connection up for a bulk ingest: a page cache of about
    /// 200 MB, against 32 MB for other work (a re-capture touches pages all
    /// over a large archive: 8 % faster on a 100,000-capture history of
    /// bench/changes.py). The cache fills only as far as pages are read.
    /// Checkpoints wait for ~512 MB of log instead of ~64 MB: the batches
    /// of a large ingest rewrite the same pages, which a later checkpoint
    /// copies once (5 % faster on that history, for a log file of up to
    /// ~0.6 GB beside the database until later writes checkpoint it).
    pub fn prepare_bulk_write(&mut self) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", -200_000)?;
        self.conn
            .pragma_update(None, "wal_autocheckpoint", 131_072)?;
        Ok(())
    }

    /// Starts a write transaction; captures stored until [`Archive::commit`]
    /// become visible (and durable) together.
    pub fn begin(&mut self) -> Result<()> {
        if !self.in_batch {
            self.conn.execute_batch("BEGIN IMMEDIATE")?;
            self.in_batch = true;
            // Another connection's commit since ours makes what we know
            // stale (the write lock now held keeps it valid until commit).
            let version: i64 = self
                .conn
                .query_row("PRAGMA data_version", [], |r| r.get(0))?;
            self.known.check(version);
        }
        Ok(())
    }

    pub fn commit(&mut self) -> Result<()> {
        self.flush_extensions()?;
        self.flush_analysis()?;
        self.unmark_analysis_due()?;
        if self.in_batch {
            self.conn.execute_batch("COMMIT")?;
            self.in_batch = false;
        }
        Ok(())
    }

    /// Abandons the open transaction, and with it what this connection
    /// remembered or had waiting for it.
    pub(crate) fn rollback(&mut self) {
        if self.in_batch {
            let _ = self.conn.execute_batch("ROLLBACK");
            self.in_batch = false;
        }
        self.known = store::Known::default();
        self.analysis_rows = Default::default();
        self.analysis_due.clear();
        if let Some(queue) = &mut self.deferred {
            queue.clear();
        }
    }

    /// The highest `seq` stored: every article changed at or before it is in
    /// the archive.
    pub fn max_seq(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM articles", [], |r| {
                r.get(0)
            })?)
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta(key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }
}

impl Drop for Archive {
    fn drop(&mut self) {
        // An uncommitted batch is rolled back, never half-written.
        self.rollback();
    }
}
