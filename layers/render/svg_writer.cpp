#include "layers/render/svg_writer.hpp"

#include "layers/render/symbols.hpp"
#include "layers/render/text_metrics.hpp"

#include <cstdio>
#include <numbers>
#include <ostream>
#include <set>
#include <string>

namespace sitmap::render {
namespace {

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    std::string s = buf;
    while (s.back() == '0')
        s.pop_back();
    if (s.back() == '.')
        s.pop_back();
    return s == "-0" ? "0" : s;
}

std::string escape(const std::string &s) {
    std::string out;
    for (const char c : s)
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out += c;
        }
    return out;
}

std::string paint(const char *attr, Color c) {
    if (c.none())
        return std::string(" ") + attr + "=\"none\"";
    std::string s = std::string(" ") + attr + "=\"" + c.hex() + "\"";
    if (c.a < 1)
        s += std::string(" ") + attr + "-opacity=\"" + num(c.a) + "\"";
    return s;
}

std::string path_data(const std::vector<PathOp> &ops) {
    std::string d;
    for (const auto &o : ops)
        switch (o.kind) {
        case PathOp::move:
            d += "M" + num(o.p.x) + " " + num(o.p.y);
            break;
        case PathOp::line:
            d += "L" + num(o.p.x) + " " + num(o.p.y);
            break;
        case PathOp::curve:
            d += "C" + num(o.c1.x) + " " + num(o.c1.y) + " " + num(o.c2.x) + " " + num(o.c2.y) +
                 " " + num(o.p.x) + " " + num(o.p.y);
            break;
        case PathOp::close:
            d += "Z";
            break;
        }
    return d;
}

// The id of the hatch pattern of a colour.
std::string hatch_id(Color c) {
    return "hatch-" + c.hex().substr(1);
}

void write_path(std::ostream &out, const PathItem &p) {
    if (p.hatch) { // the fill, then the hatch pattern over it
        out << "<path d=\"" << path_data(p.ops) << "\"" << paint("fill", p.fill)
            << " fill-rule=\"evenodd\" stroke=\"none\"/>\n";
        out << "<path d=\"" << path_data(p.ops) << "\" fill=\"url(#" << hatch_id(p.hatch_color)
            << ")\" fill-rule=\"evenodd\"" << paint("stroke", p.stroke) << " stroke-width=\""
            << num(p.width) << "\"/>\n";
        return;
    }
    out << "<path d=\"" << path_data(p.ops) << "\"" << paint("fill", p.fill)
        << " fill-rule=\"evenodd\"" << paint("stroke", p.stroke);
    if (!p.stroke.none()) {
        out << " stroke-width=\"" << num(p.width) << "\"";
        if (!p.dash.empty()) {
            out << " stroke-dasharray=\"";
            for (std::size_t i = 0; i < p.dash.size(); ++i)
                out << (i ? "," : "") << num(p.dash[i]);
            out << "\"";
        }
        if (p.round)
            out << " stroke-linecap=\"round\" stroke-linejoin=\"round\"";
    }
    out << "/>\n";
}

// One <text> element; the halo, when there is one, as a stroked copy drawn before the text (SVG
// 1.1 has no paint-order).
void write_text(std::ostream &out, const TextItem &t) {
    const auto open = [&](const std::string &role) {
        out << "<text class=\"" << escape(role) << "\" x=\"" << num(t.at.x) << "\" y=\""
            << num(t.at.y) << "\" font-size=\"" << num(t.size) << "\"";
        if (t.bold)
            out << " font-weight=\"bold\"";
        if (t.italic)
            out << " font-style=\"italic\"";
        if (t.letter_spacing != 0)
            out << " letter-spacing=\"" << num(t.letter_spacing) << "\"";
    };
    if (!t.halo.none()) {
        open(t.role + "-halo");
        out << " fill=\"none\"" << paint("stroke", t.halo) << " stroke-width=\""
            << num(t.halo_width) << "\" stroke-linejoin=\"round\" aria-hidden=\"true\">"
            << escape(t.text) << "</text>\n";
    }
    open(t.role);
    out << paint("fill", t.color) << ">" << escape(t.text) << "</text>\n";
}

} // namespace

void write_svg(const DisplayList &dl, std::ostream &out) {
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" << num(dl.width)
        << "pt\" height=\"" << num(dl.height) << "pt\" viewBox=\"0 0 " << num(dl.width) << " "
        << num(dl.height) << "\" font-family=\"" << kFontFamily << ", sans-serif\">\n"
        << "<title>" << escape(dl.title) << "</title>\n"
        << "<defs>\n<clipPath id=\"frame\"><rect x=\"" << num(dl.frame.x0) << "\" y=\""
        << num(dl.frame.y0) << "\" width=\"" << num(dl.frame.width()) << "\" height=\""
        << num(dl.frame.height()) << "\"/></clipPath>\n";
    // One hatch pattern per colour used: lines rising to the right, kHatchSpacing points apart
    // along a horizontal (the pattern's width is their distance across), as Cairo draws them.
    std::set<std::string> hatches;
    const double across = kHatchSpacing / std::numbers::sqrt2;
    for (const auto &item : dl.items) {
        const auto *p = std::get_if<PathItem>(&item.what);
        if (!p || !p->hatch || !hatches.insert(p->hatch_color.hex()).second)
            continue;
        out << "<pattern id=\"" << hatch_id(p->hatch_color)
            << "\" patternUnits=\"userSpaceOnUse\" width=\"" << num(across) << "\" height=\""
            << num(across) << "\" patternTransform=\"rotate(45)\"><line x1=\"" << num(across / 2)
            << "\" y1=\"0\" x2=\"" << num(across / 2) << "\" y2=\"" << num(across) << "\" stroke=\""
            << p->hatch_color.hex() << "\" stroke-width=\"" << num(kHatchLineWidth)
            << "\"/></pattern>\n";
    }
    out << "</defs>\n"
        << "<rect width=\"100%\" height=\"100%\"" << paint("fill", dl.background) << "/>\n";
    bool clipped = false;
    for (const auto &item : dl.items) {
        if (item.clip != clipped) {
            out << (item.clip ? "<g clip-path=\"url(#frame)\">\n" : "</g>\n");
            clipped = item.clip;
        }
        if (const auto *p = std::get_if<PathItem>(&item.what))
            write_path(out, *p);
        else if (const auto *s = std::get_if<SymbolItem>(&item.what))
            write_path(out, symbol_as_path(*s));
        else
            write_text(out, std::get<TextItem>(item.what));
    }
    if (clipped)
        out << "</g>\n";
    out << "</svg>\n";
}

} // namespace sitmap::render
