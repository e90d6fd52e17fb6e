#include "layers/render/map_view.hpp"

#include "geo/error.hpp"
#include "geo/geodesic.hpp"

#include <proj.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace sitmap::render {

struct Projection::Impl {
    PJ_CONTEXT *ctx = nullptr;
    PJ *pj = nullptr;
    ~Impl() {
        if (pj)
            proj_destroy(pj);
        if (ctx)
            proj_context_destroy(ctx);
    }
};

Projection::Projection(const std::string &target) : impl_(std::make_unique<Impl>()), def_(target) {
    impl_->ctx = proj_context_create();
    if (!impl_->ctx)
        throw WorkError("PROJ: cannot create a context");
    proj_log_level(impl_->ctx, PJ_LOG_NONE);
    PJ *raw = proj_create_crs_to_crs(impl_->ctx, "EPSG:4326", target.c_str(), nullptr);
    if (!raw)
        throw WorkError("PROJ: cannot create the projection '" + target + "': " +
                        proj_context_errno_string(impl_->ctx, proj_context_errno(impl_->ctx)));
    impl_->pj = proj_normalize_for_visualization(impl_->ctx, raw);
    proj_destroy(raw);
    if (!impl_->pj)
        throw WorkError("PROJ: cannot normalise the axis order of '" + target + "'");
}

Projection::~Projection() = default;

Pt Projection::forward(LonLat p) const {
    const PJ_COORD c = proj_trans(impl_->pj, PJ_FWD, proj_coord(p.lon, p.lat, 0, 0));
    if (!std::isfinite(c.xy.x) || !std::isfinite(c.xy.y))
        throw WorkError("PROJ: cannot project " + std::to_string(p.lon) + "," +
                        std::to_string(p.lat));
    return {c.xy.x, c.xy.y};
}

void Projection::forward(std::vector<Pt> &pts) const {
    if (pts.empty())
        return;
    proj_trans_generic(impl_->pj, PJ_FWD, &pts[0].x, sizeof(Pt), pts.size(), &pts[0].y, sizeof(Pt),
                       pts.size(), nullptr, 0, 0, nullptr, 0, 0);
    for (const auto &p : pts)
        if (!std::isfinite(p.x) || !std::isfinite(p.y))
            throw WorkError("PROJ: a coordinate cannot be projected to '" + def_ + "'");
}

MapView::MapView(const Projection &proj, LonLatBox b, Box frame)
    : proj_(proj),
      frame_(frame), centre_{(b.min_lon + b.max_lon) / 2, (b.min_lat + b.max_lat) / 2} {
    // The projected extent of the box's densified outline.
    std::vector<Pt> edge;
    const int n = 32;
    for (int i = 0; i <= n; ++i) {
        const double t = static_cast<double>(i) / n;
        const double lon = b.min_lon + t * (b.max_lon - b.min_lon);
        const double lat = b.min_lat + t * (b.max_lat - b.min_lat);
        edge.push_back({lon, b.min_lat});
        edge.push_back({lon, b.max_lat});
        edge.push_back({b.min_lon, lat});
        edge.push_back({b.max_lon, lat});
    }
    proj_.forward(edge);
    double x0 = std::numeric_limits<double>::max(), y0 = x0, x1 = -x0, y1 = -x0;
    for (const auto &p : edge) {
        x0 = std::min(x0, p.x), x1 = std::max(x1, p.x);
        y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
    }
    k_ = std::min(frame.width() / (x1 - x0), frame.height() / (y1 - y0));
    mx_ = (x0 + x1) / 2;
    my_ = (y0 + y1) / 2;
}

Pt MapView::to_page_m(Pt m) const {
    return {(frame_.x0 + frame_.x1) / 2 + k_ * (m.x - mx_),
            (frame_.y0 + frame_.y1) / 2 - k_ * (m.y - my_)};
}

Pt MapView::to_page(LonLat p) const {
    return to_page_m(proj_.forward(p));
}

namespace {
void add_curve(const OGRSimpleCurve &c, std::vector<std::vector<Pt>> &out) {
    std::vector<Pt> pts(static_cast<std::size_t>(c.getNumPoints()));
    for (int i = 0; i < c.getNumPoints(); ++i)
        pts[static_cast<std::size_t>(i)] = {c.getX(i), c.getY(i)};
    out.push_back(std::move(pts));
}

void collect(const OGRGeometry &g, std::vector<std::vector<Pt>> &out) {
    switch (wkbFlatten(g.getGeometryType())) {
    case wkbLineString:
        add_curve(*g.toLineString(), out);
        break;
    case wkbPolygon:
        for (const auto *r : *g.toPolygon())
            add_curve(*r, out);
        break;
    case wkbMultiPolygon:
    case wkbMultiLineString:
    case wkbGeometryCollection:
        for (const auto *part : *g.toGeometryCollection())
            collect(*part, out);
        break;
    default:
        break;
    }
}
} // namespace

std::vector<std::vector<Pt>> MapView::to_page(const OGRGeometry &g) const {
    std::vector<std::vector<Pt>> rings;
    collect(g, rings);
    for (auto &r : rings) {
        proj_.forward(r);
        for (auto &p : r)
            p = to_page_m(p);
    }
    return rings;
}

double MapView::ground_scale(LonLat at, double metres) const {
    const Pt a = to_page(at);
    const Pt b = to_page(geodesic_forward(at, 90, metres));
    return std::hypot(b.x - a.x, b.y - a.y) / metres;
}

double MapView::north_angle(LonLat at) const {
    const Pt a = to_page(at);
    const Pt b = to_page({at.lon, std::min(at.lat + 0.01, 89.999)});
    return std::atan2(b.x - a.x, a.y - b.y) * 180 / std::numbers::pi;
}

} // namespace sitmap::render
