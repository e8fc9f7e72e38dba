use std::io::Read;
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let mode = std::env::args().nth(2).unwrap_or_default();
    let mut names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    let (mut tr, mut tp, mut te) = (0f64, 0f64, 0f64);
    for p in names {
        let t = std::time::Instant::now();
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(&p).unwrap()).read_to_end(&mut bytes).unwrap();
        let dec = tealeaf_html::charset::decode(&bytes, None).unwrap();
        tr += t.elapsed().as_secs_f64();
        let t = std::time::Instant::now();
        let doc = scraper::Html::parse_document(&dec.text);
        tp += t.elapsed().as_secs_f64();
        drop(doc);
        if mode == "full" {
            let t = std::time::Instant::now();
            let _ = tealeaf_html::extract(&bytes, &Default::default());
            te += t.elapsed().as_secs_f64();
        }
    }
    eprintln!("read+decode {tr:.2} parse {tp:.2} full-extract {te:.2}");
}
