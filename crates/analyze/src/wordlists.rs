//! Word lists: the words the rules read names and titles by (surnames, title
//! and role words, words that are never names, honorifics ...), kept as
//! user-editable files beside the gazetteers.
//!
//! Owns: which lists there are, their files' format, parsing them, and a
//! user's additions and removals. Must not touch: how the words are looked
//! up (that is [`crate::lexicon`]) or what the rules do with them.
//!
//! Format (UTF-8, one entry a line, `#` starts a comment line, blank lines
//! are ignored): one word a line; a phrase for `title-words.tsv`; and
//! `form<TAB>title[<TAB>kind]` for `honorifics.tsv`, where an empty title
//! means the form itself and `kind` is `office` (the default),
//! `honorific` or `revered` (see [`TitleKindRule`]);
//! `name<TAB>sense<TAB>cue|cue|...` for `homonyms.tsv`;
//! `word<TAB>kind[<TAB>before]` for `institution-words.tsv`
//! (kind `organization`, `place`, `other` or `modifier`; `before` for a
//! head noun printed before the name, as Spanish does). Each file's header
//! says what its list is for.
//!
//! The files in the repository's `gazetteers/` directory are embedded as the
//! default. [`WordLists::with_user_dir`] reads, from a directory, the files
//! named like a list (`role-words.tsv`, ...): each line there adds its entry
//! to that list (an honorific already listed takes the user's title), and a
//! line `!entry` removes one. The directory's other `*.tsv` files are
//! entity gazetteers (see [`crate::gazetteer`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::gazetteer::GazetteerError;

/// One word list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum List {
    /// Korean surnames (`surnames.tsv`).
    Surnames,
    /// Chinese surnames in pinyin (`chinese-surnames.tsv`).
    ChineseSurnames,
    /// English words shaped like a romanized syllable (`not-syllables.tsv`).
    NotSyllables,
    /// Words after a Korean name that make it an institution's
    /// (`institution-words.tsv`).
    InstitutionWords,
    /// Titles a foreign name follows (`title-words.tsv`).
    TitleWords,
    /// Lower-case appositive roles (`role-words.tsv`).
    RoleWords,
    /// Capitalized words never part of a name (`non-name-words.tsv`).
    NonNameWords,
    /// Particles inside foreign names (`name-particles.tsv`).
    NameParticles,
    /// Titles printed before a name, and the title reported
    /// (`honorifics.tsv`).
    Honorifics,
    /// People of one name and the words that tell them apart
    /// (`homonyms.tsv`).
    Homonyms,
    /// Foreign given names (`given-names.tsv`).
    GivenNames,
}

impl List {
    pub const ALL: [List; 11] = [
        List::Surnames,
        List::ChineseSurnames,
        List::NotSyllables,
        List::InstitutionWords,
        List::TitleWords,
        List::RoleWords,
        List::NonNameWords,
        List::NameParticles,
        List::Honorifics,
        List::Homonyms,
        List::GivenNames,
    ];

    /// The list's file name, in `gazetteers/` and in a user directory.
    pub fn file_name(self) -> &'static str {
        match self {
            List::Surnames => "surnames.tsv",
            List::ChineseSurnames => "chinese-surnames.tsv",
            List::NotSyllables => "not-syllables.tsv",
            List::InstitutionWords => "institution-words.tsv",
            List::TitleWords => "title-words.tsv",
            List::RoleWords => "role-words.tsv",
            List::NonNameWords => "non-name-words.tsv",
            List::NameParticles => "name-particles.tsv",
            List::Honorifics => "honorifics.tsv",
            List::Homonyms => "homonyms.tsv",
            List::GivenNames => "given-names.tsv",
        }
    }

    /// The list a file of this name holds, if it is a word list's.
    pub fn from_file_name(name: &str) -> Option<List> {
        List::ALL.into_iter().find(|l| l.file_name() == name)
    }

    fn embedded_text(self) -> &'static str {
        match self {
            List::Surnames => include_str!("../../../gazetteers/surnames.tsv"),
            List::ChineseSurnames => include_str!("../../../gazetteers/chinese-surnames.tsv"),
            List::NotSyllables => include_str!("../../../gazetteers/not-syllables.tsv"),
            List::InstitutionWords => include_str!("../../../gazetteers/institution-words.tsv"),
            List::TitleWords => include_str!("../../../gazetteers/title-words.tsv"),
            List::RoleWords => include_str!("../../../gazetteers/role-words.tsv"),
            List::NonNameWords => include_str!("../../../gazetteers/non-name-words.tsv"),
            List::NameParticles => include_str!("../../../gazetteers/name-particles.tsv"),
            List::Honorifics => include_str!("../../../gazetteers/honorifics.tsv"),
            List::Homonyms => include_str!("../../../gazetteers/homonyms.tsv"),
            List::GivenNames => include_str!("../../../gazetteers/given-names.tsv"),
        }
    }

    /// What an entry must look like, said in a parse error when it does not.
    fn check(self, entry: &str) -> Result<(), &'static str> {
        let one_word = !entry.contains(char::is_whitespace);
        let first = entry.chars().next();
        match self {
            List::TitleWords | List::Honorifics | List::Homonyms => Ok(()),
            _ if !one_word => Err("expected one word a line"),
            List::Surnames | List::ChineseSurnames
                if !first.is_some_and(|c| c.is_ascii_uppercase()) =>
            {
                Err("a surname starts with a capital A-Z")
            }
            List::GivenNames if !first.is_some_and(|c| c.is_ascii_uppercase()) => {
                Err("a given name starts with a capital A-Z")
            }
            List::RoleWords if !first.is_some_and(char::is_lowercase) => {
                Err("a role word starts with a lower-case letter")
            }
            _ => Ok(()),
        }
    }
}

/// What a form of `honorifics.tsv` reports: an office or a word of
/// respect, told apart so that a person's first title is an office.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum TitleKindRule {
    /// An office, post or rank (`General Secretary`, `Marshal`, `Premier`).
    #[default]
    Office,
    /// A word of respect (`respected`, `Comrade`, `His Excellency`).
    Honorific,
    /// A rank that is an honorific when the article reveres the person
    /// with another honorific (`General` of Kim Jong Il, beside `great
    /// leader`; a rank of `General Kim Kyok Sik`).
    Revered,
}

impl TitleKindRule {
    fn parse(s: &str) -> Option<TitleKindRule> {
        match s {
            "" | "office" => Some(TitleKindRule::Office),
            "honorific" => Some(TitleKindRule::Honorific),
            "revered" => Some(TitleKindRule::Revered),
            _ => None,
        }
    }
}

/// The parsed lists. Entries are kept sorted (the lists are sets; the
/// honorifics are tried longest first), each once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WordLists {
    /// Entry → the title it is reported as (honorifics; `None`: itself).
    lists: BTreeMap<List, BTreeMap<String, Option<String>>>,
    /// The kind of each honorific form (absent: an office).
    kinds: BTreeMap<String, TitleKindRule>,
}

impl WordLists {
    /// No words at all.
    pub fn empty() -> WordLists {
        WordLists::default()
    }

    /// The lists shipped with tealeaf.
    pub fn embedded() -> Result<WordLists, GazetteerError> {
        let mut w = WordLists::empty();
        for list in List::ALL {
            w.add_text(
                list,
                &format!("gazetteers/{}", list.file_name()),
                list.embedded_text(),
            )?;
        }
        Ok(w)
    }

    /// The embedded lists with the additions and removals of the word-list
    /// files in `dir`.
    pub fn with_user_dir(dir: &Path) -> Result<WordLists, GazetteerError> {
        let mut w = WordLists::embedded()?;
        w.add_dir(dir)?;
        Ok(w)
    }

    /// Reads the files of `dir` named like a list (any others are left to
    /// the gazetteer).
    pub fn add_dir(&mut self, dir: &Path) -> Result<(), GazetteerError> {
        let entries = std::fs::read_dir(dir).map_err(|cause| GazetteerError::Io {
            path: dir.to_path_buf(),
            cause,
        })?;
        let mut files: Vec<(List, PathBuf)> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter_map(|p| {
                let list = List::from_file_name(p.file_name()?.to_str()?)?;
                Some((list, p))
            })
            .collect();
        files.sort();
        for (list, path) in files {
            let text = std::fs::read_to_string(&path).map_err(|cause| GazetteerError::Io {
                path: path.clone(),
                cause,
            })?;
            self.add_text(list, &path.display().to_string(), &text)?;
        }
        Ok(())
    }

    /// Parses one file's text into `list`; `file` names it in errors.
    pub fn add_text(&mut self, list: List, file: &str, text: &str) -> Result<(), GazetteerError> {
        let words = self.lists.entry(list).or_default();
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
            let mut cols = line.split('\t').map(str::trim);
            let (entry, second, third) = (cols.next().unwrap_or(""), cols.next(), cols.next());
            let n_cols =
                1 + usize::from(second.is_some()) + usize::from(third.is_some()) + cols.count();
            let mut kind = TitleKindRule::Office;
            let (homonym_key, institution_value);
            let (entry, title) = match (list, second, n_cols) {
                // Keyed by name and sense; the cues ride as the value.
                (List::Homonyms, Some(sense), 2 | 3) if !sense.is_empty() => {
                    let cues = line.split('\t').nth(2).map(str::trim).unwrap_or("");
                    homonym_key = format!("{entry}\t{sense}");
                    (homonym_key.as_str(), Some(cues).filter(|c| !c.is_empty()))
                }
                (List::Homonyms, _, _) => {
                    return Err(err(format!(
                        "expected `name<TAB>sense<TAB>cue|cue|...`, found {n_cols} tab-separated columns"
                    )))
                }
                (_, None, _) => (entry, None),
                (List::Honorifics, Some(title), 2 | 3) => {
                    kind = TitleKindRule::parse(third.unwrap_or("")).ok_or_else(|| {
                        err(format!(
                            "the kind is `office`, `honorific` or `revered`, found `{}`",
                            third.unwrap_or("")
                        ))
                    })?;
                    (entry, Some(title).filter(|t| !t.is_empty()))
                }
                (List::Honorifics, _, _) => {
                    return Err(err(format!(
                        "expected `form<TAB>title[<TAB>kind]`, found {n_cols} tab-separated columns"
                    )))
                }
                (List::InstitutionWords, Some(kind), 2 | 3) => {
                    let where_ = line.split('\t').nth(2).map(str::trim).unwrap_or("");
                    if !matches!(kind, "organization" | "place" | "other" | "modifier" | "")
                        || !matches!(where_, "" | "before")
                    {
                        return Err(err(format!(
                            "expected `word<TAB>organization|place|other|modifier[<TAB>before]`, found `{}`",
                            line.trim()
                        )));
                    }
                    institution_value = format!("{kind} {where_}");
                    (entry, Some(institution_value.trim()).filter(|v| !v.is_empty()))
                }
                _ => {
                    return Err(err(format!(
                        "expected one entry a line, found {n_cols} tab-separated columns"
                    )))
                }
            };
            if let Some(removed) = entry.strip_prefix('!') {
                words.remove(removed.trim());
                if list == List::Honorifics {
                    self.kinds.remove(removed.trim());
                }
                continue;
            }
            if entry.is_empty() {
                return Err(err("empty entry".into()));
            }
            list.check(entry)
                .map_err(|m| err(format!("{m}, found `{entry}`")))?;
            words.insert(entry.to_string(), title.map(str::to_string));
            if list == List::Honorifics {
                self.kinds.insert(entry.to_string(), kind);
            }
        }
        Ok(())
    }

    /// The entries of one list, sorted.
    pub fn words(&self, list: List) -> impl Iterator<Item = &str> {
        self.lists
            .get(&list)
            .into_iter()
            .flat_map(|w| w.keys().map(String::as_str))
    }

    /// The institution words: each word and its `kind[ before]` column
    /// (`None`: no column, an organization's word).
    pub fn institution_words(&self) -> impl Iterator<Item = (&str, Option<&str>)> {
        self.lists
            .get(&List::InstitutionWords)
            .into_iter()
            .flat_map(|w| w.iter().map(|(word, k)| (word.as_str(), k.as_deref())))
    }

    /// The homonyms: each (name, sense, cues).
    pub fn homonyms(&self) -> impl Iterator<Item = (&str, &str, Vec<&str>)> {
        self.lists.get(&List::Homonyms).into_iter().flat_map(|w| {
            w.iter().filter_map(|(key, cues)| {
                let (name, sense) = key.split_once('\t')?;
                let cues = cues
                    .as_deref()
                    .unwrap_or("")
                    .split('|')
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .collect();
                Some((name, sense, cues))
            })
        })
    }

    /// The honorifics: each form and the title it is reported as.
    pub fn honorifics(&self) -> impl Iterator<Item = (&str, &str)> {
        self.lists.get(&List::Honorifics).into_iter().flat_map(|w| {
            w.iter()
                .map(|(form, title)| (form.as_str(), title.as_deref().unwrap_or(form)))
        })
    }

    /// The kind of a listed honorific form (an office when not said).
    pub fn honorific_kind(&self, form: &str) -> TitleKindRule {
        self.kinds.get(form).copied().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_lists_parse() {
        let w = WordLists::embedded().unwrap();
        for list in List::ALL {
            // A few names have homonyms; the other lists are long.
            let min = if list == List::Homonyms { 2 } else { 10 };
            assert!(w.words(list).count() >= min, "{list:?}");
        }
        let ri: Vec<_> = w.homonyms().filter(|h| h.0 == "Ri Yong Ho").collect();
        assert!(ri.len() >= 3, "{ri:?}");
        assert!(ri.iter().all(|h| !h.2.is_empty()));
        assert!(w
            .institution_words()
            .any(|i| i == ("Universidad", Some("organization before"))));
        assert!(w
            .institution_words()
            .any(|i| i == ("County", Some("place"))));
        assert!(w.words(List::RoleWords).any(|r| r == "chairman"));
        assert!(w
            .honorifics()
            .any(|h| h == ("Respected Comrade", "respected Comrade")));
        assert!(w.honorifics().any(|h| h == ("Comrade", "Comrade")));
    }

    #[test]
    fn every_list_has_a_file_name_of_its_own() {
        for list in List::ALL {
            assert_eq!(List::from_file_name(list.file_name()), Some(list));
        }
        assert_eq!(List::from_file_name("people.tsv"), None);
    }

    #[test]
    fn user_lines_add_replace_and_remove() {
        let mut w = WordLists::embedded().unwrap();
        w.add_text(
            List::RoleWords,
            "role-words.tsv",
            "# mine\nombudsman\n!chairman\n",
        )
        .unwrap();
        assert!(w.words(List::RoleWords).any(|r| r == "ombudsman"));
        assert!(!w.words(List::RoleWords).any(|r| r == "chairman"));
        w.add_text(List::Honorifics, "honorifics.tsv", "Comrade\tcomrade\n")
            .unwrap();
        assert!(w.honorifics().any(|h| h == ("Comrade", "comrade")));
    }

    #[test]
    fn malformed_lines_name_file_and_line() {
        let mut w = WordLists::empty();
        let e = w
            .add_text(
                List::RoleWords,
                "role-words.tsv",
                "# c\nchairman\nvice chairman\n",
            )
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "role-words.tsv:3: expected one word a line, found `vice chairman`"
        );
        let e = w
            .add_text(List::RoleWords, "r.tsv", "Chairman\n")
            .unwrap_err();
        assert!(
            e.to_string().starts_with("r.tsv:1: a role word starts"),
            "{e}"
        );
        let e = w.add_text(List::Surnames, "s.tsv", "kim\n").unwrap_err();
        assert!(
            e.to_string().starts_with("s.tsv:1: a surname starts"),
            "{e}"
        );
        let e = w
            .add_text(List::Surnames, "s.tsv", "Kim\tperson\n")
            .unwrap_err();
        assert!(
            e.to_string().starts_with("s.tsv:1: expected one entry"),
            "{e}"
        );
        let e = w
            .add_text(List::Honorifics, "h.tsv", "\n\nA\tb\tc\n")
            .unwrap_err();
        assert!(e.to_string().starts_with("h.tsv:3: the kind is"), "{e}");
        let e = w
            .add_text(List::Honorifics, "h.tsv", "A\tb\thonorific\tx\n")
            .unwrap_err();
        assert!(e.to_string().starts_with("h.tsv:1: expected `form"), "{e}");
        w.add_text(List::Honorifics, "h.tsv", "A\t\thonorific\nB\tb\n")
            .unwrap();
        assert_eq!(w.honorific_kind("A"), TitleKindRule::Honorific);
        assert_eq!(w.honorific_kind("B"), TitleKindRule::Office);
    }
}
