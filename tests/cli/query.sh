#!/usr/bin/env bash
# End-to-end: sitmap aggregate and sitmap query on an atlas built from the embedded data, with a
# user-brought district layer (../shared/boundaries/SYR_ADM2.geojson) and the hand-made polygons
# of tests/data/query. Usage: bash query.sh SITMAP_BINARY TESTS_SOURCE_DIR WORK_DIR
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
ADM2="$TESTS/../../shared/boundaries/SYR_ADM2.geojson"

for c in aggregate query; do
  "$SITMAP" $c --help > help.txt || fail "$c --help"
  grep -q "Examples:" help.txt || fail "$c --help has no examples"
done
"$SITMAP" build -o atlas.gpkg > /dev/null 2> build.err || fail "build: $(cat build.err)"

# ---- aggregate -------------------------------------------------------------------------------
ok "$SITMAP" aggregate atlas.gpkg --by regions --category returns --format csv
cp out.txt regions.csv
python3 - regions.csv <<'PY' || fail "aggregate regions csv"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
assert len(rows) == 16, len(rows)                      # 14 governorates, unallocated, outside
ids = [r["region_id"] for r in rows]
assert ids[:14] == sorted(ids[:14]) and ids[14:] == ["unallocated", "outside"], ids
rd = {r["region_id"]: r for r in rows}["SY-RD"]
assert rd["returns:idp:week:people"] == "366", rd       # Eastern Ghouta, week of 2019-03-01
assert rd["returns:idp:day:people"] == "258", rd
assert rd["src_region_id"] == "SY-RD" and rd["iso_3166_2"] == "SY-RD", rd   # the layer's own fields
un = {r["region_id"]: r for r in rows}["unallocated"]
# national cumulative totals: the latest (2022-06-16) supersedes the four earlier ones
assert un["returns:total:cumulative:people"] == "2500000", un
total = sum(int(r["records"]) for r in rows)
assert total == 40, total                              # every returns record in exactly one row
PY

ok "$SITMAP" aggregate atlas.gpkg --by regions --category facilities --status restored --format json
python3 - out.txt <<'PY' || fail "aggregate json lines"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert len(rows) == 16
dr = [r for r in rows if r["region_id"] == "SY-DR"][0]
sums = {s["subcategory"]: s["value"] for s in dr["sums"]}
assert sums["well"] == 125 and sums["school"] == 80 and sums["bakery"] == 11, sums
assert all(s["status"] == "restored" for r in rows for s in r["sums"])
PY

# geojson on stdout: RFC 7946, one feature per row, polygons for the regions
ok "$SITMAP" aggregate atlas.gpkg --by regions --category returns --format geojson
python3 - out.txt <<'PY' || fail "aggregate geojson on stdout"
import json, sys
g = json.load(open(sys.argv[1], encoding="utf-8"))
assert "crs" not in g and len(g["features"]) == 16
f = [f for f in g["features"] if f["properties"]["region_id"] == "SY-RD"][0]
assert f["geometry"]["type"] in ("Polygon", "MultiPolygon") and f["properties"]["returns:idp:week:people"] == 366
assert [f for f in g["features"] if f["properties"]["region_id"] == "unallocated"][0]["geometry"] is None
PY

if [ -f "$ADM2" ]; then
  ok "$SITMAP" aggregate atlas.gpkg --by "$ADM2" --category facilities,returns --format csv
  python3 - out.txt <<'PY' || fail "aggregate SYR_ADM2"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
assert len(rows) == 70, len(rows)
for f in ("idprogres", "admname", "gid", "idgaul", "progresnam"):   # the file's own fields
    assert f in rows[0], rows[0].keys()
by = {r["region_id"]: r for r in rows}
assert by["SYR012001"]["admname"] == "Dara"
# al-Jizzeh (al-jiza) medical facilities restored: settlement precision, in a Daraa district
assert sum(int(r["records"]) for r in rows) == 85, sum(int(r["records"]) for r in rows)
un = by["unallocated"]
assert "Daraa province" not in un["region_name"]
assert int(un["records"]) > 40          # governorate and country records: never spread
PY
  ok "$SITMAP" aggregate atlas.gpkg --by "$ADM2" --format geojson -o adm2.geojson
  has "Feature Count: 70" ogrinfo -ro -so adm2.geojson adm2 || fail "adm2 geojson count"
  grep -q '"crs"' adm2.geojson && fail "RFC 7946 GeoJSON has no crs member"
  has "admname (String) = Tadmor" ogrinfo -ro -q adm2.geojson adm2 -where "idprogres='SYR004005'" \
    || fail "Tadmor row"
  # the districts of known places, through query --within on the district polygons
  ogr2ogr -f GeoJSON tadmor.geojson "$ADM2" -where "idprogres='SYR004005'"
  ok "$SITMAP" query atlas.gpkg --layer camps --within tadmor.geojson --format csv --fields place_id
  grep -q "^rukban-camp$" out.txt || fail "Rukban not in Tadmor district: $(cat out.txt)"
  ok "$SITMAP" query atlas.gpkg --layer places --within tadmor.geojson --format csv --fields place_id
  grep -q "^al-tanf-base$" out.txt || fail "al-Tanf base not in Tadmor district: $(cat out.txt)"
  ogr2ogr -f GeoJSON dara.geojson "$ADM2" -where "idprogres='SYR012001'"
  ok "$SITMAP" query atlas.gpkg --layer crossings --within dara.geojson --format csv --fields place_id
  grep -q "^nasib-crossing$" out.txt || fail "Nasib not in Dara district: $(cat out.txt)"
fi

# a region layer in UTM 37N, reprojected; a bow-tie repaired and reported; not polygons refused
ok "$SITMAP" aggregate atlas.gpkg --by "$TESTS/data/query/utm37.geojson" --format csv
head -1 out.txt | grep -q "zone_code,zone_name" || fail "utm37 fields: $(head -1 out.txt)"
"$SITMAP" aggregate atlas.gpkg --by "$TESTS/data/query/bowtie.geojson" > /dev/null 2> err.txt \
  || fail "bowtie exited non-zero"
grep -q "repaired with GEOS MakeValid" err.txt || fail "bowtie repair not reported: $(cat err.txt)"
expect 2 "not polygons" "$SITMAP" aggregate atlas.gpkg --by "$TESTS/data/query/points.geojson"
expect 2 "polygon layers: countries, regions, zones" "$SITMAP" aggregate atlas.gpkg --by nowhere
expect 2 "known: " "$SITMAP" aggregate atlas.gpkg --by regions --category retruns
expect 2 "has no field 'nope'" "$SITMAP" aggregate atlas.gpkg --by regions --id-field nope
expect 2 "no-atlas.gpkg" "$SITMAP" aggregate no-atlas.gpkg --by regions

# ---- query -----------------------------------------------------------------------------------
ok "$SITMAP" query atlas.gpkg --layer places --within "al-Tanf 55 km zone" --format csv --fields place_id
[ "$(tail -n +2 out.txt | tr '\n' ' ')" = "al-tanf-base al-tanf-zone " ] || fail "zone places: $(cat out.txt)"
ok "$SITMAP" query atlas.gpkg --layer camps --within "al-tanf 55 KM zone" --format csv --fields place_id
grep -q "^rukban-camp$" out.txt || fail "Rukban in the zone"

ok "$SITMAP" query atlas.gpkg --layer facilities --near Nasib --km 25 --format csv \
  --fields record_id,place_id,distance_km
[ "$(cat out.txt)" = $'record_id,place_id,distance_km\n001-0061,al-jiza,11.077' ] \
  || fail "near Nasib: $(cat out.txt)"
ok "$SITMAP" query atlas.gpkg --layer crossings --nearest "36.2,32.5" --k 2 --format json
python3 - out.txt <<'PY' || fail "nearest json"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert [r["place_id"] for r in rows][0] == "nasib-crossing", rows
assert rows[0]["distance_km"] <= rows[1]["distance_km"]
PY
ok "$SITMAP" query atlas.gpkg --layer facilities --within SY-DR \
  --where "status = 'restored' AND subcategory IN ('school', 'well')" --format csv --fields record_id
[ "$(tail -n +2 out.txt | tr '\n' ' ')" = "001-0039 001-0055 " ] || fail "where: $(cat out.txt)"
ok "$SITMAP" query atlas.gpkg --layer returns --from 2020-01-01 --to 2021-12-31 --format csv --fields record_id
[ "$(tail -n +2 out.txt | tr '\n' ' ')" = "000-0001 000-0002 000-0003 002-0001 002-0002 002-0003 " ] \
  || fail "from/to: $(cat out.txt)"
ok "$SITMAP" query atlas.gpkg --layer places --bbox 36,32.5,37,33 --format geojson -o box.geojson
has "place_id (String) = al-jiza" ogrinfo -ro -q box.geojson box || fail "bbox geojson"
ok "$SITMAP" query atlas.gpkg --layer places --intersects "$TESTS/data/query/box.geojson" \
  --format csv --fields place_id
grep -q "^al-jiza$" out.txt || fail "intersects: $(cat out.txt)"

expect 2 "its layers: " "$SITMAP" query atlas.gpkg --layer nope
expect 2 "valid fields: " "$SITMAP" query atlas.gpkg --layer returns --where "catgory = 'x'"
expect 2 "at character 12" "$SITMAP" query atlas.gpkg --layer returns --where "category = 'x"
expect 2 "at character 9" "$SITMAP" query atlas.gpkg --layer returns --where "value > 'x'"
expect 2 "is not a polygon file, a zone" "$SITMAP" query atlas.gpkg --layer places --within Atlantis
expect 2 "not polygons" "$SITMAP" query atlas.gpkg --layer places --within "$TESTS/data/query/points.geojson"
expect 2 "needs --km" "$SITMAP" query atlas.gpkg --layer places --near Nasib
expect 2 "no geometry" "$SITMAP" query atlas.gpkg --layer audit --bbox 0,0,1,1
expect 2 "--bbox" "$SITMAP" query atlas.gpkg --layer places --bbox 1,2,3
echo "query.sh: all passed"
