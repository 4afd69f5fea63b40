//! Whole-page snapshots: one output file of each kind, built from the browse fixture (with a
//! `base_url` and a `repository`, so that the sitemap, the feed, canonical links, social tags and edit links appear),
//! must equal its copy under tests/snapshots/. No change to a page goes unnoticed: after a
//! deliberate one, run `UPDATE_EXPECT=1 cargo test --test snapshots` and review the diff.

mod common;

use std::fs;

/// One file of each kind the build writes (static files are copied verbatim and not listed).
const KINDS: &[&str] = &[
    "index.html",
    "sizes.html",
    "datasets/alpha-cxr.html",
    "datasets/delta-cxr.html",
    "datasets/alpha-cxr.croissant.json",
    "modalities/x-ray.html",
    "body-regions/chest.html",
    "tasks/classification.html",
    "access/open.html",
    "label-methods/consensus.html",
    "labels.html",
    "compare.html",
    "lineage.html",
    "compare-data/0.js",
    "tasks.html",
    "404.html",
    "search-index.js",
    "search/d-0.js",
    "search/p-ef.js",
    "search/l-e.js",
    "search/sort-size.js",
    "catalog.csv",
    "catalog.json",
    "citations.bib",
    "citations.json",
    "sitemap.xml",
    "feed.xml",
    "robots.txt",
];

#[test]
fn one_page_of_each_kind_matches_its_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&common::fixtures().join("browse"), dir.path());
    let site = dir.path().join("content/site.toml");
    let settings = common::read(&site)
        + "base_url = \"https://atlas.example.org\"\nrepository = \"https://github.com/example/atlas\"\n";
    fs::write(&site, settings).unwrap();
    let public = common::build(dir.path());
    let snapshots = common::manifest_dir().join("tests/snapshots");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut differ = Vec::new();
    for kind in KINDS {
        let built = common::read(&public.join(kind));
        let snapshot = snapshots.join(kind);
        if update {
            fs::create_dir_all(snapshot.parent().unwrap()).unwrap();
            fs::write(&snapshot, &built).unwrap();
        } else if fs::read_to_string(&snapshot).ok().as_deref() != Some(built.as_str()) {
            differ.push(*kind);
        }
    }
    assert!(
        differ.is_empty(),
        "pages differ from tests/snapshots/: {differ:?}; after a deliberate change run \
         UPDATE_EXPECT=1 cargo test --test snapshots and review the diff"
    );
}
