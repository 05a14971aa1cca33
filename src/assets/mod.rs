//! The data results refer to: instance catalog, architecture patterns, glossary and advice.
//! Shipped copies are embedded in the binary; nothing is read from disk unless asked.

pub mod validate;

use crate::diag::Diagnostic;
use crate::text::Text;
use crate::tree::At;
use crate::tree::load::{Limits, SourceFormat, parse_json, parse_source};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, OnceLock};

/// The clouds gpuwise maps to, in the order results list them.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Deserialize,
    Serialize,
    schemars::JsonSchema,
    strum::Display,
    strum::EnumString,
    strum::EnumIter,
    strum::AsRefStr,
    strum::EnumMessage,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Provider {
    #[strum(message = "Alibaba Cloud", detailed_message = "阿里云")]
    Alibaba,
    #[strum(message = "AWS", detailed_message = "AWS")]
    Aws,
    #[strum(message = "Azure", detailed_message = "Azure")]
    Azure,
    #[strum(message = "Google Cloud", detailed_message = "谷歌云")]
    Gcp,
    #[strum(message = "Tencent Cloud", detailed_message = "腾讯云")]
    Tencent,
}

impl Provider {
    /// The name a person reads, in their language.
    pub fn name(self, lang: crate::text::Lang) -> &'static str {
        use strum::EnumMessage;
        let name = match lang {
            crate::text::Lang::En => self.get_message(),
            crate::text::Lang::Zh => self.get_detailed_message(),
        };
        name.unwrap_or("?")
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gpu {
    pub id: At<String>,
    /// The product name; a qualifier in it ("4 × GA107") may need a Chinese form.
    pub name: Text,
    pub vendor: String,
    #[serde(default)]
    pub architecture: Option<String>,
    pub memory_gb: f64,
    pub memory_type: String,
    /// Omitted where no official figure could be found (AWS's A10G, for one).
    #[serde(default)]
    pub memory_bandwidth_gbs: Option<f64>,
    #[serde(default)]
    pub fp16_tensor_tflops: Option<f64>,
    #[serde(default)]
    pub bf16_tensor_tflops: Option<f64>,
    #[serde(default)]
    pub fp64_tflops: Option<f64>,
    #[serde(default)]
    pub nvlink_gbs: Option<f64>,
    #[serde(default)]
    pub mig: u32,
    pub nvenc: bool,
    #[serde(default)]
    pub notes: Option<Text>,
    pub source: At<String>,
    pub checked: At<String>,
    pub verified: bool,
    /// What could not be confirmed, in words a person reads ("GPU model not named by Alibaba").
    /// Required when `verified` is false.
    #[serde(default)]
    pub uncertain: Option<Text>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, strum::Display)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum FamilyKind {
    Gpu,
    Cpu,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Family {
    pub id: At<String>,
    pub provider: Provider,
    pub family: String,
    pub kind: FamilyKind,
    #[serde(default)]
    pub gpu: Option<At<String>>,
    #[serde(default)]
    pub gpu_count: Vec<f64>,
    #[serde(default)]
    pub shared: bool,
    #[serde(default)]
    pub interconnect: Option<Text>,
    #[serde(default)]
    pub cpu: Option<Text>,
    #[serde(default)]
    pub vcpus: Vec<u32>,
    #[serde(default)]
    pub memory_gib: Vec<f64>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(rename = "use")]
    pub use_for: Text,
    #[serde(default)]
    pub regions_note: Option<Text>,
    pub source: At<String>,
    pub checked: At<String>,
    pub verified: bool,
    /// What could not be confirmed, in words a person reads. Required when `verified` is false.
    #[serde(default)]
    pub uncertain: Option<Text>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    pub gpus: Vec<Gpu>,
    pub families: Vec<Family>,
}

impl Family {
    /// The distinct GPU counts an instance of this family can have, smallest first.
    pub fn gpu_count_options(&self) -> Vec<f64> {
        let mut counts = self.gpu_count.clone();
        counts.sort_by(f64::total_cmp);
        counts.dedup();
        counts
    }
}

impl Catalog {
    pub fn gpu(&self, id: &str) -> Option<&Gpu> {
        self.gpus.iter().find(|g| g.id.value == id)
    }

    pub fn family(&self, id: &str) -> Option<&Family> {
        self.families.iter().find(|f| f.id.value == id)
    }

    /// The GPU of a family, if it has one the catalog knows.
    pub fn gpu_of(&self, family: &Family) -> Option<&Gpu> {
        family.gpu.as_ref().and_then(|g| self.gpu(&g.value))
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pattern {
    pub id: At<String>,
    pub title: Text,
    pub when: Text,
    pub components: Vec<Text>,
    pub diagram: At<Text>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Patterns {
    pub patterns: Vec<Pattern>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub id: At<String>,
    pub term: Text,
    pub short: Text,
    pub explain: Text,
    #[serde(default)]
    pub see: Vec<At<String>>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Glossary {
    pub terms: Vec<Term>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, strum::Display)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum AdviceKind {
    Pitfall,
    Cost,
    Storage,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Advice {
    pub id: At<String>,
    pub kind: AdviceKind,
    pub text: Text,
    /// When the advice applies (`llm`, `gpu`, `job == "training"`): a result whose walk makes
    /// this false never shows it, whoever cites it.
    #[serde(default)]
    pub applies: Option<At<crate::tree::Expr>>,
    #[serde(default)]
    pub source: Option<At<String>>,
    #[serde(default)]
    pub checked: Option<At<String>>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdviceList {
    pub advice: Vec<Advice>,
}

/// One part of the assets, parsed on first use. Embedded parts are JSON made at build time
/// (build.rs); parts read from `--assets DIR` are parsed up front so their errors show at once.
pub struct Lazy<T> {
    cell: OnceLock<T>,
    json: Embedded,
}

/// An embedded asset file: JSON, or JSON deflated by build.rs for the parts the first screen
/// does not need.
#[derive(Clone, Copy, Debug)]
pub enum Embedded {
    Json(&'static str),
    Deflated(&'static [u8]),
}

impl Embedded {
    pub fn text(self) -> std::borrow::Cow<'static, str> {
        match self {
            Embedded::Json(text) => text.into(),
            Embedded::Deflated(bytes) => {
                let raw = miniz_oxide::inflate::decompress_to_vec(bytes)
                    .expect("build.rs deflated this; tests/shipped.rs inflates it");
                String::from_utf8(raw)
                    .expect("build.rs wrote UTF-8 JSON")
                    .into()
            }
        }
    }
}

impl<T: DeserializeOwned> Lazy<T> {
    fn parsed(value: T) -> Self {
        Lazy {
            cell: OnceLock::from(value),
            json: Embedded::Json(""),
        }
    }

    fn embedded(json: Embedded) -> Self {
        Lazy {
            cell: OnceLock::new(),
            json,
        }
    }

    pub fn get(&self) -> &T {
        self.cell.get_or_init(|| {
            parse_json(&self.json.text())
                .expect("embedded assets are checked by the test suite (tests/shipped.rs)")
        })
    }
}

/// A glossary term's id and name: all a question screen shows, so the first frame does not
/// parse the whole glossary. build.rs embeds these as a small file of their own.
#[derive(Clone, Debug, Deserialize)]
pub struct TermName {
    pub id: String,
    pub term: Text,
}

/// Everything results can refer to.
pub struct Assets {
    catalog: Lazy<Catalog>,
    patterns: Lazy<Patterns>,
    glossary: Lazy<Glossary>,
    term_names: Lazy<Vec<TermName>>,
    advice: Lazy<AdviceList>,
    prices: OnceLock<crate::prices::PriceBook>,
}

impl Assets {
    /// The assets shipped inside the binary, parsed when first used.
    pub fn embedded() -> Assets {
        let [catalog, patterns, glossary, advice] = EMBEDDED.map(|(_, data)| data);
        Assets {
            catalog: Lazy::embedded(catalog),
            patterns: Lazy::embedded(patterns),
            glossary: Lazy::embedded(glossary),
            term_names: Lazy::embedded(Embedded::Json(include_str!(concat!(
                env!("OUT_DIR"),
                "/assets/glossary-names.json"
            )))),
            advice: Lazy::embedded(advice),
            prices: OnceLock::new(),
        }
    }

    /// The dated price snapshot (assets/prices/*.yaml).
    pub fn prices(&self) -> &crate::prices::PriceBook {
        self.prices.get_or_init(|| crate::prices::PriceBook {
            files: EMBEDDED_PRICES
                .iter()
                .map(|(_, data)| {
                    parse_json(&data.text())
                        .expect("embedded prices are checked by the test suite (tests/shipped.rs)")
                })
                .collect(),
        })
    }

    /// Parses every part now, on another thread, so the wizard's first result need not wait.
    pub fn warm_in_background(self: &Arc<Self>) {
        let assets = Arc::clone(self);
        std::thread::spawn(move || {
            assets.catalog();
            assets.patterns();
            assets.advice_list();
            assets.glossary();
            assets.prices();
        });
    }

    pub fn catalog(&self) -> &Catalog {
        self.catalog.get()
    }

    pub fn patterns(&self) -> &Patterns {
        self.patterns.get()
    }

    pub fn glossary(&self) -> &Glossary {
        self.glossary.get()
    }

    pub fn advice_list(&self) -> &AdviceList {
        self.advice.get()
    }

    pub fn pattern(&self, id: &str) -> Option<&Pattern> {
        self.patterns().patterns.iter().find(|p| p.id.value == id)
    }

    /// A term's name, without parsing the whole glossary.
    pub fn term_name(&self, id: &str) -> Option<&Text> {
        self.term_names
            .get()
            .iter()
            .find(|t| t.id == id)
            .map(|t| &t.term)
    }

    pub fn term(&self, id: &str) -> Option<&Term> {
        self.glossary().terms.iter().find(|t| t.id.value == id)
    }

    pub fn advice(&self, id: &str) -> Option<&Advice> {
        self.advice_list().advice.iter().find(|a| a.id.value == id)
    }
}

/// The four asset files: each one's name as shown in errors and its text, and their format.
#[derive(Clone, Copy, Debug)]
pub struct AssetSources<'a> {
    pub format: SourceFormat,
    pub catalog: (&'a str, &'a str),
    pub patterns: (&'a str, &'a str),
    pub glossary: (&'a str, &'a str),
    pub advice: (&'a str, &'a str),
    /// One file per provider: (name, text).
    pub prices: &'a [(String, String)],
}

/// The price files shipped inside the binary, one per provider.
pub const EMBEDDED_PRICES: [(&str, Embedded); 5] = [
    (
        "assets/prices/alibaba.yaml",
        Embedded::Deflated(include_bytes!(concat!(
            env!("OUT_DIR"),
            "/assets/prices/alibaba.json.deflate"
        ))),
    ),
    (
        "assets/prices/aws.yaml",
        Embedded::Deflated(include_bytes!(concat!(
            env!("OUT_DIR"),
            "/assets/prices/aws.json.deflate"
        ))),
    ),
    (
        "assets/prices/azure.yaml",
        Embedded::Deflated(include_bytes!(concat!(
            env!("OUT_DIR"),
            "/assets/prices/azure.json.deflate"
        ))),
    ),
    (
        "assets/prices/gcp.yaml",
        Embedded::Deflated(include_bytes!(concat!(
            env!("OUT_DIR"),
            "/assets/prices/gcp.json.deflate"
        ))),
    ),
    (
        "assets/prices/tencent.yaml",
        Embedded::Deflated(include_bytes!(concat!(
            env!("OUT_DIR"),
            "/assets/prices/tencent.json.deflate"
        ))),
    ),
];

/// The asset files shipped inside the binary (catalog, patterns, glossary, advice), made from
/// assets/*.yaml by build.rs, with the names errors show them by.
pub const EMBEDDED: [(&str, Embedded); 4] = [
    (
        "assets/catalog.yaml",
        Embedded::Deflated(include_bytes!(concat!(
            env!("OUT_DIR"),
            "/assets/catalog.json.deflate"
        ))),
    ),
    (
        "assets/patterns.yaml",
        Embedded::Deflated(include_bytes!(concat!(
            env!("OUT_DIR"),
            "/assets/patterns.json.deflate"
        ))),
    ),
    (
        "assets/glossary.yaml",
        Embedded::Json(include_str!(concat!(
            env!("OUT_DIR"),
            "/assets/glossary.json"
        ))),
    ),
    (
        "assets/advice.yaml",
        Embedded::Deflated(include_bytes!(concat!(
            env!("OUT_DIR"),
            "/assets/advice.json.deflate"
        ))),
    ),
];

/// A failure to parse one asset file.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {}", diagnostic.message)]
pub struct AssetError {
    pub file: String,
    pub source_text: String,
    pub diagnostic: Diagnostic,
}

impl AssetSources<'_> {
    /// Parses all four files now; the first that does not parse is the error.
    pub fn parse(&self) -> Result<Assets, AssetError> {
        let limits = Limits::default();
        let format = self.format;
        fn one<T: DeserializeOwned>(
            (file, text): (&str, &str),
            format: SourceFormat,
            limits: &Limits,
        ) -> Result<Lazy<T>, AssetError> {
            parse_source(text, format, limits)
                .map(Lazy::parsed)
                .map_err(|diagnostic| AssetError {
                    file: file.to_string(),
                    source_text: text.to_string(),
                    diagnostic,
                })
        }
        let glossary: Lazy<Glossary> = one(self.glossary, format, &limits)?;
        let names = glossary
            .get()
            .terms
            .iter()
            .map(|t| TermName {
                id: t.id.value.clone(),
                term: t.term.clone(),
            })
            .collect();
        let mut files = Vec::new();
        for (file, text) in self.prices {
            files.push(
                parse_source(text, format, &limits).map_err(|diagnostic| AssetError {
                    file: file.clone(),
                    source_text: text.clone(),
                    diagnostic,
                })?,
            );
        }
        Ok(Assets {
            catalog: one(self.catalog, format, &limits)?,
            patterns: one(self.patterns, format, &limits)?,
            glossary,
            term_names: Lazy::parsed(names),
            advice: one(self.advice, format, &limits)?,
            prices: OnceLock::from(crate::prices::PriceBook { files }),
        })
    }
}
