//! The interactive wizard: terminal setup, the event loop and restore. `app` holds the state
//! and `update`, `view` draws it; this module is the only one that touches the terminal.

pub mod app;
pub mod document;
pub mod keys;
pub mod theme;
pub mod view;

use app::{App, Effect, Event};
use keys::Key;
use ratatui::crossterm::event::{self, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::io;
use std::path::PathBuf;

/// Converts crossterm's key to ours at the edge; keys we do not use become `None`.
pub fn key_from_crossterm(key: KeyEvent) -> Option<Key> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Char(c) if ctrl => Key::Ctrl(c.to_ascii_lowercase()),
        KeyCode::Char(c) => Key::Char(c),
        KeyCode::Enter => Key::Enter,
        KeyCode::Backspace => Key::Backspace,
        KeyCode::Esc => Key::Esc,
        KeyCode::Up => Key::Up,
        KeyCode::Down => Key::Down,
        KeyCode::Left => Key::Left,
        KeyCode::Right => Key::Right,
        KeyCode::PageUp => Key::PageUp,
        KeyCode::PageDown => Key::PageDown,
        KeyCode::Home => Key::Home,
        KeyCode::End => Key::End,
        KeyCode::Tab => Key::Tab,
        KeyCode::BackTab => Key::BackTab,
        _ => return None,
    })
}

/// Writes the export files; the one piece of file I/O the wizard does. Each is written to a
/// temporary file in the same directory, synced, then renamed over the target, so a full disk
/// or a crash leaves the previous file whole and no half-written one; a symbolic link at the
/// target is refused rather than followed or replaced.
pub fn write_export(
    dir: &std::path::Path,
    files: &[(String, String)],
) -> Result<Vec<PathBuf>, String> {
    use std::io::Write;
    let mut written = Vec::new();
    for (name, content) in files {
        let path = dir.join(name);
        let shown = path.display().to_string();
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(format!(
                "{shown} is a symbolic link; export does not follow or replace links: choose another directory"
            ));
        }
        let fail = |e: std::io::Error| format!("{shown}: {}", crate::library::describe_io(&e));
        let mut temp = tempfile::Builder::new()
            .prefix(".gpuwise-export-")
            .tempfile_in(dir)
            .map_err(|e| format!("{}: {}", dir.display(), crate::library::describe_io(&e)))?;
        temp.write_all(content.as_bytes()).map_err(fail)?;
        temp.as_file().sync_all().map_err(fail)?;
        temp.persist(&path).map_err(|e| fail(e.error))?;
        // The rename itself is durable once the directory is synced.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        written.push(path);
    }
    Ok(written)
}

/// Raw mode off, alternate screen left, cursor shown.
fn restore_terminal() {
    ratatui::restore();
    let _ = ratatui::crossterm::execute!(io::stdout(), ratatui::crossterm::cursor::Show);
}

/// ratatui's hook leaves the alternate screen before the panic message; this one also shows
/// the cursor again (the yazi shape: restore first, then the previous hook prints).
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        previous(info);
    }));
}

/// Set by the signal thread after the wizard comes back from a suspend: the screen was used by
/// something else, so the next draw must repaint all of it.
static REPAINT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Raw mode on, alternate screen entered, cursor hidden: the wizard's terminal.
fn enter_terminal() -> io::Result<()> {
    ratatui::crossterm::terminal::enable_raw_mode()?;
    ratatui::crossterm::execute!(
        io::stdout(),
        ratatui::crossterm::terminal::EnterAlternateScreen,
        ratatui::crossterm::cursor::Hide
    )
}

/// Every signal that ends the process restores the terminal first and exits with 128 + the
/// signal's number: SIGTERM, SIGHUP (an SSH disconnect), SIGINT and SIGQUIT sent from outside
/// (in raw mode Ctrl-C is a key), SIGUSR1, SIGUSR2 and SIGALRM.
///
/// Job control works as in less or htop: SIGTSTP (Ctrl-Z, or `kill -TSTP`) restores the
/// terminal and stops; SIGCONT (`fg`) takes the terminal back and repaints. The repaint is
/// asked for by raising SIGWINCH, which wakes the event loop with a resize event.
fn install_signal_handlers() -> io::Result<()> {
    use signal_hook::consts::{
        SIGALRM, SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP, SIGUSR1, SIGUSR2, SIGWINCH,
    };
    let mut signals = signal_hook::iterator::Signals::new([
        SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGTSTP, SIGCONT,
    ])?;
    std::thread::spawn(move || {
        for signal in signals.forever() {
            match signal {
                SIGTSTP => {
                    restore_terminal();
                    // Stops the process as the default action would; returns on SIGCONT.
                    let _ = signal_hook::low_level::emulate_default_handler(SIGTSTP);
                    resume(SIGWINCH);
                }
                // Continued after a stop this thread did not see (SIGSTOP from outside).
                SIGCONT => resume(SIGWINCH),
                _ => {
                    restore_terminal();
                    std::process::exit(128 + signal);
                }
            }
        }
    });
    Ok(())
}

/// After a stop: the terminal back in the wizard's modes, and a full repaint on the next event.
fn resume(wake: i32) {
    let _ = enter_terminal();
    REPAINT.store(true, std::sync::atomic::Ordering::SeqCst);
    let _ = signal_hook::low_level::raise(wake);
}

/// Whether the terminal can show UTF-8: the charset of the locale's character type
/// (`LC_ALL`, `LC_CTYPE`, `LANG`), as the C library reads it. `LC_ALL=C`, `POSIX` and
/// `zh_CN.GB2312` cannot.
pub fn locale_is_utf8() -> bool {
    // SAFETY: setlocale with an empty string reads the environment; nl_langinfo returns a
    // pointer to a NUL-terminated string owned by the C library, copied at once. Called on
    // the main thread before any other thread exists.
    unsafe {
        if libc::setlocale(libc::LC_CTYPE, c"".as_ptr()).is_null() {
            return false;
        }
        let codeset = libc::nl_langinfo(libc::CODESET);
        if codeset.is_null() {
            return false;
        }
        let name = std::ffi::CStr::from_ptr(codeset)
            .to_string_lossy()
            .to_ascii_lowercase();
        name.replace('-', "") == "utf8"
    }
}

/// Runs the wizard until the person quits. The terminal is restored on every exit: normal,
/// error, panic (ratatui's hook restores before the message) and SIGTERM/SIGHUP.
pub fn run(mut app: App) -> io::Result<()> {
    install_signal_handlers()?;
    // Past a file-size limit (`ulimit -f`) a write should fail with an error the export can
    // report, not kill the wizard.
    // SAFETY: setting a signal's disposition to "ignore" has no preconditions.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
    let mut terminal = ratatui::try_init()?;
    install_panic_hook();
    use std::sync::atomic::Ordering;
    let result = (|| -> io::Result<()> {
        let size = terminal.size()?;
        app::update(&mut app, Event::Resize(size.width, size.height));
        terminal.draw(|frame| view::view(&app, frame))?;
        // The first question is on screen: parse the rest of the assets while the person reads.
        app.assets.warm_in_background();
        loop {
            // Blocks until input: nothing is drawn and no CPU is used while idle. Then every
            // event already waiting (a paste, a resize storm) is handled before one draw.
            let mut pending = vec![event::read()?];
            while pending.len() < 4096 && event::poll(std::time::Duration::ZERO)? {
                pending.push(event::read()?);
            }
            if REPAINT.swap(false, Ordering::SeqCst) {
                // `resize` clears and forgets the last frame without asking the terminal
                // for the cursor position (which `clear` does, and not every terminal answers).
                let size = terminal.size()?;
                terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))?;
            }
            for raw in pending {
                let event = match raw {
                    // In raw mode Ctrl-Z is a key: suspend as the shell would.
                    event::Event::Key(key)
                        if key.code == KeyCode::Char('z')
                            && key.modifiers.contains(KeyModifiers::CONTROL) =>
                    {
                        let _ = signal_hook::low_level::raise(signal_hook::consts::SIGTSTP);
                        continue;
                    }
                    event::Event::Key(key) => match key_from_crossterm(key) {
                        Some(key) => Event::Key(key),
                        None => continue,
                    },
                    event::Event::Resize(w, h) => Event::Resize(w, h),
                    _ => continue,
                };
                let mut queue = vec![event];
                while let Some(event) = queue.pop() {
                    for effect in app::update(&mut app, event) {
                        match effect {
                            Effect::Quit => return Ok(()),
                            Effect::Export { dir, files } => {
                                queue.push(Event::Exported(write_export(&dir, &files)));
                            }
                        }
                    }
                }
            }
            terminal.draw(|frame| view::view(&app, frame))?;
        }
    })();
    restore_terminal();
    result
}
