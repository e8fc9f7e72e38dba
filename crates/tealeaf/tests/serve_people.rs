//! `tealeaf serve` on the real kcna-2011 dump plus one article misdated
//! 1970: the people index against counts read from SQLite here and
//! against the search, its time per request, and trend charts whose
//! default range the 1970 article does not stretch.

mod common;
use std::collections::HashMap;
use std::time::Instant;

use common::*;

/// `application/x-www-form-urlencoded` for a query value.
fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => out.push(b as char),
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn get_json(host: &str, path: &str) -> serde_json::Value {
    let body = http_get(host, path);
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {body}"))
}

#[test]
#[ignore = "needs ../shared/corpus and fonts (cargo test -- --include-ignored)"]
fn people_index_and_trend_ranges_on_kcna_2011() {
    fonts();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let dump = shared().join("corpus/kcna/kcna-2011.jsonl.gz");
    ok(
        &data,
        &[
            "ingest",
            "--outlet",
            "kcna",
            "--map",
            "published=date,body=story",
            dump.to_str().unwrap(),
        ],
    );
    let outlier = write_jsonl(
        dir.path(),
        "outlier.jsonl",
        &[serde_json::json!({
            "id": "misdated", "outlet": "kcna", "language": "en", "published": "1970-01-01",
            "title": "Kim Jong Il Visits Factory",
            "body": "Kim Jong Il visited a factory and talked with its workers.",
        })],
    );
    ok(&data, &["ingest", outlier.to_str().unwrap()]);

    // Per person, counted here over the current analysis (joined through
    // the analysed seq, not the article id as the server does).
    let conn = rusqlite::Connection::open(data.join("archive.sqlite")).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT m.name, COUNT(DISTINCT a.id), SUM(m.count), MIN(a.published), MAX(a.published)
             FROM mentions m JOIN articles a ON a.analyzed_seq = m.seq
             WHERE m.kind = 'person' GROUP BY m.name",
        )
        .unwrap();
    type Counts = (i64, i64, Option<String>, Option<String>);
    let expected: HashMap<String, Counts> = stmt
        .query_map([], |r| {
            Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    drop(stmt);
    drop(conn);
    assert!(expected.len() > 2000, "{}", expected.len());

    let (_server, mut out) = serve(&data);
    let host = served_host(&mut out);

    // Every person, in three pages of 1,000.
    let mut listed = Vec::new();
    for page in 1..=3 {
        let j = get_json(&host, &format!("/people.json?_size=1000&page={page}"));
        assert_eq!(j["total"].as_u64(), Some(expected.len() as u64));
        listed.extend(j["people"].as_array().unwrap().clone());
    }
    assert_eq!(listed.len(), expected.len());
    for p in &listed {
        let name = p["name"].as_str().unwrap();
        let (articles, mentions, first, last) = &expected[name];
        assert_eq!(p["articles"].as_i64(), Some(*articles), "{name}");
        assert_eq!(p["mentions"].as_i64(), Some(*mentions), "{name}");
        assert_eq!(p["first_seen"].as_str(), first.as_deref(), "{name}");
        assert_eq!(p["last_seen"].as_str(), last.as_deref(), "{name}");
    }
    // The most mentioned, and the search agrees on the top ten.
    assert_eq!(listed[0]["name"], "Kim Jong Il");
    assert_eq!(listed[0]["first_seen"], "1970-01-01");
    for p in &listed[..10] {
        let name = p["name"].as_str().unwrap();
        let s = get_json(&host, &format!("/search.json?person={}", enc(name)));
        assert_eq!(s["total"], p["articles"], "{name}");
    }
    // The CSV holds the same people.
    let csv = http_get(&host, "/people.csv");
    assert_eq!(csv.lines().count(), expected.len() + 1);

    // Any spelling; and each request is answered from memory.
    let found = get_json(&host, "/people.json?q=jong+un");
    let names: Vec<&str> = found["people"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert!(names.contains(&"Kim Jong Un"), "{names:?}");
    assert_eq!(
        get_json(&host, "/people.json?q=Kim+Jong-un")["people"][0]["name"],
        "Kim Jong Un"
    );
    let mut times = Vec::new();
    for path in [
        "/people",
        "/people.json?sort=last_seen&page=3",
        "/people?q=choe",
        "/people.json",
    ] {
        let t = Instant::now();
        http_get(&host, path);
        times.push((path, t.elapsed().as_secs_f64() * 1000.0));
    }
    eprintln!("people index, one request each (ms): {times:?}");
    assert!(times.iter().all(|(_, ms)| *ms < 500.0), "{times:?}");

    // The 1970 article: outside the default range, told, one click away.
    let j = get_json(&host, "/trends.json?terms=Kim+Jong+Il");
    assert_eq!(j["range"]["from"], "2011-01-01", "{}", j["range"]);
    assert_eq!(j["series"][0]["points"].as_array().unwrap().len(), 12);
    assert_eq!(j["outside"]["articles"], 1);
    let html = http_get(&host, "/trends?terms=Kim+Jong+Il");
    assert!(
        html.contains("1 article (2 mentions) outside the shown range (2011-01-01 to 2011-12-31)"),
        "{html}"
    );
    // Showing all, by day: 15,000 days, counted by month instead.
    let t = Instant::now();
    let all = get_json(
        &host,
        "/trends.json?terms=Kim+Jong+Il&by=day&from=1970-01-01&to=2011-12-31",
    );
    let took = t.elapsed();
    assert_eq!(all["by"], "month");
    assert_eq!(all["coarsened_from"], "day");
    let n = all["series"][0]["points"].as_array().unwrap().len();
    assert_eq!(n, 42 * 12);
    let html = http_get(
        &host,
        "/trends?terms=Kim+Jong+Il&by=day&from=1970-01-01&to=2011-12-31",
    );
    assert!(html.contains("counted by month instead"));
    eprintln!(
        "by=day over 1970-2011: {n} periods in {took:?}, page {} KB",
        html.len() / 1024
    );
    assert!(html.len() < 2_000_000);

    // The chart's points open their month's articles: as many as counted.
    let html = http_get(&host, "/trends?terms=Kim+Jong+Il,Russia");
    let chart = &html[html
        .find(r#"<g class="chart-links">"#)
        .expect("chart links")..];
    let chart = &chart[..chart.find("</svg>").unwrap()];
    let mut checked = 0;
    for part in chart.split("<a href=\"").skip(1).step_by(5) {
        let (href, rest) = part.split_once('"').unwrap();
        let title = rest
            .split("<title>")
            .nth(1)
            .unwrap()
            .split("</title>")
            .next()
            .unwrap();
        let n: i64 = title
            .rsplit(": ")
            .next()
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let q = href.replace("&amp;", "&");
        let s = get_json(&host, &q.replacen("/search?", "/search.json?", 1));
        assert_eq!(s["total"].as_i64(), Some(n), "{q}");
        checked += 1;
    }
    assert!(checked >= 4, "{checked}");
}
