//! Dates as these outlets print them (`Jan. 1, 2026`, `Sept. 9, 2025`,
//! `September 9, 2025`, `Sep 9, 2025`; in Korean `주체115(2026)년 1월 1일`,
//! `2026년 1월 1일`, `2026.1.1.`, `주체108.1.1.`) and as dumps store them
//! (ISO 8601); datelines (a date, a weekday, `[Photo]`/`[사진]` markers),
//! shared by text pages and the HTML site profiles.

use std::sync::LazyLock;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc, Weekday};
use regex::Regex;

use crate::Media;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a date: `{0}` (expected e.g. `2026-01-01`, `Jan. 1, 2026` or `September 9, 2025`)")]
pub struct DateError(pub String);

/// Month number for an English month name or abbreviation, with or without
/// a trailing period (`Jan.`, `Sept.`, `Sep`, `September`).
pub fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    let m = match w.as_str() {
        "jan" | "january" => 1,
        "feb" | "february" => 2,
        "mar" | "march" => 3,
        "apr" | "april" => 4,
        "may" => 5,
        "jun" | "june" => 6,
        "jul" | "july" => 7,
        "aug" | "august" => 8,
        "sep" | "sept" | "september" => 9,
        "oct" | "october" => 10,
        "nov" | "november" => 11,
        "dec" | "december" => 12,
        _ => return None,
    };
    Some(m)
}

/// Weekday for an English weekday name or common abbreviation.
pub fn weekday_from_name(word: &str) -> Option<Weekday> {
    let w = word.trim_end_matches(['.', ',']).to_ascii_lowercase();
    let d = match w.as_str() {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tues" | "tuesday" => Weekday::Tue,
        "wed" | "wednesday" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    };
    Some(d)
}

pub fn weekday_name(d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// Parses `Month D, YYYY` (month as name or abbreviation, comma optional)
/// from the start of `words`; returns the date and how many words it took.
pub fn parse_month_day_year(words: &[&str]) -> Option<(NaiveDate, usize)> {
    let month = month_number(words.first()?)?;
    let day: u32 = words.get(1)?.trim_end_matches(',').parse().ok()?;
    let year: i32 = words.get(2)?.trim_end_matches([',', '.']).parse().ok()?;
    if !(1000..=9999).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day).map(|d| (d, 3))
}

/// The Juche calendar counts from 1912, Kim Il Sung's birth year:
/// Juche 1 is 1912, so the Gregorian year is the Juche year plus 1911.
pub const JUCHE_OFFSET: i32 = 1911;

/// Full-width forms (`２０２６．２．１９`, U+FF01–U+FF5E) as ASCII. One char
/// stays one char, so a char count into the result is one into the input.
pub fn ascii_forms(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// Weekday for an English or Korean name (`Thursday`, `Thu.`, `목요일`).
pub fn weekday_of(word: &str) -> Option<Weekday> {
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

/// A media marker's word, English or Korean (`Photo`, `사진`, `동영상`).
pub fn media_of(word: &str) -> Option<Media> {
    Media::parse(word).or(match word.trim() {
        "사진" => Some(Media::Photo),
        "동영상" | "비데오" | "영상" => Some(Media::Video),
        _ => None,
    })
}

fn re(pattern: &'static str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("regex literal `{pattern}`: {e}"))
}

// In the order they are tried: a Juche date first, as its Gregorian year
// in parentheses would otherwise be missed (`주체115(2026)년`).
static JUCHE_KOREAN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:juche|주체)\s*(\d{1,3})\s*(?:\(\s*(\d{4})\s*\))?\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일",
    )
});
static JUCHE_DOTTED: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)(?:juche|주체)\s*(\d{1,3})\s*\.\s*(\d{1,2})\s*\.\s*(\d{1,2})\.?"));
static KOREAN: LazyLock<Regex> =
    LazyLock::new(|| re(r"(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일"));
static DOTTED: LazyLock<Regex> =
    LazyLock::new(|| re(r"(\d{4})\s*\.\s*(\d{1,2})\s*\.\s*(\d{1,2})\.?"));
static ISO: LazyLock<Regex> = LazyLock::new(|| re(r"(\d{4})-(\d{2})-(\d{2})"));
static ENGLISH: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b([a-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})\b"));
static MARKER: LazyLock<Regex> = LazyLock::new(|| re(r"\[\s*([^\[\]]{1,12}?)\s*\]"));

/// A date printed in a line.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundDate {
    pub date: NaiveDate,
    /// Where it is, in bytes of the string searched.
    pub start: usize,
    pub end: usize,
    /// A Juche year printed beside a Gregorian year it is not
    /// (`주체114(2026)년`): (Juche year, Gregorian year). The Gregorian
    /// year is the date's.
    pub juche_mismatch: Option<(i32, i32)>,
}

/// Every date form's first match in `s`, in the order the forms are tried.
/// `s` is searched as it is: pass `ascii_forms(line)` to read full-width
/// digits.
fn candidates(s: &str) -> impl Iterator<Item = FoundDate> + '_ {
    let num = |c: &regex::Captures, i: usize| -> Option<u32> { c.get(i)?.as_str().parse().ok() };
    let at = |c: &regex::Captures| c.get(0).map_or((0, 0), |m| (m.start(), m.end()));
    let juche_korean = JUCHE_KOREAN.captures(s).and_then(move |c| {
        let juche = i32::try_from(num(&c, 1)?).ok()?;
        let printed = num(&c, 2).and_then(|y| i32::try_from(y).ok());
        let year = printed.unwrap_or(juche + JUCHE_OFFSET);
        let (start, end) = at(&c);
        Some(FoundDate {
            date: NaiveDate::from_ymd_opt(year, num(&c, 3)?, num(&c, 4)?)?,
            start,
            end,
            juche_mismatch: printed
                .filter(|y| *y != juche + JUCHE_OFFSET)
                .map(|y| (juche, y)),
        })
    });
    let juche_dotted = JUCHE_DOTTED.captures(s).and_then(move |c| {
        let year = i32::try_from(num(&c, 1)?).ok()? + JUCHE_OFFSET;
        let (start, end) = at(&c);
        Some(FoundDate {
            date: NaiveDate::from_ymd_opt(year, num(&c, 2)?, num(&c, 3)?)?,
            start,
            end,
            juche_mismatch: None,
        })
    });
    let numeric = [&*KOREAN, &*DOTTED, &*ISO]
        .into_iter()
        .filter_map(move |p| {
            let c = p.captures(s)?;
            let (start, end) = at(&c);
            Some(FoundDate {
                date: NaiveDate::from_ymd_opt(
                    i32::try_from(num(&c, 1)?).ok()?,
                    num(&c, 2)?,
                    num(&c, 3)?,
                )?,
                start,
                end,
                juche_mismatch: None,
            })
        });
    let english = ENGLISH.captures_iter(s).filter_map(move |c| {
        let month = month_number(c.get(1)?.as_str())?;
        let (start, end) = at(&c);
        Some(FoundDate {
            date: NaiveDate::from_ymd_opt(i32::try_from(num(&c, 3)?).ok()?, month, num(&c, 2)?)?,
            start,
            end,
            juche_mismatch: None,
        })
    });
    juche_korean
        .into_iter()
        .chain(juche_dotted)
        .chain(numeric)
        .chain(english)
}

/// The first date printed in `s` in a form the outlets use (see
/// [`candidates`] for the order); `s` as given (see [`ascii_forms`]).
pub fn find_date(s: &str) -> Option<FoundDate> {
    candidates(s).next()
}

/// A dateline: a date, then optionally a weekday and media markers
/// (`Jan. 1, 2026 Thursday [Photo]`, `주체115(2026)년 1월 1일 목요일 [사진]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Printed {
    pub date: NaiveDate,
    /// The weekday printed right after the date, and how it was printed.
    pub weekday: Option<(Weekday, String)>,
    /// `[Photo]`, `[Video]`, `[사진]`... markers, in order, once each.
    pub media: Vec<Media>,
    /// See [`FoundDate::juche_mismatch`].
    pub juche_mismatch: Option<(i32, i32)>,
}

/// A dateline found inside a line of a page (HTML layouts, where a date
/// may follow other words): the first date, the weekday right after it,
/// and any media markers after it.
pub fn find_dateline(line: &str) -> Option<Printed> {
    let ascii = ascii_forms(line);
    let found = find_date(&ascii)?;
    let rest = &ascii[found.end..];
    let weekday = rest
        .split(|c: char| c.is_whitespace() || c == '[' || c == ',')
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
        date: found.date,
        weekday,
        media,
        juche_mismatch: found.juche_mismatch,
    })
}

/// A line that is a dateline and nothing else (text pages, where the
/// dateline tells the page's shape): a date at its start, then at most a
/// weekday and known media markers. `None` for anything else, so that a
/// headline that starts with a date is not taken for a dateline.
pub fn parse_dateline(line: &str) -> Option<Printed> {
    let ascii = ascii_forms(crate::text::trim_all(line));
    let found = candidates(&ascii).find(|f| f.start == 0)?;
    let rest = ascii[found.end..].trim_start().trim_start_matches(',');
    // Markers may be glued to each other or to the weekday: `목요일[사진][동영상]`.
    let spaced = rest.replace('[', " [").replace(']', "] ");
    let mut words = spaced.split_whitespace().peekable();
    let weekday = match words.peek().and_then(|w| weekday_of(w).map(|d| (d, *w))) {
        Some((d, w)) => {
            words.next();
            Some((d, w.to_string()))
        }
        None => None,
    };
    let mut media = Vec::new();
    for w in words {
        let m = w
            .strip_prefix('[')
            .and_then(|w| w.strip_suffix(']'))
            .and_then(media_of)?;
        if !media.contains(&m) {
            media.push(m);
        }
    }
    Some(Printed {
        date: found.date,
        weekday,
        media,
        juche_mismatch: found.juche_mismatch,
    })
}

/// What a dateline says that its date contradicts: a weekday that is not
/// the date's, a Juche year that is not the Gregorian year's. The date is
/// kept as printed either way (its Gregorian year, when both are printed).
pub fn dateline_warnings(printed: &Printed) -> Vec<String> {
    let mut out = Vec::new();
    if let Some((day, text)) = &printed.weekday {
        if *day != printed.date.weekday() {
            out.push(format!(
                "dateline says {text} but {} is a {}; the date is kept as printed",
                printed.date,
                weekday_name(printed.date)
            ));
        }
    }
    if let Some((juche, year)) = printed.juche_mismatch {
        out.push(format!(
            "dateline says Juche {juche} ({year}) but Juche {juche} is {}; the date is kept as printed, in {year}",
            juche + JUCHE_OFFSET
        ));
    }
    out
}

/// A publication date in any of the forms tealeaf accepts: `2026-01-01`,
/// an ISO date-time (its date is taken), or `Jan. 1, 2026`.
pub fn parse_date(s: &str) -> Result<NaiveDate, DateError> {
    let t = crate::text::trim_all(s);
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(d);
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Ok(dt.date_naive());
    }
    if let Ok(dt) = NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S") {
        return Ok(dt.date());
    }
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y/%m/%d") {
        return Ok(d);
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    match parse_month_day_year(&words) {
        Some((d, n)) if n == words.len() => Ok(d),
        _ => Err(DateError(s.to_string())),
    }
}

/// A capture time: RFC 3339 (`2026-01-02T08:00:00Z`), a naive date-time
/// (taken as UTC) or a bare date (midnight UTC).
pub fn parse_timestamp(s: &str) -> Result<DateTime<Utc>, DateError> {
    let t = crate::text::trim_all(s);
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Ok(dt.with_timezone(&Utc));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(t, fmt) {
            return Ok(dt.and_utc());
        }
    }
    parse_date(t)
        .map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
        .map_err(|_| DateError(s.to_string()))
}

/// Canonical text form of a capture time, sortable as a string.
pub fn format_timestamp(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn korean_datelines_as_the_sites_print_them() {
        let p = parse_dateline("주체115(2026)년 1월 1일 목요일").unwrap();
        assert_eq!(p.date, ymd(2026, 1, 1));
        assert_eq!(p.weekday, Some((Weekday::Thu, "목요일".into())));
        assert_eq!(p.juche_mismatch, None);
        assert!(dateline_warnings(&p).is_empty());
        // Juche alone: the year is counted from 1912.
        assert_eq!(
            parse_dateline("주체115년 1월 1일").unwrap().date,
            ymd(2026, 1, 1)
        );
        assert_eq!(
            parse_dateline("주체108.1.1.").unwrap().date,
            ymd(2019, 1, 1)
        );
        let p = parse_dateline("2026년 1월 1일").unwrap();
        assert_eq!((p.date, p.weekday.clone()), (ymd(2026, 1, 1), None));
        for form in ["2026.1.1.", "2026.01.01", "2026.1.1", "２０２６．１．１．"] {
            assert_eq!(
                parse_dateline(form).unwrap().date,
                ymd(2026, 1, 1),
                "{form}"
            );
        }
        let p = parse_dateline("2026.1.1. 목요일 [사진][동영상]").unwrap();
        assert_eq!(p.weekday.map(|w| w.0), Some(Weekday::Thu));
        assert_eq!(p.media, vec![Media::Photo, Media::Video]);
        let p = parse_dateline("2026년 1월 1일 목요일[사진]").unwrap();
        assert_eq!(p.media, vec![Media::Photo]);
        let p = parse_dateline("２０１９년 １월 １일 화요일 [Photo]").unwrap();
        assert_eq!(p.date, ymd(2019, 1, 1));
        assert_eq!(p.media, vec![Media::Photo]);
        let p = parse_dateline("2026-01-01 Thursday").unwrap();
        assert_eq!(p.weekday.map(|w| w.0), Some(Weekday::Thu));
    }

    #[test]
    fn a_wrong_korean_weekday_or_juche_year_is_a_warning_and_the_date_stays() {
        let p = parse_dateline("2026년 1월 1일 금요일").unwrap();
        assert_eq!(p.date, ymd(2026, 1, 1));
        assert_eq!(
            dateline_warnings(&p),
            vec!["dateline says 금요일 but 2026-01-01 is a Thursday; the date is kept as printed"]
        );
        let p = parse_dateline("2026.1.1. 월요일").unwrap();
        assert_eq!(dateline_warnings(&p).len(), 1);
        let p = parse_dateline("주체114(2026)년 1월 1일 목요일").unwrap();
        assert_eq!(p.date, ymd(2026, 1, 1));
        assert_eq!(p.juche_mismatch, Some((114, 2026)));
        assert_eq!(
            dateline_warnings(&p),
            vec!["dateline says Juche 114 (2026) but Juche 114 is 2025; the date is kept as printed, in 2026"]
        );
    }

    #[test]
    fn only_a_whole_dateline_is_a_dateline() {
        for line in [
            "2026년 1월 1일 새해를 맞이하여",
            "신년사",
            "2026.1.1. 목요일 [음성]",
            "주체115(2026)년",
            "2026년 2월 30일",
            "Respected Comrade Kim Jong Un Sends",
            "Jan. 1, 2026 Thursday something",
            "Jan. 1, 2026 Thursday [Audio]",
        ] {
            assert_eq!(parse_dateline(line), None, "{line}");
        }
        let p = parse_dateline("Jan. 1, 2026, Thursday [Photo]").unwrap();
        assert_eq!(p.weekday.map(|w| w.0), Some(Weekday::Thu));
    }

    #[test]
    fn dates_found_inside_a_line() {
        let f = find_date("www.kcna.kp (주체108.12.10.)").unwrap();
        assert_eq!(f.date, ymd(2019, 12, 10));
        assert_eq!(
            find_date("새해 주체102(2013)년 1월 1일에").unwrap().date,
            ymd(2013, 1, 1)
        );
        let p = find_dateline("발행 주체115(2026)년 1월 1일 목요일 [사진]").unwrap();
        assert_eq!(p.date, ymd(2026, 1, 1));
        assert_eq!(p.weekday.map(|w| w.0), Some(Weekday::Thu));
        assert_eq!(p.media, vec![Media::Photo]);
        assert_eq!(find_date("Respected Comrade 2025"), None);
    }

    #[test]
    fn every_printed_form_of_september_parses() {
        let want = NaiveDate::from_ymd_opt(2025, 9, 9).unwrap();
        for s in [
            "Sept. 9, 2025",
            "September 9, 2025",
            "Sep 9, 2025",
            "Sep. 9 2025",
            "2025-09-09",
        ] {
            assert_eq!(parse_date(s), Ok(want), "{s}");
        }
        assert!(parse_date("Sept. 31, 2025").is_err());
        assert!(parse_date("Jan. 1, 2026 extra").is_err());
        assert!(parse_date("yesterday").is_err());
    }

    #[test]
    fn timestamps_normalize_to_utc() {
        let t = parse_timestamp("2026-01-02T09:00:00+09:00").unwrap();
        assert_eq!(format_timestamp(&t), "2026-01-02T00:00:00Z");
        assert_eq!(
            format_timestamp(&parse_timestamp("2026-01-02").unwrap()),
            "2026-01-02T00:00:00Z"
        );
        assert!(parse_timestamp("soon").is_err());
    }

    #[test]
    fn weekday_names_and_abbreviations() {
        assert_eq!(weekday_from_name("Thursday"), Some(Weekday::Thu));
        assert_eq!(weekday_from_name("Thurs."), Some(Weekday::Thu));
        assert_eq!(weekday_from_name("Photo"), None);
        assert_eq!(
            weekday_name(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()),
            "Thursday"
        );
    }
}
