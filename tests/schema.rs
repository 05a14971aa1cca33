//! The JSON Schemas: generated from the serde types, committed under schema/ for editors, and
//! accepting every shipped tree and exported answers file (and rejecting what the loader rejects).

use gpuwise::schema::{Format, schema};
use serde_json::Value;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn validator(format: Format) -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&schema(format)).expect("the schema is JSON");
    jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema")
}

fn yaml(text: &str) -> Value {
    serde_saphyr::from_str(text).expect("YAML parses")
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn committed_schemas_match_the_generated_ones() {
    for (format, file) in [
        (Format::Tree, "schema/tree.schema.json"),
        (Format::Answers, "schema/answers.schema.json"),
    ] {
        let committed = std::fs::read_to_string(root().join(file)).unwrap_or_default();
        assert_eq!(
            committed,
            schema(format),
            "{file} is out of date: run `cargo run -- schema {format} > {file}`"
        );
    }
}

#[test]
fn every_shipped_tree_validates_against_the_tree_schema() {
    let v = validator(Format::Tree);
    let mut checked = 0;
    for entry in std::fs::read_dir(root().join("trees")).unwrap() {
        let path = entry.unwrap().path();
        let tree = yaml(&std::fs::read_to_string(&path).unwrap());
        let problems = errors(&v, &tree);
        assert!(problems.is_empty(), "{}: {problems:#?}", path.display());
        checked += 1;
    }
    assert_eq!(checked, 3, "the three shipped trees");
}

#[test]
fn the_tree_schema_rejects_what_the_loader_rejects() {
    let v = validator(Format::Tree);
    let good = std::fs::read_to_string(root().join("trees/quick-check.yaml")).unwrap();
    let cases = [
        (
            "an unknown top-level key",
            good.replacen("start:", "colour: red\nstart:", 1),
        ),
        (
            "a text map with an unknown language",
            good.replacen("title:", "title: {fr: x}\nold_title:", 1),
        ),
        (
            "a node of an unknown kind",
            format!("{good}\n  extra:\n    teleport: {{next: x}}\n"),
        ),
        (
            "a version that is not a number",
            good.replacen("version: ", "version: v", 1),
        ),
    ];
    for (what, text) in cases {
        let problems = errors(&v, &yaml(&text));
        assert!(!problems.is_empty(), "{what} passed the schema");
    }
}

#[test]
fn exported_answers_validate_against_the_answers_schema() {
    let v = validator(Format::Answers);
    let exported = "tree: gpu-memory\nversion: 1\nanswers:\n  mode: inference\n  params: 7.5\n  quantized: yes\n";
    assert_eq!(errors(&v, &yaml(exported)), Vec::<String>::new());
    let unknown = "tree: gpu-memory\nanswer: {}\n";
    assert!(!errors(&v, &yaml(unknown)).is_empty());
    let nested = "answers:\n  mode: [a, b]\n";
    assert!(!errors(&v, &yaml(nested)).is_empty());
}

#[test]
fn schema_command_prints_both_schemas() {
    for format in ["tree", "answers"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_gpuwise"))
            .args(["schema", format])
            .output()
            .unwrap();
        assert!(out.status.success());
        let value: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            value["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gpuwise"))
        .args(["schema", "advice"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_documented_example_is_the_tested_fixture() {
    let doc = std::fs::read_to_string(root().join("docs/tree-format.md")).unwrap();
    let fixture = std::fs::read_to_string(root().join("tests/fixtures/valid/sizing.yaml")).unwrap();
    assert!(
        doc.contains(&format!("```yaml\n{fixture}```")),
        "docs/tree-format.md's complete example differs from tests/fixtures/valid/sizing.yaml"
    );
    let problems = errors(&validator(Format::Tree), &yaml(&fixture));
    assert!(problems.is_empty(), "{problems:#?}");
}
