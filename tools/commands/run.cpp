// sitmap run: the main job on the embedded default data, into out/: the atlas, every export,
// the QGIS project, and a short summary.
#include "geo/error.hpp"
#include "layers/atlas.hpp"
#include "layers/export.hpp"
#include "layers/styles.hpp"
#include "tools/command.hpp"
#include "tools/options.hpp"

#include <filesystem>
#include <ostream>
#include <sstream>

namespace sitmap::cli {

// Defined in build.cpp.
struct AtlasJob;
std::shared_ptr<AtlasJob> make_atlas_job();
std::string atlas_job_styles(const AtlasJob& job);
void check_atlas_job(const AtlasJob& job);
void add_atlas_options(CLI::App& app, AtlasJob& job);
Atlas run_atlas_job(const AtlasJob& job, const std::string& out, std::ostream& log);

namespace {

class RunCommand : public Command {
public:
    std::string_view name() const override { return "run"; }
    std::string_view summary() const override {
        return "The main job: build the atlas from the embedded data and export everything";
    }

    void setup(CLI::App& app) override {
        app.add_option("--out", out_dir_, "Output folder")->capture_default_str();
        add_atlas_options(app, *job_);
        app.footer("Writes OUT/atlas.gpkg (with QGIS styles), OUT/atlas.qgs (a QGIS project that\n"
                   "opens every layer styled), OUT/geojson/, OUT/shapefile/ (with .qml styles),\n"
                   "OUT/flatgeobuf/ and OUT/csv/ (with HXL hashtags), one file per layer, and\n"
                   "prints the layers, their feature counts, the unresolved and audit counts.");
    }

    int run(Io& io) override {
        check_atlas_job(*job_);
        namespace fs = std::filesystem;
        fs::create_directories(out_dir_);
        const std::string gpkg = out_dir_ + "/atlas.gpkg";
        std::ostringstream log;
        const Atlas atlas = run_atlas_job(*job_, gpkg, log);
        const auto layers = read_atlas(gpkg);
        ExportOptions opt;
        opt.styles_dir = atlas_job_styles(*job_);
        for (const char* f : {"geojson", "shapefile", "flatgeobuf", "csv"}) {
            opt.hxl = std::string(f) == "csv";
            export_layers(layers, f, out_dir_ + "/" + f, opt);
        }
        write_qgs_project(out_dir_ + "/atlas.qgs", "atlas.gpkg", atlas.layers, opt.styles_dir);

        io.out << log.str();
        io.out << "wrote " << gpkg << ", " << out_dir_ << "/atlas.qgs and " << out_dir_
               << "/{geojson,shapefile,flatgeobuf,csv}/ (" << layers.size()
               << " layers each)\n";
        return 0;
    }

private:
    std::string out_dir_ = "out";
    std::shared_ptr<AtlasJob> job_ = make_atlas_job();
};

} // namespace

std::unique_ptr<Command> make_run_command() { return std::make_unique<RunCommand>(); }

} // namespace sitmap::cli
