//! Korean names no list knows, in Hangul text: a surname syllable and two
//! given-name syllables at the start of an eojeol (a run of Hangul:
//! Korean writes particles onto the word, `최영도동지를`), next to a form
//! of address or a title:
//!
//! - directly before `동지`/`동무` (comrade), written onto it:
//!   `최영도동지를`;
//! - directly before a title, written onto it: `김정은위원장`;
//! - right after a title, one space apart, followed by nothing or a
//!   particle: `총리 박봉주는`, `부의장 홍봉수 동지`.
//!
//! One space before `동지` or a title is not enough: an adjective stands
//! there as often as a name (`위대한 원수`, `진정한 동지`).
//!
//! Precision first: the name must start its eojeol, be exactly three
//! syllables, not be a common noun shaped like a name (`지도자동지`:
//! 지 is a surname), and not end in a particle syllable (`민족의 원수`).
//! The mention covers the name only; its canonical form is the
//! gazetteer's when one lists it, else the DPRK romanization (`최영도` →
//! `Choe Yong Do`), which meets the name's English mentions.
//!
//! Owns: where such a name starts and ends. Must not touch: gazetteer
//! matches (a name is added only where no other mention is).

use std::sync::Arc;

use super::{overlaps, Matcher, Mention, Source};
use crate::gazetteer::EntityKind;
use crate::hangul::{is_syllable, romanize_name, surname};

/// Forms of address a name is written directly before.
const ADDRESS: &[&str] = &["동지", "동무"];

/// Titles written right before or after a name.
const TITLES: &[&str] = &[
    "국방위원장",
    "부위원장",
    "위원장",
    "총비서",
    "대원수",
    "원수",
    "총리",
    "부주석",
    "주석",
    "부의장",
    "의장",
];

/// Endings a name is followed by after a title (`총리 박봉주는`).
const PARTICLES: &[&str] = &[
    "께서는",
    "께서",
    "에게",
    "께",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "의",
    "와",
    "과",
    "도",
    "만",
    "에",
];

/// Three-syllable words that start with a surname syllable and stand
/// where a name would (`지도자동지`, `사령관동지`).
const NOT_NAMES: &[&str] = &[
    "지도자",
    "령도자",
    "사령관",
    "대의원",
    "위원장",
    "로동자",
    "지휘관",
    "정치인",
    "기술자",
    "과학자",
    "전투원",
    "참모장",
    "선생님",
    "조선인",
    "한마음",
    "동지들",
    "전사들",
    "주인공",
    "고사령",
    "남조선",
    "정치위",
    "조직비",
    "선전비",
    "최고사",
    "최고령",
    "장군님",
    "원수님",
    "하사관",
    "부사관",
    "전투동",
    "혁명동",
    "선군혁",
    "대원수",
    "부원수",
];

/// Syllables that end particles rather than names.
const PARTICLE_ENDS: &[char] = &['의', '을', '를', '에', '와', '과', '들', '는', '데'];

/// Syllables that end modifiers (`위대한`, `영광스러운`), read as no name
/// after a title.
const MODIFIER_ENDS: &[char] = &['한', '된', '던', '할', '될', '운', '인', '은'];

/// A run of Hangul syllables: byte range.
#[derive(Debug, Clone, Copy)]
struct Run {
    start: usize,
    end: usize,
}

fn runs(text: &str) -> Vec<Run> {
    let mut out = Vec::new();
    let mut cur: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match (is_syllable(c), cur) {
            (true, None) => cur = Some(i),
            (false, Some(s)) => {
                out.push(Run { start: s, end: i });
                cur = None;
            }
            _ => {}
        }
    }
    if let Some(s) = cur {
        out.push(Run {
            start: s,
            end: text.len(),
        });
    }
    out
}

fn starts_with_any<'a>(s: &str, list: &[&'a str]) -> Option<&'a str> {
    list.iter().copied().find(|w| s.starts_with(w))
}

fn ends_with_any(s: &str, list: &[&str]) -> bool {
    list.iter().any(|w| s.ends_with(w))
}

impl Matcher {
    /// Korean names by the pattern above, in text holding Hangul.
    pub(super) fn hangul_names(
        &self,
        text: &str,
        para: Option<usize>,
        spans: &mut Vec<(usize, usize)>,
        out: &mut Vec<Mention>,
    ) {
        let rs = runs(text);
        for (k, r) in rs.iter().enumerate() {
            let run = &text[r.start..r.end];
            // The run must start a word: no letter or digit right before.
            if text[..r.start]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
            {
                continue;
            }
            let mut cs = run.char_indices();
            let Some((_, first)) = cs.next() else {
                continue;
            };
            if surname(first).is_none() {
                continue;
            }
            // Surname and two given-name syllables (Hangul syllables are
            // three bytes each).
            let name_end = match cs.nth(2) {
                Some((i, _)) => i,
                None if run.chars().count() == 3 => run.len(),
                None => continue,
            };
            let name = &run[..name_end];
            let rest = &run[name_end..];
            if NOT_NAMES.contains(&name)
                || name
                    .chars()
                    .last()
                    .is_some_and(|c| PARTICLE_ENDS.contains(&c))
            {
                continue;
            }
            // The previous run, one space before this one.
            let prev = k
                .checked_sub(1)
                .and_then(|p| rs.get(p))
                .filter(|p| r.start == p.end + 1 && text.as_bytes().get(p.end) == Some(&b' '))
                .map(|p| &text[p.start..p.end]);
            // Written onto the name only: one space apart, an adjective
            // stands there as often (`위대한 원수`, `진정한 동지`).
            let before_address = starts_with_any(rest, ADDRESS).is_some();
            let before_title = starts_with_any(rest, TITLES).is_some();
            // After a title, a modifier stands where a name would
            // (`원수 진정한 ...`): none of their endings.
            let after_title = prev.is_some_and(|p| ends_with_any(p, TITLES))
                && (rest.is_empty() || PARTICLES.contains(&rest))
                && !name
                    .chars()
                    .last()
                    .is_some_and(|c| MODIFIER_ENDS.contains(&c));
            if !(before_address || before_title || after_title) {
                continue;
            }
            let (s, e) = (r.start, r.start + name_end);
            if overlaps(spans, s, e) {
                continue;
            }
            let Some(roman) = romanize_name(name) else {
                continue;
            };
            let canonical = self
                .known_person(name)
                .or_else(|| self.known_person(&roman))
                .unwrap_or_else(|| Arc::from(roman.as_str()));
            spans.push((s, e));
            out.push(Mention::new(
                EntityKind::Person,
                canonical,
                para,
                s,
                e,
                Source::KoreanName,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Analyzer, EntityKind};

    /// (canonical, surface) of the people found in one paragraph.
    fn people(text: &str) -> Vec<(String, String)> {
        let a = Analyzer::new().expect("embedded gazetteers");
        let paragraphs = vec![text.to_string()];
        a.analyze_parts("", &paragraphs, None)
            .mentions
            .iter()
            .filter(|m| m.kind == EntityKind::Person)
            .map(|m| {
                (
                    m.canonical.to_string(),
                    m.surface("", &paragraphs).to_string(),
                )
            })
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn listed_names_take_particles_and_meet_their_english_form() {
        assert_eq!(
            people("경애하는 김정은동지의 령도따라 최룡해동지께서는 김일성광장에서 연설하였다."),
            pairs(&[("Kim Jong Un", "김정은"), ("Choe Ryong Hae", "최룡해")])
        );
        // Inside the names of works and doctrines: nobody.
        assert!(people("『김일성저작집』과 김일성 - 김정일주의, 김일성종합대학").is_empty());
        // A name glued after another word is not read.
        assert!(people("최김정은동지").is_empty());
    }

    #[test]
    fn unknown_names_next_to_comrade_or_a_title_are_romanized() {
        assert_eq!(
            people("혁명투사 김종태동지와 최영도동지를 비롯한 부의장 홍봉수 동지"),
            pairs(&[
                ("Kim Jong Thae", "김종태"),
                ("Choe Yong Do", "최영도"),
                ("Hong Pong Su", "홍봉수"),
            ])
        );
        assert_eq!(
            people("내각 총리 한광상은 말하였다."),
            pairs(&[("Han Kwang Sang", "한광상")])
        );
        // Words shaped like names: a common noun, a particle, no context.
        assert!(people("지도자동지 민족의 원수 한마음동지 김치를 먹었다").is_empty());
        // One space before a title or 동지: an adjective as often as a name.
        assert!(people("위대한 원수 진정한 동지 하사관동무").is_empty());
    }

    #[test]
    fn any_spelling_asks_for_the_stored_name() {
        let a = Analyzer::new().expect("embedded gazetteers");
        for (asked, stored) in [
            ("김일성", "Kim Il Sung"),
            ("Kim Il-sung", "Kim Il Sung"),
            ("kim il sung", "Kim Il Sung"),
            ("Ch'oe Ryong-hae", "Choe Ryong Hae"),
            ("Choe Ryong-hae", "Choe Ryong Hae"),
            ("최룡해", "Choe Ryong Hae"),
            ("Kim Jeong-eun", "Kim Jong Un"),
            ("최영도", "Choe Yong Do"),
            ("Choe Yong-do", "Choe Yong Do"),
            ("Barack Obama", "Barack Obama"),
            ("Someone Unknown", "Someone Unknown"),
        ] {
            assert_eq!(a.person_name(asked), stored, "{asked}");
        }
    }
}
