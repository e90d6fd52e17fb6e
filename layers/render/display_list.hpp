#pragma once
// The map as a list of drawing items in page points (y down), in drawing order. The map builder
// and the furniture fill it; the Cairo backend (PNG, PDF) and the SVG writer draw it.
#include "layers/render/map_view.hpp"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace sitmap::render {

struct Color {
    std::uint8_t r = 0, g = 0, b = 0;
    double a = 1;
    bool none() const { return a <= 0; }
    std::string hex() const; // #rrggbb
};

inline constexpr Color kNone{0, 0, 0, 0};

// The hatch of an area without a figure, the same in the map, the legend and every backend: thin
// lines rising to the right at 45 degrees, kHatchSpacing points apart along a horizontal.
inline constexpr Color kHatchColor{200, 200, 200};
inline constexpr double kHatchSpacing = 4;
inline constexpr double kHatchLineWidth = 0.5;

// A path: subpaths of moves, lines and cubic Bézier curves.
struct PathOp {
    enum Kind : std::uint8_t { move, line, curve, close } kind = move;
    Pt p, c1, c2; // curve: control points c1, c2, end p
};

struct PathItem {
    std::vector<PathOp> ops;
    Color fill = kNone;
    bool hatch = false; // fill with thin diagonal lines of hatch_color over `fill`
    Color hatch_color = kHatchColor;
    Color stroke = kNone;
    double width = 0.5;       // stroke width, points
    std::vector<double> dash; // empty: solid
    bool round = false;       // round caps and joins
};

enum class Shape : std::uint8_t { circle, square, triangle, diamond };

struct SymbolItem {
    Shape shape = Shape::circle;
    Pt at;
    double size = 6; // points across
    Color fill, stroke{40, 40, 40};
    double width = 0.6;
};

struct TextItem {
    std::string text;
    Pt at;           // left end of the baseline
    double size = 8; // points
    bool bold = false, italic = false;
    Color color{30, 30, 30};
    Color halo = kNone;        // drawn around the letters
    double halo_width = 2;     // points
    double letter_spacing = 0; // points
    std::string role;          // "label", "legend", "title", ... (SVG class)
};

struct Item {
    std::variant<PathItem, SymbolItem, TextItem> what;
    bool clip = true; // clipped to the map frame
};

struct DisplayList {
    double width = 0, height = 0; // page size, points
    Box frame;                    // the map frame: clipped items are drawn inside it
    Color background{255, 255, 255};
    std::vector<Item> items;
    std::string title; // document metadata

    void add(PathItem p, bool clip = true) { items.push_back({std::move(p), clip}); }
    void add(SymbolItem s, bool clip = true) { items.push_back({s, clip}); }
    void add(TextItem t, bool clip = true) { items.push_back({std::move(t), clip}); }
};

// Path helpers: rings/lines to path operations (points closer than min_step to the last one
// dropped); a rectangle.
void append_rings(std::vector<PathOp> &ops, const std::vector<std::vector<Pt>> &rings, bool closed,
                  double min_step = 0.25);
std::vector<PathOp> rect_path(const Box &b);
// The bounding box of a path (curves by their control points, which enclose them); an empty
// path gives an inverted box that overlaps nothing.
Box path_bounds(const PathItem &p);

} // namespace sitmap::render
