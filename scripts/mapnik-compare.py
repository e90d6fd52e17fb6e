#!/usr/bin/python3
"""Draw sitmap's default map view with Mapnik, for comparison with `sitmap render`.

Usage: scripts/mapnik-compare.py [--labels-over-flows] ATLAS.gpkg OUT.png [OUT.svg]

Needs Debian's python3-mapnik (`scripts/install-deps.sh mapnik`); run it with /usr/bin/python3.
The atlas comes from `sitmap build -o ATLAS.gpkg`. The style is Mapnik XML, read from the
GeoPackage through Mapnik's OGR input plugin, with the same view as `sitmap render`'s default
(lon 35.25-42.55, lat 32.05-37.55, 1600x1200 at 150 dpi, the same Lambert conformal conic),
the same colours and the same daily returns figures (Rif Dimashq, idp, 2018-11-05). Sizes in
the style are in points; the render scale factor 150/72 turns them into pixels.

Prints the render time of mapnik.render_to_file (best of 5) and the number of labels Mapnik
placed (from its label collision detector). With OUT.svg it also writes Mapnik's SVG and says
whether it holds <text> elements. Labels must not touch the flow lines (Mapnik's obstacles
are hard: a label that touches one is left out); --labels-over-flows lets them cross.
"""
import os
import sys
import tempfile
import time

try:
    import mapnik
except ImportError:
    sys.exit("mapnik-compare.py: python3-mapnik is missing (scripts/install-deps.sh mapnik), "
             "run with /usr/bin/python3")

LCC = "+proj=lcc +lat_1=33 +lat_2=37 +lat_0=35 +lon_0=38.5 +datum=WGS84 +units=m +no_defs"
WGS84 = "+proj=longlat +datum=WGS84 +no_defs"
VIEW = (35.25, 32.05, 42.55, 37.55)
WIDTH, HEIGHT, SCALE = 1600, 1200, 150 / 72
FONT, BOLD, ITALIC = "DejaVu Sans Book", "DejaVu Sans Bold", "DejaVu Sans Oblique"

# Markers Mapnik has no shape for (it has ellipse and arrow): small SVG files.
SHAPES = {
    "triangle": '<path d="M5 0 L10 9 L0 9 Z" fill="#e6862e" %s/>',
    "diamond": '<path d="M5 0 L10 5 L5 10 L0 5 Z" fill="#7b52ae" %s/>',
    "square": '<rect x="0.5" y="0.5" width="9" height="9" fill="#c62828" %s/>',
    # One diagonal: Mapnik tiles the pattern by the bounding box of its paths.
    "hatch": '<path d="M0 12 L12 0" stroke="#c8c8c8" stroke-width="0.8"/>',
}


def svg(tmp, name):
    path, size = os.path.join(tmp, name + ".svg"), 12 if name == "hatch" else 10
    with open(path, "w") as f:
        f.write('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d">%s</svg>'
                % (size, size, SHAPES[name].replace("%s", 'stroke="#3c3c3c" stroke-width="0.8"')))
    return path


def label(size, fill, face=FONT):
    """A point label tried right, left, then at the diagonals, above and below its symbol."""
    return ('<TextSymbolizer face-name="%s" size="%g" fill="%s" halo-fill="rgba(255,255,255,0.85)"'
            ' halo-radius="1.2" margin="1" avoid-edges="true" placement-type="simple"'
            ' placements="E,W,NE,SE,NW,SW,N,S" dx="6" dy="6">[name]</TextSymbolizer>'
            % (face, size, fill))


def style_xml(atlas, tmp, flow_max, avoid_flows=False):
    def ds(layer=None, sql=None):
        p = '<Parameter name="type">ogr</Parameter><Parameter name="file">%s</Parameter>' % atlas
        if sql:
            return p + '<Parameter name="layer_by_sql">%s</Parameter>' % sql
        return p + '<Parameter name="layer">%s</Parameter>' % layer

    def layer(name, styles, **source):
        s = "".join("<StyleName>%s</StyleName>" % x for x in styles)
        return ('<Layer name="%s" srs="%s">%s<Datasource>%s</Datasource></Layer>'
                % (name, WGS84, s, ds(**source)))

    flow = "[category]='returns' and [period]='day'"
    width = "max(1.2, 8 * pow([value] / %g, 0.5))" % flow_max
    # Invisible markers along the flows put them in the collision detector.
    avoid = ('<MarkersSymbolizer file="shape://ellipse" placement="line" spacing="6" width="%s"'
             ' height="%s" opacity="0" allow-overlap="true"/>' % (width, width)
             if avoid_flows else "")
    dot = ('<MarkersSymbolizer file="shape://ellipse" width="4" height="4" fill="#282828"'
           ' stroke="#ffffff" stroke-width="0.6" allow-overlap="true"/>')
    border = '<LineSymbolizer stroke="rgb(120,120,120)" stroke-width="0.5"/>'
    halo = 'halo-fill="rgba(255,255,255,0.85)" halo-radius="1.2"'
    styles = {
        "countries": '<Rule><PolygonSymbolizer fill="#e0e0da"/>'
                     '<LineSymbolizer stroke="#aaaaaa" stroke-width="0.5"/></Rule>',
        # The choropleth: Rif Dimashq (SY-RD, 258) in its class colour, the others hatched.
        "regions": '<Rule><Filter>[region_id]=\'SY-RD\'</Filter>'
                   '<PolygonSymbolizer fill="rgb(65,182,196)"/>%s</Rule>'
                   '<Rule><ElseFilter/><PolygonSymbolizer fill="#ffffff"/>'
                   '<PolygonPatternSymbolizer file="%s"/>%s</Rule>'
                   % (border, svg(tmp, "hatch"), border),
        "outline": '<Rule><LineSymbolizer stroke="rgb(60,60,60)" stroke-width="1.2"/></Rule>',
        "zone": '<Rule><LineSymbolizer stroke="rgb(200,30,30)" stroke-width="1.2"'
                ' stroke-dasharray="5,3"/></Rule>',
        # Flows: straight lines (the atlas stores straight legs; Mapnik has no curved arrow) with a
        # white casing, width ~ sqrt(value), and an arrowhead marker at the last vertex
        # (kept out of the collision detector: its box would bar the labels at the flow ends).
        "flows": '<Rule><Filter>%s</Filter>'
                 '<LineSymbolizer stroke="#ffffff" stroke-opacity="0.85" stroke-width="%s + 1.5"/>'
                 '<LineSymbolizer stroke="#e6862e" stroke-width="%s" stroke-linecap="butt"/>'
                 '<MarkersSymbolizer file="shape://arrow" placement="vertex-last" fill="#e6862e"'
                 ' stroke-width="0" width="%s * 2.5 + 4" height="%s * 2.5 + 4" allow-overlap="true"'
                 ' ignore-placement="true"/>%s</Rule>' % (flow, width, width, width, width, avoid),
        "crossing-marks": "<Rule><Filter>[kind]='checkpoint'</Filter>"
                          '<MarkersSymbolizer file="%s" width="9" allow-overlap="true"/></Rule>'
                          '<Rule><ElseFilter/>'
                          '<MarkersSymbolizer file="%s" width="9" allow-overlap="true"/></Rule>'
                          % (svg(tmp, "diamond"), svg(tmp, "triangle")),
        "camp-marks": '<Rule><MarkersSymbolizer file="%s" width="7.5" allow-overlap="true"/></Rule>'
                      % svg(tmp, "square"),
        "place-marks": "<Rule><Filter>[kind]='city' or [kind]='town' or [kind]='military_base'"
                       " or [kind]='facility'</Filter>%s</Rule>" % dot,
        # Labels, in priority order: Mapnik places them in the order the layers are drawn.
        "crossing-labels": "<Rule><Filter>[kind]='checkpoint'</Filter>%s</Rule>"
                           "<Rule><ElseFilter/>%s</Rule>"
                           % (label(8, "rgb(90,50,140)"), label(8, "rgb(150,70,0)")),
        "camp-labels": "<Rule>%s</Rule>" % label(8, "rgb(160,20,20)"),
        "zone-labels": '<Rule><TextSymbolizer face-name="%s" size="7.5" fill="rgb(200,30,30)"'
                       ' placement="line" dy="-6" %s>[name]</TextSymbolizer></Rule>'
                       % (ITALIC, halo),
        "place-labels": "<Rule><Filter>[name]='Damascus'</Filter>%s</Rule>"
                        "<Rule><Filter>[kind]='city' or [kind]='military_base'"
                        " or [kind]='facility'</Filter>%s</Rule>"
                        "<Rule><Filter>[kind]='town'</Filter>%s</Rule>"
                        % (label(9, "rgb(30,30,30)", BOLD), label(8, "rgb(30,30,30)"),
                           label(7.5, "rgb(30,30,30)")),
        "country-labels": '<Rule><TextSymbolizer face-name="%s" size="9" fill="rgb(125,125,125)"'
                          ' text-transform="uppercase" character-spacing="3" placement="interior"'
                          ' halo-fill="rgba(255,255,255,0.6)" halo-radius="1">[name]'
                          '</TextSymbolizer></Rule>' % FONT,
        "region-labels": '<Rule><TextSymbolizer face-name="%s" size="7.5" fill="rgb(70,70,70)"'
                         ' placement="interior" %s>[name]</TextSymbolizer></Rule>' % (ITALIC, halo),
        "area-labels": "<Rule><Filter>[kind]='area' and not ([name]='al-Tanf 55 km zone')</Filter>"
                       '<TextSymbolizer face-name="%s" size="7.5" fill="rgb(70,70,70)" %s>[name]'
                       '</TextSymbolizer></Rule>' % (ITALIC, halo),
    }
    layers = [
        layer("countries", ["countries"], layer="countries"),
        layer("regions", ["regions"], layer="regions"),
        layer("outline", ["outline"], sql="SELECT ST_Union(geom) AS geom FROM regions"),
        layer("zones", ["zone"], layer="zones"),
        layer("flows", ["flows"], layer="flows"),
        layer("crossing-marks", ["crossing-marks"], layer="crossings"),
        layer("camp-marks", ["camp-marks"], layer="camps"),
        layer("place-marks", ["place-marks"], layer="places"),
        layer("crossing-labels", ["crossing-labels"], layer="crossings"),
        layer("camp-labels", ["camp-labels"], layer="camps"),
        layer("zone-labels", ["zone-labels"], layer="zones"),
        layer("place-labels", ["place-labels"], layer="places"),
        # Interior placement uses the whole polygon: clip the countries to the view first.
        layer("country-labels", ["country-labels"], sql="SELECT name, ST_Intersection(geom, "
              "BuildMbr(%g, %g, %g, %g, 4326)) AS geom FROM countries" % VIEW),
        layer("region-labels", ["region-labels"], layer="regions"),
        layer("area-labels", ["area-labels"], layer="places"),
    ]
    body = "".join('<Style name="%s" filter-mode="first">%s</Style>' % kv
                   for kv in styles.items()) + "".join(layers)
    return '<Map srs="%s" background-color="rgb(247,247,244)">%s</Map>' % (LCC, body)


def labels_placed(m):
    """Labels Mapnik placed: the boxes each label layer adds to its collision detector (the
    markers put theirs in it too). A point or interior label adds one box, a label along a line
    one box per glyph: the zone's name counts as one label."""
    def boxes(upto):
        for i, lay in enumerate(m.layers):
            lay.active = i <= upto or not lay.name.endswith("-labels")
        det = mapnik.LabelCollisionDetector(m)
        mapnik.render_with_detector(m, mapnik.Image(WIDTH, HEIGHT), det, SCALE)
        return len(det.boxes())
    first = min(i for i, lay in enumerate(m.layers) if lay.name.endswith("-labels"))
    placed, before = 0, boxes(first - 1)
    for i in range(first, len(m.layers)):
        now = boxes(i)
        placed += min(now - before, 1) if m.layers[i].name == "zone-labels" else now - before
        before = now
    for lay in m.layers:
        lay.active = True
    return placed


def main():
    args = [a for a in sys.argv[1:] if a != "--labels-over-flows"]
    if len(args) not in (2, 3):
        sys.exit(__doc__.split("\n\n")[1])
    atlas, out = os.path.abspath(args[0]), args[1]
    if not os.path.exists(atlas):
        sys.exit("mapnik-compare.py: no atlas " + atlas)
    if "DejaVu Sans Book" not in list(mapnik.FontEngine.face_names()):
        sys.exit("mapnik-compare.py: DejaVu Sans is missing (fonts-dejavu-core)")
    flows = mapnik.Datasource(type="ogr", file=atlas, layer="flows")
    flow_max = max(f["value"] for f in flows.all_features()
                   if f["category"] == "returns" and f["period"] == "day")
    view = mapnik.ProjTransform(mapnik.Projection(WGS84), mapnik.Projection(LCC)).forward(
        mapnik.Box2d(*VIEW))
    with tempfile.TemporaryDirectory() as tmp:
        xml = style_xml(atlas, tmp, flow_max, "--labels-over-flows" not in sys.argv)
        maps = []
        for x in (xml, xml.replace("<TextSymbolizer ", '<TextSymbolizer allow-overlap="true" ')):
            maps.append(mapnik.Map(WIDTH, HEIGHT))
            mapnik.load_map_from_string(maps[-1], x)
            maps[-1].zoom_to_box(view)
        m = maps[0]
        times = []
        for _ in range(5):
            t = time.perf_counter()
            mapnik.render_to_file(m, out, "png", SCALE)
            times.append(time.perf_counter() - t)
        # The candidates: the labels placed when they may overlap (maps[1]).
        print("mapnik %s: wrote %s in %.3f s (render_to_file, best of 5; median %.3f s); "
              "%d labels placed of %d" % (mapnik.mapnik_version(), out, min(times),
                                          sorted(times)[2], labels_placed(m),
                                          labels_placed(maps[1])))
        if len(args) == 3:
            mapnik.render_to_file(m, args[2], "svg", SCALE)
            with open(args[2]) as f:
                text = f.read()
            print("wrote %s: %d <text> elements, %d glyph outlines"
                  % (args[2], text.count("<text"), text.count('id="glyph')))


if __name__ == "__main__":
    main()
