#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, and runs every test with ctest:
# first the normal build, then the whole suite again under ASan+UBSan.
# Then each libFuzzer target runs for JOBMARKET_FUZZ_SECONDS (default 20) and the benchmark
# script runs once on a tiny corpus (a smoke test, not a timing).
# Locally, JOBMARKET_SKIP_SANITIZE=1 / JOBMARKET_SKIP_FUZZ=1 skip those passes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh" --test
# Chromium renders the HTML report in one test; where it cannot be installed, that test skips.
"$root/scripts/deps.sh" --browser || echo "test.sh: chromium not installed; the HTML rendering test will skip" >&2
jobs=$(nproc 2>/dev/null || echo 2)

# Tests on explicitly: scripts/demo.sh configures the same build directory without them.
"$root/scripts/build.sh" "$root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJOBMARKET_WERROR=ON \
  -DJOBMARKET_BUILD_TESTS=ON
(cd "$root/build" && ctest --output-on-failure --no-tests=error -j "$jobs")

if [ "${JOBMARKET_SKIP_SANITIZE:-0}" != "1" ]; then
  "$root/scripts/build.sh" "$root/build-asan" -DCMAKE_BUILD_TYPE=Debug -DJOBMARKET_WERROR=ON \
    -DJOBMARKET_SANITIZE=ON -DJOBMARKET_BUILD_TESTS=ON
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
  (cd "$root/build-asan" && ctest --output-on-failure --no-tests=error -j "$jobs" -LE slow)
fi

if [ "${JOBMARKET_SKIP_FUZZ:-0}" != "1" ]; then
  "$root/scripts/fuzz.sh" "${JOBMARKET_FUZZ_SECONDS:-20}"
fi
JOBMARKET="$root/build/src/jobmarket" "$root/scripts/bench.sh" --smoke
