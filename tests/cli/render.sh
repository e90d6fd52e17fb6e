#!/usr/bin/env bash
# End-to-end: sitmap render on the embedded data: PNG size and pixel statistics (through GDAL),
# the SVG's legend texts and well-formedness (bad text in the title too), the PDF header, same
# bytes twice, small pages and views, bad usage and bad atlases.
# Usage: bash render.sh SITMAP_BINARY TESTS_SOURCE_DIR WORK_DIR
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

"$SITMAP" render --help > /dev/null || fail "render --help"
ok "$SITMAP" build -o atlas.gpkg

# PNG: the asked size, colours and contrast (not blank)
ok "$SITMAP" render atlas.gpkg -o map.png
grep -q "labels placed" out.txt || fail "no summary: $(cat out.txt)"
has "Size is 1600, 1200" gdalinfo map.png || fail "map.png is not 1600x1200"
gdalinfo -stats map.png > stats.txt
for band in 1 2 3; do
  std=$(grep -A8 "Band $band " stats.txt | sed -n 's/.*STATISTICS_STDDEV=//p')
  min=$(grep -A8 "Band $band " stats.txt | sed -n 's/.*STATISTICS_MINIMUM=//p')
  mean=$(grep -A8 "Band $band " stats.txt | sed -n 's/.*STATISTICS_MEAN=//p')
  python3 -c "import sys; sys.exit(0 if float('$std') > 20 and float('$min') < 60 and float('$mean') < 250 else 1)" \
    || fail "band $band looks blank: stddev $std, min $min, mean $mean"
done
gdal_translate -q -of ENVI map.png map.raw || fail "gdal_translate map.png"
python3 - map.raw <<'PY' || fail "map.png has too few colours"
import sys
data = open(sys.argv[1], "rb").read()
n = 1600 * 1200
r, g, b = data[:n], data[n:2 * n], data[2 * n:3 * n]
colours = {(r[i], g[i], b[i]) for i in range(0, n, 7)}
sys.exit(0 if len(colours) > 50 else 1)
PY

# same input, same bytes
ok "$SITMAP" render atlas.gpkg -o again.png
cmp -s map.png again.png || fail "two renders differ"

# SVG: well-formed, legend entries as text
ok "$SITMAP" render atlas.gpkg -o map.svg
python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' map.svg \
  || fail "map.svg is not well-formed XML"
for t in ">Border crossing<" ">Checkpoint<" ">Camp<" ">al-Tanf 55 km zone<" ">No figure reported<" \
         ">258<" "Returns: idp" "Nasib border crossing" "Rukban camp" "Natural Earth" \
         "1 leg is too short to draw at this scale: al-Salhiyah"; do
  grep -q -- "$t" map.svg || fail "map.svg lacks '$t'"
done
grep -q "<text" map.svg || fail "no text elements"
ok "$SITMAP" render atlas.gpkg -o again.svg
cmp -s map.svg again.svg || fail "two SVG renders differ"

# PDF, with fixed metadata dates
ok "$SITMAP" render atlas.gpkg -o map.pdf --width 800 --height 600 --dpi 72
[ "$(head -c 5 map.pdf)" = "%PDF-" ] || fail "map.pdf is not a PDF"
ok "$SITMAP" render atlas.gpkg -o again.pdf --width 800 --height 600 --dpi 72
cmp -s map.pdf again.pdf || fail "two PDF renders differ"

# a zoom and other options
ok "$SITMAP" render atlas.gpkg -o zoom.png --bbox 35.6,32.2,37.6,34.0 --width 800 --height 600 \
  --dpi 96 --title "Daraa and Rif Dimashq"
has "Size is 800, 600" gdalinfo zoom.png || fail "zoom.png size"
ok "$SITMAP" render atlas.gpkg -o facilities.svg --category facilities
grep -q "Facilities" facilities.svg || fail "facilities legend"

# text with XML metacharacters, Arabic, a control character and a Latin-1 byte: a well-formed
# SVG (U+FFFD in place of the bad bytes), nothing on stderr
ok "$SITMAP" render atlas.gpkg -o text.svg --title "$(printf 'A &<>" \xd8\xb9\xd9\x88\xd8\xaf\xd8\xa9 \x01 caf\xe9')"
python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' text.svg \
  || fail "text.svg is not well-formed XML"
grep -q "A &amp;&lt;&gt;&quot; عودة � caf�" text.svg || fail "text.svg lacks the repaired title"
grep -q "paint-order" text.svg && fail "text.svg uses SVG 2 paint-order"

# a small page: the legend in its short wording, or a usage error; a view without flows
ok "$SITMAP" render atlas.gpkg -o small.png --width 800 --height 400 --dpi 72
expect 2 "too small for the legend" "$SITMAP" render atlas.gpkg -o tiny.png --width 400 --height 300 --dpi 72
ok "$SITMAP" render atlas.gpkg -o away.svg --bbox 0,0,1,1
grep -q "0 flow legs drawn, 6 outside the view" out.txt || fail "legs outside the view: $(cat out.txt)"
grep -q ">Flows<" away.svg && fail "away.svg has a flow legend without flows"
ok "$SITMAP" render atlas.gpkg -o metres.svg --bbox 36.28,33.50,36.30,33.52
grep -q " m</text>" metres.svg || fail "metres.svg: no scale bar in metres"

# bad usage: exit 2, no file written
expect 2 "png, .svg or .pdf" "$SITMAP" render atlas.gpkg -o map.jpg
expect 2 "bbox" "$SITMAP" render atlas.gpkg -o bad.png --bbox 1,2,3
expect 2 "category" "$SITMAP" render atlas.gpkg -o bad.png --category retruns
expect 2 "width" "$SITMAP" render atlas.gpkg -o bad.png --width 10
expect 2 "missing.gpkg" "$SITMAP" render missing.gpkg -o bad.png
expect 2 "bbox" "$SITMAP" render atlas.gpkg -o bad.png --bbox nan,33,37,34
expect 2 "bbox" "$SITMAP" render atlas.gpkg -o bad.png --bbox -180,-90,180,90
expect 2 "later than --to" "$SITMAP" render atlas.gpkg -o bad.png --from 2019-01-01 --to 2018-01-01
expect 2 "^sitmap render: -o 'nofolder/bad.png'" "$SITMAP" render atlas.gpkg -o nofolder/bad.png
mkdir folder.png
expect 2 "^sitmap render: -o 'folder.png' is a folder" "$SITMAP" render atlas.gpkg -o folder.png
ogr2ogr -f GPKG notatlas.gpkg atlas.gpkg crossings
expect 2 "In file 'notatlas.gpkg'.*regions" "$SITMAP" render notatlas.gpkg -o bad.png
ogr2ogr -f GPKG regionsonly.gpkg atlas.gpkg regions
expect 2 "In file 'regionsonly.gpkg'.*no layer of records" "$SITMAP" render regionsonly.gpkg -o bad.png
cp atlas.gpkg novalue.gpkg
ogrinfo -q novalue.gpkg -sql "ALTER TABLE flows DROP COLUMN value" > /dev/null
expect 2 "In file 'novalue.gpkg': layer 'flows' has no field 'value'" "$SITMAP" render novalue.gpkg -o bad.png
[ -e bad.png ] && fail "bad.png written"
[ -e map.jpg ] && fail "map.jpg written"
[ -e nofolder ] && fail "nofolder created"
ls -a | grep -q '\.part' && fail "a temporary file is left"
echo "render: ok"
