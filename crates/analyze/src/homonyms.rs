//! Homonyms: which of several people of one name a mention is (`Ri Yong
//! Ho`: the KPA's chief of general staff, a South Korean presidential
//! secretary, a factory manager), told from the words printed with it, and
//! whether a Korean name no list knows is a South Korean's.
//!
//! Owns: [`Mention::sense`] and [`Mention::evidence`] of person mentions,
//! read from `homonyms.tsv` cues in the mention's own context (the titles
//! the article gives the person, the words between it and the names
//! beside it) and, failing that, in the whole article. Must not touch: a
//! mention's canonical name, span or kind (the common case keeps its one
//! name; the sense rides beside it) or how titles are read.

use std::collections::HashMap;
use std::sync::Arc;

use crate::gazetteer::EntityKind;
use crate::mentions::{Mention, Source};
use crate::titles::PersonTitle;
use crate::wordlists::WordLists;

/// Bytes read before a mention (and after it, past a comma) for cues.
const WINDOW: usize = 80;

#[derive(Debug, Clone)]
struct Sense {
    name: Arc<str>,
    cues: Vec<Cue>,
}

/// A cue, lower-cased, with its searcher built once: cues are sought in
/// every Korean name's few words, where building one each time costs more
/// than the search.
#[derive(Debug, Clone)]
struct Cue {
    text: String,
    finder: memchr::memmem::Finder<'static>,
}

impl Cue {
    fn new(cue: &str) -> Cue {
        let text = cue.to_lowercase();
        let finder = memchr::memmem::Finder::new(text.as_bytes()).into_owned();
        Cue { text, finder }
    }
}

/// The compiled `homonyms.tsv`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Homonyms {
    by_name: HashMap<String, Vec<Sense>>,
    /// The `*` line: senses of any Korean name no list knows.
    general: Vec<Sense>,
}

impl Homonyms {
    pub(crate) fn new(w: &WordLists) -> Homonyms {
        let mut h = Homonyms::default();
        for (name, sense, cues) in w.homonyms() {
            let s = Sense {
                name: Arc::from(sense),
                cues: cues.iter().map(|c| Cue::new(c)).collect(),
            };
            if name == "*" {
                h.general.push(s);
            } else {
                h.by_name.entry(name.to_string()).or_default().push(s);
            }
        }
        h
    }

    /// Sets the sense and evidence of each person mention whose name has
    /// senses (and of rule-found Korean names printed with a general cue).
    pub(crate) fn resolve(
        &self,
        mentions: &mut [Mention],
        titles: &[PersonTitle],
        title: &str,
        paragraphs: &[String],
    ) {
        if self.by_name.is_empty() && self.general.is_empty() {
            return;
        }
        // The whole article in lower case, made when first needed.
        let mut article_lower: Option<String> = None;
        let people: Vec<(Option<usize>, usize, usize)> = mentions
            .iter()
            .filter(|m| m.kind == EntityKind::Person)
            .map(|m| (m.paragraph, m.start, m.end))
            .collect();
        for m in mentions.iter_mut().filter(|m| m.kind == EntityKind::Person) {
            let senses = self.by_name.get(&*m.canonical);
            let general = senses.is_none() && m.source == Source::KoreanName;
            if senses.is_none() && !general {
                continue;
            }
            let text = match m.paragraph {
                None => title,
                Some(p) => paragraphs.get(p).map_or("", String::as_str),
            };
            let context = own_context(text, m, &people).to_lowercase();
            let own_titles: Vec<String> = titles
                .iter()
                .filter(|t| *t.person == *m.canonical)
                .map(|t| t.title.to_lowercase())
                .collect();
            let cued = |s: &Sense, hay: &[&str]| -> Option<String> {
                s.cues
                    .iter()
                    .find(|c| hay.iter().any(|h| has_words(h, c)))
                    .map(|c| c.text.clone())
            };
            let mut hay: Vec<&str> = own_titles.iter().map(String::as_str).collect();
            hay.push(&context);
            if general {
                if let Some((s, cue)) = self
                    .general
                    .iter()
                    .find_map(|s| cued(s, &[&context]).map(|c| (s, c)))
                {
                    m.sense = Some(s.name.clone());
                    m.evidence = Some(format!("`{cue}` printed with the name"));
                }
                continue;
            }
            let Some(senses) = senses else { continue };
            let own: Vec<(&Sense, String)> = senses
                .iter()
                .filter_map(|s| cued(s, &hay).map(|c| (s, c)))
                .collect();
            let (found, place) = if own.is_empty() {
                let all = article_lower.get_or_insert_with(|| {
                    let mut a = title.to_lowercase();
                    for p in paragraphs {
                        a.push('\n');
                        a.push_str(&p.to_lowercase());
                    }
                    a
                });
                let in_article: Vec<(&Sense, String)> = senses
                    .iter()
                    .filter_map(|s| cued(s, &[all.as_str()]).map(|c| (s, c)))
                    .collect();
                (in_article, "in the article")
            } else {
                (own, "printed with the name")
            };
            match found.as_slice() {
                [(s, cue)] => {
                    m.sense = Some(s.name.clone());
                    m.evidence = Some(format!("`{cue}` {place}"));
                }
                [] => {
                    m.evidence = Some("cannot tell: no cue of any sense".to_string());
                }
                several => {
                    let list: Vec<String> = several
                        .iter()
                        .map(|(s, c)| format!("{} (`{c}`)", s.name))
                        .collect();
                    m.evidence = Some(format!(
                        "cannot tell: cues of several senses {place}: {}",
                        list.join(", ")
                    ));
                }
            }
        }
    }
}

/// The words printed with a mention: back to the previous name (or the
/// sentence's start) and forward to the next name, each at most
/// [`WINDOW`] bytes (forward: only past a comma, an appositive).
fn own_context<'t>(
    text: &'t str,
    m: &Mention,
    people: &[(Option<usize>, usize, usize)],
) -> &'t str {
    let prev_end = people
        .iter()
        .filter(|(p, _, e)| *p == m.paragraph && *e <= m.start)
        .map(|(_, _, e)| *e)
        .max()
        .unwrap_or(0);
    let next_start = people
        .iter()
        .filter(|(p, s, _)| *p == m.paragraph && *s >= m.end)
        .map(|(_, s, _)| *s)
        .min()
        .unwrap_or(text.len());
    let mut from = prev_end.max(m.start.saturating_sub(WINDOW));
    while !text.is_char_boundary(from) {
        from += 1;
    }
    // Not past a sentence's start.
    if let Some(dot) = text[from..m.start].rfind(". ") {
        from += dot + 2;
    }
    let mut to = m.end;
    if text[m.end..].starts_with(", ") {
        to = next_start.min(m.end + WINDOW);
        while !text.is_char_boundary(to) {
            to -= 1;
        }
    }
    text.get(from..to).unwrap_or("")
}

/// Whether `cue` occurs in `hay` as whole words (both lower-cased).
fn has_words(hay: &str, cue: &Cue) -> bool {
    // Non-overlapping, as `str::match_indices`; a non-empty UTF-8 cue
    // matches only at character boundaries.
    cue.finder.find_iter(hay.as_bytes()).any(|i| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + cue.text.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}
