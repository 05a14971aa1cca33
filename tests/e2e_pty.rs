//! The real binary in a pseudo-terminal, its screen parsed with vt100: what a person sees.
//! Few tests, since they are slow; every wait has a generous deadline and no timing assertion.

#[path = "common/pty.rs"]
mod pty;

use portable_pty::CommandBuilder;
use pty::Pty;
use std::time::{Duration, Instant};

fn start(args: &[&str], cols: u16, rows: u16) -> Pty {
    start_with(args, cols, rows, &[])
}

fn start_with(args: &[&str], cols: u16, rows: u16, env: &[(&str, &str)]) -> Pty {
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_gpuwise"));
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    spawn(cmd, cols, rows)
}

/// Runs `cmd` (with the test environment added) in a new pty.
fn spawn(mut cmd: CommandBuilder, cols: u16, rows: u16) -> Pty {
    for (k, v) in [
        ("TERM", "xterm-256color"),
        ("LANG", "C.UTF-8"),
        ("XDG_CONFIG_HOME", "/nonexistent-gpuwise-test"),
    ] {
        if cmd.get_env(k).is_none() {
            cmd.env(k, v);
        }
    }
    cmd.env_remove("NO_COLOR");
    Pty::spawn(cmd, cols, rows, "the process")
}

const LEAVE_ALT_SCREEN: &str = "\x1b[?1049l";
const SHOW_CURSOR: &str = "\x1b[?25h";

#[test]
fn first_question_then_a_full_walk_to_a_result_then_q_restores_the_terminal() {
    let mut s = start(&["--tree", "quick-check"], 80, 24);
    s.wait_for("Does the core of the work do large matrix");
    s.send("1");
    s.wait_for("How large is the data or the model?");
    s.send("1");
    s.wait_for("Must it answer within milliseconds?");
    s.send("\r");
    s.wait_for("Large model, online");
    assert!(s.screen().contains("p4de"), "{}", s.screen());
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    let raw = s.raw();
    let tail = &raw[raw.rfind("Large model").unwrap_or(0)..];
    assert!(
        tail.contains(LEAVE_ALT_SCREEN),
        "the alternate screen was not left"
    );
    assert!(tail.contains(SHOW_CURSOR), "the cursor was not shown again");
    assert!(!s.alternate_screen());
}

#[test]
fn resizing_redraws_at_the_new_size_and_below_the_minimum_asks_for_more() {
    let mut s = start(&["--tree", "quick-check"], 80, 24);
    s.wait_for("Does the core of the work do large matrix");
    s.resize(40, 12);
    s.wait_for("Enter choose · Bksp back · w why");
    let screen = s.screen();
    assert!(screen.lines().all(|l| l.chars().count() <= 40), "{screen}");
    s.resize(30, 10);
    s.wait_for("Enlarge the terminal");
    assert!(s.screen().contains("30x10"), "{}", s.screen());
    s.resize(80, 24);
    s.wait_for("Terms (g): CUDA, Tensor Core");
    s.send("\x03");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn sighup_ends_quietly_without_panic_text() {
    let mut s = start(&["--tree", "quick-check"], 80, 24);
    s.wait_for("Does the core of the work do large matrix");
    s.signal("HUP");
    let code = s.wait_exit();
    assert_eq!(code, 128 + 1);
    let raw = s.raw();
    assert!(!raw.contains("panicked"), "{raw}");
    assert!(raw.contains(LEAVE_ALT_SCREEN));
}

#[test]
fn sigterm_restores_the_terminal() {
    let mut s = start(&["--tree", "quick-check", "--lang", "zh"], 80, 24);
    s.wait_for("核心计算是否涉及大规模矩阵运算");
    s.signal("TERM");
    assert_eq!(s.wait_exit(), 128 + 15);
    let raw = s.raw();
    assert!(raw.contains(LEAVE_ALT_SCREEN));
    assert!(raw.contains(SHOW_CURSOR));
}

#[test]
fn term_dumb_draws_ascii_only() {
    let mut s = start_with(&["--tree", "quick-check"], 80, 24, &[("TERM", "dumb")]);
    s.wait_for("Does the core of the work do large matrix");
    let screen = s.screen();
    assert!(screen.contains("+-"), "{screen}");
    assert!(screen.is_ascii(), "{screen}");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn a_one_by_one_terminal_and_a_resize_storm_end_well() {
    let mut s = start(&["--tree", "quick-check"], 1, 1);
    std::thread::sleep(Duration::from_millis(200));
    for i in 0..60u16 {
        s.resize(20 + (i * 7) % 120, 5 + (i * 3) % 50);
    }
    s.resize(80, 24);
    s.wait_for("Does the core of the work do large matrix");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    assert!(!s.raw().contains("panicked"));
}

#[test]
fn every_ending_signal_restores_the_terminal_and_the_tty() {
    for (name, number) in [
        ("INT", 2),
        ("QUIT", 3),
        ("USR1", 10),
        ("USR2", 12),
        ("ALRM", 14),
    ] {
        let mut s = start(&["--tree", "quick-check"], 80, 24);
        s.wait_for("Does the core of the work do large matrix");
        assert_eq!(s.tty_modes(), (false, false), "raw while the wizard runs");
        s.signal(name);
        assert_eq!(s.wait_exit(), 128 + number, "SIG{name}");
        let raw = s.raw();
        assert!(
            raw.ends_with(SHOW_CURSOR) || raw.contains(LEAVE_ALT_SCREEN),
            "SIG{name}"
        );
        assert!(
            raw.contains(LEAVE_ALT_SCREEN) && raw.contains(SHOW_CURSOR),
            "SIG{name}"
        );
        assert_eq!(
            s.tty_modes(),
            (true, true),
            "SIG{name} leaves a cooked tty with echo"
        );
    }
}

#[test]
fn suspend_gives_the_terminal_back_and_continue_repaints() {
    let mut s = start(&["--tree", "quick-check"], 80, 24);
    s.wait_for("Does the core of the work do large matrix");
    // Ctrl-Z, as a key in raw mode.
    s.send("\x1a");
    let deadline = Instant::now() + Duration::from_secs(20);
    while s.tty_modes() != (true, true) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(s.tty_modes(), (true, true), "stopped with a cooked tty");
    assert!(s.raw().contains(LEAVE_ALT_SCREEN));
    s.clear_raw();
    s.signal("CONT");
    let deadline = Instant::now() + Duration::from_secs(20);
    while s.tty_modes() != (false, false) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(s.tty_modes(), (false, false), "raw again after SIGCONT");
    s.wait_for("Does the core of the work do large matrix");
    assert!(
        s.raw().contains("\x1b[?1049h"),
        "back on the alternate screen"
    );
    // The same with SIGTSTP from outside, then keys still work.
    s.signal("TSTP");
    let deadline = Instant::now() + Duration::from_secs(20);
    while s.tty_modes() != (true, true) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(s.tty_modes(), (true, true));
    s.signal("CONT");
    s.wait_for("Does the core of the work do large matrix");
    std::thread::sleep(Duration::from_millis(300));
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn a_c_locale_draws_ascii_and_says_so_for_chinese() {
    let mut s = start_with(
        &["--tree", "quick-check"],
        80,
        24,
        &[("LANG", "C"), ("LC_ALL", "C")],
    );
    s.wait_for("Does the core of the work do large matrix");
    let screen = s.screen();
    assert!(screen.is_ascii(), "{screen}");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    let mut s = start_with(
        &["--tree", "quick-check", "--lang", "zh"],
        80,
        24,
        &[("LANG", "C"), ("LC_ALL", "C")],
    );
    std::thread::sleep(Duration::from_millis(500));
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    assert!(s.raw().contains("not UTF-8"), "{}", s.raw());
}

#[test]
fn a_failed_export_leaves_the_old_report_whole_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("gpuwise-quick-check-report.md");
    std::fs::write(&report, "OLD REPORT\n").unwrap();
    // A file-size limit of 1 KB: the new report cannot be written.
    let mut cmd = CommandBuilder::new("sh");
    cmd.args([
        "-c",
        &format!(
            "ulimit -f 1 && exec {} --tree quick-check",
            env!("CARGO_BIN_EXE_gpuwise")
        ),
    ]);
    cmd.cwd(dir.path());
    let mut s = spawn(cmd, 80, 24);
    s.wait_for("Does the core of the work do large matrix");
    s.send("1");
    s.wait_for("How large is the data or the model?");
    s.send("1");
    s.wait_for("Must it answer within milliseconds?");
    s.send("\r");
    s.wait_for("Large model, online");
    s.send("e");
    s.wait_for("Export");
    s.send("\r");
    s.wait_for("Export failed");
    s.wait_for("Nothing was overwritten");
    assert_eq!(std::fs::read_to_string(&report).unwrap(), "OLD REPORT\n");
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        left,
        vec!["gpuwise-quick-check-report.md".to_string()],
        "no temporary file left"
    );
    s.send("x");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}
