//! The generic main-text extractor, for pages no profile knows: title,
//! date, byline and the article's paragraphs, without navigation,
//! comments or boilerplate.

use crate::{Hints, Page};

/// Reads `doc`'s main text into `page` (title, published, byline,
/// paragraphs, media).
pub fn extract(_doc: &scraper::Html, _hints: &Hints, _page: &mut Page) {}

/// `<html lang>` or `content-language`, as an ISO 639-1 code.
pub fn declared_language(_doc: &scraper::Html) -> Option<String> {
    None
}
