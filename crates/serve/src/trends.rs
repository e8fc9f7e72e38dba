//! `/trends?terms=…`: how often terms (people, countries or any words) come
//! up over time: a form, the chart as inline SVG drawn by
//! `tealeaf_query::chart`, and a table of the numbers.

use axum::extract::{Query, State};
use axum::response::Response;
use maud::{html, Markup, PreEscaped};
use serde::Serialize;
use tealeaf_model::Period;
use tealeaf_query::chart::{self, ChartError};
use tealeaf_query::trend::{self, Series};

use crate::page::{Page, Want};
use crate::{AppError, AppState};

/// Terms compared at once: the chart has six colours.
const MAX_TERMS: usize = 6;
const MAX_TERM: usize = 200;

#[derive(Debug, Clone, Serialize)]
pub struct TrendParams {
    pub terms: Vec<String>,
    /// day, week, month or year.
    pub by: String,
    pub outlet: Option<String>,
    pub per_1000: bool,
}

impl TrendParams {
    pub fn parse(pairs: &[(String, String)]) -> Result<TrendParams, AppError> {
        let mut p = TrendParams {
            terms: Vec::new(),
            by: "month".into(),
            outlet: None,
            per_1000: false,
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
        Ok(p)
    }

    fn by(&self) -> Period {
        Period::parse(&self.by).unwrap_or(Period::Month)
    }
}

#[derive(Serialize)]
pub struct TrendsPage {
    pub params: TrendParams,
    /// One series per term, as `tealeaf trend --json` gives them.
    pub series: Vec<Series>,
    /// Why there is no chart (e.g. no font on the server), if there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chart_error: Option<String>,
    #[serde(skip)]
    chart: Option<String>,
    #[serde(skip)]
    outlets: Vec<String>,
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
            let mut page = TrendsPage {
                series: Vec::new(),
                chart_error: None,
                chart: None,
                outlets,
                params,
            };
            let p = &page.params;
            if p.terms.is_empty() {
                return Ok(page);
            }
            page.series = trend::trend(
                db.archive,
                db.index,
                &p.terms,
                p.by(),
                p.outlet.as_deref(),
                p.per_1000,
            )?;
            // Drawing is the costly part: only the HTML page shows it.
            if html && page.series.iter().any(|s| !s.points.is_empty()) {
                let labelled = safe_labels(&page.series);
                match chart::svg(&labelled, p.by(), p.per_1000, p.outlet.as_deref()) {
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
                    @if let Some(svg) = &self.chart {
                        // Drawn by our own code from numbers; its labels are
                        // cleaned by `safe_labels` and escaped by plotters.
                        figure.chart.wide { (PreEscaped(svg)) }
                    } @else if let Some(e) = &self.chart_error {
                        p.muted { "No chart: " (e) }
                    } @else {
                        p.muted { "Nothing to draw: no article matches." }
                    }
                }
                section aria-labelledby="numbers-h" {
                    h2 #numbers-h { "The numbers" }
                    ul {
                        @for s in &self.series {
                            li {
                                strong { (s.term) }
                                @if s.matched_as == "text" { " — searched as words" }
                                @else { " — the " (s.matched_as) " " (s.name) }
                            }
                        }
                    }
                    @if let Some(first) = self.series.first() {
                        div.table-wrap { table {
                            thead { tr {
                                th scope="col" { (p.by) }
                                @for s in &self.series { th scope="col" { (s.term) } }
                            } }
                            tbody {
                                @for (i, pt) in first.points.iter().enumerate() {
                                    tr {
                                        td { (pt.period) }
                                        @for s in &self.series {
                                            td {
                                                @if let Some(x) = s.points.get(i) {
                                                    @if p.per_1000 {
                                                        (format!("{:.1}", x.articles_per_1000.unwrap_or(0.0)))
                                                    } @else { (x.articles) }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        } }
                        p.muted { @if p.per_1000 { "Articles mentioning the term per 1,000 articles of the period." } @else { "Articles mentioning the term." } }
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
