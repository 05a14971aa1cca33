//! Core benchmarks (criterion): loading and validating the shipped content and synthetic trees
//! of 1k, 10k and 100k nodes; one engine step; drawing a question and a result screen.

#[path = "common/synthetic.rs"]
mod synthetic;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use gpuwise::assets::{AssetSources, Assets};
use gpuwise::engine::{Answer, Walk};
use gpuwise::library::{self, Origin, TreeSource};
use gpuwise::text::Lang;
use gpuwise::tree::load::SourceFormat;
use gpuwise::tui::app::{App, Event, update};
use gpuwise::tui::keys::Key;
use gpuwise::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use std::sync::Arc;

fn fixture_assets() -> Assets {
    AssetSources {
        format: SourceFormat::Yaml,
        catalog: (
            "catalog",
            include_str!("../tests/fixtures/assets/catalog.yaml"),
        ),
        patterns: (
            "patterns",
            include_str!("../tests/fixtures/assets/patterns.yaml"),
        ),
        glossary: (
            "glossary",
            include_str!("../tests/fixtures/assets/glossary.yaml"),
        ),
        advice: (
            "advice",
            include_str!("../tests/fixtures/assets/advice.yaml"),
        ),
        prices: &[],
    }
    .parse()
    .expect("fixture assets parse")
}

fn shipped(c: &mut Criterion) {
    c.bench_function("embedded assets: parse all four", |b| {
        b.iter(|| {
            let assets = Assets::embedded();
            black_box((
                assets.catalog(),
                assets.patterns(),
                assets.glossary(),
                assets.advice_list(),
            ));
        })
    });
    c.bench_function("embedded trees: load all three", |b| {
        let assets = Assets::embedded();
        b.iter(|| {
            for source in library::shipped() {
                black_box(library::load(&source, &assets).expect("loads"));
            }
        })
    });
    let yaml: Vec<(String, String)> = [
        "trees/gpu-or-cpu.yaml",
        "trees/gpu-memory.yaml",
        "trees/quick-check.yaml",
    ]
    .iter()
    .map(|f| {
        (
            f.to_string(),
            std::fs::read_to_string(f).expect("run from the crate root"),
        )
    })
    .collect();
    c.bench_function(
        "shipped trees: YAML parse + validate (as `gpuwise validate`)",
        |b| {
            let assets = Assets::embedded();
            b.iter(|| {
                for (name, text) in &yaml {
                    let source = TreeSource {
                        name: name.clone(),
                        text: text.clone(),
                        origin: Origin::File,
                    };
                    black_box(library::check(&source, &assets));
                }
            })
        },
    );
}

fn synthetic_trees(c: &mut Criterion) {
    let assets = fixture_assets();
    let mut group = c.benchmark_group("synthetic tree: YAML parse + validate");
    group.sample_size(10);
    for n in [1_000, 10_000, 100_000] {
        let source = TreeSource {
            name: format!("synthetic-{n}"),
            text: synthetic::tree_yaml(n),
            origin: Origin::File,
        };
        group.bench_with_input(BenchmarkId::from_parameter(n), &source, |b, source| {
            b.iter(|| {
                let (tree, report) = library::check(source, &assets);
                assert!(
                    tree.is_some() && report.error_count() == 0,
                    "{}",
                    report.render()
                );
            })
        });
    }
    group.finish();
    // The same trees already parsed: what the checks themselves cost, apart from the parser.
    let mut group = c.benchmark_group("synthetic tree: validate only");
    group.sample_size(10);
    for n in [1_000, 10_000, 100_000] {
        let text = synthetic::tree_yaml(n);
        let tree: gpuwise::tree::Tree =
            gpuwise::tree::load::parse_yaml(&text, &gpuwise::tree::load::Limits::default())
                .expect("parses");
        group.bench_with_input(BenchmarkId::from_parameter(n), &tree, |b, tree| {
            b.iter(|| {
                let problems = gpuwise::tree::validate::validate_tree(tree, &assets, 200_000);
                assert!(problems.is_empty());
            })
        });
    }
    group.finish();
}

fn engine_step(c: &mut Criterion) {
    let assets = Assets::embedded();
    let source = library::find("quick-check").expect("shipped");
    let tree = library::load(&source, &assets).expect("loads");
    let walk = Walk::new(tree).expect("starts");
    c.bench_function("engine: one answer (question → next question)", |b| {
        b.iter(|| {
            let mut w = walk.clone();
            w.answer(Answer::Choice("yes".into())).expect("valid");
            black_box(w);
        })
    });
}

/// A whole walk of the main tree (a 13B training run on 20 billion tokens in 48 hours, a
/// cluster result), then the result with its memory and cost sections, as the wizard builds it.
fn result_build(c: &mut Criterion) {
    let assets = Assets::embedded();
    let source = library::find("gpu-or-cpu").expect("shipped");
    let tree = library::load(&source, &assets).expect("loads");
    let answers = [
        Answer::Choice("training".into()),
        Answer::Number(13.0),
        Answer::Choice("full".into()),
        Answer::Choice("mixed-adam".into()),
        Answer::Choice("tokens".into()),
        Answer::Number(20.0),
        Answer::Number(48.0),
        Answer::Choice("yes".into()),
        Answer::Choice("one-off".into()),
    ];
    let walk_all = || {
        let mut w = Walk::new(tree.clone()).expect("starts");
        for a in &answers {
            w.answer(a.clone()).expect("valid");
        }
        w
    };
    assert!(walk_all().outcome().is_some(), "the walk ends at a result");
    c.bench_function(
        "engine: walk gpu-or-cpu to a training result (9 answers)",
        |b| b.iter(|| black_box(walk_all())),
    );
    let walk = walk_all();
    c.bench_function("result: build the training-cluster result (en)", |b| {
        b.iter(|| {
            black_box(
                gpuwise::recommend::Recommendation::build(&walk, &assets, Lang::En)
                    .expect("builds"),
            )
        })
    });
}

fn app_at(width: u16, height: u16, keys: &[Key]) -> App {
    let assets = Arc::new(Assets::embedded());
    let source = library::find("quick-check").expect("shipped");
    let tree = library::load(&source, &assets).expect("loads");
    let mut app =
        App::new(assets, vec![tree], Lang::En, Theme::new(true, false), true).expect("starts");
    update(&mut app, Event::Resize(width, height));
    for key in keys {
        update(&mut app, Event::Key(*key));
    }
    app
}

fn render(c: &mut Criterion) {
    for (w, h) in [(80, 24), (200, 50)] {
        for (name, keys) in [
            ("question", &[][..]),
            (
                "result",
                &[Key::Char('1'), Key::Char('1'), Key::Char('1')][..],
            ),
        ] {
            let app = app_at(w, h, keys);
            let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test backend");
            c.bench_function(&format!("view: {name} screen at {w}x{h}"), |b| {
                b.iter(|| {
                    terminal
                        .draw(|frame| gpuwise::tui::view::view(&app, frame))
                        .expect("draws");
                })
            });
        }
    }
    c.bench_function("update + view: key on a question (80x24)", |b| {
        let app = app_at(80, 24, &[]);
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("test backend");
        b.iter_batched(
            || app_at(80, 24, &[]),
            |mut app| {
                update(&mut app, Event::Key(Key::Char('1')));
                terminal
                    .draw(|frame| gpuwise::tui::view::view(&app, frame))
                    .expect("draws");
            },
            criterion::BatchSize::SmallInput,
        );
        drop(app);
    });
}

criterion_group!(
    benches,
    shipped,
    synthetic_trees,
    engine_step,
    result_build,
    render
);
criterion_main!(benches);
