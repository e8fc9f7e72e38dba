//! The word lists compiled for lookup, once per [`crate::Analyzer`]: the
//! tests the rules ask of a word (a surname? a role? a romanized syllable?)
//! and the honorifics in the order they are tried.
//!
//! Owns: the lookup structures and their answers. Must not touch: parsing
//! and user files (that is [`crate::wordlists`]) or what the rules do with
//! an answer.

use std::collections::{HashMap, HashSet};

use crate::wordlists::{List, TitleKindRule, WordLists};

/// The word sets are probed for every capitalized word, where SipHash's
/// setup dominates such short keys.
pub(crate) type FastHash = rustc_hash::FxBuildHasher;

/// Initials, vowels (with glides) and finals of a romanized syllable as
/// these outlets print it: a grammar, not a list to edit.
const INITIALS: &[&str] = &[
    "kk", "tt", "pp", "ss", "jj", "ch", "th", "kh", "ph", "sh", "k", "n", "t", "d", "r", "l", "m",
    "p", "b", "s", "j", "h", "g", "",
];
const VOWELS: &[&str] = &[
    "yae", "wae", "yeo", "ae", "ya", "yo", "yu", "wa", "wo", "we", "wi", "ui", "oe", "eo", "eu",
    "ye", "a", "e", "i", "o", "u",
];
const FINALS: &[&str] = &["ng", "k", "n", "l", "m", "p", "t", "g", ""];

/// Syllables longer than this are not read as one.
const SYLLABLE_MAX: usize = 6;

/// A set of words with a filter in front: most words asked about (every
/// capitalized word, the words after every comma) have a first byte and
/// length no listed word has, which one bit tells without hashing.
#[derive(Debug, Clone)]
pub(crate) struct WordSet {
    words: HashSet<Box<str>, FastHash>,
    /// Each word starting with an ASCII letter, that letter in the other
    /// case (`Ambassador` → `ambassador`): a word is looked up in the case
    /// it is not printed in without copying it.
    other_case: HashSet<Box<str>, FastHash>,
    /// Bit `n` of entry `b` is set when a word starts with the ASCII byte
    /// `b` and is `n` bytes long.
    shapes: Box<[u64; 128]>,
    /// Whether some word falls outside the table (a non-ASCII first byte, or
    /// 64 bytes or more).
    others: bool,
}

impl WordSet {
    fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> WordSet {
        let mut set = WordSet {
            words: HashSet::default(),
            other_case: HashSet::default(),
            shapes: Box::new([0; 128]),
            others: false,
        };
        for w in words {
            match w.as_bytes().first() {
                Some(&b) if b < 128 && w.len() < 64 => set.shapes[usize::from(b)] |= 1 << w.len(),
                Some(_) => set.others = true,
                None => continue,
            }
            let first = w.as_bytes()[0];
            if first.is_ascii_alphabetic() {
                let swapped = if first.is_ascii_uppercase() {
                    first.to_ascii_lowercase()
                } else {
                    first.to_ascii_uppercase()
                };
                let mut other = String::with_capacity(w.len());
                other.push(char::from(swapped));
                other.push_str(&w[1..]);
                set.other_case.insert(other.into());
            }
            set.words.insert(w.into());
        }
        set
    }

    pub(crate) fn contains(&self, w: &str) -> bool {
        self.may_hold(w.as_bytes().first().copied(), w.len()) && self.words.contains(w)
    }

    /// Whether a word of this first byte and length may be in the set.
    fn may_hold(&self, first: Option<u8>, len: usize) -> bool {
        match first {
            Some(b) if b < 128 && len < 64 => self.shapes[usize::from(b)] >> len & 1 == 1,
            Some(_) => self.others,
            None => false,
        }
    }

    /// Whether `w` with its first letter in upper case is in the set; a
    /// copy is made only of a word not starting with an ASCII letter.
    pub(crate) fn contains_capitalized(&self, w: &str) -> bool {
        match w.as_bytes().first() {
            Some(b) if b.is_ascii_lowercase() => {
                self.may_hold(Some(b.to_ascii_uppercase()), w.len()) && self.other_case.contains(w)
            }
            Some(b) if b.is_ascii() => self.contains(w),
            _ => self.words.contains(crate::text::upper_first(w).as_str()),
        }
    }

    /// Whether `w` with its first letter in lower case is in the set (see
    /// [`WordSet::contains_capitalized`]).
    pub(crate) fn contains_lowered(&self, w: &str) -> bool {
        match w.as_bytes().first() {
            Some(b) if b.is_ascii_uppercase() => {
                self.may_hold(Some(b.to_ascii_lowercase()), w.len()) && self.other_case.contains(w)
            }
            Some(b) if b.is_ascii() => self.contains(w),
            _ => self.words.contains(crate::text::lower_first(w).as_str()),
        }
    }
}

/// One title printed before a name.
#[derive(Debug, Clone)]
pub(crate) struct Honorific {
    pub form: Box<str>,
    pub title: Box<str>,
    pub kind: TitleKindRule,
    /// The form's last byte: most texts before a name end in no title, and
    /// this rules nearly every form out before a compare.
    pub last: u8,
}

/// What an institution word makes the thing a name is part of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum InstitutionKind {
    Organization,
    Place,
    /// No entity (a prize, a medal).
    Other,
    /// Inside such a name, never its last word (`Socialist Youth League`).
    Modifier,
}

/// The compiled word lists. Built by [`Lexicon::new`]; cheap to query.
#[derive(Debug, Clone)]
pub struct Lexicon {
    surnames: WordSet,
    chinese_surnames: WordSet,
    /// Every romanized syllable, lower-cased and packed in a `u64` (see
    /// `pack`), less the words that only look like one.
    syllables: HashSet<u64, FastHash>,
    /// The syllables taken out of `syllables` for looking like English
    /// words (`In`, `So`, `Gun`): still read as syllables where the
    /// context says a name is printed (a list of names).
    english_shaped: HashSet<u64, FastHash>,
    /// Institution word → what it makes the name's thing, and whether it
    /// is printed before the name.
    institution_words: HashMap<Box<str>, (InstitutionKind, bool), FastHash>,
    role_words: WordSet,
    non_name_words: WordSet,
    name_particles: WordSet,
    given_names: WordSet,
    pub(crate) title_words: Vec<Box<str>>,
    /// `title_words` as a set, for lookups by word.
    title_word_set: WordSet,
    /// Longest first, so that the first form that matches is the longest.
    pub(crate) honorifics: Vec<Honorific>,
}

impl Lexicon {
    pub fn new(w: &WordLists) -> Lexicon {
        let mut syllables = HashSet::with_capacity_and_hasher(
            INITIALS.len() * VOWELS.len() * FINALS.len(),
            FastHash::default(),
        );
        for ini in INITIALS {
            for v in VOWELS {
                for fin in FINALS {
                    if let Some(key) = pack_parts(&[ini, v, fin]) {
                        syllables.insert(key);
                    }
                }
            }
        }
        let mut english_shaped = HashSet::with_hasher(FastHash::default());
        for not in w.words(List::NotSyllables) {
            if let Some(key) = pack(not) {
                if syllables.remove(&key) {
                    english_shaped.insert(key);
                }
            }
        }
        let mut honorifics: Vec<Honorific> = w
            .honorifics()
            .filter_map(|(form, title)| {
                Some(Honorific {
                    last: *form.as_bytes().last()?,
                    form: form.into(),
                    title: title.into(),
                    kind: w.honorific_kind(form),
                })
            })
            .collect();
        honorifics.sort_by_key(|h| std::cmp::Reverse(h.form.len()));
        Lexicon {
            surnames: WordSet::new(w.words(List::Surnames)),
            chinese_surnames: WordSet::new(w.words(List::ChineseSurnames)),
            syllables,
            english_shaped,
            institution_words: w
                .institution_words()
                .map(|(word, k)| {
                    let k = k.unwrap_or("");
                    let kind = match k.split(' ').next().unwrap_or("") {
                        "place" => InstitutionKind::Place,
                        "other" => InstitutionKind::Other,
                        "modifier" => InstitutionKind::Modifier,
                        _ => InstitutionKind::Organization,
                    };
                    (Box::from(word), (kind, k.ends_with("before")))
                })
                .collect(),
            role_words: WordSet::new(w.words(List::RoleWords)),
            non_name_words: WordSet::new(w.words(List::NonNameWords)),
            name_particles: WordSet::new(w.words(List::NameParticles)),
            given_names: WordSet::new(w.words(List::GivenNames)),
            title_words: w.words(List::TitleWords).map(Box::from).collect(),
            title_word_set: WordSet::new(w.words(List::TitleWords)),
            honorifics,
        }
    }

    pub(crate) fn is_surname(&self, w: &str) -> bool {
        self.surnames.contains(w)
    }

    pub(crate) fn is_chinese_surname(&self, w: &str) -> bool {
        self.chinese_surnames.contains(w)
    }

    /// What an institution word (`institution-words.tsv`) makes the thing
    /// a name is part of, and whether it is printed before the name.
    pub(crate) fn institution(&self, w: &str) -> Option<(InstitutionKind, bool)> {
        self.institution_words.get(w).copied()
    }

    pub(crate) fn is_non_name_word(&self, w: &str) -> bool {
        self.non_name_words.contains(w)
    }

    /// A listed title word (`President`), as printed.
    pub(crate) fn is_title_word(&self, w: &str) -> bool {
        self.title_word_set.contains(w)
    }

    /// A listed title word or role word printed in the other case
    /// (`president`, `Ambassador`), or a role word as printed.
    pub(crate) fn is_title_or_role_any_case(&self, w: &str) -> bool {
        if self.is_role_word(w) || self.title_word_set.contains_capitalized(w) {
            return true;
        }
        match w.as_bytes().first() {
            // Printed in lower case: `is_role_word` above read it so.
            Some(b) if b.is_ascii_lowercase() => false,
            Some(b) if b.is_ascii_uppercase() && !w.contains('-') => {
                self.role_words.contains_lowered(w)
            }
            _ => self.is_role_word(&crate::text::lower_first(w)),
        }
    }

    pub(crate) fn is_given_name(&self, w: &str) -> bool {
        self.given_names.contains(w)
    }

    pub(crate) fn is_particle(&self, w: &str) -> bool {
        self.name_particles.contains(w)
    }

    /// A role word as an appositive prints it: in lower case (a capitalized
    /// word there is more often the next name or an institution), listed,
    /// or hyphenated with a listed last part (`ex-minister`).
    pub(crate) fn is_role_word(&self, w: &str) -> bool {
        let lowercase = match w.as_bytes().first() {
            Some(b) if b.is_ascii() => b.is_ascii_lowercase(),
            _ => w.chars().next().is_some_and(|c| c.is_lowercase()),
        };
        if !lowercase {
            return false;
        }
        self.role_words.contains(w)
            || (w.as_bytes().contains(&b'-')
                && w.rsplit('-')
                    .next()
                    .is_some_and(|last| self.role_words.contains(last)))
    }

    /// A romanized Korean syllable as these outlets print it: capitalized,
    /// an optional initial, a vowel (with glide), an optional final.
    pub(crate) fn is_syllable(&self, w: &str) -> bool {
        if w.len() > SYLLABLE_MAX
            || !w.as_bytes().first().is_some_and(|b| b.is_ascii_uppercase())
            || !w.is_ascii()
        {
            return false;
        }
        pack(w).is_some_and(|key| self.syllables.contains(&key))
    }

    /// Whether `w` is a capitalized romanized syllable, counting those
    /// that also spell an English word (`not-syllables.tsv`).
    pub(crate) fn is_any_syllable(&self, w: &str) -> bool {
        self.is_syllable(w)
            || (w.len() <= SYLLABLE_MAX
                && w.as_bytes().first().is_some_and(|b| b.is_ascii_uppercase())
                && w.is_ascii()
                && pack(w).is_some_and(|key| self.english_shaped.contains(&key)))
    }
}

/// An ASCII word of up to eight bytes, lower-cased, as one number (unique:
/// no byte of such a word is zero), so that a lookup hashes one integer
/// and copies nothing.
fn pack(w: &str) -> Option<u64> {
    pack_parts(&[w])
}

/// [`pack`] of the parts written one after the other.
fn pack_parts(parts: &[&str]) -> Option<u64> {
    let mut buf = [0u8; 8];
    for (n, &b) in parts.iter().flat_map(|p| p.as_bytes()).enumerate() {
        if b == 0 || !b.is_ascii() {
            return None;
        }
        *buf.get_mut(n)? = b.to_ascii_lowercase();
    }
    Some(u64::from_le_bytes(buf))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> Lexicon {
        Lexicon::new(&WordLists::embedded().unwrap())
    }

    #[test]
    fn the_shape_filter_answers_as_the_set() {
        let w = WordLists::embedded().unwrap();
        let lex = Lexicon::new(&w);
        for role in w.words(List::RoleWords) {
            // The shipped roles all take the table's fast path.
            assert!(
                role.as_bytes()[0].is_ascii_lowercase() && role.len() < 64,
                "{role}"
            );
            assert!(lex.is_role_word(role), "{role}");
            if !role.contains('-') {
                assert!(lex.is_role_word(&format!("ex-{role}")), "{role}");
            }
        }
        let roles: HashSet<&str> = w.words(List::RoleWords).collect();
        let text = "the secretary, a deputy-director of the vice-premier and mp, \
                    éditeur, médico-director, head of State, Chairman, chairmen, x-ray";
        for word in text.split([' ', ',']).filter(|w| !w.is_empty()) {
            let by_set = word.chars().next().is_some_and(char::is_lowercase)
                && (roles.contains(word)
                    || (word.contains('-')
                        && word.rsplit('-').next().is_some_and(|l| roles.contains(l))));
            assert_eq!(lex.is_role_word(word), by_set, "{word}");
        }
        assert!(lex.is_role_word("médico-director") && !lex.is_role_word("chairmen"));
        // Words outside the table (non-ASCII first byte, 64 bytes or more).
        let odd = ["élu", "ünter", &"x".repeat(70)];
        let set = WordSet::new(odd.iter().copied().chain(["a", "bc"]));
        for w in odd.iter().copied().chain(["a", "bc"]) {
            assert!(set.contains(w), "{w}");
        }
        for w in ["", "b", "él", "ab", &"x".repeat(69)] {
            assert!(!set.contains(w), "{w}");
        }
    }

    #[test]
    fn syllables() {
        let lex = lexicon();
        for s in [
            "Jong", "Un", "Il", "Sung", "Ryong", "Hae", "Yo", "Thae", "Song", "Gyong", "Thaek",
            "Hui", "O", "U", "Chaek", "Hwan", "Myung", "Bak", "Kyu", "Rip",
        ] {
            assert!(lex.is_syllable(s), "{s}");
        }
        for s in [
            "University",
            "Square",
            "Sends",
            "The",
            "And",
            "Bank",
            "Visits",
            "jong",
            "Men",
            "Ham",
            "Sin",
        ] {
            assert!(!lex.is_syllable(s), "{s}");
        }
    }

    #[test]
    fn packed_words_are_one_number_each() {
        assert_eq!(pack("Jong"), pack_parts(&["j", "o", "ng"]));
        assert_ne!(pack("jong"), pack("jon"));
        assert_eq!(pack("abcdefgh").map(u64::to_le_bytes), Some(*b"abcdefgh"));
        assert_eq!(pack("abcdefghi"), None);
        assert_eq!(pack("é"), None);
    }

    #[test]
    fn the_longest_honorific_is_tried_first() {
        let lex = lexicon();
        let pos = |f: &str| lex.honorifics.iter().position(|h| &*h.form == f).unwrap();
        assert!(pos("dear respected Comrade") < pos("respected Comrade"));
        assert!(pos("respected Comrade") < pos("Comrade"));
        assert!(pos("Vice-Minister") < pos("Minister"));
        let hi = &lex.honorifics[pos("HE")];
        assert_eq!((&*hi.title, hi.last), ("His Excellency", b'E'));
    }
}
