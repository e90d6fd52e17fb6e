#!/usr/bin/env bash
# Installs the npm packages of the tile viewer (viewer/: MapLibre GL JS) and of the browser tests
# (tests/browser/: @mapbox/vector-tile, pbf, playwright-core, pngjs, sql.js) with `npm ci`, exactly
# as their package-lock.json files pin them. Runs npm only in a folder whose node_modules is
# missing or older than its lock file, so it is a fast no-op otherwise.
# Usage: install-node-deps.sh [FOLDER...]   (default: viewer tests/browser)
# node and npm come with the machine, not from apt. Without them, or when npm ci fails, it says so
# and exits 0: the viewer test (tests/cli/viewer.sh) then fails with the same message.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
folders=("$@")
[[ ${#folders[@]} -eq 0 ]] && folders=(viewer tests/browser)

todo=()
for f in "${folders[@]}"; do
  dir="$root/$f"
  [[ -f "$dir/package-lock.json" ]] || { echo "install-node-deps: $dir/package-lock.json is missing" >&2; exit 2; }
  stamp="$dir/node_modules/.package-lock.json"
  if [[ ! -f "$stamp" || "$dir/package-lock.json" -nt "$stamp" || "$dir/package.json" -nt "$stamp" ]]; then
    todo+=("$f")
  fi
done
[[ ${#todo[@]} -eq 0 ]] && exit 0

if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "install-node-deps: node and npm are not installed; the viewer and its test need them" \
       "(install Node.js 18 or newer with npm, then run scripts/install-node-deps.sh)" >&2
  exit 0
fi
for f in "${todo[@]}"; do
  echo "install-node-deps: npm ci in $f" >&2
  if ! (cd "$root/$f" && npm ci --no-audit --no-fund --loglevel=error >/dev/null); then
    echo "install-node-deps: npm ci failed in $root/$f; the viewer test will fail" >&2
  fi
done
