//! The batch's caches of ordinals claimed under identity keys are caches:
//! an archive whose run forgets them at once gives every record the same
//! article as one that keeps them (issue 22: ingest memory that does not
//! grow with the batch).

use chrono::{NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use tealeaf_archive::{ArchiveWriter, Outcome, Prepared};
use tealeaf_model::{CaptureRecord, SourceRef};

/// One record: which title (identity key), which story, which capture
/// moment (`None`: the input gave none).
type Step = (u8, u8, Option<u8>);

fn record((title, story, moment): Step) -> CaptureRecord {
    CaptureRecord {
        origin: SourceRef::line("t.jsonl", 1),
        id: None,
        outlet: "kcna".into(),
        url: Some("http://kcna/day-index.html".into()),
        language: Some("en".into()),
        published: NaiveDate::from_ymd_opt(2011, 12, 1),
        media: vec![],
        photo_count: None,
        title: format!("Title {title}"),
        paragraphs: vec![format!("Story {story}.")],
        byline: None,
        captured_at: moment.map(|h| {
            Utc.with_ymd_and_hms(2011, 12, 2, u32::from(h), 0, 0)
                .single()
                .expect("a valid hour")
        }),
        status: None,
        warnings: vec![],
        commentary: None,
        language_detected: false,
    }
}

/// Stores the runs one batch each; every record's outcome.
fn outcomes(runs: &[Vec<Step>], cache_entries: Option<usize>) -> Vec<Outcome> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut archive = ArchiveWriter::open(&dir.path().join("a.sqlite")).expect("an archive");
    let mut out = Vec::new();
    for steps in runs {
        let mut run = archive.start_run(&[]).expect("a run");
        if let Some(n) = cache_entries {
            run.limit_caches(n);
        }
        archive.begin().expect("a transaction");
        for &step in steps {
            let rec = record(step);
            out.push(
                archive
                    .store(&mut run, &rec, &Prepared::of(&rec))
                    .expect("stored"),
            );
        }
        archive.commit().expect("committed");
    }
    out
}

fn step() -> impl Strategy<Value = Step> {
    (0u8..2, 0u8..4, prop::option::of(0u8..3))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]
    #[test]
    fn forgetting_the_claims_cache_changes_no_article(
        runs in prop::collection::vec(prop::collection::vec(step(), 1..12), 1..4)
    ) {
        let kept = outcomes(&runs, None);
        prop_assert_eq!(&kept, &outcomes(&runs, Some(0)));
        prop_assert_eq!(&kept, &outcomes(&runs, Some(1)));
    }
}

#[test]
fn a_dump_read_again_keeps_its_claims_when_the_cache_forgets_them() {
    // Run 1 stores two stories under one key at one moment: two articles.
    // Run 2 reads story 0 again (its capture already stored by run 1),
    // then a third story at that moment: it must not take story 0's
    // article, which this run has seen at that moment.
    let runs = vec![
        vec![(0, 0, Some(1)), (0, 1, Some(1))],
        vec![(0, 0, Some(1)), (1, 3, None), (0, 2, Some(1))],
    ];
    let forgetful = outcomes(&runs, Some(0));
    assert_eq!(forgetful, outcomes(&runs, None));
    let id = |o: &Outcome| match o {
        Outcome::NewArticle { id, .. }
        | Outcome::NewVersion { id, .. }
        | Outcome::Unchanged { id }
        | Outcome::Failed { id } => id.clone(),
        Outcome::Unattributed { reason } => panic!("{reason}"),
    };
    assert_eq!(
        forgetful[2],
        Outcome::Unchanged {
            id: id(&forgetful[0])
        }
    );
    assert_ne!(id(&forgetful[4]), id(&forgetful[0]), "{forgetful:?}");
}

#[test]
fn two_contents_a_fraction_of_a_second_apart_are_versions_of_one_article() {
    // Two fetches of one page within a second: a history, not a dump.
    let at = |ms: i64| {
        let mut rec = record((0, 0, None));
        rec.captured_at = Utc
            .with_ymd_and_hms(2011, 12, 2, 0, 0, 0)
            .single()
            .map(|t| t + chrono::Duration::milliseconds(ms));
        rec
    };
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut archive = ArchiveWriter::open(&dir.path().join("a.sqlite")).expect("an archive");
    let mut run = archive.start_run(&[]).expect("a run");
    archive.begin().expect("a transaction");
    let first = at(100);
    let mut second = at(200);
    second.paragraphs = vec!["Story 1.".into()];
    let a = archive
        .store(&mut run, &first, &Prepared::of(&first))
        .expect("stored");
    let b = archive
        .store(&mut run, &second, &Prepared::of(&second))
        .expect("stored");
    archive.commit().expect("committed");
    assert!(matches!(a, Outcome::NewArticle { .. }), "{a:?}");
    assert!(matches!(b, Outcome::NewVersion { .. }), "{b:?}");
}
