//! A minimal headless Chromium driver over the DevTools protocol, for browser tests.
//!
//! Chromium is started with `--remote-debugging-pipe`: commands go in on file descriptor 3 and
//! replies come out on 4, as NUL-terminated JSON. No network, no WebSocket, no driver binary.
//! Pages are opened from `file://` as an offline reader would, and everything the page reports
//! to its console (errors, exceptions, failed resource loads) is collected.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// Find `chromium` on PATH. Without it the test is skipped with a message, except under
/// `CI=true`, where a missing browser is a failure (`.ci/run` installs it).
pub(crate) fn chromium() -> Option<String> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("chromium"))
            .find(|p| p.is_file())
            .map(|p| p.to_string_lossy().into_owned())
    });
    if found.is_none() {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("chromium is not on PATH, and CI=true requires the browser tests to run");
        }
        eprintln!(
            "SKIPPED: chromium is not on PATH; install it (apt-get install chromium) to run browser tests"
        );
    }
    found
}

/// Read NUL-terminated messages from Chromium on a thread, until the pipe closes.
fn read_messages(pipe: std::io::PipeReader) -> std::sync::mpsc::Receiver<Vec<u8>> {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(pipe);
        loop {
            let mut buffer = Vec::new();
            match reader.read_until(0, &mut buffer) {
                Ok(0) | Err(_) => return,
                Ok(_) => {
                    if buffer.pop() != Some(0) || sender.send(buffer).is_err() {
                        return;
                    }
                }
            }
        }
    });
    receiver
}

/// Start headless Chromium with its DevTools pipe on descriptors 3 (commands) and 4 (replies):
/// the process, the writer of commands and the reader of replies.
fn spawn(binary: &str, profile: &Path) -> (Child, std::io::PipeWriter, std::io::PipeReader) {
    let (cmd_reader, to_browser) = std::io::pipe().unwrap();
    let (from_browser, reply_writer) = std::io::pipe().unwrap();
    let (r, w) = (cmd_reader.as_raw_fd(), reply_writer.as_raw_fd());
    let mut command = Command::new(binary);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--remote-debugging-pipe",
            "--allow-file-access-from-files",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // SAFETY: fcntl and dup2 are async-signal-safe; the descriptors are open in the parent.
    // Both are first moved above 10, so that placing one on 3 cannot clobber the other.
    unsafe {
        command.pre_exec(move || {
            let (r, w) = (
                libc::fcntl(r, libc::F_DUPFD, 10),
                libc::fcntl(w, libc::F_DUPFD, 10),
            );
            if r < 0 || w < 0 || libc::dup2(r, 3) < 0 || libc::dup2(w, 4) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let child = command.spawn().expect("start chromium");
    (child, to_browser, from_browser)
}

/// The file:// URL of a path.
pub(crate) fn file_url(path: &Path) -> String {
    format!("file://{}", path.canonicalize().unwrap().display())
}

pub(crate) struct Browser {
    child: Child,
    to_browser: std::io::PipeWriter,
    /// Messages from Chromium, read by a thread of their own so that a wait can time out.
    from_browser: std::sync::mpsc::Receiver<Vec<u8>>,
    next_id: u64,
    session: String,
    /// Console errors, exceptions and failed loads seen so far.
    pub problems: Vec<String>,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub(crate) fn start(binary: &str) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let (child, to_browser, from_browser) = spawn(binary, profile.path());
        let mut browser = Browser {
            child,
            to_browser,
            from_browser: read_messages(from_browser),
            next_id: 0,
            session: String::new(),
            problems: Vec::new(),
            _profile: profile,
        };
        browser.attach();
        browser
    }

    /// Open a blank page, attach to it, and turn on the events the tests read.
    fn attach(&mut self) {
        let target = self.call(None, "Target.createTarget", &json!({"url": "about:blank"}));
        let target_id = target["targetId"].as_str().unwrap().to_string();
        let attached = self.call(
            None,
            "Target.attachToTarget",
            &json!({"targetId": target_id, "flatten": true}),
        );
        self.session = attached["sessionId"].as_str().unwrap().to_string();
        for domain in ["Page.enable", "Runtime.enable", "Log.enable"] {
            self.page_call(domain, &json!({}));
        }
    }

    fn send(&mut self, session: Option<&str>, method: &str, params: &Value) -> u64 {
        self.next_id += 1;
        let mut message = json!({"id": self.next_id, "method": method, "params": params});
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        let mut bytes = serde_json::to_vec(&message).unwrap();
        bytes.push(0);
        self.to_browser.write_all(&bytes).unwrap();
        self.next_id
    }

    /// Read one message, with a deadline so a stuck browser fails the test instead of hanging.
    fn receive(&mut self, deadline: Instant) -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        let buffer = match self.from_browser.recv_timeout(left) {
            Ok(buffer) => buffer,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                panic!("timed out waiting for chromium")
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                panic!("chromium closed the DevTools pipe")
            }
        };
        let message: Value = serde_json::from_slice(&buffer).unwrap();
        self.record_problem(&message);
        message
    }

    fn record_problem(&mut self, message: &Value) {
        let params = &message["params"];
        match message["method"].as_str() {
            Some("Runtime.exceptionThrown") => self.problems.push(format!(
                "exception: {}",
                params["exceptionDetails"]["exception"]["description"]
                    .as_str()
                    .or(params["exceptionDetails"]["text"].as_str())
                    .unwrap_or("?")
            )),
            Some("Runtime.consoleAPICalled") if params["type"] == "error" => self
                .problems
                .push(format!("console.error: {}", params["args"])),
            Some("Log.entryAdded") if params["entry"]["level"] == "error" => {
                self.problems.push(format!(
                    "{}: {}",
                    params["entry"]["text"].as_str().unwrap_or("?"),
                    params["entry"]["url"].as_str().unwrap_or("")
                ));
            }
            _ => {}
        }
    }

    fn call(&mut self, session: Option<&str>, method: &str, params: &Value) -> Value {
        let message = self.answer(session, method, params);
        assert!(
            message.get("error").is_none(),
            "{method}: {}",
            message["error"]
        );
        message["result"].clone()
    }

    /// Send a command and wait for its answer, an error included.
    fn answer(&mut self, session: Option<&str>, method: &str, params: &Value) -> Value {
        let id = self.send(session, method, params);
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let message = self.receive(deadline);
            if message["id"] == id {
                return message;
            }
        }
    }

    fn page_call(&mut self, method: &str, params: &Value) -> Value {
        let session = self.session.clone();
        self.call(Some(&session), method, params)
    }

    /// Open a file from disk and wait for its load event.
    pub(crate) fn open(&mut self, path: &Path) {
        self.open_url(&file_url(path));
    }

    /// Open a URL (e.g. a file URL with a fragment) and wait for its load event.
    pub(crate) fn open_url(&mut self, url: &str) {
        let session = self.session.clone();
        // The document open now is marked, so that it cannot pass for the new one below when a
        // late load event ends a wait early (the same file with another fragment has the same
        // address). An error means no document answers: nothing to mark.
        self.answer(
            Some(&session),
            "Runtime.evaluate",
            &json!({"expression": "window.__medatlasLeft = true", "returnByValue": true}),
        );
        // Navigating to the same document with another fragment fires no load event: go
        // through a blank page first.
        self.send(
            Some(&session),
            "Page.navigate",
            &json!({"url": "about:blank"}),
        );
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.receive(deadline)["method"] != "Page.loadEventFired" {}
        self.send(Some(&session), "Page.navigate", &json!({"url": url}));
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.receive(deadline)["method"] != "Page.loadEventFired" {}
        // A late load event of the blank page can end the wait above early: wait until the
        // page is the one asked for, and loaded.
        let expected = url.split('#').next().unwrap_or(url).to_string();
        loop {
            // An evaluation during the navigation may answer with an error: it is tried again.
            let answer = self.answer(
                Some(&session),
                "Runtime.evaluate",
                &json!({"expression": "location.href.split('#')[0] + ' ' + document.readyState + (window.__medatlasLeft ? ' left' : '')", "returnByValue": true}),
            );
            let state = answer["result"]["result"]["value"]
                .as_str()
                .unwrap_or_default();
            if state == format!("{expected} complete") {
                return;
            }
            assert!(Instant::now() < deadline, "{url} did not load: {state}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Poll a JavaScript expression until it is truthy (10 s at most).
    pub(crate) fn wait_for(&mut self, expression: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self
            .eval(&format!("!!({expression})"))
            .as_bool()
            .unwrap_or(false)
        {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {expression}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Ignore the pages' Content-Security-Policy (or obey it again), to test what the HTML
    /// alone lets run.
    pub(crate) fn bypass_csp(&mut self, enabled: bool) {
        self.page_call("Page.setBypassCSP", &json!({"enabled": enabled}));
    }

    /// Run a script in every document opened from now on, before the page's own scripts (and
    /// outside its Content-Security-Policy).
    pub(crate) fn on_new_document(&mut self, source: &str) {
        self.page_call(
            "Page.addScriptToEvaluateOnNewDocument",
            &json!({"source": source}),
        );
    }

    /// Turn JavaScript off for the pages opened from now on.
    pub(crate) fn disable_scripts(&mut self) {
        self.page_call(
            "Emulation.setScriptExecutionDisabled",
            &json!({"value": true}),
        );
    }

    /// Lay pages out at `width` x `height` CSS pixels (a phone: 390 x 844), until changed;
    /// `dark` asks for the dark colour scheme.
    pub(crate) fn viewport(&mut self, width: u32, height: u32, dark: bool) {
        self.page_call(
            "Emulation.setDeviceMetricsOverride",
            &json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600}),
        );
        self.page_call(
            "Emulation.setEmulatedMedia",
            &json!({"features": [{"name": "prefers-color-scheme", "value": if dark { "dark" } else { "light" }}]}),
        );
    }

    /// Evaluate a JavaScript expression in the page and return its value.
    pub(crate) fn eval(&mut self, expression: &str) -> Value {
        let result = self.page_call(
            "Runtime.evaluate",
            &json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
        );
        assert!(
            result.get("exceptionDetails").is_none(),
            "{expression}: {}",
            result["exceptionDetails"]
        );
        result["result"]["value"].clone()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Installed in every document: records the policy's violations in `window.__violations`.
pub(crate) const RECORD_VIOLATIONS: &str = "window.__violations = []; document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber), true);";

/// Wait until the page just opened (`page`, relative to the site, with its fragment) has
/// rendered what its scripts render: the finder on the index, the table on the compare page.
pub(crate) fn wait_for_view(browser: &mut Browser, page: &str) {
    if page.starts_with("index.html") {
        browser.wait_for("window.medatlasFinder && window.medatlasFinder.updates > 0");
    }
    if page.starts_with("compare.html") {
        browser.wait_for("document.querySelector('.compare-table')");
    }
}

/// Open each of `pages` (relative to the site, with a fragment where it makes a view) under
/// each of `bases` (the site's root as a file:// or http:// URL ending in `/`) in a browser
/// recording the policy's violations: every violation, by URL. Over http the live-reload
/// script must have loaded too.
pub(crate) fn policy_violations(
    browser: &mut Browser,
    bases: &[String],
    pages: &[&str],
) -> Vec<String> {
    browser.on_new_document(RECORD_VIOLATIONS);
    let mut found = Vec::new();
    for base in bases {
        for page in pages {
            let url = format!("{base}{page}");
            browser.open_url(&url);
            wait_for_view(browser, page);
            if base.starts_with("http") {
                // The live-reload script has connected to the server's events.
                browser.wait_for(
                    "performance.getEntriesByType('resource').some(r => r.name.endsWith('/__medatlas/live-reload.js'))",
                );
                std::thread::sleep(Duration::from_millis(150));
            }
            std::thread::sleep(Duration::from_millis(50));
            for v in browser.eval("window.__violations").as_array().unwrap() {
                found.push(format!("{url}: {v}"));
            }
        }
    }
    found
}

/// [`policy_violations`] for each page kind opened from disk and over http from `port`; the
/// 404 page over http only: a host serves it for a missing path at any depth, so it links from
/// the site's root, which a page opened from disk does not have.
pub(crate) fn policy_violations_from_disk_and_http(
    browser: &mut Browser,
    public: &Path,
    port: u16,
    pages: &[&str],
) -> Vec<String> {
    let on_disk: Vec<&str> = pages.iter().copied().filter(|p| *p != "404.html").collect();
    let mut found = policy_violations(browser, &[format!("{}/", file_url(public))], &on_disk);
    found.extend(policy_violations(
        browser,
        &[format!("http://127.0.0.1:{port}/")],
        pages,
    ));
    found
}

/// axe-core's `axe.min.js` (the accessibility engine behind Lighthouse), named by
/// `MEDATLAS_AXE` (`.ci/run` installs it from the npm registry). Without it the test is skipped
/// with a message, except under `CI=true`, where that is a failure.
pub(crate) fn axe() -> Option<String> {
    let found = std::env::var_os("MEDATLAS_AXE")
        .map(std::path::PathBuf::from)
        .filter(|p| p.is_file());
    if found.is_none() {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("MEDATLAS_AXE must name axe.min.js under CI=true (.ci/run installs it)");
        }
        eprintln!(
            "SKIPPED: set MEDATLAS_AXE to axe-core's axe.min.js to run the accessibility checks"
        );
    }
    found.map(|path| std::fs::read_to_string(path).unwrap())
}

/// Open each of `pages` (relative to `public`, with a fragment where it makes a view; the 404
/// page over http from `http_port`, at a nested path, and only there) at 1400 and 390 px, light
/// and dark, and run axe in it: every violation of any impact, with the first places found.
pub(crate) fn axe_violations(
    browser: &mut Browser,
    axe: &str,
    public: &Path,
    http_port: Option<u16>,
    pages: &[&str],
) -> Vec<String> {
    let mut violations = Vec::new();
    // A laptop and a phone, each in the light and the dark colour scheme.
    for (width, height, dark) in [
        (1400, 900, false),
        (1400, 900, true),
        (390, 844, false),
        (390, 844, true),
    ] {
        browser.viewport(width, height, dark);
        let scheme = if dark { "dark" } else { "light" };
        for page in pages {
            let (file, fragment) = page.split_once('#').unwrap_or((page, ""));
            let hash = if fragment.is_empty() { "" } else { "#" };
            if *page == "404.html" {
                // Only a host serves it, for a missing path at any depth.
                let Some(port) = http_port else { continue };
                browser.open_url(&format!(
                    "http://127.0.0.1:{port}/datasets/no/such/page.html"
                ));
            } else {
                browser.open_url(&format!("{}{hash}{fragment}", file_url(&public.join(file))));
            }
            wait_for_view(browser, page);
            browser.eval(axe);
            // Every violation, whatever its impact (minor and moderate included).
            let found = browser.eval(
                "axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations \
                 .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' (' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; ') + ')'))",
            );
            for violation in found.as_array().unwrap() {
                violations.push(format!(
                    "{page} at {width} px, {scheme}: {}",
                    violation.as_str().unwrap()
                ));
            }
        }
    }
    violations
}
