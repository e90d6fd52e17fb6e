#pragma once
// Output helpers shared by the commands: text files written whole (temp file + rename), GeoJSON
// through GDAL to a file or to the command's data stream, and "lon,lat" arguments.
#include "geo/place.hpp"
#include "layers/feature.hpp"

#include <iosfwd>
#include <optional>
#include <string>

namespace sitmap::cli {

// Writes `text` to `path` through a temporary file renamed into place.
void write_text_file(const std::string& path, const std::string& text);

// Writes one layer as RFC 7946 GeoJSON through GDAL: to `path`, or to `out` when `path` is empty.
void write_geojson_layer(const Layer& layer, const std::string& path, std::ostream& out);

// "lon,lat" -> a point, or nullopt when the text is not two numbers in range.
std::optional<LonLat> parse_lonlat(const std::string& s);

} // namespace sitmap::cli
