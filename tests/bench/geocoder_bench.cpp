// Geocoder throughput: exact and fuzzy lookups per second on one core, on the curated
// gazetteer, on GeoNames cities500 (about 200,000 places with their alternate names) and on a
// synthetic gazetteer of 1,000,000 names. Run: build/bench/geocoder_bench
#include "geo/admin1.hpp"
#include "geo/countries.hpp"
#include "geo/gazetteer.hpp"
#include "geo/geocoder.hpp"
#include "geo/geonames.hpp"

#include <benchmark/benchmark.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <random>

using namespace sitmap;

namespace {

struct Corpus {
    Gazetteer gazetteer;
    std::unique_ptr<Geocoder> geocoder;
    std::vector<std::string> exact;  // names as stored
    std::vector<std::string> fuzzy;  // the same names with one letter changed
    double build_seconds = 0;
};

void finish(Corpus& c) {
    const auto t0 = std::chrono::steady_clock::now();
    c.geocoder = std::make_unique<Geocoder>(c.gazetteer);
    c.build_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::mt19937_64 rng(42);
    const auto& places = c.gazetteer.places();
    std::uniform_int_distribution<std::size_t> pick(0, places.size() - 1);
    while (c.exact.size() < 20000) {
        const Place& p = places[pick(rng)];
        const std::string& n = p.name;
        bool ascii = n.size() >= 6;
        for (unsigned char ch : n) ascii = ascii && ch < 0x80 && ch != '\'';
        if (!ascii) continue;
        c.exact.push_back(n);
        std::string f = n;
        // Change one letter in the middle (a typo): the exact and phonetic keys both miss.
        const std::size_t i = 2 + rng() % (f.size() - 3);
        f[i] = f[i] == 'x' ? 'z' : 'x';
        c.fuzzy.push_back(f);
    }
}

Corpus& curated() {
    static Corpus c = [] {
        Corpus x;
        const auto admin1 = Admin1Table::load(SITMAP_DATA_DIR "/admin1.csv");
        x.gazetteer = Gazetteer::load(SITMAP_DATA_DIR "/gazetteer.csv", admin1);
        finish(x);
        return x;
    }();
    return c;
}

Corpus* cities500() {
    static std::unique_ptr<Corpus> c = []() -> std::unique_ptr<Corpus> {
        if (!std::filesystem::exists(SITMAP_CITIES500)) return nullptr;
        auto x = std::make_unique<Corpus>();
        const auto admin1 = Admin1Table::load(SITMAP_DATA_DIR "/admin1.csv");
        const auto codes = CountryCodes::load(SITMAP_DATA_DIR "/countries.csv");
        x->gazetteer = Gazetteer::load(SITMAP_DATA_DIR "/gazetteer.csv", admin1);
        import_geonames(x->gazetteer, SITMAP_CITIES500, admin1, codes);
        finish(*x);
        return x;
    }();
    return c.get();
}

Corpus& synthetic() {
    static Corpus c = [] {
        Corpus x;
        static const char* syll[] = {"tal", "kafr", "deir", "ain", "abu", "umm", "bir", "jab",
                                     "khan", "sha", "hal", "qas", "mar", "ras", "suq", "bab",
                                     "zor", "nah", "rab", "wad", "ham", "kar", "mis", "dur",
                                     "sal", "tay", "hus", "jis", "far", "lat", "mad", "naw"};
        constexpr std::size_t n_syll = sizeof syll / sizeof syll[0];
        std::mt19937_64 rng(7);
        for (std::size_t i = 0; i < 1000000; ++i) {
            Place p;
            p.id = "s";
            p.id += std::to_string(i);
            std::size_t v = i;
            std::string name;
            // A unique base-32 word made of syllables, plus one random syllable.
            do {
                name += syll[v % n_syll];
                v /= n_syll;
            } while (v != 0);
            name += syll[rng() % n_syll];
            name[0] = static_cast<char>(name[0] - 'a' + 'A');
            p.name = name;
            p.kind = Kind::village;
            p.point = {36.0 + static_cast<double>(rng() % 60000) / 10000.0,
                       32.5 + static_cast<double>(rng() % 45000) / 10000.0};
            p.admin1 = "SY-HM";
            p.country = "SYR";
            p.importance = 20;
            p.source = "synthetic";
            x.gazetteer.add(std::move(p));
        }
        finish(x);
        return x;
    }();
    return c;
}

void run(benchmark::State& state, Corpus* c, bool fuzzy) {
    if (c == nullptr) {
        state.SkipWithError("cities500.txt not fetched (scripts/fetch-cities500.sh)");
        return;
    }
    const auto& queries = fuzzy ? c->fuzzy : c->exact;
    std::size_t i = 0, matched = 0;
    for (auto _ : state) {
        auto r = c->geocoder->geocode(queries[i]);
        matched += r.place != nullptr;
        benchmark::DoNotOptimize(r);
        if (++i == queries.size()) i = 0;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    state.counters["names"] = static_cast<double>(c->geocoder->indexed_names());
    state.counters["found_%"] =
        100.0 * static_cast<double>(matched) / static_cast<double>(state.iterations());
    state.counters["index_build_s"] = c->build_seconds;
}

void BM_exact_curated(benchmark::State& s) { run(s, &curated(), false); }
void BM_fuzzy_curated(benchmark::State& s) { run(s, &curated(), true); }
void BM_exact_cities500(benchmark::State& s) { run(s, cities500(), false); }
void BM_fuzzy_cities500(benchmark::State& s) { run(s, cities500(), true); }
void BM_exact_synthetic_1M(benchmark::State& s) { run(s, &synthetic(), false); }
void BM_fuzzy_synthetic_1M(benchmark::State& s) { run(s, &synthetic(), true); }

} // namespace

BENCHMARK(BM_exact_curated);
BENCHMARK(BM_fuzzy_curated);
BENCHMARK(BM_exact_cities500);
BENCHMARK(BM_fuzzy_cities500);
BENCHMARK(BM_exact_synthetic_1M);
BENCHMARK(BM_fuzzy_synthetic_1M);
BENCHMARK_MAIN();
