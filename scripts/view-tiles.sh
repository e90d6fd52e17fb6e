#!/usr/bin/env bash
# Shows a folder of vector tiles (from `sitmap tiles ATLAS -o DIR`) in the web viewer: serves
# viewer/ and DIR on the loopback address and prints the address to open in a browser.
# Usage: view-tiles.sh DIR [PORT]   (PORT defaults to 8765; 0 takes a free port). Ctrl-C stops it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:?usage: view-tiles.sh DIR [PORT]}
port=${2:-8765}
[[ -d "$dir" ]] || { echo "view-tiles: '$dir' is not a folder" >&2; exit 2; }
[[ -f "$dir/tiles.json" || -f "$dir/metadata.json" ]] \
  || { echo "view-tiles: '$dir' has no tiles.json or metadata.json (make it with sitmap tiles)" >&2; exit 2; }
command -v node >/dev/null 2>&1 || { echo "view-tiles: node is not installed" >&2; exit 1; }
"$root/scripts/install-node-deps.sh" viewer
[[ -d "$root/viewer/node_modules/maplibre-gl" ]] \
  || { echo "view-tiles: viewer/node_modules is missing (npm ci in viewer/)" >&2; exit 1; }
exec node "$root/viewer/serve.mjs" --port "$port" --open "/viewer/?tiles=../tiles" \
  "/viewer=$root/viewer" "/tiles=$dir"
