#include "layers/tiles/tileset.hpp"

#include "geo/error.hpp"
#include "layers/tiles/point_cluster.hpp"
#include "layers/tiles/tile_geometry.hpp"
#include "layers/tiles/tile_source.hpp"
#include "layers/tiles/tile_writer.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>

namespace sitmap::tiles {
namespace {

// Runs fn(i, worker) for i in [0, n) on `threads` threads; rethrows the first exception.
template <class Fn> void parallel_for(std::size_t n, unsigned threads, Fn&& fn) {
    std::atomic<std::size_t> next{0};
    std::exception_ptr error;
    std::mutex m;
    auto work = [&](unsigned w) {
        try {
            for (std::size_t i; (i = next++) < n;) fn(i, w);
        } catch (...) {
            const std::lock_guard<std::mutex> lock(m);
            if (!error) error = std::current_exception();
            next = n;
        }
    };
    std::vector<std::thread> pool;
    try {
        for (unsigned w = 1; w < threads && w < n; ++w) pool.emplace_back(work, w);
    } catch (const std::system_error& e) {
        // No thread for this worker: stop the others, wait for them, report the failure.
        next = n;
        for (auto& t : pool) t.join();
        throw WorkError("cannot start worker thread " + std::to_string(pool.size() + 1) + " of " +
                        std::to_string(std::min<std::size_t>(threads, n)) + ": " + e.what());
    } catch (...) {
        next = n;
        for (auto& t : pool) t.join();
        throw;
    }
    work(0);
    for (auto& t : pool) t.join();
    if (error) std::rethrow_exception(error);
}

using XY = std::pair<std::uint32_t, std::uint32_t>;

// Orders tiles, shape pieces and point ranges by tile column, then row.
XY tile_of(const XY& t) { return t; }
template <class T> XY tile_of(const T& t) { return {t.x, t.y}; }
struct ByTile {
    template <class A, class B> bool operator()(const A& a, const B& b) const {
        return tile_of(a) < tile_of(b);
    }
};

struct TileResult {
    std::string bytes, gz;
    std::size_t features = 0, clusters = 0, points = 0;
    std::vector<std::vector<std::pair<std::string, NumberRange>>> ranges; // per layer
};

const char* field_kind(ColumnType t) {
    switch (t) {
    case ColumnType::integer:
    case ColumnType::real: return "Number";
    case ColumnType::boolean: return "Boolean";
    case ColumnType::string: break;
    }
    return "String";
}

// Where a viewer should open: the median of the features' positions (a point, or the middle of
// a line's or polygon's box), which a few far-away features (a foreign city among Syrian places)
// do not pull away as they pull the bounds, at the zoom where the middle 80 % of them fit in a
// 512-pixel view. Empty when there are no features.
std::optional<std::array<double, 3>> median_center(const TileOptions& opt,
                                                  const std::vector<SourceLayer>& layers) {
    std::vector<double> xs, ys;
    for (const auto& l : layers) {
        for (std::size_t i = 0; i + 1 < l.point_xy.size(); i += 2) {
            xs.push_back(l.point_xy[i]);
            ys.push_back(l.point_xy[i + 1]);
        }
        for (const auto& s : l.shapes) {
            double x0 = 1, y0 = 1, x1 = 0, y1 = 0;
            for (const auto& part : s.parts)
                for (const auto& ring : part)
                    for (std::size_t i = 0; i + 1 < ring.size(); i += 2) {
                        x0 = std::min(x0, ring[i]), x1 = std::max(x1, ring[i]);
                        y0 = std::min(y0, ring[i + 1]), y1 = std::max(y1, ring[i + 1]);
                    }
            if (x0 <= x1) xs.push_back((x0 + x1) / 2), ys.push_back((y0 + y1) / 2);
        }
    }
    if (xs.empty()) return std::nullopt;
    auto quantile = [](std::vector<double> v, double q) {
        const auto k = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1));
        std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
        return v[k];
    };
    const double x = quantile(xs, 0.5), y = quantile(ys, 0.5);
    const double span = std::max(quantile(xs, 0.9) - quantile(xs, 0.1),
                                 quantile(ys, 0.9) - quantile(ys, 0.1));
    // A 512-pixel view at zoom z shows 2 / 2^z of the world (256-pixel tiles).
    const double z = span > 0 ? std::floor(std::log2(2 / span)) : opt.max_zoom;
    const double zoom = std::clamp(z, double(opt.min_zoom), double(opt.max_zoom));
    const double lon = x * 360 - 180;
    const double lat = std::atan(std::sinh(M_PI * (1 - 2 * y))) * 180 / M_PI;
    return std::array<double, 3>{lon, lat, zoom};
}

TileSetInfo describe(const TileOptions& opt, const std::vector<SourceLayer>& layers,
                     const std::vector<std::map<std::string, NumberRange>>& ranges) {
    TileSetInfo info;
    info.name = opt.name.empty() ? std::filesystem::path(opt.input).stem().string() : opt.name;
    info.description = opt.description;
    info.min_zoom = opt.min_zoom;
    info.max_zoom = opt.max_zoom;
    info.center = median_center(opt, layers);
    nlohmann::ordered_json stats = nlohmann::ordered_json::array();
    for (std::size_t li = 0; li < layers.size(); ++li) {
        const auto& l = layers[li];
        info.bounds.add(l.bounds);
        nlohmann::ordered_json fields = nlohmann::ordered_json::object();
        nlohmann::ordered_json attrs = nlohmann::ordered_json::array();
        std::vector<std::pair<std::string, ColumnType>> all;
        for (std::size_t i = 0; i < l.field_names.size(); ++i)
            all.emplace_back(l.field_names[i], l.field_types[i]);
        if (l.point_count() > 0) {
            all.emplace_back("count", ColumnType::integer);
            all.emplace_back("clustered", ColumnType::integer);
        }
        for (const auto& [name, type] : all) {
            fields[name] = field_kind(type);
            nlohmann::ordered_json a;
            a["attribute"] = name;
            a["type"] = type == ColumnType::string ? "string"
                        : type == ColumnType::boolean ? "boolean" : "number";
            const auto it = ranges[li].find(name);
            if (it != ranges[li].end() && type == ColumnType::integer && it->second.integers) {
                a["min"] = it->second.imin;
                a["max"] = it->second.imax;
            } else if (it != ranges[li].end() && type == ColumnType::real && it->second.reals) {
                a["min"] = it->second.dmin;
                a["max"] = it->second.dmax;
            }
            attrs.push_back(a);
        }
        info.vector_layers.push_back({{"id", l.name},
                                      {"description", ""},
                                      {"minzoom", opt.min_zoom},
                                      {"maxzoom", opt.max_zoom},
                                      {"fields", fields}});
        stats.push_back({{"layer", l.name},
                         {"count", l.point_count() + l.shapes.size()},
                         {"geometry", l.geometry},
                         {"attributeCount", all.size()},
                         {"attributes", attrs}});
    }
    info.tilestats = {{"layerCount", layers.size()}, {"layers", stats}};
    return info;
}

} // namespace

std::size_t TileReport::points() const {
    std::size_t n = 0;
    for (const auto& l : layers) n += l.points;
    return n;
}
std::size_t TileReport::tiles() const {
    std::size_t n = 0;
    for (const auto& z : zooms) n += z.tiles;
    return n;
}
std::size_t TileReport::bytes() const {
    std::size_t n = 0;
    for (const auto& z : zooms) n += z.bytes;
    return n;
}

void check_tile_options(const TileOptions& opt) {
    if (opt.directory.empty() && opt.mbtiles.empty())
        throw UsageError("give an output: -o DIR and/or --mbtiles FILE");
    if (opt.min_zoom < 0 || opt.min_zoom > opt.max_zoom || opt.max_zoom > kMaxZoom)
        throw UsageError("zoom levels must satisfy 0 <= MIN <= MAX <= " + std::to_string(kMaxZoom));
    if (opt.cluster_cell < 1 || opt.cluster_cell > static_cast<int>(kExtent) ||
        !std::has_single_bit(static_cast<unsigned>(opt.cluster_cell)))
        throw UsageError("--cluster-cell " + std::to_string(opt.cluster_cell) +
                         ": must be a power of two from 1 to 4096");
    if (opt.buffer < 0 || opt.buffer > 1024)
        throw UsageError("the tile buffer must be between 0 and 1024 units");
    if (opt.threads > kMaxThreads)
        throw UsageError("--threads " + std::to_string(opt.threads) + ": must be from 1 to " +
                         std::to_string(kMaxThreads) + ", or 0 for every core");
    namespace fs = std::filesystem;
    if (!opt.directory.empty() && !opt.mbtiles.empty() &&
        output_path(opt.directory) == output_path(opt.mbtiles))
        throw UsageError("-o and --mbtiles name the same path '" + opt.mbtiles + "'");
    for (const auto* out : {&opt.directory, &opt.mbtiles}) {
        std::error_code ec;
        if (!out->empty() && fs::equivalent(opt.input, *out, ec))
            throw UsageError("the output '" + *out + "' is the input file");
    }
}

TileReport make_tiles(const TileOptions& opt) {
    check_tile_options(opt);
    std::vector<std::unique_ptr<TileSink>> sinks;
    if (!opt.directory.empty()) sinks.push_back(directory_sink(opt.directory));
    if (!opt.mbtiles.empty()) sinks.push_back(mbtiles_sink(opt.mbtiles));

    bool gzip_tiles = false;
    for (const auto& s : sinks) gzip_tiles = gzip_tiles || s->wants_gzip();

    auto layers = read_source(opt.input, opt.layers);
    const unsigned threads = opt.threads ? opt.threads
                                         : std::clamp(std::thread::hardware_concurrency(), 1u,
                                                      kMaxThreads);
    const int cell_bits = std::countr_zero(static_cast<unsigned>(opt.cluster_cell));

    TileReport report;
    std::vector<PointIndex> indexes;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> shape_jobs;
    for (std::uint32_t li = 0; li < layers.size(); ++li) {
        auto& l = layers[li];
        indexes.push_back(sort_points(l, opt.max_zoom));
        for (std::uint32_t f = 0; f < l.shapes.size(); ++f) shape_jobs.emplace_back(li, f);
        LayerReport lr{l.name, l.geometry, l.point_count(), 0, 0, l.skipped, l.unprojected};
        for (const auto& s : l.shapes) ++(s.kind == ShapeKind::polygon ? lr.polygons : lr.lines);
        report.layers.push_back(lr);
    }
    // Cluster-by fields per layer.
    std::vector<std::vector<std::size_t>> split(layers.size());
    const bool none = opt.cluster_by.size() == 1 && opt.cluster_by[0] == "none";
    for (const auto& name : none ? std::vector<std::string>{} : opt.cluster_by) {
        bool found = false;
        for (std::size_t li = 0; li < layers.size(); ++li)
            for (std::size_t c = 0; c < layers[li].point_columns.size(); ++c)
                if (layers[li].point_columns[c].name == name) split[li].push_back(c), found = true;
        if (!found) throw UsageError("--cluster-by: no point layer has a field '" + name + "'");
    }
    if (opt.cluster_by.empty())
        for (std::size_t li = 0; li < layers.size(); ++li) split[li] = default_cluster_by(layers[li]);

    // One GEOS context per worker that cuts shapes (parallel_for runs at most that many).
    std::vector<std::unique_ptr<GeosContext>> geos;
    for (std::size_t w = 0; w < std::min<std::size_t>(threads, shape_jobs.size()); ++w)
        geos.push_back(std::make_unique<GeosContext>());
    std::vector<std::map<std::string, NumberRange>> ranges(layers.size());

    for (int z = opt.min_zoom; z <= opt.max_zoom; ++z) {
        // Lines and polygons, cut per tile.
        ShapeTiling how;
        how.zoom = z;
        how.simplify = z < opt.max_zoom;
        how.buffer = opt.buffer;
        std::vector<std::vector<ShapePiece>> per_job(shape_jobs.size());
        parallel_for(shape_jobs.size(), threads, [&](std::size_t i, unsigned w) {
            const auto [li, f] = shape_jobs[i];
            tile_shape(*geos[w], layers[li].shapes[f], how, li, f, per_job[i]);
        });
        std::vector<ShapePiece> pieces;
        for (auto& v : per_job)
            for (auto& p : v) pieces.push_back(std::move(p));
        std::stable_sort(pieces.begin(), pieces.end(), ByTile{});
        // Points, by tile.
        std::vector<std::vector<TileRange>> point_tiles(layers.size());
        std::vector<XY> tiles;
        for (std::size_t li = 0; li < layers.size(); ++li) {
            point_tiles[li] = tile_ranges(indexes[li], z);
            std::sort(point_tiles[li].begin(), point_tiles[li].end(), ByTile{});
            for (const auto& r : point_tiles[li]) tiles.emplace_back(r.x, r.y);
        }
        for (const auto& p : pieces) tiles.emplace_back(p.x, p.y);
        std::sort(tiles.begin(), tiles.end());
        tiles.erase(std::unique(tiles.begin(), tiles.end()), tiles.end());

        std::vector<TileResult> results(tiles.size());
        parallel_for(tiles.size(), threads, [&](std::size_t ti, unsigned) {
            const XY t = tiles[ti];
            TileResult& res = results[ti];
            res.ranges.resize(layers.size());
            auto piece = std::lower_bound(pieces.begin(), pieces.end(), t, ByTile{});
            for (std::size_t li = 0; li < layers.size(); ++li) {
                const auto& l = layers[li];
                LayerEncoder enc(l.name);
                const auto& pt = point_tiles[li];
                auto r = std::lower_bound(pt.begin(), pt.end(), t, ByTile{});
                if (r != pt.end() && tile_of(*r) == t) {
                    const auto c = encode_points(l, indexes[li], z, cell_bits, split[li], *r, enc);
                    res.clusters += c.clusters;
                    res.points += c.points;
                }
                for (; piece != pieces.end() && tile_of(*piece) == t && piece->layer == li;
                     ++piece) {
                    enc.begin_feature();
                    write_attributes(l.shape_columns, piece->feature, enc);
                    // Every piece of a feature has its id, so clients can merge them again.
                    enc.end_feature(piece->type, piece->commands,
                                    feature_id(l.shape_fid[piece->feature]));
                }
                if (enc.features() == 0) continue;
                res.features += enc.features();
                res.ranges[li] = enc.ranges();
                enc.finish(res.bytes);
            }
            if (gzip_tiles && !res.bytes.empty()) res.gz = gzip(res.bytes);
        });

        ZoomReport zr;
        zr.zoom = z;
        for (std::size_t ti = 0; ti < tiles.size(); ++ti) {
            auto& res = results[ti];
            if (res.bytes.empty()) continue;
            const TileId id{z, tiles[ti].first, tiles[ti].second};
            for (auto& s : sinks) s->write(id, res.bytes, res.gz);
            ++zr.tiles;
            zr.features += res.features;
            zr.clusters += res.clusters;
            zr.points += res.points;
            zr.bytes += res.bytes.size();
            for (std::size_t li = 0; li < layers.size(); ++li)
                for (const auto& [k, v] : res.ranges[li]) ranges[li][k].merge(v);
            res = TileResult();
        }
        report.zooms.push_back(zr);
    }
    const auto info = describe(opt, layers, ranges);
    for (auto& s : sinks) s->commit(info);
    publish_all(sinks);
    return report;
}

} // namespace sitmap::tiles
