// Aggregation per region on hand-made polygons (tests/data/query) with answers worked out by
// hand, and on the UNHCR districts of ../shared/boundaries (places checked with ogr2ogr/SQLite).
#include "geo/error.hpp"
#include "layers/aggregate.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>

using namespace sitmap;

namespace {

const std::string data = std::string(SITMAP_TEST_DATA) + "/query/";

struct Rec {
    std::string id, category, subcategory, period, unit, status, as_of, precision, place;
    double value;
    double lon, lat;
};

Layer record_layer(const std::vector<Rec>& recs) {
    Layer l;
    l.name = "returns";
    for (const char* f : {"record_id", "category", "subcategory", "period", "unit", "status",
                          "as_of", "source", "claimant", "precision", "place_id", "qualifier"})
        l.fields.push_back({f, FieldType::string, ""});
    l.fields.push_back({"value", FieldType::real, ""});
    for (const auto& r : recs) {
        Feature f;
        f.values = {r.id, r.category, r.subcategory, r.period, r.unit,
                    r.status.empty() ? Value{} : Value{r.status}, r.as_of,
                    std::string("src-") + r.id.substr(0, 1), std::string("claimant"),
                    r.precision, r.place, std::string("exact"), r.value};
        if (!std::isnan(r.lon)) f.geometry = make_point(r.lon, r.lat);
        l.features.push_back(std::move(f));
    }
    return l;
}

const AggregateRow& row(const AggregateTable& t, const std::string& id) {
    for (const auto& r : t.rows)
        if (r.region_id == id) return r;
    FAIL("no row " << id);
    throw;
}

double sum(const AggregateRow& r, const std::string& column) {
    for (const auto& [k, g] : r.sums)
        if (k.column() == column) return g.value;
    return -1;
}

const double no_point = std::nan("");

} // namespace

TEST_CASE("aggregate: points, edges, vertices, holes, multipolygons", "[aggregate]") {
    const RegionLayer regions = read_regions(data + "squares.geojson");
    REQUIRE(regions.features.size() == 3);
    // Every record at settlement precision; one returns:total:week:people group.
    const std::vector<std::pair<double, double>> pts = {
        {1.5, 1.5},   // inside A
        {2.0, 1.0},   // on the edge A|B: the lower index, A
        {2.0, 0.0},   // on the vertex A|B: A
        {3.0, 1.0},   // inside B
        {0.75, 0.75}, // in A's hole, inside C's island
        {0.55, 0.55}, // in A's hole, outside the island: outside
        {0.5, 0.7},   // on the hole's edge: A (a region is closed)
        {0.6, 0.6},   // on the island's corner, inside A's hole: C
        {3.5, 3.5},   // in C's second polygon
        {4.0, 4.0},   // C's outer corner
        {10.0, 10.0}, // outside
    };
    std::vector<Rec> recs;
    for (std::size_t i = 0; i < pts.size(); ++i) {
        const double v = double(1u << i); // distinct bits: the sum says which points went where
        recs.push_back({"r" + std::to_string(i < 10 ? 0 : 1) + std::to_string(i), "returns", "total",
                        "week", "people", "", "2020-01-01", "settlement", "p" + std::to_string(i),
                        v, pts[i].first, pts[i].second});
    }
    const Layer l = record_layer(recs);
    AggregateSpec spec;
    spec.categories = {"returns"};
    const AggregateTable t = aggregate_records(regions, {&l}, spec);
    CHECK(t.id_field == "code");
    CHECK(t.name_field == "label");
    CHECK(t.level == RegionLevel::governorate); // three features, no admin codes
    REQUIRE(t.rows.size() == 5);
    CHECK(t.rows[0].region_id == "SQA");
    CHECK(t.rows[1].region_id == "SQB");
    CHECK(t.rows[2].region_id == "SQC");
    CHECK(t.rows[3].region_id == "unallocated");
    CHECK(t.rows[4].region_id == "outside");
    const std::string col = "returns:total:week:people";
    CHECK(sum(row(t, "SQA"), col) == 1 + 2 + 4 + 64);
    CHECK(sum(row(t, "SQB"), col) == 8);
    CHECK(sum(row(t, "SQC"), col) == 16 + 128 + 256 + 512);
    CHECK(sum(row(t, "outside"), col) == 32 + 1024);
    CHECK(row(t, "unallocated").records == 0);
    CHECK(row(t, "SQA").records == 4);
    CHECK(row(t, "SQA").region_name == "Square A");
}

TEST_CASE("aggregate: precision coarser than the level goes to unallocated", "[aggregate]") {
    const RegionLayer regions = read_regions(data + "squares.geojson");
    const Layer l = record_layer({
        {"a1", "returns", "total", "week", "people", "", "2020-01-01", "point", "x", 1, 1.5, 1.5},
        {"a2", "returns", "total", "week", "people", "", "2020-01-01", "district", "d", 10, 1.5, 1.5},
        {"a3", "returns", "total", "week", "people", "", "2020-01-01", "governorate", "g", 100, 1.5, 1.5},
        {"a4", "returns", "total", "week", "people", "", "2020-01-01", "country", "s", 1000, 1.5, 1.5},
        {"a5", "returns", "total", "week", "people", "", "2020-01-01", "unresolved", "u", 10000, no_point, no_point},
    });
    AggregateSpec spec;
    spec.level = RegionLevel::district;
    auto t = aggregate_records(regions, {&l}, spec);
    CHECK(sum(row(t, "SQA"), "returns:total:week:people") == 11);
    CHECK(sum(row(t, "unallocated"), "returns:total:week:people") == 11100);
    CHECK(row(t, "unallocated").record_ids == std::vector<std::string>{"a3", "a4", "a5"});
    spec.level = RegionLevel::governorate;
    t = aggregate_records(regions, {&l}, spec);
    CHECK(sum(row(t, "SQA"), "returns:total:week:people") == 111);
    spec.level = RegionLevel::settlement;
    t = aggregate_records(regions, {&l}, spec);
    CHECK(sum(row(t, "SQA"), "returns:total:week:people") == 1);
}

TEST_CASE("aggregate: groups never mix; stock figures of a place are superseded", "[aggregate]") {
    const RegionLayer regions = read_regions(data + "squares.geojson");
    const Layer l = record_layer({
        // a cumulative series of one place: only the latest counts
        {"b1", "returns", "total", "cumulative", "people", "", "2019-01-01", "point", "x", 100, 1.5, 1.5},
        {"b2", "returns", "total", "cumulative", "people", "", "2020-01-01", "point", "x", 150, 1.5, 1.5},
        // another place's cumulative figure adds up
        {"b3", "returns", "total", "cumulative", "people", "", "2018-01-01", "point", "y", 7, 1.2, 1.2},
        // weekly flows add up over weeks, apart from the cumulative figures
        {"b4", "returns", "total", "week", "people", "", "2019-01-01", "point", "x", 5, 1.5, 1.5},
        {"b5", "returns", "total", "week", "people", "", "2019-01-08", "point", "x", 6, 1.5, 1.5},
        {"b6", "returns", "idp", "week", "people", "", "2019-01-08", "point", "x", 2, 1.5, 1.5},
        {"b7", "returns", "total", "week", "vehicles", "", "2019-01-08", "point", "x", 9, 1.5, 1.5},
        {"f1", "facilities", "school", "point_in_time", "facilities", "restored", "2019-01-01", "point", "x", 3, 3, 1},
        {"f2", "facilities", "school", "point_in_time", "facilities", "", "2019-01-01", "point", "x", 30, 3, 1},
        {"f3", "facilities", "school", "point_in_time", "facilities", "restored", "2019-01-01", "point", "z", 4, 3.5, 1},
    });
    AggregateSpec spec;
    auto t = aggregate_records(regions, {&l}, spec);
    const auto& a = row(t, "SQA");
    CHECK(sum(a, "returns:total:cumulative:people") == 157);
    CHECK(sum(a, "returns:total:week:people") == 11);
    CHECK(sum(a, "returns:idp:week:people") == 2);
    CHECK(sum(a, "returns:total:week:vehicles") == 9);
    CHECK(a.records == 7);
    CHECK(a.superseded == 1);
    CHECK(a.sums.at({"returns", "total", "cumulative", "people", ""}).superseded == 1);
    const auto& b = row(t, "SQB");
    CHECK(sum(b, "facilities:school:point_in_time:facilities:restored") == 7);
    CHECK(sum(b, "facilities:school:point_in_time:facilities") == 30);
    CHECK(b.sources == std::set<std::string>{"src-f"});
    CHECK(t.groups.size() == 6);

    // Several percentages are not summed.
    const Layer pc = record_layer({
        {"c1", "returns", "share", "point_in_time", "percent", "", "2019-01-01", "point", "x", 60, 1.5, 1.5},
        {"c2", "returns", "share", "point_in_time", "percent", "", "2019-01-01", "point", "y", 70, 1.2, 1.2},
        {"c3", "returns", "share", "point_in_time", "percent", "", "2019-01-01", "point", "z", 80, 3, 1},
    });
    const auto tp = aggregate_records(regions, {&pc}, {});
    CHECK_FALSE(row(tp, "SQA").sums.begin()->second.has_value());
    CHECK(row(tp, "SQB").sums.begin()->second.has_value());
    CHECK(row(tp, "SQB").sums.begin()->second.value == 80);

    spec.statuses = {"restored"};
    spec.categories = {"facilities"};
    t = aggregate_records(regions, {&l}, spec);
    CHECK(t.records == 2);
    spec = {};
    spec.periods = {"week"};
    spec.from = "2019-01-05";
    t = aggregate_records(regions, {&l}, spec);
    CHECK(sum(row(t, "SQA"), "returns:total:week:people") == 6);
}

TEST_CASE("aggregate: a region layer in UTM 37N is reprojected", "[aggregate]") {
    const RegionLayer regions = read_regions(data + "utm37.geojson");
    CHECK(regions.source_crs == "EPSG:32637");
    // lon/lat of UTM points computed with `cs2cs EPSG:32637 EPSG:4326`
    const Layer l = record_layer({
        {"u1", "returns", "total", "week", "people", "", "2020-01-01", "point", "a", 1, 36.901626056, 33.466727530}, // P1 centre
        {"u2", "returns", "total", "week", "people", "", "2020-01-01", "point", "b", 2, 36.954324757, 33.467608742}, // P1, 100 m from P2
        {"u3", "returns", "total", "week", "people", "", "2020-01-01", "point", "c", 4, 36.957511627, 33.423475736}, // P2, 100 m in
        {"u4", "returns", "total", "week", "people", "", "2020-01-01", "point", "d", 8, 37.061940913, 33.514417761}, // P2, 1 m in
        {"u5", "returns", "total", "week", "people", "", "2020-01-01", "point", "e", 16, 37.064031287, 33.469371302}, // 100 m east of P2
    });
    const auto t = aggregate_records(regions, {&l}, {});
    CHECK(t.id_field == "zone_code");
    CHECK(t.name_field == "zone_name");
    CHECK(sum(row(t, "P1"), "returns:total:week:people") == 3);
    CHECK(sum(row(t, "P2"), "returns:total:week:people") == 12);
    CHECK(sum(row(t, "outside"), "returns:total:week:people") == 16);
}

TEST_CASE("aggregate: UNHCR districts from ../shared/boundaries", "[aggregate]") {
    const std::string path = std::string(SITMAP_SHARED_DIR) + "/boundaries/SYR_ADM2.geojson";
    if (!std::filesystem::exists(path)) {
        WARN("skipped: no " << path);
        return;
    }
    const RegionLayer regions = read_regions(path);
    REQUIRE(regions.features.size() == 68);
    const Layer l = record_layer({
        {"n1", "returns", "from_abroad", "day", "people", "", "2018-11-05", "point", "nasib-crossing", 1, 36.20200, 32.54300},
        {"n2", "returns", "from_abroad", "day", "people", "", "2018-11-05", "point", "rukban-camp", 10, 38.66847, 33.31086},
        {"n3", "returns", "from_abroad", "day", "people", "", "2018-11-05", "point", "al-tanf-base", 100, 38.61778, 33.50583},
        {"n4", "returns", "from_abroad", "day", "people", "", "2018-11-05", "governorate", "SY-DR", 1000, 36.3, 32.8},
    });
    const auto t = aggregate_records(regions, {&l}, {});
    CHECK(t.id_field == "idprogres");
    CHECK(t.name_field == "admname");
    CHECK(t.level == RegionLevel::district);
    CHECK(t.rows.size() == 70);
    // Expected districts from: ogr2ogr -dialect SQLite ... ST_Intersects(geometry, MakePoint(..))
    CHECK(row(t, "SYR012001").region_name == "Dara");
    CHECK(sum(row(t, "SYR012001"), "returns:from_abroad:day:people") == 1);
    CHECK(row(t, "SYR004005").region_name == "Tadmor");
    CHECK(sum(row(t, "SYR004005"), "returns:from_abroad:day:people") == 110);
    CHECK(sum(row(t, "unallocated"), "returns:from_abroad:day:people") == 1000);
}

TEST_CASE("aggregate: field and level detection, bad input", "[aggregate]") {
    const RegionLayer regions = read_regions(data + "squares.geojson");
    CHECK(detect_region_fields(regions, "label", "code") ==
          std::make_pair(std::string("label"), std::string("code")));
    CHECK_THROWS_AS(detect_region_fields(regions, "nope"), UsageError);
    CHECK_THROWS_WITH(detect_region_fields(regions, "", "nope"),
                      Catch::Contains("no field 'nope'") && Catch::Contains("code, label, pop"));
    const Layer l = record_layer({});
    AggregateSpec spec;
    spec.categories = {"retruns"};
    CHECK_THROWS_AS(aggregate_records(regions, {&l}, spec), UsageError);

    CHECK_THROWS_WITH(read_regions(data + "points.geojson"), Catch::Contains("not polygons"));
    const RegionLayer bow = read_regions(data + "bowtie.geojson");
    REQUIRE(bow.repaired.size() == 1);
    REQUIRE(bow.features.size() == 1);
    CHECK(bow.features[0].geometry.polygons.size() == 2); // two triangles meeting at (1,1)
    const Layer in = record_layer({
        {"w1", "returns", "total", "week", "people", "", "2020-01-01", "point", "a", 1, 0.5, 1.0}, // left triangle
        {"w2", "returns", "total", "week", "people", "", "2020-01-01", "point", "b", 2, 1.5, 1.0}, // right
        {"w3", "returns", "total", "week", "people", "", "2020-01-01", "point", "c", 4, 1.0, 0.5}, // between
    });
    const auto t = aggregate_records(bow, {&in}, {});
    CHECK(sum(row(t, "BOW"), "returns:total:week:people") == 3);
    CHECK(sum(row(t, "outside"), "returns:total:week:people") == 4);
}
