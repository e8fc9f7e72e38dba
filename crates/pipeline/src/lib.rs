//! The data directory and the ingest pipeline.
//!
//! Owns: the layout of a data directory (`archive.sqlite`, `index/`),
//! keeping the derived index caught up with the authoritative archive, and
//! ingest: a reader thread (decompress, parse, hash), the archive writer
//! (batched transactions) and tantivy's indexing threads, committed in an
//! order that makes a killed run lose nothing it committed.
//!
//! Must not touch: the terminal (callers print), SQL or tantivy internals
//! (behind the archive and index crates).

mod ingest;
mod relate;

use std::path::PathBuf;

pub use ingest::{ingest, ingest_paths, ErrorEntry, Summary};
pub use relate::RelateSummary;
use tealeaf_archive::{ArchiveError, ArchiveReader, ArchiveWriter};
use tealeaf_index::{IndexError, SearchIndex, Writer};

/// Each message includes its cause's, and no cause is chained as a source:
/// `{:#}` error chains would print every message twice.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error("no archive at {0} (ingest something first, or give --data / TEALEAF_DATA)")]
    NoArchive(PathBuf),
    #[error("{path}: {cause}")]
    Archive { path: PathBuf, cause: ArchiveError },
    #[error("{path}: {cause}")]
    Index { path: PathBuf, cause: IndexError },
    #[error("{path}: {cause}")]
    Io {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("storing {at}: {cause}")]
    Store { at: String, cause: ArchiveError },
    #[error("the reader thread failed")]
    ReaderThread,
    #[error("the analysis thread failed")]
    AnalysisThread,
    #[error("the thread committing the search index failed")]
    IndexThread,
    #[error("gazetteers: {0}")]
    Gazetteer(tealeaf_analyze::GazetteerError),
}

impl From<tealeaf_analyze::GazetteerError> for PipelineError {
    fn from(e: tealeaf_analyze::GazetteerError) -> Self {
        PipelineError::Gazetteer(e)
    }
}

pub type Result<T> = std::result::Result<T, PipelineError>;

/// The archive's meta key for the fingerprint of the rules its analyses
/// were made with.
const RULES_KEY: &str = "analysis_rules";

/// Its value once articles were analysed with different rules.
const MIXED_RULES: &str = "mixed";

/// Whether an archive's analyses follow this tealeaf's rules (`stats`,
/// the end of an ingest): articles analysed by an earlier tealeaf, or
/// before a gazetteer was edited, keep their people and events until
/// `tealeaf reanalyze`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AnalysisRules {
    /// The fingerprint the archive's analyses were made with (`None`: an
    /// archive from before tealeaf recorded it, or one whose analyses were
    /// made by more than one).
    pub archive: Option<String>,
    /// The fingerprint this tealeaf makes them with.
    pub tealeaf: String,
    /// Whether they agree (or the archive holds no article).
    pub current: bool,
}

/// Memory for tantivy's indexing threads, in all: the most each may fill
/// before it writes a segment (filled as documents come, so a small ingest
/// uses little of it). Large enough that a large ingest leaves a few
/// segments that need no merge at its end, a merge everything would wait
/// for; small enough that, beside the archive's page cache and the
/// writer's caches, a bulk load's memory stays within issue 22's bound
/// (docs/benchmarks.md, "At scale").
pub const INDEX_HEAP: usize = 96 * 1024 * 1024;

/// A data directory: `archive.sqlite` (authoritative) and `index/` (derived).
#[derive(Debug, Clone)]
pub struct DataDir {
    pub root: PathBuf,
}

/// Whether [`DataDir::open_for_reading`] brought the index up to the
/// archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaughtUp {
    /// Up to date; this many articles were re-indexed to get there.
    Done(u64),
    /// Behind, and another process is writing the index (an ingest running).
    Busy,
    /// Behind, and the data directory cannot be written.
    ReadOnly,
}

impl DataDir {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        DataDir { root: root.into() }
    }

    pub fn archive_path(&self) -> PathBuf {
        self.root.join("archive.sqlite")
    }

    pub fn index_path(&self) -> PathBuf {
        self.root.join("index")
    }

    pub(crate) fn archive_err(&self, cause: ArchiveError) -> PipelineError {
        PipelineError::Archive {
            path: self.archive_path(),
            cause,
        }
    }

    pub(crate) fn index_err(&self, cause: IndexError) -> PipelineError {
        PipelineError::Index {
            path: self.index_path(),
            cause,
        }
    }

    /// Opens the archive for writing, creating the directory if needed.
    pub fn archive(&self) -> Result<ArchiveWriter> {
        std::fs::create_dir_all(&self.root).map_err(|cause| PipelineError::Io {
            path: self.root.clone(),
            cause,
        })?;
        ArchiveWriter::open(&self.archive_path()).map_err(|e| self.archive_err(e))
    }

    /// Opens an existing archive for writing; a clear error when there is
    /// none.
    pub fn archive_existing(&self) -> Result<ArchiveWriter> {
        let path = self.existing_archive_path()?;
        ArchiveWriter::open(&path).map_err(|e| self.archive_err(e))
    }

    /// Opens an existing archive for reading (bringing its schema up to
    /// date); a clear error when there is none.
    pub fn reader(&self) -> Result<ArchiveReader> {
        let path = self.existing_archive_path()?;
        ArchiveReader::open(&path).map_err(|e| self.archive_err(e))
    }

    fn existing_archive_path(&self) -> Result<PathBuf> {
        let path = self.archive_path();
        if !path.exists() {
            return Err(PipelineError::NoArchive(path));
        }
        Ok(path)
    }

    /// Opens the index, creating it (empty) if absent; `true` when it was
    /// created or rebuilt for a new schema and must be filled.
    pub fn index(&self) -> Result<(SearchIndex, bool)> {
        SearchIndex::open(&self.index_path()).map_err(|e| self.index_err(e))
    }

    /// A writer for the index: at most two indexing threads (the reader,
    /// the store and the analysis stages are busy too).
    pub fn writer(&self, index: &SearchIndex) -> Result<Writer> {
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2)
            .clamp(1, 2);
        index
            .writer(threads, INDEX_HEAP)
            .map_err(|e| self.index_err(e))
    }

    /// The analyzer: the gazetteers shipped with tealeaf, extended or
    /// overridden by `*.tsv` files in `DATA/gazetteers/` when present.
    pub fn analyzer(&self) -> Result<tealeaf_analyze::Analyzer> {
        let dir = self.root.join("gazetteers");
        Ok(if dir.is_dir() {
            tealeaf_analyze::Analyzer::with_user_dir(&dir)?
        } else {
            tealeaf_analyze::Analyzer::new()?
        })
    }

    /// The analyzer and the fingerprint of its rules, taken before the
    /// gazetteers are read: an edit meanwhile makes the fingerprint stale,
    /// never the analyses it is recorded with.
    pub(crate) fn analyzer_and_rules(&self) -> Result<(tealeaf_analyze::Analyzer, String)> {
        let rules = self.rules_id()?;
        Ok((self.analyzer()?, rules))
    }

    /// The fingerprint of the analysis this tealeaf makes with this data
    /// directory's gazetteers ([`tealeaf_analyze::rules`]).
    pub fn rules_id(&self) -> Result<String> {
        Ok(tealeaf_analyze::rules::rules_id(Some(
            &self.root.join("gazetteers"),
        ))?)
    }

    /// Whether the archive's analyses were made with the rules this
    /// tealeaf and the data directory's gazetteers make them with.
    pub fn analysis_rules(&self, archive: &ArchiveReader) -> Result<AnalysisRules> {
        let aerr = |e| self.archive_err(e);
        let made_with = archive
            .meta(RULES_KEY)
            .map_err(aerr)?
            .filter(|m| m != MIXED_RULES);
        let tealeaf = self.rules_id()?;
        let current = made_with.as_deref() == Some(tealeaf.as_str())
            || !archive.holds_articles().map_err(aerr)?;
        Ok(AnalysisRules {
            archive: made_with,
            tealeaf,
            current,
        })
    }

    /// Records that articles are about to be analysed with `rules`: the
    /// archive's fingerprint stays when it is theirs, becomes theirs when
    /// the archive holds no article, and else becomes a mix (an archive
    /// without one keeps none: its analyses are older than fingerprints).
    pub(crate) fn note_rules(&self, archive: &ArchiveWriter, rules: &str) -> Result<()> {
        let aerr = |e| self.archive_err(e);
        match archive.meta(RULES_KEY).map_err(aerr)? {
            Some(made_with) if made_with == rules => Ok(()),
            _ if !archive.holds_articles().map_err(aerr)? => {
                archive.set_meta(RULES_KEY, rules).map_err(aerr)
            }
            Some(_) => archive.set_meta(RULES_KEY, MIXED_RULES).map_err(aerr),
            None => Ok(()),
        }
    }

    /// Analyses the articles whose analysis is missing or stale (after an
    /// interrupted run, or `reanalyze`). Returns how many.
    pub fn catch_up_analysis(
        &self,
        archive: &mut ArchiveWriter,
        (analyzer, rules): &(tealeaf_analyze::Analyzer, String),
    ) -> Result<u64> {
        let mut n = 0;
        loop {
            let batch = archive.unanalyzed(2000).map_err(|e| self.archive_err(e))?;
            if batch.is_empty() {
                return Ok(n);
            }
            if n == 0 {
                self.note_rules(archive, rules)?;
            }
            archive.begin().map_err(|e| self.archive_err(e))?;
            for (seq, doc) in batch {
                let analysis = analyzer.analyze(&doc);
                archive
                    .store_analysis(&doc.id, seq, &analysis)
                    .map_err(|e| self.archive_err(e))?;
                n += 1;
            }
            archive.commit().map_err(|e| self.archive_err(e))?;
        }
    }

    /// Opens archive and index for reading, catching the index up first if
    /// an earlier run was interrupted (see [`CaughtUp`]; when it cannot,
    /// the index is read as last committed).
    pub fn open_for_reading(&self) -> Result<(ArchiveReader, SearchIndex, CaughtUp)> {
        let archive = self.reader()?;
        let (index, _) = self.index()?;
        let behind = index.indexed_seq().map_err(|e| self.index_err(e))?
            != archive.max_seq().map_err(|e| self.archive_err(e))?;
        let pending = archive
            .has_pending_changes()
            .map_err(|e| self.archive_err(e))?;
        let mut caught_up = CaughtUp::Done(0);
        if behind || pending {
            // The index lock also tells whether an ingest is running (whose
            // pending work is its own to finish).
            match index.writer(1, INDEX_HEAP / 2) {
                Ok(mut w) => {
                    let mut archive_w = self.archive()?;
                    archive_w
                        .complete_pending_changes()
                        .map_err(|e| self.archive_err(e))?;
                    // The index documents carry analysis: bring it up first.
                    self.catch_up_analysis(&mut archive_w, &self.analyzer_and_rules()?)?;
                    caught_up = CaughtUp::Done(self.catch_up(&archive, &index, &mut w)?);
                    w.finish().map_err(|e| self.index_err(e))?;
                }
                Err(IndexError::Locked) => caught_up = CaughtUp::Busy,
                Err(IndexError::ReadOnly) => caught_up = CaughtUp::ReadOnly,
                Err(e) => return Err(self.index_err(e)),
            }
        }
        index.reload().map_err(|e| self.index_err(e))?;
        Ok((archive, index, caught_up))
    }

    /// Brings the index up to the archive: re-adds every article changed
    /// since the index's last commit (after a killed ingest, or a new index
    /// schema). Returns how many documents were (re)indexed.
    pub fn catch_up(
        &self,
        archive: &ArchiveReader,
        index: &SearchIndex,
        writer: &mut Writer,
    ) -> Result<u64> {
        let indexed = index.indexed_seq().map_err(|e| self.index_err(e))?;
        let max = archive.max_seq().map_err(|e| self.archive_err(e))?;
        if indexed == max {
            return Ok(0);
        }
        let mut n = 0u64;
        let mut failed = None;
        let rebuild = indexed > max;
        if rebuild {
            // The index claims more than the archive has (the archive was
            // replaced): start over.
            writer.delete_all().map_err(|e| self.index_err(e))?;
        } else {
            // Articles `forget` took away; before the re-adds, which may
            // bring one back.
            for id in archive
                .deleted_since(indexed)
                .map_err(|e| self.archive_err(e))?
            {
                writer.delete(&id);
                n += 1;
            }
        }
        archive
            .for_each_doc_since(if rebuild { 0 } else { indexed }, |_, doc| {
                n += 1;
                let r = if rebuild {
                    writer.add(&doc)
                } else {
                    writer.upsert(&doc)
                };
                if let Err(e) = r {
                    failed.get_or_insert(e);
                }
                Ok(())
            })
            .map_err(|e| self.archive_err(e))?;
        if let Some(e) = failed {
            return Err(self.index_err(e));
        }
        writer.commit(max).map_err(|e| self.index_err(e))?;
        index.reload().map_err(|e| self.index_err(e))?;
        Ok(n)
    }

    /// Rebuilds the index from the archive; returns the article count.
    pub fn reindex(&self) -> Result<u64> {
        let archive = self.reader()?;
        let (index, _) = self.index()?;
        let mut w = self.writer(&index)?;
        w.delete_all().map_err(|e| self.index_err(e))?;
        let mut n = 0u64;
        let mut failed = None;
        archive
            .for_each_doc_since(0, |_, doc| {
                n += 1;
                if let Err(e) = w.add(&doc) {
                    failed.get_or_insert(e);
                }
                Ok(())
            })
            .map_err(|e| self.archive_err(e))?;
        if let Some(e) = failed {
            return Err(self.index_err(e));
        }
        w.commit(archive.max_seq().map_err(|e| self.archive_err(e))?)
            .map_err(|e| self.index_err(e))?;
        w.finish().map_err(|e| self.index_err(e))?;
        Ok(n)
    }
}

impl DataDir {
    /// Undoes ingest run `run` (see `ArchiveWriter::forget_run`), then
    /// brings analysis, relations and the index up to what is left. Takes
    /// the index writer first, as an ingest does: one writer at a time
    /// (`IndexError::Locked` while another runs). With `dry_run`, says what
    /// it would do and changes nothing.
    pub fn forget_run(&self, run: i64, dry_run: bool) -> Result<tealeaf_archive::Forgotten> {
        let mut archive = self.archive_existing()?;
        let (index, _) = self.index()?;
        let mut writer = self.writer(&index)?;
        let aerr = |e| self.archive_err(e);
        archive.complete_pending_changes().map_err(aerr)?;
        let forgotten = archive.forget_run(run, dry_run).map_err(aerr)?;
        if !dry_run {
            self.catch_up_analysis(&mut archive, &self.analyzer_and_rules()?)?;
            self.catch_up_relations(&mut archive, false)?;
            self.catch_up(&archive, &index, &mut writer)?;
        }
        writer.finish().map_err(|e| self.index_err(e))?;
        Ok(forgotten)
    }

    /// Re-analyses every article (after a gazetteer change) and rebuilds
    /// the index so that its people and countries follow. Returns the
    /// number of articles.
    pub fn reanalyze(&self) -> Result<u64> {
        let mut archive = self.archive_existing()?;
        archive.forget_analysis().map_err(|e| self.archive_err(e))?;
        // Every row is written again: the indexes are built once, after.
        archive
            .defer_analysis_indexes()
            .map_err(|e| self.archive_err(e))?;
        let analysis = self.analyzer_and_rules()?;
        let n = self.catch_up_analysis(&mut archive, &analysis)?;
        archive
            .ensure_analysis_indexes()
            .map_err(|e| self.archive_err(e))?;
        // Every article is analysed with these rules now.
        archive
            .set_meta(RULES_KEY, &analysis.1)
            .map_err(|e| self.archive_err(e))?;
        // Translations are paired through the people found: all again.
        self.catch_up_relations(&mut archive, true)?;
        self.reindex()?;
        Ok(n)
    }
}
