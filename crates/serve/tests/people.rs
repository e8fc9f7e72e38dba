//! The people index, the trend and person charts' ranges and links, and
//! the CSVs of trends and changes, over real HTTP on 127.0.0.1: the
//! fixtures, an article with a history, and records written here (a
//! person named across 2011 and once, misdated, in 1970; a word used over
//! seven years; a name that is markup and a formula).

mod common;

use std::collections::BTreeMap;

use common::*;
use tealeaf_read::ReadOptions;
use tealeaf_serve::page::encode;

/// A capture record in tealeaf's format.
fn rec(id: &str, date: &str, title: &str, body: &str) -> String {
    serde_json::json!({
        "id": id,
        "outlet": "kcna",
        "language": "en",
        "published": date,
        "title": title,
        "paragraphs": [body],
        "captured_at": format!("{date}T06:00:00Z"),
    })
    .to_string()
}

fn ingest(data: &tealeaf_pipeline::DataDir, dir: &std::path::Path, name: &str, lines: &[String]) {
    let path = dir.join(name);
    std::fs::write(&path, lines.join("\n") + "\n").expect("write records");
    let s = tealeaf_pipeline::ingest_paths(
        &data.clone(),
        &[path],
        &ReadOptions::default(),
        4000,
        &|_, _| {},
    )
    .expect("ingest");
    assert_eq!(s.rejected, 0, "{:?}", s.errors);
}

/// The dates of the 40 articles naming Pak Pong Ju in 2011 (every 9th
/// day from Jan. 5 to Dec. 22); a 41st is dated 1970-01-01.
fn pak_dates() -> Vec<chrono::NaiveDate> {
    let start = chrono::NaiveDate::from_ymd_opt(2011, 1, 5).expect("date");
    (0..40)
        .map(|i| start + chrono::Duration::days(9 * i))
        .collect()
}

/// The dates of the 30 articles that say "cement": every 80th day from
/// 2005-01-01 (2,320 days).
fn cement_dates() -> Vec<chrono::NaiveDate> {
    let start = chrono::NaiveDate::from_ymd_opt(2005, 1, 1).expect("date");
    (0..30)
        .map(|i| start + chrono::Duration::days(80 * i))
        .collect()
}

/// The fixtures, the history article, and the records above.
fn server() -> (Server, tempfile::TempDir) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = data_dir(tmp.path());
    let mut lines = vec![history_records().trim_end().to_string()];
    for (i, d) in pak_dates().iter().enumerate() {
        lines.push(rec(
            &format!("pak-{i}"),
            &d.to_string(),
            &format!("Premier Visits Plant {i}"),
            &format!("Premier Pak Pong Ju inspected the tractor plant number {i}."),
        ));
    }
    lines.push(rec(
        "pak-1970",
        "1970-01-01",
        "Premier Visits Farm",
        "Premier Pak Pong Ju visited a farm.",
    ));
    for (i, d) in cement_dates().iter().enumerate() {
        lines.push(rec(
            &format!("cement-{i}"),
            &d.to_string(),
            &format!("Builders Report {i}"),
            &format!("The builders poured cement for block {i}."),
        ));
    }
    ingest(&data, tmp.path(), "extra.jsonl", &lines);
    (start(tealeaf_serve::Config::new(data)), tmp)
}

fn people(b: &str, query: &str) -> Vec<serde_json::Value> {
    let j = get(&format!("{b}/people.json{query}")).json();
    j["people"].as_array().cloned().unwrap_or_default()
}

fn names(rows: &[serde_json::Value]) -> Vec<String> {
    rows.iter()
        .map(|r| r["name"].as_str().unwrap_or("").to_string())
        .collect()
}

/// `(href, count)` of each link to the search in `html` (after `from`),
/// the count read from the link's text or its SVG `<title>`.
fn search_links(html: &str, from: &str) -> Vec<(String, i64)> {
    let html = &html[html.find(from).unwrap_or_else(|| panic!("no `{from}`"))..];
    let mut out = Vec::new();
    for part in html.split("<a href=\"").skip(1) {
        let Some((href, rest)) = part.split_once('"') else {
            continue;
        };
        if !href.starts_with("/search?") {
            continue;
        }
        let end = rest.find("</a>").unwrap_or(rest.len());
        let inner = &rest[..end];
        let text = match inner.find("<title>") {
            Some(i) => inner[i + 7..].split("</title>").next().unwrap_or(""),
            None => inner.trim_start_matches('>'),
        };
        // `PERIOD: N articles`, `TERM — PERIOD: N articles` or `N`.
        let n = text
            .rsplit(": ")
            .next()
            .unwrap_or("")
            .split(' ')
            .next()
            .unwrap_or("");
        if let Ok(n) = n.parse::<i64>() {
            out.push((href.replace("&amp;", "&"), n));
        }
    }
    out
}

/// Each link's search finds exactly the count it was shown with.
fn links_find_their_counts(b: &str, links: &[(String, i64)]) {
    assert!(!links.is_empty());
    for (href, n) in links {
        let q = href.strip_prefix("/search").expect("a search link");
        let j = get(&format!("{b}/search.json{q}")).json();
        assert_eq!(j["total"].as_i64(), Some(*n), "{href}: {j}");
    }
}

#[test]
fn people_index_counts_match_the_person_pages_and_the_search() {
    let (srv, tmp) = server();
    let b = &srv.base;
    let all = people(b, "?_size=1000");
    let j = get(&format!("{b}/people.json?_size=1000")).json();
    assert_eq!(j["total"].as_u64(), Some(all.len() as u64));
    assert!(all.len() >= 4, "{all:?}");
    for p in &all {
        let name = p["name"].as_str().expect("name");
        let person = get(&format!(
            "{b}/person/{}.json",
            encode(name).replace('+', "%20")
        ))
        .json();
        for k in ["articles", "mentions", "first_seen", "last_seen"] {
            assert_eq!(p[k], person[k], "{name}: {k}");
        }
        let titles = person["titles"].as_array().map(Vec::len).unwrap_or(0);
        assert_eq!(p["titles"].as_u64(), Some(titles as u64), "{name}");
        // The index (another count altogether) finds as many articles.
        let search = get(&format!("{b}/search.json?person={}", encode(name))).json();
        assert_eq!(search["total"], p["articles"], "{name}");
    }
    let pak = all
        .iter()
        .find(|p| p["name"] == "Pak Pong Ju")
        .expect("Pak Pong Ju is listed");
    assert_eq!(pak["articles"], 41);
    assert_eq!(pak["first_seen"], "1970-01-01");
    assert_eq!(pak["last_seen"], "2011-12-22");
    assert_eq!(pak["top_title"], "Premier");

    // Most articles first by default; names link to their pages.
    let counts: Vec<i64> = all
        .iter()
        .map(|p| p["articles"].as_i64().unwrap_or(0))
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    let page = get(&format!("{b}/people"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains(r#"aria-current="page">People"#));
    assert!(page
        .body
        .contains(r#"<a href="/person/Pak%20Pong%20Ju">Pak Pong Ju</a>"#));
    assert!(page
        .body
        .contains(r#"<a href="/search?person=Pak+Pong+Ju">41</a>"#));

    // The list is kept between requests, and read again after an ingest
    // (here by another writer, as `tealeaf ingest` beside the server).
    let data = tealeaf_pipeline::DataDir::new(tmp.path().join("data"));
    ingest(
        &data,
        tmp.path(),
        "more.jsonl",
        &[rec(
            "pak-more",
            "2011-12-30",
            "Talks",
            "Premier Pak Pong Ju met Kang Sok Ju.",
        )],
    );
    let after = people(b, "?q=pak+pong");
    assert_eq!(after[0]["articles"], 42, "{after:?}");
    assert_eq!(after[0]["last_seen"], "2011-12-30");
    assert_eq!(names(&people(b, "?q=kang+sok")), ["Kang Sok Ju"]);
}

#[test]
fn people_are_found_by_any_spelling_sorted_and_paged() {
    let (srv, _tmp) = server();
    let b = &srv.base;
    for q in [
        "jong+un",
        "JONG-UN",
        "Kim%20Jong-un",
        // Hangul, whole and in part.
        &encode("김정은"),
        &encode("정은"),
    ] {
        let found = names(&people(b, &format!("?q={q}")));
        assert!(found.contains(&"Kim Jong Un".to_string()), "{q}: {found:?}");
        assert!(
            !found.contains(&"Pak Pong Ju".to_string()),
            "{q}: {found:?}"
        );
    }
    assert_eq!(
        names(&people(b, "?q=Ch%27oe+Ryong-hae")),
        ["Choe Ryong Hae"]
    );
    assert_eq!(names(&people(b, "?q=pak+pong")), ["Pak Pong Ju"]);
    assert!(people(b, "?q=nobody+at+all").is_empty());
    let none = get(&format!("{b}/people?q=nobody+at+all"));
    assert!(none.body.contains("Nobody by that name"), "{}", none.body);

    // Sorts.
    let by_name = names(&people(b, "?sort=name&_size=1000"));
    let mut sorted = by_name.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(by_name, sorted);
    let desc = names(&people(b, "?sort=name&order=desc&_size=1000"));
    assert_eq!(desc.first(), by_name.last());
    let first = people(b, "?sort=first_seen&_size=1000");
    assert_eq!(first[0]["name"], "Pak Pong Ju");
    let firsts: Vec<&str> = first
        .iter()
        .filter_map(|p| p["first_seen"].as_str())
        .collect();
    assert!(firsts.windows(2).all(|w| w[0] <= w[1]), "{firsts:?}");
    let last = people(b, "?sort=last_seen&_size=1000");
    let lasts: Vec<&str> = last
        .iter()
        .filter_map(|p| p["last_seen"].as_str())
        .collect();
    assert!(lasts.windows(2).all(|w| w[0] >= w[1]), "{lasts:?}");

    // Pages of two cover the list in order, once each.
    let everyone = names(&people(b, "?_size=1000"));
    let mut paged = Vec::new();
    for page in 1.. {
        let j = get(&format!("{b}/people.json?_size=2&page={page}")).json();
        let rows = j["people"].as_array().cloned().unwrap_or_default();
        assert_eq!(j["offset"].as_u64(), Some(2 * (page as u64 - 1)));
        assert_eq!(
            j["links"]["next"].is_string(),
            2 * page < everyone.len(),
            "{j}"
        );
        if rows.is_empty() {
            break;
        }
        assert!(rows.len() <= 2);
        paged.extend(names(&rows));
    }
    assert_eq!(paged, everyone);
    // The page shows the page numbers.
    let html = get(&format!("{b}/people?_size=1&page=2"));
    assert!(
        html.body
            .contains(r#"<a href="/people?page=3&amp;_size=1">3</a>"#),
        "{}",
        html.body
    );
    assert!(html.body.contains(r#"aria-current="page">2</a>"#));
    // `_size` is capped; nonsense is a 400.
    let big = get(&format!("{b}/people.json?_size=100000")).json();
    assert_eq!(big["params"]["size"], 1000);
    for bad in ["_size=0", "_size=ten", "page=0", "sort=height", "order=up"] {
        assert_eq!(get(&format!("{b}/people.json?{bad}")).status, 400, "{bad}");
    }
}

#[test]
fn people_csv_rows_are_the_json_rows() {
    let (srv, _tmp) = server();
    let b = &srv.base;
    for query in ["", "q=kim&sort=name", "sort=first_seen&order=desc"] {
        let json = people(b, &format!("?{query}&_size=1000"));
        let csv = get(&format!("{b}/people.csv?{query}"));
        assert_eq!(csv.status, 200);
        assert!(csv.header("content-type").starts_with("text/csv"));
        assert_eq!(csv.header("x-total-count"), json.len().to_string());
        let mut r = csv::Reader::from_reader(csv.body.as_bytes());
        let header: Vec<String> = r
            .headers()
            .expect("header")
            .iter()
            .map(str::to_string)
            .collect();
        assert_eq!(
            header,
            [
                "name",
                "articles",
                "mentions",
                "first_seen",
                "last_seen",
                "titles",
                "top_title"
            ]
        );
        let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
        assert_eq!(rows.len(), json.len(), "{query}");
        for (row, p) in rows.iter().zip(&json) {
            for (i, k) in header.iter().enumerate() {
                let want = match &p[k.as_str()] {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Null => String::new(),
                    v => v.to_string(),
                };
                assert_eq!(&row[i], want, "{query}: {k}");
            }
        }
    }
}

#[test]
fn a_name_that_is_markup_and_a_formula_stays_text() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = data_dir(tmp.path());
    // A user gazetteer makes the analysis name someone with it.
    let evil = r#"=HYPERLINK("http://127.0.0.1/x","<script>alert(1)</script>")"#;
    let gaz = tmp.path().join("data/gazetteers");
    std::fs::create_dir_all(&gaz).expect("mkdir");
    std::fs::write(
        gaz.join("evil.tsv"),
        format!("{evil}\tperson\tZorbo Quux\n"),
    )
    .expect("write");
    ingest(
        &data,
        tmp.path(),
        "evil.jsonl",
        &[rec(
            "evil",
            "2011-05-05",
            "A Visit",
            "Chairman Zorbo Quux arrived in Pyongyang.",
        )],
    );
    let srv = start(tealeaf_serve::Config::new(data));
    let b = &srv.base;
    // Found by its variant, stored as it is.
    let found = people(b, "?q=zorbo");
    assert_eq!(names(&found), [evil]);
    let page = get(&format!("{b}/people?q=zorbo"));
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("<script>alert"), "{}", page.body);
    assert!(
        page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{}",
        page.body
    );
    let href = format!("/person/{}", encode(evil).replace('+', "%20"));
    assert!(
        page.body.contains(&format!(r#"<a href="{href}">"#)),
        "{}",
        page.body
    );
    let person = get(&format!("{b}{href}"));
    assert_eq!(person.status, 200, "{}", person.body);
    assert!(!person.body.contains("<script>alert"));
    // CSV: neutralised unless raw=1.
    let cell = |raw: &str| {
        let csv = get(&format!("{b}/people.csv?q=zorbo{raw}"));
        assert_eq!(csv.status, 200);
        let mut r = csv::Reader::from_reader(csv.body.as_bytes());
        let row = r.records().next().expect("a row").expect("CSV");
        row[0].to_string()
    };
    assert_eq!(cell(""), format!("'{evil}"));
    assert_eq!(cell("&raw=1"), evil);
    assert_eq!(get(&format!("{b}/people.csv?raw=maybe")).status, 400);
}

#[test]
fn trends_from_to_outliers_and_coarsening() {
    let (srv, _tmp) = server();
    let b = &srv.base;
    let points = |j: &serde_json::Value| -> BTreeMap<String, i64> {
        j["series"][0]["points"]
            .as_array()
            .expect("points")
            .iter()
            .map(|p| {
                (
                    p["period"].as_str().unwrap_or("").to_string(),
                    p["articles"].as_i64().unwrap_or(0),
                )
            })
            .collect()
    };

    // By default the 1970 article does not stretch the range; it is told.
    let j = get(&format!("{b}/trends.json?terms=Pak+Pong+Ju")).json();
    let p = points(&j);
    assert_eq!(p.keys().next().map(String::as_str), Some("2011-01"), "{j}");
    assert_eq!(p.keys().last().map(String::as_str), Some("2011-12"));
    assert_eq!(p.values().sum::<i64>(), 40);
    assert_eq!(j["range"]["from"], "2011-01-01");
    assert_eq!(j["outside"]["articles"], 1);
    assert_eq!(j["outside"]["all"]["from"], "1970-01-01");
    let show_all = j["links"]["show_all"].as_str().expect("a link showing all");
    assert!(
        show_all.contains("from=1970-01-01&to=2011-12-22"),
        "{show_all}"
    );
    let html = get(&format!("{b}/trends?terms=Pak+Pong+Ju"));
    assert!(
        html.body
            .contains("1 article (1 mention) outside the shown range (2011-01-01 to 2011-12-31)"),
        "{}",
        html.body
    );
    assert!(html.body.contains("show all</a>"));
    // Showing all counts 1970 too, by month from 1970-01.
    let all = get(&format!(
        "{b}{}",
        show_all.replacen("/trends", "/trends.json", 1)
    ))
    .json();
    let p = points(&all);
    assert_eq!(p.keys().next().map(String::as_str), Some("1970-01"));
    assert_eq!(p.values().sum::<i64>(), 41);
    assert!(all["outside"].is_null());

    // from/to limit the series, and the table and the chart.
    let j = get(&format!(
        "{b}/trends.json?terms=Pak+Pong+Ju,tractor&from=2011-03-01&to=2011-05-31"
    ))
    .json();
    let expected = pak_dates()
        .iter()
        .filter(|d| {
            d.to_string().as_str() >= "2011-03-01" && d.to_string().as_str() <= "2011-05-31"
        })
        .count() as i64;
    for s in 0..2 {
        let p: BTreeMap<String, i64> = j["series"][s]["points"]
            .as_array()
            .expect("points")
            .iter()
            .map(|p| {
                (
                    p["period"].as_str().unwrap_or("").to_string(),
                    p["articles"].as_i64().unwrap_or(0),
                )
            })
            .collect();
        assert_eq!(
            p.keys().cloned().collect::<Vec<_>>(),
            ["2011-03", "2011-04", "2011-05"],
            "{j}"
        );
        assert_eq!(p.values().sum::<i64>(), expected, "{j}");
    }
    assert!(j["outside"].is_null());
    // Within a month: the days asked, not the whole month.
    let j = get(&format!(
        "{b}/trends.json?terms=Pak+Pong+Ju&from=2011-03-10&to=2011-03-20&by=month"
    ))
    .json();
    let n = pak_dates()
        .iter()
        .filter(|d| {
            d.to_string().as_str() >= "2011-03-10" && d.to_string().as_str() <= "2011-03-20"
        })
        .count() as i64;
    assert_eq!(
        points(&j).into_iter().collect::<Vec<_>>(),
        [("2011-03".to_string(), n)]
    );
    assert_eq!(
        get(&format!(
            "{b}/trends.json?terms=x&from=2011-05-01&to=2011-01-01"
        ))
        .status,
        400
    );
    assert_eq!(
        get(&format!("{b}/trends.json?terms=x&from=someday")).status,
        400
    );

    // The table's counts open that period's articles: as many as counted.
    let html = get(&format!(
        "{b}/trends?terms=Pak+Pong+Ju,tractor,cement&by=year"
    ));
    links_find_their_counts(b, &search_links(&html.body, r#"id="numbers-h""#));
    let html = get(&format!(
        "{b}/trends?terms=Pak+Pong+Ju&from=2011-03-10&to=2011-04-20&by=week"
    ));
    let links = search_links(&html.body, r#"id="numbers-h""#);
    assert!(
        links.iter().all(|(h, _)| h.contains("person=Pak+Pong+Ju")),
        "{links:?}"
    );
    links_find_their_counts(b, &links);

    // By day over seven years: coarsened to weeks, and said so.
    let j = get(&format!("{b}/trends.json?terms=cement&by=day")).json();
    assert_eq!(j["by"], "week", "{j}");
    assert_eq!(j["coarsened_from"], "day");
    let n = j["series"][0]["points"]
        .as_array()
        .map(Vec::len)
        .unwrap_or(0);
    assert!(n > 300 && n <= 1_500, "{n}");
    assert_eq!(points(&j).values().sum::<i64>(), 30);
    let html = get(&format!("{b}/trends?terms=cement&by=day"));
    assert!(
        html.body
            .contains("By day, this range has more than 1500 periods: counted by week instead."),
        "{}",
        html.body
    );
    // A range that fits stays by day.
    let j = get(&format!(
        "{b}/trends.json?terms=cement&by=day&from=2006-01-01&to=2006-12-31"
    ))
    .json();
    assert_eq!(j["by"], "day");
    assert!(j["coarsened_from"].is_null());
}

/// The chart's points are links to the search: each finds as many
/// articles as the point counts.
#[test]
#[ignore = "needs fonts (cargo test -- --include-ignored)"]
fn trend_chart_points_open_their_articles() {
    fonts();
    let (srv, _tmp) = server();
    let b = &srv.base;
    for terms in ["Pak+Pong+Ju", "Pak+Pong+Ju,tractor", "cement&by=year"] {
        let html = get(&format!("{b}/trends?terms={terms}"));
        assert_eq!(html.body.matches("<svg").count(), 1);
        let svg_end = html.body.find("</svg>").expect("a chart");
        let links = search_links(&html.body[..svg_end], r#"<g class="chart-links">"#);
        let table = search_links(&html.body, r#"id="numbers-h""#);
        // One link per period with articles, per term, as in the table.
        assert_eq!(links.len(), table.len(), "{terms}");
        links_find_their_counts(b, &links);
    }
}

#[test]
fn person_chart_range_outliers_and_links() {
    let (srv, _tmp) = server();
    let b = &srv.base;
    let j = get(&format!("{b}/person/Pak%20Pong%20Ju.json")).json();
    // The person's own numbers are all of them ...
    assert_eq!(j["articles"], 41);
    assert_eq!(j["by_month"][0]["period"], "1970-01");
    // ... the chart the bulk, and what it left out.
    assert_eq!(j["chart"]["range"]["from"], "2011-01-01", "{j}");
    assert_eq!(j["chart"]["outside"]["articles"], 1);
    assert_eq!(
        j["chart"]["series"][0]["points"].as_array().map(Vec::len),
        Some(12)
    );
    let html = get(&format!("{b}/person/Pak%20Pong%20Ju"));
    assert!(
        html.body
            .contains("1 article (1 mention) outside the shown range"),
        "{}",
        html.body
    );
    assert!(html.body.contains(r#"<a class="show-all" href="/person/Pak%20Pong%20Ju?from=1970-01-01&amp;to=2011-12-22">show all</a>"#), "{}", html.body);
    // Each bar opens its month's articles: as many as the bar counts.
    let svg_end = html.body.find("</svg>").expect("a chart");
    let in_svg = search_links(&html.body[..svg_end], "<figure");
    assert_eq!(in_svg.len(), 12, "{in_svg:?}");
    assert_eq!(in_svg.iter().map(|b| b.1).sum::<i64>(), 40);
    links_find_their_counts(b, &in_svg);

    // from/to and by.
    let j = get(&format!(
        "{b}/person/Pak%20Pong%20Ju.json?from=1960-01-01&by=year"
    ))
    .json();
    let years: Vec<&str> = j["chart"]["series"][0]["points"]
        .as_array()
        .expect("points")
        .iter()
        .filter_map(|p| p["period"].as_str())
        .collect();
    assert_eq!(years.len(), 42);
    assert_eq!((years[0], years[41]), ("1970", "2011"));
    assert!(j["chart"]["outside"].is_null());
    let html = get(&format!(
        "{b}/person/Pak%20Pong%20Ju?from=2011-06-01&to=2011-06-30&by=day"
    ));
    let days = search_links(&html.body, "<figure");
    assert!(!days.is_empty());
    assert!(days
        .iter()
        .all(|(h, _)| h.contains("from=2011-06-") && h.contains("person=Pak+Pong+Ju")));
    links_find_their_counts(b, &days);
    assert_eq!(
        get(&format!("{b}/person/Pak%20Pong%20Ju?by=decade")).status,
        400
    );
}

#[test]
fn trends_csv_rows_are_the_json_rows() {
    let (srv, _tmp) = server();
    let b = &srv.base;
    for q in [
        "terms=Pak+Pong+Ju,tractor",
        "terms=cement&by=year",
        "terms=Pak+Pong+Ju&from=2011-02-01&to=2011-04-30&by=week",
    ] {
        let j = get(&format!("{b}/trends.json?{q}&per_1000=1")).json();
        let csv = get(&format!("{b}/trends.csv?{q}"));
        assert_eq!(csv.status, 200, "{}", csv.body);
        assert!(csv.header("content-type").starts_with("text/csv"));
        let mut r = csv::Reader::from_reader(csv.body.as_bytes());
        let header: Vec<String> = r
            .headers()
            .expect("header")
            .iter()
            .map(str::to_string)
            .collect();
        assert_eq!(
            header,
            [
                "term",
                "matched_as",
                "period",
                "articles",
                "mentions",
                "articles_per_1000",
                "mentions_per_1000"
            ]
        );
        let rows: Vec<Vec<String>> = r
            .records()
            .map(|x| x.expect("row").iter().map(str::to_string).collect())
            .collect();
        let mut want = Vec::new();
        for s in j["series"].as_array().expect("series") {
            for p in s["points"].as_array().expect("points") {
                want.push(vec![
                    s["term"].as_str().unwrap_or("").to_string(),
                    s["matched_as"].as_str().unwrap_or("").to_string(),
                    p["period"].as_str().unwrap_or("").to_string(),
                    p["articles"].to_string(),
                    p["mentions"].to_string(),
                    format!("{:.3}", p["articles_per_1000"].as_f64().expect("a rate")),
                    format!("{:.3}", p["mentions_per_1000"].as_f64().expect("a rate")),
                ]);
            }
        }
        assert!(!want.is_empty());
        assert_eq!(rows, want, "{q}");
    }
    // A term that starts a formula is neutralised unless raw=1.
    let csv = get(&format!("{b}/trends.csv?terms=%2Dcement"));
    assert_eq!(csv.status, 200, "{}", csv.body);
    assert!(
        csv.body
            .lines()
            .nth(1)
            .unwrap_or("")
            .starts_with("'-cement,text,"),
        "{}",
        csv.body
    );
    let raw = get(&format!("{b}/trends.csv?terms=%2Dcement&raw=1"));
    assert!(
        raw.body
            .lines()
            .nth(1)
            .unwrap_or("")
            .starts_with("-cement,text,"),
        "{}",
        raw.body
    );
    assert_eq!(get(&format!("{b}/trends.csv")).status, 400);
}

#[test]
fn changes_csv_rows_are_the_json_rows() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = data_dir(tmp.path());
    // An article whose title starts a formula, edited once.
    let mut lines = vec![history_records().trim_end().to_string()];
    for (at, body) in [
        ("2025-12-02", "First words."),
        ("2025-12-04", "First words, edited."),
    ] {
        lines.push(
            serde_json::json!({
                "id": "formula", "outlet": "kcna", "language": "en", "published": "2025-12-02",
                "title": "=SUM(1+1) report", "paragraphs": [body],
                "captured_at": format!("{at}T06:00:00Z"),
            })
            .to_string(),
        );
    }
    ingest(&data, tmp.path(), "changes.jsonl", &lines);
    let srv = start(tealeaf_serve::Config::new(data));
    let b = &srv.base;
    let flat = |c: &serde_json::Value, raw: bool| -> Vec<String> {
        let s = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => String::new(),
            v => v.to_string(),
        };
        let cell = |v: String| {
            if !raw && v.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                format!("'{v}")
            } else {
                v
            }
        };
        [
            s(&c["id"]),
            s(&c["url"]),
            s(&c["outlet"]),
            s(&c["published"]),
            s(&c["title"]),
            s(&c["kind"]),
            s(&c["from"]["n"]),
            s(&c["from"]["content_hash"]),
            s(&c["from"]["captured_at"]),
            s(&c["to"]["n"]),
            s(&c["to"]["content_hash"]),
            s(&c["to"]["captured_at"]),
            s(&c["changed"]),
            s(&c["similarity"]),
            c["hunks"].to_string(),
        ]
        .map(cell)
        .to_vec()
    };
    for (q, n) in [
        ("", 5),
        ("kind=removed", 1),
        ("outlet=kcna&since=2025-12-03", 4),
        ("since=2030-01-01", 0),
    ] {
        let j = get(&format!("{b}/changes.json?{q}")).json();
        assert_eq!(j["total"], n, "{q}: {j}");
        let changes = j["changes"].as_array().expect("changes");
        for raw in [false, true] {
            let csv = get(&format!(
                "{b}/changes.csv?{q}{}",
                if raw { "&raw=1" } else { "" }
            ));
            assert_eq!(csv.status, 200);
            assert_eq!(csv.header("x-total-count"), n.to_string());
            let mut r = csv::Reader::from_reader(csv.body.as_bytes());
            assert_eq!(r.headers().expect("header").len(), 15);
            let rows: Vec<Vec<String>> = r
                .records()
                .map(|x| x.expect("row").iter().map(str::to_string).collect())
                .collect();
            let want: Vec<Vec<String>> = changes.iter().map(|c| flat(c, raw)).collect();
            // Numbers as JSON writes them and as Rust prints them may
            // differ in form only: compare those as numbers.
            assert_eq!(rows.len(), want.len(), "{q}");
            for (row, w) in rows.iter().zip(&want) {
                for (i, (a, e)) in row.iter().zip(w).enumerate() {
                    match (a.parse::<f64>(), e.parse::<f64>()) {
                        (Ok(x), Ok(y)) if (12..14).contains(&i) => {
                            assert!((x - y).abs() < 1e-12, "{q}: {a} {e}")
                        }
                        _ => {
                            if i == 14 {
                                let (x, y): (serde_json::Value, serde_json::Value) = (
                                    serde_json::from_str(a).expect("hunks JSON"),
                                    serde_json::from_str(e).expect("hunks JSON"),
                                );
                                assert_eq!(x, y, "{q}");
                            } else {
                                assert_eq!(a, e, "{q}: column {i}");
                            }
                        }
                    }
                }
            }
        }
    }
    let csv = get(&format!("{b}/changes.csv?outlet=kcna"));
    assert!(csv.body.contains(",'=SUM(1+1) report,"), "{}", csv.body);
    let raw = get(&format!("{b}/changes.csv?outlet=kcna&raw=1"));
    assert!(raw.body.contains(",=SUM(1+1) report,"), "{}", raw.body);
    assert_eq!(get(&format!("{b}/changes.csv?kind=nothing")).status, 400);
    assert_eq!(get(&format!("{b}/changes.csv?raw=2")).status, 400);
}
