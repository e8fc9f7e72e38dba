//! The `Source` adapters: what ingest reads from files and uploads.

use std::io::Write;

use tealeaf_read::{ByteCounter, BytesSource, FileSource, Format, Item, ReadOptions, Source};

fn items(source: Box<dyn Source>) -> (Vec<Item>, u64) {
    let counter = ByteCounter::default();
    let items = source.items(&counter).collect();
    (items, counter.get())
}

fn records(items: &[Item]) -> Vec<(String, u64)> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Record(r) => Some((r.title.clone(), r.origin.line)),
            _ => None,
        })
        .collect()
}

fn rejected(items: &[Item]) -> Vec<String> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Rejected(e) => Some(e.to_string()),
            _ => None,
        })
        .collect()
}

const JSONL: &str = concat!(
    r#"{"id":"a","outlet":"kcna","title":"First","body":"One."}"#,
    "\n",
    "not json\n",
    r#"{"id":"b","outlet":"kcna","title":"Second","body":"Two."}"#,
    "\n"
);

#[test]
fn uploaded_bytes_are_read_like_a_file_and_named_by_the_source() {
    let source = BytesSource::new("upload", JSONL.as_bytes().to_vec(), ReadOptions::default());
    assert_eq!(source.size(), JSONL.len() as u64);
    let (items, counted) = items(Box::new(source));
    assert_eq!(counted, JSONL.len() as u64);
    assert_eq!(
        records(&items),
        vec![("First".to_string(), 1), ("Second".to_string(), 3)]
    );
    let bad = rejected(&items);
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert!(bad[0].starts_with("upload:2: "), "{}", bad[0]);
}

#[test]
fn gzipped_uploads_and_forced_formats_are_read() {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(JSONL.as_bytes()).unwrap();
    let source = BytesSource::new("upload", gz.finish().unwrap(), ReadOptions::default());
    assert_eq!(records(&items(Box::new(source)).0).len(), 2);

    let csv = "id,outlet,title,body\nc,kcna,From CSV,Three.\n";
    let opts = ReadOptions {
        format: Some(Format::Csv),
        ..ReadOptions::default()
    };
    let source = BytesSource::new("upload", csv.as_bytes().to_vec(), opts);
    assert_eq!(
        records(&items(Box::new(source)).0),
        vec![("From CSV".to_string(), 2)]
    );
}

#[test]
fn a_file_that_cannot_be_opened_is_one_rejected_item_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("gone.jsonl");
    let source = FileSource::new(&missing, ReadOptions::default());
    assert_eq!(source.size(), 0);
    assert_eq!(source.name(), missing.display().to_string());
    let (items, _) = items(Box::new(source));
    assert_eq!(items.len(), 1);
    let bad = rejected(&items);
    assert!(
        bad[0].starts_with(&format!("{}: cannot read", missing.display())),
        "{}",
        bad[0]
    );
}

#[test]
fn a_file_source_reads_its_records() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dump.jsonl");
    std::fs::write(&path, JSONL).unwrap();
    let source = FileSource::new(&path, ReadOptions::default());
    assert_eq!(source.size(), JSONL.len() as u64);
    let (items, counted) = items(Box::new(source));
    assert_eq!(records(&items).len(), 2);
    assert_eq!(rejected(&items).len(), 1);
    assert_eq!(counted, JSONL.len() as u64);
}
