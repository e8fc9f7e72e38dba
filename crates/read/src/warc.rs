//! WARC files (1.0 and 1.1; plain, gzip per record, or gzip whole),
//! streamed record by record into capture items (docs/warc.md): HTML
//! responses become captures, an article url answering 404/410 or
//! redirecting away becomes a removal, revisits re-capture an earlier
//! response of the same file, everything else is skipped.
//!
//! Owns: WARC framing, gzip members and their offsets, resynchronising
//! after a cut or corrupt record, and the rules that turn a record into an
//! item. Must not touch: reading a page (`tealeaf-html`), HTTP details
//! beyond the response head and body codings (`http`), which article an
//! item belongs to (the archive).
//!
//! Why not the `warc` crate: it reports no offsets (and cannot: it reads
//! gzip files through one decoder for the whole file), it stops at the
//! first malformed record instead of resynchronising, and it buffers every
//! block. Framing is simple (version line, headers, blank line,
//! `Content-Length` bytes, CRLF CRLF), so a careful reader is short.

use std::collections::{HashMap, VecDeque};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use flate2::bufread::GzDecoder;
use tealeaf_html::{ExtractError, Hints, Page, UrlKind, MAX_PAGE_BYTES};
use tealeaf_model::{CaptureRecord, SourceRef};

use crate::http::{self, Head};
use crate::{ByteCounter, Item, ReadError, ReadOptions};

/// The longest version or header line read before giving up on a record.
const MAX_LINE: usize = 64 * 1024;
/// The most header bytes a record may have.
const MAX_HEADERS: usize = 256 * 1024;
/// The most bytes an HTTP response head may have.
const MAX_HTTP_HEAD: usize = 64 * 1024;
/// How many earlier responses a revisit can refer to: enough for any
/// crawl's duplicates, bounded so that a huge file cannot grow memory
/// without limit (extracted pages only, never raw bytes, are kept).
const REMEMBERED: usize = 20_000;
/// ... and at most this much of their text, whatever their number.
const REMEMBERED_BYTES: usize = 256 * 1024 * 1024;

/// How a page's bytes are read into a [`Page`]: `tealeaf_html::extract`,
/// or a stand-in in tests of this layer.
pub(crate) type Extractor = fn(&[u8], &Hints) -> Result<Page, ExtractError>;

/// The reader: an iterator of items over a seekable input (a file, bytes
/// in memory). Seeking is only used to go back after a cut record.
pub struct WarcReader<R: Read + Seek> {
    source: String,
    outlet: Option<String>,
    stream: Stream<R>,
    queue: VecDeque<Item>,
    seen: Remembered,
    counter: ByteCounter,
    reported: u64,
    extract: Extractor,
    /// Responses and resources skipped because they are not pages
    /// (images, style sheets, scripts).
    skipped: u64,
}

impl<R: Read + Seek + Send> WarcReader<R> {
    /// Opens `input` (plain or gzip WARC), named `source` in messages.
    pub fn new(
        source: &str,
        input: R,
        opts: &ReadOptions,
        counter: &ByteCounter,
    ) -> io::Result<WarcReader<R>> {
        Self::with_extractor(source, input, opts, counter, tealeaf_html::extract)
    }

    pub(crate) fn with_extractor(
        source: &str,
        input: R,
        opts: &ReadOptions,
        counter: &ByteCounter,
        extract: Extractor,
    ) -> io::Result<WarcReader<R>> {
        let mut r = BufReader::with_capacity(256 * 1024, input);
        let gzip = r.fill_buf()?.starts_with(&[0x1f, 0x8b]);
        let mut reader = WarcReader {
            source: source.to_string(),
            outlet: opts.outlet.clone(),
            stream: Stream {
                kind: Kind::Done,
                pos: 0,
            },
            queue: VecDeque::new(),
            seen: Remembered::default(),
            counter: counter.clone(),
            reported: 0,
            extract,
            skipped: 0,
        };
        if gzip {
            reader.open_member(r, 0, 0, false);
        } else {
            reader.stream.kind = Kind::Plain(r);
        }
        Ok(reader)
    }

    /// Records skipped because they are not pages, so far.
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    fn reject(&mut self, offset: u64, message: String) {
        self.queue.push_back(Item::Rejected(ReadError {
            origin: SourceRef::offset(&self.source, offset),
            message,
        }));
    }

    /// Starts reading the gzip member at or after compressed offset
    /// `from`. With `strict` (after corrupt data), a candidate member must
    /// decode into a WARC record, so that gzip magic bytes met by chance
    /// inside compressed data are passed over.
    fn open_member(&mut self, mut inner: BufReader<R>, from: u64, base: u64, strict: bool) {
        let mut strict = strict;
        let mut at = from;
        loop {
            let found = goto(&mut inner, at).and_then(|_| scan_magic(&mut inner, at));
            let (start, junk) = match found {
                Ok((Some(start), junk)) => (start, junk),
                Ok((None, junk)) => {
                    if let Ok(end) = inner.stream_position() {
                        self.advance_to(end);
                    }
                    if junk && !strict {
                        self.reject(
                            at,
                            format!(
                                "bytes from {at} to the end are neither a gzip member nor a WARC record: skipped"
                            ),
                        );
                    }
                    self.stream.kind = Kind::Done;
                    return;
                }
                Err(e) => {
                    self.reject(at, format!("cannot read at byte {at}: {e}"));
                    self.stream.kind = Kind::Done;
                    return;
                }
            };
            if junk && !strict {
                self.reject(
                    at,
                    format!(
                        "bytes {at} to {start} are neither a gzip member nor a WARC record: skipped"
                    ),
                );
                strict = true;
            }
            let mut dec = BufReader::with_capacity(64 * 1024, GzDecoder::new(inner));
            let head = dec.fill_buf();
            let ok = match &head {
                Ok(buf) => !strict || starts_warc(buf),
                Err(_) => false,
            };
            if ok {
                self.stream = Stream {
                    kind: Kind::Member(Box::new(Member { start, base, dec })),
                    pos: 0,
                };
                return;
            }
            if let (Err(e), false) = (head, strict) {
                self.reject(
                    start,
                    format!("record at byte {start}: gzip data is corrupt ({e}); looking for the next record"),
                );
                strict = true;
            }
            inner = dec.into_inner().into_inner();
            at = start + 1;
        }
    }

    /// Moves on to the next gzip member after the current one ended
    /// (`corrupt`: after unreadable data, looking past it).
    fn next_segment(&mut self, corrupt: bool) {
        self.report_progress();
        match std::mem::replace(&mut self.stream.kind, Kind::Done) {
            Kind::Member(m) => {
                let base = m.base + self.stream.pos;
                let mut inner = m.dec.into_inner().into_inner();
                let next = if corrupt {
                    Ok(m.start + 1)
                } else {
                    inner.stream_position()
                };
                match next {
                    Ok(at) => self.open_member(inner, at, base, corrupt),
                    Err(e) => self.reject(m.start, format!("cannot read: {e}")),
                }
            }
            Kind::Plain(_) | Kind::Done => {}
        }
    }

    fn report_progress(&mut self) {
        let at = match &mut self.stream.kind {
            Kind::Plain(r) => r.stream_position().ok(),
            Kind::Member(m) => m.dec.get_mut().get_mut().stream_position().ok(),
            Kind::Done => None,
        };
        if let Some(at) = at {
            self.advance_to(at);
        }
    }

    /// Counts the input read up to compressed offset `at` (never twice
    /// when going back over a cut record).
    fn advance_to(&mut self, at: u64) {
        if at > self.reported {
            self.counter.add(at - self.reported);
            self.reported = at;
        }
    }

    /// Reads the next record (or moves to the next member), queueing what
    /// it yields. False when the input is done.
    fn step(&mut self) -> bool {
        if matches!(self.stream.kind, Kind::Done) {
            return false;
        }
        match skip_gap(&mut self.stream) {
            Ok(true) => {}
            Ok(false) => {
                self.next_segment(false);
                return true;
            }
            Err(e) => {
                let offset = self.stream.offset_of(self.stream.pos);
                self.io_failure(offset, e);
                return true;
            }
        }
        let start = self.stream.pos;
        let offset = self.stream.offset_of(start);
        match read_record(&mut self.stream) {
            Ok(record) => self.emit(offset, record),
            Err(Failure { fail, resync_from }) => match fail {
                Fail::Io(e) => self.io_failure(offset, e),
                Fail::Cut(msg) | Fail::Bad(msg) => {
                    self.reject(offset, format!("record at byte {offset}: {msg}"));
                    self.resync(resync_from);
                }
            },
        }
        self.report_progress();
        true
    }

    /// Unreadable data (corrupt gzip, an I/O error): the record in
    /// progress is rejected, and reading goes on at the next gzip member.
    fn io_failure(&mut self, offset: u64, e: io::Error) {
        let what = if matches!(self.stream.kind, Kind::Member(_)) {
            "gzip data is corrupt or cut short"
        } else {
            "cannot read"
        };
        self.reject(
            offset,
            format!("record at byte {offset}: {what} ({e}); the rest of this gzip member is lost"),
        );
        self.abandon();
    }

    /// After a bad record: go back to `from` and on to the next line that
    /// starts a WARC record, in this file or gzip member.
    fn resync(&mut self, from: u64) {
        let found = self
            .stream
            .seek_to(from)
            .and_then(|_| scan_version(&mut self.stream));
        match found {
            Ok(Some(at)) => {
                if self.stream.seek_to(at).is_err() {
                    self.abandon();
                }
            }
            Ok(None) => self.next_segment(false),
            // Unreadable data after a record already rejected: no second
            // message for the same place.
            Err(_) => self.abandon(),
        }
    }

    /// Gives up on the current gzip member (or plain file) after
    /// unreadable data.
    fn abandon(&mut self) {
        if matches!(self.stream.kind, Kind::Member(_)) {
            self.next_segment(true);
        } else {
            self.stream.kind = Kind::Done;
        }
    }

    /// Turns one well-framed record into what it yields.
    fn emit(&mut self, offset: u64, rec: Record) {
        let at = format!("record at byte {offset}: ");
        let kind = rec.get("WARC-Type").unwrap_or("").to_ascii_lowercase();
        if kind != "response" && kind != "revisit" {
            return;
        }
        let url = rec.get("WARC-Target-URI").map(strip_angle).unwrap_or("");
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            // dns:, ftp: and whatever else a crawler records.
            return;
        }
        let url = url.to_string();
        let captured_at = match rec.get("WARC-Date").map(parse_date) {
            Some(Ok(t)) => t,
            Some(Err(text)) => {
                return self.reject(offset, format!("{at}WARC-Date `{text}` is not a date"))
            }
            None => return self.reject(offset, format!("{at}no WARC-Date")),
        };
        if kind == "revisit" {
            return self.revisit(offset, &rec, url, captured_at);
        }
        // tealeaf's crawler marks the listings it fetched (`WARC-Tealeaf-Page:
        // listing`): a start page of a site no profile knows is not an
        // article, though every other page of such a site is.
        let listing = rec
            .get("WARC-Tealeaf-Page")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("listing"));
        let outcome = match rec.block {
            _ if listing => Seen::Skipped,
            Block::Http(Err(msg)) => Seen::Rejected(format!("{at}{msg}")),
            Block::Http(Ok(resp)) => self.response(offset, &url, captured_at, resp),
            Block::Skipped => Seen::Skipped,
        };
        let seen = Arc::new(outcome);
        self.seen.remember(&rec.fields, &url, seen.clone());
        match &*seen {
            Seen::Record(r) => self.queue.push_back(Item::Record(r.clone())),
            Seen::Rejected(msg) => self.reject(offset, msg.clone()),
            Seen::Skipped => self.skipped += 1,
        }
    }

    /// What a response says: a page, a removal, or nothing to keep.
    fn response(
        &mut self,
        offset: u64,
        url: &str,
        captured_at: DateTime<Utc>,
        resp: Response,
    ) -> Seen {
        let at = format!("record at byte {offset}: ");
        let origin = SourceRef::offset(&self.source, offset);
        let site = tealeaf_html::classify(url);
        let article = site.as_ref().filter(|s| s.kind == UrlKind::Article);
        match resp.head.status {
            200 => {}
            404 | 410 => {
                return match article {
                    Some(site) => gone(origin, url, site, captured_at, resp.head.status),
                    None => Seen::Skipped,
                }
            }
            301 | 302 | 303 | 307 | 308 => {
                let Some(site) = article else {
                    return Seen::Skipped;
                };
                let Some(location) = resp.head.get("Location") else {
                    return Seen::Skipped;
                };
                let target = http::resolve(url, location);
                // The same article elsewhere (http → https, another host
                // name, case) is not a removal.
                if tealeaf_html::url::article_id(&target) == site.article_id() {
                    return Seen::Skipped;
                }
                return gone(origin, url, site, captured_at, resp.head.status);
            }
            _ => return Seen::Skipped,
        }
        // A site tealeaf knows says which of its pages are articles: its
        // home page and listings are not (stored as articles, they would
        // "change" with every crawl). Pages of other sites are all read.
        if site.as_ref().is_some_and(|s| s.kind != UrlKind::Article) {
            return Seen::Skipped;
        }
        let content_type = resp.head.get("Content-Type").map(str::to_string);
        let declared_html = content_type.as_deref().is_some_and(http::is_html_type);
        if !declared_html && !http::is_vague_type(content_type.as_deref()) {
            return Seen::Skipped;
        }
        let raw = match resp.body {
            Body::Read(bytes) => bytes,
            Body::TooLarge(size) if declared_html => {
                return Seen::Rejected(format!(
                "{at}page is {size} bytes, over the {MAX_PAGE_BYTES}-byte limit for one HTML page"
            ))
            }
            Body::TooLarge(_) => return Seen::Skipped,
        };
        let mut warnings = Vec::new();
        let chunked = resp
            .head
            .get("Transfer-Encoding")
            .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"));
        let body = if chunked {
            match http::dechunk(&raw, MAX_PAGE_BYTES) {
                Ok(b) => b,
                Err(e) => return Seen::Rejected(format!("{at}{e}")),
            }
        } else {
            raw
        };
        let body = match http::decode_content(
            body,
            resp.head.get("Content-Encoding"),
            MAX_PAGE_BYTES,
            &mut warnings,
        ) {
            Ok(b) => b,
            Err(e) => return Seen::Rejected(format!("{at}{e}")),
        };
        if !declared_html && !crate::html::looks_like_html(&body) {
            return Seen::Skipped;
        }
        if let Some(why) = crate::html::not_html_reason(&body) {
            return Seen::Rejected(format!("{at}{why}"));
        }
        let hints = Hints {
            url: Some(url.to_string()),
            content_type,
            captured_at: Some(captured_at),
            profile: None,
        };
        let mut page = match (self.extract)(&body, &hints) {
            Ok(page) => page,
            Err(e) => return Seen::Rejected(format!("{at}{}", crate::html::extract_message(&e))),
        };
        page.warnings.splice(0..0, warnings);
        if page.url.is_none() {
            page.url = Some(url.to_string());
        }
        match crate::html::page_record(
            page,
            origin,
            self.outlet.as_deref(),
            Some(captured_at),
            Some(200),
            &at,
        ) {
            Ok(rec) => Seen::Record(Box::new(rec)),
            Err(msg) => Seen::Rejected(msg),
        }
    }

    /// A revisit: the earlier response it names, captured again now.
    fn revisit(&mut self, offset: u64, rec: &Record, url: String, captured_at: DateTime<Utc>) {
        let at = format!("record at byte {offset}: ");
        let refers_url = rec
            .get("WARC-Refers-To-Target-URI")
            .map(strip_angle)
            .unwrap_or(&url)
            .to_string();
        let found = self.seen.find(
            rec.get("WARC-Refers-To").map(strip_angle),
            rec.get("WARC-Payload-Digest"),
            &refers_url,
        );
        match found.as_deref() {
            Some(Seen::Record(earlier)) => {
                let mut again = earlier.clone();
                again.origin = SourceRef::offset(&self.source, offset);
                again.captured_at = Some(captured_at);
                again.url = Some(url);
                // Reported with the earlier record already.
                again.warnings.clear();
                self.queue.push_back(Item::Record(again));
            }
            Some(Seen::Skipped) => self.skipped += 1,
            Some(Seen::Rejected(msg)) => {
                self.reject(offset, format!("{at}revisit of a rejected record ({msg})"))
            }
            None => {
                // A revisit of an image or a script is of no interest
                // whether its original is here or not.
                let content_type = match &rec.block {
                    Block::Http(Ok(resp)) => resp.head.get("Content-Type"),
                    _ => None,
                };
                if content_type
                    .is_some_and(|ct| !http::is_html_type(ct) && !http::is_vague_type(Some(ct)))
                {
                    self.skipped += 1;
                    return;
                }
                self.reject(
                    offset,
                    format!(
                        "{at}revisit of a record not in this file ({}): not read",
                        rec.get("WARC-Refers-To")
                            .or(rec.get("WARC-Payload-Digest"))
                            .unwrap_or(refers_url.as_str())
                    ),
                );
            }
        }
    }
}

impl<R: Read + Seek + Send> Iterator for WarcReader<R> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(item) = self.queue.pop_front() {
                return Some(item);
            }
            if !self.step() {
                return self.queue.pop_front();
            }
        }
    }
}

/// A removal: an article url that answered 404 or 410, or redirected
/// away from its article.
fn gone(
    origin: SourceRef,
    url: &str,
    site: &tealeaf_html::SiteUrl,
    captured_at: DateTime<Utc>,
    status: u16,
) -> Seen {
    Seen::Record(Box::new(CaptureRecord {
        origin,
        id: None,
        // Article urls are of profiled sites, which name their outlet.
        outlet: site.profile.outlet().unwrap_or("").to_string(),
        url: Some(url.to_string()),
        language: site.language.clone(),
        published: None,
        media: Vec::new(),
        photo_count: None,
        title: String::new(),
        paragraphs: Vec::new(),
        byline: None,
        captured_at: Some(captured_at),
        status: Some(status),
        warnings: Vec::new(),
        commentary: None,
        language_detected: false,
    }))
}

fn strip_angle(s: &str) -> &str {
    let s = s.trim();
    s.strip_prefix('<')
        .and_then(|s| s.strip_suffix('>'))
        .unwrap_or(s)
}

fn parse_date(s: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(s.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| s.trim().to_string())
}

fn starts_warc(buf: &[u8]) -> bool {
    let start = buf
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(buf.len());
    let buf = &buf[start..];
    let n = buf.len().min(7);
    n > 0 && buf[..n] == b"WARC/1."[..n]
}

/// What a response or revisit was, as remembered for later revisits.
#[derive(Debug)]
enum Seen {
    Record(Box<CaptureRecord>),
    /// Not a page, and not a removal.
    Skipped,
    Rejected(String),
}

impl Seen {
    fn text_bytes(&self) -> usize {
        match self {
            Seen::Record(r) => r.title.len() + r.paragraphs.iter().map(String::len).sum::<usize>(),
            Seen::Skipped => 0,
            Seen::Rejected(m) => m.len(),
        }
    }
}

/// Earlier responses of this file by record id and by payload digest, for
/// revisits; oldest forgotten first past `cap` ([`REMEMBERED`]).
struct Remembered {
    by_key: HashMap<String, Arc<Seen>>,
    order: VecDeque<(Vec<String>, Arc<Seen>)>,
    cap: usize,
    /// Text bytes held (titles and paragraphs), bounded by `cap_bytes`.
    bytes: usize,
    cap_bytes: usize,
}

impl Default for Remembered {
    fn default() -> Self {
        Remembered {
            by_key: HashMap::new(),
            order: VecDeque::new(),
            cap: REMEMBERED,
            bytes: 0,
            cap_bytes: REMEMBERED_BYTES,
        }
    }
}

impl Remembered {
    fn remember(&mut self, fields: &[(String, String)], url: &str, seen: Arc<Seen>) {
        let get = |name: &str| {
            fields
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.trim())
        };
        let mut keys = Vec::new();
        if let Some(id) = get("WARC-Record-ID") {
            keys.push(format!("id {}", strip_angle(id)));
        }
        if let Some(digest) = get("WARC-Payload-Digest") {
            keys.push(format!("digest {digest} {url}"));
            keys.push(format!("digest {digest}"));
        }
        for k in &keys {
            self.by_key.insert(k.clone(), seen.clone());
        }
        self.bytes += seen.text_bytes();
        self.order.push_back((keys, seen));
        while self.order.len() > self.cap || self.bytes > self.cap_bytes {
            let Some((keys, old)) = self.order.pop_front() else {
                break;
            };
            self.bytes = self.bytes.saturating_sub(old.text_bytes());
            for k in keys {
                // Only if no later record took the key over.
                if self.by_key.get(&k).is_some_and(|s| Arc::ptr_eq(s, &old)) {
                    self.by_key.remove(&k);
                }
            }
        }
    }

    fn find(&self, id: Option<&str>, digest: Option<&str>, url: &str) -> Option<Arc<Seen>> {
        let by = |k: String| self.by_key.get(&k).cloned();
        id.and_then(|id| by(format!("id {id}")))
            .or_else(|| digest.and_then(|d| by(format!("digest {d} {url}"))))
            .or_else(|| digest.and_then(|d| by(format!("digest {d}"))))
    }
}

/// A well-framed record: its headers and what was read of its block.
struct Record {
    fields: Vec<(String, String)>,
    block: Block,
}

impl Record {
    fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    }
}

enum Block {
    /// Not read: a record type or content that is never a page.
    Skipped,
    /// An HTTP response (or a revisit's HTTP head), or why it is not one.
    Http(Result<Response, String>),
}

struct Response {
    head: Head,
    body: Body,
}

enum Body {
    /// The body as sent (transfer and content codings still applied).
    Read(Vec<u8>),
    /// Too large to be a page: not read, its size.
    TooLarge(u64),
}

enum Fail {
    /// The file or gzip member ended inside the record.
    Cut(String),
    /// Not a well-formed record.
    Bad(String),
    /// Reading failed: corrupt gzip data, an I/O error.
    Io(io::Error),
}

struct Failure {
    fail: Fail,
    /// Where to look for the next record from.
    resync_from: u64,
}

impl From<io::Error> for Fail {
    fn from(e: io::Error) -> Fail {
        Fail::Io(e)
    }
}

/// Reads one record at the stream's position: version line, headers,
/// block, end of record.
fn read_record<R: Read + Seek>(s: &mut Stream<R>) -> Result<Record, Failure> {
    let start = s.pos;
    let head_fail = |fail: Fail| Failure {
        fail,
        resync_from: start + 1,
    };
    let version = match read_line(s, MAX_LINE).map_err(head_fail)? {
        Some(line) => line,
        None => return Err(head_fail(Fail::Cut("cut short".into()))),
    };
    if !version.starts_with(b"WARC/1.") {
        return Err(head_fail(Fail::Bad(format!(
            "not a WARC record: expected `WARC/1.0` or `WARC/1.1`, found `{}`",
            preview(&version)
        ))));
    }
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut header_bytes = 0;
    loop {
        let line = match read_line(s, MAX_LINE).map_err(head_fail)? {
            Some(line) => line,
            None => {
                return Err(head_fail(Fail::Cut(
                    "cut short in its headers (the data ends before the blank line)".into(),
                )))
            }
        };
        if line.is_empty() {
            break;
        }
        if line.ends_with(b"WARC/1.0") || line.ends_with(b"WARC/1.1") {
            // A version line glued to a header: this record was cut and
            // the next one starts here.
            return Err(head_fail(Fail::Cut(
                "cut short in its headers (the next record starts inside them)".into(),
            )));
        }
        header_bytes += line.len();
        if header_bytes > MAX_HEADERS {
            return Err(head_fail(Fail::Bad(format!(
                "headers over {MAX_HEADERS} bytes: not a WARC record"
            ))));
        }
        let text = String::from_utf8_lossy(&line);
        if line[0] == b' ' || line[0] == b'\t' {
            // A folded header line continues the one before.
            if let Some(last) = fields.last_mut() {
                last.1.push(' ');
                last.1.push_str(text.trim());
                continue;
            }
        }
        match text.split_once(':') {
            Some((name, value)) => fields.push((name.trim().to_string(), value.trim().to_string())),
            None => {
                return Err(head_fail(Fail::Bad(format!(
                    "malformed header line `{}`",
                    preview(&line)
                ))))
            }
        }
    }
    let get = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    let length: u64 = match get("Content-Length") {
        Some(v) => v
            .trim()
            .parse()
            .map_err(|_| head_fail(Fail::Bad(format!("Content-Length `{v}` is not a number"))))?,
        None => return Err(head_fail(Fail::Bad("no Content-Length header".into()))),
    };
    let kind = get("WARC-Type").unwrap_or("").to_ascii_lowercase();
    let http_like = get("Content-Type")
        .is_none_or(|ct| ct.to_ascii_lowercase().starts_with("application/http"));
    let block_start = s.pos;
    let block_fail = |fail: Fail| Failure {
        fail,
        resync_from: block_start,
    };
    let cut = |got: u64| {
        Fail::Cut(format!(
            "cut short: Content-Length says {length} bytes, the data ends after {got}"
        ))
    };
    let block = if (kind == "response" || kind == "revisit") && http_like {
        let head_len = length.min(MAX_HTTP_HEAD as u64) as usize;
        let mut head = read_n(s, head_len).map_err(block_fail)?;
        if head.len() < head_len {
            return Err(block_fail(cut(head.len() as u64)));
        }
        match http::parse_head(&head) {
            Ok(Some(h)) => {
                let body_len = length - h.len as u64;
                let body = if body_len > MAX_PAGE_BYTES as u64 {
                    let rest = length - head_len as u64;
                    let got = skip_n(s, rest).map_err(block_fail)?;
                    if got < rest {
                        return Err(block_fail(cut(head_len as u64 + got)));
                    }
                    Body::TooLarge(body_len)
                } else {
                    let rest = (length - head_len as u64) as usize;
                    let more = read_n(s, rest).map_err(block_fail)?;
                    if more.len() < rest {
                        return Err(block_fail(cut((head_len + more.len()) as u64)));
                    }
                    head.extend_from_slice(&more);
                    Body::Read(head.split_off(h.len))
                };
                Block::Http(Ok(Response { head: h, body }))
            }
            Ok(None) if length == 0 => Block::Skipped,
            Ok(None) => {
                let rest = length - head_len as u64;
                let got = skip_n(s, rest).map_err(block_fail)?;
                if got < rest {
                    return Err(block_fail(cut(head_len as u64 + got)));
                }
                Block::Http(Err(if rest > 0 {
                    format!("HTTP response head over {MAX_HTTP_HEAD} bytes: not read")
                } else {
                    "HTTP response head cut short".to_string()
                }))
            }
            Err(e) => {
                let rest = length - head_len as u64;
                let got = skip_n(s, rest).map_err(block_fail)?;
                if got < rest {
                    return Err(block_fail(cut(head_len as u64 + got)));
                }
                Block::Http(Err(e))
            }
        }
    } else {
        let got = skip_n(s, length).map_err(block_fail)?;
        if got < length {
            return Err(block_fail(cut(got)));
        }
        Block::Skipped
    };
    // The record ends with CRLF CRLF; anything else means the length was
    // wrong or the record was cut and another follows. The end of the data
    // right after the block is forgiven (a final record missing its end).
    for expected in *b"\r\n\r\n" {
        match s.fill_buf().map_err(|e| block_fail(Fail::Io(e)))?.first() {
            None => break,
            Some(&b) if b == expected => s.consume(1),
            Some(_) => {
                return Err(block_fail(Fail::Bad(format!(
                    "cut short, or its Content-Length ({length}) is wrong: no end of record after the block"
                ))))
            }
        }
    }
    Ok(Record { fields, block })
}

fn preview(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]);
    let mut s: String = text.trim().chars().take(60).collect();
    if text.chars().count() > 60 {
        s.push('…');
    }
    s
}

/// One line without its CR LF; `None` at the end of the data. A line cut
/// by the end of the data or longer than `max` fails.
fn read_line<B: BufRead>(s: &mut B, max: usize) -> Result<Option<Vec<u8>>, Fail> {
    let mut line = Vec::new();
    loop {
        let buf = s.fill_buf()?;
        if buf.is_empty() {
            if line.is_empty() {
                return Ok(None);
            }
            return Err(Fail::Cut(format!(
                "cut short in the line `{}`",
                preview(&line)
            )));
        }
        let (take, done) = match memchr::memchr(b'\n', buf) {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        line.extend_from_slice(&buf[..take]);
        s.consume(take);
        if line.len() > max {
            return Err(Fail::Bad(format!(
                "a line over {max} bytes: not a WARC record"
            )));
        }
        if done {
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            return Ok(Some(line));
        }
    }
}

/// Up to `n` bytes (fewer at the end of the data).
fn read_n<B: BufRead>(s: &mut B, n: usize) -> Result<Vec<u8>, Fail> {
    let mut out = Vec::with_capacity(n.min(1 << 20));
    s.take(n as u64).read_to_end(&mut out)?;
    Ok(out)
}

/// Skips up to `n` bytes; how many there were.
fn skip_n<B: BufRead>(s: &mut B, n: u64) -> Result<u64, Fail> {
    Ok(io::copy(&mut s.take(n), &mut io::sink())?)
}

/// Skips white space (and NUL padding) between records; false at the end
/// of the data.
fn skip_gap<B: BufRead>(s: &mut B) -> io::Result<bool> {
    loop {
        let buf = s.fill_buf()?;
        if buf.is_empty() {
            return Ok(false);
        }
        let n = buf
            .iter()
            .position(|b| !(b.is_ascii_whitespace() || *b == 0))
            .unwrap_or(buf.len());
        let more = n == buf.len();
        s.consume(n);
        if !more {
            return Ok(true);
        }
    }
}

/// Finds the next `WARC/1.0` or `WARC/1.1` followed by a line end, from
/// the stream's position; leaves the stream past it (the caller seeks).
/// Anywhere, not only at a line start: a record cut inside its header
/// line is followed by the next record on the same line.
fn scan_version<R: Read + Seek>(s: &mut Stream<R>) -> io::Result<Option<u64>> {
    const PAT: &[u8] = b"WARC/1.";
    let mut matched = 0usize;
    loop {
        let pos = s.pos;
        let buf = s.fill_buf()?;
        if buf.is_empty() {
            return Ok(None);
        }
        let mut found = None;
        let mut i = 0;
        while i < buf.len() {
            let b = buf[i];
            if matched == PAT.len() + 1 {
                // After `WARC/1.0` or `WARC/1.1`: a line end.
                if b == b'\r' || b == b'\n' {
                    found = Some(pos + i as u64 - matched as u64);
                    break;
                }
                matched = 0;
            }
            if matched == PAT.len() {
                matched = if b == b'0' || b == b'1' {
                    matched + 1
                } else {
                    0
                };
            } else if b == PAT[matched] {
                matched += 1;
            } else {
                matched = usize::from(b == PAT[0]);
            }
            i += 1;
        }
        if let Some(at) = found {
            return Ok(Some(at));
        }
        let n = buf.len();
        s.consume(n);
    }
}

/// Finds the next gzip magic (`1f 8b 08`) from `abs` (the reader's
/// position); leaves the reader there. Also says whether the bytes passed
/// over held anything but white space or NULs.
fn scan_magic<R: Read + Seek>(
    r: &mut BufReader<R>,
    mut abs: u64,
) -> io::Result<(Option<u64>, bool)> {
    let trivial = |b: &u8| *b == 0 || b.is_ascii_whitespace();
    let mut junk = false;
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok((None, junk));
        }
        let Some(i) = memchr::memchr(0x1f, buf) else {
            junk |= !buf.iter().all(trivial);
            let n = buf.len();
            r.consume(n);
            abs += n as u64;
            continue;
        };
        junk |= !buf[..i].iter().all(trivial);
        if i + 3 <= buf.len() {
            if buf[i + 1] == 0x8b && buf[i + 2] == 8 {
                r.consume(i);
                return Ok((Some(abs + i as u64), junk));
            }
            r.consume(i + 1);
            abs += i as u64 + 1;
            junk = true;
            continue;
        }
        // The magic may straddle the buffer's end.
        r.consume(i);
        abs += i as u64;
        let mut m = [0u8; 3];
        let got = read_up_to(r, &mut m)?;
        r.seek_relative(-(got as i64))?;
        if got == 3 && m == [0x1f, 0x8b, 8] {
            return Ok((Some(abs), junk));
        }
        r.fill_buf()?;
        r.consume(1);
        abs += 1;
        junk = true;
    }
}

/// Moves `r` to offset `at`, keeping its buffer when `at` is in it: a
/// plain seek would drop and refill it at every gzip member.
fn goto<R: Read + Seek>(r: &mut BufReader<R>, at: u64) -> io::Result<()> {
    let now = r.stream_position()?;
    if now != at {
        r.seek_relative(at as i64 - now as i64)?;
    }
    Ok(())
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// The data records are read from: the plain file, or the decompressed
/// bytes of the current gzip member. `pos` is the offset in it.
struct Stream<R: Read + Seek> {
    kind: Kind<R>,
    pos: u64,
}

enum Kind<R: Read + Seek> {
    Plain(BufReader<R>),
    Member(Box<Member<R>>),
    Done,
}

struct Member<R: Read + Seek> {
    /// Compressed offset of the member in the file.
    start: u64,
    /// Decompressed bytes of the members before it.
    base: u64,
    dec: BufReader<GzDecoder<BufReader<R>>>,
}

impl<R: Read + Seek> Stream<R> {
    /// The offset a record starting at `pos` is reported at: its place in
    /// a plain file; for gzip, the compressed offset of its member when
    /// it starts one (as CDX indexes give it), else its place in the
    /// decompressed data (a file gzipped whole).
    fn offset_of(&self, pos: u64) -> u64 {
        match &self.kind {
            Kind::Member(m) if pos == 0 => m.start,
            Kind::Member(m) => m.base + pos,
            _ => pos,
        }
    }

    /// Goes to offset `to` of the current plain file or gzip member (a
    /// member is decompressed again from its start when going back).
    fn seek_to(&mut self, to: u64) -> io::Result<()> {
        if let Kind::Plain(r) = &mut self.kind {
            r.seek(SeekFrom::Start(to))?;
            self.pos = to;
            return Ok(());
        }
        if !matches!(self.kind, Kind::Member(_)) {
            return Ok(());
        }
        if to >= self.pos {
            let n = to - self.pos;
            return skip_n(self, n).map(|_| ()).map_err(|f| match f {
                Fail::Io(e) => e,
                Fail::Cut(m) | Fail::Bad(m) => io::Error::other(m),
            });
        }
        let Kind::Member(m) = std::mem::replace(&mut self.kind, Kind::Done) else {
            return Ok(());
        };
        let mut inner = m.dec.into_inner().into_inner();
        inner.seek(SeekFrom::Start(m.start))?;
        let mut dec = BufReader::with_capacity(64 * 1024, GzDecoder::new(inner));
        io::copy(&mut (&mut dec).take(to), &mut io::sink())?;
        self.kind = Kind::Member(Box::new(Member {
            start: m.start,
            base: m.base,
            dec,
        }));
        self.pos = to;
        Ok(())
    }
}

impl<R: Read + Seek> Read for Stream<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = {
            let avail = self.fill_buf()?;
            let n = avail.len().min(buf.len());
            buf[..n].copy_from_slice(&avail[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read + Seek> BufRead for Stream<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        match &mut self.kind {
            Kind::Plain(r) => r.fill_buf(),
            Kind::Member(m) => m.dec.fill_buf(),
            Kind::Done => Ok(&[]),
        }
    }

    fn consume(&mut self, n: usize) {
        self.pos += n as u64;
        match &mut self.kind {
            Kind::Plain(r) => r.consume(n),
            Kind::Member(m) => m.dec.consume(n),
            Kind::Done => {}
        }
    }
}

/// Whether the first bytes of an input (decompressed) are a WARC record.
pub fn looks_like_warc(head: &[u8]) -> bool {
    head.starts_with(b"WARC/1.")
}

#[cfg(test)]
mod tests;
