//! `labels.toml`: the canonical findings, each a name with its synonyms and the labels it
//! overlaps. Two findings may not claim one spelling (`duplicate-finding`: a label would meet
//! only the first), nor two spellings that make one id (`label-id-collision`: the label facet,
//! the label matrix and the URL would take them for one).

use std::collections::HashMap;

use crate::common::label::normalize;
use crate::common::slug::label_id;
use crate::common::source::Source;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{Finding, Located};
use crate::parse::fields::FileChecker;

/// Parse `labels.toml`, the canonical findings.
pub(crate) fn parse_findings(src: &Source) -> (Vec<Finding>, Vec<Diagnostic>) {
    let mut ck = FileChecker::new(src, 0);
    let mut findings = Vec::new();
    let mut spellings = Spellings::default();
    if let Some(doc) = ck.parse(&src.text) {
        let f = ck.fields(doc.get_ref(), 0..0, "labels.toml", &["findings"]);
        for (table, span) in f.tables(&mut ck, "findings") {
            let item = ck.fields(
                table,
                span,
                "`[[findings]]`",
                &["name", "synonyms", "related"],
            );
            let name = item.required_string(&mut ck, "name");
            let synonyms = item
                .strings(&mut ck, "synonyms")
                .map(|list| list.value)
                .unwrap_or_default();
            let related = item.plain_strings(&mut ck, "related");
            if let Some(name) = name {
                spellings.add(&mut ck, findings.len(), &name, &synonyms);
                findings.push(Finding {
                    name: name.value,
                    synonyms: synonyms.into_iter().map(|s| s.value).collect(),
                    related,
                });
            }
        }
    }
    (findings, ck.diagnostics)
}

/// The spellings and ids claimed so far, each with the finding (its index and name) that
/// claimed it first.
#[derive(Default)]
struct Spellings {
    normal: HashMap<String, (usize, String)>,
    ids: HashMap<String, (usize, String)>,
}

impl Spellings {
    /// Claim the name and synonyms of finding `index`, reporting each one another finding has.
    fn add(
        &mut self,
        ck: &mut FileChecker,
        index: usize,
        name: &Located<String>,
        synonyms: &[Located<String>],
    ) {
        let own_id = label_id(&name.value);
        match self.ids.get(&own_id) {
            Some((other, first)) if *other != index => ck.error(
                Code::LabelIdCollision,
                name.span.clone(),
                format!(
                    "finding `{}` would have the id `{own_id}` of the finding `{first}`: the label \
                     facet, the label matrix and their links would take the two for one",
                    name.value
                ),
                "rename one so that their letters and digits differ, or make one a synonym of the other",
            ),
            _ => {
                self.ids.insert(own_id, (index, name.value.clone()));
            }
        }
        for spelling in std::iter::once(name).chain(synonyms) {
            let key = normalize(&spelling.value);
            match self.normal.get(&key) {
                Some((other, first)) if *other != index => ck.error(
                    Code::DuplicateFinding,
                    spelling.span.clone(),
                    format!(
                        "`{}` is already a name or synonym of the finding `{first}`: a label \
                         spelled so would meet only that one",
                        spelling.value
                    ),
                    "keep the spelling in one finding; to say that two findings overlap, list one in the other's `related`",
                ),
                Some(_) => {}
                None => {
                    self.normal.insert(key, (index, name.value.clone()));
                }
            }
        }
    }
}
