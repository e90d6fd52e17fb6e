#include "layers/tiles/tile_geometry.hpp"

#include "geo/error.hpp"

#include <geos_c.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

namespace sitmap::tiles {
namespace {

GEOSContextHandle_t h(const GeosContext& g) { return static_cast<GEOSContextHandle_t>(g.handle()); }

void on_message(const char* msg, void* self) {
    *static_cast<std::string*>(self) = msg ? msg : "unknown GEOS error";
}
void ignore_message(const char*, void*) {}

// Owns a GEOSGeometry.
struct Geom {
    GEOSContextHandle_t ctx;
    GEOSGeometry* g;
    Geom(GEOSContextHandle_t c, GEOSGeometry* p) : ctx(c), g(p) {}
    Geom(const Geom&) = delete;
    Geom& operator=(const Geom&) = delete;
    Geom(Geom&& o) noexcept : ctx(o.ctx), g(o.g) { o.g = nullptr; }
    Geom& operator=(Geom&& o) noexcept {
        std::swap(ctx, o.ctx);
        std::swap(g, o.g);
        return *this;
    }
    ~Geom() {
        if (g) GEOSGeom_destroy_r(ctx, g);
    }
};

GEOSCoordSequence* sequence(GEOSContextHandle_t ctx, const std::vector<double>& world, double scale,
                            bool close) {
    std::vector<double> xy(world.size());
    for (std::size_t i = 0; i < world.size(); ++i) xy[i] = world[i] * scale;
    if (close && xy.size() >= 2 &&
        (xy[0] != xy[xy.size() - 2] || xy[1] != xy[xy.size() - 1])) {
        xy.push_back(xy[0]);
        xy.push_back(xy[1]);
    }
    return GEOSCoordSeq_copyFromBuffer_r(ctx, xy.data(), static_cast<unsigned>(xy.size() / 2), 0, 0);
}

// The shape in world pixels of one zoom as a GEOS (multi) line string or (multi) polygon.
Geom build(GEOSContextHandle_t ctx, const Shape& shape, double scale) {
    std::vector<GEOSGeometry*> parts;
    for (const auto& part : shape.parts) {
        if (shape.kind == ShapeKind::line) {
            if (part.empty() || part[0].size() < 4) continue;
            if (auto* g = GEOSGeom_createLineString_r(ctx, sequence(ctx, part[0], scale, false)))
                parts.push_back(g);
            continue;
        }
        std::vector<GEOSGeometry*> rings;
        for (const auto& r : part) {
            if (r.size() < 6) {
                if (rings.empty()) break; // no shell: skip the polygon
                continue;
            }
            if (auto* g = GEOSGeom_createLinearRing_r(ctx, sequence(ctx, r, scale, true)))
                rings.push_back(g);
            else if (rings.empty()) break;
        }
        if (rings.empty()) continue;
        auto* poly = GEOSGeom_createPolygon_r(ctx, rings[0], rings.data() + 1,
                                              static_cast<unsigned>(rings.size() - 1));
        if (poly) parts.push_back(poly);
    }
    const int type = shape.kind == ShapeKind::line ? GEOS_MULTILINESTRING : GEOS_MULTIPOLYGON;
    return Geom(ctx, GEOSGeom_createCollection_r(ctx, type, parts.data(),
                                                 static_cast<unsigned>(parts.size())));
}

// Snaps to the integer grid; polygons come out valid. Falls back to repairing the input first.
Geom snap(GEOSContextHandle_t ctx, const GEOSGeometry* g) {
    if (GEOSGeometry* s = GEOSGeom_setPrecision_r(ctx, g, 1.0, 0)) return Geom(ctx, s);
    Geom valid(ctx, GEOSMakeValid_r(ctx, g));
    if (valid.g == nullptr) return Geom(ctx, nullptr);
    return Geom(ctx, GEOSGeom_setPrecision_r(ctx, valid.g, 1.0, 0));
}

std::vector<std::int32_t> tile_coords(GEOSContextHandle_t ctx, const GEOSGeometry* line,
                                      double ox, double oy) {
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx, line);
    unsigned n = 0;
    if (seq == nullptr || !GEOSCoordSeq_getSize_r(ctx, seq, &n) || n == 0) return {};
    std::vector<double> buf(static_cast<std::size_t>(n) * 2);
    GEOSCoordSeq_copyToBuffer_r(ctx, seq, buf.data(), 0, 0);
    std::vector<std::int32_t> out(buf.size());
    for (std::size_t i = 0; i < buf.size(); i += 2) {
        out[i] = static_cast<std::int32_t>(std::llround(buf[i] - ox));
        out[i + 1] = static_cast<std::int32_t>(std::llround(buf[i + 1] - oy));
    }
    return out;
}

// Twice the signed area (shoelace) in tile coordinates, y down: positive = clockwise on screen.
std::int64_t area2(const std::vector<std::int32_t>& xy) {
    std::int64_t a = 0;
    const std::size_t n = xy.size() / 2;
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t j = (i + 1) % n;
        a += static_cast<std::int64_t>(xy[2 * i]) * xy[2 * j + 1] -
             static_cast<std::int64_t>(xy[2 * j]) * xy[2 * i + 1];
    }
    return a;
}

void reverse_points(std::vector<std::int32_t>& xy) {
    const std::size_t n = xy.size() / 2;
    for (std::size_t i = 0; i < n / 2; ++i) {
        std::swap(xy[2 * i], xy[2 * (n - 1 - i)]);
        std::swap(xy[2 * i + 1], xy[2 * (n - 1 - i) + 1]);
    }
}

// Appends the commands of every line / polygon in `g` (any collection) to `cmd`.
void encode(GEOSContextHandle_t ctx, const GEOSGeometry* g, ShapeKind kind, double ox, double oy,
            GeometryCommands& cmd) {
    const int t = GEOSGeomTypeId_r(ctx, g);
    if (t == GEOS_MULTILINESTRING || t == GEOS_MULTIPOLYGON || t == GEOS_GEOMETRYCOLLECTION) {
        const int n = GEOSGetNumGeometries_r(ctx, g);
        for (int i = 0; i < n; ++i) encode(ctx, GEOSGetGeometryN_r(ctx, g, i), kind, ox, oy, cmd);
        return;
    }
    if (kind == ShapeKind::line && t == GEOS_LINESTRING) {
        cmd.line(tile_coords(ctx, g, ox, oy));
    } else if (kind == ShapeKind::polygon && t == GEOS_POLYGON) {
        auto shell = tile_coords(ctx, GEOSGetExteriorRing_r(ctx, g), ox, oy);
        if (shell.size() >= 2) shell.resize(shell.size() - 2); // closing point
        const auto a = area2(shell);
        if (a == 0) return;
        if (a < 0) reverse_points(shell);
        if (!cmd.ring(shell)) return;
        const int holes = GEOSGetNumInteriorRings_r(ctx, g);
        for (int i = 0; i < holes; ++i) {
            auto hole = tile_coords(ctx, GEOSGetInteriorRingN_r(ctx, g, i), ox, oy);
            if (hole.size() >= 2) hole.resize(hole.size() - 2);
            const auto ha = area2(hole);
            if (ha == 0) continue;
            if (ha > 0) reverse_points(hole);
            cmd.ring(hole);
        }
    }
}

} // namespace

GeosContext::GeosContext() {
    auto ctx = GEOS_init_r();
    if (ctx == nullptr) throw WorkError("cannot create a GEOS context");
    GEOSContext_setErrorMessageHandler_r(ctx, on_message, &error_);
    GEOSContext_setNoticeMessageHandler_r(ctx, ignore_message, nullptr);
    handle_ = ctx;
}

GeosContext::~GeosContext() { GEOS_finish_r(static_cast<GEOSContextHandle_t>(handle_)); }

std::string GeosContext::take_error() { return std::exchange(error_, {}); }

void tile_shape(GeosContext& geos, const Shape& shape, const ShapeTiling& how, std::uint32_t layer,
                std::uint32_t feature, std::vector<ShapePiece>& out) {
    const auto ctx = h(geos);
    const double scale = std::ldexp(1.0, how.zoom + kExtentBits);
    Geom g = build(ctx, shape, scale);
    if (g.g == nullptr) throw WorkError("GEOS cannot build a geometry: " + geos.take_error());
    if (GEOSisEmpty_r(ctx, g.g) == 1) return;
    if (shape.kind == ShapeKind::polygon && GEOSisValid_r(ctx, g.g) != 1) {
        Geom valid(ctx, GEOSMakeValid_r(ctx, g.g));
        if (valid.g) g = std::move(valid);
    }
    if (how.simplify) {
        GEOSGeometry* s = shape.kind == ShapeKind::polygon
                              ? GEOSTopologyPreserveSimplify_r(ctx, g.g, how.tolerance)
                              : GEOSSimplify_r(ctx, g.g, how.tolerance);
        if (s) g = Geom(ctx, s);
    }
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    if (!GEOSGeom_getXMin_r(ctx, g.g, &x0) || !GEOSGeom_getYMin_r(ctx, g.g, &y0) ||
        !GEOSGeom_getXMax_r(ctx, g.g, &x1) || !GEOSGeom_getYMax_r(ctx, g.g, &y1))
        return;
    const double buf = how.buffer;
    const auto last = static_cast<std::int64_t>((std::uint64_t{1} << how.zoom) - 1);
    auto tile_of = [&](double p) {
        return std::clamp(static_cast<std::int64_t>(std::floor(p / kExtent)), std::int64_t{0}, last);
    };
    const auto tx0 = tile_of(x0 - buf), tx1 = tile_of(x1 + buf);
    const auto ty0 = tile_of(y0 - buf), ty1 = tile_of(y1 + buf);
    const GeomType type = shape.kind == ShapeKind::polygon ? GeomType::polygon : GeomType::linestring;
    GeometryCommands cmd;
    for (auto ty = ty0; ty <= ty1; ++ty) {
        for (auto tx = tx0; tx <= tx1; ++tx) {
            const double ox = static_cast<double>(tx) * kExtent;
            const double oy = static_cast<double>(ty) * kExtent;
            const double rx0 = ox - buf, ry0 = oy - buf, rx1 = ox + kExtent + buf,
                         ry1 = oy + kExtent + buf;
            const bool inside = x0 >= rx0 && y0 >= ry0 && x1 <= rx1 && y1 <= ry1;
            Geom clipped(ctx, inside ? nullptr : GEOSClipByRect_r(ctx, g.g, rx0, ry0, rx1, ry1));
            const GEOSGeometry* part = inside ? g.g : clipped.g;
            if (part == nullptr || GEOSisEmpty_r(ctx, part) == 1) continue;
            Geom snapped = snap(ctx, part);
            geos.take_error();
            cmd.clear();
            encode(ctx, snapped.g ? snapped.g : part, shape.kind, ox, oy, cmd);
            if (cmd.empty()) continue;
            out.push_back({static_cast<std::uint32_t>(tx), static_cast<std::uint32_t>(ty), layer,
                           feature, type, cmd.ints()});
        }
    }
}

} // namespace sitmap::tiles
