//! Trends: how often a term or an entity appears, period by period.
//!
//! A term that names an analysed entity (a person, country, organization
//! or place, matched case-insensitively against canonical names) is counted
//! from the stored mentions; anything else is a full-text query, whose
//! articles come from the index and whose mentions are the occurrences of
//! its words (quotes and operators aside) in the matching articles' text.
//!
//! Counts are taken per day and then grouped ([`shape`]): that is where
//! `from`/`to` cut, where the default range leaves out outlying dates
//! (one article dated 1970 among 2011's must not stretch a chart over
//! forty years: [`bulk_range`]), and where a `by` that would give more
//! periods than asked for is coarsened.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use tealeaf_archive::ArchiveReader;
use tealeaf_index::{SearchIndex, SearchRequest};
use tealeaf_model::Period;

use crate::Result;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Point {
    pub period: String,
    pub articles: i64,
    pub mentions: i64,
    /// Articles per 1,000 articles of the outlet(s) in the period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub articles_per_1000: Option<f64>,
    /// Mentions per 1,000 articles of the outlet(s) in the period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mentions_per_1000: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Series {
    /// As the user wrote it.
    pub term: String,
    /// `person`, `country`, `organization`, `place`, or `text`.
    pub matched_as: String,
    /// The canonical name (entities) or the query (text).
    pub name: String,
    pub points: Vec<Point>,
}

/// Share of the dated articles that the default range may leave out at
/// each end, and how far (in days at least, and as a share of the rest's
/// span) they must lie from the rest: see [`bulk_range`].
const OUTLIER_SHARE: f64 = 0.05;
const OUTLIER_MIN_GAP_DAYS: i64 = 62;

/// How a trend is counted and cut.
#[derive(Debug, Clone)]
pub struct Options {
    pub by: Period,
    pub outlet: Option<String>,
    pub per_1000: bool,
    /// Only articles published on or after this day ...
    pub from: Option<NaiveDate>,
    /// ... and on or before this one.
    pub to: Option<NaiveDate>,
    /// Leave outlying dates out of the range shown, on each side that
    /// `from`/`to` leave open ([`bulk_range`]).
    pub trim: bool,
    /// Most periods: a `by` that would give more over the range is
    /// coarsened (day → week → month → year). `None`: no bound.
    pub max_periods: Option<usize>,
}

impl Options {
    /// Everything, by `by`: what `tealeaf trend` counts.
    pub fn all(by: Period, outlet: Option<&str>, per_1000: bool) -> Options {
        Options {
            by,
            outlet: outlet.map(str::to_string),
            per_1000,
            from: None,
            to: None,
            trim: false,
            max_periods: None,
        }
    }
}

/// Dates, both ends included.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct DateRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Dated articles that the default range left out.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Outside {
    /// Articles (summed over the terms) outside the range shown.
    pub articles: i64,
    pub mentions: i64,
    /// The first and last dated article of all (within `from`/`to`).
    pub all: DateRange,
}

/// Series cut to a range of dates and grouped by a period.
#[derive(Debug, Clone, Serialize)]
pub struct Trend {
    pub series: Vec<Series>,
    /// The period counted by: coarser than asked when the range held more
    /// periods than allowed.
    pub by: Period,
    /// What was asked, when `by` was coarsened.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coarsened_from: Option<Period>,
    /// The dates counted (whole periods, or cut by `from`/`to`); `None`
    /// when no dated article matches.
    pub range: Option<DateRange>,
    /// What the default range left out, if anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outside: Option<Outside>,
}

/// One term's counts per day: articles and mentions.
#[derive(Debug, Clone)]
pub struct Daily {
    pub term: String,
    pub matched_as: String,
    pub name: String,
    pub days: BTreeMap<NaiveDate, (i64, i64)>,
}

/// Computes one series per term. Periods without any hit are filled with
/// zeros, from the first period any of the terms appears in to the last.
pub fn trend(
    archive: &ArchiveReader,
    index: &SearchIndex,
    terms: &[String],
    by: Period,
    outlet: Option<&str>,
    per_1000: bool,
) -> Result<Vec<Series>> {
    Ok(trend_with(archive, index, terms, &Options::all(by, outlet, per_1000))?.series)
}

/// One series per term, counted and cut as `opts` says.
pub fn trend_with(
    archive: &ArchiveReader,
    index: &SearchIndex,
    terms: &[String],
    opts: &Options,
) -> Result<Trend> {
    let outlet = opts.outlet.as_deref();
    let mut daily = Vec::new();
    for term in terms {
        let entity = archive.entity_names(term.trim(), None)?.into_iter().next();
        let (matched_as, name, counts): (String, String, BTreeMap<String, (i64, i64)>) =
            match entity {
                Some((name, kind, _)) => {
                    let rows = archive.entity_trend(kind, &name, Period::Day, outlet)?;
                    (
                        kind.as_str().to_string(),
                        name,
                        rows.into_iter()
                            .map(|p| (p.period, (p.articles, p.mentions)))
                            .collect(),
                    )
                }
                None => (
                    "text".into(),
                    term.clone(),
                    text_counts(archive, index, term, Period::Day, outlet)?,
                ),
            };
        daily.push(Daily {
            term: term.clone(),
            matched_as,
            name,
            days: by_day(counts),
        });
    }
    let totals = if opts.per_1000 {
        Some(by_day(archive.articles_per_period(Period::Day, outlet)?))
    } else {
        None
    };
    Ok(shape(&daily, totals.as_ref(), opts))
}

/// Day labels (`YYYY-MM-DD`) to dates; a label that is no date is left
/// out, like an undated article.
pub fn by_day<V: Copy>(counts: impl IntoIterator<Item = (String, V)>) -> BTreeMap<NaiveDate, V> {
    counts
        .into_iter()
        .filter_map(|(label, v)| Some((Period::Day.start(&label)?, v)))
        .collect()
}

/// Cuts and groups daily counts: only days within `from`/`to`; with
/// `trim`, the open sides narrowed to the bulk of the articles
/// ([`bulk_range`]); `by` coarsened while the range holds more than
/// `max_periods` periods; then one point per period from the first period
/// with a hit to the last, gaps as zeros. `totals` (articles per day) give
/// the per-1,000 rates.
pub fn shape(daily: &[Daily], totals: Option<&BTreeMap<NaiveDate, i64>>, opts: &Options) -> Trend {
    let within =
        |d: &NaiveDate| opts.from.is_none_or(|f| *d >= f) && opts.to.is_none_or(|t| *d <= t);
    // Articles per day over all terms.
    let mut weight: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    for s in daily {
        for (d, (articles, _)) in s.days.iter().filter(|(d, _)| within(d)) {
            *weight.entry(*d).or_default() += (*articles).max(1);
        }
    }
    let empty = |by| Trend {
        series: daily
            .iter()
            .map(|s| Series {
                term: s.term.clone(),
                matched_as: s.matched_as.clone(),
                name: s.name.clone(),
                points: Vec::new(),
            })
            .collect(),
        by,
        coarsened_from: None,
        range: None,
        outside: None,
    };
    let (Some(&first), Some(&last)) = (weight.keys().next(), weight.keys().next_back()) else {
        return empty(opts.by);
    };
    let (mut lo, mut hi) = (first, last);
    if opts.trim {
        let days: Vec<(NaiveDate, i64)> = weight.iter().map(|(d, w)| (*d, *w)).collect();
        let bulk = bulk_range(&days);
        if opts.from.is_none() {
            lo = bulk.from;
        }
        if opts.to.is_none() {
            hi = bulk.to;
        }
    }
    let mut by = opts.by;
    let mut narrowed = false;
    if let Some(max) = opts.max_periods {
        let max = max.max(1);
        while periods_between(by, lo, hi) > max as i64 {
            match coarser(by) {
                Some(c) => by = c,
                None => {
                    // Years still too many (dates centuries apart): the
                    // latest `max` years, the rest outside.
                    let keep_from = NaiveDate::from_ymd_opt(hi.year() - max as i32 + 1, 1, 1);
                    lo = weight
                        .range(keep_from.unwrap_or(lo).max(lo)..)
                        .next()
                        .map_or(hi, |(d, _)| *d);
                    narrowed = true;
                    break;
                }
            }
        }
    }
    // Whole periods on the open sides, the asked dates on the others.
    let range = DateRange {
        from: match opts.from {
            Some(f) if !narrowed => f,
            f => f.map_or(period_start(by, lo), |f| f.max(period_start(by, lo))),
        },
        to: opts.to.unwrap_or_else(|| period_end(by, hi)),
    };
    let kept = |d: &NaiveDate| *d >= range.from && *d <= range.to && within(d);
    let (mut out_articles, mut out_mentions) = (0, 0);
    for s in daily {
        for (_, (a, m)) in s.days.iter().filter(|(d, _)| within(d) && !kept(d)) {
            out_articles += a;
            out_mentions += m;
        }
    }
    let outside = (out_articles > 0).then_some(Outside {
        articles: out_articles,
        mentions: out_mentions,
        all: DateRange {
            from: first,
            to: last,
        },
    });
    let (Some(&kept_first), Some(&kept_last)) = (
        weight.range(range.from..=range.to).next().map(|(d, _)| d),
        weight
            .range(range.from..=range.to)
            .next_back()
            .map(|(d, _)| d),
    ) else {
        return Trend {
            outside,
            ..empty(by)
        };
    };
    let span = fill_periods(&[by.label(kept_first), by.label(kept_last)], by);
    let group = |days: &BTreeMap<NaiveDate, (i64, i64)>| {
        let mut per: HashMap<String, (i64, i64)> = HashMap::new();
        for (d, (a, m)) in days.range(range.from..=range.to) {
            let e = per.entry(by.label(*d)).or_default();
            e.0 += a;
            e.1 += m;
        }
        per
    };
    let totals: HashMap<String, i64> = totals
        .map(|t| {
            let mut per: HashMap<String, i64> = HashMap::new();
            for (d, n) in t.range(range.from..=range.to) {
                *per.entry(by.label(*d)).or_default() += n;
            }
            per
        })
        .unwrap_or_default();
    let series = daily
        .iter()
        .map(|s| {
            let counts = group(&s.days);
            let points = span
                .iter()
                .map(|period| {
                    let (articles, mentions) = counts.get(period).copied().unwrap_or((0, 0));
                    let total = totals.get(period).copied().unwrap_or(0);
                    let rate = |n: i64| {
                        opts.per_1000.then(|| {
                            if total > 0 {
                                n as f64 * 1000.0 / total as f64
                            } else {
                                0.0
                            }
                        })
                    };
                    Point {
                        period: period.clone(),
                        articles,
                        mentions,
                        articles_per_1000: rate(articles),
                        mentions_per_1000: rate(mentions),
                    }
                })
                .collect();
            Series {
                term: s.term.clone(),
                matched_as: s.matched_as.clone(),
                name: s.name.clone(),
                points,
            }
        })
        .collect();
    Trend {
        series,
        by,
        coarsened_from: (by != opts.by).then_some(opts.by),
        range: Some(range),
        outside,
    }
}

/// The dates that hold the bulk of `days` (sorted, with their weights):
/// at either end, the longest run of dates that holds at most 5% of the
/// weight and lies further from the rest than half the rest's span (and
/// at least 62 days) is left out. One article dated 1970 among a year of
/// 2011's is left out; a sparse but connected tail is not, nor an end
/// that holds more than a twentieth of the articles.
pub fn bulk_range(days: &[(NaiveDate, i64)]) -> DateRange {
    let (Some(_), Some(&(last, _))) = (days.first(), days.last()) else {
        let d = NaiveDate::default();
        return DateRange { from: d, to: d };
    };
    let total: i64 = days.iter().map(|d| d.1.max(0)).sum();
    let limit = total as f64 * OUTLIER_SHARE;
    let far = |gap: i64, rest_span: i64| gap > OUTLIER_MIN_GAP_DAYS.max(rest_span / 2);
    // Low end: days[..k] left out when they are light and far.
    let mut lo = 0;
    let mut cum = 0;
    for k in 1..days.len() {
        cum += days[k - 1].1.max(0);
        if cum as f64 > limit {
            break;
        }
        let gap = (days[k].0 - days[k - 1].0).num_days();
        if far(gap, (last - days[k].0).num_days()) {
            lo = k;
        }
    }
    // High end, against what the low end kept.
    let mut hi = days.len() - 1;
    let mut cum = 0;
    for k in (lo + 1..days.len()).rev() {
        cum += days[k].1.max(0);
        if cum as f64 > limit {
            break;
        }
        let gap = (days[k].0 - days[k - 1].0).num_days();
        if far(gap, (days[k - 1].0 - days[lo].0).num_days()) {
            hi = k - 1;
        }
    }
    DateRange {
        from: days[lo].0,
        to: days[hi].0,
    }
}

/// The next coarser period, if any.
fn coarser(by: Period) -> Option<Period> {
    match by {
        Period::Day => Some(Period::Week),
        Period::Week => Some(Period::Month),
        Period::Month => Some(Period::Year),
        Period::Year => None,
    }
}

/// How many periods of `by` from the one holding `lo` to the one holding `hi`.
pub fn periods_between(by: Period, lo: NaiveDate, hi: NaiveDate) -> i64 {
    let months = |d: NaiveDate| d.year() as i64 * 12 + d.month0() as i64;
    match by {
        Period::Day => (hi - lo).num_days() + 1,
        Period::Week => (period_start(by, hi) - period_start(by, lo)).num_days() / 7 + 1,
        Period::Month => months(hi) - months(lo) + 1,
        Period::Year => hi.year() as i64 - lo.year() as i64 + 1,
    }
}

/// The first day of the period holding `d`.
pub fn period_start(by: Period, d: NaiveDate) -> NaiveDate {
    by.start(&by.label(d)).unwrap_or(d)
}

/// The last day of the period holding `d`.
pub fn period_end(by: Period, d: NaiveDate) -> NaiveDate {
    by.next(period_start(by, d))
        .and_then(|n| n.pred_opt())
        .unwrap_or(d)
}

/// The days of the period `label`, within `range` (what a link to the
/// period's articles searches).
pub fn period_dates(by: Period, label: &str, range: Option<DateRange>) -> Option<DateRange> {
    let start = by.start(label)?;
    let mut r = DateRange {
        from: start,
        to: period_end(by, start),
    };
    if let Some(c) = range {
        r.from = r.from.max(c.from);
        r.to = r.to.min(c.to);
    }
    (r.from <= r.to).then_some(r)
}

/// The CSV columns of [`write_csv`] (those of `tealeaf trend --csv`).
pub const CSV_COLUMNS: [&str; 7] = [
    "term",
    "matched_as",
    "period",
    "articles",
    "mentions",
    "articles_per_1000",
    "mentions_per_1000",
];

/// One row per term and period, terms in order; `cells` says whether a
/// term that starts like a formula is neutralised. Rates have three
/// decimals, empty when not asked for.
pub fn write_csv<W: std::io::Write>(
    w: &mut csv::Writer<W>,
    series: &[Series],
    cells: crate::export::CsvCells,
) -> csv::Result<()> {
    w.write_record(CSV_COLUMNS)?;
    let rate = |v: Option<f64>| v.map(|v| format!("{v:.3}")).unwrap_or_default();
    for s in series {
        for p in &s.points {
            w.write_record([
                &*cells.cell(&s.term),
                &*cells.cell(&s.matched_as),
                p.period.as_str(),
                &p.articles.to_string(),
                &p.mentions.to_string(),
                &rate(p.articles_per_1000),
                &rate(p.mentions_per_1000),
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}

/// Period labels from the first of `periods` to the last, gaps included.
fn fill_periods(periods: &[String], by: Period) -> Vec<String> {
    let (Some(first), Some(last)) = (
        periods.first().and_then(|p| by.start(p)),
        periods.last().and_then(|p| by.start(p)),
    ) else {
        return periods.to_vec();
    };
    let mut out: Vec<String> = Vec::new();
    let mut d = first;
    while d <= last {
        let label = by.label(d);
        if out.last() != Some(&label) {
            out.push(label);
        }
        match by.next(d) {
            Some(n) => d = n,
            None => break,
        }
    }
    out
}

/// Articles and occurrences per period for a full-text query.
fn text_counts(
    archive: &ArchiveReader,
    index: &SearchIndex,
    query: &str,
    by: Period,
    outlet: Option<&str>,
) -> Result<BTreeMap<String, (i64, i64)>> {
    let req = SearchRequest {
        query: query.to_string(),
        outlets: outlet.map(|o| vec![o.to_string()]).unwrap_or_default(),
        limit: usize::MAX / 2,
        ..Default::default()
    };
    let hits = index.search_all(&req)?;
    let ids: Vec<String> = hits.hits.into_iter().map(|h| h.id).collect();
    let plain = query
        .split_whitespace()
        .filter(|w| !matches!(*w, "AND" | "OR" | "NOT"))
        .collect::<Vec<_>>()
        .join(" ");
    let needle: Vec<String> = tealeaf_diff::words(&plain);
    // Korean words are found inside longer words (`인민` in `인민들의`), as
    // the search finds them: their occurrences are counted as strings.
    let korean = plain.chars().any(tealeaf_index::is_bigram_script);
    let needle_text = plain.replace('"', "");
    let mut counts: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    let texts = archive.summaries(&ids)?;
    let mut dates: HashMap<&str, NaiveDate> = HashMap::new();
    for (id, s) in &texts {
        if let Some(d) = s
            .published
            .as_deref()
            .and_then(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").ok())
        {
            dates.insert(id.as_str(), d);
        }
    }
    for id in &ids {
        let (Some(d), Some(s)) = (dates.get(id.as_str()), texts.get(id)) else {
            continue;
        };
        let entry = counts.entry(by.label(*d)).or_default();
        entry.0 += 1;
        let mut n = 0;
        for text in std::iter::once(&s.title).chain(s.paragraphs.iter()) {
            if korean {
                let spaced = text.split_whitespace().collect::<Vec<_>>().join(" ");
                n += spaced.matches(needle_text.as_str()).count() as i64;
                continue;
            }
            let words = tealeaf_diff::words(text);
            if !needle.is_empty() && words.len() >= needle.len() {
                n += words
                    .windows(needle.len())
                    .filter(|w| *w == needle.as_slice())
                    .count() as i64;
            }
        }
        entry.1 += n.max(1);
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
    }

    /// One article a day on each of `days`.
    fn daily(days: &[NaiveDate]) -> Daily {
        let mut m = BTreeMap::new();
        for day in days {
            let e: &mut (i64, i64) = m.entry(*day).or_default();
            e.0 += 1;
            e.1 += 2;
        }
        Daily {
            term: "t".into(),
            matched_as: "person".into(),
            name: "T".into(),
            days: m,
        }
    }

    fn year_2011(every: i64) -> Vec<NaiveDate> {
        (0..365)
            .step_by(every as usize)
            .map(|i| d("2011-01-01") + chrono::Duration::days(i))
            .collect()
    }

    fn opts(by: Period) -> Options {
        Options {
            by,
            outlet: None,
            per_1000: false,
            from: None,
            to: None,
            trim: true,
            max_periods: Some(1_500),
        }
    }

    #[test]
    fn one_outlying_date_does_not_stretch_the_range() {
        // 29 articles over 2011 and one dated 1970 (3%).
        let mut days = year_2011(13);
        assert_eq!(days.len(), 29);
        days.push(d("1970-01-01"));
        let t = shape(&[daily(&days)], None, &opts(Period::Month));
        let r = t.range.expect("a range");
        assert_eq!((r.from, r.to), (d("2011-01-01"), d("2011-12-31")));
        let points = &t.series[0].points;
        assert_eq!(points.len(), 12);
        assert_eq!(points.iter().map(|p| p.articles).sum::<i64>(), 29);
        let out = t.outside.expect("the 1970 article is outside");
        assert_eq!((out.articles, out.mentions), (1, 2));
        assert_eq!(
            (out.all.from, out.all.to),
            (d("1970-01-01"), d("2011-12-31"))
        );
        // Without trimming (the CLI) everything is counted, 1970 to 2011.
        let all = shape(
            &[daily(&days)],
            None,
            &Options::all(Period::Year, None, false),
        );
        assert_eq!(all.series[0].points.len(), 42);
        assert!(all.outside.is_none());
        assert_eq!(
            all.series[0].points.iter().map(|p| p.articles).sum::<i64>(),
            30
        );
    }

    #[test]
    fn heavy_or_near_ends_are_kept() {
        // 2005 holds half the articles: no outlier.
        let mut days = year_2011(30);
        days.extend((0..13).map(|i| d("2005-01-01") + chrono::Duration::days(i * 20)));
        let t = shape(&[daily(&days)], None, &opts(Period::Year));
        assert!(t.outside.is_none(), "{:?}", t.outside);
        assert_eq!(t.series[0].points.len(), 7);
        // An article a few weeks before the rest is near: kept.
        let mut days = year_2011(3);
        days.push(d("2010-12-10"));
        let t = shape(&[daily(&days)], None, &opts(Period::Month));
        assert!(t.outside.is_none());
        assert_eq!(t.series[0].points[0].period, "2010-12");
        // A far date at the top end goes like one at the bottom.
        let mut days = year_2011(3);
        days.push(d("2030-06-01"));
        let t = shape(&[daily(&days)], None, &opts(Period::Month));
        assert_eq!(t.outside.map(|o| o.articles), Some(1));
        assert_eq!(
            t.series[0].points.last().map(|p| p.period.as_str()),
            Some("2011-12")
        );
    }

    #[test]
    fn from_and_to_cut_and_are_not_trimmed() {
        let mut days = year_2011(1);
        days.push(d("1970-01-01"));
        let mut o = opts(Period::Month);
        o.from = Some(d("1960-01-01"));
        o.to = Some(d("2011-03-15"));
        let t = shape(&[daily(&days)], None, &o);
        // The asked `from` keeps 1970; the year is by month: 1970-01 to 2011-03.
        let p = &t.series[0].points;
        assert_eq!(p.first().map(|p| p.period.as_str()), Some("1970-01"));
        assert_eq!(p.last().map(|p| p.period.as_str()), Some("2011-03"));
        assert_eq!(p.last().map(|p| p.articles), Some(15));
        assert!(t.outside.is_none());
        assert_eq!(t.range.map(|r| r.to), Some(d("2011-03-15")));
        // The link of March stops at the 15th.
        let march = period_dates(t.by, "2011-03", t.range).expect("days");
        assert_eq!((march.from, march.to), (d("2011-03-01"), d("2011-03-15")));
    }

    #[test]
    fn too_many_periods_coarsen() {
        // Every 5th day over 2000-2011: 4,400 days by day.
        let days: Vec<NaiveDate> = (0..880)
            .map(|i| d("2000-01-01") + chrono::Duration::days(i * 5))
            .collect();
        let t = shape(&[daily(&days)], None, &opts(Period::Day));
        assert_eq!(t.by, Period::Week);
        assert_eq!(t.coarsened_from, Some(Period::Day));
        assert!(t.series[0].points.len() <= 1_500);
        assert_eq!(
            t.series[0].points.iter().map(|p| p.articles).sum::<i64>(),
            880
        );
        let mut o = opts(Period::Day);
        o.max_periods = Some(200);
        let t = shape(&[daily(&days)], None, &o);
        assert_eq!(t.by, Period::Month);
        assert_eq!(
            periods_between(Period::Month, d("2000-01-31"), d("2000-03-01")),
            3
        );
        assert_eq!(
            periods_between(Period::Week, d("2026-01-04"), d("2026-01-05")),
            2
        );
    }

    #[test]
    fn rates_use_the_days_counted() {
        let days = year_2011(1);
        let totals: BTreeMap<NaiveDate, i64> = days.iter().map(|d| (*d, 4)).collect();
        let mut o = opts(Period::Month);
        o.per_1000 = true;
        o.from = Some(d("2011-01-10"));
        let t = shape(&[daily(&days)], Some(&totals), &o);
        let jan = &t.series[0].points[0];
        assert_eq!(jan.articles, 22);
        assert_eq!(jan.articles_per_1000, Some(250.0));
    }
}
