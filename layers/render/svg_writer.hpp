#pragma once
// Writes a display list as SVG 1.1 with real <text> elements (DejaVu Sans), so that labels and
// legend entries stay text a reader can search and edit. Coordinates in points, two decimals.
#include "layers/render/display_list.hpp"

#include <iosfwd>

namespace sitmap::render {

void write_svg(const DisplayList &dl, std::ostream &out);

} // namespace sitmap::render
