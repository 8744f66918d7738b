#!/usr/bin/env python3
"""scripts/dask_report.py on a Dask LocalCluster of 2 workers, one of them killed (SIGKILL)
while it runs a part:

- Dask runs the killed part again on a worker that lives, and the merged report is
  byte-identical to `jobmarket report` over the same files on one machine (files cut into
  ranges at record boundaries, merged in a tree: fan-in 2);
- the driver shows its progress on stderr (each part done, the lost worker, the merge);
- a part with rejected rows fails the job and names the part (exit 1); with --lenient the
  rejects are counted in the merged report, which equals the one-machine report.

Usage: test_dask.py JOBMARKET SHARED_DIR. Needs Dask (Debian: python3-distributed, importable
from /usr/bin/python3, which the test re-executes itself with); skipped (exit 77) without it.
"""
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DRIVER = ROOT / "scripts" / "dask_report.py"
failures = 0


def check(cond, what):
    global failures
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        failures += 1
    return cond


def have_dask():
    try:
        import distributed  # noqa: F401
        return True
    except ImportError:
        return False


def inputs(shared: Path):
    files = [ROOT / "data" / "sample" / "postings.csv"]
    corpora = shared / "corpora"
    for rel in ("boss-ai-jd-markdown/boss_ai_jd.json", "linkedin-ai-ml-2024/ai_ml_jobs_linkedin.ndjson",
                "boss-hangzhou-fullstack/job_details_with_text.csv"):
        if (corpora / rel).is_file():
            files.append(corpora / rel)
    if len(files) == 1:
        print(f"note: {corpora} not present: the bundled sample only")
    return [str(f) for f in files]


def one_run(jm, files, options):
    return subprocess.run([jm, "report", *files, "--format", "json", "-q", *options], capture_output=True)


def wait_for(predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def kill_test(jm, files, cluster, client, tmp: Path):
    markers = tmp / "started.txt"
    # A jobmarket that notes which worker (its parent) starts each part and takes a second
    # before it works, so that the kill lands while a part runs.
    wrapper = tmp / "slow-jobmarket"
    wrapper.write_text(f"""#!/bin/sh
if [ "$1" = report ]; then echo "$PPID $*" >> "{markers}"; sleep 1; fi
exec "{jm}" "$@"
""")
    wrapper.chmod(0o755)
    pids = client.run(os.getpid)  # worker address -> pid
    out = tmp / "merged.json"
    options = ["--as-of", "2025-12-31"]
    driver = subprocess.Popen([sys.executable, str(DRIVER), "--scheduler", cluster.scheduler_address,
                               "--jobmarket", str(wrapper), "--parts", "6", "--fan-in", "2",
                               *files, "-o", str(out), "--", *options],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    started = wait_for(lambda: markers.exists() and markers.read_text().strip(), 120)
    victim = int(markers.read_text().split()[0]) if started else None
    check(started and victim in pids.values(), f"a part started on a worker (pid {victim} of {sorted(pids.values())})")
    if victim in pids.values():
        os.kill(victim, signal.SIGKILL)
    try:
        _, err = driver.communicate(timeout=600)
    except subprocess.TimeoutExpired:
        driver.kill()
        _, err = driver.communicate()
    err = err.decode("utf-8", "replace")
    print("driver stderr:\n" + "".join("  " + l + "\n" for l in err.splitlines()))
    check(driver.returncode == 0, f"the driver exits 0 after the worker was killed (exit {driver.returncode})")
    one = one_run(jm, files, options)
    check(out.exists() and out.read_bytes() == one.stdout and one.returncode == 0,
          f"the merged report is byte-identical to one run over {len(files)} files")
    # "PID report --partial FILE ... -o TMP/part.json": the part is the arguments before -o.
    lines = [l.split(" -o ")[0].split(" ", 1) for l in markers.read_text().splitlines()] if markers.exists() else []
    killed = [args for pid, args in lines if int(pid) == victim]
    retried = [args for args in killed if sum(1 for pid, a in lines if a == args and int(pid) != victim)]
    check(bool(killed) and retried == killed, "the part the killed worker ran was run again on another worker")
    check(f"worker " in err and "lost while running part" in err and "Dask runs " in err,
          "the driver reports the lost worker and the part it ran")
    check(err.count(" done: ") >= 6 and "ETA" in err and "merged " in err,
          "the driver shows each part done, with an ETA, and the merge, on stderr")


def failure_tests(jm, cluster, tmp: Path):
    bad = str(ROOT / "tests" / "e2e" / "data" / "bad" / "ragged.csv")
    sample = str(ROOT / "data" / "sample" / "postings.csv")
    common = [sys.executable, str(DRIVER), "--scheduler", cluster.scheduler_address, "--jobmarket", jm, "-q"]
    strict = subprocess.run([*common, sample, bad, "-o", str(tmp / "bad.json")], capture_output=True, text=True)
    check(strict.returncode == 1 and "part 2/2 (" + bad + ")" in strict.stderr and "rows rejected" in strict.stderr
          and not (tmp / "bad.json").exists(),
          "a part with rejected rows fails the job (exit 1), naming the part; no report written")
    print("  " + strict.stderr.strip().replace("\n", "\n  "))
    lenient = subprocess.run([*common, "--lenient", sample, bad, "-o", str(tmp / "lenient.json")],
                             capture_output=True, text=True)
    one = one_run(jm, [sample, bad], [])
    check(lenient.returncode == 1 == one.returncode and (tmp / "lenient.json").read_bytes() == one.stdout,
          "--lenient: the rejects are counted in the merged report, == one run (both exit 1)")
    fatal = subprocess.run([*common, sample, "--", "--currency", "XXX"], capture_output=True, text=True)
    check(fatal.returncode == 2 and "part 1/1 (" + sample + ")" in fatal.stderr and "--currency XXX" in fatal.stderr,
          "a part that fails (bad option) fails the job with exit 2, naming the part and the error")


def main():
    if not have_dask():
        if Path("/usr/bin/python3").exists() and sys.executable != "/usr/bin/python3" and \
                not os.environ.get("JOBMARKET_DASK_REEXEC"):
            os.environ["JOBMARKET_DASK_REEXEC"] = "1"
            os.execv("/usr/bin/python3", ["/usr/bin/python3", *sys.argv])
        print("SKIP: Dask is not installed (Debian: python3-distributed, for /usr/bin/python3)")
        return 77
    import logging
    from distributed import Client, LocalCluster

    jm, shared = os.path.abspath(sys.argv[1]), Path(sys.argv[2])
    files = inputs(shared)
    with tempfile.TemporaryDirectory() as tmp, \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                         silence_logs=logging.CRITICAL) as cluster, Client(cluster) as client:
        kill_test(jm, files, cluster, client, Path(tmp))
        failure_tests(jm, cluster, Path(tmp))
    print(f"{failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
