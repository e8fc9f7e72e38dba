//! An imitation of the Wayback Machine: the CDX API
//! (`/cdx/search/cdx`) and raw captures (`/web/<timestamp>id_/<original>`).

use std::sync::{Arc, Mutex};

use super::content::{self, edited, texts, Text};
use super::http::{
    base32, hex, percent_decode, query_pairs, sha1, split_url, unhex, Hit, Request, Response,
    Server,
};

/// One capture in the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capture {
    /// 14 digits, `20130105093000`.
    pub timestamp: String,
    /// The url captured, as the crawler saw it.
    pub original: String,
    /// The captured response's status; 0 is a revisit record (CDX
    /// statuscode `-`, served with the body given here).
    pub status: u16,
    /// `text/html`, or `warc/revisit` for revisits.
    pub mimetype: String,
    pub body: Vec<u8>,
}

impl Capture {
    pub fn new(
        timestamp: &str,
        original: &str,
        status: u16,
        mimetype: &str,
        body: impl Into<Vec<u8>>,
    ) -> Capture {
        assert!(
            timestamp.len() == 14 && timestamp.bytes().all(|b| b.is_ascii_digit()),
            "a timestamp is 14 digits: {timestamp}"
        );
        Capture {
            timestamp: timestamp.to_string(),
            original: original.to_string(),
            status,
            mimetype: mimetype.to_string(),
            body: body.into(),
        }
    }

    /// A 200 `text/html` capture.
    pub fn html(timestamp: &str, original: &str, body: impl Into<Vec<u8>>) -> Capture {
        Capture::new(timestamp, original, 200, "text/html", body)
    }

    /// Base32 SHA-1 of the body, as the CDX digests are.
    pub fn digest(&self) -> String {
        base32(&sha1(&self.body))
    }

    /// `200`, `404`; `-` for a revisit.
    pub fn statuscode(&self) -> String {
        if self.status == 0 {
            "-".to_string()
        } else {
            self.status.to_string()
        }
    }

    /// The CDX urlkey (SURT): `kp,rep,rodong)/en/index.php?...`.
    pub fn urlkey(&self) -> String {
        let (host, target) = split_url(&self.original);
        let host: Vec<&str> = host.split('.').rev().collect();
        format!("{}){}", host.join(","), target.to_ascii_lowercase())
    }

    /// The original without scheme and `www.`, the host lowercased: what
    /// prefix matching compares.
    fn norm(&self) -> String {
        norm(&self.original)
    }

    fn field(&self, name: &str) -> Option<String> {
        Some(match name {
            "urlkey" => self.urlkey(),
            "timestamp" => self.timestamp.clone(),
            "original" => self.original.clone(),
            "mimetype" => self.mimetype.clone(),
            "statuscode" => self.statuscode(),
            "digest" => self.digest(),
            "length" => self.body.len().to_string(),
            _ => return None,
        })
    }
}

fn norm(url: &str) -> String {
    let (host, target) = split_url(url);
    let target = if target == "/" && !url.trim_end().ends_with('/') {
        String::new()
    } else {
        target
    };
    format!("{host}{target}")
}

/// One article of [`Wayback::history`] and what it said when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryArticle {
    pub original: String,
    /// `rodong:en:KEY`.
    pub id: String,
    /// (timestamp first captured, text), oldest first; a re-capture of
    /// the same body is not a version.
    pub versions: Vec<(String, Text)>,
    /// The timestamp of a later 404 capture.
    pub gone: Option<String>,
}

const FIELDS: [&str; 7] = [
    "urlkey",
    "timestamp",
    "original",
    "mimetype",
    "statuscode",
    "digest",
    "length",
];

/// The Wayback Machine fixture. Stops when dropped.
pub struct Wayback {
    server: Server,
    captures: Arc<Vec<Capture>>,
    fail: Arc<Mutex<(usize, u16)>>,
}

impl Wayback {
    pub fn start(captures: Vec<Capture>) -> Wayback {
        let captures = Arc::new(captures);
        let fail = Arc::new(Mutex::new((0usize, 503u16)));
        let (c, f) = (captures.clone(), fail.clone());
        let server = Server::start("wayback", move |req| {
            {
                let mut f = f.lock().unwrap_or_else(|e| e.into_inner());
                if f.0 > 0 {
                    f.0 -= 1;
                    return Response::text(f.1, "slow down\n").with_header("Retry-After", "1");
                }
            }
            handle(&c, req)
        });
        Wayback {
            server,
            captures,
            fail,
        }
    }

    /// Two rodong articles (old layout, `newsID` urls) captured 2013–2016
    /// and a listing:
    ///
    /// - listing `…?strPageID=SF01_01_01`, 20130105090000, 200;
    /// - article 1 (`newsID=2013-01-04-0001`): 20130105093000 original,
    ///   20140210120000 the same body again (200, same digest),
    ///   20150301080000 edited;
    /// - article 2 (`newsID=2013-01-04-0002`): 20130106100000 original,
    ///   20140211130000 a revisit (statuscode `-`, `warc/revisit`, same
    ///   digest and body), 20150302090000 edited, 20160101000000 404.
    ///
    /// [`Wayback::history_articles`] says what each holds.
    pub fn history() -> Vec<Capture> {
        let arts = Wayback::history_articles();
        let (a1, a2) = (&arts[0], &arts[1]);
        let page = |t: &Text| content::rodong_old_article(t).into_bytes();
        let v = |a: &HistoryArticle, i: usize| page(&a.versions[i].1);
        let listing = content::rodong_old_listing(&[
            (
                "index.php?strPageID=SF01_02_01&newsID=2013-01-04-0001".to_string(),
                a1.versions[0].1.title.clone(),
            ),
            (
                "index.php?strPageID=SF01_02_01&newsID=2013-01-04-0002".to_string(),
                a2.versions[0].1.title.clone(),
            ),
        ]);
        vec![
            Capture::html(
                "20130105090000",
                "http://www.rodong.rep.kp/en/index.php?strPageID=SF01_01_01",
                listing,
            ),
            Capture::html("20130105093000", &a1.original, v(a1, 0)),
            Capture::html("20140210120000", &a1.original, v(a1, 0)),
            Capture::html("20150301080000", &a1.original, v(a1, 1)),
            Capture::html("20130106100000", &a2.original, v(a2, 0)),
            Capture::new("20140211130000", &a2.original, 0, "warc/revisit", v(a2, 0)),
            Capture::html("20150302090000", &a2.original, v(a2, 1)),
            Capture::new(
                "20160101000000",
                &a2.original,
                404,
                "text/html",
                Response::not_found().bytes().unwrap_or_default().to_vec(),
            ),
        ]
    }

    /// The articles of [`Wayback::history`].
    pub fn history_articles() -> Vec<HistoryArticle> {
        let t = texts();
        (0..2)
            .map(|i| {
                let key = format!("2013-01-04-{:04}", i + 1);
                let text = Text {
                    date: "2013-01-04".to_string(),
                    ..t[16 + i].clone()
                };
                let (first, edit) = if i == 0 {
                    ("20130105093000", "20150301080000")
                } else {
                    ("20130106100000", "20150302090000")
                };
                HistoryArticle {
                    original: format!(
                        "http://www.rodong.rep.kp/en/index.php?strPageID=SF01_02_01&newsID={key}"
                    ),
                    id: format!("rodong:en:{key}"),
                    versions: vec![
                        (first.to_string(), text.clone()),
                        (edit.to_string(), edited(&text)),
                    ],
                    gone: (i == 1).then(|| "20160101000000".to_string()),
                }
            })
            .collect()
    }

    pub fn captures(&self) -> &[Capture] {
        &self.captures
    }

    pub fn port(&self) -> u16 {
        self.server.port()
    }

    /// `127.0.0.1:PORT`.
    pub fn addr(&self) -> String {
        self.server.addr()
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr())
    }

    /// `http://127.0.0.1:PORT/cdx/search/cdx`.
    pub fn cdx_url(&self) -> String {
        format!("{}/cdx/search/cdx", self.base_url())
    }

    /// `http://127.0.0.1:PORT/web/<timestamp>id_/<original>`.
    pub fn id_url(&self, c: &Capture) -> String {
        format!("{}/web/{}id_/{}", self.base_url(), c.timestamp, c.original)
    }

    /// `--resolve web.archive.org=127.0.0.1:PORT` (and `archive.org`).
    pub fn resolve_args(&self) -> Vec<String> {
        let addr = self.addr();
        ["web.archive.org", "archive.org"]
            .iter()
            .flat_map(|h| ["--resolve".to_string(), format!("{h}={addr}")])
            .collect()
    }

    /// The next `n` requests (any) answer `status` with `Retry-After: 1`.
    pub fn fail_next(&self, n: usize, status: u16) {
        *self.fail.lock().unwrap_or_else(|e| e.into_inner()) = (n, status);
    }

    pub fn hits(&self) -> Vec<Hit> {
        self.server.hits()
    }

    /// The CDX queries.
    pub fn cdx_hits(&self) -> Vec<Hit> {
        self.hits()
            .into_iter()
            .filter(|h| h.path() == "/cdx/search/cdx")
            .collect()
    }

    /// The capture fetches, as (timestamp, original) requested.
    pub fn fetched(&self) -> Vec<(String, String)> {
        self.hits()
            .iter()
            .filter_map(|h| parse_web(&h.target))
            .map(|(ts, _, orig)| (ts, orig))
            .collect()
    }

    /// How many times capture `c` was fetched (`/web/` with its timestamp
    /// and url).
    pub fn fetches(&self, c: &Capture) -> usize {
        self.fetched()
            .iter()
            .filter(|(ts, orig)| ts == &c.timestamp && norm(orig) == c.norm())
            .count()
    }

    pub fn clear_hits(&self) {
        self.server.clear_hits()
    }

    pub fn max_in_flight(&self) -> usize {
        self.server.max_in_flight("127.0.0.1")
    }
}

fn handle(captures: &[Capture], req: &Request) -> Response {
    if req.path() == "/cdx/search/cdx" || req.path() == "/cdx/search" {
        return cdx(captures, req.query());
    }
    if let Some((ts, flags, original)) = parse_web(&req.target) {
        return capture(captures, &ts, &flags, &original);
    }
    Response::not_found()
}

/// `/web/20130105093000id_/http://…` → (timestamp, flags, original).
fn parse_web(target: &str) -> Option<(String, String, String)> {
    let rest = target.strip_prefix("/web/")?;
    let (stamp, original) = rest.split_once('/')?;
    let digits: String = stamp.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 14 {
        return None;
    }
    let flags = stamp[digits.len()..].to_string();
    let original = if original.contains("://") || !original.contains("%3A") {
        original.to_string()
    } else {
        percent_decode(original, false)
    };
    Some((digits, flags, original))
}

fn capture(captures: &[Capture], ts: &str, flags: &str, original: &str) -> Response {
    let want = norm(original);
    let of_url: Vec<&Capture> = captures.iter().filter(|c| c.norm() == want).collect();
    let Some(exact) = of_url.iter().find(|c| c.timestamp == ts) else {
        // Like the real one: redirect to the nearest capture.
        let pad = |t: &str| format!("{t:0<14}").parse::<i64>().unwrap_or(0);
        let target = pad(ts);
        return match of_url
            .iter()
            .min_by_key(|c| (pad(&c.timestamp) - target).abs())
        {
            Some(c) => {
                Response::redirect(302, &format!("/web/{}{flags}/{}", c.timestamp, c.original))
            }
            None => Response::not_found(),
        };
    };
    let mimetype = if exact.status == 0 {
        // A revisit is served as what it revisits.
        captures
            .iter()
            .filter(|c| c.status != 0 && c.digest() == exact.digest())
            .map(|c| c.mimetype.clone())
            .next()
            .unwrap_or_else(|| "text/html".to_string())
    } else {
        exact.mimetype.clone()
    };
    let status = if exact.status == 0 { 200 } else { exact.status };
    Response::new(status, &mimetype, exact.body.clone())
        .with_header("Memento-Datetime", &exact.timestamp)
}

/// The CDX server: see the module's documentation.
fn cdx(captures: &[Capture], query: &str) -> Response {
    let params = query_pairs(query);
    let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let Some(url) = get("url") else {
        return Response::text(400, "url is required\n");
    };
    let (url, star) = match url.strip_suffix('*') {
        Some(u) => (u, true),
        None => (url, false),
    };
    let want = norm(url);
    let want_host = split_url(url).0;
    let match_type = if star {
        "prefix"
    } else {
        get("matchType").unwrap_or("exact")
    };
    let fields: Vec<String> = match get("fl") {
        Some(fl) => fl.split(',').map(|f| f.trim().to_string()).collect(),
        None => FIELDS.iter().map(|f| f.to_string()).collect(),
    };
    if let Some(bad) = fields.iter().find(|f| !FIELDS.contains(&f.as_str())) {
        return Response::text(400, format!("unknown field {bad}\n"));
    }
    let from = get("from").map(|f| format!("{f:0<14}"));
    let to = get("to").map(|t| format!("{t:9<14}"));
    let filters: Vec<(bool, String, String)> = params
        .iter()
        .filter(|(k, _)| k == "filter")
        .filter_map(|(_, v)| {
            let (neg, v) = match v.strip_prefix('!') {
                Some(v) => (true, v),
                None => (false, v.as_str()),
            };
            let (f, pat) = v.split_once(':')?;
            Some((neg, f.to_string(), pat.to_string()))
        })
        .collect();
    let mut rows: Vec<&Capture> = captures
        .iter()
        .filter(|c| {
            let n = c.norm();
            let host = split_url(&c.original).0;
            match match_type {
                "prefix" => n.starts_with(&want),
                "host" => host == want_host,
                "domain" => host == want_host || host.ends_with(&format!(".{want_host}")),
                _ => n == want,
            }
        })
        .filter(|c| from.as_ref().is_none_or(|f| c.timestamp >= *f))
        .filter(|c| to.as_ref().is_none_or(|t| c.timestamp <= *t))
        .filter(|c| {
            filters.iter().all(|(neg, f, pat)| {
                let value = c.field(f).unwrap_or_default();
                let hit = match pat.strip_suffix(".*") {
                    Some(p) => value.starts_with(p),
                    None => value == *pat,
                };
                hit != *neg
            })
        })
        .collect();
    rows.sort_by(|a, b| (a.norm(), &a.timestamp).cmp(&(b.norm(), &b.timestamp)));
    // collapse=digest (or any field, `field:N` for its first N chars): a
    // row equal to the row before it, of the same url, is dropped.
    if let Some(spec) = get("collapse") {
        let (field, n) = match spec.split_once(':') {
            Some((f, n)) => (f, n.parse::<usize>().ok()),
            None => (spec, None),
        };
        let key = |c: &Capture| {
            let v = c.field(field).unwrap_or_default();
            match n {
                Some(n) => v.chars().take(n).collect::<String>(),
                None => v,
            }
        };
        let mut kept: Vec<&Capture> = Vec::new();
        for c in rows {
            let dup = kept
                .last()
                .is_some_and(|p| p.norm() == c.norm() && key(p) == key(c));
            if !dup {
                kept.push(c);
            }
        }
        rows = kept;
    }
    // Paging: the resume key names the next row (hex of url and
    // timestamp, so it survives any encoding).
    if let Some(k) = get("resumeKey") {
        let Some((u, ts)) = unhex(k)
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|s| {
                s.rsplit_once(' ')
                    .map(|(u, t)| (u.to_string(), t.to_string()))
            })
        else {
            return Response::text(400, "bad resumeKey\n");
        };
        rows.retain(|c| (c.norm(), c.timestamp.clone()) >= (u.clone(), ts.clone()));
    }
    let limit = get("limit").and_then(|l| l.parse::<usize>().ok());
    let mut resume = None;
    if let Some(limit) = limit {
        if rows.len() > limit {
            let next = rows[limit];
            resume = Some(hex(format!("{} {}", next.norm(), next.timestamp).as_bytes()));
            rows.truncate(limit);
        }
    }
    let show_resume = get("showResumeKey") == Some("true");
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|c| {
            fields
                .iter()
                .map(|f| c.field(f).unwrap_or_default())
                .collect()
        })
        .collect();
    if get("output") == Some("json") {
        if table.is_empty() && !(show_resume && resume.is_some()) {
            return Response::new(200, "application/json", "[]\n");
        }
        let mut lines: Vec<String> = vec![serde_json::to_string(&fields).unwrap_or_default()];
        lines.extend(
            table
                .iter()
                .map(|r| serde_json::to_string(r).unwrap_or_default()),
        );
        if let (true, Some(k)) = (show_resume, &resume) {
            lines.push("[]".to_string());
            lines.push(serde_json::to_string(&[k]).unwrap_or_default());
        }
        return Response::new(
            200,
            "application/json",
            format!("[{}]\n", lines.join(",\n")),
        );
    }
    let mut out: String = table.iter().map(|r| format!("{}\n", r.join(" "))).collect();
    if let (true, Some(k)) = (show_resume, &resume) {
        out.push_str(&format!("\n{k}\n"));
    }
    Response::text(200, out)
}
