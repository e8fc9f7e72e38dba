//! Korean names across scripts: Hangul syllables, the DPRK romanization of
//! a Hangul name, and the folded key under which every spelling of one
//! name (DPRK, McCune–Reischauer, South Korean Revised, Hangul) meets.
//!
//! Owns: the syllable table, the customary spellings of surnames, and the
//! fold. Must not touch: finding names in text (`mentions`) or which
//! person a key names (the gazetteer).

/// First and last precomposed Hangul syllables.
const FIRST: u32 = 0xAC00;
const LAST: u32 = 0xD7A3;

pub fn is_syllable(c: char) -> bool {
    (FIRST..=LAST).contains(&(c as u32))
}

/// Whether `s` is all Hangul syllables (and not empty).
pub fn is_all_syllables(s: &str) -> bool {
    !s.is_empty() && s.chars().all(is_syllable)
}

/// Initial consonants, in Unicode order, as they start a name's syllable
/// (`ㄱ` → `k`); voiced forms are chosen in [`romanize_given`].
const INITIALS: [&str; 19] = [
    "k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "j", "jj", "ch", "kh", "th",
    "ph", "h",
];
/// Vowels, in Unicode order, as DPRK romanization writes them without
/// breves (`ㅓ` → `o`, `ㅡ` → `u`), the way KCNA prints names.
const VOWELS: [&str; 21] = [
    "a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we",
    "wi", "yu", "u", "ui", "i",
];
/// Final consonants, in Unicode order (the first is none).
const FINALS: [&str; 28] = [
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p",
    "t", "t", "ng", "t", "t", "k", "t", "p", "t",
];

/// Surnames as these outlets spell them, where the syllable table would
/// not (`리` is `Ri`, `최` is `Choe`, `박` is `Pak`). A surname not listed
/// is read by the table.
const SURNAMES: &[(char, &str)] = &[
    ('김', "Kim"),
    ('리', "Ri"),
    ('이', "Ri"),
    ('박', "Pak"),
    ('최', "Choe"),
    ('정', "Jong"),
    ('조', "Jo"),
    ('한', "Han"),
    ('강', "Kang"),
    ('윤', "Yun"),
    ('장', "Jang"),
    ('림', "Rim"),
    ('임', "Rim"),
    ('오', "O"),
    ('신', "Sin"),
    ('서', "So"),
    ('권', "Kwon"),
    ('황', "Hwang"),
    ('안', "An"),
    ('송', "Song"),
    ('류', "Ryu"),
    ('유', "Ryu"),
    ('홍', "Hong"),
    ('전', "Jon"),
    ('고', "Ko"),
    ('문', "Mun"),
    ('손', "Son"),
    ('량', "Ryang"),
    ('양', "Ryang"),
    ('배', "Pae"),
    ('백', "Paek"),
    ('허', "Ho"),
    ('남', "Nam"),
    ('심', "Sim"),
    ('로', "Ro"),
    ('노', "Ro"),
    ('하', "Ha"),
    ('곽', "Kwak"),
    ('성', "Song"),
    ('차', "Cha"),
    ('주', "Ju"),
    ('우', "U"),
    ('구', "Ku"),
    ('민', "Min"),
    ('진', "Jin"),
    ('라', "Ra"),
    ('나', "Ra"),
    ('지', "Ji"),
    ('엄', "Om"),
    ('채', "Chae"),
    ('원', "Won"),
    ('천', "Chon"),
    ('방', "Pang"),
    ('공', "Kong"),
    ('현', "Hyon"),
    ('함', "Ham"),
    ('변', "Pyon"),
    ('렴', "Ryom"),
    ('염', "Ryom"),
    ('려', "Ryo"),
    ('여', "Ryo"),
    ('추', "Chu"),
    ('도', "To"),
    ('석', "Sok"),
    ('설', "Sol"),
    ('마', "Ma"),
    ('길', "Kil"),
    ('연', "Yon"),
    ('위', "Wi"),
    ('표', "Phyo"),
    ('명', "Myong"),
    ('기', "Ki"),
    ('반', "Pan"),
    ('왕', "Wang"),
    ('금', "Kum"),
    ('옥', "Ok"),
    ('육', "Ryuk"),
    ('륙', "Ryuk"),
    ('인', "In"),
    ('맹', "Maeng"),
    ('제', "Je"),
    ('모', "Mo"),
    ('탁', "Thak"),
    ('국', "Kuk"),
    ('태', "Thae"),
    ('계', "Kye"),
    ('룡', "Ryong"),
    ('용', "Ryong"),
    ('편', "Phyon"),
    ('경', "Kyong"),
    ('봉', "Pong"),
    ('어', "O"),
    ('은', "Un"),
    ('예', "Ye"),
];

/// The surname a Hangul syllable is, as printed in romanized text.
pub fn surname(c: char) -> Option<&'static str> {
    SURNAMES.iter().find(|(h, _)| *h == c).map(|(_, r)| *r)
}

/// (initial, vowel, final) indices of a syllable.
fn parts(c: char) -> Option<(usize, usize, usize)> {
    let n = (c as u32).checked_sub(FIRST)?;
    if c as u32 > LAST {
        return None;
    }
    let n = n as usize;
    Some((n / (21 * 28), n / 28 % 21, n % 28))
}

/// A given name's syllables, DPRK-style, each capitalized and apart
/// (`룡해` → `Ryong Hae`): `ㄱ ㄷ ㅂ` are voiced (`g d b`) in a syllable
/// after a vowel or a sonorant (`Pak Jae Gyong`, `Choe Yong Do`), and
/// `ㅈ` is always `J` (`Kim Jong Un`), as KCNA prints names.
pub fn romanize_given(given: &str) -> Option<String> {
    let mut out = String::new();
    let mut prev_final: Option<usize> = None;
    for c in given.chars() {
        let (i, v, f) = parts(c)?;
        let voiced = prev_final.is_some_and(|pf| matches!(FINALS[pf], "" | "n" | "l" | "m" | "ng"));
        let initial = match (INITIALS[i], voiced) {
            ("k", true) => "g",
            ("t", true) => "d",
            ("p", true) => "b",
            (x, _) => x,
        };
        let syllable = format!("{initial}{}{}", VOWELS[v], FINALS[f]);
        if !out.is_empty() {
            out.push(' ');
        }
        let mut cs = syllable.chars();
        if let Some(first) = cs.next() {
            out.extend(first.to_uppercase());
            out.push_str(cs.as_str());
        }
        prev_final = Some(f);
    }
    (!out.is_empty()).then_some(out)
}

/// A Hangul name (a surname syllable and one or two given-name
/// syllables) romanized DPRK-style: `최영도` → `Choe Yong Do`.
pub fn romanize_name(name: &str) -> Option<String> {
    let mut cs = name.chars();
    let first = cs.next()?;
    let given = cs.as_str();
    let n = given.chars().count();
    if !(1..=2).contains(&n) || !is_all_syllables(given) {
        return None;
    }
    let sur = surname(first)?;
    Some(format!("{sur} {}", romanize_given(given)?))
}

/// The key under which spellings of one name meet: lower case, no
/// apostrophes, breves or accents (`Ch'oe`, `Chŏng-ŭn`), hyphens and runs
/// of spaces as one space, and in a Korean name (one whose first word is
/// a surname) the Revised romanization's `eo`/`eu` as `o`/`u` (`Jeong` →
/// `jong`). A Hangul name is romanized first. `Ch'oe Ryong-hae`, `Choe
/// Ryong-hae`, `CHOE RYONG HAE` and `최룡해` all give `choe ryong hae`.
pub fn fold_name(name: &str, is_surname: impl Fn(&str) -> bool) -> String {
    let trimmed = name.trim();
    let romanized;
    let name = if is_all_syllables(trimmed) {
        match romanize_name(trimmed) {
            Some(r) => {
                romanized = r;
                romanized.as_str()
            }
            None => trimmed,
        }
    } else {
        trimmed
    };
    let mut flat = String::with_capacity(name.len());
    for c in name.chars() {
        fold_char(c, &mut flat);
    }
    let words: Vec<&str> = flat.split(' ').filter(|w| !w.is_empty()).collect();
    let korean = words.len() >= 2
        && words.first().is_some_and(|w| {
            let mut cs = w.chars();
            let cap: String = cs
                .next()
                .map(|c| c.to_uppercase().chain(cs).collect())
                .unwrap_or_default();
            is_surname(&cap)
        });
    if !korean {
        return words.join(" ");
    }
    words
        .iter()
        .map(|w| w.replace("eo", "o").replace("eu", "u"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// One character as [`fold_name`] writes it before splitting into words:
/// nothing, a space (a separator), or its plain lower-case letters.
fn fold_char(c: char, flat: &mut String) {
    // Most characters of a name: no case table, no other arm applies.
    if c.is_ascii_alphabetic() {
        flat.push(c.to_ascii_lowercase());
        return;
    }
    match c {
        '\'' | '’' | 'ʼ' | '‘' | '`' | '´' | '\u{306}' | '\u{301}' => {}
        '_' => flat.push(' '),
        c if crate::text::is_dash(c) => flat.push(' '),
        'ŏ' | 'Ŏ' | 'ō' | 'Ō' | 'ó' | 'Ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'Ö' | 'Ô' => {
            flat.push('o')
        }
        'ŭ' | 'Ŭ' | 'ū' | 'Ū' | 'ú' | 'Ú' | 'ù' | 'û' | 'ü' | 'Ü' => flat.push('u'),
        'ă' | 'Ă' | 'á' | 'Á' | 'à' | 'â' | 'ä' | 'ã' | 'Ä' => flat.push('a'),
        'é' | 'É' | 'è' | 'ê' | 'ë' | 'È' => flat.push('e'),
        'í' | 'Í' | 'ì' | 'î' | 'ï' => flat.push('i'),
        'ñ' | 'Ñ' => flat.push('n'),
        'ç' | 'Ç' => flat.push('c'),
        '\u{ad}' => {}
        c if c.is_whitespace() => flat.push(' '),
        c => flat.extend(c.to_lowercase()),
    }
}

/// The first word of [`fold_name`]`(word, |_| false)`, written into
/// `out`: what the folded pass tests for every capitalized word, so it is
/// read without allocating the whole fold.
pub fn fold_first_word(word: &str, out: &mut String) {
    out.clear();
    let trimmed = word.trim();
    if is_all_syllables(trimmed) {
        let folded = fold_name(trimmed, |_| false);
        out.push_str(folded.split(' ').next().unwrap_or(""));
        return;
    }
    for c in trimmed.chars() {
        fold_char(c, out);
        if out.ends_with(' ') {
            out.pop();
            // A separator ends the first word, or is skipped before it.
            if !out.is_empty() {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surnames(s: &str) -> bool {
        ["Kim", "Choe", "Ri", "Pak", "Jong"].contains(&s)
    }

    #[test]
    fn names_romanize_as_kcna_prints_them() {
        for (hangul, roman) in [
            ("김정은", "Kim Jong Un"),
            ("김정일", "Kim Jong Il"),
            ("최룡해", "Choe Ryong Hae"),
            ("박봉주", "Pak Pong Ju"),
            ("김여정", "Kim Yo Jong"),
            ("김영남", "Kim Yong Nam"),
            ("리설주", "Ri Sol Ju"),
            ("장성택", "Jang Song Thaek"),
            ("최영도", "Choe Yong Do"),
            ("한덕수", "Han Tok Su"),
            ("김경희", "Kim Kyong Hui"),
            ("김책", "Kim Chaek"),
        ] {
            assert_eq!(romanize_name(hangul).as_deref(), Some(roman), "{hangul}");
        }
        assert_eq!(romanize_name("김"), None);
        assert_eq!(romanize_name("김정은동지"), None);
        assert_eq!(romanize_name("Kim"), None);
    }

    #[test]
    fn spellings_of_one_name_fold_together() {
        let key = fold_name("Choe Ryong Hae", surnames);
        for other in [
            "Ch'oe Ryong-hae",
            "Ch’oe Ryong-hae",
            "Choe Ryong-hae",
            "CHOE  RYONG HAE",
            "최룡해",
        ] {
            assert_eq!(fold_name(other, surnames), key, "{other}");
        }
        assert_eq!(
            fold_name("Kim Jeong-eun", surnames),
            fold_name("Kim Jong Un", surnames)
        );
        assert_eq!(fold_name("Kim Chŏng-ŭn", surnames), "kim chong un");
        // Not a Korean name: only case, hyphens and apostrophes.
        assert_eq!(fold_name("Leonid Brezhnev", surnames), "leonid brezhnev");
    }
}
