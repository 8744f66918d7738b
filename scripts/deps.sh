#!/usr/bin/env bash
# Installs the Debian packages jobmarket needs, and only those that are missing.
# Idempotent; uses sudo when not root.
# Usage: scripts/deps.sh [--test] [--fuzz] [--bench] [--browser]
set -euo pipefail

packages=(cmake g++ make pkg-config
  libcli11-dev nlohmann-json3-dev libfccp-dev libfmt-dev libspdlog-dev
  libutf8proc-dev libvectorscan-dev libssl-dev libsqlite3-dev help2man)
for arg in "$@"; do
  case "$arg" in
    --test) packages+=(libgtest-dev libgmock-dev python3 python3-jsonschema python3-dask python3-distributed) ;;
    --fuzz) packages+=(clang libclang-rt-14-dev) ;;
    --bench) packages+=(ripgrep python3 time) ;;
    --browser) packages+=(chromium) ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
