# sitmap tiles: the folder pyramid and the MBTiles file open in QGIS as vector tile layers and
# draw (tests/qgis/open_tiles.py, PyQGIS). QGIS comes from `scripts/install-deps.sh test`, which
# `make test` runs; without it this test fails and says so.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import qgis.core' 2>/dev/null \
  || fail "PyQGIS is not installed (scripts/install-deps.sh test installs qgis and python3-qgis)"

ok "$SITMAP" build -o atlas.gpkg
ok "$SITMAP" tiles atlas.gpkg -o tiles --mbtiles atlas.mbtiles --zoom 0-8
rc=0
QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$WORK" timeout 240 /usr/bin/python3 \
  "$TESTS/qgis/open_tiles.py" tiles atlas.mbtiles qgis > qgis.txt 2> qgis.err || rc=$?
[ "$rc" = 0 ] || fail "QGIS: $(grep -v -i warning qgis.err | tail -5)"
[ "$(grep -c 'valid, zooms 0-8' qgis.txt)" = 2 ] || fail "QGIS did not check both sources: $(cat qgis.txt)"
[ -s qgis-folder.png ] && [ -s qgis-mbtiles.png ] || fail "QGIS rendered no image"
echo "ok: $(cat qgis.txt)"
