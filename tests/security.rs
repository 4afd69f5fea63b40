//! Content security: a corpus of hostile entries (tests/fixtures/hostile/) builds into pages
//! where none of it is live, checked in the built HTML and in headless Chromium, and the
//! pages' Content-Security-Policy works from disk and over http without a violation.
//!
//! Payloads set `window.pwned` or `document.title`, or load URLs from a recorder on 127.0.0.1
//! (`__HIT__` and `__HOST__` in the fixtures name it), which must see no request.

mod common;

#[path = "common/browser.rs"]
mod browser;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use browser::Browser;

/// The policy every page carries.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; manifest-src 'self'; form-action 'none'; base-uri 'none'; object-src 'none'";

/// Scripts the site itself loads, by file name.
const OWN_SCRIPTS: &[&str] = &[
    "early.js",
    "catalog.js",
    "compare.js",
    "dataset.js",
    "matrix.js",
    "search-index.js",
    "live-reload.js",
];

/// A local HTTP server that answers every request with 204 and records its request line.
struct Recorder {
    port: u16,
    hits: Arc<Mutex<Vec<String>>>,
}

impl Recorder {
    fn start() -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let hits = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&hits);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut line = String::new();
                let _ = BufReader::new(&stream).read_line(&mut line);
                seen.lock().unwrap().push(line.trim_end().to_string());
                let _ = stream.write_all(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
            }
        });
        Recorder { port, hits }
    }

    fn hits(&self) -> Vec<String> {
        self.hits.lock().unwrap().clone()
    }
}

/// The hostile corpus laid over the base fixture, its URLs pointing at `port`, built.
fn hostile_site(port: u16) -> (tempfile::TempDir, PathBuf) {
    let dir = common::catalog(Some(&common::fixtures().join("hostile")));
    for entry in walkdir::WalkDir::new(dir.path().join("content")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = common::read(entry.path())
                .replace("__HIT__", &format!("http://127.0.0.1:{port}/hit"))
                .replace("__HOST__", &format!("127.0.0.1:{port}"));
            std::fs::write(entry.path(), text).unwrap();
        }
    }
    let public = common::build(dir.path());
    (dir, public)
}

/// Every `.html` file of a built site, relative to it.
fn pages(public: &Path) -> Vec<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(public)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            e.path()
                .strip_prefix(public)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    pages.sort();
    pages
}

// ------------------------------------------------------------------ the HTML, without a browser

/// One start tag of an HTML text: its name and attributes (names lowercased, values with
/// character references decoded), and for `<script>` its text.
#[derive(Debug)]
struct StartTag {
    name: String,
    attributes: Vec<(String, String)>,
    text: String,
}

impl StartTag {
    fn get(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Decode the character references a browser decodes in an attribute value.
fn decode(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&e| e < 12);
        let decoded = end.and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "Tab" => Some('\t'),
                "NewLine" => Some('\n'),
                "colon" => Some(':'),
                _ if name.starts_with("#x") || name.starts_with("#X") => {
                    u32::from_str_radix(&name[2..], 16)
                        .ok()
                        .and_then(char::from_u32)
                }
                _ if name.starts_with('#') => name[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The start tags of an HTML text, read the way a browser tokenises them (comments skipped,
/// `<script>` and `<style>` text taken up to their end tag).
fn start_tags(html: &str) -> Vec<StartTag> {
    let bytes = html.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while let Some(at) = html[i..].find('<') {
        i += at;
        if html[i..].starts_with("<!--") {
            i = html[i..].find("-->").map_or(html.len(), |e| i + e + 3);
            continue;
        }
        if !bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        let (tag, end) = read_tag(html, i + 1);
        i = end;
        let mut tag = tag;
        if tag.name == "script" || tag.name == "style" {
            let close = format!("</{}", tag.name);
            let stop = html[i..]
                .to_ascii_lowercase()
                .find(&close)
                .map_or(html.len(), |e| i + e);
            tag.text = html[i..stop].to_string();
            i = stop;
        }
        tags.push(tag);
    }
    tags
}

/// Read a tag's name and attributes from just after its `<`; returns the tag and the offset
/// after its `>`.
fn read_tag(html: &str, from: usize) -> (StartTag, usize) {
    let bytes = html.as_bytes();
    let mut i = from;
    let word_end = |i: usize| {
        html[i..]
            .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>' || c == '=')
            .map_or(html.len(), |e| i + e)
    };
    let end = word_end(i);
    let name = html[i..end].to_ascii_lowercase();
    i = end;
    let mut attributes = Vec::new();
    while i < html.len() && bytes[i] != b'>' {
        if bytes[i].is_ascii_whitespace() || bytes[i] == b'/' {
            i += 1;
            continue;
        }
        let end = word_end(i).max(i + 1);
        let attribute = html[i..end].to_ascii_lowercase();
        i = end;
        let mut value = String::new();
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            match bytes.get(i) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let close = html[i + 1..]
                        .find(quote as char)
                        .map_or(html.len(), |e| i + 1 + e);
                    value = html[i + 1..close].to_string();
                    i = (close + 1).min(html.len());
                }
                _ => {
                    let close = html[i..]
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .map_or(html.len(), |e| i + e);
                    value = html[i..close].to_string();
                    i = close;
                }
            }
        }
        attributes.push((attribute, decode(&value)));
    }
    let tag = StartTag {
        name,
        attributes,
        text: String::new(),
    };
    (tag, (i + 1).min(html.len()))
}

/// An http(s) or mailto URL, or one relative to the page that stays on its host.
fn is_inert_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .trim_start_matches(|c: char| c <= ' ')
        .to_ascii_lowercase();
    if ["//", "\\\\", "/\\", "\\/"]
        .iter()
        .any(|p| cleaned.starts_with(p))
    {
        return false;
    }
    let scheme_end = cleaned.find(':');
    let path_start = cleaned.find(['/', '\\', '?', '#']);
    match (scheme_end, path_start) {
        (Some(c), Some(p)) if c > p => true,
        (Some(_), _) => ["http:", "https:", "mailto:"]
            .iter()
            .any(|s| cleaned.starts_with(s)),
        (None, _) => true,
    }
}

/// What is live in one page's HTML: each a sentence naming the tag.
fn live_payloads(html: &str) -> Vec<String> {
    let tags = start_tags(html);
    let mut found = policy_problems(&tags);
    for tag in &tags {
        found.extend(tag_problems(tag));
    }
    found
}

/// The policy must be the page's first `<meta>` of its kind, before anything that loads.
fn policy_problems(tags: &[StartTag]) -> Vec<String> {
    let meta = tags
        .iter()
        .position(|t| t.name == "meta" && t.get("http-equiv") == Some("Content-Security-Policy"));
    let Some(at) = meta else {
        return vec!["no Content-Security-Policy meta tag".into()];
    };
    let mut found = Vec::new();
    if tags[at].get("content") != Some(CSP) {
        found.push(format!("another policy: {:?}", tags[at]));
    }
    if let Some(before) = tags[..at]
        .iter()
        .find(|t| matches!(t.name.as_str(), "script" | "link" | "style" | "img"))
    {
        found.push(format!("{before:?} comes before the policy"));
    }
    found
}

/// A dataset page's link to its Croissant file beside it: data, never loaded by the page.
fn croissant_link(tag: &StartTag) -> bool {
    tag.get("rel") == Some("alternate")
        && tag.get("type") == Some("application/ld+json")
        && tag
            .get("href")
            .is_some_and(|h| h.ends_with(".croissant.json") && !h.contains([':', '/', '\\']))
}

/// What is live in one tag: a forbidden element, an attribute that runs or loads, an external
/// link that hands over its opener, a script that is not the site's own.
fn tag_problems(tag: &StartTag) -> Vec<String> {
    let mut found = Vec::new();
    let name = tag.name.as_str();
    let forbidden = matches!(
        name,
        "iframe" | "frame" | "frameset" | "object" | "embed" | "applet" | "base" | "style"
    ) || (name == "meta"
        && tag.get("http-equiv").is_some()
        && tag.get("http-equiv") != Some("Content-Security-Policy"))
        || (name == "link"
            && tag
                .get("href")
                .is_none_or(|h| !h.ends_with("style.css") && !h.ends_with("favicon.svg"))
            && !croissant_link(tag))
        || (name == "form" && tag.get("id") != Some("finder-facets"));
    if forbidden {
        found.push(format!("element {tag:?}"));
    }
    for (attribute, value) in &tag.attributes {
        found.extend(attribute_problem(tag, attribute, value));
    }
    if name == "a"
        && tag
            .get("href")
            .is_some_and(|h| h.starts_with("http://") || h.starts_with("https://"))
        && tag
            .get("rel")
            .is_none_or(|r| !(r.contains("noopener") && r.contains("noreferrer")))
    {
        found.push(format!(
            "external link without rel=noopener noreferrer: {tag:?}"
        ));
    }
    if name == "script" {
        found.extend(script_problem(tag));
    }
    found
}

/// An attribute that runs code, styles the page, or holds a URL of another scheme or host.
fn attribute_problem(tag: &StartTag, attribute: &str, value: &str) -> Option<String> {
    if attribute.starts_with("on")
        || matches!(
            attribute,
            "style" | "srcdoc" | "srcset" | "ping" | "background"
        )
    {
        return Some(format!("attribute {attribute} in {tag:?}"));
    }
    let is_url = matches!(
        attribute,
        "href" | "src" | "action" | "formaction" | "xlink:href" | "data" | "poster"
    );
    (is_url && !is_inert_url(value)).then(|| format!("URL {value:?} in {tag:?}"))
}

fn script_problem(tag: &StartTag) -> Option<String> {
    if tag.get("type") == Some("application/ld+json") {
        let parses = serde_json::from_str::<serde_json::Value>(&tag.text).is_ok();
        return (!parses || tag.text.contains('<'))
            .then(|| format!("JSON-LD that can end early: {}", tag.text));
    }
    let own = tag.get("src").is_some_and(|src| {
        let file = src.rsplit('/').next().unwrap_or_default();
        OWN_SCRIPTS.contains(&file) && !src.contains(':')
    });
    (!own || !tag.text.trim().is_empty()).then(|| format!("script {tag:?}"))
}

#[test]
fn the_html_checker_finds_live_payloads() {
    let policy = format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">");
    assert!(live_payloads(&policy).is_empty());
    for html in [
        "<p>no policy</p>",
        "<script>x</script>",
        "<SCRIPT SRC=\"https://evil.example/catalog.js\"></SCRIPT>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"java&#x09;script:alert(1)\">a</a>",
        "<a href=\" &#106;avascript:x\">a</a>",
        "<a href=\"//evil.example\">a</a>",
        "<img src=\"data:image/svg+xml,x\">",
        "<a href=\"https://a.org\">a</a>",
        "<iframe src=\"https://a.org\"></iframe>",
        "<meta http-equiv=\"refresh\" content=\"0;url=https://a.org\">",
        "<base href=\"https://a.org/\">",
        "<div style=\"color:red\">",
        "<script type=\"application/ld+json\">{\"a\":\"</script><script>x</script>\"}</script>",
    ] {
        let page = if html.contains("no policy") {
            html.to_string()
        } else {
            format!("{policy}{html}")
        };
        assert!(!live_payloads(&page).is_empty(), "{html}");
    }
    assert!(
        live_payloads(&format!(
            "{policy}<!-- <script>x</script> --><a href=\"https://a.org\" rel=\"noopener noreferrer\">a</a><a href=\"x.html#y\">b</a><script src=\"../catalog.js\"></script>"
        ))
        .is_empty()
    );
}

/// Without a browser: every page of the hostile corpus carries the policy, and none has a
/// script, handler, frame, style or URL that could run or load anything.
#[test]
fn hostile_entries_build_into_inert_html() {
    let (_dir, public) = hostile_site(9);
    let pages = pages(&public);
    let datasets = pages.iter().filter(|p| p.starts_with("datasets/")).count();
    assert!(datasets >= 30, "{datasets} hostile entries");
    let mut problems = Vec::new();
    for page in &pages {
        let html = common::read(&public.join(page));
        for problem in live_payloads(&html) {
            problems.push(format!("{page}: {problem}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Template syntax in content stays text.
    let page = common::read(&public.join("datasets/template-syntax.html"));
    for text in [
        "{{ 7*7 }}",
        "{% for x in [1,2] %}loop{% endfor %}",
        "{% include",
    ] {
        assert!(
            page.contains(text) || page.contains(&text.replace('"', "&quot;")),
            "{text}"
        );
    }
    assert!(!page.contains("loop loop") && !page.contains(">49<"));
}

// ------------------------------------------------------------------ in Chromium

/// What ran or is live in the open page: `window.pwned`, a changed title, an element or
/// attribute that runs code or loads from elsewhere, a URL of another scheme.
const LIVE_IN_DOM: &str = r#"(() => {
  const found = [];
  if (window.pwned !== undefined) found.push('window.pwned = ' + window.pwned);
  if (document.title === 'PWNED') found.push('title set by a payload');
  const own = /^(early|catalog|compare|dataset|matrix|search-index|live-reload)\.js$|^compare-data\/\d+\.js$|^search\/([dlp]-[0-9a-z_]+|sort-(size|patients))\.js$/;
  for (const s of document.scripts) {
    if (s.type === 'application/ld+json') { try { JSON.parse(s.textContent); } catch (e) { found.push('broken JSON-LD'); } continue; }
    const url = s.src ? new URL(s.src) : null;
    const path = url ? url.pathname.replace(/^.*?\/((compare-data\/|search\/)?[^\/]+)$/, '$1') : '';
    if (!url || url.origin !== location.origin || !own.test(path) || s.textContent.trim()) found.push('script ' + s.outerHTML.slice(0, 120));
  }
  for (const el of document.querySelectorAll('*')) {
    if (['IFRAME', 'FRAME', 'OBJECT', 'EMBED', 'BASE', 'STYLE', 'APPLET'].includes(el.tagName.toUpperCase())) found.push('element ' + el.outerHTML.slice(0, 120));
    if (el.tagName === 'META' && el.httpEquiv && el.httpEquiv !== 'Content-Security-Policy') found.push('meta ' + el.outerHTML);
    if (el.tagName === 'A' && /^https?:/.test(el.getAttribute('href') || '') && !(/\bnoopener\b/.test(el.rel) && /\bnoreferrer\b/.test(el.rel))) found.push('external link without rel: ' + el.outerHTML.slice(0, 120));
    for (const a of el.attributes) {
      if (/^on/i.test(a.name) || a.name === 'style' || a.name === 'srcdoc') found.push('attribute ' + a.name + ' on ' + el.tagName);
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster'].includes(a.name.toLowerCase())) {
        let u; try { u = new URL(a.value, document.baseURI); } catch (e) { continue; }
        if (!['http:', 'https:', 'mailto:', 'file:'].includes(u.protocol)) found.push(a.name + '=' + a.value.slice(0, 80));
        if (location.protocol === 'file:' && u.protocol === 'file:' && u.host) found.push('file URL on a host: ' + a.value);
      }
    }
  }
  if (document.baseURI !== location.href.split('#')[0] && document.baseURI !== location.href) found.push('base ' + document.baseURI);
  return found;
})()"#;

/// Open every page of the hostile corpus, let it settle, and collect what is live.
fn live_in_pages(browser: &mut Browser, base: &str, pages: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for page in pages {
        let url = match page.as_str() {
            "compare.html" => format!(
                "{base}compare.html#d=jsonld-name,hostile-labels,hostile-short-fields,template-syntax"
            ),
            _ => format!("{base}{page}"),
        };
        browser.open_url(&url);
        browser::wait_for_view(browser, page);
        std::thread::sleep(std::time::Duration::from_millis(30));
        for problem in browser.eval(LIVE_IN_DOM).as_array().unwrap() {
            found.push(format!("{url}: {}", problem.as_str().unwrap()));
        }
    }
    found
}

/// In Chromium, from disk with the policy obeyed and with it bypassed (the sanitised HTML
/// alone), and over http: no payload of the hostile corpus runs or loads anything.
#[test]
fn hostile_pages_run_nothing_in_chromium() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let recorder = Recorder::start();
    let (dir, public) = hostile_site(recorder.port);
    let pages = pages(&public);
    let mut browser = Browser::start(&chromium);
    browser.on_new_document(browser::RECORD_VIOLATIONS);
    let from_disk = format!("{}/", browser::file_url(&public));
    let mut found = live_in_pages(&mut browser, &from_disk, &pages);
    let server = common::serve(dir.path());
    let over_http = format!("http://127.0.0.1:{}/", server.port);
    let served: Vec<String> = pages
        .iter()
        .filter(|p| p.starts_with("datasets/") || !p.contains('/'))
        .cloned()
        .collect();
    found.extend(live_in_pages(&mut browser, &over_http, &served));
    assert!(found.is_empty(), "{}", found.join("\n"));
    assert_eq!(
        recorder.hits(),
        Vec::<String>::new(),
        "requests to the recorder"
    );

    // The sanitised HTML alone, with the policy bypassed: nothing runs either. Its one request
    // is the plain http image, which the sanitiser keeps and only the policy refuses.
    browser.bypass_csp(true);
    let found = live_in_pages(&mut browser, &from_disk, &pages);
    assert!(found.is_empty(), "{}", found.join("\n"));
    assert_eq!(recorder.hits(), ["GET /hit/img-http HTTP/1.1"]);
}

/// A page beside the site's own files carrying the index's policy, and trying everything it
/// refuses: a stylesheet, scripts and an image from `hit`, an inline script, handler and style,
/// a frame, an object, a `javascript:` link.
fn probe_page(public: &Path, hit: &str) -> PathBuf {
    let index = common::read(&public.join("index.html"));
    let meta = index
        .lines()
        .find(|l| l.contains("Content-Security-Policy"))
        .expect("the index carries the policy");
    let probe = public.join("probe.html");
    std::fs::write(
        &probe,
        format!(
            "<!doctype html><html><head>{meta}<link rel=\"stylesheet\" href=\"style.css\">\
             <link rel=\"stylesheet\" href=\"{hit}/style.css\"><script src=\"early.js\"></script>\
             <script src=\"{hit}/script.js\"></script><script>window.pwned = 'inline';</script></head>\
             <body><div id=\"d\" onclick=\"window.pwned = 'handler'\">d</div>\
             <img src=\"{hit}/image.png\"><iframe src=\"{hit}/frame\"></iframe><object data=\"{hit}/object\"></object>\
             <p style=\"color: rgb(1, 2, 3)\" id=\"p\">p</p><a id=\"j\" href=\"javascript:window.pwned='link'\">j</a></body></html>"
        ),
    )
    .unwrap();
    probe
}

/// Open `probe` recording the policy's violations and the classes early.js gives the page,
/// then click its handler and its `javascript:` link.
fn open_probe(chromium: &str, probe: &Path) -> Browser {
    let mut browser = Browser::start(chromium);
    browser.on_new_document(browser::RECORD_VIOLATIONS);
    browser.on_new_document(
        "window.__classes = []; new MutationObserver(ms => ms.filter(m => m.target === document.documentElement).forEach(m => window.__classes.push(m.target.className))).observe(document, { attributes: true, subtree: true, attributeFilter: ['class'] });",
    );
    browser.open(probe);
    browser.eval("document.getElementById('d').click(); document.getElementById('j').click()");
    std::thread::sleep(std::time::Duration::from_millis(300));
    browser
}

/// The pages' policy on its own: inline code, handlers and other hosts are refused, from disk;
/// the site's own files load.
#[test]
fn the_policy_blocks_inline_code_and_other_hosts() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let recorder = Recorder::start();
    let hit = format!("http://127.0.0.1:{}/hit", recorder.port);
    let (_dir, public) = hostile_site(recorder.port);
    let mut browser = open_probe(&chromium, &probe_page(&public, &hit));
    assert_eq!(browser.eval("window.pwned === undefined"), true);
    assert_eq!(
        browser.eval("window.__classes"),
        serde_json::json!(["js", ""]),
        "early.js, beside the page, runs: it marks the page, then unmarks it without catalog.js"
    );
    assert_ne!(
        browser.eval("getComputedStyle(document.getElementById('p')).color"),
        "rgb(1, 2, 3)",
        "inline style is refused"
    );
    let violations = browser.eval("window.__violations.map(v => v.split(' ')[0])");
    let violations: Vec<String> = serde_json::from_value(violations).unwrap();
    let own = browser.eval("window.__violations.filter(v => v.split(' ')[1].startsWith('file:'))");
    assert_eq!(
        own,
        serde_json::json!([]),
        "the site's own files are allowed"
    );
    for directive in [
        "script-src-elem",
        "script-src-attr",
        "style-src-attr",
        "img-src",
    ] {
        assert!(
            violations.iter().any(|v| v == directive),
            "{directive} in {violations:?}"
        );
    }
    assert_eq!(
        recorder.hits(),
        Vec::<String>::new(),
        "requests to other hosts"
    );
}

/// One page of each kind of the browse fixture, with the views its scripts make.
const PAGE_KINDS: &[&str] = &[
    "index.html",
    "sizes.html",
    "index.html#q=chest&modality=x-ray",
    "datasets/delta-cxr.html",
    "modalities/x-ray.html",
    "labels.html",
    "compare.html#d=alpha-cxr,delta-cxr",
    "tasks.html",
    "404.html",
];

/// One page of each kind opens with no policy violation and no console error, from disk and
/// over http (where the live-reload script and its EventSource run too).
#[test]
fn the_site_reports_no_policy_violation_from_disk_or_over_http() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let (dir, public) = common::built_fixture("browse");
    let server = common::serve(dir.path());
    let mut browser = Browser::start(&chromium);
    let found = browser::policy_violations_from_disk_and_http(
        &mut browser,
        &public,
        server.port,
        PAGE_KINDS,
    );
    assert!(found.is_empty(), "{}", found.join("\n"));
    let problems = &browser.problems;
    assert!(problems.is_empty(), "{problems:#?}");
}

/// The check above can fail: a page of the site with an inline style and script reports both.
#[test]
fn the_policy_check_finds_violations() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let (_dir, public) = common::built_fixture("browse");
    let page = public.join("tasks.html");
    let html = common::read(&page).replacen(
        "</h1>",
        "</h1><p style=\"color: red\">x</p><script>1</script>",
        1,
    );
    std::fs::write(&page, html).unwrap();
    let mut browser = Browser::start(&chromium);
    let base = format!("{}/", browser::file_url(&public));
    let found = browser::policy_violations(&mut browser, &[base], &["tasks.html"]);
    for directive in ["style-src-attr", "script-src-elem"] {
        assert!(
            found.iter().any(|v| v.contains(directive)),
            "{directive} in {found:?}"
        );
    }
}
