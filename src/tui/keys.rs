//! Keys and what they mean. One table maps keys to actions; the help overlay and the status
//! line are drawn from it, so hints cannot drift from behaviour. Keys are our own type (not
//! crossterm's) so a later SSH shell can feed raw bytes through the same map.

use crate::text::Lang;
use strum::{EnumMessage, IntoEnumIterator};

/// A key as gpuwise sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Enter,
    Backspace,
    Esc,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    Tab,
    BackTab,
}

impl Key {
    fn label(self) -> String {
        match self {
            Key::Char(' ') => "Space".into(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("Ctrl-{}", c.to_ascii_uppercase()),
            Key::Enter => "Enter".into(),
            Key::Backspace => "Bksp".into(),
            Key::Esc => "Esc".into(),
            Key::Up => "↑".into(),
            Key::Down => "↓".into(),
            Key::Left => "←".into(),
            Key::Right => "→".into(),
            Key::PageUp => "PgUp".into(),
            Key::PageDown => "PgDn".into(),
            Key::Home => "Home".into(),
            Key::End => "End".into(),
            Key::Tab => "Tab".into(),
            Key::BackTab => "Shift-Tab".into(),
        }
    }

    /// The label in plain ASCII, for `--ascii` terminals.
    fn ascii_label(self) -> String {
        match self {
            Key::Up => "Up".into(),
            Key::Down => "Down".into(),
            Key::Left => "Left".into(),
            Key::Right => "Right".into(),
            other => other.label(),
        }
    }
}

/// What a person means by a key, named for the intent, not the key.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, strum::Display, strum::EnumIter, strum::EnumMessage,
)]
#[strum(serialize_all = "kebab-case")]
pub enum Action {
    #[strum(message = "Move up", detailed_message = "上移")]
    Up,
    #[strum(message = "Move down", detailed_message = "下移")]
    Down,
    #[strum(message = "Choose / open", detailed_message = "选择/打开")]
    Choose,
    #[strum(message = "Back one question", detailed_message = "返回上一题")]
    Back,
    #[strum(message = "First choice / top", detailed_message = "第一项/顶部")]
    First,
    #[strum(message = "Last choice / bottom", detailed_message = "最后一项/底部")]
    Last,
    #[strum(message = "Page up", detailed_message = "上翻页")]
    PageUp,
    #[strum(message = "Page down", detailed_message = "下翻页")]
    PageDown,
    #[strum(message = "Next section", detailed_message = "下一节")]
    NextSection,
    #[strum(message = "Previous section", detailed_message = "上一节")]
    PrevSection,
    #[strum(message = "Why is this asked?", detailed_message = "为什么问这个？")]
    Why,
    #[strum(message = "Glossary", detailed_message = "术语表")]
    Glossary,
    #[strum(message = "Search (glossary)", detailed_message = "搜索（术语表）")]
    Search,
    #[strum(message = "Restart", detailed_message = "重新开始")]
    Restart,
    #[strum(message = "Switch language", detailed_message = "切换语言")]
    Language,
    #[strum(
        message = "Price in the next regions (mainland / international)",
        detailed_message = "切换价格地域（中国内地/国际）"
    )]
    Region,
    #[strum(
        message = "Export report and answers",
        detailed_message = "导出报告和答案"
    )]
    Export,
    #[strum(message = "Help", detailed_message = "帮助")]
    Help,
    #[strum(message = "Close / cancel", detailed_message = "关闭/取消")]
    Close,
    #[strum(message = "Quit", detailed_message = "退出")]
    Quit,
}

impl Action {
    pub fn describe(self, lang: Lang) -> &'static str {
        let text = match lang {
            Lang::En => self.get_message(),
            Lang::Zh => self.get_detailed_message(),
        };
        text.unwrap_or("")
    }

    /// A one-word label for the status line. The language switch names the other language in
    /// that language, so a reader who cannot read the current one still finds it.
    pub fn short(self, lang: Lang, ascii: bool) -> &'static str {
        match (self, lang) {
            (Action::Language, Lang::En) if ascii => "zh",
            (Action::Choose, Lang::En) => "choose",
            (Action::Choose, Lang::Zh) => "选择",
            (Action::Back, Lang::En) => "back",
            (Action::Back, Lang::Zh) => "返回",
            (Action::Why, Lang::En) => "why",
            (Action::Why, Lang::Zh) => "原因",
            (Action::Glossary, Lang::En) => "terms",
            (Action::Glossary, Lang::Zh) => "术语",
            (Action::Restart, Lang::En) => "restart",
            (Action::Restart, Lang::Zh) => "重来",
            (Action::Language, Lang::En) => "中文",
            (Action::Language, Lang::Zh) => "English",
            (Action::Export, Lang::En) => "export",
            (Action::Export, Lang::Zh) => "导出",
            (Action::Help, Lang::En) => "help",
            (Action::Help, Lang::Zh) => "帮助",
            (Action::Quit, Lang::En) => "quit",
            (Action::Quit, Lang::Zh) => "退出",
            (Action::Close, Lang::En) => "close",
            (Action::Close, Lang::Zh) => "关闭",
            (Action::NextSection, Lang::En) => "section",
            (Action::NextSection, Lang::Zh) => "切换章节",
            (Action::Search, Lang::En) => "search",
            (Action::Search, Lang::Zh) => "搜索",
            (other, lang) => other.describe(lang),
        }
    }
}

/// The default keymap: each action and the keys that trigger it.
pub const KEYMAP: &[(Action, &[Key])] = &[
    (Action::Up, &[Key::Up, Key::Char('k')]),
    (Action::Down, &[Key::Down, Key::Char('j')]),
    (Action::Choose, &[Key::Enter, Key::Right, Key::Char('l')]),
    (Action::Back, &[Key::Backspace, Key::Left, Key::Char('h')]),
    (Action::First, &[Key::Home]),
    (Action::Last, &[Key::End]),
    (Action::PageUp, &[Key::PageUp]),
    (Action::PageDown, &[Key::PageDown, Key::Char(' ')]),
    (Action::NextSection, &[Key::Tab]),
    (Action::PrevSection, &[Key::BackTab]),
    (Action::Why, &[Key::Char('w')]),
    (Action::Glossary, &[Key::Char('g')]),
    (Action::Search, &[Key::Char('/')]),
    (Action::Restart, &[Key::Char('r')]),
    (Action::Language, &[Key::Char('L')]),
    (Action::Region, &[Key::Char('P')]),
    (Action::Export, &[Key::Char('e')]),
    (Action::Help, &[Key::Char('?')]),
    (Action::Close, &[Key::Esc]),
    (Action::Quit, &[Key::Char('q'), Key::Ctrl('c')]),
];

/// The keys that pick a choice directly: digits first, then letters no command uses.
pub const CHOICE_KEYS: &str = "123456789abcdfimnopstuvxyz";

/// The key that picks choice `index`, if there are keys enough.
pub fn choice_key(index: usize) -> Option<char> {
    CHOICE_KEYS.chars().nth(index)
}

/// The choice a key picks, if it is a choice key.
pub fn choice_index(key: Key) -> Option<usize> {
    match key {
        Key::Char(c) => CHOICE_KEYS.chars().position(|k| k == c),
        _ => None,
    }
}

/// The action a key triggers, if any.
pub fn action_for(key: Key) -> Option<Action> {
    KEYMAP
        .iter()
        .find(|(_, keys)| keys.contains(&key))
        .map(|(action, _)| *action)
}

/// The keys of an action, as labels (`↑`, `k`).
pub fn keys_of(action: Action, ascii: bool) -> Vec<String> {
    KEYMAP
        .iter()
        .find(|(a, _)| *a == action)
        .map(|(_, keys)| {
            keys.iter()
                .map(|k| if ascii { k.ascii_label() } else { k.label() })
                .collect()
        })
        .unwrap_or_default()
}

/// Every action with its keys and description, for the help overlay.
pub fn help_rows(lang: Lang, ascii: bool) -> Vec<(String, &'static str)> {
    Action::iter()
        .map(|a| (keys_of(a, ascii).join(" "), a.describe(lang)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_a_key_and_both_descriptions() {
        for action in Action::iter() {
            assert!(!keys_of(action, false).is_empty(), "{action} has no key");
            assert!(!action.describe(Lang::En).is_empty(), "{action}");
            assert!(!action.describe(Lang::Zh).is_empty(), "{action}");
        }
    }

    #[test]
    fn no_key_is_bound_twice() {
        let mut seen = Vec::new();
        for (_, keys) in KEYMAP {
            for key in *keys {
                assert!(!seen.contains(key), "{key:?} bound twice");
                seen.push(*key);
            }
        }
    }

    #[test]
    fn choice_keys_never_shadow_a_command() {
        for c in CHOICE_KEYS.chars() {
            assert_eq!(action_for(Key::Char(c)), None, "{c} is a command key");
        }
        assert_eq!(choice_key(9), Some('a'));
        assert_eq!(choice_index(Key::Char('a')), Some(9));
    }

    #[test]
    fn ascii_labels_are_ascii() {
        for (keys, _) in help_rows(Lang::En, true) {
            assert!(keys.is_ascii(), "{keys}");
        }
    }
}
