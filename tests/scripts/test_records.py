#!/usr/bin/env python3
"""Every record `jobmarket classify --format ndjson` writes matches the record contract
(docs/schema/record.schema.json): the bundled sample in full, and the first 300 records
of every real corpus file when ../shared is present. `--format json` holds the same
records as an array.

Usage: test_records.py JOBMARKET SHARED_DIR. Exits 77 (skipped) without python jsonschema.
"""
import json
import subprocess
import sys
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    jm, shared = sys.argv[1], Path(sys.argv[2])
    try:
        import jsonschema
    except ImportError:
        print("SKIP: python jsonschema not installed (scripts/deps.sh --test installs python3-jsonschema)")
        return 77
    schema = json.loads((ROOT / "docs/schema/record.schema.json").read_text())
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    v = cls(schema)
    inputs = [(ROOT / "data/sample/postings.csv", None)]
    corpora = shared / "corpora"
    if corpora.is_dir():
        inputs += [(p, 300) for p in sorted(corpora.glob("*/*")) if p.suffix in (".csv", ".json", ".ndjson")]
    else:
        print(f"SKIP real corpora: {corpora} not present")
    failures = 0
    for path, limit in inputs:
        p = subprocess.Popen([jm, "classify", str(path), "--format", "ndjson", "-q"], stdout=subprocess.PIPE, text=True)
        n = bad = 0
        for line in islice(p.stdout, limit):
            n += 1
            errors = list(v.iter_errors(json.loads(line)))
            if errors:
                bad += 1
                if bad <= 3:
                    e = errors[0]
                    print(f"  {path.name} record {n}: {'/'.join(map(str, e.path))}: {e.message[:160]}")
        p.stdout.close()
        p.wait()
        status = "ok" if bad == 0 and n > 0 else "FAIL"
        failures += status == "FAIL"
        print(f"{status}: {path.name}: {n} records checked, {bad} invalid")
    sample = ROOT / "data/sample/postings.csv"
    as_json = json.loads(subprocess.run([jm, "classify", str(sample), "--format", "json", "-q"],
                                        capture_output=True, text=True).stdout)
    as_ndjson = [json.loads(line) for line in
                 subprocess.run([jm, "classify", str(sample), "--format", "ndjson", "-q"],
                                capture_output=True, text=True).stdout.splitlines()]
    same = as_json == as_ndjson and len(as_json) == 400
    print(f"{'ok' if same else 'FAIL'}: --format json holds the same 400 records as ndjson")
    failures += not same
    print(f"{failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
