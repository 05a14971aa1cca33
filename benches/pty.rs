//! Times the real programs in a pseudo-terminal: gpuwise (release build), the same three
//! questions in whiptail, and a minimal ratatui program (the floor of our stack).
//! Run it with `benches/run-pty-bench.sh` (installs whiptail, builds the floor example).
//!
//! Per program, over RUNS runs: start → first question on screen; key → next question on
//! screen; bytes written for that step; peak RSS (VmHWM). Medians with min–max, then ratios.

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const RUNS: usize = 21;
const SETTLE: Duration = Duration::from_millis(150);

struct Program {
    name: &'static str,
    argv: Vec<String>,
    first: &'static str,
    step_key: &'static [u8],
    step: &'static str,
    quit: &'static [u8],
}

#[derive(Default, Clone, Copy)]
struct Sample {
    first_ms: f64,
    step_ms: f64,
    step_bytes: usize,
    rss_kb: u64,
}

/// What the reader thread saw: every chunk with its arrival time.
#[derive(Default)]
struct Seen {
    bytes: usize,
    found: Vec<(String, Instant)>,
}

fn peak_rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

/// The process that does the drawing: the child itself, or for a shell script its child.
fn drawing_pid(pid: u32) -> u32 {
    std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children"))
        .ok()
        .and_then(|s| s.split_whitespace().last().and_then(|p| p.parse().ok()))
        .unwrap_or(pid)
}

fn wait_for(seen: &Arc<Mutex<Seen>>, marker: &str) -> Instant {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some((_, at)) = seen.lock().unwrap().found.iter().find(|(m, _)| m == marker) {
            return *at;
        }
        assert!(Instant::now() < deadline, "`{marker}` never appeared");
        std::thread::sleep(Duration::from_micros(200));
    }
}

fn run_once(p: &Program) -> Sample {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pty");
    let mut cmd = CommandBuilder::new(&p.argv[0]);
    cmd.args(&p.argv[1..]);
    cmd.env("TERM", "xterm-256color");
    cmd.env("LANG", "C.UTF-8");
    cmd.env("XDG_CONFIG_HOME", "/nonexistent-gpuwise-bench");
    let markers = [p.first.to_string(), p.step.to_string()];
    let seen = Arc::new(Mutex::new(Seen::default()));
    let start = Instant::now();
    let mut child = pair.slave.spawn_command(cmd).expect("spawn");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let mut writer = pair.master.take_writer().unwrap();
    let seen_by_reader = seen.clone();
    std::thread::spawn(move || {
        let mut parser = vt100::Parser::new(
            std::num::NonZeroU16::new(24).unwrap(),
            std::num::NonZeroU16::new(80).unwrap(),
            0,
        );
        let mut buf = [0u8; 65536];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            let now = Instant::now();
            parser.process(&buf[..n]);
            let screen = parser.screen().contents();
            let mut seen = seen_by_reader.lock().unwrap();
            seen.bytes += n;
            for m in &markers {
                if !seen.found.iter().any(|(f, _)| f == m) && screen.contains(m.as_str()) {
                    seen.found.push((m.clone(), now));
                }
            }
        }
    });
    let first_at = wait_for(&seen, p.first);
    std::thread::sleep(SETTLE);
    let before = seen.lock().unwrap().bytes;
    let key_at = Instant::now();
    writer.write_all(p.step_key).unwrap();
    writer.flush().unwrap();
    let step_at = wait_for(&seen, p.step);
    std::thread::sleep(SETTLE);
    let after = seen.lock().unwrap().bytes;
    let pid = child.process_id().map(drawing_pid).unwrap_or(0);
    let rss_kb = peak_rss_kb(pid);
    writer.write_all(p.quit).unwrap();
    writer.flush().unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    Sample {
        first_ms: (first_at - start).as_secs_f64() * 1e3,
        step_ms: (step_at - key_at).as_secs_f64() * 1e3,
        step_bytes: after - before,
        rss_kb,
    }
}

struct Stats {
    median: f64,
    min: f64,
    max: f64,
}

fn stats(values: impl Iterator<Item = f64>) -> Stats {
    let mut v: Vec<f64> = values.collect();
    v.sort_by(f64::total_cmp);
    Stats {
        median: v[v.len() / 2],
        min: v[0],
        max: v[v.len() - 1],
    }
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` would pass nothing useful: only run
    // when asked to bench.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let gpuwise = PathBuf::from(env!("CARGO_BIN_EXE_gpuwise"));
    let floor = root.join("target/release/examples/floor");
    let mut programs = vec![Program {
        name: "gpuwise",
        argv: vec![
            gpuwise.display().to_string(),
            "--tree".into(),
            "quick-check".into(),
        ],
        first: "Does the core of the work do large matrix",
        step_key: b"1",
        step: "How large is the data or the model?",
        quit: b"q",
    }];
    if Path::new("/usr/bin/whiptail").exists() {
        programs.push(Program {
            name: "whiptail",
            argv: vec![
                "/bin/sh".into(),
                root.join("benches/whiptail-wizard.sh")
                    .display()
                    .to_string(),
            ],
            first: "Does the core of the work do large matrix",
            step_key: b"\r",
            step: "How large is the data or the model?",
            quit: b"\x1b",
        });
    } else {
        eprintln!("whiptail is not installed: run benches/run-pty-bench.sh (it installs it)");
    }
    if floor.exists() {
        programs.push(Program {
            name: "floor",
            argv: vec![floor.display().to_string()],
            first: "Floor question: pick one",
            step_key: b"\x1b[B",
            step: "> Bravo",
            quit: b"q",
        });
    } else {
        eprintln!(
            "{} is missing: cargo build --release --example floor",
            floor.display()
        );
    }
    let mut results: Vec<(&str, [Stats; 4])> = Vec::new();
    for p in &programs {
        run_once(p); // warm the page cache
        let samples: Vec<Sample> = (0..RUNS).map(|_| run_once(p)).collect();
        let s = [
            stats(samples.iter().map(|s| s.first_ms)),
            stats(samples.iter().map(|s| s.step_ms)),
            stats(samples.iter().map(|s| s.step_bytes as f64)),
            stats(samples.iter().map(|s| s.rss_kb as f64 / 1024.0)),
        ];
        println!(
            "{:<9} first question {:>6.2} ms ({:.2}–{:.2})  key→next {:>6.3} ms ({:.3}–{:.3})  bytes/step {:>6.0} ({:.0}–{:.0})  peak RSS {:>5.2} MB ({:.2}–{:.2})   [{} runs]",
            p.name,
            s[0].median,
            s[0].min,
            s[0].max,
            s[1].median,
            s[1].min,
            s[1].max,
            s[2].median,
            s[2].min,
            s[2].max,
            s[3].median,
            s[3].min,
            s[3].max,
            RUNS
        );
        results.push((p.name, s));
    }
    let ours = &results[0].1;
    for (name, theirs) in &results[1..] {
        println!(
            "gpuwise / {name:<8}: first question {:.2}x  key→next {:.2}x  bytes/step {:.2}x  peak RSS {:.2}x",
            ours[0].median / theirs[0].median,
            ours[1].median / theirs[1].median,
            ours[2].median / theirs[2].median,
            ours[3].median / theirs[3].median,
        );
    }
    let size = std::fs::metadata(&gpuwise).map(|m| m.len()).unwrap_or(0);
    println!("binary {}: {:.2} MB", gpuwise.display(), size as f64 / 1e6);
}
