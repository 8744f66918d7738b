#!/usr/bin/env python3
"""Draws the postings to hand-label from ../shared/corpora and writes labeling sheets.

The sample is reproducible (fixed seed, fixed quotas per corpus), skips rows already in
../shared/labeled/dev.jsonl and repeats of a posting already drawn, and shows each row as
it is in the file: every non-empty column, nothing computed by jobmarket (labels are made
from the text, before anyone looks at what jobmarket says).

Usage: scripts/label_sample.py [--corpora DIR] [--dev FILE] [--out DIR] [--per-sheet N]
Writes OUT/sheet_NN.md (N postings each) and OUT/sample.jsonl (id, corpus, file, row).
"""
import argparse
import csv
import hashlib
import json
import os
import random
import sys

SEED = 2026
# corpus -> (file, how many to draw). Research-heavy corpora get more rows so the set holds
# at least 100 research postings; every corpus is represented. ROUND_2 draws more rows of
# the same shuffled order (round 1 held 87 research postings of 520).
ROUND_2 = {"jobcloud-cn-bigtech-ai": 45, "campus-ai-jd-tencent-meituan-mihoyo": 25}
QUOTAS = {
    "jobcloud-cn-bigtech-ai": ("jobcloud_cn_bigtech_ai_2026-07.csv", 100),
    "tencent-careers-ai-2026": ("tencent_careers_ai_2026.csv", 45),
    "campus-ai-jd-tencent-meituan-mihoyo": ("campus_ai_jd_2026.csv", 45),
    "ailab-jobs-registry": ("current_jobs.csv", 45),
    "linkedin-ai-ml-2024": ("ai_ml_jobs_linkedin.csv", 50),
    "boss-ai-jd-markdown": ("boss_ai_jd.csv", 20),
    "boss-hangzhou-fullstack": ("job_details_with_text.csv", 20),
    "boss-hangzhou-pm-ai": ("BSspider_0122.csv", 25),
    "boss-nanjing-image-algo": ("boss_image_algo_nanjing_20230210.csv", 25),
    "glassdoor-ds-jobs": ("glassdoor_jobs.csv", 25),
    "ds-jobs-salary-listing": ("data_science_job.csv", 20),
    "aijobs-salaries": ("salaries.csv", 20),
    "liepin-zhilian-ai-search": ("liepin.csv", 10),
    "liepin-zhilian-ai-search/zhilian": ("zhilian.csv", 10),
    "ruanyf-weekly-llm-posts": ("ruanyf_weekly_llm_posts_2022-11_2026-02.csv", 25),
    "speedyapply-ai-college-jobs": ("ai_college_jobs_2026-07-02.csv", 35),
}
# Columns that identify a row rather than describe the job: left out of the repeat check.
ID_WORDS = ("url", "link", "链接", "id", "索引", "seen", "age", "publishedat", "applicationscount",
            "updated", "create_time", "rating")


def read_rows(path):
    csv.field_size_limit(1 << 30)
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        for row in reader:
            yield header, row


def content_key(header, row):
    parts = [v.strip() for h, v in zip(header, row)
             if not any(w in h.lower() for w in ID_WORDS)]
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()


def sheet_entry(ident, corpus, file, rowno, header, row, limit=12000):
    lines = [f"## {ident}", f"corpus: {corpus}  file: {file}  row: {rowno}", ""]
    for h, v in zip(header, row):
        v = v.strip()
        if not v:
            continue
        if len(v) > limit:
            v = v[:limit] + f" [... {len(v) - limit} more characters cut]"
        lines.append(f"### {h.strip() or '(unnamed column)'}\n{v}\n")
    return "\n".join(lines) + "\n"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    shared = os.path.normpath(os.path.join(here, "..", "..", "shared"))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", default=os.path.join(shared, "corpora"))
    ap.add_argument("--dev", default=os.path.join(shared, "labeled", "dev.jsonl"))
    ap.add_argument("--out", required=True)
    ap.add_argument("--per-sheet", type=int, default=20)
    ap.add_argument("--round", type=int, choices=(1, 2), default=1,
                    help="1: the first draw; 2: the rows ROUND_2 adds after it")
    a = ap.parse_args()
    if a.per_sheet < 1:
        sys.exit("label_sample.py: --per-sheet must be at least 1")

    dev = set()
    with open(a.dev, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                dev.add(json.loads(line)["id"])

    rng = random.Random(SEED)
    picked = []
    for key, (file, quota) in QUOTAS.items():
        first = quota
        quota += ROUND_2.get(key, 0)
        corpus = key.split("/")[0]
        rows = list(read_rows(os.path.join(a.corpora, corpus, file)))
        dev_keys = {content_key(h, r) for i, (h, r) in enumerate(rows) if f"{corpus}:{i}" in dev}
        order = list(range(len(rows)))
        rng.shuffle(order)
        seen = set(dev_keys)
        n = 0
        for i in order:
            if n == quota:
                break
            h, r = rows[i]
            ident = f"{corpus}:{i}" if file == QUOTAS.get(corpus, (file,))[0] else f"{corpus}/{file}:{i}"
            if ident in dev:
                continue
            k = content_key(h, r)
            if k in seen:
                continue
            seen.add(k)
            if (n < first) == (a.round == 1):
                picked.append((ident, corpus, file, i, h, r))
            n += 1

    rng.shuffle(picked)  # sheets mix corpora, so no labeler sees only one kind of posting
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "sample.jsonl"), "w", encoding="utf-8") as f:
        for ident, corpus, file, i, _, _ in picked:
            f.write(json.dumps({"id": ident, "corpus": corpus, "file": file, "row": i},
                               ensure_ascii=False) + "\n")
    for s in range(0, len(picked), a.per_sheet):
        with open(os.path.join(a.out, f"sheet_{s // a.per_sheet + 1:02d}.md"), "w",
                  encoding="utf-8") as f:
            for entry in picked[s:s + a.per_sheet]:
                f.write(sheet_entry(*entry))
    print(f"label_sample.py: {len(picked)} postings in {-(-len(picked) // a.per_sheet)} sheets",
          file=sys.stderr)


if __name__ == "__main__":
    main()
