//! The HTTP messages inside WARC records: a response's status line and
//! headers (httparse), its body's transfer and content codings (chunked,
//! gzip, deflate), and resolving a redirect's `Location`.
//!
//! Must not touch: WARC framing (`warc`), reading pages (`tealeaf-html`).

use std::io::Read;

/// A parsed response head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub status: u16,
    /// Header names as sent (compare without case), values lossy UTF-8.
    pub headers: Vec<(String, String)>,
    /// Bytes of the status line and headers, blank line included.
    pub len: usize,
}

impl Head {
    /// The first value of header `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    }
}

/// Parses an HTTP response head at the start of `bytes`. `Ok(None)` when
/// `bytes` ends before the head does.
pub fn parse_head(bytes: &[u8]) -> Result<Option<Head>, String> {
    let mut size = 64;
    loop {
        let mut headers = vec![httparse::EMPTY_HEADER; size];
        let mut resp = httparse::Response::new(&mut headers);
        // Crawled servers are sloppy; what matters is status and a few
        // headers, so the lenient options are on.
        let parsed = httparse::ParserConfig::default()
            .allow_spaces_after_header_name_in_responses(true)
            .allow_obsolete_multiline_headers_in_responses(true)
            .allow_multiple_spaces_in_response_status_delimiters(true)
            .parse_response(&mut resp, bytes);
        return match parsed {
            Ok(httparse::Status::Complete(len)) => Ok(Some(Head {
                status: resp.code.unwrap_or(0),
                headers: resp
                    .headers
                    .iter()
                    .map(|h| {
                        (
                            h.name.to_string(),
                            String::from_utf8_lossy(h.value).into_owned(),
                        )
                    })
                    .collect(),
                len,
            })),
            Ok(httparse::Status::Partial) => Ok(None),
            Err(httparse::Error::TooManyHeaders) if size < 1024 => {
                size *= 4;
                continue;
            }
            Err(e) => Err(format!("not an HTTP response ({e})")),
        };
    }
}

/// Whether a `Content-Type` names an HTML page.
pub fn is_html_type(content_type: &str) -> bool {
    let media = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    matches!(media.as_str(), "text/html" | "application/xhtml+xml")
}

/// Whether a `Content-Type` leaves the kind of body open (absent, or
/// generic), so that the body itself must tell.
pub fn is_vague_type(content_type: Option<&str>) -> bool {
    match content_type {
        None => true,
        Some(ct) => {
            let media = ct
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            matches!(
                media.as_str(),
                "" | "application/octet-stream" | "text/plain" | "unknown/unknown"
            )
        }
    }
}

/// Undoes `Transfer-Encoding: chunked`. Trailers are dropped; a body cut
/// inside a chunk is an error.
pub fn dechunk(body: &[u8], limit: usize) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    loop {
        let eol = rest
            .windows(2)
            .position(|w| w == b"\r\n")
            .or_else(|| rest.iter().position(|&b| b == b'\n'))
            .ok_or("chunked body cut short (no chunk size line)")?;
        let line = String::from_utf8_lossy(&rest[..eol]);
        let size_text = line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| format!("chunked body: bad chunk size `{size_text}`"))?;
        let skip = if rest[eol] == b'\r' { 2 } else { 1 };
        rest = &rest[eol + skip..];
        if size == 0 {
            return Ok(out);
        }
        if size > rest.len() {
            return Err(format!(
                "chunked body cut short: a chunk of {size} bytes has {} left",
                rest.len()
            ));
        }
        if out.len() + size > limit {
            return Err(format!("body over the {limit}-byte limit once de-chunked"));
        }
        out.extend_from_slice(&rest[..size]);
        rest = &rest[size..];
        rest = rest
            .strip_prefix(b"\r\n")
            .or_else(|| rest.strip_prefix(b"\n"))
            .unwrap_or(rest);
    }
}

/// Undoes a `Content-Encoding` (gzip, deflate, identity), reading at most
/// `limit` decoded bytes. A body that does not decode as declared but
/// already looks like a page (some crawlers store bodies decoded while
/// keeping the header) is kept as is, with a warning.
pub fn decode_content(
    body: Vec<u8>,
    encoding: Option<&str>,
    limit: usize,
    warnings: &mut Vec<String>,
) -> Result<Vec<u8>, String> {
    let codings: Vec<String> = encoding
        .unwrap_or("")
        .split(',')
        .map(|c| c.trim().to_ascii_lowercase())
        .filter(|c| !c.is_empty() && c != "identity")
        .collect();
    let mut bytes = body;
    // Codings apply in the order listed: undo them last to first.
    for coding in codings.iter().rev() {
        let decoded = match coding.as_str() {
            "gzip" | "x-gzip" => inflate(flate2::read::MultiGzDecoder::new(&bytes[..]), limit),
            "deflate" => {
                // Servers send zlib-wrapped or raw deflate under this name.
                inflate(flate2::read::ZlibDecoder::new(&bytes[..]), limit)
                    .or_else(|_| inflate(flate2::read::DeflateDecoder::new(&bytes[..]), limit))
            }
            other => {
                return Err(format!(
                    "Content-Encoding `{other}` is not supported (gzip and deflate are)"
                ))
            }
        };
        bytes = match decoded {
            Ok(d) => d,
            Err(e) if e.starts_with("body over") => return Err(e),
            Err(e) if crate::html::looks_like_html(&bytes) => {
                warnings.push(format!(
                    "Content-Encoding says {coding} but the body is not ({e}); read as it is"
                ));
                bytes
            }
            Err(e) => return Err(format!("body does not decode as {coding}: {e}")),
        };
    }
    Ok(bytes)
}

fn inflate(decoder: impl Read, limit: usize) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    decoder
        .take(limit as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| e.to_string())?;
    if out.len() > limit {
        return Err(format!(
            "body over the {limit}-byte limit once decompressed"
        ));
    }
    Ok(out)
}

/// Resolves a `Location` against the url that answered with it (absolute,
/// scheme-relative, host-relative and path-relative forms).
pub fn resolve(base: &str, location: &str) -> String {
    let location = location.trim();
    // Absolute only when it starts with a scheme: a relative Location may
    // carry a url in its query (`/a?from=http://x`).
    let scheme_len = location.find(':').filter(|&i| {
        i > 0
            && location[..i].starts_with(|c: char| c.is_ascii_alphabetic())
            && location[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
    });
    if scheme_len.is_some() {
        return location.to_string();
    }
    let (scheme, rest) = base.split_once("://").unwrap_or(("http", base));
    if let Some(net) = location.strip_prefix("//") {
        return format!("{scheme}://{net}");
    }
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..host_end];
    if location.starts_with('/') {
        return format!("{scheme}://{host}{location}");
    }
    let path = &rest[host_end..];
    let path = path.split(['?', '#']).next().unwrap_or("");
    if location.starts_with('?') {
        return format!("{scheme}://{host}{path}{location}");
    }
    let dir = match path.rfind('/') {
        Some(i) => &path[..=i],
        None => "/",
    };
    format!("{scheme}://{host}{dir}{location}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn heads() {
        let raw =
            b"HTTP/1.1 301 Moved Permanently\r\nLocation: /en/\r\nContent-Length: 0\r\n\r\nrest";
        let h = parse_head(raw).unwrap().unwrap();
        assert_eq!(h.status, 301);
        assert_eq!(h.get("location"), Some("/en/"));
        assert_eq!(&raw[h.len..], b"rest");
        assert_eq!(parse_head(b"HTTP/1.1 200 OK\r\nContent-").unwrap(), None);
        assert!(parse_head(b"<html>").is_err());
    }

    #[test]
    fn chunked() {
        let body = b"5\r\nHello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: 1\r\n\r\n";
        assert_eq!(dechunk(body, 100).unwrap(), b"Hello, world");
        assert!(dechunk(b"a\r\nshort", 100)
            .unwrap_err()
            .contains("cut short"));
        assert!(dechunk(b"zz\r\n", 100)
            .unwrap_err()
            .contains("bad chunk size"));
        assert!(dechunk(body, 3).unwrap_err().contains("limit"));
    }

    #[test]
    fn content_codings() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"<html>hi</html>").unwrap();
        let gz = gz.finish().unwrap();
        let mut w = Vec::new();
        assert_eq!(
            decode_content(gz.clone(), Some("gzip"), 100, &mut w).unwrap(),
            b"<html>hi</html>"
        );
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(b"<p>x</p>").unwrap();
        assert_eq!(
            decode_content(z.finish().unwrap(), Some("deflate"), 100, &mut w).unwrap(),
            b"<p>x</p>"
        );
        let mut raw =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        raw.write_all(b"<p>y</p>").unwrap();
        assert_eq!(
            decode_content(raw.finish().unwrap(), Some("deflate"), 100, &mut w).unwrap(),
            b"<p>y</p>"
        );
        assert!(w.is_empty());
        // Declared gzip, stored decoded: kept, with a warning.
        let plain = b"<!DOCTYPE html><p>z</p>".to_vec();
        assert_eq!(
            decode_content(plain.clone(), Some("gzip"), 100, &mut w).unwrap(),
            plain
        );
        assert_eq!(w.len(), 1);
        assert!(decode_content(gz, Some("gzip"), 5, &mut w)
            .unwrap_err()
            .contains("limit"));
        assert!(decode_content(b"x".to_vec(), Some("br"), 100, &mut w)
            .unwrap_err()
            .contains("`br` is not supported"));
    }

    #[test]
    fn locations() {
        let base = "http://www.kcna.kp/en/article/q/abc.kcmsf?x=1";
        assert_eq!(resolve(base, "https://kcna.kp/en/"), "https://kcna.kp/en/");
        assert_eq!(resolve(base, "//kcna.kp/ko/"), "http://kcna.kp/ko/");
        assert_eq!(
            resolve(base, "/index.html"),
            "http://www.kcna.kp/index.html"
        );
        assert_eq!(
            resolve(base, "def.kcmsf"),
            "http://www.kcna.kp/en/article/q/def.kcmsf"
        );
        assert_eq!(
            resolve(base, "?y=2"),
            "http://www.kcna.kp/en/article/q/abc.kcmsf?y=2"
        );
    }
}
