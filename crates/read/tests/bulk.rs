//! JSONL and CSV bulk files, plain and gzip, through the public reader.

use std::io::Write;
use std::path::Path;

use tealeaf_read::{read_file, ByteCounter, FieldMap, Item, ReadOptions};

fn read_all(
    path: &Path,
    opts: &ReadOptions,
) -> (
    Vec<tealeaf_model::CaptureRecord>,
    Vec<tealeaf_read::ReadError>,
) {
    let mut recs = Vec::new();
    let mut errs = Vec::new();
    for item in read_file(path, opts, &ByteCounter::default()).expect("opens") {
        match item {
            Item::Record(r) => recs.push(*r),
            Item::Rejected(e) => errs.push(e),
            Item::Listing(l) => panic!("unexpected listing {l:?}"),
        }
    }
    (recs, errs)
}

fn kcna_opts() -> ReadOptions {
    ReadOptions {
        outlet: Some("kcna".into()),
        map: FieldMap::parse("published=date,body=story").unwrap(),
        format: None,
    }
}

#[test]
fn mapped_jsonl_with_bad_lines_keeps_the_good_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dump.jsonl");
    std::fs::write(
        &path,
        concat!(
            r#"{"date":"2011-12-01","url":"http://x/day.html","language":"en","title":"A","story":"One.\n\nTwo."}"#, "\n",
            "\n",
            "{not json\n",
            r#"{"date":"yesterday","title":"B","story":"x"}"#, "\n",
            r#"["an", "array"]"#, "\n",
            r#"{"date":"2011-12-02","language":"es","title":null,"story":"Uno."}"#, "\n",
        ),
    )
    .unwrap();
    let (recs, errs) = read_all(&path, &kcna_opts());
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0].paragraphs, vec!["One.", "Two."]);
    assert_eq!(recs[0].url.as_deref(), Some("http://x/day.html"));
    assert_eq!(recs[0].origin.line, 1);
    assert_eq!(recs[1].language.as_deref(), Some("es"));
    assert_eq!(recs[1].title, "");
    assert_eq!(recs[1].origin.line, 6);
    let lines: Vec<u64> = errs.iter().map(|e| e.origin.line).collect();
    assert_eq!(lines, vec![3, 4, 5]);
    assert!(errs[1].message.contains("published"), "{}", errs[1].message);
    assert!(errs.iter().all(|e| e.origin.source.ends_with("dump.jsonl")));
}

#[test]
fn gzip_is_read_by_its_magic_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dump.jsonl.gz");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&path).unwrap(),
        flate2::Compression::fast(),
    );
    for i in 0..100 {
        writeln!(
            gz,
            r#"{{"date":"2011-01-{:02}","title":"T{i}","story":"S{i}"}}"#,
            i % 28 + 1
        )
        .unwrap();
    }
    gz.finish().unwrap();
    let (recs, errs) = read_all(&path, &kcna_opts());
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(recs.len(), 100);
    assert_eq!(recs[99].title, "T99");
}

#[test]
fn capture_format_csv_with_every_field() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caps.csv");
    std::fs::write(
        &path,
        "id,outlet,url,language,published,media,photo_count,title,body,byline,captured_at\n\
         a1,rodong,http://r/1,en,Jan. 1 2026,\"photo,video\",11,Title One,\"Para one.\n\nPara two.\",KCNA,2026-01-01T09:00:00+09:00\n\
         a2,rodong,,en,2026-01-02,,x,Title Two,Body,,\n\
         a3,rodong,,en,2026-01-03\n",
    )
    .unwrap();
    let (recs, errs) = read_all(&path, &ReadOptions::default());
    assert_eq!(recs.len(), 1);
    let r = &recs[0];
    assert_eq!(r.id.as_deref(), Some("a1"));
    assert_eq!(r.media.len(), 2);
    assert_eq!(r.photo_count, Some(11));
    assert_eq!(r.paragraphs, vec!["Para one.", "Para two."]);
    assert_eq!(r.byline.as_deref(), Some("KCNA"));
    assert_eq!(
        r.captured_at
            .map(|t| tealeaf_model::dates::format_timestamp(&t)),
        Some("2026-01-01T00:00:00Z".to_string())
    );
    assert_eq!(errs.len(), 2);
    assert!(
        errs[0].message.contains("photo_count"),
        "{}",
        errs[0].message
    );
    assert_eq!(errs[0].origin.line, 5, "the line where the record starts");
    assert!(
        errs[1].message.contains("fields where the header has"),
        "{}",
        errs[1].message
    );
}

#[test]
fn records_without_an_outlet_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.jsonl");
    std::fs::write(&path, "{\"title\":\"T\",\"body\":\"B\"}\n").unwrap();
    let (recs, errs) = read_all(&path, &ReadOptions::default());
    assert!(recs.is_empty());
    assert!(errs[0].message.contains("--outlet"), "{}", errs[0].message);
}

#[test]
fn invalid_utf8_lines_are_rejected_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.jsonl");
    let mut bytes = b"{\"title\":\"ok\",\"body\":\"b\"}\n{\"title\":\"".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe]);
    bytes.extend_from_slice(b"\",\"body\":\"b\"}\n{\"title\":\"ok2\",\"body\":\"b\"}\n");
    std::fs::write(&path, bytes).unwrap();
    let (recs, errs) = read_all(&path, &kcna_opts());
    assert_eq!(recs.len(), 2);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].origin.line, 2);
}

#[test]
fn listing_captures_and_gone_status_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.jsonl");
    std::fs::write(
        &path,
        concat!(
            r#"{"listing":"http://kcna/index","outlet":"kcna","captured_at":"2026-01-02T00:00:00Z","items":["a","b"]}"#, "\n",
            r#"{"id":"a","outlet":"kcna","status":410,"captured_at":"2026-01-03"}"#, "\n",
            r#"{"id":"a","outlet":"kcna","status":500}"#, "\n",
            r#"{"listing":"http://kcna/index","outlet":"kcna"}"#, "\n",
        ),
    )
    .unwrap();
    let items: Vec<Item> = read_file(&path, &ReadOptions::default(), &ByteCounter::default())
        .unwrap()
        .collect();
    match &items[0] {
        Item::Listing(l) => {
            assert_eq!(l.listing, "http://kcna/index");
            assert_eq!(l.items, vec!["a", "b"]);
        }
        other => panic!("{other:?}"),
    }
    match &items[1] {
        Item::Record(r) => assert!(r.is_gone() && r.is_empty()),
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(&items[2], Item::Rejected(e) if e.message.contains("status")),
        "{:?}",
        items[2]
    );
    assert!(
        matches!(&items[3], Item::Rejected(e) if e.message.contains("items")),
        "{:?}",
        items[3]
    );
}
