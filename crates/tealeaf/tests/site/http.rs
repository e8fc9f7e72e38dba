//! A small HTTP/1.1 server for the fixtures: `std::net::TcpListener` on
//! `127.0.0.1:0`, a thread per connection, one request per connection
//! (`Connection: close`), every request recorded as a [`Hit`]. Plus the
//! small codecs the fixtures need (hashes, base64/32, dates, percent
//! decoding), std only.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// How long a connection may take to send its request head.
const READ_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one write may block (a client that stops reading).
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest request head read.
const MAX_HEAD: usize = 64 * 1024;

/// One request the fixture answered.
#[derive(Debug, Clone)]
pub struct Hit {
    /// The request's host, lowercased, without port and `www.`
    /// (`rodong.rep.kp`, `kcna.kp`, `127.0.0.1`).
    pub host: String,
    pub method: String,
    /// Path and query as requested (`/en/index.php?MUAxQA==`).
    pub target: String,
    /// Request headers, names lowercased, in order.
    pub headers: Vec<(String, String)>,
    /// When the request head had been read.
    pub started: Instant,
    /// When the response was written (or the client went away).
    pub finished: Instant,
    pub status: u16,
    /// Body bytes written.
    pub sent: u64,
    /// Whether the whole response was written (false when the client
    /// closed early, e.g. on a size cap).
    pub complete: bool,
}

impl Hit {
    /// A request header's value (name in any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        header_of(&self.headers, name)
    }

    /// The target without its query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    pub fn duration(&self) -> Duration {
        self.finished.saturating_duration_since(self.started)
    }
}

fn header_of<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// A parsed request.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// Path and query (an absolute-form target is cut to its path).
    pub target: String,
    /// See [`Hit::host`].
    pub host: String,
    pub headers: Vec<(String, String)>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        header_of(&self.headers, name)
    }

    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    pub fn query(&self) -> &str {
        self.target.split_once('?').map_or("", |(_, q)| q)
    }
}

/// A response body.
#[derive(Debug, Clone)]
pub enum Body {
    Bytes(Vec<u8>),
    /// `head`, then `unit` repeated (the last one cut) to `len` bytes in
    /// all: streamed, never held in memory.
    Filler {
        head: Vec<u8>,
        unit: Vec<u8>,
        len: u64,
    },
}

impl Body {
    pub fn len(&self) -> u64 {
        match self {
            Body::Bytes(b) => b.len() as u64,
            Body::Filler { len, .. } => *len,
        }
    }
}

/// A response to write.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Body,
    /// Waited before the response is written (the request counts as in
    /// flight meanwhile).
    pub delay: Duration,
    /// Whether to send `Content-Length` (without it the body ends when the
    /// connection closes).
    pub content_length: bool,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".to_string(), content_type.to_string())],
            body: Body::Bytes(body.into()),
            delay: Duration::ZERO,
            content_length: true,
        }
    }

    pub fn html(status: u16, body: impl Into<Vec<u8>>) -> Response {
        Response::new(status, "text/html; charset=utf-8", body)
    }

    pub fn text(status: u16, body: impl Into<Vec<u8>>) -> Response {
        Response::new(status, "text/plain; charset=utf-8", body)
    }

    pub fn not_found() -> Response {
        Response::html(
            404,
            "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>\n",
        )
    }

    pub fn redirect(status: u16, location: &str) -> Response {
        Response::html(
            status,
            format!("<html><body><a href=\"{location}\">moved</a></body></html>\n"),
        )
        .with_header("Location", location)
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        header_of(&self.headers, name)
    }

    pub fn bytes(&self) -> Option<&[u8]> {
        match &self.body {
            Body::Bytes(b) => Some(b),
            Body::Filler { .. } => None,
        }
    }
}

pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// `"` + FNV-1a of the body in hex + `"`.
pub fn etag_of(body: &[u8]) -> String {
    format!("\"{:016x}\"", fnv64(body))
}

/// Adds `ETag` (and `Last-Modified` when given) to a 200 response with a
/// byte body, and answers 304 instead when the request's `If-None-Match`
/// names that ETag (or, without `If-None-Match`, its `If-Modified-Since`
/// is not before `last_modified`).
pub fn conditional(req: &Request, resp: Response, last_modified: Option<&str>) -> Response {
    let Some(body) = resp.bytes().filter(|_| resp.status == 200) else {
        return resp;
    };
    let etag = etag_of(body);
    let mut resp = resp.with_header("ETag", &etag);
    if let Some(lm) = last_modified {
        resp = resp.with_header("Last-Modified", lm);
    }
    let fresh = match req.header("if-none-match") {
        Some(inm) => inm
            .split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == etag || t == "*"),
        None => match (
            req.header("if-modified-since").and_then(parse_http_date),
            last_modified.and_then(parse_http_date),
        ) {
            (Some(since), Some(lm)) => since >= lm,
            _ => false,
        },
    };
    if !fresh {
        return resp;
    }
    let mut not_modified = Response::new(304, "", Vec::new());
    not_modified.headers = vec![("ETag".to_string(), etag)];
    if let Some(lm) = last_modified {
        not_modified = not_modified.with_header("Last-Modified", lm);
    }
    not_modified
}

#[derive(Default)]
struct State {
    stop: AtomicBool,
    hits: Mutex<Vec<Hit>>,
    /// Per host: (in flight now, most in flight at once).
    flight: Mutex<HashMap<String, (usize, usize)>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

type Handler = Arc<dyn Fn(&Request) -> Response + Send + Sync>;

/// A listening server; stops accepting (and ends its accept thread) when
/// dropped. Connection threads end on their own: each serves one request,
/// with read/write timeouts, and stops delays and streaming at drop.
pub struct Server {
    addr: SocketAddr,
    state: Arc<State>,
    accept: Option<JoinHandle<()>>,
}

impl Server {
    pub fn start(
        name: &str,
        handler: impl Fn(&Request) -> Response + Send + Sync + 'static,
    ) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("binds 127.0.0.1:0");
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let state = Arc::new(State::default());
        let handler: Handler = Arc::new(handler);
        let st = state.clone();
        let conn_name = format!("{name}-conn");
        let accept = thread::Builder::new()
            .name(format!("{name}-accept"))
            .spawn(move || {
                for conn in listener.incoming() {
                    if st.stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = conn else {
                        thread::sleep(Duration::from_millis(5));
                        continue;
                    };
                    let (st, handler) = (st.clone(), handler.clone());
                    // A thread that cannot start drops the connection.
                    let _ = thread::Builder::new()
                        .name(conn_name.clone())
                        .spawn(move || serve(stream, &st, &*handler));
                }
            })
            .expect("spawns the accept thread");
        Server {
            addr,
            state,
            accept: Some(accept),
        }
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// `127.0.0.1:PORT`.
    pub fn addr(&self) -> String {
        self.addr.to_string()
    }

    /// Every request answered so far, in the order they started.
    pub fn hits(&self) -> Vec<Hit> {
        let mut hits = lock(&self.state.hits).clone();
        hits.sort_by_key(|h| h.started);
        hits
    }

    /// Forgets the hits and the in-flight maxima.
    pub fn clear_hits(&self) {
        lock(&self.state.hits).clear();
        for v in lock(&self.state.flight).values_mut() {
            v.1 = v.0;
        }
    }

    /// The most requests to `host` (see [`Hit::host`]) served at once.
    pub fn max_in_flight(&self, host: &str) -> usize {
        lock(&self.state.flight)
            .get(&bare_host(host))
            .map_or(0, |v| v.1)
    }

    /// Requests being served now, all hosts.
    pub fn in_flight(&self) -> usize {
        lock(&self.state.flight).values().map(|v| v.0).sum()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::SeqCst);
        // Wakes the blocking accept.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(t) = self.accept.take() {
            let _ = t.join();
        }
    }
}

fn serve(stream: TcpStream, state: &State, handler: &(dyn Fn(&Request) -> Response + Send + Sync)) {
    let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let Some(head) = read_head(&stream) else {
        return; // closed or timed out before a request: nothing to record
    };
    if state.stop.load(Ordering::SeqCst) {
        return;
    }
    let started = Instant::now();
    let (req, resp) = match parse_request(&head) {
        Some(req) => {
            enter(state, &req.host);
            let resp = if req.method == "GET" || req.method == "HEAD" {
                handler(&req)
            } else {
                Response::text(405, "method not allowed\n").with_header("Allow", "GET, HEAD")
            };
            (req, resp)
        }
        None => {
            let req = Request {
                method: String::new(),
                target: String::new(),
                host: String::new(),
                headers: Vec::new(),
            };
            enter(state, "");
            (req, Response::text(400, "bad request\n"))
        }
    };
    let wait_until = started + resp.delay;
    while Instant::now() < wait_until && !state.stop.load(Ordering::SeqCst) {
        thread::sleep(Duration::from_millis(10).min(wait_until - Instant::now()));
    }
    let (sent, complete) = write_response(&stream, &req, &resp, &state.stop);
    {
        let mut flight = lock(&state.flight);
        if let Some(v) = flight.get_mut(&req.host) {
            v.0 = v.0.saturating_sub(1);
        }
    }
    lock(&state.hits).push(Hit {
        host: req.host,
        method: req.method,
        target: req.target,
        headers: req.headers,
        started,
        finished: Instant::now(),
        status: resp.status,
        sent,
        complete,
    });
    // Closed only once recorded: a client that reads to the end of the
    // response finds its hit in `hits()`.
    let _ = stream.shutdown(Shutdown::Write);
}

fn enter(state: &State, host: &str) {
    let mut flight = lock(&state.flight);
    let v = flight.entry(host.to_string()).or_default();
    v.0 += 1;
    v.1 = v.1.max(v.0);
}

/// The request head (request line and headers), or None when the client
/// sent none.
fn read_head(mut stream: &TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        if find(&buf, b"\r\n\r\n").is_some() || find(&buf, b"\n\n").is_some() {
            break;
        }
        if buf.len() > MAX_HEAD {
            break;
        }
    }
    if buf.is_empty() {
        return None;
    }
    Some(String::from_utf8_lossy(&buf).into_owned())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn parse_request(head: &str) -> Option<Request> {
    let mut lines = head.split('\n').map(|l| l.trim_end_matches('\r'));
    let mut first = lines.next()?.split_whitespace();
    let method = first.next()?.to_string();
    let mut target = first.next()?.to_string();
    if !first.next()?.starts_with("HTTP/") {
        return None;
    }
    let mut headers = Vec::new();
    for line in lines {
        if line.is_empty() {
            break;
        }
        let (k, v) = line.split_once(':')?;
        headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
    }
    let mut host = header_of(&headers, "host").unwrap_or("").to_string();
    // Absolute form (`GET http://www.kcna.kp/en/ HTTP/1.1`), as to a proxy.
    let absolute = target
        .strip_prefix("http://")
        .or_else(|| target.strip_prefix("https://"))
        .map(str::to_string);
    if let Some(rest) = absolute {
        let at = rest.find(['/', '?']).unwrap_or(rest.len());
        host = rest[..at].to_string();
        target = match &rest[at..] {
            "" => "/".to_string(),
            p if p.starts_with('?') => format!("/{p}"),
            p => p.to_string(),
        };
    }
    Some(Request {
        method,
        target,
        host: bare_host(&host),
        headers,
    })
}

/// `WWW.Rodong.rep.kp:8080` → `rodong.rep.kp`; also takes a url.
pub fn bare_host(host: &str) -> String {
    let host = host.split_once("://").map_or(host, |(_, r)| r);
    let host = host.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or("");
    let host = match host.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    };
    let host = host.to_ascii_lowercase();
    host.strip_prefix("www.").unwrap_or(&host).to_string()
}

/// `http://www.kcna.kp/en/?a` → (`kcna.kp`, `/en/?a`).
pub fn split_url(url: &str) -> (String, String) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let at = rest.find(['/', '?']).unwrap_or(rest.len());
    let target = match &rest[at..] {
        "" => "/".to_string(),
        p if p.starts_with('?') => format!("/{p}"),
        p => p.to_string(),
    };
    (
        bare_host(&rest[..at]),
        target.split('#').next().unwrap_or("").to_string(),
    )
}

/// Writes the response; (body bytes written, whether all was written).
fn write_response(
    mut stream: &TcpStream,
    req: &Request,
    resp: &Response,
    stop: &AtomicBool,
) -> (u64, bool) {
    let no_body = resp.status == 304 || resp.status == 204 || (100..200).contains(&resp.status);
    let mut head = format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status));
    for (k, v) in &resp.headers {
        if !(k.eq_ignore_ascii_case("content-type") && v.is_empty()) {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
    }
    if resp.content_length && !no_body {
        head.push_str(&format!("Content-Length: {}\r\n", resp.body.len()));
    }
    head.push_str("Server: tealeaf-fixture\r\nConnection: close\r\n\r\n");
    if stream.write_all(head.as_bytes()).is_err() {
        return (0, false);
    }
    if no_body || req.method == "HEAD" {
        return (0, stream.flush().is_ok());
    }
    match &resp.body {
        Body::Bytes(b) => match stream.write_all(b) {
            Ok(()) => (b.len() as u64, stream.flush().is_ok()),
            Err(_) => (0, false),
        },
        Body::Filler { head, unit, len } => {
            let mut sent = 0u64;
            let first = &head[..head.len().min(*len as usize)];
            if stream.write_all(first).is_err() {
                return (0, false);
            }
            sent += first.len() as u64;
            while sent < *len {
                if stop.load(Ordering::SeqCst) || unit.is_empty() {
                    return (sent, false);
                }
                let n = unit.len().min((*len - sent) as usize);
                if stream.write_all(&unit[..n]).is_err() {
                    return (sent, false);
                }
                sent += n as u64;
            }
            (sent, stream.flush().is_ok())
        }
    }
}

// ---- codecs -------------------------------------------------------------

/// FNV-1a, 64 bits: stable across runs and Rust versions.
pub fn fnv64(data: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in data {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// SHA-1 (what the Wayback Machine's CDX digests are, in base32).
pub fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let mut msg = data.to_vec();
    let bits = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bits.to_be_bytes());
    for block in msg.chunks(64) {
        let mut w = [0u32; 80];
        for (i, word) in block.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (hv, v) in h.iter_mut().zip([a, b, c, d, e]) {
            *hv = hv.wrapping_add(v);
        }
    }
    let mut out = [0u8; 20];
    for (chunk, v) in out.chunks_mut(4).zip(h) {
        chunk.copy_from_slice(&v.to_be_bytes());
    }
    out
}

/// RFC 4648 base32, no padding.
pub fn base32(data: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in data {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((acc >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((acc << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Standard base64 with padding.
pub fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub fn hex(data: &[u8]) -> String {
    data.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// `%XX` decoding; `+` is a space when `plus` (query strings).
pub fn percent_decode(s: &str, plus: bool) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let decoded = s
                    .get(i + 1..i + 3)
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match decoded {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' if plus => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A query string's pairs, decoded.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k, true), percent_decode(v, true))
        })
        .collect()
}

/// `&`, `<`, `>`, `"` as entities.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// Days since 1970-01-01 of a civil date.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of days since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

pub const WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// 0 = Sunday.
pub fn weekday(days: i64) -> usize {
    (days + 4).rem_euclid(7) as usize
}

/// `YYYY-MM-DD` → days since 1970-01-01.
pub fn parse_iso_date(date: &str) -> Option<i64> {
    let mut it = date.split('-');
    let y = it.next()?.parse().ok()?;
    let m = it.next()?.parse().ok()?;
    let d = it.next()?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| days_from_civil(y, m, d))
}

/// Seconds since the epoch → IMF-fixdate (`Sun, 01 Feb 2026 01:00:00 GMT`).
pub fn http_date(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{}, {d:02} {} {y} {:02}:{:02}:{:02} GMT",
        &WEEKDAYS[weekday(days)][..3],
        MONTHS[m as usize - 1],
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// IMF-fixdate → seconds since the epoch.
pub fn parse_http_date(s: &str) -> Option<i64> {
    let mut it = s.split_whitespace().skip(1);
    let d: u32 = it.next()?.parse().ok()?;
    let mon = it.next()?;
    let m = MONTHS.iter().position(|x| x.eq_ignore_ascii_case(mon))? as u32 + 1;
    let y: i64 = it.next()?.parse().ok()?;
    let hms: Vec<i64> = it
        .next()?
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    if hms.len() != 3 {
        return None;
    }
    Some(days_from_civil(y, m, d) * 86_400 + hms[0] * 3600 + hms[1] * 60 + hms[2])
}
