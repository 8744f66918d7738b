#!/usr/bin/env python3
"""Issue 21, tried as an attacker and as a careless user would: outputs that must never
destroy anything (symlinks, devices, FIFOs, /dev/fd paths, inputs named as outputs), runs
that must end cleanly (no threads left, /dev/zero, an endless stdin stopped by SIGTERM,
two runs writing one file), and hostile rule tables. Everything runs in a temporary
directory; no step can touch a system file even if a fix regressed (the /dev/stdout case
goes through a symlink of our own to /proc/self/fd/1, which is what /dev/stdout is).

Usage: test_hardening.py JOBMARKET [SHARED_DIR]. Peak RSS is measured and bounded; no
timing is asserted (the endless-input runs last a fixed time before they are stopped)."""
import hashlib
import json
import os
import resource
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample" / "postings.csv"
SMALL = ROOT / "tests" / "e2e" / "data" / "small.csv"
RSS_LIMIT_KB = 300 * 1024
ENV = dict(os.environ, NO_COLOR="1", TZ="UTC")

failures = []


def fail(name, why):
    failures.append(f"{name}: {why}")
    print(f"FAIL: {name}: {why}", flush=True)


def ok(name, what=""):
    print(f"ok: {name}{': ' + what if what else ''}", flush=True)


def run(jm, args, cwd, stdin=None, stdout=subprocess.PIPE, preexec=None):
    return subprocess.run([jm] + args, cwd=cwd, stdin=stdin if stdin is not None else subprocess.DEVNULL,
                          stdout=stdout, stderr=subprocess.PIPE, env=ENV, preexec_fn=preexec)


def run_measured(jm, args, cwd):
    """(exit code, stdout, stderr, peak RSS in KB) of one run."""
    proc = subprocess.Popen([jm] + args, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=ENV)
    got = {}
    readers = [threading.Thread(target=lambda k=k, f=f: got.__setitem__(k, f.read()))
               for k, f in (("out", proc.stdout), ("err", proc.stderr))]
    for t in readers:
        t.start()
    _, status, usage = os.wait4(proc.pid, 0)
    for t in readers:
        t.join()
    return os.waitstatus_to_exitcode(status), got["out"], got["err"], usage.ru_maxrss


def sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def leftovers(d):
    return sorted(p.name for p in Path(d).iterdir() if ".tmp-" in p.name)


# ---------------------------------------------------------------- outputs

def test_outputs(jm, d):
    small = d / "small.csv"
    small.write_bytes(SMALL.read_bytes())
    expected = run(jm, ["classify", "small.csv", "-f", "csv", "-q"], d).stdout

    # `-o /dev/stdout` with stdout redirected: /dev/stdout is a symlink to /proc/self/fd/1.
    # It used to be replaced by a regular file, leaving the real output empty.
    for name, target in (("fd_link", "/proc/self/fd/1"), ("dev_stdout_link", "/dev/stdout")):
        link = d / name
        link.symlink_to(target)
        with open(d / f"{name}.out", "wb") as out:
            r = run(jm, ["classify", "small.csv", "-f", "csv", "-q", "-o", name], d, stdout=out)
        got = (d / f"{name}.out").read_bytes()
        if r.returncode != 0 or got != expected or not link.is_symlink() or os.readlink(link) != target:
            fail(f"output_{name}", f"exit {r.returncode}, {len(got)} bytes written, link kept: {link.is_symlink()}")
        else:
            ok(f"output_{name}", "written through the descriptor, the link kept")

    # /dev/fd/1 with `>>`: the descriptor itself, so the shell's append is honored.
    out_path = d / "append.out"
    out_path.write_bytes(b"before\n")
    with open(out_path, "ab") as out:
        r = run(jm, ["classify", "small.csv", "-f", "csv", "-q", "-o", "/dev/fd/1"], d, stdout=out)
    if r.returncode != 0 or out_path.read_bytes() != b"before\n" + expected:
        fail("output_dev_fd_append", f"exit {r.returncode}: {r.stderr.decode()}")
    else:
        ok("output_dev_fd_append")

    # A symlink to a regular file: the target is replaced atomically, the link stays.
    sub = d / "real"
    sub.mkdir()
    (sub / "target.csv").write_text("old\n")
    os.chmod(sub / "target.csv", 0o600)
    (d / "chain").mkdir()
    (d / "chain" / "link.csv").symlink_to("../real/target.csv")
    (d / "link2.csv").symlink_to("chain/link.csv")
    r = run(jm, ["classify", "small.csv", "-f", "csv", "-q", "-o", "link2.csv"], d)
    mode = stat.S_IMODE(os.stat(sub / "target.csv").st_mode)
    if (r.returncode != 0 or (sub / "target.csv").read_bytes() != expected or not (d / "link2.csv").is_symlink()
            or not (d / "chain" / "link.csv").is_symlink() or mode != 0o600 or leftovers(sub) or leftovers(d)):
        fail("output_symlink_chain", f"exit {r.returncode}, mode {oct(mode)}, {r.stderr.decode()}")
    else:
        ok("output_symlink_chain", "target replaced (mode 0600 kept), both links kept")

    # A FIFO is written in place.
    fifo = d / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()))
    reader.start()
    r = run(jm, ["classify", "small.csv", "-f", "csv", "-q", "-o", "pipe"], d)
    reader.join(30)
    if r.returncode != 0 or not got or got[0] != expected or not stat.S_ISFIFO(os.lstat(fifo).st_mode):
        fail("output_fifo", f"exit {r.returncode}")
    else:
        ok("output_fifo", "written in place, still a FIFO")

    # /dev/null stays a device.
    r = run(jm, ["report", "small.csv", "-q", "-o", "/dev/null"], d)
    if r.returncode != 0 or not stat.S_ISCHR(os.stat("/dev/null").st_mode):
        fail("output_dev_null", r.stderr.decode())
    else:
        ok("output_dev_null")


def test_inputs_never_overwritten(jm, d):
    inp = d / "in.csv"
    inp.write_bytes(SMALL.read_bytes())
    (d / "in_link.csv").symlink_to("in.csv")
    before = sha(inp)
    part = d / "part.json"
    run(jm, ["report", "in.csv", "--partial", "-q", "-o", "part.json"], d)
    rules = d / "rules.json"
    rules.write_text(json.dumps({"version": "t", "rules": [
        {"id": "x.a", "kind": "research", "weight": 1, "terms": ["zzz"], "tags": [], "source": "test"}]}))
    cases = [
        (["classify", "in.csv", "--format", "csv", "-o", "in.csv"], "-o in.csv: output would overwrite input in.csv", None),
        (["report", "in.csv", "-o", "in.csv"], "-o in.csv: output would overwrite input in.csv", None),
        (["report", "in.csv", "-o", "x.json", "-o", "./in.csv"], "-o ./in.csv: output would overwrite input in.csv", None),
        (["convert", "in.csv", "-o", "in_link.csv"], "-o in_link.csv: output would overwrite input in.csv", None),
        (["explain", "in_link.csv", "-o", "in.csv"], "-o in.csv: output would overwrite input in_link.csv", None),
        (["trends", "in.csv", "-o", str(inp)], f"-o {inp}: output would overwrite input in.csv", None),
        (["salary", "-", "-o", "in.csv"], "-o in.csv: output would overwrite input stdin", "in.csv"),
        (["barriers", "in.csv", "--rules", "rules.json", "-o", "rules.json"],
         "-o rules.json: output would overwrite input --rules rules.json", None),
        (["rules", "export", "--rules", "rules.json", "-o", "rules.json"],
         "-o rules.json: output would overwrite input --rules rules.json", None),
        (["merge", "part.json", "-o", "part.json"], "-o part.json: output would overwrite input part.json", None),
        (["report", "in.csv", "-o", "a.json", "-o", "./a.json"],
         "-o a.json and -o ./a.json are the same file: each output must be its own", None),
    ]
    rules_before, part_before = sha(rules), sha(part)
    for args, message, stdin_file in cases:
        stdin = open(d / stdin_file, "rb") if stdin_file else None
        r = run(jm, args, d, stdin=stdin)
        err = r.stderr.decode()
        name = "refuse " + " ".join(args)
        if (r.returncode != 2 or err != f"jobmarket: error: {message}\n" or sha(inp) != before
                or sha(rules) != rules_before or sha(part) != part_before or (d / "a.json").exists()):
            fail(name, f"exit {r.returncode}, stderr {err!r}")
        else:
            ok(name)
    # stdout appended to an input: the run would read its own output forever.
    with open(inp, "ab") as out:
        r = run(jm, ["convert", "in.csv"], d, stdout=out)
    if r.returncode != 2 or "stdout: output would overwrite input in.csv" not in r.stderr.decode() or sha(inp) != before:
        fail("refuse stdout >> input", r.stderr.decode())
    else:
        ok("refuse stdout >> input")
    r = run(jm, ["--log-file", "in.csv", "-v", "classify", "in.csv"], d)
    if r.returncode != 2 or sha(inp) != before:
        fail("refuse --log-file input", r.stderr.decode())
    else:
        ok("refuse --log-file input")


# ---------------------------------------------------------------- runs that end cleanly

def limit_address_space():
    # Room for the program, not for 256 thread stacks of 8 MiB: thread creation fails.
    resource.setrlimit(resource.RLIMIT_AS, (400 << 20, 400 << 20))


def test_threads(jm, d):
    (d / "prev.json").write_text("{}\n")
    r = run(jm, ["report", str(SMALL), "-j", "256", "-q", "-o", "prev.json"], d, preexec=limit_address_space)
    err = r.stderr.decode()
    if (r.returncode != 2 or "cannot start analysis thread" not in err or "(use fewer with -j)" not in err
            or (d / "prev.json").read_text() != "{}\n" or leftovers(d)):
        fail("threads_start_failure", f"exit {r.returncode}: {err!r}")
    else:
        ok("threads_start_failure", err.strip())
    r = run(jm, ["classify", str(SMALL), "-j", "256", "-q"], d)
    if r.returncode != 0:
        fail("threads_256", r.stderr.decode())
    else:
        ok("threads_256")


def peak_rss_of(proc):
    try:
        for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def test_dev_zero(jm, d, results):
    for fmt in ("auto", "ndjson", "json"):
        out = d / f"zero-{fmt}.json"
        with open("/dev/zero", "rb") as zero:
            proc = subprocess.Popen([jm, "report", "-", "--input-format", fmt, "-o", out.name, "-q"], cwd=d,
                                    stdin=zero, stderr=subprocess.PIPE, env=ENV)
            _, status, usage = os.wait4(proc.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        results.append((f"report - --input-format {fmt} < /dev/zero", usage.ru_maxrss))
        whole = out.exists() and json.loads(out.read_text()).get("overview", {}).get("records") == 0
        if code != 1 or usage.ru_maxrss >= RSS_LIMIT_KB or not whole or leftovers(d):
            fail(f"dev_zero_{fmt}", f"exit {code}, peak RSS {usage.ru_maxrss} KB, report whole: {whole}")
        else:
            ok(f"dev_zero_{fmt}", f"ends on the limit, exit 1, peak RSS {usage.ru_maxrss // 1024} MB")


GENERATOR = r"""
import itertools, random, sys
r = random.Random(21)
titles = ["大模型算法研究员", "LLM Engineer", "RAG应用工程师", "数据分析师", "推理优化工程师", "World Model Scientist"]
out = sys.stdout
out.write("title,company,salary,posted,description\n")
rows = []
for i in itertools.count():
    d = f"20{r.randint(10, 25)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
    s = r.choice(["30-50K·16薪", "$120K-$180K", "面议", f"{r.randint(5, 90)}-{r.randint(91, 200)}K", "-30K",
                  f"junk{r.randint(0, 10**9)}"])
    rows.append(f'"{r.choice(titles)} {i}",Co{r.randint(0, 10**6)},{s},{d},"负责预训练与RLHF, agent, RAG {i} 硕士及以上"\n')
    if len(rows) == 1000:
        try:
            out.write("".join(rows))
        except BrokenPipeError:
            break
        rows.clear()
"""


def test_endless_stdin(jm, d, results, seconds):
    """An endless stdin of valid rows: memory stays flat; SIGTERM (and SIGINT) end the run
    with the previous output kept and no temporary left."""
    for sig in (signal.SIGTERM, signal.SIGINT):
        out = d / "endless.json"
        out.write_text("previous\n")
        gen = subprocess.Popen([sys.executable, "-c", GENERATOR], stdout=subprocess.PIPE)
        proc = subprocess.Popen([jm, "report", "-", "-q", "-o", out.name], cwd=d, stdin=gen.stdout,
                                stderr=subprocess.PIPE, env=ENV)
        gen.stdout.close()
        samples = []
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(min(1.0, seconds / 10))
            samples.append(peak_rss_of(proc))
        samples.append(peak_rss_of(proc))
        try:
            read_mb = int(dict(l.split(": ") for l in Path(f"/proc/{proc.pid}/io").read_text().splitlines())["rchar"]) >> 20
        except (OSError, KeyError, ValueError):
            read_mb = -1
        proc.send_signal(sig)
        _, status, _ = os.wait4(proc.pid, 0)
        gen.kill()
        gen.wait()
        name = f"endless_stdin_{signal.Signals(sig).name}"
        # VmHWM, sampled while it runs: ru_maxrss would include this script's own (Linux
        # carries the high-water mark across fork and exec).
        peak, half = max(samples), samples[len(samples) // 2]
        results.append((f"endless stdin, {seconds} s ({read_mb} MB read), then {signal.Signals(sig).name} "
                        "(VmHWM)", peak))
        # The bound is what holds; the half-way figure shows memory levelling off (the
        # batches in flight fill first), which a loaded machine makes too noisy to assert.
        died = os.WIFSIGNALED(status) and os.WTERMSIG(status) == sig
        if not died or peak >= RSS_LIMIT_KB or out.read_text() != "previous\n" or leftovers(d):
            fail(name, f"status {status}, peak RSS {peak} KB (half-way {half} KB), "
                       f"output {out.read_text()[:20]!r}, leftovers {leftovers(d)}")
        else:
            ok(name, f"peak RSS {peak // 1024} MB (half-way {half // 1024} MB); previous output kept")


def test_concurrent_outputs(jm, d):
    """Two `report -o same.json` at once: the file is always one whole report."""
    small = d / "small.csv"
    small.write_bytes(SMALL.read_bytes())
    one = run(jm, ["report", str(SAMPLE), "-f", "json", "-q"], d).stdout
    two = run(jm, ["report", "small.csv", "-f", "json", "-q"], d).stdout
    seen = set()
    for i in range(6):
        a = subprocess.Popen([jm, "report", str(SAMPLE), "-q", "-o", "same.json"], cwd=d, env=ENV)
        b = subprocess.Popen([jm, "report", "small.csv", "-q", "-o", "same.json"], cwd=d, env=ENV)
        a.wait()
        b.wait()
        got = (d / "same.json").read_bytes()
        if a.returncode or b.returncode or got not in (one, two) or leftovers(d):
            fail("concurrent_outputs", f"round {i}: exits {a.returncode}/{b.returncode}, {len(got)} bytes")
            return
        seen.add(got == one)
    ok("concurrent_outputs", f"6 rounds, always one whole report ({len(seen)} distinct winners)")


# ---------------------------------------------------------------- hostile rule tables

def test_rules(jm, d, results):
    def table(name, rules):
        (d / name).write_text(json.dumps({"version": "hostile", "rules": rules}))

    baseline = run(jm, ["classify", str(SAMPLE), "-f", "csv", "-q"], d).stdout
    directions = lambda out: [line.split(b",")[7] for line in out.splitlines()[1:]]  # noqa: E731
    table("nested.json", [{"id": "x.nested", "kind": "other", "weight": 1,
                           "regex": ["(a+)+b", "((x*)*y)+z", "(a|aa)*c{100}"], "tags": [], "source": "test"}])
    table("terms100k.json", [{"id": "x.terms", "kind": "other", "weight": 1,
                              "terms": [f"zqx{i}term" for i in range(100_000)], "tags": [], "source": "test"}])
    table("rules100k.json", [{"id": f"x.r{i}", "kind": "other", "weight": 1, "terms": [f"zqx{i}"], "tags": [],
                              "source": "test"} for i in range(100_000)])
    near_miss = d / "near_miss.csv"
    near_miss.write_text("title,description\nx," + "a" * (1 << 20) + "c\n")
    for name in ("nested.json", "terms100k.json", "rules100k.json"):
        code, out, err, rss = run_measured(jm, ["classify", str(SAMPLE), "--rules", name, "-f", "csv", "-q"], d)
        results.append((f"classify sample --rules {name}", rss))
        # The extra rules match nothing in the sample: every label stays as it was.
        if code != 0 or directions(out) != directions(baseline):
            fail(f"rules_{name}", f"exit {code}: {err.decode()[:300]}")
        else:
            ok(f"rules_{name}", "compiles, labels unchanged")
    r = run(jm, ["classify", "near_miss.csv", "--rules", "nested.json", "-q", "-f", "ndjson"], d)
    if r.returncode != 0:
        fail("rules_nested_near_miss", r.stderr.decode())
    else:
        ok("rules_nested_near_miss", "1 MiB near-miss scanned")
    for name, weight, message in (
            ("w_huge.json", "1e308", "'weight' is 1e+308: at most 1000000 either side of zero"),
            ("w_negative.json", "-1e308", "'weight' is -1e+308: at most 1000000 either side of zero"),
            ("w_nan.json", "NaN", "invalid JSON"),
            ("w_inf.json", "1e999", "invalid JSON: number overflow")):
        (d / name).write_text('{"version":"h","rules":[{"id":"x.w","kind":"research","weight":%s,'
                              '"terms":["llm"],"tags":[],"source":"t"}]}' % weight)
        r = run(jm, ["classify", str(SAMPLE), "--rules", name, "-q"], d)
        if r.returncode != 2 or message not in r.stderr.decode() or r.stdout:
            fail(f"rules_{name}", f"exit {r.returncode}: {r.stderr.decode()[:300]}")
        else:
            ok(f"rules_{name}", r.stderr.decode().strip())
    (d / "scoring.json").write_text(json.dumps({"version": "h", "scoring": {"title_weight": 1e308},
                                                "rules": []}))
    r = run(jm, ["classify", str(SAMPLE), "--rules", "scoring.json", "--rules-mode", "replace", "-q"], d)
    if r.returncode != 2 or "'title_weight' is 1e+308" not in r.stderr.decode():
        fail("rules_scoring_huge", r.stderr.decode())
    else:
        ok("rules_scoring_huge")


def main() -> int:
    jm = str(Path(sys.argv[1]).resolve())
    seconds = int(os.environ.get("JOBMARKET_ENDLESS_SECONDS", "8"))
    results = []
    with tempfile.TemporaryDirectory(prefix="jobmarket-hardening-") as tmp:
        for test in (test_outputs, test_inputs_never_overwritten, test_threads, test_concurrent_outputs):
            d = Path(tmp) / test.__name__
            d.mkdir()
            test(jm, d)
        d = Path(tmp) / "endless"
        d.mkdir()
        test_endless_stdin(jm, d, results, seconds)
        # Last: the 100k-rule tables make this script large, and a child's ru_maxrss
        # starts from its parent's.
        for test in (test_dev_zero, test_rules):
            d = Path(tmp) / test.__name__
            d.mkdir()
            test(jm, d, results)
    print("peak RSS (ru_maxrss unless marked: an upper bound, it starts from this script's own):")
    for what, kb in results:
        print(f"  {kb // 1024:5d} MB  {what}")
    print(f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
