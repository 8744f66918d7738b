#!/usr/bin/env python3
"""The large half of the bad-input matrix (docs/robustness.md): inputs too big to keep as
fixtures are generated into a temporary directory, run through the real binary in lenient
and strict mode, and checked for the exact message, exit code, row accounting and a peak
RSS bound. The small half are the golden cases tests/e2e/cases/bad_*.

Usage: test_bad_inputs.py JOBMARKET [SHARED_DIR]. No timing is asserted anywhere."""
import os
import pathlib
import subprocess
import sys
import tempfile

RSS_LIMIT_KB = 300 * 1024
MIB = 1 << 20

failures = []
measured = []


# peak_rss_note: Linux keeps a process's RSS high-water mark across fork and exec, so the
# child's ru_maxrss is at least this script's own; the generators write in pieces to keep
# this script small and the measurement meaningful.


def run(binary, args, cwd):
    """Runs jobmarket; returns (exit code, number of stdout lines, stderr, peak RSS in KB)."""
    proc = subprocess.Popen([binary] + args, cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=dict(os.environ, NO_COLOR="1", TZ="UTC"))
    lines = 0
    # Records are one line each (NDJSON); count them without holding the output.
    while chunk := proc.stdout.read(1 << 20):
        lines += chunk.count(b"\n")
    err = proc.stderr.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, lines, err, usage.ru_maxrss


def check(name, binary, args, cwd, code, records, err):
    got_code, got_records, got_err, rss = run(binary, args, cwd)
    measured.append((name, got_code, got_records, rss))
    problems = []
    if got_code != code:
        problems.append(f"exit code {got_code}, expected {code}")
    if got_records != records:
        problems.append(f"{got_records} records written, expected {records}")
    if got_err != err:
        problems.append(f"stderr:\n{got_err}expected:\n{err}")
    if rss >= RSS_LIMIT_KB:
        problems.append(f"peak RSS {rss} KB, limit {RSS_LIMIT_KB} KB")
    if problems:
        failures.append(f"{name}: " + "; ".join(problems))
    print(f"{name}: exit {got_code}, {got_records} records, peak RSS {rss // 1024} MB", flush=True)


def write_unterminated_at_end(path):
    """~100 MB of multi-line quoted rows; the last row opens a quote that never closes."""
    row_text = "x" * 200
    rows = 0
    with open(path, "w") as f:
        f.write("id,title,text\n")
        while f.tell() < 100 * MIB:
            f.write(f'{rows + 1},title {rows + 1},"{row_text}\nsecond line"\n')
            rows += 1
        f.write(f'{rows + 1},last,"never closed\nmore text\n')
    # header line 1, two physical lines per good row
    return rows, 2 + 2 * rows


def main():
    binary = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory(prefix="jm-bad-") as tmp:
        d = pathlib.Path(tmp)

        rows, last_line = write_unterminated_at_end(d / "big.csv")
        reason = "unterminated quoted field: the quote is never closed before the end of input"
        check("unterminated quote at the end of 100 MB", binary, ["convert", "big.csv"], d, 1, rows,
              f"jobmarket: warning: big.csv:{last_line}: {reason} (row {rows + 1} skipped)\n"
              f"jobmarket: 1 of {rows + 1} rows rejected (1 unterminated quoted field)\n")
        check("unterminated quote at the end of 100 MB, strict", binary,
              ["convert", "--strict", "big.csv"], d, 1, rows,
              f"jobmarket: error: big.csv:{last_line}: {reason}\n")
        os.remove(d / "big.csv")

        # A quote opened early swallows the rest of the file: one record past the 16 MiB
        # limit, rejected as a whole, and the account still closes.
        with open(d / "early.csv", "w") as f:
            f.write('id,title,text\n1,ok,fine\n2,open,"never closed\n')
            for i in range(200_000):
                f.write(f"{i},{'y' * 100}\n")
        check("quote opened early, never closed (20 MB)", binary, ["convert", "early.csv"], d, 1, 1,
              "jobmarket: warning: early.csv:3: unterminated quoted field: the quote opened in "
              "this record is never closed (record runs to end of input, 200001 lines) "
              "(row 2 skipped)\n"
              "jobmarket: 1 of 2 rows rejected (1 unterminated quoted field)\n")
        os.remove(d / "early.csv")

        with open(d / "field.csv", "w") as f:
            f.write('id,title,text\n1,big,"')
            for _ in range(50):  # in pieces: see peak_rss_note
                f.write("a" * MIB)
            f.write('"\n2,ok,fine\n')
        check("a single 50 MB field", binary, ["convert", "field.csv"], d, 1, 1,
              "jobmarket: warning: field.csv:2: record longer than the 16 MiB limit (1 line) "
              "(row 1 skipped)\n"
              "jobmarket: 1 of 2 rows rejected (1 record longer than the 16 MiB limit)\n")
        check("a single 50 MB field, strict", binary, ["convert", "--strict", "field.csv"], d, 1, 0,
              "jobmarket: error: field.csv:2: record longer than the 16 MiB limit (1 line)\n")
        os.remove(d / "field.csv")

        with open(d / "wide.csv", "w") as f:
            f.write("id,title\n1," + ",".join(["x"] * 1_000_000) + "\n2,ok\n")
        check("a million columns in one row", binary, ["convert", "wide.csv"], d, 1, 1,
              "jobmarket: warning: wide.csv:2: expected 2 fields (as in the header), found "
              "1000001 (row 1 skipped)\n"
              "jobmarket: 1 of 2 rows rejected (1 expected 2 fields)\n")
        check("a million columns in one row, strict", binary, ["convert", "--strict", "wide.csv"],
              d, 1, 0,
              "jobmarket: error: wide.csv:2: expected 2 fields (as in the header), found 1000001\n")
        # ... and a million columns in the header too: every row is that wide.
        with open(d / "wide_header.csv", "w") as f:
            for start in range(0, 1_000_000, 10_000):  # in pieces: see peak_rss_note
                f.write(("," if start else "") + ",".join(f"c{i}" for i in range(start, start + 10_000)))
            f.write("\n" + ",".join(["v"] * 1_000_000) + "\n")
        check("a million columns in header and row", binary, ["convert", "wide_header.csv"], d, 0, 1,
              "")

        deep = "[" * 100_000 + "]" * 100_000
        (d / "deep.json").write_text('[{"id": "1", "title": ' + deep + '},\n {"id": "2", "title": "ok"}]\n')
        check("JSON nested 100,000 levels", binary, ["convert", "deep.json"], d, 1, 1,
              "jobmarket: warning: deep.json:1: JSON nested deeper than 512 levels (row 1 skipped)\n"
              "jobmarket: 1 of 2 rows rejected (1 JSON nested deeper than 512 levels)\n")
        check("JSON nested 100,000 levels, strict", binary, ["convert", "--strict", "deep.json"], d,
              1, 0, "jobmarket: error: deep.json:1: JSON nested deeper than 512 levels\n")
        (d / "deep.ndjson").write_text('{"id": "1", "title": ' + deep + '}\n{"id": "2", "title": "ok"}\n')
        check("NDJSON nested 100,000 levels", binary, ["convert", "deep.ndjson"], d, 1, 1,
              "jobmarket: warning: deep.ndjson:1: JSON nested deeper than 512 levels (row 1 skipped)\n"
              "jobmarket: 1 of 2 rows rejected (1 JSON nested deeper than 512 levels)\n")

        # A JSON array that never closes, after 50 MB of good elements.
        with open(d / "open.json", "w") as f:
            f.write("[")
            n = 0
            while f.tell() < 50 * MIB:
                f.write(f'{"," if n else ""}\n{{"id": "{n}", "title": "{"t" * 200}"}}')
                n += 1
        check("JSON array that never closes (50 MB)", binary, ["convert", "open.json"], d, 1, n,
              f"jobmarket: warning: open.json:{n + 1}: unterminated JSON array: input ends before "
              "the closing ']'\n"
              f"jobmarket: 1 input error (1 unterminated JSON array); {n} rows read, none rejected\n")
        os.remove(d / "open.json")

        # User patterns run on vectorscan (automata, no backtracking): the textbook
        # catastrophic pattern on a 1 MB near-miss finishes. No time is asserted; a
        # backtracking engine would run into the ctest timeout.
        (d / "redos.json").write_text(
            '{"version": "u1", "rules": [{"id": "x.redos", "kind": "research", '
            '"regex": ["(a+)+$", "(a|aa)+c$"], "source": "added from data: test"}]}\n')
        (d / "long.csv").write_text("id,title,text\n1,aaaa," + "a" * MIB + "b\n")
        check("pathological regex (a+)+$ on 1 MB of a...b", binary,
              ["classify", "--rules", "redos.json", "--rules-mode", "replace", "--format", "ndjson",
               "long.csv"], d, 0, 1,
              "jobmarket: 1 postings: research 0, engineering 0, other 1\n")

        # Atomic output: a run that fails half-way leaves the previous file untouched and no
        # temporary behind.
        (d / "a.csv").write_text("id,title\n1,a\n")
        (d / "b.csv").write_text("id,name\n2,b\n")
        (d / "out.csv").write_text("previous\n")
        check("failing run keeps the previous output", binary,
              ["convert", "a.csv", "b.csv", "--format", "csv", "-o", "out.csv"], d, 2, 0,
              "jobmarket: error: b.csv: columns differ from the first input's; --format csv needs "
              "one header (use --format ndjson to combine files with different columns)\n")
        if (d / "out.csv").read_text() != "previous\n" or len(list(d.glob("out.csv.tmp-*"))):
            failures.append("failing run: out.csv changed or a temporary was left behind")

        # A read-only directory: root ignores permissions, so this part needs another user
        # (the golden case bad_output_not_a_dir covers an uncreatable path for everyone).
        if os.geteuid() != 0:
            ro = d / "ro"
            ro.mkdir()
            ro.chmod(0o555)
            check("output in a read-only directory", binary,
                  ["convert", "a.csv", "-o", "ro/out.ndjson"], d, 2, 0,
                  "jobmarket: error: ro/out.ndjson: cannot create output file: Permission denied\n")
            ro.chmod(0o755)
        else:
            print("output in a read-only directory: skipped (running as root)")

    if failures:
        print("\n".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
