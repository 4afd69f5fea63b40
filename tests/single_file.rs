//! The single-file edition (`build --single-file`): written from the browse fixture, it holds
//! every dataset, refers to no other file, runs only its own hashed scripts, and, opened from
//! disk in headless Chromium, shows search results for a fragment query and one section at a
//! time, with no request for any other file. Its path is refused where a site may not go.

mod common;

#[path = "common/browser.rs"]
mod browser;

use std::fs;
use std::path::{Path, PathBuf};

use base64::Engine as _;

/// The browse fixture in a scratch directory, with its single file written to `x/catalog.html`.
fn single_file() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("cat");
    common::copy_tree(&common::fixtures().join("browse"), &root);
    let file = dir.path().join("x/catalog.html");
    let built = common::medatlas(&root, &["build", "--single-file", file.to_str().unwrap()]);
    assert!(built.status.success(), "{}", common::stderr(&built));
    assert!(
        common::stderr(&built).contains("wrote 5 datasets into"),
        "{}",
        common::stderr(&built)
    );
    (dir, file)
}

/// The slugs of the fixture's entries.
fn slugs() -> Vec<String> {
    let mut slugs: Vec<String> = fs::read_dir(common::fixtures().join("browse/content/datasets"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    slugs.sort();
    slugs
}

/// One tag of an HTML text: its name and its quoted attributes.
struct Tag {
    name: String,
    attributes: Vec<(String, String)>,
}

/// The start tags of `html`, comments skipped and the text of `script` and `style` elements
/// (whose tags are kept) read as text, as a browser reads them.
fn tags(html: &str) -> (Vec<Tag>, Vec<(Tag, String)>) {
    let mut found = Vec::new();
    let mut raw = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.split_once("-->").map_or("", |(_, after)| after);
            continue;
        }
        let Some(end) = rest.find('>') else { break };
        let text = &rest[1..end];
        rest = &rest[end + 1..];
        if !text.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let name: String = text
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        let mut attributes = Vec::new();
        let mut attrs = &text[name.len()..];
        while let Some(eq) = attrs.find("=\"") {
            let key = attrs[..eq].rsplit(' ').next().unwrap().to_ascii_lowercase();
            let value_end = attrs[eq + 2..].find('"').unwrap();
            attributes.push((key, attrs[eq + 2..eq + 2 + value_end].to_string()));
            attrs = &attrs[eq + 2 + value_end + 1..];
        }
        let tag = Tag { name, attributes };
        if tag.name == "script" || tag.name == "style" {
            let close = format!("</{}", tag.name);
            let end = rest.find(&close).unwrap();
            raw.push((tag, rest[..end].to_string()));
            rest = &rest[end..];
        } else {
            found.push(tag);
        }
    }
    (found, raw)
}

impl Tag {
    fn get(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

#[test]
fn the_single_file_holds_every_dataset_and_refers_to_no_other_file() {
    let (dir, file) = single_file();
    let html = common::read(&file);
    assert!(
        !dir.path().join("cat/public").exists(),
        "the site is not written"
    );
    let (tags, raw) = tags(&html);
    let ids: Vec<&str> = tags.iter().filter_map(|t| t.get("id")).collect();
    for slug in slugs() {
        let section = format!("d-{slug}");
        assert_eq!(
            ids.iter().filter(|id| **id == section).count(),
            1,
            "one section for {slug}"
        );
    }
    let mut seen = std::collections::HashSet::new();
    for id in &ids {
        assert!(seen.insert(*id), "the id {id} is used twice");
    }
    // No attribute of any element refers to another file.
    let allowed = ["#", "http://", "https://", "mailto:", "data:"];
    for tag in tags.iter().chain(raw.iter().map(|(t, _)| t)) {
        for (key, value) in &tag.attributes {
            if ["href", "src", "action", "poster", "srcset"].contains(&key.as_str()) {
                assert!(
                    allowed.iter().any(|a| value.starts_with(a)),
                    "<{} {key}=\"{value}\"> refers to another file",
                    tag.name
                );
            }
        }
        assert!(
            !(tag.name == "link" && tag.get("rel") == Some("stylesheet")),
            "no style sheet is linked"
        );
    }
    // Every fragment link names an element of the file or is a finder view.
    for tag in &tags {
        if let Some(fragment) = tag.get("href").and_then(|h| h.strip_prefix('#')) {
            assert!(
                fragment.is_empty() || fragment.contains('=') || ids.contains(&fragment),
                "#{fragment} names no element"
            );
        }
    }
    // Term pages are finder views; links between datasets are sections.
    for link in [
        "#modality=x-ray",
        "#region=chest",
        "#d-delta-cxr",
        "#lineage",
    ] {
        assert!(html.contains(&format!("href=\"{link}\"")), "{link}");
    }
    assert!(html.ends_with("<!-- medatlas single-file edition -->\n"));
    assert_inline_scripts_are_allowed_by_their_hashes(&html, &raw);
}

/// Every executable script is inline and its hash is in the policy, as is the style sheet's; the
/// search index is in JSON data blocks, one per file of the site's index.
fn assert_inline_scripts_are_allowed_by_their_hashes(html: &str, raw: &[(Tag, String)]) {
    let policy = html
        .split("http-equiv=\"Content-Security-Policy\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    let hash = |text: &str| {
        let digest = ring::digest::digest(&ring::digest::SHA256, text.as_bytes());
        format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(digest.as_ref())
        )
    };
    let mut scripts = 0;
    let mut shards = Vec::new();
    for (tag, text) in raw {
        match (tag.name.as_str(), tag.get("type")) {
            ("script", Some("application/json")) => {
                let value: serde_json::Value = serde_json::from_str(text).unwrap();
                assert!(!value.is_null());
                shards.push(tag.get("data-shard").unwrap().to_string());
            }
            ("script", _) => {
                assert!(tag.get("src").is_none());
                assert!(policy.contains(&hash(text)), "a script's hash is allowed");
                scripts += 1;
            }
            _ => assert!(policy.contains(&hash(text)), "the style sheet's hash"),
        }
    }
    assert_eq!(scripts, 4, "early.js, catalog.js, dataset.js, single.js");
    assert!(policy.contains("script-src 'sha256-") && !policy.contains("'self'"));
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    for shard in ["core", "d-0", "sort-size", "sort-patients", "p-ch", "l-c"] {
        assert!(shards.iter().any(|s| s == shard), "{shard} in {shards:?}");
    }
}

#[test]
fn the_single_file_opens_from_disk_with_search_and_one_section_at_a_time() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let (_dir, file) = single_file();
    let mut browser = browser::Browser::start(&chromium);
    browser.on_new_document(browser::RECORD_VIOLATIONS);
    let url = browser::file_url(&file);

    // A fragment query shows the search results, from the inline index.
    browser.open_url(&format!("{url}#q=effusion"));
    browser.wait_for("window.medatlasFinder && window.medatlasFinder.updates > 0");
    let names = browser.eval(
        "[...document.querySelectorAll('#finder-results .result-name')].map(a => a.textContent + ' ' + a.getAttribute('href')).sort()",
    );
    assert_eq!(
        names,
        serde_json::json!([
            "Alpha CXR #d-alpha-cxr",
            "Beta Lung CT #d-beta-ct",
            "Delta Chest X-ray #d-delta-cxr"
        ])
    );
    let visible = "[...document.querySelectorAll('[data-single-page]')].filter(s => s.offsetParent !== null || s.getClientRects().length).map(s => s.id)";
    assert_eq!(browser.eval(visible), serde_json::json!(["index"]));
    // A search typed a key at a time needs its postings: they are in the page too.
    browser.eval("document.getElementById('finder-q').value = 'ct'; document.getElementById('finder-q').dispatchEvent(new Event('input'))");
    browser.wait_for("!window.medatlasFinder.pending && window.medatlasFinder.results === 1");

    // Every dataset's section is in the file; a fragment shows one of them alone.
    let sections = browser.eval(
        "[...document.querySelectorAll('section[data-single-page]')].map(s => s.id).filter(id => id.startsWith('d-')).sort()",
    );
    let expected: Vec<String> = slugs().iter().map(|s| format!("d-{s}")).collect();
    assert_eq!(sections, serde_json::json!(expected));
    browser.eval("document.querySelector('#finder-results .result-name').click()");
    browser.wait_for("location.hash === '#d-beta-ct'");
    assert_eq!(browser.eval(visible), serde_json::json!(["d-beta-ct"]));
    assert_eq!(
        browser.eval("document.title"),
        "Beta Lung CT · Fixture catalog"
    );
    // A link inside a section goes to another section; back returns, to the search too.
    browser.eval("document.querySelector('#d-beta-ct a[href=\"#d-alpha-cxr\"]').click()");
    browser.wait_for("location.hash === '#d-alpha-cxr'");
    assert_eq!(browser.eval(visible), serde_json::json!(["d-alpha-cxr"]));
    browser.eval("history.back()");
    browser.wait_for("location.hash === '#d-beta-ct'");
    assert_eq!(browser.eval(visible), serde_json::json!(["d-beta-ct"]));
    browser.eval("history.back()");
    browser.wait_for("location.hash === '#q=ct'");
    assert_eq!(browser.eval(visible), serde_json::json!(["index"]));
    assert_eq!(
        browser.eval("document.getElementById('finder-q').value"),
        "ct"
    );
    // A term link is the finder filtered by that term.
    browser.open_url(&format!("{url}#d-alpha-cxr"));
    assert_eq!(browser.eval(visible), serde_json::json!(["d-alpha-cxr"]));
    browser.eval("document.querySelector('#d-alpha-cxr a.tag-modality').click()");
    browser.wait_for("location.hash === '#modality=x-ray'");
    browser.wait_for("window.medatlasFinder.results === 2");
    assert_eq!(browser.eval(visible), serde_json::json!(["index"]));
    // An id inside a section shows its section.
    browser.open_url(&format!("{url}#d-alpha-cxr--papers"));
    assert_eq!(browser.eval(visible), serde_json::json!(["d-alpha-cxr"]));

    // Nothing but the file itself was requested; nothing was refused by the policy.
    let resources = browser.eval("performance.getEntriesByType('resource').map(r => r.name)");
    assert_eq!(resources, serde_json::json!([]));
    assert_eq!(browser.eval("window.__violations"), serde_json::json!([]));
    assert!(browser.problems.is_empty(), "{:#?}", browser.problems);
}

/// A path in a place no build may write is refused, with or without `--force`; a directory is
/// refused; a file medatlas did not write is replaced only with `--force`, and moved aside.
#[test]
fn unsafe_single_file_paths_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("cat");
    common::copy_tree(&common::fixtures().join("browse"), &root);
    fs::create_dir_all(dir.path().join("repo/.git")).unwrap();
    fs::create_dir_all(dir.path().join("x/folder")).unwrap();
    let run = |path: &Path, force: bool| {
        let mut args = vec!["build", "--single-file", path.to_str().unwrap()];
        if force {
            args.push("--force");
        }
        common::medatlas(&root, &args)
    };
    for path in [
        root.clone(),
        root.join("content/datasets/catalog.html"),
        root.join("templates/catalog.html"),
        dir.path().join("repo/.git/catalog.html"),
        dir.path().join("x/folder"),
        PathBuf::from("/etc/catalog.html"),
        PathBuf::from("/catalog.html"),
    ] {
        for force in [false, true] {
            let result = run(&path, force);
            let stderr = common::stderr(&result);
            assert_eq!(
                result.status.code(),
                Some(2),
                "{}: {stderr}",
                path.display()
            );
            assert!(stderr.contains("refusing"), "{stderr}");
        }
    }
    assert!(dir.path().join("x/folder").is_dir());

    let notes = dir.path().join("x/notes.html");
    fs::write(&notes, "my notes").unwrap();
    let plain = run(&notes, false);
    assert_eq!(plain.status.code(), Some(2));
    assert!(common::stderr(&plain).contains("--force"));
    assert_eq!(fs::read_to_string(&notes).unwrap(), "my notes");
    let forced = run(&notes, true);
    assert!(forced.status.success(), "{}", common::stderr(&forced));
    let aside = dir.path().join("x/notes.html.medatlas-replaced");
    assert_eq!(fs::read_to_string(&aside).unwrap(), "my notes");
    // Its own file is replaced without --force, and nothing is left beside it.
    let again = run(&notes, false);
    assert!(again.status.success(), "{}", common::stderr(&again));
    let mut names: Vec<String> = fs::read_dir(dir.path().join("x"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["folder", "notes.html", "notes.html.medatlas-replaced"]
    );
}

/// A catalog's own `templates/single.html` replaces the default, as other templates do.
#[test]
fn a_catalog_can_replace_the_single_file_template() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&common::fixtures().join("browse"), dir.path());
    let default = medatlas::input::theme::DEFAULT_TEMPLATES
        .iter()
        .find(|(name, _)| *name == "single.html")
        .unwrap()
        .1;
    fs::create_dir_all(dir.path().join("templates")).unwrap();
    fs::write(
        dir.path().join("templates/single.html"),
        default.replace(
            "<body class=\"single-file\">",
            "<body class=\"single-file own\">",
        ),
    )
    .unwrap();
    let file = dir.path().join("out.html");
    let built = common::medatlas(
        dir.path(),
        &["build", "--single-file", file.to_str().unwrap()],
    );
    assert!(built.status.success(), "{}", common::stderr(&built));
    assert!(common::read(&file).contains("<body class=\"single-file own\">"));
}

/// axe-core finds no accessibility violation of any impact in the index, a dataset's section
/// and the lineage section, at 1400 and 390 px, light and dark.
#[test]
fn the_single_file_has_no_accessibility_violation() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let Some(axe) = browser::axe() else {
        return;
    };
    let (_dir, file) = single_file();
    let mut browser = browser::Browser::start(&chromium);
    let pages = [
        "catalog.html#q=effusion",
        "catalog.html#d-alpha-cxr",
        "catalog.html#lineage",
    ];
    let found = browser::axe_violations(&mut browser, &axe, file.parent().unwrap(), None, &pages);
    assert!(found.is_empty(), "{}", found.join("\n"));
}
