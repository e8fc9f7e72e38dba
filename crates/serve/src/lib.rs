//! `tealeaf serve`: the archive in a browser, with a JSON twin for every page.
//!
//! Owns: the HTTP routes, server-rendered HTML (maud, escaped by default)
//! and the one stylesheet, content negotiation between a page and its JSON
//! twin, search exports and feeds over HTTP (CSV, JSONL, Atom: their rows,
//! writers and feed model are `tealeaf_query`'s, shared with the CLI), the
//! token-guarded ingest API, and the HTTP hardening (security headers, body
//! and time limits, bounds on connections against slow clients: `conn`).
//!
//! Must not touch: SQL or tantivy internals (it reads through the archive
//! and index crates and writes only through the pipeline), files other than
//! the data directory's, or any path taken from a request: ids are looked
//! up, never joined into paths.
//!
//! Adding a page: write a type that is `Serialize` and implements
//! [`page::Page`] (its data is the JSON twin, `body()` the HTML), a handler
//! that builds it inside [`AppState::read`] and answers with
//! [`page::Want::page`], and register it with [`page::twin`] in
//! [`router`] (plus a [`page::NAV`] entry for the menu).

mod article;
mod cache;
mod changes;
mod conditional;
mod conn;
mod crawl;
pub mod export;
mod home;
mod ingest;
pub mod page;
mod people;
mod person;
mod search;
mod state;
mod trends;
mod versions;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

pub use page::{AppError, Page, Want};
pub use state::{AppState, Db};
use tealeaf_pipeline::{DataDir, PipelineError};

/// The Content-Security-Policy of every response: no script at all, styles
/// only from our own stylesheet, no framing, forms only to ourselves.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
     form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    // Messages include their causes', which are not chained as sources
    // (error chains would print them twice).
    #[error("cannot listen on {addr}: {cause}")]
    Bind { addr: String, cause: std::io::Error },
    #[error("server: {0}")]
    Io(std::io::Error),
    #[error("--cors takes an origin such as https://example.org (or *), not `{0}`")]
    Cors(String),
}

impl From<std::io::Error> for ServeError {
    fn from(e: std::io::Error) -> Self {
        ServeError::Io(e)
    }
}

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    pub data: DataDir,
    /// The token `POST /api/ingest` requires; `None` refuses every write.
    pub token: Option<String>,
    /// Largest request body accepted (bytes).
    pub max_body: usize,
    /// Longest a request may take to be answered (a streamed export's body
    /// may take longer: it is limited by the client reading it).
    pub timeout: Duration,
    /// Longest a client may take to send a request's head, counted from
    /// when the connection is ready for it (opened, or the previous
    /// response sent): so also how long an idle keep-alive connection stays
    /// open.
    pub header_timeout: Duration,
    /// Longest a response may wait on a client that takes none of its
    /// bytes; the connection is then closed.
    pub write_timeout: Duration,
    /// Connections open at once; more wait in the listen queue until one
    /// closes.
    pub max_connections: usize,
    /// The address users reach the server at (`https://example.org/tl`),
    /// for the absolute links of feeds; `None`: the request's `Host`.
    pub public_url: Option<String>,
    /// The one origin (or `*`) whose scripts may read the server's
    /// answers (`Access-Control-Allow-Origin`, GET and HEAD only); `None`:
    /// no CORS header at all, browsers keep other sites out.
    pub cors: Option<String>,
}

impl Config {
    pub fn new(data: DataDir) -> Self {
        Config {
            data,
            token: None,
            max_body: 64 * 1024 * 1024,
            timeout: Duration::from_secs(60),
            header_timeout: Duration::from_secs(DEFAULT_HEADER_TIMEOUT_SECS),
            write_timeout: Duration::from_secs(DEFAULT_WRITE_TIMEOUT_SECS),
            max_connections: DEFAULT_MAX_CONNECTIONS,
            public_url: None,
            cors: None,
        }
    }

    fn limits(&self) -> conn::Limits {
        conn::Limits {
            header_timeout: self.header_timeout,
            write_timeout: self.write_timeout,
            max_connections: self.max_connections,
        }
    }
}

/// Seconds a client has to send a request head (a browser sends one at
/// once; this only has to outlast a slow network).
pub const DEFAULT_HEADER_TIMEOUT_SECS: u64 = 10;
/// Seconds a response may wait on a client that reads nothing.
pub const DEFAULT_WRITE_TIMEOUT_SECS: u64 = 30;
/// Connections open at once. Each costs a 64 KiB buffer, plus, for an
/// export, its list of hits and two steps of its rows; 256 bounds that
/// while staying far above what a few dozen browsers (6 connections
/// each) need.
pub const DEFAULT_MAX_CONNECTIONS: usize = 256;

/// The default address: this machine only.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

/// Opens the data directory (catching the index up if an ingest was
/// interrupted) and builds the application.
pub fn app(config: &Config) -> Result<Router, ServeError> {
    let state = AppState::open(config)?;
    router(state, config)
}

/// Every route. Pages go through [`page::twin`] so that `PATH.json` and
/// `Accept: application/json` reach the same handler.
pub fn router(state: AppState, config: &Config) -> Result<Router, ServeError> {
    let r = Router::new();
    let r = page::twin(r, "/", get(home::handler));
    let r = page::twin(r, "/search", get(search::handler));
    let r = page::twin(r, "/article/{id}", get(article::handler));
    let r = page::twin(r, "/article/{id}/v/{n}", get(versions::version_handler));
    let r = page::twin(r, "/article/{id}/compare", get(versions::compare_handler));
    let r = page::twin(r, "/changes", get(changes::handler));
    let r = page::twin(r, "/people", get(people::handler));
    let r = page::twin(r, "/person/{name}", get(person::handler));
    let r = page::twin(r, "/trends", get(trends::handler));
    let r = page::twin(r, "/crawl", get(crawl::handler));
    let r = r
        .route("/search.csv", get(export::csv_handler))
        .route("/changes.atom", get(changes::atom_handler))
        .route("/changes.csv", get(changes::csv_handler))
        .route("/people.csv", get(people::csv_handler))
        .route("/trends.csv", get(trends::csv_handler))
        .route("/search.jsonl", get(export::jsonl_handler))
        .route("/search.atom", get(export::atom_handler))
        .route("/api/ingest", post(ingest::handler))
        .route("/static/style.css", get(page::stylesheet))
        .fallback(page::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            conditional::layer,
        ))
        .with_state(state)
        .layer(axum::middleware::from_fn(server_timing))
        // The body limit is enforced while the body streams in; axum's own
        // 2 MB default for buffered extractors is replaced by it.
        .layer(DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(config.max_body))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            config.timeout,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ));
    Ok(match &config.cors {
        None => r,
        Some(origin) => r.layer(cors(origin)?),
    })
}

/// Lets one origin's scripts (or any, `*`) read what GET and HEAD answer;
/// writes stay same-origin (`/api/ingest` needs a token anyway).
fn cors(origin: &str) -> Result<tower_http::cors::CorsLayer, ServeError> {
    use tower_http::cors::{AllowOrigin, CorsLayer};
    let well_formed = origin.split_once("://").is_some_and(|(scheme, host)| {
        matches!(scheme, "http" | "https")
            && !host.is_empty()
            && !host.contains('/')
            && host.chars().all(|c| c.is_ascii_graphic())
    });
    if origin != "*" && !well_formed {
        return Err(ServeError::Cors(origin.to_string()));
    }
    let allow = if origin == "*" {
        AllowOrigin::any()
    } else {
        AllowOrigin::exact(
            HeaderValue::from_str(origin).map_err(|_| ServeError::Cors(origin.to_string()))?,
        )
    };
    Ok(CorsLayer::new()
        .allow_origin(allow)
        .allow_methods([axum::http::Method::GET, axum::http::Method::HEAD])
        .expose_headers([
            header::ETAG,
            header::LAST_MODIFIED,
            HeaderName::from_static("x-total-count"),
        ]))
}

/// `Server-Timing: app;dur=MS`: the time until the response head was
/// ready, so that clients (and bench/serve) see the server's share.
async fn server_timing(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let mut resp = next.run(req).await;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if let Ok(v) = HeaderValue::from_str(&format!("app;dur={ms:.3}")) {
        resp.headers_mut()
            .insert(HeaderName::from_static("server-timing"), v);
    }
    resp.into_response()
}

/// Binds `addr` and serves until Ctrl-C. `on_listen` is told the bound
/// address (useful with port 0).
pub async fn serve(
    config: Config,
    addr: &str,
    on_listen: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    let app = app(&config)?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|cause| ServeError::Bind {
            addr: addr.to_string(),
            cause,
        })?;
    on_listen(listener.local_addr()?);
    conn::run(listener, app, config.limits(), async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}

/// Serves `app` on an already bound listener, within `config`'s limits on
/// connections, until `shutdown` resolves (tests).
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    app: Router,
    config: &Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    conn::run(listener, app, config.limits(), shutdown).await?;
    Ok(())
}
