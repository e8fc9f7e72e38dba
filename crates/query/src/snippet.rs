//! Snippets as HTML: the index finds the fragment and its matches, this
//! renders them for pages and for the `snippet` field of search hits.

use tealeaf_index::Snippet;

/// HTML with matches in `<b>`; every piece of the text is escaped.
pub fn to_html(snippet: &Snippet) -> String {
    let text = &snippet.text;
    let mut out = String::with_capacity(text.len() + 16);
    let mut at = 0;
    for r in &snippet.highlights {
        escape_into(&text[at..r.start], &mut out);
        out.push_str("<b>");
        escape_into(&text[r.clone()], &mut out);
        out.push_str("</b>");
        at = r.end;
    }
    escape_into(&text[at..], &mut out);
    out
}

fn escape_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_in_bold_and_everything_escaped() {
        let s = Snippet {
            text: "a <b> & \"Libya\" 'x'".into(),
            highlights: vec![0..1, 9..14],
        };
        assert_eq!(
            to_html(&s),
            "<b>a</b> &lt;b&gt; &amp; &quot;<b>Libya</b>&quot; &#39;x&#39;"
        );
    }
}
