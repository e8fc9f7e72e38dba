//! The archive on a real SQLite file: identity, versions, idempotence.

use chrono::{NaiveDate, TimeZone, Utc};
use tealeaf_archive::{ArchiveReader, ArchiveWriter, Outcome, Prepared};
use tealeaf_model::{CaptureRecord, ListingRecord, SourceRef};

fn rec(title: &str, body: &[&str]) -> CaptureRecord {
    CaptureRecord {
        origin: SourceRef::line("t.jsonl", 1),
        id: None,
        outlet: "kcna".into(),
        url: Some("http://kcna/day-index.html".into()),
        language: Some("en".into()),
        published: NaiveDate::from_ymd_opt(2011, 12, 1),
        media: vec![],
        photo_count: None,
        title: title.into(),
        paragraphs: body.iter().map(|s| s.to_string()).collect(),
        byline: None,
        captured_at: None,
        status: None,
        warnings: vec![],
        commentary: None,
        language_detected: false,
    }
}

fn store(
    a: &mut ArchiveWriter,
    run: &mut tealeaf_archive::IngestRun,
    r: &CaptureRecord,
) -> Outcome {
    a.begin().unwrap();
    let o = a.store(run, r, &Prepared::of(r)).unwrap();
    a.commit().unwrap();
    o
}

fn id_of(o: &Outcome) -> String {
    match o {
        Outcome::NewArticle { id, .. }
        | Outcome::NewVersion { id, .. }
        | Outcome::Unchanged { id }
        | Outcome::Failed { id } => id.clone(),
        Outcome::Unattributed { reason } => panic!("{reason}"),
    }
}

#[test]
fn same_record_twice_is_unchanged_across_runs_and_reopens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("archive.sqlite");
    let r = rec("Title", &["Body one.", "Body two."]);
    let first = {
        let mut a = ArchiveWriter::open(&path).unwrap();
        let mut run = a.start_run(&[]).unwrap();
        let o = store(&mut a, &mut run, &r);
        assert!(matches!(o, Outcome::NewArticle { .. }), "{o:?}");
        assert!(
            matches!(store(&mut a, &mut run, &r), Outcome::Unchanged { .. }),
            "duplicate in one batch"
        );
        id_of(&o)
    };
    let mut a = ArchiveWriter::open(&path).unwrap();
    let mut run = a.start_run(&[]).unwrap();
    let again = store(&mut a, &mut run, &r);
    assert_eq!(again, Outcome::Unchanged { id: first.clone() });
    let s = a.stats().unwrap();
    assert_eq!((s.articles, s.versions, s.captures), (1, 1, 1));
    assert_eq!(
        a.schema_version().unwrap(),
        tealeaf_archive::SCHEMA_VERSION,
        "every migration applied"
    );
    const { assert!(tealeaf_archive::SCHEMA_VERSION >= 3) };
}

#[test]
fn same_title_and_day_with_different_stories_are_different_articles_sharing_a_url() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = ArchiveWriter::open(&dir.path().join("a.sqlite")).unwrap();
    let mut run = a.start_run(&[]).unwrap();
    let x = store(&mut a, &mut run, &rec("Mourning", &["Story X."]));
    let y = store(&mut a, &mut run, &rec("Mourning", &["Story Y."]));
    let z = store(&mut a, &mut run, &rec("Mourning", &["Story X."]));
    assert!(matches!(x, Outcome::NewArticle { .. }));
    assert!(matches!(y, Outcome::NewArticle { .. }));
    assert_ne!(id_of(&x), id_of(&y));
    assert_eq!(id_of(&z), id_of(&x));
    let ax = a.article(&id_of(&x)).unwrap();
    let ay = a.article(&id_of(&y)).unwrap();
    assert_eq!(
        ax.url, ay.url,
        "the shared url is kept but is not the identity"
    );

    // A later batch: the same two stories in the other order are recognized,
    // and an edit of one of them becomes its new version.
    let mut run2 = a.start_run(&[]).unwrap();
    assert_eq!(
        store(&mut a, &mut run2, &rec("Mourning", &["Story Y."])),
        Outcome::Unchanged { id: id_of(&y) }
    );
    let edited = store(&mut a, &mut run2, &rec("Mourning", &["Story X, edited."]));
    assert!(
        matches!(&edited, Outcome::NewVersion { id, seq: Some(_) } if *id == id_of(&x)),
        "{edited:?}"
    );
    let ax = a.article(&id_of(&x)).unwrap();
    assert_eq!(ax.versions.len(), 2);
    assert_eq!(ax.paragraphs, vec!["Story X, edited."]);
    assert_eq!(a.duplicate_articles().unwrap(), 0);
}

#[test]
fn versions_follow_capture_time_not_ingest_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = ArchiveWriter::open(&dir.path().join("a.sqlite")).unwrap();
    let mut run = a.start_run(&[]).unwrap();
    let at = |d: u32| Some(Utc.with_ymd_and_hms(2026, 1, d, 8, 0, 0).unwrap());
    let v = |text: &str, day: u32| {
        let mut r = rec("T", &[text]);
        r.id = Some("art-1".into());
        r.captured_at = at(day);
        r
    };
    let (c3, c1, c2, c1b) = (v("third", 3), v("first", 1), v("second", 2), v("first", 5));
    assert!(matches!(
        store(&mut a, &mut run, &c3),
        Outcome::NewArticle { .. }
    ));
    assert!(
        matches!(
            store(&mut a, &mut run, &c1),
            Outcome::NewVersion { seq: None, .. }
        ),
        "older: current stays"
    );
    assert!(matches!(
        store(&mut a, &mut run, &c2),
        Outcome::NewVersion { .. }
    ));
    assert!(
        matches!(
            store(&mut a, &mut run, &c1b),
            Outcome::NewVersion { seq: Some(_), .. }
        ),
        "a revert"
    );
    let art = a.article("art-1").unwrap();
    let texts: Vec<&str> = art
        .versions
        .iter()
        .map(|v| v.paragraphs[0].as_str())
        .collect();
    assert_eq!(texts, vec!["first", "second", "third", "first"]);
    assert_eq!(art.versions[0].first_seen, "2026-01-01T08:00:00Z");
    assert_eq!(art.paragraphs, vec!["first"], "current = latest capture");
    assert_eq!(art.last_seen, "2026-01-05T08:00:00Z");
}

#[test]
fn empty_capture_of_a_named_article_is_a_failed_capture_not_a_version() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = ArchiveWriter::open(&dir.path().join("a.sqlite")).unwrap();
    let mut run = a.start_run(&[]).unwrap();
    let mut good = rec("T", &["Body"]);
    good.id = Some("x".into());
    let mut empty = rec("", &[]);
    empty.id = Some("x".into());
    store(&mut a, &mut run, &good);
    assert_eq!(
        store(&mut a, &mut run, &empty),
        Outcome::Failed { id: "x".into() }
    );
    assert_eq!(
        store(&mut a, &mut run, &empty),
        Outcome::Failed { id: "x".into() }
    );
    let art = a.article("x").unwrap();
    assert_eq!(art.versions.len(), 1);
    assert_eq!(
        art.failed_captures, 1,
        "the same failed capture is recorded once"
    );
}

#[test]
fn title_only_articles_are_flagged_and_a_read_only_open_sees_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.sqlite");
    let mut a = ArchiveWriter::open(&path).unwrap();
    let mut run = a.start_run(&[]).unwrap();
    let o = store(&mut a, &mut run, &rec("Headline only", &[]));
    drop(a);
    let ro = ArchiveReader::open_read_only(&path).unwrap();
    let art = ro.article(&id_of(&o)).unwrap();
    assert!(art.title_only);
    assert_eq!(ro.stats().unwrap().title_only, 1);
}

fn capture_of(id: &str, day: u32, body: &[&str]) -> CaptureRecord {
    let mut r = rec("Talks held", body);
    r.id = Some(id.into());
    r.captured_at = Some(Utc.with_ymd_and_hms(2026, 1, day, 8, 0, 0).unwrap());
    r
}

fn kinds(a: &ArchiveReader, filter: &tealeaf_archive::ChangeFilter) -> Vec<String> {
    let mut out = Vec::new();
    a.for_each_change(filter, |c| {
        out.push(c.kind.to_string());
        Ok(())
    })
    .unwrap();
    out
}

#[test]
fn changes_left_pending_by_an_interrupted_run_are_analysed_on_read_and_completed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.sqlite");
    let body = [
        "The delegation arrived in Pyongyang on Monday.",
        "It was greeted at the airport by officials.",
    ];
    let edited = [
        "The delegation arrived in Pyongyang on Tuesday.",
        "It was greeted at the airport by officials.",
    ];
    let other = [
        "A bumper harvest was reaped on the farms of the province this year.",
        "Farmers thanked the state for fertilizer and machines.",
    ];
    {
        let mut a = ArchiveWriter::open(&path).unwrap();
        a.defer_changes(true);
        let mut run = a.start_run(&[]).unwrap();
        store(&mut a, &mut run, &capture_of("art-1", 1, &body));
        store(&mut a, &mut run, &capture_of("art-1", 2, &edited));
        store(&mut a, &mut run, &capture_of("art-1", 3, &other));
        let queued = a.take_pending_changes();
        assert_eq!(queued.len(), 2, "both changes queued, none analysed");
        // The run dies here: the analyses never come back.
    }
    let mut a = ArchiveWriter::open(&path).unwrap();
    assert!(a.has_pending_changes().unwrap());
    // A reader sees them analysed all the same, and filters by the result.
    let all = tealeaf_archive::ChangeFilter::default();
    assert_eq!(kinds(&a, &all), vec!["edited", "replaced"]);
    let replaced = tealeaf_archive::ChangeFilter {
        kinds: vec![tealeaf_diff::ChangeKind::Replaced],
        ..Default::default()
    };
    assert_eq!(kinds(&a, &replaced), vec!["replaced"]);
    // Completing stores them and clears the mark.
    assert_eq!(a.complete_pending_changes().unwrap(), 2);
    assert!(!a.has_pending_changes().unwrap());
    assert_eq!(a.complete_pending_changes().unwrap(), 0);
    assert_eq!(kinds(&a, &all), vec!["edited", "replaced"]);

    // A queued analysis computed elsewhere and stored is the same as inline.
    let mut b = ArchiveWriter::open(&dir.path().join("b.sqlite")).unwrap();
    b.defer_changes(true);
    let mut run = b.start_run(&[]).unwrap();
    store(&mut b, &mut run, &capture_of("art-1", 1, &body));
    store(&mut b, &mut run, &capture_of("art-1", 2, &edited));
    let queued = b.take_pending_changes();
    assert_eq!(queued.len(), 1);
    let analysis = std::thread::spawn({
        let job = queued[0].clone();
        move || job.analyse()
    })
    .join()
    .unwrap();
    assert_eq!(analysis.kind.as_str(), "edited");
    b.begin().unwrap();
    b.store_change_analysis(&queued[0], &analysis).unwrap();
    b.commit().unwrap();
    let mut hunks = String::new();
    b.for_each_change(&all, |c| {
        hunks = c.hunks.get().to_string();
        Ok(())
    })
    .unwrap();
    assert!(
        hunks.contains("Monday") && hunks.contains("Tuesday"),
        "{hunks}"
    );
}

#[test]
fn a_write_by_another_connection_between_batches_is_seen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.sqlite");
    let mut a = ArchiveWriter::open(&path).unwrap();
    let mut run = a.start_run(&[]).unwrap();
    store(&mut a, &mut run, &capture_of("art-1", 1, &["First text."]));
    store(&mut a, &mut run, &capture_of("art-1", 2, &["First text."]));
    // Another process stores a new version meanwhile.
    {
        let mut other = ArchiveWriter::open(&path).unwrap();
        let mut run = other.start_run(&[]).unwrap();
        let o = store(
            &mut other,
            &mut run,
            &capture_of("art-1", 3, &["Second text."]),
        );
        assert!(matches!(o, Outcome::NewVersion { .. }), "{o:?}");
    }
    // A later capture of the first text is a revert, not an extension of
    // the version this connection stored last.
    let o = store(&mut a, &mut run, &capture_of("art-1", 4, &["First text."]));
    assert!(
        matches!(o, Outcome::NewVersion { seq: Some(_), .. }),
        "{o:?}"
    );
    let art = a.article("art-1").unwrap();
    let texts: Vec<&str> = art
        .versions
        .iter()
        .map(|v| v.paragraphs[0].as_str())
        .collect();
    assert_eq!(texts, vec!["First text.", "Second text.", "First text."]);
}

#[test]
fn recaptures_in_one_transaction_extend_the_version_and_a_rederivation_wins() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = ArchiveWriter::open(&dir.path().join("a.sqlite")).unwrap();
    let mut run = a.start_run(&[]).unwrap();
    let text = ["Same text all along."];
    a.begin().unwrap();
    for day in [1, 2, 3] {
        a.store(
            &mut run,
            &capture_of("art-1", day, &text),
            &Prepared::of(&capture_of("art-1", day, &text)),
        )
        .unwrap();
    }
    // Written at the commit, not before.
    a.commit().unwrap();
    let art = a.article("art-1").unwrap();
    assert_eq!(art.versions.len(), 1);
    assert_eq!(art.versions[0].captures, 3);
    assert_eq!(art.versions[0].last_seen, "2026-01-03T08:00:00Z");
    assert_eq!(art.last_seen, "2026-01-03T08:00:00Z");

    // Re-captures waiting in a transaction, then an edit and an older
    // capture in the same one: the re-derivation counts every capture once.
    let edited = ["Same text, edited."];
    a.begin().unwrap();
    for (day, body) in [(4, &text), (5, &text), (7, &edited), (6, &text)] {
        let r = capture_of("art-1", day, body);
        a.store(&mut run, &r, &Prepared::of(&r)).unwrap();
    }
    let r = capture_of("art-1", 8, &edited);
    assert!(matches!(
        a.store(&mut run, &r, &Prepared::of(&r)).unwrap(),
        Outcome::Unchanged { .. }
    ));
    a.commit().unwrap();
    let art = a.article("art-1").unwrap();
    let seen: Vec<(i64, &str, &str)> = art
        .versions
        .iter()
        .map(|v| (v.captures, v.first_seen.as_str(), v.last_seen.as_str()))
        .collect();
    assert_eq!(
        seen,
        vec![
            (6, "2026-01-01T08:00:00Z", "2026-01-06T08:00:00Z"),
            (2, "2026-01-07T08:00:00Z", "2026-01-08T08:00:00Z"),
        ]
    );
    assert_eq!(art.last_seen, "2026-01-08T08:00:00Z");
}

fn gone_capture(id: &str, day: u32, hour: u32) -> CaptureRecord {
    let mut r = capture_of(id, day, &[]);
    r.title = String::new();
    r.status = Some(404);
    r.captured_at = Some(Utc.with_ymd_and_hms(2026, 1, day, hour, 0, 0).unwrap());
    r
}

fn put(a: &mut ArchiveWriter, run: &mut tealeaf_archive::IngestRun, r: &CaptureRecord) {
    if r.is_gone() {
        a.store_gone(run, r).unwrap();
    } else {
        a.store(run, r, &Prepared::of(r)).unwrap();
    }
}

/// Stores `caps` in one transaction, computing changes inline or, like
/// an ingest, deferred with the analyses stored as they come back.
fn change_kinds(path: &std::path::Path, caps: &[CaptureRecord], deferred: bool) -> Vec<String> {
    let mut a = ArchiveWriter::open(path).unwrap();
    a.defer_changes(deferred);
    let mut run = a.start_run(&[]).unwrap();
    a.begin().unwrap();
    let mut jobs = Vec::new();
    for r in caps {
        put(&mut a, &mut run, r);
        jobs.extend(a.take_pending_changes());
    }
    for job in jobs {
        let analysis = job.analyse();
        a.store_change_analysis(&job, &analysis).unwrap();
    }
    a.commit().unwrap();
    a.defer_changes(false);
    assert_eq!(
        a.complete_pending_changes().unwrap(),
        0,
        "nothing left pending"
    );
    kinds(&a, &tealeaf_archive::ChangeFilter::default())
}

const MONDAY: [&str; 2] = [
    "The delegation arrived in Pyongyang on Monday.",
    "It was greeted at the airport by officials of the ministry.",
];
const TUESDAY: [&str; 2] = [
    "The delegation arrived in Pyongyang on Tuesday.",
    "It was greeted at the airport by officials of the ministry.",
];

#[test]
fn an_edit_and_a_restoration_between_the_same_two_texts_keep_their_kinds() {
    let dir = tempfile::tempdir().unwrap();
    // A, B, A, gone, B: A→B is an edit the first time, a restoration the
    // second; both pending at once in a deferred run.
    let caps = [
        capture_of("x", 1, &MONDAY),
        capture_of("x", 2, &TUESDAY),
        capture_of("x", 3, &MONDAY),
        gone_capture("x", 4, 8),
        capture_of("x", 5, &TUESDAY),
    ];
    let want = ["edited", "edited", "removed", "restored"];
    assert_eq!(
        change_kinds(&dir.path().join("i.sqlite"), &caps, false),
        want
    );
    assert_eq!(
        change_kinds(&dir.path().join("d.sqlite"), &caps, true),
        want
    );

    // Killed before any analysis came back: read, then completed, alike.
    let path = dir.path().join("k.sqlite");
    {
        let mut a = ArchiveWriter::open(&path).unwrap();
        a.defer_changes(true);
        let mut run = a.start_run(&[]).unwrap();
        a.begin().unwrap();
        for r in &caps {
            put(&mut a, &mut run, r);
        }
        a.commit().unwrap();
    }
    let mut a = ArchiveWriter::open(&path).unwrap();
    let all = tealeaf_archive::ChangeFilter::default();
    assert_eq!(kinds(&a, &all), want, "as read while pending");
    a.complete_pending_changes().unwrap();
    assert_eq!(kinds(&a, &all), want, "as completed");
}

#[test]
fn a_late_removal_turns_an_analysed_edit_into_a_restoration() {
    let dir = tempfile::tempdir().unwrap();
    // The 404 of day 1, evening, arrives after day 2's text.
    let late = [
        capture_of("x", 1, &MONDAY),
        capture_of("x", 2, &TUESDAY),
        gone_capture("x", 1, 20),
    ];
    let mut in_order = late.clone();
    in_order.sort_by_key(|c| c.captured_at);
    let want = change_kinds(&dir.path().join("o.sqlite"), &in_order, false);
    assert_eq!(want, ["removed", "restored"]);
    assert_eq!(
        change_kinds(&dir.path().join("i.sqlite"), &late, false),
        want
    );
    assert_eq!(
        change_kinds(&dir.path().join("d.sqlite"), &late, true),
        want
    );
}

#[test]
fn a_capture_stored_outside_a_transaction_sees_another_connections_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.sqlite");
    let mut a = ArchiveWriter::open(&path).unwrap();
    let mut run = a.start_run(&[]).unwrap();
    put(&mut a, &mut run, &capture_of("x", 1, &MONDAY));
    {
        let mut other = ArchiveWriter::open(&path).unwrap();
        let mut run = other.start_run(&[]).unwrap();
        put(&mut other, &mut run, &capture_of("x", 2, &TUESDAY));
    }
    put(&mut a, &mut run, &capture_of("x", 3, &MONDAY));
    let art = a.article("x").unwrap();
    let days: Vec<&str> = art.versions.iter().map(|v| v.first_seen.as_str()).collect();
    assert_eq!(
        days,
        [
            "2026-01-01T08:00:00Z",
            "2026-01-02T08:00:00Z",
            "2026-01-03T08:00:00Z"
        ],
        "the revert is a version of its own"
    );
}

/// Versions (captures, first and last seen) and changes (ends, times and
/// kind) of `id`, as stored.
fn history(a: &ArchiveReader, id: &str) -> (Vec<(i64, String, String)>, Vec<String>) {
    let versions = a
        .article(id)
        .unwrap()
        .versions
        .iter()
        .map(|v| (v.captures, v.first_seen.clone(), v.last_seen.clone()))
        .collect();
    let mut changes = Vec::new();
    a.for_each_change(&tealeaf_archive::ChangeFilter::default(), |c| {
        changes.push(format!(
            "{} {}@{} -> {}@{} {}",
            c.kind, c.from.n, c.from.captured_at, c.to.n, c.to.captured_at, c.hunks
        ));
        Ok(())
    })
    .unwrap();
    (versions, changes)
}

#[test]
fn versions_appended_in_capture_order_equal_those_derived_from_every_capture() {
    // Re-captures waiting to extend a version, then new texts, all in one
    // transaction and in capture order (appended one by one), against the
    // same captures stored in reverse order (each re-derived from all).
    let edited = ["The delegation arrived in Pyongyang on Tuesday.", MONDAY[1]];
    let rewritten = ["A different text about something else entirely."];
    let caps = [
        capture_of("art-1", 1, &MONDAY),
        capture_of("art-1", 2, &MONDAY),
        capture_of("art-1", 3, &edited),
        capture_of("art-1", 4, &edited),
        capture_of("art-1", 5, &edited),
        capture_of("art-1", 6, &rewritten),
        capture_of("art-1", 7, &MONDAY),
        capture_of("art-1", 8, &MONDAY),
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut in_order = ArchiveWriter::open(&dir.path().join("in-order.sqlite")).unwrap();
    in_order.defer_changes(true);
    let mut run = in_order.start_run(&[]).unwrap();
    in_order.begin().unwrap();
    for r in &caps {
        put(&mut in_order, &mut run, r);
        for job in in_order.take_pending_changes() {
            let analysis = job.analyse();
            in_order.store_change_analysis(&job, &analysis).unwrap();
        }
    }
    in_order.commit().unwrap();

    let mut reversed = ArchiveWriter::open(&dir.path().join("reversed.sqlite")).unwrap();
    let mut run = reversed.start_run(&[]).unwrap();
    for r in caps.iter().rev() {
        store(&mut reversed, &mut run, r);
    }

    let (versions, changes) = history(&in_order, "art-1");
    assert_eq!(
        versions,
        vec![
            (
                2,
                "2026-01-01T08:00:00Z".into(),
                "2026-01-02T08:00:00Z".into()
            ),
            (
                3,
                "2026-01-03T08:00:00Z".into(),
                "2026-01-05T08:00:00Z".into()
            ),
            (
                1,
                "2026-01-06T08:00:00Z".into(),
                "2026-01-06T08:00:00Z".into()
            ),
            (
                2,
                "2026-01-07T08:00:00Z".into(),
                "2026-01-08T08:00:00Z".into()
            ),
        ]
    );
    assert_eq!(changes.len(), 3);
    assert!(changes[0].starts_with("edited 1@2026-01-02T08:00:00Z -> 2@2026-01-03T08:00:00Z"));
    assert_eq!(history(&reversed, "art-1"), (versions, changes));
    assert_eq!(
        in_order.article("art-1").unwrap().last_seen,
        "2026-01-08T08:00:00Z"
    );
}

/// The analysis of a one-paragraph article (the analyzer is built once).
fn analyse(para: &str) -> tealeaf_analyze::Analysis {
    static ANALYZER: std::sync::OnceLock<tealeaf_analyze::Analyzer> = std::sync::OnceLock::new();
    ANALYZER
        .get_or_init(|| tealeaf_analyze::Analyzer::new().unwrap())
        .analyze_parts("Talks held", &[para.to_string()], None)
}

/// A new archive at `path` holding article `art-1`, with the outcome of
/// storing it.
fn one_article(path: &std::path::Path) -> (ArchiveWriter, Outcome) {
    let mut a = ArchiveWriter::open(path).unwrap();
    let mut run = a.start_run(&[]).unwrap();
    let stored = store(&mut a, &mut run, &capture_of("art-1", 1, &MONDAY));
    (a, stored)
}

/// The names of the people and countries stored for article `id`, people
/// first, each most mentioned first.
fn names_of(a: &ArchiveReader, id: &str) -> Vec<String> {
    let e = a.entities_of(id).unwrap();
    e.people
        .into_iter()
        .chain(e.countries)
        .map(|e| e.name)
        .collect()
}

#[test]
fn an_analysis_replaced_before_its_rows_are_written_leaves_only_the_new_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.sqlite");
    let (mut a, _) = one_article(&path);
    // Written once, then analysed twice and again in one transaction: the
    // rows in between are never written, the written ones are replaced.
    a.begin().unwrap();
    a.store_analysis("art-1", 1, &analyse("Kim Jong Un met Choe Ryong Hae."))
        .unwrap();
    a.commit().unwrap();
    a.begin().unwrap();
    a.store_analysis("art-1", 2, &analyse("Ri Pyong Chol visited Russia."))
        .unwrap();
    a.store_analysis("art-1", 3, &analyse("Pak Thae Song visited China."))
        .unwrap();
    a.commit().unwrap();
    assert_eq!(names_of(&a, "art-1"), ["Pak Thae Song", "China"]);
}

#[test]
fn an_unchanged_analysis_only_moves_the_analysed_seq_and_a_changed_one_replaces_the_rows() {
    let names = |a: &ArchiveReader| names_of(a, "art-1");
    let dir = tempfile::tempdir().unwrap();
    let (mut a, first) = one_article(&dir.path().join("a.sqlite"));
    let Outcome::NewArticle { seq, .. } = first else {
        panic!("{first:?}")
    };
    let mut run = a.start_run(&[]).unwrap();
    let mut seq = Some(seq);
    for (day, (text, expected)) in (2..).zip([
        (
            "Kim Jong Un met Choe Ryong Hae.",
            ["Choe Ryong Hae", "Kim Jong Un"],
        ),
        // The same rows again: written once, still there.
        (
            "Kim Jong Un met Choe Ryong Hae.",
            ["Choe Ryong Hae", "Kim Jong Un"],
        ),
        (
            "Ri Pyong Chol met Pak Thae Song.",
            ["Pak Thae Song", "Ri Pyong Chol"],
        ),
    ]) {
        let seq = seq.take().unwrap_or_else(|| {
            // A new version of the article (its text is not what is
            // analysed here): a new seq to analyse.
            let body = [MONDAY[0], &format!("Day {day}.")];
            match store(&mut a, &mut run, &capture_of("art-1", day, &body)) {
                Outcome::NewVersion { seq: Some(seq), .. } => seq,
                other => panic!("{other:?}"),
            }
        });
        a.begin().unwrap();
        a.store_analysis("art-1", seq, &analyse(text)).unwrap();
        a.commit().unwrap();
        let mut got = names(&a);
        got.sort();
        assert_eq!(got, expected, "{text}");
        assert!(a.unanalyzed(10).unwrap().is_empty(), "analysed at {seq}");
    }
}

#[test]
fn titles_stored_in_rows_of_their_own_move_onto_the_mention_rows_on_open() {
    let analysis = analyse(
        "Respected Comrade Kim Jong Un, general secretary of the WPK, met Choe Ryong Hae, \
         president of the Presidium of the SPA, and Marshal Ri Pyong Chol.",
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.sqlite");
    let mut a = one_article(&path).0;
    a.begin().unwrap();
    a.store_analysis("art-1", 1, &analysis).unwrap();
    a.commit().unwrap();
    let titles_of = |a: &ArchiveReader, person: &str| -> Vec<String> {
        a.person(person)
            .unwrap()
            .titles
            .into_iter()
            .map(|t| format!("{} {:?} {}", t.title, t.first_seen, t.articles))
            .collect()
    };
    let people = ["Kim Jong Un", "Choe Ryong Hae", "Ri Pyong Chol"];
    let before: Vec<Vec<String>> = people.iter().map(|p| titles_of(&a, p)).collect();
    assert!(before.iter().flatten().count() >= 3, "{before:?}");
    drop(a);
    // The same archive as schema 3 wrote it: a row per title, no column.
    let conn = rusqlite::Connection::open(&path).unwrap();
    as_schema_4(&conn);
    conn.execute_batch(
        "CREATE TABLE person_titles(
             article_id TEXT NOT NULL, person TEXT NOT NULL, title TEXT NOT NULL,
             PRIMARY KEY(article_id, person, title)) WITHOUT ROWID;
         CREATE INDEX person_titles_person ON person_titles(person);
         INSERT INTO person_titles SELECT m.article_id, m.name, t.value
             FROM mentions m JOIN json_each(m.titles) t;
         ALTER TABLE mentions DROP COLUMN titles;
         PRAGMA user_version = 3;",
    )
    .unwrap();
    let rows: i64 = conn
        .query_row("SELECT COUNT(*) FROM person_titles", [], |r| r.get(0))
        .unwrap();
    assert!(rows >= 3);
    drop(conn);
    let a = ArchiveWriter::open(&path).unwrap();
    assert_eq!(a.schema_version().unwrap(), tealeaf_archive::SCHEMA_VERSION);
    let after: Vec<Vec<String>> = people.iter().map(|p| titles_of(&a, p)).collect();
    assert_eq!(after, before);
}

/// Turns the archive into what schema 4 stored: without the counts and
/// triggers of schema 12, mention rows keyed by article id, no seq.
fn as_schema_4(conn: &rusqlite::Connection) {
    let triggers: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for t in triggers {
        conn.execute_batch(&format!("DROP TRIGGER {t}")).unwrap();
    }
    conn.execute_batch(MENTIONS_AS_SCHEMA_4).unwrap();
}

const MENTIONS_AS_SCHEMA_4: &str = "
    DROP TABLE article_days; DROP TABLE row_counts; DROP TABLE entity_days;
    DROP TABLE entities; DROP TABLE title_days; DROP TABLE honorific_days;
    DROP INDEX IF EXISTS events_at; ALTER TABLE events DROP COLUMN at;
    CREATE TABLE mentions_4(
        article_id TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
        count INTEGER NOT NULL, in_title INTEGER NOT NULL, titles TEXT,
        PRIMARY KEY(article_id, kind, name)) WITHOUT ROWID;
    INSERT INTO mentions_4 SELECT article_id, kind, name, count, in_title, titles FROM mentions;
    DROP TABLE mentions;
    ALTER TABLE mentions_4 RENAME TO mentions;
    CREATE INDEX mentions_name ON mentions(name, kind);
    ALTER TABLE articles DROP COLUMN commentary;
    ALTER TABLE articles DROP COLUMN language_detected;
    ALTER TABLE captures DROP COLUMN run_id;
    ALTER TABLE failed_captures DROP COLUMN run_id;
    ALTER TABLE listing_captures DROP COLUMN run_id;
    ALTER TABLE runs DROP COLUMN forgotten_at;
    DROP INDEX related_features_text_key;
    DROP INDEX related_features_copy_of;
    ALTER TABLE related_features DROP COLUMN text_key;
    ALTER TABLE related_features DROP COLUMN copy_of;
    PRAGMA user_version = 4;";

#[test]
fn mentions_stored_by_article_move_under_the_analysed_seq_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.sqlite");
    let (mut a, first) = one_article(&path);
    let Outcome::NewArticle { seq, .. } = first else {
        panic!("{first:?}")
    };
    let mut run = a.start_run(&[]).unwrap();
    let Outcome::NewArticle { seq: seq_2, .. } =
        store(&mut a, &mut run, &capture_of("art-2", 2, &B_SINGLE))
    else {
        panic!("art-2 is new")
    };
    a.begin().unwrap();
    a.store_analysis(
        "art-1",
        seq,
        &analyse("Kim Jong Un met Choe Ryong Hae in Moscow."),
    )
    .unwrap();
    a.store_analysis(
        "art-2",
        seq_2,
        &analyse("Kim Jong Un and Ri Pyong Chol visited Russia."),
    )
    .unwrap();
    a.commit().unwrap();
    // Articles per person, from the aggregates the mention rows keep
    // (0: no longer known).
    let articles = |a: &ArchiveReader| -> Vec<i64> {
        ["Kim Jong Un", "Choe Ryong Hae", "Ri Pyong Chol"]
            .iter()
            .map(|p| match a.person(p) {
                Ok(v) => v.articles,
                Err(tealeaf_archive::ArchiveError::NotFound(_)) => 0,
                Err(e) => panic!("{p}: {e}"),
            })
            .collect()
    };
    let (before, names_before) = (articles(&a), names_of(&a, "art-1"));
    assert_eq!(before, [2, 1, 1]);
    drop(a);
    let conn = rusqlite::Connection::open(&path).unwrap();
    as_schema_4(&conn);
    // Rows of an article whose analysis is to be redone are not carried.
    conn.execute(
        "UPDATE articles SET analyzed_seq = NULL WHERE id = 'art-2'",
        [],
    )
    .unwrap();
    drop(conn);
    let mut a = ArchiveWriter::open(&path).unwrap();
    assert_eq!(a.schema_version().unwrap(), tealeaf_archive::SCHEMA_VERSION);
    assert_eq!(names_of(&a, "art-1"), names_before);
    assert!(names_of(&a, "art-2").is_empty());
    assert_eq!(articles(&a), [1, 1, 0]);
    // Analysed again, art-2 is back as it was, and art-1's rows are
    // replaced, not added to.
    a.begin().unwrap();
    a.store_analysis(
        "art-2",
        seq_2,
        &analyse("Kim Jong Un and Ri Pyong Chol visited Russia."),
    )
    .unwrap();
    a.store_analysis("art-1", seq, &analyse("Pak Thae Song visited China."))
        .unwrap();
    a.commit().unwrap();
    assert_eq!(names_of(&a, "art-1"), ["Pak Thae Song", "China"]);
    assert_eq!(articles(&a), [1, 0, 1]);
}

// Two spellings of one content (white space collapses in the hash): the
// archive keeps the first stored.
const B_SPACED: [&str; 2] = [MONDAY[0], "Kim  Jong  Un  inspected  the  farm."];
const B_SINGLE: [&str; 2] = [MONDAY[0], "Kim Jong Un inspected the farm."];

#[test]
fn an_appended_change_and_the_index_document_use_the_text_the_archive_holds() {
    let r = |id: &str, day: u32, body: &[&str]| capture_of(id, day, body);
    assert_eq!(
        Prepared::of(&r("x", 1, &B_SPACED)).content_hash,
        Prepared::of(&r("x", 1, &B_SINGLE)).content_hash
    );
    let dir = tempfile::tempdir().unwrap();
    let caps = [r("art-1", 2, &MONDAY), r("art-1", 3, &B_SINGLE)];
    let mut histories = Vec::new();
    for (name, order) in [("in-order", [0, 1]), ("reversed", [1, 0])] {
        let mut a = ArchiveWriter::open(&dir.path().join(format!("{name}.sqlite"))).unwrap();
        let mut run = a.start_run(&[]).unwrap();
        // Another article stored the content first, spaced.
        store(&mut a, &mut run, &r("art-0", 1, &B_SPACED));
        for i in order {
            store(&mut a, &mut run, &caps[i]);
        }
        if name == "in-order" {
            let mut stored = a.doc("art-1").unwrap();
            stored.people.clear();
            stored.countries.clear();
            let built = a
                .doc_after_capture("art-1", &caps[1], &Prepared::of(&caps[1]).content_hash)
                .unwrap();
            assert_eq!(built, stored, "index document");
        }
        histories.push(history(&a, "art-1"));
    }
    assert!(
        histories[0].1[0].contains("Kim  Jong  Un"),
        "{:?}",
        histories[0]
    );
    assert_eq!(histories[0], histories[1]);
}

#[test]
fn a_delisting_recorded_before_a_derived_id_article_existed_is_in_its_history() {
    let mut first = rec("Talks held", &MONDAY);
    first.captured_at = Some(Utc.with_ymd_and_hms(2026, 1, 1, 8, 0, 0).unwrap());
    let mut edited = rec("Talks held", &TUESDAY);
    edited.captured_at = Some(Utc.with_ymd_and_hms(2026, 1, 4, 8, 0, 0).unwrap());
    let key = Prepared::of(&first).identity_key.unwrap();
    let id = tealeaf_model::identity::derived_id(&key, 0);
    let listing = |day: u32, items: Vec<String>| ListingRecord {
        origin: SourceRef::line("l.jsonl", day as u64),
        listing: "front".into(),
        outlet: "kcna".into(),
        captured_at: Some(Utc.with_ymd_and_hms(2026, 1, day, 8, 0, 0).unwrap()),
        items,
    };
    let dir = tempfile::tempdir().unwrap();
    let mut a = ArchiveWriter::open(&dir.path().join("a.sqlite")).unwrap();
    let mut run = a.start_run(&[]).unwrap();
    a.begin().unwrap();
    a.store_listing(&mut run, &listing(2, vec![id.clone()]))
        .unwrap();
    a.store_listing(&mut run, &listing(3, vec![])).unwrap();
    a.commit().unwrap();
    for r in [&first, &edited] {
        // A derived id's later text is its new version across runs.
        let mut run = a.start_run(&[]).unwrap();
        store(&mut a, &mut run, r);
    }
    let gone: Vec<Option<String>> = a
        .article(&id)
        .unwrap()
        .versions
        .into_iter()
        .map(|v| v.gone)
        .collect();
    assert_eq!(gone, vec![None, Some("delisted".to_string()), None]);
}

#[test]
fn another_connections_analysis_is_replaced_even_by_rows_this_one_wrote_before() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.sqlite");
    let (mut a, _) = one_article(&path);
    let ours = "Kim Jong Un met Choe Ryong Hae.";
    a.begin().unwrap();
    a.store_analysis("art-1", 1, &analyse(ours)).unwrap();
    a.commit().unwrap();
    {
        let mut b = ArchiveWriter::open(&path).unwrap();
        b.begin().unwrap();
        b.store_analysis("art-1", 1, &analyse("Pak Thae Song visited China."))
            .unwrap();
        b.commit().unwrap();
    }
    a.begin().unwrap();
    a.store_analysis("art-1", 1, &analyse(ours)).unwrap();
    a.commit().unwrap();
    let mut names = names_of(&a, "art-1");
    names.sort();
    assert_eq!(names, ["Choe Ryong Hae", "Kim Jong Un"]);
}

#[test]
fn new_articles_stored_as_analysed_are_unmarked_when_their_analysis_misses_the_commit() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = ArchiveWriter::open(&dir.path().join("a.sqlite")).unwrap();
    let mut run = a.start_run(&[]).unwrap();
    a.expect_analysis(true);
    a.begin().unwrap();
    let mut stored = Vec::new();
    for id in ["art-1", "art-2", "art-3"] {
        let r = capture_of(id, 1, &MONDAY);
        match a.store(&mut run, &r, &Prepared::of(&r)).unwrap() {
            Outcome::NewArticle { id, seq } => stored.push((id, seq)),
            other => panic!("{other:?}"),
        }
    }
    // Only the first article's analysis comes back before the commit.
    let (first, seq) = stored[0].clone();
    let rows =
        tealeaf_archive::AnalysisRowsOf::new(&first, &analyse("Kim Jong Un met Choe Ryong Hae."));
    a.store_analysis_of_new_article(seq, rows).unwrap();
    a.commit().unwrap();
    let mut names = names_of(&a, &first);
    names.sort();
    assert_eq!(names, ["Choe Ryong Hae", "Kim Jong Un"]);
    let mut due: Vec<String> = a
        .unanalyzed(10)
        .unwrap()
        .into_iter()
        .map(|(_, d)| d.id)
        .collect();
    due.sort();
    assert_eq!(due, [stored[1].0.clone(), stored[2].0.clone()]);
    // The others come back in the next transaction and are marked then.
    a.begin().unwrap();
    for (id, seq) in &stored[1..] {
        let rows =
            tealeaf_archive::AnalysisRowsOf::new(id, &analyse("Ri Pyong Chol visited Russia."));
        a.store_analysis_of_new_article(*seq, rows).unwrap();
    }
    a.commit().unwrap();
    assert!(a.unanalyzed(10).unwrap().is_empty());
    assert_eq!(names_of(&a, &stored[2].0), ["Ri Pyong Chol", "Russia"]);
    // An archive opened after the commit sees the same.
    drop(a);
    let b = ArchiveWriter::open(&dir.path().join("a.sqlite")).unwrap();
    assert!(b.unanalyzed(10).unwrap().is_empty());
}
