//! The server over real HTTP on 127.0.0.1: every page and its JSON twin,
//! exports, the ingest API's token, limits, headers and path traversal.

mod common;

use common::*;

const EDITED: &str = "sample-edited";
const SEED: &str = "daab79622cd917e6";

#[test]
fn pages_and_their_json_twins() {
    let (srv, _tmp) = fixture_server(None);
    let b = &srv.base;

    // Home.
    let home = get(&format!("{b}/"));
    assert_eq!(home.status, 200);
    assert!(home.header("content-type").starts_with("text/html"));
    assert!(home.body.contains("<h1>The archive</h1>"), "{}", home.body);
    assert!(home.body.contains("Latest articles") && home.body.contains("Latest changes"));
    for twin in [
        get(&format!("{b}/index.json")),
        get_with(&format!("{b}/"), ("Accept", "application/json")),
    ] {
        assert_eq!(twin.status, 200);
        assert!(twin.header("content-type").starts_with("application/json"));
        let j = twin.json();
        assert_eq!(j["stats"]["articles"], 5);
        assert_eq!(j["stats"]["versions"], 6);
        // Newest first by published date: the seed page of 2026-01-01.
        assert_eq!(j["latest"][0]["id"], SEED);
        // The sample's one edit.
        assert_eq!(j["latest_changes"][0]["id"], EDITED);
        assert_eq!(j["latest_changes"][0]["kind"], "edited");
    }

    // Search: form, facets, highlighted snippet.
    let page = get(&format!("{b}/search?q=%22overseas+operations%22"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains(r#"<label for="q">"#) && page.body.contains(r#"id="q""#));
    assert!(
        page.body.contains("<b>overseas operations</b>"),
        "{}",
        page.body
    );
    assert!(page.body.contains(&format!("/article/{SEED}")));
    for twin in [
        get(&format!("{b}/search.json?q=%22overseas+operations%22")),
        get_with(
            &format!("{b}/search?q=%22overseas+operations%22"),
            ("Accept", "application/json"),
        ),
    ] {
        let j = twin.json();
        assert_eq!(j["total"], 1);
        assert_eq!(j["hits"][0]["id"], SEED);
        assert_eq!(
            j["hits"][0]["snippet_text"]
                .as_str()
                .map(|s| s.contains("overseas operations")),
            Some(true)
        );
        assert_eq!(j["facets"]["outlet"][0]["value"], "rodong");
        assert_eq!(j["facets"]["year"][0]["value"], "2026");
    }

    // Article with its versions.
    let art = get(&format!("{b}/article/{EDITED}"));
    assert_eq!(art.status, 200);
    assert!(art
        .body
        .contains("<h1>Sample: Party Founding Day Celebrated</h1>"));
    assert!(art.body.contains("Working people across the whole country"));
    assert!(art.body.contains(r#"<h2 id="versions">Versions</h2>"#));
    for twin in [
        get(&format!("{b}/article/{EDITED}.json")),
        get_with(
            &format!("{b}/article/{EDITED}"),
            ("Accept", "application/json"),
        ),
    ] {
        let j = twin.json();
        assert_eq!(j["id"], EDITED);
        assert_eq!(j["versions"].as_array().map(Vec::len), Some(2));
        assert_eq!(j["versions"][1]["n"], 2);
    }

    // A unique prefix of an id names its article, as on the command line.
    let short = get(&format!("{b}/article/{}.json", &SEED[..6]));
    assert_eq!(short.status, 200);
    assert_eq!(short.json()["id"], SEED);
    assert!(get(&format!("{b}/article/{}", &SEED[..6]))
        .body
        .contains("Overseas Operations Units"));
    assert_eq!(
        get(&format!("{b}/article/sample-e.json")).json()["id"],
        EDITED
    );

    // Unknown article and page: 404 in both forms.
    assert_eq!(get(&format!("{b}/article/no-such-id")).status, 404);
    let missing = get(&format!("{b}/article/no-such-id.json"));
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["status"], 404);
    assert_eq!(get(&format!("{b}/nothing-here")).status, 404);

    // The stylesheet is served by the app.
    // One URL, two representations.
    assert_eq!(get(&format!("{b}/search?q=a")).header("vary"), "Accept");

    let css = get(&format!("{b}/static/style.css"));
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").starts_with("text/css"));
}

#[test]
fn facets_count_the_whole_result_set_and_paging_and_sort_work() {
    let (srv, _tmp) = fixture_server(None);
    let b = &srv.base;
    // Every article: empty query with a filter-free browse is newest first.
    let all = get(&format!("{b}/search.json?outlet=kcna&outlet=rodong")).json();
    assert_eq!(all["total"], 5);
    assert_eq!(all["params"]["sort"], "newest");
    let outlets: Vec<(String, u64)> = all["facets"]["outlet"]
        .as_array()
        .expect("outlet facet")
        .iter()
        .map(|f| {
            (
                f["value"].as_str().unwrap_or("").to_string(),
                f["count"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        outlets,
        vec![("kcna".to_string(), 3), ("rodong".to_string(), 2)]
    );
    let years: u64 = all["facets"]["year"]
        .as_array()
        .expect("year facet")
        .iter()
        .map(|f| f["count"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(years, 5);

    // A filter narrows the hits and the facets.
    let kcna = get(&format!("{b}/search.json?outlet=kcna")).json();
    assert_eq!(kcna["total"], 3);
    assert_eq!(kcna["facets"]["outlet"].as_array().map(Vec::len), Some(1));
    let dated = get(&format!("{b}/search.json?from=2025-10-01&to=2025-12-31")).json();
    assert_eq!(dated["total"], 3, "{dated}");

    // Oldest first and newest first are reverses of each other (by date:
    // articles of one day may come in any order).
    let newest = dates(
        &get(&format!(
            "{b}/search.json?q=&outlet=kcna&outlet=rodong&sort=newest"
        ))
        .json(),
    );
    let mut oldest = dates(
        &get(&format!(
            "{b}/search.json?outlet=kcna&outlet=rodong&sort=oldest"
        ))
        .json(),
    );
    oldest.reverse();
    assert_eq!(newest, oldest);
    let mut sorted = newest.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(newest, sorted);

    // Page 2 of a 5-hit result at 20 a page is empty, and there is no next.
    let p2 = get(&format!("{b}/search.json?outlet=kcna&outlet=rodong&page=2")).json();
    assert_eq!(p2["offset"], 20);
    assert_eq!(p2["hits"].as_array().map(Vec::len), Some(0));
    assert!(p2["links"]["next"].is_null());
    assert!(p2["links"]["prev"].is_string());
}

fn dates(j: &serde_json::Value) -> Vec<String> {
    j["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["published"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn bad_input_is_a_friendly_400_with_the_message_escaped() {
    let (srv, _tmp) = fixture_server(None);
    let b = &srv.base;
    // A query that cannot be read as written is read as words, with a
    // note, escaped like the rest.
    let odd = get(&format!("{b}/search?q=%22%3Cscript%3Eunclosed"));
    assert_eq!(odd.status, 200);
    assert!(odd.header("content-type").starts_with("text/html"));
    assert!(
        odd.body.contains("could not be read as a query"),
        "{}",
        odd.body
    );
    assert!(odd.body.contains("&lt;script&gt;unclosed"), "{}", odd.body);
    assert!(!odd.body.contains("<script>"));
    let j = get(&format!("{b}/search.json?q=%22unclosed")).json();
    assert!(j["note"].as_str().unwrap().contains("`unclosed`"), "{j}");
    for q in [
        "from=yesterday",
        "sort=random",
        "page=0",
        "page=x",
        "page=100000",
    ] {
        let r = get(&format!("{b}/search.json?q=a&{q}"));
        assert_eq!(r.status, 400, "{q}: {}", r.body);
    }
    // Exports and the feed read it as words too.
    for path in ["search.csv", "search.jsonl", "search.atom"] {
        assert_eq!(
            get(&format!("{b}/{path}?q=%22unclosed")).status,
            200,
            "{path}"
        );
    }
}

#[test]
fn csv_jsonl_and_atom_cover_the_whole_result_set() {
    let (srv, _tmp) = fixture_server(None);
    let b = &srv.base;

    let jsonl = get(&format!("{b}/search.jsonl?outlet=kcna&outlet=rodong"));
    assert_eq!(jsonl.status, 200);
    assert!(jsonl
        .header("content-type")
        .starts_with("application/x-ndjson"));
    assert_eq!(jsonl.header("x-total-count"), "5");
    let lines: Vec<serde_json::Value> = jsonl
        .body
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 5);
    assert!(lines
        .iter()
        .any(|l| l["id"] == EDITED && l["paragraphs"][1].as_str().is_some()));

    let csv = get(&format!("{b}/search.csv?q=sample"));
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").starts_with("text/csv"));
    let mut r = csv::Reader::from_reader(csv.body.as_bytes());
    let header: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(header, tealeaf_serve::export::CSV_COLUMNS);
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("a CSV row")).collect();
    let json_total = get(&format!("{b}/search.json?q=sample")).json()["total"].as_u64();
    assert_eq!(Some(rows.len() as u64), json_total);
    assert!(rows
        .iter()
        .any(|row| &row[0] == EDITED && row[5].contains("\n\n")));

    // No hits: a CSV with its header only.
    let none = get(&format!("{b}/search.csv?q=zzzznothing"));
    assert_eq!(
        none.body.trim(),
        tealeaf_serve::export::CSV_COLUMNS.join(",")
    );

    let atom = get(&format!(
        "{b}/search.atom?outlet=kcna&outlet=rodong&sort=oldest"
    ));
    assert_eq!(atom.status, 200);
    assert!(atom
        .header("content-type")
        .starts_with("application/atom+xml"));
    assert!(atom.body.starts_with("<?xml"));
    assert_eq!(atom.body.matches("<entry>").count(), 5);
    // Newest first whatever the page's sort.
    let first = atom
        .body
        .find(&format!("urn:tealeaf:article:{SEED}"))
        .expect("seed entry");
    let last = atom
        .body
        .find(&format!("urn:tealeaf:article:{EDITED}"))
        .expect("edited entry");
    assert!(first < last);
    // The probe's markup is escaped text in the feed.
    assert!(atom
        .body
        .contains("Probe &lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!atom.body.contains("<script"));
}

#[test]
fn security_headers_on_every_response() {
    let (srv, _tmp) = fixture_server(None);
    let b = &srv.base;
    for path in [
        "/",
        "/search?q=a",
        "/search.json?q=a",
        &format!("/article/{SEED}"),
        "/nothing",
        "/search.csv?q=a",
        "/static/style.css",
    ] {
        let r = get(&format!("{b}{path}"));
        let csp = r.header("content-security-policy");
        assert!(csp.contains("default-src 'none'"), "{path}: {csp}");
        assert!(
            csp.contains("style-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}"
        );
        assert!(
            !csp.contains("script-src"),
            "no script source at all: {path}"
        );
        assert_eq!(r.header("x-content-type-options"), "nosniff", "{path}");
        assert!(r.header("server-timing").starts_with("app;dur="), "{path}");
    }
}

#[test]
fn article_text_is_escaped_in_html() {
    let (srv, _tmp) = fixture_server(None);
    let b = &srv.base;
    for path in [
        format!("/article/{XSS_ID}"),
        "/search?q=probe".to_string(),
        "/".to_string(),
    ] {
        let r = get(&format!("{b}{path}"));
        assert_eq!(r.status, 200);
        let lower = r.body.to_ascii_lowercase();
        for bad in [
            "<script",
            "<img",
            "<svg",
            "<iframe",
            "href=\"javascript:",
            "onerror=\"",
            "<b onmouseover",
        ] {
            assert!(!lower.contains(bad), "{path} holds `{bad}`: {}", r.body);
        }
        assert!(
            r.body
                .contains("Probe &lt;script&gt;alert(1)&lt;/script&gt;"),
            "{path}"
        );
    }
    // A javascript: url is shown as text, never as a link.
    let art = get(&format!("{b}/article/{XSS_ID}"));
    assert!(
        art.body.contains("<dd>javascript:alert(1)</dd>"),
        "{}",
        art.body
    );
}

#[test]
fn no_path_traversal_through_any_route() {
    let (srv, tmp) = fixture_server(Some("t0ken"));
    let b = &srv.base;
    // A file beside the data that a traversal would reach.
    std::fs::write(tmp.path().join("secret.txt"), "TOP-SECRET-CONTENT").expect("write");
    let attempts = [
        "/article/..%2f..%2fsecret.txt",
        "/article/..%2F..%2Fdata%2Farchive.sqlite",
        "/article/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/article/../../secret.txt",
        "/article/..\\..\\secret.txt",
        "/static/..%2f..%2fsecret.txt",
        "/static/../../Cargo.toml",
        "/static/%2e%2e/%2e%2e/secret.txt",
        "/static/style.css%2f..%2f..%2fsecret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/search.json/..%2f..%2fsecret.txt",
        "/article/....//....//secret.txt",
        "/api/ingest/..%2f..%2fsecret.txt",
    ];
    for path in attempts {
        let (status, raw) = raw_status(b, path);
        assert!(
            status == 404 || status == 400 || status == 405,
            "{path}: status {status}"
        );
        for leak in ["TOP-SECRET", "SQLite format", "root:x:", "[workspace]"] {
            assert!(!raw.contains(leak), "{path} leaked {leak}");
        }
    }
}

#[test]
fn ingest_needs_the_token() {
    let (srv, _tmp) = fixture_server(Some("s3cret-token"));
    let b = &srv.base;
    let url = format!("{b}/api/ingest");
    let record = r#"{"outlet":"kcna","language":"en","published":"2025-11-11","title":"Uploaded Through The API","body":"A zebracorn paragraph."}"#;
    for headers in [
        vec![],
        vec![("Authorization", "Bearer wrong")],
        vec![("Authorization", "Bearer s3cret-token-but-longer")],
        vec![("Authorization", "s3cret-token")],
    ] {
        let r = post(&url, &headers, record.as_bytes());
        assert_eq!(r.status, 401, "{headers:?}");
        assert_eq!(r.header("www-authenticate"), "Bearer");
    }
    assert_eq!(
        get(&format!("{b}/search.json?q=zebracorn")).json()["total"],
        0
    );
    // GET is not a way in either.
    assert_eq!(get(&url).status, 405);

    let ok = post(
        &url,
        &[("Authorization", "Bearer s3cret-token")],
        format!("{record}\n{{broken\n").as_bytes(),
    );
    assert_eq!(ok.status, 200, "{}", ok.body);
    let s = ok.json();
    assert_eq!(s["new_articles"], 1);
    assert_eq!(s["rejected"], 1);
    // Errors name the upload, never a path on the server.
    assert_eq!(s["errors"][0]["source"], "upload");
    assert_eq!(s["errors"][0]["line"], 2);
    // Searchable at once.
    let found = get(&format!("{b}/search.json?q=zebracorn")).json();
    assert_eq!(found["total"], 1);
    // The same upload again changes nothing.
    let again = post(
        &url,
        &[("Authorization", "Bearer s3cret-token")],
        record.as_bytes(),
    )
    .json();
    assert_eq!(again["unchanged"], 1);
    assert_eq!(again["new_articles"], 0);

    // CSV, told by the content type.
    let csv = "outlet,title,body\nrodong,CSV Upload Heading,quokkafish text\n";
    let r = post(
        &url,
        &[
            ("Authorization", "Bearer s3cret-token"),
            ("Content-Type", "text/csv"),
        ],
        csv.as_bytes(),
    );
    assert_eq!(r.json()["new_articles"], 1, "{}", r.body);
    assert_eq!(
        get(&format!("{b}/search.json?q=quokkafish")).json()["total"],
        1
    );

    // A WARC, told by the content type: its kcna.kp pages are articles.
    let warc = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tealeaf/tests/fixtures/warc/capture.warc.gz"),
    )
    .unwrap();
    let r = post(
        &url,
        &[
            ("Authorization", "Bearer s3cret-token"),
            ("Content-Type", "application/warc"),
        ],
        &warc,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.json()["new_articles"].as_u64().unwrap() >= 2,
        "{}",
        r.body
    );
    for e in r.json()["errors"].as_array().unwrap() {
        assert_eq!(e["source"], "upload", "{}", r.body);
    }
}

#[test]
fn read_only_without_a_token() {
    let (srv, _tmp) = fixture_server(None);
    let r = post(
        &format!("{}/api/ingest", srv.base),
        &[("Authorization", "Bearer anything")],
        br#"{"outlet":"kcna","title":"x"}"#,
    );
    assert_eq!(r.status, 401);
    assert!(r.body.contains("read-only"), "{}", r.body);
    let empty = post(
        &format!("{}/api/ingest", srv.base),
        &[("Authorization", "Bearer ")],
        b"{}",
    );
    assert_eq!(empty.status, 401);
}

#[test]
fn request_bodies_are_limited() {
    // fixture_server allows 256 KiB.
    let (srv, _tmp) = fixture_server(Some("tok"));
    let url = format!("{}/api/ingest", srv.base);
    use std::io::{Read, Write};
    let line = r#"{"outlet":"kcna","title":"Padding","body":"padding padding padding padding"}"#;
    let big = format!("{line}\n").repeat(400 * 1024 / line.len());
    assert!(big.len() > 256 * 1024);
    // With a Content-Length over the limit: refused before the body is
    // read (raw requests: a client still writing when the server answers
    // and closes would see a broken pipe instead of the answer).
    let addr = srv.base.trim_start_matches("http://").to_string();
    let head = format!(
        "POST /api/ingest HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer tok\r\nConnection: close\r\n"
    );
    let answer = |s: &mut std::net::TcpStream| -> String {
        s.set_read_timeout(Some(std::time::Duration::from_secs(30)))
            .ok();
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        out
    };
    let mut s = std::net::TcpStream::connect(&addr).expect("connect");
    write!(s, "{head}Content-Length: {}\r\n\r\n", big.len()).expect("send");
    let out = answer(&mut s);
    assert!(out.starts_with("HTTP/1.1 413"), "{out}");
    // Chunked (no length given): refused once the limit is crossed.
    let mut s = std::net::TcpStream::connect(&addr).expect("connect");
    write!(s, "{head}Transfer-Encoding: chunked\r\n\r\n").expect("send");
    let mut sent = 0;
    for piece in big.as_bytes().chunks(4096) {
        if write!(s, "{:x}\r\n", piece.len()).is_err()
            || s.write_all(piece).is_err()
            || s.write_all(b"\r\n").is_err()
        {
            break;
        }
        sent += piece.len();
        if sent > 256 * 1024 + 8192 {
            break;
        }
    }
    let out = answer(&mut s);
    assert!(out.starts_with("HTTP/1.1 413"), "{out}");
    // Nothing of it was stored.
    assert_eq!(
        get(&format!("{}/search.json?q=padding", srv.base)).json()["total"],
        0
    );
    // Under the limit it goes through.
    let small = format!("{line}\n");
    assert_eq!(
        post(&url, &[("Authorization", "Bearer tok")], small.as_bytes()).status,
        200
    );
}

#[test]
fn requests_are_limited_in_time() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut config = tealeaf_serve::Config::new(data_dir(tmp.path()));
    config.token = Some("tok".into());
    config.timeout = std::time::Duration::from_millis(500);
    let srv = start(config);
    // A client that sends a body slower than the limit allows is cut off.
    use std::io::{Read, Write};
    let addr = srv.base.trim_start_matches("http://").to_string();
    let mut s = std::net::TcpStream::connect(&addr).expect("connect");
    write!(
        s,
        "POST /api/ingest HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer tok\r\nContent-Length: 1000\r\n\r\n{{"
    )
    .expect("send");
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .ok();
    let started = std::time::Instant::now();
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    assert!(out.starts_with("HTTP/1.1 408"), "{out}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn ingest_while_another_writer_holds_the_index_is_503() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = data_dir(tmp.path());
    let mut config = tealeaf_serve::Config::new(data.clone());
    config.token = Some("tok".into());
    let srv = start(config);
    // Another writer (as a concurrent `tealeaf ingest` would be).
    let (index, _) = data.index().expect("index");
    let writer = data.writer(&index).expect("writer");
    let r = post(
        &format!("{}/api/ingest", srv.base),
        &[("Authorization", "Bearer tok")],
        br#"{"outlet":"kcna","title":"Blocked"}"#,
    );
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(r.body.contains("another tealeaf process"), "{}", r.body);
    drop(writer);
    let r = post(
        &format!("{}/api/ingest", srv.base),
        &[("Authorization", "Bearer tok")],
        br#"{"outlet":"kcna","title":"Not Blocked"}"#,
    );
    assert_eq!(r.status, 200, "{}", r.body);
}

#[test]
fn sees_what_another_process_ingests() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = data_dir(tmp.path());
    let srv = start(tealeaf_serve::Config::new(data.clone()));
    let url = format!("{}/search.json?q=wombatquark", srv.base);
    assert_eq!(get(&url).json()["total"], 0);
    // As `tealeaf ingest` beside the running server would.
    let file = tmp.path().join("more.jsonl");
    std::fs::write(
        &file,
        "{\"outlet\":\"kcna\",\"title\":\"Wombatquark Seen\"}\n",
    )
    .expect("write");
    let s = tealeaf_pipeline::ingest_paths(&data, &[file], &Default::default(), 4000, &|_, _| {})
        .expect("ingest");
    assert_eq!(s.new_articles, 1);
    let started = std::time::Instant::now();
    loop {
        if get(&url).json()["total"] == 1 {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "never seen"
        );
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
}

/// A title a spreadsheet would run as a formula (its link points at this
/// machine only).
const FORMULA_TITLE: &str = "=HYPERLINK(\"http://127.0.0.1/x\")";

#[test]
fn csv_cells_that_spreadsheets_would_run_are_neutralised_unless_raw() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = data_dir(tmp.path());
    let record = serde_json::json!({
        "id": "formula-probe",
        "outlet": "kcna",
        "language": "en",
        "published": "2025-12-02",
        "title": FORMULA_TITLE,
        "paragraphs": ["@SUM(1+1) starts the body.", "Formulaprobe text."],
        "captured_at": "2025-12-02T06:00:00Z"
    });
    let file = tmp.path().join("formula.jsonl");
    std::fs::write(&file, format!("{record}\n")).expect("write");
    tealeaf_pipeline::ingest_paths(&data, &[file], &Default::default(), 4000, &|_, _| {})
        .expect("ingest");
    let srv = start(tealeaf_serve::Config::new(data));
    let row = |query: &str| -> csv::StringRecord {
        let r = get(&format!("{}/search.csv?q=formulaprobe{query}", srv.base));
        assert_eq!(r.status, 200, "{}", r.body);
        let mut rows: Vec<csv::StringRecord> = csv::Reader::from_reader(r.body.as_bytes())
            .records()
            .map(|x| x.expect("a CSV row"))
            .collect();
        assert_eq!(rows.len(), 1, "{}", r.body);
        rows.remove(0)
    };
    let safe = row("");
    assert_eq!(&safe[0], "formula-probe");
    assert_eq!(&safe[4], format!("'{FORMULA_TITLE}"));
    assert!(safe[5].starts_with("'@SUM(1+1)"), "{:?}", &safe[5]);
    // Explicitly not raw: the same.
    assert_eq!(row("&raw=0"), safe);
    // Raw, for programs: exactly as stored.
    for raw in ["&raw=1", "&raw=true"] {
        let r = row(raw);
        assert_eq!(&r[4], FORMULA_TITLE, "{raw}");
        assert!(r[5].starts_with("@SUM(1+1)"), "{raw}");
    }
    // A value that is neither is refused rather than guessed.
    let bad = get(&format!("{}/search.csv?q=formulaprobe&raw=maybe", srv.base));
    assert_eq!(bad.status, 400, "{}", bad.body);
    // JSONL is data, not a spreadsheet: as stored.
    let jsonl = get(&format!("{}/search.jsonl?q=formulaprobe", srv.base));
    let line: serde_json::Value = serde_json::from_str(jsonl.body.trim()).expect("a JSON line");
    assert_eq!(line["title"], FORMULA_TITLE);
}
