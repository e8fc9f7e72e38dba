//! A page's metadata as it declares it: title (og:title, `<h1>`,
//! `<title>`), publication date (meta tags, JSON-LD, `<time datetime>`,
//! then dates printed in the text), byline (author meta, `rel=author`,
//! byline class names) and language (`<html lang>`, content-language).

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use scraper::{ElementRef, Html, Node};

/// What one pass over the page's elements found.
#[derive(Debug, Default)]
pub struct Meta {
    pub og_title: Option<String>,
    pub title: Option<String>,
    pub h1: Option<String>,
    /// Dates from meta tags, in order of trust (published before modified).
    pub meta_date: Option<NaiveDate>,
    pub time_date: Option<NaiveDate>,
    pub json_ld_date: Option<NaiveDate>,
    pub author: Option<String>,
    pub byline: Option<String>,
    pub lang: Option<String>,
}

/// Longest text kept from an element for a title or byline.
const MAX_META_CHARS: usize = 300;

/// Meta names and properties that carry the publication date, best first.
const DATE_KEYS: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "datepublished",
    "publishdate",
    "publish-date",
    "publish_date",
    "pubdate",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "published_time",
    "datecreated",
    "article:modified_time",
    "datemodified",
];

/// Reads the metadata in one iterative pass.
pub fn read(doc: &Html) -> Meta {
    let mut meta = Meta::default();
    let mut date_rank = usize::MAX;
    for node in doc.tree.root().descendants() {
        let Node::Element(el) = node.value() else {
            continue;
        };
        match el.name() {
            "html" if meta.lang.is_none() => meta.lang = el.attr("lang").and_then(iso639),
            "meta" => {
                let key = el
                    .attr("property")
                    .or_else(|| el.attr("name"))
                    .or_else(|| el.attr("itemprop"))
                    .or_else(|| el.attr("http-equiv"))
                    .map(str::to_ascii_lowercase);
                let (Some(key), Some(content)) = (key, el.attr("content")) else {
                    continue;
                };
                match key.as_str() {
                    "og:title" if meta.og_title.is_none() => meta.og_title = clean(content),
                    "author" | "article:author" | "dc.creator" | "sailthru.author"
                        if meta.author.is_none() && !content.starts_with("http") =>
                    {
                        meta.author = clean(content)
                    }
                    "content-language" if meta.lang.is_none() => meta.lang = iso639(content),
                    _ => {
                        if let Some(rank) = DATE_KEYS.iter().position(|k| *k == key) {
                            if rank < date_rank {
                                if let Some(d) = parse_date(content) {
                                    meta.meta_date = Some(d);
                                    date_rank = rank;
                                }
                            }
                        }
                    }
                }
            }
            "title" if meta.title.is_none() => {
                meta.title = ElementRef::wrap(node).and_then(|e| clean(&text_of(e)));
            }
            "h1" if meta.h1.is_none() => {
                meta.h1 = ElementRef::wrap(node).and_then(|e| clean(&text_of(e)));
            }
            "time" if meta.time_date.is_none() => {
                meta.time_date = el
                    .attr("datetime")
                    .and_then(parse_date)
                    .or_else(|| ElementRef::wrap(node).and_then(|e| parse_date(&text_of(e))));
            }
            "script"
                if meta.json_ld_date.is_none()
                    && el
                        .attr("type")
                        .is_some_and(|t| t.eq_ignore_ascii_case("application/ld+json")) =>
            {
                if let Some(e) = ElementRef::wrap(node) {
                    meta.json_ld_date = json_ld_date(&e.text().collect::<String>());
                }
            }
            _ => {}
        }
        if meta.byline.is_none() {
            let marked = el.attr("rel") == Some("author")
                || el
                    .attr("itemprop")
                    .is_some_and(|p| p.eq_ignore_ascii_case("author"))
                || el.attr("class").is_some_and(|c| {
                    c.split_ascii_whitespace().any(|w| {
                        w.eq_ignore_ascii_case("author")
                            || w.as_bytes()
                                .windows(6)
                                .any(|x| x.eq_ignore_ascii_case(b"byline"))
                    })
                });
            if marked {
                if let Some(e) = ElementRef::wrap(node) {
                    let text = text_of(e);
                    if text.chars().count() <= 100 {
                        meta.byline = clean(&text);
                    }
                }
            }
        }
    }
    meta
}

/// An element's text with whitespace collapsed, at most a few hundred
/// characters (a title or byline, not an article).
fn text_of(e: ElementRef) -> String {
    let mut out = String::new();
    for t in e.text() {
        out.push_str(t);
        out.push(' ');
        if out.len() > MAX_META_CHARS * 4 {
            break;
        }
    }
    out
}

/// Collapses whitespace; `None` when nothing is left.
pub fn clean(s: &str) -> Option<String> {
    let s: String = s
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(MAX_META_CHARS)
        .collect();
    (!s.is_empty()).then_some(s)
}

/// `<html lang>`, else `<meta http-equiv=content-language>` in the head:
/// a walk over the root's and the head's children only.
pub fn language(doc: &Html) -> Option<String> {
    let html = doc
        .tree
        .root()
        .children()
        .find(|n| n.value().as_element().is_some_and(|e| e.name() == "html"))?;
    if let Some(lang) = html.value().as_element().and_then(|e| e.attr("lang")) {
        if let Some(code) = iso639(lang) {
            return Some(code);
        }
    }
    let head = html
        .children()
        .find(|n| n.value().as_element().is_some_and(|e| e.name() == "head"))?;
    head.children().find_map(|n| {
        let el = n.value().as_element()?;
        let equiv = el.attr("http-equiv").or_else(|| el.attr("name"))?;
        if el.name() == "meta" && equiv.eq_ignore_ascii_case("content-language") {
            el.attr("content").and_then(iso639)
        } else {
            None
        }
    })
}

/// `de-DE`, `en_US`, `FR` → `de`, `en`, `fr`.
pub fn iso639(s: &str) -> Option<String> {
    let first = s.trim().split([',', ';']).next()?.trim();
    let code = first.split(['-', '_']).next()?.to_ascii_lowercase();
    (code.len() == 2 && code.bytes().all(|b| b.is_ascii_lowercase())).then_some(code)
}

static JSON_LD_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""datePublished"\s*:\s*"([^"]{8,40})""#).expect("static regex"));

fn json_ld_date(script: &str) -> Option<NaiveDate> {
    JSON_LD_DATE
        .captures(script)
        .and_then(|c| c.get(1))
        .and_then(|m| parse_date(m.as_str()))
}

static ISO_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})(?:[^\d]|$)").expect("static regex")
});
static DMY_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?((?:19|20)\d\d)\b").expect("static regex")
});
static NAMED_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:(\d{1,2})\.?\s+([a-zäéû]{3,9})\.?,?\s+((?:19|20)\d\d)|([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d))\b",
    )
    .expect("static regex")
});

/// Month number of an English, German or French month name or its
/// three-letter abbreviation.
fn month(name: &str) -> Option<u32> {
    let n = name.to_lowercase();
    const MONTHS: [&[&str]; 12] = [
        &["jan", "january", "januar", "jänner", "janvier"],
        &["feb", "february", "februar", "février"],
        &["mar", "march", "märz", "mars", "mär"],
        &["apr", "april", "avril"],
        &["may", "mai"],
        &["jun", "june", "juni", "juin"],
        &["jul", "july", "juli", "juillet"],
        &["aug", "august", "août"],
        &["sep", "sept", "september", "septembre"],
        &["oct", "october", "okt", "oktober", "octobre"],
        &["nov", "november", "novembre"],
        &["dec", "december", "dez", "dezember", "décembre"],
    ];
    MONTHS
        .iter()
        .position(|names| names.contains(&n.as_str()))
        .map(|i| i as u32 + 1)
}

/// The first plausible date in `s`: ISO (`2019-10-17T...`), `17.10.2019`,
/// `17 October 2019`, `October 17, 2019`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let mut end = s.len().min(2000);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    let s = &s[..end];
    if let Some(c) = ISO_DATE.captures(s) {
        let d = NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
        if d.is_some() {
            return d;
        }
    }
    if let Some(c) = DMY_DATE.captures(s) {
        let d = NaiveDate::from_ymd_opt(c[3].parse().ok()?, c[2].parse().ok()?, c[1].parse().ok()?);
        if d.is_some() {
            return d;
        }
    }
    for c in NAMED_DATE.captures_iter(s) {
        let (day, mon, year) = match (c.get(1), c.get(4)) {
            (Some(d), _) => (d.as_str(), &c[2], &c[3]),
            (None, Some(m)) => (&c[5], m.as_str(), &c[6]),
            _ => continue,
        };
        if let (Some(m), Ok(d), Ok(y)) = (month(mon), day.parse(), year.parse()) {
            if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
                return Some(date);
            }
        }
    }
    None
}
