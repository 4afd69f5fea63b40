//! External links: is every `http(s)://` address the catalog cites still there?
//!
//! This is the stage behind `medatlas check --external`, run after the content checks of
//! [`crate::check`]. The caller collects the external URLs with where they were written
//! ([`Link`]); [`check`] asks each distinct URL once (HEAD first, GET when a server rejects
//! HEAD) from a fixed pool of worker threads that keeps at most [`Options::concurrency`]
//! requests in flight, and at most [`Options::per_host`] per host. Every link whose URL is
//! broken becomes a `broken-link` warning at the place it was written.
//!
//! URLs that worked are remembered in a small JSON cache file ([`Options::cache`]) and not
//! asked again within [`Options::cache_ttl`]; broken ones are always asked again. This module
//! owns the network requests and that cache file, and never prints: a cache that cannot be
//! written is reported as a warning too.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt::Write as _;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use ureq::Agent;

use crate::common::source::Source;
use crate::diagnostics::{Code, Diagnostic};
use crate::parse::markdown;
use crate::{Checked, Failure, Report, Timings, check_catalog};

/// The diagnostic code of a link whose URL does not work.
pub(crate) const BROKEN_LINK: Code = Code::UnreachableUrl;
/// The diagnostic code of a link cache that could not be written.
pub(crate) const LINK_CACHE: Code = Code::LinkCache;

const MAX_REDIRECTS: u32 = 5;
const USER_AGENT: &str = concat!("medatlas-link-check/", env!("CARGO_PKG_VERSION"));

/// One external URL to check, with where it was written.
#[derive(Debug, Clone)]
pub struct Link<'a> {
    /// The URL as written.
    pub url: String,
    /// The file it is written in.
    pub source: &'a Source,
    /// Byte range in `source.text`, for the warning's location and snippet.
    pub span: Range<usize>,
}

/// How politely and how often to ask.
#[derive(Debug, Clone)]
pub struct Options {
    /// Per request (HEAD and GET each), including redirects; default 10 s.
    pub timeout: Duration,
    /// Requests in flight to one host at once, default 2, so a run does not hammer a server.
    pub per_host: usize,
    /// Requests in flight in all, default 16: the number of worker threads.
    pub concurrency: usize,
    /// The cache file; `None` for no cache.
    pub cache: Option<PathBuf>,
    /// A URL that worked is not asked again within this; default 7 days.
    pub cache_ttl: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: Duration::from_secs(10),
            per_host: 2,
            concurrency: 16,
            cache: None,
            cache_ttl: Duration::from_secs(7 * 24 * 60 * 60),
        }
    }
}

/// Check every link (each distinct URL once, concurrently), and return one warning per link
/// whose URL is broken: code `broken-link`, a message naming the URL and what happened (HTTP
/// status, timeout, DNS or connection failure) and help saying how to fix it. A URL that
/// cannot be requested at all gets a "not a valid URL" warning. Sorted by path, line, column.
pub fn check(links: &[Link], options: &Options) -> Vec<Diagnostic> {
    let targets: Vec<Result<Target, String>> =
        links.iter().map(|link| Target::parse(&link.url)).collect();
    let mut cache = options.cache.as_deref().map(load_cache).unwrap_or_default();
    let now = unix_now();
    let to_ask: Vec<Target> = distinct(&targets)
        .into_iter()
        .filter(|target| !is_fresh(cache.get(&target.url), now, options.cache_ttl))
        .collect();
    let outcomes = ask_all(&to_ask, options);
    let verdicts: HashMap<&str, &Outcome> = to_ask
        .iter()
        .map(|target| target.url.as_str())
        .zip(&outcomes)
        .collect();
    let mut diagnostics: Vec<Diagnostic> = links
        .iter()
        .zip(&targets)
        .filter_map(|(link, target)| warning(link, target, &verdicts))
        .collect();
    if let Some(path) = &options.cache
        && !to_ask.is_empty()
    {
        update_cache(&mut cache, &to_ask, &outcomes, now, options.cache_ttl);
        if let Err(e) = save_cache(path, &cache) {
            diagnostics.push(cache_warning(path, &e));
        }
    }
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.column, &a.message).cmp(&(&b.path, b.line, b.column, &b.message))
    });
    diagnostics
}

/// A URL ready to request, with the host its requests count against.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    /// Scheme lower-cased, fragment removed, spaces and non-ASCII characters percent-encoded.
    url: String,
    /// Lower-cased host name or IP address, without the port.
    host: String,
}

impl Target {
    /// Why `raw` cannot be requested, or what to request.
    fn parse(raw: &str) -> Result<Target, String> {
        let raw = raw.trim();
        let (scheme, rest) = raw
            .split_once("://")
            .ok_or("it does not start with http:// or https://")?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Err(format!(
                "only http:// and https:// links can be checked, not {scheme}://"
            ));
        }
        let rest = rest.split('#').next().unwrap_or_default();
        let (authority, path) = rest.split_at(rest.find(['/', '?']).unwrap_or(rest.len()));
        let host = host_of(authority)?;
        let url = format!("{scheme}://{authority}{}", percent_encode(path));
        url.parse::<ureq::http::Uri>().map_err(|e| format!("{e}"))?;
        Ok(Target { url, host })
    }
}

/// The host of `user@host:port`, checked to be something a resolver could be asked about.
fn host_of(authority: &str) -> Result<String, String> {
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let (host, port) = match host_port.strip_prefix('[') {
        Some(bracketed) => {
            let (ip, after) = bracketed
                .split_once(']')
                .ok_or("its IPv6 address has no closing `]`")?;
            ip.parse::<std::net::Ipv6Addr>()
                .map_err(|_| format!("`{ip}` is not an IPv6 address"))?;
            let port = match after {
                "" => None,
                _ => Some(
                    after
                        .strip_prefix(':')
                        .ok_or("junk after the IPv6 address")?,
                ),
            };
            return check_port(port).map(|()| format!("[{}]", ip.to_ascii_lowercase()));
        }
        None => match host_port.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        },
    };
    if host.is_empty() {
        return Err("it has no host name".into());
    }
    if !host.is_ascii() {
        return Err(format!(
            "the host name `{host}` is not ASCII (write an internationalised name in its \
             xn-- form)"
        ));
    }
    if !host
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
    {
        return Err(format!(
            "the host name `{host}` has characters a host name cannot have"
        ));
    }
    check_port(port).map(|()| host.to_ascii_lowercase())
}

fn check_port(port: Option<&str>) -> Result<(), String> {
    match port {
        Some(port) if !port.is_empty() && port.parse::<u16>().is_err() => {
            Err(format!("`{port}` is not a port number"))
        }
        _ => Ok(()),
    }
}

/// Percent-encode what a browser would before sending a path and query: spaces, controls,
/// non-ASCII characters and the few ASCII characters an HTTP request line cannot carry.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_ascii_graphic() && !"\"<>\\^`{|}[]".contains(c) {
            out.push(c);
        } else {
            for byte in c.encode_utf8(&mut [0; 4]).bytes() {
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
    out
}

/// Each valid target once, in a fixed order.
fn distinct(targets: &[Result<Target, String>]) -> Vec<Target> {
    let by_url: BTreeMap<&str, &Target> = targets
        .iter()
        .flatten()
        .map(|target| (target.url.as_str(), target))
        .collect();
    by_url.into_values().cloned().collect()
}

/// What asking a URL found.
#[derive(Debug, Clone)]
enum Outcome {
    /// A 2xx answer (after any redirects), with its status.
    Ok(u16),
    /// 429: the server limits how often we may ask, which says nothing about the link.
    RateLimited,
    Broken(Problem),
}

/// Why a URL is broken.
#[derive(Debug, Clone)]
enum Problem {
    Status(u16),
    Timeout(Duration),
    HostNotFound,
    Refused,
    TooManyRedirects,
    Tls(String),
    Connection(String),
    Invalid(String),
}

impl Problem {
    /// What happened, after "broken link URL: ".
    fn describe(&self) -> String {
        match self {
            Problem::Status(status) => format!("the server answered HTTP {}", status_text(*status)),
            Problem::Timeout(limit) => {
                format!("timeout: no answer within {}", duration_text(*limit))
            }
            Problem::HostNotFound => "the host name does not resolve (DNS lookup failed)".into(),
            Problem::Refused => "the connection was refused".into(),
            Problem::TooManyRedirects => {
                format!("more than {MAX_REDIRECTS} redirects (a redirect loop?)")
            }
            Problem::Tls(error) => format!("the secure (TLS) connection failed: {error}"),
            Problem::Connection(error) => format!("the connection failed: {error}"),
            Problem::Invalid(reason) => format!("not a valid URL: {reason}"),
        }
    }

    fn help(&self) -> &'static str {
        match self {
            Problem::Status(404 | 410) => {
                "the page is gone: link to where it moved (the site's search or an archived \
                 copy may help), or remove the link"
            }
            Problem::Status(401 | 403) => {
                "the server refuses this checker: open the link in a browser, and if it works \
                 there, the link is fine"
            }
            Problem::Status(500..) => {
                "the server had an error: try again later, and replace the link if it stays \
                 broken"
            }
            Problem::Timeout(_) => {
                "the server did not answer in time: try again later (or with a longer \
                 timeout), and replace the link if it stays broken"
            }
            Problem::Refused => {
                "nothing answers at that address: check the port, try again later, and \
                 replace the link if it stays broken"
            }
            Problem::Status(_) => "open the link in a browser and link to the page it should show",
            Problem::HostNotFound => {
                "check the host name for typos; if it is right, the domain may have expired: \
                 find where the content moved"
            }
            Problem::TooManyRedirects => {
                "open the link in a browser and link to the address it ends on"
            }
            Problem::Tls(_) => {
                "the site's certificate is not accepted: check the address, or tell the site"
            }
            Problem::Connection(_) => "check the address, and try again later",
            Problem::Invalid(_) => "write the full address, e.g. https://example.org/page",
        }
    }
}

/// "404 Not Found", or just the number for a status without a standard name.
fn status_text(status: u16) -> String {
    let reason = ureq::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason());
    match reason {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

fn duration_text(duration: Duration) -> String {
    if duration < Duration::from_secs(1) {
        format!("{} ms", duration.as_millis())
    } else if duration.subsec_millis() == 0 {
        format!("{} s", duration.as_secs())
    } else {
        format!("{:.1} s", duration.as_secs_f64())
    }
}

/// The warning for one link, if its URL is invalid or was found broken.
fn warning(
    link: &Link,
    target: &Result<Target, String>,
    verdicts: &HashMap<&str, &Outcome>,
) -> Option<Diagnostic> {
    let problem = match target {
        Err(reason) => Problem::Invalid(reason.clone()),
        Ok(target) => match verdicts.get(target.url.as_str()) {
            Some(Outcome::Broken(problem)) => problem.clone(),
            _ => return None,
        },
    };
    let message = match &problem {
        Problem::Invalid(_) => format!("\"{}\" is {}", link.url, problem.describe()),
        _ => format!("broken link {}: {}", link.url, problem.describe()),
    };
    Some(
        Diagnostic::warning(BROKEN_LINK, link.source, link.span.clone(), message)
            .with_help(problem.help()),
    )
}

/// Ask every target from a fixed pool of worker threads; the outcomes in the targets' order.
fn ask_all(targets: &[Target], options: &Options) -> Vec<Outcome> {
    let agent = agent(options);
    let scheduler = Scheduler::new(targets, options.per_host.max(1));
    let workers = options.concurrency.max(1).min(targets.len());
    let mut outcomes: Vec<Option<Outcome>> = vec![None; targets.len()];
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| scope.spawn(|| work(&scheduler, &agent, options.timeout)))
            .collect();
        for handle in handles {
            // A worker that panicked leaves its targets without an outcome; see below.
            for (index, outcome) in handle.join().unwrap_or_default() {
                outcomes[index] = Some(outcome);
            }
        }
    });
    outcomes
        .into_iter()
        .map(|outcome| {
            outcome.unwrap_or_else(|| {
                Outcome::Broken(Problem::Connection("the check did not finish".into()))
            })
        })
        .collect()
}

fn agent(options: &Options) -> Agent {
    Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .max_redirects(MAX_REDIRECTS)
        .http_status_as_error(false)
        .user_agent(USER_AGENT)
        .build()
        .into()
}

/// One worker: take targets until none are left, and ask each.
fn work(scheduler: &Scheduler, agent: &Agent, timeout: Duration) -> Vec<(usize, Outcome)> {
    let mut done = Vec::new();
    while let Some(slot) = scheduler.next() {
        let outcome = ask(agent, &scheduler.targets[slot.index].url, timeout);
        done.push((slot.index, outcome));
    }
    done
}

/// HEAD first; GET when the server rejects HEAD. The body is never read: dropping the
/// response closes the connection, so a link to a large download costs only its headers.
fn ask(agent: &Agent, url: &str, timeout: Duration) -> Outcome {
    match agent.head(url).call() {
        Ok(response) if !rejects_head(response.status().as_u16()) => {
            return outcome_of(response.status().as_u16());
        }
        Ok(_) => {}
        Err(error) => return Outcome::Broken(problem_of(error, timeout)),
    }
    match agent.get(url).call() {
        Ok(response) => outcome_of(response.status().as_u16()),
        Err(error) => Outcome::Broken(problem_of(error, timeout)),
    }
}

/// Many servers answer HEAD with 405, 403, 501 or another 4xx while GET works.
fn rejects_head(status: u16) -> bool {
    status == 501 || ((400..500).contains(&status) && status != 429)
}

fn outcome_of(status: u16) -> Outcome {
    match status {
        200..=299 => Outcome::Ok(status),
        429 => Outcome::RateLimited,
        _ => Outcome::Broken(Problem::Status(status)),
    }
}

fn problem_of(error: ureq::Error, timeout: Duration) -> Problem {
    match error {
        ureq::Error::Timeout(_) => Problem::Timeout(timeout),
        ureq::Error::HostNotFound => Problem::HostNotFound,
        ureq::Error::TooManyRedirects => Problem::TooManyRedirects,
        ureq::Error::Io(error) => io_problem(&error, timeout),
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) => Problem::Tls(error.to_string()),
        ureq::Error::BadUri(reason) => Problem::Invalid(reason),
        other => Problem::Connection(other.to_string()),
    }
}

fn io_problem(error: &io::Error, timeout: Duration) -> Problem {
    match error.kind() {
        io::ErrorKind::ConnectionRefused => Problem::Refused,
        io::ErrorKind::TimedOut => Problem::Timeout(timeout),
        // The system resolver's failures carry no error kind of their own, only this text.
        _ if error.to_string().contains("lookup address") => Problem::HostNotFound,
        _ => Problem::Connection(error.to_string()),
    }
}

/// Hands targets to workers, at most `per_host` at once for any one host.
struct Scheduler<'t> {
    targets: &'t [Target],
    per_host: usize,
    state: Mutex<Queue>,
    freed: Condvar,
}

struct Queue {
    /// Indices into `targets` not yet handed out.
    pending: VecDeque<usize>,
    /// Requests in flight by host.
    active: HashMap<String, usize>,
}

/// A target handed to a worker; dropping it frees its host's place, even if the worker panics.
struct Slot<'s, 't> {
    scheduler: &'s Scheduler<'t>,
    index: usize,
}

impl<'t> Scheduler<'t> {
    fn new(targets: &'t [Target], per_host: usize) -> Self {
        Scheduler {
            targets,
            per_host,
            state: Mutex::new(Queue {
                pending: (0..targets.len()).collect(),
                active: HashMap::new(),
            }),
            freed: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The first pending target whose host has room, waiting for one if every host with
    /// pending targets is busy; `None` when nothing is left.
    fn next(&self) -> Option<Slot<'_, 't>> {
        let mut guard = self.lock();
        loop {
            let queue = &mut *guard;
            if queue.pending.is_empty() {
                return None;
            }
            let has_room = |&index: &usize| {
                let host = &self.targets[index].host;
                queue.active.get(host).copied().unwrap_or(0) < self.per_host
            };
            if let Some(position) = queue.pending.iter().position(has_room) {
                let index = queue.pending.remove(position)?;
                *queue
                    .active
                    .entry(self.targets[index].host.clone())
                    .or_default() += 1;
                return Some(Slot {
                    scheduler: self,
                    index,
                });
            }
            // Every pending host is busy, so some slot is out and its drop will wake us.
            guard = self
                .freed
                .wait(guard)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

impl Drop for Slot<'_, '_> {
    fn drop(&mut self) {
        let host = &self.scheduler.targets[self.index].host;
        let mut queue = self.scheduler.lock();
        if let Some(count) = queue.active.get_mut(host) {
            *count = count.saturating_sub(1);
        }
        drop(queue);
        self.scheduler.freed.notify_all();
    }
}

/// What the cache file remembers about one URL.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct CacheEntry {
    ok: bool,
    /// When it was asked, in seconds since the Unix epoch.
    checked: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// The cache file's content: URL to what was found.
type Cache = BTreeMap<String, CacheEntry>;

/// A missing or unreadable cache is an empty one: the cache only saves time.
fn load_cache(path: &Path) -> Cache {
    std::fs::read(path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// A URL that worked within `ttl` need not be asked again.
fn is_fresh(entry: Option<&CacheEntry>, now: u64, ttl: Duration) -> bool {
    entry.is_some_and(|entry| entry.ok && now.saturating_sub(entry.checked) < ttl.as_secs())
}

/// Forget what has expired and remember what was just found (except rate limits).
fn update_cache(
    cache: &mut Cache,
    asked: &[Target],
    outcomes: &[Outcome],
    now: u64,
    ttl: Duration,
) {
    cache.retain(|_, entry| now.saturating_sub(entry.checked) < ttl.as_secs());
    for (target, outcome) in asked.iter().zip(outcomes) {
        let entry = match outcome {
            Outcome::Ok(status) => CacheEntry {
                ok: true,
                checked: now,
                status: Some(*status),
                error: None,
            },
            Outcome::RateLimited => continue,
            Outcome::Broken(problem) => CacheEntry {
                ok: false,
                checked: now,
                status: match problem {
                    Problem::Status(status) => Some(*status),
                    _ => None,
                },
                error: Some(problem.describe()),
            },
        };
        cache.insert(target.url.clone(), entry);
    }
}

/// Write the cache through a temporary file and a rename, so a reader (or a run that is
/// stopped half-way) never sees half a file.
fn save_cache(path: &Path, cache: &Cache) -> io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let json = serde_json::to_vec_pretty(cache).map_err(io::Error::other)?;
    let mut temp_name = path.file_name().unwrap_or_default().to_os_string();
    temp_name.push(format!(".{}.tmp", std::process::id()));
    let temp = path.with_file_name(temp_name);
    std::fs::write(&temp, json)
        .and_then(|()| std::fs::rename(&temp, path))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&temp);
        })
}

fn cache_warning(path: &Path, error: &io::Error) -> Diagnostic {
    let source = Source::new(path.display().to_string(), "");
    Diagnostic::warning(
        LINK_CACHE,
        &source,
        0..0,
        format!("cannot write the link cache {}: {error}", path.display()),
    )
    .with_help("make its directory writable, or check links without a cache")
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Every external URL of a checked catalog (homepages, papers, table sources, links in the
/// descriptions), once per place it is written in its file.
pub(crate) fn external_links(checked: &Checked) -> Vec<Link<'_>> {
    let mut links = Vec::new();
    for dataset in &checked.catalog.datasets {
        let source = &checked.sources()[dataset.source];
        let mut urls: Vec<String> = vec![dataset.homepage.clone()];
        urls.extend(dataset.papers.iter().map(|p| p.url.clone()));
        urls.extend(dataset.class_counts.iter().map(|t| t.source.clone()));
        urls.extend(markdown::external_links(&dataset.body));
        urls.sort();
        urls.dedup();
        for url in urls {
            for (at, _) in source.text.match_indices(url.as_str()) {
                links.push(Link {
                    url: url.clone(),
                    source,
                    span: at..at + url.len(),
                });
            }
        }
    }
    links
}

/// `check --external`: the checks, then every external URL; unreachable ones are warnings.
pub fn check_with_external(root: &Path, options: &Options) -> Result<Checked, Failure> {
    let mut checked = check_catalog(root, &mut Timings::default())?;
    let found = check(&external_links(&checked), options);
    let mut diagnostics = std::mem::take(&mut checked.report.diagnostics);
    diagnostics.extend(found);
    checked.report = Report::new(diagnostics, checked.sources(), checked.sources().len());
    Ok(checked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_normalised_or_rejected_with_a_reason() {
        let ok = |raw: &str| Target::parse(raw).unwrap();
        assert_eq!(ok("HTTPS://Example.org/a#top").url, "https://Example.org/a");
        assert_eq!(ok("https://Example.org:8443/x").host, "example.org");
        assert_eq!(ok("http://u@h.io?q=1").host, "h.io");
        assert_eq!(ok("https://h.io/a b/é").url, "https://h.io/a%20b/%C3%A9");
        assert_eq!(ok("http://[::1]:80/").host, "[::1]");
        for bad in [
            "",
            "example.org",
            "ftp://example.org",
            "http://",
            "http:///path",
            "http://exa mple.org",
            "http://h.io:99999/",
            "http://[::1/",
            "http://bücher.de/",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn head_rejections_retry_with_get_but_rate_limits_do_not() {
        assert!(rejects_head(405) && rejects_head(403) && rejects_head(404));
        assert!(rejects_head(501));
        assert!(!rejects_head(429) && !rejects_head(500) && !rejects_head(200));
    }

    #[test]
    fn only_ok_entries_within_the_ttl_are_fresh() {
        let entry = |ok, checked| CacheEntry {
            ok,
            checked,
            status: None,
            error: None,
        };
        let ttl = Duration::from_secs(100);
        assert!(is_fresh(Some(&entry(true, 950)), 1000, ttl));
        assert!(!is_fresh(Some(&entry(true, 900)), 1000, ttl));
        assert!(!is_fresh(Some(&entry(false, 1000)), 1000, ttl));
        assert!(!is_fresh(None, 1000, ttl));
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_text(Duration::from_millis(300)), "300 ms");
        assert_eq!(duration_text(Duration::from_secs(10)), "10 s");
        assert_eq!(duration_text(Duration::from_millis(2500)), "2.5 s");
    }
}
