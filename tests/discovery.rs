//! Discovery: what search engines, feed readers and social sites read. With a `base_url`, every
//! HTML page but the 404 page has a canonical link and OpenGraph tags naming its own absolute
//! address, the sitemap lists exactly those addresses, and the Atom feed (parsed back as XML)
//! holds the 50 datasets checked last, newest first; robots.txt names the sitemap. Without one,
//! none of these is written and the build says so once.

mod common;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

const BASE: &str = "https://example.org/atlas";
const ATOM: &str = "http://www.w3.org/2005/Atom";

/// Entries written besides the base fixture's `good` (which has no `checked` date): more than
/// one page of a listing (500), so that the next pages (`all-2.html`) are there too.
const ENTRIES: usize = 510;

/// The date entry `i` was checked: 40 different days, so that several share one; every 97th
/// entry has none.
fn checked(i: usize) -> Option<String> {
    if i % 97 == 5 {
        return None;
    }
    let day = (i * 13) % 40;
    Some(format!("2025-{:02}-{:02}", 1 + day / 28, 1 + day % 28))
}

fn entry(i: usize) -> String {
    let modality = if i.is_multiple_of(2) { "ct" } else { "x-ray" };
    let mut text = format!(
        "+++\nname = \"Set {i:04} & <co>\"\nsummary = \"Entry {i}: \\\"quoted\\\" & more.\"\n\
         publisher = \"P\"\nhomepage = \"https://example.org/{i}\"\n\
         modalities = [\"{modality}\"]\nbody_regions = [\"chest\"]\ntasks = [\"classification\"]\n\
         access = \"open\"\n"
    );
    if let Some(date) = checked(i) {
        let _ = writeln!(text, "checked = {date}");
    }
    text.push_str("+++\n\nA set.\n");
    text
}

fn catalog_with_base_url() -> tempfile::TempDir {
    let dir = common::catalog(None);
    let content = dir.path().join("content");
    let site = content.join("site.toml");
    fs::write(
        &site,
        common::read(&site) + &format!("base_url = \"{BASE}/\"\n"),
    )
    .unwrap();
    for i in 0..ENTRIES {
        fs::write(content.join(format!("datasets/set-{i:04}.md")), entry(i)).unwrap();
    }
    dir
}

/// Every HTML file of the site, by its path relative to the site (`/`-separated).
fn html_pages(public: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(public)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let path = e.path().strip_prefix(public).unwrap();
            let path = path.to_str().unwrap().replace('\\', "/");
            (path, common::read(e.path()))
        })
        .collect()
}

/// The `content` of every `<meta property="NAME">` (or `name="NAME"`) of the page's head.
fn metas<'h>(html: &'h str, name: &str) -> Vec<&'h str> {
    let head = &html[..html.find("</head>").unwrap()];
    let mut found = Vec::new();
    for attribute in [format!("property=\"{name}\""), format!("name=\"{name}\"")] {
        for (at, _) in head.match_indices(&format!("<meta {attribute} content=\"")) {
            let rest = &head[at + attribute.len() + 16..];
            found.push(&rest[..rest.find('"').unwrap()]);
        }
    }
    found
}

/// The `href` of every `<link rel="canonical">` of the page.
fn canonicals(html: &str) -> Vec<&str> {
    html.match_indices("<link rel=\"canonical\" href=\"")
        .map(|(at, m)| {
            let rest = &html[at + m.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

/// The text of the page's `<title>`.
fn title(html: &str) -> &str {
    let start = html.find("<title>").unwrap() + 7;
    &html[start..start + html[start..].find("</title>").unwrap()]
}

#[test]
fn with_a_base_url_every_page_names_its_own_address_and_the_sitemap_lists_them() {
    let dir = catalog_with_base_url();
    let public = common::build(dir.path());
    let pages = html_pages(&public);
    assert!(public.join("all-2.html").is_file() && public.join("sizes-2.html").is_file());
    let mut addresses = BTreeSet::new();
    for (path, html) in &pages {
        if path == "404.html" {
            assert!(canonicals(html).is_empty() && metas(html, "og:url").is_empty());
            assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"));
            continue;
        }
        let own = format!("{BASE}/{path}");
        assert_eq!(canonicals(html), [own.as_str()], "{path}");
        assert_eq!(metas(html, "og:url"), [own.as_str()], "{path}");
        assert_eq!(metas(html, "og:title"), [title(html)], "{path}");
        assert_eq!(metas(html, "og:type"), ["website"], "{path}");
        assert_eq!(metas(html, "og:site_name"), ["Fixture catalog"], "{path}");
        assert_eq!(metas(html, "og:description").len(), 1, "{path}");
        assert_eq!(
            metas(html, "twitter:card"),
            ["summary_large_image"],
            "{path}"
        );
        let image = format!("{BASE}/social.png");
        assert_eq!(metas(html, "og:image"), [image.as_str()], "{path}");
        let root = "../".repeat(path.matches('/').count());
        let feed = format!(
            "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Fixture catalog\" \
             href=\"{root}feed.xml\">"
        );
        assert!(html.contains(&feed), "{path}");
        addresses.insert(own);
    }
    let page = &pages
        .iter()
        .find(|(p, _)| p == "datasets/set-0003.html")
        .unwrap()
        .1;
    assert_eq!(
        metas(page, "og:description"),
        ["Entry 3: &quot;quoted&quot; &amp; more."]
    );
    assert!(public.join("social.png").is_file());

    let sitemap = common::read(&public.join("sitemap.xml"));
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let listed: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap().to_string())
        .collect();
    assert_eq!(listed.len(), addresses.len(), "each page once");
    assert_eq!(
        listed.into_iter().collect::<BTreeSet<_>>(),
        addresses,
        "the sitemap lists every page with a canonical address"
    );
    assert_eq!(
        common::read(&public.join("robots.txt")),
        format!("User-agent: *\nAllow: /\n\nSitemap: {BASE}/sitemap.xml\n")
    );
    feed_holds_the_newest_checked_entries(&public);
}

/// The text of the one child `name` (in the Atom namespace) of `node`.
fn child<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> roxmltree::Node<'a, 'a> {
    let mut found = node.children().filter(|c| c.has_tag_name((ATOM, name)));
    let first = found.next().unwrap_or_else(|| panic!("no <{name}>"));
    assert!(found.next().is_none(), "one <{name}>");
    first
}

fn text<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> &'a str {
    child(node, name).text().unwrap_or_default()
}

/// The `href` of the `<link>` of `node` with this `rel`.
fn link<'a>(node: roxmltree::Node<'a, 'a>, rel: &str) -> &'a str {
    node.children()
        .find(|c| c.has_tag_name((ATOM, "link")) && c.attribute("rel") == Some(rel))
        .and_then(|c| c.attribute("href"))
        .unwrap_or_else(|| panic!("no link rel={rel}"))
}

fn feed_holds_the_newest_checked_entries(public: &Path) {
    let xml = common::read(&public.join("feed.xml"));
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let feed = doc.root_element();
    assert!(feed.has_tag_name((ATOM, "feed")));
    assert_eq!(text(feed, "title"), "Fixture catalog");
    assert_eq!(text(feed, "id"), format!("{BASE}/feed.xml"));
    assert_eq!(link(feed, "self"), format!("{BASE}/feed.xml"));
    assert_eq!(link(feed, "alternate"), format!("{BASE}/index.html"));
    assert_eq!(text(child(feed, "author"), "name"), "Fixture catalog");

    // The expected entries: dated ones by date, newest first, then by name; at most 50.
    let mut dated: Vec<(String, usize)> = (0..ENTRIES)
        .filter_map(|i| Some((checked(i)?, i)))
        .collect();
    dated.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    dated.truncate(50);
    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.has_tag_name((ATOM, "entry")))
        .collect();
    assert_eq!(entries.len(), 50, "the feed is bounded");
    assert_eq!(
        text(feed, "updated"),
        format!("{}T00:00:00Z", dated[0].0),
        "the feed is as new as its newest entry"
    );
    for (entry, (date, i)) in entries.iter().zip(&dated) {
        let url = format!("{BASE}/datasets/set-{i:04}.html");
        assert_eq!(text(*entry, "title"), format!("Set {i:04} & <co>"));
        assert_eq!(text(*entry, "id"), url);
        assert_eq!(link(*entry, "alternate"), url);
        assert_eq!(text(*entry, "updated"), format!("{date}T00:00:00Z"));
        assert_eq!(
            text(*entry, "summary"),
            format!("Entry {i}: \"quoted\" & more.")
        );
    }
    // The feed's own elements come before its entries.
    let names: Vec<&str> = feed
        .children()
        .filter(roxmltree::Node::is_element)
        .map(|c| c.tag_name().name())
        .collect();
    let first_entry = names.iter().position(|n| *n == "entry").unwrap();
    assert!(
        names[first_entry..].iter().all(|n| *n == "entry"),
        "{names:?}"
    );
}

#[test]
fn without_a_base_url_the_absolute_outputs_are_left_out_and_the_build_says_so_once() {
    let dir = common::catalog(None);
    let entry = dir.path().join("content/datasets/good.md");
    let text = common::read(&entry).replace("patients = 40", "patients = 40\nchecked = 2025-03-01");
    fs::write(&entry, text).unwrap();
    for _ in ["built", "up to date"] {
        let output = common::medatlas(dir.path(), &["build"]);
        let stderr = common::stderr(&output);
        assert!(output.status.success(), "{stderr}");
        assert_eq!(stderr.matches("base_url").count(), 2, "one note: {stderr}");
        assert_eq!(stderr.matches("note:").count(), 1, "{stderr}");
        assert!(
            stderr.contains(
                "sitemap.xml, feed.xml, canonical links, OpenGraph and Twitter card tags"
            ),
            "{stderr}"
        );
        assert!(stderr.contains("content/site.toml"), "{stderr}");
    }
    let public = dir.path().join("public");
    for absent in ["sitemap.xml", "feed.xml"] {
        assert!(!public.join(absent).exists(), "{absent}");
    }
    assert_eq!(
        common::read(&public.join("robots.txt")),
        "User-agent: *\nAllow: /\n"
    );
    let pages = html_pages(&public);
    assert!(pages.len() > 5);
    for (path, html) in &pages {
        for absent in [
            "rel=\"canonical\"",
            "property=\"og:",
            "twitter:",
            "application/atom+xml",
        ] {
            assert!(!html.contains(absent), "{path} has {absent}");
        }
    }

    // With a base_url, no note.
    let site = dir.path().join("content/site.toml");
    fs::write(
        &site,
        common::read(&site) + &format!("base_url = \"{BASE}\"\n"),
    )
    .unwrap();
    let output = common::medatlas(dir.path(), &["build"]);
    let stderr = common::stderr(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("note:"), "{stderr}");
    assert!(public.join("feed.xml").is_file() && public.join("sitemap.xml").is_file());
}

#[test]
fn a_catalog_without_checked_dates_has_no_feed() {
    let dir = common::catalog(None);
    let site = dir.path().join("content/site.toml");
    fs::write(
        &site,
        common::read(&site) + &format!("base_url = \"{BASE}\"\n"),
    )
    .unwrap();
    let public = common::build(dir.path());
    assert!(public.join("sitemap.xml").is_file());
    assert!(!public.join("feed.xml").exists());
    let index = common::read(&public.join("index.html"));
    assert!(!index.contains("application/atom+xml"));
    assert_eq!(canonicals(&index), [format!("{BASE}/index.html").as_str()]);
}
