//! The format reference `docs/entry-format.md` and the example entry, both written from the
//! declaration in [`crate::format`].

use std::fmt::Write;

use super::{ENTRY, Field, Kind, Table, entry_tables};

const INTRO: &str = "\
This is the format that contributors edit by pull request. It is a public interface: a change to it
must keep every existing entry valid, or come with a migration of all of them. Fields may be added;
the names below stay.

```
content/
  site.toml            site settings
  tasks.toml           the task checklist
  vocabulary.toml      allowed modalities, body regions, tasks, access levels, label methods,
                       annotation types (data, not code)
  labels.toml          canonical findings and their synonyms, for cross-dataset comparison
  licenses.toml        the licences entries name by id, with what each allows
  datasets/<slug>.md   one dataset: TOML front matter between +++ lines, then Markdown
  datasets/<slug>.toml one dataset as pure TOML (same keys; optional `notes` holds Markdown)
```

The slug is the file stem: lowercase ASCII letters, digits and single hyphens
(`^[a-z0-9]+(-[a-z0-9]+)*$`). Two files with the same stem are an error.
";

const CHECKS: &str = r#"### Sizes

Each count of an entry (`images`, `volumes`, `slides`, `videos`, `studies`, `series`,
`patients`) is written in one of three forms: an integer (exact, `images = 112120`); a bound,
`images = { at_least = 160000 }` (shown "≥ 160,000 images") or `{ at_most = N }` (shown
"≤ N"); or `images = "not stated"` when the source gives no number. A count left out is
not yet checked; 0 is an error. `main_unit` names the unit the index lists and sorts the entry
by; by default the first given of images, volumes, slides, videos, studies, series, patients.
A class table's `unit` is any of the seven units.

### Where each number comes from

Each top-level number of an entry (the seven counts above and `download_bytes`) is tied to the
paper or source that states it: the `[[papers]]` item or `[[sources]]` item (a source that is
not a paper: a homepage README, a data descriptor page, a label file) lists it in `numbers`.
The page shows a small link beside the number to that item of its Papers and sources list.
`secondary = true` marks a survey, benchmark or mirror that reports others' numbers; such a
source is used only when so marked, and the page says \"secondary\" beside the link. A number no
item names is an `unsourced-number` warning (a `\"not stated\"` size has no number and needs
none). A class table's numbers come from its own `source`.

```toml
checked = 2026-11-20   # when the numbers were last checked against the sources; no quotes

[[papers]]
title = \"ChestX-ray8: Hospital-scale Chest X-ray Database and Benchmarks\"
url = \"https://arxiv.org/abs/1705.02315\"
numbers = [\"images\", \"patients\"]

[[sources]]
title = \"README_CHESTXRAY.pdf on the NIH download site\"
url = \"https://nihcc.app.box.com/v/ChestXray-NIHCC\"
numbers = [\"download_bytes\"]
```

`checked` is a TOML date, written without quotes; the page shows \"Numbers checked against the
sources on 20 November 2026\", or \"not yet checked\" when it is left out. A date in the future,
or before the entry's `year`, is an error.

### Versions and demographics

`[[versions]]` lists the published versions, newest first (each `date` no later than the one
above it); a `version` is named once. The top-level `version` says which version the entry's
numbers describe, and must be one of `[[versions]]` when the entry lists them. A `date` is a TOML
date (`date = 2019-09-19`), or a string `\"2019-09\"` or `\"2019\"` when the source gives only the
month or the year. A version's counts take the same forms as the entry's; its `doi` is bare.

`[[demographics]]` gives sex counts (`female`, `male`, optional `sex_unknown`, in `unit`,
default patients) and age (`age_mean`, `age_sd`, `age_median`, `age_min`, `age_max`, in years,
decimals allowed) with one number per split of `splits`; leave out what the source does not
publish. The page shows each sex count with its percent of the split, and the age.

- Errors: a top-level `version` not among `[[versions]]` (`unknown-version`); a version listed
  twice (`duplicate-item`); versions out of date order (`versions-out-of-order`); a `date` that
  is not a date (`bad-date`); a version `doi` written as a URL (`bad-doi`); a `[[demographics]]`
  table with neither sex counts nor ages (`missing-field`); a row whose length
  differs from `splits` (`row-length`); an age below 0 or above 130, a negative `age_sd`, or
  ages out of order in a split (`age_min` above `age_mean` or `age_median`, either above
  `age_max`) (`implausible-age`).
- Warnings: the `[[versions]]` table of the entry's `version` giving another count than the
  entry in the same unit (`version-count-mismatch`); female + male + unknown of a split differing from its size (`total`, or else the
  `images` of a `[[class_counts]]` table with the same splits and unit) (`sex-sum-mismatch`).

A table with no `labels` (split sizes only) is allowed: e.g. the official split with `images`
alone.

### Lineage

A `[[lineage]]` item says how the entry's data relates to another entry's: `derived-from`
(built from its images: re-annotated, cropped, converted), `subset-of`, `superset-of`,
`shares-patients` or `shares-images`, with `how` saying it in one line. Declare each pair once,
in one of the two entries (`derived-from` and `subset-of` in the entry that holds the part):
the other entry's page shows the reverse side (\"built from it\", \"contains\"), the lineage
page draws both, and the comparison warns when two compared datasets overlap. A pair declared
twice, in one entry or in both, an item naming the entry itself or no entry, and relations
that contradict each other (each a part of the other, or a chain that leads back) are errors.

### How to get it, and how it was labelled

`[[access_steps]]` lists what a reader does before the download, in order: each `step` is one
of `account`, `training`, `agreement`, `request`, `approval` or `other`, with `what` to do (one
line of Markdown) and the `url` of the requirement's page, which `account`, `training`,
`agreement` and `request` must give (`step-without-url`). `[[downloads]]` lists where the files
are: `kind` is one of `portal`, `bucket`, `torrent`, `kaggle`, `zenodo`, `figshare`, `git` or
`other`, `url` its address (http or https; a bucket may be `s3://` or `gs://`, a torrent a
magnet link; a `kaggle`, `zenodo` or `figshare` address on its site, else
`download-kind-mismatch`), and `what` is there where places hold different parts. An entry whose `access`
is `open` takes no step but `other`, and the steps must agree with the licence's `agreement`
(no step where it asks nothing, an `agreement` step where it asks for a data use agreement, an
`account` step where it asks for registration): `access-contradiction`, a warning.

```toml
[[access_steps]]
step = "account"
what = "Create a PhysioNet account."
url = "https://physionet.org/register/"

[[downloads]]
kind = "portal"
url = "https://physionet.org/content/mimic-cxr/2.1.0/"

[[label_sets]]
name = "Test set"
method = "consensus"          # a term of [label_methods]
readers = 5                   # only for a method with readers = true
annotations = ["image-labels"] # terms of [annotation_types]
how = "Majority vote of 5 of the 8 radiologists who read the test set."
```

Each `[[label_sets]]` item is one set of labels: `name`, and where the source states them the
label `method`, the number of `readers` and the `annotations`, with `how` in one line. The old
free-text `labeling = "..."` is still read, with a `labeling-free-text` warning whose help
shows the label set to write.

### What the generator derives and checks

- Derived, never typed in: a Total column per label; per split a row of label occurrences and,
  where `images` is given, a row of images; prevalence = label count / images of that split;
  the split's share of all images.
- Errors (the build fails; every error listed at once, each with file, line and column counted
  in the whole file): invalid TOML; a missing or unclosed `+++` block; a missing required field;
  a wrong type; an unknown key (naming the nearest known key); a term not in the vocabulary
  (naming the nearest term); a row whose length differs from `splits`; a negative count;
  a label count above the images of its split; a `related` or task `dataset` slug with no entry;
  a URL that is not http(s); a duplicate slug; a bad slug; a summary over 200 characters.
- Warnings (the build succeeds; `check` lists them; each page shows its own as data notes):
  declared numbers that disagree: split images summing to 112,117 while `images` says 112,120;
  for `multi_label = false`, label counts of a split not summing to its images; `labels` naming
  a different number of labels than a table holds; an access step in an `open` entry; the old
  free-text `labeling`.
"#;

const OTHER_FILES: &str = r#"## tasks.toml

```toml
[[tasks]]
title = "NIH ChestX-ray14 Dataset"
dataset = "nih-chestx-ray14"   # optional; must name an entry; the item links to its page
done = true

[[tasks]]
title = "Need to finish portfolio 1"
done = false
```

## site.toml

```toml
title = "Medical Imaging Datasets"
description = "A catalog of public medical imaging datasets."
base_url = "https://example.github.io/medical-imaging-datasets"  # optional; absolute URLs only where they must be (sitemap, JSON-LD, feeds)
repository = "https://github.com/example/medical-imaging-datasets" # optional; enables 'edit this entry' links
```

## vocabulary.toml

Every facet term an entry may use. Adding a modality is a content change, not a code change.
Any term may list `synonyms`: other names readers search it by. The index's search takes a
term's id, name and synonyms for one another (as it does a finding's name and synonyms of
labels.toml), so "xray" and "CXR" find the X-ray datasets.

```toml
[modalities]
x-ray = { name = "X-ray radiography", dicom = ["CR", "DX"], synonyms = ["xray", "radiograph", "CXR"] }
ct = { name = "Computed tomography", dicom = ["CT"] }

[body_regions]
chest = { name = "Chest" }

[tasks]
classification = { name = "Classification" }

[access]
open = { name = "Open", description = "Download without an account." }
registration = { name = "Registration", description = "Accept a research use agreement." }
credentialed = { name = "Credentialed", description = "Training, identity check and a signed data use agreement." }
restricted = { name = "Restricted", description = "Access decided case by case by the publisher." }

# Optional: the label methods and annotation types of [[label_sets]]. A method with
# `readers = true` is a reading by people: only its label sets may give `readers`;
# `min_readers = N` (which implies it) is the fewest readers it takes.
[label_methods]
nlp-reports = { name = "NLP on reports" }
consensus = { name = "Consensus of readers", min_readers = 2 }   # at least 2 readers

[annotation_types]
image-labels = { name = "Image labels" }
boxes = { name = "Bounding boxes" }
```

## licenses.toml

One table per licence, named by the id entries write in `license = "<id>"`. Each property
is "yes", "no" or "unclear", as the licence text says; `agreement` is what a user does
before download. The reserved ids `unverified` (no licence found at the sources) and
`none-stated` (the publisher states none) are defined here too, every property "unclear".
A `license` that is not an id is the old free-text form: accepted with a `license-free-text`
warning that shows the id to write and the table to add.

```toml
[cc-by-4-0]
spdx = "CC-BY-4.0"                # optional: its SPDX identifier
name = "Creative Commons Attribution 4.0 International"
url = "https://creativecommons.org/licenses/by/4.0/legalcode"   # optional for the reserved ids
commercial = "yes"
redistribution = "yes"
derivatives = "yes"
attribution = "yes"
share_alike = "no"
agreement = "none"                # none | registration | dua | credentialed | unclear
```

## labels.toml

Canonical findings, so that "Effusion" in one dataset and "Pleural Effusion" in another meet in
the cross-dataset comparison. A label that matches no finding stands on its own.

```toml
[[findings]]
name = "Pleural Effusion"
synonyms = ["Effusion"]

[[findings]]
name = "Lung Lesion"
synonyms = []
related = ["Mass", "Nodule"]   # overlaps, not equal: shown as related, never merged
```
"#;

/// The Markdown body of the example entry.
const EXAMPLE_BODY: &str = "Free Markdown: collection details, caveats, how the split was made.\n";

/// An entry that sets every field but the old forms to its declared example: front matter and
/// Markdown body, or (`toml`) a pure TOML entry, which also sets `notes`.
pub fn example_entry(toml: bool) -> String {
    example_entry_where(toml, &|_, field| {
        (!field.old_form).then(|| field.example.to_string())
    })
}

/// The value each field of a table gets in a generated entry: `None` leaves the field out;
/// its example writes it as declared (a sub-table as its own section); any other text is
/// written as the value, `key = text`.
pub(crate) type Values<'a> = dyn Fn(&Table, &Field) -> Option<String> + 'a;

/// An entry written field by field, each field given its value by `value`.
pub fn example_entry_where(toml: bool, value: &Values) -> String {
    let mut out = String::new();
    if !toml {
        out.push_str("+++\n");
    }
    write_table(&mut out, &ENTRY, "", toml, value);
    if !toml {
        out.push_str("+++\n\n");
        out.push_str(EXAMPLE_BODY);
    }
    out
}

/// The fields of one table: values first, then the sections of its sub-tables
/// (`[[path.key]]`, `[path.key]`), as TOML requires.
fn write_table(out: &mut String, table: &Table, path: &str, toml: bool, value: &Values) {
    let mut sections = Vec::new();
    for field in table.fields.iter().filter(|f| toml || !f.toml_only) {
        let Some(text) = value(table, field) else {
            continue;
        };
        let is_section = matches!(field.kind, Kind::Tables(_) | Kind::LabelRows);
        if is_section && text == field.example {
            sections.push(field);
        } else {
            let _ = writeln!(out, "{} = {text}", field.key);
        }
    }
    for field in sections {
        let name = if path.is_empty() {
            field.key.to_string()
        } else {
            format!("{path}.{}", field.key)
        };
        match field.kind {
            Kind::Tables(inner) => {
                let _ = writeln!(out, "\n[[{name}]]");
                write_table(out, inner, &name, toml, value);
            }
            _ => {
                let _ = writeln!(out, "[{name}]\n{}", field.example);
            }
        }
    }
}

/// The whole reference, as committed in `docs/entry-format.md`.
pub fn reference_markdown() -> String {
    let mut out = String::from(
        "# The entry format\n\n\
         <!-- Written from the declaration in src/format/mod.rs by \
         `UPDATE_EXPECT=1 cargo test --test format`; edit that, not this file. -->\n\n",
    );
    out.push_str(INTRO);
    out.push_str("\n## A dataset entry\n\nAn entry that sets every field:\n\n```toml\n");
    out.push_str(&example_entry(false));
    out.push_str(
        "```\n\nAs a pure TOML entry, the same keys without the `+++` lines, and the Markdown \
         description in `notes`.\n",
    );
    let _ = write!(out, "\n### Fields of an entry\n\n{}", fields_table(&ENTRY));
    for (key, table) in entry_tables() {
        let noun = if key == "class_counts" || key == "demographics" {
            "table"
        } else {
            "item"
        };
        let _ = write!(
            out,
            "\n### Fields of a `[[{key}]]` {noun}\n\n{}",
            fields_table(table)
        );
    }
    out.push('\n');
    out.push_str(CHECKS);
    out.push('\n');
    out.push_str(OTHER_FILES);
    out
}

/// A Markdown table of the fields of one table of the format.
fn fields_table(table: &Table) -> String {
    let mut out = String::from(
        "| Key | Type | Required | Unit | Facet | CSV column | Description |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for f in table.fields {
        let mut kind = match f.kind {
            Kind::Tables(inner) => format!("array of tables ({})", inner.what),
            kind => kind.describe().to_string(),
        };
        if let Some(max) = f.max_chars {
            let _ = write!(kind, ", at most {max} characters");
        }
        let required = if f.required { "yes" } else { "no" };
        let facet = f.facet().map_or("", |facet| facet.title().1);
        let csv = match (f.csv, f.facet()) {
            (Some(c), _) => format!("`{}`", f.key) + &col(c),
            // A facet fed from a nested table has a column of its own, named by the facet.
            (None, Some(facet)) => derived_column(facet.table()),
            (None, None) => String::new(),
        };
        let _ = writeln!(
            out,
            "| `{}` | {kind} | {required} | {} | {facet} | {csv} | {} |",
            f.key,
            f.unit.unwrap_or(""),
            f.help
        );
    }
    out
}

/// A derived column of `catalog.csv` named `name`, with its position, where there is one.
fn derived_column(name: &str) -> String {
    super::CSV_COLUMNS
        .iter()
        .position(|c| *c == name)
        .map_or(String::new(), |c| format!("`{name}`") + &col(c))
}

/// The position of a CSV column, counted from 1 as a spreadsheet shows it.
fn col(column: usize) -> String {
    format!(" ({})", column + 1)
}
