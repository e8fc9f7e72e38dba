//! HTML files: one saved page a file (`.html`, `.htm`, optionally gzip),
//! read by `tealeaf-html` into one capture record. Also what the WARC
//! reader shares with it: telling HTML bytes from others, and turning an
//! extracted [`Page`] into a [`CaptureRecord`].
//!
//! Must not touch: how a page is read (charset, profiles, the generic
//! extractor: `tealeaf-html`), which article a record is (the archive).

use std::io::Read;

use chrono::{DateTime, Utc};
use tealeaf_html::{ExtractError, Hints, Page, MAX_PAGE_BYTES};
use tealeaf_model::outlet::valid_slug;
use tealeaf_model::{CaptureRecord, SourceRef};

use crate::{Item, ReadError, ReadOptions};

/// Skips a byte-order mark and leading white space.
fn trim_head(head: &[u8]) -> &[u8] {
    let head = head.strip_prefix(&[0xef, 0xbb, 0xbf]).unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    &head[start..]
}

/// Whether the first bytes of an input are an HTML document: `<!doctype
/// html` or `<html` (case aside) after a BOM and white space.
pub fn looks_like_html(head: &[u8]) -> bool {
    let head = trim_head(head);
    let starts = |prefix: &[u8]| {
        head.len() >= prefix.len() && head[..prefix.len()].eq_ignore_ascii_case(prefix)
    };
    starts(b"<!doctype html") || starts(b"<html")
}

/// A name for well-known binary formats, so that a picture saved as
/// `.html` is refused saying what it is.
fn binary_kind(head: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "PNG image"),
        (b"\xff\xd8\xff", "JPEG image"),
        (b"GIF87a", "GIF image"),
        (b"GIF89a", "GIF image"),
        (b"%PDF-", "PDF document"),
        (b"PK\x03\x04", "ZIP archive"),
        (b"\x1f\x8b", "gzip data"),
        (b"RIFF", "RIFF media (WebP, WAV, AVI)"),
    ];
    MAGIC
        .iter()
        .find(|(m, _)| head.starts_with(m))
        .map(|(_, name)| *name)
}

/// Why bytes are not an HTML page, before parsing them: a known binary
/// format, or no markup at all near the start (a text file named `.html`).
pub fn not_html_reason(bytes: &[u8]) -> Option<String> {
    if let Some(kind) = binary_kind(bytes) {
        return Some(format!("not an HTML page: it holds {kind} data"));
    }
    // Any tag (`<p`, `<!doctype`, `</div`) in the first 64 KiB will do:
    // fragments without <html> are still pages; plain text is not.
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let tag = head
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'!' || w[1] == b'/'));
    if !tag && !head.is_empty() {
        return Some("not an HTML page: no markup in it".into());
    }
    if trim_head(bytes).is_empty() {
        return Some("empty file: not an HTML page".into());
    }
    None
}

/// The outlet of a page from a site no profile knows, without --outlet:
/// its url's host as a slug (`https://www.nknews.org/...` → `nknews-org`),
/// so that mirrors and foreign outlets are told apart.
fn outlet_of_host(url: &str) -> Option<String> {
    let host = tealeaf_html::url::host(url)?;
    let slug: String = host
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .trim_matches('-')
        .chars()
        .take(40)
        .collect();
    valid_slug(&slug).then_some(slug)
}

/// What a page is worth as a capture: the record, or why it is refused.
/// `where_` prefixes warnings and messages (`record at byte N: ` for WARC
/// records, empty for files).
pub(crate) fn page_record(
    page: Page,
    origin: SourceRef,
    outlet: Option<&str>,
    captured_at: Option<DateTime<Utc>>,
    status: Option<u16>,
    where_: &str,
) -> Result<CaptureRecord, String> {
    let mut warnings: Vec<String> = page
        .warnings
        .iter()
        .map(|w| format!("{where_}{w}"))
        .collect();
    if let (Some(site), Some(given)) = (page.outlet.as_deref(), outlet) {
        // As for text pages: what the page says wins, and the mismatch is
        // said.
        if !site.eq_ignore_ascii_case(given) {
            warnings.push(format!(
                "{where_}the page is from `{site}` but --outlet is `{given}`; `{site}` is kept"
            ));
        }
    }
    let host_outlet = page
        .url
        .as_deref()
        .map(tealeaf_html::url::unwrap_wayback)
        .and_then(outlet_of_host);
    let outlet = match page.outlet.as_deref().or(outlet).or(host_outlet.as_deref()) {
        Some(o) => o.to_ascii_lowercase(),
        None => {
            return Err(format!(
                "{where_}no outlet: the page is not from a site tealeaf knows \
                 (rodong.rep.kp, kcna.kp) and names no url; give --outlet"
            ))
        }
    };
    if !valid_slug(&outlet) {
        return Err(format!(
            "{where_}outlet `{outlet}` is not a slug (lowercase letters, digits, - and _)"
        ));
    }
    let empty = page.title.trim().is_empty() && page.paragraphs.iter().all(|p| p.trim().is_empty());
    if empty {
        return Err(format!(
            "{where_}neither title nor text found in the page (an empty capture): rejected"
        ));
    }
    // The page's own language (declared, or read by `tealeaf-html` from
    // its script and function words); when it gives none, detection on
    // the text, marked as detected.
    let (language, language_detected) = match page.language.clone() {
        Some(l) => (Some(l), false),
        None => match tealeaf_model::text::detect_language(&page.title, &page.paragraphs) {
            Some(l) => (Some(l.to_string()), true),
            None => (None, false),
        },
    };
    Ok(CaptureRecord {
        origin,
        // The pipeline derives ids from url keys; a reader only reports.
        id: None,
        outlet,
        url: page.url,
        language,
        published: page.published,
        media: page.media,
        photo_count: page.photo_count,
        title: page.title,
        paragraphs: page.paragraphs,
        byline: page.byline,
        captured_at,
        status,
        warnings,
        commentary: None,
        language_detected,
    })
}

/// Explains an extraction failure.
pub(crate) fn extract_message(e: &ExtractError) -> String {
    match e {
        ExtractError::NotHtml(why) => format!("not an HTML page ({why})"),
        ExtractError::TooLarge { size, max } => {
            format!("page is {size} bytes, over the {max}-byte limit for one HTML page")
        }
    }
}

/// Reads one HTML file (already decompressed) into one item. At most
/// [`MAX_PAGE_BYTES`] + 1 bytes are read: a larger file is refused without
/// holding it whole.
pub fn read_html(source: &str, stream: impl Read, opts: &ReadOptions) -> Item {
    let err = |msg: String| Item::Rejected(ReadError::new(source, 0, msg));
    let mut bytes = Vec::new();
    if let Err(e) = stream
        .take(MAX_PAGE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
    {
        return err(format!("cannot read: {e}"));
    }
    if bytes.len() > MAX_PAGE_BYTES {
        return err(format!(
            "over the {MAX_PAGE_BYTES}-byte limit for one HTML page: not read"
        ));
    }
    if let Some(why) = not_html_reason(&bytes) {
        return err(why);
    }
    let page = match tealeaf_html::extract(&bytes, &Hints::default()) {
        Ok(page) => page,
        Err(e) => return err(extract_message(&e)),
    };
    match page_record(
        page,
        SourceRef::line(source, 0),
        opts.outlet.as_deref(),
        None,
        None,
        "",
    ) {
        Ok(rec) => Item::Record(Box::new(rec)),
        Err(msg) => err(msg),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outlets_from_hosts() {
        assert_eq!(
            outlet_of_host("https://www.nknews.org/2026/01/x").as_deref(),
            Some("nknews-org")
        );
        assert_eq!(
            outlet_of_host("http://user@Example.CO.uk:8080/a?b").as_deref(),
            Some("example-co-uk")
        );
        assert_eq!(outlet_of_host("http://[::1]/"), None);
        assert_eq!(outlet_of_host("file:///tmp/a.html"), None);
    }

    #[test]
    fn sniffing() {
        assert!(looks_like_html(b"\xef\xbb\xbf  \n<!DOCTYPE html>"));
        assert!(looks_like_html(b"<HTML lang=en>"));
        assert!(!looks_like_html(b"Rodong Sinmun\n"));
        assert!(!looks_like_html(b"{\"title\": 1}"));
    }

    #[test]
    fn binary_and_text_are_not_pages() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(
            not_html_reason(png).as_deref(),
            Some("not an HTML page: it holds PNG image data")
        );
        assert!(not_html_reason(b"just some words, no markup")
            .unwrap()
            .contains("no markup"));
        assert!(not_html_reason(b"<p>a fragment</p>").is_none());
    }

    #[test]
    fn png_named_html_is_rejected_by_name() {
        let item = read_html(
            "pic.html",
            &b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..],
            &ReadOptions::default(),
        );
        match item {
            Item::Rejected(e) => {
                assert_eq!(
                    e.to_string(),
                    "pic.html: not an HTML page: it holds PNG image data"
                )
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn too_large_is_refused_without_reading_it_all() {
        // An endless stream: only the limit (+1) is read.
        let endless = std::io::repeat(b'a');
        match read_html("big.html", endless, &ReadOptions::default()) {
            Item::Rejected(e) => assert!(e.to_string().starts_with("big.html: over the")),
            other => panic!("{other:?}"),
        }
    }
}
