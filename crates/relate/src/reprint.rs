//! Reprints: MinHash signatures of an article's text and the LSH band keys
//! that find articles whose signatures agree.
//!
//! The text is cut into shingles (runs of [`WORD_SHINGLE`] words, or of
//! [`SYLLABLE_SHINGLE`] characters in Korean, Chinese and Japanese, which
//! attach endings to words), and the signature keeps, for each of
//! [`HASHES`] hash functions, the least hash over the shingles. Two
//! signatures agree at a position with probability equal to the Jaccard
//! similarity of the shingle sets, so the share of agreeing positions
//! estimates it. Articles are candidates when any of [`BANDS`] bands of
//! [`ROWS`] positions agrees entirely: a pair at similarity 0.5 is a
//! candidate with probability 1 - (1 - 0.5³)³² ≈ 0.986, one at 0.2 with
//! 0.23, and candidates are then checked against [`REPRINT_THRESHOLD`].
//!
//! Signatures are stored in the archive and compared with signatures
//! computed by later builds, so the hash functions are fixed here
//! (xxHash64 with constant seeds, then multiply-shift hashing with fixed
//! coefficients per position) rather than taken from a MinHash crate whose
//! update could change them.

use tealeaf_model::text::is_bigram_script;
use twox_hash::XxHash64;

/// Positions in a signature.
pub const HASHES: usize = 96;
/// LSH bands, of [`ROWS`] positions each.
pub const BANDS: usize = 32;
pub const ROWS: usize = HASHES / BANDS;
/// Shingle length in words, for texts written with spaces between words.
pub const WORD_SHINGLE: usize = 4;
/// Shingle length in characters, for texts in Hangul, Hanja or kana.
pub const SYLLABLE_SHINGLE: usize = 6;
/// The longer of the two shingle lengths.
const fn max_shingle() -> usize {
    if WORD_SHINGLE > SYLLABLE_SHINGLE {
        WORD_SHINGLE
    } else {
        SYLLABLE_SHINGLE
    }
}

/// Texts with fewer shingles get no signature: a headline or a one-line
/// notice repeats as the agency's formulas do, not as a reprint.
pub const MIN_SHINGLES: usize = 12;
/// Estimated similarity from which two articles are reprints of each
/// other when they also name the same people, places and numbers
/// ([`is_reprint`]).
pub const REPRINT_THRESHOLD: f32 = 0.5;
/// Estimated similarity from which two texts are one text printed twice,
/// whatever their titles.
pub const SAME_TEXT_THRESHOLD: f32 = 0.9;
/// Below [`SAME_TEXT_THRESHOLD`], the similarity of the texts plus the
/// share of names and numbers they have in common must reach this: the
/// agency's formulas ("... met the newly appointed ambassador of ...")
/// make two reports of different events alike in words, but not in whom
/// and what they name, while a re-run keeps both.
pub const WORDS_AND_NAMES: f32 = 1.6;

/// Whether two articles whose texts have `similarity` are reprints of each
/// other (a reprint, a re-run, one text under two titles), given their
/// anchors (crate::translation::Anchors: names and numbers).
pub fn is_reprint(similarity: f32, a: &crate::Anchors, b: &crate::Anchors) -> bool {
    if similarity >= SAME_TEXT_THRESHOLD {
        return true;
    }
    if similarity < REPRINT_THRESHOLD {
        return false;
    }
    let shared = a
        .anchors
        .iter()
        .filter(|x| b.anchors.binary_search(x).is_ok())
        .count();
    let all = a.anchors.len() + b.anchors.len() - shared;
    all > 0 && similarity + shared as f32 / all as f32 >= WORDS_AND_NAMES
}

/// A text's MinHash signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature(pub [u32; HASHES]);

/// splitmix64's finalizer: a bijective mix, for the coefficients.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The `i`-th hash function's multiplier (odd) and increment: position
/// `i` of a signature is the least `(a·h + b) >> 32` over the shingles'
/// hashes `h` (multiply-shift hashing: one multiply per shingle and
/// position, where a full mix would take three).
fn coefficients(i: usize) -> (u64, u64) {
    let a = mix(0x7EA1_EAF0_0000_0000 ^ (2 * i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)) | 1;
    let b = mix(0x7EA1_EAF0_0000_0000 ^ (2 * i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    (a, b)
}

/// The text's units: lowercased words, and each character of a script
/// written without spaces as a unit of its own. Returns whether most units
/// are such characters.
fn units(paragraphs: &[String]) -> (Vec<u64>, bool) {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut syllables = 0usize;
    let mut buf = [0u8; 4];
    let flush = |word: &mut String, out: &mut Vec<u64>| {
        if !word.is_empty() {
            out.push(XxHash64::oneshot(1, word.as_bytes()));
            word.clear();
        }
    };
    for p in paragraphs {
        for c in p.chars() {
            if is_bigram_script(c) {
                flush(&mut word, &mut out);
                out.push(XxHash64::oneshot(2, c.encode_utf8(&mut buf).as_bytes()));
                syllables += 1;
            } else if c.is_alphanumeric() {
                word.extend(c.to_lowercase());
            } else {
                flush(&mut word, &mut out);
            }
        }
        flush(&mut word, &mut out);
    }
    let mostly_syllables = syllables * 2 > out.len();
    (out, mostly_syllables)
}

impl Signature {
    /// The signature of an article's text (its paragraphs: a reprint may
    /// carry another title), or `None` when the text is too short to tell
    /// a reprint from a formula.
    pub fn of(paragraphs: &[String]) -> Option<Signature> {
        let (units, syllabic) = units(paragraphs);
        let k = if syllabic {
            SYLLABLE_SHINGLE
        } else {
            WORD_SHINGLE
        };
        if units.len() < k + MIN_SHINGLES - 1 {
            return None;
        }
        let mut shingles: Vec<u64> = units
            .windows(k)
            .map(|w| {
                // The longest shingle's bytes, on the stack.
                let mut bytes = [0u8; 8 * max_shingle()];
                for (chunk, u) in bytes.chunks_exact_mut(8).zip(w) {
                    chunk.copy_from_slice(&u.to_le_bytes());
                }
                XxHash64::oneshot(3, &bytes[..8 * w.len()])
            })
            .collect();
        shingles.sort_unstable();
        shingles.dedup();
        if shingles.len() < MIN_SHINGLES {
            return None;
        }
        let mut mins = [u32::MAX; HASHES];
        for (i, min) in mins.iter_mut().enumerate() {
            let (a, b) = coefficients(i);
            for &h in &shingles {
                let v = (a.wrapping_mul(h).wrapping_add(b) >> 32) as u32;
                if v < *min {
                    *min = v;
                }
            }
        }
        Some(Signature(mins))
    }

    /// Estimated Jaccard similarity of the two texts' shingles.
    pub fn similarity(&self, other: &Signature) -> f32 {
        let same = self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count();
        same as f32 / HASHES as f32
    }

    /// One key per band; two articles are candidates when a band's keys
    /// are equal (keys of different bands are never compared).
    pub fn bands(&self) -> [u32; BANDS] {
        let mut keys = [0u32; BANDS];
        for (b, key) in keys.iter_mut().enumerate() {
            let mut bytes = [0u8; 4 * ROWS];
            for (r, v) in self.0[b * ROWS..(b + 1) * ROWS].iter().enumerate() {
                bytes[4 * r..4 * r + 4].copy_from_slice(&v.to_le_bytes());
            }
            *key = XxHash64::oneshot(b as u64, &bytes) as u32;
        }
        keys
    }

    /// A key equal for equal signatures: articles whose texts give one
    /// signature are copies of one text (similarity 1), kept as one
    /// reprint group and looked up by this key (64 bits of the whole
    /// signature: two unequal signatures share one about once in 2^64
    /// pairs, and are then taken for copies).
    pub fn text_key(&self) -> i64 {
        XxHash64::oneshot(0x7465_7874, &self.to_bytes()) as i64
    }

    /// The stored form: little-endian words.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// Reads the stored form; `None` when it is not one.
    pub fn from_bytes(bytes: &[u8]) -> Option<Signature> {
        if bytes.len() != 4 * HASHES {
            return None;
        }
        let mut mins = [0u32; HASHES];
        for (i, chunk) in bytes.chunks_exact(4).enumerate() {
            mins[i] = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        }
        Some(Signature(mins))
    }
}

/// Band keys in their stored form (little-endian words).
pub fn bands_to_bytes(bands: &[u32; BANDS]) -> Vec<u8> {
    bands.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// Reads stored band keys; `None` when they are not [`BANDS`] words.
pub fn bands_from_bytes(bytes: &[u8]) -> Option<[u32; BANDS]> {
    if bytes.len() != 4 * BANDS {
        return None;
    }
    let mut keys = [0u32; BANDS];
    for (i, chunk) in bytes.chunks_exact(4).enumerate() {
        keys[i] = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
    }
    Some(keys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn text(s: &str) -> Vec<String> {
        s.split("\n\n").map(str::to_string).collect()
    }

    const STORY: &str = "The Korean Central News Agency released a detailed report on the \
        modernization of the February 8 Vinalon Complex, which was completed with success \
        by the workers and technicians of the complex.\n\nThe report said that the \
        complex now turns out vinalon and other chemical goods on a large scale, and \
        that the workers pledged to increase production in the new year.";

    /// Signatures stored by earlier builds are compared with new ones: the
    /// text keys of two fixed texts (words, and Hangul characters) are
    /// those every build has computed.
    #[test]
    fn signatures_are_those_earlier_builds_stored() {
        let korean =
            "조선중앙통신사는 2월 8일 비날론련합기업소의 현대화에 대한 상세한 보도를 발표하였다. \
            보도는 련합기업소가 지금 비날론과 여러가지 화학제품을 대량으로 생산하고 있으며 \
            로동자들이 새해에 생산을 늘일 결의를 다지였다고 지적하였다.";
        let keys: Vec<i64> = [STORY, korean]
            .iter()
            .map(|t| Signature::of(&text(t)).expect("long enough").text_key())
            .collect();
        assert_eq!(
            keys,
            [-1_504_222_795_468_807_385, 4_264_997_138_513_168_033]
        );
    }

    #[test]
    fn a_reprint_under_another_title_or_with_a_changed_word_is_similar() {
        let a = Signature::of(&text(STORY)).expect("long enough");
        let same = Signature::of(&text(STORY)).expect("long enough");
        assert_eq!(a, same, "signatures are deterministic");
        assert_eq!(a.similarity(&same), 1.0);
        let edited = STORY.replace("large scale", "big scale");
        let b = Signature::of(&text(&edited)).expect("long enough");
        let s = a.similarity(&b);
        assert!(s > REPRINT_THRESHOLD && s < 1.0, "{s}");
        assert!(a.bands().iter().zip(b.bands()).any(|(x, y)| *x == y));
    }

    #[test]
    fn different_stories_are_not_similar() {
        let a = Signature::of(&text(STORY)).expect("long enough");
        let other = "Kim Yong Nam, president of the Presidium of the DPRK Supreme People's \
            Assembly, met and had a friendly talk with the delegation of the Lao People's \
            Revolutionary Party at the Mansudae Assembly Hall on Thursday, and the two sides \
            exchanged views on matters of mutual concern.";
        let b = Signature::of(&text(other)).expect("long enough");
        assert!(a.similarity(&b) < 0.1, "{}", a.similarity(&b));
    }

    #[test]
    fn texts_alike_in_words_but_naming_others_are_not_reprints() {
        let anchors = |names: &[&str]| crate::Anchors {
            anchors: {
                let mut v: Vec<String> = names.iter().map(|n| n.to_string()).collect();
                v.sort();
                v
            },
            ..crate::Anchors::default()
        };
        let cuba = anchors(&["w:cuba", "p:kim yong nam", "#12"]);
        let laos = anchors(&["w:laos", "p:kim yong nam", "#12"]);
        assert!(!is_reprint(0.7, &cuba, &laos));
        assert!(is_reprint(0.7, &cuba, &cuba.clone()));
        assert!(is_reprint(0.95, &cuba, &laos), "one text under two titles");
        assert!(!is_reprint(0.4, &cuba, &cuba.clone()));
    }

    #[test]
    fn korean_text_is_cut_in_characters() {
        let ko = "경애하는 김정은동지께서 새해를 맞으며 해외작전부대들에 보내신 축하문을 \
            로동신문이 전하였다. 부대의 전체 장병들은 조국의 부름을 받들고 용감히 싸웠다.";
        let a = Signature::of(&text(ko)).expect("long enough");
        let b = Signature::of(&text(&ko.replace("용감히", "용맹하게"))).expect("long enough");
        assert!(a.similarity(&b) > REPRINT_THRESHOLD, "{}", a.similarity(&b));
    }

    #[test]
    fn a_headline_has_no_signature() {
        assert_eq!(Signature::of(&text("Kim Jong Il Visits Factory")), None);
        assert_eq!(Signature::of(&[]), None);
    }

    proptest! {
        #[test]
        fn stored_forms_read_back(words in proptest::collection::vec("[a-z]{1,8}", 20..80)) {
            let t = vec![words.join(" ")];
            if let Some(sig) = Signature::of(&t) {
                prop_assert_eq!(Signature::from_bytes(&sig.to_bytes()), Some(sig.clone()));
                let bands = sig.bands();
                prop_assert_eq!(bands_from_bytes(&bands_to_bytes(&bands)), Some(bands));
            }
        }
    }
}
