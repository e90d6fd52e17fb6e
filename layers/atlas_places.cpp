// places, crossings, camps: the gazetteer entries the records use (layers/atlas.hpp).
#include "geo/gazetteer.hpp"
#include "layers/atlas.hpp"
#include "layers/place_layer.hpp"

#include <map>
#include <set>

namespace sitmap {

std::vector<Layer> make_place_layers(const Gazetteer& g, const std::vector<Record>& records,
                                     RecordLocator& locator) {
    // place id -> records referring to it, and in which roles
    std::map<std::string, std::set<std::string>> refs;
    std::map<std::string, std::set<std::string>> roles;
    for (const auto& r : records) {
        for (const auto& [role, field] : place_fields(r)) {
            const bool is_place = std::string(role) == "place";
            for (const NameMatch* m : locator.resolve_field(*field, is_place ? r.category : "",
                                                            is_place ? r.subcategory : "")) {
                for (const Place* p : m->places) {
                    refs[p->id].insert(r.record_id);
                    roles[p->id].insert(role);
                }
            }
        }
    }
    auto layer_of = [](const Place& p) -> std::string {
        if (p.kind == Kind::border_crossing || p.kind == Kind::checkpoint) return "crossings";
        if (p.kind == Kind::camp) return "camps";
        return "places";
    };
    std::vector<Layer> out;
    for (const char* name : {"places", "crossings", "camps"}) {
        Layer l = make_place_layer(g, name, [&](const Place& p) {
            return refs.count(p.id) > 0 && layer_of(p) == name;
        });
        l.fields.push_back({"records", FieldType::integer, "#meta+records"});
        l.fields.push_back({"roles", FieldType::string, ""});
        const auto id = l.field_index("place_id");
        const auto lon = l.field_index("lon"), lat = l.field_index("lat");
        for (auto& f : l.features) {
            const std::string pid = std::get<std::string>(f.values[id]);
            std::string rs;
            for (const auto& role : roles[pid]) rs += (rs.empty() ? "" : "|") + role;
            f.values.push_back(static_cast<std::int64_t>(refs[pid].size()));
            f.values.emplace_back(std::in_place_type<std::string>, std::move(rs));
            if (const Place* p = g.find_id(pid); p && p->kind == Kind::governorate) {
                // Governorates are drawn at their region's point on surface, like the records.
                const LonLat pt = locator.point_of(*p);
                f.geometry = make_point(pt.lon, pt.lat);
                f.values[lon] = pt.lon;
                f.values[lat] = pt.lat;
            }
        }
        out.push_back(std::move(l));
    }
    return out;
}

} // namespace sitmap
