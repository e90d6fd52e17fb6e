#pragma once
// `sitmap render`: the atlas as a map for a report (PNG, SVG or PDF). Neighbouring countries in
// grey, the governorates as a choropleth of one group of records (category, subcategory, period
// kind), flows as curved arrows, crossings, checkpoints and camps as symbols with labels that do
// not collide, the zones outlined, a legend, a title, a scale bar, a north arrow and an
// attribution line. Lambert conformal conic through PROJ. Same input, same bytes.
#include "layers/feature.hpp"
#include "layers/render/map_view.hpp"

#include <optional>
#include <string>
#include <vector>

namespace sitmap::render {

// Syria with a margin: the default view.
inline constexpr LonLatBox kSyriaView{35.25, 32.05, 42.55, 37.55};

struct RenderOptions {
    int width = 1600, height = 1200; // pixels of the PNG; PDF and SVG: points = pixels * 72 / dpi
    double dpi = 150;
    std::optional<LonLatBox> bbox; // empty: kSyriaView
    std::string title;             // empty: named after the figures shown
    std::string category = "returns";
    std::string subcategory; // empty: the subcategory with most records in a governorate
    std::string period;      // empty: the period kind with most records in a governorate
    std::string from, to;    // as_of range (YYYY-MM-DD), inclusive; empty: open
};

// Checks the options (sizes, dpi, box: finite, min below max, latitudes within 85 degrees;
// dates, --from not after --to; category); throws UsageError.
void check_options(const RenderOptions &opt);

// "png", "svg" or "pdf" from the file name; throws UsageError for any other extension.
std::string render_format(const std::string &path);

// "minlon,minlat,maxlon,maxlat" -> a box; throws UsageError.
LonLatBox parse_bbox(const std::string &text);

// Where the parts of the page went (points, y down), for tests.
struct PageBoxes {
    Box title, frame, legend, scale_bar, north_arrow, attribution;
};

// What was drawn, for messages and tests.
struct RenderReport {
    std::string format;
    std::string group;                  // category:subcategory:period:unit of the choropleth
    std::size_t regions_with_value = 0; // governorates with a figure
    std::size_t unallocated = 0;        // records of the group not located in a governorate
    std::size_t flows = 0;              // flow legs drawn
    std::vector<std::string> flows_too_short; // legs too short to draw at this scale ("A → B")
    std::size_t flows_outside = 0;            // legs entirely outside the view
    std::size_t labels_placed = 0;
    std::vector<std::string> labels_left_out;
    std::vector<std::string> legend; // the legend's texts
    PageBoxes boxes;                 // the legend box: the space its entries take
};

// Renders the atlas layers (as read_atlas returns them from `atlas_path`, the name used in
// messages) to `path` (.png, .svg or .pdf), through a temporary file in the same folder renamed
// into place. Throws UsageError (bad options, unknown category, an output folder that does not
// exist, a page too small for the legend), InputError (the atlas lacks the regions layer, a field
// the map needs, or record layers) or WorkError.
RenderReport render_map(const std::vector<Layer> &atlas, const RenderOptions &opt,
                        const std::string &path, const std::string &atlas_path = "atlas");

} // namespace sitmap::render
