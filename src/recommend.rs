//! A finished walk resolved against the assets, in one language: what every shell shows.
//! Its JSON form is the stable output of `gpuwise recommend --format json` (docs/json.md).

use crate::assets::{Assets, Catalog, Family, FamilyKind, Provider};
use crate::engine::{Answer, EngineError, Event, Walk};
use crate::text::{Lang, Text, interpolate};
use crate::tree::{Items, Node, Scalar, Tree};
use crate::vars;
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
    /// The ids of the advice entries shown (pitfalls, cost, next steps), in order.
    pub advice: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory_need: Option<MemoryNeed>,
    /// Prices of the recommended sizes and the cost of the job, per provider.
    pub prices: crate::prices::CostView,
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
    /// The CPU model, as the provider names it.
    pub cpu: Option<String>,
    /// vCPUs per size, smallest first, and memory per size in GiB (same order).
    pub vcpus: Vec<u32>,
    pub memory_gib: Vec<f64>,
    pub shared: bool,
    pub verified: bool,
    /// What could not be confirmed, when `verified` is false.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uncertain: Option<String>,
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
            gpu: gpu.map(|g| g.name.get(lang).to_string()),
            gpu_count: family.gpu_count_options(),
            gpu_memory_gb: gpu.map(|g| g.memory_gb),
            interconnect: family
                .interconnect
                .as_ref()
                .map(|t| t.get(lang).to_string()),
            cpu: family.cpu.as_ref().map(|t| t.get(lang).to_string()),
            vcpus: family.vcpus.clone(),
            memory_gib: family.memory_gib.clone(),
            shared: family.shared,
            verified: family.verified && gpu.is_none_or(|g| g.verified),
            uncertain: uncertain_text(family, gpu, lang),
            use_for: family.use_for.get(lang).to_string(),
            source: family.source.value.clone(),
            checked: family.checked.value.clone(),
        }
    }
}

/// What is uncertain about a family or its GPU, in words; `None` when all is confirmed.
fn uncertain_text(family: &Family, gpu: Option<&crate::assets::Gpu>, lang: Lang) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    if !family.verified {
        parts.push(match &family.uncertain {
            Some(t) => t.get(lang).to_string(),
            None => match lang {
                Lang::En => "some figures not confirmed on the provider's page".to_string(),
                Lang::Zh => "部分数据未在云厂商页面上得到确认".to_string(),
            },
        });
    }
    if let Some(g) = gpu.filter(|g| !g.verified) {
        parts.push(match &g.uncertain {
            Some(t) => t.get(lang).to_string(),
            None => match lang {
                Lang::En => format!(
                    "{} figures not all published by the vendor",
                    g.name.get(lang)
                ),
                Lang::Zh => format!("{} 的部分数据厂商未公布", g.name.get(lang)),
            },
        });
    }
    (!parts.is_empty()).then(|| {
        parts.join(match lang {
            Lang::En => "; ",
            Lang::Zh => "；",
        })
    })
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

/// A memory need and how many of each candidate GPU a deployment would use.
#[derive(Clone, Debug, Serialize)]
pub struct MemoryNeed {
    pub variable: String,
    /// The need as a person reads it ("GPU memory needed: 249.6 GB").
    pub label: String,
    pub gb: f64,
    pub fits: Vec<GpuFit>,
    /// GPUs of the result's families that cannot hold the need in the counts allowed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub too_small: Vec<String>,
    /// Set when the need is beyond any provider's scale (then nothing is sized).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub out_of_scale: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct GpuFit {
    pub gpu: String,
    pub name: String,
    pub memory_gb: f64,
    /// GPUs a deployment would use: 1, 2, 4 or 8 per server (or what its families offer), or
    /// whole servers of the largest size they offer.
    pub count: u64,
    /// Servers of eight GPUs; 1 when the count fits one server.
    pub servers: u64,
    /// The need divided evenly over `count` GPUs.
    pub per_gpu_gb: f64,
    /// Share of each GPU's memory that load takes, 0 to 1.
    pub load: f64,
    /// Families of the result that offer this GPU in that count per server.
    pub families: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Highlight {
    /// The variable's name (for scripts; never shown to a person).
    pub name: String,
    /// The variable's label, in the language of the result.
    pub label: String,
    /// The value with its unit, formatted.
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
    #[error("a condition at result `{result}` could not be decided: {error}")]
    Condition { result: String, error: EngineError },
}

impl Recommendation {
    pub fn build(walk: &Walk, assets: &Assets, lang: Lang) -> Result<Self, RecommendError> {
        Self::build_in(
            walk,
            assets,
            lang,
            &crate::prices::Regions::default(),
            crate::prices::today(),
        )
    }

    /// As [`Recommendation::build`], pricing in the regions picked, with `today` (days since
    /// 1970) deciding which prices are stale.
    pub fn build_in(
        walk: &Walk,
        assets: &Assets,
        lang: Lang,
        regions: &crate::prices::Regions,
        today: i64,
    ) -> Result<Self, RecommendError> {
        let outcome = walk
            .outcome()
            .ok_or_else(|| RecommendError::NotFinished(walk.current_id().to_string()))?;
        let tree = walk.tree();
        let result_id = walk.current_id().to_string();
        let vars = walk.vars();
        let fill = |text: &Text| fill_text(tree, text, vars, lang);
        let missing = |what: &'static str, id: &str| RecommendError::MissingAsset {
            result: result_id.clone(),
            what,
            id: id.to_string(),
        };
        let builtins = result_builtins(outcome, assets);
        let holds = |condition: &str| {
            walk.holds_with(&result_id, condition, &builtins)
                .map_err(|error| RecommendError::Condition {
                    result: result_id.clone(),
                    error,
                })
        };
        // The texts of a list that apply to this walk: each item's `when`, and each cited
        // advice's `applies`, must hold.
        let shown_advice = std::cell::RefCell::new(Vec::<String>::new());
        let texts = |items: &Items, bare_is_advice: bool| -> Result<Vec<String>, RecommendError> {
            let mut out = Vec::new();
            for item in items.iter() {
                if let Some(when) = &item.value.when
                    && !holds(&when.value)?
                {
                    continue;
                }
                if let Some(id) = item.value.advice_id(bare_is_advice) {
                    let advice = assets.advice(id).ok_or_else(|| missing("advice", id))?;
                    if let Some(applies) = &advice.applies
                        && !holds(&applies.value)?
                    {
                        continue;
                    }
                    out.push(fill(&advice.text));
                    shown_advice.borrow_mut().push(id.to_string());
                } else if let Some(text) = item.value.inline(bare_is_advice) {
                    out.push(fill(&text));
                }
            }
            Ok(out)
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

        let memory_need = outcome.memory_need.as_ref().and_then(|var| {
            let Some(Scalar::Number(gb)) = vars.get(&var.value) else {
                return None;
            };
            let label = vars::decl(tree, &var.value)
                .map(|d| vars::labelled(d, &Scalar::Number(*gb), lang))
                .unwrap_or_default();
            let mut candidates: Vec<String> = outcome
                .memory_gpus
                .iter()
                .map(|g| g.value.clone())
                .collect();
            let result_families: Vec<&Family> = outcome
                .families
                .iter()
                .filter_map(|f| assets.catalog().family(&f.value))
                .collect();
            if candidates.is_empty() {
                for f in &result_families {
                    if let Some(g) = &f.gpu
                        && !candidates.contains(&g.value)
                    {
                        candidates.push(g.value.clone());
                    }
                }
            }
            Some(memory_fits(
                &var.value,
                label,
                *gb,
                &candidates,
                &result_families,
                outcome.multi_node,
                assets.catalog(),
                lang,
            ))
        });

        let prices = cost_view(
            walk,
            outcome,
            memory_need.as_ref(),
            assets,
            regions,
            today,
            lang,
        )
        .map_err(|error| RecommendError::Condition {
            result: result_id.clone(),
            error,
        })?;
        let rationale =
            texts(&outcome.rationale, false)?.join(if lang == Lang::Zh { "" } else { " " });
        let pitfalls = texts(&outcome.pitfalls, true)?;
        let cost = texts(&outcome.cost, true)?;
        let next_steps = texts(&outcome.next_steps, false)?;
        Ok(Recommendation {
            tree: tree.id.value.clone(),
            tree_title: tree.title.get(lang).to_string(),
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
                rationale,
                pitfalls,
                cost,
                next_steps,
                advice: shown_advice.take(),
                memory_need,
                prices,
                highlights: outcome
                    .show
                    .iter()
                    .filter_map(|name| {
                        let decl = vars::decl(tree, &name.value)?;
                        vars.get(&name.value).map(|v| Highlight {
                            name: name.value.clone(),
                            label: decl.label.get(lang).to_string(),
                            value: vars::with_unit(decl, v, lang),
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

/// Variables every result's conditions may read besides the walk's own: what the result
/// itself recommends, so advice can say "GPU results only" without each tree setting it.
pub const BUILTINS: [(&str, crate::expr::Kind); 2] = [
    ("result_gpu", crate::expr::Kind::Bool),
    ("result_multi_node", crate::expr::Kind::Bool),
];

fn result_builtins(outcome: &crate::tree::Outcome, assets: &Assets) -> Vec<(&'static str, Scalar)> {
    let gpu = outcome.families.iter().any(|f| {
        assets
            .catalog()
            .family(&f.value)
            .is_some_and(|f| f.kind == FamilyKind::Gpu)
    });
    vec![
        (BUILTINS[0].0, Scalar::Bool(gpu)),
        (BUILTINS[1].0, Scalar::Bool(outcome.multi_node)),
    ]
}

/// A text with each `{name}` replaced by the declared variable's value. An undeclared name is
/// never printed: the validator rejects it, and here it is left out rather than shown raw.
pub fn fill_text(tree: &Tree, text: &Text, vars: &IndexMap<String, Scalar>, lang: Lang) -> String {
    interpolate(text.get(lang), |name| {
        let value = vars.get(name)?;
        Some(vars::format_value(vars::decl(tree, name), value, lang))
    })
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

/// Prices for each recommended family at the size the result needs, and the job's cost.
fn cost_view(
    walk: &Walk,
    outcome: &crate::tree::Outcome,
    memory: Option<&MemoryNeed>,
    assets: &Assets,
    regions: &crate::prices::Regions,
    today: i64,
    lang: Lang,
) -> Result<crate::prices::CostView, EngineError> {
    use crate::prices::{HOURS_24X7, Usage};
    if memory.is_some_and(|m| m.out_of_scale.is_some()) {
        // Nothing can be sized, so nothing is priced: the memory section says why.
        return Ok(crate::prices::CostView {
            usage: None,
            assumptions: Vec::new(),
            rows: Vec::new(),
        });
    }
    let pricing = outcome.pricing.clone().unwrap_or_default();
    let node = walk.current_id();
    let number =
        |e: &Option<crate::tree::At<crate::tree::Expr>>| -> Result<Option<f64>, EngineError> {
            let Some(e) = e else { return Ok(None) };
            match crate::expr::parse_cached(&e.value)
                .and_then(|p| crate::expr::eval(&p, walk.vars()))
            {
                Ok(Scalar::Number(n)) if n.is_finite() && n >= 0.0 => Ok(Some(n)),
                Ok(other) => Err(EngineError::Expression {
                    node: node.to_string(),
                    expression: e.value.0.clone(),
                    message: format!("gave {other:?}, not a number of zero or more"),
                    values: String::new(),
                }),
                Err(message) => Err(EngineError::Expression {
                    node: node.to_string(),
                    expression: e.value.0.clone(),
                    message,
                    values: String::new(),
                }),
            }
        };
    let gpus = number(&pricing.gpus)?;
    let priced_servers = number(&pricing.servers)?;
    let vcpus = number(&pricing.vcpus)?;
    let memory_gib = number(&pricing.memory_gib)?;
    let job_hours = number(&pricing.job_hours)?;
    let a100_hours = number(&pricing.a100_hours)?.filter(|w| *w > 0.0);
    let deadline_hours = number(&pricing.deadline_hours)?.filter(|d| *d > 0.0);
    let monthly = number(&pricing.monthly_hours)?;
    let usage = match (job_hours, monthly) {
        (Some(hours), _) => Usage::Job {
            hours,
            a100_hours,
            deadline_hours,
        },
        (None, Some(hours)) => Usage::Monthly { hours },
        (None, None) => Usage::Monthly { hours: HOURS_24X7 },
    };
    let mut assumptions = Vec::new();
    if let Some(note) = &pricing.note {
        assumptions.push(fill_text(walk.tree(), note, walk.vars(), lang));
    }
    let usage_at = assumptions.len();
    assumptions.push(match lang {
        Lang::En => "Prices are list prices as published, in their own currency (never converted), before tax, disks and network.".to_string(),
        Lang::Zh => "价格为公开的目录价，保留原币种（不换算），不含税费、磁盘和网络。".to_string(),
    });
    let book = assets.prices();
    let mut rows = Vec::new();
    for id in &outcome.families {
        let Some(family) = assets.catalog().family(&id.value) else {
            continue;
        };
        let (count, servers) = match (gpus, family.gpu.as_ref()) {
            (_, None) => (0.0, 1),
            (Some(g), Some(_)) => match priced_servers.map(|s| (s.ceil() as u64).max(1)) {
                // Servers side by side: the same GPUs in all, so a family whose servers hold
                // fewer (4 per GB200 VM) takes more of them, one with 16 (a2-megagpu) fewer.
                Some(servers) => {
                    let options = family.gpu_count_options();
                    let size = options
                        .iter()
                        .copied()
                        .find(|c| *c + 1e-9 >= g)
                        .or(options.last().copied())
                        .filter(|c| *c >= 1.0)
                        .unwrap_or(g);
                    (size, (g * servers as f64 / size).ceil() as u64)
                }
                None => (g, 1),
            },
            (None, Some(g)) => memory
                .and_then(|m| m.fits.iter().find(|f| f.gpu == g.value))
                .map(|f| ((f.count / f.servers.max(1)) as f64, f.servers))
                .unwrap_or_else(|| {
                    let smallest = family
                        .gpu_count_options()
                        .into_iter()
                        .find(|c| *c >= 1.0)
                        .unwrap_or(1.0);
                    (smallest, 1)
                }),
        };
        let cpu = family.gpu.is_none();
        let gpu = family
            .gpu
            .as_ref()
            .and_then(|g| assets.catalog().gpu(&g.value));
        let need = crate::prices::SizeNeed {
            gpus: count,
            vcpus: if cpu {
                vcpus.map(|v| v.ceil() as u32).unwrap_or(8)
            } else {
                0
            },
            memory_gib: if cpu { memory_gib.unwrap_or(0.0) } else { 0.0 },
            servers,
            gpu_tflops: gpu.and_then(|g| g.bf16_tensor_tflops.or(g.fp16_tensor_tflops)),
        };
        rows.push(crate::prices::cost_row(
            family,
            need,
            Some(&usage),
            book,
            regions,
            today,
            lang,
        ));
    }
    crate::prices::sort_rows(&mut rows);
    let some_unscaled = rows
        .iter()
        .any(|r| r.job.as_ref().is_some_and(|j| !j.from_gpu_speed));
    let usage_line = usage_assumption(&usage, some_unscaled, lang);
    assumptions.insert(usage_at, usage_line);
    if let (Some(deadline), true) = (
        deadline_hours,
        rows.iter()
            .any(|r| r.job.as_ref().is_some_and(|j| j.past_deadline)),
    ) {
        assumptions.push(match lang {
            Lang::En => format!("A size marked past the deadline would run longer than the {} hours you gave: rent more of its GPUs (or servers), or pick a faster GPU.", vars::format_decimals(deadline, 0)),
            Lang::Zh => format!("标为超出时限的规格会超过你给出的 {} 小时：需租用更多该 GPU（或服务器），或换更快的 GPU。", vars::format_decimals(deadline, 0)),
        });
    }
    if rows.iter().any(|r| r.stale) {
        assumptions.push(match lang {
            Lang::En => format!("Prices marked stale are over {} days old: check the provider's page before you decide.", crate::prices::STALE_AFTER_DAYS),
            Lang::Zh => format!("标为过期的价格已超过 {} 天：决策前请到云厂商页面核对。", crate::prices::STALE_AFTER_DAYS),
        });
    }
    Ok(crate::prices::CostView {
        usage: Some(usage),
        assumptions,
        rows,
    })
}

/// The assumption line that says how the cost section counts hours. `some_unscaled`: some size's
/// GPU has no published speed, so its hours are the tree's own figure.
fn usage_assumption(usage: &crate::prices::Usage, some_unscaled: bool, lang: Lang) -> String {
    use crate::prices::{A100_TFLOPS, HOURS_24X7, SPOT_RERUN_OVERHEAD, Usage};
    let spot = (SPOT_RERUN_OVERHEAD * 100.0).round();
    match usage {
        Usage::Job {
            hours,
            a100_hours: Some(work),
            ..
        } => {
            let work = vars::format_decimals(*work, if *work < 100.0 { 1 } else { 0 });
            let fixed = vars::format_decimals(*hours, 1);
            match lang {
                Lang::En => format!(
                    "Job cost = hourly price x hours x instances, the hours worked out for each size: the job's {work} A100-hours spread over all the GPUs it rents, at that GPU's dense BF16 speed against an A100's {A100_TFLOPS} TFLOPS{}; spot adds {spot}% for re-runs after interruptions.",
                    if some_unscaled {
                        format!(" ({fixed} hours where a GPU's speed is not published)")
                    } else {
                        String::new()
                    }
                ),
                Lang::Zh => format!(
                    "作业成本 = 小时价 × 小时数 × 实例数，小时数按各规格分别计算：作业的 {work} A100 小时分摊到该规格所租的全部 GPU 上，按该 GPU 的稠密 BF16 算力与 A100 的 {A100_TFLOPS} TFLOPS 之比折算{}；竞价实例另加 {spot}% 用于中断后的重跑。",
                    if some_unscaled {
                        format!("（未公布算力的 GPU 按 {fixed} 小时计）")
                    } else {
                        String::new()
                    }
                ),
            }
        }
        Usage::Job { hours, .. } => {
            let hours = vars::format_decimals(*hours, 1);
            match lang {
                Lang::En => format!(
                    "Job cost = hourly price x {hours} hours x instances; spot adds {spot}% for re-runs after interruptions."
                ),
                Lang::Zh => format!(
                    "作业成本 = 小时价 × {hours} 小时 × 实例数；竞价实例另加 {spot}% 用于中断后的重跑。"
                ),
            }
        }
        Usage::Monthly { hours } => {
            let full = (*hours - HOURS_24X7).abs() < 0.5;
            let hours = vars::format_decimals(*hours, 0);
            match lang {
                Lang::En => format!(
                    "Monthly cost = hourly price x {hours} hours{}; commitment pays off above the break-even share of hours shown.",
                    if full { " (24x7)" } else { "" }
                ),
                Lang::Zh => format!(
                    "月成本 = 小时价 × {hours} 小时{}；使用时长占比高于所示盈亏平衡点时，承诺购买更划算。",
                    if full { "（7×24）" } else { "" }
                ),
            }
        }
    }
}

/// GPUs per server a deployment uses: tensor parallelism splits a model over 1, 2, 4 or 8
/// (16 where a family's servers have 16, as a2-megagpu does).
const SERVER_COUNTS: [u64; 5] = [1, 2, 4, 8, 16];

/// More GPUs than this for one job is beyond what any provider rents to one customer (the
/// largest public clusters are of this order): such a need is reported, not sized.
pub const MAX_GPUS: f64 = 100_000.0;

#[allow(clippy::too_many_arguments)] // each is one fact of the result; a struct would only rename them
pub fn memory_fits(
    variable: &str,
    label: String,
    gb: f64,
    candidates: &[String],
    families: &[&Family],
    multi_node: bool,
    catalog: &Catalog,
    lang: Lang,
) -> MemoryNeed {
    let mut fits = Vec::new();
    let mut too_small = Vec::new();
    let largest = candidates
        .iter()
        .filter_map(|id| catalog.gpu(id))
        .map(|g| g.memory_gb)
        .fold(0.0_f64, f64::max);
    if !gb.is_finite() || (largest > 0.0 && gb / largest > MAX_GPUS) {
        let out_of_scale = Some(match lang {
            Lang::En => format!(
                "{} GB is beyond any provider's scale: even {} GB GPUs would take more than {} of them. Check the answers (model size, context length, concurrent sequences).",
                vars::format_decimals(gb, 0),
                vars::format_decimals(largest, 0),
                vars::format_decimals(MAX_GPUS, 0)
            ),
            Lang::Zh => format!(
                "{} GB 超出任何云厂商的规模：即使用 {} GB 的 GPU 也需要超过 {} 张。请检查答案（模型规模、上下文长度、并发序列数）。",
                vars::format_decimals(gb, 0),
                vars::format_decimals(largest, 0),
                vars::format_decimals(MAX_GPUS, 0)
            ),
        });
        return MemoryNeed {
            variable: variable.to_string(),
            label,
            gb,
            fits,
            too_small,
            out_of_scale,
        };
    }
    for id in candidates {
        let Some(g) = catalog.gpu(id) else { continue };
        let need = (gb / g.memory_gb).ceil().max(1.0);
        let with_gpu: Vec<&&Family> = families
            .iter()
            .filter(|f| f.gpu.as_ref().is_some_and(|fg| fg.value == *id))
            .collect();
        // The largest server of this GPU among the result's families (4 on a GB200 VM, 16 on
        // a2-megagpu, else 8): counts go 1, 2, 4, 8 (16) up to it, and whole servers of it.
        let server_size = with_gpu
            .iter()
            .flat_map(|f| f.gpu_count_options())
            .filter(|c| *c >= 1.0 && c.fract() == 0.0)
            .map(|c| c as u64)
            .filter(|c| SERVER_COUNTS.contains(c))
            .max()
            .unwrap_or(8);
        let per_server = SERVER_COUNTS
            .iter()
            .copied()
            .filter(|&c| c <= server_size)
            .find(|&c| c as f64 >= need);
        // Families of the result with this GPU and at least `count` GPUs in one server.
        let offering = |count: u64| -> Vec<String> {
            with_gpu
                .iter()
                .filter(|f| f.gpu_count_options().iter().any(|c| *c >= count as f64))
                .map(|f| format!("{} {}", f.provider.name(lang), f.family))
                .collect()
        };
        let (count, servers, offered) = match per_server {
            Some(c) if families.is_empty() || !offering(c).is_empty() => (c, 1, offering(c)),
            None if multi_node => {
                let servers = (need / server_size as f64).ceil() as u64;
                (servers * server_size, servers, offering(server_size))
            }
            _ => {
                too_small.push(g.name.get(lang).to_string());
                continue;
            }
        };
        let per_gpu = gb / count as f64;
        fits.push(GpuFit {
            gpu: g.id.value.clone(),
            name: g.name.get(lang).to_string(),
            memory_gb: g.memory_gb,
            count,
            servers,
            per_gpu_gb: per_gpu,
            load: per_gpu / g.memory_gb,
            families: offered,
        });
    }
    fits.sort_by(|a, b| {
        a.count
            .cmp(&b.count)
            .then(a.memory_gb.total_cmp(&b.memory_gb))
            .then(a.name.cmp(&b.name))
    });
    MemoryNeed {
        variable: variable.to_string(),
        label,
        gb,
        fits,
        too_small,
        out_of_scale: None,
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
                    Answer::Number(n) => vars::format_decimals(*n, 2),
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
                answer_label: {
                    let shown = match answer {
                        Answer::Number(n) => vars::format_value(
                            vars::decl(tree, &q.var.value),
                            &Scalar::Number(*n),
                            lang,
                        ),
                        Answer::Choice(c) => c.clone(),
                    };
                    let unit = q.unit.get(lang);
                    if unit.is_empty() {
                        shown
                    } else {
                        format!("{shown} {unit}")
                    }
                },
                why: q.why.get(lang).to_string(),
                consequences: Vec::new(),
            }),
            (Event::Computed(values), Node::Compute(c)) => {
                // Only declared variables are shown, each with its label and unit.
                let shown: Vec<String> = values
                    .iter()
                    .filter_map(|(k, v)| vars::decl(tree, k).map(|d| vars::labelled(d, v, lang)))
                    .collect();
                let separator = match lang {
                    Lang::En => "; ",
                    Lang::Zh => "；",
                };
                let line = match (&c.note, shown.is_empty()) {
                    (Some(note), true) => note.get(lang).to_string(),
                    (Some(note), false) => match lang {
                        Lang::En => format!("{} ({})", note.get(lang), shown.join(separator)),
                        Lang::Zh => format!("{}（{}）", note.get(lang), shown.join(separator)),
                    },
                    (None, false) => shown.join(separator),
                    (None, true) => continue,
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
