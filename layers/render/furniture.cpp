#include "layers/render/furniture.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

namespace sitmap::render {
namespace {

TextItem legend_text(const std::string &s, double size = 7.5) {
    TextItem t;
    t.text = s;
    t.size = size;
    t.color = {40, 40, 40};
    t.role = "legend";
    return t;
}

void text_at(DisplayList &dl, const TextMeasurer &m, TextItem t, Pt top_left) {
    t.at = {top_left.x, top_left.y + m.measure(t).baseline};
    dl.add(std::move(t), false);
}

} // namespace

std::vector<std::string> wrap_text(const TextMeasurer &m, const TextItem &style,
                                   const std::string &text, double width) {
    std::vector<std::string> lines;
    std::string line;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const std::size_t end = std::min(text.find(' ', pos), text.size());
        const std::string word = text.substr(pos, end - pos);
        TextItem t = style;
        t.text = line.empty() ? word : line + " " + word;
        if (!line.empty() && m.measure(t).width > width) {
            lines.push_back(line);
            line = word;
        } else {
            line = t.text;
        }
        pos = end + 1;
    }
    if (!line.empty())
        lines.push_back(line);
    return lines;
}

double add_legend(DisplayList &dl, const TextMeasurer &m, const Box &panel,
                  const std::vector<LegendEntry> &entries, std::vector<std::string> &texts,
                  bool compact) {
    double y = panel.y0;
    const double key_w = 30, gap = 6, x_text = panel.x0 + key_w + gap;
    for (const auto &entry : entries) {
        if (compact && entry.optional)
            continue;
        LegendEntry e = entry;
        if (compact && !e.short_label.empty())
            e.label = e.short_label;
        if (e.kind == LegendEntry::heading || e.kind == LegendEntry::text) {
            TextItem t = legend_text("", e.kind == LegendEntry::heading ? 8.5 : 7);
            t.bold = e.kind == LegendEntry::heading;
            if (e.kind == LegendEntry::text)
                t.color = {90, 90, 90};
            if (t.bold)
                y += 6;
            for (const auto &line : wrap_text(m, t, e.label, panel.width())) {
                t.text = line;
                text_at(dl, m, t, {panel.x0, y});
                texts.push_back(line);
                y += m.measure(t).height;
            }
            y += 2;
            continue;
        }
        const double row_h = e.kind == LegendEntry::flow ? std::max(13.0, 2.2 * e.width + 6) : 13;
        const double cy = y + row_h / 2;
        const Box key{panel.x0, cy - 5, panel.x0 + key_w, cy + 5};
        switch (e.kind) {
        case LegendEntry::swatch:
        case LegendEntry::hatch:
        case LegendEntry::neighbour: {
            PathItem p;
            p.ops = rect_path(key);
            p.fill = e.color;
            p.hatch = e.kind == LegendEntry::hatch;
            p.stroke = {110, 110, 110};
            p.width = 0.5;
            dl.add(std::move(p), false);
            break;
        }
        case LegendEntry::zone: {
            PathItem p = zone_style();
            p.ops = rect_path(key);
            dl.add(std::move(p), false);
            break;
        }
        case LegendEntry::symbol:
            dl.add(mark_symbol(e.mark, {panel.x0 + key_w / 2, cy}), false);
            break;
        case LegendEntry::flow:
            for (auto &p :
                 flow_arrow({panel.x0, cy}, {panel.x0 + key_w + 2, cy}, e.width, kFlowColor))
                dl.add(std::move(p), false);
            break;
        default:
            break;
        }
        TextItem t = legend_text(e.label);
        const auto lines = wrap_text(m, t, e.label, panel.x1 - x_text);
        const double lh = m.measure(t).height;
        double ty = cy - lh * static_cast<double>(lines.size()) / 2;
        for (const auto &line : lines) {
            t.text = line;
            text_at(dl, m, t, {x_text, ty});
            texts.push_back(line);
            ty += lh;
        }
        y += std::max(row_h, lh * static_cast<double>(lines.size())) + 2;
    }
    return y;
}

double scale_bar_metres(double points_per_metre, double max_points) {
    const double target = max_points / points_per_metre;
    double best = 1;
    for (double decade = 1; decade <= 1e7; decade *= 10)
        for (const double k : {1.0, 2.0, 5.0})
            if (k * decade <= target)
                best = k * decade;
    return best;
}

std::vector<std::string> scale_bar_labels(double metres) {
    const bool km = metres >= 1000;
    const auto num = [&](double v) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g", km ? v / 1000 : v);
        return std::string(buf);
    };
    return {"0", num(metres / 2), num(metres) + (km ? " km" : " m")};
}

ScaleNorthBoxes add_scale_and_north(DisplayList &dl, const MapView &view, const TextMeasurer &m,
                                    Pt at, double max_bar) {
    const LonLat c = view.centre();
    const double ppm = view.ground_scale(c, 50000);
    const double metres = scale_bar_metres(ppm, max_bar);
    const double len = metres * ppm;
    ScaleNorthBoxes out;

    // Scale bar: two segments, black and white, with 0, half and the length.
    const double x0 = at.x + 40, yb = at.y + 26;
    out.scale_bar = {x0, yb, x0 + len, yb + 4};
    for (int i = 0; i < 2; ++i) {
        PathItem seg;
        seg.ops = rect_path({x0 + i * len / 2, yb, x0 + (i + 1) * len / 2, yb + 4});
        seg.fill = i == 0 ? Color{40, 40, 40} : Color{255, 255, 255};
        seg.stroke = {40, 40, 40};
        seg.width = 0.5;
        dl.add(std::move(seg), false);
    }
    const auto labels = scale_bar_labels(metres);
    for (int i = 0; i < 3; ++i) {
        TextItem t = legend_text(labels[static_cast<std::size_t>(i)], 6.5);
        t.role = "scale";
        const TextExtent e = m.measure(t);
        double x = x0 + i * len / 2 - (i == 2 ? 0 : e.width / 2);
        if (i == 2)
            x = x0 + len - std::min(e.width / 2, 6.0);
        x = std::max(x, at.x + 2);
        const double top = yb + 5;
        t.at = {x, top + e.baseline};
        out.scale_bar.x0 = std::min(out.scale_bar.x0, x);
        out.scale_bar.x1 = std::max(out.scale_bar.x1, x + e.width);
        out.scale_bar.y1 = std::max(out.scale_bar.y1, top + e.height);
        dl.add(std::move(t), false);
    }
    // North arrow: a two-tone arrowhead rotated to true north, an N above it.
    const double a = view.north_angle(c) * std::numbers::pi / 180;
    const Pt n0{at.x + 10, at.y + 30};
    const auto rot = [&](double dx, double dy) {
        return Pt{n0.x + dx * std::cos(a) - dy * std::sin(a),
                  n0.y + dx * std::sin(a) + dy * std::cos(a)};
    };
    out.north_arrow = {n0.x, n0.y, n0.x, n0.y};
    for (int side = 0; side < 2; ++side) {
        PathItem p;
        const double s = side == 0 ? -1 : 1;
        p.ops = {{PathOp::move, rot(0, -14), {}, {}},
                 {PathOp::line, rot(s * 6, 8), {}, {}},
                 {PathOp::line, rot(0, 3), {}, {}},
                 {PathOp::close, {}, {}, {}}};
        for (const auto &o : p.ops)
            if (o.kind != PathOp::close) {
                auto &b = out.north_arrow;
                b.x0 = std::min(b.x0, o.p.x - 0.3), b.x1 = std::max(b.x1, o.p.x + 0.3);
                b.y0 = std::min(b.y0, o.p.y - 0.3), b.y1 = std::max(b.y1, o.p.y + 0.3);
            }
        p.fill = side == 0 ? Color{40, 40, 40} : Color{255, 255, 255};
        p.stroke = {40, 40, 40};
        p.width = 0.6;
        dl.add(std::move(p), false);
    }
    TextItem n = legend_text("N", 8);
    n.bold = true;
    n.role = "north";
    const Pt top = rot(0, -16);
    const TextExtent e = m.measure(n);
    n.at = {top.x - e.width / 2, top.y - 1};
    auto &b = out.north_arrow;
    b.x0 = std::min(b.x0, n.at.x), b.x1 = std::max(b.x1, n.at.x + e.width);
    b.y0 = std::min(b.y0, n.at.y - e.baseline);
    dl.add(std::move(n), false);
    return out;
}

double add_title(DisplayList &dl, const TextMeasurer &m, Pt top_left, const std::string &title,
                 const std::string &subtitle, double width) {
    TextItem t;
    t.text = title;
    t.size = 14;
    t.bold = true;
    t.color = {20, 20, 20};
    t.role = "title";
    double y = top_left.y;
    for (const auto &line : wrap_text(m, t, title, width)) {
        TextItem l = t;
        l.text = line;
        text_at(dl, m, l, {top_left.x, y});
        y += m.measure(l).height;
    }
    TextItem s;
    s.size = 8.5;
    s.color = {80, 80, 80};
    s.role = "subtitle";
    y += 1;
    for (const auto &line : wrap_text(m, s, subtitle, width)) {
        s.text = line;
        text_at(dl, m, s, {top_left.x, y});
        y += m.measure(s).height;
    }
    return y - top_left.y;
}

std::vector<std::string> add_attribution(DisplayList &dl, const TextMeasurer &m, Pt top_left,
                                         double width, const std::string &text) {
    TextItem t;
    t.size = 6;
    t.color = {100, 100, 100};
    t.role = "attribution";
    const auto lines = wrap_text(m, t, text, width);
    double y = top_left.y;
    for (const auto &line : lines) {
        t.text = line;
        text_at(dl, m, t, {top_left.x, y});
        y += m.measure(t).height;
    }
    return lines;
}

double attribution_height(const TextMeasurer &m, std::size_t lines) {
    TextItem t;
    t.size = 6;
    t.text = "Ag";
    return m.measure(t).height * static_cast<double>(lines);
}

} // namespace sitmap::render
