//! Foreign names printed with a middle initial (`Michael D. Higgins`,
//! `Valery E. Sukhinin`, `Ram K. Karmacharya`): a given name, one or two
//! capital letters each followed by a period, and a surname. No listed
//! title or other word has that shape, so it needs no title before it.
//!
//! Owns: the shape. Must not touch: the mentions other rules found (it
//! only adds where no mention is).

use super::{single_space, Matcher, Mention, Source};
use crate::text::Word;

/// Initials read between a given name and a surname, at most.
const MAX_INITIALS: usize = 2;

impl Matcher {
    pub(super) fn initial_names(
        &self,
        text: &str,
        ws: &[Word],
        para: Option<usize>,
        lower_words: &super::LowerWords,
        spans: &mut Vec<(usize, usize)>,
        out: &mut Vec<Mention>,
    ) {
        let bytes = text.as_bytes();
        let name_word = |w: &Word| self.is_plain_name_word(w.as_str(text));
        // `D. ` with the next word right after the space; not `I`, a
        // numeral there (`World War I. Veterans`).
        let initial = |k: usize| {
            let w = ws[k];
            w.end == w.start + 1
                && bytes[w.start].is_ascii_uppercase()
                && bytes[w.start] != b'I'
                && bytes.get(w.end) == Some(&b'.')
                && bytes.get(w.end + 1) == Some(&b' ')
                && ws.get(k + 1).is_some_and(|next| next.start == w.end + 2)
        };
        let mut i = 0;
        while i + 2 < ws.len() {
            if !name_word(&ws[i]) || !single_space(text, ws[i].end, ws[i + 1].start) {
                i += 1;
                continue;
            }
            let mut k = i + 1;
            while k < ws.len() && k - i <= MAX_INITIALS && initial(k) {
                k += 1;
            }
            if k == i + 1 || k >= ws.len() || !name_word(&ws[k]) {
                i += 1;
                continue;
            }
            // A word the article also prints in lower case ends a
            // sentence or starts one (`Plan B. Soldiers`), no name.
            let printed_lower = |w: &Word| lower_words.contains(&w.as_str(text).to_lowercase());
            if printed_lower(&ws[i]) || printed_lower(&ws[k]) {
                i += 1;
                continue;
            }
            let (s, e) = (ws[i].start, ws[k].end);
            if self.push_rule_person(text, s, e, para, Source::InitialRule, None, spans, out) {
                i = k + 1;
            } else {
                i += 1;
            }
        }
    }
}

impl Matcher {
    /// A capitalized word with lower-case letters after its first (not
    /// `UN`, not `D`), no listed non-name word (`The`, `In`), no
    /// institution word (`University`) and no title (`President`): what a
    /// foreign name's words look like.
    pub(super) fn is_plain_name_word(&self, s: &str) -> bool {
        let mut cs = s.chars();
        cs.next().is_some_and(char::is_uppercase)
            && s.chars().count() >= 2
            && cs.all(|c| c.is_lowercase() || c == '-' || c == '\'')
            && !self.lex.is_non_name_word(s)
            && self.lex.institution(s).is_none()
            && !self.lex.is_title_word(s)
    }
}
