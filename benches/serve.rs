//! Load on `gpuwise serve` (a benchmark, not a test): N concurrent russh clients on loopback,
//! each opening a pty session and walking the quick-check tree to a result. Reports sessions
//! held, server RSS per session ((RSS with N) − (RSS idle)) / N, p50/p99 key-to-frame latency
//! and server CPU per session-step, for N = 10, 50, 200. Bounded: every wait has a deadline.
//!
//! Run: `cargo bench --bench serve` (or `-- 10 50` for other counts).

use russh::keys::{PrivateKey, PrivateKeyWithHashAlg, PublicKeyOrCertificate};
use russh::{ChannelMsg, client};
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Trusting;

impl client::Handler for Trusting {
    type Error = russh::Error;

    async fn check_server_key(&mut self, _: &PublicKeyOrCertificate) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

/// The server's resident memory (kB) and CPU time (clock ticks) so far.
fn usage(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let rss = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks = fields
        .get(11)
        .and_then(|u| u.parse::<u64>().ok())
        .unwrap_or(0)
        + fields
            .get(12)
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(0);
    (rss, ticks)
}

/// Reads channel messages until data arrives (a frame) or the deadline passes.
async fn next_frame(channel: &mut russh::Channel<client::Msg>) -> Option<Duration> {
    let start = Instant::now();
    let deadline = tokio::time::sleep(Duration::from_secs(10));
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            msg = channel.wait() => match msg {
                Some(ChannelMsg::Data { .. }) => return Some(start.elapsed()),
                Some(_) => continue,
                None => return None,
            },
            _ = &mut deadline => return None,
        }
    }
}

/// Lets the rest of a frame arrive, so the next key's timer starts on a quiet channel.
async fn drain(channel: &mut russh::Channel<client::Msg>) {
    while let Ok(Some(_)) = tokio::time::timeout(Duration::from_millis(30), channel.wait()).await {}
}

struct Held {
    channel: russh::Channel<client::Msg>,
    _session: client::Handle<Trusting>,
    latencies: Vec<Duration>,
}

async fn open(port: u16, key: Arc<PrivateKey>) -> Option<Held> {
    let config = Arc::new(client::Config::default());
    let fail = |what: &str| eprintln!("session failed: {what}");
    let Ok(mut session) = client::connect(config, ("127.0.0.1", port), Trusting).await else {
        fail("connect");
        return None;
    };
    let auth = session
        .authenticate_publickey("bench", PrivateKeyWithHashAlg::new(key, None))
        .await
        .ok()?;
    if !auth.success() {
        fail("auth");
        return None;
    }
    let mut channel = session.channel_open_session().await.ok()?;
    channel
        .request_pty(false, "xterm", 80, 24, 0, 0, &[])
        .await
        .ok()?;
    channel.request_shell(false).await.ok()?;
    if next_frame(&mut channel).await.is_none() {
        fail("first frame");
        return None;
    }
    drain(&mut channel).await;
    Some(Held {
        channel,
        _session: session,
        latencies: Vec::new(),
    })
}

async fn walk(held: &mut Held, pause: Duration) -> bool {
    for key in ["1", "1", "\r"] {
        tokio::time::sleep(pause).await;
        let sent = Instant::now();
        if held
            .channel
            .data_bytes(key.as_bytes().to_vec())
            .await
            .is_err()
        {
            return false;
        }
        match next_frame(&mut held.channel).await {
            Some(_) => held.latencies.push(sent.elapsed()),
            None => return false,
        }
        drain(&mut held.channel).await;
    }
    true
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn main() {
    let counts: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let counts = if counts.is_empty() {
        vec![10, 50, 200]
    } else {
        counts
    };
    let dir = tempfile::tempdir().unwrap();
    let key = PrivateKey::from(russh::keys::ssh_key::private::Ed25519Keypair::from_seed(
        &[7; 32],
    ));
    let authorized = dir.path().join("authorized_keys");
    std::fs::write(&authorized, key.public_key().to_openssh().unwrap()).unwrap();
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_gpuwise"))
        .args(["serve", "--listen", "127.0.0.1:0", "--tree", "quick-check"])
        .args([
            "--max-sessions",
            "1000",
            "--max-per-ip",
            "1000",
            "--log",
            "/dev/null",
        ])
        .arg("--authorized-keys")
        .arg(&authorized)
        .arg("--host-key")
        .arg(dir.path().join("host"))
        .stderr(std::fs::File::create(dir.path().join("stderr")).unwrap())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    let line = loop {
        let text = std::fs::read_to_string(dir.path().join("stderr")).unwrap_or_default();
        if let Some(line) = text.lines().find(|l| l.contains("listening on")) {
            break line.to_string();
        }
        assert!(
            Instant::now() < deadline,
            "the server did not start: {text}"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let port: u16 = line
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split(';').next())
        .and_then(|p| p.parse().ok())
        .expect("a port");
    let pid = server.id();
    let ticks_per_second = 100.0; // Linux USER_HZ
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let (idle_rss, _) = usage(pid);
    println!(
        "gpuwise serve, quick-check walk, loopback, {} cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!("idle server RSS: {idle_rss} kB");
    println!(
        "| sessions | keys | held | RSS per session | p50 key-to-frame | p99 key-to-frame | CPU per session-step |"
    );
    println!("|---:|---|---:|---:|---:|---:|---:|");
    let key = Arc::new(key);
    // "burst": every session presses its key at the same moment (the worst case); "paced":
    // sessions are spread over 2 s, as people typing are.
    let runs: Vec<(usize, bool)> = counts
        .iter()
        .flat_map(|&n| [(n, false), (n, true)])
        .collect();
    for (n, paced) in runs {
        let started = Instant::now();
        let mut held: Vec<Held> = runtime.block_on(async {
            let tasks: Vec<_> = (0..n)
                .map(|_| tokio::spawn(open(port, key.clone())))
                .collect();
            let mut out = Vec::new();
            for t in tasks {
                if let Ok(Some(h)) = t.await {
                    out.push(h);
                }
            }
            out
        });
        let (_, ticks_before) = usage(pid);
        let walked = runtime.block_on(async {
            let tasks: Vec<_> = held
                .drain(..)
                .enumerate()
                .map(|(i, mut h)| {
                    let pause = if paced {
                        Duration::from_millis((i * 2000 / n.max(1)) as u64)
                    } else {
                        Duration::ZERO
                    };
                    tokio::spawn(async move {
                        let ok = walk(&mut h, pause).await;
                        (ok, h)
                    })
                })
                .collect();
            let mut out = Vec::new();
            for t in tasks {
                if let Ok((true, h)) = t.await {
                    out.push(h);
                }
            }
            out
        });
        let (rss, ticks_after) = usage(pid);
        let mut latencies: Vec<Duration> =
            walked.iter().flat_map(|h| h.latencies.clone()).collect();
        latencies.sort();
        let steps = latencies.len().max(1) as f64;
        let cpu_ms = (ticks_after - ticks_before) as f64 / ticks_per_second * 1000.0 / steps;
        let per_session_kb = (rss.saturating_sub(idle_rss)) as f64 / walked.len().max(1) as f64;
        println!(
            "| {n} | {} | {} | {:.0} kB | {:.1} ms | {:.1} ms | {:.2} ms |",
            if paced { "paced" } else { "burst" },
            walked.len(),
            per_session_kb,
            percentile(&latencies, 0.5).as_secs_f64() * 1000.0,
            percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
            cpu_ms
        );
        runtime.block_on(async {
            for h in &walked {
                let _ = h.channel.data_bytes(b"q".to_vec()).await;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        });
        drop(walked);
        if let Ok(Some(status)) = server.try_wait() {
            let text = std::fs::read_to_string(dir.path().join("stderr")).unwrap_or_default();
            panic!("the server ended: {status}\n{text}");
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "bounded in time"
        );
        std::thread::sleep(Duration::from_millis(500));
    }
    let _ = server.kill();
    let _ = server.wait();
}
