#pragma once
// Turns the atlas layers into the map's display list: the page layout (title band, map frame,
// legend panel, attribution band, the bands as tall as their texts), the layers in drawing order
// (neighbours, governorates as a choropleth, the national outline, zones, flows, places, crossings,
// checkpoints, camps), the labels placed without collisions, and the furniture.
#include "layers/feature.hpp"
#include "layers/render/display_list.hpp"
#include "layers/render/render.hpp"

#include <vector>

namespace sitmap::render {

struct PageLayout {
    double width = 0, height = 0; // points
    Box title, frame, legend, attribution;
};

// The page for a title band and an attribution band of (at least) these heights, in points.
PageLayout page_layout(const RenderOptions &opt, double title_height = 40,
                       double attribution_height = 29);

// Throws InputError naming `atlas_path` when the atlas has no (usable) regions layer or lacks
// what the map needs, UsageError for an unknown category, a box the projection cannot take or a
// page too small for the legend. Fills `report`.
DisplayList build_display_list(const std::vector<Layer> &atlas, const RenderOptions &opt,
                               const std::string &atlas_path, RenderReport &report);

} // namespace sitmap::render
