//! The real binary, run for every subcommand: output, exit codes and the JSON shape.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn gpuwise(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gpuwise"))
        .args(args)
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("XDG_CONFIG_HOME", "/nonexistent-gpuwise-test")
        .stdin(Stdio::null())
        .output()
        .expect("binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const QUICK_LARGE_ONLINE: &[&str] = &[
    "recommend",
    "--tree",
    "quick-check",
    "-a",
    "matrix=yes",
    "-a",
    "scale=large",
    "-a",
    "latency=ms",
];

#[test]
fn trees_lists_every_shipped_tree() {
    let o = gpuwise(&["trees"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    for id in ["gpu-or-cpu", "quick-check", "gpu-memory"] {
        assert!(
            text.lines().any(|l| l.starts_with(id)),
            "{id} missing from:\n{text}"
        );
    }
    let o = gpuwise(&["trees", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 3);
    assert_eq!(json[0]["origin"], "shipped");
}

#[test]
fn user_trees_load_and_a_broken_one_is_reported_without_stopping_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let trees = dir.path().join("gpuwise/trees");
    std::fs::create_dir_all(&trees).unwrap();
    let mine = include_str!("../trees/quick-check.yaml").replace("id: quick-check", "id: my-check");
    std::fs::write(trees.join("mine.yaml"), mine).unwrap();
    std::fs::write(trees.join("broken.yaml"), "id: broken\nversion: [\n").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_gpuwise"))
        .args(["trees"])
        .env("XDG_CONFIG_HOME", dir.path())
        .output()
        .unwrap();
    assert!(o.status.success());
    let listed = stdout(&o);
    assert!(
        listed
            .lines()
            .any(|l| l.starts_with("my-check") && l.contains("user")),
        "{listed}"
    );
    assert!(
        stderr(&o).contains("broken.yaml:2:10: error:"),
        "{}",
        stderr(&o)
    );
    // A user tree is found by its id.
    let o = Command::new(env!("CARGO_BIN_EXE_gpuwise"))
        .args([
            "recommend",
            "--tree",
            "my-check",
            "-a",
            "matrix=no",
            "--format",
            "json",
        ])
        .env("XDG_CONFIG_HOME", dir.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn recommend_json_has_the_documented_shape() {
    let mut args = QUICK_LARGE_ONLINE.to_vec();
    args.extend(["--format", "json"]);
    let o = gpuwise(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["tree"], "quick-check");
    let path = json["path"].as_array().unwrap();
    assert_eq!(path.len(), 3);
    assert_eq!(path[0]["node"], "matrix");
    assert_eq!(path[0]["answer"], "yes");
    assert!(path[0]["question"].as_str().unwrap().contains("matrix"));
    let result = &json["result"];
    assert_eq!(result["id"], "large-online");
    assert!(result["summary"].as_str().unwrap().contains("A100"));
    let families = result["families"].as_array().unwrap();
    assert!(families.len() >= 5, "{}", families.len());
    for f in families {
        for key in ["provider", "family", "gpu", "gpu_count", "gpu_memory_gb"] {
            assert!(f.get(key).is_some(), "family lacks {key}: {f}");
        }
    }
    let mut providers: Vec<&str> = families
        .iter()
        .map(|f| f["provider"].as_str().unwrap())
        .collect();
    assert!(providers.is_sorted(), "sorted by provider: {providers:?}");
    providers.dedup();
    assert_eq!(providers, ["alibaba", "aws", "azure", "gcp", "tencent"]);
    assert!(
        result["prices"]["rows"]
            .as_array()
            .is_some_and(|r| !r.is_empty())
    );
    assert_eq!(result["pattern"]["id"], "online-inference");
    assert!(
        result["pattern"]["diagram"]
            .as_str()
            .unwrap()
            .contains("-->")
    );
    assert!(result["rationale"].is_string());
    assert!(!result["pitfalls"].as_array().unwrap().is_empty());
    assert!(!result["cost"].as_array().unwrap().is_empty());
    assert_eq!(result["variables"]["tier"], "large");
}

#[test]
fn recommend_text_and_markdown_in_both_languages() {
    let o = gpuwise(QUICK_LARGE_ONLINE);
    assert!(o.status.success());
    assert!(stdout(&o).starts_with("Recommendation: "));
    let mut args = QUICK_LARGE_ONLINE.to_vec();
    args.extend(["--format", "md", "--lang", "zh"]);
    let o = gpuwise(&args);
    let md = stdout(&o);
    assert!(md.starts_with("# 推荐"), "{md}");
    assert!(md.contains("| 云厂商 |"));
    assert!(md.contains("```text"));
    assert!(md.contains("## 决策路径"));
}

#[test]
fn an_unanswered_question_names_its_id_text_and_choices() {
    let o = gpuwise(&["recommend", "--tree", "quick-check", "-a", "matrix=yes"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("unanswered question `scale`: How large is the data or the model?"),
        "{err}"
    );
    assert!(err.contains("large"), "{err}");
    assert!(err.contains("--answer scale=<choice>"), "{err}");
}

#[test]
fn a_wrong_value_says_what_was_wrong() {
    let o = gpuwise(&["recommend", "--tree", "quick-check", "-a", "matrix=maybe"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("`maybe` is not a choice of `matrix`; valid choices: yes, no"),
        "{err}"
    );
    let o = gpuwise(&["recommend", "--tree", "quick-check", "-a", "nosuch=1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("has no question with this id"),
        "{}",
        stderr(&o)
    );
    let o = gpuwise(&["recommend", "--tree", "quick-check", "-a", "matrix"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("NODE=VALUE"));
}

#[test]
fn an_answers_file_replays_and_flags_override_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("answers.yaml");
    std::fs::write(
        &file,
        "tree: quick-check\nanswers:\n  matrix: \"yes\"\n  scale: small\n  latency: batch\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let o = gpuwise(&["recommend", "--answers", f, "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["result"]["id"], "small-batch");
    let o = gpuwise(&[
        "recommend",
        "--answers",
        f,
        "-a",
        "latency=ms",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["result"]["id"], "small-online");

    let json_file = dir.path().join("answers.json");
    std::fs::write(
        &json_file,
        r#"{"tree": "quick-check", "answers": {"matrix": "no"}}"#,
    )
    .unwrap();
    let o = gpuwise(&[
        "recommend",
        "--answers",
        json_file.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));

    std::fs::write(&file, "tree: quick-check\nanswerz: {}\n").unwrap();
    let o = gpuwise(&["recommend", "--answers", f]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("answers.yaml:2:1: error: unknown field `answerz`"),
        "{}",
        stderr(&o)
    );
    let o = gpuwise(&["recommend", "--answers", "/nonexistent/answers.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("answers file /nonexistent/answers.yaml: cannot read: no such file"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn validate_passes_the_shipped_content_strictly() {
    let o = gpuwise(&["validate", "--strict"]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("checked 12 file(s): 0 error(s), 0 warning(s)"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn validate_reports_problems_with_positions_and_exit_1() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/invalid/missing-next.yaml"
    );
    let o = gpuwise(&["validate", path]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("missing-next.yaml:12:35: error: `next` of `q` leads to `nowhere`"),
        "{out}"
    );
    assert!(out.contains("^"));
    let missing_zh = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/invalid/missing-zh.yaml"
    );
    // The fixture trees name fixture families, so use the fixture assets.
    let assets = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/assets");
    let o = gpuwise(&["validate", "--assets", assets, missing_zh]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = gpuwise(&["validate", "--assets", assets, "--strict", missing_zh]);
    assert_eq!(o.status.code(), Some(1));
    let o = gpuwise(&["validate", "/nonexistent/tree.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains("/nonexistent/tree.yaml: error: cannot read: no such file"),
        "{}",
        stdout(&o)
    );
    assert!(stderr(&o).contains("none of the 1 file(s) could be read"));
}

#[test]
fn render_produces_mermaid_and_dot() {
    let o = gpuwise(&["render", "--tree", "quick-check", "--format", "mermaid"]);
    assert!(o.status.success());
    let text = stdout(&o);
    assert!(text.starts_with("graph TD\n"));
    assert!(
        text.contains("matrix -->|\"Yes: training, inference, rendering, simulation\"| scale"),
        "{text}"
    );
    let o = gpuwise(&["render", "--tree", "quick-check", "--format", "dot"]);
    let text = stdout(&o);
    assert!(text.starts_with("digraph \"quick-check\" {"));
    assert!(
        text.contains("\"online\" -> \"large-online\" [label=\"tier == \\\"large\\\"\"];"),
        "{text}"
    );
    let o = gpuwise(&["render", "--format", "svg"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn catalog_filters_and_json() {
    let o = gpuwise(&[
        "catalog",
        "--provider",
        "aws",
        "--gpu",
        "h100",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let gpus = json["gpus"].as_array().unwrap();
    assert_eq!(gpus.len(), 1);
    for key in ["id", "name", "memory_gb", "memory_bandwidth_gbs", "source"] {
        assert!(gpus[0].get(key).is_some(), "gpu lacks {key}");
    }
    let families = json["families"].as_array().unwrap();
    assert!(families.iter().any(|f| f["family"] == "p5"), "{families:?}");
    for f in families {
        assert_eq!(f["provider"], "aws");
        assert_eq!(f["gpu"], "h100");
        for key in ["id", "provider", "family", "gpu", "gpu_count", "source"] {
            assert!(f.get(key).is_some(), "family lacks {key}");
        }
    }
    let o = gpuwise(&["catalog", "--gpu", "z9000"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown GPU id"), "{}", stderr(&o));
    let o = gpuwise(&["catalog", "--format", "md"]);
    assert!(stdout(&o).starts_with("| GPU | Memory |"));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gpuwise"))
        .args(["catalog"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader goes away at once, as `| head -0` would
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stderr(&o), "");
}

#[test]
fn completions_and_man_page() {
    let o = gpuwise(&["completions", "bash"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("_gpuwise()"));
    let o = gpuwise(&["man"]);
    assert!(stdout(&o).contains(".TH gpuwise"));
}

#[test]
fn the_wizard_without_a_terminal_points_at_recommend() {
    let o = gpuwise(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("needs a terminal"));
    assert!(stderr(&o).contains("gpuwise recommend"));
}

#[test]
fn help_shows_examples_and_exit_codes() {
    let o = gpuwise(&["--help"]);
    assert!(stdout(&o).contains("Examples:"));
    assert!(stdout(&o).contains("Exit codes"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_gpuwise"))
        .args(["--lang", "fr", "trees"])
        .stderr(Stdio::piped())
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    let _ = child.stdin.take().unwrap().write_all(b"");
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(2), "clap rejects an unknown language");
}

#[test]
fn trees_lists_each_id_once_and_says_which_files_were_left_out() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("gpuwise/trees");
    std::fs::create_dir_all(&dir).unwrap();
    let shipped = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("trees/quick-check.yaml"),
    )
    .unwrap();
    std::fs::write(dir.join("copy.yaml"), &shipped).unwrap();
    std::fs::write(dir.join("broken.yaml"), "id: broken\nstart: [\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_gpuwise"))
        .args(["trees"])
        .env("XDG_CONFIG_HOME", home.path())
        .env("LANG", "C")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.starts_with("quick-check "))
            .count(),
        1,
        "{stdout}"
    );
    assert!(
        stderr.contains("declares tree id `quick-check`")
            && stderr.contains("it is left out (`--tree quick-check` uses"),
        "{stderr}"
    );
    // A broken file: its report with a position, then one line saying it was left out.
    assert!(stderr.contains("broken.yaml:"), "{stderr}");
    assert!(stderr.contains("error(s), left out"), "{stderr}");
}
