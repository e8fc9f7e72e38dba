//! The full-text index (tantivy), derived from the archive.
//!
//! Owns: the index schema, the `tealeaf` analyzer (no stemming: analysts
//! count exact words; case, accents and apostrophe style are folded), query
//! parsing with filters and sorting, snippets (their text and the ranges
//! of the matches; rendering is the front ends'), and the commit payload
//! that records how far (`seq`) the index has caught up with the archive.
//!
//! Must not touch: SQLite. The index can always be thrown away and rebuilt
//! from the archive (`tealeaf reindex`); it never holds anything that is
//! not there.

mod facets;
mod query;
mod readonly;
mod tokenize;

use std::ops::Bound;
use std::path::Path;

use chrono::NaiveDate;
use tantivy::collector::Count;
use tantivy::query::BoostQuery;
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, Schema, TextFieldIndexing,
    TextOptions, Value, FAST, STORED, STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, TextAnalyzer, TokenizerManager,
};
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument, Term,
};
use tealeaf_model::ArticleDoc;
use tokenize::{Mode, TealeafTokenizer};

pub use facets::{FacetCount, Facets, TOP_ENTITIES};
pub use query::rewrite_prefixes;
pub use tokenize::is_bigram_script;

/// Bump when the schema or analyzer changes: an index of another version is
/// rebuilt from the archive.
pub const SCHEMA_VERSION: u32 = 5;
const ANALYZER: &str = "tealeaf";

/// Segments holding more live documents than this are not merged again
/// (smaller ones still merge, into one of up to about eight times this).
/// A bulk load writes segments of tens of thousands of documents; merging
/// those while the load goes on was its peak of memory (issue 22). The
/// costs: such a segment keeps the documents deleted from it (articles
/// re-indexed after a change) until its live count falls under this, and
/// a large archive has more segments for a search to read (one more per
/// bulk load's few tens of thousands of articles).
const MAX_DOCS_MERGED: usize = 20_000;

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    // Not chained as a source: the message includes tantivy's.
    #[error("index: {0}")]
    Tantivy(tantivy::TantivyError),
    #[error("cannot understand the query `{query}`: {reason}")]
    BadQuery { query: String, reason: String },
    #[error("the index is locked by another tealeaf process writing to it")]
    Locked,
    #[error("the index cannot be written here (a read-only data directory)")]
    ReadOnly,
}

/// A query as quoted in a message: its first 80 characters.
fn clip(query: &str) -> String {
    match query.char_indices().nth(80) {
        Some((at, _)) => format!("{}…", &query[..at]),
        None => query.to_string(),
    }
}

impl From<tantivy::TantivyError> for IndexError {
    fn from(e: tantivy::TantivyError) -> Self {
        IndexError::Tantivy(e)
    }
}

pub type Result<T> = std::result::Result<T, IndexError>;

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    outlet: Field,
    lang: Field,
    published: Field,
    title: Field,
    body: Field,
    commentary: Field,
    person: Field,
    country: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        outlet: b.add_text_field("outlet", STRING | FAST),
        lang: b.add_text_field("lang", STRING | FAST),
        published: b.add_date_field(
            "published",
            DateOptions::default()
                .set_indexed()
                .set_fast()
                .set_precision(DateTimePrecision::Seconds),
        ),
        // Stored: a hit comes with its title from the same document fetch
        // as its id (a lookup in the archive per hit tripled a query's time).
        title: b.add_text_field("title", text.clone().set_stored()),
        body: b.add_text_field("body", text.clone()),
        // An editor's commentary kept apart from the text: searched, never
        // shown as a snippet.
        commentary: b.add_text_field("commentary", text),
        // Canonical names from analysis, exact (not tokenized): filters
        // and facets.
        person: b.add_text_field("person", STRING | FAST),
        country: b.add_text_field("country", STRING | FAST),
    };
    (b.build(), fields)
}

/// The score a known person's article gets for a query of their name:
/// above any text score, so that their articles come first.
const KNOWN_NAME_SCORE: f32 = 100.0;
/// ... and a text holding the query's words as a phrase (half again when
/// the title does): above words matched one by one, however often.
const PHRASE_SCORE: f32 = 50.0;

fn analyzer(mode: Mode) -> TextAnalyzer {
    TextAnalyzer::builder(TealeafTokenizer::new(mode))
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

fn date_value(d: NaiveDate) -> tantivy::DateTime {
    let secs = d
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc().timestamp())
        .unwrap_or(0);
    tantivy::DateTime::from_timestamp_secs(secs)
}

/// How hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Relevance,
    /// Newest first.
    Newest,
    Oldest,
}

#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub query: String,
    pub outlets: Vec<String>,
    pub languages: Vec<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Articles that mention every one of these people (canonical names).
    pub people: Vec<String>,
    /// ... and every one of these countries.
    pub countries: Vec<String>,
    pub sort: Sort,
    pub limit: usize,
    pub offset: usize,
}

#[derive(Debug, Clone)]
pub struct Hit {
    pub id: String,
    pub score: f32,
    /// The title of the article's current version.
    pub title: String,
}

pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
    /// Set when the query could not be read as written and part of it was
    /// read as plain words: what was searched instead.
    pub note: Option<String>,
    /// The query's Korean (Chinese, Japanese) words: a highlight in those
    /// scripts is kept only where it covers one whole (a pair of `김정은`
    /// would otherwise be marked inside `김정일`).
    bigram_words: Vec<String>,
    title_snippets: SnippetGenerator,
    body_snippets: SnippetGenerator,
}

/// A highlighted fragment: plain text and the byte ranges of the matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<std::ops::Range<usize>>,
}

impl SearchResults {
    /// The best fragment of `body` for this query (or of the title, when
    /// the body has no match), at most ~200 characters.
    pub fn snippet(&self, title: &str, body: &str) -> Snippet {
        let s = self.body_snippets.snippet(body);
        let s = if s.highlighted().is_empty() {
            let t = self.title_snippets.snippet(title);
            if t.highlighted().is_empty() {
                // No match to show (e.g. a NOT-only query): the lead.
                let end = body
                    .char_indices()
                    .nth(200)
                    .map(|(i, _)| i)
                    .unwrap_or(body.len());
                return Snippet {
                    text: body[..end].to_string(),
                    highlights: Vec::new(),
                };
            }
            t
        } else {
            s
        };
        let text = s.fragment();
        // Words of a phrase come back one by one; show `overseas operations`
        // as one highlight when only white space lies between them.
        let mut highlights: Vec<std::ops::Range<usize>> = Vec::new();
        for r in s.highlighted() {
            match highlights.last_mut() {
                // Overlapping (Korean pairs) or only white space between.
                Some(last)
                    if r.start <= last.end
                        || text[last.end..r.start].chars().all(char::is_whitespace) =>
                {
                    last.end = last.end.max(r.end)
                }
                _ => highlights.push(r.clone()),
            }
        }
        if !self.bigram_words.is_empty() {
            highlights.retain(|r| {
                let marked = &text[r.clone()];
                !marked.chars().all(tokenize::is_bigram_script)
                    || self
                        .bigram_words
                        .iter()
                        .any(|w| marked.contains(w.as_str()))
            });
        }
        Snippet {
            text: text.to_string(),
            highlights,
        }
    }
}

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    parser: QueryParser,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it if absent. An index written
    /// with another schema version is wiped (it is derived data) and
    /// `rebuilt` is set so that the caller refills it from the archive.
    pub fn open(dir: &Path) -> Result<(SearchIndex, bool)> {
        let (schema, fields) = schema();
        std::fs::create_dir_all(dir).map_err(|e| {
            tantivy::TantivyError::from(
                tantivy::directory::error::OpenDirectoryError::wrap_io_error(e, dir.to_path_buf()),
            )
        })?;
        let marker = dir.join("tealeaf-schema");
        let expected = SCHEMA_VERSION.to_string();
        let ready = || {
            dir.join("meta.json").exists()
                && std::fs::read_to_string(&marker).ok().as_deref() == Some(expected.as_str())
        };
        let mut rebuilt = false;
        // Creating (or wiping) the index is done under a file lock, so that
        // two processes opening a new data directory at once do not build
        // it over each other; an index that is ready needs no lock (and no
        // write access).
        let mut _creating = None;
        if !ready() {
            let lock_path = dir.join("tealeaf-create.lock");
            let lock = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&lock_path)
                .and_then(|f| f.lock().map(|()| f))
                .map_err(|e| {
                    tantivy::TantivyError::InternalError(format!(
                        "locking {}: {e}",
                        lock_path.display()
                    ))
                })?;
            _creating = Some(lock);
        }
        let index = if ready() {
            let directory = tantivy::directory::MmapDirectory::open(dir).map_err(|e| {
                tantivy::TantivyError::InternalError(format!("opening {}: {e}", dir.display()))
            })?;
            Index::open(readonly::ReadTolerant(directory))?
        } else {
            if dir.join("meta.json").exists() {
                for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                    if entry.file_name() == "tealeaf-create.lock" {
                        continue;
                    }
                    let _ = std::fs::remove_file(entry.path());
                }
            }
            rebuilt = true;
            let index = Index::create_in_dir(dir, schema)?;
            std::fs::write(&marker, &expected).map_err(|e| {
                tantivy::TantivyError::InternalError(format!("writing {}: {e}", marker.display()))
            })?;
            index
        };
        index.tokenizers().register(ANALYZER, analyzer(Mode::Index));
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        // Queries are cut into the same words and pairs as texts, without
        // the marker terms (see `tokenize`).
        let query_tokenizers = TokenizerManager::default();
        query_tokenizers.register(ANALYZER, analyzer(Mode::Query));
        let mut parser = QueryParser::new(
            index.schema(),
            vec![fields.title, fields.body, fields.commentary],
            query_tokenizers,
        );
        parser.set_conjunction_by_default();
        parser.set_field_boost(fields.title, 2.0);
        parser.allow_regexes();
        Ok((
            SearchIndex {
                index,
                reader,
                fields,
                parser,
            },
            rebuilt,
        ))
    }

    /// The archive `seq` up to which the last commit holds every change.
    pub fn indexed_seq(&self) -> Result<i64> {
        let metas = self.index.load_metas()?;
        Ok(metas
            .payload
            .as_deref()
            .and_then(|p| p.parse().ok())
            .unwrap_or(0))
    }

    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// A writer using `threads` indexing threads and `heap_bytes` of memory
    /// in all.
    pub fn writer(&self, threads: usize, heap_bytes: usize) -> Result<Writer> {
        let writer = self
            .index
            .writer_with_num_threads(threads.max(1), heap_bytes.max(15_000_000 * threads.max(1)))
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(
                    tantivy::directory::error::LockError::IoError(e),
                    _,
                ) if readonly::is_read_only(&e) => IndexError::ReadOnly,
                tantivy::TantivyError::LockFailure(..) => IndexError::Locked,
                e => IndexError::Tantivy(e),
            })?;
        let mut policy = tantivy::indexer::LogMergePolicy::default();
        policy.set_max_docs_before_merge(MAX_DOCS_MERGED);
        writer.set_merge_policy(Box::new(policy));
        Ok(Writer {
            writer,
            fields: self.fields,
        })
    }

    /// Sees what the last commit wrote.
    pub fn reload(&self) -> Result<()> {
        Ok(self.reader.reload()?)
    }

    /// Every indexed article id (for consistency checks).
    pub fn all_ids(&self) -> Result<Vec<String>> {
        let searcher = self.reader.searcher();
        let mut ids = Vec::with_capacity(searcher.num_docs() as usize);
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            for doc in segment.doc_ids_alive() {
                let d: TantivyDocument = searcher.doc(DocAddress::new(ord as u32, doc))?;
                if let Some(id) = d.get_first(self.fields.id).and_then(|v| v.as_str()) {
                    ids.push(id.to_string());
                }
            }
        }
        Ok(ids)
    }

    /// The query as written; when that cannot be read (an unbalanced
    /// quote, a lone `title:`, stray operators), its words read literally,
    /// with a note saying so. No query a person types is an error.
    fn parse(&self, query: &str) -> (Box<dyn Query>, Option<String>) {
        let query = query::apostrophes_as_spaces(query);
        let strict = query::check(&query).ok().and_then(|()| {
            let rewritten = rewrite_prefixes(&query, &["title", "body"]);
            self.parser.parse_query(&rewritten).ok()
        });
        if let Some(q) = strict {
            return (q, None);
        }
        let literal = query::literal(&query);
        if literal.trim().is_empty() {
            let note = format!("nothing to search for in `{}`", clip(&query));
            return (Box::new(tantivy::query::EmptyQuery), Some(note));
        }
        let note = format!(
            "`{}` could not be read as a query; searched for the words `{}`",
            clip(&query),
            clip(&literal)
        );
        match self.parser.parse_query(&literal) {
            Ok(q) => (q, Some(note)),
            Err(_) => (self.parser.parse_query_lenient(&literal).0, Some(note)),
        }
    }

    /// Optional clauses for a query of plain words (`Kim Jong Un`, no
    /// quotes or operators): the articles of a known person of that name
    /// first, then texts holding the words as a phrase, so that words
    /// matched one by one (Spanish *un*, a "UN … Kim Jong Il" article)
    /// come after them. They only order what the query matched.
    fn name_and_phrase_boosts(&self, query: &str) -> Vec<(Occur, Box<dyn Query>)> {
        let mut out: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let plain = query.split_whitespace().all(|w| {
            w.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '\'' | '’' | '-' | '.' | ','))
                && !matches!(w, "OR" | "AND" | "NOT")
                && !w.starts_with('-')
        });
        let words: Vec<&str> = query
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .collect();
        if !plain || words.len() < 2 || !tokenize::query_runs(query).is_empty() {
            return out;
        }
        let f = self.fields;
        // Canonical names are stored capitalised (`Kim Jong Un`).
        let name = words
            .iter()
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|first| {
                        first
                            .to_uppercase()
                            .chain(c.flat_map(char::to_lowercase))
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .collect::<Vec<String>>()
            .join(" ");
        let person = Term::from_field_text(f.person, &name);
        let searcher = self.reader.searcher();
        let known = searcher.segment_readers().iter().any(|r| {
            r.inverted_index(f.person)
                .is_ok_and(|ii| ii.doc_freq(&person).is_ok_and(|n| n > 0))
        });
        if known {
            let q = TermQuery::new(person, IndexRecordOption::Basic);
            out.push((
                Occur::Should,
                Box::new(tantivy::query::ConstScoreQuery::new(
                    Box::new(q),
                    KNOWN_NAME_SCORE,
                )),
            ));
        }
        for (field, score) in [(f.title, PHRASE_SCORE / 2.0), (f.body, PHRASE_SCORE)] {
            let mut analyzer = match self.index.tokenizer_for_field(field) {
                Ok(a) => a,
                Err(_) => continue,
            };
            let mut terms = Vec::new();
            let mut stream = analyzer.token_stream(query);
            while let Some(t) = stream.next() {
                terms.push(Term::from_field_text(field, &t.text));
            }
            if terms.len() >= 2 {
                let phrase = tantivy::query::PhraseQuery::new(terms);
                out.push((
                    Occur::Should,
                    Box::new(tantivy::query::ConstScoreQuery::new(
                        Box::new(phrase),
                        score,
                    )),
                ));
            }
        }
        out
    }

    /// The text query alone (for snippets), the whole query with the
    /// request's filters, and a note when the query was read literally.
    #[allow(clippy::type_complexity)]
    fn build_query(
        &self,
        req: &SearchRequest,
    ) -> Result<(Box<dyn Query>, BooleanQuery, Option<String>)> {
        let f = self.fields;
        let (text_query, mut note) = if req.query.trim().is_empty() {
            (Box::new(tantivy::query::AllQuery) as Box<dyn Query>, None)
        } else {
            self.parse(&req.query)
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query.box_clone())];
        // Korean words of the query: a text where one is a whole word, or
        // begins a word, ranks above one where it is inside a longer word
        // (`인민` alone before `조선인민군`). Optional clauses: they only
        // order what the query matched.
        for run in tokenize::query_runs(&req.query) {
            let start: String = run.chars().take(2).collect();
            for (field, weight) in [(f.title, 2.0), (f.body, 1.0)] {
                for (term, boost) in [
                    (format!("{}{run}", tokenize::WORD_MARK), 2.0),
                    (format!("{}{start}", tokenize::START_MARK), 1.0),
                ] {
                    let q = TermQuery::new(
                        Term::from_field_text(field, &term),
                        IndexRecordOption::WithFreqs,
                    );
                    clauses.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(Box::new(q), weight * boost)),
                    ));
                }
            }
        }
        clauses.extend(self.name_and_phrase_boosts(&req.query));
        let any_of = |field: Field, values: &[String]| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(
                values
                    .iter()
                    .map(|v| {
                        let q: Box<dyn Query> = Box::new(TermQuery::new(
                            Term::from_field_text(field, v),
                            IndexRecordOption::Basic,
                        ));
                        (Occur::Should, q)
                    })
                    .collect(),
            ))
        };
        if !req.outlets.is_empty() {
            clauses.push((Occur::Must, any_of(f.outlet, &req.outlets)));
        }
        if !req.languages.is_empty() {
            clauses.push((Occur::Must, any_of(f.lang, &req.languages)));
        }
        for (field, values) in [(f.person, &req.people), (f.country, &req.countries)] {
            for v in values {
                clauses.push((
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, v),
                        IndexRecordOption::Basic,
                    )),
                ));
            }
        }
        if req.from.is_some() || req.to.is_some() {
            let lower = req
                .from
                .map(|d| Bound::Included(Term::from_field_date(f.published, date_value(d))))
                .unwrap_or(Bound::Unbounded);
            let upper = req
                .to
                .map(|d| Bound::Included(Term::from_field_date(f.published, date_value(d))))
                .unwrap_or(Bound::Unbounded);
            clauses.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
        }
        // Nothing can match: said, not left to look like no hits.
        if let (Some(from), Some(to)) = (req.from, req.to) {
            if from > to {
                let says = format!(
                    "the dates end ({to}) before they start ({from}): no day is in between"
                );
                note = Some(match note {
                    Some(n) => format!("{n}; {says}"),
                    None => says,
                });
            }
        }
        Ok((text_query, BooleanQuery::new(clauses), note))
    }

    /// The top hits by `sort`, the total, and (when `facets` is given) the
    /// facet counts of every hit, in one pass.
    #[allow(clippy::type_complexity)]
    fn collect(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        sort: Sort,
        limit: usize,
        offset: usize,
        facets: Option<facets::FacetCollector>,
    ) -> Result<(Vec<(f32, DocAddress)>, usize, Option<facets::FacetFruit>)> {
        let limit = limit.max(1);
        Ok(match sort {
            Sort::Relevance => searcher.search(
                query,
                &(
                    tantivy::collector::TopDocs::with_limit(limit)
                        .and_offset(offset)
                        .order_by_score(),
                    Count,
                    facets,
                ),
            )?,
            Sort::Newest | Sort::Oldest => {
                let order = if sort == Sort::Newest {
                    Order::Desc
                } else {
                    Order::Asc
                };
                let (top, total, fruit) = searcher.search(
                    query,
                    &(
                        tantivy::collector::TopDocs::with_limit(limit)
                            .and_offset(offset)
                            .order_by_fast_field::<tantivy::DateTime>("published", order),
                        Count,
                        facets,
                    ),
                )?;
                (
                    top.into_iter().map(|(_, addr)| (0.0, addr)).collect(),
                    total,
                    fruit,
                )
            }
        })
    }

    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        let (text_query, query, note) = self.build_query(req)?;
        let searcher = self.reader.searcher();
        let (docs, total, _) =
            self.collect(&searcher, &query, req.sort, req.limit, req.offset, None)?;
        self.finish(
            &searcher,
            text_query.as_ref(),
            docs,
            total,
            note,
            &req.query,
        )
    }

    /// As [`search`](Self::search), with the outlet, language and year
    /// counts of the whole result set (not only the page asked for).
    pub fn search_faceted(&self, req: &SearchRequest) -> Result<(SearchResults, Facets)> {
        let (text_query, query, note) = self.build_query(req)?;
        let searcher = self.reader.searcher();
        let (docs, total, fruit) = self.collect(
            &searcher,
            &query,
            req.sort,
            req.limit,
            req.offset,
            Some(facets::FacetCollector),
        )?;
        let facets = fruit.map(|f| f.into_facets()).unwrap_or_default();
        Ok((
            self.finish(
                &searcher,
                text_query.as_ref(),
                docs,
                total,
                note,
                &req.query,
            )?,
            facets,
        ))
    }

    /// The people named in most of the articles that name `person` (a
    /// canonical name), most first, ties by name, without `person`: read
    /// from the fast fields of those articles only, however large the
    /// archive (a person page's "with").
    pub fn co_mentioned(&self, person: &str, limit: usize) -> Result<Vec<FacetCount>> {
        let (_, query, _) = self.build_query(&SearchRequest {
            people: vec![person.to_string()],
            ..Default::default()
        })?;
        let fruit = self
            .reader
            .searcher()
            .search(&query, &facets::FacetCollector)?;
        Ok(fruit.people_except(person, limit))
    }

    /// Every hit of the request in its sort order (`limit` and `offset`
    /// are ignored): for exports of a whole result set.
    pub fn search_all(&self, req: &SearchRequest) -> Result<SearchResults> {
        let (text_query, query, note) = self.build_query(req)?;
        let searcher = self.reader.searcher();
        let total = searcher.search(&query, &Count)?;
        let (docs, total, _) = self.collect(&searcher, &query, req.sort, total, 0, None)?;
        self.finish(
            &searcher,
            text_query.as_ref(),
            docs,
            total,
            note,
            &req.query,
        )
    }

    fn finish(
        &self,
        searcher: &tantivy::Searcher,
        text_query: &dyn Query,
        docs: Vec<(f32, DocAddress)>,
        total: usize,
        note: Option<String>,
        query: &str,
    ) -> Result<SearchResults> {
        let mut hits = Vec::with_capacity(docs.len());
        for (score, addr) in docs {
            let d: TantivyDocument = searcher.doc(addr)?;
            if let Some(id) = d.get_first(self.fields.id).and_then(|v| v.as_str()) {
                let title = d.get_first(self.fields.title).and_then(|v| v.as_str());
                hits.push(Hit {
                    id: id.to_string(),
                    score,
                    title: title.unwrap_or_default().to_string(),
                });
            }
        }
        let mut title_snippets = SnippetGenerator::create(searcher, text_query, self.fields.title)?;
        title_snippets.set_max_num_chars(200);
        let mut body_snippets = SnippetGenerator::create(searcher, text_query, self.fields.body)?;
        body_snippets.set_max_num_chars(200);
        Ok(SearchResults {
            total,
            hits,
            note,
            bigram_words: tokenize::query_runs(query),
            title_snippets,
            body_snippets,
        })
    }
}

pub struct Writer {
    writer: IndexWriter,
    fields: Fields,
}

/// An index commit whose segments are written but not yet visible (see
/// [`Writer::prepare_commit`]). Dropped uncommitted, the index stays as it
/// was.
pub struct PreparedCommit<'a>(tantivy::indexer::PreparedCommit<'a>);

impl PreparedCommit<'_> {
    /// Makes the prepared segments, and the seq they reach, the index's.
    pub fn commit(self) -> Result<()> {
        self.0.commit()?;
        Ok(())
    }
}

impl Writer {
    /// Adds or replaces the document of one article. Like [`Writer::add`],
    /// callable from several threads at once.
    pub fn upsert(&self, doc: &ArticleDoc) -> Result<()> {
        let f = self.fields;
        self.writer
            .delete_term(Term::from_field_text(f.id, &doc.id));
        self.add(doc)
    }

    /// Adds a document known not to be in the index (a new article).
    pub fn add(&self, doc: &ArticleDoc) -> Result<()> {
        let f = self.fields;
        let mut d = TantivyDocument::new();
        d.add_text(f.id, &doc.id);
        d.add_text(f.outlet, &doc.outlet);
        d.add_text(f.lang, &doc.language);
        if let Some(p) = doc.published {
            d.add_date(f.published, date_value(p));
        }
        d.add_text(f.title, &doc.title);
        d.add_text(f.body, doc.paragraphs.join("\n\n"));
        if !doc.commentary.is_empty() {
            d.add_text(f.commentary, &doc.commentary);
        }
        for p in &doc.people {
            d.add_text(f.person, p);
        }
        for c in &doc.countries {
            d.add_text(f.country, c);
        }
        self.writer.add_document(d)?;
        Ok(())
    }

    /// Drops the document of one article (taken away from the archive).
    pub fn delete(&self, id: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.fields.id, id));
    }

    pub fn delete_all(&mut self) -> Result<()> {
        self.writer.delete_all_documents()?;
        Ok(())
    }

    /// Commits everything added so far, recording that the index now holds
    /// every archive change up to `seq`.
    pub fn commit(&mut self, seq: i64) -> Result<()> {
        self.prepare_commit(seq)?.commit()
    }

    /// The costly half of [`Writer::commit`]: the indexing threads write
    /// their last segments, which searchers do not see until
    /// [`PreparedCommit::commit`]. An ingest prepares while the archive
    /// commits, and commits the index only once the archive has, so that
    /// the index never records more than the archive holds.
    pub fn prepare_commit(&mut self, seq: i64) -> Result<PreparedCommit<'_>> {
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&seq.to_string());
        Ok(PreparedCommit(prepared))
    }

    /// Waits for merges so that no background thread outlives the process's
    /// work.
    pub fn finish(self) -> Result<()> {
        self.writer.wait_merging_threads()?;
        Ok(())
    }
}
