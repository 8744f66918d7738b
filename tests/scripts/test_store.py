#!/usr/bin/env python3
"""The history store (`jobmarket ingest`, `report --db`) as cron relies on it:

- 30 nightly files made from the corpora, each posting seen on several nights and some
  re-listed with an edited description, ingested night by night: the report (and trends)
  from the store equal the report over the 30 files in one run, deduplicated alike;
  partial reports of three groups of nights merged equal it too;
- an ingest killed with SIGKILL at 8 moments (before, inside and after a file's
  transaction), then run again with the same arguments, leaves the store exactly as one
  clean run does;
- two ingests at once: with a busy timeout the second waits and both files are stored;
  with --busy-timeout 0 the second fails (exit 2, naming the lock) and stores nothing of
  its file, and running it again stores it; nothing is lost either way.

Skips (exit 77) when ../shared is absent. Usage: test_store.py JOBMARKET SHARED_DIR
"""
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print(f"FAIL: {what}")
    else:
        print(f"ok: {what}")


def run(jm, *args, env=None, **kw):
    e = dict(os.environ)
    e.pop("JOBMARKET_FAULT", None)
    if env:
        e.update(env)
    return subprocess.run([jm, *map(str, args)], capture_output=True, text=True, env=e, **kw)


SOURCES = [
    "linkedin-ai-ml-2024/ai_ml_jobs_linkedin.csv",
    "tencent-careers-ai-2026/tencent_careers_ai_2026.csv",
    "boss-hangzhou-fullstack/boss_jobs.csv",
    "boss-hangzhou-fullstack/job_details_with_text.csv",
    "ruanyf-weekly-llm-posts/ruanyf_weekly_llm_posts_2022-11_2026-02.csv",
    "boss-hangzhou-pm-ai/BSspider_0122.csv",
]


def pool(jm, shared):
    """Postings of several corpora as mapped by jobmarket, interleaved by source."""
    lists = []
    for rel in SOURCES:
        out = run(jm, "convert", shared / "corpora" / rel, "--format", "ndjson", "-q").stdout
        rows = [json.loads(line) for line in out.splitlines()]
        for r in rows:
            r.pop("_source", None)
        lists.append(rows[:600])
    mixed = []
    for i in range(max(len(x) for x in lists)):
        for x in lists:
            if i < len(x):
                mixed.append(x[i])
    return mixed


def make_nights(postings, folder):
    """Night k sees a window of the pool that slides by a tenth of its width: each posting
    is scraped on up to 10 nights in a row; every 7th one comes back edited after its
    first night (a near duplicate, or an exact one when its text is short)."""
    n = len(postings)
    step = max(1, n // 40)
    width = 10 * step
    files = []
    for k in range(30):
        lines = []
        for i in range(k * step, min(n, k * step + width)):
            p = dict(postings[i])
            first_night = max(0, -(-(i - width + 1) // step))
            if i % 7 == 0 and k > first_night:
                p["description"] = (p.get("description") or "") + "\nUpdated."
            lines.append(json.dumps(p, ensure_ascii=False))
        path = folder / f"night-{k + 1:02d}.ndjson"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        files.append(path)
    return files


def night(k):
    return f"2026-09-{k:02d}"


def dump(db):
    """Every row of every table, in id order: what 'the same store' means."""
    con = sqlite3.connect(db)
    out = {}
    for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
        out[table] = con.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
    con.close()
    return out


def without_lifetime(text):
    j = json.loads(text)
    j.pop("lifetime", None)
    return j


def main():
    jm, shared = sys.argv[1], Path(sys.argv[2])
    if not (shared / "corpora").is_dir():
        print("skip: ../shared/corpora not present")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        files = make_nights(pool(jm, shared), tmp)
        rows = sum(len(f.read_text(encoding="utf-8").splitlines()) for f in files)
        opts = ["--as-of", "2026-10-01", "--min-sample", "10"]

        # Night by night, as cron does.
        db = tmp / "market.sqlite"
        codes = []
        for k, f in enumerate(files, 1):
            r = run(jm, "ingest", f, "--db", db, "--seen", night(k), *opts[:2])
            codes.append(r.returncode)
            if r.returncode != 0:
                print(r.stderr)
        check(codes == [0] * 30, "30 nightly ingests exit 0")
        stats = json.loads(run(jm, "db", "stats", "--db", db, "--format", "json").stdout)
        check(stats["sightings"]["total"] == rows, f"every row stored as a sighting ({rows})")
        check(stats["files"]["ingested"] == 30, "30 files in the store")
        sight = stats["sightings"]
        print(f"  nightly store: {rows} rows, {sight['unique']} unique, {sight['exact']} exact and "
              f"{sight['near']} near duplicates, {stats['postings']['stored']} postings stored")
        check(sight["exact"] > 0 and sight["near"] > 0, "the nights repeat postings exactly and nearly")

        from_db = run(jm, "report", "--db", db, "--format", "json", *opts)
        from_files = run(jm, "report", *files, "--format", "json", *opts)
        check(from_db.returncode == 0 and from_files.returncode == 0, "both reports exit 0")
        check(without_lifetime(from_db.stdout) == without_lifetime(from_files.stdout),
              "report --db == report over the 30 files (all but the store's lifetime section)")
        lt = json.loads(from_db.stdout)["lifetime"]
        check(lt is not None and json.loads(from_files.stdout)["lifetime"] is None,
              "lifetime only from the store")
        print("  lifetime:", json.dumps(lt["directions"], ensure_ascii=False))
        t_db = run(jm, "trends", "--db", db, "--format", "json", *opts)
        t_files = run(jm, "trends", *files, "--format", "json", *opts)
        check(t_db.stdout == t_files.stdout and t_db.returncode == 0, "trends --db == trends over the files")
        for since in (["--since", "2024-05-01"], ["--until", "2024-05-31"]):
            a = run(jm, "report", "--db", db, "--format", "json", *opts, *since)
            b = run(jm, "report", *files, "--format", "json", *opts, *since)
            check(without_lifetime(a.stdout) == without_lifetime(b.stdout), f"equal with {' '.join(since)}")

        # The same nights as partial reports of three machines, merged.
        parts = []
        for g in range(3):
            part = tmp / f"part-{g}.json"
            run(jm, "report", *files[g * 10:(g + 1) * 10], "--partial", "-o", part, *opts)
            parts.append(part)
        merged = run(jm, "merge", *parts, "--format", "json")
        check(merged.stdout == from_files.stdout, "merge of 3 partials == one run over the 30 files")
        # Random cuts, inside files too, merged left to right and as a tree.
        lines = [line for f in files for line in f.read_text(encoding="utf-8").splitlines()]
        rng = random.Random(18)
        for trial in range(4):
            cuts = sorted(rng.sample(range(1, len(lines)), rng.randint(1, 4)))
            bounds = [0, *cuts, len(lines)]
            pieces, partials = [], []
            for i in range(len(bounds) - 1):
                piece = tmp / f"cut-{trial}-{i}.ndjson"
                piece.write_text("\n".join(lines[bounds[i]:bounds[i + 1]]) + "\n", encoding="utf-8")
                pieces.append(piece)
                partial = tmp / f"cut-{trial}-{i}.json"
                run(jm, "report", piece, "--partial", "-o", partial, *opts)
                partials.append(partial)
            one = run(jm, "report", *pieces, "--format", "json", *opts).stdout
            folded = run(jm, "merge", *partials, "--format", "json").stdout
            # ((p0 (p1 p2)) ...): the later parts merged first, as a partial.
            tail = partials[-1]
            for i in range(len(partials) - 2, 0, -1):
                nxt = tmp / f"tree-{trial}-{i}.json"
                run(jm, "merge", partials[i], tail, "--partial", "-o", nxt)
                tail = nxt
            tree = run(jm, "merge", partials[0], tail, "--format", "json").stdout
            check(one == folded == tree and one,
                  f"random cut {trial} into {len(pieces)} parts: merged left to right and as a tree == one run")

        # Crashes: SIGKILL at 8 moments, then the same ingest again.
        subset = files[:8]
        clean = tmp / "clean.sqlite"
        run(jm, "ingest", *subset, "--db", clean, "--seen", night(1))
        want = dump(clean)
        first_rows = len(subset[0].read_text(encoding="utf-8").splitlines())
        moments = [
            "kill-after-sightings=1",                     # first row of the first file
            f"kill-after-sightings={first_rows // 2}",    # inside the first file
            "kill-before-commit=1",                       # first file read, not committed
            "kill-after-commit=1",                        # right after the first commit
            f"kill-after-sightings={first_rows + 3}",     # early in the second file
            "kill-before-commit=4",
            "kill-after-commit=7",
            "kill-before-commit=8",                       # the last file, just before commit
        ]
        for m in moments:
            crashed = tmp / f"crash-{m.replace('=', '-')}.sqlite"
            r = run(jm, "ingest", *subset, "--db", crashed, "--seen", night(1), env={"JOBMARKET_FAULT": m})
            killed = r.returncode == -9
            again = run(jm, "ingest", *subset, "--db", crashed, "--seen", night(1))
            check(killed and again.returncode == 0 and dump(crashed) == want,
                  f"killed at {m}, ingested again: same store as a clean run")

        # Two ingests at once.
        shared_db = tmp / "together.sqlite"
        run(jm, "ingest", files[0], "--db", shared_db, "--seen", night(1))
        release = tmp / "release"
        env = {"JOBMARKET_FAULT": "hold-before-commit=1", "JOBMARKET_FAULT_RELEASE": str(release)}
        holder = subprocess.Popen([jm, "ingest", files[1], "--db", shared_db, "--seen", night(2), "-q"],
                                  env={**os.environ, **env}, stderr=subprocess.PIPE, text=True)
        while not Path(str(release) + ".held").exists() and holder.poll() is None:
            time.sleep(0.01)
        impatient = run(jm, "ingest", files[2], "--db", shared_db, "--seen", night(3), "--busy-timeout", "0")
        check(impatient.returncode == 2 and "busy: another jobmarket ingest" in impatient.stderr,
              "a second ingest with --busy-timeout 0 fails clearly while the first writes")
        print("  " + impatient.stderr.strip().splitlines()[-1])
        patient = subprocess.Popen([jm, "ingest", files[3], "--db", shared_db, "--seen", night(4), "-q"],
                                   stderr=subprocess.PIPE, text=True)
        time.sleep(0.3)
        check(patient.poll() is None, "a second ingest with a busy timeout waits")
        release.write_text("go")
        holder.wait(timeout=120)
        patient.wait(timeout=120)
        check(holder.returncode == 0 and patient.returncode == 0, "both ingests then finish")
        again = run(jm, "ingest", files[2], "--db", shared_db, "--seen", night(3))
        check(again.returncode == 0, "the one that failed, run again, succeeds")
        con = sqlite3.connect(shared_db)
        stored = [Path(p).name for (p,) in con.execute("SELECT path FROM files ORDER BY id")]
        sightings = con.execute("SELECT count(*) FROM sightings").fetchone()[0]
        con.close()
        expected_rows = sum(len(files[i].read_text(encoding="utf-8").splitlines()) for i in range(4))
        check(sorted(stored) == sorted(f.name for f in files[:4]) and sightings == expected_rows,
              "nothing lost: all four files, every row")
        order = [tmp / name for name in stored]
        a = run(jm, "report", "--db", shared_db, "--format", "json", *opts)
        b = run(jm, "report", *order, "--format", "json", *opts)
        check(without_lifetime(a.stdout) == without_lifetime(b.stdout),
              "the store equals a run over its files in the order they were committed")
    print("all ok" if failures == 0 else f"{failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
