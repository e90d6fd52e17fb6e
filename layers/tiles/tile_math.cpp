#include "layers/tiles/tile_math.hpp"

#include "geo/error.hpp"

#include <proj.h>

#include <algorithm>
#include <cmath>
#include <regex>

namespace sitmap::tiles {
namespace {

constexpr double kHalfWorld = 20037508.342789244; // EPSG:3857 x of longitude 180

std::string proj_message(PJ_CONTEXT* ctx) {
    const int e = proj_context_errno(ctx);
    return e ? proj_context_errno_string(ctx, e) : "unknown PROJ error";
}

// Routes PROJ's log away from stderr.
void quiet_log(void*, int, const char*) {}

// A normalized (lon/lat, easting/northing order) transform between two CRS.
PJ* make_transform(PJ_CONTEXT* ctx, const char* from, const char* to) {
    PJ* raw = proj_create_crs_to_crs(ctx, from, to, nullptr);
    if (raw == nullptr)
        throw WorkError(std::string("PROJ cannot transform to ") + to + ": " + proj_message(ctx));
    PJ* norm = proj_normalize_for_visualization(ctx, raw);
    proj_destroy(raw);
    if (norm == nullptr) throw WorkError("PROJ cannot normalize a transform: " + proj_message(ctx));
    return norm;
}

} // namespace

void LonLatBox::add(const LonLatBox& o) {
    west = std::min(west, o.west);
    south = std::min(south, o.south);
    east = std::max(east, o.east);
    north = std::max(north, o.north);
}

std::pair<int, int> parse_zoom_range(const std::string& text) {
    static const std::regex re(R"((\d{1,2})(?:-(\d{1,2}))?)");
    std::smatch m;
    if (!std::regex_match(text, m, re))
        throw UsageError("'" + text + "' is not MIN-MAX (e.g. 0-8)");
    const int lo = std::stoi(m[1].str());
    const int hi = m[2].matched ? std::stoi(m[2].str()) : lo;
    if (lo > hi || hi > kMaxZoom)
        throw UsageError("'" + text + "': need 0 <= MIN <= MAX <= " +
                         std::to_string(kMaxZoom));
    return {lo, hi};
}

struct WorldProjection::Impl {
    PJ_CONTEXT* ctx = nullptr;
    PJ* to_lonlat = nullptr;  // source -> EPSG:4326 (null when the source is lon/lat already)
    PJ* to_mercator = nullptr; // EPSG:4326 -> EPSG:3857
    ~Impl() {
        if (to_lonlat) proj_destroy(to_lonlat);
        if (to_mercator) proj_destroy(to_mercator);
        if (ctx) proj_context_destroy(ctx);
    }
};

WorldProjection::WorldProjection(const std::string& source_wkt) : impl_(std::make_unique<Impl>()) {
    impl_->ctx = proj_context_create();
    if (impl_->ctx == nullptr) throw WorkError("cannot create a PROJ context");
    proj_log_func(impl_->ctx, nullptr, quiet_log);
    impl_->to_mercator = make_transform(impl_->ctx, "EPSG:4326", "EPSG:3857");
    if (source_wkt.empty()) return;
    PJ* src = proj_create(impl_->ctx, source_wkt.c_str());
    if (src == nullptr) throw WorkError("PROJ cannot read a layer's CRS: " + proj_message(impl_->ctx));
    PJ* wgs84 = proj_create(impl_->ctx, "EPSG:4326");
    const bool same = wgs84 && proj_is_equivalent_to(src, wgs84, PJ_COMP_EQUIVALENT);
    proj_destroy(wgs84);
    proj_destroy(src);
    if (!same) impl_->to_lonlat = make_transform(impl_->ctx, source_wkt.c_str(), "EPSG:4326");
}

WorldProjection::~WorldProjection() = default;

void WorldProjection::to_world(std::vector<double>& xy, LonLatBox& bounds) const {
    const std::size_t n = xy.size() / 2;
    if (n == 0) return;
    constexpr auto stride = sizeof(double) * 2;
    if (impl_->to_lonlat)
        proj_trans_generic(impl_->to_lonlat, PJ_FWD, xy.data(), stride, n, xy.data() + 1, stride, n,
                           nullptr, 0, 0, nullptr, 0, 0);
    for (std::size_t i = 0; i < n; ++i) {
        double& lon = xy[2 * i];
        double& lat = xy[2 * i + 1];
        if (!std::isfinite(lon) || !std::isfinite(lat)) continue;
        bounds.west = std::min(bounds.west, lon);
        bounds.east = std::max(bounds.east, lon);
        bounds.south = std::min(bounds.south, lat);
        bounds.north = std::max(bounds.north, lat);
        lat = std::clamp(lat, -kMaxLatitude, kMaxLatitude);
        lon = std::clamp(lon, -180.0, 180.0);
    }
    proj_trans_generic(impl_->to_mercator, PJ_FWD, xy.data(), stride, n, xy.data() + 1, stride, n,
                       nullptr, 0, 0, nullptr, 0, 0);
    for (std::size_t i = 0; i < n; ++i) {
        double& x = xy[2 * i];
        double& y = xy[2 * i + 1];
        if (!std::isfinite(x) || !std::isfinite(y)) {
            x = y = std::numeric_limits<double>::quiet_NaN();
            continue;
        }
        x = std::clamp((x + kHalfWorld) / (2 * kHalfWorld), 0.0, 1.0);
        y = std::clamp((kHalfWorld - y) / (2 * kHalfWorld), 0.0, 1.0);
    }
}

std::uint64_t morton(std::uint32_t x, std::uint32_t y) {
    auto spread = [](std::uint64_t v) {
        v &= 0xffffffffULL;
        v = (v | (v << 16)) & 0x0000ffff0000ffffULL;
        v = (v | (v << 8)) & 0x00ff00ff00ff00ffULL;
        v = (v | (v << 4)) & 0x0f0f0f0f0f0f0f0fULL;
        v = (v | (v << 2)) & 0x3333333333333333ULL;
        v = (v | (v << 1)) & 0x5555555555555555ULL;
        return v;
    };
    return (spread(y) << 1) | spread(x);
}

} // namespace sitmap::tiles
