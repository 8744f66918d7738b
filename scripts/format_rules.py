#!/usr/bin/env python3
"""Rewrites a classification rule table (data/rules/classify.json) in the house layout:
scoring and each section on one line, each cue and rule as an object with one key a line
and its lists on one line, so a change to a table shows as a small diff.

Usage: scripts/format_rules.py FILE [--check]   (--check: exit 1 if FILE is not formatted)
"""
import json
import sys
from collections import OrderedDict

ORDER = ["$schema", "version", "description", "scoring", "sections", "cues", "title_roles", "rules"]


def one(v):
    return json.dumps(v, ensure_ascii=False)


def block(obj, indent):
    pad = " " * indent
    lines = [f'{pad}  "{k}": {one(v)}' for k, v in obj.items()]
    return pad + "{\n" + ",\n".join(lines) + "\n" + pad + "}"


def render(d):
    parts = []
    for k in ORDER + [k for k in d if k not in ORDER]:
        if k not in d:
            continue
        v = d[k]
        if k in ("sections",):
            body = ",\n".join("    " + one(s) for s in v)
            parts.append(f'  "{k}": [\n{body}\n  ]')
        elif k in ("cues", "rules"):
            body = ",\n".join(block(r, 4) for r in v)
            parts.append(f'  "{k}": [\n{body}\n  ]')
        elif k == "title_roles":
            parts.append(f'  "{k}": ' + block(v, 2).lstrip())
        else:
            parts.append(f'  "{k}": {one(v)}')
    return "{\n" + ",\n".join(parts) + "\n}\n"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    path = sys.argv[1]
    text = open(path, encoding="utf-8").read()
    out = render(json.loads(text, object_pairs_hook=OrderedDict))
    if "--check" in sys.argv[2:]:
        sys.exit(0 if out == text else 1)
    open(path, "w", encoding="utf-8").write(out)


if __name__ == "__main__":
    main()
