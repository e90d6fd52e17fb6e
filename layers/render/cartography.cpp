#include "layers/render/cartography.hpp"

#include "geo/utf8.hpp"
#include "layers/query.hpp"

#include <ogr_api.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <memory>
#include <set>

namespace sitmap::render {

std::string words(std::string s) {
    std::replace(s.begin(), s.end(), '_', ' ');
    return s;
}

std::string capitalised(std::string s) {
    if (!s.empty())
        s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
    return s;
}

std::string period_words(const std::string &p) {
    if (p == "cumulative")
        return "cumulative figures";
    if (p == "day")
        return "daily figures";
    if (p == "week")
        return "weekly figures";
    if (p == "month")
        return "monthly figures";
    if (p == "year")
        return "yearly figures";
    if (p == "point_in_time")
        return "figures at a point in time";
    return p.empty() ? "no period" : words(p) + " figures";
}

std::string dates(const MapFigures &f) {
    if (f.first_as_of.empty())
        return "";
    return f.first_as_of == f.last_as_of ? f.first_as_of : f.first_as_of + " to " + f.last_as_of;
}

std::optional<LonLat> label_point(const OGRGeometry &g, const LonLatBox &b) {
    OGRLinearRing ring;
    ring.addPoint(b.min_lon, b.min_lat);
    ring.addPoint(b.max_lon, b.min_lat);
    ring.addPoint(b.max_lon, b.max_lat);
    ring.addPoint(b.min_lon, b.max_lat);
    ring.closeRings();
    OGRPolygon box;
    box.addRing(&ring);
    std::unique_ptr<OGRGeometry> inside(g.Intersection(&box));
    if (!inside || inside->IsEmpty())
        return std::nullopt;
    // The largest part, so that a label goes where the area is.
    const OGRGeometry *part = inside.get();
    double best = -1;
    if (const auto *mp = dynamic_cast<const OGRGeometryCollection *>(inside.get()))
        for (const auto *p : *mp)
            if (const auto *poly = dynamic_cast<const OGRPolygon *>(p);
                poly && poly->get_Area() > best)
                best = poly->get_Area(), part = p;
    const OGRGeometryH pt =
        OGR_G_PointOnSurface(OGRGeometry::ToHandle(const_cast<OGRGeometry *>(part)));
    if (!pt)
        return std::nullopt;
    const LonLat at{OGR_G_GetX(pt, 0), OGR_G_GetY(pt, 0)};
    OGR_G_DestroyGeometry(pt);
    return at;
}

TextItem label_style(const std::string &text, double size, Color color) {
    TextItem t;
    t.text = text;
    t.size = size;
    t.color = color;
    t.halo = {255, 255, 255, 0.85};
    t.halo_width = 2.4;
    t.role = "label";
    return t;
}

std::vector<std::string> gazetteer_refs(const std::vector<Layer> &atlas) {
    std::set<std::string> seen;
    for (const char *name : {"places", "crossings", "camps"})
        if (const Layer *l = find_layer(atlas, name))
            for (const auto &f : l->features) {
                std::string s = field_text(*l, f, "source");
                std::transform(s.begin(), s.end(), s.begin(),
                               [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
                if (s.find("geonames") != std::string::npos)
                    seen.insert("GeoNames");
                if (s.find("wikipedia") != std::string::npos)
                    seen.insert("Wikipedia");
                if (s.find("hiu") != std::string::npos)
                    seen.insert("U.S. Department of State HIU");
            }
    return {seen.begin(), seen.end()};
}

std::string join(const std::vector<std::string> &v, const std::string &sep) {
    std::string out;
    for (const auto &s : v)
        out += (out.empty() ? "" : sep) + s;
    return out;
}

std::vector<double> flow_references(double max_value) {
    if (max_value <= 0)
        return {};
    const double p = std::pow(10, std::floor(std::log10(max_value)));
    double top = p;
    for (const double k : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (k * p <= max_value)
            top = k * p;
    std::vector<double> out{top};
    if (top / 4 >= 1)
        out.push_back(top / 4);
    if (top / 20 >= 1)
        out.push_back(top / 20);
    return out;
}

std::string display_text(const Layer &layer, const Feature &f, const std::string &field) {
    return displayable_utf8(field_text(layer, f, field));
}

void flow_boxes(const PathItem &p, LabelPlacer &labels) {
    if (p.ops.empty())
        return;
    if (!p.fill.none()) { // a filled shape (the arrowhead): its bounding box
        labels.add_obstacle(path_bounds(p), true);
        return;
    }
    // A stroked line: boxes of the stroke's half-width every `step` points along it, so that no
    // label box centred on the line fits between two of them.
    const double r = std::max(p.width / 2, 1.0), step = 3;
    Pt last = p.ops.front().p;
    double to_next = 0; // arc length to the next box
    const auto walk = [&](Pt from, Pt to) {
        const double len = std::hypot(to.x - from.x, to.y - from.y);
        double at = to_next;
        while (at <= len) {
            const double t = len > 0 ? at / len : 0;
            const Pt q{from.x + t * (to.x - from.x), from.y + t * (to.y - from.y)};
            labels.add_obstacle({q.x - r, q.y - r, q.x + r, q.y + r}, true);
            at += step;
        }
        to_next = at - len;
    };
    for (const auto &o : p.ops) {
        if (o.kind == PathOp::move) {
            last = o.p;
            to_next = 0;
        } else if (o.kind == PathOp::line) {
            walk(last, o.p);
            last = o.p;
        } else if (o.kind == PathOp::curve) {
            // The Bézier curve as a polyline fine enough for 3-point steps.
            const int n = 64;
            Pt prev = last;
            for (int i = 1; i <= n; ++i) {
                const double t = static_cast<double>(i) / n, u = 1 - t;
                const Pt q{u * u * u * last.x + 3 * u * u * t * o.c1.x + 3 * u * t * t * o.c2.x +
                               t * t * t * o.p.x,
                           u * u * u * last.y + 3 * u * u * t * o.c1.y + 3 * u * t * t * o.c2.y +
                               t * t * t * o.p.y};
                walk(prev, q);
                prev = q;
            }
            last = o.p;
        }
    }
    // The end itself, whatever the remainder of the last step.
    labels.add_obstacle({last.x - r, last.y - r, last.x + r, last.y + r}, true);
}

} // namespace sitmap::render
