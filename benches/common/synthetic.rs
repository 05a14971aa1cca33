//! A deterministic synthetic tree of any size, for benchmarks and the validator's scaling
//! check. Every node kind appears; every node is reachable; every variable is set before use.
//! Like real trees it has a bounded set of variables (64 names, set again and again) rather
//! than one new variable per node. It uses only the fixture assets' ids (tests/fixtures/assets).

/// How many distinct variable names the tree cycles through.
const VARIABLES: usize = 64;

use std::fmt::Write as _;

pub fn tree_yaml(nodes: usize) -> String {
    let nodes = nodes.max(7);
    let mut out = String::with_capacity(nodes * 170);
    out.push_str(
        "id: synthetic\nversion: 1\ntitle: {en: Synthetic, zh: 合成}\nstart: n0\nnodes:\n",
    );
    let chain = nodes - 3; // a final branch and two results
    for i in 0..chain {
        let next = if i + 1 < chain {
            format!("n{}", i + 1)
        } else {
            "end".to_string()
        };
        let _ = match i % 4 {
            0 => writeln!(
                out,
                "  n{i}:\n    number:\n      ask: {{en: Size {i}?, zh: 大小 {i}?}}\n      why: {{en: It sizes the next step., zh: 它决定下一步。}}\n      var: v{}\n      unit: GB\n      min: 0\n      max: 100\n      default: 7\n      next: {next}",
                i % VARIABLES
            ),
            1 => writeln!(
                out,
                "  n{i}:\n    compute:\n      set:\n        x{}: v{} * 2 + 1\n      next: {next}",
                i % VARIABLES,
                (i - 1) % VARIABLES
            ),
            2 => writeln!(
                out,
                "  n{i}:\n    branch:\n      when:\n        - if: x{} > 50\n          next: {next}\n      otherwise: {next}",
                (i - 1) % VARIABLES
            ),
            _ => writeln!(
                out,
                "  n{i}:\n    question:\n      ask: {{en: Pick {i}, zh: 选择 {i}}}\n      why: {{en: Both lead on., zh: 都会继续。}}\n      terms: [cuda]\n      choices:\n        - {{id: a, label: A, set: {{flag: true}}, next: {next}}}\n        - {{id: b, label: B, set: {{flag: false}}, next: {next}}}"
            ),
        };
    }
    out.push_str("  end:\n    branch:\n      when:\n        - if: flag\n          next: big\n      otherwise: small\n");
    out.push_str("  big:\n    result:\n      summary: {en: \"Big: {flag}\", zh: \"大:{flag}\"}\n      families: [aws-p4de]\n      no_equivalent: {alibaba: x, azure: x, gcp: x, tencent: x}\n      pattern: single-gpu-dev\n      rationale: {en: R, zh: 理由}\n      pitfalls: [a100-40-vs-80]\n");
    out.push_str("  small:\n    result:\n      summary: {en: Small, zh: 小}\n      families: [aws-g4dn]\n      no_equivalent: {alibaba: x, azure: x, gcp: x, tencent: x}\n      pattern: single-gpu-dev\n      rationale: {en: R, zh: 理由}\n");
    out
}
