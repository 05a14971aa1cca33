//! Variables as a person reads them: "GPU memory needed: 249.6 GB", never `vram_gb = 249.6`.
//! Only variables a tree declares are ever shown; the rest are internal.

use crate::text::Lang;
#[cfg(test)]
use crate::text::Text;
use crate::tree::{Scalar, Tree, VarDecl};

/// A number with `decimals` places, trailing zeros dropped; a value too small for them keeps
/// two significant digits (0.026 with 1 decimal stays 0.026, not 0).
pub fn format_decimals(value: f64, decimals: u8) -> String {
    if !value.is_finite() {
        return "-".to_string();
    }
    let mut places = decimals as i32;
    if value != 0.0 {
        let magnitude = value.abs().log10().floor() as i32; // 0.026 -> -2
        let significant = 1 - magnitude; // places for 2 significant digits
        if significant > places {
            places = significant.min(12);
        }
    }
    let text = format!("{value:.prec$}", prec = places.max(0) as usize);
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    group_thousands(&text, 5)
}

/// A count or figure with up to 2 decimals (0.25 GPUs, 8 GPUs).
pub fn format_decimals_default(value: f64) -> String {
    format_decimals(value, 2)
}

/// 1234567.5 -> 1,234,567.5: long numbers read at a glance. A whole part of fewer than
/// `min_digits` digits is left as it is (figures group from 5 digits, money from 4: $7,400).
pub fn group_thousands(text: &str, min_digits: usize) -> String {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", text),
    };
    let (int, frac) = match rest.find('.') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if int.len() < min_digits {
        return text.to_string();
    }
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}{frac}")
}

/// A variable's value in words: a number with its decimals, a yes/no, or the word for a value.
pub fn format_value(decl: Option<&VarDecl>, value: &Scalar, lang: Lang) -> String {
    let word = |key: &str| decl.and_then(|d| d.values.get(key)).map(|t| t.get(lang));
    match value {
        Scalar::Number(n) => format_decimals(*n, decl.and_then(|d| d.decimals).unwrap_or(1)),
        Scalar::Bool(b) => {
            let key = if *b { "true" } else { "false" };
            word(key).map(str::to_string).unwrap_or_else(|| {
                match (b, lang) {
                    (true, Lang::En) => "yes",
                    (false, Lang::En) => "no",
                    (true, Lang::Zh) => "是",
                    (false, Lang::Zh) => "否",
                }
                .to_string()
            })
        }
        Scalar::Str(s) => word(s).map(str::to_string).unwrap_or_else(|| s.clone()),
    }
}

/// The value with its unit: "249.6 GB", "4 GPUs".
pub fn with_unit(decl: &VarDecl, value: &Scalar, lang: Lang) -> String {
    let shown = format_value(Some(decl), value, lang);
    match (&decl.unit, value) {
        (Some(unit), Scalar::Number(n)) => {
            // "1 server", not "1 servers", where the tree gives the singular.
            let unit = match &decl.unit_one {
                Some(one) if shown == "1" || *n == 1.0 => one.get(lang),
                _ => unit.get(lang),
            };
            if unit.is_empty() {
                shown
            } else if unit == "%" {
                format!("{shown}{unit}")
            } else {
                // Chinese as English: a space between the number and its unit ("720 小时"),
                // as the texts around it write it.
                format!("{shown} {unit}")
            }
        }
        _ => shown,
    }
}

/// "GPU memory needed: 249.6 GB" (or with a full-width colon in Chinese).
pub fn labelled(decl: &VarDecl, value: &Scalar, lang: Lang) -> String {
    let colon = lang.colon();
    format!(
        "{}{colon}{}",
        decl.label.get(lang),
        with_unit(decl, value, lang)
    )
}

/// The declaration of `name` in `tree`, if the tree declares it.
pub fn decl<'t>(tree: &'t Tree, name: &str) -> Option<&'t VarDecl> {
    tree.variables.get(name).map(|d| &d.value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_values_keep_their_digits() {
        assert_eq!(format_decimals(0.026, 1), "0.026");
        assert_eq!(format_decimals(0.066, 1), "0.066");
        assert_eq!(format_decimals(249.6, 1), "249.6");
        assert_eq!(format_decimals(4.0, 1), "4");
        assert_eq!(format_decimals(16.04, 1), "16");
        assert_eq!(format_decimals(7.25, 2), "7.25");
        assert_eq!(format_decimals(0.0, 1), "0");
        assert_eq!(format_decimals(1_234_567.0, 0), "1,234,567");
        assert_eq!(format_decimals(4096.0, 0), "4096");
        assert_eq!(format_decimals(-0.5, 0), "-0.5");
    }

    #[test]
    fn labels_read_as_words() {
        let decl = VarDecl {
            label: Text::Localized {
                en: "GPU memory needed".into(),
                zh: Some("所需显存".into()),
            },
            unit: Some(Text::Plain("GB".into())),
            unit_one: None,
            decimals: Some(1),
            values: Default::default(),
        };
        assert_eq!(
            labelled(&decl, &Scalar::Number(249.6), Lang::En),
            "GPU memory needed: 249.6 GB"
        );
        let servers = VarDecl {
            label: Text::Plain("Servers".into()),
            unit: Some(Text::Plain("servers".into())),
            unit_one: Some(Text::Plain("server".into())),
            decimals: Some(0),
            values: Default::default(),
        };
        assert_eq!(
            with_unit(&servers, &Scalar::Number(1.0), Lang::En),
            "1 server"
        );
        assert_eq!(
            with_unit(&servers, &Scalar::Number(3.0), Lang::En),
            "3 servers"
        );
        assert_eq!(
            labelled(&decl, &Scalar::Number(249.6), Lang::Zh),
            "所需显存：249.6 GB"
        );
    }
}
