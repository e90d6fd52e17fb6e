#pragma once
// Text measured and laid out with Pango, the same way for measuring (labels, legend) and for
// drawing (Cairo backend): DejaVu Sans, sizes in points, unhinted metrics so that a label's box
// does not depend on the output resolution.
#include "layers/render/display_list.hpp"

#include <cairo.h>
#include <pango/pangocairo.h>

#include <memory>
#include <string>

namespace sitmap::render {

inline constexpr const char *kFontFamily = "DejaVu Sans";

struct GObjectUnref {
    void operator()(void *p) const { g_object_unref(p); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, GObjectUnref>;

// A Pango layout of `t`'s text and font on `cr` (its font options set for unhinted metrics).
LayoutPtr make_layout(cairo_t *cr, const TextItem &t);

struct TextExtent {
    double width = 0, height = 0; // the logical box, points
    double baseline = 0;          // from the top of the box
};

// Measures text on a private 1x1 image surface.
class TextMeasurer {
  public:
    TextMeasurer();
    ~TextMeasurer();
    TextMeasurer(const TextMeasurer &) = delete;
    TextMeasurer &operator=(const TextMeasurer &) = delete;
    TextExtent measure(const TextItem &t) const;

  private:
    cairo_surface_t *surface_ = nullptr;
    cairo_t *cr_ = nullptr;
};

} // namespace sitmap::render
