//! A user's gazetteer directory: entity lists and word lists side by side.

use std::path::PathBuf;

use tealeaf_analyze::Analyzer;

/// A fresh directory holding `files` (name, text).
fn user_dir(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tealeaf-analyze-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    for (file, text) in files {
        std::fs::write(dir.join(file), text).expect("write user file");
    }
    dir
}

fn people(an: &Analyzer, para: &str) -> Vec<String> {
    an.analyze_parts("", &[para.to_string()], None)
        .people()
        .into_iter()
        .map(str::to_string)
        .collect()
}

#[test]
fn user_word_lists_add_and_remove_words() {
    let para = "Jan Novak, ombudsman of Ruritania, and Ivo Dvorak, chairman of a party, arrived.";
    let shipped = Analyzer::new().unwrap();
    assert_eq!(people(&shipped, para), ["Ivo Dvorak"]);
    let dir = user_dir(
        "words",
        &[
            ("role-words.tsv", "# mine\nombudsman\n!chairman\n"),
            // Else `Ivo` alone, a listed given name, makes `Ivo Dvorak` a name.
            ("given-names.tsv", "!Ivo\n"),
            ("extra.tsv", "Ruritania\tcountry\t\n"),
        ],
    );
    let an = Analyzer::with_user_dir(&dir).unwrap();
    assert_eq!(people(&an, para), ["Jan Novak"]);
    let a = an.analyze_parts("", &[para.to_string()], None);
    assert!(a
        .entities(tealeaf_analyze::EntityKind::Country)
        .contains("Ruritania"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_malformed_word_list_names_its_file_and_line() {
    let dir = user_dir("bad", &[("surnames.tsv", "# mine\nKim\nkwak\n")]);
    let e = Analyzer::with_user_dir(&dir).unwrap_err().to_string();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        e.ends_with("surnames.tsv:3: a surname starts with a capital A-Z, found `kwak`"),
        "{e}"
    );
}
