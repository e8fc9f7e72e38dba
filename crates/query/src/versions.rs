//! What changed between versions of an article: the kind of change, the
//! title's word diff and the paragraphs aligned into blocks (same, changed,
//! deleted, inserted, moved) with their word diffs. `tealeaf diff` shows
//! one pair of versions, the article page every step of the history; both
//! get their data here and render it themselves.

use serde::Serialize;
use tealeaf_archive::{ArticleView, VersionView};
use tealeaf_diff::{align, classify, word_diff, Block, ChangeKind, Content, Thresholds, WordOp};

/// Two versions with text, compared.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub kind: ChangeKind,
    /// Share of words deleted or inserted.
    pub changed: f64,
    pub similarity: f64,
    /// The title's word diff (all `Same` when it did not change).
    pub title: Vec<WordOp>,
    pub blocks: Vec<Block>,
}

/// Compares two versions that have text.
pub fn compare(old: &VersionView, new: &VersionView) -> Comparison {
    let (a, b) = (
        Content {
            title: &old.title,
            paragraphs: &old.paragraphs,
        },
        Content {
            title: &new.title,
            paragraphs: &new.paragraphs,
        },
    );
    let assessment = classify(&a, &b, &Thresholds::default());
    Comparison {
        kind: assessment.kind,
        changed: assessment.changed,
        similarity: assessment.similarity,
        title: word_diff(&old.title, &new.title),
        blocks: align(&old.paragraphs, &new.paragraphs),
    }
}

/// Two versions of one article side by side (`tealeaf diff --json`).
#[derive(Debug, Serialize)]
pub struct VersionPair<'a> {
    pub id: &'a str,
    pub from: End<'a>,
    pub to: End<'a>,
    pub kind: ChangeKind,
    pub changed: f64,
    pub similarity: f64,
    pub title: Vec<WordOp>,
    pub blocks: Vec<Block>,
}

/// One side of a [`VersionPair`].
#[derive(Debug, Serialize)]
pub struct End<'a> {
    pub n: i64,
    pub first_seen: &'a str,
    pub last_seen: &'a str,
    pub title: &'a str,
    pub paragraphs: &'a [String],
}

impl<'a> End<'a> {
    fn of(v: &'a VersionView) -> Self {
        End {
            n: v.n,
            first_seen: &v.first_seen,
            last_seen: &v.last_seen,
            title: &v.title,
            paragraphs: &v.paragraphs,
        }
    }
}

/// Why two versions cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PairError {
    #[error("{id} has no version {n} (it has {count})")]
    NoVersion { id: String, n: i64, count: usize },
    #[error("version {n} of {id} is a removal ({reason}): it has no text")]
    Removal { id: String, n: i64, reason: String },
    #[error("no version with text")]
    NoText,
    #[error("{id} has only one version with text: nothing to compare")]
    OnlyOne { id: String },
}

/// Versions `a` and `b` of `article` compared. Without `b`, `a` is
/// compared with the last version that has text; without either, the last
/// two versions that have text are.
pub fn pair(
    article: &ArticleView,
    a: Option<i64>,
    b: Option<i64>,
) -> Result<VersionPair<'_>, PairError> {
    let id = article.id.as_str();
    let find = |n: i64| -> Result<&VersionView, PairError> {
        let v = article
            .versions
            .iter()
            .find(|v| v.n == n)
            .ok_or_else(|| PairError::NoVersion {
                id: id.to_string(),
                n,
                count: article.versions.len(),
            })?;
        match &v.gone {
            Some(reason) => Err(PairError::Removal {
                id: id.to_string(),
                n,
                reason: reason.clone(),
            }),
            None => Ok(v),
        }
    };
    let with_text: Vec<&VersionView> = article
        .versions
        .iter()
        .filter(|v| v.gone.is_none())
        .collect();
    let (old, new) = match (a, b) {
        (Some(a), Some(b)) => (find(a)?, find(b)?),
        (Some(a), None) => (find(a)?, *with_text.last().ok_or(PairError::NoText)?),
        _ => match with_text.as_slice() {
            [.., a, b] => (*a, *b),
            _ => return Err(PairError::OnlyOne { id: id.to_string() }),
        },
    };
    let c = compare(old, new);
    Ok(VersionPair {
        id,
        from: End::of(old),
        to: End::of(new),
        kind: c.kind,
        changed: c.changed,
        similarity: c.similarity,
        title: c.title,
        blocks: c.blocks,
    })
}

/// What happened from one version to the next (the article page's
/// `diffs`).
#[derive(Debug, Clone, Serialize)]
pub struct VersionDiff {
    /// The version compared against: for a restoration or an edit after a
    /// removal, the last version that had text.
    pub from: Option<i64>,
    pub to: i64,
    /// edited, rewritten, replaced, cosmetic, removed, restored.
    pub kind: String,
    /// When the new version was first seen.
    pub seen: String,
    /// Why the article was gone (removals).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f64>,
    /// The title's word diff (empty when the title did not change).
    pub title: Vec<WordOp>,
    /// The paragraphs aligned: same, changed (word diff), deleted,
    /// inserted, moved.
    pub blocks: Vec<Block>,
    /// The compared versions' paragraphs, which the blocks number.
    #[serde(skip)]
    pub old_paragraphs: Vec<String>,
    #[serde(skip)]
    pub new_paragraphs: Vec<String>,
}

/// The steps between consecutive versions. A gone version is a removal;
/// a version with text after it is a restoration, compared with the last
/// version that had text (if the text differs, its diff is shown too).
pub fn version_diffs(versions: &[VersionView]) -> Vec<VersionDiff> {
    let mut out = Vec::new();
    let mut last_text: Option<&VersionView> = None;
    let mut prev_gone = false;
    for (i, v) in versions.iter().enumerate() {
        if i == 0 {
            prev_gone = v.gone.is_some();
            if v.gone.is_none() {
                last_text = Some(v);
            }
            continue;
        }
        let base = VersionDiff {
            from: last_text.map(|t| t.n),
            to: v.n,
            kind: String::new(),
            seen: v.first_seen.clone(),
            gone: None,
            changed: None,
            similarity: None,
            title: Vec::new(),
            blocks: Vec::new(),
            old_paragraphs: Vec::new(),
            new_paragraphs: Vec::new(),
        };
        if let Some(reason) = &v.gone {
            out.push(VersionDiff {
                kind: "removed".into(),
                gone: Some(reason.clone()),
                from: Some(versions[i - 1].n),
                ..base
            });
            prev_gone = true;
            continue;
        }
        let diff = match last_text {
            Some(old) if old.content_hash != v.content_hash => {
                let c = compare(old, v);
                Some(VersionDiff {
                    kind: if prev_gone {
                        "restored".into()
                    } else {
                        c.kind.as_str().into()
                    },
                    changed: Some(c.changed),
                    similarity: Some(c.similarity),
                    title: if old.title == v.title {
                        Vec::new()
                    } else {
                        c.title
                    },
                    blocks: c.blocks,
                    old_paragraphs: old.paragraphs.clone(),
                    new_paragraphs: v.paragraphs.clone(),
                    ..base.clone()
                })
            }
            _ => None,
        };
        match diff {
            Some(d) => out.push(d),
            // Restored with the text it had before the removal (or first
            // seen after one): nothing to diff.
            None if prev_gone => out.push(VersionDiff {
                kind: "restored".into(),
                ..base
            }),
            None => {}
        }
        prev_gone = false;
        last_text = Some(v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(n: i64, gone: Option<&str>, title: &str, paragraphs: &[&str]) -> VersionView {
        let paragraphs: Vec<String> = paragraphs.iter().map(|p| p.to_string()).collect();
        VersionView {
            n,
            content_hash: if gone.is_some() {
                String::new()
            } else {
                tealeaf_model::text::content_hash(title, &paragraphs)
            },
            gone: gone.map(str::to_string),
            first_seen: format!("2026-01-0{n}T06:00:00Z"),
            last_seen: format!("2026-01-0{n}T06:00:00Z"),
            captures: 1,
            title: title.into(),
            paragraphs,
        }
    }

    fn history() -> Vec<VersionView> {
        let p = [
            "The delegation arrived in Pyongyang on Monday.",
            "It was met by officials.",
        ];
        vec![
            version(1, None, "Delegation Arrives", &p),
            version(
                2,
                None,
                "Delegation Arrives",
                &[p[0], "It was warmly met by officials."],
            ),
            version(3, Some("410"), "", &[]),
            version(
                4,
                None,
                "Delegation Arrives",
                &[p[0], "It was warmly met by officials."],
            ),
        ]
    }

    #[test]
    fn each_step_of_a_history() {
        let d = version_diffs(&history());
        let steps: Vec<(Option<i64>, i64, &str)> =
            d.iter().map(|d| (d.from, d.to, d.kind.as_str())).collect();
        assert_eq!(
            steps,
            [
                (Some(1), 2, "edited"),
                (Some(2), 3, "removed"),
                (Some(2), 4, "restored")
            ]
        );
        assert!(d[0].title.is_empty(), "the title did not change");
        assert!(matches!(
            d[0].blocks[1],
            Block::Changed { old: 1, new: 1, .. }
        ));
        assert_eq!(d[0].new_paragraphs[1], "It was warmly met by officials.");
        assert_eq!(d[1].gone.as_deref(), Some("410"));
        assert!(d[2].blocks.is_empty(), "restored with the same text");
    }

    #[test]
    fn pairs_and_why_not() {
        let article = ArticleView {
            id: "a1".into(),
            outlet: "kcna".into(),
            outlet_name: "KCNA".into(),
            url: None,
            language: None,
            published: None,
            weekday: None,
            media: Vec::new(),
            photo_count: None,
            title: String::new(),
            paragraphs: Vec::new(),
            byline: None,
            commentary: None,
            language_detected: false,
            title_only: false,
            first_seen: String::new(),
            last_seen: String::new(),
            versions: history(),
            failed_captures: 0,
            warnings: Vec::new(),
            gone: None,
            translations: Vec::new(),
            reprints: Vec::new(),
        };
        let p = pair(&article, None, None).unwrap();
        assert_eq!((p.from.n, p.to.n), (2, 4), "the last two with text");
        assert_eq!(p.kind, ChangeKind::Cosmetic);
        let p = pair(&article, Some(1), None).unwrap();
        assert_eq!((p.from.n, p.to.n, p.kind), (1, 4, ChangeKind::Edited));
        assert_eq!(
            pair(&article, Some(1), Some(9)).unwrap_err().to_string(),
            "a1 has no version 9 (it has 4)"
        );
        assert_eq!(
            pair(&article, Some(3), None).unwrap_err().to_string(),
            "version 3 of a1 is a removal (410): it has no text"
        );
        let one = ArticleView {
            versions: history()[..1].to_vec(),
            ..article
        };
        assert_eq!(
            pair(&one, None, None).unwrap_err().to_string(),
            "a1 has only one version with text: nothing to compare"
        );
    }
}
