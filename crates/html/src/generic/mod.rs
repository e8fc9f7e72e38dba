//! The generic main-text extractor, for pages no profile knows: title,
//! date, byline and the article's paragraphs, without navigation,
//! comments or boilerplate.
//!
//! [`dom`] flattens the page into elements and text blocks, [`content`]
//! picks the blocks of the main text, [`meta`] reads what the page
//! declares about itself, [`rules`] holds the class/id word lists.

mod content;
mod dom;
mod meta;
mod rules;

use tealeaf_model::Media;

use crate::{Hints, Page};

/// Main text shorter than this (characters) after class-based dropping is
/// read again ignoring class names: some pages wrap everything in an
/// element named after a sidebar or menu.
const RETRY_BELOW_CHARS: usize = 200;

/// Reads `doc`'s main text into `page` (title, published, byline,
/// paragraphs, media).
pub fn extract(doc: &scraper::Html, _hints: &Hints, page: &mut Page) {
    let meta = meta::read(doc);
    let mut flat = dom::flatten(doc);
    let mut chosen = content::select(&mut flat, content::Classes::Use);
    let chars: usize = chosen.iter().map(|&i| flat.blocks[i].len as usize).sum();
    if chars < RETRY_BELOW_CHARS {
        let again = content::select(&mut flat, content::Classes::Ignore);
        let again_chars: usize = again.iter().map(|&i| flat.blocks[i].len as usize).sum();
        if again_chars > chars * 2 {
            chosen = again;
        }
    }
    page.paragraphs = paragraphs(&flat, &chosen);
    if page.paragraphs.is_empty() {
        page.warnings.push("no main text found".to_string());
    }
    page.title = meta
        .og_title
        .clone()
        .or_else(|| meta.h1.clone())
        .or_else(|| meta.title.clone())
        .unwrap_or_default();
    page.published = meta
        .meta_date
        .or(meta.json_ld_date)
        .or(meta.time_date)
        .or_else(|| {
            page.paragraphs
                .iter()
                .take(5)
                .find_map(|p| meta::parse_date(p))
        });
    page.byline = meta.author.clone().or_else(|| meta.byline.clone());
    page.media = media(&flat, &chosen);
}

/// The chosen blocks as paragraphs: one per block, lines broken by `<br>`
/// as paragraphs of their own.
fn paragraphs(flat: &dom::Flat, chosen: &[usize]) -> Vec<String> {
    let mut out = Vec::new();
    for &i in chosen {
        let block = &flat.blocks[i];
        let pre = flat.elems[block.elem as usize].tag == dom::Tag::Pre;
        if pre {
            out.push(block.text.clone());
            continue;
        }
        for line in block.text.lines() {
            let line = line.trim();
            if !line.is_empty() {
                out.push(line.to_string());
            }
        }
    }
    out
}

/// Photo and Video when images or videos sit among the main text: between
/// its first and last block in document order (elements are numbered in
/// preorder).
fn media(flat: &dom::Flat, chosen: &[usize]) -> Vec<Media> {
    let elems = chosen.iter().map(|&i| flat.blocks[i].elem);
    let (Some(first), Some(last)) = (elems.clone().min(), elems.max()) else {
        return Vec::new();
    };
    let among = |e: &u32| (first..=last).contains(e);
    let mut media = Vec::new();
    if flat.images.iter().any(among) {
        media.push(Media::Photo);
    }
    if flat.videos.iter().any(among) {
        media.push(Media::Video);
    }
    media
}

/// `<html lang>` or `content-language`, as an ISO 639-1 code.
pub fn declared_language(doc: &scraper::Html) -> Option<String> {
    meta::language(doc)
}
