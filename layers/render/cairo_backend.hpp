#pragma once
// Draws a display list with Cairo and Pango: PNG through an image surface (pixels = points *
// dpi / 72), PDF through a PDF surface with fixed metadata dates (same input, same bytes).
#include "layers/render/display_list.hpp"

#include <string>

namespace sitmap::render {

// Writes `path` directly (the caller renames a temporary file into place). Throws WorkError.
void write_png(const DisplayList &dl, int width_px, int height_px, const std::string &path);
void write_pdf(const DisplayList &dl, const std::string &path);

} // namespace sitmap::render
