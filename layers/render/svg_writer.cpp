#include "layers/render/svg_writer.hpp"

#include "layers/render/symbols.hpp"
#include "layers/render/text_metrics.hpp"

#include <cstdio>
#include <ostream>
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

void write_path(std::ostream &out, const PathItem &p) {
    if (p.hatch) { // the fill, then the hatch pattern over it
        out << "<path d=\"" << path_data(p.ops) << "\"" << paint("fill", p.fill)
            << " fill-rule=\"evenodd\" stroke=\"none\"/>\n";
        out << "<path d=\"" << path_data(p.ops) << "\" fill=\"url(#hatch)\" fill-rule=\"evenodd\""
            << paint("stroke", p.stroke) << " stroke-width=\"" << num(p.width) << "\"/>\n";
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

void write_text(std::ostream &out, const TextItem &t) {
    out << "<text class=\"" << escape(t.role) << "\" x=\"" << num(t.at.x) << "\" y=\""
        << num(t.at.y) << "\" font-size=\"" << num(t.size) << "\"";
    if (t.bold)
        out << " font-weight=\"bold\"";
    if (t.italic)
        out << " font-style=\"italic\"";
    if (t.letter_spacing != 0)
        out << " letter-spacing=\"" << num(t.letter_spacing) << "\"";
    out << paint("fill", t.color);
    if (!t.halo.none())
        out << paint("stroke", t.halo) << " stroke-width=\"" << num(t.halo_width)
            << "\" stroke-linejoin=\"round\" paint-order=\"stroke\"";
    out << ">" << escape(t.text) << "</text>\n";
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
        << num(dl.frame.height()) << "\"/></clipPath>\n"
        << "<pattern id=\"hatch\" patternUnits=\"userSpaceOnUse\" width=\"4\" height=\"4\" "
           "patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"4\" "
           "stroke=\"#c8c8c8\" stroke-width=\"0.5\"/></pattern>\n</defs>\n"
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
