//! `medatlas serve`: build, serve on 127.0.0.1, rebuild on change, reload the open pages.
//!
//! The site is built into the output directory exactly as `build` writes it; HTML responses get
//! one `<script>` injected before `</body>`, which listens to server-sent events on
//! `/__medatlas/events`: `reload` after a successful rebuild, `errors` (the checker's report)
//! when the content has errors, shown as an overlay over the page until they are fixed. The log
//! shows each run's whole report, warnings included.
//!
//! Each rebuild runs the build's own pipeline ([`crate::run`]) with the caches of the previous
//! run: files the watcher reports are read again, unchanged entries keep their parse, and only
//! pages whose inputs changed are rendered and only those whose bytes changed are written.
//! Editors save in bursts, so file events are debounced. The HTTP side, and the limits that
//! keep it answering, live in `http`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use notify_debouncer_mini::notify::RecursiveMode;
use notify_debouncer_mini::{DebounceEventResult, new_debouncer};

use crate::{Caches, Failure, Timings};

mod events;
mod http;

pub(crate) use events::LogSink;
use events::{Event, Shared};

pub use http::{Limits, exposure_warning, inject_reload};

const DEBOUNCE: Duration = Duration::from_millis(150);

/// What `serve` needs to know.
pub struct ServeOptions {
    /// The catalog: a directory holding `content/`.
    pub root: PathBuf,
    /// Where the site is built and served from.
    pub output: PathBuf,
    /// The address to listen on (`127.0.0.1` unless told otherwise).
    pub bind: String,
    /// The port; 0 for any free one.
    pub port: u16,
    /// The limits that keep the server answering.
    pub limits: Limits,
    /// Where serve reports what it does.
    pub log: LogSink,
}

/// Build, serve and watch until the process is stopped. `on_ready` receives the address the
/// server listens on (useful with port 0).
pub fn serve(
    options: &ServeOptions,
    on_ready: impl FnOnce(std::net::SocketAddr),
) -> Result<(), String> {
    let server = http::Server::bind(&options.bind, options.port)?;
    let address = server.address()?;
    let shared = Arc::new(Mutex::new(Shared::default()));
    // Watch before the first build, so that a change made while it runs is rebuilt too.
    let (changes, events) = channel();
    let mut debouncer = new_debouncer(DEBOUNCE, move |result: DebounceEventResult| {
        if let Ok(events) = result {
            let _ = changes.send(events.into_iter().map(|e| e.path).collect::<Vec<_>>());
        }
    })
    .map_err(|e| format!("cannot watch files: {e}"))?;
    let mut watching = Watching::default();
    watching.update(&mut debouncer, &options.root)?;
    let seen = Snapshot::of(&options.root);
    let mut site = Site::new(options);
    let first = site.rebuild(None);
    log(&options.log, &first);
    if let Outcome::Errors(report) = &first.outcome {
        shared.lock().expect("not poisoned").errors = Some(report.clone());
    }
    server.spawn(
        site.output.clone(),
        Arc::clone(&shared),
        options.limits.clone(),
        Arc::clone(&options.log),
    );
    on_ready(address);
    watch(&mut site, seen, &events, &shared, &options.log, |site| {
        if let Err(e) = watching.update(&mut debouncer, &site.root) {
            (options.log)(e);
        }
    });
    Ok(())
}

/// Rebuild after each (debounced) burst of changes, and tell the open pages.
fn watch(
    site: &mut Site,
    mut seen: Snapshot,
    events: &Receiver<Vec<PathBuf>>,
    shared: &Mutex<Shared>,
    sink: &LogSink,
    mut rewatch: impl FnMut(&Site),
) {
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
        log(sink, &rebuilt);
        let event = match rebuilt.outcome {
            Outcome::Built { .. } => Event::Reload,
            Outcome::Errors(report) => Event::Errors(report),
        };
        shared.lock().expect("not poisoned").broadcast(&event);
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
        for dir in crate::input::CATALOG_DIRS {
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
        for path in crate::input::catalog_files(root) {
            let path = std::path::absolute(&path).unwrap_or(path);
            files.insert(path.clone(), stamp(&path));
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

fn log(sink: &LogSink, rebuilt: &Rebuilt) {
    sink(log_text(rebuilt));
}

/// What the log shows of a run: its whole report (errors and warnings), then how it ended.
fn log_text(rebuilt: &Rebuilt) -> String {
    let took = rebuilt.took.as_secs_f64() * 1000.0;
    let ended = match &rebuilt.outcome {
        Outcome::Built(counts) if counts.rendered == counts.pages => format!(
            "built the whole site ({} pages) in {took:.0} ms",
            counts.pages
        ),
        Outcome::Built(counts) => format!(
            "rebuilt {} of {} pages ({} changed) in {took:.0} ms ({})",
            counts.rendered,
            counts.pages,
            counts.written,
            stages(&rebuilt.timings)
        ),
        Outcome::Errors(_) => "the pages show these errors until they are fixed".to_string(),
    };
    format!("{}{ended}", rebuilt.report)
}

enum Outcome {
    Built(crate::Counts),
    Errors(String),
}

struct Rebuilt {
    outcome: Outcome,
    /// The run's whole report as text (errors and warnings), or empty when it found nothing.
    report: String,
    took: Duration,
    timings: Timings,
}

/// A report as the log shows it: empty when it holds nothing.
fn report_text(report: &crate::Report) -> String {
    if report.diagnostics.is_empty() {
        String::new()
    } else {
        report.to_plain_string()
    }
}

/// Each stage's time, in milliseconds: `load 1, parse 3, ...`.
fn stages(timings: &Timings) -> String {
    let parts: Vec<String> = timings
        .0
        .iter()
        .map(|(stage, took)| format!("{stage} {:.0}", took.as_secs_f64() * 1000.0))
        .collect();
    parts.join(", ")
}

/// The catalog being served, with the pipeline's caches kept between rebuilds.
struct Site {
    root: PathBuf,
    output: PathBuf,
    caches: Caches,
}

impl Site {
    fn new(options: &ServeOptions) -> Site {
        Site {
            root: options.root.clone(),
            output: options.output.clone(),
            caches: Caches::default(),
        }
    }

    /// Run the pipeline after changes to `paths` (`None`: anything may have changed).
    fn rebuild(&mut self, paths: Option<&[PathBuf]>) -> Rebuilt {
        let started = Instant::now();
        let changed = paths.and_then(|paths| self.relative(paths));
        let run = crate::Run {
            root: &self.root,
            output: &self.output,
            force: false,
            changed: changed.as_deref(),
            digest: None,
        };
        let mut timings = Timings::default();
        let (outcome, report) = match crate::run(&run, &mut self.caches, &mut timings) {
            Ok(ran) => (Outcome::Built(ran.counts), report_text(&ran.report)),
            Err(Failure::Content(report)) => (
                Outcome::Errors(report.errors_only().to_plain_string()),
                report.to_plain_string(),
            ),
            Err(Failure::Template(error) | Failure::Io(error)) => {
                let text = format!("error: {}\n", error.with_causes());
                (Outcome::Errors(text.clone()), text)
            }
        };
        Rebuilt {
            outcome,
            report,
            took: started.elapsed(),
            timings,
        }
    }

    /// The changed paths relative to the root, `/`-separated; `None` when one is outside it.
    fn relative(&self, paths: &[PathBuf]) -> Option<Vec<String>> {
        let root = std::path::absolute(&self.root).ok()?;
        paths
            .iter()
            .map(|path| {
                let path = std::path::absolute(path).ok()?;
                let rel = path.strip_prefix(&root).ok()?;
                Some(rel.to_string_lossy().replace('\\', "/"))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rebuilt(outcome: Outcome, report: &str) -> Rebuilt {
        Rebuilt {
            outcome,
            report: report.to_string(),
            took: Duration::from_millis(5),
            timings: Timings::default(),
        }
    }

    #[test]
    fn the_log_shows_warnings_of_a_run_that_built() {
        let counts = crate::Counts {
            pages: 3,
            rendered: 3,
            written: 3,
        };
        let warned = "warning[split-sum-mismatch]: ...\n0 errors, 1 warning in 5 files\n";
        for (report, expected) in [
            ("", "built the whole site (3 pages) in 5 ms".to_string()),
            (
                warned,
                format!("{warned}built the whole site (3 pages) in 5 ms"),
            ),
        ] {
            assert_eq!(log_text(&rebuilt(Outcome::Built(counts), report)), expected);
        }
        let failed = rebuilt(
            Outcome::Errors("errors only".into()),
            "errors and warnings\n",
        );
        assert_eq!(
            log_text(&failed),
            "errors and warnings\nthe pages show these errors until they are fixed"
        );
    }
}
