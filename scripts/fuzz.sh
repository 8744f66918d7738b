#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for a bounded time.
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 60)
# The corpus is seeded from tests/e2e/data, tests/fuzz/corpus and, when present,
# ../shared/corpora and ../shared/conformance. A crash stops the script with the
# reproducer path; add it to tests/fuzz/regressions/ and a unit test for the fix.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
"$root/scripts/deps.sh" --fuzz
CC=clang CXX=clang++ "$root/scripts/build.sh" "$root/build-fuzz" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DJOBMARKET_FUZZ=ON -DJOBMARKET_BUILD_TESTS=OFF -DJOBMARKET_SANITIZE=ON
work="$root/build-fuzz/corpus"
shared="$root/../shared"
for target in "$root"/build-fuzz/tests/fuzz/fuzz_*; do
  name=$(basename "$target")
  corpus="$work/$name"
  mkdir -p "$corpus"
  # Seeds: small files only (libFuzzer's -max_len keeps inputs small anyway).
  seeds=("$root/tests/e2e/data")
  [ -d "$root/tests/fuzz/corpus/$name" ] && seeds+=("$root/tests/fuzz/corpus/$name")
  [ -d "$shared/conformance/csv-spectrum/csvs" ] && seeds+=("$shared/conformance/csv-spectrum/csvs")
  for s in "${seeds[@]}"; do find "$s" -maxdepth 1 -type f -size -64k -exec cp -n {} "$corpus/" \; ; done
  if [ -d "$shared/corpora" ]; then
    # a few KB from the head of each real file
    for f in "$shared"/corpora/*/*.csv "$shared"/corpora/*/*.json "$shared"/corpora/*/*.ndjson; do
      [ -f "$f" ] && head -c 8192 "$f" > "$corpus/seed-$(basename "$f")"
    done
  fi
  echo "fuzz: $name for ${seconds}s" >&2
  "$target" "$corpus" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$root/build-fuzz/crash-$name-" 2>&1 | tail -4
done
echo "fuzz: all targets ran without a crash" >&2
