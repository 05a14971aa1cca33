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
#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tree {
    pub id: At<String>,
    pub version: u32,
    pub title: Text,
    #[serde(default)]
    pub description: Option<Text>,
    pub start: At<String>,
    /// The variables a person may see, with how to show them. Others are internal.
    #[serde(default)]
    pub variables: IndexMap<String, At<VarDecl>>,
    pub nodes: Nodes,
}

/// How a variable is shown to a person: "GPU memory needed: 249.6 GB", never `vram_gb = 249.6`.
#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VarDecl {
    pub label: Text,
    #[serde(default)]
    pub unit: Option<Text>,
    /// The unit for exactly one, where it differs (`server` beside `servers`).
    #[serde(default)]
    pub unit_one: Option<Text>,
    /// Decimals kept for numbers (default 1); values too small for them keep 2 significant
    /// digits (0.026, not 0).
    #[serde(default)]
    pub decimals: Option<u8>,
    /// Words for the values a string or yes/no variable takes (`training: {en: training, ...}`).
    #[serde(default)]
    pub values: IndexMap<String, Text>,
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

#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(clippy::large_enum_variant)] // a tree holds few results; boxing would cost every walk a hop
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

#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub ask: Text,
    pub why: Text,
    #[serde(default)]
    pub terms: Vec<At<String>>,
    pub choices: Vec<At<Choice>>,
}

#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
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

#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
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
    /// A number, or an expression over earlier variables (layers from model size).
    #[serde(default)]
    pub default: Option<At<Expr>>,
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

#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Compute {
    /// Variable name to expression, evaluated in order (later ones may use earlier ones).
    pub set: IndexMap<String, At<Expr>>,
    /// What the computation means, shown in the explanation of the path.
    #[serde(default)]
    pub note: Option<Text>,
    pub next: At<String>,
}

#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Branch {
    pub when: Vec<At<When>>,
    #[serde(default)]
    pub otherwise: Option<At<String>>,
}

#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
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
#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    pub summary: Text,
    #[serde(default)]
    pub families: Vec<At<String>>,
    /// Providers without an equivalent family, with the reason.
    #[serde(default)]
    pub no_equivalent: IndexMap<crate::assets::Provider, Text>,
    pub pattern: At<String>,
    /// One text, or a list of parts, each of which may carry `when`.
    pub rationale: Items,
    /// Advice ids from assets/advice.yaml (plain strings, or `{advice: id, when: ...}`) or
    /// inline `{en, zh, when}` texts.
    #[serde(default)]
    pub pitfalls: Items,
    #[serde(default)]
    pub cost: Items,
    /// Texts (plain strings are text here, not advice ids) or `{advice: id, when: ...}`.
    #[serde(default)]
    pub next_steps: Items,
    /// A variable holding a GPU memory need in GB: the result then lists, for the GPUs of its
    /// families (or `memory_gpus`), how many a server takes.
    #[serde(default)]
    pub memory_need: Option<At<String>>,
    /// The GPUs the memory section counts, when not those of `families`.
    #[serde(default)]
    pub memory_gpus: Vec<At<String>>,
    /// Whether the job may span several servers; otherwise only counts that fit one server
    /// (1, 2, 4 or 8 GPUs) are offered.
    #[serde(default)]
    pub multi_node: bool,
    /// How to price the result: GPUs per instance and how long it runs.
    #[serde(default)]
    pub pricing: Option<Pricing>,
    /// Variables worth showing beside the result (a computed memory need, a GPU count).
    #[serde(default)]
    pub show: Vec<At<String>>,
}

/// What the cost section prices. Without it: one GPU per instance (or the memory section's
/// count), 8 vCPUs for CPU families, running 24x7.
#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pricing {
    /// GPUs per instance.
    #[serde(default)]
    pub gpus: Option<At<Expr>>,
    /// Servers side by side, each with `gpus` GPUs (a multi-node job); 1 if omitted.
    #[serde(default)]
    pub servers: Option<At<Expr>>,
    /// vCPUs per instance, for CPU families.
    #[serde(default)]
    pub vcpus: Option<At<Expr>>,
    /// GiB of memory per instance, for CPU families: the size picked holds both.
    #[serde(default)]
    pub memory_gib: Option<At<Expr>>,
    /// Wall-clock hours of a one-off job (training to a deadline).
    #[serde(default)]
    pub job_hours: Option<At<Expr>>,
    /// The job's work in A100-hours (dense BF16). When above 0, each size's hours are that
    /// work over all the GPUs it rents at their own dense BF16 speed (A100 = 312 TFLOPS), at
    /// least 1; `job_hours` stays the figure for a GPU whose speed is not published.
    #[serde(default)]
    pub a100_hours: Option<At<Expr>>,
    /// The wall-clock hours the person has: a size whose hours run past them is marked.
    #[serde(default)]
    pub deadline_hours: Option<At<Expr>>,
    /// Hours a month of steady work (730 = 24x7).
    #[serde(default)]
    pub monthly_hours: Option<At<Expr>>,
    /// The assumption behind the hours, in words.
    #[serde(default)]
    pub note: Option<Text>,
}

impl Pricing {
    pub fn exprs(&self) -> impl Iterator<Item = &At<Expr>> {
        [
            &self.gpus,
            &self.servers,
            &self.vcpus,
            &self.memory_gib,
            &self.job_hours,
            &self.a100_hours,
            &self.deadline_hours,
            &self.monthly_hours,
        ]
        .into_iter()
        .flatten()
    }
}

/// A text in a result, shown only when its `when` holds for the walk.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub body: ItemBody,
    pub when: Option<At<Expr>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ItemBody {
    /// A plain string: an advice id in `pitfalls` and `cost`, text elsewhere.
    Bare(String),
    Text(Text),
    Advice(String),
}

impl Item {
    /// The advice id this item cites, if any; `bare_is_advice` says how the list reads plain
    /// strings.
    pub fn advice_id(&self, bare_is_advice: bool) -> Option<&str> {
        match &self.body {
            ItemBody::Advice(id) => Some(id),
            ItemBody::Bare(id) if bare_is_advice => Some(id),
            _ => None,
        }
    }

    /// The inline text, when the item is not an advice reference.
    pub fn inline(&self, bare_is_advice: bool) -> Option<Text> {
        match &self.body {
            ItemBody::Text(t) => Some(t.clone()),
            ItemBody::Bare(s) if !bare_is_advice => Some(Text::Plain(s.clone())),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ItemVisitor;
        impl<'de> Visitor<'de> for ItemVisitor {
            type Value = Item;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, {en, zh, when} or {advice, when}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Item, E> {
                Ok(Item {
                    body: ItemBody::Bare(v.to_string()),
                    when: None,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Item, A::Error> {
                const FIELDS: &[&str] = &["en", "zh", "advice", "when"];
                let (mut en, mut zh, mut advice) = (None::<String>, None::<String>, None);
                let mut when: Option<At<Expr>> = None;
                while let Some(key) = map.next_key::<String>()? {
                    let duplicate = match key.as_str() {
                        "en" => en.replace(map.next_value()?).is_some(),
                        "zh" => zh.replace(map.next_value()?).is_some(),
                        "advice" => advice.replace(map.next_value::<String>()?).is_some(),
                        "when" => when.replace(map.next_value()?).is_some(),
                        other => return Err(de::Error::unknown_field(other, FIELDS)),
                    };
                    if duplicate {
                        return Err(de::Error::custom(format!("duplicate field `{key}`")));
                    }
                }
                let body = match (en, zh, advice) {
                    (None, None, Some(id)) => ItemBody::Advice(id),
                    (Some(en), zh, None) => ItemBody::Text(Text::Localized { en, zh }),
                    (None, Some(_), None) => return Err(de::Error::missing_field("en")),
                    (None, None, None) => {
                        return Err(de::Error::custom(
                            "an item needs `en` (with `zh`) or `advice`",
                        ));
                    }
                    (_, _, Some(_)) => {
                        return Err(de::Error::custom(
                            "an item is either a text (`en`, `zh`) or an `advice` reference, not both",
                        ));
                    }
                };
                Ok(Item { body, when })
            }
        }
        deserializer.deserialize_any(ItemVisitor)
    }
}

/// A list of items; one text alone (a string or `{en, zh}`) is a list of one.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Items(pub Vec<At<Item>>);

impl std::ops::Deref for Items {
    type Target = [At<Item>];
    fn deref(&self) -> &[At<Item>] {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Items {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ItemsVisitor;
        impl<'de> Visitor<'de> for ItemsVisitor {
            type Value = Items;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text or a list of texts")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Items, E> {
                Ok(Items(vec![At::new(
                    Item {
                        body: ItemBody::Text(Text::Plain(v.to_string())),
                        when: None,
                    },
                    Span::UNKNOWN,
                )]))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Items, A::Error> {
                let item = Item::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Items(vec![At::new(item, Span::UNKNOWN)]))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Items, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<At<Item>>()? {
                    items.push(item);
                }
                Ok(Items(items))
            }
        }
        deserializer.deserialize_any(ItemsVisitor)
    }
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
