//! The side-by-side page in Chromium, driven through chromedriver (the
//! shared client, `common/webdriver.rs`): the two columns stand side
//! by side at desktop width and stack, older first, at 400 px; removed and
//! added words are struck and underlined (not colour alone). Ignored
//! unless asked for (`--include-ignored`): it needs chromium and
//! chromedriver.

mod common;

use common::webdriver::{chromedriver, Session};
use common::*;

#[test]
#[ignore = "needs chromium and chromedriver (cargo test -- --include-ignored)"]
fn compare_columns_side_by_side_on_a_desktop_and_stacked_on_a_phone() {
    let (srv, _tmp) = history_server();
    let b = Session::start(&chromium(), &chromedriver());
    b.go(&format!("{}/article/{HISTORY_ID}/compare", srv.base));
    let (old, new) = (".sbs-changed .sbs-old", ".sbs-changed .sbs-new");

    // Desktop: one row, two columns, the older on the left.
    let page = b.rect("html");
    assert!(page.w > 1000.0, "desktop viewport {page:?}");
    let (l, r) = (b.rect(old), b.rect(new));
    assert!((l.y - r.y).abs() < 1.0, "not on one line: {l:?} {r:?}");
    assert!(
        r.x >= l.x + l.w,
        "right column not right of the left: {l:?} {r:?}"
    );
    assert!(
        l.w > 300.0 && r.w > 300.0,
        "columns too narrow: {l:?} {r:?}"
    );

    // Marked words: struck and underlined, not only coloured.
    let struck = b.css(&format!("{old} del"), "text-decoration-line");
    assert!(struck.contains("line-through"), "del: {struck}");
    let underlined = b.css(&format!("{new} ins"), "text-decoration-line");
    assert!(underlined.contains("underline"), "ins: {underlined}");

    // A phone: the columns stack, the older first, each the page's width.
    b.resize(400, 900);
    let page = b.rect("html");
    assert!(page.w <= 400.0, "phone viewport {page:?}");
    let (l, r) = (b.rect(old), b.rect(new));
    assert!(r.y >= l.y + l.h - 0.5, "not stacked: {l:?} {r:?}");
    assert!(
        (l.x - r.x).abs() < 1.0,
        "stacked cells not aligned: {l:?} {r:?}"
    );
    assert!(
        l.x + l.w <= page.w && r.w > 300.0,
        "{l:?} {r:?} in {page:?}"
    );
}

#[test]
#[ignore = "needs chromium (cargo test -- --include-ignored)"]
fn version_pages_run_no_script_from_the_text() {
    let (srv, _tmp) = history_server();
    let chrome = chromium();
    for path in [
        format!("/article/{HISTORY_ID}"),
        format!("/article/{HISTORY_ID}/v/1"),
        format!("/article/{HISTORY_ID}/v/2"),
        format!("/article/{HISTORY_ID}/compare"),
        format!("/article/{HISTORY_ID}/compare?a=1&b=2"),
        format!("/article/{XSS_ID}/v/1"),
    ] {
        // A dialog would hold headless Chromium: `dump_dom` errs then.
        let dom = dump_dom(&chrome, &format!("{}{path}", srv.base))
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(dom.contains("</main>"), "{path}: not drawn: {dom}");
        let lower = dom.to_ascii_lowercase();
        for bad in ["data-pwned=\"", "<script", "<img", "<iframe", "<svg"] {
            assert!(!lower.contains(bad), "{path}: `{bad}` in the DOM: {dom}");
        }
    }
}
