#pragma once
// Where tiles go: a folder pyramid DIR/z/x/y.pbf (uncompressed) with metadata.json (as GDAL's
// MVT driver reads it) and tiles.json (TileJSON 3.0.0), or one MBTiles file (SQLite, TMS rows,
// gzip-compressed tiles). Both are built under a temporary name beside the target and renamed
// into place by publish_all(); without it the temporary output is removed.
#include "layers/tiles/tile_math.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sitmap::tiles {

// What a client needs to know about the tile set.
struct TileSetInfo {
    std::string name, description;
    int min_zoom = 0, max_zoom = 0;
    LonLatBox bounds;
    // Where a viewer opens: lon, lat, zoom. Empty: the middle of `bounds` at min_zoom.
    std::optional<std::array<double, 3>> center;
    nlohmann::ordered_json vector_layers = nlohmann::ordered_json::array(); // TileJSON entries
    nlohmann::ordered_json tilestats = nlohmann::ordered_json::object();    // for GDAL's types
};

class TileSink {
public:
    virtual ~TileSink() = default;
    // `gz` is gzip(pbf) when wants_gzip(), else empty (compressed by the caller, in parallel).
    virtual bool wants_gzip() const { return false; }
    virtual void write(const TileId& id, const std::string& pbf, const std::string& gz) = 0;
    // Writes the metadata and closes the temporary output.
    virtual void commit(const TileSetInfo& info) = 0;
    // Renames the temporary output into place (after every sink's commit succeeded); an
    // existing output is moved to a backup first and put back if the rename fails.
    virtual void publish() = 0;
    // After every sink published: removes the backup.
    virtual void finish() = 0;
    // Undoes publish(): removes the new output and puts the backup back.
    virtual void rollback() = 0;
    // The output path, absolute and normalised.
    virtual const std::filesystem::path& target() const = 0;
};

// `path` absolute, normalised, without a trailing separator ("tiles/" -> "/.../tiles").
std::filesystem::path output_path(const std::string& path);

// Checks the target can be written (a folder that exists must be empty or an earlier tile set:
// metadata.json with tiles.json or "format": "pbf", and nothing else but zoom folders; a file
// is refused); throws UsageError otherwise. Nothing is created until the first write.
std::unique_ptr<TileSink> directory_sink(const std::string& dir);
std::unique_ptr<TileSink> mbtiles_sink(const std::string& file);

// Publishes every sink; when one fails, those already published are rolled back (the earlier
// outputs come back) and the error is rethrown. Then the backups are removed.
void publish_all(const std::vector<std::unique_ptr<TileSink>>& sinks);

// gzip (RFC 1952, no time stamp) of `data`.
std::string gzip(const std::string& data);

} // namespace sitmap::tiles
