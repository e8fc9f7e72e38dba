//! Search with reprints collapsed: each group of articles printing the
//! same text (`ArchiveReader::reprint_groups`) shows once in a result
//! list, at the place of its best-ranked member, with the number of its
//! other members the list left out.

use std::collections::HashMap;

use tealeaf_archive::ArchiveReader;
use tealeaf_index::{SearchIndex, SearchRequest, SearchResults};

use crate::Result;

/// A page of results with reprints collapsed.
pub struct Collapsed {
    /// The page: `hits` holds one article per reprint group.
    pub results: SearchResults,
    /// For each article shown, how many of its reprints the list left
    /// out (up to where the page ends).
    pub hidden: HashMap<String, usize>,
}

/// Hits fetched per round while filling a page: the page's reach times
/// this, doubled each round.
const OVERFETCH: usize = 2;

/// Runs `req` with reprints collapsed: `req.offset` and `req.limit` count
/// groups, not articles. `total` stays the number of matching articles.
pub fn search_collapsed(
    index: &SearchIndex,
    archive: &ArchiveReader,
    req: &SearchRequest,
) -> Result<Collapsed> {
    let reach = req.offset + req.limit;
    let mut fetch = reach.max(1) * OVERFETCH;
    loop {
        let results = index.search(&SearchRequest {
            offset: 0,
            limit: fetch,
            ..req.clone()
        })?;
        let ids: Vec<String> = results.hits.iter().map(|h| h.id.clone()).collect();
        let groups = archive.reprint_groups(&ids)?;
        let mut first_of_group: HashMap<&str, usize> = HashMap::new();
        let mut kept: Vec<usize> = Vec::new();
        let mut hidden_by_kept: HashMap<usize, usize> = HashMap::new();
        for (i, id) in ids.iter().enumerate() {
            let group = groups.get(id).map_or(id.as_str(), String::as_str);
            match first_of_group.get(group) {
                Some(&k) => *hidden_by_kept.entry(k).or_default() += 1,
                None => {
                    first_of_group.insert(group, i);
                    kept.push(i);
                }
            }
        }
        let exhausted = results.hits.len() < fetch;
        if kept.len() >= reach || exhausted {
            let page: Vec<usize> = kept.into_iter().skip(req.offset).take(req.limit).collect();
            let hidden = page
                .iter()
                .map(|&i| (ids[i].clone(), hidden_by_kept.get(&i).copied().unwrap_or(0)))
                .collect();
            let mut results = results;
            let mut hits = std::mem::take(&mut results.hits);
            let keep: std::collections::HashSet<usize> = page.iter().copied().collect();
            let mut n = 0;
            hits.retain(|_| {
                n += 1;
                keep.contains(&(n - 1))
            });
            results.hits = hits;
            return Ok(Collapsed { results, hidden });
        }
        fetch *= 2;
    }
}
