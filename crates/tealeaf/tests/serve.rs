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
            "score",
            "people",
            "countries",
            "organizations",
            "person_titles"
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

/// A title a spreadsheet would run as a formula (its link points at this
/// machine only).
const FORMULA_TITLE: &str = "=HYPERLINK(\"http://127.0.0.1/x\")";

#[test]
fn export_neutralises_formula_cells_in_csv_unless_raw() {
    let tmp = demo_data();
    let data = tmp.path().join("data");
    let file = write_jsonl(
        tmp.path(),
        "formula.jsonl",
        &[serde_json::json!({
            "id": "formula-probe",
            "outlet": "kcna",
            "language": "en",
            "published": "2025-12-02",
            "title": FORMULA_TITLE,
            "paragraphs": ["-2+3 begins the formulaprobe body."],
        })],
    );
    ok(&data, &["ingest", file.to_str().expect("utf-8")]);
    let first_row = |csv: &str| -> csv::StringRecord {
        let mut rows: Vec<csv::StringRecord> = csv_reader(csv)
            .records()
            .map(|r| r.expect("a CSV row"))
            .collect();
        assert_eq!(rows.len(), 1, "{csv}");
        rows.remove(0)
    };
    let safe = first_row(&ok(
        &data,
        &["export", "-q", "formulaprobe", "--format", "csv"],
    ));
    assert_eq!(&safe[4], format!("'{FORMULA_TITLE}"));
    assert_eq!(&safe[5], "'-2+3 begins the formulaprobe body.");
    let raw = first_row(&ok(
        &data,
        &[
            "export",
            "-q",
            "formulaprobe",
            "--format",
            "csv",
            "--raw-csv",
        ],
    ));
    assert_eq!(&raw[4], FORMULA_TITLE);
    assert_eq!(&raw[5], "-2+3 begins the formulaprobe body.");
    // To a file, the same.
    let path = tmp.path().join("safe.csv");
    ok(
        &data,
        &[
            "export",
            "-q",
            "formulaprobe",
            "--format",
            "csv",
            "--output",
            path.to_str().expect("utf-8"),
        ],
    );
    let written = std::fs::read_to_string(&path).expect("written");
    assert_eq!(&first_row(&written)[4], format!("'{FORMULA_TITLE}"));
    // JSONL is as stored; --raw-csv with it is a mistake, said so.
    let jsonl = ok(
        &data,
        &["export", "-q", "formulaprobe", "--format", "jsonl"],
    );
    assert!(
        jsonl.contains(r#""title":"=HYPERLINK(\"http://127.0.0.1/x\")""#),
        "{jsonl}"
    );
    let out = run(
        &data,
        &[
            "export",
            "-q",
            "formulaprobe",
            "--format",
            "jsonl",
            "--raw-csv",
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--raw-csv"));

    // `trend --csv` writes the terms it was given: neutralised too.
    let trend = ok(&data, &["trend", "--csv", "--by", "year", "=formulaprobe"]);
    let row = first_row(&trend);
    assert_eq!(&row[0], "'=formulaprobe", "{trend}");
    let trend = ok(
        &data,
        &[
            "trend",
            "--csv",
            "--raw-csv",
            "--by",
            "year",
            "=formulaprobe",
        ],
    );
    assert_eq!(&first_row(&trend)[0], "=formulaprobe", "{trend}");
}

#[test]
fn serve_cuts_off_a_slow_request_head_at_the_header_timeout_flag() {
    let tmp = demo_data();
    let data = tmp.path().join("data");
    let mut child = std::process::Command::new(bin())
        .arg("--data")
        .arg(&data)
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--header-timeout-secs",
            "1",
            "--max-connections",
            "8",
        ])
        .env_remove("TEALEAF_TOKEN")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("tealeaf serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let _server = Kill(child);
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(stdout));
    let first = lines.next().and_then(|l| l.ok()).unwrap_or_default();
    let addr = first
        .strip_prefix("listening on http://")
        .expect("the address line")
        .trim_end_matches('/')
        .to_string();
    let mut s = std::net::TcpStream::connect(&addr).expect("connect");
    s.write_all(b"GET /sea").expect("send a little");
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .ok();
    let started = std::time::Instant::now();
    let mut out = Vec::new();
    // EOF (or a reset) when the server closes it; a timeout otherwise.
    let end = s.read_to_end(&mut out);
    assert!(
        !matches!(&end, Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut)),
        "still open after {:?}",
        started.elapsed()
    );
}

/// The server's search with dates that end before they start says so
/// (page and twin), instead of showing no hits without a word.
#[test]
fn dates_that_end_before_they_start_are_said_by_the_server() {
    let tmp = demo_data();
    let data = tmp.path().join("data");
    let (_server, mut out) = serve(&data);
    let host = served_host(&mut out);
    let path = "search.json?q=Kim&from=2012-01-01&to=2011-01-01";
    let twin: serde_json::Value =
        serde_json::from_str(&http_get(&host, &format!("/{path}"))).unwrap();
    assert_eq!(twin["total"], 0);
    assert!(
        twin["note"]
            .as_str()
            .is_some_and(|n| n.contains("before they start")),
        "{twin}"
    );
    let page = http_get(&host, "/search?q=Kim&from=2012-01-01&to=2011-01-01");
    assert!(page.contains("before they start"), "the page does not say");
}

/// An article's entities as the archive's `mentions` table holds them,
/// read here with SQL of our own (joined on the article id, not through
/// tealeaf's query): kind -> [(name, count, titles)], most mentioned first.
type Stored = std::collections::BTreeMap<String, Vec<(String, i64, Vec<String>)>>;

fn stored_entities(conn: &rusqlite::Connection, id: &str) -> Stored {
    let mut stmt = conn
        .prepare(
            "SELECT m.kind, m.name, m.count, m.titles FROM mentions m JOIN articles a
             ON a.id = m.article_id AND a.analyzed_seq = m.seq
             WHERE a.id = ?1 AND m.kind <> 'place' ORDER BY m.count DESC, m.name",
        )
        .expect("prepare");
    let mut out = Stored::new();
    for row in stmt
        .query_map([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })
        .expect("query")
    {
        let (kind, name, count, titles) = row.expect("row");
        let titles: Vec<String> = titles
            .map(|t| serde_json::from_str(&t).expect("titles are a JSON array"))
            .unwrap_or_default();
        out.entry(kind).or_default().push((name, count, titles));
    }
    out
}

/// The `people`/`countries`/`organizations` arrays of a `show --json` or
/// export row, in the shape of [`Stored`].
fn json_entities(v: &serde_json::Value) -> Stored {
    let mut out = Stored::new();
    for (field, kind) in [
        ("people", "person"),
        ("countries", "country"),
        ("organizations", "organization"),
    ] {
        let list = v[field]
            .as_array()
            .unwrap_or_else(|| panic!("{field} is an array: {v}"));
        for e in list {
            assert_eq!(e["kind"], kind, "{e}");
            let titles = e["titles"]
                .as_array()
                .expect("titles array")
                .iter()
                .map(|t| t.as_str().expect("a title").to_string())
                .collect();
            out.entry(kind.to_string()).or_default().push((
                e["name"].as_str().expect("name").to_string(),
                e["mentions"].as_i64().expect("mentions"),
                titles,
            ));
        }
    }
    out
}

/// The CSV/Parquet text of one kind: `Name (count); ...`.
fn counted(stored: &Stored, kind: &str) -> String {
    stored
        .get(kind)
        .map(|l| {
            l.iter()
                .map(|(n, c, _)| format!("{n} ({c})"))
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default()
}

#[test]
fn show_and_export_carry_each_articles_people_countries_and_organizations() {
    // Real records: KCNA's first day of December 2011.
    let dir = tempfile::tempdir().expect("a temp dir");
    let file = dir.path().join("day.jsonl");
    std::fs::write(
        &file,
        kcna_records("2011-12-01", "2011-12-01").join("\n") + "\n",
    )
    .expect("written");
    let data = dir.path().join("data");
    ok(
        &data,
        &[
            "ingest",
            "--outlet",
            "kcna",
            "--map",
            "published=date,body=story",
            file.to_str().expect("utf-8"),
        ],
    );
    let conn = rusqlite::Connection::open(data.join("archive.sqlite")).expect("archive");

    // JSONL export: every row's entities are the stored ones.
    let jsonl = ok(&data, &["export", "--format", "jsonl"]);
    let rows: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert!(rows.len() > 20, "{} rows", rows.len());
    let (mut people, mut titled, mut orgs) = (0, 0, 0);
    let mut stored_by_id = std::collections::HashMap::new();
    for r in &rows {
        let id = r["id"].as_str().expect("id");
        let stored = stored_entities(&conn, id);
        assert_eq!(json_entities(r), stored, "{id}");
        people += stored.get("person").map_or(0, Vec::len);
        orgs += stored.get("organization").map_or(0, Vec::len);
        titled += stored
            .get("person")
            .map_or(0, |l| l.iter().filter(|p| !p.2.is_empty()).count());
        stored_by_id.insert(id.to_string(), stored);
    }
    // The day names people, with titles, and organizations: the columns
    // are not compared empty to empty.
    assert!(
        people > 10 && titled > 3 && orgs > 3,
        "{people} {titled} {orgs}"
    );

    // `show --json` of the most titled article: the same, beside the
    // article's own fields.
    let (id, _) = stored_by_id
        .iter()
        .max_by_key(|(id, s)| {
            let n = s
                .get("person")
                .map_or(0, |l| l.iter().map(|p| p.2.len()).sum::<usize>());
            (n, std::cmp::Reverse((*id).clone()))
        })
        .expect("an article");
    let shown = json(&data, &["show", id, "--json"]);
    assert_eq!(shown["id"], id.as_str());
    assert!(shown["paragraphs"].is_array());
    assert_eq!(json_entities(&shown), stored_by_id[id]);

    // CSV: the compact columns, after the old ones.
    let csv = ok(&data, &["export", "--format", "csv"]);
    let mut r = csv_reader(&csv);
    let header: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header,
        [
            "id",
            "outlet",
            "published",
            "language",
            "title",
            "body",
            "score",
            "people",
            "countries",
            "organizations",
            "person_titles"
        ]
    );
    let mut csv_rows = 0;
    for rec in r.records() {
        let rec = rec.expect("a CSV row");
        let stored = &stored_by_id[&rec[0]];
        assert_eq!(&rec[7], counted(stored, "person"), "{}", &rec[0]);
        assert_eq!(&rec[8], counted(stored, "country"));
        assert_eq!(&rec[9], counted(stored, "organization"));
        let titles = stored
            .get("person")
            .map(|l| {
                l.iter()
                    .filter(|p| !p.2.is_empty())
                    .map(|(n, _, t)| format!("{n}: {}", t.join("|")))
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default();
        assert_eq!(&rec[10], titles);
        csv_rows += 1;
    }
    assert_eq!(csv_rows, rows.len());

    // Parquet: the same strings, read back with the parquet crate.
    let pq = dir.path().join("out.parquet");
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
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let reader =
        SerializedFileReader::new(std::fs::File::open(&pq).expect("open")).expect("a Parquet file");
    let mut checked = 0;
    for row in reader.get_row_iter(None).expect("rows") {
        let row = row.expect("a row");
        let cols: std::collections::HashMap<String, String> = row
            .get_column_iter()
            .filter_map(|(name, field)| match field {
                parquet::record::Field::Str(s) => Some((name.clone(), s.clone())),
                _ => None,
            })
            .collect();
        let stored = &stored_by_id[&cols["id"]];
        assert_eq!(cols["people"], counted(stored, "person"));
        assert_eq!(cols["organizations"], counted(stored, "organization"));
        checked += 1;
    }
    assert_eq!(checked, rows.len());
}
