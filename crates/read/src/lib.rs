//! Readers: turn what users have into [`CaptureRecord`]s.
//!
//! Owns: the text-page format of the seed ([`page`]), annotated editions
//! in the `해 제`/`원 문` form such as the New Year addresses
//! ([`addresses`]; told from text pages by their content), JSONL and CSV bulk
//! files in tealeaf's capture format or any other shape through a
//! [`FieldMap`] ([`bulk`]), HTML files ([`html`]), WARC archives
//! ([`warc`], docs/warc.md), gzip detection, and errors that name the file
//! and line (or a WARC record's byte offset).
//!
//! Must not touch: the archive or the index. A reader never decides which
//! article a record belongs to; it only reports what the input says, and it
//! never stops a batch for one bad record: bad records come out as
//! [`Item::Rejected`] and reading goes on.

pub mod addresses;
pub mod bulk;
pub mod html;
pub mod http;
pub mod page;
pub mod source;
pub mod warc;

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

pub use bulk::FieldMap;
pub use source::{sources_under, BytesSource, FileSource, Source, Unreadable};
use tealeaf_model::{CaptureRecord, SourceRef};
pub use warc::WarcReader;

/// A problem with one record (or a whole file), naming where it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {message}")]
pub struct ReadError {
    pub origin: SourceRef,
    pub message: String,
}

impl ReadError {
    pub fn new(source: &str, line: u64, message: impl Into<String>) -> Self {
        ReadError {
            origin: SourceRef::line(source, line),
            message: message.into(),
        }
    }
}

/// What a reader yields: a record, or a rejected record with its reason.
#[derive(Debug)]
pub enum Item {
    Record(Box<CaptureRecord>),
    /// A capture of a listing page (records with a `listing` field).
    Listing(Box<tealeaf_model::ListingRecord>),
    Rejected(ReadError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One article a file, as the seed page.
    Page,
    Jsonl,
    Csv,
    Tsv,
    /// One saved HTML page a file.
    Html,
    /// A WARC archive (docs/warc.md).
    Warc,
    /// A New Year address a file (docs/capture-format.md): the annotated
    /// form, or else the speech alone, dated from the file's name.
    Address,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "page" | "text" | "txt" => Ok(Format::Page),
            "jsonl" | "ndjson" | "json" => Ok(Format::Jsonl),
            "csv" => Ok(Format::Csv),
            "tsv" => Ok(Format::Tsv),
            "html" | "htm" => Ok(Format::Html),
            "warc" => Ok(Format::Warc),
            "address" => Ok(Format::Address),
            other => Err(format!(
                "unknown format `{other}` (page, jsonl, csv, tsv, html, warc, address)"
            )),
        }
    }
}

/// How to read a batch of files.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Outlet for records that do not name one (`--outlet`).
    pub outlet: Option<String>,
    /// Which input column holds which field (`--map field=column,...`).
    pub map: FieldMap,
    /// Force a format instead of telling it from the file name and content.
    pub format: Option<Format>,
}

/// Counts bytes as they are read from the file (before decompression), so
/// that a progress bar can follow a streamed read.
#[derive(Debug, Clone, Default)]
pub struct ByteCounter(Arc<AtomicU64>);

impl ByteCounter {
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }

    /// Counts `n` bytes read (for sources that do not read through
    /// [`open_stream`]).
    pub fn add(&self, n: u64) {
        self.0.fetch_add(n, Ordering::Relaxed);
    }
}

struct CountingReader<R> {
    inner: R,
    counter: ByteCounter,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.0.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Opens a file for streaming, transparently decompressing gzip (told by its
/// magic bytes, not its name).
pub fn open_stream(path: &Path, counter: &ByteCounter) -> std::io::Result<Box<dyn BufRead + Send>> {
    let file = File::open(path)?;
    let buffered = BufReader::with_capacity(
        256 * 1024,
        CountingReader {
            inner: file,
            counter: counter.clone(),
        },
    );
    decompress(buffered)
}

/// A buffered stream, transparently decompressed when it is gzip (told by
/// its magic bytes, not its name).
pub fn decompress<R: BufRead + Send + 'static>(
    mut buffered: R,
) -> std::io::Result<Box<dyn BufRead + Send>> {
    let head = buffered.fill_buf()?;
    if head.starts_with(&[0x1f, 0x8b]) {
        Ok(Box::new(BufReader::with_capacity(
            256 * 1024,
            flate2::bufread::MultiGzDecoder::new(buffered),
        )))
    } else {
        Ok(Box::new(buffered))
    }
}

/// Whether the first bytes of an input look like JSONL: its first
/// character (after white space and a BOM) is `{`.
pub fn looks_like_jsonl(head: &[u8]) -> bool {
    let first = head
        .iter()
        .copied()
        .find(|b| !b.is_ascii_whitespace() && !matches!(b, 0xef | 0xbb | 0xbf));
    first == Some(b'{')
}

/// Tells an input's format from its first bytes (decompressed): a WARC
/// record, an HTML document, a JSON object (JSONL), else a text page
/// (which is then checked strictly).
pub fn sniff_format(head: &[u8]) -> Format {
    if warc::looks_like_warc(head) {
        Format::Warc
    } else if html::looks_like_html(head) {
        Format::Html
    } else if looks_like_jsonl(head) {
        Format::Jsonl
    } else {
        Format::Page
    }
}

/// Tells a file's format from its name (`.jsonl`, `.csv`, `.txt`, `.html`,
/// `.warc`, each optionally `.gz`), falling back to its first bytes
/// ([`sniff_format`]).
pub fn detect_format(path: &Path) -> std::io::Result<Format> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    Ok(match ext {
        "jsonl" | "ndjson" | "json" => Format::Jsonl,
        "csv" => Format::Csv,
        "tsv" => Format::Tsv,
        "txt" | "text" => Format::Page,
        "html" | "htm" | "xhtml" => Format::Html,
        "warc" => Format::Warc,
        _ => {
            let mut stream = open_stream(path, &ByteCounter::default())?;
            sniff_format(stream.fill_buf()?)
        }
    })
}

/// Reads one file into a stream of items. Opening problems (missing file,
/// unreadable, unknown `--map` field) are returned as an error; problems with
/// single records come out of the iterator as [`Item::Rejected`].
pub fn read_file(
    path: &Path,
    opts: &ReadOptions,
    counter: &ByteCounter,
) -> Result<Box<dyn Iterator<Item = Item> + Send>, ReadError> {
    let source = path.display().to_string();
    let io_err = |e: std::io::Error| ReadError::new(&source, 0, format!("cannot read: {e}"));
    let format = match opts.format {
        Some(f) => f,
        None => detect_format(path).map_err(io_err)?,
    };
    if format == Format::Warc {
        // Read from the file itself, not a decompressed stream: records
        // are found by their gzip members, and a cut record is recovered
        // from by going back.
        let file = File::open(path).map_err(io_err)?;
        let reader = WarcReader::new(&source, file, opts, counter).map_err(io_err)?;
        return Ok(Box::new(reader));
    }
    let stream = open_stream(path, counter).map_err(io_err)?;
    read_stream(&source, format, stream, opts)
}

/// A text file's characters: UTF-8 (a BOM is the page reader's to drop),
/// else the encoding detected (Korean files are often EUC-KR), with a
/// warning saying which.
fn decode_text(bytes: &[u8]) -> Result<(String, Option<String>), String> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((text.to_string(), None)),
        Err(e) => {
            let bad = e.valid_up_to();
            match tealeaf_html::charset::decode(bytes, None) {
                Ok(d) if d.encoding.name() != "UTF-8" => Ok((
                    d.text,
                    Some(format!("not UTF-8: read as {}", d.encoding.name())),
                )),
                _ => Err(format!(
                    "not valid UTF-8 (first bad byte at offset {bad}) nor text in another encoding"
                )),
            }
        }
    }
}

/// Reads a stream in `format` into items, named `source` in messages.
/// Opening problems (an unknown `--map` field, a CSV without a header) are
/// returned as an error; problems with single records come out of the
/// iterator as [`Item::Rejected`].
pub fn read_stream(
    source: &str,
    format: Format,
    mut stream: Box<dyn BufRead + Send>,
    opts: &ReadOptions,
) -> Result<Box<dyn Iterator<Item = Item> + Send>, ReadError> {
    let io_err = |e: std::io::Error| ReadError::new(source, 0, format!("cannot read: {e}"));
    match format {
        Format::Page | Format::Address => {
            let mut bytes = Vec::new();
            stream.read_to_end(&mut bytes).map_err(io_err)?;
            let item = match decode_text(&bytes) {
                Ok((text, decoded)) => {
                    let parsed = if addresses::looks_like(&text) {
                        addresses::parse(source, &text, opts.outlet.as_deref())
                    } else if format == Format::Address {
                        addresses::parse_bare(source, &text, opts.outlet.as_deref())
                    } else {
                        page::parse_page(source, &text, opts.outlet.as_deref())
                    };
                    match parsed {
                        Ok(mut rec) => {
                            rec.warnings.extend(decoded);
                            Item::Record(Box::new(rec))
                        }
                        Err(e) => Item::Rejected(e),
                    }
                }
                Err(message) => Item::Rejected(ReadError::new(source, 0, message)),
            };
            Ok(Box::new(std::iter::once(item)))
        }
        Format::Html => Ok(Box::new(std::iter::once(html::read_html(
            source, stream, opts,
        )))),
        Format::Warc => {
            // A stream cannot go back after a cut record, so it is held in
            // memory; files and uploads do not come this way (read_file,
            // BytesSource), and offsets here are in the decompressed data.
            let mut bytes = Vec::new();
            stream.read_to_end(&mut bytes).map_err(io_err)?;
            let reader = WarcReader::new(
                source,
                std::io::Cursor::new(bytes),
                opts,
                &ByteCounter::default(),
            )
            .map_err(io_err)?;
            Ok(Box::new(reader))
        }
        Format::Jsonl => Ok(Box::new(bulk::JsonlReader::new(
            source.to_string(),
            stream,
            opts.clone(),
        ))),
        Format::Csv | Format::Tsv => {
            let delim = if format == Format::Tsv { b'\t' } else { b',' };
            Ok(Box::new(bulk::CsvReader::new(
                source.to_string(),
                stream,
                opts.clone(),
                delim,
            )?))
        }
    }
}
