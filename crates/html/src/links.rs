//! The links of a page, as written (`<a href>`, `<area href>`), and the
//! `<base href>` they are relative to: what a crawler follows.
//!
//! Must not touch: resolving or judging links (the crawler does), the
//! network.

use crate::{charset, ExtractError, MAX_PAGE_BYTES};

/// A page's links.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    /// `<base href>`, when the page declares one.
    pub base: Option<String>,
    /// Every `href` of `<a>` and `<area>`, in document order, trimmed.
    pub hrefs: Vec<String>,
}

/// Reads the links of the page in `bytes` (`content_type`: the HTTP
/// header, for the charset).
pub fn links(bytes: &[u8], content_type: Option<&str>) -> Result<Links, ExtractError> {
    if bytes.len() > MAX_PAGE_BYTES {
        return Err(ExtractError::TooLarge {
            size: bytes.len(),
            max: MAX_PAGE_BYTES,
        });
    }
    let decoded = charset::decode(bytes, content_type)?;
    let doc = scraper::Html::parse_document(&decoded.text);
    let (Ok(anchors), Ok(base)) = (
        scraper::Selector::parse("a[href], area[href]"),
        scraper::Selector::parse("base[href]"),
    ) else {
        return Ok(Links::default());
    };
    Ok(Links {
        base: doc
            .select(&base)
            .filter_map(|e| e.value().attr("href"))
            .map(|h| h.trim().to_string())
            .next(),
        hrefs: doc
            .select(&anchors)
            .filter_map(|e| e.value().attr("href"))
            .map(|h| h.trim().to_string())
            .filter(|h| !h.is_empty())
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_base_are_read_in_order() {
        let page = br#"<html><head><base href="http://x.org/en/"></head><body>
            <a href=" a.html ">A</a><a>none</a><map><area href="/b"></map>
            <a href="">empty</a><a href="http://y.org/c?d=1&amp;e=2">C</a></body></html>"#;
        let l = links(page, None).unwrap();
        assert_eq!(l.base.as_deref(), Some("http://x.org/en/"));
        assert_eq!(l.hrefs, vec!["a.html", "/b", "http://y.org/c?d=1&e=2"]);
    }
}
