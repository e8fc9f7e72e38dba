//! Site profiles: each knows one site's layouts and dates (docs/html.md).
//! A layout is a few selectors (`common::Layout`) plus the code that reads
//! its dateline.
//!
//! Owns: which profile the markup alone names (`sniff`), and reading a
//! profiled page's title, paragraphs, date, place, media, photo count and
//! (when the url does not say) language. Must not touch: the url's key,
//! kind and outlet (lib.rs sets them from `url.rs`), charsets, or pages no
//! layout matches (the generic extractor reads those).

mod common;
mod dates;
mod kcna;
mod rodong;

use crate::{Hints, Page, Profile};

/// A profile that the markup alone names, for pages saved without a url.
pub fn sniff(doc: &scraper::Html) -> Option<Profile> {
    if kcna::sniff(doc) {
        Some(Profile::Kcna)
    } else if rodong::sniff(doc) {
        Some(Profile::Rodong)
    } else {
        None
    }
}

/// Reads `doc` with `profile`'s layouts into `page`; false when no layout
/// matched (the generic extractor then reads it).
pub fn extract(profile: Profile, doc: &scraper::Html, hints: &Hints, page: &mut Page) -> bool {
    let read = match profile {
        Profile::Rodong => rodong::extract(doc, hints, page),
        Profile::Kcna => kcna::extract(doc, hints, page),
        Profile::Generic => false,
    };
    if read && page.language.is_none() {
        page.language = common::language(doc, &page.title, &page.paragraphs);
    }
    read
}
