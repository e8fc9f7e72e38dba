//! JSONL and CSV bulk files, streamed record by record.
//!
//! tealeaf's own capture format is one JSON object a line (or one CSV row)
//! with the fields of [`FIELDS`]; any other shape is read through a
//! [`FieldMap`] (`--map published=date,body=story`). See
//! `docs/capture-format.md` for every field.

use std::collections::BTreeMap;
use std::io::BufRead;

use serde_json::Value;
use tealeaf_model::dates::{parse_date, parse_timestamp};
use tealeaf_model::outlet::valid_slug;
use tealeaf_model::text::{split_paragraphs, trim_all};
use tealeaf_model::{CaptureRecord, Media, SourceRef};

use crate::{Item, ReadError, ReadOptions};

/// The fields of tealeaf's capture format.
pub const FIELDS: &[&str] = &[
    "id",
    "outlet",
    "url",
    "language",
    "published",
    "media",
    "photo_count",
    "title",
    "paragraphs",
    "body",
    "byline",
    "captured_at",
    "status",
    "listing",
    "items",
];

/// Which input column holds which capture-format field. Fields not mapped
/// are read from the column of their own name.
#[derive(Debug, Clone, Default)]
pub struct FieldMap(BTreeMap<String, String>);

impl FieldMap {
    /// Parses `field=column,field=column`.
    pub fn parse(spec: &str) -> Result<FieldMap, String> {
        let mut map = BTreeMap::new();
        for pair in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (field, column) = pair
                .split_once('=')
                .ok_or_else(|| format!("--map: `{pair}` is not field=column"))?;
            let (field, column) = (field.trim(), column.trim());
            if !FIELDS.contains(&field) {
                return Err(format!(
                    "--map: unknown field `{field}` (fields: {})",
                    FIELDS.join(", ")
                ));
            }
            if column.is_empty() {
                return Err(format!("--map: no column given for `{field}`"));
            }
            if let Some(earlier) = map.insert(field.to_string(), column.to_string()) {
                return Err(format!(
                    "--map: `{field}` is given twice (`{earlier}` and `{column}`)"
                ));
            }
        }
        Ok(FieldMap(map))
    }

    /// Merges several `--map` arguments; a field given twice is an error.
    pub fn extend(&mut self, other: FieldMap) -> Result<(), String> {
        for (field, column) in other.0 {
            if let Some(earlier) = self.0.get(&field) {
                return Err(format!(
                    "--map: `{field}` is given twice (`{earlier}` and `{column}`)"
                ));
            }
            self.0.insert(field, column);
        }
        Ok(())
    }

    pub fn column<'a>(&'a self, field: &'a str) -> &'a str {
        self.0.get(field).map(String::as_str).unwrap_or(field)
    }

    /// The (field, column) pairs that name another column than the field.
    pub fn renamed(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .iter()
            .filter(|(f, c)| f != c)
            .map(|(f, c)| (f.as_str(), c.as_str()))
    }
}

/// Records of each file looked at by [`check_mapped_columns`].
pub const MAP_CHECK_RECORDS: usize = 1000;

/// Refuses a `--map` naming a column that no JSONL, CSV or TSV file under
/// `paths` has (a CSV's header; the keys of a JSONL file's first
/// [`MAP_CHECK_RECORDS`] objects), before anything is read into the
/// archive: a typo would otherwise store every record without that field,
/// for good. The message names the column and the columns that exist.
pub fn check_mapped_columns(
    paths: &[std::path::PathBuf],
    opts: &ReadOptions,
) -> Result<(), String> {
    if opts.map.renamed().next().is_none() {
        return Ok(());
    }
    let mut files = Vec::new();
    collect_files(paths, &mut files);
    let mut seen = std::collections::BTreeSet::new();
    let mut tabular = 0;
    for file in &files {
        if let Some(columns) = columns_of(file, opts) {
            tabular += 1;
            seen.extend(columns);
        }
    }
    if tabular == 0 {
        return Ok(());
    }
    for (field, column) in opts.map.renamed() {
        if !seen.contains(column) {
            let existing: Vec<&str> = seen.iter().map(String::as_str).collect();
            return Err(format!(
                "--map {field}={column}: no record has a column `{column}` (looked at the header or first {MAP_CHECK_RECORDS} records of {tabular} file{}); the columns are: {}",
                if tabular == 1 { "" } else { "s" },
                if existing.is_empty() { "(none)".to_string() } else { existing.join(", ") }
            ));
        }
    }
    Ok(())
}

fn collect_files(paths: &[std::path::PathBuf], out: &mut Vec<std::path::PathBuf>) {
    for path in paths {
        if path.is_dir() {
            let Ok(entries) = std::fs::read_dir(path) else {
                continue;
            };
            let mut entries: Vec<_> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|e| {
                    e.file_name()
                        .is_some_and(|n| !n.to_string_lossy().starts_with('.'))
                })
                .collect();
            entries.sort();
            collect_files(&entries, out);
        } else {
            out.push(path.clone());
        }
    }
}

/// A JSONL, CSV or TSV file's column names; `None` for other formats and
/// for files that cannot be read (reading them reports that).
fn columns_of(path: &std::path::Path, opts: &ReadOptions) -> Option<Vec<String>> {
    let format = match opts.format {
        Some(f) => f,
        None => crate::detect_format(path).ok()?,
    };
    let stream = crate::open_stream(path, &crate::ByteCounter::default()).ok()?;
    match format {
        crate::Format::Jsonl => {
            let mut columns = std::collections::BTreeSet::new();
            // Lines as bytes: one bad line (not UTF-8, not JSON) says
            // nothing about the columns of the others.
            for line in stream.split(b'\n').take(MAP_CHECK_RECORDS) {
                let line = line.ok()?;
                let line = line.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&line);
                if let Ok(Value::Object(object)) = serde_json::from_slice::<Value>(line) {
                    columns.extend(object.keys().cloned());
                }
            }
            Some(columns.into_iter().collect())
        }
        crate::Format::Csv | crate::Format::Tsv => {
            let delimiter = if format == crate::Format::Tsv {
                b'\t'
            } else {
                b','
            };
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(delimiter)
                .flexible(true)
                .from_reader(stream);
            let header = reader.headers().ok()?;
            Some(header.iter().map(|h| trim_all(h).to_string()).collect())
        }
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

/// A value of one field as the input gave it.
enum Raw<'a> {
    Json(&'a Value),
    Text(&'a str),
}

/// Turns one input row into an item: a listing capture when it has a
/// `listing` field, otherwise an article capture.
fn build_item<'a>(
    get: impl Fn(&str) -> Option<Raw<'a>>,
    opts: &ReadOptions,
    source: &str,
    line: u64,
) -> Item {
    let listing = match get(opts.map.column("listing")) {
        Some(Raw::Text(s)) if !trim_all(s).is_empty() => Some(trim_all(s).to_string()),
        Some(Raw::Json(Value::String(s))) if !trim_all(s).is_empty() => {
            Some(trim_all(s).to_string())
        }
        _ => None,
    };
    let result = match listing {
        Some(name) => {
            build_listing(&get, opts, source, line, name).map(|l| Item::Listing(Box::new(l)))
        }
        None => build_record(get, opts, source, line).map(|r| Item::Record(Box::new(r))),
    };
    result.unwrap_or_else(Item::Rejected)
}

fn build_listing<'a>(
    get: &impl Fn(&str) -> Option<Raw<'a>>,
    opts: &ReadOptions,
    source: &str,
    line: u64,
    listing: String,
) -> Result<tealeaf_model::ListingRecord, ReadError> {
    let err = |msg: String| ReadError::new(source, line, msg);
    let text = |name: &str| -> Option<String> {
        match get(opts.map.column(name)) {
            Some(Raw::Text(s)) => Some(trim_all(s).to_string()).filter(|s| !s.is_empty()),
            Some(Raw::Json(Value::String(s))) => {
                Some(trim_all(s).to_string()).filter(|s| !s.is_empty())
            }
            _ => None,
        }
    };
    let items: Vec<String> = match get(opts.map.column("items")) {
        Some(Raw::Json(Value::Array(values))) => values
            .iter()
            .map(|v| match v {
                Value::String(s) => Ok(trim_all(s).to_string()),
                other => Err(err(format!(
                    "field `items` should hold article ids, found {}",
                    kind(other)
                ))),
            })
            .collect::<Result<_, _>>()?,
        Some(Raw::Text(s)) => s
            .split([',', ' ', ';'])
            .map(trim_all)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        Some(Raw::Json(Value::String(s))) => s
            .split([',', ' ', ';'])
            .map(trim_all)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        Some(Raw::Json(Value::Null)) | None => {
            return Err(err(
                "a listing capture needs `items` (the article ids it held)".into(),
            ))
        }
        Some(Raw::Json(other)) => {
            return Err(err(format!(
                "field `items` should be a list, found {}",
                kind(other)
            )))
        }
    };
    let outlet = text("outlet")
        .or_else(|| opts.outlet.clone())
        .ok_or_else(|| err("no outlet: give --outlet or an `outlet` field".into()))?
        .to_ascii_lowercase();
    let captured_at = match text("captured_at") {
        Some(s) => Some(parse_timestamp(&s).map_err(|e| err(format!("field `captured_at`: {e}")))?),
        None => None,
    };
    Ok(tealeaf_model::ListingRecord {
        origin: SourceRef::line(source, line),
        listing,
        outlet,
        captured_at,
        items,
    })
}

/// Turns one input row (looked up through `get`) into a capture record.
fn build_record<'a>(
    get: impl Fn(&str) -> Option<Raw<'a>>,
    opts: &ReadOptions,
    source: &str,
    line: u64,
) -> Result<CaptureRecord, ReadError> {
    let err = |msg: String| ReadError::new(source, line, msg);
    let map = &opts.map;
    let field = |name: &'static str| get(map.column(name));
    let text = |name: &'static str| -> Result<Option<String>, ReadError> {
        match field(name) {
            None => Ok(None),
            Some(Raw::Text(s)) => Ok(Some(trim_all(s).to_string()).filter(|s| !s.is_empty())),
            Some(Raw::Json(v)) => match v {
                Value::Null => Ok(None),
                Value::String(s) => Ok(Some(trim_all(s).to_string()).filter(|s| !s.is_empty())),
                Value::Number(n) => Ok(Some(n.to_string())),
                other => Err(err(format!(
                    "field `{name}` (column `{}`) should be text, found {}",
                    map.column(name),
                    kind(other)
                ))),
            },
        }
    };
    let list = |name: &'static str| -> Result<Option<Vec<String>>, ReadError> {
        match field(name) {
            Some(Raw::Json(Value::Array(items))) => items
                .iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s.clone()),
                    other => Err(err(format!(
                        "field `{name}` (column `{}`) should hold text items, found {}",
                        map.column(name),
                        kind(other)
                    ))),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            _ => Ok(None),
        }
    };

    let outlet = match text("outlet")?.or_else(|| opts.outlet.clone()) {
        Some(o) => o.to_ascii_lowercase(),
        None => return Err(err("no outlet: give --outlet or an `outlet` field".into())),
    };
    if !valid_slug(&outlet) {
        return Err(err(format!(
            "outlet `{outlet}` is not a slug (lowercase letters, digits, - and _)"
        )));
    }
    let published = match text("published")? {
        Some(s) => Some(parse_date(&s).map_err(|e| err(format!("field `published`: {e}")))?),
        None => None,
    };
    let captured_at = match text("captured_at")? {
        Some(s) => Some(parse_timestamp(&s).map_err(|e| err(format!("field `captured_at`: {e}")))?),
        None => None,
    };
    let paragraphs = match list("paragraphs")? {
        Some(ps) => ps
            .iter()
            .map(|p| trim_all(p).to_string())
            .filter(|p| !p.is_empty())
            .collect(),
        None => match text("paragraphs")?.or(text("body")?) {
            Some(body) => split_paragraphs(&body),
            None => match list("body")? {
                Some(ps) => ps
                    .iter()
                    .map(|p| trim_all(p).to_string())
                    .filter(|p| !p.is_empty())
                    .collect(),
                None => Vec::new(),
            },
        },
    };
    let media_items = match list("media")? {
        Some(items) => items,
        None => text("media")?
            .map(|s| s.split([',', ' ', ';']).map(str::to_string).collect())
            .unwrap_or_default(),
    };
    let mut media = Vec::new();
    for m in media_items
        .iter()
        .map(|m| trim_all(m))
        .filter(|m| !m.is_empty())
    {
        let parsed = Media::parse(m).ok_or_else(|| {
            err(format!(
                "field `media`: unknown marker `{m}` (photo, video)"
            ))
        })?;
        if !media.contains(&parsed) {
            media.push(parsed);
        }
    }
    let photo_count = match text("photo_count")? {
        Some(s) => Some(
            s.parse::<u32>()
                .map_err(|_| err(format!("field `photo_count`: `{s}` is not a whole number")))?,
        ),
        None => None,
    };
    let status = match text("status")? {
        Some(s) => match s.parse::<u16>() {
            Ok(code @ (200 | 404 | 410)) => Some(code),
            _ => {
                return Err(err(format!(
                    "field `status`: `{s}` is not one of 200, 404, 410"
                )))
            }
        },
        None => None,
    };
    let given = text("language")?.map(|l| l.to_ascii_lowercase());
    let title = text("title")?.unwrap_or_default();
    // A record that does not say its language (no such field or column, or
    // an empty one) gets the one its text is in, marked as detected, so
    // that `--lang` finds it; None when the text is too short to tell.
    let language_detected = given.is_none();
    let language = match given {
        Some(l) => Some(l),
        None => tealeaf_model::text::detect_language(&title, &paragraphs).map(str::to_string),
    };
    let language_detected = language_detected && language.is_some();
    Ok(CaptureRecord {
        origin: SourceRef::line(source, line),
        id: text("id")?,
        outlet,
        url: text("url")?,
        language,
        published,
        media,
        photo_count,
        title,
        paragraphs,
        byline: text("byline")?,
        captured_at,
        status,
        warnings: Vec::new(),
        commentary: None,
        language_detected,
    })
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Streams a JSONL file: one JSON object a line; blank lines are skipped.
pub struct JsonlReader {
    source: String,
    stream: Box<dyn BufRead + Send>,
    opts: ReadOptions,
    line: u64,
    buf: Vec<u8>,
    done: bool,
}

impl JsonlReader {
    pub fn new(source: String, stream: Box<dyn BufRead + Send>, opts: ReadOptions) -> Self {
        JsonlReader {
            source,
            stream,
            opts,
            line: 0,
            buf: Vec::with_capacity(64 * 1024),
            done: false,
        }
    }
}

impl Iterator for JsonlReader {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        while !self.done {
            self.buf.clear();
            match self.stream.read_until(b'\n', &mut self.buf) {
                Ok(0) => self.done = true,
                Ok(_) => {
                    self.line += 1;
                    let bytes = self
                        .buf
                        .strip_prefix(b"\xef\xbb\xbf".as_slice())
                        .unwrap_or(&self.buf);
                    if bytes.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    let rejected = |msg: String| {
                        Some(Item::Rejected(ReadError::new(&self.source, self.line, msg)))
                    };
                    let value: Value = match serde_json::from_slice(bytes) {
                        Ok(v) => v,
                        Err(e) if e.is_syntax() && std::str::from_utf8(bytes).is_err() => {
                            return rejected("not valid UTF-8".into())
                        }
                        Err(e) => return rejected(format!("not a JSON object: {e}")),
                    };
                    let Value::Object(obj) = &value else {
                        return rejected(format!("expected a JSON object, found {}", kind(&value)));
                    };
                    let get = |col: &str| obj.get(col).map(Raw::Json);
                    return Some(build_item(get, &self.opts, &self.source, self.line));
                }
                Err(e) => {
                    // A truncated or corrupt gzip stream: report it once and stop.
                    self.done = true;
                    return Some(Item::Rejected(ReadError::new(
                        &self.source,
                        self.line + 1,
                        format!("read error, the rest of the file is skipped: {e}"),
                    )));
                }
            }
        }
        None
    }
}

/// Streams a CSV (or TSV) file with a header row.
pub struct CsvReader {
    source: String,
    reader: csv::Reader<Box<dyn BufRead + Send>>,
    columns: Vec<String>,
    opts: ReadOptions,
    record: csv::StringRecord,
    done: bool,
}

impl CsvReader {
    pub fn new(
        source: String,
        stream: Box<dyn BufRead + Send>,
        opts: ReadOptions,
        delimiter: u8,
    ) -> Result<Self, ReadError> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .from_reader(stream);
        let columns = reader
            .headers()
            .map_err(|e| ReadError::new(&source, 1, format!("cannot read the header row: {e}")))?
            .iter()
            .map(|h| trim_all(h).to_string())
            .collect();
        Ok(CsvReader {
            source,
            reader,
            columns,
            opts,
            record: csv::StringRecord::new(),
            done: false,
        })
    }
}

impl Iterator for CsvReader {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        if self.done {
            return None;
        }
        match self.reader.read_record(&mut self.record) {
            Ok(false) => {
                self.done = true;
                None
            }
            Ok(true) => {
                let line = self.record.position().map(|p| p.line()).unwrap_or(0);
                if self.record.len() != self.columns.len() {
                    return Some(Item::Rejected(ReadError::new(
                        &self.source,
                        line,
                        format!(
                            "{} fields where the header has {}",
                            self.record.len(),
                            self.columns.len()
                        ),
                    )));
                }
                let record = &self.record;
                let columns = &self.columns;
                let get = |col: &str| {
                    columns
                        .iter()
                        .position(|c| c == col)
                        .and_then(|i| record.get(i))
                        .map(Raw::Text)
                };
                Some(build_item(get, &self.opts, &self.source, line))
            }
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                let fatal = !matches!(e.kind(), csv::ErrorKind::Utf8 { .. });
                if fatal {
                    self.done = true;
                }
                Some(Item::Rejected(ReadError::new(
                    &self.source,
                    line,
                    if fatal {
                        format!("read error, the rest of the file is skipped: {e}")
                    } else {
                        "not valid UTF-8".to_string()
                    },
                )))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_map_parses_and_rejects_unknown_fields() {
        let m = FieldMap::parse("published=date, body=story").unwrap();
        assert_eq!(m.column("published"), "date");
        assert_eq!(m.column("body"), "story");
        assert_eq!(m.column("title"), "title");
        assert!(FieldMap::parse("pubdate=date")
            .unwrap_err()
            .contains("unknown field `pubdate`"));
        assert!(FieldMap::parse("title").is_err());
    }

    #[test]
    fn records_that_do_not_say_their_language_get_the_detected_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("no-language.csv");
        std::fs::write(
            &path,
            "outlet,title,body,language\n\
             kcna,Kim Jong Un Inspects Farm,He was accompanied by senior officials of the party.,\n\
             kcna,Kim Jong Un visita una granja,Lo acompañaron altos funcionarios del partido y del gobierno.,\n\
             kcna,신년사,사랑하는 온 나라 인민들과 인민군장병들! 새해를 맞이하여 인사를 드립니다.,\n\
             kcna,Kim Jong Un,,\n\
             kcna,Kim Jong Un Inspects Farm,He was accompanied by senior officials of the party.,es\n",
        )
        .expect("write");
        let got: Vec<(Option<String>, bool)> = crate::read_file(
            &path,
            &ReadOptions::default(),
            &crate::ByteCounter::default(),
        )
        .expect("opens")
        .map(|item| match item {
            crate::Item::Record(r) => (r.language, r.language_detected),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
        let want = |l: Option<&str>, detected| (l.map(str::to_string), detected);
        assert_eq!(
            got,
            vec![
                want(Some("en"), true),
                want(Some("es"), true),
                want(Some("ko"), true),
                // Too short to tell: no language, and nothing detected.
                want(None, false),
                // A language given is kept, even a wrong one.
                want(Some("es"), false),
            ]
        );
    }
}
