#!/usr/bin/env bash
# Runs every benchmark the build made (build/bench/*_bench), one after the other.
set -euo pipefail
build=${1:-build}
shopt -s nullglob
benches=("$build"/bench/*_bench)
[[ ${#benches[@]} -gt 0 ]] || { echo "run-benchmarks: no benchmark in $build/bench" >&2; exit 1; }
for b in "${benches[@]}"; do
  echo "== $(basename "$b")"
  "$b"
done
# Vector tiles against ogr2ogr -f MVT (SITMAP_BENCH_SKIP_OGR2OGR=1 skips its 8 minutes).
echo "== tiles"
"$(dirname "$0")/bench-tiles.sh" "$build"
