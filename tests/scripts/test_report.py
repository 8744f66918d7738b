#!/usr/bin/env python3
"""`jobmarket report` as cron and pipes rely on it:

- the JSON validates against docs/schema/report.schema.json (bundled sample, and a real
  corpus when ../shared is present);
- two runs give byte-identical JSON, whatever the thread count;
- partial reports of two halves merged with `jobmarket merge` equal the report of both
  files in one run;
- a run killed (SIGKILL) at any moment leaves the previous output file intact: the target
  holds either the old bytes or the complete new ones, never a prefix.

Usage: test_report.py JOBMARKET SHARED_DIR
"""
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample" / "postings.csv"
failures = 0


def check(cond: bool, what: str) -> None:
    global failures
    if not cond:
        failures += 1
        print(f"FAIL: {what}")
    else:
        print(f"ok: {what}")


def run(jm, *args, **kw):
    return subprocess.run([jm, *args], capture_output=True, **kw)


def validator():
    try:
        import jsonschema
    except ImportError:
        return None
    schema = json.loads((ROOT / "docs/schema/report.schema.json").read_text())
    # Inline the trends schema with its definitions renamed: $ref resolution across files
    # differs between jsonschema versions (Debian 12 ships 4.10).
    text = (ROOT / "docs/schema/trends.schema.json").read_text().replace('"#/$defs/', '"#/$defs/trends_')
    trends = json.loads(text)
    for key in ("$schema", "$id"):
        trends.pop(key, None)
    schema["$defs"].update({f"trends_{k}": v for k, v in trends.pop("$defs", {}).items()})
    schema["properties"]["trends"] = trends
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate(v, doc, what):
    errors = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
    for e in errors[:5]:
        print(f"  {what}: {'/'.join(map(str, e.path))}: {e.message[:200]}")
    check(not errors, f"{what} matches docs/schema/report.schema.json")


def split_csv(src: Path, a: Path, b: Path) -> None:
    with open(src, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    half = len(body) // 2
    for path, part in ((a, body[:half]), (b, body[half:])):
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(part)


def kill_test(jm, tmp: Path) -> None:
    big = tmp / "big.csv"
    subprocess.run([sys.executable, str(ROOT / "scripts/gen_postings.py"), "--size-mb", "8", "-o", str(big)],
                   check=True)
    for cmd, name in ((["report", "--format", "json"], "report.json"),
                      (["classify", "--format", "ndjson"], "labels.ndjson")):
        target = tmp / name
        t0 = time.monotonic()
        full = run(jm, *cmd, str(big), "-o", str(target), "-q")
        duration = time.monotonic() - t0
        check(full.returncode == 0, f"{name}: complete run exits 0")
        complete = target.read_bytes()
        previous = b"PREVIOUS REPORT\n"
        intact = True
        for i in range(1, 9):
            target.write_bytes(previous)
            p = subprocess.Popen([jm, *cmd, str(big), "-o", str(target), "-q"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(duration * i / 9)
            p.send_signal(signal.SIGKILL)
            p.wait()
            got = target.read_bytes()
            if got not in (previous, complete):
                intact = False
                print(f"  {name}: killed at {i}/9 of the run: target holds {len(got)} bytes, neither old nor new")
            for leftover in tmp.glob(name + ".tmp-*"):
                leftover.unlink()
        check(intact, f"{name}: SIGKILL at 8 moments never leaves a partial or missing file")


def main() -> int:
    jm, shared = sys.argv[1], Path(sys.argv[2])
    v = validator()
    with tempfile.TemporaryDirectory(prefix="jobmarket-report-") as d:
        tmp = Path(d)
        args = ["report", str(SAMPLE), "--as-of", "2025-12-31", "--format", "json"]
        first = run(jm, *args, "-j", "1")
        second = run(jm, *args, "-j", "3")
        check(first.returncode == 0 and first.stdout == second.stdout and len(first.stdout) > 1000,
              "two runs (-j 1, -j 3) give byte-identical JSON")
        report = json.loads(first.stdout)
        if v:
            validate(v, report, "sample report")
        else:
            print("SKIP schema validation: python jsonschema not installed")

        # Partial reports of two halves, merged, equal one run over both halves.
        a, b = tmp / "a.csv", tmp / "b.csv"
        split_csv(SAMPLE, a, b)
        common = ["--as-of", "2025-12-31"]
        one = run(jm, "report", str(a), str(b), *common, "--format", "json")
        pa = run(jm, "report", str(a), *common, "--partial", "-o", str(tmp / "a.part.json"))
        pb = run(jm, "report", str(b), *common, "--partial", "-o", str(tmp / "b.part.json"))
        merged = run(jm, "merge", str(tmp / "a.part.json"), str(tmp / "b.part.json"), "--format", "json")
        check(pa.returncode == pb.returncode == merged.returncode == 0, "report --partial and merge exit 0")
        check(merged.stdout == one.stdout, "merge of two partial reports == one report of both files")
        if merged.stdout != one.stdout:
            (tmp / "one.json").write_bytes(one.stdout)
            (tmp / "merged.json").write_bytes(merged.stdout)
            print(subprocess.run(["diff", str(tmp / "one.json"), str(tmp / "merged.json")],
                                 capture_output=True, text=True).stdout[:3000])
        other = run(jm, "report", str(a), "--as-of", "2025-06-30", "--partial", "-o", str(tmp / "c.part.json"))
        bad = run(jm, "merge", str(tmp / "a.part.json"), str(tmp / "c.part.json"))
        check(other.returncode == 0 and bad.returncode == 2 and b"--as-of" in bad.stderr,
              "merging parts made with different --as-of is refused (exit 2)")

        corpora = shared / "corpora"
        real = sorted(corpora.glob("*/*.csv")) if corpora.is_dir() else []
        if real and v:
            r = run(jm, "report", str(real[0]), "--as-of", "2025-12-31", "--format", "json")
            validate(v, json.loads(r.stdout), f"report of {real[0].name}")
        elif not real:
            print(f"SKIP real-corpus report: {corpora} not present")

        kill_test(jm, tmp)
    print(f"{failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
