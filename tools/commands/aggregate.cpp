// sitmap aggregate: returns and facilities (any record category) per region of a polygon layer.
#include "geo/csv.hpp"
#include "geo/error.hpp"
#include "layers/aggregate.hpp"
#include "layers/export.hpp"
#include "layers/gdal_io.hpp"
#include "layers/query.hpp"
#include "tools/command.hpp"
#include "tools/output.hpp"
#include "tools/options.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <unistd.h>
#include <fstream>
#include <ostream>
#include <set>
#include <sstream>

namespace sitmap::cli {
namespace {

std::string join(const std::set<std::string>& s, const char* sep = "; ") {
    std::string out;
    for (const auto& x : s) out += (out.empty() ? "" : sep) + x;
    return out;
}

std::string join(const std::vector<std::string>& s, const char* sep = "; ") {
    std::string out;
    for (const auto& x : s) out += (out.empty() ? "" : sep) + x;
    return out;
}

class AggregateCommand : public Command {
public:
    std::string_view name() const override { return "aggregate"; }
    std::string_view summary() const override {
        return "Sum returns, facilities and other records per region of any polygon layer";
    }

    void setup(CLI::App& app) override {
        app.add_option("atlas", atlas_, "Atlas GeoPackage (from 'sitmap build')")->required();
        app.add_option("--by", by_,
                       "Regions: an atlas polygon layer (regions, zones, countries) or any GDAL "
                       "polygon file (any CRS; reprojected to EPSG:4326)")
            ->required();
        app.add_option("--by-layer", by_layer_, "Layer of the --by file (default: the first)");
        app.add_option("--id-field", spec_.id_field, "Field of --by holding the region id "
                                                     "(default: detected)");
        app.add_option("--name-field", spec_.name_field, "Field of --by holding the region name "
                                                         "(default: detected)");
        app.add_option("--level", level_, "Region level: records coarser than it go to the "
                                          "'unallocated' row (default: detected from the codes)")
            ->check(CLI::IsMember({"governorate", "district", "subdistrict", "settlement"}));
        app.add_option("--category", spec_.categories,
                       "Record categories (default: returns,facilities); repeatable or "
                       "comma-separated")
            ->delimiter(',');
        app.add_option("--subcategory", spec_.subcategories, "Subcategories (default: all)")
            ->delimiter(',');
        app.add_option("--period", spec_.periods,
                       "Period kinds: cumulative, point_in_time, day, week, month, year "
                       "(default: all, each summed apart)")
            ->delimiter(',');
        app.add_option("--status", spec_.statuses,
                       "Facility status: restored, in_repair, operating, ... (default: all)")
            ->delimiter(',');
        app.add_option("--from", spec_.from, "Records with as_of on or after YYYY-MM-DD");
        app.add_option("--to", spec_.to, "Records with as_of on or before YYYY-MM-DD");
        add_format(app, format_, {"table", "csv", "json", "geojson"});
        add_output(app, output_, "Write to this file instead of stdout");
        app.footer(
            "One row per region (sorted by id), then 'unallocated' (records coarser than the\n"
            "region level, or without a point: never spread) and 'outside' (points in no region).\n"
            "Sums are per category:subcategory:period:unit[:status]; cumulative and per-period\n"
            "figures are never added; a place's older cumulative/point_in_time figures are\n"
            "superseded by its latest. csv/json/geojson carry every field of the --by layer.\n"
            "table: one line per region and group. json: one object per line.\n"
            "\nExamples:\n"
            "  sitmap aggregate atlas.gpkg --by regions --category returns --period week\n"
            "  sitmap aggregate atlas.gpkg --by regions --category facilities --status restored\n"
            "  sitmap aggregate atlas.gpkg --by SYR_ADM2.geojson --format geojson -o adm2.geojson");
    }

    int run(Io& io) override {
        for (const auto* d : {&spec_.from, &spec_.to})
            if (!d->empty() && !is_iso_date(*d))
                throw UsageError("--from/--to take a date YYYY-MM-DD, not '" + *d + "'");
        if (!level_.empty()) spec_.level = parse_region_level(level_);

        const std::vector<Layer> atlas = read_atlas(atlas_);
        RegionSourceOptions ro;
        std::string where = by_;
        if (std::filesystem::exists(by_)) {
            ro.layer = by_layer_;
        } else {
            bool found = false;
            std::string polygons;
            for (const auto& l : atlas) {
                const auto t = wkbFlatten(l.geometry_type);
                if (t == wkbPolygon || t == wkbMultiPolygon)
                    polygons += (polygons.empty() ? "" : ", ") + l.name;
                found = found || l.name == by_;
            }
            if (!found)
                throw UsageError("--by '" + by_ + "' is neither a file nor a layer of '" + atlas_ +
                                 "' (its polygon layers: " + polygons + ")");
            ro.layer = by_;
            where = atlas_;
        }
        const RegionLayer regions = read_regions(where, ro);
        if (regions.features.empty())
            throw InputError(where, 0, "layer '" + regions.layer + "' holds no polygons");
        if (!regions.repaired.empty()) {
            std::string fids;
            for (auto f : regions.repaired) fids += (fids.empty() ? "" : ", ") + std::to_string(f);
            io.err << "sitmap aggregate: '" << where << "': invalid polygons repaired with GEOS "
                   << "MakeValid (feature " << fids << ")\n";
        }
        if (where == atlas_ && by_ == "zones") { // the atlas zones: keyed by name, point records
            if (!spec_.level) spec_.level = RegionLevel::settlement;
            if (spec_.id_field.empty()) spec_.id_field = "name";
            if (spec_.name_field.empty()) spec_.name_field = "name";
        }

        std::vector<const Layer*> records;
        for (const auto& l : atlas) records.push_back(&l);
        const AggregateTable t = aggregate_records(regions, records, spec_);

        if (format_ == "geojson") {
            write_geojson(io.out, t, regions);
            return 0;
        }
        std::ostringstream buf;
        std::ostream& out = output_.empty() ? io.out : buf;
        if (format_ == "csv") write_aggregate_csv(out, t, regions);
        else if (format_ == "json") write_json(out, t, regions);
        else write_table(out, t);
        if (!output_.empty()) write_text_file(output_, buf.str());
        return 0;
    }

private:
    void write_json(std::ostream& out, const AggregateTable& t, const RegionLayer& regions) const {
        for (const auto& r : t.rows) {
            nlohmann::ordered_json j;
            j["region_id"] = r.region_id;
            j["region_name"] = r.region_name;
            j["row_kind"] = r.kind;
            j["level"] = to_string(t.level);
            auto fields = nlohmann::ordered_json::object();
            if (r.region >= 0)
                for (std::size_t i = 0; i < t.fields.size(); ++i) {
                    const auto& v = regions.features[static_cast<std::size_t>(r.region)].values[i];
                    fields[t.fields[i]] = v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json();
                }
            j["fields"] = fields;
            j["records"] = r.records;
            j["superseded"] = r.superseded;
            auto sums = nlohmann::ordered_json::array();
            for (const auto& [k, g] : r.sums) {
                nlohmann::ordered_json s;
                s["category"] = k.category;
                s["subcategory"] = k.subcategory;
                s["period"] = k.period;
                s["unit"] = k.unit;
                s["status"] = k.status;
                if (g.has_value()) s["value"] = g.value;
                else s["value"] = nullptr;
                s["additive"] = g.additive;
                s["records"] = g.records;
                s["superseded"] = g.superseded;
                s["as_of_first"] = g.first_as_of;
                s["as_of_last"] = g.last_as_of;
                s["qualifiers"] = std::vector<std::string>(g.qualifiers.begin(), g.qualifiers.end());
                sums.push_back(s);
            }
            j["sums"] = sums;
            j["sources"] = std::vector<std::string>(r.sources.begin(), r.sources.end());
            j["claimants"] = std::vector<std::string>(r.claimants.begin(), r.claimants.end());
            j["record_ids"] = r.record_ids;
            out << j.dump() << '\n';
        }
    }

    static void write_table(std::ostream& out, const AggregateTable& t) {
        std::vector<std::vector<std::string>> rows = {
            {"region_id", "region_name", "category", "subcategory", "period", "unit", "status",
             "value", "records", "superseded", "as_of"}};
        for (const auto& r : t.rows) {
            if (r.sums.empty()) {
                if (r.region >= 0)
                    rows.push_back({r.region_id, r.region_name, "-", "", "", "", "", "", "0", "", ""});
                continue;
            }
            for (const auto& [k, g] : r.sums) {
                std::string as_of = g.first_as_of == g.last_as_of
                                        ? g.last_as_of : g.first_as_of + ".." + g.last_as_of;
                std::string value = g.has_value() ? format_number(g.value)
                                    : g.additive   ? ""
                                                   : "(not summed)";
                if (g.has_value() && (g.qualifiers.count("more_than") || g.qualifiers.count("at_least")))
                    value = ">=" + value;
                rows.push_back({r.region_id, r.region_name, k.category, k.subcategory, k.period,
                                k.unit, k.status, value, std::to_string(g.records),
                                std::to_string(g.superseded), as_of});
            }
        }
        out << text_table(rows);
    }

    void write_geojson(std::ostream& out, const AggregateTable& t,
                       const RegionLayer& regions) const {
        const AggregateColumns c = aggregate_columns(t);
        Layer l;
        l.name = "aggregate";
        l.geometry_type = wkbMultiPolygon;
        l.fields = {{"region_id", FieldType::string, ""},
                    {"region_name", FieldType::string, ""},
                    {"row_kind", FieldType::string, ""}};
        for (const auto& f : c.own) l.fields.push_back({f, FieldType::string, ""});
        l.fields.push_back({"records", FieldType::integer, ""});
        l.fields.push_back({"superseded", FieldType::integer, ""});
        for (const auto& g : c.groups) l.fields.push_back({g, FieldType::real, ""});
        for (const char* f : {"sources", "claimants", "record_ids"})
            l.fields.push_back({f, FieldType::string, ""});
        for (const auto& r : t.rows) {
            Feature f;
            if (r.region >= 0)
                f.geometry = region_geometry(regions.features[static_cast<std::size_t>(r.region)].geometry);
            f.values = {r.region_id, r.region_name, r.kind};
            for (std::size_t i = 0; i < t.fields.size(); ++i) {
                const auto& v = r.region >= 0
                                    ? regions.features[static_cast<std::size_t>(r.region)].values[i]
                                    : std::optional<std::string>();
                f.values.push_back(v ? Value{*v} : Value{});
            }
            f.values.push_back(static_cast<std::int64_t>(r.records));
            f.values.push_back(static_cast<std::int64_t>(r.superseded));
            for (const auto& g : t.groups) {
                const auto it = r.sums.find(g);
                f.values.push_back(it != r.sums.end() && it->second.has_value()
                                       ? Value{it->second.value} : Value{});
            }
            f.values.push_back(join(r.sources));
            f.values.push_back(join(r.claimants));
            f.values.push_back(join(r.record_ids, " "));
            l.features.push_back(std::move(f));
        }
        write_geojson_layer(l, output_, out);
    }

    std::string atlas_, by_, by_layer_, level_, output_;
    std::string format_ = "table";
    AggregateSpec spec_;
};

} // namespace

std::unique_ptr<Command> make_aggregate_command() { return std::make_unique<AggregateCommand>(); }

} // namespace sitmap::cli
