//! Snippets found by a real index, rendered as HTML.

use chrono::NaiveDate;
use tealeaf_index::{SearchIndex, SearchRequest};
use tealeaf_model::ArticleDoc;

#[test]
fn snippets_highlight_and_escape() {
    let dir = tempfile::tempdir().unwrap();
    let (idx, _) = SearchIndex::open(&dir.path().join("index")).unwrap();
    let body = "Imperialists launched aggression against Libya. <script>alert(1)</script>";
    let mut w = idx.writer(1, 20_000_000).unwrap();
    w.add(&ArticleDoc {
        id: "libya".into(),
        outlet: "kcna".into(),
        language: "en".into(),
        published: NaiveDate::from_ymd_opt(2011, 3, 20),
        title: "Aggression against Libya".into(),
        paragraphs: vec![body.into()],
        ..Default::default()
    })
    .unwrap();
    w.commit(1).unwrap();
    w.finish().unwrap();
    idx.reload().unwrap();
    let r = idx
        .search(&SearchRequest {
            query: "Libya".into(),
            limit: 5,
            ..Default::default()
        })
        .unwrap();
    let s = r.snippet("Aggression against Libya", body);
    assert!(!s.highlights.is_empty());
    let html = tealeaf_query::snippet::to_html(&s);
    assert!(html.contains("<b>Libya</b>"), "{html}");
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&lt;script&gt;"), "{html}");
}
