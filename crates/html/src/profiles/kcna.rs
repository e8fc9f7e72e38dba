//! kcna.kp (Korean Central News Agency): its two article layouts, the
//! body's dateline (`Pyongyang, December 10 (KCNA) --`) and end mark
//! (`-0-`), the publish time (`www.kcna.kp (Juche108.12.10.)`,
//! `2025.12.14.`), the year of a dateline from the capture time, and the
//! photo/video icons beside the headline.
//!
//! Must not touch: url schemes and keys (`url.rs`), rodong.rep.kp, or
//! pages no layout here matches (they go to the generic extractor).

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;
use scraper::{ElementRef, Html, Selector};
use tealeaf_model::dates::month_number;
use tealeaf_model::Media;

use super::common::{names_site, sel, Compiled, Layout};
use super::dates::{ascii_forms, date_before_capture, find_date};
use crate::{Hints, Page};

/// A page is read with the first layout it has. `.article-main-title` is
/// kcna's own; the detail layout's Bootstrap headline could be any page's,
/// so it is tried last.
const LAYOUTS: &[Layout] = &[
    Layout {
        name: "kcna",
        marker: ".article-main-title",
        title: ".article-main-title",
        paragraphs: ".article-content-body p",
        container: ".article-content-body",
        date: ".publish-time",
        whole_container: true,
    },
    // The newer `/article/detail/` page: no publish time, so the year
    // comes from the capture time.
    Layout {
        name: "kcna-detail",
        marker: "h1.text-center.text-danger",
        title: "h1.text-center.text-danger",
        paragraphs: ".article-content-body p",
        container: ".article-content-body",
        date: ".publish-time",
        whole_container: true,
    },
];

static COMPILED: LazyLock<Vec<Compiled>> =
    LazyLock::new(|| LAYOUTS.iter().map(Compiled::new).collect());

/// Never part of a headline's or paragraph's text.
static NOT_TEXT: LazyLock<Selector> = LazyLock::new(|| sel(".publish-time"));

/// A page without a url is kcna's when it has one of the layouts and names
/// the agency somewhere (title, dateline, footer, links): the markup alone
/// is too common to set the outlet on.
pub(crate) fn sniff(doc: &Html) -> bool {
    COMPILED.iter().any(|l| l.matches(doc))
        && names_site(doc, &["kcna", "조선중앙통신", "korean central news agency"])
}

/// Reads `doc` with the first kcna layout it has; false when none.
pub(crate) fn extract(doc: &Html, hints: &Hints, page: &mut Page) -> bool {
    let Some(layout) = COMPILED.iter().find(|l| l.matches(doc)) else {
        return false;
    };
    let exclude = [&*NOT_TEXT];
    let Some((title_el, title)) = layout.title(doc, &exclude) else {
        return false;
    };
    page.title = title;
    let mut paragraphs = layout.paragraphs(doc, Some(title_el), &exclude);

    // `-0-` ends a KCNA item; it is not text.
    while let Some(last) = paragraphs.last_mut() {
        if last == "-0-" {
            paragraphs.pop();
        } else {
            // After a `<br>` or a space only: `x-0-` is no end mark.
            if let Some(cut) = last.strip_suffix(" -0-") {
                *last = cut.trim_end().to_string();
            }
            break;
        }
    }
    let dateline = paragraphs.first().and_then(|p| split_dateline(p));
    if let Some(d) = &dateline {
        page.place = Some(d.place.clone());
        if d.rest.is_empty() {
            paragraphs.remove(0);
        } else {
            paragraphs[0] = d.rest.clone();
        }
    }
    page.paragraphs = paragraphs;

    let printed = layout.date_text(doc).and_then(|t| find_date(&t));
    page.published = match (printed, &dateline) {
        (Some(date), Some(d)) => {
            if (date.month(), date.day()) != (d.month, d.day) {
                page.warnings.push(format!(
                    "dateline says {} {} but the page is dated {date}; the page's date is kept",
                    d.month_text, d.day
                ));
            }
            Some(date)
        }
        (Some(date), None) => Some(date),
        (None, Some(d)) => year_from_capture(d, hints, page),
        (None, None) => {
            page.warnings
                .push(format!("{}: no date on the page", layout.name));
            None
        }
    };

    page.media = icons(title_el, layout.container(doc));
    true
}

/// `Pyongyang, December 10 (KCNA) -- text`, taken apart.
#[derive(Debug, PartialEq)]
struct Dateline {
    place: String,
    month: u32,
    month_text: String,
    day: u32,
    /// The paragraph's text after the dateline.
    rest: String,
}

static ENGLISH_DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    let p = r"^\s*(\p{Lu}[\p{L} .'-]{0,40}?),\s+(\p{L}{3,9})\.?\s+(\d{1,2})\s*\(\s*KCNA\s*\)\s*(?:--|–|—)\s*";
    Regex::new(p).unwrap_or_else(|e| panic!("regex literal `{p}`: {e}"))
});
static KOREAN_DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    let p = r"^\s*[(（\[【]\s*(\p{Hangul}{1,10})\s+(\d{1,2})월\s*(\d{1,2})일발\s*조선중앙통신\s*[)）\]】]\s*";
    Regex::new(p).unwrap_or_else(|e| panic!("regex literal `{p}`: {e}"))
});

/// The dateline that opens a KCNA item's first paragraph, English
/// (`Pyongyang, December 10 (KCNA) --`) or Korean
/// (`(평양 12월 10일발 조선중앙통신)`).
fn split_dateline(paragraph: &str) -> Option<Dateline> {
    // Matched on an ASCII copy (full-width digits) of equal char count, so
    // the match's length in chars cuts the paragraph as printed.
    let ascii = ascii_forms(paragraph);
    let (place, month_text, month, day, end) = if let Some(c) = ENGLISH_DATELINE.captures(&ascii) {
        let month_text = c.get(2)?.as_str().to_string();
        let month = month_number(&month_text)?;
        (
            c.get(1)?.as_str().trim(),
            month_text,
            month,
            c.get(3)?,
            c.get(0)?.end(),
        )
    } else {
        let c = KOREAN_DATELINE.captures(&ascii)?;
        let month_text = format!("{}월", c.get(2)?.as_str());
        let month = c.get(2)?.as_str().parse().ok()?;
        (
            c.get(1)?.as_str(),
            month_text,
            month,
            c.get(3)?,
            c.get(0)?.end(),
        )
    };
    let day: u32 = day.as_str().parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let chars = ascii[..end].chars().count();
    Some(Dateline {
        place: place.to_string(),
        month,
        month_text,
        day,
        rest: paragraph
            .chars()
            .skip(chars)
            .collect::<String>()
            .trim()
            .to_string(),
    })
}

/// A dateline without a year: the capture time gives it, or nothing does
/// and the date stays unknown.
fn year_from_capture(d: &Dateline, hints: &Hints, page: &mut Page) -> Option<NaiveDate> {
    let Some(captured) = hints.captured_at else {
        page.warnings.push(format!(
            "dateline {} {} has no year and there is no capture time; the date is unknown",
            d.month_text, d.day
        ));
        return None;
    };
    let date = date_before_capture(d.month, d.day, captured);
    match date {
        Some(date) => page.warnings.push(format!(
            "dateline {} {} has no year: {} taken from the capture time {}",
            d.month_text,
            d.day,
            date.year(),
            tealeaf_model::dates::format_timestamp(&captured)
        )),
        None => page.warnings.push(format!(
            "dateline {} {} is no date in the years before the capture time",
            d.month_text, d.day
        )),
    }
    date
}

/// Photo and video icons beside the headline (in the headline's own
/// element, or its parent when that holds the headline block and not the
/// body) and in the article container: an `img` or element whose src,
/// alt, title or class names a photo or video.
fn icons(title: ElementRef, container: Option<ElementRef>) -> Vec<Media> {
    static ICON: LazyLock<Selector> = LazyLock::new(|| sel("img, i, span, em"));
    let mut scopes = vec![title];
    if let Some(parent) = title.parent().and_then(ElementRef::wrap) {
        let holds_body = container.is_some_and(|c| c.ancestors().any(|a| a.id() == parent.id()));
        if !holds_body && !matches!(parent.value().name(), "body" | "html") {
            scopes[0] = parent;
        }
    }
    scopes.extend(container);
    let mut media = Vec::new();
    for scope in scopes {
        for el in scope.select(&ICON) {
            let e = el.value();
            let words = ["src", "alt", "title", "class"]
                .iter()
                .filter_map(|a| e.attr(a))
                .collect::<Vec<_>>()
                .join(" ")
                .to_ascii_lowercase();
            // A file name like `2019/12/photo_001.jpg` inside the body is a
            // photo too; what is not an icon of either kind names neither.
            let found = if words.contains("video") || words.contains("movie") {
                Some(Media::Video)
            } else if words.contains("photo") || words.contains("camera") {
                Some(Media::Photo)
            } else {
                None
            };
            if let Some(m) = found {
                if !media.contains(&m) {
                    media.push(m);
                }
            }
        }
    }
    media.sort();
    media
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layout_compiles() {
        assert_eq!(COMPILED.len(), LAYOUTS.len());
        let _ = (&*NOT_TEXT, &*ENGLISH_DATELINE, &*KOREAN_DATELINE);
    }

    #[test]
    fn datelines() {
        let d = split_dateline("Pyongyang, December 10 (KCNA) -- Kim Yong Nam met.").unwrap();
        assert_eq!(d.place, "Pyongyang");
        assert_eq!((d.month, d.day), (12, 10));
        assert_eq!(d.rest, "Kim Yong Nam met.");
        let d = split_dateline("Pyongyang, Dec. 1 (KCNA) --").unwrap();
        assert_eq!((d.month, d.day, d.rest.as_str()), (12, 1, ""));
        let d = split_dateline("(평양 １２월 １０일발 조선중앙통신) 김영남동지가").unwrap();
        assert_eq!((d.place.as_str(), d.month, d.day), ("평양", 12, 10));
        assert_eq!(d.rest, "김영남동지가");
        assert_eq!(split_dateline("Pyongyang, Smarch 10 (KCNA) -- x"), None);
        assert_eq!(
            split_dateline("The delegation left Pyongyang, December 10."),
            None
        );
    }
}
