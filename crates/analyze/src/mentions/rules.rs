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
use crate::lexicon::{InstitutionKind, Lexicon};
use crate::text::{is_capitalized, name_gap, Word};

impl Matcher {
    /// A surname and two romanized syllables: `Kim Kye Gwan`, and the same
    /// name hyphenated (`Kim Kye-gwan`, `Kim Kye‐Gwan`) or in capitals
    /// (`KIM KYE GWAN`), all stored as `Kim Kye Gwan`. A name inside an
    /// institution's (`Kim Il Sung Square`) is read by `named_after`.
    pub(super) fn korean_names(
        &self,
        text: &str,
        ws: &[Word],
        para: Option<usize>,
        lower_words: &super::LowerWords,
        spans: &mut Vec<(usize, usize)>,
        out: &mut Vec<Mention>,
    ) {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i + 1 < ws.len() {
            // Most words start lowercase: no surname, and no slicing (the
            // next two words are read only after this test).
            if !bytes.get(ws[i].start).is_some_and(u8::is_ascii_uppercase) {
                i += 1;
                continue;
            }
            match self.korean_name_at(text, ws, i, para.is_some(), lower_words) {
                Some((next, canonical)) => {
                    let (s, e) = (ws[i].start, ws[next - 1].end);
                    if self.push_rule_person(
                        text,
                        s,
                        e,
                        para,
                        Source::KoreanName,
                        Some(canonical),
                        spans,
                        out,
                    ) {
                        i = next;
                    } else {
                        i += 1;
                    }
                }
                None => i += 1,
            }
        }
    }

    /// The Korean name starting at word `i`: the index of the word after
    /// it and the name as stored (a capitalized word a syllable). In the
    /// body (`body`), the middle syllable may be one that also spells an
    /// English word (`Hyon In Thaek`, `Pak So Yon`): capitalized there
    /// between a surname and a syllable, the word is no English one. In
    /// the body of a Spanish article, so may the last (`Jang Jae On`): no
    /// English word is printed there, and the Spanish ones of that shape
    /// are kept out ([`SPANISH_SHAPED`]).
    fn korean_name_at(
        &self,
        text: &str,
        ws: &[Word],
        i: usize,
        body: bool,
        lower_words: &super::LowerWords,
    ) -> Option<(usize, String)> {
        let a = ws[i];
        let b = *ws.get(i + 1)?;
        if !single_space(text, a.end, b.start) {
            return None;
        }
        let (sa, sb) = (a.as_str(text), b.as_str(text));
        // As KCNA prints it: `Kim Kye Gwan`.
        if let Some(c) = ws.get(i + 2) {
            let sc = c.as_str(text);
            if single_space(text, b.end, c.start)
                && self.lex.is_surname(sa)
                && (self.lex.is_syllable(sb) || body && self.lex.is_any_syllable(sb))
                && (self.lex.is_syllable(sc)
                    || body
                        && self.lex.is_any_syllable(sc)
                        && !SPANISH_SHAPED.contains(&sc)
                        && lower_words.spanish())
            {
                return Some((i + 3, format!("{sa} {sb} {sc}")));
            }
        }
        // Other spellings: the given name hyphenated (one word with an
        // ASCII hyphen, or two joined by a hyphen of another width), or
        // the whole name in capitals.
        let capitals = |w: &str| w.len() > 1 && w.bytes().all(|b| b.is_ascii_uppercase());
        let (g1, g2, next, hyphenated) = match sb.split_once('-') {
            Some((x, y)) => (x, y, i + 2, true),
            None => {
                let c = ws.get(i + 2)?;
                let hyphen = !single_space(text, b.end, c.start);
                if !crate::text::name_gap(text, b.end, c.start) {
                    return None;
                }
                (sb, c.as_str(text), i + 3, hyphen)
            }
        };
        let all_caps = capitals(sa) && capitals(g1) && capitals(g2);
        let shaped = if all_caps {
            true
        } else {
            // `Kye-gwan`, `Kye-Gwan`: a capitalized surname and first
            // syllable, the second in either case.
            hyphenated
                && is_capitalized(sa)
                && !capitals(sa)
                && is_capitalized(g1)
                && !capitals(g1)
                && !g2.chars().skip(1).any(char::is_uppercase)
        };
        if !shaped {
            return None;
        }
        let (sur, g1, g2) = (title_case(sa), title_case(g1), title_case(g2));
        (self.lex.is_surname(&sur) && self.lex.is_syllable(&g1) && self.lex.is_syllable(&g2))
            .then(|| (next, format!("{sur} {g1} {g2}")))
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
                let _ =
                    self.push_rule_person(text, s, e, para, Source::TitleRule, None, spans, out);
            }
        }
    }

    /// A foreign name after a long title: a title or role word, `of` or
    /// `to`, the body it is of (words of listed entities, words never in
    /// names, abbreviations in capitals), then the name: `Chinese
    /// ambassador to the DPRK Liu Hongcai`, `President of Nigeria Goodluck
    /// Ebele Jonathan`, `Secretary of the School Party Committee Wang
    /// Chunguang`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn long_title_rule(
        &self,
        text: &str,
        ws: &[Word],
        title_ends: &[usize],
        lower_words: &super::LowerWords,
        para: Option<usize>,
        spans: &mut Vec<(usize, usize)>,
        out: &mut Vec<Mention>,
    ) {
        let b = text.as_bytes();
        for j in 0..ws.len() {
            let w = ws[j];
            // Cheap test first: a space and a lower-case letter after the
            // word (`of`, `to`, Spanish `de`, `en`, an adjective), or a
            // capital after a lower-case role (`el embajador Liu
            // Hongcai`).
            if b.get(w.end) != Some(&b' ') {
                continue;
            }
            let s = w.as_str(text);
            let lower_role = s.starts_with(char::is_lowercase);
            let next_lower = b.get(w.end + 1).is_some_and(u8::is_ascii_lowercase);
            if !next_lower && !lower_role {
                continue;
            }
            // A title a name follows (`President`) or a role
            // (`ambassador`, `Secretary`), printed in either case.
            let role = title_ends.contains(&w.end) || self.lex.is_title_or_role_any_case(s);
            if !role {
                continue;
            }
            // `Jong Myong Hun, music director of the Seoul Municipal
            // Symphony Orchestra`: an appositive, the title of the name
            // before it; no name follows.
            // A capitalized title there starts the next item of a list
            // of titles and names (`..., Gwede Mantashe, Chairman of the
            // Romanian Socialist Union Constantin Rotaru`).
            let appositive = lower_role
                && out
                    .iter()
                    .filter(|m| m.kind == EntityKind::Person && m.end <= w.start)
                    .map(|m| m.end)
                    .max()
                    .is_some_and(|e| {
                        let gap = &text[e..w.start];
                        // (`Chen Yuan, el embajador chino en Corea Liu
                        // Hongcai`: a list item, its own title and name.)
                        gap.starts_with(", ")
                            && !gap[1..].contains([',', '.', ';'])
                            && !gap
                                .split(' ')
                                .any(|x| matches!(x, "el" | "la" | "los" | "las"))
                            && gap.split(' ').count() <= 5
                    });
            // `the director of the Beijing Association for ...`: an
            // office spoken of, no name after it.
            let spoken_of = ws[j.saturating_sub(3)..j]
                .iter()
                .any(|x| matches!(x.as_str(text), "the" | "a" | "an" | "The" | "A"));
            if appositive || spoken_of {
                continue;
            }
            // Where the body starts: after `of`/`to`/`de`/`del`/`en`,
            // maybe after one adjective (`embajador chino en Corea`), and
            // an article.
            let connector =
                |x: &Word| matches!(x.as_str(text), "of" | "to" | "for" | "de" | "del" | "en");
            let mut k = j + 1;
            let direct = ws.get(k).is_some_and(|x| is_capitalized(x.as_str(text)));
            if direct {
                // `el embajador Liu Hongcai`: the name right after a
                // lower-case role.
                if lower_role && !overlaps(spans, ws[k].start, ws[k].end) {
                    if let Some((s, e)) = name_run_forward(&self.lex, text, ws, k) {
                        let ok = text[s..e].split(' ').count() <= 4
                            && !text[e..]
                                .strip_prefix(' ')
                                .is_some_and(|r| r.starts_with(char::is_uppercase))
                            && !text[s..e]
                                .split(' ')
                                .any(|t| lower_words.contains(t.to_lowercase().as_str()));
                        if ok {
                            let _ = self.push_rule_person(
                                text,
                                s,
                                e,
                                para,
                                Source::TitleRule,
                                None,
                                spans,
                                out,
                            );
                        }
                    }
                }
                continue;
            }
            if !ws.get(k).is_some_and(connector) {
                let adjective = ws
                    .get(k)
                    .is_some_and(|x| x.as_str(text).starts_with(char::is_lowercase));
                if !(adjective && ws.get(k + 1).is_some_and(connector)) {
                    continue;
                }
                k += 1;
            }
            k += 1;
            if ws
                .get(k)
                .is_some_and(|x| matches!(x.as_str(text), "the" | "la" | "el" | "los" | "las"))
            {
                k += 1;
            }
            let mut body_last = None;
            while let Some(x) = ws.get(k) {
                if k > j + 14 || !single_space(text, ws[k - 1].end, x.start) {
                    break;
                }
                let xs = x.as_str(text);
                let listed = overlaps(spans, x.start, x.end);
                let capitals = xs.len() > 1 && xs.chars().all(|c| c.is_uppercase());
                if listed || capitals || self.lex.is_non_name_word(xs) {
                    body_last = Some(k);
                } else if !matches!(
                    xs,
                    "of" | "the" | "and" | "for" | "to" | "de" | "del" | "la" | "el" | "y" | "en"
                ) {
                    break;
                }
                k += 1;
            }
            let Some(last) = body_last else { continue };
            let Some(first) = ws.get(last + 1) else {
                continue;
            };
            if !single_space(text, ws[last].end, first.start)
                || overlaps(spans, first.start, first.end)
            {
                continue;
            }
            if let Some((s, e)) = name_run_forward(&self.lex, text, ws, last + 1) {
                let tokens = text[s..e].split([' ']).count();
                // Not the end of the body's own name (`Department Store
                // No. 1`, `Chiefs of Staff`, `Foodstuff Factory`).
                // A word the article also prints in lower case is no
                // name's (`International Friendly Contact`, `Seoul
                // Municipal Symphony Orchestra`).
                let thing = text[s..e].split([' ']).any(|t| {
                    t == "No"
                        || self.lex.institution(t).is_some()
                        || lower_words.contains(t.to_lowercase().as_str())
                }) || text[e..].starts_with(" of ")
                    || text[e..]
                        .strip_prefix(' ')
                        .is_some_and(|r| r.starts_with(char::is_uppercase))
                    || text[e..].starts_with(". ") && text[e + 2..].starts_with(char::is_numeric);
                if tokens <= 4 && !thing {
                    let _ = self.push_rule_person(
                        text,
                        s,
                        e,
                        para,
                        Source::TitleRule,
                        None,
                        spans,
                        out,
                    );
                }
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
            // Or a capitalized title of a body (`Goodluck Ebele Jonathan,
            // President of Nigeria`): then the name holds no institution
            // word (`... Youth League, President of ...`).
            let capital_title = !has_role
                && self.lex.title_words.iter().any(|t| {
                    text[ci + 2..]
                        .strip_prefix(&**t)
                        .is_some_and(|r| r.starts_with(" of "))
                });
            if !has_role && !capital_title {
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
                // (Nor ends a title's body: `Minister of Commerce Chen
                // Deming, Minister of Culture Cai Wu` is a list.)
                let in_title = [" of ", " for "].iter().any(|c| text[..s].ends_with(c));
                if capital_title
                    && (in_title
                        || text[s..e]
                            .split(' ')
                            .any(|t| self.lex.institution(t).is_some()))
                {
                    continue;
                }
                // A body's name before the next item of a list (`head of
                // the North Hwanghae Provincial Brigade, Kim Ok Bun,
                // member of ...`): it ends with an organization's word or
                // holds a word only such names hold (`Youth`); a place's
                // word may end a person's name (`Stuart Hall`).
                if self.names_a_body(&text[s..e]) {
                    continue;
                }
                let _ = self.push_rule_person(
                    text,
                    s,
                    e,
                    para,
                    Source::AppositiveRule,
                    None,
                    spans,
                    out,
                );
            }
        }
    }

    /// A foreign name after a Spanish title and a comma, as Spanish prints
    /// titles before names: `el presidente de la Sociedad Anónima Inoki
    /// Genom de Japón, Kanji Inoki, de visita en Corea`, `su homólogo
    /// nicaragüense, Samuel Santos López`. The name (two to four words,
    /// none an institution's or printed in lower case by the article) ends
    /// the clause (`,` `.` `;` ` y ` or the text's end); before the comma,
    /// with no other punctuation, a determiner, a role word and at most a
    /// dozen words of its body. Spanish articles only: English puts the
    /// title after the name (`appositive_rule`).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn spanish_title_comma_rule(
        &self,
        text: &str,
        ws: &[Word],
        lower_words: &super::LowerWords,
        para: Option<usize>,
        spans: &mut Vec<(usize, usize)>,
        out: &mut Vec<Mention>,
    ) {
        if !lower_words.spanish() {
            return;
        }
        let b = text.as_bytes();
        for ci in memchr::memchr_iter(b',', b).filter(|&i| b.get(i + 1) == Some(&b' ')) {
            let n = ws.partition_point(|w| w.start <= ci);
            let Some(first) = ws.get(n) else { continue };
            if first.start != ci + 2
                || !b.get(first.start).is_some_and(u8::is_ascii_uppercase)
                || overlaps(spans, first.start, first.end)
            {
                continue;
            }
            let Some((s, e)) = name_run_forward(&self.lex, text, ws, n) else {
                continue;
            };
            let rest = &text[e..];
            let ends_clause =
                rest.is_empty() || rest.starts_with([',', '.', ';']) || rest.starts_with(" y ");
            let run = &text[s..e];
            if !ends_clause
                || run.split(' ').count() > 4
                || self.names_a_body(run)
                || run.split(' ').any(|t| {
                    self.lex.institution(t).is_some()
                        || lower_words.contains(t.to_lowercase().as_str())
                })
                || !self.spanish_title_before(text, ws, n, ci)
            {
                continue;
            }
            let _ = self.push_rule_person(text, s, e, para, Source::TitleRule, None, spans, out);
        }
    }

    /// Whether the words before the comma at `comma` (word `n` is the
    /// first after it) are a Spanish title: a determiner (`el`, `su`,
    /// `del`...), a role word, then at most 12 words joined by single
    /// spaces (a bracketed abbreviation may close them: `(SCRJ)`).
    fn spanish_title_before(&self, text: &str, ws: &[Word], n: usize, comma: usize) -> bool {
        let Some(last) = n.checked_sub(1) else {
            return false;
        };
        let tail = &text[ws[last].end..comma];
        if !(tail.is_empty() || tail == ")") {
            return false;
        }
        let mut i = last;
        for _ in 0..13 {
            let w = ws[i];
            if self.lex.is_role_word(w.as_str(text)) {
                let determiner = |k: usize| {
                    single_space(text, ws[k].end, ws[k + 1].start)
                        && matches!(
                            ws[k].as_str(text),
                            "el" | "la"
                                | "los"
                                | "las"
                                | "al"
                                | "del"
                                | "su"
                                | "sus"
                                | "El"
                                | "La"
                                | "Su"
                        )
                };
                // One ordinal or adjective may stand between (`el primer
                // subalcalde de Jabarovsk, S. N. Kazachenko`).
                let qualified = i > 1
                    && matches!(
                        ws[i - 1].as_str(text),
                        "primer" | "primera" | "segundo" | "segunda" | "nuevo" | "nueva" | "actual"
                    )
                    && single_space(text, ws[i - 1].end, w.start)
                    && determiner(i - 2);
                return i > 0 && determiner(i - 1) || qualified;
            }
            if i == 0 {
                return false;
            }
            let gap = &text[ws[i - 1].end..w.start];
            if !(gap == " " || gap == " (" && w.as_str(text).chars().all(|c| c.is_uppercase())) {
                return false;
            }
            i -= 1;
        }
        false
    }

    /// Whether a capitalized run is an organization's name rather than a
    /// person's: its last word is an organization's (`Brigade`,
    /// `University`), or a word of it only such names hold (`Youth`,
    /// `Socialist`).
    fn names_a_body(&self, run: &str) -> bool {
        let last = run.rsplit(' ').next().unwrap_or(run);
        matches!(
            self.lex.institution(last),
            Some((InstitutionKind::Organization, _))
        ) || run.split(' ').any(|w| {
            matches!(
                self.lex.institution(w),
                Some((InstitutionKind::Modifier, _))
            )
        })
    }

    /// Adds a person found by a rule at `text[s..e]`, unless another
    /// mention covers it; true when added. Its canonical name: a listed
    /// person's (under the folded key), else `name` (the Korean rule's
    /// spelling), else, for a foreign name of three or more words whose
    /// first and last words are a listed person's (`Goodluck Ebele
    /// Jonathan`), that person, else the name as printed with its
    /// hyphens made ASCII and words in capitals capitalized.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn push_rule_person(
        &self,
        text: &str,
        s: usize,
        e: usize,
        para: Option<usize>,
        source: Source,
        name: Option<String>,
        spans: &mut Vec<(usize, usize)>,
        out: &mut Vec<Mention>,
    ) -> bool {
        if overlaps(spans, s, e) {
            return false;
        }
        let surface = &text[s..e];
        let canonical = match (self.known_person(surface), name) {
            (Some(c), _) => c,
            (None, Some(n)) => self.known_person(&n).unwrap_or_else(|| Arc::from(n)),
            (None, None) => self
                .known_by_first_last(surface)
                .unwrap_or_else(|| Arc::from(normalized_name(surface))),
        };
        spans.push((s, e));
        out.push(Mention::new(
            EntityKind::Person,
            canonical,
            para,
            s,
            e,
            source,
        ));
        true
    }

    /// The listed person whose first and last words a foreign name of
    /// three or more words shares (middle names dropped).
    pub(super) fn known_by_first_last(&self, name: &str) -> Option<Arc<str>> {
        let folded = crate::hangul::fold_name(name, |_| false);
        if folded.split(' ').count() < 3 {
            return None;
        }
        self.first_last
            .get(&super::first_last_key(&folded)?)
            .cloned()
            .flatten()
    }
}

/// Syllables `not-syllables.tsv` keeps out as English words that are
/// Spanish words too, capitalized (`No`, `A`, `He`, `Me`, `Sin`).
const SPANISH_SHAPED: &[&str] = &["A", "No", "He", "Me", "Sin", "Son", "Un", "Ha", "Ya", "Es"];

/// `KIM` → `Kim`, `gwan` → `Gwan`.
fn title_case(w: &str) -> String {
    let mut cs = w.chars();
    cs.next()
        .map(|c| {
            c.to_uppercase()
                .chain(cs.flat_map(char::to_lowercase))
                .collect()
        })
        .unwrap_or_default()
}

/// A rule-found name as stored: every hyphen ASCII, single spaces, a word
/// in capitals capitalized (`LIU HONGCAI` → `Liu Hongcai`).
pub(super) fn normalized_name(surface: &str) -> String {
    let dashes: String = surface
        .chars()
        .map(|c| if crate::text::is_dash(c) { '-' } else { c })
        .collect();
    dashes
        .split_whitespace()
        .map(|w| {
            if w.chars().count() > 1 && w.chars().all(|c| !c.is_lowercase()) {
                w.split('-').map(title_case).collect::<Vec<_>>().join("-")
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_name_token(lex: &Lexicon, text: &str, w: &Word) -> bool {
    let s = w.as_str(text);
    is_capitalized(s) && !lex.is_non_name_word(s) && !s.chars().all(|c| c.is_uppercase())
}

/// Two-letter initials, as Russian and Central Asian given names are
/// abbreviated in Latin letters (`Sh. Shabdolov`, `Yu. Ivanov`); no
/// abbreviation a text prints before a name (`Mt.`, `St.`, `Dr.`) is one.
const DIGRAPH_INITIALS: &[&str] = &["Sh", "Ch", "Zh", "Kh", "Ts", "Yu", "Ya", "Ye"];

/// Initials read before a surname, at most (`O. N. Kozhemyako`).
const MAX_INITIALS: usize = 3;

/// Whether `text[start..end]` is an initial: a capital (not `I`, a
/// numeral in `World War I.`) or a digraph of [`DIGRAPH_INITIALS`], after
/// a space or the text's start (not the `S` of `U.S.`) and before `. `.
fn is_initial(text: &str, start: usize, end: usize) -> bool {
    let Some(w) = text.get(start..end) else {
        return false;
    };
    let shaped = (w.len() == 1 && w != "I" && w.bytes().all(|b| b.is_ascii_uppercase()))
        || DIGRAPH_INITIALS.contains(&w);
    let b = text.as_bytes();
    shaped
        && (start == 0 || b.get(start - 1) == Some(&b' '))
        && b.get(end) == Some(&b'.')
        && b.get(end + 1) == Some(&b' ')
}

/// Where the initials right before the word at `start` begin (`M.
/// Jahangir Khan`, `O. N. Kozhemyako`), if any.
fn initials_before(text: &str, start: usize) -> Option<usize> {
    let mut first = None;
    let mut at = start;
    for _ in 0..MAX_INITIALS {
        // `X. ` before `at`: the initial ends three bytes back.
        let Some(before) = at.checked_sub(2).and_then(|end| text.get(..end)) else {
            break;
        };
        let end = before.len();
        let s = before
            .rfind(|c: char| !c.is_ascii_alphabetic())
            .map_or(0, |i| i + 1);
        if !is_initial(text, s, end) {
            break;
        }
        first = Some(s);
        at = s;
    }
    first
}

/// The word after the initials starting at word `first` (`B. Davaadorj`),
/// when word `first` is one.
fn after_initials(text: &str, ws: &[Word], first: usize) -> usize {
    let mut i = first;
    while i < ws.len()
        && i - first < MAX_INITIALS
        && is_initial(text, ws[i].start, ws[i].end)
        && ws.get(i + 1).is_some_and(|n| n.start == ws[i].end + 2)
    {
        i += 1;
    }
    i
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
    // Initials stand for given names: one capitalized word after them is
    // a name (`Chairman B. Davaadorj`).
    let named = after_initials(text, ws, first);
    let mut caps = named - first;
    let mut last = None;
    let mut i = named;
    while i < ws.len() && i < named + 5 {
        if i > named && !name_gap(text, ws[i - 1].end, ws[i].start) {
            break;
        }
        let s = ws[i].as_str(text);
        if is_name_token(lex, text, &ws[i]) {
            caps += 1;
            last = Some(i);
        } else if !lex.is_particle(s) {
            break;
        }
        // A possessive or punctuation ends the name (a hyphen of any
        // width joins its parts: `Bashar Al－Assad`).
        let joined = ws
            .get(i + 1)
            .is_some_and(|n| name_gap(text, ws[i].end, n.start));
        if ws[i].end < text.len() && !joined {
            break;
        }
        i += 1;
    }
    let last = last?;
    (caps >= 2 && last >= named).then(|| (ws[first].start, ws[last].end))
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
        if !name_gap(text, prev.end, ws[i].start) {
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
    if let Some(s) = initials_before(text, start) {
        // Initials stand for given names (`O. N. Kozhemyako, governor`).
        start = s;
        caps += 1;
    }
    (caps >= 2).then_some((start, ws[last].end))
}
