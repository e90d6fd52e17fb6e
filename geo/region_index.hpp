#pragma once
// Exact point-in-region classification and per-region aggregation (count and sum) over many points.
//
// Regions are multipolygons with holes in plain doubles (lon/lat for sitmap; any planar
// coordinates work). Containment uses the even-odd rule over all rings of a region, and is exact:
// every decision is the sign of an orientation determinant, computed with a floating-point filter
// and an exact expansion fallback (Shewchuk's method), so points on or very near edges are never
// misclassified by rounding.
//
// Boundary rule: a region is a closed set (its edges and vertices belong to it). A point is
// assigned to the LOWEST region index among the regions whose closed set contains it. So a point on
// an edge or vertex shared by regions 2 and 5 goes to 2; a point on the outer boundary of the union
// goes to the region owning that boundary; a point on a hole's edge belongs to the region.
//
// Speed: a two-level uniform grid over the extent. Each fine cell is either wholly inside one
// answer (the common case: one table lookup per point), or holds the few edges crossing it plus a
// reference point whose membership is known; a point there is classified by counting exact
// crossings of the segment from the reference point to it against those edges only.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sitmap {

struct Ring {
    std::vector<std::pair<double, double>> points; // (x, y) = (lon, lat); closing point optional
};

struct Polygon {
    Ring outer;
    std::vector<Ring> holes;
};

// One region: a multipolygon.
struct Region {
    std::vector<Polygon> polygons;
};

class RegionIndex {
public:
    static constexpr std::int32_t none = -1;

    struct Options {
        // Fine cells along the longer side of the extent; 0 picks from the number of edges.
        std::uint32_t fine_cells = 0;
    };

    struct Stats {
        std::uint32_t fine_nx = 0, fine_ny = 0;  // fine grid size
        std::size_t mixed_blocks = 0;            // coarse cells split into fine cells
        std::size_t edge_cells = 0;              // fine cells that hold edges
        std::size_t edge_refs = 0;               // (cell, edge) pairs stored
        std::size_t memory_bytes = 0;            // approximate size of the index
        double build_seconds = 0;
    };

    RegionIndex() = default;
    explicit RegionIndex(const std::vector<Region>& regions);
    RegionIndex(const std::vector<Region>& regions, const Options& opt);

    // Index of the region holding (x, y) by the boundary rule above, or `none`.
    std::int32_t locate(double x, double y) const;

    // Same answer by brute force over every edge (no grid): the reference for tests.
    std::int32_t locate_reference(double x, double y) const;

    std::size_t size() const { return region_count_; }
    const Stats& stats() const { return stats_; }

private:
    struct Edge {
        double ax, ay, bx, by;
    };
    struct Group { // the edges of one region inside one edge cell
        std::uint32_t region;
        std::uint32_t first_edge;
        std::uint32_t edge_count;
        std::uint32_t inside_ref; // 1 if the cell's reference point is inside the region
    };
    struct EdgeCell {
        double rx, ry;           // reference point
        std::uint32_t base;      // answer code of the regions without edges in the cell
        std::uint32_t first_group;
        std::uint32_t group_count;
    };

    std::int32_t locate_in_edge_cell(const EdgeCell& c, double x, double y) const;
    void build(const std::vector<Region>& regions, const Options& opt);

    std::size_t region_count_ = 0;
    double x0_ = 0, y0_ = 0, inv_cell_ = 0, cell_ = 0;
    std::uint32_t nx_ = 0, ny_ = 0, ncx_ = 0; // fine grid size, coarse columns
    std::vector<std::uint32_t> coarse_;       // per coarse cell: answer code or block flag | block
    std::vector<std::uint32_t> fine_;         // 8x8 entries per block: answer code or edge cell
    std::vector<EdgeCell> cells_;
    std::vector<Group> groups_;
    std::vector<Edge> cell_edges_;
    std::vector<std::vector<Edge>> region_edges_; // all edges per region (reference, build)
    Stats stats_;
};

// ---- aggregation ------------------------------------------------------------------------------

// Points are cut into chunks of this many points in input order. Sums are made per chunk in point
// order and chunks are combined in chunk order, so results are bitwise identical whatever the
// thread count, and identical between in-memory and streamed runs over the same points.
inline constexpr std::size_t aggregate_chunk_points = 65536;

struct AggregateOptions {
    unsigned threads = 0; // 0: all hardware threads
};

struct AggregateResult {
    std::vector<std::uint64_t> count; // per region
    std::vector<double> sum;          // per region
    std::uint64_t unmatched_count = 0; // points in no region (or with NaN coordinates)
    double unmatched_sum = 0;
    std::uint64_t points = 0;
    std::uint64_t chunks = 0;
};

// In-memory points (the three spans have equal length).
AggregateResult aggregate(const RegionIndex& index, std::span<const double> x,
                          std::span<const double> y, std::span<const double> value,
                          const AggregateOptions& opt = {});

// A chunk of points handed over by a reader.
struct PointChunk {
    std::vector<double> x, y, value;
    std::size_t size() const { return x.size(); }
    void clear() { x.clear(); y.clear(); value.clear(); }
};

// Fills `chunk` (cleared by the caller) with the next points, exactly `capacity` of them unless
// the input ends; returns false once no point was added. Called from one thread, in order.
using PointReader = std::function<bool(PointChunk& chunk, std::size_t capacity)>;

// Streams points from `read`: one thread reads while the others classify; at most a few chunks
// are in memory at once (about 2 * threads + 2), whatever the input size.
AggregateResult aggregate_stream(const RegionIndex& index, const PointReader& read,
                                 const AggregateOptions& opt = {});

// Reads points from a CSV file with a header line, chunk by chunk (a PointReader). Columns are
// found by name; an empty value column name gives every point the value 1. Throws InputError
// naming the file and line on a malformed number or a missing column.
class CsvPointReader {
public:
    CsvPointReader(const std::string& path, const std::string& x_column = "lon",
                   const std::string& y_column = "lat", const std::string& value_column = "value");
    ~CsvPointReader();
    CsvPointReader(const CsvPointReader&) = delete;
    CsvPointReader& operator=(const CsvPointReader&) = delete;

    bool operator()(PointChunk& chunk, std::size_t capacity);

private:
    bool next_line(std::string_view& line);
    std::string path_;
    std::FILE* file_ = nullptr;
    std::vector<char> buf_;
    std::size_t begin_ = 0, end_ = 0;
    bool eof_ = false;
    std::size_t line_no_ = 0;
    int xi_ = -1, yi_ = -1, vi_ = -1, ncols_ = 0;
};

} // namespace sitmap
