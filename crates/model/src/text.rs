//! Text normalization and content hashing.
//!
//! Stored text keeps its characters exactly as received (curly quotes,
//! dashes); only leading/trailing white space of a paragraph is dropped.
//! The *content hash* is taken over a normalized form in which every run of
//! white space (including non-breaking spaces, CR and LF) is one space, so a
//! re-capture that differs only in spacing is the same version.

/// Trims white space, including non-breaking spaces and a BOM.
pub fn trim_all(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
}

/// Collapses every run of white space to one ASCII space and trims.
pub fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    collapse_into(s, &mut out);
    out
}

/// Splits a body into paragraphs at blank lines (lines that are empty or
/// white space only). Lines inside one paragraph are joined with a space.
pub fn split_paragraphs(body: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for line in body.lines() {
        let line = trim_all(line);
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
        } else {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(line);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs
}

/// Content hash of a version: BLAKE3 over the white-space-collapsed title
/// and paragraphs, as 32 hex digits (128 bits: collisions are not a
/// practical concern at any archive size).
pub fn content_hash(title: &str, paragraphs: &[String]) -> String {
    let mut h = blake3::Hasher::new();
    // One reused buffer and one `update` per paragraph: BLAKE3 is fast on
    // long inputs and pays a fixed cost per call, so word-by-word updates
    // would spend most of the time on calls.
    let mut buf = String::with_capacity(4096);
    collapse_into(title, &mut buf);
    h.update(buf.as_bytes());
    for p in paragraphs {
        buf.clear();
        collapse_into(p, &mut buf);
        if buf.is_empty() {
            continue;
        }
        // A separator that cannot occur in collapsed text keeps
        // ["ab", "c"] and ["a", "bc"] apart.
        h.update(b"\n");
        h.update(buf.as_bytes());
    }
    hex16(h.finalize().as_bytes())
}

/// Appends `collapse_ws(s)` to `out`.
fn collapse_into(s: &str, out: &mut String) {
    // Most paragraphs are ASCII with single spaces: already collapsed, and
    // told so by one byte scan instead of a char-by-char split.
    let b = s.as_bytes();
    let collapsed_ascii = b.first() != Some(&b' ')
        && b.last() != Some(&b' ')
        && b.iter()
            .all(|&c| c.is_ascii() && !matches!(c, b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
        && !b.windows(2).any(|w| w == b"  ");
    if collapsed_ascii {
        out.push_str(s);
        return;
    }
    let start = out.len();
    for word in s.split(|c: char| c.is_whitespace() || c == '\u{feff}') {
        if word.is_empty() {
            continue;
        }
        if out.len() > start {
            out.push(' ');
        }
        out.push_str(word);
    }
}

pub(crate) fn hex16(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(32);
    for b in &bytes[..16] {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// Folds a title for identity: case, white space and quote/dash style do not
/// make two titles different.
pub fn fold_title(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    for c in collapse_ws(title).chars() {
        match c {
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '`' | '\u{b4}' => {
                out.push('\'')
            }
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' => out.push('"'),
            '\u{2010}'..='\u{2015}' | '\u{2212}' => out.push('-'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// A page's language when the input does not say: `ko` when most letters
/// are Hangul, otherwise `en` (the outlets' other editions come as dumps
/// with a language column).
pub fn guess_language(title: &str, paragraphs: &[String]) -> &'static str {
    let (mut hangul, mut letters) = (0usize, 0usize);
    for c in std::iter::once(title)
        .chain(paragraphs.iter().map(String::as_str))
        .flat_map(str::chars)
        .filter(|c| c.is_alphabetic())
        .take(2000)
    {
        letters += 1;
        if ('\u{ac00}'..='\u{d7a3}').contains(&c) || ('\u{1100}'..='\u{11ff}').contains(&c) {
            hangul += 1;
        }
    }
    if letters > 0 && hangul * 2 > letters {
        "ko"
    } else {
        "en"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_ignores_spacing_but_not_words() {
        let a = content_hash("A  title", &["One\u{a0}two".into(), "three".into()]);
        let b = content_hash(" A title ", &["One two".into(), "".into(), "three ".into()]);
        let c = content_hash("A title", &["One two three".into()]);
        let d = content_hash("A title", &["One two".into(), "four".into()]);
        assert_eq!(a, b);
        assert_ne!(a, c, "paragraph boundaries are content");
        assert_ne!(a, d);
        assert_eq!(a.len(), 32);
    }

    #[test]
    fn collapsing_takes_the_ascii_shortcut_only_where_it_changes_nothing() {
        // Every white space the shortcut must not miss, alone and doubled,
        // at the edges and inside; the result must equal the word-by-word join.
        let spaces = [
            " ", "  ", "\t", "\n", "\r\n", "\u{b}", "\u{c}", "\u{a0}", "\u{feff}", "\u{3000}", "",
        ];
        for a in spaces {
            for b in spaces {
                for c in spaces {
                    let s = format!("{a}Kim{b}Jong Un{c}");
                    let words: Vec<&str> = s
                        .split(|ch: char| ch.is_whitespace() || ch == '\u{feff}')
                        .filter(|w| !w.is_empty())
                        .collect();
                    assert_eq!(collapse_ws(&s), words.join(" "), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn paragraphs_split_on_blank_lines_only() {
        let p = split_paragraphs("First line\ncontinued\n\n \u{a0}\nSecond\r\n\r\nThird");
        assert_eq!(p, vec!["First line continued", "Second", "Third"]);
        assert!(split_paragraphs("  \n\n").is_empty());
    }

    #[test]
    fn fold_title_equates_quote_styles() {
        assert_eq!(
            fold_title("New Year’s  Message"),
            fold_title("new year's message")
        );
        assert_ne!(
            fold_title("New Year Message"),
            fold_title("New Year's Message")
        );
    }
}
