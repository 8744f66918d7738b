#!/usr/bin/env python3
"""Fits per-tag bars (scoring.tag_thresholds, docs/rules.md "Tag thresholds") on labels.

Coordinate ascent over a grid of bars per tag on the pooled dev and tune splits (micro-F1 of
tags over all items). A value is taken only when it lifts the pooled figure and lowers
neither split's: a guard against fitting one split's noise. The holdout split is never read;
measure it once, at the end, with `jobmarket eval --split holdout --rules OUT`.

Usage: scripts/fit_tag_thresholds.py RULES.json OUT.json [--jobmarket BIN] [--corpora DIR]
"""
import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GRID = [1.0, 1.2, 1.4, 1.6, 1.8, 2.0, 2.3, 2.6, 3.0, 3.5]
SPLITS = ("dev", "tune")


def measure(jobmarket, corpora, rules):
    """Tags micro-F1 of all items per split and pooled, for a rule table (a dict)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(rules, f, ensure_ascii=False)
    try:
        cmd = [jobmarket, "eval", "--corpora", corpora, "--format", "json",
               "--rules", f.name, "--rules-mode", "replace",
               "--labels", os.path.join(corpora, "..", "labeled", "dev.jsonl"),
               "--labels", os.path.join(ROOT, "tests", "data", "labels", "postings.jsonl")]
        for s in SPLITS:
            cmd += ["--split", s]
        out = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
    finally:
        os.unlink(f.name)
    f1 = {}
    pooled = [0, 0, 0]
    for s in SPLITS:
        counts = [0, 0, 0]
        for v in out["groups"][s]["all"]["tags"]["per_tag"].values():
            counts = [counts[0] + v["tp"], counts[1] + v["fp"], counts[2] + v["fn"]]
        f1[s] = 2 * counts[0] / max(1, 2 * counts[0] + counts[1] + counts[2])
        pooled = [a + b for a, b in zip(pooled, counts)]
    f1["pooled"] = 2 * pooled[0] / max(1, 2 * pooled[0] + pooled[1] + pooled[2])
    return f1


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rules")
    ap.add_argument("out")
    ap.add_argument("--jobmarket", default=os.path.join(ROOT, "build", "src", "jobmarket"))
    ap.add_argument("--corpora", default=os.path.join(ROOT, "..", "shared", "corpora"))
    ap.add_argument("--passes", type=int, default=2)
    a = ap.parse_args()
    rules = copy.deepcopy(json.load(open(a.rules, encoding="utf-8")))
    tags = json.loads(subprocess.run([a.jobmarket, "rules", "list", "--format", "json"],
                                     capture_output=True, text=True, check=True).stdout)
    tags = sorted({t for r in tags for t in r.get("tags", [])})
    bars = rules.setdefault("scoring", {}).setdefault("tag_thresholds", {})
    best = measure(a.jobmarket, a.corpora, rules)
    print("before", {k: round(v, 4) for k, v in best.items()})
    for _ in range(a.passes):
        for tag in tags:
            kept = bars.get(tag)
            choice = None
            for bar in GRID:
                bars[tag] = bar
                f1 = measure(a.jobmarket, a.corpora, rules)
                if (f1["pooled"] > best["pooled"] + 1e-4
                        and all(f1[s] >= best[s] - 1e-9 for s in SPLITS)
                        and (choice is None or f1["pooled"] > choice[1]["pooled"])):
                    choice = (bar, f1)
            if choice:
                bars[tag], best = choice
                print(f"{tag} {choice[0]}", {k: round(v, 4) for k, v in best.items()})
            elif kept is None:
                del bars[tag]
            else:
                bars[tag] = kept
    print("after", {k: round(v, 4) for k, v in best.items()}, json.dumps(bars))
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump(rules, f, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
