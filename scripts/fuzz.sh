#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for a bounded time.
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 60)
# Each target's corpus is seeded from tests/fuzz/corpus/NAME plus real data it parses:
# the readers and the normalizer from tests/e2e/data, ../shared/conformance and the heads
# of ../shared/corpora files; salary and date from those corpora's column values; the
# rules loader from data/rules. A crash stops the script with the reproducer path; add it
# to tests/fuzz/regressions/NAME/ (replayed on every run) and a unit test for the fix.
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
  # Seeds: the target's own tests/fuzz/corpus/NAME, then real data fitting what it parses
  # (small files only; libFuzzer's -max_len keeps inputs small anyway).
  seeds=()
  [ -d "$root/tests/fuzz/corpus/$name" ] && seeds+=("$root/tests/fuzz/corpus/$name")
  case $name in
    fuzz_salary | fuzz_date)
      # distinct salary / date column values of the real corpora
      if [ -d "$shared/corpora" ]; then
        python3 "$root/tests/fuzz/seed_fields.py" "${name#fuzz_}" "$shared/corpora" "$corpus"
      fi
      ;;
    fuzz_rules_loader)
      seeds+=("$root/data/rules")
      ;;
    fuzz_cli_options | fuzz_fail_if)
      ;;  # command lines and conditions: their own corpus only
    *)
      seeds+=("$root/tests/e2e/data")
      [ -d "$shared/conformance/csv-spectrum/csvs" ] && seeds+=("$shared/conformance/csv-spectrum/csvs")
      if [ -d "$shared/corpora" ]; then
        # a few KB from the head of each real file
        for f in "$shared"/corpora/*/*.csv "$shared"/corpora/*/*.json "$shared"/corpora/*/*.ndjson; do
          [ -f "$f" ] && head -c 8192 "$f" > "$corpus/seed-$(basename "$f")"
        done
      fi
      ;;
  esac
  for s in "${seeds[@]}"; do find "$s" -maxdepth 1 -type f -size -64k -exec cp -n {} "$corpus/" \; ; done
  # Every crash fixed so far must stay fixed: replay the saved reproducers first.
  if [ -d "$root/tests/fuzz/regressions/$name" ]; then
    "$target" "$root/tests/fuzz/regressions/$name"/* 2>&1 | tail -1
  fi
  # The option parser prints help and usage errors: keep them off the fuzzer's output.
  extra=()
  [ "$name" = fuzz_cli_options ] && extra+=(-close_fd_mask=3 -max_len=4096)
  echo "fuzz: $name for ${seconds}s" >&2
  log="$root/build-fuzz/$name.log"
  if ! "$target" "$corpus" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    "${extra[@]}" -print_final_stats=1 -artifact_prefix="$root/build-fuzz/crash-$name-" > "$log" 2>&1; then
    # the finding, its stack and the reproducer, not only the final statistics
    grep -E -A30 '^==[0-9]+==|runtime error|^SUMMARY' "$log" | head -60 >&2 || true
    grep -E 'Test unit written to|^Base64' "$log" >&2 || true
    echo "fuzz: $name failed (full log: $log)" >&2
    exit 1
  fi
  tail -4 "$log"
done
echo "fuzz: all targets ran without a crash" >&2
