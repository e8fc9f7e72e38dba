//! Storing and reading the analysis of articles (people, countries,
//! titles, events, entourage lists). Derived data: rebuilt for an article
//! whenever its current version changes, and by `tealeaf reanalyze`.

pub(crate) mod read;
pub(crate) mod rows;
mod store;

/// The analysis tables' secondary indexes: what queries look rows up by
/// (a name, a person, an actor, a date). Storing rows never reads them
/// (the triggers of schema 12 look rows up by their keys), so a bulk
/// load can drop them and build them once at its end
/// ([`crate::ArchiveWriter::defer_analysis_indexes`]).
const ANALYSIS_INDEXES: [(&str, &str); 4] = [
    ("mentions_name", "mentions(name, kind)"),
    ("events_actor", "events(actor)"),
    ("events_at", "events(at DESC, article_id, n)"),
    ("entourage_person", "entourage(person)"),
];
