//! A few results of the shipped trees, pinned in both languages as `recommend --format md`
//! prints them, so a content change shows up in review.

use gpuwise::assets::Assets;
use gpuwise::engine::Walk;
use gpuwise::format::to_markdown;
use gpuwise::library;
use gpuwise::recommend::Recommendation;
use gpuwise::text::Lang;
use indexmap::IndexMap;

fn markdown(scenario: &str, lang: Lang) -> String {
    /// The parts of a scenario file this test needs; the rest is ignored.
    #[derive(serde::Deserialize)]
    struct Scenario {
        tree: String,
        answers: IndexMap<String, gpuwise::cli::AnswerValue>,
    }
    let path = format!(
        "{}/tests/scenarios/{scenario}.yaml",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).expect("scenario exists");
    let s: Scenario = serde_saphyr::from_str(&text).expect("scenario parses");
    let assets = Assets::embedded();
    let tree = library::load(&library::find(&s.tree).expect("shipped"), &assets).expect("loads");
    let mut walk = Walk::new(tree).expect("starts");
    let answers = gpuwise::cli::answer_texts(&s.answers);
    walk.replay(&answers).expect("answers apply");
    to_markdown(&Recommendation::build(&walk, &assets, lang).expect("a result"))
}

#[test]
fn pinned_results_in_english_and_chinese() {
    for scenario in [
        "main-ml-08-llama3-70b-serving",
        "main-other-01-web-api-daily-peaks",
        "main-other-20-unreal-pixel-streaming",
        "mem-14-qlora-70b",
    ] {
        insta::assert_snapshot!(format!("{scenario}_en"), markdown(scenario, Lang::En));
        insta::assert_snapshot!(format!("{scenario}_zh"), markdown(scenario, Lang::Zh));
    }
}
