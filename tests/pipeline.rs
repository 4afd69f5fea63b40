//! The pipeline with caches (what `serve` runs on every change) against a full build: for every
//! entry of a generated catalog, an edit rebuilt through the caches leaves exactly the bytes a
//! build from scratch writes.

mod common;

use std::fs;
use std::path::Path;

use medatlas::{Caches, Run, Timings};

const ENTRIES: usize = 36;
const MODALITIES: [&str; 2] = ["x-ray", "ct"];
const TASKS: [&str; 2] = ["classification", "segmentation"];
const ACCESS: [&str; 2] = ["open", "registration"];
/// The relations the generated lineage uses: those whose edges all point to an earlier entry.
const RELATIONS: [&str; 4] = [
    "derived-from",
    "subset-of",
    "shares-patients",
    "shares-images",
];
const METHODS: [&str; 3] = ["nlp-reports", "radiologist", "histopathology"];
const ANNOTATIONS: [&str; 3] = ["image-labels", "boxes", "masks"];

/// The fields of one generated entry that the edits change.
#[derive(Clone)]
struct Entry {
    name: String,
    modalities: Vec<&'static str>,
    tasks: Vec<&'static str>,
    access: &'static str,
    related: Vec<String>,
    /// `[[lineage]]` items (relation, other entry), always naming an entry listed earlier:
    /// no loop and no pair declared on both sides.
    lineage: Vec<(&'static str, String)>,
    summary: String,
    labels: bool,
    /// The label method and annotation type of its label set (facets fed by a nested table).
    method: &'static str,
    annotation: &'static str,
}

fn slug(i: usize) -> String {
    format!("set-{i:02}")
}

fn generated(i: usize, count: usize) -> Entry {
    let mut modalities = vec![MODALITIES[i % 2]];
    if i.is_multiple_of(5) {
        modalities.push(MODALITIES[(i + 1) % 2]);
    }
    Entry {
        // Names out of slug order, so that the listings' order is not the files' order.
        name: format!("Set {}", (i * 7) % ENTRIES),
        modalities,
        tasks: vec![TASKS[(i / 2) % 2]],
        access: ACCESS[(i / 3) % 2],
        related: (0..i % 3).map(|k| slug((i + k * 5 + 1) % count)).collect(),
        lineage: if i % 3 == 1 {
            vec![(RELATIONS[(i / 3) % 4], slug((i * 5 + 3) % i))]
        } else {
            Vec::new()
        },
        summary: format!("Entry number {i}."),
        labels: i.is_multiple_of(4),
        method: METHODS[i % 3],
        annotation: ANNOTATIONS[(i / 2) % 3],
    }
}

fn list(items: &[impl AsRef<str>]) -> String {
    let quoted: Vec<String> = items
        .iter()
        .map(|s| format!("\"{}\"", s.as_ref()))
        .collect();
    format!("[{}]", quoted.join(", "))
}

fn text(i: usize, e: &Entry) -> String {
    let mut out = format!(
        "+++\nname = \"{}\"\nsummary = \"{}\"\npublisher = \"Test Hospital\"\n\
         homepage = \"https://example.org/{}\"\nmodalities = {}\nbody_regions = [\"chest\"]\n\
         tasks = {}\naccess = \"{}\"\nimages = {}\n",
        e.name,
        e.summary,
        slug(i),
        list(&e.modalities),
        list(&e.tasks),
        e.access,
        100 + i,
    );
    if !e.related.is_empty() {
        out.push_str(&format!("related = {}\n", list(&e.related)));
    }
    if e.labels {
        // A finding of labels.toml, a label of the entry's own (one of three, some spelled
        // with `_`), and a label named only in `labels`.
        out.push_str(&format!(
            "labels = [\"Effusion\", \"Nodule_{}\", \"Mass {}\"]\n\
             \n[[class_counts]]\ntitle = \"Split\"\nofficial = true\n\
             source = \"https://example.org/{}/split\"\nsplits = [\"All\"]\nimages = [{}]\n\
             multi_label = true\n[class_counts.labels]\nEffusion = [{}]\n\"Nodule_{}\" = [{}]\n",
            i % 3,
            i % 2,
            slug(i),
            100 + i,
            i + 1,
            i % 3,
            i % 7
        ));
    }
    for (relation, other) in &e.lineage {
        out.push_str(&format!(
            "\n[[lineage]]\nrelation = \"{relation}\"\nentry = \"{other}\"\nhow = \"Part of *{other}*.\"\n"
        ));
    }
    out.push_str(&format!(
        "\n[[label_sets]]\nname = \"Findings\"\nmethod = \"{}\"\nannotations = [\"{}\"]\n",
        e.method, e.annotation
    ));
    out.push_str("+++\n\nSome **Markdown**.\n");
    out
}

fn entry_path(i: usize) -> String {
    format!("content/datasets/{}.md", slug(i))
}

/// The edit made to entry `i`: its terms (the label set's too), its name (and so its place in
/// every listing, and in the reverse side of the lineage on other pages), its `related` and
/// lineage, or its text.
fn edited(i: usize, e: &Entry) -> Entry {
    let mut e = e.clone();
    match i % 4 {
        0 => {
            e.modalities = vec![MODALITIES[(i + 1) % 2]];
            e.tasks = vec![TASKS[(i / 2 + 1) % 2]];
            e.access = ACCESS[(i / 3 + 1) % 2];
            e.method = METHODS[(i + 1) % 3];
            e.annotation = ANNOTATIONS[(i / 2 + 1) % 3];
        }
        1 => e.name = format!("Renamed {}", ENTRIES - i),
        2 => {
            e.related = vec![slug((i + 11) % ENTRIES), slug((i + 2) % ENTRIES)];
            let second = if i / 2 == i - 1 { 0 } else { i / 2 };
            e.lineage = vec![
                (RELATIONS[(i / 4) % 4], slug(i - 1)),
                ("shares-images", slug(second)),
            ];
        }
        _ => {
            e.summary = format!("Edited entry {i}.");
            e.labels = !e.labels;
            e.lineage.clear();
        }
    }
    e
}

fn write_catalog(root: &Path, entries: &[Entry]) {
    common::copy_tree(&common::fixtures().join("base"), root);
    fs::remove_file(root.join("content/datasets/good.md")).unwrap();
    fs::write(
        root.join("content/site.toml"),
        "title = \"Generated\"\ndescription = \"A generated catalog.\"\n\
         base_url = \"https://example.org/atlas\"\n",
    )
    .unwrap();
    fs::write(
        root.join("content/tasks.toml"),
        "[[tasks]]\ntitle = \"First set\"\ndataset = \"set-01\"\ndone = true\n",
    )
    .unwrap();
    for (i, e) in entries.iter().enumerate() {
        fs::write(root.join(entry_path(i)), text(i, e)).unwrap();
    }
}

fn run(root: &Path, output: &Path, changed: Option<&[String]>, caches: &mut Caches) -> usize {
    ran(root, output, changed, caches).0
}

/// A run's pages rendered, and its warnings as `path:line:column: code: message (help)`.
fn ran(
    root: &Path,
    output: &Path,
    changed: Option<&[String]>,
    caches: &mut Caches,
) -> (usize, Vec<String>) {
    let run = Run {
        root,
        output,
        force: false,
        changed,
        digest: None,
    };
    match medatlas::run(&run, caches, &mut Timings::default()) {
        Ok(ran) => {
            let warnings = ran.report.diagnostics.iter().map(|d| {
                let (path, line, column) = (&d.path, d.line, d.column);
                format!(
                    "{path}:{line}:{column}: {:?}: {} ({:?})",
                    d.code, d.message, d.help
                )
            });
            (ran.counts.rendered, warnings.collect())
        }
        Err(failure) => panic!("the run failed: {failure:?}"),
    }
}

#[test]
fn every_edit_through_the_caches_writes_what_a_full_build_writes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("catalog");
    let mut entries: Vec<Entry> = (0..ENTRIES).map(|i| generated(i, ENTRIES)).collect();
    write_catalog(&root, &entries);
    let output = root.join("public");
    let mut caches = Caches::default();
    let pages = run(&root, &output, None, &mut caches);
    for i in 0..ENTRIES {
        entries[i] = edited(i, &entries[i]);
        fs::write(root.join(entry_path(i)), text(i, &entries[i])).unwrap();
        let (rendered, warnings) = ran(&root, &output, Some(&[entry_path(i)]), &mut caches);
        assert!(
            rendered < pages,
            "edit {i}: only some pages are rendered again"
        );
        let fresh = dir.path().join(format!("fresh-{i}"));
        let (_, fresh_warnings) = ran(&root, &fresh, None, &mut Caches::default());
        assert_eq!(
            warnings, fresh_warnings,
            "edit {i}: the warnings of a full build"
        );
        assert!(
            common::tree(&output) == common::tree(&fresh),
            "edit {i} ({}): the output differs from a full build",
            ["terms", "name", "related and lineage", "text"][i % 4]
        );
        fs::remove_dir_all(&fresh).unwrap();
    }
}

/// Site-wide files the cached parts are made from: labels.toml (the matrix rows, the label
/// facet, the search records), the vocabulary (term names in rows, CSV records and words), and
/// templates (the catalog rows, the matrix page).
const SITE_EDITS: [(&str, &str); 5] = [
    (
        "content/labels.toml",
        "[[findings]]\nname = \"Pleural Effusion\"\nsynonyms = [\"Effusion\"]\n\n\
         [[findings]]\nname = \"Lung Nodule\"\nsynonyms = [\"Nodule 1\"]\nrelated = [\"Mass 0\"]\n",
    ),
    (
        "content/vocabulary.toml",
        "[modalities]\nx-ray = { name = \"Radiograph\" }\nct = { name = \"CT scan\" }\n\
         [body_regions]\nchest = { name = \"Thorax\" }\n\
         [tasks]\nclassification = { name = \"Classification\" }\nsegmentation = { name = \"Masks\" }\n\
         [access]\nopen = { name = \"Open\" }\nregistration = { name = \"Registration\" }\n\
         [label_methods]\nnlp-reports = { name = \"Report mining\" }\nradiologist = { name = \"Read\" }\n\
         histopathology = { name = \"Pathology\" }\n\
         [annotation_types]\nimage-labels = { name = \"Labels\" }\nboxes = { name = \"Boxes\" }\n\
         masks = { name = \"Masks\" }\n",
    ),
    (
        "templates/catalog_row.html",
        "<tr><th>{{ d.name }}</th><td>{{ d.modalities | join(sep=\"/\") }}</td></tr>",
    ),
    (
        "templates/labels.html",
        "{% for d in matrix.datasets %}{{ d.name }};{% endfor %}\n\
         {% for row in matrix.rows %}<tr id=\"{{ row.id }}\">{{ row.cells | safe }}</tr>\n{% endfor %}",
    ),
    (
        "content/labels.toml",
        "[[findings]]\nname = \"Mass\"\nsynonyms = [\"Mass 1\"]\nrelated = [\"Effusion\", \"Nodule 2\"]\n",
    ),
];

/// The files that differ between two trees, or are in one only.
fn differing(a: &Tree, b: &Tree) -> Vec<std::path::PathBuf> {
    let all: std::collections::BTreeSet<_> = a.keys().chain(b.keys()).collect();
    all.into_iter()
        .filter(|path| a.get(*path) != b.get(*path))
        .cloned()
        .collect()
}

type Tree = std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>;

#[test]
fn site_wide_edits_through_the_caches_write_what_a_full_build_writes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("catalog");
    let mut entries: Vec<Entry> = (0..12).map(|i| generated(i, 12)).collect();
    write_catalog(&root, &entries);
    let output = root.join("public");
    let mut caches = Caches::default();
    run(&root, &output, None, &mut caches);
    for (n, (path, contents)) in SITE_EDITS.iter().enumerate() {
        fs::create_dir_all(root.join(path).parent().unwrap()).unwrap();
        fs::write(root.join(path), contents).unwrap();
        let (_, warnings) = ran(&root, &output, Some(&[path.to_string()]), &mut caches);
        assert_as_built(&root, &output, &warnings, &format!("editing {path}"));
        // An entry edit after each, through the caches made with the new site-wide files.
        let i = n * 2 + 1;
        entries[i] = edited(i, &entries[i]);
        fs::write(root.join(entry_path(i)), text(i, &entries[i])).unwrap();
        let (_, warnings) = ran(&root, &output, Some(&[entry_path(i)]), &mut caches);
        let after = format!("editing {path}, then entry {i}");
        assert_as_built(&root, &output, &warnings, &after);
    }
}

/// `output` holds what a full build of `root` writes, and a full build gives the `warnings` of
/// the run through the caches.
fn assert_as_built(root: &Path, output: &Path, warnings: &[String], after: &str) {
    let fresh = root.parent().unwrap().join("fresh");
    let (_, fresh_warnings) = ran(root, &fresh, None, &mut Caches::default());
    assert_eq!(
        warnings, fresh_warnings,
        "after {after}: the warnings of a full build"
    );
    let differing = differing(&common::tree(output), &common::tree(&fresh));
    assert!(
        differing.is_empty(),
        "after {after}: {differing:?} differ from a full build"
    );
    fs::remove_dir_all(&fresh).unwrap();
}

#[test]
fn a_body_edit_renders_only_the_pages_that_show_the_body() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("catalog");
    let entries: Vec<Entry> = (0..8).map(|i| generated(i, 8)).collect();
    write_catalog(&root, &entries);
    let output = root.join("public");
    let mut caches = Caches::default();
    run(&root, &output, None, &mut caches);
    let path = root.join(entry_path(4));
    let before = fs::read_to_string(&path).unwrap();
    fs::write(&path, format!("{before}\nA new sentence.\n")).unwrap();
    // Its page, its comparison file (which holds the words count) and the search files of the
    // new words: the postings shards and letter files of "new" and "sentence" (search/p-ne.js,
    // p-se.js, l-n.js, l-s.js) and the core file, which lists the shard "ne", new to the
    // catalog; and its Croissant file, fingerprinted from the whole entry. Not the index, the
    // label matrix, the CSV file, its term pages or the other shards, whose parts are unchanged.
    let rendered = run(&root, &output, Some(&[entry_path(4)]), &mut caches);
    assert_eq!(rendered, 8);
    let fresh = dir.path().join("fresh");
    run(&root, &fresh, None, &mut Caches::default());
    assert!(common::tree(&output) == common::tree(&fresh));
}

#[test]
fn an_unchanged_run_renders_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("catalog");
    let entries: Vec<Entry> = (0..8).map(|i| generated(i, 8)).collect();
    write_catalog(&root, &entries);
    let output = root.join("public");
    let mut caches = Caches::default();
    run(&root, &output, None, &mut caches);
    let ran = medatlas::run(
        &Run {
            root: &root,
            output: &output,
            force: false,
            changed: Some(&[entry_path(3)]),
            digest: None,
        },
        &mut caches,
        &mut Timings::default(),
    )
    .unwrap();
    assert_eq!((ran.counts.rendered, ran.counts.written), (0, 0));
}

#[test]
fn the_development_server_leaves_no_manifest_in_a_site_it_changed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("catalog");
    let mut entries: Vec<Entry> = (0..4).map(|i| generated(i, 4)).collect();
    write_catalog(&root, &entries);
    let output = root.join("public");
    let manifest = output.join(medatlas::output::manifest::MANIFEST);
    common::build(&root);
    assert!(manifest.is_file(), "a build writes the manifest");

    // As `serve` does: a first full run, then a run after one entry changed, in place.
    let mut caches = Caches::default();
    run(&root, &output, None, &mut caches);
    assert!(!manifest.exists(), "the server's full run writes none");
    common::build(&root);
    entries[1] = edited(1, &entries[1]);
    fs::write(root.join(entry_path(1)), text(1, &entries[1])).unwrap();
    assert!(run(&root, &output, Some(&[entry_path(1)]), &mut caches) > 0);
    assert!(!manifest.exists(), "a page written in place removes it");
}
