//! The text-page format of the seed: masthead line(s) (`Rodong Sinmun`,
//! `로동신문`), a dateline (`Jan. 1, 2026 Thursday [Photo]`,
//! `주체115(2026)년 1월 1일 목요일 [사진]`; read by
//! `tealeaf_model::dates`), a headline, paragraphs separated by blank
//! lines, and an optional trailing gallery counter (`1 / 11`: photo 1 of
//! 11, not body text).
//!
//! The parser is strict where guessing would be wrong: a file without a
//! known masthead or without a dateline is rejected with the reason and the
//! line, never read as an article.

use crate::ReadError;
use tealeaf_model::dates::{dateline_warnings, parse_dateline};
use tealeaf_model::text::trim_all;
use tealeaf_model::{CaptureRecord, Media, Outlet, SourceRef};

/// `1 / 11` → `Some(11)`: the gallery counter after the last paragraph.
fn gallery_total(line: &str) -> Option<u32> {
    let (a, b) = trim_all(line).split_once('/')?;
    let shown: u32 = trim_all(a).parse().ok()?;
    let total: u32 = trim_all(b).parse().ok()?;
    (shown >= 1 && shown <= total).then_some(total)
}

/// Parses one text page. `source` names the file in messages; `outlet`
/// is `--outlet`, checked against the masthead when both are present.
pub fn parse_page(
    source: &str,
    text: &str,
    outlet: Option<&str>,
) -> Result<CaptureRecord, ReadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // `lines()` handles LF and CRLF; a lone CR (old Mac files) is folded too.
    let normalized;
    let text = if text.contains('\r') && !text.contains('\n') {
        normalized = text.replace('\r', "\n");
        normalized.as_str()
    } else {
        text
    };
    let lines: Vec<&str> = text.lines().collect();
    let err = |line: usize, msg: String| ReadError::new(source, line as u64 + 1, msg);
    let mut warnings = Vec::new();

    let next_nonblank = |from: usize| (from..lines.len()).find(|&j| !trim_all(lines[j]).is_empty());

    // Masthead: one or more lines naming a known outlet.
    let first = next_nonblank(0).ok_or_else(|| err(0, "empty file: not a text page".into()))?;
    let mut i = first;
    let mut masthead: Option<&'static Outlet> = None;
    while let Some(j) = next_nonblank(i) {
        match Outlet::by_masthead(lines[j]) {
            Some(o) => {
                masthead.get_or_insert(o);
                i = j + 1;
            }
            None => break,
        }
    }
    let masthead = masthead.ok_or_else(|| {
        err(
            first,
            format!(
                "not a text page: expected a masthead line naming the outlet (e.g. `Rodong Sinmun`, `로동신문`, `KCNA`), found `{}`; nor an annotated edition (a `- 1976년 01월 01일` date line, then `해 제` and `원 문`)",
                preview(lines[first])
            ),
        )
    })?;
    if let Some(given) = outlet {
        if !given.eq_ignore_ascii_case(masthead.slug) {
            warnings.push(format!(
                "masthead names `{}` but --outlet is `{given}`; the masthead is kept",
                masthead.slug
            ));
        }
    }

    // Dateline.
    let d = next_nonblank(i)
        .ok_or_else(|| err(i, "not a text page: no dateline after the masthead".into()))?;
    let dateline = parse_dateline(trim_all(lines[d])).ok_or_else(|| {
        err(
            d,
            format!(
                "not a text page: expected a dateline like `Jan. 1, 2026 Thursday [Photo]` or `주체115(2026)년 1월 1일 목요일`, found `{}`",
                preview(lines[d])
            ),
        )
    })?;
    for w in dateline_warnings(&dateline) {
        warnings.push(format!("line {}: {w}", d + 1));
    }

    // Headline.
    let h =
        next_nonblank(d + 1).ok_or_else(|| err(d + 1, "no headline after the dateline".into()))?;
    let title = trim_all(lines[h]).to_string();

    // Body: paragraphs separated by blank lines; a trailing gallery counter
    // is the photo count, not text.
    let mut body_lines: Vec<&str> = lines[h + 1..].to_vec();
    while body_lines.last().is_some_and(|l| trim_all(l).is_empty()) {
        body_lines.pop();
    }
    let mut photo_count = None;
    if let Some(total) = body_lines.last().and_then(|l| gallery_total(l)) {
        photo_count = Some(total);
        body_lines.pop();
    }
    let paragraphs = tealeaf_model::text::split_paragraphs(&body_lines.join("\n"));

    let mut media = dateline.media.clone();
    if photo_count.is_some() && !media.contains(&Media::Photo) {
        media.insert(0, Media::Photo);
    }
    Ok(CaptureRecord {
        origin: SourceRef::line(source, 0),
        id: None,
        outlet: masthead.slug.to_string(),
        url: None,
        // A text page never says its language: it is always detected.
        language: Some(tealeaf_model::text::guess_language(&title, &paragraphs).to_string()),
        published: Some(dateline.date),
        media,
        photo_count,
        title,
        paragraphs,
        byline: None,
        captured_at: None,
        status: None,
        warnings,
        commentary: None,
        language_detected: true,
    })
}

pub(crate) fn preview(line: &str) -> String {
    let t = trim_all(line);
    let mut s: String = t.chars().take(60).collect();
    if t.chars().count() > 60 {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn datelines() {
        let d = parse_dateline("Jan. 1, 2026 Thursday [Photo]").unwrap();
        assert_eq!(d.date, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        assert_eq!(d.weekday.map(|w| w.0), Some(chrono::Weekday::Thu));
        assert_eq!(d.media, vec![Media::Photo]);
        let d = parse_dateline("Sept. 9, 2025 [Video][Photo]").unwrap();
        assert_eq!(d.weekday, None);
        assert_eq!(d.media, vec![Media::Video, Media::Photo]);
        assert!(parse_dateline("Respected Comrade Kim Jong Un Sends").is_none());
        assert!(parse_dateline("Jan. 1, 2026 Thursday [Audio]").is_none());
        assert!(parse_dateline("Jan. 1, 2026 Thursday something").is_none());
    }

    fn korean_page(dateline: &str) -> String {
        format!("로동신문\n{dateline}\n\n신년사\n\n친애하는 동지들!\n\n새해를 맞이합니다.\n")
    }

    #[test]
    fn korean_pages_in_each_dateline_form() {
        let jan1 = NaiveDate::from_ymd_opt(2026, 1, 1);
        for line in [
            "주체115(2026)년 1월 1일 목요일",
            "2026년 1월 1일",
            "2026.1.1.",
            "2026.01.01 목요일 [사진]",
        ] {
            let r = parse_page("p.txt", &korean_page(line), None).unwrap();
            assert_eq!(r.published, jan1, "{line}");
            assert_eq!(r.outlet, "rodong");
            assert_eq!(r.title, "신년사");
            assert_eq!(r.language.as_deref(), Some("ko"));
            assert!(r.language_detected);
            assert!(r.warnings.is_empty(), "{line}: {:?}", r.warnings);
        }
        let r = parse_page("p.txt", &korean_page("2026.01.01 목요일 [사진]"), None).unwrap();
        assert_eq!(r.media, vec![Media::Photo]);
        let kcna = "조선중앙통신사\n2026년 1월 1일 목요일\n\n제목\n\n본문.";
        assert_eq!(parse_page("k.txt", kcna, None).unwrap().outlet, "kcna");
    }

    #[test]
    fn a_wrong_korean_weekday_or_juche_year_warns_and_keeps_the_date() {
        let r = parse_page("p.txt", &korean_page("2026년 1월 1일 금요일"), None).unwrap();
        assert_eq!(r.published, NaiveDate::from_ymd_opt(2026, 1, 1));
        assert_eq!(
            r.warnings,
            vec!["line 2: dateline says 금요일 but 2026-01-01 is a Thursday; the date is kept as printed"]
        );
        let r = parse_page(
            "p.txt",
            &korean_page("주체114(2026)년 1월 1일 목요일"),
            None,
        )
        .unwrap();
        assert_eq!(r.published, NaiveDate::from_ymd_opt(2026, 1, 1));
        assert_eq!(r.warnings.len(), 1);
        assert!(r.warnings[0].contains("Juche 114"), "{:?}", r.warnings);
    }

    #[test]
    fn gallery_counter() {
        assert_eq!(gallery_total("\u{a0} 1 / 11"), Some(11));
        assert_eq!(gallery_total("2/3"), Some(3));
        assert_eq!(gallery_total("12 / 3"), None);
        assert_eq!(gallery_total("1 / 11 photos"), None);
    }
}
