//! Licences: each entry's `license` against the ids of `content/licenses.toml`. An id that
//! names no licence is an error with the nearest id; free text (the old form) is accepted with
//! a `license-free-text` warning that shows the new form and the table to add. An entry's
//! access steps that contradict what its licence asks before download (`agreement`) are an
//! `access-contradiction` warning.

use crate::common::slug::{is_valid_slug, slugify};
use crate::common::source::Source;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{Agreement, Catalog, Dataset, Located, StepKind};
use crate::parse::fields::nearest;

/// An `access-contradiction` warning when an entry's access steps contradict what its licence
/// asks before download: a step where the licence asks nothing, or no step for the agreement
/// or registration it asks. An entry without steps says nothing, so contradicts nothing.
pub(super) fn steps_against(catalog: &Catalog, src: &Source, d: &Dataset) -> Option<Diagnostic> {
    let licence = catalog.license(d.license_value()?)?;
    let first = d.access_steps.first()?;
    let has = |kinds: &[StepKind]| d.access_steps.iter().any(|s| kinds.contains(&s.step));
    let id = &licence.id;
    let (at, message, help) = match licence.agreement {
        // In an `open` entry such a step is already reported against `access`.
        Agreement::None if d.access.value != "open" => {
            let step = d.access_steps.iter().find(|s| s.step.gates())?;
            (
                step.step_span.clone(),
                format!(
                    "the `{}` step contradicts the licence `{id}`, which asks nothing before download (`agreement = \"none\"`)",
                    step.step.as_str()
                ),
                "check the publisher's access page: remove the step, or correct the licence's `agreement` in content/licenses.toml",
            )
        }
        Agreement::Dua | Agreement::Credentialed if !has(&[StepKind::Agreement]) => (
            first.step_span.clone(),
            format!(
                "the licence `{id}` asks for a data use agreement, but no `agreement` step says where to sign it"
            ),
            "add an `[[access_steps]]` item with `step = \"agreement\"` and the agreement's `url`",
        ),
        Agreement::Registration
            if !has(&[StepKind::Account, StepKind::Agreement, StepKind::Request]) =>
        {
            (
                first.step_span.clone(),
                format!(
                    "the licence `{id}` asks for registration, but no `account` step says where to register"
                ),
                "add an `[[access_steps]]` item with `step = \"account\"` and the registration page's `url`",
            )
        }
        _ => return None,
    };
    Some(Diagnostic::warning(Code::AccessContradiction, src, at, message).with_help(help))
}

/// The problem of an entry's `license`, if any.
pub(super) fn problem(catalog: &Catalog, src: &Source, d: &Dataset) -> Option<Diagnostic> {
    let license = d.license.as_ref()?;
    if catalog.license(&license.value).is_some() {
        return None;
    }
    // A slug close to a defined id is a typo of it; any other value (a one-word licence of the
    // old free-text form, such as "custom", included) is accepted with a warning.
    let ids = catalog.licenses.iter().map(|l| l.id.as_str());
    Some(
        match nearest(&license.value, ids).filter(|_| is_valid_slug(&license.value)) {
            Some(near) => unknown_id(src, license, near),
            None => free_text(catalog, src, license),
        },
    )
}

fn unknown_id(src: &Source, license: &Located<String>, near: &str) -> Diagnostic {
    let id = &license.value;
    let help = format!("did you mean `{near}`?");
    Diagnostic::error(
        Code::UnknownLicense,
        src,
        license.span.clone(),
        format!("`license` names `{id}`, which is not a licence of content/licenses.toml"),
    )
    .with_help(help)
}

fn free_text(catalog: &Catalog, src: &Source, license: &Located<String>) -> Diagnostic {
    let text = license.value.trim();
    let known = catalog.licenses.iter().find(|l| {
        l.spdx
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case(text))
            || l.name.eq_ignore_ascii_case(text)
    });
    let help = match known {
        Some(l) => format!("name the licence by its id: `license = \"{}\"`", l.id),
        None if is_valid_slug(text) => format!(
            "if `{text}` is meant as a licence id, define it in content/licenses.toml: {}",
            table(text, None, "the licence's name")
        ),
        None => {
            let id = suggested_id(text);
            let spdx = looks_like_spdx(text).then_some(text);
            format!(
                "name the licence by an id, `license = \"{id}\"`, and define it in content/licenses.toml: {}",
                table(&id, spdx, text)
            )
        }
    };
    Diagnostic::warning(
        Code::LicenseFreeText,
        src,
        license.span.clone(),
        format!("`license` is free text (\"{text}\"), not a licence of content/licenses.toml"),
    )
    .with_help(help)
}

/// The table of a licence in content/licenses.toml, on one line.
fn table(id: &str, spdx: Option<&str>, name: &str) -> String {
    let spdx = spdx
        .map(|s| format!("spdx = \"{s}\", "))
        .unwrap_or_default();
    format!(
        "`[{id}]` with {spdx}`name = \"{name}\"`, `url = \"https://...\"` (the licence text), \
         `commercial`, `redistribution`, `derivatives`, `attribution` and `share_alike` (each \
         \"yes\", \"no\" or \"unclear\", as the licence text says) and `agreement` (\"none\", \
         \"registration\", \"dua\", \"credentialed\" or \"unclear\")"
    )
}

/// An SPDX-like identifier: one word of letters, digits, `-`, `.` and `+`.
fn looks_like_spdx(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '+'))
}

/// An id for a licence written as free text: its first words, as a slug.
fn suggested_id(text: &str) -> String {
    let slug = slugify(text);
    let words: Vec<&str> = slug.split('-').take(6).collect();
    words.join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_text_gets_an_id_and_spdx_where_it_is_one() {
        for (text, id, spdx) in [
            ("CC-BY-4.0", "cc-by-4-0", true),
            ("CC0-1.0", "cc0-1-0", true),
            (
                "PhysioNet credentialed data use agreement",
                "physionet-credentialed-data-use-agreement",
                false,
            ),
            (
                "Research and educational use only; other (including commercial) use",
                "research-and-educational-use-only-other",
                false,
            ),
        ] {
            assert_eq!(suggested_id(text), id, "{text}");
            assert_eq!(looks_like_spdx(text), spdx, "{text}");
        }
    }
}
