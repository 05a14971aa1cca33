//! Shared test fixtures: small assets that do not change when the shipped content does.
#![allow(dead_code)] // each test binary uses a different part of this module

use gpuwise::assets::{AssetSources, Assets};
use gpuwise::library::{Origin, TreeSource};
use std::path::Path;

pub const FIXTURE_ASSETS: AssetSources<'static> = AssetSources {
    catalog: ("fixtures/assets/catalog.yaml", include_str!("../fixtures/assets/catalog.yaml")),
    patterns: ("fixtures/assets/patterns.yaml", include_str!("../fixtures/assets/patterns.yaml")),
    glossary: ("fixtures/assets/glossary.yaml", include_str!("../fixtures/assets/glossary.yaml")),
    advice: ("fixtures/assets/advice.yaml", include_str!("../fixtures/assets/advice.yaml")),
};

pub fn fixture_assets() -> Assets {
    FIXTURE_ASSETS.parse().expect("fixture assets parse")
}

/// A tree fixture under tests/fixtures, named as the report shows it.
pub fn fixture(rel: &str) -> TreeSource {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel);
    TreeSource {
        name: format!("fixtures/{rel}"),
        text: std::fs::read_to_string(&path).expect("fixture exists"),
        origin: Origin::File,
    }
}
