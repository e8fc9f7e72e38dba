//! Trends: how often a term or an entity appears, period by period.
//!
//! A term that names an analysed entity (a person, country, organization
//! or place, matched case-insensitively against canonical names) is counted
//! from the stored mentions; anything else is a full-text query, whose
//! articles come from the index and whose mentions are the occurrences of
//! its words (quotes and operators aside) in the matching articles' text.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;
use tealeaf_archive::ArchiveReader;
use tealeaf_index::{SearchIndex, SearchRequest};
use tealeaf_model::Period;

use crate::Result;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Point {
    pub period: String,
    pub articles: i64,
    pub mentions: i64,
    /// Articles per 1,000 articles of the outlet(s) in the period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub articles_per_1000: Option<f64>,
    /// Mentions per 1,000 articles of the outlet(s) in the period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mentions_per_1000: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Series {
    /// As the user wrote it.
    pub term: String,
    /// `person`, `country`, `organization`, `place`, or `text`.
    pub matched_as: String,
    /// The canonical name (entities) or the query (text).
    pub name: String,
    pub points: Vec<Point>,
}

/// Computes one series per term. Periods without any hit are filled with
/// zeros, from the first period any of the terms appears in to the last.
pub fn trend(
    archive: &ArchiveReader,
    index: &SearchIndex,
    terms: &[String],
    by: Period,
    outlet: Option<&str>,
    per_1000: bool,
) -> Result<Vec<Series>> {
    let totals = archive.articles_per_period(by, outlet)?;
    let mut found = Vec::new();
    for term in terms {
        let entity = archive.entity_names(term.trim(), None)?.into_iter().next();
        let (matched_as, name, counts): (String, String, BTreeMap<String, (i64, i64)>) =
            match entity {
                Some((name, kind, _)) => {
                    let rows = archive.entity_trend(kind, &name, by, outlet)?;
                    (
                        kind.as_str().to_string(),
                        name,
                        rows.into_iter()
                            .map(|p| (p.period, (p.articles, p.mentions)))
                            .collect(),
                    )
                }
                None => (
                    "text".into(),
                    term.clone(),
                    text_counts(archive, index, term, by, outlet)?,
                ),
            };
        found.push((term, matched_as, name, counts));
    }
    // From the first period any term appears in to the last, gaps as zeros.
    let mut hit_periods: Vec<String> = found.iter().flat_map(|f| f.3.keys().cloned()).collect();
    hit_periods.sort();
    hit_periods.dedup();
    let span = fill_periods(&hit_periods, by);
    let mut out = Vec::new();
    for (term, matched_as, name, counts) in found {
        let points = span
            .iter()
            .map(|period| {
                let (articles, mentions) = counts.get(period).copied().unwrap_or((0, 0));
                let total = totals.get(period).copied().unwrap_or(0);
                let rate = |n: i64| {
                    per_1000.then(|| {
                        if total > 0 {
                            n as f64 * 1000.0 / total as f64
                        } else {
                            0.0
                        }
                    })
                };
                Point {
                    period: period.clone(),
                    articles,
                    mentions,
                    articles_per_1000: rate(articles),
                    mentions_per_1000: rate(mentions),
                }
            })
            .collect();
        out.push(Series {
            term: term.clone(),
            matched_as,
            name,
            points,
        });
    }
    Ok(out)
}

fn fill_periods(periods: &[String], by: Period) -> Vec<String> {
    let (Some(first), Some(last)) = (
        periods.first().and_then(|p| by.start(p)),
        periods.last().and_then(|p| by.start(p)),
    ) else {
        return periods.to_vec();
    };
    let mut out: Vec<String> = Vec::new();
    let mut d = first;
    while d <= last {
        let label = by.label(d);
        if out.last() != Some(&label) {
            out.push(label);
        }
        match by.next(d) {
            Some(n) => d = n,
            None => break,
        }
    }
    out
}

/// Articles and occurrences per period for a full-text query.
fn text_counts(
    archive: &ArchiveReader,
    index: &SearchIndex,
    query: &str,
    by: Period,
    outlet: Option<&str>,
) -> Result<BTreeMap<String, (i64, i64)>> {
    let req = SearchRequest {
        query: query.to_string(),
        outlets: outlet.map(|o| vec![o.to_string()]).unwrap_or_default(),
        limit: usize::MAX / 2,
        ..Default::default()
    };
    let hits = index.search_all(&req)?;
    let ids: Vec<String> = hits.hits.into_iter().map(|h| h.id).collect();
    let plain = query
        .split_whitespace()
        .filter(|w| !matches!(*w, "AND" | "OR" | "NOT"))
        .collect::<Vec<_>>()
        .join(" ");
    let needle: Vec<String> = tealeaf_diff::words(&plain);
    // Korean words are found inside longer words (`인민` in `인민들의`), as
    // the search finds them: their occurrences are counted as strings.
    let korean = plain.chars().any(tealeaf_index::is_bigram_script);
    let needle_text = plain.replace('"', "");
    let mut counts: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    let texts = archive.summaries(&ids)?;
    let mut dates: HashMap<&str, NaiveDate> = HashMap::new();
    for (id, s) in &texts {
        if let Some(d) = s
            .published
            .as_deref()
            .and_then(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").ok())
        {
            dates.insert(id.as_str(), d);
        }
    }
    for id in &ids {
        let (Some(d), Some(s)) = (dates.get(id.as_str()), texts.get(id)) else {
            continue;
        };
        let entry = counts.entry(by.label(*d)).or_default();
        entry.0 += 1;
        let mut n = 0;
        for text in std::iter::once(&s.title).chain(s.paragraphs.iter()) {
            if korean {
                let spaced = text.split_whitespace().collect::<Vec<_>>().join(" ");
                n += spaced.matches(needle_text.as_str()).count() as i64;
                continue;
            }
            let words = tealeaf_diff::words(text);
            if !needle.is_empty() && words.len() >= needle.len() {
                n += words
                    .windows(needle.len())
                    .filter(|w| *w == needle.as_slice())
                    .count() as i64;
            }
        }
        entry.1 += n.max(1);
    }
    Ok(counts)
}
