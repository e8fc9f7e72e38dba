//! Dates as the profiled sites print them: `Jan. 1, 2026 Thursday [Photo]`,
//! `2026년 2월 19일 목요일`, `주체115(2026)년 1월 1일`, `2023.3.13.`,
//! `Juche108.12.10.` (read by `tealeaf_model::dates`, which text pages
//! share), and a dateline's month and day whose year comes from the
//! capture time. Full-width digits (`２０２６`) read as digits here; the
//! text keeps them.
//!
//! Must not touch: page text (callers pass strings and keep what is
//! printed), or which element a date is in (the layouts say).

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
// The forms themselves live in the model, shared with text pages.
pub(crate) use tealeaf_model::dates::{
    ascii_forms, dateline_warnings, find_dateline as parse_dateline,
};

/// The first date printed in `s` in a form the sites use, full-width
/// digits read as digits.
pub(crate) fn find_date(s: &str) -> Option<NaiveDate> {
    tealeaf_model::dates::find_date(&ascii_forms(s)).map(|f| f.date)
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
    use chrono::Weekday;
    use tealeaf_model::Media;

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
        assert_eq!(find_date("2023.3.13.").unwrap(), ymd(2023, 3, 13));
        assert_eq!(find_date("２０２３．３．１３．").unwrap(), ymd(2023, 3, 13));
        assert_eq!(
            find_date("www.kcna.kp (Juche108.12.10.)").unwrap(),
            ymd(2019, 12, 10)
        );
        assert_eq!(
            find_date("www.kcna.kp (주체108.12.10.)").unwrap(),
            ymd(2019, 12, 10)
        );
        assert_eq!(find_date("Sept. 9, 2025").unwrap(), ymd(2025, 9, 9));
        assert_eq!(find_date("Respected Comrade 2025"), None);
        assert_eq!(find_date("2023.2.30."), None);
        // Juche and Gregorian years together, as rodong.rep.kp prints them.
        let p = parse_dateline("주체115(2026)년 1월 1일 목요일 [사진]").unwrap();
        assert_eq!(p.date, ymd(2026, 1, 1));
        assert_eq!(p.weekday, Some((Weekday::Thu, "목요일".into())));
        assert_eq!(p.media, vec![Media::Photo]);
    }

    #[test]
    fn weekday_contradiction_is_a_warning() {
        let p = parse_dateline("Jan. 1, 2026 Friday").unwrap();
        assert_eq!(
            dateline_warnings(&p),
            vec!["dateline says Friday but 2026-01-01 is a Thursday; the date is kept as printed"]
        );
        assert!(dateline_warnings(&parse_dateline("Jan. 1, 2026 Thursday").unwrap()).is_empty());
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
