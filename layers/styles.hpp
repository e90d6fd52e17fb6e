#pragma once
// QGIS styles for the atlas: QML files in data/styles/<layer>.qml, stored in the GeoPackage's
// `layer_styles` table (QGIS applies them when it opens a layer), written beside Shapefiles, and
// embedded in a .qgs project that opens every layer in order.
#include "layers/feature.hpp"

#include <string>
#include <vector>

namespace sitmap {

// The QML of a layer's style, or "" when styles_dir has none. With `shapefile`, field names in
// the style are mapped to their Shapefile names.
std::string style_qml(const std::string& layer, const std::string& styles_dir,
                      bool shapefile = false);

// The GeoPackage `layer_styles` table (the columns QGIS writes) with one default style per layer
// that has a QML file. The update_time is fixed so builds are reproducible.
Layer make_layer_styles(const std::vector<Layer>& layers, const std::string& styles_dir);

// A QGIS project (.qgs) at `path` that opens the layers of `gpkg` (a path relative to the
// project's folder), each with its style, drawn in the order given: the first at the bottom,
// the last on top (the layer panel lists them reversed, tables without geometry last).
void write_qgs_project(const std::string& path, const std::string& gpkg,
                       const std::vector<Layer>& layers, const std::string& styles_dir);

} // namespace sitmap
