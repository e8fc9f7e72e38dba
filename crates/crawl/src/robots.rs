//! robots.txt per host (RFC 9309, read by `texting_robots`): fetched once
//! a day and kept in the crawl state; a 4xx answer means no rules, a host
//! that cannot give its robots.txt (5xx, no answer) is not crawled this
//! round, as the RFC asks.
//!
//! Must not touch: fetching (the crawler hands the answer in), the archive.

use texting_robots::Robot;

/// The name tealeaf answers to in robots.txt groups.
pub const AGENT: &str = "tealeaf";

/// A host's rules.
pub enum Rules {
    /// No robots.txt (404 and the like): everything allowed.
    AllowAll,
    Parsed(Box<Robot>),
    /// robots.txt could not be had: nothing is fetched.
    Unreachable,
}

impl Rules {
    /// Reads a stored robots.txt (`None`: the host has none).
    pub fn from_stored(text: Option<&str>) -> Rules {
        match text {
            None => Rules::AllowAll,
            // A robots.txt that cannot be parsed is read as no rules:
            // texting_robots is forgiving, so this is garbage, not rules.
            Some(t) => match Robot::new(AGENT, t.as_bytes()) {
                Ok(r) => Rules::Parsed(Box::new(r)),
                Err(_) => Rules::AllowAll,
            },
        }
    }

    pub fn allowed(&self, url: &str) -> bool {
        match self {
            Rules::AllowAll => true,
            Rules::Parsed(r) => r.allowed(url),
            Rules::Unreachable => false,
        }
    }

    /// `Crawl-delay`, in seconds.
    pub fn crawl_delay(&self) -> Option<f64> {
        match self {
            Rules::Parsed(r) => r
                .delay
                .map(f64::from)
                .filter(|d| d.is_finite() && *d >= 0.0),
            _ => None,
        }
    }
}

/// robots.txt's url for the host of `url`.
pub fn robots_url(url: &url::Url) -> Option<String> {
    let mut u = url.clone();
    u.set_path("/robots.txt");
    u.set_query(None);
    u.set_fragment(None);
    u.set_username("").ok()?;
    u.set_password(None).ok()?;
    Some(u.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_disallow_and_delay() {
        let r = Rules::from_stored(Some(
            "User-agent: *\nDisallow: /en/secret/\nCrawl-delay: 3\n",
        ));
        assert!(!r.allowed("http://www.rodong.rep.kp/en/secret/index.php?x"));
        assert!(r.allowed("http://www.rodong.rep.kp/en/index.php?x"));
        assert_eq!(r.crawl_delay(), Some(3.0));
        let named = Rules::from_stored(Some(
            "User-agent: tealeaf\nDisallow: /\n\nUser-agent: *\nDisallow:\n",
        ));
        assert!(!named.allowed("http://example.org/a"));
        assert!(Rules::from_stored(None).allowed("http://example.org/a"));
        assert!(!Rules::Unreachable.allowed("http://example.org/a"));
        let u = url::Url::parse("http://user:pw@example.org:8080/a/b?c#d").unwrap();
        assert_eq!(
            robots_url(&u).as_deref(),
            Some("http://example.org:8080/robots.txt")
        );
    }
}
