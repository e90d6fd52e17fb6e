#include "layers/place_layer.hpp"

#include "geo/gazetteer.hpp"

namespace sitmap {

Layer make_place_layer(const Gazetteer& g, const std::string& name,
                       const std::function<bool(const Place&)>& keep) {
    Layer l;
    l.name = name;
    l.geometry_type = wkbPoint;
    l.fields = {{"place_id", FieldType::string, "#loc+id"},
                {"name", FieldType::string, "#loc+name"},
                {"name_ar", FieldType::string, "#loc+name+i_ar"},
                {"alt_names", FieldType::string, ""},
                {"kind", FieldType::string, "#loc+type"},
                {"precision", FieldType::string, ""},
                {"admin1", FieldType::string, "#adm1+code"},
                {"admin1_pcode", FieldType::string, "#adm1+code+ocha"},
                {"country", FieldType::string, "#country+code"},
                {"importance", FieldType::integer, ""},
                {"lon", FieldType::real, "#geo+lon"},
                {"lat", FieldType::real, "#geo+lat"},
                {"source", FieldType::string, "#meta+source"}};
    for (const Place& p : g.places()) {
        if (keep && !keep(p)) continue;
        std::string alts;
        for (const auto& a : p.alt_names) alts += (alts.empty() ? "" : "|") + a;
        Feature f;
        f.geometry = make_point(p.point.lon, p.point.lat);
        f.values = {p.id,
                    p.name,
                    p.name_ar,
                    alts,
                    std::string(to_string(p.kind)),
                    std::string(to_string(precision_of(p.kind))),
                    p.admin1,
                    p.admin1_pcode,
                    p.country,
                    std::int64_t{p.importance},
                    p.point.lon,
                    p.point.lat,
                    p.source};
        l.features.push_back(std::move(f));
    }
    return l;
}

} // namespace sitmap
