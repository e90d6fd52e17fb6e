#include "layers/render/labels.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace sitmap::render {
namespace {

// Top-left corners of the candidate boxes (w x h) around a label request.
std::vector<Pt> candidates(const LabelRequest &r, double w, double h) {
    const double x = r.anchor.x, y = r.anchor.y;
    if (r.area) { // centred on the anchor, then on a spiral of growing offsets
        std::vector<Pt> c{{x - w / 2, y - h / 2}};
        for (int ring = 1; ring <= 8; ++ring)
            for (int k = 0; k < 8 * ring; ++k) {
                const double a = 2 * 3.14159265358979 * k / (8 * ring);
                c.push_back({x - w / 2 + std::cos(a) * ring * h * 0.9,
                             y - h / 2 - std::sin(a) * ring * h * 0.9});
            }
        return c;
    }
    const double d = r.radius + 1.5, dd = r.radius + 0.5;
    return {{x + d, y - h / 2},       // right
            {x - d - w, y - h / 2},   // left
            {x + dd, y - dd - h},     // upper right
            {x - dd - w, y - dd - h}, // upper left
            {x + dd, y + dd},         // lower right
            {x - dd - w, y + dd},     // lower left
            {x - w / 2, y - d - h},   // above
            {x - w / 2, y + d}};      // below
}

} // namespace

bool inside_rings(const std::vector<std::vector<Pt>> &rings, Pt p) {
    bool in = false;
    for (const auto &r : rings)
        for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++)
            if ((r[i].y > p.y) != (r[j].y > p.y) &&
                p.x < (r[j].x - r[i].x) * (p.y - r[i].y) / (r[j].y - r[i].y) + r[i].x)
                in = !in;
    return in;
}

LabelResult LabelPlacer::place() const {
    std::vector<std::size_t> order(requests_.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return requests_[a].priority < requests_[b].priority;
    });
    LabelResult res;
    const double pad = 1.0; // room for the halo
    for (const auto i : order) {
        const auto &r = requests_[i];
        const TextExtent e = m_.measure(r.style);
        bool done = false;
        for (int pass = 0; pass < 2 && !done; ++pass)
            for (const Pt c : candidates(r, e.width, e.height)) {
                const Box b{c.x - pad, c.y - pad, c.x + e.width + pad, c.y + e.height + pad};
                if (!bounds_.contains(b))
                    continue;
                const auto hits = [&](const Box &o) { return o.overlaps(b); };
                if (std::any_of(res.boxes.begin(), res.boxes.end(), hits))
                    continue;
                if (std::any_of(obstacles_.begin(), obstacles_.end(), hits))
                    continue;
                if (pass == 0 && std::any_of(soft_.begin(), soft_.end(), hits))
                    continue;
                const double my = (b.y0 + b.y1) / 2;
                if (!r.within.empty() && !(inside_rings(r.within, {b.x0 + pad, my}) &&
                                           inside_rings(r.within, {b.x1 - pad, my}) &&
                                           inside_rings(r.within, {(b.x0 + b.x1) / 2, my})))
                    continue;
                TextItem t = r.style;
                t.at = {c.x, c.y + e.baseline};
                res.placed.push_back(std::move(t));
                res.boxes.push_back(b);
                done = true;
                break;
            }
        if (!done)
            res.left_out.push_back(r.style.text);
    }
    return res;
}

} // namespace sitmap::render
