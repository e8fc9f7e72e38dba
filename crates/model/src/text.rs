//! Text normalization and content hashing.
//!
//! Stored text keeps its characters exactly as received (curly quotes,
//! dashes); only leading/trailing white space of a paragraph is dropped.
//! The *content hash* is taken over a normalized form in which every run of
//! white space (including non-breaking spaces, CR and LF) is one space, so a
//! re-capture that differs only in spacing is the same version.

/// Trims white space, including non-breaking spaces and a BOM.
pub fn trim_all(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
}

/// Collapses every run of white space to one ASCII space and trims.
pub fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    collapse_into(s, &mut out);
    out
}

/// Splits a body into paragraphs at blank lines (lines that are empty or
/// white space only). Lines inside one paragraph are joined with a space.
pub fn split_paragraphs(body: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for line in body.lines() {
        let line = trim_all(line);
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
        } else {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(line);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs
}

/// Content hash of a version: BLAKE3 over the white-space-collapsed title
/// and paragraphs, as 32 hex digits (128 bits: collisions are not a
/// practical concern at any archive size).
pub fn content_hash(title: &str, paragraphs: &[String]) -> String {
    let mut h = blake3::Hasher::new();
    // One reused buffer and one `update` per paragraph: BLAKE3 is fast on
    // long inputs and pays a fixed cost per call, so word-by-word updates
    // would spend most of the time on calls.
    let mut buf = String::with_capacity(4096);
    collapse_into(title, &mut buf);
    h.update(buf.as_bytes());
    for p in paragraphs {
        buf.clear();
        collapse_into(p, &mut buf);
        if buf.is_empty() {
            continue;
        }
        // A separator that cannot occur in collapsed text keeps
        // ["ab", "c"] and ["a", "bc"] apart.
        h.update(b"\n");
        h.update(buf.as_bytes());
    }
    hex16(h.finalize().as_bytes())
}

/// Appends `collapse_ws(s)` to `out`.
fn collapse_into(s: &str, out: &mut String) {
    // Most paragraphs are ASCII with single spaces: already collapsed, and
    // told so by one byte scan instead of a char-by-char split.
    let b = s.as_bytes();
    let collapsed_ascii = b.first() != Some(&b' ')
        && b.last() != Some(&b' ')
        && b.iter()
            .all(|&c| c.is_ascii() && !matches!(c, b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
        && !b.windows(2).any(|w| w == b"  ");
    if collapsed_ascii {
        out.push_str(s);
        return;
    }
    let start = out.len();
    for word in s.split(|c: char| c.is_whitespace() || c == '\u{feff}') {
        if word.is_empty() {
            continue;
        }
        if out.len() > start {
            out.push(' ');
        }
        out.push_str(word);
    }
}

pub(crate) fn hex16(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(32);
    for b in &bytes[..16] {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// Words of the text an untitled article is shown by.
const LEAD_WORDS: usize = 8;

/// What an article is shown by: its title, or, when it has none (a third
/// of some dumps' records), its first words in quotes with an ellipsis,
/// e.g. `“Kim Yong Nam, president of the Presidium of…”`. Callers
/// mark the second as not the outlet's title ([`is_untitled`]).
pub fn display_title(title: &str, paragraphs: &[String]) -> String {
    if !is_untitled(title) {
        return title.to_string();
    }
    let Some(first) = paragraphs.iter().find(|p| !trim_all(p).is_empty()) else {
        return String::new();
    };
    let words: Vec<&str> = first.split_whitespace().collect();
    let mut lead = words[..words.len().min(LEAD_WORDS)].join(" ");
    if words.len() > LEAD_WORDS {
        lead.push('…');
    }
    format!("“{lead}”")
}

/// Whether an article has no title of its own.
pub fn is_untitled(title: &str) -> bool {
    trim_all(title).is_empty()
}

/// Folds a title for identity: case, white space and quote/dash style do not
/// make two titles different.
pub fn fold_title(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    for c in collapse_ws(title).chars() {
        match c {
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '`' | '\u{b4}' => {
                out.push('\'')
            }
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' => out.push('"'),
            '\u{2010}'..='\u{2015}' | '\u{2212}' => out.push('-'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The languages detected, as ISO 639-1 codes: those the outlets publish in
/// (and those users bring). Detection chooses only among them, which makes
/// it surer on short texts than over all of whatlang's languages.
pub const DETECTED_LANGUAGES: &[&str] = &["en", "ko", "es", "zh", "ru", "fr", "ja", "ar"];

/// How much text detection reads: the language of a page shows in its
/// first few thousand bytes, and long pages need not be read whole.
const DETECT_BYTES: usize = 4000;

/// Fewer letters than this are too few for whatlang's trigrams (a lone
/// name, `1 / 11`): only the script is read.
const MIN_TRIGRAM_LETTERS: usize = 12;

/// The language of a text (headline and paragraphs), or `"en"` when it
/// cannot be told (see [`detect_language`]). Text pages, which always
/// carry a language, call it.
pub fn guess_language(title: &str, paragraphs: &[String]) -> &'static str {
    detect_language(title, paragraphs).unwrap_or("en")
}

/// The language of a text as an ISO 639-1 code among
/// [`DETECTED_LANGUAGES`], or None when it cannot be told.
///
/// whatlang decides among those languages, on the first
/// [`DETECT_BYTES`] bytes. A text with fewer than
/// [`MIN_TRIGRAM_LETTERS`] letters, or one whatlang finds unreliable, is
/// judged by its script alone: most of its letters Hangul → `ko`, kana
/// (with Han) → `ja`, Han → `zh`, Cyrillic → `ru`, Arabic → `ar`; a short
/// Latin text (`Kim Jong Un`) or one without letters gives None.
pub fn detect_language(title: &str, paragraphs: &[String]) -> Option<&'static str> {
    let mut text = String::new();
    for part in std::iter::once(title).chain(paragraphs.iter().map(String::as_str)) {
        let room = DETECT_BYTES.saturating_sub(text.len());
        if room == 0 {
            break;
        }
        if !text.is_empty() {
            text.push('\n');
        }
        // Cut on a char boundary.
        let mut cut = part.len().min(room);
        while !part.is_char_boundary(cut) {
            cut -= 1;
        }
        text.push_str(&part[..cut]);
    }
    let by_script = script_language(&text);
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if letters < MIN_TRIGRAM_LETTERS {
        return by_script;
    }
    static DETECTOR: std::sync::LazyLock<whatlang::Detector> = std::sync::LazyLock::new(|| {
        use whatlang::Lang;
        whatlang::Detector::with_allowlist(vec![
            Lang::Eng,
            Lang::Kor,
            Lang::Spa,
            Lang::Cmn,
            Lang::Rus,
            Lang::Fra,
            Lang::Jpn,
            Lang::Ara,
        ])
    });
    let info = DETECTOR.detect(&text);
    match info {
        Some(info) if info.is_reliable() || by_script.is_none() => Some(iso_639_1(info.lang())),
        // Unreliable: the script decides when it can (a Korean text
        // quoting English), whatlang's best guess otherwise.
        Some(info) => by_script.or(Some(iso_639_1(info.lang()))),
        None => by_script,
    }
}

fn iso_639_1(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang;
    match lang {
        Lang::Kor => "ko",
        Lang::Spa => "es",
        Lang::Cmn => "zh",
        Lang::Rus => "ru",
        Lang::Fra => "fr",
        Lang::Jpn => "ja",
        Lang::Ara => "ar",
        // The allowlist holds no other language.
        _ => "en",
    }
}

/// The language a script implies, when most letters are in it: Hangul →
/// `ko`, kana (with Han) → `ja`, Han → `zh`, Cyrillic → `ru`, Arabic →
/// `ar`. Latin script says nothing by itself: None.
pub fn script_language(text: &str) -> Option<&'static str> {
    let (mut hangul, mut han, mut kana, mut cyrillic, mut arabic) = (0, 0, 0, 0, 0);
    let mut letters = 0usize;
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        match c {
            '\u{ac00}'..='\u{d7a3}' | '\u{1100}'..='\u{11ff}' | '\u{3130}'..='\u{318f}' => {
                hangul += 1
            }
            '\u{3040}'..='\u{30ff}' => kana += 1,
            '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' => han += 1,
            '\u{0400}'..='\u{04ff}' => cyrillic += 1,
            '\u{0600}'..='\u{06ff}' | '\u{0750}'..='\u{077f}' => arabic += 1,
            _ => {}
        }
    }
    let most = |n: usize| letters > 0 && n * 2 > letters;
    if most(hangul) {
        Some("ko")
    } else if kana > 0 && most(kana + han) {
        Some("ja")
    } else if most(han) {
        Some("zh")
    } else if most(cyrillic) {
        Some("ru")
    } else if most(arabic) {
        Some("ar")
    } else {
        None
    }
}

/// Hangul (syllables and jamo), CJK ideographs (Hanja) and kana: scripts
/// written without spaces between the units a reader searches for.
pub fn is_bigram_script(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{11FF}'     // Hangul jamo
        | '\u{3040}'..='\u{30FF}'   // Hiragana, Katakana
        | '\u{3130}'..='\u{318F}'   // Hangul compatibility jamo
        | '\u{31F0}'..='\u{31FF}'   // Katakana extensions
        | '\u{3400}'..='\u{4DBF}'   // CJK extension A
        | '\u{4E00}'..='\u{9FFF}'   // CJK unified ideographs
        | '\u{A960}'..='\u{A97F}'   // Hangul jamo extended A
        | '\u{AC00}'..='\u{D7A3}'   // Hangul syllables
        | '\u{D7B0}'..='\u{D7FF}'   // Hangul jamo extended B
        | '\u{F900}'..='\u{FAFF}'   // CJK compatibility ideographs
        | '\u{FF66}'..='\u{FFDC}'   // half-width katakana and Hangul
        | '\u{20000}'..='\u{2FA1F}' // CJK extensions B and later
    )
}

#[cfg(test)]
mod display_tests {
    use super::*;

    #[test]
    fn an_untitled_article_is_shown_by_its_first_words() {
        let ps = vec![
            " ".to_string(),
            "Kim Yong Nam, president of the Presidium of the DPRK Supreme People's Assembly".into(),
        ];
        assert_eq!(
            display_title("", &ps),
            "“Kim Yong Nam, president of the Presidium of…”"
        );
        assert_eq!(
            display_title("  ", &["Short lead.".to_string()]),
            "“Short lead.”"
        );
        assert_eq!(display_title("A Title", &ps), "A Title");
        assert_eq!(display_title("", &[]), "");
        assert!(is_untitled(" \u{a0}") && !is_untitled("x"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_ignores_spacing_but_not_words() {
        let a = content_hash("A  title", &["One\u{a0}two".into(), "three".into()]);
        let b = content_hash(" A title ", &["One two".into(), "".into(), "three ".into()]);
        let c = content_hash("A title", &["One two three".into()]);
        let d = content_hash("A title", &["One two".into(), "four".into()]);
        assert_eq!(a, b);
        assert_ne!(a, c, "paragraph boundaries are content");
        assert_ne!(a, d);
        assert_eq!(a.len(), 32);
    }

    #[test]
    fn collapsing_takes_the_ascii_shortcut_only_where_it_changes_nothing() {
        // Every white space the shortcut must not miss, alone and doubled,
        // at the edges and inside; the result must equal the word-by-word join.
        let spaces = [
            " ", "  ", "\t", "\n", "\r\n", "\u{b}", "\u{c}", "\u{a0}", "\u{feff}", "\u{3000}", "",
        ];
        for a in spaces {
            for b in spaces {
                for c in spaces {
                    let s = format!("{a}Kim{b}Jong Un{c}");
                    let words: Vec<&str> = s
                        .split(|ch: char| ch.is_whitespace() || ch == '\u{feff}')
                        .filter(|w| !w.is_empty())
                        .collect();
                    assert_eq!(collapse_ws(&s), words.join(" "), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn paragraphs_split_on_blank_lines_only() {
        let p = split_paragraphs("First line\ncontinued\n\n \u{a0}\nSecond\r\n\r\nThird");
        assert_eq!(p, vec!["First line continued", "Second", "Third"]);
        assert!(split_paragraphs("  \n\n").is_empty());
    }

    #[test]
    fn fold_title_equates_quote_styles() {
        assert_eq!(
            fold_title("New Year’s  Message"),
            fold_title("new year's message")
        );
        assert_ne!(
            fold_title("New Year Message"),
            fold_title("New Year's Message")
        );
    }

    #[test]
    fn languages_are_detected_among_the_allowed_ones() {
        let p = |s: &str| vec![s.to_string()];
        let cases = [
            (
                "ko",
                "신년사",
                "사랑하는 온 나라 인민들과 인민군장병들! 새해를 맞이하여 인사를 드립니다.",
            ),
            (
                "en",
                "Kim Jong Un Inspects Farm",
                "He was accompanied by senior officials of the party and the government.",
            ),
            (
                "es",
                "Kim Jong Un visita una granja",
                "Lo acompañaron altos funcionarios del partido y del gobierno de la República.",
            ),
            (
                "fr",
                "Kim Jong Un visite une ferme",
                "Il était accompagné par les hauts responsables du parti et du gouvernement.",
            ),
            (
                "ru",
                "Ким Чен Ын посетил ферму",
                "Его сопровождали руководящие работники партии и правительства страны.",
            ),
            (
                "zh",
                "金正恩视察农场",
                "朝鲜劳动党总书记金正恩同志视察了农场并给予现场指导。",
            ),
            (
                "ja",
                "金正恩氏が農場を視察",
                "朝鮮労働党の金正恩総書記は農場を視察し、現地で指導を行った。",
            ),
            (
                "ar",
                "كيم جونغ أون يتفقد مزرعة",
                "رافقه كبار المسؤولين في الحزب والحكومة في جمهورية كوريا.",
            ),
        ];
        for (want, title, body) in cases {
            assert_eq!(detect_language(title, &p(body)), Some(want), "{title}");
            assert_eq!(guess_language(title, &p(body)), want, "{title}");
        }
    }

    #[test]
    fn short_texts_are_judged_by_script_or_not_at_all() {
        assert_eq!(detect_language("김정은", &[]), Some("ko"));
        assert_eq!(detect_language("金正恩", &[]), Some("zh"));
        assert_eq!(detect_language("Ким", &[]), Some("ru"));
        assert_eq!(detect_language("Kim Jong Un", &[]), None);
        assert_eq!(detect_language("", &["1 / 11".to_string()]), None);
        // The signature text pages call still answers something.
        assert_eq!(guess_language("Kim Jong Un", &[]), "en");
    }
}
