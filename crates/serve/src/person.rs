//! `/person/{name}`: one person as the archive knows them: first and last
//! seen, mentions per month (an SVG bar chart drawn here, each bar a link
//! to that month's articles), titles with the dates they were first seen,
//! places in entourage lists over time, and the people most often
//! mentioned with them.
//!
//! The chart takes `from`, `to` and `by` like `/trends` and is cut the
//! same way (`tealeaf_query::trend::shape`): by default to the dates
//! holding the bulk of the mentions, saying how many it left out.

use axum::extract::{Path, Query, RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use maud::{html, Markup};
use serde::Serialize;
use tealeaf_archive::{ArchiveError, EntityKind, PersonView};
use tealeaf_model::Period;
use tealeaf_query::trend::{self, Daily, Options, Trend};

use crate::page::{encode, query_string, strip_json, Page, Want};
use crate::search::encode_path;
use crate::trends::{check_range, date_param, range_notes, search_link, MAX_PERIODS};
use crate::{AppError, AppState};

/// Longest name looked up: no canonical name comes near it.
const MAX_NAME: usize = 200;
/// Entourage positions listed (newest last); the JSON twin has them all.
const POSITIONS_SHOWN: usize = 100;

#[derive(Serialize)]
pub struct PersonPage {
    /// Exactly `tealeaf person NAME --json` ...
    #[serde(flatten)]
    pub person: PersonView,
    /// ... plus the chart as shown: its points (`by`, cut to `range`) and
    /// what the default range left out.
    pub chart: Trend,
    pub chart_params: ChartParams,
    /// The same chart over all dates, when the default range left some out.
    pub show_all: Option<String>,
    #[serde(skip)]
    first_words: crate::page::FirstWords,
    #[serde(skip)]
    analysis_stale: bool,
}

/// `from`, `to` and `by` (day, week, month, year; month by default).
#[derive(Debug, Clone, Serialize)]
pub struct ChartParams {
    pub by: Period,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl ChartParams {
    fn parse(pairs: &[(String, String)]) -> Result<ChartParams, AppError> {
        let mut p = ChartParams {
            by: Period::Month,
            from: None,
            to: None,
        };
        for (k, v) in pairs {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            match k.as_str() {
                "by" => {
                    p.by = Period::parse(v).ok_or_else(|| {
                        AppError::BadRequest(format!(
                            "`by` must be day, week, month or year, not `{v}`"
                        ))
                    })?
                }
                "from" => p.from = Some(date_param(k, v)?),
                "to" => p.to = Some(date_param(k, v)?),
                _ => {}
            }
        }
        check_range(p.from, p.to)?;
        Ok(p)
    }

    fn link(&self, name: &str, from: Option<NaiveDate>, to: Option<NaiveDate>) -> String {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        format!(
            "/person/{}{}",
            encode_path(name),
            query_string(&[
                (
                    "by",
                    if self.by == Period::Month {
                        String::new()
                    } else {
                        self.by.to_string()
                    }
                ),
                ("from", date(from)),
                ("to", date(to)),
            ])
        )
    }
}

/// How many people the page's "Most often with" lists.
const CO_MENTIONED: usize = 20;

pub async fn handler(
    State(state): State<AppState>,
    want: Want,
    Path(name): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
    RawQuery(raw_query): RawQuery,
) -> Response {
    let name = strip_json(&name).trim().to_string();
    if name.is_empty() || name.len() > MAX_NAME {
        return want.error(AppError::NotFound("no such person".into()));
    }
    let params = match ChartParams::parse(&pairs) {
        Ok(p) => p,
        Err(e) => return want.error(e),
    };
    let resolver = state.clone();
    let analysis_stale = state.analysis_stale();
    let page = state
        .read(move |db| {
            let mut person = match db.archive.person(&name) {
                Ok(person) => person,
                Err(ArchiveError::NotFound(_)) => {
                    // Another spelling of someone the archive holds: sent
                    // to their page (a canonical name never resolves to
                    // another, so this cannot loop).
                    if let Some(canonical) = resolver.person_name(&name) {
                        if db.archive.person(&canonical).is_ok() {
                            return Ok(Err(format!(
                                "/person/{}{}{}",
                                encode_path(&canonical),
                                if want == Want::Json { ".json" } else { "" },
                                raw_query.map(|q| format!("?{q}")).unwrap_or_default()
                            )));
                        }
                    }
                    return Err(AppError::NotFound(format!(
                        "no person `{name}` is mentioned in the archive"
                    )));
                }
                Err(e) => return Err(e.into()),
            };
            person.with = db
                .index
                .co_mentioned(&person.name, CO_MENTIONED)?
                .into_iter()
                .map(|f| tealeaf_archive::CoMention {
                    name: f.value,
                    articles: f.count as i64,
                })
                .collect();
            let days =
                db.archive
                    .entity_trend(EntityKind::Person, &person.name, Period::Day, None)?;
            let daily = Daily {
                term: person.name.clone(),
                matched_as: "person".into(),
                name: person.name.clone(),
                days: trend::by_day(
                    days.into_iter()
                        .map(|c| (c.period, (c.articles, c.mentions))),
                ),
            };
            let chart = trend::shape(
                &[daily],
                None,
                &Options {
                    by: params.by,
                    outlet: None,
                    per_1000: false,
                    from: params.from,
                    to: params.to,
                    trim: true,
                    max_periods: Some(MAX_PERIODS),
                },
            );
            let show_all = chart.outside.as_ref().map(|o| {
                params.link(
                    &person.name,
                    Some(params.from.unwrap_or(o.all.from)),
                    Some(params.to.unwrap_or(o.all.to)),
                )
            });
            let first_words = crate::page::FirstWords::of(
                db.archive,
                person
                    .entourage
                    .iter()
                    .rev()
                    .take(POSITIONS_SHOWN)
                    .map(|e| (e.id.as_str(), e.title.as_str())),
            )?;
            Ok(Ok(PersonPage {
                first_words,
                analysis_stale,
                person,
                chart,
                chart_params: params,
                show_all,
            }))
        })
        .await;
    match page {
        Ok(Err(canonical)) => Redirect::permanent(&canonical).into_response(),
        Ok(Ok(page)) => want.page(Ok(page)),
        Err(e) => want.error(e),
    }
}

impl Page for PersonPage {
    fn title(&self) -> String {
        self.person.name.clone()
    }

    fn body(&self) -> Markup {
        let p = &self.person;
        html! {
            @if self.analysis_stale {
                p.note { (crate::page::STALE_ANALYSIS) }
            }
            dl.meta-list {
                dt { "Articles" } dd {
                    a href={ "/search?person=" (encode(&p.name)) } { (p.articles) }
                }
                dt { "Mentions" } dd { (p.mentions) }
                dt { "First seen" } dd { (p.first_seen.as_deref().unwrap_or("undated")) }
                dt { "Last seen" } dd { (p.last_seen.as_deref().unwrap_or("undated")) }
            }
            p { a href={ "/trends?terms=" (encode(&p.name)) } { "Compare on the trends page" } }
            section aria-labelledby="by-month" {
                h2 #by-month { "Mentions per " (self.chart.by) }
                (self.chart_form())
                (range_notes(&self.chart, self.show_all.as_deref()))
                (period_chart(&p.name, &self.chart))
            }
            @if !p.titles.is_empty() {
                section aria-labelledby="titles" {
                    h2 #titles { "Titles" }
                    div.table-wrap { table {
                        thead { tr { th scope="col" { "Title" } th scope="col" { "First seen" } th scope="col" { "Last seen" } th scope="col" { "Articles" } } }
                        tbody { @for t in &p.titles { tr {
                            td { (t.title) }
                            td { (t.first_seen.as_deref().unwrap_or("undated")) }
                            td { (t.last_seen.as_deref().unwrap_or("undated")) }
                            td { (t.articles) }
                        } } }
                    } }
                }
            }
            @if !p.entourage.is_empty() {
                section aria-labelledby="entourage" {
                    h2 #entourage { "Places in name lists" }
                    p.muted { "Where the name stood in ordered lists of officials (1 = first named), by date." }
                    div.table-wrap { table {
                        thead { tr { th scope="col" { "Date" } th scope="col" { "Place" } th scope="col" { "List" } th scope="col" { "Article" } } }
                        tbody { @for e in p.entourage.iter().rev().take(POSITIONS_SHOWN).rev() { tr {
                            td { (e.published.as_deref().unwrap_or("undated")) }
                            td { (e.position) " of " (e.of) }
                            td { (e.list) }
                            td { a href={ "/article/" (encode(&e.id)) } { (crate::page::title_or_id(&e.title, &e.id, &self.first_words)) } }
                        } } }
                    } }
                    @if p.entourage.len() > POSITIONS_SHOWN {
                        p.muted { "The latest " (POSITIONS_SHOWN) " of " (p.entourage.len()) "; all of them in the JSON twin." }
                    }
                }
            }
            @if !p.with.is_empty() {
                section aria-labelledby="with" {
                    h2 #with { "Most often mentioned with" }
                    ul.names {
                        @for w in &p.with {
                            li {
                                a href={ "/person/" (encode_path(&w.name)) } { (w.name) }
                                " " span.muted { (w.articles) @if w.articles == 1 { " article" } @else { " articles" } }
                            }
                        }
                    }
                }
            }
        }
    }
}

impl PersonPage {
    /// `from`, `to` and `by` for the chart, kept in the page's URL.
    fn chart_form(&self) -> Markup {
        let c = &self.chart_params;
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        html! {
            form.search.chart-range action={ "/person/" (encode_path(&self.person.name)) } method="get" {
                div {
                    label for="from" { "From" }
                    input #from type="date" name="from" value=(date(c.from));
                }
                div {
                    label for="to" { "To" }
                    input #to type="date" name="to" value=(date(c.to));
                }
                div {
                    label for="by" { "Per" }
                    select #by name="by" {
                        @for b in Period::ALL {
                            option value=(b) selected[c.by == b] { (b) }
                        }
                    }
                }
                div { label for="go" { "\u{a0}" } button #go type="submit" { "Show" } }
            }
        }
    }
}

/// A bar chart of articles per period as inline SVG (no script, no font
/// needed: the labels are HTML-escaped text in `<text>` elements); each
/// bar with articles is a link to them in the search.
fn period_chart(name: &str, t: &Trend) -> Markup {
    let bars: &[trend::Point] = t.series.first().map_or(&[], |s| s.points.as_slice());
    let max = bars.iter().map(|b| b.articles).max().unwrap_or(0).max(1);
    let (w, h, left, bottom, top) = (640.0, 200.0, 36.0, 24.0, 12.0);
    let plot_w = w - left - 8.0;
    let plot_h = h - bottom - top;
    let step = plot_w / bars.len().max(1) as f64;
    let bar_w = (step * 0.8).max(1.0);
    let series = t.series.first();
    let link = |period: &str| series.and_then(|s| search_link(s, t.by, period, t.range, None));
    html! {
        @if bars.is_empty() {
            p.muted { "No dated mentions" @if t.outside.is_some() { " in this range" } "." }
        } @else {
            figure.chart {
                svg xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (w) " " (h) } role="img"
                    aria-labelledby="month-chart-title" {
                    title #month-chart-title { "Articles mentioning " (name) " per " (t.by) ", " (bars[0].period) " to " (bars[bars.len() - 1].period) }
                    line x1=(left) y1=(top + plot_h) x2=(w - 8.0) y2=(top + plot_h) stroke="#555" {}
                    text x=(left - 4.0) y=(top + 8.0) text-anchor="end" font-size="11" fill="#333" { (max) }
                    text x=(left - 4.0) y=(top + plot_h) text-anchor="end" font-size="11" fill="#333" { "0" }
                    @for (i, b) in bars.iter().enumerate() {
                        @let bh = plot_h * (b.articles as f64) / (max as f64);
                        @let x = left + i as f64 * step;
                        @if let Some(href) = link(&b.period).filter(|_| b.articles > 0) {
                            a href=(href) {
                                // The whole column is the target, not only the
                                // bar (a path: the rects are the bars).
                                path d=(format!("M{x:.1} {top:.1}h{step:.1}v{plot_h:.1}h-{step:.1}z")) fill="#000" fill-opacity="0" {}
                                rect x=(format!("{:.1}", x + (step - bar_w) / 2.0))
                                     y=(format!("{:.1}", top + plot_h - bh))
                                     width=(format!("{bar_w:.1}")) height=(format!("{bh:.1}")) fill="#8a1c1c" {}
                                title { (b.period) ": " (b.articles) @if b.articles == 1 { " article" } @else { " articles" } }
                            }
                        } @else {
                            rect x=(format!("{:.1}", x + (step - bar_w) / 2.0))
                                 y=(format!("{:.1}", top + plot_h - bh))
                                 width=(format!("{bar_w:.1}")) height=(format!("{bh:.1}")) fill="#8a1c1c" {
                                title { (b.period) ": " (b.articles) }
                            }
                        }
                    }
                    text x=(left) y=(h - 6.0) font-size="11" fill="#333" { (bars[0].period) }
                    text x=(w - 8.0) y=(h - 6.0) text-anchor="end" font-size="11" fill="#333" { (bars[bars.len() - 1].period) }
                }
                figcaption.muted { "Articles per " (t.by) "; click a bar to open them. The table below has the numbers." }
            }
            details {
                summary { "The numbers" }
                div.table-wrap { table {
                    thead { tr { th scope="col" { (t.by) } th scope="col" { "Articles" } th scope="col" { "Mentions" } } }
                    tbody { @for b in bars { tr {
                        td { (b.period) }
                        td {
                            @match link(&b.period).filter(|_| b.articles > 0) {
                                Some(href) => a href=(href) { (b.articles) },
                                None => (b.articles),
                            }
                        }
                        td { (b.mentions) }
                    } } }
                } }
            }
        }
    }
}
