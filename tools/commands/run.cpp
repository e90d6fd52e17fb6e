// sitmap run: the main job on the embedded default data, into out/: the atlas, every export,
// the QGIS project, the map, the vector tiles and a short summary. With --bulletins DIR, the
// records are first extracted from every *.txt in DIR (OUT/records.csv) and the atlas is built
// from them.
#include "geo/error.hpp"
#include "layers/aggregate.hpp"
#include "layers/atlas.hpp"
#include "layers/export.hpp"
#include "layers/render/render.hpp"
#include "layers/styles.hpp"
#include "layers/tiles/tileset.hpp"
#include "tools/command.hpp"
#include "tools/jobs.hpp"
#include "tools/output.hpp"
#include "tools/options.hpp"

#include <algorithm>
#include <filesystem>
#include <ostream>
#include <sstream>

namespace sitmap::cli {

namespace {

class RunCommand : public Command {
public:
    std::string_view name() const override { return "run"; }
    std::string_view summary() const override {
        return "The main job: build the atlas from the embedded data and export everything";
    }

    void setup(CLI::App& app) override {
        app.add_option("--out", out_dir_, "Output folder")->capture_default_str();
        app.add_option("--bulletins", bulletins_,
                       "Folder of plain-text bulletins (*.txt): extract them to OUT/records.csv and "
                       "build from those records instead of <data>/records.csv");
        app.add_option("--date", date_, "With --bulletins: date of bulletins whose text states none");
        add_atlas_options(app, job_);
        app.footer("Writes OUT/atlas.gpkg (with QGIS styles), OUT/atlas.qgs (a QGIS project that\n"
                   "opens every layer styled), OUT/geojson/, OUT/shapefile/ (with .qml styles),\n"
                   "OUT/flatgeobuf/ and OUT/csv/ (with HXL hashtags), one file per layer,\n"
                   "OUT/summary_by_governorate.csv (returns and facilities per governorate, as\n"
                   "'sitmap aggregate OUT/atlas.gpkg --by regions --format csv' gives it),\n"
                   "OUT/map.png (the default view of 'sitmap render'), OUT/tiles/ (vector tiles,\n"
                   "zooms 0-8, as 'sitmap tiles OUT/atlas.gpkg -o OUT/tiles' writes them), and\n"
                   "prints the layers, their feature counts, the unresolved and audit counts.");
    }

    int run(Io& io) override {
        namespace fs = std::filesystem;
        ExtractJob ex;
        if (!bulletins_.empty()) {
            if (!job_.records.empty())
                throw UsageError("--bulletins and --records cannot be used together");
            if (!fs::is_directory(bulletins_))
                throw InputError(bulletins_, 0, fs::exists(bulletins_) ? "is not a folder" : "no such folder");
            for (const auto& e : fs::directory_iterator(bulletins_))
                if (e.is_regular_file() && e.path().extension() == ".txt")
                    ex.bulletins.push_back(e.path().string());
            std::sort(ex.bulletins.begin(), ex.bulletins.end());
            if (ex.bulletins.empty()) throw InputError(bulletins_, 0, "no *.txt bulletins in this folder");
            ex.date = date_;
            ex.data = job_.data;
            check_extract_job(ex);
        } else {
            job_.check();
        }
        fs::create_directories(out_dir_);
        if (!ex.bulletins.empty()) {
            const std::string records = out_dir_ + "/records.csv";
            const auto n = run_extract_job(ex, records, io);
            io.out << "extracted " << n << " records from " << ex.bulletins.size() << " bulletin"
                   << (ex.bulletins.size() == 1 ? "" : "s") << " into " << records << "\n";
            job_.records = {records}; // build from those records
            job_.check();
        }
        const std::string gpkg = out_dir_ + "/atlas.gpkg";
        std::ostringstream log;
        const Atlas atlas = run_atlas_job(job_, gpkg, log);
        const auto layers = read_atlas(gpkg);
        ExportOptions opt;
        opt.styles_dir = job_.styles_dir();
        for (const char* f : {"geojson", "shapefile", "flatgeobuf", "csv"}) {
            opt.hxl = std::string(f) == "csv";
            export_layers(layers, f, out_dir_ + "/" + f, opt);
        }
        write_qgs_project(out_dir_ + "/atlas.qgs", "atlas.gpkg", atlas.layers, opt.styles_dir);

        // The per-governorate summary: returns and facilities per region, as `sitmap aggregate
        // OUT/atlas.gpkg --by regions --format csv` writes it.
        RegionSourceOptions ro;
        ro.layer = "regions";
        const RegionLayer regions = read_regions(gpkg, ro);
        std::vector<const Layer*> record_layers;
        for (const auto& l : layers) record_layers.push_back(&l);
        const AggregateTable summary = aggregate_records(regions, record_layers, AggregateSpec{});
        std::ostringstream csv;
        write_aggregate_csv(csv, summary, regions);
        const std::string summary_path = out_dir_ + "/summary_by_governorate.csv";
        write_text_file(summary_path, csv.str());
        std::size_t allocated = 0, unallocated = 0;
        for (const auto& r : summary.rows)
            (r.kind == "region" ? allocated : unallocated) += r.records;

        // The map (default view) and the vector tiles.
        const std::string map_path = out_dir_ + "/map.png";
        const auto map = render::render_map(layers, render::RenderOptions{}, map_path, gpkg);
        tiles::TileOptions to;
        to.input = gpkg;
        to.directory = out_dir_ + "/tiles";
        to.name = "sitmap atlas";
        const auto tiled = tiles::make_tiles(to);

        io.out << log.str();
        io.out << "map: " << map.group << ", governorates with a figure: " << map.regions_with_value
               << ", " << map.unallocated
               << " records not located in one, " << map.flows << " flow legs drawn ("
               << map.flows_too_short.size() << " too short at this scale), "
               << map.labels_placed << " labels (" << map.labels_left_out.size()
               << " left out where places crowd)\n";
        io.out << "tiles: zooms " << to.min_zoom << "-" << to.max_zoom << ", " << tiled.tiles()
               << " tiles; at every zoom the counts add up to all " << tiled.points()
               << " points\n";
        io.out << "summary: returns and facilities records per governorate: " << allocated
               << " allocated, " << unallocated << " unallocated or outside the governorates\n";
        io.out << "wrote " << gpkg << ", " << out_dir_ << "/atlas.qgs, " << summary_path << ", "
               << map_path << ", " << to.directory << "/ and " << out_dir_
               << "/{geojson,shapefile,flatgeobuf,csv}/ (" << layers.size()
               << " layers each)\n";
        return 0;
    }

private:
    std::string out_dir_ = "out";
    std::string bulletins_, date_;
    AtlasJob job_;
};

} // namespace

std::unique_ptr<Command> make_run_command() { return std::make_unique<RunCommand>(); }

} // namespace sitmap::cli
