#!/usr/bin/env bash
# Installs the Debian 12 packages sitmap needs to build, test and run.
# Fast no-op when everything is already installed. Needs root (or sudo) and apt.
set -euo pipefail

packages=(
  cmake g++ make pkg-config
  libgdal-dev gdal-bin libproj-dev proj-bin libgeos-dev libboost-dev
  libicu-dev catch2 libcli11-dev nlohmann-json3-dev libbenchmark-dev
  qgis-common
  libcairo2-dev libpango1.0-dev fonts-dejavu-core libprotozero-dev libsqlite3-dev zlib1g-dev
)
# Extra packages for a purpose: `install-deps.sh test` (run by `make test`) adds Chromium for the
# tile viewer's browser test and QGIS (PyQGIS) for the test that opens the tiles in QGIS,
# `install-deps.sh bench` adds the PostGIS contender,
# `install-deps.sh qgis` QGIS and a virtual X server for scripts/qgis-screenshot.sh (docs images),
# `install-deps.sh fuzz` clang and its libFuzzer/ASan runtime for `make fuzz`,
# `install-deps.sh mapnik` Mapnik's Python binding for scripts/mapnik-compare.py (docs/maps.md).
case "${1:-}" in
  test) packages+=(chromium qgis python3-qgis) ;;
  bench) packages+=(postgresql-15 postgresql-15-postgis-3 postgresql-client-15) ;;
  qgis) packages+=(qgis python3-qgis xvfb xauth imagemagick pngquant) ;;
  fuzz) packages+=(clang-14 libclang-rt-14-dev) ;;
  mapnik) packages+=(python3-mapnik pngquant) ;;
  "") ;;
  *) echo "install-deps.sh: unknown profile '$1' (known: test, bench, fuzz, qgis, mapnik)" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
