// sitmap render: the atlas as a map for a report (PNG, SVG or PDF).
#include "layers/render/render.hpp"
#include "geo/error.hpp"
#include "layers/export.hpp"
#include "tools/command.hpp"
#include "tools/options.hpp"

#include <filesystem>
#include <ostream>

namespace sitmap::cli {
namespace {

class RenderCommand : public Command {
  public:
    std::string_view name() const override { return "render"; }
    std::string_view summary() const override {
        return "Draw the atlas as a map (PNG, SVG or PDF) with legend, scale bar and north arrow";
    }
    void setup(CLI::App &app) override {
        app.add_option("atlas", atlas_, "Atlas GeoPackage (from 'sitmap build')")->required();
        add_output(app, out_, "Map file: .png, .svg or .pdf")->required();
        app.add_option("--width", opt_.width,
                       "Width in pixels (PDF/SVG: points = pixels * 72 / dpi)")
            ->capture_default_str();
        app.add_option("--height", opt_.height, "Height in pixels")->capture_default_str();
        app.add_option("--dpi", opt_.dpi, "Resolution: pixels per inch of the PNG")
            ->capture_default_str();
        app.add_option("--bbox", bbox_,
                       "View minlon,minlat,maxlon,maxlat (default: Syria, "
                       "35.25,32.05,42.55,37.55)");
        app.add_option("--title", opt_.title, "Title (default: named after the figures shown)");
        app.add_option("--category", opt_.category, "Record category of the choropleth and flows")
            ->capture_default_str();
        app.add_option("--subcategory", opt_.subcategory,
                       "Subcategory (default: the one with most records in a governorate)");
        app.add_option("--period", opt_.period,
                       "Period kind: cumulative, point_in_time, day, week, month, year (default: "
                       "the one with most records in a governorate)");
        app.add_option("--from", opt_.from, "Records with as_of on or after YYYY-MM-DD");
        app.add_option("--to", opt_.to, "Records with as_of on or before YYYY-MM-DD");
        app.footer(
            "Governorates coloured by the sum of one group of records (category, subcategory,\n"
            "period kind, unit) in up to five classes (natural breaks, ColorBrewer YlGnBu);\n"
            "records located only at country level are counted in the legend, never spread.\n"
            "Flows of the same category, period kind and unit as curved arrows (width ~\n"
            "sqrt(value)); legs outside the view are neither drawn nor counted as drawn.\n"
            "Lambert conformal conic (standard parallels 33 and 37 N) through PROJ.\n"
            "Same input, same bytes (PDF with fixed metadata dates).\n"
            "\nExamples:\n"
            "  sitmap render atlas.gpkg -o map.png\n"
            "  sitmap render atlas.gpkg -o daraa.svg --bbox 35.6,32.2,37.6,34.0\n"
            "  sitmap render atlas.gpkg -o map.pdf --category facilities");
    }
    int run(Io &io) override {
        if (!bbox_.empty())
            opt_.bbox = render::parse_bbox(bbox_);
        if (!std::filesystem::exists(atlas_))
            throw InputError(atlas_, 0, "no such file");
        const auto layers = read_atlas(atlas_);
        if (layers.empty())
            throw InputError(atlas_, 0, "has no layers");
        // render_map checks the options, the output and the atlas's layers and fields.
        const auto r = render::render_map(layers, opt_, out_, atlas_);
        io.out << "wrote " << out_ << " (" << r.format << "; "
               << (r.group.empty() ? opt_.category + ": no records" : r.group) << ": "
               << r.regions_with_value << " governorate" << (r.regions_with_value == 1 ? "" : "s")
               << " with a figure, " << r.unallocated << " record"
               << (r.unallocated == 1 ? "" : "s") << " not located in one; " << r.flows
               << " flow leg" << (r.flows == 1 ? "" : "s") << " drawn"
               << (r.flows_too_short.empty()
                       ? std::string()
                       : ", " + std::to_string(r.flows_too_short.size()) + " too short to draw")
               << (r.flows_outside == 0
                       ? std::string()
                       : ", " + std::to_string(r.flows_outside) + " outside the view")
               << "; " << r.labels_placed
               << " labels placed, " << r.labels_left_out.size() << " left out)\n";
        return 0;
    }

  private:
    std::string atlas_, out_, bbox_;
    render::RenderOptions opt_;
};

} // namespace

std::unique_ptr<Command> make_render_command() {
    return std::make_unique<RenderCommand>();
}

} // namespace sitmap::cli
