//! Small text helpers: word boundaries, words, sentences. Everything works on
//! byte offsets into the original text so that spans stay exact.

use std::ops::Range;

/// True when no letter or digit touches `start..end` on either side.
pub fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text.get(..start).and_then(|s| s.chars().next_back());
    let after = text.get(end..).and_then(|s| s.chars().next());
    !before.is_some_and(|c| c.is_alphanumeric()) && !after.is_some_and(|c| c.is_alphanumeric())
}

/// A word: a maximal run of letters (ASCII or not) with inner hyphens and
/// apostrophes (`Al-Assad`, `People's`). A trailing possessive `'s`/`’s`
/// is kept outside the word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    pub start: usize,
    pub end: usize,
}

impl Word {
    pub fn as_str<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// Splits `text` into words (letters only; digits and punctuation separate).
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::with_capacity(text.len() / 5);
    if text.is_ascii() {
        ascii_words(text.as_bytes(), &mut out);
    } else {
        any_words(text, &mut out);
    }
    out
}

/// [`words`] of ASCII text, 64 bytes at a time: a bit a byte says whether
/// it is a letter, and whether a joiner; a joiner between two letters is
/// inside a word, and each change of "inside a word" from one byte to the
/// next starts or ends one. (Every article is split into words, so the
/// bytes are not tested one by one.)
fn ascii_words(b: &[u8], out: &mut Vec<Word>) {
    let (mut letters, mut joiners) = letters_and_joiners(b, 0);
    // Of the byte before the block.
    let (mut letter_before, mut in_word_before) = (false, false);
    let mut start = 0;
    let mut at = 0;
    while at < b.len() {
        let (next_letters, next_joiners) = letters_and_joiners(b, at + 64);
        let after_letter = (letters << 1) | u64::from(letter_before);
        let before_letter = (letters >> 1) | (next_letters << 63);
        let in_word = letters | (joiners & after_letter & before_letter);
        let mut changes = in_word ^ ((in_word << 1) | u64::from(in_word_before));
        while changes != 0 {
            let k = changes.trailing_zeros();
            if in_word >> k & 1 == 1 {
                start = at + k as usize;
            } else {
                push_ascii_word(b, start, at + k as usize, out);
            }
            changes &= changes - 1;
        }
        letter_before = letters >> 63 == 1;
        in_word_before = in_word >> 63 == 1;
        (letters, joiners) = (next_letters, next_joiners);
        at += 64;
    }
    if in_word_before {
        push_ascii_word(b, start, b.len(), out);
    }
}

/// Adds the word `b[start..end]`, without a possessive `'s`.
fn push_ascii_word(b: &[u8], start: usize, end: usize, out: &mut Vec<Word>) {
    let possessive = end >= start + 3 && &b[end - 2..end] == b"'s";
    out.push(Word {
        start,
        end: if possessive { end - 2 } else { end },
    });
}

/// One bit a byte of the 64 bytes of `b` from `at` (none past its end):
/// the ASCII letters, and the joiners (`-`, `'`).
fn letters_and_joiners(b: &[u8], at: usize) -> (u64, u64) {
    match b
        .get(at..at + 64)
        .and_then(|c| <&[u8; 64]>::try_from(c).ok())
    {
        Some(block) => block_letters_and_joiners(block),
        None => {
            let mut padded = [0u8; 64];
            let tail = b.get(at..).unwrap_or(&[]);
            padded[..tail.len()].copy_from_slice(tail);
            block_letters_and_joiners(&padded)
        }
    }
}

/// [`letters_and_joiners`] of one block, sixteen bytes at a time with
/// SSE2 (part of every x86-64 target), where the eight-bytes-at-a-time
/// bit tricks would cost more than they save.
#[cfg(target_arch = "x86_64")]
fn block_letters_and_joiners(block: &[u8; 64]) -> (u64, u64) {
    // SAFETY: SSE2 is part of the x86-64 baseline: every x86-64 CPU has it.
    unsafe { block_letters_and_joiners_sse2(block) }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn block_letters_and_joiners_sse2(block: &[u8; 64]) -> (u64, u64) {
    use std::arch::x86_64::{
        __m128i, _mm_add_epi8, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8,
        _mm_or_si128, _mm_set1_epi8,
    };
    let (mut letters, mut joiners) = (0u64, 0u64);
    for k in 0..4 {
        // SAFETY: the sixteen bytes read are inside `block`, and the load
        // has no alignment requirement.
        let v = unsafe { _mm_loadu_si128(block.as_ptr().add(16 * k).cast::<__m128i>()) };
        // Lower-cased and moved so that `a`..=`z` are the 26 lowest signed
        // byte values.
        let moved = _mm_add_epi8(
            _mm_or_si128(v, _mm_set1_epi8(0x20)),
            _mm_set1_epi8(0x80u8.wrapping_sub(b'a') as i8),
        );
        let letter = _mm_cmplt_epi8(moved, _mm_set1_epi8((0x80u8 + 26) as i8));
        let joiner = _mm_or_si128(
            _mm_cmpeq_epi8(v, _mm_set1_epi8(b'-' as i8)),
            _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\'' as i8)),
        );
        letters |= u64::from(_mm_movemask_epi8(letter) as u16) << (16 * k);
        joiners |= u64::from(_mm_movemask_epi8(joiner) as u16) << (16 * k);
    }
    (letters, joiners)
}

/// [`letters_and_joiners`] of one block, eight bytes at a time.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn block_letters_and_joiners_swar(block: &[u8; 64]) -> (u64, u64) {
    let (mut letters, mut joiners) = (0, 0);
    for (k, eight) in block.chunks_exact(8).enumerate() {
        let mut x = [0u8; 8];
        x.copy_from_slice(eight);
        let x = u64::from_le_bytes(x);
        letters |= one_bit_a_byte(ascii_letters(x)) << (8 * k);
        joiners |= one_bit_a_byte(bytes_equal(x, b'-') | bytes_equal(x, b'\'')) << (8 * k);
    }
    (letters, joiners)
}

#[cfg(not(target_arch = "x86_64"))]
fn block_letters_and_joiners(block: &[u8; 64]) -> (u64, u64) {
    block_letters_and_joiners_swar(block)
}

/// The high bit of each byte of `x` that equals `c`.
fn bytes_equal(x: u64, c: u8) -> u64 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let zero_where_equal = x ^ (u64::from(c) * 0x0101_0101_0101_0101);
    // A byte's low seven bits plus 0x7F set its high bit unless all are
    // zero; no carry crosses into the next byte.
    !(((zero_where_equal & LOW7) + LOW7) | zero_where_equal | LOW7)
}

/// The high bits of the eight bytes of `flags` as the eight low bits.
fn one_bit_a_byte(flags: u64) -> u64 {
    // Each flag, moved to the bottom of its byte, is multiplied to one bit
    // of the top byte; the other products fall outside it.
    (((flags >> 7) & 0x0101_0101_0101_0101).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// [`words`] of any text.
fn any_words(text: &str, out: &mut Vec<Word>) {
    let b = text.as_bytes();
    let n = b.len();
    // Runs over every article: ASCII letters and separators are tested
    // byte by byte in tight loops; only a non-ASCII byte decodes a char.
    let mut i = 0;
    while i < n {
        i = next_letter_or_non_ascii(b, i);
        let Some(&c) = b.get(i) else { break };
        let first = if c.is_ascii_alphabetic() {
            1
        } else if c < 0x80 {
            i += 1;
            continue;
        } else {
            match letter_len(text, i) {
                0 => {
                    i += char_len(text, i);
                    continue;
                }
                len => len,
            }
        };
        let start = i;
        i += first;
        loop {
            i = ascii_letters_end(b, i);
            let Some(&c) = b.get(i) else { break };
            // A joiner (`-`, `'`, `’`) stays inside the word only between
            // two letters.
            let joined = |joiner: usize| match letter_len(text, i + joiner) {
                0 => 0,
                letter => joiner + letter,
            };
            let step = match c {
                b'-' | b'\'' => joined(1),
                0xE2 if b.get(i + 1) == Some(&0x80) && b.get(i + 2) == Some(&0x99) => joined(3),
                0x80.. => letter_len(text, i),
                _ => 0,
            };
            if step == 0 {
                break;
            }
            i += step;
        }
        let mut w = Word { start, end: i };
        // Possessive: `Il's` → `Il` (`'s` or `’s` after at least one byte).
        if b[i - 1] == b's' {
            let s = &b[start..i - 1];
            if s.len() > 1 && s.ends_with(b"'") {
                w.end -= 2;
            } else if s.len() > 3 && s.ends_with("’".as_bytes()) {
                w.end -= 4;
            }
        }
        out.push(w);
    }
}

/// The high bit of each byte of an 8-byte block.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `x` that is an ASCII letter. (Each byte's
/// low seven bits, lower-cased, plus a constant set the high bit from a
/// threshold on, without a carry into the next byte.)
fn ascii_letters(x: u64) -> u64 {
    let lower = (x | 0x2020_2020_2020_2020) & 0x7F7F_7F7F_7F7F_7F7F;
    let from_a = lower + 0x1F1F_1F1F_1F1F_1F1F; // >= b'a'
    let past_z = lower + 0x0505_0505_0505_0505; // >= b'z' + 1
    from_a & !past_z & !x & HIGH
}

/// The 8-byte block of `b` at `i`, if there is one.
fn block(b: &[u8], i: usize) -> Option<u64> {
    let bytes: [u8; 8] = b.get(i..i + 8)?.try_into().ok()?;
    Some(u64::from_le_bytes(bytes))
}

/// The first index from `i` on whose byte is not an ASCII letter (`b`'s
/// length when none is). Eight bytes at a time: a word's letters are
/// most of the text.
fn ascii_letters_end(b: &[u8], mut i: usize) -> usize {
    while let Some(x) = block(b, i) {
        let other = !ascii_letters(x) & HIGH;
        if other != 0 {
            return i + (other.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while b.get(i).is_some_and(u8::is_ascii_alphabetic) {
        i += 1;
    }
    i
}

/// The first index from `i` on whose byte is an ASCII letter or not ASCII
/// (`b`'s length when none is).
fn next_letter_or_non_ascii(b: &[u8], mut i: usize) -> usize {
    while let Some(x) = block(b, i) {
        let wanted = ascii_letters(x) | (x & HIGH);
        if wanted != 0 {
            return i + (wanted.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while b
        .get(i)
        .is_some_and(|c| c.is_ascii() && !c.is_ascii_alphabetic())
    {
        i += 1;
    }
    i
}

/// The byte length of the letter at `i`, 0 when none is there.
#[inline]
fn letter_len(text: &str, i: usize) -> usize {
    match text.as_bytes().get(i) {
        Some(c) if c.is_ascii() => usize::from(c.is_ascii_alphabetic()),
        Some(_) => text
            .get(i..)
            .and_then(|s| s.chars().next())
            .filter(|c| c.is_alphabetic())
            .map_or(0, char::len_utf8),
        None => 0,
    }
}

/// The byte length of the char at `i` (1 off a char boundary).
fn char_len(text: &str, i: usize) -> usize {
    text.get(i..)
        .and_then(|s| s.chars().next())
        .map_or(1, char::len_utf8)
}

/// A hyphen or dash of any width as names are printed with them: ASCII
/// `-`, `‐` `‑` `‒` `–` `—` `―`, the minus sign, the small and full-width
/// hyphen-minus (`Bashar Al－Assad`).
pub fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe63}' | '\u{ff0d}'
    )
}

/// Whether the words ending at `a` and starting at `b` are parts of one
/// name: one space apart, or joined by one hyphen of any width
/// (`Kim Kye‐gwan`, `Al－Assad`).
pub(crate) fn name_gap(text: &str, a: usize, b: usize) -> bool {
    match text.get(a..b) {
        Some(" ") => true,
        Some(g) => {
            let mut cs = g.chars();
            cs.next().is_some_and(is_dash) && cs.next().is_none()
        }
        None => false,
    }
}

/// Whether an article is written in Spanish, by its function words: KCNA's
/// Spanish edition is sometimes labelled `en`, and the analysis is given
/// no language. Reads the headline and the first paragraphs (about 1,000
/// bytes): Spanish when its function words outnumber English ones.
pub fn is_spanish(title: &str, paragraphs: &[String]) -> bool {
    is_spanish_texts(std::iter::once(title).chain(paragraphs.iter().map(String::as_str)))
}

/// The same over the headline and paragraphs in order.
pub(crate) fn is_spanish_texts<'t>(texts: impl Iterator<Item = &'t str>) -> bool {
    const ES: [&str; 11] = [
        "de", "del", "el", "la", "los", "las", "y", "que", "por", "con", "en",
    ];
    const EN: [&str; 9] = ["the", "of", "and", "in", "to", "on", "was", "with", "for"];
    let (mut es, mut en) = (0usize, 0usize);
    let mut seen = 0;
    for text in texts {
        for w in words(text) {
            let w = w.as_str(text);
            if w.len() <= 4 {
                es += usize::from(ES.iter().any(|e| e.eq_ignore_ascii_case(w)));
                en += usize::from(EN.iter().any(|e| e.eq_ignore_ascii_case(w)));
            }
        }
        seen += text.len();
        if seen > 1000 {
            break;
        }
    }
    es > en
}

pub fn is_capitalized(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_uppercase())
}

/// Words that end with a period without ending a sentence.
const ABBREVIATIONS: &[&str] = &[
    "Mt", "Dr", "Mr", "Mrs", "Ms", "Co", "St", "No", "Nos", "Jan", "Feb", "Mar", "Apr", "Jun",
    "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Rev", "Prof", "Gen", "Lt", "Col", "Inc",
    "Ltd", "vs", "Gov", "Sen", "Rep", "Jr", "Sr", "Messrs", "a.i",
];

/// Sentence ranges of a paragraph: a sentence ends at `.`, `!` or `?`
/// followed by whitespace and an upper-case letter, a quote or a digit,
/// unless the period closes an abbreviation (`Mt.`, `Dec.`, `C.C.`, `M.`).
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    // From one stop character to the next (memchr's SIMD scan): most
    // bytes are inside sentences.
    while let Some(k) = memchr::memchr3(b'.', b'!', b'?', &b[i..]) {
        i += k;
        let c = b[i];
        // Skip closing quotes right after the stop.
        let mut j = i + 1;
        while j < b.len() && (b[j] == b'"' || b[j] == b'\'' || b[j] == b')') {
            j += 1;
        }
        let ws_start = j;
        while j < b.len() && (b[j] == b' ' || b[j] == b'\t' || b[j] == b'\n') {
            j += 1;
        }
        let followed_ok = j == b.len()
            || (j > ws_start
                && text[j..].chars().next().is_some_and(|n| {
                    n.is_uppercase() || n == '"' || n == '“' || n.is_ascii_digit()
                }));
        if followed_ok && (c != b'.' || !ends_abbreviation(&text[start..i])) {
            out.push(start..ws_start);
            start = j;
            i = j;
        } else {
            i += 1;
        }
    }
    if start < b.len() && !text[start..].trim().is_empty() {
        out.push(start..b.len());
    }
    out
}

fn ends_abbreviation(before: &str) -> bool {
    let last = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == ',')
        .next()
        .unwrap_or("");
    if last.is_empty() {
        return false;
    }
    // Initials and dotted abbreviations: `M`, `C.C`, `U.S`.
    if last.contains('.') || (last.len() == 1 && last.chars().all(|c| c.is_ascii_uppercase())) {
        return true;
    }
    ABBREVIATIONS.contains(&last)
}

/// Where the first of several stop phrases begins in `s` (its length when
/// none occurs): one pass over the text with an automaton built once per
/// list, instead of one substring search per phrase.
pub(crate) fn first_stop(
    s: &str,
    stops: &[&str],
    cache: &'static std::sync::OnceLock<aho_corasick::AhoCorasick>,
) -> usize {
    let ac = cache.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build(stops)
            .expect("fixed stop phrases build an automaton")
    });
    ac.find(s).map_or(s.len(), |m| m.start())
}

/// Calls `f(byte, lane, block)` for every byte in every lane of an
/// eight-byte block otherwise filled with `fill`: the exhaustive tests of
/// the eight-bytes-at-a-time helpers.
/// `s` with its first letter in upper case (`ambassador` → `Ambassador`).
pub(crate) fn upper_first(s: &str) -> String {
    let mut cs = s.chars();
    cs.next()
        .into_iter()
        .flat_map(char::to_uppercase)
        .chain(cs)
        .collect()
}

/// `s` with its first letter in lower case (`Ambassador` → `ambassador`).
pub(crate) fn lower_first(s: &str) -> String {
    let mut cs = s.chars();
    cs.next()
        .into_iter()
        .flat_map(char::to_lowercase)
        .chain(cs)
        .collect()
}

#[cfg(test)]
pub(crate) fn each_byte_in_each_lane(fill: u8, mut f: impl FnMut(u8, usize, [u8; 8])) {
    for c in 0..=255u8 {
        for lane in 0..8 {
            let mut block = [fill; 8];
            block[lane] = c;
            f(c, lane, block);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_inner_joiners_and_drop_possessives() {
        let t = "Kim Jong Il's work, Bashar Al-Assad’s note";
        let ws: Vec<&str> = words(t).iter().map(|w| w.as_str(t)).collect();
        assert_eq!(
            ws,
            ["Kim", "Jong", "Il", "work", "Bashar", "Al-Assad", "note"]
        );
    }

    #[test]
    fn eight_bytes_at_a_time_flag_exactly_the_ascii_letters() {
        each_byte_in_each_lane(b' ', |c, at, block| {
            let expected = if c.is_ascii_alphabetic() {
                0x80u64 << (8 * at)
            } else {
                0
            };
            assert_eq!(
                ascii_letters(u64::from_le_bytes(block)),
                expected,
                "byte {c:#x} at {at}"
            );
            // The runs end where the byte-by-byte loops end.
            let text = [&block[..], b"ab cd"].concat();
            let by_byte = (at..text.len())
                .find(|&i| !text[i].is_ascii_alphabetic())
                .unwrap_or(text.len());
            assert_eq!(ascii_letters_end(&text, at), by_byte);
            let by_byte = (at..text.len())
                .find(|&i| text[i].is_ascii_alphabetic() || !text[i].is_ascii())
                .unwrap_or(text.len());
            assert_eq!(next_letter_or_non_ascii(&text, at), by_byte);
        });
    }

    #[test]
    fn ascii_text_splits_64_bytes_at_a_time_into_the_same_words() {
        // Random ASCII text of the bytes that matter, across block edges.
        const BYTES: &[u8] = b"aZs-' 1.";
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let len = (next() % 200) as usize;
            let text: String = (0..len)
                .map(|_| char::from(BYTES[(next() % BYTES.len() as u64) as usize]))
                .collect();
            let (mut fast, mut slow) = (Vec::new(), Vec::new());
            ascii_words(text.as_bytes(), &mut fast);
            any_words(&text, &mut slow);
            assert_eq!(fast, slow, "{text:?}");
        }
        // Bytes of one class, word-long runs of them, and blocks' edges.
        for len in [0, 1, 63, 64, 65, 127, 128, 129] {
            for fill in [b'a', b'-', b' ', b'\''] {
                let text = String::from_utf8(vec![fill; len]).unwrap();
                let (mut fast, mut slow) = (Vec::new(), Vec::new());
                ascii_words(text.as_bytes(), &mut fast);
                any_words(&text, &mut slow);
                assert_eq!(fast, slow, "{len} x {fill}");
            }
        }
    }

    #[test]
    fn both_block_tests_flag_exactly_the_letters_and_joiners() {
        for c in 0..=255u8 {
            for at in [0, 7, 8, 15, 16, 31, 40, 63] {
                let mut block = [b' '; 64];
                block[at] = c;
                block[(at + 1) % 64] = b'x';
                let letters = (0..64)
                    .filter(|&k| block[k].is_ascii_alphabetic())
                    .fold(0u64, |m, k| m | 1 << k);
                let joiners = (0..64)
                    .filter(|&k| block[k] == b'-' || block[k] == b'\'')
                    .fold(0u64, |m, k| m | 1 << k);
                assert_eq!(
                    block_letters_and_joiners(&block),
                    (letters, joiners),
                    "{c:#x} at {at}"
                );
                assert_eq!(
                    block_letters_and_joiners_swar(&block),
                    (letters, joiners),
                    "{c:#x} at {at}"
                );
            }
        }
    }

    #[test]
    fn each_byte_is_flagged_by_its_own_bit() {
        each_byte_in_each_lane(b' ', |c, at, block| {
            let expected = (0..8)
                .filter(|&k| block[k] == c)
                .fold(0u64, |m, k| m | 0x80 << (8 * k));
            assert_eq!(
                bytes_equal(u64::from_le_bytes(block), c),
                expected,
                "byte {c:#x} at {at}"
            );
        });
        for flags in 0..=255u64 {
            let spread = (0..8).fold(0u64, |m, k| m | ((flags >> k & 1) << (8 * k + 7)));
            assert_eq!(one_bit_a_byte(spread), flags);
        }
    }

    #[test]
    fn sentences_skip_abbreviations() {
        let t = "He met Kim Kyong Hui, director of the C.C., WPK. Mt. Paektu is high. On Dec. 22 it rained.";
        let s: Vec<&str> = sentences(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(
            s,
            [
                "He met Kim Kyong Hui, director of the C.C., WPK.",
                "Mt. Paektu is high.",
                "On Dec. 22 it rained."
            ]
        );
    }
}
