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

/// Writes the export files; the one piece of file I/O the wizard does.
pub fn write_export(
    dir: &std::path::Path,
    files: &[(String, String)],
) -> Result<Vec<PathBuf>, String> {
    let mut written = Vec::new();
    for (name, content) in files {
        let path = dir.join(name);
        std::fs::write(&path, content).map_err(|e| format!("{}: {e}", path.display()))?;
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

/// SIGTERM and SIGHUP (an SSH disconnect) restore the terminal and end quietly.
fn install_signal_handlers() -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP])?;
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            restore_terminal();
            std::process::exit(128 + signal);
        }
    });
    Ok(())
}

/// Runs the wizard until the person quits. The terminal is restored on every exit: normal,
/// error, panic (ratatui's hook restores before the message) and SIGTERM/SIGHUP.
pub fn run(mut app: App) -> io::Result<()> {
    install_signal_handlers()?;
    let mut terminal = ratatui::try_init()?;
    install_panic_hook();
    let result = (|| -> io::Result<()> {
        let size = terminal.size()?;
        app::update(&mut app, Event::Resize(size.width, size.height));
        terminal.draw(|frame| view::view(&app, frame))?;
        // The first question is on screen: parse the rest of the assets while the person reads.
        app.assets.warm_in_background();
        loop {
            // Blocks until input: nothing is drawn and no CPU is used while idle.
            let event = match event::read()? {
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
            terminal.draw(|frame| view::view(&app, frame))?;
        }
    })();
    restore_terminal();
    result
}
