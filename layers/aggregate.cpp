#include "layers/aggregate.hpp"

#include "geo/csv.hpp"
#include "geo/error.hpp"
#include "layers/query.hpp"

#include <algorithm>
#include <ostream>
#include <cctype>
#include <cmath>
#include <regex>
#include <variant>

namespace sitmap {

std::string to_string(RegionLevel l) {
    switch (l) {
    case RegionLevel::governorate: return "governorate";
    case RegionLevel::district: return "district";
    case RegionLevel::subdistrict: return "subdistrict";
    case RegionLevel::settlement: return "settlement";
    }
    return "";
}

std::optional<RegionLevel> parse_region_level(const std::string& s) {
    for (auto l : {RegionLevel::governorate, RegionLevel::district, RegionLevel::subdistrict,
                   RegionLevel::settlement})
        if (to_string(l) == s) return l;
    return std::nullopt;
}

int precision_rank(const std::string& p) {
    if (p == "point") return 0;
    if (p == "settlement") return 1;
    if (p == "district") return 2;
    if (p == "governorate") return 3;
    if (p == "country") return 4;
    return 5;
}

int level_max_rank(RegionLevel l) {
    switch (l) {
    case RegionLevel::governorate: return 3;
    case RegionLevel::district: return 2;
    case RegionLevel::subdistrict:
    case RegionLevel::settlement: return 1;
    }
    return 1;
}

std::string GroupKey::column() const {
    std::string c = category + ":" + subcategory + ":" + period + ":" + unit;
    if (!status.empty()) c += ":" + status;
    return c;
}

namespace {

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

const std::regex& admin_code() {
    static const std::regex re("SY-[A-Z]{2}|SY[0-9]{2}([0-9]{2}){0,3}|SYR[0-9]{3}([0-9]{3}){0,3}");
    return re;
}

std::string field_list(const RegionLayer& r) {
    std::string s;
    for (const auto& f : r.fields) s += (s.empty() ? "" : ", ") + f;
    return s;
}

std::size_t require_field(const RegionLayer& r, const std::string& name, const char* option) {
    for (std::size_t i = 0; i < r.fields.size(); ++i)
        if (r.fields[i] == name) return i;
    throw UsageError(std::string(option) + ": '" + r.path + "' (layer '" + r.layer +
                     "') has no field '" + name + "'; its fields: " + field_list(r));
}

int id_score(const RegionLayer& r, std::size_t fi) {
    std::set<std::string> seen;
    bool codes = true, digits = true, spaces = false;
    std::size_t empty = 0;
    for (const auto& f : r.features) {
        const auto& v = f.values[fi];
        if (!v || v->empty()) {
            ++empty; // keyed "fid:N" (as the atlas does)
            continue;
        }
        if (!seen.insert(*v).second) return -1000; // not a unique key
        codes = codes && std::regex_match(*v, admin_code());
        digits = digits && std::all_of(v->begin(), v->end(),
                                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
        spaces = spaces || v->find(' ') != std::string::npos;
    }
    if (empty * 2 > r.features.size()) return -1000;
    const std::string n = lower(r.fields[fi]);
    int s = empty > 0 ? -30 : 0;
    if (n == "region_id") s += 200;
    if (codes) s += 100;
    if (n.find("pcode") != std::string::npos) s += 50;
    else if (n.find("code") != std::string::npos) s += 30;
    if (n == "id" || n.rfind("id", 0) == 0 || (n.size() > 3 && n.substr(n.size() - 3) == "_id"))
        s += 20;
    if (digits) s -= 10;
    if (spaces) s -= 40;
    return s;
}

int name_score(const RegionLayer& r, std::size_t fi) {
    const std::string n = lower(r.fields[fi]);
    int s = -1000;
    if (n == "name") s = 60;
    else if (n == "admname" || n == "shapename" || std::regex_match(n, std::regex("adm[0-9]_en")))
        s = 55;
    else if (n.find("name") != std::string::npos) s = 50;
    else if (n == "label" || n == "title") s = 40;
    else if (n.find("nam") != std::string::npos) s = 20;
    else return s;
    if (n.size() > 3 && n.substr(n.size() - 3) == "_en") s += 5;
    if (n.size() > 3 && n.substr(n.size() - 3) == "_ar") s -= 30;
    std::size_t present = 0;
    for (const auto& f : r.features) present += f.values[fi] && !f.values[fi]->empty();
    if (present * 2 < r.features.size()) s -= 100;
    return s;
}

std::string text(const Layer& l, const Feature& f, int i) {
    if (i < 0) return "";
    const Value& v = f.values[static_cast<std::size_t>(i)];
    if (const auto* s = std::get_if<std::string>(&v)) return *s;
    if (const auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
    if (const auto* d = std::get_if<double>(&v)) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.15g", *d);
        return buf;
    }
    (void)l;
    return "";
}

std::optional<double> number(const Feature& f, int i) {
    if (i < 0) return std::nullopt;
    const Value& v = f.values[static_cast<std::size_t>(i)];
    if (const auto* d = std::get_if<double>(&v)) return *d;
    if (const auto* n = std::get_if<std::int64_t>(&v)) return static_cast<double>(*n);
    if (const auto* s = std::get_if<std::string>(&v)) {
        try {
            return std::stod(*s);
        } catch (...) {
            return std::nullopt;
        }
    }
    return std::nullopt;
}

int index_of(const Layer& l, const std::string& name) {
    for (std::size_t i = 0; i < l.fields.size(); ++i)
        if (l.fields[i].name == name) return static_cast<int>(i);
    return -1;
}

bool is_stock(const std::string& period) {
    return period == "cumulative" || period == "point_in_time";
}

struct Rec {
    std::string record_id, as_of, source, claimant, place_key, qualifier;
    GroupKey key;
    double value = 0;
    std::size_t row = 0;
};

void check_values(const std::vector<std::string>& asked, const std::set<std::string>& known,
                  const char* option) {
    for (const auto& a : asked) {
        if (known.count(a)) continue;
        std::string list;
        for (const auto& k : known) list += (list.empty() ? "" : ", ") + (k.empty() ? "''" : k);
        throw UsageError(std::string(option) + ": no record has '" + a + "'; known: " + list);
    }
}

bool wanted(const std::vector<std::string>& list, const std::string& v) {
    return list.empty() || std::find(list.begin(), list.end(), v) != list.end();
}

} // namespace

std::pair<std::string, std::string> detect_region_fields(const RegionLayer& r,
                                                         const std::string& id_field,
                                                         const std::string& name_field) {
    std::string id = id_field, name = name_field;
    if (!id.empty()) require_field(r, id, "--id-field");
    if (!name.empty()) require_field(r, name, "--name-field");
    if (id.empty()) {
        int best = -1000;
        for (std::size_t i = 0; i < r.fields.size(); ++i) {
            const int s = id_score(r, i);
            if (s > best) {
                best = s;
                id = r.fields[i];
            }
        }
        if (best <= -1000)
            throw UsageError("'" + r.path + "' (layer '" + r.layer +
                             "') has no field with a unique value per feature to use as region "
                             "id; give one with --id-field (fields: " + field_list(r) + ")");
    }
    if (name.empty()) {
        int best = -1000;
        for (std::size_t i = 0; i < r.fields.size(); ++i) {
            if (r.fields[i] == id) continue;
            const int s = name_score(r, i);
            if (s > best) {
                best = s;
                name = r.fields[i];
            }
        }
        if (name.empty()) name = id;
    }
    return {id, name};
}

std::pair<RegionLevel, std::string> detect_level(const RegionLayer& r,
                                                 const std::string& id_field) {
    const std::size_t fi = require_field(r, id_field, "--id-field");
    std::optional<RegionLevel> level;
    bool same = true;
    for (const auto& f : r.features) {
        const std::string v = f.values[fi].value_or("");
        if (v.empty()) continue;
        if (!std::regex_match(v, admin_code())) {
            same = false;
            break;
        }
        RegionLevel l;
        if (v.rfind("SY-", 0) == 0) l = RegionLevel::governorate;
        else {
            const std::size_t digits = v.size() - (v.rfind("SYR", 0) == 0 ? 3 : 2);
            const std::size_t unit = v.rfind("SYR", 0) == 0 ? 3 : 2;
            const std::size_t parts = digits / unit;
            l = parts <= 1 ? RegionLevel::governorate
                : parts == 2 ? RegionLevel::district
                             : RegionLevel::subdistrict;
        }
        if (level && *level != l) same = false;
        level = l;
    }
    if (same && level)
        return {*level, "from the codes in field '" + id_field + "'"};
    if (r.features.size() <= 20)
        return {RegionLevel::governorate, "from the feature count (at most 20: governorates)"};
    return {RegionLevel::district, "from the feature count (more than 20: districts)"};
}

std::shared_ptr<OGRGeometry> region_geometry(const sitmap::Region& r) {
    auto mp = std::make_shared<OGRMultiPolygon>();
    auto ring = [](const Ring& in) {
        auto* out = new OGRLinearRing();
        for (const auto& [x, y] : in.points) out->addPoint(x, y);
        out->closeRings();
        return out;
    };
    for (const auto& p : r.polygons) {
        OGRPolygon poly;
        poly.addRingDirectly(ring(p.outer));
        for (const auto& h : p.holes) poly.addRingDirectly(ring(h));
        mp->addGeometry(&poly);
    }
    return mp;
}

AggregateTable aggregate_records(const RegionLayer& regions,
                                 const std::vector<const Layer*>& record_layers,
                                 const AggregateSpec& spec) {
    AggregateTable t;
    t.fields = regions.fields;
    std::tie(t.id_field, t.name_field) =
        detect_region_fields(regions, spec.id_field, spec.name_field);
    if (spec.level) {
        t.level = *spec.level;
        t.level_how = "from --level";
    } else {
        std::tie(t.level, t.level_how) = detect_level(regions, t.id_field);
    }
    const std::size_t id_i = require_field(regions, t.id_field, "--id-field");
    const std::size_t name_i = require_field(regions, t.name_field, "--name-field");

    // Rows: regions sorted by id (then source order), then unallocated and outside.
    std::vector<std::size_t> order(regions.features.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    auto id_of = [&](std::size_t i) {
        const std::string v = regions.features[i].values[id_i].value_or("");
        return v.empty() ? "fid:" + std::to_string(regions.features[i].fid) : v;
    };
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return id_of(a) < id_of(b); });
    std::vector<std::size_t> row_of(order.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
        AggregateRow row;
        row.region = static_cast<std::int32_t>(order[k]);
        row.region_id = id_of(order[k]);
        row.region_name = regions.features[order[k]].values[name_i].value_or("");
        row_of[order[k]] = t.rows.size();
        t.rows.push_back(std::move(row));
    }
    const std::size_t unallocated = t.rows.size(), outside = t.rows.size() + 1;
    for (const char* kind : {"unallocated", "outside"}) {
        AggregateRow row;
        row.kind = kind;
        row.region_id = kind;
        row.region_name = std::string(kind) == "unallocated"
                              ? "coarser than " + to_string(t.level) + " or no point"
                              : "point in no region";
        t.rows.push_back(std::move(row));
    }

    // Known values, for checking the filters.
    std::set<std::string> categories, subcategories, periods, statuses;
    const std::vector<std::string> cats =
        spec.categories.empty() ? std::vector<std::string>{"returns", "facilities"}
                                : spec.categories;
    const RegionIndex index(regions.regions());
    std::vector<Rec> recs;
    for (const Layer* l : record_layers) {
        // Record layers: one feature per record, located (flows, with several legs per record,
        // have no precision and are left out).
        const int ci = index_of(*l, "category"), vi = index_of(*l, "value");
        if (ci < 0 || vi < 0 || index_of(*l, "precision") < 0) continue;
        const int ri = index_of(*l, "record_id"), si = index_of(*l, "subcategory"),
                  pi = index_of(*l, "period"), ui = index_of(*l, "unit"),
                  sti = index_of(*l, "status"), ai = index_of(*l, "as_of"),
                  soi = index_of(*l, "source"), cli = index_of(*l, "claimant"),
                  pri = index_of(*l, "precision"), pli = index_of(*l, "place_id"),
                  pti = index_of(*l, "place"), qi = index_of(*l, "qualifier"),
                  loi = index_of(*l, "lon"), lai = index_of(*l, "lat");
        for (const auto& f : l->features) {
            Rec r;
            r.key.category = text(*l, f, ci);
            categories.insert(r.key.category);
            if (!wanted(cats, r.key.category)) continue;
            r.key.subcategory = text(*l, f, si);
            r.key.period = text(*l, f, pi);
            r.key.unit = text(*l, f, ui);
            r.key.status = text(*l, f, sti);
            subcategories.insert(r.key.subcategory);
            periods.insert(r.key.period);
            statuses.insert(r.key.status);
            r.as_of = text(*l, f, ai);
            if (!wanted(spec.subcategories, r.key.subcategory) ||
                !wanted(spec.periods, r.key.period) || !wanted(spec.statuses, r.key.status))
                continue;
            if ((!spec.from.empty() && r.as_of < spec.from) ||
                (!spec.to.empty() && r.as_of > spec.to))
                continue;
            const auto v = number(f, vi);
            if (!v) continue;
            r.value = *v;
            r.record_id = text(*l, f, ri);
            r.source = text(*l, f, soi);
            r.claimant = text(*l, f, cli);
            r.qualifier = text(*l, f, qi);
            r.place_key = text(*l, f, pli);
            if (r.place_key.empty()) r.place_key = "text:" + text(*l, f, pti);

            std::optional<std::pair<double, double>> pt;
            if (f.geometry && wkbFlatten(f.geometry->getGeometryType()) == wkbPoint &&
                !f.geometry->IsEmpty()) {
                const auto* p = f.geometry->toPoint();
                pt = std::make_pair(p->getX(), p->getY());
            } else if (auto lon = number(f, loi), lat = number(f, lai); lon && lat) {
                pt = std::make_pair(*lon, *lat);
            }
            const int rank = precision_rank(text(*l, f, pri));
            if (!pt || rank > level_max_rank(t.level)) {
                r.row = unallocated;
            } else {
                const std::int32_t at = index.locate(pt->first, pt->second);
                r.row = at == RegionIndex::none ? outside : row_of[static_cast<std::size_t>(at)];
            }
            recs.push_back(std::move(r));
        }
    }
    check_values(spec.categories, categories, "--category");
    check_values(spec.subcategories, subcategories, "--subcategory");
    check_values(spec.periods, periods, "--period");
    check_values(spec.statuses, statuses, "--status");
    t.records = recs.size();

    std::sort(recs.begin(), recs.end(),
              [](const Rec& a, const Rec& b) { return a.record_id < b.record_id; });
    // Latest as_of per (row, group, place) for stock figures.
    std::map<std::tuple<std::size_t, GroupKey, std::string>, std::string> latest;
    for (const auto& r : recs) {
        if (!is_stock(r.key.period)) continue;
        auto& l = latest[{r.row, r.key, r.place_key}];
        l = std::max(l, r.as_of);
    }
    std::set<GroupKey> groups;
    for (const auto& r : recs) {
        AggregateRow& row = t.rows[r.row];
        GroupSum& g = row.sums[r.key];
        groups.insert(r.key);
        ++row.records;
        row.record_ids.push_back(r.record_id);
        if (!r.source.empty()) row.sources.insert(r.source);
        if (!r.claimant.empty()) row.claimants.insert(r.claimant);
        if (is_stock(r.key.period) && r.as_of < latest[{r.row, r.key, r.place_key}]) {
            ++g.superseded;
            ++row.superseded;
            continue;
        }
        g.value += r.value;
        ++g.records;
        if (!r.qualifier.empty()) g.qualifiers.insert(r.qualifier);
        if (g.first_as_of.empty() || r.as_of < g.first_as_of) g.first_as_of = r.as_of;
        g.last_as_of = std::max(g.last_as_of, r.as_of);
    }
    for (auto& row : t.rows)
        for (auto& [k, g] : row.sums)
            if (k.unit == "percent" && g.records > 1) g.additive = false;
    t.groups.assign(groups.begin(), groups.end());
    return t;
}

namespace {

const std::vector<std::string>& fixed_columns() {
    static const std::vector<std::string> c = {"region_id", "region_name", "row_kind", "records",
                                               "superseded", "sources", "claimants", "record_ids"};
    return c;
}

template <class Strings> std::string join_all(const Strings& s, const char* sep) {
    std::string out;
    for (const auto& x : s) out += (out.empty() ? "" : sep) + x;
    return out;
}

} // namespace

AggregateColumns aggregate_columns(const AggregateTable& t) {
    AggregateColumns c;
    for (const auto& f : t.fields) {
        const bool clash = std::find(fixed_columns().begin(), fixed_columns().end(), f) !=
                               fixed_columns().end() ||
                           f.find(':') != std::string::npos;
        c.own.push_back(clash ? "src_" + f : f);
    }
    for (const auto& g : t.groups) c.groups.push_back(g.column());
    return c;
}

void write_aggregate_csv(std::ostream& out, const AggregateTable& t, const RegionLayer& regions) {
    const AggregateColumns c = aggregate_columns(t);
    std::vector<std::string> head = {"region_id", "region_name", "row_kind"};
    head.insert(head.end(), c.own.begin(), c.own.end());
    head.insert(head.end(), {"records", "superseded"});
    head.insert(head.end(), c.groups.begin(), c.groups.end());
    head.insert(head.end(), {"sources", "claimants", "record_ids"});
    for (std::size_t i = 0; i < head.size(); ++i) out << (i ? "," : "") << csv_escape(head[i]);
    out << '\n';
    for (const auto& r : t.rows) {
        std::vector<std::string> row = {r.region_id, r.region_name, r.kind};
        for (std::size_t i = 0; i < t.fields.size(); ++i) {
            const std::optional<std::string> v =
                r.region < 0 ? std::nullopt
                             : regions.features[static_cast<std::size_t>(r.region)].values[i];
            row.push_back(v ? *v : "");
        }
        row.push_back(std::to_string(r.records));
        row.push_back(std::to_string(r.superseded));
        for (const auto& g : t.groups) {
            const auto it = r.sums.find(g);
            row.push_back(it != r.sums.end() && it->second.has_value()
                              ? format_number(it->second.value)
                              : "");
        }
        row.push_back(join_all(r.sources, "; "));
        row.push_back(join_all(r.claimants, "; "));
        row.push_back(join_all(r.record_ids, " "));
        for (std::size_t i = 0; i < row.size(); ++i) out << (i ? "," : "") << csv_escape(row[i]);
        out << '\n';
    }
}

} // namespace sitmap
