//! Accepting connections and driving HTTP/1 on each, within bounds that a
//! slow or hostile client cannot stretch: at most `max_connections` open at
//! once, a request head within `header_timeout`, and no response write
//! left waiting on a client that does not read for longer than
//! `write_timeout`.
//!
//! HTTP itself is hyper's: its `header_read_timeout` (with tokio's timer)
//! bounds the head. Its clock starts as soon as a connection is ready for
//! its next request (accepted, or the previous response sent), so it also
//! closes an idle keep-alive connection. Writes are bounded here, on the
//! socket, because hyper has no such setting.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};
use tokio::time::Sleep;

/// hyper's buffer per connection (request head, and response bytes queued
/// before they reach the socket), and the largest request head. hyper's
/// default, ~400 KB, would let every stalled reader pin that much; 64 KiB
/// holds any request head a browser or script sends (hyper answers a
/// larger one with 431).
const MAX_BUF: usize = 64 * 1024;

/// The limits on connections (from [`crate::Config`]).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub header_timeout: Duration,
    pub write_timeout: Duration,
    pub max_connections: usize,
}

/// Accepts connections until `shutdown` resolves, then lets those open
/// finish their current response and waits for them.
pub async fn run(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let max = limits
        .max_connections
        .clamp(1, Semaphore::MAX_PERMITS.min(u32::MAX as usize));
    let slots = Arc::new(Semaphore::new(max));
    // Told to every connection when the server stops.
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        // A slot first, then the next connection: at the cap, connections
        // wait in the kernel's listen queue (costing this process nothing)
        // until one closes, instead of being read and answered with an
        // error.
        let slot = tokio::select! {
            _ = shutdown.as_mut() => break,
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
        };
        let stream = tokio::select! {
            _ = shutdown.as_mut() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
        };
        let app = app.clone();
        let stop = stop_rx.clone();
        tokio::spawn(async move {
            connection(stream, app, limits, stop).await;
            drop(slot);
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    // Every slot back: every connection closed (each is bounded by the
    // timeouts, so this ends).
    let _ = slots.acquire_many(max as u32).await;
    Ok(())
}

/// Errors of one connection (reset before it was accepted) are that
/// connection's; others (out of file descriptors) pass with time, so the
/// loop waits a little instead of spinning.
async fn accept_failed(e: io::Error) {
    use io::ErrorKind::*;
    if matches!(
        e.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    ) {
        return;
    }
    eprintln!("error: accepting a connection: {e}");
    tokio::time::sleep(Duration::from_millis(250)).await;
}

async fn connection(
    stream: TcpStream,
    app: Router,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
) {
    let io = TokioIo::new(WriteDeadline::new(stream, limits.write_timeout));
    let service = TowerToHyperService::new(app);
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(MAX_BUF)
        .max_header_size(MAX_BUF);
    let conn = builder.serve_connection(io, service);
    let mut conn = std::pin::pin!(conn);
    let mut stopping = false;
    loop {
        tokio::select! {
            // Errors are the client's (gone, too slow, not HTTP): the
            // connection is closed either way, nothing to report.
            _ = conn.as_mut() => break,
            _ = stop.changed(), if !stopping => {
                stopping = true;
                conn.as_mut().graceful_shutdown();
            }
        }
    }
}

/// A socket whose writes fail with `TimedOut` once one has waited
/// `timeout` without the client taking a byte. hyper then drops the
/// connection and the response body with it, which stops whatever was
/// producing that body.
struct WriteDeadline {
    io: TcpStream,
    timeout: Duration,
    /// Armed at the first write that had to wait, reset by any progress.
    sleep: Pin<Box<Sleep>>,
    armed: bool,
}

impl WriteDeadline {
    fn new(io: TcpStream, timeout: Duration) -> Self {
        WriteDeadline {
            io,
            timeout,
            sleep: Box::pin(tokio::time::sleep(timeout)),
            armed: false,
        }
    }

    /// A write returned `Pending`: arms the deadline if it is not, and
    /// fails once it has passed (the sleep's waker is registered too).
    fn waiting<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        if !self.armed {
            let deadline = tokio::time::Instant::now() + self.timeout;
            self.sleep.as_mut().reset(deadline);
            self.armed = true;
        }
        match self.sleep.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client stopped reading",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn progressed<T>(
        &mut self,
        r: Poll<io::Result<T>>,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<T>> {
        match r {
            Poll::Pending => self.waiting(cx),
            ready => {
                self.armed = false;
                ready
            }
        }
    }
}

impl AsyncRead for WriteDeadline {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl AsyncWrite for WriteDeadline {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.io).poll_write(cx, buf);
        self.progressed(r, cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        self.progressed(r, cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let r = Pin::new(&mut self.io).poll_flush(cx);
        self.progressed(r, cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let r = Pin::new(&mut self.io).poll_shutdown(cx);
        self.progressed(r, cx)
    }
}
