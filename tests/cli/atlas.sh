#!/usr/bin/env bash
# End-to-end: sitmap build / export / run on the embedded data; outputs checked through GDAL
# (ogrinfo) and python3. Usage: bash atlas.sh SITMAP_BINARY TESTS_SOURCE_DIR WORK_DIR
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

# --help of every atlas command
for c in build export run; do "$SITMAP" $c --help >/dev/null || fail "$c --help"; done

# build
"$SITMAP" build -o atlas.gpkg > build.log 2> build.err || fail "build exited $?"
[ -s build.err ] && fail "unexpected stderr: $(cat build.err)"
ogrinfo -ro -q atlas.gpkg > layers.txt
for l in countries regions zones flows returns intended_returns camp_population facilities \
         other_figures places crossings camps unresolved audit layer_styles; do
  grep -q ": $l\b" layers.txt || fail "layer $l missing: $(cat layers.txt)"
done
count() { ogrinfo -ro -so "$1" "$2" | sed -n 's/^Feature Count: //p'; }
total=0
for l in returns intended_returns camp_population facilities other_figures; do
  total=$((total + $(count atlas.gpkg $l)))
done
[ "$total" = 148 ] || fail "record layers hold $total features, not 148"
[ "$(count atlas.gpkg returns)" = 40 ] || fail "returns count"
[ "$(count atlas.gpkg regions)" = 14 ] || fail "regions count"
[ "$(count atlas.gpkg zones)" = 1 ] || fail "zones count"
for l in regions zones returns flows places; do
  has 'ID\["EPSG",4326\]' ogrinfo -ro -so atlas.gpkg $l || fail "$l is not EPSG:4326"
done
has "value (Real) = 2098102" ogrinfo -ro -q atlas.gpkg returns -where "record_id='002-0001'" \
  || fail "002-0001 value"

# exports
for f in geojson shapefile flatgeobuf; do
  "$SITMAP" export atlas.gpkg --format $f -o out_$f > /dev/null || fail "export $f"
done
"$SITMAP" export atlas.gpkg --format csv --hxl -o out_csv > /dev/null || fail "export csv"
"$SITMAP" export atlas.gpkg --format gpkg -o copy.gpkg > /dev/null || fail "export gpkg"
[ "$(count copy.gpkg returns)" = 40 ] || fail "gpkg export"
for l in returns regions zones flows audit unresolved; do
  [ "$(count out_geojson/$l.geojson $l)" = "$(count atlas.gpkg $l)" ] || fail "geojson $l count"
done
for l in returns regions zones flows places crossings camps other_figures; do
  n=$(count out_flatgeobuf/$l.fgb $l)
  if [ -f out_flatgeobuf/${l}_unlocated.csv ]; then
    n=$((n + $(tail -n +2 out_flatgeobuf/${l}_unlocated.csv | wc -l)))
  fi
  [ "$n" = "$(count atlas.gpkg $l)" ] || fail "fgb $l count"
done
[ -s out_flatgeobuf/audit.csv ] || fail "fgb folder: audit.csv"
for l in returns regions zones flows places crossings camps; do
  [ "$(count out_shapefile/$l.shp $l)" = "$(count atlas.gpkg $l)" ] || fail "shp $l count"
  grep -q 'WGS_1984\|WGS 84' out_shapefile/$l.prj || fail "$l.prj"
  [ "$(cat out_shapefile/$l.cpg)" = "UTF-8" ] || fail "$l.cpg"
  [ -s out_shapefile/$l.qml ] || fail "$l.qml"
done
grep -q '^returns,period_start,per_start$' out_shapefile/field_names.csv || fail "field mapping"
has "value (Real) = 1318558" ogrinfo -ro -q out_shapefile/returns.shp returns -where "record_id='002-0002'" \
  || fail "shapefile value of 002-0002"

python3 - "$WORK" <<'PY' || fail "geojson/csv checks"
import csv, json, re, sys, os
w = sys.argv[1]
def area(ring):
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:])) / 2
for name in os.listdir(f"{w}/out_geojson"):
    text = open(f"{w}/out_geojson/{name}").read()
    d = json.loads(text)
    assert "crs" not in d, name
    for num in re.findall(r'"coordinates": (\[.*?\]) \}', text):
        assert not re.search(r"\d\.\d{8,}", num), (name, "more than 7 decimals")
    for f in d["features"]:
        g = f["geometry"]
        if g is None: continue
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"] if g["type"] == "MultiPolygon" else []
        for p in polys:
            assert area(p[0]) > 0, (name, "exterior ring not counter-clockwise")
            for hole in p[1:]: assert area(hole) < 0, (name, "hole not clockwise")
        if g["type"] == "Point" and f["properties"].get("admin1", "").startswith("SY-"):
            lon, lat = g["coordinates"]
            assert 35 < lon < 43 and 32 < lat < 38, (name, "lon/lat order", g)
ret = {f["properties"]["record_id"]: f["properties"] for f in json.load(open(f"{w}/out_geojson/returns.geojson"))["features"]}
assert ret["002-0001"]["value"] == 2098102 and ret["002-0001"]["as_of"] == "2020-02-12"
assert ret["002-0002"]["value"] == 1318558 and ret["002-0003"]["value"] == 779544
assert ret["002-0001"]["precision"] == "country"
rows = list(csv.reader(open(f"{w}/out_csv/returns.csv")))
assert rows[1][0].startswith("#"), "no HXL row"
hx = dict(zip(rows[0], rows[1]))
assert hx["admin1_pcode"] == "#adm1+code" and hx["as_of"] == "#date" and hx["value"] == "#affected+returnees" and hx["source"] == "#meta+source"
byid = {r[0]: dict(zip(rows[0], r)) for r in rows[2:]}
assert float(byid["002-0001"]["value"]) == 2098102 and byid["002-0001"]["as_of"] == "2020-02-12"
reg = list(csv.reader(open(f"{w}/out_csv/regions.csv")))
assert reg[0][0] == "WKT" and reg[2][0].startswith("MULTIPOLYGON")
z = json.load(open(f"{w}/out_geojson/zones.geojson"))["features"][0]["properties"]
assert z["name"] == "al-Tanf 55 km zone" and abs(z["area_km2"] - 3.141592653589793 * 55 * 55) < 0.005 * 9503
PY

# reproducible: a second build exports byte-identical GeoJSON and CSV
"$SITMAP" build -o atlas2.gpkg > /dev/null || fail "second build"
"$SITMAP" export atlas2.gpkg --format geojson -o out2_geojson > /dev/null
"$SITMAP" export atlas2.gpkg --format csv --hxl -o out2_csv > /dev/null
diff -r out_geojson out2_geojson > /dev/null || fail "GeoJSON differs between builds"
diff -r out_csv out2_csv > /dev/null || fail "CSV differs between builds"

# a region layer of another source, with its own field names (UNHCR codes, 68 districts)
ADM2="$TESTS/../../shared/boundaries/SYR_ADM2.geojson"
if [ -f "$ADM2" ]; then
  "$SITMAP" build --regions "$ADM2" -o adm2.gpkg > /dev/null || fail "build --regions"
  [ "$(count adm2.gpkg regions)" = 68 ] || fail "adm2 regions"
  has "iso_3166_2 (String) = SY-RD" ogrinfo -ro -q adm2.gpkg regions -where "source_code='SYR003006'" \
    || fail "An Nabk is not in Rif Dimashq"
fi

# bad input: exit 2, the message names file and line, no output left behind
set +e
"$SITMAP" build --records "$TESTS/data/atlas/bad_category.csv" -o bad.gpkg > /dev/null 2> bad.err
rc=$?
set -e
[ $rc = 2 ] || fail "bad records exit $rc"
grep -q "bad_category.csv' on line 3" bad.err || fail "message: $(cat bad.err)"
[ ! -e bad.gpkg ] || fail "bad.gpkg was written"
ls -a | grep -q '^\.tmp' && fail "temporary files left"
set +e
"$SITMAP" export atlas.gpkg --format kml -o x > /dev/null 2>&1; rc=$?
set -e
[ $rc = 2 ] || fail "unknown format exit $rc"

# the main job
"$SITMAP" run --out run_out > run.log || fail "run"
grep -q "unresolved place strings" run.log || fail "run summary"
for d in geojson shapefile flatgeobuf csv; do [ -d run_out/$d ] || fail "run_out/$d"; done
[ -s run_out/atlas.qgs ] || fail "atlas.qgs"
# the map and the tiles
has "Size is 1600, 1200" gdalinfo run_out/map.png || fail "run_out/map.png is not a 1600x1200 image"
[ -s run_out/tiles/tiles.json ] && [ -s run_out/tiles/6/38/25.pbf ] || fail "run_out/tiles"
has "Nasib border crossing" ogrinfo -ro -al -q run_out/tiles/6/38/25.pbf crossings \
  || fail "run_out/tiles: the zoom-6 tile of Daraa lacks the Nasib crossing"
grep -q "at every zoom the counts add up to all 182 points" run.log || fail "run: tiles summary"
# the per-governorate summary: 14 governorates and the unallocated row; Daraa's restored wells
python3 - run_out/summary_by_governorate.csv <<'PY' || fail "summary_by_governorate.csv"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
regions = [r for r in rows if r["row_kind"] == "region"]
assert len(regions) == 14, len(regions)
assert any(r["row_kind"] == "unallocated" for r in rows)
dr = next(r for r in regions if r["region_id"] == "SY-DR")
assert dr["facilities:well:point_in_time:facilities:restored"] == "125", dr
PY
echo "atlas: all checks passed"
