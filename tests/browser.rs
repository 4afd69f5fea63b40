//! Browser tests: the built catalog opened from disk (file://) in headless Chromium, as an
//! offline reader would, following links by clicking them.

mod common;

#[path = "common/browser.rs"]
mod browser;

use browser::Browser;

/// The distinct file:// pages the open page links to (fragments dropped); those of each kind
/// must be among them.
fn page_links(browser: &mut Browser) -> Vec<String> {
    let links = browser.eval(
        "[...new Set([...document.querySelectorAll('a[href]')].map(a => a.href).filter(h => h.startsWith('file:')).map(h => h.split('#')[0]).filter(h => h.endsWith('.html')))]",
    );
    let links: Vec<String> = serde_json::from_value(links).unwrap();
    for page in [
        "datasets/delta-cxr.html",
        "tasks.html",
        "labels.html",
        "compare.html",
        "lineage.html",
        "modalities/x-ray.html",
    ] {
        assert!(
            links.iter().any(|l| l.ends_with(page)),
            "{page} in {links:?}"
        );
    }
    links
}

#[test]
fn every_page_opens_from_disk_without_console_errors() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let (_dir, public) = browse_site();
    let mut browser = Browser::start(&chromium);

    browser.open(&public.join("index.html"));
    let title = browser.eval("document.querySelector('h1').textContent");
    assert_eq!(title, "Fixture catalog");
    let sheets = browser
        .eval("[...document.styleSheets].filter(s => s.href).map(s => s.href.split('/').pop())");
    assert_eq!(sheets, serde_json::json!(["style.css"]));

    // Every page reachable by clicking from the index opens without errors.
    let links = page_links(&mut browser);
    for link in &links {
        let path = link.strip_prefix("file://").unwrap();
        browser.open(std::path::Path::new(path));
        let heading = browser
            .eval("document.querySelector('h1') && document.querySelector('h1').textContent");
        assert!(heading.is_string(), "{link} has a heading");
    }

    // Click through: index -> Delta -> its class table.
    browser.open(&public.join("index.html"));
    browser.eval("document.querySelector('a[href=\"datasets/delta-cxr.html\"]').click()");
    std::thread::sleep(std::time::Duration::from_millis(500));
    let location = browser.eval("location.href");
    assert!(
        location
            .as_str()
            .unwrap()
            .ends_with("datasets/delta-cxr.html"),
        "{location}"
    );
    let cells = browser.eval(
        "[...document.querySelectorAll('table.counts tbody tr')].find(r => r.querySelector('th').textContent === 'Pleural Effusion').querySelectorAll('td')[3].firstChild.textContent",
    );
    assert_eq!(cells, "3,320", "the total of three splits");

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

/// The browse fixture (five datasets with known facets), built into a temporary directory.
fn browse_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&common::fixtures().join("browse"), dir.path());
    let public = common::build(dir.path());
    (dir, public)
}

/// Open the index at a fragment and wait until the finder has rendered.
fn open_index(browser: &mut Browser, public: &std::path::Path, fragment: &str) {
    browser.open_url(&format!(
        "{}{fragment}",
        browser::file_url(&public.join("index.html"))
    ));
    browser.wait_for("window.medatlasFinder && window.medatlasFinder.updates > 0");
}

/// The slugs of the results shown, once the shards the view needs have been loaded (typing a
/// word loads the postings of its prefix first) and the fragment follows the view (it is
/// written a moment after).
fn result_slugs(browser: &mut Browser) -> Vec<String> {
    browser.wait_for("!window.medatlasFinder.pending && !window.medatlasFinder.fragmentPending");
    let slugs = browser.eval("[...document.querySelectorAll('#finder-results input[data-slug]')].map(i => i.dataset.slug)");
    serde_json::from_value(slugs).unwrap()
}

fn facet_count(browser: &mut Browser, facet: &str, name: &str) -> String {
    let js = format!(
        "[...document.querySelectorAll('fieldset[data-facet=\"{facet}\"] li')].find(li => li.querySelector('label').textContent.startsWith('{name} ')).querySelector('[data-count]').textContent"
    );
    browser.eval(&js).as_str().unwrap().to_string()
}

/// The slugs the index shows, in order, opened at `fragment`.
fn view(browser: &mut Browser, public: &std::path::Path, fragment: &str) -> Vec<String> {
    open_index(browser, public, fragment);
    result_slugs(browser)
}

#[test]
fn a_fragment_query_shows_that_view_in_order() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let (_dir, public) = browse_site();
    let mut browser = Browser::start(&chromium);

    let shown = view(&mut browser, &public, "#q=chest&sort=images");
    assert_eq!(shown, ["delta-cxr", "alpha-cxr", "beta-ct"]);
    for (control, value) in [
        ("document.getElementById('finder-q').value", "chest"),
        ("document.getElementById('finder-sort').value", "size"),
        (
            "document.getElementById('finder-status').textContent",
            "3 of 5 datasets match",
        ),
    ] {
        assert_eq!(browser.eval(control), value, "{control}");
    }
    assert_eq!(
        browser.eval("document.getElementById('static-catalog').hidden"),
        true
    );

    // By size, largest first; an entry without a main-unit count comes last, under its label.
    let shown = view(&mut browser, &public, "#sort=size");
    assert_eq!(
        shown,
        [
            "delta-cxr",
            "gamma-mri",
            "alpha-cxr",
            "beta-ct",
            "epsilon-derm"
        ]
    );
    let groups = browser.eval(
        "[...document.querySelectorAll('#finder-results > li')].map(r => r.classList.contains('size-group') ? r.textContent : r.querySelector('input').dataset.slug)",
    );
    assert_eq!(
        groups,
        serde_json::json!([
            "delta-cxr",
            "gamma-mri",
            "alpha-cxr",
            "beta-ct",
            "Size not yet checked",
            "epsilon-derm"
        ])
    );

    // Patients with their bound, as on the dataset page.
    let patients = browser.eval(
        "document.querySelector('input[data-slug=\"gamma-mri\"]').closest('li').querySelector('.result-more').textContent",
    );
    assert!(
        patients
            .as_str()
            .unwrap_or_default()
            .starts_with("≥ 300 patients"),
        "{patients}"
    );

    // The licence facets: a licence id's answers; free text and no licence are "unclear".
    let shown = view(&mut browser, &public, "#commercial=yes");
    assert_eq!(shown, ["alpha-cxr", "beta-ct", "gamma-mri"]);
    let shown = view(&mut browser, &public, "#redistribution=unclear");
    assert_eq!(shown, ["delta-cxr", "epsilon-derm"]);
    assert_eq!(facet_count(&mut browser, "commercial", "Unclear"), "2");

    // Name and alias hits rank first; words are matched by prefix and highlighted.
    let shown = view(&mut browser, &public, "#q=effus");
    assert_eq!(shown, ["alpha-cxr", "delta-cxr", "beta-ct"]);
    let marks = browser
        .eval("[...document.querySelectorAll('#finder-results mark')].map(m => m.textContent)");
    assert!(
        marks.as_array().unwrap().iter().any(|m| m == "effusion"),
        "{marks}"
    );
    assert_eq!(view(&mut browser, &public, "#q=alphax"), ["alpha-cxr"]);

    // Label (synonyms merged), year range, and a query with no results.
    let shown = view(&mut browser, &public, "#label=pleural-effusion");
    assert_eq!(shown, ["alpha-cxr", "delta-cxr"]);
    let shown = view(&mut browser, &public, "#year=2016-2019&sort=year");
    assert_eq!(shown, ["delta-cxr", "epsilon-derm", "alpha-cxr"]);
    assert!(view(&mut browser, &public, "#q=zzzz").is_empty());
    let empty = browser.eval("document.querySelector('#finder-results .empty').textContent");
    assert!(
        empty.as_str().unwrap().contains("No datasets match"),
        "{empty}"
    );
    assert!(browser.problems.is_empty(), "{:#?}", browser.problems);
}

#[test]
fn facets_combine_and_write_the_fragment() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let (_dir, public) = browse_site();
    let mut browser = Browser::start(&chromium);

    open_index(&mut browser, &public, "#modality=x-ray&access=open");
    assert_eq!(result_slugs(&mut browser), ["alpha-cxr"]);
    let size = browser.eval("document.querySelector('#finder-results .result-size').textContent");
    assert_eq!(size, "1,000 images", "a size with its unit");
    let more = browser.eval("document.querySelector('#finder-results .result-more').textContent");
    assert!(
        more.as_str().unwrap_or_default().ends_with(" · 2017"),
        "patients, then the year (not a count): {more}"
    );
    // Counts: each facet counts what adding that term would give, under the other facets.
    assert_eq!(facet_count(&mut browser, "access", "Open"), "1");
    assert_eq!(facet_count(&mut browser, "access", "Credentialed"), "1");
    assert_eq!(
        facet_count(&mut browser, "modality", "X-ray radiography"),
        "1"
    );
    assert_eq!(
        facet_count(&mut browser, "modality", "Magnetic resonance imaging"),
        "1"
    );
    assert_eq!(facet_count(&mut browser, "task", "Classification"), "1");

    // Tick "Credentialed": access terms combine with OR, facets with AND.
    browser.eval(
        "document.querySelector('fieldset[data-facet=\"access\"] li:nth-child(3) input').click()",
    );
    assert_eq!(result_slugs(&mut browser), ["alpha-cxr", "delta-cxr"]);
    let hash = browser.eval("location.hash");
    assert_eq!(hash, "#modality=x-ray&access=open,credentialed");

    // Typing filters as you type, combined with the facets.
    browser.eval("const q = document.getElementById('finder-q'); q.value = 'delta'; q.dispatchEvent(new Event('input'))");
    assert_eq!(result_slugs(&mut browser), ["delta-cxr"]);
    assert_eq!(
        browser.eval("location.hash"),
        "#q=delta&modality=x-ray&access=open,credentialed"
    );

    // Clearing brings everything back.
    browser.eval("document.getElementById('finder-reset').click()");
    assert_eq!(result_slugs(&mut browser).len(), 5);
    assert!(browser.problems.is_empty(), "{:#?}", browser.problems);
}

/// The facets of the label sets: "Annotation types" and "Label method" filter the index from
/// disk, combine with each other and with the search, and are kept in the fragment.
#[test]
fn label_set_facets_filter_the_index() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let (_dir, public) = browse_site();
    let mut browser = Browser::start(&chromium);

    assert_eq!(
        view(&mut browser, &public, "#annotation=boxes"),
        ["alpha-cxr"]
    );
    assert_eq!(
        view(&mut browser, &public, "#annotation=image-labels"),
        ["alpha-cxr", "delta-cxr"]
    );
    assert_eq!(
        view(&mut browser, &public, "#method=radiologist,consensus"),
        ["alpha-cxr", "delta-cxr"]
    );
    assert_eq!(facet_count(&mut browser, "annotation", "Image labels"), "2");
    assert_eq!(
        facet_count(&mut browser, "annotation", "Segmentation masks"),
        "0"
    );
    assert_eq!(facet_count(&mut browser, "method", "NLP on reports"), "1");
    assert!(
        view(
            &mut browser,
            &public,
            "#annotation=masks&method=nlp-reports"
        )
        .is_empty()
    );
    let legends = browser
        .eval("[...document.querySelectorAll('#finder-facets legend')].map(l => l.textContent)");
    for legend in ["Annotation types", "Label method"] {
        assert!(
            legends.as_array().unwrap().iter().any(|l| l == legend),
            "{legends}"
        );
    }

    // Ticking a term filters and writes the fragment; the search narrows it further.
    open_index(&mut browser, &public, "");
    browser.eval(
        "[...document.querySelectorAll('fieldset[data-facet=\"annotation\"] li')].find(li => li.textContent.startsWith('Segmentation masks')).querySelector('input').click()",
    );
    assert_eq!(result_slugs(&mut browser), ["beta-ct"]);
    assert_eq!(browser.eval("location.hash"), "#annotation=masks");
    // (Beta shares patients with Alpha, so a search for `alpha` finds it: search `delta`.)
    browser.eval("const q = document.getElementById('finder-q'); q.value = 'delta'; q.dispatchEvent(new Event('input'))");
    assert!(result_slugs(&mut browser).is_empty());
    // Words of the label methods and annotation types are found by the search.
    assert_eq!(view(&mut browser, &public, "#q=consensus"), ["alpha-cxr"]);
    assert!(browser.problems.is_empty(), "{:#?}", browser.problems);
}

#[test]
fn the_compare_page_shows_datasets_side_by_side() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let (_dir, public) = browse_site();
    let mut browser = Browser::start(&chromium);

    // Pick two on the index; the compare link carries them.
    open_index(&mut browser, &public, "");
    browser.eval("document.querySelector('input[data-slug=\"delta-cxr\"]').click()");
    browser.eval("document.querySelector('input[data-slug=\"alpha-cxr\"]').click()");
    let href = browser.eval("document.getElementById('finder-compare-link').getAttribute('href')");
    assert_eq!(href, "compare.html#d=delta-cxr,alpha-cxr");

    browser.open_url(&format!(
        "{}#d=alpha-cxr,delta-cxr",
        browser::file_url(&public.join("compare.html"))
    ));
    browser.wait_for("document.querySelector('.compare-table')");
    let headers = browser.eval("[...document.querySelectorAll('.compare-table:not(.compare-labels) thead th a:not(.remove)')].map(a => a.textContent)");
    assert_eq!(
        headers,
        serde_json::json!(["Alpha CXR", "Delta Chest X-ray"])
    );
    let differs = browser.eval("[...document.querySelectorAll('.compare-table tr.differs th')].map(th => th.firstChild.textContent)");
    let differs: Vec<String> = serde_json::from_value(differs).unwrap();
    assert!(
        differs.contains(&"Size".to_string()) && !differs.contains(&"Modalities".to_string()),
        "{differs:?}"
    );
    // Class tables aligned by canonical finding: Effusion meets Pleural Effusion.
    let effusion = browser.eval(
        "[...document.querySelectorAll('.compare-labels tbody tr')].find(r => r.querySelector('th').textContent === 'Pleural Effusion').querySelectorAll('td')[0].textContent",
    );
    assert!(
        effusion.as_str().unwrap().starts_with("as Effusion 100"),
        "{effusion}"
    );
    assert!(browser.problems.is_empty(), "{:#?}", browser.problems);
}

/// An entry of the browse fixture's kind, declaring one lineage item.
fn lineage_entry(name: &str, relation: &str, other: &str) -> String {
    format!(
        "+++\nname = \"{name}\"\nsummary = \"S.\"\npublisher = \"P\"\nhomepage = \"https://example.org/x\"\n\
         modalities = [\"x-ray\"]\nbody_regions = [\"chest\"]\ntasks = [\"classification\"]\naccess = \"open\"\n\
         images = 10\n\n[[lineage]]\nrelation = \"{relation}\"\nentry = \"{other}\"\nhow = \"Stated by its paper.\"\n+++\n\nText.\n"
    )
}

/// The overlap warnings of compare.html showing `slugs`, once the comparison has rendered.
fn overlap_warnings(browser: &mut Browser, public: &std::path::Path, slugs: &str) -> Vec<String> {
    browser.open_url(&format!(
        "{}#d={slugs}",
        browser::file_url(&public.join("compare.html"))
    ));
    browser.wait_for("document.querySelector('.compare-table')");
    let found = browser
        .eval("[...document.querySelectorAll('.callout.overlap li')].map(li => li.textContent)");
    serde_json::from_value(found).unwrap()
}

#[test]
fn compare_warns_when_the_compared_datasets_overlap() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&common::fixtures().join("browse"), dir.path());
    // Zeta is built from Delta, which is built from Alpha; Eta is a subset of Alpha.
    let datasets = dir.path().join("content/datasets");
    let zeta = lineage_entry("Zeta CXR", "derived-from", "delta-cxr");
    std::fs::write(datasets.join("zeta-cxr.md"), zeta).unwrap();
    let eta = lineage_entry("Eta CXR", "subset-of", "alpha-cxr");
    std::fs::write(datasets.join("eta-cxr.md"), eta).unwrap();
    let public = common::build(dir.path());
    let mut browser = Browser::start(&chromium);

    let direct = overlap_warnings(&mut browser, &public, "alpha-cxr,delta-cxr");
    assert_eq!(
        direct,
        [
            "Delta Chest X-ray is built from Alpha CXR images: testing on one after training on the other leaks images and patients."
        ]
    );
    let shared = overlap_warnings(&mut browser, &public, "beta-ct,alpha-cxr");
    assert_eq!(
        shared,
        [
            "Beta Lung CT and Alpha CXR share patients: testing on one after training on the other leaks patients."
        ]
    );
    let chain = overlap_warnings(&mut browser, &public, "zeta-cxr,alpha-cxr");
    assert!(
        chain[0].starts_with("Zeta CXR is built from Alpha CXR data, through Delta Chest X-ray"),
        "{chain:?}"
    );
    let siblings = overlap_warnings(&mut browser, &public, "eta-cxr,delta-cxr");
    assert!(
        siblings[0].starts_with("Eta CXR and Delta Chest X-ray are both built from Alpha CXR data"),
        "{siblings:?}"
    );
    // Three at once: every overlapping pair, one warning each.
    assert_eq!(
        overlap_warnings(&mut browser, &public, "alpha-cxr,delta-cxr,zeta-cxr").len(),
        3
    );
    assert!(overlap_warnings(&mut browser, &public, "gamma-mri,delta-cxr").is_empty());
    assert!(browser.problems.is_empty(), "{:#?}", browser.problems);
}

/// lineage.html without JavaScript: the graph is there with a link per dataset, the list has
/// the same edges, and a box leads to the dataset's page; the dataset page lists both sides.
#[test]
fn the_lineage_page_draws_the_graph_without_javascript() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let (_dir, public) = browse_site();
    let mut browser = Browser::start(&chromium);
    browser.disable_scripts();
    browser.open(&public.join("lineage.html"));
    let nodes = browser.eval(
        "[...document.querySelectorAll('svg.lineage-graph a')].map(a => a.getAttribute('href'))",
    );
    assert_eq!(
        nodes,
        serde_json::json!([
            "datasets/alpha-cxr.html",
            "datasets/beta-ct.html",
            "datasets/delta-cxr.html"
        ])
    );
    let edges = browser.eval("document.querySelectorAll('svg.lineage-graph .edge').length");
    assert_eq!(edges, 2);
    let list = browser.eval("[...document.querySelectorAll('.lineage-list li')].map(li => li.textContent.split(':')[0])");
    assert_eq!(
        list,
        serde_json::json!([
            "Beta Lung CT shares patients with Alpha CXR",
            "Delta Chest X-ray is built from the images of Alpha CXR"
        ])
    );
    let box_size = browser
        .eval("document.querySelector('svg.lineage-graph rect').getBoundingClientRect().width");
    assert!(box_size.as_f64().unwrap() > 100.0, "{box_size}");
    browser.eval("document.querySelector('svg.lineage-graph a[href=\"datasets/alpha-cxr.html\"]').dispatchEvent(new MouseEvent('click', {bubbles: true}))");
    browser.wait_for(
        "location.href.endsWith('datasets/alpha-cxr.html') && document.readyState === 'complete' && document.querySelector('ul.lineage li')",
    );
    let reverse =
        browser.eval("[...document.querySelectorAll('ul.lineage li')].map(li => li.textContent)");
    let reverse: Vec<String> = serde_json::from_value(reverse).unwrap();
    assert!(
        reverse
            .iter()
            .any(|l| l.starts_with("Delta Chest X-ray is built from this dataset's images.")),
        "{reverse:?}"
    );
    assert!(browser.problems.is_empty(), "{:#?}", browser.problems);
}

#[test]
fn every_control_is_labelled_and_the_count_is_announced() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let (_dir, public) = browse_site();
    let mut browser = Browser::start(&chromium);
    open_index(&mut browser, &public, "");
    let unlabelled = browser.eval(
        "[...document.querySelectorAll('#finder input, #finder select')].filter(i => !i.getAttribute('aria-label') && !document.querySelector('label[for=\"' + i.id + '\"]')).map(i => i.outerHTML)",
    );
    assert_eq!(unlabelled, serde_json::json!([]));
    assert_eq!(
        browser.eval("document.getElementById('finder-status').getAttribute('aria-live')"),
        "polite"
    );
    // Every visible control takes keyboard focus (a closed group of the label facet hides its
    // terms until opened).
    let unfocusable = browser.eval(
        "[...document.querySelectorAll('#finder input, #finder select, #finder button')].filter(c => c.offsetParent !== null && !c.closest('details:not([open])')).filter(c => { c.focus(); return document.activeElement !== c; }).map(c => c.outerHTML)",
    );
    assert_eq!(unfocusable, serde_json::json!([]));
}

#[test]
fn without_javascript_the_index_keeps_the_full_table() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let (_dir, public) = browse_site();
    let mut browser = Browser::start(&chromium);
    browser.disable_scripts();
    browser.open(&public.join("index.html"));
    assert_eq!(
        browser.eval("document.getElementById('finder').hidden"),
        true
    );
    assert_eq!(
        browser.eval("document.querySelectorAll('#static-catalog table.catalog tbody tr').length"),
        5
    );
    let term_links = browser
        .eval("[...document.querySelectorAll('.browse-by a')].map(a => a.getAttribute('href'))");
    assert!(
        term_links
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l == "modalities/x-ray.html"),
        "{term_links}"
    );
}

/// Benchmark (not a timed test): search as you type on a large catalog, from disk.
/// Run with `benches/finder.sh`, which builds a 10,000-entry catalog and calls
/// `MEDATLAS_BENCH_SITE=DIR cargo test --release --test browser -- --ignored --nocapture`.
#[test]
#[ignore = "benchmark: run benches/finder.sh"]
fn measure_search_as_you_type() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let site = std::path::PathBuf::from(
        std::env::var("MEDATLAS_BENCH_SITE").expect("MEDATLAS_BENCH_SITE=built site"),
    );
    let size = |path: &str| std::fs::metadata(site.join(path)).unwrap().len() as f64 / 1e6;
    let mut browser = Browser::start(&chromium);
    let started = std::time::Instant::now();
    open_index(&mut browser, &site, "");
    let ready = started.elapsed();
    let docs = browser.eval("window.MEDATLAS_INDEX.n");
    println!(
        "finder benchmark: {docs} datasets; search-index.js {:.2} MB, index.html {:.1} MB; \
         first view shown in {:.0} ms (its files: {:?})",
        size("search-index.js"),
        size("index.html"),
        ready.as_secs_f64() * 1000.0,
        loaded_shards(&mut browser)
    );
    let mut times = Vec::new();
    let mut script_times = Vec::new();
    let mut stages: [Vec<f64>; 4] = Default::default();
    for query in [
        "effusion",
        "chest ct",
        "segmentation brain",
        "hospital 12",
        "tumour",
        "zzz",
    ] {
        let mut line = Vec::new();
        for end in 1..=query.len() {
            let [latency, script, stage @ ..] = step(
                &mut browser,
                &format!(
                    "(q => {{ q.value = {:?}; q.dispatchEvent(new Event('input')); }})(document.getElementById('finder-q'))",
                    &query[..end]
                ),
            );
            line.push(format!("{latency:.0}"));
            times.push(latency);
            script_times.push(script);
            stage
                .iter()
                .zip(stages.iter_mut())
                .for_each(|(ms, list)| list.push(*ms));
        }
        println!("  {query:?}: ms per keystroke {}", line.join(" "));
    }
    let mut clicks = Vec::new();
    for facet in ["modality", "region", "access", "label"] {
        let [latency, ..] = step(
            &mut browser,
            &format!("document.querySelector('fieldset[data-facet=\"{facet}\"] li input').click()"),
        );
        clicks.push(format!("{facet} {latency:.0}"));
    }
    let [sort, ..] = step(
        &mut browser,
        "(s => { s.value = 'size'; s.dispatchEvent(new Event('change')); })(document.getElementById('finder-sort'))",
    );
    println!(
        "  facet clicks (with the last query), ms: {}; sort by size {sort:.0} ms",
        clicks.join(", ")
    );
    times.sort_by(f64::total_cmp);
    script_times.sort_by(f64::total_cmp);
    println!(
        "  keystroke to results shown (shards loaded in between included): median {:.1} ms, \
         95th percentile {:.1} ms, max {:.1} ms over {} keystrokes; script alone: median {:.1} ms, max {:.1} ms; \
         {} shard files loaded",
        times[times.len() / 2],
        times[times.len() * 95 / 100],
        times.last().unwrap(),
        times.len(),
        script_times[script_times.len() / 2],
        script_times.last().unwrap(),
        loaded_shards(&mut browser).len()
    );
    let stages: Vec<String> = ["search", "filter", "sort", "render"]
        .iter()
        .zip(stages.iter_mut())
        .map(|(name, list)| {
            list.sort_by(f64::total_cmp);
            format!("{name} {:.1}", list[list.len() / 2])
        })
        .collect();
    println!("  script stages, median ms: {}", stages.join(", "));
    let loads = browser.eval(
        "(m => Object.keys(m).map(k => [m[k], k]).sort((a, b) => a[0] - b[0]))(window.medatlasFinder.shardMs)",
    );
    let loads = loads.as_array().unwrap();
    let ms = |i: usize| loads[i][0].as_f64().unwrap();
    let slowest: Vec<String> = loads[loads.len().saturating_sub(3)..]
        .iter()
        .map(|l| format!("{} {:.0}", l[1].as_str().unwrap(), l[0].as_f64().unwrap()))
        .collect();
    println!(
        "  a shard from its request to its data: median {:.1} ms; slowest (ms): {}",
        ms(loads.len() / 2),
        slowest.join(", ")
    );
    assert!(browser.problems.is_empty(), "{:#?}", browser.problems);
}

/// Run `action` in the finder and wait for the view it leads to: the milliseconds from the
/// change to the results shown (shards loaded in between included), the script's own, and
/// those of its stages (search, filter, sort, render).
fn step(browser: &mut Browser, action: &str) -> [f64; 6] {
    let before = browser
        .eval("window.medatlasFinder.updates")
        .as_u64()
        .unwrap();
    browser.eval(action);
    browser.wait_for(&format!(
        "window.medatlasFinder.updates > {before} && !window.medatlasFinder.pending"
    ));
    let times = browser.eval(
        "(f => [f.lastLatencyMs, f.lastUpdateMs, f.stagesMs.search, f.stagesMs.filter, \
         f.stagesMs.sort, f.stagesMs.render])(window.medatlasFinder)",
    );
    std::array::from_fn(|i| times[i].as_f64().unwrap())
}

/// If its scripts cannot load, the index falls back to the full static table.
#[test]
fn without_its_scripts_the_index_falls_back_to_the_table() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    for missing in ["search-index.js", "catalog.js"] {
        let (_dir, public) = browse_site();
        std::fs::remove_file(public.join(missing)).unwrap();
        let mut browser = Browser::start(&chromium);
        browser.open(&public.join("index.html"));
        browser.wait_for("!document.documentElement.classList.contains('js')");
        let shown = browser.eval(
            "getComputedStyle(document.getElementById('static-catalog')).display !== 'none' && document.getElementById('finder').hidden",
        );
        assert_eq!(shown, true, "without {missing}");
        let rows = browser
            .eval("document.querySelectorAll('#static-catalog table.catalog tbody tr').length");
        assert_eq!(rows, 5, "without {missing}");
    }
}

/// The pages of each kind, with the views their scripts make, that axe checks.
const AXE_PAGES: &[&str] = &[
    "index.html",
    "sizes.html",
    "index.html#q=chest&modality=x-ray",
    "datasets/alpha-cxr.html",
    "datasets/delta-cxr.html",
    "tasks.html",
    "labels.html",
    "compare.html#d=alpha-cxr,delta-cxr",
    "lineage.html",
    "modalities/x-ray.html",
    "404.html",
];

/// axe-core's accessibility rules, when `MEDATLAS_AXE` names its `axe.min.js`: every page kind
/// of the browse fixture has no violation of any impact, at 1400 and 390 px, light and dark.
#[test]
fn pages_pass_the_axe_accessibility_checks() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let Some(axe) = browser::axe() else {
        return;
    };
    let (dir, public) = browse_site();
    let server = common::serve(dir.path());
    let mut browser = Browser::start(&chromium);
    let violations =
        browser::axe_violations(&mut browser, &axe, &public, Some(server.port), AXE_PAGES);
    assert!(
        violations.is_empty(),
        "accessibility violations:\n{}",
        violations.join("\n")
    );
}

/// The check above can fail: a page with an unlabelled input and an image without alt text.
#[test]
fn the_axe_check_finds_violations() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let Some(axe) = browser::axe() else {
        return;
    };
    let bad = tempfile::tempdir().unwrap();
    let page = bad.path().join("bad.html");
    std::fs::write(
        &page,
        "<!doctype html><html lang=en><title>t</title><main><input><img src=x.png></main>",
    )
    .unwrap();
    let mut browser = Browser::start(&chromium);
    let found = browser::axe_violations(&mut browser, &axe, bad.path(), None, &["bad.html"]);
    for rule in ["label: ", "image-alt: "] {
        assert!(
            found
                .iter()
                .any(|v| v.starts_with("bad.html at ") && v.contains(&format!(" {rule}"))),
            "{rule} in {found:?}"
        );
    }
}

/// A dataset page says how long ago its numbers were checked, from the reader's clock, beside
/// the date the page states.
#[test]
fn a_dataset_page_says_how_long_ago_its_numbers_were_checked() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let (_dir, public) = browse_site();
    let mut browser = Browser::start(&chromium);
    browser.open(&public.join("datasets/alpha-cxr.html"));
    browser.wait_for("document.querySelector('p.checked .age')");
    let line = browser.eval("document.querySelector('p.checked').textContent");
    let line = line.as_str().unwrap_or_default().to_string();
    let age = ends_with_an_age(&line);
    assert!(age, "{line}");
    assert!(line.starts_with("Numbers checked against the sources on 20 November 2026 ("));
    browser.open(&public.join("datasets/beta-ct.html"));
    let ages = browser.eval("document.querySelectorAll('.age').length");
    assert_eq!(ages, 0, "no date, no age");
    let problems = &browser.problems;
    assert!(problems.is_empty(), "{problems:#?}");
}

/// Whether a line ends with an age as dataset.js writes it: "(today)", "(3 days ago)"...
fn ends_with_an_age(line: &str) -> bool {
    let Some(inner) = line
        .strip_suffix(").")
        .and_then(|l| l.rsplit_once('(').map(|(_, age)| age))
    else {
        return false;
    };
    inner == "today"
        || inner.split_once(' ').is_some_and(|(n, rest)| {
            n.parse::<u32>().is_ok()
                && [
                    "day", "days", "week", "weeks", "month", "months", "year", "years",
                ]
                .iter()
                .any(|unit| rest == format!("{unit} ago"))
        })
}

/// A host serves 404.html for a missing path at any depth: the page is styled there, and its
/// links lead back to the site's own pages.
#[test]
fn the_404_page_is_styled_at_a_nested_path() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let dir = common::catalog(None);
    let server = common::serve(dir.path());
    let mut browser = Browser::start(&chromium);
    let base = format!("http://127.0.0.1:{}", server.port);
    browser.open_url(&format!("{base}/datasets/no/such/page.html"));
    browser.wait_for("document.querySelector('.not-found')");
    let styled = browser.eval(
        "getComputedStyle(document.querySelector('.skip-link')).position !== 'static' && \
         getComputedStyle(document.body).margin === '0px'",
    );
    assert_eq!(styled, true, "the stylesheet applies at a nested path");
    let home = browser.eval("document.querySelector('.not-found a').href");
    assert_eq!(home, format!("{base}/index.html").as_str());
    let icon = browser.eval("document.querySelector('link[rel=icon]').href");
    assert_eq!(icon, format!("{base}/favicon.svg").as_str());
    // The page itself answers 404; everything it loads is found.
    let others: Vec<&String> = browser
        .problems
        .iter()
        .filter(|p| !p.ends_with("/datasets/no/such/page.html"))
        .collect();
    assert!(others.is_empty(), "{others:#?}");
}

/// A paper's BibTeX record is typed by its venue, copied by a button, and printed.
#[test]
fn a_papers_bibtex_is_typed_copied_and_printed() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let (_dir, public) = browse_site();
    let mut browser = Browser::start(&chromium);
    browser.open(&public.join("datasets/alpha-cxr.html"));
    browser.wait_for("document.querySelector('button.copy-cite:not([hidden])')");
    let record = browser.eval("document.querySelector('details.cite pre').textContent");
    let record = record.as_str().unwrap_or_default().to_string();
    assert!(
        record.starts_with("@article{") || record.starts_with("@inproceedings{"),
        "{record}"
    );
    browser.eval("document.querySelector('details.cite').open = true; document.querySelector('button.copy-cite').click()");
    browser.wait_for("document.querySelector('button.copy-cite').textContent !== 'Copy BibTeX'");
    // Copied, or (where the page may not write the clipboard) selected for the reader to copy.
    let button = browser.eval("document.querySelector('button.copy-cite').textContent");
    let button = button.as_str().unwrap_or_default();
    assert!(
        button == "Copied" || button.starts_with("Selected"),
        "{button}"
    );
    let selected = browser.eval("String(window.getSelection())");
    assert!(
        button == "Copied" || selected.as_str() == Some(record.as_str()),
        "{selected}"
    );
    browser.eval(
        "document.querySelector('details.cite').open = false; window.dispatchEvent(new Event('beforeprint'))",
    );
    assert_eq!(
        browser.eval("document.querySelector('details.cite').open"),
        true
    );
    browser.eval("window.dispatchEvent(new Event('afterprint'))");
    assert_eq!(
        browser.eval("document.querySelector('details.cite').open"),
        false
    );
}

/// The compare page: "1 dataset", slugs matched whatever their case, and a fifth dataset named
/// as left out rather than dropped silently.
#[test]
fn the_compare_page_says_what_it_left_out() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let (_dir, public) = browse_site();
    let mut browser = Browser::start(&chromium);
    let slugs = [
        "alpha-cxr",
        "beta-ct",
        "delta-cxr",
        "epsilon-derm",
        "gamma-mri",
    ];
    let upper: Vec<String> = slugs.iter().map(|s| s.to_uppercase()).collect();
    let page = public.join("compare.html");
    browser.open_url(&format!(
        "{}#d={}",
        browser::file_url(&page),
        upper.join(",")
    ));
    browser.wait_for("document.querySelector('#compare-status') && /Comparing/.test(document.querySelector('#compare-status').textContent)");
    let status = browser.eval("document.querySelector('#compare-status').textContent");
    let status = status.as_str().unwrap_or_default();
    assert!(status.starts_with("Comparing 4 datasets"), "{status}");
    assert!(
        status.contains(&format!("{} was left out", slugs[4])),
        "{status}"
    );
    browser.open_url(&format!(
        "{}#d={},no-such-set",
        browser::file_url(&page),
        slugs[0]
    ));
    browser.wait_for(
        "/Comparing 1 dataset;/.test(document.querySelector('#compare-status').textContent)",
    );
}

/// The year filter says how many datasets it leaves out for having no year, and a fragment's
/// ids match whatever their case.
#[test]
fn the_year_filter_names_what_it_leaves_out_and_ids_ignore_case() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&common::fixtures().join("browse"), dir.path());
    let gamma = dir.path().join("content/datasets/gamma-mri.md");
    let text = std::fs::read_to_string(&gamma).unwrap();
    let without_year: String = text
        .lines()
        .filter(|l| !l.starts_with("year ="))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&gamma, without_year).unwrap();
    let public = common::build(dir.path());
    let mut browser = Browser::start(&chromium);
    open_index(&mut browser, &public, "#year=1900-&Modality=MRI");
    let status = browser.eval("document.getElementById('finder-status').textContent");
    let status = status.as_str().unwrap_or_default();
    assert!(
        status.contains("1 dataset has no year and is left out by the year filter"),
        "{status}"
    );
    open_index(&mut browser, &public, "#modality=MRI");
    assert_eq!(result_slugs(&mut browser), ["gamma-mri"]);
}

/// The label facet groups its labels by body region, closed until opened, and a box filters
/// them by name; a label chosen in the URL opens its group.
#[test]
fn the_label_facet_is_grouped_by_region_and_filtered() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let (_dir, public) = browse_site();
    let mut browser = Browser::start(&chromium);
    open_index(&mut browser, &public, "");
    let groups = browser.eval(
        "[...document.querySelectorAll('fieldset[data-facet=\"label\"] details.facet-group > summary')].map(s => s.firstChild.textContent.trim())",
    );
    let groups: Vec<String> = serde_json::from_value(groups).unwrap();
    assert!(groups.contains(&"Chest".to_string()), "{groups:?}");
    assert_eq!(
        browser.eval(
            "document.querySelectorAll('fieldset[data-facet=\"label\"] details[open]').length"
        ),
        0
    );
    browser.eval(
        "const f = document.getElementById('facet-label-filter'); f.value = 'effus'; \
         f.dispatchEvent(new Event('input', { bubbles: true }))",
    );
    let shown = browser.eval(
        "[...document.querySelectorAll('fieldset[data-facet=\"label\"] li[data-index]')].filter(li => !li.hidden && li.closest('details').open).map(li => li.querySelector('.term').textContent)",
    );
    let shown: Vec<String> = serde_json::from_value(shown).unwrap();
    assert!(!shown.is_empty(), "a match is shown");
    assert!(
        shown.iter().all(|t| t.to_lowercase().contains("effus")),
        "{shown:?}"
    );
    let id = browser
        .eval("document.querySelector('fieldset[data-facet=\"label\"] li[data-index] input').id");
    let value = browser.eval(&format!(
        "window.MEDATLAS_INDEX.facets.label[+document.getElementById('{}').value][0]",
        id.as_str().unwrap()
    ));
    open_index(
        &mut browser,
        &public,
        &format!("#label={}", value.as_str().unwrap()),
    );
    assert_eq!(
        browser.eval(
            "document.querySelectorAll('fieldset[data-facet=\"label\"] details[open]').length"
        ),
        1,
        "the chosen label's group is open"
    );
}

/// From the search box, the keyboard reaches the first result in three steps: Tab to the link
/// past the filters, Enter, Tab.
#[test]
fn the_keyboard_skips_the_filters_to_the_results() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let (_dir, public) = browse_site();
    let mut browser = Browser::start(&chromium);
    open_index(&mut browser, &public, "");
    let next = browser.eval(
        "(() => { const q = document.getElementById('finder-q'); \
          const all = [...document.querySelectorAll('a[href], input, select, button')].filter(e => e.tabIndex >= 0 && !e.disabled); \
          return all[all.indexOf(q) + 1].className; })()",
    );
    assert_eq!(next, "skip-to-results");
    let target = browser.eval("document.querySelector('.skip-to-results').getAttribute('href')");
    assert_eq!(target, "#finder-results");
    let focusable = browser.eval("document.getElementById('finder-results').tabIndex");
    assert_eq!(focusable, -1, "the results take focus from the link");
}

/// The shards of the search index the page has loaded, by name, sorted.
fn loaded_shards(browser: &mut Browser) -> Vec<String> {
    let names = browser.eval(
        "[...document.querySelectorAll('script[data-shard]')].map(s => s.dataset.shard).sort()",
    );
    serde_json::from_value(names).unwrap()
}

/// Type `query` into the search box and wait for its results.
fn type_query(browser: &mut Browser, query: &str) -> Vec<String> {
    browser.eval(&format!(
        "(q => {{ q.value = {query:?}; q.dispatchEvent(new Event('input')); }})(document.getElementById('finder-q'))"
    ));
    result_slugs(browser)
}

/// The finder loads the search index's shards when a view needs them: at first the core file
/// and the display records of the first results; a word's postings shard once a word of its
/// prefix is typed, a letter file for a word of one letter or a word to correct, a sort file
/// when sorting by size. The results are those of the whole index.
#[test]
fn the_search_index_is_loaded_in_shards_as_views_need_them() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let (_dir, public) = browse_site();
    let mut browser = Browser::start(&chromium);
    open_index(&mut browser, &public, "");
    assert_eq!(loaded_shards(&mut browser), ["core", "d-0"]);
    assert_eq!(result_slugs(&mut browser).len(), 5);

    assert_eq!(
        type_query(&mut browser, "ef"),
        ["alpha-cxr", "delta-cxr", "beta-ct"],
        "a label before a word of the body"
    );
    assert_eq!(loaded_shards(&mut browser), ["core", "d-0", "p-ef"]);
    assert_eq!(type_query(&mut browser, "brain tumour"), ["gamma-mri"]);
    assert_eq!(
        loaded_shards(&mut browser),
        ["core", "d-0", "p-br", "p-ef", "p-tu"]
    );

    // A word of one letter: the letter file's best score per dataset.
    assert_eq!(type_query(&mut browser, "g"), ["gamma-mri"]);
    assert!(loaded_shards(&mut browser).contains(&"l-g".to_string()));
    // A word no indexed word starts with is corrected from its letter's words.
    assert_eq!(
        type_query(&mut browser, "efusion"),
        ["alpha-cxr", "delta-cxr", "beta-ct"]
    );
    assert!(loaded_shards(&mut browser).contains(&"l-e".to_string()));
    let status = browser.eval("document.getElementById('finder-status').textContent");
    assert!(
        status
            .as_str()
            .unwrap()
            .contains("so these are for “effusion”"),
        "{status}"
    );

    // Sorting by size loads the sort file; the fragment's view is the same from a fresh page.
    browser.eval(
        "(s => { s.value = 'size'; s.dispatchEvent(new Event('change')); })(document.getElementById('finder-sort'))",
    );
    assert_eq!(
        result_slugs(&mut browser),
        ["delta-cxr", "alpha-cxr", "beta-ct"]
    );
    assert!(loaded_shards(&mut browser).contains(&"sort-size".to_string()));
    assert_eq!(
        view(&mut browser, &public, "#q=efusion&sort=size"),
        ["delta-cxr", "alpha-cxr", "beta-ct"]
    );
    assert!(browser.problems.is_empty(), "{:#?}", browser.problems);
}

/// "Show more" on a catalog of three files of display records: the next results' records are
/// loaded, and the results are all there, in order; sorting by size loads the sort file.
#[test]
fn show_more_loads_the_records_of_the_next_results() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&common::fixtures().join("browse"), dir.path());
    let datasets = dir.path().join("content/datasets");
    let gamma = common::read(&datasets.join("gamma-mri.md"));
    for i in 0..260 {
        let copy = gamma
            .replace("Gamma Brain MRI", &format!("Gamma Copy {i:03}"))
            .replace("images = 3000", &format!("images = {}", 2000 + i))
            .replace("example.org/gamma-mri", &format!("example.org/gamma-{i}"));
        std::fs::write(datasets.join(format!("gamma-copy-{i:03}.md")), copy).unwrap();
    }
    let public = common::build(dir.path());
    let mut browser = Browser::start(&chromium);
    open_index(&mut browser, &public, "");
    assert_eq!(loaded_shards(&mut browser), ["core", "d-0"]);
    assert_eq!(result_slugs(&mut browser).len(), 50);
    browser.eval("document.getElementById('finder-more').click()");
    let slugs = result_slugs(&mut browser);
    assert_eq!(slugs.len(), 265);
    assert_eq!(
        slugs[..5],
        [
            "alpha-cxr",
            "beta-ct",
            "delta-cxr",
            "epsilon-derm",
            "gamma-mri"
        ]
    );
    assert_eq!(slugs[264], "gamma-copy-259");
    assert_eq!(loaded_shards(&mut browser), ["core", "d-0", "d-1", "d-2"]);
    assert_eq!(
        browser.eval("document.getElementById('finder-more').hidden"),
        true
    );

    let by_size = view(&mut browser, &public, "#sort=size");
    assert_eq!(by_size[..3], ["delta-cxr", "gamma-mri", "gamma-copy-259"]);
    assert!(loaded_shards(&mut browser).contains(&"sort-size".to_string()));
    assert!(browser.problems.is_empty(), "{:#?}", browser.problems);
}
