#include "layers/atlas.hpp"

#include "geo/admin1.hpp"
#include "geo/gazetteer.hpp"
#include "geo/geocoder.hpp"
#include "layers/audit.hpp"

#include <geodesic.h>

#include <cmath>
#include <map>
#include <stdexcept>

namespace sitmap {
namespace {

Value opt(const std::optional<double>& v) { return v ? Value{*v} : Value{}; }

double ring_area_m2(const OGRLinearRing& ring) {
    static const geod_geodesic g = [] {
        geod_geodesic x{};
        geod_init(&x, 6378137.0, 1.0 / 298.257223563);
        return x;
    }();
    const int n = ring.getNumPoints() - 1; // closed ring: the last point repeats the first
    if (n < 3) return 0;
    std::vector<double> lats(static_cast<std::size_t>(n)), lons(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        lats[static_cast<std::size_t>(i)] = ring.getY(i);
        lons[static_cast<std::size_t>(i)] = ring.getX(i);
    }
    double area = 0, perim = 0;
    geod_polygonarea(&g, lats.data(), lons.data(), n, &area, &perim);
    return std::fabs(area);
}

double polygon_area_m2(const OGRPolygon& p) {
    double a = ring_area_m2(*p.getExteriorRing());
    for (int i = 0; i < p.getNumInteriorRings(); ++i) a -= ring_area_m2(*p.getInteriorRing(i));
    return a;
}

// Value field tag for HXL, by layer.
std::string value_hxl(const std::string& layer) {
    if (layer == "returns") return "#affected+returnees";
    if (layer == "intended_returns") return "#affected+returnees+intended";
    if (layer == "camp_population") return "#population+camp";
    if (layer == "facilities") return "#indicator+facilities+num";
    return "#indicator+value+num";
}

} // namespace

double geodesic_area_km2(const OGRGeometry& geom) {
    const auto t = wkbFlatten(geom.getGeometryType());
    double a = 0;
    if (t == wkbPolygon) a = polygon_area_m2(*geom.toPolygon());
    else if (t == wkbMultiPolygon)
        for (const auto* p : geom.toMultiPolygon()) a += polygon_area_m2(*p);
    return a / 1e6;
}

const Layer& Atlas::layer(const std::string& name) const {
    for (const auto& l : layers)
        if (l.name == name) return l;
    throw std::out_of_range("the atlas has no layer '" + name + "'");
}

std::string record_layer_name(const std::string& category) {
    if (category == "returns" || category == "facilities" || category == "camp_population" ||
        category == "intended_returns")
        return category;
    return "other_figures";
}

const std::vector<std::string>& atlas_layer_names() {
    static const std::vector<std::string> names = {
        "countries", "regions",   "zones",     "flows",           "returns",
        "intended_returns", "camp_population", "facilities", "other_figures", "places",
        "crossings", "camps",     "unresolved", "audit"};
    return names;
}

Layer make_regions_layer(const RegionSet& regions, const Admin1Table& admin1,
                         const std::vector<Record>& records, const std::vector<Located>& located) {
    Layer l;
    l.name = "regions";
    l.geometry_type = wkbMultiPolygon;
    l.fields = {{"region_id", FieldType::string, "#adm1+code+iso"},
                {"name", FieldType::string, "#adm1+name"},
                {"name_ar", FieldType::string, "#adm1+name+i_ar"},
                {"iso_3166_2", FieldType::string, "#adm1+code+iso"},
                {"ocha_pcode", FieldType::string, "#adm1+code"},
                {"level", FieldType::string, ""},
                {"source_code", FieldType::string, ""},
                {"returns", FieldType::integer, "#affected+returnees+records"},
                {"facilities", FieldType::integer, "#indicator+facilities+records"},
                {"records", FieldType::integer, "#meta+records"},
                {"source", FieldType::string, "#meta+source"}};
    // Records located inside each region (finer than the region's own level are counted where
    // their point lies; records located to a whole governorate count for that governorate).
    std::map<std::string, std::array<std::int64_t, 3>> counts;
    for (std::size_t i = 0; i < records.size(); ++i) {
        const auto& loc = located[i];
        if (loc.region_id.empty()) continue;
        auto& c = counts[loc.region_id];
        c[0] += records[i].category == "returns";
        c[1] += records[i].category == "facilities";
        c[2] += 1;
    }
    for (const auto& r : regions.regions) {
        const Admin1* a = admin1.by_iso(r.iso);
        const auto c = counts[r.id];
        Feature f;
        f.geometry = r.geometry;
        f.values = {r.id,          r.name,         a && r.level == "governorate" ? Value{a->name_ar} : Value{},
                    r.iso,         r.pcode,        r.level,
                    r.source_code, c[0],           c[1],
                    c[2],          regions.source};
        l.features.push_back(std::move(f));
    }
    return l;
}

Layer make_countries_layer(const RegionSet& regions) {
    Layer l;
    l.name = "countries";
    l.geometry_type = wkbMultiPolygon;
    l.fields = {{"iso3", FieldType::string, "#country+code"},
                {"name", FieldType::string, "#country+name"},
                {"role", FieldType::string, ""}};
    for (const auto& c : regions.countries) {
        Feature f;
        f.geometry = c.geometry;
        f.values = {c.iso3, c.name, std::string("neighbour (context)")};
        l.features.push_back(std::move(f));
    }
    return l;
}

Layer make_zones_layer(const std::vector<Zone>& zones, const Gazetteer& g,
                       const std::vector<Located>& located) {
    Layer l;
    l.name = "zones";
    l.geometry_type = wkbPolygon;
    l.fields = {{"name", FieldType::string, "#loc+name"},
                {"centre_id", FieldType::string, "#loc+id"},
                {"centre_name", FieldType::string, ""},
                {"radius_km", FieldType::real, ""},
                {"vertices", FieldType::integer, ""},
                {"area_km2", FieldType::real, ""},
                {"places", FieldType::integer, ""},
                {"records", FieldType::integer, "#meta+records"},
                {"source", FieldType::string, "#meta+source"}};
    for (const auto& z : zones) {
        std::int64_t places = 0, records = 0;
        for (const Place& p : g.places())
            if (p.country == "SYR" && p.kind != Kind::country && z.contains(p.point)) ++places;
        for (const auto& loc : located)
            if (loc.point && loc.precision <= Precision::district && z.contains(*loc.point))
                ++records;
        Feature f;
        f.geometry = z.geometry;
        f.values = {z.def.name, z.def.centre_id, z.centre->name, z.def.radius_km,
                    static_cast<std::int64_t>(z.vertices),
                    std::round(geodesic_area_km2(*z.geometry) * 1000) / 1000, places, records,
                    z.def.source};
        l.features.push_back(std::move(f));
    }
    return l;
}

Layer make_record_layer(const std::string& name, const std::vector<Record>& records,
                        const std::vector<Located>& located) {
    Layer l;
    l.name = name;
    l.geometry_type = wkbPoint;
    l.fields = {{"record_id", FieldType::string, "#meta+id"},
                {"doc_id", FieldType::string, "#meta+doc"},
                {"as_of", FieldType::date, "#date"},
                {"source", FieldType::string, "#meta+source"},
                {"claimant", FieldType::string, "#meta+claimant"},
                {"category", FieldType::string, "#indicator+category"},
                {"subcategory", FieldType::string, "#indicator+type"},
                {"value", FieldType::real, value_hxl(name)},
                {"qualifier", FieldType::string, "#indicator+qualifier"},
                {"value_low", FieldType::real, "#indicator+value+min"},
                {"value_high", FieldType::real, "#indicator+value+max"},
                {"unit", FieldType::string, "#indicator+unit"},
                {"period", FieldType::string, "#date+period"},
                {"period_start", FieldType::date, "#date+start"},
                {"period_end", FieldType::date, "#date+end"},
                {"place", FieldType::string, "#loc+name+as_written"},
                {"via", FieldType::string, "#loc+via"},
                {"origin", FieldType::string, "#loc+origin"},
                {"destination", FieldType::string, "#loc+destination"},
                {"status", FieldType::string, "#status"},
                {"place_id", FieldType::string, "#loc+id"},
                {"place_name", FieldType::string, "#loc+name"},
                {"precision", FieldType::string, "#geo+precision"},
                {"admin1", FieldType::string, "#adm1+code+iso"},
                {"admin1_pcode", FieldType::string, "#adm1+code"},
                {"region_id", FieldType::string, "#region+code"},
                {"confidence", FieldType::real, "#meta+confidence"},
                {"lon", FieldType::real, "#geo+lon"},
                {"lat", FieldType::real, "#geo+lat"},
                {"locator", FieldType::string, "#meta+locator"},
                {"located_how", FieldType::string, ""},
                {"note", FieldType::string, "#meta+note"}};
    for (std::size_t i = 0; i < records.size(); ++i) {
        const Record& r = records[i];
        if (record_layer_name(r.category) != name) continue;
        const Located& loc = located[i];
        std::string ids, names;
        for (const Place* p : loc.places) {
            ids += (ids.empty() ? "" : "|") + p->id;
            names += (names.empty() ? "" : "|") + p->name;
        }
        Feature f;
        if (loc.point) f.geometry = make_point(loc.point->lon, loc.point->lat);
        f.values = {r.record_id,
                    r.doc_id,
                    r.as_of,
                    r.source,
                    r.claimant,
                    r.category,
                    r.subcategory,
                    opt(r.value),
                    r.qualifier,
                    opt(r.value_low),
                    opt(r.value_high),
                    r.unit,
                    r.period,
                    r.period_start,
                    r.period_end,
                    r.place,
                    r.via,
                    r.origin,
                    r.destination,
                    r.status,
                    ids,
                    names,
                    std::string(to_string(loc.precision)),
                    loc.admin1,
                    loc.admin1_pcode,
                    loc.region_id,
                    std::round(loc.confidence * 1000) / 1000,
                    loc.point ? Value{std::round(loc.point->lon * 1e7) / 1e7} : Value{},
                    loc.point ? Value{std::round(loc.point->lat * 1e7) / 1e7} : Value{},
                    r.locator,
                    loc.how,
                    r.note};
        l.features.push_back(std::move(f));
    }
    return l;
}

Atlas build_atlas(const AtlasInputs& in) {
    const Geocoder geocoder(*in.gazetteer);
    RecordLocator locator(geocoder, in.regions, *in.admin1);
    std::vector<Located> located;
    located.reserve(in.records.size());
    for (const auto& r : in.records) located.push_back(locator.locate(r));

    std::map<std::string, Layer> made;
    made["countries"] = make_countries_layer(in.regions);
    made["regions"] = make_regions_layer(in.regions, *in.admin1, in.records, located);
    made["zones"] = make_zones_layer(in.zones, *in.gazetteer, located);
    made["flows"] = make_flows_layer(in.records, locator);
    for (const char* n : {"returns", "intended_returns", "camp_population", "facilities",
                          "other_figures"})
        made[n] = make_record_layer(n, in.records, located);
    for (auto& l : make_place_layers(*in.gazetteer, in.records, locator)) made[l.name] = l;
    made["unresolved"] = make_unresolved_layer(in.records, locator);
    made["audit"] = make_audit_layer(audit_records(in.records, located, in.zones, in.documents));

    Atlas a;
    for (const auto& n : atlas_layer_names()) a.layers.push_back(std::move(made.at(n)));
    a.unresolved = a.layer("unresolved").features.size();
    const Layer& audit = a.layer("audit");
    const auto sev = audit.field_index("severity");
    for (const auto& f : audit.features)
        a.audit_findings += std::get<std::string>(f.values[sev]) != "ok";
    return a;
}

} // namespace sitmap
