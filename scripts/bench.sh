#!/usr/bin/env bash
# Throughput of jobmarket against reference tools on the same file, in one run.
# Prints MB/s per command and the ratio to `rg --count-matches -i -f PATTERNS`, the peak
# RSS and CPU use (100% = one core) of jobmarket's commands, and start-up times. Machines
# are noisy: compare ratios, not seconds.
#
# Usage: scripts/bench.sh [SIZE_MB] [--smoke]
#   SIZE_MB  size of the generated corpus (default 1024); cached in bench/
#   --smoke  tiny corpus, one repetition: checks the script works (used in CI)
# Environment: JOBMARKET=path/to/jobmarket, BENCH_REPS=N repetitions (default 3, best kept).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
size=1024
reps=${BENCH_REPS:-3}
for arg in "$@"; do
  case "$arg" in
    --smoke) size=2; reps=1 ;;
    *) size=$arg ;;
  esac
done
"$root/scripts/deps.sh" --bench
jm=${JOBMARKET:-$root/build/src/jobmarket}
if [ ! -x "$jm" ]; then
  "$root/scripts/build.sh" "$root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
mkdir -p "$root/bench"
corpus="$root/bench/postings-${size}m.csv"
if [ ! -s "$corpus" ]; then
  echo "generating $corpus ..." >&2
  python3 "$root/scripts/gen_postings.py" --size-mb "$size" -o "$corpus.tmp" && mv "$corpus.tmp" "$corpus"
fi
patterns="$root/bench/patterns.txt"
"$jm" rules export --format terms > "$patterns"
bytes=$(stat -L -c %s "$corpus")
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')

# best-of-N wall time in seconds
best_time() {
  local best=""
  for _ in $(seq "$reps"); do
    local t0 t1 dt
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s.%N)
    dt=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
    if [ -z "$best" ] || awk -v a="$dt" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$dt; fi
  done
  echo "$best"
}
# "peak-MB cpu%" of one run
rss_cpu() {
  /usr/bin/time -f "%M %P" "$@" 2>&1 >/dev/null | tail -1 | awk '{ printf "%.0f %s\n", $1 / 1024, $2 }'
}

py_csv() {
  python3 -c 'import csv,sys
csv.field_size_limit(1 << 30)
n = sum(1 for _ in csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
print(n)' "$corpus"
}

echo "corpus: $corpus ($mb MB), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "patterns: $(wc -l < "$patterns") terms exported from the rule tables"
printf '%-40s %9s %8s %9s %8s %6s\n' command seconds MB/s "vs rg -f" "peak MB" CPU
ref=""
run() {
  local name=$1; shift
  local t rate rss="-" cpu="-"
  t=$(best_time "$@")
  rate=$(awk -v b="$bytes" -v t="$t" 'BEGIN { printf "%.1f", b / 1048576 / t }')
  [ -z "$ref" ] && [ "$name" = "rg --count-matches -i -f PATTERNS" ] && ref=$t
  case "$name" in jobmarket*) read -r rss cpu < <(rss_cpu "$@") ;; esac
  local ratio="-"
  [ -n "$ref" ] && ratio=$(awk -v r="$ref" -v t="$t" 'BEGIN { printf "%.2fx", r / t }')
  printf '%-40s %9s %8s %9s %8s %6s\n' "$name" "$t" "$rate" "$ratio" "$rss" "$cpu"
}
run "rg --count-matches -i -f PATTERNS" rg --count-matches -i -F -f "$patterns" "$corpus"
run "wc -l" wc -l "$corpus"
run "rg -c -i -f PATTERNS" rg -c -i -F -f "$patterns" "$corpus"
run "python3 csv module (count rows)" py_csv
run "jobmarket convert --format ndjson" "$jm" convert "$corpus" --format ndjson
run "jobmarket classify --format ndjson" "$jm" classify "$corpus" --format ndjson
run "jobmarket report --format json" "$jm" report "$corpus" --format json

# Start-up: the bare executable, and a run on a header-only file (everything but the
# postings: rule tables loaded and their databases ready).
empty="$root/bench/header-only.csv"
head -n 1 "$corpus" > "$empty"
ms() {
  local t
  t=$(reps=10 best_time "$@")
  awk -v t="$t" 'BEGIN { printf "%.1f", t * 1000 }'
}
echo "start-up: jobmarket --version $(ms "$jm" --version) ms;" \
  "classify on a header-only file (rules ready) $(ms "$jm" classify "$empty" --format ndjson) ms"
