//! The text-page reader on the seed page and on variants written for these
//! tests.

use std::path::PathBuf;

use chrono::NaiveDate;
use tealeaf_model::{CaptureRecord, Media};
use tealeaf_read::page::parse_page;

fn seed_text() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/pages/000_f3b22d0fefd5ee43.txt");
    std::fs::read_to_string(path).expect("the seed fixture ships in the repo")
}

/// A file of `../shared/corpus` beside the repository. Tests that read it
/// are `#[ignore]`d with that reason; run anyway (`--include-ignored`),
/// they fail here when it is absent.
fn shared(file: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus")
        .join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "needs ../shared/corpus beside the repository; cannot read {}: {e}",
            path.display()
        )
    })
}

fn parse(text: &str) -> CaptureRecord {
    parse_page("test.txt", text, None).unwrap_or_else(|e| panic!("should parse: {e}"))
}

const TITLE: &str =
    "Respected Comrade Kim Jong Un Sends New Year\u{2019}s Message to Officers and Soldiers of Overseas Operations Units";

#[test]
fn seed_page_is_read_exactly() {
    let r = parse(&seed_text());
    assert_eq!(r.outlet, "rodong");
    assert_eq!(
        tealeaf_model::Outlet::display_name(&r.outlet),
        "Rodong Sinmun"
    );
    assert_eq!(r.published, NaiveDate::from_ymd_opt(2026, 1, 1));
    assert_eq!(r.media, vec![Media::Photo]);
    assert_eq!(r.photo_count, Some(11));
    assert_eq!(r.title, TITLE);
    assert_eq!(r.paragraphs.len(), 25);
    assert!(r.paragraphs[0]
        .starts_with("The respected Comrade Kim Jong Un sent a congratulatory message"));
    assert!(r.paragraphs[24].ends_with("warm militant salute."));
    assert!(
        r.paragraphs.iter().all(|p| !p.contains("1 / 11")),
        "the gallery counter is not text"
    );
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(r.language.as_deref(), Some("en"));
}

#[test]
#[ignore = "needs ../shared/corpus (cargo test -- --include-ignored)"]
fn seed_fixture_is_the_shared_seed() {
    let text = shared("seed/000_f3b22d0fefd5ee43.txt");
    assert_eq!(
        text,
        seed_text(),
        "fixtures/pages must be the seed exactly as received"
    );
}

#[test]
fn crlf_bom_and_no_final_newline_give_the_same_article() {
    let seed = seed_text();
    let base = parse(&seed);
    let crlf = parse(&seed.replace('\n', "\r\n"));
    let bom = parse(&format!("\u{feff}{seed}"));
    let lone_cr = parse(&seed.replace('\n', "\r"));
    let newline = parse(&format!("{seed}\n\n"));
    for other in [crlf, bom, lone_cr, newline] {
        assert_eq!(other.title, base.title);
        assert_eq!(other.paragraphs, base.paragraphs);
        assert_eq!(other.photo_count, base.photo_count);
    }
}

fn page(masthead: &str, dateline: &str, tail: &str) -> String {
    format!("{masthead}\n{dateline}\n\nA Headline\n\nFirst paragraph.\n\nSecond paragraph.{tail}")
}

#[test]
fn every_form_of_september_parses() {
    let want = NaiveDate::from_ymd_opt(2025, 9, 9);
    for d in [
        "Sept. 9, 2025",
        "September 9, 2025",
        "Sep 9, 2025",
        "Sep. 9, 2025 Tuesday",
    ] {
        let r = parse(&page("Rodong Sinmun", d, ""));
        assert_eq!(r.published, want, "{d}");
        assert!(r.warnings.is_empty(), "{d}: {:?}", r.warnings);
    }
}

#[test]
fn missing_weekday_is_fine_and_a_wrong_one_is_kept_with_a_warning() {
    let r = parse(&page("Rodong Sinmun", "Jan. 1, 2026", ""));
    assert_eq!(r.published, NaiveDate::from_ymd_opt(2026, 1, 1));
    assert!(r.warnings.is_empty());
    let r = parse(&page("Rodong Sinmun", "Jan. 1, 2026 Friday", ""));
    assert_eq!(
        r.published,
        NaiveDate::from_ymd_opt(2026, 1, 1),
        "the printed date is kept"
    );
    assert_eq!(r.warnings.len(), 1);
    assert!(
        r.warnings[0].contains("Friday") && r.warnings[0].contains("Thursday"),
        "{}",
        r.warnings[0]
    );
}

#[test]
fn video_marker_no_counter_one_masthead_and_kcna() {
    let r = parse(&page("KCNA", "Oct. 10, 2025 Friday [Video]", ""));
    assert_eq!(r.outlet, "kcna");
    assert_eq!(r.media, vec![Media::Video]);
    assert_eq!(r.photo_count, None);
    assert_eq!(r.title, "A Headline");
    assert_eq!(r.paragraphs, vec!["First paragraph.", "Second paragraph."]);

    let r = parse(&page(
        "Korean Central News Agency",
        "Oct. 10, 2025 [Photo] [Video]",
        "\n\n2 / 5\n",
    ));
    assert_eq!(r.media, vec![Media::Photo, Media::Video]);
    assert_eq!(r.photo_count, Some(5));
    assert_eq!(r.paragraphs.len(), 2);
}

#[test]
fn a_counter_without_a_photo_marker_still_means_photos() {
    let r = parse(&page("Rodong Sinmun", "Oct. 10, 2025", "\n\n1 / 3"));
    assert_eq!(r.media, vec![Media::Photo]);
    assert_eq!(r.photo_count, Some(3));
}

#[test]
fn pages_that_are_not_pages_are_rejected_with_a_reason() {
    let cases = [
        ("", "empty"),
        ("Just some text\nwith lines\n", "masthead"),
        (
            "Rodong Sinmun\nNot a date at all\n\nTitle\n\nBody",
            "dateline",
        ),
        (
            "Rodong Sinmun\nJan. 1, 2026 Thursday [Audio]\n\nTitle",
            "dateline",
        ),
        ("Rodong Sinmun\nJan. 1, 2026\n\n\n", "headline"),
        ("Rodong Sinmun\nFeb. 30, 2026\n\nTitle\n\nBody", "dateline"),
    ];
    for (text, reason) in cases {
        let e = parse_page("bad.txt", text, None).expect_err(text);
        assert!(e.message.contains(reason), "{text:?}: {}", e.message);
        assert_eq!(e.origin.source, "bad.txt");
    }
}

#[test]
#[ignore = "needs ../shared/corpus (cargo test -- --include-ignored)"]
fn a_korean_new_year_address_is_not_a_page() {
    let text = shared("nk-new-year-addresses/1990.txt");
    let e = parse_page("1990.txt", &text, None).expect_err("not a page");
    assert!(e.message.contains("masthead"), "{}", e.message);
    assert!(e.origin.line >= 1);
}

#[test]
fn a_title_only_page_is_kept() {
    let r = parse("Rodong Sinmun\nJan. 2, 2026 Friday\n\nOnly A Headline\n");
    assert_eq!(r.title, "Only A Headline");
    assert!(r.paragraphs.is_empty());
    assert!(r.is_title_only());
}
