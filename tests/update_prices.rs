//! `scripts/update-prices`, the maintainer's price refresh script, run on the saved API responses in
//! tests/fixtures/prices (always with `--from`: never on the network). Needs python3 with PyYAML; without
//! them these tests fail and say what to install.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const AWS_SAMPLE: &str = "tests/fixtures/prices/aws-offer-sample.json";
const AZURE_SAMPLE: &str = "tests/fixtures/prices/azure-retail-sample.json";
const AWS_URL: &str = "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/us-east-1/index.json";
const AZURE_URL: &str = "https://prices.azure.com/api/retail/prices?$filter=serviceName eq 'Virtual Machines' and armRegionName eq 'eastus'";

/// The rows the script prints, in the assets/prices/*.yaml row shape (unknown fields are errors).
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Emitted {
    prices: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    family: String,
    instance: String,
    #[serde(default)]
    gpus: Option<f64>,
    #[serde(default)]
    vcpus: Option<u32>,
    #[serde(default)]
    memory_gib: Option<f64>,
    region: String,
    currency: String,
    on_demand: f64,
    #[serde(default)]
    spot: Option<f64>,
    #[serde(default)]
    commit_1y: Option<f64>,
    #[serde(default)]
    commit_3y: Option<f64>,
    #[serde(default)]
    commit_kind: Option<String>,
    source: String,
    as_of: String,
    #[serde(default)]
    spot_source: Option<String>,
    #[serde(default)]
    spot_as_of: Option<String>,
}

/// Fails (never skips) when python3 or PyYAML is missing, saying what to install.
fn require_python() {
    static CHECKED: OnceLock<Result<(), String>> = OnceLock::new();
    let checked = CHECKED.get_or_init(|| {
        let probe = Command::new("python3")
            .args(["-c", "import sys, yaml; sys.exit(0 if sys.version_info >= (3, 9) else 3)"])
            .stdin(Stdio::null())
            .output();
        match probe {
            Err(e) => Err(format!(
                "python3 could not be started ({e}): scripts/update-prices needs Python 3 (3.11 on CI) with \
                 PyYAML; install them (apt-get install python3 python3-yaml, or python3 -m pip install pyyaml)"
            )),
            Ok(o) if o.status.code() == Some(3) => Err(
                "python3 is older than 3.9: scripts/update-prices needs Python 3.11 with PyYAML".to_string(),
            ),
            Ok(o) if !o.status.success() => Err(format!(
                "python3 cannot import yaml: install PyYAML (python3 -m pip install pyyaml, or apt-get install \
                 python3-yaml); python3 said: {}",
                String::from_utf8_lossy(&o.stderr).trim()
            )),
            Ok(_) => Ok(()),
        }
    });
    if let Err(msg) = checked {
        panic!("{msg}");
    }
}

fn update_prices(args: &[&str]) -> Output {
    require_python();
    Command::new("python3")
        .arg(Path::new(ROOT).join("scripts/update-prices"))
        .args(args)
        .current_dir(ROOT)
        .stdin(Stdio::null())
        .output()
        .expect("python3 runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn rows(o: &Output) -> Vec<Row> {
    assert!(
        o.status.success(),
        "update-prices failed ({:?}):\n{}",
        o.status,
        stderr(o)
    );
    let text = String::from_utf8(o.stdout.clone()).expect("UTF-8 output");
    let emitted: Emitted = serde_saphyr::from_str(&text)
        .unwrap_or_else(|e| panic!("the output is not price rows: {e}\n{text}"));
    emitted.prices
}

fn aws_row(
    family: &str,
    instance: &str,
    shape: (Option<f64>, u32, f64),
    prices: [Option<f64>; 3],
) -> Row {
    let [on_demand, commit_1y, commit_3y] = prices;
    Row {
        family: family.into(),
        instance: instance.into(),
        gpus: shape.0,
        vcpus: Some(shape.1),
        memory_gib: Some(shape.2),
        region: "us-east-1".into(),
        currency: "USD".into(),
        on_demand: on_demand.unwrap(),
        spot: None,
        commit_1y,
        commit_3y,
        commit_kind: Some(
            "AWS Reserved Instance, Standard, No Upfront (1yr/3yr), Linux, shared tenancy: hourly rate from \
             the Price List bulk API"
                .into(),
        ),
        source: format!(
            "{AWS_URL} (AWS Price List bulk API, version 20261127183412, publicationDate 2026-11-27T18:34:12Z)"
        ),
        as_of: "2026-11-27".into(),
        spot_source: None,
        spot_as_of: None,
    }
}

fn aws_expected() -> Vec<Row> {
    vec![
        aws_row(
            "aws-g4dn",
            "g4dn.xlarge",
            (Some(1.0), 4, 16.0),
            [Some(0.526), Some(0.331), Some(0.227)],
        ),
        aws_row(
            "aws-p4d",
            "p4d.24xlarge",
            (Some(8.0), 96, 1152.0),
            [Some(21.957642), Some(13.4447), Some(8.6142)],
        ),
        aws_row(
            "aws-m7i",
            "m7i.large",
            (None, 2, 8.0),
            [Some(0.1008), Some(0.0635), None],
        ),
    ]
}

#[test]
fn aws_offer_file_gives_on_demand_and_standard_no_upfront_reserved_rows_of_catalog_sizes_only() {
    let o = update_prices(&["aws", "--region", "us-east-1", "--from", AWS_SAMPLE]);
    let got = rows(&o);
    assert_eq!(got, aws_expected());

    let text = String::from_utf8_lossy(&o.stdout);
    // Not a catalog size, and figures of products or terms that must be ignored: Windows (0.71, its RI
    // 0.515), Dedicated (0.5786), SQL Web (22.368), All/Partial Upfront (0.093) and Convertible (0.379) RIs.
    for absent in [
        "m5.large", "0.71", "0.515", "0.5786", "22.368", "0.093", "0.379", "spot:",
    ] {
        assert!(!text.contains(absent), "`{absent}` in the output:\n{text}");
    }
    let err = stderr(&o);
    assert!(
        err.contains("spot prices are not in the bulk API"),
        "no word on spot: {err}"
    );
    assert!(
        err.contains("1 not Linux") && err.contains("1 not shared tenancy"),
        "{err}"
    );
}

#[test]
fn aws_keep_spot_carries_the_old_spot_figure_with_its_own_source_and_date() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.yaml");
    std::fs::write(
        &old,
        "provider: aws\nprices:\n  - family: aws-g4dn\n    instance: \"g4dn.xlarge\"\n    region: us-east-1\n    \
         currency: USD\n    on_demand: 0.5\n    spot: 0.2132\n    source: \"an older dataset\"\n    \
         as_of: 2026-10-01\n    # spot: lowest AZ in the older dataset\n",
    )
    .unwrap();
    let o = update_prices(&[
        "aws",
        "--region",
        "us-east-1",
        "--from",
        AWS_SAMPLE,
        "--keep-spot",
        old.to_str().unwrap(),
    ]);
    let mut expected = aws_expected();
    expected[0].spot = Some(0.2132);
    expected[0].spot_source = Some("an older dataset".into());
    expected[0].spot_as_of = Some("2026-10-01".into());
    assert_eq!(rows(&o), expected);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("# spot: lowest AZ in the older dataset"),
        "the old row's spot note is not carried:\n{text}"
    );
}

fn azure_row(
    family: &str,
    instance: &str,
    shape: (Option<f64>, u32, f64),
    prices: [Option<f64>; 4],
) -> Row {
    let [on_demand, spot, commit_1y, commit_3y] = prices;
    Row {
        family: family.into(),
        instance: instance.into(),
        gpus: shape.0,
        vcpus: Some(shape.1),
        memory_gib: Some(shape.2),
        region: "eastus".into(),
        currency: "USD".into(),
        on_demand: on_demand.unwrap(),
        spot,
        commit_1y,
        commit_3y,
        commit_kind: Some(
            "Azure Reserved VM Instance (1 Year / 3 Years), Linux: whole-term price from the Retail Prices \
             API divided by 8760 / 26280 h"
                .into(),
        ),
        source: format!("{AZURE_URL} (Azure Retail Prices API, fetched 2026-12-01)"),
        as_of: "2026-12-01".into(),
        spot_source: None,
        spot_as_of: None,
    }
}

#[test]
fn azure_retail_prices_give_linux_pay_as_you_go_spot_and_reservation_rows_of_catalog_sizes_only() {
    let o = update_prices(&[
        "azure",
        "--region",
        "eastus",
        "--from",
        AZURE_SAMPLE,
        "--as-of",
        "2026-12-01",
    ]);
    // Reservations: the whole-term price over 8,760 or 26,280 hours (2708 / 8760, 5207 / 26280, 519 / 8760).
    let expected = vec![
        azure_row(
            "azure-ncast4-v3",
            "Standard_NC4as_T4_v3",
            (Some(1.0), 4, 28.0),
            [
                Some(0.526),
                Some(0.062699),
                Some(0.30913242),
                Some(0.19813546),
            ],
        ),
        azure_row(
            "azure-dsv5",
            "Standard_D2s_v5",
            (None, 2, 8.0),
            [Some(0.096), Some(0.01056), Some(0.05924658), None],
        ),
    ];
    assert_eq!(rows(&o), expected);

    let text = String::from_utf8_lossy(&o.stdout);
    // Low Priority (0.1052), Windows (0.71, Spot 0.136), DevTest (0.49), westus (0.6), not in the catalog.
    for absent in [
        "0.1052",
        "0.71",
        "0.136",
        "0.49",
        "0.6\n",
        "Standard_D2s_v3",
        "westus",
    ] {
        assert!(!text.contains(absent), "`{absent}` in the output:\n{text}");
    }
    assert!(
        text.contains("# effectiveStartDate: on_demand 2021-10-01; spot 2026-11-01; commit_1y 2022-06-01; commit_3y 2022-06-01"),
        "no effectiveStartDate note:\n{text}"
    );
}

#[test]
fn azure_saved_response_needs_the_day_it_was_fetched() {
    let o = update_prices(&["azure", "--region", "eastus", "--from", AZURE_SAMPLE]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("--as-of"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
}

/// A truncated response must stop the script with a message naming the file.
fn truncated_copy(sample: &str, dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(Path::new(ROOT).join(sample)).unwrap();
    let path = dir.join("truncated.json");
    std::fs::write(&path, &text[..text.len() / 2]).unwrap();
    path
}

#[test]
fn a_truncated_aws_offer_file_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let bad = truncated_copy(AWS_SAMPLE, dir.path());
    let o = update_prices(&[
        "aws",
        "--region",
        "us-east-1",
        "--from",
        bad.to_str().unwrap(),
    ]);
    assert!(!o.status.success(), "exit 0 on a truncated file");
    let err = stderr(&o);
    assert!(
        err.contains(bad.to_str().unwrap()) && err.contains("not valid JSON"),
        "{err}"
    );
    assert!(o.stdout.is_empty(), "rows printed for a broken file");
}

#[test]
fn a_truncated_azure_response_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let bad = truncated_copy(AZURE_SAMPLE, dir.path());
    let o = update_prices(&[
        "azure",
        "--region",
        "eastus",
        "--from",
        bad.to_str().unwrap(),
        "--as-of",
        "2026-12-01",
    ]);
    assert!(!o.status.success(), "exit 0 on a truncated file");
    let err = stderr(&o);
    assert!(
        err.contains(bad.to_str().unwrap()) && err.contains("not valid JSON"),
        "{err}"
    );
    assert!(o.stdout.is_empty(), "rows printed for a broken file");
}

#[test]
fn credentialed_providers_are_explained_not_fetched() {
    for (provider, api) in [
        ("alibaba", "DescribePrice"),
        ("tencent", "InquiryPriceRunInstances"),
        ("gcp", "services/6F81-5844-456A/skus"),
    ] {
        let o = update_prices(&[provider]);
        assert_eq!(o.status.code(), Some(2), "{provider}: {}", stderr(&o));
        assert!(stderr(&o).contains(api), "{provider}: {}", stderr(&o));
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Header (up to `prices:`) and one text block per row, as the script splits a price file.
fn blocks(text: &str) -> (String, Vec<String>) {
    let (header, rest) = text.split_once("\nprices:\n").expect("a `prices:` line");
    let mut blocks: Vec<String> = Vec::new();
    for line in rest.split_inclusive('\n') {
        if line.starts_with("  - family:") || blocks.is_empty() {
            blocks.push(String::new());
        }
        blocks.last_mut().unwrap().push_str(line);
    }
    (format!("{header}\nprices:\n"), blocks)
}

fn validate(dir: &Path) -> (Option<i32>, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_gpuwise"))
        .args(["--assets", "assets", "validate", "--strict"])
        .current_dir(dir)
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("XDG_CONFIG_HOME", "/nonexistent-gpuwise-test")
        .stdin(Stdio::null())
        .output()
        .expect("gpuwise runs");
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn write_replaces_only_the_refreshed_rows_and_the_result_still_validates() {
    let before = tempfile::tempdir().unwrap();
    let after = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(ROOT).join("assets"),
        &before.path().join("assets"),
    );
    copy_dir(
        &Path::new(ROOT).join("assets"),
        &after.path().join("assets"),
    );
    let aws = after.path().join("assets/prices/aws.yaml");
    let azure = after.path().join("assets/prices/azure.yaml");
    let o = update_prices(&[
        "aws",
        "--region",
        "us-east-1",
        "--from",
        AWS_SAMPLE,
        "--keep-spot",
        aws.to_str().unwrap(),
        "--write",
        aws.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stdout.is_empty(), "--write printed rows");
    let o = update_prices(&[
        "azure",
        "--region",
        "eastus",
        "--from",
        AZURE_SAMPLE,
        "--as-of",
        "2026-12-01",
        "--write",
        azure.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));

    for (file, refreshed) in [
        (
            "aws.yaml",
            &["g4dn.xlarge", "p4d.24xlarge", "m7i.large"][..],
        ),
        (
            "azure.yaml",
            &["Standard_NC4as_T4_v3", "Standard_D2s_v5"][..],
        ),
    ] {
        let old = std::fs::read_to_string(before.path().join("assets/prices").join(file)).unwrap();
        let new = std::fs::read_to_string(after.path().join("assets/prices").join(file)).unwrap();
        let (old_header, old_rows) = blocks(&old);
        let (new_header, new_rows) = blocks(&new);
        assert_eq!(new_header, old_header, "{file}: header comments changed");
        assert_eq!(new_rows.len(), old_rows.len(), "{file}: row count changed");
        for (old_row, new_row) in old_rows.iter().zip(&new_rows) {
            let is_refreshed = refreshed
                .iter()
                .any(|i| old_row.contains(&format!("    instance: \"{i}\"\n")));
            if is_refreshed {
                assert_ne!(new_row, old_row, "{file}: a refreshed row is unchanged");
                assert!(
                    new_row.contains("AWS Price List bulk API")
                        || new_row.contains("Azure Retail Prices API"),
                    "{file}: {new_row}"
                );
            } else {
                assert_eq!(
                    new_row, old_row,
                    "{file}: a row that was not refreshed changed"
                );
            }
        }
    }
    let aws_text = std::fs::read_to_string(&aws).unwrap();
    assert!(
        aws_text.contains("    spot: 0.2132\n    commit_1y: 0.331\n    commit_3y: 0.227\n"),
        "g4dn.xlarge lost its kept spot or has no commitment figures:\n{aws_text}"
    );
    // No temporary file is left next to the price files.
    let leftovers: Vec<_> = std::fs::read_dir(after.path().join("assets/prices"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");

    // The app's own validator says exactly what it said before the refresh.
    assert_eq!(validate(after.path()), validate(before.path()));
}
