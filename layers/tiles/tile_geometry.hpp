#pragma once
// Lines and polygons cut into tiles with GEOS: built in world pixels of one zoom, simplified
// (below the top zoom), clipped to each tile plus a buffer, snapped to the integer grid (polygons
// stay valid), exterior rings turned clockwise in tile coordinates, and encoded as MVT commands.
#include "layers/tiles/mvt_encoder.hpp"
#include "layers/tiles/tile_math.hpp"
#include "layers/tiles/tile_source.hpp"

#include <memory>
#include <vector>

namespace sitmap::tiles {

// A GEOS context for one thread; GEOS errors become WorkError.
class GeosContext {
public:
    GeosContext();
    ~GeosContext();
    GeosContext(const GeosContext&) = delete;
    GeosContext& operator=(const GeosContext&) = delete;
    void* handle() const { return handle_; }
    std::string take_error();

private:
    void* handle_ = nullptr;
    std::string error_;
};

// One feature's geometry in one tile.
struct ShapePiece {
    std::uint32_t x = 0, y = 0;  // tile column and row
    std::uint32_t layer = 0;      // index into the layer list
    std::uint32_t feature = 0;    // index into the layer's shapes
    GeomType type = GeomType::linestring;
    std::vector<std::uint32_t> commands;
};

struct ShapeTiling {
    int zoom = 0;
    bool simplify = true;       // false at the top zoom: only the grid snap
    double tolerance = 1.0;     // simplification tolerance in pixels of this zoom
    std::int32_t buffer = 64;   // tile units around each tile
};

// Cuts one shape at one zoom; appends a piece per tile it reaches (empty results are skipped).
void tile_shape(GeosContext& geos, const Shape& shape, const ShapeTiling& how, std::uint32_t layer,
                std::uint32_t feature, std::vector<ShapePiece>& out);

} // namespace sitmap::tiles
