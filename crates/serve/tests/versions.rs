//! The version pages over real HTTP on 127.0.0.1: an article captured in
//! three versions (edited twice, markup in its text), the fixtures' one-
//! version articles, and the history article (edited, gone, back). Each
//! version's page shows its own text, its twin the same data; the article
//! page's "edited" notice; two versions side by side; 404s and 400s; and
//! markup staying text.

mod common;

use common::*;
use serde_json::Value;

const ID: &str = "three-versions";
const URL: &str = "http://www.kcna.kp/en/article/three";
const TITLES: [&str; 3] = [
    "Delegation arrives in Pyongyang",
    "Delegation arrives in Pyongyang",
    "Friendly delegation arrives in Pyongyang",
];
const SEEN: [&str; 3] = [
    "2025-12-01T06:00:00Z",
    "2025-12-02T06:00:00Z",
    "2025-12-03T06:00:00Z",
];

/// The three texts, as captured.
fn texts() -> [Vec<&'static str>; 3] {
    [
        vec![
            "A government delegation arrived in Pyongyang on Monday.",
            "It was met at the airport by officials.",
            "The visit <img src=x onerror=alert(1)> will last three days.",
        ],
        vec![
            "A government delegation arrived in Pyongyang on Monday.",
            "It was warmly met at the airport by senior officials.",
            "The visit <img src=x onerror=alert(1)> will last three days.",
            "Talks <script>alert(1)</script> began at once.",
        ],
        vec![
            "A friendly government delegation arrived in Pyongyang on Tuesday.",
            "It was warmly met at the airport by senior officials.",
            "Talks <script>alert(1)</script> began at once.",
        ],
    ]
}

/// Captured once: never edited. Its id shares `three` with [`ID`].
const PLAIN: &str = "three-plain";

fn records() -> String {
    let texts = texts();
    let plain = serde_json::json!({
        "id": PLAIN,
        "outlet": "kcna",
        "language": "en",
        "published": "2025-12-01",
        "title": "Three cities hold meetings",
        "paragraphs": ["Meetings were held in three cities."],
        "captured_at": SEEN[0],
    });
    plain.to_string()
        + "\n"
        + &(0..3)
            .map(|i| {
                serde_json::json!({
                    "id": ID,
                    "outlet": "kcna",
                    "language": "en",
                    "published": "2025-12-01",
                    "url": URL,
                    "title": TITLES[i],
                    "paragraphs": texts[i],
                    "captured_at": SEEN[i],
                })
                .to_string()
                    + "\n"
            })
            .collect::<String>()
}

/// The fixtures, the history article and the three-version one.
fn server() -> (Server, tempfile::TempDir) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = data_dir(tmp.path());
    let file = tmp.path().join("versions.jsonl");
    std::fs::write(&file, history_records() + &records()).expect("write the records");
    let s = tealeaf_pipeline::ingest_paths(
        &data,
        &[file],
        &tealeaf_read::ReadOptions::default(),
        4000,
        &|_, _| {},
    )
    .expect("ingest");
    assert_eq!(s.rejected, 0, "{:?}", s.errors);
    (start(tealeaf_serve::Config::new(data)), tmp)
}

/// Text as maud escapes it.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|s| s.as_str().unwrap_or("").to_string())
        .collect()
}

fn no_markup(path: &str, body: &str) {
    let lower = body.to_ascii_lowercase();
    for bad in [
        "<script",
        "<img",
        "<iframe",
        "onerror=\"",
        "href=\"javascript:",
    ] {
        assert!(!lower.contains(bad), "{path} holds `{bad}`: {body}");
    }
}

#[test]
fn each_version_page_shows_its_own_text_and_its_twin_the_same() {
    let (srv, _tmp) = server();
    let b = &srv.base;
    let texts = texts();
    for n in 1..=3usize {
        let path = format!("/article/{ID}/v/{n}");
        let page = get(&format!("{b}{path}"));
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        no_markup(&path, &page.body);
        // Its own paragraphs, in order...
        let mut at = 0;
        for p in &texts[n - 1] {
            let want = format!("<p>{}</p>", esc(p));
            let found = page.body[at..].find(&want);
            assert!(
                found.is_some(),
                "{path}: `{want}` (in order): {}",
                page.body
            );
            at += found.unwrap_or(0);
        }
        // ...and none that only another version has.
        for (m, other) in texts.iter().enumerate() {
            for p in other.iter().filter(|p| !texts[n - 1].contains(p)) {
                assert!(
                    !page.body.contains(&esc(p)),
                    "{path} shows v{}'s `{p}`",
                    m + 1
                );
            }
        }
        assert!(
            page.body
                .contains(&format!("<h1>{} (version {n} of 3)</h1>", TITLES[n - 1])),
            "{path}: {}",
            page.body
        );
        assert!(page
            .body
            .contains(&format!("first {0}, last {0}", SEEN[n - 1])));
        assert!(page.body.contains(&format!(r#"<a href="{URL}""#)));

        // The twin: the same data, by suffix and by Accept.
        let j = get(&format!("{b}{path}.json")).json();
        let accept = get_with(&format!("{b}{path}"), ("Accept", "application/json"));
        assert_eq!(accept.json(), j, "{path}: Accept and .json differ");
        assert_eq!(j["n"], n);
        assert_eq!(j["count"], 3);
        assert_eq!(j["title"], TITLES[n - 1]);
        assert_eq!(strings(&j["paragraphs"]), texts[n - 1]);
        assert_eq!(j["first_seen"], SEEN[n - 1]);
        assert_eq!(j["gone"], Value::Null);
        assert_eq!(j["article"]["id"], ID);
        assert_eq!(j["article"]["url"], URL);
        // Every paragraph of the twin is on the page.
        for p in strings(&j["paragraphs"]) {
            assert!(page.body.contains(&format!("<p>{}</p>", esc(&p))));
        }

        // Links: previous, next, the article, compare with the latest.
        let link = |to: &str| page.body.contains(&format!(r#"href="{to}""#));
        assert_eq!(
            link(&format!("/article/{ID}/v/{}", n - 1)),
            n > 1,
            "{path} prev"
        );
        assert_eq!(
            link(&format!("/article/{ID}/v/{}", n + 1)),
            n < 3,
            "{path} next"
        );
        assert_eq!(
            j["prev"],
            if n > 1 {
                Value::from(n - 1)
            } else {
                Value::Null
            }
        );
        assert_eq!(
            j["next"],
            if n < 3 {
                Value::from(n + 1)
            } else {
                Value::Null
            }
        );
        assert!(link(&format!("/article/{ID}")), "{path} article");
        let compare = if n < 3 {
            format!("/article/{ID}/compare?a={n}&amp;b=3")
        } else {
            format!("/article/{ID}/compare?a=1&amp;b=3")
        };
        assert!(link(&compare), "{path}: {compare}: {}", page.body);
    }

    // A unique prefix of the id names the article, as on the article page.
    let j = get(&format!("{b}/article/three-ver/v/2.json")).json();
    assert_eq!(j["article"]["id"], ID);
    assert_eq!(strings(&j["paragraphs"]), texts[1]);

    // A gone version: its page says so, with no text.
    let gone = get(&format!("{b}/article/{HISTORY_ID}/v/3"));
    assert_eq!(gone.status, 200);
    assert!(
        gone.body.contains("the article was gone (404)"),
        "{}",
        gone.body
    );
    let j = get(&format!("{b}/article/{HISTORY_ID}/v/3.json")).json();
    assert_eq!(j["gone"], "404");
    assert_eq!(j["paragraphs"], serde_json::json!([]));
}

#[test]
fn unknown_ids_versions_out_of_range_and_bad_numbers() {
    let (srv, _tmp) = server();
    let b = &srv.base;
    for (path, status, says) in [
        ("/article/nope/v/1".to_string(), 404, "no article `nope`"),
        // Ambiguous: three-versions and three-plain.
        ("/article/three/v/1".to_string(), 404, "no article `three`"),
        (format!("/article/{ID}/v/4"), 404, "has no version 4"),
        (format!("/article/{ID}/v/0"), 404, "has no version 0"),
        (
            format!("/article/{ID}/v/abc"),
            400,
            "`abc` is not a version number",
        ),
        (
            format!("/article/{ID}/v/-1"),
            400,
            "`-1` is not a version number",
        ),
        (
            format!("/article/{ID}/v/1.5"),
            400,
            "`1.5` is not a version number",
        ),
        ("/article/..%2f..%2fetc/v/1".to_string(), 404, "no article"),
        (
            "/article/nope/compare".to_string(),
            404,
            "no article `nope`",
        ),
        (
            format!("/article/{ID}/compare?a=9"),
            404,
            "has no version 9",
        ),
        (
            format!("/article/{ID}/compare?a=x"),
            400,
            "`a` must be a version number",
        ),
        (
            format!("/article/{ID}/compare?b=2x"),
            400,
            "`b` must be a version number",
        ),
        // Version 3 of the history is a removal: no text to compare.
        (
            format!("/article/{HISTORY_ID}/compare?a=3"),
            400,
            "is a removal (404)",
        ),
    ] {
        let html = get(&format!("{b}{path}"));
        assert_eq!(html.status, status, "{path}: {}", html.body);
        assert!(html.body.contains(&esc(says)), "{path}: {}", html.body);
        assert!(html.header("content-type").starts_with("text/html"));
        // The twin answers in JSON.
        let json_path = match path.split_once('?') {
            Some((p, q)) if p.ends_with("/compare") => format!("{p}.json?{q}"),
            None if path.ends_with("/compare") => format!("{path}.json"),
            _ => format!("{path}.json"),
        };
        let j = get(&format!("{b}{json_path}"));
        assert_eq!(j.status, status, "{json_path}: {}", j.body);
        let j = j.json();
        assert_eq!(j["status"], status);
        assert!(
            j["error"].as_str().is_some_and(|e| e.contains(says)),
            "{json_path}: {j}"
        );
    }
}

#[test]
fn the_article_page_says_it_was_edited_and_links_its_versions() {
    let (srv, _tmp) = server();
    let b = &srv.base;
    let art = get(&format!("{b}/article/{ID}"));
    assert_eq!(art.status, 200);
    let notice = "<strong>Edited after publication:</strong> 3 versions of the text; last changed ";
    let at = art
        .body
        .find(notice)
        .unwrap_or_else(|| panic!("{}", art.body));
    // At the very top: right under the heading, before the metadata.
    let h1_end = art.body.find("</h1>").expect("h1");
    assert!(art.body[h1_end..at]
        .trim_start_matches("</h1>")
        .starts_with("<p class=\"note edited\">"));
    assert!(at < art.body.find("<dl class=\"meta-list\">").expect("meta"));
    assert!(art.body[at..].starts_with(&format!(
        "{notice}<time datetime=\"{0}\">{0}</time>",
        SEEN[2]
    )));
    assert!(art
        .body
        .contains(&format!(r#"<a href="/article/{ID}/compare">"#)));
    assert!(art.body.contains(r##"<a href="#diffs">"##));
    for n in 1..=3 {
        assert!(
            art.body
                .contains(&format!(r#"<a href="/article/{ID}/v/{n}">"#)),
            "v{n}"
        );
    }
    let j = get(&format!("{b}/article/{ID}.json")).json();
    assert_eq!(
        j["edited"],
        serde_json::json!({"versions": 3, "last_changed": SEEN[2]})
    );

    // The history: two texts (the restoration brings back the second);
    // the gone version is listed and linked too.
    let h = get(&format!("{b}/article/{HISTORY_ID}.json")).json();
    assert_eq!(
        h["edited"],
        serde_json::json!({"versions": 2, "last_changed": "2025-12-03T06:00:00Z"})
    );
    let page = get(&format!("{b}/article/{HISTORY_ID}"));
    assert!(page.body.contains(&format!(
        r#"<a href="/article/{HISTORY_ID}/v/3">(gone: 404)</a>"#
    )));

    // Never edited: no notice, `edited` null.
    for id in [XSS_ID, PLAIN] {
        let page = get(&format!("{b}/article/{id}"));
        assert_eq!(page.status, 200, "{id}");
        assert!(!page.body.contains("Edited after publication"), "{id}");
        assert!(
            page.body
                .contains(&format!(r#"<a href="/article/{id}/v/1">"#)),
            "{id}"
        );
        let j = get(&format!("{b}/article/{id}.json")).json();
        assert_eq!(j["edited"], Value::Null, "{id}");
    }
}

/// The inner HTML of every `<div class="sbs-cell CLASS">` (cells hold no
/// `<div>`).
fn cells<'a>(html: &'a str, class: &str) -> Vec<&'a str> {
    let open = format!(r#"<div class="sbs-cell {class}">"#);
    html.split(&open)
        .skip(1)
        .map(|rest| rest.split("</div>").next().unwrap_or(""))
        .collect()
}

#[test]
fn compare_shows_removed_words_left_and_added_words_right() {
    let (srv, _tmp) = server();
    let b = &srv.base;
    let texts = texts();
    let page = get(&format!("{b}/article/{ID}/compare"));
    assert_eq!(page.status, 200, "{}", page.body);
    no_markup("compare", &page.body);
    let (old, new) = (cells(&page.body, "sbs-old"), cells(&page.body, "sbs-new"));
    // Head, title, four aligned paragraph rows.
    assert_eq!((old.len(), new.len()), (6, 6), "{}", page.body);
    assert!(old.iter().all(|c| !c.contains("<ins>")), "{old:?}");
    assert!(new.iter().all(|c| !c.contains("<del>")), "{new:?}");
    // The deleted paragraph, struck in the left column, absent on the right.
    let deleted = format!("<del>{}</del>", esc(texts[0][2]));
    assert!(old.iter().any(|c| c.contains(&deleted)), "{old:?}");
    assert!(new.iter().any(|c| c.contains("v3: not in this version")));
    // Edited paragraphs: the added words underlined on the right only.
    for added in [
        "<ins>warmly </ins>",
        "<ins>senior </ins>",
        "<ins>friendly </ins>",
    ] {
        assert!(new.iter().any(|c| c.contains(added)), "{added}: {new:?}");
    }
    assert!(
        old.iter().any(|c| c.ends_with(&esc(texts[0][1]))),
        "{old:?}"
    );
    // A word replaced: the old one struck on the left, the new one
    // underlined on the right.
    assert!(
        old.iter().any(|c| c.contains("on <del>Monday</del>.")),
        "{old:?}"
    );
    assert!(
        new.iter().any(|c| c.contains("on <ins>Tuesday</ins>.")),
        "{new:?}"
    );
    // The inserted paragraph, escaped.
    let inserted = format!("<ins>{}</ins>", esc(texts[2][2]));
    assert!(new.iter().any(|c| c.contains(&inserted)), "{new:?}");
    // Titles: each in its own spelling ("Delegation", capital, on the left).
    assert!(
        old.iter()
            .any(|c| c.ends_with(&format!("title</span> {}", TITLES[0]))),
        "{old:?}"
    );
    assert!(
        new.iter()
            .any(|c| c.contains("<ins>Friendly </ins>delegation")),
        "{new:?}"
    );
    // The form: both versions picked.
    assert!(
        page.body.contains(r#"<option value="1" selected>"#),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"<option value="3" selected>"#));

    // Its twin: the same rows; by suffix and by Accept.
    let j = get(&format!("{b}/article/{ID}/compare.json")).json();
    let accept = get_with(
        &format!("{b}/article/{ID}/compare"),
        ("Accept", "application/json"),
    );
    assert_eq!(accept.json(), j);
    assert_eq!(
        (j["a"]["n"].clone(), j["b"]["n"].clone()),
        (1.into(), 3.into())
    );
    let rows = j["rows"].as_array().expect("rows");
    let blocks: Vec<&str> = rows.iter().filter_map(|r| r["block"].as_str()).collect();
    assert_eq!(blocks, ["changed", "changed", "deleted", "inserted"], "{j}");
    assert_eq!(rows[2]["right"], Value::Null);
    assert_eq!(rows[3]["left"], Value::Null);
    let side_text = |cell: &Value| -> String {
        cell["words"]
            .as_array()
            .map(|w| w.iter().filter_map(|o| o["text"].as_str()).collect())
            .unwrap_or_default()
    };
    // Each column rebuilds its version's paragraph exactly.
    assert_eq!(side_text(&rows[0]["left"]), texts[0][0]);
    assert_eq!(side_text(&rows[0]["right"]), texts[2][0]);
    assert_eq!(side_text(&rows[1]["left"]), texts[0][1]);
    assert_eq!(side_text(&rows[1]["right"]), texts[2][1]);
    assert_eq!(rows[1]["right"]["paragraph"], 2);
    assert_eq!(j["title"]["left"]["words"][0]["text"], TITLES[0]);

    // Picked the other way round: still the older on the left.
    let swapped = get(&format!("{b}/article/{ID}/compare.json?a=3&b=2")).json();
    assert_eq!(
        (swapped["a"]["n"].clone(), swapped["b"]["n"].clone()),
        (2.into(), 3.into())
    );
    // Only `a`: compared with the latest.
    let one = get(&format!("{b}/article/{ID}/compare.json?a=2")).json();
    assert_eq!(one["b"]["n"], 3);
    // One version on both sides: nothing marked.
    let same = get(&format!("{b}/article/{ID}/compare?a=2&b=2"));
    assert!(same.body.contains("The same version on both sides."));
    assert!(!same.body.contains("<del>") && !same.body.contains("<ins>"));

    // The history: the gone version can't be picked; markup stays text.
    let h = get(&format!("{b}/article/{HISTORY_ID}/compare"));
    assert_eq!(h.status, 200, "{}", h.body);
    no_markup("history compare", &h.body);
    assert!(
        h.body.contains(r#"<option value="3" disabled>"#),
        "{}",
        h.body
    );
    assert!(
        h.body
            .contains("<ins>A new paragraph &lt;iframe src=&quot;javascript:alert(3)&quot;&gt;"),
        "{}",
        h.body
    );
}

#[test]
fn markup_stays_text_on_version_and_compare_pages() {
    let (srv, _tmp) = server();
    let b = &srv.base;
    for path in [
        format!("/article/{ID}/v/1"),
        format!("/article/{ID}/v/3"),
        format!("/article/{ID}/compare?a=1&b=2"),
        format!("/article/{XSS_ID}/v/1"),
        format!("/article/{XSS_ID}/compare"),
        format!("/article/{HISTORY_ID}/v/1"),
        format!("/article/{HISTORY_ID}/compare?a=1&b=4"),
        // Markup in the parameters comes back escaped in the message.
        format!("/article/{ID}/v/%3Cscript%3E"),
        format!("/article/{ID}/compare?a=%3Cimg%20src=x%20onerror=alert(1)%3E"),
        "/article/%3Cscript%3E/v/1".to_string(),
    ] {
        let r = get(&format!("{b}{path}"));
        no_markup(&path, &r.body);
        assert!(
            r.body.contains("&lt;"),
            "{path}: no escaped markup: {}",
            r.body
        );
    }
    let v3 = get(&format!("{b}/article/{ID}/v/3"));
    assert!(v3
        .body
        .contains("<p>Talks &lt;script&gt;alert(1)&lt;/script&gt; began at once.</p>"));
    let xss = get(&format!("{b}/article/{XSS_ID}/v/1"));
    assert!(xss.body.contains(&esc(XSS_TITLE)), "{}", xss.body);
    // The probe's url is `javascript:`: shown as text, never a link.
    assert!(
        xss.body.contains("<dd>javascript:alert(1)</dd>"),
        "{}",
        xss.body
    );
}
