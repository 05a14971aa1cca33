//! A recommendation as plain text or Markdown (the JSON form is its serde serialization).
//! The TUI's exported report is the Markdown form.

use crate::assets::FamilyKind;
use crate::recommend::{FamilyView, GpuFit, MemoryNeed, Recommendation, ResultView};
use crate::text::{Lang, format_number};
use crate::vars::format_decimals;
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
    uncertain: &'static str,
    columns: [&'static str; 6],
    cpu_columns: [&'static str; 5],
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
            memory: "GPU memory",
            uncertain: "Not confirmed",
            columns: [
                "Provider",
                "Family",
                "GPU",
                "GPUs",
                "GB/GPU",
                "Interconnect",
            ],
            cpu_columns: ["Provider", "Family", "CPU", "GiB per vCPU", "Sizes"],
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
            memory: "显存",
            uncertain: "未确认",
            columns: ["云厂商", "规格族", "GPU", "卡数", "显存/卡", "互联"],
            cpu_columns: ["云厂商", "规格族", "CPU", "每 vCPU 内存（GiB）", "规格"],
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

/// One row of the GPU families table as cells: provider, family, GPU, count, memory,
/// interconnect.
pub fn family_cells(f: &FamilyView, _lang: Lang) -> [String; 6] {
    [
        f.provider_name.clone(),
        f.family.clone(),
        f.gpu
            .as_deref()
            .map(|g| g.strip_prefix("NVIDIA ").unwrap_or(g).to_string())
            .unwrap_or_else(|| "-".into()),
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

pub fn cpu_headers(lang: Lang) -> [&'static str; 5] {
    labels(lang).cpu_columns
}

/// GiB of memory per vCPU across a family's sizes: "4", or "2-8" when sizes differ.
pub fn memory_ratio(f: &FamilyView) -> String {
    let ratios: Vec<f64> = f
        .vcpus
        .iter()
        .zip(&f.memory_gib)
        .filter(|(v, _)| **v > 0)
        .map(|(v, m)| m / *v as f64)
        .collect();
    let (Some(lo), Some(hi)) = (
        ratios.iter().copied().reduce(f64::min),
        ratios.iter().copied().reduce(f64::max),
    ) else {
        return "-".into();
    };
    if (hi - lo).abs() < 0.05 {
        format_decimals(lo, 1)
    } else {
        format!("{}-{}", format_decimals(lo, 1), format_decimals(hi, 1))
    }
}

/// A family's size range: "2-192 vCPU, 8-768 GiB".
pub fn size_range(f: &FamilyView, lang: Lang) -> String {
    let (Some(vlo), Some(vhi)) = (f.vcpus.iter().min(), f.vcpus.iter().max()) else {
        return "-".into();
    };
    let mlo = f.memory_gib.iter().copied().reduce(f64::min).unwrap_or(0.0);
    let mhi = f.memory_gib.iter().copied().reduce(f64::max).unwrap_or(0.0);
    let sep = lang.comma();
    format!(
        "{vlo}-{vhi} vCPU{sep}{}-{} GiB",
        format_decimals(mlo, 1),
        format_decimals(mhi, 1)
    )
}

/// One row of the CPU families table: provider, family, CPU, GiB per vCPU, sizes.
pub fn cpu_cells(f: &FamilyView, lang: Lang) -> [String; 5] {
    [
        f.provider_name.clone(),
        f.family.clone(),
        f.cpu.clone().unwrap_or_else(|| "-".into()),
        memory_ratio(f),
        size_range(f, lang),
    ]
}

/// "Not confirmed: GPU model not named by Alibaba", or nothing when all is confirmed.
pub fn uncertain_line(f: &FamilyView, lang: Lang) -> Option<String> {
    let l = labels(lang);
    f.uncertain.as_ref().map(|u| match lang {
        Lang::En => format!("{}: {u}", l.uncertain),
        Lang::Zh => format!("{}：{u}", l.uncertain),
    })
}

/// One line per GPU that can hold the memory need: count, per-GPU load and who offers it.
pub fn fit_line(fit: &GpuFit, lang: Lang) -> String {
    let count = if fit.servers > 1 {
        let per = fit.count / fit.servers;
        match lang {
            Lang::En => format!("{} GPUs ({} servers of {per})", fit.count, fit.servers),
            Lang::Zh => format!("{} 卡（{} 台 {per} 卡服务器）", fit.count, fit.servers),
        }
    } else {
        match lang {
            Lang::En if fit.count == 1 => "1 GPU".to_string(),
            Lang::En => format!("{} GPUs in one server", fit.count),
            Lang::Zh if fit.count == 1 => "1 卡".to_string(),
            Lang::Zh => format!("单机 {} 卡", fit.count),
        }
    };
    let load = format!(
        "{} GB/{} GB",
        format_decimals(fit.per_gpu_gb, 1),
        format_number(fit.memory_gb)
    );
    let percent = (fit.load * 100.0).round();
    let families = fit.families.join(", ");
    match lang {
        Lang::En => {
            let offered = if families.is_empty() {
                String::new()
            } else {
                format!("; {families}")
            };
            format!(
                "{}: {count}, {load} per GPU ({percent}%){offered}",
                fit.name
            )
        }
        Lang::Zh => {
            let offered = if families.is_empty() {
                String::new()
            } else {
                format!("；{}", fit.families.join("、"))
            };
            format!("{}：{count}，每卡 {load}（{percent}%）{offered}", fit.name)
        }
    }
}

/// The memory section's lines after its heading.
pub fn memory_lines(m: &MemoryNeed, lang: Lang) -> Vec<String> {
    let mut lines: Vec<String> = m.fits.iter().map(|f| fit_line(f, lang)).collect();
    lines.extend(m.out_of_scale.clone());
    if !m.too_small.is_empty() {
        lines.push(match lang {
            Lang::En => format!(
                "Not enough memory in the counts one server offers: {}",
                m.too_small.join(", ")
            ),
            Lang::Zh => format!("单台服务器可配卡数内显存不足：{}", m.too_small.join("、")),
        });
    }
    lines
}

/// The memory section's heading: "GPU memory needed: 249.6 GB".
pub fn memory_heading(m: &MemoryNeed, lang: Lang) -> String {
    if m.label.is_empty() {
        let l = labels(lang);
        format!(
            "{}{}{} GB",
            l.memory,
            lang.colon(),
            format_decimals(m.gb, 1)
        )
    } else {
        m.label.clone()
    }
}

/// The cost section as lines: one per provider (cheapest job first), then the assumptions.
pub fn cost_lines(res: &ResultView, lang: Lang) -> Vec<String> {
    use crate::prices::Usage;
    let view = &res.prices;
    let mut lines = Vec::new();
    let monthly = matches!(view.usage, Some(Usage::Monthly { .. }));
    for r in &view.rows {
        let size = r.instance.as_ref().unwrap_or(&r.family);
        let head = format!("{} {size} {}", r.provider_name, r.region)
            .trim_end()
            .to_string();
        let Some(currency) = r.currency.filter(|_| r.on_demand.is_some()) else {
            let reason = r.no_price.clone().unwrap_or_default();
            let page = r.price_page.clone().unwrap_or_default();
            lines.push(match lang {
                Lang::En => format!("{head}: {reason}; price page: {page}"),
                Lang::Zh => format!("{head}：{reason}；价格页：{page}"),
            });
            continue;
        };
        let money = |v: f64| currency.amount(v);
        let mut parts = Vec::new();
        let (per_h, spot_w, c1, c3, per_gpu) = match lang {
            Lang::En => ("/h on demand", "spot", "1-year", "3-year", "/GPU-h"),
            Lang::Zh => ("/小时（按量）", "竞价", "1 年承诺", "3 年承诺", "/卡时"),
        };
        if let Some(p) = r.on_demand {
            parts.push(format!("{}{per_h}", money(p)));
        }
        if let Some(p) = r.spot {
            parts.push(format!("{spot_w} {}", money(p)));
        }
        if let Some(p) = r.commit_1y {
            parts.push(format!("{c1} {}", money(p)));
        }
        if let Some(p) = r.commit_3y {
            parts.push(format!("{c3} {}", money(p)));
        }
        if let Some(p) = r.per_gpu_hour {
            parts.push(format!("{}{per_gpu}", money(p)));
        }
        let mut line = match lang {
            Lang::En => format!("{head}: {}", parts.join(", ")),
            Lang::Zh => format!("{head}：{}", parts.join("，")),
        };
        if r.instances > 1 {
            line.push_str(&match lang {
                Lang::En => format!(" x {} instances", r.instances),
                Lang::Zh => format!(" × {} 台", r.instances),
            });
        }
        if let Some(job) = &r.job {
            let mut costs = Vec::new();
            let (od, sp, y1, y3) = match lang {
                Lang::En => ("on demand", "spot", "1-year", "3-year"),
                Lang::Zh => ("按量", "竞价", "1 年承诺", "3 年承诺"),
            };
            for (label, v) in [
                (od, job.on_demand),
                (sp, job.spot),
                (y1, job.commit_1y),
                (y3, job.commit_3y),
            ] {
                if let Some(v) = v {
                    costs.push(format!("{label} {}", money(v)));
                }
            }
            let hours =
                crate::vars::format_decimals(job.hours, if job.hours < 10.0 { 1 } else { 0 });
            let what = match (monthly, job.from_gpu_speed, lang) {
                (true, _, Lang::En) => "per month".to_string(),
                (true, _, Lang::Zh) => "每月".to_string(),
                (false, true, Lang::En) => format!("for the job, {hours} h"),
                (false, true, Lang::Zh) => format!("整个作业 {hours} 小时"),
                (false, false, Lang::En) => "for the job".to_string(),
                (false, false, Lang::Zh) => "整个作业".to_string(),
            };
            let what = match (job.past_deadline, lang) {
                (true, Lang::En) => format!("{what}, past the deadline"),
                (true, Lang::Zh) => format!("{what}，超出时限"),
                (false, _) => what,
            };
            line.push_str(&match lang {
                Lang::En => format!("; {what}: {}", costs.join(", ")),
                Lang::Zh => format!("。{what}：{}", costs.join("，")),
            });
        }
        if let (Some(b), true) = (r.break_even_1y, monthly) {
            let pct = (b * 100.0).round();
            line.push_str(&match lang {
                Lang::En => format!("; 1-year commitment pays off above {pct}% use"),
                Lang::Zh => format!("。使用率高于 {pct}% 时 1 年承诺更划算"),
            });
        }
        let date = r.as_of.clone().unwrap_or_default();
        let stale = if r.stale {
            match lang {
                Lang::En => ", stale",
                Lang::Zh => "，已过期",
            }
        } else {
            ""
        };
        line.push_str(&match lang {
            Lang::En => format!(
                " ({} {date}{stale}; {})",
                "as of",
                r.source.clone().unwrap_or_default()
            ),
            Lang::Zh => format!(
                "（截至 {date}{stale}；{}）",
                r.source.clone().unwrap_or_default()
            ),
        });
        lines.push(line);
    }
    lines.extend(view.assumptions.iter().cloned());
    lines
}

/// The cost section's heading.
/// The colon that ends a heading line: ":" in English, "：" in Chinese.
fn heading_colon(lang: Lang) -> &'static str {
    lang.colon().trim_end()
}

pub fn cost_heading(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Prices and the cost of the job",
        Lang::Zh => "价格与作业成本",
    }
}

/// A highlight as a person reads it.
pub fn highlight_line(h: &crate::recommend::Highlight, lang: Lang) -> String {
    format!("{}{}{}", h.label, lang.colon(), h.value)
}

fn gpu_families(res: &ResultView) -> impl Iterator<Item = &FamilyView> {
    res.families.iter().filter(|f| f.kind == FamilyKind::Gpu)
}

fn cpu_families(res: &ResultView) -> impl Iterator<Item = &FamilyView> {
    res.families.iter().filter(|f| f.kind == FamilyKind::Cpu)
}

/// Text wrapped to `width` columns with `indent` before every line.
fn wrapped(text: &str, width: usize, indent: &str) -> String {
    crate::text::wrap(text, width.saturating_sub(indent.len()).max(20))
        .into_iter()
        .map(|line| format!("{indent}{line}\n"))
        .collect()
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
    let _ = writeln!(
        out,
        "# {}{}{}\n",
        l.recommendation,
        r.lang.colon(),
        r.tree_title
    );
    let _ = writeln!(out, "{}\n", res.summary);
    for h in &res.highlights {
        let _ = writeln!(out, "- {}", highlight_line(h, r.lang));
    }
    if !res.highlights.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "## {}\n", l.families);
    let cell = |c: &str| c.replace('|', "\\|");
    let notes = |f: &FamilyView| uncertain_line(f, r.lang).map(|u| r.lang.parenthesized(&u));
    if gpu_families(res).next().is_some() {
        let _ = writeln!(out, "| {} |", l.columns.join(" | "));
        let _ = writeln!(out, "|{}", "---|".repeat(6));
        for f in gpu_families(res) {
            let mut cells = family_cells(f, r.lang).map(|c| cell(&c));
            cells[1].push_str(&notes(f).unwrap_or_default());
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        out.push('\n');
    }
    if cpu_families(res).next().is_some() {
        let _ = writeln!(out, "| {} |", l.cpu_columns.join(" | "));
        let _ = writeln!(out, "|{}", "---|".repeat(5));
        for f in cpu_families(res) {
            let mut cells = cpu_cells(f, r.lang).map(|c| cell(&c));
            cells[1].push_str(&notes(f).unwrap_or_default());
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        out.push('\n');
    }
    for n in &res.no_equivalent {
        let _ = writeln!(
            out,
            "- {}{c}{}{c}{}",
            n.provider_name,
            l.no_equivalent,
            n.reason,
            c = r.lang.colon()
        );
    }
    if !res.no_equivalent.is_empty() {
        out.push('\n');
    }
    if let Some(m) = &res.memory_need {
        let _ = writeln!(out, "## {}\n", memory_heading(m, r.lang));
        for line in memory_lines(m, r.lang) {
            let _ = writeln!(out, "- {line}");
        }
        out.push('\n');
    }
    if !res.prices.rows.is_empty() {
        let _ = writeln!(out, "## {}\n", cost_heading(r.lang));
        for line in cost_lines(res, r.lang) {
            let _ = writeln!(out, "- {line}");
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "## {}{}{}\n",
        l.pattern,
        r.lang.colon(),
        res.pattern.title
    );
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
    let _ = writeln!(out, "{}{}{}", l.recommendation, r.lang.colon(), res.summary);
    for h in &res.highlights {
        let _ = writeln!(out, "  {}", highlight_line(h, r.lang));
    }
    let _ = writeln!(out, "\n{}{}", l.families, heading_colon(r.lang));
    const WIDTH: usize = 78;
    for f in gpu_families(res) {
        let [provider, family, gpu, count, mem, link] = family_cells(f, r.lang);
        let comma = r.lang.comma();
        let _ = writeln!(
            out,
            "  {} {} {count} × {gpu}{comma}{mem}",
            crate::text::pad(&provider, 14),
            crate::text::pad(&family, 24)
        );
        out.push_str(&wrapped(&link, WIDTH, "      "));
        if let Some(u) = uncertain_line(f, r.lang) {
            out.push_str(&wrapped(&u, WIDTH, "      "));
        }
    }
    for f in cpu_families(res) {
        let [provider, family, cpu, ratio, sizes] = cpu_cells(f, r.lang);
        let headers = cpu_headers(r.lang);
        let _ = writeln!(
            out,
            "  {} {} {sizes}",
            crate::text::pad(&provider, 14),
            crate::text::pad(&family, 24)
        );
        let detail = match r.lang {
            Lang::En => format!("{cpu}; {}: {ratio}", headers[3]),
            Lang::Zh => format!("{cpu}；{}：{ratio}", headers[3]),
        };
        out.push_str(&wrapped(&detail, WIDTH, "      "));
        if let Some(u) = uncertain_line(f, r.lang) {
            out.push_str(&wrapped(&u, WIDTH, "      "));
        }
    }
    for n in &res.no_equivalent {
        let _ = writeln!(
            out,
            "  {} {}{}",
            crate::text::pad(&n.provider_name, 14),
            l.no_equivalent,
            heading_colon(r.lang)
        );
        out.push_str(&wrapped(&n.reason, WIDTH, "      "));
    }
    if let Some(m) = &res.memory_need {
        let _ = writeln!(out, "\n{}", memory_heading(m, r.lang));
        for line in memory_lines(m, r.lang) {
            out.push_str(&wrapped(&line, WIDTH, "  "));
        }
    }
    if !res.prices.rows.is_empty() {
        let _ = writeln!(out, "\n{}{}", cost_heading(r.lang), heading_colon(r.lang));
        for line in cost_lines(res, r.lang) {
            out.push_str(&wrapped(&line, WIDTH, "  "));
        }
    }
    let _ = writeln!(
        out,
        "\n{}{}{}",
        l.pattern,
        r.lang.colon(),
        res.pattern.title
    );
    let _ = writeln!(out, "{}\n", res.pattern.diagram);
    let _ = writeln!(out, "{}{}{}", l.rationale, r.lang.colon(), res.rationale);
    for (title, items) in advice_lists(&l, res) {
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title}{}", heading_colon(r.lang));
        for item in items {
            let _ = writeln!(out, "  - {item}");
        }
    }
    let _ = writeln!(out, "\n{}{}", l.path, heading_colon(r.lang));
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
