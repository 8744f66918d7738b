#!/usr/bin/env bash
# Throughput of jobmarket against reference tools on the same file, in one run.
# Prints per command the best and median wall time over interleaved rounds, MB/s, the
# ratio to `rg --count-matches -i -f PATTERNS` (the rule tables' literal terms), CPU seconds
# and the peak RSS of jobmarket's commands, the ratio to `rg --count-matches -i -f REGEXES`
# (scripts/bench_regexes.py: the salary, degree and experience regexes a user would grep
# with), and start-up times. Machines are noisy: compare ratios, not seconds.
#
# Usage: scripts/bench.sh [SIZE_MB] [--smoke]
#   SIZE_MB  size of the generated corpus (default 1024); cached in bench/
#   --smoke  tiny corpus, one repetition: checks the script works (used in CI)
# Environment: JOBMARKET=path/to/jobmarket, BENCH_REPS=N rounds (default 3).
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
regexes="$root/bench/regexes.txt"
python3 "$root/scripts/bench_regexes.py" > "$regexes"
bytes=$(stat -L -c %s "$corpus")
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')

# One timed run: "wall-seconds cpu-seconds peak-MB" (cpu = user + system, all threads).
timed() {
  /usr/bin/time -o "$timing" -f "%e %U %S %M" "$@" >/dev/null 2>&1 || true
  awk '{ printf "%s %.2f %.0f\n", $1, $2 + $3, $4 / 1024 }' "$timing"
}
# best-of-N wall time in seconds (start-up times)
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

names=(
  "rg --count-matches -i -f PATTERNS"
  "rg --count-matches -i -f REGEXES"
  "wc -l"
  "rg -c -i -f PATTERNS"
  "python3 csv module (count rows)"
  "jobmarket convert --format ndjson"
  "jobmarket classify --format ndjson"
  "jobmarket report --format json"
  "jobmarket report --dedup none"
  "jobmarket ingest (new store)"
)
run_command() {
  case "$1" in
    0) timed rg --count-matches -i -F -f "$patterns" "$corpus" ;;
    1) timed rg --count-matches -i -f "$regexes" "$corpus" ;;
    2) timed wc -l "$corpus" ;;
    3) timed rg -c -i -F -f "$patterns" "$corpus" ;;
    4) timed python3 -c 'import csv,sys
csv.field_size_limit(1 << 30)
print(sum(1 for _ in csv.reader(open(sys.argv[1], newline="", encoding="utf-8"))))' "$corpus" ;;
    5) timed "$jm" convert "$corpus" --format ndjson ;;
    6) timed "$jm" classify "$corpus" --format ndjson ;;
    7) timed "$jm" report "$corpus" --format json ;;
    8) timed "$jm" report "$corpus" --format json --dedup none ;;
    9) rm -f "$store" "$store-wal" "$store-shm"; timed "$jm" ingest "$corpus" --db "$store" ;;
  esac
}

echo "corpus: $corpus ($mb MB), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "patterns: $(wc -l < "$patterns") terms exported from the rule tables;" \
  "regexes: $(wc -l < "$regexes") patterns from scripts/bench_regexes.py"
echo "repetitions: $reps, interleaved (every command once per round), so a busy moment of a"
echo "shared machine hits all commands alike; best and median wall time per command"
# Rounds: each command once per round, in order; results in a temporary file.
results=$(mktemp)
timing=$(mktemp)
store="$root/bench/bench-store.sqlite"
trap 'rm -f "$results" "$timing" "$store" "$store-wal" "$store-shm"' EXIT
for round in $(seq "$reps"); do
  for i in "${!names[@]}"; do
    echo "$i $(run_command "$i")" >> "$results"
  done
done
# Per command: best and median wall, CPU seconds and peak RSS of the best run, ratios to
# the two references, PATTERNS (row 0) and REGEXES (row 1), best against best and median
# against median; the REGEXES columns come last so the earlier ones keep their places.
awk -v mb="$mb" -v names="$(printf '%s\t' "${names[@]}")" '
  BEGIN { n = split(names, name, "\t") }
  { i = $1; k = ++count[i]; wall[i, k] = $2; cpu[i, k] = $3; rss[i, k] = $4 }
  function sort_walls(i,   a, b, t) {
    for (a = 1; a <= count[i]; a++) sorted[a] = wall[i, a]
    for (a = 1; a <= count[i]; a++) for (b = a + 1; b <= count[i]; b++)
      if (sorted[b] < sorted[a]) { t = sorted[a]; sorted[a] = sorted[b]; sorted[b] = t }
  }
  END {
    printf "%-36s %8s %8s %8s %9s %9s %8s %7s %10s %9s\n", "command", "best s", "median s", "MB/s", "vs rg -f", "(median)", "peak MB", "CPU s", "vs REGEXES", "(median)"
    # Both references first: every row is compared with them.
    for (i = 0; i < n - 1; i++) {
      sort_walls(i)
      best[i] = sorted[1]
      med[i] = count[i] % 2 ? sorted[(count[i] + 1) / 2] : (sorted[count[i] / 2] + sorted[count[i] / 2 + 1]) / 2
    }
    for (i = 0; i < n - 1; i++) {
      for (k = 1; k <= count[i]; k++) if (wall[i, k] == best[i]) { bc = cpu[i, k]; br = rss[i, k]; break }
      jm = name[i + 1] ~ /^jobmarket/
      # Wall times are in hundredths: a command faster than that shows "-" for its rates.
      rate = best[i] > 0 ? sprintf("%.1f", mb / best[i]) : "-"
      ratio = best[i] > 0 ? sprintf("%.2fx", best[0] / best[i]) : "-"
      mratio = med[i] > 0 ? sprintf("%.2fx", med[0] / med[i]) : "-"
      rratio = best[i] > 0 ? sprintf("%.2fx", best[1] / best[i]) : "-"
      rmratio = med[i] > 0 ? sprintf("%.2fx", med[1] / med[i]) : "-"
      printf "%-36s %8.2f %8.2f %8s %9s %9s %8s %7.2f %10s %9s\n", name[i + 1], best[i], med[i],
             rate, ratio, mratio, jm ? br : "-", bc, rratio, rmratio
    }
  }' "$results"
echo "(CPU s = user + system seconds of the best run, all threads; 100% of one core = wall)"

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
