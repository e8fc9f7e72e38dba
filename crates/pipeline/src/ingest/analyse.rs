//! The analysis stage: threads that analyse each new current version
//! (people, countries, titles, events), add its index document (which
//! carries people and countries), turn the analysis into archive rows, and
//! compute the word diffs and kinds of new changes. They hand their results
//! back to the store stage, the only one that writes SQLite.
//!
//! Must not touch: SQLite (results go back as plain rows).

use crossbeam_channel::{Receiver, Sender};
use tealeaf_analyze::{Analyzer, EntityKind};
use tealeaf_archive::{AnalysisRowsOf, ChangeAnalysis, PendingChange};
use tealeaf_index::{IndexError, Writer};
use tealeaf_model::ArticleDoc;

/// Analysis threads: analysis is the costliest stage per article.
pub(super) const WORKERS: usize = 2;

/// Jobs waiting for one analysis thread at most.
pub(super) const QUEUE: usize = 512;

/// Work for the analysis threads.
pub(super) enum Job {
    /// Analyse an article's current version and (re)index it.
    Index {
        seq: i64,
        is_new: bool,
        doc: ArticleDoc,
    },
    /// Compute the word diffs and the kind of a change.
    Change(PendingChange),
}

/// What the analysis threads hand back to the store stage.
pub(super) enum Done {
    /// Seq, whether the article is new in this run, and the analysis as
    /// rows.
    Analysis(i64, bool, AnalysisRowsOf),
    Change(PendingChange, ChangeAnalysis),
}

/// The thread an article's jobs go to: always the same one, so that its
/// versions are analysed and indexed in order.
pub(super) fn shard(article: &str) -> usize {
    article
        .bytes()
        .fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(b as usize))
        % WORKERS
}

/// One analysis thread's loop: until its jobs close or the store stage
/// hangs up. With `analyze` off (for measuring what analysis costs) the
/// articles are only indexed and stay unanalysed.
pub(super) fn work(
    jobs: Receiver<Job>,
    done: Sender<Done>,
    writer: &Writer,
    analyzer: &Analyzer,
    analyze: bool,
) -> Result<(), IndexError> {
    let mut failed = None;
    for job in jobs {
        let (seq, is_new, mut doc) = match job {
            Job::Index { seq, is_new, doc } => (seq, is_new, doc),
            Job::Change(change) => {
                let analysis = change.analyse();
                if done.send(Done::Change(change, analysis)).is_err() {
                    break;
                }
                continue;
            }
        };
        if !analyze {
            if let Err(e) = index(writer, &doc, is_new) {
                failed.get_or_insert(e);
            }
            continue;
        }
        let analysis = analyzer.analyze(&doc);
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
        if let Err(e) = index(writer, &doc, is_new) {
            failed.get_or_insert(e);
        }
        // The rows are made here, beside the other analysis threads, and
        // the analysis is freed on the thread that made it.
        let rows = AnalysisRowsOf::new(&doc.id, &analysis);
        drop(analysis);
        if done.send(Done::Analysis(seq, is_new, rows)).is_err() {
            break;
        }
    }
    failed.map_or(Ok(()), Err)
}

fn index(writer: &Writer, doc: &ArticleDoc, is_new: bool) -> Result<(), IndexError> {
    if is_new {
        writer.add(doc)
    } else {
        writer.upsert(doc)
    }
}
