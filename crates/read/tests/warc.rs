//! WARC files and HTML pages through the `Source` seam, on the fixtures
//! written by warcio (crates/tealeaf/tests/fixtures/warc/make.py).
//!
//! Tests named `*_pages_*` need `tealeaf-html`'s extractors to read the
//! pages' titles and text; the others hold whatever the extractor does.

use std::io::Write;
use std::path::PathBuf;

use serde_json::Value;
use tealeaf_read::{
    detect_format, ByteCounter, BytesSource, FileSource, Format, Item, ReadOptions, Source,
};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tealeaf/tests/fixtures/warc")
        .join(name)
}

fn manifest() -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture("manifest.json")).unwrap()).unwrap()
}

fn items(source: Box<dyn Source>) -> (Vec<Item>, u64) {
    let counter = ByteCounter::default();
    let items = source.items(&counter).collect();
    (items, counter.get())
}

fn offset(item: &Item) -> u64 {
    match item {
        Item::Record(r) => r.origin.offset.expect("a record's offset"),
        Item::Rejected(e) => e.origin.offset.expect("a rejection's offset"),
        Item::Listing(_) => panic!("no listings in a WARC"),
    }
}

/// What the extractor stubs give (an empty page) is the only rejection
/// these tests tolerate.
fn empty_page(item: &Item) -> bool {
    matches!(item, Item::Rejected(e) if e.message.contains("neither title nor text"))
}

#[test]
fn the_warcio_crawl_yields_one_item_a_page_and_the_removals() {
    let path = fixture("capture.warc.gz");
    assert_eq!(detect_format(&path).unwrap(), Format::Warc);
    let m = manifest();
    let size = std::fs::metadata(&path).unwrap().len();
    let (items, counted) = items(Box::new(FileSource::new(&path, ReadOptions::default())));
    assert_eq!(counted, size, "progress reaches the file's size");

    // warcio's records that should yield an item: HTML responses (200) of
    // article pages, the revisit, and the 404 and 302 of article urls.
    let records = m["records"].as_array().unwrap();
    let expected: Vec<&Value> = records
        .iter()
        .filter(|r| {
            let url = r["url"].as_str().unwrap_or("");
            let status = r["status"].as_u64();
            url.contains("/article/q/")
                && ((r["type"] == "response" && matches!(status, Some(200 | 404 | 302)))
                    || r["type"] == "revisit")
                // The http -> https redirect is the same article.
                && status != Some(301)
        })
        .collect();
    assert_eq!(expected.len(), 9);
    let offsets: Vec<u64> = items.iter().map(offset).collect();
    let want: Vec<u64> = expected
        .iter()
        .map(|r| r["offset"].as_u64().unwrap())
        .collect();
    assert_eq!(offsets, want, "one item a record, at warcio's offsets");

    for (item, rec) in items.iter().zip(&expected) {
        match item {
            Item::Record(r) => {
                assert_eq!(r.url.as_deref(), rec["url"].as_str());
                assert_eq!(
                    r.captured_at
                        .unwrap()
                        .format("%Y-%m-%dT%H:%M:%SZ")
                        .to_string(),
                    rec["date"].as_str().unwrap()
                );
                assert_eq!(r.status.map(u64::from), rec["status"].as_u64());
                assert_eq!(r.outlet, "kcna");
                assert_eq!(r.id, None);
            }
            other => assert!(empty_page(other), "{other:?}"),
        }
    }
    let gone: Vec<(String, u16, String)> = items
        .iter()
        .filter_map(|i| match i {
            Item::Record(r) if r.is_gone() => Some((
                r.url.clone().unwrap(),
                r.status.unwrap(),
                r.captured_at.unwrap().to_rfc3339(),
            )),
            _ => None,
        })
        .collect();
    assert_eq!(
        gone,
        vec![
            (
                m["gone_404"]["url"].as_str().unwrap().to_string(),
                404,
                "2011-12-05T06:00:00+00:00".to_string()
            ),
            (
                m["redirected"]["url"].as_str().unwrap().to_string(),
                302,
                "2011-12-05T06:00:00+00:00".to_string()
            ),
        ]
    );
}

/// Needs the HTML extractor.
#[test]
fn the_warcio_crawl_pages_are_read() {
    let m = manifest();
    let (items, _) = items(Box::new(FileSource::new(
        fixture("capture.warc.gz"),
        ReadOptions::default(),
    )));
    let pages: Vec<_> = items
        .iter()
        .map(|i| match i {
            Item::Record(r) => r,
            other => panic!("{other:?}"),
        })
        .filter(|r| !r.is_gone())
        .collect();
    let titles: Vec<&str> = pages.iter().map(|r| r.title.as_str()).collect();
    let t = |k: &str| m[k]["title"].as_str().unwrap();
    assert_eq!(
        titles,
        [
            t("edited"),
            t("gone_404"), // sent chunked and gzipped
            t("revisited"),
            t("redirected"),
            t("euc_kr"),
            t("edited"),
            t("revisited"), // the revisit
        ]
    );
    let word = m["edited"]["word"].as_str().unwrap();
    assert!(pages[0].paragraphs[1].contains(word));
    assert!(!pages[5].paragraphs[1].contains(word));
    assert!(pages[5].paragraphs[1].contains("Pyongyang"));
    assert_eq!(pages[6].paragraphs, pages[2].paragraphs);
    assert_eq!(
        pages[6].captured_at.unwrap().to_rfc3339(),
        "2011-12-05T06:00:00+00:00"
    );
    let ko: Vec<&str> = m["euc_kr"]["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(pages[4].paragraphs, ko, "EUC-KR from the HTTP header");
    assert!(pages.iter().all(|p| p.status == Some(200)));
}

#[test]
fn a_cut_record_is_rejected_by_offset_and_the_others_stay() {
    let m = manifest();
    let cut_at = m["cut"]["offset"].as_u64().unwrap();
    let path = fixture("cut.warc");
    let (items, _) = items(Box::new(FileSource::new(&path, ReadOptions::default())));
    assert_eq!(items.len(), 3, "{items:?}");
    let Item::Rejected(e) = &items[1] else {
        panic!("{items:?}")
    };
    assert_eq!(e.origin.offset, Some(cut_at));
    let text = e.to_string();
    assert!(
        text.starts_with(&format!(
            "{} (offset {cut_at}): record at byte {cut_at}: cut short",
            path.display()
        )),
        "{text}"
    );
    assert_eq!(offset(&items[0]), 0);
    assert!(offset(&items[2]) > cut_at);
    for i in [&items[0], &items[2]] {
        assert!(matches!(i, Item::Record(_)) || empty_page(i), "{i:?}");
    }
}

#[test]
fn warc_and_html_are_told_by_name_and_by_content() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let gz = |bytes: &[u8]| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    };
    let cut = std::fs::read(fixture("cut.warc")).unwrap();
    let page = b"\n<!doctype html><title>T</title><p>x</p>";
    assert_eq!(detect_format(&write("a.warc", &cut)).unwrap(), Format::Warc);
    assert_eq!(detect_format(&write("crawl", &cut)).unwrap(), Format::Warc);
    assert_eq!(
        detect_format(&write("crawl.gz", &gz(&cut))).unwrap(),
        Format::Warc
    );
    assert_eq!(
        detect_format(&write("a.htm.gz", &gz(page))).unwrap(),
        Format::Html
    );
    assert_eq!(detect_format(&write("saved", page)).unwrap(), Format::Html);
    assert_eq!(detect_format(&write("x.html", b"")).unwrap(), Format::Html);
    // Text pages and JSONL are told as before.
    assert_eq!(
        detect_format(&write("p", b"Rodong Sinmun\n")).unwrap(),
        Format::Page
    );
    assert_eq!(
        detect_format(&write("j", b"{\"a\":1}\n")).unwrap(),
        Format::Jsonl
    );

    // A WARC uploaded as bytes: offsets as in the file.
    let (items, _) = items(Box::new(BytesSource::new(
        "upload",
        cut,
        ReadOptions::default(),
    )));
    assert_eq!(items.len(), 3);
    assert_eq!(
        offset(&items[1]),
        manifest()["cut"]["offset"].as_u64().unwrap()
    );
}

#[test]
fn a_png_named_html_is_refused_saying_so() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("photo.html");
    std::fs::write(&p, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10").unwrap();
    let (items, _) = items(Box::new(FileSource::new(&p, ReadOptions::default())));
    let [Item::Rejected(e)] = items.as_slice() else {
        panic!("{items:?}")
    };
    assert_eq!(
        e.to_string(),
        format!("{}: not an HTML page: it holds PNG image data", p.display())
    );
}

#[test]
fn an_html_page_with_no_site_and_no_outlet_asks_for_one() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("page.html");
    std::fs::write(
        &p,
        "<!DOCTYPE html><html><head><title>A story</title></head><body><article><h1>A story</h1><p>Some text of it.</p></article></body></html>",
    )
    .unwrap();
    let (items, _) = items(Box::new(FileSource::new(&p, ReadOptions::default())));
    let [Item::Rejected(e)] = items.as_slice() else {
        panic!("{items:?}")
    };
    // With the extractor stubs the page reads empty; either way it is
    // refused with a reason naming the file.
    assert!(e.to_string().starts_with(&p.display().to_string()), "{e}");
    assert!(
        e.message.contains("give --outlet") || e.message.contains("neither title nor text"),
        "{e}"
    );
}

/// Needs the HTML extractor.
#[test]
fn html_pages_in_windows_1252_are_read() {
    let m = manifest();
    let (items, _) = items(Box::new(FileSource::new(
        fixture("cp1252.html"),
        ReadOptions::default(),
    )));
    let [Item::Record(r)] = items.as_slice() else {
        panic!("{items:?}")
    };
    assert_eq!(r.title, m["cp1252"]["title"].as_str().unwrap());
    assert_eq!(r.outlet, "kcna", "from the canonical url");
    assert_eq!(r.url.as_deref(), m["cp1252"]["url"].as_str());
    let want: Vec<&str> = m["cp1252"]["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(r.paragraphs, want);
    assert_eq!(r.id, None);
    assert_eq!(r.captured_at, None);
}
