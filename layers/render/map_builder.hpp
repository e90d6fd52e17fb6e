#pragma once
// Turns the atlas layers into the map's display list: the page layout (title band, map frame,
// legend panel, attribution band), the layers in drawing order (neighbours, governorates as a
// choropleth, the national outline, zones, flows, places, crossings, checkpoints, camps), the
// labels placed without collisions, and the furniture.
#include "layers/feature.hpp"
#include "layers/render/display_list.hpp"
#include "layers/render/render.hpp"

#include <vector>

namespace sitmap::render {

struct PageLayout {
    double width = 0, height = 0; // points
    Box title, frame, legend, attribution;
};

PageLayout page_layout(const RenderOptions &opt);

// Throws InputError when the atlas has no regions layer, UsageError for an unknown category.
DisplayList build_display_list(const std::vector<Layer> &atlas, const RenderOptions &opt,
                               RenderReport &report);

} // namespace sitmap::render
