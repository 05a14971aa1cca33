#!/usr/bin/env python3
"""Walk every tests/scenarios/*.yaml through a gpuwise binary (authoring aid; cargo test runs
the same checks in tests/scenarios.rs).

usage: scripts/check-scenarios.py [--tree-file PATH] [BINARY] [SCENARIO...]
The binary defaults to target/debug/gpuwise; trees and assets are read from the work tree;
--tree-file walks every scenario through that file instead of trees/<tree>.yaml."""
import json, subprocess, sys, pathlib
import yaml  # pip install pyyaml

root = pathlib.Path(__file__).resolve().parent.parent
argv = sys.argv[1:]
tree_file = None
if argv[:1] == ["--tree-file"]:
    tree_file, argv = argv[1], argv[2:]
binary = argv[0] if argv else str(root / "target/debug/gpuwise")
files = [pathlib.Path(p) for p in argv[1:]] or sorted((root / "tests/scenarios").glob("*.yaml"))
failed = 0
for f in files:
    s = yaml.safe_load(f.read_text())
    args = [binary, "recommend", "--tree", tree_file or str(root / "trees" / f"{s['tree']}.yaml"),
            "--assets", str(root / "assets"), "--format", "json", "--lang", "en"]
    for k, v in s["answers"].items():
        args += ["--answer", f"{k}={v if not isinstance(v, bool) else str(v).lower()}"]
    p = subprocess.run(args, capture_output=True, text=True)
    problems = []
    if p.returncode != 0:
        problems.append(p.stderr.strip())
    else:
        if p.stderr.strip():
            problems.append(p.stderr.strip())
        r = json.loads(p.stdout)["result"]
        exp = s["expect"]
        if r["id"] != exp["result"]:
            problems.append(f"reached {r['id']}, expected {exp['result']}")
        side = "gpu" if any(fam["gpu"] for fam in r["families"]) else "cpu"
        if side != exp["side"]:
            problems.append(f"side {side}, expected {exp['side']}")
        for prov, fam in exp["families"].items():
            if fam == "none":
                if not any(n["provider"] == prov for n in r["no_equivalent"]):
                    problems.append(f"{prov}: expected no_equivalent")
            elif not any(x["id"] == fam for x in r["families"]):
                problems.append(f"{prov}: {fam} not in {[x['id'] for x in r['families'] if x['provider']==prov]}")
    if problems:
        failed += 1
        print(f"FAIL {f.name}: " + "; ".join(problems))
    else:
        print(f"ok   {f.name}")
print(f"{len(files) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
