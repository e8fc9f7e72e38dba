//! Two ingests started at once into one new data directory: the archive's
//! creation is safe against a concurrent creator, and the second ingest
//! waits for the first instead of failing.

mod common;

use common::*;

#[test]
fn two_first_ingests_into_one_new_directory_both_succeed() {
    let tmp = tempfile::tempdir().unwrap();
    let mut lines = String::new();
    for i in 0..200 {
        lines.push_str(&format!(
            "{{\"outlet\": \"kcna\", \"language\": \"en\", \"published\": \"2011-06-01\", \"title\": \"Report number {i}\", \"paragraphs\": [\"Paragraph of report {i}, long enough to be text.\"]}}\n"
        ));
    }
    let (a, b) = (tmp.path().join("a.jsonl"), tmp.path().join("b.jsonl"));
    std::fs::write(&a, &lines).unwrap();
    std::fs::write(&b, &lines).unwrap();
    for trial in 0..8 {
        let data = tmp.path().join(format!("data{trial}"));
        let start = |file: &std::path::Path| {
            std::process::Command::new(bin())
                .arg("--data")
                .arg(&data)
                .args(["ingest", "--json"])
                .arg(file)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (first, second) = (start(&a), start(&b));
        for child in [first, second] {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "trial {trial}: {:?}\n{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let stats = json(&data, &["stats", "--json"]);
        assert_eq!(stats["articles"], 200, "trial {trial}: {stats}");
    }
}
