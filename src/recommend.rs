//! A finished walk resolved against the assets, in one language: what every shell shows.
//! Its JSON form is the stable output of `gpuwise recommend --format json` (docs/json.md).

use crate::assets::{Assets, Catalog, Family, FamilyKind, Provider};
use crate::engine::{Answer, Event, Walk, show_scalar};
use crate::text::{Lang, Text, format_number, interpolate};
use crate::tree::{Node, Scalar};
use indexmap::IndexMap;
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct Recommendation {
    pub tree: String,
    pub tree_title: String,
    pub lang: Lang,
    pub path: Vec<PathStep>,
    pub result: ResultView,
}

/// One question on the way, the answer and why it was asked.
#[derive(Clone, Debug, Serialize)]
pub struct PathStep {
    pub node: String,
    pub question: String,
    /// The answer as given: a choice id or a number.
    pub answer: String,
    /// The answer as a person reads it: the choice label or the number with its unit.
    pub answer_label: String,
    pub why: String,
    /// What followed from it: computed values and branch notes on the way to the next question.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub consequences: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ResultView {
    pub id: String,
    pub summary: String,
    pub families: Vec<FamilyView>,
    pub no_equivalent: Vec<NoEquivalent>,
    pub pattern: PatternView,
    pub rationale: String,
    pub pitfalls: Vec<String>,
    pub cost: Vec<String>,
    pub next_steps: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory_need: Option<MemoryNeed>,
    /// Values the result names as worth showing, formatted.
    pub highlights: Vec<Highlight>,
    /// Every variable set on the way, raw.
    pub variables: IndexMap<String, serde_json::Value>,
}

#[derive(Clone, Debug, Serialize)]
pub struct FamilyView {
    pub id: String,
    pub provider: Provider,
    pub provider_name: String,
    pub family: String,
    pub kind: FamilyKind,
    /// GPU name, or null for CPU families.
    pub gpu: Option<String>,
    /// The GPU counts an instance can have, smallest first (fractions for shared vGPU slices).
    pub gpu_count: Vec<f64>,
    pub gpu_memory_gb: Option<f64>,
    pub interconnect: Option<String>,
    pub shared: bool,
    pub verified: bool,
    #[serde(rename = "use")]
    pub use_for: String,
    pub source: String,
    pub checked: String,
}

impl FamilyView {
    /// A catalog family as results and tables show it, in `lang`.
    pub fn new(family: &Family, catalog: &Catalog, lang: Lang) -> FamilyView {
        let gpu = catalog.gpu_of(family);
        FamilyView {
            id: family.id.value.clone(),
            provider: family.provider,
            provider_name: family.provider.name(lang).to_string(),
            family: family.family.clone(),
            kind: family.kind,
            gpu: gpu.map(|g| g.name.clone()),
            gpu_count: family.gpu_count_options(),
            gpu_memory_gb: gpu.map(|g| g.memory_gb),
            interconnect: family.interconnect.clone(),
            shared: family.shared,
            verified: family.verified && gpu.is_none_or(|g| g.verified),
            use_for: family.use_for.get(lang).to_string(),
            source: family.source.value.clone(),
            checked: family.checked.value.clone(),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct NoEquivalent {
    pub provider: Provider,
    pub provider_name: String,
    pub reason: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct PatternView {
    pub id: String,
    pub title: String,
    pub when: String,
    pub components: Vec<String>,
    pub diagram: String,
}

/// A memory need and how many of each GPU it takes.
#[derive(Clone, Debug, Serialize)]
pub struct MemoryNeed {
    pub variable: String,
    pub gb: f64,
    pub fits: Vec<GpuFit>,
}

#[derive(Clone, Debug, Serialize)]
pub struct GpuFit {
    pub gpu: String,
    pub name: String,
    pub memory_gb: f64,
    /// GPUs needed when the memory need is split evenly (tensor/pipeline parallel).
    pub count: u32,
    /// Servers of eight GPUs needed for that count.
    pub servers_of_8: u32,
}

#[derive(Clone, Debug, Serialize)]
pub struct Highlight {
    pub name: String,
    pub value: String,
}

/// Why a recommendation could not be built.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum RecommendError {
    #[error("the walk has not reached a result yet (at `{0}`)")]
    NotFinished(String),
    #[error("result `{result}` refers to {what} `{id}`, which the assets do not define")]
    MissingAsset {
        result: String,
        what: &'static str,
        id: String,
    },
}

impl Recommendation {
    pub fn build(walk: &Walk, assets: &Assets, lang: Lang) -> Result<Self, RecommendError> {
        let outcome = walk
            .outcome()
            .ok_or_else(|| RecommendError::NotFinished(walk.current_id().to_string()))?;
        let result_id = walk.current_id().to_string();
        let vars = walk.vars();
        let fill = |text: &Text| {
            interpolate(text.get(lang), |name| {
                vars.get(name).map(|v| show_scalar(v, lang))
            })
        };
        let missing = |what: &'static str, id: &str| RecommendError::MissingAsset {
            result: result_id.clone(),
            what,
            id: id.to_string(),
        };

        let mut families = Vec::new();
        for id in &outcome.families {
            let family = assets
                .catalog()
                .family(&id.value)
                .ok_or_else(|| missing("family", &id.value))?;
            families.push(FamilyView::new(family, assets.catalog(), lang));
        }
        families.sort_by_key(|f| f.provider);

        let pattern = assets
            .pattern(&outcome.pattern.value)
            .ok_or_else(|| missing("pattern", &outcome.pattern.value))?;
        let advice_texts =
            |items: &[crate::tree::At<Text>]| -> Result<Vec<String>, RecommendError> {
                items
                    .iter()
                    .map(|item| match item.value.as_plain() {
                        Some(id) => assets
                            .advice(id)
                            .map(|a| fill(&a.text))
                            .ok_or_else(|| missing("advice", id)),
                        None => Ok(fill(&item.value)),
                    })
                    .collect()
            };

        let memory_need = outcome.memory_need.as_ref().and_then(|var| {
            let Some(Scalar::Number(gb)) = vars.get(&var.value) else {
                return None;
            };
            Some(memory_fits(&var.value, *gb, assets))
        });

        Ok(Recommendation {
            tree: walk.tree().id.value.clone(),
            tree_title: walk.tree().title.get(lang).to_string(),
            lang,
            path: path_steps(walk, lang),
            result: ResultView {
                id: result_id.clone(),
                summary: fill(&outcome.summary),
                families,
                no_equivalent: outcome
                    .no_equivalent
                    .iter()
                    .map(|(provider, reason)| NoEquivalent {
                        provider: *provider,
                        provider_name: provider.name(lang).to_string(),
                        reason: fill(reason),
                    })
                    .collect(),
                pattern: PatternView {
                    id: pattern.id.value.clone(),
                    title: pattern.title.get(lang).to_string(),
                    when: pattern.when.get(lang).to_string(),
                    components: pattern
                        .components
                        .iter()
                        .map(|c| c.get(lang).to_string())
                        .collect(),
                    diagram: pattern.diagram.value.get(lang).trim_end().to_string(),
                },
                rationale: fill(&outcome.rationale),
                pitfalls: advice_texts(&outcome.pitfalls)?,
                cost: advice_texts(&outcome.cost)?,
                next_steps: outcome.next_steps.iter().map(fill).collect(),
                memory_need,
                highlights: outcome
                    .show
                    .iter()
                    .filter_map(|name| {
                        vars.get(&name.value).map(|v| Highlight {
                            name: name.value.clone(),
                            value: show_scalar(v, lang),
                        })
                    })
                    .collect(),
                variables: vars
                    .iter()
                    .map(|(k, v)| (k.clone(), scalar_json(v)))
                    .collect(),
            },
        })
    }
}

fn scalar_json(value: &Scalar) -> serde_json::Value {
    match value {
        Scalar::Number(n) => serde_json::Number::from_f64(*n)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null),
        Scalar::Bool(b) => serde_json::Value::Bool(*b),
        Scalar::Str(s) => serde_json::Value::String(s.clone()),
    }
}

/// For each GPU the catalog knows, how many it takes to hold `gb` of memory.
pub fn memory_fits(variable: &str, gb: f64, assets: &Assets) -> MemoryNeed {
    let mut fits: Vec<GpuFit> = assets
        .catalog()
        .gpus
        .iter()
        .map(|g| {
            let count = (gb / g.memory_gb).ceil().max(1.0) as u32;
            GpuFit {
                gpu: g.id.value.clone(),
                name: g.name.clone(),
                memory_gb: g.memory_gb,
                count,
                servers_of_8: count.div_ceil(8),
            }
        })
        .collect();
    fits.sort_by(|a, b| {
        a.memory_gb
            .total_cmp(&b.memory_gb)
            .then(a.name.cmp(&b.name))
    });
    MemoryNeed {
        variable: variable.to_string(),
        gb,
        fits,
    }
}

/// The questions answered, each with what followed from it.
pub fn path_steps(walk: &Walk, lang: Lang) -> Vec<PathStep> {
    let tree = walk.tree();
    let mut steps: Vec<PathStep> = Vec::new();
    for visit in walk.visits() {
        let Some(node) = tree.nodes.get(&visit.node) else {
            continue;
        };
        match (&visit.event, node) {
            (Event::Answered(answer), Node::Question(q)) => {
                let label = match answer {
                    Answer::Choice(id) => q
                        .choices
                        .iter()
                        .find(|c| c.value.id.value == *id)
                        .map(|c| c.value.label.get(lang).to_string())
                        .unwrap_or_else(|| id.clone()),
                    Answer::Number(n) => format_number(*n),
                };
                steps.push(PathStep {
                    node: visit.node.clone(),
                    question: q.ask.get(lang).to_string(),
                    answer: answer.as_value(),
                    answer_label: label,
                    why: q.why.get(lang).to_string(),
                    consequences: Vec::new(),
                });
            }
            (Event::Answered(answer), Node::Number(q)) => steps.push(PathStep {
                node: visit.node.clone(),
                question: q.ask.get(lang).to_string(),
                answer: answer.as_value(),
                answer_label: format!(
                    "{} {}",
                    match answer {
                        Answer::Number(n) => format_number(*n),
                        Answer::Choice(c) => c.clone(),
                    },
                    q.unit.get(lang)
                ),
                why: q.why.get(lang).to_string(),
                consequences: Vec::new(),
            }),
            (Event::Computed(values), Node::Compute(c)) => {
                let shown: Vec<String> = values
                    .iter()
                    .map(|(k, v)| format!("{k} = {}", show_scalar(v, lang)))
                    .collect();
                let line = match &c.note {
                    Some(note) => format!("{} ({})", note.get(lang), shown.join(", ")),
                    None => shown.join(", "),
                };
                if let Some(last) = steps.last_mut() {
                    last.consequences.push(line);
                }
            }
            (Event::Branched(Some(i)), Node::Branch(b)) => {
                if let (Some(note), Some(last)) = (
                    b.when.get(*i).and_then(|w| w.value.note.as_ref()),
                    steps.last_mut(),
                ) {
                    last.consequences.push(note.get(lang).to_string());
                }
            }
            _ => {}
        }
    }
    steps
}
