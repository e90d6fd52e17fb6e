#!/usr/bin/env bash
# Writes N deterministic synthetic points (Syria and its neighbours: 70 % around 60 centres,
# 30 % spread evenly) with fields id (integer), value (integer 1..1000), weight (real) and
# category (text), as a FlatGeobuf or GeoPackage in EPSG:4326.
# Usage: make-synthetic-points.sh N OUT.fgb|OUT.gpkg
set -euo pipefail
n=$1; out=$2
csv=$(mktemp --suffix=.csv)
trap 'rm -f "$csv"' EXIT
awk -v n="$n" 'BEGIN {
  s = 20240601                      # Park-Miller generator: the same points on every machine
  for (c = 0; c < 60; c++) { cx[c] = 35.8 + 6.5 * rnd(); cy[c] = 32.4 + 4.8 * rnd() }
  split("returns facilities aid camps other", cat, " ")
  print "id,lon,lat,value,weight,category"
  for (i = 1; i <= n; i++) {
    if (rnd() < 0.7) {
      c = int(rnd() * 60)
      x = cx[c] + (rnd() + rnd() + rnd() - 1.5) * 0.4
      y = cy[c] + (rnd() + rnd() + rnd() - 1.5) * 0.3
    } else { x = 35.5 + 7 * rnd(); y = 32.2 + 5.2 * rnd() }
    printf "%d,%.6f,%.6f,%d,%.2f,%s\n", i, x, y, 1 + int(rnd() * 1000), rnd() * 100, cat[1 + int(rnd() * 5)]
  }
}
function rnd() { s = (s * 16807) % 2147483647; return s / 2147483647 }' > "$csv"
rm -f "$out"
ogr2ogr -q "$out" "$csv" -nln points -a_srs EPSG:4326 -oo X_POSSIBLE_NAMES=lon \
  -oo Y_POSSIBLE_NAMES=lat -oo KEEP_GEOM_COLUMNS=NO -oo AUTODETECT_TYPE=YES
