// sitmap export: atlas.gpkg -> GeoJSON, Shapefile, FlatGeobuf, CSV or GeoPackage.
#include "geo/error.hpp"
#include "layers/export.hpp"
#include "tools/command.hpp"
#include "tools/options.hpp"

#include <ostream>

namespace sitmap::cli {
namespace {

class ExportCommand : public Command {
public:
    std::string_view name() const override { return "export"; }
    std::string_view summary() const override {
        return "Write every atlas layer as GeoJSON, Shapefile, FlatGeobuf, CSV or GeoPackage";
    }
    void setup(CLI::App& app) override {
        app.add_option("atlas", atlas_, "Atlas GeoPackage (from 'sitmap build')")->required();
        app.add_option("--format", format_, "Output format")
            ->required()
            ->check(CLI::IsMember(export_formats()));
        add_output(app, out_, "Output: a file for gpkg, a folder for the other formats")
            ->required();
        app.add_flag("--hxl", hxl_, "CSV: add a second row of HXL hashtags");
        app.add_option("--styles", styles_, "Folder of QML styles (default: <data>/styles)");
        app.add_option("--data", data_.data_dir, "Data folder (default: SITMAP_DATA or data/)");
        app.footer(
            "geojson: FOLDER/<layer>.geojson, RFC 7946 (lon/lat, right-hand winding, no crs,\n"
            "  at most 7 decimals). shapefile: FOLDER/<layer>.shp/.shx/.dbf/.prj/.cpg (UTF-8)\n"
            "  with <layer>.qml styles and field_names.csv (the fixed mapping of long field\n"
            "  names). flatgeobuf: FOLDER/<layer>.fgb. csv: FOLDER/<layer>.csv, point layers\n"
            "  with lon/lat columns, others with a WKT column. gpkg: one file with styles.");
    }
    int run(Io& io) override {
        if (hxl_ && format_ != "csv") throw UsageError("--hxl applies to --format csv only");
        const auto layers = read_atlas(atlas_);
        if (layers.empty()) throw InputError(atlas_, 0, "has no layers");
        ExportOptions opt;
        opt.hxl = hxl_;
        opt.styles_dir = styles_.empty() ? data_.file("styles") : styles_;
        const auto res = export_layers(layers, format_, out_, opt);
        io.out << "wrote " << layers.size() << " layers to " << out_ << " (" << res.files.size()
               << " files)\n";
        return 0;
    }

private:
    std::string atlas_, format_, out_, styles_;
    bool hxl_ = false;
    DataOptions data_;
};

} // namespace

std::unique_ptr<Command> make_export_command() { return std::make_unique<ExportCommand>(); }

} // namespace sitmap::cli
