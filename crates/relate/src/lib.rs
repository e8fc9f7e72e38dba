//! Relations between articles: the same text printed again (reprints,
//! near-duplicates within a language) and the same story told in another
//! language (translations).
//!
//! Owns: the MinHash signature of an article's text and its LSH band keys
//! ([`reprint`]), the anchors a translation shares with its original
//! (names, numbers) and the one-to-one pairing of articles across
//! languages with a confidence ([`translation`]). Pure functions over
//! article text: the pipeline decides which articles to relate, the
//! archive stores signatures and relations.
//!
//! Must not touch: SQL, files, the index, the analysis of one article
//! (it takes the people and countries the analysis found as given).

pub mod reprint;
pub mod translation;

pub use reprint::{is_reprint, Signature, BANDS, HASHES, REPRINT_THRESHOLD};
pub use translation::{pair_translations, Anchors, TranslationCandidate, TranslationPair};

/// A digest of all an article's features are computed from (its title,
/// paragraphs, people and countries): articles with equal digests have
/// equal signatures and anchors, so that copies of a text are computed
/// once. 128 bits: two texts of an archive never share one by chance.
pub fn features_digest(doc: &tealeaf_model::ArticleDoc) -> u128 {
    use std::hash::Hasher;
    let mut halves = [
        twox_hash::XxHash64::with_seed(0x6665_6174),
        twox_hash::XxHash64::with_seed(0x7572_6573),
    ];
    let title = std::slice::from_ref(&doc.title);
    for list in [title, &doc.paragraphs, &doc.people, &doc.countries] {
        for h in &mut halves {
            h.write_u64(list.len() as u64);
        }
        for part in list {
            for h in &mut halves {
                // Lengths first: ["ab", "c"] and ["a", "bc"] differ.
                h.write_u64(part.len() as u64);
                h.write(part.as_bytes());
            }
        }
    }
    (u128::from(halves[0].finish()) << 64) | u128::from(halves[1].finish())
}
