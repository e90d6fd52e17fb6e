#pragma once
// Web Mercator tile arithmetic. Input coordinates are projected with PROJ (source CRS ->
// EPSG:4326 -> EPSG:3857) and kept as "world" coordinates in [0, 1): x east, y south, the unit
// square being the whole EPSG:3857 square. At zoom z a tile is 1/2^z of the world and holds
// kExtent x kExtent integer units, so world pixels at zoom z are world * 2^z * kExtent.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sitmap::tiles {

inline constexpr std::uint32_t kExtent = 4096;   // units per tile side (MVT default)
inline constexpr int kExtentBits = 12;           // log2(kExtent)
inline constexpr int kMaxZoom = 14;
inline constexpr double kMaxLatitude = 85.05112877980659; // edge of the EPSG:3857 square

struct TileId {
    int z = 0;
    std::uint32_t x = 0, y = 0;
    friend auto operator<=>(const TileId&, const TileId&) = default;
};

// Extent of the data in lon/lat (for TileJSON and MBTiles metadata).
struct LonLatBox {
    double west = 180, south = 90, east = -180, north = -90;
    bool empty() const { return west > east; }
    void add(const LonLatBox& o);
};

// "MIN-MAX" or "Z" -> {min, max}; throws UsageError unless 0 <= MIN <= MAX <= kMaxZoom.
std::pair<int, int> parse_zoom_range(const std::string& text);

// Projects coordinates of one source CRS to world coordinates through PROJ.
class WorldProjection {
public:
    // `source_wkt` empty or EPSG:4326 lon/lat: no first step.
    explicit WorldProjection(const std::string& source_wkt);
    ~WorldProjection();
    WorldProjection(const WorldProjection&) = delete;
    WorldProjection& operator=(const WorldProjection&) = delete;

    // Interleaved x,y pairs in the source CRS (GIS order) -> world x,y in place. Latitudes
    // beyond the Mercator square are clamped to its edge; results are clamped to [0, 1].
    // Widens `bounds` by the lon/lat of every finite coordinate.
    void to_world(std::vector<double>& xy, struct LonLatBox& bounds) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// World coordinate -> integer pixel at `bits` bits per axis (zoom + kExtentBits), clamped to
// the square; a coordinate exactly on a pixel (tile) edge goes to the pixel east / south of it.
inline std::uint32_t world_pixel(double w, int bits) {
    const double scale = static_cast<double>(std::uint64_t{1} << bits);
    const double p = w * scale;
    if (!(p > 0.0)) return 0;
    if (p >= scale) return static_cast<std::uint32_t>((std::uint64_t{1} << bits) - 1);
    return static_cast<std::uint32_t>(p);
}

// Interleaves the bits of x and y (Z order): sorting by it keeps every tile and every cell of
// every coarser zoom contiguous.
std::uint64_t morton(std::uint32_t x, std::uint32_t y);


} // namespace sitmap::tiles
