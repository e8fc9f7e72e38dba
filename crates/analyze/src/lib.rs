//! tealeaf's analysis engine: what one article says about people and
//! signals.
//!
//! Owns: finding mentions of people, countries, organizations and places
//! (gazetteers in `gazetteers/` plus rules for names no list knows, which
//! read the word lists beside them), the titles and honorifics attached to
//! people, events read from the headline and lead (actor, action,
//! recipient, occasion, resolved date, the full text's paragraph range),
//! and entourage lists in printed order.
//!
//! Must not touch: storage (SQLite), the search index (tantivy), the
//! terminal or the network. It is a pure function of one
//! [`tealeaf_model::ArticleDoc`] (plus the gazetteers), cheap enough to run
//! on every article at ingest; storing first/last-seen dates, counting and
//! charting belong to the integrating crates.
//!
//! Positions: a mention's `paragraph` is `None` for the headline and
//! `Some(i)` for paragraph `i` (0-based); `start..end` are byte offsets in
//! that text.

mod ascii;
pub mod entourage;
pub mod events;
mod events_es;
pub mod gazetteer;
pub mod hangul;
mod homonyms;
pub mod lexicon;
pub mod mentions;
mod pinyin;
pub mod rules;
mod scan;
pub mod text;
pub mod titles;
pub mod wordlists;

use std::collections::BTreeSet;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tealeaf_model::ArticleDoc;

pub use entourage::{Entourage, ListKind};
pub use events::Event;
pub use gazetteer::{EntityKind, Gazetteer, GazetteerError};
pub use mentions::{Mention, Source};
pub use titles::{PersonTitle, TitleKind, TitlePosition};
pub use wordlists::{List, TitleKindRule, WordLists};

/// Everything the engine reads from one article.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Analysis {
    /// In reading order (headline first).
    pub mentions: Vec<Mention>,
    pub titles: Vec<PersonTitle>,
    pub events: Vec<Event>,
    pub entourages: Vec<Entourage>,
}

impl Analysis {
    /// Canonical names of the entities of one kind, sorted, each once.
    pub fn entities(&self, kind: EntityKind) -> BTreeSet<&str> {
        self.mentions
            .iter()
            .filter(|m| m.kind == kind)
            .map(|m| &*m.canonical)
            .collect()
    }

    /// Canonical names of the people mentioned.
    pub fn people(&self) -> BTreeSet<&str> {
        self.entities(EntityKind::Person)
    }

    /// Distinct (person, title) pairs of the article: offices, posts and
    /// ranks (`General Secretary`, `chairman of the NDC`), not honorifics.
    pub fn person_titles(&self) -> BTreeSet<(&str, &str)> {
        self.titles_of_kind(TitleKind::Office)
    }

    /// Distinct (person, honorific) pairs of the article: words of respect
    /// (`respected Comrade`, `great leader`, `His Excellency`).
    pub fn person_honorifics(&self) -> BTreeSet<(&str, &str)> {
        self.titles_of_kind(TitleKind::Honorific)
    }

    fn titles_of_kind(&self, kind: TitleKind) -> BTreeSet<(&str, &str)> {
        self.titles
            .iter()
            .filter(|t| t.kind == kind)
            .map(|t| (t.person.as_str(), t.title.as_str()))
            .collect()
    }
}

/// The compiled engine. Build once, share freely (it is `Send + Sync`),
/// call [`Analyzer::analyze`] per article.
#[derive(Debug, Clone)]
pub struct Analyzer {
    matcher: mentions::Matcher,
    homonyms: homonyms::Homonyms,
}

impl Analyzer {
    /// With the gazetteers and word lists shipped in the repository.
    pub fn new() -> Result<Analyzer, GazetteerError> {
        Analyzer::with_gazetteer(&Gazetteer::embedded()?)
    }

    /// With the shipped gazetteers and word lists overridden and extended
    /// by the `*.tsv` files of `dir` (see [`gazetteer`] and [`wordlists`]
    /// for the formats and rules).
    pub fn with_user_dir(dir: &Path) -> Result<Analyzer, GazetteerError> {
        Analyzer::with_lists(
            &Gazetteer::with_user_dir(dir)?,
            &WordLists::with_user_dir(dir)?,
        )
    }

    /// With these gazetteer entries and the shipped word lists.
    pub fn with_gazetteer(g: &Gazetteer) -> Result<Analyzer, GazetteerError> {
        Analyzer::with_lists(g, &WordLists::embedded()?)
    }

    /// With these gazetteer entries and word lists.
    pub fn with_lists(g: &Gazetteer, words: &WordLists) -> Result<Analyzer, GazetteerError> {
        Ok(Analyzer {
            matcher: mentions::Matcher::new(g, lexicon::Lexicon::new(words))?,
            homonyms: homonyms::Homonyms::new(words),
        })
    }

    /// The canonical name a gazetteer gives a person's variant spelling
    /// (as written, or folded: `Ch'oe Ryong-hae`, `최룡해`).
    pub fn canonical_person<'a>(&'a self, name: &'a str) -> &'a str {
        self.matcher.canonical_person(name).unwrap_or(name)
    }

    /// The name under which the analysis stores a person asked for by
    /// any spelling: the gazetteer's canonical name, else a Hangul name
    /// romanized DPRK-style (`최영도` → `Choe Yong Do`), else a Korean
    /// name (a surname and two romanized syllables) folded and
    /// capitalized (`Choe Yong-do` → `Choe Yong Do`), else the name as
    /// given.
    pub fn person_name(&self, name: &str) -> String {
        let name = name.trim();
        if let Some(c) = self.matcher.canonical_person(name) {
            return c.to_string();
        }
        if let Some(roman) = hangul::romanize_name(name) {
            return self.canonical_person(&roman).to_string();
        }
        // An unknown Korean name in another spelling (`Choe Yong-do`):
        // as the romanized-name rule stores it, one capitalized word a
        // syllable.
        let lex = self.matcher.lexicon();
        let folded = hangul::fold_name(name, |s| lex.is_surname(s));
        let words: Vec<String> = folded
            .split(' ')
            .map(|w| {
                let mut cs = w.chars();
                cs.next()
                    .map(|c| c.to_uppercase().chain(cs).collect())
                    .unwrap_or_default()
            })
            .collect();
        let korean = words.len() == 3
            && lex.is_surname(&words[0])
            && words[1..].iter().all(|w| lex.is_syllable(w));
        if korean {
            words.join(" ")
        } else {
            name.to_string()
        }
    }

    pub fn analyze(&self, doc: &ArticleDoc) -> Analysis {
        self.analyze_parts(&doc.title, &doc.paragraphs, doc.published)
    }

    /// The same on loose parts (a headline, paragraphs, a publication date).
    pub fn analyze_parts(
        &self,
        title: &str,
        paragraphs: &[String],
        published: Option<NaiveDate>,
    ) -> Analysis {
        // Read once: mentions, titles and events all follow the language.
        let spanish = text::is_spanish(title, paragraphs);
        let mut mentions = self.matcher.find(title, paragraphs, spanish);
        let titles = titles::find_titles(
            self.matcher.lexicon(),
            &mentions,
            title,
            paragraphs,
            spanish,
        );
        self.homonyms
            .resolve(&mut mentions, &titles, title, paragraphs);
        let events = events::find_events(&mentions, title, paragraphs, published, spanish);
        let entourages = entourage::find_entourages(&mentions, paragraphs);
        Analysis {
            mentions,
            titles,
            events,
            entourages,
        }
    }
}
