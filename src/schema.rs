//! JSON Schemas of the tree and answers formats, generated from the serde types that read them
//! (so they cannot drift). Editors use them through the `# yaml-language-server: $schema=` line
//! (docs/tree-format.md); `gpuwise schema tree|answers` prints them.
//!
//! The types with hand-written `Deserialize` impls (texts, expressions, item lists, node maps)
//! get hand-written schemas here, each accepting exactly what the impl accepts.

use crate::text::Text;
use crate::tree::{At, Expr, Item, Items, Nodes, Scalar};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use std::borrow::Cow;

/// Which format to describe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::EnumString, strum::Display, strum::EnumIter)]
#[strum(serialize_all = "lowercase")]
pub enum Format {
    /// A decision tree file (`trees/*.yaml`).
    Tree,
    /// An answers file, as the wizard exports it and `recommend --answers` replays it.
    Answers,
}

/// The schema of `format`, as pretty JSON.
pub fn schema(format: Format) -> String {
    let mut schema = match format {
        Format::Tree => schemars::schema_for!(crate::tree::Tree),
        Format::Answers => schemars::schema_for!(crate::cli::AnswersFile),
    };
    let title = match format {
        Format::Tree => "gpuwise decision tree",
        Format::Answers => "gpuwise answers file",
    };
    schema.insert("title".into(), title.into());
    let mut out = serde_json::to_string_pretty(&schema).expect("a schema is plain JSON");
    out.push('\n');
    out
}

impl<T: JsonSchema> JsonSchema for At<T> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}

impl JsonSchema for Text {
    fn schema_name() -> Cow<'static, str> {
        "Text".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A text: one string for every language, or one per language (`zh` falls back to `en`).",
            "anyOf": [
                {"type": ["string", "number"]},
                {
                    "type": "object",
                    "properties": {"en": {"type": "string"}, "zh": {"type": "string"}},
                    "required": ["en"],
                    "additionalProperties": false
                }
            ]
        })
    }
}

impl JsonSchema for Expr {
    fn schema_name() -> Cow<'static, str> {
        "Expression".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An expression over earlier variables (evalexpr syntax: `vram_gb / 80`, `job == \"training\"`); a bare number or true/false is one too.",
            "type": ["string", "number", "boolean"]
        })
    }
}

impl JsonSchema for Scalar {
    fn schema_name() -> Cow<'static, str> {
        "Value".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A value a choice sets: a number, true/false or a word.",
            "type": ["number", "boolean", "string"]
        })
    }
}

impl JsonSchema for Nodes {
    fn schema_name() -> Cow<'static, str> {
        "Nodes".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let node = generator.subschema_for::<crate::tree::Node>();
        json_schema!({
            "description": "The nodes, by id (ids are unique).",
            "type": "object",
            "additionalProperties": node
        })
    }
}

impl JsonSchema for Item {
    fn schema_name() -> Cow<'static, str> {
        "Item".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let expr = generator.subschema_for::<Expr>();
        json_schema!({
            "description": "A plain string (an advice id in `pitfalls` and `cost`, a text elsewhere), a text `{en, zh}` or an advice reference `{advice}`; either may carry `when`, shown only when it holds.",
            "anyOf": [
                {"type": "string"},
                {
                    "type": "object",
                    "properties": {"en": {"type": "string"}, "zh": {"type": "string"}, "when": expr},
                    "required": ["en"],
                    "additionalProperties": false
                },
                {
                    "type": "object",
                    "properties": {"advice": {"type": "string"}, "when": expr},
                    "required": ["advice"],
                    "additionalProperties": false
                }
            ]
        })
    }
}

impl JsonSchema for Items {
    fn schema_name() -> Cow<'static, str> {
        "Items".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let item = generator.subschema_for::<Item>();
        json_schema!({
            "description": "One item, or a list of items.",
            "anyOf": [item, {"type": "array", "items": item}]
        })
    }
}

impl JsonSchema for crate::cli::AnswerValue {
    fn schema_name() -> Cow<'static, str> {
        "Answer".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A choice id (a word; yes/no as written) or the number typed.",
            "type": ["string", "number", "boolean"]
        })
    }
}
