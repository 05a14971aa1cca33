//! Problems found in a tree or asset file, and the one place they become text.

use serde::Serialize;
use std::fmt::Write as _;
use unicode_width::UnicodeWidthStr;

/// A position in a YAML file, 1-based. Kept from loading so errors can point at the line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub line: u32,
    pub col: u32,
}

impl Span {
    pub const UNKNOWN: Span = Span { line: 0, col: 0 };

    pub fn new(line: u32, col: u32) -> Span {
        Span { line, col }
    }
}

impl From<serde_saphyr::Location> for Span {
    fn from(loc: serde_saphyr::Location) -> Self {
        Span {
            line: u32::try_from(loc.line()).unwrap_or(u32::MAX),
            col: u32::try_from(loc.column()).unwrap_or(u32::MAX),
        }
    }
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, strum::Display, strum::AsRefStr,
)]
#[strum(serialize_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// One problem, with where it is and what to do about it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub span: Span,
    pub message: String,
    /// A hint where we know the fix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            span,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            span,
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// All the problems of one file, with its text so the offending lines can be shown.
#[derive(Clone, Debug)]
pub struct FileReport {
    pub file: String,
    pub source: String,
    pub diagnostics: Vec<Diagnostic>,
}

impl FileReport {
    pub fn new(file: impl Into<String>, source: impl Into<String>) -> Self {
        FileReport {
            file: file.into(),
            source: source.into(),
            diagnostics: Vec::new(),
        }
    }

    /// Turns warnings into errors, as `--strict` asks.
    pub fn make_strict(&mut self) {
        for d in &mut self.diagnostics {
            d.severity = Severity::Error;
        }
    }

    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }

    /// Sorts by position so the report reads top to bottom like the file.
    pub fn sort(&mut self) {
        self.diagnostics
            .sort_by(|a, b| a.span.cmp(&b.span).then(b.severity.cmp(&a.severity)));
    }

    /// `file:line:col: error: message`, then the line with a caret under the column, as rustc
    /// or ripgrep print it.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for d in &self.diagnostics {
            render_one(&mut out, &self.file, &self.source, d);
        }
        out
    }
}

fn render_one(out: &mut String, file: &str, source: &str, d: &Diagnostic) {
    let Span { line, col } = d.span;
    if line == 0 {
        let _ = writeln!(out, "{file}: {}: {}", d.severity, d.message);
    } else {
        let _ = writeln!(out, "{file}:{line}:{col}: {}: {}", d.severity, d.message);
        if let Some(text) = source.lines().nth(line as usize - 1) {
            let text = text.trim_end_matches('\r');
            let gutter = line.to_string();
            let pad = " ".repeat(gutter.len());
            let (text, col) = window(text, col as usize);
            let before: String = text.chars().take(col.saturating_sub(1)).collect();
            let caret_at = UnicodeWidthStr::width(before.replace('\t', "    ").as_str());
            let shown: String = text
                .replace('\t', "    ")
                .chars()
                .map(|c| if c.is_control() { '?' } else { c })
                .collect();
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{gutter} | {shown}");
            let _ = writeln!(out, "{pad} | {}^", " ".repeat(caret_at));
        }
    }
    if let Some(hint) = &d.hint {
        let _ = writeln!(out, "  = help: {hint}");
    }
}

/// At most `WINDOW` characters of a long line around column `col` (1-based), marked with
/// "..." where cut, and the column within what is kept.
fn window(text: &str, col: usize) -> (String, usize) {
    const WINDOW: usize = 100;
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= WINDOW {
        return (text.to_string(), col);
    }
    let at = col.saturating_sub(1).min(chars.len());
    let start = at.saturating_sub(WINDOW / 2);
    let end = (start + WINDOW).min(chars.len());
    let mut out = String::new();
    if start > 0 {
        out.push_str("...");
    }
    out.extend(&chars[start..end]);
    if end < chars.len() {
        out.push_str("...");
    }
    let kept_col = at - start + 1 + if start > 0 { 3 } else { 0 };
    (out, kept_col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_cut_around_the_column() {
        let line = format!("{}X{}", "a".repeat(5000), "b".repeat(5000));
        let mut report = FileReport::new("t.yaml", format!("{line}\n"));
        report
            .diagnostics
            .push(Diagnostic::error(Span::new(1, 5001), "here"));
        let text = report.render();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[2].len() < 120, "{}", lines[2]);
        assert!(lines[2].starts_with("1 | ...a") && lines[2].ends_with("b..."));
        let caret = lines[3].find('^').unwrap();
        assert_eq!(&lines[2][caret..caret + 1], "X");
    }

    #[test]
    fn caret_sits_under_the_column_even_after_chinese() {
        let mut report = FileReport::new("t.yaml", "a: 1\nask: 中文 next: x\n");
        report
            .diagnostics
            .push(Diagnostic::error(Span::new(2, 9), "bad"));
        let text = report.render();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "t.yaml:2:9: error: bad");
        assert_eq!(lines[2], "2 | ask: 中文 next: x");
        // "ask: 中文" is 9 columns wide on screen (two double-width characters).
        assert_eq!(lines[3], format!("  | {}^", " ".repeat(10)));
    }
}
