//! The floor under an ingest: how long the stages take alone on a corpus,
//! on this machine. `bench/run.py` runs it beside `tealeaf ingest` and the
//! FTS5 peer, so that the ingest's ratio can be read against what its
//! parts cost without the rest.
//!
//! `cargo run --release -p tealeaf-pipeline --example floor -- FILE`
//! prints one JSON line: seconds to read and prepare every record (one
//! thread), and to index the documents, already in memory, with tealeaf's
//! schema (two indexing threads, as an ingest uses) and with a bare tantivy
//! schema (title and body with tantivy's default tokenizer, two threads).
use std::time::Instant;

use tealeaf_model::ArticleDoc;
use tealeaf_read::{ByteCounter, FieldMap, Item, ReadOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::path::PathBuf::from(std::env::args().nth(1).ok_or("usage: floor FILE")?);
    let opts = ReadOptions {
        outlet: Some("kcna".into()),
        map: FieldMap::parse("published=date,body=story")?,
        format: None,
    };
    let t = Instant::now();
    let mut docs = Vec::new();
    for item in tealeaf_read::read_file(&path, &opts, &ByteCounter::default())? {
        if let Item::Record(r) = item {
            std::hint::black_box(tealeaf_archive::Prepared::of(&r));
            docs.push(ArticleDoc {
                id: format!("{:016x}", docs.len()),
                outlet: r.outlet,
                language: r.language.unwrap_or_default(),
                published: r.published,
                title: r.title,
                paragraphs: r.paragraphs,
                ..ArticleDoc::default()
            });
        }
    }
    let read = t.elapsed().as_secs_f64();

    let dir = tempfile::tempdir()?;
    let (index, _) = tealeaf_index::SearchIndex::open(dir.path())?;
    let t = Instant::now();
    let mut w = index.writer(2, tealeaf_pipeline::INDEX_HEAP)?;
    for d in &docs {
        w.add(d)?;
    }
    w.commit(1)?;
    w.finish()?;
    let index_tealeaf = t.elapsed().as_secs_f64();

    let index_bare = bare(&docs)?;
    println!(
        "{}",
        serde_json::json!({
            "docs": docs.len(),
            "read_s": read,
            "index_tealeaf_s": index_tealeaf,
            "index_bare_s": index_bare,
        })
    );
    Ok(())
}

/// Title and body, tantivy's default tokenizer, two threads, on disk.
fn bare(docs: &[ArticleDoc]) -> Result<f64, Box<dyn std::error::Error>> {
    use tantivy::schema::{Schema, TEXT};
    let mut b = Schema::builder();
    let title = b.add_text_field("title", TEXT);
    let body = b.add_text_field("body", TEXT);
    let dir = tempfile::tempdir()?;
    let index = tantivy::Index::create_in_dir(dir.path(), b.build())?;
    let t = Instant::now();
    let mut w: tantivy::IndexWriter =
        index.writer_with_num_threads(2, tealeaf_pipeline::INDEX_HEAP)?;
    for d in docs {
        let mut doc = tantivy::TantivyDocument::new();
        doc.add_text(title, &d.title);
        doc.add_text(body, d.paragraphs.join("\n\n"));
        w.add_document(doc)?;
    }
    w.commit()?;
    w.wait_merging_threads()?;
    Ok(t.elapsed().as_secs_f64())
}
