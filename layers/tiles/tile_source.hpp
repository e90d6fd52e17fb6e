#pragma once
// The input of the tile engine: layers of any GDAL vector dataset read into world coordinates
// (see tile_math.hpp) with their attributes stored column by column.
#include "layers/tiles/tile_math.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace sitmap::tiles {

enum class ColumnType { integer, real, string, boolean };

// One attribute column. `ints` holds integers, booleans (0/1) and string ids (into `strings`).
struct Column {
    std::string name;
    ColumnType type = ColumnType::string;
    std::vector<std::int64_t> ints;
    std::vector<double> reals;
    std::vector<std::uint8_t> present; // 0: null
    std::vector<std::string> strings;  // distinct string values, in order of first appearance

    void push_null();
    void push_int(std::int64_t v);
    void push_real(double v);
    void push_string(const std::string& v);
    // Reorders every row: row i becomes old row order[i].
    void permute(const std::vector<std::uint32_t>& order);

private:
    std::unordered_map<std::string, std::int64_t> ids_;
};

enum class ShapeKind : std::uint8_t { line = 2, polygon = 3 };

// A line or polygon feature in world coordinates: parts, each a list of rings (a line part has
// one ring, the line itself); every ring is interleaved x,y.
struct Shape {
    ShapeKind kind = ShapeKind::line;
    std::vector<std::vector<std::vector<double>>> parts;
};

// A source layer. Point features (a MultiPoint counts as one point at the mean of its parts)
// go to the point arrays, lines and polygons to `shapes`; each has its own attribute rows.
struct SourceLayer {
    std::string name;
    std::string geometry; // "Point", "LineString" or "Polygon" (TileJSON / tilestats)
    std::vector<std::string> field_names; // output names, in source order
    std::vector<ColumnType> field_types;

    std::vector<double> point_xy;          // world x,y per point
    std::vector<std::int64_t> point_fid;   // source feature id per point
    std::vector<Column> point_columns;     // one per field

    std::vector<Shape> shapes;
    std::vector<std::int64_t> shape_fid;
    std::vector<Column> shape_columns;

    std::size_t skipped = 0;     // features without a usable geometry (not tiled)
    std::size_t unprojected = 0; // features with a coordinate PROJ could not transform (not tiled)
    LonLatBox bounds;

    std::size_t point_count() const { return point_fid.size(); }
};

// The MVT feature id of a source feature id (OGR's null id, -1, and other negatives: none).
inline std::optional<std::uint64_t> feature_id(std::int64_t fid) {
    if (fid < 0) return std::nullopt;
    return static_cast<std::uint64_t>(fid);
}

// Reads the named layers (empty: every layer with a geometry) of a GDAL vector dataset.
// Text that is not valid UTF-8 (field values, field and layer names) has each invalid byte
// replaced by U+FFFD. Throws InputError naming the file when it cannot be opened, a layer is
// missing or a layer's CRS cannot be transformed to EPSG:4326.
std::vector<SourceLayer> read_source(const std::string& path,
                                     const std::vector<std::string>& layer_names);

} // namespace sitmap::tiles
