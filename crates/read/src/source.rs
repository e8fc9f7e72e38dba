//! Sources: where capture items come from. Ingest consumes items from any
//! [`Source`] through one seam: a file or directory, an HTTP upload, and
//! (as they land) WARC records, crawled pages and Wayback captures.
//!
//! Owns: opening a source and turning its bytes into [`Item`]s, each with
//! its origin (file and line, a record's offset, a URL) for messages.
//!
//! Must not touch: the archive or the index; a source never decides which
//! article an item belongs to.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use crate::{read_stream, ByteCounter, Format, Item, ReadOptions};

/// Something ingest can read capture items from.
pub trait Source: Send {
    /// How messages name this source (a path, `upload`, a URL).
    fn name(&self) -> String;

    /// Bytes it will read, for progress (0 when not known beforehand).
    fn size(&self) -> u64;

    /// Its items, streamed. A source that cannot be opened yields one
    /// [`Item::Rejected`] saying why, so that the rest of a batch goes on.
    fn items(self: Box<Self>, counter: &ByteCounter) -> Box<dyn Iterator<Item = Item> + Send>;
}

/// A file: text page, JSONL, CSV, TSV, HTML page or WARC, plain or gzip.
#[derive(Debug, Clone)]
pub struct FileSource {
    path: PathBuf,
    opts: ReadOptions,
}

impl FileSource {
    pub fn new(path: impl Into<PathBuf>, opts: ReadOptions) -> FileSource {
        FileSource {
            path: path.into(),
            opts,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Source for FileSource {
    fn name(&self) -> String {
        self.path.display().to_string()
    }

    fn size(&self) -> u64 {
        self.path.metadata().map_or(0, |m| m.len())
    }

    fn items(self: Box<Self>, counter: &ByteCounter) -> Box<dyn Iterator<Item = Item> + Send> {
        match crate::read_file(&self.path, &self.opts, counter) {
            Ok(items) => items,
            Err(e) => Box::new(std::iter::once(Item::Rejected(e))),
        }
    }
}

/// Bytes held in memory under a name (an HTTP upload): JSONL, CSV, TSV,
/// HTML or WARC (`opts.format`; otherwise told from the first bytes),
/// plain or gzip.
#[derive(Debug, Clone)]
pub struct BytesSource {
    name: String,
    bytes: Vec<u8>,
    opts: ReadOptions,
}

impl BytesSource {
    pub fn new(name: impl Into<String>, bytes: Vec<u8>, opts: ReadOptions) -> BytesSource {
        BytesSource {
            name: name.into(),
            bytes,
            opts,
        }
    }
}

impl Source for BytesSource {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn size(&self) -> u64 {
        self.bytes.len() as u64
    }

    fn items(self: Box<Self>, counter: &ByteCounter) -> Box<dyn Iterator<Item = Item> + Send> {
        let BytesSource { name, bytes, opts } = *self;
        let format = match opts.format {
            Some(f) => f,
            None => crate::sniff_format(&head_of(&bytes)),
        };
        if format == Format::Warc {
            // Read from the bytes as given, so that gzip members give
            // record offsets and a cut record can be gone back over.
            return match crate::WarcReader::new(&name, std::io::Cursor::new(bytes), &opts, counter)
            {
                Ok(reader) => Box::new(reader),
                Err(e) => Box::new(std::iter::once(Item::Rejected(crate::ReadError::new(
                    &name,
                    0,
                    format!("cannot read: {e}"),
                )))),
            };
        }
        counter.add(bytes.len() as u64);
        let stream = match crate::decompress(std::io::Cursor::new(bytes)) {
            Ok(stream) => stream,
            Err(e) => {
                return Box::new(std::iter::once(Item::Rejected(crate::ReadError::new(
                    &name,
                    0,
                    format!("cannot read: {e}"),
                ))))
            }
        };
        read_or_reject(name, stream, opts)
    }
}

fn read_or_reject(
    name: String,
    mut stream: Box<dyn BufRead + Send>,
    opts: ReadOptions,
) -> Box<dyn Iterator<Item = Item> + Send> {
    let format = match opts.format {
        Some(f) => f,
        None => match stream.fill_buf() {
            Ok(head) => crate::sniff_format(head),
            Err(_) => Format::Page,
        },
    };
    match read_stream(&name, format, stream, &opts) {
        Ok(items) => items,
        Err(e) => Box::new(std::iter::once(Item::Rejected(e))),
    }
}

/// The first bytes of `bytes`, decompressed when gzip, for sniffing.
fn head_of(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return bytes[..bytes.len().min(1024)].to_vec();
    }
    let mut head = Vec::new();
    let _ = flate2::read::MultiGzDecoder::new(bytes)
        .take(1024)
        .read_to_end(&mut head);
    head
}

/// A source that could not even be listed (an unreadable directory): it
/// yields one rejected item saying why, so the rest of a batch goes on.
#[derive(Debug, Clone)]
pub struct Unreadable {
    name: String,
    message: String,
}

impl Source for Unreadable {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn size(&self) -> u64 {
        0
    }

    fn items(self: Box<Self>, _: &ByteCounter) -> Box<dyn Iterator<Item = Item> + Send> {
        Box::new(std::iter::once(Item::Rejected(crate::ReadError::new(
            &self.name,
            0,
            self.message,
        ))))
    }
}

/// The sources under `paths` (what `tealeaf ingest` reads), in order: each file a [`FileSource`] (a
/// missing one too: it is rejected naming its path when read), each
/// directory expanded (recursively, sorted by name, hidden entries
/// skipped), and a directory that cannot be listed an [`Unreadable`].
pub fn sources_under(paths: &[PathBuf], opts: &ReadOptions) -> Vec<Box<dyn Source>> {
    let mut out: Vec<Box<dyn Source>> = Vec::new();
    for p in paths {
        if !p.is_dir() {
            out.push(Box::new(FileSource::new(p, opts.clone())));
            continue;
        }
        match std::fs::read_dir(p) {
            Ok(entries) => {
                let mut entries: Vec<PathBuf> = entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|e| {
                        !e.file_name()
                            .map(|n| n.to_string_lossy().starts_with('.'))
                            .unwrap_or(true)
                    })
                    .collect();
                entries.sort();
                out.extend(sources_under(&entries, opts));
            }
            Err(e) => out.push(Box::new(Unreadable {
                name: p.display().to_string(),
                message: format!("cannot list this directory: {e}"),
            })),
        }
    }
    out
}
