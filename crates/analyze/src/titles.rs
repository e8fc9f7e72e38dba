//! Titles and honorifics attached to a person mention: the words right
//! before the name (`respected Comrade`, `General Secretary`, `Marshal`) and
//! the appositive roles right after it (`Choe Ryong Hae, chairman of the
//! Presidium of the SPA, ...`), normalized. The words come from the word
//! lists (`honorifics.tsv`, `role-words.tsv`).

use serde::{Deserialize, Serialize};

use crate::gazetteer::EntityKind;
use crate::lexicon::Lexicon;
use crate::mentions::Mention;
use crate::text::{sentences, words};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TitlePosition {
    /// Printed before the name (`General Secretary Kim Jong Il`).
    Before,
    /// An appositive after the name (`Kim Yong Nam, president of ...`).
    Appositive,
}

/// One title attached to one person mention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonTitle {
    /// Canonical name of the person.
    pub person: String,
    /// The normalized title (`respected Comrade`, `chairman of the Presidium of the SPA`).
    pub title: String,
    pub position: TitlePosition,
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
];

/// The titles of every person mention, read with the word lists of `lex`
/// (honorifics before a name, role words after it).
pub fn find_titles(
    lex: &Lexicon,
    mentions: &[Mention],
    title: &str,
    paragraphs: &[String],
) -> Vec<PersonTitle> {
    let mut out = Vec::new();
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
        // Before the name: a chain of title words (`HE leader Kim Jong Il`).
        let mut rest = before;
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
                    out.push(PersonTitle {
                        person: m.canonical.to_string(),
                        title: h.title.to_string(),
                        position: TitlePosition::Before,
                        paragraph: m.paragraph,
                        mention_start: m.start,
                    });
                    rest = &trimmed[..trimmed.len() - h.form.len()];
                }
                None => break,
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
        let next_person = mentions[mi + 1..]
            .iter()
            .find(|n| {
                n.paragraph == m.paragraph && n.kind == EntityKind::Person && n.start >= m.end
            })
            .map_or(sent.end, |n| n.start.min(sent.end));
        let Some(tail) = text.get(m.end..next_person) else {
            continue;
        };
        let Some(tail) = tail.strip_prefix(", ") else {
            continue;
        };
        for role in appositive_roles(lex, tail) {
            out.push(PersonTitle {
                person: m.canonical.to_string(),
                title: role,
                position: TitlePosition::Appositive,
                paragraph: m.paragraph,
                mention_start: m.start,
            });
        }
    }
    out
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
    // `C.C., WPK` and `C.C., the WPK` are the WPK's Central Committee.
    if has(&s, &CC, "C.C") {
        s = s
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

fn role_like(lex: &Lexicon, seg: &str) -> bool {
    words(seg)
        .iter()
        .take(4)
        .any(|w| lex.is_role_word(w.as_str(seg)))
}

/// Splits an appositive into its roles, stopping at the first piece that
/// is not a role (the verb phrase, the next name, a date).
fn appositive_roles(lex: &Lexicon, tail: &str) -> Vec<String> {
    let tail = normalize_punct(tail);
    let mut out = Vec::new();
    for seg in tail.split([',', ';']) {
        let seg = seg.trim();
        let seg = seg.strip_prefix("and ").unwrap_or(seg);
        if !role_like(lex, seg) {
            break;
        }
        // `member of X and vice-premier of Y` holds two roles; `for the
        // Peace and Socialism` does not split.
        let mut parts: Vec<&str> = Vec::new();
        let (mut start, mut search) = (0, 0);
        while let Some(i) = and().find(&seg.as_bytes()[search..]) {
            let at = search + i;
            if role_like_start(lex, &seg[at + 5..]) {
                parts.push(&seg[start..at]);
                start = at + 5;
            }
            search = at + 5;
        }
        parts.push(&seg[start..]);
        for p in parts {
            let p = cut_clause(p);
            let p = p
                .strip_prefix("the ")
                .or_else(|| p.strip_prefix("a "))
                .or_else(|| p.strip_prefix("an "))
                .unwrap_or(p);
            let mut t = p.trim().trim_end_matches(['.', ':']).to_string();
            for ((long, short), finder) in SHORTEN.iter().zip(shorten_finders()) {
                if finder.find(t.as_bytes()).is_some() {
                    t = t.replace(long, short);
                }
            }
            let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
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

/// Searchers built once (`str::find` and `str::replace` build one per
/// call, which costs more than the search on these short texts).
fn and() -> &'static memchr::memmem::Finder<'static> {
    static F: std::sync::OnceLock<memchr::memmem::Finder<'static>> = std::sync::OnceLock::new();
    F.get_or_init(|| memchr::memmem::Finder::new(" and "))
}

/// One searcher for each long form of `SHORTEN`, in order.
fn shorten_finders() -> &'static [memchr::memmem::Finder<'static>] {
    static F: std::sync::OnceLock<Vec<memchr::memmem::Finder<'static>>> =
        std::sync::OnceLock::new();
    F.get_or_init(|| {
        SHORTEN
            .iter()
            .map(|(long, _)| memchr::memmem::Finder::new(long))
            .collect()
    })
}

/// A role starts within the first two words (`vice-premier of`, `first vice department director`).
fn role_like_start(lex: &Lexicon, s: &str) -> bool {
    words(s)
        .iter()
        .take(3)
        .any(|w| lex.is_role_word(w.as_str(s)))
}

/// Drops a trailing clause that is no part of the role.
fn cut_clause(p: &str) -> &str {
    const STOPS: [&str; 12] = [
        " who ",
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
        );
        assert_eq!(r, ["president of the Presidium of the SPA"]);
        let r = appositive_roles(&lex, "department director of the C.C., WPK; and");
        assert_eq!(
            r,
            ["department director of the Central Committee of the WPK"]
        );
    }
}
