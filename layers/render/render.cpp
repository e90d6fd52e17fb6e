#include "layers/render/render.hpp"

#include "geo/error.hpp"
#include "geo/utf8.hpp"
#include "layers/query.hpp"
#include "layers/records.hpp"
#include "layers/render/cairo_backend.hpp"
#include "layers/render/map_builder.hpp"
#include "layers/render/svg_writer.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>

#include <unistd.h>

namespace sitmap::render {

void check_options(const RenderOptions &opt) {
    if (opt.width < 400 || opt.width > 20000 || opt.height < 300 || opt.height > 20000)
        throw UsageError("--width must be 400..20000 and --height 300..20000 pixels, not " +
                         std::to_string(opt.width) + "x" + std::to_string(opt.height));
    if (!(opt.dpi >= 36 && opt.dpi <= 1200))
        throw UsageError("--dpi must be 36..1200, not " + format_number(opt.dpi));
    if (opt.width * 72.0 / opt.dpi < 400 || opt.height * 72.0 / opt.dpi < 300)
        throw UsageError("the page is too small at this --dpi: --width * 72 / --dpi must be at "
                         "least 400 points and --height * 72 / --dpi at least 300");
    if (opt.bbox) {
        const auto &b = *opt.bbox;
        // Written so that NaN fails every test.
        if (!(b.min_lon >= -180 && b.max_lon <= 180 && b.min_lat >= -90 && b.max_lat <= 90))
            throw UsageError("--bbox takes longitudes -180..180 and latitudes -90..90");
        if (!(b.min_lat >= -85 && b.max_lat <= 85))
            throw UsageError("--bbox reaches beyond 85 degrees of latitude: the map's projection "
                             "cannot show it");
        if (!(b.max_lon - b.min_lon >= 0.01 && b.max_lat - b.min_lat >= 0.01))
            throw UsageError("--bbox is too small (at least 0.01 degrees each way)");
    }
    for (const auto *d : {&opt.from, &opt.to})
        if (!d->empty() && !is_iso_date(*d))
            throw UsageError("--from/--to take a date YYYY-MM-DD, not '" + *d + "'");
    if (!opt.from.empty() && !opt.to.empty() && opt.from > opt.to)
        throw UsageError("--from " + opt.from + " is later than --to " + opt.to);
    const auto &cats = record_categories();
    if (std::find(cats.begin(), cats.end(), opt.category) == cats.end()) {
        std::string known;
        for (const auto &c : cats)
            known += (known.empty() ? "" : ", ") + c;
        throw UsageError("unknown --category '" + opt.category + "' (known: " + known + ")");
    }
}

std::string render_format(const std::string &path) {
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext == ".png" || ext == ".svg" || ext == ".pdf")
        return ext.substr(1);
    throw UsageError("-o '" + path + "': the file name must end in .png, .svg or .pdf");
}

LonLatBox parse_bbox(const std::string &text) {
    const auto b = sitmap::parse_bbox(text);
    return {b[0], b[1], b[2], b[3]};
}

namespace {

// The output's folder exists and the output is not a folder; throws UsageError naming -o.
void check_output(const std::string &path) {
    namespace fs = std::filesystem;
    const fs::path target(path);
    std::error_code ec;
    if (fs::is_directory(target, ec))
        throw UsageError("-o '" + path + "' is a folder: give a file name");
    const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    if (!fs::is_directory(dir, ec))
        throw UsageError("-o '" + path + "': the folder '" + dir.string() + "' does not exist");
}

} // namespace

RenderReport render_map(const std::vector<Layer> &atlas, const RenderOptions &options,
                        const std::string &path, const std::string &atlas_path) {
    check_options(options);
    RenderReport report;
    report.format = render_format(path);
    check_output(path);
    // Text given by the user enters here, made fit for Pango and XML once.
    RenderOptions opt = options;
    for (auto *s : {&opt.title, &opt.subcategory, &opt.period})
        *s = displayable_utf8(*s);
    const DisplayList dl = build_display_list(atlas, opt, atlas_path, report);

    namespace fs = std::filesystem;
    const fs::path target(path);
    // Unique per process, so that concurrent renders to one folder do not collide.
    const fs::path tmp = target.parent_path() /
                         ("." + target.filename().string() + ".part-" + std::to_string(::getpid()));
    try {
        if (report.format == "png") {
            write_png(dl, opt.width, opt.height, tmp.string());
        } else if (report.format == "pdf") {
            write_pdf(dl, tmp.string());
        } else {
            std::ofstream out(tmp, std::ios::binary);
            if (!out)
                throw WorkError("cannot create a temporary file in its folder");
            write_svg(dl, out);
            out.close();
            if (!out)
                throw WorkError("the disk refused the data");
        }
        fs::rename(tmp, target);
    } catch (const std::exception &e) {
        std::error_code ec;
        fs::remove(tmp, ec);
        throw WorkError("cannot write '" + path + "': " + e.what());
    } catch (...) {
        std::error_code ec;
        fs::remove(tmp, ec);
        throw;
    }
    return report;
}

} // namespace sitmap::render
