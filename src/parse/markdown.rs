//! Markdown to safe HTML for entry bodies and `known_issues` lines.
//!
//! CommonMark plus tables, footnotes, strikethrough and task lists; headings get stable ids and
//! an anchor link. Entries come from pull requests, so output is made safe: links and images
//! other than http(s), mailto and relative references within the site (see [`is_safe_url`])
//! are neutralised while parsing, external links get `rel="noopener noreferrer"`, table
//! alignment is a class (the pages' CSP allows no style attributes), and a body that contains
//! raw HTML is passed through ammonia. Bodies without raw HTML skip ammonia, since
//! pulldown-cmark escapes all text itself, which keeps a 10,000-page build fast.
//!
//! Nesting is bounded: [`scan`] finds where Markdown blocks and raw HTML elements together
//! nest more than [`MAX_NESTING`] levels, which the checker reports, so rendering and
//! sanitising never see a document deeper than that.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use crate::common::{html::escape_html, slug::slugify};
use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html};

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// The deepest nesting of Markdown blocks and HTML elements a description may have.
pub(crate) const MAX_NESTING: usize = 100;

/// HTML elements that have no end tag, or whose end tag the parser implies when the next one
/// starts: they do not nest.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "colgroup", "dd", "dt", "embed", "hr", "img", "input", "li",
    "link", "meta", "option", "optgroup", "p", "rb", "rp", "rt", "source", "tbody", "td", "tfoot",
    "th", "thead", "tr", "track", "wbr",
];

/// The byte range in `markdown` of the first place where Markdown blocks and raw HTML elements
/// nest deeper than `limit`, if any. One pass; the cost of a closing tag is bounded by `limit`.
#[cfg(test)]
pub(crate) fn too_deep(markdown: &str, limit: usize) -> Option<std::ops::Range<usize>> {
    scan(markdown, limit).too_deep
}

/// What one pass over a description finds for the checker.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    /// Where Markdown blocks and raw HTML elements first nest deeper than the limit.
    pub(crate) too_deep: Option<std::ops::Range<usize>>,
    /// The links to other entries, as [`entry_links`] finds them.
    pub(crate) entry_links: Vec<(String, std::ops::Range<usize>)>,
    /// Link targets without a scheme that look like a host (`www.example.org`), with their
    /// spans as for `entry_links`.
    pub(crate) host_links: Vec<(String, std::ops::Range<usize>)>,
}

/// Where `markdown` nests too deep, its [`entry_links`] and its links to hosts without a
/// scheme, in one pass.
pub(crate) fn scan(markdown: &str, limit: usize) -> Scan {
    let mut found = Scan::default();
    let mut blocks = 0usize;
    let mut open: Vec<String> = Vec::new();
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = &event {
            found
                .entry_links
                .extend(entry_link(markdown, dest_url, &range));
            if looks_like_host(dest_url) {
                let span = target_span(markdown, dest_url, &range);
                found.host_links.push((dest_url.to_string(), span));
            }
        }
        if found.too_deep.is_some() {
            continue;
        }
        match event {
            Event::Start(_) => blocks += 1,
            Event::End(_) => blocks = blocks.saturating_sub(1),
            Event::Html(html) | Event::InlineHtml(html) => {
                for (at, tag) in tags(&html) {
                    match tag {
                        RawTag::Open(name) => open.push(name),
                        RawTag::Close(name) => close(&mut open, &name),
                    }
                    if blocks + open.len() > limit {
                        let start = (range.start + at).min(range.end);
                        found.too_deep = Some(start..(start + 1).min(range.end.max(start)));
                        break;
                    }
                }
            }
            _ => {}
        }
        if found.too_deep.is_none() && blocks + open.len() > limit {
            found.too_deep = Some(range);
        }
    }
    found
}

/// An HTML tag found by [`tags`].
enum RawTag {
    Open(String),
    Close(String),
}

/// Close the innermost open element named `name`, and those inside it; a stray end tag closes
/// nothing (as in an HTML parser).
fn close(open: &mut Vec<String>, name: &str) {
    if let Some(at) = open.iter().rposition(|n| n == name) {
        open.truncate(at);
    }
}

/// The start and end tags of elements that nest, in an HTML fragment, with their offsets.
fn tags(html: &str) -> Vec<(usize, RawTag)> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<') {
        let at = i + lt;
        if html[at..].starts_with("<!--") {
            i = html[at..]
                .find("-->")
                .map_or(html.len(), |end| at + end + 3);
            continue;
        }
        let closing = bytes.get(at + 1) == Some(&b'/');
        let name_start = at + 1 + usize::from(closing);
        if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            i = at + 1;
            continue;
        }
        // Without a `>` further on there is no complete tag left.
        let Some(end) = html[name_start..].find('>').map(|e| name_start + e) else {
            break;
        };
        i = end + 1;
        let name_len = html[name_start..end]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
            .count();
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        let self_closing = html[..end].ends_with('/');
        if closing {
            out.push((at, RawTag::Close(name)));
        } else if !self_closing && !NOT_NESTING.contains(&name.as_str()) {
            out.push((at, RawTag::Open(name)));
        }
    }
    out
}

/// Render a Markdown document (an entry body).
pub fn render(markdown: &str) -> String {
    let mut has_raw_html = false;
    let events: Vec<Event> = Parser::new_ext(markdown, options())
        .map(|event| {
            if matches!(event, Event::Html(_) | Event::InlineHtml(_)) {
                has_raw_html = true;
            }
            safe_links(event)
        })
        .collect();
    let events = with_heading_anchors(&events);
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    let out = alignment_as_classes(out);
    let out = if has_raw_html { sanitize(&out) } else { out };
    accessible_tables(out)
}

/// Tables as readers of every kind can use them: a table scrolls sideways on a narrow screen,
/// so it takes keyboard focus (`tabindex="0"`) for the keyboard to scroll it; a header cell
/// left empty (the corner of a table whose first column names its rows) is a plain cell, since
/// a header must name something.
fn accessible_tables(html: String) -> String {
    if !html.contains("<table>") {
        return html;
    }
    let mut html = html.replace("<table>", "<table tabindex=\"0\">");
    for empty in [
        "<th></th>",
        "<th class=\"align-left\"></th>",
        "<th class=\"align-center\"></th>",
        "<th class=\"align-right\"></th>",
    ] {
        if html.contains(empty) {
            html = html.replace(empty, &empty.replace("th", "td"));
        }
    }
    html
}

/// pulldown-cmark aligns table cells with `style="text-align: …"`; the same as a class. Text
/// cannot fake the pattern: pulldown-cmark escapes every `<` of text, and raw HTML goes through
/// ammonia afterwards, which keeps only these classes on cells.
fn alignment_as_classes(html: String) -> String {
    if !html.contains(" style=\"text-align: ") {
        return html;
    }
    let mut html = html;
    for cell in ["th", "td"] {
        for side in ["left", "center", "right"] {
            html = html.replace(
                &format!("<{cell} style=\"text-align: {side}\">"),
                &format!("<{cell} class=\"align-{side}\">"),
            );
        }
    }
    html
}

/// Render one line of Markdown without the surrounding paragraph (a `known_issues` item).
pub fn render_inline(markdown: &str) -> String {
    let html = render(markdown);
    let trimmed = html.trim_end();
    trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
        .unwrap_or(trimmed)
        .to_string()
}

/// Whether a link or image target may stay: an http(s) or mailto URL, or a reference relative
/// to the page. Anything else (`javascript:`, `vbscript:`, `data:`, `file:`, any other scheme,
/// a protocol-relative `//host`, or its backslash spellings, which browsers read as `//`)
/// becomes inert. Browsers drop tabs and newlines anywhere in a URL and control characters and
/// spaces before it, so this does too before looking for the scheme; an allow-list of schemes
/// then leaves no spelling of another scheme through.
pub(crate) fn is_safe_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .trim_start_matches(|c: char| c <= ' ')
        .to_ascii_lowercase();
    let mut start = cleaned.chars().take(2);
    if start.clone().count() == 2 && start.all(|c| c == '/' || c == '\\') {
        return false;
    }
    match cleaned.find([':', '/', '\\', '?', '#']) {
        // A scheme is what comes before the first ':' if no '/', '?' or '#' precedes it.
        Some(i) if cleaned.as_bytes()[i] == b':' => {
            matches!(&cleaned[..i], "http" | "https" | "mailto")
        }
        _ => true,
    }
}

/// An http(s) URL: a link to it opens another site.
fn is_web_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// A link to another entry's source file, `other.md#labels` or `../datasets/other.md`, points at
/// its page instead: the same relative path with `.html` (pages mirror content/datasets/).
pub(crate) fn rewrite_entry_link(dest: &str) -> Option<String> {
    let (path, fragment) = dest
        .split_once('#')
        .map_or((dest, None), |(p, f)| (p, Some(f)));
    if is_external(path) {
        return None;
    }
    let stem = path
        .strip_suffix(".md")
        .or_else(|| path.strip_suffix(".toml"))?;
    Some(match fragment {
        Some(fragment) => format!("{stem}.html#{fragment}"),
        None => format!("{stem}.html"),
    })
}

/// Has a scheme (`https:`, `mailto:`) or is protocol-relative (`//host`).
fn is_external(dest: &str) -> bool {
    dest.starts_with("//")
        || dest
            .find([':', '/', '?', '#'])
            .is_some_and(|i| dest.as_bytes()[i] == b':')
}

/// Every link and image target of a Markdown text that names another entry's file, with the
/// byte range of the target in the text (or of the whole link, for reference-style links).
pub fn entry_links(markdown: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = event {
            out.extend(entry_link(markdown, &dest_url, &range));
        }
    }
    out
}

/// The link target `dest_url` of the link at `range`, with its span, if it names an entry.
fn entry_link(
    markdown: &str,
    dest_url: &str,
    range: &std::ops::Range<usize>,
) -> Option<(String, std::ops::Range<usize>)> {
    rewrite_entry_link(dest_url)?;
    Some((dest_url.to_string(), target_span(markdown, dest_url, range)))
}

/// The span of the target `dest_url` in the link at `range` (the whole link when the target is
/// not written in it, as in reference-style links).
fn target_span(
    markdown: &str,
    dest_url: &str,
    range: &std::ops::Range<usize>,
) -> std::ops::Range<usize> {
    markdown[range.clone()]
        .rfind(dest_url)
        .map_or(range.clone(), |at| {
            range.start + at..range.start + at + dest_url.len()
        })
}

/// Top-level domains common enough that `name.<tld>` at the start of a link is a host.
const COMMON_TLDS: &[&str] = &[
    "com", "org", "net", "edu", "gov", "int", "mil", "io", "ai", "info", "eu", "uk", "de", "fr",
    "nl", "ch", "ca", "au", "cn", "jp", "kr", "in", "br", "us", "it", "es", "se", "no", "dk", "fi",
    "be", "at", "ru",
];

/// Whether a link target without a scheme starts with a host name (`www.example.org`,
/// `example.org/page`): written so, it would point at a file of the site.
pub(crate) fn looks_like_host(dest: &str) -> bool {
    if is_external(dest) || rewrite_entry_link(dest).is_some() {
        return false;
    }
    let host = dest.split(['/', '?', '#']).next().unwrap_or_default();
    let labels: Vec<&str> = host.split('.').collect();
    let well_formed = labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    well_formed
        && (host.to_ascii_lowercase().starts_with("www.")
            || labels
                .last()
                .is_some_and(|tld| COMMON_TLDS.contains(&tld.to_ascii_lowercase().as_str())))
}

/// The http(s) link and image targets of a Markdown text.
pub fn external_links(markdown: &str) -> Vec<String> {
    Parser::new_ext(markdown, options())
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if dest_url.starts_with("http://") || dest_url.starts_with("https://") =>
            {
                Some(dest_url.to_string())
            }
            _ => None,
        })
        .collect()
}

fn safe_links(event: Event) -> Event {
    let Event::Start(tag) = event else {
        return event;
    };
    match tag {
        Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        } => {
            let dest_url = if !is_safe_url(&dest_url) {
                CowStr::Borrowed("#")
            } else if let Some(page) = rewrite_entry_link(&dest_url) {
                CowStr::from(page)
            } else if link_type != LinkType::Email && is_web_url(&dest_url) {
                return Event::Html(CowStr::from(external_link_tag(&dest_url, &title)));
            } else {
                dest_url
            };
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        } if !is_safe_url(&dest_url) => Event::Start(Tag::Image {
            link_type,
            dest_url: CowStr::Borrowed(""),
            title,
            id,
        }),
        other => Event::Start(other),
    }
}

/// The opening tag of a link to another site: it gets no `window.opener` and no referrer.
fn external_link_tag(dest: &str, title: &str) -> String {
    let title = if title.is_empty() {
        String::new()
    } else {
        format!(" title=\"{}\"", escape_html(title))
    };
    format!(
        "<a href=\"{}\" rel=\"noopener noreferrer\"{title}>",
        escape_html(dest)
    )
}

/// The ids the headings of a Markdown text get on its page, in order.
pub fn heading_ids(markdown: &str) -> Vec<String> {
    let mut used = HashMap::new();
    let mut ids = Vec::new();
    let mut text: Option<String> = None;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::Heading { .. }) => text = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(text) = &mut text {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                ids.push(unique_id(
                    slugify(&text.take().unwrap_or_default()),
                    &mut used,
                ));
            }
            _ => {}
        }
    }
    ids
}

/// Give every heading an id derived from its text (unique within the page) and a `#` link.
fn with_heading_anchors<'a>(events: &[Event<'a>]) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len() + 8);
    let mut used: HashMap<String, usize> = HashMap::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, .. }) = &events[i] {
            let level = *level;
            let end = (i..events.len())
                .find(|&j| matches!(events[j], Event::End(TagEnd::Heading(_))))
                .unwrap_or(events.len() - 1);
            let text: String = events[i + 1..end]
                .iter()
                .filter_map(|e| match e {
                    Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                    _ => None,
                })
                .collect();
            let id = unique_id(slugify(&text), &mut used);
            out.push(Event::Html(CowStr::from(format!(
                "<{tag} id=\"{id}\">",
                tag = heading_tag(level)
            ))));
            out.extend(events[i + 1..end].iter().cloned());
            out.push(Event::Html(CowStr::from(format!(
                " <a class=\"anchor\" href=\"#{id}\" aria-label=\"Link to this section\">#</a></{tag}>\n",
                tag = heading_tag(level)
            ))));
            i = end + 1;
        } else {
            out.push(events[i].clone());
            i += 1;
        }
    }
    out
}

fn heading_tag(level: HeadingLevel) -> &'static str {
    match level {
        HeadingLevel::H1 => "h1",
        HeadingLevel::H2 => "h2",
        HeadingLevel::H3 => "h3",
        HeadingLevel::H4 => "h4",
        HeadingLevel::H5 => "h5",
        HeadingLevel::H6 => "h6",
    }
}

fn unique_id(base: String, used: &mut HashMap<String, usize>) -> String {
    let taken_by_page = usize::from(crate::common::slug::is_page_id(&base));
    let n = used.entry(base.clone()).or_insert(taken_by_page);
    *n += 1;
    if *n == 1 {
        base
    } else {
        format!("{base}-{}", *n - 1)
    }
}

/// The classes [`alignment_as_classes`] gives table cells.
const ALIGNMENTS: [&str; 3] = ["align-left", "align-center", "align-right"];

/// A URL without a scheme stays when it is relative to the page; a protocol-relative one
/// (`//host`, `\\host`) names another host and is removed.
fn relative_url(url: &str) -> Option<std::borrow::Cow<'_, str>> {
    is_safe_url(url).then_some(std::borrow::Cow::Borrowed(url))
}

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    let headings = ["h1", "h2", "h3", "h4", "h5", "h6"];
    for tag in headings {
        builder.add_tag_attributes(tag, ["id"]);
    }
    builder
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("a", ["class", "aria-label"])
        .add_tag_attributes("sup", ["class", "id"])
        .add_tag_attributes("div", ["class", "id"])
        .add_tag_attributes("li", ["id"])
        .add_allowed_classes("th", ALIGNMENTS)
        .add_allowed_classes("td", ALIGNMENTS)
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .url_relative(ammonia::UrlRelative::Custom(Box::new(relative_url)))
        .link_rel(Some("noopener noreferrer"));
    builder
});

/// Remove scripts, event handlers, `javascript:` URLs and anything else unsafe from HTML.
pub(crate) fn sanitize(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_ids_and_anchors() {
        let html = render("## Labels & splits\n\n## Labels & splits\n");
        assert!(html.contains("<h2 id=\"labels-splits\">Labels &amp; splits <a class=\"anchor\" href=\"#labels-splits\""));
        assert!(html.contains("<h2 id=\"labels-splits-1\">"));
    }

    #[test]
    fn extensions_are_on() {
        let html = render(
            "| a | b |\n|---|--:|\n| 1 | 2 |\n\n~~old~~\n\n- [x] done\n\nNote[^1].\n\n[^1]: Source.\n",
        );
        assert!(html.contains("<table tabindex=\"0\">"), "{html}");
        assert!(html.contains("<del>old</del>"), "{html}");
        let corner = render("| | Train |\n|---|--:|\n| Images | 2 |\n");
        assert!(
            corner.contains("<thead><tr><td></td><th class=\"align-right\">Train</th>"),
            "{corner}"
        );
        assert!(html.contains("type=\"checkbox\""), "{html}");
        assert!(html.contains("footnote"), "{html}");
    }

    #[test]
    fn unsafe_html_and_links_are_removed() {
        let html = render(
            "<script>alert(1)</script>\n\n<b onclick=\"x()\">bold</b> [x](javascript:alert(1)) ![i](javascript:x)\n",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("<b>bold</b>"), "{html}");
        let plain = render(
            "[x](JavaScript:alert(1)) [ok](https://a.org) [rel](other.html#x) [md](../datasets/b.md#labels) [t](c.toml)",
        );
        assert!(
            plain.contains("href=\"../datasets/b.html#labels\""),
            "{plain}"
        );
        assert!(plain.contains("href=\"c.html\""), "{plain}");
        assert!(!plain.to_lowercase().contains("javascript:"), "{plain}");
        assert!(plain.contains("href=\"https://a.org\""));
        assert!(plain.contains("href=\"other.html#x\""));
    }

    #[test]
    fn only_web_mail_and_relative_urls_are_safe() {
        for good in [
            "https://a.org/x",
            "HTTP://a.org",
            "mailto:a@b.org",
            "other.html#x",
            "../datasets/b.md",
            "/abs/path",
            "#section",
            "?q=1",
            "a/b:c",
        ] {
            assert!(is_safe_url(good), "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "\u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            "DATA:image/svg+xml;base64,PHN2Zz4=",
            "file:///etc/passwd",
            "//evil.example/x",
            "\\\\evil.example/x",
            "/\\evil.example/x",
            "\\/evil.example/x",
            "/\t/evil.example/x",
            "ftp://a.org",
        ] {
            assert!(!is_safe_url(bad), "{bad:?}");
        }
    }

    #[test]
    fn external_links_get_rel_and_alignment_is_a_class() {
        for body in [
            "[a](https://a.org/x \"T\") [b](page.html) <m@a.org>",
            "<b>raw</b> [a](https://a.org/x \"T\") [b](page.html) <m@a.org>",
        ] {
            let html = render(body);
            let tag = html
                .split('<')
                .find(|t| t.contains("href=\"https://a.org/x\""))
                .unwrap();
            assert!(tag.contains("rel=\"noopener noreferrer\""), "{html}");
            assert!(html.contains("title=\"T\""), "{html}");
            assert!(html.contains("href=\"mailto:m@a.org\""), "{html}");
        }
        assert!(!render("[b](page.html)").contains("rel="));
        for body in [
            "| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n",
            "<b>raw</b>\n\n| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n",
        ] {
            let html = render(body);
            assert!(!html.contains("style="), "{html}");
            for side in ["left", "center", "right"] {
                assert!(
                    html.contains(&format!("<td class=\"align-{side}\">")),
                    "{html}"
                );
            }
        }
        let raw = render("<table><tr><td class=\"x\" style=\"color:red\">1</td></tr></table>");
        assert!(
            !raw.contains("style=") && !raw.contains("class=\"x"),
            "{raw}"
        );
        let relative =
            render("<a href=\"//evil.example/x\">a</a> <img src=\"\\\\evil.example/i.png\">");
        assert!(!relative.contains("evil"), "{relative}");
    }

    #[test]
    fn entry_links_are_found_with_their_place() {
        let text = "See [b](b.md#x), [web](https://a.org/x.md) and ![i](../datasets/c.md).";
        let links = entry_links(text);
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].0, "b.md#x");
        assert_eq!(&text[links[0].1.clone()], "b.md#x");
        assert_eq!(&text[links[1].1.clone()], "../datasets/c.md");
        assert_eq!(
            heading_ids("## A\n\n## A\n\n### B c\n"),
            ["a", "a-1", "b-c"]
        );
    }

    #[test]
    fn nesting_depth_counts_blocks_and_elements() {
        let deep = |n: usize| format!("{}x{}", "<div>".repeat(n), "</div>".repeat(n));
        // (text, whether it nests more than 5 levels)
        let cases: &[(String, bool)] = &[
            // The HTML block holding the elements is one level.
            (deep(4), false),
            (deep(5), true),
            ("<div>a</div>".repeat(50), false),
            ("<p>".repeat(50), false),
            ("<li>".repeat(50), false),
            ("<br>".repeat(50), false),
            ("<span/>".repeat(50), false),
            ("<b></b>".repeat(50), false),
            ("<!-- <div> -->".repeat(50), false),
            ("a < b and c<d, 1 <2".repeat(50), false),
            ("x <b>y</b> ".repeat(50), false),
            // A stray end tag closes nothing; names are case-insensitive.
            ("<div></span>".repeat(50), true),
            ("<DIV>".repeat(50), true),
            ("x <b>y ".repeat(50), true),
            ("> ".repeat(50), true),
            ("> - ".repeat(50), true),
        ];
        for (text, deeper) in cases {
            assert_eq!(too_deep(text, 5).is_some(), *deeper, "{text}");
        }
        let at = too_deep(&deep(10), 5).unwrap();
        assert_eq!(&deep(10)[at.start..at.start + 5], "<div>");
        assert_eq!(at.start, 20);
    }

    #[test]
    fn inline_drops_the_paragraph() {
        assert_eq!(render_inline("a *b*"), "a <em>b</em>");
    }

    #[test]
    fn link_targets_that_start_with_a_host_are_found() {
        for (dest, host) in [
            ("www.example.org", true),
            ("WWW.Example.org/page", true),
            ("example.org/page", true),
            ("example.org", true),
            ("physionet.org/content/x?y=1", true),
            ("https://www.example.org", false),
            ("//example.org", false),
            ("mailto:a@example.org", false),
            ("other.md", false),
            ("other.md#papers", false),
            ("figure.png", false),
            ("images/figure.png", false),
            ("#papers", false),
            ("../index.html", false),
            ("", false),
            ("a..org", false),
        ] {
            assert_eq!(looks_like_host(dest), host, "{dest}");
        }
    }
}
