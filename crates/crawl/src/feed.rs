//! Feeding what the collectors wrote into the archive: the bytes of their
//! WARC files not yet ingested go through `pipeline::ingest` as a WARC
//! source, exactly as `tealeaf ingest FILE.warc.gz` would read them, and
//! the crawl state records how far each file was ingested (so a run killed
//! between writing and ingesting ingests the rest first).
//!
//! [`Collector`] holds what both collectors share: the crawl state, the
//! client, this run's WARC files and feeding them to ingest.
//!
//! Must not touch: deciding what to fetch, what a record is (the WARC
//! reader and the archive do).

use std::io::{Read, Seek, SeekFrom};

use serde::Serialize;
use tealeaf_archive::crawl::CrawlStore;
use tealeaf_pipeline::{DataDir, ErrorEntry};
use tealeaf_read::{BytesSource, Format, ReadOptions, Source};

use chrono::{DateTime, Utc};

use crate::fetch::{ClientOptions, Exchange, Fetcher};
use crate::warc_out::WarcWriter;
use crate::CrawlError;

/// What ingesting the collectors' WARC records did, summed over a run.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Ingested {
    pub records_read: u64,
    pub new_articles: u64,
    pub new_versions: u64,
    pub unchanged: u64,
    /// Captures of pages that failed (as `ingest --json` counts them).
    pub failed_captures: u64,
    pub rejected: u64,
    /// The first errors and warnings (at most 20 of each).
    pub errors: Vec<ErrorEntry>,
    pub warnings: Vec<ErrorEntry>,
}

const KEPT_MESSAGES: usize = 20;

/// What a collector's run kept and stored, as its summary reports it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Kept {
    pub new_articles: u64,
    pub new_versions: u64,
    /// The WARC files written (relative to the data directory).
    pub warc_files: Vec<String>,
    pub ingest: Ingested,
}

/// Ingests every byte of the collectors' WARC files not yet ingested.
pub fn ingest_pending(
    data: &DataDir,
    store: &CrawlStore,
    outlet: Option<&str>,
    into: &mut Ingested,
) -> Result<(), CrawlError> {
    for (file, written, ingested) in store.warcs().map_err(CrawlError::Archive)? {
        let path = data.root.join(&file);
        // Only whole records: the file may be longer (a record being
        // written by another run, or cut by a kill).
        let size = match std::fs::metadata(&path) {
            Ok(m) => m.len().min(written),
            // A WARC file removed by hand: nothing left to ingest.
            Err(_) => continue,
        };
        if size <= ingested {
            continue;
        }
        let mut bytes = Vec::with_capacity((size - ingested) as usize);
        let io = |cause| CrawlError::Io {
            path: path.display().to_string(),
            cause,
        };
        let mut f = std::fs::File::open(&path).map_err(io)?;
        f.seek(SeekFrom::Start(ingested)).map_err(io)?;
        f.take(size - ingested)
            .read_to_end(&mut bytes)
            .map_err(io)?;
        let name = if ingested == 0 {
            file.clone()
        } else {
            format!("{file} (from byte {ingested})")
        };
        let opts = ReadOptions {
            outlet: outlet.map(str::to_string),
            format: Some(Format::Warc),
            ..ReadOptions::default()
        };
        let source: Box<dyn Source> = Box::new(BytesSource::new(name, bytes, opts));
        let s = tealeaf_pipeline::ingest(data, vec![source], 500, &|_, _| {})
            .map_err(CrawlError::Pipeline)?;
        into.records_read += s.read;
        into.new_articles += s.new_articles;
        into.new_versions += s.new_versions;
        into.unchanged += s.unchanged;
        into.failed_captures += s.failed_captures;
        into.rejected += s.rejected;
        for e in s.errors {
            if into.errors.len() < KEPT_MESSAGES {
                into.errors.push(e);
            }
        }
        for w in s.warnings {
            if into.warnings.len() < KEPT_MESSAGES {
                into.warnings.push(w);
            }
        }
        store
            .set_warc_ingested(&file, size)
            .map_err(CrawlError::Archive)?;
    }
    Ok(())
}

/// A collector's run: the crawl state, the client, the WARC files it
/// writes, and what their ingest did.
pub struct Collector<'a> {
    pub data: &'a DataDir,
    pub store: CrawlStore,
    pub fetcher: Fetcher,
    warc: WarcWriter,
    /// The files written by this run (relative to the data directory).
    pub warc_files: Vec<String>,
    pub ingested: Ingested,
    /// Fetches kept since the last ingest.
    pub since_ingest: u64,
}

impl<'a> Collector<'a> {
    /// Opens the state and the client, and first ingests what a killed
    /// run left behind. `kind` names the WARC files (`crawl`, `wayback`).
    pub fn open(
        data: &'a DataDir,
        kind: &str,
        client: &ClientOptions,
        rotate_bytes: u64,
    ) -> Result<Collector<'a>, CrawlError> {
        std::fs::create_dir_all(&data.root).map_err(|cause| CrawlError::Io {
            path: data.root.display().to_string(),
            cause,
        })?;
        let store = CrawlStore::open(&data.archive_path()).map_err(CrawlError::Archive)?;
        let fetcher = Fetcher::new(client.clone()).map_err(CrawlError::Fetch)?;
        let warc = WarcWriter::new(&data.root, kind, &client.user_agent, rotate_bytes);
        let mut c = Collector {
            data,
            store,
            fetcher,
            warc,
            warc_files: Vec::new(),
            ingested: Ingested::default(),
            since_ingest: 0,
        };
        ingest_pending(data, &c.store, None, &mut c.ingested)?;
        Ok(c)
    }

    /// Writes an exchange to the WARC files as a capture of `target` at
    /// `date` (with `extra` record headers), and records how far the file
    /// holds whole records.
    pub fn keep(
        &mut self,
        x: &Exchange,
        target: &str,
        date: DateTime<Utc>,
        extra: &[(&str, String)],
    ) -> Result<(), CrawlError> {
        let written = self
            .warc
            .write_exchange(x, target, date, extra)
            .map_err(|cause| CrawlError::Io {
                path: self.data.root.join("warc").display().to_string(),
                cause,
            })?;
        self.store
            .set_warc_written(&written.file, written.end)
            .map_err(CrawlError::Archive)?;
        if !self.warc_files.contains(&written.file) {
            self.warc_files.push(written.file);
        }
        self.since_ingest += 1;
        Ok(())
    }

    /// What this run kept and stored so far.
    pub fn kept(&self) -> Kept {
        Kept {
            new_articles: self.ingested.new_articles,
            new_versions: self.ingested.new_versions,
            warc_files: self.warc_files.clone(),
            ingest: self.ingested.clone(),
        }
    }

    /// Ingests what was written and not yet ingested.
    pub fn ingest(&mut self) -> Result<(), CrawlError> {
        ingest_pending(self.data, &self.store, None, &mut self.ingested)?;
        self.since_ingest = 0;
        Ok(())
    }
}
