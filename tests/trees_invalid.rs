//! One bad tree per problem kind; each asserts the exact `file:line:col: severity: message`
//! of every problem the validator reports for it.

mod common;

use common::{fixture, fixture_assets};
use gpuwise::library::check;

/// The first line of every diagnostic of a fixture, in file order.
fn headlines(rel: &str) -> Vec<String> {
    let (_, mut report) = check(&fixture(rel), &fixture_assets());
    report.sort();
    report
        .render()
        .lines()
        .filter(|l| l.starts_with("fixtures/"))
        .map(str::to_string)
        .collect()
}

fn assert_reports(rel: &str, expected: &[&str]) {
    assert_eq!(headlines(rel), expected, "diagnostics of {rel}");
}

#[test]
fn yaml_syntax() {
    assert_reports(
        "invalid/syntax.yaml",
        &[
            "fixtures/invalid/syntax.yaml:9:10: error: while parsing a flow mapping, did not find expected ',' or '}'",
        ],
    );
}

#[test]
fn unknown_field() {
    assert_reports(
        "invalid/unknown-field.yaml",
        &[
            "fixtures/invalid/unknown-field.yaml:10:7: error: unknown field `choises`, expected one of ask, why, terms, choices",
        ],
    );
}

#[test]
fn missing_field() {
    assert_reports(
        "invalid/missing-field.yaml",
        &["fixtures/invalid/missing-field.yaml:9:7: error: missing field `why`"],
    );
}

#[test]
fn wrong_type() {
    assert_reports(
        "invalid/wrong-type.yaml",
        &["fixtures/invalid/wrong-type.yaml:12:12: error: invalid floating point"],
    );
}

#[test]
fn duplicate_node_id() {
    assert_reports(
        "invalid/duplicate-node.yaml",
        &[
            "fixtures/invalid/duplicate-node.yaml:8:3: error: duplicate key `q`: each id may appear once",
        ],
    );
}

#[test]
fn duplicate_choice_id() {
    assert_reports(
        "invalid/duplicate-choice.yaml",
        &[
            "fixtures/invalid/duplicate-choice.yaml:12:16: error: duplicate choice id `a` in question `q`",
        ],
    );
}

#[test]
fn next_to_missing_node() {
    assert_reports(
        "invalid/missing-next.yaml",
        &[
            "fixtures/invalid/missing-next.yaml:12:35: error: `next` of `q` leads to `nowhere`, which no node defines",
        ],
    );
}

#[test]
fn start_missing_and_bad_id() {
    assert_reports(
        "invalid/start-missing.yaml",
        &[
            "fixtures/invalid/start-missing.yaml:1:5: error: tree id `Broken Tree` is not kebab-case",
            "fixtures/invalid/start-missing.yaml:4:8: error: `start` names `begin`, which no node defines",
        ],
    );
}

#[test]
fn unreachable_node() {
    assert_reports(
        "invalid/unreachable.yaml",
        &[
            "fixtures/invalid/unreachable.yaml:14:3: error: node `orphan` is unreachable from `start`",
        ],
    );
}

#[test]
fn cycle() {
    assert_reports(
        "invalid/cycle.yaml",
        &["fixtures/invalid/cycle.yaml:18:43: error: cycle: `q2` leads back to `q`"],
    );
}

#[test]
fn path_without_result() {
    assert_reports(
        "invalid/no-otherwise.yaml",
        &[
            "fixtures/invalid/no-otherwise.yaml:15:3: error: a path can end without a result: when no condition of branch `b` holds, it has nowhere to go",
        ],
    );
}

#[test]
fn empty_choices() {
    assert_reports(
        "invalid/empty-choices.yaml",
        &["fixtures/invalid/empty-choices.yaml:6:3: error: question `q` has no choices"],
    );
}

#[test]
fn number_ranges() {
    assert_reports(
        "invalid/range.yaml",
        &[
            "fixtures/invalid/range.yaml:12:12: error: `min` (10) is greater than `max` (1)",
            "fixtures/invalid/range.yaml:23:16: error: default 11 is outside the range 1 to 10",
        ],
    );
}

#[test]
fn expressions_and_unset_variables() {
    assert_reports(
        "invalid/expressions.yaml",
        &[
            "fixtures/invalid/expressions.yaml:16:12: error: `c` reads variable `x`, which is not set on every path to it",
            "fixtures/invalid/expressions.yaml:17:12: error: expression `(1 +` does not parse: Found an unmatched opening parenthesis '('.",
            "fixtures/invalid/expressions.yaml:19:3: error: result `r` shows `{w}`, which `variables` does not declare",
            "fixtures/invalid/expressions.yaml:19:3: error: result `r` shows `{y}`, which `variables` does not declare",
        ],
    );
}

#[test]
fn ids_missing_from_assets() {
    assert_reports(
        "invalid/unknown-ids.yaml",
        &[
            "fixtures/invalid/unknown-ids.yaml:10:15: error: unknown glossary term `warp-drive`",
            "fixtures/invalid/unknown-ids.yaml:16:27: error: unknown family `aws-z99`: assets/catalog.yaml has no family with this id",
            "fixtures/invalid/unknown-ids.yaml:18:16: error: unknown pattern `monolith`: assets/patterns.yaml has no pattern with this id",
            "fixtures/invalid/unknown-ids.yaml:20:18: error: unknown advice `no-such-advice`: assets/advice.yaml has no advice with this id",
        ],
    );
}

#[test]
fn missing_chinese_is_a_warning_and_strict_makes_it_an_error() {
    let rel = "invalid/missing-zh.yaml";
    assert_reports(
        rel,
        &["fixtures/invalid/missing-zh.yaml:6:3: warning: `ask` has no Chinese (`zh`) text"],
    );
    let (tree, mut report) = check(&fixture(rel), &fixture_assets());
    assert!(tree.is_some(), "a warning does not stop loading");
    assert_eq!(report.error_count(), 0);
    report.make_strict();
    assert_eq!(report.error_count(), 1);
}

#[test]
fn the_report_shows_the_line_and_a_caret() {
    let (_, report) = check(&fixture("invalid/missing-next.yaml"), &fixture_assets());
    let text = report.render();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[2], "12 |         - {id: b, label: B, next: nowhere}");
    assert_eq!(lines[3], "   |                                   ^");
}

#[test]
fn schema_stops_alias_bombs_and_deep_nesting_at_once() {
    // The schema has no place for nested sequences, so these fail on the first bad token
    // instead of expanding; the loader limits (tree::load tests) cover schema-free parsing.
    assert_reports(
        "invalid/billion-laughs.yaml",
        &[
            "fixtures/invalid/billion-laughs.yaml:1:1: error: unknown field `a`, expected one of id, version, title, description, start, variables, nodes",
        ],
    );
    assert_reports(
        "invalid/too-deep.yaml",
        &[
            "fixtures/invalid/too-deep.yaml:8:7: error: invalid type: sequence, expected a string or a map {en: ..., zh: ...}",
        ],
    );
}

#[test]
fn the_valid_fixture_has_no_problems() {
    let (tree, report) = check(&fixture("valid/sizing.yaml"), &fixture_assets());
    assert!(tree.is_some());
    assert_eq!(report.render(), "");
}

#[test]
fn overlong_texts_are_refused() {
    let long = "x".repeat(gpuwise::assets::validate::MAX_TEXT_CHARS + 1);
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid/sizing.yaml"
    ))
    .unwrap()
    .replace(
        "rationale: {en: Small., zh: 小。}",
        &format!("rationale: {{en: {long}, zh: 小。}}"),
    );
    let source = gpuwise::library::TreeSource {
        name: "long.yaml".into(),
        text,
        origin: gpuwise::library::Origin::File,
    };
    let (_, report) = check(&source, &fixture_assets());
    assert!(
        report
            .render()
            .contains("error: `rationale` is 4001 characters long, over the limit of 4000"),
        "{}",
        report.render()
    );
}

#[test]
fn trees_over_the_node_limit_are_refused() {
    let (tree, _) = check(&fixture("valid/sizing.yaml"), &fixture_assets());
    let diagnostics = gpuwise::tree::validate::validate_tree(&tree.unwrap(), &fixture_assets(), 3);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(
        diagnostics[0].message,
        "the tree has 7 nodes, over the limit of 3"
    );
    assert!(diagnostics[0].span.line > 0);
}
