//! The wizard's state and `update`: the only place that changes it. No I/O here: writing the
//! export files is an [`Effect`] the event loop carries out.

use super::document;
use super::keys::{Action, Key, action_for, choice_index};
use super::theme::Theme;
use crate::assets::Assets;
use crate::engine::{Answer, EngineError, NumberError, Walk, format_number_exact, parse_number};
use crate::recommend::Recommendation;
use crate::text::Lang;
use crate::tree::{Node, Tree};
use std::path::PathBuf;
use std::sync::Arc;

/// The smallest terminal the wizard draws in.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;

#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    Key(Key),
    Resize(u16, u16),
    /// The export finished: the files written, or what went wrong.
    Exported(Result<Vec<PathBuf>, String>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    Quit,
    /// Write these files into `dir`.
    Export {
        dir: PathBuf,
        files: Vec<(String, String)>,
    },
}

pub struct App {
    pub assets: Arc<Assets>,
    /// Trees to choose from on the start screen.
    pub trees: Vec<Arc<Tree>>,
    pub lang: Lang,
    pub theme: Theme,
    pub size: (u16, u16),
    pub screen: Screen,
    pub overlay: Option<Overlay>,
    /// The `why` panel stays open across questions once opened.
    pub show_why: bool,
    pub status: Option<Status>,
    /// The regions results are priced in (`--region`, then the region key).
    pub regions: crate::prices::Regions,
    /// Today, in days since 1970-01-01: prices older than a year are marked stale.
    pub today: i64,
    /// Trees that could not be offered, and why: shown on the start screen.
    pub notices: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    Info(String),
    Error(String),
}

pub enum Screen {
    Start { selected: usize },
    Walk(Box<WalkView>),
}

pub struct WalkView {
    pub walk: Walk,
    /// The highlighted choice of a question.
    pub selected: usize,
    /// The text typed into a number question.
    pub input: String,
    /// The field holds a default or an earlier answer: the first character typed replaces it,
    /// as in a selected text field.
    pub input_prefilled: bool,
    /// Why the last typed number was rejected.
    pub input_error: Option<String>,
    /// Something in the tree failed at this step (an expression, a result's condition): what
    /// and where, shown over the screen; the person can go back or choose again.
    pub failure: Option<String>,
    /// The result section the person jumped to last; `None` after scrolling by lines.
    pub section: Option<usize>,
    /// Built once the walk reaches a result, in the current language.
    pub result: Option<Recommendation>,
    /// The result as wrapped lines for the current width, language and theme; rebuilt by
    /// `update` when one of them changes, so drawing and scrolling never wrap text again.
    pub document: Option<document::Document>,
    pub scroll: usize,
    /// Where and when results are priced: the App's setting, copied when the walk begins.
    pub regions: crate::prices::Regions,
    pub today: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Overlay {
    Help {
        scroll: usize,
    },
    /// A message too long for the status line (a failed export): any key closes it.
    Notice {
        title: String,
        text: String,
    },
    Glossary(GlossaryView),
    Export {
        path: String,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct GlossaryView {
    pub query: String,
    pub searching: bool,
    pub selected: usize,
    /// The current question's terms, listed first.
    pub focus: Vec<String>,
    pub detail: bool,
    pub detail_scroll: usize,
}

impl App {
    /// Starts on the start screen; with one tree (or `--tree`) straight at its first question.
    pub fn new(
        assets: Arc<Assets>,
        trees: Vec<Arc<Tree>>,
        lang: Lang,
        theme: Theme,
        skip_start: bool,
    ) -> Result<App, EngineError> {
        let mut app = App {
            assets,
            trees,
            lang,
            theme,
            size: (80, 24),
            screen: Screen::Start { selected: 0 },
            overlay: None,
            show_why: false,
            status: None,
            regions: crate::prices::Regions::default(),
            today: crate::prices::today(),
            notices: Vec::new(),
        };
        if skip_start && let Some(tree) = app.trees.first().cloned() {
            app.begin(Walk::new(tree)?);
        }
        Ok(app)
    }

    /// Prices results in `regions` from now on, the current one included.
    pub fn set_regions(&mut self, regions: crate::prices::Regions) {
        self.regions = regions.clone();
        let (assets, lang) = (self.assets.clone(), self.lang);
        if let Some(view) = walk_mut(self) {
            view.regions = regions;
            build_result(view, &assets, lang);
        }
        self.sync_document();
    }

    /// Opens a walk (fresh or replayed) as the current screen.
    pub fn begin(&mut self, walk: Walk) {
        let mut view = WalkView {
            walk,
            selected: 0,
            input: String::new(),
            input_prefilled: false,
            input_error: None,
            failure: None,
            section: None,
            result: None,
            document: None,
            scroll: 0,
            regions: self.regions.clone(),
            today: self.today,
        };
        prepare(&mut view, &self.assets, self.lang);
        self.screen = Screen::Walk(Box::new(view));
        self.sync_document();
    }

    /// Rebuilds the result document if the width, language or theme changed.
    fn sync_document(&mut self) {
        let key = (self.result_width(), self.lang, self.theme);
        if let Screen::Walk(view) = &mut self.screen {
            match &view.result {
                None => view.document = None,
                Some(result) => {
                    if view.document.as_ref().is_none_or(|d| d.key != key) {
                        view.document = Some(document::build(result, key.0, &key.2));
                    }
                }
            }
        }
    }

    pub fn walk(&self) -> Option<&WalkView> {
        match &self.screen {
            Screen::Walk(w) => Some(w),
            Screen::Start { .. } => None,
        }
    }

    pub fn too_small(&self) -> bool {
        self.size.0 < MIN_WIDTH || self.size.1 < MIN_HEIGHT
    }

    /// The glossary entries in the order the browser lists them.
    pub fn glossary_entries(&self, view: &GlossaryView) -> Vec<usize> {
        let query = view.query.to_lowercase();
        let terms = &self.assets.glossary().terms;
        let matches = |i: &usize| {
            let t = &terms[*i];
            query.is_empty()
                || t.id.value.contains(&query)
                || t.term.variants().any(|v| v.to_lowercase().contains(&query))
                || t.short
                    .variants()
                    .any(|v| v.to_lowercase().contains(&query))
        };
        let mut order: Vec<usize> = view
            .focus
            .iter()
            .filter_map(|id| terms.iter().position(|t| t.id.value == *id))
            .collect();
        let mut rest: Vec<usize> = (0..terms.len()).filter(|i| !order.contains(i)).collect();
        rest.sort_by_key(|&i| terms[i].term.get(self.lang).to_lowercase());
        order.extend(rest);
        order.into_iter().filter(matches).collect()
    }

    /// Lines the result screen scrolls through, at the current width.
    pub fn result_body_height(&self) -> usize {
        usize::from(self.size.1.saturating_sub(4)).max(1)
    }

    pub fn result_width(&self) -> u16 {
        self.size.0.saturating_sub(4)
    }
}

/// Sets the cursor and field for the walk's current node, preselecting the answer given there
/// earlier (kept across going back), else a number question's default.
fn prepare(view: &mut WalkView, assets: &Assets, lang: Lang) {
    view.input_error = None;
    view.failure = None;
    view.scroll = 0;
    view.section = None;
    view.selected = 0;
    view.input.clear();
    view.input_prefilled = false;
    view.result = None;
    let id = view.walk.current_id().to_string();
    match view.walk.current() {
        Node::Question(q) => {
            if let Some(Answer::Choice(previous)) = view.walk.remembered(&id) {
                view.selected = q
                    .choices
                    .iter()
                    .position(|c| c.value.id.value == *previous)
                    .unwrap_or(0);
            }
        }
        Node::Number(_) => match view.walk.number_default() {
            Ok(Some(n)) => {
                view.input = format_number_exact(n);
                view.input_prefilled = true;
            }
            Ok(None) => {}
            Err(e) => view.failure = Some(failure_text(&e, lang)),
        },
        _ => {}
    }
    build_result(view, assets, lang);
}

/// Builds the result in `lang`, or says why it could not be built.
fn build_result(view: &mut WalkView, assets: &Assets, lang: Lang) {
    if !view.walk.is_finished() {
        view.result = None;
        return;
    }
    match Recommendation::build_in(&view.walk, assets, lang, &view.regions, view.today) {
        Ok(r) => view.result = Some(r),
        Err(e) => {
            view.result = None;
            view.failure = Some(match lang {
                Lang::En => format!("The result could not be built: {e}"),
                Lang::Zh => format!("无法生成结果：{e}"),
            });
        }
    }
}

/// A failure in the tree, for the person at the screen: what failed, where, with which values.
pub fn failure_text(e: &EngineError, lang: Lang) -> String {
    match (e, lang) {
        (
            EngineError::Expression {
                node,
                expression,
                message,
                values,
            },
            Lang::En,
        ) => format!(
            "This tree could not go on after your answer: at `{node}`, `{expression}` {message}{}. Go back and change an answer, or report this to the tree's author.",
            if values.is_empty() {
                String::new()
            } else {
                format!(" (with {values})")
            }
        ),
        (
            EngineError::Expression {
                node,
                expression,
                message,
                values,
            },
            Lang::Zh,
        ) => format!(
            "根据你的回答无法继续：在 `{node}` 处，`{expression}` {message}{}。请返回修改回答，或把此问题报告给决策树作者。",
            if values.is_empty() {
                String::new()
            } else {
                format!("（取值 {values}）")
            }
        ),
        (other, Lang::En) => format!("This tree could not go on: {other}"),
        (other, Lang::Zh) => format!("无法继续：{other}"),
    }
}

/// What a rejected number means, in the reader's language.
fn input_error(err: &EngineError, unit: &str, lang: Lang) -> String {
    let range = |min: f64, max: f64| match lang {
        Lang::En => format!(
            "enter a number from {} to {} {unit}",
            format_number_exact(min),
            format_number_exact(max)
        ),
        Lang::Zh => format!(
            "请输入 {} 到 {} 之间的数（{unit}）",
            format_number_exact(min),
            format_number_exact(max)
        ),
    };
    match err {
        EngineError::OutOfRange {
            value, min, max, ..
        } => match lang {
            Lang::En => format!(
                "{} is out of range: {}",
                format_number_exact(*value),
                range(*min, *max)
            ),
            Lang::Zh => format!(
                "{} 超出范围：{}",
                format_number_exact(*value),
                range(*min, *max)
            ),
        },
        EngineError::NotANumber {
            value, min, max, ..
        } => {
            let why = match (parse_number(value), lang) {
                (Err(NumberError::Comma), Lang::En) => {
                    "use a dot for decimals (7.5, not 7,5)".to_string()
                }
                (Err(NumberError::Comma), Lang::Zh) => {
                    "小数请用点号（7.5，而不是 7,5）".to_string()
                }
                (Err(NumberError::Empty), Lang::En) => "type a number".to_string(),
                (Err(NumberError::Empty), Lang::Zh) => "请输入数字".to_string(),
                (_, Lang::En) => format!(
                    "`{value}` is not a number: use digits, a dot for decimals, e for powers of ten (1e2 = 100)"
                ),
                (_, Lang::Zh) => format!(
                    "`{value}` 不是数字：请用数字、点号表示小数、e 表示 10 的幂（1e2 = 100）"
                ),
            };
            match lang {
                Lang::En => format!("{why}; {}", range(*min, *max)),
                Lang::Zh => format!("{why}；{}", range(*min, *max)),
            }
        }
        EngineError::NotWhole { .. } => match lang {
            Lang::En => "whole numbers only".to_string(),
            Lang::Zh => "只能输入整数".to_string(),
        },
        other => other.to_string(),
    }
}

/// The longest text a number field keeps: enough for any number a person types.
const MAX_INPUT: usize = 40;

/// The answers file the export writes and `gpuwise recommend --answers` replays.
pub fn answers_yaml(walk: &Walk) -> String {
    let mut out = String::from(
        "# gpuwise answers: replay with `gpuwise recommend --answers FILE` or `gpuwise --answers FILE`\n",
    );
    out.push_str(&format!(
        "tree: {}\nversion: {}\nanswers:\n",
        walk.tree().id.value,
        walk.tree().version
    ));
    for (node, answer) in walk.answers() {
        let value = match answer {
            Answer::Choice(id) => serde_json::to_string(&id).unwrap_or(id),
            Answer::Number(n) => format_number_exact(n),
        };
        out.push_str(&format!("  {node}: {value}\n"));
    }
    out
}

pub fn update(app: &mut App, event: Event) -> Vec<Effect> {
    let effects = update_state(app, event);
    app.sync_document();
    effects
}

fn update_state(app: &mut App, event: Event) -> Vec<Effect> {
    match event {
        Event::Resize(w, h) => {
            app.size = (w, h);
            Vec::new()
        }
        Event::Exported(result) => {
            app.status = Some(match (result, app.lang) {
                (Ok(paths), lang) => {
                    let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                    Status::Info(match lang {
                        Lang::En => format!("Wrote {}", list.join(" and ")),
                        Lang::Zh => format!("已写入 {}", list.join(" 和 ")),
                    })
                }
                (Err(e), lang) => {
                    // The whole error, wrapped in a popup: the status line would cut it.
                    app.overlay = Some(Overlay::Notice {
                        title: match lang {
                            Lang::En => "Export failed".into(),
                            Lang::Zh => "导出失败".into(),
                        },
                        text: match lang {
                            Lang::En => format!("{e}\n\nNothing was overwritten."),
                            Lang::Zh => format!("{e}\n\n没有覆盖任何文件。"),
                        },
                    });
                    Status::Error(match lang {
                        Lang::En => "Export failed".into(),
                        Lang::Zh => "导出失败".into(),
                    })
                }
            });
            Vec::new()
        }
        Event::Key(key) => on_key(app, key),
    }
}

fn on_key(app: &mut App, key: Key) -> Vec<Effect> {
    if key == Key::Ctrl('c') {
        return vec![Effect::Quit];
    }
    // Nothing on screen but "enlarge the terminal": no key may act on what cannot be seen.
    if app.too_small() {
        return Vec::new();
    }
    app.status = None;
    if let Some(overlay) = app.overlay.take() {
        return on_overlay_key(app, overlay, key);
    }
    // A failure panel: any key closes it; Back also goes back.
    if let Some(view) = walk_mut(app)
        && view.failure.is_some()
    {
        view.failure = None;
        return match action_for(key) {
            Some(Action::Back) | Some(Action::Close) => on_action(app, Action::Back),
            Some(Action::Quit) => vec![Effect::Quit],
            _ => Vec::new(),
        };
    }
    if let Some(effects) = number_field_key(app, key) {
        return effects;
    }
    if let Some(n) = choice_index(key) {
        return pick(app, n);
    }
    let Some(action) = action_for(key) else {
        return Vec::new();
    };
    on_action(app, action)
}

/// Keys in a number field. Once something is typed, every character goes into the field
/// (letters too: they are shown and refused on Enter, never dropped), so `q`, `r` or `L`
/// cannot lose the walk mid-number; Esc clears what was typed; Esc or Backspace on an empty
/// field goes back. `None`: the key is not the field's.
fn number_field_key(app: &mut App, key: Key) -> Option<Vec<Effect>> {
    let view = walk_mut(app)?;
    if !matches!(view.walk.current(), Node::Number(_)) {
        return None;
    }
    let typed = !view.input.is_empty() && !view.input_prefilled;
    match key {
        Key::Char(c) if !c.is_control() => {
            let starts_number = c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | ',');
            if typed || starts_number || action_for(key).is_none() {
                if view.input_prefilled {
                    view.input.clear();
                    view.input_prefilled = false;
                }
                if view.input.chars().count() < MAX_INPUT {
                    view.input.push(c);
                }
                view.input_error = None;
                return Some(Vec::new());
            }
            None
        }
        Key::Esc if !view.input.is_empty() => {
            view.input.clear();
            view.input_prefilled = false;
            view.input_error = None;
            Some(Vec::new())
        }
        Key::Esc => Some(on_action(app, Action::Back)),
        _ => None,
    }
}

/// Whether the number field holds text the person typed (the footer then says so).
pub fn typing(view: &WalkView) -> bool {
    matches!(view.walk.current(), Node::Number(_))
        && !view.input.is_empty()
        && !view.input_prefilled
}

fn walk_mut(app: &mut App) -> Option<&mut WalkView> {
    match &mut app.screen {
        Screen::Walk(w) => Some(w),
        Screen::Start { .. } => None,
    }
}

/// Number keys: pick a choice directly, or jump to a result section.
fn pick(app: &mut App, n: usize) -> Vec<Effect> {
    match &mut app.screen {
        Screen::Start { selected } => {
            if n < app.trees.len() {
                *selected = n;
                return on_action(app, Action::Choose);
            }
        }
        Screen::Walk(view) => match view.walk.current() {
            Node::Question(q) if n < q.choices.len() => {
                view.selected = n;
                return on_action(app, Action::Choose);
            }
            _ => {
                if let Some(section) = view.document.as_ref().and_then(|d| d.sections.get(n)) {
                    view.scroll = section.start;
                    view.section = Some(n);
                }
            }
        },
    }
    Vec::new()
}

fn on_action(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Quit => return vec![Effect::Quit],
        Action::Help => app.overlay = Some(Overlay::Help { scroll: 0 }),
        Action::Language => {
            app.lang = app.lang.toggled();
            let (assets, lang) = (app.assets.clone(), app.lang);
            if let Some(view) = walk_mut(app) {
                build_result(view, &assets, lang);
            }
        }
        Action::Glossary => {
            let focus = app
                .walk()
                .and_then(|v| match v.walk.current() {
                    Node::Question(q) => Some(q.terms.iter().map(|t| t.value.clone()).collect()),
                    Node::Number(n) => Some(n.terms.iter().map(|t| t.value.clone()).collect()),
                    _ => None,
                })
                .unwrap_or_default();
            app.overlay = Some(Overlay::Glossary(GlossaryView {
                query: String::new(),
                searching: false,
                selected: 0,
                focus,
                detail: false,
                detail_scroll: 0,
            }));
        }
        Action::Why => app.show_why = !app.show_why,
        Action::Region => {
            let assets = app.assets.clone();
            let regions = app.regions.next(assets.prices());
            let text = regions.describe(assets.prices(), app.lang);
            app.set_regions(regions);
            app.status = Some(Status::Info(match app.lang {
                Lang::En => format!("Prices for {text}"),
                Lang::Zh => format!("价格地域：{text}"),
            }));
        }
        _ => return on_screen_action(app, action),
    }
    Vec::new()
}

fn on_screen_action(app: &mut App, action: Action) -> Vec<Effect> {
    let assets = app.assets.clone();
    let lang = app.lang;
    let page = app.result_body_height();
    let tree_count = app.trees.len();
    match &mut app.screen {
        Screen::Start { selected } => match action {
            Action::Up => *selected = selected.saturating_sub(1),
            Action::Down => *selected = (*selected + 1).min(tree_count.saturating_sub(1)),
            Action::Choose => {
                let Some(tree) = app.trees.get(*selected).cloned() else {
                    return Vec::new();
                };
                match Walk::new(tree) {
                    Ok(walk) => app.begin(walk),
                    Err(e) => app.status = Some(Status::Error(e.to_string())),
                }
            }
            _ => {}
        },
        Screen::Walk(view) => {
            let node = view.walk.current().clone();
            match (action, &node) {
                (Action::Up, Node::Question(_)) => view.selected = view.selected.saturating_sub(1),
                (Action::Down, Node::Question(q)) => {
                    view.selected = (view.selected + 1).min(q.choices.len().saturating_sub(1));
                }
                (Action::Choose, Node::Question(q)) => {
                    let Some(choice) = q.choices.get(view.selected) else {
                        return Vec::new();
                    };
                    let answer = Answer::Choice(choice.value.id.value.clone());
                    match view.walk.answer(answer) {
                        Ok(()) => prepare(view, &assets, lang),
                        Err(e) => view.failure = Some(failure_text(&e, lang)),
                    }
                }
                (Action::Choose, Node::Number(n)) => match view.walk.answer_text(&view.input) {
                    Ok(()) => prepare(view, &assets, lang),
                    Err(
                        e @ (EngineError::NotANumber { .. }
                        | EngineError::OutOfRange { .. }
                        | EngineError::NotWhole { .. }),
                    ) => view.input_error = Some(input_error(&e, n.unit.get(lang), lang)),
                    Err(e) => view.failure = Some(failure_text(&e, lang)),
                },
                (Action::First, Node::Question(_)) => view.selected = 0,
                (Action::Last, Node::Question(q)) => {
                    view.selected = q.choices.len().saturating_sub(1);
                }
                (Action::Back, Node::Number(_)) if !view.input.is_empty() => {
                    view.input.pop();
                    view.input_prefilled = false;
                    view.input_error = None;
                }
                (Action::Back, _) => match view.walk.back() {
                    Ok(Some(_)) => prepare(view, &assets, lang),
                    Ok(None) if tree_count > 1 => {
                        let index = app
                            .trees
                            .iter()
                            .position(|t| Arc::ptr_eq(t, view.walk.tree()))
                            .unwrap_or(0);
                        app.screen = Screen::Start { selected: index };
                    }
                    Ok(None) => {}
                    Err(e) => app.status = Some(Status::Error(e.to_string())),
                },
                (Action::Restart, _) => match view.walk.restart() {
                    Ok(()) => prepare(view, &assets, lang),
                    Err(e) => app.status = Some(Status::Error(e.to_string())),
                },
                (Action::Export, Node::Result(_)) => {
                    app.overlay = Some(Overlay::Export { path: ".".into() });
                }
                (Action::Export, _) => {
                    app.status = Some(Status::Info(match lang {
                        Lang::En => "Export is available on the result screen".into(),
                        Lang::Zh => "到达结果页后才能导出".into(),
                    }));
                }
                (scroll, Node::Result(_)) => {
                    let Some(doc) = &view.document else {
                        return Vec::new();
                    };
                    let max = doc.lines.len().saturating_sub(page);
                    let current = view.scroll.min(max);
                    // Sections are counted from the one on screen, so Tab reaches the last
                    // ones even when the document cannot scroll their heading to the top.
                    let on_screen = view.section.unwrap_or_else(|| {
                        doc.sections
                            .iter()
                            .rposition(|s| s.start <= current)
                            .unwrap_or(0)
                    });
                    let last = doc.sections.len().saturating_sub(1);
                    let (scroll, section) = match scroll {
                        Action::Up => (current.saturating_sub(1), None),
                        Action::Down => ((current + 1).min(max), None),
                        Action::PageUp => (current.saturating_sub(page), None),
                        Action::PageDown => ((current + page).min(max), None),
                        Action::First => (0, Some(0)),
                        Action::Last => (max, None),
                        Action::NextSection => {
                            let next = (on_screen + 1).min(last);
                            (
                                doc.sections.get(next).map_or(current, |s| s.start.min(max)),
                                Some(next),
                            )
                        }
                        Action::PrevSection => {
                            let prev = on_screen.saturating_sub(1);
                            (
                                doc.sections.get(prev).map_or(0, |s| s.start.min(max)),
                                Some(prev),
                            )
                        }
                        _ => (current, view.section),
                    };
                    view.scroll = scroll;
                    view.section = section;
                }
                _ => {}
            }
        }
    }
    Vec::new()
}

fn on_overlay_key(app: &mut App, overlay: Overlay, key: Key) -> Vec<Effect> {
    match overlay {
        Overlay::Notice { .. } => {} // any key closes it
        Overlay::Help { scroll } => match action_for(key) {
            Some(Action::Quit) => return vec![Effect::Quit],
            Some(Action::Up) => {
                app.overlay = Some(Overlay::Help {
                    scroll: scroll.saturating_sub(1),
                })
            }
            Some(Action::Down) => app.overlay = Some(Overlay::Help { scroll: scroll + 1 }),
            _ => {} // any other key closes help
        },
        Overlay::Export { mut path } => match key {
            Key::Enter => {
                let Some(view) = app.walk() else {
                    return Vec::new();
                };
                let Some(result) = &view.result else {
                    return Vec::new();
                };
                let tree = &view.walk.tree().id.value;
                let files = vec![
                    (
                        format!("gpuwise-{tree}-report.md"),
                        crate::format::to_markdown(result),
                    ),
                    (
                        format!("gpuwise-{tree}-answers.yaml"),
                        answers_yaml(&view.walk),
                    ),
                ];
                let dir = if path.trim().is_empty() {
                    ".".into()
                } else {
                    path.trim().to_string()
                };
                return vec![Effect::Export {
                    dir: PathBuf::from(dir),
                    files,
                }];
            }
            Key::Esc => {}
            Key::Backspace => {
                path.pop();
                app.overlay = Some(Overlay::Export { path });
            }
            Key::Char(c) => {
                path.push(c);
                app.overlay = Some(Overlay::Export { path });
            }
            _ => app.overlay = Some(Overlay::Export { path }),
        },
        Overlay::Glossary(mut view) => {
            let count = app.glossary_entries(&view).len();
            if view.searching {
                match key {
                    Key::Char(c) => {
                        view.query.push(c);
                        view.selected = 0;
                    }
                    Key::Backspace => {
                        view.query.pop();
                        view.selected = 0;
                    }
                    Key::Enter | Key::Esc | Key::Down => view.searching = false,
                    _ => {}
                }
                app.overlay = Some(Overlay::Glossary(view));
                return Vec::new();
            }
            match action_for(key) {
                Some(Action::Quit) => return vec![Effect::Quit],
                Some(Action::Close | Action::Glossary) if !view.detail => return Vec::new(),
                Some(Action::Close | Action::Back) => view.detail = false,
                Some(Action::Up) if view.detail => {
                    view.detail_scroll = view.detail_scroll.saturating_sub(1);
                }
                Some(Action::Down) if view.detail => view.detail_scroll += 1,
                Some(Action::Up) => view.selected = view.selected.saturating_sub(1),
                Some(Action::Down) => {
                    view.selected = (view.selected + 1).min(count.saturating_sub(1))
                }
                Some(Action::Choose) => {
                    view.detail = !view.detail;
                    view.detail_scroll = 0;
                }
                Some(Action::Search) => {
                    view.searching = true;
                    view.detail = false;
                }
                Some(Action::Language) => {
                    app.overlay = Some(Overlay::Glossary(view));
                    return on_action(app, Action::Language);
                }
                _ => {}
            }
            app.overlay = Some(Overlay::Glossary(view));
        }
    }
    Vec::new()
}
