#include "geo/region_index.hpp"

#include "geo/error.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace sitmap {
namespace {

// ---- exact orientation (Shewchuk's orient2d: floating-point filter, exact expansion fallback) --

constexpr double kEps = 0x1p-53;
constexpr double kCcwBound = (3.0 + 16.0 * kEps) * kEps;

inline void two_sum(double a, double b, double& s, double& e) {
    s = a + b;
    const double bv = s - a;
    const double av = s - bv;
    e = (a - av) + (b - bv);
}

// Sign of the exact value of (ax-cx)(by-cy) - (ay-cy)(bx-cx), expanded into six products, each
// split exactly into two doubles by FMA and summed exactly as a nonoverlapping expansion.
int orient_exact(double ax, double ay, double bx, double by, double cx, double cy) {
    const double f[6][2] = {{ax, by}, {-ax, cy}, {-cx, by}, {-ay, bx}, {ay, cx}, {cy, bx}};
    double h[16];
    int hn = 0;
    for (const auto& pr : f) {
        const double p = pr[0] * pr[1];
        const double terms[2] = {std::fma(pr[0], pr[1], -p), p};
        for (double q : terms) {
            int k = 0;
            for (int i = 0; i < hn; ++i) {
                double s, e;
                two_sum(q, h[i], s, e);
                q = s;
                if (e != 0) h[k++] = e;
            }
            if (q != 0 || k == 0) h[k++] = q;
            hn = k;
        }
    }
    for (int i = hn - 1; i >= 0; --i)
        if (h[i] != 0) return h[i] > 0 ? 1 : -1;
    return 0;
}

// > 0 when a, b, c turn counterclockwise, < 0 clockwise, 0 when collinear; exact.
inline int orient(double ax, double ay, double bx, double by, double cx, double cy) {
    const double detleft = (ax - cx) * (by - cy);
    const double detright = (ay - cy) * (bx - cx);
    const double det = detleft - detright;
    double detsum;
    if (detleft > 0) {
        if (detright <= 0) return det > 0 ? 1 : (det < 0 ? -1 : 0);
        detsum = detleft + detright;
    } else if (detleft < 0) {
        if (detright >= 0) return det > 0 ? 1 : (det < 0 ? -1 : 0);
        detsum = -detleft - detright;
    } else {
        return det > 0 ? 1 : (det < 0 ? -1 : 0);
    }
    const double bound = kCcwBound * detsum;
    if (det >= bound || -det >= bound) return det > 0 ? 1 : (det < 0 ? -1 : 0);
    return orient_exact(ax, ay, bx, by, cx, cy);
}

constexpr std::uint32_t kBlock = 0x80000000u; // coarse entry: index of an 8x8 fine block
constexpr std::uint32_t kEdgeCell = 0x80000000u; // fine entry: index of an edge cell
constexpr std::uint32_t kNoRegion = std::numeric_limits<std::uint32_t>::max();

// Exact even-odd state of (x, y) against one region's edges: 0 outside, 1 inside, 2 on boundary.
template <class Edges> int ray_state(const Edges& edges, double x, double y) {
    bool inside = false;
    for (const auto& e : edges) {
        if ((e.ax == x && e.ay == y) || (e.bx == x && e.by == y)) return 2;
        if ((e.ay > y) != (e.by > y)) {
            const int o = orient(e.ax, e.ay, e.bx, e.by, x, y);
            if (o == 0) return 2;
            if ((e.by > e.ay) ? (o > 0) : (o < 0)) inside = !inside; // crossing right of (x, y)
        } else if (e.ay == y && e.by == y && std::min(e.ax, e.bx) <= x && x <= std::max(e.ax, e.bx)) {
            return 2;
        }
    }
    return inside ? 1 : 0;
}

std::uint32_t next_pow2(std::uint32_t v) {
    std::uint32_t p = 1;
    while (p < v) p <<= 1;
    return p;
}

} // namespace

RegionIndex::RegionIndex(const std::vector<Region>& regions) { build(regions, Options{}); }
RegionIndex::RegionIndex(const std::vector<Region>& regions, const Options& opt) {
    build(regions, opt);
}

std::int32_t RegionIndex::locate(double x, double y) const {
    const double fx = (x - x0_) * inv_cell_;
    const double fy = (y - y0_) * inv_cell_;
    if (!(fx >= 0.0 && fx < double(nx_) && fy >= 0.0 && fy < double(ny_))) return none;
    const auto ix = static_cast<std::uint32_t>(fx);
    const auto iy = static_cast<std::uint32_t>(fy);
    std::uint32_t v = coarse_[(iy >> 3) * ncx_ + (ix >> 3)];
    if (v & kBlock) {
        v = fine_[((v & ~kBlock) << 6) | ((iy & 7u) << 3) | (ix & 7u)];
        if (v & kEdgeCell) return locate_in_edge_cell(cells_[v & ~kEdgeCell], x, y);
    }
    return static_cast<std::int32_t>(v) - 1;
}

// Membership of q in each region with edges in the cell = membership of the reference point R,
// flipped once per edge the segment R-q crosses. Vertices on the line R-q count on one side
// (orientation > 0 or not), which is a symbolic shift of that line; R is never on an edge, and a
// q on an edge or vertex is detected exactly and belongs to that region (closed regions).
std::int32_t RegionIndex::locate_in_edge_cell(const EdgeCell& c, double qx, double qy) const {
    std::uint32_t best = c.base; // answer code: region + 1, or 0
    const double rx = c.rx, ry = c.ry;
    const Group* g = groups_.data() + c.first_group;
    for (std::uint32_t gi = 0; gi < c.group_count; ++gi, ++g) {
        if (best != 0 && g->region + 1 >= best) break;
        bool inside = g->inside_ref != 0;
        bool boundary = false;
        const Edge* e = cell_edges_.data() + g->first_edge;
        for (std::uint32_t k = 0; k < g->edge_count; ++k, ++e) {
            if ((e->ax == qx && e->ay == qy) || (e->bx == qx && e->by == qy)) {
                boundary = true;
                break;
            }
            const int sa = orient(rx, ry, qx, qy, e->ax, e->ay);
            const int sb = orient(rx, ry, qx, qy, e->bx, e->by);
            if (sa == 0 && sb == 0) { // edge on the line R-q: q on it?
                if (std::min(e->ax, e->bx) <= qx && qx <= std::max(e->ax, e->bx) &&
                    std::min(e->ay, e->by) <= qy && qy <= std::max(e->ay, e->by)) {
                    boundary = true;
                    break;
                }
                continue;
            }
            if ((sa > 0) == (sb > 0)) continue;
            const int oq = orient(e->ax, e->ay, e->bx, e->by, qx, qy);
            if (oq == 0) {
                boundary = true;
                break;
            }
            const int orr = orient(e->ax, e->ay, e->bx, e->by, rx, ry);
            if ((orr > 0) != (oq > 0)) inside = !inside;
        }
        if (inside || boundary) {
            best = g->region + 1;
            break;
        }
    }
    return static_cast<std::int32_t>(best) - 1;
}

std::int32_t RegionIndex::locate_reference(double x, double y) const {
    if (!std::isfinite(x) || !std::isfinite(y)) return none;
    for (std::size_t r = 0; r < region_edges_.size(); ++r)
        if (ray_state(region_edges_[r], x, y) != 0) return static_cast<std::int32_t>(r);
    return none;
}

void RegionIndex::build(const std::vector<Region>& regions, const Options& opt) {
    const auto t0 = std::chrono::steady_clock::now();
    region_count_ = regions.size();
    if (region_count_ >= (1u << 30)) throw UsageError("too many regions for the region index");
    region_edges_.assign(region_count_, {});

    double minx = std::numeric_limits<double>::infinity(), miny = minx;
    double maxx = -minx, maxy = -minx;
    std::size_t total_edges = 0;
    for (std::size_t r = 0; r < region_count_; ++r) {
        auto add_ring = [&](const Ring& ring) {
            auto pts = ring.points;
            while (pts.size() > 1 && pts.front() == pts.back()) pts.pop_back();
            if (pts.size() < 2) return;
            for (std::size_t i = 0; i < pts.size(); ++i) {
                const auto& a = pts[i];
                const auto& b = pts[(i + 1) % pts.size()];
                if (!std::isfinite(a.first) || !std::isfinite(a.second))
                    throw UsageError("region " + std::to_string(r) + " has a non-finite coordinate");
                if (a == b) continue;
                region_edges_[r].push_back(Edge{a.first, a.second, b.first, b.second});
                minx = std::min(minx, a.first);
                maxx = std::max(maxx, a.first);
                miny = std::min(miny, a.second);
                maxy = std::max(maxy, a.second);
            }
        };
        for (const auto& poly : regions[r].polygons) {
            add_ring(poly.outer);
            for (const auto& h : poly.holes) add_ring(h);
        }
        total_edges += region_edges_[r].size();
    }
    stats_ = Stats{};
    if (total_edges == 0) return; // nx_ == 0: every point is outside

    // Grid geometry. Cells are square; the fine grid is grouped in 8x8 blocks.
    std::uint32_t f = opt.fine_cells;
    if (f == 0) {
        const double want = std::sqrt(double(total_edges)) * 12.0;
        f = next_pow2(static_cast<std::uint32_t>(std::clamp(want, 256.0, 4096.0)));
    }
    const double w = maxx - minx, h = maxy - miny;
    cell_ = std::max(w, h) / f;
    if (!(cell_ > 0)) cell_ = 1.0;
    x0_ = minx;
    y0_ = miny;
    inv_cell_ = 1.0 / cell_;
    nx_ = ((static_cast<std::uint32_t>(w / cell_) + 2) + 7u) & ~7u;
    ny_ = ((static_cast<std::uint32_t>(h / cell_) + 2) + 7u) & ~7u;
    ncx_ = nx_ / 8;
    const std::uint32_t ncy = ny_ / 8;
    const double scale = std::max({std::fabs(minx), std::fabs(maxx), std::fabs(miny), std::fabs(maxy),
                                   cell_});
    const double abs_eps = scale * 0x1p-52;
    const double m = std::max(cell_ * 1e-6, abs_eps * 64); // margin around every cell

    // Global edge list with region, for bucketing.
    struct GEdge {
        Edge e;
        std::uint32_t region;
    };
    std::vector<GEdge> all;
    all.reserve(total_edges);
    for (std::uint32_t r = 0; r < region_count_; ++r)
        for (const auto& e : region_edges_[r]) all.push_back(GEdge{e, r});

    auto clamp_idx = [](double v, std::uint32_t n) -> std::uint32_t {
        if (!(v > 0)) return 0;
        if (v >= double(n - 1)) return n - 1;
        return static_cast<std::uint32_t>(v);
    };

    // 1. (fine cell, edge) pairs: every edge touching the cell grown by the margin m.
    std::vector<std::pair<std::uint64_t, std::uint32_t>> pairs; // (cell id, edge id)
    for (std::uint32_t id = 0; id < all.size(); ++id) {
        const Edge& e = all[id].e;
        const double ylo = std::min(e.ay, e.by), yhi = std::max(e.ay, e.by);
        const double xlo_e = std::min(e.ax, e.bx) - m, xhi_e = std::max(e.ax, e.bx) + m;
        const std::uint32_t r0 = clamp_idx(std::floor((ylo - m - y0_) * inv_cell_), ny_);
        const std::uint32_t r1 = clamp_idx(std::floor((yhi + m - y0_) * inv_cell_), ny_);
        const double dy = e.by - e.ay;
        const double slope = dy != 0 ? (e.bx - e.ax) / dy : 0.0;
        const double mx = m + 16 * abs_eps * (2 + std::fabs(slope));
        for (std::uint32_t iy = r0; iy <= r1; ++iy) {
            double xa, xb;
            if (dy == 0) {
                xa = xlo_e;
                xb = xhi_e;
            } else {
                const double ya = std::max(ylo, y0_ + iy * cell_ - m);
                const double yb = std::min(yhi, y0_ + (iy + 1) * cell_ + m);
                const double p = e.ax + (ya - e.ay) * slope, q = e.ax + (yb - e.ay) * slope;
                xa = std::max(std::min(p, q) - mx, xlo_e);
                xb = std::min(std::max(p, q) + mx, xhi_e);
                if (xa > xb) continue;
            }
            const std::uint32_t c0 = clamp_idx(std::floor((xa - x0_) * inv_cell_), nx_);
            const std::uint32_t c1 = clamp_idx(std::floor((xb - x0_) * inv_cell_), nx_);
            for (std::uint32_t ix = c0; ix <= c1; ++ix)
                pairs.emplace_back(std::uint64_t(iy) * nx_ + ix, id);
        }
    }
    std::sort(pairs.begin(), pairs.end(), [&](const auto& a, const auto& b) {
        if (a.first != b.first) return a.first < b.first;
        return a.second < b.second; // edge ids are grouped by region already
    });
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());

    // 2. Blocks for coarse cells holding edge cells; edge cells with their groups and edges.
    coarse_.assign(std::size_t(ncx_) * ncy, 0);
    std::vector<std::uint8_t> mixed(coarse_.size(), 0);
    for (const auto& p : pairs) {
        const auto iy = std::uint32_t(p.first / nx_), ix = std::uint32_t(p.first % nx_);
        mixed[(iy >> 3) * ncx_ + (ix >> 3)] = 1;
    }
    std::uint32_t blocks = 0;
    for (std::size_t c = 0; c < coarse_.size(); ++c)
        if (mixed[c]) coarse_[c] = kBlock | blocks++;
    fine_.assign(std::size_t(blocks) * 64, 0);
    cells_.clear();
    groups_.clear();
    cell_edges_.clear();
    auto fine_slot = [&](std::uint32_t ix, std::uint32_t iy) -> std::uint32_t& {
        const std::uint32_t b = coarse_[(iy >> 3) * ncx_ + (ix >> 3)] & ~kBlock;
        return fine_[(std::size_t(b) << 6) | ((iy & 7u) << 3) | (ix & 7u)];
    };
    for (std::size_t i = 0; i < pairs.size();) {
        std::size_t j = i;
        while (j < pairs.size() && pairs[j].first == pairs[i].first) ++j;
        const auto iy = std::uint32_t(pairs[i].first / nx_), ix = std::uint32_t(pairs[i].first % nx_);
        EdgeCell cell{x0_ + (ix + 0.5) * cell_, y0_ + (iy + 0.5) * cell_, 0,
                      std::uint32_t(groups_.size()), 0};
        for (std::size_t k = i; k < j;) {
            const std::uint32_t region = all[pairs[k].second].region;
            Group g{region, std::uint32_t(cell_edges_.size()), 0, 0};
            while (k < j && all[pairs[k].second].region == region) {
                cell_edges_.push_back(all[pairs[k].second].e);
                ++g.edge_count;
                ++k;
            }
            groups_.push_back(g);
            ++cell.group_count;
        }
        fine_slot(ix, iy) = kEdgeCell | std::uint32_t(cells_.size());
        cells_.push_back(cell);
        i = j;
    }

    // 3. Row sweep: classify the centre of every uniform cell and the reference point of every
    //    edge cell, along horizontal lines through fine-cell centres.
    std::vector<std::uint32_t> row_start(ny_ + 1, 0), row_edges;
    auto row_range = [&](const Edge& e, std::uint32_t& r0, std::uint32_t& r1) {
        r0 = clamp_idx(std::floor((std::min(e.ay, e.by) - y0_) * inv_cell_ - 0.5) - 1, ny_);
        r1 = clamp_idx(std::floor((std::max(e.ay, e.by) - y0_) * inv_cell_ - 0.5) + 1, ny_);
    };
    for (const auto& ge : all) {
        std::uint32_t r0, r1;
        row_range(ge.e, r0, r1);
        for (std::uint32_t r = r0; r <= r1; ++r) ++row_start[r + 1];
    }
    for (std::uint32_t r = 0; r < ny_; ++r) row_start[r + 1] += row_start[r];
    row_edges.resize(row_start[ny_]);
    {
        std::vector<std::uint32_t> fill(row_start.begin(), row_start.end() - 1);
        for (std::uint32_t id = 0; id < all.size(); ++id) {
            std::uint32_t r0, r1;
            row_range(all[id].e, r0, r1);
            for (std::uint32_t r = r0; r <= r1; ++r) row_edges[fill[r]++] = id;
        }
    }

    struct Crossing {
        double x;
        std::uint32_t edge;
    };
    std::vector<std::uint8_t> parity(region_count_, 0);
    std::set<std::uint32_t> odd;
    std::vector<Crossing> narrow, wide;
    std::vector<std::uint32_t> toggles; // regions of exact crossings left of the point
    const double window = cell_ * 0.25;
    std::vector<std::uint8_t> in_cell(region_count_, 0);
    std::vector<std::uint8_t> fb_inside(region_count_, 0);

    for (std::uint32_t iy = 0; iy < ny_; ++iy) {
        const std::uint32_t cy = iy >> 3;
        bool any_mixed = false;
        for (std::uint32_t cx = 0; cx < ncx_ && !any_mixed; ++cx) any_mixed = mixed[cy * ncx_ + cx];
        if (!any_mixed && (iy & 7u) != 4) continue;
        const double yc = y0_ + (iy + 0.5) * cell_;
        narrow.clear();
        wide.clear();
        for (std::uint32_t k = row_start[iy]; k < row_start[iy + 1]; ++k) {
            const Edge& e = all[row_edges[k]].e;
            if ((e.ay > yc) == (e.by > yc)) continue;
            const double slope = (e.bx - e.ax) / (e.by - e.ay);
            const double x = e.ax + (yc - e.ay) * slope;
            const double tol = 16 * abs_eps * (2 + std::fabs(slope));
            (tol > window ? wide : narrow).push_back(Crossing{x, row_edges[k]});
        }
        std::sort(narrow.begin(), narrow.end(), [](auto& a, auto& b) { return a.x < b.x; });
        std::fill(parity.begin(), parity.end(), 0);
        odd.clear();
        std::size_t next = 0;

        // State of P = (px, yc): committed parities plus exact tests near px. Returns false when
        // P lies on an edge.
        auto probe = [&](double px) -> bool {
            while (next < narrow.size() && narrow[next].x < px - window) {
                const std::uint32_t r = all[narrow[next].edge].region;
                parity[r] ^= 1;
                if (parity[r]) odd.insert(r);
                else odd.erase(r);
                ++next;
            }
            toggles.clear();
            bool on_edge = false;
            auto exact = [&](const Crossing& c) {
                const Edge& e = all[c.edge].e;
                const int o = orient(e.ax, e.ay, e.bx, e.by, px, yc);
                if (o == 0) on_edge = true;
                else if ((e.by > e.ay) ? (o < 0) : (o > 0)) toggles.push_back(all[c.edge].region);
            };
            for (std::size_t k = next; k < narrow.size() && narrow[k].x <= px + window; ++k)
                exact(narrow[k]);
            for (const auto& c : wide) exact(c);
            std::sort(toggles.begin(), toggles.end());
            return !on_edge;
        };
        auto toggled = [&](std::uint32_t r) {
            auto range = std::equal_range(toggles.begin(), toggles.end(), r);
            return (range.second - range.first) & 1;
        };
        auto inside = [&](std::uint32_t r) { return (parity[r] ^ toggled(r)) != 0; };
        // Lowest region containing P, skipping regions flagged in `skip` (may be null).
        auto lowest = [&](const std::vector<std::uint8_t>* skip) -> std::uint32_t {
            std::uint32_t best = kNoRegion;
            for (std::uint32_t r : odd) {
                if (skip && (*skip)[r]) continue;
                if (!toggled(r)) {
                    best = r;
                    break;
                }
            }
            for (std::uint32_t r : toggles)
                if (r < best && !(skip && (*skip)[r]) && inside(r)) best = r;
            return best;
        };
        auto code = [](std::uint32_t r) { return r == kNoRegion ? 0u : r + 1; };

        for (std::uint32_t cx = 0; cx < ncx_; ++cx) {
            const std::size_t c = cy * ncx_ + cx;
            if (!mixed[c]) {
                if ((iy & 7u) != 4) continue;
                probe(x0_ + (cx * 8 + 4.5) * cell_);
                coarse_[c] = code(lowest(nullptr));
                continue;
            }
            for (std::uint32_t ix = cx * 8; ix < cx * 8 + 8; ++ix) {
                std::uint32_t& slot = fine_slot(ix, iy);
                const double px = x0_ + (ix + 0.5) * cell_;
                if (!(slot & kEdgeCell)) {
                    probe(px);
                    slot = code(lowest(nullptr));
                    continue;
                }
                EdgeCell& ec = cells_[slot & ~kEdgeCell];
                const Group* g0 = groups_.data() + ec.first_group;
                for (std::uint32_t gi = 0; gi < ec.group_count; ++gi) in_cell[g0[gi].region] = 1;
                if (probe(px)) {
                    for (std::uint32_t gi = 0; gi < ec.group_count; ++gi)
                        groups_[ec.first_group + gi].inside_ref = inside(g0[gi].region) ? 1 : 0;
                    ec.base = code(lowest(&in_cell));
                } else {
                    // The centre lies on an edge: take another reference point in the cell,
                    // classified by brute force (rare).
                    bool done = false;
                    for (int k = 1; k < 64 && !done; ++k) {
                        const double rx = px + cell_ * 0.45 * std::sin(k * 2.3999632);
                        const double ry = yc + cell_ * 0.45 * std::cos(k * 2.3999632);
                        bool on_boundary = false;
                        for (std::uint32_t r = 0; r < region_count_ && !on_boundary; ++r) {
                            const int s = ray_state(region_edges_[r], rx, ry);
                            on_boundary = s == 2;
                            fb_inside[r] = s == 1;
                        }
                        if (on_boundary) continue;
                        ec.rx = rx;
                        ec.ry = ry;
                        std::uint32_t base = kNoRegion;
                        for (std::uint32_t r = 0; r < region_count_; ++r)
                            if (fb_inside[r] && !in_cell[r]) {
                                base = r;
                                break;
                            }
                        ec.base = code(base);
                        for (std::uint32_t gi = 0; gi < ec.group_count; ++gi)
                            groups_[ec.first_group + gi].inside_ref = fb_inside[g0[gi].region];
                        done = true;
                    }
                    if (!done) throw WorkError("region index: no reference point off the edges");
                }
                for (std::uint32_t gi = 0; gi < ec.group_count; ++gi) in_cell[g0[gi].region] = 0;
            }
        }
    }

    stats_.fine_nx = nx_;
    stats_.fine_ny = ny_;
    stats_.mixed_blocks = blocks;
    stats_.edge_cells = cells_.size();
    stats_.edge_refs = cell_edges_.size();
    stats_.memory_bytes = coarse_.size() * 4 + fine_.size() * 4 + cells_.size() * sizeof(EdgeCell) +
                          groups_.size() * sizeof(Group) + cell_edges_.size() * sizeof(Edge) +
                          total_edges * sizeof(Edge);
    stats_.build_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// ---- aggregation ------------------------------------------------------------------------------

namespace {

unsigned thread_count(const AggregateOptions& opt) {
    unsigned t = opt.threads ? opt.threads : std::thread::hardware_concurrency();
    return std::max(1u, t);
}

// Per-chunk partial: counts and sums for regions 0..n-1 and, at n, the unmatched points.
struct Partial {
    std::vector<std::uint64_t> count;
    std::vector<double> sum;
    void reset(std::size_t n) {
        count.assign(n + 1, 0);
        sum.assign(n + 1, 0.0);
    }
};

void classify_chunk(const RegionIndex& index, const double* x, const double* y, const double* v,
                    std::size_t n, Partial& p) {
    const std::size_t nreg = index.size();
    p.reset(nreg);
    std::uint64_t* cnt = p.count.data();
    double* sum = p.sum.data();
    for (std::size_t i = 0; i < n; ++i) {
        const std::int32_t r = index.locate(x[i], y[i]);
        const std::size_t k = r < 0 ? nreg : std::size_t(r);
        ++cnt[k];
        sum[k] += v[i];
    }
}

struct Combiner {
    AggregateResult res;
    explicit Combiner(std::size_t n) {
        res.count.assign(n, 0);
        res.sum.assign(n, 0.0);
    }
    void add(const Partial& p) {
        const std::size_t n = res.count.size();
        for (std::size_t r = 0; r < n; ++r) {
            res.count[r] += p.count[r];
            res.sum[r] += p.sum[r];
            res.points += p.count[r];
        }
        res.unmatched_count += p.count[n];
        res.unmatched_sum += p.sum[n];
        res.points += p.count[n];
        ++res.chunks;
    }
};

} // namespace

AggregateResult aggregate(const RegionIndex& index, std::span<const double> x,
                          std::span<const double> y, std::span<const double> value,
                          const AggregateOptions& opt) {
    if (x.size() != y.size() || x.size() != value.size())
        throw UsageError("aggregate: x, y and value differ in length");
    const std::size_t n = x.size();
    const std::size_t chunks = (n + aggregate_chunk_points - 1) / aggregate_chunk_points;
    const auto threads = static_cast<unsigned>(
        std::min<std::size_t>(thread_count(opt), std::max<std::size_t>(chunks, 1)));
    Combiner comb(index.size());
    // Windows of chunks bound the memory of partials; inside a window chunks run in parallel,
    // then are combined in chunk order.
    const std::size_t window = std::max<std::size_t>(threads * 8, 64);
    std::vector<Partial> partials(std::min(window, std::max<std::size_t>(chunks, 1)));
    for (std::size_t w0 = 0; w0 < chunks; w0 += window) {
        const std::size_t w1 = std::min(chunks, w0 + window);
        std::atomic<std::size_t> next{w0};
        auto work = [&] {
            for (std::size_t c; (c = next.fetch_add(1)) < w1;) {
                const std::size_t b = c * aggregate_chunk_points;
                const std::size_t e = std::min(n, b + aggregate_chunk_points);
                classify_chunk(index, x.data() + b, y.data() + b, value.data() + b, e - b,
                               partials[c - w0]);
            }
        };
        std::vector<std::thread> pool;
        for (unsigned t = 1; t < threads && t < w1 - w0; ++t) pool.emplace_back(work);
        work();
        for (auto& t : pool) t.join();
        for (std::size_t c = w0; c < w1; ++c) comb.add(partials[c - w0]);
    }
    return std::move(comb.res);
}

AggregateResult aggregate_stream(const RegionIndex& index, const PointReader& read,
                                 const AggregateOptions& opt) {
    const unsigned threads = thread_count(opt);
    const std::size_t nbuf = 2 * std::size_t(threads) + 2;
    std::vector<PointChunk> chunks(nbuf);
    std::vector<Partial> partials(nbuf);
    std::vector<std::size_t> free_bufs;
    for (std::size_t i = 0; i < nbuf; ++i) free_bufs.push_back(nbuf - 1 - i);
    std::deque<std::pair<std::uint64_t, std::size_t>> work; // (chunk number, buffer)
    std::map<std::uint64_t, std::size_t> done;
    std::mutex mu;
    std::condition_variable cv_work, cv_main;
    bool stop = false;
    std::exception_ptr worker_error;

    auto worker = [&] {
        for (;;) {
            std::pair<std::uint64_t, std::size_t> job;
            {
                std::unique_lock lk(mu);
                cv_work.wait(lk, [&] { return stop || !work.empty(); });
                if (work.empty()) return;
                job = work.front();
                work.pop_front();
            }
            try {
                const PointChunk& c = chunks[job.second];
                classify_chunk(index, c.x.data(), c.y.data(), c.value.data(), c.size(),
                               partials[job.second]);
            } catch (...) {
                std::lock_guard lk(mu);
                if (!worker_error) worker_error = std::current_exception();
            }
            {
                std::lock_guard lk(mu);
                done.emplace(job.first, job.second);
            }
            cv_main.notify_one();
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
    auto shutdown = [&] {
        {
            std::lock_guard lk(mu);
            stop = true;
        }
        cv_work.notify_all();
        for (auto& t : pool) t.join();
        pool.clear();
    };

    Combiner comb(index.size());
    std::uint64_t next_read = 0, next_combine = 0;
    bool reading = true;
    try {
        std::unique_lock lk(mu);
        for (;;) {
            cv_main.wait(lk, [&] {
                return (reading && !free_bufs.empty()) || done.count(next_combine) || worker_error ||
                       (!reading && next_combine == next_read);
            });
            if (worker_error) std::rethrow_exception(worker_error);
            for (auto it = done.find(next_combine); it != done.end(); it = done.find(next_combine)) {
                comb.add(partials[it->second]);
                free_bufs.push_back(it->second);
                done.erase(it);
                ++next_combine;
            }
            if (!reading && next_combine == next_read) break;
            if (reading && !free_bufs.empty()) {
                const std::size_t b = free_bufs.back();
                free_bufs.pop_back();
                lk.unlock();
                chunks[b].clear();
                const bool more = read(chunks[b], aggregate_chunk_points);
                lk.lock();
                if (chunks[b].size() > 0) {
                    work.emplace_back(next_read++, b);
                    cv_work.notify_one();
                } else {
                    free_bufs.push_back(b);
                }
                if (!more) reading = false;
            }
        }
    } catch (...) {
        shutdown();
        throw;
    }
    shutdown();
    return std::move(comb.res);
}

// ---- CSV points -------------------------------------------------------------------------------

CsvPointReader::CsvPointReader(const std::string& path, const std::string& x_column,
                               const std::string& y_column, const std::string& value_column)
    : path_(path), buf_(1 << 20) {
    file_ = std::fopen(path.c_str(), "rb");
    if (!file_) throw InputError(path, 0, "cannot open it: " + std::string(std::strerror(errno)));
    std::string_view header;
    if (!next_line(header)) throw InputError(path, 1, "empty file, expected a header line");
    int col = 0;
    for (std::size_t pos = 0;; ++col) {
        const std::size_t comma = header.find(',', pos);
        std::string_view name = header.substr(pos, comma == std::string_view::npos ? comma : comma - pos);
        if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
            name = name.substr(1, name.size() - 2);
        if (name == x_column) xi_ = col;
        if (name == y_column) yi_ = col;
        if (!value_column.empty() && name == value_column) vi_ = col;
        if (comma == std::string_view::npos) break;
        pos = comma + 1;
    }
    ncols_ = col + 1;
    auto missing = [&](const std::string& c) {
        return InputError(path, 1, "no column '" + c + "' in the header");
    };
    if (xi_ < 0) throw missing(x_column);
    if (yi_ < 0) throw missing(y_column);
    if (!value_column.empty() && vi_ < 0) throw missing(value_column);
}

CsvPointReader::~CsvPointReader() {
    if (file_) std::fclose(file_);
}

bool CsvPointReader::next_line(std::string_view& line) {
    for (;;) {
        const char* b = buf_.data() + begin_;
        const void* nl = std::memchr(b, '\n', end_ - begin_);
        if (nl) {
            const char* e = static_cast<const char*>(nl);
            line = std::string_view(b, std::size_t(e - b));
            begin_ = std::size_t(e - buf_.data()) + 1;
            ++line_no_;
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            return true;
        }
        if (eof_) {
            if (begin_ == end_) return false;
            line = std::string_view(b, end_ - begin_);
            begin_ = end_;
            ++line_no_;
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            return true;
        }
        std::memmove(buf_.data(), b, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
        if (end_ == buf_.size()) buf_.resize(buf_.size() * 2);
        const std::size_t got = std::fread(buf_.data() + end_, 1, buf_.size() - end_, file_);
        if (got == 0) {
            if (std::ferror(file_)) throw InputError(path_, line_no_, "read error");
            eof_ = true;
        }
        end_ += got;
    }
}

bool CsvPointReader::operator()(PointChunk& chunk, std::size_t capacity) {
    std::string_view line;
    const int last = std::max({xi_, yi_, vi_});
    while (chunk.size() < capacity) {
        if (!next_line(line)) return false;
        if (line.empty()) continue;
        double vals[3] = {0, 0, 1.0};
        const char* p = line.data();
        const char* end = p + line.size();
        for (int col = 0; col <= last; ++col) {
            const char* comma = static_cast<const char*>(std::memchr(p, ',', std::size_t(end - p)));
            const char* fe = comma ? comma : end;
            const int slot = col == xi_ ? 0 : col == yi_ ? 1 : col == vi_ ? 2 : -1;
            if (slot >= 0) {
                const char* s = p;
                while (s < fe && *s == ' ') ++s;
                auto [ptr, ec] = std::from_chars(s, fe, vals[slot]);
                if (ec != std::errc() || ptr != fe) {
                    throw InputError(path_, line_no_,
                                     "not a number in column " + std::to_string(col + 1) + ": '" +
                                         std::string(p, fe) + "'");
                }
            }
            if (!comma) {
                if (col < last)
                    throw InputError(path_, line_no_, "too few columns");
                break;
            }
            p = comma + 1;
        }
        chunk.x.push_back(vals[0]);
        chunk.y.push_back(vals[1]);
        chunk.value.push_back(vals[2]);
    }
    return true;
}

} // namespace sitmap
