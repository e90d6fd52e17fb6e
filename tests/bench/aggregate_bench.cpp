// Aggregation benchmark (issue 4): count and sum of N random points per region over Syria, on three
// region layers, by sitmap (in memory, and streamed from a CSV file in a child process that reports
// its peak memory), by GEOS prepared geometries behind a Boost.Geometry rtree (one thread), and,
// with SITMAP_BENCH_POSTGIS=1, by PostGIS (scripts/bench-postgis.sh, run on the same points file).
//
// Environment: SITMAP_BENCH_N="1000000,10000000" (point counts), SITMAP_BENCH_DIR (points files,
// default /tmp/sitmap-bench), SITMAP_BENCH_THREADS (default: all), SITMAP_BENCH_POSTGIS=1.
// Own main(): this file does not use Google Benchmark's runner.
#include "geo/region_index.hpp"
#include "layers/region_source.hpp"

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <geos_c.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using sitmap::Region;

namespace {

const std::string kShared = SITMAP_TEST_DATA "/../../../shared";
const std::string kScripts = SITMAP_TEST_DATA "/../../scripts";

struct LayerSpec {
    std::string key, label, path, layer, where;
};
const std::vector<LayerSpec> kLayers = {
    {"ne", "Natural Earth governorates", "/usr/share/qgis/resources/data/world_map.gpkg",
     "states_provinces", "iso_a2 = 'SY' AND fips IS NOT NULL"},
    {"adm1", "SYR_ADM1", kShared + "/boundaries/SYR_ADM1.geojson", "", ""},
    {"adm2", "SYR_ADM2", kShared + "/boundaries/SYR_ADM2.geojson", "", ""},
};

double now() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

long peak_rss_kb() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
    return -1;
}

std::size_t vertex_count(const std::vector<Region>& regions) {
    std::size_t n = 0;
    for (const auto& r : regions)
        for (const auto& p : r.polygons) {
            n += p.outer.points.size();
            for (const auto& h : p.holes) n += h.points.size();
        }
    return n;
}

// ---- the GEOS baseline: prepared geometries behind an rtree of envelopes, one thread ----------

class GeosBaseline {
public:
    explicit GeosBaseline(const std::vector<Region>& regions) {
        h_ = GEOS_init_r();
        for (std::size_t i = 0; i < regions.size(); ++i) {
            GEOSGeometry* g = make(regions[i]);
            geoms_.push_back(g);
            prepared_.push_back(GEOSPrepare_r(h_, g));
            double x0, y0, x1, y1;
            GEOSGeom_getXMin_r(h_, g, &x0);
            GEOSGeom_getYMin_r(h_, g, &y0);
            GEOSGeom_getXMax_r(h_, g, &x1);
            GEOSGeom_getYMax_r(h_, g, &y1);
            tree_.insert({Box({x0, y0}, {x1, y1}), std::uint32_t(i)});
        }
    }
    ~GeosBaseline() {
        for (auto* p : prepared_) GEOSPreparedGeom_destroy_r(h_, p);
        for (auto* g : geoms_) GEOSGeom_destroy_r(h_, g);
        GEOS_finish_r(h_);
    }
    // Lowest region index whose closed polygon covers the point, or -1.
    int locate(double x, double y) {
        cand_.clear();
        tree_.query(bgi::intersects(Pt(x, y)), std::back_inserter(cand_));
        if (cand_.empty()) return -1;
        std::sort(cand_.begin(), cand_.end(), [](auto& a, auto& b) { return a.second < b.second; });
        GEOSGeometry* pt = GEOSGeom_createPointFromXY_r(h_, x, y);
        int found = -1;
        for (const auto& c : cand_)
            if (GEOSPreparedCovers_r(h_, prepared_[c.second], pt) == 1) {
                found = int(c.second);
                break;
            }
        GEOSGeom_destroy_r(h_, pt);
        return found;
    }

private:
    using Pt = bg::model::d2::point_xy<double>;
    using Box = bg::model::box<Pt>;
    GEOSGeometry* ring(const sitmap::Ring& r) {
        auto pts = r.points;
        if (pts.front() != pts.back()) pts.push_back(pts.front());
        GEOSCoordSequence* s = GEOSCoordSeq_create_r(h_, unsigned(pts.size()), 2);
        for (unsigned i = 0; i < pts.size(); ++i) GEOSCoordSeq_setXY_r(h_, s, i, pts[i].first, pts[i].second);
        return GEOSGeom_createLinearRing_r(h_, s);
    }
    GEOSGeometry* make(const Region& reg) {
        std::vector<GEOSGeometry*> polys;
        for (const auto& p : reg.polygons) {
            std::vector<GEOSGeometry*> holes;
            for (const auto& hr : p.holes) holes.push_back(ring(hr));
            polys.push_back(GEOSGeom_createPolygon_r(h_, ring(p.outer), holes.data(), unsigned(holes.size())));
        }
        return GEOSGeom_createCollection_r(h_, GEOS_MULTIPOLYGON, polys.data(), unsigned(polys.size()));
    }
    GEOSContextHandle_t h_;
    std::vector<GEOSGeometry*> geoms_;
    std::vector<const GEOSPreparedGeometry*> prepared_;
    bgi::rtree<std::pair<Box, std::uint32_t>, bgi::quadratic<16>> tree_;
    std::vector<std::pair<Box, std::uint32_t>> cand_;
};

// ---- points ------------------------------------------------------------------------------------

struct Points {
    std::vector<double> x, y, v;
};

// Uniform over Syria's bounding box, values in [0, 100); fixed seed per N.
Points generate(std::size_t n) {
    Points p;
    p.x.resize(n);
    p.y.resize(n);
    p.v.resize(n);
    std::mt19937_64 rng(20240601u + n);
    std::uniform_real_distribution<double> ux(35.6, 42.4), uy(32.3, 37.35), uv(0, 100);
    for (std::size_t i = 0; i < n; ++i) {
        p.x[i] = ux(rng);
        p.y[i] = uy(rng);
        p.v[i] = uv(rng);
    }
    return p;
}

// CSV id,lon,lat,value with shortest round-trip numbers (the file reproduces the points exactly).
void write_csv(const Points& p, const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) throw std::runtime_error("cannot write " + path);
    std::fputs("id,lon,lat,value\n", f);
    std::vector<char> buf(1 << 20);
    std::size_t used = 0;
    for (std::size_t i = 0; i < p.x.size(); ++i) {
        if (used > buf.size() - 128) {
            std::fwrite(buf.data(), 1, used, f);
            used = 0;
        }
        char* b = buf.data() + used;
        char* e = buf.data() + buf.size();
        b = std::to_chars(b, e, i).ptr;
        *b++ = ',';
        b = std::to_chars(b, e, p.x[i]).ptr;
        *b++ = ',';
        b = std::to_chars(b, e, p.y[i]).ptr;
        *b++ = ',';
        b = std::to_chars(b, e, p.v[i]).ptr;
        *b++ = '\n';
        used = std::size_t(b - buf.data());
    }
    std::fwrite(buf.data(), 1, used, f);
    std::fclose(f);
}

std::vector<Region> load(const LayerSpec& s) {
    return sitmap::read_regions(s.path, {s.layer, s.where}).regions();
}

std::string join_counts(const std::vector<std::uint64_t>& c) {
    std::string s;
    for (std::size_t i = 0; i < c.size(); ++i) s += (i ? "," : "") + std::to_string(c[i]);
    return s;
}

// Child mode: stream the CSV through sitmap and report time and peak memory of this process.
int stream_child(const std::string& csv, const std::string& key, unsigned threads) {
    const auto it = std::find_if(kLayers.begin(), kLayers.end(), [&](auto& l) { return l.key == key; });
    const auto fine_cells = std::getenv("SITMAP_BENCH_FINE") ? std::uint32_t(std::atoi(std::getenv("SITMAP_BENCH_FINE"))) : 0u;
    const sitmap::RegionIndex index(load(*it), {fine_cells});
    sitmap::CsvPointReader reader(csv);
    const double t0 = now();
    const auto res = sitmap::aggregate_stream(
        index, [&](sitmap::PointChunk& c, std::size_t cap) { return reader(c, cap); }, {threads});
    const double t = now() - t0;
    std::printf("STREAM %.6f %ld %llu %s\n", t, peak_rss_kb(), (unsigned long long)res.points,
                join_counts(res.count).c_str());
    return 0;
}

struct PgResult {
    double query_s = 0;
    std::vector<std::uint64_t> count;
};

// Runs scripts/bench-postgis.sh on the points file; parses "PGRESULT key seconds counts".
std::map<std::string, PgResult> run_postgis(const std::string& csv) {
    std::map<std::string, PgResult> out;
    const std::string cmd = "bash '" + kScripts + "/bench-postgis.sh' '" + csv + "'";
    std::fprintf(stderr, "running %s\n", cmd.c_str());
    std::FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) return out;
    char line[1 << 16];
    while (std::fgets(line, sizeof line, p)) {
        std::fputs(line, stderr);
        std::istringstream ss(line);
        std::string tag, key, counts;
        double s;
        if (!(ss >> tag >> key >> s >> counts) || tag != "PGRESULT") continue;
        PgResult r;
        r.query_s = s;
        for (std::size_t pos = 0; pos < counts.size();) {
            std::size_t e = counts.find(',', pos);
            if (e == std::string::npos) e = counts.size();
            r.count.push_back(std::stoull(counts.substr(pos, e - pos)));
            pos = e + 1;
        }
        out[key] = r;
    }
    ::pclose(p);
    return out;
}

} // namespace

int main(int argc, char** argv) {
    if (argc == 5 && std::strcmp(argv[1], "--stream") == 0)
        return stream_child(argv[2], argv[3], unsigned(std::atoi(argv[4])));

    std::vector<std::size_t> sizes;
    {
        std::string s = std::getenv("SITMAP_BENCH_N") ? std::getenv("SITMAP_BENCH_N") : "1000000,10000000";
        std::istringstream ss(s);
        for (std::string tok; std::getline(ss, tok, ',');) sizes.push_back(std::stoull(tok));
    }
    const std::string dir = std::getenv("SITMAP_BENCH_DIR") ? std::getenv("SITMAP_BENCH_DIR") : "/tmp/sitmap-bench";
    const unsigned threads = std::getenv("SITMAP_BENCH_THREADS") ? unsigned(std::atoi(std::getenv("SITMAP_BENCH_THREADS")))
                                                                 : std::max(1u, std::thread::hardware_concurrency());
    const auto fine_cells = std::getenv("SITMAP_BENCH_FINE") ? std::uint32_t(std::atoi(std::getenv("SITMAP_BENCH_FINE"))) : 0u;
    const bool postgis = std::getenv("SITMAP_BENCH_POSTGIS") && std::string(std::getenv("SITMAP_BENCH_POSTGIS")) == "1";
    std::filesystem::create_directories(dir);

    std::vector<std::vector<Region>> regions;
    for (const auto& l : kLayers) regions.push_back(load(l));

    std::string summary = "| N | layer | regions | vertices | sitmap in memory (M pts/s) | sitmap 1 thread (M pts/s) | sitmap streamed CSV (M pts/s, peak RSS) | GEOS+rtree 1 thread (M pts/s) | PostGIS query (M pts/s) | sitmap/GEOS | sitmap/PostGIS |\n|---|---|---|---|---|---|---|---|---|---|---|\n";
    bool all_equal = true;
    for (std::size_t n : sizes) {
        const double nd = double(n);
        const Points pts = generate(n);
        const std::string csv = dir + "/points_" + std::to_string(n) + ".csv";
        double t0 = now();
        write_csv(pts, csv);
        std::printf("== N = %zu points (CSV %s written in %.1f s), %u threads\n", n, csv.c_str(), now() - t0, threads);
        std::map<std::string, PgResult> pg;
        if (postgis) pg = run_postgis(csv);

        for (std::size_t li = 0; li < kLayers.size(); ++li) {
            const auto& spec = kLayers[li];
            const auto& regs = regions[li];
            t0 = now();
            const sitmap::RegionIndex index(regs, {fine_cells});
            const double build = now() - t0;
            (void)sitmap::aggregate(index, pts.x, pts.y, pts.v, {threads}); // warm-up
            std::vector<double> times;
            sitmap::AggregateResult res;
            for (int rep = 0; rep < 5; ++rep) {
                t0 = now();
                res = sitmap::aggregate(index, pts.x, pts.y, pts.v, {threads});
                times.push_back(now() - t0);
            }
            std::sort(times.begin(), times.end());
            const double t_mem = times[times.size() / 2], t_best = times.front();
            std::vector<double> times1;
            for (int rep = 0; rep < 3; ++rep) {
                t0 = now();
                const auto r1 = sitmap::aggregate(index, pts.x, pts.y, pts.v, {1});
                times1.push_back(now() - t0);
                if (r1.count != res.count || std::memcmp(r1.sum.data(), res.sum.data(), r1.sum.size() * sizeof(double)) != 0)
                    all_equal = false, std::printf("   1-thread result DIFFERS from %u threads\n", threads);
            }
            std::sort(times1.begin(), times1.end());
            const double t_one = times1[1];

            // streamed, in a child process so its peak memory is its own
            double t_stream = -1;
            long hwm = -1;
            std::vector<std::uint64_t> stream_count;
            {
                const std::string cmd = std::string("'") + argv[0] + "' --stream '" + csv + "' " + spec.key + " " + std::to_string(threads);
                std::FILE* p = ::popen(cmd.c_str(), "r");
                char line[1 << 16];
                while (p && std::fgets(line, sizeof line, p)) {
                    char counts[1 << 15];
                    unsigned long long np;
                    if (std::sscanf(line, "STREAM %lf %ld %llu %32767s", &t_stream, &hwm, &np, counts) == 4) {
                        std::istringstream cs(counts);
                        for (std::string tok; std::getline(cs, tok, ',');) stream_count.push_back(std::stoull(tok));
                    }
                }
                if (p) ::pclose(p);
            }

            // GEOS baseline, one thread
            GeosBaseline geos(regs);
            std::vector<std::uint64_t> gcount(regs.size(), 0);
            t0 = now();
            for (std::size_t i = 0; i < n; ++i) {
                const int r = geos.locate(pts.x[i], pts.y[i]);
                if (r >= 0) ++gcount[std::size_t(r)];
            }
            const double t_geos = now() - t0;

            const bool eq_geos = gcount == res.count;
            const bool eq_stream = stream_count == res.count;
            all_equal = all_equal && eq_geos && eq_stream;
            const double mps = nd / t_mem / 1e6, geos_mps = nd / t_geos / 1e6;
            const auto& st = index.stats();
            std::printf("-- %s: %zu regions, %zu vertices; index %ux%u fine cells, %zu edge cells, %.1f MB, built in %.3f s\n",
                        spec.label.c_str(), regs.size(), vertex_count(regs), st.fine_nx, st.fine_ny,
                        st.edge_cells, double(st.memory_bytes) / 1e6, build);
            std::printf("   sitmap in memory:        %8.4f s  %8.2f M points/s (median of 5, best %.2f; %llu points in regions)\n",
                        t_mem, mps, nd / t_best / 1e6, (unsigned long long)(res.points - res.unmatched_count));
            std::printf("   sitmap in memory, 1 thread: %8.4f s  %8.2f M points/s (median of 3; same counts and bitwise sums)\n",
                        t_one, nd / t_one / 1e6);
            std::printf("   sitmap streamed (CSV):   %8.4f s  %8.2f M points/s, peak RSS %.1f MB, counts %s\n",
                        t_stream, nd / t_stream / 1e6, double(hwm) / 1024.0, eq_stream ? "equal" : "DIFFER");
            std::printf("   GEOS prepared + rtree:   %8.4f s  %8.2f M points/s (1 thread), counts %s\n",
                        t_geos, geos_mps, eq_geos ? "equal" : "DIFFER");
            std::printf("   ratio sitmap/GEOS: %.1f\n", t_geos / t_mem);
            std::string pg_cell = "-", pg_ratio = "-";
            if (auto it = pg.find(spec.key); it != pg.end()) {
                const auto& r = it->second;
                std::uint64_t diff = 0;
                for (std::size_t k = 0; k < std::min(r.count.size(), res.count.size()); ++k)
                    diff += r.count[k] > res.count[k] ? r.count[k] - res.count[k] : res.count[k] - r.count[k];
                std::printf("   PostGIS (GiST, query):   %8.4f s  %8.2f M points/s, counts %s\n", r.query_s,
                            nd / r.query_s / 1e6, diff == 0 && r.count.size() == res.count.size() ? "equal" : "DIFFER");
                std::printf("   ratio sitmap/PostGIS: %.1f\n", r.query_s / t_mem);
                char b[64];
                std::snprintf(b, sizeof b, "%.2f", nd / r.query_s / 1e6);
                pg_cell = b;
                std::snprintf(b, sizeof b, "%.0f", r.query_s / t_mem);
                pg_ratio = b;
            }
            char row[512];
            std::snprintf(row, sizeof row, "| %zu | %s | %zu | %zu | %.1f | %.1f | %.1f, %.0f MB | %.2f | %s | %.1f | %s |\n", n,
                          spec.label.c_str(), regs.size(), vertex_count(regs), mps, nd / t_one / 1e6, nd / t_stream / 1e6,
                          double(hwm) / 1024.0, geos_mps, pg_cell.c_str(), t_geos / t_mem, pg_ratio.c_str());
            summary += row;
            std::fflush(stdout);
        }
    }
    std::printf("\n%s\nsitmap, GEOS and streamed counts %s\n", summary.c_str(), all_equal ? "all equal" : "DIFFER");
    return all_equal ? 0 : 1;
}
