//! The catalog facts the content audit fixed or added, each pinned so a later edit cannot
//! quietly undo it. Sources and dates are in assets/catalog.yaml and docs/sources.md.

use gpuwise::assets::Assets;

fn assets() -> Assets {
    Assets::embedded()
}

#[test]
fn fixed_gpu_facts() {
    let a = assets();
    let c = a.catalog();
    let gpu = |id: &str| c.gpu(id).unwrap_or_else(|| panic!("GPU {id}"));
    // A10: FP64 is 1/64 of FP32 (31.2 / 64 = 0.49 TFLOPS).
    assert_eq!(gpu("a10").fp64_tflops, Some(0.49));
    // A100 80GB PCIe: a two-card NVLink bridge, 600 GB/s.
    assert_eq!(gpu("a100-80-pcie").nvlink_gbs, Some(600.0));
    // H200: the smallest MIG slice is 1g.18gb.
    let h200 = gpu("h200");
    assert_eq!(h200.mig, 7);
    let notes = h200.notes.as_ref().unwrap().get(gpuwise::text::Lang::En);
    assert!(
        notes.contains("1g.18gb (18 GB)") && !notes.contains("16.5"),
        "{notes}"
    );
    // The PCIe V100 of Azure NCv3 has no NVLink, unlike the SXM2 part.
    assert_eq!(gpu("v100-16-pcie").nvlink_gbs, Some(0.0));
    assert_eq!(gpu("v100-16").nvlink_gbs, Some(300.0));
    // Blackwell.
    assert_eq!(gpu("b200").memory_gb, 180.0);
    assert!(c.gpu("gb200").is_some());
}

#[test]
fn fixed_family_facts() {
    let a = assets();
    let c = a.catalog();
    let family = |id: &str| c.family(id).unwrap_or_else(|| panic!("family {id}"));
    let interconnect = |id: &str| {
        family(id)
            .interconnect
            .as_ref()
            .map(|t| t.get(gpuwise::text::Lang::En).to_string())
            .unwrap_or_default()
    };
    // Microsoft: "NVIDIA NVLink Interconnect: Supported".
    for id in ["azure-nc-a100-v4", "azure-ncads-h100-v5"] {
        assert!(interconnect(id).starts_with("NVLink supported"), "{id}");
    }
    // NCv3 is the PCIe V100, not the SXM2 one.
    assert_eq!(
        family("azure-ncv3").gpu.as_ref().unwrap().value,
        "v100-16-pcie"
    );
    assert!(interconnect("azure-ncv3").contains("no NVLink"));
    // Tencent GN7's 1/4 and 1/2 sizes are vGPU.
    let gn7 = family("tencent-gn7");
    assert!(gn7.shared);
    assert!(gn7.gpu_count.iter().any(|n| *n < 1.0));
    // GB200 VMs hold 4 GPUs; a2-megagpu 16.
    assert_eq!(family("azure-nd-gb200-v6").gpu_count, vec![4.0]);
    assert_eq!(family("gcp-a2-megagpu").gpu_count, vec![16.0]);
}

#[test]
fn families_users_expect_exist_and_checkable_ones_are_verified() {
    let a = assets();
    let c = a.catalog();
    for id in [
        "aws-p6-b200",
        "gcp-a4-highgpu",
        "azure-nd-gb200-v6",
        "gcp-a2-megagpu",
        "tencent-hccpnv4h",
        "tencent-hccg5v",
    ] {
        assert!(c.family(id).is_some(), "{id} is in the catalog");
    }
    // Verifiable from the providers' own spec pages.
    for id in [
        "tencent-gn10x",
        "tencent-gn10xp",
        "alibaba-gn6v",
        "alibaba-gn6e",
        "alibaba-gn8is",
        "alibaba-gn9gc",
        "alibaba-gn8v",
        "alibaba-ebmgn7e",
        // Against the Compute Engine API's machine types and Google's own code.
        "gcp-g2",
        "gcp-a2-megagpu",
        "gcp-a3-highgpu",
        "gcp-a4-highgpu",
        "gcp-c3",
        "gcp-m3",
    ] {
        let f = c.family(id).unwrap_or_else(|| panic!("{id}"));
        assert!(f.verified, "{id} is verified");
    }
    // G2: one L4 on g2-standard-4 to -32 except -24 (two), four on -48, eight on -96;
    // 4 GB of memory per vCPU.
    let g2 = c.family("gcp-g2").unwrap();
    assert_eq!(g2.gpu_count, vec![1.0, 1.0, 1.0, 1.0, 2.0, 1.0, 4.0, 8.0]);
    assert_eq!(g2.vcpus, vec![4, 8, 12, 16, 24, 32, 48, 96]);
    assert!(
        g2.vcpus
            .iter()
            .zip(&g2.memory_gib)
            .all(|(v, m)| *m == f64::from(*v) * 4.0)
    );
    // What is not verified says what is uncertain.
    for f in &c.families {
        if !f.verified {
            assert!(
                f.uncertain.is_some(),
                "{} says what is uncertain",
                f.id.value
            );
        }
    }
}

#[test]
fn inferentia_and_trainium_are_named_as_non_gpu_alternatives() {
    let advice =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/advice.yaml"))
            .unwrap();
    assert!(
        advice.contains("Inferentia") && advice.contains("inf2"),
        "inf2 in the advice"
    );
    assert!(
        advice.contains("Trainium") && advice.contains("trn1"),
        "trn1 in the advice"
    );
}
