#!/usr/bin/python3
"""jobmarket report on a Dask cluster: the inputs cut into parts (each file, and large
files at record boundaries with `jobmarket split`), `jobmarket report --partial` on every
part as a Dask task, the partial reports merged with `jobmarket merge` (as a tree when
there are many). The merged report is byte-identical to `jobmarket report FILE...` on one
machine (docs/distributed.md).

Usage: dask_report.py [OPTIONS] FILE... [-- REPORT_OPTION...]

  --scheduler ADDRESS  a running Dask scheduler (tcp://host:8786); default: a LocalCluster
                       on this machine
  --workers N          LocalCluster workers (default: one per core)
  --part-size MB       cut files larger than this into parts of about this size (default 128)
  --parts N            or: about N parts in all, the files cut in proportion to their size
  --fan-in K           merge at most K partial reports per merge (default 8)
  --threads-per-part N analysis threads of each part (default 1: one task, one core)
  --jobmarket PATH     the jobmarket binary, at the same path on every worker (default:
                       build/src/jobmarket beside this script, else jobmarket on PATH)
  --lenient            a part with rejected rows does not fail the job: its rejects are
                       counted in the merged report (exit code 1, as `jobmarket report`)
  -o, --output FILE    the merged report (repeatable; the extension picks the format)
  -f, --format FORMAT  the report's format on stdout (table|json|markdown|html)
  --partial            write the merged result as a partial report (to merge further)
  --keep DIR           keep the plans and the partial reports in DIR
  -q, --quiet          no progress on stderr, only errors
  REPORT_OPTION...     after --: passed unchanged to every `jobmarket report --partial`
                       (--as-of, --currency, --rules, --map, --encoding, ...)

Every worker must see the inputs, the jobmarket binary and the working directory at the
same paths as this machine (a shared file system), as Dask's own readers expect. Tasks
run `jobmarket` as a subprocess; a worker that dies mid-task takes its subprocess with it
and Dask runs the task again on another worker.

Exit codes: 0 success; 1 rows were rejected (the job stops and names the part, or with
--lenient the report is written and counts them); 2 usage or fatal error (bad option,
unreadable input, a part that failed, the cluster unreachable): no output written.
"""
import argparse
import ctypes
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2
# Report options that describe the merged output, not the parts: given to the driver.
OUTPUT_OPTIONS = {"-o", "--output", "-f", "--format", "--partial", "--color", "--range"}
# Read options `jobmarket split` needs to find the same records as `report`.
SPLIT_OPTIONS = {"--input-format": True, "-d": True, "--delimiter": True, "--encoding": True,
                 "--no-header": False}


class UsageError(Exception):
    pass


class JobFailed(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def say(args, text):
    if not args.quiet:
        print(f"dask_report: {text}", file=sys.stderr, flush=True)


def human_bytes(n):
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024


# ------------------------------------------------------------------ tasks (on workers)

def _die_with_parent():
    # The subprocess is killed when the worker running the task dies (PR_SET_PDEATHSIG),
    # so a retried task never races an orphan of its first attempt.
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)
    except OSError:
        pass


def _run(argv, cwd):
    try:
        return subprocess.run(argv, cwd=cwd, capture_output=True, preexec_fn=_die_with_parent)
    except FileNotFoundError as e:
        return subprocess.CompletedProcess(argv, EXIT_USAGE, b"", f"{e}\n".encode())
    except NotADirectoryError as e:
        return subprocess.CompletedProcess(argv, EXIT_USAGE, b"", f"{e}\n".encode())


def _where():
    try:
        from distributed import get_worker
        return get_worker().address
    except (ImportError, ValueError):
        return "local"


def plan_task(jobmarket, cwd, file, parts, split_options):
    """`jobmarket split FILE --parts N`: the record-boundary ranges of one file."""
    t0 = time.monotonic()
    proc = _run([jobmarket, "split", file, "--parts", str(parts), "--format", "json", "-q",
                 *split_options], cwd)
    return {"code": proc.returncode, "plan": proc.stdout.decode("utf-8", "replace"),
            "stderr": proc.stderr.decode("utf-8", "replace")[-4000:],
            "seconds": time.monotonic() - t0, "worker": _where()}


def part_task(jobmarket, cwd, file, byte_range, report_options):
    """`jobmarket report --partial` on one part; returns the partial report as text."""
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="jobmarket-part-") as tmp:
        out = os.path.join(tmp, "part.json")
        argv = [jobmarket, "report", "--partial", file, *report_options, "-o", out]
        if byte_range:
            argv[3:3] = ["--range", byte_range]
        proc = _run(argv, cwd)
        partial = Path(out).read_text(encoding="utf-8") if os.path.exists(out) else ""
    return {"code": proc.returncode, "partial": partial,
            "stderr": proc.stderr.decode("utf-8", "replace")[-4000:],
            "seconds": time.monotonic() - t0, "worker": _where()}


def merge_task(jobmarket, cwd, *parts, final_args=()):
    """`jobmarket merge --partial` of consecutive partial reports (a level of the tree)."""
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="jobmarket-merge-") as tmp:
        paths = []
        for i, part in enumerate(parts):
            paths.append(os.path.join(tmp, f"in-{i:05d}.json"))
            Path(paths[-1]).write_text(part["partial"], encoding="utf-8")
        out = os.path.join(tmp, "merged.json")
        proc = _run([jobmarket, "merge", "--partial", "-q", *paths, "-o", out], cwd)
        partial = Path(out).read_text(encoding="utf-8") if os.path.exists(out) else ""
    return {"code": proc.returncode, "partial": partial,
            "stderr": proc.stderr.decode("utf-8", "replace")[-4000:],
            "seconds": time.monotonic() - t0, "worker": _where()}


# ------------------------------------------------------------------ the driver

def parse_args(argv):
    if "--" in argv:
        cut = argv.index("--")
        own, report_options = argv[:cut], argv[cut + 1:]
    else:
        own, report_options = argv, []
    p = argparse.ArgumentParser(prog="dask_report.py", add_help=True,
                                description=__doc__.split("\n\n")[0],
                                usage="dask_report.py [OPTIONS] FILE... [-- REPORT_OPTION...]")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--scheduler")
    p.add_argument("--workers", type=int)
    p.add_argument("--part-size", type=float, metavar="MB")
    p.add_argument("--parts", type=int)
    p.add_argument("--fan-in", type=int, default=8)
    p.add_argument("--threads-per-part", type=int, default=1)
    p.add_argument("--jobmarket")
    p.add_argument("--lenient", action="store_true")
    p.add_argument("-o", "--output", action="append", default=[])
    p.add_argument("-f", "--format")
    p.add_argument("--partial", action="store_true")
    p.add_argument("--keep", metavar="DIR")
    p.add_argument("-q", "--quiet", action="store_true")
    try:
        args = p.parse_args(own)
    except SystemExit as e:
        raise SystemExit(EXIT_USAGE if e.code else EXIT_OK)
    args.report_options = report_options
    check_args(args)
    return args


def check_args(a):
    """Every value range-checked, contradictions refused, each naming the option."""
    if a.scheduler and a.workers is not None:
        raise UsageError("--workers: only for the LocalCluster; with --scheduler the cluster's "
                         "workers are used")
    if a.workers is not None and not 1 <= a.workers <= 1024:
        raise UsageError(f"--workers {a.workers}: expected 1 to 1024")
    if a.parts is not None and a.part_size is not None:
        raise UsageError("--parts and --part-size: give one (a number of parts, or their size)")
    if a.parts is not None and not 1 <= a.parts <= 100000:
        raise UsageError(f"--parts {a.parts}: expected 1 to 100000")
    if a.part_size is not None and not a.part_size > 0:
        raise UsageError(f"--part-size {a.part_size:g}: expected a size in MB above 0")
    if not 2 <= a.fan_in <= 1000:
        raise UsageError(f"--fan-in {a.fan_in}: expected 2 to 1000")
    if not 1 <= a.threads_per_part <= 256:
        raise UsageError(f"--threads-per-part {a.threads_per_part}: expected 1 to 256")
    if a.partial and a.format:
        raise UsageError("--format and --partial: a partial report is JSON")
    for opt in a.report_options:
        name = opt.split("=", 1)[0]
        if name in OUTPUT_OPTIONS:
            raise UsageError(f"{name} after --: give the merged report's {name} to the driver, "
                             "before -- (report options after -- go to every part)")
        if name in ("-j", "--threads"):
            raise UsageError(f"{name} after --: use --threads-per-part")
    for f in a.files:
        if f == "-":
            raise UsageError("-: the parts are read by the workers; give files, not stdin")
        if not os.path.isfile(f):
            raise UsageError(f"{f}: {'not a regular file' if os.path.exists(f) else 'no such file'}")
    a.jobmarket = find_jobmarket(a.jobmarket)


def find_jobmarket(given):
    candidates = [given] if given else [str(ROOT / "build" / "src" / "jobmarket"), shutil.which("jobmarket")]
    for c in candidates:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return os.path.abspath(c)
    raise UsageError(f"--jobmarket {given}: not an executable" if given else
                     "jobmarket not found: build it (scripts/build.sh) or give --jobmarket PATH")


def split_options(report_options):
    """The read options among the report options, which `split` needs too."""
    out, i = [], 0
    while i < len(report_options):
        opt = report_options[i]
        name = opt.split("=", 1)[0]
        if name in SPLIT_OPTIONS:
            out.append(opt)
            if SPLIT_OPTIONS[name] and "=" not in opt and i + 1 < len(report_options):
                out.append(report_options[i + 1])
                i += 1
        i += 1
    return out


def parts_per_file(args, sizes):
    total = sum(sizes)
    if args.parts is not None:
        target = max(1, total / args.parts)
    else:
        target = (args.part_size or 128) * 1024 * 1024
    return [max(1, round(size / target)) if size > target else 1 for size in sizes]


def fail_part(part, result, what):
    """The error for a part that failed: which part, why, and its first diagnostics."""
    lines = [l for l in result["stderr"].splitlines() if l.strip()]
    shown = "\n".join("  " + l for l in lines[:8])
    more = f"\n  ... ({len(lines) - 8} more lines)" if len(lines) > 8 else ""
    return f"{part['name']} on {result['worker']}: {what}" + (f":\n{shown}{more}" if shown else "")


def run(args):
    from distributed import Client, LocalCluster, as_completed

    t_start = time.monotonic()
    cwd = os.getcwd()
    sizes = [os.path.getsize(f) for f in args.files]
    counts = parts_per_file(args, sizes)
    report_options = list(args.report_options) + ["--threads", str(args.threads_per_part)]

    cluster = None
    if args.scheduler:
        client = Client(args.scheduler, timeout="30s")
        if not client.scheduler_info()["workers"]:
            say(args, f"waiting for a worker to join {args.scheduler} ...")
            try:
                client.wait_for_workers(1, timeout=120)
            except TimeoutError:
                client.close()
                raise JobFailed(EXIT_USAGE, f"--scheduler {args.scheduler}: no worker joined in 120 s")
        where = f"{args.scheduler} ({len(client.scheduler_info()['workers'])} workers)"
    else:
        workers = args.workers or os.cpu_count() or 1
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        client = Client(cluster)
        where = f"a LocalCluster of {workers} workers"
    t_ready = time.monotonic()
    # Task keys are the scheduler's: unique to this job, so that two jobs on one cluster
    # never share a task.
    job = uuid.uuid4().hex[:8]
    try:
        say(args, f"{len(args.files)} inputs, {human_bytes(sum(sizes))}, on {where} "
                  f"(ready in {t_ready - t_start:.1f} s)")
        lost = []

        def on_event(event):
            _, msg = event
            if isinstance(msg, dict) and msg.get("action") == "remove-worker":
                running = sorted(names.get(k, k) for k in msg.get("processing-tasks", ()))
                lost.append(msg.get("worker"))
                say(args, f"worker {msg.get('worker')} lost" +
                    (f" while running {', '.join(running)}: Dask runs {'it' if len(running) == 1 else 'them'} again"
                     if running else ""))

        names = {}
        client.subscribe_topic("all", on_event)

        # 1. Plans: each large file cut at record boundaries (files in parallel).
        plans = {}
        futures = {}
        for i, (f, n) in enumerate(zip(args.files, counts)):
            if n > 1:
                key = f"plan-{i}-{job}"
                names[key] = f"the split of {f}"
                futures[i] = client.submit(plan_task, args.jobmarket, cwd, f, n,
                                           split_options(args.report_options), key=key, pure=False)
        for i, fut in futures.items():
            r = fut.result()
            if r["code"] != 0:
                raise JobFailed(EXIT_USAGE, fail_part({"name": f"the split of {args.files[i]}"}, r,
                                                      f"failed (exit {r['code']})"))
            plans[i] = json.loads(r["plan"])
            say(args, f"split {args.files[i]} in {len(plans[i]['parts'])} parts "
                      f"({plans[i]['rows']} rows) in {r['seconds']:.1f} s")

        parts = []
        for i, f in enumerate(args.files):
            if i in plans:
                for p in plans[i]["parts"]:
                    # The plan's form: the part reads its own bytes, nothing before them.
                    parts.append({"file": f, "range": p["exact_range"], "bytes": p["bytes"],
                                  "what": f"{f} bytes {p['range']}"})
            else:
                parts.append({"file": f, "range": None, "bytes": sizes[i], "what": f})
        total = len(parts)
        for k, p in enumerate(parts):
            p["name"] = f"part {k + 1}/{total} ({p['what']})"

        # 2. The parts, as Dask tasks.
        part_futures = []
        for k, p in enumerate(parts):
            key = f"part-{k + 1}-of-{total}-{job}"
            names[key] = p["name"]
            part_futures.append(client.submit(part_task, args.jobmarket, cwd, p["file"], p["range"],
                                              report_options, key=key, pure=False))
        index = {f.key: k for k, f in enumerate(part_futures)}
        results = [None] * total
        done_bytes, total_bytes, done = 0, sum(p["bytes"] for p in parts) or 1, 0
        t_parts = time.monotonic()
        for fut in as_completed(part_futures):
            k = index[fut.key]
            r = fut.result()
            p = parts[k]
            if r["code"] == EXIT_USAGE or (r["code"] != 0 and not r["partial"]):
                raise JobFailed(EXIT_USAGE, fail_part(p, r, f"failed (exit {r['code']})"))
            if r["code"] == EXIT_DATA and not args.lenient:
                raise JobFailed(EXIT_DATA, fail_part(p, r, "rows rejected (exit 1; --lenient "
                                                          "counts them in the merged report)"))
            results[k] = fut
            done += 1
            done_bytes += p["bytes"]
            elapsed = time.monotonic() - t_parts
            eta = elapsed * (total_bytes - done_bytes) / done_bytes if done_bytes else 0
            postings = json.loads(r["partial"]).get("overview", {}).get("records")
            say(args, f"{p['name']} done: {postings if postings is not None else '?'} postings, "
                      f"{r['seconds']:.1f} s on {r['worker']} [{done}/{total}, "
                      f"{100 * done_bytes / total_bytes:.0f}%, ETA {eta:.0f} s]")

        # 3. The merge tree: levels of --fan-in consecutive parts, on the cluster; the last
        # merge here, where the outputs go, with the plans that join split files again.
        t_merge = time.monotonic()
        level, depth = results, 0
        while len(level) > args.fan_in:
            depth += 1
            nxt = []
            for g in range(0, len(level), args.fan_in):
                group = level[g:g + args.fan_in]
                key = f"merge-{depth}-{g // args.fan_in + 1}-{job}"
                names[key] = f"merge level {depth} group {g // args.fan_in + 1}"
                nxt.append(client.submit(merge_task, args.jobmarket, cwd, *group, key=key, pure=False))
            for fut in nxt:
                r = fut.result()
                if r["code"] not in (EXIT_OK, EXIT_DATA) or not r["partial"]:
                    raise JobFailed(EXIT_USAGE, fail_part({"name": names[fut.key]}, r,
                                                          f"failed (exit {r['code']})"))
            level = nxt
        finals = [fut.result() for fut in level]
        return final_merge(args, finals, plans, t_ready, t_merge, depth, total)
    finally:
        try:
            client.unsubscribe_topic("all")  # before closing: no event for a closed client
        except (ValueError, OSError):
            pass
        client.close()
        if cluster is not None:
            cluster.close()


def final_merge(args, finals, plans, t_ready, t_merge, depth, total):
    keep = Path(args.keep) if args.keep else None
    with tempfile.TemporaryDirectory(prefix="jobmarket-final-") as tmp:
        where = keep or Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        paths = []
        for i, r in enumerate(finals):
            paths.append(where / f"part-{i + 1:05d}.json")
            paths[-1].write_text(r["partial"], encoding="utf-8")
        plan_args = []
        for i, plan in sorted(plans.items()):
            path = where / f"plan-{i + 1:03d}.json"
            path.write_text(json.dumps(plan, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            plan_args += ["--plan", str(path)]
        argv = [args.jobmarket, "merge", "-q", *plan_args, *map(str, paths)]
        for o in args.output:
            argv += ["-o", o]
        if args.format:
            argv += ["--format", args.format]
        if args.partial:
            argv.append("--partial")
        proc = subprocess.run(argv, stderr=subprocess.PIPE)
        if proc.returncode not in (EXIT_OK, EXIT_DATA):
            raise JobFailed(EXIT_USAGE, "final merge failed:\n" + proc.stderr.decode("utf-8", "replace"))
        now = time.monotonic()
        say(args, f"merged {total} parts in {now - t_merge:.2f} s "
                  f"({depth + 1} level{'s' if depth else ''}); the job took {now - t_ready:.1f} s")
        return proc.returncode


def main(argv):
    try:
        args = parse_args(argv)
    except UsageError as e:
        print(f"dask_report: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    try:
        import distributed  # noqa: F401
    except ImportError:
        print("dask_report: error: Dask is not installed (Debian: apt-get install python3-distributed; "
              "run this script with /usr/bin/python3)", file=sys.stderr)
        return EXIT_USAGE
    try:
        return run(args)
    except JobFailed as e:
        print(f"dask_report: error: {e}", file=sys.stderr)
        return e.code
    except (OSError, TimeoutError) as e:
        print(f"dask_report: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("dask_report: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
