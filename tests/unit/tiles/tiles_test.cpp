// Vector tiles: the encoder read back by a decoder written here on protozero's reader (not the
// encoder's code) and by GDAL's MVT driver; no point lost at any zoom; the atlas at zoom 6.
#include "geo/error.hpp"
#include "layers/gdal_io.hpp"
#include "layers/tiles/mvt_encoder.hpp"
#include "layers/tiles/tile_math.hpp"
#include "layers/tiles/tile_writer.hpp"
#include "layers/tiles/tileset.hpp"
#include "tools/cli.hpp"

#include <catch2/catch.hpp>
#include <ogrsf_frmts.h>
#include <protozero/pbf_reader.hpp>

#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

using namespace sitmap;
namespace fs = std::filesystem;

namespace {

// ---- An independent MVT decoder (spec 2.1), enough to check what the encoder writes. ----
using Props = std::map<std::string, std::string>; // values as text: "s:..", "i:..", "d:..", "b:.."
struct DFeature {
    std::uint32_t type = 0;
    Props props;
    std::vector<std::vector<std::pair<std::int64_t, std::int64_t>>> rings; // or parts / points
};
struct DLayer {
    std::string name;
    std::uint32_t version = 0, extent = 0;
    std::vector<DFeature> features;
};

std::int64_t unzigzag(std::uint32_t v) {
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

std::string value_text(protozero::pbf_reader v) {
    while (v.next()) {
        switch (v.tag()) {
        case 1: return "s:" + v.get_string();
        case 2: return "d:" + std::to_string(v.get_float());
        case 3: return "d:" + std::to_string(v.get_double());
        case 4: return "i:" + std::to_string(v.get_int64());
        case 5: return "i:" + std::to_string(v.get_uint64());
        case 6: return "i:" + std::to_string(v.get_sint64());
        case 7: return std::string("b:") + (v.get_bool() ? "1" : "0");
        default: v.skip();
        }
    }
    return "?";
}

std::vector<DLayer> decode(const std::string& tile) {
    std::vector<DLayer> out;
    protozero::pbf_reader t(tile);
    while (t.next(3)) {
        protozero::pbf_reader l = t.get_message();
        DLayer layer;
        std::vector<std::string> keys, values;
        std::vector<std::pair<std::vector<std::uint32_t>, std::vector<std::uint32_t>>> raw;
        std::vector<std::uint32_t> types;
        while (l.next()) {
            switch (l.tag()) {
            case 1: layer.name = l.get_string(); break;
            case 2: {
                protozero::pbf_reader f = l.get_message();
                std::vector<std::uint32_t> tags, geom;
                std::uint32_t type = 0;
                while (f.next()) {
                    if (f.tag() == 2) {
                        auto r = f.get_packed_uint32();
                        tags.assign(r.begin(), r.end());
                    } else if (f.tag() == 3) type = static_cast<std::uint32_t>(f.get_enum());
                    else if (f.tag() == 4) {
                        auto r = f.get_packed_uint32();
                        geom.assign(r.begin(), r.end());
                    } else f.skip();
                }
                raw.emplace_back(tags, geom);
                types.push_back(type);
                break;
            }
            case 3: keys.push_back(l.get_string()); break;
            case 4: values.push_back(value_text(l.get_message())); break;
            case 5: layer.extent = l.get_uint32(); break;
            case 15: layer.version = l.get_uint32(); break;
            default: l.skip();
            }
        }
        for (std::size_t i = 0; i < raw.size(); ++i) {
            DFeature f;
            f.type = types[i];
            const auto& tags = raw[i].first;
            REQUIRE(tags.size() % 2 == 0);
            for (std::size_t k = 0; k < tags.size(); k += 2) {
                REQUIRE(tags[k] < keys.size());
                REQUIRE(tags[k + 1] < values.size());
                f.props[keys[tags[k]]] = values[tags[k + 1]];
            }
            const auto& g = raw[i].second;
            std::int64_t x = 0, y = 0;
            for (std::size_t p = 0; p < g.size();) {
                const std::uint32_t id = g[p] & 7, count = g[p] >> 3;
                ++p;
                if (id == 7) {
                    REQUIRE(count == 1);
                    continue;
                }
                REQUIRE((id == 1 || id == 2));
                if (id == 1 && f.type != 1) f.rings.emplace_back();
                if (f.rings.empty()) f.rings.emplace_back();
                for (std::uint32_t c = 0; c < count; ++c) {
                    REQUIRE(p + 1 < g.size() + 1);
                    x += unzigzag(g[p++]);
                    y += unzigzag(g[p++]);
                    f.rings.back().emplace_back(x, y);
                }
            }
            layer.features.push_back(std::move(f));
        }
        out.push_back(std::move(layer));
    }
    return out;
}

std::int64_t area2(const std::vector<std::pair<std::int64_t, std::int64_t>>& r) {
    std::int64_t a = 0;
    for (std::size_t i = 0; i < r.size(); ++i) {
        const auto& p = r[i];
        const auto& q = r[(i + 1) % r.size()];
        a += p.first * q.second - q.first * p.second;
    }
    return a;
}

std::string read_file(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

fs::path temp_dir(const std::string& name) {
    const fs::path d = fs::temp_directory_path() / ("sitmap-tiles-test-" + std::to_string(::getpid())) / name;
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

// n points (a deterministic spread over Syria plus a few on tile edges and at the poles), with
// an integer `value`, a real `weight`, a `category` and a `confidence` (0.5 or 1.0: a field
// clusters average rather than sum), written to a GeoPackage.
std::string synthetic_points(const fs::path& dir, int n, std::int64_t& value_total) {
    Layer l;
    l.name = "pts";
    l.geometry_type = wkbPoint;
    l.fields = {{"value", FieldType::integer, ""},
                {"weight", FieldType::real, ""},
                {"category", FieldType::string, ""},
                {"confidence", FieldType::real, ""}};
    std::uint64_t s = 12345;
    auto rnd = [&] {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(s >> 11) / 9007199254740992.0;
    };
    value_total = 0;
    const std::pair<double, double> special[] = {{0, 0}, {0, 10}, {-180, 0}, {180, -5}, {45, 89},
                                                 {45, -89.9}, {90, 0}, {36.2, 32.5}, {36.2, 32.5}};
    for (int i = 0; i < n; ++i) {
        Feature f;
        const bool sp = i < static_cast<int>(std::size(special));
        const double lon = sp ? special[i].first : 35.7 + 6.5 * rnd();
        const double lat = sp ? special[i].second : 32.3 + 5.0 * rnd();
        f.geometry = make_point(lon, lat);
        const std::int64_t v = 1 + static_cast<std::int64_t>(rnd() * 1000);
        value_total += v;
        f.values = {v, 0.25 * static_cast<double>(i % 7),
                    std::string(i % 3 == 0 ? "a" : (i % 3 == 1 ? "b" : "c")),
                    i % 2 ? 0.5 : 1.0};
        l.features.push_back(std::move(f));
    }
    const auto path = (dir / "points.gpkg").string();
    write_layers(path, "GPKG", {&l});
    return path;
}

} // namespace

TEST_CASE("Zoom ranges are MIN-MAX within 0-14", "[tiles]") {
    CHECK(tiles::parse_zoom_range("0-8") == std::pair{0, 8});
    CHECK(tiles::parse_zoom_range("6") == std::pair{6, 6});
    CHECK(tiles::parse_zoom_range("3-14") == std::pair{3, 14});
    CHECK_THROWS_AS(tiles::parse_zoom_range("8-2"), UsageError);
    CHECK_THROWS_AS(tiles::parse_zoom_range("0-15"), UsageError);
    CHECK_THROWS_AS(tiles::parse_zoom_range("a-b"), UsageError);
    CHECK_THROWS_AS(tiles::parse_zoom_range("-1-3"), UsageError);
}

TEST_CASE("Pixels on a tile edge go east and south; the world edge stays inside", "[tiles]") {
    CHECK(tiles::world_pixel(0.5, 13) == 4096);  // zoom 1: the edge of tiles 0 and 1
    CHECK(tiles::world_pixel(0.0, 12) == 0);
    CHECK(tiles::world_pixel(1.0, 12) == 4095);
    CHECK(tiles::world_pixel(-0.1, 12) == 0);
    CHECK(tiles::morton(1, 0) == 1);
    CHECK(tiles::morton(0, 1) == 2);
    CHECK(tiles::morton(3, 3) == 15);
}

TEST_CASE("The encoder writes version 2, extent 4096, shared keys and values", "[tiles]") {
    tiles::LayerEncoder enc("demo");
    tiles::GeometryCommands g;
    g.point(25, 17);
    enc.begin_feature();
    enc.property("name", std::string_view("Nasib"));
    enc.property("count", std::int64_t{3});
    enc.property("neg", std::int64_t{-7});
    enc.property("w", 2.5);
    enc.property("ok", true);
    enc.end_feature(tiles::GeomType::point, g.ints(), 0);
    g.clear();
    // A square given anticlockwise on screen (negative area): passed as-is to ring().
    REQUIRE(g.ring({0, 0, 10, 0, 10, 10, 10, 10, 0, 10}));
    enc.begin_feature();
    enc.property("name", std::string_view("Nasib"));
    enc.property("count", std::int64_t{3});
    enc.end_feature(tiles::GeomType::polygon, g.ints(), 42);
    g.clear();
    REQUIRE_FALSE(g.line({5, 5, 5, 5}));
    REQUIRE(g.line({-5, 3, 4100, 3, 4100, -64}));
    enc.begin_feature();
    enc.end_feature(tiles::GeomType::linestring, g.ints(), 0);
    std::string tile;
    enc.finish(tile);

    const auto layers = decode(tile);
    REQUIRE(layers.size() == 1);
    const auto& l = layers[0];
    CHECK(l.name == "demo");
    CHECK(l.version == 2);
    CHECK(l.extent == 4096);
    REQUIRE(l.features.size() == 3);
    CHECK(l.features[0].type == 1);
    CHECK(l.features[0].rings == decltype(l.features[0].rings){{{25, 17}}});
    CHECK(l.features[0].props == Props{{"name", "s:Nasib"}, {"count", "i:3"}, {"neg", "i:-7"},
                                       {"w", "d:2.500000"}, {"ok", "b:1"}});
    CHECK(l.features[1].props == Props{{"name", "s:Nasib"}, {"count", "i:3"}});
    REQUIRE(l.features[1].rings.size() == 1);
    CHECK(l.features[1].rings[0].size() == 4); // repeated point and closing point dropped
    CHECK(l.features[2].rings[0] ==
          std::vector<std::pair<std::int64_t, std::int64_t>>{{-5, 3}, {4100, 3}, {4100, -64}});
    // Values are shared: "Nasib" and 3 are stored once.
    protozero::pbf_reader t(tile);
    REQUIRE(t.next(3));
    protozero::pbf_reader lr = t.get_message();
    int values = 0, keys = 0;
    while (lr.next()) {
        if (lr.tag() == 4) ++values;
        if (lr.tag() == 3) ++keys;
        lr.skip();
    }
    CHECK(keys == 5);
    CHECK(values == 5);
}

TEST_CASE("gzip output inflates back to the tile", "[tiles]") {
    const std::string data(5000, 'x');
    const auto gz = tiles::gzip(data);
    REQUIRE(gz.size() > 18);
    CHECK(static_cast<unsigned char>(gz[0]) == 0x1f);
    std::string back(data.size(), '\0');
    z_stream zs{};
    REQUIRE(inflateInit2(&zs, 15 + 16) == Z_OK);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
    zs.avail_in = static_cast<uInt>(gz.size());
    zs.next_out = reinterpret_cast<Bytef*>(back.data());
    zs.avail_out = static_cast<uInt>(back.size());
    CHECK(inflate(&zs, Z_FINISH) == Z_STREAM_END);
    inflateEnd(&zs);
    CHECK(back == data);
}

TEST_CASE("Bad options are usage errors, checked before any file is touched", "[tiles]") {
    tiles::TileOptions o;
    o.input = "/nonexistent.gpkg";
    CHECK_THROWS_AS(tiles::check_tile_options(o), UsageError); // no output
    o.directory = "/tmp/never-written";
    o.cluster_cell = 48;
    CHECK_THROWS_AS(tiles::check_tile_options(o), UsageError);
    o.cluster_cell = 32;
    o.min_zoom = 5;
    o.max_zoom = 2;
    CHECK_THROWS_AS(tiles::check_tile_options(o), UsageError);
    o.min_zoom = 0;
    CHECK_NOTHROW(tiles::check_tile_options(o));
    CHECK_THROWS_AS(tiles::make_tiles(o), InputError);
    CHECK_FALSE(fs::exists(o.directory));
}

TEST_CASE("No point is lost: at every zoom the counts and sums add up to the totals", "[tiles]") {
    const auto dir = temp_dir("points");
    std::int64_t value_total = 0;
    const int n = 20000;
    const auto input = synthetic_points(dir, n, value_total);
    tiles::TileOptions o;
    o.input = input;
    o.directory = (dir / "out").string();
    o.mbtiles = (dir / "out.mbtiles").string();
    o.min_zoom = 0;
    o.max_zoom = 7;
    o.threads = 2;
    const auto rep = tiles::make_tiles(o);
    REQUIRE(rep.points() == static_cast<std::size_t>(n));
    for (const auto& z : rep.zooms) CHECK(z.points == static_cast<std::size_t>(n));

    init_gdal();
    for (int z = 0; z <= 7; ++z) {
        std::int64_t count = 0, value = 0, count_gdal = 0, value_gdal = 0;
        double weight = 0;
        std::size_t features = 0;
        for (const auto& e : fs::recursive_directory_iterator(dir / "out" / std::to_string(z))) {
            if (e.path().extension() != ".pbf") continue;
            for (const auto& l : decode(read_file(e.path()))) {
                CHECK(l.version == 2);
                CHECK(l.extent == 4096);
                for (const auto& f : l.features) {
                    CHECK(f.type == 1);
                    REQUIRE(f.rings.size() == 1);
                    const auto [x, y] = f.rings[0][0];
                    CHECK((x >= 0 && x < 4096 && y >= 0 && y < 4096));
                    count += std::stoll(f.props.at("count").substr(2));
                    value += std::stoll(f.props.at("value").substr(2));
                    weight += std::stod(f.props.at("weight").substr(2));
                    ++features;
                    // Clusters are made per category (the default --cluster-by): each keeps it.
                    CHECK(f.props.count("category") == 1);
                    // confidence is averaged, never summed past its range.
                    const double c = std::stod(f.props.at("confidence").substr(2));
                    CHECK((c >= 0.5 && c <= 1.0));
                }
            }
            // The same tile through GDAL.
            GDALDatasetUniquePtr ds(GDALDataset::Open(e.path().c_str(), GDAL_OF_VECTOR));
            REQUIRE(ds);
            OGRLayer* gl = ds->GetLayerByName("pts");
            REQUIRE(gl != nullptr);
            for (auto& f : *gl) {
                count_gdal += static_cast<std::int64_t>(f->GetFieldAsDouble("count"));
                value_gdal += static_cast<std::int64_t>(f->GetFieldAsDouble("value"));
            }
        }
        INFO("zoom " << z << ", " << features << " features");
        CHECK(count == n);
        CHECK(value == value_total);
        CHECK(count_gdal == n);
        CHECK(value_gdal == value_total);
        double weight_total = 0;
        for (int i = 0; i < n; ++i) weight_total += 0.25 * (i % 7);
        CHECK(weight == Approx(weight_total).epsilon(1e-9));
        CHECK(features <= 128u * 128u * (1u << (2 * z)));
    }
    // Every zoom of the MBTiles file through GDAL's MBTiles driver.
    GDALDatasetUniquePtr mb(GDALDataset::Open(o.mbtiles.c_str(), GDAL_OF_VECTOR));
    REQUIRE(mb);
    CHECK(std::string(mb->GetMetadataItem("format")) == "pbf");
    CHECK(std::string(mb->GetMetadataItem("maxzoom")) == "7");

    // The same input gives the same bytes.
    o.directory.clear();
    o.mbtiles = (dir / "again.mbtiles").string();
    o.threads = 1;
    tiles::make_tiles(o);
    CHECK(read_file(dir / "out.mbtiles") == read_file(o.mbtiles));
    // Cells alone (--cluster-by none): fewer features, the same counts.
    o.cluster_by = {"none"};
    o.mbtiles = (dir / "cells.mbtiles").string();
    const auto cells = tiles::make_tiles(o);
    for (std::size_t i = 0; i < cells.zooms.size(); ++i) {
        CHECK(cells.zooms[i].points == static_cast<std::size_t>(n));
        CHECK(cells.zooms[i].features <= rep.zooms[i].features);
    }
    CHECK(cells.zooms[0].features < rep.zooms[0].features);
    o.cluster_by = {"nowhere"};
    CHECK_THROWS_AS(tiles::make_tiles(o), UsageError);
    fs::remove_all(dir);
}

TEST_CASE("Atlas at zoom 6: the Nasib crossing and the al-Tanf zone with their attributes",
          "[tiles]") {
    const auto dir = temp_dir("atlas");
    const auto atlas = (dir / "atlas.gpkg").string();
    std::ostringstream out, err;
    REQUIRE(cli::run({"build", "-o", atlas}, out, err) == 0);
    REQUIRE(cli::run({"tiles", atlas, "-o", (dir / "tiles").string(), "--zoom", "4-6"}, out,
                     err) == 0);
    bool nasib = false, tanf = false;
    for (const auto& e : fs::recursive_directory_iterator(dir / "tiles" / "6")) {
        if (e.path().extension() != ".pbf") continue;
        for (const auto& l : decode(read_file(e.path()))) {
            for (const auto& f : l.features) {
                if (l.name == "crossings" && f.props.count("place_id") &&
                    f.props.at("place_id") == "s:nasib-crossing") {
                    nasib = true;
                    CHECK(f.props.at("name") == "s:Nasib border crossing");
                    CHECK(f.props.at("kind") == "s:border_crossing");
                    CHECK(f.props.at("count") == "i:1");
                    CHECK(f.props.at("clustered") == "i:0");
                }
                if (l.name == "zones" && f.props.count("name") &&
                    f.props.at("name") == "s:al-Tanf 55 km zone") {
                    tanf = true;
                    CHECK(f.props.at("radius_km") == "d:55.000000");
                    CHECK(f.type == 3);
                    REQUIRE_FALSE(f.rings.empty());
                    CHECK(area2(f.rings[0]) > 0); // exterior ring clockwise on screen
                }
            }
        }
    }
    CHECK(nasib);
    CHECK(tanf);
    // GDAL reads the zoom-6 folder with the fields metadata.json declares.
    init_gdal();
    GDALDatasetUniquePtr ds(GDALDataset::Open((dir / "tiles" / "6").c_str(), GDAL_OF_VECTOR));
    REQUIRE(ds);
    OGRLayer* zones = ds->GetLayerByName("zones");
    REQUIRE(zones != nullptr);
    zones->SetAttributeFilter("name = 'al-Tanf 55 km zone'");
    int found = 0;
    for (auto& f : *zones) {
        ++found;
        CHECK(f->GetFieldAsDouble("radius_km") == 55.0);
        REQUIRE(f->GetGeometryRef() != nullptr);
        CHECK(f->GetGeometryRef()->IsValid());
    }
    CHECK(found >= 1);
    fs::remove_all(dir);
}

TEST_CASE("Every region is in every zoom and valid", "[tiles]") {
    const auto dir = temp_dir("regions");
    const auto atlas = (dir / "atlas.gpkg").string();
    std::ostringstream out, err;
    REQUIRE(cli::run({"build", "-o", atlas}, out, err) == 0);
    REQUIRE(cli::run({"tiles", atlas, "-o", (dir / "tiles").string(), "--zoom", "0-8",
                      "--layers", "regions"},
                     out, err) == 0);
    init_gdal();
    for (int z = 0; z <= 8; ++z) {
        std::set<std::string> regions;
        for (const auto& e : fs::recursive_directory_iterator(dir / "tiles" / std::to_string(z))) {
            if (e.path().extension() != ".pbf") continue;
            for (const auto& l : decode(read_file(e.path())))
                for (const auto& f : l.features) regions.insert(f.props.at("region_id"));
            GDALDatasetUniquePtr ds(GDALDataset::Open(e.path().c_str(), GDAL_OF_VECTOR));
            REQUIRE(ds);
            for (auto& f : *ds->GetLayerByName("regions")) {
                INFO(e.path() << " " << f->GetFieldAsString("region_id"));
                REQUIRE(f->GetGeometryRef() != nullptr);
                CHECK(f->GetGeometryRef()->IsValid());
            }
        }
        INFO("zoom " << z);
        CHECK(regions.size() == 14);
    }
    fs::remove_all(dir);
}

TEST_CASE("A detailed polygon is simplified per zoom and stays valid",
          "[tiles]") {
    const auto dir = temp_dir("simplify");
    // A wiggly ring of 40,000 vertices around Palmyra (radius 1.5 degrees +- 2 %).
    Layer l;
    l.name = "coast";
    l.geometry_type = wkbPolygon;
    l.fields = {{"name", FieldType::string, ""}};
    auto ring = std::make_unique<OGRLinearRing>();
    const int n = 40000;
    for (int i = 0; i <= n; ++i) {
        const double a = 2 * M_PI * (i % n) / n;
        const double r = 1.5 * (1 + 0.02 * std::sin(400 * a) + 0.01 * std::sin(2300 * a));
        ring->addPoint(38.27 + r * std::cos(a), 34.55 + r * std::sin(a));
    }
    auto poly = std::make_shared<OGRPolygon>();
    poly->addRingDirectly(ring.release());
    Feature f;
    f.geometry = poly;
    f.values = {std::string("wiggle")};
    l.features.push_back(f);
    const auto input = (dir / "coast.gpkg").string();
    write_layers(input, "GPKG", {&l});

    tiles::TileOptions o;
    o.input = input;
    o.directory = (dir / "tiles").string();
    o.min_zoom = 0;
    o.max_zoom = 10;
    tiles::make_tiles(o);
    init_gdal();
    std::map<int, std::size_t> vertices; // over all tiles of a zoom
    for (int z = 0; z <= 10; ++z) {
        for (const auto& e : fs::recursive_directory_iterator(dir / "tiles" / std::to_string(z))) {
            if (e.path().extension() != ".pbf") continue;
            for (const auto& dl : decode(read_file(e.path())))
                for (const auto& df : dl.features)
                    for (const auto& r : df.rings) vertices[z] += r.size();
            GDALDatasetUniquePtr ds(GDALDataset::Open(e.path().c_str(), GDAL_OF_VECTOR));
            REQUIRE(ds);
            for (auto& gf : *ds->GetLayerByName("coast")) {
                REQUIRE(gf->GetGeometryRef() != nullptr);
                INFO(e.path());
                CHECK(gf->GetGeometryRef()->IsValid());
            }
        }
        INFO("zoom " << z << ": " << vertices[z] << " vertices");
        CHECK(vertices[z] > 0);
        if (z > 0) CHECK(vertices[z - 1] < vertices[z]);
    }
    // At zoom 4 the ring is a few hundred vertices; at zoom 10 it keeps most of the 40,000.
    CHECK(vertices[4] < 2000);
    CHECK(vertices[10] > 20000);
    fs::remove_all(dir);
}
