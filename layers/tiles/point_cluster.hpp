#pragma once
// Points into tiles without losing any. Each point falls in exactly one tile per zoom (the one
// containing it; a point on an edge goes east / south). Within a tile, points sharing a cluster
// cell (2^cell_bits units square) and the values of the cluster-by fields become one feature at
// their mean position carrying `count`, the value of each cluster-by field (shared by all
// members), the sum of every other numeric field (an integer sum beyond 64 bits is written as a
// real; lon, lat, longitude, latitude, x, y, confidence, importance and score, which locate or
// rate a point rather than count, carry the mean), `clustered`=1, and each text or boolean field
// whose value all members share. A cluster has no feature id. A lone point keeps every
// attribute and its source feature id, with `count`=1 and `clustered`=0. So at every zoom the
// counts over all tiles add up to the number of points, and each summed field's sums to the
// layer's total.
#include "layers/tiles/mvt_encoder.hpp"
#include "layers/tiles/tile_source.hpp"

#include <cstdint>
#include <vector>

namespace sitmap::tiles {

// A layer's points in Z order of their pixels at the top zoom.
struct PointIndex {
    int top_zoom = 0;
    std::vector<std::uint64_t> code;
    std::vector<std::uint32_t> px, py; // pixels at the top zoom (top_zoom + kExtentBits bits)
};

// Sorts the layer's points (and their attribute rows) in Z order; ties keep input order.
PointIndex sort_points(SourceLayer& layer, int top_zoom);

// The points of one tile at one zoom: [begin, end) in the sorted order.
struct TileRange {
    std::uint32_t x = 0, y = 0;
    std::size_t begin = 0, end = 0;
};
std::vector<TileRange> tile_ranges(const PointIndex& index, int zoom);

struct ClusterCounts {
    std::size_t features = 0, clusters = 0, points = 0;
};

// Writes row `row` of the columns as feature properties (nulls are left out).
void write_attributes(const std::vector<Column>& cols, std::size_t row, LayerEncoder& enc);

// Fields (by index into point_columns) whose values points must share to be clustered together.
// By default the fields that say what a figure is: category, subcategory, period and unit, so
// that a cluster never adds up figures of different kinds.
std::vector<std::size_t> default_cluster_by(const SourceLayer& layer);

// Writes the features of one tile's points into `enc`: one per occupied cluster cell and
// combination of `split` values.
ClusterCounts encode_points(const SourceLayer& layer, const PointIndex& index, int zoom,
                            int cell_bits, const std::vector<std::size_t>& split,
                            const TileRange& range, LayerEncoder& enc);

} // namespace sitmap::tiles
