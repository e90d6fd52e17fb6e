// flows (movements as lines) and unresolved (place strings not located) (layers/atlas.hpp).
#include "layers/atlas.hpp"

#include <cmath>
#include <set>

namespace sitmap {
namespace {

// The subcategories that count people on the move (women, children, vehicles are parts or
// other units and stay in the point layers only).
bool is_flow(const Record& r) {
    static const std::set<std::string> subs = {"total", "idp", "from_abroad", "by_destination"};
    return (r.category == "returns" || r.category == "intended_returns") && r.unit == "people" &&
           subs.count(r.subcategory) > 0;
}

struct End {
    const Place* place;
    LonLat point;
};

std::vector<End> ends(const std::vector<const NameMatch*>& ms, RecordLocator& loc) {
    std::vector<End> out;
    for (const NameMatch* m : ms)
        for (const Place* p : m->places) out.push_back({p, loc.point_of(*p)});
    return out;
}

} // namespace

Layer make_flows_layer(const std::vector<Record>& records, RecordLocator& locator) {
    Layer l;
    l.name = "flows";
    l.geometry_type = wkbLineString;
    l.fields = {{"record_id", FieldType::string, "#meta+id"},
                {"doc_id", FieldType::string, "#meta+doc"},
                {"as_of", FieldType::date, "#date"},
                {"category", FieldType::string, "#indicator+category"},
                {"subcategory", FieldType::string, "#indicator+type"},
                {"leg", FieldType::string, ""},
                {"from_id", FieldType::string, "#loc+id+from"},
                {"from_name", FieldType::string, "#loc+name+from"},
                {"to_id", FieldType::string, "#loc+id+to"},
                {"to_name", FieldType::string, "#loc+name+to"},
                {"value", FieldType::real, "#affected+returnees"},
                {"qualifier", FieldType::string, "#indicator+qualifier"},
                {"unit", FieldType::string, "#indicator+unit"},
                {"period", FieldType::string, "#date+period"},
                {"period_start", FieldType::date, "#date+start"},
                {"period_end", FieldType::date, "#date+end"},
                {"parallel_legs", FieldType::integer, ""},
                {"claimant", FieldType::string, "#meta+claimant"},
                {"locator", FieldType::string, "#meta+locator"}};
    for (const auto& r : records) {
        if (!is_flow(r)) continue;
        const auto origins = ends(locator.resolve_field(r.origin), locator);
        const auto vias = ends(locator.resolve_field(r.via), locator);
        auto dests = ends(locator.resolve_field(r.destination), locator);
        struct Leg {
            const char* kind;
            End a, b;
        };
        std::vector<Leg> legs;
        if (!vias.empty()) {
            // Entering through a crossing: a destination that is the whole country adds no line.
            std::vector<End> inner;
            for (const auto& d : dests)
                if (d.place->kind != Kind::country) inner.push_back(d);
            for (const auto& v : vias) {
                for (const auto& o : origins) legs.push_back({"origin_to_crossing", o, v});
                for (const auto& d : inner) legs.push_back({"crossing_to_destination", v, d});
            }
        } else {
            for (const auto& o : origins)
                for (const auto& d : dests) legs.push_back({"origin_to_destination", o, d});
        }
        for (const auto& leg : legs) {
            if (leg.a.place == leg.b.place) continue;
            std::int64_t parallel = 0;
            for (const auto& other : legs) parallel += std::string(other.kind) == leg.kind;
            auto line = std::make_shared<OGRLineString>();
            line->addPoint(leg.a.point.lon, leg.a.point.lat);
            line->addPoint(leg.b.point.lon, leg.b.point.lat);
            Feature f;
            f.geometry = line;
            f.values = {r.record_id,        r.doc_id,       r.as_of,
                        r.category,         r.subcategory,  std::string(leg.kind),
                        leg.a.place->id,    leg.a.place->name, leg.b.place->id,
                        leg.b.place->name,  r.value ? Value{*r.value} : Value{},
                        r.qualifier,        r.unit,         r.period,
                        r.period_start,     r.period_end,   parallel,
                        r.claimant,         r.locator};
            l.features.push_back(std::move(f));
        }
    }
    return l;
}

Layer make_unresolved_layer(const std::vector<Record>& records, RecordLocator& locator) {
    Layer l;
    l.name = "unresolved";
    l.geometry_type = wkbNone;
    l.fields = {{"record_id", FieldType::string, "#meta+id"},
                {"doc_id", FieldType::string, "#meta+doc"},
                {"category", FieldType::string, "#indicator+category"},
                {"role", FieldType::string, ""},
                {"text", FieldType::string, "#loc+name+as_written"},
                {"status", FieldType::string, "#status"},
                {"candidate_id", FieldType::string, "#loc+id+candidate"},
                {"score", FieldType::real, ""},
                {"locator", FieldType::string, "#meta+locator"}};
    for (const auto& r : records) {
        for (const auto& [role, field] : place_fields(r)) {
            const bool is_place = std::string(role) == "place";
            if (is_place && field->empty()) {
                Feature f;
                f.values = {r.record_id, r.doc_id, r.category, std::string(role), std::string(),
                            std::string("missing"), Value{}, Value{}, r.locator};
                l.features.push_back(std::move(f));
                continue;
            }
            for (const NameMatch* m : locator.resolve_field(*field, is_place ? r.category : "",
                                                            is_place ? r.subcategory : "")) {
                if (m->status == "matched") continue;
                Feature f;
                f.values = {r.record_id,
                            r.doc_id,
                            r.category,
                            std::string(role),
                            m->text,
                            m->status,
                            m->candidate.empty() ? Value{} : Value{m->candidate},
                            m->candidate.empty() ? Value{} : Value{std::round(m->score * 1000) / 1000},
                            r.locator};
                l.features.push_back(std::move(f));
            }
        }
    }
    return l;
}

} // namespace sitmap
