//! Change analysis between two versions of an article.
//!
//! Owns: the *cosmetic* fold (what does not count as a change of words),
//! the classification of a change (`edited`, `rewritten`, `replaced`,
//! `cosmetic`; `removed`/`restored` are decided by the archive from capture
//! status), paragraph alignment with moved paragraphs, word diffs, and the
//! hunks reported by `tealeaf changes`. Thresholds are in [`Thresholds`] and
//! documented in `docs/changes.md`.
//!
//! Must not touch: storage, the index, the terminal. Pure functions over
//! text, so that the archive (at ingest) and the CLI (for display) agree.

mod align;
mod fold;

use serde::{Deserialize, Serialize};

pub use align::{align, word_diff, Block, WordOp};
pub use fold::{fold, words};

/// A version's text.
#[derive(Debug, Clone, Copy)]
pub struct Content<'a> {
    pub title: &'a str,
    pub paragraphs: &'a [String],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// A few words, a sentence or a paragraph changed.
    Edited,
    /// Much of the text changed, but it is the same story.
    Rewritten,
    /// The article now holds a different story.
    Replaced,
    /// Only white space, quote or dash style, letter case or encoding.
    Cosmetic,
    /// The article is gone (HTTP 404/410, or dropped from a listing).
    Removed,
    /// The article is back after a removal.
    Restored,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 6] = [
        ChangeKind::Edited,
        ChangeKind::Rewritten,
        ChangeKind::Replaced,
        ChangeKind::Cosmetic,
        ChangeKind::Removed,
        ChangeKind::Restored,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Edited => "edited",
            ChangeKind::Rewritten => "rewritten",
            ChangeKind::Replaced => "replaced",
            ChangeKind::Cosmetic => "cosmetic",
            ChangeKind::Removed => "removed",
            ChangeKind::Restored => "restored",
        }
    }

    pub fn parse(s: &str) -> Option<ChangeKind> {
        ChangeKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// Whether the words changed (everything but `cosmetic`).
    pub fn is_substantive(self) -> bool {
        self != ChangeKind::Cosmetic
    }
}

impl std::fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where the kinds part, set so that the edits planted in kcna-2011
/// articles by `bench/changes.py` come out as their kind; the reasoning
/// is in docs/changes.md.
#[derive(Debug, Clone, Copy)]
pub struct Thresholds {
    /// At most this share of words changed: `edited`; more: `rewritten`.
    pub edited_max_changed: f64,
    /// Below this word-pair similarity the two versions are different
    /// stories: `replaced`.
    pub replaced_max_similarity: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            edited_max_changed: 0.30,
            replaced_max_similarity: 0.20,
        }
    }
}

/// How two versions differ.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Assessment {
    pub kind: ChangeKind,
    /// Share of words deleted or inserted (0 = none, 1 = all), after the
    /// cosmetic fold.
    pub changed: f64,
    /// Jaccard similarity of the sets of word pairs (single words for short
    /// texts): how much the two read as the same story.
    pub similarity: f64,
}

/// Classifies the change from `a` to `b` (both with content).
pub fn classify(a: &Content, b: &Content, t: &Thresholds) -> Assessment {
    let wa = fold::content_words(a);
    let wb = fold::content_words(b);
    if wa == wb {
        return Assessment {
            kind: ChangeKind::Cosmetic,
            changed: 0.0,
            similarity: 1.0,
        };
    }
    let similarity = fold::similarity(&wa, &wb);
    if similarity < t.replaced_max_similarity {
        // Another story: the word-sequence diff of two unrelated texts is
        // quadratic (Myers' cost grows with the number of differences) and
        // decides nothing here, so the share changed is counted on the
        // words as a multiset, which is what it nearly equals for them.
        return Assessment {
            kind: ChangeKind::Replaced,
            changed: multiset_changed_share(&wa, &wb),
            similarity,
        };
    }
    let changed = changed_share_ignoring_moves(a, b, wa.len() + wb.len());
    let kind = if changed <= t.edited_max_changed {
        ChangeKind::Edited
    } else {
        ChangeKind::Rewritten
    };
    Assessment {
        kind,
        changed,
        similarity,
    }
}

/// Share of words deleted or inserted, ignoring their order: a lower
/// bound of the sequence diff's share.
fn multiset_changed_share(a: &[String], b: &[String]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let mut counts: rustc_hash::FxHashMap<&str, i64> = Default::default();
    for w in a {
        *counts.entry(w).or_default() += 1;
    }
    let mut same = 0usize;
    for w in b {
        if let Some(n) = counts.get_mut(w.as_str()) {
            if *n > 0 {
                *n -= 1;
                same += 1;
            }
        }
    }
    1.0 - (2 * same) as f64 / (a.len() + b.len()) as f64
}

/// Share of words changed, where a paragraph that stands unchanged
/// somewhere in both versions counts as unchanged wherever it moved: a
/// reordering is an edit, not a rewrite.
fn changed_share_ignoring_moves(a: &Content, b: &Content, total: usize) -> f64 {
    let fb: Vec<String> = b.paragraphs.iter().map(|p| fold(p)).collect();
    let mut unmatched_b: Vec<bool> = vec![true; fb.len()];
    let mut rest_a: Vec<String> = Vec::new();
    for p in a.paragraphs {
        let f = fold(p);
        match fb
            .iter()
            .enumerate()
            .position(|(i, q)| unmatched_b[i] && *q == f)
        {
            Some(i) => unmatched_b[i] = false,
            None => rest_a.push(p.clone()),
        }
    }
    let rest_b: Vec<String> = b
        .paragraphs
        .iter()
        .zip(&unmatched_b)
        .filter(|(_, keep)| **keep)
        .map(|(p, _)| p.clone())
        .collect();
    let wa = fold::content_words(&Content {
        title: a.title,
        paragraphs: &rest_a,
    });
    let wb = fold::content_words(&Content {
        title: b.title,
        paragraphs: &rest_b,
    });
    let same = (wa.len() + wb.len()) as f64 * (1.0 - align::changed_share(&wa, &wb)) / 2.0;
    if total == 0 {
        return 0.0;
    }
    ((wa.len() + wb.len()) as f64 - 2.0 * same) / total as f64
}

/// Which part of the article a hunk is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Title,
    Body,
}

/// One changed place: the removed and the added text at a paragraph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hunk {
    pub field: Field,
    /// Paragraph index (0-based) in the new version; for a deleted
    /// paragraph, where it would have stood. `None` for the title.
    pub paragraph: Option<usize>,
    /// Paragraph index in the old version, when there was one.
    pub old_paragraph: Option<usize>,
    pub removed: String,
    pub added: String,
    /// The paragraph moved from `old_paragraph` to `paragraph` unchanged.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub moved: bool,
}

/// The hunks of the change from `a` to `b`: inside a changed paragraph,
/// one hunk per run of changed words (with the changed words only);
/// whole paragraphs for inserted, deleted and moved ones.
pub fn hunks(a: &Content, b: &Content) -> Vec<Hunk> {
    let mut out = Vec::new();
    if a.title != b.title {
        for (removed, added) in word_runs(&word_diff(a.title, b.title)) {
            out.push(Hunk {
                field: Field::Title,
                paragraph: None,
                old_paragraph: None,
                removed,
                added,
                moved: false,
            });
        }
    }
    for block in align(a.paragraphs, b.paragraphs) {
        match block {
            Block::Same { .. } => {}
            Block::Changed { old, new, words } => {
                for (removed, added) in word_runs(&words) {
                    out.push(Hunk {
                        field: Field::Body,
                        paragraph: Some(new),
                        old_paragraph: Some(old),
                        removed,
                        added,
                        moved: false,
                    });
                }
            }
            Block::Deleted { old, at } => out.push(Hunk {
                field: Field::Body,
                paragraph: Some(at),
                old_paragraph: Some(old),
                removed: a.paragraphs[old].clone(),
                added: String::new(),
                moved: false,
            }),
            Block::Inserted { new } => out.push(Hunk {
                field: Field::Body,
                paragraph: Some(new),
                old_paragraph: None,
                removed: String::new(),
                added: b.paragraphs[new].clone(),
                moved: false,
            }),
            Block::Moved { old, new, words } => out.push(Hunk {
                field: Field::Body,
                paragraph: Some(new),
                old_paragraph: Some(old),
                removed: if words.is_empty() {
                    String::new()
                } else {
                    a.paragraphs[old].clone()
                },
                added: if words.is_empty() {
                    String::new()
                } else {
                    b.paragraphs[new].clone()
                },
                moved: true,
            }),
        }
    }
    out
}

/// Runs of consecutive removed/added words, as (removed, added) texts.
fn word_runs(ops: &[WordOp]) -> Vec<(String, String)> {
    let mut runs = Vec::new();
    let mut cur: Option<(String, String)> = None;
    for op in ops {
        match op {
            WordOp::Same(s) => {
                // White space between two changed words keeps one run.
                if let Some((r, a)) = cur.as_mut() {
                    if s.trim().is_empty() {
                        if !r.is_empty() {
                            r.push_str(s);
                        }
                        if !a.is_empty() {
                            a.push_str(s);
                        }
                        continue;
                    }
                }
                if let Some((r, a)) = cur.take() {
                    runs.push((r.trim().to_string(), a.trim().to_string()));
                }
            }
            WordOp::Removed(s) => cur.get_or_insert_with(Default::default).0.push_str(s),
            WordOp::Added(s) => cur.get_or_insert_with(Default::default).1.push_str(s),
        }
    }
    if let Some((r, a)) = cur {
        runs.push((r.trim().to_string(), a.trim().to_string()));
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c<'a>(title: &'a str, ps: &'a [String]) -> Content<'a> {
        Content {
            title,
            paragraphs: ps,
        }
    }

    fn ps(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn quote_and_case_only_is_cosmetic() {
        let a = ps(&["The Party\u{2019}s \u{201c}line\u{201d} \u{2013} firm."]);
        let b = ps(&["the party's \"line\" - FIRM."]);
        assert_eq!(
            classify(&c("T", &a), &c("t", &b), &Thresholds::default()).kind,
            ChangeKind::Cosmetic
        );
    }

    #[test]
    fn word_runs_keep_changed_words_only() {
        let a = ps(&["Kim Jong Il visited the farm yesterday."]);
        let b = ps(&["Kim Jong Un visited the big farm yesterday."]);
        let h = hunks(&c("T", &a), &c("T", &b));
        assert_eq!(h.len(), 2, "{h:?}");
        assert_eq!((h[0].removed.as_str(), h[0].added.as_str()), ("Il", "Un"));
        assert_eq!((h[1].removed.as_str(), h[1].added.as_str()), ("", "big"));
        assert_eq!(h[0].paragraph, Some(0));
    }
}
