//! `tealeaf serve` and `tealeaf export` as a user runs them: the real
//! binary on a real data directory.

mod common;

use std::io::{Read, Write};

use common::*;

fn demo_data() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data");
    ok(
        &data,
        &[
            "ingest",
            repo().join("fixtures/pages").to_str().expect("utf-8"),
            repo().join("fixtures/samples").to_str().expect("utf-8"),
        ],
    );
    tmp
}

#[test]
fn serve_listens_on_the_given_address_and_answers() {
    let tmp = demo_data();
    let (_server, mut lines) = serve(&tmp.path().join("data"));
    let first = lines.next().and_then(|l| l.ok()).unwrap_or_default();
    let addr = first
        .strip_prefix("listening on http://")
        .map(|a| a.trim_end_matches('/').to_string());
    {
        let addr = addr.expect("the address line");
        assert!(addr.starts_with("127.0.0.1:"), "{addr}");
        assert_eq!(
            lines.next().and_then(|l| l.ok()).as_deref(),
            Some("read-only (no --token)")
        );
        let mut s = std::net::TcpStream::connect(&addr).expect("connect");
        write!(
            s,
            "GET /search.json?q=overseas HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .expect("send");
        let mut out = String::new();
        s.read_to_string(&mut out).expect("read");
        assert!(out.starts_with("HTTP/1.1 200"), "{out}");
        assert!(out.contains("\"total\":1"), "{out}");
    }
}

#[test]
fn export_writes_the_whole_result_set_as_csv_jsonl_and_parquet() {
    let tmp = demo_data();
    let data = tmp.path().join("data");
    let total = json(&data, &["search", "--json", "--limit", "1", "sample"])["total"]
        .as_u64()
        .expect("total");
    assert!(total >= 2, "{total}");

    let jsonl = ok(&data, &["export", "--query", "sample", "--format", "jsonl"]);
    let rows: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(rows.len() as u64, total);
    assert!(rows
        .iter()
        .all(|r| r["id"].is_string() && r["paragraphs"].is_array()));

    let csv_path = tmp.path().join("out.csv");
    ok(
        &data,
        &[
            "export",
            "-q",
            "sample",
            "--outlet",
            "kcna",
            "--format",
            "csv",
            "--output",
            csv_path.to_str().expect("utf-8"),
        ],
    );
    let csv = std::fs::read_to_string(&csv_path).expect("csv written");
    let mut r = csv_reader(&csv);
    assert_eq!(r.headers().expect("header").get(0), Some("id"));
    let kcna = r.records().count() as u64;
    let kcna_total = json(&data, &["search", "--json", "--outlet", "kcna", "sample"])["total"]
        .as_u64()
        .expect("total");
    assert_eq!(kcna, kcna_total);

    // Parquet: read back with the parquet crate's own reader.
    let pq = tmp.path().join("out.parquet");
    ok(
        &data,
        &[
            "export",
            "--format",
            "parquet",
            "--output",
            pq.to_str().expect("utf-8"),
        ],
    );
    let bytes = std::fs::read(&pq).expect("parquet written");
    assert_eq!(&bytes[..4], b"PAR1");
    assert_eq!(&bytes[bytes.len() - 4..], b"PAR1");
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let reader =
        SerializedFileReader::new(std::fs::File::open(&pq).expect("open")).expect("a Parquet file");
    let meta = reader.metadata();
    let articles = json(&data, &["stats", "--json"])["articles"]
        .as_i64()
        .expect("articles");
    assert_eq!(meta.file_metadata().num_rows(), articles);
    let names: Vec<String> = meta
        .file_metadata()
        .schema_descr()
        .columns()
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "id",
            "outlet",
            "published",
            "language",
            "title",
            "body",
            "score"
        ]
    );

    // Parquet to a terminal is refused; a query that cannot be read as
    // written is read as words.
    let out = run(&data, &["export", "--format", "parquet"]);
    assert!(!out.status.success());
    let out = run(&data, &["export", "-q", "\"unclosed", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(0));
}

fn csv_reader(s: &str) -> csv::Reader<&[u8]> {
    csv::Reader::from_reader(s.as_bytes())
}

/// A running server notices an index left behind the archive (an ingest
/// killed between the archive's commit and the index's, imitated here by
/// putting back an older index) and catches it up itself.
#[test]
fn the_server_catches_up_an_index_left_behind() {
    let tmp = demo_data();
    let data = tmp.path().join("data");
    let snapshot = tmp.path().join("index-before");
    std::fs::create_dir(&snapshot).unwrap();
    for entry in std::fs::read_dir(data.join("index")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, snapshot.join(path.file_name().unwrap())).unwrap();
    }
    // Kept open: the server says more on stdout after its address.
    let (_server, mut lines) = serve(&data);
    let first = lines.next().and_then(|l| l.ok()).unwrap_or_default();
    let addr = first
        .strip_prefix("listening on http://")
        .expect("the address line")
        .trim_end_matches('/')
        .to_string();
    let search = |q: &str| -> serde_json::Value {
        let mut s = std::net::TcpStream::connect(&addr).expect("connect");
        write!(
            s,
            "GET /search.json?q={q} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        let body = out.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
        serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {out}"))
    };
    let wait_for = |what: &str, check: &dyn Fn() -> bool| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while !check() {
            assert!(
                std::time::Instant::now() < deadline,
                "timed out waiting for {what}"
            );
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    };

    let extra = tmp.path().join("extra.jsonl");
    std::fs::write(
        &extra,
        "{\"outlet\": \"kcna\", \"language\": \"en\", \"published\": \"2026-02-01\", \"title\": \"Zanzibarite Delegation Arrives\", \"paragraphs\": [\"A zanzibarite delegation arrived in Pyongyang.\"]}\n",
    )
    .unwrap();
    ok(&data, &["ingest", extra.to_str().unwrap()]);
    wait_for("the new article in the hits", &|| {
        search("zanzibarite")["total"] == 1
    });

    // The older index put back: the archive now holds a change it lacks.
    for entry in std::fs::read_dir(data.join("index")).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap() != "tealeaf-create.lock" {
            std::fs::remove_file(path).unwrap();
        }
    }
    for entry in std::fs::read_dir(&snapshot).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, data.join("index").join(path.file_name().unwrap())).unwrap();
    }
    let before = std::fs::read_to_string(snapshot.join("meta.json")).unwrap();
    // The server itself writes the index again (nobody else runs) and
    // the article is found.
    wait_for("the server to catch the index up", &|| {
        let r = search("zanzibarite");
        std::fs::read_to_string(data.join("index/meta.json")).is_ok_and(|m| m != before)
            && r["total"] == 1
    });
    assert_eq!(search("zanzibarite")["index_behind"], false);
}
