//! The cost of the person's job, from a fixed price sample: exact figures for a training job,
//! 24x7 serving and bursty use, the break-even of a commitment, stale marking, and the shapes
//! of `gpuwise prices` CSV and JSON.

mod common;

use gpuwise::assets::{AssetSources, Assets};
use gpuwise::prices::{Regions, SizeNeed, Usage, cost_row};
use gpuwise::text::Lang;

fn sample() -> Assets {
    let prices = vec![(
        "fixtures/prices-sample/aws.yaml".to_string(),
        include_str!("fixtures/prices-sample/aws.yaml").to_string(),
    )];
    AssetSources {
        prices: &prices,
        ..common::FIXTURE_ASSETS
    }
    .parse()
    .expect("the sample parses")
}

fn row(
    assets: &Assets,
    family: &str,
    gpus: f64,
    vcpus: u32,
    servers: u64,
    usage: Usage,
) -> gpuwise::prices::CostRow {
    row_for(
        assets,
        family,
        SizeNeed {
            gpus,
            vcpus,
            servers,
            ..SizeNeed::default()
        },
        usage,
    )
}

fn row_for(
    assets: &Assets,
    family: &str,
    need: SizeNeed,
    usage: Usage,
) -> gpuwise::prices::CostRow {
    let f = assets.catalog().family(family).expect("family");
    cost_row(
        f,
        need,
        Some(&usage),
        assets.prices(),
        &Regions::default(),
        common::pinned_today(),
        Lang::En,
    )
}

#[test]
fn a_training_job_on_two_servers_for_its_deadline() {
    let a = sample();
    let r = row(&a, "aws-p4de", 8.0, 0, 2, Usage::job(720.0));
    assert_eq!(r.instance.as_deref(), Some("p4de.24xlarge"));
    assert_eq!(r.instances, 2);
    assert_eq!(r.per_gpu_hour, Some(5.0));
    let job = r.job.expect("a job cost");
    // 40 $/h x 720 h x 2 servers.
    assert_eq!(job.on_demand, Some(57_600.0));
    // Spot 16 $/h x 720 x 2, plus 15% for re-runs after interruptions.
    assert!(
        (job.spot.unwrap() - 26_496.0).abs() < 1e-6,
        "{:?}",
        job.spot
    );
    assert_eq!(job.commit_1y, Some(34_560.0));
    assert_eq!(job.commit_3y, None);
    // This sample row is from 2024-06-01: older than a year on 2026-12-01.
    assert!(r.stale);
}

#[test]
fn serving_around_the_clock_and_the_commitment_break_even() {
    let a = sample();
    let r = row(&a, "aws-g4dn", 1.0, 0, 1, Usage::Monthly { hours: 730.0 });
    assert_eq!(r.instance.as_deref(), Some("g4dn.xlarge"));
    let job = r.job.expect("a monthly cost");
    assert!((job.on_demand.unwrap() - 365.0).abs() < 1e-9);
    assert!(
        (job.spot.unwrap() - 146.0).abs() < 1e-9,
        "no re-run overhead on steady work"
    );
    assert!((job.commit_1y.unwrap() - 219.0).abs() < 1e-9);
    assert!((job.commit_3y.unwrap() - 146.0).abs() < 1e-9);
    // A 1-year commitment at 0.3 $/h beats 0.5 $/h on demand above 60% of the hours.
    assert!((r.break_even_1y.unwrap() - 0.6).abs() < 1e-9);
    assert!(!r.stale);
}

#[test]
fn bursty_use_is_priced_for_its_hours_and_picks_the_size_with_enough_gpus() {
    let a = sample();
    let r = row(&a, "aws-g4dn", 3.0, 0, 1, Usage::Monthly { hours: 200.0 });
    assert_eq!(
        r.instance.as_deref(),
        Some("g4dn.12xlarge"),
        "the smallest size with 3 GPUs"
    );
    assert_eq!(r.per_gpu_hour, Some(1.0));
    let job = r.job.unwrap();
    assert_eq!(job.on_demand, Some(800.0));
    assert!((job.spot.unwrap() - 320.0).abs() < 1e-9);
    assert_eq!(
        r.break_even_1y, None,
        "no commitment price published for this size"
    );
    // A CPU family is priced by vCPUs.
    let r = row(&a, "aws-c7i", 0.0, 8, 1, Usage::Monthly { hours: 200.0 });
    assert_eq!(r.instance.as_deref(), Some("c7i.2xlarge"));
    assert!((r.job.unwrap().on_demand.unwrap() - 80.0).abs() < 1e-9);
    // Nothing with 16 GPUs: no price, and a reason.
    let r = row(&a, "aws-g4dn", 16.0, 0, 1, Usage::Monthly { hours: 730.0 });
    assert!(r.on_demand.is_none());
    assert!(
        r.no_price
            .unwrap()
            .contains("no priced size with 16 GPU(s) in us-east-1")
    );
}

#[test]
fn job_hours_follow_each_sizes_gpus_and_speed() {
    let a = sample();
    let work = |a100_hours: f64, deadline: f64| Usage::Job {
        hours: 999.0,
        a100_hours: Some(a100_hours),
        deadline_hours: Some(deadline),
    };
    // Two GPUs are needed, but p4de comes only with 8: the job spreads over all 8 A100s,
    // so 1,000 A100-hours take 125 hours and cost 40 $/h x 125 h, not 8 GPUs for 500 hours.
    let need = SizeNeed {
        gpus: 2.0,
        servers: 1,
        gpu_tflops: Some(312.0),
        ..SizeNeed::default()
    };
    let r = row_for(&a, "aws-p4de", need, work(1000.0, 200.0));
    let job = r.job.unwrap();
    assert!(job.from_gpu_speed);
    assert!((job.hours - 125.0).abs() < 1e-9, "{}", job.hours);
    assert!((job.on_demand.unwrap() - 5_000.0).abs() < 1e-6);
    assert!(!job.past_deadline);
    // Two such servers side by side halve the hours and keep the cost.
    let r = row_for(
        &a,
        "aws-p4de",
        SizeNeed { servers: 2, ..need },
        work(1000.0, 200.0),
    );
    let job = r.job.unwrap();
    assert!((job.hours - 62.5).abs() < 1e-9);
    assert!((job.on_demand.unwrap() - 5_000.0).abs() < 1e-6);
    // A T4 (65 dense FP16 TFLOPS) takes 312/65 times an A100's hours: 100 A100-hours are
    // 480 hours on one, past a 100-hour deadline.
    let need = SizeNeed {
        gpus: 1.0,
        servers: 1,
        gpu_tflops: Some(65.0),
        ..SizeNeed::default()
    };
    let job = row_for(&a, "aws-g4dn", need, work(100.0, 100.0))
        .job
        .unwrap();
    assert!((job.hours - 480.0).abs() < 1e-9, "{}", job.hours);
    assert!(job.past_deadline);
    // A GPU without a published speed keeps the hours the tree gave.
    let job = row_for(
        &a,
        "aws-g4dn",
        SizeNeed {
            gpu_tflops: None,
            ..need
        },
        work(100.0, 0.0),
    )
    .job
    .unwrap();
    assert!(!job.from_gpu_speed && !job.past_deadline);
    assert_eq!(job.hours, 999.0);
}

#[test]
fn cpu_sizes_need_enough_memory_as_well_as_vcpus() {
    let a = sample();
    let need = |vcpus, memory_gib| SizeNeed {
        vcpus,
        memory_gib,
        servers: 1,
        ..SizeNeed::default()
    };
    let pick = |n| {
        row_for(&a, "aws-c7i", n, Usage::Monthly { hours: 730.0 })
            .instance
            .unwrap_or_default()
    };
    assert_eq!(pick(need(8, 16.0)), "c7i.2xlarge");
    assert_eq!(pick(need(8, 24.0)), "c7i.4xlarge", "memory sets the size");
    let r = row_for(
        &a,
        "aws-c7i",
        need(8, 64.0),
        Usage::Monthly { hours: 730.0 },
    );
    assert!(
        r.no_price
            .as_deref()
            .is_some_and(|w| w.contains("8 vCPUs and 64 GiB")),
        "{:?}",
        r.no_price
    );
}

fn gpuwise(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_gpuwise"))
        .args(args)
        .env("LANG", "C")
        .output()
        .unwrap()
}

#[test]
fn prices_csv_and_json_have_stable_shapes() {
    let o = gpuwise(&[
        "prices",
        "--provider",
        "aws",
        "--gpu",
        "h100",
        "--format",
        "csv",
    ]);
    assert!(o.status.success());
    let csv = String::from_utf8(o.stdout).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    for column in [
        "provider",
        "instance",
        "gpu",
        "gpus",
        "region",
        "currency",
        "on_demand",
        "spot",
        "as_of",
        "source",
    ] {
        assert!(
            header.contains(&column),
            "CSV column {column} in {header:?}"
        );
    }
    let rows: Vec<&str> = lines.collect();
    assert!(!rows.is_empty());
    let o = gpuwise(&[
        "prices",
        "--provider",
        "aws",
        "--gpu",
        "h100",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rows_json = json.as_array().expect("an array of rows");
    assert_eq!(
        rows_json.len(),
        rows.len(),
        "CSV and JSON list the same rows"
    );
    for r in rows_json {
        assert!(r["on_demand"].is_number() || r["on_demand"].is_null());
        assert!(r["currency"].is_string() && r["as_of"].is_string() && r["source"].is_string());
        assert_eq!(r["provider"], "aws");
    }
}
