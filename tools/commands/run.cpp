// sitmap run: the main job on the embedded default data, into out/.
#include "geo/csv.hpp"
#include "geo/error.hpp"
#include "geo/geocoder.hpp"
#include "layers/gdal_io.hpp"
#include "layers/place_layer.hpp"
#include "tools/command.hpp"
#include "tools/options.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>

namespace sitmap::cli {
namespace {

class RunCommand : public Command {
public:
    std::string_view name() const override { return "run"; }
    std::string_view summary() const override {
        return "The main job on the embedded data: gazetteer layers and a geocoder self-check";
    }

    void setup(CLI::App& app) override {
        app.add_option("--out", out_dir_, "Output folder")->capture_default_str();
        add_data_options(app, data_);
        app.footer("Writes OUT/places.gpkg (layer 'places') and OUT/places.geojson, the gazetteer's\n"
                   "places through GDAL, and OUT/gazetteer_check.csv: every name of every place\n"
                   "geocoded back, with the place it resolved to.");
    }

    int run(Io& io) override {
        const LoadedGazetteer loaded = load_gazetteer(data_);
        const Gazetteer& g = loaded.gazetteer;
        const Geocoder geocoder(g);

        namespace fs = std::filesystem;
        fs::create_directories(out_dir_);
        const Layer places = make_place_layer(g, "places");
        write_layers(out_dir_ + "/places.gpkg", "GPKG", {&places});
        WriteOptions gj;
        gj.layer_options = {"RFC7946=YES", "COORDINATE_PRECISION=7", "WRITE_NAME=NO"};
        write_layers(out_dir_ + "/places.geojson", "GeoJSON", {&places}, gj);

        // Self-check: every name of every place must come back to that place.
        std::size_t names = 0, self = 0, ambiguous = 0, other = 0;
        std::string check = "place_id,name,resolved_id,status,score\n";
        for (const Place& p : g.places()) {
            for (auto n : p.all_names()) {
                ++names;
                const auto r = geocoder.geocode(n);
                const bool same = r.place != nullptr && r.place->id == p.id;
                if (same && r.status == MatchStatus::matched) ++self;
                else if (r.status == MatchStatus::ambiguous) ++ambiguous;
                else ++other;
                char score[16];
                std::snprintf(score, sizeof score, "%.3f", r.score);
                check += csv_escape(p.id) + "," + csv_escape(n) + "," +
                         (r.place ? csv_escape(r.place->id) : "") + "," +
                         std::string(to_string(r.status)) + "," + score + "\n";
            }
        }
        const std::string check_path = out_dir_ + "/gazetteer_check.csv";
        {
            std::ofstream f(check_path + ".tmp", std::ios::binary);
            f << check;
            if (!f.flush()) throw WorkError("cannot write '" + check_path + "'");
        }
        fs::rename(check_path + ".tmp", check_path);

        std::map<std::string, std::size_t> kinds;
        for (const Place& p : g.places()) ++kinds[std::string(to_string(p.kind))];
        io.out << "gazetteer: " << loaded.summary << "\n";
        for (const auto& [k, n] : kinds) io.out << "  " << k << ": " << n << "\n";
        io.out << "names indexed: " << geocoder.indexed_names() << "\n"
               << "self-check: " << self << " of " << names << " names resolve to their own place, "
               << ambiguous << " ambiguous, " << other << " to another place\n"
               << "wrote " << out_dir_ << "/places.gpkg, " << out_dir_ << "/places.geojson, "
               << check_path << "\n";
        return 0;
    }

private:
    std::string out_dir_ = "out";
    DataOptions data_;
};

} // namespace

std::unique_ptr<Command> make_run_command() { return std::make_unique<RunCommand>(); }

} // namespace sitmap::cli
