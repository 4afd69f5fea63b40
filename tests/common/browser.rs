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
            .arg(format!("--user-data-dir={}", profile.path().display()))
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
        drop(cmd_reader);
        drop(reply_writer);
        let mut browser = Browser {
            child,
            to_browser,
            from_browser: read_messages(from_browser),
            next_id: 0,
            session: String::new(),
            problems: Vec::new(),
            _profile: profile,
        };
        let target = browser.call(None, "Target.createTarget", &json!({"url": "about:blank"}));
        let target_id = target["targetId"].as_str().unwrap().to_string();
        let attached = browser.call(
            None,
            "Target.attachToTarget",
            &json!({"targetId": target_id, "flatten": true}),
        );
        browser.session = attached["sessionId"].as_str().unwrap().to_string();
        for domain in ["Page.enable", "Runtime.enable", "Log.enable"] {
            browser.page_call(domain, &json!({}));
        }
        browser
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
        let id = self.send(session, method, params);
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let message = self.receive(deadline);
            if message["id"] == id {
                assert!(
                    message.get("error").is_none(),
                    "{method}: {}",
                    message["error"]
                );
                return message["result"].clone();
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
