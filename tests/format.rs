//! The declaration of the entry format (`medatlas::format`) against everything that must agree
//! with it: the parser's readers (every declared field is read into the model, no other key is
//! accepted, required-ness and types match), the columns of `catalog.csv` and the committed
//! reference `docs/entry-format.md` (`UPDATE_EXPECT=1` rewrites it).

mod common;

use medatlas::common::source::Source;
use medatlas::format::reference::{example_entry, example_entry_where, reference_markdown};
use medatlas::format::{
    ACCESS_STEP, CLASS_COUNTS, CSV_COLUMNS, DEMOGRAPHICS, DOWNLOAD, ENTRY, Field, Kind, LABEL_SET,
    LINEAGE, PAPER, SOURCE, Table, VERSION,
};
use medatlas::model::Dataset;
use medatlas::model::{Relation, Unit};
use medatlas::parse::parse_entry;

const TABLES: [&Table; 10] = [
    &ENTRY,
    &PAPER,
    &SOURCE,
    &LINEAGE,
    &CLASS_COUNTS,
    &VERSION,
    &DEMOGRAPHICS,
    &ACCESS_STEP,
    &DOWNLOAD,
    &LABEL_SET,
];

fn path(toml: bool) -> &'static str {
    if toml {
        "content/datasets/example.toml"
    } else {
        "content/datasets/example.md"
    }
}

/// Parse an entry; the codes of its diagnostics, in order.
fn parse(text: &str, toml: bool) -> (Option<Dataset>, Vec<&'static str>) {
    let (dataset, diagnostics) = parse_entry(&Source::new(path(toml), text), 0);
    (dataset, diagnostics.iter().map(|d| d.code.name()).collect())
}

/// The entry with every field but the old forms set to its example, except `value` overrides
/// one field.
fn with(
    toml: bool,
    table: &Table,
    key: &str,
    value: Option<&str>,
) -> (Option<Dataset>, Vec<&'static str>) {
    let text = example_entry_where(toml, &|t, f| {
        if std::ptr::eq(t, table) && f.key == key {
            value.map(str::to_string)
        } else {
            (!f.old_form).then(|| f.example.to_string())
        }
    });
    parse(&text, toml)
}

/// Whether the field `key` of `table` reached the model, for an entry that sets every field.
fn landed(d: &Dataset, table: &Table, key: &str) -> bool {
    let paper = &d.papers[0];
    let counts = &d.class_counts[0];
    let source = &d.sources[0];
    let version = &d.versions[0];
    let demographics = &d.demographics[0];
    let (step, download, set) = (&d.access_steps[0], &d.downloads[0], &d.label_sets[0]);
    match (table.schema_name, key) {
        ("Entry", "name") => !d.name.is_empty(),
        ("Entry", "aliases") => !d.aliases.is_empty(),
        ("Entry", "summary") => !d.summary.is_empty(),
        ("Entry", "publisher") => !d.publisher.is_empty(),
        ("Entry", "homepage") => !d.homepage.is_empty(),
        ("Entry", "modalities") => !d.modalities.is_empty(),
        ("Entry", "body_regions") => !d.body_regions.is_empty(),
        ("Entry", "tasks") => !d.tasks.is_empty(),
        ("Entry", "access") => !d.access.value.is_empty(),
        ("Entry", "license") => d.license.is_some(),
        ("Entry", "year") => d.year.is_some(),
        ("Entry", "doi") => d.doi.is_some(),
        ("Entry", "main_unit") => d.sizes.main_unit.is_some(),
        ("Entry", "download_bytes") => d.sizes.download_bytes.is_some(),
        ("Entry", unit) if Unit::named(unit).is_some() => {
            Unit::named(unit).and_then(|u| d.sizes.get(u)).is_some()
        }
        ("Entry", "image_format") => !d.image_format.is_empty(),
        ("Entry", "resolution") => d.resolution.is_some(),
        ("Entry", "bit_depth") => d.bit_depth.is_some(),
        ("Entry", "labeling") => d.labeling.is_some(),
        ("Entry", "labels") => d.labels.is_some(),
        ("Entry", "related") => !d.related.is_empty(),
        ("Entry", "known_issues") => !d.known_issues.is_empty(),
        ("Entry", "papers") => !d.papers.is_empty(),
        ("Entry", "lineage") => !d.lineage.is_empty(),
        ("Lineage", "relation") => d.lineage[0].relation == Relation::DerivedFrom,
        ("Lineage", "entry") => d.lineage[0].entry.value == "nih-chestx-ray14",
        ("Lineage", "how") => !d.lineage[0].how.is_empty(),
        ("Entry", "class_counts") => !d.class_counts.is_empty(),
        ("Entry", "sources") => !d.sources.is_empty(),
        ("Entry", "checked") => d.checked.is_some(),
        ("Entry", "version") => d.version.is_some(),
        ("Entry", "versions") => !d.versions.is_empty(),
        ("Entry", "demographics") => !d.demographics.is_empty(),
        ("Version", "version") => !version.version.is_empty(),
        ("Version", "date") => version.date.is_some(),
        ("Version", "doi") => version.doi.is_some(),
        ("Version", "changes") => version.changes.is_some(),
        ("Version", "source") => !version.source.is_empty(),
        ("Version", unit) if Unit::named(unit).is_some() => version
            .counts
            .iter()
            .any(|(u, _)| Some(*u) == Unit::named(unit)),
        ("Demographics", "title") => !demographics.title.is_empty(),
        ("Demographics", "source") => !demographics.source.is_empty(),
        ("Demographics", "unit") => demographics.unit.is_some(),
        ("Demographics", "splits") => !demographics.splits.is_empty(),
        ("Demographics", "total") => demographics.total.is_some(),
        ("Demographics", "female") => demographics.female.is_some(),
        ("Demographics", "male") => demographics.male.is_some(),
        ("Demographics", "sex_unknown") => demographics.sex_unknown.is_some(),
        ("Demographics", "age_mean") => demographics.age_mean.is_some(),
        ("Demographics", "age_sd") => demographics.age_sd.is_some(),
        ("Demographics", "age_median") => demographics.age_median.is_some(),
        ("Demographics", "age_min") => demographics.age_min.is_some(),
        ("Demographics", "age_max") => demographics.age_max.is_some(),
        ("Entry", "notes") => d.body.contains("Free Markdown"),
        ("Paper", "title") => !paper.title.is_empty(),
        ("Paper", "url") => !paper.url.is_empty(),
        ("Paper", "year") => paper.year.is_some(),
        ("Paper", "authors") => !paper.authors.is_empty(),
        ("Paper", "venue") => paper.venue.is_some(),
        ("Paper", "doi") => paper.doi.is_some(),
        ("Paper", "numbers") => !paper.numbers.is_empty(),
        ("Paper", "secondary") => paper.secondary,
        ("Source", "title") => !source.title.is_empty(),
        ("Source", "url") => !source.url.is_empty(),
        ("Source", "numbers") => !source.numbers.is_empty(),
        ("Source", "secondary") => !source.secondary,
        ("ClassCounts", "title") => !counts.title.is_empty(),
        ("ClassCounts", "official") => counts.official.is_some(),
        ("ClassCounts", "patient_disjoint") => counts.patient_disjoint.is_some(),
        ("ClassCounts", "preferred") => counts.preferred,
        ("ClassCounts", "source") => !counts.source.is_empty(),
        ("ClassCounts", "unit") => counts.unit == medatlas::model::Unit::Images,
        ("ClassCounts", "splits") => !counts.splits.is_empty(),
        ("ClassCounts", "images") => counts.images.is_some(),
        ("ClassCounts", "multi_label") => counts.multi_label.is_some(),
        ("ClassCounts", "labels") => !counts.labels.is_empty(),
        ("Entry", "access_steps") => !d.access_steps.is_empty(),
        ("Entry", "downloads") => !d.downloads.is_empty(),
        ("Entry", "label_sets") => !d.label_sets.is_empty(),
        ("AccessStep", "step") => step.step == medatlas::model::StepKind::Training,
        ("AccessStep", "what") => !step.what.is_empty(),
        ("AccessStep", "url") => step.url.is_some(),
        ("Download", "kind") => download.kind == medatlas::model::DownloadKind::Portal,
        ("Download", "url") => !download.url.is_empty(),
        ("Download", "what") => download.what.is_some(),
        ("LabelSet", "name") => !set.name.is_empty(),
        ("LabelSet", "method") => set.method.is_some(),
        ("LabelSet", "readers") => set.readers.is_some(),
        ("LabelSet", "annotations") => !set.annotations.is_empty(),
        ("LabelSet", "how") => set.how.is_some(),
        _ => panic!("no model field is known for `{key}` of {}", table.what),
    }
}

fn fields() -> impl Iterator<Item = (&'static Table, &'static Field)> {
    TABLES
        .into_iter()
        .flat_map(|t| t.fields.iter().map(move |f| (t, f)))
}

#[test]
fn an_entry_with_every_field_is_read_whole() {
    for toml in [false, true] {
        let (dataset, codes) = parse(&example_entry(toml), toml);
        assert_eq!(codes, Vec::<&str>::new(), "{}", path(toml));
        let dataset = dataset.expect("the example entry is read");
        for (table, field) in fields().filter(|(_, f)| (toml || !f.toml_only) && !f.old_form) {
            assert!(
                landed(&dataset, table, field.key),
                "`{}` of {} is not in the model",
                field.key,
                table.what
            );
        }
    }
}

#[test]
fn no_undeclared_key_is_accepted() {
    for table in TABLES {
        let (_, codes) = with(false, table, table.fields[0].key, Some("1"));
        assert!(!codes.contains(&"unknown-key"), "{}", table.what);
        let text = example_entry_where(false, &|t, f| {
            if f.old_form {
                return None;
            }
            let example = f.example.to_string();
            if std::ptr::eq(t, table) && std::ptr::eq(f, &table.fields[0]) {
                Some(format!("{example}\nundeclared_key = 1"))
            } else {
                Some(example)
            }
        });
        let (_, codes) = parse(&text, false);
        assert_eq!(codes, ["unknown-key"], "{}", table.what);
    }
    let md_with_notes = with(false, &ENTRY, "name", Some("\"A\"\nnotes = \"x\""));
    assert_eq!(md_with_notes.1, ["unknown-key"], "notes only in pure TOML");
}

#[test]
fn exactly_the_required_fields_are_reported_missing() {
    for (table, field) in fields() {
        let toml = field.toml_only;
        let (_, codes) = with(toml, table, field.key, None);
        let missing = codes.contains(&"missing-field");
        assert_eq!(
            missing, field.required,
            "`{}` of {} left out: {codes:?}",
            field.key, table.what
        );
    }
}

/// A value of a type other than the declared one.
fn wrong_value(kind: Kind) -> &'static str {
    match kind {
        Kind::Text | Kind::Url | Kind::Term(_) | Kind::Unit | Kind::Choice(_) => "1",
        Kind::Size => "1.5",
        Kind::Date | Kind::ReleaseDate => "1",
        _ => "\"text\"",
    }
}

#[test]
fn every_field_is_read_with_its_declared_type() {
    for (table, field) in fields() {
        let toml = field.toml_only;
        let (_, codes) = with(toml, table, field.key, Some(wrong_value(field.kind)));
        assert!(
            codes.contains(&"wrong-type"),
            "`{}` of {}: {codes:?}",
            field.key,
            table.what
        );
    }
}

#[test]
fn term_lists_must_name_a_term() {
    for (table, field) in fields() {
        let (_, codes) = with(false, table, field.key, Some("[]"));
        let empty_refused = codes.contains(&"missing-field");
        assert_eq!(
            empty_refused,
            matches!(field.kind, Kind::Terms(_)),
            "`{}` = []: {codes:?}",
            field.key
        );
    }
}

/// A field of the old form is read, with a warning, and left out of the example entry.
#[test]
fn old_forms_are_read_with_a_warning() {
    let old: Vec<&Field> = ENTRY.fields.iter().filter(|f| f.old_form).collect();
    assert_eq!(old.iter().map(|f| f.key).collect::<Vec<_>>(), ["labeling"]);
    assert!(!example_entry(false).contains("labeling ="));
    let (dataset, codes) = with(false, &ENTRY, "labeling", Some(old[0].example));
    assert_eq!(codes, ["labeling-free-text"]);
    assert!(dataset.unwrap().labeling.is_some());
}

#[test]
fn catalog_csv_has_the_declared_columns_each_filled() {
    let dir = common::catalog(Some(&common::fixtures().join("format")));
    let entry = dir.path().join("content/datasets/example.md");
    std::fs::write(&entry, example_entry(false)).unwrap();
    let csv = common::read(&common::build(dir.path()).join("catalog.csv"));
    let mut lines = csv.split("\r\n");
    assert_eq!(lines.next().unwrap(), CSV_COLUMNS.join(","));
    let row = lines.find(|l| l.starts_with("example,")).unwrap();
    let cells: Vec<&str> = row.split(',').collect();
    assert_eq!(cells.len(), CSV_COLUMNS.len(), "{row}");
    for (column, cell) in CSV_COLUMNS.iter().zip(&cells) {
        assert!(!cell.is_empty(), "column `{column}` is empty: {row}");
    }
}

#[test]
fn the_committed_reference_is_current() {
    let path = common::manifest_dir().join("docs/entry-format.md");
    let text = reference_markdown();
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    assert!(
        common::read(&path) == text,
        "docs/entry-format.md differs from the declaration: run `UPDATE_EXPECT=1 cargo test --test format`"
    );
}

/// The base fixture's entry in the old form of the format (a free-text licence, `labeling`)
/// and in the new one (a licence id, `[[label_sets]]`).
const OLD_FORM: [(&str, &str); 2] = [
    (
        "access = \"open\"\n",
        "access = \"open\"\nlicense = \"Free for research (see homepage)\"\nlabeling = \"Text-mined from the reports\"\n",
    ),
    ("", ""),
];
const NEW_FORM: [(&str, &str); 2] = [
    (
        "access = \"open\"\n",
        "access = \"open\"\nlicense = \"unverified\"\n",
    ),
    (
        "+++\n\nSome",
        "[[label_sets]]\nname = \"Findings\"\nhow = \"Text-mined from the reports\"\n+++\n\nSome",
    ),
];

/// A catalog of the base fixture (with the repository's licences) whose entry is edited by
/// `edits`, built; with its dataset page, its `catalog.csv` and what `check` says.
fn migrated(edits: &[(&str, &str); 2]) -> (String, String, String) {
    let dir = common::catalog(None);
    let licenses = common::manifest_dir().join("content/licenses.toml");
    std::fs::copy(licenses, dir.path().join("content/licenses.toml")).unwrap();
    let entry = dir.path().join("content/datasets/good.md");
    let mut text = common::read(&entry);
    for (from, to) in edits.iter().filter(|(from, _)| !from.is_empty()) {
        assert!(text.contains(from), "{from}");
        text = text.replacen(from, to, 1);
    }
    std::fs::write(&entry, text).unwrap();
    let check = common::medatlas(dir.path(), &["check"]);
    let public = common::build(dir.path());
    let page = common::read(&public.join("datasets/good.html"));
    let csv = common::read(&public.join("catalog.csv"));
    (page, csv, common::stderr(&check))
}

/// An entry of the old form builds with the same numbers as the same entry migrated to the new
/// form, and the old form is accepted with warnings whose help shows the new one.
#[test]
fn an_old_form_entry_builds_with_the_numbers_of_its_migrated_form() {
    let (old_page, old_csv, old_check) = migrated(&OLD_FORM);
    let (new_page, new_csv, new_check) = migrated(&NEW_FORM);
    for label in ["Effusion", "No Finding"] {
        assert_eq!(common::row(&old_page, label), common::row(&new_page, label));
    }
    for size in ["150 images", "40 patients"] {
        assert!(old_page.contains(size) && new_page.contains(size), "{size}");
    }
    // The CSV records agree on every column but the licence.
    let record = |csv: &str| -> Vec<String> {
        let line = csv.lines().nth(1).unwrap().to_string();
        line.split(',').map(str::to_string).collect()
    };
    let (old, new) = (record(&old_csv), record(&new_csv));
    let header: Vec<&str> = old_csv.lines().next().unwrap().split(',').collect();
    for (i, column) in header.iter().enumerate() {
        if !["license"].contains(column) {
            assert_eq!(old.get(i), new.get(i), "column {column}");
        }
    }
    assert!(
        old_check.contains("warning[license-free-text]"),
        "{old_check}"
    );
    assert!(
        old_check.contains("warning[labeling-free-text]"),
        "{old_check}"
    );
    assert!(old_check.contains("[[label_sets]]"), "{old_check}");
    assert!(!new_check.contains("warning["), "{new_check}");
}
