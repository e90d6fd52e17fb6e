#pragma once
// The feature and layer model: what the atlas builders produce and the writers consume.
#include <ogr_geometry.h>

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace sitmap {

enum class FieldType { string, integer, real, date };

struct FieldDef {
    std::string name;
    FieldType type = FieldType::string;
    std::string hxl; // HXL hashtag for CSV exports, e.g. "#adm1+code"; may be empty
};

// Empty, integer, real or text. Dates are text (YYYY-MM-DD) in a FieldType::date column.
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

struct Feature {
    std::shared_ptr<OGRGeometry> geometry; // WGS84 lon/lat; may be null (attribute-only rows)
    std::vector<Value> values;             // one per field, in the layer's order
};

struct Layer {
    std::string name;
    OGRwkbGeometryType geometry_type = wkbPoint; // wkbNone for tables
    std::vector<FieldDef> fields;
    std::vector<Feature> features;

    std::size_t field_index(const std::string& field) const; // throws std::out_of_range
};

std::shared_ptr<OGRGeometry> make_point(double lon, double lat);

// The layer called `name`, or nullptr.
const Layer* find_layer(const std::vector<Layer>& layers, const std::string& name);

} // namespace sitmap
