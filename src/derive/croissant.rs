//! Croissant: each dataset's metadata in MLCommons' Croissant 1.0 format
//! (<http://mlcommons.org/croissant/1.0>), written to `datasets/<slug>.croissant.json` beside
//! its page, which links it (`<link rel="alternate" type="application/ld+json">`).
//!
//! A file holds the dataset-level properties the spec requires (name, description, licence,
//! url, creator, date published) and recommends (keywords, publisher, version, `citeAs`), the
//! label set as an enumeration, and each class table as a record set of its splits, one record
//! per split with its size and its count per label, embedded as the spec allows for small
//! enumerations (`data`). The catalog knows no files with checksums, so a file has no
//! `distribution`; its description says where the data is obtained instead. Like the page's
//! JSON-LD, it is written by serde from structs borrowing the entry.

use serde::Serialize;
use serde::ser::SerializeMap;

use crate::common::paths::dataset_path;
use crate::common::slug::label_id;
use crate::derive::SiteData;
use crate::derive::schema_org::{self, Agent};
use crate::model::{ClassTable, Dataset};

/// The `@context` of Croissant 1.0, as the spec's Appendix 1 gives it.
const CONTEXT: &str = r#"{"@language":"en","@vocab":"https://schema.org/","sc":"https://schema.org/","cr":"http://mlcommons.org/croissant/","rai":"http://mlcommons.org/croissant/RAI/","dct":"http://purl.org/dc/terms/","citeAs":"cr:citeAs","column":"cr:column","conformsTo":"dct:conformsTo","data":{"@id":"cr:data","@type":"@json"},"dataType":{"@id":"cr:dataType","@type":"@vocab"},"examples":{"@id":"cr:examples","@type":"@json"},"extract":"cr:extract","field":"cr:field","fileProperty":"cr:fileProperty","fileObject":"cr:fileObject","fileSet":"cr:fileSet","format":"cr:format","includes":"cr:includes","isLiveDataset":"cr:isLiveDataset","jsonPath":"cr:jsonPath","key":"cr:key","md5":"cr:md5","parentField":"cr:parentField","path":"cr:path","recordSet":"cr:recordSet","references":"cr:references","regex":"cr:regex","repeated":"cr:repeated","replace":"cr:replace","separator":"cr:separator","source":"cr:source","subField":"cr:subField","transform":"cr:transform"}"#;

/// The version of the spec the files conform to.
pub(crate) const CONFORMS_TO: &str = "http://mlcommons.org/croissant/1.0";

/// The path of a dataset's Croissant file, beside its page.
pub(crate) fn croissant_path(slug: &str) -> String {
    format!("datasets/{slug}.croissant.json")
}

/// A dataset's Croissant metadata (everything but `@context`, which [`croissant`] puts first).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Metadata<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "dct:conformsTo")]
    conforms_to: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    alternate_name: &'a [String],
    description: String,
    license: License<'a>,
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    same_as: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    identifier: Option<String>,
    creator: Vec<Agent<'a>>,
    publisher: Agent<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<&'a str>,
    keywords: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cite_as: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_accessible_for_free: Option<bool>,
    conditions_of_access: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    record_set: Vec<RecordSet<'a>>,
}

/// The licence: the address of its text, or where the catalog knows none (no licence found,
/// none stated, a licence without a published text) a work named as the catalog names the
/// licence, so that nothing is invented.
#[derive(Serialize)]
#[serde(untagged)]
enum License<'a> {
    Url(&'a str),
    Named {
        #[serde(rename = "@type")]
        kind: &'static str,
        name: String,
    },
}

/// A reference to another node: `{"@id": ...}`.
#[derive(Serialize)]
struct Ref {
    #[serde(rename = "@id")]
    id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Field<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "@id")]
    id: String,
    name: &'a str,
    description: String,
    data_type: &'static str,
}

impl<'a> Field<'a> {
    fn new(id: String, name: &'a str, description: String, data_type: &'static str) -> Self {
        Field {
            kind: "cr:Field",
            id,
            name,
            description,
            data_type,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RecordSet<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "@id")]
    id: String,
    name: &'a str,
    description: String,
    data_type: &'static str,
    key: Ref,
    field: Vec<Field<'a>>,
    data: Records<'a>,
}

/// The records of a record set, embedded.
enum Records<'a> {
    /// One per label: its name.
    Labels(Vec<&'a str>),
    /// One per split of a class table, keyed by the ids of the table's fields (split, size
    /// where published, one per label).
    Splits(&'a ClassTable, Vec<String>),
}

impl Serialize for Records<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        match self {
            Records::Labels(labels) => {
                let mut seq = serializer.serialize_seq(Some(labels.len()))?;
                for label in labels {
                    seq.serialize_element(&OneKey(LABEL_NAME, label))?;
                }
                seq.end()
            }
            Records::Splits(table, ids) => {
                let mut seq = serializer.serialize_seq(Some(table.splits.len()))?;
                for index in 0..table.splits.len() {
                    seq.serialize_element(&SplitRecord { table, ids, index })?;
                }
                seq.end()
            }
        }
    }
}

/// The id of the field of the label set's record set.
const LABEL_NAME: &str = "labels/name";

/// A record of one field: `{"labels/name": "Effusion"}`.
struct OneKey<'a>(&'static str, &'a str);

impl Serialize for OneKey<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.0, self.1)?;
        map.end()
    }
}

/// The record of split `index` of a class table: its name, its size where the table gives
/// sizes, and its count per label (`null` where a row has no number for it).
struct SplitRecord<'a> {
    table: &'a ClassTable,
    ids: &'a [String],
    index: usize,
}

impl Serialize for SplitRecord<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let SplitRecord { table, ids, index } = *self;
        let mut map = serializer.serialize_map(Some(ids.len()))?;
        let mut ids = ids.iter();
        let mut next = || ids.next().expect("one field id per column");
        map.serialize_entry(next(), &table.splits[index])?;
        if let Some(sizes) = sizes(table) {
            map.serialize_entry(next(), &sizes[index])?;
        }
        for (_, counts) in &table.labels {
            map.serialize_entry(next(), &counts.get(index))?;
        }
        map.end()
    }
}

/// The split sizes of a table, when it gives one per split.
fn sizes(table: &ClassTable) -> Option<&[u64]> {
    table
        .images
        .as_deref()
        .filter(|s| s.len() == table.splits.len())
}

/// The Croissant file of a dataset.
pub(crate) fn croissant(d: &Dataset, data: &SiteData) -> String {
    let labels = schema_org::labels(d);
    let mut record_set: Vec<RecordSet<'_>> = Vec::with_capacity(d.class_counts.len() + 1);
    if !labels.is_empty() {
        record_set.push(label_set(labels));
    }
    record_set.extend(
        d.class_counts
            .iter()
            .enumerate()
            .map(|(i, t)| split_set(t, i)),
    );
    let metadata = Metadata {
        kind: "sc:Dataset",
        conforms_to: CONFORMS_TO,
        name: &d.name,
        alternate_name: &d.aliases,
        description: description(d, data),
        license: license(d, data),
        url: &d.homepage,
        same_as: data.absolute(&dataset_path(&d.slug)),
        identifier: schema_org::doi(d).map(|doi| format!("https://doi.org/{doi}")),
        creator: schema_org::creators(d),
        publisher: schema_org::publisher(d),
        date_published: d.year.map(|y| y.to_string()),
        version: schema_org::version(d),
        keywords: data.keywords(d),
        cite_as: schema_org::own_papers(d)
            .next()
            .map(|p| crate::derive::cite::bibtex(p, data.citations.key(p))),
        is_accessible_for_free: schema_org::free(d),
        conditions_of_access: data.conditions_of_access(d),
        record_set,
    };
    let body = serde_json::to_string(&metadata).expect("metadata serialises: string keys");
    // `@context` first, as in the spec's examples: a constant, spliced in front of the rest.
    format!("{{\"@context\":{CONTEXT},{}\n", &body[1..])
}

/// The description: the summary, the facts, and where the data is obtained, since the file
/// lists no files to download.
fn description(d: &Dataset, data: &SiteData) -> String {
    let mut out = format!("{} {}", d.summary, data.facts(d));
    out.push_str(&format!(
        " No downloadable files are listed here: the data is obtained from the publisher ({})",
        d.homepage
    ));
    let places = crate::derive::access::downloads_csv(d);
    if !places.is_empty() {
        out.push_str(&format!("; files at: {places}"));
    }
    out.push('.');
    out
}

fn license<'a>(d: &Dataset, data: &'a SiteData) -> License<'a> {
    if let Some(url) = crate::derive::license::url(d, &data.licenses) {
        return License::Url(url);
    }
    let name = crate::derive::license::view(d, &data.licenses)
        .map_or_else(|| "No licence recorded".to_string(), |l| l.name);
    License::Named {
        kind: "CreativeWork",
        name,
    }
}

/// The label set as an enumeration (`sc:Enumeration`), one record per label.
fn label_set(labels: Vec<&str>) -> RecordSet<'_> {
    RecordSet {
        kind: "cr:RecordSet",
        id: "labels".into(),
        name: "labels",
        description: "The labels of the dataset, as its publisher names them.".into(),
        data_type: "sc:Enumeration",
        key: Ref {
            id: LABEL_NAME.into(),
        },
        field: vec![Field::new(
            LABEL_NAME.into(),
            "name",
            "The label's name.".into(),
            "sc:Text",
        )],
        data: Records::Labels(labels),
    }
}

/// A class table as a record set of its splits (`cr:Split`), with the id of its table on the
/// dataset's page (`table-1`).
fn split_set(table: &ClassTable, index: usize) -> RecordSet<'_> {
    let id = format!("table-{}", index + 1);
    let unit = table.unit.as_str();
    let mut field = vec![Field::new(
        format!("{id}/split"),
        "split",
        "The split, as the source names it.".into(),
        "sc:Text",
    )];
    if sizes(table).is_some() {
        field.push(Field::new(
            format!("{id}/size"),
            "size",
            format!("The number of {unit} in the split."),
            "sc:Integer",
        ));
    }
    let mut taken = std::collections::HashSet::new();
    for (n, (label, _)) in table.labels.iter().enumerate() {
        let mut key = format!("{id}/label-{}", label_id(label));
        if key.ends_with("/label-") || !taken.insert(key.clone()) {
            key = format!("{id}/label-{}", n + 1);
            taken.insert(key.clone());
        }
        field.push(Field::new(
            key,
            label,
            format!("The number of {unit} labelled “{label}” in the split."),
            "sc:Integer",
        ));
    }
    let ids = field.iter().map(|f| f.id.clone()).collect();
    RecordSet {
        kind: "cr:RecordSet",
        key: Ref {
            id: format!("{id}/split"),
        },
        id,
        name: &table.title,
        description: table_description(table),
        data_type: "cr:Split",
        field,
        data: Records::Splits(table, ids),
    }
}

/// What a class table is, in words: its title, whether its split is the publisher's, whether
/// it keeps patients apart and may give an image several labels, and its source.
fn table_description(table: &ClassTable) -> String {
    let unit = table.unit.as_str();
    let mut out = format!("The splits of “{}”", table.title);
    match table.official {
        Some(true) => out.push_str(", the publisher's official split"),
        Some(false) => out.push_str(", not the publisher's official split"),
        None => {}
    }
    let what = match (table.labels.is_empty(), sizes(table).is_some()) {
        (false, true) => format!("its size and its count of {unit} per label"),
        (false, false) => format!("its count of {unit} per label"),
        (true, _) => "its size".to_string(),
    };
    out.push_str(&format!(": one record per split, with {what}."));
    match table.patient_disjoint {
        Some(true) => out.push_str(" No patient is in two splits."),
        Some(false) => out.push_str(" Patients may be in more than one split."),
        None => {}
    }
    match table.multi_label {
        Some(true) => out.push_str(&format!(" One {} may carry several labels.", one(table))),
        Some(false) => out.push_str(&format!(" Each {} carries one label.", one(table))),
        None => {}
    }
    out.push_str(&format!(" Source: {}", table.source));
    out
}

/// One of what a table counts: "image", "study", "series".
fn one(table: &ClassTable) -> &'static str {
    use crate::model::Unit;
    match table.unit {
        Unit::Images => "image",
        Unit::Volumes => "volume",
        Unit::Slides => "slide",
        Unit::Videos => "video",
        Unit::Studies => "study",
        Unit::Series => "series",
        Unit::Patients => "patient",
    }
}
