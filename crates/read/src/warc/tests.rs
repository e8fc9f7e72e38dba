//! Tests of the WARC layer: framing, offsets, gzip members, recovery, and
//! the rules that turn records into items. Pages are read by a stand-in
//! extractor (the `<title>` and each `<p>`), so that these tests do not
//! depend on `tealeaf-html`'s extractors.

use std::io::{Cursor, Write};

use super::*;
use tealeaf_html::Profile;

const ART: &str = "http://www.kcna.kp/en/article/q/0123456789abcdef0123456789abcdef.kcmsf";
const ART2: &str = "http://www.kcna.kp/en/article/q/fedcba9876543210fedcba9876543210.kcmsf";

fn between<'a>(text: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(a) = rest.find(open) {
        let after = &rest[a + open.len()..];
        let Some(b) = after.find(close) else { break };
        out.push(&after[..b]);
        rest = &after[b + close.len()..];
    }
    out
}

fn stand_in(bytes: &[u8], hints: &Hints) -> Result<Page, ExtractError> {
    let text = String::from_utf8_lossy(bytes);
    let site = hints.url.as_deref().and_then(tealeaf_html::classify);
    Ok(Page {
        url: hints.url.clone(),
        profile: Profile::Generic,
        outlet: site
            .as_ref()
            .and_then(|s| s.profile.outlet())
            .map(str::to_string),
        language: site.as_ref().and_then(|s| s.language.clone()),
        published: None,
        title: between(&text, "<title>", "</title>")
            .first()
            .map(|t| t.to_string())
            .unwrap_or_default(),
        paragraphs: between(&text, "<p>", "</p>")
            .into_iter()
            .map(str::to_string)
            .collect(),
        byline: None,
        media: Vec::new(),
        photo_count: None,
        key: site.as_ref().and_then(|s| s.key.clone()),
        kind: site.as_ref().map_or(UrlKind::Other, |s| s.kind),
        place: None,
        warnings: Vec::new(),
    })
}

fn record(kind: &str, uri: &str, date: &str, extra: &[(&str, &str)], block: &[u8]) -> Vec<u8> {
    let mut out =
        format!("WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: {date}\r\n");
    for (k, v) in extra {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    if !extra.iter().any(|(k, _)| *k == "Content-Type") && kind != "warcinfo" {
        out.push_str("Content-Type: application/http; msgtype=response\r\n");
    }
    out.push_str(&format!("Content-Length: {}\r\n\r\n", block.len()));
    let mut out = out.into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn http(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n");
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

fn page(title: &str, paras: &[&str]) -> Vec<u8> {
    let ps: String = paras.iter().map(|p| format!("<p>{p}</p>")).collect();
    format!("<!DOCTYPE html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>{ps}</article></body></html>").into_bytes()
}

fn html_response(uri: &str, date: &str, id: &str, title: &str) -> Vec<u8> {
    record(
        "response",
        uri,
        date,
        &[("WARC-Record-ID", id)],
        &http(
            "200 OK",
            &[("Content-Type", "text/html; charset=utf-8")],
            &page(title, &["First paragraph.", "Second paragraph."]),
        ),
    )
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// The records joined, each gzipped on its own when `gzip`; with the
/// offset of each.
fn file(records: &[Vec<u8>], gzip: bool) -> (Vec<u8>, Vec<u64>) {
    let mut out = Vec::new();
    let mut offsets = Vec::new();
    for r in records {
        offsets.push(out.len() as u64);
        if gzip {
            out.extend_from_slice(&gz(r));
        } else {
            out.extend_from_slice(r);
        }
    }
    (out, offsets)
}

fn read(bytes: Vec<u8>) -> (Vec<Item>, u64) {
    let counter = ByteCounter::default();
    let len = bytes.len() as u64;
    let mut reader = WarcReader::with_extractor(
        "test.warc",
        Cursor::new(bytes),
        &ReadOptions::default(),
        &counter,
        stand_in,
    )
    .unwrap();
    let items: Vec<Item> = reader.by_ref().collect();
    assert!(counter.get() <= len);
    (items, reader.skipped())
}

/// (title, url, status, offset, captured_at) of each record.
fn records(items: &[Item]) -> Vec<(String, String, Option<u16>, u64, String)> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Record(r) => Some((
                r.title.clone(),
                r.url.clone().unwrap_or_default(),
                r.status,
                r.origin.offset.unwrap(),
                r.captured_at.unwrap().to_rfc3339(),
            )),
            _ => None,
        })
        .collect()
}

fn rejections(items: &[Item]) -> Vec<(u64, String)> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Rejected(e) => Some((e.origin.offset.unwrap_or(u64::MAX), e.to_string())),
            _ => None,
        })
        .collect()
}

fn mixed() -> Vec<Vec<u8>> {
    vec![
        record(
            "warcinfo",
            "",
            "2026-01-01T00:00:00Z",
            &[("Content-Type", "application/warc-fields")],
            b"software: test\r\n",
        ),
        record(
            "request",
            ART,
            "2026-01-01T00:00:00Z",
            &[("Content-Type", "application/http; msgtype=request")],
            b"GET /en/ HTTP/1.1\r\nHost: www.kcna.kp\r\n\r\n",
        ),
        html_response(
            ART,
            "2026-01-01T06:00:00Z",
            "<urn:uuid:1>",
            "Kim Jong Un Visits",
        ),
        record(
            "response",
            "http://www.kcna.kp/images/a.png",
            "2026-01-01T06:00:01Z",
            &[],
            &http(
                "200 OK",
                &[("Content-Type", "image/png")],
                b"\x89PNG\r\n\x1a\n\0\0",
            ),
        ),
        record(
            "metadata",
            ART,
            "2026-01-01T06:00:02Z",
            &[("Content-Type", "application/warc-fields")],
            b"outlink: http://www.kcna.kp/\r\n",
        ),
        html_response(
            ART2,
            "2026-01-02T06:00:00.5Z",
            "<urn:uuid:2>",
            "Second Story",
        ),
    ]
}

#[test]
fn plain_records_with_urls_dates_offsets() {
    let (bytes, offsets) = file(&mixed(), false);
    let (items, skipped) = read(bytes);
    assert_eq!(rejections(&items), vec![]);
    assert_eq!(
        records(&items),
        vec![
            (
                "Kim Jong Un Visits".into(),
                ART.into(),
                Some(200),
                offsets[2],
                "2026-01-01T06:00:00+00:00".into()
            ),
            (
                "Second Story".into(),
                ART2.into(),
                Some(200),
                offsets[5],
                "2026-01-02T06:00:00.500+00:00".into()
            ),
        ]
    );
    assert_eq!(skipped, 1, "the image");
    // The home page and a listing of a known site are not articles.
    let home = html_response(
        "http://www.kcna.kp/en/",
        "2026-01-01T06:00:00Z",
        "<urn:uuid:h>",
        "KCNA",
    );
    let list = html_response(
        "http://www.kcna.kp/en/article/list/1",
        "2026-01-01T06:00:00Z",
        "<urn:uuid:l>",
        "News",
    );
    let (none, skipped) = read(file(&[home, list], false).0);
    assert!(none.is_empty(), "{none:?}");
    assert_eq!(skipped, 2);
    let Item::Record(r) = &items[0] else { panic!() };
    assert_eq!(r.outlet, "kcna");
    assert_eq!(r.language.as_deref(), Some("en"));
    assert_eq!(r.paragraphs, ["First paragraph.", "Second paragraph."]);
    assert_eq!(r.id, None);
    assert_eq!(
        r.origin.to_string(),
        format!("test.warc (offset {})", offsets[2])
    );
}

#[test]
fn gzip_per_record_gives_compressed_offsets() {
    let (bytes, offsets) = file(&mixed(), true);
    let (items, skipped) = read(bytes);
    assert_eq!(rejections(&items), vec![]);
    let got: Vec<u64> = records(&items).iter().map(|r| r.3).collect();
    assert_eq!(got, vec![offsets[2], offsets[5]]);
    assert_eq!(skipped, 1);
}

#[test]
fn gzip_whole_file_gives_decompressed_offsets() {
    let (plain, offsets) = file(&mixed(), false);
    let (items, _) = read(gz(&plain));
    assert_eq!(rejections(&items), vec![]);
    let got: Vec<u64> = records(&items).iter().map(|r| r.3).collect();
    assert_eq!(got, vec![offsets[2], offsets[5]]);
}

#[test]
fn chunked_and_gzip_bodies_are_decoded() {
    let body = gz(&page("Chunked And Gzipped", &["Decoded text."]));
    let mut chunked = Vec::new();
    for part in body.chunks(7) {
        chunked.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
        chunked.extend_from_slice(part);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let rec = record(
        "response",
        ART,
        "2026-01-01T06:00:00Z",
        &[],
        &http(
            "200 OK",
            &[
                ("Content-Type", "text/html"),
                ("Transfer-Encoding", "chunked"),
                ("Content-Encoding", "gzip"),
            ],
            &chunked,
        ),
    );
    let (items, _) = read(rec);
    let Item::Record(r) = &items[0] else {
        panic!("{items:?}")
    };
    assert_eq!(r.title, "Chunked And Gzipped");
    assert_eq!(r.paragraphs, ["Decoded text."]);
}

#[test]
fn removals_and_what_is_not_one() {
    let resp = |uri: &str, date: &str, status: &str, headers: &[(&str, &str)]| {
        record("response", uri, date, &[], &http(status, headers, b""))
    };
    let https_same = ART.replace("http://www.", "https://");
    let recs = vec![
        resp(
            ART,
            "2026-01-03T00:00:00Z",
            "404 Not Found",
            &[("Content-Type", "text/html")],
        ),
        resp(
            "http://www.kcna.kp/en/nothing.html",
            "2026-01-03T00:00:00Z",
            "404 Not Found",
            &[],
        ),
        resp(
            ART2,
            "2026-01-03T00:00:00Z",
            "301 Moved Permanently",
            &[("Location", "/en/")],
        ),
        resp(
            ART2,
            "2026-01-04T00:00:00Z",
            "302 Found",
            &[("Location", &https_same)],
        ),
        resp(
            ART,
            "2026-01-04T00:00:00Z",
            "301 Moved Permanently",
            &[("Location", &https_same)],
        ),
        resp(ART, "2026-01-05T00:00:00Z", "410 Gone", &[]),
        resp(
            ART,
            "2026-01-05T00:00:00Z",
            "500 Internal Server Error",
            &[],
        ),
        resp(
            "http://www.kcna.kp/en/",
            "2026-01-05T00:00:00Z",
            "302 Found",
            &[("Location", "/ko/")],
        ),
    ];
    let (bytes, offsets) = file(&recs, false);
    let (items, _) = read(bytes);
    assert_eq!(rejections(&items), vec![]);
    let got: Vec<(Option<u16>, String, u64)> = records(&items)
        .into_iter()
        .map(|r| (r.2, r.1, r.3))
        .collect();
    assert_eq!(
        got,
        vec![
            (Some(404), ART.to_string(), offsets[0]),
            (Some(301), ART2.to_string(), offsets[2]),
            // ART2 → the https url of another article: a removal too.
            (Some(302), ART2.to_string(), offsets[3]),
            (Some(410), ART.to_string(), offsets[5]),
        ]
    );
    let Item::Record(r) = &items[0] else { panic!() };
    assert!(r.is_gone() && r.is_empty());
    assert_eq!(r.outlet, "kcna");
    assert_eq!(r.language.as_deref(), Some("en"));
}

#[test]
fn revisits_capture_the_earlier_page_again() {
    let digest = ("WARC-Payload-Digest", "sha1:AAAABBBB");
    let original = record(
        "response",
        ART,
        "2026-01-01T06:00:00Z",
        &[("WARC-Record-ID", "<urn:uuid:1>"), digest],
        &http(
            "200 OK",
            &[("Content-Type", "text/html")],
            &page("Once", &["Text."]),
        ),
    );
    let revisit = record(
        "revisit",
        ART,
        "2026-01-09T06:00:00Z",
        &[
            (
                "WARC-Profile",
                "http://netpreserve.org/warc/1.0/revisit/identical-payload-digest",
            ),
            ("WARC-Refers-To-Target-URI", ART),
            ("WARC-Refers-To-Date", "2026-01-01T06:00:00Z"),
            digest,
        ],
        &http("200 OK", &[("Content-Type", "text/html")], b""),
    );
    let orphan = record(
        "revisit",
        ART2,
        "2026-01-09T06:00:00Z",
        &[
            ("WARC-Payload-Digest", "sha1:NOTHERE"),
            ("WARC-Refers-To", "<urn:uuid:9>"),
        ],
        &http("200 OK", &[("Content-Type", "text/html")], b""),
    );
    let image = record(
        "revisit",
        "http://www.kcna.kp/a.png",
        "2026-01-09T06:00:00Z",
        &[("WARC-Payload-Digest", "sha1:IMG")],
        &http("200 OK", &[("Content-Type", "image/png")], b""),
    );
    let (bytes, offsets) = file(&[original, revisit, orphan, image], true);
    let (items, skipped) = read(bytes);
    let got = records(&items);
    assert_eq!(got.len(), 2);
    assert_eq!((got[1].0.as_str(), got[1].3), ("Once", offsets[1]));
    assert_eq!(got[1].4, "2026-01-09T06:00:00+00:00");
    let rej = rejections(&items);
    assert_eq!(rej.len(), 1, "{rej:?}");
    assert_eq!(rej[0].0, offsets[2]);
    assert!(
        rej[0].1.contains(&format!(
            "record at byte {}: revisit of a record not in this file",
            offsets[2]
        )),
        "{rej:?}"
    );
    assert_eq!(skipped, 1);
}

/// Three good records around a bad one, or ending in one.
fn three() -> Vec<Vec<u8>> {
    vec![
        html_response(ART, "2026-01-01T06:00:00Z", "<urn:uuid:a>", "Alpha"),
        html_response(ART2, "2026-01-02T06:00:00Z", "<urn:uuid:b>", "Bravo"),
        html_response(ART, "2026-01-03T06:00:00Z", "<urn:uuid:c>", "Charlie"),
    ]
}

fn titles(items: &[Item]) -> Vec<String> {
    records(items).into_iter().map(|r| r.0).collect()
}

#[test]
fn a_plain_record_cut_in_the_middle_or_at_the_end() {
    let mut recs = three();
    let cut = recs[1].len() - 80;
    recs[1].truncate(cut);
    let (bytes, offsets) = file(&recs, false);
    let (items, _) = read(bytes);
    assert_eq!(titles(&items), ["Alpha", "Charlie"]);
    let rej = rejections(&items);
    assert_eq!(rej.len(), 1, "{rej:?}");
    assert_eq!(rej[0].0, offsets[1]);
    assert!(
        rej[0].1.starts_with(&format!(
            "test.warc (offset {0}): record at byte {0}: cut short",
            offsets[1]
        )),
        "{rej:?}"
    );

    // The last record cut: the ones before it stay.
    let mut recs = three();
    let n = recs[2].len() - 40;
    recs[2].truncate(n);
    let (bytes, offsets) = file(&recs, false);
    let (items, _) = read(bytes);
    assert_eq!(titles(&items), ["Alpha", "Bravo"]);
    let rej = rejections(&items);
    assert_eq!(rej.len(), 1);
    assert_eq!(rej[0].0, offsets[2]);
    assert!(
        rej[0].1.contains("cut short: Content-Length says"),
        "{rej:?}"
    );
}

#[test]
fn a_record_cut_inside_its_headers() {
    for cut in [3, 10, 30, 100] {
        let mut recs = three();
        recs[1].truncate(cut);
        let (bytes, offsets) = file(&recs, false);
        let (items, _) = read(bytes);
        assert_eq!(titles(&items), ["Alpha", "Charlie"], "cut at {cut}");
        let rej = rejections(&items);
        assert_eq!(rej.len(), 1, "{rej:?}");
        assert_eq!(rej[0].0, offsets[1]);
    }
}

#[test]
fn a_gzip_member_cut_in_the_middle_or_at_the_end() {
    let recs = three();
    let members: Vec<Vec<u8>> = recs.iter().map(|r| gz(r)).collect();
    let mut bytes = Vec::new();
    bytes.extend_from_slice(&members[0]);
    let b_at = bytes.len() as u64;
    bytes.extend_from_slice(&members[1][..members[1].len() / 2]);
    bytes.extend_from_slice(&members[2]);
    let (items, _) = read(bytes);
    assert_eq!(titles(&items), ["Alpha", "Charlie"]);
    let rej = rejections(&items);
    assert_eq!(rej.len(), 1, "{rej:?}");
    assert_eq!(rej[0].0, b_at);
    assert!(
        rej[0].1.contains(&format!("record at byte {b_at}")),
        "{rej:?}"
    );

    let mut bytes = Vec::new();
    bytes.extend_from_slice(&members[0]);
    bytes.extend_from_slice(&members[1]);
    let c_at = bytes.len() as u64;
    bytes.extend_from_slice(&members[2][..members[2].len() - 10]);
    let (items, _) = read(bytes);
    assert_eq!(titles(&items), ["Alpha", "Bravo"]);
    let rej = rejections(&items);
    assert_eq!(rej.len(), 1, "{rej:?}");
    assert_eq!(rej[0].0, c_at);
}

#[test]
fn a_whole_gzip_file_cut_short_keeps_what_came_before() {
    let (plain, offsets) = file(&three(), false);
    let whole = gz(&plain);
    let (items, _) = read(whole[..whole.len() - 30].to_vec());
    assert_eq!(titles(&items)[..2], ["Alpha", "Bravo"]);
    let rej = rejections(&items);
    assert!(!rej.is_empty());
    // Whatever decompressed of the last record before the cut.
    assert!(rej[0].0 >= offsets[1], "{rej:?}");
}

#[test]
fn a_record_with_a_wrong_length_in_a_whole_gzip_file() {
    let mut recs = three();
    // Bravo claims 10 more bytes than it has: Charlie must still be read.
    let text = String::from_utf8_lossy(&recs[1]).into_owned();
    let len: usize = between(&text, "Content-Length: ", "\r\n")[0]
        .parse()
        .unwrap();
    recs[1] = text
        .replace(
            &format!("Content-Length: {len}\r\n"),
            &format!("Content-Length: {}\r\n", len + 10),
        )
        .into_bytes();
    let (plain, offsets) = file(&recs, false);
    let (items, _) = read(gz(&plain));
    assert_eq!(titles(&items), ["Alpha", "Charlie"]);
    let rej = rejections(&items);
    assert_eq!(rej.len(), 1);
    assert_eq!(rej[0].0, offsets[1]);
    assert!(rej[0].1.contains("Content-Length"), "{rej:?}");
}

#[test]
fn not_a_warc_file() {
    let (items, _) = read(b"hello, this is not a WARC file\n".to_vec());
    let rej = rejections(&items);
    assert_eq!(rej.len(), 1);
    assert!(rej[0].1.contains("not a WARC record"), "{rej:?}");
    let (items, _) = read(Vec::new());
    assert!(items.is_empty());
}

#[test]
fn bad_dates_and_large_pages_are_rejected_by_offset() {
    let bad_date = html_response(ART, "yesterday", "<urn:uuid:x>", "X");
    let big_body = vec![b'a'; MAX_PAGE_BYTES + 10];
    let big = record(
        "response",
        ART2,
        "2026-01-01T00:00:00Z",
        &[],
        &http("200 OK", &[("Content-Type", "text/html")], &big_body),
    );
    let fine = html_response(ART, "2026-01-01T00:00:00Z", "<urn:uuid:y>", "Fine");
    let (bytes, offsets) = file(&[bad_date, big, fine], false);
    let (items, _) = read(bytes);
    assert_eq!(titles(&items), ["Fine"]);
    let rej = rejections(&items);
    assert_eq!(rej.len(), 2);
    assert_eq!(rej[0].0, offsets[0]);
    assert!(rej[0].1.contains("WARC-Date `yesterday` is not a date"));
    assert_eq!(rej[1].0, offsets[1]);
    assert!(rej[1].1.contains("over the"), "{rej:?}");
}

#[test]
fn junk_between_gzip_members_is_reported_once() {
    let members: Vec<Vec<u8>> = three().iter().map(|r| gz(r)).collect();
    let mut bytes = members[0].clone();
    let junk_at = bytes.len() as u64;
    bytes.extend_from_slice(b"garbage garbage");
    bytes.extend_from_slice(&members[1]);
    let (items, _) = read(bytes);
    assert_eq!(titles(&items), ["Alpha", "Bravo"]);
    let rej = rejections(&items);
    assert_eq!(rej.len(), 1, "{rej:?}");
    assert_eq!(rej[0].0, junk_at);
}

#[test]
fn without_a_known_site_the_outlet_comes_from_the_options_or_the_host() {
    let rec = html_response(
        "https://www.example.org/story.html",
        "2026-01-01T00:00:00Z",
        "<urn:uuid:z>",
        "Elsewhere",
    );
    let (items, _) = read(rec.clone());
    let Item::Record(r) = &items[0] else {
        panic!("{items:?}")
    };
    assert_eq!(r.outlet, "example-org");
    let opts = ReadOptions {
        outlet: Some("Other".into()),
        ..ReadOptions::default()
    };
    let items: Vec<Item> = WarcReader::with_extractor(
        "t.warc",
        Cursor::new(rec),
        &opts,
        &ByteCounter::default(),
        stand_in,
    )
    .unwrap()
    .collect();
    let Item::Record(r) = &items[0] else {
        panic!("{items:?}")
    };
    assert_eq!(r.outlet, "other");
}

#[test]
fn revisits_remember_a_bounded_number_of_responses() {
    let mut seen = Remembered {
        cap: 2,
        ..Remembered::default()
    };
    let fields = |id: &str, digest: &str| {
        vec![
            ("WARC-Record-ID".to_string(), format!("<{id}>")),
            ("WARC-Payload-Digest".to_string(), digest.to_string()),
        ]
    };
    seen.remember(&fields("a", "sha1:A"), "u", Arc::new(Seen::Skipped));
    seen.remember(&fields("b", "sha1:B"), "u", Arc::new(Seen::Skipped));
    // The same digest again: the later record holds the digest keys.
    seen.remember(&fields("c", "sha1:A"), "u", Arc::new(Seen::Skipped));
    assert!(seen.find(Some("a"), None, "u").is_none(), "forgotten");
    assert!(seen.find(None, Some("sha1:A"), "u").is_some(), "kept by c");
    assert!(seen.find(Some("b"), None, "u").is_some());
    seen.remember(&fields("d", "sha1:D"), "u", Arc::new(Seen::Skipped));
    seen.remember(&fields("e", "sha1:E"), "u", Arc::new(Seen::Skipped));
    assert!(seen.find(None, Some("sha1:A"), "u").is_none());
    assert!(seen.find(None, Some("sha1:B"), "x").is_none());
    assert_eq!(seen.by_key.len(), 6, "two records of three keys each");
}

#[test]
fn revisits_remember_a_bounded_amount_of_text() {
    let mut seen = Remembered {
        cap_bytes: 100,
        ..Remembered::default()
    };
    let fields = |id: &str| vec![("WARC-Record-ID".to_string(), format!("<{id}>"))];
    for id in ["a", "b", "c"] {
        seen.remember(&fields(id), "u", Arc::new(Seen::Rejected("x".repeat(40))));
    }
    assert!(seen.bytes <= 100, "{}", seen.bytes);
    assert!(
        seen.find(Some("a"), None, "u").is_none(),
        "the oldest goes first"
    );
    assert!(seen.find(Some("c"), None, "u").is_some());
}

#[test]
fn a_known_site_wins_over_outlet_with_a_warning() {
    let rec = html_response(ART, "2026-01-01T00:00:00Z", "<urn:uuid:w>", "Kcna Page");
    let opts = ReadOptions {
        outlet: Some("rodong".into()),
        ..ReadOptions::default()
    };
    let items: Vec<Item> = WarcReader::with_extractor(
        "t.warc",
        Cursor::new(rec),
        &opts,
        &ByteCounter::default(),
        stand_in,
    )
    .unwrap()
    .collect();
    let Item::Record(r) = &items[0] else {
        panic!("{items:?}")
    };
    assert_eq!(r.outlet, "kcna");
    assert_eq!(
        r.warnings,
        ["record at byte 0: the page is from `kcna` but --outlet is `rodong`; `kcna` is kept"]
    );
}
