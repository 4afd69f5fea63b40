//! The exports of the whole catalog: `catalog.json` valid against its committed JSON Schema
//! (and a document breaking it refused), `catalog.csv` read back as RFC 4180 and equal, row by
//! row and column by column, to `catalog.json`, `citations.bib` parsed back by a BibTeX parser
//! with its types, keys and fields, `citations.json` (CSL-JSON) agreeing with it, and the dataset
//! pages citing papers by the same keys. On the browse fixture and on the real catalog.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn browse_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&common::fixtures().join("browse"), dir.path());
    let public = common::build(dir.path());
    (dir, public)
}

fn real_site() -> (tempfile::TempDir, PathBuf) {
    let dir = common::real_catalog();
    let public = common::build(dir.path());
    (dir, public)
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

fn schema() -> Value {
    json(&common::manifest_dir().join("docs/catalog.schema.json"))
}

/// The errors of `document` against the committed schema, one a line.
fn schema_errors(document: &Value) -> Vec<String> {
    let validator = jsonschema::validator_for(&schema()).expect("the schema is a valid schema");
    validator
        .iter_errors(document)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn assert_valid(public: &Path) {
    let catalog = json(&public.join("catalog.json"));
    let errors = schema_errors(&catalog);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert_eq!(catalog["format_version"], 1);
    let published = json(&public.join("catalog.schema.json"));
    assert_eq!(
        published,
        schema(),
        "the site publishes the committed schema"
    );
}

/// What a test does to a valid document to break it, and what it breaks.
type Breakage = (&'static str, fn(&mut Value));

#[test]
fn catalog_json_follows_its_schema_and_the_schema_is_applied() {
    let (_dir, public) = browse_site();
    assert_valid(&public);
    let catalog = json(&public.join("catalog.json"));
    let datasets = catalog["datasets"].as_array().unwrap();
    assert_eq!(catalog["dataset_count"], datasets.len());
    // Breaking the document in each of a few ways breaks the validation.
    let breakages: [Breakage; 5] = [
        ("a missing key", |c| {
            c["datasets"][0].as_object_mut().unwrap().remove("slug");
        }),
        ("an unknown key", |c| {
            c["datasets"][0]["slogan"] = "x".into();
        }),
        ("a count of the wrong type", |c| {
            c["datasets"][0]["download_bytes"] = "many".into();
        }),
        ("a bad size", |c| {
            c["datasets"][0]["sizes"]["images"] = serde_json::json!({ "about": 3 });
        }),
        ("another format version", |c| {
            c["format_version"] = 2.into();
        }),
    ];
    for (what, breaks) in breakages {
        let mut broken = catalog.clone();
        breaks(&mut broken);
        assert!(
            !schema_errors(&broken).is_empty(),
            "{what} passed the schema"
        );
    }
}

#[test]
fn catalog_json_holds_derived_totals_lineage_and_citation_keys() {
    let (_dir, public) = browse_site();
    let catalog = json(&public.join("catalog.json"));
    let datasets = catalog["datasets"].as_array().unwrap();
    let slugs: Vec<&str> = datasets
        .iter()
        .map(|d| d["slug"].as_str().unwrap())
        .collect();
    let mut names: Vec<(String, &str)> = datasets
        .iter()
        .map(|d| {
            (
                d["name"].as_str().unwrap().to_lowercase(),
                d["slug"].as_str().unwrap(),
            )
        })
        .collect();
    names.sort();
    let sorted: Vec<&str> = names.iter().map(|(_, s)| *s).collect();
    assert_eq!(slugs, sorted, "datasets in catalog order");
    let alpha = datasets.iter().find(|d| d["slug"] == "alpha-cxr").unwrap();
    for table in alpha["class_tables"].as_array().unwrap() {
        let sizes: Option<u64> = table["split_sizes"]
            .as_array()
            .map(|s| s.iter().map(|n| n.as_u64().unwrap()).sum());
        assert_eq!(table["total"].as_u64(), sizes);
        for row in table["labels"].as_array().unwrap() {
            let sum: u64 = row["counts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n.as_u64().unwrap())
                .sum();
            assert_eq!(row["total"], sum);
        }
    }
    assert_eq!(alpha["papers"][0]["key"], "author2017alpha");
    // Lineage shows on both sides: declared on one entry, listed on the other's record too.
    let declared: Vec<(&str, &Value)> = datasets
        .iter()
        .flat_map(|d| {
            d["lineage"]
                .as_array()
                .unwrap()
                .iter()
                .filter(move |l| l["subject"] == d["slug"])
                .map(move |l| (d["slug"].as_str().unwrap(), l))
        })
        .collect();
    assert!(!declared.is_empty(), "the fixture declares lineage");
    for (subject, relation) in declared {
        let object = datasets
            .iter()
            .find(|d| d["slug"] == relation["object"])
            .unwrap();
        assert!(
            object["lineage"].as_array().unwrap().contains(relation),
            "{subject}'s relation is missing on {}",
            object["slug"]
        );
    }
}

#[test]
fn the_real_catalog_json_follows_its_schema() {
    let (_dir, public) = real_site();
    assert_valid(&public);
    assert_csv_is_the_json(&public);
    assert_citations_agree(&public);
}

/// A CSV field as `catalog.csv` writes a value: with `'` before a would-be formula.
fn guarded(value: String) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Object(bound) => match bound.iter().next() {
            Some((k, n)) if k == "at_least" => format!(">={n}"),
            Some((_, n)) => format!("<={n}"),
            None => String::new(),
        },
        other => other.to_string(),
    }
}

fn joined(list: &Value, field: &str) -> String {
    let items: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|item| text(if field.is_empty() { item } else { &item[field] }))
        .collect();
    items.join("; ")
}

/// The value `catalog.csv` has in `column` for a record of `catalog.json`.
fn expected_cell(d: &Value, column: &str) -> String {
    match column {
        "modalities" | "body_regions" | "tasks" | "label_methods" | "annotation_types" => {
            joined(&d[column], "name")
        }
        "access" => text(&d["access"]["name"]),
        "access_steps" => joined(&d["access_steps"], "step"),
        "downloads" => joined(&d["downloads"], "url"),
        "versions" => joined(&d["versions"], "version"),
        "lineage" => {
            let own: Vec<String> = d["lineage"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|l| l["subject"] == d["slug"])
                .map(|l| format!("{}:{}", text(&l["relation"]), text(&l["object"])))
                .collect();
            own.join("; ")
        }
        "images" | "volumes" | "slides" | "videos" | "studies" | "series" | "patients" => {
            text(&d["sizes"][column])
        }
        _ => text(&d[column]),
    }
}

fn assert_csv_is_the_json(public: &Path) {
    let bytes = fs::read(public.join("catalog.csv")).unwrap();
    let text_of = String::from_utf8(bytes.clone()).unwrap();
    assert!(text_of.ends_with("\r\n"), "records end with CRLF");
    assert!(
        !text_of.replace("\r\n", "").contains('\n') || text_of.contains('"'),
        "a bare line feed only inside a quoted field"
    );
    let catalog = json(&public.join("catalog.json"));
    let datasets = catalog["datasets"].as_array().unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes.as_slice());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert!(header.contains(&"slug".to_string()), "{header:?}");
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), datasets.len(), "one row per dataset");
    for (record, d) in records.iter().zip(datasets) {
        assert_eq!(record.len(), header.len(), "flat rows of equal length");
        for (column, cell) in header.iter().zip(record.iter()) {
            assert_eq!(
                cell,
                guarded(expected_cell(d, column)),
                "{} / {column}",
                d["slug"]
            );
        }
    }
}

#[test]
fn catalog_csv_is_rfc_4180_and_says_what_catalog_json_says() {
    let (_dir, public) = browse_site();
    assert_csv_is_the_json(&public);
}

/// A field of a parsed BibTeX entry as plain text, LaTeX escapes resolved.
fn field(entry: &biblatex::Entry, name: &str) -> Option<String> {
    use biblatex::ChunksExt;
    entry.fields.get(name).map(|c| c.format_verbatim())
}

/// Every record of `citations.bib` against `citations.json` and the pages' BibTeX.
fn assert_citations_agree(public: &Path) -> BTreeMap<String, biblatex::Entry> {
    let bib = fs::read_to_string(public.join("citations.bib")).unwrap();
    let parsed = biblatex::Bibliography::parse(&bib).expect("citations.bib parses");
    let records = bib.matches("\n@").count() + usize::from(bib.starts_with('@'));
    assert_eq!(parsed.len(), records, "every record parses");
    let csl = json(&public.join("citations.json"));
    let items = csl.as_array().unwrap();
    assert_eq!(items.len(), parsed.len(), "one CSL item per BibTeX record");
    let mut by_key = BTreeMap::new();
    for (entry, item) in parsed.iter().zip(items) {
        assert_eq!(item["id"], entry.key.as_str(), "same key, same order");
        let key = entry.key.as_str();
        assert!(
            key.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
            "{key}"
        );
        let kind = format!("{:?}", entry.entry_type).to_lowercase();
        let csl_kind = item["type"].as_str().unwrap();
        match kind.as_str() {
            "article" => assert_eq!(csl_kind, "article-journal", "{key}"),
            "inproceedings" => assert_eq!(csl_kind, "paper-conference", "{key}"),
            "misc" => assert!(["article", "document"].contains(&csl_kind), "{key}"),
            other => panic!("unexpected type {other} for {key}"),
        }
        let title = field(entry, "title").unwrap();
        assert_eq!(title, item["title"].as_str().unwrap(), "{key}");
        let container = field(entry, "journal").or_else(|| field(entry, "booktitle"));
        assert_eq!(
            container.as_deref(),
            item["container-title"].as_str(),
            "{key}"
        );
        assert_eq!(field(entry, "volume").as_deref(), item["volume"].as_str());
        assert_eq!(field(entry, "number").as_deref(), item["issue"].as_str());
        assert_eq!(
            field(entry, "pages")
                .map(|p| p.replace('\u{2013}', "-").replace("--", "-"))
                .as_deref(),
            item["page"].as_str()
        );
        assert_eq!(field(entry, "doi").as_deref(), item["DOI"].as_str());
        assert_eq!(field(entry, "url").as_deref(), item["URL"].as_str());
        let year = field(entry, "year").map(|y| y.parse::<i64>().unwrap());
        assert_eq!(year, item["issued"]["date-parts"][0][0].as_i64(), "{key}");
        let people: Vec<biblatex::Person> = entry.get_as("author").unwrap_or_default();
        let authors = item["author"].as_array().map_or(&[][..], Vec::as_slice);
        assert_eq!(people.len(), authors.len(), "{key}");
        for (person, author) in people.iter().zip(authors) {
            let family = [person.prefix.as_str(), person.name.as_str()]
                .iter()
                .filter(|p| !p.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            assert_eq!(family, author["family"].as_str().unwrap(), "{key}");
            assert_eq!(person.given_name, author["given"].as_str().unwrap_or(""));
        }
        assert!(
            by_key.insert(key.to_string(), entry.clone()).is_none(),
            "{key} twice"
        );
    }
    // Each dataset page's BibTeX records name the keys of citations.bib, for every paper.
    let catalog = json(&public.join("catalog.json"));
    for d in catalog["datasets"].as_array().unwrap() {
        let page = fs::read_to_string(public.join(d["page"].as_str().unwrap())).unwrap();
        for paper in d["papers"].as_array().unwrap() {
            let key = paper["key"].as_str().unwrap();
            assert!(by_key.contains_key(key), "{key} is not in citations.bib");
            assert!(
                page.contains(&format!("{{{key},\n")),
                "{key} not on {}",
                d["slug"]
            );
        }
    }
    by_key
}

#[test]
fn citations_parse_back_with_their_types_keys_and_fields() {
    let (_dir, public) = browse_site();
    let entries = assert_citations_agree(&public);
    let keys: Vec<&str> = entries.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["anon2020survey", "author2017alpha", "anongamma"]
            .iter()
            .copied()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
    );
    let alpha = &entries["author2017alpha"];
    assert_eq!(format!("{:?}", alpha.entry_type), "Article");
    assert_eq!(field(alpha, "journal").unwrap(), "Journal of Test Imaging");
    assert_eq!(field(alpha, "volume").unwrap(), "12");
    assert_eq!(field(alpha, "number").unwrap(), "3");
    assert_eq!(field(alpha, "pages").unwrap(), "45\u{2013}67");
    let people: Vec<biblatex::Person> = alpha.get_as("author").unwrap();
    assert_eq!(people[1].name, "Writer");
    assert_eq!(people[1].given_name, "B.");
    assert_eq!(format!("{:?}", entries["anongamma"].entry_type), "Misc");
}

#[test]
fn papers_sharing_a_key_get_suffixes_and_a_paper_cited_twice_is_one_record() {
    let (dir, _) = browse_site();
    let entry = dir.path().join("content/datasets/beta-ct.md");
    let text = fs::read_to_string(&entry).unwrap();
    let papers = "[[papers]]\ntitle = \"Alpha: another study\"\nurl = \"https://example.org/other\"\nyear = 2017\nauthors = [\"C. Author\"]\n\n\
                  [[papers]]\ntitle = \"Alpha: a chest radiograph collection\"\nurl = \"https://example.org/alpha/paper\"\nyear = 2017\nauthors = [\"A. Author\"]\n";
    let (front, body) = text[3..].split_once("+++").unwrap();
    fs::write(&entry, format!("+++{front}{papers}+++{body}")).unwrap();
    let public = common::build(dir.path());
    let entries = assert_citations_agree(&public);
    let keys: Vec<&str> = entries.keys().map(String::as_str).collect();
    assert!(keys.contains(&"author2017alphaa"), "{keys:?}");
    assert!(keys.contains(&"author2017alphab"), "{keys:?}");
    assert!(!keys.contains(&"author2017alpha"), "{keys:?}");
    assert_eq!(
        entries.len(),
        4,
        "the paper both entries cite is one record"
    );
}
