//! The cosmetic fold: two texts that fold alike differ only in white
//! space, quote or dash style, letter case or encoding.

use rustc_hash::FxHashSet as HashSet;

use unicode_normalization::UnicodeNormalization;

use crate::Content;

/// Mis-decoded UTF-8 read as Windows-1252 ("mojibake") and HTML entities
/// that stand for the same characters: an encoding difference, not an edit.
const ENCODING_EQUIVALENTS: &[(&str, &str)] = &[
    ("\u{e2}\u{20ac}\u{2122}", "'"),
    ("\u{e2}\u{20ac}\u{2dc}", "'"),
    ("\u{e2}\u{20ac}\u{153}", "\""),
    ("\u{e2}\u{20ac}\u{9d}", "\""),
    ("\u{e2}\u{20ac}\u{201c}", "-"),
    ("\u{e2}\u{20ac}\u{201d}", "-"),
    ("\u{c2}\u{a0}", " "),
    ("&amp;", "&"),
    ("&quot;", "\""),
    ("&#39;", "'"),
    ("&apos;", "'"),
    ("&nbsp;", " "),
    ("&lt;", "<"),
    ("&gt;", ">"),
];

/// Folds a text: NFKC, encoding equivalents, quotes and dashes to ASCII,
/// lowercase, white space collapsed.
pub fn fold(s: &str) -> String {
    // Plain ASCII without entities (most tokens of most texts): NFKC and
    // the encoding table cannot change it, only case and spacing can.
    if s.is_ascii() && !s.contains('&') && !s.contains('`') {
        let mut out = String::with_capacity(s.len());
        for word in s.split_ascii_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        }
        return out;
    }
    // Encoding equivalents first: NFKC would turn the mojibake's `™` into `TM`.
    let mut text = s.to_string();
    if text.contains(['\u{e2}', '\u{c2}', '&']) {
        for (from, to) in ENCODING_EQUIVALENTS {
            if text.contains(from) {
                text = text.replace(from, to);
            }
        }
    }
    let text: String = text.nfkc().collect();
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for ch in text.chars() {
        let mapped = match ch {
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '`' | '\u{b4}' => '\'',
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{ab}'
            | '\u{bb}' => '"',
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            c if c.is_whitespace() || c == '\u{feff}' => ' ',
            c => c,
        };
        if mapped == ' ' {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.extend(mapped.to_lowercase());
    }
    out
}

/// The words of a text after the fold: runs of letters and digits.
pub fn words(s: &str) -> Vec<String> {
    fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Title and body words in order, with punctuation kept as separate
/// tokens so that a quote-style change folds away but a changed comma
/// does not.
pub(crate) fn content_words(c: &Content) -> Vec<String> {
    let mut out = Vec::new();
    for text in std::iter::once(c.title).chain(c.paragraphs.iter().map(String::as_str)) {
        let folded = fold(text);
        let mut word = String::new();
        for ch in folded.chars() {
            if ch.is_alphanumeric() {
                word.push(ch);
            } else {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
                if !ch.is_whitespace() {
                    out.push(ch.to_string());
                }
            }
        }
        if !word.is_empty() {
            out.push(word);
        }
        // Paragraph boundaries are part of the text.
        out.push("\u{b6}".to_string());
    }
    out
}

/// Jaccard similarity of word pairs (of words, for short texts):
/// insensitive to reordering, low for two different stories even when they
/// share the outlets' stock vocabulary.
pub(crate) fn similarity(a: &[String], b: &[String]) -> f64 {
    let alnum = |w: &&String| w.chars().next().is_some_and(char::is_alphanumeric);
    let a: Vec<&String> = a.iter().filter(alnum).collect();
    let b: Vec<&String> = b.iter().filter(alnum).collect();
    let short = a.len().min(b.len()) < 40;
    // Word pairs as references: no copies of the words.
    fn set<'a>(ws: &[&'a String], short: bool) -> HashSet<(&'a str, &'a str)> {
        if short {
            ws.iter().map(|w| (w.as_str(), "")).collect()
        } else {
            ws.windows(2)
                .map(|p| (p[0].as_str(), p[1].as_str()))
                .collect()
        }
    }
    let (sa, sb) = (set(&a, short), set(&b, short));
    if sa.is_empty() && sb.is_empty() {
        return 1.0;
    }
    let inter = sa.intersection(&sb).count();
    inter as f64 / (sa.len() + sb.len() - inter) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_equates_styles_and_encodings() {
        assert_eq!(
            fold("New Year\u{2019}s \u{2014} \u{201c}Juche\u{201d}"),
            fold("new year's - \"JUCHE\"")
        );
        assert_eq!(
            fold("Party\u{e2}\u{20ac}\u{2122}s  line"),
            fold("Party’s line")
        );
        assert_eq!(fold("A &amp; B\u{a0}C"), fold("a & b c"));
        assert_ne!(fold("Kim Jong Il"), fold("Kim Jong Un"));
    }

    #[test]
    fn similarity_is_jaccard() {
        let w = |s: &str| words(s);
        assert_eq!(similarity(&w("a b c"), &w("a b c")), 1.0);
        assert_eq!(similarity(&w("a b"), &w("c d")), 0.0);
        let s = similarity(&w("a b c d"), &w("a b c e"));
        assert!((s - 0.6).abs() < 1e-9, "{s}");
    }
}
