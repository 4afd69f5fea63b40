//! The single-file edition: the whole catalog as one HTML file that works with no other file
//! and no network (`build --single-file`).
//!
//! It is made from the same parsed catalog, site-wide view, templates, catalog rows and search
//! index as the site. `single.html` lays out the file: the index with the finder, a section per
//! dataset (`single_dataset.html`, which shows `dataset_content.html` like the dataset page) and
//! the lineage page. Each section is the page's HTML with its links and ids rewritten
//! ([`super::rewrite`]): a link to a page becomes a fragment (`datasets/x.html#papers` ->
//! `#d-x--papers`, a term page -> the finder filtered by that term, `#modality=x-ray`), an id
//! gets its section's prefix. The style sheet and scripts are inline, allowed by their hashes in
//! the file's Content-Security-Policy; the search index's files are inline as JSON data blocks
//! that `catalog.js` reads when a view needs them; the favicon is a `data:` URI.

use std::collections::HashMap;

use base64::Engine as _;
use rayon::prelude::*;

use crate::common::error::Error;
use crate::derive::SiteData;
use crate::derive::browse;
use crate::derive::search::SearchCache;
use crate::diagnostics::Diagnostic;
use crate::input::theme::StaticFile;
use crate::model::{Catalog, Facet};
use crate::render::rewrite::{Links, rewrite};
use crate::render::splice::Splice;
use crate::render::{CatalogRows, Templates, context};

/// The scripts of the single file, in the order they run: the head's, then the body's.
const SCRIPTS: [&str; 4] = ["early.js", "catalog.js", "dataset.js", "single.js"];

/// Everything the single file is made from.
pub(crate) struct SingleInputs<'a> {
    pub(crate) catalog: &'a Catalog,
    pub(crate) data: &'a SiteData,
    pub(crate) templates: &'a Templates,
    /// Each dataset's warnings, by slug.
    pub(crate) notes: &'a HashMap<&'a str, Vec<&'a Diagnostic>>,
    pub(crate) rows: &'a CatalogRows<'a>,
    pub(crate) search: &'a SearchCache,
    pub(crate) statics: &'a [StaticFile],
    /// The number of datasets of each term, by its page's path.
    pub(crate) term_counts: &'a HashMap<&'a str, usize>,
}

/// The single file's HTML.
pub(crate) fn render_single(inputs: &SingleInputs<'_>) -> Result<String, Error> {
    let SingleInputs {
        catalog,
        data,
        templates,
        statics,
        ..
    } = *inputs;
    let sections = dataset_sections(inputs)?;
    let rows: Vec<String> = inputs
        .rows
        .top
        .par_iter()
        .map(|row| rewrite(row, &Section::top(statics)))
        .collect();
    let shards = shard_blocks(inputs.search);
    let texts = Texts::of(statics)?;
    let mut splice = Splice::default();
    let mut single = context(data, None, "", "single", &true);
    single.insert("lineage", data.lineage.page());
    let groups = browse::facet_groups(catalog, data, |href| {
        inputs.term_counts.get(href).copied().unwrap_or(0)
    });
    single.insert("groups", &groups);
    let mut pieces = Vec::with_capacity(2 * rows.len());
    for row in &rows {
        pieces.extend(["\n    ", row.as_str()]);
    }
    // Like the site's listings: no marker for no rows, so that the table says "No datasets".
    let marker = if pieces.is_empty() {
        String::new()
    } else {
        splice.part(pieces)
    };
    single.insert("rows", &marker);
    single.insert(
        "datasets",
        &splice.part(sections.iter().map(String::as_str).collect()),
    );
    single.insert(
        "shards",
        &splice.part(shards.iter().map(String::as_str).collect()),
    );
    single.insert("style", &splice.part(vec![texts.style.as_str()]));
    let scripts: HashMap<&str, String> = SCRIPTS
        .iter()
        .zip(&texts.scripts)
        .map(|(name, text)| {
            (
                name.trim_end_matches(".js"),
                splice.part(vec![text.as_str()]),
            )
        })
        .collect();
    single.insert("scripts", &scripts);
    single.insert("csp", &texts.policy());
    single.insert("favicon", &texts.favicon);
    let page = templates.render("single.html", &single)?;
    Ok(splice.finish(rewrite(&page, &Section::top(statics))))
}

/// Each dataset's section, rendered and rewritten in parallel, in catalog order.
fn dataset_sections(inputs: &SingleInputs<'_>) -> Result<Vec<String>, Error> {
    let SingleInputs {
        catalog,
        data,
        templates,
        notes,
        ..
    } = *inputs;
    catalog
        .datasets
        .par_iter()
        .map(|d| {
            let own = notes.get(d.slug.as_str()).map_or(&[][..], Vec::as_slice);
            let view = data.dataset_page(d, own);
            let mut section = context(data, None, "../", "dataset", &view);
            section.insert("single", &true);
            let html = templates.render("single_dataset.html", &section)?;
            Ok(rewrite(&html, &Section::dataset(&d.slug, inputs.statics)))
        })
        .collect()
}

/// The id of a dataset's section: `d-` and its slug.
pub(crate) fn section_id(slug: &str) -> String {
    format!("d-{slug}")
}

/// The search index's files as JSON data blocks, `<script type="application/json"
/// data-shard="NAME">`: each file is `medatlasShard("NAME",DATA);`, whose data is JSON. A `<`
/// can only be inside a JSON string, where `\u003c` stands for it, so no text of the catalog
/// can end the block.
fn shard_blocks(search: &SearchCache) -> Vec<String> {
    search
        .files()
        .collect::<Vec<_>>()
        .par_iter()
        .map(|file| {
            let text = search.render(&file.path);
            let (name, json) = shard_parts(&text).expect("a search file calls medatlasShard");
            format!(
                "<script type=\"application/json\" data-shard=\"{name}\">{}</script>\n",
                json.replace('<', "\\u003c")
            )
        })
        .collect()
}

/// The name and data of a search file, `medatlasShard("NAME",DATA);`.
fn shard_parts(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix("medatlasShard(\"")?;
    let (name, rest) = rest.split_once("\",")?;
    let data = rest.trim_end().strip_suffix(");")?;
    Some((name, data))
}

/// The style sheet, the scripts and the favicon, as the single file carries them.
struct Texts {
    style: String,
    /// In the order of [`SCRIPTS`].
    scripts: Vec<String>,
    favicon: String,
}

impl Texts {
    fn of(statics: &[StaticFile]) -> Result<Texts, Error> {
        let text = |name: &str| {
            let file = statics.iter().find(|f| f.name == name).ok_or_else(|| {
                Error::new(format!(
                    "the single file needs static/{name}, which is missing"
                ))
            })?;
            String::from_utf8(file.bytes.clone())
                .map_err(|_| Error::new(format!("static/{name} is not UTF-8")))
        };
        // Nothing in a style sheet or script may end its element early.
        let style = text("style.css")?.replace("</style", "<\\/style");
        let scripts = SCRIPTS
            .iter()
            .map(|name| Ok(text(name)?.replace("</script", "<\\/script")))
            .collect::<Result<_, Error>>()?;
        let favicon = statics
            .iter()
            .find(|f| f.name == "favicon.svg")
            .map(|f| data_uri(&f.name, &f.bytes))
            .unwrap_or_default();
        Ok(Texts {
            style,
            scripts,
            favicon,
        })
    }

    /// The Content-Security-Policy: the site's, with the inline style sheet and scripts
    /// allowed by their SHA-256 hashes instead of by origin, and images as `data:` URIs.
    fn policy(&self) -> String {
        let scripts: Vec<String> = self.scripts.iter().map(|s| hash_source(s)).collect();
        format!(
            "default-src 'none'; script-src {}; style-src {}; img-src data:; form-action 'none'; base-uri 'none'; object-src 'none'",
            scripts.join(" "),
            hash_source(&self.style)
        )
    }
}

/// A CSP hash source: `'sha256-` and the Base64 of the text's SHA-256 digest.
fn hash_source(text: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest.as_ref())
    )
}

/// A `data:` URI of a static file, with the media type its name says.
fn data_uri(name: &str, bytes: &[u8]) -> String {
    let extension = name.rsplit('.').next().unwrap_or_default();
    let media = match extension.to_ascii_lowercase().as_str() {
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "css" => "text/css",
        "js" => "text/javascript",
        _ => "application/octet-stream",
    };
    format!(
        "data:{media};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// The part of the single file a page's HTML goes to: its path in the site, against which its
/// relative links resolve, and the section whose prefix its ids get.
struct Section<'s> {
    path: String,
    /// The section's id (`d-x`): its own id is kept, any other gets `d-x--` before it.
    id: Option<String>,
    /// The static files, which an image may name (it becomes a `data:` URI).
    statics: &'s [StaticFile],
}

impl<'s> Section<'s> {
    /// The parts at the top of the file: the index, the lineage page, the header and footer.
    fn top(statics: &'s [StaticFile]) -> Section<'s> {
        Section {
            path: "index.html".into(),
            id: None,
            statics,
        }
    }

    fn dataset(slug: &str, statics: &'s [StaticFile]) -> Section<'s> {
        Section {
            path: crate::common::paths::dataset_path(slug),
            id: Some(section_id(slug)),
            statics,
        }
    }
}

impl Links for Section<'_> {
    fn url(&self, url: &str) -> Option<String> {
        if url.is_empty() || is_absolute(url) {
            return Some(url.to_string());
        }
        if let Some(id) = url.strip_prefix('#') {
            return Some(format!("#{}", self.id(id)));
        }
        let (path, fragment) = url
            .split_once('#')
            .map_or((url, None), |(p, f)| (p, Some(f)));
        let path = resolve(&self.path, path)?;
        if let Some(fragment) = page_fragment(&path, fragment) {
            return Some(fragment);
        }
        let file = self.statics.iter().find(|f| f.name == path)?;
        Some(data_uri(&file.name, &file.bytes))
    }

    fn id(&self, id: &str) -> String {
        match &self.id {
            Some(section) if id != section && !id.is_empty() => format!("{section}--{id}"),
            _ => id.to_string(),
        }
    }
}

/// A URL with a scheme (`https:`, `mailto:`, `data:`) or protocol-relative: kept as it is.
fn is_absolute(url: &str) -> bool {
    url.starts_with("//")
        || url
            .find([':', '/', '?', '#'])
            .is_some_and(|i| url.as_bytes()[i] == b':')
}

/// `relative` resolved against the directory of the site path `page`: a site path, or `None`
/// when it leaves the site.
fn resolve(page: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            _ => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// The fragment of the single file that stands for the site's page `path` (with its own
/// `fragment`), when the single file holds that page: the index, a dataset page, a term page
/// (as the finder filtered by the term) or the lineage page.
fn page_fragment(path: &str, fragment: Option<&str>) -> Option<String> {
    let within = |section: &str| match fragment {
        Some(f) if !f.is_empty() => format!("#{section}--{f}"),
        _ => format!("#{section}"),
    };
    if path == "index.html" || path.is_empty() {
        return Some(format!("#{}", fragment.unwrap_or_default()));
    }
    if path == "lineage.html" {
        return Some(fragment.map_or_else(|| "#lineage".into(), |f| format!("#{f}")));
    }
    let (dir, file) = path.split_once('/')?;
    let stem = file.strip_suffix(".html")?;
    if dir == "datasets" {
        return Some(within(&section_id(stem)));
    }
    let facet = Facet::ALL.into_iter().find(|f| f.dir() == dir)?;
    Some(format!("#{}={stem}", finder_key(facet)))
}

/// The finder's key of a facet in the URL fragment (`modality=x-ray`; see catalog.js).
fn finder_key(facet: Facet) -> &'static str {
    match facet {
        Facet::Modality => "modality",
        Facet::BodyRegion => "region",
        Facet::Task => "task",
        Facet::Access => "access",
        Facet::LabelMethod => "method",
        Facet::AnnotationType => "annotation",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_of_the_site_become_fragments() {
        let section = Section::dataset("alpha-cxr", &[]);
        for (url, expected) in [
            ("#papers", Some("#d-alpha-cxr--papers")),
            ("../index.html", Some("#")),
            ("../index.html#d=alpha-cxr", Some("#d=alpha-cxr")),
            ("../datasets/beta-ct.html", Some("#d-beta-ct")),
            ("beta-ct.html#labels", Some("#d-beta-ct--labels")),
            ("../modalities/x-ray.html", Some("#modality=x-ray")),
            ("../body-regions/chest.html", Some("#region=chest")),
            ("../label-methods/consensus.html", Some("#method=consensus")),
            ("../lineage.html", Some("#lineage")),
            ("https://doi.org/10.1/x", Some("https://doi.org/10.1/x")),
            ("mailto:a@b.org", Some("mailto:a@b.org")),
            ("../labels.html", None),
            ("../catalog.csv", None),
            ("../../outside.html", None),
        ] {
            assert_eq!(section.url(url).as_deref(), expected, "{url}");
        }
        assert_eq!(section.id("facts"), "d-alpha-cxr--facts");
        assert_eq!(section.id("d-alpha-cxr"), "d-alpha-cxr");
        assert_eq!(Section::top(&[]).url("#main").as_deref(), Some("#main"));
        assert_eq!(Section::top(&[]).id("finder"), "finder");
    }

    #[test]
    fn a_search_file_splits_into_its_name_and_data() {
        assert_eq!(
            shard_parts("medatlasShard(\"p-ch\",{\"terms\":[\"chest\"]});\n"),
            Some(("p-ch", "{\"terms\":[\"chest\"]}"))
        );
        assert_eq!(shard_parts("var x = 1;"), None);
    }
}
