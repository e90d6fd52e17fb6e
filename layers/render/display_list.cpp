#include "layers/render/display_list.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace sitmap::render {

std::string Color::hex() const {
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", r, g, b);
    return buf;
}

void append_rings(std::vector<PathOp> &ops, const std::vector<std::vector<Pt>> &rings, bool closed,
                  double min_step) {
    for (const auto &r : rings) {
        if (r.size() < 2)
            continue;
        ops.push_back({PathOp::move, r.front(), {}, {}});
        Pt last = r.front();
        for (std::size_t i = 1; i < r.size(); ++i) {
            const bool end = i + 1 == r.size();
            if (!end && std::hypot(r[i].x - last.x, r[i].y - last.y) < min_step)
                continue;
            ops.push_back({PathOp::line, r[i], {}, {}});
            last = r[i];
        }
        if (closed)
            ops.push_back({PathOp::close, {}, {}, {}});
    }
}

std::vector<PathOp> rect_path(const Box &b) {
    return {{PathOp::move, {b.x0, b.y0}, {}, {}},
            {PathOp::line, {b.x1, b.y0}, {}, {}},
            {PathOp::line, {b.x1, b.y1}, {}, {}},
            {PathOp::line, {b.x0, b.y1}, {}, {}},
            {PathOp::close, {}, {}, {}}};
}

Box path_bounds(const PathItem &p) {
    Box b{1e300, 1e300, -1e300, -1e300};
    for (const auto &o : p.ops)
        if (o.kind != PathOp::close)
            for (const Pt q : {o.p, o.kind == PathOp::curve ? o.c1 : o.p,
                               o.kind == PathOp::curve ? o.c2 : o.p})
                b = {std::min(b.x0, q.x), std::min(b.y0, q.y), std::max(b.x1, q.x),
                     std::max(b.y1, q.y)};
    return b;
}

} // namespace sitmap::render
