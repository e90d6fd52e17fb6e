#include "layers/regions.hpp"

#include "geo/admin1.hpp"
#include "geo/error.hpp"
#include "layers/gdal_io.hpp"

#include <ogr_api.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>

namespace sitmap {
namespace {

OGRSpatialReference wgs84() {
    OGRSpatialReference s;
    s.SetWellKnownGeogCS("WGS84");
    s.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return s;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool digits(const std::string& s, std::size_t from, std::size_t n) {
    if (s.size() < from + n) return false;
    for (std::size_t i = from; i < from + n; ++i)
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    return true;
}

// The governorate a code names, by the kind of code. `fips` says the field holds FIPS codes
// (SY01 is al-Hasakah there, Damascus for OCHA, so the field name decides).
const Admin1* admin1_of(const std::string& v, bool fips, const Admin1Table& t) {
    if (v.empty()) return nullptr;
    if (fips) return t.by_fips(v);
    if (v.size() == 5 && v.rfind("SY-", 0) == 0) return t.by_iso(v);
    if (v.rfind("SYR", 0) == 0 && digits(v, 3, 3) && v[3] == '0')
        return t.by_pcode("SY" + v.substr(4, 2));
    if (v.rfind("SY", 0) == 0 && digits(v, 2, 2) && (v.size() == 4 || digits(v, 2, v.size() - 2)))
        return t.by_pcode(v.substr(0, 4));
    return nullptr;
}

// Reads geometries as WGS84 multipolygons; throws InputError naming the file on other types.
class Reader {
public:
    Reader(const std::string& path, OGRLayer& layer) : path_(path) {
        const OGRSpatialReference* src = layer.GetSpatialRef();
        target_ = wgs84();
        if (src != nullptr) {
            OGRSpatialReference s(*src);
            s.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
            if (!s.IsSame(&target_)) {
                ct_.reset(OGRCreateCoordinateTransformation(&s, &target_));
                if (!ct_) throw InputError(path, 0, "cannot reproject its CRS to WGS84");
            }
        }
    }
    std::shared_ptr<OGRGeometry> geometry(OGRFeature& f) const {
        const OGRGeometry* g = f.GetGeometryRef();
        if (g == nullptr) return nullptr;
        const auto t = wkbFlatten(g->getGeometryType());
        if (t != wkbPolygon && t != wkbMultiPolygon)
            throw InputError(path_, 0,
                             "feature " + std::to_string(f.GetFID()) + " is not a polygon");
        std::unique_ptr<OGRGeometry> c(g->clone());
        if (ct_ && c->transform(ct_.get()) != OGRERR_NONE)
            throw InputError(path_, 0, "cannot reproject feature " + std::to_string(f.GetFID()));
        c->assignSpatialReference(nullptr);
        std::shared_ptr<OGRGeometry> m(OGRGeometryFactory::forceToMultiPolygon(c.release()));
        return m;
    }

private:
    std::string path_;
    OGRSpatialReference target_;
    std::unique_ptr<OGRCoordinateTransformation> ct_;
};

// A point inside a polygon or multipolygon (GEOS through OGR), or nullopt.
std::optional<LonLat> surface_point(const OGRGeometry& g) {
    OGRGeometryH p = OGR_G_PointOnSurface(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(&g)));
    if (p == nullptr) return std::nullopt;
    const LonLat out{OGR_G_GetX(p, 0), OGR_G_GetY(p, 0)};
    OGR_G_DestroyGeometry(p);
    return out;
}

std::pair<std::string, std::string> split_layer(const std::string& spec) {
    const auto bar = spec.find("|layername=");
    if (bar == std::string::npos) return {spec, ""};
    return {spec.substr(0, bar), spec.substr(bar + 11)};
}

void finish_levels(RegionSet& set) {
    std::map<std::string, int> per_iso;
    for (const auto& r : set.regions) ++per_iso[r.iso];
    for (auto& r : set.regions) {
        const bool single = per_iso[r.iso] == 1;
        r.level = single ? "governorate" : "subdivision";
        r.id = single ? r.iso : r.source_code;
    }
    std::stable_sort(set.regions.begin(), set.regions.end(),
                     [](const AtlasRegion& a, const AtlasRegion& b) { return a.id < b.id; });
}

} // namespace

std::string default_world_map() { return "/usr/share/qgis/resources/data/world_map.gpkg"; }

const AtlasRegion* RegionSet::region_at(LonLat p) const {
    const OGRPoint pt(p.lon, p.lat);
    for (const auto& r : regions) {
        if (!r.geometry) continue;
        OGREnvelope e;
        r.geometry->getEnvelope(&e);
        if (p.lon < e.MinX || p.lon > e.MaxX || p.lat < e.MinY || p.lat > e.MaxY) continue;
        if (r.geometry->Contains(&pt)) return &r;
    }
    return nullptr;
}

std::optional<LonLat> RegionSet::point_on_surface(const std::string& iso) const {
    OGRMultiPolygon all;
    for (const auto& r : regions) {
        if (r.iso != iso || !r.geometry) continue;
        const auto* mp = r.geometry->toMultiPolygon();
        for (const auto* poly : mp) all.addGeometry(poly);
    }
    if (all.IsEmpty()) return std::nullopt;
    std::unique_ptr<OGRGeometry> u(all.getNumGeometries() > 1 ? all.UnionCascaded()
                                                              : all.clone());
    if (!u) return std::nullopt;
    return surface_point(*u);
}

RegionSet load_natural_earth_regions(const std::string& world_map, const Admin1Table& admin1) {
    auto ds = open_vector(world_map);
    OGRLayer* layer = ds->GetLayerByName("states_provinces");
    if (layer == nullptr) throw InputError(world_map, 0, "no layer 'states_provinces'");
    RegionSet set;
    set.source = world_map + "|layername=states_provinces";
    set.key_field = "fips";
    Reader reader(world_map, *layer);
    layer->SetAttributeFilter("iso_a2 = 'SY'");
    for (auto& f : *layer) {
        const char* fips = f->GetFieldAsString("fips");
        const Admin1* a = admin1_of(fips ? fips : "", true, admin1);
        if (a == nullptr) continue; // the UNDOF zone has no fips code: not a governorate
        AtlasRegion r;
        r.iso = a->iso;
        r.name = a->name;
        r.pcode = a->ocha_pcode;
        r.source_code = fips;
        r.geometry = reader.geometry(*f);
        set.regions.push_back(std::move(r));
    }
    layer->SetAttributeFilter(nullptr);
    if (set.regions.size() != admin1.all().size())
        throw InputError(world_map, 0,
                         "expected " + std::to_string(admin1.all().size()) +
                             " Syrian governorates in states_provinces, found " +
                             std::to_string(set.regions.size()));
    finish_levels(set);
    set.countries = load_neighbour_countries(world_map);
    return set;
}

RegionSet load_regions(const std::string& spec, const Admin1Table& admin1) {
    const auto [path, layer_name] = split_layer(spec);
    auto ds = open_vector(path);
    OGRLayer* layer = layer_name.empty() ? ds->GetLayer(0) : ds->GetLayerByName(layer_name.c_str());
    if (layer == nullptr)
        throw InputError(path, 0,
                         layer_name.empty() ? "has no layer" : "no layer '" + layer_name + "'");
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    const int nfields = defn->GetFieldCount();

    // Score every field by how many features its values map to a governorate.
    std::vector<std::size_t> hits(static_cast<std::size_t>(nfields), 0);
    std::size_t features = 0;
    layer->ResetReading();
    for (auto& f : *layer) {
        ++features;
        for (int i = 0; i < nfields; ++i) {
            const bool fips = lower(defn->GetFieldDefn(i)->GetNameRef()).find("fips") !=
                              std::string::npos;
            if (f->IsFieldSetAndNotNull(i) &&
                admin1_of(f->GetFieldAsString(i), fips, admin1) != nullptr)
                ++hits[static_cast<std::size_t>(i)];
        }
    }
    if (features == 0) throw InputError(path, 0, "the region layer has no features");
    int key = -1;
    for (int i = 0; i < nfields; ++i)
        if (hits[static_cast<std::size_t>(i)] > 0 &&
            (key < 0 || hits[static_cast<std::size_t>(i)] > hits[static_cast<std::size_t>(key)]))
            key = i;
    if (key < 0)
        throw InputError(path, 0,
                         "no field holds governorate codes (ISO 3166-2 such as SY-DR, OCHA "
                         "p-codes such as SY12, UNHCR codes such as SYR012, or FIPS codes in a "
                         "field named 'fips')");
    int name_field = -1;
    for (const char* n : {"name", "admname", "adm2_en", "adm1_en", "adm3_en", "name_en",
                          "shapename"}) {
        for (int i = 0; i < nfields && name_field < 0; ++i)
            if (lower(defn->GetFieldDefn(i)->GetNameRef()) == n) name_field = i;
    }
    for (int i = 0; i < nfields && name_field < 0; ++i)
        if (lower(defn->GetFieldDefn(i)->GetNameRef()).find("name") != std::string::npos)
            name_field = i;

    RegionSet set;
    set.source = path + (layer_name.empty() ? "" : "|layername=" + layer_name);
    set.key_field = defn->GetFieldDefn(key)->GetNameRef();
    const bool fips = lower(set.key_field).find("fips") != std::string::npos;
    Reader reader(path, *layer);
    std::optional<RegionSet> reference; // Natural Earth, for features without a code
    layer->ResetReading();
    for (auto& f : *layer) {
        const std::string code = f->GetFieldAsString(key);
        const Admin1* a = admin1_of(code, fips, admin1);
        if (a == nullptr) {
            // No code: key the feature by where it lies (its point on surface in the Natural
            // Earth governorates), when that reference is available.
            auto g = reader.geometry(*f);
            if (g && !reference && std::filesystem::exists(default_world_map()))
                reference = load_natural_earth_regions(default_world_map(), admin1);
            if (g && reference)
                if (auto pt = surface_point(*g))
                    if (const AtlasRegion* ref = reference->region_at(*pt)) a = admin1.by_iso(ref->iso);
            if (a == nullptr)
                throw InputError(path, 0,
                                 "feature " + std::to_string(f->GetFID()) + ": field '" +
                                     set.key_field + "' value '" + code +
                                     "' names no Syrian governorate");
        }
        AtlasRegion r;
        r.iso = a->iso;
        r.pcode = a->ocha_pcode;
        r.source_code = code.empty() ? "fid:" + std::to_string(f->GetFID()) : code;
        r.name = name_field >= 0 ? f->GetFieldAsString(name_field) : a->name;
        r.geometry = reader.geometry(*f);
        if (!r.geometry) continue;
        set.regions.push_back(std::move(r));
    }
    finish_levels(set);
    if (std::filesystem::exists(default_world_map()))
        set.countries = load_neighbour_countries(default_world_map());
    return set;
}

std::vector<Country> load_neighbour_countries(const std::string& world_map) {
    std::vector<Country> out;
    if (!std::filesystem::exists(world_map)) return out;
    auto ds = open_vector(world_map);
    OGRLayer* layer = ds->GetLayerByName("countries");
    if (layer == nullptr) return out;
    Reader reader(world_map, *layer);
    std::shared_ptr<OGRGeometry> syria;
    std::vector<Country> all;
    for (auto& f : *layer) {
        Country c{f->GetFieldAsString("ISO_A3"), f->GetFieldAsString("NAME"), nullptr};
        c.geometry = reader.geometry(*f);
        if (!c.geometry) continue;
        if (c.iso3 == "SYR") syria = c.geometry;
        else all.push_back(std::move(c));
    }
    if (!syria) return out;
    // Neighbours: countries within 0.1 degree of Syria (touching, allowing for the coarse
    // boundaries of the 1:10m set).
    std::unique_ptr<OGRGeometry> near(syria->Buffer(0.1, 8));
    OGREnvelope ne;
    near->getEnvelope(&ne);
    for (auto& c : all) {
        OGREnvelope e;
        c.geometry->getEnvelope(&e);
        if (!e.Intersects(ne)) continue;
        if (c.geometry->Intersects(near.get())) out.push_back(std::move(c));
    }
    std::sort(out.begin(), out.end(),
              [](const Country& a, const Country& b) { return a.iso3 < b.iso3; });
    return out;
}

} // namespace sitmap
