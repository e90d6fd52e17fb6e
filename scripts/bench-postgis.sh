#!/usr/bin/env bash
# PostGIS contender of the aggregation benchmark (docs/performance.md).
#
#   scripts/bench-postgis.sh POINTS.csv
#
# POINTS.csv has the header id,lon,lat,value (tests/bench/aggregate_bench writes it). The script
# installs postgresql-15 and postgresql-15-postgis-3 if missing (needs root), starts a throwaway
# server on 127.0.0.1:54329 (stopped and deleted on exit, also on failure), loads the points
# (geometry column, GiST index) and the three region layers (GiST indexes), then times, for each
# layer, the count and sum of the points per region:
#   SELECT r.fid, count(*), sum(p.value) FROM regions r JOIN pts p ON ST_Intersects(r.geom, p.geom)
# Each query runs PG_RUNS (default 2) times serially and as many times with parallel plans
# encouraged on both cores (parallel costs 0); the best time is reported.
# Output lines, one per layer: PGRESULT <layer> <seconds> <count per region, comma-separated>.
set -euo pipefail
csv=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
shared=${SITMAP_SHARED_DIR:-$here/../../shared}
ne=/usr/share/qgis/resources/data/world_map.gpkg
port=54329
runs=${PG_RUNS:-2}

if [[ $(id -u) -ne 0 ]]; then echo "bench-postgis: needs root (runuser, apt-get)" >&2; exit 1; fi
missing=()
for p in postgresql-15 postgresql-15-postgis-3 postgresql-client-15; do
  [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true) == "install ok installed" ]] || missing+=("$p")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "bench-postgis: installing ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2
fi

PGBIN=/usr/lib/postgresql/15/bin
D=$(mktemp -d /tmp/sitmap-pg.XXXXXX)
chmod 755 "$D"
cleanup() {
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$D/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$D"
}
trap cleanup EXIT
install -d -o postgres -g postgres -m 700 "$D/data"
install -d -o postgres -g postgres -m 755 "$D/sock"
runuser -u postgres -- "$PGBIN/initdb" -D "$D/data" -U postgres -A trust -E UTF8 --no-locale >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$D/data" -l "$D/data/server.log" -w -t 60 \
  -o "-p $port -k $D/sock -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=2GB -c work_mem=256MB -c max_parallel_workers_per_gather=2 -c max_wal_size=8GB" start >/dev/null

psql_() { psql -X -q -h 127.0.0.1 -p $port -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }
PG="PG:host=127.0.0.1 port=$port user=postgres dbname=postgres"
psql_ -c 'CREATE EXTENSION postgis' >/dev/null

t0=$(date +%s.%N)
psql_ <<SQL
CREATE UNLOGGED TABLE pts (id bigint, lon float8, lat float8, value float8,
  geom geometry(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED);
\copy pts (id, lon, lat, value) FROM '$csv' WITH (FORMAT csv, HEADER true)
SQL
t1=$(date +%s.%N)
psql_ -c 'CREATE INDEX pts_geom ON pts USING gist (geom)' -c 'VACUUM ANALYZE pts'
t2=$(date +%s.%N)
echo "bench-postgis: loaded $(psql_ -A -t -c 'SELECT count(*) FROM pts') points in $(echo "$t1 - $t0" | bc) s, GiST index in $(echo "$t2 - $t1" | bc) s" >&2

# Region layers, in the order sitmap reads them (fid 1..n = region index + 1), repaired like sitmap.
load_layer() { # name source [ogr2ogr args...]
  local name=$1 src=$2; shift 2
  ogr2ogr -f PostgreSQL "$PG" "$src" "$@" -nln "$name" -nlt MULTIPOLYGON -t_srs EPSG:4326 -makevalid \
    -lco GEOMETRY_NAME=geom -lco FID=fid -lco SPATIAL_INDEX=GIST
  psql_ -c "ANALYZE $name"
}
load_layer reg_ne "$ne" states_provinces -where "iso_a2 = 'SY' AND fips IS NOT NULL"
load_layer reg_adm1 "$shared/boundaries/SYR_ADM1.geojson"
load_layer reg_adm2 "$shared/boundaries/SYR_ADM2.geojson"

serial="SET max_parallel_workers_per_gather = 0;"
settings="SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; SET min_parallel_index_scan_size = 0;"
query() { echo "SELECT r.fid, count(*), sum(p.value) FROM reg_$1 r JOIN pts p ON ST_Intersects(r.geom, p.geom) GROUP BY r.fid ORDER BY r.fid;"; }
if [[ -n "${PG_EXPLAIN:-}" ]]; then
  psql_ -c "$settings EXPLAIN $(query adm2)" >&2
fi
for layer in ne adm1 adm2; do
  best=""
  for ((i = 0; i < 2 * runs; i++)); do
    if ((i % 2)); then set_=$settings; else set_=$serial; fi
    out=$(psql_ -A -t -F, <<SQL
$set_
\timing on
$(query $layer)
SQL
)
    ms=$(printf '%s\n' "$out" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1)
    if [[ -z "$best" ]] || (( $(echo "$ms < $best" | bc) )); then best=$ms; rows=$out; fi
  done
  n=$(psql_ -A -t -c "SELECT count(*) FROM reg_$layer")
  counts=$(printf '%s\n' "$rows" | grep -v '^Time:' | awk -F, -v n="$n" '
    NF >= 3 { c[$1] = $2 } END { s = ""; for (i = 1; i <= n; i++) s = s (i > 1 ? "," : "") (c[i] ? c[i] : 0); print s }')
  echo "PGRESULT $layer $(echo "scale=6; $best / 1000" | bc) $counts"
done
