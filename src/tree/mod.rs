//! The decision-tree format: plain data, as loaded from YAML, with the position of every id.
//!
//! See `docs/tree-format.md`. Node kinds are an externally tagged enum (`question: {...}`) so
//! that serde-saphyr can keep spans inside them.

pub mod load;
pub mod validate;

use crate::diag::Span;
use crate::text::Text;
use indexmap::IndexMap;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

/// A value with the place it was written, so errors can point at it.
#[derive(Clone, Debug, PartialEq)]
pub struct At<T> {
    pub value: T,
    pub span: Span,
}

impl<T> At<T> {
    pub fn new(value: T, span: Span) -> Self {
        At { value, span }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for At<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if load::spans_available() {
            let spanned = Spanned::<T>::deserialize(deserializer)?;
            Ok(At {
                value: spanned.value,
                span: spanned.referenced.into(),
            })
        } else {
            T::deserialize(deserializer).map(|value| At::new(value, Span::UNKNOWN))
        }
    }
}

/// A whole tree file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tree {
    pub id: At<String>,
    pub version: u32,
    pub title: Text,
    #[serde(default)]
    pub description: Option<Text>,
    pub start: At<String>,
    pub nodes: Nodes,
}

/// The nodes in file order, each with the position of its id.
#[derive(Clone, Debug, Default)]
pub struct Nodes {
    pub entries: Vec<(At<String>, At<Node>)>,
    pub index: std::collections::HashMap<String, usize>,
}

impl Nodes {
    pub fn get(&self, id: &str) -> Option<&Node> {
        self.index.get(id).map(|&i| &self.entries[i].1.value)
    }

    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    pub fn id_at(&self, index: usize) -> &str {
        &self.entries[index].0.value
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&At<String>, &At<Node>)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl<'de> Deserialize<'de> for Nodes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NodesVisitor;
        impl<'de> Visitor<'de> for NodesVisitor {
            type Value = Nodes;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of node ids to nodes")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Nodes, A::Error> {
                let mut nodes = Nodes::default();
                while let Some(key) = map.next_key::<At<String>>()? {
                    let node: At<Node> = map.next_value()?;
                    if nodes.index.contains_key(&key.value) {
                        return Err(de::Error::custom(format!(
                            "duplicate node id `{}`",
                            key.value
                        )));
                    }
                    nodes.index.insert(key.value.clone(), nodes.entries.len());
                    nodes.entries.push((key, node));
                }
                Ok(nodes)
            }
        }
        deserializer.deserialize_map(NodesVisitor)
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Node {
    Question(Question),
    Number(NumberQuestion),
    Compute(Compute),
    Branch(Branch),
    Result(Outcome),
}

impl Node {
    /// Every node this one can lead to, with where the link is written.
    pub fn targets(&self) -> Vec<&At<String>> {
        match self {
            Node::Question(q) => q.choices.iter().map(|c| &c.value.next).collect(),
            Node::Number(n) => vec![&n.next],
            Node::Compute(c) => vec![&c.next],
            Node::Branch(b) => b
                .when
                .iter()
                .map(|w| &w.value.next)
                .chain(b.otherwise.iter())
                .collect(),
            Node::Result(_) => Vec::new(),
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub ask: Text,
    pub why: Text,
    #[serde(default)]
    pub terms: Vec<At<String>>,
    pub choices: Vec<At<Choice>>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub id: At<String>,
    pub label: Text,
    #[serde(default)]
    pub hint: Option<Text>,
    /// Variables this answer sets, for later compute and branch nodes.
    #[serde(default)]
    pub set: IndexMap<String, At<Scalar>>,
    pub next: At<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumberQuestion {
    pub ask: Text,
    pub why: Text,
    #[serde(default)]
    pub terms: Vec<At<String>>,
    pub var: At<String>,
    pub unit: Text,
    pub min: At<f64>,
    pub max: At<f64>,
    #[serde(default)]
    pub default: Option<At<f64>>,
    /// Whole numbers only (a count, a context length).
    #[serde(default)]
    pub integer: bool,
    pub next: At<String>,
}

/// An expression as written. A bare number or `true` is an expression too, so YAML's typed
/// scalars (and the JSON build.rs makes of them) are taken back as text.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr(pub String);

impl<'de> Deserialize<'de> for Expr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ExprVisitor;
        impl Visitor<'_> for ExprVisitor {
            type Value = Expr;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an expression")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Expr, E> {
                Ok(Expr(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Expr, E> {
                Ok(Expr(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Expr, E> {
                Ok(Expr(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Expr, E> {
                Ok(Expr(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Expr, E> {
                // Keep a decimal point so evalexpr reads a float, not an integer.
                Ok(Expr(format!("{v:?}")))
            }
        }
        deserializer.deserialize_any(ExprVisitor)
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::ops::Deref for Expr {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Compute {
    /// Variable name to expression, evaluated in order (later ones may use earlier ones).
    pub set: IndexMap<String, At<Expr>>,
    /// What the computation means, shown in the explanation of the path.
    #[serde(default)]
    pub note: Option<Text>,
    pub next: At<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Branch {
    pub when: Vec<At<When>>,
    #[serde(default)]
    pub otherwise: Option<At<String>>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct When {
    #[serde(rename = "if")]
    pub condition: At<Expr>,
    /// Why this condition leads where it does, shown in the explanation of the path.
    #[serde(default)]
    pub note: Option<Text>,
    pub next: At<String>,
}

/// A leaf: the recommendation.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    pub summary: Text,
    #[serde(default)]
    pub families: Vec<At<String>>,
    /// Providers without an equivalent family, with the reason.
    #[serde(default)]
    pub no_equivalent: IndexMap<crate::assets::Provider, Text>,
    pub pattern: At<String>,
    pub rationale: Text,
    /// Advice ids from assets/advice.yaml (plain strings) or inline `{en, zh}` texts.
    #[serde(default)]
    pub pitfalls: Vec<At<Text>>,
    #[serde(default)]
    pub cost: Vec<At<Text>>,
    #[serde(default)]
    pub next_steps: Vec<Text>,
    /// A variable holding a GPU memory need in GB: the result then lists the GPUs that fit it.
    #[serde(default)]
    pub memory_need: Option<At<String>>,
    /// Variables worth showing beside the result (a computed memory need, a GPU count).
    #[serde(default)]
    pub show: Vec<At<String>>,
}

/// A value a choice sets: a number, a yes/no or a word.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar {
    Number(f64),
    Bool(bool),
    Str(String),
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;
        impl Visitor<'_> for ScalarVisitor {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number, true/false or a string")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar::Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar::Number(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar::Number(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar::Str(v.to_string()))
            }
        }
        deserializer.deserialize_any(ScalarVisitor)
    }
}
