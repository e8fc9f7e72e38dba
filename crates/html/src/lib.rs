//! Reads one HTML page into what tealeaf stores: outlet, language, date,
//! title, paragraphs, byline, media, photo count, and warnings.
//!
//! Owns: the page's charset ([`charset`]), which site a url or markup
//! belongs to and its article key ([`url`]), the site profiles
//! (`profiles/`: rodong.rep.kp's three layouts, kcna.kp's two), and the
//! generic main-text extractor for every other page (`generic/`).
//!
//! Must not touch: files, the network, the archive. It gets bytes and
//! hints (url, HTTP content type, capture time) and returns a [`Page`];
//! deciding which article a page is, and storing it, belong downstream.

pub mod charset;
mod generic;
mod links;
mod profiles;
pub mod url;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use tealeaf_model::Media;

pub use links::{links, Links};
pub use url::{classify, SiteUrl, UrlKind};

/// Pages larger than this are refused rather than parsed: no article page
/// comes near it, and a DOM of a larger one costs gigabytes.
pub const MAX_PAGE_BYTES: usize = 16 * 1024 * 1024;

/// Which reader read a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    Rodong,
    Kcna,
    Generic,
}

impl Profile {
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Rodong => "rodong",
            Profile::Kcna => "kcna",
            Profile::Generic => "generic",
        }
    }

    /// The outlet slug a profiled page belongs to (`None` for generic pages).
    pub fn outlet(self) -> Option<&'static str> {
        match self {
            Profile::Rodong => Some("rodong"),
            Profile::Kcna => Some("kcna"),
            Profile::Generic => None,
        }
    }
}

/// What to tell the reader about a page besides its bytes.
#[derive(Debug, Clone, Default)]
pub struct Hints {
    /// Where the page was fetched from (argument, WARC target uri); the
    /// page's own canonical/og:url/`saved from url=` are used when absent.
    pub url: Option<String>,
    /// The HTTP `Content-Type` header, for its charset.
    pub content_type: Option<String>,
    /// When the page was captured: dates printed without a year take it
    /// from here.
    pub captured_at: Option<DateTime<Utc>>,
    /// Read with this profile whatever the url says.
    pub profile: Option<Profile>,
}

/// What was read from one page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    pub url: Option<String>,
    pub profile: Profile,
    /// Outlet slug (`rodong`, `kcna`) for profiled pages.
    pub outlet: Option<String>,
    pub language: Option<String>,
    pub published: Option<NaiveDate>,
    pub title: String,
    pub paragraphs: Vec<String>,
    pub byline: Option<String>,
    pub media: Vec<Media>,
    pub photo_count: Option<u32>,
    /// The article key of a profiled url (`2026-02-19-003`, 32 hex digits).
    pub key: Option<String>,
    /// Whether the url names an article, a listing, or neither.
    pub kind: UrlKind,
    /// The dateline's place, for pages that print one (`Pyongyang`).
    pub place: Option<String>,
    /// Things noticed while reading that do not reject the page.
    pub warnings: Vec<String>,
}

impl Page {
    fn empty(profile: Profile) -> Page {
        Page {
            url: None,
            profile,
            outlet: profile.outlet().map(str::to_string),
            language: None,
            published: None,
            title: String::new(),
            paragraphs: Vec::new(),
            byline: None,
            media: Vec::new(),
            photo_count: None,
            key: None,
            kind: UrlKind::Other,
            place: None,
            warnings: Vec::new(),
        }
    }
}

/// Why a page could not be read at all.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ExtractError {
    #[error("not an HTML page ({0})")]
    NotHtml(&'static str),
    #[error("page is {size} bytes, over the {max}-byte limit for one HTML page")]
    TooLarge { size: usize, max: usize },
}

/// Reads one page.
pub fn extract(bytes: &[u8], hints: &Hints) -> Result<Page, ExtractError> {
    if bytes.len() > MAX_PAGE_BYTES {
        return Err(ExtractError::TooLarge {
            size: bytes.len(),
            max: MAX_PAGE_BYTES,
        });
    }
    let decoded = charset::decode(bytes, hints.content_type.as_deref())?;
    let doc = scraper::Html::parse_document(&decoded.text);
    let url = hints
        .url
        .clone()
        .or_else(|| url::declared_url(&decoded.text, &doc));
    let site = url.as_deref().and_then(url::classify);
    let profile = hints
        .profile
        .or(site.as_ref().map(|s| s.profile))
        .or_else(|| profiles::sniff(&doc))
        .unwrap_or(Profile::Generic);
    let mut page = Page::empty(profile);
    page.warnings.extend(decoded.warnings);
    if let Some(site) = &site {
        page.key = site.key.clone();
        page.kind = site.kind;
        page.language = site.language.clone();
    }
    page.url = url;
    let read = match profile {
        Profile::Generic => false,
        _ => profiles::extract(profile, &doc, hints, &mut page),
    };
    if !read {
        if profile != Profile::Generic {
            page.warnings.push(format!(
                "no {} layout matched; read with the generic extractor",
                profile.as_str()
            ));
        }
        generic::extract(&doc, hints, &mut page);
        if page.paragraphs.is_empty() {
            short_article(&doc, &mut page);
        }
    }
    if page.language.is_none() {
        page.language = generic::declared_language(&doc);
    }
    Ok(page)
}

/// A page whose main text the generic extractor found too short to tell
/// from boilerplate, but which marks its article (`<article>`,
/// `itemprop=articleBody`, `<main>`): its paragraphs are the text. Short
/// news items (a two-sentence KCNA brief) are real articles.
fn short_article(doc: &scraper::Html, page: &mut Page) {
    static CONTAINERS: std::sync::LazyLock<Vec<scraper::Selector>> =
        std::sync::LazyLock::new(|| {
            ["[itemprop=articleBody]", "article", "main"]
                .iter()
                .map(|css| scraper::Selector::parse(css).expect("a valid selector literal"))
                .collect()
        });
    static PARAGRAPH: std::sync::LazyLock<scraper::Selector> = std::sync::LazyLock::new(|| {
        scraper::Selector::parse("p").expect("a valid selector literal")
    });
    for container in CONTAINERS.iter() {
        let Some(element) = doc.select(container).next() else {
            continue;
        };
        let paragraphs: Vec<String> = element
            .select(&PARAGRAPH)
            .map(|p| tealeaf_model::text::collapse_ws(&p.text().collect::<String>()))
            .filter(|p| !p.is_empty())
            .collect();
        if !paragraphs.is_empty() {
            page.paragraphs = paragraphs;
            page.warnings.retain(|w| w != "no main text found");
            return;
        }
    }
}
