#include "geo/error.hpp"
#include "geo/region_index.hpp"
#include "layers/gdal_io.hpp"
#include "layers/region_source.hpp"

#include <catch2/catch.hpp>
#include <geos_c.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <random>

using sitmap::Polygon;
using sitmap::Region;
using sitmap::RegionIndex;
using sitmap::Ring;

namespace {

Ring ring(std::initializer_list<std::pair<double, double>> pts) { return Ring{pts}; }
Ring box(double x0, double y0, double x1, double y1) {
    return ring({{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}});
}
Region one(Ring outer, std::vector<Ring> holes = {}) {
    return Region{{Polygon{std::move(outer), std::move(holes)}}};
}

// Checks one point against the grid (several resolutions, so edge cells are exercised) and the
// brute-force reference.
void expect_at(const std::vector<Region>& regions, double x, double y, int expected) {
    for (std::uint32_t f : {0u, 8u, 64u}) {
        RegionIndex idx(regions, RegionIndex::Options{f});
        INFO("point (" << x << ", " << y << ") fine_cells " << f);
        CHECK(idx.locate(x, y) == expected);
        CHECK(idx.locate_reference(x, y) == expected);
    }
}

std::filesystem::path temp_dir() {
    auto d = std::filesystem::temp_directory_path() / ("sitmap_region_index_" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
}

} // namespace

TEST_CASE("A square: inside, outside, edges and vertices belong to it") {
    const std::vector<Region> r{one(box(0, 0, 10, 10))};
    expect_at(r, 5, 5, 0);
    expect_at(r, 0, 5, 0);     // on the left edge
    expect_at(r, 10, 10, 0);   // vertex
    expect_at(r, 0, 0, 0);     // vertex
    expect_at(r, 10, 3.25, 0); // on the right edge
    expect_at(r, std::nextafter(10.0, 11.0), 3.25, -1);
    expect_at(r, 5, std::nextafter(0.0, -1.0), -1);
    expect_at(r, -1, 5, -1);
    expect_at(r, 11, 11, -1);
    expect_at(r, std::nan(""), 5, -1);
}

TEST_CASE("Two squares sharing an edge: shared points go to the lowest region index") {
    const std::vector<Region> r{one(box(0, 0, 10, 10)), one(box(10, 0, 20, 10))};
    expect_at(r, 10, 5, 0);
    expect_at(r, 10, 10, 0); // shared vertex
    expect_at(r, 10, 0, 0);
    expect_at(r, 15, 5, 1);
    expect_at(r, 20, 5, 1);
    expect_at(r, std::nextafter(10.0, 11.0), 5, 1);
    const std::vector<Region> swapped{one(box(10, 0, 20, 10)), one(box(0, 0, 10, 10))};
    expect_at(swapped, 10, 5, 0); // now the right square has the lower index
    expect_at(swapped, 5, 5, 1);
}

TEST_CASE("Triangles sharing a diagonal edge are decided exactly") {
    // T0: x + y <= 10 (x, y >= 0); T1: the other half of the square.
    const std::vector<Region> r{one(ring({{0, 0}, {10, 0}, {0, 10}})),
                                one(ring({{10, 0}, {10, 10}, {0, 10}}))};
    expect_at(r, 2.5, 7.5, 0); // exactly on the shared edge
    // 0.1 + 9.9 is 10 in floating point, but the exact sum of these doubles is 10 + 13/2^55:
    // the point is strictly inside T1, outside T0 (checked with rational arithmetic).
    expect_at(r, 0.1, 9.9, 1);
    // 0.3 + 0.7 = 1 - 2^-54 exactly: inside T0.
    expect_at(r, 0.3, 0.7, 0);
    expect_at(r, 9.9, 0.1, 1);
    expect_at(r, 9.8, 0.1, 0);
}

TEST_CASE("Holes are outside; hole edges belong to the region") {
    const std::vector<Region> r{one(box(0, 0, 10, 10), {box(3, 3, 7, 7)}),
                                one(box(4, 4, 6, 6))}; // an island in the hole
    expect_at(r, 2, 5, 0);
    expect_at(r, 3.5, 5, -1);
    expect_at(r, 3, 5, 0);  // on the hole's edge
    expect_at(r, 7, 7, 0);  // hole vertex
    expect_at(r, 5, 5, 1);  // island
    expect_at(r, 4, 5, 1);  // island edge
    expect_at(r, 6.5, 6.5, -1);
}

TEST_CASE("Multipolygons: every part belongs to the region") {
    Region multi;
    multi.polygons.push_back(Polygon{ring({{0, 0}, {4, 0}, {2, 3}}), {}});
    multi.polygons.push_back(Polygon{ring({{10, 10}, {14, 10}, {12, 13}}), {}});
    const std::vector<Region> r{multi, one(box(5, 0, 8, 20))};
    expect_at(r, 2, 1, 0);
    expect_at(r, 12, 11, 0);
    expect_at(r, 12, 13, 0); // apex vertex
    expect_at(r, 3, 1.5, 0); // on the edge (4,0)-(2,3): 3*1.5... x = 4 - 2t, y = 3t, t = 0.5
    expect_at(r, 6, 6, 1);
    expect_at(r, 9, 9, -1);
}

TEST_CASE("Grid answers equal the brute-force reference on random and near-edge points") {
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> u(0, 100);
    // Random star-shaped polygons, some sharing vertices with each other.
    std::vector<Region> regions;
    for (int k = 0; k < 6; ++k) {
        Ring rg;
        const double cx = 20 + 12 * k, cy = 50;
        for (int i = 0; i < 40; ++i) {
            const double a = i * 2 * M_PI / 40, rad = 5 + std::fmod(u(rng), 15.0);
            rg.points.emplace_back(cx + rad * std::cos(a), cy + rad * std::sin(a));
        }
        regions.push_back(one(rg));
    }
    for (std::uint32_t f : {0u, 16u, 256u}) {
        RegionIndex idx(regions, RegionIndex::Options{f});
        int mismatches = 0;
        for (int i = 0; i < 20000; ++i) {
            const double x = u(rng), y = u(rng);
            if (idx.locate(x, y) != idx.locate_reference(x, y)) ++mismatches;
        }
        for (const auto& reg : regions)
            for (const auto& p : reg.polygons[0].outer.points) {
                for (double dx : {-1.0, 0.0, 1.0})
                    for (double dy : {-1.0, 0.0, 1.0}) {
                        const double x = dx == 0 ? p.first : std::nextafter(p.first, p.first + dx);
                        const double y = dy == 0 ? p.second : std::nextafter(p.second, p.second + dy);
                        if (idx.locate(x, y) != idx.locate_reference(x, y)) ++mismatches;
                    }
                CHECK(idx.locate(p.first, p.second) >= 0);
            }
        CHECK(mismatches == 0);
    }
}

namespace {

struct Geos {
    GEOSContextHandle_t h = GEOS_init_r();
    ~Geos() { GEOS_finish_r(h); }
    GEOSGeometry* ring(const Ring& r, bool shell) const {
        auto pts = r.points;
        if (pts.front() != pts.back()) pts.push_back(pts.front());
        GEOSCoordSequence* s = GEOSCoordSeq_create_r(h, unsigned(pts.size()), 2);
        for (unsigned i = 0; i < pts.size(); ++i) GEOSCoordSeq_setXY_r(h, s, i, pts[i].first, pts[i].second);
        (void)shell;
        return GEOSGeom_createLinearRing_r(h, s);
    }
    GEOSGeometry* region(const Region& reg) const {
        std::vector<GEOSGeometry*> polys;
        for (const auto& p : reg.polygons) {
            std::vector<GEOSGeometry*> holes;
            for (const auto& hr : p.holes) holes.push_back(ring(hr, false));
            polys.push_back(GEOSGeom_createPolygon_r(h, ring(p.outer, true), holes.data(), unsigned(holes.size())));
        }
        return GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys.data(), unsigned(polys.size()));
    }
};

} // namespace

TEST_CASE("Natural Earth governorates: every answer equals GEOS covers") {
    const std::string ne = "/usr/share/qgis/resources/data/world_map.gpkg";
    if (!std::filesystem::exists(ne)) {
        WARN("skipped: " << ne << " missing (package qgis-common)");
        return;
    }
    const auto layer = sitmap::read_regions(ne, {"states_provinces", "iso_a2 = 'SY' AND fips IS NOT NULL"});
    REQUIRE(layer.features.size() == 14);
    CHECK(layer.value(0, "iso_a2") == "SY");
    const auto regions = layer.regions();
    RegionIndex idx(regions);
    Geos g;
    std::vector<GEOSGeometry*> geoms;
    std::vector<const GEOSPreparedGeometry*> prepared;
    for (const auto& r : regions) {
        geoms.push_back(g.region(r));
        prepared.push_back(GEOSPrepare_r(g.h, geoms.back()));
    }
    auto geos_locate = [&](double x, double y) {
        GEOSGeometry* pt = GEOSGeom_createPointFromXY_r(g.h, x, y);
        int found = -1;
        for (std::size_t i = 0; i < prepared.size() && found < 0; ++i)
            if (GEOSPreparedCovers_r(g.h, prepared[i], pt) == 1) found = int(i);
        GEOSGeom_destroy_r(g.h, pt);
        return found;
    };
    std::vector<std::pair<double, double>> pts;
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> ux(35.5, 42.5), uy(32.2, 37.4);
    for (int i = 0; i < 20000; ++i) pts.emplace_back(ux(rng), uy(rng));
    for (const auto& r : regions) // every vertex, and its neighbours one ulp away
        for (const auto& p : r.polygons)
            for (const auto& v : p.outer.points) {
                pts.push_back(v);
                pts.emplace_back(std::nextafter(v.first, 0.0), v.second);
                pts.emplace_back(v.first, std::nextafter(v.second, 90.0));
            }
    int mismatches = 0, inside = 0;
    for (const auto& [x, y] : pts) {
        const int a = idx.locate(x, y), b = geos_locate(x, y);
        if (a != b) {
            ++mismatches;
            if (mismatches < 5) WARN("(" << x << ", " << y << "): sitmap " << a << ", GEOS " << b);
        }
        inside += a >= 0;
    }
    CHECK(mismatches == 0);
    CHECK(inside > 10000);
    for (auto* p : prepared) GEOSPreparedGeom_destroy_r(g.h, p);
    for (auto* p : geoms) GEOSGeom_destroy_r(g.h, p);
}

TEST_CASE("A region layer in EPSG:3857 is reprojected; attributes are kept; bad input refused") {
    sitmap::init_gdal();
    const auto dir = temp_dir();
    const std::string path = (dir / "squares_3857.geojson").string();
    {
        // Web Mercator coordinates of lon/lat squares, computed by PROJ through OGR.
        OGRSpatialReference merc, wgs;
        merc.importFromEPSG(3857);
        wgs.importFromEPSG(4326);
        wgs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        merc.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&wgs, &merc));
        auto mring = [&](double x0, double y0, double x1, double y1) {
            double xs[] = {x0, x1, x1, x0, x0}, ys[] = {y0, y0, y1, y1, y0};
            REQUIRE(ct->Transform(5, xs, ys));
            std::string s = "((";
            for (int i = 0; i < 5; ++i) {
                if (i) s += ',';
                s += std::to_string(xs[i]);
                s += ' ';
                s += std::to_string(ys[i]);
            }
            return s + "))";
        };
        std::ofstream out(path);
        out.precision(17);
        out << R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3857"}},"features":[)";
        auto feature = [&](const std::string& name, const std::string& code, const std::string& wkt_body) {
            OGRGeometry* geom = nullptr;
            std::string wkt = "POLYGON " + wkt_body;
            REQUIRE(OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &geom) == OGRERR_NONE);
            char* json = geom->exportToJson();
            std::string j = json;
            CPLFree(json);
            OGRGeometryFactory::destroyGeometry(geom);
            return R"({"type":"Feature","properties":{"name":")" + name + R"(","code":")" + code +
                   R"("},"geometry":)" + j + "}";
        };
        out << feature("West", "W01", mring(36, 33, 38, 35)) << ","
            << feature("East", "E02", mring(38, 33, 40, 35)) << ","
            // a bow-tie (self-intersecting): invalid, repaired by MakeValid into two triangles
            << feature("Bowtie", "B03", "((4230000 4300000,4340000 4400000,4340000 4300000,4230000 4400000,4230000 4300000))")
            << "]}";
    }
    const auto layer = sitmap::read_regions(path);
    CHECK(layer.source_crs == "EPSG:3857");
    REQUIRE(layer.features.size() == 3);
    CHECK(layer.value(0, "name") == "West");
    CHECK(layer.value(1, "code") == "E02");
    REQUIRE(layer.repaired.size() == 1);
    CHECK(layer.features[2].repaired);
    CHECK(layer.features[2].geometry.polygons.size() == 2);
    RegionIndex idx(layer.regions());
    CHECK(idx.locate(37, 34) == 0);
    CHECK(idx.locate(39, 34) == 1);
    CHECK(idx.locate(38, 34) >= 0); // on the shared edge up to reprojection rounding
    CHECK(idx.locate(41, 34) == -1);
    CHECK(idx.locate(37, 35.5) == -1);
    // The bow-tie's diagonals cross at (4285000, 4350000) m: two triangles, left and right.
    auto lonlat = [](double x, double y) {
        const double r = 6378137.0;
        return std::pair<double, double>{x / r * 180.0 / M_PI, std::atan(std::sinh(y / r)) * 180.0 / M_PI};
    };
    const auto left = lonlat(4248333.0, 4350000.0), right = lonlat(4321667.0, 4350000.0);
    const auto above = lonlat(4285000.0, 4395000.0), below = lonlat(4285000.0, 4305000.0);
    CHECK(idx.locate(left.first, left.second) == 2);
    CHECK(idx.locate(right.first, right.second) == 2);
    CHECK(idx.locate(above.first, above.second) == -1);
    CHECK(idx.locate(below.first, below.second) == -1);

    // Point layers are refused with a message naming the file.
    const std::string pts = (dir / "points.csv").string();
    {
        std::ofstream out(pts);
        out << "WKT,name\n\"POINT (1 2)\",a\n";
    }
    try {
        sitmap::read_regions(pts);
        FAIL("no exception");
    } catch (const sitmap::InputError& e) {
        CHECK(std::string(e.what()).find("points.csv") != std::string::npos);
        CHECK(std::string(e.what()).find("not a polygon") != std::string::npos);
    }
    CHECK_THROWS_AS(sitmap::read_regions((dir / "missing.gpkg").string()), sitmap::InputError);
    std::filesystem::remove_all(dir);
}

TEST_CASE("Aggregation: same counts and bitwise sums whatever the thread count, in memory or streamed") {
    const std::vector<Region> r{one(box(0, 0, 10, 10)), one(box(10, 0, 20, 10), {box(12, 2, 14, 4)}),
                                one(ring({{0, 10}, {20, 10}, {10, 20}}))};
    RegionIndex idx(r);
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> u(-1, 21), v(0, 1000);
    const std::size_t n = 300001;
    std::vector<double> xs(n), ys(n), vs(n);
    for (std::size_t i = 0; i < n; ++i) {
        xs[i] = u(rng);
        ys[i] = u(rng);
        vs[i] = v(rng);
    }
    xs[5] = 10; ys[5] = 5;    // shared edge -> region 0
    xs[6] = 10; ys[6] = 10;   // vertex of all three -> region 0
    xs[7] = 13; ys[7] = 3;    // in the hole -> none
    std::vector<std::uint64_t> expect(4, 0);
    for (std::size_t i = 0; i < n; ++i) {
        const int k = idx.locate_reference(xs[i], ys[i]);
        ++expect[k < 0 ? 3 : std::size_t(k)];
    }
    const auto a1 = sitmap::aggregate(idx, xs, ys, vs, {1});
    CHECK(a1.points == n);
    for (std::size_t k = 0; k < 3; ++k) CHECK(a1.count[k] == expect[k]);
    CHECK(a1.unmatched_count == expect[3]);
    for (unsigned t : {2u, 3u, 7u}) {
        const auto at = sitmap::aggregate(idx, xs, ys, vs, {t});
        CHECK(at.count == a1.count);
        for (std::size_t k = 0; k < 3; ++k) CHECK(std::memcmp(&at.sum[k], &a1.sum[k], sizeof(double)) == 0);
    }
    const auto dir = temp_dir();
    const std::string csv = (dir / "pts.csv").string();
    {
        std::FILE* f = std::fopen(csv.c_str(), "w");
        std::fprintf(f, "id,lon,lat,value\n");
        for (std::size_t i = 0; i < n; ++i) std::fprintf(f, "%zu,%.17g,%.17g,%.17g\n", i, xs[i], ys[i], vs[i]);
        std::fclose(f);
    }
    for (unsigned t : {1u, 2u, 5u}) {
        sitmap::CsvPointReader reader(csv);
        const auto as = sitmap::aggregate_stream(
            idx, [&](sitmap::PointChunk& c, std::size_t cap) { return reader(c, cap); }, {t});
        CHECK(as.points == n);
        CHECK(as.count == a1.count);
        for (std::size_t k = 0; k < 3; ++k) CHECK(std::memcmp(&as.sum[k], &a1.sum[k], sizeof(double)) == 0);
    }
    {
        std::ofstream bad(csv);
        bad << "lon,lat,value\n1,2,3\n1,x,3\n";
    }
    sitmap::CsvPointReader reader(csv);
    sitmap::PointChunk c;
    try {
        reader(c, 100);
        FAIL("no exception");
    } catch (const sitmap::InputError& e) {
        CHECK(std::string(e.what()).find("line 3") != std::string::npos);
    }
    std::filesystem::remove_all(dir);
}
