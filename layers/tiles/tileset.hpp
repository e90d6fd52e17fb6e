#pragma once
// `sitmap tiles`: layers of a GDAL vector dataset -> Mapbox Vector Tiles for a range of zooms,
// as a folder pyramid and/or an MBTiles file. Points are never dropped: see point_cluster.hpp.
// The output is deterministic (the same input gives the same bytes, whatever the thread count).
#include <cstddef>
#include <string>
#include <vector>

namespace sitmap::tiles {

inline constexpr unsigned kMaxThreads = 256;

struct TileOptions {
    std::string input;                // any GDAL vector dataset, any CRS
    std::vector<std::string> layers;  // empty: every layer with a geometry
    std::string directory;            // folder pyramid z/x/y.pbf (empty: none)
    std::string mbtiles;              // MBTiles file (empty: none)
    int min_zoom = 0, max_zoom = 8;
    int cluster_cell = 32;            // tile units, a power of two from 1 to 4096
    // Points merge only when these fields agree. Empty: category, subcategory, period and unit
    // where a layer has them; {"none"}: cells alone decide.
    std::vector<std::string> cluster_by;
    int buffer = 64;                  // tile units around each tile for lines and polygons
    std::string name, description;
    unsigned threads = 0;             // 0: every core (at most kMaxThreads), else 1..kMaxThreads
};

struct ZoomReport {
    int zoom = 0;
    std::size_t tiles = 0, features = 0, clusters = 0, points = 0, bytes = 0;
};

struct LayerReport {
    std::string name, geometry;
    std::size_t points = 0, lines = 0, polygons = 0;
    std::size_t skipped = 0;     // features without a geometry (not tiled)
    std::size_t unprojected = 0; // features PROJ could not transform (not tiled)
};

struct TileReport {
    std::vector<LayerReport> layers;
    std::vector<ZoomReport> zooms;
    std::size_t points() const;  // input points over all layers
    std::size_t tiles() const;
    std::size_t bytes() const;   // uncompressed tile bytes
};

// Checks the options (UsageError) without touching any file: zooms, cluster cell, buffer,
// thread count, and outputs that are neither the input nor each other.
void check_tile_options(const TileOptions& opt);

// Reads, tiles and writes. Throws UsageError / InputError (bad options, unreadable input) or
// WorkError; a failed run leaves no output behind.
TileReport make_tiles(const TileOptions& opt);

} // namespace sitmap::tiles
