#pragma once
// Writing the atlas: the GeoPackage `sitmap build` makes, and the exports of `sitmap export`
// (GeoJSON, Shapefile, FlatGeobuf, CSV, GeoPackage), all through GDAL drivers. Every output
// appears only when complete (written under a temporary name, then renamed).
#include "layers/feature.hpp"

#include <string>
#include <vector>

namespace sitmap {

// The formats of `sitmap export`.
const std::vector<std::string>& export_formats();

struct ExportOptions {
    bool hxl = false;           // CSV: a second row of HXL hashtags
    std::string styles_dir;     // QML styles to place beside Shapefiles and in GeoPackages
};

struct ExportResult {
    std::vector<std::string> files; // written, relative to the output path
};

// Writes the atlas GeoPackage: every layer, the `atlas_fields` data dictionary and, when
// styles_dir holds <layer>.qml files, a `layer_styles` table QGIS applies on opening.
void write_atlas_gpkg(const std::string& path, const std::vector<Layer>& layers,
                      const std::string& styles_dir);

// Reads every layer of an atlas GeoPackage (or any vector dataset) back into the layer model,
// in atlas order; `atlas_fields` restores HXL hashtags. layer_styles and atlas_fields are not
// returned.
std::vector<Layer> read_atlas(const std::string& path);

// Exports layers: gpkg -> one file at `path`; geojson, shapefile, flatgeobuf, csv -> a folder
// at `path` with one file (set) per layer.
ExportResult export_layers(const std::vector<Layer>& layers, const std::string& format,
                           const std::string& path, const ExportOptions& opt = {});

// The fixed Shapefile field-name mapping (names longer than 10 characters).
std::string shapefile_field_name(const std::string& field);

} // namespace sitmap
