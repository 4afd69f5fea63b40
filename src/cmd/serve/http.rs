//! The HTTP half of `medatlas serve`: files from the output directory, the live-reload script
//! and the event stream, on hyper's HTTP/1 server over a one-thread tokio runtime.
//!
//! No local process can switch it off: every connection has a deadline for its request head
//! (which also closes idle keep-alive connections), a response the client stops reading is
//! dropped, the number of open connections is capped (excess connections wait in the listen
//! backlog), request lines and header sections have length limits (414 / 431, checked as the
//! bytes arrive, so nothing over the limits is ever buffered), and running out of file
//! descriptors only pauses accepting until descriptors are free again.

use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use hyper::body::{Bytes, Frame, SizeHint};
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::events::{Event, LogSink, PREFIX, RELOAD_SCRIPT, Shared};

/// How often an open event stream gets a comment, so that a closed page is noticed.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// How long accepting pauses after a failed `accept` (out of descriptors, mostly).
const ACCEPT_PAUSE: Duration = Duration::from_millis(50);
/// Pending connections the kernel queues while the server is at its connection cap.
const BACKLOG: u32 = 1024;
/// The most header lines in one request (hyper's own default, made explicit).
const MAX_HEADER_LINES: usize = 100;
/// Room for the method and the protocol version beside the URL on the request line.
const REQUEST_LINE_EXTRA: usize = 32;

/// What keeps the server answering, whatever a local process sends or withholds.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Time a connection has to send a complete request head: from its opening, and again from
    /// the end of each response while it is kept alive. Slower or idle connections are closed.
    pub header_timeout: Duration,
    /// Time a response may wait for the client to read it before the connection is dropped.
    pub write_timeout: Duration,
    /// Open connections at most; further ones wait until one closes.
    pub max_connections: usize,
    /// The longest request target (path and query), in bytes; longer ones get 414.
    pub max_url: usize,
    /// The largest header section, in bytes; larger ones get 431.
    pub max_headers: usize,
    /// Open event streams at most (they stay open, so they are not timed out); a new one ends
    /// the oldest, whose page reconnects, so streams never hold every connection.
    pub max_streams: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(30),
            max_connections: 512,
            max_url: 8 * 1024,
            max_headers: 16 * 1024,
            max_streams: 64,
        }
    }
}

/// The warning to print when the server listens where other machines can reach it.
pub fn exposure_warning(address: SocketAddr) -> Option<String> {
    (!address.ip().is_loopback()).then(|| {
        format!(
            "warning: listening on {address}, reachable from other machines: the preview server \
             is meant for local use (the default, --bind 127.0.0.1, is reachable from this \
             machine only)"
        )
    })
}

/// What every connection needs.
struct State {
    output: PathBuf,
    shared: Arc<Mutex<Shared>>,
    limits: Limits,
    log: LogSink,
    /// Bound to a loopback address: requests must name this machine in `Host`, so that a web
    /// page elsewhere cannot reach the server through a name it points at 127.0.0.1 (DNS
    /// rebinding).
    local_only: bool,
}

/// A bound server, not yet accepting.
pub(super) struct Server {
    runtime: tokio::runtime::Runtime,
    listener: TcpListener,
}

impl Server {
    pub(super) fn bind(bind: &str, port: u16) -> Result<Server, String> {
        let cannot = |e: io::Error| format!("cannot listen on {bind}:{port}: {e}");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .map_err(|e| format!("cannot start the HTTP server: {e}"))?;
        let address = std::net::ToSocketAddrs::to_socket_addrs(&(bind, port))
            .map_err(cannot)?
            .next()
            .ok_or_else(|| format!("cannot listen on {bind}:{port}: no address"))?;
        let listener = runtime.block_on(listen(address)).map_err(cannot)?;
        Ok(Server { runtime, listener })
    }

    pub(super) fn address(&self) -> Result<SocketAddr, String> {
        self.listener
            .local_addr()
            .map_err(|e| format!("the server has no address: {e}"))
    }

    /// Serve on a thread of its own, for as long as the process lives.
    pub(super) fn spawn(
        self,
        output: PathBuf,
        shared: Arc<Mutex<Shared>>,
        limits: Limits,
        log: LogSink,
    ) {
        let local_only = self
            .listener
            .local_addr()
            .map_or(true, |address| address.ip().is_loopback());
        let state = Arc::new(State {
            output,
            shared,
            limits,
            log,
            local_only,
        });
        let Server { runtime, listener } = self;
        std::thread::spawn(move || runtime.block_on(accept(listener, state)));
    }
}

async fn listen(address: SocketAddr) -> io::Result<TcpListener> {
    let socket = match address {
        SocketAddr::V4(_) => tokio::net::TcpSocket::new_v4()?,
        SocketAddr::V6(_) => tokio::net::TcpSocket::new_v6()?,
    };
    socket.set_reuseaddr(true)?;
    socket.bind(address)?;
    socket.listen(BACKLOG)
}

/// Accept connections while fewer than the cap are open. A failed accept (no descriptors left,
/// a connection reset while queued) pauses briefly and tries again; it never stops the loop.
async fn accept(listener: TcpListener, state: Arc<State>) {
    let slots = Arc::new(Semaphore::new(state.limits.max_connections.max(1)));
    let mut failing = false;
    loop {
        let slot = Arc::clone(&slots)
            .acquire_owned()
            .await
            .expect("the semaphore is never closed");
        let stream = loop {
            match listener.accept().await {
                Ok((stream, _)) => break stream,
                Err(e) => {
                    if !failing {
                        (state.log)(format!("cannot accept connections ({e}); trying again"));
                    }
                    failing = true;
                    tokio::time::sleep(ACCEPT_PAUSE).await;
                }
            }
        };
        if std::mem::take(&mut failing) {
            (state.log)("accepting connections again".to_string());
        }
        tokio::spawn(connection(stream, Arc::clone(&state), slot));
    }
}

/// One connection, holding its slot until it closes.
async fn connection(stream: TcpStream, state: Arc<State>, _slot: OwnedSemaphorePermit) {
    let _ = stream.set_nodelay(true);
    let limits = &state.limits;
    let io = TokioIo::new(Guarded::new(stream, limits));
    let service_state = Arc::clone(&state);
    let service = hyper::service::service_fn(move |request| {
        let response = respond(&request, &service_state);
        async move { Ok::<_, Infallible>(response) }
    });
    // The guard refuses heads over the limits before hyper's buffer could fill.
    let buffer = (head_limit(limits) + 8 * 1024).max(8 * 1024);
    let _ = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(buffer)
        .max_headers(MAX_HEADER_LINES + 1)
        .serve_connection(io, service)
        .await;
}

fn head_limit(limits: &Limits) -> usize {
    limits.max_url + REQUEST_LINE_EXTRA + limits.max_headers
}

/// Does a `Host` header name this machine: `localhost` (or a name under it), or an IP
/// address, with or without a port?
fn names_this_machine(host: &str) -> bool {
    let is_port = |port: &str| !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit());
    if let Some(rest) = host.strip_prefix('[') {
        let Some((ip, after)) = rest.split_once(']') else {
            return false;
        };
        let port_ok = after.is_empty() || after.strip_prefix(':').is_some_and(is_port);
        return port_ok && ip.parse::<std::net::Ipv6Addr>().is_ok();
    }
    let name = match host.rsplit_once(':') {
        Some((name, port)) if is_port(port) => name,
        _ => host,
    };
    let name = name.to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<std::net::Ipv4Addr>().is_ok()
}

// ---------------------------------------------------------------- responses

/// The answer; a request that came with a body (never read) closes its connection after it.
fn respond(request: &Request<hyper::body::Incoming>, state: &State) -> Response<Body> {
    let mut response = route(request, state);
    let headers = request.headers();
    let has_body = headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .is_some_and(|length| length.as_bytes() != b"0");
    if has_body {
        let headers = response.headers_mut();
        headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

fn route(request: &Request<hyper::body::Incoming>, state: &State) -> Response<Body> {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let mut response = text(StatusCode::METHOD_NOT_ALLOWED, "Only GET and HEAD.\n");
        let headers = response.headers_mut();
        headers.insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let host = request.headers().get(header::HOST);
    if state.local_only && !host.is_none_or(|h| h.to_str().is_ok_and(names_this_machine)) {
        return text(
            StatusCode::FORBIDDEN,
            "The preview server answers requests for localhost and 127.0.0.1 only.\n",
        );
    }
    let path = request.uri().path();
    if path == format!("{PREFIX}events") {
        return events(&state.shared, state.limits.max_streams);
    }
    if path == format!("{PREFIX}live-reload.js") {
        let script = Bytes::from_static(RELOAD_SCRIPT.as_bytes());
        return full(StatusCode::OK, "text/javascript; charset=utf-8", script);
    }
    let Some(file) = file_for(&state.output, path) else {
        return not_found(&state.output);
    };
    match std::fs::read(&file) {
        Ok(bytes) => {
            let kind = content_type(&file);
            let bytes = if kind.starts_with("text/html") {
                inject_reload(bytes)
            } else {
                bytes
            };
            full(StatusCode::OK, kind, bytes.into())
        }
        Err(_) => not_found(&state.output),
    }
}

fn full(status: StatusCode, kind: &'static str, bytes: Bytes) -> Response<Body> {
    let mut response = Response::new(Body::Full(Some(bytes)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn text(status: StatusCode, message: &'static str) -> Response<Body> {
    full(
        status,
        "text/plain; charset=utf-8",
        Bytes::from_static(message.as_bytes()),
    )
}

fn not_found(output: &Path) -> Response<Body> {
    let page =
        std::fs::read(output.join("404.html")).unwrap_or_else(|_| b"<h1>Not found</h1>".to_vec());
    full(
        StatusCode::NOT_FOUND,
        "text/html; charset=utf-8",
        inject_reload(page).into(),
    )
}

/// The event stream: the current errors at once, then every event as it happens.
fn events(shared: &Mutex<Shared>, max_streams: usize) -> Response<Body> {
    let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
    let current = {
        let mut shared = shared.lock().expect("not poisoned");
        // Streams whose page went away are dropped here too, not only on the next broadcast.
        shared.listeners.retain(|l| !l.is_closed());
        let over = (shared.listeners.len() + 1).saturating_sub(max_streams.max(1));
        shared.listeners.drain(..over);
        shared.listeners.push(sender);
        shared.errors.clone()
    };
    let mut first = String::from(": medatlas live reload\n\n");
    if let Some(report) = current {
        first.push_str(&Event::Errors(report).to_sse());
    }
    let stream = EventStream {
        first: Some(Bytes::from(first)),
        events: receiver,
        keep_alive: tokio::time::interval_at(tokio::time::Instant::now() + KEEP_ALIVE, KEEP_ALIVE),
    };
    let mut response = Response::new(Body::Events(stream));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The file a URL path names inside the output; `None` for anything outside it.
fn file_for(output: &Path, url: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url)?;
    let mut path = output.to_path_buf();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            part if part.contains('\\') || part.contains('\0') => return None,
            part => path.push(part),
        }
    }
    if path.is_dir() {
        path.push("index.html");
    }
    path.is_file().then_some(path)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The one difference from what `build` writes: the live-reload script before `</body>`.
pub fn inject_reload(mut html: Vec<u8>) -> Vec<u8> {
    let tag = format!("<script src=\"{PREFIX}live-reload.js\"></script>");
    match html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
    {
        Some(at) => {
            html.splice(at..at, tag.into_bytes());
        }
        None => html.extend(tag.into_bytes()),
    }
    html
}

// ---------------------------------------------------------------- bodies

/// A response body: a whole file, or the endless event stream.
enum Body {
    Full(Option<Bytes>),
    Events(EventStream),
}

struct EventStream {
    first: Option<Bytes>,
    events: UnboundedReceiver<Event>,
    keep_alive: tokio::time::Interval,
}

impl hyper::body::Body for Body {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.get_mut() {
            Body::Full(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Body::Events(stream) => stream.poll_next(cx).map(|b| b.map(|b| Ok(Frame::data(b)))),
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, Body::Full(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Body::Full(bytes) => SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64)),
            Body::Events(_) => SizeHint::default(),
        }
    }
}

impl EventStream {
    /// The next piece of the stream; `None` when the server stops broadcasting.
    fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Bytes>> {
        if let Some(first) = self.first.take() {
            return Poll::Ready(Some(first));
        }
        if let Poll::Ready(event) = self.events.poll_recv(cx) {
            return Poll::Ready(event.map(|e| Bytes::from(e.to_sse())));
        }
        ready!(self.keep_alive.poll_tick(cx));
        Poll::Ready(Some(Bytes::from_static(b": keep-alive\n\n")))
    }
}

// ---------------------------------------------------------------- the connection guard

/// A client connection as hyper sees it, with the limits enforced on the raw bytes: a request
/// line or header section over its limit is answered (414 / 431) and the connection closed
/// before hyper buffers it, and a write the client leaves pending too long fails.
struct Guarded {
    stream: TcpStream,
    scan: HeadScan,
    write_timeout: Duration,
    stalled: Option<Pin<Box<tokio::time::Sleep>>>,
    refusal: Option<Refusal>,
}

/// A refusal being sent: the bytes still to write, then the rest of the request is read and
/// dropped until the client closes (closing with unread data would reset the connection and
/// could lose the answer); hyper's header deadline bounds that wait.
struct Refusal {
    unsent: &'static [u8],
    shut: bool,
}

const URI_TOO_LONG: &[u8] = b"HTTP/1.1 414 URI Too Long\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 17\r\nconnection: close\r\n\r\nURL is too long.\n";
const HEADERS_TOO_LARGE: &[u8] = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 23\r\nconnection: close\r\n\r\nHeaders are too large.\n";

impl Guarded {
    fn new(stream: TcpStream, limits: &Limits) -> Guarded {
        Guarded {
            stream,
            scan: HeadScan::new(limits),
            write_timeout: limits.write_timeout,
            stalled: None,
            refusal: None,
        }
    }

    /// Send the refusal, then drain the connection; ends with an error for hyper to close on.
    fn poll_refuse(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let refusal = self.refusal.as_mut().expect("refusing");
        while !refusal.unsent.is_empty() {
            let sent = ready!(Pin::new(&mut self.stream).poll_write(cx, refusal.unsent))?;
            refusal.unsent = &refusal.unsent[sent..];
        }
        if !refusal.shut {
            ready!(Pin::new(&mut self.stream).poll_shutdown(cx))?;
            refusal.shut = true;
        }
        let mut scratch = [0u8; 4096];
        loop {
            let mut sink = ReadBuf::new(&mut scratch);
            ready!(Pin::new(&mut self.stream).poll_read(cx, &mut sink))?;
            if sink.filled().is_empty() {
                return Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "request head over the limits",
                )));
            }
        }
    }
}

impl AsyncRead for Guarded {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.refusal.is_some() {
            return this.poll_refuse(cx);
        }
        let before = buf.filled().len();
        ready!(Pin::new(&mut this.stream).poll_read(cx, buf))?;
        let Some(answer) = this.scan.feed(&buf.filled()[before..]) else {
            return Poll::Ready(Ok(()));
        };
        buf.set_filled(before);
        this.refusal = Some(Refusal {
            unsent: answer,
            shut: false,
        });
        this.poll_refuse(cx)
    }
}

impl AsyncWrite for Guarded {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.stream).poll_write(cx, buf) {
            Poll::Pending => {
                let timeout = this.write_timeout;
                let stalled = this
                    .stalled
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
                ready!(stalled.as_mut().poll(cx));
                Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the client stopped reading",
                )))
            }
            done => {
                this.stalled = None;
                done
            }
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

/// Follows request heads through the bytes of a connection, as they arrive: the length of the
/// request line, of the header section and its number of lines. A body announced by
/// `Content-Length` is skipped; after a chunked one (which the server never reads: the
/// connection closes after its answer) nothing more is measured, hyper's buffer limit holds.
#[derive(Debug)]
struct HeadScan {
    max_line: usize,
    max_headers: usize,
    in_request_line: bool,
    /// Bytes on the current line (line ends excluded), and its start.
    line: usize,
    start: [u8; HEADER_START],
    /// Bytes of the header section so far, and its lines.
    headers: usize,
    header_lines: usize,
    /// The body announced by the head being read, and what is left of the one being skipped.
    announced: u64,
    body: u64,
    chunked: bool,
}

/// Enough of a header line to read a `Content-Length` or `Transfer-Encoding` from it.
const HEADER_START: usize = 48;

impl HeadScan {
    fn new(limits: &Limits) -> HeadScan {
        HeadScan {
            max_line: limits.max_url + REQUEST_LINE_EXTRA,
            max_headers: limits.max_headers,
            in_request_line: true,
            line: 0,
            start: [0; HEADER_START],
            headers: 0,
            header_lines: 0,
            announced: 0,
            body: 0,
            chunked: false,
        }
    }

    /// Take the next bytes; the refusal to send when a limit is passed.
    fn feed(&mut self, mut bytes: &[u8]) -> Option<&'static [u8]> {
        while !bytes.is_empty() && !self.chunked {
            if self.body > 0 {
                let skip = bytes
                    .len()
                    .min(usize::try_from(self.body).unwrap_or(usize::MAX));
                self.body -= skip as u64;
                bytes = &bytes[skip..];
                continue;
            }
            let refusal = self.byte(bytes[0]);
            if refusal.is_some() {
                return refusal;
            }
            bytes = &bytes[1..];
        }
        None
    }

    fn byte(&mut self, byte: u8) -> Option<&'static [u8]> {
        match (self.in_request_line, byte) {
            (_, b'\r') => {}
            (true, b'\n') => {
                // Empty lines before a request line are allowed (and skipped).
                self.in_request_line = self.line == 0;
                self.line = 0;
            }
            (true, _) => {
                self.line += 1;
                if self.line > self.max_line {
                    return Some(URI_TOO_LONG);
                }
            }
            (false, b'\n') if self.line == 0 => {
                // The empty line ending a head: its body, then the next request.
                self.in_request_line = true;
                self.headers = 0;
                self.header_lines = 0;
                self.body = std::mem::take(&mut self.announced);
            }
            (false, b'\n') => {
                self.header_line_ends();
                self.header_lines += 1;
                if self.header_lines > MAX_HEADER_LINES {
                    return Some(HEADERS_TOO_LARGE);
                }
            }
            (false, _) => {
                if let Some(slot) = self.start.get_mut(self.line) {
                    *slot = byte;
                }
                self.line += 1;
                self.headers += 1;
                if self.headers > self.max_headers {
                    return Some(HEADERS_TOO_LARGE);
                }
            }
        }
        None
    }

    fn header_line_ends(&mut self) {
        let start = &self.start[..self.line.min(HEADER_START)];
        self.line = 0;
        let Some(colon) = start.iter().position(|&b| b == b':') else {
            return;
        };
        let (name, value) = (&start[..colon], start[colon + 1..].trim_ascii());
        if name.eq_ignore_ascii_case(b"content-length") {
            self.announced = std::str::from_utf8(value)
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
        } else if name.eq_ignore_ascii_case(b"transfer-encoding") {
            self.chunked = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_of_this_machine_are_served_on_loopback() {
        for host in [
            "localhost",
            "localhost:1111",
            "LOCALHOST:1",
            "app.localhost:8080",
            "127.0.0.1",
            "127.0.0.1:1111",
            "[::1]",
            "[::1]:1111",
        ] {
            assert!(names_this_machine(host), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.evil.example",
            "[::1].evil",
            "",
        ] {
            assert!(!names_this_machine(host), "{host}");
        }
    }

    #[test]
    fn urls_map_to_files_inside_the_output_only() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("datasets")).unwrap();
        std::fs::write(dir.path().join("index.html"), "i").unwrap();
        std::fs::write(dir.path().join("datasets/a b.html"), "a").unwrap();
        assert_eq!(
            file_for(dir.path(), "/"),
            Some(dir.path().join("index.html"))
        );
        assert_eq!(
            file_for(dir.path(), "/datasets/a%20b.html"),
            Some(dir.path().join("datasets/a b.html"))
        );
        assert_eq!(file_for(dir.path(), "/../etc/passwd"), None);
        assert_eq!(file_for(dir.path(), "/datasets/%2E%2E/%2E%2E/x"), None);
        assert_eq!(file_for(dir.path(), "/datasets/..%5C..%5Cx"), None);
        assert_eq!(file_for(dir.path(), "/index.html%00.png"), None);
        assert_eq!(file_for(dir.path(), "/%zz"), None);
        assert_eq!(file_for(dir.path(), "/missing.html"), None);
    }

    #[test]
    fn the_reload_script_goes_before_the_body_ends() {
        let html = inject_reload(b"<html><body><p>x</p></body></html>".to_vec());
        assert_eq!(
            String::from_utf8(html).unwrap(),
            "<html><body><p>x</p><script src=\"/__medatlas/live-reload.js\"></script></body></html>"
        );
    }

    #[test]
    fn only_loopback_addresses_are_quiet() {
        let cases = [
            ("127.0.0.1:1111", false),
            ("127.0.0.2:80", false),
            ("[::1]:1111", false),
            ("0.0.0.0:1111", true),
            ("[::]:1111", true),
            ("192.168.1.10:1111", true),
            ("10.0.0.1:1111", true),
        ];
        for (address, warned) in cases {
            let address: SocketAddr = address.parse().unwrap();
            assert_eq!(exposure_warning(address).is_some(), warned, "{address}");
        }
    }

    #[test]
    fn streams_of_closed_pages_are_dropped_when_another_opens() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        let _inside = runtime.enter();
        let shared = Mutex::new(Shared::default());
        for _ in 0..100 {
            drop(events(&shared, 10));
        }
        let open = events(&shared, 10);
        assert_eq!(shared.lock().unwrap().listeners.len(), 1);
        drop(open);
    }

    #[test]
    fn a_new_stream_over_the_limit_ends_the_oldest() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        let _inside = runtime.enter();
        let shared = Mutex::new(Shared::default());
        let open: Vec<_> = (0..5).map(|_| events(&shared, 3)).collect();
        let listeners = &shared.lock().unwrap().listeners;
        assert_eq!(listeners.len(), 3);
        drop(open);
    }

    /// Limits small enough to write the cases by hand.
    fn small() -> Limits {
        Limits {
            max_url: 10,
            max_headers: 20,
            ..Limits::default()
        }
    }

    #[test]
    fn heads_over_the_limits_are_refused_as_they_arrive() {
        let line = "x".repeat(10 + REQUEST_LINE_EXTRA);
        let cases: [(String, Option<&[u8]>); 12] = [
            ("GET / HTTP/1.1\r\nHost: a\r\n\r\n".into(), None),
            (format!("{line}\r\n"), None),
            (format!("{line}x"), Some(URI_TOO_LONG)),
            (format!("\r\n\r\n{line}x"), Some(URI_TOO_LONG)),
            ("GET / HTTP/1.1\r\nA: 12345678901234567\r\n".into(), None),
            (
                "GET / HTTP/1.1\r\nA: 123456789012345678".into(),
                Some(HEADERS_TOO_LARGE),
            ),
            // The header budget is per request: two heads of 15 bytes each pass.
            ("GET / HTTP/1.1\r\nA: 123456789012\r\n\r\n".repeat(2), None),
            // A second request line on a kept-alive connection is measured from its start.
            (format!("GET / HTTP/1.1\r\n\r\n{line}\r\n\r\n{line}"), None),
            (
                format!("GET / HTTP/1.1\r\n{}", "a\r\n".repeat(101)),
                Some(HEADERS_TOO_LARGE),
            ),
            // A body is skipped, whatever it holds; the next head is measured again.
            (
                format!("POST / HTTP/1.1\r\nContent-Length: 84\r\n\r\n{line}{line}"),
                None,
            ),
            (
                format!("POST / HTTP/1.1\r\ncontent-length:3\r\n\r\nabc{line}x"),
                Some(URI_TOO_LONG),
            ),
            // After a chunked body nothing is measured.
            (
                format!("POST / HTTP/1.1\r\nTransfer-Encoding:x\r\n\r\n{line}x"),
                None,
            ),
        ];
        for (input, want) in cases {
            let mut scan = HeadScan::new(&small());
            assert_eq!(scan.feed(input.as_bytes()), want, "{input:?}");
            // Byte by byte, the same answer.
            let mut scan = HeadScan::new(&small());
            let refused = input.bytes().find_map(|b| scan.feed(&[b]));
            assert_eq!(refused, want, "{input:?} byte by byte");
        }
    }
}
