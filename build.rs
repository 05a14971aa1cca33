//! Converts the shipped YAML (trees/ and assets/) to JSON at build time. The binary embeds the
//! JSON: serde_json reads it in a fraction of the time a YAML parser needs, so loading the
//! embedded content costs no visible start-up. Line and column only matter for authoring, and
//! authors validate the YAML files themselves (`gpuwise validate FILE`, `--assets DIR`, and
//! `cargo test`, which checks every shipped file from its YAML source).

use std::path::Path;

/// Files embedded deflated (see `Embedded` in src/assets/mod.rs): what neither the start
/// screen nor a first question needs at once. The default tree stays plain: inflating it would
/// add a millisecond to the start screen.
const DEFLATED: &[&str] = &["catalog", "patterns", "advice", "gpu-memory"];

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for dir in ["trees", "assets", "assets/prices"] {
        println!("cargo:rerun-if-changed={dir}");
        let target = Path::new(&out).join(dir);
        std::fs::create_dir_all(&target).expect("OUT_DIR is writable");
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{dir}/ cannot be read: {e}"))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .collect();
        entries.sort();
        for path in entries {
            println!("cargo:rerun-if-changed={}", path.display());
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: cannot read: {e}", path.display()));
            let mut options = serde_saphyr::Options::default();
            options.strict_booleans = true;
            let value: serde_json::Value = serde_saphyr::from_str_with_options(&text, options)
                .unwrap_or_else(|e| panic!("{}: {}", path.display(), e));
            let name = path
                .file_stem()
                .expect("a file name")
                .to_string_lossy()
                .into_owned();
            let json = serde_json::to_string(&value).expect("a JSON value serializes");
            if name == "glossary" {
                // Ids and names alone: the question screen's "Terms:" line needs no more.
                let names: Vec<serde_json::Value> = value["terms"]
                    .as_array()
                    .map(|terms| {
                        terms
                            .iter()
                            .map(|t| serde_json::json!({"id": t["id"], "term": t["term"]}))
                            .collect()
                    })
                    .unwrap_or_default();
                let names = serde_json::to_string(&names).expect("a JSON value serializes");
                std::fs::write(target.join("glossary-names.json"), names)
                    .expect("OUT_DIR is writable");
            }
            // Parts the first screen does not need are stored deflated: they are parsed on a
            // background thread anyway, and this keeps the binary small.
            if DEFLATED.contains(&name.as_str()) || dir == "assets/prices" {
                let packed = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9);
                std::fs::write(target.join(format!("{name}.json.deflate")), packed)
                    .expect("OUT_DIR is writable");
            } else {
                std::fs::write(target.join(format!("{name}.json")), json)
                    .expect("OUT_DIR is writable");
            }
        }
    }
}
