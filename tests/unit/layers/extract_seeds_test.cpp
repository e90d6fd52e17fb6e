// Extracts the five source bulletins (../shared/seeds, read at test time only) and compares the
// records with the curated data/records.csv: precision and recall per field, and of figures with
// the right value, category, period and place together. Skipped when the seeds are absent.
#include "geo/admin1.hpp"
#include "geo/gazetteer.hpp"
#include "geo/geocoder.hpp"
#include "layers/extract.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>

using namespace sitmap;

namespace {

void print(const Comparison& cmp, const char* what) {
    std::printf("%s: field      recall     precision\n", what);
    for (const auto& f : cmp.fields)
        std::printf("  %-10s %5.1f %% (%zu/%zu)  %5.1f %% (%zu/%zu)\n", f.field.c_str(),
                    100 * f.recall(), f.matched, f.curated, 100 * f.precision(), f.correct, f.extracted);
}

} // namespace

TEST_CASE("extract: the five seed bulletins against the curated records", "[extract][seeds]") {
    namespace fs = std::filesystem;
    const std::string seeds = SITMAP_SEEDS_DIR;
    if (!fs::is_directory(seeds)) {
        WARN("seed bulletins not found at " << seeds << "; comparison skipped");
        return;
    }
    const std::string data = SITMAP_DATA_DIR;
    const auto admin1 = Admin1Table::load(data + "/admin1.csv");
    const auto gaz = Gazetteer::load(data + "/gazetteer.csv", admin1);
    const Geocoder geo(gaz);
    const Extractor ex(load_extract_patterns(data + "/patterns"), &geo);
    const auto docs = load_documents(data + "/documents.csv");
    std::vector<ExtractedRecord> all;
    for (const auto& d : docs) {
        const std::string path = seeds + "/" + d.doc_id + ".txt";
        if (!fs::exists(path)) continue;
        ExtractOptions opt;
        opt.date = d.date; // used only when the text states no date of its own
        const auto x = ex.extract_file(path, opt);
        all.insert(all.end(), x.records.begin(), x.records.end());
    }
    const auto curated = load_records({data + "/records.csv"});
    const auto cmp = compare_records(curated, all, &geo);
    print(cmp, "seeds");
    for (const auto& m : cmp.missed) std::printf("  missed   %s\n", m.c_str());
    for (const auto& s : cmp.spurious) std::printf("  spurious %s\n", s.c_str());
    const auto& full = cmp.fields.back();
    CHECK(full.recall() >= 0.95);
    CHECK(full.precision() >= 0.95);
}
