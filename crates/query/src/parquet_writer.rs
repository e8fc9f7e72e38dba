//! Export rows as a Parquet file: the CSV columns, with `published` as a
//! DATE; the entity columns (`people`, `countries`, `organizations`,
//! `person_titles`) are the same strings as in CSV.

use std::io::Write;
use std::sync::Arc;

use parquet::data_type::{ByteArray, ByteArrayType, FloatType, Int32Type};
use parquet::errors::Result;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;

use crate::export::ExportRow;

/// Rows per Parquet row group: bounds memory on large exports.
const ROW_GROUP: usize = 8192;

const SCHEMA: &str = "message article {
    REQUIRED BYTE_ARRAY id (UTF8);
    REQUIRED BYTE_ARRAY outlet (UTF8);
    OPTIONAL INT32 published (DATE);
    OPTIONAL BYTE_ARRAY language (UTF8);
    REQUIRED BYTE_ARRAY title (UTF8);
    REQUIRED BYTE_ARRAY body (UTF8);
    REQUIRED FLOAT score;
    REQUIRED BYTE_ARRAY people (UTF8);
    REQUIRED BYTE_ARRAY countries (UTF8);
    REQUIRED BYTE_ARRAY organizations (UTF8);
    REQUIRED BYTE_ARRAY person_titles (UTF8);
}";

/// Writes rows as they come, a row group at a time.
pub struct ParquetWriter<W: Write + Send> {
    writer: SerializedFileWriter<W>,
    waiting: Vec<ExportRow>,
    written: usize,
}

impl<W: Write + Send> ParquetWriter<W> {
    pub fn new(out: W) -> Result<Self> {
        let schema = Arc::new(parquet::schema::parser::parse_message_type(SCHEMA)?);
        let props = Arc::new(WriterProperties::builder().build());
        Ok(ParquetWriter {
            writer: SerializedFileWriter::new(out, schema, props)?,
            waiting: Vec::with_capacity(ROW_GROUP),
            written: 0,
        })
    }

    /// Adds rows; a full row group is written out.
    pub fn write(&mut self, rows: Vec<ExportRow>) -> Result<()> {
        self.written += rows.len();
        self.waiting.extend(rows);
        if self.waiting.len() >= ROW_GROUP {
            self.row_group()?;
        }
        Ok(())
    }

    /// Writes the rows still waiting (an empty export still gets its one,
    /// empty, row group) and the file's footer.
    pub fn finish(mut self) -> Result<()> {
        if !self.waiting.is_empty() || self.written == 0 {
            self.row_group()?;
        }
        self.writer.close()?;
        Ok(())
    }

    fn row_group(&mut self) -> Result<()> {
        let rows = std::mem::take(&mut self.waiting);
        let text = |f: &dyn Fn(&ExportRow) -> String| -> Vec<ByteArray> {
            rows.iter()
                .map(|r| ByteArray::from(f(r).into_bytes()))
                .collect()
        };
        let mut rg = self.writer.next_row_group()?;
        let mut i = 0;
        while let Some(mut col) = rg.next_column()? {
            match i {
                0 => write_bytes(&mut col, &text(&|r| r.id.clone()), None)?,
                1 => write_bytes(&mut col, &text(&|r| r.outlet.clone()), None)?,
                2 => {
                    let days: Vec<Option<i32>> = rows
                        .iter()
                        .map(|r| r.published.as_deref().and_then(days_since_epoch))
                        .collect();
                    let values: Vec<i32> = days.iter().flatten().copied().collect();
                    let defs: Vec<i16> = days.iter().map(|d| d.is_some() as i16).collect();
                    col.typed::<Int32Type>()
                        .write_batch(&values, Some(&defs), None)?;
                }
                3 => {
                    let values: Vec<ByteArray> = rows
                        .iter()
                        .filter_map(|r| r.language.as_ref())
                        .map(|l| ByteArray::from(l.as_bytes().to_vec()))
                        .collect();
                    let defs: Vec<i16> = rows.iter().map(|r| r.language.is_some() as i16).collect();
                    write_bytes(&mut col, &values, Some(&defs))?;
                }
                4 => write_bytes(&mut col, &text(&|r| r.title.clone()), None)?,
                5 => write_bytes(&mut col, &text(&|r| r.paragraphs.join("\n\n")), None)?,
                6 => {
                    let scores: Vec<f32> = rows.iter().map(|r| r.score).collect();
                    col.typed::<FloatType>().write_batch(&scores, None, None)?;
                }
                // 7..=10: the entity columns, in `entity_columns`' order.
                n => {
                    let k = n - 7;
                    write_bytes(
                        &mut col,
                        &text(&|r| r.entity_columns().into_iter().nth(k).unwrap_or_default()),
                        None,
                    )?;
                }
            }
            col.close()?;
            i += 1;
        }
        rg.close()?;
        self.waiting = rows;
        self.waiting.clear();
        Ok(())
    }
}

fn days_since_epoch(d: &str) -> Option<i32> {
    let d = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()?;
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
    i32::try_from((d - epoch).num_days()).ok()
}

fn write_bytes(
    col: &mut parquet::file::writer::SerializedColumnWriter<'_>,
    values: &[ByteArray],
    defs: Option<&[i16]>,
) -> Result<()> {
    col.typed::<ByteArrayType>()
        .write_batch(values, defs, None)?;
    Ok(())
}
