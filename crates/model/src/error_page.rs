//! Pages a web server answered in place of an article ("The requested URL
//! … was not found on this server", "403 Forbidden", "Service
//! Unavailable"): a scraper that kept them wrote them into its dump as if
//! they were articles (kcna-2011 holds 28). They are refused on ingest,
//! never stored as articles.
//!
//! Only short texts are looked at: an article that quotes such a sentence
//! is longer than any error page.
//!
//! Must not touch: I/O (pure, like the rest of this crate).

/// Longer texts (title and body, white space collapsed) are never error
/// pages: Apache's longest, with its address line, is about 300 characters.
const MAX_CHARS: usize = 600;

/// Sentences the usual servers (Apache, nginx, IIS, Squid) print in their
/// error pages, lowercased.
const SENTENCES: &[&str] = &[
    "was not found on this server",
    "you don't have permission to access",
    "the server encountered an internal error",
    "the requested url could not be retrieved",
    "the page you are looking for might have been removed",
    "the page cannot be found",
    "the proxy server received an invalid response",
    "the server is temporarily unable to service your request",
];

/// Whole titles that are an HTTP status and nothing else, lowercased, with
/// the status code, punctuation and white space left out (`404 Not
/// Found`, `Error 404 - Not Found` and `Not Found` are all `notfound`).
const TITLES: &[&str] = &[
    "notfound",
    "pagenotfound",
    "filenotfound",
    "objectnotfound",
    "forbidden",
    "accessdenied",
    "accessforbidden",
    "internalservererror",
    "badgateway",
    "serviceunavailable",
    "servicetemporarilyunavailable",
    "gatewaytimeout",
    "badrequest",
    "error",
];

/// When `title` and `paragraphs` are a web server's error page: the text
/// that tells (clipped to 80 characters), for messages.
pub fn error_page(title: &str, paragraphs: &[String]) -> Option<String> {
    let mut chars = title.chars().count();
    for p in paragraphs {
        chars += p.chars().count();
        if chars > MAX_CHARS {
            return None;
        }
    }
    let mut text = String::with_capacity(title.len() + chars);
    text.push_str(title);
    for p in paragraphs {
        text.push(' ');
        text.push_str(p);
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let lower = text.to_lowercase().replace('’', "'");
    let said = SENTENCES.iter().any(|s| lower.contains(s));
    let status_title = {
        let letters: String = title
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphabetic())
            .collect();
        let has_code = title.chars().any(|c| c.is_ascii_digit());
        // `HTTP Error 404 - Not Found` is `Not Found`.
        let rest = letters.strip_prefix("http").unwrap_or(&letters);
        let rest = rest
            .strip_prefix("error")
            .filter(|r| !r.is_empty())
            .unwrap_or(rest);
        // `Error` alone is a status title only beside a code (`Error 404`).
        TITLES.contains(&rest) && (has_code || rest != "error")
            || (letters.is_empty() && is_status_code(title))
    };
    (said || status_title).then(|| clip(&text, 80))
}

/// A title that is only an HTTP error code (`404`, `503.`).
fn is_status_code(title: &str) -> bool {
    let digits: String = title.chars().filter(|c| c.is_ascii_digit()).collect();
    digits.len() == 3
        && (digits.starts_with('4') || digits.starts_with('5'))
        && title
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace() || c.is_ascii_punctuation())
}

fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::error_page;

    fn page(title: &str, body: &[&str]) -> Option<String> {
        let paragraphs: Vec<String> = body.iter().map(|s| s.to_string()).collect();
        error_page(title, &paragraphs)
    }

    #[test]
    fn server_error_pages_are_told() {
        // As kcna-2011 holds them: the sentence is the title.
        let said = page(
            "The requested URL /item/2011/20111205-03ee.html was not found on this server.,",
            &[],
        )
        .unwrap();
        assert!(said.starts_with("The requested URL /item/2011/"), "{said}");
        assert!(page(
            "Not Found",
            &["The requested URL /x was not found on this server."]
        )
        .is_some());
        assert!(page("404 Not Found", &[]).is_some());
        assert!(page("Error 404 - Not Found", &["nginx"]).is_some());
        assert!(page("403 Forbidden", &[]).is_some());
        assert!(page(
            "Forbidden",
            &["You don’t have permission to access /index.php on this server."]
        )
        .is_some());
        assert!(page("503 Service Unavailable", &[]).is_some());
        assert!(page("404", &[]).is_some());
        assert!(page("Error 500", &[]).is_some());
    }

    #[test]
    fn articles_are_not() {
        assert!(page("Error", &[]).is_none(), "a word, not a status");
        assert!(page("2011", &[]).is_none());
        assert!(page("Kim Jong Il Inspects Factory", &["He gave guidance."]).is_none());
        assert!(page("Not Found Guilty: Court Acquits", &["The court found..."]).is_none());
        // An article quoting the sentence at length is an article.
        let long =
            "The delegation said the claim was not found on this server of truth. ".repeat(10);
        assert!(page("Spokesman Refutes Lies", &[&long]).is_none());
        assert!(page("", &[]).is_none());
    }
}
