#!/usr/bin/env python3
"""The report shown in README.md is what the program prints today: the block between
<!-- report:begin --> and <!-- report:end --> must match the start of the output of the
command it names. To refresh it, run the command and paste its output.

Usage: test_readme.py JOBMARKET SHARED_DIR
"""
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    jm = sys.argv[1]
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"<!-- report:begin -->\n```text\n\$ (.*?)\n(.*?)\n\.\.\.\n```\n<!-- report:end -->", text, re.S)
    if not m:
        print("FAIL: README.md has no report block")
        return 1
    args = shlex.split(m.group(1))
    assert args[0] == "jobmarket"
    out = subprocess.run([jm, *args[1:], "--color", "never"], cwd=ROOT, capture_output=True, text=True).stdout
    shown = m.group(2)
    if not out.startswith(shown + "\n"):
        print("FAIL: README.md's report differs from what the program prints now:")
        for a, b in zip(shown.split("\n"), out.split("\n")):
            if a != b:
                print(f"  README:  {a}\n  program: {b}")
                break
        return 1
    print(f"ok: README report block ({len(shown.splitlines())} lines) matches `{m.group(1)}`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
