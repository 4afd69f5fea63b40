//! Building fixture catalogs into temporary directories and asserting on the output: links,
//! determinism, failed builds, overrides, the search index, charts, term pages, metadata.

mod common;

use std::fs;
use std::path::PathBuf;

/// Every href and src of every page kind resolves to a file of the site (or is an http(s)
/// or mailto URL), and every fragment names an id on its page; links between entries too.
#[test]
fn every_link_resolves() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&common::fixtures().join("browse"), dir.path());
    let entry = dir.path().join("content/datasets/alpha-cxr.md");
    let mut text = common::read(&entry);
    text.push_str(
        "\nSee [Delta's split](delta-cxr.md#table-1) and [Beta](../datasets/beta-ct.md).\n",
    );
    fs::write(&entry, text).unwrap();
    let public = common::build(dir.path());
    let links = common::links(&public);
    assert!(
        links.broken.is_empty(),
        "broken links:\n{}",
        links.broken.join("\n")
    );
    let kinds = [
        "index.html",
        "404.html",
        "tasks.html",
        "labels.html",
        "compare.html",
        "datasets/alpha-cxr.html",
        "modalities/x-ray.html",
        "body-regions/lung.html",
        "tasks/segmentation.html",
        "access/credentialed.html",
    ];
    for kind in kinds {
        assert!(
            links.pages.contains(&PathBuf::from(kind)),
            "{kind} was checked"
        );
    }
    assert!(links.followed > 100, "{} links followed", links.followed);
    assert!(
        links.with_fragment > 10,
        "{} fragments checked",
        links.with_fragment
    );
    let alpha = common::read(&public.join("datasets/alpha-cxr.html"));
    assert!(
        alpha.contains("href=\"delta-cxr.html#table-1\""),
        "the entry link is checked"
    );
}

#[test]
fn output_is_byte_identical_whatever_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&common::fixtures().join("browse"), dir.path());
    let mut trees = Vec::new();
    for jobs in [1, 2, 4] {
        let output = dir.path().join(format!("out-{jobs}"));
        let options = medatlas::BuildOptions {
            root: dir.path().to_path_buf(),
            output: output.clone(),
            force: false,
            jobs: Some(jobs),
        };
        assert!(medatlas::build(&options).is_ok());
        trees.push(common::tree(&output));
    }
    assert!(trees[0].len() > 5);
    assert!(trees.windows(2).all(|w| w[0] == w[1]), "builds differ");
}

#[test]
fn a_build_with_nothing_changed_reports_the_same_and_writes_nothing() {
    let fixture = common::fixtures().join("errors/warnings");
    let dir = common::catalog(Some(&fixture));
    let public = dir.path().join("public");
    let staging = dir.path().join(".public.medatlas-next");
    let first = common::medatlas(dir.path(), &["build"]);
    let first_err = common::stderr(&first);
    assert!(first.status.success(), "{first_err}");
    assert!(public.join(medatlas::output::manifest::MANIFEST).is_file());

    let again = common::medatlas(dir.path(), &["build"]);
    let again_err = common::stderr(&again);
    assert!(again.status.success(), "{again_err}");
    assert!(again_err.contains("is up to date"), "{again_err}");
    let report = |text: &str| text.rsplit_once("0 errors").unwrap().0.to_string();
    assert_eq!(report(&first_err), report(&again_err), "the same warnings");
    assert!(again_err.contains("0 errors, 3 warnings"), "{again_err}");
    assert!(!staging.exists(), "nothing was staged");

    // A file that loading reports is seen: here an error, so nothing is built.
    let stray = dir.path().join("content/notes.txt");
    fs::write(&stray, "not an entry").unwrap();
    let refused = common::medatlas(dir.path(), &["build"]);
    assert!(common::stderr(&refused).contains("misplaced-file"));
    fs::remove_file(&stray).unwrap();

    // Any change to an input builds again: an entry, a static file, a template; and so does a
    // file missing from the site, or a manifest that does not read.
    let good = dir.path().join("content/datasets/good.md");
    let text = common::read(&good);
    fs::write(&good, text.replace("Good Set", "Better Set")).unwrap();
    let changes: [&dyn Fn(); 4] = [
        &|| {
            fs::create_dir_all(dir.path().join("static")).unwrap();
            fs::write(dir.path().join("static/extra.txt"), "x").unwrap();
        },
        &|| {
            let base = common::manifest_dir().join("templates/base.html");
            let text = common::read(&base).replace("</body>", "<!-- own --></body>");
            fs::create_dir_all(dir.path().join("templates")).unwrap();
            fs::write(dir.path().join("templates/base.html"), text).unwrap();
        },
        &|| fs::remove_file(public.join("datasets/good.html")).unwrap(),
        &|| {
            let manifest = public.join(medatlas::output::manifest::MANIFEST);
            fs::write(manifest, "{not json").unwrap();
        },
    ];
    let build = || {
        let out = common::medatlas(dir.path(), &["build"]);
        let err = common::stderr(&out);
        assert!(out.status.success(), "{err}");
        assert!(err.contains("built "), "{err}");
    };
    build();
    assert!(common::read(&public.join("datasets/good.html")).contains("Better Set"));
    for change in changes {
        change();
        build();
    }
    assert!(public.join("extra.txt").exists());
    assert!(common::read(&public.join("datasets/good.html")).contains("<!-- own -->"));
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let dir = common::catalog(None);
    let public = common::build(dir.path());
    let before = common::tree(&public);
    assert!(before.len() > 5);
    let entry = dir.path().join("content/datasets/good.md");
    let text = common::read(&entry).replacen("modalities", "modalites", 1);
    fs::write(&entry, text).unwrap();
    let output = common::medatlas(dir.path(), &["build"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(common::tree(&public), before);
    let siblings: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        siblings
            .iter()
            .all(|n| !n.to_string_lossy().contains("medatlas-")),
        "no staging directory left behind: {siblings:?}"
    );
}

#[test]
fn a_contributors_typo_gets_one_error_with_location_and_suggestion() {
    let dir = common::catalog(None);
    let entry = dir.path().join("content/datasets/good.md");
    let text = common::read(&entry);
    let line = text
        .lines()
        .position(|l| l.starts_with("modalities"))
        .unwrap()
        + 1;
    fs::write(&entry, text.replacen("modalities", "modalites", 1)).unwrap();
    let output = common::medatlas(dir.path(), &["check"]);
    let stderr = common::stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.matches("error[").count(), 1, "{stderr}");
    assert!(stderr.contains("\n1 error, "), "{stderr}");
    assert!(
        stderr.contains(&format!("content/datasets/good.md:{line}:1")),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `modalities`?"), "{stderr}");
}

#[test]
fn refuses_to_replace_a_directory_it_did_not_create() {
    let dir = common::catalog(None);
    let public = dir.path().join("public");
    fs::create_dir_all(&public).unwrap();
    fs::write(public.join("precious.txt"), "keep me").unwrap();
    let output = common::medatlas(dir.path(), &["build"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(common::stderr(&output).contains("--force"));
    assert_eq!(common::read(&public.join("precious.txt")), "keep me");

    let output = common::medatlas(dir.path(), &["build", "--force"]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    assert!(!public.join("precious.txt").exists());
    assert!(public.join(medatlas::output::MARKER).exists());
    // Now it is ours: a plain rebuild replaces it.
    assert!(common::medatlas(dir.path(), &["build"]).status.success());
}

#[test]
fn refuses_an_output_that_contains_the_catalog() {
    let dir = common::catalog(None);
    for output in [".", "content", "content/x"] {
        let result = common::medatlas(dir.path(), &["build", "--force", "--output", output]);
        assert_eq!(result.status.code(), Some(2), "{output}");
        assert!(common::stderr(&result).contains("refusing"), "{output}");
    }
    assert!(dir.path().join("content/site.toml").exists());
}

#[test]
fn builds_a_catalog_elsewhere_with_the_embedded_templates() {
    let dir = common::catalog(None);
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    let output = common::medatlas(
        out.path(),
        &[
            "build",
            "--root",
            dir.path().to_str().unwrap(),
            "--output",
            target.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", common::stderr(&output));
    let page = common::read(&target.join("datasets/good.html"));
    assert!(page.contains("<h1>Good Set</h1>"));
    assert!(page.contains("href=\"../style.css\""));
    assert!(target.join("style.css").exists());
}

#[test]
fn a_catalogs_own_template_and_static_files_win() {
    let dir = common::catalog(None);
    fs::create_dir_all(dir.path().join("templates")).unwrap();
    fs::write(
        dir.path().join("templates/tasks.html"),
        "custom {{ site.progress.done }}/{{ site.progress.total }}",
    )
    .unwrap();
    fs::create_dir_all(dir.path().join("static/img")).unwrap();
    fs::write(dir.path().join("static/style.css"), "body{}").unwrap();
    fs::write(dir.path().join("static/img/logo.svg"), "<svg/>").unwrap();
    let public = common::build(dir.path());
    assert_eq!(common::read(&public.join("tasks.html")), "custom 1/2");
    assert_eq!(common::read(&public.join("style.css")), "body{}");
    assert_eq!(common::read(&public.join("img/logo.svg")), "<svg/>");
    assert!(
        common::read(&public.join("index.html")).contains("Good Set"),
        "other defaults stay"
    );
}

#[test]
fn a_broken_template_is_reported_and_nothing_is_written() {
    let dir = common::catalog(None);
    fs::create_dir_all(dir.path().join("templates")).unwrap();
    fs::write(dir.path().join("templates/index.html"), "{% if %}").unwrap();
    let output = common::medatlas(dir.path(), &["build"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        common::stderr(&output).contains("template"),
        "{}",
        common::stderr(&output)
    );
    assert!(!dir.path().join("public").exists());
}

#[test]
fn warnings_become_data_notes_on_the_page() {
    let fixture = common::fixtures().join("errors/warnings");
    let dir = common::catalog(Some(&fixture));
    let output = common::medatlas(dir.path(), &["build"]);
    let stderr = common::stderr(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("0 errors, 3 warnings"), "{stderr}");
    let page = common::read(&dir.path().join("public/datasets/broken.html"));
    assert!(page.contains("Data notes"));
    assert!(
        page.contains("sum to 150 images, but images says 151"),
        "{page}"
    );
    assert!(!common::read(&dir.path().join("public/datasets/good.html")).contains("Data notes"));
}

#[test]
fn raw_html_in_an_entry_is_sanitised() {
    let dir = common::catalog(None);
    let entry = dir.path().join("content/datasets/good.md");
    let mut text = common::read(&entry);
    text.push_str("\n<script>alert(1)</script>\n\n<img src=x onerror=\"alert(2)\"> [x](javascript:alert(3))\n\n## Split details\n");
    fs::write(&entry, text).unwrap();
    let page = common::read(&common::build(dir.path()).join("datasets/good.html"));
    assert!(!page.contains("alert("), "{page}");
    assert!(page.contains("id=\"split-details\""));
}

#[test]
fn pure_toml_entries_build_with_their_notes() {
    let dir = common::catalog(None);
    fs::write(
        dir.path().join("content/datasets/plain.toml"),
        "name = \"Plain\"\nsummary = \"s\"\npublisher = \"p\"\nhomepage = \"https://a.org\"\n\
         modalities = [\"ct\"]\nbody_regions = [\"chest\"]\ntasks = [\"segmentation\"]\naccess = \"registration\"\n\
         notes = \"Notes in *Markdown*.\"\n",
    )
    .unwrap();
    let page = common::read(&common::build(dir.path()).join("datasets/plain.html"));
    assert!(page.contains("Notes in <em>Markdown</em>."));
    assert!(page.contains("Accept a research use agreement."));
}

#[test]
fn usage_errors_exit_with_2() {
    let dir = common::catalog(None);
    assert_eq!(
        common::medatlas(dir.path(), &["frobnicate"]).status.code(),
        Some(2)
    );
    let missing = common::medatlas(dir.path(), &["check", "--root", "does-not-exist"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(common::stderr(&missing).contains("no content directory"));
}

#[test]
fn rebuilds_reuse_the_staging_directory_and_drop_removed_pages() {
    let dir = common::catalog(None);
    let extra = dir.path().join("content/datasets/extra.md");
    let good = common::read(&dir.path().join("content/datasets/good.md"));
    fs::write(&extra, good.replace("Good Set", "Extra Set")).unwrap();
    fs::create_dir_all(dir.path().join("static/img")).unwrap();
    fs::write(dir.path().join("static/img/old.svg"), "<svg/>").unwrap();
    let public = common::build(dir.path());
    // Without its manifest the site is built again in full, through the staging directory.
    fs::remove_file(public.join(medatlas::output::manifest::MANIFEST)).unwrap();
    common::build(dir.path());
    assert!(public.join("datasets/extra.html").exists());
    let staging = dir.path().join(".public.medatlas-next");
    assert!(
        staging.join(medatlas::output::MARKER).exists(),
        "the previous site is kept for reuse"
    );

    fs::remove_file(&extra).unwrap();
    fs::remove_dir_all(dir.path().join("static/img")).unwrap();
    fs::write(
        dir.path().join("content/datasets/good.md"),
        good.replace("Some **Markdown**.", "Changed body."),
    )
    .unwrap();
    for _ in 0..2 {
        common::build(dir.path());
        assert!(
            !public.join("datasets/extra.html").exists(),
            "removed entry's page is gone"
        );
        assert!(
            !public.join("img").exists(),
            "removed static files are gone"
        );
        assert!(common::read(&public.join("datasets/good.html")).contains("Changed body."));
        assert!(!common::read(&public.join("index.html")).contains("Extra Set"));
    }
    let fresh = tempfile::tempdir().unwrap();
    let options = medatlas::BuildOptions {
        root: dir.path().to_path_buf(),
        output: fresh.path().join("site"),
        force: false,
        jobs: None,
    };
    assert!(medatlas::build(&options).is_ok());
    assert_eq!(
        common::tree(&public),
        common::tree(&fresh.path().join("site")),
        "a rebuild equals a fresh build"
    );
}

/// The search index of a built site, read from its core file and its shards: scripts that
/// each call `medatlasShard(name, data)`.
struct SearchIndex {
    core: serde_json::Value,
    /// Every dataset's slug, in catalog order, from the display records.
    slugs: Vec<String>,
    /// Every word, sorted, with its postings, from the postings shards.
    terms: Vec<(String, String)>,
}

/// The data a shard's script passes to `medatlasShard`.
fn shard_data(path: &std::path::Path) -> serde_json::Value {
    let js = common::read(path);
    let json = js
        .strip_prefix("medatlasShard(\"")
        .and_then(|rest| rest.split_once("\",").map(|(_, data)| data))
        .and_then(|rest| rest.strip_suffix(");\n"))
        .expect("a script that calls medatlasShard once");
    serde_json::from_str(json).unwrap()
}

/// Numbers in the index's 5-bit varints (src/derive/search_files.rs).
fn varints(text: &str) -> Vec<u64> {
    const DIGITS: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
    let (mut out, mut value, mut shift) = (Vec::new(), 0, 0);
    for c in text.chars() {
        let digit = DIGITS.find(c).unwrap() as u64;
        value |= (digit & 31) << shift;
        shift += 5;
        if digit < 32 {
            out.push(value);
            (value, shift) = (0, 0);
        }
    }
    out
}

impl SearchIndex {
    fn read(public: &std::path::Path) -> SearchIndex {
        let core = shard_data(&public.join("search-index.js"));
        let mut slugs = Vec::new();
        for k in 0.. {
            let path = public.join(format!("search/d-{k}.js"));
            if !path.exists() {
                break;
            }
            let records = shard_data(&path);
            let records = records.as_array().unwrap().iter();
            slugs.extend(records.map(|r| r[0].as_str().unwrap().to_string()));
        }
        let mut terms = Vec::new();
        for entry in fs::read_dir(public.join("search")).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with("p-") {
                let shard = shard_data(&path);
                let postings = shard["postings"].as_array().unwrap();
                for (term, list) in shard["terms"].as_array().unwrap().iter().zip(postings) {
                    let pair = (term.as_str().unwrap(), list.as_str().unwrap());
                    terms.push((pair.0.to_string(), pair.1.to_string()));
                }
            }
        }
        terms.sort();
        SearchIndex { core, slugs, terms }
    }

    fn terms(&self) -> Vec<&str> {
        self.terms.iter().map(|(t, _)| t.as_str()).collect()
    }

    /// The datasets holding `word`, each with the field it was found in: postings are
    /// `(doc gap) * 8 + field`.
    fn postings(&self, word: &str) -> Vec<(String, u64)> {
        let (_, list) = self
            .terms
            .iter()
            .find(|(t, _)| t == word)
            .unwrap_or_else(|| panic!("no term {word}"));
        let mut doc = 0;
        varints(list)
            .into_iter()
            .map(|v| {
                doc += v / 8;
                (self.slugs[doc as usize].clone(), v % 8)
            })
            .collect()
    }

    /// The datasets of a facet's term, from the core file's sets (`b` and a bitmap of six
    /// datasets per digit, or `g` and varint gaps).
    fn facet_docs(&self, facet: &str, term: usize) -> Vec<&str> {
        const DIGITS: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
        let set = self.core["sets"][facet][term].as_str().unwrap();
        let mut docs = Vec::new();
        if let Some(bits) = set.strip_prefix('b') {
            for (i, c) in bits.chars().enumerate() {
                let digit = DIGITS.find(c).unwrap();
                docs.extend((0..6).filter(|b| digit >> b & 1 == 1).map(|b| i * 6 + b));
            }
        } else {
            let mut last: i64 = -1;
            for gap in varints(&set[1..]) {
                last += gap as i64 + 1;
                docs.push(last as usize);
            }
        }
        docs.into_iter().map(|d| self.slugs[d].as_str()).collect()
    }
}

/// The search index: scripts that each pass their data to one function, terms sorted for
/// prefix search, postings that decode to the datasets holding each word with the field it was
/// found in.
#[test]
fn the_search_index_finds_words_with_their_fields() {
    use medatlas::derive::search::*;
    let (_dir, public) = common::built_fixture("browse");
    let index = SearchIndex::read(&public);
    let terms = index.terms();
    assert!(
        terms.windows(2).all(|w| w[0] < w[1]),
        "terms sorted and unique"
    );
    let field = |name: u8| u64::from(name);
    assert_eq!(
        index.postings("effusion"),
        [
            ("alpha-cxr".into(), field(FIELD_LABEL)),
            ("beta-ct".into(), field(FIELD_BODY)),
            ("delta-cxr".into(), field(FIELD_LABEL)),
        ]
    );
    assert_eq!(
        index.postings("alphax"),
        [("alpha-cxr".into(), field(FIELD_ALIAS))]
    );
    let gamma = index.postings("gamma");
    assert_eq!(gamma, [("gamma-mri".into(), field(FIELD_NAME))]);
    assert_eq!(
        index.postings("tuberculosis"),
        [("alpha-cxr".into(), field(FIELD_BODY))]
    );
    assert!(
        !terms.contains(&"https"),
        "link targets in bodies are not indexed"
    );
    let shards: Vec<&str> = index.core["shards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    assert!(
        shards.contains(&"ef") && shards.contains(&"tu"),
        "{shards:?}"
    );
}

/// The label facet of the search index merges synonyms (Effusion -> Pleural Effusion).
#[test]
fn the_search_index_merges_label_synonyms_in_its_facet() {
    let (_dir, public) = common::built_fixture("browse");
    let index = SearchIndex::read(&public);
    let labels: Vec<&str> = index.core["facets"]["label"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l[1].as_str().unwrap())
        .collect();
    let effusion = labels
        .iter()
        .position(|l| *l == "Pleural Effusion")
        .unwrap();
    assert!(index.facet_docs("label", effusion).contains(&"alpha-cxr"));
}

/// Lineage is declared once and shown on both pages: Delta is built from Alpha's images (in
/// Delta's entry), Beta shares patients with Alpha (in Beta's). Alpha's page lists both, from
/// its side, with links to the pages; a rename of Delta shows on Alpha's page and on
/// lineage.html.
#[test]
fn lineage_shows_on_both_pages_and_the_lineage_page() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&common::fixtures().join("browse"), dir.path());
    let public = common::build(dir.path());
    let alpha = common::read(&public.join("datasets/alpha-cxr.html"));
    let section = alpha.split("id=\"lineage\"").nth(1).unwrap();
    assert!(section.contains(
        "<a href=\"../datasets/delta-cxr.html\">Delta Chest X-ray</a> is built from this dataset&#39;s images."
    ));
    assert!(
        section.contains(
            "Shares patients with <a href=\"../datasets/beta-ct.html\">Beta Lung CT</a>."
        )
    );
    assert!(section.contains("(stated in the entry of Delta Chest X-ray)"));
    let delta = common::read(&public.join("datasets/delta-cxr.html"));
    let section = delta.split("id=\"lineage\"").nth(1).unwrap();
    assert!(section.contains(
        "Built from the images of <a href=\"../datasets/alpha-cxr.html\">Alpha CXR</a>."
    ));
    assert!(
        section.contains("re-read by <em>two</em> radiologists"),
        "`how` is Markdown"
    );
    let gamma = common::read(&public.join("datasets/gamma-mri.html"));
    assert!(
        !gamma.contains("id=\"lineage\""),
        "no section without lineage"
    );

    let entry = dir.path().join("content/datasets/delta-cxr.md");
    let renamed =
        common::read(&entry).replace("name = \"Delta Chest X-ray\"", "name = \"Delta Renamed\"");
    fs::write(&entry, renamed).unwrap();
    let public = common::build(dir.path());
    let alpha = common::read(&public.join("datasets/alpha-cxr.html"));
    assert!(alpha.contains(">Delta Renamed</a> is built from this dataset"));
    let lineage = common::read(&public.join("lineage.html"));
    assert!(lineage.contains("<title>Delta Renamed</title>"));
    assert!(lineage.contains(
        "<a href=\"datasets/delta-cxr.html\">Delta Renamed</a> is built from the images of <a href=\"datasets/alpha-cxr.html\">Alpha CXR</a>"
    ));
    let index = SearchIndex::read(&public);
    assert!(
        index.terms().contains(&"alpha"),
        "the other entry's slug is a search word"
    );
}

/// Delta's table: three labels over three splits, largest "Normal" in Train (9,000); totals
/// Normal 9,980 over Lung Lesion 550. A sizes-only table added to it gets no chart.
#[test]
fn class_tables_have_a_chart_with_one_bar_per_label_and_split() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&common::fixtures().join("browse"), dir.path());
    let entry = dir.path().join("content/datasets/delta-cxr.md");
    let sizes_only = "[[class_counts]]\ntitle = \"Sizes only\"\nsource = \"https://example.org/delta-cxr/sizes\"\nsplits = [\"All\"]\nimages = [20000]\n+++\n";
    let text = common::read(&entry).replacen("+++\n\n", &format!("{sizes_only}\n"), 1);
    fs::write(&entry, text).unwrap();
    let public = common::build(dir.path());
    let html = common::read(&public.join("datasets/delta-cxr.html"));
    assert!(
        html.contains("Sizes only"),
        "the sizes-only table is on the page"
    );
    let (chart, bars) = common::chart_bars(&html);
    assert_eq!(bars.len(), 3 * 3, "3 labels x 3 splits");
    let mut counts: Vec<u64> = bars.iter().map(|(c, _)| *c).collect();
    counts.sort_unstable();
    assert_eq!(counts, [20, 30, 150, 170, 480, 500, 500, 3000, 9000]);
    let (max_count, max_width) = bars.iter().copied().max_by_key(|(c, _)| *c).unwrap();
    assert_eq!(max_count, 9000, "Normal, Train");
    for (count, width) in &bars {
        let expected = *count as f64 / max_count as f64 * max_width;
        assert!(
            (width - expected).abs() < 0.01,
            "{count} -> {width}, expected {expected}"
        );
    }
    assert!(
        chart.contains("<title>Pleural Effusion, Train: 3,000 (16.7%)</title>"),
        "{chart}"
    );
    assert!(
        html.contains("Imbalance ratio 18 : 1"),
        "Normal 9,980 / Lung Lesion 550"
    );
    assert_eq!(html.matches("<svg class=\"class-chart\"").count(), 1);
}

#[test]
fn term_pages_and_the_label_matrix_work_without_javascript() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&common::fixtures().join("browse"), dir.path());
    let public = common::build(dir.path());
    let xray = common::read(&public.join("modalities/x-ray.html"));
    assert!(
        xray.contains("href=\"../datasets/alpha-cxr.html\"")
            && xray.contains("href=\"../datasets/delta-cxr.html\"")
    );
    assert!(!xray.contains("beta-ct.html"));
    assert!(xray.contains("<code>CR</code>"), "DICOM codes");
    assert!(
        public.join("tasks/segmentation.html").exists()
            && public.join("body-regions/lung.html").exists()
    );
    assert!(public.join("access/credentialed.html").exists());
    let index = common::read(&public.join("index.html"));
    assert!(
        index.contains("href=\"modalities/x-ray.html\""),
        "browse-by links on the index"
    );

    let matrix = common::read(&public.join("labels.html"));
    let row = |finding: &str| {
        let start = matrix.find(&format!("id=\"finding-{finding}\"")).unwrap();
        matrix[start..start + matrix[start..].find("</tr>").unwrap()].to_string()
    };
    // Effusion (alpha) and Pleural Effusion (delta) share one row; Mass is related to Lung Lesion.
    let effusion = row("pleural-effusion");
    assert!(
        effusion.contains("Effusion <span class=\"num\">100</span>"),
        "{effusion}"
    );
    assert!(
        effusion.contains("Pleural Effusion <span class=\"num\">3,320</span>"),
        "{effusion}"
    );
    let lesion = row("lung-lesion");
    assert!(
        lesion.contains("cell related") && lesion.contains("Mass"),
        "{lesion}"
    );
    assert!(row("no-finding").contains("Normal"), "synonym merged");
}

#[test]
fn links_between_entries_point_at_their_pages() {
    let dir = common::catalog(None);
    fs::write(
        dir.path().join("content/datasets/linker.md"),
        "+++\nname = \"Linker\"\nsummary = \"s\"\npublisher = \"p\"\nhomepage = \"https://a.org\"\n\
         modalities = [\"x-ray\"]\nbody_regions = [\"chest\"]\ntasks = [\"classification\"]\naccess = \"open\"\n+++\n\n\
         See [the split](good.md#table-1) and [the set](../datasets/good.md).\n",
    )
    .unwrap();
    let public = common::build(dir.path());
    let page = common::read(&public.join("datasets/linker.html"));
    assert!(page.contains("href=\"good.html#table-1\""), "{page}");
    assert!(page.contains("href=\"../datasets/good.html\""), "{page}");
    assert!(common::read(&public.join("datasets/good.html")).contains("id=\"table-1\""));
}

#[test]
fn with_a_repository_pages_link_to_edit_and_propose() {
    let dir = common::catalog(None);
    let site = dir.path().join("content/site.toml");
    let mut text = common::read(&site);
    text.push_str("repository = \"https://github.com/example/atlas/\"\n");
    fs::write(&site, text).unwrap();
    let public = common::build(dir.path());
    let page = common::read(&public.join("datasets/good.html"));
    assert!(
        page.contains(
            "href=\"https://github.com/example/atlas/edit/main/content/datasets/good.md\""
        ),
        "{page}"
    );
    let index = common::read(&public.join("index.html"));
    let start = index.find("https://github.com/example/atlas/new/main/content/datasets?filename=your-dataset.md&amp;value=%2B%2B%2B%0A").expect("propose link");
    assert!(index[start..].contains("Propose a dataset"));
    // A catalog's own entry template is the one proposed.
    fs::create_dir_all(dir.path().join("templates")).unwrap();
    fs::write(
        dir.path().join("templates/new-entry.md"),
        "+++\nname = \"OWN TEMPLATE\"\n+++\n",
    )
    .unwrap();
    let public = common::build(dir.path());
    assert!(
        common::read(&public.join("index.html"))
            .contains("value=%2B%2B%2B%0Aname%20%3D%20%22OWN%20TEMPLATE")
    );
    // Without a repository, no such links.
    let plain = common::catalog(None);
    let public = common::build(plain.path());
    assert!(!common::read(&public.join("datasets/good.html")).contains("Edit this entry"));
}

#[test]
fn dataset_pages_carry_schema_org_metadata_and_a_base_url_adds_a_sitemap() {
    let dir = common::catalog(None);
    let public = common::build(dir.path());
    assert!(
        !public.join("sitemap.xml").exists(),
        "no absolute URLs without base_url"
    );
    let page = common::read(&public.join("datasets/good.html"));
    let start = page.find("<script type=\"application/ld+json\">").unwrap() + 35;
    let json: serde_json::Value =
        serde_json::from_str(&page[start..start + page[start..].find("</script>").unwrap()])
            .unwrap();
    assert_eq!(json["@type"], "Dataset");
    assert_eq!(json["name"], "Good Set");
    assert_eq!(json["sameAs"], "https://example.org/good");
    assert_eq!(json["isAccessibleForFree"], true);
    assert!(json.get("url").is_none());

    let site = dir.path().join("content/site.toml");
    let mut text = common::read(&site);
    text.push_str("base_url = \"https://example.org/atlas/\"\n");
    fs::write(&site, text).unwrap();
    let public = common::build(dir.path());
    let sitemap = common::read(&public.join("sitemap.xml"));
    assert!(
        sitemap.contains("<loc>https://example.org/atlas/datasets/good.html</loc>"),
        "{sitemap}"
    );
    assert!(sitemap.contains("<loc>https://example.org/atlas/modalities/x-ray.html</loc>"));
    let page = common::read(&public.join("datasets/good.html"));
    assert!(page.contains("\"url\":\"https://example.org/atlas/datasets/good.html\""));
}

#[test]
fn the_catalog_is_also_a_spreadsheet() {
    let dir = common::catalog(None);
    let entry = dir.path().join("content/datasets/good.md");
    fs::write(
        &entry,
        common::read(&entry)
            .replace("\"Test Hospital\"", "\"Test Hospital, \\\"North\\\"\"")
            .replace("images = 150", "images = { at_least = 150 }\nvolumes = 3")
            .replace(
                "patients = 40",
                "patients = \"not stated\"\ndownload_bytes = 1000\nchecked = 2026-11-20",
            ),
    )
    .unwrap();
    // A second entry built from the first: its lineage is a column of its own.
    let derived = common::read(&entry)
        .replace("name = \"Good Set\"", "name = \"Other Set\"")
        .replacen(
            "+++\n\n",
            "[[lineage]]\nrelation = \"derived-from\"\nentry = \"good\"\nhow = \"Crops.\"\n\n[[lineage]]\nrelation = \"shares-patients\"\nentry = \"third\"\nhow = \"Same ward.\"\n+++\n\n",
            1,
        );
    let other = dir.path().join("content/datasets/other.md");
    fs::write(&other, &derived).unwrap();
    let third = derived.replace("name = \"Other Set\"", "name = \"Third Set\"");
    let third = &third[..third.find("[[lineage]]").unwrap()];
    fs::write(
        dir.path().join("content/datasets/third.md"),
        format!("{third}+++\n\nText.\n"),
    )
    .unwrap();
    let public = common::build(dir.path());
    let csv = common::read(&public.join("catalog.csv"));
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "slug,name,modalities,body_regions,tasks,access,license,year,images,patients,publisher,homepage,doi,page,volumes,slides,videos,studies,series,main_unit,download_bytes,checked,version,versions,lineage,access_steps,downloads,label_methods,annotation_types"
    );
    assert_eq!(
        lines[1],
        "good,Good Set,X-ray radiography,Chest,Classification,Open,,,>=150,not stated,\"Test Hospital, \"\"North\"\"\",https://example.org/good,,datasets/good.html,3,,,,,,1000,2026-11-20,,,,,,,"
    );
    assert!(
        lines[2].starts_with("other,Other Set,")
            && lines[2]
                .ends_with(",1000,2026-11-20,,,derived-from:good; shares-patients:third,,,,"),
        "{}",
        lines[2]
    );
    let page = common::read(&public.join("datasets/good.html"));
    for shown in [
        "≥ 150 images",
        "3 volumes",
        "not stated by the source",
        "1.0 kB",
    ] {
        assert!(page.contains(shown), "`{shown}` not on the page");
    }
    let index = common::read(&public.join("index.html"));
    assert!(
        index.contains(">≥ 150 images</td>"),
        "the main unit is images"
    );
    assert_eq!(lines.len(), 5, "header, three datasets, final line break");
    assert!(common::read(&public.join("index.html")).contains("href=\"catalog.csv\""));
}

/// How to get a dataset and how it was labelled: the steps in order with their links, where
/// the files are, each label set's method in plain words with its annotation types, on the
/// page, in the comparison data and in `catalog.csv`.
#[test]
fn access_steps_downloads_and_label_sets_are_shown() {
    let dir = common::catalog(None);
    let entry = dir.path().join("content/datasets/good.md");
    let sets = "\n[[access_steps]]\nstep = \"account\"\nwhat = \"Create an account.\"\n\
         url = \"https://example.org/register\"\n\
         [[access_steps]]\nstep = \"approval\"\nwhat = \"Wait for *approval*.\"\n\
         [[downloads]]\nkind = \"torrent\"\nurl = \"https://example.org/good.torrent\"\nwhat = \"All images\"\n\
         [[downloads]]\nkind = \"bucket\"\nurl = \"gs://good-bucket\"\n\
         [[label_sets]]\nname = \"Test set\"\nmethod = \"consensus\"\nreaders = 3\n\
         annotations = [\"boxes\", \"masks\"]\nhow = \"Read by **three**.\"\n+++";
    let text = common::read(&entry).replace("access = \"open\"", "access = \"registration\"");
    let at = text.rfind("\n+++").unwrap();
    fs::write(&entry, format!("{}{sets}{}", &text[..at], &text[at + 4..])).unwrap();
    let public = common::build(dir.path());
    let page = common::read(&public.join("datasets/good.html"));
    let steps = page
        .find("<ol class=\"access-steps\">")
        .expect("the steps are listed");
    let (first, second) = (
        page.find("Create an account.").unwrap(),
        page.find("Wait for <em>approval</em>.").unwrap(),
    );
    assert!(steps < first && first < second, "the steps in order");
    for shown in [
        "href=\"#how-to-get-it\"",
        "<strong>Create an account</strong>",
        "href=\"https://example.org/register\"",
        "Where the files are",
        "<strong>Torrent</strong>: <a class=\"url\" href=\"https://example.org/good.torrent\"",
        "(All images)",
        "<code>gs://good-bucket</code>",
        "href=\"#labelling\"",
        "Consensus of readers (3 readers)",
        "href=\"../label-methods/consensus.html\"",
        "href=\"../annotation-types/boxes.html\">Bounding boxes</a>",
        "Read by <strong>three</strong>.",
    ] {
        assert!(page.contains(shown), "`{shown}` not on the page");
    }
    assert!(
        !page.contains("href=\"gs://"),
        "a bucket address is no link"
    );
    assert!(
        page.contains("Steps: Create an account → Wait for approval."),
        "the steps in the schema.org metadata"
    );
    let compare = common::read(&public.join("compare-data/0.js"));
    for shown in [
        "[\"How to get it\",\"Create an account → Wait for approval\"]",
        "[\"Files at\",\"Torrent, Cloud bucket\"]",
        "[\"Label method\",\"Test set: Consensus of readers (3 readers)\"]",
        "[\"Annotation types\",\"Bounding boxes, Segmentation masks\"]",
    ] {
        assert!(compare.contains(shown), "`{shown}` not in the comparison");
    }
    let csv = common::read(&public.join("catalog.csv"));
    assert!(
        csv.contains(",account; approval,https://example.org/good.torrent; gs://good-bucket,Consensus of readers,Bounding boxes; Segmentation masks\r\n"),
        "{csv}"
    );
    let term = common::read(&public.join("label-methods/consensus.html"));
    assert!(term.contains("1 dataset with label method Consensus of readers"));
    assert!(term.contains("href=\"../datasets/good.html\""));
}

#[test]
fn template_and_io_errors_name_their_cause() {
    let dir = common::catalog(None);
    fs::create_dir_all(dir.path().join("templates")).unwrap();
    fs::write(dir.path().join("templates/404.html"), "{% if %}").unwrap();
    let output = common::medatlas(dir.path(), &["build"]);
    let stderr = common::stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error: the templates do not parse\n  caused by: "),
        "{stderr}"
    );

    fs::remove_dir_all(dir.path().join("templates")).unwrap();
    fs::write(dir.path().join("a-file"), "").unwrap();
    let output = common::medatlas(dir.path(), &["build", "--output", "a-file/site"]);
    let stderr = common::stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("error: cannot resolve a-file/site\n  caused by: Not a directory"),
        "{stderr}"
    );
}

/// Without JavaScript, sizes.html lists the datasets largest first in their main units, then
/// the groups whose main-unit count is not stated or not yet checked, each under its label.
#[test]
fn datasets_by_size_group_the_ones_without_a_count() {
    let dir = common::catalog(None);
    let datasets = dir.path().join("content/datasets");
    let good = common::read(&datasets.join("good.md"));
    for (slug, from, to) in [
        (
            "big",
            "images = 150",
            "images = 150\nvolumes = { at_least = 5000 }\nmain_unit = \"volumes\"",
        ),
        ("unstated", "images = 150", "images = \"not stated\""),
        ("unchecked", "images = 150\npatients = 40\n", ""),
    ] {
        let text = good
            .replace("\"Good Set\"", &format!("\"{slug}\""))
            .replace(from, to)
            .replace("images = [100, 50]\n", "")
            .replace("numbers = [\"images\", \"patients\"]", "numbers = []");
        fs::write(datasets.join(format!("{slug}.md")), text).unwrap();
    }
    let public = common::build(dir.path());
    let page = common::read(&public.join("sizes.html"));
    let at = |part: &str| {
        page.find(part)
            .unwrap_or_else(|| panic!("`{part}` not in {page}"))
    };
    let order = [
        at(">≥ 5,000 volumes</td>"),
        at(">150 images</td>"),
        at(">Size not stated by the source</th>"),
        at("datasets/unstated.html"),
        at(">Size not yet checked</th>"),
        at("datasets/unchecked.html"),
    ];
    assert!(order.is_sorted(), "{order:?}");
    assert!(common::read(&public.join("index.html")).contains("href=\"sizes.html\""));
}

/// A licence id shows on the dataset page as its linked name and properties in words, and in
/// the JSON-LD as its URL; a reserved id without a text gives the JSON-LD no licence.
#[test]
fn a_licence_id_shows_its_name_properties_and_url() {
    let dir = common::catalog(None);
    fs::write(
        dir.path().join("content/licenses.toml"),
        "[cc-by-nc-4-0]\nname = \"CC BY-NC 4.0\"\nurl = \"https://creativecommons.org/licenses/by-nc/4.0/\"\n\
         commercial = \"no\"\nredistribution = \"yes\"\nderivatives = \"yes\"\nattribution = \"yes\"\n\
         share_alike = \"no\"\nagreement = \"registration\"\n\n[unverified]\nname = \"No licence found\"\n\
         commercial = \"unclear\"\nredistribution = \"unclear\"\nderivatives = \"unclear\"\n\
         attribution = \"unclear\"\nshare_alike = \"unclear\"\nagreement = \"unclear\"\n",
    )
    .unwrap();
    let good = dir.path().join("content/datasets/good.md");
    let text = common::read(&good);
    fs::write(
        &good,
        text.replace(
            "patients = 40\n",
            "patients = 40\nlicense = \"cc-by-nc-4-0\"\n",
        ),
    )
    .unwrap();
    let page = common::read(&common::build(dir.path()).join("datasets/good.html"));
    for part in [
        "<a href=\"https://creativecommons.org/licenses/by-nc/4.0/\" rel=\"noopener noreferrer\">CC BY-NC 4.0</a>",
        "<li>Commercial use: <strong>no</strong></li>",
        "<li>Needed before download: <strong>an account</strong></li>",
        "\"license\":\"https://creativecommons.org/licenses/by-nc/4.0/\"",
    ] {
        assert!(page.contains(part), "`{part}` not on the page");
    }
    fs::write(
        &good,
        text.replace(
            "patients = 40\n",
            "patients = 40\nlicense = \"unverified\"\n",
        ),
    )
    .unwrap();
    let page = common::read(&common::build(dir.path()).join("datasets/good.html"));
    assert!(
        page.contains("<dd>No licence found<ul"),
        "the reserved id's name, unlinked"
    );
    assert!(!page.contains("\"license\":"), "no licence in the JSON-LD");
}

/// The item of a page's Papers or Other sources list with this id: from its `<li>` to the
/// next `</li>`.
fn list_item<'h>(html: &'h str, id: &str) -> &'h str {
    let start = html
        .find(&format!("<li id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no list item {id}"));
    let end = html[start..]
        .find("</li>")
        .map_or(html.len(), |e| start + e);
    &html[start..end]
}

/// Each number of a dataset page links to the item of its Papers or Other sources list that
/// states it (a secondary one marked so), a number no item names is marked "no source", and
/// the page says when the numbers were checked.
#[test]
fn each_number_links_to_the_source_that_states_it() {
    let (_dir, public) = common::built_fixture("browse");
    let alpha = common::read(&public.join("datasets/alpha-cxr.html"));
    let patients = alpha
        .find("400 patients")
        .map(|at| &alpha[at..at + alpha[at..].find("</dd>").unwrap()])
        .expect("the patients on the page");
    let targets: Vec<&str> = patients
        .split("href=\"#")
        .skip(1)
        .map(|piece| &piece[..piece.find('"').unwrap()])
        .collect();
    assert_eq!(targets, ["ref-2", "ref-3"], "{patients}");
    assert!(patients.contains("secondary"), "{patients}");
    assert!(list_item(&alpha, "ref-2").contains("A survey of chest radiograph datasets"));
    assert!(list_item(&alpha, "ref-2").contains("Secondary source"));
    let readme = list_item(&alpha, "ref-3");
    assert!(
        readme.contains("href=\"https://example.org/alpha/readme\"")
            && readme.contains("States the images, patients"),
        "{readme}"
    );
    assert!(alpha.contains(
        "Numbers checked against the sources on <time datetime=\"2026-11-20\">20 November 2026</time>"
    ));
    let beta = common::read(&public.join("datasets/beta-ct.html"));
    assert!(beta.contains("500 images<sup class=\"ref unsourced\">no source</sup>"));
    assert!(beta.contains("Numbers not yet checked against the sources."));
    assert!(
        !beta.contains("Data notes"),
        "an unsourced number is no data note"
    );
    let links = common::links(&public);
    assert!(links.broken.is_empty(), "{:#?}", links.broken);
}

/// The Versions table marks the version the numbers describe, the facts say which one it is,
/// and each demographics table shows its sex counts with their percent of the split, a Total
/// row, and the ages as written; compare and catalog.csv carry the version.
#[test]
fn versions_and_demographics_show_with_their_numbers() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&common::fixtures().join("browse"), dir.path());
    let public = common::build(dir.path());
    let page = common::read(&public.join("datasets/alpha-cxr.html"));
    let squeezed: String = page.split_whitespace().collect::<Vec<_>>().join(" ");
    for part in [
        "Numbers describe version <strong>2.0</strong>",
        "<tr class=\"current\">",
        "2.0</a> <span class=\"badge official\">numbers on this page</span>",
        "<td>2018-03-01</td>",
        "<a href=\"https://doi.org/10.1000/alpha.2\" rel=\"noopener noreferrer\">10.1000/alpha.2</a>",
        "<td class=\"num\">1,000 images · 400 patients</td>",
        "Added the <em>lateral</em> views",
        "<td>2017-06</td>",
        "<td class=\"num\">≥ 800 images</td>",
        "<th scope=\"col\" class=\"num\">Female</th><th scope=\"col\" class=\"num\">Male</th><th scope=\"col\" class=\"num\">Sex unknown</th><th scope=\"col\" class=\"num\">Age mean ± SD</th><th scope=\"col\" class=\"num\">Age range</th>",
        "<th scope=\"row\">Train</th><td class=\"num\">150<span class=\"pct\">46.9%</span></td><td class=\"num\">165<span class=\"pct\">51.6%</span></td><td class=\"num\">5<span class=\"pct\">1.6%</span></td><td class=\"num\">52.5 ± 17.2</td><td class=\"num\">18–94</td>",
        "<th scope=\"row\">Test</th><td class=\"num\">41<span class=\"pct\">51.3%</span></td><td class=\"num\">39<span class=\"pct\">48.8%</span></td><td class=\"num\">0<span class=\"pct\">0%</span></td><td class=\"num\">54.0 ± 16.8</td><td class=\"num\">21–90</td>",
        "<tfoot><tr><th scope=\"row\">Total</th><td class=\"num\">191<span class=\"pct\">47.8%</span></td><td class=\"num\">204<span class=\"pct\">51.0%</span></td><td class=\"num\">5<span class=\"pct\">1.3%</span></td><td class=\"num\"></td><td class=\"num\"></td></tr></tfoot>",
    ] {
        assert!(squeezed.contains(part), "`{part}` not on the page");
    }
    let compare = common::read(&public.join("compare-data/0.js"));
    assert!(
        compare.contains("[\"Version\",\"2.0 (2018-03-01)\"]"),
        "{compare}"
    );
    assert!(
        compare.contains("[\"Demographics\",\"47.8% female of 400 patients\"]"),
        "{compare}"
    );
    let csv = common::read(&public.join("catalog.csv"));
    let row = csv.lines().find(|l| l.starts_with("alpha-cxr,")).unwrap();
    assert!(row.contains(",2026-11-20,2.0,2.0; 1.0,,other,"), "{row}");
}

/// The build writes what readers load (a favicon included) and nothing only `serve` uses: the
/// live-reload script is served by the development server alone.
#[test]
fn the_output_has_a_favicon_and_no_development_script() {
    let (_dir, public) = common::built_real_catalog();
    assert!(public.join("favicon.svg").is_file());
    assert!(!public.join("live-reload.js").exists());
    let index = common::read(&public.join("index.html"));
    assert!(index.contains("<link rel=\"icon\" href=\"favicon.svg\" type=\"image/svg+xml\">"));
}
