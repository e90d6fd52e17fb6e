#pragma once
// The map's symbols, shared by the map and its legend (colours as in data/styles/*.qml): border
// crossings orange triangles, checkpoints purple diamonds, camps red squares, other places with
// records dark dots, zones dashed red outlines, flows orange arrows whose width follows the value.
#include "layers/render/display_list.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace sitmap::render {

enum class Mark { crossing, checkpoint, camp, place };

inline SymbolItem mark_symbol(Mark m, Pt at) {
    switch (m) {
    case Mark::crossing:
        return {Shape::triangle, at, 9, {230, 120, 20}, {40, 40, 40}, 0.6};
    case Mark::checkpoint:
        return {Shape::diamond, at, 8.5, {120, 80, 170}, {40, 40, 40}, 0.6};
    case Mark::camp:
        return {Shape::square, at, 7, {200, 30, 30}, {40, 40, 40}, 0.6};
    default:
        return {Shape::circle, at, 4.2, {60, 60, 60}, {255, 255, 255}, 0.6};
    }
}

inline const Color kZoneColor{200, 30, 30};
inline const Color kFlowColor{230, 120, 20, 0.9};
inline const Color kNeighbourFill{226, 226, 220};
inline const Color kNeighbourStroke{160, 160, 160};
inline const Color kNoFigureFill{245, 245, 245};

inline PathItem zone_style() {
    PathItem p;
    p.stroke = kZoneColor;
    p.width = 1.3;
    p.dash = {5, 3};
    return p;
}

// Width of a flow arrow: proportional to the square root of the value, 1.2 to 8 points.
inline double flow_width(double value, double max_value) {
    if (max_value <= 0)
        return 1.2;
    return std::max(1.2, 8.0 * std::sqrt(std::max(0.0, value) / max_value));
}

// A curved arrow from a to b (a quadratic Bézier bowed to the left by 18 % of its length), its
// head at b: the shaft as a stroked path, the head as a filled path.
std::vector<PathItem> flow_arrow(Pt a, Pt b, double width, Color color);

// The outline of a symbol as a path (circles as four cubic arcs).
std::vector<PathOp> symbol_path(const SymbolItem &s);
// The symbol as a path item with its fill, stroke and width (what both backends draw).
PathItem symbol_as_path(const SymbolItem &s);

} // namespace sitmap::render
