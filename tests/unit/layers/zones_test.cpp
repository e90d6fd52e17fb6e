#include "geo/geodesic.hpp"
#include "layers/atlas.hpp"
#include "layers/zones.hpp"
#include "tools/data_paths.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <iostream>

using namespace sitmap;

namespace {

const cli::LoadedGazetteer& gaz() {
    static const cli::LoadedGazetteer g = cli::load_gazetteer(cli::DataOptions{});
    return g;
}

Zone tanf() {
    const std::string path = std::string(SITMAP_DATA_DIR) + "/zones.csv";
    auto zones = make_zones(load_zone_defs(path), gaz().gazetteer, path);
    REQUIRE(zones.size() >= 1);
    CHECK(zones[0].def.name == "al-Tanf 55 km zone");
    return zones[0];
}

} // namespace

TEST_CASE("the al-Tanf zone is a geodesic circle of 55 km", "[zones]") {
    const Zone z = tanf();
    const LonLat c = z.centre->point;
    const auto* ring = z.geometry->toPolygon()->getExteriorRing();
    REQUIRE(ring->getNumPoints() == static_cast<int>(z.vertices) + 1);
    double worst_vertex = 0, worst_edge = 0;
    for (int i = 0; i + 1 < ring->getNumPoints(); ++i) {
        const LonLat a{ring->getX(i), ring->getY(i)}, b{ring->getX(i + 1), ring->getY(i + 1)};
        worst_vertex = std::max(worst_vertex, std::fabs(geodesic_distance_m(c, a) - 55000));
        const LonLat mid{(a.lon + b.lon) / 2, (a.lat + b.lat) / 2};
        worst_edge = std::max(worst_edge, std::fabs(geodesic_distance_m(c, mid) - 55000));
    }
    CHECK(worst_vertex < 50);  // every vertex 55 km +- 0.05 km
    CHECK(worst_edge < 50);    // and the straight edges stay within 50 m of the circle
    const double pi = std::acos(-1.0);
    const double area = geodesic_area_km2(*z.geometry);
    CHECK(std::fabs(area - pi * 55 * 55) / (pi * 55 * 55) < 0.005);
    CHECK(ring->isClockwise() == FALSE); // right-hand rule: exterior counter-clockwise
}

TEST_CASE("gazetteer places inside the al-Tanf zone", "[zones]") {
    const Zone z = tanf();
    std::vector<std::string> inside;
    for (const Place& p : gaz().gazetteer.places())
        if (p.kind != Kind::country && z.contains(p.point)) inside.push_back(p.id);
    std::cout << "places inside the al-Tanf 55 km zone:";
    for (const auto& id : inside) std::cout << " " << id;
    std::cout << "\n";
    auto has = [&](const char* id) {
        return std::find(inside.begin(), inside.end(), id) != inside.end();
    };
    CHECK(has("al-tanf-base"));
    CHECK(has("rukban-camp"));
    CHECK(has("al-tanf-crossing"));
    CHECK_FALSE(has("palmyra"));
    CHECK_FALSE(has("damascus"));
    // The zone contains exactly the places within 55 km.
    for (const Place& p : gaz().gazetteer.places())
        CHECK(z.contains(p.point) == (geodesic_distance_m(z.centre->point, p.point) <= 55000));
}

TEST_CASE("vertex counts follow the tolerance", "[zones]") {
    CHECK(circle_vertices(55000, 10) >= 160);
    CHECK(circle_vertices(55000, 50) >= 72);
    CHECK(circle_vertices(1000, 10) >= 16);
}
