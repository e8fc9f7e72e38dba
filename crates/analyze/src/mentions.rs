//! Finding mentions: one Aho-Corasick pass over each text unit for the
//! gazetteers, then rules for people no list knows (`rules`: Korean names
//! by surname and syllable shape; foreign names after a title word or
//! before an appositive role; `hangul_names`: Korean names in Hangul next
//! to `동지` or a title; `given_names`: foreign names by a listed given
//! name), then short forms of the people found
//! (`short_forms`: `Nasrollah said`, `Kim in the message`).
//!
//! A gazetteer name written in Hangul ends where its eojeol's particles
//! begin (`김정은동지의`): it needs no word boundary after it, only one
//! before it. Person names also meet under a folded key
//! ([`crate::hangul::fold_name`]), so that `Ch'oe Ryong-hae` and `최룡해`
//! find `Choe Ryong Hae`.
//!
//! Owns: the [`Mention`] type, the compiled gazetteer and its pass, and the
//! order of the passes with the spans they share (a later pass never
//! covers an earlier mention). Must not touch: titles, events and lists
//! (read from the mentions afterwards) or the word lists' contents.

mod chinese;
mod folded;
mod given_names;
mod hangul_names;
mod initials;
mod lists;
mod named_after;
mod rules;
mod short_forms;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::gazetteer::{EntityKind, EntryKind, Gazetteer, GazetteerError};
use crate::lexicon::{FastHash, Lexicon};
use crate::scan::Scanner;
use crate::text::{is_whole_word, words, Word};

/// How a mention was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A gazetteer variant.
    Gazetteer,
    /// Korean surname followed by two romanized syllables, or a Hangul
    /// name next to `동지` or a title.
    KoreanName,
    /// A capitalized name after a title word (`President X Y`).
    TitleRule,
    /// A capitalized name before a role (`X Y, chairman of ...`).
    AppositiveRule,
    /// A given name, a middle initial and a surname (`Michael D. Higgins`).
    InitialRule,
    /// A pinyin surname and given name (`Liu Hongcai`).
    ChineseName,
    /// A listed foreign given name and the capitalized words after it
    /// (`Paul Biya`).
    GivenName,
    /// A person's short form (surname alone) once the full name was seen
    /// in the same article, or a rule-found name repeated in the headline.
    ShortForm,
    /// An institution or place named after a person (`Kim Chaek University
    /// of Technology`, `Universidad Kim Il Sung`): see
    /// [`Mention::named_after`].
    NamedAfter,
}

impl Source {
    /// A rule that reads a foreign name from its shape and context (a
    /// title, an appositive, initials, a given name), whose spelling may
    /// be another of a person found in the same article.
    pub(crate) fn is_foreign_name_rule(self) -> bool {
        matches!(
            self,
            Source::TitleRule | Source::AppositiveRule | Source::InitialRule | Source::GivenName
        )
    }
}

/// One mention of an entity in an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    pub kind: EntityKind,
    /// Shared with the gazetteer entry (and every other mention of it), so
    /// that a mention allocates no copy of it.
    pub canonical: Arc<str>,
    /// `None` for the headline, `Some(i)` for paragraph `i` (0-based).
    pub paragraph: Option<usize>,
    /// Byte span in the headline or in that paragraph.
    pub start: usize,
    pub end: usize,
    pub source: Source,
    /// For an organization or place named after a person: that person's
    /// canonical name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub named_after: Option<Arc<str>>,
    /// For a person whose name several people bear (`homonyms.tsv`) or
    /// whose article places them in South Korea: which of them, when the
    /// article tells (`None` with `evidence` saying why not, otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sense: Option<Arc<str>>,
    /// What told the sense, or why it could not be told.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

impl Mention {
    /// A mention with no link, sense or evidence.
    pub fn new(
        kind: EntityKind,
        canonical: Arc<str>,
        paragraph: Option<usize>,
        start: usize,
        end: usize,
        source: Source,
    ) -> Mention {
        Mention {
            kind,
            canonical,
            paragraph,
            start,
            end,
            source,
            named_after: None,
            sense: None,
            evidence: None,
        }
    }

    /// The mention as printed (without a possessive `'s`), read off the
    /// headline and paragraphs it was found in; "" from other text. (Not
    /// kept in the mention, so that a mention allocates no copy of it.)
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
    /// Ends in a Hangul syllable: particles may follow it in the same word.
    hangul_end: bool,
}

/// The compiled gazetteer plus the rules' word lists.
#[derive(Debug, Clone)]
pub struct Matcher {
    scanner: Scanner,
    patterns: Vec<Pattern>,
    /// (canonical, kind) per gazetteer entry; kind None = mask.
    entries: Vec<(Arc<str>, Option<EntityKind>)>,
    /// Every person variant → canonical (for scoring and lookups).
    person_variants: HashMap<String, Arc<str>, FastHash>,
    /// The same under the folded key ([`crate::hangul::fold_name`]).
    person_folds: HashMap<String, Arc<str>, FastHash>,
    /// The first token of every folded key, to try the folded pass only
    /// at words that can start a listed person's name.
    fold_firsts: HashSet<String, FastHash>,
    /// A listed person's folded first and last tokens (`goodluck
    /// jonathan`) → that person; `None` when two people share them.
    first_last: HashMap<String, Option<Arc<str>>, FastHash>,
    /// A listed foreign person's folded name with the given name as its
    /// consonants ([`given_spelling_key`]: `lksndr lukashenko`) → that
    /// person; `None` when two people share it.
    given_spellings: HashMap<String, Option<Arc<str>>, FastHash>,
    lex: Lexicon,
}

/// Pattern owner marking a title word rather than a gazetteer entry.
const TITLE_ENTRY: usize = usize::MAX;

impl Matcher {
    pub fn new(g: &Gazetteer, lex: Lexicon) -> Result<Matcher, GazetteerError> {
        let mut entries = Vec::new();
        // Later entries override earlier ones for the same variant.
        let mut variant_owner: HashMap<String, usize> = HashMap::new();
        let mut person_variants = HashMap::default();
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
        let patterns: Vec<Pattern> = pats
            .iter()
            .map(|(p, e)| Pattern {
                entry: *e,
                hangul_end: p
                    .chars()
                    .next_back()
                    .is_some_and(crate::hangul::is_syllable),
            })
            .collect();
        let names: Vec<&str> = pats.iter().map(|(p, _)| p.as_str()).collect();
        let scanner = Scanner::new(&names).map_err(GazetteerError::Automaton)?;
        // Canonical names first, so that a variant folding like another
        // person's canonical name does not take it.
        let mut person_folds = HashMap::default();
        let mut by_variant: Vec<(&String, &Arc<str>)> = person_variants.iter().collect();
        by_variant.sort();
        for (v, c) in &by_variant {
            person_folds
                .entry(crate::hangul::fold_name(v, |s| lex.is_surname(s)))
                .or_insert_with(|| Arc::clone(c));
        }
        for (_, c) in &by_variant {
            person_folds.insert(
                crate::hangul::fold_name(c, |s| lex.is_surname(s)),
                Arc::clone(c),
            );
        }
        let fold_firsts = person_folds
            .keys()
            .filter_map(|k| k.split(' ').next())
            .map(str::to_string)
            .collect();
        let mut first_last: HashMap<String, Option<Arc<str>>, FastHash> = HashMap::default();
        for (key, c) in &person_folds {
            if let Some(fl) = first_last_key(key) {
                first_last
                    .entry(fl)
                    .and_modify(|o| {
                        if o.as_ref().is_some_and(|o| o != c) {
                            *o = None;
                        }
                    })
                    .or_insert_with(|| Some(Arc::clone(c)));
            }
        }
        let mut given_spellings: HashMap<String, Option<Arc<str>>, FastHash> = HashMap::default();
        for (key, c) in &person_folds {
            let surname = |s: &str| lex.is_surname(s) || lex.is_chinese_surname(s);
            if let Some(k) = given_spelling_key(key, surname) {
                given_spellings
                    .entry(k)
                    .and_modify(|o| {
                        if o.as_ref().is_some_and(|o| o != c) {
                            *o = None;
                        }
                    })
                    .or_insert_with(|| Some(Arc::clone(c)));
            }
        }
        Ok(Matcher {
            scanner,
            patterns,
            entries,
            person_variants,
            person_folds,
            fold_firsts,
            first_last,
            given_spellings,
            lex,
        })
    }

    /// The word lists the rules read.
    pub(crate) fn lexicon(&self) -> &Lexicon {
        &self.lex
    }

    /// The canonical name of a person variant, if a gazetteer lists it:
    /// as written, or under the folded key (`Ch'oe Ryong-hae`, `최룡해`).
    pub fn canonical_person(&self, name: &str) -> Option<&str> {
        match self.person_variants.get(name) {
            Some(c) => Some(c),
            None => self.folded_person(name).map(|c| &**c),
        }
    }

    /// The same, shared.
    pub(crate) fn known_person(&self, name: &str) -> Option<Arc<str>> {
        match self.person_variants.get(name) {
            Some(c) => Some(Arc::clone(c)),
            None => self.folded_person(name).cloned(),
        }
    }

    /// A listed person by the folded name, or by a foreign given name
    /// transliterated another way (`Aleksandr Lukashenko` for `Alexander
    /// Lukashenko`, `Sergey Lavrov`: the given name's consonants the same,
    /// the rest of the name the same).
    fn folded_person(&self, name: &str) -> Option<&Arc<str>> {
        let folded = crate::hangul::fold_name(name, |s| self.lex.is_surname(s));
        self.person_folds.get(&folded).or_else(|| {
            let surname = |s: &str| self.lex.is_surname(s) || self.lex.is_chinese_surname(s);
            let key = given_spelling_key(&folded, surname)?;
            self.given_spellings.get(&key)?.as_ref()
        })
    }

    /// Finds every mention in a headline and paragraphs; `spanish`: the
    /// article's language ([`crate::text::is_spanish`]).
    pub fn find(&self, title: &str, paragraphs: &[String], spanish: bool) -> Vec<Mention> {
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
        let lower_words = LowerWords {
            units: &units,
            set: std::cell::OnceCell::new(),
            spanish,
        };
        // Buffers reused from one unit to the next.
        let (mut found, mut unit_out, mut title_ends) = (Vec::new(), Vec::new(), Vec::new());
        for &(para, text) in &units {
            let mut spans: Vec<(usize, usize)> = Vec::new();
            unit_out.clear();
            title_ends.clear();
            self.scanner.find_all_into(text, &mut found);
            for &m in &found {
                let Some(p) = self.patterns.get(m.pattern) else {
                    continue;
                };
                if !name_boundary(text, m.start, m.end, p.hangul_end) {
                    continue;
                }
                if p.entry == TITLE_ENTRY {
                    title_ends.push(m.end);
                    continue;
                }
                let Some((canonical, kind)) = self.entries.get(p.entry) else {
                    continue;
                };
                if *kind == Some(EntityKind::Person)
                    && self.other_given_name(text, m.start, m.end, canonical)
                {
                    continue;
                }
                spans.push((m.start, m.end));
                if let Some(kind) = kind {
                    unit_out.push(Mention::new(
                        *kind,
                        canonical.clone(),
                        para,
                        m.start,
                        m.end,
                        Source::Gazetteer,
                    ));
                }
            }
            let ws = words(text);
            self.folded_people(text, &ws, para, &mut spans, &mut unit_out);
            self.korean_names(text, &ws, para, &lower_words, &mut spans, &mut unit_out);
            if !text.is_ascii() {
                self.hangul_names(text, para, &mut spans, &mut unit_out);
            }
            if para.is_some() {
                self.names_in_lists(text, &ws, para, &mut spans, &mut unit_out);
                self.initial_names(text, &ws, para, &lower_words, &mut spans, &mut unit_out);
                self.chinese_names(text, &ws, para, &mut spans, &mut unit_out);
            }
            // Open-ended rules misread title-case headlines
            // ("President Hu Jintao Visits US"): body only.
            if para.is_some() {
                self.title_rule(text, &ws, &title_ends, para, &mut spans, &mut unit_out);
                self.appositive_rule(text, &ws, para, &mut spans, &mut unit_out);
                self.long_title_rule(
                    text,
                    &ws,
                    &title_ends,
                    &lower_words,
                    para,
                    &mut spans,
                    &mut unit_out,
                );
                self.spanish_title_comma_rule(
                    text,
                    &ws,
                    &lower_words,
                    para,
                    &mut spans,
                    &mut unit_out,
                );
                self.given_names(text, &ws, para, &lower_words, &mut spans, &mut unit_out);
            }
            self.named_after(text, &ws, para.is_none(), &mut spans, &mut unit_out);
            for m in &unit_out {
                if m.kind == EntityKind::Person && m.source != Source::Gazetteer {
                    found_people.push((&text[m.start..m.end], m.canonical.clone()));
                }
            }
            out.append(&mut unit_out);
            unit_spans.push(spans);
            unit_words.push(ws);
        }
        headline_things(title, &mut out, &mut unit_spans, paragraphs);
        self.short_forms(
            &units,
            &unit_words,
            &mut unit_spans,
            &found_people,
            &mut out,
        );
        self.merge_middle_names(&mut out);
        out.sort_by_key(|m| (m.paragraph.map_or(0, |p| p + 1), m.start));
        out
    }
}

impl Matcher {
    /// Whether a listed surname alone (`Lavrov`, of Sergei Lavrov) at
    /// `start..end` follows a given name that makes it somebody else's
    /// (`Arkady Lavrov`): a listed given name right before it that is
    /// not the person's own in another spelling (`Aleksandr` for
    /// `Alexander`, `Sergey` for `Sergei`). The rules then read the whole
    /// name.
    fn other_given_name(&self, text: &str, start: usize, end: usize, person: &str) -> bool {
        let surname = &text[start..end];
        if surname.contains(' ') {
            return false;
        }
        let Some(before) = text.get(..start).and_then(|b| b.strip_suffix(' ')) else {
            return false;
        };
        let given = &before[before.trim_end_matches(char::is_alphabetic).len()..];
        let own = person.split(' ').next().unwrap_or("");
        self.lex.is_given_name(given)
            && consonants(given) != consonants(own)
            && self.known_person(&format!("{given} {surname}")).is_none()
    }

    /// One foreign person printed with and without a middle name in one
    /// article (`Goodluck Ebele Jonathan`, `Goodluck Jonathan`): a
    /// rule-found name of three or more words takes the canonical name of
    /// a shorter person of the article with the same first and last words.
    fn merge_middle_names(&self, out: &mut [Mention]) {
        let mut people: Vec<(Arc<str>, bool)> = Vec::new();
        for m in out.iter().filter(|m| m.kind == EntityKind::Person) {
            let by_rule = m.source.is_foreign_name_rule();
            match people.iter_mut().find(|(c, _)| *c == m.canonical) {
                Some(p) => p.1 &= by_rule || m.source == Source::ShortForm,
                None => people.push((m.canonical.clone(), by_rule)),
            }
        }
        let key = |c: &str| {
            let folded = crate::hangul::fold_name(c, |_| false);
            let n = folded.split(' ').count();
            first_last_key(&folded).map(|k| (k, n))
        };
        let mut remap: Vec<(Arc<str>, Arc<str>)> = Vec::new();
        for (c, by_rule) in &people {
            let korean = c.split(' ').count() == 3
                && c.split(' ').next().is_some_and(|s| self.lex.is_surname(s));
            let Some((k, n)) = key(c).filter(|_| *by_rule && !korean) else {
                continue;
            };
            if n < 3 {
                continue;
            }
            let shorter = people
                .iter()
                .find(|(d, _)| d != c && key(d).is_some_and(|(dk, dn)| dk == k && dn < n));
            if let Some((d, _)) = shorter {
                remap.push((c.clone(), d.clone()));
            }
        }
        for m in out.iter_mut() {
            if let Some((_, d)) = remap.iter().find(|(c, _)| *c == m.canonical) {
                m.canonical = d.clone();
            }
        }
    }
}

/// A person in the headline inside a thing named after them that the body
/// names in full (`Kim Jong Suk Pyongyang Silk Mill`, `Indian Society for
/// the Study of Works of Kim Jong Il`, read only in the body, where
/// capitalized words are names): the same thing.
fn headline_things(
    title: &str,
    out: &mut [Mention],
    unit_spans: &mut [Vec<(usize, usize)>],
    paragraphs: &[String],
) {
    let things: Vec<(&str, Mention)> = out
        .iter()
        .filter(|m| m.source == Source::NamedAfter && m.paragraph.is_some())
        .map(|m| (m.surface(title, paragraphs), m.clone()))
        .filter(|(s, _)| !s.is_empty())
        .collect();
    if things.is_empty() {
        return;
    }
    for m in out
        .iter_mut()
        .filter(|m| m.paragraph.is_none() && m.kind == EntityKind::Person)
    {
        let found = things.iter().find_map(|(surface, t)| {
            if t.named_after.as_ref() != Some(&m.canonical) {
                return None;
            }
            // The thing printed around the name: after it, before it, or
            // both (`Group for the Study of Kim Jong Il Juche Idea`).
            title
                .match_indices(*surface)
                .map(|(s, _)| (s, s + surface.len()))
                .find(|&(s, e)| s <= m.start && m.end <= e && is_whole_word(title, s, e))
                .map(|(s, e)| (s, e, t))
        });
        if let Some((s, e, t)) = found {
            m.start = s;
            m.end = e;
            m.kind = t.kind;
            m.canonical = t.canonical.clone();
            m.named_after = t.named_after.clone();
            m.source = Source::NamedAfter;
            if let Some(spans) = unit_spans.first_mut() {
                spans.push((s, e));
            }
        }
    }
}

/// Whether `start..end` can be a name: a whole word, except that a name
/// ending in a Hangul syllable may be followed by more Hangul (particles
/// and forms of address written onto it: `김정은동지의`).
pub(crate) fn name_boundary(text: &str, start: usize, end: usize, hangul_end: bool) -> bool {
    if !hangul_end {
        return is_whole_word(text, start, end);
    }
    let before = text.get(..start).and_then(|s| s.chars().next_back());
    let after = text.get(end..).and_then(|s| s.chars().next());
    !before.is_some_and(|c| c.is_alphanumeric())
        && !after.is_some_and(|c| c.is_alphanumeric() && !crate::hangul::is_syllable(c))
}

/// The article's words printed in lower case, found when first asked:
/// most articles never ask, and finding them is a pass over the text.
/// With whether the article is Spanish.
struct LowerWords<'u, 't> {
    units: &'u [(Option<usize>, &'t str)],
    set: std::cell::OnceCell<HashSet<&'t str, FastHash>>,
    spanish: bool,
}

impl LowerWords<'_, '_> {
    /// Whether the article is Spanish ([`crate::text::is_spanish`]).
    fn spanish(&self) -> bool {
        self.spanish
    }

    fn contains(&self, word: &str) -> bool {
        self.set
            .get_or_init(|| lowercase_words(self.units))
            .contains(word)
    }
}

/// Every word of the article that starts with a lower-case letter.
fn lowercase_words<'t>(units: &[(Option<usize>, &'t str)]) -> HashSet<&'t str, FastHash> {
    let mut set = HashSet::default();
    for &(_, text) in units {
        for w in words(text) {
            let s = w.as_str(text);
            if s.starts_with(char::is_lowercase) {
                set.insert(s);
            }
        }
    }
    set
}

/// A given name's consonants, lower case, `x` as `ks`: what its
/// transliterations share (`Aleksandr`, `Alexander`: `lksndr`).
fn consonants(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        match c {
            'x' => out.push_str("ks"),
            'a' | 'e' | 'i' | 'o' | 'u' | 'y' => {}
            c if c.is_alphabetic() => out.push(c),
            _ => {}
        }
    }
    out
}

/// A folded foreign name of two or more words with its given name as its
/// consonants (`aleksandr lukashenko` → `lksndr lukashenko`); none for a
/// Korean or Chinese name (a listed surname first: `Li`, `Lu` would meet)
/// or a given name of fewer than three consonants (`Ali`, `Ola`), too
/// short to tell one name from another by them.
fn given_spelling_key(folded: &str, is_surname: impl Fn(&str) -> bool) -> Option<String> {
    let (given, rest) = folded.split_once(' ')?;
    let capital = crate::text::upper_first(given);
    let key = consonants(given);
    (key.len() >= 3 && !is_surname(&capital)).then(|| format!("{key} {rest}"))
}

/// A folded name's first and last tokens, when it has at least two.
fn first_last_key(folded: &str) -> Option<String> {
    let mut ts = folded.split(' ');
    let first = ts.next()?;
    let last = ts.next_back()?;
    Some(format!("{first} {last}"))
}

/// Whether `s..e` overlaps a span an earlier mention or mask took.
fn overlaps(spans: &[(usize, usize)], s: usize, e: usize) -> bool {
    spans.iter().any(|&(a, b)| s < b && a < e)
}

/// Whether the words ending at `a` and starting at `b` are one space apart.
fn single_space(text: &str, a: usize, b: usize) -> bool {
    b == a + 1 && text.as_bytes().get(a) == Some(&b' ')
}
