//! The result screen of the shipped trees as a person sees it at 80x24, in English and
//! Chinese: a sized GPU result, a CPU result and a streaming result. Each is pinned twice: the
//! first screen, and the whole document the screen scrolls through.

mod common;

use gpuwise::assets::Assets;
use gpuwise::text::Lang;
use gpuwise::tui::app::{App, Event, update};
use gpuwise::tui::theme::Theme;
use gpuwise::tui::view::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::Arc;

const RESULTS: &[(&str, &str)] = &[
    ("gpu_sized", "mem-01-llama3-8b-16-users"),
    ("cpu", "main-ml-04-light-inference-bert-cpu"),
    ("streaming", "main-other-20-unreal-pixel-streaming"),
];

fn app_at(scenario: &str, lang: Lang) -> App {
    let assets = Arc::new(Assets::embedded());
    let walk = common::scenario_walk(scenario, &assets);
    let tree = walk.tree().clone();
    let mut app = App::new(assets, vec![tree], lang, Theme::new(false, false), false).unwrap();
    app.today = common::pinned_today();
    app.begin(walk);
    update(&mut app, Event::Resize(80, 24));
    app
}

#[test]
fn result_screens_at_80x24_in_both_languages() {
    for (name, scenario) in RESULTS {
        for (lang, tag) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
            let app = app_at(scenario, lang);
            let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
            terminal.draw(|frame| view(&app, frame)).unwrap();
            insta::assert_snapshot!(
                format!("result_{name}_{tag}_80x24"),
                terminal.backend().to_string()
            );
            let view = app.walk().expect("a walk");
            let doc = view.document.as_ref().expect("a result document");
            let text: String = doc
                .lines
                .iter()
                .map(|l| {
                    let line: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
                    format!("{}\n", line.trim_end())
                })
                .collect();
            insta::assert_snapshot!(format!("result_{name}_{tag}_document"), text);
        }
    }
}

/// `provider=region` of each cost row of the result on screen.
fn priced_regions(app: &App) -> Vec<String> {
    let result = app
        .walk()
        .and_then(|v| v.result.as_ref())
        .expect("a result");
    result
        .result
        .prices
        .rows
        .iter()
        .map(|r| format!("{}={}", r.provider, r.region))
        .collect()
}

#[test]
fn the_region_key_prices_in_the_next_regions() {
    let mut app = app_at("mem-01-llama3-8b-16-users", Lang::En);
    let before = priced_regions(&app);
    common::press(&mut app, &["P"]);
    let after = priced_regions(&app);
    assert_ne!(before, after, "some provider prices another region");
    let status = format!("{:?}", app.status);
    assert!(status.contains("Prices for"), "{status}");
}
