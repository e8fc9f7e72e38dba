//! Ingest: read → archive → index, streamed.
//!
//! A reader thread decompresses, parses and prepares records (content
//! hash, identity key, stored form); this thread stores them into SQLite in
//! batched transactions; tantivy's threads tokenize. The archive commits
//! before the index, and the index commit records the archive `seq` it
//! reached, so a killed run loses nothing committed and the next run (or
//! any search) catches the index up.

use std::path::PathBuf;
use std::time::Instant;

use serde::Serialize;
use tealeaf_analyze::EntityKind;
use tealeaf_archive::{Outcome, Prepared};
use tealeaf_model::ArticleDoc;
use tealeaf_read::{ByteCounter, Item, ReadError, ReadOptions};

use crate::{DataDir, PipelineError, Result};

/// One rejected record or warning, named by file and line.
#[derive(Debug, Clone, Serialize, Default, PartialEq, Eq)]
pub struct ErrorEntry {
    pub source: String,
    pub line: u64,
    pub message: String,
}

impl From<ReadError> for ErrorEntry {
    fn from(e: ReadError) -> Self {
        ErrorEntry {
            source: e.origin.source,
            line: e.origin.line,
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
    /// Listing captures read (pages that list articles, see
    /// docs/capture-format.md).
    pub listings: u64,
    pub errors: Vec<ErrorEntry>,
    pub warnings: Vec<ErrorEntry>,
    /// Articles re-indexed before the run because an earlier one was
    /// interrupted.
    pub caught_up: u64,
    pub seconds: f64,
}

/// Records a reader thread sends at a time.
const CHUNK: usize = 512;

/// A read item with what storing it needs, computed on the reader thread.
struct ReadyItem {
    item: Item,
    prep: Option<Prepared>,
}

impl From<Item> for ReadyItem {
    fn from(item: Item) -> Self {
        let prep = match &item {
            Item::Record(r) if !r.is_gone() => Some(Prepared::of(r)),
            _ => None,
        };
        ReadyItem { item, prep }
    }
}

/// Ingests `paths` (files; expand directories first) into `data`.
/// `batch` is the number of captures per archive transaction; `progress`
/// is called now and then with (bytes read, total bytes).
pub fn ingest_paths(
    data: &DataDir,
    paths: &[PathBuf],
    opts: &ReadOptions,
    batch: usize,
    progress: &dyn Fn(u64, u64),
) -> Result<Summary> {
    let started = Instant::now();
    for p in paths {
        if !p.exists() {
            return Err(PipelineError::Missing(p.clone()));
        }
    }
    let total_bytes: u64 = paths
        .iter()
        .filter_map(|p| p.metadata().ok())
        .map(|m| m.len())
        .sum();
    let mut archive = data.archive()?;
    archive
        .prepare_bulk_write()
        .map_err(|e| data.archive_err(e))?;
    // The index writer's lock is the one ingest at a time: taken before
    // anything is changed.
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
    // Changes left unanalysed by an interrupted run.
    archive
        .complete_pending_changes()
        .map_err(|e| data.archive_err(e))?;
    let analyzer = data.analyzer()?;
    let analysed = data.catch_up_analysis(&mut archive, &analyzer)?;
    let mut s = Summary {
        caught_up: data.catch_up(&archive, &index, &mut writer)?.max(analysed),
        ..Summary::default()
    };
    let aerr = |e| data.archive_err(e);
    let ierr = |e| data.index_err(e);

    let counter = ByteCounter::default();
    let (tx, rx) = crossbeam_channel::bounded::<Vec<ReadyItem>>(8);
    let reader = {
        let paths = paths.to_vec();
        let opts = opts.clone();
        let counter = counter.clone();
        std::thread::Builder::new()
            .name("tealeaf-read".into())
            .spawn(move || {
                for path in paths {
                    let items = match tealeaf_read::read_file(&path, &opts, &counter) {
                        Ok(items) => items,
                        Err(e) => {
                            if tx.send(vec![ReadyItem::from(Item::Rejected(e))]).is_err() {
                                return;
                            }
                            continue;
                        }
                    };
                    let mut chunk = Vec::with_capacity(CHUNK);
                    for item in items {
                        chunk.push(ReadyItem::from(item));
                        if chunk.len() == CHUNK
                            && tx
                                .send(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK)))
                                .is_err()
                        {
                            return;
                        }
                    }
                    if !chunk.is_empty() && tx.send(chunk).is_err() {
                        return;
                    }
                }
            })
            .map_err(|cause| PipelineError::Io {
                path: data.root.clone(),
                cause,
            })?
    };

    let sources: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let mut run = archive.start_run(&sources).map_err(aerr)?;
    // Analysis (people, countries, titles, events) runs on its own thread:
    // it takes each new current version, adds its index document (which
    // carries people and countries) and hands the analysis back to this
    // thread, the only one that writes SQLite.
    // Two analysis threads (analysis is the costliest stage per article);
    // an article always goes to the same one, so that its versions are
    // analysed and indexed in order.
    // The same threads compute the word diffs of new changes, which the
    // archive stores pending until their analysis comes back.
    const WORKERS: usize = 2;
    let (job_txs, job_rxs): (Vec<_>, Vec<_>) = (0..WORKERS)
        .map(|_| crossbeam_channel::bounded::<Job>(512))
        .unzip();
    let (done_tx, done_rx) = crossbeam_channel::unbounded::<Done>();
    archive.defer_changes(true);
    let writer_ref = &writer;
    let analyzer_ref = &analyzer;
    // For measuring what analysis costs (bench/run.py): the articles stay
    // unanalysed, and the next run analyses them.
    let analyze = std::env::var_os("TEALEAF_BENCH_NO_ANALYSIS").is_none();
    // Every new article goes to the analysis threads: it is stored as
    // analysed, and unmarked if its analysis has not come back when its
    // transaction commits (see `Archive::expect_analysis`).
    archive.expect_analysis(analyze);
    let stored = std::thread::scope(|scope| -> Result<()> {
        let workers: Vec<_> = job_rxs
            .into_iter()
            .map(|job_rx| {
                let done_tx = done_tx.clone();
                scope.spawn(
                    move || -> std::result::Result<(), tealeaf_index::IndexError> {
                        let mut failed = None;
                        for job in job_rx {
                            let (seq, is_new, mut doc) = match job {
                                Job::Index { seq, is_new, doc } => (seq, is_new, doc),
                                Job::Change(change) => {
                                    let analysis = change.analyse();
                                    if done_tx.send(Done::Change(change, analysis)).is_err() {
                                        break;
                                    }
                                    continue;
                                }
                            };
                            if !analyze {
                                let indexed = if is_new {
                                    writer_ref.add(&doc)
                                } else {
                                    writer_ref.upsert(&doc)
                                };
                                if let Err(e) = indexed {
                                    failed.get_or_insert(e);
                                }
                                continue;
                            }
                            let analysis = analyzer_ref.analyze(&doc);
                            doc.people = analysis
                                .entities(EntityKind::Person)
                                .into_iter()
                                .map(str::to_string)
                                .collect();
                            doc.countries = analysis
                                .entities(EntityKind::Country)
                                .into_iter()
                                .map(str::to_string)
                                .collect();
                            let indexed = if is_new {
                                writer_ref.add(&doc)
                            } else {
                                writer_ref.upsert(&doc)
                            };
                            if let Err(e) = indexed {
                                failed.get_or_insert(e);
                            }
                            // The rows are made here, beside the other
                            // analysis threads, and the analysis is freed
                            // on the thread that made it.
                            let rows = tealeaf_archive::AnalysisRowsOf::new(&doc.id, &analysis);
                            drop(analysis);
                            if done_tx.send(Done::Analysis(seq, is_new, rows)).is_err() {
                                break;
                            }
                        }
                        failed.map_or(Ok(()), Err)
                    },
                )
            })
            .collect();
        drop(done_tx);
        let store_one = |archive: &mut tealeaf_archive::Archive, done: Done| -> Result<()> {
            match done {
                Done::Analysis(seq, true, rows) => archive
                    .store_analysis_of_new_article(seq, rows)
                    .map_err(aerr),
                Done::Analysis(seq, false, rows) => {
                    archive.store_analysis_rows_of(seq, rows).map_err(aerr)
                }
                Done::Change(c, analysis) => {
                    archive.store_change_analysis(&c, &analysis).map_err(aerr)
                }
            }
        };
        let store_done = |archive: &mut tealeaf_archive::Archive, wait: bool| -> Result<()> {
            let next = |wait: bool| {
                if wait {
                    done_rx.recv().ok()
                } else {
                    done_rx.try_recv().ok()
                }
            };
            while let Some(done) = next(wait) {
                store_one(archive, done)?;
            }
            Ok(())
        };
        // The next chunk of read records; while none is ready, what the
        // analysis threads handed back is stored, so that this work
        // overlaps reading instead of waiting for the end of the batch.
        let next_chunk =
            |archive: &mut tealeaf_archive::Archive| -> Result<Option<Vec<ReadyItem>>> {
                store_done(archive, false)?;
                loop {
                    crossbeam_channel::select! {
                        recv(rx) -> chunk => return Ok(chunk.ok()),
                        recv(done_rx) -> done => match done {
                            Ok(done) => store_one(archive, done)?,
                            // No analysis thread left (the next job sent fails).
                            Err(_) => return Ok(rx.recv().ok()),
                        }
                    }
                }
            };
        let send_to = |article: &str, job: Job| {
            let shard = article
                .bytes()
                .fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(b as usize))
                % WORKERS;
            job_txs[shard]
                .send(job)
                .map_err(|_| PipelineError::AnalysisThread)
        };
        let send = |(seq, is_new, doc): (i64, bool, ArticleDoc)| {
            send_to(&doc.id.clone(), Job::Index { seq, is_new, doc })
        };
        // Pending changes go out as soon as they are stored.
        let send_changes = |archive: &mut tealeaf_archive::Archive| -> Result<()> {
            for change in archive.take_pending_changes() {
                send_to(&change.article_id.clone(), Job::Change(change))?;
            }
            Ok(())
        };
        let mut in_batch = 0usize;
        archive.begin().map_err(aerr)?;
        while let Some(chunk) = next_chunk(&mut archive)? {
            for ReadyItem { item, prep } in chunk {
                let (rec, prep) = match (item, prep) {
                    (Item::Record(r), Some(p)) => (r, p),
                    (Item::Rejected(e), _) => {
                        s.rejected += 1;
                        s.errors.push(e.into());
                        continue;
                    }
                    (Item::Listing(listing), _) => {
                        s.read += 1;
                        s.listings += 1;
                        let outcomes =
                            archive.store_listing(&mut run, &listing).map_err(|cause| {
                                PipelineError::Store {
                                    at: listing.origin.to_string(),
                                    cause,
                                }
                            })?;
                        send_changes(&mut archive)?;
                        for outcome in outcomes {
                            count_outcome(&mut s, &outcome);
                            if let Outcome::NewVersion { id, seq: Some(seq) } = &outcome {
                                send((*seq, false, archive.doc(id).map_err(aerr)?))?;
                            }
                        }
                        continue;
                    }
                    (Item::Record(rec), None) => {
                        // A gone capture (404/410): no content to prepare.
                        s.read += 1;
                        let outcome = archive.store_gone(&mut run, &rec).map_err(|cause| {
                            PipelineError::Store {
                                at: rec.origin.to_string(),
                                cause,
                            }
                        })?;
                        send_changes(&mut archive)?;
                        if let Outcome::Unattributed { reason } = &outcome {
                            s.rejected += 1;
                            s.errors.push(ErrorEntry {
                                source: rec.origin.source.clone(),
                                line: rec.origin.line,
                                message: reason.clone(),
                            });
                        } else {
                            count_outcome(&mut s, &outcome);
                        }
                        continue;
                    }
                };
                s.read += 1;
                for w in &rec.warnings {
                    s.warnings.push(ErrorEntry {
                        source: rec.origin.source.clone(),
                        line: rec.origin.line,
                        message: w.clone(),
                    });
                }
                if rec.is_empty() && rec.id.is_none() {
                    s.rejected += 1;
                    s.errors.push(ErrorEntry {
                        source: rec.origin.source.clone(),
                        line: rec.origin.line,
                        message: "neither title nor body (and no id naming an article): rejected"
                            .into(),
                    });
                    continue;
                }
                let outcome =
                    archive
                        .store(&mut run, &rec, &prep)
                        .map_err(|cause| PipelineError::Store {
                            at: rec.origin.to_string(),
                            cause,
                        })?;
                send_changes(&mut archive)?;
                match outcome {
                    Outcome::NewArticle { id, seq } => {
                        s.new_articles += 1;
                        if rec.is_title_only() {
                            s.title_only += 1;
                        }
                        let rec = *rec;
                        send((
                            seq,
                            true,
                            ArticleDoc {
                                id,
                                outlet: rec.outlet,
                                language: rec.language.unwrap_or_default(),
                                published: rec.published,
                                title: rec.title,
                                paragraphs: rec.paragraphs,
                                ..ArticleDoc::default()
                            },
                        ))?;
                    }
                    Outcome::NewVersion { id, seq } => {
                        s.new_versions += 1;
                        if let Some(seq) = seq {
                            let doc = archive
                                .doc_after_capture(&id, &rec, &prep.content_hash)
                                .map_err(aerr)?;
                            send((seq, false, doc))?;
                        }
                    }
                    other => count_outcome(&mut s, &other),
                }
                in_batch += 1;
                // Results come back one per record sent; taking them as they
                // come keeps the analysis rows' writes beside the reading.
                store_done(&mut archive, false)?;
                if in_batch >= batch {
                    store_done(&mut archive, false)?;
                    archive.commit().map_err(aerr)?;
                    archive.begin().map_err(aerr)?;
                    in_batch = 0;
                    progress(counter.get(), total_bytes);
                }
            }
        }
        drop(job_txs);
        store_done(&mut archive, true)?;
        for worker in workers {
            worker
                .join()
                .map_err(|_| PipelineError::AnalysisThread)?
                .map_err(ierr)?;
        }
        Ok(())
    });
    stored?;
    reader.join().map_err(|_| PipelineError::ReaderThread)?;
    archive.defer_changes(false);
    // Every queued change came back; this only clears the mark that
    // tells an interrupted run from a finished one.
    archive.complete_pending_changes().map_err(aerr)?;
    // The index writes its last segments while the archive commits and a
    // bulk load builds its analysis indexes: each is a few tenths of a
    // second of work, and done one after the other, one core idled (the
    // archive's commit is one thread's work). The index commits only once
    // the archive has: it records how far it got, and must never record
    // more than the archive holds.
    let seq = archive.max_seq().map_err(aerr)?;
    std::thread::scope(|scope| -> Result<()> {
        let writing = &mut writer;
        let prepared = scope.spawn(move || writing.prepare_commit(seq));
        let committed = archive.commit().map_err(aerr);
        let built = match committed {
            Ok(()) => {
                archive.expect_analysis(false);
                if bulk_load {
                    archive.ensure_analysis_indexes().map(drop).map_err(aerr)
                } else {
                    Ok(())
                }
            }
            Err(_) => Ok(()),
        };
        let prepared = prepared
            .join()
            .map_err(|_| PipelineError::IndexThread)?
            .map_err(ierr)?;
        // Unless the archive committed, the prepared segments are dropped
        // unseen (the next run's index catches up).
        committed?;
        prepared.commit().map_err(ierr)?;
        built
    })?;
    writer.finish().map_err(ierr)?;
    progress(total_bytes, total_bytes);
    s.seconds = (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
    archive
        .finish_run(&run, &serde_json::to_value(&s).unwrap_or_default())
        .map_err(aerr)?;
    Ok(s)
}

/// Whether an ingest of `input_bytes` is large against an archive holding
/// `archive_bytes` (half its size or more; an empty or new archive
/// included).
/// Building an index sorts its rows in one pass, at about half the cost
/// per row of inserting them one by one at random places (measured on the
/// mentions of kcna-2011), and an archive is about 2 to 7 times the size
/// of its plain or gzipped input: from about this size on, building once
/// costs less.
fn is_bulk_load(input_bytes: u64, archive_bytes: u64) -> bool {
    input_bytes.saturating_mul(2) >= archive_bytes
}

/// Work for the analysis threads.
enum Job {
    /// Analyse an article's current version and (re)index it.
    Index {
        seq: i64,
        is_new: bool,
        doc: ArticleDoc,
    },
    /// Compute the word diffs and the kind of a change.
    Change(tealeaf_archive::PendingChange),
}

/// What the analysis threads hand back to the archive writer.
enum Done {
    /// Seq, whether the article is new in this run, and the analysis as
    /// rows.
    Analysis(i64, bool, tealeaf_archive::AnalysisRowsOf),
    Change(
        tealeaf_archive::PendingChange,
        tealeaf_archive::ChangeAnalysis,
    ),
}

fn count_outcome(s: &mut Summary, outcome: &Outcome) {
    match outcome {
        Outcome::NewArticle { .. } => s.new_articles += 1,
        Outcome::NewVersion { .. } => s.new_versions += 1,
        Outcome::Unchanged { .. } => s.unchanged += 1,
        Outcome::Failed { .. } => s.failed_captures += 1,
        Outcome::Unattributed { .. } => s.rejected += 1,
    }
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
