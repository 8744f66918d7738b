#!/usr/bin/env python3
"""Every data file in ../shared/corpora loads through `jobmarket convert` with the same
records and fields as a reference RFC 4180 reader (Python's csv module) or json module.

Usage: test_corpora_reader.py JOBMARKET SHARED_DIR. Exits 77 (skipped) without SHARED_DIR.
"""
import csv
import json
import subprocess
import sys
from pathlib import Path

csv.field_size_limit(1 << 30)


def reference_rows(path: Path):
    """Rows as Python reads them: header row as keys, blank lines skipped."""
    if path.suffix in (".json",):
        return [{k: ("" if v is None else v if isinstance(v, str) else json.dumps(v)) for k, v in o.items()}
                for o in json.loads(path.read_text(encoding="utf-8"))]
    if path.suffix in (".ndjson", ".jsonl"):
        return [{k: ("" if v is None else v if isinstance(v, str) else json.dumps(v)) for k, v in json.loads(line).items()}
                for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
    encoding = "cp1252" if ".cp1252." in path.name else "utf-8-sig"
    with open(path, newline="", encoding=encoding) as f:
        reader = csv.reader(f)
        header = next(reader)
        return [row for row in reader if row], header


def main() -> int:
    jobmarket, shared = sys.argv[1], Path(sys.argv[2])
    corpora = shared / "corpora"
    if not corpora.is_dir():
        print(f"SKIP: {corpora} not present (a user's clone has no shared data)")
        return 77
    files = sorted(p for p in corpora.glob("*/*") if p.suffix in (".csv", ".json", ".ndjson"))
    failures = 0
    for path in files:
        args = [jobmarket, "convert", str(path), "--format", "ndjson"]
        if ".cp1252." in path.name:
            args += ["--encoding", "cp1252"]
        proc = subprocess.run(args, capture_output=True)
        got = [json.loads(line) for line in proc.stdout.decode("utf-8").split("\n") if line]
        ref = reference_rows(path)
        if isinstance(ref, tuple):
            rows, header = ref
            expected = [row for row in rows]
            got_fields = [[v for k, v in rec.items() if k != "_source"] for rec in got]
        else:
            expected = [[str(v) if not isinstance(v, str) else v for v in o.values()] for o in ref]
            got_fields = [[v for k, v in rec.items() if k != "_source"] for rec in got]
        ok = proc.returncode == 0 and len(got) == len(expected)
        mismatches = 0
        if ok:
            for i, (g, e) in enumerate(zip(got_fields, expected)):
                if g != e:
                    mismatches += 1
                    if mismatches <= 3:
                        diff = [(j, a[:60], b[:60]) for j, (a, b) in enumerate(zip(g, e)) if a != b][:3]
                        print(f"  {path.name} record {i + 1}: fields differ: {diff}")
            rows_ok = all(rec["_source"]["row"] == i + 1 for i, rec in enumerate(got))
            if not rows_ok:
                print(f"  {path.name}: _source.row is not 1..N")
                mismatches += 1
        status = "ok" if ok and mismatches == 0 else "FAIL"
        if status == "FAIL":
            failures += 1
        print(f"{status} {path.relative_to(corpora)}: jobmarket {len(got)} records (exit {proc.returncode}), "
              f"reference {len(expected)}, field mismatches {mismatches}")
        if proc.returncode != 0:
            print("  stderr: " + proc.stderr.decode("utf-8", "replace")[:500])
    print(f"{len(files) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
