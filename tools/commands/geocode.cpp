// sitmap geocode: place names -> gazetteer entries with status, score and precision.
#include "geo/csv.hpp"
#include "geo/error.hpp"
#include "geo/geocoder.hpp"
#include "geo/utf8.hpp"
#include "layers/gdal_io.hpp"
#include "tools/command.hpp"
#include "tools/output.hpp"
#include "tools/options.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <fstream>
#include <cstdio>
#include <iomanip>
#include <ostream>
#include <sstream>

namespace sitmap::cli {
namespace {

std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

class GeocodeCommand : public Command {
public:
    std::string_view name() const override { return "geocode"; }
    std::string_view summary() const override {
        return "Resolve place names against the gazetteer (matched, ambiguous or unresolved)";
    }

    void setup(CLI::App& app) override {
        app.add_option("names", names_, "Place names to resolve (Latin or Arabic script)");
        app.add_option("--input", input_, "CSV file with the names to resolve (with --column)");
        app.add_option("--column", column_, "Column of --input holding the names");
        app.add_option("--near", near_,
                       "Prefer places near this place (a name, or \"lon,lat\")");
        app.add_option("--admin1", admin1_,
                       "Prefer places in this governorate (ISO 3166-2:SY code, e.g. SY-DR)");
        add_format(app, format_, {"table", "csv", "json", "geojson"});
        add_output(app, output_, "Write to this file instead of stdout");
        add_data_options(app, data_);
        app.footer("csv columns: query,id,name,kind,lon,lat,admin1,country,precision,score,status\n"
                   "status: matched | ambiguous | unresolved (unresolved rows have empty lon/lat).\n"
                   "json: one object per line, with up to 5 ranked candidates.");
    }

    int run(Io& io) override {
        if (names_.empty() && input_.empty())
            throw UsageError("give place names, or --input FILE --column COL");
        if (!input_.empty() && column_.empty()) throw UsageError("--input needs --column");
        if (input_.empty() && !column_.empty()) throw UsageError("--column needs --input");
        for (const auto& n : names_) {
            if (!is_valid_utf8(n)) throw UsageError("a name is not valid UTF-8");
            if (n.find_first_not_of(" \t") == std::string::npos) throw UsageError("empty name");
        }
        if (!admin1_.empty() && (admin1_.size() != 5 || admin1_.rfind("SY-", 0) != 0))
            throw UsageError("--admin1 takes an ISO 3166-2:SY code such as SY-DR");

        std::vector<std::string> queries = names_;
        if (!input_.empty()) read_input(queries);

        const LoadedGazetteer loaded = load_gazetteer(data_);
        const Geocoder geocoder(loaded.gazetteer);
        GeocodeContext ctx;
        ctx.admin1 = admin1_;
        if (!near_.empty()) {
            if (auto p = parse_lonlat(near_)) {
                ctx.near = *p;
            } else {
                const auto r = geocoder.geocode(near_);
                if (r.status == MatchStatus::unresolved)
                    throw UsageError("--near place '" + near_ + "' is not in the gazetteer");
                ctx.near = r.place->point;
            }
        }
        std::vector<GeocodeResult> results;
        results.reserve(queries.size());
        for (const auto& q : queries) results.push_back(geocoder.geocode(q, ctx));

        if (output_.empty() || format_ == "geojson") {
            write(io.out, results, loaded.gazetteer); // geojson goes through GDAL to -o or stdout
        } else {
            std::ostringstream buf;
            write(buf, results, loaded.gazetteer);
            write_text_file(output_, buf.str());
        }
        std::size_t unresolved = 0, ambiguous = 0;
        for (const auto& r : results) {
            unresolved += r.status == MatchStatus::unresolved;
            ambiguous += r.status == MatchStatus::ambiguous;
        }
        if (unresolved + ambiguous > 0 && format_ != "table")
            io.err << "sitmap geocode: " << unresolved << " unresolved, " << ambiguous
                   << " ambiguous of " << results.size() << " names\n";
        return 0;
    }

private:
    void read_input(std::vector<std::string>& queries) {
        CsvReader csv(input_);
        const std::size_t col = csv.require(column_);
        std::vector<std::string> row;
        while (csv.next(row)) {
            if (row[col].find_first_not_of(" \t") == std::string::npos)
                csv.fail("empty name in column '" + column_ + "'");
            queries.push_back(row[col]);
        }
    }

    void write(std::ostream& out, const std::vector<GeocodeResult>& results,
               const Gazetteer& g) const {
        if (format_ == "csv") {
            out << "query,id,name,kind,lon,lat,admin1,country,precision,score,status\n";
            for (const auto& r : results) {
                const Place* p = r.place;
                out << csv_escape(r.query) << ',' << (p ? csv_escape(p->id) : "") << ','
                    << (p ? csv_escape(p->name) : "") << ','
                    << (p ? std::string(to_string(p->kind)) : "") << ','
                    << (p ? fixed(p->point.lon, 5) : "") << ','
                    << (p ? fixed(p->point.lat, 5) : "") << ',' << (p ? p->admin1 : "") << ','
                    << (p ? p->country : "") << ',' << to_string(r.precision) << ','
                    << fixed(r.score, 3) << ',' << to_string(r.status) << '\n';
            }
        } else if (format_ == "json") {
            for (const auto& r : results) out << to_json(r, g).dump() << '\n';
        } else if (format_ == "geojson") {
            write_geojson(out, results);
        } else {
            write_table(out, results);
        }
    }

    static nlohmann::ordered_json to_json(const GeocodeResult& r, const Gazetteer& g) {
        nlohmann::ordered_json j;
        j["query"] = r.query;
        j["status"] = to_string(r.status);
        j["score"] = std::round(r.score * 1000) / 1000;
        j["precision"] = to_string(r.precision);
        if (r.place) {
            j["id"] = r.place->id;
            j["name"] = r.place->name;
            j["kind"] = to_string(r.place->kind);
            j["lon"] = r.place->point.lon;
            j["lat"] = r.place->point.lat;
            j["admin1"] = r.place->admin1;
            j["country"] = r.place->country;
        }
        auto cands = nlohmann::ordered_json::array();
        for (const auto& c : r.candidates) {
            const Place& p = g.places()[c.place];
            cands.push_back({{"id", p.id},
                             {"name", p.name},
                             {"kind", to_string(p.kind)},
                             {"admin1", p.admin1},
                             {"country", p.country},
                             {"score", std::round(c.score * 1000) / 1000}});
        }
        j["candidates"] = cands;
        return j;
    }

    void write_geojson(std::ostream& out, const std::vector<GeocodeResult>& results) const {
        Layer l;
        l.name = "geocode";
        l.geometry_type = wkbPoint;
        l.fields = {{"query", FieldType::string, ""},  {"id", FieldType::string, ""},
                    {"name", FieldType::string, ""},   {"kind", FieldType::string, ""},
                    {"admin1", FieldType::string, ""}, {"country", FieldType::string, ""},
                    {"precision", FieldType::string, ""}, {"score", FieldType::real, ""},
                    {"status", FieldType::string, ""}};
        for (const auto& r : results) {
            const Place* p = r.place;
            Feature f;
            if (p) f.geometry = make_point(p->point.lon, p->point.lat);
            f.values = {r.query,
                        p ? Value{p->id} : Value{},
                        p ? Value{p->name} : Value{},
                        p ? Value{std::string(to_string(p->kind))} : Value{},
                        p ? Value{p->admin1} : Value{},
                        p ? Value{p->country} : Value{},
                        std::string(to_string(r.precision)),
                        std::round(r.score * 1000) / 1000,
                        std::string(to_string(r.status))};
            l.features.push_back(std::move(f));
        }
        write_geojson_layer(l, output_, out);
    }

    static void write_table(std::ostream& out, const std::vector<GeocodeResult>& results) {
        std::vector<std::vector<std::string>> rows = {
            {"query", "status", "score", "id", "name", "kind", "lon", "lat", "admin1"}};
        for (const auto& r : results) {
            const Place* p = r.place;
            rows.push_back({r.query, std::string(to_string(r.status)), fixed(r.score, 3),
                            p ? p->id : "", p ? p->name : "",
                            p ? std::string(to_string(p->kind)) : "",
                            p ? fixed(p->point.lon, 5) : "", p ? fixed(p->point.lat, 5) : "",
                            p ? p->admin1 : ""});
        }
        std::vector<std::size_t> width(rows[0].size(), 0);
        auto display_width = [](const std::string& s) {
            std::size_t w = 0;
            for (unsigned char c : s) w += (c & 0xC0) != 0x80;
            return w;
        };
        for (const auto& row : rows)
            for (std::size_t i = 0; i < row.size(); ++i)
                width[i] = std::max(width[i], display_width(row[i]));
        for (const auto& row : rows) {
            std::string line;
            for (std::size_t i = 0; i < row.size(); ++i) {
                line += row[i];
                if (i + 1 < row.size()) line += std::string(width[i] - display_width(row[i]) + 2, ' ');
            }
            out << line << '\n';
        }
    }

    std::vector<std::string> names_;
    std::string input_, column_, near_, admin1_, output_;
    std::string format_ = "table";
    DataOptions data_;
};

} // namespace

std::unique_ptr<Command> make_geocode_command() { return std::make_unique<GeocodeCommand>(); }

} // namespace sitmap::cli
