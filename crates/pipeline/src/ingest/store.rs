//! The store stage: the one thread that writes SQLite. It stores each read
//! item (capture, removal, listing) in batched transactions, sends new
//! current versions and new changes to the analysis stage, and files what
//! comes back between records, so that this work overlaps the reading.
//!
//! Must not touch: reading sources, analysing, tantivy.

use crossbeam_channel::{Receiver, Sender};
use tealeaf_archive::{ArchiveError, ArchiveWriter, IngestRun, Outcome};
use tealeaf_model::ArticleDoc;
use tealeaf_read::Item;

use super::analyse::{shard, Done, Job};
use super::read::ReadyItem;
use super::{ErrorEntry, Summary};
use crate::{DataDir, PipelineError, Result};

pub(super) struct Store<'a> {
    pub(super) archive: &'a mut ArchiveWriter,
    pub(super) run: &'a mut IngestRun,
    pub(super) summary: &'a mut Summary,
    pub(super) jobs: Vec<Sender<Job>>,
    pub(super) done: Receiver<Done>,
    pub(super) data: &'a DataDir,
}

impl Store<'_> {
    fn aerr(&self, e: ArchiveError) -> PipelineError {
        self.data.archive_err(e)
    }

    /// Files one result of the analysis stage.
    fn file(&mut self, done: Done) -> Result<()> {
        let filed = match done {
            Done::Analysis(seq, true, rows) => {
                self.archive.store_analysis_of_new_article(seq, rows)
            }
            Done::Analysis(seq, false, rows) => self.archive.store_analysis_rows_of(seq, rows),
            Done::Change(c, analysis) => self.archive.store_change_analysis(&c, &analysis),
        };
        filed.map_err(|e| self.aerr(e))
    }

    /// Files what the analysis stage handed back: what is there now, or
    /// (`wait`) everything until the analysis threads are done.
    pub(super) fn file_done(&mut self, wait: bool) -> Result<()> {
        loop {
            let next = if wait {
                self.done.recv().ok()
            } else {
                self.done.try_recv().ok()
            };
            match next {
                Some(done) => self.file(done)?,
                None => return Ok(()),
            }
        }
    }

    /// The next chunk of read items; while none is ready, results of the
    /// analysis stage are filed.
    pub(super) fn next_chunk(
        &mut self,
        read: &Receiver<Vec<ReadyItem>>,
    ) -> Result<Option<Vec<ReadyItem>>> {
        self.file_done(false)?;
        loop {
            crossbeam_channel::select! {
                recv(read) -> chunk => return Ok(chunk.ok()),
                recv(self.done) -> done => match done {
                    Ok(done) => self.file(done)?,
                    // No analysis thread left (the next job sent fails).
                    Err(_) => return Ok(read.recv().ok()),
                }
            }
        }
    }

    fn send(&self, article: &str, job: Job) -> Result<()> {
        self.jobs[shard(article)]
            .send(job)
            .map_err(|_| PipelineError::AnalysisThread)
    }

    fn send_doc(&self, seq: i64, is_new: bool, doc: ArticleDoc) -> Result<()> {
        let id = doc.id.clone();
        self.send(&id, Job::Index { seq, is_new, doc })
    }

    /// Pending changes go out as soon as they are stored.
    fn send_changes(&mut self) -> Result<()> {
        for change in self.archive.take_pending_changes() {
            let id = change.article_id.clone();
            self.send(&id, Job::Change(change))?;
        }
        Ok(())
    }

    /// Stores one read item. Returns whether it was a capture with content
    /// (what a batch counts).
    pub(super) fn item(&mut self, ReadyItem { item, prep }: ReadyItem) -> Result<bool> {
        let s = &mut *self.summary;
        match (item, prep) {
            (Item::Rejected(e), _) => {
                s.rejected += 1;
                s.errors.push(e.into());
                Ok(false)
            }
            (Item::Listing(listing), _) => {
                s.read += 1;
                s.listings += 1;
                let outcomes = self
                    .archive
                    .store_listing(self.run, &listing)
                    .map_err(|cause| PipelineError::Store {
                        at: listing.origin.to_string(),
                        cause,
                    })?;
                self.send_changes()?;
                for outcome in outcomes {
                    count_outcome(self.summary, &outcome);
                    if let Outcome::NewVersion { id, seq: Some(seq) } = &outcome {
                        let doc = self.archive.doc(id).map_err(|e| self.aerr(e))?;
                        self.send_doc(*seq, false, doc)?;
                    }
                }
                Ok(false)
            }
            (Item::Record(rec), None) => {
                // A gone capture (404/410): no content to prepare.
                s.read += 1;
                let outcome = self.archive.store_gone(self.run, &rec).map_err(|cause| {
                    PipelineError::Store {
                        at: rec.origin.to_string(),
                        cause,
                    }
                })?;
                self.send_changes()?;
                if let Outcome::Unattributed { reason } = &outcome {
                    self.summary.rejected += 1;
                    self.summary
                        .errors
                        .push(ErrorEntry::at(&rec.origin, reason.clone()));
                } else {
                    count_outcome(self.summary, &outcome);
                }
                Ok(false)
            }
            (Item::Record(rec), Some(prep)) => {
                s.read += 1;
                for w in &rec.warnings {
                    s.warnings.push(ErrorEntry::at(&rec.origin, w.clone()));
                }
                if rec.is_empty() && rec.id.is_none() {
                    s.rejected += 1;
                    s.errors.push(ErrorEntry::at(
                        &rec.origin,
                        "neither title nor body (and no id naming an article): rejected".into(),
                    ));
                    return Ok(false);
                }
                // What a server answered in place of the article, kept by
                // a scraper ("The requested URL … was not found on this
                // server"): never stored as an article, and said so. Not
                // an error of the input's: the run still succeeds.
                if let Some(said) =
                    tealeaf_model::error_page::error_page(&rec.title, &rec.paragraphs)
                {
                    s.error_pages += 1;
                    s.warnings.push(ErrorEntry::at(
                        &rec.origin,
                        format!("a web server's error page, not an article (`{said}`): not stored"),
                    ));
                    return Ok(false);
                }
                let outcome = self.archive.store(self.run, &rec, &prep).map_err(|cause| {
                    PipelineError::Store {
                        at: rec.origin.to_string(),
                        cause,
                    }
                })?;
                self.send_changes()?;
                match outcome {
                    Outcome::NewArticle { id, seq } => {
                        self.summary.new_articles += 1;
                        if rec.is_title_only() {
                            self.summary.title_only += 1;
                        }
                        let rec = *rec;
                        self.send_doc(
                            seq,
                            true,
                            ArticleDoc {
                                id,
                                outlet: rec.outlet,
                                language: rec.language.unwrap_or_default(),
                                published: rec.published,
                                title: rec.title,
                                paragraphs: rec.paragraphs,
                                commentary: rec.commentary.unwrap_or_default(),
                                ..ArticleDoc::default()
                            },
                        )?;
                    }
                    Outcome::NewVersion { id, seq } => {
                        self.summary.new_versions += 1;
                        if let Some(seq) = seq {
                            let doc = self
                                .archive
                                .doc_after_capture(&id, &rec, &prep.content_hash)
                                .map_err(|e| self.aerr(e))?;
                            self.send_doc(seq, false, doc)?;
                        }
                    }
                    other => count_outcome(self.summary, &other),
                }
                Ok(true)
            }
        }
    }
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
