//! Titles and honorifics attached to a person mention: the words right
//! before the name (`respected Comrade`, `General Secretary`, `Marshal`;
//! a role phrase with its article, `el jefe del Estado Mayor General del
//! EPC, Hyon Yong Chol`, `the chief of the KPA General Staff Ri Yong Ho`)
//! and the appositive roles right after it (`Choe Ryong Hae, chairman of
//! the Presidium of the SPA, ...`, `Kim Yong Nam, presidente del
//! Presidium de la APS`), normalized, each an office or an honorific. The
//! words come from the word lists (`honorifics.tsv`, `role-words.tsv`).
//!
//! Word order: a title printed before a name is that name's, in English
//! and Spanish alike; an appositive follows its name. A list of bare names
//! (`Kim Yong Nam, Choe Yong Rim, Kim Yong Chun, the chairperson of a
//! friendly party, officials of ...`) has no appositives: what follows its
//! last name is the list's next item.
//!
//! Owns: reading titles off the text around person mentions. Must not
//! touch: finding the mentions or the word lists' contents.

use serde::{Deserialize, Serialize};

use crate::gazetteer::EntityKind;
use crate::lexicon::Lexicon;
use crate::mentions::Mention;
use crate::text::{sentences, words};
use crate::wordlists::TitleKindRule;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TitlePosition {
    /// Printed before the name (`General Secretary Kim Jong Il`).
    Before,
    /// An appositive after the name (`Kim Yong Nam, president of ...`).
    Appositive,
}

/// What a title says of its person.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TitleKind {
    /// An office, post or rank (`General Secretary`, `Marshal`, `premier`).
    #[default]
    Office,
    /// A word of respect (`respected Comrade`, `great leader`, `camarada`).
    Honorific,
}

/// One title attached to one person mention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonTitle {
    /// Canonical name of the person.
    pub person: String,
    /// The normalized title (`respected Comrade`, `chairman of the Presidium of the SPA`).
    pub title: String,
    pub position: TitlePosition,
    /// An office or an honorific (an analysis stored before the two were
    /// told apart reads as offices).
    #[serde(default)]
    pub kind: TitleKind,
    /// Where the person mention is (headline = `None`), and its start byte.
    pub paragraph: Option<usize>,
    pub mention_start: usize,
}

/// Long forms shortened in normalized titles.
const SHORTEN: &[(&str, &str)] = &[
    ("Supreme People's Assembly", "SPA"),
    ("Workers' Party of Korea", "WPK"),
    ("Korean People's Army", "KPA"),
    ("National Defence Commission", "NDC"),
    ("National Defense Commission", "NDC"),
    ("the DPRK ", "the "),
    // One office, one name: `secretary of the WPK Central Committee` is
    // `secretary of the Central Committee of the WPK`, as `C.C., WPK` is.
    (
        "the WPK Central Committee",
        "the Central Committee of the WPK",
    ),
];

/// The same in Spanish titles: the bodies the English forms shorten, and
/// the one spelling of a Central Committee and its bodies whether an
/// article prints it with accents or not (`CC del PTC`, `Comite Central
/// del Partido del Trabajo de Corea` and `Comité Central del PTC` are one
/// body, so one title).
const SHORTEN_ES: &[(&str, &str)] = &[
    ("Partido del Trabajo de Corea", "PTC"),
    ("Ejercito Popular de Corea", "EPC"),
    ("Ejército Popular de Corea", "EPC"),
    ("Asamblea Popular Suprema", "APS"),
    ("Comision de Defensa Nacional", "CDN"),
    ("Comisión de Defensa Nacional", "CDN"),
    ("Comite de Defensa Nacional", "CDN"),
    ("Comité de Defensa Nacional", "CDN"),
    ("CC del PTC", "Comité Central del PTC"),
    ("Comite Central", "Comité Central"),
    ("Buro Politico", "Buró Político"),
    ("Comision Militar Central", "Comisión Militar Central"),
];

/// Articles and particles a title is stored without (`as first secretary
/// of the WPK`, `el jefe del Estado Mayor`).
const LEADING: &[&str] = &[
    "as ", "the ", "then ", "a ", "an ", "el ", "la ", "los ", "las ", "un ", "una ", "como ",
    "del ", "al ",
];

/// Determiners that open a role phrase printed before a name.
const DET_EN: &[&str] = &["the"];
const DET_ES: &[&str] = &[
    "el", "la", "los", "las", "del", "al", "El", "La", "Los", "Las", "Del", "Al",
];

/// Words that end a role phrase read backwards from a name: what comes
/// before them is another clause or list item.
const PHRASE_BREAKS: &[&str] = &["and", "y", "e", "or", "o", "with", "con", "by", "por"];

/// The titles of every person mention, read with the word lists of `lex`
/// (honorifics before a name, role words after it), in the word order of
/// the article's language (`spanish`: told by [`crate::text::is_spanish`],
/// which the caller reads once an article).
pub fn find_titles(
    lex: &Lexicon,
    mentions: &[Mention],
    title: &str,
    paragraphs: &[String],
    spanish: bool,
) -> Vec<PersonTitle> {
    let mut out = Vec::new();
    // `Revered` forms, decided once the whole article is read.
    let mut revered: Vec<usize> = Vec::new();
    let mut sent_cache: Vec<Option<Vec<std::ops::Range<usize>>>> = vec![None; paragraphs.len() + 1];
    for (mi, m) in mentions.iter().enumerate() {
        if m.kind != EntityKind::Person {
            continue;
        }
        let text = match m.paragraph {
            None => title,
            Some(p) => match paragraphs.get(p) {
                Some(t) => t.as_str(),
                None => continue,
            },
        };
        let (Some(before), Some(_)) = (text.get(..m.start), text.get(m.end..)) else {
            continue;
        };
        let push = |out: &mut Vec<PersonTitle>, title: String, position, kind| {
            out.push(PersonTitle {
                person: m.canonical.to_string(),
                title,
                position,
                kind,
                paragraph: m.paragraph,
                mention_start: m.start,
            });
        };
        // Before the name: a chain of title words (`HE leader Kim Jong Il`).
        let mut rest = before;
        let mut chained = false;
        for _ in 0..3 {
            let trimmed = rest.trim_end_matches(' ');
            if trimmed.len() == rest.len() && !rest.is_empty() {
                break; // the title must be separated from the name by a space
            }
            let last = trimmed.as_bytes().last().copied();
            let hit = lex.honorifics.iter().find(|h| {
                Some(h.last) == last && trimmed.ends_with(&*h.form) && {
                    let s = trimmed.len() - h.form.len();
                    !trimmed[..s]
                        .chars()
                        .next_back()
                        .is_some_and(|c| c.is_alphanumeric())
                }
            });
            match hit {
                Some(h) => {
                    let kind = match h.kind {
                        TitleKindRule::Office => TitleKind::Office,
                        TitleKindRule::Honorific => TitleKind::Honorific,
                        TitleKindRule::Revered => {
                            revered.push(out.len());
                            TitleKind::Office
                        }
                    };
                    rest = &trimmed[..trimmed.len() - h.form.len()];
                    // The tail of a hyphenated title is not the title
                    // (`Vice-Director`, `Director-General`); a former one's
                    // is (`ex-President`).
                    let mut title = h.title.to_string();
                    if let Some(head) = rest.strip_suffix('-') {
                        let word = &head[head.rfind(' ').map_or(0, |i| i + 1)..];
                        if crate::text::is_capitalized(word) {
                            title = format!("{word}-{title}");
                            rest = &head[..head.len() - word.len()];
                        }
                    }
                    push(&mut out, title, TitlePosition::Before, kind);
                    chained = true;
                }
                None => break,
            }
        }
        // A country's name or adjective right before an office is part of
        // it (`Russian Foreign Minister`, `DPRK Premier`).
        if let Some(outer) = out.last_mut().filter(|t| {
            chained
                && t.kind == TitleKind::Office
                && t.mention_start == m.start
                && t.paragraph == m.paragraph
        }) {
            let r = rest.trim_end_matches(' ');
            if r.len() < rest.len() {
                if let Some(c) = mentions[..mi].iter().rev().find(|c| {
                    c.paragraph == m.paragraph && c.kind == EntityKind::Country && c.end == r.len()
                }) {
                    outer.title = format!("{} {}", &text[c.start..c.end], outer.title);
                    rest = &rest[..c.start];
                }
            }
        }
        // Before that: a role phrase opened by its article (not in
        // headlines, whose title case hides roles).
        if m.paragraph.is_some() {
            let earlier = mentions[..mi]
                .iter()
                .rev()
                .find(|n| n.paragraph == m.paragraph && n.kind == EntityKind::Person)
                .map_or(0, |n| n.end);
            for role in role_before(lex, rest, earlier, spanish, chained).unwrap_or_default() {
                push(&mut out, role, TitlePosition::Before, TitleKind::Office);
            }
        }
        // After the name: appositive roles up to the sentence's end or the
        // next person.
        if m.paragraph.is_none() {
            continue;
        }
        let slot = m.paragraph.map_or(0, |p| p + 1);
        let sents = sent_cache[slot].get_or_insert_with(|| sentences(text));
        let Some(sent) = sents.iter().find(|r| r.start <= m.start && m.end <= r.end) else {
            continue;
        };
        // A bare item of a list of names (the person before is only a
        // comma or `and` away) has no appositive either.
        let prev = mentions[..mi]
            .iter()
            .rev()
            .find(|n| n.paragraph == m.paragraph && n.kind == EntityKind::Person);
        if prev.is_some_and(|n| {
            n.end <= m.start
                && n.start >= sent.start
                && matches!(
                    text.get(n.end..m.start),
                    Some(", " | " and " | ", and " | " y " | " e ")
                )
        }) {
            continue;
        }
        let next = mentions[mi + 1..].iter().find(|n| {
            n.paragraph == m.paragraph && n.kind == EntityKind::Person && n.start >= m.end
        });
        let next_person = next.map_or(sent.end, |n| n.start.min(sent.end));
        let Some(tail) = text.get(m.end..next_person) else {
            continue;
        };
        let Some(tail) = tail.strip_prefix(", ") else {
            continue;
        };
        // The piece that runs into the next name (`..., and premier Choe
        // Yong Rim`) is that name's; so is, in Spanish, the role right
        // before it opened by its article (`..., el jefe del EPC, Hyon
        // Yong Chol`).
        let tail = if next_person < sent.end {
            let body = tail.trim_end_matches(' ');
            let touches = !body.ends_with(',');
            let body = body.trim_end_matches([' ', ',']);
            let last = body.rfind([',', ';']).map_or(0, |i| i + 1);
            let mut piece = body[last..].split_whitespace();
            let first_word = match piece.next() {
                Some("y" | "e" | "and") => piece.next().unwrap_or(""),
                Some(w) => w,
                None => "",
            };
            if touches || (spanish && DET_ES.contains(&first_word)) {
                &body[..last]
            } else {
                tail
            }
        } else {
            tail
        };
        for role in appositive_roles(lex, tail, spanish) {
            push(&mut out, role, TitlePosition::Appositive, TitleKind::Office);
        }
    }
    // `General` of a person the article reveres (`great leader`,
    // `respected`) is an honorific; of anyone else, a rank.
    for i in revered {
        let person = &out[i].person;
        let is_revered = out
            .iter()
            .any(|t| t.person == *person && t.kind == TitleKind::Honorific);
        if is_revered {
            out[i].kind = TitleKind::Honorific;
        }
    }
    out
}

/// The role phrase printed right before a name, opened by an article
/// (`the chief of the KPA General Staff Ri Yong Ho`, `el vicemariscal del
/// EPC Kim Yong Chun`, in Spanish also with a comma before the name: `el
/// jefe del Estado Mayor General del EPC, Hyon Yong Chol`). `before` is
/// the text before the name (less any honorifics read); `floor` is where
/// the previous person mention ends (the phrase starts after it).
fn role_before(
    lex: &Lexicon,
    before: &str,
    floor: usize,
    spanish: bool,
    chained: bool,
) -> Option<Vec<String>> {
    let mut b = before.trim_end_matches(' ');
    if b.len() == before.len() && !chained {
        return None; // glued to the name
    }
    if spanish && !chained {
        if let Some(x) = b.strip_suffix(',') {
            b = x;
        }
    }
    let clause = b
        .rfind([',', ';', ':', '(', ')', '"', '“', '”', '.'])
        .map_or(0, |i| i + 1)
        .max(floor.min(b.len()));
    let phrase = b.get(clause..)?;
    let ws = words(phrase);
    let dets = if spanish { DET_ES } else { DET_EN };
    // A role right after the article, or one word later in lower case
    // (`el primer vicecanciller`; `del Estado Mayor` names a body).
    let role_within_two = |i: usize| {
        ws.get(i + 1..)
            .unwrap_or(&[])
            .iter()
            .take(2)
            .enumerate()
            .any(|(k, r)| {
                let r = r.as_str(phrase);
                role_word(lex, r, spanish) && (k == 0 || !crate::text::is_capitalized(r))
            })
    };
    // The last article that a role follows (within two words), with no
    // clause break after it; `and`/`y` before another role coordinates
    // two roles (`el ministro de Salud Publica y presidente del Comite`).
    let mut open = None;
    for (i, w) in ws.iter().enumerate() {
        let word = w.as_str(phrase);
        if PHRASE_BREAKS.contains(&word) {
            let next_is_det = ws
                .get(i + 1)
                .is_some_and(|n| dets.contains(&n.as_str(phrase)));
            if next_is_det || !role_within_two(i) {
                open = None;
            }
            continue;
        }
        if dets.contains(&word) && role_within_two(i) {
            open = Some(i);
        }
    }
    let i = open?;
    if ws.len() - i > 24 {
        return None;
    }
    let from = ws.get(i + 1)?.start;
    let roles = appositive_roles(lex, phrase.get(from..)?, spanish);
    (!roles.is_empty()).then_some(roles)
}

/// A role word; in Spanish also capitalized (`Secretario General del
/// Partido`, `Presidente del Comite`), as the Spanish edition prints them.
fn role_word(lex: &Lexicon, w: &str, spanish: bool) -> bool {
    if lex.is_role_word(w) {
        return true;
    }
    if !spanish {
        return false;
    }
    let mut cs = w.chars();
    match cs.next() {
        Some(c) if c.is_uppercase() => {
            let lower: String = c.to_lowercase().chain(cs).collect();
            lex.is_role_word(&lower)
        }
        _ => false,
    }
}

/// A title as stored: without leading articles and particles, the long
/// forms shortened, single spaces.
fn normalize_title(p: &str, spanish: bool) -> String {
    let mut p = p.trim();
    loop {
        let stripped = LEADING.iter().find_map(|l| {
            p.get(..l.len())
                .filter(|h| h.eq_ignore_ascii_case(l))
                .map(|_| &p[l.len()..])
        });
        match stripped {
            Some(x) => p = x.trim_start(),
            None => break,
        }
    }
    let mut t = p.trim().trim_end_matches(['.', ':', ',']).to_string();
    let (forms, finders) = if spanish {
        (SHORTEN_ES, shorten_finders_es())
    } else {
        (SHORTEN, shorten_finders())
    };
    for ((long, short), finder) in forms.iter().zip(finders) {
        if finder.find(t.as_bytes()).is_some() {
            t = t.replace(long, short);
        }
    }
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn normalize_punct(s: &str) -> String {
    use memchr::memmem::Finder;
    use std::sync::OnceLock;
    // Searchers built once: building one per title would cost more than
    // the search.
    static CC: OnceLock<Finder<'static>> = OnceLock::new();
    static THE_THE: OnceLock<Finder<'static>> = OnceLock::new();
    let has = |s: &str, what: &'static OnceLock<Finder<'static>>, needle: &'static str| {
        what.get_or_init(|| Finder::new(needle))
            .find(s.as_bytes())
            .is_some()
    };
    let mut s = s.replace('’', "'");
    // Each replacement scans the text: only those that can apply run.
    // `C.C., WPK`, `C.C., the WPK` and `C.C. of the WPK` are the WPK's
    // Central Committee.
    if has(&s, &CC, "C.C") {
        s = s
            .replace("C.C. of the ", "Central Committee of the ")
            .replace("C.C., the ", "Central Committee of the ")
            .replace("C.C, the ", "Central Committee of the ")
            .replace("C.C., ", "Central Committee of the ")
            .replace("C.C, ", "Central Committee of the ");
    }
    if has(&s, &THE_THE, "Central Committee of the the ") {
        s = s.replace("Central Committee of the the ", "Central Committee of the ");
    }
    s
}

fn role_like(lex: &Lexicon, seg: &str, spanish: bool) -> bool {
    words(seg)
        .iter()
        .take(4)
        .any(|w| role_word(lex, w.as_str(seg), spanish))
}

/// Splits an appositive into its roles, stopping at the first piece that
/// is not a role (the verb phrase, the next name, a date).
fn appositive_roles(lex: &Lexicon, tail: &str, spanish: bool) -> Vec<String> {
    let tail = normalize_punct(tail);
    let mut out = Vec::new();
    for seg in tail.split([',', ';']) {
        let seg = seg.trim();
        let seg = seg
            .strip_prefix("and ")
            .or_else(|| seg.strip_prefix("y "))
            .unwrap_or(seg);
        // In Spanish an appositive has no article: a piece opened by one
        // is the next name's title or another list item.
        let opened = seg
            .split_whitespace()
            .next()
            .is_some_and(|w| DET_ES.contains(&w));
        // A later piece opened by `the` is another list item too (`Wang
        // Xiankui, governor of Heilongjiang Province, the secretary of the
        // Qiqihar City Party Committee, the mayor ...`): the first piece
        // may have it (`Kim Jong Un, the supreme leader`).
        let listed = !out.is_empty()
            && seg
                .split_whitespace()
                .next()
                .is_some_and(|w| w.eq_ignore_ascii_case("the"));
        if !role_like(lex, seg, spanish)
            || (spanish && opened)
            || listed
            || reports(cut_clause(seg))
        {
            break;
        }
        // `member of X and vice-premier of Y` holds two roles; `for the
        // Peace and Socialism` does not split (nor Spanish `y`).
        let mut parts: Vec<&str> = Vec::new();
        let (mut start, mut search) = (0, 0);
        let joiner = if spanish { and_es() } else { and() };
        let jl = joiner.needle().len();
        while let Some(i) = joiner.find(&seg.as_bytes()[search..]) {
            let at = search + i;
            if role_like_start(lex, &seg[at + jl..], spanish) {
                parts.push(&seg[start..at]);
                start = at + jl;
            }
            search = at + jl;
        }
        parts.push(&seg[start..]);
        let parts: Vec<String> = parts
            .iter()
            .flat_map(|p| distribute_head(cut_clause(p), spanish))
            .collect();
        for (i, p) in parts.iter().enumerate() {
            let p = match shared_committee(p, &parts[i + 1..]) {
                Some(tail) => format!("{p}{tail}"),
                None => p.clone(),
            };
            let t = normalize_title(&p, spanish);
            if !t.is_empty() && t.len() <= 200 {
                out.push(t);
            }
        }
        if out.len() >= 6 {
            break;
        }
    }
    out
}

/// `presidente de la RDPL y del Comité Central de Defensa` holds one role
/// of two bodies: the role (`presidente`, `vicejefe de departamento`) goes
/// with each. Only when the second is a body by its first word (`Comité`,
/// `Asociación`, `RPCh`): `Industria Alimentaria y de Necesidades Diarias`
/// is one ministry's name, `la delegación del Partido y del Gobierno` one
/// delegation's. Not when the first body is plural (`Consejos de Estado y
/// de Ministros` is one body of Cuba's), nor in English, whose `and of` is
/// rare and whose `X and Y` is mostly one body's name (`Peace and
/// Socialism`).
fn distribute_head(p: &str, spanish: bool) -> Vec<String> {
    const BODY_NOUNS: [&str; 24] = [
        "Comite",
        "Comité",
        "Comision",
        "Comisión",
        "Asociacion",
        "Asociación",
        "Federacion",
        "Federación",
        "Consejo",
        "Fondo",
        "Instituto",
        "Sociedad",
        "Union",
        "Unión",
        "Liga",
        "Frente",
        "Buro",
        "Buró",
        "Secretariado",
        "Presidium",
        "Republica",
        "República",
        "Asamblea",
        "Central",
    ];
    let whole = vec![p.to_string()];
    if !spanish {
        return whole;
    }
    let Some(at) = [" y del ", " y de "].iter().filter_map(|j| p.find(j)).min() else {
        return whole;
    };
    let (first, second) = (&p[..at], &p[at + " y".len()..]);
    let body = |w: &str| {
        BODY_NOUNS.contains(&w)
            || (w.len() >= 2 && w.chars().filter(|c| c.is_uppercase()).count() >= 2)
    };
    let opening = |s: &'_ str| -> Option<String> {
        s.split_whitespace()
            .find(|w| !matches!(*w, "de" | "del" | "la" | "el"))
            .map(str::to_string)
    };
    if !opening(second).is_some_and(|w| body(&w)) {
        return whole;
    }
    // The role ends where its first body's name begins: at the first `de`
    // or `del` followed by a capital (`vicejefe de departamento del CC`).
    let mut of = None;
    let mut from = 0;
    while let Some(i) = [" del ", " de "]
        .iter()
        .filter_map(|d| first[from..].find(d).map(|i| from + i))
        .min()
    {
        let after = first[i + 1..].split_once(' ').map_or("", |(_, rest)| rest);
        if after.starts_with("los ") || after.starts_with("las ") {
            return whole;
        }
        if opening(after).is_some_and(|w| crate::text::is_capitalized(&w)) {
            of = Some(i);
            break;
        }
        from = i + 1;
    }
    let Some(of) = of else {
        return whole;
    };
    vec![first.to_string(), format!("{}{second}", &first[..of])]
}

/// `miembro suplente del Buró Político y secretario del CC del PTC`: the
/// bureau is the Central Committee's, which the second role names for
/// both. Returns the Central Committee's words to add to `first` when it
/// ends at one of its bodies and a role after it names it, every role
/// between ending at one too (`miembro del Buró Político`, `miembro del
/// Secretariado`, `jefe de departamento del CC del PCCh`).
fn shared_committee<'a>(first: &str, after: &'a [String]) -> Option<&'a str> {
    // Not `Presidium`: the SPA's is no Central Committee's.
    const BODIES: [&str; 6] = [
        "Political Bureau",
        "Politburo",
        "Secretariat",
        "Buró Político",
        "Buro Politico",
        "Secretariado",
    ];
    // `C.C., the WPK` was spelt out before the roles were split.
    const COMMITTEE: [&str; 5] = [
        " of the Central Committee ",
        " of the WPK Central Committee",
        " del Comité Central ",
        " del Comite Central ",
        " del CC ",
    ];
    let at_body = |p: &str| BODIES.iter().any(|b| p.trim_end().ends_with(b));
    if !at_body(first) {
        return None;
    }
    for next in after {
        if let Some(i) = COMMITTEE.iter().filter_map(|c| next.find(c)).min() {
            return Some(&next[i..]);
        }
        if !at_body(next) {
            return None;
        }
    }
    None
}

/// A piece that reports what someone said or did (`the chairman noted
/// that`, `the director-general went round`) is a clause of its own, not
/// a role of the name before it.
fn reports(piece: &str) -> bool {
    const VERBS: [&str; 22] = [
        "said",
        "says",
        "noted",
        "stressed",
        "expressed",
        "went",
        "added",
        "recalled",
        "recollected",
        "sent",
        "presented",
        "underlined",
        "pointed",
        "told",
        "laid",
        "dijo",
        "señaló",
        "senalo",
        "expresó",
        "expreso",
        "subrayó",
        "subrayo",
    ];
    let words: Vec<&str> = piece
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .collect();
    // `the said committee` is the committee named before.
    words.iter().enumerate().any(|(i, w)| {
        VERBS.contains(w) && !(i > 0 && *w == "said" && words[i - 1].eq_ignore_ascii_case("the"))
    })
}

/// Searchers built once (`str::find` and `str::replace` build one per
/// call, which costs more than the search on these short texts).
fn and() -> &'static memchr::memmem::Finder<'static> {
    static F: std::sync::OnceLock<memchr::memmem::Finder<'static>> = std::sync::OnceLock::new();
    F.get_or_init(|| memchr::memmem::Finder::new(" and "))
}

/// The same for Spanish `y`.
fn and_es() -> &'static memchr::memmem::Finder<'static> {
    static F: std::sync::OnceLock<memchr::memmem::Finder<'static>> = std::sync::OnceLock::new();
    F.get_or_init(|| memchr::memmem::Finder::new(" y "))
}

/// One searcher for each long form of `SHORTEN`, in order.
fn shorten_finders() -> &'static [memchr::memmem::Finder<'static>] {
    static F: std::sync::OnceLock<Vec<memchr::memmem::Finder<'static>>> =
        std::sync::OnceLock::new();
    finders_of(&F, SHORTEN)
}

/// The same for `SHORTEN_ES`.
fn shorten_finders_es() -> &'static [memchr::memmem::Finder<'static>] {
    static F: std::sync::OnceLock<Vec<memchr::memmem::Finder<'static>>> =
        std::sync::OnceLock::new();
    finders_of(&F, SHORTEN_ES)
}

fn finders_of(
    cell: &'static std::sync::OnceLock<Vec<memchr::memmem::Finder<'static>>>,
    forms: &'static [(&'static str, &'static str)],
) -> &'static [memchr::memmem::Finder<'static>] {
    cell.get_or_init(|| {
        forms
            .iter()
            .map(|(long, _)| memchr::memmem::Finder::new(long))
            .collect()
    })
}

/// A role starts within the first two words (`vice-premier of`, `first vice department director`).
fn role_like_start(lex: &Lexicon, s: &str, spanish: bool) -> bool {
    words(s)
        .iter()
        .take(3)
        .any(|w| role_word(lex, w.as_str(s), spanish))
}

/// Drops a trailing clause that is no part of the role.
fn cut_clause(p: &str) -> &str {
    const STOPS: [&str; 26] = [
        " who ",
        " y otros",
        " y otras",
        " and other",
        " y su comitiva",
        " y su séquito",
        " y su sequito",
        " and his party",
        " and his entourage",
        " and her party",
        " and his wife",
        " upon ",
        " que ",
        " quien ",
        " cuando ",
        " which ",
        " when ",
        " on a visit",
        " on Monday",
        " on Tuesday",
        " on Wednesday",
        " on Thursday",
        " on Friday",
        " on Saturday",
        " on Sunday",
        " here ",
    ];
    static AC: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    &p[..crate::text::first_stop(p, &STOPS, &AC)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_doubled_article_after_central_committee_goes_with_or_without_a_cc() {
        assert_eq!(
            normalize_punct("director of the Central Committee of the the WPK"),
            "director of the Central Committee of the WPK"
        );
        assert_eq!(
            normalize_punct("member of the C.C., the WPK"),
            "member of the Central Committee of the WPK"
        );
    }

    #[test]
    fn appositive_pieces() {
        let lex = Lexicon::new(&crate::wordlists::WordLists::embedded().unwrap());
        let r = appositive_roles(
            &lex,
            "alternate member of the Political Bureau of the Central Committee of the WPK and vice-premier of the Cabinet, in a report said",
            false,
        );
        assert_eq!(
            r,
            [
                "alternate member of the Political Bureau of the Central Committee of the WPK",
                "vice-premier of the Cabinet"
            ]
        );
        let r = appositive_roles(
            &lex,
            "president of the Presidium of the DPRK Supreme People's Assembly, Saturday sent",
            false,
        );
        assert_eq!(r, ["president of the Presidium of the SPA"]);
        let r = appositive_roles(&lex, "department director of the C.C., WPK; and", false);
        assert_eq!(
            r,
            ["department director of the Central Committee of the WPK"]
        );
    }
}
