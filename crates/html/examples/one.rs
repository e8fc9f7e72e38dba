use std::io::Read;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap()).read_to_end(&mut bytes).unwrap();
    let page = tealeaf_html::extract(&bytes, &tealeaf_html::Hints::default()).unwrap();
    println!("TITLE {}\nDATE {:?} BY {:?} LANG {:?}", page.title, page.published, page.byline, page.language);
    for p in page.paragraphs { println!("P {p}"); }
}
