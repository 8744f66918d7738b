#!/usr/bin/python3
"""How jobmarket scales over processes and Dask workers, on the corpus of scripts/bench.sh.

Measures, on bench/postings-SIZEm.csv (generated as bench.sh does):
  - one run of `jobmarket report` (both cores, and one thread), the reference output;
  - the split: `jobmarket split --parts N` (the plan), and the scan a --range makes to find
    its boundaries (the last byte of the file: a scan of all of it);
  - each part's `report --partial --range` with one thread, one after another (per-part time);
  - `merge --plan` of the parts, and whether it equals the reference byte for byte;
  - scripts/dask_report.py on a LocalCluster of 1, 2 and 4 workers (wall time, same check);
  - the merge of 64 parts, flat and as a tree (fan-in 8).
Prints markdown tables (docs/performance.md, "Distributed"). Wall times on a shared machine
are noisy: the CPU seconds of the jobmarket processes are given beside them.

Usage: scripts/bench_distributed.py [SIZE_MB] [--parts N] [--workers 1,2,4]
Environment: JOBMARKET=path/to/jobmarket.
"""
import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(argv, **kw):
    """(wall seconds, CPU seconds of the child, CompletedProcess)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    proc = subprocess.run(argv, capture_output=True, **kw)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1):
        sys.exit(f"failed ({proc.returncode}): {' '.join(map(str, argv))}\n{proc.stderr.decode()[-2000:]}")
    return wall, cpu, proc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("size", nargs="?", type=int, default=1024)
    ap.add_argument("--parts", type=int, default=8)
    ap.add_argument("--workers", default="1,2,4")
    args = ap.parse_args()
    jm = os.environ.get("JOBMARKET", str(ROOT / "build" / "src" / "jobmarket"))
    corpus = ROOT / "bench" / f"postings-{args.size}m.csv"
    if not corpus.exists():
        corpus.parent.mkdir(exist_ok=True)
        print(f"generating {corpus} ...", file=sys.stderr)
        subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_postings.py"), "--size-mb", str(args.size),
                        "-o", f"{corpus}.tmp"], check=True)
        os.rename(f"{corpus}.tmp", corpus)
    size = corpus.stat().st_size
    mb = size / 1048576
    load = os.getloadavg()
    print(f"corpus: {corpus} ({mb:.0f} MiB), {os.cpu_count()} cores, load average {load[0]:.1f} at the start")

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        rows = []
        w, c, _ = timed([jm, "report", str(corpus), "--format", "json", "-q", "-o", str(tmp / "one.json")])
        rows.append(("`report` (one process, both cores)", w, c))
        w1, c1, _ = timed([jm, "report", str(corpus), "--format", "json", "-q", "-j", "1", "-o", str(tmp / "one-j1.json")])
        rows.append(("`report -j 1` (one process, one thread)", w1, c1))
        one = (tmp / "one.json").read_bytes()
        same_j = (tmp / "one-j1.json").read_bytes() == one
        wp, cp, proc = timed([jm, "split", str(corpus), "--parts", str(args.parts), "--format", "json", "-q"])
        plan = json.loads(proc.stdout)
        (tmp / "plan.json").write_bytes(proc.stdout)
        rows.append((f"`split --parts {args.parts}` (the plan: one scan, SHA-256s on 2 threads)", wp, cp))
        ws, cs, _ = timed([jm, "split", str(corpus), "--range", f"{size - 1}:", "-q", "-o", str(tmp / "tail.csv")])
        rows.append(("`split --range` of the last byte (the boundary scan of a range at the end)", ws, cs))
        part_times = []
        for p in plan["parts"]:
            out = tmp / f"part-{p['part']:03d}.json"
            pw, pc, _ = timed([jm, "report", "--partial", str(corpus), "--range", p["exact_range"], "-j", "1",
                               "-q", "-o", str(out)])
            part_times.append((p, pw, pc))
        last = plan["parts"][-1]
        lw, lc, _ = timed([jm, "report", "--partial", str(corpus), "--range", last["range"], "-j", "1", "-q",
                           "-o", str(tmp / "last-found.json")])
        parts = [str(tmp / f"part-{p['part']:03d}.json") for p in plan["parts"]]
        wm, cm, _ = timed([jm, "merge", "--plan", str(tmp / "plan.json"), *parts, "--format", "json", "-q",
                           "-o", str(tmp / "merged.json")])
        rows.append((f"`merge --plan` of the {len(parts)} parts", wm, cm))
        identical = (tmp / "merged.json").read_bytes() == one

        print()
        print("| step | wall s | CPU s |")
        print("|---|---:|---:|")
        for name, w_, c_ in rows:
            print(f"| {name} | {w_:.2f} | {c_:.2f} |")
        print()
        print(f"merged report of {len(parts)} parts == one run, byte for byte: {'yes' if identical else 'NO'}; "
              f"`-j 1` == both cores: {'yes' if same_j else 'NO'}")
        print()
        print("| part (`--range START:END@LINE:ROW`, the plan's form) | bytes | rows | wall s (-j 1) | CPU s |")
        print("|---:|---:|---:|---:|---:|")
        for p, pw, pc in part_times:
            print(f"| {p['part']} | {p['bytes']} | {p['rows']} | {pw:.2f} | {pc:.2f} |")
        cpu_parts = sum(pc for _, _, pc in part_times)
        print(f"| all | {size} | {plan['rows']} | {sum(pw for _, pw, _ in part_times):.2f} | {cpu_parts:.2f} |")
        print(f"| {last['part']}, `--range {last['range']}` (boundaries found: the bytes before it scanned) "
              f"| {last['bytes']} | {last['rows']} | {lw:.2f} | {lc:.2f} |")

        print()
        print("| workers | job s | speed-up vs 1 worker | MB/s | wall s with cluster start | merged == one run |")
        print("|---:|---:|---:|---:|---:|---|")
        base = None
        for n in [int(x) for x in args.workers.split(",")]:
            out = tmp / f"dask-{n}.json"
            wd, _, proc = timed([sys.executable, str(ROOT / "scripts" / "dask_report.py"), "--workers", str(n),
                                 "--parts", str(args.parts), "--jobmarket", jm, str(corpus), "-o", str(out)])
            job = float(re.search(r"the job took ([0-9.]+) s", proc.stderr.decode()).group(1))
            base = base or job
            print(f"| {n} | {job:.1f} | {base / job:.2f}x | {mb / job:.1f} | {wd:.1f} | "
                  f"{'yes' if out.read_bytes() == one else 'NO'} |")
            if n == 2:
                (tmp / "dask-2.log").write_bytes(proc.stderr)
        print()
        print("driver log, 2 workers:")
        print("".join("    " + l + "\n" for l in (tmp / "dask-2.log").read_text().splitlines()))

        # The merge of many parts: 64 partial reports (made by the driver, kept), flat and as a tree.
        keep = tmp / "keep64"
        timed([sys.executable, str(ROOT / "scripts" / "dask_report.py"), "--workers", "2", "--parts", "64",
               "--fan-in", "100", "--keep", str(keep), "-q", "--jobmarket", jm, str(corpus),
               "-o", str(tmp / "dask-64.json")])
        kept = sorted(str(p) for p in keep.glob("part-*.json"))
        plans = [x for p in sorted(keep.glob("plan-*.json")) for x in ("--plan", str(p))]
        wf, cf, _ = timed([jm, "merge", *plans, *kept, "--format", "json", "-q", "-o", str(tmp / "flat.json")])
        t0 = time.monotonic()
        level = kept
        depth = 0
        while len(level) > 8:
            depth += 1
            nxt = []
            for g in range(0, len(level), 8):
                out = str(tmp / f"tree-{depth}-{g}.json")
                timed([jm, "merge", "--partial", "-q", *level[g:g + 8], "-o", out])
                nxt.append(out)
            level = nxt
        timed([jm, "merge", *plans, *level, "--format", "json", "-q", "-o", str(tmp / "tree.json")])
        wt = time.monotonic() - t0
        same = (tmp / "flat.json").read_bytes() == (tmp / "tree.json").read_bytes() == one
        print(f"merge of {len(kept)} parts: flat {wf:.2f} s ({cf:.2f} CPU s); tree of fan-in 8 "
              f"({depth + 1} levels, one process after another) {wt:.2f} s; both == one run: {'yes' if same else 'NO'}")
        sizes = [os.path.getsize(p) for p in kept]
        print(f"partial report size: {min(sizes)} to {max(sizes)} bytes")
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
