//! Licences as the pages show them: the licence's name linked to its text, and what it allows
//! in plain words ("Commercial use: yes"). An entry still naming its licence in free text (the
//! old form) shows that text.

use std::collections::HashMap;

use serde::Serialize;

use crate::model::{Agreement, Answer, Dataset, License};

/// An entry's licence on its page.
#[derive(Debug, Serialize, Clone)]
pub(crate) struct LicenseView {
    /// The licence's name, or the entry's free text.
    pub(crate) name: String,
    /// Where the licence text is.
    pub(crate) url: Option<String>,
    /// Its SPDX identifier.
    pub(crate) spdx: Option<String>,
    /// What it allows, in a fixed order; empty for free text.
    pub(crate) properties: Vec<Property>,
}

/// One property of a licence in words: "Commercial use" and "yes".
#[derive(Debug, Serialize, Clone)]
pub(crate) struct Property {
    pub(crate) what: &'static str,
    pub(crate) answer: &'static str,
}

fn answer(a: Answer) -> &'static str {
    match a {
        Answer::Yes => "yes",
        Answer::No => "no",
        Answer::Unclear => "unclear",
    }
}

fn agreement(a: Agreement) -> &'static str {
    match a {
        Agreement::None => "nothing",
        Agreement::Registration => "an account",
        Agreement::Dua => "a signed data use agreement",
        Agreement::Credentialed => "credentialed access and a signed agreement",
        Agreement::Unclear => "unclear",
    }
}

/// What a licence allows, in plain words.
pub(crate) fn properties(l: &License) -> Vec<Property> {
    [
        ("Commercial use", answer(l.commercial)),
        ("Redistribution", answer(l.redistribution)),
        ("Derivatives", answer(l.derivatives)),
        ("Attribution required", answer(l.attribution)),
        ("Share-alike", answer(l.share_alike)),
        ("Needed before download", agreement(l.agreement)),
    ]
    .into_iter()
    .map(|(what, answer)| Property { what, answer })
    .collect()
}

/// The licences of `content/licenses.toml`, by id.
pub(crate) type Licenses = HashMap<String, License>;

/// The licence of an entry, when it names one.
pub(crate) fn view(d: &Dataset, licenses: &Licenses) -> Option<LicenseView> {
    let value = d.license_value()?;
    Some(match licenses.get(value) {
        Some(l) => LicenseView {
            name: l.name.clone(),
            url: l.url.clone(),
            spdx: l.spdx.clone(),
            properties: properties(l),
        },
        None => LicenseView {
            name: value.to_string(),
            url: None,
            spdx: None,
            properties: Vec::new(),
        },
    })
}

/// The address of an entry's licence text, for schema.org and Croissant metadata: the `url` of
/// its licence in licenses.toml. None for the reserved ids (no licence known), a licence
/// without a published text, or a licence the entry names in free text (the old form).
pub(crate) fn url<'a>(d: &Dataset, licenses: &'a Licenses) -> Option<&'a str> {
    licenses.get(d.license_value()?)?.url.as_deref()
}

/// The licence in the comparison: its name and properties, e.g.
/// "CC BY 4.0 (commercial use: yes; redistribution: yes; ...)".
pub(crate) fn compare_text(d: &Dataset, licenses: &Licenses) -> String {
    let Some(view) = view(d, licenses) else {
        return String::new();
    };
    if view.properties.is_empty() {
        return view.name;
    }
    let words: Vec<String> = view
        .properties
        .iter()
        .map(|p| format!("{}: {}", p.what.to_lowercase(), p.answer))
        .collect();
    format!("{} ({})", view.name, words.join("; "))
}

/// The values of the "Commercial use" and "Redistribution" facets, in the order of
/// [`answer_facet`].
const ANSWERS: [(Answer, &str, &str); 3] = [
    (Answer::Yes, "yes", "Yes"),
    (Answer::No, "no", "No"),
    (Answer::Unclear, "unclear", "Unclear"),
];

/// The terms of a yes/no/unclear facet: (id, name).
pub(crate) fn answer_facet() -> Vec<(String, String)> {
    ANSWERS
        .iter()
        .map(|(_, id, name)| (id.to_string(), name.to_string()))
        .collect()
}

/// An entry's positions in the "Commercial use" and "Redistribution" facets: its licence's
/// answers, "unclear" for free text or no licence.
pub(crate) fn facet_values(d: &Dataset, licenses: &[License]) -> [usize; 2] {
    let license = d
        .license_value()
        .and_then(|id| licenses.iter().find(|l| l.id == id));
    let position = |a: Answer| ANSWERS.iter().position(|(x, _, _)| *x == a).unwrap_or(2);
    match license {
        Some(l) => [position(l.commercial), position(l.redistribution)],
        None => [2, 2],
    }
}
