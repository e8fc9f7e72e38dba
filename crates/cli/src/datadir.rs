//! The data directory: `archive.sqlite` (authoritative) and `index/`
//! (derived), and keeping the second caught up with the first.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use tealeaf_archive::Archive;
use tealeaf_index::{SearchIndex, Writer};

pub struct DataDir {
    pub root: PathBuf,
}

/// Memory for tantivy's indexing threads, in all.
pub const INDEX_HEAP: usize = 64 * 1024 * 1024;

impl DataDir {
    pub fn new(root: PathBuf) -> Self {
        DataDir { root }
    }

    pub fn archive_path(&self) -> PathBuf {
        self.root.join("archive.sqlite")
    }

    pub fn index_path(&self) -> PathBuf {
        self.root.join("index")
    }

    /// Opens the archive for writing, creating the directory if needed.
    pub fn archive(&self) -> Result<Archive> {
        std::fs::create_dir_all(&self.root)
            .with_context(|| format!("cannot create the data directory {}", self.root.display()))?;
        let path = self.archive_path();
        Archive::open(&path).with_context(|| format!("cannot open the archive {}", path.display()))
    }

    /// Opens an existing archive for reading; a clear error when there is none.
    pub fn archive_read(&self) -> Result<Archive> {
        let path = self.archive_path();
        if !path.exists() {
            anyhow::bail!(
                "no archive at {} (ingest something first, or give --data / TEALEAF_DATA)",
                path.display()
            );
        }
        Archive::open(&path).with_context(|| format!("cannot open the archive {}", path.display()))
    }

    pub fn index(&self) -> Result<(SearchIndex, bool)> {
        let path = self.index_path();
        SearchIndex::open(&path)
            .with_context(|| format!("cannot open the index {}", path.display()))
    }
}

pub fn writer(index: &SearchIndex, path: &Path) -> Result<Writer> {
    // Two indexing threads measured fastest on two cores (the reader and the
    // archive writer are busy too); more only add memory.
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(1, 2);
    index
        .writer(threads, INDEX_HEAP)
        .with_context(|| format!("cannot write the index {}", path.display()))
}

/// Brings the index up to the archive: re-adds every article changed since
/// the index's last commit (after a killed ingest, or a schema change).
/// Returns how many documents were (re)indexed.
pub fn catch_up(archive: &Archive, index: &SearchIndex, writer: &mut Writer) -> Result<u64> {
    let indexed = index.indexed_seq()?;
    let max = archive.max_seq()?;
    if indexed == max {
        return Ok(0);
    }
    let mut n = 0u64;
    if indexed > max {
        // The index claims more than the archive has (the archive was
        // replaced): start over.
        writer.delete_all()?;
        archive.for_each_doc_since(0, |_, doc| {
            n += 1;
            writer
                .add(&doc)
                .map_err(|e| tealeaf_archive::ArchiveError::Corrupt(e.to_string()))
        })?;
    } else {
        archive.for_each_doc_since(indexed, |_, doc| {
            n += 1;
            writer
                .upsert(&doc)
                .map_err(|e| tealeaf_archive::ArchiveError::Corrupt(e.to_string()))
        })?;
    }
    writer.commit(max)?;
    index.reload()?;
    Ok(n)
}

/// Opens archive and index for reading, catching the index up first if an
/// earlier run was interrupted. When another process holds the index lock
/// the search runs on what is committed.
pub fn open_for_reading(data: &DataDir) -> Result<(Archive, SearchIndex)> {
    let archive = data.archive_read()?;
    let (index, _) = data.index()?;
    if index.indexed_seq()? != archive.max_seq()? {
        match index.writer(1, INDEX_HEAP / 2) {
            Ok(mut w) => {
                let n = catch_up(&archive, &index, &mut w)?;
                w.finish()?;
                if n > 0 {
                    eprintln!("note: the index was behind the archive; {n} articles re-indexed");
                }
            }
            Err(tealeaf_index::IndexError::Locked) => {
                eprintln!("note: another tealeaf process is writing; results may not include its latest work");
            }
            Err(e) => return Err(e.into()),
        }
    }
    index.reload()?;
    Ok((archive, index))
}

pub fn reindex(data: &DataDir) -> Result<ExitCode> {
    let archive = data.archive_read()?;
    let (index, _) = data.index()?;
    let mut w = writer(&index, &data.index_path())?;
    let started = std::time::Instant::now();
    w.delete_all()?;
    let mut n = 0u64;
    archive.for_each_doc_since(0, |_, doc| {
        n += 1;
        w.add(&doc)
            .map_err(|e| tealeaf_archive::ArchiveError::Corrupt(e.to_string()))
    })?;
    w.commit(archive.max_seq()?)?;
    w.finish()?;
    eprintln!(
        "reindexed {n} articles in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
