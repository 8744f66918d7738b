#!/usr/bin/env python3
"""`jobmarket split` on the real corpora (multi-line quoted CSV fields, JSON arrays, NDJSON,
cp1252) and the bundled sample:

- the plan's parts tile the file: contiguous, their rows add up to the file's, each part's
  SHA-256 and the file's are those of the bytes;
- `convert --range` over the parts gives exactly the records of `convert` on the whole file
  (CSV: byte for byte, with the file's rows and lines; JSON: the same objects);
- `split --range` writes parts that stand alone (each CSV part with the header, each JSON
  part a valid array) and that Python's csv / json modules read back into the whole file's
  records, each exactly once;
- arbitrary cuts (not from a plan) tile the file too;
- `report --partial --range` on every part, merged with `merge --plan`, is byte-identical to
  `report` on the whole file.

Usage: test_split.py JOBMARKET SHARED_DIR. The corpora are skipped (with a message) when
SHARED_DIR is absent; the bundled sample is always tested.
"""
import csv
import hashlib
import io
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
csv.field_size_limit(1 << 30)
failures = 0
checks = 0


def check(cond, what):
    global failures, checks
    checks += 1
    if not cond:
        failures += 1
        print(f"FAIL: {what}")
    return cond


def run(jm, *args):
    return subprocess.run([jm, *args], capture_output=True)


def encoding_args(path: Path):
    return ["--encoding", "cp1252"] if ".cp1252." in path.name else []


def python_records(path: Path, data: bytes):
    """Records as Python's csv/json modules read them (the reference)."""
    if path.suffix == ".json":
        return json.loads(data.decode("utf-8-sig"))
    if path.suffix in (".ndjson", ".jsonl"):
        return [json.loads(l) for l in data.decode("utf-8-sig").split("\n") if l.strip()]
    text = data.decode("cp1252" if ".cp1252." in path.name else "utf-8-sig")
    rows = [r for r in csv.reader(io.StringIO(text, newline="")) if r]
    return rows


def converted(jm, path: Path, *extra):
    proc = run(jm, "convert", str(path), "--format", "ndjson", "-q", *encoding_args(path), *extra)
    return proc


def check_file(jm, path: Path, tmp: Path, full_report: bool):
    data = path.read_bytes()
    name = path.relative_to(path.parents[1]) if path.parent.name != "sample" else path.name
    whole = converted(jm, path)
    whole_objects = [json.loads(l) for l in whole.stdout.decode().split("\n") if l]
    reference = python_records(path, data)
    is_csv = path.suffix == ".csv"
    for parts in (3, 7):
        proc = run(jm, "split", str(path), "--parts", str(parts), "--format", "json", "-q",
                   *encoding_args(path))
        if not check(proc.returncode == 0, f"{name}: split --parts {parts} exits 0 ({proc.stderr[:200]!r})"):
            continue
        plan = json.loads(proc.stdout)
        ranges = plan["parts"]
        check(plan["bytes"] == len(data) and plan["sha256"] == hashlib.sha256(data).hexdigest(),
              f"{name}: plan has the file's size and SHA-256")
        contiguous = all(a["end"] == b["start"] for a, b in zip(ranges, ranges[1:]))
        check(ranges[0]["start"] == 0 and ranges[-1]["end"] == len(data) and contiguous,
              f"{name}: {parts} parts tile the file")
        check(all(hashlib.sha256(data[p["start"]:p["end"]]).hexdigest() == p["sha256"] for p in ranges),
              f"{name}: each part's SHA-256 is its bytes'")
        # convert over the parts == convert over the file, and the same in the plan's form
        # (START:END@LINE:ROW: nothing scanned before START).
        exact = [converted(jm, path, "--range", p["exact_range"]) for p in ranges]
        pieces = [converted(jm, path, "--range", p["range"]) for p in ranges]
        check([p.stdout for p in exact] == [p.stdout for p in pieces] and all(p.returncode == q.returncode for p, q in zip(exact, pieces)),
              f"{name}: the plan's exact ranges read what the ranges read")
        check(sum(p["rows"] for p in ranges) == plan["rows"], f"{name}: part rows add up to the plan's")
        if is_csv:
            check(b"".join(p.stdout for p in pieces) == whole.stdout,
                  f"{name}: convert over {parts} ranges == convert of the file, byte for byte")
        else:
            got = [json.loads(l) for p in pieces for l in p.stdout.decode().split("\n") if l]
            check(got == whole_objects, f"{name}: convert over {parts} ranges == the file's objects")
        # Standalone parts, read back by Python.
        records = []
        for p in ranges:
            out = tmp / f"part{path.suffix}"
            proc = run(jm, "split", str(path), "--range", p["range"], "-o", str(out), "-q", *encoding_args(path))
            check(proc.returncode == 0, f"{name}: split --range {p['range']} exits 0")
            got = python_records(path, out.read_bytes())
            if is_csv:
                check(got[:1] == reference[:1], f"{name}: part {p['part']} starts with the header")
                got = got[1:]
            records += got
        expected = reference[1:] if is_csv else reference
        check(records == expected,
              f"{name}: {parts} standalone parts hold every record exactly once ({len(records)} of {len(expected)})")
    # Cuts anywhere: four random ranges tile the file.
    rng = random.Random(len(data))
    cuts = sorted(rng.randrange(0, len(data) + 1) for _ in range(3))
    bounds = [0, *cuts, len(data)]
    pieces = [converted(jm, path, "--range", f"{a}:{b}") for a, b in zip(bounds, bounds[1:])]
    if is_csv:
        check(b"".join(p.stdout for p in pieces) == whole.stdout, f"{name}: random cuts {cuts} tile the file")
    else:
        got = [json.loads(l) for p in pieces for l in p.stdout.decode().split("\n") if l]
        check(got == whole_objects, f"{name}: random cuts {cuts} tile the file")
    if full_report:
        check_report(jm, path, tmp, name)


def check_report(jm, path: Path, tmp: Path, name):
    common = ["--as-of", "2025-12-31", *encoding_args(path)]
    plan_path = tmp / "plan.json"
    proc = run(jm, "split", str(path), "--parts", "4", "-o", str(plan_path), "-q", *encoding_args(path))
    plan = json.loads(plan_path.read_text())
    parts = []
    for p in plan["parts"]:
        out = tmp / f"report-{p['part']}.json"
        run(jm, "report", "--partial", str(path), "--range", p["exact_range"], "-o", str(out), "-q", *common)
        parts.append(str(out))
    merged = run(jm, "merge", "--plan", str(plan_path), *parts, "--format", "json", "-q")
    one = run(jm, "report", str(path), "--format", "json", "-q", *common)
    check(merged.returncode == one.returncode and merged.stdout == one.stdout and one.stdout,
          f"{name}: report over {len(parts)} parts merged with --plan == one report, byte for byte")


def main():
    jm, shared = sys.argv[1], Path(sys.argv[2])
    files = [(ROOT / "data" / "sample" / "postings.csv", True)]
    corpora = shared / "corpora"
    if corpora.is_dir():
        found = sorted(p for p in corpora.glob("*/*") if p.suffix in (".csv", ".json", ".ndjson"))
        files += [(p, p.suffix != ".csv" or "boss" in p.parent.name) for p in found]
    else:
        print(f"SKIP (corpora): {corpora} not present; testing the bundled sample only")
    with tempfile.TemporaryDirectory() as tmp:
        for path, full in files:
            before = failures
            check_file(jm, path, Path(tmp), full)
            print(f"{'ok' if failures == before else 'FAIL'}: {path}")
    print(f"{len(files)} files, {checks} checks, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
