//! The fuzz targets' bodies and the invariants they assert, shared with the stable regression
//! test (`tests/fuzz_regressions.rs` includes this file), so a kept input is checked the same
//! way in `cargo test` as under `cargo fuzz`.
//!
//! Every target takes raw bytes. The catalog targets ([`check`], [`build_site`]) read them as
//! one entry file, optionally followed by more files, each introduced by a line
//! `>>> NAME` (see [`Catalog::from_bytes`]); files not given come from
//! `tests/fixtures/base`. Each function panics when an invariant does not hold.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use medatlas::common::source::{Source, decode};
use medatlas::diagnostics::{Code, Diagnostic, Report};
use medatlas::parse::frontmatter::{self, SplitError};
use medatlas::parse::{self, markdown};
use medatlas::{BuildOptions, Failure, Timings, input as load};

/// The first file of every catalog input.
pub const ENTRY_PATH: &str = "content/datasets/fuzz.md";

const BASE: &[(&str, &str)] = &[
    (
        "content/site.toml",
        include_str!("../../tests/fixtures/base/content/site.toml"),
    ),
    (
        "content/tasks.toml",
        include_str!("../../tests/fixtures/base/content/tasks.toml"),
    ),
    (
        "content/vocabulary.toml",
        include_str!("../../tests/fixtures/base/content/vocabulary.toml"),
    ),
    (
        "content/labels.toml",
        include_str!("../../tests/fixtures/base/content/labels.toml"),
    ),
    (
        "content/datasets/good.md",
        include_str!("../../tests/fixtures/base/content/datasets/good.md"),
    ),
];

const ROLES: [&str; 4] = ["site.toml", "tasks.toml", "vocabulary.toml", "labels.toml"];

/// A small catalog: content paths (relative to the root) and their bytes, in path order.
pub struct Catalog {
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Catalog {
    /// The base fixture, with the input's files laid over it. The bytes before the first
    /// `>>> NAME` line are `content/datasets/fuzz.md`. `NAME` is one of `site.toml`,
    /// `tasks.toml`, `vocabulary.toml`, `labels.toml` or an entry file name; a name that is
    /// not a plain `*.md` / `*.toml` file name becomes `eN.md`, so the catalog always stays in
    /// its directory.
    pub fn from_bytes(data: &[u8]) -> Catalog {
        let mut files: BTreeMap<String, Vec<u8>> = BASE
            .iter()
            .map(|(path, text)| (path.to_string(), text.as_bytes().to_vec()))
            .collect();
        let mut parts = split_parts(data).into_iter();
        let entry = parts.next().unwrap_or_default();
        files.insert(ENTRY_PATH.into(), entry.to_vec());
        for (n, part) in parts.enumerate() {
            let (name, text) = match part.iter().position(|&b| b == b'\n') {
                Some(i) => (&part[..i], &part[i + 1..]),
                None => (part, &[][..]),
            };
            files.insert(content_path(name, n), text.to_vec());
        }
        Catalog { files }
    }

    /// The files as `load` would return them: roles found, entries in path order, files that
    /// are not UTF-8 kept (lossily) as unreadable entries.
    pub fn content_files(&self) -> (load::ContentFiles, Vec<Diagnostic>) {
        let mut files = load::ContentFiles::default();
        let mut diagnostics = Vec::new();
        let roles = ROLES.iter().map(|name| format!("content/{name}"));
        let ordered = roles.filter(|path| self.files.contains_key(path)).chain(
            self.files
                .keys()
                .filter(|p| p.starts_with("content/datasets/"))
                .cloned(),
        );
        for path in ordered {
            let id = files.sources.len();
            let decoded = decode(self.files[&path].clone());
            let readable = decoded.is_ok();
            let text = decoded.unwrap_or_else(|(offset, lossy)| {
                let source = Source::new(path.clone(), lossy.clone());
                diagnostics.push(Diagnostic::error(
                    Code::NotUtf8,
                    &source,
                    offset..offset + char::REPLACEMENT_CHARACTER.len_utf8(),
                    "file is not valid UTF-8".into(),
                ));
                lossy
            });
            files.sources.push(Source::new(path.clone(), text));
            match (readable, path.strip_prefix("content/")) {
                (false, Some(name)) if name.starts_with("datasets/") => {
                    files.unreadable_entries.push(id);
                }
                (false, _) => {}
                (true, Some("site.toml")) => files.site = Some(id),
                (true, Some("tasks.toml")) => files.tasks = Some(id),
                (true, Some("vocabulary.toml")) => files.vocabulary = Some(id),
                (true, Some("labels.toml")) => files.labels = Some(id),
                (true, _) => files.entries.push(id),
            }
        }
        (files, diagnostics)
    }

    /// Write the catalog under `root` (which must exist).
    pub fn write(&self, root: &Path) {
        for (path, bytes) in &self.files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
            std::fs::write(path, bytes).expect("write catalog file");
        }
    }
}

/// The input cut at each line starting with `>>> ` (the marker itself removed).
fn split_parts(data: &[u8]) -> Vec<&[u8]> {
    const MARKER: &[u8] = b"\n>>> ";
    let mut parts = Vec::new();
    let mut rest = data;
    while let Some(i) = rest.windows(MARKER.len()).position(|w| w == MARKER) {
        parts.push(&rest[..i + 1]);
        rest = &rest[i + MARKER.len()..];
    }
    parts.push(rest);
    parts
}

fn content_path(name: &[u8], n: usize) -> String {
    let name = String::from_utf8_lossy(name)
        .trim_end_matches('\r')
        .to_string();
    if ROLES.contains(&name.as_str()) {
        return format!("content/{name}");
    }
    let plain = !name.contains(['/', '\\', '\0'])
        && name.len() <= 64
        && (name.ends_with(".md") || name.ends_with(".toml"));
    if plain {
        format!("content/datasets/{name}")
    } else {
        format!("content/datasets/e{n}.md")
    }
}

/// Front matter splitting: the ranges cut the text in order, on character boundaries, and
/// agree with a line-by-line reading of the rule.
pub fn frontmatter(data: &[u8]) {
    let Ok(text) = decode(data.to_vec()) else {
        return;
    };
    let mut lines = text.split_inclusive('\n');
    let is_delimiter = |line: &str| line.trim_end_matches(['\n', '\r']).trim_end() == "+++";
    let opens = lines.next().is_some_and(is_delimiter);
    let closes = opens && lines.any(is_delimiter);
    match frontmatter::split(&text) {
        Ok(split) => {
            assert!(
                closes,
                "split found front matter the rule does not: {text:?}"
            );
            let (fm, body) = (split.front_matter, split.body);
            assert!(
                fm.start <= fm.end && fm.end <= body.start && body.end == text.len(),
                "ranges out of order: {fm:?} {body:?} in {} bytes",
                text.len()
            );
            for at in [fm.start, fm.end, body.start] {
                assert!(text.is_char_boundary(at), "{at} is not a char boundary");
            }
            assert!(is_delimiter(&text[..fm.start]), "opening line");
            assert!(is_delimiter(&text[fm.end..body.start]), "closing line");
            assert!(
                !text[fm.clone()].split_inclusive('\n').any(is_delimiter),
                "a delimiter inside the front matter"
            );
        }
        Err(SplitError::Missing) => assert!(!opens, "missed an opening line: {text:?}"),
        Err(SplitError::Unclosed(at)) => {
            assert!(opens && !closes, "missed a closing line: {text:?}");
            assert_eq!(at, 0..3);
        }
    }
}

/// Entry parsing: every diagnostic lies within the entry, and the report renders in every
/// format.
pub fn entry(data: &[u8]) {
    let Ok(text) = decode(data.to_vec()) else {
        return;
    };
    let source = Source::new(ENTRY_PATH, text);
    let (dataset, diagnostics) = parse::parse_entry(&source, 0);
    let sources = [source];
    assert_spans(&diagnostics, &sources);
    if let Some(dataset) = &dataset {
        assert_eq!(dataset.source, 0);
        let _ = markdown::render(&dataset.body);
    }
    assert_report(&Report::new(diagnostics, &sources, 1));
}

/// Checking a small catalog in memory: the same span invariants over every file, a clean
/// catalog has no errors, and the report renders in every format.
pub fn check(data: &[u8]) {
    let catalog = Catalog::from_bytes(data);
    let (files, diagnostics) = catalog.content_files();
    let sources = files.sources.clone();
    let report = match medatlas::check_files(files, diagnostics, &mut Timings::default()) {
        Ok(checked) => {
            assert!(!checked.report.has_errors(), "Ok with errors");
            checked.report
        }
        Err(Failure::Content(report)) => {
            assert!(report.has_errors(), "Err without errors");
            report
        }
        Err(other) => panic!("checking in memory failed outside the content: {other:?}"),
    };
    assert_spans(&report.diagnostics, &sources);
    assert_report(&report);
}

/// Every diagnostic names one of `sources`, and its span lies within that source's text,
/// on character boundaries, with line and column matching the span's start.
pub fn assert_spans(diagnostics: &[Diagnostic], sources: &[Source]) {
    for d in diagnostics {
        let source = sources
            .iter()
            .find(|s| s.path == d.path)
            .unwrap_or_else(|| panic!("diagnostic for an unknown file: {}", d.headline()));
        let Range { start, end } = d.span;
        let text = &source.text;
        assert!(
            start <= end && end <= text.len(),
            "span {start}..{end} outside {} bytes: {}",
            text.len(),
            d.headline()
        );
        // A span may end one past the text (a missing character at the end of the file).
        let on_boundary = |at: usize| at == text.len() + 1 || text.is_char_boundary(at);
        assert!(
            on_boundary(start) && on_boundary(end),
            "span {start}..{end} not on char boundaries: {}",
            d.headline()
        );
        assert_eq!(
            (d.line, d.column),
            source.location(start),
            "{}",
            d.headline()
        );
    }
}

fn assert_report(report: &Report) {
    let plain = report.to_plain_string();
    assert!(
        plain.ends_with(&format!("{}\n", report.summary())),
        "{plain}"
    );
    let _ = report.to_github();
    let _ = report.headlines();
    let json: serde_json::Value =
        serde_json::from_str(&report.to_json()).expect("the JSON report parses");
    assert!(json.is_object() || json.is_array());
}

/// Markdown rendering: nothing a body writes is live in the HTML (no script, frame, object,
/// style or form element, no event attribute, no URL with another scheme than http(s) or
/// mailto), and the other readers of a body agree with it.
pub fn markdown(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let html = markdown::render(text);
    assert_inert(&html, &[]);
    assert_inert(&markdown::render_inline(text), &[]);
    // Raw HTML can swallow what follows it (an unclosed `<script>` or `<style>` ends the
    // body), so the ids of the Markdown are only all on the page when there is none.
    let ids = if text.contains('<') {
        Vec::new()
    } else {
        markdown::heading_ids(text)
    };
    for id in ids {
        assert!(
            !id.is_empty() && id.chars().all(|c| c.is_alphanumeric() || c == '-'),
            "heading id {id:?}"
        );
        assert!(
            html.contains(&format!(" id=\"{id}\"")),
            "id {id:?} not in {html}"
        );
    }
    for (dest, span) in markdown::entry_links(text) {
        assert!(
            span.start <= span.end && span.end <= text.len(),
            "link {dest:?} at {span:?}"
        );
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
    }
    for url in markdown::external_links(text) {
        assert!(is_allowed_url(&url), "external link {url:?}");
    }
}

/// Elements that load, run or restyle something, or send a form: in a page only where the
/// templates write one of the same shape (see [`shape`]). Scripts have their own rule; SVG and
/// MathML are inert without a script, an event attribute or an unsafe URL.
const DANGEROUS_TAGS: &[&str] = &[
    "iframe", "frame", "frameset", "object", "embed", "applet", "style", "form", "base", "meta",
    "link", "template", "noscript", "portal",
];

/// A start tag's element and attribute names, `<meta name content>`: how a tag written by a
/// template is recognised whatever the values it was given.
pub fn shape(tag: &Tag) -> String {
    let mut names: Vec<String> = tag
        .attributes
        .iter()
        .map(|(a, _)| a.to_ascii_lowercase())
        .collect();
    names.sort();
    format!("<{} {}>", tag.name.to_ascii_lowercase(), names.join(" "))
}

/// Check that `html` has no live content. `allowed` holds what the site itself writes, which
/// is not from the content: `name="value"` attribute texts, inline script texts and tag
/// shapes of the templates, and the file names of the site's scripts (a relative
/// `<script src>` may name one of them).
pub fn assert_inert(html: &str, allowed: &[&str]) {
    for tag in tags(html) {
        let name = tag.name.to_ascii_lowercase();
        if name == "script" {
            let own_file = |src: &str| {
                let name = src.rsplit('/').next().unwrap_or(src);
                !src.starts_with("//") && !src.contains(':') && allowed.contains(&name)
            };
            let ok = tag.attribute("src").is_some_and(own_file) && tag.content.is_empty()
                || (tag.attribute("type") == Some("application/ld+json")
                    && serde_json::from_str::<serde_json::Value>(tag.content).is_ok())
                || allowed.contains(&tag.content);
            assert!(ok, "live script {:?}{:?} in\n{html}", tag.text, tag.content);
        } else {
            assert!(
                !DANGEROUS_TAGS.contains(&name.as_str()) || allowed.contains(&shape(&tag).as_str()),
                "{:?} in\n{html}",
                tag.text
            );
        }
        for (attr, value) in &tag.attributes {
            let attr = attr.to_ascii_lowercase();
            if attr.starts_with("on") {
                let written = format!("{attr}=\"{value}\"");
                assert!(
                    allowed.contains(&written.as_str()),
                    "event attribute {written} in {:?}",
                    tag.text
                );
            }
            if matches!(
                attr.as_str(),
                "href" | "src" | "action" | "formaction" | "srcset" | "xlink:href"
            ) {
                assert!(
                    is_allowed_url(&decode_entities(value)),
                    "URL {value:?} in {:?}",
                    tag.text
                );
            }
        }
    }
}

/// http(s), mailto or a relative URL, read as a browser does (leading spaces and control
/// characters dropped, tabs and newlines removed, case ignored).
pub fn is_allowed_url(url: &str) -> bool {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase();
    // A scheme is a letter, then letters, digits, `+`, `-` or `.`, before the first `:`;
    // anything else before it makes the URL relative.
    let scheme = cleaned
        .split_once(':')
        .map(|(scheme, _)| scheme)
        .filter(|s| {
            s.starts_with(|c: char| c.is_ascii_alphabetic())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        });
    scheme.is_none_or(|s| matches!(s, "http" | "https" | "mailto"))
}

/// Named and numeric character references in an attribute value.
fn decode_entities(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 12);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let code = match name.strip_prefix('#') {
                Some(n) => match n.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => n.parse().ok(),
                },
                None => match name {
                    "amp" => Some('&' as u32),
                    "lt" => Some('<' as u32),
                    "gt" => Some('>' as u32),
                    "quot" => Some('"' as u32),
                    "apos" => Some('\'' as u32),
                    "colon" => Some(':' as u32),
                    "Tab" => Some('\t' as u32),
                    "NewLine" => Some('\n' as u32),
                    _ => None,
                },
            };
            code.and_then(char::from_u32).map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
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

/// One start tag of an HTML document.
pub struct Tag<'a> {
    pub name: &'a str,
    pub attributes: Vec<(&'a str, &'a str)>,
    /// The whole start tag.
    pub text: &'a str,
    /// For `<script>`: what is between it and `</script`.
    pub content: &'a str,
}

impl Tag<'_> {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(a, _)| a.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }
}

/// The start tags of `html`, read as the HTML tokenizer does (comments skipped, script
/// content raw text, attribute values quoted or not).
pub fn tags(html: &str) -> Vec<Tag<'_>> {
    let bytes = html.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while let Some(found) = html[i..].find('<') {
        let start = i + found;
        let rest = &html[start..];
        if rest.starts_with("<!--") {
            i = rest.find("-->").map_or(html.len(), |e| start + e + 3);
            continue;
        }
        if !bytes.get(start + 1).is_some_and(u8::is_ascii_alphabetic) {
            i = start + 1;
            continue;
        }
        let (tag, end) = start_tag(html, start);
        i = end;
        let mut tag = tag;
        if tag.name.eq_ignore_ascii_case("script") {
            let close = find_ignore_case(&html[end..], "</script").map_or(html.len(), |c| end + c);
            tag.content = &html[end..close];
            i = close;
        }
        tags.push(tag);
    }
    tags
}

fn start_tag(html: &str, start: usize) -> (Tag<'_>, usize) {
    let bytes = html.as_bytes();
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    let mut i = start + 1;
    while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'>' && bytes[i] != b'/' {
        i += 1;
    }
    let name = &html[start + 1..i];
    let mut attributes = Vec::new();
    loop {
        while i < bytes.len() && (is_space(bytes[i]) || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] == b'>' {
            break;
        }
        let name_start = i;
        i += 1;
        while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'>' | b'/' | b'=') {
            i += 1;
        }
        let attr = &html[name_start..i];
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        let mut value = "";
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while i < bytes.len() && is_space(bytes[i]) {
                i += 1;
            }
            match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let close = html[i + 1..]
                        .find(q as char)
                        .map_or(html.len(), |c| i + 1 + c);
                    value = &html[i + 1..close];
                    i = (close + 1).min(html.len());
                }
                _ => {
                    let value_start = i;
                    while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'>' {
                        i += 1;
                    }
                    value = &html[value_start..i];
                }
            }
        }
        attributes.push((attr, value));
    }
    let end = (i + 1).min(html.len());
    let tag = Tag {
        name,
        attributes,
        text: &html[start..end],
        content: "",
    };
    (tag, end)
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The whole build of a small catalog on disk: it returns a value (never panics); a content
/// error writes nothing; a success writes only inside the output, leaves the catalog as it
/// was, and every page and JSON file it wrote is well-formed and inert.
pub fn build_site(data: &[u8]) {
    let catalog = Catalog::from_bytes(data);
    let dir = tempfile::tempdir().expect("temporary directory");
    let root = dir.path().join("catalog");
    let output = dir.path().join("site");
    catalog.write(&root);
    let before = snapshot(&root);
    let options = BuildOptions {
        root: root.clone(),
        output: output.clone(),
        force: false,
        jobs: Some(1),
    };
    let result = medatlas::build(&options);
    assert_eq!(snapshot(&root), before, "the build changed the catalog");
    let outside: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list the temporary directory")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name != "catalog" && name != "site")
        .collect();
    assert!(
        outside.is_empty(),
        "the build wrote {outside:?} beside its output"
    );
    match result {
        Ok(_) => assert_site(&output),
        Err(Failure::Content(report)) => {
            assert!(report.has_errors(), "a content failure without errors");
            assert!(!output.exists(), "a failed build wrote its output");
            let (files, _) = load::load(&root).expect("the catalog loads again");
            assert_spans(&report.diagnostics, &files.sources);
            assert_report(&report);
        }
        Err(Failure::Template(message)) => {
            panic!("the default templates failed on content: {message}")
        }
        Err(Failure::Io(message)) => {
            assert!(
                !output.exists(),
                "a failed build wrote its output: {message}"
            );
        }
    }
}

/// Every file under `root` with its bytes.
fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let path = e.path().strip_prefix(root).expect("under root");
            let bytes = std::fs::read(e.path()).expect("read");
            (path.to_string_lossy().into_owned(), bytes)
        })
        .collect()
}

/// Attribute texts, inline scripts and tag shapes written by the default templates.
fn template_allowances() -> Vec<String> {
    let mut allowed = Vec::new();
    for (_, template) in medatlas::input::theme::DEFAULT_TEMPLATES {
        for tag in tags(template) {
            if tag.name == "script" && !tag.content.contains("{{") {
                allowed.push(tag.content.to_string());
            }
            allowed.push(shape(&tag));
            let start = tag.text.as_ptr() as usize - template.as_ptr() as usize;
            for (attr, value) in &tag.attributes {
                if attr.starts_with("on") {
                    let at = value.as_ptr() as usize - template.as_ptr() as usize;
                    let from = start + tag.text.find(attr).expect("attribute in its tag");
                    allowed.push(template[from..at + value.len() + 1].to_string());
                }
            }
        }
    }
    allowed
}

fn assert_site(output: &Path) {
    assert!(output.join("index.html").is_file(), "no index.html");
    let scripts: Vec<String> = walkdir::WalkDir::new(output)
        .into_iter()
        .map(|e| e.expect("walk the output"))
        .filter(|e| e.path().extension().is_some_and(|x| x == "js"))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let owned = template_allowances();
    let mut allowed: Vec<&str> = owned.iter().map(String::as_str).collect();
    allowed.extend(scripts.iter().map(String::as_str));
    for entry in walkdir::WalkDir::new(output) {
        let entry = entry.expect("walk the output");
        let path = entry.path();
        assert!(
            !entry.path_is_symlink(),
            "the output holds a symlink: {}",
            path.display()
        );
        match path.extension().and_then(|e| e.to_str()) {
            Some("html") => {
                let html = std::fs::read_to_string(path).expect("pages are UTF-8");
                assert_inert(&html, &allowed);
            }
            Some("json") => {
                let text = std::fs::read_to_string(path).expect("JSON is UTF-8");
                serde_json::from_str::<serde_json::Value>(&text)
                    .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
            }
            _ => {}
        }
    }
}
