//! Korean names in lists of names: where a paragraph lists people
//! (`Choe Ryong Hae, Kim Ki Nam, Hong In Bom, Kim Chol y Ri Chol`, as a
//! funeral committee or a delegation is printed), an item that is a
//! surname and one or two syllables is a name, even a syllable that also
//! spells an English word (`In`, `So`, `Gun`, `I`) or a two-syllable
//! name (`Kim Chol`), which the open rules leave alone elsewhere.
//!
//! Owns: what makes a paragraph a list of names and an item of it a name.
//! Must not touch: the mentions other rules found (it only adds where no
//! mention is).

use super::{overlaps, single_space, Matcher, Mention, Source};
use crate::gazetteer::EntityKind;
use crate::text::{is_capitalized, Word};

/// People a paragraph must already list, found by other rules, before
/// its other items are read as names.
const MIN_LISTED: usize = 3;

impl Matcher {
    pub(super) fn names_in_lists(
        &self,
        text: &str,
        ws: &[Word],
        para: Option<usize>,
        spans: &mut Vec<(usize, usize)>,
        out: &mut Vec<Mention>,
    ) {
        let listed = |s: usize, e: usize| {
            let before = text[..s].trim_end();
            let after = text[e..].trim_start();
            before.ends_with(',')
                || after.starts_with(',')
                || [" y", " and", " e"].iter().any(|c| before.ends_with(c))
        };
        let known = out
            .iter()
            .filter(|m| m.kind == EntityKind::Person && listed(m.start, m.end))
            .count();
        if known < MIN_LISTED {
            return;
        }
        let mut i = 0;
        while i < ws.len() {
            if !is_capitalized(ws[i].as_str(text)) {
                i += 1;
                continue;
            }
            // A run of capitalized words one space apart: the whole item.
            let mut j = i;
            while j + 1 < ws.len()
                && single_space(text, ws[j].end, ws[j + 1].start)
                && is_capitalized(ws[j + 1].as_str(text))
            {
                j += 1;
            }
            let (s, e) = (ws[i].start, ws[j].end);
            let name_shaped = (1..=2).contains(&(j - i))
                && self.lex.is_surname(ws[i].as_str(text))
                && ws[i + 1..=j]
                    .iter()
                    .all(|w| self.lex.is_any_syllable(w.as_str(text)));
            if name_shaped && listed(s, e) && !overlaps(spans, s, e) {
                let name = ws[i..=j]
                    .iter()
                    .map(|w| w.as_str(text))
                    .collect::<Vec<_>>()
                    .join(" ");
                let _ = self.push_rule_person(
                    text,
                    s,
                    e,
                    para,
                    Source::KoreanName,
                    Some(name),
                    spans,
                    out,
                );
            }
            i = j + 1;
        }
    }
}
