#include "layers/render/figures.hpp"

#include "geo/error.hpp"
#include "layers/query.hpp"
#include "layers/render/cartography.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <map>
#include <tuple>

namespace sitmap::render {
namespace {

int rank(const std::vector<std::string> &order, const std::string &s) {
    const auto it = std::find(order.begin(), order.end(), s);
    return it == order.end() ? static_cast<int>(order.size())
                             : static_cast<int>(it - order.begin());
}

bool in_range(const std::string &as_of, const RenderOptions &opt) {
    return (opt.from.empty() || as_of >= opt.from) && (opt.to.empty() || as_of <= opt.to);
}

// Flow legs of the category (and subcategory when given) per period kind; of `unit` only when
// given.
std::vector<FlowFigure> flow_legs(const Layer *flows, const RenderOptions &opt,
                                  const std::string &period, const std::string *unit,
                                  std::map<std::string, int> *counts) {
    std::vector<FlowFigure> out;
    if (!flows)
        return out;
    const std::size_t value_i = flows->field_index("value");
    for (const auto &f : flows->features) {
        if (field_text(*flows, f, "category") != opt.category)
            continue;
        if (!opt.subcategory.empty() && field_text(*flows, f, "subcategory") != opt.subcategory)
            continue;
        if (!in_range(field_text(*flows, f, "as_of"), opt))
            continue;
        const std::string p = field_text(*flows, f, "period");
        if (counts)
            ++(*counts)[p];
        if (p != period || !f.geometry)
            continue;
        if (unit && field_text(*flows, f, "unit") != *unit)
            continue;
        const auto *line = dynamic_cast<const OGRLineString *>(f.geometry.get());
        const auto *v =
            value_i < f.values.size() ? std::get_if<double>(&f.values[value_i]) : nullptr;
        if (!line || line->getNumPoints() < 2 || !v || !std::isfinite(*v))
            continue;
        const int last = line->getNumPoints() - 1;
        out.push_back({{line->getX(0), line->getY(0)},
                       {line->getX(last), line->getY(last)},
                       *v,
                       display_text(*flows, f, "from_name"),
                       display_text(*flows, f, "to_name"),
                       field_text(*flows, f, "record_id")});
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const FlowFigure &a, const FlowFigure &b) { return a.value > b.value; });
    return out;
}

// Throws InputError when `layer` lacks one of `fields`.
void require_fields(const Layer &layer, std::initializer_list<const char *> fields,
                    const std::string &atlas_path) {
    for (const char *name : fields)
        if (std::none_of(layer.fields.begin(), layer.fields.end(),
                         [&](const auto &f) { return f.name == name; }))
            throw InputError(atlas_path, 0,
                             "layer '" + layer.name + "' has no field '" + name + "'");
}

// A layer of records as the aggregation reads them.
bool is_record_layer(const Layer &l) {
    const auto has = [&](const char *name) {
        return std::any_of(l.fields.begin(), l.fields.end(),
                           [&](const auto &f) { return f.name == name; });
    };
    return has("category") && has("value") && has("precision");
}

} // namespace

RegionLayer regions_from_layer(const Layer &l, const std::string &atlas_path) {
    require_fields(l, {"region_id", "name"}, atlas_path);
    if (l.features.empty())
        throw InputError(atlas_path, 0, "layer '" + l.name + "' has no features");
    RegionLayer r;
    r.path = atlas_path;
    r.layer = l.name;
    for (const auto &f : l.fields)
        r.fields.push_back(f.name);
    std::int64_t fid = 1;
    for (const auto &f : l.features) {
        RegionFeature rf;
        rf.fid = fid++;
        for (const auto &v : f.values)
            rf.values.push_back(std::holds_alternative<std::monostate>(v)
                                    ? std::nullopt
                                    : std::optional<std::string>(value_text(v)));
        if (f.geometry)
            rf.geometry = region_from_ogr(*f.geometry);
        r.features.push_back(std::move(rf));
    }
    return r;
}

MapFigures compute_figures(const std::vector<Layer> &atlas, const RegionLayer &regions,
                           const RenderOptions &opt, const std::string &atlas_path) {
    MapFigures out;
    std::vector<const Layer *> records;
    for (const auto &l : atlas)
        if (is_record_layer(l))
            records.push_back(&l);
    if (records.empty())
        throw InputError(atlas_path, 0,
                         "has no layer of records (with fields category, value and precision): "
                         "not an atlas from 'sitmap build'");
    const Layer *flows = find_layer(atlas, "flows");
    if (flows)
        require_fields(*flows, {"value", "category", "period", "from_name", "to_name"}, atlas_path);
    AggregateSpec spec;
    spec.categories = {opt.category};
    if (!opt.subcategory.empty())
        spec.subcategories = {opt.subcategory};
    if (!opt.period.empty())
        spec.periods = {opt.period};
    spec.from = opt.from;
    spec.to = opt.to;
    spec.id_field = "region_id";
    spec.name_field = "name";
    const AggregateTable all = aggregate_records(regions, records, spec);
    std::map<std::string, int> flow_counts;
    flow_legs(flows, opt, "", nullptr, &flow_counts);

    // Allocated records per group, people first.
    std::map<GroupKey, std::size_t> allocated;
    std::map<GroupKey, long> covered; // governorates with a value
    for (const auto &r : all.rows)
        if (r.kind == "region")
            for (const auto &[k, g] : r.sums) {
                allocated[k] += g.records;
                covered[k] += g.has_value() ? 1 : 0;
            }
    const bool people = std::any_of(allocated.begin(), allocated.end(),
                                    [](const auto &kv) { return kv.first.unit == "people"; });
    std::map<std::string, std::size_t> per_period;
    for (const auto &[k, n] : allocated)
        if (!people || k.unit == "people")
            per_period[k.period] += n;
    out.period = opt.period;
    if (out.period.empty()) {
        const std::vector<std::string> order = {"cumulative", "week", "month",
                                                "day",        "year", "point_in_time"};
        std::vector<std::string> kinds;
        for (const auto &[p, n] : per_period)
            kinds.push_back(p);
        for (const auto &[p, n] : flow_counts)
            kinds.push_back(p);
        std::sort(kinds.begin(), kinds.end());
        kinds.erase(std::unique(kinds.begin(), kinds.end()), kinds.end());
        // Sort keys computed once (no map insertion inside the comparator).
        std::map<std::string, std::tuple<long, int, int>> key;
        for (const auto &p : kinds) {
            const auto n = per_period.find(p);
            const auto fl = flow_counts.find(p);
            key[p] = {n == per_period.end() ? 0 : -static_cast<long>(n->second),
                      fl == flow_counts.end() ? 0 : -fl->second, rank(order, p)};
        }
        std::sort(kinds.begin(), kinds.end(),
                  [&](const auto &a, const auto &b) { return key.at(a) < key.at(b); });
        if (!kinds.empty())
            out.period = kinds.front();
    }
    // The group: most governorates with a value in that period kind, then most records.
    const std::vector<std::string> sub_order = {"total", "idp", "from_abroad"};
    const auto group_key = [&](const GroupKey &k) {
        return std::make_tuple(-covered.at(k), -static_cast<long>(allocated.at(k)),
                               rank(sub_order, k.subcategory));
    };
    for (const auto &[k, n] : allocated) {
        if (k.period != out.period || (people && k.unit != "people"))
            continue;
        if (!out.group || group_key(k) < group_key(*out.group))
            out.group = k;
    }

    // None in a governorate: the group with most records elsewhere, so that they are counted.
    if (!out.group) {
        std::map<GroupKey, std::size_t> anywhere;
        for (const auto &r : all.rows)
            for (const auto &[k, g] : r.sums)
                anywhere[k] += g.records + g.superseded;
        for (const auto &[k, n] : anywhere)
            if (k.period == out.period && (!out.group || n > anywhere.at(*out.group)))
                out.group = k;
    }
    out.region_value.assign(regions.features.size(), std::nullopt);
    std::set<std::string> group_ids;
    if (out.group) {
        for (const auto &r : all.rows) {
            const auto it = r.sums.find(*out.group);
            if (it == r.sums.end())
                continue;
            const GroupSum &g = it->second;
            if (r.kind != "region") {
                out.unallocated += g.records + g.superseded;
                continue;
            }
            if (!g.has_value() || !std::isfinite(g.value))
                continue;
            out.region_value[static_cast<std::size_t>(r.region)] = g.value;
            out.values.push_back(g.value);
            if (out.first_as_of.empty() || g.first_as_of < out.first_as_of)
                out.first_as_of = g.first_as_of;
            out.last_as_of = std::max(out.last_as_of, g.last_as_of);
        }
        // The group's records located in a governorate: aggregate the group alone (the units
        // are told apart below, by record).
        AggregateSpec one = spec;
        one.subcategories = {out.group->subcategory};
        one.periods = {out.group->period};
        one.statuses = {out.group->status};
        for (const auto &r : aggregate_records(regions, records, one).rows)
            if (r.kind == "region")
                group_ids.insert(r.record_ids.begin(), r.record_ids.end());
    }
    out.breaks = natural_breaks(out.values, 5);
    out.colors = ylgnbu(out.breaks.upper.size());
    // The flows of the choropleth's unit (widths of different units cannot be compared).
    out.flows = flow_legs(flows, opt, out.period, out.group ? &out.group->unit : nullptr, nullptr);
    // Sources of the records shown: the group's (of its unit) and the flows'.
    std::set<std::string> flow_ids;
    for (const auto &f : out.flows)
        flow_ids.insert(f.record_id);
    for (const auto *l : records) {
        if (l->geometry_type != wkbPoint)
            continue;
        for (const auto &f : l->features) {
            const std::string id = field_text(*l, f, "record_id");
            if (id.empty())
                continue;
            const bool in_group =
                group_ids.count(id) && field_text(*l, f, "unit") == out.group->unit;
            if (in_group || flow_ids.count(id))
                out.sources.insert(display_text(*l, f, "source"));
        }
    }
    out.sources.erase("");
    return out;
}

} // namespace sitmap::render
