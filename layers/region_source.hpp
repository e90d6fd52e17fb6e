#pragma once
// Region layers from any GDAL polygon source: reprojected to WGS84 lon/lat (EPSG:4326, lon first),
// invalid polygons repaired with GEOS (OGRGeometry::MakeValid), every attribute kept as text.
#include "geo/region_index.hpp"

#include <ogr_geometry.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sitmap {

struct RegionSourceOptions {
    std::string layer; // layer name; empty: the first layer
    std::string where; // OGR SQL attribute filter, e.g. "iso_a2 = 'SY' AND fips IS NOT NULL"
};

struct RegionFeature {
    std::int64_t fid = -1;
    std::vector<std::optional<std::string>> values; // one per field; nullopt for NULL
    Region geometry;                                // lon/lat, EPSG:4326
    bool repaired = false;                          // MakeValid changed it
    std::string wkt;                                // repaired geometry, WKT (for reports)
};

struct RegionLayer {
    std::string path;
    std::string layer;
    std::string source_crs;              // e.g. "EPSG:3857", or the CRS name
    std::vector<std::string> fields;     // attribute names, in the source's order
    std::vector<RegionFeature> features; // in source order (after the filter)
    std::vector<std::int64_t> repaired;  // fids of features MakeValid repaired
    std::size_t skipped_empty = 0;       // features with no or empty geometry

    // Field index by name; throws UsageError naming the layer when absent.
    std::size_t field_index(const std::string& name) const;
    // The value of `field` for feature i, "" when NULL.
    std::string value(std::size_t i, const std::string& field) const;
    std::vector<Region> regions() const;
};

// The polygons of an OGR geometry (polygon, multipolygon, or the polygons of a collection) as a
// region for RegionIndex; points and lines are left out.
Region region_from_ogr(const OGRGeometry& g);

// Reads the polygon layer. Throws InputError naming the file when it cannot be opened, the layer
// does not exist, the filter is invalid, or the layer holds non-polygon geometries.
RegionLayer read_regions(const std::string& path, const RegionSourceOptions& opt = {});

} // namespace sitmap
