//! Short forms: a person named again in the same article by the surname
//! alone (`Nasrollah said`, `Kim in the message`), or a rule-found name
//! repeated (mostly in the headline, where the open rules do not run).
//!
//! Owns: which short forms an article's people give, and where they are.
//! Must not touch: the people found before it (it only adds mentions where
//! no other mention is).

use std::collections::HashMap;
use std::sync::Arc;

use super::{name_boundary, overlaps, Matcher, Mention, Source};
use crate::gazetteer::EntityKind;
use crate::hangul::is_syllable;
use crate::lexicon::FastHash;
use crate::text::{is_capitalized, Word};

impl Matcher {
    /// Repeats of rule-found names (full, and the surname alone when only
    /// one person found in the article carries it) anywhere in the article.
    pub(super) fn short_forms(
        &self,
        units: &[(Option<usize>, &str)],
        unit_words: &[Vec<Word>],
        unit_spans: &mut [Vec<(usize, usize)>],
        found: &[(&str, Arc<str>)],
        out: &mut Vec<Mention>,
    ) {
        // Every person found so far, rule or gazetteer, gives short forms.
        // The forms borrow from these names, which `out` cannot lend while
        // it grows.
        let names: Vec<Arc<str>> = found
            .iter()
            .map(|(_, c)| c.clone())
            .chain(
                out.iter()
                    .filter(|m| m.kind == EntityKind::Person)
                    .map(|m| m.canonical.clone()),
            )
            .collect();
        // Short form → the one person it names (None: two share it).
        let mut forms: HashMap<&str, Option<&Arc<str>>, FastHash> = HashMap::default();
        // Short forms come from canonical names, never from variants
        // (`Lee group` must not make `group` a person).
        for name in &names {
            let surface: &str = name;
            // A surname and one given name (`Kim Chol`, `Song Tao`): its
            // last word is no surname, and its surname alone is too common
            // a word to stand for it.
            let mut ws = surface.split(' ');
            if let (Some(first), Some(_), None) = (ws.next(), ws.next(), ws.next()) {
                if self.lex.is_surname(first) || self.lex.is_chinese_surname(first) {
                    continue;
                }
            }
            let korean = surface
                .split(' ')
                .next()
                .is_some_and(|s| self.lex.is_surname(s) && surface.split(' ').count() == 3);
            let short = if korean {
                surface.split(' ').next()
            } else {
                surface.rsplit(' ').next()
            };
            if let Some(short) = short {
                if short.len() >= 2
                    && short != surface
                    && is_capitalized(short)
                    && !self.lex.is_non_name_word(short)
                    && (!korean || short.len() >= 3)
                {
                    forms
                        .entry(short)
                        .and_modify(|c| {
                            if c.is_some_and(|c| c != name) {
                                *c = None; // ambiguous: two people share it
                            }
                        })
                        .or_insert(Some(name));
                }
            }
        }
        let mut full_forms: Vec<(&str, &Arc<str>)> = found.iter().map(|(s, c)| (*s, c)).collect();
        full_forms.sort();
        full_forms.dedup();
        // Each name's searcher is built once for all the units.
        let full_forms: Vec<(memchr::memmem::Finder, &str, &Arc<str>)> = full_forms
            .into_iter()
            .map(|(surface, canonical)| (memchr::memmem::Finder::new(surface), surface, canonical))
            .collect();
        for (ui, &(para, text)) in units.iter().enumerate() {
            let Some(spans) = unit_spans.get_mut(ui) else {
                continue;
            };
            // Full rule-found names again (mostly: in the headline).
            for (finder, surface, canonical) in &full_forms {
                for s in finder.find_iter(text.as_bytes()) {
                    let e = s + surface.len();
                    let hangul_end = surface.chars().next_back().is_some_and(is_syllable);
                    if name_boundary(text, s, e, hangul_end) && !overlaps(spans, s, e) {
                        spans.push((s, e));
                        out.push(Mention::new(
                            EntityKind::Person,
                            Arc::clone(canonical),
                            para,
                            s,
                            e,
                            Source::ShortForm,
                        ));
                    }
                }
            }
            if forms.is_empty() {
                continue;
            }
            for w in unit_words.get(ui).map_or(&[][..], |v| v.as_slice()) {
                let w = *w;
                // Short forms are capitalized; skip the hash for the rest
                // (and an ASCII lowercase initial without slicing).
                if text
                    .as_bytes()
                    .get(w.start)
                    .is_some_and(u8::is_ascii_lowercase)
                {
                    continue;
                }
                let ws = w.as_str(text);
                if !ws.chars().next().is_some_and(|c| c.is_uppercase()) {
                    continue;
                }
                let Some(Some(canonical)) = forms.get(ws) else {
                    continue;
                };
                if overlaps(spans, w.start, w.end) {
                    continue;
                }
                // `Kim Jong ...` is a (different) full name, not a short form.
                let rest = &text[w.end..];
                let next_cap = rest
                    .strip_prefix(' ')
                    .and_then(|r| r.chars().next())
                    .is_some_and(|c| c.is_uppercase());
                if next_cap {
                    continue;
                }
                spans.push((w.start, w.end));
                out.push(Mention::new(
                    EntityKind::Person,
                    Arc::clone(canonical),
                    para,
                    w.start,
                    w.end,
                    Source::ShortForm,
                ));
            }
        }
    }
}
