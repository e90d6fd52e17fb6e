// Extractor throughput on one core, in MB of bulletin text per second. The corpus repeats the
// project's sample bulletins (and the seed bulletins when ../shared/seeds is there) with their
// figures varied, up to SITMAP_BENCH_EXTRACT_MB (default 100) MB, one bulletin per extract()
// call as `sitmap extract` does. A second case is one long line (the worst layout).
// Run: build/bench/extract_bench
#include "geo/admin1.hpp"
#include "geo/gazetteer.hpp"
#include "geo/geocoder.hpp"
#include "layers/extract.hpp"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

using namespace sitmap;

namespace {

#ifndef SITMAP_DATA_DIR
#define SITMAP_DATA_DIR SITMAP_TEST_DATA "/../../data"
#endif

struct Setup {
    Admin1Table admin1 = Admin1Table::load(std::string(SITMAP_DATA_DIR) + "/admin1.csv");
    Gazetteer gaz = Gazetteer::load(std::string(SITMAP_DATA_DIR) + "/gazetteer.csv", admin1);
    Geocoder geo{gaz};
    Extractor ex{load_extract_patterns(std::string(SITMAP_DATA_DIR) + "/patterns"), &geo};
    std::vector<std::string> docs;
    std::size_t bytes = 0;
};

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Copy number `k` of a bulletin: every run of digits that is not a year gets its digits rotated
// by k, so figures differ from copy to copy while the layout stays the same.
std::string vary(const std::string& text, unsigned k) {
    std::string out = text;
    std::size_t i = 0;
    while (i < out.size()) {
        if (out[i] < '0' || out[i] > '9') { ++i; continue; }
        std::size_t j = i;
        while (j < out.size() && out[j] >= '0' && out[j] <= '9') ++j;
        if (j - i != 4)
            for (std::size_t q = i; q < j; ++q) out[q] = static_cast<char>('0' + (out[q] - '0' + k) % 10);
        i = j;
    }
    return out;
}

Setup& setup() {
    static Setup st;
    static bool ready = [] {
        namespace fs = std::filesystem;
        std::vector<std::string> base;
        for (const auto& e : fs::directory_iterator(std::string(SITMAP_TEST_DATA) + "/bulletins"))
            if (e.path().extension() == ".txt") base.push_back(slurp(e.path()));
        const fs::path seeds = fs::path(SITMAP_TEST_DATA) / "../../../shared/seeds";
        if (fs::is_directory(seeds))
            for (const auto& e : fs::directory_iterator(seeds))
                if (e.path().extension() == ".txt") base.push_back(slurp(e.path()));
        std::size_t mb = 100;
        if (const char* env = std::getenv("SITMAP_BENCH_EXTRACT_MB")) mb = std::strtoul(env, nullptr, 10);
        const std::size_t target = mb << 20;
        for (unsigned k = 0; st.bytes < target; ++k)
            for (const auto& b : base) {
                st.docs.push_back(vary(b, k % 10 == 0 ? 0 : k));
                st.bytes += st.docs.back().size();
                if (st.bytes >= target) break;
            }
        return true;
    }();
    (void)ready;
    return st;
}

void BM_ExtractCorpus(benchmark::State& state) {
    auto& s = setup();
    const ExtractOptions opt;
    std::size_t records = 0;
    for (auto _ : state) {
        records = 0;
        for (std::size_t i = 0; i < s.docs.size(); ++i)
            records += s.ex.extract(s.docs[i], "d" + std::to_string(i), opt).records.size();
        benchmark::DoNotOptimize(records);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * s.bytes));
    state.counters["docs"] = static_cast<double>(s.docs.size());
    state.counters["records"] = static_cast<double>(records);
}
BENCHMARK(BM_ExtractCorpus)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ExtractOneLongLine(benchmark::State& state) {
    auto& s = setup();
    std::string line;
    while (line.size() < (16u << 20)) line += "returns 12 people went home and ";
    const ExtractOptions opt;
    for (auto _ : state) benchmark::DoNotOptimize(s.ex.extract(line, "line", opt).records.size());
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * line.size()));
}
BENCHMARK(BM_ExtractOneLongLine)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace

BENCHMARK_MAIN();
