//! The gazetteer's multi-pattern search: the same matches as one
//! leftmost-longest Aho-Corasick search over all patterns, found faster on
//! prose.
//!
//! Owns: finding, left to right and without overlaps, the longest pattern
//! at the leftmost position where any pattern starts. Must not touch: what
//! a pattern means (whole words, entries, kinds): that is `mentions`.
//!
//! Why not just `AhoCorasick::find_iter`: with hundreds of patterns no
//! prefilter applies, so its automaton steps through every byte of every
//! article. Nearly all the
//! patterns start with a capital, and a capital starts few bytes of prose.
//! So the patterns are split in two automata:
//! - those whose first byte is not an ASCII lowercase letter, run by a loop
//!   of our own over the crate's automaton that jumps over every byte on
//!   which the automaton would stay in its start state (read off the
//!   automaton itself, so the jump never changes what it finds);
//! - the few that start lowercase (`south Korea`), which the crate searches
//!   with its own prefilter.
//!
//! Their matches are merged as one automaton over all patterns would
//! report them: the leftmost start wins, then the longer match, and the
//! search goes on after it.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::nfa::contiguous::NFA;
use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind};

/// A match: `start..end` in the haystack, and the index of the pattern in
/// the list the scanner was built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    pub start: usize,
    pub end: usize,
    pub pattern: usize,
}

#[derive(Debug, Clone)]
pub(crate) struct Scanner {
    capital: Option<Capital>,
    /// The patterns that start lowercase, and their index in the full list.
    lower: Option<(Lower, Vec<usize>)>,
}

/// The search for the few lowercase-initial patterns.
#[derive(Debug, Clone)]
enum Lower {
    /// The crate's SIMD multi-literal searcher, for a handful of patterns
    /// (the automaton behind its rare-byte prefilter stops at every `s` and
    /// `n` of prose, for `south`/`north`).
    Packed(aho_corasick::packed::Searcher),
    /// Where that searcher is not available (no SIMD, many patterns).
    Automaton(AhoCorasick),
}

/// The automaton of the patterns that do not start lowercase.
#[derive(Debug, Clone)]
struct Capital {
    /// A contiguous NFA rather than the crate's DFA, whose larger tables
    /// miss the cache more often.
    nfa: NFA,
    start: StateID,
    /// Bytes on which the automaton goes from its start state back to it.
    stays: [bool; 256],
    /// Whether every other byte is an ASCII capital or a non-ASCII byte, so
    /// that eight bytes at a time can be tested for one (see `skip`).
    capitals_only: bool,
    /// Pattern index in the full list, by the automaton's pattern id.
    ids: Vec<usize>,
}

impl Scanner {
    /// Empty patterns never match (an empty gazetteer variant is no name).
    /// The error is the automaton crate's, as text.
    pub(crate) fn new<P: AsRef<str>>(patterns: &[P]) -> Result<Scanner, String> {
        let (mut capital, mut lower) = (Vec::new(), Vec::new());
        for (i, p) in patterns.iter().enumerate() {
            let p = p.as_ref();
            match p.as_bytes().first() {
                None => {}
                Some(b) if b.is_ascii_lowercase() => lower.push((i, p)),
                Some(_) => capital.push((i, p)),
            }
        }
        let capital = if capital.is_empty() {
            None
        } else {
            let nfa = aho_corasick::nfa::contiguous::Builder::new()
                .match_kind(MatchKind::LeftmostLongest)
                // The jump below is this search's prefilter.
                .prefilter(false)
                .build(capital.iter().map(|(_, p)| p))
                .map_err(|e| e.to_string())?;
            let start = nfa.start_state(Anchored::No).map_err(|e| e.to_string())?;
            let mut stays = [false; 256];
            for (b, stay) in stays.iter_mut().enumerate() {
                *stay = nfa.next_state(Anchored::No, start, b as u8) == start;
            }
            let capitals_only = (0..=255u8)
                .all(|b| stays[usize::from(b)] || b.is_ascii_uppercase() || !b.is_ascii());
            Some(Capital {
                nfa,
                start,
                stays,
                capitals_only,
                ids: capital.iter().map(|(i, _)| *i).collect(),
            })
        };
        let lower = if lower.is_empty() {
            None
        } else {
            let packed = aho_corasick::packed::Config::new()
                .match_kind(aho_corasick::packed::MatchKind::LeftmostLongest)
                .builder()
                .extend(lower.iter().map(|(_, p)| p))
                .build();
            let search = match packed {
                Some(searcher) => Lower::Packed(searcher),
                // Too many for the packed searcher (Spanish demonyms):
                // every byte of the text goes through this automaton, so
                // the fastest to run, a DFA.
                None => Lower::Automaton(
                    AhoCorasick::builder()
                        .match_kind(MatchKind::LeftmostLongest)
                        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                        .build(lower.iter().map(|(_, p)| p))
                        .map_err(|e| e.to_string())?,
                ),
            };
            Some((search, lower.iter().map(|(i, _)| *i).collect()))
        };
        Ok(Scanner { capital, lower })
    }

    /// Every match in `hay`, left to right, without overlaps.
    #[cfg(test)]
    pub(crate) fn find_all(&self, hay: &str) -> Vec<Found> {
        let mut out = Vec::new();
        self.find_all_into(hay, &mut out);
        out
    }

    /// The same into `out` (cleared first), whose room is reused.
    pub(crate) fn find_all_into(&self, hay: &str, out: &mut Vec<Found>) {
        out.clear();
        let hay = hay.as_bytes();
        let mut at = 0;
        // The next match of each automaton at or after `at`; None once it
        // has none left.
        let mut next_capital = self.capital.as_ref().and_then(|c| c.find(hay, 0));
        let mut next_lower = self.find_lower(hay, 0);
        loop {
            if next_capital.is_some_and(|m| m.start < at) {
                next_capital = self.capital.as_ref().and_then(|c| c.find(hay, at));
            }
            if next_lower.is_some_and(|m| m.start < at) {
                next_lower = self.find_lower(hay, at);
            }
            let m = match (next_capital, next_lower) {
                (None, None) => break,
                (Some(m), None) | (None, Some(m)) => m,
                (Some(c), Some(l)) => {
                    if (c.start, std::cmp::Reverse(c.end)) <= (l.start, std::cmp::Reverse(l.end)) {
                        c
                    } else {
                        l
                    }
                }
            };
            out.push(m);
            at = m.end;
        }
    }

    fn find_lower(&self, hay: &[u8], at: usize) -> Option<Found> {
        let (search, ids) = self.lower.as_ref()?;
        let (start, end, pattern) = match search {
            Lower::Packed(searcher) => {
                let m = searcher.find_in(hay, aho_corasick::Span::from(at..hay.len()))?;
                (m.start(), m.end(), m.pattern())
            }
            Lower::Automaton(ac) => {
                let m = ac.find(Input::new(hay).range(at..))?;
                (m.start(), m.end(), m.pattern())
            }
        };
        Some(Found {
            start,
            end,
            pattern: ids[pattern.as_usize()],
        })
    }
}

impl Capital {
    /// The first byte at or after `at` on which the automaton leaves its
    /// start state. Most bytes of prose keep it there: when only capitals
    /// and non-ASCII bytes can leave it, eight bytes are tested at once and
    /// only those bytes one by one.
    fn skip(&self, hay: &[u8], mut at: usize) -> Option<usize> {
        if self.capitals_only {
            while let Some(block) = hay.get(at..at + 8) {
                let Ok(block) = <[u8; 8]>::try_from(block) else {
                    break;
                };
                let candidates = capital_or_non_ascii(u64::from_le_bytes(block));
                if candidates == 0 {
                    at += 8;
                    continue;
                }
                let k = at + (candidates.trailing_zeros() / 8) as usize;
                if !self.stays[usize::from(hay[k])] {
                    return Some(k);
                }
                at = k + 1;
            }
        }
        hay[at..]
            .iter()
            .position(|&b| !self.stays[usize::from(b)])
            .map(|k| at + k)
    }

    /// The leftmost-longest match starting at or after `at`: the crate's
    /// own forward search (`try_find_fwd`), plus the jump over start-state
    /// bytes.
    fn find(&self, hay: &[u8], mut at: usize) -> Option<Found> {
        let nfa = &self.nfa;
        let mut sid = self.start;
        let mut found = None;
        while at < hay.len() {
            if sid == self.start {
                match self.skip(hay, at) {
                    Some(next) => at = next,
                    // Every byte left keeps the automaton where it is.
                    None => return found,
                }
            }
            sid = nfa.next_state(Anchored::No, sid, hay[at]);
            at += 1;
            if nfa.is_special(sid) {
                if nfa.is_dead(sid) {
                    return found;
                }
                if nfa.is_match(sid) {
                    let pid = nfa.match_pattern(sid, 0);
                    found = Some(Found {
                        start: at - nfa.pattern_len(pid),
                        end: at,
                        pattern: self.ids[pid.as_usize()],
                    });
                }
            }
        }
        found
    }
}

/// The high bit of each byte of `x` that is an ASCII capital or not ASCII.
fn capital_or_non_ascii(x: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    // Each byte's low seven bits plus a constant sets its high bit from a
    // threshold on, without a carry into the next byte.
    let low = x & LOW7;
    let from_a = low + 0x3F3F_3F3F_3F3F_3F3F; // >= b'A'
    let past_z = low + 0x2525_2525_2525_2525; // >= b'Z' + 1
    ((from_a & !past_z) | x) & HIGH
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What one leftmost-longest automaton over all patterns reports.
    fn reference(patterns: &[&str], hay: &str) -> Vec<Found> {
        let kept: Vec<(usize, &str)> = patterns
            .iter()
            .copied()
            .enumerate()
            .filter(|(_, p)| !p.is_empty())
            .collect();
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(kept.iter().map(|(_, p)| p))
            .expect("test patterns build");
        ac.find_iter(hay)
            .map(|m| Found {
                start: m.start(),
                end: m.end(),
                pattern: kept[m.pattern().as_usize()].0,
            })
            .collect()
    }

    fn check(patterns: &[&str], hay: &str) {
        let got = Scanner::new(patterns).expect("builds").find_all(hay);
        assert_eq!(
            got,
            reference(patterns, hay),
            "patterns {patterns:?} in {hay:?}"
        );
    }

    #[test]
    fn finds_what_one_automaton_finds_on_names() {
        let patterns = [
            "Kim Jong Un",
            "Kim Jong",
            "Korea",
            "Korean",
            "south Korea",
            "south Korean",
            "north Korea",
            "DPRK",
            "Democratic People's Republic of Korea",
            "U.S.",
            "traitor Lee",
            "Lee",
            "",
            "Republic of Korea",
        ];
        for hay in [
            "Kim Jong Un met the south Korean delegation in Pyongyang.",
            "The south Korea puppets and traitor Lee Myung Bak, said the DPRK.",
            "Democratic People's Republic of Korea and the Republic of Korea",
            "southKorea south Koreans Koreans Korean-style U.S. U.S",
            "Kim Jong Kim Jong Un Kim Jong U",
            "",
            "no capital letters at all here",
            "ÉKorea Korea’s “DPRK” traitor Leet",
        ] {
            check(&patterns, hay);
        }
    }

    #[test]
    fn a_lowercase_pattern_overlapping_a_capital_one_is_merged_as_one_automaton_would() {
        // `south Korea` starts first and wins; `Korea Bay` inside it is
        // never reported, and `Bay of Korea` after it is.
        check(
            &["Korea Bay", "south Korea", "Bay of Korea", "a Bay"],
            "the south Korea Bay of Korea a Bay",
        );
        // Same start: the longer wins, whichever automaton holds it.
        check(&["so", "soX", "sou"], "sou soX so");
        check(&["Ab", "abc", "b"], "abc Ab b");
    }

    #[test]
    fn eight_bytes_at_a_time_flag_exactly_the_capitals_and_non_ascii_bytes() {
        crate::text::each_byte_in_each_lane(b'x', |b, at, block| {
            let flagged = capital_or_non_ascii(u64::from_le_bytes(block));
            let expected = if b.is_ascii_uppercase() || !b.is_ascii() {
                0x80u64 << (8 * at)
            } else {
                0
            };
            assert_eq!(flagged, expected, "byte {b:#x} at {at}");
        });
        // A pattern that starts with a digit turns the block test off, and
        // is still found.
        check(&["1st Corps", "Corps"], "the 1st Corps and the Corps");
    }

    #[test]
    fn random_texts_match_the_reference() {
        // A small deterministic generator: texts and patterns drawn from an
        // alphabet where overlaps are common.
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let alphabet = ["a", "b", "A", "B", " ", "é", "s", "K", "'"];
        let draw = |len: usize, next: &mut dyn FnMut(usize) -> usize| -> String {
            (0..len).map(|_| alphabet[next(alphabet.len())]).collect()
        };
        for _ in 0..3000 {
            let n = 1 + next(6);
            let patterns: Vec<String> = (0..n).map(|_| draw(1 + next(4), &mut next)).collect();
            let hay = draw(next(40), &mut next);
            let refs: Vec<&str> = patterns.iter().map(String::as_str).collect();
            check(&refs, &hay);
        }
    }
}
