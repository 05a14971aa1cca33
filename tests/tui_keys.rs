//! Key sequences on the App: walks, back, invalid input, restart, language, export and replay.

mod common;

use common::{app, press};
use gpuwise::engine::Walk;
use gpuwise::text::Lang;
use gpuwise::tui::app::{Effect, Event, Screen, update};

fn current(app: &gpuwise::tui::app::App) -> String {
    match &app.screen {
        Screen::Start { selected } => format!("start:{selected}"),
        Screen::Walk(v) => v.walk.current_id().to_string(),
    }
}

#[test]
fn a_full_walk_reaches_a_result_with_a_recommendation() {
    let mut a = app(Lang::En, 80, 24, false);
    assert_eq!(current(&a), "start:0");
    press(&mut a, &["Enter"]);
    assert_eq!(current(&a), "workload");
    press(&mut a, &["j", "Enter"]);
    assert_eq!(current(&a), "params");
    let view = a.walk().unwrap();
    assert_eq!(view.input, "7", "the default is prefilled");
    press(&mut a, &["Enter"]);
    assert_eq!(current(&a), "big");
    let rec = a.walk().unwrap().result.as_ref().expect("result built");
    assert_eq!(rec.result.summary, "A100 80GB for 16.8 GB.");
}

#[test]
fn number_keys_pick_choices_directly() {
    let mut a = app(Lang::En, 80, 24, true);
    press(&mut a, &["1"]);
    assert_eq!(current(&a), "web");
}

#[test]
fn back_preselects_the_earlier_answer_and_a_change_takes_effect() {
    let mut a = app(Lang::En, 80, 24, false);
    press(&mut a, &["Enter", "2", "Enter"]);
    assert_eq!(current(&a), "big");
    press(&mut a, &["h"]);
    assert_eq!(current(&a), "params");
    assert_eq!(
        a.walk().unwrap().input,
        "7",
        "the earlier number is back in the field"
    );
    press(&mut a, &["3", "Enter"]);
    assert_eq!(
        current(&a),
        "small",
        "typing replaces the preselected number"
    );
    press(&mut a, &["Left", "Bksp", "Bksp"]);
    assert_eq!(current(&a), "workload");
    assert_eq!(a.walk().unwrap().selected, 1, "`model` is preselected");
    press(&mut a, &["Bksp"]);
    assert_eq!(
        current(&a),
        "start:0",
        "back from the first question returns to the start"
    );
}

#[test]
fn an_invalid_number_is_explained_and_nothing_is_lost() {
    let mut a = app(Lang::En, 80, 24, true);
    press(&mut a, &["2", "x", "0", "Enter"]);
    let view = a.walk().unwrap();
    assert_eq!(view.input, "x0", "letters are shown, not dropped");
    assert!(
        view.input_error
            .as_deref()
            .is_some_and(|e| e.starts_with("`x0` is not a number")),
        "{:?}",
        view.input_error
    );
    assert_eq!(current(&a), "params");
    // While something is typed, letter commands type instead of acting.
    press(&mut a, &["q", "r", "L"]);
    assert_eq!(a.walk().unwrap().input, "x0qrL");
    assert_eq!(current(&a), "params");
    // Esc clears the field; a second Esc goes back.
    press(&mut a, &["Esc"]);
    assert_eq!(a.walk().unwrap().input, "");
    press(&mut a, &["7", ",", "5", "Enter"]);
    assert_eq!(
        a.walk().unwrap().input_error.as_deref(),
        Some(
            "use a dot for decimals (7.5, not 7,5); enter a number from 0.1 to 1000 billion parameters"
        )
    );
    press(&mut a, &["Esc", "1", "e", "0", "Enter"]);
    assert_eq!(current(&a), "small", "1e0 = 1 is read exactly");
}

#[test]
fn restart_returns_to_the_first_question() {
    let mut a = app(Lang::En, 80, 24, true);
    press(&mut a, &["2", "Enter", "r"]);
    assert_eq!(current(&a), "workload");
    assert_eq!(a.walk().unwrap().walk.step(), 0);
}

#[test]
fn language_switches_at_run_time_including_the_result() {
    let mut a = app(Lang::En, 80, 24, true);
    press(&mut a, &["2", "Enter"]);
    press(&mut a, &["L"]);
    assert_eq!(a.lang, Lang::Zh);
    let rec = a.walk().unwrap().result.as_ref().unwrap();
    assert_eq!(rec.result.summary, "16.8 GB 用 A100 80GB。");
    press(&mut a, &["L"]);
    assert_eq!(a.lang, Lang::En);
}

#[test]
fn quit_is_immediate_from_anywhere() {
    let mut a = app(Lang::En, 80, 24, true);
    assert_eq!(press(&mut a, &["q"]), vec![Effect::Quit]);
    let mut a = app(Lang::En, 80, 24, true);
    press(&mut a, &["?"]);
    assert_eq!(press(&mut a, &["q"]), vec![Effect::Quit]);
    let mut a = app(Lang::En, 80, 24, true);
    press(&mut a, &["g", "/"]);
    assert!(
        press(&mut a, &["q"]).is_empty(),
        "q is typed into the search field"
    );
    assert_eq!(press(&mut a, &["Ctrl-c"]), vec![Effect::Quit]);
}

#[test]
fn glossary_search_finds_a_term_and_opens_it() {
    let mut a = app(Lang::En, 80, 24, true);
    press(&mut a, &["g"]);
    let Some(gpuwise::tui::app::Overlay::Glossary(g)) = &a.overlay else {
        panic!("glossary open")
    };
    assert_eq!(
        g.focus,
        vec!["cuda".to_string()],
        "the question's terms come first"
    );
    press(&mut a, &["/", "m", "e", "m", "Enter"]);
    let Some(gpuwise::tui::app::Overlay::Glossary(g)) = &a.overlay else {
        panic!("glossary open")
    };
    let entries = a.glossary_entries(g);
    assert_eq!(entries.len(), 1);
    assert_eq!(a.assets.glossary().terms[entries[0]].id.value, "vram");
    press(&mut a, &["Enter"]);
    let Some(gpuwise::tui::app::Overlay::Glossary(g)) = &a.overlay else {
        panic!("glossary open")
    };
    assert!(g.detail);
    press(&mut a, &["Esc", "Esc"]);
    assert!(a.overlay.is_none());
}

#[test]
fn result_sections_are_reachable_by_key() {
    let mut a = app(Lang::En, 40, 12, true);
    press(&mut a, &["2", "Enter"]);
    assert_eq!(a.walk().unwrap().scroll, 0);
    press(&mut a, &["Tab"]);
    let first_jump = a.walk().unwrap().scroll;
    assert!(first_jump > 0);
    press(&mut a, &["Tab", "BackTab"]);
    assert_eq!(a.walk().unwrap().scroll, first_jump);
    press(&mut a, &["PgDn", "j", "k"]);
    assert!(a.walk().unwrap().scroll > first_jump);
    press(&mut a, &["1"]);
    assert_eq!(a.walk().unwrap().scroll, 0, "1 jumps to the first section");
}

#[test]
fn export_writes_a_report_and_answers_that_replay_to_the_same_result() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app(Lang::En, 80, 24, true);
    press(&mut a, &["2", "1", "3", "Enter"]);
    assert_eq!(current(&a), "big");
    press(&mut a, &["e"]);
    press(&mut a, &["Bksp"]);
    let typed: Vec<String> = dir
        .path()
        .display()
        .to_string()
        .chars()
        .map(String::from)
        .collect();
    let typed: Vec<&str> = typed.iter().map(String::as_str).collect();
    press(&mut a, &typed);
    let effects = press(&mut a, &["Enter"]);
    let [Effect::Export { dir: out, files }] = effects.as_slice() else {
        panic!("one export, got {effects:?}")
    };
    assert_eq!(out, dir.path());
    let written = gpuwise::tui::write_export(out, files);
    update(&mut a, Event::Exported(written.clone()));
    let written = written.unwrap();
    assert_eq!(written.len(), 2);
    let report = std::fs::read_to_string(&written[0]).unwrap();
    assert!(report.contains("A100 80GB for 31.2 GB."), "{report}");
    assert!(report.contains("```text"));
    let status = format!("{:?}", a.status);
    assert!(status.contains("Wrote"), "{status}");

    let answers = gpuwise::cli::read_answers_file(&written[1]).unwrap();
    let tree = a.walk().unwrap().walk.tree().clone();
    let mut replay = Walk::new(tree).unwrap();
    let values = gpuwise::cli::answer_texts(&answers.answers);
    replay.replay(&values).unwrap();
    assert_eq!(replay.current_id(), "big");
    assert_eq!(replay.vars(), a.walk().unwrap().walk.vars());
}

#[test]
fn an_export_error_is_shown_not_raised() {
    let mut a = app(Lang::En, 80, 24, true);
    press(&mut a, &["2", "Enter", "e"]);
    let effects = press(&mut a, &["Bksp", "/", "n", "o", "Enter"]);
    let [Effect::Export { dir, files }] = effects.as_slice() else {
        panic!("export")
    };
    let result = gpuwise::tui::write_export(dir, files);
    assert!(result.is_err());
    update(&mut a, Event::Exported(result));
    let status = format!("{:?}", a.status);
    assert!(status.contains("Export failed"), "{status}");
    // The whole message, in a popup: the status line would cut it.
    let overlay = format!("{:?}", a.overlay);
    assert!(overlay.contains("/no: no such file"), "{overlay}");
    assert!(overlay.contains("Nothing was overwritten"), "{overlay}");
    press(&mut a, &["x"]);
    assert!(a.overlay.is_none(), "any key closes it");
}
