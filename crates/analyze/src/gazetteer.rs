//! Gazetteers: user-editable lists of names and their variants.
//!
//! Format (one entry a line, UTF-8, `#` starts a comment line):
//!
//! ```text
//! canonical<TAB>kind<TAB>variant|variant|...
//! ```
//!
//! `kind` is `person`, `country`, `organization`, `place`, or `none` (a
//! phrase that is no entity but masks the names inside it, e.g. `Kim Il Sung
//! Prize`). The canonical name is always matched too; the variant column may
//! be empty. Matching is case-sensitive on whole words; every variant with a
//! straight apostrophe also matches with a curly one (`’`).
//!
//! The files in the repository's `gazetteers/` directory are embedded as the
//! default. [`Gazetteer::with_user_dir`] adds every `*.tsv` file of a
//! directory on top: an entry whose canonical name is already known replaces
//! that entry (kind and variants), a new one extends the list, and a variant
//! claimed by a user entry wins over the same variant in an embedded one.
//! Files named like a word list (`role-words.tsv`, ...) are no gazetteers:
//! they are read by [`crate::wordlists`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::wordlists::List;

/// What a mention names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Country,
    Organization,
    Place,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Country => "country",
            EntityKind::Organization => "organization",
            EntityKind::Place => "place",
        }
    }
}

/// A gazetteer entry's kind: an entity kind, or a mask (`none`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Entity(EntityKind),
    Mask,
}

impl EntryKind {
    fn parse(s: &str) -> Option<EntryKind> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "person" => EntryKind::Entity(EntityKind::Person),
            "country" => EntryKind::Entity(EntityKind::Country),
            "organization" | "organisation" | "org" => EntryKind::Entity(EntityKind::Organization),
            "place" => EntryKind::Entity(EntityKind::Place),
            "none" | "mask" => EntryKind::Mask,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub canonical: String,
    pub kind: EntryKind,
    pub variants: Vec<String>,
}

/// A malformed gazetteer: names the file and the 1-based line.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    #[error("{file}:{line}: {message}")]
    Syntax {
        file: String,
        line: usize,
        message: String,
    },
    #[error("gazetteer too large to compile: {0}")]
    Automaton(String),
    // The message includes the cause's; not chained (printed twice).
    #[error("cannot read gazetteer {}: {cause}", path.display())]
    Io {
        path: PathBuf,
        cause: std::io::Error,
    },
}

/// The embedded defaults (the entity lists of the repository's
/// `gazetteers/` directory).
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "countries.tsv",
        include_str!("../../../gazetteers/countries.tsv"),
    ),
    ("people.tsv", include_str!("../../../gazetteers/people.tsv")),
    (
        "organizations.tsv",
        include_str!("../../../gazetteers/organizations.tsv"),
    ),
    ("places.tsv", include_str!("../../../gazetteers/places.tsv")),
    ("masks.tsv", include_str!("../../../gazetteers/masks.tsv")),
];

/// An ordered set of entries; later entries override earlier ones.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    entries: Vec<Entry>,
    by_canonical: HashMap<String, usize>,
}

impl Gazetteer {
    /// No entries at all (rules only).
    pub fn empty() -> Gazetteer {
        Gazetteer::default()
    }

    /// The lists shipped with tealeaf.
    pub fn embedded() -> Result<Gazetteer, GazetteerError> {
        let mut g = Gazetteer::empty();
        for (name, text) in EMBEDDED {
            g.add_text(&format!("gazetteers/{name}"), text)?;
        }
        Ok(g)
    }

    /// The embedded lists, overridden and extended by every `*.tsv` file in
    /// `dir` (in file-name order) but the word lists.
    pub fn with_user_dir(dir: &Path) -> Result<Gazetteer, GazetteerError> {
        let mut g = Gazetteer::embedded()?;
        g.add_dir(dir)?;
        Ok(g)
    }

    /// Adds every `*.tsv` file in `dir` (in file-name order) but the word
    /// lists ([`crate::wordlists`]).
    pub fn add_dir(&mut self, dir: &Path) -> Result<(), GazetteerError> {
        let io = |cause| GazetteerError::Io {
            path: dir.to_path_buf(),
            cause,
        };
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_none_or(|n| List::from_file_name(n).is_none())
            })
            .collect();
        files.sort();
        for path in files {
            let text = std::fs::read_to_string(&path).map_err(|cause| GazetteerError::Io {
                path: path.clone(),
                cause,
            })?;
            self.add_text(&path.display().to_string(), &text)?;
        }
        Ok(())
    }

    /// Parses one file's text; `file` names it in errors.
    pub fn add_text(&mut self, file: &str, text: &str) -> Result<(), GazetteerError> {
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let err = |message: String| GazetteerError::Syntax {
                file: file.to_string(),
                line: i + 1,
                message,
            };
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 2 || cols.len() > 3 {
                return Err(err(format!(
                    "expected `canonical<TAB>kind<TAB>variant|variant|...`, found {} tab-separated column(s)",
                    cols.len()
                )));
            }
            let canonical = cols[0].trim();
            if canonical.is_empty() {
                return Err(err("empty canonical name".into()));
            }
            let kind = EntryKind::parse(cols[1]).ok_or_else(|| {
                err(format!(
                    "unknown kind `{}` (expected person, country, organization, place or none)",
                    cols[1].trim()
                ))
            })?;
            let mut variants = vec![canonical.to_string()];
            for v in cols.get(2).copied().unwrap_or("").split('|') {
                let v = v.trim();
                if !v.is_empty() && !variants.iter().any(|x| x == v) {
                    variants.push(v.to_string());
                }
            }
            self.insert(Entry {
                canonical: canonical.to_string(),
                kind,
                variants,
            });
        }
        Ok(())
    }

    /// Adds an entry, replacing one with the same canonical name.
    pub fn insert(&mut self, entry: Entry) {
        match self.by_canonical.get(&entry.canonical) {
            Some(&i) => self.entries[i] = entry,
            None => {
                self.by_canonical
                    .insert(entry.canonical.clone(), self.entries.len());
                self.entries.push(entry);
            }
        }
    }

    /// Removes every entry of one kind (e.g. people, to measure the rules alone).
    pub fn without_kind(mut self, kind: EntryKind) -> Gazetteer {
        self.entries.retain(|e| e.kind != kind);
        self.by_canonical = self
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.canonical.clone(), i))
            .collect();
        self
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_lists_parse() {
        let g = Gazetteer::embedded().unwrap();
        assert!(g.entries().len() > 300);
        let dprk = g.entries().iter().find(|e| e.canonical == "DPRK").unwrap();
        assert!(dprk
            .variants
            .iter()
            .any(|v| v == "Democratic People's Republic of Korea"));
    }

    #[test]
    fn malformed_line_names_file_and_line() {
        let mut g = Gazetteer::empty();
        let e = g
            .add_text("mine.tsv", "# c\nA B\tperson\tx\nC D\tpeople\n")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "mine.tsv:3: unknown kind `people` (expected person, country, organization, place or none)"
        );
        let e = g.add_text("x.tsv", "just one column").unwrap_err();
        assert!(e.to_string().starts_with("x.tsv:1: expected"), "{e}");
    }

    #[test]
    fn user_entries_replace_same_canonical() {
        let mut g = Gazetteer::embedded().unwrap();
        g.add_text("u.tsv", "Pyongyang\tplace\tPhyongyang\n")
            .unwrap();
        let n = g
            .entries()
            .iter()
            .filter(|e| e.canonical == "Pyongyang")
            .count();
        assert_eq!(n, 1);
        let e = g
            .entries()
            .iter()
            .find(|e| e.canonical == "Pyongyang")
            .unwrap();
        assert_eq!(e.variants, vec!["Pyongyang", "Phyongyang"]);
    }
}
