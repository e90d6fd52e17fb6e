// sitmap build: records + gazetteer + regions + zones -> atlas.gpkg.
#include "geo/error.hpp"
#include "layers/atlas.hpp"
#include "layers/export.hpp"
#include "tools/command.hpp"
#include "tools/jobs.hpp"
#include "tools/options.hpp"

#include <filesystem>
#include <ostream>

namespace sitmap::cli {

namespace {

class BuildCommand : public Command {
public:
    std::string_view name() const override { return "build"; }
    std::string_view summary() const override {
        return "Build the atlas GeoPackage from records, gazetteer, regions and zones";
    }
    void setup(CLI::App& app) override {
        add_output(app, out_, "Atlas GeoPackage to write (e.g. atlas.gpkg)")->required();
        add_atlas_options(app, job_);
        app.footer(
            "Layers (EPSG:4326): countries, regions, zones, flows, returns, intended_returns,\n"
            "camp_population, facilities, other_figures, places, crossings, camps, unresolved,\n"
            "audit; plus atlas_fields (data dictionary) and layer_styles (QGIS styles).\n"
            "Prints the feature count of every layer. See docs/data-model.md.");
    }
    int run(Io& io) override {
        job_.check();
        run_atlas_job(job_, out_, io.out);
        io.out << "wrote " << out_ << "\n";
        return 0;
    }

private:
    std::string out_;
    AtlasJob job_;
};

} // namespace

std::unique_ptr<Command> make_build_command() { return std::make_unique<BuildCommand>(); }

} // namespace sitmap::cli

