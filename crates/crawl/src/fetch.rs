//! One HTTP GET at a time, as a polite and careful client makes it: the
//! guard's resolver ([`crate::guard`]), no proxy from the environment, no
//! redirect followed by the client (the caller decides each hop, and each
//! is checked again), responses capped in size and time, the bytes kept as
//! the server sent them (content codings left on) for the WARC record.
//!
//! Must not touch: deciding what to fetch, files, the archive.

use std::collections::HashMap;
use std::io::Read;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::guard::{check_url, GuardedResolver, Refusal};

/// The most bytes of one response read: the largest page the extractor
/// reads (`tealeaf_html::MAX_PAGE_BYTES`).
pub const MAX_RESPONSE_BYTES: usize = tealeaf_html::MAX_PAGE_BYTES;
/// The most time one request may take, answer and body included.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// What the client is told.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub user_agent: String,
    pub allow_private: bool,
    pub resolve: HashMap<String, SocketAddr>,
    pub max_bytes: usize,
    pub timeout: Duration,
}

/// The default user agent: what tealeaf is and where to read about it.
pub fn default_user_agent() -> String {
    format!(
        "tealeaf/{} (news archive for research; polite crawler: robots.txt, one request at a time)",
        env!("CARGO_PKG_VERSION")
    )
}

/// One request as sent, and its answer as received.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub url: String,
    pub at: DateTime<Utc>,
    /// The request head as sent (for the WARC `request` record).
    pub request_head: Vec<u8>,
    pub status: u16,
    /// `HTTP/1.1 200 OK`
    pub status_line: String,
    /// Response headers in the order received (names lowercase).
    pub headers: Vec<(String, String)>,
    /// The body as received, content coding kept (transfer coding undone).
    pub body: Vec<u8>,
    pub ip: Option<IpAddr>,
}

impl Exchange {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body with its content coding undone (gzip, deflate), for
    /// reading links and text; `None` when the coding is unknown.
    pub fn decoded_body(&self) -> Option<Vec<u8>> {
        match self
            .header("content-encoding")
            .map(|c| c.trim().to_ascii_lowercase())
            .as_deref()
        {
            None | Some("") | Some("identity") => Some(self.body.clone()),
            Some("gzip") | Some("x-gzip") => {
                let mut out = Vec::new();
                flate2::read::MultiGzDecoder::new(&self.body[..])
                    .take(MAX_RESPONSE_BYTES as u64 + 1)
                    .read_to_end(&mut out)
                    .ok()?;
                Some(out)
            }
            Some("deflate") => {
                let mut out = Vec::new();
                flate2::read::ZlibDecoder::new(&self.body[..])
                    .take(MAX_RESPONSE_BYTES as u64 + 1)
                    .read_to_end(&mut out)
                    .ok()?;
                Some(out)
            }
            Some(_) => None,
        }
    }

    /// The HTTP response head to store: status line and headers, without
    /// `Transfer-Encoding` (the client undid it, so the stored body is not
    /// chunked) and with the body's true length.
    pub fn response_head(&self) -> Vec<u8> {
        let mut head = format!("{}\r\n", self.status_line);
        for (name, value) in &self.headers {
            if name.eq_ignore_ascii_case("transfer-encoding")
                || name.eq_ignore_ascii_case("content-length")
            {
                continue;
            }
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("content-length: {}\r\n\r\n", self.body.len()));
        head.into_bytes()
    }
}

/// Why a fetch gave no answer to keep.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{0}")]
    Refused(#[from] Refusal),
    #[error("timed out after {0} s")]
    Timeout(u64),
    #[error("response over {max} bytes: abandoned")]
    TooLarge { max: usize },
    #[error("{0}")]
    Network(String),
}

impl FetchError {
    /// A refusal is the crawler's own decision, not the host failing.
    pub fn is_refusal(&self) -> bool {
        matches!(self, FetchError::Refused(_))
    }
}

/// The HTTP client.
pub struct Fetcher {
    client: reqwest::blocking::Client,
    opts: ClientOptions,
}

impl Fetcher {
    pub fn new(opts: ClientOptions) -> Result<Fetcher, FetchError> {
        let resolver = GuardedResolver {
            allow_private: opts.allow_private,
            overrides: Arc::new(opts.resolve.clone()),
        };
        let client = reqwest::blocking::Client::builder()
            .dns_resolver(Arc::new(resolver))
            .redirect(reqwest::redirect::Policy::none())
            // A proxy from the environment would take requests past the
            // guard.
            .no_proxy()
            .timeout(opts.timeout)
            .connect_timeout(CONNECT_TIMEOUT.min(opts.timeout))
            .user_agent(opts.user_agent.clone())
            .build()
            .map_err(|e| FetchError::Network(e.to_string()))?;
        Ok(Fetcher { client, opts })
    }

    pub fn user_agent(&self) -> &str {
        &self.opts.user_agent
    }

    /// GETs `url` with the extra request headers `extra` (conditional
    /// ones).
    pub fn get(&self, url: &str, extra: &[(&str, String)]) -> Result<Exchange, FetchError> {
        let parsed = check_url(url, self.opts.allow_private)?;
        let at = Utc::now();
        let mut request = self
            .client
            .get(parsed.clone())
            .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
            .header("accept-encoding", "gzip");
        for (name, value) in extra {
            request = request.header(*name, value);
        }
        let request = request
            .build()
            .map_err(|e| FetchError::Network(e.to_string()))?;
        let request_head = request_head(&request, &self.opts.user_agent);
        let response = self.client.execute(request).map_err(|e| self.error(e))?;
        let status = response.status();
        let status_line = format!(
            "{:?} {} {}",
            response.version(),
            status.as_u16(),
            status.canonical_reason().unwrap_or("")
        )
        .trim_end()
        .to_string();
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let ip = response.remote_addr().map(|a| a.ip());
        let mut body = Vec::new();
        response
            .take(self.opts.max_bytes as u64 + 1)
            .read_to_end(&mut body)
            .map_err(|e| {
                if e.to_string().contains("timed out") {
                    FetchError::Timeout(self.opts.timeout.as_secs())
                } else {
                    FetchError::Network(e.to_string())
                }
            })?;
        if body.len() > self.opts.max_bytes {
            return Err(FetchError::TooLarge {
                max: self.opts.max_bytes,
            });
        }
        Ok(Exchange {
            url: parsed.to_string(),
            at,
            request_head,
            status: status.as_u16(),
            status_line,
            headers,
            body,
            ip,
        })
    }

    fn error(&self, e: reqwest::Error) -> FetchError {
        if e.is_timeout() {
            return FetchError::Timeout(self.opts.timeout.as_secs());
        }
        // The guard's refusal comes back wrapped by the client: dig it out
        // so that it reads as a refusal, not a network failure.
        let mut source: Option<&dyn std::error::Error> = Some(&e);
        while let Some(s) = source {
            if let Some(refusal) = s.downcast_ref::<Refusal>() {
                return FetchError::Refused(refusal.clone());
            }
            source = s.source();
        }
        let mut message = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            message.push_str(": ");
            message.push_str(&s.to_string());
            source = s.source();
        }
        FetchError::Network(message)
    }
}

/// The request head as it goes out (HTTP/1.1 form).
fn request_head(request: &reqwest::blocking::Request, user_agent: &str) -> Vec<u8> {
    let url = request.url();
    let mut target = url.path().to_string();
    if let Some(q) = url.query() {
        target.push('?');
        target.push_str(q);
    }
    let host = match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => String::new(),
    };
    let mut head = format!("GET {target} HTTP/1.1\r\nhost: {host}\r\nuser-agent: {user_agent}\r\n");
    for (name, value) in request.headers() {
        head.push_str(&format!(
            "{}: {}\r\n",
            name,
            String::from_utf8_lossy(value.as_bytes())
        ));
    }
    head.push_str("\r\n");
    head.into_bytes()
}
