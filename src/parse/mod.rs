//! Parse: the text of each content file into the typed model, with file-local checks.
//!
//! Pure functions from a [`Source`] to model values plus diagnostics; nothing here touches the
//! file system. Checks that need only the file itself (types, unknown keys, required fields,
//! URL schemes, row lengths, counts above their split size, the summary length, the slug, and
//! the values of [`values`]) are made here; checks across files live in [`crate::check`].

pub(crate) mod access;
pub(crate) mod fields;
pub(crate) mod findings;
pub mod frontmatter;
pub(crate) mod licenses;
pub(crate) mod lineage;
pub mod markdown;
pub(crate) mod moved;
pub(crate) mod provenance;
pub(crate) mod size;
pub(crate) mod syntax;
pub(crate) mod values;
pub(crate) mod versions;

use std::ops::Range;

use toml::de::DeTable;

use crate::common::number::thousands;
use crate::common::slug::{is_valid_slug, slug_of};
use crate::common::source::Source;
use crate::diagnostics::{Code, Diagnostic};
use crate::format::{CLASS_COUNTS, ENTRY, PAPER};
use crate::model::*;
use crate::parse::fields::{Fields, FileChecker, counts_of};
use frontmatter::SplitError;

pub(crate) use crate::format::MAX_SUMMARY_CHARS;
/// The most labels one class table may hold.
pub(crate) const MAX_LABELS: usize = 1000;

/// Parse one dataset entry, `.md` (front matter + Markdown) or `.toml` (with optional `notes`).
pub fn parse_entry(src: &Source, id: SourceId) -> (Option<Dataset>, Vec<Diagnostic>) {
    let slug = slug_of(&src.path).to_string();
    let mut bad_slug: Vec<Diagnostic> = slug_problem(src, &slug).into_iter().collect();
    if let Some(empty) = empty_file(
        src,
        "write the entry: run `medatlas new <slug>` for a template to fill in, or delete the file",
    ) {
        bad_slug.push(empty);
        return (None, bad_slug);
    }
    let is_toml = src.path.ends_with(".toml");
    let (toml_range, body_range) = if is_toml {
        (0..src.text.len(), None)
    } else {
        match frontmatter::split(&src.text) {
            Ok(split) => (split.front_matter, Some(split.body)),
            Err(e) => {
                bad_slug.push(front_matter_error(src, e));
                return (None, bad_slug);
            }
        }
    };
    let mut ck = FileChecker::new(src, toml_range.start);
    ck.diagnostics = bad_slug;
    let mut dataset = ck
        .parse_recovering(&src.text[toml_range.clone()])
        .and_then(|doc| {
            if may_hold_placeholder(&src.text[toml_range.clone()]) {
                placeholders_in_toml(&mut ck, doc.get_ref(), "");
            }
            values::check(&mut ck, doc.get_ref(), &slug);
            provenance::check(&mut ck, doc.get_ref(), values::today());
            let open = if is_toml { 0..0 } else { 0..3 };
            read_entry(
                &mut ck,
                doc.get_ref(),
                open,
                slug,
                id,
                is_toml,
                body_range.clone(),
            )
        });
    if let Some(body) = &body_range {
        if src.text[body.clone()].contains(PLACEHOLDER) {
            placeholders_in_body(&mut ck, body.clone());
        }
        let links = deep_body(&mut ck, body.clone());
        if let Some(dataset) = dataset.as_mut() {
            dataset.entry_links = links;
        }
    }
    // An entry with errors is still returned when its TOML parsed (missing required fields
    // empty), so that cross-file checks see it too; the build stops on the errors anyway.
    (dataset, ck.diagnostics)
}

/// A `bad-slug` error when the file's stem is not a valid slug.
fn slug_problem(src: &Source, slug: &str) -> Option<Diagnostic> {
    if is_valid_slug(slug) {
        return None;
    }
    Some(
        Diagnostic::error(
            Code::BadSlug,
            src,
            0..0,
            format!("file name `{slug}` is not a valid slug"),
        )
        .with_help(format!(
            "rename the file to lowercase letters, digits and single hyphens, e.g. `{}`",
            suggest_slug(slug)
        )),
    )
}

fn suggest_slug(stem: &str) -> String {
    let lowered: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let parts: Vec<&str> = lowered.split('-').filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        "my-dataset".into()
    } else {
        parts.join("-")
    }
}

fn front_matter_error(src: &Source, e: SplitError) -> Diagnostic {
    match e {
        SplitError::Missing => Diagnostic::error(
            Code::MissingFrontMatter,
            src,
            0..0,
            "entry does not start with a `+++` line".into(),
        )
        .with_help("put the TOML fields between a first line `+++` and a closing line `+++`, then the Markdown"),
        SplitError::Unclosed(span) => Diagnostic::error(
            Code::UnclosedFrontMatter,
            src,
            span,
            "front matter opened here is never closed".into(),
        )
        .with_help("add a line `+++` after the last TOML field, before the Markdown body"),
    }
}

#[allow(clippy::too_many_arguments)]
fn read_entry(
    ck: &mut FileChecker,
    doc: &DeTable,
    open: Range<usize>,
    slug: String,
    id: SourceId,
    is_toml: bool,
    body: Option<Range<usize>>,
) -> Option<Dataset> {
    let mut f = ck.declared(doc, 0..0, &ENTRY, is_toml);
    f.span = open;
    let required = Required::read(ck, &f);
    let (papers, class_counts) = read_tables(ck, &f);
    let sizes = size::read_sizes(ck, &f);
    let (version, versions) = versions::read_versions(ck, &f, &sizes);
    let demographics = versions::read_demographics(ck, &f, &class_counts);
    let lineage = lineage::read(ck, &f, &slug);
    let access = access::read(ck, &f, required.access.as_ref());
    let (notes, entry_links) = if is_toml {
        notes(ck, &f)
    } else {
        Default::default()
    };
    Some(Dataset {
        slug,
        source: id,
        path: ck.src.path.clone(),
        license: f.string(ck, "license"),
        year: f.integer(ck, "year"),
        doi: f.string(ck, "doi").map(|d| d.value),
        sizes,
        version,
        versions,
        demographics,
        image_format: f.plain_strings(ck, "image_format"),
        resolution: f.string(ck, "resolution").map(|r| r.value),
        bit_depth: f.count(ck, "bit_depth").map(|n| n.value),
        labeling: access.labeling,
        access_steps: access.access_steps,
        downloads: access.downloads,
        label_sets: access.label_sets,
        labels: labels(ck, &f),
        related: f
            .strings(ck, "related")
            .map(|r| r.value)
            .unwrap_or_default(),
        known_issues: known_issues(ck, &f),
        lineage,
        papers,
        sources: provenance::read_sources(ck, &f),
        checked: provenance::read_checked(ck, &f),
        class_counts,
        body_offset: body.as_ref().map(|b| b.start),
        entry_links,
        body: body
            .map_or(notes, |b| Some(ck.src.text[b].to_string()))
            .unwrap_or_default(),
        ..required.into_dataset()
    })
}

/// `labels`, the label set when no class table lists it.
fn labels(ck: &mut FileChecker, f: &Fields) -> Option<Located<Vec<String>>> {
    f.strings(ck, "labels")
        .map(|l| Located::new(l.value.into_iter().map(|s| s.value).collect(), l.span))
}

/// The text of a required field, or an empty text when it is missing or of the wrong type
/// (already reported): the entry is still assembled, so that the cross-file checks see the
/// rest of it.
fn text_or_empty(value: Option<Located<String>>) -> String {
    value.map(|v| v.value).unwrap_or_default()
}

/// The `[[papers]]` and `[[class_counts]]` of an entry.
fn read_tables(ck: &mut FileChecker, f: &Fields) -> (Vec<Paper>, Vec<ClassTable>) {
    let papers = f
        .tables(ck, "papers")
        .into_iter()
        .filter_map(|(t, span)| read_paper(ck, t, span))
        .collect();
    let class_counts = f
        .tables(ck, "class_counts")
        .into_iter()
        .filter_map(|(t, span)| read_table(ck, t, span))
        .collect();
    (papers, class_counts)
}

/// The fields every entry must have (and the aliases, read with the name), all read before
/// any missing one ends the entry, so that one run reports every problem.
struct Required {
    name: Option<Located<String>>,
    aliases: Vec<String>,
    summary: Option<Located<String>>,
    publisher: Option<Located<String>>,
    homepage: Option<Located<String>>,
    modalities: Option<Vec<Located<String>>>,
    body_regions: Option<Vec<Located<String>>>,
    tasks: Option<Vec<Located<String>>>,
    access: Option<Located<String>>,
}

impl Required {
    /// A dataset holding these fields (empty where missing: the entry has an error then), and
    /// nothing else yet.
    fn into_dataset(self) -> Dataset {
        Dataset {
            name_span: self.name.as_ref().map_or(0..0, |n| n.span.clone()),
            name: text_or_empty(self.name),
            aliases: self.aliases,
            summary: text_or_empty(self.summary),
            publisher: text_or_empty(self.publisher),
            homepage: text_or_empty(self.homepage),
            modalities: self.modalities.unwrap_or_default(),
            body_regions: self.body_regions.unwrap_or_default(),
            tasks: self.tasks.unwrap_or_default(),
            access: self.access.unwrap_or_default(),
            ..Dataset::default()
        }
    }

    fn read(ck: &mut FileChecker, f: &Fields) -> Required {
        let (name, aliases) = names(ck, f);
        let summary = summary(ck, f);
        let publisher = f.string(ck, "publisher");
        let homepage = f.string(ck, "homepage");
        url(ck, "homepage", homepage.as_ref());
        Required {
            name,
            aliases: aliases.into_iter().map(|a| a.value).collect(),
            summary,
            publisher,
            homepage,
            modalities: f.terms(ck, "modalities"),
            body_regions: f.terms(ck, "body_regions"),
            tasks: f.terms(ck, "tasks"),
            access: f.string(ck, "access"),
        }
    }
}

/// `name` and `aliases`, where no invisible character may hide.
fn names(ck: &mut FileChecker, f: &Fields) -> (Option<Located<String>>, Vec<Located<String>>) {
    let name = f.string(ck, "name");
    let aliases = f
        .strings(ck, "aliases")
        .map(|a| a.value)
        .unwrap_or_default();
    for (key, value) in name
        .iter()
        .map(|n| ("name", n))
        .chain(aliases.iter().map(|a| ("aliases", a)))
    {
        invisible_characters(ck, key, value);
    }
    (name, aliases)
}

/// `summary`, at most [`MAX_SUMMARY_CHARS`] characters.
fn summary(ck: &mut FileChecker, f: &Fields) -> Option<Located<String>> {
    let summary = f.string(ck, "summary");
    if let Some(s) = &summary {
        let chars = s.value.chars().count();
        if chars > MAX_SUMMARY_CHARS {
            ck.error(
                Code::SummaryTooLong,
                s.span.clone(),
                format!("`summary` is {chars} characters long, more than {MAX_SUMMARY_CHARS}"),
                "shorten it to one sentence; put details in the Markdown body",
            );
        }
    }
    summary
}

/// The `notes` of a pure TOML entry (its description), with their links to other entries.
fn notes(ck: &mut FileChecker, f: &Fields) -> (Option<String>, Vec<(String, Range<usize>)>) {
    let Some(notes) = f.string(ck, "notes") else {
        return (None, Vec::new());
    };
    let scan = crate::parse::markdown::scan(&notes.value, crate::parse::markdown::MAX_NESTING);
    if scan.too_deep.is_some() {
        too_deep(ck, "`notes`", notes.span.clone());
    }
    for (dest, _) in &scan.host_links {
        host_link(ck, dest, notes.span.clone());
    }
    (Some(notes.value), scan.entry_links)
}

/// The marker `medatlas new` puts where a contributor must write something.
pub(crate) const PLACEHOLDER: &str = "TODO";

/// Whether a string of this TOML text may hold the placeholder: the text has it, or an escape
/// (`\u0054ODO`) that could spell it. Most entries have neither, and their values are not
/// walked.
fn may_hold_placeholder(toml: &str) -> bool {
    toml.contains(PLACEHOLDER) || toml.contains("\\u") || toml.contains("\\U")
}

/// Report every string in the front matter that still holds the placeholder.
fn placeholders_in_toml(ck: &mut FileChecker, table: &DeTable, path: &str) {
    for (key, value) in table {
        let key = if path.is_empty() {
            key.get_ref().to_string()
        } else {
            format!("{path}.{}", key.get_ref())
        };
        placeholders_in_value(ck, value, &key);
    }
}

fn placeholders_in_value(
    ck: &mut FileChecker,
    value: &toml::Spanned<toml::de::DeValue>,
    key: &str,
) {
    use toml::de::DeValue;
    match value.get_ref() {
        DeValue::String(text) if text.contains(PLACEHOLDER) => {
            let span = ck.file_span(value.span());
            ck.error(
                Code::Placeholder,
                span,
                format!("`{key}` still holds the `{PLACEHOLDER}` placeholder"),
                "replace it with the real value from a source you cite, or remove the line if the field is optional",
            );
        }
        DeValue::Array(items) => items
            .iter()
            .for_each(|item| placeholders_in_value(ck, item, key)),
        DeValue::Table(table) => placeholders_in_toml(ck, table, key),
        _ => {}
    }
}

/// Report each line of the Markdown body that still holds the placeholder.
fn placeholders_in_body(ck: &mut FileChecker, body: Range<usize>) {
    let src = ck.src;
    let mut offset = body.start;
    for line in src.text[body].split_inclusive('\n') {
        if let Some(at) = line.find(PLACEHOLDER) {
            let start = offset + at;
            ck.push(
                Diagnostic::error(
                    Code::Placeholder,
                    src,
                    start..start + PLACEHOLDER.len(),
                    format!("the description still holds the `{PLACEHOLDER}` placeholder"),
                )
                .with_help(
                    "write the description and the Sources section, then remove the placeholder",
                ),
            );
        }
        offset += line.len();
    }
}

/// `known_issues`, each item checked for nesting like the description.
fn known_issues(ck: &mut FileChecker, f: &Fields) -> Vec<String> {
    let Some(items) = f.strings(ck, "known_issues") else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(items.value.len());
    for item in items.value {
        deep_string(ck, "known_issues", &item);
        out.push(item.value);
    }
    out
}

/// Report a Markdown body that nests deeper than [`crate::parse::markdown::MAX_NESTING`]; returns its
/// links to other entries, found in the same pass.
fn deep_body(ck: &mut FileChecker, body: Range<usize>) -> Vec<(String, Range<usize>)> {
    let text = &ck.src.text[body.clone()];
    let scan = crate::parse::markdown::scan(text, crate::parse::markdown::MAX_NESTING);
    if let Some(at) = scan.too_deep {
        too_deep(
            ck,
            "the description",
            body.start + at.start..body.start + at.end,
        );
    }
    for (dest, at) in &scan.host_links {
        host_link(ck, dest, body.start + at.start..body.start + at.end);
    }
    scan.entry_links
}

/// Report a Markdown string of the front matter that nests too deep, or links to a host without
/// a scheme, at the string.
pub(crate) fn deep_string(ck: &mut FileChecker, key: &str, value: &Located<String>) {
    let scan = crate::parse::markdown::scan(&value.value, crate::parse::markdown::MAX_NESTING);
    if scan.too_deep.is_some() {
        too_deep(ck, &format!("`{key}`"), value.span.clone());
    }
    for (dest, _) in &scan.host_links {
        host_link(ck, dest, value.span.clone());
    }
}

/// Warn about a link target without a scheme that starts with a host name.
fn host_link(ck: &mut FileChecker, dest: &str, span: Range<usize>) {
    let d = Diagnostic::warning(
        Code::SchemelessLink,
        ck.src,
        span,
        format!("link `{dest}` has no scheme: it points at a file of this site, not at {dest}"),
    );
    ck.push(d.with_help(format!("write the full address: `https://{dest}`")));
}

fn too_deep(ck: &mut FileChecker, what: &str, span: Range<usize>) {
    let limit = crate::parse::markdown::MAX_NESTING;
    ck.error(
        Code::NestingTooDeep,
        span,
        format!("{what} nests HTML elements and Markdown blocks more than {limit} levels deep"),
        "close the elements opened before this place, or flatten the structure",
    );
}

/// Report a URL that is not http(s).
pub(crate) fn url(ck: &mut FileChecker, key: &str, value: Option<&Located<String>>) {
    let Some(value) = value else { return };
    if !is_http_url(&value.value) {
        ck.error(
            Code::BadUrl,
            value.span.clone(),
            format!(
                "`{key}` must be an http:// or https:// URL, found \"{}\"",
                value.value
            ),
            "write the full address, starting with https://",
        );
    }
}

pub(crate) fn is_http_url(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/') && !r.contains(char::is_whitespace))
}

/// Characters that change how a name is displayed without being seen: bidirectional controls
/// (U+202A-U+202E, U+2066-U+2069) and zero-width characters, with their Unicode names.
const INVISIBLE: &[(char, &str)] = &[
    ('\u{200B}', "ZERO WIDTH SPACE"),
    ('\u{200C}', "ZERO WIDTH NON-JOINER"),
    ('\u{200D}', "ZERO WIDTH JOINER"),
    ('\u{202A}', "LEFT-TO-RIGHT EMBEDDING"),
    ('\u{202B}', "RIGHT-TO-LEFT EMBEDDING"),
    ('\u{202C}', "POP DIRECTIONAL FORMATTING"),
    ('\u{202D}', "LEFT-TO-RIGHT OVERRIDE"),
    ('\u{202E}', "RIGHT-TO-LEFT OVERRIDE"),
    ('\u{2060}', "WORD JOINER"),
    ('\u{2066}', "LEFT-TO-RIGHT ISOLATE"),
    ('\u{2067}', "RIGHT-TO-LEFT ISOLATE"),
    ('\u{2068}', "FIRST STRONG ISOLATE"),
    ('\u{2069}', "POP DIRECTIONAL ISOLATE"),
    ('\u{FEFF}', "ZERO WIDTH NO-BREAK SPACE"),
];

fn invisible_name(c: char) -> Option<&'static str> {
    INVISIBLE
        .iter()
        .find(|(i, _)| *i == c)
        .map(|(_, name)| *name)
}

/// Report the first invisible character of a name: a reader could not tell the name from
/// another one, or would see its letters in another order.
fn invisible_characters(ck: &mut FileChecker, key: &str, value: &Located<String>) {
    let Some((c, name)) = value
        .value
        .chars()
        .find_map(|c| invisible_name(c).map(|name| (c, name)))
    else {
        return;
    };
    let at = char_in_literal(&ck.src.text[value.span.clone()], c).map_or(value.span.clone(), |r| {
        value.span.start + r.start..value.span.start + r.end
    });
    ck.error(
        Code::InvisibleCharacter,
        at,
        format!(
            "`{key}` contains the invisible character U+{:04X} {name}",
            c as u32
        ),
        "remove it: bidirectional controls and zero-width characters make a name display differently from what it is",
    );
}

/// Where a character is written in a TOML string literal: as itself, or as a `\uXXXX` or
/// `\UXXXXXXXX` escape.
fn char_in_literal(literal: &str, c: char) -> Option<Range<usize>> {
    if let Some(at) = literal.find(c) {
        return Some(at..at + c.len_utf8());
    }
    let mut from = 0;
    while let Some(found) = literal[from..].find('\\') {
        let at = from + found;
        let digits = match literal.as_bytes().get(at + 1) {
            Some(b'u') => 4,
            Some(b'U') => 8,
            _ => 1,
        };
        let hex = literal.get(at + 2..at + 2 + digits);
        if digits > 1 && hex.and_then(|h| u32::from_str_radix(h, 16).ok()) == Some(c as u32) {
            return Some(at..at + 2 + digits);
        }
        from = at + 1 + digits.min(1);
    }
    None
}

fn read_paper(ck: &mut FileChecker, t: &DeTable, span: Range<usize>) -> Option<Paper> {
    let f = ck.declared(t, span, &PAPER, false);
    let title = f.string(ck, "title");
    let link = f.string(ck, "url");
    url(ck, "url", link.as_ref());
    Some(Paper {
        year: f.integer(ck, "year"),
        authors: f.plain_strings(ck, "authors"),
        venue: f.string(ck, "venue").map(|v| v.value),
        doi: f.string(ck, "doi").map(|d| d.value),
        numbers: f.plain_strings(ck, "numbers"),
        secondary: f.boolean(ck, "secondary").unwrap_or(false),
        title: title?.value,
        url: link?.value,
    })
}

fn read_table(ck: &mut FileChecker, t: &DeTable, span: Range<usize>) -> Option<ClassTable> {
    let f = ck.declared(t, span, &CLASS_COUNTS, false);
    let title = f.string(ck, "title");
    let source = f.string(ck, "source");
    url(ck, "source", source.as_ref());
    let unit = read_unit(ck, &f);
    let splits: Option<Vec<String>> = f
        .strings(ck, "splits")
        .map(|s| s.value.into_iter().map(|s| s.value).collect());
    let images = f.counts(ck, "images");
    let labels = read_label_rows(ck, &f);
    let splits = splits?;
    if overflows(ck, images.as_ref(), &labels) {
        return None;
    }
    if let Some(images) = &images {
        row_length(ck, "images", images, &splits);
    }
    for (label, row) in &labels {
        if row_length(ck, label, row, &splits)
            && let Some(images) = images.as_ref().filter(|i| i.value.len() == splits.len())
        {
            exceeds_images(ck, label, row, &images.value, &splits);
        }
    }
    Some(ClassTable {
        official: f.boolean(ck, "official"),
        patient_disjoint: f.boolean(ck, "patient_disjoint"),
        preferred: f.boolean(ck, "preferred").unwrap_or(false),
        multi_label: f.boolean(ck, "multi_label"),
        unit: unit?,
        images_span: images.as_ref().map(|i| i.span.clone()),
        images: images.map(|i| i.value),
        labels: labels.into_iter().map(|(l, row)| (l, row.value)).collect(),
        span: f.span.clone(),
        title: title?.value,
        source: source?.value,
        splits,
    })
}

fn read_unit(ck: &mut FileChecker, f: &Fields) -> Option<Unit> {
    size::unit_value(ck, f, "unit").unwrap_or(Some(Unit::Images))
}

fn read_label_rows(ck: &mut FileChecker, f: &Fields) -> Vec<(String, Located<Vec<u64>>)> {
    // Every key is a label, so there are no unknown keys to report here.
    let Some((table, span)) = f.table(ck, "labels") else {
        return Vec::new();
    };
    if table.len() > MAX_LABELS {
        ck.error(
            Code::TooManyLabels,
            ck.file_span(span),
            format!(
                "[class_counts.labels] holds {} labels, more than {}",
                thousands(table.len() as u64),
                thousands(MAX_LABELS as u64)
            ),
            "publish a table this long as a file on the dataset's site and link to it as `source`",
        );
        return Vec::new();
    }
    let mut out = Vec::new();
    for (key, value) in table {
        let label = key.get_ref().to_string();
        if let Some(row) = counts_of(ck, &label, value, moved::LABELS_TABLE) {
            out.push((label, row));
        }
    }
    out
}

/// Report the first total of a table that does not fit in a count (2^64 - 1): the sum of the
/// split sizes, of a label's row, of a split's label occurrences or of all occurrences.
/// Returns whether there was one.
fn overflows(
    ck: &mut FileChecker,
    images: Option<&Located<Vec<u64>>>,
    labels: &[(String, Located<Vec<u64>>)],
) -> bool {
    use crate::common::number::total;
    let too_large = |what: String| format!("{what} more than {}", thousands(u64::MAX));
    let mut problem = None;
    if let Some(images) = images.filter(|i| total(i.value.iter().copied()).is_none()) {
        problem = Some((
            images.span.clone(),
            too_large("the split sizes sum to".into()),
        ));
    }
    let mut columns: Vec<Option<u64>> = Vec::new();
    let mut all = Some(0u64);
    for (label, row) in labels {
        if problem.is_some() {
            break;
        }
        if total(row.value.iter().copied()).is_none() {
            problem = Some((
                row.span.clone(),
                too_large(format!("the counts of `{label}` sum to")),
            ));
            break;
        }
        columns.resize(columns.len().max(row.value.len()), Some(0));
        for (sum, &n) in columns.iter_mut().zip(&row.value) {
            *sum = sum.and_then(|s| s.checked_add(n));
            all = all.and_then(|a| a.checked_add(n));
        }
        if columns.iter().any(Option::is_none) || all.is_none() {
            let what = format!("with `{label}`, the label occurrences of the table sum to");
            problem = Some((row.span.clone(), too_large(what)));
        }
    }
    let Some((span, message)) = problem else {
        return false;
    };
    ck.error(
        Code::CountOverflow,
        span,
        message,
        "check the numbers against the source: no dataset holds that many images",
    );
    true
}

/// Check a row has one number per split; returns whether it does.
pub(crate) fn row_length<T>(
    ck: &mut FileChecker,
    what: &str,
    row: &Located<Vec<T>>,
    splits: &[String],
) -> bool {
    if row.value.len() == splits.len() {
        return true;
    }
    ck.error(
        Code::RowLength,
        row.span.clone(),
        format!(
            "`{what}` has {} numbers but `splits` names {} splits",
            row.value.len(),
            splits.len()
        ),
        &format!(
            "give one number per split, in the order of `splits`: {}",
            splits.join(", ")
        ),
    );
    false
}

fn exceeds_images(
    ck: &mut FileChecker,
    label: &str,
    row: &Located<Vec<u64>>,
    images: &[u64],
    splits: &[String],
) {
    for ((count, size), split) in row.value.iter().zip(images).zip(splits) {
        if count > size {
            ck.error(
                Code::CountExceedsImages,
                row.span.clone(),
                format!("`{label}` counts {count} in split `{split}`, more than its {size} images"),
                "a label cannot occur on more images than the split holds: check the row against its source",
            );
        }
    }
}

/// Parse `site.toml`.
/// An error for a file that holds nothing but white space, with `help` on what it needs.
fn empty_file(src: &Source, help: &str) -> Option<Diagnostic> {
    src.text.trim().is_empty().then(|| {
        Diagnostic::error(Code::EmptyFile, src, 0..0, "the file is empty".into()).with_help(help)
    })
}

pub(crate) fn parse_site(src: &Source) -> (Option<Site>, Vec<Diagnostic>) {
    if let Some(empty) = empty_file(src, "write at least the site's title: `title = \"...\"`") {
        return (None, vec![empty]);
    }
    let mut ck = FileChecker::new(src, 0);
    let site = ck.parse(&src.text).and_then(|doc| {
        let f = ck.fields(
            doc.get_ref(),
            0..0,
            "site.toml",
            &["title", "description", "base_url", "repository", "branch"],
        );
        let title = f.required_string(&mut ck, "title");
        let base_url = f.string(&mut ck, "base_url");
        url(&mut ck, "base_url", base_url.as_ref());
        let repository = f.string(&mut ck, "repository");
        url(&mut ck, "repository", repository.as_ref());
        Some(Site {
            description: f
                .string(&mut ck, "description")
                .map(|d| d.value)
                .unwrap_or_default(),
            base_url: base_url.map(|u| u.value.trim_end_matches('/').to_string()),
            repository: repository.map(|u| u.value.trim_end_matches('/').to_string()),
            branch: f.string(&mut ck, "branch").map(|b| b.value),
            title: title?.value,
        })
    });
    (site, ck.diagnostics)
}

/// Parse `tasks.toml`, the checklist.
pub(crate) fn parse_checklist(src: &Source) -> (Vec<ChecklistItem>, Vec<Diagnostic>) {
    let mut ck = FileChecker::new(src, 0);
    let mut items = Vec::new();
    if let Some(doc) = ck.parse(&src.text) {
        let f = ck.fields(doc.get_ref(), 0..0, "tasks.toml", &["tasks"]);
        for (table, span) in f.tables(&mut ck, "tasks") {
            let item = ck.fields(table, span, "`[[tasks]]`", &["title", "dataset", "done"]);
            let title = item.required_string(&mut ck, "title");
            let dataset = item.string(&mut ck, "dataset");
            let done = item.boolean(&mut ck, "done").unwrap_or(false);
            if let Some(title) = title {
                items.push(ChecklistItem {
                    title: title.value,
                    dataset,
                    done,
                });
            }
        }
    }
    (items, ck.diagnostics)
}

/// Parse `vocabulary.toml`.
pub(crate) fn parse_vocabulary(src: &Source) -> (Option<Vocabulary>, Vec<Diagnostic>) {
    let help = "list the allowed terms of each facet (`[modalities]`, `[body_regions]`, `[tasks]`, \
                `[access]`, and optionally `[label_methods]` and `[annotation_types]`), e.g. \
                `x-ray = { name = \"X-ray radiography\" }`";
    if let Some(empty) = empty_file(src, help) {
        return (None, vec![empty]);
    }
    let mut ck = FileChecker::new(src, 0);
    let vocabulary = ck.parse(&src.text).map(|doc| {
        let names = Facet::ALL.map(Facet::table);
        let f = ck.fields(doc.get_ref(), 0..0, "vocabulary.toml", &names);
        let mut vocabulary = Vocabulary::default();
        for facet in Facet::ALL {
            *vocabulary.facet_mut(facet) = read_terms(&mut ck, &f, facet);
        }
        vocabulary
    });
    (vocabulary, ck.diagnostics)
}

fn read_terms(ck: &mut FileChecker, f: &Fields, facet: Facet) -> Vec<Term> {
    let key = facet.table();
    let Some((table, _)) = f.table(ck, key) else {
        if facet.required() {
            f.missing(
                ck,
                key,
                &format!("add a table [{key}] listing the allowed terms"),
            );
        }
        return Vec::new();
    };
    let what = format!("a term of [{key}]");
    let known = term_keys(facet);
    let mut terms = Vec::new();
    for (id, value) in table {
        if bad_term_id(ck, key, id) {
            continue;
        }
        let Some(term) = value.get_ref().as_table() else {
            let span = ck.file_span(value.span());
            ck.error(
                Code::WrongType,
                span,
                format!("term `{}` of [{key}] must be a table", id.get_ref()),
                &format!("write it as {} = {{ name = \"...\" }}", id.get_ref()),
            );
            continue;
        };
        let t = ck.fields(term, value.span(), &what, known);
        let name = t.required_string(ck, "name");
        let description = t.string(ck, "description").map(|d| d.value);
        let dicom = t.plain_strings(ck, "dicom");
        let synonyms = t.plain_strings(ck, "synonyms");
        let min_readers = t.count(ck, "min_readers").map(|n| n.value);
        let readers = t.boolean(ck, "readers").unwrap_or(false) || min_readers.is_some();
        if let Some(name) = name {
            terms.push(Term {
                id: id.get_ref().to_string(),
                name: name.value,
                description,
                synonyms,
                dicom,
                readers,
                min_readers,
            });
        }
    }
    terms
}

/// The keys of a term of a facet: every term has a name, and may have a description and the
/// other names readers search it by; modalities carry DICOM codes, label methods whether they
/// are a reading by people and how many readers they take at least.
fn term_keys(facet: Facet) -> &'static [&'static str] {
    match facet {
        Facet::Modality => &["name", "description", "synonyms", "dicom"],
        Facet::LabelMethod => &["name", "description", "synonyms", "readers", "min_readers"],
        _ => &["name", "description", "synonyms"],
    }
}

/// Report a term id that is not a valid slug (it names the term's page file); returns whether
/// it was one.
fn bad_term_id(
    ck: &mut FileChecker,
    key: &str,
    id: &toml::Spanned<std::borrow::Cow<'_, str>>,
) -> bool {
    if is_valid_slug(id.get_ref()) {
        return false;
    }
    let span = ck.file_span(id.span());
    ck.error(
        Code::BadTermId,
        span,
        format!(
            "term id `{}` of [{key}] is not a valid id: it names the term's page file",
            id.get_ref().escape_debug()
        ),
        &format!(
            "use lowercase letters, digits and single hyphens, e.g. `{}`",
            suggest_slug(id.get_ref())
        ),
    );
    true
}

pub(crate) use licenses::parse_licenses;

pub(crate) use findings::parse_findings;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        for good in ["a", "mimic-cxr", "nih-chestx-ray14", "x1-2"] {
            assert!(is_valid_slug(good), "{good}");
        }
        for bad in ["", "-a", "a-", "a--b", "A", "a_b", "é"] {
            assert!(!is_valid_slug(bad), "{bad}");
        }
        assert_eq!(suggest_slug("My_Data Set"), "my-data-set");
        assert_eq!(slug_of("content/datasets/x-y.md"), "x-y");
    }

    #[test]
    fn invisible_characters_are_found_as_written() {
        for (literal, c, at) in [
            ("\"a\u{202E}b\"", '\u{202E}', Some(2..5)),
            ("\"a\\u202eb\"", '\u{202E}', Some(2..8)),
            ("\"a\\U0000200Bb\"", '\u{200B}', Some(2..12)),
            ("\"\\\\u202e \\u202E\"", '\u{202E}', Some(9..15)),
            ("\"plain\"", '\u{202E}', None),
        ] {
            assert_eq!(char_in_literal(literal, c), at, "{literal}");
        }
        assert_eq!(invisible_name('\u{2066}'), Some("LEFT-TO-RIGHT ISOLATE"));
        assert_eq!(invisible_name('a'), None);
        assert_eq!(invisible_name('\u{200E}'), None);
    }

    #[test]
    fn urls() {
        assert!(is_http_url("https://a.org/x"));
        assert!(is_http_url("http://a.org"));
        for bad in [
            "ftp://a",
            "https://",
            "www.a.org",
            "javascript:alert(1)",
            "https:// a",
        ] {
            assert!(!is_http_url(bad), "{bad}");
        }
    }

    /// A valid entry (lines 1-10), `extra` TOML lines from line 11, `edits` applied to it.
    fn entry(edits: &[(&str, &str)], extra: &str) -> String {
        let mut text = "+++\nname = \"Set\"\nsummary = \"A set.\"\npublisher = \"P\"\n\
             homepage = \"https://a.org\"\nmodalities = [\"x-ray\"]\nbody_regions = [\"chest\"]\n\
             tasks = [\"classification\"]\naccess = \"open\"\nimages = 150\n"
            .to_string();
        text.push_str(extra);
        text.push_str("+++\n\nBody.\n");
        for (from, to) in edits {
            assert!(text.contains(from), "{from}");
            text = text.replacen(from, to, 1);
        }
        text
    }

    /// A class table at lines 11-17: splits Train (100) and Test (50), label `A` at line 17.
    const TABLE: &str = "[[class_counts]]\ntitle = \"T\"\nsource = \"https://a.org/s\"\n\
                         splits = [\"Train\", \"Test\"]\nimages = [100, 50]\n\
                         [class_counts.labels]\nA = [10, 5]\n";

    /// The diagnostics of one content file, parsed as the pipeline parses a file at its path.
    fn diagnostics_of(path: &str, text: &str) -> Vec<Diagnostic> {
        let src = Source::new(path, text);
        match path.rsplit('/').next().unwrap() {
            "site.toml" => parse_site(&src).1,
            "vocabulary.toml" => parse_vocabulary(&src).1,
            "tasks.toml" => parse_checklist(&src).1,
            "labels.toml" => parse_findings(&src).1,
            "licenses.toml" => parse_licenses(&src).1,
            _ => parse_entry(&src, 0).1,
        }
    }

    /// `text` at `path` gives exactly one diagnostic, of `code` at `line`:`column`, whose
    /// message or help contains `part`.
    /// A number without a source is reported by the rows of its own code only.
    fn assert_one(path: &str, text: &str, code: Code, line: usize, column: usize, part: &str) {
        let mut found = diagnostics_of(path, text);
        if code != Code::UnsourcedNumber {
            found.retain(|d| d.code != Code::UnsourcedNumber);
        }
        let shown: Vec<String> = found.iter().map(Diagnostic::headline).collect();
        assert_eq!(found.len(), 1, "{code} in {path}:\n{text}\n{shown:#?}");
        let d = &found[0];
        let said = format!("{} {}", d.message, d.help.as_deref().unwrap_or_default());
        assert_eq!(
            (d.code, d.line, d.column),
            (code, line, column),
            "{said}\n{text}"
        );
        assert!(said.contains(part), "{code}: `{part}` not in {said}");
    }

    const MD: &str = "content/datasets/set.md";

    #[test]
    fn a_placeholder_is_found_as_written_or_spelled_by_an_escape() {
        for (publisher, column) in [("TODO", 13), ("\\u0054ODO", 13), ("x \\U00000054ODO", 13)] {
            let text = entry(
                &[("publisher = \"P\"", &format!("publisher = \"{publisher}\""))],
                "",
            );
            assert_one(MD, &text, Code::Placeholder, 4, column, "`publisher`");
        }
        let body = entry(&[("Body.", "Body. TODO: the splits.")], "");
        assert_one(MD, &body, Code::Placeholder, 13, 7, "TODO");
    }

    /// Two versions at lines 11-19: 2.0.0 (line 12, dated 2019-09-19 at line 13) above 1.0.0
    /// (line 16, dated "2019-01" at line 17, DOI at line 18).
    const VERSIONS: &str = "[[versions]]\nversion = \"2.0.0\"\ndate = 2019-09-19\n\
                            source = \"https://a.org/v2\"\n[[versions]]\nversion = \"1.0.0\"\n\
                            date = \"2019-01\"\ndoi = \"10.1/x\"\nsource = \"https://a.org/v1\"\n";

    /// A demographics table at lines 11-21: splits Train (100) and Test (50), female at line
    /// 16, male 17, age_min 18, age_mean 19, age_sd 20, age_max 21.
    const DEMOGRAPHICS: &str = "[[demographics]]\ntitle = \"T\"\nsource = \"https://a.org/d\"\n\
                                splits = [\"Train\", \"Test\"]\ntotal = [100, 50]\nfemale = [40, 20]\n\
                                male = [60, 30]\nage_min = [18, 20]\nage_mean = [45.5, 50]\n\
                                age_sd = [10, 11.5]\nage_max = [90, 88]\n";

    /// A lineage item at lines 11-14: `set` derived from `other`, relation at 12:12, entry at
    /// 13:9.
    const LINEAGE: &str = "[[lineage]]\nrelation = \"derived-from\"\nentry = \"other\"\n\
                           how = \"Re-annotated.\"\n";
    /// [`LINEAGE`] and a second item naming `other` at lines 15-18.
    const LINEAGE_TWICE: &str = "[[lineage]]\nrelation = \"derived-from\"\nentry = \"other\"\n\
                                 how = \"Re-annotated.\"\n[[lineage]]\nrelation = \"shares-images\"\n\
                                 entry = \"other\"\nhow = \"Some.\"\n";

    /// Where the text is an entry: (path, edits of the valid entry, extra TOML lines, code,
    /// line, column, part of the message or help).
    type EntryRow = (
        &'static str,
        &'static [(&'static str, &'static str)],
        &'static str,
        Code,
        usize,
        usize,
        &'static str,
    );

    #[rustfmt::skip]
    const ENTRY_ROWS: &[EntryRow] = &[
        (MD, &[("images = 150", "images = \"many\"")], "", Code::WrongType, 10, 10,
         "`images` in a dataset entry must be a count, a bound or \"not stated\", found a string"),
        (MD, &[("images = 150", "images = 1.5")], "", Code::WrongType, 10, 10, "images = { at_least = 123 }"),
        (MD, &[("images = 150", "images = 0")], "", Code::ZeroCount, 10, 10, "a count is never 0"),
        (MD, &[("images = 150", "images = { at_least = 0 }")], "", Code::ZeroCount, 10, 23, "is 0"),
        (MD, &[("images = 150", "images = { above = 5 }")], "", Code::BadSize, 10, 10,
         "`images` in a dataset entry is a table of { above }: a bound holds one key"),
        (MD, &[("images = 150", "images = { at_least = 5, at_most = 9 }")], "", Code::BadSize, 10, 10,
         "{ at_least, at_most }"),
        (MD, &[("images = 150", "images = 150\nmain_unit = \"volumes\"")], "", Code::MainUnitWithoutCount, 11, 13,
         "`main_unit` is \"volumes\", but the entry gives no `volumes`"),
        (MD, &[("images = 150", "images = 150\nmain_unit = \"volume\"")], "", Code::UnknownTerm, 11, 13,
         "unknown unit `volume` did you mean `volumes`?"),
        (MD, &[("name = \"Set\"", "name = 7")], "", Code::WrongType, 2, 8,
         "`name` in a dataset entry must be a string, found an integer"),
        (MD, &[("access = \"open\"", "access = [\"open\"]")], "", Code::WrongType, 9, 10,
         "must be a string, found an array"),
        (MD, &[("modalities", "modalites")], "", Code::UnknownKey, 6, 1, "did you mean `modalities`?"),
        (MD, &[("images = 150", "picture_count = 150")], "", Code::UnknownKey, 10, 1,
         "the keys of a dataset entry are: name, aliases, summary"),
        (MD, &[("title = \"T\"", "titel = \"T\"")], TABLE, Code::UnknownKey, 12, 1,
         "unknown key `titel` in `[[class_counts]]` did you mean `title`?"),
        (MD, &[("publisher = \"P\"\n", "")], "", Code::MissingField, 1, 1,
         "missing required field `publisher` in a dataset entry"),
        (MD, &[("source = \"https://a.org/s\"\n", "")], TABLE, Code::MissingField, 11, 1,
         "missing required field `source` in `[[class_counts]]`"),
        (MD, &[("modalities = [\"x-ray\"]", "modalities = []")], "", Code::MissingField, 6, 14,
         "must name at least one term"),
        (MD, &[("https://a.org", "ftp://a.org")], "", Code::BadUrl, 5, 12,
         "`homepage` must be an http:// or https:// URL, found \"ftp://a.org\""),
        (MD, &[("https://a.org", "javascript:alert(1)")], "", Code::BadUrl, 5, 12, "javascript:alert(1)"),
        (MD, &[("https://a.org/s", "www.a.org/s")], TABLE, Code::BadUrl, 13, 10, "`source`"),
        (MD, &[("A = [10, 5]", "A = [10]")], TABLE, Code::RowLength, 17, 5,
         "`A` has 1 numbers but `splits` names 2 splits"),
        (MD, &[("images = [100, 50]", "images = [100]")], TABLE, Code::RowLength, 15, 10, "`splits` names 2"),
        (MD, &[("A = [10, 5]", "A = [101, 5]")], TABLE, Code::CountExceedsImages, 17, 5,
         "`A` counts 101 in split `Train`, more than its 100 images"),
        (MD, &[("A = [10, 5]", "A = [10, -5]")], TABLE, Code::NegativeCount, 17, 10, "has a negative count (-5)"),
        (MD, &[("images = 150", "images = -1")], "", Code::NegativeCount, 10, 10, "(-1)"),
        (MD, &[("summary = \"A set.\"", "summary = \"TODO\"")], "", Code::Placeholder, 3, 11,
         "`summary` still holds the `TODO` placeholder"),
        (MD, &[("Body.", "TODO: describe it.")], "", Code::Placeholder, 13, 1, "`TODO`"),
        (MD, &[("name = \"Set\"", "name = \"S\u{202E}et\"")], "", Code::InvisibleCharacter, 2, 10,
         "U+202E RIGHT-TO-LEFT OVERRIDE"),
        (MD, &[("name = \"Set\"", "name = \"Set")], "", Code::InvalidToml, 2, 12, "invalid TOML"),
        ("content/datasets/My_Set.md", &[], "", Code::BadSlug, 1, 1,
         "file name `My_Set` is not a valid slug rename the file to lowercase letters, digits and single hyphens, e.g. `my-set`"),
        (MD, &[("+++\nname", "name")], "", Code::MissingFrontMatter, 1, 1, "does not start with a `+++` line"),
        (MD, &[("\"derived-from\"", "\"derived_from\"")], LINEAGE, Code::UnknownTerm, 12, 12,
         "unknown lineage relation `derived_from` did you mean `derived-from`?"),
        (MD, &[("\"derived-from\"", "\"copy\"")], LINEAGE, Code::UnknownTerm, 12, 12,
         "use one of: derived-from, subset-of, superset-of, shares-patients, shares-images"),
        (MD, &[("\"other\"", "\"set\"")], LINEAGE, Code::SelfRelated, 13, 9,
         "`[[lineage]]` names this entry itself (`set`) a lineage item names another entry"),
        (MD, &[("how = \"Re-annotated.\"\n", "")], LINEAGE, Code::MissingField, 11, 1,
         "missing required field `how` in `[[lineage]]`"),
        (MD, &[("how = \"Re-annotated.\"", "how = \" \"")], LINEAGE, Code::EmptyValue, 14, 7,
         "`how` in `[[lineage]]` is empty"),
        (MD, &[("relation = \"derived-from\"", "relation = \"derived-from\"\nsource = \"x\"")], LINEAGE,
         Code::UnknownKey, 13, 1, "unknown key `source` in `[[lineage]]`"),
        (MD, &[("how = \"Re-annotated.\"", "how = \"Re-annotated.\"\nyear = 2019")], LINEAGE, Code::UnknownKey, 15, 1,
         "below the `[[lineage]]` header as part of that table: move the line above the first `[[...]]` header"),
        (MD, &[("\"other\"", "\"\"")], LINEAGE, Code::EmptyValue, 13, 9, "`entry` in `[[lineage]]` is empty"),
        (MD, &[], LINEAGE_TWICE, Code::DuplicateLineage, 17, 9,
         "`[[lineage]]` names `other` a second time (first at line 11, `derived-from`) declare one relation per pair"),
        (MD, &[("\"shares-images\"", "\"superset-of\"")], LINEAGE_TWICE, Code::ContradictoryLineage, 16, 12,
         "`superset-of` `other` contradicts the `derived-from` `other` of line 11"),
        (MD, &[("+++\n\nBody.\n", "")], "", Code::UnclosedFrontMatter, 1, 1, "never closed"),
        (MD, &[], "", Code::UnsourcedNumber, 10, 10,
         "`images` (150) is named by no paper or source add a `[[sources]]` item with `title`, `url` and `numbers = [\"images\"]`"),
        (MD, &[("images = 150", "images = { at_least = 160000 }")], "", Code::UnsourcedNumber, 10, 10, "(at least 160,000)"),
        (MD, &[("images = 150", "images = 150\ndownload_bytes = 5000")], NAMED, Code::UnsourcedNumber, 11, 18, "`download_bytes` (5,000)"),
        (MD, &[], PAPER_NAMES, Code::UnsourcedNumber, 10, 10, "add `numbers = [\"patients\", \"images\"]` to the `[[papers]]` item"),
        (MD, &[("numbers = [\"images\"]", "numbers = [\"imagse\"]")], NAMED, Code::UnknownNumber, 14, 12,
         "`numbers` in `[[sources]]` names `imagse`, which is not a number of an entry did you mean `images`?"),
        (MD, &[("numbers = [\"images\"]", "numbers = [\"images\", \"name\"]")], NAMED, Code::UnknownNumber, 14, 22, "name one of: images, volumes"),
        (MD, &[("numbers = [\"images\"]", "numbers = [\"images\", \"volumes\"]")], NAMED, Code::UnknownNumber, 14, 22,
         "names `volumes`, which the entry does not give add `volumes = ...` above the first `[[...]]` header"),
        (MD, &[("numbers = [\"images\"]", "numbers = [\"images\", \"images\"]")], NAMED, Code::DuplicateItem, 14, 22, "`numbers` names \"images\" more than once"),
        (MD, &[("numbers = [\"images\"]\n", "")], NAMED, Code::MissingField, 11, 1, "missing required field `numbers` in `[[sources]]`"),
        (MD, &[("numbers = [\"images\"]", "numbrs = [\"images\"]")], NAMED, Code::UnknownKey, 14, 1, "did you mean `numbers`?"),
        (MD, &[("https://a.org/n", "www.a.org/n")], NAMED, Code::BadUrl, 13, 7, "`url`"),
        (MD, &[("numbers = [\"images\"]", "numbers = [\"images\"]\nchecked = 2026-11-20")], NAMED, Code::UnknownKey, 15, 1,
         "move the line above the first `[[...]]` header"),
        (MD, &[("images = 150", "images = 150\nchecked = 9999-01-01")], NAMED, Code::BadCheckedDate, 11, 11, "`checked` 9999-01-01 is in the future"),
        (MD, &[("images = 150", "images = 150\nyear = 2017\nchecked = 2016-05-01")], NAMED, Code::BadCheckedDate, 12, 11,
         "is before the dataset's release (`year = 2017`)"),
        (MD, &[("images = 150", "images = 150\nchecked = \"2026-11-20\"")], NAMED, Code::WrongType, 11, 11,
         "`checked` in a dataset entry must be a date, found a string write the day the numbers were checked, without quotes"),
        (MD, &[("images = 150", "images = 150\nchecked = 2026-11-20T10:00:00")], NAMED, Code::WrongType, 11, 11, "found a date with a time"),
        (MD, &[("secondary = true", "secondary = \"yes\"")], SECONDARY, Code::WrongType, 15, 13, "`secondary` in `[[papers]]` must be a boolean"),
        (MD, &[("images = 150", "images = 150\nchecked = 10:30:00")], NAMED, Code::WrongType, 11, 11, "must be a date, found a time"),
        (MD, &[("images = 150", "images = 150\nchecked = 1850-01-01")], NAMED, Code::BadCheckedDate, 11, 11, "`checked` 1850-01-01 is before 1900"),
        (MD, &[("numbers = [\"images\"]", "numbers = [\"images\", \"\"]")], NAMED, Code::EmptyValue, 14, 22, "`numbers` holds an empty item"),
        (MD, &[("numbers = [\"images\"]", "numbers = \"images\"")], NAMED, Code::WrongType, 14, 11, "must be an array of strings"),
        (MD, &[("numbers = [\"images\"]", "numbers = [\"Images\"]")], NAMED, Code::UnknownNumber, 14, 12, "did you mean `images`?"),
        (MD, &[("[[sources]]", "[[source]]")], NAMED, Code::UnknownKey, 11, 3, "did you mean `sources`?"),
        (MD, &[("images = 150", "images = 150\nnumbers = [\"images\"]")], "", Code::UnknownKey, 11, 1,
         "`numbers` is a field of `[[papers]]` or `[[sources]]`, not of a dataset entry: write it below the header"),
        (MD, &[("images = 150", "images = 150\nversion = \"2.0\"")], VERSIONS, Code::UnknownVersion, 11, 11,
         "`version` is \"2.0\", which no `[[versions]]` table lists did you mean `version = \"2.0.0\"`?"),
        (MD, &[("images = 150", "images = 150\nversion = \"beta\"")], VERSIONS, Code::UnknownVersion, 11, 11,
         "one of: 2.0.0, 1.0.0"),
        (MD, &[("images = 150", "images = 150\nversion = \" \"")], "", Code::EmptyValue, 11, 11,
         "`version` in a dataset entry is empty"),
        (MD, &[("version = \"1.0.0\"", "version = \"2.0.0\"")], VERSIONS, Code::DuplicateItem, 16, 11,
         "lists version \"2.0.0\" twice (first on line 12)"),
        (MD, &[("version = \"1.0.0\"", "version = \"\"")], VERSIONS, Code::EmptyValue, 16, 11,
         "`version` in `[[versions]]` is empty"),
        (MD, &[("date = \"2019-01\"", "date = 2020-01-01")], VERSIONS, Code::VersionsOutOfOrder, 17, 8,
         "version \"1.0.0\" (2020-01-01) is listed below version \"2.0.0\" (2019-09-19), which is older list `[[versions]]` newest first"),
        (MD, &[("date = \"2019-01\"", "date = \"2019-10\"")], VERSIONS, Code::VersionsOutOfOrder, 17, 8, "(2019-10)"),
        (MD, &[("date = \"2019-01\"", "date = \"2019-1\"")], VERSIONS, Code::BadDate, 17, 8, "`date` \"2019-1\" is not a date"),
        (MD, &[("date = \"2019-01\"", "date = \"2019-00\"")], VERSIONS, Code::BadDate, 17, 8, "is not a date"),
        (MD, &[("date = \"2019-01\"", "date = \"1899\"")], VERSIONS, Code::BadDate, 17, 8, "is before 1900"),
        (MD, &[("date = \"2019-01\"", "date = \"9999-01\"")], VERSIONS, Code::BadDate, 17, 8, "is after next year"),
        (MD, &[("date = \"2019-01\"", "date = 2019-01-01 10:00:00")], VERSIONS, Code::BadDate, 17, 8, "has a time"),
        (MD, &[("date = \"2019-01\"", "date = \"2019-01-05\"")], VERSIONS, Code::BadDate, 17, 8,
         "is a full date in quotes write a TOML date without quotes"),
        (MD, &[("date = 2019-09-19", "date = 2019")], VERSIONS, Code::WrongType, 13, 8,
         "`date` in `[[versions]]` must be a date, found an integer"),
        (MD, &[("10.1/x", "https://doi.org/10.1/x")], VERSIONS, Code::BadDoi, 18, 7, "`doi = \"10.1/x\"`"),
        (MD, &[("doi = \"10.1/x\"", "images = 0")], VERSIONS, Code::ZeroCount, 18, 10, "a count is never 0"),
        (MD, &[("doi = \"10.1/x\"", "images = { at_least = -4 }")], VERSIONS, Code::NegativeCount, 18, 23, "(-4)"),
        (MD, &[("source = \"https://a.org/v1\"\n", "")], VERSIONS, Code::MissingField, 15, 1,
         "missing required field `source` in `[[versions]]`"),
        (MD, &[("https://a.org/v1", "a.org/v1")], VERSIONS, Code::BadUrl, 19, 10, "`source`"),
        (MD, &[("images = 150", "images = 150\nversion = \"2.0.0\""), ("date = 2019-09-19", "images = 151")], VERSIONS,
         Code::VersionCountMismatch, 13, 11, "version \"2.0.0\" gives 151 images, but the entry, whose numbers describe it, gives 150"),
        (MD, &[("images = 150", "images = { at_least = 152 }\nversion = \"2.0.0\""), ("date = 2019-09-19", "images = 151")], VERSIONS,
         Code::VersionCountMismatch, 13, 11, "gives 151 images, but the entry, whose numbers describe it, gives at least 152"),
        (MD, &[("male = [60, 30]", "male = [60]")], DEMOGRAPHICS, Code::RowLength, 17, 8,
         "`male` has 1 numbers but `splits` names 2 splits"),
        (MD, &[("age_sd = [10, 11.5]", "age_sd = [10]")], DEMOGRAPHICS, Code::RowLength, 20, 10, "`age_sd` has 1 numbers"),
        (MD, &[("male = [60, 30]", "male = [50, 30]")], DEMOGRAPHICS, Code::SexSumMismatch, 16, 10,
         "female + male of split `Train` is 90, but its `total` gives it 100 patients"),
        (MD, &[("male = [60, 30]", "male = [60, 30]\nsex_unknown = [0, 1]")], DEMOGRAPHICS, Code::SexSumMismatch, 16, 10,
         "female + male + unknown of split `Test` is 51"),
        (MD, &[("male = [60, 30]", "male = [60, -30]")], DEMOGRAPHICS, Code::NegativeCount, 17, 13, "(-30)"),
        (MD, &[("age_min = [18, 20]", "age_min = [18, -2]")], DEMOGRAPHICS, Code::ImplausibleAge, 18, 16,
         "`age_min` of split `Test` is -2, outside 0 to 130"),
        (MD, &[("age_max = [90, 88]", "age_max = [90, 131.5]")], DEMOGRAPHICS, Code::ImplausibleAge, 21, 16, "131.5, outside 0 to 130"),
        (MD, &[("age_sd = [10, 11.5]", "age_sd = [-1, 11.5]")], DEMOGRAPHICS, Code::ImplausibleAge, 20, 11,
         "`age_sd` of split `Train` is -1: a standard deviation is never negative"),
        (MD, &[("age_min = [18, 20]", "age_min = [46, 20]")], DEMOGRAPHICS, Code::ImplausibleAge, 18, 12,
         "`age_min` of split `Train` (46) is above its `age_mean` (45.5)"),
        (MD, &[("age_max = [90, 88]", "age_max = [40, 88]")], DEMOGRAPHICS, Code::ImplausibleAge, 19, 13,
         "`age_mean` of split `Train` (45.5) is above its `age_max` (40)"),
        (MD, &[("age_max = [90, 88]", "age_max = [90, 88]\nage_median = [91, 50]")], DEMOGRAPHICS, Code::ImplausibleAge, 22, 15,
         "`age_median` of split `Train` (91) is above its `age_max` (90)"),
        (MD, &[("age_mean = [45.5, 50]", "age_mean = [45.5, nan]")], DEMOGRAPHICS, Code::WrongType, 19, 19,
         "must be an array of numbers, found a float"),
        (MD, &[("age_mean = [45.5, 50]", "age_mean = 45.5")], DEMOGRAPHICS, Code::WrongType, 19, 12,
         "write a list of numbers, decimals allowed"),
        (MD, &[("female = [40, 20]\nmale = [60, 30]\nage_min = [18, 20]\nage_mean = [45.5, 50]\nage_sd = [10, 11.5]\nage_max = [90, 88]\n", "")],
         DEMOGRAPHICS, Code::MissingField, 11, 1, "`[[demographics]]` gives neither sex counts nor ages"),
        (MD, &[("splits = [\"Train\", \"Test\"]\ntotal = [100, 50]\nfemale = [40, 20]\nmale = [60, 30]\nage_min = [18, 20]\nage_mean = [45.5, 50]\nage_sd = [10, 11.5]\nage_max = [90, 88]\n", "splits = []\nfemale = [1]\n")],
         DEMOGRAPHICS, Code::RowLength, 15, 10, "`female` has 1 numbers but `splits` names 0 splits"),
        (MD, &[("title = \"T\"\n", "")], DEMOGRAPHICS, Code::MissingField, 11, 1,
         "missing required field `title` in `[[demographics]]`"),
        (MD, &[("splits = [\"Train\", \"Test\"]", "splits = [\"Train\", \"train\"]")], DEMOGRAPHICS, Code::DuplicateItem, 14, 20,
         "`splits` names \"train\" more than once"),
        (MD, &[("\"open\"", "\"registration\"")], "[[access_steps]]\nstep = \"agreement\"\nwhat = \"Sign.\"\n",
         Code::StepWithoutUrl, 12, 8, "the `agreement` step has no `url`"),
        (MD, &[("\"open\"", "\"registration\"")], "[[access_steps]]\nstep = \"request\"\nwhat = \"Ask.\"\n",
         Code::StepWithoutUrl, 12, 8, "add the page where it is done"),
        (MD, &[], "[[access_steps]]\nstep = \"account\"\nwhat = \"Register.\"\nurl = \"https://a.org/r\"\n",
         Code::AccessContradiction, 12, 8, "the `account` step contradicts `access = \"open\"` (line 9)"),
        (MD, &[], "[[access_steps]]\nstep = \"trainig\"\nwhat = \"Train.\"\n", Code::UnknownTerm, 12, 8,
         "is `trainig`, which is not one of account, training, agreement, request, approval, other did you mean `training`?"),
        (MD, &[], "[[access_steps]]\nstep = \"other\"\nwhat = \"Train.\"\nurl = \"a.org\"\n", Code::BadUrl, 14, 7,
         "`url` must be an http:// or https:// URL"),
        (MD, &[], "[[access_steps]]\nstep = \"other\"\n", Code::MissingField, 11, 1,
         "missing required field `what` in `[[access_steps]]`"),
        (MD, &[], "[[downloads]]\nkind = \"torrnt\"\nurl = \"https://a.org/t\"\n", Code::UnknownTerm, 12, 8,
         "did you mean `torrent`?"),
        (MD, &[], "[[downloads]]\nkind = \"git\"\n", Code::MissingField, 11, 1,
         "missing required field `url` in `[[downloads]]`"),
        (MD, &[], "[[downloads]]\nkind = \"bucket\"\nurl = \"ftp://a.org/b\"\n", Code::BadUrl, 13, 7,
         "`url` of a `bucket` download must start with http://, https://, s3:// or gs://"),
        (MD, &[], "[[downloads]]\nkind = \"git\"\nurl = \"https://a.org/g\"\n[[downloads]]\nkind = \"portal\"\nurl = \"https://a.org/g/\"\n",
         Code::DuplicateItem, 16, 7, "download `https://a.org/g/` is listed twice (first at line 13)"),
        (MD, &[], "[[downloads]]\nkind = \"portal\"\nurl = \"https://www.kaggle.com/c/x\"\n", Code::DownloadKindMismatch, 13, 7,
         "`kind` is `portal`, but `kaggle.com` is Kaggle: write `kind = \"kaggle\"`"),
        (MD, &[], "[[downloads]]\nkind = \"zenodo\"\nurl = \"https://figshare.com/x\"\n", Code::DownloadKindMismatch, 13, 7,
         "but `figshare.com` is figshare: write `kind = \"figshare\"`"),
        (MD, &[], "[[downloads]]\nkind = \"kaggle\"\nurl = \"https://a.org/k\"\n", Code::DownloadKindMismatch, 13, 7,
         "`kind` is `kaggle`, but the address is on `a.org`, not on kaggle.com"),
        (MD, &[], "[[label_sets]]\nname = \"A\"\n[[label_sets]]\nname = \"a \"\n", Code::DuplicateItem, 14, 8,
         "label set `a ` is given twice (first at line 12)"),
        (MD, &[], "[[label_sets]]\nname = \"A\"\nreaders = 0\n", Code::ZeroCount, 13, 11, "`readers` in `[[label_sets]]` is 0"),
        (MD, &[], "[[label_sets]]\nname = \"A\"\nannotations = []\n", Code::MissingField, 13, 15, "must name at least one term"),
        (MD, &[], "[[label_sets]]\nname = \"\"\n", Code::EmptyValue, 12, 8, "`name` in `[[label_sets]]` is empty"),
        (MD, &[], "labeling = \"NLP on reports\"\n", Code::LabelingFreeText, 11, 12,
         "`[[label_sets]]` with `name = \"Labels\"`, `how = \"NLP on reports\"`"),
        (MD, &[], "[[label_sets]]\nname = \"A\"\nyear = 2017\n", Code::UnknownKey, 13, 1,
         "move the line above the first `[[...]]` header"),
    ];

    /// A `[[sources]]` item at lines 11-14 naming `images` on line 14.
    const NAMED: &str =
        "[[sources]]\ntitle = \"S\"\nurl = \"https://a.org/n\"\nnumbers = [\"images\"]\n";
    /// A paper at lines 11-14 naming `patients` (given as not stated).
    const PAPER_NAMES: &str = "patients = \"not stated\"\n[[papers]]\ntitle = \"P\"\nurl = \"https://a.org/p\"\nnumbers = [\"patients\"]\n";
    /// A secondary paper at lines 11-15 naming `images`.
    const SECONDARY: &str = "[[papers]]\ntitle = \"P\"\nurl = \"https://a.org/p\"\nnumbers = [\"images\"]\nsecondary = true\n";

    /// Files other than entries: (path, text, code, line, column, part).
    #[rustfmt::skip]
    const FILE_ROWS: &[(&str, &str, Code, usize, usize, &str)] = &[
        ("content/site.toml", "title = \"T\"\ndescription = \"D\"\ntilte = \"T\"\n", Code::UnknownKey, 3, 1,
         "unknown key `tilte` in site.toml did you mean `title`?"),
        ("content/site.toml", "title = 1\n", Code::WrongType, 1, 9, "`title` in site.toml must be a string"),
        ("content/vocabulary.toml", "[modalities]\n\"X Ray\" = { name = \"X-ray\" }\n[body_regions]\n[tasks]\n[access]\n",
         Code::BadTermId, 2, 1, "term id `X Ray` of [modalities] is not a valid id"),
        ("content/tasks.toml", "[[tasks]]\ndone = true\n", Code::MissingField, 1, 1,
         "missing required field `title` in `[[tasks]]`"),
        ("content/labels.toml", "[[findings]]\nname = \"A\"\nsynonyms = \"B\"\n", Code::WrongType, 3, 12,
         "`synonyms` in `[[findings]]` must be an array of strings, found a string"),
    ];

    /// Each form of a size reads as its kind of [`Size`]; the main unit defaults to the first
    /// unit given in the order of [`Unit::ALL`].
    #[test]
    fn sizes_read_in_each_form() {
        #[rustfmt::skip]
        type Row = (&'static str, &'static [(Unit, Size)], Option<Unit>);
        let rows: &[Row] = &[
            (
                "images = 150",
                &[(Unit::Images, Size::Exact(150))],
                Some(Unit::Images),
            ),
            (
                "images = { at_least = 160_000 }",
                &[(Unit::Images, Size::AtLeast(160_000))],
                Some(Unit::Images),
            ),
            (
                "images = { at_most = 9 }",
                &[(Unit::Images, Size::AtMost(9))],
                Some(Unit::Images),
            ),
            (
                "images = \"not stated\"",
                &[(Unit::Images, Size::NotStated)],
                Some(Unit::Images),
            ),
            (
                "series = 4\nvolumes = 1000",
                &[
                    (Unit::Volumes, Size::Exact(1000)),
                    (Unit::Series, Size::Exact(4)),
                ],
                Some(Unit::Volumes),
            ),
            (
                "patients = 3\nstudies = 7\nmain_unit = \"studies\"",
                &[
                    (Unit::Studies, Size::Exact(7)),
                    (Unit::Patients, Size::Exact(3)),
                ],
                Some(Unit::Studies),
            ),
            ("download_bytes = 12", &[], None),
        ];
        for &(line, counts, main) in rows {
            let text = entry(&[("images = 150", line)], "");
            let (dataset, found) = parse_entry(&Source::new(MD, text.as_str()), 0);
            let shown: Vec<String> = found
                .iter()
                .filter(|d| d.code != Code::UnsourcedNumber)
                .map(Diagnostic::headline)
                .collect();
            assert!(shown.is_empty(), "{line}: {shown:#?}");
            let sizes = dataset.unwrap().sizes;
            assert_eq!(
                (sizes.counts.as_slice(), sizes.main()),
                (counts, main),
                "{line}"
            );
        }
    }

    /// A valid licence of licenses.toml.
    const LICENCE: &str = "[cc-by-4-0]\nspdx = \"CC-BY-4.0\"\nname = \"CC BY 4.0\"\n\
                           url = \"https://creativecommons.org/licenses/by/4.0/\"\ncommercial = \"yes\"\n\
                           redistribution = \"yes\"\nderivatives = \"yes\"\nattribution = \"yes\"\n\
                           share_alike = \"no\"\nagreement = \"none\"\n";

    /// Each problem of a licence gives one diagnostic: (edit of [`LICENCE`], code, line,
    /// column, part of the message or help).
    #[test]
    fn each_licence_problem_reports_one_located_diagnostic() {
        let (licenses, found) = parse_licenses(&Source::new("content/licenses.toml", LICENCE));
        assert!(found.is_empty(), "{found:#?}");
        assert_eq!(licenses[0].commercial, Answer::Yes);
        assert_eq!(licenses[0].agreement, Agreement::None);
        #[rustfmt::skip]
        let rows: &[(&str, &str, Code, usize, usize, &str)] = &[
        ("commercial = \"yes\"", "commercial = \"yess\"", Code::UnknownTerm, 5, 14,
             "`commercial` is \"yess\", which is not one of yes, no, unclear did you mean `yes`?"),
            ("agreement = \"none\"", "agreement = \"signed\"", Code::UnknownTerm, 10, 13,
             "write one of: none, registration, dua, credentialed, unclear"),
            ("[cc-by-4-0]", "[\"CC BY\"]", Code::BadTermId, 1, 2,
             "licence id `CC BY` is not a valid id"),
            ("name = \"CC BY 4.0\"\n", "", Code::MissingField, 1, 1,
             "missing required field `name` in licence `[cc-by-4-0]`"),
            ("https://creativecommons.org/licenses/by/4.0/", "creativecommons.org", Code::BadUrl, 4, 7,
             "`url` must be an http:// or https:// URL"),
            ("share_alike", "sharealike", Code::UnknownKey, 9, 1,
             "did you mean `share_alike`?"),
        ];
        for &(from, to, code, line, column, part) in rows {
            let text = LICENCE.replacen(from, to, 1);
            assert_one("content/licenses.toml", &text, code, line, column, part);
        }
    }

    #[test]
    fn each_file_local_check_reports_one_located_diagnostic() {
        for &(path, edits, extra, code, line, column, part) in ENTRY_ROWS {
            assert_one(path, &entry(edits, extra), code, line, column, part);
        }
        for &(path, text, code, line, column, part) in FILE_ROWS {
            assert_one(path, text, code, line, column, part);
        }
    }

    /// The size limits, on texts made to pass them by one.
    #[test]
    fn size_limits_report_one_located_diagnostic() {
        let long = format!("summary = \"{}\"", "x".repeat(MAX_SUMMARY_CHARS + 1));
        let summary = entry(&[("summary = \"A set.\"", &long)], "");
        assert_one(
            MD,
            &summary,
            Code::SummaryTooLong,
            3,
            11,
            "`summary` is 201 characters long, more than 200",
        );
        let labels: String = (0..=MAX_LABELS)
            .map(|i| format!("L{i} = [1, 1]\n"))
            .collect();
        let table = entry(&[("A = [10, 5]\n", "")], &format!("{TABLE}{labels}"));
        assert_one(
            MD,
            &table,
            Code::TooManyLabels,
            16,
            1,
            "holds 1,001 labels, more than 1,000",
        );
    }
}
