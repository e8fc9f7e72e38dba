//! Atom feeds (RFC 4287): a small feed and entry model and its writer, for
//! every feed tealeaf serves. Links are given as the caller wants them
//! written; every text and attribute is escaped here.

/// A feed: its metadata and entries, newest first.
#[derive(Debug, Clone, Default)]
pub struct Feed {
    pub title: String,
    /// A stable URI: the same feed always has the same id ([`feed_id`]).
    pub id: String,
    /// RFC 3339.
    pub updated: String,
    /// Where the feed itself is.
    pub self_link: String,
    /// The page the feed follows.
    pub html_link: String,
    pub entries: Vec<Entry>,
    /// Where the server is (`http://host:port`): links that begin with `/`
    /// are written after it, since feed readers resolve relative links
    /// unreliably. Empty: links as given.
    pub base: String,
}

#[derive(Debug, Clone, Default)]
pub struct Entry {
    pub title: String,
    pub id: String,
    /// The entry's page.
    pub link: String,
    /// RFC 3339.
    pub published: Option<String>,
    pub updated: String,
    pub category: String,
    pub summary: Option<String>,
}

/// The id of the feed of `kind` (`search`, `changes`) that `page` (the
/// link of the page it follows) shows: a saved search keeps its feed id.
pub fn feed_id(kind: &str, page: &str) -> String {
    format!(
        "urn:tealeaf:{kind}:{}",
        &blake3::hash(page.as_bytes()).to_hex()[..32]
    )
}

/// An Atom date for a `YYYY-MM-DD` day: its midnight, UTC.
pub fn day(d: Option<&str>) -> Option<String> {
    d.filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok())
        .map(|d| format!("{d}T00:00:00Z"))
}

impl Feed {
    pub fn to_xml(&self) -> String {
        let mut out = String::with_capacity(1024 + self.entries.len() * 600);
        out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
        element(&mut out, "  ", "title", &self.title);
        element(&mut out, "  ", "id", &self.id);
        element(&mut out, "  ", "updated", &self.updated);
        let base = self.base.trim_end_matches('/');
        link(
            &mut out,
            "  ",
            "self",
            "application/atom+xml",
            base,
            &self.self_link,
        );
        link(
            &mut out,
            "  ",
            "alternate",
            "text/html",
            base,
            &self.html_link,
        );
        out.push_str("  <author><name>tealeaf</name></author>\n");
        for e in &self.entries {
            let pad = "    ";
            out.push_str("  <entry>\n");
            element(&mut out, pad, "title", &e.title);
            element(&mut out, pad, "id", &e.id);
            link(&mut out, pad, "alternate", "text/html", base, &e.link);
            if let Some(p) = &e.published {
                element(&mut out, pad, "published", p);
            }
            element(&mut out, pad, "updated", &e.updated);
            out.push_str(&format!(
                "{pad}<category term=\"{}\"/>\n",
                escape(&e.category)
            ));
            if let Some(s) = &e.summary {
                element(&mut out, pad, "summary", s);
            }
            out.push_str("  </entry>\n");
        }
        out.push_str("</feed>\n");
        out
    }
}

fn element(out: &mut String, pad: &str, name: &str, text: &str) {
    out.push_str(&format!("{pad}<{name}>{}</{name}>\n", escape(text)));
}

fn link(out: &mut String, pad: &str, rel: &str, kind: &str, base: &str, href: &str) {
    let href = if href.starts_with('/') {
        format!("{base}{href}")
    } else {
        href.to_string()
    };
    out.push_str(&format!(
        "{pad}<link rel=\"{rel}\" type=\"{kind}\" href=\"{}\"/>\n",
        escape(&href)
    ));
}

/// Text for XML: escaped, and without the characters XML 1.0 forbids.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_feed_escaped_throughout() {
        let feed = Feed {
            title: "tealeaf: <b>\"Q's\"</b> & co\u{1}".into(),
            id: feed_id("search", "/search?q=x"),
            updated: "2026-01-01T00:00:00Z".into(),
            self_link: "/search.atom?q=a&b".into(),
            html_link: "/search?q=a&b".into(),
            entries: vec![
                Entry {
                    title: "One".into(),
                    id: "urn:tealeaf:article:a".into(),
                    link: "/article/a".into(),
                    published: day(Some("2026-01-01")),
                    updated: "2026-01-01T00:00:00Z".into(),
                    category: "kcna".into(),
                    summary: Some("x < y".into()),
                },
                Entry {
                    title: "Two".into(),
                    id: "urn:tealeaf:change:b:2".into(),
                    link: "/article/b#diffs".into(),
                    updated: "2026-01-02T06:00:00Z".into(),
                    category: "edited".into(),
                    ..Default::default()
                },
            ],
            base: String::new(),
        };
        let want = "<?xml version=\"1.0\" encoding=\"utf-8\"?>
<feed xmlns=\"http://www.w3.org/2005/Atom\">
  <title>tealeaf: &lt;b&gt;&quot;Q&apos;s&quot;&lt;/b&gt; &amp; co</title>
  <id>urn:tealeaf:search:ID</id>
  <updated>2026-01-01T00:00:00Z</updated>
  <link rel=\"self\" type=\"application/atom+xml\" href=\"/search.atom?q=a&amp;b\"/>
  <link rel=\"alternate\" type=\"text/html\" href=\"/search?q=a&amp;b\"/>
  <author><name>tealeaf</name></author>
  <entry>
    <title>One</title>
    <id>urn:tealeaf:article:a</id>
    <link rel=\"alternate\" type=\"text/html\" href=\"/article/a\"/>
    <published>2026-01-01T00:00:00Z</published>
    <updated>2026-01-01T00:00:00Z</updated>
    <category term=\"kcna\"/>
    <summary>x &lt; y</summary>
  </entry>
  <entry>
    <title>Two</title>
    <id>urn:tealeaf:change:b:2</id>
    <link rel=\"alternate\" type=\"text/html\" href=\"/article/b#diffs\"/>
    <updated>2026-01-02T06:00:00Z</updated>
    <category term=\"edited\"/>
  </entry>
</feed>
";
        let id = &feed.id["urn:tealeaf:search:".len()..];
        assert_eq!(id.len(), 32);
        assert_eq!(feed.to_xml(), want.replace("ID", id));
        assert_eq!(day(Some("2026-13-01")), None);
    }

    #[test]
    fn links_are_absolute_after_the_base() {
        let feed = Feed {
            self_link: "/changes.atom".into(),
            html_link: "/changes".into(),
            entries: vec![Entry {
                link: "/article/a#diffs".into(),
                ..Default::default()
            }],
            base: "http://127.0.0.1:8080/".into(),
            ..Default::default()
        };
        let xml = feed.to_xml();
        for href in [
            "http://127.0.0.1:8080/changes.atom",
            "http://127.0.0.1:8080/changes\"",
            "http://127.0.0.1:8080/article/a#diffs",
        ] {
            assert!(xml.contains(&format!("href=\"{href}")), "{href} in {xml}");
        }
    }
}
