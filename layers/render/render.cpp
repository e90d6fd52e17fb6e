#include "layers/render/render.hpp"

#include "geo/error.hpp"
#include "layers/query.hpp"
#include "layers/records.hpp"
#include "layers/render/cairo_backend.hpp"
#include "layers/render/map_builder.hpp"
#include "layers/render/svg_writer.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>

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
        if (b.max_lon - b.min_lon < 0.01 || b.max_lat - b.min_lat < 0.01)
            throw UsageError("--bbox is too small (at least 0.01 degrees each way)");
    }
    for (const auto *d : {&opt.from, &opt.to})
        if (!d->empty() && !is_iso_date(*d))
            throw UsageError("--from/--to take a date YYYY-MM-DD, not '" + *d + "'");
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

RenderReport render_map(const std::vector<Layer> &atlas, const RenderOptions &opt,
                        const std::string &path) {
    check_options(opt);
    RenderReport report;
    report.format = render_format(path);
    const DisplayList dl = build_display_list(atlas, opt, report);

    namespace fs = std::filesystem;
    const fs::path target(path);
    const fs::path tmp = target.parent_path() / ("." + target.filename().string() + ".part");
    try {
        if (report.format == "png") {
            write_png(dl, opt.width, opt.height, tmp.string());
        } else if (report.format == "pdf") {
            write_pdf(dl, tmp.string());
        } else {
            std::ofstream out(tmp, std::ios::binary);
            if (!out)
                throw WorkError("cannot create '" + tmp.string() + "'");
            write_svg(dl, out);
            out.close();
            if (!out)
                throw WorkError("cannot write '" + tmp.string() + "'");
        }
        fs::rename(tmp, target);
    } catch (...) {
        std::error_code ec;
        fs::remove(tmp, ec);
        throw;
    }
    return report;
}

} // namespace sitmap::render
