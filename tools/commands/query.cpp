// sitmap query: features of one atlas layer by place, zone, region, distance, box, date and
// attribute filters.
#include "geo/csv.hpp"
#include "geo/error.hpp"
#include "geo/geocoder.hpp"
#include "layers/aggregate.hpp"
#include "layers/export.hpp"
#include "layers/gdal_io.hpp"
#include "layers/query.hpp"
#include "layers/region_source.hpp"
#include "tools/command.hpp"
#include "tools/output.hpp"
#include "tools/options.hpp"

#include <nlohmann/json.hpp>

#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <unistd.h>
#include <fstream>
#include <optional>
#include <ostream>
#include <sstream>

namespace sitmap::cli {
namespace {

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Every geometry of the first layer of a vector file, reprojected to lon/lat, as one collection.
std::shared_ptr<OGRGeometry> read_geometries(const std::string& path) {
    auto ds = open_vector(path);
    OGRLayer* layer = ds->GetLayer(0);
    if (layer == nullptr) throw InputError(path, 0, "no layer in it");
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> ct;
    if (const OGRSpatialReference* src = layer->GetSpatialRef(); src && !src->IsSame(&wgs84)) {
        OGRSpatialReference s(*src);
        s.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        ct.reset(OGRCreateCoordinateTransformation(&s, &wgs84));
        if (!ct) throw InputError(path, 0, "cannot reproject its CRS to EPSG:4326");
    }
    auto all = std::make_shared<OGRGeometryCollection>();
    for (auto& f : *layer) {
        const OGRGeometry* g = f->GetGeometryRef();
        if (g == nullptr || g->IsEmpty()) continue;
        std::unique_ptr<OGRGeometry> c(g->clone());
        if (ct && c->transform(ct.get()) != OGRERR_NONE)
            throw InputError(path, 0, "cannot reproject feature " + std::to_string(f->GetFID()));
        if (!c->IsValid()) {
            if (auto* fixed = c->MakeValid()) c.reset(fixed);
        }
        all->addGeometryDirectly(c.release());
    }
    if (all->IsEmpty()) throw InputError(path, 0, "holds no geometry");
    return all;
}

class QueryCommand : public Command {
public:
    std::string_view name() const override { return "query"; }
    std::string_view summary() const override {
        return "Select features of an atlas layer by place, zone, region, distance, box, date "
               "or attributes";
    }

    void setup(CLI::App& app) override {
        app.add_option("atlas", atlas_, "Atlas GeoPackage (from 'sitmap build')")->required();
        app.add_option("--layer", layer_, "Layer to query (returns, facilities, places, ...)")
            ->required();
        app.add_option("--where", where_,
                       "Attribute filter: comparisons (= != < <= > >=), AND, OR, NOT, IN (...), "
                       "LIKE, BETWEEN, IS [NOT] NULL; text in 'single quotes'");
        app.add_option("--within", within_,
                       "Keep features inside a zone of the atlas (by name), a region (name or "
                       "code), or the polygons of a file; boundaries count as inside");
        app.add_option("--intersects", intersects_, "Keep features intersecting any geometry "
                                                    "of this file (any CRS)");
        app.add_option("--bbox", bbox_, "Keep features touching the box minlon,minlat,maxlon,maxlat");
        app.add_option("--near", near_, "Keep features within --km of this place (a name, or "
                                        "\"lon,lat\"); sorted nearest first");
        app.add_option("--km", km_, "Radius for --near, in km (geodesic)")->check(CLI::NonNegativeNumber);
        app.add_option("--nearest", nearest_, "The --k features nearest to this place");
        app.add_option("--k", k_, "How many for --nearest")->check(CLI::PositiveNumber);
        app.add_option("--from", from_, "Features with as_of on or after YYYY-MM-DD");
        app.add_option("--to", to_, "Features with as_of on or before YYYY-MM-DD");
        app.add_option("--fields", fields_, "Fields to output, comma-separated (default: all; "
                                            "table: a short selection)")
            ->delimiter(',');
        app.add_option("--limit", limit_, "At most this many features");
        add_format(app, format_, {"table", "csv", "json", "geojson"});
        add_output(app, output_, "Write to this file instead of stdout");
        add_data_options(app, data_);
        app.footer(
            "Filters combine with AND. With --near/--nearest a distance_km column is added and\n"
            "rows are sorted nearest first. json: one object per line. geojson: RFC 7946.\n"
            "\nExamples:\n"
            "  sitmap query atlas.gpkg --layer places --within \"al-Tanf 55 km zone\"\n"
            "  sitmap query atlas.gpkg --layer flows --near Nasib --km 25\n"
            "  sitmap query atlas.gpkg --layer crossings --nearest Rukban --k 3\n"
            "  sitmap query atlas.gpkg --layer facilities --within SY-DR \\\n"
            "      --where \"status = 'restored' AND subcategory IN ('school', 'bakery')\"\n"
            "  sitmap query atlas.gpkg --layer returns --from 2019-01-01 --format csv");
    }

    int run(Io& io) override {
        // Options first: nothing is opened before they are checked.
        if (!near_.empty() && km_ < 0) throw UsageError("--near needs --km N");
        if (near_.empty() && km_ >= 0) throw UsageError("--km goes with --near");
        if (!nearest_.empty() && k_ == 0) throw UsageError("--nearest needs --k N");
        if (nearest_.empty() && k_ > 0) throw UsageError("--k goes with --nearest");
        if (!near_.empty() && !nearest_.empty())
            throw UsageError("give --near or --nearest, not both");
        for (const auto* d : {&from_, &to_})
            if (!d->empty() && !is_iso_date(*d))
                throw UsageError("--from/--to take a date YYYY-MM-DD, not '" + *d + "'");
        QuerySpec spec;
        if (!bbox_.empty()) spec.bbox = parse_bbox(bbox_);
        spec.from = from_;
        spec.to = to_;
        spec.limit = limit_;

        atlas_layers_ = read_atlas(atlas_);
        const Layer* layer = find_layer(layer_);
        if (layer == nullptr) {
            std::string names;
            for (const auto& l : atlas_layers_) names += (names.empty() ? "" : ", ") + l.name;
            throw UsageError("'" + atlas_ + "' has no layer '" + layer_ + "'; its layers: " + names);
        }
        for (const auto& f : fields_) {
            bool ok = f == "distance_km";
            for (const auto& d : layer->fields) ok = ok || d.name == f;
            if (!ok)
                throw UsageError("--fields: layer '" + layer->name + "' has no field '" + f +
                                 "'; valid fields: " + list_fields(layer->fields));
        }
        if (!where_.empty()) {
            try {
                spec.where = WhereExpr::parse(where_, layer->fields);
            } catch (const WhereError& e) {
                throw UsageError("--where \"" + where_ + "\": " + e.what());
            }
        }
        if (!within_.empty()) spec.within = resolve_area(within_);
        if (!intersects_.empty()) spec.intersects = read_geometries(intersects_);
        if (!near_.empty()) {
            spec.near = resolve_point(near_, "--near");
            spec.km = km_;
        }
        if (!nearest_.empty()) {
            spec.nearest = resolve_point(nearest_, "--nearest");
            spec.k = k_;
        }
        io.err << notes_;
        const auto hits = run_query(*layer, spec);
        const bool distance = spec.near || spec.nearest;

        if (format_ == "geojson") {
            write_geojson(io.out, *layer, hits, distance);
            return 0;
        }
        std::ostringstream buf;
        std::ostream& out = output_.empty() ? io.out : buf;
        write(out, *layer, hits, distance);
        if (!output_.empty()) write_text_file(output_, buf.str());
        return 0;
    }

private:
    const Layer* find_layer(const std::string& name) const {
        return sitmap::find_layer(atlas_layers_, name);
    }

    const Geocoder& geocoder() {
        if (!geocoder_) {
            gaz_ = std::make_unique<LoadedGazetteer>(load_gazetteer(data_));
            geocoder_ = std::make_unique<Geocoder>(gaz_->gazetteer);
        }
        return *geocoder_;
    }

    LonLat resolve_point(const std::string& s, const char* option) {
        if (auto p = parse_lonlat(s)) return *p;
        const auto r = geocoder().geocode(s);
        if (r.status == MatchStatus::unresolved)
            throw UsageError(std::string(option) + " '" + s + "' is not in the gazetteer (give a "
                             "place name or \"lon,lat\")");
        if (r.status == MatchStatus::ambiguous) {
            std::string c;
            for (const auto& cand : r.candidates) {
                const Place& p = gaz_->gazetteer.places()[cand.place];
                c += (c.empty() ? "" : ", ") + p.name + " (" + p.id + ")";
            }
            throw UsageError(std::string(option) + " '" + s + "' is ambiguous: " + c +
                             "; give a more precise name or \"lon,lat\"");
        }
        return r.place->point;
    }

    static std::string text_of(const Layer& l, const Feature& f, const std::string& field) {
        for (std::size_t i = 0; i < l.fields.size(); ++i)
            if (l.fields[i].name == field) return value_text(f.values[i]);
        return "";
    }

    // --within: a polygon file, a zone of the atlas, a region (id, code or name), or a place the
    // geocoder resolves to a governorate.
    QueryArea resolve_area(const std::string& s) {
        if (std::filesystem::exists(s)) {
            const RegionLayer r = read_regions(s);
            if (!r.repaired.empty())
                notes_ += "sitmap query: '" + s + "': " + std::to_string(r.repaired.size()) +
                          " invalid polygon(s) repaired with GEOS MakeValid\n";
            std::vector<std::shared_ptr<OGRGeometry>> keep;
            std::vector<const OGRGeometry*> gs;
            for (const auto& f : r.features) {
                keep.push_back(region_geometry(f.geometry));
                gs.push_back(keep.back().get());
            }
            return make_area("polygons of '" + s + "'", gs);
        }
        const std::string key = lower(s);
        if (const Layer* zones = find_layer("zones")) {
            for (const auto& f : zones->features)
                if (lower(text_of(*zones, f, "name")) == key)
                    return make_area("zone '" + s + "'", {f.geometry.get()});
        }
        const Layer* regions = find_layer("regions");
        auto regions_where = [&](const std::string& field, const std::string& value) {
            std::vector<const OGRGeometry*> gs;
            if (regions == nullptr) return gs;
            for (const auto& f : regions->features)
                if (lower(text_of(*regions, f, field)) == lower(value) && f.geometry)
                    gs.push_back(f.geometry.get());
            return gs;
        };
        for (const char* field : {"region_id", "iso_3166_2", "ocha_pcode", "name", "source_code"}) {
            const auto gs = regions_where(field, s);
            if (!gs.empty()) return make_area("region '" + s + "'", gs);
        }
        const auto r = geocoder().geocode(s);
        if (r.status == MatchStatus::matched && r.place->kind == Kind::governorate) {
            const auto gs = regions_where("iso_3166_2", r.place->admin1);
            if (!gs.empty()) return make_area("region '" + r.place->name + "'", gs);
        }
        std::string zones_list, regions_list;
        if (const Layer* zones = find_layer("zones"))
            for (const auto& f : zones->features)
                zones_list += (zones_list.empty() ? "" : ", ") + text_of(*zones, f, "name");
        if (regions)
            for (const auto& f : regions->features)
                regions_list += (regions_list.empty() ? "" : ", ") + text_of(*regions, f, "region_id");
        throw UsageError("--within '" + s + "' is not a polygon file, a zone (" + zones_list +
                         ") or a region (" + regions_list + ")");
    }

    std::vector<std::size_t> output_fields(const Layer& l, bool table) const {
        std::vector<std::size_t> out;
        if (!fields_.empty()) {
            for (const auto& f : fields_)
                for (std::size_t i = 0; i < l.fields.size(); ++i)
                    if (l.fields[i].name == f) out.push_back(i);
            return out;
        }
        if (!table) {
            for (std::size_t i = 0; i < l.fields.size(); ++i) out.push_back(i);
            return out;
        }
        static const std::vector<std::string> preferred = {
            "record_id", "place_id", "region_id", "name", "kind", "as_of", "category",
            "subcategory", "value", "unit", "period", "status", "place", "via", "precision",
            "admin1", "radius_km", "leg", "from_name", "to_name"};
        for (const auto& p : preferred)
            for (std::size_t i = 0; i < l.fields.size(); ++i)
                if (l.fields[i].name == p) out.push_back(i);
        if (out.size() < 3) {
            out.clear();
            for (std::size_t i = 0; i < l.fields.size() && i < 8; ++i) out.push_back(i);
        }
        return out;
    }

    static bool has_field(const Layer& l, const char* name) {
        for (const auto& f : l.fields)
            if (f.name == name) return true;
        return false;
    }

    void write(std::ostream& out, const Layer& l, const std::vector<QueryHit>& hits,
               bool distance) const {
        const auto cols = output_fields(l, format_ == "table");
        const bool lonlat = wkbFlatten(l.geometry_type) == wkbPoint && format_ != "table" &&
                            fields_.empty() && !has_field(l, "lon") && !has_field(l, "lat");
        const bool dist_col = distance && (fields_.empty() ||
                                           std::find(fields_.begin(), fields_.end(),
                                                     "distance_km") != fields_.end());
        if (format_ == "json") {
            for (const auto& h : hits) {
                const Feature& f = l.features[h.feature];
                nlohmann::ordered_json j;
                for (auto i : cols) {
                    const Value& v = f.values[i];
                    if (const auto* s = std::get_if<std::string>(&v)) j[l.fields[i].name] = *s;
                    else if (const auto* n = std::get_if<std::int64_t>(&v)) j[l.fields[i].name] = *n;
                    else if (const auto* d = std::get_if<double>(&v)) j[l.fields[i].name] = *d;
                    else j[l.fields[i].name] = nullptr;
                }
                if (lonlat && f.geometry) {
                    j["lon"] = f.geometry->toPoint()->getX();
                    j["lat"] = f.geometry->toPoint()->getY();
                }
                if (dist_col) j["distance_km"] = std::round(*h.distance_km * 1000) / 1000;
                out << j.dump() << '\n';
            }
            return;
        }
        std::vector<std::vector<std::string>> rows(1);
        for (auto i : cols) rows[0].push_back(l.fields[i].name);
        if (lonlat) rows[0].insert(rows[0].end(), {"lon", "lat"});
        if (dist_col) rows[0].push_back("distance_km");
        for (const auto& h : hits) {
            const Feature& f = l.features[h.feature];
            std::vector<std::string> r;
            for (auto i : cols) r.push_back(value_text(f.values[i]));
            if (lonlat) {
                char b[2][32] = {"", ""};
                if (f.geometry) {
                    std::snprintf(b[0], 32, "%.6f", f.geometry->toPoint()->getX());
                    std::snprintf(b[1], 32, "%.6f", f.geometry->toPoint()->getY());
                }
                r.insert(r.end(), {b[0], b[1]});
            }
            if (dist_col) {
                char b[32];
                std::snprintf(b, sizeof b, "%.3f", *h.distance_km);
                r.push_back(b);
            }
            rows.push_back(std::move(r));
        }
        if (format_ == "csv") {
            for (const auto& r : rows) {
                for (std::size_t i = 0; i < r.size(); ++i) out << (i ? "," : "") << csv_escape(r[i]);
                out << '\n';
            }
        } else {
            out << text_table(rows);
        }
    }

    void write_geojson(std::ostream& out, const Layer& l, const std::vector<QueryHit>& hits,
                       bool distance) const {
        const auto cols = output_fields(l, false);
        Layer o;
        o.name = l.name;
        o.geometry_type = l.geometry_type == wkbNone ? wkbUnknown : l.geometry_type;
        for (auto i : cols) o.fields.push_back(l.fields[i]);
        if (distance) o.fields.push_back({"distance_km", FieldType::real, ""});
        for (const auto& h : hits) {
            const Feature& f = l.features[h.feature];
            Feature g;
            g.geometry = f.geometry;
            for (auto i : cols) g.values.push_back(f.values[i]);
            if (distance) g.values.push_back(std::round(*h.distance_km * 1000) / 1000);
            o.features.push_back(std::move(g));
        }
        write_geojson_layer(o, output_, out);
    }

    std::string atlas_, layer_, where_, within_, intersects_, bbox_, near_, nearest_, from_, to_;
    double km_ = -1;
    std::size_t k_ = 0, limit_ = 0;
    std::vector<std::string> fields_;
    std::string format_ = "table", output_;
    DataOptions data_;
    std::vector<Layer> atlas_layers_;
    std::string notes_;
    std::unique_ptr<LoadedGazetteer> gaz_;
    std::unique_ptr<Geocoder> geocoder_;
};

} // namespace

std::unique_ptr<Command> make_query_command() { return std::make_unique<QueryCommand>(); }

} // namespace sitmap::cli
