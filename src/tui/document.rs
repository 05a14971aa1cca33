//! The result screen as pre-wrapped lines with known section starts, so that scrolling and
//! section jumps are exact at any width (CJK counts double). Pure: same input, same lines.

use super::theme::Theme;
use crate::assets::FamilyKind;
use crate::format::{
    cost_heading, cost_lines, cpu_cells, cpu_headers, family_cells, family_headers, highlight_line,
    memory_heading, memory_lines, uncertain_line,
};
use crate::recommend::Recommendation;
use crate::text::Lang;
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

pub use crate::text::wrap;

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
        for line in hanging(bullet, text, self.width) {
            self.doc.lines.push(Line::styled(line, style));
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
        b.item(bullet, &highlight_line(h, lang), theme.ok());
    }

    b.section(t[1]);
    families(&mut b, r);

    if let Some(m) = &res.memory_need {
        b.section(t[2]);
        b.para(&memory_heading(m, lang), plain);
        for line in memory_lines(m, lang) {
            b.item(bullet, &line, plain);
        }
    }

    if !res.prices.rows.is_empty() {
        b.section(cost_heading(lang));
        for line in cost_lines(res, lang) {
            b.item(bullet, &line, plain);
        }
        let hint = match lang {
            Lang::En => "Press P to price in the next regions (mainland / international).",
            Lang::Zh => "按 P 切换价格地域（中国内地/国际）。",
        };
        b.para(hint, theme.dim());
    }

    b.section(&format!("{}{}{}", t[3], lang.colon(), res.pattern.title));
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

/// Columns padded to the widest cell; the last column is left out (it is wrapped under the row).
fn table(b: &mut Builder, head: &[&str], rows: &[Vec<String>], under: &[Vec<(String, Style)>]) {
    let columns = head.len();
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            rows.iter()
                .map(|r| r[i].width())
                .chain([head[i].width()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let table_width: usize = widths.iter().sum::<usize>() + 2 * (columns - 1);
    if table_width <= b.width {
        let fmt = |cells: Vec<&str>| {
            let mut line = String::new();
            for (i, cell) in cells.iter().enumerate() {
                line.push_str(cell);
                if i + 1 < cells.len() {
                    line.push_str(&" ".repeat(widths[i] - cell.width() + 2));
                }
            }
            line.trim_end().to_string()
        };
        let dim = b.theme.dim();
        b.raw(fmt(head.to_vec()), dim);
        for (row, notes) in rows.iter().zip(under) {
            b.raw(fmt(row.iter().map(String::as_str).collect()), Style::new());
            for (note, style) in notes {
                b.item("    ", note, *style);
            }
        }
    } else {
        // Narrow screens: one block per family.
        for (row, notes) in rows.iter().zip(under) {
            b.item(
                b.theme.bullet(),
                &format!("{}{}{}", row[0], b.doc.key.1.colon(), row[1]),
                b.theme.question(),
            );
            // Without the header row above, each cell says what it is.
            let dot = b.theme.dot();
            let colon = b.doc.key.1.colon();
            let detail: Vec<String> = row[2..]
                .iter()
                .zip(&head[2..])
                .filter(|(c, _)| c.as_str() != "-")
                .map(|(c, h)| format!("{h}{colon}{c}"))
                .collect();
            b.item("  ", &detail.join(dot), Style::new());
            for (note, style) in notes {
                b.item("  ", note, *style);
            }
        }
    }
}

fn families(b: &mut Builder, r: &Recommendation) {
    let lang = r.lang;
    let res = &r.result;
    let (dim, warn) = (b.theme.dim(), b.theme.warn());
    let gpu: Vec<_> = res
        .families
        .iter()
        .filter(|f| f.kind == FamilyKind::Gpu)
        .collect();
    let cpu: Vec<_> = res
        .families
        .iter()
        .filter(|f| f.kind == FamilyKind::Cpu)
        .collect();
    if !gpu.is_empty() {
        let head = family_headers(lang);
        let mut rows = Vec::new();
        let mut under = Vec::new();
        for f in &gpu {
            let mut cells = family_cells(f, lang).to_vec();
            let link = cells.pop().unwrap_or_default();
            rows.push(cells);
            let mut notes = Vec::new();
            if link != "-" {
                notes.push((link, dim));
            }
            if let Some(u) = uncertain_line(f, lang) {
                notes.push((u, warn));
            }
            under.push(notes);
        }
        table(b, &head[..5], &rows, &under);
    }
    if !cpu.is_empty() {
        if !gpu.is_empty() {
            b.raw(String::new(), Style::new());
        }
        let head = cpu_headers(lang);
        let mut rows = Vec::new();
        let mut under = Vec::new();
        for f in &cpu {
            let mut cells = cpu_cells(f, lang).to_vec();
            let cpu_name = cells.remove(2);
            rows.push(cells);
            let mut notes = vec![(cpu_name, dim)];
            if let Some(u) = uncertain_line(f, lang) {
                notes.push((u, warn));
            }
            under.push(notes);
        }
        let head: Vec<&str> = [head[0], head[1], head[3], head[4]].to_vec();
        table(b, &head, &rows, &under);
    }
    for n in &res.no_equivalent {
        let text = match lang {
            Lang::En => format!("{}: no equivalent. {}", n.provider_name, n.reason),
            Lang::Zh => format!("{}：无对应规格。{}", n.provider_name, n.reason),
        };
        b.item(b.theme.bullet(), &text, b.theme.warn());
    }
}

/// `text` wrapped to `width` columns after `lead` ("1. "), continuation lines indented to it.
pub fn hanging(lead: &str, text: &str, width: usize) -> Vec<String> {
    let indent = " ".repeat(lead.width());
    wrap(text, width.saturating_sub(lead.width()).max(1))
        .into_iter()
        .enumerate()
        .map(|(i, l)| format!("{}{l}", if i == 0 { lead } else { &indent }))
        .collect()
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
