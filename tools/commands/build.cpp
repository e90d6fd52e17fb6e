// sitmap build: records + gazetteer + regions + zones -> atlas.gpkg.
#include "geo/error.hpp"
#include "layers/atlas.hpp"
#include "layers/export.hpp"
#include "tools/command.hpp"
#include "tools/options.hpp"

#include <filesystem>
#include <ostream>

namespace sitmap::cli {

struct AtlasJob {
    std::vector<std::string> records;   // empty: <data>/records.csv
    std::string documents;              // empty: <data>/documents.csv
    std::string regions;                // empty: Natural Earth from world_map
    std::string world_map;              // empty: Debian's qgis-common copy
    std::string zones;                  // empty: <data>/zones.csv
    std::string styles;                 // empty: <data>/styles
    DataOptions data;

    void check() const {
        namespace fs = std::filesystem;
        for (const auto& r : records)
            if (!fs::exists(r)) throw InputError(r, 0, "no such file");
        if (!regions.empty() && regions.find("|layername=") == std::string::npos &&
            !fs::exists(regions))
            throw InputError(regions, 0, "no such file");
    }
    std::string styles_dir() const { return styles.empty() ? data.file("styles") : styles; }
};

// Builds the atlas and writes it to `out` (a GeoPackage). Prints one line per layer to `log`.
Atlas run_atlas_job(const AtlasJob& job, const std::string& out, std::ostream& log) {
    const LoadedGazetteer loaded = load_gazetteer(job.data);
    AtlasInputs in;
    in.records = load_records(job.records.empty() ? std::vector<std::string>{job.data.file("records.csv")}
                                                  : job.records);
    const std::string docs = job.documents.empty() ? job.data.file("documents.csv") : job.documents;
    if (std::filesystem::exists(docs)) in.documents = load_documents(docs);
    in.gazetteer = &loaded.gazetteer;
    in.admin1 = &loaded.admin1;
    const std::string world = job.world_map.empty() ? default_world_map() : job.world_map;
    in.regions = job.regions.empty() ? load_natural_earth_regions(world, loaded.admin1)
                                     : load_regions(job.regions, loaded.admin1);
    const std::string zones = job.zones.empty() ? job.data.file("zones.csv") : job.zones;
    in.zones = make_zones(load_zone_defs(zones), loaded.gazetteer, zones);
    Atlas atlas = build_atlas(in);
    write_atlas_gpkg(out, atlas.layers, job.styles_dir());
    log << "records: " << in.records.size() << " (gazetteer: " << loaded.summary
        << "; regions: " << in.regions.regions.size() << " from " << in.regions.source << ")\n";
    for (const auto& l : atlas.layers) log << "  " << l.name << ": " << l.features.size() << "\n";
    log << "unresolved place strings: " << atlas.unresolved
        << "; audit findings: " << atlas.audit_findings << " of "
        << atlas.layer("audit").features.size() << " checks\n";
    return atlas;
}

void add_atlas_options(CLI::App& app, AtlasJob& job) {
    app.add_option("--records", job.records,
                   "Records tables (default: <data>/records.csv); repeatable")
        ->expected(1)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    app.add_option("--documents", job.documents, "Documents table (default: <data>/documents.csv)");
    app.add_option("--regions", job.regions,
                   "Region polygons, any layer GDAL reads (PATH or 'PATH|layername=L'); default: "
                   "Natural Earth admin-1 from --world-map");
    app.add_option("--world-map", job.world_map,
                   "Natural Earth GeoPackage with states_provinces and countries (default: " +
                       default_world_map() + ")");
    app.add_option("--zones", job.zones, "Zones table (default: <data>/zones.csv)");
    app.add_option("--styles", job.styles, "Folder of QML styles (default: <data>/styles)");
    add_data_options(app, job.data);
}

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

namespace sitmap::cli {

// For `sitmap run`, which holds a job without seeing its definition.
std::shared_ptr<AtlasJob> make_atlas_job() { return std::make_shared<AtlasJob>(); }
std::string atlas_job_styles(const AtlasJob& job) { return job.styles_dir(); }
void check_atlas_job(const AtlasJob& job) { job.check(); }

} // namespace sitmap::cli
