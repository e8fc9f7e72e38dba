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
