#!/usr/bin/env python3
"""scripts/bench_regexes.py, the REGEXES reference of scripts/bench.sh: the same lines on
every run, at least 200 distinct patterns covering salary, degree and experience shapes,
none with what would make ripgrep refuse or slow them (look-around, back-references,
`\\b`); and `rg -f` accepts the whole set when rg is installed.

Usage: test_bench_regexes.py JOBMARKET SHARED_DIR (neither is used).
"""
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts/bench_regexes.py"


def generate() -> str:
    return subprocess.run([sys.executable, str(SCRIPT)], check=True, capture_output=True, text=True).stdout


def main() -> int:
    out = generate()
    failures = []
    if out != generate():
        failures.append("two runs printed different lines")
    lines = out.splitlines()
    if len(lines) < 200:
        failures.append(f"{len(lines)} patterns, expected at least 200")
    if len(set(lines)) != len(lines):
        failures.append("duplicate patterns")
    for p in lines:
        if not p or p != p.strip():
            failures.append(f"empty or padded pattern {p!r}")
        if re.search(r"\\b|\(\?<?[=!]|\\[1-9]", p):
            failures.append(f"word boundary, look-around or back-reference in {p!r}")
        try:
            re.compile(p)  # Python's syntax agrees with Rust's on what these use
        except re.error as e:
            failures.append(f"{p!r}: {e}")
    # One shape of each kind the issue names.
    for shape in (r"\$\d{2,3},\d{3}", r"\d+年以上", "硕士", "博士", r"\d+\+? years", "年薪", "985", "neurips"):
        if shape not in lines:
            failures.append(f"missing {shape!r}")
    rg = shutil.which("rg")
    if rg:
        with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as f:
            f.write(out)
            f.flush()
            r = subprocess.run([rg, "--count-matches", "-i", "-f", f.name, str(ROOT / "data/sample/postings.csv")],
                               capture_output=True, text=True)
            if r.returncode not in (0, 1):
                failures.append(f"rg refused the set: {r.stderr.strip()}")
    else:
        print("rg not installed: the set was not given to it")
    for msg in failures:
        print(f"FAIL: {msg}")
    print(f"{len(lines)} patterns, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
