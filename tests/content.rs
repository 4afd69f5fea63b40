//! The real catalog in content/: it checks clean, every warning is explained, it is broad, its
//! numbers (ChestX-ray14's class table, the checklist) show on its pages, every link of its site
//! resolves, and its pages pass the policy and accessibility checks in Chromium.

mod common;

#[path = "common/browser.rs"]
mod browser;

use std::collections::BTreeSet;

use medatlas::Timings;

fn checked() -> medatlas::Checked {
    match medatlas::check_catalog(&common::manifest_dir(), &mut Timings::default()) {
        Ok(checked) => checked,
        Err(medatlas::Failure::Content(report)) => panic!("{}", report.to_plain_string()),
        Err(other) => panic!("{other:?}"),
    }
}

/// The numbers in a message: "sum to 223,648 images, but `images` says 224,316" -> both.
fn numbers(message: &str) -> Vec<String> {
    message
        .split(|c: char| !(c.is_ascii_digit() || c == ','))
        .map(|n| n.trim_matches(','))
        .filter(|n| n.len() >= 2)
        .map(str::to_string)
        .collect()
}

#[test]
fn real_catalog_chestx_ray14_class_table() {
    let (_dir, public) = common::built_real_catalog();
    let html = common::read(&public.join("datasets/nih-chestx-ray14.html"));
    assert_eq!(
        common::row(&html, "Atelectasis"),
        ["7,996", "1,119", "2,420", "11,535"]
    );
    assert_eq!(
        common::row(&html, "Images"),
        ["78,468", "11,219", "22,433", "112,120"]
    );
    assert_eq!(common::row(&html, "Hernia"), ["144", "41", "42", "227"]);
    assert!(
        html.contains("<td>7,996<span>10.2%</span></td>"),
        "prevalence of Atelectasis in Train"
    );
    for name in ["Train", "Valid", "Test", "Total"] {
        assert!(
            html.contains(&format!("<th scope=\"col\" class=\"num\">{name}</th>")),
            "{name}"
        );
    }
    // The official split, sizes only.
    assert!(html.contains("86,524") && html.contains("25,596"));
    assert!(
        html.contains("Not the publisher&#x27;s split")
            || html.contains("Not the publisher's split")
    );
}

#[test]
fn real_catalog_index_and_checklist() {
    let (_dir, public) = common::built_real_catalog();
    let index = common::read(&public.join("index.html"));
    assert!(
        !index.contains("of 6 done") && !index.contains("<progress"),
        "the owner's checklist is its own page, not the index's"
    );
    let names: Vec<usize> = ["MIMIC-CXR<", "MIMIC-CXR-JPG<", "NIH ChestX-ray14<"]
        .iter()
        .map(|n| index.find(n).unwrap_or_else(|| panic!("{n} on the index")))
        .collect();
    assert!(names.windows(2).all(|w| w[0] < w[1]), "sorted by name");
    assert!(index.contains("href=\"datasets/nih-chestx-ray14.html\""));
    let tasks = common::read(&public.join("tasks.html"));
    assert!(tasks.contains("1 of 6 done"));
    for title in [
        "NIH ChestX-ray14 Dataset",
        "MIMIC-CXR Dataset",
        "CheXpert Dataset",
        "Indiana University Chest X-ray collection",
        "PadChest Dataset",
        "Need to finish portfolio 1",
    ] {
        assert!(tasks.contains(title), "{title}");
    }
    // Planned items first, then done ones, each in the file's order.
    let positions: Vec<usize> = [
        "MIMIC-CXR Dataset",
        "Need to finish portfolio 1",
        "NIH ChestX-ray14 Dataset",
    ]
    .iter()
    .map(|t| tasks.find(t).unwrap())
    .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "planned, then done, in file order"
    );
    assert!(tasks.contains("href=\"datasets/nih-chestx-ray14.html\">NIH ChestX-ray14 Dataset</a>"));
}

#[test]
fn real_catalog_is_clean() {
    let dir = common::real_catalog();
    let output = common::medatlas(dir.path(), &["check"]);
    let stderr = common::stderr(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("0 errors, "), "{stderr}");
}

/// Every entry's labelling is in `[[label_sets]]` (the old `labeling` is gone), every label
/// set names its labels and says how they were made, and the terms are the vocabulary's.
#[test]
fn every_entry_has_label_sets_and_no_old_labeling() {
    let checked = checked();
    let catalog = &checked.catalog;
    assert!(catalog.datasets.len() >= 29);
    let mut without = Vec::new();
    for d in &catalog.datasets {
        assert!(
            d.labeling.is_none(),
            "{}: `labeling` is the old form",
            d.slug
        );
        if d.label_sets.is_empty() && d.labels.is_some() {
            without.push(d.slug.as_str());
        }
        for set in &d.label_sets {
            assert!(!set.name.trim().is_empty(), "{}", d.slug);
            assert!(
                set.method.is_some() || set.how.is_some(),
                "{}: label set `{}` says nothing of how",
                d.slug,
                set.name
            );
        }
    }
    assert!(
        without.is_empty(),
        "entries with labels but no label set: {without:?}"
    );
    let report = checked.report.headlines();
    for code in [
        "labeling-free-text",
        "readers-without-reading",
        "step-without-url",
        "access-contradiction",
    ] {
        assert!(!report.contains(code), "{report}");
    }
    let (_dir, public) = common::built_real_catalog();
    let html = common::read(&public.join("datasets/chexpert.html"));
    assert!(
        html.contains("Consensus of readers (5 readers)"),
        "CheXpert's test set"
    );
}

/// Every credentialed entry says how to get it, from the account to the data use agreement,
/// and where the files are; MIMIC-CXR's page lists PhysioNet's steps in order.
#[test]
fn credentialed_entries_list_their_access_steps() {
    use medatlas::model::StepKind;
    let checked = checked();
    for d in checked
        .catalog
        .datasets
        .iter()
        .filter(|d| d.access.value == "credentialed")
    {
        let steps: Vec<StepKind> = d.access_steps.iter().map(|s| s.step).collect();
        assert_eq!(steps.first(), Some(&StepKind::Account), "{}", d.slug);
        assert_eq!(steps.last(), Some(&StepKind::Agreement), "{}", d.slug);
        assert!(!d.downloads.is_empty(), "{}", d.slug);
    }
    let (_dir, public) = common::built_real_catalog();
    let html = common::read(&public.join("datasets/mimic-cxr.html"));
    let at: Vec<usize> = [
        "href=\"https://physionet.org/register/\"",
        "href=\"https://physionet.org/settings/credentialing/\"",
        "href=\"https://physionet.org/about/citi-course/\"",
        "Sign the project's data use agreement",
    ]
    .iter()
    .map(|s| html.find(s).unwrap_or_else(|| panic!("{s}")))
    .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "the steps in order");
}

/// The chart of ChestX-ray14's CheXNet split: 15 labels by 3 splits, No Finding in Train the
/// longest bar; the official split, sizes only, has none.
#[test]
fn real_catalog_chestx_ray14_chart() {
    let (_dir, public) = common::built_real_catalog();
    let html = common::read(&public.join("datasets/nih-chestx-ray14.html"));
    let (chart, bars) = common::chart_bars(&html);
    assert_eq!(bars.len(), 15 * 3, "15 labels x 3 splits");
    let (max_count, _) = bars.iter().copied().max_by_key(|(c, _)| *c).unwrap();
    assert_eq!(max_count, 42405, "No Finding, Train");
    assert!(chart.contains("<title>Atelectasis, Train: 7,996 (10.2%)</title>"));
    assert!(
        html.contains("Imbalance ratio 266 : 1"),
        "No Finding 60,412 / Hernia 227"
    );
    assert_eq!(html.matches("<svg class=\"class-chart\"").count(), 1);
}

/// Every link of the real site resolves: the entries' links to each other and their fragments.
#[test]
fn every_link_of_the_real_site_resolves() {
    let (_dir, public) = common::built_real_catalog();
    let links = common::links(&public);
    assert!(
        links.broken.is_empty(),
        "broken links:\n{}",
        links.broken.join("\n")
    );
    assert!(links.pages.len() > 26, "{} pages", links.pages.len());
}

/// The real catalog's lineage: every item names an entry, no pair is declared twice (in one
/// entry or on both sides), each relation shows on both pages with a link that resolves, and
/// the sources say what the migration says (ChestX-ray14 lists RSNA Pneumonia and SIIM-ACR).
#[test]
fn real_catalog_lineage_is_declared_once_and_shown_on_both_sides() {
    let checked = checked();
    let datasets = &checked.catalog.datasets;
    let slugs: BTreeSet<&str> = datasets.iter().map(|d| d.slug.as_str()).collect();
    let mut pairs = BTreeSet::new();
    for d in datasets {
        for item in &d.lineage {
            let other = item.entry.value.as_str();
            assert!(slugs.contains(other), "{}: no entry `{other}`", d.slug);
            let pair = if d.slug.as_str() < other {
                (d.slug.as_str(), other)
            } else {
                (other, d.slug.as_str())
            };
            assert!(pairs.insert(pair), "{pair:?} is declared twice");
        }
    }
    assert!(pairs.len() >= 7, "{pairs:?}");
    let (_dir, public) = common::built_real_catalog();
    for (a, b) in &pairs {
        for (page, other) in [(a, b), (b, a)] {
            let html = common::read(&public.join(format!("datasets/{page}.html")));
            let section = html
                .split("id=\"lineage\"")
                .nth(1)
                .expect("a lineage section");
            let link = format!("href=\"../datasets/{other}.html\"");
            assert!(section.contains(&link), "{page} does not link {other}");
            assert!(public.join(format!("datasets/{other}.html")).is_file());
        }
    }
    let nih = common::read(&public.join("datasets/nih-chestx-ray14.html"));
    let section = nih.split("id=\"lineage\"").nth(1).unwrap();
    for name in ["RSNA Pneumonia", "SIIM-ACR"] {
        assert!(section.contains(name), "{name} on ChestX-ray14's page");
    }
    let lineage = common::read(&public.join("lineage.html"));
    let list = lineage.split("class=\"lineage-list\"").nth(1).unwrap();
    let list = list.split("</ul>").next().unwrap();
    assert_eq!(
        list.matches("<li>").count(),
        pairs.len(),
        "one line per relation"
    );
}

/// A warning is explained when one of the entry's `known_issues` names one of its numbers.
#[test]
fn zero_errors_and_every_warning_is_explained_in_known_issues() {
    let checked = checked();
    let mut unexplained = Vec::new();
    for warning in &checked.report.diagnostics {
        let dataset = checked
            .catalog
            .datasets
            .iter()
            .find(|d| checked.sources()[d.source].path == warning.path)
            .unwrap_or_else(|| panic!("warning outside an entry: {}", warning.headline()));
        let explained = numbers(&warning.message).iter().any(|n| {
            dataset
                .known_issues
                .iter()
                .any(|issue| issue.contains(n.as_str()))
        });
        if !explained {
            unexplained.push(warning.headline());
        }
    }
    assert!(
        unexplained.is_empty(),
        "warnings not explained in known_issues:\n{}",
        unexplained.join("\n")
    );
}

#[test]
fn the_catalog_is_broad() {
    let catalog = checked().catalog;
    assert!(
        catalog.datasets.len() >= 108,
        "{} entries",
        catalog.datasets.len()
    );
    let modalities: BTreeSet<&str> = catalog
        .datasets
        .iter()
        .flat_map(|d| d.modalities.iter().map(|m| m.value.as_str()))
        .collect();
    assert!(modalities.len() >= 12, "{modalities:?}");
    for slug in [
        "chexpert",
        "iu-chest-xray",
        "padchest",
        "mimic-cxr",
        "nih-chestx-ray14",
    ] {
        assert!(catalog.datasets.iter().any(|d| d.slug == slug), "{slug}");
    }
}

#[test]
fn every_entry_ends_with_its_sources() {
    let catalog = checked().catalog;
    for dataset in &catalog.datasets {
        let sources = dataset.body.rfind("\n## Sources");
        assert!(
            sources.is_some(),
            "{} has no ## Sources section",
            dataset.slug
        );
        let after = &dataset.body[sources.unwrap() + 11..];
        assert!(
            !after.contains("\n## "),
            "{}: ## Sources is not the last section",
            dataset.slug
        );
        assert!(
            after.contains("http"),
            "{}: ## Sources names no link",
            dataset.slug
        );
    }
}

#[test]
fn the_checklist_is_the_owners_list() {
    let catalog = checked().catalog;
    let done: Vec<&str> = catalog
        .checklist
        .iter()
        .filter(|i| i.done)
        .map(|i| i.title.as_str())
        .collect();
    assert_eq!(
        done,
        ["NIH ChestX-ray14 Dataset"],
        "only the owner ticks items"
    );
    assert_eq!(catalog.checklist.len(), 6);
}

/// schema/entry.json is what `medatlas schema` writes for this catalog: regenerate it with
/// `cargo run -- schema --output schema/entry.json` after changing the format or the vocabulary.
#[test]
fn the_committed_schema_is_current() {
    let current =
        medatlas::entry_schema(&common::manifest_dir()).unwrap_or_else(|e| panic!("{e:?}"));
    let committed = common::read(&common::manifest_dir().join("schema/entry.json"));
    assert!(
        current == committed,
        "schema/entry.json is stale: run `cargo run -- schema --output schema/entry.json` and commit it"
    );
    let schema: serde_json::Value = serde_json::from_str(&committed).unwrap();
    let modalities = &schema["properties"]["modalities"]["items"]["enum"];
    assert!(
        modalities
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("x-ray"))
    );
}

/// The project's documents link only to files inside the repository (people clone it alone):
/// every relative link of README.md, CONTRIBUTING.md and docs/ names a file that exists here.
#[test]
fn the_documents_link_only_to_files_in_the_repository() {
    let root = common::manifest_dir();
    let mut documents = vec![root.join("README.md"), root.join("CONTRIBUTING.md")];
    for entry in std::fs::read_dir(root.join("docs")).unwrap() {
        documents.push(entry.unwrap().path());
    }
    let mut broken = Vec::new();
    for document in documents {
        let text = common::read(&document);
        let mut fenced = false;
        for line in text.lines() {
            if line.trim_start().starts_with("```") {
                fenced = !fenced;
            }
            if fenced {
                continue;
            }
            for (at, _) in line.match_indices("](") {
                // An example in inline code is not a link.
                if line[..at].matches('`').count() % 2 == 1 {
                    continue;
                }
                let target: String = line[at + 2..].chars().take_while(|&c| c != ')').collect();
                let path = target.split('#').next().unwrap_or_default();
                if path.is_empty() || path.contains("://") || path.starts_with("mailto:") {
                    continue;
                }
                let resolved = document.parent().unwrap().join(path);
                let inside = std::fs::canonicalize(&resolved).is_ok_and(|p| p.starts_with(&root));
                if !inside {
                    broken.push(format!("{}: {target}", document.display()));
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "links outside the repository: {broken:#?}"
    );
}

/// The catalog speaks about datasets, never about how its entries were written: no content file
/// says what was or was not read, checked or verified while writing it. Unknowns are shown by
/// leaving a field out.
#[test]
fn no_content_describes_how_it_was_written() {
    const PHRASES: &[&str] = &[
        "this session",
        "this review",
        "this pass",
        "this entry",
        "could not be read",
        "could not be confirmed",
        "could not be checked",
        "could not be verified",
        "not verified",
        "unverified",
        "not checked",
        "not confirmed",
        "was not read",
        "were not read",
        "not read here",
        "not readable here",
        "not listed here",
        "not given here",
        "not stated here",
        "is assumed",
        "an assumption",
    ];
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(common::manifest_dir().join("content")) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let text = common::read(entry.path()).to_lowercase();
        for (n, line) in text.lines().enumerate() {
            // The reserved licence id of the entry format (docs/entry-format.md).
            let line = line
                .replace("license = \"unverified\"", "")
                .replace("[unverified]", "");
            for phrase in PHRASES.iter().filter(|p| line.contains(*p)) {
                found.push(format!("{}:{}: {phrase}", entry.path().display(), n + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "content that describes how it was written (say what is unknown about the data, or \
         leave the field out): {found:#?}"
    );
}

/// One page of each kind of the real site, with the views its scripts make.
const REAL_PAGE_KINDS: &[&str] = &[
    "index.html",
    "sizes.html",
    "index.html#q=chest&modality=x-ray",
    "datasets/nih-chestx-ray14.html",
    "datasets/mimic-cxr.html",
    "modalities/x-ray.html",
    "labels.html",
    "compare.html#d=nih-chestx-ray14,chexpert",
    "compare.html#d=rsna-pneumonia,siim-acr-pneumothorax,nih-chestx-ray14",
    "lineage.html",
    "tasks.html",
    "404.html",
];

/// The real site in Chromium: one page of each kind opens with no policy violation and no
/// console error, from disk and over http. Content can break this (a class table, a link, a
/// body the sanitiser changes), so it is checked on the real pages, not only on fixtures.
#[test]
fn the_real_site_reports_no_policy_violation_from_disk_or_over_http() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let (dir, public) = common::built_real_catalog();
    let server = common::serve(dir.path());
    let mut browser = browser::Browser::start(&chromium);
    let found = browser::policy_violations_from_disk_and_http(
        &mut browser,
        &public,
        server.port,
        REAL_PAGE_KINDS,
    );
    assert!(found.is_empty(), "{}", found.join("\n"));
    let problems = &browser.problems;
    assert!(problems.is_empty(), "{problems:#?}");
}

/// The real site's pages have no accessibility violation of any impact (axe-core, when
/// `MEDATLAS_AXE` names its `axe.min.js`): entries' Markdown can bring images, tables, links.
#[test]
fn the_real_pages_pass_the_axe_accessibility_checks() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let Some(axe) = browser::axe() else {
        return;
    };
    let (dir, public) = common::built_real_catalog();
    let server = common::serve(dir.path());
    let mut browser = browser::Browser::start(&chromium);
    let violations = browser::axe_violations(
        &mut browser,
        &axe,
        &public,
        Some(server.port),
        REAL_PAGE_KINDS,
    );
    assert!(
        violations.is_empty(),
        "accessibility violations:\n{}",
        violations.join("\n")
    );
}

/// Every number of the real catalog names its source: each top-level count and download size
/// is named in the `numbers` of one of the entry's papers or sources, or its `unsourced-number`
/// warning is reported (and, by the test above, explained in `known_issues`). Each entry says
/// when its numbers were checked, or its page says they are not yet.
#[test]
fn every_number_of_the_real_catalog_has_a_source_or_an_explained_warning() {
    let checked = checked();
    for dataset in &checked.catalog.datasets {
        let mut keys: Vec<&str> = dataset
            .sizes
            .counts
            .iter()
            .filter(|(_, size)| *size != medatlas::model::Size::NotStated)
            .map(|(unit, _)| unit.as_str())
            .collect();
        if dataset.sizes.download_bytes.is_some() {
            keys.push("download_bytes");
        }
        let named = |key: &str| {
            let names = |numbers: &[String]| numbers.iter().any(|n| n == key);
            dataset.papers.iter().any(|p| names(&p.numbers))
                || dataset.sources.iter().any(|s| names(&s.numbers))
        };
        let path = &checked.sources()[dataset.source].path;
        for key in keys.into_iter().filter(|k| !named(k)) {
            let warned = checked.report.diagnostics.iter().any(|d| {
                &d.path == path
                    && d.code == medatlas::diagnostics::Code::UnsourcedNumber
                    && d.message.starts_with(&format!("`{key}`"))
            });
            assert!(
                warned,
                "{}: `{key}` has no source and no warning",
                dataset.slug
            );
        }
    }
}

/// Every entry names its licence by an id of `content/licenses.toml` (`unverified` when the
/// sources give none) and says when its numbers were last checked against its sources.
#[test]
fn every_entry_has_a_licence_id_and_the_date_it_was_checked() {
    let checked = checked();
    let ids: BTreeSet<&str> = checked
        .catalog
        .licenses
        .iter()
        .map(|l| l.id.as_str())
        .collect();
    assert!(ids.contains("unverified") && ids.contains("none-stated"));
    for d in &checked.catalog.datasets {
        let license = d.license.as_ref().map(|l| l.value.as_str());
        assert!(
            license.is_some_and(|id| ids.contains(id)),
            "{}: licence {license:?} is not an id of licenses.toml",
            d.slug
        );
        assert!(d.checked.is_some(), "{}: no `checked` date", d.slug);
    }
}

/// Every label of every class table and every `labels` list is a finding of labels.toml or a
/// synonym of one, so that the label matrix and the label facet group the catalog's labels.
#[test]
fn every_label_is_a_finding_or_a_synonym_of_one() {
    let catalog = checked().catalog;
    let own: Vec<String> = catalog
        .labels_without_finding()
        .into_iter()
        .map(|(slug, label)| format!("{slug}: {label}"))
        .collect();
    assert!(
        own.is_empty(),
        "{} labels are neither a finding nor a synonym in content/labels.toml: {own:#?}",
        own.len()
    );
}

/// Class balance: the entries whose publishers give counts per label carry them, split by split.
#[test]
fn at_least_45_entries_have_per_label_counts() {
    let catalog = checked().catalog;
    let with_labels: Vec<&str> = catalog
        .datasets
        .iter()
        .filter(|d| d.class_counts.iter().any(|t| !t.labels.is_empty()))
        .map(|d| d.slug.as_str())
        .collect();
    assert!(
        with_labels.len() >= 45,
        "{}: {with_labels:?}",
        with_labels.len()
    );
}

/// No page of the real site gives two elements one id (a description heading "Versions" beside
/// the page's own Versions section; two labels of the matrix with one id): links and labels
/// would reach only the first.
#[test]
fn no_page_of_the_real_site_repeats_an_id() {
    let (_dir, public) = common::built_real_catalog();
    let mut repeated = Vec::new();
    for entry in walkdir::WalkDir::new(&public) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = common::read(entry.path());
        let mut seen = BTreeSet::new();
        for id in html
            .split(" id=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
        {
            if !seen.insert(id) {
                repeated.push(format!("{}: {id}", entry.path().display()));
            }
        }
    }
    assert!(repeated.is_empty(), "{repeated:#?}");
}

/// The index's search on the real catalog finds what people type: other names of modalities
/// and findings, either spelling, a typo; `/` goes to the box, Enter opens the first result,
/// and filter terms no dataset would match are skipped by Tab.
#[test]
fn search_understands_what_people_type() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let (_dir, public) = common::built_real_catalog();
    let mut browser = browser::Browser::start(&chromium);
    let index = browser::file_url(&public.join("index.html"));
    let mut results = |query: &str| -> Vec<String> {
        browser.open_url(&format!("{index}#q={}", query.replace(' ', "+")));
        // The view of this query, not the last one's (a new fragment may not reload the page).
        browser.wait_for(&format!(
            "window.medatlasFinder && window.medatlasFinder.updates > 0 && \
             document.getElementById('finder-q').value === {}",
            serde_json::to_string(query).unwrap()
        ));
        let slugs = browser.eval(
            "[...document.querySelectorAll('#finder-results input[data-slug]')].map(i => i.dataset.slug)",
        );
        serde_json::from_value(slugs).unwrap()
    };
    for (query, expected) in [
        ("xray", &["nih-chestx-ray14", "chexpert", "mura"][..]),
        ("chest xray", &["nih-chestx-ray14", "chexpert", "vindr-cxr"]),
        ("CXR", &["nih-chestx-ray14", "mimic-cxr"]),
        ("radiograph", &["padchest", "jsrt"]),
        ("skin cancer", &["ham10000", "isic-2019", "pad-ufes-20"]),
        ("covid", &["covidx-cxr", "bimcv-covid19", "mosmeddata"]),
        ("brain tumour", &["brats-2021"]),
        ("oesophagitis", &["hyper-kvasir"]),
        ("pneumothorx", &["siim-acr-pneumothorax"]),
    ] {
        let found = results(query);
        for slug in expected {
            assert!(
                found.iter().any(|s| s == slug),
                "{query}: {slug} not in {found:?}"
            );
        }
    }
    assert_eq!(results("brain tumour"), results("brain tumor"));
    let status = browser.eval("document.getElementById('finder-status').textContent");
    assert!(
        status.as_str().unwrap_or_default().contains("of"),
        "{status}"
    );
    // A typo is corrected, and the page says so.
    browser.open_url(&format!("{index}#q=pneumothorx"));
    browser.wait_for("window.medatlasFinder && window.medatlasFinder.updates > 0");
    let status = browser.eval("document.getElementById('finder-status').textContent");
    assert!(
        status
            .as_str()
            .unwrap_or_default()
            .contains("no dataset has \u{201c}pneumothorx\u{201d}"),
        "{status}"
    );
    // `/` focuses the search box; Enter opens the first result.
    browser.open_url(&format!("{index}#q=chexpert"));
    browser.wait_for("window.medatlasFinder && window.medatlasFinder.updates > 0");
    browser.eval("document.body.focus(); document.dispatchEvent(new KeyboardEvent('keydown', { key: '/', bubbles: true }))");
    assert_eq!(browser.eval("document.activeElement.id"), "finder-q");
    let first =
        browser.eval("document.querySelector('#finder-results input[data-slug]').dataset.slug");
    browser.eval("document.getElementById('finder-q').dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }))");
    browser.wait_for("/datasets\\//.test(location.pathname)");
    let path = browser.eval("location.pathname");
    assert!(
        path.as_str()
            .unwrap_or_default()
            .ends_with(&format!("/datasets/{}.html", first.as_str().unwrap())),
        "{path}"
    );
    // With a filter on, terms that would match nothing are out of the Tab order.
    browser.open_url(&format!("{index}#modality=pet"));
    browser.wait_for("window.medatlasFinder && window.medatlasFinder.updates > 0");
    let skipped = browser.eval(
        "[...document.querySelectorAll('#finder-facets li.empty input')].every(i => i.tabIndex === -1) && \
         document.querySelectorAll('#finder-facets li.empty input').length > 0",
    );
    assert_eq!(skipped, true);
}

/// Compare and the label matrix name the class table they count from, and say when it is not
/// the official split (ChestX-ray14 publishes label counts only for the CheXNet split; its
/// official split has sizes only), and the matrix filters its findings and datasets. Which
/// table is chosen is `ClassTable::compared`'s unit test.
#[test]
fn compare_and_the_matrix_name_their_table_and_filter() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let (_dir, public) = common::built_real_catalog();
    let labels = common::read(&public.join("labels.html"));
    assert!(
        labels.contains("CheXNet 70/10/20 split</a> (not the official split)"),
        "the matrix names the table it uses"
    );
    let mut browser = browser::Browser::start(&chromium);
    browser.open_url(&format!(
        "{}#d=nih-chestx-ray14,mimic-cxr-jpg",
        browser::file_url(&public.join("compare.html"))
    ));
    browser.wait_for("document.querySelector('.compare-labels')");
    let headers = browser.eval("document.querySelector('.compare-labels thead').textContent");
    let headers = headers.as_str().unwrap_or_default();
    assert!(
        headers.contains("CheXNet 70/10/20 split (images; not the official split)"),
        "{headers}"
    );
    browser.open(&public.join("labels.html"));
    browser.wait_for("!document.getElementById('matrix-filters').hidden");
    let rows = |browser: &mut browser::Browser| -> (u64, u64) {
        let shown =
            browser.eval("document.querySelectorAll('table.matrix tbody tr:not([hidden])').length");
        let all = browser.eval("document.querySelectorAll('table.matrix tbody tr').length");
        (shown.as_u64().unwrap(), all.as_u64().unwrap())
    };
    browser.eval(
        "const f = document.getElementById('matrix-findings'); f.value = 'effusion'; \
         f.dispatchEvent(new Event('input'))",
    );
    let (shown, all) = rows(&mut browser);
    assert!(shown >= 1 && shown < all, "{shown} of {all}");
    let every = browser.eval(
        "[...document.querySelectorAll('table.matrix tbody tr:not([hidden]) th')].every(th => /effusion/i.test(th.textContent))",
    );
    assert_eq!(every, true);
    browser.eval(
        "const d = document.getElementById('matrix-datasets'); d.value = 'vindr'; \
         d.dispatchEvent(new Event('input'))",
    );
    let columns = browser.eval(
        "[...document.querySelectorAll('table.matrix thead th:not([hidden])')].slice(1).every(th => /vindr/i.test(th.textContent))",
    );
    assert_eq!(columns, true);
}

/// The real index at 1400 x 900 shows at least six results above the fold; on a 390 px phone
/// no page kind scrolls sideways, the filters wait behind a button, and the first result is on
/// the first screen.
#[test]
fn results_fit_the_screen_on_a_laptop_and_a_phone() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let (_dir, public) = common::built_real_catalog();
    let mut browser = browser::Browser::start(&chromium);
    browser.viewport(1400, 900, false);
    browser.open(&public.join("index.html"));
    browser.wait_for("window.medatlasFinder && window.medatlasFinder.updates > 0");
    let above = browser.eval(
        "[...document.querySelectorAll('#finder-results > li.result')].filter(li => li.getBoundingClientRect().bottom <= innerHeight).length",
    );
    let layout = browser.eval(
        "JSON.stringify({first: Math.round(document.querySelector('#finder-results > li.result').getBoundingClientRect().top), rows: [...document.querySelectorAll('#finder-results > li.result')].slice(0, 8).map(li => Math.round(li.getBoundingClientRect().height))})",
    );
    assert!(
        above.as_u64().unwrap() >= 6,
        "{above} results above the fold at 1400 x 900: {layout}"
    );

    browser.viewport(390, 844, false);
    let mut wide = Vec::new();
    for page in REAL_PAGE_KINDS {
        let (file, fragment) = page.split_once('#').unwrap_or((page, ""));
        let url = browser::file_url(&public.join(file));
        browser.open_url(&if fragment.is_empty() {
            url
        } else {
            format!("{url}#{fragment}")
        });
        browser::wait_for_view(&mut browser, page);
        let overflow = browser.eval("document.documentElement.scrollWidth - innerWidth");
        if overflow.as_i64().unwrap_or(0) > 0 {
            wide.push(format!("{page}: {overflow} px too wide"));
        }
    }
    assert!(wide.is_empty(), "{wide:#?}");
    // Class charts fit the phone's width rather than scroll inside their box.
    browser.open(&public.join("datasets/nih-chestx-ray14.html"));
    let charts = browser.eval(
        "[...document.querySelectorAll('.chart-block')].filter(b => b.scrollWidth > b.clientWidth).length",
    );
    assert_eq!(charts, 0, "a class chart wider than a 390 px screen");
    browser.open(&public.join("index.html"));
    browser.wait_for("window.medatlasFinder && window.medatlasFinder.updates > 0");
    let first = browser.eval("document.querySelector('#finder-results > li.result').getBoundingClientRect().top < innerHeight");
    assert_eq!(first, true, "the first result on the first screen");
    let hidden = browser.eval("getComputedStyle(document.getElementById('finder-facets')).display");
    assert_eq!(hidden, "none");
    browser.eval("document.getElementById('finder-filters-toggle').click()");
    let shown = browser.eval("getComputedStyle(document.getElementById('finder-facets')).display");
    assert_ne!(shown, "none");
    assert_eq!(
        browser
            .eval("document.getElementById('finder-filters-toggle').getAttribute('aria-expanded')"),
        "true"
    );
}
