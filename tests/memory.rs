//! The memory section counts GPUs as deployments do: per server what the result's families
//! offer (4 on a GB200 VM, 16 on a2-megagpu, else 1/2/4/8), whole servers only for multi-node
//! results, and needs beyond any provider's scale are said to be so instead of sized.

use gpuwise::assets::Assets;
use gpuwise::recommend::{MAX_GPUS, memory_fits};
use gpuwise::text::Lang;

fn fits(
    gb: f64,
    gpus: &[&str],
    families: &[&str],
    multi_node: bool,
) -> gpuwise::recommend::MemoryNeed {
    let assets = Assets::embedded();
    let catalog = assets.catalog();
    let families: Vec<_> = families
        .iter()
        .map(|id| catalog.family(id).expect(id))
        .collect();
    let gpus: Vec<String> = gpus.iter().map(|g| g.to_string()).collect();
    memory_fits(
        "vram_gb",
        String::new(),
        gb,
        &gpus,
        &families,
        multi_node,
        catalog,
        Lang::En,
    )
}

#[test]
fn gb200_servers_hold_four_gpus() {
    let m = fits(7680.0, &["gb200"], &["azure-nd-gb200-v6"], true);
    let fit = &m.fits[0];
    assert_eq!((fit.count, fit.servers), (44, 11));
    let line = gpuwise::format::fit_line(fit, Lang::En);
    assert!(line.contains("44 GPUs (11 servers of 4)"), "{line}");
    assert!(line.contains("Azure ND_GB200_v6"), "{line}");
    // One VM holds four: 500 GB fits one server only if multi-node is not needed.
    let m = fits(500.0, &["gb200"], &["azure-nd-gb200-v6"], false);
    assert_eq!((m.fits[0].count, m.fits[0].servers), (4, 1));
    let m = fits(1000.0, &["gb200"], &["azure-nd-gb200-v6"], false);
    assert!(m.fits.is_empty() && !m.too_small.is_empty());
}

#[test]
fn a2_megagpu_offers_sixteen_in_one_server() {
    // 600 GB on 40 GB A100s: 15 GPUs, so the 16-GPU a2-megagpu holds it in one server.
    let m = fits(600.0, &["a100-40"], &["gcp-a2-megagpu"], false);
    let fit = &m.fits[0];
    assert_eq!((fit.count, fit.servers), (16, 1));
    assert!(gpuwise::format::fit_line(fit, Lang::En).contains("16 GPUs in one server"));
}

#[test]
fn counts_are_powers_of_two_not_plain_division() {
    // 200 GB on 80 GB GPUs is 3 by division; tensor parallelism takes 4.
    let m = fits(200.0, &["a100-80"], &["aws-p4de"], false);
    assert_eq!(m.fits[0].count, 4);
    assert_eq!(m.fits[0].families, vec!["AWS p4de"], "p4de's 8 GPUs hold 4");
    let m = fits(200.0, &["a100-80"], &[], false);
    assert_eq!(m.fits[0].count, 4);
}

#[test]
fn needs_beyond_any_provider_are_said_to_be_so() {
    let m = fits(251_658_244_800.0, &["h200"], &["aws-p5en"], true);
    assert!(m.fits.is_empty());
    let text = m.out_of_scale.expect("out of scale");
    assert!(text.contains("beyond any provider's scale"), "{text}");
    assert!(text.contains("100,000"), "{text}");
    const { assert!(MAX_GPUS >= 10_000.0) };
    let m = fits(f64::INFINITY, &["h200"], &["aws-p5en"], true);
    assert!(m.out_of_scale.is_some());
}
