//! Bad input at the edges of the CLI: unreadable and hostile files, closed and full outputs,
//! answers that do not fit. Each gets a clear message naming the file and a fitting exit code.

use std::process::{Command, Output, Stdio};

fn gpuwise_in(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gpuwise"))
        .args(args)
        .current_dir(dir)
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env("XDG_CONFIG_HOME", "/nonexistent-gpuwise-test")
        .stdin(Stdio::null())
        .output()
        .expect("binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn tree_path() -> String {
    format!("{}/trees/quick-check.yaml", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn validate_checks_every_file_and_reports_each_problem() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("bad.yaml"), b"id: x\nversion: 1\ntitle: \xff\n").unwrap();
    assert!(
        Command::new("mkfifo")
            .arg(d.join("fifo.yaml"))
            .status()
            .unwrap()
            .success()
    );
    std::os::unix::fs::symlink("loop.yaml", d.join("loop.yaml")).unwrap();
    let o = gpuwise_in(
        d,
        &[
            "validate",
            "missing.yaml",
            "fifo.yaml",
            "bad.yaml",
            "loop.yaml",
            &tree_path(),
        ],
    );
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("missing.yaml: error: cannot read: no such file"),
        "{out}"
    );
    assert!(
        out.contains("fifo.yaml: error: not a regular file"),
        "{out}"
    );
    assert!(out.contains("bad.yaml:3:8: error: not UTF-8"), "{out}");
    assert!(
        out.contains("loop.yaml: error: cannot read: too many levels of symbolic links"),
        "{out}"
    );
    assert!(out.contains("checked 5 file(s)"), "{out}");
    assert!(!out.contains("os error"), "{out}");
    // None readable at all: exit 2.
    let o = gpuwise_in(d, &["validate", "missing.yaml", "fifo.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("none of the 2 file(s) could be read"));
}

#[test]
fn reads_stop_at_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.yaml");
    // Sparse: 40 MiB on paper, nothing on disk.
    std::fs::File::create(&big)
        .unwrap()
        .set_len(40 * 1024 * 1024)
        .unwrap();
    for args in [
        vec!["validate", "big.yaml"],
        vec!["--tree", "big.yaml", "recommend"],
        vec!["recommend", "--answers", "big.yaml"],
    ] {
        let o = gpuwise_in(dir.path(), &args);
        let all = format!("{}{}", text(&o.stdout), text(&o.stderr));
        assert!(
            all.contains("big.yaml: larger than the limit of 32 MiB")
                || all.contains("big.yaml: error: larger than the limit of 32 MiB"),
            "{args:?}: {all}"
        );
        assert_ne!(o.status.code(), Some(0));
    }
    // A device is not read at all.
    let o = gpuwise_in(dir.path(), &["recommend", "--answers", "/dev/zero"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("/dev/zero: not a regular file"));
}

#[test]
fn completions_into_a_full_disk_or_a_closed_pipe_end_well() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_gpuwise"))
        .args(["completions", "bash"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("cannot write the output: No space left on device"),
        "{err}"
    );
    assert!(
        !err.contains("panicked") && !err.contains("os error"),
        "{err}"
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_gpuwise"))
        .args(["completions", "zsh"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(o.stderr.is_empty());
}

#[test]
fn answers_that_do_not_fit_are_errors_naming_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = gpuwise_in(
        d,
        &[
            "recommend",
            "--tree",
            "quick-check",
            "-a",
            "matrix=yes",
            "-a",
            "matrix=no",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("--answer `matrix` is given twice, as `yes` and as `no`"),
        "{}",
        text(&o.stderr)
    );
    std::fs::write(
        d.join("other.yaml"),
        "tree: gpu-memory\nanswers:\n  task: inference\n",
    )
    .unwrap();
    let o = gpuwise_in(
        d,
        &[
            "recommend",
            "--tree",
            "quick-check",
            "--answers",
            "other.yaml",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("these answers are for tree `gpu-memory`, not `quick-check`"),
        "{}",
        text(&o.stderr)
    );
    std::fs::write(d.join("anon.yaml"), "answers:\n  matrix: yes\n").unwrap();
    let o = gpuwise_in(d, &["recommend", "--answers", "anon.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("does not say which tree it answers"));
    std::fs::write(
        d.join("old.yaml"),
        "tree: quick-check\nversion: 999\nanswers:\n  matrix: yes\n  scale: large\n  latency: ms\n",
    )
    .unwrap();
    let o = gpuwise_in(d, &["recommend", "--answers", "old.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("saved for version 999 of tree `quick-check`"));
}

#[test]
fn errors_are_prefixed_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), "tree: quick-check\nanswers: [\n").unwrap();
    let o = gpuwise_in(dir.path(), &["recommend", "--answers", "a.yaml"]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2));
    assert!(err.starts_with("a.yaml:"), "{err}");
    assert!(!err.contains("gpuwise: error: a.yaml"), "{err}");
    assert!(
        err.trim_end()
            .ends_with("gpuwise: error: cannot use answers file a.yaml"),
        "{err}"
    );
}

#[test]
fn the_start_screen_names_trees_left_out() {
    use gpuwise::tui::app::App;
    let assets = std::sync::Arc::new(gpuwise::assets::Assets::embedded());
    let trees: Vec<_> = gpuwise::library::shipped()
        .iter()
        .map(|s| gpuwise::library::load(s, &assets).unwrap())
        .collect();
    let theme = gpuwise::tui::theme::Theme::new(false, false);
    let mut app = App::new(assets, trees, gpuwise::text::Lang::En, theme, false).unwrap();
    app.notices = vec!["mine.yaml: 2 error(s), left out".into()];
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|f| gpuwise::tui::view::view(&app, f))
        .unwrap();
    let screen = terminal.backend().to_string();
    assert!(screen.contains("Trees left out"), "{screen}");
    assert!(
        screen.contains("mine.yaml: 2 error(s), left out"),
        "{screen}"
    );
}

#[test]
fn tree_text_cannot_drive_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let tree = std::fs::read_to_string(tree_path()).unwrap().replacen(
        "en: Does the core of the work do large matrix or tensor operations?",
        "en: \"Evil\\e]0;pwned\\a\\e[2J matrix work?\"",
        1,
    );
    std::fs::write(dir.path().join("evil.yaml"), &tree).unwrap();
    for args in [
        vec!["--tree", "evil.yaml", "render", "--format", "mermaid"],
        vec!["--tree", "evil.yaml", "recommend", "-a", "matrix=no"],
    ] {
        let o = gpuwise_in(dir.path(), &args);
        let out = text(&o.stdout);
        assert!(
            o.status.success() && out.contains("Evil?]0;pwned??[2J"),
            "{args:?}: {out:?}"
        );
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{7}'),
            "{args:?}: {out:?}"
        );
    }
    let o = gpuwise_in(dir.path(), &["validate", "evil.yaml"]);
    assert!(
        text(&o.stdout).contains("control character"),
        "{}",
        text(&o.stdout)
    );
}

#[test]
fn validate_catches_a_lone_brace_and_memory_need_on_a_word() {
    let dir = tempfile::tempdir().unwrap();
    let s = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid/sizing.yaml"
    ))
    .unwrap()
    .replacen(
        "      memory_need: vram_gb\n      show: [vram_gb]",
        "      memory_need: which\n      show: [vram_gb]",
        1,
    )
    .replacen(
        "summary: {en: \"One T4 holds {vram_gb} GB.\"",
        "summary: {en: \"One T4 holds {vram_gb} GB {x.\"",
        1,
    )
    .replacen("set: {bytes: 2}", "set: {bytes: 2, which: \"a\"}", 1);
    std::fs::write(dir.path().join("t.yaml"), s).unwrap();
    let assets = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/assets");
    let o = gpuwise_in(dir.path(), &["--assets", assets, "validate", "t.yaml"]);
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("is not a `{name}` placeholder"), "{out}");
    assert!(
        out.contains("`memory_need` names `which`, which is not a number"),
        "{out}"
    );
}
