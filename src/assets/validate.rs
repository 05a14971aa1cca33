//! Checks of the asset files: unique ids, links that resolve, sources and dates on every fact,
//! diagrams that fit, Chinese for every text.

use super::{AssetSources, Assets, FamilyKind};
use crate::diag::{Diagnostic, FileReport, Span};
use crate::text::Text;
use crate::tree::At;
use std::collections::HashSet;
use unicode_width::UnicodeWidthStr;

/// The widest a pattern diagram may be, so it fits beside a border on an 80-column terminal.
pub const DIAGRAM_MAX_WIDTH: usize = 60;

/// Parses and checks all asset files, one report per file.
pub fn validate_assets(sources: &AssetSources) -> (Option<Assets>, Vec<FileReport>) {
    let mut reports: Vec<FileReport> = [
        sources.catalog,
        sources.patterns,
        sources.glossary,
        sources.advice,
    ]
    .iter()
    .map(|(file, text)| FileReport::new(*file, *text))
    .chain(
        sources
            .prices
            .iter()
            .map(|(file, text)| FileReport::new(file.as_str(), text.as_str())),
    )
    .collect();
    let assets = match sources.parse() {
        Ok(assets) => assets,
        Err(err) => {
            if let Some(report) = reports.iter_mut().find(|r| r.file == err.file) {
                report.diagnostics.push(err.diagnostic);
            }
            return (None, reports);
        }
    };
    check_catalog(&assets, &mut reports[0].diagnostics);
    check_patterns(&assets, &mut reports[1].diagnostics);
    check_glossary(&assets, &mut reports[2].diagnostics);
    check_advice(&assets, &mut reports[3].diagnostics);
    for (i, file) in assets.prices().files.iter().enumerate() {
        if let Some(report) = reports.get_mut(4 + i) {
            check_prices(&assets, file, &mut report.diagnostics);
        }
    }
    for report in &mut reports {
        report.sort();
    }
    (Some(assets), reports)
}

/// Ids are kebab-case so they read the same in YAML, JSON and on the command line.
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

fn check_id(id: &At<String>, seen: &mut HashSet<String>, what: &str, out: &mut Vec<Diagnostic>) {
    if !is_valid_id(&id.value) {
        out.push(
            Diagnostic::error(
                id.span,
                format!("{what} id `{}` is not kebab-case", id.value),
            )
            .with_hint("use lowercase letters, digits and '-'"),
        );
    }
    if !seen.insert(id.value.clone()) {
        out.push(Diagnostic::error(
            id.span,
            format!("duplicate {what} id `{}`", id.value),
        ));
    }
}

/// The longest text a person is asked to read on one screen, in characters.
pub const MAX_TEXT_CHARS: usize = 4_000;

/// Checks a text a person reads: a missing Chinese text is a warning (an error with
/// `--strict`); a text over [`MAX_TEXT_CHARS`] is an error.
/// A text given once for both languages that holds English words (not only names, numbers and
/// units) reads as English in a Chinese result: it needs an `en` and a `zh` form.
fn check_words_have_chinese(text: &Text, span: Span, field: &str, out: &mut Vec<Diagnostic>) {
    let Some(plain) = text.as_plain() else { return };
    let word = plain
        .split(|c: char| !c.is_ascii_alphabetic())
        .find(|w| w.len() >= 2 && w.chars().all(|c| c.is_ascii_lowercase()));
    if let Some(word) = word {
        out.push(
            Diagnostic::warning(
                span,
                format!(
                    "`{field}` is one text for both languages but has English words (\"{word}\")"
                ),
            )
            .with_hint("give it `en:` and `zh:` forms"),
        );
    }
}

pub fn check_text(text: &Text, span: Span, field: &str, out: &mut Vec<Diagnostic>) {
    if text.lacks_chinese() {
        out.push(
            Diagnostic::warning(span, format!("`{field}` has no Chinese (`zh`) text"))
                .with_hint("add `zh: ...` beside `en: ...`"),
        );
    }
    if let Text::Localized { zh: Some(zh), .. } = text
        && let Some((mark, wide)) = ascii_punctuation_in_chinese(zh)
    {
        out.push(
            Diagnostic::warning(
                span,
                format!("`{field}` (zh) has an ASCII `{mark}` next to Chinese text"),
            )
            .with_hint(format!("use the full-width `{wide}`")),
        );
    }
    for variant in text.variants() {
        if let Some(word) = authoring_word(variant) {
            out.push(
                Diagnostic::warning(
                    span,
                    format!("`{field}` says \"{word}\", a word about how gpuwise is written"),
                )
                .with_hint(
                    "name the rule or the vendor page instead; people never see the sources' names",
                ),
            );
            break;
        }
    }
    if text
        .variants()
        .any(|v| v.chars().any(|c| c.is_control() && c != '\n'))
    {
        out.push(Diagnostic::warning(
            span,
            format!("`{field}` holds a control character or escape sequence; it is not shown"),
        ));
    }
    if let Some(long) = text.variants().find(|v| v.chars().count() > MAX_TEXT_CHARS) {
        out.push(Diagnostic::error(
            span,
            format!(
                "`{field}` is {} characters long, over the limit of {MAX_TEXT_CHARS}",
                long.chars().count()
            ),
        ));
    }
}

/// An ASCII `:,?();` right beside a CJK character, and its full-width form.
pub fn ascii_punctuation_in_chinese(zh: &str) -> Option<(char, char)> {
    let chars: Vec<char> = zh.chars().collect();
    let cjk = |c: char| matches!(c as u32, 0x3000..=0x303F | 0x3400..=0x9FFF | 0xFF00..=0xFFEF);
    for (i, &c) in chars.iter().enumerate() {
        let wide = match c {
            ':' => '：',
            ',' => '，',
            '?' => '？',
            '(' => '（',
            ')' => '）',
            ';' => '；',
            _ => continue,
        };
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 1).copied();
        // `(` opens before what it encloses and `)` closes after it; the others sit after a word.
        let touches = match c {
            '(' => before.is_some_and(cjk) || after.is_some_and(cjk),
            ')' => before.is_some_and(cjk) || after.is_some_and(cjk),
            _ => before.is_some_and(cjk),
        };
        if touches {
            return Some((c, wide));
        }
    }
    None
}

/// Words about how the content was written, which a person should never read.
fn authoring_word(text: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    [
        "seed 00",
        "the seeds",
        "seed article",
        "this tree",
        "this catalog",
        "种子文章",
        "本决策树",
        "本目录",
    ]
    .into_iter()
    .find(|w| lower.contains(w))
}

fn check_source(source: &At<String>, checked: &At<String>, out: &mut Vec<Diagnostic>) {
    if !(source.value.starts_with("https://") || source.value.starts_with("http://")) {
        out.push(Diagnostic::error(
            source.span,
            format!("source `{}` is not a web address", source.value),
        ));
    }
    if !is_date(&checked.value) {
        out.push(Diagnostic::error(
            checked.span,
            format!("checked date `{}` is not YYYY-MM-DD", checked.value),
        ));
    }
}

/// Every price row names a catalog family of its provider, a region the file lists, its
/// currency, a source and a date; a row without a price says why. Every GPU family of the
/// provider has a row in the default region.
fn check_prices(assets: &Assets, file: &crate::prices::PriceFile, out: &mut Vec<Diagnostic>) {
    let catalog = assets.catalog();
    let at = file.price_page.span;
    for region in &file.regions {
        check_text(&region.name, region.id.span, "region name", out);
    }
    for row in &file.prices {
        let span = row.span;
        let r = &row.value;
        match catalog.family(&r.family.value) {
            None => out.push(Diagnostic::error(
                r.family.span,
                format!(
                    "unknown family `{}`: assets/catalog.yaml has no family with this id",
                    r.family.value
                ),
            )),
            Some(f) if f.provider != file.provider => out.push(Diagnostic::error(
                r.family.span,
                format!(
                    "family `{}` belongs to {}, not {}",
                    r.family.value, f.provider, file.provider
                ),
            )),
            Some(f) => {
                if let Some(g) = r.gpus
                    && g > 0.0
                    && !f.gpu_count_options().contains(&g)
                {
                    out.push(Diagnostic::warning(
                        span,
                        format!(
                            "`{}` has {g} GPU(s), a count family `{}` does not list",
                            r.instance.value, r.family.value
                        ),
                    ));
                }
            }
        }
        let region = file.regions.iter().find(|x| x.id.value == r.region.value);
        if region.is_none() {
            out.push(Diagnostic::error(
                r.region.span,
                format!(
                    "region `{}` is not among the file's `regions`",
                    r.region.value
                ),
            ));
        }
        match (r.currency, region) {
            (None, _) => out.push(Diagnostic::error(
                span,
                format!("`{}` has no `currency` (USD or CNY)", r.instance.value),
            )),
            (Some(c), Some(reg)) if c != reg.currency => out.push(Diagnostic::warning(
                span,
                format!(
                    "`{}` is in {}, but region `{}` is listed in {}",
                    r.instance.value,
                    c.code(),
                    reg.id.value,
                    reg.currency.code()
                ),
            )),
            _ => {}
        }
        match &r.source {
            None => out.push(Diagnostic::error(
                span,
                format!(
                    "`{}` has no `source`: every price says where it was published",
                    r.instance.value
                ),
            )),
            Some(s) if s.value.trim().is_empty() => {
                out.push(Diagnostic::error(s.span, "empty `source`".to_string()))
            }
            _ => {}
        }
        match &r.as_of {
            None => out.push(Diagnostic::error(
                span,
                format!("`{}` has no `as_of` date", r.instance.value),
            )),
            Some(d) if !is_date(&d.value) => out.push(Diagnostic::error(
                d.span,
                format!("as_of date `{}` is not YYYY-MM-DD", d.value),
            )),
            _ => {}
        }
        let priced = [r.on_demand, r.spot, r.commit_1y, r.commit_3y];
        if priced.iter().flatten().any(|p| !p.is_finite() || *p < 0.0) {
            out.push(Diagnostic::error(
                span,
                format!("`{}` has a negative or non-finite price", r.instance.value),
            ));
        }
        match (&r.on_demand, &r.no_public_price) {
            (None, None) => out.push(Diagnostic::error(
                span,
                format!(
                    "`{}` has neither `on_demand` nor `no_public_price`",
                    r.instance.value
                ),
            )),
            (Some(_), Some(_)) => out.push(Diagnostic::warning(
                span,
                format!("`{}` has a price and `no_public_price`", r.instance.value),
            )),
            (None, Some(reason)) => check_text(reason, span, "no_public_price", out),
            _ => {}
        }
        if (r.commit_1y.is_some() || r.commit_3y.is_some()) && r.commit_kind.is_none() {
            out.push(Diagnostic::warning(
                span,
                format!(
                    "`{}` has commitment prices but no `commit_kind` saying what they are",
                    r.instance.value
                ),
            ));
        }
    }
    if let Some(default) = file.regions.first() {
        for f in catalog
            .families
            .iter()
            .filter(|f| f.provider == file.provider && f.kind == FamilyKind::Gpu)
        {
            let covered = file.prices.iter().any(|r| {
                r.value.family.value == f.id.value && r.value.region.value == default.id.value
            });
            if !covered {
                out.push(Diagnostic::warning(
                    at,
                    format!(
                        "GPU family `{}` has no row in {} (a price or `no_public_price`)",
                        f.id.value, default.id.value
                    ),
                ));
            }
        }
    }
}

fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 3
        && [4, 2, 2]
            .iter()
            .zip(&parts)
            .all(|(len, p)| p.len() == *len && p.chars().all(|c| c.is_ascii_digit()))
}

fn check_catalog(assets: &Assets, out: &mut Vec<Diagnostic>) {
    let catalog = assets.catalog();
    let mut seen = HashSet::new();
    for gpu in &catalog.gpus {
        check_id(&gpu.id, &mut seen, "GPU", out);
        check_source(&gpu.source, &gpu.checked, out);
        if gpu.memory_gb <= 0.0 || gpu.memory_bandwidth_gbs.is_some_and(|b| b <= 0.0) {
            out.push(Diagnostic::error(
                gpu.id.span,
                format!(
                    "GPU `{}` needs a positive memory and bandwidth",
                    gpu.id.value
                ),
            ));
        }
        if let Some(notes) = &gpu.notes {
            check_text(notes, gpu.id.span, "notes", out);
        }
    }
    let mut seen = HashSet::new();
    for family in &catalog.families {
        check_id(&family.id, &mut seen, "family", out);
        check_source(&family.source, &family.checked, out);
        check_text(&family.use_for, family.id.span, "use", out);
        if let Some(note) = &family.regions_note {
            check_text(note, family.id.span, "regions_note", out);
        }
        if let Some(cpu) = &family.cpu {
            check_text(cpu, family.id.span, "cpu", out);
            check_words_have_chinese(cpu, family.id.span, "cpu", out);
        }
        match (family.kind, &family.gpu) {
            (FamilyKind::Gpu, None) => out.push(Diagnostic::error(
                family.id.span,
                format!("GPU family `{}` names no `gpu`", family.id.value),
            )),
            (FamilyKind::Gpu, Some(gpu)) => {
                if catalog.gpu(&gpu.value).is_none() {
                    out.push(Diagnostic::error(
                        gpu.span,
                        format!(
                            "unknown GPU `{}`: no entry in `gpus` has this id",
                            gpu.value
                        ),
                    ));
                }
                if family.gpu_count.is_empty() || family.gpu_count.iter().any(|c| *c <= 0.0) {
                    out.push(Diagnostic::error(
                        family.id.span,
                        format!(
                            "GPU family `{}` needs `gpu_count`, a list of positive GPU counts per size",
                            family.id.value
                        ),
                    ));
                }
            }
            (FamilyKind::Cpu, Some(gpu)) => out.push(Diagnostic::error(
                gpu.span,
                format!("CPU family `{}` must not name a GPU", family.id.value),
            )),
            (FamilyKind::Cpu, None) => {
                if family.category.is_none() {
                    out.push(Diagnostic::error(
                        family.id.span,
                        format!(
                            "CPU family `{}` needs a `category` (general, compute, memory, ...)",
                            family.id.value
                        ),
                    ));
                }
            }
        }
    }
}

fn check_patterns(assets: &Assets, out: &mut Vec<Diagnostic>) {
    let mut seen = HashSet::new();
    for pattern in &assets.patterns().patterns {
        let span = pattern.id.span;
        check_id(&pattern.id, &mut seen, "pattern", out);
        check_text(&pattern.title, span, "title", out);
        check_text(&pattern.when, span, "when", out);
        for component in &pattern.components {
            check_text(component, span, "components", out);
        }
        if pattern.components.is_empty() {
            out.push(Diagnostic::error(
                span,
                format!("pattern `{}` lists no components", pattern.id.value),
            ));
        }
        check_words_have_chinese(&pattern.diagram.value, pattern.diagram.span, "diagram", out);
        for variant in pattern.diagram.value.variants() {
            for (n, line) in variant.lines().enumerate() {
                let width = UnicodeWidthStr::width(line);
                if width > DIAGRAM_MAX_WIDTH {
                    let at = Span::new(pattern.diagram.span.line + 1 + n as u32, 1);
                    out.push(Diagnostic::error(
                        at,
                        format!("diagram line is {width} columns wide, over {DIAGRAM_MAX_WIDTH}"),
                    ));
                }
            }
        }
    }
}

fn check_glossary(assets: &Assets, out: &mut Vec<Diagnostic>) {
    let mut seen = HashSet::new();
    for term in &assets.glossary().terms {
        check_id(&term.id, &mut seen, "term", out);
        check_text(&term.short, term.id.span, "short", out);
        check_text(&term.explain, term.id.span, "explain", out);
    }
    for term in &assets.glossary().terms {
        for see in &term.see {
            if assets.term(&see.value).is_none() {
                out.push(Diagnostic::error(
                    see.span,
                    format!("`see` names `{}`, which is not a glossary term", see.value),
                ));
            }
        }
    }
}

fn check_advice(assets: &Assets, out: &mut Vec<Diagnostic>) {
    let mut seen = HashSet::new();
    for advice in &assets.advice_list().advice {
        check_id(&advice.id, &mut seen, "advice", out);
        check_text(&advice.text, advice.id.span, "text", out);
        if let Some(applies) = &advice.applies {
            match crate::expr::parse(&applies.value)
                .and_then(|p| crate::expr::kind_of(&p, &|_| crate::expr::Kind::Unknown))
            {
                Err(message) => out.push(Diagnostic::error(
                    applies.span,
                    format!(
                        "`applies` `{}` is not a usable condition: {message}",
                        applies.value
                    ),
                )),
                Ok(crate::expr::Kind::Number | crate::expr::Kind::Str) => {
                    out.push(Diagnostic::error(
                        applies.span,
                        format!("`applies` `{}` is not true or false", applies.value),
                    ))
                }
                Ok(_) => {}
            }
        }
        match (&advice.source, &advice.checked) {
            (Some(source), Some(checked)) => check_source(source, checked, out),
            (Some(source), None) => out.push(Diagnostic::error(
                source.span,
                "a `source` needs the `checked` date beside it",
            )),
            (None, Some(checked)) => out.push(Diagnostic::error(
                checked.span,
                "a `checked` date without a `source`",
            )),
            (None, None) => {}
        }
    }
}
