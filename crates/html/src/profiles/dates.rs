//! Dates as the profiled sites print them: `Jan. 1, 2026 Thursday [Photo]`,
//! `2026년 2월 19일 목요일`, `2023.3.13.`, `Juche108.12.10.`, and a
//! dateline's month and day whose year comes from the capture time.
//! Full-width digits (`２０２６`) read as digits here; the text keeps them.
//!
//! Must not touch: page text (callers pass strings and keep what is
//! printed), or which element a date is in (the layouts say).

use std::sync::LazyLock;

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc, Weekday};
use regex::Regex;
use tealeaf_model::dates::{month_number, weekday_from_name, weekday_name};
use tealeaf_model::Media;

/// A printed date with what follows it on the dateline.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Printed {
    pub date: NaiveDate,
    /// The weekday printed right after the date, and how it was printed.
    pub weekday: Option<(Weekday, String)>,
    /// `[Photo]`, `[Video]`, `[사진]`... markers, in order, once each.
    pub media: Vec<Media>,
}

/// Full-width forms (`２０２６．２．１９`, U+FF01–U+FF5E) as ASCII. One char
/// stays one char, so a char count into the result is one into the input.
pub(crate) fn ascii_forms(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            c => c,
        })
        .collect()
}

fn re(pattern: &'static str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("regex literal `{pattern}`: {e}"))
}

static JUCHE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)(?:juche|주체)\s*(\d{1,3})\s*\.\s*(\d{1,2})\s*\.\s*(\d{1,2})"));
static KOREAN: LazyLock<Regex> =
    LazyLock::new(|| re(r"(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일"));
static DOTTED: LazyLock<Regex> =
    LazyLock::new(|| re(r"(\d{4})\s*\.\s*(\d{1,2})\s*\.\s*(\d{1,2})\.?"));
static ISO: LazyLock<Regex> = LazyLock::new(|| re(r"(\d{4})-(\d{2})-(\d{2})"));
static ENGLISH: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b([a-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})\b"));
static MARKER: LazyLock<Regex> = LazyLock::new(|| re(r"\[\s*([^\[\]]{1,12}?)\s*\]"));

/// The first date printed in `s` in a form the sites use, and the byte
/// offset where it ends in `ascii_forms(s)`. The Juche year is the
/// Gregorian year less 1911 (Juche 1 is 1912).
pub(crate) fn find_date(s: &str) -> Option<(NaiveDate, String, usize)> {
    let s = ascii_forms(s);
    let num = |c: &regex::Captures, i: usize| -> Option<u32> { c.get(i)?.as_str().parse().ok() };
    if let Some(c) = JUCHE.captures(&s) {
        let year = i32::try_from(num(&c, 1)?).ok()? + 1911;
        let end = c.get(0)?.end();
        return NaiveDate::from_ymd_opt(year, num(&c, 2)?, num(&c, 3)?)
            .map(|d| (d, s.clone(), end));
    }
    for pattern in [&*KOREAN, &*DOTTED, &*ISO] {
        if let Some(c) = pattern.captures(&s) {
            let year = i32::try_from(num(&c, 1)?).ok()?;
            let end = c.get(0)?.end();
            return NaiveDate::from_ymd_opt(year, num(&c, 2)?, num(&c, 3)?)
                .map(|d| (d, s.clone(), end));
        }
    }
    for c in ENGLISH.captures_iter(&s) {
        let Some(month) = c.get(1).and_then(|m| month_number(m.as_str())) else {
            continue;
        };
        let year = i32::try_from(num(&c, 3)?).ok()?;
        let end = c.get(0)?.end();
        return NaiveDate::from_ymd_opt(year, month, num(&c, 2)?).map(|d| (d, s.clone(), end));
    }
    None
}

/// A dateline: a date, then optionally a weekday and media markers
/// (`Jan. 1, 2026 Thursday [Photo]`, `2026년 2월 19일 목요일 [사진]`).
pub(crate) fn parse_dateline(line: &str) -> Option<Printed> {
    let (date, ascii, end) = find_date(line)?;
    let rest = &ascii[end..];
    let weekday = rest
        .split(|c: char| c.is_whitespace() || c == '[')
        .find(|w| !w.is_empty())
        .and_then(|w| weekday_of(w).map(|d| (d, w.to_string())));
    let mut media = Vec::new();
    for c in MARKER.captures_iter(rest) {
        if let Some(m) = c.get(1).and_then(|m| media_of(m.as_str())) {
            if !media.contains(&m) {
                media.push(m);
            }
        }
    }
    Some(Printed {
        date,
        weekday,
        media,
    })
}

/// English or Korean weekday names (`Thursday`, `Thu.`, `목요일`).
pub(crate) fn weekday_of(word: &str) -> Option<Weekday> {
    weekday_from_name(word).or(match word.trim_end_matches([',', '.']) {
        "월요일" => Some(Weekday::Mon),
        "화요일" => Some(Weekday::Tue),
        "수요일" => Some(Weekday::Wed),
        "목요일" => Some(Weekday::Thu),
        "금요일" => Some(Weekday::Fri),
        "토요일" => Some(Weekday::Sat),
        "일요일" => Some(Weekday::Sun),
        _ => None,
    })
}

/// A media marker's word, English or Korean.
fn media_of(word: &str) -> Option<Media> {
    Media::parse(word).or(match word {
        "사진" => Some(Media::Photo),
        "동영상" | "비데오" | "영상" => Some(Media::Video),
        _ => None,
    })
}

/// A warning when the printed weekday is not the date's.
pub(crate) fn weekday_warning(printed: &Printed) -> Option<String> {
    let (day, text) = printed.weekday.as_ref()?;
    (*day != printed.date.weekday()).then(|| {
        format!(
            "dateline says {text} but {} is a {}; the date is kept as printed",
            printed.date,
            weekday_name(printed.date)
        )
    })
}

/// The date of a month and day printed without a year, captured at
/// `captured`: the latest such date not after the capture (a day of slack
/// for Pyongyang's UTC+9), so a December dateline captured in January is
/// the previous year's.
pub(crate) fn date_before_capture(
    month: u32,
    day: u32,
    captured: DateTime<Utc>,
) -> Option<NaiveDate> {
    let latest = captured.date_naive().checked_add_days(Days::new(1))?;
    let year = latest.year();
    // Four years back reaches a 29 February.
    (0..5)
        .find_map(|back| NaiveDate::from_ymd_opt(year - back, month, day).filter(|d| *d <= latest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn printed_forms() {
        let p = parse_dateline("Jan. 1, 2026 Thursday [Photo]").unwrap();
        assert_eq!(p.date, ymd(2026, 1, 1));
        assert_eq!(p.weekday, Some((Weekday::Thu, "Thursday".into())));
        assert_eq!(p.media, vec![Media::Photo]);
        let p = parse_dateline("2026년 2월 19일 목요일 [사진][동영상]").unwrap();
        assert_eq!(p.date, ymd(2026, 2, 19));
        assert_eq!(p.weekday, Some((Weekday::Thu, "목요일".into())));
        assert_eq!(p.media, vec![Media::Photo, Media::Video]);
        let p = parse_dateline("２０２６년 ２월 １９일 목요일").unwrap();
        assert_eq!(p.date, ymd(2026, 2, 19));
        assert_eq!(find_date("2023.3.13.").unwrap().0, ymd(2023, 3, 13));
        assert_eq!(
            find_date("２０２３．３．１３．").unwrap().0,
            ymd(2023, 3, 13)
        );
        assert_eq!(
            find_date("www.kcna.kp (Juche108.12.10.)").unwrap().0,
            ymd(2019, 12, 10)
        );
        assert_eq!(
            find_date("www.kcna.kp (주체108.12.10.)").unwrap().0,
            ymd(2019, 12, 10)
        );
        assert_eq!(find_date("Sept. 9, 2025").unwrap().0, ymd(2025, 9, 9));
        assert_eq!(find_date("Respected Comrade 2025"), None);
        assert_eq!(find_date("2023.2.30."), None);
    }

    #[test]
    fn weekday_contradiction_is_a_warning() {
        let p = parse_dateline("Jan. 1, 2026 Friday").unwrap();
        assert_eq!(
            weekday_warning(&p).as_deref(),
            Some("dateline says Friday but 2026-01-01 is a Thursday; the date is kept as printed")
        );
        assert_eq!(
            weekday_warning(&parse_dateline("Jan. 1, 2026 Thursday").unwrap()),
            None
        );
    }

    #[test]
    fn year_from_capture() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert_eq!(
            date_before_capture(12, 10, at("2026-01-03T05:00:00Z")),
            Some(ymd(2025, 12, 10))
        );
        assert_eq!(
            date_before_capture(12, 10, at("2025-12-11T05:00:00Z")),
            Some(ymd(2025, 12, 10))
        );
        // Pyongyang's 11 December begins on 10 December in UTC.
        assert_eq!(
            date_before_capture(12, 11, at("2025-12-10T20:00:00Z")),
            Some(ymd(2025, 12, 11))
        );
        assert_eq!(
            date_before_capture(2, 29, at("2026-03-01T00:00:00Z")),
            Some(ymd(2024, 2, 29))
        );
        assert_eq!(date_before_capture(2, 30, at("2026-03-01T00:00:00Z")), None);
    }
}
