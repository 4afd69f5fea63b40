//! Structured data: the schema.org `Dataset` JSON-LD of every dataset page, checked against the
//! required and recommended properties of Google's Dataset guide, the index's `DataCatalog`,
//! and every dataset's Croissant 1.0 file, checked against the spec's required properties and
//! its entry's class tables; for a fixture catalog (with and without `base_url`) and for the
//! real catalog.

mod common;

use std::fs;
use std::path::Path;

use serde_json::Value;

/// The JSON of the `application/ld+json` script of a page.
fn json_ld(page: &str) -> Value {
    let open = "<script type=\"application/ld+json\">";
    let start = page.find(open).expect("a JSON-LD script") + open.len();
    let end = start + page[start..].find("</script>").unwrap();
    serde_json::from_str(&page[start..end]).expect("the JSON-LD parses")
}

/// The slugs of the entries of a built catalog.
fn slugs(root: &Path) -> Vec<String> {
    let mut slugs: Vec<String> = fs::read_dir(root.join("content/datasets"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    slugs.sort();
    slugs
}

/// Google's Dataset guide: `name` and a `description` of 50 to 5000 characters are required;
/// the recommended properties are there where the entry has the facts.
fn check_dataset(json: &Value, entry: &str, slug: &str, base: Option<&str>) {
    assert_eq!(json["@context"], "https://schema.org", "{slug}");
    assert_eq!(json["@type"], "Dataset", "{slug}");
    assert!(!json["name"].as_str().unwrap().is_empty(), "{slug}");
    let description = json["description"].as_str().unwrap().chars().count();
    assert!((50..=5000).contains(&description), "{slug}: {description}");
    for always in [
        "sameAs",
        "keywords",
        "creator",
        "publisher",
        "conditionsOfAccess",
        "measurementTechnique",
        "includedInDataCatalog",
    ] {
        assert!(json.get(always).is_some(), "{slug}: no {always}");
    }
    for agent in json["creator"].as_array().unwrap() {
        assert!(["Person", "Organization"].contains(&agent["@type"].as_str().unwrap()));
    }
    match base {
        Some(base) => {
            let url = format!("{base}/datasets/{slug}.html");
            assert_eq!(json["url"], url.as_str(), "{slug}");
            assert_eq!(json["@id"], url.as_str(), "{slug}");
        }
        None => assert!(json.get("url").is_none() && json.get("@id").is_none()),
    }
    // The entry's own keys: those before its first table.
    let top = entry.split("\n[").next().unwrap();
    let has = |key: &str| top.lines().any(|l| l.starts_with(&format!("{key} =")));
    let facts = [
        ("datePublished", has("year")),
        ("citation", entry.contains("[[papers]]")),
        (
            "variableMeasured",
            entry.contains("[class_counts.labels]") || has("labels"),
        ),
        ("version", has("version") || entry.contains("[[versions]]")),
        ("alternateName", has("aliases")),
        ("isAccessibleForFree", entry.contains("access = \"open\"")),
        ("identifier", has("doi") || own_paper_doi(entry)),
    ];
    for (key, known) in facts {
        assert_eq!(json.get(key).is_some(), known, "{slug}: {key}");
    }
    if let Some(license) = json.get("license") {
        assert!(
            license.as_str().unwrap().starts_with("http"),
            "{slug}: {license}"
        );
    }
}

/// Whether a paper of the entry that is not a survey has a DOI.
fn own_paper_doi(entry: &str) -> bool {
    entry.split("[[papers]]").skip(1).any(|paper| {
        let paper = paper.split("\n[").next().unwrap();
        paper.contains("\ndoi = ") && !paper.contains("secondary = true")
    })
}

/// Croissant 1.0's required properties, and one record set per class table whose records
/// are the table's splits with its numbers.
fn check_croissant(json: &Value, slug: &str) {
    let context = &json["@context"];
    assert_eq!(context["@vocab"], "https://schema.org/");
    assert_eq!(context["cr"], "http://mlcommons.org/croissant/");
    assert_eq!(context["data"]["@type"], "@json");
    assert_eq!(json["@type"], "sc:Dataset", "{slug}");
    assert_eq!(json["dct:conformsTo"], "http://mlcommons.org/croissant/1.0");
    for required in ["name", "description", "license", "url", "creator"] {
        assert!(json.get(required).is_some(), "{slug}: no {required}");
    }
    assert!(json.get("distribution").is_none(), "no invented files");
    assert!(
        json["description"]
            .as_str()
            .unwrap()
            .contains("No downloadable files are listed here")
    );
    let license = &json["license"];
    assert!(
        license.as_str().is_some_and(|u| u.starts_with("http"))
            || license["@type"] == "CreativeWork",
        "{slug}: {license}"
    );
}

/// A record set's records keyed by field id, checked for the keys every record must have.
fn records(set: &Value) -> &Vec<Value> {
    let ids: Vec<&str> = set["field"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["@id"].as_str().unwrap())
        .collect();
    let data = set["data"].as_array().unwrap();
    for record in data {
        let mut keys: Vec<&str> = record
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        let mut want = ids.clone();
        want.sort_unstable();
        assert_eq!(keys, want, "every record has every field");
    }
    data
}

/// Build the browse fixture, with `site` appended to its site.toml and one summary that tries
/// to end the script.
fn build_browse(site: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&common::fixtures().join("browse"), dir.path());
    let settings = dir.path().join("content/site.toml");
    fs::write(&settings, common::read(&settings) + site).unwrap();
    let entry = dir.path().join("content/datasets/alpha-cxr.md");
    let text = common::read(&entry);
    let summary = text.lines().find(|l| l.starts_with("summary =")).unwrap();
    let hostile = "summary = \"Ends early? </script><script>alert(1)</script> <!-- & more\"";
    fs::write(&entry, text.replace(summary, hostile)).unwrap();
    let public = common::build(dir.path());
    (dir, public)
}

#[test]
fn every_dataset_page_of_a_fixture_has_complete_schema_org_metadata() {
    for base in [None, Some("https://atlas.example.org")] {
        let site = base.map_or(String::new(), |b| format!("base_url = \"{b}/\"\n"));
        let (dir, public) = build_browse(&site);
        for slug in slugs(dir.path()) {
            let page = common::read(&public.join(format!("datasets/{slug}.html")));
            let entry = common::read(&dir.path().join(format!("content/datasets/{slug}.md")));
            check_dataset(&json_ld(&page), &entry, &slug, base);
        }
        let alpha = common::read(&public.join("datasets/alpha-cxr.html"));
        let script = &alpha[alpha.find("application/ld+json").unwrap()..];
        let script = &script[..script.find("</script>").unwrap()];
        for unsafe_text in ["</", "<!--", "-->", "&"] {
            assert!(!script.contains(unsafe_text), "`{unsafe_text}` in {script}");
        }
        let json = json_ld(&alpha);
        assert!(
            json["description"]
                .as_str()
                .unwrap()
                .starts_with("Ends early? </script><script>alert(1)</script> <!-- & more")
        );
        let index = json_ld(&common::read(&public.join("index.html")));
        assert_eq!(index["@type"], "DataCatalog");
        assert_eq!(index["name"], "Fixture catalog".to_string().as_str());
        match base {
            Some(b) => {
                assert_eq!(index["url"], format!("{b}/index.html").as_str());
                assert_eq!(json["includedInDataCatalog"]["@id"], index["@id"]);
            }
            None => assert!(index.get("url").is_none()),
        }
    }
}

#[test]
fn a_fixture_dataset_built_from_another_names_it_and_its_short_summary_is_completed() {
    let (dir, public) = build_browse("base_url = \"https://atlas.example.org\"\n");
    let entry = |slug: &str| common::read(&dir.path().join(format!("content/datasets/{slug}.md")));
    // The base fixture's short summary ("A valid entry.") is completed with the facts.
    let good = common::catalog(None);
    let built = common::build(good.path());
    let json = json_ld(&common::read(&built.join("datasets/good.html")));
    assert_eq!(
        json["description"],
        "A valid entry. Modality: X-ray radiography. Body region: Chest. Task: \
         Classification. Size: 150 images. Published by Test Hospital."
    );
    assert_eq!(
        json["variableMeasured"],
        serde_json::json!(["Effusion", "No Finding"])
    );
    assert!(
        json.get("license").is_none(),
        "no licence known, none invented"
    );
    // Lineage: every dataset page names what its entry says it is built from, by address.
    for slug in slugs(dir.path()) {
        let text = entry(&slug);
        let json = json_ld(&common::read(&public.join(format!("datasets/{slug}.html"))));
        let based: Vec<&str> = json["isBasedOn"]
            .as_array()
            .map(|a| a.iter().map(|b| b["url"].as_str().unwrap()).collect())
            .unwrap_or_default();
        for (relation, other) in text.split("[[lineage]]").skip(1).map(|item| {
            (
                item.contains("derived-from") || item.contains("subset-of"),
                item,
            )
        }) {
            let other = other.split("entry = \"").nth(1).unwrap();
            let other = &other[..other.find('"').unwrap()];
            let url = format!("https://atlas.example.org/datasets/{other}.html");
            assert_eq!(based.contains(&url.as_str()), relation, "{slug} -> {other}");
        }
    }
}

#[test]
fn every_dataset_of_a_fixture_has_a_croissant_file_matching_its_class_tables() {
    let (dir, public) = build_browse("");
    let checked = medatlas::check_catalog(dir.path(), &mut medatlas::Timings::default())
        .unwrap_or_else(|_| panic!("the fixture checks"));
    for d in &checked.catalog.datasets {
        let path = public.join(format!("datasets/{}.croissant.json", d.slug));
        let json: Value = serde_json::from_str(&common::read(&path)).unwrap();
        check_croissant(&json, &d.slug);
        let page = common::read(&public.join(format!("datasets/{}.html", d.slug)));
        assert!(page.contains(&format!(
            "<link rel=\"alternate\" type=\"application/ld+json\" href=\"{}.croissant.json\"",
            d.slug
        )));
        let sets = json["recordSet"].as_array().cloned().unwrap_or_default();
        for (i, table) in d.class_counts.iter().enumerate() {
            let id = format!("table-{}", i + 1);
            let set = sets.iter().find(|s| s["@id"] == id.as_str()).unwrap();
            assert_eq!(set["dataType"], "cr:Split");
            assert_eq!(set["name"], table.title.as_str());
            let data = records(set);
            assert_eq!(data.len(), table.splits.len());
            for (s, record) in data.iter().enumerate() {
                assert_eq!(record[format!("{id}/split")], table.splits[s].as_str());
                if let Some(sizes) = &table.images {
                    assert_eq!(record[format!("{id}/size")], sizes[s]);
                }
                let numbers: Vec<u64> = record
                    .as_object()
                    .unwrap()
                    .iter()
                    .filter(|(k, _)| k.contains("/label-"))
                    .map(|(_, v)| v.as_u64().unwrap())
                    .collect();
                let mut want: Vec<u64> = table.labels.iter().map(|(_, c)| c[s]).collect();
                let mut got = numbers.clone();
                want.sort_unstable();
                got.sort_unstable();
                assert_eq!(got, want, "{} {id} split {s}", d.slug);
            }
            for (label, _) in &table.labels {
                assert!(
                    set["field"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|f| f["name"] == label.as_str())
                );
            }
        }
        if let Some(labels) = sets.iter().find(|s| s["@id"] == "labels") {
            assert_eq!(labels["dataType"], "sc:Enumeration");
            for record in records(labels) {
                assert!(record["labels/name"].is_string());
            }
        }
    }
}

#[test]
fn every_page_and_croissant_file_of_the_real_catalog_is_complete() {
    let (dir, public) = common::built_real_catalog();
    let slugs = slugs(dir.path());
    assert!(slugs.len() > 100);
    for slug in &slugs {
        let page = common::read(&public.join(format!("datasets/{slug}.html")));
        let entry = common::read(&dir.path().join(format!("content/datasets/{slug}.md")));
        check_dataset(&json_ld(&page), &entry, slug, None);
        let croissant = common::read(&public.join(format!("datasets/{slug}.croissant.json")));
        let json: Value = serde_json::from_str(&croissant).unwrap();
        check_croissant(&json, slug);
        for set in json["recordSet"].as_array().into_iter().flatten() {
            records(set);
        }
    }
}
