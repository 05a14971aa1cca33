//! Dated prices per instance size (assets/prices/*.yaml) and the cost of a person's job.
//!
//! Every figure is as published, in its published currency (USD or CNY), with its region, source
//! and date; nothing is converted, estimated or filled in. A size without a public price says
//! so and links the provider's price page.

use crate::assets::{Family, Provider};
use crate::text::{Lang, Text};
use crate::tree::At;
use serde::{Deserialize, Serialize};

/// A currency as published. Prices are never converted between them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
pub enum Currency {
    #[serde(rename = "USD")]
    Usd,
    #[serde(rename = "CNY")]
    Cny,
}

impl Currency {
    pub fn code(self) -> &'static str {
        match self {
            Currency::Usd => "USD",
            Currency::Cny => "CNY",
        }
    }

    /// "$1.01" or "¥7.50".
    /// Money as people write it: whole units from 100 up, grouped by thousands ($7,400);
    /// cents below ($3.60); three decimals under one unit ($0.526).
    pub fn amount(self, value: f64) -> String {
        let number = if value.abs() >= 100.0 {
            crate::vars::group_thousands(&format!("{:.0}", value), 4)
        } else if value.abs() >= 1.0 {
            format!("{value:.2}")
        } else {
            let text = format!("{value:.3}");
            text.trim_end_matches('0').trim_end_matches('.').to_string()
        };
        match self {
            Currency::Usd => format!("${number}"),
            Currency::Cny => format!("¥{number}"),
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceFile {
    pub provider: Provider,
    /// The provider's public price page, linked where a size has no price.
    pub price_page: At<String>,
    #[serde(default)]
    pub price_page_zh: Option<String>,
    /// The regions priced; the first is the default.
    pub regions: Vec<RegionInfo>,
    pub prices: Vec<At<PriceRow>>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionInfo {
    pub id: At<String>,
    pub name: Text,
    pub currency: Currency,
}

/// One instance size in one region.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceRow {
    /// The catalog family id (assets/catalog.yaml).
    pub family: At<String>,
    /// The size as the provider writes it (`g5.xlarge`).
    pub instance: At<String>,
    #[serde(default)]
    pub gpus: Option<f64>,
    #[serde(default)]
    pub vcpus: Option<u32>,
    #[serde(default)]
    pub memory_gib: Option<f64>,
    pub region: At<String>,
    pub currency: Option<Currency>,
    /// Per hour, in `currency`.
    #[serde(default)]
    pub on_demand: Option<f64>,
    #[serde(default)]
    pub spot: Option<f64>,
    #[serde(default)]
    pub commit_1y: Option<f64>,
    #[serde(default)]
    pub commit_3y: Option<f64>,
    #[serde(default)]
    pub commit_kind: Option<String>,
    pub source: Option<At<String>>,
    pub as_of: Option<At<String>>,
    #[serde(default)]
    pub commit_source: Option<String>,
    #[serde(default)]
    pub commit_as_of: Option<String>,
    #[serde(default)]
    pub spot_source: Option<String>,
    #[serde(default)]
    pub spot_as_of: Option<String>,
    /// Why no price is given, where none is published.
    #[serde(default)]
    pub no_public_price: Option<Text>,
}

/// All price files.
#[derive(Clone, Debug, Default)]
pub struct PriceBook {
    pub files: Vec<PriceFile>,
}

/// Prices older than this many days are marked stale.
pub const STALE_AFTER_DAYS: i64 = 365;

/// Re-runs a spot job needs after interruptions, as a share of its hours: an assumption,
/// stated wherever it is used (checkpoints every hour or so lose little more).
pub const SPOT_RERUN_OVERHEAD: f64 = 0.15;

/// Hours in a month of 24x7 use (8,760 / 12).
pub const HOURS_24X7: f64 = 730.0;

impl PriceBook {
    pub fn file(&self, provider: Provider) -> Option<&PriceFile> {
        self.files.iter().find(|f| f.provider == provider)
    }

    /// The default region of a provider: the first its file lists.
    pub fn default_region(&self, provider: Provider) -> Option<&RegionInfo> {
        self.file(provider).and_then(|f| f.regions.first())
    }

    pub fn region(&self, provider: Provider, id: &str) -> Option<&RegionInfo> {
        self.file(provider)
            .and_then(|f| f.regions.iter().find(|r| r.id.value == id))
    }

    /// Every row of a family in a region.
    pub fn rows<'a>(
        &'a self,
        family: &'a str,
        provider: Provider,
        region: &'a str,
    ) -> impl Iterator<Item = &'a PriceRow> + 'a {
        self.file(provider)
            .into_iter()
            .flat_map(|f| f.prices.iter())
            .map(|r| &r.value)
            .filter(move |r| r.family.value == family && r.region.value == region)
    }
}

/// The region picked per provider: `--region aws=us-east-1` or a region id that one provider
/// uses (`--region eastus`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Regions {
    pub picked: Vec<(Provider, String)>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RegionError {
    #[error("unknown provider `{0}`; providers: alibaba, aws, azure, gcp, tencent")]
    Provider(String),
    #[error("`{region}` is not a priced region{}; priced regions: {valid}", provider.map(|p| format!(" of {p}")).unwrap_or_default())]
    Region {
        region: String,
        provider: Option<Provider>,
        valid: String,
    },
}

impl Regions {
    pub fn parse(values: &[String], book: &PriceBook) -> Result<Regions, RegionError> {
        let valid = |provider: Option<Provider>| {
            book.files
                .iter()
                .filter(|f| provider.is_none_or(|p| p == f.provider))
                .flat_map(|f| {
                    f.regions
                        .iter()
                        .map(move |r| format!("{}={}", f.provider, r.id.value))
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut picked = Vec::new();
        for value in values {
            match value.split_once('=') {
                Some((p, region)) => {
                    let provider: Provider = p
                        .trim()
                        .parse()
                        .map_err(|_| RegionError::Provider(p.to_string()))?;
                    if book.region(provider, region.trim()).is_none() {
                        return Err(RegionError::Region {
                            region: region.to_string(),
                            provider: Some(provider),
                            valid: valid(Some(provider)),
                        });
                    }
                    picked.push((provider, region.trim().to_string()));
                }
                None => {
                    let owners: Vec<Provider> = book
                        .files
                        .iter()
                        .filter(|f| f.regions.iter().any(|r| r.id.value == value.trim()))
                        .map(|f| f.provider)
                        .collect();
                    if owners.is_empty() {
                        return Err(RegionError::Region {
                            region: value.clone(),
                            provider: None,
                            valid: valid(None),
                        });
                    }
                    picked.extend(owners.into_iter().map(|p| (p, value.trim().to_string())));
                }
            }
        }
        Ok(Regions { picked })
    }

    /// The next set of regions for the wizard's region key: each provider that prices more
    /// than one region moves to its next one (so mainland and international prices alternate).
    pub fn next(&self, book: &PriceBook) -> Regions {
        let mut picked = Vec::new();
        for file in &book.files {
            let current = self
                .for_provider(file.provider, book)
                .map(|r| r.id.value.clone());
            let at = file
                .regions
                .iter()
                .position(|r| Some(&r.id.value) == current.as_ref())
                .unwrap_or(0);
            if let Some(next) = file.regions.get((at + 1) % file.regions.len().max(1)) {
                picked.push((file.provider, next.id.value.clone()));
            }
        }
        Regions { picked }
    }

    /// The regions in use, for a status line: "Alibaba Cloud: China (Hangzhou), ...".
    pub fn describe(&self, book: &PriceBook, lang: crate::text::Lang) -> String {
        book.files
            .iter()
            .filter_map(|f| {
                let region = self.for_provider(f.provider, book)?;
                Some(format!(
                    "{}: {}",
                    f.provider.name(lang),
                    region.name.get(lang)
                ))
            })
            .collect::<Vec<_>>()
            .join(lang.comma())
    }

    /// The region for `provider`: the one picked, else the provider's default.
    pub fn for_provider<'a>(
        &self,
        provider: Provider,
        book: &'a PriceBook,
    ) -> Option<&'a RegionInfo> {
        match self.picked.iter().rev().find(|(p, _)| *p == provider) {
            Some((_, id)) => book.region(provider, id),
            None => book.default_region(provider),
        }
    }
}

/// Dense BF16 tensor TFLOPS of an A100, the GPU a job's `a100_hours` are counted on.
pub const A100_TFLOPS: f64 = 312.0;

/// How long the job runs, as the result states it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Usage {
    /// A one-off job running this many wall-clock hours (training to a deadline).
    Job {
        hours: f64,
        /// The job's work in A100-hours: with it each size's hours follow its own GPUs.
        #[serde(skip_serializing_if = "Option::is_none")]
        a100_hours: Option<f64>,
        /// The wall-clock hours the person has for the job.
        #[serde(skip_serializing_if = "Option::is_none")]
        deadline_hours: Option<f64>,
    },
    /// Steady work: this many hours a month.
    Monthly { hours: f64 },
}

impl Usage {
    /// A job of fixed wall-clock hours on every size.
    pub fn job(hours: f64) -> Self {
        Usage::Job {
            hours,
            a100_hours: None,
            deadline_hours: None,
        }
    }
}

/// What one size needs to hold: GPUs, or vCPUs and memory for CPU families.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SizeNeed {
    pub gpus: f64,
    pub vcpus: u32,
    pub memory_gib: f64,
    /// Servers side by side (several for a multi-node job).
    pub servers: u64,
    /// Dense BF16 (or FP16) tensor TFLOPS of the family's GPU, when published.
    pub gpu_tflops: Option<f64>,
}

/// One provider's price for the recommended size, and what the job costs there.
#[derive(Clone, Debug, Serialize)]
pub struct CostRow {
    pub provider: Provider,
    pub provider_name: String,
    pub family: String,
    /// The size picked: the smallest with enough GPUs, then the cheapest on demand.
    pub instance: Option<String>,
    pub gpus: Option<f64>,
    pub region: String,
    pub region_name: String,
    pub currency: Option<Currency>,
    pub on_demand: Option<f64>,
    pub spot: Option<f64>,
    pub commit_1y: Option<f64>,
    pub commit_3y: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit_kind: Option<String>,
    pub per_gpu_hour: Option<f64>,
    /// Instances needed side by side (several servers for a multi-node job).
    pub instances: u64,
    /// The job's cost: one-off total, or per month.
    pub job: Option<JobCost>,
    /// Share of the month above which the 1-year commitment costs less than on demand.
    pub break_even_1y: Option<f64>,
    pub source: Option<String>,
    pub as_of: Option<String>,
    pub stale: bool,
    /// Why there is no price, and where to look instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_price: Option<String>,
    pub price_page: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct JobCost {
    /// Hours each instance runs (job: the job's wall-clock hours; monthly: hours a month).
    pub hours: f64,
    /// Whether `hours` were worked out from this size's GPUs (the job's A100-hours over their
    /// speed), rather than taken as given.
    pub from_gpu_speed: bool,
    /// Whether the job runs past the hours the person gave for it on this size.
    pub past_deadline: bool,
    pub on_demand: Option<f64>,
    /// Spot with the re-run overhead added (jobs) or as is (monthly).
    pub spot: Option<f64>,
    pub commit_1y: Option<f64>,
    pub commit_3y: Option<f64>,
}

/// The cost section of a result.
#[derive(Clone, Debug, Serialize)]
pub struct CostView {
    pub usage: Option<Usage>,
    /// The assumptions behind the figures, in words.
    pub assumptions: Vec<String>,
    /// Cheapest job first (within each currency), then sizes without a price.
    pub rows: Vec<CostRow>,
}

/// Days from 1970-01-01 of a `YYYY-MM-DD` date.
pub fn days_of(date: &str) -> Option<i64> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(date.trim(), format).ok()?;
    Some(i64::from(date.to_julian_day()) - 2_440_588)
}

/// Today, in days from 1970-01-01.
pub fn today() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| (d.as_secs() / 86_400) as i64)
        .unwrap_or(0)
}

/// Whether a price dated `as_of` is older than [`STALE_AFTER_DAYS`] on `today`.
pub fn is_stale(as_of: Option<&str>, today: i64) -> bool {
    as_of
        .and_then(days_of)
        .is_some_and(|d| today - d > STALE_AFTER_DAYS)
}

/// What a family's recommended size costs in its provider's region.
#[allow(clippy::too_many_arguments)]
pub fn cost_row(
    family: &Family,
    need: SizeNeed,
    usage: Option<&Usage>,
    book: &PriceBook,
    regions: &Regions,
    today: i64,
    lang: Lang,
) -> CostRow {
    let provider = family.provider;
    let file = book.file(provider);
    let price_page = file.map(|f| match (lang, &f.price_page_zh) {
        (Lang::Zh, Some(zh)) => zh.clone(),
        _ => f.price_page.value.clone(),
    });
    let region = regions.for_provider(provider, book);
    let region_id = region.map(|r| r.id.value.clone()).unwrap_or_default();
    let mut candidates: Vec<&PriceRow> = book
        .rows(&family.id.value, provider, &region_id)
        .filter(|r| r.gpus.unwrap_or(0.0) >= need.gpus - 1e-9)
        .filter(|r| r.vcpus.unwrap_or(u32::MAX) >= need.vcpus)
        .filter(|r| r.memory_gib.unwrap_or(f64::MAX) >= need.memory_gib - 1e-9)
        .collect();
    // The smallest size that holds the GPUs, then the cheapest; priced sizes first. CPU sizes
    // with enough vCPUs and memory go cheapest first, so memory can pick a bigger one.
    candidates.sort_by(|a, b| {
        a.gpus
            .unwrap_or(0.0)
            .total_cmp(&b.gpus.unwrap_or(0.0))
            .then(a.on_demand.is_none().cmp(&b.on_demand.is_none()))
            .then(
                a.on_demand
                    .unwrap_or(f64::MAX)
                    .total_cmp(&b.on_demand.unwrap_or(f64::MAX)),
            )
            .then(a.vcpus.cmp(&b.vcpus))
    });
    let row = candidates.first().copied();
    let mut out = CostRow {
        provider,
        provider_name: provider.name(lang).to_string(),
        family: family.family.clone(),
        instance: row.map(|r| r.instance.value.clone()),
        gpus: row.and_then(|r| r.gpus),
        region: region_id.clone(),
        region_name: region
            .map(|r| r.name.get(lang).to_string())
            .unwrap_or_default(),
        currency: row.and_then(|r| r.currency),
        on_demand: row.and_then(|r| r.on_demand),
        spot: row.and_then(|r| r.spot),
        commit_1y: row.and_then(|r| r.commit_1y),
        commit_3y: row.and_then(|r| r.commit_3y),
        commit_kind: row.and_then(|r| r.commit_kind.clone()),
        per_gpu_hour: None,
        instances: need.servers.max(1),
        job: None,
        break_even_1y: None,
        source: row.and_then(|r| r.source.as_ref().map(|s| s.value.clone())),
        as_of: row.and_then(|r| r.as_of.as_ref().map(|s| s.value.clone())),
        stale: false,
        no_price: None,
        price_page,
    };
    out.stale = is_stale(out.as_of.as_deref(), today);
    if let (Some(price), Some(g)) = (out.on_demand, out.gpus)
        && g > 0.0
    {
        out.per_gpu_hour = Some(price / g);
    }
    if out.on_demand.is_none() {
        out.no_price = Some(match (row, row.and_then(|r| r.no_public_price.as_ref())) {
            (_, Some(reason)) => reason.get(lang).to_string(),
            (Some(_), None) => match lang {
                Lang::En => "no public price for this size".to_string(),
                Lang::Zh => "该规格无公开价格".to_string(),
            },
            (None, _) => no_size(family, &need, &region_id, lang),
        });
        return out;
    }
    let instances = out.instances as f64;
    out.break_even_1y = match (out.commit_1y, out.on_demand) {
        (Some(c), Some(o)) if o > 0.0 => Some((c / o).min(1.0)),
        _ => None,
    };
    out.job = usage.map(|usage| {
        let (hours, spot_factor, from_gpu_speed, past_deadline) = match usage {
            Usage::Job {
                hours,
                a100_hours,
                deadline_hours,
            } => {
                // The job's work spread over every GPU rented, at this GPU's speed.
                let rented = out.gpus.unwrap_or(0.0) * instances;
                let scaled = a100_hours
                    .filter(|w| *w > 0.0)
                    .zip(need.gpu_tflops.filter(|t| *t > 0.0))
                    .filter(|_| rented > 0.0)
                    .map(|(work, tflops)| (work * A100_TFLOPS / (tflops * rented)).max(1.0));
                let h = scaled.unwrap_or(*hours);
                let late = deadline_hours.is_some_and(|d| d > 0.0 && h > d + 1e-6);
                (h, 1.0 + SPOT_RERUN_OVERHEAD, scaled.is_some(), late)
            }
            Usage::Monthly { hours } => (*hours, 1.0, false, false),
        };
        let total = |p: Option<f64>| p.map(|p| p * hours * instances);
        JobCost {
            hours,
            from_gpu_speed,
            past_deadline,
            on_demand: total(out.on_demand),
            spot: total(out.spot).map(|s| s * spot_factor),
            commit_1y: total(out.commit_1y),
            commit_3y: total(out.commit_3y),
        }
    });
    out
}

/// Why no size fits: the GPUs, or the vCPUs and memory, that none of the family's priced sizes
/// in the region holds.
fn no_size(family: &Family, need: &SizeNeed, region_id: &str, lang: Lang) -> String {
    let decimals = crate::vars::format_decimals;
    let what = match (family.gpu.is_some(), lang) {
        (true, Lang::En) => format!("{} GPU(s)", decimals(need.gpus, 2)),
        (true, Lang::Zh) => format!("{} 卡", decimals(need.gpus, 2)),
        (false, Lang::En) if need.memory_gib > 0.0 => format!(
            "{} vCPUs and {} GiB",
            need.vcpus,
            decimals(need.memory_gib, 0)
        ),
        (false, Lang::Zh) if need.memory_gib > 0.0 => format!(
            "{} vCPU、{} GiB 内存",
            need.vcpus,
            decimals(need.memory_gib, 0)
        ),
        (false, Lang::En) => format!("{} vCPUs", need.vcpus),
        (false, Lang::Zh) => format!("{} vCPU", need.vcpus),
    };
    match lang {
        Lang::En => format!(
            "no priced size with {what} in {}",
            if region_id.is_empty() {
                "any region"
            } else {
                region_id
            }
        ),
        Lang::Zh => format!(
            "{}无 {what}的已定价规格",
            if region_id.is_empty() {
                "任何地域".to_string()
            } else {
                format!("{region_id} ")
            }
        ),
    }
}

/// Sorts rows: priced ones by the job's on-demand cost (or the hourly price), USD before CNY
/// since the two are never compared; unpriced ones last.
pub fn sort_rows(rows: &mut [CostRow]) {
    let key = |r: &CostRow| {
        r.job
            .as_ref()
            .and_then(|j| j.on_demand)
            .or(r.on_demand)
            .unwrap_or(f64::MAX)
    };
    rows.sort_by(|a, b| {
        a.on_demand
            .is_none()
            .cmp(&b.on_demand.is_none())
            .then(a.currency.cmp(&b.currency))
            .then(key(a).total_cmp(&key(b)))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_staleness() {
        assert_eq!(days_of("1970-01-02"), Some(1));
        assert_eq!(days_of("2026-13-01"), None);
        let today = days_of("2026-12-01").unwrap();
        assert!(is_stale(Some("2024-12-31"), today));
        assert!(!is_stale(Some("2026-10-14"), today));
        assert!(!is_stale(None, today));
    }

    #[test]
    fn amounts_read_well() {
        assert_eq!(Currency::Usd.amount(1.006), "$1.01");
        assert_eq!(Currency::Usd.amount(3.6), "$3.60");
        assert_eq!(Currency::Usd.amount(0.526), "$0.526");
        assert_eq!(Currency::Usd.amount(0.5), "$0.5");
        assert_eq!(Currency::Usd.amount(7400.2), "$7,400");
        assert_eq!(Currency::Usd.amount(641.159), "$641");
        assert_eq!(Currency::Cny.amount(12_345.6), "¥12,346");
        assert_eq!(Currency::Usd.amount(1_234_567.0), "$1,234,567");
    }
}
