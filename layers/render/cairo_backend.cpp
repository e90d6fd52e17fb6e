#include "layers/render/cairo_backend.hpp"

#include "geo/error.hpp"
#include "layers/render/symbols.hpp"
#include "layers/render/text_metrics.hpp"

#include <cairo-pdf.h>

#include <memory>

namespace sitmap::render {
namespace {

struct SurfaceDel {
    void operator()(cairo_surface_t *s) const { cairo_surface_destroy(s); }
};
struct CairoDel {
    void operator()(cairo_t *c) const { cairo_destroy(c); }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceDel>;
using CairoPtr = std::unique_ptr<cairo_t, CairoDel>;

void set_color(cairo_t *cr, Color c) {
    cairo_set_source_rgba(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0, c.a);
}

void trace(cairo_t *cr, const std::vector<PathOp> &ops) {
    cairo_new_path(cr);
    for (const auto &o : ops)
        switch (o.kind) {
        case PathOp::move:
            cairo_move_to(cr, o.p.x, o.p.y);
            break;
        case PathOp::line:
            cairo_line_to(cr, o.p.x, o.p.y);
            break;
        case PathOp::curve:
            cairo_curve_to(cr, o.c1.x, o.c1.y, o.c2.x, o.c2.y, o.p.x, o.p.y);
            break;
        case PathOp::close:
            cairo_close_path(cr);
            break;
        }
}

void draw_path(cairo_t *cr, const PathItem &p) {
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    if (!p.fill.none() || p.hatch) {
        trace(cr, p.ops);
        set_color(cr, p.fill);
        if (!p.hatch) {
            cairo_fill(cr);
        } else {
            cairo_save(cr);
            cairo_fill_preserve(cr);
            cairo_clip(cr);
            double x0, y0, x1, y1;
            cairo_clip_extents(cr, &x0, &y0, &x1, &y1);
            cairo_new_path(cr);
            for (double d = x0 - (y1 - y0); d < x1; d += kHatchSpacing) {
                cairo_move_to(cr, d, y1);
                cairo_line_to(cr, d + (y1 - y0), y0);
            }
            set_color(cr, p.hatch_color);
            cairo_set_line_width(cr, kHatchLineWidth);
            cairo_stroke(cr);
            cairo_restore(cr);
        }
    }
    if (!p.stroke.none()) {
        trace(cr, p.ops);
        set_color(cr, p.stroke);
        cairo_set_line_width(cr, p.width);
        cairo_set_dash(cr, p.dash.empty() ? nullptr : p.dash.data(),
                       static_cast<int>(p.dash.size()), 0);
        cairo_set_line_cap(cr, p.round ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT);
        cairo_set_line_join(cr, p.round ? CAIRO_LINE_JOIN_ROUND : CAIRO_LINE_JOIN_MITER);
        cairo_stroke(cr);
        cairo_set_dash(cr, nullptr, 0, 0);
    }
}

void draw_text(cairo_t *cr, const TextItem &t) {
    const LayoutPtr layout = make_layout(cr, t);
    const double baseline =
        static_cast<double>(pango_layout_get_baseline(layout.get())) / PANGO_SCALE;
    if (!t.halo.none()) {
        cairo_move_to(cr, t.at.x, t.at.y - baseline);
        pango_cairo_layout_path(cr, layout.get());
        set_color(cr, t.halo);
        cairo_set_line_width(cr, t.halo_width);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
    }
    cairo_move_to(cr, t.at.x, t.at.y - baseline);
    set_color(cr, t.color);
    pango_cairo_show_layout(cr, layout.get());
    cairo_new_path(cr);
}

void draw(cairo_t *cr, const DisplayList &dl) {
    set_color(cr, dl.background);
    cairo_paint(cr);
    bool clipped = false;
    for (const auto &item : dl.items) {
        if (item.clip != clipped) {
            if (item.clip) {
                cairo_save(cr);
                cairo_rectangle(cr, dl.frame.x0, dl.frame.y0, dl.frame.width(), dl.frame.height());
                cairo_clip(cr);
            } else {
                cairo_restore(cr);
            }
            clipped = item.clip;
        }
        if (const auto *p = std::get_if<PathItem>(&item.what))
            draw_path(cr, *p);
        else if (const auto *s = std::get_if<SymbolItem>(&item.what))
            draw_path(cr, symbol_as_path(*s));
        else
            draw_text(cr, std::get<TextItem>(item.what));
    }
    if (clipped)
        cairo_restore(cr);
}

// The messages name no file: the caller writes to a temporary name and names its target.
void check(cairo_t *cr, cairo_surface_t *s) {
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        throw WorkError("Cairo: " + std::string(cairo_status_to_string(cairo_status(cr))) +
                        " while drawing");
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        throw WorkError("Cairo: " + std::string(cairo_status_to_string(cairo_surface_status(s))));
}

} // namespace

void write_png(const DisplayList &dl, int width_px, int height_px, const std::string &path) {
    SurfacePtr s(cairo_image_surface_create(CAIRO_FORMAT_RGB24, width_px, height_px));
    CairoPtr cr(cairo_create(s.get()));
    cairo_scale(cr.get(), width_px / dl.width, height_px / dl.height);
    draw(cr.get(), dl);
    check(cr.get(), s.get());
    cairo_surface_flush(s.get());
    const cairo_status_t st = cairo_surface_write_to_png(s.get(), path.c_str());
    if (st != CAIRO_STATUS_SUCCESS)
        throw WorkError(std::string("Cairo: ") + cairo_status_to_string(st));
}

void write_pdf(const DisplayList &dl, const std::string &path) {
    SurfacePtr s(cairo_pdf_surface_create(path.c_str(), dl.width, dl.height));
    cairo_pdf_surface_set_metadata(s.get(), CAIRO_PDF_METADATA_TITLE, dl.title.c_str());
    cairo_pdf_surface_set_metadata(s.get(), CAIRO_PDF_METADATA_CREATOR, "sitmap");
    cairo_pdf_surface_set_metadata(s.get(), CAIRO_PDF_METADATA_CREATE_DATE, "2000-01-01T00:00:00Z");
    cairo_pdf_surface_set_metadata(s.get(), CAIRO_PDF_METADATA_MOD_DATE, "2000-01-01T00:00:00Z");
    {
        CairoPtr cr(cairo_create(s.get()));
        draw(cr.get(), dl);
        check(cr.get(), s.get());
        cairo_show_page(cr.get());
    }
    cairo_surface_finish(s.get());
    if (cairo_surface_status(s.get()) != CAIRO_STATUS_SUCCESS)
        throw WorkError(std::string("Cairo: ") +
                        cairo_status_to_string(cairo_surface_status(s.get())));
}

} // namespace sitmap::render
