//! Browser tests: the built catalog opened from disk (file://) in headless Chromium, as an
//! offline reader would, following links by clicking them.

mod common;

#[path = "common/browser.rs"]
mod browser;

use browser::Browser;

#[test]
fn every_page_opens_from_disk_without_console_errors() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let dir = common::real_catalog();
    let public = common::build(dir.path());
    let mut browser = Browser::start(&chromium);

    browser.open(&public.join("index.html"));
    let title = browser.eval("document.querySelector('h1').textContent");
    assert_eq!(title, "Medical Imaging Datasets");
    let sheets = browser.eval("[...document.styleSheets].map(s => s.href.split('/').pop())");
    assert_eq!(sheets, serde_json::json!(["style.css"]));

    // Every page reachable by clicking from the index opens without errors.
    let links = browser.eval(
        "[...new Set([...document.querySelectorAll('a[href]')].map(a => a.href).filter(h => h.startsWith('file:')).map(h => h.split('#')[0]))]",
    );
    let links: Vec<String> = serde_json::from_value(links).unwrap();
    assert!(
        links
            .iter()
            .any(|l| l.ends_with("datasets/nih-chestx-ray14.html"))
    );
    assert!(links.iter().any(|l| l.ends_with("tasks.html")));
    for link in &links {
        let path = link.strip_prefix("file://").unwrap();
        browser.open(std::path::Path::new(path));
        let heading = browser
            .eval("document.querySelector('h1') && document.querySelector('h1').textContent");
        assert!(heading.is_string(), "{link} has a heading");
    }

    // Click through: index -> ChestX-ray14 -> its class table.
    browser.open(&public.join("index.html"));
    browser.eval("document.querySelector('a[href=\"datasets/nih-chestx-ray14.html\"]').click()");
    std::thread::sleep(std::time::Duration::from_millis(500));
    let location = browser.eval("location.href");
    assert!(
        location
            .as_str()
            .unwrap()
            .ends_with("datasets/nih-chestx-ray14.html"),
        "{location}"
    );
    let cells = browser.eval(
        "[...document.querySelectorAll('table.counts tbody tr')].find(r => r.querySelector('th').textContent === 'Atelectasis').querySelectorAll('td')[3].firstChild.textContent",
    );
    assert_eq!(cells, "11,535");

    assert!(
        browser.problems.is_empty(),
        "console problems: {:#?}",
        browser.problems
    );
}

/// The harness itself: a page with a missing stylesheet, a console error and an exception must
/// be reported, or the test above could never fail.
#[test]
fn the_harness_reports_console_errors_and_failed_loads() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("broken.html");
    std::fs::write(
        &page,
        "<!doctype html><link rel=stylesheet href=missing.css><h1>x</h1>\
         <script>console.error('boom'); undefinedFunction();</script>",
    )
    .unwrap();
    let mut browser = Browser::start(&chromium);
    browser.open(&page);
    let problems = browser.problems.join("\n");
    assert!(problems.contains("missing.css"), "{problems}");
    assert!(problems.contains("boom"), "{problems}");
    assert!(problems.contains("undefinedFunction"), "{problems}");
}
