//! Fuzzing every parser that reads untrusted bytes: text pages, annotated
//! New Year addresses, JSONL, CSV/TSV, gzip, HTML pages (read as a file
//! and as the extractor, and their links), WARC archives and the HTTP
//! messages in them, urls, robots.txt, the Wayback Machine's CDX answers
//! and the query language. Inputs are real
//! samples (the repository's fixtures, and `../shared/corpus` when it is
//! beside the repository) mutated at random (bytes flipped, inserted,
//! removed, runs duplicated, cut short), deeply nested inputs, and plain
//! random bytes. No input may panic or overflow the stack; each must come
//! out as records or as errors.
//!
//! Cases per target: `TEALEAF_FUZZ_CASES` (default 40); `.ci/run` runs
//! more, in release mode, for a bounded time.

use std::io::Read;
use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use tealeaf_read::{Format, ReadOptions};

fn cases() -> u32 {
    std::env::var("TEALEAF_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40)
}

fn runner() -> TestRunner {
    runner_of(cases())
}

/// For a target whose every case parses whole HTML pages: a share of the
/// cases, so that the fuzzing stays bounded in time.
fn runner_of(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases: cases.max(10),
        failure_persistence: None,
        max_shrink_iters: 200,
        ..Config::default()
    })
}

fn repo() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `../shared/corpus/PATH` when the corpora are beside the repository.
fn corpus(path: &str) -> Option<std::path::PathBuf> {
    let p = repo().join("../shared/corpus").join(path);
    p.exists().then_some(p)
}

fn gunzip(path: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    let file = std::fs::File::open(path).unwrap();
    flate2::read::MultiGzDecoder::new(file)
        .read_to_end(&mut out)
        .unwrap();
    out
}

/// The first `n` lines of a gzipped JSONL corpus, in chunks of `per`.
fn jsonl_chunks(path: &Path, n: usize, per: usize) -> Vec<Vec<u8>> {
    let text = gunzip(path);
    let lines: Vec<&[u8]> = text.split(|&b| b == b'\n').take(n).collect();
    lines.chunks(per).map(|c| c.join(&b'\n')).collect()
}

/// A seed changed at random.
fn mutated(seeds: Vec<Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    let edits = prop::collection::vec((any::<u32>(), any::<u8>(), 0u8..5), 0..24);
    (0..seeds.len(), edits, any::<u32>()).prop_map(move |(i, edits, cut)| {
        let mut bytes = seeds[i].clone();
        for (at, byte, op) in edits {
            if bytes.is_empty() {
                bytes.push(byte);
                continue;
            }
            let p = at as usize % bytes.len();
            match op {
                0 => bytes[p] = byte,
                1 => bytes.insert(p, byte),
                2 => {
                    bytes.remove(p);
                }
                3 => {
                    let end = (p + 1 + byte as usize).min(bytes.len());
                    let run = bytes[p..end].to_vec();
                    bytes.splice(p..p, run);
                }
                _ => {
                    // A structural byte where it hurts.
                    let structural = b"{}[]\",:<>/\\\n\r\t&;=#()*@-";
                    bytes[p] = structural[byte as usize % structural.len()];
                }
            }
        }
        if cut % 3 == 0 {
            bytes.truncate(cut as usize % (bytes.len() + 1));
        }
        bytes
    })
}

fn inputs(seeds: Vec<Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        6 => mutated(seeds),
        1 => prop::collection::vec(any::<u8>(), 0..4096),
    ]
}

fn nested(open: &str, close: &str, depth: usize) -> Vec<u8> {
    let mut s = open.repeat(depth);
    s.push_str(&close.repeat(depth));
    s.into_bytes()
}

/// Reads `bytes` as `format` through the public reader, to the end.
fn read_all(format: Format, bytes: Vec<u8>) -> usize {
    let opts = ReadOptions {
        outlet: Some("kcna".into()),
        ..ReadOptions::default()
    };
    let stream = tealeaf_read::decompress(std::io::Cursor::new(bytes)).unwrap();
    match tealeaf_read::read_stream("fuzz", format, stream, &opts) {
        Ok(items) => items.count(),
        Err(_) => 0,
    }
}

fn text_seeds() -> Vec<Vec<u8>> {
    let mut seeds =
        vec![std::fs::read(repo().join("fixtures/pages/000_f3b22d0fefd5ee43.txt")).unwrap()];
    if let Some(dir) = corpus("nk-new-year-addresses") {
        for year in ["1946", "1980", "2019"] {
            if let Ok(bytes) = std::fs::read(dir.join(format!("{year}.txt"))) {
                seeds.push(bytes);
            }
        }
    }
    seeds
}

fn jsonl_seeds() -> Vec<Vec<u8>> {
    let mut seeds = vec![
        std::fs::read(repo().join("fixtures/samples/captures.jsonl")).unwrap(),
        nested("[", "]", 20_000),
        nested("{\"a\":", "}", 20_000),
    ];
    if let Some(path) = corpus("kcna/kcna-2011.jsonl.gz") {
        seeds.extend(jsonl_chunks(&path, 200, 20));
    }
    if let Some(path) = corpus("kcna/kcna-headlines-1997-2014.jsonl.gz") {
        seeds.extend(jsonl_chunks(&path, 100, 25));
    }
    seeds
}

fn csv_seeds() -> Vec<Vec<u8>> {
    let mut seeds = vec![b"published,title,body,url\n2011-12-01,\"Talks, Held\",\"Talks were \"\"held\"\".\",http://x\n2011-12-02,Visit,The visit ended.,\n".to_vec()];
    if let Some(path) = corpus("kcna/kcna-2011.jsonl.gz") {
        let mut csv = b"date,title,story,url,language\n".to_vec();
        for chunk in jsonl_chunks(&path, 30, 30) {
            for line in chunk.split(|&b| b == b'\n') {
                let v: serde_json::Value = serde_json::from_slice(line).unwrap_or_default();
                let field =
                    |k: &str| format!("\"{}\"", v[k].as_str().unwrap_or("").replace('"', "\"\""));
                csv.extend(
                    [
                        field("date"),
                        field("title"),
                        field("story"),
                        field("url"),
                        field("language"),
                    ]
                    .join(",")
                    .bytes(),
                );
                csv.push(b'\n');
            }
        }
        seeds.push(csv);
    }
    seeds
}

fn html_seeds() -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = std::fs::read_dir(repo().join("crates/html/tests/fixtures"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    seeds.push(nested("<div>", "</div>", 20_000));
    seeds.push(nested("<table><tr><td>", "</td></tr></table>", 20_000));
    if let Some(dir) = corpus("html-dev/pages") {
        let mut pages: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        pages.sort();
        // Small pages: mutations then reach every part of them.
        seeds.extend(
            pages
                .iter()
                .step_by(25)
                .map(|p| gunzip(p))
                .filter(|b| b.len() < 150_000),
        );
    }
    seeds
}

#[test]
fn text_pages_never_panic() {
    runner()
        .run(&inputs(text_seeds()), |bytes| {
            read_all(Format::Page, bytes);
            Ok(())
        })
        .unwrap();
}

#[test]
fn jsonl_never_panics() {
    runner()
        .run(&inputs(jsonl_seeds()), |bytes| {
            read_all(Format::Jsonl, bytes);
            Ok(())
        })
        .unwrap();
}

#[test]
fn csv_and_tsv_never_panic() {
    runner()
        .run(&inputs(csv_seeds()), |bytes| {
            read_all(Format::Csv, bytes.clone());
            read_all(Format::Tsv, bytes);
            Ok(())
        })
        .unwrap();
}

#[test]
fn gzip_streams_never_panic() {
    // Real gzip members, mutated: the decoder must fail cleanly.
    let seeds: Vec<Vec<u8>> = jsonl_seeds()
        .into_iter()
        .take(4)
        .map(|plain| {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            std::io::Write::write_all(&mut gz, &plain[..plain.len().min(20_000)]).unwrap();
            gz.finish().unwrap()
        })
        .collect();
    runner()
        .run(&mutated(seeds), |bytes| {
            read_all(Format::Jsonl, bytes);
            Ok(())
        })
        .unwrap();
}

#[test]
fn html_pages_never_panic() {
    let urls = [
        None,
        Some("http://www.rodong.rep.kp/en/index.php?MTJAMjAyNi0wMi0xOS0wMDNAMUAxQEAwQDhA=="),
        Some("http://www.rodong.rep.kp/en/index.php?strPageID=SF01_02_01&newsID=2021-09-12-0009"),
        Some("http://www.kcna.kp/en/article/q/5b3a9ea1d3d8a5f6c3cf1e6e7e5b0d2a.kcmsf"),
        Some("https://example.com/news/1"),
    ];
    let strategy = (inputs(html_seeds()), 0..urls.len(), any::<bool>());
    runner()
        .run(&strategy, |(bytes, url, charset)| {
            let hints = tealeaf_html::Hints {
                url: urls[url].map(str::to_string),
                content_type: charset.then(|| "text/html; charset=euc-kr".to_string()),
                ..Default::default()
            };
            if let Ok(page) = tealeaf_html::extract(&bytes, &hints) {
                // What comes out is text, never markup-sized garbage.
                prop_assert!(
                    page.paragraphs.iter().map(String::len).sum::<usize>() <= bytes.len() * 4
                );
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn urls_never_panic() {
    let seeds: Vec<Vec<u8>> = [
        "http://www.rodong.rep.kp/en/index.php?MTJAMjAyNi0wMi0xOS0wMDNAMUAxQEAwQDhA==",
        "http://www.rodong.rep.kp/ko/index.php?strPageID=SF01_02_01&newsID=2021-09-12-0009",
        "https://web.archive.org/web/20231201000000id_/http://www.kcna.kp/en/article/detail/5B3A9EA1D3D8A5F6C3CF1E6E7E5B0D2A",
        "http://kcna.kp/en/article/list/1?page=%E0%A4",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    runner()
        .run(&mutated(seeds), |bytes| {
            let url = String::from_utf8_lossy(&bytes);
            let _ = tealeaf_html::url::classify(&url);
            let _ = tealeaf_html::url::article_id(&url);
            Ok(())
        })
        .unwrap();
}

#[test]
fn queries_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = tealeaf_index::SearchIndex::open(&dir.path().join("index")).unwrap();
    let mut seeds: Vec<Vec<u8>> = [
        "\"overseas operations\" AND title:Kim",
        "Kim* -Jong OR (Russia AND NOT China)",
        "title:\"New Year\" body:message~2",
        "published:[2011-01-01 TO 2012-01-01]",
        "+Pyongyang +\"Workers' Party\"^2",
        "로동신문 김정은",
        "/re.*gex/",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    seeds.push(nested("(", ")", 10_000));
    seeds.push(nested("\"", "", 5_000));
    runner()
        .run(&mutated(seeds), |bytes| {
            let query = String::from_utf8_lossy(&bytes).into_owned();
            // Never a panic, and never an error: a query that cannot be
            // read is read as words.
            let result = index.search(&tealeaf_index::SearchRequest {
                query: query.clone(),
                limit: 10,
                ..Default::default()
            });
            proptest::prop_assert!(result.is_ok(), "{query:?}: {:?}", result.err());
            Ok(())
        })
        .unwrap();
}

#[test]
fn warc_never_panics() {
    let dir = repo().join("crates/tealeaf/tests/fixtures/warc");
    let gz = std::fs::read(dir.join("capture.warc.gz")).unwrap();
    let plain = gunzip(&dir.join("capture.warc.gz"));
    let seeds = vec![plain, std::fs::read(dir.join("cut.warc")).unwrap(), gz];
    runner()
        .run(&inputs(seeds), |bytes| {
            let opts = ReadOptions::default();
            let counter = tealeaf_read::ByteCounter::default();
            if let Ok(reader) = tealeaf_read::WarcReader::new(
                "fuzz.warc",
                std::io::Cursor::new(bytes),
                &opts,
                &counter,
            ) {
                reader.count();
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn addresses_never_panic() {
    runner()
        .run(&inputs(text_seeds()), |bytes| {
            read_all(Format::Address, bytes);
            Ok(())
        })
        .unwrap();
}

#[test]
fn saved_html_files_and_their_links_never_panic() {
    let mut seeds = html_seeds();
    // A page as a browser saves it, with the address it came from.
    seeds.push(
        b"<!-- saved from url=(0064)http://www.rodong.rep.kp/en/index.php?MTJAMjAyNi0wMi0xOS0wMDNA -->\n<html><head><base href=\"http://kcna.kp/en/\"></head><body><a href=\"article/1.kcmsf\">one</a><area href=\" /two \"></body></html>"
            .to_vec(),
    );
    let strategy = (inputs(seeds), any::<bool>());
    runner_of(cases() / 4)
        .run(&strategy, |(bytes, charset)| {
            let links = tealeaf_html::links(&bytes, charset.then_some("text/html; charset=euc-kr"));
            if let Ok(links) = links {
                prop_assert!(links.hrefs.iter().map(String::len).sum::<usize>() <= bytes.len() * 4);
            }
            read_all(Format::Html, bytes);
            Ok(())
        })
        .unwrap();
}

#[test]
fn http_messages_never_panic() {
    let seeds: Vec<Vec<u8>> = vec![
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n".to_vec(),
        b"HTTP/1.0 301 Moved Permanently\r\nLocation: /en/index.php?x=1\r\nContent-Length: 0\r\n\r\n".to_vec(),
        b"5\r\nhello\r\n6; ext=1\r\n world\r\n0\r\nTrailer: x\r\n\r\n".to_vec(),
        {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            std::io::Write::write_all(&mut gz, b"<html><body>text</body></html>").unwrap();
            gz.finish().unwrap()
        },
    ];
    let encodings = [
        None,
        Some("gzip"),
        Some("deflate"),
        Some("gzip, identity"),
        Some("br"),
    ];
    let strategy = (inputs(seeds), 0..encodings.len());
    runner()
        .run(&strategy, |(bytes, enc)| {
            use tealeaf_read::http;
            let _ = http::parse_head(&bytes);
            const LIMIT: usize = 1 << 20;
            if let Ok(body) = http::dechunk(&bytes, LIMIT) {
                prop_assert!(body.len() <= LIMIT);
            }
            let mut warnings = Vec::new();
            if let Ok(body) =
                http::decode_content(bytes.clone(), encodings[enc], LIMIT, &mut warnings)
            {
                // A small body never unpacks past the limit (no zip bomb).
                prop_assert!(body.len() <= LIMIT.max(bytes.len()));
            }
            let location = String::from_utf8_lossy(&bytes);
            let _ = http::resolve("http://www.kcna.kp/en/article/q/1.kcmsf", &location);
            Ok(())
        })
        .unwrap();
}

#[test]
fn robots_txt_never_panics() {
    let seeds: Vec<Vec<u8>> = [
        "User-agent: *\nDisallow: /en/secret/\n",
        "User-agent: *\nDisallow: /kp/\nCrawl-delay: 0\n",
        "# comment\nUser-agent: tealeaf\nAllow: /en/*.php$\nDisallow: /*?*sort=\nCrawl-delay: 2.5\n\nUser-agent: Googlebot\nDisallow: /\nSitemap: http://x/sitemap.xml\n",
        "User-agent: *\nDisallow: /*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*$\nCrawl-delay: 1e308\n",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    let urls = [
        "http://www.rodong.rep.kp/en/secret/index.php?a=1",
        "http://www.kcna.kp/kp/article/q/1.kcmsf",
        "http://www.rodong.rep.kp/en/index.php?MTJAMjAyNi0wMi0xOS0wMDNA",
        "http://example.com/",
    ];
    runner()
        .run(&inputs(seeds), |bytes| {
            let text = String::from_utf8_lossy(&bytes);
            let rules = tealeaf_crawl::robots::Rules::from_stored(Some(&text));
            for url in urls {
                rules.allowed(url);
            }
            if let Some(delay) = rules.crawl_delay() {
                prop_assert!(delay.is_finite() && delay >= 0.0);
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn cdx_answers_never_panic() {
    let seeds: Vec<Vec<u8>> = vec![
        br#"[["timestamp","original","statuscode","digest","mimetype"],
            ["20130101000000","http://www.rodong.rep.kp/en/a","200","AAA","text/html"],
            ["20140101000000","http://www.rodong.rep.kp/en/a","-","BBB","warc/revisit"],
            [],
            ["com,example)/ 20140101000000"]]"#
            .to_vec(),
        br#"[["original","timestamp"],["http://kcna.kp/",2013],[null,"2014"]]"#.to_vec(),
        nested("[", "]", 20_000),
    ];
    runner()
        .run(&inputs(seeds), |bytes| {
            if let Ok((rows, _)) = tealeaf_crawl::wayback::parse_cdx(&bytes) {
                prop_assert!(rows.len() <= bytes.len());
            }
            let _ = tealeaf_crawl::wayback::parse_timestamp(&String::from_utf8_lossy(&bytes));
            Ok(())
        })
        .unwrap();
}
