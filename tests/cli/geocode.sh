#!/usr/bin/env bash
# End-to-end: sitmap geocode and the command line contract (help, version, exit codes).
# Usage: bash geocode.sh SITMAP_BINARY TESTS_SOURCE_DIR WORK_DIR
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

# --version, --help, every subcommand's --help, unknown command
"$SITMAP" --version | grep -q '^sitmap [0-9]' || fail "--version"
"$SITMAP" --help > help.txt || fail "--help"
for c in $(sed -n '/^Subcommands:/,/^$/p' help.txt | awk 'NR>1 && NF {print $1}'); do
  "$SITMAP" "$c" --help > /dev/null || fail "$c --help exited non-zero"
  [ -f "$TESTS/../docs/cli/sitmap-$c.md" ] || fail "no docs/cli/sitmap-$c.md for '$c'"
  grep -q "sitmap-$c.md" "$TESTS/../docs/README.md" || fail "docs/README.md does not list '$c'"
done
grep -q geocode help.txt || fail "--help does not list geocode"
expect 2 "Try 'sitmap" "$SITMAP" no-such-command
expect 2 "Try 'sitmap" "$SITMAP"

# csv: the exact header, matched rows with coordinates, unresolved with empty lon/lat
"$SITMAP" geocode Daraa "Deir ez-Zor province" Qwertyville --format csv > g.csv 2> g.err
[ "$(head -1 g.csv)" = "query,id,name,kind,lon,lat,admin1,country,precision,score,status" ] \
  || fail "csv header: $(head -1 g.csv)"
python3 - g.csv <<'PY' || fail "csv content"
import csv, sys
rows = {r["query"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
d = rows["Daraa"]
assert d["id"] == "daraa" and d["status"] == "matched" and d["admin1"] == "SY-DR", d
assert abs(float(d["lon"]) - 36.102) < 0.02 and abs(float(d["lat"]) - 32.619) < 0.02, d
g = rows["Deir ez-Zor province"]
assert g["precision"] == "governorate" and g["admin1"] == "SY-DY", g
q = rows["Qwertyville"]
assert q["status"] == "unresolved" and q["lon"] == "" and q["lat"] == "" and q["id"] == "", q
PY
grep -q "1 unresolved" g.err || fail "unresolved count not reported on stderr"

# batch from a CSV column; json lines; GeoJSON through GDAL
"$SITMAP" geocode --input "$TESTS/data/cli/names.csv" --column place --format json > g.jsonl
[ "$(wc -l < g.jsonl)" = 5 ] || fail "json lines: $(wc -l < g.jsonl)"
python3 - g.jsonl <<'PY' || fail "json content"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert rows[2]["id"] == "nasib-crossing" and rows[2]["precision"] == "point", rows[2]
assert rows[3]["id"] == "rukban-camp", rows[3]
assert rows[4]["status"] == "unresolved" and "lon" not in rows[4], rows[4]
PY
"$SITMAP" geocode --input "$TESTS/data/cli/names.csv" --column place --format geojson -o g.geojson \
  2> /dev/null
ogrinfo -ro -so g.geojson g | grep -q "Feature Count: 5" || fail "geojson feature count"
ogrinfo -ro -q g.geojson g -where "id='rukban-camp'" | grep -q "POINT (38.6[0-9]* 33.3" \
  || fail "geojson Rukban point"
grep -q '"crs"' g.geojson && fail "RFC 7946 GeoJSON has no crs member"
"$SITMAP" geocode Daraa Qwertyville --format geojson > stdout.geojson 2> /dev/null \
  || fail "geojson to stdout exited $?"
ogrinfo -ro -so stdout.geojson stdout | grep -q "Feature Count: 2" || fail "geojson on stdout"

# context: Saida in a Daraa bulletin is the town in Daraa, not Sidon
"$SITMAP" geocode Saida --format csv | grep -q ',ambiguous$' || fail "bare Saida is ambiguous"
"$SITMAP" geocode Saida --admin1 SY-DR --format csv | grep -q '^Saida,saida-daraa,.*,matched$' \
  || fail "Saida with --admin1 SY-DR"
"$SITMAP" geocode Saida --near Daraa --format csv | grep -q '^Saida,saida-daraa,' \
  || fail "Saida --near Daraa"

# bad input: exit 2, message names the file (and line)
expect 2 "no such file\|cannot open" "$SITMAP" geocode --input missing.csv --column place
expect 2 "no column 'name'" "$SITMAP" geocode --input "$TESTS/data/cli/names.csv" --column name
expect 2 "empty_name.csv' on line 3" "$SITMAP" geocode --input "$TESTS/data/cli/empty_name.csv" --column place
expect 2 "bad_utf8.csv' on line 2.*UTF-8" "$SITMAP" geocode --input "$TESTS/data/cli/bad_utf8.csv" --column place
expect 2 "empty name" "$SITMAP" geocode "  "
expect 2 "give place names" "$SITMAP" geocode
expect 2 "SY-DR" "$SITMAP" geocode Daraa --admin1 Daraa
expect 2 "format" "$SITMAP" geocode Daraa --format xml
expect 2 "bad_gazetteer.csv' on line 2" "$SITMAP" geocode Daraa --gazetteer "$TESTS/data/cli/bad_gazetteer.csv"
# no half-written output on failure
"$SITMAP" geocode --input "$TESTS/data/cli/empty_name.csv" --column place --format csv -o never.csv \
  2> /dev/null && fail "expected failure"
[ -e never.csv ] && fail "output written despite the error"
echo "geocode CLI: all checks passed"
