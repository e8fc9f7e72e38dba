//! Feeding what the collectors wrote into the archive: the bytes of their
//! WARC files not yet ingested go through `pipeline::ingest` as a WARC
//! source, exactly as `tealeaf ingest FILE.warc.gz` would read them, and
//! the crawl state records how far each file was ingested (so a run killed
//! between writing and ingesting ingests the rest first).
//!
//! Must not touch: fetching, deciding what a record is (the WARC reader
//! and the archive do).

use std::io::{Read, Seek, SeekFrom};

use serde::Serialize;
use tealeaf_archive::crawl::CrawlStore;
use tealeaf_pipeline::{DataDir, ErrorEntry};
use tealeaf_read::{BytesSource, Format, ReadOptions, Source};

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
