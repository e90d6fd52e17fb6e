#include "layers/render/classes.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace sitmap::render;

TEST_CASE("natural breaks find the gaps", "[render]") {
    const ClassBreaks b = natural_breaks({1, 2, 3, 10, 11, 12, 100}, 3);
    REQUIRE(b.upper == std::vector<double>{3, 12, 100});
    CHECK(b.lower == 1);
    CHECK(b.classify(2) == 0);
    CHECK(b.classify(11) == 1);
    CHECK(b.classify(100) == 2);
    CHECK(class_label(b, 1, {1, 2, 3, 10, 11, 12, 100}) == "10 – 12");
}

TEST_CASE("no more classes than distinct values, equal values in one class", "[render]") {
    CHECK(natural_breaks({270}, 5).upper == std::vector<double>{270});
    CHECK(natural_breaks({5, 5, 5, 9}, 5).upper == std::vector<double>{5, 9});
    CHECK(natural_breaks({}, 5).upper.empty());
    const auto b = natural_breaks({1, 2, 4, 8, 16, 32, 64, 128, 256, 512}, 5);
    CHECK(b.upper.size() == 5);
    CHECK(b.upper.back() == 512);
}

TEST_CASE("the ramp has one colour per class, light to dark", "[render]") {
    for (std::size_t n = 1; n <= 5; ++n) {
        const auto c = ylgnbu(n);
        REQUIRE(c.size() == n);
        for (std::size_t i = 1; i < n; ++i)
            CHECK(c[i].r + c[i].g + c[i].b < c[i - 1].r + c[i - 1].g + c[i - 1].b);
    }
}

TEST_CASE("counts are written with thousands separators", "[render]") {
    CHECK(format_count(1234567) == "1,234,567");
    CHECK(format_count(258) == "258");
    CHECK(format_count(2.5) == "2.5");
    CHECK(format_count(-1000) == "-1,000");
}

TEST_CASE("values that are not finite are left out of the classes", "[render]") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    const ClassBreaks b = natural_breaks({1, nan, 2, 3, 50, nan, 7, inf, -inf}, 5);
    CHECK(b.lower == 1);
    REQUIRE(!b.upper.empty());
    CHECK(b.upper.back() == 50);
    for (const double u : b.upper)
        CHECK(std::isfinite(u));
    CHECK(natural_breaks({nan, nan}, 5).upper.empty());
}

TEST_CASE("counts are rounded once, at any magnitude", "[render]") {
    CHECK(format_count(9.96) == "10");
    CHECK(format_count(9.94) == "9.9");
    CHECK(format_count(0.04) == "0");
    CHECK(format_count(-0.04) == "0");
    CHECK(format_count(999.5) == "1,000");
    CHECK(format_count(1e19) == "10,000,000,000,000,000,000");
    CHECK(format_count(-2.5e18) == "-2,500,000,000,000,000,000");
    CHECK(format_count(std::numeric_limits<double>::quiet_NaN()) == "n/a");
}
