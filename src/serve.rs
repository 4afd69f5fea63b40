//! `medatlas serve`: build, serve on 127.0.0.1, rebuild on change, reload the open pages.
//!
//! The site is built into the output directory exactly as `build` writes it; HTML responses get
//! one `<script>` injected before `</body>`, which listens to server-sent events on
//! `/__medatlas/events`: `reload` after a successful rebuild, `errors` (the checker's report)
//! when the content has errors, shown as an overlay over the page until they are fixed.
//!
//! After an edit of existing entries only, the catalog is re-checked from memory and only the
//! pages that depend on those entries are rendered again (their pages, pages of entries that
//! relate to them, the listings, the search index); anything else rebuilds the whole site.
//! Editors save in bursts, so file events are debounced.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use notify_debouncer_mini::notify::RecursiveMode;
use notify_debouncer_mini::{DebounceEventResult, new_debouncer};

use crate::model::Facet;
use crate::render::Selection;
use crate::{Failure, Prepared, Timings, load, write};

/// Where the reload script and the event stream live; no page of a catalog can be there.
const PREFIX: &str = "/__medatlas/";
const RELOAD_SCRIPT: &str = include_str!("../static/live-reload.js");
const DEBOUNCE: Duration = Duration::from_millis(150);

pub struct ServeOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub bind: String,
    pub port: u16,
}

/// What the open pages are told.
#[derive(Clone)]
enum Event {
    Reload,
    Errors(String),
}

impl Event {
    fn to_sse(&self) -> String {
        match self {
            Event::Reload => "event: reload\ndata: {}\n\n".to_string(),
            Event::Errors(report) => {
                let data = serde_json::json!({ "report": report });
                format!("event: errors\ndata: {data}\n\n")
            }
        }
    }
}

/// The state shared by the server threads: the last outcome and the open event streams.
#[derive(Default)]
struct Shared {
    errors: Option<String>,
    listeners: Vec<Sender<Event>>,
}

impl Shared {
    fn broadcast(&mut self, event: Event) {
        self.errors = match &event {
            Event::Errors(report) => Some(report.clone()),
            Event::Reload => None,
        };
        self.listeners.retain(|l| l.send(event.clone()).is_ok());
    }
}

/// Build, serve and watch until the process is stopped. `on_ready` receives the address the
/// server listens on (useful with port 0).
pub fn serve(
    options: &ServeOptions,
    on_ready: impl FnOnce(std::net::SocketAddr),
) -> Result<(), String> {
    let server = tiny_http::Server::http((options.bind.as_str(), options.port))
        .map_err(|e| format!("cannot listen on {}:{}: {e}", options.bind, options.port))?;
    let address = server
        .server_addr()
        .to_ip()
        .ok_or("the server has no IP address")?;
    let shared = Arc::new(Mutex::new(Shared::default()));
    let mut site = Site::new(options);
    let first = site.rebuild(None);
    log(&first);
    if let Outcome::Errors(report) = &first.outcome {
        shared.lock().expect("not poisoned").errors = Some(report.clone());
    }
    let (changes, events) = channel();
    let mut debouncer = new_debouncer(DEBOUNCE, move |result: DebounceEventResult| {
        if let Ok(events) = result {
            let _ = changes.send(events.into_iter().map(|e| e.path).collect::<Vec<_>>());
        }
    })
    .map_err(|e| format!("cannot watch files: {e}"))?;
    let mut watching = Watching::default();
    watching.update(&mut debouncer, &options.root)?;
    let output = site.output.clone();
    let http_shared = Arc::clone(&shared);
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let shared = Arc::clone(&http_shared);
            let output = output.clone();
            std::thread::spawn(move || respond(request, &output, &shared));
        }
    });
    on_ready(address);
    watch(&mut site, events, &shared, |site| {
        if let Err(e) = watching.update(&mut debouncer, &site.root) {
            eprintln!("{e}");
        }
    });
    Ok(())
}

/// Rebuild after each (debounced) burst of changes, and tell the open pages.
fn watch(
    site: &mut Site,
    events: Receiver<Vec<PathBuf>>,
    shared: &Mutex<Shared>,
    mut rewatch: impl FnMut(&Site),
) {
    let mut seen = Snapshot::of(&site.root);
    while let Ok(mut paths) = events.recv() {
        rewatch(site);
        // Take every burst that arrived meanwhile: one rebuild for all of them.
        while let Ok(more) = events.try_recv() {
            paths.extend(more);
        }
        // The watcher also reports files being opened (by the rebuild itself, by editors):
        // only a file whose size or modification time changed, or that appeared or went, counts.
        let sources = ["content", "templates", "static"]
            .map(|d| std::path::absolute(site.root.join(d)).unwrap_or_default());
        let paths: Vec<PathBuf> = paths
            .into_iter()
            .filter(|p| {
                sources
                    .iter()
                    .any(|s| std::path::absolute(p).is_ok_and(|p| p.starts_with(s)))
            })
            .collect();
        let paths = seen.changed(paths);
        if paths.is_empty() {
            continue;
        }
        let rebuilt = site.rebuild(Some(&paths));
        log(&rebuilt);
        let event = match rebuilt.outcome {
            Outcome::Built { .. } => Event::Reload,
            Outcome::Errors(report) => Event::Errors(report),
        };
        shared.lock().expect("not poisoned").broadcast(event);
    }
}

/// The source directories being watched. The catalog root itself is watched (not recursively),
/// so that a `templates/` or `static/` created while serving is noticed and watched too; the
/// root is not watched recursively, since it may hold large directories (`target/`, `public/`).
#[derive(Default)]
struct Watching(HashSet<PathBuf>);

impl Watching {
    fn update<W: notify_debouncer_mini::notify::Watcher>(
        &mut self,
        debouncer: &mut notify_debouncer_mini::Debouncer<W>,
        root: &Path,
    ) -> Result<(), String> {
        let watch = |debouncer: &mut notify_debouncer_mini::Debouncer<W>, path: &Path, mode| {
            debouncer
                .watcher()
                .watch(path, mode)
                .map_err(|e| format!("cannot watch {}: {e}", path.display()))
        };
        if self.0.insert(root.to_path_buf()) {
            watch(debouncer, root, RecursiveMode::NonRecursive)?;
        }
        for dir in ["content", "templates", "static"] {
            let path = root.join(dir);
            if path.is_dir() && !self.0.contains(&path) {
                watch(debouncer, &path, RecursiveMode::Recursive)?;
                self.0.insert(path);
            }
        }
        Ok(())
    }
}

/// Size and modification time of every watched file, to tell real changes from mere opens.
struct Snapshot(std::collections::HashMap<PathBuf, Option<(u64, std::time::SystemTime)>>);

impl Snapshot {
    fn of(root: &Path) -> Snapshot {
        let mut files = std::collections::HashMap::new();
        for dir in ["content", "templates", "static"] {
            for entry in walkdir::WalkDir::new(root.join(dir)).into_iter().flatten() {
                if entry.file_type().is_file() {
                    let path = std::path::absolute(entry.path())
                        .unwrap_or_else(|_| entry.path().to_path_buf());
                    files.insert(path.clone(), stamp(&path));
                }
            }
        }
        Snapshot(files)
    }

    /// The paths whose stamp differs from the last one seen (and remember the new stamps).
    fn changed(&mut self, paths: Vec<PathBuf>) -> Vec<PathBuf> {
        let mut changed = Vec::new();
        for path in paths {
            let path = std::path::absolute(&path).unwrap_or(path);
            if path.is_dir() {
                continue;
            }
            let now = stamp(&path);
            let before = self.0.insert(path.clone(), now);
            if before != Some(now)
                && !(before.is_none() && now.is_none())
                && !changed.contains(&path)
            {
                changed.push(path);
            }
        }
        changed
    }
}

fn stamp(path: &Path) -> Option<(u64, std::time::SystemTime)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

fn log(rebuilt: &Rebuilt) {
    let took = rebuilt.took.as_secs_f64() * 1000.0;
    match &rebuilt.outcome {
        Outcome::Built { pages, quick: true } => eprintln!("rebuilt {pages} pages in {took:.0} ms"),
        Outcome::Built {
            pages,
            quick: false,
        } => eprintln!("built the whole site ({pages} pages) in {took:.0} ms"),
        Outcome::Errors(report) => {
            eprintln!("{report}the pages show these errors until they are fixed")
        }
    }
}

enum Outcome {
    Built { pages: usize, quick: bool },
    Errors(String),
}

struct Rebuilt {
    outcome: Outcome,
    took: Duration,
}

/// The catalog being served, kept in memory between rebuilds.
struct Site {
    root: PathBuf,
    output: PathBuf,
    prepared: Option<Prepared>,
}

impl Site {
    fn new(options: &ServeOptions) -> Site {
        Site {
            root: options.root.clone(),
            output: options.output.clone(),
            prepared: None,
        }
    }

    /// Rebuild after changes to `paths` (`None`: everything).
    fn rebuild(&mut self, paths: Option<&[PathBuf]>) -> Rebuilt {
        let started = Instant::now();
        let quick = paths.and_then(|paths| self.edited_entries(paths));
        let was_quick = quick.is_some();
        let result = match quick {
            Some((relative, slugs)) => self.rebuild_entries(&relative, slugs),
            None => self.rebuild_all(),
        };
        let outcome = match result {
            Ok(pages) => Outcome::Built {
                pages,
                quick: was_quick,
            },
            Err(Failure::Content(report)) => {
                Outcome::Errors(report.errors_only().to_plain_string())
            }
            Err(Failure::Template(message) | Failure::Io(message)) => {
                Outcome::Errors(format!("error: {message}\n"))
            }
        };
        Rebuilt {
            outcome,
            took: started.elapsed(),
        }
    }

    /// When every changed file is an existing entry of a catalog that built: their paths
    /// (relative to the root) and slugs. Anything else needs a full rebuild.
    fn edited_entries(&self, paths: &[PathBuf]) -> Option<(Vec<String>, HashSet<String>)> {
        let prepared = self.prepared.as_ref()?;
        let root = std::path::absolute(&self.root).ok()?;
        let mut relative = Vec::new();
        let mut slugs = HashSet::new();
        for path in paths {
            let path = std::path::absolute(path).ok()?;
            let rel = path
                .strip_prefix(&root)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            let entry = prepared.checked.sources().iter().any(|s| s.path == rel);
            if !entry || !rel.starts_with("content/datasets/") {
                return None;
            }
            slugs.insert(crate::parse::slug_of(&rel).to_string());
            relative.push(rel);
        }
        Some((relative, slugs))
    }

    fn rebuild_entries(
        &mut self,
        paths: &[String],
        slugs: HashSet<String>,
    ) -> Result<usize, Failure> {
        let prepared = self.prepared.take().expect("edited_entries saw it");
        let mut term_pages = term_pages_of(&prepared, &slugs);
        let mut checked = prepared.checked;
        if !load::reload(&self.root, &mut checked.files, paths) {
            return self.rebuild_all();
        }
        let changed: Vec<usize> = paths
            .iter()
            .filter_map(|p| checked.sources().iter().position(|s| &s.path == p))
            .collect();
        let mut timings = Timings::default();
        let checked = crate::recheck(checked, &changed, &mut timings)?;
        let prepared = crate::prepare(checked, &self.root, &mut timings)?;
        term_pages.extend(term_pages_of(&prepared, &slugs));
        let output = &self.output;
        let sink = |path: &str, bytes: &[u8]| {
            write::write_in_place(output, path, bytes).map_err(|e| e.to_string())
        };
        let selection = Selection::Entries { slugs, term_pages };
        let pages = crate::render_into(&prepared, &selection, &sink, &mut timings)?;
        self.prepared = Some(prepared);
        Ok(pages)
    }

    fn rebuild_all(&mut self) -> Result<usize, Failure> {
        self.prepared = None;
        let mut timings = Timings::default();
        let checked = crate::check_catalog(&self.root, &mut timings)?;
        let prepared = crate::prepare(checked, &self.root, &mut timings)?;
        let io = |e: write::WriteError| Failure::Io(e.to_string());
        let staging = write::Staging::open(&self.root, &self.output, false).map_err(io)?;
        let sink = |path: &str, bytes: &[u8]| staging.write(path, bytes).map_err(|e| e.to_string());
        let pages = crate::render_into(&prepared, &Selection::All, &sink, &mut timings)?;
        staging.commit(&self.root).map_err(io)?;
        self.prepared = Some(prepared);
        Ok(pages)
    }
}

/// The term pages listing any of these entries.
fn term_pages_of(prepared: &Prepared, slugs: &HashSet<String>) -> HashSet<String> {
    let mut pages = HashSet::new();
    for dataset in prepared
        .checked
        .catalog
        .datasets
        .iter()
        .filter(|d| slugs.contains(&d.slug))
    {
        let lists = [
            (Facet::Modality, dataset.modalities.as_slice()),
            (Facet::BodyRegion, dataset.body_regions.as_slice()),
            (Facet::Task, dataset.tasks.as_slice()),
            (Facet::Access, std::slice::from_ref(&dataset.access)),
        ];
        for (facet, terms) in lists {
            for term in terms {
                pages.insert(format!("{}/{}.html", facet.dir(), term.value));
            }
        }
    }
    pages
}

// ---------------------------------------------------------------- HTTP

fn respond(request: tiny_http::Request, output: &Path, shared: &Mutex<Shared>) {
    let url = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    if url == format!("{PREFIX}events") {
        return stream_events(request, shared);
    }
    if url == format!("{PREFIX}live-reload.js") {
        let _ = request.respond(response(
            RELOAD_SCRIPT.as_bytes().to_vec(),
            "text/javascript; charset=utf-8",
            200,
        ));
        return;
    }
    let Some(path) = file_for(output, &url) else {
        let _ = request.respond(not_found(output));
        return;
    };
    match std::fs::read(&path) {
        Ok(bytes) => {
            let kind = content_type(&path);
            let bytes = if kind.starts_with("text/html") {
                inject_reload(bytes)
            } else {
                bytes
            };
            let _ = request.respond(response(bytes, kind, 200));
        }
        Err(_) => {
            let _ = request.respond(not_found(output));
        }
    }
}

/// The file a URL path names inside the output; `None` for anything outside it.
fn file_for(output: &Path, url: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url)?;
    let mut path = output.to_path_buf();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            part if part.contains('\\') => return None,
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

fn response(
    bytes: Vec<u8>,
    kind: &str,
    status: u16,
) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let header = tiny_http::Header::from_bytes("Content-Type", kind).expect("a valid header");
    let no_cache =
        tiny_http::Header::from_bytes("Cache-Control", "no-store").expect("a valid header");
    tiny_http::Response::from_data(bytes)
        .with_status_code(status)
        .with_header(header)
        .with_header(no_cache)
}

fn not_found(output: &Path) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let page =
        std::fs::read(output.join("404.html")).unwrap_or_else(|_| b"<h1>Not found</h1>".to_vec());
    response(inject_reload(page), "text/html; charset=utf-8", 404)
}

/// A server-sent event stream: the current state at once, then every event, with a comment
/// every 15 s so that a closed connection is noticed.
fn stream_events(request: tiny_http::Request, shared: &Mutex<Shared>) {
    let (sender, receiver) = channel();
    let current = {
        let mut shared = shared.lock().expect("not poisoned");
        shared.listeners.push(sender);
        shared.errors.clone()
    };
    let mut stream = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n: medatlas live reload\n\n";
    if stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.flush())
        .is_err()
    {
        return;
    }
    if let Some(report) = current {
        let _ = stream
            .write_all(Event::Errors(report).to_sse().as_bytes())
            .and_then(|()| stream.flush());
    }
    loop {
        let message = match receiver.recv_timeout(Duration::from_secs(15)) {
            Ok(event) => event.to_sse(),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if stream
            .write_all(message.as_bytes())
            .and_then(|()| stream.flush())
            .is_err()
        {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
