//! The wizard as a state machine over a loaded tree. It is the only place that knows how to
//! walk a tree: the TUI, the CLI and a later SSH shell all drive a [`Walk`].

use crate::text::{Lang, format_number};
use crate::tree::{Node, Outcome, Scalar, Tree};
use evalexpr::{
    ContextWithMutableVariables, DefaultNumericTypes, HashMapContext, Value, build_operator_tree,
};
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
    #[error("`{node}`: expression `{expression}` failed: {message}")]
    Expression {
        node: String,
        expression: String,
        message: String,
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

    /// Answers the current question.
    pub fn answer(&mut self, answer: Answer) -> Result<(), EngineError> {
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
            Node::Number(q) => match text.parse::<f64>() {
                Ok(n) if n.is_finite() => Answer::Number(n),
                _ => {
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
        let mut fresh = Walk::new(self.tree.clone())?;
        for answer in answers {
            fresh.answer(answer)?;
        }
        *self = fresh;
        Ok(Some(last))
    }

    /// Back to the first question with nothing answered.
    pub fn restart(&mut self) -> Result<(), EngineError> {
        *self = Walk::new(self.tree.clone())?;
        Ok(())
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
                        let holds = match self.evaluate(&node_id, &when.value.condition.value)? {
                            Scalar::Bool(b) => b,
                            other => {
                                return Err(EngineError::Expression {
                                    node: node_id,
                                    expression: when.value.condition.value.0.clone(),
                                    message: format!("gave {other:?}, not true or false"),
                                });
                            }
                        };
                        if holds {
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
        let fail = |message: String| EngineError::Expression {
            node: node.to_string(),
            expression: expression.to_string(),
            message,
        };
        let tree = build_operator_tree::<DefaultNumericTypes>(expression)
            .map_err(|e| fail(e.to_string()))?;
        let mut context = HashMapContext::<DefaultNumericTypes>::new();
        for (name, value) in &self.vars {
            let value = match value {
                Scalar::Number(n) => Value::Float(*n),
                Scalar::Bool(b) => Value::Boolean(*b),
                Scalar::Str(s) => Value::String(s.clone()),
            };
            context
                .set_value(name.clone(), value)
                .map_err(|e| fail(e.to_string()))?;
        }
        match tree
            .eval_with_context(&context)
            .map_err(|e| fail(e.to_string()))?
        {
            Value::Float(f) if f.is_finite() => Ok(Scalar::Number(f)),
            Value::Float(f) => Err(fail(format!("gave {f}, not a finite number"))),
            Value::Int(i) => Ok(Scalar::Number(i as f64)),
            Value::Boolean(b) => Ok(Scalar::Bool(b)),
            Value::String(s) => Ok(Scalar::Str(s)),
            other => Err(fail(format!(
                "gave {other}, not a number, boolean or string"
            ))),
        }
    }
}

/// A saved answer that could not be applied, with the question it was for.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{error}")]
pub struct ReplayError {
    pub node: String,
    pub error: EngineError,
}

/// A variable's value as a person reads it.
pub fn show_scalar(value: &Scalar, lang: Lang) -> String {
    match (value, lang) {
        (Scalar::Number(n), _) => format_number(*n),
        (Scalar::Bool(true), Lang::En) => "yes".into(),
        (Scalar::Bool(false), Lang::En) => "no".into(),
        (Scalar::Bool(true), Lang::Zh) => "是".into(),
        (Scalar::Bool(false), Lang::Zh) => "否".into(),
        (Scalar::Str(s), _) => s.clone(),
    }
}
