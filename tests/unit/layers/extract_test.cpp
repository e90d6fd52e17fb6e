// The extractor on the project's own sample bulletins (tests/data/bulletins: six layouts, each
// with its expected records as CSV) and on bad input.
#include "geo/admin1.hpp"
#include "geo/error.hpp"
#include "geo/gazetteer.hpp"
#include "geo/geocoder.hpp"
#include "layers/extract.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>

using namespace sitmap;

namespace {

struct Fixture {
    Admin1Table admin1 = Admin1Table::load(std::string(SITMAP_DATA_DIR) + "/admin1.csv");
    Gazetteer gaz = Gazetteer::load(std::string(SITMAP_DATA_DIR) + "/gazetteer.csv", admin1);
    Geocoder geo{gaz};
    Extractor ex{load_extract_patterns(std::string(SITMAP_DATA_DIR) + "/patterns"), &geo};
};

Fixture& fx() {
    static Fixture f;
    return f;
}

} // namespace

TEST_CASE("extract: the sample bulletins against their expected records", "[extract][samples]") {
    namespace fs = std::filesystem;
    const std::string dir = std::string(SITMAP_TEST_DATA) + "/bulletins";
    std::vector<ExtractedRecord> all;
    std::vector<std::string> expected_files;
    std::size_t n = 0;
    for (const auto& e : fs::directory_iterator(dir)) {
        if (e.path().extension() != ".txt") continue;
        ++n;
        const auto x = fx().ex.extract_file(e.path().string(), {});
        all.insert(all.end(), x.records.begin(), x.records.end());
        expected_files.push_back(e.path().parent_path().string() + "/" + e.path().stem().string() + ".csv");
    }
    REQUIRE(n >= 6);
    const auto expected = load_records(expected_files);
    const auto cmp = compare_records(expected, all, &fx().geo);
    std::printf("samples: field      recall     precision\n");
    for (const auto& f : cmp.fields)
        std::printf("  %-10s %5.1f %% (%zu/%zu)  %5.1f %% (%zu/%zu)\n", f.field.c_str(), 100 * f.recall(),
                    f.matched, f.curated, 100 * f.precision(), f.correct, f.extracted);
    for (const auto& m : cmp.missed) std::printf("  missed   %s\n", m.c_str());
    for (const auto& s : cmp.spurious) std::printf("  spurious %s\n", s.c_str());
    CHECK(cmp.fields.back().recall() >= 0.90);
    CHECK(cmp.fields.back().precision() >= 0.90);
}

TEST_CASE("extract: numbers, qualifiers and periods", "[extract]") {
    ExtractOptions opt;
    opt.date = "2019-03-01";
    const auto x = fx().ex.extract(
        "Over the past month, more than 3,900 people returned. It is reported that 2.357 Syrians "
        "returned back to Homs province. Its capacity is 1,250 people and 50 vehicles per day.\n",
        "t", opt);
    REQUIRE(x.records.size() == 4);
    CHECK(x.records[0].record.qualifier == "more_than");
    CHECK(*x.records[0].record.value_low == 3900);
    CHECK(x.records[0].record.period == "month");
    CHECK(x.records[0].record.period_start == "2019-02-02");
    CHECK(*x.records[1].record.value == 2357);
    CHECK(x.records[1].record.place == "Homs province");
    CHECK(x.records[2].record.category == "capacity");
    CHECK(x.records[3].record.unit == "vehicles");
    CHECK(x.records[3].record.period == "day");
}

TEST_CASE("extract: bad input never crashes", "[extract][bad]") {
    ExtractOptions opt;
    CHECK(fx().ex.extract("", "e", opt).reason == "empty file");
    CHECK(fx().ex.extract("The committee met and discussed the situation.\n", "n", opt).reason ==
          "no figures found");
    CHECK_THROWS_AS(fx().ex.extract(std::string("abc\0def", 7), "b", opt), InputError);
    CHECK_THROWS_AS(fx().ex.extract("line one\nbad \xff byte\n", "u", opt), InputError);
    try {
        fx().ex.extract("line one\nbad \xff byte\n", "u", opt, "u.txt");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find("on line 2") != std::string::npos);
    }
    std::string big;
    big.reserve(50u << 20); // 50 MB on one line
    while (big.size() < (50u << 20)) big += "returns 12 people went home and ";
    const auto x = fx().ex.extract(big, "big", opt);
    CHECK(!x.records.empty());
}

TEST_CASE("extract: a figure repeated across bulletins merges into one claim", "[extract][merge]") {
    ExtractOptions opt;
    opt.date = "2024-03-14";
    const std::string text = "Over the past day, 1,240 people returned to Homs province.\n";
    std::vector<Extraction> docs = {fx().ex.extract(text, "a", opt), fx().ex.extract(text, "b", opt),
                                    fx().ex.extract("Over the past day, 75 people returned to Homs province.\n", "c", opt)};
    REQUIRE(docs[0].records.size() == 1);
    const auto merged = merge_repeated(docs);
    REQUIRE(merged.size() == 2);
    CHECK(merged[0].record.doc_id == "a");
    REQUIRE(merged[0].also_in.size() == 1);
    CHECK(merged[0].also_in[0].rfind("b:", 0) == 0); // the other source's locator
    CHECK(merged[1].also_in.empty());
    CHECK(extracted_csv(merged).find(merged[0].also_in[0]) != std::string::npos);
    // A different date is a different claim.
    opt.date = "2024-03-15";
    docs[1] = fx().ex.extract(text, "b", opt);
    CHECK(merge_repeated(docs).size() == 3);
}

TEST_CASE("extract: the section's governorate as context, relative locations", "[extract][context]") {
    const auto x = fx().ex.extract_file(std::string(SITMAP_TEST_DATA) + "/bulletins/s7_relative.txt", {});
    REQUIRE(x.records.size() == 3);
    // "Saida" after "In Daraa province": the town in Daraa, not Sidon in Lebanon.
    CHECK(x.records[0].record.place == "Saida");
    CHECK(x.records[0].place_id == "saida-daraa");
    CHECK(x.records[0].relation.empty());
    // "20 km east of Daraa": Daraa is the anchor; the precision is coarser than Daraa's own.
    CHECK(x.records[1].record.place == "Daraa");
    CHECK(x.records[1].relation == "20 km east of");
    CHECK(x.records[1].precision == "district");
    // "Near the Nasib crossing": the crossing is the anchor, relation "near".
    CHECK(x.records[2].place_id == "nasib-crossing");
    CHECK(x.records[2].relation == "near");
    CHECK(x.records[2].precision == "settlement");
}
