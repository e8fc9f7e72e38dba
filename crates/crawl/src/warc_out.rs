//! The WARC files the collectors write under the data directory
//! (`warc/`): a `warcinfo` record first, then a `request` and a `response`
//! record for every fetch, each record its own gzip member, a new file when
//! one passes its size, and every fetch flushed to disk before the crawl
//! state says it happened (a kill leaves at worst a record cut at its end,
//! which the reader skips).
//!
//! Why not the `warc` crate's writer: it writes one record at a time well,
//! but neither per-record gzip members nor the offsets the crawler records
//! for ingest; the record format itself is a version line, headers and a
//! block, written here in a few lines.
//!
//! Must not touch: fetching, the archive (the caller ingests what is
//! written).

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use flate2::write::GzEncoder;
use flate2::Compression;

use crate::fetch::Exchange;

/// A new file is started past this many bytes.
pub const DEFAULT_ROTATE_BYTES: u64 = 256 * 1024 * 1024;

/// Writes the WARC files of one run.
pub struct WarcWriter {
    dir: PathBuf,
    /// `crawl` or `wayback`: the files' name prefix.
    kind: String,
    started: String,
    serial: u32,
    rotate_bytes: u64,
    user_agent: String,
    current: Option<(File, String, u64)>,
}

/// Where a write ended: the file (relative to the data directory) and its
/// size after the write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub file: String,
    pub end: u64,
}

impl WarcWriter {
    pub fn new(data_root: &Path, kind: &str, user_agent: &str, rotate_bytes: u64) -> WarcWriter {
        WarcWriter {
            dir: data_root.join("warc"),
            kind: kind.to_string(),
            started: Utc::now().format("%Y%m%dT%H%M%SZ").to_string(),
            serial: 0,
            rotate_bytes,
            user_agent: user_agent.to_string(),
            current: None,
        }
    }

    /// Writes a fetch: its request and response. `target` and `date` are
    /// what the records say (for a Wayback capture, the original url and
    /// the capture's time), `extra` more response-record headers.
    pub fn write_exchange(
        &mut self,
        x: &Exchange,
        target: &str,
        date: DateTime<Utc>,
        extra: &[(&str, String)],
    ) -> io::Result<Written> {
        let request_id = record_id();
        let response_id = record_id();
        let mut block = x.response_head();
        block.extend_from_slice(&x.body);
        let mut response_headers = vec![
            ("WARC-Type", "response".to_string()),
            ("WARC-Record-ID", response_id.clone()),
            ("WARC-Date", warc_date(date)),
            ("WARC-Target-URI", target.to_string()),
            ("Content-Type", "application/http;msgtype=response".into()),
        ];
        if let Some(ip) = x.ip {
            response_headers.push(("WARC-IP-Address", ip.to_string()));
        }
        response_headers.extend(extra.iter().map(|(n, v)| (*n, v.clone())));
        let mut bytes = record(&response_headers, &block)?;
        bytes.extend(record(
            &[
                ("WARC-Type", "request".to_string()),
                ("WARC-Record-ID", request_id),
                ("WARC-Date", warc_date(date)),
                ("WARC-Target-URI", target.to_string()),
                ("WARC-Concurrent-To", response_id),
                ("Content-Type", "application/http;msgtype=request".into()),
            ],
            &x.request_head,
        )?);
        self.append(&bytes)
    }

    fn append(&mut self, bytes: &[u8]) -> io::Result<Written> {
        if self
            .current
            .as_ref()
            .is_some_and(|(_, _, size)| *size >= self.rotate_bytes)
        {
            self.current = None;
        }
        if self.current.is_none() {
            self.open_next()?;
        }
        let Some((file, name, size)) = self.current.as_mut() else {
            return Err(io::Error::other("no WARC file open"));
        };
        file.write_all(bytes)?;
        file.sync_data()?;
        *size += bytes.len() as u64;
        Ok(Written {
            file: name.clone(),
            end: *size,
        })
    }

    fn open_next(&mut self) -> io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        loop {
            self.serial += 1;
            let name = format!(
                "tealeaf-{}-{}-{:05}.warc.gz",
                self.kind, self.started, self.serial
            );
            let path = self.dir.join(&name);
            let mut file = match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(f) => f,
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            };
            let info = format!(
                "software: tealeaf/{}\r\nformat: WARC File Format 1.1\r\n\
                 conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n\
                 robots: obey\r\nhttp-header-user-agent: {}\r\n",
                env!("CARGO_PKG_VERSION"),
                self.user_agent
            );
            let bytes = record(
                &[
                    ("WARC-Type", "warcinfo".to_string()),
                    ("WARC-Record-ID", record_id()),
                    ("WARC-Date", warc_date(Utc::now())),
                    ("WARC-Filename", name.clone()),
                    ("Content-Type", "application/warc-fields".into()),
                ],
                info.as_bytes(),
            )?;
            file.write_all(&bytes)?;
            file.sync_data()?;
            let rel = format!("warc/{name}");
            self.current = Some((file, rel, bytes.len() as u64));
            return Ok(());
        }
    }
}

fn warc_date(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A random (version 4) UUID as a WARC record id.
fn record_id() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "<urn:uuid:{}-{}-{}-{}-{}>",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// One record, gzipped as its own member.
fn record(headers: &[(&str, String)], block: &[u8]) -> io::Result<Vec<u8>> {
    let mut raw = Vec::with_capacity(block.len() + 512);
    raw.extend_from_slice(b"WARC/1.1\r\n");
    for (name, value) in headers {
        // A header value never carries a line break into the record.
        let value: String = value.chars().filter(|c| *c != '\r' && *c != '\n').collect();
        raw.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    raw.extend_from_slice(format!("Content-Length: {}\r\n\r\n", block.len()).as_bytes());
    raw.extend_from_slice(block);
    raw.extend_from_slice(b"\r\n\r\n");
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    gz.write_all(&raw)?;
    gz.finish()
}
