//! The JSON Schema of an entry's front matter, for editors.
//!
//! Taplo (the engine of VS Code's "Even Better TOML") validates and completes a TOML file
//! against a JSON Schema named in a `#:schema` comment. The schema is produced from the
//! declaration of the format in [`crate::format`]; each field's help becomes the description an
//! editor shows. The catalog's own vocabulary is added as `enum`s, so an editor offers the
//! allowed modalities, body regions, tasks and access levels.

use serde_json::{Map, Value, json};

use crate::format::{ENTRY, Field, Kind, NUMBER_KEYS, Table, entry_tables};
use crate::model::{Unit, Vocabulary};

const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";
const ID: &str = "https://medatlas.invalid/schema/entry.json";

/// The schema, with the vocabulary's terms as the allowed values of the facet fields.
pub(crate) fn entry_schema(vocabulary: &Vocabulary) -> Value {
    let mut schema = table_schema(&ENTRY, vocabulary);
    let units: Vec<&str> = Unit::ALL.iter().map(|(name, _)| *name).collect();
    let mut defs = json!({
        "ReleaseDate": date_schema(),
        "Size": size_schema(),
        "Unit": { "enum": units, "type": "string" },
    });
    for (_, table) in entry_tables() {
        defs[table.schema_name] = table_schema(table, vocabulary);
    }
    schema["$defs"] = defs;
    schema["$id"] = ID.into();
    schema["$schema"] = DIALECT.into();
    schema["title"] = ENTRY.schema_name.into();
    schema
}

/// The schema of one table of the format: a closed object of its declared fields.
fn table_schema(table: &Table, vocabulary: &Vocabulary) -> Value {
    let properties: Map<String, Value> = table
        .fields
        .iter()
        .map(|f| (f.key.to_string(), field_schema(table, f, vocabulary)))
        .collect();
    let required: Vec<&str> = table
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.key)
        .collect();
    json!({
        "additionalProperties": false,
        "description": table.description,
        "properties": properties,
        "required": required,
        "type": "object",
    })
}

fn field_schema(table: &Table, field: &Field, vocabulary: &Vocabulary) -> Value {
    let mut schema = kind_schema(field.kind, vocabulary);
    if let Some(max) = field.max_chars {
        schema["maxLength"] = max.into();
    }
    if !field.required {
        schema = nullable(schema);
    }
    if table.schema_describes_fields {
        schema["description"] = field.help.into();
    }
    schema
}

/// The schema of a present value of a field.
fn kind_schema(kind: Kind, vocabulary: &Vocabulary) -> Value {
    let count = || json!({ "format": "uint64", "minimum": 0, "type": "integer" });
    let terms = |facet| -> Vec<&str> {
        vocabulary
            .facet(facet)
            .iter()
            .map(|t| t.id.as_str())
            .collect()
    };
    match kind {
        Kind::Text => json!({ "type": "string" }),
        Kind::Url => json!({ "format": "uri", "type": "string" }),
        Kind::Texts => json!({ "items": { "type": "string" }, "type": "array" }),
        Kind::Integer => json!({ "format": "int64", "type": "integer" }),
        Kind::Count => json!({ "format": "int64", "minimum": 0, "type": "integer" }),
        Kind::Counts => json!({ "items": count(), "type": "array" }),
        Kind::Numbers => json!({ "items": { "type": "number" }, "type": "array" }),
        Kind::ReleaseDate => json!({ "$ref": "#/$defs/ReleaseDate" }),
        Kind::Boolean => json!({ "type": "boolean" }),
        Kind::Date => json!({ "format": "date", "type": "string" }),
        Kind::NumberKeys => json!({
            "items": { "enum": NUMBER_KEYS, "type": "string" },
            "type": "array",
            "uniqueItems": true,
        }),
        Kind::Term(facet) => json!({ "enum": terms(facet), "type": "string" }),
        Kind::Terms(facet) => json!({
            "items": { "enum": terms(facet), "type": "string" },
            "minItems": 1,
            "type": "array",
        }),
        Kind::Unit => json!({ "$ref": "#/$defs/Unit" }),
        Kind::Choice(choice) => json!({ "enum": choice.names(), "type": "string" }),
        Kind::Size => json!({ "$ref": "#/$defs/Size" }),
        Kind::Tables(table) => json!({
            "items": { "$ref": format!("#/$defs/{}", table.schema_name) },
            "type": "array",
        }),
        Kind::LabelRows => json!({
            "additionalProperties": { "items": count(), "type": "array" },
            "type": "object",
        }),
    }
}

/// A size: an exact count, a bound or `"not stated"`.
fn size_schema() -> Value {
    let count = json!({ "format": "uint64", "minimum": 1, "type": "integer" });
    let bound = |key: &str| {
        json!({
            "additionalProperties": false,
            "properties": { key: count.clone() },
            "required": [key],
            "type": "object",
        })
    };
    json!({
        "description": "A count: exact, `{ at_least = N }`, `{ at_most = N }`, or \"not stated\" when the source gives none.",
        "oneOf": [count, bound("at_least"), bound("at_most"), { "const": "not stated", "type": "string" }],
    })
}

/// A date: a TOML local date (which a TOML-to-JSON reader gives as a `date` string), or a
/// year-month or year string.
fn date_schema() -> Value {
    json!({
        "description": "A TOML date (2019-09-19), or \"2019-09\" / \"2019\" when only the month or year is published.",
        "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$",
        "type": "string",
    })
}

/// A schema that also admits `null`, the absent value of an optional field.
fn nullable(schema: Value) -> Value {
    match schema
        .get("type")
        .and_then(Value::as_str)
        .map(str::to_string)
    {
        Some(name) => {
            let mut schema = schema;
            schema["type"] = json!([name, "null"]);
            schema
        }
        None => json!({ "anyOf": [schema, { "type": "null" }] }),
    }
}

/// The schema as the file `medatlas schema` writes.
pub(crate) fn entry_schema_text(vocabulary: &Vocabulary) -> String {
    let mut text =
        serde_json::to_string_pretty(&entry_schema(vocabulary)).expect("a schema serialises");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(value: &Value) -> Vec<String> {
        let mut keys: Vec<String> = value["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        keys.sort();
        keys
    }

    fn sorted(list: &[&str]) -> Vec<String> {
        let mut list: Vec<String> = list.iter().map(std::string::ToString::to_string).collect();
        list.sort();
        list
    }

    /// The schema describes exactly the declared keys, closed to any other.
    #[test]
    fn the_schema_has_the_declared_keys() {
        let schema = entry_schema(&Vocabulary::default());
        assert_eq!(keys(&schema), sorted(&crate::format::TOML_ENTRY_KEYS));
        assert_eq!(
            keys(&schema["$defs"]["Paper"]),
            sorted(&crate::format::PAPER_KEYS)
        );
        assert_eq!(
            keys(&schema["$defs"]["Source"]),
            sorted(&crate::format::SOURCE_KEYS)
        );
        assert_eq!(
            keys(&schema["$defs"]["ClassCounts"]),
            sorted(&crate::format::CLASS_COUNTS_KEYS)
        );
        assert_eq!(
            keys(&schema["$defs"]["Version"]),
            sorted(&crate::format::VERSION_KEYS)
        );
        assert_eq!(
            keys(&schema["$defs"]["Demographics"]),
            sorted(&crate::format::DEMOGRAPHICS_KEYS)
        );
        assert_eq!(
            keys(&schema["$defs"]["Lineage"]),
            sorted(&crate::format::LINEAGE_KEYS)
        );
        assert_eq!(schema["additionalProperties"], false);
        assert_eq!(schema["required"][0], "name");
    }
}
