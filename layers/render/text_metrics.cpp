#include "layers/render/text_metrics.hpp"

#include "geo/error.hpp"

namespace sitmap::render {

LayoutPtr make_layout(cairo_t *cr, const TextItem &t) {
    LayoutPtr layout(pango_cairo_create_layout(cr));
    PangoContext *ctx = pango_layout_get_context(layout.get());
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(ctx, fo);
    cairo_font_options_destroy(fo);
    pango_cairo_context_set_resolution(ctx, 72); // sizes in points = user units
    pango_layout_context_changed(layout.get());

    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, kFontFamily);
    pango_font_description_set_absolute_size(fd, t.size * PANGO_SCALE);
    pango_font_description_set_weight(fd, t.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(fd, t.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    pango_layout_set_font_description(layout.get(), fd);
    pango_font_description_free(fd);
    if (t.letter_spacing != 0) {
        PangoAttrList *attrs = pango_attr_list_new();
        pango_attr_list_insert(
            attrs, pango_attr_letter_spacing_new(static_cast<int>(t.letter_spacing * PANGO_SCALE)));
        pango_layout_set_attributes(layout.get(), attrs);
        pango_attr_list_unref(attrs);
    }
    pango_layout_set_text(layout.get(), t.text.c_str(), static_cast<int>(t.text.size()));
    return layout;
}

TextMeasurer::TextMeasurer() {
    surface_ = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
    cr_ = cairo_create(surface_);
    if (cairo_status(cr_) != CAIRO_STATUS_SUCCESS) {
        cairo_destroy(cr_);
        cairo_surface_destroy(surface_);
        throw WorkError("Cairo: cannot create a surface for measuring text");
    }
}

TextMeasurer::~TextMeasurer() {
    cairo_destroy(cr_);
    cairo_surface_destroy(surface_);
}

TextExtent TextMeasurer::measure(const TextItem &t) const {
    const LayoutPtr layout = make_layout(cr_, t);
    PangoRectangle logical;
    pango_layout_get_extents(layout.get(), nullptr, &logical);
    return {static_cast<double>(logical.width) / PANGO_SCALE,
            static_cast<double>(logical.height) / PANGO_SCALE,
            static_cast<double>(pango_layout_get_baseline(layout.get())) / PANGO_SCALE};
}

} // namespace sitmap::render
