//! `catalog.json`: the whole catalog for scripts, every entry with its fields, the totals the
//! site derives and its lineage, described by the JSON Schema `catalog.schema.json`.
//!
//! Each record is serialised straight from the checked catalog through borrowing structs (no
//! template, no intermediate JSON tree), the records in parallel, one to a line, in catalog
//! order. Every record has every key: a value the entry does not give is `null` (or an empty
//! list), never a guess. [`FORMAT_VERSION`] is raised when a key is removed, renamed or
//! changes its meaning; adding a key does not raise it.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::common::number::total;
use crate::derive::SiteData;
use crate::derive::labels::Meaning;
use crate::model::{
    Agreement, Answer, Catalog, ClassTable, Dataset, Decimal, Demographics, Facet, License,
    Lineage, Located, Size, Unit, Version,
};

/// The version of the layout of `catalog.json` (its `format_version`).
pub(crate) const FORMAT_VERSION: u32 = 1;

/// The JSON Schema of `catalog.json`, published beside it.
pub(crate) const SCHEMA: &str = include_str!("../../docs/catalog.schema.json");

/// What `catalog.json` says about itself, before its datasets.
#[derive(Serialize)]
struct Head<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    format_version: u32,
    generator: &'static str,
    title: &'a str,
    description: &'a str,
    base_url: Option<&'a str>,
    dataset_count: usize,
}

/// A vocabulary term by id and display name.
#[derive(Serialize)]
struct TermRef {
    id: String,
    name: String,
}

fn term(data: &SiteData, facet: Facet, id: &str) -> TermRef {
    let view = data.term(facet, id);
    TermRef {
        id: view.id,
        name: view.name,
    }
}

fn terms(data: &SiteData, facet: Facet, ids: &[&Located<String>]) -> Vec<TermRef> {
    ids.iter().map(|t| term(data, facet, &t.value)).collect()
}

/// A size as an entry writes it: a number, `{"at_least": N}`, `{"at_most": N}` or
/// `"not stated"`.
struct SizeJson(Size);

impl Serialize for SizeJson {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Size::Exact(n) => s.serialize_u64(n),
            Size::AtLeast(n) => [("at_least", n)]
                .iter()
                .copied()
                .collect::<Bound>()
                .serialize(s),
            Size::AtMost(n) => [("at_most", n)]
                .iter()
                .copied()
                .collect::<Bound>()
                .serialize(s),
            Size::NotStated => s.serialize_str(Size::NOT_STATED),
        }
    }
}

/// A bound, as a one-key object.
type Bound = std::collections::BTreeMap<&'static str, u64>;

/// Counts by unit, as an object in the order of [`Unit::ALL`].
struct Counts<'a>(&'a [(Unit, Size)]);

impl Serialize for Counts<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for &(unit, size) in self.0 {
            map.serialize_entry(unit.as_str(), &SizeJson(size))?;
        }
        map.end()
    }
}

/// What a licence of `licenses.toml` allows.
#[derive(Serialize)]
struct LicenseTerms<'a> {
    spdx: Option<&'a str>,
    name: &'a str,
    url: Option<&'a str>,
    commercial: Answer,
    redistribution: Answer,
    derivatives: Answer,
    attribution: Answer,
    share_alike: Answer,
    agreement: Agreement,
}

impl<'a> From<&'a License> for LicenseTerms<'a> {
    fn from(l: &'a License) -> Self {
        LicenseTerms {
            spdx: l.spdx.as_deref(),
            name: &l.name,
            url: l.url.as_deref(),
            commercial: l.commercial,
            redistribution: l.redistribution,
            derivatives: l.derivatives,
            attribution: l.attribution,
            share_alike: l.share_alike,
            agreement: l.agreement,
        }
    }
}

#[derive(Serialize)]
struct LabelSetJson<'a> {
    name: &'a str,
    method: Option<TermRef>,
    readers: Option<u64>,
    annotations: Vec<TermRef>,
    how: Option<&'a str>,
}

#[derive(Serialize)]
struct StepJson<'a> {
    step: &'static str,
    what: &'a str,
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct DownloadJson<'a> {
    kind: &'static str,
    url: &'a str,
    what: Option<&'a str>,
}

/// One label's row of a class table, with its total over the splits.
#[derive(Serialize)]
struct LabelRow<'a> {
    label: &'a str,
    /// The canonical finding of `labels.toml` it means, if any.
    finding: Option<&'a str>,
    counts: &'a [u64],
    total: Option<u64>,
}

/// The largest or smallest label of a table by its total.
#[derive(Serialize)]
struct Extreme {
    label: String,
    total: u64,
}

/// A class table as published, with what the site derives from it.
#[derive(Serialize)]
struct TableJson<'a> {
    title: &'a str,
    official: Option<bool>,
    patient_disjoint: Option<bool>,
    multi_label: Option<bool>,
    /// The table comparisons and the label matrix show.
    compared: bool,
    source: &'a str,
    unit: &'static str,
    splits: &'a [String],
    split_sizes: Option<&'a [u64]>,
    /// The sum of the split sizes.
    total: Option<u64>,
    labels: Vec<LabelRow<'a>>,
    /// Label occurrences per split (the sum of the label counts), then over all splits.
    occurrences: Option<Vec<u64>>,
    occurrences_total: Option<u64>,
    largest: Option<Extreme>,
    smallest: Option<Extreme>,
}

#[derive(Serialize)]
struct VersionJson<'a> {
    version: &'a str,
    date: Option<String>,
    doi: Option<&'a str>,
    counts: Counts<'a>,
    changes: Option<&'a str>,
    source: &'a str,
}

/// Numbers as written, as JSON numbers.
fn decimals(values: Option<&Vec<Decimal>>) -> Option<Vec<f64>> {
    values.map(|v| v.iter().map(|d| d.value).collect())
}

#[derive(Serialize)]
struct DemographicsJson<'a> {
    title: &'a str,
    source: &'a str,
    unit: &'static str,
    splits: &'a [String],
    total: Option<&'a [u64]>,
    female: Option<&'a [u64]>,
    male: Option<&'a [u64]>,
    sex_unknown: Option<&'a [u64]>,
    age_mean: Option<Vec<f64>>,
    age_sd: Option<Vec<f64>>,
    age_median: Option<Vec<f64>>,
    age_min: Option<Vec<f64>>,
    age_max: Option<Vec<f64>>,
}

/// One relation of the lineage, as declared: `subject` `relation` `object`.
#[derive(Serialize)]
struct LineageJson<'a> {
    subject: &'a str,
    relation: &'static str,
    object: &'a str,
    how: &'a str,
}

#[derive(Serialize)]
struct PaperJson<'a> {
    /// Its key in `citations.bib` and `citations.json`.
    key: &'a str,
    title: &'a str,
    url: &'a str,
    year: Option<i64>,
    authors: &'a [String],
    venue: Option<&'a str>,
    doi: Option<&'a str>,
    numbers: &'a [String],
    secondary: bool,
}

#[derive(Serialize)]
struct SourceJson<'a> {
    title: &'a str,
    url: &'a str,
    numbers: &'a [String],
    secondary: bool,
}

/// One dataset of `catalog.json`.
#[derive(Serialize)]
struct Record<'a> {
    slug: &'a str,
    name: &'a str,
    aliases: &'a [String],
    summary: &'a str,
    publisher: &'a str,
    homepage: &'a str,
    /// Its page, relative to the site root.
    page: String,
    /// Its page's address, with `base_url`.
    url: Option<String>,
    modalities: Vec<TermRef>,
    body_regions: Vec<TermRef>,
    tasks: Vec<TermRef>,
    access: TermRef,
    license: Option<&'a str>,
    license_terms: Option<LicenseTerms<'a>>,
    year: Option<i64>,
    doi: Option<&'a str>,
    version: Option<&'a str>,
    sizes: Counts<'a>,
    /// The unit the entry names as its main one (`main_unit`).
    main_unit: Option<&'static str>,
    /// The size in the unit the index lists it by: `main_unit`, else the first unit given.
    main_size: Option<SizeJson>,
    download_bytes: Option<u64>,
    image_format: &'a [String],
    resolution: Option<&'a str>,
    bit_depth: Option<u64>,
    labels: Vec<&'a str>,
    label_sets: Vec<LabelSetJson<'a>>,
    label_methods: Vec<TermRef>,
    annotation_types: Vec<TermRef>,
    labeling: Option<&'a str>,
    access_steps: Vec<StepJson<'a>>,
    downloads: Vec<DownloadJson<'a>>,
    class_tables: Vec<TableJson<'a>>,
    versions: Vec<VersionJson<'a>>,
    demographics: Vec<DemographicsJson<'a>>,
    lineage: Vec<LineageJson<'a>>,
    /// The datasets its data is built from or part of, through chains of them, nearest first.
    ancestors: Vec<&'a str>,
    related: Vec<&'a str>,
    papers: Vec<PaperJson<'a>>,
    sources: Vec<SourceJson<'a>>,
    known_issues: &'a [String],
    checked: Option<String>,
}

/// The relations other entries declare about each dataset, by its slug.
type Reverse<'a> = HashMap<&'a str, Vec<(&'a str, &'a Lineage)>>;

fn reverse_lineage(catalog: &Catalog) -> Reverse<'_> {
    let mut reverse: Reverse = HashMap::new();
    for d in &catalog.datasets {
        for l in &d.lineage {
            if l.entry.value != d.slug {
                reverse
                    .entry(l.entry.value.as_str())
                    .or_default()
                    .push((d.slug.as_str(), l));
            }
        }
    }
    reverse
}

/// Each dataset's record of `catalog.json` with its hash, kept between runs of `serve` by a
/// key of what it is made from (the entry, the site-wide inputs, its lineage and its papers'
/// keys), with the keys of the last run in catalog order. Everything the exports show is in
/// the records (papers included, the body not), so their hashes fingerprint all four files.
/// A build, which runs once, keeps no records: `catalog.json` writes them as it goes, and the
/// keys fingerprint the files.
#[derive(Default)]
pub(crate) struct ExportCache {
    parts: crate::common::hash::PartCache<(String, u64)>,
    keys: Vec<u64>,
    once: bool,
}

impl ExportCache {
    /// Make the record of every dataset whose key (one per dataset, in catalog order) is new,
    /// in parallel, and drop those no longer used; for a run that is the only one (`once`),
    /// keep the keys only.
    pub(crate) fn fill(&mut self, catalog: &Catalog, data: &SiteData, keys: &[u64], once: bool) {
        self.once = once;
        self.keys = keys.to_vec();
        if once {
            self.parts.clear();
            return;
        }
        let missing: Vec<(u64, (String, u64))> = {
            let reverse = reverse_lineage(catalog);
            catalog
                .datasets
                .par_iter()
                .zip(keys)
                .filter(|(_, key)| !self.parts.contains_key(key))
                .map(|(d, &key)| {
                    let record = serde_json::to_string(&record(d, data, &reverse))
                        .expect("a record serialises");
                    let hash = crate::common::hash::stable_hash(&record);
                    (key, (record, hash))
                })
                .collect()
        };
        self.parts.extend(missing);
        crate::common::hash::keep_only(&mut self.parts, keys);
    }

    /// A hash of every record, in catalog order (of every key, when no records are kept).
    pub(crate) fn hash(&self) -> u64 {
        if self.once {
            return crate::common::hash::stable_hash(&self.keys);
        }
        let hashes: Vec<u64> = self.keys.iter().map(|k| self.parts[k].1).collect();
        crate::common::hash::stable_hash(&hashes)
    }
}

/// `catalog.json`: a head, then one dataset a line (the records of `cache`).
pub(crate) fn catalog_json(catalog: &Catalog, data: &SiteData, cache: &ExportCache) -> String {
    let mut out = Vec::new();
    write_catalog_json(catalog, data, cache, &mut out).expect("a Vec takes every write");
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// Whether `catalog.json` is written as it is made ([`write_catalog_json`]), not held whole:
/// in a build, which keeps no records.
pub(crate) fn streams(cache: &ExportCache) -> bool {
    cache.once
}

/// Write `catalog.json` to `out`: the records of `cache`, or, when it keeps none, each record
/// as it is made, so that no more than one is held at a time.
pub(crate) fn write_catalog_json(
    catalog: &Catalog,
    data: &SiteData,
    cache: &ExportCache,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let head = Head {
        schema: "catalog.schema.json",
        format_version: FORMAT_VERSION,
        generator: data.site.generator,
        title: &catalog.site.title,
        description: &catalog.site.description,
        base_url: catalog.site.base_url.as_deref(),
        dataset_count: catalog.datasets.len(),
    };
    let head = serde_json::to_string(&head).expect("the head serialises");
    out.write_all(head.strip_suffix('}').expect("an object").as_bytes())?;
    out.write_all(b",\"datasets\":[")?;
    let separator = |i: usize| if i == 0 { &b"\n"[..] } else { &b",\n"[..] };
    if cache.once {
        let reverse = reverse_lineage(catalog);
        for (i, d) in catalog.datasets.iter().enumerate() {
            out.write_all(separator(i))?;
            serde_json::to_writer(&mut *out, &record(d, data, &reverse))?;
        }
    } else {
        for (i, key) in cache.keys.iter().enumerate() {
            out.write_all(separator(i))?;
            out.write_all(cache.parts[key].0.as_bytes())?;
        }
    }
    out.write_all(b"\n]}\n")
}

fn record<'a>(d: &'a Dataset, data: &'a SiteData, reverse: &Reverse<'a>) -> Record<'a> {
    let facet = |f: Facet, ids: &[Located<String>]| -> Vec<TermRef> {
        ids.iter().map(|t| term(data, f, &t.value)).collect()
    };
    let page = crate::common::paths::dataset_path(&d.slug);
    Record {
        slug: &d.slug,
        name: &d.name,
        aliases: &d.aliases,
        summary: &d.summary,
        publisher: &d.publisher,
        homepage: &d.homepage,
        url: data.site.base_url.as_ref().map(|b| format!("{b}/{page}")),
        page,
        modalities: facet(Facet::Modality, &d.modalities),
        body_regions: facet(Facet::BodyRegion, &d.body_regions),
        tasks: facet(Facet::Task, &d.tasks),
        access: term(data, Facet::Access, &d.access.value),
        license: d.license_value(),
        license_terms: d
            .license_value()
            .and_then(|id| data.licenses.get(id))
            .map(LicenseTerms::from),
        year: d.year,
        doi: d.doi.as_deref(),
        version: d.version.as_deref(),
        sizes: Counts(&d.sizes.counts),
        main_unit: d.sizes.main_unit.map(Unit::as_str),
        main_size: d.sizes.main().and_then(|u| d.sizes.get(u)).map(SizeJson),
        download_bytes: d.sizes.download_bytes,
        image_format: &d.image_format,
        resolution: d.resolution.as_deref(),
        bit_depth: d.bit_depth,
        labels: crate::derive::labels::dataset_label_names(d),
        label_sets: label_sets(d, data),
        label_methods: terms(
            data,
            Facet::LabelMethod,
            &d.label_set_terms(Facet::LabelMethod),
        ),
        annotation_types: terms(
            data,
            Facet::AnnotationType,
            &d.label_set_terms(Facet::AnnotationType),
        ),
        labeling: d.labeling.as_ref().map(|l| l.value.as_str()),
        access_steps: steps(d),
        downloads: downloads(d),
        class_tables: tables(d, data),
        versions: d.versions.iter().map(version).collect(),
        demographics: d.demographics.iter().map(demographics).collect(),
        lineage: lineage(d, reverse),
        ancestors: data
            .lineage
            .compare(&d.slug)
            .map(|c| c.up.iter().map(|(slug, _)| slug.as_str()).collect())
            .unwrap_or_default(),
        related: d.related.iter().map(|r| r.value.as_str()).collect(),
        papers: papers(d, data),
        sources: d
            .sources
            .iter()
            .map(|s| SourceJson {
                title: &s.title,
                url: &s.url,
                numbers: &s.numbers,
                secondary: s.secondary,
            })
            .collect(),
        known_issues: &d.known_issues,
        checked: d.checked.map(crate::model::Date::iso),
    }
}

fn label_sets<'a>(d: &'a Dataset, data: &SiteData) -> Vec<LabelSetJson<'a>> {
    d.label_sets
        .iter()
        .map(|s| LabelSetJson {
            name: &s.name,
            method: s
                .method
                .as_ref()
                .map(|m| term(data, Facet::LabelMethod, &m.value)),
            readers: s.readers.as_ref().map(|r| r.value),
            annotations: s
                .annotations
                .iter()
                .map(|a| term(data, Facet::AnnotationType, &a.value))
                .collect(),
            how: s.how.as_deref(),
        })
        .collect()
}

fn steps(d: &Dataset) -> Vec<StepJson<'_>> {
    d.access_steps
        .iter()
        .map(|s| StepJson {
            step: s.step.as_str(),
            what: &s.what,
            url: s.url.as_deref(),
        })
        .collect()
}

fn downloads(d: &Dataset) -> Vec<DownloadJson<'_>> {
    d.downloads
        .iter()
        .map(|f| DownloadJson {
            kind: f.kind.as_str(),
            url: &f.url,
            what: f.what.as_deref(),
        })
        .collect()
}

fn tables<'a>(d: &'a Dataset, data: &'a SiteData) -> Vec<TableJson<'a>> {
    let compared = ClassTable::compared(&d.class_counts).map(|(i, _)| i);
    d.class_counts
        .iter()
        .enumerate()
        .map(|(i, t)| table(t, compared == Some(i), data))
        .collect()
}

fn table<'a>(t: &'a ClassTable, compared: bool, data: &'a SiteData) -> TableJson<'a> {
    let split_sizes = t.images.as_deref();
    let occurrences: Option<Vec<u64>> = (!t.labels.is_empty())
        .then(|| {
            (0..t.splits.len())
                .map(|s| total(t.labels.iter().filter_map(|(_, c)| c.get(s).copied())))
                .collect()
        })
        .flatten();
    let imbalance = crate::derive::chart::imbalance(t);
    let extreme = |(label, total): (String, u64)| Extreme { label, total };
    TableJson {
        title: &t.title,
        official: t.official,
        patient_disjoint: t.patient_disjoint,
        multi_label: t.multi_label,
        compared,
        source: &t.source,
        unit: t.unit.as_str(),
        splits: &t.splits,
        split_sizes,
        total: split_sizes.and_then(|s| total(s.iter().copied())),
        labels: t
            .labels
            .iter()
            .map(|(label, counts)| LabelRow {
                label,
                finding: match data.labels.resolve(label).meaning {
                    Meaning::Finding(f) => Some(data.labels.findings[f].name.as_str()),
                    Meaning::Own(_) => None,
                },
                counts,
                total: total(counts.iter().copied()),
            })
            .collect(),
        occurrences_total: occurrences.as_ref().and_then(|o| total(o.iter().copied())),
        occurrences,
        largest: imbalance.as_ref().map(|i| extreme(i.largest.clone())),
        smallest: imbalance.map(|i| extreme(i.smallest)),
    }
}

fn version(v: &Version) -> VersionJson<'_> {
    VersionJson {
        version: &v.version,
        date: v.date.map(|d| d.to_string()),
        doi: v.doi.as_deref(),
        counts: Counts(&v.counts),
        changes: v.changes.as_deref(),
        source: &v.source,
    }
}

fn demographics(g: &Demographics) -> DemographicsJson<'_> {
    DemographicsJson {
        title: &g.title,
        source: &g.source,
        unit: g.unit().as_str(),
        splits: &g.splits,
        total: g.total.as_deref(),
        female: g.female.as_deref(),
        male: g.male.as_deref(),
        sex_unknown: g.sex_unknown.as_deref(),
        age_mean: decimals(g.age_mean.as_ref()),
        age_sd: decimals(g.age_sd.as_ref()),
        age_median: decimals(g.age_median.as_ref()),
        age_min: decimals(g.age_min.as_ref()),
        age_max: decimals(g.age_max.as_ref()),
    }
}

/// The relations a dataset takes part in: those its entry declares, then those other entries
/// declare about it (in catalog order).
fn lineage<'a>(d: &'a Dataset, reverse: &Reverse<'a>) -> Vec<LineageJson<'a>> {
    let own = d.lineage.iter().map(|l| (d.slug.as_str(), l));
    let others = reverse.get(d.slug.as_str()).into_iter().flatten().copied();
    own.chain(others)
        .map(|(subject, l)| LineageJson {
            subject,
            relation: l.relation.as_str(),
            object: &l.entry.value,
            how: &l.how,
        })
        .collect()
}

fn papers<'a>(d: &'a Dataset, data: &'a SiteData) -> Vec<PaperJson<'a>> {
    d.papers
        .iter()
        .map(|p| PaperJson {
            key: data.citations.key(p),
            title: &p.title,
            url: &p.url,
            year: p.year,
            authors: &p.authors,
            venue: p.venue.as_deref(),
            doi: p.doi.as_deref(),
            numbers: &p.numbers,
            secondary: p.secondary,
        })
        .collect()
}
