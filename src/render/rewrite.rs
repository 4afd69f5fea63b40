//! Rewrite: a page of the site made into a section of the single-file edition, by rewriting the
//! values of its link and id attributes.
//!
//! The HTML it reads is the generator's own: templates rendered by Tera (attribute values
//! escaped and double-quoted) and Markdown bodies serialised by ammonia. [`rewrite`] walks its
//! tags, copies comments and the raw text of `script` and `style` elements as they are, and
//! hands each attribute value to a [`Links`]: a relative link (`../datasets/x.html#papers`) is
//! resolved against the page's path and mapped to a fragment of the single file, an id
//! (`papers`) and the ids an attribute refers to (`for`, `aria-labelledby`, ...) get the
//! section's prefix, so that the ids of many pages can share one file.

/// Attributes holding one URL.
const URL_ATTRIBUTES: &[&str] = &["href", "src"];

/// Attributes holding ids of the same document, separated by spaces.
const ID_REF_ATTRIBUTES: &[&str] = &[
    "for",
    "headers",
    "list",
    "form",
    "aria-labelledby",
    "aria-describedby",
    "aria-controls",
    "aria-owns",
    "aria-activedescendant",
    "aria-details",
    "aria-errormessage",
    "aria-flowto",
];

/// What becomes of a page's links and ids in the single file.
pub(crate) trait Links {
    /// The new value of a URL attribute (`href`, `src`) holding `url`; `None` drops the
    /// attribute (a link to a file the single file does not hold).
    fn url(&self, url: &str) -> Option<String>;
    /// The new value of an id (of an `id` attribute, or one referred to).
    fn id(&self, id: &str) -> String;
}

/// `html` with its link and id attributes rewritten by `links`.
pub(crate) fn rewrite(html: &str, links: &impl Links) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if rest.starts_with("<!--") {
            let end = rest.find("-->").map_or(rest.len(), |e| e + 3);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        let Some(end) = tag_end(rest) else {
            out.push('<');
            rest = &rest[1..];
            continue;
        };
        let tag = &rest[..end];
        rest = &rest[end..];
        rewrite_tag(tag, links, &mut out);
        let name = tag_name(tag);
        if ["script", "style"]
            .iter()
            .any(|raw| name.eq_ignore_ascii_case(raw))
        {
            let close = find_close(rest, name).unwrap_or(rest.len());
            out.push_str(&rest[..close]);
            rest = &rest[close..];
        }
    }
    out.push_str(rest);
    out
}

/// The length of the tag `text` starts with (`<` to its `>`, quoted values skipped), if it
/// starts with a start or end tag or a declaration.
fn tag_end(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let first = *bytes.get(1)?;
    if !(first.is_ascii_alphabetic() || first == b'/' || first == b'!') {
        return None;
    }
    let mut quote = None;
    for (i, &b) in bytes.iter().enumerate().skip(1) {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            (None, b'>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// The name of a start tag (empty for an end tag or a declaration).
fn tag_name(tag: &str) -> &str {
    let name = &tag[1..];
    let end = name
        .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
        .unwrap_or(name.len());
    &name[..end]
}

/// Where the end tag `</name` starts in `text`, whatever its case.
fn find_close(text: &str, name: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(at) = text[from..].find("</") {
        let start = from + at;
        let after = &bytes[start + 2..];
        if after.len() >= name.len() && after[..name.len()].eq_ignore_ascii_case(name.as_bytes()) {
            return Some(start);
        }
        from = start + 2;
    }
    None
}

/// Copy `tag` to `out`, its link and id attributes rewritten.
fn rewrite_tag(tag: &str, links: &impl Links, out: &mut String) {
    let name = tag_name(tag);
    if name.is_empty() {
        out.push_str(tag);
        return;
    }
    let mut copied = 0;
    for attribute in attributes(tag, 1 + name.len()) {
        let new = rewritten(&attribute, links);
        if new
            .as_ref()
            .is_some_and(|v| v.as_deref() == Some(attribute.value))
        {
            continue;
        }
        let Some(new) = new else { continue };
        match new {
            Some(value) => {
                out.push_str(&tag[copied..attribute.value_start]);
                out.push_str(&value);
                copied = attribute.value_start + attribute.value.len();
            }
            None => {
                out.push_str(tag[copied..attribute.start].trim_end());
                copied = attribute.end;
            }
        }
    }
    out.push_str(&tag[copied..]);
}

/// The new value of an attribute: `None` to keep it, `Some(None)` to drop it.
fn rewritten(attribute: &Attribute<'_>, links: &impl Links) -> Option<Option<String>> {
    let name = attribute.name;
    if URL_ATTRIBUTES.iter().any(|a| name.eq_ignore_ascii_case(a)) {
        return Some(links.url(attribute.value));
    }
    if name.eq_ignore_ascii_case("id") {
        return Some(Some(links.id(attribute.value)));
    }
    if ID_REF_ATTRIBUTES
        .iter()
        .any(|a| name.eq_ignore_ascii_case(a))
    {
        let ids: Vec<String> = attribute
            .value
            .split_ascii_whitespace()
            .map(|id| links.id(id))
            .collect();
        return Some(Some(ids.join(" ")));
    }
    None
}

/// One quoted attribute of a tag: its name, its value, and where they are in the tag.
struct Attribute<'t> {
    name: &'t str,
    value: &'t str,
    /// Where the attribute starts (its name) and ends (after its closing quote).
    start: usize,
    end: usize,
    value_start: usize,
}

/// The attributes of `tag` with a quoted value, after its name (which ends at `from`).
fn attributes(tag: &str, from: usize) -> Vec<Attribute<'_>> {
    let bytes = tag.as_bytes();
    let mut found = Vec::new();
    let mut i = from;
    while i < bytes.len() {
        if !(bytes[i].is_ascii_alphabetic()) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !matches!(bytes[i], b'=' | b'>' | b'/' | b' ' | b'\t' | b'\n') {
            i += 1;
        }
        let name = &tag[start..i];
        if bytes.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        let Some(&quote) = bytes.get(i).filter(|q| matches!(q, b'"' | b'\'')) else {
            // An unquoted value: skipped, never rewritten.
            while i < bytes.len() && !matches!(bytes[i], b'>' | b' ' | b'\t' | b'\n') {
                i += 1;
            }
            continue;
        };
        let value_start = i + 1;
        let Some(len) = tag[value_start..].find(quote as char) else {
            break;
        };
        i = value_start + len + 1;
        found.push(Attribute {
            name,
            value: &tag[value_start..value_start + len],
            start,
            end: i,
            value_start,
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Prefix;

    impl Links for Prefix {
        fn url(&self, url: &str) -> Option<String> {
            match url.strip_prefix('#') {
                Some(id) => Some(format!("#p--{id}")),
                None if url.starts_with("https:") => Some(url.to_string()),
                None if url == "gone.html" => None,
                None => Some(format!("#{}", url.trim_end_matches(".html"))),
            }
        }
        fn id(&self, id: &str) -> String {
            format!("p--{id}")
        }
    }

    #[test]
    fn links_and_ids_are_rewritten_and_everything_else_is_kept() {
        let html = "<h2 id=\"facts\"><a class=\"anchor\" href=\"#facts\">#</a></h2>\n\
            <p>a href=\"x.html\" in text &amp; <a href='other.html' title=\"a > b\">o</a> \
            <a class=\"x\" href=\"gone.html\" download>g</a> <a href=\"https://a.org/\">w</a></p>\
            <svg aria-labelledby=\"t d\"><title id=\"t\">T</title></svg><label for=\"q\">Q</label>\
            <!-- <a href=\"c.html\"> --><script>var s = '<a href=\"s.html\">';</script>\
            <STYLE>a[href=\"y.html\"]{}</STYLE><input disabled value=x>";
        assert_eq!(
            rewrite(html, &Prefix),
            "<h2 id=\"p--facts\"><a class=\"anchor\" href=\"#p--facts\">#</a></h2>\n\
            <p>a href=\"x.html\" in text &amp; <a href='#other' title=\"a > b\">o</a> \
            <a class=\"x\" download>g</a> <a href=\"https://a.org/\">w</a></p>\
            <svg aria-labelledby=\"p--t p--d\"><title id=\"p--t\">T</title></svg><label for=\"p--q\">Q</label>\
            <!-- <a href=\"c.html\"> --><script>var s = '<a href=\"s.html\">';</script>\
            <STYLE>a[href=\"y.html\"]{}</STYLE><input disabled value=x>"
        );
    }

    #[test]
    fn a_lone_angle_bracket_is_text() {
        assert_eq!(
            rewrite("1 < 2 <a href=\"#x\">", &Prefix),
            "1 < 2 <a href=\"#p--x\">"
        );
        assert_eq!(rewrite("<a href=\"#x\"", &Prefix), "<a href=\"#x\"");
    }
}
