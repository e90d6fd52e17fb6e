#include "layers/region_source.hpp"

#include "geo/error.hpp"
#include "layers/gdal_io.hpp"

#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <memory>

namespace sitmap {
namespace {

struct GeomDeleter {
    void operator()(OGRGeometry* g) const { OGRGeometryFactory::destroyGeometry(g); }
};
using GeomPtr = std::unique_ptr<OGRGeometry, GeomDeleter>;

Ring to_ring(const OGRLinearRing* r) {
    Ring ring;
    if (r == nullptr) return ring;
    const int n = r->getNumPoints();
    ring.points.reserve(std::size_t(n));
    for (int i = 0; i < n; ++i) ring.points.emplace_back(r->getX(i), r->getY(i));
    return ring;
}

void add_polygons(const OGRGeometry* g, Region& out) {
    switch (wkbFlatten(g->getGeometryType())) {
    case wkbPolygon: {
        const auto* p = g->toPolygon();
        if (p->IsEmpty()) return;
        Polygon poly;
        poly.outer = to_ring(p->getExteriorRing());
        for (int i = 0; i < p->getNumInteriorRings(); ++i)
            poly.holes.push_back(to_ring(p->getInteriorRing(i)));
        out.polygons.push_back(std::move(poly));
        return;
    }
    case wkbMultiPolygon:
    case wkbGeometryCollection: // MakeValid may return a collection; keep its polygons
        for (const auto* part : *g->toGeometryCollection()) add_polygons(part, out);
        return;
    default:
        return; // points and lines left by MakeValid carry no area
    }
}

bool is_polygonal(OGRwkbGeometryType t) {
    t = wkbFlatten(t);
    return t == wkbPolygon || t == wkbMultiPolygon || t == wkbCurvePolygon || t == wkbMultiSurface;
}

std::string crs_name(const OGRSpatialReference* srs) {
    if (srs == nullptr) return "";
    const char* auth = srs->GetAuthorityName(nullptr);
    const char* code = srs->GetAuthorityCode(nullptr);
    if (auth && code) return std::string(auth) + ":" + code;
    const char* name = srs->GetName();
    return name ? name : "";
}

} // namespace

std::size_t RegionLayer::field_index(const std::string& name) const {
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i] == name) return i;
    throw UsageError("layer '" + layer + "' of '" + path + "' has no field '" + name + "'");
}

std::string RegionLayer::value(std::size_t i, const std::string& field) const {
    const auto& v = features.at(i).values.at(field_index(field));
    return v ? *v : std::string();
}

std::vector<Region> RegionLayer::regions() const {
    std::vector<Region> out;
    out.reserve(features.size());
    for (const auto& f : features) out.push_back(f.geometry);
    return out;
}

Region region_from_ogr(const OGRGeometry& g) {
    Region r;
    add_polygons(&g, r);
    return r;
}

RegionLayer read_regions(const std::string& path, const RegionSourceOptions& opt) {
    GDALDatasetUniquePtr ds = open_vector(path);
    GdalErrorScope scope;
    OGRLayer* layer = opt.layer.empty() ? ds->GetLayer(0) : ds->GetLayerByName(opt.layer.c_str());
    if (layer == nullptr) {
        throw InputError(path, 0, opt.layer.empty() ? "no layer in it"
                                                    : "no layer named '" + opt.layer + "'");
    }
    RegionLayer out;
    out.path = path;
    out.layer = layer->GetName();
    if (!opt.where.empty() && layer->SetAttributeFilter(opt.where.c_str()) != OGRERR_NONE) {
        throw InputError(path, 0, "invalid attribute filter '" + opt.where + "' on layer '" +
                                      out.layer + "': " + scope.last_error());
    }
    const OGRwkbGeometryType declared = layer->GetGeomType();
    if (declared != wkbUnknown && !is_polygonal(declared)) {
        throw InputError(path, 0, "layer '" + out.layer + "' holds " +
                                      OGRGeometryTypeToName(declared) +
                                      " geometries, not polygons");
    }

    OGRFeatureDefn* defn = layer->GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i)
        out.fields.emplace_back(defn->GetFieldDefn(i)->GetNameRef());

    const OGRSpatialReference* src = layer->GetSpatialRef();
    out.source_crs = crs_name(src);
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> ct;
    if (src != nullptr && !src->IsSame(&wgs84)) {
        OGRSpatialReference s(*src);
        s.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        ct.reset(OGRCreateCoordinateTransformation(&s, &wgs84));
        if (!ct) {
            throw InputError(path, 0, "cannot transform from " + out.source_crs +
                                          " to EPSG:4326: " + scope.last_error());
        }
    }

    layer->ResetReading();
    for (auto& feat : *layer) {
        RegionFeature rf;
        rf.fid = feat->GetFID();
        for (int i = 0; i < defn->GetFieldCount(); ++i) {
            if (!feat->IsFieldSetAndNotNull(i)) rf.values.emplace_back(std::nullopt);
            else rf.values.emplace_back(std::string(feat->GetFieldAsString(i)));
        }
        const OGRGeometry* g0 = feat->GetGeometryRef();
        if (g0 == nullptr || g0->IsEmpty()) {
            ++out.skipped_empty;
            continue;
        }
        if (!is_polygonal(g0->getGeometryType())) {
            throw InputError(path, 0, "feature " + std::to_string(rf.fid) + " of layer '" +
                                          out.layer + "' is a " + g0->getGeometryName() +
                                          ", not a polygon");
        }
        GeomPtr g(g0->clone());
        if (wkbFlatten(g->getGeometryType()) == wkbCurvePolygon ||
            wkbFlatten(g->getGeometryType()) == wkbMultiSurface)
            g.reset(g.release()->getLinearGeometry());
        if (ct && g->transform(ct.get()) != OGRERR_NONE) {
            throw InputError(path, 0, "cannot reproject feature " + std::to_string(rf.fid) +
                                          ": " + scope.last_error());
        }
        if (!g->IsValid()) {
            GeomPtr fixed(g->MakeValid());
            if (!fixed) {
                throw InputError(path, 0, "feature " + std::to_string(rf.fid) +
                                              " is an invalid polygon that GEOS cannot repair");
            }
            g = std::move(fixed);
            rf.repaired = true;
            out.repaired.push_back(rf.fid);
            char* wkt = nullptr;
            if (g->exportToWkt(&wkt) == OGRERR_NONE && wkt) rf.wkt = wkt;
            CPLFree(wkt);
        }
        add_polygons(g.get(), rf.geometry);
        out.features.push_back(std::move(rf));
    }
    return out;
}

} // namespace sitmap
