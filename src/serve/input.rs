//! Bytes from an SSH client's terminal, as keys: the escape sequences of xterm-like terminals
//! (CSI and SS3 arrows, Home/End, PgUp/PgDn, Shift-Tab) parsed by `vte`, control bytes as
//! Enter, Backspace, Tab, Esc and Ctrl-letters, and UTF-8 text as characters.

use crate::tui::keys::Key;

/// Turns a byte stream into keys; keeps partial sequences between chunks.
pub struct Input {
    parser: vte::Parser,
}

impl Default for Input {
    fn default() -> Self {
        Input {
            parser: vte::Parser::new(),
        }
    }
}

struct Collect {
    keys: Vec<Key>,
    /// The last escape was `ESC O` (SS3): the next character names the key.
    ss3: bool,
}

impl vte::Perform for Collect {
    fn print(&mut self, c: char) {
        if std::mem::take(&mut self.ss3) {
            if let Some(key) = final_key(c) {
                self.keys.push(key);
            }
            return;
        }
        // DEL, which terminals send for Backspace, reaches here as a character.
        self.keys.push(if c == '\u{7f}' {
            Key::Backspace
        } else {
            Key::Char(c)
        });
    }

    fn execute(&mut self, byte: u8) {
        self.keys.push(match byte {
            b'\r' | b'\n' => Key::Enter,
            0x7f | 0x08 => Key::Backspace,
            b'\t' => Key::Tab,
            0x01..=0x1a => Key::Ctrl((b'a' + byte - 1) as char),
            _ => return,
        });
    }

    fn csi_dispatch(&mut self, params: &vte::Params, _: &[u8], ignore: bool, action: char) {
        if ignore {
            return;
        }
        let first = params.iter().next().and_then(|p| p.first().copied());
        let key = match (action, first) {
            ('~', Some(1 | 7)) => Some(Key::Home),
            ('~', Some(4 | 8)) => Some(Key::End),
            ('~', Some(5)) => Some(Key::PageUp),
            ('~', Some(6)) => Some(Key::PageDown),
            ('~', Some(3)) => Some(Key::Backspace), // Delete: the nearest key the wizard uses
            ('Z', _) => Some(Key::BackTab),
            (c, _) => final_key(c),
        };
        self.keys.extend(key);
    }

    fn esc_dispatch(&mut self, intermediates: &[u8], _: bool, byte: u8) {
        if intermediates.is_empty() && byte == b'O' {
            self.ss3 = true;
        }
    }
}

/// The key a CSI or SS3 sequence's final character names.
fn final_key(c: char) -> Option<Key> {
    Some(match c {
        'A' => Key::Up,
        'B' => Key::Down,
        'C' => Key::Right,
        'D' => Key::Left,
        'H' => Key::Home,
        'F' => Key::End,
        _ => return None,
    })
}

impl Input {
    /// The keys in `bytes`. A chunk that is a lone ESC is the Esc key (terminals send an
    /// escape sequence in one write, so a lone ESC cannot be the start of one).
    pub fn keys(&mut self, bytes: &[u8]) -> Vec<Key> {
        if bytes == [0x1b] {
            return vec![Key::Esc];
        }
        let mut collect = Collect {
            keys: Vec::new(),
            ss3: false,
        };
        self.parser.advance(&mut collect, bytes);
        collect.keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_from_an_xterm() {
        let mut input = Input::default();
        assert_eq!(input.keys(b"q"), vec![Key::Char('q')]);
        assert_eq!(input.keys(b"\r"), vec![Key::Enter]);
        assert_eq!(input.keys(b"\x7f"), vec![Key::Backspace]);
        assert_eq!(input.keys(b"\x1b"), vec![Key::Esc]);
        assert_eq!(input.keys(b"\x03"), vec![Key::Ctrl('c')]);
        assert_eq!(
            input.keys(b"\x1b[A\x1b[B\x1bOC\x1b[D"),
            vec![Key::Up, Key::Down, Key::Right, Key::Left]
        );
        assert_eq!(
            input.keys(b"\x1b[5~\x1b[6~\x1b[H\x1b[4~\x1b[Z\t"),
            vec![
                Key::PageUp,
                Key::PageDown,
                Key::Home,
                Key::End,
                Key::BackTab,
                Key::Tab
            ]
        );
        assert_eq!(
            input.keys("中文".as_bytes()),
            vec![Key::Char('中'), Key::Char('文')]
        );
        // A sequence split across two reads.
        assert_eq!(input.keys(b"\x1b["), vec![]);
        assert_eq!(input.keys(b"A"), vec![Key::Up]);
    }
}
