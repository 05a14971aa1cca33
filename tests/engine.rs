//! The engine on a small fixture tree: walks, back, restart, replay, number bounds, compute,
//! branch, and the recommendation built from a finished walk.

mod common;

use common::{fixture, fixture_assets};
use gpuwise::engine::{Answer, EngineError, Event, Walk};
use gpuwise::library::load;
use gpuwise::recommend::Recommendation;
use gpuwise::text::Lang;
use gpuwise::tree::Scalar;
use indexmap::IndexMap;

fn walk() -> Walk {
    let tree = load(&fixture("valid/sizing.yaml"), &fixture_assets()).expect("fixture loads");
    Walk::new(tree).expect("walk starts")
}

fn choice(id: &str) -> Answer {
    Answer::Choice(id.to_string())
}

#[test]
fn table_of_walks() {
    let cases: &[(&[&str], &str)] = &[
        (&["web"], "web"),
        (&["model", "5"], "small"),   // 5 × 2 × 1.2 = 12 GB: one T4
        (&["model", "6.6"], "small"), // 15.84 GB, still under 16
        (&["model", "7"], "big"),     // 16.8 GB
        (&["model", "1000"], "big"),
        (&["model", "0.1"], "small"),
    ];
    for (answers, expected) in cases {
        let mut w = walk();
        for a in *answers {
            w.answer_text(a)
                .unwrap_or_else(|e| panic!("{answers:?}: {e}"));
        }
        assert!(w.is_finished(), "{answers:?} should reach a result");
        assert_eq!(w.current_id(), *expected, "{answers:?}");
    }
}

#[test]
fn compute_and_branch_are_recorded_on_the_way() {
    let mut w = walk();
    w.answer(choice("model")).unwrap();
    assert_eq!(w.current_id(), "params");
    w.answer(Answer::Number(7.0)).unwrap();
    let events: Vec<(&str, &Event)> = w
        .visits()
        .iter()
        .map(|v| (v.node.as_str(), &v.event))
        .collect();
    assert_eq!(events[0], ("workload", &Event::Answered(choice("model"))));
    assert_eq!(events[1], ("params", &Event::Answered(Answer::Number(7.0))));
    let Event::Computed(values) = events[2].1 else {
        panic!("compute expected, got {:?}", events[2])
    };
    assert_eq!(values[0].0, "vram_gb");
    let Scalar::Number(vram) = values[0].1 else {
        panic!("number expected")
    };
    assert!((vram - 16.8).abs() < 1e-9);
    assert_eq!(events[3], ("fits", &Event::Branched(None)));
    assert_eq!(w.vars().get("bytes"), Some(&Scalar::Number(2.0)));
}

#[test]
fn back_returns_to_the_previous_question_with_its_answer() {
    let mut w = walk();
    w.answer(choice("model")).unwrap();
    w.answer(Answer::Number(7.0)).unwrap();
    assert_eq!(w.current_id(), "big");
    let previous = w.back().unwrap();
    assert_eq!(previous, Some(Answer::Number(7.0)));
    assert_eq!(w.current_id(), "params");
    assert!(
        w.vars().get("vram_gb").is_none(),
        "the computed value is undone"
    );
    assert_eq!(w.back().unwrap(), Some(choice("model")));
    assert_eq!(w.current_id(), "workload");
    assert_eq!(w.back().unwrap(), None, "nothing before the first question");
    assert_eq!(w.current_id(), "workload");
}

#[test]
fn changing_an_earlier_answer_changes_the_result() {
    let mut w = walk();
    w.answer(choice("model")).unwrap();
    w.answer(Answer::Number(7.0)).unwrap();
    w.back().unwrap();
    w.answer(Answer::Number(2.0)).unwrap();
    assert_eq!(w.current_id(), "small");
}

#[test]
fn restart_forgets_everything() {
    let mut w = walk();
    w.answer(choice("model")).unwrap();
    w.restart().unwrap();
    assert_eq!(w.current_id(), "workload");
    assert_eq!(w.step(), 0);
    assert!(w.vars().is_empty());
}

#[test]
fn number_bounds_and_types_are_enforced_without_losing_state() {
    let mut w = walk();
    w.answer(choice("model")).unwrap();
    let err = w.answer(Answer::Number(0.05)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "0.05 is out of range; `params` takes a number from 0.1 to 1000"
    );
    let err = w.answer_text("lots").unwrap_err();
    assert_eq!(
        err.to_string(),
        "`lots` is not a number; `params` takes a number from 0.1 to 1000"
    );
    let err = w.answer_text("inf").unwrap_err();
    assert!(matches!(err, EngineError::NotANumber { .. }), "{err:?}");
    assert_eq!(
        w.current_id(),
        "params",
        "a rejected answer changes nothing"
    );
    assert_eq!(w.step(), 1);
    w.answer_text(" 3 ").unwrap();
    assert_eq!(w.current_id(), "small");
}

#[test]
fn unknown_choice_lists_the_valid_ones() {
    let mut w = walk();
    let err = w.answer(choice("mainframe")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "`mainframe` is not a choice of `workload`; valid choices: web, model"
    );
    let err = w.answer(Answer::Number(3.0)).unwrap_err();
    assert!(matches!(err, EngineError::UnknownChoice { .. }));
}

#[test]
fn results_take_no_answer() {
    let mut w = walk();
    w.answer(choice("web")).unwrap();
    assert_eq!(
        w.answer(choice("web")).unwrap_err(),
        EngineError::NotAQuestion { node: "web".into() }
    );
}

#[test]
fn replay_reaches_the_same_result_and_reports_unused_answers() {
    let mut first = walk();
    first.answer(choice("model")).unwrap();
    first.answer(Answer::Number(7.0)).unwrap();
    let saved: IndexMap<String, String> = first
        .answers()
        .into_iter()
        .map(|(k, v)| (k, v.as_value()))
        .collect();
    assert_eq!(saved.get("params").map(String::as_str), Some("7"));

    let mut again = walk();
    let unused = again.replay(&saved).unwrap();
    assert!(unused.is_empty());
    assert_eq!(again.current_id(), first.current_id());
    assert_eq!(again.vars(), first.vars());

    let mut partial = walk();
    let mut web = IndexMap::new();
    web.insert("workload".to_string(), "web".to_string());
    web.insert("params".to_string(), "7".to_string());
    assert_eq!(partial.replay(&web).unwrap(), vec!["params".to_string()]);
    assert_eq!(partial.current_id(), "web");

    let mut stops = walk();
    let mut only_first = IndexMap::new();
    only_first.insert("workload".to_string(), "model".to_string());
    stops.replay(&only_first).unwrap();
    assert_eq!(
        stops.current_id(),
        "params",
        "stops at the first unanswered question"
    );

    let mut bad = walk();
    let mut wrong = IndexMap::new();
    wrong.insert("workload".to_string(), "model".to_string());
    wrong.insert("params".to_string(), "5000".to_string());
    let err = bad.replay(&wrong).unwrap_err();
    assert_eq!(err.node, "params");
}

#[test]
fn recommendation_resolves_families_pattern_advice_and_memory() {
    let assets = fixture_assets();
    let mut w = walk();
    w.answer(choice("model")).unwrap();
    w.answer(Answer::Number(7.0)).unwrap();
    let r = Recommendation::build(&w, &assets, Lang::En).unwrap();
    assert_eq!(r.tree, "sizing");
    assert_eq!(r.result.id, "big");
    assert_eq!(r.result.summary, "A100 80GB for 16.8 GB.");
    assert_eq!(r.result.families.len(), 1);
    let family = &r.result.families[0];
    assert_eq!(
        (family.family.as_str(), family.gpu.as_deref()),
        ("p4de", Some("NVIDIA A100 80GB"))
    );
    assert_eq!(family.gpu_memory_gb, Some(80.0));
    assert_eq!(r.result.pattern.id, "single-gpu-dev");
    assert_eq!(
        r.result.pitfalls,
        vec![
            "40 GB runs out at 16.8 GB.".to_string(),
            "Inline pitfall".to_string()
        ]
    );
    let need = r.result.memory_need.as_ref().expect("memory need");
    let counts: Vec<(&str, u64)> = need
        .fits
        .iter()
        .map(|f| (f.gpu.as_str(), f.count))
        .collect();
    assert_eq!(counts, vec![("a100-80", 1)]);
    assert_eq!(r.path.len(), 2);
    assert_eq!(r.path[1].answer_label, "7 billion parameters");
    assert_eq!(
        r.path[1].consequences,
        vec!["weights with 20% overhead (GPU memory needed: 16.8 GB)".to_string()]
    );

    let zh = Recommendation::build(&w, &assets, Lang::Zh).unwrap();
    assert_eq!(zh.result.summary, "16.8 GB 用 A100 80GB。");
    assert_eq!(zh.result.families[0].provider_name, "AWS");
}

#[test]
fn an_unfinished_walk_has_no_recommendation() {
    let w = walk();
    assert!(Recommendation::build(&w, &fixture_assets(), Lang::En).is_err());
}

fn tree_from(text: &str) -> std::sync::Arc<gpuwise::tree::Tree> {
    let source = gpuwise::library::TreeSource {
        name: "inline.yaml".into(),
        text: text.into(),
        origin: gpuwise::library::Origin::File,
    };
    let (tree, report) = gpuwise::library::check(&source, &fixture_assets());
    tree.unwrap_or_else(|| panic!("{}", report.render())).into()
}

const TWO_STEPS: &str = r#"
id: two-steps
version: 1
title: {en: Two steps, zh: 两步}
start: first
variables:
  layers: {label: {en: Layers, zh: 层数}, decimals: 0}
nodes:
  first:
    question:
      ask: {en: First?, zh: 第一？}
      why: {en: Because., zh: 因为。}
      choices:
        - {id: a, label: {en: A, zh: 甲}, set: {b: 2, size: 70}, next: second}
        - {id: c, label: {en: C, zh: 丙}, set: {b: 3, size: 7}, next: second}
  second:
    number:
      ask: {en: Layers?, zh: 层数？}
      why: {en: Because., zh: 因为。}
      var: layers
      unit: {en: layers, zh: 层}
      min: 1
      max: 200
      integer: true
      default: 'if(size >= 60, 80, 32)'
      next: third
  third:
    question:
      ask: {en: Third?, zh: 第三？}
      why: {en: Because., zh: 因为。}
      choices:
        - {id: x, label: {en: X, zh: 子}, next: check}
        - {id: y, label: {en: Y, zh: 丑}, next: check}
  check:
    branch:
      when:
        - {if: b == 2, next: two}
      otherwise: other
  two:
    result:
      summary: {en: "b is two, {layers} layers", zh: "b 为二，{layers} 层"}
      families: [aws-c7i]
      no_equivalent: {alibaba: {en: t, zh: 测}, azure: {en: t, zh: 测}, gcp: {en: t, zh: 测}, tencent: {en: t, zh: 测}}
      pattern: cpu-web
      rationale: {en: Two., zh: 二。}
  other:
    result:
      summary: {en: other, zh: 其他}
      families: [aws-c7i]
      no_equivalent: {alibaba: {en: t, zh: 测}, azure: {en: t, zh: 测}, gcp: {en: t, zh: 测}, tencent: {en: t, zh: 测}}
      pattern: cpu-web
      rationale: {en: Other., zh: 其他。}
"#;

#[test]
fn an_integer_literal_equals_a_number_set_by_a_choice() {
    let mut w = Walk::new(tree_from(TWO_STEPS)).unwrap();
    w.answer(choice("a")).unwrap();
    w.answer(Answer::Number(80.0)).unwrap();
    w.answer(choice("x")).unwrap();
    assert_eq!(
        w.current_id(),
        "two",
        "b == 2 must hold when a choice set b: 2"
    );
    let mut w = Walk::new(tree_from(TWO_STEPS)).unwrap();
    w.answer(choice("c")).unwrap();
    w.answer(Answer::Number(32.0)).unwrap();
    w.answer(choice("x")).unwrap();
    assert_eq!(w.current_id(), "other");
}

#[test]
fn a_default_follows_earlier_answers() {
    let mut w = Walk::new(tree_from(TWO_STEPS)).unwrap();
    w.answer(choice("a")).unwrap();
    assert_eq!(w.number_default().unwrap(), Some(80.0));
    let mut w = Walk::new(tree_from(TWO_STEPS)).unwrap();
    w.answer(choice("c")).unwrap();
    assert_eq!(w.number_default().unwrap(), Some(32.0));
}

#[test]
fn going_back_two_steps_keeps_the_later_answers() {
    let mut w = Walk::new(tree_from(TWO_STEPS)).unwrap();
    w.answer(choice("a")).unwrap();
    w.answer(Answer::Number(64.0)).unwrap();
    w.answer(choice("y")).unwrap();
    w.back().unwrap(); // at result -> third
    w.back().unwrap(); // third -> second
    w.back().unwrap(); // second -> first
    assert_eq!(w.current_id(), "first");
    assert_eq!(w.remembered("first"), Some(&choice("a")));
    w.answer(choice("a")).unwrap();
    // The number question offers the typed 64, not its default 80.
    assert_eq!(w.number_default().unwrap(), Some(64.0));
    w.answer(Answer::Number(64.0)).unwrap();
    assert_eq!(w.remembered("third"), Some(&choice("y")));
}

#[test]
fn a_failing_expression_leaves_the_walk_at_the_question() {
    let text = TWO_STEPS.replace("next: check}", "next: ratio}").replace(
        "  check:\n",
        "  ratio:\n    compute:\n      set: {r: 1 / (b - 2)}\n      next: check\n  check:\n",
    );
    let mut w = Walk::new(tree_from(&text)).unwrap();
    w.answer(choice("a")).unwrap();
    w.answer(Answer::Number(80.0)).unwrap();
    let err = w.answer(choice("x")).unwrap_err();
    match &err {
        EngineError::Expression {
            node,
            expression,
            values,
            ..
        } => {
            assert_eq!(node, "ratio");
            assert_eq!(expression, "1 / (b - 2)");
            assert_eq!(values, "b = 2");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(w.current_id(), "third", "still at the question answered");
    assert_eq!(w.step(), 2);
}

#[test]
fn numbers_are_read_exactly_or_refused() {
    use gpuwise::engine::{NumberError, parse_number};
    assert_eq!(parse_number("1e2"), Ok(100.0));
    assert_eq!(parse_number(" 7.5 "), Ok(7.5));
    assert_eq!(parse_number("-3"), Ok(-3.0));
    assert_eq!(parse_number("7,5"), Err(NumberError::Comma));
    assert_eq!(
        parse_number("12abc"),
        Err(NumberError::Invalid("12abc".into()))
    );
    assert_eq!(parse_number("inf"), Err(NumberError::Invalid("inf".into())));
    assert_eq!(parse_number(""), Err(NumberError::Empty));
}

#[test]
fn conditional_items_and_advice_show_only_when_they_apply() {
    let assets = fixture_assets();
    let mut w = walk();
    w.answer(choice("model")).unwrap();
    w.answer(Answer::Number(20.0)).unwrap(); // 48 GB: big, under 100
    let r = Recommendation::build(&w, &assets, Lang::En).unwrap();
    assert!(
        r.result
            .pitfalls
            .iter()
            .all(|p| !p.contains("Only past 100 GB"))
    );
    assert_eq!(r.result.advice, vec!["a100-40-vs-80"]);
    let mut w = walk();
    w.answer(choice("model")).unwrap();
    w.answer(Answer::Number(50.0)).unwrap(); // 120 GB
    let r = Recommendation::build(&w, &assets, Lang::En).unwrap();
    assert!(r.result.pitfalls.iter().any(|p| p == "Only past 100 GB"));
    assert_eq!(r.result.highlights.len(), 0);
    let mem = r.result.memory_need.expect("sized");
    assert_eq!(mem.label, "GPU memory needed: 120 GB");
    // p4de has 8 A100 80GB: 120 GB takes 2, in one server.
    assert_eq!(mem.fits.len(), 1);
    assert_eq!((mem.fits[0].count, mem.fits[0].servers), (2, 1));
    assert_eq!(mem.fits[0].families, vec!["AWS p4de"]);
}
