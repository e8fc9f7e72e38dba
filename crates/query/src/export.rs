//! Whole result sets as rows: every hit of a search, in order, with its
//! text, written as CSV, JSONL or Parquet (`tealeaf export` and the
//! server's `/search.csv`, `/search.jsonl`).

use std::borrow::Cow;
use std::io::Write;

use serde::Serialize;
use tealeaf_archive::{ArchiveError, ArchiveReader, ArticleEntities, ArticleEntity};
use tealeaf_index::{Hit, IndexError, SearchIndex, SearchRequest};

pub use crate::parquet_writer::ParquetWriter;

/// Articles fetched from the archive per step of an export.
pub const CHUNK: usize = 256;

/// One exported article (a line of JSONL, a row of CSV).
#[derive(Debug, Clone, Serialize)]
pub struct ExportRow {
    pub id: String,
    pub outlet: String,
    pub published: Option<String>,
    pub language: Option<String>,
    pub title: String,
    pub paragraphs: Vec<String>,
    /// 0 when sorted by date.
    pub score: f32,
    /// `people`, `countries`, `organizations`, as `show --json` gives
    /// them (docs/json.md).
    #[serde(flatten)]
    pub entities: ArticleEntities,
}

impl ExportRow {
    /// The compact text columns of CSV and Parquet: `people`, `countries`,
    /// `organizations` (`Name (count)` joined by `; `) and `person_titles`
    /// (`Name: title|title` joined by `; `, people with titles only).
    pub fn entity_columns(&self) -> [String; 4] {
        let counted = |list: &[ArticleEntity]| {
            list.iter()
                .map(|e| format!("{} ({})", e.name, e.mentions))
                .collect::<Vec<_>>()
                .join("; ")
        };
        let e = &self.entities;
        let titles = e
            .people
            .iter()
            .filter(|p| !p.titles.is_empty())
            .map(|p| format!("{}: {}", p.name, p.titles.join("|")))
            .collect::<Vec<_>>()
            .join("; ");
        [
            counted(&e.people),
            counted(&e.countries),
            counted(&e.organizations),
            titles,
        ]
    }
}

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 11] = [
    "id",
    "outlet",
    "published",
    "language",
    "title",
    "body",
    "score",
    "people",
    "countries",
    "organizations",
    "person_titles",
];

/// Every hit of `req` in its order (`limit`/`offset` ignored).
pub fn all_hits(index: &SearchIndex, req: &SearchRequest) -> Result<Vec<Hit>, IndexError> {
    Ok(index.search_all(req)?.hits)
}

/// The rows of `hits`, in their order (ids no longer in the archive are
/// skipped), each with the entities the article page shows.
pub fn rows(archive: &ArchiveReader, hits: &[Hit]) -> Result<Vec<ExportRow>, ArchiveError> {
    let ids: Vec<String> = hits.iter().map(|h| h.id.clone()).collect();
    let mut summaries = archive.summaries(&ids)?;
    let mut out = Vec::with_capacity(hits.len());
    for h in hits {
        let Some(s) = summaries.remove(&h.id) else {
            continue;
        };
        let entities = archive.entities_of(&s.id)?;
        out.push(ExportRow {
            id: s.id,
            outlet: s.outlet,
            published: s.published,
            language: s.language,
            title: s.title,
            paragraphs: s.paragraphs,
            score: h.score,
            entities,
        });
    }
    Ok(out)
}

/// A CSV writer with the header row written.
pub fn csv_writer<W: Write>(out: W) -> csv::Result<csv::Writer<W>> {
    let mut w = csv_continued(out);
    w.write_record(CSV_COLUMNS)?;
    Ok(w)
}

/// A CSV writer for rows that follow a header written earlier (a stream
/// written a piece at a time).
pub fn csv_continued<W: Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(out)
}

/// How CSV cells are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CsvCells {
    /// A cell a spreadsheet would read as a formula (see [`neutralise`])
    /// gets a leading `'`, so that a title like `=HYPERLINK(…)` opened in
    /// Excel or LibreOffice stays text (OWASP's advice on CSV injection).
    #[default]
    Neutralised,
    /// Every cell exactly as stored, for programs that read the CSV.
    Raw,
}

impl CsvCells {
    /// `cell` as this mode writes it.
    pub fn cell<'a>(self, cell: &'a str) -> Cow<'a, str> {
        match self {
            CsvCells::Neutralised => neutralise(cell),
            CsvCells::Raw => Cow::Borrowed(cell),
        }
    }
}

/// Characters that make a spreadsheet read a cell as a formula when they
/// open it: `=`, `+`, `-`, `@`, and tab and carriage return (which some
/// strip before looking at the next character). OWASP lists these.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `cell` with a `'` before it when it starts with one of [`FORMULA_START`]
/// (a spreadsheet shows the rest as text and hides the quote). Numbers such
/// as `-5` are prefixed too: telling a harmless number from `-2+3+cmd|…`
/// is what the attacks play on, and tealeaf's own numbers (scores) are
/// never negative.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_START) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Paragraphs are joined by a blank line in the `body` column; `cells`
/// says whether formula-like cells are neutralised (the entity columns
/// too: a name is untrusted text).
pub fn write_csv_rows<W: Write>(
    w: &mut csv::Writer<W>,
    rows: &[ExportRow],
    cells: CsvCells,
) -> csv::Result<()> {
    for r in rows {
        let body = r.paragraphs.join("\n\n");
        let score = r.score.to_string();
        let [people, countries, organizations, titles] = r.entity_columns();
        let record = [
            r.id.as_str(),
            r.outlet.as_str(),
            r.published.as_deref().unwrap_or(""),
            r.language.as_deref().unwrap_or(""),
            r.title.as_str(),
            body.as_str(),
            score.as_str(),
            people.as_str(),
            countries.as_str(),
            organizations.as_str(),
            titles.as_str(),
        ];
        for c in record {
            w.write_field(cells.cell(c).as_bytes())?;
        }
        // Ends the record.
        w.write_record(None::<&[u8]>)?;
    }
    Ok(())
}

pub fn write_jsonl_rows<W: Write>(mut out: W, rows: &[ExportRow]) -> std::io::Result<()> {
    for r in rows {
        serde_json::to_writer(&mut out, r)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_prefixed_and_nothing_else_is() {
        for cell in [
            "=1+1",
            "+1",
            "-5",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "=HYPERLINK(\"http://127.0.0.1/x\")",
        ] {
            assert_eq!(neutralise(cell), format!("'{cell}"), "{cell:?}");
            assert_eq!(CsvCells::Raw.cell(cell), cell);
        }
        for cell in ["", "Kim Jong Un", "1.5", " =1", "'=1", "a=b", "2025-12-01"] {
            assert_eq!(neutralise(cell), cell, "{cell:?}");
        }
    }

    #[test]
    fn rows_are_written_neutralised_or_raw() {
        let row = ExportRow {
            id: "-id".into(),
            outlet: "kcna".into(),
            published: Some("2025-12-01".into()),
            language: None,
            title: "=HYPERLINK(\"http://127.0.0.1/x\")".into(),
            paragraphs: vec!["+a".into(), "b".into()],
            score: 1.5,
            entities: ArticleEntities {
                people: vec![ArticleEntity {
                    name: "=Kim Jong Un".into(),
                    kind: tealeaf_archive::EntityKind::Person,
                    mentions: 2,
                    titles: vec!["Marshal".into(), "First Secretary".into()],
                    named_after: None,
                }],
                countries: vec![ArticleEntity {
                    name: "China".into(),
                    kind: tealeaf_archive::EntityKind::Country,
                    mentions: 1,
                    titles: Vec::new(),
                    named_after: None,
                }],
                organizations: Vec::new(),
            },
        };
        let write = |cells| {
            let mut buf = Vec::new();
            {
                let mut w = csv_continued(&mut buf);
                write_csv_rows(&mut w, std::slice::from_ref(&row), cells).expect("write");
                w.flush().expect("flush");
            }
            let mut r = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(buf.as_slice());
            r.records().next().expect("a row").expect("a CSV row")
        };
        let safe = write(CsvCells::Neutralised);
        assert_eq!(&safe[0], "'-id");
        assert_eq!(&safe[4], "'=HYPERLINK(\"http://127.0.0.1/x\")");
        assert_eq!(&safe[5], "'+a\n\nb");
        assert_eq!(&safe[6], "1.5");
        assert_eq!(&safe[7], "'=Kim Jong Un (2)");
        assert_eq!(&safe[8], "China (1)");
        assert_eq!(&safe[9], "");
        assert_eq!(&safe[10], "'=Kim Jong Un: Marshal|First Secretary");
        let raw = write(CsvCells::Raw);
        assert_eq!(&raw[0], "-id");
        assert_eq!(&raw[4], row.title);
        assert_eq!(&raw[7], "=Kim Jong Un (2)");
        assert_eq!(raw.len(), CSV_COLUMNS.len());
    }
}
