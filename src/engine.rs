//! The wizard as a state machine over a loaded tree. It is the only place that knows how to
//! walk a tree: the TUI, the CLI and a later SSH shell all drive a [`Walk`].

use crate::tree::{Node, Outcome, Scalar, Tree};
use indexmap::IndexMap;
use std::sync::Arc;

/// What a person answered at one question.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    Choice(String),
    Number(f64),
}

impl Answer {
    /// The answer as written on a command line or in an answers file.
    pub fn as_value(&self) -> String {
        match self {
            Answer::Choice(id) => id.clone(),
            Answer::Number(n) => format_number_exact(*n),
        }
    }
}

/// A number as typed, without rounding it for display (7.25 stays 7.25).
pub fn format_number_exact(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else if n.is_finite() && (n.abs() >= 1e15 || n.abs() < 1e-6) {
        // 1e300 as written, not as 301 digits.
        format!("{n:e}")
    } else {
        n.to_string()
    }
}

/// What happened at a node on the way.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    Answered(Answer),
    Computed(Vec<(String, Scalar)>),
    /// The index of the `when` that held, or `None` for `otherwise`.
    Branched(Option<usize>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Visit {
    pub node: String,
    pub event: Event,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EngineError {
    #[error("`{value}` is not a choice of `{node}`; valid choices: {}", valid.join(", "))]
    UnknownChoice {
        node: String,
        value: String,
        valid: Vec<String>,
    },
    #[error("`{value}` is not a number; `{node}` takes a number from {} to {}", format_number_exact(*min), format_number_exact(*max))]
    NotANumber {
        node: String,
        value: String,
        min: f64,
        max: f64,
    },
    #[error("{} is out of range; `{node}` takes a number from {} to {}", format_number_exact(*value), format_number_exact(*min), format_number_exact(*max))]
    OutOfRange {
        node: String,
        value: f64,
        min: f64,
        max: f64,
    },
    #[error("{} is not a whole number; `{node}` takes whole numbers", format_number_exact(*value))]
    NotWhole { node: String, value: f64 },
    #[error("`{node}` is not a question, so it takes no answer")]
    NotAQuestion { node: String },
    #[error("`{node}`: expression `{expression}` failed: {message}{}", if values.is_empty() { String::new() } else { format!(" (with {values})") })]
    Expression {
        node: String,
        expression: String,
        message: String,
        /// The variables the expression read, as `name = value`, comma-separated.
        values: String,
    },
    #[error("branch `{node}`: no condition holds and there is no `otherwise`")]
    NoBranch { node: String },
    #[error("`{node}` leads to `{target}`, which no node defines")]
    MissingNode { node: String, target: String },
    #[error(
        "the walk passed {0} nodes without reaching a question or result: the tree has a cycle"
    )]
    Runaway(usize),
}

/// Where a walk stands.
#[derive(Clone, Debug)]
pub struct Walk {
    tree: Arc<Tree>,
    visits: Vec<Visit>,
    vars: IndexMap<String, Scalar>,
    at: String,
    /// Every answer given at each question in this session, kept across `back`, so a question
    /// reached again offers its earlier answer.
    remembered: IndexMap<String, Answer>,
}

impl Walk {
    /// Starts at the tree's start node and moves to the first question (or result).
    pub fn new(tree: Arc<Tree>) -> Result<Walk, EngineError> {
        let at = tree.start.value.clone();
        let mut walk = Walk {
            tree,
            visits: Vec::new(),
            vars: IndexMap::new(),
            at,
            remembered: IndexMap::new(),
        };
        walk.advance()?;
        Ok(walk)
    }

    pub fn tree(&self) -> &Arc<Tree> {
        &self.tree
    }

    /// The id of the node the person is at: a question, a number question or a result.
    pub fn current_id(&self) -> &str {
        &self.at
    }

    pub fn current(&self) -> &Node {
        self.tree
            .nodes
            .get(&self.at)
            .expect("advance only stops at nodes that exist")
    }

    /// The result, once reached.
    pub fn outcome(&self) -> Option<&Outcome> {
        match self.current() {
            Node::Result(r) => Some(r),
            _ => None,
        }
    }

    pub fn is_finished(&self) -> bool {
        self.outcome().is_some()
    }

    pub fn visits(&self) -> &[Visit] {
        &self.visits
    }

    pub fn vars(&self) -> &IndexMap<String, Scalar> {
        &self.vars
    }

    /// The answers given so far, by question id, in order: what an answers file holds.
    pub fn answers(&self) -> IndexMap<String, Answer> {
        self.visits
            .iter()
            .filter_map(|v| match &v.event {
                Event::Answered(a) => Some((v.node.clone(), a.clone())),
                _ => None,
            })
            .collect()
    }

    /// How many questions have been answered.
    pub fn step(&self) -> usize {
        self.visits
            .iter()
            .filter(|v| matches!(v.event, Event::Answered(_)))
            .count()
    }

    /// Answers the current question. On any error the walk is left as it was, at the same
    /// question, so a person can choose again or go back.
    pub fn answer(&mut self, answer: Answer) -> Result<(), EngineError> {
        let before = (self.visits.len(), self.vars.clone(), self.at.clone());
        let result = self.answer_inner(answer);
        if result.is_err() {
            self.visits.truncate(before.0);
            self.vars = before.1;
            self.at = before.2;
        }
        result
    }

    fn answer_inner(&mut self, answer: Answer) -> Result<(), EngineError> {
        let node = self.at.clone();
        let (sets, next): (Vec<(String, Scalar)>, String) = match (self.current(), &answer) {
            (Node::Question(q), Answer::Choice(id)) => {
                let choice = q
                    .choices
                    .iter()
                    .find(|c| c.value.id.value == *id)
                    .ok_or_else(|| EngineError::UnknownChoice {
                        node: node.clone(),
                        value: id.clone(),
                        valid: q.choices.iter().map(|c| c.value.id.value.clone()).collect(),
                    })?;
                let sets = choice
                    .value
                    .set
                    .iter()
                    .map(|(k, v)| (k.clone(), v.value.clone()))
                    .collect();
                (sets, choice.value.next.value.clone())
            }
            (Node::Question(q), Answer::Number(n)) => {
                return Err(EngineError::UnknownChoice {
                    node,
                    value: format_number_exact(*n),
                    valid: q.choices.iter().map(|c| c.value.id.value.clone()).collect(),
                });
            }
            (Node::Number(q), Answer::Number(value)) => {
                let (min, max) = (q.min.value, q.max.value);
                if !value.is_finite() || *value < min || *value > max {
                    return Err(EngineError::OutOfRange {
                        node,
                        value: *value,
                        min,
                        max,
                    });
                }
                if q.integer && value.fract() != 0.0 {
                    return Err(EngineError::NotWhole {
                        node,
                        value: *value,
                    });
                }
                (
                    vec![(q.var.value.clone(), Scalar::Number(*value))],
                    q.next.value.clone(),
                )
            }
            (Node::Number(q), Answer::Choice(text)) => {
                return Err(EngineError::NotANumber {
                    node,
                    value: text.clone(),
                    min: q.min.value,
                    max: q.max.value,
                });
            }
            _ => return Err(EngineError::NotAQuestion { node }),
        };
        self.vars.extend(sets);
        self.remembered.insert(node.clone(), answer.clone());
        self.visits.push(Visit {
            node,
            event: Event::Answered(answer),
        });
        self.at = next;
        self.advance()
    }

    /// Answers the current question from text, as typed on a command line or in a prompt.
    pub fn answer_text(&mut self, text: &str) -> Result<(), EngineError> {
        let text = text.trim();
        let answer = match self.current() {
            Node::Number(q) => match parse_number(text) {
                Ok(n) => Answer::Number(n),
                Err(_) => {
                    return Err(EngineError::NotANumber {
                        node: self.at.clone(),
                        value: text.to_string(),
                        min: q.min.value,
                        max: q.max.value,
                    });
                }
            },
            _ => Answer::Choice(text.to_string()),
        };
        self.answer(answer)
    }

    /// Goes back one question; the answer given there is returned so it can be preselected.
    pub fn back(&mut self) -> Result<Option<Answer>, EngineError> {
        let mut answers: Vec<Answer> = self.answers().into_values().collect();
        let Some(last) = answers.pop() else {
            return Ok(None);
        };
        let remembered = std::mem::take(&mut self.remembered);
        let mut fresh = Walk::new(self.tree.clone())?;
        for answer in answers {
            fresh.answer(answer)?;
        }
        fresh.remembered = remembered;
        *self = fresh;
        Ok(Some(last))
    }

    /// The answer given earlier at `node` in this session, if any (kept across `back`).
    pub fn remembered(&self, node: &str) -> Option<&Answer> {
        self.remembered.get(node)
    }

    /// The value a number question offers first: the earlier answer, else its `default`
    /// (which may be an expression over earlier answers), clamped to the range.
    pub fn number_default(&self) -> Result<Option<f64>, EngineError> {
        let Node::Number(q) = self.current() else {
            return Ok(None);
        };
        if let Some(Answer::Number(n)) = self.remembered(&self.at) {
            return Ok(Some(*n));
        }
        let Some(default) = &q.default else {
            return Ok(None);
        };
        let value = match self.evaluate(&self.at, &default.value)? {
            Scalar::Number(n) => n,
            other => {
                return Err(self.expression_error(
                    &self.at,
                    &default.value,
                    format!("gave {}, not a number", describe_scalar(&other)),
                ));
            }
        };
        let mut value = value.clamp(q.min.value, q.max.value);
        if q.integer {
            value = value.round().clamp(q.min.value.ceil(), q.max.value.floor());
        }
        Ok(Some(value))
    }

    /// Back to the first question with nothing answered.
    pub fn restart(&mut self) -> Result<(), EngineError> {
        *self = Walk::new(self.tree.clone())?;
        Ok(())
    }

    /// Evaluates a condition (`when`, `applies`) against the walk's variables.
    pub fn holds(&self, node: &str, condition: &str) -> Result<bool, EngineError> {
        self.holds_with(node, condition, &[])
    }

    /// As [`Walk::holds`], with extra variables (a result's built-ins) beside the walk's.
    pub fn holds_with(
        &self,
        node: &str,
        condition: &str,
        extra: &[(&str, Scalar)],
    ) -> Result<bool, EngineError> {
        let value = if extra.is_empty() {
            self.evaluate(node, condition)?
        } else {
            let mut vars = self.vars.clone();
            for (name, value) in extra {
                vars.insert(name.to_string(), value.clone());
            }
            crate::expr::parse_cached(condition)
                .and_then(|parsed| crate::expr::eval(&parsed, &vars))
                .map_err(|message| self.expression_error(node, condition, message))?
        };
        match value {
            Scalar::Bool(b) => Ok(b),
            other => Err(self.expression_error(
                node,
                condition,
                format!("gave {}, not true or false", describe_scalar(&other)),
            )),
        }
    }

    /// Applies saved answers by question id until the result or an unanswered question.
    /// Answers for questions that this path does not reach are returned as unused.
    pub fn replay(
        &mut self,
        answers: &IndexMap<String, String>,
    ) -> Result<Vec<String>, ReplayError> {
        let mut used = std::collections::HashSet::new();
        while !self.is_finished() {
            let node = self.at.clone();
            let Some(value) = answers.get(&node) else {
                break;
            };
            used.insert(node.clone());
            self.answer_text(value)
                .map_err(|error| ReplayError { node, error })?;
        }
        Ok(answers
            .keys()
            .filter(|k| !used.contains(*k))
            .cloned()
            .collect())
    }

    /// Moves through compute and branch nodes until a question or result.
    fn advance(&mut self) -> Result<(), EngineError> {
        let limit = self.tree.nodes.len() + 1;
        for _ in 0..limit {
            let node_id = self.at.clone();
            let node = self
                .tree
                .nodes
                .get(&node_id)
                .ok_or_else(|| EngineError::MissingNode {
                    node: self
                        .visits
                        .last()
                        .map(|v| v.node.clone())
                        .unwrap_or_default(),
                    target: node_id.clone(),
                })?;
            match node {
                Node::Question(_) | Node::Number(_) | Node::Result(_) => return Ok(()),
                Node::Compute(c) => {
                    let mut computed = Vec::new();
                    for (name, expr) in &c.set {
                        let value = self.evaluate(&node_id, &expr.value)?;
                        self.vars.insert(name.clone(), value.clone());
                        computed.push((name.clone(), value));
                    }
                    let next = c.next.value.clone();
                    self.visits.push(Visit {
                        node: node_id,
                        event: Event::Computed(computed),
                    });
                    self.at = next;
                }
                Node::Branch(b) => {
                    let mut chosen = None;
                    for (i, when) in b.when.iter().enumerate() {
                        if self.holds(&node_id, &when.value.condition.value)? {
                            chosen = Some((Some(i), when.value.next.value.clone()));
                            break;
                        }
                    }
                    let (which, next) = match (chosen, &b.otherwise) {
                        (Some(found), _) => found,
                        (None, Some(otherwise)) => (None, otherwise.value.clone()),
                        (None, None) => return Err(EngineError::NoBranch { node: node_id }),
                    };
                    self.visits.push(Visit {
                        node: node_id,
                        event: Event::Branched(which),
                    });
                    self.at = next;
                }
            }
        }
        Err(EngineError::Runaway(limit))
    }

    fn evaluate(&self, node: &str, expression: &str) -> Result<Scalar, EngineError> {
        crate::expr::parse_cached(expression)
            .and_then(|parsed| crate::expr::eval(&parsed, &self.vars))
            .map_err(|message| self.expression_error(node, expression, message))
    }

    fn expression_error(&self, node: &str, expression: &str, message: String) -> EngineError {
        let values = crate::expr::parse(expression)
            .ok()
            .and_then(|p| crate::expr::reads(&p).ok())
            .unwrap_or_default()
            .into_iter()
            .fold(Vec::<String>::new(), |mut seen, name| {
                if !seen.iter().any(|s| s.starts_with(&format!("{name} = "))) {
                    let value = self
                        .vars
                        .get(&name)
                        .map(describe_scalar)
                        .unwrap_or_else(|| "not set".to_string());
                    seen.push(format!("{name} = {value}"));
                }
                seen
            });
        EngineError::Expression {
            node: node.to_string(),
            expression: expression.to_string(),
            message,
            values: values.join(", "),
        }
    }
}

/// A value as an author reads it in an error: `2`, `true`, `"training"`.
fn describe_scalar(value: &Scalar) -> String {
    match value {
        Scalar::Number(n) => format_number_exact(*n),
        Scalar::Bool(b) => b.to_string(),
        Scalar::Str(s) => format!("{s:?}"),
    }
}

/// Why typed text is not a number, in words for the person typing it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error("type a number")]
    Empty,
    #[error("use a dot for decimals (7.5, not 7,5)")]
    Comma,
    #[error(
        "`{0}` is not a number: use digits, a dot for decimals, or e for powers of ten (1e2 = 100)"
    )]
    Invalid(String),
}

/// Reads a number as a person types it, the same in the wizard and on the command line: digits,
/// a dot for decimals, an optional sign and exponent (`1e2` = 100). A comma is refused, not read
/// as a thousands separator or a decimal point, since either guess could be wrong.
pub fn parse_number(text: &str) -> Result<f64, NumberError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(NumberError::Empty);
    }
    if text.contains(',') {
        return Err(NumberError::Comma);
    }
    let plain = text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'));
    match text.parse::<f64>() {
        Ok(n) if plain && n.is_finite() => Ok(n),
        _ => Err(NumberError::Invalid(text.to_string())),
    }
}

/// A saved answer that could not be applied, with the question it was for.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{error}")]
pub struct ReplayError {
    pub node: String,
    pub error: EngineError,
}
