//! The fixtures' texts (real KCNA articles from
//! `../shared/corpus/kcna/kcna-2011.jsonl.gz`, or built-in ones when the
//! corpus is absent) and the pages that hold them, in the layouts
//! tealeaf's profiles read (crates/html/src/profiles).

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::sync::OnceLock;

use super::http::{days_from_civil, escape, parse_iso_date, weekday, WEEKDAYS};

/// What one article says: as tealeaf's extractor should read it back
/// (white space collapsed; the kcna dateline and `-0-` are added on the
/// page and are not part of it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub title: String,
    pub paragraphs: Vec<String>,
    /// `YYYY-MM-DD`: the date the page prints (rodong dateline, kcna
    /// publish time, generic `<time>`).
    pub date: String,
}

/// How many texts the fixtures use: rodong A–G (0–6), kcna K1–K4, slow,
/// flaky (7–12), generic 1–3 (13–15), wayback history (16–17).
pub const TEXTS: usize = 18;

/// The corpus file, beside the repository.
pub fn corpus_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/kcna/kcna-2011.jsonl.gz")
}

static LOADED: OnceLock<(Vec<Text>, bool)> = OnceLock::new();

fn loaded() -> &'static (Vec<Text>, bool) {
    LOADED.get_or_init(|| match load_corpus() {
        Some(t) => (t, true),
        None => (builtin(), false),
    })
}

/// The [`TEXTS`] texts.
pub fn texts() -> &'static [Text] {
    &loaded().0
}

/// Whether the texts came from the corpus (else built-in).
pub fn from_corpus() -> bool {
    loaded().1
}

fn clean(s: &str) -> String {
    tealeaf_model::text::collapse_ws(s)
}

/// The first [`TEXTS`] English articles with 3 or more paragraphs and a
/// title of their own (at most 8 paragraphs kept).
fn load_corpus() -> Option<Vec<Text>> {
    let file = File::open(corpus_path()).ok()?;
    let reader = BufReader::new(flate2::read::GzDecoder::new(file));
    let mut out = Vec::new();
    let mut titles = HashSet::new();
    for line in reader.lines() {
        let line = line.ok()?;
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        if v["language"].as_str().is_some_and(|l| l != "en") {
            continue;
        }
        let title = clean(v["title"].as_str().unwrap_or(""));
        let date = v["date"].as_str().unwrap_or("").to_string();
        let story = v["story"]
            .as_str()
            .or_else(|| v["text"].as_str())
            .unwrap_or("");
        let paragraphs: Vec<String> = story
            .split('\n')
            .map(clean)
            .filter(|p| !p.is_empty())
            .take(8)
            .collect();
        let plain = |p: &String| !p.contains("-0-") && !p.contains("(KCNA)") && p.len() < 3000;
        if title.is_empty()
            || title.len() > 200
            || parse_iso_date(&date).is_none()
            || paragraphs.len() < 3
            || !paragraphs.iter().all(plain)
            || !titles.insert(title.clone())
        {
            continue;
        }
        out.push(Text {
            title,
            paragraphs,
            date,
        });
        if out.len() == TEXTS {
            return Some(out);
        }
    }
    None
}

fn builtin() -> Vec<Text> {
    const TOPICS: [&str; 6] = [
        "Farmers Harvest Record Crop in South Hwanghae Province",
        "New Hydropower Station Goes into Operation",
        "Delegation Leaves for Overseas Visit",
        "Art Troupe Gives Performance in Pyongyang",
        "Scientists Develop Improved Rice Seeds",
        "Machine Factory Overfulfils Yearly Plan",
    ];
    (0..TEXTS)
        .map(|i| {
            let topic = TOPICS[i % TOPICS.len()];
            Text {
                title: format!("{topic} (No. {})", i + 1),
                paragraphs: vec![
                    format!(
                        "Report number {} tells how the workers of the unit met their goal ahead of schedule. They were praised at a meeting held on the spot.",
                        i + 1
                    ),
                    format!(
                        "Officials said that the success of item {} was due to the devoted efforts of the technicians. New methods were introduced in the production processes.",
                        i + 1
                    ),
                    format!(
                        "The participants pledged to achieve greater successes in the coming year, closing item {}.",
                        i + 1
                    ),
                ],
                date: format!("2011-12-{:02}", 1 + i % 28),
            }
        })
        .collect()
}

/// The sentence an edit puts in.
pub const EDITED_SENTENCE: &str = "This sentence was revised after the first edition.";

/// `t` with one sentence changed: the first sentence of its second
/// paragraph (the whole paragraph when it has one sentence).
pub fn edited(t: &Text) -> Text {
    let mut t = t.clone();
    let i = 1.min(t.paragraphs.len() - 1);
    let p = &t.paragraphs[i];
    t.paragraphs[i] = match p.find(". ") {
        Some(at) => format!("{EDITED_SENTENCE} {}", &p[at + 2..]),
        None => EDITED_SENTENCE.to_string(),
    };
    t
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn ymd(date: &str) -> (i64, u32, u32, i64) {
    let days = parse_iso_date(date).unwrap_or_else(|| panic!("not a date: {date}"));
    let mut it = date.split('-').map(|p| p.parse::<i64>().unwrap_or(1));
    let (y, m, d) = (
        it.next().unwrap_or(2011),
        it.next().unwrap_or(1) as u32,
        it.next().unwrap_or(1) as u32,
    );
    debug_assert_eq!(days, days_from_civil(y, m, d));
    (y, m, d, days)
}

/// `Dec. 1, 2011 Thursday` (rodong's dateline).
pub fn rodong_dateline(date: &str) -> String {
    let (y, m, d, days) = ymd(date);
    let name = MONTH_NAMES[m as usize - 1];
    let month = if name.len() <= 4 {
        name.to_string()
    } else {
        format!("{}.", &name[..3])
    };
    format!("{month} {d}, {y} {}", WEEKDAYS[weekday(days)])
}

/// `Pyongyang, December 1 (KCNA) -- ` (kcna's dateline).
pub fn kcna_dateline(date: &str) -> String {
    let (_, m, d, _) = ymd(date);
    format!("Pyongyang, {} {d} (KCNA) -- ", MONTH_NAMES[m as usize - 1])
}

/// `www.kcna.kp (Juche100.12.1.)` (kcna's publish time).
pub fn kcna_publish_time(date: &str) -> String {
    let (y, m, d, _) = ymd(date);
    format!("www.kcna.kp (Juche{}.{m}.{d}.)", y - 1911)
}

fn paragraphs_html(class: &str, paragraphs: &[String]) -> String {
    paragraphs
        .iter()
        .map(|p| format!("        <p{class}>{}</p>\n", escape(p)))
        .collect()
}

fn links_html(links: &[(String, String)]) -> String {
    links
        .iter()
        .map(|(href, text)| {
            format!(
                "    <li><a href=\"{}\">{}</a></li>\n",
                escape(href),
                escape(text)
            )
        })
        .collect()
}

const RODONG_HEAD: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rodong Sinmun</title>
<link rel="stylesheet" href="/css/style.css">
</head>
<body>
<header class="header">
  <div class="container"><a href="/en/"><img src="/photo/x.jpg" alt="Rodong Sinmun"></a></div>
</header>
<nav class="navbar main-menu"><ul class="nav"><li class="nav-item"><a class="nav-link" href="/en/">Home</a></li><li class="nav-item"><a class="nav-link" href="index.php?MUAxQA==">Politics</a></li></ul></nav>
"#;

const RODONG_FOOT: &str = r#"<footer class="footer">Copyright &copy; Rodong Sinmun</footer>
</body>
</html>
"#;

/// A rodong article page, current layout (`#article-date`, `p.TitleP`,
/// `p.TextP` in `#ContDIV`).
pub fn rodong_article(date: &str, text: &Text) -> String {
    format!(
        "{RODONG_HEAD}<div class=\"container main\">\n  <div class=\"container article-content\" id=\"ContDIV\">\n    <div id=\"article-date\" class=\"text-secondary\">{}</div>\n    <p class=\"TitleP\">{}</p>\n    <div class=\"article-body\">\n{}    </div>\n  </div>\n</div>\n{RODONG_FOOT}",
        rodong_dateline(date),
        escape(&text.title),
        paragraphs_html(" class=\"TextP\"", &text.paragraphs),
    )
}

/// A rodong listing page: links (href, text) plus `extra` html.
pub fn rodong_listing(heading: &str, links: &[(String, String)], extra: &str) -> String {
    format!(
        "{RODONG_HEAD}<div class=\"container main\">\n  <h3 class=\"list-title\">{}</h3>\n  <ul class=\"news-list\">\n{}  </ul>\n{extra}</div>\n{RODONG_FOOT}",
        escape(heading),
        links_html(links),
    )
}

/// A rodong article page in the layout to 2021 (centred
/// `p.ArticleContent` headline, date only in the `newsID` key).
pub fn rodong_old_article(text: &Text) -> String {
    format!(
        "<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\n<title>Rodong Sinmun</title>\n</head>\n<body leftmargin=\"0\" topmargin=\"0\">\n<table width=\"1000\" border=\"0\" cellspacing=\"0\" cellpadding=\"0\" align=\"center\">\n<tr><td class=\"TopMenu\"><a href=\"index.php?strPageID=SF01_01_01\">Home</a></td></tr>\n<tr><td><p class=\"ArticleContent\" align=\"center\"><font size=\"4\"><b>{}</b></font></p></td></tr>\n{}<tr><td class=\"Copyright\">Copyright(c) by Rodong Sinmun</td></tr>\n</table>\n</body>\n</html>\n",
        escape(&text.title),
        text.paragraphs
            .iter()
            .map(|p| format!("<tr><td><p class=\"ArticleContent\">{}</p></td></tr>\n", escape(p)))
            .collect::<String>(),
    )
}

/// A rodong listing page in the layout to 2021.
pub fn rodong_old_listing(links: &[(String, String)]) -> String {
    format!(
        "<html>\n<head><title>Rodong Sinmun</title></head>\n<body>\n<table width=\"1000\" align=\"center\">\n<tr><td class=\"TopMenu\"><a href=\"index.php?strPageID=SF01_01_01\">Home</a></td></tr>\n{}<tr><td class=\"Copyright\">Copyright(c) by Rodong Sinmun</td></tr>\n</table>\n</body>\n</html>\n",
        links
            .iter()
            .map(|(h, t)| format!(
                "<tr><td class=\"ListTitle\"><a href=\"{}\">{}</a></td></tr>\n",
                escape(h),
                escape(t)
            ))
            .collect::<String>()
    )
}

const KCNA_HEAD: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Korean Central News Agency</title>
<link rel="stylesheet" href="/css/common.css">
</head>
<body>
<div class="header">
  <div class="logo"><a href="/en/"><img src="/resources/images/logo.png" alt="KCNA"></a></div>
  <ul class="main-menu">
    <li><a href="/en/article/list/1">Top News</a></li>
    <li><a href="/kp/article/list/1">조선어</a></li>
  </ul>
</div>
"#;

const KCNA_FOOT: &str = r#"<div class="footer"><p>Copyright &copy; Korean Central News Agency. All Rights Reserved.</p></div>
</body>
</html>
"#;

/// A kcna article page (`.article-main-title`, `.publish-time`,
/// `.article-content-body p`), with dateline and `-0-`.
pub fn kcna_article(date: &str, text: &Text) -> String {
    let mut paragraphs = text.paragraphs.clone();
    if let Some(first) = paragraphs.first_mut() {
        *first = format!("{}{first}", kcna_dateline(date));
    }
    paragraphs.push("-0-".to_string());
    format!(
        "{KCNA_HEAD}<div class=\"main-container\">\n  <div class=\"article-head\">\n    <h4 class=\"article-main-title\">{}</h4>\n    <div class=\"publish-info\"><span class='publish-time'>{}</span></div>\n  </div>\n  <div class=\"article-content-body\">\n    <div class=\"content-wrapper\">\n{}    </div>\n  </div>\n</div>\n{KCNA_FOOT}",
        escape(&text.title),
        kcna_publish_time(date),
        paragraphs_html("", &paragraphs),
    )
}

/// A kcna page of links (the list page, the home page).
pub fn kcna_listing(links: &[(String, String)], extra: &str) -> String {
    format!(
        "{KCNA_HEAD}<div class=\"main-container\">\n  <ul class=\"article-link\">\n{}  </ul>\n{extra}</div>\n{KCNA_FOOT}",
        links_html(links)
    )
}

/// A generic news article: `<article><h1>…</h1><time>…<p>…</p></article>`.
pub fn generic_article(text: &Text) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{} - Example News</title>\n</head>\n<body>\n<nav><a href=\"/\">Example News</a> | <a href=\"/\">Home</a></nav>\n<main>\n<article>\n<h1>{}</h1>\n<p class=\"byline\"><time datetime=\"{}\">{}</time></p>\n{}</article>\n</main>\n<footer><p>Example News, a fixture.</p></footer>\n</body>\n</html>\n",
        escape(&text.title),
        escape(&text.title),
        text.date,
        text.date,
        paragraphs_html("", &text.paragraphs),
    )
}

/// The generic site's home: links to its articles.
pub fn generic_home(links: &[(String, String)]) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Example News</title>\n</head>\n<body>\n<h1>Example News</h1>\n<ul>\n{}</ul>\n</body>\n</html>\n",
        links_html(links)
    )
}
