//! The external link checker against a small HTTP server of its own on 127.0.0.1: which links
//! are warned about and where, how often each URL is asked, the cache, and the per-host limit.
//! Nothing here contacts any other address.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use medatlas::Diagnostic;
use medatlas::cmd::external::{self, Link, Options};
use medatlas::common::source::Source;

/// The test's timeout: `/slow` answers well after it.
const TIMEOUT: Duration = Duration::from_millis(300);
const SLOW: Duration = Duration::from_millis(1000);
/// How long each `/slowish/N` takes, long enough for requests to overlap.
const SLOWISH: Duration = Duration::from_millis(150);

/// What the server saw.
#[derive(Default)]
struct Log {
    /// (method, path) of every request, in arrival order.
    requests: Mutex<Vec<(String, String)>>,
    /// The User-Agent header of every request.
    agents: Mutex<Vec<String>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    /// `/slowish/N` requests wait (up to [`MEET`]) until this many are in flight at once, so
    /// that a concurrency test does not depend on how fast a loaded machine sends them.
    meet: AtomicUsize,
}

/// How long a `/slowish/N` request waits for the others it should meet.
const MEET: Duration = Duration::from_secs(5);

/// A local HTTP server answering each connection on its own thread (one request each, then
/// closed); stops when dropped.
struct Server {
    stop: Arc<AtomicBool>,
    port: u16,
    base: String,
    log: Arc<Log>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("an address").port();
        let log = Arc::new(Log::default());
        let stop = Arc::new(AtomicBool::new(false));
        let (stopping, logging) = (Arc::clone(&stop), Arc::clone(&log));
        thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(SeqCst) {
                    return;
                }
                let log = Arc::clone(&logging);
                if let Ok(stream) = stream {
                    thread::spawn(move || respond(stream, &log));
                }
            }
        });
        Server {
            stop,
            port,
            base: format!("http://127.0.0.1:{port}"),
            log,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Requests for `path` with any method (`None`) or the given one.
    fn count(&self, path: &str, method: Option<&str>) -> usize {
        let requests = self.log.requests.lock().unwrap();
        requests
            .iter()
            .filter(|(m, p)| p == path && method.is_none_or(|want| m == want))
            .count()
    }

    fn forget(&self) {
        self.log.requests.lock().unwrap().clear();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, SeqCst);
        // Wake the accepting thread so that it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// Method, path and User-Agent of a request head.
fn read_head(stream: &TcpStream) -> Option<(String, String, String)> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next()?.to_string(), parts.next()?.to_string());
    let mut agent = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).ok()? == 0 || line.trim_end().is_empty() {
            return Some((method, path, agent));
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("user-agent")
        {
            agent = value.trim().to_string();
        }
    }
}

fn respond(mut stream: TcpStream, log: &Log) {
    let Some((method, path, agent)) = read_head(&stream) else {
        return;
    };
    log.agents.lock().unwrap().push(agent);
    log.requests
        .lock()
        .unwrap()
        .push((method.clone(), path.clone()));
    let now = log.in_flight.fetch_add(1, SeqCst) + 1;
    log.max_in_flight.fetch_max(now, SeqCst);
    if path.starts_with("/slowish/") {
        let deadline = std::time::Instant::now() + MEET;
        while log.in_flight.load(SeqCst) < log.meet.load(SeqCst)
            && std::time::Instant::now() < deadline
        {
            thread::sleep(Duration::from_millis(2));
        }
    }
    let (status, location) = route(&method, &path);
    log.in_flight.fetch_sub(1, SeqCst);
    let location = location.map_or(String::new(), |l| format!("Location: {l}\r\n"));
    let response = format!(
        "HTTP/1.1 {status} Status\r\nContent-Length: 0\r\nConnection: close\r\n{location}\r\n"
    );
    let _ = stream.write_all(response.as_bytes());
}

fn route(method: &str, path: &str) -> (u16, Option<&'static str>) {
    match path {
        "/ok" => (200, None),
        "/missing" => (404, None),
        "/moved" => (301, Some("/ok")),
        "/moved-away" => (302, Some("/missing")),
        "/loop" => (302, Some("/loop")),
        "/no-head" if method == "HEAD" => (405, None),
        "/no-head" => (200, None),
        "/slow" => {
            thread::sleep(SLOW);
            (200, None)
        }
        "/error" => (500, None),
        "/busy" => (429, None),
        _ if path.starts_with("/slowish/") => {
            thread::sleep(SLOWISH);
            (200, None)
        }
        _ => (404, None),
    }
}

/// A port on 127.0.0.1 that nothing listens on.
fn refused_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}/")
}

/// Every `http://` URL in the text, up to a space, `)` or the end of the line.
fn links_in(source: &Source) -> Vec<Link<'_>> {
    let text = &source.text;
    text.match_indices("http://")
        .map(|(start, _)| {
            let end = text[start..]
                .find([' ', ')', '\n'])
                .map_or(text.len(), |n| start + n);
            Link {
                url: text[start..end].to_string(),
                source,
                span: start..end,
            }
        })
        .collect()
}

fn options() -> Options {
    Options {
        timeout: TIMEOUT,
        ..Options::default()
    }
}

fn cached(path: &Path) -> Options {
    Options {
        cache: Some(path.to_path_buf()),
        ..options()
    }
}

/// (path, line, column) of each warning.
fn places(diagnostics: &[Diagnostic]) -> Vec<(&str, usize, usize)> {
    diagnostics
        .iter()
        .map(|d| (d.path.as_str(), d.line, d.column))
        .collect()
}

#[test]
fn broken_links_are_warned_about_where_they_were_written() {
    let server = Server::start();
    let text = format!(
        "+++\ntitle = \"x\"\n+++\n- [ok]({})\n- [gone]({})\n  slow: {}\n{}\n\
         - [moved]({}) [no head]({}) [busy]({})\n- refused: {}\n",
        server.url("/ok"),
        server.url("/missing"),
        server.url("/slow"),
        server.url("/error"),
        server.url("/moved"),
        server.url("/no-head"),
        server.url("/busy"),
        refused_url(),
    );
    let source = Source::new("content/datasets/x.md", text);
    let found = external::check(&links_in(&source), &options());

    let path = "content/datasets/x.md";
    assert_eq!(
        places(&found),
        [(path, 5, 10), (path, 6, 9), (path, 7, 1), (path, 9, 12)],
        "{found:#?}"
    );
    let expected = [
        ("/missing", "404 Not Found"),
        ("/slow", "timeout: no answer within 300 ms"),
        ("/error", "500 Internal Server Error"),
    ];
    for (d, (route, what)) in found.iter().zip(expected) {
        assert_eq!(d.code.name(), "unreachable-url");
        assert!(d.message.contains(&server.url(route)), "{}", d.message);
        assert!(d.message.contains(what), "{}", d.message);
    }
    assert!(found[3].message.contains("refused"), "{}", found[3].message);
    assert!(found.iter().all(|d| !d.is_error() && d.help.is_some()));
    // The GET retry is what made /no-head work, and /moved was followed to /ok.
    assert_eq!(server.count("/no-head", Some("GET")), 1);
    assert_eq!(server.count("/ok", None), 2);
    let agents = server.log.agents.lock().unwrap();
    assert!(
        agents.iter().all(|a| a.starts_with("medatlas-link-check/")),
        "{agents:?}"
    );
}

#[test]
fn redirects_are_followed_to_where_they_end() {
    let server = Server::start();
    let text = format!(
        "{}
{}
",
        server.url("/moved-away"),
        server.url("/loop")
    );
    let source = Source::new("x.md", text);
    let found = external::check(&links_in(&source), &options());

    assert_eq!(
        places(&found),
        [("x.md", 1, 1), ("x.md", 2, 1)],
        "{found:#?}"
    );
    assert!(
        found[0].message.contains("404 Not Found"),
        "{}",
        found[0].message
    );
    assert!(
        found[1].message.contains("redirects"),
        "{}",
        found[1].message
    );
    // At most 5 redirects are followed, for HEAD and for the GET retry alike.
    assert!(server.count("/loop", None) <= 2 * 6);
}

#[test]
fn each_distinct_url_is_asked_once_and_each_link_warned_about() {
    let server = Server::start();
    let (ok, missing) = (server.url("/ok"), server.url("/missing"));
    let a = Source::new("a.md", format!("{ok}\n{missing}\n{ok}#section\n"));
    let b = Source::new("b.md", format!("see {missing}\n"));
    let mut links = links_in(&b);
    links.extend(links_in(&a));
    let found = external::check(&links, &options());

    assert_eq!(places(&found), [("a.md", 2, 1), ("b.md", 1, 5)]);
    assert_eq!(server.count("/ok", None), 1);
    assert_eq!(server.count("/missing", Some("HEAD")), 1);
    assert_eq!(server.count("/missing", Some("GET")), 1);
}

#[test]
fn the_cache_skips_urls_that_worked_and_asks_broken_ones_again() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("not/yet/there/links.json");
    let text = ["/ok", "/moved", "/no-head", "/missing", "/error", "/busy"]
        .map(|route| server.url(route))
        .join("\n");
    let source = Source::new("x.md", text);
    let links = links_in(&source);

    let first = external::check(&links, &cached(&cache));
    assert_eq!(places(&first), [("x.md", 4, 1), ("x.md", 5, 1)]);
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&cache).unwrap()).unwrap();
    assert_eq!(written[server.url("/ok")]["ok"], true);
    assert_eq!(written[server.url("/missing")]["ok"], false);
    assert_eq!(written[server.url("/missing")]["status"], 404);
    // A rate limit says nothing about the link: neither a warning nor remembered.
    assert!(written.get(server.url("/busy")).is_none(), "{written:#}");

    server.forget();
    let second = external::check(&links, &cached(&cache));
    assert_eq!(places(&second), places(&first));
    for route in ["/ok", "/moved", "/no-head"] {
        assert_eq!(server.count(route, None), 0, "{route} was asked again");
    }
    for route in ["/missing", "/error", "/busy"] {
        assert_eq!(
            server.count(route, Some("HEAD")),
            1,
            "{route} was not asked again"
        );
    }

    // A URL that worked longer ago than the time to live is asked again.
    server.forget();
    let expired = Options {
        cache_ttl: Duration::ZERO,
        ..cached(&cache)
    };
    external::check(&links, &expired);
    assert_eq!(server.count("/ok", None), 2);
}

#[test]
fn a_corrupt_cache_file_is_ignored_and_replaced() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("links.json");
    std::fs::write(&cache, "{\"not\": [valid json").unwrap();
    let source = Source::new("x.md", format!("{}\n", server.url("/ok")));

    assert!(external::check(&links_in(&source), &cached(&cache)).is_empty());
    assert_eq!(server.count("/ok", None), 1);
    assert!(external::check(&links_in(&source), &cached(&cache)).is_empty());
    assert_eq!(
        server.count("/ok", None),
        1,
        "the rewritten cache was not used"
    );
}

#[test]
fn a_cache_that_cannot_be_written_is_a_warning_not_a_failure() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("a-file");
    std::fs::write(&blocker, "").unwrap();
    let source = Source::new("x.md", server.url("/ok"));

    let found = external::check(&links_in(&source), &cached(&blocker.join("links.json")));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].code.name(), "link-cache");
    assert!(!found[0].is_error());
}

/// Six links to one host whose answers take long enough for requests to overlap.
fn six_slowish_links(server: &Server) -> Source {
    let text = (1..=6)
        .map(|n| server.url(&format!("/slowish/{n}")))
        .collect::<Vec<_>>()
        .join("\n");
    Source::new("x.md", text)
}

#[test]
fn no_more_than_per_host_requests_reach_one_host_at_once() {
    let server = Server::start();
    server.log.meet.store(2, SeqCst);
    let source = six_slowish_links(&server);
    let polite = Options {
        per_host: 2,
        concurrency: 16,
        timeout: MEET * 2,
        ..options()
    };

    assert!(external::check(&links_in(&source), &polite).is_empty());
    assert_eq!(server.log.requests.lock().unwrap().len(), 6);
    // Never more than two at once, and the two did run side by side.
    assert_eq!(server.log.max_in_flight.load(SeqCst), 2);
}

#[test]
fn no_more_than_concurrency_requests_are_in_flight() {
    let server = Server::start();
    server.log.meet.store(3, SeqCst);
    let source = six_slowish_links(&server);
    let narrow = Options {
        per_host: 10,
        concurrency: 3,
        timeout: MEET * 2,
        ..options()
    };

    assert!(external::check(&links_in(&source), &narrow).is_empty());
    assert_eq!(server.log.max_in_flight.load(SeqCst), 3);
}

#[test]
fn urls_that_cannot_be_requested_are_not_valid_urls() {
    let text = "a\nb\n";
    let source = Source::new("x.md", text);
    let raw = [
        "",
        "example.org/page",
        "ftp://example.org/file",
        "http://",
        "https://exa mple.org/",
        "https://example.org:http/",
        "https://bücher.example/",
        "http://[::1/",
    ];
    let links: Vec<Link> = raw
        .iter()
        .map(|url| Link {
            url: url.to_string(),
            source: &source,
            // Out-of-range and mid-file spans must not panic either.
            span: 2..99,
        })
        .collect();
    let found = external::check(&links, &options());

    assert_eq!(found.len(), raw.len());
    for d in &found {
        assert_eq!((d.code.name(), d.line, d.column), ("unreachable-url", 2, 1));
        assert!(d.message.contains("not a valid URL"), "{}", d.message);
    }
}

#[test]
fn no_links_is_no_work() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("links.json");
    assert!(external::check(&[], &cached(&cache)).is_empty());
    assert!(!cache.exists());
    let defaults = Options::default();
    assert_eq!(defaults.timeout, Duration::from_secs(10));
    assert_eq!((defaults.per_host, defaults.concurrency), (2, 16));
    assert_eq!(defaults.cache_ttl, Duration::from_secs(7 * 24 * 3600));
}

/// `medatlas check --external` on a catalog: the homepage, papers, table sources and links in the
/// description are all checked, and a broken one is a warning at the line that writes it.
#[test]
fn check_external_finds_the_catalogs_urls() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content/datasets")).unwrap();
    std::fs::write(dir.path().join("content/site.toml"), "title = \"t\"\n").unwrap();
    std::fs::write(
        dir.path().join("content/vocabulary.toml"),
        "[modalities]\nx-ray = { name = \"X-ray\" }\n[body_regions]\nchest = { name = \"Chest\" }\n\
         [tasks]\nclassification = { name = \"Classification\" }\n[access]\nopen = { name = \"Open\" }\n",
    )
    .unwrap();
    let entry = format!(
        "+++\nname = \"A\"\nsummary = \"s\"\npublisher = \"p\"\nhomepage = \"{ok}\"\nmodalities = [\"x-ray\"]\n\
         body_regions = [\"chest\"]\ntasks = [\"classification\"]\naccess = \"open\"\n\n[[papers]]\ntitle = \"t\"\n\
         url = \"{missing}\"\n+++\n\nSee [the data]({error}).\n",
        ok = server.url("/ok"),
        missing = server.url("/missing"),
        error = server.url("/error"),
    );
    std::fs::write(dir.path().join("content/datasets/a.md"), entry).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_medatlas"))
        .args(["check", "--external", "--format", "json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "warnings only: exit 0");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let found: Vec<(String, u64)> = report
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("unreachable-url".to_string(), 13),
            ("unreachable-url".to_string(), 16)
        ]
    );
    let paths: Vec<String> = server
        .log
        .requests
        .lock()
        .unwrap()
        .iter()
        .map(|(_, p)| p.clone())
        .collect();
    assert!(paths.contains(&"/ok".to_string()), "{paths:?}");
    assert!(
        dir.path()
            .join(".medatlas-cache/external-links.json")
            .exists()
    );
}
