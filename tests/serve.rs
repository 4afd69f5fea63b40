//! `medatlas serve`: serves the built site, rebuilds on change, tells the open pages to reload,
//! shows errors as an overlay and recovers. Talks HTTP to 127.0.0.1 only.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

/// GET a path: (status, body).
fn get(port: u16, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    // A server that stops answering fails the test instead of hanging it.
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response[9..12].parse().unwrap();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// Subscribe to the event stream: each event's name and data, as they arrive.
fn events(port: u16) -> Receiver<(String, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET /__medatlas/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    let (sender, receiver) = channel();
    std::thread::spawn(move || {
        let mut name = String::new();
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { return };
            if let Some(event) = line.strip_prefix("event: ") {
                name = event.to_string();
            } else if let Some(data) = line.strip_prefix("data: ")
                && sender
                    .send((std::mem::take(&mut name), data.to_string()))
                    .is_err()
            {
                return;
            }
        }
    });
    receiver
}

fn next(events: &Receiver<(String, String)>) -> (String, String) {
    events
        .recv_timeout(Duration::from_secs(20))
        .expect("an event within 20 s")
}

/// Build `dir` with `medatlas build` into a new temporary directory: the directory, and the
/// site in it.
fn build_elsewhere(dir: &std::path::Path) -> (tempfile::TempDir, std::path::PathBuf) {
    let built = tempfile::tempdir().unwrap();
    let target = built.path().join("site");
    let output = common::medatlas(dir, &["build", "--output", target.to_str().unwrap()]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    (built, target)
}

/// The served pages are what `build` writes, plus the reload script; nothing outside them is.
fn serves_the_built_site(port: u16, dir: &std::path::Path) {
    let (status, page) = get(port, "/datasets/good.html");
    assert_eq!(status, 200);
    assert!(page.contains("<h1>Good Set</h1>"));
    assert!(page.contains("<script src=\"/__medatlas/live-reload.js\"></script></body>"));
    let (status, script) = get(port, "/__medatlas/live-reload.js");
    assert_eq!(status, 200);
    assert!(script.contains("EventSource"));
    assert_eq!(get(port, "/missing.html").0, 404);
    assert_eq!(get(port, "/../Cargo.toml").0, 404);
    let (_built, target) = build_elsewhere(dir);
    let written = common::read(&target.join("datasets/good.html"));
    assert_eq!(
        page.replace("<script src=\"/__medatlas/live-reload.js\"></script>", ""),
        written
    );
}

/// An edit: a reload event, the page and the listings follow, and the quick rebuild leaves
/// exactly what a full build writes.
fn an_edit_reloads(port: u16, dir: &std::path::Path, events: &Receiver<(String, String)>) {
    let entry = dir.join("content/datasets/good.md");
    let original = common::read(&entry);
    std::fs::write(
        &entry,
        original.replace("A valid entry.", "An edited entry."),
    )
    .unwrap();
    assert_eq!(next(events).0, "reload");
    assert!(
        get(port, "/datasets/good.html")
            .1
            .contains("An edited entry.")
    );
    assert!(
        get(port, "/index.html").1.contains("An edited entry."),
        "listings follow"
    );
    let (_fresh, target) = build_elsewhere(dir);
    let mut built = common::tree(&target);
    // A build's manifest: the server, which writes pages in place, leaves none.
    assert!(
        built
            .remove(std::path::Path::new(medatlas::output::manifest::MANIFEST))
            .is_some()
    );
    assert_eq!(common::tree(&dir.join("public")), built);
}

/// An error: the pages are told, with file:line:col, and so is a page opened later; once
/// fixed, a reload, and the site is current again.
fn an_error_is_shown_then_fixed(
    port: u16,
    dir: &std::path::Path,
    events: &Receiver<(String, String)>,
) {
    let entry = dir.join("content/datasets/good.md");
    let original = common::read(&entry);
    std::fs::write(&entry, original.replace("modalities", "modalites")).unwrap();
    let (name, data) = next(events);
    assert_eq!(name, "errors");
    assert!(data.contains("content/datasets/good.md:6:1"), "{data}");
    assert!(data.contains("did you mean `modalities`?"), "{data}");
    let late = self::events(port);
    assert_eq!(next(&late).0, "errors");

    std::fs::write(
        &entry,
        original.replace("An edited entry.", "A fixed entry."),
    )
    .unwrap();
    assert_eq!(next(events).0, "reload");
    assert!(
        get(port, "/datasets/good.html")
            .1
            .contains("A fixed entry.")
    );
}

#[test]
fn serve_reloads_on_change_shows_errors_and_recovers() {
    let dir = common::catalog(None);
    let server = common::serve(dir.path());
    serves_the_built_site(server.port, dir.path());

    let events = events(server.port);
    std::thread::sleep(Duration::from_millis(300));
    an_edit_reloads(server.port, dir.path(), &events);
    an_error_is_shown_then_fixed(server.port, dir.path(), &events);

    // A catalog's own template, in a templates/ directory created while serving.
    std::fs::create_dir(dir.path().join("templates")).unwrap();
    std::thread::sleep(Duration::from_millis(800));
    std::fs::write(
        dir.path().join("templates/tasks.html"),
        "<body>custom checklist</body>",
    )
    .unwrap();
    assert_eq!(next(&events).0, "reload");
    assert!(
        get(server.port, "/tasks.html")
            .1
            .starts_with("<body>custom checklist<script")
    );
}

/// A web page elsewhere cannot reach the preview server through a name of its own that
/// resolves to 127.0.0.1 (DNS rebinding): requests must name this machine.
#[test]
fn requests_for_other_host_names_are_refused() {
    let dir = common::catalog(None);
    let server = common::serve(dir.path());
    let status = |host: &str| {
        let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        write!(
            stream,
            "GET /index.html HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response[9..12].parse::<u16>().unwrap()
    };
    let port = server.port;
    assert_eq!(status(&format!("127.0.0.1:{port}")), 200);
    assert_eq!(status(&format!("localhost:{port}")), 200);
    assert_eq!(status(&format!("rebound.example:{port}")), 403);
    assert_eq!(status("localhost.rebound.example"), 403);
}
