//! rodong.rep.kp (Rodong Sinmun): its three article layouts, the
//! dateline (`Feb. 19, 2026 Thursday [Photo]`, `2026년 2월 19일 목요일`,
//! `2023.3.13.`) and the photo gallery's counter (`1 / 11`).
//!
//! Must not touch: url schemes and keys (`url.rs`), kcna.kp, or pages no
//! layout here matches (they go to the generic extractor).

use std::sync::LazyLock;

use chrono::NaiveDate;
use scraper::{ElementRef, Html, Selector};
use tealeaf_model::Media;

use super::common::{names_site, sel, text_of, Compiled, Layout};
use super::dates::{dateline_warnings, parse_dateline};
use crate::{Hints, Page};

/// Newest first: a page is read with the first layout whose marker it has.
const LAYOUTS: &[Layout] = &[
    // 2024–: `index.php?<base64>` urls.
    Layout {
        name: "rodong-current",
        marker: "p.TitleP",
        title: "p.TitleP",
        paragraphs: "#ContDIV p.TextP, .article-content p.TextP",
        container: "#ContDIV, .article-content",
        date: "#article-date",
        whole_container: false,
    },
    // 2023.
    Layout {
        name: "rodong-2023",
        marker: ".news_Title",
        title: ".news_Title",
        paragraphs: "p.ArticleContent",
        container: "",
        date: ".NewsDate",
        whole_container: false,
    },
    // To 2021: `index.php?strPageID=SF01_02_01&newsID=...` urls; the
    // headline is the centred `p.ArticleContent`, the date only in the key.
    Layout {
        name: "rodong-old",
        marker: "p.ArticleContent[align=\"center\" i]",
        title: "p.ArticleContent[align=\"center\" i]",
        paragraphs: "p.ArticleContent",
        container: "",
        date: "",
        whole_container: false,
    },
];

static COMPILED: LazyLock<Vec<Compiled>> =
    LazyLock::new(|| LAYOUTS.iter().map(Compiled::new).collect());

/// A page without a url is rodong's when it has one of the layouts and
/// names the paper somewhere (title, logo, footer, links): class names
/// like `ArticleContent` alone are too common to set the outlet on.
pub(crate) fn sniff(doc: &Html) -> bool {
    COMPILED.iter().any(|l| l.matches(doc)) && names_site(doc, &["rodong", "로동신문"])
}

/// Reads `doc` with the first rodong layout it has; false when none.
pub(crate) fn extract(doc: &Html, _hints: &Hints, page: &mut Page) -> bool {
    let Some(layout) = COMPILED.iter().find(|l| l.matches(doc)) else {
        return false;
    };
    let Some((title_el, title)) = layout.title(doc, &[]) else {
        return false;
    };
    page.title = title;
    page.paragraphs = layout.paragraphs(doc, Some(title_el), &[]);

    if let Some(line) = layout.date_text(doc) {
        match parse_dateline(&line) {
            Some(printed) => {
                page.published = Some(printed.date);
                page.warnings.extend(dateline_warnings(&printed));
                page.media = printed.media;
            }
            None => page
                .warnings
                .push(format!("{}: date `{line}` not understood", layout.name)),
        }
    }
    if page.published.is_none() {
        // Rodong's article keys begin with the day the article ran
        // (`2021-09-12-0009`): the old layout prints its date nowhere else.
        page.published = page.key.as_deref().and_then(key_date);
        if page.published.is_none() {
            page.warnings.push(format!(
                "{}: no date on the page or in its url",
                layout.name
            ));
        }
    }

    if let Some(total) = layout
        .container(doc)
        .and_then(|c| gallery_total(c, title_el))
    {
        page.photo_count = Some(total);
        if !page.media.contains(&Media::Photo) {
            page.media.insert(0, Media::Photo);
        }
    }
    true
}

/// `2021-09-12-0009` → 12 September 2021.
fn key_date(key: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(key.get(..10)?, "%Y-%m-%d").ok()
}

/// The gallery's `1 / 11` counter in the article container: the total.
/// The counter may be one text or spans (`<span>1</span> / <span>11</span>`),
/// so small elements are read whole; the headline, the dateline and the
/// paragraphs (and anything inside them: a `1/2` in the text) never count.
fn gallery_total(container: ElementRef, title: ElementRef) -> Option<u32> {
    static PROSE: LazyLock<Selector> = LazyLock::new(|| sel("p.TextP, p.TitleP, #article-date"));
    // Depth first in document order, not entering prose; an explicit stack
    // because pages can nest deeper than a thread's stack allows.
    let mut stack = vec![container];
    while let Some(e) = stack.pop() {
        if e.id() == title.id() || PROSE.matches(&e) {
            continue;
        }
        // Reading only elements of a few nodes keeps this linear in the page.
        if e.id() != container.id() && e.descendants().take(9).count() <= 8 {
            if let Some(total) = counter_total(&text_of(e, &[])) {
                return Some(total);
            }
        }
        let at = stack.len();
        stack.extend(e.child_elements());
        stack[at..].reverse();
    }
    None
}

/// `1 / 11` → 11 (photo 1 of 11); anything else → None.
fn counter_total(text: &str) -> Option<u32> {
    let (a, b) = super::dates::ascii_forms(text)
        .split_once('/')
        .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))?;
    let shown: u32 = a.parse().ok()?;
    let total: u32 = b.parse().ok()?;
    (shown >= 1 && shown <= total).then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layout_compiles() {
        assert_eq!(COMPILED.len(), LAYOUTS.len());
    }

    #[test]
    fn counters_and_keys() {
        assert_eq!(counter_total("1 / 11"), Some(11));
        assert_eq!(counter_total("１ / １１"), Some(11));
        assert_eq!(counter_total("12 / 3"), None);
        assert_eq!(counter_total("1 / 11 photos"), None);
        assert_eq!(counter_total("and/or"), None);
        assert_eq!(
            key_date("2021-09-12-0009"),
            NaiveDate::from_ymd_opt(2021, 9, 12)
        );
        assert_eq!(key_date("2021-13-12-0009"), None);
    }
}
