//! The JSON Schema of an entry's front matter, for editors.
//!
//! Taplo (the engine of VS Code's "Even Better TOML") validates and completes a TOML file
//! against a JSON Schema named in a `#:schema` comment. The types below mirror the keys that
//! [`crate::parse`] reads (a test keeps the two lists equal); their doc comments become the
//! descriptions an editor shows. The catalog's own vocabulary is added as `enum`s, so an
//! editor offers the allowed modalities, body regions, tasks and access levels.

use schemars::JsonSchema;

use crate::model::{Facet, Vocabulary};

/// A dataset entry of medatlas: the TOML front matter of `content/datasets/<slug>.md` (or a
/// whole `content/datasets/<slug>.toml`).
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // only its schema is used
pub struct Entry {
    /// Display name.
    name: String,
    /// Other names the dataset is known by.
    aliases: Option<Vec<String>>,
    /// One sentence, at most 200 characters.
    #[schemars(length(max = 200))]
    summary: String,
    /// The institution that publishes the data.
    publisher: String,
    /// The dataset's official page (http or https).
    #[schemars(url)]
    homepage: String,
    /// Imaging modalities: terms of [modalities] in content/vocabulary.toml.
    #[schemars(length(min = 1))]
    modalities: Vec<String>,
    /// Body regions: terms of [body_regions] in content/vocabulary.toml.
    #[schemars(length(min = 1))]
    body_regions: Vec<String>,
    /// Machine-learning tasks: terms of [tasks] in content/vocabulary.toml.
    #[schemars(length(min = 1))]
    tasks: Vec<String>,
    /// How to get the data: a level of [access] in content/vocabulary.toml.
    access: String,
    /// SPDX licence id where one applies (CC-BY-4.0, CC0-1.0, ...), else short text.
    license: Option<String>,
    /// Year of first release.
    year: Option<i64>,
    /// The dataset's own DOI (not its paper's).
    doi: Option<String>,
    /// Number of images. Leave out when unknown; never 0 for unknown.
    #[schemars(range(min = 0))]
    images: Option<i64>,
    /// Number of patients. Leave out when unknown.
    #[schemars(range(min = 0))]
    patients: Option<i64>,
    /// File formats, e.g. ["PNG"].
    image_format: Option<Vec<String>>,
    /// Image size, e.g. "1024x1024".
    resolution: Option<String>,
    /// Bits per pixel value.
    #[schemars(range(min = 0))]
    bit_depth: Option<i64>,
    /// How the labels were produced.
    labeling: Option<String>,
    /// The label set, when no class table lists it.
    labels: Option<Vec<String>>,
    /// Slugs (file names without extension) of related entries.
    related: Option<Vec<String>>,
    /// Caveats a user must know: Markdown, one line each.
    known_issues: Option<Vec<String>>,
    /// Primary and related publications, in order.
    papers: Option<Vec<Paper>>,
    /// Class counts per split, one table per split scheme, as published.
    class_counts: Option<Vec<ClassCounts>>,
    /// Markdown description (pure TOML entries only).
    notes: Option<String>,
}

/// A publication.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Paper {
    title: String,
    #[schemars(url)]
    url: String,
    year: Option<i64>,
    authors: Option<Vec<String>>,
    venue: Option<String>,
    doi: Option<String>,
}

/// One table of class counts over the splits of one split scheme.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ClassCounts {
    /// What the table is, e.g. "Official split".
    title: String,
    /// Is this the publisher's own split?
    official: Option<bool>,
    /// Are the splits disjoint by patient?
    patient_disjoint: Option<bool>,
    /// Where the numbers come from (http or https).
    #[schemars(url)]
    source: String,
    /// What a count counts.
    unit: Option<Unit>,
    /// Split names, in the column order of the source.
    splits: Vec<String>,
    /// Size of each split, in `unit`.
    images: Option<Vec<u64>>,
    /// May one image carry several labels?
    multi_label: Option<bool>,
    /// One row per label: one count per split, in the order of `splits`.
    labels: Option<std::collections::BTreeMap<String, Vec<u64>>>,
}

#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
enum Unit {
    Images,
    Studies,
    Patients,
}

/// The schema, with the vocabulary's terms as the allowed values of the facet fields.
pub fn entry_schema(vocabulary: &Vocabulary) -> serde_json::Value {
    let mut schema =
        serde_json::to_value(schemars::schema_for!(Entry)).expect("a schema serialises");
    schema["$id"] = "https://medatlas.invalid/schema/entry.json".into();
    for facet in Facet::ALL {
        let terms: Vec<&str> = vocabulary
            .facet(facet)
            .iter()
            .map(|t| t.id.as_str())
            .collect();
        let property = &mut schema["properties"][facet.table()];
        let target = if facet == Facet::Access {
            property
        } else {
            &mut property["items"]
        };
        target["enum"] = terms.into();
    }
    schema
}

/// The schema as the file `medatlas schema` writes.
pub fn entry_schema_text(vocabulary: &Vocabulary) -> String {
    let mut text =
        serde_json::to_string_pretty(&entry_schema(vocabulary)).expect("a schema serialises");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The schema describes exactly the keys the parser reads.
    #[test]
    fn the_schema_has_the_parsers_keys() {
        let schema = entry_schema(&Vocabulary::default());
        let keys = |value: &serde_json::Value| -> Vec<String> {
            let mut keys: Vec<String> = value["properties"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect();
            keys.sort();
            keys
        };
        let sorted = |list: &[&str]| {
            let mut list: Vec<String> = list.iter().map(|s| s.to_string()).collect();
            list.sort();
            list
        };
        let mut entry = crate::parse::ENTRY_KEYS.to_vec();
        entry.push("notes");
        assert_eq!(keys(&schema), sorted(&entry));
        assert_eq!(
            keys(&schema["$defs"]["Paper"]),
            sorted(crate::parse::PAPER_KEYS)
        );
        assert_eq!(
            keys(&schema["$defs"]["ClassCounts"]),
            sorted(crate::parse::TABLE_KEYS)
        );
        assert_eq!(schema["additionalProperties"], false);
    }
}
