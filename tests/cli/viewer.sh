#!/usr/bin/env bash
# End-to-end: sitmap build and sitmap tiles, the tiles decoded by a second MVT decoder
# (@mapbox/vector-tile, tests/browser/decode-tiles.mjs) and shown by the web viewer in headless
# Chromium (tests/browser/viewer-test.mjs). Needs node, Debian's chromium and the npm packages of
# viewer/ and tests/browser/ (scripts/install-node-deps.sh; `make test` runs it): without them the
# test fails and says what is missing.
# Usage: bash viewer.sh SITMAP_BINARY TESTS_SOURCE_DIR WORK_DIR
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
ROOT=$(cd "$TESTS/.." && pwd)

command -v node >/dev/null 2>&1 || fail "node is not installed (the viewer test needs Node.js 18 or newer)"
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing: run scripts/install-deps.sh (Debian's chromium)"
for d in viewer/node_modules/maplibre-gl tests/browser/node_modules/@mapbox/vector-tile \
         tests/browser/node_modules/playwright-core tests/browser/node_modules/pngjs; do
  [ -d "$ROOT/$d" ] || fail "$ROOT/$d is missing: run scripts/install-node-deps.sh (make test does)"
done

# The second decoder's own checks, on tiles written by hand.
node --test "$ROOT/tests/browser/decode-tiles.test.mjs" > selftest.txt 2>&1 \
  || fail "decode-tiles.test.mjs: $(cat selftest.txt)"

"$SITMAP" build -o atlas.gpkg > build.log 2> build.err || fail "build exited $?: $(cat build.err)"
[ -s build.err ] && fail "build: unexpected stderr: $(cat build.err)"
"$SITMAP" tiles atlas.gpkg -o tiles --mbtiles tiles.mbtiles --zoom 0-8 > tiles.log 2> tiles.err \
  || fail "tiles exited $?: $(cat tiles.err)"
[ -s tiles/tiles.json ] || fail "tiles/tiles.json missing"
[ -s tiles/metadata.json ] || fail "tiles/metadata.json missing"
[ -s tiles/0/0/0.pbf ] || fail "tiles/0/0/0.pbf missing"

# The figures of the atlas, per layer: features with a geometry and the sum of value.
located() {
  ogrinfo -ro -q atlas.gpkg -sql "SELECT COUNT(*) AS n FROM $1 WHERE geom IS NOT NULL" \
    | sed -n 's/^  n (Integer[0-9]*) = //p'
}
value_sum() {
  ogrinfo -ro -q atlas.gpkg -sql "SELECT TOTAL(value) AS s FROM $1 WHERE geom IS NOT NULL" \
    | sed -n 's/^  s (Real) = //p'
}
# A line or polygon cut into tiles counts once per key.
expect=(--buffer 64 --key countries=iso3 --key regions=region_id --key zones=name
        --key flows=record_id,leg,from_id,to_id)
for l in countries regions zones flows places crossings camps returns intended_returns \
         camp_population facilities other_figures; do
  n=$(located $l); [ -n "$n" ] || fail "could not count $l in atlas.gpkg"
  expect+=(--expect-count "$l=$n")
done
for l in flows returns intended_returns camp_population facilities other_figures; do
  v=$(value_sum $l); [ -n "$v" ] || fail "could not sum $l in atlas.gpkg"
  expect+=(--expect-value "$l=$v")
done

# Every tile decodes, its geometry is valid MVT, and every zoom holds every point (as itself or in
# a cluster's count) and the whole of the figures.
node "$ROOT/tests/browser/decode-tiles.mjs" tiles "${expect[@]}" > decode.txt 2> decode.err \
  || fail "decode-tiles: $(cat decode.err)"
for z in 0 8; do
  for l in countries regions zones flows returns crossings places; do
    grep -q "^$z  *$l " decode.txt || fail "no $l features at zoom $z: $(cat decode.txt)"
  done
done
grep -q "^9 " decode.txt && fail "tiles above zoom 8"
# The MBTiles file holds the same tiles: the same figures.
node "$ROOT/tests/browser/decode-tiles.mjs" tiles.mbtiles "${expect[@]}" > decode_mbtiles.txt \
  2> decode_mbtiles.err || fail "decode-tiles (MBTiles): $(cat decode_mbtiles.err)"
diff <(sed '$d' decode.txt) <(sed '$d' decode_mbtiles.txt) > /dev/null \
  || fail "the MBTiles file decodes to other figures than the folder"

# 20,000 synthetic points: at every zoom the second decoder finds every point in the counts and
# the whole of `value` in the sums (the value total computed here, not by sitmap).
"$ROOT/scripts/make-synthetic-points.sh" 20000 points.fgb > /dev/null 2>&1 || fail "make-synthetic-points failed"
total=$(ogrinfo -ro -q points.fgb -sql "SELECT SUM(value) AS s FROM points" -dialect SQLite \
        | sed -n 's/^  s (Integer[0-9]*) = //p')
[ -n "$total" ] || fail "could not sum value in points.fgb"
"$SITMAP" tiles points.fgb -o points.tiles --zoom 0-8 > points.log 2> points.err \
  || fail "tiles (points) exited $?: $(cat points.err)"
node "$ROOT/tests/browser/decode-tiles.mjs" points.tiles --expect-count points=20000 \
  --expect-value "points=$total" > decode_points.txt 2> decode_points.err \
  || fail "decode-tiles (points): $(cat decode_points.err)"
[ "$(grep -c '^[0-8]  *points ' decode_points.txt)" = 9 ] || fail "points missing at some zoom: $(cat decode_points.txt)"

# The viewer draws them: regions, crossings and zones at the first view, Nasib over Daraa, and a
# screenshot that is not blank.
timeout 120 node "$ROOT/tests/browser/viewer-test.mjs" "$ROOT/viewer" tiles --out shots \
  > viewer.txt 2> viewer.err || fail "viewer: $(cat viewer.txt viewer.err)"
grep -q "all checks passed" viewer.txt || fail "viewer: $(cat viewer.txt)"
[ -s shots/initial.png ] || fail "no screenshot"
echo "viewer: all checks passed"
