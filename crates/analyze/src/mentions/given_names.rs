//! Foreign names with no title in front (`sent a message to Paul Biya`,
//! `cellist Alexander Omar Suleiman`): a given name of `given-names.tsv`
//! and one to three capitalized words after it, in body text.
//!
//! Owns: the shape, and what keeps an institution's or a place's name out
//! (`San Francisco`, `Simon Bolivar University`). Must not touch: the
//! mentions other rules found (it only adds where no mention is, and runs
//! after the title and appositive rules, whose boundaries it defers to).

use super::{overlaps, single_space, LowerWords, Matcher, Mention, Source};
use crate::text::{name_gap, Word};

/// Words read after the given name, at most (`Pavel Borisovich
/// Ovsyannikov`); a longer capitalized run is more often a thing's name.
const MAX_AFTER: usize = 3;

impl Matcher {
    pub(super) fn given_names(
        &self,
        text: &str,
        ws: &[Word],
        para: Option<usize>,
        lower_words: &LowerWords,
        spans: &mut Vec<(usize, usize)>,
        out: &mut Vec<Mention>,
    ) {
        // A capitalized word with lower-case letters after its first (not
        // `UN`), not a word never in names (`Party`), an institution's
        // (`University`), a title (`President`) or a word the article
        // prints in lower case (`Bill`, `bill`).
        let name_word = |w: &Word, spans: &[(usize, usize)]| {
            let s = w.as_str(text);
            self.is_plain_name_word(s)
                && !overlaps(spans, w.start, w.end)
                && !lower_words.contains(s.to_lowercase().as_str())
        };
        let mut i = 0;
        while i + 1 < ws.len() {
            let w = ws[i];
            if !self.lex.is_given_name(w.as_str(text)) || !name_word(&w, spans) {
                i += 1;
                continue;
            }
            // Inside a capitalized run (`San Francisco`, `Universidad Simon
            // Bolivar`), the given name is no name's start; after a title
            // (`Chief Conductor Pavel ...`) it is.
            let inside = i > 0 && single_space(text, ws[i - 1].end, w.start) && {
                let p = ws[i - 1].as_str(text);
                p.starts_with(char::is_uppercase)
                    && !self.lex.is_title_word(p)
                    && !self.lex.is_role_word(&p.to_lowercase())
            };
            if inside {
                i += 1;
                continue;
            }
            // The words after it: capitalized name words, particles
            // (`bin`, `de`) between them, joined by a space or a hyphen.
            let mut last = None;
            let mut k = i + 1;
            let mut taken = 0;
            while let Some(x) = ws.get(k) {
                if !name_gap(text, ws[k - 1].end, x.start) {
                    break;
                }
                if name_word(x, spans) {
                    taken += 1;
                    last = Some(k);
                    // Too long a run already: no name (and reading on
                    // would make a long run quadratic).
                    if taken > MAX_AFTER {
                        break;
                    }
                } else if !self.lex.is_particle(x.as_str(text)) {
                    break;
                }
                k += 1;
            }
            let Some(last) = last.filter(|_| (1..=MAX_AFTER).contains(&taken)) else {
                i += 1;
                continue;
            };
            // Not a thing's name (`... Suleiman Music School`): no
            // capitalized word right after the run.
            let after = &text[ws[last].end..];
            if after
                .strip_prefix(' ')
                .is_some_and(|r| r.starts_with(char::is_uppercase))
            {
                i += 1;
                continue;
            }
            let (s, e) = (w.start, ws[last].end);
            if self.push_rule_person(text, s, e, para, Source::GivenName, None, spans, out) {
                i = last + 1;
            } else {
                i += 1;
            }
        }
    }
}
