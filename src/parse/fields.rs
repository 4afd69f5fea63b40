//! Reading typed fields out of a TOML table, reporting every problem with its location.
//!
//! Serde's `deny_unknown_fields` stops at the first problem of a file. A contributor should see
//! all of them at once, so tables are parsed into spanned values and read key by key here: an
//! unknown key names the nearest known one, a wrong type says which type was expected and how to
//! write it, a missing field points at the table that lacks it. An array longer than
//! [`MAX_ARRAY_ITEMS`] is an error, and its document is not read further.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::common::number::thousands;
use crate::common::source::Source;
use crate::diagnostics::{Code, Diagnostic, MAX_KEPT_PER_CODE};
use crate::format::{Field, Kind, Table};
use crate::model::{Decimal, Located};
use crate::parse::syntax::explain;

/// The most items one TOML array may hold.
pub(crate) const MAX_ARRAY_ITEMS: usize = 10_000;

/// Collects the diagnostics of one TOML document inside one file.
pub(crate) struct FileChecker<'s> {
    pub(crate) src: &'s Source,
    /// Byte offset of the TOML text within the file (after the opening `+++` of front matter).
    base: usize,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// For each code: how many diagnostics were found, and the index of the last one kept.
    kept: std::collections::HashMap<Code, (usize, usize)>,
    /// The document had syntax errors and was read as far as the parser recovered it.
    pub(crate) recovered: bool,
}

impl<'s> FileChecker<'s> {
    pub(crate) fn new(src: &'s Source, base: usize) -> Self {
        FileChecker {
            src,
            base,
            diagnostics: Vec::new(),
            kept: std::collections::HashMap::new(),
            recovered: false,
        }
    }

    /// A span of the TOML text as a span of the whole file.
    pub(crate) fn file_span(&self, span: Range<usize>) -> Range<usize> {
        span.start + self.base..span.end + self.base
    }

    pub(crate) fn error(&mut self, code: Code, span: Range<usize>, message: String, help: &str) {
        let mut d = Diagnostic::error(code, self.src, span, message);
        if !help.is_empty() {
            d = d.with_help(help);
        }
        self.push(d);
    }

    /// Keep a diagnostic, or only count it once [`MAX_KEPT_PER_CODE`] of its code are kept.
    pub(crate) fn push(&mut self, d: Diagnostic) {
        let (found, last) = self.kept.entry(d.code).or_insert((0, 0));
        *found += 1;
        if *found > MAX_KEPT_PER_CODE {
            self.diagnostics[*last].more += 1;
        } else {
            *last = self.diagnostics.len();
            self.diagnostics.push(d);
        }
    }

    /// Parse TOML text; every syntax error is reported, and `None` returned when there was one.
    pub(crate) fn parse<'i>(&mut self, text: &'i str) -> Option<Spanned<DeTable<'i>>> {
        let table = self.parse_recovering(text)?;
        (!self.recovered).then_some(table)
    }

    /// Parse TOML text like [`FileChecker::parse`], but return what the parser recovered of a
    /// document with syntax errors too, so that the rest of the file is still checked; then
    /// `recovered` is set and missing fields are not reported (they may be on a broken line).
    pub(crate) fn parse_recovering<'i>(&mut self, text: &'i str) -> Option<Spanned<DeTable<'i>>> {
        let (mut table, errors) = DeTable::parse_recoverable(text);
        for error in &errors {
            let at = error.span().unwrap_or(0..0);
            let line_of = |offset: usize| self.src.location(offset + self.base).0;
            let (message, help) = explain(text, &at, error.message().trim_end(), line_of);
            let span = self.file_span(at);
            self.error(Code::InvalidToml, span, message, &help);
        }
        if self.long_arrays(table.get_ref()) {
            return None;
        }
        self.recovered = !errors.is_empty();
        if self.recovered {
            let broken: Vec<Range<usize>> = errors
                .iter()
                .filter_map(toml::de::Error::span)
                .map(|span| whole_lines(text, &span))
                .collect();
            drop_broken(table.get_mut(), &broken);
        }
        Some(table)
    }

    /// Report every array of the document longer than [`MAX_ARRAY_ITEMS`]; returns whether
    /// there was one.
    fn long_arrays(&mut self, table: &DeTable<'_>) -> bool {
        let mut found = false;
        let mut pending: Vec<&Spanned<DeValue>> = table.values().collect();
        while let Some(value) = pending.pop() {
            match value.get_ref() {
                DeValue::Array(items) => {
                    if items.len() > MAX_ARRAY_ITEMS {
                        found = true;
                        let span = self.file_span(value.span());
                        self.error(
                            Code::ArrayTooLong,
                            span.start..span.start + 1,
                            format!(
                                "this array holds {} items, more than {}",
                                thousands(items.len() as u64),
                                thousands(MAX_ARRAY_ITEMS as u64)
                            ),
                            "an entry describes a dataset, it does not list its contents: link to a file on the dataset's site instead",
                        );
                    }
                    pending.extend(items.iter());
                }
                DeValue::Table(t) => pending.extend(t.values()),
                _ => {}
            }
        }
        found
    }

    /// Read a table whose keys must all be in `known`; unknown keys are reported now.
    /// `what` names the table in messages, e.g. "a dataset entry" or "`[[papers]]`".
    pub(crate) fn fields<'t, 'i>(
        &mut self,
        table: &'t DeTable<'i>,
        span: Range<usize>,
        what: &str,
        known: &[&'static str],
    ) -> Fields<'t, 'i> {
        let mut typos = Vec::new();
        for key in table.keys() {
            if !known.contains(&key.get_ref().as_ref()) {
                typos.extend(self.unknown_key(key, what, known));
            }
        }
        Fields {
            table,
            span: self.file_span(span),
            what: what.to_string(),
            typos,
            declared: &[],
        }
    }

    /// Read a table of the entry format: its keys, its name in messages and which fields are
    /// required come from the declaration. `in_toml_entry` admits the keys only a pure TOML
    /// entry may hold.
    pub(crate) fn declared<'t, 'i>(
        &mut self,
        table: &'t DeTable<'i>,
        span: Range<usize>,
        declaration: &'static Table,
        in_toml_entry: bool,
    ) -> Fields<'t, 'i> {
        let known = declaration.keys(in_toml_entry);
        let mut fields = self.fields(table, span, declaration.what, &known);
        fields.declared = declaration.fields;
        fields
    }

    /// Report an unknown key; returns the known key it is probably a typo of.
    fn unknown_key<'k>(
        &mut self,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        what: &str,
        known: &[&'k str],
    ) -> Option<&'k str> {
        let name = key.get_ref().as_ref();
        let span = self.file_span(key.span());
        let moved = crate::parse::moved::help(what, name, None);
        let near = nearest(name, known.iter().copied()).filter(|_| moved.is_none());
        let below = || crate::parse::moved::below(what, name);
        let help = match (moved, near) {
            (Some(moved), _) => moved,
            (None, Some(near)) => format!("did you mean `{near}`?"),
            (None, None) => {
                below().unwrap_or_else(|| format!("the keys of {what} are: {}", known.join(", ")))
            }
        };
        self.error(
            Code::UnknownKey,
            span,
            format!("unknown key `{name}` in {what}"),
            &help,
        );
        near
    }
}

/// The lines of `text` that `span` touches, as one byte range.
fn whole_lines(text: &str, span: &Range<usize>) -> Range<usize> {
    let start = text[..span.start.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let end = span.end.clamp(start, text.len());
    let end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    start..end
}

/// Remove from a recovered document every value written on a line with a syntax error: what
/// the parser made of it is not what the author meant, and checking it would only add noise.
fn drop_broken(table: &mut DeTable<'_>, broken: &[Range<usize>]) {
    let touches = |span: Range<usize>| {
        broken
            .iter()
            .any(|b| span.start <= b.end && b.start <= span.end)
    };
    let keys: Vec<(String, Range<usize>)> = table
        .iter()
        .map(|(key, value)| {
            let span = key.span().start.min(value.span().start)..value.span().end;
            (key.get_ref().to_string(), span)
        })
        .collect();
    for (key, span) in keys {
        let Some(value) = table.get_mut(key.as_str()) else {
            continue;
        };
        match value.get_mut() {
            DeValue::Table(inner) => drop_broken(inner, broken),
            DeValue::Array(items) if items.iter().any(|i| i.get_ref().as_table().is_some()) => {
                for item in items.iter_mut() {
                    if let DeValue::Table(inner) = item.get_mut() {
                        drop_broken(inner, broken);
                    }
                }
            }
            _ if touches(span) => {
                table.remove(key.as_str());
            }
            _ => {}
        }
    }
}

/// Words longer than this (in bytes) get no "did you mean": no key, slug or term is that long.
const MAX_TYPO_BYTES: usize = 256;

/// The nearest candidate to a misspelt word, if one is close enough to be a likely typo.
/// A candidate more than three times longer or shorter is not compared: the cost of a lookup
/// stays bounded by the candidates' lengths, whatever the length of the word.
pub(crate) fn nearest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    if word.len() > MAX_TYPO_BYTES {
        return None;
    }
    let lower = word.to_lowercase();
    let comparable = |c: &&str| c.len() <= 3 * lower.len() + 3 && lower.len() <= 3 * c.len() + 3;
    candidates
        .into_iter()
        .filter(comparable)
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// The keys of one table, read one typed field at a time.
pub(crate) struct Fields<'t, 'i> {
    table: &'t DeTable<'i>,
    /// The table's span in the file: where a missing field is reported.
    pub(crate) span: Range<usize>,
    what: String,
    /// Known keys that an unknown key of this table is a likely typo of: their absence is
    /// already explained by the "did you mean" error, so it is not reported again.
    typos: Vec<&'static str>,
    /// The declared fields of a table of the entry format; empty for other files' tables.
    declared: &'static [Field],
}

/// How messages name the type of a size.
pub(crate) const SIZE_TYPE: &str = "a count, a bound or \"not stated\"";

/// How messages name the type of a list of numbers.
pub(crate) const NUMBERS_TYPE: &str = "an array of numbers";
/// How messages name the type of a date.
pub(crate) const DATE_TYPE: &str = "a date";

/// How a value of each expected type is written, for "wrong type" help.
fn example(key: &str, expected: &str) -> String {
    match expected {
        "a string" => format!("write it in quotes: {key} = \"...\""),
        "an integer" | "a non-negative integer" => format!("write a whole number: {key} = 123"),
        "a boolean" => format!("write {key} = true or {key} = false"),
        "an array of strings" => format!("write a list in brackets: {key} = [\"a\", \"b\"]"),
        "an array of non-negative integers" => {
            format!("write a list of whole numbers: {key} = [1, 2, 3]")
        }
        "a table" => format!("write it as a table: [{key}]"),
        NUMBERS_TYPE => format!("write a list of numbers, decimals allowed: {key} = [45.2, 46]"),
        DATE_TYPE => format!(
            "write a TOML date without quotes, {key} = 2019-09-19, or {key} = \"2019-09\" or {key} = \"2019\" when the source gives only the month or the year"
        ),
        SIZE_TYPE => format!(
            "write the number as published: {key} = 123, a bound {key} = {{ at_least = 123 }} or {key} = {{ at_most = 123 }}, or {key} = \"not stated\" when the source gives none"
        ),
        _ => format!("write it as an array of tables: [[{key}]]"),
    }
}

fn article_type(value: &DeValue<'_>) -> String {
    let name = value.type_str();
    let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {name}")
}

impl<'t, 'i> Fields<'t, 'i> {
    /// How messages name the table, e.g. "a dataset entry".
    pub(crate) fn what(&self) -> &str {
        &self.what
    }

    fn get(&self, key: &str) -> Option<&'t Spanned<DeValue<'i>>> {
        self.table.get(key)
    }

    fn declaration(&self, key: &str) -> Option<&'static Field> {
        self.declared.iter().find(|f| f.key == key)
    }

    fn declared_required(&self, key: &str) -> bool {
        self.declaration(key).is_some_and(|f| f.required)
    }

    /// The value of a key; a declared required key that is absent is reported missing.
    pub(crate) fn present(
        &self,
        ck: &mut FileChecker,
        key: &str,
    ) -> Option<&'t Spanned<DeValue<'i>>> {
        debug_assert!(
            self.declared.is_empty() || self.declaration(key).is_some(),
            "`{key}` of {} is read but not declared in crate::format",
            self.what
        );
        let value = self.get(key);
        if value.is_none() && self.declared_required(key) {
            self.missing(ck, key, &format!("add a line `{key} = ...`"));
        }
        value
    }

    pub(crate) fn wrong_type(
        &self,
        ck: &mut FileChecker,
        key: &str,
        value: &Spanned<DeValue>,
        expected: &str,
    ) {
        let span = ck.file_span(value.span());
        let help = crate::parse::moved::help(&self.what, key, Some(value.get_ref()))
            .unwrap_or_else(|| example(key, expected));
        ck.error(
            Code::WrongType,
            span,
            format!(
                "`{key}` in {} must be {expected}, found {}",
                self.what,
                article_type(value.get_ref())
            ),
            &help,
        );
    }

    /// Report a missing required field at the table.
    pub(crate) fn missing(&self, ck: &mut FileChecker, key: &str, help: &str) {
        if self.typos.contains(&key) || ck.recovered {
            return;
        }
        ck.error(
            Code::MissingField,
            self.span.start..self.span.start,
            format!("missing required field `{key}` in {}", self.what),
            help,
        );
    }

    pub(crate) fn required<T>(
        &self,
        ck: &mut FileChecker,
        key: &str,
        value: Option<T>,
    ) -> Option<T> {
        if value.is_none() && self.get(key).is_none() && !self.declared_required(key) {
            self.missing(ck, key, &format!("add a line `{key} = ...`"));
        }
        value
    }

    pub(crate) fn string(&self, ck: &mut FileChecker, key: &str) -> Option<Located<String>> {
        let value = self.present(ck, key)?;
        match value.get_ref().as_str() {
            Some(s) => Some(Located::new(s.to_string(), ck.file_span(value.span()))),
            None => {
                self.wrong_type(ck, key, value, "a string");
                None
            }
        }
    }

    pub(crate) fn required_string(
        &self,
        ck: &mut FileChecker,
        key: &str,
    ) -> Option<Located<String>> {
        let value = self.string(ck, key);
        self.required(ck, key, value)
    }

    pub(crate) fn strings(
        &self,
        ck: &mut FileChecker,
        key: &str,
    ) -> Option<Located<Vec<Located<String>>>> {
        let value = self.present(ck, key)?;
        let Some(array) = value.get_ref().as_array() else {
            self.wrong_type(ck, key, value, "an array of strings");
            return None;
        };
        let mut items = Vec::new();
        for item in array {
            match item.get_ref().as_str() {
                Some(s) => items.push(Located::new(s.to_string(), ck.file_span(item.span()))),
                None => {
                    self.wrong_type(ck, key, item, "an array of strings");
                    return None;
                }
            }
        }
        Some(Located::new(items, ck.file_span(value.span())))
    }

    /// A list of vocabulary terms (a field declared [`Kind::Terms`]): reported when empty.
    pub(crate) fn terms(&self, ck: &mut FileChecker, key: &str) -> Option<Vec<Located<String>>> {
        let value = self.strings(ck, key)?;
        let must_name_one = self
            .declaration(key)
            .is_some_and(|f| matches!(f.kind, Kind::Terms(_)));
        if must_name_one && value.value.is_empty() {
            ck.error(
                Code::MissingField,
                value.span.clone(),
                format!("`{key}` in {} must name at least one term", self.what),
                &format!("add a term: {key} = [\"...\"]"),
            );
            return None;
        }
        Some(value.value)
    }

    pub(crate) fn plain_strings(&self, ck: &mut FileChecker, key: &str) -> Vec<String> {
        self.strings(ck, key)
            .map(|list| list.value.into_iter().map(|s| s.value).collect())
            .unwrap_or_default()
    }

    pub(crate) fn boolean(&self, ck: &mut FileChecker, key: &str) -> Option<bool> {
        let value = self.present(ck, key)?;
        match value.get_ref().as_bool() {
            Some(b) => Some(b),
            None => {
                self.wrong_type(ck, key, value, "a boolean");
                None
            }
        }
    }

    pub(crate) fn integer(&self, ck: &mut FileChecker, key: &str) -> Option<i64> {
        let value = self.present(ck, key)?;
        match as_i64(value.get_ref()) {
            Some(n) => Some(n),
            None if value.get_ref().as_integer().is_some() => {
                let negative = value
                    .get_ref()
                    .as_integer()
                    .is_some_and(|i| i.as_str().starts_with('-'));
                if negative {
                    too_small(ck, key, value, &self.what);
                } else {
                    too_large(ck, key, value, &self.what, i64::MAX.unsigned_abs());
                }
                None
            }
            None => {
                self.wrong_type(ck, key, value, "an integer");
                None
            }
        }
    }

    /// A count: an integer that must not be negative.
    pub(crate) fn count(&self, ck: &mut FileChecker, key: &str) -> Option<Located<u64>> {
        let value = self.present(ck, key)?;
        count_of(ck, key, value, &self.what)
    }

    /// A list of counts, e.g. one per split.
    pub(crate) fn counts(&self, ck: &mut FileChecker, key: &str) -> Option<Located<Vec<u64>>> {
        let value = self.present(ck, key)?;
        counts_of(ck, key, value, &self.what)
    }

    /// A list of numbers, integers or decimals (a field declared [`Kind::Numbers`]), each with
    /// its place; a non-finite number (`nan`, `inf`) is reported as the wrong type.
    pub(crate) fn numbers(
        &self,
        ck: &mut FileChecker,
        key: &str,
    ) -> Option<Located<Vec<Located<Decimal>>>> {
        let value = self.present(ck, key)?;
        let Some(array) = value.get_ref().as_array() else {
            self.wrong_type(ck, key, value, NUMBERS_TYPE);
            return None;
        };
        let mut numbers = Vec::with_capacity(array.len());
        for item in array {
            let number = match item.get_ref() {
                DeValue::Integer(_) => as_i64(item.get_ref()).map(|n| n as f64),
                DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
                _ => None,
            };
            match number.filter(|n| n.is_finite()) {
                Some(value) => {
                    let span = ck.file_span(item.span());
                    let text = ck.src.text.get(span.clone()).unwrap_or_default();
                    let text = text.replace('_', "").trim_start_matches('+').to_string();
                    numbers.push(Located::new(Decimal { value, text }, span));
                }
                None => {
                    self.wrong_type(ck, key, item, NUMBERS_TYPE);
                    return None;
                }
            }
        }
        Some(Located::new(numbers, ck.file_span(value.span())))
    }

    /// An inline or standard sub-table.
    pub(crate) fn table(
        &self,
        ck: &mut FileChecker,
        key: &str,
    ) -> Option<(&'t DeTable<'i>, Range<usize>)> {
        let value = self.present(ck, key)?;
        match value.get_ref().as_table() {
            Some(t) => Some((t, value.span())),
            None => {
                self.wrong_type(ck, key, value, "a table");
                None
            }
        }
    }

    /// An array of tables (`[[key]]`), each with its span.
    pub(crate) fn tables(
        &self,
        ck: &mut FileChecker,
        key: &str,
    ) -> Vec<(&'t DeTable<'i>, Range<usize>)> {
        let Some(value) = self.present(ck, key) else {
            return Vec::new();
        };
        let expected = "an array of tables";
        let Some(array) = value.get_ref().as_array() else {
            self.wrong_type(ck, key, value, expected);
            return Vec::new();
        };
        let mut tables = Vec::new();
        for item in array {
            match item.get_ref().as_table() {
                Some(t) => tables.push((t, item.span())),
                None => self.wrong_type(ck, key, item, expected),
            }
        }
        tables
    }
}

/// An integer value as an `i64`, when it is one that fits.
pub(crate) fn as_i64(value: &DeValue<'_>) -> Option<i64> {
    let integer = value.as_integer()?;
    i64::from_str_radix(integer.as_str(), integer.radix()).ok()
}

fn as_u64(value: &DeValue<'_>) -> Option<u64> {
    let integer = value.as_integer()?;
    u64::from_str_radix(integer.as_str(), integer.radix()).ok()
}

/// Report an integer too large for its field, which holds at most `max`.
fn too_large(ck: &mut FileChecker, key: &str, value: &Spanned<DeValue>, what: &str, max: u64) {
    let span = ck.file_span(value.span());
    ck.error(
        Code::NumberTooLarge,
        span,
        format!(
            "`{key}` in {what} is too large: it can hold at most {}",
            thousands(max)
        ),
        "check the number against the source: a digit may be repeated or a separator missing",
    );
}

/// Report a negative integer below what its field can hold.
fn too_small(ck: &mut FileChecker, key: &str, value: &Spanned<DeValue>, what: &str) {
    let span = ck.file_span(value.span());
    ck.error(
        Code::NumberTooLarge,
        span,
        format!(
            "`{key}` in {what} is too far below zero: the smallest it can hold is -{}",
            thousands(i64::MIN.unsigned_abs())
        ),
        "check the number against the source: a minus sign or a digit may be wrong",
    );
}

fn negative(ck: &mut FileChecker, key: &str, span: Range<usize>, n: &str, what: &str) {
    ck.error(
        Code::NegativeCount,
        span,
        format!("`{key}` in {what} has a negative count ({n})"),
        "counts cannot be negative: write the number as published, or leave the field out if unknown",
    );
}

/// Read one non-negative integer.
pub(crate) fn count_of(
    ck: &mut FileChecker,
    key: &str,
    value: &Spanned<DeValue>,
    what: &str,
) -> Option<Located<u64>> {
    let span = ck.file_span(value.span());
    match as_i64(value.get_ref()) {
        Some(n) if n < 0 => {
            negative(ck, key, span, &n.to_string(), what);
            None
        }
        Some(n) => Some(Located::new(n.unsigned_abs(), span)),
        None if as_u64(value.get_ref()).is_some() => {
            as_u64(value.get_ref()).map(|n| Located::new(n, span))
        }
        None if value
            .get_ref()
            .as_integer()
            .is_some_and(|i| i.as_str().starts_with('-')) =>
        {
            let literal = ck
                .src
                .text
                .get(span.clone())
                .unwrap_or_default()
                .to_string();
            negative(ck, key, span, &literal, what);
            None
        }
        None if value.get_ref().as_integer().is_some() => {
            too_large(ck, key, value, what, u64::MAX);
            None
        }
        None => {
            let expected = "a non-negative integer";
            ck.error(
                Code::WrongType,
                span,
                format!(
                    "`{key}` in {what} must be {expected}, found {}",
                    article_type(value.get_ref())
                ),
                &example(key, expected),
            );
            None
        }
    }
}

/// Read an array of non-negative integers; every bad item is reported.
pub(crate) fn counts_of(
    ck: &mut FileChecker,
    key: &str,
    value: &Spanned<DeValue>,
    what: &str,
) -> Option<Located<Vec<u64>>> {
    let expected = "an array of non-negative integers";
    let span = ck.file_span(value.span());
    let Some(array) = value.get_ref().as_array() else {
        let help = crate::parse::moved::help(what, key, Some(value.get_ref()))
            .unwrap_or_else(|| example(key, expected));
        ck.error(
            Code::WrongType,
            span,
            format!(
                "`{key}` in {what} must be {expected}, found {}",
                article_type(value.get_ref())
            ),
            &help,
        );
        return None;
    };
    let mut counts = Vec::with_capacity(array.len());
    let mut ok = true;
    for item in array {
        match count_of(ck, key, item, what) {
            Some(n) => counts.push(n.value),
            None => ok = false,
        }
    }
    ok.then(|| Located::new(counts, span))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_finds_typos_only() {
        let keys = ["modalities", "body_regions", "tasks", "name"];
        assert_eq!(nearest("modalites", keys), Some("modalities"));
        assert_eq!(nearest("body_region", keys), Some("body_regions"));
        assert_eq!(nearest("zzzz", keys), None);
        assert_eq!(nearest(&"modalities".repeat(100), keys), None);
        assert_eq!(nearest("m", ["modalities"]), None);
    }

    /// How a row reads its table: one typed accessor of [`Fields`], on the key `images`.
    type Read = fn(&Fields, &mut FileChecker);

    const STRING: Read = |f, ck| {
        let _ = f.required_string(ck, "images");
    };
    const STRINGS: Read = |f, ck| {
        let _ = f.strings(ck, "images");
    };
    const BOOLEAN: Read = |f, ck| {
        let _ = f.boolean(ck, "images");
    };
    const INTEGER: Read = |f, ck| {
        let _ = f.integer(ck, "images");
    };
    const COUNT: Read = |f, ck| {
        let _ = f.count(ck, "images");
    };
    const COUNTS: Read = |f, ck| {
        let _ = f.counts(ck, "images");
    };
    const TABLE: Read = |f, ck| {
        let _ = f.table(ck, "images");
    };
    const TABLES: Read = |f, ck| {
        let _ = f.tables(ck, "images");
    };

    /// (TOML text, read, code, line, column, part of the message or help). The text is read as
    /// front matter: after a `+++` line, so that line 1 of the TOML is line 2 of the file.
    #[rustfmt::skip]
    const ROWS: &[(&str, Read, Code, usize, usize, &str)] = &[
        ("images = 1", STRING, Code::WrongType, 2, 10,
         "`images` in a test table must be a string, found an integer write it in quotes: images = \"...\""),
        ("images = \"1\"", INTEGER, Code::WrongType, 2, 10, "must be an integer, found a string write a whole number"),
        ("images = \"yes\"", BOOLEAN, Code::WrongType, 2, 10, "must be a boolean, found a string write images = true or"),
        ("images = [\"a\", 2]", STRINGS, Code::WrongType, 2, 16, "must be an array of strings, found an integer"),
        ("images = \"a\"", STRINGS, Code::WrongType, 2, 10, "write a list in brackets: images = [\"a\", \"b\"]"),
        ("images = 1.5", COUNT, Code::WrongType, 2, 10, "must be a non-negative integer, found a float"),
        ("images = -3", COUNT, Code::NegativeCount, 2, 10, "`images` in a test table has a negative count (-3)"),
        ("images = [1, -2, 3]", COUNTS, Code::NegativeCount, 2, 14, "negative count (-2)"),
        ("images = [1, true]", COUNTS, Code::WrongType, 2, 14, "found a boolean"),
        ("images = 3", COUNTS, Code::WrongType, 2, 10, "must be an array of non-negative integers, found an integer"),
        ("images = 1", TABLE, Code::WrongType, 2, 10, "must be a table, found an integer write it as a table: [images]"),
        ("images = [1]", TABLES, Code::WrongType, 2, 11, "must be an array of tables, found an integer write it as an array of tables: [[images]]"),
        ("imagse = 1", COUNT, Code::UnknownKey, 2, 1, "unknown key `imagse` in a test table did you mean `images`?"),
        ("zzz = 1", COUNT, Code::UnknownKey, 2, 1, "the keys of a test table are: images, splits"),
        ("splits = 1", STRING, Code::MissingField, 2, 1, "missing required field `images` in a test table"),
        ("imagse = \"x\"", STRING, Code::UnknownKey, 2, 1, "did you mean `images`?"),
        ("images = \"x", STRING, Code::InvalidToml, 2, 12, "invalid TOML: "),
        ("images = [1, 2\n", STRING, Code::InvalidToml, 2, 15, "invalid TOML: "),
    ];

    /// The diagnostics of reading `toml` (after a `+++` line) with `read`.
    fn diagnostics_of(toml: &str, read: Read) -> Vec<Diagnostic> {
        let src = Source::new("content/datasets/x.md", format!("+++\n{toml}\n+++\n"));
        let mut ck = FileChecker::new(&src, 4);
        if let Some(doc) = ck.parse(&src.text[4..4 + toml.len()]) {
            let f = ck.fields(doc.get_ref(), 0..0, "a test table", &["images", "splits"]);
            read(&f, &mut ck);
        }
        ck.diagnostics
    }

    /// Each row gives exactly one diagnostic (a missing field that an unknown key is a typo
    /// of is not reported again), at its place in the file.
    #[test]
    fn each_wrong_field_reports_one_located_diagnostic() {
        for &(toml, read, code, line, column, part) in ROWS {
            let found = diagnostics_of(toml, read);
            let shown: Vec<String> = found.iter().map(Diagnostic::headline).collect();
            assert_eq!(found.len(), 1, "{toml}: {shown:#?}");
            let d = &found[0];
            let said = format!("{} {}", d.message, d.help.as_deref().unwrap_or_default());
            assert_eq!(
                (d.code, d.line, d.column),
                (code, line, column),
                "{toml}: {said}"
            );
            assert!(said.contains(part), "{toml}: `{part}` not in {said}");
        }
    }

    /// An array longer than the limit is one error at its `[`, and the document is not read.
    #[test]
    fn a_long_array_stops_the_document() {
        let items = vec!["1"; MAX_ARRAY_ITEMS + 1].join(",");
        let found = diagnostics_of(&format!("splits = 2\nimages = [{items}]"), COUNTS);
        let said: Vec<(Code, usize, usize)> =
            found.iter().map(|d| (d.code, d.line, d.column)).collect();
        assert_eq!(said, [(Code::ArrayTooLong, 3, 10)]);
        assert!(
            found[0]
                .message
                .contains("holds 10,001 items, more than 10,000"),
            "{}",
            found[0].message
        );
        assert!(
            diagnostics_of(
                &format!("images = [{}]", vec!["1"; MAX_ARRAY_ITEMS].join(",")),
                COUNTS
            )
            .is_empty()
        );
    }
}
