//! Rules for people no list knows: a Korean name by its surname and the
//! shape of its syllables, a foreign name after a title word (`President X
//! Y`) or before an appositive role (`X Y, chairman of ...`).
//!
//! Owns: where a rule-found name starts and ends, read off the words and
//! the word lists. Must not touch: gazetteer matches (a rule adds a person
//! only where no other mention is) or short forms (`short_forms`).

use std::sync::Arc;

use super::{overlaps, single_space, Matcher, Mention, Source};
use crate::gazetteer::EntityKind;
use crate::lexicon::Lexicon;
use crate::text::{is_capitalized, Word};

impl Matcher {
    pub(super) fn korean_names(
        &self,
        text: &str,
        ws: &[Word],
        para: Option<usize>,
        spans: &mut Vec<(usize, usize)>,
        out: &mut Vec<Mention>,
    ) {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i + 2 < ws.len() {
            // Most words start lowercase: no surname, and no slicing (the
            // next two words are read only after this test).
            if !bytes.get(ws[i].start).is_some_and(u8::is_ascii_uppercase) {
                i += 1;
                continue;
            }
            let (a, b, c) = (ws[i], ws[i + 1], ws[i + 2]);
            if !self.lex.is_surname(a.as_str(text))
                || !single_space(text, a.end, b.start)
                || !single_space(text, b.end, c.start)
                || !self.lex.is_syllable(b.as_str(text))
                || !self.lex.is_syllable(c.as_str(text))
            {
                i += 1;
                continue;
            }
            // `Kim Il Sung Square`: a name inside an institution's name.
            if let Some(d) = ws.get(i + 3) {
                if single_space(text, c.end, d.start)
                    && self.lex.is_institution_word(d.as_str(text))
                {
                    i += 4;
                    continue;
                }
            }
            if self.push_rule_person(text, a.start, c.end, para, Source::KoreanName, spans, out) {
                i += 3;
            } else {
                i += 1;
            }
        }
    }

    pub(super) fn title_rule(
        &self,
        text: &str,
        ws: &[Word],
        title_ends: &[usize],
        para: Option<usize>,
        spans: &mut Vec<(usize, usize)>,
        out: &mut Vec<Mention>,
    ) {
        for &end in title_ends {
            // The name must start right after one space.
            let Ok(first) = ws.binary_search_by_key(&(end + 1), |w| w.start) else {
                continue;
            };
            if text.as_bytes().get(end) != Some(&b' ') {
                continue;
            }
            if let Some((s, e)) = name_run_forward(&self.lex, text, ws, first) {
                let _ = self.push_rule_person(text, s, e, para, Source::TitleRule, spans, out);
            }
        }
    }

    pub(super) fn appositive_rule(
        &self,
        text: &str,
        ws: &[Word],
        para: Option<usize>,
        spans: &mut Vec<(usize, usize)>,
        out: &mut Vec<Mention>,
    ) {
        let b = text.as_bytes();
        // Each `, `: a comma with a space after it, by a byte scan (no
        // substring searcher to build per paragraph).
        for ci in memchr::memchr_iter(b',', b).filter(|&i| b.get(i + 1) == Some(&b' ')) {
            // Is a role among the next four words?
            let next = ws.partition_point(|w| w.start <= ci);
            let has_role = ws[next..]
                .iter()
                .take(4)
                .any(|w| self.lex.is_role_word(w.as_str(text)));
            if !has_role {
                continue;
            }
            // The name run ends right before the comma.
            let Some(last) = ws.partition_point(|w| w.end <= ci).checked_sub(1) else {
                continue;
            };
            let tail_ok = {
                let gap = &text[ws[last].end..ci];
                gap.is_empty() || gap == "'s" || gap == "’s" || gap == "."
            };
            if !tail_ok || b.get(ws[last].end) == Some(&b'\'') {
                continue;
            }
            if let Some((s, e)) = name_run_backward(&self.lex, text, ws, last) {
                let _ = self.push_rule_person(text, s, e, para, Source::AppositiveRule, spans, out);
            }
        }
    }

    /// Adds a person found by a rule at `text[s..e]`, unless another
    /// mention covers it; true when added.
    #[allow(clippy::too_many_arguments)]
    fn push_rule_person(
        &self,
        text: &str,
        s: usize,
        e: usize,
        para: Option<usize>,
        source: Source,
        spans: &mut Vec<(usize, usize)>,
        out: &mut Vec<Mention>,
    ) -> bool {
        if overlaps(spans, s, e) {
            return false;
        }
        let surface = &text[s..e];
        let canonical = self
            .known_person(surface)
            .unwrap_or_else(|| Arc::from(surface));
        spans.push((s, e));
        out.push(Mention {
            kind: EntityKind::Person,
            canonical,
            paragraph: para,
            start: s,
            end: e,
            source,
        });
        true
    }
}

fn is_name_token(lex: &Lexicon, text: &str, w: &Word) -> bool {
    let s = w.as_str(text);
    is_capitalized(s) && !lex.is_non_name_word(s) && !s.chars().all(|c| c.is_uppercase())
}

/// An initial like `M.` right before a word: `M. Jahangir Khan`.
fn initial_before(text: &str, start: usize) -> Option<usize> {
    let b = text.as_bytes();
    if start >= 3
        && b[start - 1] == b' '
        && b[start - 2] == b'.'
        && b[start - 3].is_ascii_uppercase()
    {
        let s = start - 3;
        if s == 0
            || !text[..s]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric())
        {
            return Some(s);
        }
    }
    None
}

/// A name starting at word `first`: capitalized name tokens (and
/// particles) joined by single spaces; at least two capitalized tokens.
fn name_run_forward(
    lex: &Lexicon,
    text: &str,
    ws: &[Word],
    first: usize,
) -> Option<(usize, usize)> {
    // A name does not start with a particle (`del Comité ...`).
    if lex.is_particle(ws.get(first)?.as_str(text)) {
        return None;
    }
    let mut caps = 0;
    let mut last = None;
    let mut i = first;
    while i < ws.len() && i < first + 5 {
        if i > first && !single_space(text, ws[i - 1].end, ws[i].start) {
            break;
        }
        let s = ws[i].as_str(text);
        if is_name_token(lex, text, &ws[i]) {
            caps += 1;
            last = Some(i);
        } else if !lex.is_particle(s) {
            break;
        }
        // A possessive or punctuation ends the name.
        if ws[i].end < text.len() && text.as_bytes()[ws[i].end] != b' ' {
            break;
        }
        i += 1;
    }
    let last = last?;
    (caps >= 2).then(|| (ws[first].start, ws[last].end))
}

/// A name ending at word `last`, read backwards.
fn name_run_backward(
    lex: &Lexicon,
    text: &str,
    ws: &[Word],
    last: usize,
) -> Option<(usize, usize)> {
    if !is_name_token(lex, text, &ws[last]) {
        return None;
    }
    let mut caps = 1;
    let mut first = last;
    let mut i = last;
    while i > 0 && last - i < 4 {
        let prev = &ws[i - 1];
        if !single_space(text, prev.end, ws[i].start) {
            break;
        }
        let s = prev.as_str(text);
        if is_name_token(lex, text, prev) {
            caps += 1;
            first = i - 1;
        } else if !lex.is_particle(s) {
            break;
        }
        i -= 1;
    }
    while first < last && lex.is_particle(ws[first].as_str(text)) {
        first += 1;
    }
    let mut start = ws[first].start;
    if let Some(s) = initial_before(text, start) {
        start = s;
    }
    (caps >= 2).then_some((start, ws[last].end))
}
