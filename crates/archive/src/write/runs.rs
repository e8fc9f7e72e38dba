//! Ingest runs: one capture batch each, recorded in the `runs` table with
//! its summary, and what the batch remembers while it stores (ordinals
//! claimed under identity keys, the next `seq`, the run's start time for
//! captures that give none).
//!
//! Must not touch: captures and versions (see the sibling modules; undoing
//! a run is [`super::forget`]).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::params;
use tealeaf_model::dates::format_timestamp;
use tealeaf_model::CaptureRecord;

use crate::{ArchiveReader, ArchiveWriter, Result};

/// Entries of [`IngestRun::seen`] and of [`IngestRun::claimed`] kept at
/// most: both are caches of what the archive can tell again.
pub(crate) const CACHE_MAX: usize = 100_000;

/// State of one ingest run (one capture batch, in design.md's words).
pub struct IngestRun {
    pub run_id: i64,
    pub started_at: DateTime<Utc>,
    pub(crate) started_text: String,
    /// Per identity key and capture time (`None`: the input gave none):
    /// which ordinals are taken in this batch. Different contents under one
    /// key are different articles only when captured at the same moment (a
    /// bulk dump); at different moments they are a crawl history's
    /// versions of one article. A cache, forgotten past
    /// [`CACHE_MAX`] (issue 22): an entry is read again from this run's
    /// captures, and from `claimed_stored`.
    pub(crate) claimed: HashMap<(u128, Option<i64>), Vec<u32>>,
    /// Whether `claimed` has forgotten entries in this run: only then is a
    /// missing entry read again from the archive.
    pub(crate) claims_forgotten: bool,
    /// The claims this run's captures cannot tell: those of records whose
    /// capture an earlier run had stored already. Not bounded: a dump read
    /// again (every capture known) fills it as `claimed` once did.
    pub(crate) claimed_stored: HashMap<(u128, Option<i64>), Vec<u32>>,
    /// (identity key, content hash) → ordinal, for records seen in this
    /// batch: a cache, since their captures are stored at once and the
    /// archive gives the same ordinal. Forgotten past [`CACHE_MAX`], so
    /// that it does not grow with the batch (issue 22).
    pub(crate) seen: HashMap<(u128, u128), u32>,
    /// Entries each cache keeps at most ([`CACHE_MAX`] unless a test asks
    /// for fewer).
    pub(crate) cache_max: usize,
    next_seq: i64,
}

impl IngestRun {
    /// A capture's time as the input gave it ('' when it did not), and the
    /// time its history is ordered by (that, or this run's start).
    pub(crate) fn capture_times(&self, rec: &CaptureRecord) -> (String, String) {
        let captured_at = rec
            .captured_at
            .as_ref()
            .map(format_timestamp)
            .unwrap_or_default();
        let observed_at = if captured_at.is_empty() {
            self.started_text.clone()
        } else {
            captured_at.clone()
        };
        (captured_at, observed_at)
    }

    /// Keeps at most `entries` in each of the batch's caches, so that a
    /// test can see the archive answer what they forgot.
    #[doc(hidden)]
    pub fn limit_caches(&mut self, entries: usize) {
        self.cache_max = entries;
    }

    /// The next `seq`: every change of an article's current content takes
    /// one.
    pub(crate) fn take_seq(&mut self) -> i64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        seq
    }
}

impl ArchiveWriter {
    /// Starts an ingest run: one capture batch.
    pub fn start_run(&mut self, sources: &[String]) -> Result<IngestRun> {
        let started_at = Utc::now();
        let started_text = format_timestamp(&started_at);
        self.conn.execute(
            "INSERT INTO runs(started_at, sources) VALUES (?1, ?2)",
            params![
                started_text,
                serde_json::to_string(sources).unwrap_or_default()
            ],
        )?;
        let run_id = self.conn.last_insert_rowid();
        Ok(IngestRun {
            run_id,
            started_at,
            started_text,
            claimed: HashMap::new(),
            claims_forgotten: false,
            claimed_stored: HashMap::new(),
            seen: HashMap::new(),
            cache_max: CACHE_MAX,
            next_seq: self.max_seq()? + 1,
        })
    }

    pub fn finish_run(&mut self, run: &IngestRun, summary: &serde_json::Value) -> Result<()> {
        self.conn.execute(
            "UPDATE runs SET finished_at = ?1, summary = ?2 WHERE id = ?3",
            params![
                format_timestamp(&Utc::now()),
                summary.to_string(),
                run.run_id
            ],
        )?;
        Ok(())
    }
}

/// One ingest run, as `tealeaf runs` lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RunRow {
    pub id: i64,
    pub started_at: String,
    /// `None`: still running, or interrupted.
    pub finished_at: Option<String>,
    /// What it read (file names, `upload`, WARC files).
    pub sources: Vec<String>,
    /// The ingest summary it ended with (`None` when it did not finish).
    pub summary: Option<serde_json::Value>,
    /// When `tealeaf forget` undid it.
    pub forgotten_at: Option<String>,
    /// Whether the archive knows what it stored, so that it can be undone:
    /// runs stored by a tealeaf before schema 9 cannot be.
    pub recorded: bool,
}

impl ArchiveReader {
    /// The first run whose captures carry their run's id.
    pub(crate) fn runs_recorded_from(&self) -> Result<i64> {
        Ok(self
            .meta("runs_recorded_from")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(1))
    }

    /// Every ingest run, oldest first.
    pub fn runs(&self) -> Result<Vec<RunRow>> {
        let from = self.runs_recorded_from()?;
        let mut stmt = self.conn.prepare(
            "SELECT id, started_at, finished_at, sources, summary, forgotten_at FROM runs ORDER BY id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                let id: i64 = r.get(0)?;
                let sources: String = r.get(3)?;
                let summary: Option<String> = r.get(4)?;
                Ok(RunRow {
                    id,
                    started_at: r.get(1)?,
                    finished_at: r.get(2)?,
                    sources: serde_json::from_str(&sources).unwrap_or_default(),
                    summary: summary.and_then(|s| serde_json::from_str(&s).ok()),
                    forgotten_at: r.get(5)?,
                    recorded: id >= from,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}
