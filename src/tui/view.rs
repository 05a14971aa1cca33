//! `view(app, frame)`: draws the state, changes nothing. Reads its size from the frame, so a
//! resize needs only a redraw.

use super::app::{App, GlossaryView, MIN_HEIGHT, MIN_WIDTH, Overlay, Screen, Status, WalkView};
use super::document::{hanging, truncate, wrap};
use super::keys::{Action, choice_key, help_rows, keys_of};
use crate::engine::format_number_exact;
use crate::text::Lang;
use crate::tree::Node;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Clear, List, ListItem, ListState, Padding, Paragraph};
use unicode_width::UnicodeWidthStr;

pub fn view(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(app, frame, area);
        return;
    }
    let [header, body, status] = rows(area, [Some(1), None, Some(1)]);
    match &app.screen {
        Screen::Start { selected } => start(app, frame, header, body, *selected),
        Screen::Walk(view) => {
            walk_header(app, frame, header, view);
            match view.walk.current() {
                Node::Result(_) => result(app, frame, body, view),
                _ => question(app, frame, body, view),
            }
        }
    }
    status_line(app, frame, status);
    if let Screen::Walk(view) = &app.screen
        && let Some(failure) = &view.failure
    {
        let title = t(app.lang, "Something went wrong", "出错了");
        let inner = popup(app, frame, body, (64, body.height), title);
        let mut lines = paragraph_lines(failure, inner.width, app.theme.error());
        lines.push(Line::default());
        lines.push(Line::styled(
            t(
                app.lang,
                "Backspace: go back · any other key: stay here",
                "Backspace：返回上一题 · 其他键：留在此处",
            ),
            app.theme.dim(),
        ));
        frame.render_widget(Paragraph::new(lines), inner);
    }
    match &app.overlay {
        Some(Overlay::Help { scroll }) => help(app, frame, body, *scroll),
        Some(Overlay::Glossary(g)) => glossary(app, frame, body, g),
        Some(Overlay::Export { path }) => export_prompt(app, frame, body, path),
        Some(Overlay::Notice { title, text }) => {
            let inner = popup(app, frame, body, (64, body.height), title);
            let mut lines = Vec::new();
            for part in text.split('\n') {
                lines.extend(paragraph_lines(part, inner.width, app.theme.error()));
            }
            lines.push(Line::default());
            lines.push(Line::styled(
                t(app.lang, "Any key closes this", "按任意键关闭"),
                app.theme.dim(),
            ));
            frame.render_widget(Paragraph::new(lines), inner);
        }
        None => {}
    }
}

/// Splits `area` into rows of fixed heights and one (`None`) that takes what is left; fixed
/// rows take their heights in order, so the later ones shrink when the area is too short.
/// Every split here is of this simple
/// kind, and doing it directly spares the first frame ratatui's constraint solver.
fn rows<const N: usize>(area: Rect, heights: [Option<u16>; N]) -> [Rect; N] {
    let mut left = area.height;
    let mut fixed = heights.map(|h| h.unwrap_or(0));
    for h in &mut fixed {
        *h = (*h).min(left);
        left -= *h;
    }
    let mut y = area.y;
    let mut out = [Rect::default(); N];
    for (i, h) in heights.iter().enumerate() {
        let height = if h.is_some() { fixed[i] } else { left };
        out[i] = Rect::new(area.x, y, area.width, height);
        y += height;
    }
    out
}

fn t(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

fn too_small(app: &App, frame: &mut Frame, area: Rect) {
    let text = match app.lang {
        Lang::En => format!(
            "Enlarge the terminal to at least {MIN_WIDTH}x{MIN_HEIGHT} (now {}x{})",
            area.width, area.height
        ),
        Lang::Zh => format!(
            "请把终端放大到至少 {MIN_WIDTH}x{MIN_HEIGHT}（当前 {}x{}）",
            area.width, area.height
        ),
    };
    let lines: Vec<Line> = wrap(&text, usize::from(area.width.max(1)))
        .into_iter()
        .map(Line::from)
        .collect();
    let height = (lines.len() as u16).min(area.height);
    let y = area.y + area.height.saturating_sub(height) / 2;
    let rect = Rect::new(area.x, y, area.width, height);
    frame.render_widget(Paragraph::new(lines).centered(), rect);
}

fn bordered<'a>(app: &App, title: &'a str) -> Block<'a> {
    Block::bordered()
        .padding(Padding::horizontal(1))
        .border_set(app.theme.border())
        .border_style(app.theme.border_style())
        .title(Span::styled(format!(" {title} "), app.theme.title()))
}

fn paragraph_lines(text: &str, width: u16, style: Style) -> Vec<Line<'static>> {
    wrap(text, usize::from(width))
        .into_iter()
        .map(|l| Line::styled(l, style))
        .collect()
}

fn start(app: &App, frame: &mut Frame, header: Rect, body: Rect, selected: usize) {
    let lang = app.lang;
    frame.render_widget(
        Line::styled(
            truncate(
                t(
                    lang,
                    "gpuwise: GPU or CPU, which instance, what architecture",
                    "gpuwise：GPU 还是 CPU、选哪种实例、用什么架构",
                ),
                usize::from(header.width),
            ),
            app.theme.title(),
        ),
        header,
    );
    let block = bordered(app, t(lang, "Choose a tree", "选择决策树"));
    let inner = block.inner(body);
    frame.render_widget(block, body);
    let Some(tree) = app.trees.get(selected) else {
        return;
    };
    // Titles wrap under their number, as choices do; the list takes at most half the box.
    let width = usize::from(inner.width.saturating_sub(2));
    let titles: Vec<Vec<String>> = app
        .trees
        .iter()
        .enumerate()
        .map(|(i, tr)| hanging(&format!("{}. ", i + 1), tr.title.get(lang), width))
        .collect();
    let heights: Vec<usize> = titles.iter().map(Vec::len).collect();
    let room = usize::from(inner.height / 2).max(1);
    let (offset, capacity) = window(&heights, selected, room);
    let list_height = heights[offset..offset + capacity]
        .iter()
        .sum::<usize>()
        .min(room) as u16;
    let [list_area, _, detail] = rows(inner, [Some(list_height), Some(1), None]);
    let items: Vec<ListItem> = titles
        .into_iter()
        .skip(offset)
        .take(capacity)
        .map(|lines| {
            ListItem::new(Text::from(
                lines.into_iter().map(Line::from).collect::<Vec<_>>(),
            ))
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(selected - offset));
    frame.render_stateful_widget(
        List::new(items)
            .highlight_style(app.theme.selected())
            .highlight_symbol(app.theme.pointer()),
        list_area,
        &mut state,
    );
    let mut lines = Vec::new();
    if let Some(d) = &tree.description {
        lines.extend(paragraph_lines(d.get(lang), detail.width, Style::new()));
    }
    lines.push(Line::default());
    lines.extend(paragraph_lines(
        t(lang, "Enter starts. Every question says why it is asked (w); terms are explained in the glossary (g).", "按 Enter 开始。每个问题都会说明为什么问（w），术语可在术语表中查看（g）。"),
        detail.width,
        app.theme.dim(),
    ));
    if !app.notices.is_empty() {
        lines.push(Line::default());
        lines.push(Line::styled(
            t(lang, "Trees left out:", "未列出的决策树："),
            app.theme.error(),
        ));
        for notice in &app.notices {
            lines.extend(paragraph_lines(notice, detail.width, app.theme.error()));
        }
    }
    frame.render_widget(Paragraph::new(lines), detail);
}

fn walk_header(app: &App, frame: &mut Frame, area: Rect, view: &WalkView) {
    let lang = app.lang;
    let title = view.walk.tree().title.get(lang);
    let step = if view.walk.is_finished() {
        t(lang, "result", "结果").to_string()
    } else {
        match lang {
            Lang::En => format!("step {}", view.walk.step() + 1),
            Lang::Zh => format!("第 {} 步", view.walk.step() + 1),
        }
    };
    // The breadcrumb: the latest answers that fit, whole, oldest first; each long answer is
    // cut at a word.
    let crumbs: Vec<String> = crate::recommend::path_steps(&view.walk, lang)
        .into_iter()
        .map(|s| s.answer_label)
        .collect();
    let dot = app.theme.dot();
    let left = format!("{title}{dot}{step}");
    let width = usize::from(area.width);
    let mut line = vec![Span::styled(truncate(&left, width), app.theme.title())];
    let room = width.saturating_sub(left.width() + dot.width());
    let sep = app.theme.separator();
    let ellipsis = app.theme.sym("…", "...");
    let mut shown: Vec<String> = Vec::new();
    let mut used = 0;
    for (i, crumb) in crumbs.iter().rev().enumerate() {
        // Older answers left out are marked "… › " in front: keep room for that mark.
        let reserve = if i + 1 < crumbs.len() {
            ellipsis.width() + sep.width()
        } else {
            0
        };
        let joint = if shown.is_empty() { 0 } else { sep.width() };
        let mut crumb = cut_at_word(crumb, 24, ellipsis);
        if used + joint + crumb.width() + reserve > room {
            // The latest answer is worth showing cut shorter; older ones are left out.
            let left = room.saturating_sub(used + joint + reserve);
            if !shown.is_empty() || left < 8 {
                break;
            }
            crumb = cut_at_word(&crumb, left, ellipsis);
        }
        used += joint + crumb.width();
        shown.push(crumb);
    }
    if !shown.is_empty() {
        shown.reverse();
        let mut trail = shown.join(sep);
        if shown.len() < crumbs.len() {
            trail = format!("{ellipsis}{sep}{trail}");
        }
        line.push(Span::styled(format!("{dot}{trail}"), app.theme.dim()));
    }
    frame.render_widget(Line::from(line), area);
}

/// `text` cut to at most `width` columns at a word (or between CJK characters), marked.
fn cut_at_word(text: &str, width: usize, ellipsis: &str) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let room = width.saturating_sub(ellipsis.width()).max(1);
    let first = wrap(text, room).into_iter().next().unwrap_or_default();
    let first = first.trim_end_matches([',', ':', ';', '，', '：', '；', ' ']);
    format!("{first}{ellipsis}")
}

fn question(app: &App, frame: &mut Frame, body: Rect, view: &WalkView) {
    let lang = app.lang;
    let node = view.walk.current();
    let (ask, why, terms) = match node {
        Node::Question(q) => (&q.ask, &q.why, &q.terms),
        Node::Number(n) => (&n.ask, &n.why, &n.terms),
        _ => return,
    };
    let block = bordered(app, t(lang, "Question", "问题"));
    let inner = block.inner(body);
    frame.render_widget(block, body);
    let question = paragraph_lines(ask.get(lang), inner.width, app.theme.question());
    let why_lines = if app.show_why {
        let mut l = vec![Line::styled(
            t(lang, "Why this is asked", "为什么问这个"),
            app.theme.heading(),
        )];
        l.extend(paragraph_lines(why.get(lang), inner.width, app.theme.dim()));
        l
    } else {
        Vec::new()
    };
    let term_line = if terms.is_empty() {
        None
    } else {
        let names: Vec<String> = terms
            .iter()
            .filter_map(|id| {
                app.assets
                    .term_name(&id.value)
                    .map(|t| t.get(lang).to_string())
            })
            .collect();
        let keys = keys_of(Action::Glossary, app.theme.ascii).join(" ");
        let width = usize::from(inner.width);
        Some(Line::styled(
            truncate(&terms_line(&names, &keys, lang, width), width),
            app.theme.dim(),
        ))
    };
    // The question keeps at least its first line, choices at least three rows; `why` takes
    // what is left, up to half.
    let q_height = (question.len() as u16)
        .min(inner.height.saturating_sub(4))
        .max(1);
    let terms_height = u16::from(term_line.is_some());
    let rest = inner.height.saturating_sub(q_height + 1 + terms_height);
    // A `why` that does not fit beside the choices opens over them instead, whole.
    let why_fits = (why_lines.len() as u16) <= rest / 2;
    let why_height = if why_fits { why_lines.len() as u16 } else { 0 };
    let [q_area, _, choices_area, why_area, terms_area] = rows(
        inner,
        [
            Some(q_height),
            Some(1),
            None,
            Some(why_height),
            Some(terms_height),
        ],
    );
    frame.render_widget(Paragraph::new(question), q_area);
    match node {
        Node::Question(q) => {
            let width = usize::from(choices_area.width.saturating_sub(2));
            let count = q.choices.len();
            let height = usize::from(choices_area.height);
            // Labels wrap under their number (never cut); hints show when every choice fits
            // with its hint.
            let lines_of = |with_hints: bool| -> Vec<Vec<(String, bool)>> {
                q.choices
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let number = match choice_key(i) {
                            Some(k) => format!("{k}. "),
                            None => "   ".into(),
                        };
                        let mut lines: Vec<(String, bool)> =
                            hanging(&number, c.value.label.get(lang), width)
                                .into_iter()
                                .map(|l| (l, false))
                                .collect();
                        if let Some(hint) = c.value.hint.as_ref().filter(|_| with_hints) {
                            lines.extend(
                                hanging("   ", hint.get(lang), width)
                                    .into_iter()
                                    .map(|l| (l, true)),
                            );
                        }
                        lines
                    })
                    .collect()
            };
            let with_hints = lines_of(true).iter().map(Vec::len).sum::<usize>() <= height;
            let choice_lines = lines_of(with_hints);
            let heights: Vec<usize> = choice_lines.iter().map(Vec::len).collect();
            // A list longer than the screen scrolls; one line then says how many are hidden.
            let hint_line = heights.iter().sum::<usize>() > height;
            let room = if hint_line {
                height.saturating_sub(1).max(1)
            } else {
                height
            };
            let (offset, capacity) = window(&heights, view.selected, room);
            let items: Vec<ListItem> = choice_lines
                .into_iter()
                .skip(offset)
                .take(capacity)
                .map(|lines| {
                    ListItem::new(Text::from(
                        lines
                            .into_iter()
                            .map(|(l, dim)| {
                                if dim {
                                    Line::styled(l, app.theme.dim())
                                } else {
                                    Line::from(l)
                                }
                            })
                            .collect::<Vec<_>>(),
                    ))
                })
                .collect();
            let [list_area, more_area] = rows(choices_area, [None, Some(u16::from(hint_line))]);
            let mut state = ListState::default().with_selected(Some(view.selected - offset));
            frame.render_stateful_widget(
                List::new(items)
                    .highlight_style(app.theme.selected())
                    .highlight_symbol(app.theme.pointer()),
                list_area,
                &mut state,
            );
            if hint_line {
                let above = offset;
                let below = count - offset - capacity.min(count - offset);
                let mut parts = Vec::new();
                if above > 0 {
                    parts.push(match lang {
                        Lang::En => format!("{} {above} more", app.theme.sym("↑", "^")),
                        Lang::Zh => format!("{} 上方还有 {above} 项", app.theme.sym("↑", "^")),
                    });
                }
                if below > 0 {
                    parts.push(match lang {
                        Lang::En => format!("{} {below} more", app.theme.sym("↓", "v")),
                        Lang::Zh => format!("{} 下方还有 {below} 项", app.theme.sym("↓", "v")),
                    });
                }
                frame.render_widget(
                    Line::styled(
                        truncate(&parts.join("  "), usize::from(more_area.width)),
                        app.theme.dim(),
                    ),
                    more_area,
                );
            }
        }
        Node::Number(n) => {
            let range = format!(
                "{} {}{}{} {}",
                t(lang, "range", "范围"),
                format_number_exact(n.min.value),
                app.theme.sym("–", "-"),
                format_number_exact(n.max.value),
                n.unit.get(lang)
            );
            let cursor = if app.theme.ascii { "_" } else { "▏" };
            let mut lines = vec![
                Line::from(vec![
                    Span::styled("> ", app.theme.key()),
                    Span::styled(format!("{}{cursor}", view.input), app.theme.question()),
                    Span::raw(format!(" {}", n.unit.get(lang))),
                ]),
                Line::styled(
                    truncate(&range, usize::from(choices_area.width)),
                    app.theme.dim(),
                ),
            ];
            if let Some(error) = &view.input_error {
                lines.extend(paragraph_lines(
                    error,
                    choices_area.width,
                    app.theme.error(),
                ));
            }
            frame.render_widget(Paragraph::new(lines), choices_area);
        }
        _ => {}
    }
    if why_fits {
        frame.render_widget(Paragraph::new(why_lines), why_area);
    } else {
        let title = t(lang, "Why this is asked", "为什么问这个");
        let inner = popup(app, frame, body, (72, body.height), title);
        let lines = paragraph_lines(why.get(lang), inner.width, Style::new());
        frame.render_widget(Paragraph::new(lines), inner);
    }
    if let Some(line) = term_line {
        frame.render_widget(line, terms_area);
    }
}

fn result(app: &App, frame: &mut Frame, body: Rect, view: &WalkView) {
    let lang = app.lang;
    let Some(doc) = &view.document else {
        // The failure panel says why; keep the screen readable behind it.
        frame.render_widget(
            Paragraph::new(t(lang, "No result to show.", "没有可显示的结果。")),
            body,
        );
        return;
    };
    let height = usize::from(body.height.saturating_sub(2));
    let max = doc.lines.len().saturating_sub(height);
    let scroll = view.scroll.min(max);
    // The title names the section in view and the position, so a person knows where they are.
    let current = view.section.unwrap_or_else(|| {
        doc.sections
            .iter()
            .rposition(|s| s.start <= scroll)
            .unwrap_or(0)
    });
    let percent = (scroll * 100).checked_div(max).unwrap_or(100);
    let (open, close) = match app.lang {
        Lang::En => (" (", "%)"),
        Lang::Zh => ("（", "%）"),
    };
    let title = format!(
        "{}/{} {}{open}{percent}{close}",
        current + 1,
        doc.sections.len(),
        doc.sections
            .get(current)
            .map(|s| s.title.as_str())
            .unwrap_or(""),
    );
    let title = truncate(&title, usize::from(body.width.saturating_sub(6)));
    let block = bordered(app, &title);
    let inner = block.inner(body);
    frame.render_widget(block, body);
    let visible: Vec<Line> = doc
        .lines
        .iter()
        .skip(scroll)
        .take(height)
        .cloned()
        .collect();
    frame.render_widget(Paragraph::new(visible), inner);
}

fn status_line(app: &App, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    if let Some(status) = &app.status {
        let (text, style) = match status {
            Status::Info(s) => (s, app.theme.ok()),
            Status::Error(s) => (s, app.theme.error()),
        };
        frame.render_widget(
            Line::styled(truncate(text, usize::from(area.width)), style),
            area,
        );
        return;
    }
    let actions: &[Action] = match (&app.overlay, &app.screen) {
        (Some(Overlay::Glossary(_)), _) => {
            &[Action::Choose, Action::Search, Action::Close, Action::Quit]
        }
        (Some(Overlay::Export { .. }), _) => &[Action::Close],
        (Some(Overlay::Notice { .. }), _) => &[Action::Close],
        (Some(Overlay::Help { .. }), _) => &[Action::Close, Action::Quit],
        (None, Screen::Start { .. }) => &[
            Action::Choose,
            Action::Glossary,
            Action::Language,
            Action::Help,
            Action::Quit,
        ],
        (None, Screen::Walk(v)) if v.walk.is_finished() => &[
            Action::NextSection,
            Action::Export,
            Action::Back,
            Action::Restart,
            Action::Language,
            Action::Help,
            Action::Quit,
        ],
        (None, Screen::Walk(v)) if super::app::typing(v) => {
            let hint = t(
                lang,
                "Enter ok · Esc clear · Bksp delete · Ctrl-C quit",
                "Enter 确定 · Esc 清空 · Bksp 删除 · Ctrl-C 退出",
            );
            frame.render_widget(
                Line::styled(truncate(hint, usize::from(area.width)), app.theme.dim()),
                area,
            );
            return;
        }
        (None, Screen::Walk(_)) => &[
            Action::Choose,
            Action::Back,
            Action::Why,
            Action::Glossary,
            Action::Language,
            Action::Help,
            Action::Quit,
        ],
    };
    let mut spans = Vec::new();
    let mut used = 0;
    let dot = app.theme.dot();
    for action in actions {
        let key = keys_of(*action, app.theme.ascii)
            .into_iter()
            .next()
            .unwrap_or_default();
        let label = action.short(lang, app.theme.ascii);
        let cost = key.width() + 1 + label.width() + if spans.is_empty() { 0 } else { dot.width() };
        if used + cost > usize::from(area.width) {
            break;
        }
        if !spans.is_empty() {
            spans.push(Span::styled(dot, app.theme.dim()));
        }
        spans.push(Span::styled(key, app.theme.key()));
        spans.push(Span::raw(format!(" {label}")));
        used += cost;
    }
    frame.render_widget(Line::from(spans), area);
}

/// A centred, bordered box over `area` (cleared first); returns the inside to draw into.
fn popup(app: &App, frame: &mut Frame, area: Rect, size: (u16, u16), title: &str) -> Rect {
    let (w, h) = (size.0.min(area.width), size.1.min(area.height));
    let rect = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    frame.render_widget(Clear, rect);
    let block = bordered(app, title);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    inner
}

fn help(app: &App, frame: &mut Frame, area: Rect, scroll: usize) {
    let lang = app.lang;
    let inner = popup(app, frame, area, (64, area.height), t(lang, "Keys", "按键"));
    let rows = help_rows(lang, app.theme.ascii);
    let key_width = rows
        .iter()
        .map(|(k, _)| k.width())
        .max()
        .unwrap_or(0)
        .min(usize::from(inner.width / 2));
    let mut lines: Vec<Line> = Vec::new();
    lines.push(Line::styled(
        truncate(
            t(
                lang,
                "1-9 pick a choice or jump to a result section",
                "1-9 直接选择，或跳到结果的某一节",
            ),
            usize::from(inner.width),
        ),
        app.theme.dim(),
    ));
    for (keys, what) in rows {
        let keys = truncate(&keys, key_width);
        let pad = " ".repeat(key_width - keys.width());
        let room = usize::from(inner.width).saturating_sub(key_width + 2);
        lines.push(Line::from(vec![
            Span::styled(format!("{keys}{pad}  "), app.theme.key()),
            Span::raw(truncate(what, room)),
        ]));
    }
    let max = lines.len().saturating_sub(usize::from(inner.height));
    let visible: Vec<Line> = lines.into_iter().skip(scroll.min(max)).collect();
    frame.render_widget(Paragraph::new(visible), inner);
}

fn glossary(app: &App, frame: &mut Frame, area: Rect, view: &GlossaryView) {
    let lang = app.lang;
    let title = if view.query.is_empty() && !view.searching {
        t(lang, "Glossary", "术语表").to_string()
    } else {
        format!(
            "{} /{}{}",
            t(lang, "Glossary", "术语表"),
            view.query,
            if view.searching { "_" } else { "" }
        )
    };
    let inner = popup(app, frame, area, (72, area.height), &title);
    let entries = app.glossary_entries(view);
    let terms = &app.assets.glossary().terms;
    let Some(&current) = entries.get(view.selected.min(entries.len().saturating_sub(1))) else {
        frame.render_widget(
            Paragraph::new(t(lang, "No term matches.", "没有匹配的术语。")),
            inner,
        );
        return;
    };
    if view.detail {
        let term = &terms[current];
        let mut lines = vec![Line::styled(
            term.term.get(lang).to_string(),
            app.theme.heading(),
        )];
        lines.extend(paragraph_lines(
            term.short.get(lang),
            inner.width,
            app.theme.question(),
        ));
        lines.push(Line::default());
        lines.extend(paragraph_lines(
            term.explain.get(lang),
            inner.width,
            Style::new(),
        ));
        if !term.see.is_empty() {
            let see: Vec<String> = term
                .see
                .iter()
                .filter_map(|s| {
                    app.assets
                        .term(&s.value)
                        .map(|t| t.term.get(lang).to_string())
                })
                .collect();
            lines.push(Line::default());
            lines.extend(paragraph_lines(
                &format!(
                    "{}{}{}",
                    t(lang, "See also", "另见"),
                    lang.colon(),
                    see.join(t(lang, ", ", "、"))
                ),
                inner.width,
                app.theme.dim(),
            ));
        }
        let max = lines.len().saturating_sub(usize::from(inner.height));
        let visible: Vec<Line> = lines
            .into_iter()
            .skip(view.detail_scroll.min(max))
            .collect();
        frame.render_widget(Paragraph::new(visible), inner);
        return;
    }
    let items: Vec<ListItem> = entries
        .iter()
        .map(|&i| {
            let term = &terms[i];
            let marker = if view.focus.contains(&term.id.value) {
                "* "
            } else {
                ""
            };
            ListItem::new(Line::from(vec![
                Span::styled(
                    format!("{marker}{}", term.term.get(lang)),
                    app.theme.question(),
                ),
                Span::styled(
                    format!(" {} {}", app.theme.sym("—", "-"), term.short.get(lang)),
                    app.theme.dim(),
                ),
            ]))
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(view.selected.min(entries.len() - 1)));
    frame.render_stateful_widget(
        List::new(items)
            .highlight_style(app.theme.selected())
            .highlight_symbol(app.theme.pointer()),
        inner,
        &mut state,
    );
}

fn export_prompt(app: &App, frame: &mut Frame, area: Rect, path: &str) {
    let lang = app.lang;
    let inner = popup(app, frame, area, (60, 6), t(lang, "Export", "导出"));
    let mut lines = paragraph_lines(
        t(
            lang,
            "Directory for the report (.md) and answers (.yaml); Enter writes, Esc cancels:",
            "报告（.md）和答案（.yaml）的目录；Enter 写入，Esc 取消：",
        ),
        inner.width,
        app.theme.dim(),
    );
    lines.push(Line::styled(format!("> {path}_"), app.theme.question()));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// "Terms (g): A, B +3": whole names only, as many as fit in `width`, then how many more the
/// glossary holds.
fn terms_line(names: &[String], keys: &str, lang: Lang, width: usize) -> String {
    let line = |shown: usize| {
        let list = names[..shown].join(if lang == Lang::Zh { "、" } else { ", " });
        let more = names.len() - shown;
        match (lang, more) {
            (Lang::En, 0) => format!("Terms ({keys}): {list}"),
            (Lang::Zh, 0) => format!("术语（{keys}）：{list}"),
            (Lang::En, _) if shown == 0 => format!("Terms ({keys}): {more}"),
            (Lang::Zh, _) if shown == 0 => format!("术语（{keys}）：{more} 个"),
            (Lang::En, _) => format!("Terms ({keys}): {list} +{more}"),
            // No space after a full-width mark: "显存（VRAM）等 4 个", "FP16 等 6 个".
            (Lang::Zh, _) if list.ends_with('）') => {
                format!("术语（{keys}）：{list}等 {} 个", names.len())
            }
            (Lang::Zh, _) => format!("术语（{keys}）：{list} 等 {} 个", names.len()),
        }
    };
    let shown = (0..=names.len())
        .rev()
        .find(|n| line(*n).width() <= width)
        .unwrap_or(0);
    line(shown)
}

/// The first item and the number of items shown in `room` lines, the `selected` one among
/// them: items of `heights` lines each, as many as fit, starting as early as possible.
fn window(heights: &[usize], selected: usize, room: usize) -> (usize, usize) {
    let selected = selected.min(heights.len().saturating_sub(1));
    let mut offset = 0;
    while offset < selected && heights[offset..=selected].iter().sum::<usize>() > room {
        offset += 1;
    }
    let mut used = 0;
    let mut capacity = 0;
    for h in &heights[offset..] {
        if capacity > 0 && used + h > room {
            break;
        }
        used += h;
        capacity += 1;
    }
    (offset, capacity.max(1))
}

#[cfg(test)]
mod tests {
    use super::{hanging, terms_line, window};
    use crate::text::Lang;

    #[test]
    fn labels_wrap_under_their_number() {
        assert_eq!(
            hanging("1. ", "Vision, speech, embeddings", 15),
            ["1. Vision,", "   speech,", "   embeddings"]
        );
        assert_eq!(hanging("2. ", "短", 10), ["2. 短"]);
    }

    #[test]
    fn the_terms_line_shows_whole_names_and_counts_the_rest() {
        let names: Vec<String> = ["FP32", "BF16", "FP16", "FP8", "INT8", "INT4"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            terms_line(&names, "g", Lang::En, 80),
            "Terms (g): FP32, BF16, FP16, FP8, INT8, INT4"
        );
        assert_eq!(
            terms_line(&names, "g", Lang::En, 36),
            "Terms (g): FP32, BF16, FP16, FP8 +2"
        );
        assert_eq!(
            terms_line(&names, "g", Lang::Zh, 36),
            "术语（g）：FP32、BF16、FP16 等 6 个"
        );
        let paren = vec!["显存（VRAM）".to_string(), "Adam 优化器".to_string()];
        assert_eq!(
            terms_line(&paren, "g", Lang::Zh, 30),
            "术语（g）：显存（VRAM）等 2 个"
        );
        assert_eq!(terms_line(&names, "g", Lang::En, 12), "Terms (g): 6");
    }

    #[test]
    fn the_window_keeps_the_selected_choice_in_view() {
        // Five choices of 1, 2, 1, 2, 1 lines in 4 lines.
        let heights = [1, 2, 1, 2, 1];
        assert_eq!(window(&heights, 0, 4), (0, 3));
        assert_eq!(window(&heights, 2, 4), (0, 3));
        assert_eq!(window(&heights, 3, 4), (2, 3));
        assert_eq!(window(&heights, 4, 4), (2, 3));
        // A choice taller than the room is still shown, alone.
        assert_eq!(window(&[5, 1], 0, 3), (0, 1));
        assert_eq!(window(&[], 0, 3), (0, 1));
    }
}
