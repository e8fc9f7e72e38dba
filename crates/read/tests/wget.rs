//! A WARC written by GNU wget (`--warc-file`), as crawls are made: wget
//! fetches two kcna.kp article urls through a proxy that this test runs on
//! 127.0.0.1 (nothing else is ever connected to), then the WARC is read.
//! Ignored by default (it needs wget); `.ci/run` installs wget and runs it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::Command;

use tealeaf_read::{ByteCounter, FileSource, Item, ReadOptions, Source};

const PAGE: &str = "http://www.kcna.kp/en/article/q/0123456789abcdef0123456789abcdef.kcmsf";
const GONE: &str = "http://www.kcna.kp/en/article/q/fedcba9876543210fedcba9876543210.kcmsf";

/// Answers each request (absolute urls: it is the proxy) and closes.
fn serve(listener: TcpListener, requests: usize) {
    for _ in 0..requests {
        let Ok((stream, _)) = listener.accept() else {
            return;
        };
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut first = String::new();
        reader.read_line(&mut first).unwrap();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
                break;
            }
        }
        let url = first.split_whitespace().nth(1).unwrap_or("").to_string();
        let mut out = stream;
        if url == PAGE {
            let body = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Greetings to Lao President</title></head><body><article><h1>Greetings to Lao President</h1><p>Kim Yong Nam sent a message of greeting to the Lao president.</p><p>He wished him good health.</p></article></body></html>";
            // Sent chunked, as servers stream pages.
            let (a, b) = body.split_at(100);
            write!(
                out,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{:x}\r\n{a}\r\n{:x}\r\n{b}\r\n0\r\n\r\n",
                a.len(),
                b.len()
            )
            .unwrap();
        } else {
            write!(
                out,
                "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: 9\r\nConnection: close\r\n\r\nNot Found"
            )
            .unwrap();
        }
    }
}

#[test]
#[ignore = "needs wget (cargo test -- --include-ignored; .ci/run installs it)"]
fn a_warc_written_by_wget() {
    assert!(
        Command::new("wget").arg("--version").output().is_ok(),
        "needs GNU wget on the PATH"
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || serve(listener, 2));
    let dir = tempfile::tempdir().unwrap();
    let warc = dir.path().join("crawl");
    let status = Command::new("wget")
        .current_dir(dir.path())
        .env_clear()
        // No wgetrc may add a no_proxy that sends wget anywhere else.
        .args(["--no-config", "-e", "no_proxy="])
        .args(["-q", "--tries=1", "--timeout=10", "-O", "/dev/null"])
        .args(["-e", "use_proxy=yes"])
        .args(["-e", &format!("http_proxy=http://127.0.0.1:{port}")])
        .arg(format!("--warc-file={}", warc.display()))
        .args([PAGE, GONE])
        .status()
        .unwrap();
    // 8: a server answered with an error (the 404), as intended.
    assert!(matches!(status.code(), Some(0 | 8)), "{status:?}");
    server.join().unwrap();
    let path = dir.path().join("crawl.warc.gz");
    let bytes = std::fs::read(&path).unwrap();

    let counter = ByteCounter::default();
    let items: Vec<Item> = Box::new(FileSource::new(&path, ReadOptions::default()))
        .items(&counter)
        .collect();
    assert_eq!(items.len(), 2, "{items:?}");
    // Each item at the start of its gzip member.
    for item in &items {
        let offset = match item {
            Item::Record(r) => r.origin.offset,
            Item::Rejected(e) => e.origin.offset,
            Item::Listing(_) => None,
        }
        .unwrap() as usize;
        assert_eq!(&bytes[offset..offset + 2], &[0x1f, 0x8b], "{item:?}");
    }
    // The page: read once the HTML extractor reads titles; with its stubs
    // it is an empty page. Either way, at its url.
    match &items[0] {
        Item::Record(r) => {
            assert_eq!(r.url.as_deref(), Some(PAGE));
            assert_eq!(r.title, "Greetings to Lao President");
            assert_eq!(r.paragraphs.len(), 2);
            assert_eq!(r.status, Some(200));
        }
        Item::Rejected(e) => assert!(e.message.contains("neither title nor text"), "{e}"),
        other => panic!("{other:?}"),
    }
    let Item::Record(gone) = &items[1] else {
        panic!("{items:?}")
    };
    assert_eq!(gone.url.as_deref(), Some(GONE));
    assert_eq!(gone.status, Some(404));
    assert!(gone.captured_at.is_some());
    assert_eq!(counter.get(), bytes.len() as u64);

    // And read back whole, as a plain WARC.
    let mut plain = Vec::new();
    flate2::read::MultiGzDecoder::new(&bytes[..])
        .read_to_end(&mut plain)
        .unwrap();
    let plain_path = dir.path().join("plain.warc");
    std::fs::write(&plain_path, &plain).unwrap();
    let again: Vec<Item> = Box::new(FileSource::new(&plain_path, ReadOptions::default()))
        .items(&ByteCounter::default())
        .collect();
    assert_eq!(again.len(), 2);
    assert!(matches!(&again[1], Item::Record(r) if r.status == Some(404)));
}
