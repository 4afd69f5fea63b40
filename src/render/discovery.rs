//! Discovery: the files search engines and feed readers read, written by plain string building
//! from borrowed data: `sitemap.xml` (an index of `sitemap-N.xml` files beyond 50,000 pages), the
//! Atom feed `feed.xml` and `robots.txt`. The head tags
//! that go with them (the canonical link, OpenGraph and Twitter card tags, the feed's
//! `<link rel="alternate">`) are in `templates/base.html`, from the absolute addresses of
//! [`crate::derive::SiteView`] and each page's own.
//!
//! Everything here but `robots.txt` needs absolute URLs, hence `base_url`; without it those
//! outputs are left out and [`missing_base_url`] is the build's one note that says so.

use crate::common::html::escape_html;
use crate::derive::SiteData;
use crate::model::{Catalog, Dataset, Date, Facet};

/// The most entries the feed holds: the newest, as Zola and Hugo bound theirs, so that the
/// file stays small however large the catalog.
pub(crate) const FEED_ENTRIES: usize = 50;

/// The note a build without `base_url` gives, once: what was left out and how to set it.
pub(crate) fn missing_base_url(base_url: Option<&str>) -> Option<String> {
    base_url.is_none().then(|| {
        "note: content/site.toml sets no `base_url`, so the outputs that need absolute URLs were \
         left out: sitemap.xml, feed.xml, canonical links, OpenGraph and Twitter card tags, and \
         the Sitemap line of robots.txt\n  help: add the address the site is published at to \
         content/site.toml, e.g. `base_url = \"https://example.org/atlas\"`"
            .to_string()
    })
}

/// The datasets of the feed: those with a `checked` date, newest first (the same date in
/// catalog order), at most [`FEED_ENTRIES`] of them.
pub(crate) fn feed_entries(catalog: &Catalog) -> Vec<&Dataset> {
    let mut dated: Vec<(std::cmp::Reverse<Date>, usize)> = catalog
        .datasets
        .iter()
        .enumerate()
        .filter_map(|(i, d)| Some((std::cmp::Reverse(d.checked?), i)))
        .collect();
    if dated.len() > FEED_ENTRIES {
        dated.select_nth_unstable(FEED_ENTRIES);
        dated.truncate(FEED_ENTRIES);
    }
    dated.sort_unstable();
    dated
        .into_iter()
        .map(|(_, i)| &catalog.datasets[i])
        .collect()
}

/// Hash what the feed shows of a dataset (not its body, numbers or tables: editing them
/// leaves the feed as it is); term names are site-wide inputs.
pub(crate) fn hash_entry(d: &Dataset, hasher: &mut impl std::hash::Hasher) {
    use std::hash::Hash;
    (&d.slug, &d.name, &d.summary).hash(hasher);
    d.checked.map(|c| (c.year, c.month, c.day)).hash(hasher);
    d.modalities.iter().for_each(|m| m.value.hash(hasher));
}

/// The sitemap (<https://www.sitemaps.org/protocol.html>) of these paths.
pub(crate) fn sitemap(paths: &[String], base: &str) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in paths {
        xml.push_str("  <url><loc>");
        xml.push_str(&escape_html(&format!("{base}/{path}")));
        xml.push_str("</loc></url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// The sitemap index of a sitemap in `files` files (`sitemap-1.xml`, ...).
pub(crate) fn sitemap_index(files: usize, base: &str) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for n in 1..=files {
        xml.push_str("  <sitemap><loc>");
        xml.push_str(&escape_html(&format!("{base}/sitemap-{n}.xml")));
        xml.push_str("</loc></sitemap>\n");
    }
    xml.push_str("</sitemapindex>\n");
    xml
}

/// `robots.txt`: every path may be crawled; with a base URL, where the sitemap is.
pub(crate) fn robots(base_url: Option<&str>) -> String {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    if let Some(base) = base_url {
        text.push_str(&format!("\nSitemap: {base}/sitemap.xml\n"));
    }
    text
}

/// The Atom feed (RFC 4287) of `entries` (newest first, at least one): the datasets by the
/// date their numbers were last checked against the sources. It is `updated` at its newest
/// entry's date, so the same catalog always gives the same file.
pub(crate) fn feed(entries: &[&Dataset], data: &SiteData, base: &str) -> String {
    let site = &data.site;
    let newest = entries
        .first()
        .and_then(|d| d.checked)
        .map(timestamp)
        .unwrap_or_default();
    let mut xml = String::with_capacity(1024 + 600 * entries.len());
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">\n");
    element(&mut xml, "  ", "title", &site.title);
    element(&mut xml, "  ", "subtitle", &site.description);
    element(&mut xml, "  ", "id", &format!("{base}/feed.xml"));
    link(
        &mut xml,
        "  ",
        "self",
        "application/atom+xml",
        &format!("{base}/feed.xml"),
    );
    link(
        &mut xml,
        "  ",
        "alternate",
        "text/html",
        &format!("{base}/index.html"),
    );
    element(&mut xml, "  ", "updated", &newest);
    xml.push_str("  <author>\n");
    element(&mut xml, "    ", "name", &site.title);
    element(&mut xml, "    ", "uri", &format!("{base}/index.html"));
    xml.push_str("  </author>\n");
    element(&mut xml, "  ", "generator", site.generator);
    for d in entries {
        entry(&mut xml, d, data, base);
    }
    xml.push_str("</feed>\n");
    xml
}

/// One dataset as an `<entry>`: its page is its id and its link, its summary the summary.
fn entry(xml: &mut String, d: &Dataset, data: &SiteData, base: &str) {
    let url = format!("{base}/{}", crate::common::paths::dataset_path(&d.slug));
    xml.push_str("  <entry>\n");
    element(xml, "    ", "title", &d.name);
    element(xml, "    ", "id", &url);
    link(xml, "    ", "alternate", "text/html", &url);
    element(
        xml,
        "    ",
        "updated",
        &d.checked.map(timestamp).unwrap_or_default(),
    );
    element(xml, "    ", "summary", &d.summary);
    for modality in &d.modalities {
        let term = data.term(Facet::Modality, &modality.value);
        xml.push_str(&format!(
            "    <category term=\"{}\" label=\"{}\"/>\n",
            xml_text(&term.id),
            xml_text(&term.name)
        ));
    }
    xml.push_str("  </entry>\n");
}

/// A date as an RFC 3339 timestamp, at midnight UTC.
fn timestamp(date: Date) -> String {
    format!("{}T00:00:00Z", date.iso())
}

/// `<name>text</name>` on a line of its own.
fn element(xml: &mut String, indent: &str, name: &str, text: &str) {
    xml.push_str(&format!("{indent}<{name}>{}</{name}>\n", xml_text(text)));
}

/// `<link rel="..." type="..." href="..."/>` on a line of its own.
fn link(xml: &mut String, indent: &str, rel: &str, kind: &str, href: &str) {
    xml.push_str(&format!(
        "{indent}<link rel=\"{rel}\" type=\"{kind}\" href=\"{}\"/>\n",
        xml_text(href)
    ));
}

/// Text escaped for XML content and attribute values, without the characters XML 1.0 does not
/// allow (control characters but tab and line breaks, lone surrogates cannot occur in a
/// `str`, U+FFFE and U+FFFF), which a TOML string may hold as escapes.
fn xml_text(text: &str) -> String {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
    };
    if text.chars().all(allowed) {
        return escape_html(text);
    }
    escape_html(&text.chars().filter(|&c| allowed(c)).collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_escapes_markup_and_drops_what_xml_forbids() {
        assert_eq!(xml_text("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
        assert_eq!(xml_text("x\u{1}y\u{FFFF}\tz"), "xy\tz");
    }

    #[test]
    fn a_sitemap_index_lists_its_files() {
        let index = sitemap_index(2, "https://example.org/a&b");
        assert!(
            index.contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">")
        );
        assert!(index.contains("<sitemap><loc>https://example.org/a&amp;b/sitemap-1.xml</loc></sitemap>\n  <sitemap><loc>https://example.org/a&amp;b/sitemap-2.xml</loc></sitemap>\n</sitemapindex>"), "{index}");
        let urls = sitemap(&["index.html".into()], "https://example.org");
        assert!(urls.contains("<url><loc>https://example.org/index.html</loc></url>"));
    }

    #[test]
    fn robots_names_the_sitemap_only_with_a_base_url() {
        assert_eq!(robots(None), "User-agent: *\nAllow: /\n");
        assert!(
            robots(Some("https://example.org/atlas"))
                .ends_with("\nSitemap: https://example.org/atlas/sitemap.xml\n")
        );
    }

    #[test]
    fn the_note_is_given_only_without_a_base_url() {
        assert!(missing_base_url(Some("https://example.org")).is_none());
        let note = missing_base_url(None).unwrap();
        assert!(
            note.contains("sitemap.xml") && note.contains("base_url = "),
            "{note}"
        );
    }
}
