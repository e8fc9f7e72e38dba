//! The commit stage: the archive commits its last transaction while the
//! index writes its last segments, a bulk load then builds the analysis
//! indexes, and the index commits, recording the archive `seq` it holds.
//! The index never records more than the archive holds, so a killed run
//! leaves the index behind the archive, never ahead.
//!
//! Must not touch: storing or reading items.

use tealeaf_archive::ArchiveWriter;
use tealeaf_index::Writer;

use crate::{DataDir, PipelineError, Result};

/// Commits archive and index in that order; `bulk_load` builds the
/// analysis indexes the load deferred.
pub(super) fn commit(
    data: &DataDir,
    archive: &mut ArchiveWriter,
    mut writer: Writer,
    bulk_load: bool,
) -> Result<()> {
    let aerr = |e| data.archive_err(e);
    let ierr = |e| data.index_err(e);
    let seq = archive.max_seq().map_err(aerr)?;
    std::thread::scope(|scope| -> Result<()> {
        let writing = &mut writer;
        let prepared = scope.spawn(move || writing.prepare_commit(seq));
        let committed = archive.commit().map_err(aerr);
        let joined = prepared.join();
        // Built once the index's last segments are written, not beside
        // them: the two at once were the ingest's peak of memory (issue
        // 22).
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
        // Built whatever the index did: the archive has committed.
        let prepared = joined
            .map_err(|_| PipelineError::IndexThread)?
            .map_err(ierr)?;
        // Unless the archive committed, the prepared segments are dropped
        // unseen (the next run's index catches up).
        committed?;
        prepared.commit().map_err(ierr)?;
        built
    })?;
    writer.finish().map_err(ierr)
}
