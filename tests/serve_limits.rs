//! `medatlas serve` under abuse from local processes: idle and half-sent connections, long URLs
//! and headers, more connections than the cap, descriptor exhaustion and a bounded load, all on
//! 127.0.0.1. The server's limits are made small through its hidden flags.
//!
//! The ten-second load (200 busy connections and 200 idle sockets) runs with
//! `cargo test --release --test serve_limits -- --ignored` (see benches/serve-load.sh).

mod common;

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::time::{Duration, Instant};

/// A server process, stopped when dropped; its stderr goes to a file.
struct Server {
    child: Child,
    port: u16,
    stderr: tempfile::NamedTempFile,
    _catalog: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(args: &[&str]) -> Server {
        Server::start_with(args, None, |_| {})
    }

    /// Start with at most `descriptors` open files, if given, after `prepare` had the catalog.
    fn start_with(args: &[&str], descriptors: Option<u64>, prepare: impl FnOnce(&Path)) -> Server {
        raise_own_descriptor_limit();
        let catalog = common::catalog(None);
        prepare(catalog.path());
        let stderr = tempfile::NamedTempFile::new().unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_medatlas"));
        command
            .args(["serve", "--port", "0"])
            .args(args)
            .current_dir(catalog.path())
            .stdout(Stdio::piped())
            .stderr(stderr.reopen().unwrap());
        if let Some(limit) = descriptors {
            limit_descriptors(&mut command, limit);
        }
        let mut child = command.spawn().unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|address| address.rsplit(':').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        Server {
            child,
            port,
            stderr,
            _catalog: catalog,
        }
    }

    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        // A server that stops answering fails the test instead of hanging it.
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        stream
    }

    /// GET a path on a fresh connection: the status.
    fn status(&self, path: &str) -> u16 {
        let mut stream = self.connect();
        stream.write_all(&get(path)).unwrap();
        let mut reader = BufReader::new(stream);
        response(&mut reader).unwrap().0
    }

    fn stderr(&self) -> String {
        std::fs::read_to_string(self.stderr.path()).unwrap()
    }

    /// The server is still running, and never panicked.
    fn assert_alive(&mut self) {
        assert!(
            self.child.try_wait().unwrap().is_none(),
            "the server exited"
        );
        let stderr = self.stderr();
        assert!(!stderr.contains("panicked"), "{stderr}");
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }
}

/// Let this process open the sockets the tests hold (a soft limit of 1024 is common), up to
/// its hard limit.
fn raise_own_descriptor_limit() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit and setrlimit only read and write the struct passed in.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 {
                limit.rlim_cur = limit.rlim_max.min(8192).max(limit.rlim_cur);
                libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
            }
        }
    });
}

fn limit_descriptors(command: &mut Command, limit: u64) {
    use std::os::unix::process::CommandExt;
    let limit = libc::rlimit {
        rlim_cur: limit,
        rlim_max: limit,
    };
    // SAFETY: setrlimit is async-signal-safe, and `limit` is a plain value copied into the
    // closure; nothing else runs between fork and exec.
    unsafe {
        command.pre_exec(move || {
            if libc::setrlimit(libc::RLIMIT_NOFILE, &limit) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
}

/// A GET request, to be sent in one write (several small writes would wait on each other's
/// acknowledgements).
fn get(path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").into_bytes()
}

/// Read one response off a kept-alive connection: status and body length.
fn response(reader: &mut BufReader<TcpStream>) -> std::io::Result<(u16, usize)> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Err(std::io::Error::new(ErrorKind::UnexpectedEof, "closed"));
    }
    let status = line
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::new(ErrorKind::InvalidData, line.clone()))?;
    let mut length = 0;
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        if line.trim_end().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok((status, length))
}

/// Wait for the server to close the connection; `false` when it stays open past `within`.
fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    stream.set_read_timeout(Some(within)).unwrap();
    let mut rest = Vec::new();
    match stream.read_to_end(&mut rest) {
        Ok(_) => true,
        Err(e) => e.kind() == ErrorKind::ConnectionReset,
    }
}

/// A field of /proc/PID/status, in kB.
fn status_kb(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| {
            l.strip_prefix(field)?
                .trim()
                .strip_suffix("kB")?
                .trim()
                .parse()
                .ok()
        })
        .unwrap_or_else(|| panic!("no {field} in {status}"))
}

/// Sockets the process holds open.
fn sockets(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |dir| {
        dir.flatten()
            .filter(|fd| {
                std::fs::read_link(fd.path())
                    .is_ok_and(|l| l.to_string_lossy().starts_with("socket:"))
            })
            .count()
    })
}

fn descriptors(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, std::iter::Iterator::count)
}

#[test]
fn idle_and_half_sent_connections_are_closed_after_the_timeout() {
    let server = Server::start(&["--header-timeout-ms", "300"]);
    let cases: [(&str, &[u8], bool); 4] = [
        ("nothing sent", b"", false),
        ("half a request line", b"GET /index.ht", false),
        (
            "half a head",
            b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n",
            false,
        ),
        (
            "idle after a kept-alive response",
            b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
            true,
        ),
    ];
    for (case, sent, answered) in cases {
        let mut stream = server.connect();
        stream.write_all(sent).unwrap();
        if answered {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            assert_eq!(response(&mut reader).unwrap().0, 200, "{case}");
        }
        assert!(
            closed_within(&mut stream, Duration::from_secs(10)),
            "{case}: still open"
        );
    }
    assert_eq!(server.status("/"), 200);
}

#[test]
fn the_event_stream_outlives_the_idle_timeout() {
    let server = Server::start(&["--header-timeout-ms", "200"]);
    let mut stream = server.connect();
    write!(
        stream,
        "GET /__medatlas/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert!(line.starts_with("HTTP/1.1 200"), "{line}");
    std::thread::sleep(Duration::from_millis(1000));
    let entry = server._catalog.path().join("content/datasets/good.md");
    let original = common::read(&entry);
    std::fs::write(&entry, original.replace("A valid entry.", "Edited.")).unwrap();
    loop {
        line.clear();
        assert_ne!(reader.read_line(&mut line).unwrap(), 0, "the stream closed");
        if line.trim_end() == "event: reload" {
            break;
        }
    }
}

#[test]
fn event_streams_never_hold_every_connection() {
    let args = [
        "--max-connections",
        "4",
        "--max-event-streams",
        "2",
        "--header-timeout-ms",
        "300",
    ];
    let server = Server::start(&args);
    let streams: Vec<BufReader<TcpStream>> = (0..8)
        .map(|_| {
            let mut stream = server.connect();
            stream.write_all(&get("/__medatlas/events")).unwrap();
            let mut reader = BufReader::new(stream);
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            assert!(line.starts_with("HTTP/1.1 200"), "{line}");
            reader
        })
        .collect();
    assert_eq!(server.status("/"), 200);
    drop(streams);
}

#[test]
fn long_urls_get_414_and_large_headers_431() {
    let server = Server::start(&[]);
    let header = |name: &str, size: usize| format!("{name}: {}\r\n", "h".repeat(size));
    let cases = [
        ("a long URL", "x".repeat(7_000), String::new(), 404),
        ("a URL over 8 KiB", "x".repeat(9_000), String::new(), 414),
        ("a 1 MiB URL", "x".repeat(1 << 20), String::new(), 414),
        ("large headers", String::new(), header("A", 12_000), 200),
        ("one huge header", String::new(), header("A", 20_000), 431),
        (
            "many headers",
            String::new(),
            header("A", 9_000) + &header("B", 9_000),
            431,
        ),
        (
            "too many headers",
            String::new(),
            header("A", 1).repeat(150),
            431,
        ),
        ("a 1 MiB header", String::new(), header("A", 1 << 20), 431),
    ];
    for (case, path, headers, want) in cases {
        let mut stream = server.connect();
        let request = format!("GET /{path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}\r\n");
        stream.write_all(request.as_bytes()).unwrap();
        let mut reader = BufReader::new(stream);
        assert_eq!(response(&mut reader).unwrap().0, want, "{case}");
    }
}

#[test]
fn bodies_pipelines_and_methods_are_answered_whole() {
    let server = Server::start(&[]);
    let body = "b".repeat(20_000);
    let closing = "GET /missing.html HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    let cases = [
        (
            "a POST with a long body",
            format!("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 20000\r\n\r\n{body}"),
            vec![405],
        ),
        (
            "a GET with a body",
            format!("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 20000\r\n\r\n{body}"),
            vec![200],
        ),
        (
            "three pipelined requests",
            String::from_utf8(get("/").repeat(2)).unwrap() + closing,
            vec![200, 200, 404],
        ),
    ];
    for (case, request, want) in cases {
        let mut stream = server.connect();
        stream.write_all(request.as_bytes()).unwrap();
        let mut reader = BufReader::new(stream);
        let statuses: Vec<u16> = want
            .iter()
            .map(|_| response(&mut reader).unwrap().0)
            .collect();
        assert_eq!(statuses, want, "{case}");
        let mut rest = String::new();
        reader.read_to_string(&mut rest).unwrap();
        assert_eq!(rest, "", "{case}: then closed, nothing more");
    }
    let mut stream = server.connect();
    stream
        .write_all(b"HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut head = String::new();
    stream.read_to_string(&mut head).unwrap();
    assert!(
        head.starts_with("HTTP/1.1 200") && head.ends_with("\r\n\r\n"),
        "{head}"
    );
}

#[test]
fn connections_over_the_cap_wait_and_are_answered_when_others_close() {
    let server = Server::start(&["--max-connections", "4", "--header-timeout-ms", "60000"]);
    let before = sockets(server.pid());
    let held: Vec<TcpStream> = (0..20).map(|_| server.connect()).collect();
    let waiting = {
        let port = server.port;
        std::thread::spawn(move || {
            let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(20)))
                .unwrap();
            stream.write_all(&get("/")).unwrap();
            response(&mut BufReader::new(stream)).unwrap().0
        })
    };
    let watched = Instant::now();
    while watched.elapsed() < Duration::from_millis(600) {
        let open = sockets(server.pid());
        assert!(
            open <= before + 4,
            "{open} sockets open, at most {before} + 4"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        !waiting.is_finished(),
        "a connection over the cap was served"
    );
    drop(held);
    assert_eq!(waiting.join().unwrap(), 200);
    assert_eq!(server.status("/"), 200);
}

#[test]
fn running_out_of_descriptors_only_pauses_accepting() {
    let mut server = Server::start_with(&["--header-timeout-ms", "60000"], Some(64), |_| {});
    assert_eq!(server.status("/"), 200);
    let held: Vec<TcpStream> = (0..150).map(|_| server.connect()).collect();
    let waited = Instant::now();
    while descriptors(server.pid()) < 64 && waited.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(descriptors(server.pid()) >= 64, "the server never ran out");
    std::thread::sleep(Duration::from_millis(300));
    server.assert_alive();
    drop(held);
    for _ in 0..3 {
        assert_eq!(server.status("/"), 200);
    }
    server.assert_alive();
    assert!(
        server.stderr().contains("accepting connections again"),
        "{}",
        server.stderr()
    );
}

#[test]
fn a_client_that_stops_reading_is_dropped_after_the_write_timeout() {
    // More than the socket buffers on both ends hold, so the server's writes stall.
    let big = |root: &Path| {
        std::fs::create_dir_all(root.join("static")).unwrap();
        std::fs::write(root.join("static/big.bin"), vec![7u8; 24 << 20]).unwrap();
    };
    let args = ["--max-connections", "1", "--write-timeout-ms", "300"];
    let server = Server::start_with(&args, None, big);
    let mut stalled = server.connect();
    stalled.write_all(&get("/big.bin")).unwrap();
    let mut head = [0u8; 12];
    stalled.read_exact(&mut head).unwrap();
    assert_eq!(&head, b"HTTP/1.1 200");
    // The only connection slot is held until the stalled response is given up.
    assert_eq!(server.status("/"), 200);
    drop(stalled);
}

#[test]
fn binding_beyond_loopback_warns() {
    let quiet = Server::start(&[]);
    assert!(!quiet.stderr().contains("warning"), "{}", quiet.stderr());
    let exposed = Server::start(&["--bind", "0.0.0.0"]);
    let stderr = exposed.stderr();
    assert!(
        stderr.contains("warning: listening on 0.0.0.0:") && stderr.contains("local use"),
        "{stderr}"
    );
    assert_eq!(exposed.status("/"), 200);
}

#[test]
fn huge_urls_are_refused_without_being_buffered() {
    let server = Server::start(&[]);
    assert_eq!(server.status("/"), 200);
    let before = status_kb(server.pid(), "VmHWM:");
    let url = Arc::new("x".repeat(8 << 20));
    let clients: Vec<_> = (0..16)
        .map(|_| {
            let (port, url) = (server.port, Arc::clone(&url));
            std::thread::spawn(move || {
                let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
                stream
                    .set_read_timeout(Some(Duration::from_secs(20)))
                    .unwrap();
                // The answer may come before the whole URL is sent.
                let _ = write!(stream, "GET /{url} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                response(&mut BufReader::new(stream)).unwrap().0
            })
        })
        .collect();
    for client in clients {
        assert_eq!(client.join().unwrap(), 414);
    }
    let peak = status_kb(server.pid(), "VmHWM:");
    assert!(
        peak < before + 32 * 1024,
        "resident memory peaked at {peak} kB, from {before} kB"
    );
}

/// What a load run saw.
#[derive(Debug)]
struct Load {
    requests: usize,
    errors: usize,
    fresh: usize,
    rss_before_kb: u64,
    /// Resident memory after each round, once its connections have closed.
    rss_after_kb: Vec<u64>,
}

/// Rounds of `busy` connections making requests for `duration`, with `idle` sockets held open,
/// while a fresh connection asks for a page every 100 ms.
fn load(rounds: usize, duration: Duration, busy: usize, idle: usize) -> Load {
    let mut server = Server::start(&["--header-timeout-ms", "60000"]);
    for _ in 0..20 {
        assert_eq!(server.status("/"), 200);
    }
    let mut load = Load {
        requests: 0,
        errors: 0,
        fresh: 0,
        rss_before_kb: status_kb(server.pid(), "VmRSS:"),
        rss_after_kb: Vec::new(),
    };
    for _ in 0..rounds {
        round(&server, &mut load, duration, busy, idle);
        std::thread::sleep(Duration::from_millis(500));
        assert_eq!(server.status("/"), 200);
        server.assert_alive();
        load.rss_after_kb.push(status_kb(server.pid(), "VmRSS:"));
    }
    load
}

fn round(server: &Server, load: &mut Load, duration: Duration, busy: usize, idle: usize) {
    let stop = Arc::new(AtomicBool::new(false));
    let (requests, errors) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let idle: Vec<TcpStream> = (0..idle).map(|_| server.connect()).collect();
    let paths = [
        "/",
        "/datasets/good.html",
        "/missing.html",
        "/search-index.js",
    ];
    let workers: Vec<_> = (0..busy)
        .map(|i| {
            let (port, stop) = (server.port, Arc::clone(&stop));
            let (requests, errors) = (Arc::clone(&requests), Arc::clone(&errors));
            std::thread::spawn(move || {
                if busy_client(port, paths[i % paths.len()], &stop, &requests).is_err() {
                    errors.fetch_add(1, SeqCst);
                }
            })
        })
        .collect();
    let started = Instant::now();
    while started.elapsed() < duration {
        assert_eq!(server.status("/"), 200, "a fresh request during the load");
        load.fresh += 1;
        std::thread::sleep(Duration::from_millis(100));
    }
    stop.store(true, SeqCst);
    for worker in workers {
        worker.join().unwrap();
    }
    drop(idle);
    load.requests += requests.load(SeqCst);
    load.errors += errors.load(SeqCst);
}

/// Requests on one kept-alive connection until told to stop; any failure ends it.
fn busy_client(
    port: u16,
    path: &str,
    stop: &AtomicBool,
    requests: &AtomicUsize,
) -> std::io::Result<()> {
    let stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let want = if path == "/missing.html" { 404 } else { 200 };
    let request = get(path);
    while !stop.load(SeqCst) {
        writer.write_all(&request)?;
        let (status, _) = response(&mut reader)?;
        if status != want {
            return Err(std::io::Error::other(format!("{path}: {status}")));
        }
        requests.fetch_add(1, SeqCst);
    }
    Ok(())
}

/// No errors, and resident memory settles after every round near where it started: what stays
/// is the allocator's cache of connection buffers, bounded by the connection cap, while a leak
/// would grow with the tens of thousands of requests of each round.
fn assert_load(load: &Load) {
    eprintln!("{load:?}");
    assert_eq!(load.errors, 0, "{load:?}");
    assert!(load.requests > 0 && load.fresh > 0, "{load:?}");
    for &after in &load.rss_after_kb {
        assert!(
            after < load.rss_before_kb + 16 * 1024,
            "resident memory grew: {load:?}"
        );
    }
}

#[test]
fn a_short_load_leaves_no_errors_and_no_lasting_growth() {
    assert_load(&load(2, Duration::from_millis(1500), 200, 200));
}

#[test]
#[ignore = "ten seconds of load; run with --ignored (benches/serve-load.sh)"]
fn ten_seconds_of_load_leave_no_errors_and_no_lasting_growth() {
    assert_load(&load(2, Duration::from_secs(10), 200, 200));
}
