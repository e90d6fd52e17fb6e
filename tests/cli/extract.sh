#!/usr/bin/env bash
# End-to-end: sitmap extract (bulletin -> records.csv), sitmap build on its output, bad input,
# and sitmap run --bulletins (the whole chain).
# Usage: bash extract.sh SITMAP_BINARY TESTS_SOURCE_DIR WORK_DIR
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
B="$TESTS/data/bulletins"

# One sample bulletin to CSV: the header, and a few values of the first figure.
"$SITMAP" extract "$B/s1_daily.txt" -o out.csv > x.out 2> x.err || fail "extract: $(cat x.err)"
[ -s x.err ] && fail "extract wrote to stderr: $(cat x.err)"
grep -q "wrote out.csv" x.out || fail "extract summary: $(cat x.out)"
[ "$(head -1 out.csv)" = "record_id,doc_id,as_of,source,claimant,category,subcategory,value,qualifier,value_low,value_high,unit,period,period_start,period_end,place,via,origin,destination,status,locator,note,sentence_start,sentence_end,place_id,precision,relation,also_reported_in" ] \
  || fail "csv header: $(head -1 out.csv)"
python3 - out.csv <<'PY' || fail "csv content"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
assert len(rows) >= 3, len(rows)
r = rows[0]
assert r["doc_id"] == "s1_daily" and r["as_of"] == "2024-03-14", r
assert r["category"] == "returns" and float(r["value"]) == 1240 and r["period"] == "day", r
assert r["origin"] == "Lebanon" and "Jdeidet Yabous" in r["via"], r
assert r["locator"].startswith("s1_daily:") and r["claimant"], r
for r in rows:
    assert r["claimant"], r  # every record says who claims it
PY

# The records build an atlas, and the atlas has them.
"$SITMAP" build --records out.csv -o atlas.gpkg > b.out 2> b.err || fail "build: $(cat b.err)"
ogrinfo -ro -al -q atlas.gpkg returns > returns.txt 2>/dev/null || fail "ogrinfo returns"
grep -q "s1_daily-0001" returns.txt || fail "atlas returns layer lacks s1_daily-0001"

# Bad input: exit 2, the file named, no output left behind.
expect 2 "missing.txt" "$SITMAP" extract missing.txt -o bad.csv
[ -e bad.csv ] && fail "missing file: output written"
printf 'Returns today\n1,200 people \xff\xfe returned\n' > latin1.txt
expect 2 "latin1.txt" "$SITMAP" extract latin1.txt -o bad.csv
grep -q "line 2" err.txt || fail "invalid UTF-8: no line number: $(cat err.txt)"
[ -e bad.csv ] && fail "invalid UTF-8: output written"
printf '\x00\x01\x02ELF\x00\x00binary' > blob.txt
expect 2 "blob.txt" "$SITMAP" extract blob.txt -o bad.csv
[ -e bad.csv ] && fail "binary file: output written"
: > empty.txt
rc=0; "$SITMAP" extract empty.txt -o empty.csv > out.txt 2> err.txt || rc=$?
# An empty bulletin is not an error of the input's encoding: no records, a message naming it.
[ "$rc" = 0 ] || [ "$rc" = 2 ] || fail "empty file exited $rc"
grep -q "empty.txt" err.txt || fail "empty file not named: $(cat err.txt)"
# A bad file among good ones: nothing written at all.
expect 2 "blob.txt" "$SITMAP" extract "$B/s1_daily.txt" blob.txt -o bad.csv
[ -e bad.csv ] || [ -e bad.csv.tmp ] && fail "half-written output"
expect 2 "Try 'sitmap" "$SITMAP" extract "$B/s1_daily.txt" -o out2.csv --date 2024-13-45
expect 2 "Try 'sitmap" "$SITMAP" extract

# The whole chain: run --bulletins DIR.
mkdir -p bulletins
cp "$B"/*.txt bulletins/
"$SITMAP" run --bulletins bulletins --out run > r.out 2> r.err || fail "run --bulletins: $(cat r.err)"
[ -s run/records.csv ] || fail "run: no records.csv"
[ -f run/atlas.gpkg ] && [ -d run/geojson ] && [ -d run/csv ] || fail "run: outputs missing"
n_csv=$(($(wc -l < run/records.csv) - 1))
grep -q "extracted $n_csv records from" r.out || fail "run summary: $(head -3 r.out)"
ogrinfo -ro -al -q run/atlas.gpkg facilities > run_fac.txt 2>/dev/null || fail "ogrinfo facilities"
grep -q "s2_table-" run_fac.txt || fail "run: atlas facilities lack the records of s2_table"
expect 2 "nowhere" "$SITMAP" run --bulletins nowhere --out run2
mkdir -p none
expect 2 "none" "$SITMAP" run --bulletins none --out run2
echo "extract: ok"
