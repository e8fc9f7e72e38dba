//! Which rules an analysis is made with: a fingerprint of this build's
//! rules and embedded gazetteers (computed by the crate's build script)
//! and of a data directory's own gazetteer and word-list files. An archive
//! keeps the fingerprint of its analyses, so that tealeaf can say when they
//! were made with other rules and `tealeaf reanalyze` is due.
//!
//! Owns: the fingerprint. Must not touch: analysing, the archive.

use std::path::{Path, PathBuf};

use crate::GazetteerError;

/// This build's rules and embedded gazetteers.
pub const BUILD: &str = env!("TEALEAF_RULES_BUILD");

/// The fingerprint of the analysis an [`crate::Analyzer`] built from this
/// build and the `*.tsv` files of `user_dir` (when it exists) makes.
pub fn rules_id(user_dir: Option<&Path>) -> Result<String, GazetteerError> {
    let mut hasher = blake3::Hasher::new();
    hasher.update(BUILD.as_bytes());
    if let Some(dir) = user_dir.filter(|d| d.is_dir()) {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |cause| GazetteerError::Io { path, cause }
        };
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(io(dir))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
            .collect();
        files.sort();
        for path in files {
            let bytes = std::fs::read(&path).map_err(io(&path))?;
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            hasher.update(name.unwrap_or_default().as_bytes());
            hasher.update(&(bytes.len() as u64).to_le_bytes());
            hasher.update(&bytes);
        }
    }
    Ok(hasher.finalize().to_hex()[..16].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_file_changes_the_fingerprint_and_its_absence_does_not() {
        let tmp = tempfile::tempdir().expect("a temporary directory");
        let dir = tmp.path().to_path_buf();
        let plain = rules_id(None).expect("a fingerprint");
        assert_eq!(rules_id(Some(&dir)).expect("an empty dir"), plain);
        assert_eq!(rules_id(Some(&dir.join("missing"))).expect("no dir"), plain);
        std::fs::write(dir.join("people.tsv"), "Kim Chol\tperson\n").expect("written");
        let with_file = rules_id(Some(&dir)).expect("a fingerprint");
        assert_ne!(with_file, plain);
        std::fs::write(
            dir.join("people.tsv"),
            "Kim Chol\tperson\nRi Chol\tperson\n",
        )
        .expect("written");
        assert_ne!(rules_id(Some(&dir)).expect("a fingerprint"), with_file);
        std::fs::write(dir.join("notes.txt"), "not a list").expect("written");
        std::fs::remove_file(dir.join("people.tsv")).expect("removed");
        assert_eq!(rules_id(Some(&dir)).expect("a fingerprint"), plain);
    }
}
