//! Dates as these outlets print them (`Jan. 1, 2026`, `Sept. 9, 2025`,
//! `September 9, 2025`, `Sep 9, 2025`) and as dumps store them (ISO 8601).

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc, Weekday};

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
