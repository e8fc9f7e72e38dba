//! The site profiles against fixtures built from the sites' markup (as
//! captured from the live sites and the Wayback Machine) around real
//! article text from `../shared/corpus` (tests/fixtures/README.md says
//! which). Every expected value is written out here, not derived from the
//! code under test.

use chrono::{DateTime, NaiveDate, Utc};
use tealeaf_html::{classify, extract, Hints, Page, Profile, UrlKind};
use tealeaf_model::Media;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn read(name: &str, hints: Hints) -> Page {
    extract(&fixture(name), &hints).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn with_url(url: &str) -> Hints {
    Hints {
        url: Some(url.to_string()),
        ..Hints::default()
    }
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn at(s: &str) -> Option<DateTime<Utc>> {
    Some(DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc))
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

const SEED_URL: &str =
    "http://www.rodong.rep.kp/en/index.php?MTJAMjAyNi0wMS0wMS0wMDJAMUAxQEAwQDhA==";

#[test]
fn rodong_current_layout_reads_as_the_seed_text_page() {
    let page = read("rodong-current-en.html", with_url(SEED_URL));
    assert_eq!(page.profile, Profile::Rodong);
    assert_eq!(page.outlet.as_deref(), Some("rodong"));
    assert_eq!(page.kind, UrlKind::Article);
    assert_eq!(page.key.as_deref(), Some("2026-01-01-002"));
    assert_eq!(page.language.as_deref(), Some("en"));
    assert_eq!(page.published, ymd(2026, 1, 1));
    assert_eq!(
        page.title,
        "Respected Comrade Kim Jong Un Sends New Year\u{2019}s Message to Officers and Soldiers of Overseas Operations Units"
    );
    // Not the sidebar's `p.TextP` teasers, not the script's document.write.
    assert_eq!(page.paragraphs, strings(SEED_PARAGRAPHS));
    assert_eq!(page.photo_count, Some(11));
    assert_eq!(page.media, vec![Media::Photo]);
    assert_eq!(page.place, None);
    assert_eq!(page.byline, None);
    assert_eq!(page.warnings, Vec::<String>::new());
    assert_eq!(
        tealeaf_html::url::article_id(SEED_URL).as_deref(),
        Some("rodong:en:2026-01-01-002")
    );
}

#[test]
fn rodong_korean_page_with_full_width_digits_in_its_date() {
    let page = read(
        "rodong-current-ko-fullwidth.html",
        with_url("http://www.rodong.rep.kp/ko/index.php?MTJAMjAxOS0wMS0wMS0wMDFAMUAxQEAwQDhA=="),
    );
    assert_eq!(page.profile, Profile::Rodong);
    assert_eq!(page.outlet.as_deref(), Some("rodong"));
    assert_eq!(page.key.as_deref(), Some("2019-01-01-001"));
    assert_eq!(page.language.as_deref(), Some("ko"));
    // `２０１９년 １월 １일 화요일 [사진]`
    assert_eq!(page.published, ymd(2019, 1, 1));
    assert_eq!(page.title, "신년사");
    // `４월`, `제７기` stay as printed in the text.
    assert_eq!(page.paragraphs, strings(KO_2019));
    assert!(
        page.paragraphs[9].starts_with("지난해 ４월에 진행된 당중앙위원회 제７기 제３차전원회의는")
    );
    // `<span>１</span> / <span>３</span>`
    assert_eq!(page.photo_count, Some(3));
    assert_eq!(page.media, vec![Media::Photo]);
    assert_eq!(page.place, None);
    assert_eq!(page.warnings, Vec::<String>::new());
}

/// The dateline with a Juche year beside the Gregorian one, as the site
/// also prints it; a Juche year that is not that year is a warning.
#[test]
fn rodong_korean_dateline_with_a_juche_year() {
    let html = String::from_utf8(fixture("rodong-saved-ko.html")).unwrap();
    assert!(html.contains("2013년 1월 1일 화요일"));
    let page = |dateline: &str| {
        let bytes = html.replace("2013년 1월 1일 화요일", dateline).into_bytes();
        extract(&bytes, &Hints::default()).unwrap()
    };
    let p = page("주체102(2013)년 1월 1일 화요일");
    assert_eq!(p.published, ymd(2013, 1, 1));
    assert_eq!(p.warnings, Vec::<String>::new());
    let p = page("주체101(2013)년 1월 1일 수요일 [사진]");
    assert_eq!(p.published, ymd(2013, 1, 1));
    assert_eq!(p.media, vec![Media::Photo]);
    assert_eq!(
        p.warnings,
        strings(&[
            "dateline says 수요일 but 2013-01-01 is a Tuesday; the date is kept as printed",
            "dateline says Juche 101 (2013) but Juche 101 is 2012; the date is kept as printed, in 2013",
        ])
    );
}

#[test]
fn rodong_page_saved_by_a_browser_names_its_url_in_a_comment() {
    let page = read("rodong-saved-ko.html", Hints::default());
    assert_eq!(
        page.url.as_deref(),
        Some("http://www.rodong.rep.kp/ko/index.php?MTJAMjAxMy0wMS0wMS0wMDFAMUAxQEAwQDhA==")
    );
    assert_eq!(page.profile, Profile::Rodong);
    assert_eq!(page.outlet.as_deref(), Some("rodong"));
    assert_eq!(page.kind, UrlKind::Article);
    assert_eq!(page.key.as_deref(), Some("2013-01-01-001"));
    assert_eq!(page.language.as_deref(), Some("ko"));
    // `2013년 1월 1일 화요일`
    assert_eq!(page.published, ymd(2013, 1, 1));
    assert_eq!(page.title, "신년사");
    // The source indents with ideographic spaces (U+3000): not text.
    assert_eq!(page.paragraphs, strings(KO_2013));
    assert_eq!(page.photo_count, None);
    assert_eq!(page.media, Vec::<Media>::new());
    assert_eq!(page.warnings, Vec::<String>::new());
}

#[test]
fn rodong_2023_layout() {
    let page = read(
        "rodong-2023-en.html",
        with_url("http://www.rodong.rep.kp/en/index.php?MTJAMjAyMy0wMy0xMy0wMDVAMUAxQEAwQDhA=="),
    );
    assert_eq!(page.profile, Profile::Rodong);
    assert_eq!(page.outlet.as_deref(), Some("rodong"));
    assert_eq!(page.key.as_deref(), Some("2023-03-13-005"));
    assert_eq!(page.language.as_deref(), Some("en"));
    // `<span class="NewsDate">2023.3.13.</span>`, not the related list's date.
    assert_eq!(page.published, ymd(2023, 3, 13));
    assert_eq!(page.title, "Kim Jong Suk's Praised by Mexican Organization");
    // The `&nbsp;` paragraph is no paragraph.
    assert_eq!(page.paragraphs, strings(KIM_JONG_SUK_MEXICO));
    assert_eq!(page.photo_count, None);
    assert_eq!(page.media, Vec::<Media>::new());
    assert_eq!(page.place, None);
    assert_eq!(page.warnings, Vec::<String>::new());
}

#[test]
fn rodong_old_layout_takes_its_date_from_the_news_id() {
    let page = read(
        "rodong-old-en.html",
        with_url(
            "http://www.rodong.rep.kp/en/index.php?strPageID=SF01_02_01&newsID=2011-12-02-0011",
        ),
    );
    assert_eq!(page.profile, Profile::Rodong);
    assert_eq!(page.outlet.as_deref(), Some("rodong"));
    assert_eq!(page.kind, UrlKind::Article);
    assert_eq!(page.key.as_deref(), Some("2011-12-02-0011"));
    assert_eq!(page.language.as_deref(), Some("en"));
    assert_eq!(page.published, ymd(2011, 12, 2));
    // The centred `p.ArticleContent` with `<font>`, `<b>`, `<nobr>` and a
    // line break inside is the headline, and no paragraph.
    assert_eq!(
        page.title,
        "Kim Jong Il's Work Posted on Peruvian Internet Website"
    );
    assert_eq!(page.paragraphs, strings(PERU_WEBSITE));
    assert_eq!(page.photo_count, None);
    assert_eq!(page.media, Vec::<Media>::new());
    assert_eq!(page.warnings, Vec::<String>::new());
}

#[test]
fn rodong_pages_without_a_url_are_sniffed_from_their_markup() {
    let page = read("rodong-2023-en.html", Hints::default());
    assert_eq!(page.url, None);
    assert_eq!(page.profile, Profile::Rodong);
    assert_eq!(page.outlet.as_deref(), Some("rodong"));
    assert_eq!(page.kind, UrlKind::Other);
    assert_eq!(page.key, None);
    // No `<html lang>`: the text is English.
    assert_eq!(page.language.as_deref(), Some("en"));
    assert_eq!(page.published, ymd(2023, 3, 13));
    assert_eq!(page.title, "Kim Jong Suk's Praised by Mexican Organization");
    assert_eq!(page.paragraphs, strings(KIM_JONG_SUK_MEXICO));

    // The old layout prints no date: without the url's key there is none.
    let page = read("rodong-old-en.html", Hints::default());
    assert_eq!(page.profile, Profile::Rodong);
    assert_eq!(page.key, None);
    assert_eq!(page.published, None);
    assert_eq!(
        page.title,
        "Kim Jong Il's Work Posted on Peruvian Internet Website"
    );
    assert_eq!(page.paragraphs, strings(PERU_WEBSITE));
    assert_eq!(
        page.warnings,
        vec!["rodong-old: no date on the page or in its url".to_string()]
    );

    // `<html lang="ko">` and the Korean text agree.
    let page = read("rodong-current-ko-fullwidth.html", Hints::default());
    assert_eq!(page.profile, Profile::Rodong);
    assert_eq!(page.language.as_deref(), Some("ko"));
    assert_eq!(page.published, ymd(2019, 1, 1));
}

#[test]
fn rodong_weekday_contradicting_the_date_is_a_warning() {
    let html = r#"<html><body><div id="ContDIV">
        <div id="article-date">Jan. 1, 2026 Friday [Video]</div>
        <p class="TitleP">Headline</p><p class="TextP">Body.</p></div></body></html>"#;
    let page = extract(html.as_bytes(), &with_url(SEED_URL)).unwrap();
    assert_eq!(page.published, ymd(2026, 1, 1));
    assert_eq!(page.media, vec![Media::Video]);
    assert_eq!(page.title, "Headline");
    assert_eq!(page.paragraphs, strings(&["Body."]));
    assert_eq!(
        page.warnings,
        vec![
            "dateline says Friday but 2026-01-01 is a Thursday; the date is kept as printed"
                .to_string()
        ]
    );
}

#[test]
fn rodong_counter_is_not_a_fraction_in_the_text_and_a_photo_page_has_no_paragraphs() {
    let html = r#"<html><head><title>Rodong Sinmun</title></head><body>
        <div class="article-content" id="ContDIV">
        <div id="article-date">Jan. 1, 2026 Thursday</div>
        <p class="TitleP">Headline</p>
        <p class="TextP">Sown on <span>1/2</span> of the area.</p>
        </div></body></html>"#;
    let page = extract(html.as_bytes(), &with_url(SEED_URL)).unwrap();
    assert_eq!(page.paragraphs, strings(&["Sown on 1/2 of the area."]));
    assert_eq!(page.photo_count, None);
    assert_eq!(page.media, Vec::<Media>::new());

    // Photos only: the gallery's arrows and counter are no paragraph.
    let html = r##"<html><body><div class="article-content" id="ContDIV">
        <div id="article-date">Jan. 1, 2026 Thursday [Photo]</div>
        <p class="TitleP">New Year Celebrated</p>
        <div class="photo-slider"><a href="#">&lt;</a><img src="/photo/1.jpg"><a href="#">&gt;</a></div>
        <div class="photo-count">1 / 4</div>
        </div></body></html>"##;
    let page = extract(html.as_bytes(), &with_url(SEED_URL)).unwrap();
    assert_eq!(page.title, "New Year Celebrated");
    assert_eq!(page.paragraphs, Vec::<String>::new());
    assert_eq!(page.photo_count, Some(4));
    assert_eq!(page.media, vec![Media::Photo]);
    assert_eq!(page.published, ymd(2026, 1, 1));
}

#[test]
fn kcna_body_set_as_text_and_line_breaks_is_one_paragraph() {
    let html = r#"<html><body>
        <h4 class="article-main-title">Kim Yong Nam to Visit Tanzania</h4>
        <div class="article-content-body">Pyongyang, December 1 (KCNA) -- Kim Yong Nam,
        president of the Presidium of the DPRK Supreme People's Assembly, will soon pay an
        official goodwill visit to the United Republic of Tanzania.<br>-0-
        <span class="publish-time">www.kcna.kp (Juche100.12.1.)</span></div></body></html>"#;
    let page = extract(
        html.as_bytes(),
        &with_url("http://www.kcna.kp/en/article/q/1679091c5a880faf6fb5e6087eb1b2dc.kcmsf"),
    )
    .unwrap();
    assert_eq!(page.title, "Kim Yong Nam to Visit Tanzania");
    assert_eq!(
        page.paragraphs,
        strings(&["Kim Yong Nam, president of the Presidium of the DPRK Supreme People's Assembly, will soon pay an official goodwill visit to the United Republic of Tanzania."])
    );
    assert_eq!(page.place.as_deref(), Some("Pyongyang"));
    assert_eq!(page.published, ymd(2011, 12, 1));
    assert_eq!(page.warnings, Vec::<String>::new());
}

#[test]
fn kcna_layout_with_a_juche_publish_time() {
    let page = read(
        "kcna-juche-en.html",
        with_url("http://www.kcna.kp/en/article/q/0cc175b9c0f1b6a831c399e269772661.kcmsf"),
    );
    assert_eq!(page.profile, Profile::Kcna);
    assert_eq!(page.outlet.as_deref(), Some("kcna"));
    assert_eq!(page.kind, UrlKind::Article);
    assert_eq!(
        page.key.as_deref(),
        Some("0cc175b9c0f1b6a831c399e269772661")
    );
    assert_eq!(page.language.as_deref(), Some("en"));
    // `www.kcna.kp (Juche100.12.1.)`: Juche 100 is 2011.
    assert_eq!(page.published, ymd(2011, 12, 1));
    // `<nobr><span class='fSpecCs'>Kim Jong Il</span></nobr>` then a line
    // break: one title.
    assert_eq!(page.title, "Kim Jong Il Congratulates Lao President");
    // `Pyongyang, December 1 (KCNA) --` and `-0-` are not text.
    assert_eq!(page.paragraphs, strings(LAO_PRESIDENT));
    assert_eq!(page.place.as_deref(), Some("Pyongyang"));
    // The menu's photo and video icons are not the article's.
    assert_eq!(page.media, Vec::<Media>::new());
    assert_eq!(page.photo_count, None);
    assert_eq!(page.byline, None);
    assert_eq!(page.warnings, Vec::<String>::new());
}

#[test]
fn kcna_layout_with_a_dotted_publish_time_and_a_detail_url() {
    let page = read(
        "kcna-dotted-en.html",
        with_url("https://www.kcna.kp/en/article/detail/4A8A08F09D37B73795649038408B5F33"),
    );
    assert_eq!(page.profile, Profile::Kcna);
    assert_eq!(page.outlet.as_deref(), Some("kcna"));
    assert_eq!(page.kind, UrlKind::Article);
    assert_eq!(
        page.key.as_deref(),
        Some("4a8a08f09d37b73795649038408b5f33")
    );
    assert_eq!(page.language.as_deref(), Some("en"));
    // `<span class="publish-time">2011.12.14.</span>`
    assert_eq!(page.published, ymd(2011, 12, 14));
    assert_eq!(page.title, "Gift to Kim Jong Il from Swiss Personage");
    // A dateline alone in its paragraph, and `<br> -0-` closing the last.
    assert_eq!(page.paragraphs, strings(SWISS_GIFT));
    assert_eq!(page.place.as_deref(), Some("Pyongyang"));
    assert_eq!(page.media, Vec::<Media>::new());
    assert_eq!(page.warnings, Vec::<String>::new());
}

const HERO_URL: &str = "http://www.kcna.kp/en/article/detail/8277e0910d750195b448797616e091ad";

#[test]
fn kcna_detail_layout_takes_the_year_from_the_capture_time() {
    // A December dateline captured in January: the previous year.
    let hints = Hints {
        captured_at: at("2012-01-02T03:00:00Z"),
        ..with_url(HERO_URL)
    };
    let page = read("kcna-detail-en.html", hints);
    assert_eq!(page.profile, Profile::Kcna);
    assert_eq!(page.outlet.as_deref(), Some("kcna"));
    assert_eq!(page.kind, UrlKind::Article);
    assert_eq!(
        page.key.as_deref(),
        Some("8277e0910d750195b448797616e091ad")
    );
    assert_eq!(page.language.as_deref(), Some("en"));
    assert_eq!(page.published, ymd(2011, 12, 30));
    assert_eq!(page.title, "Title of DPRK Hero Awarded to Kim Jong Il");
    // "building  a thriving nation": one space.
    assert_eq!(page.paragraphs, strings(DPRK_HERO));
    assert_eq!(page.place.as_deref(), Some("Pyongyang"));
    assert_eq!(page.media, Vec::<Media>::new());
    assert_eq!(
        page.warnings,
        vec!["dateline December 30 has no year: 2011 taken from the capture time 2012-01-02T03:00:00Z".to_string()]
    );

    // Captured the same December: that year.
    let hints = Hints {
        captured_at: at("2011-12-31T23:00:00Z"),
        ..with_url(HERO_URL)
    };
    assert_eq!(
        read("kcna-detail-en.html", hints).published,
        ymd(2011, 12, 30)
    );

    // No capture time: no date, and a warning saying so.
    let page = read("kcna-detail-en.html", with_url(HERO_URL));
    assert_eq!(page.published, None);
    assert_eq!(page.paragraphs, strings(DPRK_HERO));
    assert_eq!(
        page.warnings,
        vec![
            "dateline December 30 has no year and there is no capture time; the date is unknown"
                .to_string()
        ]
    );
}

#[test]
fn kcna_photo_and_video_icons_and_a_canonical_url() {
    // No url given: the page's `<link rel="canonical">` names it.
    let page = read("kcna-media-en.html", Hints::default());
    assert_eq!(
        page.url.as_deref(),
        Some("http://www.kcna.kp/en/article/q/92eb5ffee6ae2fec3ad71c777531578f.kcmsf")
    );
    assert_eq!(page.profile, Profile::Kcna);
    assert_eq!(page.outlet.as_deref(), Some("kcna"));
    assert_eq!(page.kind, UrlKind::Article);
    assert_eq!(
        page.key.as_deref(),
        Some("92eb5ffee6ae2fec3ad71c777531578f")
    );
    assert_eq!(page.language.as_deref(), Some("en"));
    assert_eq!(page.published, ymd(2011, 12, 2));
    assert_eq!(
        page.title,
        "Kim Jong Il, Defender of Socialism: Nepali Paper"
    );
    assert_eq!(page.paragraphs, strings(NEPALI_PAPER));
    assert_eq!(page.place.as_deref(), Some("Pyongyang"));
    assert_eq!(page.media, vec![Media::Photo, Media::Video]);
    assert_eq!(page.photo_count, None);
    assert_eq!(page.warnings, Vec::<String>::new());
}

#[test]
fn kcna_korean_edition() {
    let page = read(
        "kcna-ko.html",
        with_url("http://www.kcna.kp/kp/article/q/c4ca4238a0b923820dcc509a6f75849b.kcmsf"),
    );
    assert_eq!(page.profile, Profile::Kcna);
    assert_eq!(page.outlet.as_deref(), Some("kcna"));
    assert_eq!(page.kind, UrlKind::Article);
    assert_eq!(
        page.key.as_deref(),
        Some("c4ca4238a0b923820dcc509a6f75849b")
    );
    assert_eq!(page.language.as_deref(), Some("ko"));
    // `www.kcna.kp (주체108.1.1.)`
    assert_eq!(page.published, ymd(2019, 1, 1));
    assert_eq!(page.title, "신년사");
    // `(평양 1월 1일발 조선중앙통신)` opens the first paragraph; `-0-` ends.
    assert_eq!(page.paragraphs, strings(&KO_2019[..5]));
    assert_eq!(page.place.as_deref(), Some("평양"));
    assert_eq!(page.media, Vec::<Media>::new());
    assert_eq!(page.warnings, Vec::<String>::new());
}

#[test]
fn kcna_page_without_a_url_is_sniffed_from_its_markup() {
    let page = read("kcna-juche-en.html", Hints::default());
    assert_eq!(page.url, None);
    assert_eq!(page.profile, Profile::Kcna);
    assert_eq!(page.outlet.as_deref(), Some("kcna"));
    assert_eq!(page.key, None);
    assert_eq!(page.kind, UrlKind::Other);
    // `<html lang="en">`
    assert_eq!(page.language.as_deref(), Some("en"));
    assert_eq!(page.published, ymd(2011, 12, 1));
    assert_eq!(page.title, "Kim Jong Il Congratulates Lao President");
    assert_eq!(page.paragraphs, strings(LAO_PRESIDENT));
}

#[test]
fn markup_alone_names_no_site_that_the_page_does_not_name() {
    // Rodong's and kcna's class names on a page that names neither site:
    // the generic extractor reads it, and it gets no outlet.
    let html = r#"<html><head><title>Parish newsletter</title></head><body>
        <p class="ArticleContent" align="center">Harvest Festival</p>
        <p class="ArticleContent">The festival is on Sunday.</p>
        <h4 class="article-main-title">Choir</h4><div class="article-content-body"><p>Practice is on Tuesday.</p></div>
        </body></html>"#;
    let page = extract(html.as_bytes(), &Hints::default()).unwrap();
    assert_eq!(page.profile, Profile::Generic);
    assert_eq!(page.outlet, None);
    assert_eq!(page.key, None);
    // No profile was tried (what the generic extractor says of so short
    // a page is its own business).
    assert!(
        !page.warnings.iter().any(|w| w.contains("layout")),
        "{:?}",
        page.warnings
    );

    // The detail layout, without a url: its navbar and dateline name KCNA.
    let page = read("kcna-detail-en.html", Hints::default());
    assert_eq!(page.profile, Profile::Kcna);
    assert_eq!(page.outlet.as_deref(), Some("kcna"));
    assert_eq!(page.title, "Title of DPRK Hero Awarded to Kim Jong Il");
}

#[test]
fn a_listing_is_no_article() {
    let page = read(
        "kcna-list-en.html",
        with_url("http://www.kcna.kp/en/article/list/1"),
    );
    assert_eq!(page.profile, Profile::Kcna);
    assert_eq!(page.kind, UrlKind::Listing);
    assert_eq!(page.key, None);
    assert_eq!(page.language.as_deref(), Some("en"));
    assert_eq!(page.published, None);
    assert!(
        page.warnings
            .contains(&"no kcna layout matched; read with the generic extractor".to_string()),
        "{:?}",
        page.warnings
    );
    let list = classify("http://www.kcna.kp/en/article/list/1").unwrap();
    assert_eq!(list.kind, UrlKind::Listing);
    assert_eq!(list.article_id(), None);
    let home = classify("http://www.rodong.rep.kp/en/index.php").unwrap();
    assert_eq!(home.kind, UrlKind::Listing);
    assert_eq!(home.key, None);
}

#[test]
fn a_headline_style_without_an_article_body_is_no_article() {
    // The detail layout's Bootstrap headline on a page with no
    // `.article-content-body` (a list, a search page) is not an article.
    let html = r#"<html lang="en"><body><h1 class="text-center text-danger">Latest News</h1>
        <ul><li><a href="/en/article/detail/e1671797c52e15f763380b45e841ec32">Item</a></li></ul></body></html>"#;
    let page = extract(
        html.as_bytes(),
        &with_url("http://www.kcna.kp/en/search?q=x"),
    )
    .unwrap();
    assert_eq!(page.profile, Profile::Kcna);
    assert_eq!(page.kind, UrlKind::Other);
    assert_eq!(page.place, None);
    assert_eq!(
        page.warnings.first().map(String::as_str),
        Some("no kcna layout matched; read with the generic extractor")
    );
}

#[test]
fn url_schemes_keys_and_languages() {
    /// url, profile, kind, key, language
    type Case = (
        &'static str,
        Profile,
        UrlKind,
        Option<&'static str>,
        Option<&'static str>,
    );
    let cases: &[Case] = &[
        (
            "http://www.rodong.rep.kp/en/index.php?MTJAMjAyNi0wMi0xOS0wMDNAMUAxQEAwQDhA==",
            Profile::Rodong,
            UrlKind::Article,
            Some("2026-02-19-003"),
            Some("en"),
        ),
        (
            "http://rodong.rep.kp/ko/index.php?MTJAMjAyNi0wMi0xOS0wMDNAMUAxQEAwQDhA",
            Profile::Rodong,
            UrlKind::Article,
            Some("2026-02-19-003"),
            Some("ko"),
        ),
        (
            "http://www.rodong.rep.kp/cn/index.php?strPageID=SF01_02_01&newsID=2021-09-12-0009",
            Profile::Rodong,
            UrlKind::Article,
            Some("2021-09-12-0009"),
            Some("zh"),
        ),
        (
            "https://web.archive.org/web/20210913000000/http://www.rodong.rep.kp/ru/index.php?strPageID=SF01_02_01&newsID=2021-09-12-0009",
            Profile::Rodong,
            UrlKind::Article,
            Some("2021-09-12-0009"),
            Some("ru"),
        ),
        (
            "http://www.rodong.rep.kp/es/index.php?strPageID=SF01_01_01",
            Profile::Rodong,
            UrlKind::Listing,
            None,
            Some("es"),
        ),
        (
            "http://www.kcna.kp/fr/article/q/e1671797c52e15f763380b45e841ec32.kcmsf",
            Profile::Kcna,
            UrlKind::Article,
            Some("e1671797c52e15f763380b45e841ec32"),
            Some("fr"),
        ),
        (
            "http://www.kcna.kp/jp/article/detail/e1671797c52e15f763380b45e841ec32",
            Profile::Kcna,
            UrlKind::Article,
            Some("e1671797c52e15f763380b45e841ec32"),
            Some("ja"),
        ),
        (
            "http://www.kcna.kp/ar/article/q/e1671797c52e15f763380b45e841ec32.kcmsf",
            Profile::Kcna,
            UrlKind::Article,
            Some("e1671797c52e15f763380b45e841ec32"),
            Some("ar"),
        ),
        (
            "http://www.kcna.kp/kp/article/q/e1671797c52e15f763380b45e841ec32.kcmsf",
            Profile::Kcna,
            UrlKind::Article,
            Some("e1671797c52e15f763380b45e841ec32"),
            Some("ko"),
        ),
        (
            "http://www.kcna.kp/en/article/q/e1671797c52e15f763380b45e841ec3.kcmsf",
            Profile::Kcna,
            UrlKind::Other,
            None,
            Some("en"),
        ),
    ];
    for (url, profile, kind, key, language) in cases {
        let site = classify(url).unwrap_or_else(|| panic!("{url}"));
        assert_eq!(site.profile, *profile, "{url}");
        assert_eq!(site.kind, *kind, "{url}");
        assert_eq!(site.key.as_deref(), *key, "{url}");
        assert_eq!(site.language.as_deref(), *language, "{url}");
    }
    // One article, one id, whichever url form a capture came by.
    assert_eq!(
        tealeaf_html::url::article_id(
            "http://www.kcna.kp/en/article/q/E1671797C52E15F763380B45E841EC32.kcmsf"
        )
        .as_deref(),
        Some("kcna:en:e1671797c52e15f763380b45e841ec32")
    );
    assert_eq!(
        tealeaf_html::url::article_id(
            "https://web.archive.org/web/20231201000000id_/http://www.kcna.kp/en/article/detail/e1671797c52e15f763380b45e841ec32"
        )
        .as_deref(),
        Some("kcna:en:e1671797c52e15f763380b45e841ec32")
    );
    assert_eq!(
        classify("https://www.example.com/en/article/q/x.kcmsf"),
        None
    );
}

#[test]
fn a_wayback_capture_reads_as_the_page_it_captured() {
    let page = read(
        "rodong-current-en.html",
        with_url(&format!(
            "https://web.archive.org/web/20260102000000/{SEED_URL}"
        )),
    );
    assert_eq!(page.profile, Profile::Rodong);
    assert_eq!(page.key.as_deref(), Some("2026-01-01-002"));
    assert_eq!(page.language.as_deref(), Some("en"));
    assert_eq!(page.published, ymd(2026, 1, 1));
    assert_eq!(page.paragraphs, strings(SEED_PARAGRAPHS));
}

#[test]
fn a_forced_profile_that_no_layout_matches_falls_back_to_generic() {
    let hints = Hints {
        profile: Some(Profile::Kcna),
        ..Hints::default()
    };
    let page = read("rodong-2023-en.html", hints);
    assert_eq!(page.profile, Profile::Kcna);
    assert_eq!(
        page.warnings,
        vec!["no kcna layout matched; read with the generic extractor".to_string()]
    );
}

/// The seed page's paragraphs (`../shared/corpus/seed/000_f3b22d0fefd5ee43.txt`).
const SEED_PARAGRAPHS: &[&str] = &[
    "The respected Comrade Kim Jong Un sent a congratulatory message to the officers and soldiers of the overseas operations units on December 31, 2025 on the occasion of the new year.",
    "The full text of the message is as follows:",
    "To the officers and soldiers of the overseas operations units, who are greeting the new year",
    "My beloved comrades-in-arms – generals, officers and soldiers – who are greeting the new year in the overseas operations area,",
    "On behalf of our Party and state and in reflection of the tender feelings of our people, the officers and soldiers of the entire army, and your parents, wives and children, I send new year greetings to all the commanding officers and combatants of the overseas operations units.",
    "As the whole country is enveloped in a festive atmosphere of greeting the new year, I all the more miss you, who are fighting bravely on the battlefields in the alien land even at this moment, true to the order of your homeland.",
    "Though you are now far away from your homeland, our Party and people always think of you first, the proud sons of our country.",
    "2025, the year we are seeing off with great pride and dignity, is shining more brilliantly thanks to the imperishable honour you have defended at the cost of your blood and lives.",
    "All of you have safeguarded heroically the dignity and honour of the Democratic People’s Republic of Korea.",
    "You have demonstrated to the full with what determination and fortitude one should carry out the order of the Party and the country. You are a source of the greatest strength and pride and a strong pillar of our Party and state.",
    "The coming year 2026 will be another year of the great DPRK along with the remarkable feats you will perform on the overseas battlefields.",
    "I really miss you all.",
    "I hope that I will have a warm reunion with you, all officers and soldiers of the overseas operations units, as early as possible.",
    "Your homeland is eagerly looking forward to your return home.",
    "It is my greatest wish that all of you will return to your homeland in good health.",
    "I request you all to pay special attention to your safety, mindful of my wish.",
    "And be always brave.",
    "For the fraternal Russian people,",
    "For the mettle and characteristics of our people, for the spirit and dignity of the Korean people and for the immortal honour of our state,",
    "And for the undying fame of our army,",
    "Be brave.",
    "Behind you are Pyongyang and Moscow.",
    "Thanks to your self-sacrificing and devoted struggle, the militant fraternity and friendship and invincible alliance between our country and Russia grow firmer.",
    "All officers and soldiers of the overseas operations units,",
    "As I, together with your parents, wives and children, and all other people, look forward to the day when all of you will return home safely after accomplishing your mission, I once again send you new year greetings and warm militant salute.",
];
/// Kim Jong Un's 2019 New Year address, its first ten paragraphs
/// (`../shared/corpus/nk-new-year-addresses/2019.txt`).
const KO_2019: &[&str] = &[
    "사랑하는 온 나라 인민들과 인민군장병들!",
    "동포형제자매들!",
    "동지들과 벗들!",
    "우리는 지울수 없는 또 한번의 력사의 깊은 발자취를 남기며 조국과 혁명, 민족사에 뜻깊은 사변들이 아로새겨진 2018년을 보내고 희망의 꿈을 안고 새해 2019년을 맞이하였습니다.",
    "새해에 즈음하여 나는 격동적인 지난해의 나날들에 우리 당과 숨결과 보폭을 함께 하며 사회주의건설위업에 헌신하여온 전체 인민들과 인민군장병들에게 충심으로 되는 인사를 드리며 온 나라 가정들에 사랑과 희망, 행복이 넘쳐나기를 축원합니다.",
    "나는 민족의 화해와 단합, 평화번영의 새 력사를 써나가기 위하여 우리와 마음을 같이한 남녘겨레들과 해외동포들에게 따뜻한 새해인사를 보냅니다.",
    "나는 사회적진보와 발전, 세계의 평화와 정의를 위하여 노력하고있는 각국의 수반들과 벗들의 사업에서 성과가 있기를 바랍니다.",
    "동지들!",
    "2018년은 우리 당의 자주로선과 전략적결단에 의하여 대내외정세에서 커다란 변화가 일어나고 사회주의건설이 새로운 단계에 들어선 력사적인 해였습니다.",
    "지난해 ４월에 진행된 당중앙위원회 제７기 제３차전원회의는 병진로선의 위대한 승리에 토대하여 우리 혁명을 새롭게 상승시키고 사회주의의 전진속도를 계속 높여나가는데서 전환적의의를 가지는 중요한 계기로 되였습니다.사회주의에 대한 필승의 신념을 지니고 간고한 투쟁의 길을 걸어온 우리 인민은 자주권수호와 평화번영의 굳건한 담보를 제손으로 마련하고 부강조국건설의 더 높은 목표를 점령하기 위한 혁명적대진군에 떨쳐나서게 되였습니다.",
];
/// The 2013 New Year address, paragraphs 2 to 8 (`../shared/corpus/nk-new-year-addresses/2013.txt`).
const KO_2013: &[&str] = &[
    "친애하는 동지들!",
    "영용한 인민군장병들과 사랑하는 온 나라 전체 인민들!",
    "그리운 동포형제 여러분!",
    "우리는 조국력사에 특기할 사변들로 빛나게 아로새겨진 2012년을 보내고 원대한 포부와 최후승리에 대한 신심에 넘쳐 새해 2013년을 맞이합니다.",
    "나는 먼저 전체 인민군장병들과 인민들의 한결같은 경모의 마음을 담아 민족의 어버이이시며 주체의 영원한 태양이신 위대한 김일성동지와 김정일동지께 가장 숭고한 경의와 새해의 인사를 삼가 드립니다.",
    "나는 당의 두리에 굳게 뭉쳐 조국의 부강번영을 위하여 헌신적으로 투쟁하고있는 인민군장병들과 인민들에게 새해의 따뜻한 인사를 드리며 온 나라 모든 가정들에 화목과 더 큰 행복이 있기를 진심으로 축원합니다.",
    "나는 또한 조국통일과 민족번영에 대한 열망과 기대속에 새해를 맞이하고있는 남녘겨레들과 해외동포들 그리고 정의와 평화를 사랑하는 세계 진보적인민들과 외국의 벗들에게 새해의 인사를 보냅니다.",
];
/// KCNA, 2 December 2011 (`../shared/corpus/kcna/kcna-2011.jsonl.gz`).
const KIM_JONG_SUK_MEXICO: &[&str] = &[
    "The Mexican Committee for the Study of Kimilsungism released the 64th issue of its bulletin to mark the 94th birth anniversary of anti-Japanese war hero Kim Jong Suk.",
    "The bulletin carried a photo of the woman commander of Mt. Paektu and an article which said:",
    "Kim Jong Suk is a prominent revolutionary who devoted all her life to the social emancipation of the Korean women and the development of the women's movement.",
    "Many women grew up to be admirable revolutionaries under the guidance of her who took part in the great anti-Japanese war commanded by President Kim Il Sung in her early years to establish her fame as an anti-Japanese war hero and a woman commander of Mt. Paektu.",
    "After the liberation of Korea she positively aided the President, encouraging the women to turn out as one in building a new society.",
    "She showed deep care for the work to build up the Democratic Women's Union of Korea and rally broad sections of women around the union.",
    "Her noble feats for the emancipation of women and the women's movement are shining long with socialist Korea always emerging victorious.",
];
/// KCNA, 2 December 2011.
const PERU_WEBSITE: &[&str] = &[
    "The Peruvian-Korean Institute of Culture and Friendship posted leader Kim Jong Il's work \"Socialism Is What Keeps Our People Alive\" on its Internet homepage on Nov. 26.",
    "The work, published on Nov. 14, Juche 81 (1992), clarifies the necessity to defend the world socialist movement at present and the tasks and ways for advancing the socialist cause.",
];
/// KCNA, 1 December 2011.
const LAO_PRESIDENT: &[&str] = &[
    "General Secretary Kim Jong Il on Thursday sent a congratulatory message to Choummaly Sayasone, general secretary of the Central Committee of the Lao People's Revolutionary Party, president of the Lao People's Democratic Republic and chairman of the Central Committee of Defence and Security of Laos, on the 36th founding anniversary of the Republic.",
    "The message said:",
    "I extend warm congratulations to you and, through you, to the Lao People's Revolutionary Party and the government and people of the Lao People's Democratic Republic on the 36th founding anniversary of the Republic.",
    "After the foundation of the Republic the Lao people have steadily consolidated the people's democratic system chosen by themselves as the genuine masters of the country and, in this course, made the great socio-economic development.",
    "The Korean people are pleased that the fraternal people of your country are defending the socialist idea and bolstering the state might as a whole under the leadership of the Lao People's Revolutionary Party headed by you and sincerely wish them better achievements in the efforts to attain the tasks and goals set forth in the 9th Congress of the party.",
    "Expressing belief that the traditional DPRK-Laos friendly and cooperative relations would grow stronger in keeping with the noble intention of the preceding leaders of the two countries and the desire of the people, I wholeheartedly wish you greater success in your responsible work as well as you good health.",
];
/// KCNA, 14 December 2011.
const SWISS_GIFT: &[&str] = &[
    "General Secretary Kim Jong Il received a gift from Martin Lotscher, chairman of the Switzerland-Korea Committee, on the 20th anniversary of his assumption of supreme commandership of the Korean People's Army.",
    "Martin Lotscher handed over the gift to an official of the DPRK mission in Bern on December 11.",
];
/// KCNA, 30 December 2011 (one paragraph has a double space in the source).
const DPRK_HERO: &[&str] = &[
    "The title of the DPRK Hero was awarded to Kim Jong Il, general secretary of the Workers' Party of Korea, chairman of the National Defence Commission of the DPRK and supreme commander of the Korean People's Army.",
    "Kim Jong Il performed undying revolutionary feats for the country and its people, the times and history by wisely leading the WPK, army and people for decades since he embarked upon the road of revolution in his early years.",
    "He developed in depth the Juche idea, the Songun idea founded by President Kim Il Sung with his clairvoyant wisdom and energetic ideological and theoretical activities, thus glorifying them as an encyclopedic ideological and theoretical boon indicating the road to be followed by the WPK, revolution and the era of independence. He gave a steady continuity to the tradition of the Korean revolution by upholding and carrying forward the revolutionary tradition of Mt. Paektu.",
    "He developed the WPK, army and state bequeathed by the President into his party, army and state shining with his immortal name and placed the country's dignity and power onto the highest level in the history of the Korean nation spanning five thousand years.",
    "True to the last instructions of the President for national reunification, Kim Jong Il led all the fellow countrymen along the road of independence and great national unity, ushered in the June 15 era of reunification advancing in the spirit of \"By our nation itself\" and made a great contribution to achieving the victory of the socialist cause and accomplishing the just cause of the world peace and stability and friendship and solidarity among peoples under the uplifted banner of independence against imperialism.",
    "He devoted all his efforts and wisdom and energies for building a thriving nation and improving the standard of people's living, regarding the idea of believing in the people as in Heaven as his maxim in the whole period of his revolutionary activities. He breathed his last at work on a train due to manifold mental and physical strain while making the most arduous forced march for field guidance without having any good rest.",
    "A decree of the Presidium of the Supreme People's Assembly on awarding the title of the DPRK Hero to Kim Jong Il was promulgated on Dec. 19.",
];
/// KCNA, 2 December 2011.
const NEPALI_PAPER: &[&str] = &[
    "The Nepali paper Jana Sata on Nov. 26 carried a special write-up under the title of \"Defender of Socialism\" with a photo of General Secretary Kim Jong Il on the 20th anniversary of his assumption of the supreme commandership of the Korean People's Army.",
    "This year marks the 20th anniversary of his assumption of the supreme commandership of the KPA in the DPRK, the paper said, and went on:",
    "The U.S. imperialists brought the nuclear crisis to the Korean Peninsula to stifle the DPRK and staged Team Spirit joint military exercises, a large-scale nuclear test war, in March 1993.",
    "Kim Jong Il visited the military post of shrub pine trees on Jan. 1, 1995. This was like a solemn declaration of his will to defend socialism to the last under the uplifted banner of Songun.",
    "He has energetically led the work to strengthen the politico-ideological and military-technical might of the KPA in every way and remarkably develop the defence industry.",
    "The DPRK came to secure the reliable war deterrent under his leadership.",
];
