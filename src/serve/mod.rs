//! `gpuwise serve`: the wizard over SSH, the second driver of the same App (`tui/app.rs`,
//! `view.rs`, `keys.rs`). Each session gets its own App, drawn by ratatui into the channel;
//! keys arrive as bytes and are parsed by `input`. This module owns what only a server has:
//! sessions, authentication, limits, the host key and the log.

mod input;

pub use input::Input;

use crate::assets::Assets;
use crate::text::Lang;
use crate::tree::Tree;
use crate::tui::app::{App, Effect, Event, Screen, update};
use crate::tui::keys::{Action, Key, action_for};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use russh::keys::{HashAlg, PrivateKey, PublicKey};
use russh::server::{Auth, ChannelOpenHandle, Config, Handle, Msg, Session};
use russh::{Channel, ChannelId, MethodKind, MethodSet, Pty};
use std::collections::HashMap;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// What `gpuwise serve` was asked to do.
#[derive(Clone, Debug)]
pub struct Options {
    pub listen: SocketAddr,
    pub host_key: PathBuf,
    pub authorized_keys: Option<PathBuf>,
    pub allow_anonymous: bool,
    pub public: bool,
    pub max_sessions: usize,
    pub max_per_ip: usize,
    pub idle_timeout: Duration,
    pub grace: Duration,
    pub lang: Option<Lang>,
    pub log: Option<PathBuf>,
    pub log_answers: bool,
    /// The wizard opens at this tree's first question (`--tree`).
    pub skip_start: bool,
}

/// Bytes of input a session may send per second; more is dropped (a paste bomb, a flood).
const INPUT_BYTES_PER_SECOND: usize = 16 * 1024;
/// Frames queued for a client; past this the client is not reading, and frames are dropped
/// (the next one it gets is a full repaint of the latest screen).
const QUEUED_FRAMES: usize = 4;
/// Session channels one connection may open; the wizard needs one.
const CHANNELS_PER_CONNECTION: usize = 2;
/// The smallest and largest terminal a client may claim.
const MAX_SIDE: u32 = 1000;

/// The default host key: `$XDG_STATE_HOME/gpuwise/ssh_host_ed25519_key`.
pub fn default_host_key() -> PathBuf {
    let base = std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("gpuwise").join("ssh_host_ed25519_key")
}

/// Reads the host key, or makes one (ed25519, mode 0600) on first run. A key file that others
/// may read is refused.
pub fn host_key(path: &Path) -> Result<PrivateKey, String> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
    let shown = path.display();
    match std::fs::metadata(path) {
        Ok(meta) => {
            if meta.permissions().mode() & 0o077 != 0 {
                return Err(format!(
                    "{shown}: the host key may be read by others (mode {:o}); run `chmod 600 {shown}`",
                    meta.permissions().mode() & 0o777
                ));
            }
            let text = crate::library::read_text(path, 64 * 1024).map_err(|e| e.to_string())?;
            PrivateKey::from_openssh(text.as_bytes())
                .map_err(|e| format!("{shown}: not an OpenSSH private key: {e}"))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut seed = [0u8; 32];
            std::fs::File::open("/dev/urandom")
                .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut seed))
                .map_err(|e| format!("cannot read /dev/urandom for a host key: {e}"))?;
            let key = PrivateKey::from(russh::keys::ssh_key::private::Ed25519Keypair::from_seed(
                &seed,
            ));
            let text = key
                .to_openssh(russh::keys::ssh_key::LineEnding::LF)
                .map_err(|e| format!("cannot encode the host key: {e}"))?;
            if let Some(dir) = path.parent() {
                std::fs::DirBuilder::new()
                    .recursive(true)
                    .mode(0o700)
                    .create(dir)
                    .map_err(|e| {
                        format!("{}: {}", dir.display(), crate::library::describe_io(&e))
                    })?;
            }
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(path)
                .map_err(|e| format!("{shown}: {}", crate::library::describe_io(&e)))?;
            file.write_all(text.as_bytes())
                .and_then(|()| file.sync_all())
                .map_err(|e| format!("{shown}: {}", crate::library::describe_io(&e)))?;
            Ok(key)
        }
        Err(e) => Err(format!("{shown}: {}", crate::library::describe_io(&e))),
    }
}

/// The public keys of an authorized_keys file (options before the key type are skipped;
/// comments and blank lines ignored). A line that holds no key is an error naming it.
pub fn authorized_keys(path: &Path) -> Result<Vec<PublicKey>, String> {
    let text = crate::library::read_text(path, 1024 * 1024).map_err(|e| e.to_string())?;
    let mut keys = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        // `from="10.0.0.0/8",no-pty ssh-ed25519 AAAA... comment`: try from each word.
        let words: Vec<&str> = line.split_whitespace().collect();
        let key = (0..words.len())
            .find_map(|i| PublicKey::from_openssh(&words[i..].join(" ")).ok())
            .ok_or_else(|| format!("{}:{}: not a public key", path.display(), n + 1))?;
        keys.push(key);
    }
    Ok(keys)
}

/// Everything the sessions share.
struct Shared {
    options: Options,
    assets: Arc<Assets>,
    trees: Vec<Arc<Tree>>,
    keys: RwLock<Vec<PublicKey>>,
    sessions: AtomicUsize,
    per_ip: Mutex<HashMap<IpAddr, usize>>,
    stopping: AtomicBool,
    log: Mutex<Box<dyn Write + Send>>,
}

impl Shared {
    fn log(&self, line: &str) {
        if let Ok(mut log) = self.log.lock() {
            let _ = writeln!(log, "{line}");
            let _ = log.flush();
        }
    }

    fn key_allowed(&self, key: &PublicKey) -> bool {
        self.keys
            .read()
            .map(|keys| keys.iter().any(|k| k.key_data() == key.key_data()))
            .unwrap_or(false)
    }
}

/// What goes to a client, in order: frames, then the close.
enum Out {
    Data(Vec<u8>),
    Close(u32),
}

/// ratatui writes a frame here; `flush` hands it to the session's sender without waiting.
/// When the client stops reading the queue fills, the frame is dropped and `dropped` asks the
/// next draw to repaint everything, so memory stays bounded and the latest screen wins.
struct Frames {
    buf: Vec<u8>,
    tx: tokio::sync::mpsc::Sender<Out>,
    dropped: Arc<AtomicBool>,
}

impl Write for Frames {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let frame = std::mem::take(&mut self.buf);
        match self.tx.try_send(Out::Data(frame)) {
            Ok(()) => Ok(()),
            Err(tokio::sync::mpsc::error::TrySendError::Full(_)) => {
                self.dropped.store(true, Ordering::SeqCst);
                Ok(())
            }
            // The client is gone: there is no one to tell. An error here would make ratatui's
            // Terminal, when dropped, print "Failed to show the cursor" to the server's stderr
            // (and abort the whole server if stderr is a closed pipe).
            Err(tokio::sync::mpsc::error::TrySendError::Closed(_)) => Ok(()),
        }
    }
}

const ENTER: &[u8] = b"\x1b[?1049h\x1b[?25l";
const LEAVE: &[u8] = b"\x1b[?1049l\x1b[?25h";

/// One wizard on one channel.
struct Live {
    app: App,
    terminal: Terminal<CrosstermBackend<Frames>>,
    dropped: Arc<AtomicBool>,
    tx: tokio::sync::mpsc::Sender<Out>,
    input: Input,
    started: Instant,
    last_input: Instant,
    warned_idle: bool,
    told_stop: bool,
    /// The report is on screen as plain text (the export of a server session).
    report: bool,
    window: (Instant, usize),
    closed: Option<String>,
}

impl Live {
    fn size(&self) -> (u16, u16) {
        self.app.size
    }

    fn draw(&mut self) {
        if self.closed.is_some() || self.report {
            return;
        }
        if self.dropped.swap(false, Ordering::SeqCst) {
            let (w, h) = self.size();
            let _ = self.terminal.resize(Rect::new(0, 0, w, h));
        }
        let app = &self.app;
        let _ = self
            .terminal
            .draw(|frame| crate::tui::view::view(app, frame));
    }

    fn raw(&mut self, bytes: &[u8]) {
        let _ = self.tx.try_send(Out::Data(bytes.to_vec()));
    }

    fn resize(&mut self, cols: u32, rows: u32) {
        let (w, h) = (
            cols.clamp(1, MAX_SIDE) as u16,
            rows.clamp(1, MAX_SIDE) as u16,
        );
        let _ = self.terminal.resize(Rect::new(0, 0, w, h));
        update(&mut self.app, Event::Resize(w, h));
        self.draw();
    }

    /// Ends the session: the terminal back, a goodbye line, exit status, close.
    fn close(&mut self, reason: &str, message: &str, status: u32) {
        if self.closed.is_some() {
            return;
        }
        self.closed = Some(reason.to_string());
        let mut bytes = LEAVE.to_vec();
        bytes.extend_from_slice(message.as_bytes());
        bytes.extend_from_slice(b"\r\n");
        // Blocking here would stall the connection; if the client reads nothing the close
        // still goes out once the queue drains or the connection drops.
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let _ = tx.send(Out::Data(bytes)).await;
            let _ = tx.send(Out::Close(status)).await;
        });
    }

    /// The report as plain text on the normal screen, to copy from the scrollback: a server
    /// writes no files for its users.
    fn show_report(&mut self) {
        let Some(result) = self.app.walk().and_then(|v| v.result.as_ref()) else {
            return;
        };
        let mut text = crate::format::to_text(result);
        let lang = self.app.lang;
        text.push_str(match lang {
            Lang::En => "\n-- The report above is plain text: copy it from your terminal. Any key returns to the wizard. --\n",
            Lang::Zh => "\n-- 以上报告为纯文本，可直接从终端复制。按任意键返回向导。--\n",
        });
        let mut bytes = LEAVE.to_vec();
        bytes.extend_from_slice(b"\x1b[2J\x1b[H");
        // Tree text cannot drive the client's terminal: the same filter as CLI output.
        let mut clean = crate::text::Sanitized::new(Vec::new());
        let _ = clean.write_all(text.as_bytes());
        let _ = clean.flush();
        for byte in clean.into_inner() {
            if byte == b'\n' {
                bytes.push(b'\r');
            }
            bytes.push(byte);
        }
        self.raw(&bytes);
        self.report = true;
    }

    /// One key; the caller draws once after all the keys of a chunk (a paste of thousands
    /// of keys is one frame, not thousands).
    fn key(&mut self, key: Key) {
        if self.report {
            self.report = false;
            self.raw(ENTER);
            self.dropped.store(true, Ordering::SeqCst);
            return;
        }
        let on_result = self
            .app
            .walk()
            .is_some_and(|v| v.walk.is_finished() && v.result.is_some());
        if on_result && self.app.overlay.is_none() && action_for(key) == Some(Action::Export) {
            self.show_report();
            return;
        }
        let effects = update(&mut self.app, Event::Key(key));
        if effects.iter().any(|e| matches!(e, Effect::Quit)) {
            let bye = match self.app.lang {
                Lang::En => "Goodbye from gpuwise.",
                Lang::Zh => "gpuwise 再见。",
            };
            self.close("quit", bye, 0);
            return;
        }
        if effects.iter().any(|e| matches!(e, Effect::Export { .. })) {
            self.show_report();
        }
    }

    fn data(&mut self, bytes: &[u8]) {
        let now = Instant::now();
        if now.duration_since(self.window.0) >= Duration::from_secs(1) {
            self.window = (now, 0);
        }
        let room = INPUT_BYTES_PER_SECOND.saturating_sub(self.window.1);
        let bytes = &bytes[..bytes.len().min(room)];
        self.window.1 += bytes.len();
        self.last_input = now;
        self.warned_idle = false;
        for key in self.input.keys(bytes) {
            if self.closed.is_some() {
                return;
            }
            self.key(key);
        }
        self.draw();
    }

    fn result_id(&self) -> String {
        self.app
            .walk()
            .filter(|v| v.walk.is_finished())
            .map(|v| v.walk.current_id().to_string())
            .unwrap_or_else(|| "-".into())
    }

    fn tree_id(&self) -> String {
        match &self.app.screen {
            Screen::Walk(v) => v.walk.tree().id.value.clone(),
            Screen::Start { .. } => "-".into(),
        }
    }

    fn answers(&self) -> String {
        self.app
            .walk()
            .map(|v| {
                v.walk
                    .answers()
                    .iter()
                    .map(|(k, a)| format!("{k}={}", a.as_value()))
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .unwrap_or_default()
    }
}

/// The handler of one TCP connection.
struct Conn {
    shared: Arc<Shared>,
    addr: SocketAddr,
    who: String,
    channels: usize,
    pty: Option<(String, u32, u32)>,
    lang: Option<Lang>,
    no_color: bool,
    live: Option<Arc<Mutex<Live>>>,
    counted: bool,
    started: Instant,
    /// Why the connection got no wizard, for the log.
    refused: Option<String>,
}

impl Drop for Conn {
    fn drop(&mut self) {
        let (tree, result, reason, answers, duration) = match &self.live {
            Some(live) => match live.lock() {
                Ok(mut l) => {
                    let reason = l.closed.clone().unwrap_or_else(|| "disconnected".into());
                    // Closed, so the watcher ends and the session's memory goes now, not at
                    // the idle timeout.
                    l.closed = Some(reason.clone());
                    (
                        l.tree_id(),
                        l.result_id(),
                        reason,
                        l.answers(),
                        l.started.elapsed(),
                    )
                }
                Err(_) => (
                    "-".into(),
                    "-".into(),
                    "error".into(),
                    String::new(),
                    self.started.elapsed(),
                ),
            },
            None => (
                "-".into(),
                "-".into(),
                self.refused.clone().unwrap_or_else(|| "no session".into()),
                String::new(),
                self.started.elapsed(),
            ),
        };
        if self.counted {
            self.shared.sessions.fetch_sub(1, Ordering::SeqCst);
            if let Ok(mut per_ip) = self.shared.per_ip.lock()
                && let Some(n) = per_ip.get_mut(&self.addr.ip())
            {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    per_ip.remove(&self.addr.ip());
                }
            }
        }
        let mut line = format!(
            "{} session {} {} {:.1}s tree={} result={} close={}",
            humantime::format_rfc3339_seconds(std::time::SystemTime::now()),
            self.addr,
            self.who,
            duration.as_secs_f64(),
            tree,
            result,
            reason
        );
        if self.shared.options.log_answers && !answers.is_empty() {
            line.push_str(&format!(" answers={answers}"));
        }
        self.shared.log(&line);
    }
}

fn reject() -> Auth {
    Auth::Reject {
        proceed_with_methods: None,
        partial_success: false,
    }
}

/// A one-line message to a client that gets no wizard, then the close.
fn refuse(session: &mut Session, channel: ChannelId, message: &str) {
    let _ = session.data(channel, format!("gpuwise: {message}\r\n").into_bytes());
    let _ = session.exit_status_request(channel, 1);
    let _ = session.eof(channel);
    let _ = session.close(channel);
}

impl Conn {
    fn start(&mut self, channel: ChannelId, session: &mut Session) -> Result<(), String> {
        let shared = self.shared.clone();
        let Some((term, cols, rows)) = self.pty.clone() else {
            return Err("the wizard needs a terminal: connect with `ssh -t`".into());
        };
        if self.live.is_some() {
            return Err("one wizard per connection".into());
        }
        if shared.stopping.load(Ordering::SeqCst) {
            return Err("the server is shutting down, try again later".into());
        }
        if shared.sessions.load(Ordering::SeqCst) >= shared.options.max_sessions {
            return Err("server full, try again later".into());
        }
        {
            let mut per_ip = shared
                .per_ip
                .lock()
                .map_err(|_| "internal error".to_string())?;
            let n = per_ip.entry(self.addr.ip()).or_insert(0);
            if *n >= shared.options.max_per_ip {
                return Err(format!(
                    "too many sessions from {} (at most {}), try again later",
                    self.addr.ip(),
                    shared.options.max_per_ip
                ));
            }
            *n += 1;
        }
        shared.sessions.fetch_add(1, Ordering::SeqCst);
        self.counted = true;

        let lang = shared.options.lang.or(self.lang).unwrap_or_default();
        let dumb = term == "dumb";
        let theme = crate::tui::theme::Theme::new(!self.no_color && !dumb, dumb);
        let mut app = App::new(
            shared.assets.clone(),
            shared.trees.clone(),
            lang,
            theme,
            shared.options.skip_start,
        )
        .map_err(|e| e.to_string())?;
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Out>(QUEUED_FRAMES);
        let handle: Handle = session.handle();
        tokio::spawn(async move {
            while let Some(out) = rx.recv().await {
                let ok = match out {
                    Out::Data(bytes) => handle.data(channel, bytes).await.is_ok(),
                    Out::Close(status) => {
                        let _ = handle.exit_status_request(channel, status).await;
                        let _ = handle.eof(channel).await;
                        let _ = handle.close(channel).await;
                        false
                    }
                };
                if !ok {
                    break;
                }
            }
        });
        let dropped = Arc::new(AtomicBool::new(false));
        let frames = Frames {
            buf: ENTER.to_vec(),
            tx: tx.clone(),
            dropped: dropped.clone(),
        };
        let (w, h) = (
            cols.clamp(1, MAX_SIDE) as u16,
            rows.clamp(1, MAX_SIDE) as u16,
        );
        let terminal = Terminal::with_options(
            CrosstermBackend::new(frames),
            TerminalOptions {
                viewport: Viewport::Fixed(Rect::new(0, 0, w, h)),
            },
        )
        .map_err(|e| e.to_string())?;
        update(&mut app, Event::Resize(w, h));
        let now = Instant::now();
        let mut live = Live {
            app,
            terminal,
            dropped,
            tx,
            input: Input::default(),
            started: now,
            last_input: now,
            warned_idle: false,
            told_stop: false,
            report: false,
            window: (now, 0),
            closed: None,
        };
        live.draw();
        let live = Arc::new(Mutex::new(live));
        self.live = Some(live.clone());
        tokio::spawn(watch(live, shared));
        Ok(())
    }
}

/// Once a second: the idle warning and close, and the shutdown notice.
async fn watch(live: Arc<Mutex<Live>>, shared: Arc<Shared>) {
    let idle = shared.options.idle_timeout;
    let warn_at = idle.saturating_sub(Duration::from_secs(60)).max(idle / 2);
    loop {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let Ok(mut l) = live.lock() else { return };
        if l.closed.is_some() {
            return;
        }
        let lang = l.app.lang;
        if shared.stopping.load(Ordering::SeqCst) && !l.told_stop {
            l.told_stop = true;
            l.app.status = Some(crate::tui::app::Status::Error(match lang {
                Lang::En => {
                    "The server is shutting down: finish soon (e exports the report)".into()
                }
                Lang::Zh => "服务器即将关闭：请尽快完成（e 可导出报告）".into(),
            }));
            l.draw();
        }
        let quiet = l.last_input.elapsed();
        if quiet >= idle {
            let message = match lang {
                Lang::En => format!(
                    "gpuwise: closed after {} without input.",
                    humantime::format_duration(idle)
                ),
                Lang::Zh => format!(
                    "gpuwise：{} 无输入，连接已关闭。",
                    humantime::format_duration(idle)
                ),
            };
            l.close("idle", &message, 0);
            return;
        }
        if quiet >= warn_at && !l.warned_idle {
            l.warned_idle = true;
            let left = (idle - quiet).as_secs();
            l.app.status = Some(crate::tui::app::Status::Error(match lang {
                Lang::En => format!(
                    "No input for a while: this session closes in {left} s unless you press a key"
                ),
                Lang::Zh => format!("长时间无输入：{left} 秒内不按键，会话将关闭"),
            }));
            l.draw();
        }
    }
}

impl russh::server::Handler for Conn {
    type Error = russh::Error;

    async fn auth_none(&mut self, _user: &str) -> Result<Auth, Self::Error> {
        if self.shared.options.allow_anonymous {
            self.who = "anonymous".into();
            return Ok(Auth::Accept);
        }
        Ok(Auth::Reject {
            proceed_with_methods: Some(MethodSet::from(&[MethodKind::PublicKey][..])),
            partial_success: false,
        })
    }

    async fn auth_publickey_offered(
        &mut self,
        _user: &str,
        offer: russh::server::PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        Ok(if self.shared.key_allowed(offer.public_key) {
            Auth::Accept
        } else {
            reject()
        })
    }

    async fn auth_publickey(
        &mut self,
        _user: &str,
        key: russh::server::VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        if self.shared.key_allowed(key.public_key) {
            self.who = key.public_key.fingerprint(HashAlg::Sha256).to_string();
            Ok(Auth::Accept)
        } else {
            Ok(reject())
        }
    }

    async fn channel_open_session(
        &mut self,
        _channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.channels += 1;
        if self.channels <= CHANNELS_PER_CONNECTION {
            reply.accept().await;
        }
        // Dropping `reply` refuses the channel.
        Ok(())
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        term: &str,
        cols: u32,
        rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.pty = Some((term.to_string(), cols, rows));
        session.channel_success(channel)?;
        Ok(())
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        match name {
            "LANG" | "LC_ALL" | "LC_MESSAGES" if !value.is_empty() => {
                self.lang = Some(Lang::from_locale(value));
            }
            "NO_COLOR" if !value.is_empty() => self.no_color = true,
            _ => {}
        }
        session.channel_success(channel)?;
        Ok(())
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        match self.start(channel, session) {
            Ok(()) => session.channel_success(channel)?,
            Err(message) => {
                session.channel_success(channel)?;
                refuse(session, channel, &message);
                self.refused = Some(format!("refused ({message})"));
            }
        }
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        _data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_success(channel)?;
        refuse(
            session,
            channel,
            "this server runs only the interactive wizard, not commands: connect with `ssh -t` and no command",
        );
        self.refused = Some("refused (exec)".into());
        Ok(())
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)?;
        refuse(
            session,
            channel,
            &format!("no `{name}` here: this server runs only the wizard"),
        );
        self.refused = Some(format!("refused (subsystem {name})"));
        Ok(())
    }

    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _single_connection: bool,
        _x11_auth_protocol: &str,
        _x11_auth_cookie: &str,
        _x11_screen_number: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)?;
        let _ = session.data(
            channel,
            b"gpuwise: X11 forwarding is not offered\r\n".to_vec(),
        );
        Ok(())
    }

    async fn agent_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<bool, Self::Error> {
        let _ = session.data(
            channel,
            b"gpuwise: agent forwarding is not offered\r\n".to_vec(),
        );
        Ok(false)
    }

    async fn window_change_request(
        &mut self,
        _channel: ChannelId,
        cols: u32,
        rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(live) = &self.live
            && let Ok(mut l) = live.lock()
        {
            l.resize(cols, rows);
        }
        if let Some(pty) = &mut self.pty {
            pty.1 = cols;
            pty.2 = rows;
        }
        Ok(())
    }

    async fn data(
        &mut self,
        _channel: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(live) = &self.live
            && let Ok(mut l) = live.lock()
        {
            l.data(data);
        }
        Ok(())
    }
}

/// Runs the server until SIGTERM (then drains) or a fatal error.
pub fn run(
    options: Options,
    assets: Arc<Assets>,
    trees: Vec<Arc<Tree>>,
    err: &mut dyn Write,
) -> Result<(), String> {
    if options.allow_anonymous && !options.listen.ip().is_loopback() && !options.public {
        return Err(format!(
            "--allow-anonymous on {} would let anyone on the network in: add --public to mean it, or listen on 127.0.0.1",
            options.listen
        ));
    }
    let keys = match &options.authorized_keys {
        Some(path) => authorized_keys(path)?,
        None => Vec::new(),
    };
    if keys.is_empty() && !options.allow_anonymous {
        return Err("no one could log in: give --authorized-keys FILE (public keys, one per line) or --allow-anonymous".into());
    }
    let key = host_key(&options.host_key)?;
    let fingerprint = key.public_key().fingerprint(HashAlg::Sha256);
    let log: Box<dyn Write + Send> = match &options.log {
        Some(path) => Box::new(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| format!("{}: {}", path.display(), crate::library::describe_io(&e)))?,
        ),
        None => Box::new(std::io::stderr()),
    };
    let methods: Vec<MethodKind> = if options.allow_anonymous {
        vec![MethodKind::None, MethodKind::PublicKey]
    } else {
        vec![MethodKind::PublicKey]
    };
    let config = Arc::new(Config {
        methods: MethodSet::from(&methods[..]),
        auth_rejection_time: Duration::from_secs(1),
        auth_rejection_time_initial: Some(Duration::from_millis(0)),
        max_auth_attempts: 6,
        keys: vec![key],
        inactivity_timeout: Some(options.idle_timeout + Duration::from_secs(30)),
        keepalive_interval: Some(Duration::from_secs(30)),
        nodelay: true,
        ..Default::default()
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start: {e}"))?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(options.listen))
        .map_err(|e| {
            format!(
                "cannot listen on {}: {}",
                options.listen,
                crate::library::describe_io(&e)
            )
        })?;
    let bound = listener.local_addr().map_err(|e| e.to_string())?;
    writeln!(
        err,
        "gpuwise serve: listening on {bound}; host key {fingerprint}; {} authorized key(s); anonymous {}",
        keys.len(),
        if options.allow_anonymous { "allowed" } else { "refused" }
    )
    .map_err(|e| e.to_string())?;
    let shared = Arc::new(Shared {
        options,
        assets,
        trees,
        keys: RwLock::new(keys),
        sessions: AtomicUsize::new(0),
        per_ip: Mutex::new(HashMap::new()),
        stopping: AtomicBool::new(false),
        log: Mutex::new(log),
    });
    runtime.block_on(serve(listener, config, shared))
}

async fn serve(
    listener: tokio::net::TcpListener,
    config: Arc<Config>,
    shared: Arc<Shared>,
) -> Result<(), String> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).map_err(|e| e.to_string())?;
    let mut int = signal(SignalKind::interrupt()).map_err(|e| e.to_string())?;
    let mut hup = signal(SignalKind::hangup()).map_err(|e| e.to_string())?;
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, addr)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let conn = Conn {
                    shared: shared.clone(),
                    addr,
                    who: "unauthenticated".into(),
                    channels: 0,
                    pty: None,
                    lang: None,
                    no_color: false,
                    live: None,
                    counted: false,
                    started: Instant::now(),
                    refused: None,
                };
                let config = config.clone();
                tokio::spawn(async move {
                    if let Ok(session) = russh::server::run_stream(config, stream, conn).await {
                        let _ = session.await;
                    }
                });
            }
            _ = hup.recv() => {
                match &shared.options.authorized_keys {
                    Some(path) => match authorized_keys(path) {
                        Ok(keys) => {
                            let n = keys.len();
                            if let Ok(mut k) = shared.keys.write() {
                                *k = keys;
                            }
                            shared.log(&format!("gpuwise serve: SIGHUP: re-read {n} authorized key(s)"));
                        }
                        Err(e) => shared.log(&format!("gpuwise serve: SIGHUP: kept the old keys: {e}")),
                    },
                    None => shared.log("gpuwise serve: SIGHUP: no --authorized-keys file to re-read"),
                }
            }
            _ = term.recv() => break,
            _ = int.recv() => break,
        }
    }
    // Drain: accept no one, tell the open sessions, wait for them or the grace period.
    drop(listener);
    shared.stopping.store(true, Ordering::SeqCst);
    let open = shared.sessions.load(Ordering::SeqCst);
    shared.log(&format!(
        "gpuwise serve: stopping; {open} session(s) open, waiting up to {}",
        humantime::format_duration(shared.options.grace)
    ));
    let deadline = Instant::now() + shared.options.grace;
    while shared.sessions.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    shared.log("gpuwise serve: stopped");
    Ok(())
}
