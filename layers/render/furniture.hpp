#pragma once
// Map furniture: legend, title, scale bar, north arrow and attribution line.
#include "layers/render/display_list.hpp"
#include "layers/render/symbols.hpp"
#include "layers/render/text_metrics.hpp"

#include <string>
#include <vector>

namespace sitmap::render {

struct LegendEntry {
    enum Kind { heading, text, swatch, hatch, symbol, zone, flow, neighbour } kind = text;
    std::string label;
    Color color;
    Mark mark = Mark::place;
    double width = 0; // flow width
};

inline LegendEntry legend_entry(LegendEntry::Kind kind, std::string label, Color color = {},
                                Mark mark = Mark::place, double width = 0) {
    LegendEntry e;
    e.kind = kind;
    e.label = std::move(label);
    e.color = color;
    e.mark = mark;
    e.width = width;
    return e;
}

// Draws the legend entries top-down inside `panel` (wrapping long texts); returns the bottom.
// Every text drawn is appended to `texts`.
double add_legend(DisplayList &dl, const TextMeasurer &m, const Box &panel,
                  const std::vector<LegendEntry> &entries, std::vector<std::string> &texts);

// Scale bar (a round length, measured geodesically at the map centre) and north arrow (pointing
// to true north at the map centre), their box's top left corner at `at`. Returns the box.
Box add_scale_and_north(DisplayList &dl, const MapView &view, const TextMeasurer &m, Pt at);

// A round length in metres for a scale bar of at most `max_points` at `points_per_metre`.
double scale_bar_metres(double points_per_metre, double max_points);

// Greedy word wrap to `width` points.
std::vector<std::string> wrap_text(const TextMeasurer &m, const TextItem &style,
                                   const std::string &text, double width);

// Title (bold) and subtitle above the frame, left-aligned at x.
void add_title(DisplayList &dl, const TextMeasurer &m, Pt top_left, const std::string &title,
               const std::string &subtitle, double width);

// The attribution line(s) below the frame; returns the lines.
std::vector<std::string> add_attribution(DisplayList &dl, const TextMeasurer &m, Pt top_left,
                                         double width, const std::string &text);

} // namespace sitmap::render
