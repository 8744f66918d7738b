#!/usr/bin/env python3
"""Salary parsing over every salary-string shape of the real corpora, labeled by hand
(tests/data/labels/salary_fields.jsonl: one salary-field value per shape, digits collapsed;
salary_text.jsonl: one description snippet per pay-like shape, many of them not pay at all).
Field values are read from their corpus row (the posting's language and location count);
snippets are classified as the text of a posting of their own, so they need no ../shared.
Fails below the floors; prints every disagreement.

Usage: test_salary_shapes.py JOBMARKET SHARED_DIR.
"""
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LABELS = ROOT / "tests/data/labels"
FLOOR_FIELDS, FLOOR_TEXT = 0.97, 0.97


def differs(label, got):
    """'' when the record's salary matches the label, else what differs."""
    if label is None:
        return "" if got is None or "unparsed" in got else "spurious"
    if got is None:
        return "missed"
    if "unparsed" in got:
        return "unparsed"
    out = []
    amounts = label.get("low") is not None or label.get("high") is not None
    for key in ("low", "high"):
        a, b = label.get(key), got.get(key)
        if (a is None) != (b is None) or (a is not None and abs(a - b) > 0.5):
            out.append(key)
    if amounts and label.get("currency") != got.get("currency"):
        out.append("currency")
    if amounts and label.get("period") and label["period"] != got.get("period"):
        out.append("period")
    if label.get("months_per_year") != got.get("months_per_year"):
        out.append("months")
    if bool(label.get("negotiable")) != bool(got.get("negotiable")):
        out.append("negotiable")
    return ", ".join(out)


def classify(jm, args, stdin=None):
    p = subprocess.run([jm, "classify", *args, "--format", "ndjson", "-q", "--no-evidence"],
                       input=stdin, capture_output=True, text=True)
    return [json.loads(line) for line in p.stdout.splitlines()]


def report(name, results, floor):
    shapes = len(results)
    ok = sum(1 for _, d, _ in results if not d)
    rows = sum(c for _, _, c in results)
    ok_rows = sum(c for _, d, c in results if not d)
    for what, d, _ in results:
        if d:
            print(f"  {name}: {d}: {what}")
    acc = ok / shapes
    status = "ok" if acc >= floor else "FAIL"
    print(f"{status}: {name}: {ok}/{shapes} shapes exact ({acc:.3f}, floor {floor}); "
          f"{ok_rows}/{rows} strings of the corpora ({ok_rows / rows:.3f})")
    return status == "ok"


def main() -> int:
    jm, shared = sys.argv[1], Path(sys.argv[2])
    good = True
    text = [json.loads(x) for x in (LABELS / "salary_text.jsonl").read_text(encoding="utf-8").splitlines()]
    stdin = "".join(json.dumps({"id": str(i), "title": "Posting", "description": t["snippet"]},
                               ensure_ascii=False) + "\n" for i, t in enumerate(text))
    records = classify(jm, ["-", "--input-format", "ndjson"], stdin)
    if len(records) != len(text):
        print(f"FAIL: {len(records)} records for {len(text)} snippets")
        return 1
    good &= report("text", [(t["snippet"][:90], differs(t["salary"], r["salary"]), t["count"])
                            for t, r in zip(text, records)], FLOOR_TEXT)

    fields = [json.loads(x) for x in (LABELS / "salary_fields.jsonl").read_text(encoding="utf-8").splitlines()]
    if not (shared / "corpora").is_dir():
        print(f"SKIP field shapes: {shared}/corpora not present")
        return 0 if good else 1
    by_file = defaultdict(list)
    for f in fields:
        by_file[(f["corpus"], f["file"])].append(f)
    results = []
    for (corpus, file), items in sorted(by_file.items()):
        recs = {r["source"]["row"]: r for r in classify(jm, [str(shared / "corpora" / corpus / file)])}
        for f in items:
            r = recs.get(f["row"] + 1)
            got = r["salary"] if r else None
            results.append((repr(f["raw"]), differs(f["salary"], got), f["count"]))
    good &= report("fields", results, FLOOR_FIELDS)
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
