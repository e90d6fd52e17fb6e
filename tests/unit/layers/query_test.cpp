// Queries on hand-made layers with answers worked out by hand; distances checked against
// independent values (GeographicLib / PROJ `geod`).
#include "geo/error.hpp"
#include "layers/aggregate.hpp"
#include "layers/query.hpp"

#include <catch2/catch.hpp>

using namespace sitmap;

namespace {

const std::string data = std::string(SITMAP_TEST_DATA) + "/query/";

// Points named p0..pN with a category and an as_of date.
Layer points(const std::vector<std::pair<double, double>>& pts) {
    Layer l;
    l.name = "pts";
    l.geometry_type = wkbPoint;
    l.fields = {{"name", FieldType::string, ""},
                {"category", FieldType::string, ""},
                {"as_of", FieldType::date, ""}};
    for (std::size_t i = 0; i < pts.size(); ++i) {
        Feature f;
        f.geometry = make_point(pts[i].first, pts[i].second);
        f.values = {"p" + std::to_string(i), std::string(i % 2 ? "odd" : "even"),
                    std::string(i < 3 ? "2019-01-01" : "2020-06-30")};
        l.features.push_back(std::move(f));
    }
    return l;
}

std::vector<std::string> names(const Layer& l, const std::vector<QueryHit>& hits) {
    std::vector<std::string> out;
    for (const auto& h : hits) out.push_back(std::get<std::string>(l.features[h.feature].values[0]));
    return out;
}

using S = std::vector<std::string>;

} // namespace

TEST_CASE("query --within: edges, vertices, holes and multipolygons are exact", "[query]") {
    const RegionLayer sq = read_regions(data + "squares.geojson");
    std::vector<std::shared_ptr<OGRGeometry>> keep;
    for (const auto& f : sq.features) keep.push_back(region_geometry(f.geometry));
    const Layer l = points({{1.5, 1.5},    // p0 inside A
                            {2.0, 1.0},    // p1 on A's edge
                            {0.0, 0.0},    // p2 on A's vertex
                            {0.75, 0.75},  // p3 in A's hole
                            {0.5, 0.7},    // p4 on the hole's edge
                            {2.0000001, 1.0}, // p5 just outside A
                            {3.5, 3.5}});  // p6 in C's second part
    QuerySpec s;
    s.within = make_area("A", {keep[0].get()});
    CHECK(names(l, run_query(l, s)) == S{"p0", "p1", "p2", "p4"});
    s.within = make_area("C", {keep[2].get()});
    CHECK(names(l, run_query(l, s)) == S{"p3", "p6"});
    s.within = make_area("A+B", {keep[0].get(), keep[1].get()});
    CHECK(names(l, run_query(l, s)) == S{"p0", "p1", "p2", "p4", "p5"});
}

TEST_CASE("query --within a region layer in UTM 37N", "[query]") {
    const RegionLayer utm = read_regions(data + "utm37.geojson");
    const auto p1 = region_geometry(utm.features[0].geometry);
    // from `cs2cs EPSG:32637 EPSG:4326`: P1 centre, P1 100 m from the shared edge, P2 100 m in
    const Layer l = points({{36.901626056, 33.466727530},
                            {36.954324757, 33.467608742},
                            {36.957511627, 33.423475736}});
    QuerySpec s;
    s.within = make_area("P1", {p1.get()});
    CHECK(names(l, run_query(l, s)) == S{"p0", "p1"});
}

TEST_CASE("query --near and --nearest: geodesic, sorted", "[query]") {
    // Along the equator one degree of longitude is 111.319490793 km on WGS84 (a * pi / 180).
    const Layer l = points({{0.3, 0}, {0.1, 0}, {-0.2, 0}, {0, 1}, {0.1, 0}});
    QuerySpec s;
    s.near = LonLat{0, 0};
    s.km = 25;
    const auto hits = run_query(l, s);
    REQUIRE(names(l, hits) == S{"p1", "p4", "p2"}); // ties keep source order
    CHECK(*hits[0].distance_km == Approx(11.1319490793).margin(1e-6));
    CHECK(*hits[2].distance_km == Approx(22.2638981586).margin(1e-6));
    // One degree of latitude from the equator: 110.574388 km (GeographicLib).
    s = {};
    s.nearest = LonLat{0, 0};
    s.k = 5;
    const auto all = run_query(l, s);
    REQUIRE(names(l, all) == S{"p1", "p4", "p2", "p0", "p3"});
    CHECK(*all[4].distance_km == Approx(110.574389).margin(1e-3));
    s.k = 2;
    CHECK(names(l, run_query(l, s)) == S{"p1", "p4"});
}

TEST_CASE("query --bbox, --from/--to, --where and --intersects combine", "[query]") {
    const Layer l = points({{0, 0}, {1, 1}, {2, 2}, {3, 3}, {1, 1}});
    QuerySpec s;
    s.bbox = parse_bbox("1,1,3,2");
    CHECK(names(l, run_query(l, s)) == S{"p1", "p2", "p4"});
    s.from = "2020-01-01";
    CHECK(names(l, run_query(l, s)) == S{"p4"});
    s = {};
    s.to = "2019-12-31";
    s.where = WhereExpr::parse("category = 'even'", l.fields);
    CHECK(names(l, run_query(l, s)) == S{"p0", "p2"});
    s = {};
    OGRGeometry* g = nullptr;
    const char* wkt = "LINESTRING (0 2, 2 0)"; // passes through (1,1)
    REQUIRE(OGRGeometryFactory::createFromWkt(wkt, nullptr, &g) == OGRERR_NONE);
    s.intersects.reset(g);
    CHECK(names(l, run_query(l, s)) == S{"p1", "p4"});
    s.limit = 1;
    CHECK(names(l, run_query(l, s)) == S{"p1"});
}

TEST_CASE("query: bad input", "[query]") {
    Layer table;
    table.name = "audit";
    table.geometry_type = wkbNone;
    table.fields = {{"rule", FieldType::string, ""}};
    QuerySpec s;
    s.bbox = std::array<double, 4>{0, 0, 1, 1};
    CHECK_THROWS_WITH(run_query(table, s), Catch::Contains("has no geometry"));
    s = {};
    s.from = "2019-01-01";
    CHECK_THROWS_WITH(run_query(table, s), Catch::Contains("no as_of field"));
    CHECK_THROWS_AS(parse_bbox("1,2,3"), UsageError);
    CHECK_THROWS_AS(parse_bbox("3,0,1,1"), UsageError);
    CHECK_THROWS_AS(parse_bbox("a,b,c,d"), UsageError);
}

TEST_CASE("query --near on lines: distance to the nearest vertex", "[query]") {
    Layer l;
    l.name = "flows";
    l.geometry_type = wkbLineString;
    l.fields = {{"name", FieldType::string, ""}};
    for (const char* wkt : {"LINESTRING (1 0, 0.2 0)", "LINESTRING (0 1, 0 2)"}) {
        OGRGeometry* g = nullptr;
        REQUIRE(OGRGeometryFactory::createFromWkt(wkt, nullptr, &g) == OGRERR_NONE);
        Feature f;
        f.geometry.reset(g);
        f.values = {std::string(wkt)};
        l.features.push_back(std::move(f));
    }
    QuerySpec s;
    s.near = LonLat{0, 0};
    s.km = 50;
    const auto hits = run_query(l, s);
    REQUIRE(hits.size() == 1);
    CHECK(*hits[0].distance_km == Approx(22.2638981586).margin(1e-6)); // 0.2 degree of equator
}

TEST_CASE("query output helpers", "[query]") {
    CHECK(format_number(2338000) == "2338000");
    CHECK(format_number(0.5) == "0.5");
    CHECK(format_number(-3) == "-3");
    CHECK(text_table({{"a", "bb"}, {"ccc", "d"}}) == "a    bb\nccc  d\n");
}
