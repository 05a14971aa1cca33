//! Property-based fuzzing on stable Rust (proptest): the loader on mutated and random YAML, the
//! expression evaluator, answers files, and the engine and App under random keys and resizes.
//! Invariants: never a panic; every error has a location or a question id; back after an
//! answer returns to the same state.
//!
//! `cargo test` runs a few thousand cases; `PROPTEST_CASES=100000 cargo test --release --test
//! fuzz` runs 100k per property.

mod common;

use common::{app, fixture_assets, press};
use gpuwise::engine::{Answer, Walk};
use gpuwise::library::{Origin, TreeSource, check};
use gpuwise::text::Lang;
use gpuwise::tree::Node;
use gpuwise::tui::app::{Event, update};
use gpuwise::tui::keys::Key;
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn cases(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

const SEEDS: &[&str] = &[
    include_str!("fixtures/valid/sizing.yaml"),
    include_str!("../trees/quick-check.yaml"),
];

/// Snippets that break YAML or the schema in interesting ways.
const NASTY: &[&str] = &[
    "[",
    "]",
    "{",
    "&a [1, 2]",
    "*a",
    "*nope",
    "1e400",
    "-1e400",
    "- - -",
    "\t",
    ": :",
    "'",
    "\"",
    "? complex",
    "!!binary aGk=",
    "<<: *a",
    "next: next",
    "min: .nan",
    "max: .inf",
    "~",
    "null",
    "99999999999999999999999",
    "choices: {}",
    "question: []",
    "  result:",
    "ask: [1]",
    "\u{feff}",
    "中文: 值",
    "%YAML 1.2",
    "---",
    "...",
];

#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(usize),
    SwapLines(usize, usize),
    Insert(usize, usize),
    ReplaceBytes(usize, Vec<u8>),
    Truncate(usize),
    DuplicateLine(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        (any::<usize>(), 0..NASTY.len()).prop_map(|(a, b)| Mutation::Insert(a, b)),
        (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(a, b)| Mutation::ReplaceBytes(a, b)),
        any::<usize>().prop_map(Mutation::Truncate),
        any::<usize>().prop_map(Mutation::DuplicateLine),
    ]
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let n = lines.len().max(1);
    match m {
        Mutation::DeleteLine(i) => {
            if !lines.is_empty() {
                lines.remove(i % n);
            }
        }
        Mutation::SwapLines(a, b) => {
            if !lines.is_empty() {
                lines.swap(a % n, b % n);
            }
        }
        Mutation::Insert(at, s) => {
            lines.insert(at % (n + 1).min(lines.len() + 1), NASTY[*s].to_string())
        }
        Mutation::DuplicateLine(i) => {
            if !lines.is_empty() {
                let l = lines[i % n].clone();
                lines.insert(i % n, l);
            }
        }
        Mutation::Truncate(at) => {
            let joined = lines.join("\n");
            let mut cut = at % (joined.len() + 1);
            while !joined.is_char_boundary(cut) {
                cut -= 1;
            }
            return joined[..cut].to_string();
        }
        Mutation::ReplaceBytes(at, bytes) => {
            let mut raw = lines.join("\n").into_bytes();
            let at = at % (raw.len() + 1);
            let end = (at + bytes.len()).min(raw.len());
            raw.splice(at..end, bytes.iter().copied());
            return String::from_utf8_lossy(&raw).into_owned();
        }
    }
    lines.join("\n")
}

/// Loads `text` as a tree file; every problem must say where it is.
fn load_and_check(text: String) {
    let source = TreeSource {
        name: "fuzz.yaml".into(),
        text,
        origin: Origin::File,
    };
    let (tree, report) = check(&source, &fixture_assets());
    for d in &report.diagnostics {
        assert!(
            d.span.line > 0,
            "a problem without a position: {} ({:?})",
            d.message,
            d
        );
    }
    let rendered = report.render();
    assert!(rendered.lines().all(|l| !l.is_empty()));
    // A tree that loads without errors can be walked without panicking.
    if let (Some(tree), 0) = (tree, report.error_count()) {
        walk_randomly(std::sync::Arc::new(tree), &[0, 1, 2, 3]);
    }
}

/// Answers with the first valid choice or number, so any loaded tree can be walked to the end.
fn walk_randomly(tree: std::sync::Arc<gpuwise::tree::Tree>, picks: &[usize]) {
    let Ok(mut walk) = Walk::new(tree) else {
        return;
    };
    for step in 0..64 {
        let answer = match walk.current() {
            Node::Question(q) => Answer::Choice(
                q.choices[picks[step % picks.len()] % q.choices.len()]
                    .value
                    .id
                    .value
                    .clone(),
            ),
            Node::Number(n) => {
                Answer::Number(walk.number_default().ok().flatten().unwrap_or(n.min.value))
            }
            _ => return,
        };
        let before = (
            walk.current_id().to_string(),
            walk.vars().clone(),
            walk.visits().to_vec(),
        );
        if let Err(e) = walk.answer(answer) {
            assert!(!e.to_string().is_empty());
            return;
        }
        // Back after an answer returns to the same state.
        let mut back = walk.clone();
        back.back()
            .expect("back replays answers that were accepted");
        assert_eq!(
            (
                back.current_id().to_string(),
                back.vars().clone(),
                back.visits().to_vec()
            ),
            before
        );
    }
}

proptest! {
    #![proptest_config(cases(1500))]

    #[test]
    fn mutated_trees_never_panic_and_errors_have_positions(
        seed in 0..SEEDS.len(),
        mutations in proptest::collection::vec(mutation(), 1..4),
    ) {
        let mut text = SEEDS[seed].to_string();
        for m in &mutations {
            text = apply(&text, m);
        }
        load_and_check(text);
    }

    #[test]
    fn random_text_never_panics(text in "\\PC{0,200}") {
        load_and_check(text);
    }

    #[test]
    fn invalid_utf8_files_are_refused_with_the_byte_offset(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.yaml");
        std::fs::write(&path, &bytes).unwrap();
        match gpuwise::library::read_file(&path, Origin::File) {
            Ok(source) => load_and_check(source.text),
            Err(e) => prop_assert!(e.to_string().contains("not UTF-8 (byte"), "{e}"),
        }
    }

    #[test]
    fn expressions_never_panic(expr in "[a-z0-9_+*/%^()<>=!&|. \"-]{0,40}") {
        let _ = gpuwise::tree::validate::parse_expression(&expr);
        let yaml = format!(
            "id: e\nversion: 1\ntitle: T\nstart: n\nnodes:\n  n:\n    number: {{ask: A, why: W, var: x, unit: u, min: -1000, max: 1000, next: c}}\n  c:\n    compute:\n      set:\n        y: {}\n      next: r\n  r:\n    result: {{summary: S, pattern: cpu-web, rationale: R, families: [aws-c7i], no_equivalent: {{alibaba: a, azure: a, gcp: a, tencent: a}}}}\n",
            serde_json::to_string(&expr).unwrap()
        );
        let source = TreeSource { name: "e.yaml".into(), text: yaml, origin: Origin::File };
        let (tree, report) = check(&source, &fixture_assets());
        if let (Some(tree), 0) = (tree, report.error_count()) {
            let mut walk = Walk::new(std::sync::Arc::new(tree)).unwrap();
            for x in [-1000.0, -1.0, 0.0, 0.5, 3.0, 1000.0] {
                let mut w = walk.clone();
                match w.answer(Answer::Number(x)) {
                    Ok(()) => prop_assert!(w.is_finished()),
                    Err(e) => prop_assert!(e.to_string().contains("`c`"), "no node id in: {e}"),
                }
            }
            walk.restart().unwrap();
        }
    }

    #[test]
    fn answers_files_never_panic(text in "(tree: [a-z-]{0,12}\n)?(answers:\n(  [a-z-]{1,10}: [a-z0-9.\"-]{0,8}\n){0,5})?[\\PC]{0,20}") {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        std::fs::write(&path, &text).unwrap();
        match gpuwise::cli::read_answers_file(&path) {
            Ok(file) => {
                let tree = gpuwise::library::load(&common::fixture("valid/sizing.yaml"), &fixture_assets()).unwrap();
                let mut walk = Walk::new(tree).unwrap();
                let values = gpuwise::cli::answer_texts(&file.answers);
                if let Err(e) = walk.replay(&values) {
                    prop_assert!(!e.node.is_empty());
                }
            }
            Err(e) => {
                let text = e.to_string();
                prop_assert!(text.contains("a.yaml:"), "no location in: {text}");
            }
        }
    }

}

proptest! {
    // Each case draws up to 60 frames; fewer cases keep `cargo test` quick.
    #![proptest_config(cases(250))]

    #[test]
    fn the_app_survives_any_keys_and_resizes(
        steps in proptest::collection::vec(
            prop_oneof![
                8 => (0..KEYS.len()).prop_map(Step::Key),
                1 => any::<char>().prop_map(Step::Char),
                1 => (1u16..220, 1u16..70).prop_map(|(w, h)| Step::Resize(w, h)),
            ],
            0..60,
        ),
        lang in prop_oneof![Just(Lang::En), Just(Lang::Zh)],
    ) {
        let mut a = app(lang, 80, 24, false);
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        for step in steps {
            match step {
                Step::Key(k) => {
                    if KEYS[k] == "q" || KEYS[k] == "Ctrl-c" {
                        continue; // quitting ends the sequence; keep exploring
                    }
                    press(&mut a, &[KEYS[k]]);
                }
                Step::Char(c) => { update(&mut a, Event::Key(Key::Char(c))); }
                Step::Resize(w, h) => {
                    update(&mut a, Event::Resize(w, h));
                    terminal.backend_mut().resize(w, h);
                }
            }
            terminal.draw(|frame| gpuwise::tui::view::view(&a, frame)).unwrap();
        }
    }
}

#[derive(Debug, Clone)]
enum Step {
    Key(usize),
    Char(char),
    Resize(u16, u16),
}

const KEYS: &[&str] = &[
    "Enter", "Bksp", "Esc", "Up", "Down", "Left", "Right", "Tab", "BackTab", "PgDn", "j", "k", "h",
    "l", "w", "g", "/", "r", "L", "e", "?", "1", "2", "3", "9", "0", ".", "-", "q", "Ctrl-c",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// `x == 2`, `x == 2.0` and `x == 2e0` all hold when x is 2, whatever form the literal takes.
    #[test]
    fn equal_values_compare_equal_in_any_literal_form(n in -1_000_000i64..1_000_000) {
        let vars: indexmap::IndexMap<String, gpuwise::tree::Scalar> =
            [("x".to_string(), gpuwise::tree::Scalar::Number(n as f64))].into_iter().collect();
        for literal in [format!("{n}"), format!("{n}.0")] {
            for (op, expected) in [("==", true), ("!=", false), ("<=", true), (">=", true), ("<", false)] {
                let source = format!("x {op} {literal}");
                let parsed = gpuwise::expr::parse(&source).expect("parses");
                prop_assert_eq!(
                    gpuwise::expr::eval(&parsed, &vars),
                    Ok(gpuwise::tree::Scalar::Bool(expected)),
                    "{}", source
                );
            }
        }
    }
}

/// Words the CLI knows, mixed with noise, so random argument lists reach deep into each command.
const ARG_WORDS: &[&str] = &[
    "recommend",
    "validate",
    "render",
    "catalog",
    "prices",
    "trees",
    "schema",
    "tree",
    "answers",
    "--tree",
    "quick-check",
    "gpu-memory",
    "gpu-or-cpu",
    "-a",
    "--answer",
    "matrix=yes",
    "scale=large",
    "latency=ms",
    "task=inference",
    "params=1e308",
    "params=-0",
    "=",
    "matrix=",
    "--format",
    "json",
    "md",
    "text",
    "csv",
    "mermaid",
    "dot",
    "--lang",
    "zh",
    "en",
    "--region",
    "aws=us-east-1",
    "eastus",
    "nowhere",
    "--provider",
    "aws",
    "--gpu",
    "h100",
    "--max-price",
    "0",
    "-1",
    "nan",
    "--sort",
    "gpu-hour",
    "hourly",
    "--strict",
    "--answers",
    "/dev/null",
    "--assets",
    "/nonexistent",
    "\u{1b}[2J",
    "中文",
    "",
];

proptest! {
    // A case can validate every shipped tree: few cases keep `cargo test` quick.
    #![proptest_config(cases(64))]

    /// Any argument list ends in output or a message with an exit code, never a panic.
    #[test]
    fn any_command_line_ends_in_output_or_a_message(
        words in proptest::collection::vec(0..ARG_WORDS.len(), 0..8)
    ) {
        use clap::Parser;
        let mut args = vec!["gpuwise"];
        args.extend(words.iter().map(|&i| ARG_WORDS[i]));
        let Ok(cli) = gpuwise::cli::Cli::try_parse_from(&args) else {
            return Ok(());
        };
        if cli.command.is_none() {
            return Ok(()); // the wizard: it needs a terminal, tested in e2e_pty
        }
        let (mut out, mut err) = (Vec::new(), Vec::new());
        match gpuwise::cli::run(cli, &mut out, &mut err) {
            Ok(()) => {}
            Err(e) => prop_assert!(e.exit_code() == 1 || e.exit_code() == 2, "{args:?}: {e}"),
        }
    }
}

#[cfg(feature = "serve")]
proptest! {
    #![proptest_config(cases(200))]

    /// Whatever bytes an SSH client sends (escape sequences, split UTF-8, control bytes), the
    /// session's input parser and App take them without a panic, and the screen still draws.
    #[test]
    fn any_bytes_from_an_ssh_client_drive_the_app_safely(
        chunks in proptest::collection::vec(
            prop_oneof![
                proptest::collection::vec(any::<u8>(), 0..12),
                Just(b"\x1b[A".to_vec()),
                Just(b"\x1b[6~".to_vec()),
                Just(b"\x1bOB".to_vec()),
                Just(b"\x1b".to_vec()),
                Just(b"\r".to_vec()),
                Just("中".as_bytes()[..2].to_vec()),
            ],
            0..40,
        )
    ) {
        let mut app = common::app(gpuwise::text::Lang::En, 80, 24, false);
        let mut input = gpuwise::serve::Input::default();
        let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
        for chunk in &chunks {
            for key in input.keys(chunk) {
                let _ = gpuwise::tui::app::update(&mut app, gpuwise::tui::app::Event::Key(key));
            }
            terminal.draw(|f| gpuwise::tui::view::view(&app, f)).unwrap();
        }
    }
}
