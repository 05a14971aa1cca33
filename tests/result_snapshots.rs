//! A few results of the shipped trees, pinned in both languages as `recommend --format md`
//! prints them, so a content change shows up in review.

mod common;

use gpuwise::assets::Assets;
use gpuwise::format::to_markdown;
use gpuwise::recommend::Recommendation;
use gpuwise::text::Lang;

fn markdown(scenario: &str, lang: Lang) -> String {
    let assets = Assets::embedded();
    let walk = common::scenario_walk(scenario, &assets);
    let regions = gpuwise::prices::Regions::default();
    to_markdown(
        &Recommendation::build_in(&walk, &assets, lang, &regions, common::pinned_today())
            .expect("a result"),
    )
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
