#!/usr/bin/env bash
# Regenerates the QGIS images of docs/qgis.md: runs `sitmap run` into a temporary folder, checks
# the project with PyQGIS and renders it (scripts/render-qgis.py -> docs/images/qgis-map.png),
# then opens it in the QGIS desktop under Xvfb and takes a screenshot of the screen
# (docs/images/qgis-project.png).
# Needs `scripts/install-deps.sh qgis` (QGIS, PyQGIS, Xvfb, ImageMagick, pngquant), not a build
# dependency. Usage: scripts/qgis-screenshot.sh [SITMAP_BINARY]   (default build/sitmap)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sitmap=${1:-$root/build/sitmap}
images=$root/docs/images
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$images"

"$sitmap" run --out "$work/out" > /dev/null
QT_QPA_PLATFORM=offscreen /usr/bin/python3 "$root/scripts/render-qgis.py" "$work/out/atlas.qgs" \
  --map "$images/qgis-map.png" 2> >(grep -v XDG_RUNTIME_DIR >&2)

# Run inside QGIS once the project is open: a fixed window size (there is no window manager),
# the layer panel instead of the browser, and a file written once the canvas has rendered.
cat > "$work/setup.py" <<EOF
from qgis.utils import iface
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QDockWidget
from qgis.core import QgsProject
mw = iface.mainWindow()
QgsProject.instance().layerTreeRoot().findLayer("sitmap_regions").setExpanded(True)  # the classes
mw.setGeometry(0, 0, 1600, 1000)
for dock in mw.findChildren(QDockWidget):
    if dock.objectName() == "Browser":
        dock.hide()
def ready():
    QTimer.singleShot(3000, lambda: open("$work/ready", "w").close())
iface.mapCanvas().mapCanvasRefreshed.connect(ready)
iface.mapCanvas().refreshAllLayers()
EOF

cat > "$work/shot.sh" <<EOF
#!/usr/bin/env bash
qgis --noversioncheck --nologo --profiles-path "$work/profiles" --code "$work/setup.py" \
  --project "$work/out/atlas.qgs" > "$work/qgis.log" 2>&1 &
pid=\$!
for _ in \$(seq 120); do [ -e "$work/ready" ] && break; sleep 0.5; done
[ -e "$work/ready" ] || echo "qgis-screenshot: no canvas refresh seen, taking the screenshot anyway" >&2
import -window root -crop 1600x1000+0+0 "$work/desktop.png"
kill \$pid
wait \$pid 2>/dev/null || true
EOF
xvfb-run -a -s "-screen 0 1600x1000x24" bash "$work/shot.sh"
cp "$work/desktop.png" "$images/qgis-project.png"

# Keep the images small (palette PNGs).
for f in "$images/qgis-project.png" "$images/qgis-map.png"; do
  pngquant --force --skip-if-larger --quality 60-90 --output "$f" "$f" || true
done
ls -l "$images/qgis-project.png" "$images/qgis-map.png"
