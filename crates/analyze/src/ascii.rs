//! Regexes rewritten for ASCII text: the rules' patterns are written with
//! Unicode classes (`\w`, `\s`, `[^,;]`), which match alike on ASCII text
//! but make the automaton many times larger. A larger automaton costs at
//! every search: the lazy DFA builds more states, and the engine that
//! resolves groups visits all of it (a bounded repeat, like the entourage
//! trigger's `[^;]{0,120}?`, copies its class once per repeat).
//!
//! Owns: rewriting a pattern's classes, and picking a twin by the text.
//! Must not touch: what the patterns mean (`events`, `entourage`).

use std::sync::OnceLock;

use regex::Regex;

/// Which classes [`ascii_classes`] makes ASCII-only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// `\w` outside brackets: for text in which no non-ASCII character is
    /// a word character, where it matches as the Unicode `\w`.
    Words,
    /// Every `\w`, `\d`, `\s` and bracketed class: for ASCII text.
    All,
}

/// `pattern` with classes made ASCII-only (see [`Scope`]). A bracketed
/// class becomes its intersection with ASCII (`[\x00-\x7F&&[^,;]]`).
/// Patterns with nested brackets are not supported (none is written so).
pub(crate) fn ascii_classes(pattern: &str, scope: Scope) -> String {
    let mut out = String::with_capacity(pattern.len() + 64);
    let mut rest = pattern;
    while let Some(c) = rest.chars().next() {
        let len = match c {
            '\\' => 1 + rest[1..].chars().next().map_or(0, char::len_utf8),
            '[' => rest.find(']').map_or(1, |k| k + 1),
            _ => c.len_utf8(),
        };
        let token = &rest[..len];
        let ascii = match (c, scope) {
            ('\\', Scope::Words) => token == r"\w",
            ('\\', Scope::All) => matches!(token, r"\w" | r"\d" | r"\s"),
            ('[', Scope::All) => len > 1,
            _ => false,
        };
        if ascii {
            out.push_str(r"[\x00-\x7F&&");
            out.push_str(token);
            out.push(']');
        } else {
            out.push_str(token);
        }
        rest = &rest[len..];
    }
    out
}

/// A regex and its twin for ASCII text ([`Scope::All`]).
pub(crate) struct Twins {
    pattern: &'static str,
    /// Built on the first text that is not ASCII: the Unicode classes are
    /// also slow to build.
    any: OnceLock<Regex>,
    ascii: Regex,
}

impl Twins {
    /// Panics on a bad pattern: for the engine's own static patterns.
    pub(crate) fn new(pattern: &'static str) -> Twins {
        Twins {
            pattern,
            any: OnceLock::new(),
            ascii: Regex::new(&ascii_classes(pattern, Scope::All)).expect("static regex"),
        }
    }

    /// The one to search `s` with.
    pub(crate) fn of(&self, s: &str) -> &Regex {
        if s.is_ascii() {
            &self.ascii
        } else {
            self.any
                .get_or_init(|| Regex::new(self.pattern).expect("static regex"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_are_rewritten_by_scope() {
        let pattern = r"(?x)a\s+[\w-]+\d{2}[^,;]\.(?-u:\b)\\w[A-Z]\w";
        assert_eq!(
            ascii_classes(pattern, Scope::All),
            r"(?x)a[\x00-\x7F&&\s]+[\x00-\x7F&&[\w-]]+[\x00-\x7F&&\d]{2}[\x00-\x7F&&[^,;]]\.(?-u:\b)\\w[\x00-\x7F&&[A-Z]][\x00-\x7F&&\w]"
        );
        assert_eq!(
            ascii_classes(pattern, Scope::Words),
            r"(?x)a\s+[\w-]+\d{2}[^,;]\.(?-u:\b)\\w[A-Z][\x00-\x7F&&\w]"
        );
    }

    #[test]
    fn the_rewritten_classes_match_ascii_text_as_before_and_nothing_else() {
        let pattern = r"[^,;]+\s\w+\d";
        let ascii = Regex::new(&ascii_classes(pattern, Scope::All)).unwrap();
        let unicode = Regex::new(pattern).unwrap();
        for s in ["ab cd1", "x, y z9", "tab\tend0", ";;; a b2"] {
            assert_eq!(
                ascii.find(s).map(|m| m.range()),
                unicode.find(s).map(|m| m.range()),
                "{s}"
            );
            assert!(ascii.is_match(s), "{s}");
        }
        for s in ["é\u{a0}x1", "a\u{a0}b1", "a ٣٣"] {
            assert!(unicode.is_match(s), "{s}");
            assert!(!ascii.is_match(s), "{s}");
        }
        let twins = Twins::new(pattern);
        assert!(std::ptr::eq(twins.of("ab cd1"), &twins.ascii));
        assert!(twins.any.get().is_none());
        assert!(std::ptr::eq(
            twins.of("é\u{a0}x1"),
            twins.any.get().unwrap()
        ));
    }
}
