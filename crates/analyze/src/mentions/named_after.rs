//! Institutions and places named after people: a person's name followed
//! by an institution word (`Kim Chaek University of Technology`, `Kim Jong
//! Suk Pyongyang Silk Mill`, `Kim Hyong Jik County`) or, as Spanish prints
//! them, preceded by a head noun (`Universidad Politécnica Kim Chaek`,
//! `condado de Kim Hyong Jik`) names the thing, not the person: the
//! mention becomes the organization or place, with the person in
//! [`Mention::named_after`]; a prize or medal (`Kim Il Sung Prize`) is no
//! mention at all. A possessive (`Kim Il Sung's idea`) and a title of
//! respect (`Comrade Kim Jong Un`) leave the person alone.
//!
//! Owns: where such a name starts and ends and what it is (the kinds of
//! `institution-words.tsv`). Must not touch: how the person was found (it
//! reads the person mentions of a unit once every rule has run).

use std::sync::Arc;

use super::{rules::normalized_name, single_space, Matcher, Mention, Source};
use crate::gazetteer::EntityKind;
use crate::lexicon::InstitutionKind;
use crate::text::{is_capitalized, Word};

/// Words read between a name and its institution word (`Kim Jong Suk
/// Pyongyang Silk Mill`), at most.
const MAX_BETWEEN: usize = 4;

/// Words read between `for` and `of` in a body's purpose (`for
/// Commemorating the Centenary of Birth`), at most.
const MAX_PURPOSE: usize = 10;

/// Words read back from `for` to the start of a body's name (`Preparatory
/// Committee of Democratic Congo`), at most.
const MAX_HEAD: usize = 6;

/// Words that head the name of a body of people (`Group for the Study
/// of ...`), besides the organizations of `institution-words.tsv`: read
/// only before `for`, where no name of a person comes after them.
const BODY_WORDS: &[&str] = &[
    "Group",
    "Association",
    "Committee",
    "Circle",
    "Federation",
    "Union",
    "Movement",
    "Club",
    "Forum",
];

/// What a person mention turns out to be part of.
struct Thing {
    start: usize,
    end: usize,
    kind: InstitutionKind,
}

impl Matcher {
    /// Rewrites the person mentions of one unit that are part of the name
    /// of a thing. `headline`: title case makes any capitalized word look
    /// like part of a name there (`Kim Jong Il Inspects Ryongsong Machine
    /// Complex`), so only listed words are read between the name and its
    /// institution word.
    pub(super) fn named_after(
        &self,
        text: &str,
        ws: &[Word],
        headline: bool,
        spans: &mut Vec<(usize, usize)>,
        unit_out: &mut Vec<Mention>,
    ) {
        let people: Vec<(usize, usize)> = unit_out
            .iter()
            .filter(|m| m.kind == EntityKind::Person)
            .map(|m| (m.start, m.end))
            .collect();
        let taken = spans.clone();
        let mut changed = false;
        // Bodies `for ... of` a person: their other entities stay
        // (`Indian` in `Indian Youth Group for the Study of Works of
        // Comrade Kim Il Sung` still names India).
        let mut bodies: Vec<(usize, usize)> = Vec::new();
        for m in unit_out.iter_mut() {
            match m.kind {
                EntityKind::Person => {}
                // A listed institution (`Kim Chaek University of
                // Technology` in organizations.tsv) is linked to the
                // person its name starts with.
                EntityKind::Organization | EntityKind::Place if m.named_after.is_none() => {
                    m.named_after = self.person_prefix(&m.canonical);
                    continue;
                }
                _ => continue,
            }
            let other_people: Vec<(usize, usize)> = people
                .iter()
                .copied()
                .filter(|&(s, e)| (s, e) != (m.start, m.end))
                .collect();
            let thing = self
                .thing_after(text, ws, m.end, headline, &other_people, &taken)
                .map(|(end, kind)| Thing {
                    start: m.start,
                    end,
                    kind,
                })
                .or_else(|| {
                    self.thing_before(text, ws, m.start, &other_people, &taken)
                        .map(|(start, kind)| Thing {
                            start,
                            end: m.end,
                            kind,
                        })
                })
                .or_else(|| {
                    // Title case hides where a body's name starts and
                    // ends: a headline's is the body text's
                    // (`headline_things`).
                    if headline {
                        return None;
                    }
                    let (start, end) =
                        self.body_for_study_of(text, ws, m.start, m.end, &other_people)?;
                    bodies.push((start, end));
                    Some(Thing {
                        start,
                        end,
                        kind: InstitutionKind::Organization,
                    })
                });
            let Some(t) = thing else { continue };
            changed = true;
            spans.push((t.start, t.end));
            let person = std::mem::replace(&mut m.canonical, Arc::from(""));
            let by_rule = m.source.is_foreign_name_rule();
            m.start = t.start;
            m.end = t.end;
            m.source = Source::NamedAfter;
            m.kind = match t.kind {
                InstitutionKind::Place => EntityKind::Place,
                InstitutionKind::Organization => EntityKind::Organization,
                // Marked for removal below: no entity.
                InstitutionKind::Other | InstitutionKind::Modifier => {
                    m.named_after = None;
                    continue;
                }
            };
            let surface = &text[t.start..t.end];
            // A name in capitals is capitalized (`KIM CHAEK UNIVERSITY`);
            // in a name printed in mixed case, a word in capitals is an
            // abbreviation (`DC Preparatory Committee`, `HE Kim Jong Il`).
            let mut name = if surface.contains(char::is_lowercase) {
                surface
                    .split_whitespace()
                    .map(|w| w.replace(crate::text::is_dash, "-"))
                    .collect::<Vec<_>>()
                    .join(" ")
            } else {
                normalized_name(surface)
            };
            // `condado de Kim Hyong Jik` → `Condado de Kim Hyong Jik`.
            if let Some(c) = name.chars().next() {
                if c.is_lowercase() {
                    name = c.to_uppercase().chain(name.chars().skip(1)).collect();
                }
            }
            m.canonical = Arc::from(name);
            // A capitalized run a rule took for a foreign name
            // (`Medical Research` before `Institute`) names nobody.
            m.named_after = (!by_rule || self.known_person(&person).is_some()).then_some(person);
        }
        if changed {
            // The things' own words (`Pyongyang` in `Kim Jong Suk
            // Pyongyang Silk Mill`) and the prizes go.
            let things: Vec<(usize, usize)> = unit_out
                .iter()
                .filter(|m| m.source == Source::NamedAfter)
                .map(|m| (m.start, m.end))
                .collect();
            unit_out.retain(|m| {
                if m.source == Source::NamedAfter {
                    return !m.canonical.is_empty();
                }
                let inside = |&(s, e): &(usize, usize)| {
                    s <= m.start && m.end <= e && (s, e) != (m.start, m.end)
                };
                !things.iter().any(inside)
                    || m.kind != EntityKind::Person && !bodies.is_empty() && {
                        let mut holders = things.iter().filter(|t| inside(t));
                        holders.all(|t| bodies.contains(t))
                    }
            });
        }
    }

    /// A listed person whose name starts `thing` (`Kim Chaek University of
    /// Technology` → `Kim Chaek`).
    fn person_prefix(&self, thing: &str) -> Option<Arc<str>> {
        let words: Vec<&str> = thing.split(' ').collect();
        (2..words.len().min(4)).rev().find_map(|n| {
            let next = words.get(n)?;
            self.lex.institution(next)?;
            let prefix: usize = words[..n].iter().map(|w| w.len() + 1).sum::<usize>() - 1;
            self.known_person(&thing[..prefix])
        })
    }

    /// The end of the thing a name ending at `end` starts, and its kind:
    /// words up to an institution word, and `of` with capitalized words
    /// after an organization's (`University of Technology`).
    fn thing_after(
        &self,
        text: &str,
        ws: &[Word],
        end: usize,
        headline: bool,
        people: &[(usize, usize)],
        taken: &[(usize, usize)],
    ) -> Option<(usize, InstitutionKind)> {
        let first = ws.partition_point(|w| w.start < end);
        let mut prev_end = end;
        let mut head: Option<(usize, InstitutionKind)> = None;
        let mut first_listed = false;
        let mut j = first;
        while let Some(w) = ws.get(j) {
            // One space, or a number between spaces (`Ryu Kyong Su 105
            // Guards Tank Division`).
            let gap = &text[prev_end..w.start];
            let number = gap.len() > 2
                && gap.starts_with(' ')
                && gap.ends_with(' ')
                && gap[1..gap.len() - 1].bytes().all(|b| b.is_ascii_digit());
            if !(single_space(text, prev_end, w.start) || number) || j > first + MAX_BETWEEN {
                break;
            }
            if people.iter().any(|&(s, e)| w.start < e && s < w.end) {
                break;
            }
            let s = w.as_str(text);
            match self.lex.institution(s) {
                Some((kind, false)) => {
                    if j == first {
                        first_listed = true;
                    }
                    if kind != InstitutionKind::Modifier {
                        head = Some((j, kind));
                    }
                }
                _ if headline => break,
                // `Kim Chaek Iron and Steel Complex`.
                _ if s == "and"
                    && ws
                        .get(j + 1)
                        .is_some_and(|n| is_capitalized(n.as_str(text))) => {}
                _ if is_capitalized(s) && !self.lex.is_particle(s) => {}
                _ => break,
            }
            prev_end = w.end;
            j += 1;
        }
        let Some((h, kind)) = head else {
            // A listed word right after the name, with no institution word
            // to end the thing: no person, no entity (`Kim Il Sung Youth`).
            return first_listed.then(|| (ws[first].end, InstitutionKind::Other));
        };
        let mut thing_end = ws[h].end;
        // `of Technology`, `of Agricultural Science` (not `of Peru`: a
        // listed name after `of` is another entity's).
        if matches!(kind, InstitutionKind::Organization) && text[thing_end..].starts_with(" of ") {
            let mut k = h + 2;
            let mut last = None;
            while let Some(w) = ws.get(k) {
                let s = w.as_str(text);
                let joined = single_space(text, ws[k - 1].end, w.start);
                if !joined || k > h + 4 || !is_capitalized(s) {
                    break;
                }
                if taken.iter().any(|&(a, b)| w.start < b && a < w.end) {
                    last = None;
                    break;
                }
                last = Some(w.end);
                k += 1;
            }
            if let Some(e) = last {
                thing_end = e;
            }
        }
        Some((thing_end, kind))
    }

    /// The start of the thing a name starting at `start` ends, and its
    /// kind: a head noun printed before it (Spanish), with capitalized
    /// adjectives and `de`/`del` between.
    fn thing_before(
        &self,
        text: &str,
        ws: &[Word],
        start: usize,
        people: &[(usize, usize)],
        taken: &[(usize, usize)],
    ) -> Option<(usize, InstitutionKind)> {
        let mut j = ws.partition_point(|w| w.end <= start);
        let mut next_start = start;
        let mut between = 0;
        let mut of = false;
        for _ in 0..=MAX_BETWEEN {
            j = j.checked_sub(1)?;
            let w = ws[j];
            // Spaces only (the Spanish edition at times prints several:
            // `las Ordenes       Kim Il Sung`).
            let gap = &text[w.end..next_start];
            if gap.is_empty() || !gap.bytes().all(|b| b == b' ') {
                return None;
            }
            if people.iter().any(|&(s, e)| w.start < e && s < w.end) {
                return None;
            }
            let s = w.as_str(text);
            let mut cs = s.chars();
            let capital: String = cs
                .next()
                .map(|c| c.to_uppercase().chain(cs).collect())
                .unwrap_or_default();
            match self.lex.institution(&capital) {
                // A place's head comes right before the name (`ciudad de
                // Kim Chaek`, not `Ciudad de Pyongyang Mun Kyong Dok`: a
                // place of that name), or before adjectives alone
                // (`Coliseo Deportivo Jong Ju Yong`).
                Some((InstitutionKind::Place, true)) if between > 0 && of => return None,
                Some((kind, true)) if kind != InstitutionKind::Modifier => {
                    return Some((w.start, kind));
                }
                _ if s == "de" || s == "del" => of = true,
                // An adjective (`Politécnica`), not another name.
                _ if is_capitalized(s) && !taken.iter().any(|&(a, b)| w.start < b && a < w.end) => {
                    between += 1
                }
                _ => return None,
            }
            next_start = w.start;
        }
        None
    }

    /// A body whose name holds a person as the object of its purpose
    /// (`Indian Youth Group for the Study of Works of Comrade Kim Il
    /// Sung`, `Preparatory Committee of Democratic Congo for
    /// Commemorating the Centenary of Birth of President Kim Il Sung`,
    /// `Benin National Committee for the Study of the Juche Idea and of
    /// General Kim Jong Il's Works`): one capitalized span from a body's
    /// word through `for`, capitalized words and joiners, `of`, words of
    /// respect, to the name at `start..end`, and the capitalized words
    /// after it (`Kim Jong Il Juche Idea`, `Kim Jong Il's Works`). The span of the
    /// body's name; none when a lower-case word breaks it (`the Society
    /// for the Study of the Juche Idea met ... Kim Il Sung`) or when the
    /// name does not follow `of` (`Committee for the Peaceful
    /// Reunification of the Fatherland Kim Wan Su`: a title and a name).
    fn body_for_study_of(
        &self,
        text: &str,
        ws: &[Word],
        start: usize,
        end: usize,
        people: &[(usize, usize)],
    ) -> Option<(usize, usize)> {
        let is_person = |w: &Word| people.iter().any(|&(s, e)| w.start < e && s < w.end);
        let respect = |s: &str| {
            is_capitalized(s)
                && (self.lex.is_title_word(s) || self.lex.honorifics.iter().any(|h| *h.form == *s))
        };
        // Back from the name: words of respect (`the Great Leader
        // President`), then `of`.
        let mut k = ws.partition_point(|w| w.end <= start);
        let mut next_start = start;
        let of_at = loop {
            k = k.checked_sub(1)?;
            let w = ws[k];
            let s = w.as_str(text);
            if !single_space(text, w.end, next_start) || is_person(&w) {
                return None;
            }
            if s == "of" {
                break k;
            }
            if !(s == "the" || respect(s)) {
                return None;
            }
            next_start = w.start;
        };
        // Back to `for`, over capitalized words and joiners.
        let mut next_start = ws[of_at].start;
        let mut capitals = 0;
        let for_at = loop {
            k = k.checked_sub(1)?;
            let w = ws[k];
            let s = w.as_str(text);
            if !single_space(text, w.end, next_start) || is_person(&w) || of_at - k > MAX_PURPOSE {
                return None;
            }
            if s == "for" {
                break k;
            }
            if is_capitalized(s) {
                capitals += 1;
            } else if !matches!(s, "of" | "the" | "and") {
                return None;
            }
            next_start = w.start;
        };
        if capitals == 0 {
            return None;
        }
        // Back from `for` to the start of the body's name, which holds a
        // body's word (`Group`, `Committee`, `Society`).
        let mut first = None;
        let mut head = false;
        let mut next_start = ws[for_at].start;
        while k > 0 && for_at - k <= MAX_HEAD {
            k -= 1;
            let w = ws[k];
            let s = w.as_str(text);
            if !single_space(text, w.end, next_start) || is_person(&w) {
                break;
            }
            // (`The` starts a sentence, not the name.)
            if is_capitalized(s) && s != "The" {
                first = Some(k);
                head |= BODY_WORDS.contains(&s)
                    || self.lex.institution(s) == Some((InstitutionKind::Organization, false));
            } else if !matches!(s, "of" | "and") {
                break;
            }
            next_start = w.start;
        }
        let first = first.filter(|_| head)?;
        // After the name: a possessive and capitalized words (`'s
        // Works`), or capitalized words (`Juche Idea`).
        let mut thing_end = end;
        let rest = &text[end..];
        let mut at = rest
            .strip_prefix("'s")
            .or_else(|| rest.strip_prefix("’s"))
            .map_or(end, |r| text.len() - r.len());
        let mut j = ws.partition_point(|w| w.start < at);
        let mut tail = 0;
        while let Some(w) = ws.get(j) {
            if tail == MAX_BETWEEN
                || !single_space(text, at, w.start)
                || !is_capitalized(w.as_str(text))
                || is_person(w)
            {
                break;
            }
            thing_end = w.end;
            at = w.end;
            tail += 1;
            j += 1;
        }
        Some((ws[first].start, thing_end))
    }
}
