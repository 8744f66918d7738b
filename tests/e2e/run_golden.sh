#!/usr/bin/env bash
# Runs one golden case: cases/NAME.args holds the arguments (one shell line, run from
# tests/e2e with NO_COLOR set); NAME.out, NAME.err and NAME.code hold the expected stdout,
# stderr and exit code. With UPDATE_GOLDEN=1 the expected files are rewritten instead.
set -uo pipefail
bin=$1 name=$2
args=$(cat "cases/$name.args")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
stdin=/dev/null
[ -f "cases/$name.stdin" ] && stdin="cases/$name.stdin"
NO_COLOR=1 TZ=UTC eval "\"$bin\" $args" <"$stdin" >"$tmp/out" 2>"$tmp/err"
echo $? >"$tmp/code"
if [ "${UPDATE_GOLDEN:-0}" = "1" ]; then
  cp "$tmp/out" "cases/$name.out"; cp "$tmp/err" "cases/$name.err"; cp "$tmp/code" "cases/$name.code"
  exit 0
fi
status=0
for part in out err code; do
  if ! diff -u "cases/$name.$part" "$tmp/$part"; then
    echo "golden mismatch in $name.$part (run with UPDATE_GOLDEN=1 to accept)" >&2
    status=1
  fi
done
exit $status
