//! `gpuwise serve` with the real OpenSSH client (`ssh -tt` in a pty, its screen parsed with
//! vt100), on loopback only: a walk in both languages, resize, quit, and everything refused.
#![cfg(feature = "serve")]

#[path = "common/pty.rs"]
mod pty;

use portable_pty::CommandBuilder;
use pty::Pty;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn need_ssh() {
    for tool in ["ssh", "ssh-keygen"] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            found,
            "these tests need OpenSSH's `{tool}`: apt-get install openssh-client"
        );
    }
}

fn keygen(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(&path)
        .status()
        .unwrap();
    assert!(status.success());
    path
}

struct Server {
    child: std::process::Child,
    port: u16,
    log: PathBuf,
    dir: tempfile::TempDir,
    /// Everything the server wrote to stderr after its first line.
    stderr: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `gpuwise serve` on a free loopback port with `client` authorized.
    fn start(extra: &[&str]) -> Server {
        need_ssh();
        let dir = tempfile::tempdir().unwrap();
        keygen(dir.path(), "client");
        keygen(dir.path(), "stranger");
        let log = dir.path().join("sessions.log");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_gpuwise"));
        cmd.args(["serve", "--listen", "127.0.0.1:0", "--authorized-keys"])
            .arg(dir.path().join("client.pub"))
            .arg("--host-key")
            .arg(dir.path().join("host_key"))
            .arg("--log")
            .arg(&log)
            .args(extra)
            .env("XDG_CONFIG_HOME", "/nonexistent-gpuwise-test")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        stderr.read_line(&mut line).unwrap();
        let port = line
            .split("listening on 127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split(';').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in `{line}`"));
        assert!(line.contains("host key SHA256:"), "{line}");
        let rest = Arc::new(Mutex::new(String::new()));
        let sink = rest.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            while stderr.read_line(&mut text).is_ok_and(|n| n > 0) {
                sink.lock().unwrap().push_str(&text);
                text.clear();
            }
        });
        Server {
            child,
            port,
            log,
            dir,
            stderr: rest,
        }
    }

    fn ssh_args(&self, key: &str) -> Vec<String> {
        vec![
            "-o".into(),
            "StrictHostKeyChecking=no".into(),
            "-o".into(),
            "UserKnownHostsFile=/dev/null".into(),
            "-o".into(),
            "LogLevel=ERROR".into(),
            "-o".into(),
            "BatchMode=yes".into(),
            "-o".into(),
            "IdentitiesOnly=yes".into(),
            "-i".into(),
            self.dir.path().join(key).display().to_string(),
            "-p".into(),
            self.port.to_string(),
        ]
    }

    /// A plain `ssh` run (no pty): its exit code and all it printed.
    fn run(&self, key: &str, extra: &[&str]) -> (i32, String) {
        let out = Command::new("ssh")
            .args(self.ssh_args(key))
            .args(extra)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.code().unwrap_or(-1), text)
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `ssh -tt` in a pty, as a person at a terminal runs it.
struct Client(Pty);

impl std::ops::Deref for Client {
    type Target = Pty;
    fn deref(&self) -> &Pty {
        &self.0
    }
}

impl std::ops::DerefMut for Client {
    fn deref_mut(&mut self) -> &mut Pty {
        &mut self.0
    }
}

impl Client {
    fn connect(server: &Server, key: &str, cols: u16, rows: u16, env: &[(&str, &str)]) -> Client {
        let mut cmd = CommandBuilder::new("ssh");
        cmd.arg("-tt");
        for (k, v) in env {
            cmd.env(k, v);
            cmd.args(["-o", &format!("SendEnv={k}")]);
        }
        cmd.args(server.ssh_args(key));
        cmd.arg("127.0.0.1");
        cmd.env("TERM", "xterm-256color");
        Client(Pty::spawn(cmd, cols, rows, "ssh"))
    }

    /// Waits for `text` on the screen or anywhere in what ssh printed (a goodbye line).
    fn wait_for(&self, text: &str) {
        self.0.wait_for_output(text);
    }

    /// Types `keys`, then gives them a moment to cross the connection.
    fn send(&mut self, keys: &str) {
        self.0.send(keys);
        std::thread::sleep(Duration::from_millis(100));
    }

    /// quick-check's three questions, answered 1, 1, Enter, to its large-online result.
    fn walk_to_result(&mut self) {
        self.wait_for("Does the core of the work do large matrix");
        self.send("1");
        self.wait_for("How large is the data or the model?");
        self.send("1");
        self.wait_for("Must it answer within milliseconds?");
        self.send("\r");
        self.wait_for("Large model, online");
    }
}

#[test]
fn a_full_walk_in_english_and_chinese_then_q_says_goodbye() {
    let server = Server::start(&["--tree", "quick-check"]);
    let mut c = Client::connect(&server, "client", 80, 24, &[]);
    c.walk_to_result();
    // Export shows the report as text, then any key returns.
    c.send("e");
    c.wait_for("copy it from your terminal");
    c.send(" ");
    c.wait_for("Large model, online");
    c.send("q");
    assert_eq!(c.wait_exit(), 0);
    assert!(c.raw().contains("Goodbye from gpuwise."));
    assert!(
        c.raw().contains("\x1b[?1049l"),
        "the alternate screen is left"
    );

    let mut c = Client::connect(&server, "client", 80, 24, &[("LANG", "zh_CN.UTF-8")]);
    c.wait_for("核心计算是否涉及大规模矩阵运算");
    c.send("1");
    c.send("1");
    c.send("\r");
    c.wait_for("结论");
    c.send("q");
    assert_eq!(c.wait_exit(), 0);
    assert!(c.raw().contains("gpuwise 再见。"));
    let log = server.log();
    assert!(
        log.contains("tree=quick-check result=large-online close=quit"),
        "{log}"
    );
    assert!(log.contains("SHA256:"), "{log}");
    assert!(
        !log.contains("matrix="),
        "answers are not logged by default: {log}"
    );
}

#[test]
fn resizing_mid_question_redraws_at_the_new_size() {
    let server = Server::start(&["--tree", "quick-check"]);
    let mut c = Client::connect(&server, "client", 80, 24, &[]);
    c.wait_for("Does the core of the work do large matrix");
    c.resize(40, 12);
    c.send("\x0c"); // nothing: any key after the resize shows the redrawn screen
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let screen = c.screen();
        let first = screen.lines().next().unwrap_or("").to_string();
        if first.chars().count() <= 40 && screen.contains("Question") {
            break;
        }
        assert!(Instant::now() < deadline, "not redrawn at 40x12:\n{screen}");
        std::thread::sleep(Duration::from_millis(50));
    }
    c.resize(20, 6);
    c.wait_for("40x12");
    // Keys wait while the terminal is too small; Ctrl-C still ends the session.
    c.send("q");
    assert!(c.child.try_wait().unwrap().is_none());
    c.send("\x03");
    assert_eq!(c.wait_exit(), 0);
}

#[test]
fn commands_subsystems_strangers_and_anonymous_are_refused() {
    let server = Server::start(&[]);
    let (code, text) = server.run("client", &["127.0.0.1", "uname"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("runs only the interactive wizard"), "{text}");
    let (code, text) = server.run("client", &["-s", "127.0.0.1", "sftp"]);
    assert_ne!(code, 0, "{text}");
    let (code, text) = server.run("stranger", &["-tt", "127.0.0.1"]);
    assert_eq!(code, 255, "{text}");
    assert!(text.contains("Permission denied"), "{text}");
    // No key at all, and no --allow-anonymous.
    let (code, text) = server.run("/dev/null", &["-tt", "127.0.0.1"]);
    assert_eq!(code, 255, "{text}");
    // A shell without a pty.
    let (code, text) = server.run("client", &["-T", "127.0.0.1"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("needs a terminal"), "{text}");
    let log = server.log();
    assert!(log.contains("close=refused (exec)"), "{log}");
}

#[test]
fn anonymous_needs_the_flag_and_public_needs_loopback_or_consent() {
    let out = Command::new(env!("CARGO_BIN_EXE_gpuwise"))
        .args(["serve", "--listen", "0.0.0.0:0", "--allow-anonymous"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("add --public"));
    let out = Command::new(env!("CARGO_BIN_EXE_gpuwise"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--authorized-keys",
            "/nonexistent",
        ])
        .env("HOME", "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let server = Server::start(&["--allow-anonymous", "--tree", "quick-check"]);
    let mut c = Client::connect(&server, "stranger", 80, 24, &[]);
    c.wait_for("Does the core of the work do large matrix");
    c.send("q");
    assert_eq!(c.wait_exit(), 0);
    assert!(server.log().contains(" anonymous "), "{}", server.log());
}

#[test]
fn a_host_key_others_can_read_is_refused() {
    need_ssh();
    let dir = tempfile::tempdir().unwrap();
    let key = keygen(dir.path(), "host");
    let pubkey = keygen(dir.path(), "client");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_gpuwise"))
        .args(["serve", "--listen", "127.0.0.1:0", "--host-key"])
        .arg(&key)
        .arg("--authorized-keys")
        .arg(pubkey.with_extension("pub"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("chmod 600"));
}

#[test]
fn max_sessions_idle_timeout_and_sigterm_drain() {
    let server = Server::start(&[
        "--tree",
        "quick-check",
        "--max-sessions",
        "1",
        "--idle-timeout",
        "4s",
        "--grace",
        "3s",
    ]);
    let mut first = Client::connect(&server, "client", 80, 24, &[]);
    first.wait_for("Does the core of the work do large matrix");
    let (code, text) = server.run("client", &["-tt", "127.0.0.1"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("server full, try again later"), "{text}");
    // The first session, left alone, is warned and then closed.
    first.wait_for("this session closes in");
    assert_eq!(first.wait_exit(), 0);
    assert!(first.raw().contains("without input"), "{}", first.raw());
    // A new session, then SIGTERM: it is told, and the server ends within the grace period.
    let second = Client::connect(&server, "client", 80, 24, &[]);
    second.wait_for("Does the core of the work do large matrix");
    server.signal("TERM");
    second.wait_for("shutting down");
    let mut server = server;
    let deadline = Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not stop");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success());
    assert!(
        server.log().contains("stopping; 1 session(s) open"),
        "{}",
        server.log()
    );
}

/// A russh client session with a pty and a shell, run on its own thread: `script` gets the
/// channel; when it returns, the connection is dropped without a goodbye.
fn raw_session<F, Fut>(server: &Server, script: F) -> std::thread::JoinHandle<()>
where
    F: FnOnce(russh::Channel<russh::client::Msg>) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()>,
{
    struct Trusting;
    impl russh::client::Handler for Trusting {
        type Error = russh::Error;
        async fn check_server_key(
            &mut self,
            _: &russh::keys::PublicKeyOrCertificate,
        ) -> Result<bool, Self::Error> {
            Ok(true)
        }
    }
    let key = russh::keys::PrivateKey::read_openssh_file(server.dir.path().join("client")).unwrap();
    let port = server.port;
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let config = std::sync::Arc::new(russh::client::Config::default());
            let mut session = russh::client::connect(config, ("127.0.0.1", port), Trusting)
                .await
                .unwrap();
            let auth = session
                .authenticate_publickey(
                    "raw",
                    russh::keys::PrivateKeyWithHashAlg::new(std::sync::Arc::new(key), None),
                )
                .await
                .unwrap();
            assert!(auth.success());
            let channel = session.channel_open_session().await.unwrap();
            channel
                .request_pty(false, "xterm", 200, 60, 0, 0, &[])
                .await
                .unwrap();
            channel.request_shell(false).await.unwrap();
            script(channel).await;
        });
    })
}

/// Clients that vanish mid-session (no `q`, no close) leave the server running, with nothing
/// printed: a stray message on a closed stderr would abort a release build.
#[test]
fn clients_that_vanish_leave_the_server_running() {
    let mut server = Server::start(&["--tree", "quick-check"]);
    for i in 0..6 {
        // Half vanish mid-question, half quit and then vanish before reading the goodbye.
        let keys: &'static [u8] = if i % 2 == 0 { b"1" } else { b"q" };
        raw_session(&server, move |channel| async move {
            let _ = channel.data_bytes(keys.to_vec()).await;
            tokio::time::sleep(Duration::from_millis(200)).await;
        })
        .join()
        .unwrap();
    }
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the server is still running"
    );
    let mut c = Client::connect(&server, "client", 80, 24, &[]);
    c.wait_for("Does the core of the work do large matrix");
    c.send("q");
    assert_eq!(c.wait_exit(), 0);
    let log = server.log();
    assert_eq!(log.matches("close=disconnected").count(), 3, "{log}");
    assert_eq!(log.matches("close=quit").count(), 4, "{log}");
    let stderr = server.stderr.lock().unwrap().clone();
    assert!(stderr.is_empty(), "the server printed: {stderr}");
}

/// A client that sends keys but never reads: its frames are dropped on the server, which keeps
/// serving everyone else at normal speed and in bounded memory.
#[test]
fn a_client_that_stops_reading_does_not_slow_the_others() {
    let server = Server::start(&["--tree", "quick-check"]);
    let (tx, rx) = std::sync::mpsc::channel();
    raw_session(&server, move |channel| async move {
        // Move up and down, never reading a frame.
        tx.send(()).unwrap();
        for _ in 0..20_000 {
            if channel.data_bytes(b"\x1b[B\x1b[A".to_vec()).await.is_err() {
                break;
            }
        }
        tokio::time::sleep(Duration::from_secs(30)).await;
    });
    rx.recv_timeout(Duration::from_secs(20))
        .expect("the stalled client is in");
    let started = Instant::now();
    let mut c = Client::connect(&server, "client", 80, 24, &[]);
    c.walk_to_result();
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    c.send("q");
    assert_eq!(c.wait_exit(), 0);
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).unwrap();
    let rss_kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap();
    assert!(
        rss_kb < 64 * 1024,
        "server RSS {rss_kb} kB with a stalled client"
    );
}

#[test]
fn per_address_limit_input_cap_and_sighup_reread() {
    let server = Server::start(&["--tree", "quick-check", "--max-per-ip", "1"]);
    let mut first = Client::connect(&server, "client", 80, 24, &[]);
    first.wait_for("Does the core of the work do large matrix");
    // A second session from the same address is refused while the first is open.
    let (code, text) = server.run("client", &["-tt", "127.0.0.1"]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("too many sessions from 127.0.0.1 (at most 1)"),
        "{text}"
    );
    // A paste far over the input cap: the rest of that second is dropped, `q` included...
    let paste = "x".repeat(40_000);
    first.send(&paste);
    first.send("q");
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        first.child.try_wait().unwrap().is_none(),
        "the q after the flood was dropped"
    );
    // ...and once the flood has passed, keys count again.
    let deadline = Instant::now() + Duration::from_secs(15);
    while first.child.try_wait().unwrap().is_none() {
        assert!(
            Instant::now() < deadline,
            "q never got through:\n{}",
            first.screen()
        );
        first.send("q");
        std::thread::sleep(Duration::from_millis(400));
    }
    assert_eq!(first.wait_exit(), 0);

    // SIGHUP re-reads the authorized keys: the stranger's key, added, is let in.
    let (code, _) = server.run("stranger", &["-tt", "127.0.0.1"]);
    assert_eq!(code, 255, "refused before");
    let keys = server.dir.path().join("client.pub");
    let mut text = std::fs::read_to_string(&keys).unwrap();
    text.push_str(&std::fs::read_to_string(server.dir.path().join("stranger.pub")).unwrap());
    std::fs::write(&keys, text).unwrap();
    server.signal("HUP");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !server.log().contains("re-read 2 authorized key(s)") {
        assert!(Instant::now() < deadline, "{}", server.log());
        std::thread::sleep(Duration::from_millis(50));
    }
    let (code, text) = server.run("stranger", &["127.0.0.1", "uname"]);
    assert_eq!(code, 1, "let in, then told it runs no commands: {text}");
    assert!(text.contains("runs only the interactive wizard"), "{text}");
}
