#!/usr/bin/env python3
"""The examples of docs/distributed.md run: every ```sh block after a `<!-- runnable -->`
line is run with bash (-euo pipefail), in order, in one temporary directory holding the
bundled sample as postings.csv, with the jobmarket under test first on PATH; a ```text
block right after it is its expected stdout.

Usage: test_distributed_docs.py JOBMARKET SHARED_DIR
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    jm = os.path.abspath(sys.argv[1])
    if not shutil.which("jq"):
        print("SKIP: jq is not installed (the examples use it)")
        return 77
    text = (ROOT / "docs" / "distributed.md").read_text(encoding="utf-8")
    blocks = re.findall(r"<!-- runnable -->\n```sh\n(.*?)```\n(?:\n```text\n(.*?)```\n)?", text, re.S)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        bindir = Path(tmp) / "bin"
        bindir.mkdir()
        (bindir / "jobmarket").symlink_to(jm)
        work = Path(tmp) / "work"
        work.mkdir()
        shutil.copy(ROOT / "data" / "sample" / "postings.csv", work / "postings.csv")
        env = dict(os.environ, PATH=f"{bindir}:{os.environ['PATH']}", LC_ALL="C")
        for i, (script, expected) in enumerate(blocks, 1):
            proc = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=work, env=env,
                                  capture_output=True, text=True)
            ok = proc.returncode == 0 and (not expected or proc.stdout == expected)
            first = script.strip().splitlines()[0]
            print(f"{'ok' if ok else 'FAIL'}: block {i} ({first})")
            if not ok:
                failures += 1
                print(f"  exit {proc.returncode}\n  stdout:\n{proc.stdout}\n  expected:\n{expected}\n  stderr:\n{proc.stderr}")
    if not blocks:
        print("FAIL: no runnable block in docs/distributed.md")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
