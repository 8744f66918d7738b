#!/usr/bin/env python3
"""The whole pipeline measured against hand labels (`jobmarket eval`): ../shared/labeled/
dev.jsonl (tuned on) and tests/data/labels/postings.jsonl, whose `holdout` half is never
looked at while rules change. Fails below the floors, which sit a little under the figures
measured when the rules last changed (docs/rules.md, "Measured"), so a rule change that
loses accuracy on unseen postings is caught. Also checks that the second labeling pass
(relabel.jsonl) agrees with the first, since that agreement is the ceiling.

Usage: test_eval.py JOBMARKET SHARED_DIR. Exits 77 (skipped) without ../shared.
"""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LABELS = ROOT / "tests/data/labels"

# split -> metric path -> floor
FLOORS = {
    "dev": {("clear", "accuracy"): 0.95, ("clear", "macro_f1"): 0.95,
            ("clear", "tags", "micro_f1"): 0.79, ("salary", "accuracy"): 0.98,
            ("barriers", "experience_years_min", "accuracy"): 0.92,
            ("barriers", "papers", "accuracy"): 0.97, ("barriers", "venues", "accuracy"): 0.97},
    "tune": {("clear", "accuracy"): 0.95, ("clear", "macro_f1"): 0.94,
             ("clear", "tags", "micro_f1"): 0.72, ("salary", "accuracy"): 0.99,
             ("barriers", "experience_years_min", "accuracy"): 0.93,
             ("barriers", "papers", "accuracy"): 0.95, ("barriers", "venues", "accuracy"): 0.96},
    "holdout": {("clear", "accuracy"): 0.93, ("clear", "macro_f1"): 0.92,
                ("clear", "tags", "micro_f1"): 0.75, ("salary", "accuracy"): 0.98,
                ("barriers", "experience_years_min", "accuracy"): 0.94,
                ("barriers", "papers", "accuracy"): 0.96, ("barriers", "venues", "accuracy"): 0.96},
}


def at(doc, path):
    for key in path:
        doc = doc[key]
    return doc


def agreement() -> int:
    first = {}
    for line in (LABELS / "postings.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        first[r["id"]] = r
    second = [json.loads(x) for x in (LABELS / "relabel.jsonl").read_text(encoding="utf-8").splitlines()]
    same = sum(first[r["id"]]["direction"] == r["direction"] for r in second)
    tp = fp = fn = 0
    for r in second:
        a, b = set(first[r["id"]]["tags"]), set(r["tags"])
        tp, fp, fn = tp + len(a & b), fp + len(b - a), fn + len(a - b)
    f1 = 2 * tp / (2 * tp + fp + fn)
    ok = same / len(second) >= 0.9 and f1 >= 0.9
    print(f"{'ok' if ok else 'FAIL'}: second labeling pass: direction {same}/{len(second)}, tags micro-F1 {f1:.3f}")
    return 0 if ok else 1


def main() -> int:
    jm, shared = sys.argv[1], Path(sys.argv[2])
    failures = agreement()
    if not (shared / "corpora").is_dir():
        print(f"SKIP: {shared}/corpora not present; eval needs the labeled corpora")
        return 77 if failures == 0 else 1
    out = subprocess.run([jm, "eval", "--labels", str(shared / "labeled/dev.jsonl"),
                          "--labels", str(LABELS / "postings.jsonl"),
                          "--corpora", str(shared / "corpora"), "--format", "json"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        print(f"FAIL: jobmarket eval exited {out.returncode}: {out.stderr.strip()}")
        return 1
    doc = json.loads(out.stdout)
    for split, floors in FLOORS.items():
        group = doc["groups"][split]
        for path, floor in floors.items():
            value = at(group, path)
            ok = value >= floor
            failures += not ok
            print(f"{'ok' if ok else 'FAIL'}: {split} {'.'.join(path)} {value:.4f} (floor {floor})")
    # Every split reads every item it names: nothing silently missing.
    expected = {"dev": 293}
    for line in (LABELS / "postings.jsonl").read_text(encoding="utf-8").splitlines():
        s = json.loads(line)["split"]
        expected[s] = expected.get(s, 0) + 1
    for split, n in expected.items():
        got = doc["groups"][split]["items"]
        failures += got != n
        print(f"{'ok' if got == n else 'FAIL'}: {split}: {got} of {n} labeled items evaluated")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
