//! Finding mentions: one Aho-Corasick pass over each text unit for the
//! gazetteers, then rules for people no list knows (Korean names by surname
//! and syllable shape; foreign names after a title word or before an
//! appositive role), then short forms of the people found (`Nasrollah said`,
//! `Kim in the message`).

use std::collections::HashMap;
use std::sync::Arc;

use crate::scan::Scanner;
use serde::{Deserialize, Serialize};

use crate::gazetteer::{EntityKind, EntryKind, Gazetteer, GazetteerError};
use crate::lexicon::{FastHash, Lexicon};
use crate::text::{is_capitalized, is_whole_word, words, Word};

/// How a mention was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A gazetteer variant.
    Gazetteer,
    /// Korean surname followed by two romanized syllables.
    KoreanName,
    /// A capitalized name after a title word (`President X Y`).
    TitleRule,
    /// A capitalized name before a role (`X Y, chairman of ...`).
    AppositiveRule,
    /// A person's short form (surname alone) once the full name was seen
    /// in the same article, or a rule-found name repeated in the headline.
    ShortForm,
}

/// One mention of an entity in an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    pub kind: EntityKind,
    /// Shared with the gazetteer entry (and every other mention of it): a
    /// copy each, with the surface's, was 9 % of the engine's time alone
    /// (`bench_kcna`, glibc's allocator); in an ingest, on mimalloc, 28 M
    /// instructions.
    pub canonical: Arc<str>,
    /// `None` for the headline, `Some(i)` for paragraph `i` (0-based).
    pub paragraph: Option<usize>,
    /// Byte span in the headline or in that paragraph.
    pub start: usize,
    pub end: usize,
    pub source: Source,
}

impl Mention {
    /// The mention as printed (without a possessive `'s`), read off the
    /// headline and paragraphs it was found in; "" from other text. (Not
    /// kept in the mention: a copy each was 3 % of the engine's time alone.)
    pub fn surface<'t>(&self, title: &'t str, paragraphs: &'t [String]) -> &'t str {
        let text = match self.paragraph {
            None => title,
            Some(p) => paragraphs.get(p).map_or("", String::as_str),
        };
        text.get(self.start..self.end).unwrap_or("")
    }
}

#[derive(Debug, Clone, Copy)]
struct Pattern {
    entry: usize,
}

/// The compiled gazetteer plus the rules' word lists.
#[derive(Debug, Clone)]
pub struct Matcher {
    scanner: Scanner,
    patterns: Vec<Pattern>,
    /// (canonical, kind) per gazetteer entry; kind None = mask.
    entries: Vec<(Arc<str>, Option<EntityKind>)>,
    /// Every person variant → canonical (for scoring and lookups).
    person_variants: HashMap<String, Arc<str>>,
    lex: Lexicon,
}

/// Pattern owner marking a title word rather than a gazetteer entry.
const TITLE_ENTRY: usize = usize::MAX;

impl Matcher {
    pub fn new(g: &Gazetteer, lex: Lexicon) -> Result<Matcher, GazetteerError> {
        let mut entries = Vec::new();
        // Later entries override earlier ones for the same variant.
        let mut variant_owner: HashMap<String, usize> = HashMap::new();
        let mut person_variants = HashMap::new();
        for (i, e) in g.entries().iter().enumerate() {
            let kind = match e.kind {
                EntryKind::Entity(k) => Some(k),
                EntryKind::Mask => None,
            };
            let canonical: Arc<str> = Arc::from(e.canonical.as_str());
            entries.push((canonical.clone(), kind));
            for v in &e.variants {
                let mut forms = vec![v.clone()];
                if v.contains('\'') {
                    forms.push(v.replace('\'', "’"));
                }
                for f in forms {
                    if kind == Some(EntityKind::Person) {
                        person_variants.insert(f.clone(), canonical.clone());
                    }
                    variant_owner.insert(f, i);
                }
            }
        }
        // Title words share the one automaton (one pass over the text);
        // they mark where a name may follow and never shadow a gazetteer entry.
        for t in &lex.title_words {
            variant_owner.entry(t.to_string()).or_insert(TITLE_ENTRY);
        }
        let mut pats: Vec<(String, usize)> = variant_owner.into_iter().collect();
        pats.sort();
        let patterns: Vec<Pattern> = pats.iter().map(|(_, e)| Pattern { entry: *e }).collect();
        let names: Vec<&str> = pats.iter().map(|(p, _)| p.as_str()).collect();
        let scanner = Scanner::new(&names).map_err(GazetteerError::Automaton)?;
        Ok(Matcher {
            scanner,
            patterns,
            entries,
            person_variants,
            lex,
        })
    }

    /// The word lists the rules read.
    pub(crate) fn lexicon(&self) -> &Lexicon {
        &self.lex
    }

    /// The canonical name of a person variant, if a gazetteer lists it.
    pub fn canonical_person(&self, name: &str) -> Option<&str> {
        self.person_variants.get(name).map(|s| &**s)
    }

    /// Finds every mention in a headline and paragraphs.
    pub fn find(&self, title: &str, paragraphs: &[String]) -> Vec<Mention> {
        let mut units: Vec<(Option<usize>, &str)> = Vec::with_capacity(paragraphs.len() + 1);
        units.push((None, title));
        for (i, p) in paragraphs.iter().enumerate() {
            units.push((Some(i), p.as_str()));
        }
        let mut out: Vec<Mention> = Vec::new();
        // Rule-found people (as printed, canonical), for short forms and
        // the headline.
        let mut found_people: Vec<(&str, Arc<str>)> = Vec::new();
        let mut unit_spans: Vec<Vec<(usize, usize)>> = Vec::with_capacity(units.len());
        let mut unit_words: Vec<Vec<Word>> = Vec::with_capacity(units.len());
        // Buffers reused from one unit to the next.
        let (mut found, mut unit_out, mut title_ends) = (Vec::new(), Vec::new(), Vec::new());
        for &(para, text) in &units {
            let mut spans: Vec<(usize, usize)> = Vec::new();
            unit_out.clear();
            title_ends.clear();
            self.scanner.find_all_into(text, &mut found);
            for &m in &found {
                if !is_whole_word(text, m.start, m.end) {
                    continue;
                }
                let Some(p) = self.patterns.get(m.pattern) else {
                    continue;
                };
                if p.entry == TITLE_ENTRY {
                    title_ends.push(m.end);
                    continue;
                }
                let Some((canonical, kind)) = self.entries.get(p.entry) else {
                    continue;
                };
                spans.push((m.start, m.end));
                if let Some(kind) = kind {
                    unit_out.push(Mention {
                        kind: *kind,
                        canonical: canonical.clone(),
                        paragraph: para,
                        start: m.start,
                        end: m.end,
                        source: Source::Gazetteer,
                    });
                }
            }
            let ws = words(text);
            self.korean_names(text, &ws, para, &mut spans, &mut unit_out);
            // Open-ended rules misread title-case headlines
            // ("President Hu Jintao Visits US"): body only.
            if para.is_some() {
                self.title_rule(text, &ws, &title_ends, para, &mut spans, &mut unit_out);
                self.appositive_rule(text, &ws, para, &mut spans, &mut unit_out);
            }
            for m in &unit_out {
                if m.kind == EntityKind::Person && m.source != Source::Gazetteer {
                    found_people.push((&text[m.start..m.end], m.canonical.clone()));
                }
            }
            out.append(&mut unit_out);
            unit_spans.push(spans);
            unit_words.push(ws);
        }
        self.short_forms(
            &units,
            &unit_words,
            &mut unit_spans,
            &found_people,
            &mut out,
        );
        out.sort_by_key(|m| (m.paragraph.map_or(0, |p| p + 1), m.start));
        out
    }

    fn korean_names(
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

    fn title_rule(
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

    fn appositive_rule(
        &self,
        text: &str,
        ws: &[Word],
        para: Option<usize>,
        spans: &mut Vec<(usize, usize)>,
        out: &mut Vec<Mention>,
    ) {
        let b = text.as_bytes();
        // Each `, `: a comma with a space after it (a substring searcher
        // built per paragraph cost more than this scan).
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
        let canonical = match self.person_variants.get(surface) {
            Some(canonical) => canonical.clone(),
            None => Arc::from(surface),
        };
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

    /// Repeats of rule-found names (full, and the surname alone when only
    /// one person found in the article carries it) anywhere in the article.
    fn short_forms(
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
                    if is_whole_word(text, s, e) && !overlaps(spans, s, e) {
                        spans.push((s, e));
                        out.push(Mention {
                            kind: EntityKind::Person,
                            canonical: Arc::clone(canonical),
                            paragraph: para,
                            start: s,
                            end: e,
                            source: Source::ShortForm,
                        });
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
                out.push(Mention {
                    kind: EntityKind::Person,
                    canonical: Arc::clone(canonical),
                    paragraph: para,
                    start: w.start,
                    end: w.end,
                    source: Source::ShortForm,
                });
            }
        }
    }
}

fn overlaps(spans: &[(usize, usize)], s: usize, e: usize) -> bool {
    spans.iter().any(|&(a, b)| s < b && a < e)
}

fn single_space(text: &str, a: usize, b: usize) -> bool {
    b == a + 1 && text.as_bytes().get(a) == Some(&b' ')
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
