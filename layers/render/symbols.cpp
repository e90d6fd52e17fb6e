#include "layers/render/symbols.hpp"

namespace sitmap::render {

std::vector<PathItem> flow_arrow(Pt a, Pt b, double width, Color color) {
    const double dx = b.x - a.x, dy = b.y - a.y, len = std::hypot(dx, dy);
    if (len < 1)
        return {};
    // Control point of the quadratic curve: the midpoint moved to the left of a->b.
    const Pt q{(a.x + b.x) / 2 + 0.18 * dy, (a.y + b.y) / 2 - 0.18 * dx};
    // The head: along the tangent at b (b - q), its base where the shaft ends.
    const double tx = b.x - q.x, ty = b.y - q.y, tl = std::hypot(tx, ty);
    const double ux = tx / tl, uy = ty / tl;
    const double head = std::min(len * 0.45, 1.5 * width + 4.5), half = 1.1 * width + 2.2;
    const Pt base{b.x - ux * head, b.y - uy * head};
    // Shaft: the quadratic from a to the head's base (control point pulled in proportionally).
    const Pt q2{q.x - ux * head / 2, q.y - uy * head / 2};
    PathItem shaft, casing, tip;
    shaft.ops = {{PathOp::move, a, {}, {}},
                 {PathOp::curve,
                  base,
                  {a.x + 2.0 / 3 * (q2.x - a.x), a.y + 2.0 / 3 * (q2.y - a.y)},
                  {base.x + 2.0 / 3 * (q2.x - base.x), base.y + 2.0 / 3 * (q2.y - base.y)}}};
    shaft.stroke = color;
    shaft.width = width;
    casing = shaft;
    casing.stroke = {255, 255, 255, 0.85};
    casing.width = width + 1.6;
    tip.ops = {{PathOp::move, b, {}, {}},
               {PathOp::line, {base.x - uy * half, base.y + ux * half}, {}, {}},
               {PathOp::line, {base.x + uy * half, base.y - ux * half}, {}, {}},
               {PathOp::close, {}, {}, {}}};
    tip.fill = color;
    tip.stroke = {255, 255, 255, 0.85};
    tip.width = 0.8;
    return {casing, shaft, tip};
}

std::vector<PathOp> symbol_path(const SymbolItem &s) {
    const double r = s.size / 2, x = s.at.x, y = s.at.y;
    switch (s.shape) {
    case Shape::square:
        return {{PathOp::move, {x - r, y - r}, {}, {}},
                {PathOp::line, {x + r, y - r}, {}, {}},
                {PathOp::line, {x + r, y + r}, {}, {}},
                {PathOp::line, {x - r, y + r}, {}, {}},
                {PathOp::close, {}, {}, {}}};
    case Shape::triangle: {
        const double h = r * 0.9;
        return {{PathOp::move, {x, y - r * 1.05}, {}, {}},
                {PathOp::line, {x + r, y + h}, {}, {}},
                {PathOp::line, {x - r, y + h}, {}, {}},
                {PathOp::close, {}, {}, {}}};
    }
    case Shape::diamond:
        return {{PathOp::move, {x, y - r}, {}, {}},
                {PathOp::line, {x + r, y}, {}, {}},
                {PathOp::line, {x, y + r}, {}, {}},
                {PathOp::line, {x - r, y}, {}, {}},
                {PathOp::close, {}, {}, {}}};
    default: {
        const double k = 0.5522847498 * r;
        return {{PathOp::move, {x + r, y}, {}, {}},
                {PathOp::curve, {x, y + r}, {x + r, y + k}, {x + k, y + r}},
                {PathOp::curve, {x - r, y}, {x - k, y + r}, {x - r, y + k}},
                {PathOp::curve, {x, y - r}, {x - r, y - k}, {x - k, y - r}},
                {PathOp::curve, {x + r, y}, {x + k, y - r}, {x + r, y - k}},
                {PathOp::close, {}, {}, {}}};
    }
    }
}

PathItem symbol_as_path(const SymbolItem &s) {
    PathItem p;
    p.ops = symbol_path(s);
    p.fill = s.fill;
    p.stroke = s.stroke;
    p.width = s.width;
    return p;
}

} // namespace sitmap::render
