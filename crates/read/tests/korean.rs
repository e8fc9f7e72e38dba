//! Korean text pages and annotated editions through the public reader,
//! which tells them apart by content.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use tealeaf_read::{read_file, ByteCounter, Item, ReadOptions};

fn items(path: &Path, outlet: Option<&str>) -> Vec<Item> {
    let opts = ReadOptions {
        outlet: outlet.map(str::to_string),
        ..ReadOptions::default()
    };
    read_file(path, &opts, &ByteCounter::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .collect()
}

#[test]
fn the_korean_fixture_is_a_rodong_page_of_new_years_day_2013() {
    // The masthead and dateline as rodong.rep.kp prints them, over the
    // first paragraphs of the 2013 address of ../shared/corpus.
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rodong-ko.txt");
    let mut all = items(&path, None);
    assert_eq!(all.len(), 1);
    let Some(Item::Record(r)) = all.pop() else {
        panic!("a record");
    };
    assert_eq!(r.outlet, "rodong");
    assert_eq!(r.published, NaiveDate::from_ymd_opt(2013, 1, 1));
    assert_eq!(r.title, "신년사");
    assert_eq!(r.paragraphs.len(), 5);
    assert_eq!(r.language.as_deref(), Some("ko"));
    assert!(r.language_detected);
    assert_eq!(r.commentary, None);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
#[ignore = "needs ../shared/corpus (cargo test -- --include-ignored)"]
fn every_new_year_address_is_read_or_rejected_with_its_line() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/nk-new-year-addresses");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("needs ../shared/corpus beside the repository: {e}"))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 73);
    let (mut read, mut rejected) = (Vec::new(), Vec::new());
    for f in &files {
        let year = f.file_stem().unwrap().to_string_lossy().into_owned();
        for item in items(f, None) {
            match item {
                Item::Record(r) => {
                    assert_eq!(r.outlet, "rodong");
                    assert!(!r.paragraphs.is_empty(), "{year}");
                    assert!(
                        r.commentary.is_some(),
                        "{year}: every annotated one has 해 제"
                    );
                    let published = r.published.unwrap().format("%Y").to_string();
                    // 1987's address is the speech of 30 December 1986.
                    let want = if year == "1987" { "1986" } else { &year };
                    assert_eq!(published, want, "{year}");
                    read.push(year.clone());
                }
                Item::Rejected(e) => {
                    assert!(e.origin.line >= 1, "{e}");
                    assert!(e.message.contains("원 문"), "{e}");
                    rejected.push(year.clone());
                }
                Item::Listing(_) => panic!("{year}: a listing"),
            }
        }
    }
    assert_eq!(read.len(), 58);
    assert_eq!(
        rejected,
        [
            "2004", "2005", "2007", "2008", "2009", "2010", "2011", "2012", "2013", "2014", "2015",
            "2016", "2017", "2018", "2019"
        ]
    );
    // --outlet wins over the default.
    let Some(Item::Record(r)) = items(&dir.join("1976.txt"), Some("kcna")).pop() else {
        panic!("1976 is read");
    };
    assert_eq!(r.outlet, "kcna");
}
