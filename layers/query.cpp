#include "layers/query.hpp"

#include "geo/error.hpp"
#include "geo/geodesic.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <variant>

namespace sitmap {
namespace {

bool is_point(const Feature& f) {
    return f.geometry && wkbFlatten(f.geometry->getGeometryType()) == wkbPoint &&
           !f.geometry->IsEmpty();
}

std::string as_of(const Feature& f, int i) {
    if (i < 0) return "";
    const auto* s = std::get_if<std::string>(&f.values[static_cast<std::size_t>(i)]);
    return s ? *s : "";
}

// Smallest geodesic distance from c to a vertex of g, in km.
double vertex_distance_km(const OGRGeometry& g, LonLat c) {
    double best = std::numeric_limits<double>::infinity();
    auto curve = [&](const OGRSimpleCurve& l) {
        for (int i = 0; i < l.getNumPoints(); ++i)
            best = std::min(best, geodesic_distance_m(c, {l.getX(i), l.getY(i)}) / 1000.0);
    };
    switch (wkbFlatten(g.getGeometryType())) {
    case wkbPoint:
        best = geodesic_distance_m(c, {g.toPoint()->getX(), g.toPoint()->getY()}) / 1000.0;
        break;
    case wkbLineString: curve(*g.toLineString()); break;
    case wkbPolygon:
        for (const auto* ring : *g.toPolygon()) curve(*ring);
        break;
    case wkbMultiPoint:
    case wkbMultiLineString:
    case wkbMultiPolygon:
    case wkbGeometryCollection:
        for (const auto* part : *g.toGeometryCollection())
            best = std::min(best, vertex_distance_km(*part, c));
        break;
    default: break;
    }
    return best;
}

// Distance from c to a feature: exact for points; 0 inside a polygon; otherwise to the
// nearest vertex (the places a flow line joins).
double distance_km(const OGRGeometry& g, LonLat c) {
    const auto t = wkbFlatten(g.getGeometryType());
    if (t == wkbPolygon || t == wkbMultiPolygon) {
        OGRPoint p(c.lon, c.lat);
        if (g.Intersects(&p)) return 0;
    }
    return vertex_distance_km(g, c);
}

} // namespace

QueryArea make_area(std::string label, const std::vector<const OGRGeometry*>& polygons) {
    QueryArea a;
    a.label = std::move(label);
    std::unique_ptr<OGRGeometry> u;
    for (const auto* g : polygons) {
        if (g == nullptr) continue;
        a.parts.push_back(region_from_ogr(*g));
        if (!u) u.reset(g->clone());
        else if (auto* next = u->Union(g)) u.reset(next);
    }
    if (!u) u = std::make_unique<OGRMultiPolygon>();
    a.geometry = std::shared_ptr<OGRGeometry>(u.release());
    return a;
}

std::array<double, 4> parse_bbox(const std::string& s) {
    std::array<double, 4> b{};
    std::size_t pos = 0;
    for (int i = 0; i < 4; ++i) {
        const std::size_t end = i < 3 ? s.find(',', pos) : s.size();
        if (end == std::string::npos) break;
        const auto r = std::from_chars(s.data() + pos, s.data() + end, b[i]);
        if (r.ec != std::errc() || r.ptr != s.data() + end)
            throw UsageError("--bbox '" + s + "': expected four numbers minlon,minlat,maxlon,maxlat");
        pos = end + 1;
        if (i == 3) {
            if (b[0] > b[2] || b[1] > b[3])
                throw UsageError("--bbox '" + s + "': min is greater than max");
            if (std::abs(b[0]) > 180 || std::abs(b[2]) > 180 || std::abs(b[1]) > 90 ||
                std::abs(b[3]) > 90)
                throw UsageError("--bbox '" + s + "': not lon/lat degrees");
            return b;
        }
    }
    throw UsageError("--bbox '" + s + "': expected four numbers minlon,minlat,maxlon,maxlat");
}

std::vector<QueryHit> run_query(const Layer& layer, const QuerySpec& spec) {
    const bool spatial = spec.within || spec.intersects || spec.bbox || spec.near || spec.nearest;
    if (spatial && layer.geometry_type == wkbNone)
        throw UsageError("layer '" + layer.name + "' has no geometry (a table): spatial filters "
                         "do not apply; use --where");
    int as_of_i = -1;
    if (!spec.from.empty() || !spec.to.empty()) {
        for (std::size_t i = 0; i < layer.fields.size(); ++i)
            if (layer.fields[i].name == "as_of") as_of_i = static_cast<int>(i);
        if (as_of_i < 0)
            throw UsageError("--from/--to filter on the as_of date; layer '" + layer.name +
                             "' has no as_of field (fields: " + list_fields(layer.fields) + ")");
    }
    std::optional<RegionIndex> within_index;
    if (spec.within) within_index.emplace(spec.within->parts);
    const std::optional<LonLat> centre = spec.near ? spec.near : spec.nearest;

    std::vector<QueryHit> hits;
    for (std::size_t i = 0; i < layer.features.size(); ++i) {
        const Feature& f = layer.features[i];
        if (spec.where && !spec.where->matches(f)) continue;
        if (as_of_i >= 0) {
            const std::string d = as_of(f, as_of_i);
            if (d.empty() || (!spec.from.empty() && d < spec.from) ||
                (!spec.to.empty() && d > spec.to))
                continue;
        }
        QueryHit h{i, std::nullopt};
        if (spatial) {
            if (!f.geometry || f.geometry->IsEmpty()) continue;
            const bool point = is_point(f);
            const OGRPoint* p = point ? f.geometry->toPoint() : nullptr;
            if (spec.within) {
                const bool in = point ? within_index->locate(p->getX(), p->getY()) != RegionIndex::none
                                      : f.geometry->Within(spec.within->geometry.get());
                if (!in) continue;
            }
            if (spec.intersects && !f.geometry->Intersects(spec.intersects.get())) continue;
            if (spec.bbox) {
                OGREnvelope e;
                f.geometry->getEnvelope(&e);
                const auto& b = *spec.bbox;
                if (e.MaxX < b[0] || e.MinX > b[2] || e.MaxY < b[1] || e.MinY > b[3]) continue;
            }
            if (centre) {
                const double km = distance_km(*f.geometry, *centre);
                if (spec.near && km > spec.km) continue;
                h.distance_km = km;
            }
        }
        hits.push_back(h);
    }
    if (centre) {
        std::stable_sort(hits.begin(), hits.end(), [](const QueryHit& a, const QueryHit& b) {
            return *a.distance_km < *b.distance_km;
        });
        if (spec.nearest && hits.size() > spec.k) hits.resize(spec.k);
    }
    if (spec.limit > 0 && hits.size() > spec.limit) hits.resize(spec.limit);
    return hits;
}

std::string format_number(double v) {
    char buf[64];
    if (std::isfinite(v) && v == std::floor(v) && std::abs(v) < 1e15)
        std::snprintf(buf, sizeof buf, "%.0f", v);
    else
        std::snprintf(buf, sizeof buf, "%.15g", v);
    return buf;
}

std::string value_text(const Value& v) {
    if (const auto* s = std::get_if<std::string>(&v)) return *s;
    if (const auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
    if (const auto* d = std::get_if<double>(&v)) return format_number(*d);
    return "";
}

std::string field_text(const Layer& layer, const Feature& f, const std::string& field) {
    for (std::size_t i = 0; i < layer.fields.size() && i < f.values.size(); ++i)
        if (layer.fields[i].name == field) return value_text(f.values[i]);
    return "";
}

std::string text_table(const std::vector<std::vector<std::string>>& rows) {
    if (rows.empty()) return "";
    auto width_of = [](const std::string& s) {
        std::size_t w = 0;
        for (unsigned char c : s) w += (c & 0xC0) != 0x80;
        return w;
    };
    std::vector<std::size_t> width(rows[0].size(), 0);
    for (const auto& r : rows)
        for (std::size_t i = 0; i < r.size() && i < width.size(); ++i)
            width[i] = std::max(width[i], width_of(r[i]));
    std::string out;
    for (const auto& r : rows) {
        std::string line;
        for (std::size_t i = 0; i < r.size(); ++i) {
            line += r[i];
            if (i + 1 < r.size()) line += std::string(width[i] - width_of(r[i]) + 2, ' ');
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += line + "\n";
    }
    return out;
}

} // namespace sitmap
