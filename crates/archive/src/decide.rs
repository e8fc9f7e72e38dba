//! Which article a capture is, and what it does to the article's history:
//! the decisions of identity and versions, pure and without SQL, so that
//! they can be tested on their own.
//!
//! Owns: the values a capture is stored by ([`Prepared`]: content hash,
//! identity key), the choice of ordinal under an identity key, whether a
//! capture extends, appends to or re-derives an article's versions, the
//! derivation of versions from an ordered history, and which two contents
//! each change joins.
//!
//! Must not touch: SQLite (the writer modules read and store what these
//! functions decide), the index, the terminal.

use tealeaf_model::identity::identity_key;
use tealeaf_model::CaptureRecord;

/// The derived values storing a capture needs: computed by
/// [`Prepared::of`] on any thread, so that ingest can do it beside the
/// archive writer.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub content_hash: String,
    /// `None` for records with an explicit id.
    pub identity_key: Option<String>,
    pub paragraphs_json: String,
}

impl Prepared {
    pub fn of(rec: &CaptureRecord) -> Prepared {
        Prepared {
            content_hash: rec.content_hash(),
            identity_key: rec.id.is_none().then(|| {
                identity_key(
                    &rec.outlet,
                    rec.published,
                    rec.language.as_deref(),
                    &rec.title,
                )
            }),
            paragraphs_json: serde_json::to_string(&rec.paragraphs).unwrap_or_else(|_| "[]".into()),
        }
    }
}

/// An article's state as last stored by the writer.
#[derive(Debug, Clone)]
pub(crate) struct ArticleState {
    pub(crate) current: String,
    pub(crate) last_seen: String,
    pub(crate) versions: i64,
    pub(crate) gone: bool,
}

/// What a capture with content does to a known article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// The current content seen again, not earlier than anything known:
    /// the last version's `last_seen` and capture count grow.
    Extend,
    /// New content seen after everything known of the (not gone) article:
    /// a version is appended, nothing before it is re-derived.
    Append,
    /// Anything else (an earlier capture, or the article is gone): its
    /// versions are derived again from all its captures.
    Rederive,
}

/// How a capture of `hash` observed at `observed_at` changes an article in
/// `state` (timestamps compare as text: they are all RFC 3339 in UTC).
pub(crate) fn step(state: &ArticleState, hash: &str, observed_at: &str) -> Step {
    if state.gone {
        Step::Rederive
    } else if hash == state.current && observed_at >= state.last_seen.as_str() {
        Step::Extend
    } else if observed_at > state.last_seen.as_str() {
        Step::Append
    } else {
        Step::Rederive
    }
}

/// The ordinal under an identity key for a content: `archived`, the
/// ordinal of the stored article that already holds the content, if any;
/// else the smallest ordinal not `claimed` by this run. The flag is true
/// when no stored article can have that ordinal (`stored` lists the
/// ordinals stored under the key), so the article is certainly new.
pub(crate) fn ordinal(archived: Option<u32>, claimed: &[u32], stored: &[u32]) -> (u32, bool) {
    let ord = match archived {
        Some(ord) => ord,
        None => (0..).find(|o| !claimed.contains(o)).unwrap_or(0),
    };
    let known_new = archived.is_none() && !stored.contains(&ord);
    (ord, known_new)
}

/// A content hash (hex) as a number, for compact sets and maps.
pub(crate) fn hex_u128(hex: &str) -> u128 {
    u128::from_str_radix(hex, 16).unwrap_or(0)
}

/// What happened at one moment of an article's history.
pub(crate) enum Event {
    Content(String),
    Gone(String),
    /// A listing held the article (no content seen).
    Listed,
}

/// One derived version: a content state, or the article gone.
pub(crate) struct DerivedVersion {
    pub(crate) hash: String,
    pub(crate) gone: Option<String>,
    pub(crate) first: String,
    pub(crate) last: String,
    pub(crate) captures: i64,
}

/// Consecutive captures of one content are one version; a gone capture
/// starts a gone version; a listing that holds a gone article again
/// restores its last content. Events before the first content are ignored
/// (nothing to remove yet).
pub(crate) fn derive_versions(events: Vec<(String, u8, i64, Event)>) -> Vec<DerivedVersion> {
    let mut versions: Vec<DerivedVersion> = Vec::new();
    let mut last_content: Option<String> = None;
    for (at, _, _, event) in events {
        match event {
            Event::Content(hash) => {
                match versions.last_mut() {
                    Some(v) if v.gone.is_none() && v.hash == hash => {
                        v.last = at;
                        v.captures += 1;
                    }
                    _ => versions.push(DerivedVersion {
                        hash: hash.clone(),
                        gone: None,
                        first: at.clone(),
                        last: at,
                        captures: 1,
                    }),
                }
                last_content = Some(hash);
            }
            Event::Gone(reason) => match versions.last_mut() {
                None => {}
                Some(v) if v.gone.is_some() => {
                    v.last = at;
                    v.captures += 1;
                }
                Some(_) => versions.push(DerivedVersion {
                    hash: String::new(),
                    gone: Some(reason),
                    first: at.clone(),
                    last: at,
                    captures: 1,
                }),
            },
            Event::Listed => match (versions.last_mut(), &last_content) {
                (Some(v), Some(hash)) if v.gone.is_some() => versions.push(DerivedVersion {
                    hash: hash.clone(),
                    gone: None,
                    first: at.clone(),
                    last: at,
                    captures: 1,
                }),
                (Some(v), _) => {
                    if at > v.last {
                        v.last = at;
                    }
                }
                (None, _) => {}
            },
        }
    }
    versions
}

/// The two contents a change between versions `old` and `new` joins
/// (`last_content`: the last content before `old`, or `old`'s own): a
/// removal goes to '', a restoration comes from the last content before
/// the removal, so that its hunks show what came back different. `None`
/// between two gone versions.
pub(crate) fn change_ends(
    old: &DerivedVersion,
    new: &DerivedVersion,
    last_content: Option<&str>,
) -> Option<(String, String)> {
    match (&old.gone, &new.gone) {
        (None, Some(_)) => Some((old.hash.clone(), String::new())),
        (Some(_), None) => Some((last_content.unwrap_or("").to_string(), new.hash.clone())),
        (None, None) => Some((old.hash.clone(), new.hash.clone())),
        (Some(_), Some(_)) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(current: &str, last_seen: &str, gone: bool) -> ArticleState {
        ArticleState {
            current: current.into(),
            last_seen: last_seen.into(),
            versions: 1,
            gone,
        }
    }

    #[test]
    fn the_current_content_seen_again_later_or_at_once_extends() {
        let s = state("aa", "2025-01-02T00:00:00Z", false);
        assert_eq!(step(&s, "aa", "2025-01-02T00:00:00Z"), Step::Extend);
        assert_eq!(step(&s, "aa", "2025-01-03T00:00:00Z"), Step::Extend);
    }

    #[test]
    fn new_content_after_everything_known_appends() {
        let s = state("aa", "2025-01-02T00:00:00Z", false);
        assert_eq!(step(&s, "bb", "2025-01-03T00:00:00Z"), Step::Append);
    }

    #[test]
    fn earlier_captures_and_gone_articles_rederive() {
        let s = state("aa", "2025-01-02T00:00:00Z", false);
        // An earlier capture, of the current content or another.
        assert_eq!(step(&s, "aa", "2025-01-01T00:00:00Z"), Step::Rederive);
        assert_eq!(step(&s, "bb", "2025-01-01T00:00:00Z"), Step::Rederive);
        // New content at the very moment of the last capture.
        assert_eq!(step(&s, "bb", "2025-01-02T00:00:00Z"), Step::Rederive);
        // A gone article comes back only through a re-derivation.
        let gone = state("aa", "2025-01-02T00:00:00Z", true);
        assert_eq!(step(&gone, "aa", "2025-01-03T00:00:00Z"), Step::Rederive);
        assert_eq!(step(&gone, "bb", "2025-01-03T00:00:00Z"), Step::Rederive);
    }

    #[test]
    fn a_stored_holder_of_the_content_keeps_its_ordinal() {
        assert_eq!(ordinal(Some(2), &[0, 1], &[0, 1, 2]), (2, false));
    }

    #[test]
    fn other_content_takes_the_smallest_ordinal_this_run_left_free() {
        // Nothing stored, nothing claimed: ordinal 0, certainly new.
        assert_eq!(ordinal(None, &[], &[]), (0, true));
        // Ordinal 0 claimed in this run by other content: 1.
        assert_eq!(ordinal(None, &[0], &[]), (1, true));
        assert_eq!(ordinal(None, &[0, 2], &[]), (1, true));
        // A stored article has ordinal 1 (with other content): the
        // article may exist, so it is looked up.
        assert_eq!(ordinal(None, &[0], &[0, 1]), (1, false));
    }

    fn at(day: u32) -> String {
        format!("2025-01-{day:02}T00:00:00Z")
    }

    fn history(events: &[(u32, Event)]) -> Vec<DerivedVersion> {
        let events = events
            .iter()
            .enumerate()
            .map(|(i, (day, e))| {
                let e = match e {
                    Event::Content(h) => Event::Content(h.clone()),
                    Event::Gone(r) => Event::Gone(r.clone()),
                    Event::Listed => Event::Listed,
                };
                (at(*day), 0, i as i64, e)
            })
            .collect();
        derive_versions(events)
    }

    fn summary(vs: &[DerivedVersion]) -> Vec<(String, Option<String>, String, String, i64)> {
        vs.iter()
            .map(|v| {
                (
                    v.hash.clone(),
                    v.gone.clone(),
                    v.first.clone(),
                    v.last.clone(),
                    v.captures,
                )
            })
            .collect()
    }

    #[test]
    fn consecutive_captures_of_one_content_are_one_version() {
        let c = |h: &str| Event::Content(h.into());
        let vs = history(&[(1, c("a")), (2, c("a")), (3, c("b")), (4, c("a"))]);
        assert_eq!(
            summary(&vs),
            vec![
                ("a".into(), None, at(1), at(2), 2),
                ("b".into(), None, at(3), at(3), 1),
                ("a".into(), None, at(4), at(4), 1),
            ]
        );
    }

    #[test]
    fn removals_start_gone_versions_and_a_listing_restores() {
        let vs = history(&[
            (1, Event::Gone("404".into())), // before any content: ignored
            (2, Event::Content("a".into())),
            (3, Event::Gone("404".into())),
            (4, Event::Gone("410".into())),
            (5, Event::Listed),
            (6, Event::Listed),
        ]);
        assert_eq!(
            summary(&vs),
            vec![
                ("a".into(), None, at(2), at(2), 1),
                (String::new(), Some("404".into()), at(3), at(4), 2),
                ("a".into(), None, at(5), at(6), 1),
            ]
        );
    }

    #[test]
    fn changes_join_the_contents_on_either_side_of_a_removal() {
        let vs = history(&[
            (1, Event::Content("a".into())),
            (2, Event::Gone("404".into())),
            (3, Event::Gone("delisted".into())),
            (4, Event::Content("b".into())),
        ]);
        assert_eq!(vs.len(), 3);
        assert_eq!(
            change_ends(&vs[0], &vs[1], Some("a")),
            Some(("a".into(), String::new()))
        );
        // Restored: from the last content before the removal.
        assert_eq!(
            change_ends(&vs[1], &vs[2], Some("a")),
            Some(("a".into(), "b".into()))
        );
        let gone = &vs[1];
        assert_eq!(change_ends(gone, gone, Some("a")), None);
    }
}
