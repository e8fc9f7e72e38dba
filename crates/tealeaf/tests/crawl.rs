//! `tealeaf crawl` and `tealeaf wayback` end to end, against fixture
//! servers on 127.0.0.1 (tests/site) that imitate rodong.rep.kp, kcna.kp,
//! a generic news site and the Wayback Machine, and change between rounds.
//! The crawler reaches them through `--resolve` (the real site names
//! pointed at the fixture; no other name is looked up) and
//! `--allow-private`. No test sends traffic anywhere else.

mod common;
mod site;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;
use site::{Site, Wayback};

fn crawl(data: &Path, site: &Site, extra: &[&str]) -> Value {
    let mut args: Vec<String> = vec!["crawl".into(), "--json".into(), "--allow-private".into()];
    args.extend(site.resolve_args());
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    json(data, &args)
}

fn versions(data: &Path, id: &str) -> Vec<Value> {
    json(data, &["show", id, "--json"])["versions"]
        .as_array()
        .unwrap_or_else(|| panic!("no article {id}"))
        .clone()
}

fn has_article(data: &Path, id: &str) -> bool {
    run(data, &["show", id, "--json"]).status.success()
}

fn kinds(data: &Path, id: &str) -> Vec<String> {
    changes_of(data, id)
        .iter()
        .map(|c| c["kind"].as_str().unwrap().to_string())
        .collect()
}

fn titles(data: &Path, id: &str) -> Vec<String> {
    versions(data, id)
        .iter()
        .map(|v| v["title"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn without_allow_private_a_local_site_is_refused_before_any_request() {
    let site = Site::start();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // An address in the url.
    let out = run(
        &data,
        &["crawl", "--once", "--delay", "0", &site.generic_start()],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("loopback"), "{stderr}");
    // A name that resolves to it.
    let mut args = vec![
        "crawl".to_string(),
        "--once".into(),
        "--delay".into(),
        "0".into(),
    ];
    args.extend(site.resolve_args());
    args.push(site.rodong_start());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(&dir.path().join("second"), &args);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("refused"));
    // A name --resolve does not give is not looked up at all.
    let mut args = vec![
        "crawl".to_string(),
        "--once".into(),
        "--allow-private".into(),
    ];
    args.extend(site.resolve_args());
    args.push("http://example.org/".into());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(&dir.path().join("third"), &args);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not named by --resolve"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(site.hits().is_empty(), "{:?}", site.hits());
    // Wayback too.
    let w = Wayback::start(Wayback::history());
    let out = run(
        &data,
        &[
            "wayback",
            "http://www.rodong.rep.kp/",
            "--endpoint",
            &w.base_url(),
        ],
    );
    assert!(!out.status.success());
    assert!(w.hits().is_empty());
}

#[test]
fn two_rounds_catch_new_articles_edits_swaps_and_removals_politely() {
    let site = Site::start();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let starts = [site.rodong_start(), site.kcna_start()];
    let delay = 0.15;
    let mut args = vec!["--once", "--delay", "0.15"];
    args.extend(starts.iter().map(String::as_str));

    let first = crawl(&data, &site, &args);
    assert_eq!(first["rounds"], 1, "{first}");
    assert_eq!(first["ingest"]["rejected"], 0, "{first}");
    for name in ["A", "B", "C", "D", "E", "F"] {
        let id = site.rodong_id(name);
        let text = site.rodong_text(name, 1).unwrap();
        assert_eq!(titles(&data, &id), [text.title], "{name}");
    }
    assert!(!has_article(&data, &site.rodong_id("G")));
    for name in ["K1", "K2", "K3", "K4", "slow", "flaky"] {
        assert!(has_article(&data, &site.kcna_id(name)), "{name}: {first}");
    }
    // The oversized response is abandoned, counted, and takes nothing down.
    assert!(!has_article(&data, &site.kcna_id("huge")));
    assert!(
        first["errors_by_host"]["www.kcna.kp"].as_u64().unwrap() >= 1,
        "{first}"
    );
    // robots.txt: the disallowed urls were never requested.
    assert_eq!(site.count(&site.rodong_secret_url()), 0);
    assert_eq!(site.count(&site.kcna_disallowed_url()), 0);
    assert!(first["robots_disallowed"].as_u64().unwrap() >= 1, "{first}");
    // 503 with Retry-After: 1, twice, then the page: waited for.
    let flaky = site.hits_for_url(&site.kcna_url("flaky"));
    assert_eq!(flaky.len(), 3, "{flaky:?}");
    for pair in flaky.windows(2) {
        assert!(pair[1].started - pair[0].finished >= Duration::from_millis(950));
    }
    // One request at a time per host, and the delay between them.
    for host in ["rodong.rep.kp", "kcna.kp"] {
        assert_eq!(site.max_in_flight(host), 1, "{host}");
        let mut hits = site.hits_for(host);
        hits.sort_by_key(|h| h.started);
        assert!(hits[0].path() == "/robots.txt", "{:?}", hits[0]);
        for pair in hits.windows(2) {
            let gap = pair[1].started.saturating_duration_since(pair[0].finished);
            assert!(
                gap >= Duration::from_secs_f64(delay * 0.9),
                "{host}: {gap:?} between {} and {}",
                pair[0].target,
                pair[1].target
            );
        }
    }
    let ua = site.hits()[0]
        .header("user-agent")
        .unwrap_or("")
        .to_string();
    assert!(ua.starts_with("tealeaf/"), "{ua}");

    // Round 2 at once, with the change in between: the listings are
    // fetched every round, and the articles they show with them, so the
    // new article, the edits, the swap and the removals are all seen.
    site.set_round(2);
    site.clear_hits();
    let second = crawl(&data, &site, &args);
    assert!(has_article(&data, &site.rodong_id("G")), "{second}");
    assert_eq!(second["new_articles"], 1, "{second}");
    let a = site.rodong_id("A");
    assert_eq!(kinds(&data, &a), ["edited"], "{second}");
    let edited = site.rodong_text("A", 2).unwrap();
    let v = versions(&data, &a);
    assert_eq!(v.len(), 2);
    assert!(
        v[1]["paragraphs"]
            .to_string()
            .contains(site::EDITED_SENTENCE)
            || v[1]["title"] == edited.title.as_str(),
        "{v:?}"
    );
    // B and C swapped texts: each has the other's as its new version.
    let (b, c) = (site.rodong_id("B"), site.rodong_id("C"));
    assert_eq!(
        titles(&data, &b),
        [
            site.rodong_text("B", 1).unwrap().title,
            site.rodong_text("C", 1).unwrap().title
        ]
    );
    assert_eq!(
        titles(&data, &c)[1],
        site.rodong_text("B", 1).unwrap().title
    );
    assert_eq!(kinds(&data, &b).len(), 1);
    // D (404) and E (302 to the home page) are removals.
    for name in ["D", "E"] {
        assert_eq!(kinds(&data, &site.rodong_id(name)), ["removed"], "{name}");
    }
    assert_eq!(second["removals"], 2, "{second}");
    assert_eq!(kinds(&data, &site.kcna_id("K1")), ["edited"]);
    // Unchanged pages were asked for conditionally and answered 304.
    let f = site.hits_for_url(&site.rodong_url("F"));
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(f[0].header("if-none-match").is_some(), "{:?}", f[0]);
    assert_eq!(f[0].status, 304);
    assert!(second["not_modified"].as_u64().unwrap() >= 3, "{second}");
    assert_eq!(site.count(&site.rodong_secret_url()), 0);

    // Round 3, the same content, everything re-checked: nothing new.
    site.set_round(3);
    let third = crawl(&data, &site, &[&args[..], &["--recheck-all"]].concat());
    assert_eq!(third["new_versions"], 0, "{third}");
    assert_eq!(third["new_articles"], 0, "{third}");
    assert_eq!(third["removals"], 0, "{third}");

    // The WARC files re-ingest into an empty directory to the same
    // articles and versions.
    let again = dir.path().join("again");
    let warc = data.join("warc");
    let summary = json(&again, &["ingest", "--json", warc.to_str().unwrap()]);
    assert_eq!(summary["rejected"], 0, "{summary}");
    let stats = |d: &Path| {
        let s = json(d, &["stats", "--json"]);
        (
            s["articles"].clone(),
            s["versions"].clone(),
            s["failed_captures"].clone(),
        )
    };
    assert_eq!(stats(&data), stats(&again));
    for id in [&a, &b, &c, &site.rodong_id("D"), &site.kcna_id("K1")] {
        let strip = |v: Vec<Value>| -> Vec<(Value, Value, Value)> {
            v.iter()
                .map(|x| {
                    (
                        x["title"].clone(),
                        x["first_seen"].clone(),
                        x["gone"].clone(),
                    )
                })
                .collect()
        };
        assert_eq!(
            strip(versions(&data, id)),
            strip(versions(&again, id)),
            "{id}"
        );
    }

    // Seven rodong articles and six kcna ones (the oversized one never).
    let stats = json(&data, &["stats", "--json"]);
    assert_eq!(stats["articles"], 13, "{stats}");
}

#[test]
fn an_article_no_listing_shows_waits_for_its_recheck() {
    let site = Site::start();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let k2 = site.kcna_url("K2");
    let args = ["--once", "--delay", "0", k2.as_str()];
    crawl(&data, &site, &args);
    assert!(has_article(&data, &site.kcna_id("K2")));
    // Due an hour after its first fetch: not fetched again now.
    crawl(&data, &site, &args);
    assert_eq!(site.count(&k2), 1);
    // --recheck-all: now, conditionally.
    let s = crawl(&data, &site, &[&args[..], &["--recheck-all"]].concat());
    let hits = site.hits_for_url(&k2);
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert_eq!(hits[1].status, 304, "{s}");
    assert!(s["not_modified"].as_u64().unwrap() >= 1, "{s}");
}

#[test]
fn a_generic_site_gives_its_articles_not_its_start_page() {
    let site = Site::start();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let s = crawl(
        &data,
        &site,
        &[
            "--once",
            "--delay",
            "0",
            "--profile",
            "generic",
            &site.generic_start(),
        ],
    );
    assert_eq!(s["new_articles"], site::GENERIC_ARTICLES, "{s}");
    let stats = json(&data, &["stats", "--json"]);
    assert_eq!(stats["articles"], site::GENERIC_ARTICLES, "{stats}");
}

#[test]
fn a_killed_crawl_resumes_without_fetching_again_what_it_stored() {
    let site = Site::start();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut args: Vec<String> = vec![
        "--data".into(),
        data.display().to_string(),
        "crawl".into(),
        "--allow-private".into(),
        "--delay".into(),
        "0.3".into(),
    ];
    args.extend(site.resolve_args());
    args.push(site.rodong_start());
    let mut child = Command::new(bin())
        .args(&args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Killed once a few articles are fetched.
    let deadline = Instant::now() + Duration::from_secs(60);
    let articles = |site: &Site| -> Vec<String> {
        site.hits()
            .iter()
            .filter(|h| h.status == 200 && h.target.contains("index.php?") && h.path() != "/en/")
            // The second listing is re-fetched on every run's first round.
            .filter(|h| !site.rodong_listing2().ends_with(&h.target))
            .map(|h| h.target.clone())
            .collect()
    };
    while articles(&site).len() < 4 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let before = articles(&site);
    assert!(before.len() >= 4, "{before:?}");
    site.clear_hits();

    let s = crawl(
        &data,
        &site,
        &["--once", "--delay", "0", &site.rodong_start()],
    );
    let after = articles(&site);
    let again: Vec<&String> = after.iter().filter(|t| before.contains(t)).collect();
    // The fetch under way when killed may be fetched again; no other.
    assert!(
        again.len() <= 1,
        "fetched again: {again:?}\nbefore {before:?}"
    );
    for name in ["A", "B", "C", "D", "E", "F"] {
        assert!(has_article(&data, &site.rodong_id(name)), "{name}: {s}");
    }
}

#[test]
fn a_warc_file_cut_mid_record_is_ingested_up_to_the_cut() {
    let site = Site::start();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    crawl(
        &data,
        &site,
        &["--once", "--delay", "0", &site.rodong_start()],
    );
    let file = std::fs::read_dir(data.join("warc"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let bytes = std::fs::read(&file).unwrap();
    let cut = dir.path().join("cut.warc.gz");
    std::fs::write(&cut, &bytes[..bytes.len() - 200]).unwrap();
    let fresh = dir.path().join("fresh");
    let out = run(&fresh, &["ingest", "--json", cut.to_str().unwrap()]);
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(s["new_articles"].as_u64().unwrap() >= 5, "{s}");
}

#[test]
fn wayback_builds_versions_fetching_each_digest_once_and_resumes() {
    let w = Wayback::start(Wayback::history());
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    w.fail_next(1, 503);
    let run_wayback = |extra: &[&str]| {
        let mut args = vec![
            "wayback",
            "http://www.rodong.rep.kp/",
            "--json",
            "--allow-private",
            "--delay",
            "0",
            "--cdx-page-size",
            "3",
        ];
        let base = w.base_url();
        let base: &str = &base;
        args.extend(["--endpoint", base]);
        args.extend(extra);
        json(&data, &args)
    };
    let s = run_wayback(&[]);
    assert_eq!(s["errors"], 1, "{s}");
    assert_eq!(s["ingest"]["rejected"], 0, "{s}");
    for capture in w.captures() {
        assert!(
            w.fetches(capture) <= 1,
            "{} fetched twice",
            capture.timestamp
        );
    }
    // Paged: more than one CDX request.
    assert!(w.cdx_hits().len() >= 2);
    for article in Wayback::history_articles() {
        let v = versions(&data, &article.id);
        let distinct: Vec<&String> = {
            let mut seen = Vec::new();
            for (_, text) in &article.versions {
                if seen.last() != Some(&&text.title) {
                    seen.push(&text.title);
                }
            }
            seen
        };
        let kept: Vec<&Value> = v.iter().filter(|x| x["gone"].is_null()).collect();
        assert!(!kept.is_empty(), "{}: {v:?}", article.id);
        assert_eq!(kept[0]["title"], distinct[0].as_str());
        assert_eq!(
            kept[0]["first_seen"].as_str().unwrap()[..4],
            article.versions[0].0[..4],
            "captured_at is the capture's time"
        );
        if article.gone.is_some() {
            assert!(kinds(&data, &article.id).contains(&"removed".to_string()));
        }
    }
    // Again: only what is new is fetched (nothing).
    w.clear_hits();
    let again = run_wayback(&[]);
    assert_eq!(again["fetched"], 0, "{again}");
    assert_eq!(again["already_known"], s["listed"], "{again}");
    assert!(w.fetched().is_empty());
}

#[test]
fn an_unreachable_host_is_one_error_and_the_others_are_crawled() {
    let site = Site::start();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // kcna.kp points at a port of 127.0.0.1 nothing listens on (bound and
    // dropped): every connection is refused there, at once.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let mut args: Vec<String> = vec![
        "crawl".into(),
        "--json".into(),
        "--allow-private".into(),
        "--once".into(),
        "--delay".into(),
        "0".into(),
    ];
    for host in ["rodong.rep.kp", "www.rodong.rep.kp"] {
        args.extend(["--resolve".into(), format!("{host}={}", site.addr())]);
    }
    args.extend(["--resolve".into(), format!("www.kcna.kp={closed}")]);
    args.extend([site.rodong_start(), site.kcna_start()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let s = json(&data, &args);
    assert_eq!(s["errors_by_host"]["www.kcna.kp"], 1, "{s}");
    assert_eq!(
        s["hosts_given_up"],
        serde_json::json!(["www.kcna.kp"]),
        "{s}"
    );
    assert!(has_article(&data, &site.rodong_id("A")), "{s}");
    assert!(site.hits_for("kcna.kp").is_empty());
}

#[test]
fn sigterm_finishes_the_request_stores_and_exits_zero() {
    let site = Site::start();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut args: Vec<String> = vec![
        "--data".into(),
        data.display().to_string(),
        "crawl".into(),
        "--json".into(),
        "--allow-private".into(),
        "--delay".into(),
        "0.3".into(),
    ];
    args.extend(site.resolve_args());
    args.push(site.rodong_start());
    let child = Command::new(bin())
        .args(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while site.hits().iter().filter(|h| h.status == 200).count() < 4 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{:?}", out.status);
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["interrupted"], true, "{s}");
    // What was fetched before the signal is stored.
    let stored = json(&data, &["stats", "--json"])["articles"]
        .as_u64()
        .unwrap();
    assert!(stored >= 1, "{s}");
    assert_eq!(s["new_articles"].as_u64().unwrap(), stored, "{s}");
}
