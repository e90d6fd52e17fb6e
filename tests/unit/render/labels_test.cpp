#include "layers/render/cartography.hpp"
#include "layers/render/labels.hpp"
#include "layers/render/symbols.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <random>

using namespace sitmap::render;

TEST_CASE("placed labels never overlap each other or an obstacle", "[render]") {
    const TextMeasurer m;
    const Box bounds{0, 0, 300, 200};
    LabelPlacer placer(m, bounds);
    const Box legend{200, 0, 300, 80};
    placer.add_obstacle(legend);
    std::mt19937 rng(42);
    std::uniform_real_distribution<double> x(0, 300), y(0, 200);
    const int n = 120;
    for (int i = 0; i < n; ++i) {
        TextItem t;
        t.text = "Place " + std::to_string(i);
        t.size = 8;
        placer.add({t, {x(rng), y(rng)}, 3, i % 4, false, {}});
    }
    const LabelResult r = placer.place();
    CHECK(r.placed.size() + r.left_out.size() == n);
    CHECK(r.placed.size() > 20);
    CHECK(!r.left_out.empty()); // 120 labels cannot all fit in 300 x 200 points
    for (std::size_t i = 0; i < r.boxes.size(); ++i) {
        CHECK(bounds.contains(r.boxes[i]));
        CHECK(!r.boxes[i].overlaps(legend));
        for (std::size_t j = i + 1; j < r.boxes.size(); ++j)
            CHECK(!r.boxes[i].overlaps(r.boxes[j]));
    }
}

TEST_CASE("a label goes right of its symbol when free, else to another side", "[render]") {
    const TextMeasurer m;
    TextItem t;
    t.text = "Nasib";
    t.size = 8;
    LabelPlacer free(m, {0, 0, 400, 300});
    free.add({t, {100, 100}, 4, 0, false, {}});
    const auto a = free.place();
    REQUIRE(a.placed.size() == 1);
    CHECK(a.placed[0].at.x > 104);

    LabelPlacer blocked(m, {0, 0, 400, 300});
    blocked.add_obstacle({104, 80, 200, 120});
    blocked.add({t, {100, 100}, 4, 0, false, {}});
    const auto b = blocked.place();
    REQUIRE(b.placed.size() == 1);
    CHECK(b.boxes[0].x1 <= 104);
}

TEST_CASE("higher priority labels win a contested place", "[render]") {
    const TextMeasurer m;
    LabelPlacer p(m, {0, 0, 60, 20});
    TextItem a, b;
    a.text = "Crossing";
    b.text = "Village";
    p.add({b, {30, 10}, 0, 3, true, {}});
    p.add({a, {30, 10}, 0, 0, true, {}});
    const auto r = p.place();
    REQUIRE(r.placed.size() == 1);
    CHECK(r.placed[0].text == "Crossing");
    CHECK(r.left_out == std::vector<std::string>{"Village"});
}

namespace {

Pt cubic(Pt a, const PathOp &o, double t) {
    const double u = 1 - t;
    return {u * u * u * a.x + 3 * u * u * t * o.c1.x + 3 * u * t * t * o.c2.x + t * t * t * o.p.x,
            u * u * u * a.y + 3 * u * u * t * o.c1.y + 3 * u * t * t * o.c2.y + t * t * t * o.p.y};
}

// True when a label centred on `at` is placed there (its first candidate) although other
// positions are free: it hit no obstacle.
bool accepted_at(const std::vector<PathItem> &arrow, Pt at) {
    const TextMeasurer m;
    LabelPlacer p(m, {0, 0, 600, 600});
    for (const auto &a : arrow)
        flow_boxes(a, p);
    TextItem t;
    t.text = "Abcdef";
    t.size = 8;
    p.add({t, at, 0, 0, true, {}});
    const auto r = p.place();
    if (r.boxes.empty())
        return false;
    const Box &b = r.boxes[0];
    return std::abs((b.x0 + b.x1) / 2 - at.x) < 1e-6 && std::abs((b.y0 + b.y1) / 2 - at.y) < 1e-6;
}

} // namespace

TEST_CASE("a label centred on a long thin flow arrow always hits it", "[render]") {
    const auto arrow = flow_arrow({300, 20}, {300, 580}, 1.2, kFlowColor);
    REQUIRE(arrow.size() == 3);
    const auto &shaft = arrow[1].ops;
    REQUIRE(shaft.size() == 2);
    int accepted = 0;
    for (int i = 0; i <= 400; ++i)
        accepted += accepted_at(arrow, cubic(shaft[0].p, shaft[1], i / 400.0)) ? 1 : 0;
    CHECK(accepted == 0);
    // The arrowhead: a label centred on it is not accepted either.
    const auto &tip = arrow[2].ops;
    const Pt head{(tip[0].p.x + tip[1].p.x + tip[2].p.x) / 3,
                  (tip[0].p.y + tip[1].p.y + tip[2].p.y) / 3};
    CHECK(!accepted_at(arrow, head));
}
