//! Search hits as every front end shows them: id, metadata, title and a
//! highlighted snippet (the `search --json` hit contract), built once here
//! for the CLI and the server.

use serde::Serialize;
use tealeaf_archive::{ArchiveError, ArchiveReader, ArticleSummary};
use tealeaf_index::{SearchResults, Snippet};

/// One hit, as `tealeaf search --json` gives it.
#[derive(Debug, Clone, Serialize)]
pub struct HitOut {
    pub id: String,
    pub outlet: String,
    pub published: Option<String>,
    pub language: Option<String>,
    pub title: String,
    /// What to show the article by: `title`, or for an untitled article
    /// its first words in quotes (then `untitled` is true).
    pub display_title: String,
    pub untitled: bool,
    /// HTML: the fragment escaped, matches in `<b>`.
    pub snippet: String,
    pub snippet_text: String,
    /// Byte ranges of the matches in `snippet_text`.
    pub highlights: Vec<(usize, usize)>,
    pub score: f32,
    /// With reprints collapsed: how many reprints of this article the
    /// list left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reprints_hidden: Option<usize>,
}

impl HitOut {
    fn new(s: &ArticleSummary, snippet: Snippet, score: f32) -> HitOut {
        HitOut {
            id: s.id.clone(),
            outlet: s.outlet.clone(),
            published: s.published.clone(),
            language: s.language.clone(),
            title: s.title.clone(),
            display_title: tealeaf_model::text::display_title(&s.title, &s.paragraphs),
            untitled: tealeaf_model::text::is_untitled(&s.title),
            snippet: crate::snippet::to_html(&snippet),
            highlights: snippet
                .highlights
                .iter()
                .map(|r| (r.start, r.end))
                .collect(),
            snippet_text: snippet.text,
            score,
            reprints_hidden: None,
        }
    }

    /// A hit without highlights (its lead as the snippet).
    pub fn plain(s: &ArticleSummary, score: f32) -> HitOut {
        let text: String = s
            .paragraphs
            .first()
            .map(|p| p.chars().take(200).collect())
            .unwrap_or_default();
        HitOut::new(
            s,
            Snippet {
                text,
                highlights: vec![],
            },
            score,
        )
    }
}

/// The page of hits in `results`, in order, with their snippets; hits the
/// archive no longer holds are skipped.
pub fn hits(archive: &ArchiveReader, results: &SearchResults) -> Result<Vec<HitOut>, ArchiveError> {
    let ids: Vec<String> = results.hits.iter().map(|h| h.id.clone()).collect();
    let summaries = archive.summaries(&ids)?;
    Ok(results
        .hits
        .iter()
        .filter_map(|h| {
            let s = summaries.get(&h.id)?;
            let snippet = results.snippet(&s.title, &s.paragraphs.join("\n\n"));
            Some(HitOut::new(s, snippet, h.score))
        })
        .collect())
}

/// The page of a collapsed search, each hit with the number of its
/// reprints left out.
pub fn collapsed_hits(
    archive: &ArchiveReader,
    collapsed: &crate::collapse::Collapsed,
) -> Result<Vec<HitOut>, ArchiveError> {
    let mut out = hits(archive, &collapsed.results)?;
    for hit in &mut out {
        hit.reprints_hidden = Some(collapsed.hidden.get(&hit.id).copied().unwrap_or(0));
    }
    Ok(out)
}
