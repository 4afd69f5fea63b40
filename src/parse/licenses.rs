//! Licences: `content/licenses.toml`, one table per licence id, with its name, its URL and
//! what it allows, each property "yes", "no" or "unclear" as its text says.

use toml::de::DeTable;

use crate::common::slug::is_valid_slug;
use crate::common::source::Source;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{Agreement, Answer, License};
use crate::parse::fields::{Fields, FileChecker, nearest};

/// The keys of a licence's table.
pub(crate) const KEYS: [&str; 9] = [
    "spdx",
    "name",
    "url",
    "commercial",
    "redistribution",
    "derivatives",
    "attribution",
    "share_alike",
    "agreement",
];

const ANSWERS: [(&str, Answer); 3] = [
    ("yes", Answer::Yes),
    ("no", Answer::No),
    ("unclear", Answer::Unclear),
];

const AGREEMENTS: [(&str, Agreement); 5] = [
    ("none", Agreement::None),
    ("registration", Agreement::Registration),
    ("dua", Agreement::Dua),
    ("credentialed", Agreement::Credentialed),
    ("unclear", Agreement::Unclear),
];

/// Parse `licenses.toml`.
pub(crate) fn parse_licenses(src: &Source) -> (Vec<License>, Vec<Diagnostic>) {
    let mut ck = FileChecker::new(src, 0);
    let mut licenses = Vec::new();
    if let Some(doc) = ck.parse(&src.text) {
        for (id, value) in doc.get_ref() {
            let name = id.get_ref().as_ref();
            let span = ck.file_span(id.span());
            if !is_valid_slug(name) {
                ck.error(
                    Code::BadTermId,
                    span,
                    format!("licence id `{}` is not a valid id", name.escape_debug()),
                    "use lowercase letters, digits and single hyphens, e.g. `cc-by-4-0`",
                );
                continue;
            }
            let Some(table) = value.get_ref().as_table() else {
                ck.error(
                    Code::WrongType,
                    ck.file_span(value.span()),
                    format!("licence `{name}` must be a table"),
                    &format!("write it as a table: [{name}] with name, url and its properties"),
                );
                continue;
            };
            licenses.extend(read_license(&mut ck, name, table, value.span()));
        }
    }
    (licenses, ck.diagnostics)
}

fn read_license(
    ck: &mut FileChecker,
    id: &str,
    table: &DeTable,
    span: std::ops::Range<usize>,
) -> Option<License> {
    let what = format!("licence `[{id}]`");
    let f = ck.fields(table, span, &what, &KEYS);
    let name = f.required_string(ck, "name");
    let url = f.string(ck, "url");
    crate::parse::url(ck, "url", url.as_ref());
    let answer = |ck: &mut FileChecker, key| choice(ck, &f, key, &ANSWERS);
    let commercial = answer(ck, "commercial");
    let redistribution = answer(ck, "redistribution");
    let derivatives = answer(ck, "derivatives");
    let attribution = answer(ck, "attribution");
    let share_alike = answer(ck, "share_alike");
    let agreement = choice(ck, &f, "agreement", &AGREEMENTS);
    Some(License {
        id: id.to_string(),
        spdx: f.string(ck, "spdx").map(|s| s.value),
        name: name?.value,
        url: url.map(|u| u.value),
        commercial: commercial?,
        redistribution: redistribution?,
        derivatives: derivatives?,
        attribution: attribution?,
        share_alike: share_alike?,
        agreement: agreement?,
    })
}

/// A required string that names one of `choices`; another value is reported with the nearest.
fn choice<T: Copy>(
    ck: &mut FileChecker,
    f: &Fields,
    key: &str,
    choices: &[(&'static str, T)],
) -> Option<T> {
    let value = f.required_string(ck, key)?;
    if let Some((_, v)) = choices.iter().find(|(name, _)| *name == value.value) {
        return Some(*v);
    }
    let names: Vec<&str> = choices.iter().map(|(name, _)| *name).collect();
    let help = match nearest(&value.value, names.iter().copied()) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!("write one of: {}", names.join(", ")),
    };
    ck.error(
        Code::UnknownTerm,
        value.span,
        format!(
            "`{key}` is \"{}\", which is not one of {}",
            value.value,
            names.join(", ")
        ),
        &help,
    );
    None
}
