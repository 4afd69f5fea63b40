//! How to get a dataset and how it was labelled: `[[access_steps]]`, `[[downloads]]` and
//! `[[label_sets]]`, with the checks that need only the entry itself.
//!
//! An access step that is done at a page of its own (account, training, agreement, request)
//! must link it (`step-without-url`); a download URL is http(s), or for a bucket `s3://` or
//! `gs://`, for a torrent a magnet link (`bad-url`); two downloads at one address, or two label
//! sets of one name, are `duplicate-item`; an address on the site of another kind (a Kaggle page
//! written `kind = "portal"`) is a `download-kind-mismatch` warning; a step that stands between the reader and the files
//! contradicts `access = "open"` (`access-contradiction`); the old free-text `labeling` is
//! accepted with a `labeling-free-text` warning that shows the label set to write. The terms of
//! `method` and `annotations`, and `readers` against the method, are checked against the
//! vocabulary in [`crate::check`].

use std::ops::Range;

use toml::de::DeTable;

use crate::diagnostics::{Code, Diagnostic};
use crate::format::{ACCESS_STEP, Choice, DOWNLOAD, LABEL_SET};
use crate::model::{AccessStep, Download, DownloadKind, LabelSet, Located, StepKind};
use crate::parse::fields::{Fields, FileChecker, nearest};

/// An entry's access steps, downloads and label sets, and its old `labeling`.
pub(crate) struct Access {
    pub(crate) access_steps: Vec<AccessStep>,
    pub(crate) downloads: Vec<Download>,
    pub(crate) label_sets: Vec<LabelSet>,
    pub(crate) labeling: Option<Located<String>>,
}

/// Read the three arrays of tables and `labeling` of an entry whose `access` is `access`.
pub(crate) fn read(ck: &mut FileChecker, f: &Fields, access: Option<&Located<String>>) -> Access {
    let access_steps: Vec<AccessStep> = f
        .tables(ck, "access_steps")
        .into_iter()
        .filter_map(|(t, span)| read_step(ck, t, span))
        .collect();
    if let Some(access) = access.filter(|a| a.value == "open") {
        open_with_steps(ck, access, &access_steps);
    }
    let downloads = read_downloads(ck, f);
    let label_sets = read_label_sets(ck, f);
    let labeling = f.string(ck, "labeling");
    if let Some(text) = &labeling {
        ck.push(labeling_free_text(ck, text));
    }
    Access {
        access_steps,
        downloads,
        label_sets,
        labeling,
    }
}

/// A value of a [`Kind::Choice`](crate::format::Kind::Choice) field, or an `unknown-term`
/// error naming the nearest value.
fn choice<T>(
    ck: &mut FileChecker,
    f: &Fields,
    key: &str,
    choice: Choice,
    named: fn(&str) -> Option<T>,
) -> Option<(T, Range<usize>)> {
    let value = f.string(ck, key)?;
    if let Some(kind) = named(&value.value) {
        return Some((kind, value.span));
    }
    let names = choice.names();
    let help = match nearest(&value.value, names.iter().copied()) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!("use one of: {}", names.join(", ")),
    };
    if !value.value.trim().is_empty() && !value.value.contains(crate::parse::PLACEHOLDER) {
        ck.error(
            Code::UnknownTerm,
            value.span,
            format!(
                "`{key}` in {} is `{}`, which is not one of {}",
                f.what(),
                value.value,
                names.join(", ")
            ),
            &help,
        );
    }
    None
}

fn read_step(ck: &mut FileChecker, t: &DeTable, span: Range<usize>) -> Option<AccessStep> {
    let f = ck.declared(t, span, &ACCESS_STEP, false);
    let step = choice(ck, &f, "step", Choice::Step, StepKind::named);
    let what = f.string(ck, "what");
    if let Some(what) = &what {
        crate::parse::deep_string(ck, "what", what);
    }
    let url = f.string(ck, "url");
    crate::parse::url(ck, "url", url.as_ref());
    let (step, step_span) = step?;
    if step.needs_url() && url.is_none() && !ck.recovered {
        ck.error(
            Code::StepWithoutUrl,
            step_span.clone(),
            format!(
                "the `{}` step has no `url`: a reader cannot tell where to do it",
                step.as_str()
            ),
            &format!(
                "add the page where it is done, e.g. `url = \"https://...\"` below `step = \"{}\"`",
                step.as_str()
            ),
        );
    }
    Some(AccessStep {
        step,
        what: what?.value,
        url: url.map(|u| u.value),
        step_span,
    })
}

/// A warning for each step that stands between the reader and the files of an `open` entry.
fn open_with_steps(ck: &mut FileChecker, access: &Located<String>, steps: &[AccessStep]) {
    for step in steps.iter().filter(|s| s.step.gates()) {
        let line = ck.src.location(access.span.start).0;
        let d = Diagnostic::warning(
            Code::AccessContradiction,
            ck.src,
            step.step_span.clone(),
            format!(
                "the `{}` step contradicts `access = \"open\"` (line {line}): open data is downloaded without an account",
                step.step.as_str()
            ),
        );
        ck.push(d.with_help(
            "if the step is required, set `access` to the level it implies (registration, credentialed or restricted); otherwise remove the step",
        ));
    }
}

fn read_downloads(ck: &mut FileChecker, f: &Fields) -> Vec<Download> {
    let mut out: Vec<(Download, Range<usize>)> = Vec::new();
    for (t, span) in f.tables(ck, "downloads") {
        let d = ck.declared(t, span, &DOWNLOAD, false);
        let kind = choice(ck, &d, "kind", Choice::Download, DownloadKind::named);
        let url = d.string(ck, "url");
        let what = d.string(ck, "what");
        if let Some(what) = &what {
            crate::parse::deep_string(ck, "what", what);
        }
        let Some(url) = url else { continue };
        let kind = kind.map(|(k, _)| k);
        if !download_url_ok(&url.value, kind) {
            bad_download_url(ck, &url, kind);
        }
        if let Some(kind) = kind {
            kind_mismatch(ck, &url, kind);
        }
        if let Some((_, first)) = out.iter().find(|(d, _)| same_url(&d.url, &url.value)) {
            let line = ck.src.location(first.start).0;
            ck.error(
                Code::DuplicateItem,
                url.span.clone(),
                format!(
                    "download `{}` is listed twice (first at line {line})",
                    url.value
                ),
                "remove this `[[downloads]]` item, or give the address of the other place the files are",
            );
            continue;
        }
        if let Some(kind) = kind {
            let download = Download {
                kind,
                url: url.value,
                what: what.map(|w| w.value),
            };
            out.push((download, url.span));
        }
    }
    out.into_iter().map(|(d, _)| d).collect()
}

/// A `bad-url` error for a download address its kind may not use.
fn bad_download_url(ck: &mut FileChecker, url: &Located<String>, kind: Option<DownloadKind>) {
    let schemes = |k: DownloadKind| {
        let mut all = vec!["http://", "https://"];
        all.extend(k.other_schemes());
        let last = all.pop().unwrap_or_default();
        format!("{} or {last}", all.join(", "))
    };
    let what = kind.map_or(String::new(), |k| {
        format!(" of a `{}` download", k.as_str())
    });
    let allowed = kind.map_or("http:// or https://".to_string(), schemes);
    ck.error(
        Code::BadUrl,
        url.span.clone(),
        format!("`url`{what} must start with {allowed}, found \"{}\"", url.value),
        "write the full address, starting with https:// (only a `bucket` may be s3:// or gs://, only a `torrent` a magnet: link)",
    );
}

/// The host of an http(s) address, lowercase, without `www.` and port.
fn host_of(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?.rsplit('@').next()?;
    let host = host.split(':').next()?.to_ascii_lowercase();
    Some(host.strip_prefix("www.").unwrap_or(&host).to_string())
}

/// Whether `host` is `site` or one of its subdomains.
fn on_site(host: &str, site: &str) -> bool {
    host == site || host.ends_with(&format!(".{site}"))
}

/// A `download-kind-mismatch` warning when the address is on the site of another kind than the
/// one written (`kind = "portal"` for a Kaggle page), or not on the site its kind names.
fn kind_mismatch(ck: &mut FileChecker, url: &Located<String>, kind: DownloadKind) {
    let Some(host) = host_of(&url.value) else {
        return;
    };
    let doi = on_site(&host, "doi.org")
        .then(|| {
            url.value
                .split_once("doi.org/")
                .map(|(_, doi)| doi.to_ascii_lowercase())
        })
        .flatten();
    let site_kind = DownloadKind::ALL.iter().map(|(_, k, _)| *k).find(|k| {
        k.host().is_some_and(|site| on_site(&host, site))
            || k.doi_prefix()
                .zip(doi.as_deref())
                .is_some_and(|(prefix, doi)| doi.starts_with(prefix))
    });
    let message = match (site_kind, kind.host()) {
        (Some(site_kind), _) if site_kind != kind => format!(
            "`kind` is `{}`, but `{host}` is {}: write `kind = \"{}\"`",
            kind.as_str(),
            site_kind.title(),
            site_kind.as_str()
        ),
        (None, Some(site)) if site_kind.is_none() => format!(
            "`kind` is `{}`, but the address is on `{host}`, not on {site}",
            kind.as_str()
        ),
        _ => return,
    };
    let d = Diagnostic::warning(
        Code::DownloadKindMismatch,
        ck.src,
        url.span.clone(),
        message,
    );
    ck.push(d.with_help(
        "give the kind of the place the address is on, or the address of the place the kind names (a Zenodo or figshare DOI counts as on its site)",
    ));
}

/// Whether a download's address may be used for its kind: http(s), or a scheme of its kind.
fn download_url_ok(url: &str, kind: Option<DownloadKind>) -> bool {
    crate::parse::is_http_url(url)
        || kind.is_some_and(|k| {
            k.other_schemes().iter().any(|scheme| {
                url.strip_prefix(scheme)
                    .is_some_and(|rest| !rest.is_empty() && !rest.contains(char::is_whitespace))
            })
        })
}

/// Two addresses of one place: equal but for the case of the scheme and host, and a final `/`.
pub(crate) fn same_url(a: &str, b: &str) -> bool {
    let key = |url: &str| {
        let url = url.trim().trim_end_matches('/');
        let path_at = url.find("://").map_or(0, |at| {
            url[at + 3..].find('/').map_or(url.len(), |p| at + 3 + p)
        });
        format!("{}{}", url[..path_at].to_ascii_lowercase(), &url[path_at..])
    };
    key(a) == key(b)
}

fn read_label_sets(ck: &mut FileChecker, f: &Fields) -> Vec<LabelSet> {
    let mut out: Vec<(LabelSet, Range<usize>)> = Vec::new();
    for (t, span) in f.tables(ck, "label_sets") {
        let l = ck.declared(t, span, &LABEL_SET, false);
        let name = l.string(ck, "name");
        let method = l.string(ck, "method");
        let readers = l.count(ck, "readers");
        let annotations = l.terms(ck, "annotations").unwrap_or_default();
        let how = l.string(ck, "how");
        if let Some(how) = &how {
            crate::parse::deep_string(ck, "how", how);
        }
        let Some(name) = name else { continue };
        let key = name.value.trim().to_lowercase();
        if let Some((_, first)) = out
            .iter()
            .find(|(s, _)| s.name.trim().to_lowercase() == key)
        {
            let line = ck.src.location(first.start).0;
            ck.error(
                Code::DuplicateItem,
                name.span.clone(),
                format!(
                    "label set `{}` is given twice (first at line {line})",
                    name.value
                ),
                "merge the two `[[label_sets]]` items, or name each set of labels by what it holds",
            );
            continue;
        }
        let set = LabelSet {
            name: name.value,
            method,
            readers,
            annotations,
            how: how.map(|h| h.value),
        };
        out.push((set, name.span));
    }
    out.into_iter().map(|(s, _)| s).collect()
}

/// The warning for `labeling`, the old free-text form, with the label set to write instead.
fn labeling_free_text(ck: &FileChecker, text: &Located<String>) -> Diagnostic {
    let how = toml_string(&text.value);
    Diagnostic::warning(
        Code::LabelingFreeText,
        ck.src,
        text.span.clone(),
        "`labeling` is the old free-text form of `[[label_sets]]`".into(),
    )
    .with_help(format!(
        "write it as a label set below the plain keys: `[[label_sets]]` with `name = \"Labels\"`, \
         `how = {how}`, and where the source states them `method` (a term of [label_methods]) and \
         `annotations` (terms of [annotation_types]); then remove the line `labeling = ...`"
    ))
}

/// A text as a TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_of_one_place_are_the_same() {
        for (a, b, same) in [
            ("https://a.org/x/", "https://a.org/x", true),
            ("HTTPS://A.ORG/x", "https://a.org/x", true),
            ("https://a.org/X", "https://a.org/x", false),
            ("s3://bucket", "s3://bucket/", true),
            ("https://a.org/x", "https://b.org/x", false),
        ] {
            assert_eq!(same_url(a, b), same, "{a} {b}");
        }
    }

    #[test]
    fn download_schemes_follow_the_kind() {
        for (url, kind, ok) in [
            ("https://a.org", Some(DownloadKind::Portal), true),
            ("s3://bucket/path", Some(DownloadKind::Bucket), true),
            ("gs://bucket", Some(DownloadKind::Bucket), true),
            ("s3://bucket", Some(DownloadKind::Portal), false),
            ("s3://", Some(DownloadKind::Bucket), false),
            ("magnet:?xt=urn:btih:abc", Some(DownloadKind::Torrent), true),
            ("ftp://a.org", Some(DownloadKind::Other), false),
            ("s3://bucket", None, false),
        ] {
            assert_eq!(download_url_ok(url, kind), ok, "{url}");
        }
    }

    #[test]
    fn hosts_are_read_without_www_port_or_user() {
        for (url, host) in [
            ("https://www.kaggle.com/c/x", Some("kaggle.com")),
            ("http://user@Zenodo.org:443/record/1", Some("zenodo.org")),
            ("https://a.org?x=1", Some("a.org")),
            ("s3://bucket", None),
        ] {
            assert_eq!(host_of(url).as_deref(), host, "{url}");
        }
        assert!(on_site("sub.figshare.com", "figshare.com"));
        assert!(!on_site("notfigshare.com", "figshare.com"));
    }

    #[test]
    fn old_text_becomes_a_toml_string() {
        assert_eq!(
            toml_string("NLP \"on\" reports"),
            "\"NLP \\\"on\\\" reports\""
        );
    }
}
