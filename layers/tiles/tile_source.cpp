#include "layers/tiles/tile_source.hpp"

#include "geo/error.hpp"
#include "geo/utf8.hpp"
#include "layers/gdal_io.hpp"

#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

namespace sitmap::tiles {

void Column::push_null() {
    present.push_back(0);
    if (type == ColumnType::real) reals.push_back(0);
    else ints.push_back(0);
}
void Column::push_int(std::int64_t v) {
    present.push_back(1);
    ints.push_back(v);
}
void Column::push_real(double v) {
    present.push_back(1);
    reals.push_back(v);
}
void Column::push_string(const std::string& v) {
    auto [it, added] = ids_.try_emplace(v, static_cast<std::int64_t>(strings.size()));
    if (added) strings.push_back(v);
    push_int(it->second);
}
void Column::permute(const std::vector<std::uint32_t>& order) {
    auto apply = [&](auto& v) {
        if (v.empty()) return;
        std::remove_reference_t<decltype(v)> out(order.size());
        for (std::size_t i = 0; i < order.size(); ++i) out[i] = v[order[i]];
        v.swap(out);
    };
    apply(ints);
    apply(reals);
    apply(present);
}

namespace {

// `s` with each byte that does not start or continue a well-formed UTF-8 sequence replaced by
// U+FFFD (protobuf strings, and so tile keys and values, must be UTF-8).
std::string valid_utf8(std::string s) {
    std::size_t bad = first_invalid_utf8(s);
    if (bad == std::string::npos) return s;
    std::string out;
    std::string_view rest(s);
    while (bad != std::string::npos) {
        out.append(rest.substr(0, bad));
        out.append("\xEF\xBF\xBD");
        rest.remove_prefix(bad + 1);
        bad = first_invalid_utf8(rest);
    }
    out.append(rest);
    return out;
}

// Field names the cluster features use; a source field of the same name is renamed.
std::string output_name(const std::string& name) {
    const std::string n = valid_utf8(name);
    return n == "count" || n == "clustered" ? "source_" + n : n;
}

ColumnType column_type(const OGRFieldDefn& fd) {
    switch (fd.GetType()) {
    case OFTInteger:
    case OFTInteger64: return fd.GetSubType() == OFSTBoolean ? ColumnType::boolean : ColumnType::integer;
    case OFTReal: return ColumnType::real;
    default: return ColumnType::string;
    }
}

void read_value(OGRFeature& f, int i, Column& c, OGRFieldType ogr) {
    if (!f.IsFieldSetAndNotNull(i)) return c.push_null();
    switch (c.type) {
    case ColumnType::integer:
    case ColumnType::boolean: return c.push_int(f.GetFieldAsInteger64(i));
    case ColumnType::real: return c.push_real(f.GetFieldAsDouble(i));
    case ColumnType::string: break;
    }
    if (ogr == OFTDate || ogr == OFTDateTime) {
        int y = 0, m = 0, d = 0, h = 0, mi = 0, tz = 0;
        float s = 0;
        f.GetFieldAsDateTime(i, &y, &m, &d, &h, &mi, &s, &tz);
        char buf[40];
        if (ogr == OFTDate) std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
        else
            std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d, h, mi,
                          static_cast<int>(s));
        return c.push_string(buf);
    }
    c.push_string(valid_utf8(f.GetFieldAsString(i)));
}

// Appends the rings of a line or polygon geometry (raw source coordinates) to `shape`.
void add_parts(const OGRGeometry& g, Shape& shape) {
    const auto t = wkbFlatten(g.getGeometryType());
    auto ring_xy = [](const OGRSimpleCurve& c) {
        std::vector<double> xy(static_cast<std::size_t>(c.getNumPoints()) * 2);
        for (int i = 0; i < c.getNumPoints(); ++i) {
            xy[2 * static_cast<std::size_t>(i)] = c.getX(i);
            xy[2 * static_cast<std::size_t>(i) + 1] = c.getY(i);
        }
        return xy;
    };
    if (t == wkbLineString) {
        if (shape.kind != ShapeKind::line) return;
        shape.parts.push_back({ring_xy(*g.toLineString())});
    } else if (t == wkbPolygon) {
        if (shape.kind != ShapeKind::polygon) return;
        std::vector<std::vector<double>> rings;
        for (const auto* r : *g.toPolygon()) rings.push_back(ring_xy(*r));
        shape.parts.push_back(std::move(rings));
    } else if (OGR_GT_IsSubClassOf(t, wkbGeometryCollection)) {
        for (const auto* sub : *g.toGeometryCollection()) add_parts(*sub, shape);
    } else if (g.hasCurveGeometry()) {
        std::unique_ptr<OGRGeometry> lin(g.getLinearGeometry());
        if (lin) add_parts(*lin, shape);
    }
}

std::string layer_geometry(OGRwkbGeometryType t) {
    t = wkbFlatten(t);
    if (t == wkbPoint || t == wkbMultiPoint) return "Point";
    if (OGR_GT_IsCurve(t) || OGR_GT_IsSubClassOf(t, wkbMultiCurve)) return "LineString";
    if (OGR_GT_IsSurface(t) || OGR_GT_IsSubClassOf(t, wkbMultiSurface)) return "Polygon";
    return "Unknown";
}

// True when every coordinate is a finite number (PROJ gives NaN where it cannot transform).
bool finite(const std::vector<double>& xy) {
    return std::all_of(xy.begin(), xy.end(), [](double v) { return std::isfinite(v); });
}

SourceLayer read_layer(const std::string& path, OGRLayer& ol) {
    SourceLayer l;
    l.name = valid_utf8(ol.GetName());
    l.geometry = layer_geometry(ol.GetGeomType());
    OGRFeatureDefn* defn = ol.GetLayerDefn();
    std::vector<OGRFieldType> ogr_types;
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        const OGRFieldDefn* fd = defn->GetFieldDefn(i);
        l.field_names.push_back(output_name(fd->GetNameRef()));
        l.field_types.push_back(column_type(*fd));
        ogr_types.push_back(fd->GetType());
    }
    for (std::size_t i = 0; i < l.field_names.size(); ++i) {
        Column c;
        c.name = l.field_names[i];
        c.type = l.field_types[i];
        l.point_columns.push_back(c);
        l.shape_columns.push_back(c);
    }
    std::string wkt;
    if (const OGRSpatialReference* srs = ol.GetSpatialRef()) {
        const char* opts[] = {"FORMAT=WKT2_2019", nullptr};
        char* text = nullptr;
        if (srs->exportToWkt(&text, opts) == OGRERR_NONE && text) wkt = text;
        CPLFree(text);
    }
    std::optional<WorldProjection> proj;
    try {
        proj.emplace(wkt);
    } catch (const WorkError& e) {
        throw InputError(path, 0, "layer '" + l.name +
                                      "': its CRS cannot be transformed to EPSG:4326: " + e.what());
    }

    ol.ResetReading();
    for (auto& f : ol) {
        const OGRGeometry* g = f->GetGeometryRef();
        if (g == nullptr || g->IsEmpty()) {
            ++l.skipped;
            continue;
        }
        const auto t = wkbFlatten(g->getGeometryType());
        std::vector<Column>* cols = nullptr;
        if (t == wkbPoint || t == wkbMultiPoint) {
            double x = 0, y = 0;
            if (t == wkbPoint) {
                x = g->toPoint()->getX();
                y = g->toPoint()->getY();
            } else {
                const auto* mp = g->toMultiPoint();
                for (const auto* p : *mp) x += p->getX(), y += p->getY();
                x /= mp->getNumGeometries();
                y /= mp->getNumGeometries();
            }
            l.point_xy.push_back(x);
            l.point_xy.push_back(y);
            l.point_fid.push_back(f->GetFID());
            cols = &l.point_columns;
        } else {
            Shape s;
            s.kind = g->getDimension() == 2 ? ShapeKind::polygon : ShapeKind::line;
            add_parts(*g, s);
            if (s.parts.empty()) {
                ++l.skipped;
                continue;
            }
            // A shape with a coordinate PROJ cannot transform is not tiled (and does not widen
            // the bounds): it is counted as not projected.
            LonLatBox box;
            bool ok = true;
            for (auto& part : s.parts)
                for (auto& ring : part) {
                    proj->to_world(ring, box);
                    ok = ok && finite(ring);
                }
            if (!ok) {
                ++l.unprojected;
                continue;
            }
            l.bounds.add(box);
            l.shapes.push_back(std::move(s));
            l.shape_fid.push_back(f->GetFID());
            cols = &l.shape_columns;
        }
        for (std::size_t i = 0; i < cols->size(); ++i)
            read_value(*f, static_cast<int>(i), (*cols)[i], ogr_types[i]);
    }
    proj->to_world(l.point_xy, l.bounds);
    // Points whose coordinates PROJ could not transform cannot be placed on a tile.
    auto placed = [&](std::size_t i) {
        return std::isfinite(l.point_xy[2 * i]) && std::isfinite(l.point_xy[2 * i + 1]);
    };
    std::size_t bad = 0;
    for (std::size_t i = 0; i < l.point_count(); ++i)
        if (!placed(i)) ++bad;
    if (bad > 0) {
        std::vector<std::uint32_t> keep;
        for (std::size_t i = 0; i < l.point_count(); ++i)
            if (placed(i)) keep.push_back(static_cast<std::uint32_t>(i));
        std::vector<double> xy;
        std::vector<std::int64_t> fid;
        for (auto i : keep) {
            xy.push_back(l.point_xy[2 * i]);
            xy.push_back(l.point_xy[2 * i + 1]);
            fid.push_back(l.point_fid[i]);
        }
        l.point_xy.swap(xy);
        l.point_fid.swap(fid);
        for (auto& c : l.point_columns) c.permute(keep);
        l.unprojected += bad;
    }
    return l;
}

} // namespace

std::vector<SourceLayer> read_source(const std::string& path,
                                     const std::vector<std::string>& layer_names) {
    auto ds = open_vector(path);
    GdalErrorScope scope;
    std::vector<OGRLayer*> chosen;
    if (layer_names.empty()) {
        for (auto* ol : ds->GetLayers()) {
            const std::string name = ol->GetName();
            if (name == "atlas_fields" || name == "layer_styles") continue;
            if (wkbFlatten(ol->GetGeomType()) == wkbNone) continue;
            chosen.push_back(ol);
        }
        if (chosen.empty()) throw InputError(path, 0, "has no layer with geometries");
    } else {
        for (const auto& n : layer_names) {
            OGRLayer* ol = ds->GetLayerByName(n.c_str());
            if (ol == nullptr) throw InputError(path, 0, "has no layer '" + n + "'");
            if (wkbFlatten(ol->GetGeomType()) == wkbNone)
                throw InputError(path, 0, "layer '" + n + "' has no geometry");
            // A tile holds each layer name once.
            if (std::find(chosen.begin(), chosen.end(), ol) == chosen.end()) chosen.push_back(ol);
        }
    }
    std::vector<SourceLayer> out;
    for (auto* ol : chosen) out.push_back(read_layer(path, *ol));
    if (!scope.last_error().empty())
        throw InputError(path, 0, "GDAL cannot read it: " + scope.last_error());
    return out;
}

} // namespace sitmap::tiles
