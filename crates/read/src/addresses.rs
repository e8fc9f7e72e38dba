//! Annotated editions in the `해 제` / `원 문` form, as the collection of
//! New Year addresses (1946–2006) is laid out: a title (one or two
//! lines), a date line ending in `- 1976년 01월 01일` (what precedes the
//! dash on that line, `노동신문 사설`, `공동사설`, belongs to the title),
//! then `해 제` ("commentary") and the editor's paragraphs, then `원 문`
//! ("original text") and the text itself. A trailing source line
//! (`『김일성저작집』31권 (...), pp.1~6.`, `☞ 조선중앙통신, 2003.1.1.`) is
//! the editor's too.
//!
//! Owns: telling this form from a text page by its content ([`looks_like`])
//! and reading it into one [`CaptureRecord`], the commentary apart from the
//! text. Must not touch: other text-page forms (`page`), or which article
//! a record is.

use crate::ReadError;
use tealeaf_model::text::{split_paragraphs, trim_all};
use tealeaf_model::{CaptureRecord, SourceRef};

/// The outlet when `--outlet` is not given: the addresses were printed in
/// Rodong Sinmun (a speech by Kim Il Sung, later a joint editorial of
/// Rodong Sinmun and other papers, or Kim Jong Un's speech reprinted).
pub const DEFAULT_OUTLET: &str = "rodong";

/// A heading line: `word` with any spacing between its two syllables
/// (`해 제`, `해  제`, `해제`).
fn is_heading(line: &str, word: [char; 2]) -> bool {
    let mut chars = trim_all(line).chars().filter(|c| !c.is_whitespace());
    chars.next() == Some(word[0]) && chars.next() == Some(word[1]) && chars.next().is_none()
}

fn is_commentary_heading(line: &str) -> bool {
    is_heading(line, ['해', '제'])
}

fn is_text_heading(line: &str) -> bool {
    is_heading(line, ['원', '문'])
}

/// Splits a date line into what precedes the date and the date:
/// `노동신문 사설 - 1966년 01월 01일` → (`노동신문 사설`, 1966-01-01). The
/// date is tried after each dash from the right, so a dash inside the
/// title does not matter.
fn split_date_line(line: &str) -> Option<(&str, chrono::NaiveDate)> {
    let line = trim_all(line);
    line.rmatch_indices('-').find_map(|(at, _)| {
        let printed = tealeaf_model::dates::parse_dateline(&line[at + 1..])?;
        Some((trim_all(&line[..at]), printed.date))
    })
}

/// Whether the second non-blank line looks like a date line (a dash, then
/// a year in Korean: `- 1976년`), and a `원 문` or `해 제` line follows. A
/// file that looks so but does not parse is rejected by [`parse`] with its
/// reason, rather than read as a text page.
pub fn looks_like(text: &str) -> bool {
    let mut nonblank = text.lines().filter(|l| !trim_all(l).is_empty());
    let Some(second) = nonblank.nth(1) else {
        return false;
    };
    let dated = second.match_indices('-').any(|(at, _)| {
        let rest = trim_all(&second[at + 1..]);
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        digits == 4 && trim_all(&rest[digits..]).starts_with('년')
    });
    dated && nonblank.any(|l| is_text_heading(l) || is_commentary_heading(l))
}

/// The last non-blank line when it names where the text was taken from.
fn is_source_line(line: &str) -> bool {
    let t = trim_all(line);
    t.starts_with('『')
        || t.starts_with('☞')
        || (t.contains("저작집") && (t.contains("pp.") || t.contains("페이지")))
}

/// Reads one file in this form. `source` names the file in messages;
/// `outlet` is `--outlet`.
pub fn parse(source: &str, text: &str, outlet: Option<&str>) -> Result<CaptureRecord, ReadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().collect();
    let err = |i: usize, msg: String| ReadError::new(source, i as u64 + 1, msg);
    let nonblank: Vec<usize> = (0..lines.len())
        .filter(|&i| !trim_all(lines[i]).is_empty())
        .collect();
    let (&first, &date_at) = match nonblank.as_slice() {
        [a, b, ..] => (a, b),
        _ => return Err(err(0, "no title and date line".into())),
    };

    let (before_date, published) = split_date_line(lines[date_at]).ok_or_else(|| {
        err(
            date_at,
            format!(
                "expected a date line like `- 1976년 01월 01일`, found `{}`",
                crate::page::preview(lines[date_at])
            ),
        )
    })?;
    let mut title_parts: Vec<&str> = vec![trim_all(lines[first])];
    if !before_date.is_empty() {
        title_parts.push(before_date);
    }
    let title = title_parts.join(" ");

    let text_at = (date_at + 1..lines.len())
        .find(|&i| is_text_heading(lines[i]))
        .ok_or_else(|| {
            err(
                date_at,
                "no `원 문` line after the date line: where the text begins is not marked".into(),
            )
        })?;
    // The commentary, when there is one, is between `해 제` and `원 문`;
    // nothing may stand before `해 제` (or before `원 문` without one), so
    // that no text is put on the wrong side.
    let commentary_at = (date_at + 1..text_at).find(|&i| is_commentary_heading(lines[i]));
    let unmarked_until = commentary_at.unwrap_or(text_at);
    if let Some(stray) = (date_at + 1..unmarked_until).find(|&i| !trim_all(lines[i]).is_empty()) {
        return Err(err(
            stray,
            format!(
                "text before `{}` belongs to neither the commentary nor the text: `{}`",
                if commentary_at.is_some() {
                    "해 제"
                } else {
                    "원 문"
                },
                crate::page::preview(lines[stray])
            ),
        ));
    }
    let mut commentary = match commentary_at {
        Some(h) => split_paragraphs(&lines[h + 1..text_at].join("\n")),
        None => Vec::new(),
    };

    let mut body: Vec<&str> = lines[text_at + 1..].to_vec();
    while body.last().is_some_and(|l| trim_all(l).is_empty()) {
        body.pop();
    }
    if body.last().is_some_and(|l| is_source_line(l)) {
        if let Some(line) = body.pop() {
            commentary.push(trim_all(line).to_string());
        }
    }
    let paragraphs = split_paragraphs(&body.join("\n"));
    if paragraphs.is_empty() {
        return Err(err(text_at, "nothing after `원 문`".into()));
    }
    Ok(record(
        source,
        outlet,
        published,
        title,
        paragraphs,
        (!commentary.is_empty()).then(|| commentary.join("\n\n")),
        Vec::new(),
    ))
}

/// One address as a capture: Korean detected from the text.
fn record(
    source: &str,
    outlet: Option<&str>,
    published: chrono::NaiveDate,
    title: String,
    paragraphs: Vec<String>,
    commentary: Option<String>,
    warnings: Vec<String>,
) -> CaptureRecord {
    let language = tealeaf_model::text::guess_language(&title, &paragraphs).to_string();
    CaptureRecord {
        origin: SourceRef::line(source, 0),
        id: None,
        outlet: outlet.unwrap_or(DEFAULT_OUTLET).to_string(),
        url: None,
        language: Some(language),
        published: Some(published),
        media: Vec::new(),
        photo_count: None,
        title,
        paragraphs,
        byline: None,
        captured_at: None,
        status: None,
        warnings,
        commentary,
        language_detected: true,
    }
}

/// A New Year address whose file marks neither title nor date (the speech
/// alone, or a news agency's copy with its own header lines), read only
/// when asked for (`--format address`): dated from the file's name
/// (`2016.txt` is 2016-01-01, `2016-01-01.txt` that day), titled `신년사`,
/// every line of it kept as text, and a warning saying so.
pub fn parse_bare(
    source: &str,
    text: &str,
    outlet: Option<&str>,
) -> Result<CaptureRecord, ReadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let stem = std::path::Path::new(source)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let published = match stem.len() {
        4 => stem
            .parse::<i32>()
            .ok()
            .and_then(|y| chrono::NaiveDate::from_ymd_opt(y, 1, 1)),
        10 => chrono::NaiveDate::parse_from_str(&stem, "%Y-%m-%d").ok(),
        _ => None,
    }
    .ok_or_else(|| {
        ReadError::new(
            source,
            1,
            format!(
                "not an annotated address (no `- YYYY년 MM월 DD일` line and `원 문`), and the file's name `{stem}` is not a date (YYYY or YYYY-MM-DD) to date it by"
            ),
        )
    })?;
    let mut lines: Vec<&str> = text.lines().collect();
    while lines.last().is_some_and(|l| trim_all(l).is_empty()) {
        lines.pop();
    }
    let mut commentary = None;
    if lines.last().is_some_and(|l| is_source_line(l)) {
        commentary = lines.pop().map(|l| trim_all(l).to_string());
    }
    let paragraphs = split_paragraphs(&lines.join("\n"));
    if paragraphs.is_empty() {
        return Err(ReadError::new(source, 1, "empty file: no text"));
    }
    let warning = format!(
        "the file marks no title or date: dated {published} from its name, titled `{BARE_TITLE}`, every line kept as text"
    );
    Ok(record(
        source,
        outlet,
        published,
        BARE_TITLE.to_string(),
        paragraphs,
        commentary,
        vec![warning],
    ))
}

/// The title of an address whose file gives none: "New Year address".
const BARE_TITLE: &str = "신년사";

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    const SAMPLE: &str = "신년사 \n  \n\n- 1976년 01월 01일 \n해 제\n\n첫 해제 문단.\n둘째 줄.\n\n원 문\n\n동지들!\n\n올해는 승리의 해입니다.\n\n『김일성저작집』31권 (평양:조선로동당출판사, 1985), pp.1~6.\n\n \n";

    #[test]
    fn commentary_apart_from_the_text() {
        assert!(looks_like(SAMPLE));
        let r = parse("1976.txt", SAMPLE, None).unwrap();
        assert_eq!(r.title, "신년사");
        assert_eq!(r.published, NaiveDate::from_ymd_opt(1976, 1, 1));
        assert_eq!(r.paragraphs, vec!["동지들!", "올해는 승리의 해입니다."]);
        assert_eq!(
            r.commentary.as_deref(),
            Some("첫 해제 문단. 둘째 줄.\n\n『김일성저작집』31권 (평양:조선로동당출판사, 1985), pp.1~6.")
        );
        assert_eq!(r.outlet, "rodong");
        assert_eq!(r.language.as_deref(), Some("ko"));
        assert!(r.language_detected);
        assert_eq!(parse("x", SAMPLE, Some("kcna")).unwrap().outlet, "kcna");
    }

    #[test]
    fn variations_of_the_corpus() {
        // A subtitle before the dash, a heading spaced out, CRLF, no commentary.
        let text = "새로운 승리에로 부르는 1966년 \r\n\r\n노동신문 사설 - 1966년 01월 01일 \r\n원  문\r\n\r\n본문.\r\n";
        assert!(looks_like(text));
        let r = parse("1966.txt", text, None).unwrap();
        assert_eq!(r.title, "새로운 승리에로 부르는 1966년 노동신문 사설");
        assert_eq!(r.published, NaiveDate::from_ymd_opt(1966, 1, 1));
        assert_eq!(r.commentary, None);
        assert_eq!(r.paragraphs, vec!["본문."]);
        // A dash in the title.
        let text = "\u{feff}김일성-김정일주의 - 2013.1.1.\n해 제\n풀이.\n원 문\n본문.";
        let r = parse("x", &format!("제목\n{text}"), None).unwrap();
        assert_eq!(r.title, "제목 김일성-김정일주의");
        assert_eq!(r.published, NaiveDate::from_ymd_opt(2013, 1, 1));
    }

    #[test]
    fn malformed_files_name_the_line() {
        let no_text = "신년사\n- 1976년 01월 01일\n해 제\n풀이.\n";
        assert!(looks_like(no_text));
        let e = parse("a.txt", no_text, None).unwrap_err();
        assert_eq!(e.origin.line, 2);
        assert!(e.message.contains("원 문"), "{e}");
        let bad_date = "신년사\n- 1976년 13월 01일\n원 문\n본문.";
        assert!(looks_like(bad_date));
        let e = parse("a.txt", bad_date, None).unwrap_err();
        assert_eq!((e.origin.line, e.message.contains("date line")), (2, true));
        let stray = "신년사\n- 1976년 01월 01일\n무엇?\n해 제\n풀이.\n원 문\n본문.";
        assert_eq!(parse("a.txt", stray, None).unwrap_err().origin.line, 3);
        let empty = "신년사\n- 1976년 01월 01일\n원 문\n\n";
        assert_eq!(parse("a.txt", empty, None).unwrap_err().origin.line, 3);
        // Text pages and free text are not this form.
        assert!(!looks_like(
            "로동신문\n2026년 1월 1일 목요일\n\n제목\n\n본문"
        ));
        assert!(!looks_like("북한 신년사<전문>  2005/01/01 08:17송고\n본문"));
        assert!(!looks_like(""));
    }
}
