//! Entourage order: the ordered list of people in sentences like "He was
//! accompanied by A, B and C", "Accompanying him were ...", "Present there
//! were ...", "Attending the ... were ...". Analysts read rank from order.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use serde::{Deserialize, Serialize};

use crate::ascii::Twins;
use crate::gazetteer::EntityKind;
use crate::mentions::Mention;
use crate::text::sentences;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListKind {
    /// `He was accompanied by ...`, `Accompanying him were ...`.
    Accompanying,
    /// `Present there were ...`, `Present at the meeting were ...`.
    Present,
    /// `Attending the ceremony were ...`.
    Attending,
    /// `It was seen off at the airport by ...`.
    SeeingOff,
    /// `It was greeted/welcomed at the airport by ...`.
    Greeting,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entourage {
    pub kind: ListKind,
    /// Canonical names in printed order, each once.
    pub people: Vec<String>,
    pub paragraph: usize,
    /// Byte span of the list in the paragraph.
    pub start: usize,
    pub end: usize,
}

fn trigger() -> &'static Twins {
    static R: OnceLock<Twins> = OnceLock::new();
    R.get_or_init(|| {
        Twins::new(
            r"(?x)
             (?P<acc>(?-u:\b)(?:was|were)\s+accompanied\s+by\s|^Accompanying\s+[^,.;]{0,60}?\s*(?-u:\b)(?:was|were)\s|(?-u:\b)acompa(?:ñ|n)ad[oa]s?\s+por\s)
            |(?P<pres>^Present\s+[^;]{0,120}?(?-u:\b)(?:was|were)\s|^Among\s+those\s+present\s+(?:was|were)\s|^Estuvieron\s+presentes\s)
            |(?P<att>^Attending\s+[^;]{0,120}?(?-u:\b)(?:was|were)\s|^Among\s+the\s+attendants?\s+(?:was|were)\s)
            |(?P<seen>(?-u:\b)seen\s+off\s+(?:at\s+[^,.;]{0,40}?\s+)?by\s)
            |(?P<greet>(?-u:\b)(?:greeted|welcomed)\s+(?:at\s+[^,.;]{0,40}?\s+)?by\s)",
        )
    })
}

fn prefilter() -> &'static AhoCorasick {
    static A: OnceLock<AhoCorasick> = OnceLock::new();
    // Leftmost-first (same answer for `is_match`) lets the searcher use its
    // SIMD packed prefilter; standard semantics walk the automaton byte by
    // byte over every paragraph.
    A.get_or_init(|| {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build([
                "ccompan",
                "Present",
                "Attending",
                "present",
                "seen off",
                "greeted",
                "welcomed",
                "Estuvieron",
            ])
            .expect("static patterns")
    })
}

/// The kind of list a match of `trigger()` opens, read off its first
/// words: each group of the regex starts with words no other one starts
/// with. (Asking the regex which group matched would run its slowest
/// engine on every list: a bounded repetition makes its automaton large.)
fn kind_of(trigger: &str) -> ListKind {
    const STARTS: [(&str, ListKind); 9] = [
        ("was", ListKind::Accompanying),
        ("were", ListKind::Accompanying),
        ("Accompanying", ListKind::Accompanying),
        ("acompa", ListKind::Accompanying),
        ("Present", ListKind::Present),
        ("Among those", ListKind::Present),
        ("Estuvieron", ListKind::Present),
        ("Attending", ListKind::Attending),
        ("Among the", ListKind::Attending),
    ];
    STARTS
        .iter()
        .find(|(start, _)| trigger.starts_with(start))
        .map_or_else(
            || {
                if trigger.starts_with("seen") {
                    ListKind::SeeingOff
                } else {
                    ListKind::Greeting
                }
            },
            |&(_, kind)| kind,
        )
}

pub fn find_entourages(mentions: &[Mention], paragraphs: &[String]) -> Vec<Entourage> {
    let mut out = Vec::new();
    for (pi, text) in paragraphs.iter().enumerate() {
        // Cheap filter before sentence splitting: most paragraphs have no list.
        if !prefilter().is_match(text) {
            continue;
        }
        for sent in sentences(text) {
            let s = &text[sent.clone()];
            let Some(t) = trigger().of(s).find(s) else {
                continue;
            };
            let kind = kind_of(t.as_str());
            let (start, end) = (sent.start + t.end(), sent.end);
            let mut people: Vec<String> = Vec::new();
            for m in mentions {
                if m.paragraph == Some(pi)
                    && m.kind == EntityKind::Person
                    && m.start >= start
                    && m.end <= end
                    && !people.iter().any(|p| **p == *m.canonical)
                {
                    people.push(m.canonical.to_string());
                }
            }
            if !people.is_empty() {
                out.push(Entourage {
                    kind,
                    people,
                    paragraph: pi,
                    start,
                    end,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_read_off_the_first_words_is_the_group_that_matched() {
        let by_group = |s: &str| {
            let c = trigger().of(s).captures(s)?;
            Some(if c.name("acc").is_some() {
                ListKind::Accompanying
            } else if c.name("pres").is_some() {
                ListKind::Present
            } else if c.name("att").is_some() {
                ListKind::Attending
            } else if c.name("seen").is_some() {
                ListKind::SeeingOff
            } else if c.name("greet").is_some() {
                ListKind::Greeting
            } else {
                return None;
            })
        };
        let sentences = [
            "He was accompanied by Choe Ryong Hae.",
            "They were accompanied by Kim Yo Jong and Pak Jong Chon.",
            "Accompanying him were Jo Yong Won and Hyon Song Wol.",
            "Accompanying Kim Jong Un was Choe Ryong Hae.",
            "Kim Jong Un fue acompañado por Choe Ryong Hae.",
            "Fueron acompanados por Kim Tok Hun.",
            "Present there were Ri Pyong Chol and Pak Thae Song.",
            "Present at the ceremony was Kim Tok Hun.",
            "Among those present were Jo Yong Won and Ri Il Hwan.",
            "Estuvieron presentes Choe Ryong Hae y Kim Tok Hun.",
            "Attending the meeting were Choe Ryong Hae and Jo Yong Won.",
            "Among the attendants were Kim Tok Hun and Ri Pyong Chol.",
            "Among the attendant was Ri Pyong Chol.",
            "He was seen off at the airport by Choe Son Hui.",
            "The delegation was seen off by Kim Song Nam.",
            "He was greeted at the station by Pak Thae Song.",
            "The delegation was welcomed by Ri Son Gwon.",
            "It was seen off at the Pyongyang airport by Jo Yong Won, greeted by none.",
        ];
        for s in sentences {
            let t = trigger().of(s).find(s).expect(s);
            assert_eq!(Some(kind_of(t.as_str())), by_group(s), "{s}");
        }
    }
}
