#!/usr/bin/python3
"""Checks the atlas QGIS project with PyQGIS and renders it to PNG.

Usage (Debian's /usr/bin/python3, which has the `qgis` module; scripts/qgis-screenshot.sh runs it):
    QT_QPA_PLATFORM=offscreen /usr/bin/python3 scripts/render-qgis.py OUT/atlas.qgs [--map MAP.png]

Checks that the project opens, that every layer is valid and carries its intended style
(renderer type, labels, data-defined sizes and widths), that the GeoPackage layers opened on
their own pick up their default style from the `layer_styles` table and the Shapefiles theirs
from the .qml beside them. Prints one line per layer and exits 1 on any failure. With --map,
renders the visible layers of the project (Syria with some margin, 1600x1200) to MAP.png.
"""
import argparse
import os
import sys

from qgis.core import (QgsApplication, QgsMapRendererSequentialJob, QgsMapSettings,
                       QgsProject, QgsRectangle, QgsVectorLayer)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

# Top of the layer panel first (drawn on top), then the tables.
ORDER = ["camps", "crossings", "places", "other_figures", "facilities", "camp_population",
         "intended_returns", "returns", "flows", "zones", "regions", "countries",
         "unresolved", "audit"]
# layer: (renderer type, labels on, marker shape or fill style, data-defined property)
EXPECT = {
    "countries": ("singleSymbol", True, "solid", None),
    "regions": ("graduatedSymbol", True, None, None),
    "zones": ("singleSymbol", True, "no", None),            # outline only: no fill
    "flows": ("singleSymbol", False, None, "line width"),
    "returns": ("singleSymbol", False, "circle", "size"),
    "intended_returns": ("singleSymbol", False, "circle", "size"),
    "camp_population": ("singleSymbol", False, "square", "size"),
    "facilities": ("singleSymbol", False, "diamond", None),
    "other_figures": ("singleSymbol", False, "circle", None),
    "places": ("singleSymbol", True, "circle", None),
    "crossings": ("singleSymbol", True, "triangle", None),
    "camps": ("singleSymbol", True, "square", None),
}
EXTENT = QgsRectangle(34.0, 31.0, 43.5, 38.0)  # Syria and its neighbours' edges, lon/lat

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def describe(layer):
    """A one-line description of a layer's style, checked against EXPECT."""
    name = layer.name()
    if not layer.isSpatial():
        return "table"
    r = layer.renderer()
    want = EXPECT.get(name)
    if r is None:
        fail(f"{name}: no renderer")
        return "no renderer"
    parts = [r.type()]
    if r.type() == "graduatedSymbol":
        ranges = r.ranges()  # keep the copies alive while their symbols are used
        parts.append(f"on {r.classAttribute()!r}, {len(ranges)} classes")
        sym = ranges[-1].symbol()
        if r.classAttribute() not in layer.fields().names():
            fail(f"{name}: class attribute {r.classAttribute()!r} is not a field")
    else:
        sym = r.symbol() if hasattr(r, "symbol") else None
    sl = sym.symbolLayer(0) if sym else None
    shape = None
    dd = None
    if sl is not None:
        props = sl.properties()
        shape = props.get("name") or props.get("style")
        parts.append(f"{sl.layerType()} {shape or ''}".strip())
        ddp = sl.dataDefinedProperties()
        for key in ddp.propertyKeys():
            prop = ddp.property(key)
            if prop.isActive():
                dd = {5: "line width", 0: "size"}.get(key, f"property {key}")
                parts.append(f"{dd} = {prop.expressionString()}")
                expr_fields = [f for f in layer.fields().names() if f'"{f}"' in prop.expressionString()]
                if not expr_fields:
                    fail(f"{name}: data-defined {dd} names no field of the layer")
    labels = layer.labelsEnabled() and layer.labeling() is not None
    if labels:
        parts.append(f"labels on {layer.labeling().settings().fieldName!r}")
    if want:
        if r.type() != want[0]:
            fail(f"{name}: renderer {r.type()}, expected {want[0]}")
        if labels != want[1]:
            fail(f"{name}: labels {'on' if labels else 'off'}, expected the opposite")
        if want[2] and shape != want[2]:
            fail(f"{name}: symbol {shape}, expected {want[2]}")
        if want[3] and dd != want[3]:
            fail(f"{name}: no data-defined {want[3]}")
    return "; ".join(parts)


def check_project(path):
    project = QgsProject.instance()
    if not project.read(path):
        fail(f"cannot read {path}: {project.error()}")
        return project
    nodes = project.layerTreeRoot().findLayers()
    names = [n.name() for n in nodes]
    print(f"{path}: {len(nodes)} layers, panel order {', '.join(names)}")
    if names != ORDER:
        fail(f"layer order {names}, expected {ORDER}")
    for node in nodes:
        layer = node.layer()
        if layer is None or not layer.isValid():
            fail(f"{node.name()}: layer not valid")
            continue
        vis = "shown" if node.isVisible() else "hidden"
        print(f"  {layer.name():17} {layer.featureCount():3} features, {vis}: {describe(layer)}")
    return project


def check_standalone(folder):
    """GeoPackage layers (default style from layer_styles) and Shapefiles (.qml beside them)."""
    gpkg = os.path.join(folder, "atlas.gpkg")
    for name, want in EXPECT.items():
        layer = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
        n, _ids, style_names, _desc, err = layer.listStylesInDatabase()
        if not layer.isValid():
            fail(f"gpkg {name}: not valid")
            continue
        # The first n styles are the layer's own, the rest those of other tables.
        if n != 1 or style_names[0] != f"sitmap {name}":
            fail(f"gpkg {name}: {n} styles of its own in layer_styles {style_names[:n]} {err}")
        print(f"  gpkg {name:17} {style_names[0]!r} from layer_styles: {describe(layer)}")
        shp = os.path.join(folder, "shapefile", name + ".shp")
        if os.path.exists(shp):
            layer = QgsVectorLayer(shp, name, "ogr")
            print(f"  shp  {name:17} {describe(layer)}")
        else:
            fail(f"{shp} missing")


def render(project, out):
    root = project.layerTreeRoot()
    layers = [n.layer() for n in root.findLayers() if n.isVisible() and n.layer().isSpatial()]
    settings = QgsMapSettings()
    settings.setLayers(layers)  # first on top, as in the layer panel
    settings.setDestinationCrs(project.crs())
    settings.setOutputSize(QSize(1600, 1200))
    settings.setExtent(EXTENT)
    settings.setBackgroundColor(QColor(235, 242, 250))
    settings.setFlag(QgsMapSettings.Antialiasing, True)
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    for e in job.errors():
        fail(f"render: {e.layerID}: {e.message}")
    labels = job.takeLabelingResults()
    placed = {}
    for lab in labels.allLabels() if labels else []:
        placed[lab.layerID] = placed.get(lab.layerID, 0) + 1
    print(f"rendered {out}: labels placed per layer {placed}")
    for name in ("camps", "crossings", "zones"):
        lid = project.mapLayersByName(name)[0].id()
        count = project.mapLayersByName(name)[0].featureCount()
        if placed.get(lid, 0) < count:
            fail(f"render: {placed.get(lid, 0)} of {count} {name} labels placed")
    if not job.renderedImage().save(out, "png"):
        fail(f"cannot write {out}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("project", help="the atlas.qgs written by `sitmap run`")
    ap.add_argument("--map", help="render the project to this PNG")
    args = ap.parse_args()
    app = QgsApplication([], False)
    app.initQgis()
    project = check_project(os.path.abspath(args.project))
    check_standalone(os.path.dirname(os.path.abspath(args.project)))
    if args.map and not failures:
        render(project, args.map)
    print(f"{len(failures)} failures" if failures else "all QGIS checks passed")
    project.clear()
    app.exitQgis()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
