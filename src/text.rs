//! Bilingual text: every string a person reads is plain or `{en: ..., zh: ...}`.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The languages gpuwise speaks.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    strum::Display,
    strum::EnumString,
    strum::EnumIter,
    strum::IntoStaticStr,
)]
#[strum(serialize_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// The other language, for a run-time switch.
    pub fn toggled(self) -> Lang {
        match self {
            Lang::En => Lang::Zh,
            Lang::Zh => Lang::En,
        }
    }

    /// Picks the language from a locale name such as `zh_CN.UTF-8`, `zh-Hant` or `en_US`.
    pub fn from_locale(locale: &str) -> Lang {
        let lower = locale.to_ascii_lowercase();
        if lower.starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }
}

impl Lang {
    /// The colon after a label: ": " in English, full-width "：" in Chinese.
    pub fn colon(self) -> &'static str {
        match self {
            Lang::En => ": ",
            Lang::Zh => "：",
        }
    }

    /// The comma between items: ", " in English, full-width "，" in Chinese.
    pub fn comma(self) -> &'static str {
        match self {
            Lang::En => ", ",
            Lang::Zh => "，",
        }
    }

    /// `inner` in parentheses after a space in English, in full-width ones in Chinese.
    pub fn parenthesized(self, inner: &str) -> String {
        match self {
            Lang::En => format!(" ({inner})"),
            Lang::Zh => format!("（{inner}）"),
        }
    }
}

/// A text shown to a person: the same for every language, or one per language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Text {
    Plain(String),
    Localized { en: String, zh: Option<String> },
}

impl Text {
    /// The text in `lang`, falling back to English where Chinese is missing.
    pub fn get(&self, lang: Lang) -> &str {
        match (self, lang) {
            (Text::Plain(s), _) => s,
            (Text::Localized { zh: Some(zh), .. }, Lang::Zh) => zh,
            (Text::Localized { en, .. }, _) => en,
        }
    }

    /// True when a Chinese reader would see English: a localized text without `zh`.
    pub fn lacks_chinese(&self) -> bool {
        matches!(self, Text::Localized { zh: None, .. })
    }

    /// The plain form, used where a plain string means an id rather than prose.
    pub fn as_plain(&self) -> Option<&str> {
        match self {
            Text::Plain(s) => Some(s),
            Text::Localized { .. } => None,
        }
    }

    /// Every language variant, for checks that look at all of them.
    pub fn variants(&self) -> impl Iterator<Item = &str> {
        let (first, second) = match self {
            Text::Plain(s) => (s.as_str(), None),
            Text::Localized { en, zh } => (en.as_str(), zh.as_deref()),
        };
        std::iter::once(first).chain(second)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text::Plain(s.to_string())
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or a map {en: ..., zh: ...}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text::Plain(v))
            }
            // A bare number (`label: 8`) is text too, in YAML and in the JSON made from it.
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                let mut en: Option<String> = None;
                let mut zh: Option<String> = None;
                while let Some(key) = map.next_key::<String>()? {
                    let slot = match key.as_str() {
                        "en" => &mut en,
                        "zh" => &mut zh,
                        other => return Err(de::Error::unknown_field(other, &["en", "zh"])),
                    };
                    if slot.is_some() {
                        return Err(de::Error::duplicate_field(if key == "en" {
                            "en"
                        } else {
                            "zh"
                        }));
                    }
                    *slot = Some(map.next_value()?);
                }
                let en = en.ok_or_else(|| de::Error::missing_field("en"))?;
                Ok(Text::Localized { en, zh })
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

/// Formats a number for people: integers without a fraction, others with at most one decimal.
pub fn format_number(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

/// The `{name}` placeholders of a text, in order; `{{` and `}}` are literal braces.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        if rest[open..].starts_with("{{") {
            rest = &rest[open + 2..];
            continue;
        }
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                names.push(&after[..close]);
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    names
}

/// Whether `text` has a brace that is neither doubled (`{{`, `}}`) nor part of a `{name}`
/// placeholder (a name of letters, digits and `_`): it would reach the reader as is.
pub fn has_lone_brace(text: &str) -> bool {
    let mut rest = text;
    while let Some(at) = rest.find(['{', '}']) {
        let tail = &rest[at..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            rest = &tail[2..];
            continue;
        }
        if tail.starts_with('}') {
            return true;
        }
        let after = &tail[1..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        if name_len == 0 || !after[name_len..].starts_with('}') {
            return true;
        }
        rest = &after[name_len + 1..];
    }
    false
}

/// Replaces each `{name}` by `lookup(name)`; unknown names are left as written.
pub fn interpolate(text: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find(['{', '}']) {
        out.push_str(&rest[..open]);
        let tail = &rest[open..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        if let Some(after) = tail.strip_prefix('}') {
            out.push('}');
            rest = after;
            continue;
        }
        match tail[1..].find('}') {
            Some(close) => {
                let name = &tail[1..1 + close];
                match lookup(name) {
                    Some(value) => out.push_str(&value),
                    None => out.push_str(&tail[..close + 2]),
                }
                rest = &tail[close + 2..];
            }
            None => {
                out.push_str(tail);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Closing punctuation that must not start a line (a simple 禁则: it stays with what precedes it).
const NO_LINE_START: &str = "，。、；：？！）」』》〉】…—,.;:?!)";

/// Words for textwrap: split at ASCII spaces, and between CJK characters, where Chinese may
/// break; closing punctuation stays attached. This replaces textwrap's Unicode line-break
/// feature, whose ICU data cost start-up time and binary size for the same result here.
fn words(line: &str) -> Box<dyn Iterator<Item = textwrap::core::Word<'_>> + '_> {
    use textwrap::core::Word;
    use unicode_width::UnicodeWidthChar;
    Box::new(
        textwrap::WordSeparator::AsciiSpace
            .find_words(line)
            .flat_map(|word| {
                let text = word.word;
                let mut cuts = vec![0];
                let mut chars = text.char_indices().peekable();
                while let Some((_, c)) = chars.next() {
                    let wide = c.width().unwrap_or(0) == 2;
                    if let Some(&(next_at, next)) = chars.peek() {
                        let next_wide = next.width().unwrap_or(0) == 2;
                        if (wide || next_wide) && !NO_LINE_START.contains(next) {
                            cuts.push(next_at);
                        }
                    }
                }
                cuts.push(text.len());
                let last = cuts.len() - 2;
                cuts.windows(2)
                    .enumerate()
                    .map(|(i, w)| {
                        let mut piece = Word::from(&text[w[0]..w[1]]);
                        if i == last {
                            piece.whitespace = word.whitespace;
                        }
                        piece
                    })
                    .collect::<Vec<_>>()
            }),
    )
}

/// Wraps `text` to `width` display columns without cutting English words or garbling CJK.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    text.split('\n')
        .flat_map(|para| {
            if para.is_empty() {
                vec![String::new()]
            } else {
                let options = textwrap::Options::new(width)
                    .break_words(true)
                    .word_splitter(textwrap::WordSplitter::NoHyphenation)
                    .word_separator(textwrap::WordSeparator::Custom(words));
                textwrap::wrap(para, options)
                    .into_iter()
                    .map(|c| c.into_owned())
                    .collect()
            }
        })
        .collect()
}

/// `text` padded with spaces to `width` terminal columns (Chinese characters take two).
pub fn pad(text: &str, width: usize) -> String {
    let used = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(format_number(16.0), "16");
        assert_eq!(format_number(16.04), "16");
        assert_eq!(format_number(16.25), "16.3");
        assert_eq!(format_number(0.5), "0.5");
    }

    #[test]
    fn interpolation_keeps_unknown_and_escaped() {
        let text = "need {vram_gb} GB, {{literal}}, {unknown}";
        let out = interpolate(text, |n| (n == "vram_gb").then(|| "42".to_string()));
        assert_eq!(out, "need 42 GB, {literal}, {unknown}");
        assert_eq!(placeholders(text), vec!["vram_gb", "unknown"]);
        assert!(!has_lone_brace(text));
        assert!(!has_lone_brace("{{literal}} and {a_1}"));
        for bad in ["a { b", "{x.", "{ x}", "x}", "{}", "{a b}"] {
            assert!(has_lone_brace(bad), "{bad}");
        }
    }

    #[test]
    fn locale_picks_chinese_for_any_zh() {
        assert_eq!(Lang::from_locale("zh_CN.UTF-8"), Lang::Zh);
        assert_eq!(Lang::from_locale("zh-Hant-TW"), Lang::Zh);
        assert_eq!(Lang::from_locale("C"), Lang::En);
        assert_eq!(Lang::from_locale("en_US"), Lang::En);
    }

    #[test]
    fn chinese_falls_back_to_english() {
        let t = Text::Localized {
            en: "hello".into(),
            zh: None,
        };
        assert_eq!(t.get(Lang::Zh), "hello");
        assert!(t.lacks_chinese());
    }
}

/// A writer that shows control characters it is given as `?`, keeping newlines and tabs: text
/// from a tree (titles, asks, summaries) can never move the cursor, recolour or retitle the
/// terminal of the person reading `gpuwise trees`, `recommend` or `render` output. C1 controls
/// (U+0080 to U+009F, two bytes in UTF-8) are replaced too; valid UTF-8 passes through.
pub struct Sanitized<W> {
    inner: W,
    /// The last byte written was 0xC2, the lead byte of a C1 control.
    pending_c2: bool,
}

impl<W: std::io::Write> Sanitized<W> {
    pub fn new(inner: W) -> Self {
        Sanitized {
            inner,
            pending_c2: false,
        }
    }

    /// The writer, once flushed.
    pub fn into_inner(self) -> W {
        self.inner
    }
}

impl<W: std::io::Write> std::io::Write for Sanitized<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut out = Vec::with_capacity(buf.len() + 1);
        for &b in buf {
            if self.pending_c2 {
                self.pending_c2 = false;
                if (0x80..=0x9f).contains(&b) {
                    out.push(b'?');
                    continue;
                }
                out.push(0xc2);
            }
            match b {
                0xc2 => self.pending_c2 = true,
                b'\n' | b'\t' => out.push(b),
                0x00..=0x1f | 0x7f => out.push(b'?'),
                _ => out.push(b),
            }
        }
        self.inner.write_all(&out)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if std::mem::take(&mut self.pending_c2) {
            self.inner.write_all(&[0xc2])?;
        }
        self.inner.flush()
    }
}

#[cfg(test)]
mod sanitize_tests {
    use super::Sanitized;
    use std::io::Write;

    #[test]
    fn control_characters_become_question_marks() {
        let mut out = Sanitized::new(Vec::new());
        out.write_all("a\x1b[2Jb\tc\n\u{9b}31m 中文 é\r".as_bytes())
            .unwrap();
        out.flush().unwrap();
        assert_eq!(
            String::from_utf8(out.inner).unwrap(),
            "a?[2Jb\tc\n?31m 中文 é?"
        );
    }
}
