//! Gazetteer people found under the folded key: a listed person printed
//! in another letter case, with hyphens of any width, other spacing or
//! diacritics (`KIM YONG NAM`, `Park Chung-Hee`, `Kim Jong-Un`, `Bashar
//! Al－Assad`), which the case-sensitive pass over the variants misses.
//!
//! Owns: runs of capitalized words (joined by one space or one hyphen)
//! whose folded form ([`crate::hangul::fold_name`]) is a listed person's.
//! Must not touch: the spans of earlier mentions (it only adds where no
//! mention is) or the variants' own pass.

use std::sync::Arc;

use super::{overlaps, Matcher, Mention, Source};
use crate::gazetteer::EntityKind;
use crate::text::{name_gap, Word};

/// Longest run tried, in words (`Dmitri Anatoliyevich Medvedev` is 3;
/// names with particles are longer).
const MAX_WORDS: usize = 6;

impl Matcher {
    pub(super) fn folded_people(
        &self,
        text: &str,
        ws: &[Word],
        para: Option<usize>,
        spans: &mut Vec<(usize, usize)>,
        out: &mut Vec<Mention>,
    ) {
        // A word's first folded token (`kim` of `Kim-Jong-Il`), reused.
        let mut first = String::new();
        let mut i = 0;
        while i < ws.len() {
            let w = ws[i];
            // Most words start lowercase: no slicing, no folding.
            let starts_upper = match text.as_bytes().get(w.start) {
                Some(b) if b.is_ascii() => b.is_ascii_uppercase(),
                _ => w
                    .as_str(text)
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase),
            };
            if !starts_upper || overlaps(spans, w.start, w.end) || {
                crate::hangul::fold_first_word(w.as_str(text), &mut first);
                !self.fold_firsts.contains(first.as_str())
            } {
                i += 1;
                continue;
            }
            let mut last = i;
            while last + 1 < ws.len()
                && last + 1 - i < MAX_WORDS
                && name_gap(text, ws[last].end, ws[last + 1].start)
            {
                last += 1;
            }
            // Longest first; one word only when it holds a hyphen
            // (`Kim-Jong-Il`).
            let shortest = if w.as_str(text).contains('-') {
                i
            } else {
                i + 1
            };
            let mut matched = None;
            for k in (shortest..=last).rev() {
                let (s, e) = (w.start, ws[k].end);
                // A listed word inside the name (`NAM`, the Non-Aligned
                // Movement, in `KIM YONG NAM`) gives way to it; a match
                // across the name's edge does not.
                if spans
                    .iter()
                    .any(|&(a, b)| s < b && a < e && !(s <= a && b <= e))
                {
                    continue;
                }
                let key = crate::hangul::fold_name(&text[s..e], |x| self.lex.is_surname(x));
                if let Some(c) = self.person_folds.get(&key) {
                    matched = Some((k, e, Arc::clone(c)));
                    break;
                }
            }
            match matched {
                Some((k, e, canonical)) => {
                    let s = w.start;
                    spans.retain(|&(a, b)| !(s <= a && b <= e));
                    out.retain(|m| !(s <= m.start && m.end <= e));
                    spans.push((w.start, e));
                    out.push(Mention::new(
                        EntityKind::Person,
                        canonical,
                        para,
                        w.start,
                        e,
                        Source::Gazetteer,
                    ));
                    i = k + 1;
                }
                None => i += 1,
            }
        }
    }
}
