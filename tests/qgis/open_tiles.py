"""Opens a sitmap tile folder and an MBTiles file as QGIS vector tile layers and renders them.

Usage: python3 open_tiles.py TILE_DIR FILE.mbtiles OUT_PREFIX
Checks for each source: the layer is valid, its zoom range is 0-8, and a render of Syria
(EPSG:3857, 800x600) has drawn pixels (more than a fifth of the image is not background).
Exits 1 with a message naming the source on the first failure. Needs PyQGIS (Debian's python3-qgis);
run with QT_QPA_PLATFORM=offscreen.
"""
import os
import sys

from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem, QgsCoordinateTransform,
                       QgsMapRendererParallelJob, QgsMapSettings, QgsProject, QgsRectangle,
                       QgsVectorTileLayer)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor


def check(uri, out_png):
    layer = QgsVectorTileLayer(uri, "sitmap tiles")
    if not layer.isValid():
        return f"QGIS cannot open {uri}"
    if (layer.sourceMinZoom(), layer.sourceMaxZoom()) != (0, 8):
        return f"{uri}: zooms {layer.sourceMinZoom()}-{layer.sourceMaxZoom()}, not 0-8"
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setOutputSize(QSize(800, 600))
    settings.setBackgroundColor(QColor(255, 255, 255))
    mercator = QgsCoordinateReferenceSystem("EPSG:3857")
    settings.setDestinationCrs(mercator)
    to_mercator = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"), mercator,
                                         QgsProject.instance())
    settings.setExtent(to_mercator.transformBoundingBox(QgsRectangle(35.5, 32.0, 42.5, 37.5)))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    image.save(out_png)
    drawn = sum(1 for x in range(0, 800, 4) for y in range(0, 600, 4)
                if image.pixel(x, y) & 0xFFFFFF != 0xFFFFFF)
    print(f"{uri}: valid, zooms 0-8, {drawn} of 30000 sampled pixels drawn")
    if drawn < 6000:
        return f"{uri}: the render is nearly blank ({drawn} of 30000 sampled pixels drawn)"
    return None


def main():
    tile_dir, mbtiles, prefix = sys.argv[1:4]
    app = QgsApplication([], False)
    app.initQgis()
    url = "file://" + os.path.abspath(tile_dir) + "/{z}/{x}/{y}.pbf"
    errors = [e for e in (check(f"type=xyz&url={url}&zmin=0&zmax=8", prefix + "-folder.png"),
                          check(f"type=mbtiles&url={os.path.abspath(mbtiles)}",
                                prefix + "-mbtiles.png")) if e]
    app.exitQgis()
    for e in errors:
        print("FAIL: " + e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
