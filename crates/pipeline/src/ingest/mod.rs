//! Ingest: sources → read → store → analyse → index → commit, streamed.
//!
//! Every source (files, an upload, and later WARC records, crawled pages,
//! Wayback captures) goes through [`ingest`]. The stages, one module each:
//! [`read`] (a thread that opens the sources in turn and prepares records:
//! content hash, identity key, stored form), [`store`] (this thread, the
//! only one that writes SQLite, in batched transactions), [`analyse`] (two
//! threads: analysis, index documents, word diffs of changes; tantivy's
//! own threads tokenize) and [`commit`] (archive first, then the index,
//! which records the archive `seq` it reached). So a killed run loses
//! nothing committed, and the next run (or any search) catches the index
//! up.

mod analyse;
mod commit;
mod read;
mod store;

use std::path::PathBuf;
use std::time::Instant;

use serde::Serialize;
use tealeaf_model::SourceRef;
use tealeaf_read::{ByteCounter, ReadError, ReadOptions, Source};

use crate::{DataDir, PipelineError, Result};

/// One rejected record or warning, named by its source and line (or, in
/// an archive file, the record's byte offset).
#[derive(Debug, Clone, Serialize, Default, PartialEq, Eq)]
pub struct ErrorEntry {
    pub source: String,
    pub line: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    pub message: String,
}

impl ErrorEntry {
    pub fn at(origin: &SourceRef, message: String) -> ErrorEntry {
        ErrorEntry {
            source: origin.source.clone(),
            line: origin.line,
            offset: origin.offset,
            message,
        }
    }
}

impl From<ReadError> for ErrorEntry {
    fn from(e: ReadError) -> Self {
        ErrorEntry {
            source: e.origin.source,
            line: e.origin.line,
            offset: e.origin.offset,
            message: e.message,
        }
    }
}

/// What an ingest did (the `ingest --json` contract).
#[derive(Debug, Clone, Serialize, Default)]
pub struct Summary {
    pub read: u64,
    pub new_articles: u64,
    pub new_versions: u64,
    pub unchanged: u64,
    pub failed_captures: u64,
    pub rejected: u64,
    pub title_only: u64,
    /// Records that were a web server's error page ("The requested URL …
    /// was not found on this server"), not an article: not stored, each
    /// named in `warnings`.
    pub error_pages: u64,
    /// Listing captures read (pages that list articles, see
    /// docs/capture-format.md).
    pub listings: u64,
    pub errors: Vec<ErrorEntry>,
    pub warnings: Vec<ErrorEntry>,
    /// Articles re-indexed before the run because an earlier one was
    /// interrupted.
    pub caught_up: u64,
    /// Reprints and translations computed for the run's articles.
    pub related: crate::RelateSummary,
    pub seconds: f64,
}

/// Ingests the files under `paths` (directories expanded) into `data`: see
/// [`tealeaf_read::sources_under`] and [`ingest`]. A path that cannot be
/// read is rejected naming it, and the rest goes on.
pub fn ingest_paths(
    data: &DataDir,
    paths: &[PathBuf],
    opts: &ReadOptions,
    batch: usize,
    progress: &dyn Fn(u64, u64),
) -> Result<Summary> {
    ingest(
        data,
        tealeaf_read::sources_under(paths, opts),
        batch,
        progress,
    )
}

/// Ingests the items of `sources`, in order, into `data`. `batch` is the
/// number of captures per archive transaction; `progress` is called now and
/// then with (bytes read, total bytes).
pub fn ingest(
    data: &DataDir,
    sources: Vec<Box<dyn Source>>,
    batch: usize,
    progress: &dyn Fn(u64, u64),
) -> Result<Summary> {
    let started = Instant::now();
    let total_bytes: u64 = sources.iter().map(|s| s.size()).sum();
    let names: Vec<String> = sources.iter().map(|s| s.name()).collect();
    let Opened {
        mut archive,
        writer,
        analyzer,
        bulk_load,
        caught_up,
    } = open(data, total_bytes)?;
    let mut s = Summary {
        caught_up,
        ..Summary::default()
    };
    let aerr = |e| data.archive_err(e);

    let counter = ByteCounter::default();
    let (read_rx, reader) = read::spawn(sources, &counter)?;
    let mut run = archive.start_run(&names).map_err(aerr)?;
    let (job_txs, job_rxs): (Vec<_>, Vec<_>) = (0..analyse::WORKERS)
        .map(|_| crossbeam_channel::bounded::<analyse::Job>(analyse::QUEUE))
        .unzip();
    let (done_tx, done_rx) = crossbeam_channel::unbounded::<analyse::Done>();
    archive.defer_changes(true);
    // For measuring what analysis costs (bench/run.py): the articles stay
    // unanalysed, and the next run analyses them.
    let analyze = std::env::var_os("TEALEAF_BENCH_NO_ANALYSIS").is_none();
    // Every new article goes to the analysis threads: it is stored as
    // analysed, and unmarked if its analysis has not come back when its
    // transaction commits (see `ArchiveWriter::expect_analysis`).
    archive.expect_analysis(analyze);
    let (writer_ref, analyzer_ref) = (&writer, &analyzer);
    std::thread::scope(|scope| -> Result<()> {
        let workers: Vec<_> = job_rxs
            .into_iter()
            .map(|jobs| {
                let done = done_tx.clone();
                scope.spawn(move || analyse::work(jobs, done, writer_ref, analyzer_ref, analyze))
            })
            .collect();
        drop(done_tx);
        let mut store = store::Store {
            archive: &mut archive,
            run: &mut run,
            summary: &mut s,
            jobs: job_txs,
            done: done_rx,
            data,
        };
        let mut in_batch = 0usize;
        store.archive.begin().map_err(aerr)?;
        while let Some(chunk) = store.next_chunk(&read_rx)? {
            for ready in chunk {
                if !store.item(ready)? {
                    continue;
                }
                in_batch += 1;
                // Results come back one per record sent; filing them as
                // they come keeps the analysis rows' writes beside the
                // reading.
                store.file_done(false)?;
                if in_batch >= batch {
                    store.archive.commit().map_err(aerr)?;
                    store.archive.begin().map_err(aerr)?;
                    in_batch = 0;
                    progress(counter.get(), total_bytes);
                }
            }
        }
        drop(std::mem::take(&mut store.jobs));
        store.file_done(true)?;
        for worker in workers {
            worker
                .join()
                .map_err(|_| PipelineError::AnalysisThread)?
                .map_err(|e| data.index_err(e))?;
        }
        Ok(())
    })?;
    reader.join().map_err(|_| PipelineError::ReaderThread)?;
    archive.defer_changes(false);
    // Every queued change came back; this only clears the mark that
    // tells an interrupted run from a finished one.
    archive.complete_pending_changes().map_err(aerr)?;
    commit::commit(data, &mut archive, writer, bulk_load)?;
    // Relations need every article of the run stored and analysed (a
    // translation is paired through the people found in it).
    s.related = data.catch_up_relations(&mut archive, false)?;
    progress(total_bytes, total_bytes);
    s.seconds = (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
    archive
        .finish_run(&run, &serde_json::to_value(&s).unwrap_or_default())
        .map_err(aerr)?;
    // Everything is committed: a checkpoint that cannot finish now (a
    // reader holding an old snapshot) loses nothing, and the next one
    // copies the log.
    let _ = archive.checkpoint();
    Ok(s)
}

/// What the stages need, opened and caught up before anything is read.
struct Opened {
    archive: tealeaf_archive::ArchiveWriter,
    writer: tealeaf_index::Writer,
    analyzer: tealeaf_analyze::Analyzer,
    bulk_load: bool,
    /// Articles re-analysed or re-indexed that an earlier run left behind.
    caught_up: u64,
}

/// Opens the archive and takes the index writer (its lock is the one
/// ingest at a time, taken before anything is changed), decides whether
/// this is a bulk load, and finishes what an interrupted run left:
/// pending changes, analysis, the index.
fn open(data: &DataDir, total_bytes: u64) -> Result<Opened> {
    let mut archive = data.archive()?;
    archive
        .prepare_bulk_write()
        .map_err(|e| data.archive_err(e))?;
    let (index, _) = data.index()?;
    let mut writer = data.writer(&index)?;
    // A load large against the archive builds the analysis indexes once at
    // its end; any other ingest keeps them, and builds those that a killed
    // bulk load left out.
    let bulk_load = is_bulk_load(
        total_bytes,
        archive.stored_bytes().map_err(|e| data.archive_err(e))?,
    );
    if bulk_load {
        archive.defer_analysis_indexes()
    } else {
        archive.ensure_analysis_indexes().map(drop)
    }
    .map_err(|e| data.archive_err(e))?;
    archive
        .complete_pending_changes()
        .map_err(|e| data.archive_err(e))?;
    let analysis = data.analyzer_and_rules()?;
    // What this run analyses is analysed with these rules.
    data.note_rules(&archive, &analysis.1)?;
    let analysed = data.catch_up_analysis(&mut archive, &analysis)?;
    let caught_up = data.catch_up(&archive, &index, &mut writer)?.max(analysed);
    Ok(Opened {
        archive,
        writer,
        analyzer: analysis.0,
        bulk_load,
        caught_up,
    })
}

/// Whether an ingest of `input_bytes` is large against an archive holding
/// `archive_bytes` (half its size or more; an empty or new archive
/// included).
/// Building an index sorts its rows in one pass, cheaper per row than
/// inserting them one by one at random places, and an archive is a few
/// times the size of its plain or gzipped input: from about this size on,
/// building once costs less.
fn is_bulk_load(input_bytes: u64, archive_bytes: u64) -> bool {
    input_bytes.saturating_mul(2) >= archive_bytes
}

#[cfg(test)]
mod tests {
    use super::is_bulk_load;

    #[test]
    fn a_load_is_bulk_from_half_the_archive_size_on() {
        assert!(is_bulk_load(0, 0));
        assert!(!is_bulk_load(499, 1000));
        assert!(is_bulk_load(500, 1000));
        assert!(is_bulk_load(u64::MAX, 1000));
    }

    #[test]
    fn a_small_load_into_a_large_archive_is_not_bulk() {
        let dir = tempfile::tempdir().unwrap();
        let data = crate::DataDir::new(dir.path().join("data"));
        let big = dir.path().join("big.jsonl");
        articles(&big, "b", 3000);
        let opts = tealeaf_read::ReadOptions::default();
        super::ingest_paths(&data, std::slice::from_ref(&big), &opts, 1000, &|_, _| {}).unwrap();
        // The archive now holds 3,000 articles, several times the input;
        // a load a hundredth of that one (30 articles) is small against it.
        let input = std::fs::metadata(&big).unwrap().len();
        let archive = data.archive().unwrap();
        let stored = archive.stored_bytes().unwrap();
        drop(archive);
        assert!(
            !is_bulk_load(input / 100, stored),
            "archive.sqlite is {} bytes after a {input}-byte load (the rest is in archive.sqlite-wal, {} bytes)",
            std::fs::metadata(data.archive_path()).unwrap().len(),
            std::fs::metadata(dir.path().join("data/archive.sqlite-wal")).map_or(0, |m| m.len()),
        );
    }

    fn articles(path: &std::path::Path, prefix: &str, n: usize) {
        let mut lines = String::new();
        for i in 0..n {
            lines.push_str(&format!(
                r#"{{"id":"{prefix}{i}","outlet":"kcna","published":"2011-05-01","title":"Talks {i}","body":"Kim Jong Il met Hu Jintao in Beijing on day {i}. He was accompanied by Choe Ryong Hae and Kim Yo Jong."}}"#
            ));
            lines.push('\n');
        }
        std::fs::write(path, &lines).unwrap();
    }

    #[test]
    fn an_ingest_refused_for_a_running_one_leaves_the_archive_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let data = crate::DataDir::new(dir.path().join("data"));
        let (first, second) = (dir.path().join("a.jsonl"), dir.path().join("b.jsonl"));
        articles(&first, "a", 200);
        articles(&second, "b", 2000);
        let opts = tealeaf_read::ReadOptions::default();
        super::ingest_paths(&data, &[first], &opts, 1000, &|_, _| {}).unwrap();
        let archive = data.archive().unwrap();
        assert!(archive.has_index("mentions_name").unwrap());
        // Another ingest is running: it holds the index writer.
        let (index, _) = data.index().unwrap();
        let running = data.writer(&index).unwrap();
        let refused = super::ingest_paths(&data, &[second], &opts, 1000, &|_, _| {});
        assert!(
            matches!(
                refused,
                Err(crate::PipelineError::Index {
                    cause: tealeaf_index::IndexError::Locked,
                    ..
                })
            ),
            "{refused:?}"
        );
        drop(running);
        // The refused ingest stored nothing, and should have changed nothing:
        // the running one (not a bulk load) will not build the indexes again.
        assert!(
            archive.has_index("mentions_name").unwrap(),
            "the refused ingest dropped the analysis indexes"
        );
    }
}
