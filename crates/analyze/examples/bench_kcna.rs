//! Times analysis of the whole kcna-2011 corpus (single-threaded).
//!
//! cargo run --release -p tealeaf-analyze --example bench_kcna [-- PATH [RUNS]]
//!
//! PATH defaults to the corpus beside the repository. Reading and
//! decompressing are outside the timed part.

use std::io::BufRead;
use std::path::PathBuf;
use std::time::Instant;

use tealeaf_analyze::Analyzer;

/// This thread's user+system CPU time (Linux; 10 ms resolution).
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the parenthesized command name; utime and stime are 14 and 15.
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ut: f64 = f.get(11)?.parse().ok()?;
    let st: f64 = f.get(12)?.parse().ok()?;
    Some((ut + st) / 100.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/corpus/kcna/kcna-2011.jsonl.gz")
    });
    let runs: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(7);
    let r = std::io::BufReader::new(flate2::read::GzDecoder::new(std::fs::File::open(&path)?));
    let mut docs = Vec::new();
    let mut bytes = 0usize;
    for line in r.lines() {
        let v: serde_json::Value = serde_json::from_str(&line?)?;
        let s = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
        let title = s("title");
        let paragraphs = tealeaf_model::text::split_paragraphs(&s("story"));
        bytes += title.len() + paragraphs.iter().map(|p| p.len()).sum::<usize>();
        let published = chrono::NaiveDate::parse_from_str(&s("date"), "%Y-%m-%d").ok();
        docs.push((title, paragraphs, published));
    }
    let t = Instant::now();
    let analyzer = Analyzer::new()?;
    eprintln!("build analyzer: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    // The first article also builds the rules' regexes (once a process).
    if let Some((title, paragraphs, published)) = docs.first() {
        let t = Instant::now();
        analyzer.analyze_parts(title, paragraphs, *published);
        eprintln!("first article: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    }
    let mut times = Vec::new();
    let mut cpu = Vec::new();
    let mut mentions = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let c0 = thread_cpu_seconds();
        mentions = 0;
        for (title, paragraphs, published) in &docs {
            mentions += analyzer
                .analyze_parts(title, paragraphs, *published)
                .mentions
                .len();
        }
        times.push(t.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (c0, thread_cpu_seconds()) {
            cpu.push(b - a);
        }
    }
    cpu.sort_by(|a, b| a.total_cmp(b));
    if !cpu.is_empty() {
        // CPU time is what the analysis costs when other work shares the cores.
        println!("thread CPU time: median {:.3} s", cpu[cpu.len() / 2]);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!(
        "{} articles, {:.1} MB, {} mentions; runs (s): {:?}; median {:.3} s",
        docs.len(),
        bytes as f64 / 1e6,
        mentions,
        times
            .iter()
            .map(|t| (t * 1000.0).round() / 1000.0)
            .collect::<Vec<_>>(),
        times[times.len() / 2]
    );
    Ok(())
}
