#!/usr/bin/env bash
# End-to-end: sitmap tiles on the atlas and on synthetic points, read back through GDAL's MVT and
# MBTiles drivers. Usage: bash tiles.sh SITMAP_BINARY TESTS_SOURCE_DIR WORK_DIR
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

"$SITMAP" tiles --help | grep -q 'never dropped' || fail "tiles --help lacks the no-loss rule"

ok "$SITMAP" build -o atlas.gpkg

# Bad usage and bad input exit 2 and name what is wrong; nothing is written.
expect 2 "no such file" "$SITMAP" tiles missing.gpkg -o t
expect 2 "--zoom" "$SITMAP" tiles atlas.gpkg -o t --zoom 8-2
expect 2 "--zoom" "$SITMAP" tiles atlas.gpkg -o t --zoom 0-15
expect 2 "give an output" "$SITMAP" tiles atlas.gpkg --zoom 0-2
expect 2 "power of two" "$SITMAP" tiles atlas.gpkg -o t --cluster-cell 30
expect 2 "atlas.gpkg.*no layer 'nowhere'" "$SITMAP" tiles atlas.gpkg -o t --layers crossings,nowhere
expect 2 "has no geometry" "$SITMAP" tiles atlas.gpkg -o t --layers audit
mkdir notiles; touch notiles/keep.txt
expect 2 "not a tile folder" "$SITMAP" tiles atlas.gpkg -o notiles --zoom 0-1
[ -e t ] && fail "a failed run left output behind"
[ -f notiles/keep.txt ] || fail "an unrelated folder was touched"

# The atlas, zooms 0-8, as a folder and as MBTiles.
ok "$SITMAP" tiles atlas.gpkg -o atlas.tiles --mbtiles atlas.mbtiles --zoom 0-8
grep -q '^zoom 6: ' out.txt || fail "no zoom-6 summary: $(cat out.txt)"
for f in metadata.json tiles.json 0/0/0.pbf; do [ -s atlas.tiles/$f ] || fail "atlas.tiles/$f"; done
grep -q '"tilejson": "3.0.0"' atlas.tiles/tiles.json || fail "tiles.json is not TileJSON 3.0.0"
grep -q '"vector_layers"' atlas.tiles/tiles.json || fail "tiles.json lacks vector_layers"
# The center is in Syria although the places reach Moscow (the bounds do): the features' median.
python3 - atlas.tiles/tiles.json atlas.tiles/metadata.json <<'PY' || fail "tile set center"
import json, sys
tj, meta = (json.load(open(p)) for p in sys.argv[1:3])
lon, lat, zoom = tj["center"]
assert 35.7 < lon < 42.4 and 32.3 < lat < 37.4, tj["center"]
assert tj["minzoom"] <= zoom <= tj["maxzoom"], tj["center"]
assert tj["bounds"][2] > 50, tj["bounds"]   # the bounds hold every feature
assert [float(v) for v in meta["center"].split(",")] == [round(lon, 7), round(lat, 7), zoom]
PY
ls atlas.tiles.tmp-* atlas.mbtiles.tmp-* 2>/dev/null && fail "temporary output left behind"

# Zoom 6 through GDAL: the Nasib crossing and the al-Tanf zone, with their attributes.
ogrinfo -ro -q -geom=NO atlas.tiles/6 crossings > z6_crossings.txt
grep -A6 "place_id (String) = nasib-crossing" z6_crossings.txt > nasib.txt || fail "no Nasib at zoom 6"
grep -q "name (String) = Nasib border crossing" nasib.txt || fail "Nasib name"
grep -q "kind (String) = border_crossing" nasib.txt || fail "Nasib kind"
ogrinfo -ro -q -geom=NO atlas.tiles/6 zones > z6_zones.txt
grep -q "name (String) = al-Tanf 55 km zone" z6_zones.txt || fail "no al-Tanf zone at zoom 6"
grep -q "radius_km (Real) = 55" z6_zones.txt || fail "al-Tanf radius_km"
has "MULTIPOLYGON" ogrinfo -ro -q atlas.tiles/6 zones || fail "zone geometry"
# The same in the MBTiles file.
has "place_id (String) = nasib-crossing" ogrinfo -ro -q -geom=NO -oo ZOOM_LEVEL=6 atlas.mbtiles crossings \
  || fail "no Nasib in the MBTiles file at zoom 6"
has "radius_km (Real) = 55" ogrinfo -ro -q -geom=NO -oo ZOOM_LEVEL=6 atlas.mbtiles zones \
  || fail "no al-Tanf zone in the MBTiles file at zoom 6"
[ "$(sqlite3 atlas.mbtiles "select value from metadata where name='format'")" = pbf ] || fail "format"

# Synthetic points: at every zoom the counts and values over all tiles add up to the totals.
n=30000
bash "$TESTS/../scripts/make-synthetic-points.sh" $n points.fgb
total=$(ogrinfo -ro -q -sql "SELECT SUM(value) AS s FROM points" points.fgb | sed -n 's/^  s (Integer[0-9]*) = //p')
[ -n "$total" ] || fail "cannot sum the input values"
ok "$SITMAP" tiles points.fgb -o points.tiles --mbtiles points.mbtiles --zoom 0-8
for z in 0 1 2 3 4 5 6 7 8; do
  read -r c v <<< "$(ogrinfo -ro -q -geom=NO points.tiles/$z points |
    awk '/^  count \(/ { c += $4 } /^  value \(/ { v += $4 } END { printf "%d %d", c, v }')"
  [ "$c" = "$n" ] || fail "zoom $z: count adds up to $c, not $n"
  [ "$v" = "$total" ] || fail "zoom $z: value adds up to $v, not $total"
done
# One tile file on its own, and zoom 0 of the MBTiles file.
has "count (Real) = " ogrinfo -ro -q -geom=NO points.tiles/0/0/0.pbf points || fail "0/0/0.pbf"
c=$(ogrinfo -ro -q -geom=NO -oo ZOOM_LEVEL=0 points.mbtiles points | awk '/^  count \(/ { c += $4 } END { printf "%d", c }')
[ "$c" = "$n" ] || fail "MBTiles zoom 0: count adds up to $c, not $n"

# Same input, same bytes.
ok "$SITMAP" tiles points.fgb -o again.tiles --mbtiles again.mbtiles --zoom 0-8 --threads 1
cmp points.mbtiles again.mbtiles || fail "MBTiles differ between runs"
(cd points.tiles && find . -type f | sort | xargs sha256sum) > a.sum
(cd again.tiles && find . -type f | sort | xargs sha256sum) > b.sum
cmp a.sum b.sum || fail "tile folders differ between runs"
# Running again over an earlier tile folder replaces it.
ok "$SITMAP" tiles atlas.gpkg -o points.tiles --zoom 0-2
[ -d points.tiles/3 ] && fail "the earlier tile folder was not replaced"
echo "tiles: ok"
