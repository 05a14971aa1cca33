//! A recommendation as plain text or Markdown (the JSON form is its serde serialization).
//! The TUI's exported report is the Markdown form.

use crate::recommend::{FamilyView, Recommendation, ResultView};
use crate::text::{Lang, format_number};
use std::fmt::Write as _;

/// Section headings in both languages.
struct Labels {
    recommendation: &'static str,
    families: &'static str,
    no_equivalent: &'static str,
    pattern: &'static str,
    rationale: &'static str,
    pitfalls: &'static str,
    cost: &'static str,
    next_steps: &'static str,
    path: &'static str,
    memory: &'static str,
    unverified: &'static str,
    columns: [&'static str; 6],
}

fn labels(lang: Lang) -> Labels {
    match lang {
        Lang::En => Labels {
            recommendation: "Recommendation",
            families: "Instance families",
            no_equivalent: "No equivalent",
            pattern: "Architecture",
            rationale: "Why",
            pitfalls: "Pitfalls",
            cost: "Cost",
            next_steps: "Next steps",
            path: "How you got here",
            memory: "GPU memory need",
            unverified: "unverified",
            columns: [
                "Provider",
                "Family",
                "GPU",
                "GPUs",
                "GB/GPU",
                "Interconnect",
            ],
        },
        Lang::Zh => Labels {
            recommendation: "推荐",
            families: "实例规格族",
            no_equivalent: "无对应规格",
            pattern: "架构",
            rationale: "理由",
            pitfalls: "避坑",
            cost: "成本",
            next_steps: "下一步",
            path: "决策路径",
            memory: "显存需求",
            unverified: "未核实",
            columns: ["云厂商", "规格族", "GPU", "卡数", "显存/卡", "互联"],
        },
    }
}

/// GPU counts per instance, e.g. `1/2/4/8`, or `1:4 vGPU` for a quarter of a shared GPU.
pub fn gpu_counts(family: &FamilyView) -> String {
    if family.gpu_count.is_empty() {
        return "-".into();
    }
    let counts: Vec<String> = family
        .gpu_count
        .iter()
        .map(|c| {
            if c.fract() == 0.0 {
                format_number(*c)
            } else {
                fraction(*c)
            }
        })
        .collect();
    let mut out = counts.join("/");
    if family.shared {
        out.push_str(" vGPU");
    }
    out
}

fn fraction(c: f64) -> String {
    let denominator = (1.0 / c).round();
    if (c * denominator - 1.0).abs() < 1e-3 {
        format!("1:{denominator}")
    } else {
        format!("{c}")
    }
}

/// One row of the families table as cells: provider, family, GPU, count, memory, interconnect.
pub fn family_cells(f: &FamilyView, lang: Lang) -> [String; 6] {
    let mark = if f.verified {
        String::new()
    } else {
        format!(" ({})", labels(lang).unverified)
    };
    [
        f.provider_name.clone(),
        format!("{}{mark}", f.family),
        f.gpu
            .as_deref()
            .map(|g| g.strip_prefix("NVIDIA ").unwrap_or(g).to_string())
            .unwrap_or_else(|| "CPU".into()),
        gpu_counts(f),
        f.gpu_memory_gb
            .map(|m| format!("{} GB", format_number(m)))
            .unwrap_or_else(|| "-".into()),
        f.interconnect.clone().unwrap_or_else(|| "-".into()),
    ]
}

pub fn family_headers(lang: Lang) -> [&'static str; 6] {
    labels(lang).columns
}

/// The result's lists that both formats print, with their headings.
fn advice_lists<'a>(l: &Labels, res: &'a ResultView) -> [(&'static str, &'a [String]); 3] {
    [
        (l.pitfalls, &res.pitfalls),
        (l.cost, &res.cost),
        (l.next_steps, &res.next_steps),
    ]
}

pub fn to_markdown(r: &Recommendation) -> String {
    let l = labels(r.lang);
    let res = &r.result;
    let mut out = String::new();
    let _ = writeln!(out, "# {}: {}\n", l.recommendation, r.tree_title);
    let _ = writeln!(out, "{}\n", res.summary);
    for h in &res.highlights {
        let _ = writeln!(out, "- `{}` = {}", h.name, h.value);
    }
    if !res.highlights.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "## {}\n", l.families);
    let _ = writeln!(out, "| {} |", l.columns.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(6));
    for f in &res.families {
        let cells = family_cells(f, r.lang).map(|c| c.replace('|', "\\|"));
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    for n in &res.no_equivalent {
        let _ = writeln!(
            out,
            "| {} | {}: {} | | | | |",
            n.provider_name, l.no_equivalent, n.reason
        );
    }
    let _ = writeln!(out);
    if let Some(m) = &res.memory_need {
        let _ = writeln!(out, "## {}: {} GB\n", l.memory, format_number(m.gb));
        for fit in &m.fits {
            let _ = writeln!(
                out,
                "- {}: {} × {} GB",
                fit.name,
                fit.count,
                format_number(fit.memory_gb)
            );
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## {}: {}\n", l.pattern, res.pattern.title);
    let _ = writeln!(out, "{}\n", res.pattern.when);
    for c in &res.pattern.components {
        let _ = writeln!(out, "- {c}");
    }
    let _ = writeln!(out, "\n```text\n{}\n```\n", res.pattern.diagram);
    let _ = writeln!(out, "## {}\n\n{}\n", l.rationale, res.rationale);
    for (title, items) in advice_lists(&l, res) {
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {title}\n");
        for item in items {
            let _ = writeln!(out, "- {item}");
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## {}\n", l.path);
    for (n, step) in r.path.iter().enumerate() {
        let _ = writeln!(
            out,
            "{}. **{}** → {}",
            n + 1,
            step.question,
            step.answer_label
        );
        let _ = writeln!(out, "   - {}", step.why);
        for c in &step.consequences {
            let _ = writeln!(out, "   - {c}");
        }
    }
    out
}

pub fn to_text(r: &Recommendation) -> String {
    let l = labels(r.lang);
    let res = &r.result;
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", l.recommendation, res.summary);
    for h in &res.highlights {
        let _ = writeln!(out, "  {} = {}", h.name, h.value);
    }
    let _ = writeln!(out, "\n{}:", l.families);
    for f in &res.families {
        let [provider, family, gpu, count, mem, link] = family_cells(f, r.lang);
        let _ = writeln!(
            out,
            "  {provider:<14} {family:<24} {gpu} ×{count} {mem} {link}"
        );
    }
    for n in &res.no_equivalent {
        let _ = writeln!(
            out,
            "  {:<14} {}: {}",
            n.provider_name, l.no_equivalent, n.reason
        );
    }
    if let Some(m) = &res.memory_need {
        let _ = writeln!(out, "\n{}: {} GB", l.memory, format_number(m.gb));
        for fit in &m.fits {
            let _ = writeln!(
                out,
                "  {:<26} {:>3} × {} GB",
                fit.name,
                fit.count,
                format_number(fit.memory_gb)
            );
        }
    }
    let _ = writeln!(out, "\n{}: {}", l.pattern, res.pattern.title);
    let _ = writeln!(out, "{}\n", res.pattern.diagram);
    let _ = writeln!(out, "{}: {}", l.rationale, res.rationale);
    for (title, items) in advice_lists(&l, res) {
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title}:");
        for item in items {
            let _ = writeln!(out, "  - {item}");
        }
    }
    let _ = writeln!(out, "\n{}:", l.path);
    for (n, step) in r.path.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {}. {} -> {}",
            n + 1,
            step.question,
            step.answer_label
        );
        for c in &step.consequences {
            let _ = writeln!(out, "     {c}");
        }
    }
    out
}
