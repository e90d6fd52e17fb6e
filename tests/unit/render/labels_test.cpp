#include "layers/render/labels.hpp"

#include <catch2/catch.hpp>

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
