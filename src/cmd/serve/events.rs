//! Events: what the rebuilder tells the open pages (reload, or the checker's report), and the
//! state both sides of the server share.

use std::sync::Arc;

/// Where the reload script and the event stream live; no page of a catalog can be there.
pub(crate) const PREFIX: &str = "/__medatlas/";
pub(crate) const RELOAD_SCRIPT: &str = include_str!("live-reload.js");

/// Where serve reports what it does (rebuilds, errors, the state of the listener): one line or
/// report at a time. The binary prints them on stderr; the library prints nothing.
pub(crate) type LogSink = Arc<dyn Fn(String) + Send + Sync>;

/// What the open pages are told.
#[derive(Clone)]
pub(crate) enum Event {
    Reload,
    Errors(String),
}

impl Event {
    pub(crate) fn to_sse(&self) -> String {
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
pub(crate) struct Shared {
    pub(crate) errors: Option<String>,
    pub(crate) listeners: Vec<tokio::sync::mpsc::UnboundedSender<Event>>,
}

impl Shared {
    pub(crate) fn broadcast(&mut self, event: &Event) {
        self.errors = match event {
            Event::Errors(report) => Some(report.clone()),
            Event::Reload => None,
        };
        self.listeners.retain(|l| l.send(event.clone()).is_ok());
    }
}
