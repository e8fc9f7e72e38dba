//! `/person/{name}`: one person as the archive knows them: first and last
//! seen, mentions per month (an SVG bar chart drawn here), titles with the
//! dates they were first seen, places in entourage lists over time, and
//! the people most often mentioned with them.

use axum::extract::{Path, State};
use axum::response::Response;
use maud::{html, Markup};
use serde::Serialize;
use tealeaf_archive::{ArchiveError, PeriodCount, PersonView};

use crate::page::{encode, strip_json, Page, Want};
use crate::search::encode_path;
use crate::{AppError, AppState};

/// Longest name looked up: no canonical name comes near it.
const MAX_NAME: usize = 200;
/// Entourage positions listed (newest last); the JSON twin has them all.
const POSITIONS_SHOWN: usize = 100;

#[derive(Serialize)]
#[serde(transparent)]
pub struct PersonPage {
    /// Exactly `tealeaf person NAME --json`.
    pub person: PersonView,
}

pub async fn handler(
    State(state): State<AppState>,
    want: Want,
    Path(name): Path<String>,
) -> Response {
    let name = strip_json(&name).trim().to_string();
    if name.is_empty() || name.len() > MAX_NAME {
        return want.error(AppError::NotFound("no such person".into()));
    }
    let page = state
        .read(move |db| match db.archive.person(&name) {
            Ok(person) => Ok(PersonPage { person }),
            Err(ArchiveError::NotFound(_)) => Err(AppError::NotFound(format!(
                "no person `{name}` is mentioned in the archive"
            ))),
            Err(e) => Err(e.into()),
        })
        .await;
    want.page(page)
}

impl Page for PersonPage {
    fn title(&self) -> String {
        self.person.name.clone()
    }

    fn body(&self) -> Markup {
        let p = &self.person;
        html! {
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
                h2 #by-month { "Mentions per month" }
                (month_chart(&p.name, &p.by_month))
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
                            td { a href={ "/article/" (encode(&e.id)) } { (crate::page::title_or_id(&e.title, &e.id)) } }
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

/// Months from the first to the last in `counts`, gaps as zeros, so that
/// the bars stand on a real time axis.
fn months(counts: &[PeriodCount]) -> Vec<(String, i64)> {
    let parse = |s: &str| -> Option<(i32, u32)> {
        let (y, m) = s.split_once('-')?;
        Some((y.parse().ok()?, m.parse().ok()?))
    };
    let (Some(first), Some(last)) = (
        counts.first().and_then(|c| parse(&c.period)),
        counts.last().and_then(|c| parse(&c.period)),
    ) else {
        return counts
            .iter()
            .map(|c| (c.period.clone(), c.mentions))
            .collect();
    };
    let mut out = Vec::new();
    let (mut y, mut m) = first;
    // Bounded: 100 years of months at most, whatever the dates say.
    while (y, m) <= last && out.len() < 1200 {
        let period = format!("{y:04}-{m:02}");
        let n = counts
            .iter()
            .find(|c| c.period == period)
            .map_or(0, |c| c.mentions);
        out.push((period, n));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

/// A bar chart of mentions per month as inline SVG (no script, no font
/// needed: the labels are HTML-escaped text in `<text>` elements).
fn month_chart(name: &str, counts: &[PeriodCount]) -> Markup {
    let bars = months(counts);
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let (w, h, left, bottom, top) = (640.0, 200.0, 36.0, 24.0, 12.0);
    let plot_w = w - left - 8.0;
    let plot_h = h - bottom - top;
    let step = plot_w / bars.len().max(1) as f64;
    let bar_w = (step * 0.8).max(1.0);
    html! {
        @if bars.is_empty() {
            p.muted { "No dated mentions." }
        } @else {
            figure.chart {
                svg xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (w) " " (h) } role="img"
                    aria-labelledby="month-chart-title" {
                    title #month-chart-title { "Mentions of " (name) " per month, " (bars[0].0) " to " (bars[bars.len() - 1].0) }
                    line x1=(left) y1=(top + plot_h) x2=(w - 8.0) y2=(top + plot_h) stroke="#555" {}
                    text x=(left - 4.0) y=(top + 8.0) text-anchor="end" font-size="11" fill="#333" { (max) }
                    text x=(left - 4.0) y=(top + plot_h) text-anchor="end" font-size="11" fill="#333" { "0" }
                    @for (i, (period, n)) in bars.iter().enumerate() {
                        @let bh = plot_h * (*n as f64) / (max as f64);
                        rect x=(format!("{:.1}", left + i as f64 * step + (step - bar_w) / 2.0))
                             y=(format!("{:.1}", top + plot_h - bh))
                             width=(format!("{bar_w:.1}")) height=(format!("{bh:.1}")) fill="#8a1c1c" {
                            title { (period) ": " (n) }
                        }
                    }
                    text x=(left) y=(h - 6.0) font-size="11" fill="#333" { (bars[0].0) }
                    text x=(w - 8.0) y=(h - 6.0) text-anchor="end" font-size="11" fill="#333" { (bars[bars.len() - 1].0) }
                }
                figcaption.muted { "Mentions per month; the table below has the numbers." }
            }
            details {
                summary { "The numbers" }
                div.table-wrap { table {
                    thead { tr { th scope="col" { "Month" } th scope="col" { "Articles" } th scope="col" { "Mentions" } } }
                    tbody { @for c in counts { tr { td { (c.period) } td { (c.articles) } td { (c.mentions) } } } }
                } }
            }
        }
    }
}
