//! A program in a pseudo-terminal, its screen parsed with vt100: what a person sees. Shared by
//! the wizard's pty tests and the SSH tests (there the program is `ssh -tt`). Every wait has a
//! generous deadline and no timing assertion.
#![allow(dead_code)] // each test binary uses a different part of this module

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long any wait lasts before the test fails with the screen it saw.
const DEADLINE: Duration = Duration::from_secs(20);

pub struct Pty {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    pub child: Box<dyn Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    /// What the program is, for failure messages ("the process", "ssh").
    what: &'static str,
}

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).expect("a size above zero")
}

fn size(cols: u16, rows: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

impl Pty {
    /// Runs `cmd` in a new pty of `cols` x `rows`; a thread feeds all it writes to the parser.
    pub fn spawn(cmd: CommandBuilder, cols: u16, rows: u16, what: &'static str) -> Pty {
        let pair = native_pty_system()
            .openpty(size(cols, rows))
            .expect("a pty");
        let child = pair.slave.spawn_command(cmd).expect("spawn");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(rows), nz(cols), 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (parser.clone(), raw.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                p.lock().unwrap().process(&buf[..n]);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Pty {
            master: pair.master,
            writer,
            child,
            parser,
            raw,
            what,
        }
    }

    /// The screen as it is now.
    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    pub fn alternate_screen(&self) -> bool {
        self.parser.lock().unwrap().screen().alternate_screen()
    }

    /// Every byte the program wrote so far.
    pub fn raw(&self) -> String {
        String::from_utf8_lossy(&self.raw.lock().unwrap()).into_owned()
    }

    pub fn clear_raw(&self) {
        self.raw.lock().unwrap().clear();
    }

    fn wait_until(&self, text: &str, done: impl Fn(&Pty) -> bool) {
        let deadline = Instant::now() + DEADLINE;
        while Instant::now() < deadline {
            if done(self) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "`{text}` never appeared; the screen was:\n{}",
            self.screen()
        );
    }

    /// Waits until `text` is on the screen.
    pub fn wait_for(&self, text: &str) {
        self.wait_until(text, |p| p.screen().contains(text));
    }

    /// Waits until `text` is on the screen or was written at any time (a line printed just
    /// before the terminal was restored, say).
    pub fn wait_for_output(&self, text: &str) {
        self.wait_until(text, |p| {
            p.screen().contains(text) || p.raw().contains(text)
        });
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Resizes the pty (the program gets SIGWINCH) and the parser with it.
    pub fn resize(&self, cols: u16, rows: u16) {
        self.parser
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(nz(rows), nz(cols));
        self.master.resize(size(cols, rows)).unwrap();
    }

    /// Waits for the program to end and returns its exit code.
    pub fn wait_exit(&mut self) -> u32 {
        let deadline = Instant::now() + DEADLINE;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader drain what the program wrote last.
                std::thread::sleep(Duration::from_millis(100));
                return status.exit_code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "{} did not exit; the screen was:\n{}",
            self.what,
            self.screen()
        );
    }

    /// The pty's line discipline: (echo, canonical) as the shell will find it.
    pub fn tty_modes(&self) -> (bool, bool) {
        let fd = self.master.as_raw_fd().expect("a pty fd");
        // SAFETY: tcgetattr fills a plain C struct from a file descriptor we own.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        assert_eq!(unsafe { libc::tcgetattr(fd, &mut t) }, 0);
        (t.c_lflag & libc::ECHO != 0, t.c_lflag & libc::ICANON != 0)
    }

    /// Sends signal `name` ("TERM", "TSTP") to the program.
    pub fn signal(&self, name: &str) {
        let pid = self.child.process_id().expect("a pid").to_string();
        let status = std::process::Command::new("kill")
            .args([&format!("-{name}"), &pid])
            .status()
            .unwrap();
        assert!(status.success());
    }
}
