//! Walks every path of every shipped tree (every choice; for each number its range ends, its
//! default and a middle value, see `Mode`) and reads every result as a person would: the wizard's document,
//! the text and the Markdown output, in English and Chinese. None may show a raw variable name,
//! a `name = value` dump, a placeholder's brace, or a number a person cannot read (NaN, inf).
//!
//! Walks that reach the same question with the same variables continue alike, so each such state
//! is expanded once; the count of paths is reported (run with `--nocapture`).

use gpuwise::assets::Assets;
use gpuwise::engine::{Answer, Walk, format_number_exact};
use gpuwise::format::{to_markdown, to_text};
use gpuwise::prices::Regions;
use gpuwise::recommend::Recommendation;
use gpuwise::text::Lang;
use gpuwise::tree::{Node, Scalar, Tree};
use gpuwise::tui::document;
use gpuwise::tui::theme::Theme;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// What a walk found.
#[derive(Default)]
struct Tally {
    /// Distinct paths from the start to a result.
    paths: u128,
    /// Distinct (result, variables) states rendered.
    rendered: usize,
    results: HashSet<String>,
    states: HashSet<String>,
    shapes: HashSet<String>,
    problems: Vec<String>,
}

/// What decides which texts a result shows and how its numbers print: the result, every
/// word and yes/no variable, and whether each number is zero, finite or not. (How numbers
/// of each size print is `vars::format_decimals`'s own tests.) Results that share it read
/// alike but for the figures, so one of them is rendered.
fn shape_key(walk: &Walk) -> String {
    let mut vars: Vec<String> = walk
        .vars()
        .iter()
        .map(|(k, v)| match v {
            Scalar::Number(n) => format!(
                "{k}~{}",
                match n.abs() {
                    0.0 => "0",
                    x if !x.is_finite() => "inf",
                    _ => "some",
                }
            ),
            other => format!("{k}={other:?}"),
        })
        .collect();
    vars.sort();
    format!("{}|{}", walk.current_id(), vars.join(","))
}

fn state_key(walk: &Walk) -> String {
    let mut vars: Vec<String> = walk
        .vars()
        .iter()
        .map(|(k, v)| format!("{k}={v:?}"))
        .collect();
    vars.sort();
    format!("{}|{}", walk.current_id(), vars.join(","))
}

/// How a path treats number questions. Every number takes its default (or a middle value),
/// except that one number per path may instead take its minimum, maximum or one of `SPREAD`
/// values between, and two
/// extra walks per path put every number at its minimum or at its maximum. So every value of
/// every number meets every path of choices, without the product of all numbers' values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Mode {
    /// No number has left its default yet.
    Free,
    /// One number did: the rest take their defaults.
    Fixed,
    AllMin,
    AllMax,
}

/// Values tried across a number's range, besides its ends and default.
const SPREAD: u32 = 12;

/// The answers worth trying at the walk's current question, with the mode each leaves.
fn answers(walk: &Walk, mode: Mode) -> Vec<(Answer, Mode)> {
    match walk.current() {
        Node::Question(q) => q
            .choices
            .iter()
            .map(|c| (Answer::Choice(c.value.id.value.clone()), mode))
            .collect(),
        Node::Number(n) => {
            let (min, max) = (n.min.value, n.max.value);
            let fit = |v: f64| {
                if n.integer {
                    v.round().clamp(min.ceil(), max.floor())
                } else {
                    v
                }
            };
            // Points spread over the range (log-spaced where it starts above zero), so that
            // results reached only by middling values (a 34B or 47B model) are reached too.
            let spread: Vec<f64> = (1..SPREAD)
                .map(|i| {
                    let t = f64::from(i) / f64::from(SPREAD);
                    fit(if min > 0.0 {
                        min * (max / min).powf(t)
                    } else {
                        min + (max - min) * t
                    })
                })
                .collect();
            let middle = spread[spread.len() / 2];
            let default = walk
                .number_default()
                .ok()
                .flatten()
                .map(fit)
                .unwrap_or(middle);
            let (min, max) = (fit(min), fit(max));
            let mut out = match mode {
                Mode::AllMin => vec![(min, Mode::AllMin)],
                Mode::AllMax => vec![(max, Mode::AllMax)],
                Mode::Fixed => vec![(default, Mode::Fixed)],
                Mode::Free => {
                    let mut out = vec![
                        (default, Mode::Free),
                        (min, Mode::Fixed),
                        (max, Mode::Fixed),
                    ];
                    out.extend(spread.iter().map(|v| (*v, Mode::Fixed)));
                    out.extend([(min, Mode::AllMin), (max, Mode::AllMax)]);
                    out
                }
            };
            let mut seen = Vec::new();
            out.retain(|a| {
                let keep = !seen.contains(a);
                seen.push(*a);
                keep
            });
            out.into_iter()
                .map(|(v, m)| (Answer::Number(v), m))
                .collect()
        }
        _ => Vec::new(),
    }
}

/// Variables named after the model config.json field a question asks the person to read:
/// the texts name that field on purpose.
const CONFIG_KEYS: &[&str] = &["head_dim"];

/// Identifiers a person must never read: the tree's variable names that cannot be words.
fn variable_names(tree: &Tree) -> Vec<String> {
    let mut names = HashSet::new();
    for (_, node) in tree.nodes.iter() {
        match &node.value {
            Node::Question(q) => {
                for c in &q.choices {
                    names.extend(c.value.set.keys().cloned());
                }
            }
            Node::Number(n) => {
                names.insert(n.var.value.clone());
            }
            Node::Compute(c) => names.extend(c.set.keys().cloned()),
            _ => {}
        }
    }
    let mut names: Vec<String> = names
        .into_iter()
        .filter(|n| n.contains('_') || n.chars().any(|c| c.is_ascii_digit()))
        .filter(|n| !CONFIG_KEYS.contains(&n.as_str()))
        .collect();
    names.sort();
    names
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The whole identifiers in `text` (runs of letters, digits and `_`), each once.
fn identifiers(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !is_ident_char(c))
        .filter(|w| !w.is_empty())
}

fn check_text(what: &str, text: &str, names: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let at = || format!("{what} line {}: {line:?}", n + 1);
        // One pass over the line's identifiers, not one search per name: this runs on
        // millions of lines.
        for word in identifiers(line) {
            if names.iter().any(|n| n == word) {
                problems.push(format!("raw variable `{word}` in {}", at()));
            }
        }
        if line.contains('{') || line.contains('}') {
            problems.push(format!("a brace left from a placeholder in {}", at()));
        }
        for bad in ["NaN", "inf GB", " inf ", "Scalar", "Number(", "Str(\""] {
            if line.contains(bad) {
                problems.push(format!("`{bad}` in {}", at()));
            }
        }
        // `name = value` dumps: an identifier, " = ", then anything.
        if let Some(i) = line.find(" = ") {
            let before: String = line[..i]
                .chars()
                .rev()
                .take_while(|c| is_ident_char(*c))
                .collect();
            if before.contains('_') {
                problems.push(format!("a variable dump in {}", at()));
            }
        }
    }
    problems
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ffef}')
}

/// Chinese output: ASCII `:,?();` next to a Chinese character (it should be full-width).
fn check_zh(what: &str, text: &str) -> Vec<String> {
    let ascii = |c: char| ":,?();".contains(c);
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            let chars: Vec<char> = line.chars().collect();
            chars.windows(2).any(|p| {
                let (a, b) = (p[0], p[1]);
                (is_cjk(a) && ascii(b)) || (ascii(a) && is_cjk(b))
            })
        })
        .map(|(n, line)| {
            format!(
                "ASCII punctuation by Chinese in {what} line {}: {line:?}",
                n + 1
            )
        })
        .collect()
}

fn render_all(walk: &Walk, assets: &Assets, names: &[String], tally: &mut Tally) {
    let regions = Regions::default();
    let today = gpuwise::prices::days_of("2026-12-01").expect("a date");
    for lang in [Lang::En, Lang::Zh] {
        let r = match Recommendation::build_in(walk, assets, lang, &regions, today) {
            Ok(r) => r,
            Err(e) => {
                tally.problems.push(format!(
                    "{} ({lang:?}): the result does not build: {e}",
                    walk.current_id()
                ));
                return;
            }
        };
        let doc = document::build(&r, 80, &Theme::new(false, false));
        let tui: String = doc
            .lines
            .iter()
            .map(|l| {
                let mut s: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
                s.push('\n');
                s
            })
            .collect();
        let answers: Vec<String> = walk
            .answers()
            .iter()
            .map(|(k, v)| {
                format!(
                    "{k}={}",
                    match v {
                        Answer::Choice(c) => c.clone(),
                        Answer::Number(n) => format_number_exact(*n),
                    }
                )
            })
            .collect();
        let label = format!("{} [{}] ({lang:?})", r.result.id, answers.join(" "));
        for (what, text) in [
            ("the wizard", tui),
            ("the text output", to_text(&r)),
            ("the Markdown", to_markdown(&r)),
        ] {
            let mut problems = check_text(what, &text, names);
            if lang == Lang::Zh {
                problems.extend(check_zh(what, &text));
            }
            for p in problems {
                tally.problems.push(format!("{label}: {p}"));
            }
        }
    }
    tally.rendered += 1;
}

/// Expands `walk`; returns how many distinct paths lead from here to a result.
fn explore(
    walk: Walk,
    mode: Mode,
    assets: &Assets,
    names: &[String],
    seen: &mut HashMap<String, u128>,
    tally: &mut Tally,
) -> u128 {
    let key = format!("{mode:?}|{}", state_key(&walk));
    if let Some(paths) = seen.get(&key) {
        return *paths;
    }
    let paths = if walk.is_finished() {
        tally.results.insert(walk.current_id().to_string());
        // The same result state reached in another mode reads the same: render it once.
        tally.states.insert(state_key(&walk));
        if tally.shapes.insert(shape_key(&walk)) {
            render_all(&walk, assets, names, tally);
        }
        1
    } else {
        let mut paths = 0;
        for (answer, mode) in answers(&walk, mode) {
            let mut next = walk.clone();
            match next.answer(answer.clone()) {
                Ok(()) => paths += explore(next, mode, assets, names, seen, tally),
                Err(e) => tally.problems.push(format!(
                    "{}: answer {answer:?} fails: {e}",
                    walk.current_id()
                )),
            }
        }
        paths
    };
    seen.insert(key, paths);
    paths
}

#[test]
fn no_result_on_any_path_shows_a_raw_variable_or_placeholder() {
    let assets = Assets::embedded();
    let mut report = Vec::new();
    let mut problems = Vec::new();
    let mut total_rendered = 0;
    let mut total_names = 0;
    for source in gpuwise::library::shipped() {
        let tree = gpuwise::library::load(&source, &assets).expect("shipped tree loads");
        let names = variable_names(&tree);
        total_names += names.len();
        let mut tally = Tally::default();
        let mut seen = HashMap::new();
        let walk = Walk::new(Arc::clone(&tree)).expect("walk starts");
        tally.paths = explore(walk, Mode::Free, &assets, &names, &mut seen, &mut tally);
        let unreached: Vec<&str> = tree
            .nodes
            .iter()
            .filter(|(id, n)| {
                matches!(n.value, Node::Result(_)) && !tally.results.contains(&id.value)
            })
            .map(|(id, _)| id.value.as_str())
            .collect();
        let results = tally.results.len() + unreached.len();
        assert!(
            unreached.is_empty(),
            "{}: no path tried reaches {unreached:?}",
            tree.id.value
        );
        report.push(format!(
            "{}: {} paths, {} distinct result states, {} distinct shapes ({} rendered, x2 languages x3 outputs), {} of {} results reached",
            tree.id.value,
            tally.paths,
            tally.states.len(),
            tally.shapes.len(),
            tally.rendered,
            tally.results.len(),
            results
        ));
        total_rendered += tally.rendered;
        problems.extend(tally.problems);
    }
    println!("{}", report.join("\n"));
    assert!(
        total_names > 20,
        "the check needs the trees' variable names"
    );
    assert!(total_rendered > 300, "too few results rendered: {report:?}");
    // One line per distinct problem, with the first path that showed it.
    let mut distinct: Vec<String> = Vec::new();
    for p in problems {
        let what = p.split("\n    first seen").next().unwrap_or(&p).to_string();
        if !distinct.iter().any(|d| d.starts_with(&what)) {
            distinct.push(p);
        }
    }
    let problems = distinct;
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_checker_catches_what_it_looks_for() {
    assert_eq!(check_zh("t", "g2 (未确认：x)").len(), 1);
    assert_eq!(
        check_zh("t", "g2（未确认：x）；见 https://a.b/c?d=e").len(),
        0
    );
    let names = vec!["vram_gb".to_string(), "kv_heads".to_string()];
    assert_eq!(check_text("t", "Needs vram_gb of memory", &names).len(), 1);
    assert_eq!(check_text("t", "• vram_gb = 249.6", &names).len(), 2);
    assert_eq!(check_text("t", "Holds {weights} GB", &names).len(), 1);
    assert_eq!(
        check_text("t", "GPU memory needed: NaN GB", &names).len(),
        1
    );
    assert!(check_text("t", "GPU memory needed: 249.6 GB (x = 2)", &names).is_empty());
    assert!(check_text("t", "my_vram_gb_x is fine", &names).is_empty());
}
