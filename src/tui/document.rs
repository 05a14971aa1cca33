//! The result screen as pre-wrapped lines with known section starts, so that scrolling and
//! section jumps are exact at any width (CJK counts double). Pure: same input, same lines.

use super::theme::Theme;
use crate::format::{family_cells, family_headers};
use crate::recommend::Recommendation;
use crate::text::{Lang, format_number};
use ratatui::style::Style;
use ratatui::text::Line;
use unicode_width::UnicodeWidthStr;

pub struct Section {
    pub title: String,
    pub start: usize,
}

pub struct Document {
    pub lines: Vec<Line<'static>>,
    pub sections: Vec<Section>,
    /// What it was built for: a change of any of these needs a new build.
    pub key: (u16, Lang, Theme),
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
                    .word_separator(textwrap::WordSeparator::Custom(words));
                textwrap::wrap(para, options)
                    .into_iter()
                    .map(|c| c.into_owned())
                    .collect()
            }
        })
        .collect()
}

/// Section titles in both languages.
fn titles(lang: Lang) -> [&'static str; 9] {
    match lang {
        Lang::En => [
            "Summary",
            "Instance families",
            "GPU memory",
            "Architecture",
            "Why",
            "Pitfalls",
            "Cost",
            "Next steps",
            "How you got here",
        ],
        Lang::Zh => [
            "结论",
            "实例规格族",
            "显存",
            "架构",
            "理由",
            "避坑",
            "成本",
            "下一步",
            "决策路径",
        ],
    }
}

struct Builder<'a> {
    width: usize,
    theme: &'a Theme,
    doc: Document,
}

impl Builder<'_> {
    fn section(&mut self, title: &str) {
        if !self.doc.lines.is_empty() {
            self.doc.lines.push(Line::default());
        }
        self.doc.sections.push(Section {
            title: title.to_string(),
            start: self.doc.lines.len(),
        });
        self.doc
            .lines
            .push(Line::styled(title.to_string(), self.theme.heading()));
    }

    fn para(&mut self, text: &str, style: Style) {
        for line in wrap(text, self.width) {
            self.doc.lines.push(Line::styled(line, style));
        }
    }

    /// A bulleted item whose wrapped lines hang under the first.
    fn item(&mut self, bullet: &str, text: &str, style: Style) {
        let indent = bullet.width();
        for (i, line) in wrap(text, self.width.saturating_sub(indent))
            .into_iter()
            .enumerate()
        {
            let lead = if i == 0 {
                bullet.to_string()
            } else {
                " ".repeat(indent)
            };
            self.doc
                .lines
                .push(Line::styled(format!("{lead}{line}"), style));
        }
    }

    fn raw(&mut self, line: String, style: Style) {
        self.doc.lines.push(Line::styled(line, style));
    }
}

pub fn build(r: &Recommendation, width: u16, theme: &Theme) -> Document {
    let lang = r.lang;
    let t = titles(lang);
    let mut b = Builder {
        width: usize::from(width).max(10),
        theme,
        doc: Document {
            lines: Vec::new(),
            sections: Vec::new(),
            key: (width, lang, *theme),
        },
    };
    let res = &r.result;
    let plain = Style::new();
    let bullet = theme.bullet();

    b.section(t[0]);
    b.para(&res.summary, theme.question());
    for h in &res.highlights {
        b.item(bullet, &format!("{} = {}", h.name, h.value), theme.ok());
    }

    b.section(t[1]);
    families(&mut b, r);

    if let Some(m) = &res.memory_need {
        b.section(t[2]);
        let need = match lang {
            Lang::En => format!(
                "Needed: {} GB per model replica, split across GPUs:",
                format_number(m.gb)
            ),
            Lang::Zh => format!("需要:每个模型副本 {} GB,按 GPU 拆分:", format_number(m.gb)),
        };
        b.para(&need, plain);
        for fit in &m.fits {
            let servers = if fit.servers_of_8 > 1 {
                match lang {
                    Lang::En => format!(" ({} servers of 8)", fit.servers_of_8),
                    Lang::Zh => format!("({} 台 8 卡服务器)", fit.servers_of_8),
                }
            } else {
                String::new()
            };
            b.item(
                bullet,
                &format!(
                    "{} {} {} ({} GB){servers}",
                    fit.count,
                    theme.sym("×", "x"),
                    fit.name,
                    format_number(fit.memory_gb)
                ),
                plain,
            );
        }
    }

    b.section(&format!("{}: {}", t[3], res.pattern.title));
    b.para(&res.pattern.when, plain);
    for c in &res.pattern.components {
        b.item(bullet, c, plain);
    }
    b.raw(String::new(), plain);
    for line in res.pattern.diagram.lines() {
        // Diagrams are drawn to fit 60 columns; on a narrower screen they are cut, not wrapped,
        // since a wrapped diagram is unreadable.
        b.raw(truncate(line, b.width), theme.ok());
    }

    b.section(t[4]);
    b.para(&res.rationale, plain);
    for (title, items) in [
        (t[5], &res.pitfalls),
        (t[6], &res.cost),
        (t[7], &res.next_steps),
    ] {
        if items.is_empty() {
            continue;
        }
        b.section(title);
        for item in items {
            b.item(bullet, item, plain);
        }
    }

    b.section(t[8]);
    for (n, step) in r.path.iter().enumerate() {
        b.item(
            &format!("{}. ", n + 1),
            &format!(
                "{} {} {}",
                step.question,
                theme.sym("→", "->"),
                step.answer_label
            ),
            theme.question(),
        );
        b.item("   ", &step.why, theme.dim());
        for c in &step.consequences {
            b.item("   = ", c, theme.ok());
        }
    }
    b.doc
}

fn families(b: &mut Builder, r: &Recommendation) {
    let lang = r.lang;
    let res = &r.result;
    let head = family_headers(lang);
    let rows: Vec<[String; 6]> = res.families.iter().map(|f| family_cells(f, lang)).collect();
    // Wide screens get a table; narrow ones one block per family.
    let widths: Vec<usize> = (0..6)
        .map(|i| {
            rows.iter()
                .map(|r| r[i].width())
                .chain([head[i].width()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let table_width: usize = widths[..5].iter().sum::<usize>() + 2 * 5 + 12;
    if table_width <= b.width {
        let full_width = b.width;
        let fmt = |cells: Vec<&str>| {
            let mut line = String::new();
            for (i, cell) in cells.iter().enumerate() {
                if i == 5 {
                    let room = full_width.saturating_sub(line.width());
                    line.push_str(&truncate(cell, room));
                } else {
                    line.push_str(cell);
                    line.push_str(&" ".repeat(widths[i] - cell.width() + 2));
                }
            }
            line.trim_end().to_string()
        };
        let dim = b.theme.dim();
        b.raw(fmt(head.to_vec()), dim);
        for row in &rows {
            b.raw(fmt(row.iter().map(String::as_str).collect()), Style::new());
        }
    } else {
        for row in &rows {
            b.item(
                b.theme.bullet(),
                &format!("{}: {}", row[0], row[1]),
                b.theme.question(),
            );
            let (times, dot) = (b.theme.sym("×", "x"), b.theme.dot());
            b.item(
                "  ",
                &format!("{} {times}{}{dot}{}", row[2], row[3], row[4]),
                Style::new(),
            );
            if row[5] != "-" {
                b.item("  ", &row[5], b.theme.dim());
            }
        }
    }
    for n in &res.no_equivalent {
        let text = match lang {
            Lang::En => format!("{}: no equivalent. {}", n.provider_name, n.reason),
            Lang::Zh => format!("{}:无对应规格。{}", n.provider_name, n.reason),
        };
        b.item(b.theme.bullet(), &text, b.theme.warn());
    }
}

/// Cuts `text` to `width` display columns, marking the cut.
pub fn truncate(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if out.width() + c.to_string().width() + 1 > width {
            break;
        }
        out.push(c);
    }
    out.push('~');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_wraps_between_words_and_chinese_within_width() {
        assert_eq!(
            wrap("needs eighty gigabytes of memory", 12),
            vec!["needs eighty", "gigabytes of", "memory"]
        );
        for line in wrap(
            "大模型需要大显存,毫秒级响应需要能动态批处理的推理服务。",
            10,
        ) {
            assert!(line.width() <= 10, "{line}");
        }
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        // From 6 columns up, every unbreakable piece of this text (at most "(g)。") fits a line.
        for width in 6..20 {
            for line in wrap(
                "按 Enter 开始。每个问题都会说明为什么问(w),术语可在术语表中查看(g)。",
                width,
            ) {
                assert!(line.width() <= width, "{line}");
                let first = line.chars().next().unwrap_or(' ');
                assert!(!"，。、".contains(first), "width {width}: `{line}`");
            }
        }
    }

    #[test]
    fn truncation_respects_double_width() {
        assert_eq!(truncate("显存需求很大", 7), "显存需~");
        assert_eq!(truncate("short", 10), "short");
    }
}
