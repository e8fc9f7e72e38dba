//! Site profiles: each knows one site's layouts and dates (docs/html.md).
//! A layout is a few selectors plus the code that reads its dateline.

use crate::{Hints, Page, Profile};

/// A profile that the markup alone names, for pages saved without a url.
pub fn sniff(_doc: &scraper::Html) -> Option<Profile> {
    None
}

/// Reads `doc` with `profile`'s layouts into `page`; false when no layout
/// matched (the generic extractor then reads it).
pub fn extract(_profile: Profile, _doc: &scraper::Html, _hints: &Hints, _page: &mut Page) -> bool {
    false
}
