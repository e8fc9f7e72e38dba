//! Translations: the same story published in two languages, paired from
//! what a translation keeps (names, numbers, the people and countries the
//! analysis found, the shape of the text) among the articles of the other
//! language published within a day.
//!
//! A pair's *score* is the Jaccard similarity of the two articles' anchors,
//! each anchor weighted by its rarity among the articles compared (a name
//! every article of the day carries says little), times how alike the two
//! texts' lengths and paragraph counts are. Pairs are made one to one,
//! best score first; a pair's *confidence* is how far its score stands
//! above the best competing pair of either article, damped for low scores.

use std::collections::HashMap;

use chrono::NaiveDate;
use tealeaf_model::text::is_bigram_script;
use tealeaf_model::ArticleDoc;
use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

/// Days apart two articles may be published and still be paired: KCNA's
/// editions in other languages follow the English one by up to a day.
pub const MAX_DAYS_APART: i64 = 1;
/// Pairs below this confidence are not kept.
pub const MIN_CONFIDENCE: f32 = 0.1;
/// Pairs below this score are not kept.
pub const MIN_SCORE: f32 = 0.05;
/// A score at or above which confidence is not damped.
const FULL_SCORE: f32 = 0.25;

/// What a translation keeps of its original, as stored: one anchor per
/// line, each with its class (`#` a number, `p:` a person, `c:` a
/// country, `w:` a capitalized word of a Latin-script text, folded).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Anchors {
    pub anchors: Vec<String>,
    /// Characters of text (a rough length, compared within a script).
    pub chars: u32,
    pub paragraphs: u32,
    /// Mostly Hangul, Hanja or kana: compared with other scripts through
    /// numbers, people and countries only.
    pub syllabic: bool,
}

/// Words capitalized in running text that are not names.
const CAPITALIZED_COMMON: &[&str] = &[
    "the", "and", "for", "with", "this", "that", "los", "las", "del", "por", "con", "para", "una",
    "les", "des", "une", "pour", "dans", "der", "die", "das", "und",
];

fn fold(word: &str) -> String {
    word.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Adds a token's anchors: the number it holds, and itself when it is a
/// capitalized word not at a sentence's start.
fn add_token(set: &mut Vec<String>, token: &str, sentence_start: bool) {
    let token = token.trim_end_matches(['\'', '-']);
    let digits: String = token
        .chars()
        .filter_map(|c| {
            // Full-width digits fold to ASCII.
            let c = match c {
                '\u{FF10}'..='\u{FF19}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                _ => c,
            };
            c.is_ascii_digit().then_some(c)
        })
        .collect();
    if !digits.is_empty() {
        let n = digits.trim_start_matches('0');
        set.push(format!("#{}", if n.is_empty() { "0" } else { n }));
    }
    let first = token.chars().next().unwrap_or(' ');
    if first.is_uppercase() && !sentence_start && token.chars().count() >= 3 {
        let w = fold(token);
        if !CAPITALIZED_COMMON.contains(&w.as_str()) {
            set.push(format!("w:{w}"));
        }
    }
}

impl Anchors {
    /// The anchors of an article: its title and paragraphs, and the people
    /// and countries its analysis found (canonical names, the same in
    /// every language).
    pub fn of(doc: &ArticleDoc) -> Anchors {
        let mut set: Vec<String> = Vec::new();
        let mut chars = 0u32;
        let mut syllables = 0u32;
        let mut letters = 0u32;
        let texts =
            std::iter::once(doc.title.as_str()).chain(doc.paragraphs.iter().map(String::as_str));
        for text in texts {
            let mut sentence_start = true;
            let mut token = String::new();
            // A trailing separator ends the last token.
            for c in text.chars().chain(std::iter::once(' ')) {
                if c.is_alphanumeric() || ((c == '\'' || c == '-') && !token.is_empty()) {
                    token.push(c);
                    continue;
                }
                if !token.is_empty() {
                    add_token(&mut set, &token, sentence_start);
                    sentence_start = false;
                    token.clear();
                }
                // A new sentence: its first word is capitalized whatever it is.
                if matches!(c, '.' | '!' | '?' | ':') {
                    sentence_start = true;
                }
            }
            for c in text.chars() {
                chars += 1;
                if is_bigram_script(c) {
                    syllables += 1;
                    letters += 1;
                } else if c.is_alphabetic() {
                    letters += 1;
                }
            }
        }
        set.extend(doc.people.iter().map(|p| format!("p:{}", fold(p))));
        set.extend(doc.countries.iter().map(|c| format!("c:{}", fold(c))));
        set.sort_unstable();
        set.dedup();
        let syllabic = syllables * 2 > letters;
        if syllabic {
            set.retain(|a| !a.starts_with("w:"));
        }
        Anchors {
            anchors: set,
            chars,
            paragraphs: doc.paragraphs.len() as u32,
            syllabic,
        }
    }

    /// The stored form of the anchors (one a line).
    pub fn joined(&self) -> String {
        self.anchors.join("\n")
    }

    /// Reads the stored form back.
    pub fn from_stored(joined: &str, chars: u32, paragraphs: u32, syllabic: bool) -> Anchors {
        Anchors {
            anchors: joined
                .split('\n')
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect(),
            chars,
            paragraphs,
            syllabic,
        }
    }
}

/// An article that may be paired.
#[derive(Debug, Clone)]
pub struct TranslationCandidate {
    pub language: String,
    pub published: NaiveDate,
    pub anchors: Anchors,
    /// Languages this article already has a translation in (pairs kept
    /// from outside the articles compared): it is not paired in them again.
    pub paired_in: Vec<String>,
}

/// Two candidates (indexes into the slice given) paired.
#[derive(Debug, Clone, PartialEq)]
pub struct TranslationPair {
    pub a: usize,
    pub b: usize,
    pub score: f32,
    pub confidence: f32,
}

fn ratio(x: u32, y: u32) -> f32 {
    let (lo, hi) = (x.min(y).max(1), x.max(y).max(1));
    lo as f32 / hi as f32
}

/// An article's anchors as numbers (see [`pair_translations`]), sorted,
/// with whether each is a capitalized word (not compared across scripts).
struct Interned {
    ids: Vec<u32>,
    words: Vec<bool>,
}

/// The score of a pair, with `idf` the weight of each anchor (by its
/// number).
fn score(a: &Anchors, ia: &Interned, b: &Anchors, ib: &Interned, idf: &[f32]) -> f32 {
    let cross_script = a.syllabic != b.syllabic;
    let weight = |x: u32| idf.get(x as usize).copied().unwrap_or(0.0);
    let (mut shared, mut all) = (0.0f32, 0.0f32);
    let (mut i, mut j) = (0, 0);
    loop {
        // Capitalized words are skipped across scripts.
        while cross_script && i < ia.ids.len() && ia.words[i] {
            i += 1;
        }
        while cross_script && j < ib.ids.len() && ib.words[j] {
            j += 1;
        }
        match (ia.ids.get(i), ib.ids.get(j)) {
            (Some(&x), Some(&y)) if x == y => {
                shared += weight(x);
                all += weight(x);
                i += 1;
                j += 1;
            }
            (Some(&x), Some(&y)) if x < y => {
                all += weight(x);
                i += 1;
            }
            (Some(_), Some(&y)) | (None, Some(&y)) => {
                all += weight(y);
                j += 1;
            }
            (Some(&x), None) => {
                all += weight(x);
                i += 1;
            }
            (None, None) => break,
        }
    }
    if all <= 0.0 {
        return 0.0;
    }
    let jaccard = shared / all;
    // Lengths in characters compare only within a script; a translation
    // keeps its paragraphs in any.
    let length = if cross_script {
        1.0
    } else {
        (ratio(a.chars, b.chars) / 0.7).min(1.0)
    };
    jaccard * (0.4 + 0.3 * length + 0.3 * ratio(a.paragraphs, b.paragraphs))
}

/// Anchors carried by more than this share of the articles published
/// around a day do not make two articles candidates by themselves (they
/// still count in the score of candidates): comparing every pair that
/// shares `Kim Jong Il` would cost the square of a day's articles.
const COMMON_SHARE: f32 = 0.5;
/// ... and by more than this many articles.
const MIN_COMMON: u32 = 10;

/// Pairs the candidates across languages: each article with at most one
/// article of each other language, published at most [`MAX_DAYS_APART`]
/// days apart, best score first, keeping pairs of at least [`MIN_SCORE`]
/// and [`MIN_CONFIDENCE`].
pub fn pair_translations(items: &[TranslationCandidate]) -> Vec<TranslationPair> {
    // Anchors as numbers: compared and looked up many times per article.
    let mut numbers: HashMap<&str, u32> = HashMap::new();
    let interned: Vec<Interned> = items
        .iter()
        .map(|item| {
            let mut pairs: Vec<(u32, bool)> = item
                .anchors
                .anchors
                .iter()
                .map(|a| {
                    let next = numbers.len() as u32;
                    (
                        *numbers.entry(a.as_str()).or_insert(next),
                        a.starts_with("w:"),
                    )
                })
                .collect();
            pairs.sort_unstable();
            pairs.dedup();
            Interned {
                ids: pairs.iter().map(|p| p.0).collect(),
                words: pairs.iter().map(|p| p.1).collect(),
            }
        })
        .collect();
    let mut languages: Vec<&str> = Vec::new();
    // Which articles of each language and day carry each anchor.
    let mut postings: HashMap<(&str, NaiveDate), HashMap<u32, Vec<usize>>> = HashMap::new();
    // Anchor weights: how rare an anchor is among the articles published
    // within a day of the day compared (in any language), so that a pair's
    // score does not depend on which other days were compared with it.
    let mut df_of_day: HashMap<NaiveDate, HashMap<u32, u32>> = HashMap::new();
    let mut n_of_day: HashMap<NaiveDate, u32> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        if !languages.contains(&item.language.as_str()) {
            languages.push(item.language.as_str());
        }
        let post = postings
            .entry((item.language.as_str(), item.published))
            .or_default();
        let df = df_of_day.entry(item.published).or_default();
        for &x in &interned[i].ids {
            post.entry(x).or_default().push(i);
            *df.entry(x).or_default() += 1;
        }
        *n_of_day.entry(item.published).or_default() += 1;
    }
    // By anchor number: looked up for every anchor of every pair scored.
    let days: std::collections::BTreeSet<NaiveDate> = items.iter().map(|i| i.published).collect();
    let idf_of_day: HashMap<NaiveDate, (Vec<f32>, f32)> = days
        .into_iter()
        .map(|day| {
            let mut df = vec![0u32; numbers.len()];
            let mut n = 0u32;
            for d in -MAX_DAYS_APART..=MAX_DAYS_APART {
                let near = day + chrono::Duration::days(d);
                for (anchor, count) in df_of_day.get(&near).into_iter().flatten() {
                    df[*anchor as usize] += count;
                }
                n += n_of_day.get(&near).copied().unwrap_or(0);
            }
            let n = n as f32;
            // An anchor no article around the day carries weighs nothing.
            let idf = df
                .into_iter()
                .map(|d| match d {
                    0 => 0.0,
                    d => ((n + 1.0) / (d as f32 + 0.5)).ln().max(0.0),
                })
                .collect();
            // The weight of an anchor carried by COMMON_SHARE of them (in a
            // handful of articles, every pair is compared).
            let rare = if COMMON_SHARE * n > MIN_COMMON as f32 {
                ((n + 1.0) / (COMMON_SHARE * n + 0.5)).ln()
            } else {
                0.0
            };
            (day, (idf, rare))
        })
        .collect();
    let mut scored: Vec<(f32, usize, usize)> = Vec::new();
    let mut candidates: Vec<usize> = Vec::new();
    for (i, a) in items.iter().enumerate() {
        let day = a.published;
        let Some((idf, rare)) = idf_of_day.get(&day) else {
            continue;
        };
        for &lang in &languages {
            // Each unordered pair once: from the lesser language.
            if lang <= a.language.as_str() {
                continue;
            }
            candidates.clear();
            for d in -MAX_DAYS_APART..=MAX_DAYS_APART {
                let near = day + chrono::Duration::days(d);
                let Some(post) = postings.get(&(lang, near)) else {
                    continue;
                };
                for &x in &interned[i].ids {
                    if idf.get(x as usize).copied().unwrap_or(0.0) < *rare {
                        continue;
                    }
                    candidates.extend(post.get(&x).into_iter().flatten());
                }
            }
            candidates.sort_unstable();
            candidates.dedup();
            for &j in &candidates {
                let s = score(
                    &a.anchors,
                    &interned[i],
                    &items[j].anchors,
                    &interned[j],
                    idf,
                );
                if s > 0.0 {
                    scored.push((s, i, j));
                }
            }
        }
    }
    // The best score each article reaches with each other language, and
    // the runner-up: what a pair's confidence is measured against.
    let mut best: HashMap<(usize, &str), (f32, f32)> = HashMap::new();
    for &(s, i, j) in &scored {
        for (me, other) in [(i, j), (j, i)] {
            let e = best
                .entry((me, items[other].language.as_str()))
                .or_insert((0.0, 0.0));
            if s > e.0 {
                e.1 = e.0;
                e.0 = s;
            } else if s > e.1 {
                e.1 = s;
            }
        }
    }
    scored.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let mut paired: HashMap<(usize, &str), ()> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        for lang in &item.paired_in {
            paired.insert((i, lang.as_str()), ());
        }
    }
    let mut out = Vec::new();
    for (s, i, j) in scored {
        let (li, lj) = (items[i].language.as_str(), items[j].language.as_str());
        if paired.contains_key(&(i, lj)) || paired.contains_key(&(j, li)) {
            continue;
        }
        // The best competitor: the runner-up of either side when this pair
        // is its best, else its best (a better pair was taken elsewhere).
        let competitor = |me: usize, lang: &str| {
            let (b1, b2) = best.get(&(me, lang)).copied().unwrap_or((0.0, 0.0));
            if b1 <= s {
                b2
            } else {
                b1
            }
        };
        let rival = competitor(i, lj).max(competitor(j, li)).min(s);
        let confidence = ((s - rival) / s) * (s / FULL_SCORE).min(1.0);
        if s < MIN_SCORE || confidence < MIN_CONFIDENCE {
            continue;
        }
        paired.insert((i, lj), ());
        paired.insert((j, li), ());
        out.push(TranslationPair {
            a: i,
            b: j,
            score: s,
            confidence,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(title: &str, body: &str, people: &[&str]) -> ArticleDoc {
        ArticleDoc {
            title: title.into(),
            paragraphs: body.split("\n\n").map(str::to_string).collect(),
            people: people.iter().map(|p| p.to_string()).collect(),
            ..ArticleDoc::default()
        }
    }

    fn cand(lang: &str, day: u32, d: &ArticleDoc) -> TranslationCandidate {
        TranslationCandidate {
            language: lang.into(),
            published: NaiveDate::from_ymd_opt(2011, 12, day).expect("a date"),
            anchors: Anchors::of(d),
            paired_in: Vec::new(),
        }
    }

    #[test]
    fn anchors_keep_names_and_numbers_not_sentence_starts() {
        let a = Anchors::of(&doc(
            "Kim Yong Nam Meets Delegation",
            "The delegation of Tanzania arrived on 29 November. It met Kim Yong Nam at 10:00.",
            &["Kim Yong Nam"],
        ));
        for want in [
            "#29",
            "#10",
            "#0",
            "w:tanzania",
            "w:november",
            "p:kim yong nam",
        ] {
            assert!(
                a.anchors.contains(&want.to_string()),
                "{want} in {:?}",
                a.anchors
            );
        }
        assert!(!a.anchors.contains(&"w:the".to_string()));
        assert!(!a.anchors.contains(&"w:it".to_string()));
        assert!(!a.syllabic);
        let back = Anchors::from_stored(&a.joined(), a.chars, a.paragraphs, a.syllabic);
        assert_eq!(back, a);
    }

    #[test]
    fn stories_pair_with_their_translation_one_to_one() {
        let en1 = doc(
            "Kim Yong Nam to Visit Tanzania",
            "Kim Yong Nam, president of the Presidium of the DPRK Supreme People's Assembly, \
             will soon pay an official goodwill visit to the United Republic of Tanzania.",
            &["Kim Yong Nam"],
        );
        let en2 = doc(
            "Day of Cuban Armed Forces Marked",
            "The Cuban ambassador German Hermin Ferras Alvarez and military attache Leonardo \
             Perez Mesa gave a reception on the 55th anniversary of the Revolutionary Armed \
             Forces of Cuba.",
            &[],
        );
        let es1 = doc(
            "Kim Yong Nam visitara la Republica Unida de Tanzania",
            "Kim Yong Nam, presidente del Presidium de la Asamblea Popular Suprema de la \
             RPDC, realizara pronto una visita oficial y de amistad a la Republica Unida de Tanzania.",
            &["Kim Yong Nam"],
        );
        let es2 = doc(
            "Embajador y agregado militar de Cuba ofrecen banquete",
            "Con motivo del 55o aniversario de las Fuerzas Armadas Revolucionarias de Cuba el \
             embajador German Hermin Ferras Alvarez y el agregado militar Leonardo Perez Mesa \
             ofrecieron un banquete.",
            &[],
        );
        let items = vec![
            cand("en", 1, &en1),
            cand("en", 1, &en2),
            cand("es", 2, &es2),
            cand("es", 1, &es1),
        ];
        let mut pairs: Vec<(usize, usize)> = pair_translations(&items)
            .iter()
            .map(|p| (p.a.min(p.b), p.a.max(p.b)))
            .collect();
        pairs.sort();
        assert_eq!(pairs, vec![(0, 3), (1, 2)]);
        // Three days apart: no pair.
        let far = vec![cand("en", 1, &en1), cand("es", 4, &es1)];
        assert!(pair_translations(&far).is_empty());
        // Already paired in Spanish elsewhere: not paired again.
        let mut taken = vec![
            cand("en", 1, &en1),
            cand("es", 1, &es1),
            cand("en", 1, &en2),
        ];
        taken[0].paired_in = vec!["es".into()];
        assert!(pair_translations(&taken)
            .iter()
            .all(|p| p.a != 0 && p.b != 0));
    }

    #[test]
    fn korean_pairs_with_english_through_people_and_numbers() {
        let ko = doc(
            "김영남 탄자니아 방문",
            "김영남 최고인민회의 상임위원회 위원장이 2011년 12월 탄자니아를 방문한다.\n\n두 나라는 55개 항목에 합의하였다.",
            &["Kim Yong Nam"],
        );
        let en = doc(
            "Kim Yong Nam to Visit Tanzania",
            "Kim Yong Nam, president of the Presidium, will visit Tanzania in December 2011.\n\nThe two countries agreed on 55 points.",
            &["Kim Yong Nam"],
        );
        let other = doc(
            "Wreath Laid",
            "A wreath was laid before the statue on 3 December by Choe Thae Bok.",
            &["Choe Thae Bok"],
        );
        let items = vec![
            cand("en", 1, &other),
            cand("en", 1, &en),
            cand("ko", 1, &ko),
        ];
        assert!(items[2].anchors.syllabic);
        let pairs = pair_translations(&items);
        assert_eq!(pairs.len(), 1, "{pairs:?}");
        assert_eq!((pairs[0].a, pairs[0].b), (1, 2));
        assert!(pairs[0].confidence > 0.0 && pairs[0].confidence <= 1.0);
    }
}
