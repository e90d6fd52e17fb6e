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
    std::string short_label; // a text's shorter wording for a small page; empty: the label
    bool optional = false;   // left out on a small page
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

// Draws the legend entries top-down from the top of `panel`, as wide as it (wrapping long texts;
// `compact`: the short labels where given, the optional entries left out); returns the bottom of
// what was drawn, which may lie below the panel's. Every text drawn is appended to `texts`.
double add_legend(DisplayList &dl, const TextMeasurer &m, const Box &panel,
                  const std::vector<LegendEntry> &entries, std::vector<std::string> &texts,
                  bool compact = false);

// The height of the scale bar and north arrow drawn by add_scale_and_north.
inline constexpr double kScaleNorthHeight = 50;

struct ScaleNorthBoxes {
    Box scale_bar, north_arrow; // what each covers, its texts included
};

// Scale bar (a round length of at most `max_bar` points, measured geodesically at the map
// centre) and north arrow (pointing to true north at the map centre), the north arrow's top
// left corner at `at`, the bar 40 points to its right, both kScaleNorthHeight tall at most.
ScaleNorthBoxes add_scale_and_north(DisplayList &dl, const MapView &view, const TextMeasurer &m,
                                    Pt at, double max_bar = 110);

// A round length in metres (1, 2 or 5 x 10^n, from 1 m) for a scale bar of at most `max_points`
// at `points_per_metre`; 1 m when even that is longer.
double scale_bar_metres(double points_per_metre, double max_points);

// The labels of a scale bar of `metres`: 0, the half and the whole, in m below 1 km, else in km
// ("0", "25", "50 km"; "0", "250", "500 m").
std::vector<std::string> scale_bar_labels(double metres);

// Greedy word wrap to `width` points.
std::vector<std::string> wrap_text(const TextMeasurer &m, const TextItem &style,
                                   const std::string &text, double width);

// Title (bold) and subtitle above the frame, left-aligned at x, both wrapped to `width`; returns
// the height they take.
double add_title(DisplayList &dl, const TextMeasurer &m, Pt top_left, const std::string &title,
                 const std::string &subtitle, double width);

// The attribution line(s) below the frame, 6-point text wrapped to `width`; returns the lines.
std::vector<std::string> add_attribution(DisplayList &dl, const TextMeasurer &m, Pt top_left,
                                         double width, const std::string &text);

// The height of `lines` of attribution text.
double attribution_height(const TextMeasurer &m, std::size_t lines);

} // namespace sitmap::render
