#!/usr/bin/env bash
# Benchmark of `sitmap tiles` against `ogr2ogr -f MVT` on the same data in the same run: the atlas
# and N synthetic points (default 1,000,000) at zooms 0-8. Prints seconds, tiles per second,
# points per second, and checks through GDAL that at every zoom the `count` over all tiles equals
# the number of points. Also reports how many points ogr2ogr's zoom-0 tile kept.
# Usage: scripts/bench-tiles.sh [BUILD_DIR]
#   SITMAP_BENCH_POINTS=N  number of synthetic points (default 1000000)
#   SITMAP_BENCH_SKIP_OGR2OGR=1  skip ogr2ogr (about 8 minutes on 1,000,000 points)
#   SITMAP_BENCH_DIR=DIR   work folder (default ${TMPDIR:-/tmp}/sitmap-bench-tiles)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
sitmap=$build/sitmap
n=${SITMAP_BENCH_POINTS:-1000000}
work=${SITMAP_BENCH_DIR:-${TMPDIR:-/tmp}/sitmap-bench-tiles}
mkdir -p "$work"; cd "$work"

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
pbfs() { find "$1" -name '*.pbf' | wc -l; }
# sum_count DIR/Z LAYER: the sum of `count` over every feature of every tile of that zoom (GDAL)
sum_count() {
  ogrinfo -ro -q -geom=NO "$1" "$2" | awk '/^  count \(/ { s += $4 } END { printf "%d", s }'
}

points=points-$n.fgb
[ -s "$points" ] || "$root/scripts/make-synthetic-points.sh" "$n" "$points"
"$sitmap" build -o atlas.gpkg > /dev/null

echo "sitmap tiles, zooms 0-8 ($(nproc) cores)"
for data in atlas.gpkg "$points"; do
  rm -rf out.tiles out.mbtiles
  t0=$(now)
  "$sitmap" tiles "$data" -o out.tiles --mbtiles out.mbtiles --zoom 0-8 > summary.txt
  t1=$(now)
  tiles=$(pbfs out.tiles); s=$(secs "$t0" "$t1")
  printf '  %-22s %6s s  %5d tiles  %8s tiles/s\n' "$data" "$s" "$tiles" "$(rate "$tiles" "$s")"
  if [ "$data" = "$points" ]; then
    echo "  $(rate "$n" "$s") points/s; count over all tiles per zoom (read back with GDAL):"
    for z in 0 1 2 3 4 5 6 7 8; do
      c=$(sum_count out.tiles/$z points)
      [ "$c" = "$n" ] && ok=ok || ok=LOST
      echo "    zoom $z: $c of $n $ok"
    done
    sitmap_s=$s
  fi
done

if [ "${SITMAP_BENCH_SKIP_OGR2OGR:-0}" = 1 ]; then
  echo "ogr2ogr -f MVT: skipped (SITMAP_BENCH_SKIP_OGR2OGR=1)"; exit 0
fi
echo "ogr2ogr -f MVT -dsco MINZOOM=0 -dsco MAXZOOM=8 ($(ogrinfo --version))"
for data in atlas.gpkg "$points"; do
  rm -rf ogr.tiles
  t0=$(now)
  ogr2ogr -q -f MVT ogr.tiles "$data" -dsco MINZOOM=0 -dsco MAXZOOM=8
  t1=$(now)
  tiles=$(pbfs ogr.tiles); s=$(secs "$t0" "$t1")
  printf '  %-22s %6s s  %5d tiles  %8s tiles/s\n' "$data" "$s" "$tiles" "$(rate "$tiles" "$s")"
  if [ "$data" = "$points" ]; then
    kept=$(ogrinfo -ro -q -geom=NO ogr.tiles/0/0/0.pbf points | grep -c '^OGRFeature' || true)
    echo "  points in ogr2ogr's zoom-0 tile: $kept of $n"
    echo "  sitmap is $(awk -v a="$s" -v b="$sitmap_s" 'BEGIN { printf "%.0f", a / b }') times faster on $n points"
  fi
done
