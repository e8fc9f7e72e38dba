//! Which site a url belongs to, whether it names an article or a listing,
//! its article key and its language: the url schemes of the profiled
//! sites (docs/html.md). Wayback Machine urls
//! (`web.archive.org/web/TIMESTAMP/URL`) are read as the url they capture.
//!
//! Must not touch: a page's content beyond the url it declares for itself
//! (reading titles, dates and text is the profiles' work), or the network.

use base64::Engine;
use serde::Serialize;

use crate::Profile;

/// What a url names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UrlKind {
    Article,
    Listing,
    Other,
}

/// A url of a profiled site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteUrl {
    pub profile: Profile,
    pub kind: UrlKind,
    /// The article key, for article urls.
    pub key: Option<String>,
    /// ISO 639-1 language from the url's path (`/en/`, `/ko/`, `/cn/`...).
    pub language: Option<String>,
}

impl SiteUrl {
    /// The archive id of the article a url names: outlet, language and key
    /// (`rodong:en:2026-02-19-003`), the same for every capture of it
    /// whatever its title became.
    pub fn article_id(&self) -> Option<String> {
        let key = self.key.as_deref()?;
        let outlet = self.profile.outlet()?;
        Some(format!(
            "{outlet}:{}:{key}",
            self.language.as_deref().unwrap_or("")
        ))
    }
}

/// The site, kind, key and language of `url`; `None` for sites no profile
/// knows.
pub fn classify(url: &str) -> Option<SiteUrl> {
    let url = unwrap_wayback(url.trim());
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    let (host, path) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
    let host = bare_host(host)?;
    let path = path.split('#').next().unwrap_or("");
    match host.as_str() {
        "rodong.rep.kp" => Some(rodong(path)),
        "kcna.kp" => Some(kcna(path)),
        _ => None,
    }
}

/// A url's host, lowercased, without user, port and `www.`
/// (`http://user@WWW.Example.org:8080/a` → `example.org`).
pub fn host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    bare_host(rest.split(['/', '?', '#']).next()?)
}

fn bare_host(authority: &str) -> Option<String> {
    let host = authority
        .rsplit('@')
        .next()?
        .split(':')
        .next()?
        .to_ascii_lowercase();
    Some(host.strip_prefix("www.").unwrap_or(&host).to_string())
}

/// The article id of `url` when a profile knows it (see
/// [`SiteUrl::article_id`]).
pub fn article_id(url: &str) -> Option<String> {
    classify(url)?.article_id()
}

/// `web.archive.org/web/20200101000000id_/http://...` → the captured url.
pub fn unwrap_wayback(url: &str) -> &str {
    let Some(at) = url.find("web.archive.org/web/") else {
        return url;
    };
    let rest = &url[at + "web.archive.org/web/".len()..];
    match rest.find('/') {
        Some(slash) if rest[..slash].bytes().take(14).all(|b| b.is_ascii_digit()) => {
            &rest[slash + 1..]
        }
        _ => url,
    }
}

fn language_of(path: &str) -> Option<String> {
    let first = path.trim_start_matches('/').split(['/', '?']).next()?;
    let lang = match first.to_ascii_lowercase().as_str() {
        "en" => "en",
        // kcna.kp's Korean edition is `/kp/`.
        "ko" | "kr" | "kp" => "ko",
        "cn" | "zh" => "zh",
        "ru" => "ru",
        "es" => "es",
        "fr" => "fr",
        "jp" | "ja" => "ja",
        "ar" => "ar",
        _ => return None,
    };
    Some(lang.to_string())
}

fn rodong(path: &str) -> SiteUrl {
    let language = language_of(path);
    let query = path.split_once('?').map_or("", |(_, q)| q);
    let key = query_param(query, "newsID")
        .filter(|k| looks_like_news_key(k))
        .or_else(|| base64_key(query));
    SiteUrl {
        profile: Profile::Rodong,
        kind: if key.is_some() {
            UrlKind::Article
        } else {
            UrlKind::Listing
        },
        key,
        language,
    }
}

/// `index.php?MTJAMjAyNi0wMi0xOS0wMDNAMUAxQEAwQDhA==` holds base64 of
/// `12@2026-02-19-003@1@1@@0@8@`: the second field is the article key.
fn base64_key(query: &str) -> Option<String> {
    let token = query.split('&').next()?.trim_end_matches('=');
    if token.is_empty() || token.contains('=') {
        return None;
    }
    let token = percent_decode(token);
    let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(token.trim_end_matches('='))
        .or_else(|_| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token.trim_end_matches('='))
        })
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let key = text.split('@').nth(1)?;
    looks_like_news_key(key).then(|| key.to_string())
}

/// `2026-02-19-003`, `2021-09-12-0009`: a date and a number.
fn looks_like_news_key(key: &str) -> bool {
    let parts: Vec<&str> = key.split('-').collect();
    parts.len() == 4
        && parts[0].len() == 4
        && parts[1].len() == 2
        && parts[2].len() == 2
        && !parts[3].is_empty()
        && parts[3].len() <= 6
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

fn kcna(path: &str) -> SiteUrl {
    let language = language_of(path);
    let lower = path.split('?').next().unwrap_or("").to_ascii_lowercase();
    let key = ["/article/q/", "/article/detail/"]
        .iter()
        .find_map(|marker| {
            let at = lower.find(marker)?;
            let rest = &lower[at + marker.len()..];
            let hex: String = rest.chars().take_while(|c| c.is_ascii_hexdigit()).collect();
            (hex.len() == 32).then_some(hex)
        });
    SiteUrl {
        profile: Profile::Kcna,
        kind: if key.is_some() {
            UrlKind::Article
        } else if lower.contains("/article/list") || lower.contains("/list/") {
            UrlKind::Listing
        } else {
            UrlKind::Other
        },
        key,
        language,
    }
}

fn query_param(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        k.eq_ignore_ascii_case(name).then(|| percent_decode(v))
    })
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The url a saved page declares for itself: `<link rel=canonical>`,
/// `og:url`, or the `<!-- saved from url=(0066)http://... -->` comment
/// browsers write.
pub fn declared_url(text: &str, doc: &scraper::Html) -> Option<String> {
    let pick = |css: &str, attr: &str| -> Option<String> {
        let selector = scraper::Selector::parse(css).ok()?;
        doc.select(&selector)
            .filter_map(|e| e.value().attr(attr))
            .map(str::trim)
            .find(|u| u.starts_with("http://") || u.starts_with("https://"))
            .map(str::to_string)
    };
    pick("link[rel=canonical]", "href")
        .or_else(|| pick("meta[property=\"og:url\"]", "content"))
        .or_else(|| saved_from(text))
}

fn saved_from(text: &str) -> Option<String> {
    let mut end = text.len().min(4096);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    let at = head.find("saved from url=")?;
    let rest = &head[at + "saved from url=".len()..];
    let rest = match rest.strip_prefix('(') {
        Some(r) => r.split_once(')')?.1,
        None => rest,
    };
    let url = rest.split("-->").next()?.split_whitespace().next()?;
    url.starts_with("http").then(|| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rodong_schemes() {
        let new = classify(
            "http://www.rodong.rep.kp/en/index.php?MTJAMjAyNi0wMi0xOS0wMDNAMUAxQEAwQDhA==",
        )
        .unwrap();
        assert_eq!(new.profile, Profile::Rodong);
        assert_eq!(new.kind, UrlKind::Article);
        assert_eq!(new.key.as_deref(), Some("2026-02-19-003"));
        assert_eq!(new.language.as_deref(), Some("en"));
        assert_eq!(
            new.article_id().as_deref(),
            Some("rodong:en:2026-02-19-003")
        );
        let old = classify(
            "http://www.rodong.rep.kp/en/index.php?strPageID=SF01_02_01&newsID=2021-09-12-0009",
        )
        .unwrap();
        assert_eq!(old.key.as_deref(), Some("2021-09-12-0009"));
        assert_eq!(old.kind, UrlKind::Article);
        let home = classify("http://rodong.rep.kp/ko/").unwrap();
        assert_eq!(home.kind, UrlKind::Listing);
        assert_eq!(home.language.as_deref(), Some("ko"));
        assert_eq!(home.key, None);
    }

    #[test]
    fn kcna_schemes_and_wayback() {
        let q =
            classify("http://kcna.kp/en/article/q/5b3a9ea1d3d8a5f6c3cf1e6e7e5b0d2a.kcmsf").unwrap();
        assert_eq!(q.kind, UrlKind::Article);
        assert_eq!(q.key.as_deref(), Some("5b3a9ea1d3d8a5f6c3cf1e6e7e5b0d2a"));
        let detail = classify(
            "https://web.archive.org/web/20231201000000/http://www.kcna.kp/en/article/detail/5B3A9EA1D3D8A5F6C3CF1E6E7E5B0D2A",
        )
        .unwrap();
        assert_eq!(detail.key, q.key);
        assert_eq!(detail.article_id(), q.article_id());
        let list = classify("http://www.kcna.kp/en/article/list/1").unwrap();
        assert_eq!(list.kind, UrlKind::Listing);
        assert!(classify("http://www.kcna.co.jp/item/2011/201112/2011-12-01ee.html").is_none());
    }

    #[test]
    fn saved_from_comment_cut_inside_a_character() {
        // The 4096-byte window ends inside a two-byte character.
        let text = format!(
            "<!-- saved from url=(0010)http://x/ -->{}",
            "é".repeat(3000)
        );
        assert_eq!(saved_from(&text).as_deref(), Some("http://x/"));
    }

    #[test]
    fn saved_from_comment() {
        let text = "<!DOCTYPE html>\n<!-- saved from url=(0041)http://www.kcna.kp/en/article/list/1 -->\n<html>";
        assert_eq!(
            saved_from(text).as_deref(),
            Some("http://www.kcna.kp/en/article/list/1")
        );
    }
}
