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
# A folder holding only a metadata.json is not an earlier tile set; neither is a file, nor the input.
mkdir onlymeta; echo '{"name": "mine"}' > onlymeta/metadata.json
expect 2 "not a tile folder" "$SITMAP" tiles atlas.gpkg -o onlymeta --zoom 0-1
[ -f onlymeta/metadata.json ] || fail "a folder with a metadata.json was deleted"
echo keep > afile
expect 2 "not a folder" "$SITMAP" tiles atlas.gpkg -o afile --zoom 0-1
[ "$(cat afile)" = keep ] || fail "a file given to -o was touched"
expect 2 "is the input file" "$SITMAP" tiles atlas.gpkg --mbtiles ./atlas.gpkg --zoom 0-1
expect 2 "is the input file" "$SITMAP" tiles atlas.gpkg -o atlas.gpkg --zoom 0-1
[ -s atlas.gpkg ] || fail "the input was replaced"
expect 2 "threads 300" "$SITMAP" tiles atlas.gpkg -o t --threads 300
# A layer whose CRS has no transformation to EPSG:4326 (Mars) is bad input naming the file.
cat > mars.geojson <<'EOF'
{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"IAU_2015:49900"}},"features":[
{"type":"Feature","properties":{"n":"crater"},"geometry":{"type":"Point","coordinates":[30,10]}}]}
EOF
expect 2 "mars.geojson.*layer 'mars': its CRS cannot be transformed to EPSG:4326" \
  "$SITMAP" tiles mars.geojson -o t
[ -e t ] && fail "a failed run left output behind"
# When a worker thread cannot be started (a 1 GB stack each in a 2.5 GB address space), the run
# fails with exit 1 and leaves nothing behind.
if (ulimit -s 1048576 && ulimit -v 2500000) 2>/dev/null; then
  rc=0
  (ulimit -s 1048576; ulimit -v 2500000
   exec "$SITMAP" tiles atlas.gpkg -o thr --mbtiles thr.mbtiles --zoom 0-3 --threads 8) \
    > out.txt 2> err.txt || rc=$?
  [ "$rc" = 1 ] || fail "a thread that cannot start: exit $rc, not 1: $(cat err.txt)"
  grep -q "cannot start worker thread" err.txt || fail "thread failure message: $(cat err.txt)"
  ls -d thr thr.* 2>/dev/null && fail "a failed run left output behind"
fi

# Lines and polygons in one layer are reported as such; features PROJ cannot transform are
# counted apart from those without geometry.
cat > mixed.geojson <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"n":"road"},"geometry":{"type":"LineString","coordinates":[[36,33],[37,34]]}},
{"type":"Feature","properties":{"n":"field"},"geometry":{"type":"Polygon","coordinates":[[[36,33],[37,33],[37,34],[36,33]]]}},
{"type":"Feature","properties":{"n":"field2"},"geometry":{"type":"Polygon","coordinates":[[[38,33],[39,33],[39,34],[38,33]]]}}]}
EOF
ok "$SITMAP" tiles mixed.geojson -o mixed --zoom 0-2
grep -q "^layer mixed: 1 line, 2 polygons$" out.txt || fail "mixed layer summary: $(cat out.txt)"
cat > utm.geojson <<'EOF'
{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32637"}},"features":[
{"type":"Feature","properties":{"n":"ok"},"geometry":{"type":"Point","coordinates":[300000,3600000]}},
{"type":"Feature","properties":{"n":"bad point"},"geometry":{"type":"Point","coordinates":[1e30,1e30]}},
{"type":"Feature","properties":{"n":"bad line"},"geometry":{"type":"LineString","coordinates":[[300000,3600000],[1e30,1e30],[320000,3620000]]}},
{"type":"Feature","properties":{"n":"no geometry"},"geometry":null}]}
EOF
ok "$SITMAP" tiles utm.geojson -o utm --zoom 0-2
grep -q "^layer utm: 1 point (1 without geometry, 2 could not be projected, not tiled)$" out.txt \
  || fail "unprojected summary: $(cat out.txt)"
has "n (String) = bad" ogrinfo -ro -q -geom=NO utm/2 utm && fail "a feature PROJ cannot place was tiled"
# -o DIR/ (trailing slash): the tiles land in DIR, also when DIR holds an earlier tile set.
ok "$SITMAP" tiles mixed.geojson -o slash/ --mbtiles ./slash.mbtiles --zoom 0-1
ok "$SITMAP" tiles mixed.geojson -o slash/ --mbtiles ./slash.mbtiles --zoom 0-2
for f in metadata.json tiles.json 2; do [ -e slash/$f ] || fail "-o slash/: no slash/$f"; done
[ -s slash.mbtiles ] || fail "-o slash/: no slash.mbtiles"
ls -d slash.* | grep -v '^slash.mbtiles$' && fail "temporary or backup output left behind"

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
