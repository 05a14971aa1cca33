//! Every file in tests/scenarios/ is a person's situation, the answers they would give and the
//! result they should get. Each is walked through the engine with the shipped tree and assets.

use gpuwise::assets::{self, Provider};
use gpuwise::engine::Walk;
use gpuwise::library;
use gpuwise::recommend::Recommendation;
use gpuwise::text::Lang;
use gpuwise::tree::load::{Limits, parse_yaml};
use indexmap::IndexMap;
use serde::Deserialize;
use std::path::Path;
use strum::IntoEnumIterator;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Scenario {
    /// Who is asking and what they have, in a sentence or two.
    situation: String,
    /// Which seed table row or case this covers, if any.
    #[serde(default)]
    covers: Option<String>,
    tree: String,
    answers: IndexMap<String, gpuwise::cli::AnswerValue>,
    expect: Expect,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    side: Side,
    result: String,
    /// For every provider: a family id that must be among the result's families, or `none`
    /// when the result must list the provider under `no_equivalent`.
    families: IndexMap<Provider, String>,
    /// The architecture pattern id the result must show.
    #[serde(default)]
    pattern: Option<String>,
    /// Advice ids (assets/advice.yaml) the result must show.
    #[serde(default)]
    shows: Vec<String>,
    /// Advice ids the result must NOT show for this person.
    #[serde(default)]
    hides: Vec<String>,
}

#[derive(Debug, Deserialize, PartialEq, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum Side {
    Gpu,
    Cpu,
}

fn run(path: &Path, assets: &assets::Assets) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let scenario: Scenario = parse_yaml(&text, &Limits::default()).map_err(|d| {
        format!(
            "{}:{}:{}: {}",
            path.display(),
            d.span.line,
            d.span.col,
            d.message
        )
    })?;
    let context = format!(
        "[{}{}]",
        scenario.situation,
        scenario
            .covers
            .as_deref()
            .map(|c| format!("; covers {c}"))
            .unwrap_or_default()
    );
    check(&scenario, assets).map_err(|e| format!("{e}\n    {context}"))
}

fn check(scenario: &Scenario, assets: &assets::Assets) -> Result<(), String> {
    let source = library::find(&scenario.tree).map_err(|e| e.to_string())?;
    let tree = library::load(&source, assets).map_err(|r| r.render())?;
    let mut walk = Walk::new(tree).map_err(|e| e.to_string())?;
    let answers: IndexMap<String, String> = gpuwise::cli::answer_texts(&scenario.answers);
    let unused = walk
        .replay(&answers)
        .map_err(|e| format!("answer for `{}`: {}", e.node, e.error))?;
    if !unused.is_empty() {
        return Err(format!("answers not asked on this path: {unused:?}"));
    }
    if !walk.is_finished() {
        return Err(format!("stopped at unanswered `{}`", walk.current_id()));
    }
    if walk.current_id() != scenario.expect.result {
        return Err(format!(
            "reached `{}`, expected `{}`",
            walk.current_id(),
            scenario.expect.result
        ));
    }
    let rec = Recommendation::build(&walk, assets, Lang::En).map_err(|e| e.to_string())?;
    let gpu_families = rec
        .result
        .families
        .iter()
        .filter(|f| f.gpu.is_some())
        .count();
    let side = if gpu_families > 0 {
        Side::Gpu
    } else {
        Side::Cpu
    };
    if side != scenario.expect.side {
        return Err(format!(
            "result is on the {side:?} side, expected {:?}",
            scenario.expect.side
        ));
    }
    for provider in Provider::iter() {
        let Some(expected) = scenario.expect.families.get(&provider) else {
            return Err(format!(
                "the scenario names no expected family for {provider}"
            ));
        };
        let ok = if expected == "none" {
            rec.result
                .no_equivalent
                .iter()
                .any(|n| n.provider == provider)
        } else {
            rec.result
                .families
                .iter()
                .any(|f| f.id == *expected && f.provider == provider)
        };
        if !ok {
            let got: Vec<&str> = rec
                .result
                .families
                .iter()
                .filter(|f| f.provider == provider)
                .map(|f| f.id.as_str())
                .collect();
            return Err(format!(
                "{provider}: expected `{expected}`, result has {got:?}"
            ));
        }
    }
    if let Some(pattern) = &scenario.expect.pattern
        && rec.result.pattern.id != *pattern
    {
        return Err(format!(
            "pattern `{}`, expected `{pattern}`",
            rec.result.pattern.id
        ));
    }
    for id in &scenario.expect.shows {
        if !rec.result.advice.contains(id) {
            return Err(format!(
                "advice `{id}` is not shown; shown: {:?}",
                rec.result.advice
            ));
        }
    }
    for id in &scenario.expect.hides {
        if rec.result.advice.contains(id) {
            return Err(format!("advice `{id}` is shown, but must not be"));
        }
    }
    Ok(())
}

#[test]
fn every_scenario_reaches_its_expected_result() {
    let assets = assets::Assets::embedded();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/scenarios exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    let failures: Vec<String> = paths
        .iter()
        .filter_map(|p| {
            run(p, &assets)
                .err()
                .map(|e| format!("{}: {e}", p.display()))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} scenarios failed:\n{}",
        failures.len(),
        paths.len(),
        failures.join("\n")
    );
    assert!(
        paths.len() >= 120,
        "at least 120 scenarios, found {}",
        paths.len()
    );
}
