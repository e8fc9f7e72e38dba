//! Entourage order: the ordered list of people in sentences like "He was
//! accompanied by A, B and C", "Accompanying him were ...", "Present there
//! were ...", "Attending the ... were ...". Analysts read rank from order.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;
use serde::{Deserialize, Serialize};

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

fn trigger() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"(?x)
             (?P<acc>(?-u:\b)(?:was|were)\s+accompanied\s+by\s|^Accompanying\s+[^,.;]{0,60}?\s*(?-u:\b)(?:was|were)\s|(?-u:\b)acompa(?:ñ|n)ad[oa]s?\s+por\s)
            |(?P<pres>^Present\s+[^;]{0,120}?(?-u:\b)(?:was|were)\s|^Among\s+those\s+present\s+(?:was|were)\s|^Estuvieron\s+presentes\s)
            |(?P<att>^Attending\s+[^;]{0,120}?(?-u:\b)(?:was|were)\s|^Among\s+the\s+attendants?\s+(?:was|were)\s)
            |(?P<seen>(?-u:\b)seen\s+off\s+(?:at\s+[^,.;]{0,40}?\s+)?by\s)
            |(?P<greet>(?-u:\b)(?:greeted|welcomed)\s+(?:at\s+[^,.;]{0,40}?\s+)?by\s)",
        )
        .expect("static regex")
    })
}

fn prefilter() -> &'static AhoCorasick {
    static A: OnceLock<AhoCorasick> = OnceLock::new();
    // Leftmost-first (same answer for `is_match`) lets the searcher use its
    // SIMD packed prefilter; standard semantics walk the automaton byte by
    // byte, which made this check a tenth of the analysis.
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

pub fn find_entourages(mentions: &[Mention], paragraphs: &[String]) -> Vec<Entourage> {
    let mut out = Vec::new();
    for (pi, text) in paragraphs.iter().enumerate() {
        // Cheap filter before sentence splitting: most paragraphs have no list.
        if !prefilter().is_match(text) {
            continue;
        }
        for sent in sentences(text) {
            let s = &text[sent.clone()];
            let Some(c) = trigger().captures(s) else {
                continue;
            };
            let Some(t) = c.get(0) else {
                continue;
            };
            let kind = if c.name("acc").is_some() {
                ListKind::Accompanying
            } else if c.name("pres").is_some() {
                ListKind::Present
            } else if c.name("att").is_some() {
                ListKind::Attending
            } else if c.name("seen").is_some() {
                ListKind::SeeingOff
            } else {
                ListKind::Greeting
            };
            let (start, end) = (sent.start + t.end(), sent.end);
            let mut people: Vec<String> = Vec::new();
            for m in mentions {
                if m.paragraph == Some(pi)
                    && m.kind == EntityKind::Person
                    && m.start >= start
                    && m.end <= end
                    && !people.contains(&m.canonical)
                {
                    people.push(m.canonical.clone());
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
