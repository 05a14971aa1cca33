//! Shared test fixtures: small assets that do not change when the shipped content does.
#![allow(dead_code)] // each test binary uses a different part of this module

use gpuwise::assets::{AssetSources, Assets};
use gpuwise::library::{Origin, TreeSource};
use std::path::Path;

pub const FIXTURE_ASSETS: AssetSources<'static> = AssetSources {
    format: gpuwise::tree::load::SourceFormat::Yaml,
    catalog: (
        "fixtures/assets/catalog.yaml",
        include_str!("../fixtures/assets/catalog.yaml"),
    ),
    patterns: (
        "fixtures/assets/patterns.yaml",
        include_str!("../fixtures/assets/patterns.yaml"),
    ),
    glossary: (
        "fixtures/assets/glossary.yaml",
        include_str!("../fixtures/assets/glossary.yaml"),
    ),
    advice: (
        "fixtures/assets/advice.yaml",
        include_str!("../fixtures/assets/advice.yaml"),
    ),
    prices: &[],
};

pub fn fixture_assets() -> Assets {
    FIXTURE_ASSETS.parse().expect("fixture assets parse")
}

/// A tree fixture under tests/fixtures, named as the report shows it.
pub fn fixture(rel: &str) -> TreeSource {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel);
    TreeSource {
        name: format!("fixtures/{rel}"),
        text: std::fs::read_to_string(&path).expect("fixture exists"),
        origin: Origin::File,
    }
}

use gpuwise::text::Lang;
use gpuwise::tui::app::{App, Event, update};
use gpuwise::tui::keys::Key;
use gpuwise::tui::theme::Theme;
use std::sync::Arc;

/// The wizard over the fixture tree and assets, at `width`x`height`.
pub fn app(lang: Lang, width: u16, height: u16, skip_start: bool) -> App {
    let assets = Arc::new(fixture_assets());
    let tree =
        gpuwise::library::load(&fixture("valid/sizing.yaml"), &assets).expect("fixture loads");
    let second =
        gpuwise::library::load(&fixture("valid/sizing.yaml"), &assets).expect("fixture loads");
    let trees = if skip_start {
        vec![tree]
    } else {
        vec![tree, second]
    };
    let mut app =
        App::new(assets, trees, lang, Theme::new(false, false), skip_start).expect("app starts");
    update(&mut app, Event::Resize(width, height));
    app
}

/// Sends keys; `"1"`, `"Enter"`, `"Bksp"` and so on.
pub fn press(app: &mut App, keys: &[&str]) -> Vec<gpuwise::tui::app::Effect> {
    let mut effects = Vec::new();
    for k in keys {
        let key = match *k {
            "Enter" => Key::Enter,
            "Bksp" => Key::Backspace,
            "Esc" => Key::Esc,
            "Up" => Key::Up,
            "Down" => Key::Down,
            "Left" => Key::Left,
            "Right" => Key::Right,
            "Tab" => Key::Tab,
            "BackTab" => Key::BackTab,
            "PgDn" => Key::PageDown,
            "Ctrl-c" => Key::Ctrl('c'),
            s => Key::Char(s.chars().next().expect("a key")),
        };
        effects.extend(update(app, Event::Key(key)));
    }
    effects
}

/// The date pinned results are priced on, so stale marks do not move with the clock.
pub fn pinned_today() -> i64 {
    gpuwise::prices::days_of("2026-12-01").expect("a date")
}

/// A scenario's walk over the shipped tree it names, with its answers replayed.
pub fn scenario_walk(scenario: &str, assets: &Assets) -> gpuwise::engine::Walk {
    /// The parts of a scenario file needed here; the rest is ignored.
    #[derive(serde::Deserialize)]
    struct Scenario {
        tree: String,
        answers: indexmap::IndexMap<String, gpuwise::cli::AnswerValue>,
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/scenarios")
        .join(format!("{scenario}.yaml"));
    let text = std::fs::read_to_string(&path).expect("scenario exists");
    let s: Scenario = serde_saphyr::from_str(&text).expect("scenario parses");
    let tree = gpuwise::library::load(&gpuwise::library::find(&s.tree).expect("shipped"), assets)
        .expect("loads");
    let mut walk = gpuwise::engine::Walk::new(tree).expect("starts");
    walk.replay(&gpuwise::cli::answer_texts(&s.answers))
        .expect("answers apply");
    assert!(walk.is_finished(), "{scenario} reaches a result");
    walk
}
