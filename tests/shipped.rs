//! The shipped content, checked from its YAML sources with positions, strictly: no missing
//! Chinese, no dangling id, every fact sourced. The binary embeds JSON made from the same files
//! (build.rs); this also checks that the embedded copies load.

use gpuwise::assets::{AssetSources, Assets};
use gpuwise::library::{Origin, SHIPPED_TREES, TreeSource, check, shipped};
use gpuwise::tree::load::SourceFormat;
use std::path::Path;

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).expect("shipped file")
}

#[test]
fn shipped_yaml_validates_strictly() {
    let texts: Vec<(String, String)> = ["catalog", "patterns", "glossary", "advice"]
        .iter()
        .map(|n| {
            let rel = format!("assets/{n}.yaml");
            let text = read(&rel);
            (rel, text)
        })
        .collect();
    let prices: Vec<(String, String)> = ["alibaba", "aws", "azure", "gcp", "tencent"]
        .iter()
        .map(|n| {
            let rel = format!("assets/prices/{n}.yaml");
            let text = read(&rel);
            (rel, text)
        })
        .collect();
    let sources = AssetSources {
        format: SourceFormat::Yaml,
        catalog: (&texts[0].0, &texts[0].1),
        patterns: (&texts[1].0, &texts[1].1),
        glossary: (&texts[2].0, &texts[2].1),
        advice: (&texts[3].0, &texts[3].1),
        prices: &prices,
    };
    let (assets, mut reports) = gpuwise::assets::validate::validate_assets(&sources);
    let assets = assets.expect("shipped assets parse");
    for (_, file, _) in SHIPPED_TREES {
        let source = TreeSource {
            name: file.to_string(),
            text: read(file),
            origin: Origin::File,
        };
        let (tree, report) = check(&source, &assets);
        assert!(tree.is_some(), "{}", report.render());
        reports.push(report);
    }
    let mut problems = String::new();
    for report in &mut reports {
        report.make_strict();
        problems.push_str(&report.render());
    }
    assert!(
        problems.is_empty(),
        "shipped content has problems:\n{problems}"
    );
}

#[test]
fn embedded_copies_load_and_ids_match_file_names() {
    let assets = Assets::embedded();
    assert!(assets.catalog().gpus.len() >= 10);
    assert!(!assets.catalog().families.is_empty());
    assert!(!assets.patterns().patterns.is_empty());
    assert!(!assets.glossary().terms.is_empty());
    for term in &assets.glossary().terms {
        assert_eq!(
            assets.term_name(&term.id.value),
            Some(&term.term),
            "name index of {}",
            term.id.value
        );
    }
    assert!(!assets.advice_list().advice.is_empty());
    for (source, (id, file, _)) in shipped().iter().zip(SHIPPED_TREES) {
        let tree = gpuwise::library::load(source, &assets).expect("embedded tree loads");
        assert_eq!(tree.id.value, *id, "{file}: the id must be the file name");
        assert_eq!(Path::new(file).file_stem().unwrap().to_str(), Some(*id));
    }
}

#[test]
fn every_yaml_file_in_trees_is_shipped() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("trees");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| format!("trees/{}", e.unwrap().file_name().to_string_lossy()))
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    on_disk.sort();
    let mut shipped: Vec<String> = SHIPPED_TREES
        .iter()
        .map(|(_, f, _)| f.to_string())
        .collect();
    shipped.sort();
    assert_eq!(on_disk, shipped);
}
