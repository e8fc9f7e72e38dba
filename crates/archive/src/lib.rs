//! The archive: tealeaf's source of truth, one SQLite file.
//!
//! Owns: the schema and its migrations ([`schema`]), the article-identity
//! decision for each capture (rule in `tealeaf_model::identity`), captures,
//! versions (derived from captures in capture-time order), failed captures,
//! the `seq` counter by which the index catches up, and the crawler's
//! state ([`crawl`]).
//!
//! Must not touch: the full-text index, files other than its own database,
//! or the terminal. Everything derived (index, analysis) is rebuilt from
//! what this crate stores.

mod analysis;
pub mod crawl;
mod decide;
mod related;
mod schema;
mod view;
mod write;

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

pub use analysis::read::{
    ArticleEntities, ArticleEntity, CoMention, EventFilter, EventRow, PeriodCount, PersonSummary,
    PersonView, Position, TitleSeen,
};
pub use analysis::rows::AnalysisRowsOf;
pub use decide::Prepared;
pub use related::{RelatedArticle, RelatedFeatures, Relation, RelationKind};
pub use tealeaf_analyze::EntityKind;
pub use tealeaf_diff::ChangeKind;
pub use tealeaf_model::ArticleDoc;
pub use view::{
    ArticleSummary, ArticleView, ChangeEnd, ChangeFilter, ChangeRow, Stats, UnparsedDoc,
    VersionView,
};
pub use write::capture::Outcome;
pub use write::changes::{ChangeAnalysis, PendingChange};
pub use write::forget::Forgotten;
pub use write::runs::{IngestRun, RunRow};

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
    #[error(
        "the archive was written by an older tealeaf (schema {found}, this build reads \
         {known}) and cannot be upgraded where it may not be written: run any tealeaf command \
         on it once where it can be written (or, if another tealeaf is upgrading it now, try \
         again when it is done)"
    )]
    TooOldToRead { found: i64, known: i64 },
    #[error(
        "the archive is empty (no tealeaf has written it yet) and cannot be created where it \
         may not be written: run `tealeaf ingest` (or any command) on it once where it can be \
         written"
    )]
    EmptyWhereUnwritable,
    #[error(
        "this is not a tealeaf archive: an SQLite database with tables of its own and no \
         tealeaf schema; point --data at another directory"
    )]
    NotAnArchive,
    #[error(
        "the archive holds tealeaf's tables but no schema version (a copy made with `sqlite3 \
         .dump` keeps none): copy the archive file itself, or with `VACUUM INTO`, not a dump"
    )]
    LostVersion,
    #[error("no article `{0}`")]
    NotFound(String),
    #[error("{0}")]
    CannotRead(String),
    /// A run that cannot be undone, and why.
    #[error("run {run}: {reason}")]
    Run { run: i64, reason: String },
}

impl From<rusqlite::Error> for ArchiveError {
    fn from(e: rusqlite::Error) -> Self {
        ArchiveError::Sqlite(e)
    }
}

pub type Result<T> = std::result::Result<T, ArchiveError>;

/// The schema version this build writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = schema::MIGRATIONS.len() as i64;

/// A connection that reads: article views, stats, listings of changes,
/// analysis queries. The server pools these; it carries no writer state.
pub struct ArchiveReader {
    pub(crate) conn: Connection,
}

/// The one connection that writes: captures, versions, pending changes,
/// removals, listings and analysis rows, in batched transactions. It reads
/// through the [`ArchiveReader`] it wraps (`Deref`).
pub struct ArchiveWriter {
    reader: ArchiveReader,
    /// An open write transaction, when a batch is under way.
    in_batch: bool,
    /// When set, the word diffs of new changes are not computed while
    /// storing: the changes are stored pending and queued here, for the
    /// caller to analyse on other threads ([`ArchiveWriter::defer_changes`]).
    deferred: Option<Vec<PendingChange>>,
    /// What this connection knows of the stored state, to spare lookups on
    /// the common path of an ingest; dropped whenever another connection
    /// has written (see [`ArchiveWriter::begin`]).
    known: write::known::Known,
    /// Analysis rows waiting to be written (before the next commit).
    analysis_rows: analysis::rows::AnalysisRows,
    /// Whether new articles are stored as analysed at once
    /// ([`ArchiveWriter::expect_analysis`]).
    expect_analysis: bool,
    /// The new articles of the open transaction stored so, whose analysis
    /// has not come back: unmarked before it commits.
    analysis_due: foldhash::HashSet<String>,
    /// The content the last stored capture inserted, as its hash: the
    /// archive then holds that capture's own text for it.
    stored_own_text: Option<u128>,
}

impl std::ops::Deref for ArchiveWriter {
    type Target = ArchiveReader;
    fn deref(&self) -> &ArchiveReader {
        &self.reader
    }
}

/// Opens a connection with the settings every connection shares.
fn connect(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    // Creating tealeaf's tables inside someone else's database would mix
    // the two silently; checked before anything (WAL) changes the file.
    schema_state(&conn)?.foreign()?;
    // Room for the multi-row inserts of every size (analysis) besides
    // the statements of each capture.
    conn.set_prepared_statement_cache_capacity(128);
    // WAL: readers (search, serve) never block the writer. NORMAL
    // synchronous is durable across process crashes (only an OS crash
    // may lose the last commits), which is the guarantee ingest gives.
    set_wal(&conn)?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.pragma_update(None, "cache_size", -32_000)?;
    // Checkpoints wait for more log than SQLite's default: bulk ingest
    // rewrites the same pages many times between checkpoints.
    conn.pragma_update(None, "wal_autocheckpoint", 16_384)?;
    // Closing does not checkpoint: the WAL is as durable as the database,
    // and copying a bulk ingest's log at exit is work a later write does
    // anyway (wal_autocheckpoint above).
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
        true,
    )?;
    migrate(&conn)?;
    Ok(conn)
}

/// Switches a connection to WAL. Switching a new database takes an
/// exclusive lock that SQLite does not wait for with the busy timeout, so a
/// concurrent creator (two first ingests) is waited for here.
fn set_wal(conn: &Connection) -> Result<()> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return Ok(other?),
        }
    }
}

fn migrate(conn: &Connection) -> Result<()> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let known = schema::MIGRATIONS.len() as i64;
    if found > known {
        return Err(ArchiveError::TooNew { found, known });
    }
    for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx =
            rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)?;
        // Another process may have run this migration while we waited for
        // the write lock (two first ingests into one new directory).
        let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if now > i as i64 {
            tx.commit()?;
            continue;
        }
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

/// An archive opened without migrating it must be at this build's schema:
/// one from a newer tealeaf cannot be read, and one from an older lacks
/// tables or triggers that what is read assumes (its figures could be
/// wrong rather than missing).
fn check_readable_schema(conn: &Connection) -> Result<()> {
    let state = schema_state(conn)?;
    let (found, known) = (state.version, schema::MIGRATIONS.len() as i64);
    if found > known {
        return Err(ArchiveError::TooNew { found, known });
    }
    state.foreign()?;
    if found == 0 {
        return Err(ArchiveError::EmptyWhereUnwritable);
    }
    if found < known {
        return Err(ArchiveError::TooOldToRead { found, known });
    }
    Ok(())
}

/// What a database holds before tealeaf touches it, read in one
/// statement, so one snapshot (read apart, another tealeaf's first
/// migration could commit in between).
struct SchemaState {
    /// `PRAGMA user_version`.
    version: i64,
    /// Whether it holds any table.
    tables: bool,
    /// Whether it holds the tables of tealeaf's first migration.
    ours: bool,
}

impl SchemaState {
    /// Refuses a database some other program wrote (tables, but not
    /// tealeaf's, whatever its version) and a tealeaf archive that lost its
    /// version: migrating either would change a file that is not, or not
    /// knowably, an archive of this schema.
    fn foreign(&self) -> Result<()> {
        match (self.version, self.tables, self.ours) {
            (0, true, true) => Err(ArchiveError::LostVersion),
            (0, true, false) => Err(ArchiveError::NotAnArchive),
            (v, _, false) if v > 0 => Err(ArchiveError::NotAnArchive),
            _ => Ok(()),
        }
    }
}

fn schema_state(conn: &Connection) -> Result<SchemaState> {
    Ok(conn.query_row(
        "SELECT (SELECT user_version FROM pragma_user_version),
                EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table'),
                (SELECT COUNT(*) FROM sqlite_master
                 WHERE type = 'table' AND name IN ('meta', 'articles')) = 2",
        [],
        |r| {
            Ok(SchemaState {
                version: r.get(0)?,
                tables: r.get(1)?,
                ours: r.get(2)?,
            })
        },
    )?)
}

impl ArchiveReader {
    /// Opens (creating if needed) the archive at `path` for reading and
    /// brings its schema up to date.
    pub fn open(path: &Path) -> Result<ArchiveReader> {
        match connect(path) {
            Ok(conn) => Ok(ArchiveReader { conn }),
            // An archive one may not write (read-only media, another
            // user's directory) is read as it is.
            Err(ArchiveError::Sqlite(rusqlite::Error::SqliteFailure(e, _)))
                if path.exists()
                    && matches!(
                        e.code,
                        rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen
                    ) =>
            {
                match ArchiveReader::open_read_only(path) {
                    Err(ArchiveError::Sqlite(rusqlite::Error::SqliteFailure(e, _)))
                        if matches!(
                            e.code,
                            rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen
                        ) =>
                    {
                        ArchiveReader::open_immutable(path)
                    }
                    other => other,
                }
            }
            Err(e) => Err(e),
        }
    }

    /// A WAL database without its `-shm` file, in a directory one may not
    /// write, can only be opened as immutable: nobody can be writing it
    /// from here, and whoever can write it has checkpointed and closed it
    /// (that is why the `-shm` is gone).
    fn open_immutable(path: &Path) -> Result<ArchiveReader> {
        // Immutable reading ignores the WAL: with one beside the database
        // the latest commits would be silently missing.
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
            return Err(ArchiveError::CannotRead(format!(
                "{} has its latest commits in {} but cannot be opened to read them here \
                 (no -shm file, and the directory is read-only); open it once where it can \
                 be written (any tealeaf command) to fold them in",
                path.display(),
                std::path::Path::new(&wal).display()
            )));
        }
        let mut uri = String::from("file:");
        for byte in path.to_string_lossy().bytes() {
            match byte {
                b'?' | b'#' | b'%' | 0x80.. => uri.push_str(&format!("%{byte:02X}")),
                _ => uri.push(byte as char),
            }
        }
        uri.push_str("?immutable=1");
        let conn = Connection::open_with_flags(
            &uri,
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI,
        )?;
        check_readable_schema(&conn)?;
        Ok(ArchiveReader { conn })
    }

    /// Opens an existing archive read-only (no migrations; fails if absent).
    pub fn open_read_only(path: &Path) -> Result<ArchiveReader> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        check_readable_schema(&conn)?;
        Ok(ArchiveReader { conn })
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// The highest `seq` taken: every article changed at or before it is in
    /// the archive (or, taken away by `forget`, in `index_deletions`). Never
    /// goes down, so the index can tell it is behind.
    pub fn max_seq(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT MAX(COALESCE((SELECT MAX(seq) FROM articles), 0),
                        COALESCE((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'seq_floor'), 0))",
            [],
            |r| r.get(0),
        )?)
    }

    /// A number that changes whenever another connection commits to the
    /// archive (SQLite's `PRAGMA data_version`): a microsecond test of
    /// whether what was read before is still current. Comparable only
    /// between calls on this one connection.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// Whether the archive holds any article.
    pub fn holds_articles(&self) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT EXISTS(SELECT 1 FROM articles)", [], |r| r.get(0))?)
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }
}

impl ArchiveWriter {
    /// Opens (creating if needed) the archive at `path` for writing and
    /// brings its schema up to date.
    pub fn open(path: &Path) -> Result<ArchiveWriter> {
        Ok(ArchiveWriter {
            reader: ArchiveReader::open(path)?,
            in_batch: false,
            deferred: None,
            known: Default::default(),
            analysis_rows: Default::default(),
            expect_analysis: false,
            analysis_due: Default::default(),
            stored_own_text: None,
        })
    }

    /// Sets the connection up for a bulk ingest: a larger page cache (a
    /// re-capture touches pages all over a large archive; the cache fills
    /// only as far as pages are read), but a fixed one, so that the memory
    /// taken does not grow with the archive; sorts (the indexes built
    /// after a bulk load) that outgrow it go to temporary files, not
    /// memory; and checkpoints that wait for more log: the batches of a
    /// large ingest rewrite the same pages, which a later checkpoint
    /// copies once.
    pub fn prepare_bulk_write(&mut self) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", -64_000)?;
        self.conn.pragma_update(None, "temp_store", "FILE")?;
        self.conn
            .pragma_update(None, "wal_autocheckpoint", 131_072)?;
        Ok(())
    }

    /// Copies the write-ahead log into the database and empties it, so
    /// that a large ingest does not leave its log (which can grow as
    /// large as the archive) on disk until some later write. A reader
    /// still on an older snapshot (a server mid-request) is waited for
    /// within the busy timeout; past it the log stays, to be copied by
    /// the next checkpoint.
    pub fn checkpoint(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Starts a write transaction; captures stored until
    /// [`ArchiveWriter::commit`] become visible (and durable) together.
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
        self.known = Default::default();
        self.analysis_rows = Default::default();
        self.analysis_due.clear();
        if let Some(queue) = &mut self.deferred {
            queue.clear();
        }
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

impl Drop for ArchiveWriter {
    fn drop(&mut self) {
        // An uncommitted batch is rolled back, never half-written.
        self.rollback();
    }
}
