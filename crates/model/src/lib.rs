//! tealeaf's shared vocabulary: the plain data that flows between the
//! pipeline stages (read → archive → index → present).
//!
//! Owns: outlets, [`CaptureRecord`] (one observation of one article as a
//! reader produced it), date parsing for the forms these outlets print,
//! the calendar periods counts are grouped by, text normalization, content hashing, the article-identity rule and
//! telling a web server's error page from an article.
//!
//! Must not touch: files, SQLite, tantivy or the terminal. Everything here is
//! pure and cheap so that every stage can depend on it.

pub mod dates;
pub mod error_page;
pub mod identity;
pub mod outlet;
pub mod period;
pub mod text;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub use outlet::Outlet;
pub use period::Period;

/// A media marker printed after the dateline (`[Photo]`, `[Video]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Media {
    Photo,
    Video,
}

impl Media {
    pub fn as_str(self) -> &'static str {
        match self {
            Media::Photo => "photo",
            Media::Video => "video",
        }
    }

    /// Parses `photo`, `Photo`, `[Photo]`, `video`, ...
    pub fn parse(s: &str) -> Option<Media> {
        let s = s
            .trim()
            .trim_start_matches('[')
            .trim_end_matches(']')
            .trim();
        if s.eq_ignore_ascii_case("photo") || s.eq_ignore_ascii_case("photos") {
            Some(Media::Photo)
        } else if s.eq_ignore_ascii_case("video") || s.eq_ignore_ascii_case("videos") {
            Some(Media::Video)
        } else {
            None
        }
    }
}

/// Where a record came from, for messages: a source (a file's path,
/// `upload`, a URL) and a place in it: a 1-based line (the first line of
/// the record for multi-line formats; 0 when the whole source is one
/// record), or the byte offset of a record in an archive file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRef {
    pub source: String,
    pub line: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
}

impl SourceRef {
    /// Line `line` of `source` (0: the whole source).
    pub fn line(source: impl Into<String>, line: u64) -> SourceRef {
        SourceRef {
            source: source.into(),
            line,
            offset: None,
        }
    }

    /// The record at byte `offset` of `source`.
    pub fn offset(source: impl Into<String>, offset: u64) -> SourceRef {
        SourceRef {
            source: source.into(),
            line: 0,
            offset: Some(offset),
        }
    }
}

impl std::fmt::Display for SourceRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.offset) {
            (0, Some(offset)) => write!(f, "{} (offset {offset})", self.source),
            (0, None) => write!(f, "{}", self.source),
            (line, _) => write!(f, "{}:{line}", self.source),
        }
    }
}

/// One observation of one article, as a reader produced it and before the
/// archive decided which article it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaptureRecord {
    pub origin: SourceRef,
    /// An explicit, stable article id from the input (`id` field); when
    /// absent the archive derives one (see [`identity`]).
    pub id: Option<String>,
    pub outlet: String,
    pub url: Option<String>,
    pub language: Option<String>,
    pub published: Option<NaiveDate>,
    pub media: Vec<Media>,
    pub photo_count: Option<u32>,
    pub title: String,
    pub paragraphs: Vec<String>,
    pub byline: Option<String>,
    /// When the page was observed; `None` when the input does not say.
    pub captured_at: Option<DateTime<Utc>>,
    /// An HTTP-like status of the capture: 404 or 410 say the article is
    /// gone (no content), and so does a redirect (3xx): sources emit one
    /// only when an article's url redirects to a page that is not that
    /// article (docs/identity.md); `None` or 200 is a capture with content.
    pub status: Option<u16>,
    /// Warnings found while reading that do not reject the record (e.g. a
    /// weekday that contradicts the date). Kept, never silently fixed.
    pub warnings: Vec<String>,
    /// An editor's commentary that came with the text but is not part of
    /// it (the `해 제` of a collection of New Year addresses): kept apart
    /// from the paragraphs, outside the content hash, searchable.
    #[serde(default)]
    pub commentary: Option<String>,
    /// `language` was detected from the text, not given by the input.
    #[serde(default)]
    pub language_detected: bool,
}

/// A capture of a listing (an index page, a section, a feed): which
/// articles it held at `captured_at`. An article that a listing held before
/// and no longer holds is gone from it (`removed`); back again, `restored`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListingRecord {
    pub origin: SourceRef,
    /// The listing's name or url.
    pub listing: String,
    pub outlet: String,
    pub captured_at: Option<DateTime<Utc>>,
    /// Article ids it held.
    pub items: Vec<String>,
}

impl CaptureRecord {
    /// A capture with neither title nor body carries no content: it is a
    /// failed capture, never a version.
    pub fn is_empty(&self) -> bool {
        self.title.trim().is_empty() && self.paragraphs.iter().all(|p| p.trim().is_empty())
    }

    /// A headline with no body: bulk dumps such as kcna-2011 hold many, and
    /// they are kept as articles, flagged.
    pub fn is_title_only(&self) -> bool {
        !self.title.trim().is_empty() && self.paragraphs.iter().all(|p| p.trim().is_empty())
    }

    /// A capture saying the article is gone (HTTP 404 or 410, or a
    /// redirect away from it).
    pub fn is_gone(&self) -> bool {
        matches!(self.status, Some(404 | 410 | 300..=399))
    }

    pub fn content_hash(&self) -> String {
        text::content_hash(&self.title, &self.paragraphs)
    }
}

/// What the search index holds for one article: its current version and
/// the fields it can be filtered by.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ArticleDoc {
    pub id: String,
    pub outlet: String,
    pub language: String,
    pub published: Option<NaiveDate>,
    pub title: String,
    pub paragraphs: Vec<String>,
    /// Canonical names of the people and countries it mentions (from
    /// analysis), for search filters and facets.
    pub people: Vec<String>,
    pub countries: Vec<String>,
    /// The editor's commentary kept apart from the text (may be empty).
    pub commentary: String,
}
