#include "geo/geodesic.hpp"
#include "layers/render/furniture.hpp"
#include "layers/render/map_view.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace sitmap;
using namespace sitmap::render;

TEST_CASE("the Syria projection is PROJ's Lambert conformal conic", "[render]") {
    const Projection p;
    const Pt c = p.forward({38.5, 35});
    CHECK(std::abs(c.x) < 0.01);
    CHECK(std::abs(c.y) < 0.01);
    // Damascus; expected values from `cs2cs EPSG:4326 +to <the same definition>`.
    const Pt d = p.forward({36.29128, 33.5102});
    CHECK(d.x == Approx(-205144.0072).margin(0.01));
    CHECK(d.y == Approx(-162909.0750).margin(0.01));
}

TEST_CASE("the view fits the box into the frame, north up", "[render]") {
    const Projection p;
    const Box frame{10, 20, 610, 520};
    const MapView v(p, {35.6, 32.2, 37.6, 34.0}, frame);
    const Pt sw = v.to_page({35.6, 32.2}), ne = v.to_page({37.6, 34.0});
    CHECK(sw.x < ne.x);
    CHECK(sw.y > ne.y); // page y grows downwards
    for (const Pt q : {sw, ne})
        CHECK(frame.contains(q));
    const Pt c = v.to_page(v.centre());
    CHECK(c.x == Approx(310).margin(15));
    CHECK(c.y == Approx(270).margin(15));
}

TEST_CASE("the north arrow points to true north at the map centre", "[render]") {
    const Projection p;
    const Box frame{0, 0, 600, 500};
    // On the central meridian, north is page up.
    const MapView centred(p, {37.5, 34, 39.5, 36}, frame);
    CHECK(std::abs(centred.north_angle(centred.centre())) < 0.01);
    // West of it, the meridians lean towards the apex of the cone: gamma = n * (lon - lon0),
    // n = ln(cos 33 / cos 37 * ...) ~ sin(35 deg) for parallels 33 and 37.
    const MapView west(p, {35.6, 32.2, 37.6, 34.0}, frame);
    const double gamma = -west.north_angle(west.centre());
    CHECK(gamma == Approx(std::sin(35.0 * M_PI / 180) * (36.6 - 38.5)).epsilon(0.01));
}

TEST_CASE("the scale bar's length is within 1 % of the geodesic distance", "[render]") {
    const Projection p;
    // Syria, a zoom, and a box of about 2 km (a bar below 1 km).
    for (const LonLatBox b :
         {LonLatBox{35.25, 32.05, 42.55, 37.55}, LonLatBox{35.6, 32.2, 37.6, 34.0},
          LonLatBox{36.28, 33.50, 36.30, 33.52}}) {
        const MapView v(p, b, {0, 0, 560, 500});
        const LonLat c = v.centre();
        const double ppm = v.ground_scale(c, 50000);
        const double metres = scale_bar_metres(ppm, 110);
        const double bar = metres * ppm;
        CHECK(bar <= 110);
        CHECK(bar >= 40);
        for (const double azimuth : {0.0, 45.0, 90.0, 180.0}) {
            const Pt a = v.to_page(c), e = v.to_page(geodesic_forward(c, azimuth, metres));
            CHECK(std::hypot(e.x - a.x, e.y - a.y) == Approx(bar).epsilon(0.01));
        }
    }
}

TEST_CASE("scale bars from 1 m, labelled in m below 1 km", "[render]") {
    CHECK(scale_bar_metres(1.0, 110) == 100); // 1 point per metre
    CHECK(scale_bar_metres(0.5, 110) == 200);
    CHECK(scale_bar_metres(200.0, 110) == 1); // even 1 m is longer than 110 points
    CHECK(scale_bar_metres(0.001, 110) == 100000);
    CHECK(scale_bar_labels(500) == std::vector<std::string>{"0", "250", "500 m"});
    CHECK(scale_bar_labels(1) == std::vector<std::string>{"0", "0.5", "1 m"});
    CHECK(scale_bar_labels(5000) == std::vector<std::string>{"0", "2.5", "5 km"});
    CHECK(scale_bar_labels(100000) == std::vector<std::string>{"0", "50", "100 km"});
}
