//! Every screen drawn into ratatui's TestBackend at 80x24 and 40x12, in English and Chinese,
//! plus the too-small message; pinned with insta.

mod common;

use common::{app, press};
use gpuwise::text::Lang;
use gpuwise::tui::view::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The screens: a name and the keys that lead there from a fresh wizard with a start screen.
const SCREENS: &[(&str, &[&str])] = &[
    ("start", &[]),
    ("question", &["Enter"]),
    ("question_why", &["Enter", "w"]),
    ("number", &["Enter", "2"]),
    ("number_rejected", &["Enter", "2", "Bksp", "0", "Enter"]),
    ("result_top", &["Enter", "2", "Enter"]),
    ("result_families", &["Enter", "2", "Enter", "Tab"]),
    ("result_path", &["Enter", "2", "Enter", "9"]),
    ("help", &["Enter", "?"]),
    ("glossary", &["Enter", "g"]),
    ("glossary_detail", &["Enter", "g", "Enter"]),
    ("export_prompt", &["Enter", "2", "Enter", "e"]),
];

fn render(lang: Lang, width: u16, height: u16, keys: &[&str]) -> String {
    let mut a = app(lang, width, height, false);
    press(&mut a, keys);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| view(&a, frame)).unwrap();
    terminal.backend().to_string()
}

#[test]
fn every_screen_at_both_sizes_in_both_languages() {
    for (name, keys) in SCREENS {
        for (lang, tag) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
            for (w, h) in [(80, 24), (40, 12)] {
                let snapshot = format!("{name}_{tag}_{w}x{h}");
                insta::assert_snapshot!(snapshot, render(lang, w, h, keys));
            }
        }
    }
}

#[test]
fn too_small_says_what_size_is_needed() {
    insta::assert_snapshot!("too_small_en_39x12", render(Lang::En, 39, 12, &["Enter"]));
    insta::assert_snapshot!("too_small_zh_40x11", render(Lang::Zh, 40, 11, &["Enter"]));
    // A 1x1 terminal draws without panicking.
    let _ = render(Lang::En, 1, 1, &["Enter"]);
}

#[test]
fn ascii_mode_draws_only_ascii() {
    let mut a = app(Lang::En, 80, 24, false);
    a.theme = gpuwise::tui::theme::Theme::new(false, true);
    for keys in [&["Enter"][..], &["Enter", "2", "Enter"], &["Enter", "?"]] {
        let mut a2 = app(Lang::En, 80, 24, false);
        a2.theme = a.theme;
        press(&mut a2, keys);
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal.draw(|frame| view(&a2, frame)).unwrap();
        let text = terminal.backend().to_string();
        assert!(
            text.is_ascii(),
            "non-ASCII in --ascii mode after {keys:?}:\n{text}"
        );
    }
}
