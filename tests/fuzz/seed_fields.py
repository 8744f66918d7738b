#!/usr/bin/env python3
"""Seeds for the salary and date fuzz targets: distinct values of the salary or date
columns of the real corpora, one file each, prefixed with the hint byte the targets read
first. Usage: seed_fields.py salary|date CORPORA_DIR OUT_DIR [MAX]"""
import csv
import hashlib
import pathlib
import sys

# Header words (lower-cased) that mark the column; see docs/reading.md for the full lists.
COLUMNS = {
    "salary": ("salary", "薪资", "岗位待遇", "pay", "compensation"),
    "date": ("posted", "publishedat", "create_time", "first_seen", "发布时间", "date", "age",
             "work_year", "updated_at"),
}


def main():
    kind, corpora, out = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
    limit = int(sys.argv[4]) if len(sys.argv) > 4 else 300
    csv.field_size_limit(1 << 26)
    values = set()
    for path in sorted(corpora.glob("*/*.csv")):
        try:
            with open(path, encoding="utf-8-sig", newline="") as f:
                reader = csv.reader(f)
                header = [h.strip().lower() for h in next(reader, [])]
                cols = [i for i, h in enumerate(header)
                        if any(w in h for w in COLUMNS[kind])]
                for n, row in enumerate(reader):
                    if n >= 2000:
                        break
                    for i in cols:
                        if i < len(row) and 0 < len(row[i]) < 200:
                            values.add(row[i])
        except (UnicodeDecodeError, csv.Error):
            continue  # the cp1252 copy and friends: the CSV fuzzer covers those bytes
    out.mkdir(parents=True, exist_ok=True)
    # Spread the picks over all sources: the sorted order groups similar strings.
    picked = sorted(values, key=lambda v: hashlib.sha1(v.encode()).hexdigest())[:limit]
    for v in picked:
        data = v.encode()
        name = hashlib.sha1(data).hexdigest()[:16]
        # hint byte 0 = defaults, 1 = CJK context / day-month order
        (out / f"field-{name}").write_bytes(b"\x00" + data)
    print(f"{len(picked)} {kind} seeds from {corpora}", file=sys.stderr)


if __name__ == "__main__":
    main()
