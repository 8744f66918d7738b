#!/usr/bin/env bash
# Installs what is missing, builds jobmarket, and runs the report on the bundled sample.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh"
# Warnings stay warnings here, also in a build directory scripts/test.sh configured with
# -Werror: a demo must not fail on a new compiler's diagnostic.
"$root/scripts/build.sh" "$root/build" -DCMAKE_BUILD_TYPE=Release -DJOBMARKET_BUILD_TESTS=OFF \
  -DJOBMARKET_WERROR=OFF
jm="$root/build/src/jobmarket"
sample="$root/data/sample/postings.csv"
echo "== jobmarket inspect $sample" >&2
"$jm" inspect "$sample"
echo >&2
echo "== jobmarket report $sample" >&2
"$jm" report "$sample" --as-of 2025-12-31 --format table --color never
