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

#include <sqlite3.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>

using namespace sitmap;
namespace fs = std::filesystem;

namespace {

// ---- An independent MVT decoder (spec 2.1), enough to check what the encoder writes. ----
using Props = std::map<std::string, std::string>; // values as text: "s:..", "i:..", "d:..", "b:.."
struct DFeature {
    std::uint32_t type = 0;
    std::optional<std::uint64_t> id;
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
        std::vector<std::optional<std::uint64_t>> ids;
        while (l.next()) {
            switch (l.tag()) {
            case 1: layer.name = l.get_string(); break;
            case 2: {
                protozero::pbf_reader f = l.get_message();
                std::vector<std::uint32_t> tags, geom;
                std::uint32_t type = 0;
                std::optional<std::uint64_t> id;
                while (f.next()) {
                    if (f.tag() == 1) id = f.get_uint64();
                    else if (f.tag() == 2) {
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
                ids.push_back(id);
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
            f.id = ids[i];
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
                    REQUIRE(p + 1 < g.size()); // two values: dx, dy
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

std::string gunzip(const std::string& gz) {
    std::string out;
    z_stream zs{};
    REQUIRE(inflateInit2(&zs, 15 + 16) == Z_OK);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
    zs.avail_in = static_cast<uInt>(gz.size());
    char buf[65536];
    int rc = Z_OK;
    while (rc == Z_OK) {
        zs.next_out = reinterpret_cast<Bytef*>(buf);
        zs.avail_out = sizeof buf;
        rc = inflate(&zs, Z_NO_FLUSH);
        out.append(buf, sizeof buf - zs.avail_out);
    }
    inflateEnd(&zs);
    REQUIRE(rc == Z_STREAM_END);
    return out;
}

// Every feature of every tile of one zoom of a tile folder, with the tile it is in.
struct TileFeature {
    std::string tile, layer;
    DFeature f;
};
std::vector<TileFeature> zoom_features(const fs::path& dir, int z) {
    std::vector<TileFeature> out;
    if (!fs::exists(dir / std::to_string(z))) return out;
    for (const auto& e : fs::recursive_directory_iterator(dir / std::to_string(z))) {
        if (e.path().extension() != ".pbf") continue;
        for (auto& l : decode(read_file(e.path())))
            for (auto& f : l.features)
                out.push_back({fs::relative(e.path(), dir).string(), l.name, std::move(f)});
    }
    return out;
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
    // A square given clockwise on screen (y down: positive area), with a repeated point and no
    // closing point: ring() drops the repeat and writes ClosePath.
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
                // One feature per occupied cluster cell (4096 / 32 = 128 a side) and category
                // (3 values): no tile holds more.
                CHECK(l.features.size() <= 128u * 128u * 3u);
                for (const auto& f : l.features) {
                    // A lone point has its source feature id (GeoPackage ids are 1..n); a
                    // cluster has none.
                    if (f.props.at("clustered") == "i:0") {
                        REQUIRE(f.id.has_value());
                        CHECK((*f.id >= 1 && *f.id <= static_cast<std::uint64_t>(n)));
                    } else {
                        CHECK_FALSE(f.id.has_value());
                    }
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
    }
    // The MBTiles file holds the folder's tiles: the same bytes once inflated, at the row the
    // TMS scheme gives (row 0 is the south edge), at every zoom where rows differ from y.
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open_v2(o.mbtiles.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
        sqlite3_stmt* st = nullptr;
        REQUIRE(sqlite3_prepare_v2(db,
                                   "SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles "
                                   "WHERE zoom_level >= 2 ORDER BY 1, 2, 3",
                                   -1, &st, nullptr) == SQLITE_OK);
        std::size_t compared = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            const int z = sqlite3_column_int(st, 0);
            const auto x = sqlite3_column_int64(st, 1);
            const auto row = sqlite3_column_int64(st, 2);
            const auto y = (std::int64_t{1} << z) - 1 - row;
            const std::string gz(static_cast<const char*>(sqlite3_column_blob(st, 3)),
                                 static_cast<std::size_t>(sqlite3_column_bytes(st, 3)));
            const auto file = dir / "out" / std::to_string(z) / std::to_string(x) /
                              (std::to_string(y) + ".pbf");
            INFO(z << "/" << x << "/" << y << " (row " << row << ")");
            REQUIRE(fs::exists(file));
            CHECK(gunzip(gz) == read_file(file));
            ++compared;
        }
        sqlite3_finalize(st);
        sqlite3_close(db);
        std::size_t files = 0;
        for (int z = 2; z <= 7; ++z)
            for (const auto& e : fs::recursive_directory_iterator(dir / "out" / std::to_string(z)))
                files += e.path().extension() == ".pbf";
        CHECK(compared == files);
        CHECK(compared > 50);
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
    REQUIRE(cli::run({"tiles", atlas, "-o", (dir / "tiles").string(), "--mbtiles",
                      (dir / "atlas.mbtiles").string(), "--zoom", "4-6"},
                     out, err) == 0);
    // Source feature ids of the Nasib crossing and the al-Tanf zone.
    init_gdal();
    std::int64_t nasib_fid = -1, tanf_fid = -1;
    {
        GDALDatasetUniquePtr src(GDALDataset::Open(atlas.c_str(), GDAL_OF_VECTOR));
        REQUIRE(src);
        for (auto& f : *src->GetLayerByName("crossings"))
            if (std::string(f->GetFieldAsString("place_id")) == "nasib-crossing")
                nasib_fid = f->GetFID();
        for (auto& f : *src->GetLayerByName("zones"))
            if (std::string(f->GetFieldAsString("name")) == "al-Tanf 55 km zone")
                tanf_fid = f->GetFID();
    }
    REQUIRE(nasib_fid >= 0);
    REQUIRE(tanf_fid >= 0);
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
                    CHECK(f.id == std::optional<std::uint64_t>(nasib_fid));
                }
                if (l.name == "zones" && f.props.count("name") &&
                    f.props.at("name") == "s:al-Tanf 55 km zone") {
                    tanf = true;
                    CHECK(f.props.at("radius_km") == "d:55.000000");
                    CHECK(f.type == 3);
                    REQUIRE_FALSE(f.rings.empty());
                    CHECK(area2(f.rings[0]) > 0); // exterior ring clockwise on screen
                    // Every piece of the zone (one per tile it reaches) has the zone's id.
                    CHECK(f.id == std::optional<std::uint64_t>(tanf_fid));
                }
            }
        }
    }
    CHECK(nasib);
    CHECK(tanf);
    // GDAL reads the zoom-6 folder with the fields metadata.json declares.
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
    // The MBTiles file through GDAL's MBTiles driver: the Nasib crossing (36.202E 32.543N) lies
    // within one tile unit of its place at zoom 6 (EPSG:3857 metres), so rows are flipped right.
    const char* open_options[] = {"ZOOM_LEVEL=6", nullptr};
    GDALDatasetUniquePtr mb(GDALDataset::Open((dir / "atlas.mbtiles").c_str(), GDAL_OF_VECTOR,
                                              nullptr, open_options));
    REQUIRE(mb);
    OGRLayer* crossings = mb->GetLayerByName("crossings");
    REQUIRE(crossings != nullptr);
    crossings->SetAttributeFilter("place_id = 'nasib-crossing'");
    const double half = 20037508.342789244;
    const double ex = 36.202 * half / 180;
    const double ey = std::log(std::tan(M_PI / 4 + 32.543 * M_PI / 360)) * 6378137.0;
    const double unit = 2 * half / (64.0 * 4096.0); // one tile unit at zoom 6
    int nasib_mb = 0;
    for (auto& f : *crossings) {
        ++nasib_mb;
        const auto* g = f->GetGeometryRef();
        REQUIRE(g != nullptr);
        // GDAL reads a tile's point as a point or a one-point multipoint.
        const auto t = wkbFlatten(g->getGeometryType());
        REQUIRE((t == wkbPoint || (t == wkbMultiPoint && g->toMultiPoint()->getNumGeometries() == 1)));
        const auto* p = t == wkbPoint ? g->toPoint() : g->toMultiPoint()->getGeometryRef(0);
        INFO(p->getX() << " " << p->getY() << " vs " << ex << " " << ey);
        CHECK(std::abs(p->getX() - ex) <= unit);
        CHECK(std::abs(p->getY() - ey) <= unit);
    }
    CHECK(nasib_mb == 1);
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

TEST_CASE("A cluster keeps its cluster-by values; a null is its own kind; big sums become reals",
          "[tiles]") {
    const auto dir = temp_dir("clusterby");
    constexpr auto big = std::numeric_limits<std::int64_t>::max();
    Layer l;
    l.name = "pts";
    l.geometry_type = wkbPoint;
    l.fields = {{"period", FieldType::integer, ""},
                {"value", FieldType::integer, ""},
                {"big", FieldType::integer, ""}};
    const std::vector<Value> period = {std::int64_t{2023}, std::int64_t{2023}, std::int64_t{2023},
                                       std::monostate{},   std::monostate{},   std::int64_t{-1}};
    const std::vector<Value> bigs = {big, big, std::monostate{}, std::int64_t{1}, std::int64_t{1},
                                     std::int64_t{1}};
    for (std::size_t i = 0; i < period.size(); ++i) {
        Feature f;
        f.geometry = make_point(36.2, 32.5); // all in one cluster cell
        f.values = {period[i], std::int64_t{1} << i, bigs[i]};
        l.features.push_back(std::move(f));
    }
    const auto input = (dir / "pts.gpkg").string();
    write_layers(input, "GPKG", {&l});
    tiles::TileOptions o;
    o.input = input;
    o.directory = (dir / "tiles").string();
    o.min_zoom = o.max_zoom = 0;
    o.cluster_by = {"period"};
    tiles::make_tiles(o);
    const auto fs0 = zoom_features(dir / "tiles", 0);
    REQUIRE(fs0.size() == 3);
    std::map<std::string, const DFeature*> by_period; // "" for the null
    for (const auto& tf : fs0) {
        const auto it = tf.f.props.find("period");
        by_period[it == tf.f.props.end() ? "" : it->second] = &tf.f;
    }
    REQUIRE(by_period.size() == 3);
    // 2023 three times: the cluster says 2023, not 6069; value 1+2+4; big 2 x INT64_MAX as a real.
    const auto& y2023 = *by_period.at("i:2023");
    CHECK(y2023.props.at("count") == "i:3");
    CHECK(y2023.props.at("value") == "i:7");
    CHECK(y2023.props.at("big") == "d:" + std::to_string(2 * static_cast<double>(big)));
    CHECK_FALSE(y2023.id.has_value());
    // Null twice: one cluster without a period.
    const auto& none = *by_period.at("");
    CHECK(none.props.at("count") == "i:2");
    CHECK(none.props.at("value") == "i:24");
    CHECK(none.props.at("big") == "i:2");
    // -1 once, apart from the nulls: a lone point with its feature id (the sixth row).
    const auto& minus = *by_period.at("i:-1");
    CHECK(minus.props.at("count") == "i:1");
    CHECK(minus.props.at("value") == "i:32");
    CHECK(minus.id == std::optional<std::uint64_t>(6));
    fs::remove_all(dir);
}

TEST_CASE("Outputs: a trailing slash, earlier tile sets, and targets that are refused",
          "[tiles]") {
    const auto dir = temp_dir("outputs");
    std::int64_t total = 0;
    const auto input = synthetic_points(dir, 200, total);
    tiles::TileOptions o;
    o.input = input;
    o.min_zoom = 0;
    o.max_zoom = 2;
    // "DIR/": the output lands in DIR, and a second run replaces it; nothing else is left.
    o.directory = (dir / "out").string() + "/";
    o.mbtiles = (dir / "out.mbtiles").string();
    for (int run = 0; run < 2; ++run) {
        tiles::make_tiles(o);
        CHECK(fs::is_regular_file(dir / "out" / "metadata.json"));
        CHECK(fs::is_regular_file(dir / "out" / "tiles.json"));
        CHECK(fs::is_regular_file(dir / "out" / "0" / "0" / "0.pbf"));
        CHECK(fs::is_regular_file(dir / "out.mbtiles"));
        std::set<std::string> names;
        for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
        CHECK(names == std::set<std::string>{"points.gpkg", "out", "out.mbtiles"});
    }
    o.mbtiles.clear();
    // A folder with only a metadata.json, or a tile set with something else in it: refused,
    // and left as it was.
    fs::create_directories(dir / "meta");
    std::ofstream(dir / "meta" / "metadata.json") << "{\"format\": \"pbf\"}\n";
    o.directory = (dir / "meta").string();
    fs::create_directories(dir / "meta" / "notes");
    CHECK_THROWS_AS(tiles::make_tiles(o), UsageError);
    fs::remove(dir / "meta" / "notes");
    std::ofstream(dir / "meta" / "metadata.json") << "{\"name\": \"mine\"}\n";
    CHECK_THROWS_AS(tiles::make_tiles(o), UsageError);
    CHECK(fs::exists(dir / "meta" / "metadata.json"));
    std::ofstream(dir / "out" / "notes.txt") << "mine\n";
    o.directory = (dir / "out").string();
    CHECK_THROWS_AS(tiles::make_tiles(o), UsageError);
    CHECK(fs::exists(dir / "out" / "notes.txt"));
    // A regular file given to -o, the input itself, one path for both outputs, too many threads.
    std::ofstream(dir / "file.txt") << "";
    o.directory = (dir / "file.txt").string();
    CHECK_THROWS_AS(tiles::make_tiles(o), UsageError);
    CHECK(fs::is_regular_file(dir / "file.txt"));
    o.directory = input;
    CHECK_THROWS_AS(tiles::check_tile_options(o), UsageError);
    o.directory.clear();
    o.mbtiles = (dir / "." / "points.gpkg").string();
    CHECK_THROWS_AS(tiles::check_tile_options(o), UsageError);
    o.directory = (dir / "both").string();
    o.mbtiles = (dir / "both").string() + "/";
    CHECK_THROWS_AS(tiles::check_tile_options(o), UsageError);
    o.mbtiles.clear();
    o.threads = 257;
    CHECK_THROWS_AS(tiles::check_tile_options(o), UsageError);
    o.threads = 256;
    CHECK_NOTHROW(tiles::check_tile_options(o));
    o.threads = 0;
    CHECK_NOTHROW(tiles::check_tile_options(o));
    CHECK(fs::file_size(input) > 0);
    fs::remove_all(dir);
}

TEST_CASE("Text that is not UTF-8 is written with U+FFFD; features PROJ cannot place are counted",
          "[tiles]") {
    const auto dir = temp_dir("input");
    // A CSV with a Latin-1 byte in a value and in a field name, and a valid Arabic name.
    std::ofstream(dir / "names.csv") << "id,WKT,n\xe9m\n"
                                        "1,\"POINT (36 33)\",caf\xe9\n"
                                        "2,\"POINT (37 34)\",\xd9\x86\xd8\xb5\xd9\x8a\xd8\xa8\n";
    tiles::TileOptions o;
    o.input = (dir / "names.csv").string();
    o.directory = (dir / "names").string();
    o.min_zoom = o.max_zoom = 0;
    o.cluster_by = {"n\xef\xbf\xbdm"};
    tiles::make_tiles(o);
    std::set<std::string> names;
    for (const auto& tf : zoom_features(dir / "names", 0)) names.insert(tf.f.props.at("n\xef\xbf\xbdm"));
    CHECK(names == std::set<std::string>{"s:caf\xef\xbf\xbd", "s:\xd9\x86\xd8\xb5\xd9\x8a\xd8\xa8"});

    // UTM coordinates PROJ cannot transform (1e30): the point and the line are counted, not tiled.
    std::ofstream(dir / "utm.geojson")
        << R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32637"}},"features":[
{"type":"Feature","properties":{"n":"ok"},"geometry":{"type":"Point","coordinates":[300000,3600000]}},
{"type":"Feature","properties":{"n":"bad point"},"geometry":{"type":"Point","coordinates":[1e30,1e30]}},
{"type":"Feature","properties":{"n":"bad line"},"geometry":{"type":"LineString","coordinates":[[300000,3600000],[1e30,1e30],[320000,3620000]]}},
{"type":"Feature","properties":{"n":"ok line"},"geometry":{"type":"LineString","coordinates":[[300000,3600000],[320000,3620000]]}},
{"type":"Feature","properties":{"n":"no geometry"},"geometry":null}]})";
    o.input = (dir / "utm.geojson").string();
    o.directory = (dir / "utm").string();
    o.cluster_by.clear();
    o.max_zoom = 3;
    const auto rep = tiles::make_tiles(o);
    REQUIRE(rep.layers.size() == 1);
    CHECK(rep.layers[0].points == 1);
    CHECK(rep.layers[0].lines == 1);
    CHECK(rep.layers[0].polygons == 0);
    CHECK(rep.layers[0].skipped == 1);
    CHECK(rep.layers[0].unprojected == 2);
    for (int z = 0; z <= 3; ++z) {
        std::set<std::string> ns;
        for (const auto& tf : zoom_features(dir / "utm", z)) ns.insert(tf.f.props.at("n"));
        CHECK(ns == std::set<std::string>{"s:ok", "s:ok line"});
    }
    // A CRS with no transformation to EPSG:4326 (Mars): bad input naming the file and layer.
    std::ofstream(dir / "mars.geojson")
        << R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"IAU_2015:49900"}},"features":[
{"type":"Feature","properties":{"n":"crater"},"geometry":{"type":"Point","coordinates":[30,10]}}]})";
    o.input = (dir / "mars.geojson").string();
    o.directory = (dir / "mars").string();
    try {
        tiles::make_tiles(o);
        FAIL("no error");
    } catch (const InputError& e) {
        const std::string what = e.what();
        CHECK(what.find("mars.geojson") != std::string::npos);
        CHECK(what.find("layer 'mars': its CRS cannot be transformed to EPSG:4326") !=
              std::string::npos);
    }
    CHECK_FALSE(fs::exists(dir / "mars"));
    fs::remove_all(dir);
}

TEST_CASE("A polygon with a hole: exterior clockwise on screen, the hole anticlockwise, valid",
          "[tiles]") {
    const auto dir = temp_dir("hole");
    Layer l;
    l.name = "holes";
    l.geometry_type = wkbPolygon;
    l.fields = {{"n", FieldType::string, ""}};
    // The same shape given both ways round: exterior anticlockwise in lon/lat with a clockwise
    // hole, and the reverse; the tiles have one orientation.
    auto square = [](double x0, double y0, double x1, double y1, bool ccw) {
        auto r = new OGRLinearRing();
        if (ccw) {
            r->addPoint(x0, y0), r->addPoint(x1, y0), r->addPoint(x1, y1), r->addPoint(x0, y1);
        } else {
            r->addPoint(x0, y0), r->addPoint(x0, y1), r->addPoint(x1, y1), r->addPoint(x1, y0);
        }
        r->closeRings();
        return r;
    };
    for (bool ccw : {true, false}) {
        auto poly = std::make_shared<OGRPolygon>();
        const double dx = ccw ? 0 : 4;
        poly->addRingDirectly(square(36 + dx, 33, 38 + dx, 35, ccw));
        poly->addRingDirectly(square(36.5 + dx, 33.5, 37.5 + dx, 34.5, !ccw));
        Feature f;
        f.geometry = poly;
        f.values = {std::string(ccw ? "ccw" : "cw")};
        l.features.push_back(f);
    }
    const auto input = (dir / "holes.gpkg").string();
    write_layers(input, "GPKG", {&l});
    tiles::TileOptions o;
    o.input = input;
    o.directory = (dir / "tiles").string();
    o.min_zoom = 0;
    o.max_zoom = 5;
    tiles::make_tiles(o);
    init_gdal();
    for (int z = 0; z <= 5; ++z) {
        const auto features = zoom_features(dir / "tiles", z);
        REQUIRE(features.size() == 2); // neither crosses a tile edge up to zoom 5
        for (const auto& tf : features) {
            INFO("zoom " << z << " " << tf.f.props.at("n"));
            CHECK(tf.f.type == 3);
            REQUIRE(tf.f.rings.size() == 2);
            CHECK(area2(tf.f.rings[0]) > 0); // exterior: clockwise on screen (y down)
            CHECK(area2(tf.f.rings[1]) < 0); // hole: anticlockwise
            CHECK(tf.f.id.has_value());
            GDALDatasetUniquePtr ds(
                GDALDataset::Open((dir / "tiles" / tf.tile).c_str(), GDAL_OF_VECTOR));
            REQUIRE(ds);
            for (auto& gf : *ds->GetLayerByName("holes")) {
                const auto* g = gf->GetGeometryRef();
                REQUIRE(g != nullptr);
                CHECK(g->IsValid());
                const auto t = wkbFlatten(g->getGeometryType());
                const OGRPolygon* p = t == wkbPolygon ? g->toPolygon()
                                      : t == wkbMultiPolygon && g->toMultiPolygon()->getNumGeometries() == 1
                                          ? g->toMultiPolygon()->getGeometryRef(0)
                                          : nullptr;
                REQUIRE(p != nullptr);
                CHECK(p->getNumInteriorRings() == 1);
            }
        }
    }
    fs::remove_all(dir);
}
