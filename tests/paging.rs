//! Paged listings: a catalog of 1,151 small entries, written by the test, has more datasets
//! than one page of a listing (500) or of the label matrix (200 columns) holds. Each listing
//! is read page by page through its pager's links, as a reader without JavaScript would.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// Entries written besides the base fixture's one (`good`).
const ENTRIES: usize = 1150;

const VOCABULARY: &str = r#"
[modalities]
x-ray = { name = "X-ray radiography" }
ct = { name = "Computed tomography" }

[body_regions]
chest = { name = "Chest" }
brain = { name = "Brain" }
knee = { name = "Knee" }

[tasks]
classification = { name = "Classification" }
classification-2 = { name = "Classification, second kind" }
segmentation = { name = "Segmentation" }

[access]
open = { name = "Open" }
registration = { name = "Registration" }

[label_methods]
radiologist = { name = "Radiologist reading" }

[annotation_types]
image-labels = { name = "Image labels" }
"#;

/// Entry `i`: every one does classification, every eleventh also `classification-2`; every
/// second is CT and names labels, the others X-ray; its body region by `i % 5`; every
/// seventh has no image count.
fn entry(i: usize) -> String {
    let modality = if i.is_multiple_of(2) { "ct" } else { "x-ray" };
    let region = ["chest", "chest", "brain", "knee", "chest"][i % 5];
    let tasks = if i.is_multiple_of(11) {
        r#"["classification", "classification-2"]"#
    } else {
        r#"["classification"]"#
    };
    let mut text = format!(
        "+++\nname = \"Set {i:04}\"\nsummary = \"Entry {i}.\"\npublisher = \"P\"\n\
         homepage = \"https://example.org/{i}\"\nmodalities = [\"{modality}\"]\n\
         body_regions = [\"{region}\"]\ntasks = {tasks}\naccess = \"open\"\n"
    );
    if !i.is_multiple_of(7) {
        let _ = writeln!(text, "images = {}", 100 + i);
    }
    if i.is_multiple_of(2) {
        let _ = write!(
            text,
            "\n[[class_counts]]\ntitle = \"Split\"\nsource = \"https://example.org/{i}/split\"\n\
             splits = [\"All\"]\n[class_counts.labels]\nEffusion = [{i}]\n"
        );
    }
    text.push_str("+++\n\nA set.\n");
    text
}

fn big_catalog() -> tempfile::TempDir {
    let dir = common::catalog(None);
    let content = dir.path().join("content");
    fs::write(content.join("vocabulary.toml"), VOCABULARY).unwrap();
    let site = content.join("site.toml");
    let mut text = common::read(&site);
    text.push_str("base_url = \"https://example.org/atlas\"\n");
    fs::write(&site, text).unwrap();
    for i in 0..ENTRIES {
        let path = content.join(format!("datasets/set-{i:04}.md"));
        fs::write(path, entry(i)).unwrap();
    }
    dir
}

/// The `href`s in `html` between `start` and the next `end`, in order.
fn hrefs_in<'h>(html: &'h str, start: &str, end: &str) -> Vec<&'h str> {
    let Some(from) = html.find(start) else {
        return Vec::new();
    };
    let part = &html[from..];
    let part = &part[..part.find(end).unwrap()];
    part.split("href=\"")
        .skip(1)
        .map(|h| &h[..h.find('"').unwrap()])
        .collect()
}

/// The target of `rel` ("next", "prev") in the pager of `html`.
fn rel<'h>(html: &'h str, rel: &str) -> Option<&'h str> {
    let at = html.find(&format!("\" rel=\"{rel}\""))?;
    let before = &html[..at];
    Some(&before[before.rfind("href=\"").unwrap() + 6..])
}

/// A listing read through its pager from `first` (a path under `site`): each page's path and
/// the slugs of the datasets its table links to by name, checking on the way that every link
/// of each pager opens a file, that "previous" goes back, and that the pages say "page k of n".
fn read_listing(site: &Path, first: &str, table: &str) -> Vec<(String, Vec<String>)> {
    let mut pages = Vec::new();
    let mut path = first.to_string();
    loop {
        let html = common::read(&site.join(&path));
        let dir = Path::new(&path).parent().unwrap().to_path_buf();
        for href in hrefs_in(&html, "<nav class=\"pager\"", "</nav>") {
            assert!(site.join(&dir).join(href).is_file(), "{path}: {href}");
        }
        let slugs = hrefs_in(&html, table, "</table>")
            .into_iter()
            .filter_map(|h| h.rsplit_once("datasets/")?.1.strip_suffix(".html"))
            .map(str::to_string)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let previous = pages.last().map(|(p, _): &(String, _)| {
            Path::new(p)
                .file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .to_string()
        });
        assert_eq!(rel(&html, "prev").map(str::to_string), previous, "{path}");
        pages.push((path.clone(), slugs));
        match rel(&html, "next") {
            Some(next) => path = dir.join(next).to_str().unwrap().to_string(),
            None => break,
        }
    }
    let of = pages.len();
    if of > 1 {
        for (k, (path, _)) in pages.iter().enumerate() {
            let html = common::read(&site.join(path));
            let status = format!("Page {} of {of}:", k + 1);
            assert!(html.contains(&status), "{path}: no {status:?}");
        }
    }
    pages
}

/// Each slug of `expected` on exactly one page of `pages`, and no other.
fn once_each(pages: &[(String, Vec<String>)], expected: &BTreeSet<String>, what: &str) {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for (path, slugs) in pages {
        for slug in slugs {
            if let Some(other) = seen.insert(slug, path) {
                panic!("{what}: {slug} on {other} and {path}");
            }
        }
    }
    let seen: BTreeSet<String> = seen.keys().map(std::string::ToString::to_string).collect();
    assert_eq!(&seen, expected, "{what}");
}

fn slugs(filter: impl Fn(usize) -> bool) -> BTreeSet<String> {
    (0..ENTRIES)
        .filter(|&i| filter(i))
        .map(|i| format!("set-{i:04}"))
        .collect()
}

#[test]
fn every_listing_is_paged_and_shows_each_dataset_on_exactly_one_page() {
    let dir = big_catalog();
    let site = common::build(dir.path());
    let mut all = slugs(|_| true);
    all.insert("good".into());

    let index = read_listing(&site, "index.html", "<table class=\"catalog\"");
    let paths: Vec<&str> = index.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, ["index.html", "all-2.html", "all-3.html"]);
    assert_eq!(index[0].1.len(), 500);
    once_each(&index, &all, "index");

    let sizes = read_listing(&site, "sizes.html", "<table class=\"catalog\"");
    assert_eq!(sizes.len(), 3);
    once_each(&sizes, &all, "sizes");
    // The group of entries without an image count goes on where the last page begins.
    let last = common::read(&site.join("sizes-3.html"));
    assert!(last.contains("Size not yet checked"));

    let classification = read_listing(&site, "tasks/classification.html", "<table");
    let paths: Vec<&str> = classification.iter().map(|(p, _)| p.as_str()).collect();
    // tasks/classification-2.html is the page of the term `classification-2`.
    assert_eq!(
        paths,
        [
            "tasks/classification.html",
            "tasks/classification--2.html",
            "tasks/classification--3.html"
        ]
    );
    once_each(&classification, &all, "classification");
    let second = read_listing(&site, "tasks/classification-2.html", "<table");
    assert_eq!(second.len(), 1);
    once_each(
        &second,
        &slugs(|i| i.is_multiple_of(11)),
        "classification-2",
    );
    let html = common::read(&site.join("tasks/classification-2.html"));
    assert!(html.contains("105 datasets with task Classification, second kind"));
    assert!(!html.contains("class=\"pager\""), "one page, no pager");

    let ct = read_listing(&site, "modalities/ct.html", "<table");
    assert_eq!(ct.len(), 2);
    once_each(&ct, &slugs(|i| i.is_multiple_of(2)), "ct");

    let html = common::read(&site.join("index.html"));
    assert!(html.contains("All 1151 datasets, sorted by name: page 1 of 3"));
    assert!(html.contains("Page 1 of 3: datasets 1–500 of 1,151"));
    // The "browse by" counts are those of every page.
    assert!(html.contains("Classification</a> <span class=\"count\">1151</span>"));
    let html = common::read(&site.join("all-3.html"));
    assert!(html.contains("Page 3 of 3: datasets 1,001–1,151 of 1,151"));
}

#[test]
fn the_label_matrix_is_paged_by_body_region_and_each_page_filters() {
    let dir = big_catalog();
    let site = common::build(dir.path());
    let pages = read_listing(&site, "labels.html", "<table class=\"matrix\"");
    // Labelled: `good` and every second entry: 346 in chest, 115 in brain, 115 in knee.
    let mut labelled = slugs(|i| i.is_multiple_of(2));
    labelled.insert("good".into());
    once_each(&pages, &labelled, "matrix");
    // Chest fills a page and part of the next; brain does not fit beside it and starts a
    // page, and so does knee after brain.
    let sizes: Vec<usize> = pages.iter().map(|(_, s)| s.len()).collect();
    assert_eq!(sizes, [200, 146, 115, 115]);
    for (k, region) in ["Chest", "Chest", "Brain", "Knee"].iter().enumerate() {
        let html = common::read(&site.join(&pages[k].0));
        assert!(html.contains("id=\"matrix-filters\""), "{k}");
        assert!(html.contains("matrix.js"), "{k}");
        assert!(html.contains(&format!("This page: {region}.")), "{k}");
        let status = format!("labelled datasets {}–", [1, 201, 347, 462][k]);
        assert!(html.contains(&status), "{k}: {status}");
    }
}

#[test]
fn the_sitemap_lists_each_next_page_after_its_first() {
    let dir = big_catalog();
    let site = common::build(dir.path());
    let sitemap = common::read(&site.join("sitemap.xml"));
    let locs: Vec<&str> = sitemap
        .split("<loc>https://example.org/atlas/")
        .skip(1)
        .map(|l| &l[..l.find("</loc>").unwrap()])
        .collect();
    let at = |path: &str| {
        locs.iter()
            .position(|l| *l == path)
            .unwrap_or_else(|| panic!("{path} not in the sitemap"))
    };
    assert_eq!(at("all-2.html"), at("index.html") + 1);
    assert_eq!(at("all-3.html"), at("index.html") + 2);
    assert_eq!(at("sizes-2.html"), at("sizes.html") + 1);
    assert_eq!(at("labels-2.html"), at("labels.html") + 1);
    assert_eq!(
        at("tasks/classification--2.html"),
        at("tasks/classification.html") + 1
    );
    for loc in &locs {
        assert!(site.join(loc).is_file(), "{loc}");
    }
}
