//! `/trends?terms=…`: how often terms (people, countries or any words) come
//! up over time: a form, the chart as inline SVG drawn by
//! `tealeaf_query::chart` (each point a link to that period's articles in
//! the search), and a table of the numbers; `/trends.csv` the numbers.
//!
//! The range is `from`/`to` when given; otherwise the dates holding the
//! bulk of the articles (`trend::bulk_range`: an article dated 1970 among
//! 2011's does not stretch the axis), with a note saying how many were
//! left out and a link that shows them all. A `by` that would give more
//! than [`MAX_PERIODS`] periods is coarsened (day → week → month → year),
//! and the page says so.

use axum::extract::{Query, State};
use axum::response::Response;
use chrono::NaiveDate;
use maud::{html, Markup, PreEscaped};
use serde::Serialize;
use tealeaf_model::Period;
use tealeaf_query::chart::{self, ChartError, Link};
use tealeaf_query::trend::{self, DateRange, Options, Series, Trend};

use crate::page::{query_string, Page, Want};
use crate::{AppError, AppState};

/// Terms compared at once: the chart has six colours.
const MAX_TERMS: usize = 6;
const MAX_TERM: usize = 200;
/// Periods on a chart at most: a `by` that gives more over the range is
/// coarsened. 1,500 points still show as a line on a wide chart, and the
/// table and twin stay under a few hundred KB.
pub const MAX_PERIODS: usize = 1_500;

#[derive(Debug, Clone, Serialize)]
pub struct TrendParams {
    pub terms: Vec<String>,
    /// day, week, month or year, as asked.
    pub by: String,
    pub outlet: Option<String>,
    pub per_1000: bool,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl TrendParams {
    pub fn parse(pairs: &[(String, String)]) -> Result<TrendParams, AppError> {
        let mut p = TrendParams {
            terms: Vec::new(),
            by: "month".into(),
            outlet: None,
            per_1000: false,
            from: None,
            to: None,
        };
        for (k, v) in pairs {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            match k.as_str() {
                // Comma-separated, and repeatable.
                "terms" | "term" | "q" => p.terms.extend(
                    v.split(',')
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(str::to_string),
                ),
                "by" => {
                    p.by = match v {
                        "day" | "week" | "month" | "year" => v.to_string(),
                        other => {
                            return Err(AppError::BadRequest(format!(
                                "`by` must be day, week, month or year, not `{other}`"
                            )))
                        }
                    }
                }
                "outlet" => p.outlet = Some(v.to_ascii_lowercase()),
                "per_1000" => p.per_1000 = !matches!(v, "0" | "false" | "no" | "off"),
                "from" => p.from = Some(date_param(k, v)?),
                "to" => p.to = Some(date_param(k, v)?),
                _ => {}
            }
        }
        if p.terms.len() > MAX_TERMS {
            return Err(AppError::BadRequest(format!(
                "at most {MAX_TERMS} terms at once, not {}",
                p.terms.len()
            )));
        }
        if let Some(t) = p.terms.iter().find(|t| t.len() > MAX_TERM) {
            return Err(AppError::BadRequest(format!(
                "a term is longer than {MAX_TERM} bytes: `{}…`",
                t.chars().take(40).collect::<String>()
            )));
        }
        check_range(p.from, p.to)?;
        Ok(p)
    }

    fn by(&self) -> Period {
        Period::parse(&self.by).unwrap_or(Period::Month)
    }

    fn options(&self) -> Options {
        Options {
            by: self.by(),
            outlet: self.outlet.clone(),
            per_1000: self.per_1000,
            from: self.from,
            to: self.to,
            trim: true,
            max_periods: Some(MAX_PERIODS),
        }
    }

    /// This page's link with other dates.
    fn link(&self, path: &str, from: Option<NaiveDate>, to: Option<NaiveDate>) -> String {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        format!(
            "{path}{}",
            query_string(&[
                ("terms", self.terms.join(", ")),
                ("by", self.by.clone()),
                ("outlet", self.outlet.clone().unwrap_or_default()),
                (
                    "per_1000",
                    if self.per_1000 {
                        "1".into()
                    } else {
                        String::new()
                    }
                ),
                ("from", date(from)),
                ("to", date(to)),
            ])
        )
    }
}

/// A `from`/`to` date.
pub fn date_param(k: &str, v: &str) -> Result<NaiveDate, AppError> {
    tealeaf_model::dates::parse_date(v).map_err(|e| AppError::BadRequest(format!("`{k}`: {e}")))
}

pub fn check_range(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<(), AppError> {
    match (from, to) {
        (Some(f), Some(t)) if f > t => Err(AppError::BadRequest(format!(
            "`from` ({f}) is after `to` ({t})"
        ))),
        _ => Ok(()),
    }
}

/// The search that lists the articles a point counts: the person or
/// country filter for an entity (organizations and places, which the
/// search cannot filter by, as a phrase), the query itself for words; the
/// period's days, cut to the range.
pub fn search_link(
    s: &Series,
    by: Period,
    period: &str,
    range: Option<DateRange>,
    outlet: Option<&str>,
) -> Option<String> {
    let days = trend::period_dates(by, period, range)?;
    let (key, value) = match s.matched_as.as_str() {
        "person" => ("person", s.name.clone()),
        "country" => ("country", s.name.clone()),
        "text" => ("q", s.term.clone()),
        _ => ("q", format!("\"{}\"", s.name)),
    };
    Some(format!(
        "/search{}",
        query_string(&[
            (key, value),
            ("outlet", outlet.unwrap_or("").to_string()),
            ("from", days.from.to_string()),
            ("to", days.to.to_string()),
        ])
    ))
}

/// How the range and periods came out, in words, with the link that
/// shows everything when the default range left some articles out.
pub fn range_notes(t: &Trend, show_all: Option<&str>) -> Markup {
    html! {
        @if let Some(asked) = t.coarsened_from {
            p.note { "By " (asked) ", this range has more than " (MAX_PERIODS) " periods: counted by " (t.by) " instead. Narrow the dates (" code { "from" } ", " code { "to" } ") to count by " (asked) "." }
        }
        @if let Some(o) = &t.outside {
            p.note {
                (o.articles) @if o.articles == 1 { " article" } @else { " articles" }
                " (" (o.mentions) @if o.mentions == 1 { " mention" } @else { " mentions" } ")"
                " outside the shown range"
                @if let Some(r) = t.range { " (" (r.from) " to " (r.to) ")" }
                "; all of them run from " (o.all.from) " to " (o.all.to) ": "
                @if let Some(href) = show_all { a.show-all href=(href) { "show all" } } @else { "show all" }
            }
        }
    }
}

#[derive(Serialize)]
pub struct TrendsPage {
    pub params: TrendParams,
    /// The series (one per term, as `tealeaf trend --json` gives their
    /// points), the period counted by, the range and what it left out.
    #[serde(flatten)]
    pub trend: Trend,
    pub links: TrendLinks,
    /// Why there is no chart (e.g. no font on the server), if there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chart_error: Option<String>,
    #[serde(skip)]
    chart: Option<String>,
    #[serde(skip)]
    outlets: Vec<String>,
}

#[derive(Serialize)]
pub struct TrendLinks {
    pub csv: String,
    /// The same trend over all dates, when the default range left some out.
    pub show_all: Option<String>,
}

pub async fn handler(
    State(state): State<AppState>,
    want: Want,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let params = match TrendParams::parse(&pairs) {
        Ok(p) => p,
        Err(e) => return want.error(e),
    };
    let outlets = state.choices().outlets;
    let html = want == Want::Html;
    let page = state
        .read(move |db| {
            let trend = if params.terms.is_empty() {
                Trend {
                    series: Vec::new(),
                    by: params.by(),
                    coarsened_from: None,
                    range: None,
                    outside: None,
                }
            } else {
                trend::trend_with(db.archive, db.index, &params.terms, &params.options())?
            };
            let links = TrendLinks {
                csv: params.link("/trends.csv", params.from, params.to),
                show_all: trend.outside.as_ref().map(|o| {
                    params.link(
                        "/trends",
                        Some(params.from.unwrap_or(o.all.from)),
                        Some(params.to.unwrap_or(o.all.to)),
                    )
                }),
            };
            let mut page = TrendsPage {
                trend,
                links,
                chart_error: None,
                chart: None,
                outlets,
                params,
            };
            // Drawing is the costly part: only the HTML page shows it.
            let t = &page.trend;
            if html && t.series.iter().any(|s| !s.points.is_empty()) {
                let p = &page.params;
                let labelled = safe_labels(&t.series);
                let link = |si: usize, pi: usize| -> Option<Link> {
                    let s = t.series.get(si)?;
                    let pt = s.points.get(pi)?;
                    (pt.articles > 0).then_some(())?;
                    Some(Link {
                        href: search_link(s, t.by, &pt.period, t.range, p.outlet.as_deref())?,
                        title: format!(
                            "{} — {}: {} {}",
                            s.term,
                            pt.period,
                            pt.articles,
                            if pt.articles == 1 {
                                "article"
                            } else {
                                "articles"
                            }
                        ),
                    })
                };
                match chart::svg_linked(&labelled, t.by, p.per_1000, p.outlet.as_deref(), &link) {
                    Ok(svg) => page.chart = Some(strip_prolog(&svg)),
                    Err(e @ ChartError::NoFont) => page.chart_error = Some(e.to_string()),
                    Err(e) => return Err(AppError::Internal(e.to_string())),
                }
            }
            Ok(page)
        })
        .await;
    want.page(page)
}

/// `/trends.csv?terms=…`: the page's numbers, one row per term and period
/// (`term,matched_as,period,articles,mentions,articles_per_1000,mentions_per_1000`,
/// as `tealeaf trend --csv`), over the same range as the page; the rates
/// are always filled. A term that starts like a formula is neutralised
/// unless `raw=1`.
pub async fn csv_handler(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let want = Want::Json;
    let (params, cells) = match (TrendParams::parse(&pairs), crate::export::csv_cells(&pairs)) {
        (Ok(p), Ok(c)) => (p, c),
        (Err(e), _) | (_, Err(e)) => return want.error(e),
    };
    if params.terms.is_empty() {
        return want.error(AppError::BadRequest(
            "`terms` is required: the terms to count, separated by commas".into(),
        ));
    }
    let out = state
        .read(move |db| {
            let mut opts = params.options();
            opts.per_1000 = true;
            let t = trend::trend_with(db.archive, db.index, &params.terms, &opts)?;
            let mut w = tealeaf_query::export::csv_continued(Vec::new());
            trend::write_csv(&mut w, &t.series, cells)
                .map_err(|e| AppError::Internal(format!("writing CSV: {e}")))?;
            w.into_inner()
                .map_err(|e| AppError::Internal(format!("writing CSV: {e}")))
        })
        .await;
    match out {
        Ok(body) => crate::export::csv_response("trends.csv", None, body),
        Err(e) => want.error(e),
    }
}

/// Series whose labels (term and name) hold no markup characters. plotters
/// escapes the text it writes into SVG, and that SVG goes into the page
/// unescaped; this keeps a term like `<script>` harmless even if a later
/// plotters stopped escaping. The table below the chart shows the terms
/// as typed (escaped by maud).
fn safe_labels(series: &[Series]) -> Vec<Series> {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                '<' => '‹',
                '>' => '›',
                '&' => '+',
                '"' => '”',
                '\'' => '’',
                c if c.is_control() => ' ',
                c => c,
            })
            .collect()
    };
    series
        .iter()
        .map(|s| Series {
            term: clean(&s.term),
            name: clean(&s.name),
            ..s.clone()
        })
        .collect()
}

/// The SVG element alone (no XML declaration) for inlining in HTML.
fn strip_prolog(svg: &str) -> String {
    match svg.find("<svg") {
        Some(i) => svg[i..].to_string(),
        None => svg.to_string(),
    }
}

impl Page for TrendsPage {
    fn title(&self) -> String {
        if self.params.terms.is_empty() {
            "Trends".into()
        } else {
            format!("Trends: {}", self.params.terms.join(", "))
        }
    }

    fn nav(&self) -> &'static str {
        "/trends"
    }

    fn body(&self) -> Markup {
        let p = &self.params;
        let t = &self.trend;
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        html! {
            form.search action="/trends" method="get" {
                div.q {
                    label for="terms" { "Terms, separated by commas (people, countries or words)" }
                    input #terms type="text" name="terms" value=(p.terms.join(", ")) placeholder="Russia, Kim Jong Un";
                }
                div {
                    label for="by" { "Per" }
                    select #by name="by" {
                        @for b in ["day", "week", "month", "year"] {
                            option value=(b) selected[p.by == b] { (b) }
                        }
                    }
                }
                div {
                    label for="outlet" { "Outlet" }
                    select #outlet name="outlet" {
                        option value="" { "any" }
                        @for o in &self.outlets {
                            option value=(o) selected[p.outlet.as_deref() == Some(o.as_str())] { (o) }
                        }
                    }
                }
                div {
                    label for="from" { "From" }
                    input #from type="date" name="from" value=(date(p.from));
                }
                div {
                    label for="to" { "To" }
                    input #to type="date" name="to" value=(date(p.to));
                }
                div.check {
                    input #per_1000 type="checkbox" name="per_1000" value="1" checked[p.per_1000];
                    label for="per_1000" { "per 1,000 articles" }
                }
                div { label for="go" { "\u{a0}" } button #go type="submit" { "Draw" } }
            }
            @if p.terms.is_empty() {
                p { "Type one or more terms: a person or country is counted by the articles that mention them (any spelling the archive knows), anything else as a search." }
            } @else {
                section aria-labelledby="chart-h" {
                    h2 #chart-h { "Chart" }
                    (range_notes(t, self.links.show_all.as_deref()))
                    @if let Some(svg) = &self.chart {
                        // Drawn by our own code from numbers; its labels are
                        // cleaned by `safe_labels` and escaped by plotters,
                        // the links' URLs and titles escaped by `chart`.
                        figure.chart.wide {
                            (PreEscaped(svg))
                            figcaption.muted { "Click a point to open that " (t.by) "'s articles in the search." }
                        }
                    } @else if let Some(e) = &self.chart_error {
                        p.muted { "No chart: " (e) }
                    } @else {
                        p.muted { "Nothing to draw: no article matches." }
                    }
                }
                section aria-labelledby="numbers-h" {
                    h2 #numbers-h { "The numbers" }
                    ul {
                        @for s in &t.series {
                            li {
                                strong { (s.term) }
                                @if s.matched_as == "text" { " — searched as words" }
                                @else { " — the " (s.matched_as) " " (s.name) }
                            }
                        }
                    }
                    p.exports.muted { "Download: " a href=(self.links.csv) { "CSV" } }
                    @if let Some(first) = t.series.first() {
                        div.table-wrap { table {
                            thead { tr {
                                th scope="col" { (t.by) }
                                @for s in &t.series { th scope="col" { (s.term) } }
                            } }
                            tbody {
                                @for (i, pt) in first.points.iter().enumerate() {
                                    tr {
                                        td { (pt.period) }
                                        @for s in &t.series {
                                            td {
                                                @if let Some(x) = s.points.get(i) {
                                                    @let shown = if p.per_1000 {
                                                        format!("{:.1}", x.articles_per_1000.unwrap_or(0.0))
                                                    } else {
                                                        x.articles.to_string()
                                                    };
                                                    @match search_link(s, t.by, &x.period, t.range, p.outlet.as_deref()).filter(|_| x.articles > 0) {
                                                        Some(href) => a href=(href) { (shown) },
                                                        None => (shown),
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        } }
                        p.muted { @if p.per_1000 { "Articles mentioning the term per 1,000 articles of the period." } @else { "Articles mentioning the term; each count opens them in the search." } }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tealeaf_query::trend::Point;

    fn series(term: &str) -> Vec<Series> {
        vec![Series {
            term: term.into(),
            matched_as: "text".into(),
            name: term.into(),
            points: ["2025-11", "2025-12"]
                .iter()
                .map(|p| Point {
                    period: p.to_string(),
                    articles: 2,
                    mentions: 3,
                    articles_per_1000: None,
                    mentions_per_1000: None,
                })
                .collect(),
        }]
    }

    /// A label that tries to close the `<text>` element and open a script
    /// comes out as text: plotters escapes it, and `safe_labels` removes
    /// the markup characters before that.
    #[test]
    #[ignore = "needs fonts (cargo test -- --include-ignored)"]
    fn chart_labels_cannot_inject_markup() {
        let evil = "</text><script>alert(1)</script><text>";
        let raw = match chart::svg(&series(evil), Period::Month, false, Some("<b>kcna</b>")) {
            Err(e @ ChartError::NoFont) => panic!("needs fonts: {e}"),
            other => other.expect("chart"),
        };
        assert!(raw.contains("&lt;/text&gt;&lt;script&gt;"), "{raw}");
        assert!(!raw.contains("<script") && !raw.contains("<b>"), "{raw}");
        let safe =
            chart::svg(&safe_labels(&series(evil)), Period::Month, false, None).expect("chart");
        assert!(safe.contains("‹/text›‹script›alert(1)‹/script›"), "{safe}");
        assert!(
            !safe.contains("<script") && !safe.contains("&lt;script"),
            "{safe}"
        );
        let inline = strip_prolog(&safe);
        assert!(inline.starts_with("<svg"), "{inline}");
    }
}
