//! A tree as diagram source: mermaid for docs, dot for graphviz.

use crate::text::Lang;
use crate::tree::{Node, Tree};
use std::fmt::Write as _;

#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::Display, strum::EnumString, strum::EnumIter)]
#[strum(serialize_all = "lowercase")]
pub enum DiagramFormat {
    Mermaid,
    Dot,
}

fn label(id: &str, node: &Node, lang: Lang) -> String {
    let text = match node {
        Node::Question(q) => q.ask.get(lang).to_string(),
        Node::Number(n) => format!("{} ({})", n.ask.get(lang), n.unit.get(lang)),
        Node::Compute(c) => c.set.keys().cloned().collect::<Vec<_>>().join(", "),
        Node::Branch(_) => id.to_string(),
        Node::Result(r) => r.summary.get(lang).to_string(),
    };
    let mut short: String = text.chars().take(60).collect();
    if text.chars().count() > 60 {
        short.push('…');
    }
    short
}

/// Edge labels: the choice label, the condition, or nothing.
fn edges(node: &Node, lang: Lang) -> Vec<(String, String)> {
    match node {
        Node::Question(q) => q
            .choices
            .iter()
            .map(|c| {
                (
                    c.value.next.value.clone(),
                    c.value.label.get(lang).to_string(),
                )
            })
            .collect(),
        Node::Number(n) => vec![(n.next.value.clone(), n.var.value.clone())],
        Node::Compute(c) => vec![(c.next.value.clone(), String::new())],
        Node::Branch(b) => b
            .when
            .iter()
            .map(|w| {
                (
                    w.value.next.value.clone(),
                    w.value.condition.value.0.clone(),
                )
            })
            .chain(
                b.otherwise
                    .iter()
                    .map(|o| (o.value.clone(), "otherwise".to_string())),
            )
            .collect(),
        Node::Result(_) => Vec::new(),
    }
}

pub fn render(tree: &Tree, format: DiagramFormat, lang: Lang) -> String {
    let mut out = String::new();
    match format {
        DiagramFormat::Mermaid => {
            let esc = |s: &str| s.replace('"', "#quot;");
            let _ = writeln!(out, "graph TD");
            for (id, node) in tree.nodes.iter() {
                let text = esc(&label(&id.value, &node.value, lang));
                let id = mermaid_id(&id.value);
                let shape = match node.value {
                    Node::Question(_) | Node::Number(_) => format!("{id}{{\"{text}\"}}"),
                    Node::Result(_) => format!("{id}[[\"{text}\"]]"),
                    _ => format!("{id}([\"{text}\"])"),
                };
                let _ = writeln!(out, "    {shape}");
            }
            for (id, node) in tree.nodes.iter() {
                for (target, edge) in edges(&node.value, lang) {
                    let (from, to) = (mermaid_id(&id.value), mermaid_id(&target));
                    if edge.is_empty() {
                        let _ = writeln!(out, "    {from} --> {to}");
                    } else {
                        let _ = writeln!(out, "    {from} -->|\"{}\"| {to}", esc(&edge));
                    }
                }
            }
        }
        DiagramFormat::Dot => {
            let esc = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
            let _ = writeln!(out, "digraph \"{}\" {{", esc(&tree.id.value));
            let _ = writeln!(out, "  rankdir=TB;");
            for (id, node) in tree.nodes.iter() {
                let shape = match node.value {
                    Node::Question(_) | Node::Number(_) => "diamond",
                    Node::Result(_) => "box",
                    _ => "ellipse",
                };
                let text = esc(&label(&id.value, &node.value, lang));
                let _ = writeln!(
                    out,
                    "  \"{}\" [shape={shape}, label=\"{text}\"];",
                    esc(&id.value)
                );
            }
            for (id, node) in tree.nodes.iter() {
                for (target, edge) in edges(&node.value, lang) {
                    let _ = writeln!(
                        out,
                        "  \"{}\" -> \"{}\" [label=\"{}\"];",
                        esc(&id.value),
                        esc(&target),
                        esc(&edge)
                    );
                }
            }
            let _ = writeln!(out, "}}");
        }
    }
    out
}

/// Mermaid ids cannot hold '-'.
fn mermaid_id(id: &str) -> String {
    id.replace('-', "_")
}
