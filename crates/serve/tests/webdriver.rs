//! End to end as a user: Chromium driven through chromedriver (the W3C
//! WebDriver protocol, spoken over HTTP with the test's HTTP client) types
//! a query into the search form, submits it, opens the first hit and
//! saves a screenshot, which is checked; ticks outlets in the form and
//! checks the hits against `/search.json`. Also checks that the article
//! holding script opens no dialog. Ignored unless asked for
//! (`--include-ignored`): it needs chromium and chromedriver.

mod common;

use common::webdriver::*;
use common::*;
use serde_json::json;

#[test]
#[ignore = "needs chromium and chromedriver (cargo test -- --include-ignored)"]
fn type_a_query_submit_open_the_hit_and_screenshot() {
    let chrome = chromium();
    let driver = chromedriver();
    let (srv, tmp) = fixture_server(None);
    let s = Session::start(&chrome, &driver);

    // The search page, its labelled field; type and submit.
    s.go(&format!("{}/search", srv.base));
    let label = s.find("label[for=q]");
    assert!(s.text(&label).contains("phrases"), "label");
    let q = s.find("input#q[name=q]");
    s.cmd(
        "POST",
        &format!("/element/{q}/value"),
        Some(json!({"text": "\"overseas operations\""})),
    );
    let newest = s.find("select#sort option[value=newest]");
    s.cmd("POST", &format!("/element/{newest}/click"), None);
    let go = s.find("form.search button[type=submit]");
    s.cmd("POST", &format!("/element/{go}/click"), None);

    // The browser followed the form's GET to the results.
    let url = s.url_once_it_holds("/search?q=");
    assert!(url.contains("/search?q=%22overseas+operations%22"), "{url}");
    assert!(url.contains("sort=newest"), "{url}");
    let heading = s.find("#results-h");
    assert!(
        s.text(&heading).starts_with("1 hit"),
        "{}",
        s.text(&heading)
    );
    let mark = s.find("ol.hits .snippet b");
    assert_eq!(s.text(&mark).to_lowercase(), "overseas operations");

    // Open the first hit.
    let hit = s.find("ol.hits a.hit-title");
    let title = s.text(&hit);
    s.cmd("POST", &format!("/element/{hit}/click"), None);
    let url = s.url_once_it_holds("/article/");
    assert!(url.contains("/article/"), "{url}");
    let h1 = s.find("main h1");
    assert_eq!(s.text(&h1), title);
    let versions = s.find("#versions");
    assert_eq!(s.text(&versions), "Versions");

    // Save the screenshot and check it.
    let shot = tmp.path().join("article.png");
    s.screenshot(&shot);
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&shot).expect("open"),
    ));
    let mut reader = decoder.read_info().expect("a valid PNG");
    let (w, h) = (reader.info().width, reader.info().height);
    assert!(w >= 800 && h >= 500, "{w}x{h}");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let frame = reader.next_frame(&mut buf).expect("pixels");
    let px = &buf[..frame.buffer_size()];
    let n = frame.color_type.samples();
    let mut colours: Vec<&[u8]> = px.chunks(n).map(|p| &p[..3]).collect();
    let dark = colours.iter().filter(|p| p.iter().all(|&c| c < 90)).count();
    assert!(dark * 100 > colours.len(), "no text or header drawn");
    colours.sort();
    colours.dedup();
    assert!(
        colours.len() > 20,
        "blank screenshot ({} colours)",
        colours.len()
    );
}

#[test]
#[ignore = "needs chromium and chromedriver (cargo test -- --include-ignored)"]
fn the_script_probe_opens_no_dialog() {
    let chrome = chromium();
    let driver = chromedriver();
    let (srv, tmp) = fixture_server(None);
    let s = Session::start(&chrome, &driver);

    // Control: a page that does call alert() leaves a dialog open.
    let control = tmp.path().join("control.html");
    std::fs::write(
        &control,
        "<!doctype html><title>c</title><script>alert('control')</script>",
    )
    .expect("write");
    s.go(&format!("file://{}", control.display()));
    assert_eq!(s.alert().as_deref(), Some("control"));
    s.cmd("POST", "/alert/dismiss", None);

    for path in [format!("/article/{XSS_ID}"), "/search?q=probe".to_string()] {
        s.go(&format!("{}{path}", srv.base));
        assert_eq!(s.alert(), None, "{path}: a dialog opened");
        let title = s.cmd("GET", "/title", None);
        assert!(
            !title.as_str().unwrap_or("").starts_with("pwned"),
            "{path}: {title}"
        );
        // Clicking the probe's text (where an injected link or image
        // would be) does nothing either.
        let body = s.find("main");
        s.cmd("POST", &format!("/element/{body}/click"), None);
        assert_eq!(s.alert(), None, "{path}: a dialog opened on click");
    }
}

/// The people index as a user meets it: the menu leads there, a spelling
/// typed into its form finds the person, whose page's chart has bars that
/// open their month's articles in the search; on the trends page a point
/// of the chart does the same.
#[test]
#[ignore = "needs chromium, chromedriver and fonts (cargo test -- --include-ignored)"]
fn people_index_then_a_chart_bar_opens_its_articles() {
    let chrome = chromium();
    let driver = chromedriver();
    fonts();
    let (srv, tmp) = history_server();
    let s = Session::start(&chrome, &driver);

    s.go(&format!("{}/", srv.base));
    let menu = s.find("nav a[href='/people']");
    s.cmd("POST", &format!("/element/{menu}/click"), None);
    assert!(s.url_once_it_holds("/people").ends_with("/people"));
    let h1 = s.find("main h1");
    assert_eq!(s.text(&h1), "People");
    let first = s.find("table.people tbody tr td a");
    assert_eq!(s.text(&first), "Kim Jong Un");
    let path = tmp.path().join("people.png");
    s.screenshot(&path);
    let reader = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&path).expect("open"),
    ))
    .read_info()
    .expect("a valid PNG");
    assert!(reader.info().width >= 800 && reader.info().height >= 500);

    // A spelling with a hyphen, in other letter case.
    let q = s.find("input#q[name=q]");
    s.cmd(
        "POST",
        &format!("/element/{q}/value"),
        Some(json!({"text": "JONG-UN"})),
    );
    let go = s.find("form.search button[type=submit]");
    s.cmd("POST", &format!("/element/{go}/click"), None);
    let url = s.url_once_it_holds("q=JONG-UN");
    assert!(url.contains("/people?q=JONG-UN"), "{url}");
    let heading = s.find("#people-h");
    assert!(
        s.text(&heading).starts_with("1 person"),
        "{}",
        s.text(&heading)
    );
    let person = s.find("table.people tbody tr td a");
    s.cmd("POST", &format!("/element/{person}/click"), None);
    let url = s.url_once_it_holds("/person/");
    assert!(url.ends_with("/person/Kim%20Jong%20Un"), "{url}");

    // The first bar: December 2025, one article.
    let bar = s.find("figure.chart svg a");
    s.cmd("POST", &format!("/element/{bar}/click"), None);
    let url = s.url_once_it_holds("/search?");
    assert!(
        url.contains("/search?person=Kim+Jong+Un&from=2025-12-01&to=2025-12-31"),
        "{url}"
    );
    let results = s.find("#results-h");
    assert!(
        s.text(&results).starts_with("1 hit"),
        "{}",
        s.text(&results)
    );

    // A point of the trends chart (plotters' SVG, links laid over it).
    s.go(&format!("{}/trends?terms=Kim+Jong+Un", srv.base));
    let point = s.find("figure.chart svg g.chart-links a");
    s.cmd("POST", &format!("/element/{point}/click"), None);
    let url = s.url_once_it_holds("/search?");
    assert!(
        url.contains("/search?person=Kim+Jong+Un&from=2025-12-01"),
        "{url}"
    );
    let results = s.find("#results-h");
    assert!(
        s.text(&results).starts_with("1 hit"),
        "{}",
        s.text(&results)
    );
}

/// The outlets as checkboxes: a query matching articles of two outlets,
/// both ticked, finds what `/search.json` finds for the two; with one
/// unticked, what it finds for the other alone.
#[test]
#[ignore = "needs chromium and chromedriver (cargo test -- --include-ignored)"]
fn tick_two_outlets_then_untick_one() {
    let chrome = chromium();
    let driver = chromedriver();
    let (srv, _tmp) = fixture_server(None);
    // Two kcna articles (English and Spanish) and one of rodong: the
    // counts differ, so each step's number tells which outlets it took.
    let query = "sample OR muestra";
    let in_url = query.replace(' ', "+");
    let total = |outlets: &[&str]| {
        let mut url = format!("{}/search.json?q={in_url}", srv.base);
        for o in outlets {
            url += &format!("&outlet={o}");
        }
        let j = get(&url).json();
        j["total"].as_u64().unwrap_or_else(|| panic!("{url}: {j}"))
    };
    let (kcna, rodong, both) = (
        total(&["kcna"]),
        total(&["rodong"]),
        total(&["kcna", "rodong"]),
    );
    // The query finds articles of both outlets, and the two filters OR.
    assert!(
        kcna > 0 && rodong > 0 && kcna != rodong,
        "kcna {kcna}, rodong {rodong}"
    );
    assert_eq!(both, kcna + rodong);

    // The number in the results' heading, "1,234 hits, 1–20 shown".
    let hits = |s: &Session| -> u64 {
        let text = s.text(&s.find("#results-h"));
        let n: String = text
            .split_whitespace()
            .next()
            .unwrap_or("")
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        n.parse()
            .unwrap_or_else(|_| panic!("no count in the heading: {text}"))
    };
    let outlet_box = |s: &Session, o: &str| {
        s.find(&format!(
            "form.search fieldset.choices input[type=checkbox][name=outlet][value={o}]"
        ))
    };

    let s = Session::start(&chrome, &driver);
    s.go(&format!("{}/search", srv.base));
    let q = s.find("input#q[name=q]");
    s.cmd(
        "POST",
        &format!("/element/{q}/value"),
        Some(json!({ "text": query })),
    );
    for o in ["kcna", "rodong"] {
        let b = outlet_box(&s, o);
        assert!(!s.selected(&b), "{o} ticked before a click");
        s.cmd("POST", &format!("/element/{b}/click"), None);
        assert!(s.selected(&b), "{o} not ticked by a click");
    }

    // The form with both ticked, to look at (kept in the temp dir).
    let form = s.find("form.search");
    let shot = std::env::temp_dir().join("tealeaf-search-outlets.png");
    s.element_screenshot(&form, &shot);
    let reader = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&shot).expect("open"),
    ))
    .read_info()
    .expect("a valid PNG");
    let (w, h) = (reader.info().width, reader.info().height);
    assert!(w >= 400 && h >= 40, "form screenshot {w}x{h}");

    let go = s.find("form.search button#go[type=submit]");
    s.cmd("POST", &format!("/element/{go}/click"), None);
    let url = s.url_once_it_holds("/search?q=");
    assert!(url.contains(&format!("/search?q={in_url}&")), "{url}");
    assert!(
        url.contains("outlet=kcna") && url.contains("outlet=rodong"),
        "{url}"
    );
    assert_eq!(hits(&s), both, "{url}");

    // The results keep both ticked; untick one and search again.
    let b = outlet_box(&s, "rodong");
    assert!(s.selected(&outlet_box(&s, "kcna")) && s.selected(&b));
    s.cmd("POST", &format!("/element/{b}/click"), None);
    assert!(!s.selected(&b), "rodong still ticked");
    let go = s.find("form.search button#go[type=submit]");
    s.cmd("POST", &format!("/element/{go}/click"), None);
    let url = s.url_once(|u| !u.contains("outlet=rodong"));
    assert!(
        url.contains("outlet=kcna") && !url.contains("outlet=rodong"),
        "{url}"
    );
    assert_eq!(hits(&s), kcna, "{url}");
}
