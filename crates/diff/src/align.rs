//! Paragraph alignment and word diffs.

// Fx: these sets and maps hold short words, hashed by the thousand per
// change, where SipHash's per-key setup dominates.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::time::{Duration, Instant};

use similar::{capture_diff_slices_deadline, Algorithm, DiffOp};

use crate::fold::fold;

/// A word-level edit, with white space and punctuation as their own tokens
/// so that the diff can be printed back as the text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "op", content = "text", rename_all = "lowercase")]
pub enum WordOp {
    Same(String),
    Removed(String),
    Added(String),
}

/// How one paragraph of the old and new versions correspond.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "block", rename_all = "lowercase")]
pub enum Block {
    /// The same paragraph (after the cosmetic fold).
    Same { old: usize, new: usize },
    /// The same paragraph, edited: its word diff.
    Changed {
        old: usize,
        new: usize,
        words: Vec<WordOp>,
    },
    /// A paragraph of the old version that is gone; `at` is where it stood
    /// in the new version's numbering.
    Deleted { old: usize, at: usize },
    /// A paragraph new in the new version.
    Inserted { new: usize },
    /// A paragraph that moved; `words` is empty when it moved unchanged.
    Moved {
        old: usize,
        new: usize,
        words: Vec<WordOp>,
    },
}

/// A bound on one diff's work: a pathological pair degrades to a coarser
/// (still correct) diff instead of stalling an ingest.
const DEADLINE: Duration = Duration::from_millis(100);

fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut kind = 0u8;
    for (i, c) in s.char_indices() {
        let k = if c.is_alphanumeric() {
            1
        } else if c.is_whitespace() {
            2
        } else {
            3
        };
        if i > start && (k != kind || k == 3) {
            out.push(&s[start..i]);
            start = i;
        }
        kind = k;
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// Word diff of two texts; tokens compare after the cosmetic fold, and the
/// new text's spelling is shown for unchanged words.
pub fn word_diff(a: &str, b: &str) -> Vec<WordOp> {
    let ta = tokens(a);
    let tb = tokens(b);
    let ka: Vec<String> = ta.iter().map(|t| fold_token(t)).collect();
    let kb: Vec<String> = tb.iter().map(|t| fold_token(t)).collect();
    let (ia, ib) = intern(&ka, &kb);
    let ops =
        capture_diff_slices_deadline(Algorithm::Myers, &ia, &ib, Some(Instant::now() + DEADLINE));
    let mut segs: Vec<Seg> = Vec::new();
    for op in ops {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => segs.push(Seg {
                tag: Tag::Same,
                old: old_index..old_index + len,
                new: new_index..new_index + len,
            }),
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => segs.push(Seg {
                tag: Tag::Removed,
                old: old_index..old_index + old_len,
                new: new_index..new_index,
            }),
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => segs.push(Seg {
                tag: Tag::Added,
                old: old_index..old_index,
                new: new_index..new_index + new_len,
            }),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                segs.push(Seg {
                    tag: Tag::Removed,
                    old: old_index..old_index + old_len,
                    new: new_index..new_index,
                });
                segs.push(Seg {
                    tag: Tag::Added,
                    old: old_index + old_len..old_index + old_len,
                    new: new_index..new_index + new_len,
                });
            }
        }
    }
    slide_to_boundaries(&mut segs, &ta, &tb, &ka, &kb);
    let mut out: Vec<WordOp> = Vec::new();
    let mut push = |op: WordOp| match (out.last_mut(), op) {
        (Some(WordOp::Same(s)), WordOp::Same(t)) => s.push_str(&t),
        (Some(WordOp::Removed(s)), WordOp::Removed(t)) => s.push_str(&t),
        (Some(WordOp::Added(s)), WordOp::Added(t)) => s.push_str(&t),
        (_, op) => {
            if !matches!(&op, WordOp::Same(t) | WordOp::Removed(t) | WordOp::Added(t) if t.is_empty())
            {
                out.push(op)
            }
        }
    };
    for seg in segs {
        match seg.tag {
            Tag::Same => push(WordOp::Same(tb[seg.new].concat())),
            Tag::Removed => push(WordOp::Removed(ta[seg.old].concat())),
            Tag::Added => push(WordOp::Added(tb[seg.new].concat())),
        }
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tag {
    Same,
    Removed,
    Added,
}

struct Seg {
    tag: Tag,
    old: std::ops::Range<usize>,
    new: std::ops::Range<usize>,
}

/// A run that was deleted or inserted between two unchanged stretches can
/// often be shifted without changing the diff (`[-He visited … He-] also`
/// is `[-He visited … -]He also`). Like git's heuristics, pick the shift
/// that reads best: the run starting a sentence and ending one, at a word
/// boundary.
fn slide_to_boundaries(segs: &mut [Seg], ta: &[&str], tb: &[&str], ka: &[String], kb: &[String]) {
    for k in 1..segs.len().saturating_sub(1) {
        let tag = segs[k].tag;
        if tag == Tag::Same || segs[k - 1].tag != Tag::Same || segs[k + 1].tag != Tag::Same {
            continue;
        }
        let (toks, keys) = if tag == Tag::Removed {
            (ta, ka)
        } else {
            (tb, kb)
        };
        let range = |s: &Seg| {
            if tag == Tag::Removed {
                s.old.clone()
            } else {
                s.new.clone()
            }
        };
        let run = range(&segs[k]);
        if run.is_empty() {
            continue;
        }
        // How far the run can move left and right.
        let prev_len = segs[k - 1].old.len();
        let next_len = segs[k + 1].old.len();
        let mut left = 0;
        while left < prev_len && keys[run.start - left - 1] == keys[run.end - left - 1] {
            left += 1;
        }
        let mut right = 0;
        while right < next_len
            && run.end + right < keys.len()
            && keys[run.start + right] == keys[run.end + right]
        {
            right += 1;
        }
        if left == 0 && right == 0 {
            continue;
        }
        let score = |shift: isize| -> i32 {
            let start = (run.start as isize + shift) as usize;
            let end = (run.end as isize + shift) as usize;
            let text: String = toks[start..end].concat();
            let trimmed = text.trim();
            let after_space = start == 0
                || toks[start - 1].chars().all(char::is_whitespace)
                || text.starts_with(char::is_whitespace);
            i32::from(trimmed.chars().next().is_some_and(char::is_uppercase))
                + i32::from(trimmed.ends_with(['.', '!', '?', ',', ';']))
                + i32::from(after_space)
        };
        let best = (-(left as isize)..=right as isize)
            .max_by_key(|&s| (score(s), -s.abs()))
            .unwrap_or(0);
        if best == 0 {
            continue;
        }
        let shift = |r: &mut std::ops::Range<usize>, by: isize| {
            *r = (r.start as isize + by) as usize..(r.end as isize + by) as usize;
        };
        // Move the run; the unchanged stretches around it give and take.
        if tag == Tag::Removed {
            shift(&mut segs[k].old, best);
            let new_at = (segs[k].new.start as isize + best) as usize;
            segs[k].new = new_at..new_at;
        } else {
            shift(&mut segs[k].new, best);
            let old_at = (segs[k].old.start as isize + best) as usize;
            segs[k].old = old_at..old_at;
        }
        let (p, n) = (&mut segs[k - 1], best);
        p.old.end = (p.old.end as isize + n) as usize;
        p.new.end = (p.new.end as isize + n) as usize;
        let next = &mut segs[k + 1];
        next.old.start = (next.old.start as isize + n) as usize;
        next.new.start = (next.new.start as isize + n) as usize;
        let _ = range;
    }
}

fn fold_token(t: &str) -> String {
    if t.chars().all(char::is_whitespace) {
        " ".to_string()
    } else {
        fold(t)
    }
}

/// The two token sequences as small integers, equal where the tokens are:
/// Myers compares elements at every step, and an integer compares in one
/// step where a string needs its length and bytes read.
fn intern<'a, S: AsRef<str>>(a: &'a [S], b: &'a [S]) -> (Vec<u32>, Vec<u32>) {
    let mut ids: HashMap<&'a str, u32> =
        HashMap::with_capacity_and_hasher(a.len() + b.len(), Default::default());
    let mut id_of = |t: &'a S| {
        let next = ids.len() as u32;
        *ids.entry(t.as_ref()).or_insert(next)
    };
    let ia = a.iter().map(&mut id_of).collect();
    let ib = b.iter().map(&mut id_of).collect();
    (ia, ib)
}

/// Share of tokens deleted or inserted between two token sequences.
pub(crate) fn changed_share(a: &[String], b: &[String]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let (ia, ib) = intern(a, b);
    let ops =
        capture_diff_slices_deadline(Algorithm::Myers, &ia, &ib, Some(Instant::now() + DEADLINE));
    let same: usize = ops
        .iter()
        .map(|op| match op {
            DiffOp::Equal { len, .. } => *len,
            _ => 0,
        })
        .sum();
    1.0 - (2 * same) as f64 / (a.len() + b.len()) as f64
}

/// Word-set overlap of two paragraphs, to decide whether a replaced
/// paragraph is an edit of the old one or a different paragraph: the
/// Jaccard index, or most of the shorter one's words when one contains the
/// other (a paragraph that lost or gained a sentence). Takes the word sets
/// of [`word_set`].
fn paragraph_overlap(wa: &HashSet<&str>, wb: &HashSet<&str>) -> f64 {
    if wa.is_empty() || wb.is_empty() {
        return if wa.is_empty() && wb.is_empty() {
            1.0
        } else {
            0.0
        };
    }
    let inter = wa.intersection(wb).count() as f64;
    let jaccard = inter / (wa.len() as f64 + wb.len() as f64 - inter);
    let containment = inter / wa.len().min(wb.len()) as f64;
    // Containment counts only when the shorter paragraph is not a fragment.
    if wa.len().min(wb.len()) >= 8 && containment >= 0.8 {
        containment.min(0.99)
    } else {
        jaccard
    }
}

/// The words of a folded paragraph (as [`crate::fold::words`] gives them),
/// as a set: built once per paragraph, since alignment compares each
/// paragraph with many others.
fn word_set(folded: &str) -> HashSet<&str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Aligns paragraphs: unchanged ones (after the fold) are matched in
/// order; within a replaced stretch, old and new paragraphs that share
/// enough words are the same paragraph edited; a deleted paragraph whose
/// text reappears elsewhere is a move, not a deletion plus an insertion.
/// Blocks come in the new version's order, deletions where they stood.
pub fn align(a: &[String], b: &[String]) -> Vec<Block> {
    let fa: Vec<String> = a.iter().map(|p| fold(p)).collect();
    let fb: Vec<String> = b.iter().map(|p| fold(p)).collect();
    let sa: Vec<HashSet<&str>> = fa.iter().map(|f| word_set(f)).collect();
    let sb: Vec<HashSet<&str>> = fb.iter().map(|f| word_set(f)).collect();
    let ops = capture_diff_slices_deadline(
        Algorithm::Patience,
        &fa,
        &fb,
        Some(Instant::now() + DEADLINE),
    );
    let mut blocks = Vec::new();
    let mut deleted: Vec<(usize, usize)> = Vec::new();
    let mut inserted: Vec<usize> = Vec::new();
    for op in ops {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for k in 0..len {
                    blocks.push(Block::Same {
                        old: old_index + k,
                        new: new_index + k,
                    });
                }
            }
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => {
                deleted.extend((old_index..old_index + old_len).map(|o| (o, new_index)));
            }
            DiffOp::Insert {
                new_index, new_len, ..
            } => inserted.extend(new_index..new_index + new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                // Pair in order while paragraphs overlap enough.
                let mut next_new = new_index;
                for o in old_index..old_index + old_len {
                    let candidate = (next_new..new_index + new_len).find(|&n| {
                        paragraph_overlap(&sa[o], &sb[n]) >= 0.5 && !moved_elsewhere(&fa[o], &fb, n)
                    });
                    match candidate {
                        Some(n) => {
                            inserted.extend(next_new..n);
                            blocks.push(Block::Changed {
                                old: o,
                                new: n,
                                words: word_diff(&a[o], &b[n]),
                            });
                            next_new = n + 1;
                        }
                        None => deleted.push((o, next_new)),
                    }
                }
                inserted.extend(next_new..new_index + new_len);
            }
        }
    }
    // Moves: a deleted paragraph that reappears among the inserted ones,
    // identical after the fold or nearly so.
    let mut still_deleted = Vec::new();
    for (o, at) in deleted {
        let exact = inserted.iter().position(|&n| fa[o] == fb[n]);
        let near = exact.or_else(|| {
            inserted
                .iter()
                .position(|&n| paragraph_overlap(&sa[o], &sb[n]) >= 0.8)
        });
        match near {
            Some(i) => {
                let n = inserted.remove(i);
                let words = if fa[o] == fb[n] {
                    Vec::new()
                } else {
                    word_diff(&a[o], &b[n])
                };
                blocks.push(Block::Moved {
                    old: o,
                    new: n,
                    words,
                });
            }
            None => still_deleted.push((o, at)),
        }
    }
    blocks.extend(inserted.into_iter().map(|new| Block::Inserted { new }));
    blocks.extend(
        still_deleted
            .into_iter()
            .map(|(old, at)| Block::Deleted { old, at }),
    );
    blocks.sort_by_key(|b| match b {
        Block::Same { new, .. }
        | Block::Changed { new, .. }
        | Block::Inserted { new }
        | Block::Moved { new, .. } => (*new, 1),
        Block::Deleted { at, .. } => (*at, 0),
    });
    blocks
}

/// True when old paragraph (folded) appears verbatim elsewhere in the new
/// version than at `n`: then it moved, and `n` is not its edit.
fn moved_elsewhere(fold_old: &str, fb: &[String], n: usize) -> bool {
    fb.iter().enumerate().any(|(i, p)| i != n && p == fold_old)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ps(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn moved_paragraph_is_a_move() {
        let a = ps(&["Alpha one two.", "Beta three four.", "Gamma five six."]);
        let b = ps(&["Beta three four.", "Gamma five six.", "Alpha one two."]);
        let blocks = align(&a, &b);
        let moves: Vec<_> = blocks
            .iter()
            .filter(|b| matches!(b, Block::Moved { .. }))
            .collect();
        assert_eq!(moves.len(), 1, "{blocks:?}");
        assert!(!blocks
            .iter()
            .any(|b| matches!(b, Block::Deleted { .. } | Block::Inserted { .. })));
    }

    #[test]
    fn edited_inserted_and_deleted_paragraphs() {
        let a = ps(&[
            "Kim Jong Il inspected the farm.",
            "Old paragraph to go.",
            "The end.",
        ]);
        let b = ps(&[
            "Kim Jong Il inspected the big farm.",
            "The end.",
            "A new last paragraph.",
        ]);
        let blocks = align(&a, &b);
        assert!(
            blocks
                .iter()
                .any(|b| matches!(b, Block::Changed { old: 0, new: 0, .. })),
            "{blocks:?}"
        );
        assert!(
            blocks
                .iter()
                .any(|b| matches!(b, Block::Deleted { old: 1, .. })),
            "{blocks:?}"
        );
        assert!(
            blocks
                .iter()
                .any(|b| matches!(b, Block::Inserted { new: 2 })),
            "{blocks:?}"
        );
        assert!(
            blocks
                .iter()
                .any(|b| matches!(b, Block::Same { old: 2, new: 1 })),
            "{blocks:?}"
        );
    }

    #[test]
    fn a_deleted_sentence_is_shown_as_the_sentence() {
        let a = "He came first. He stayed long. Then he left.";
        let b = "He came first. Then he left.";
        let ops = word_diff(a, b);
        assert!(
            ops.contains(&WordOp::Removed("He stayed long. ".into())),
            "{ops:?}"
        );
        let a = "Deleted sentence here. He went on.";
        let ops = word_diff(a, "He went on.");
        assert_eq!(
            ops[0],
            WordOp::Removed("Deleted sentence here. ".into()),
            "{ops:?}"
        );
        let ops = word_diff("The farm grew.", "The farm grew. Added at the end.");
        assert_eq!(
            ops.last(),
            Some(&WordOp::Added(" Added at the end.".into())),
            "{ops:?}"
        );
    }

    #[test]
    fn word_diff_reads_back_as_both_texts() {
        let (a, b) = (
            "The \u{201c}great\u{201d} leader visited Pyongyang.",
            "The \"great\" leader toured Pyongyang today.",
        );
        let ops = word_diff(a, b);
        let old: String = ops
            .iter()
            .filter_map(|o| match o {
                WordOp::Same(s) | WordOp::Removed(s) => Some(s.as_str()),
                _ => None,
            })
            .collect();
        let new: String = ops
            .iter()
            .filter_map(|o| match o {
                WordOp::Same(s) | WordOp::Added(s) => Some(s.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(new, b);
        // Unchanged words are shown in the new spelling, so the old text
        // reads back up to quote style.
        assert_eq!(fold(&old), fold(a));
        assert!(ops.contains(&WordOp::Removed("visited".into())), "{ops:?}");
    }
}
