#include "geo/error.hpp"
#include "layers/records.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <map>

using namespace sitmap;

TEST_CASE("the curated records load and validate", "[records]") {
    const auto recs = load_records({std::string(SITMAP_DATA_DIR) + "/records.csv"});
    REQUIRE(recs.size() == 148);
    std::map<std::string, int> per;
    for (const auto& r : recs) ++per[r.category];
    CHECK(per["facilities"] == 45);
    CHECK(per["returns"] == 40);
    CHECK(per["other"] == 31);
    CHECK(per["aid"] == 19);
    CHECK(per["intended_returns"] == 9);
    CHECK(per["camp_population"] == 2);
    CHECK(per["capacity"] == 2);
    const auto it = std::find_if(recs.begin(), recs.end(),
                                 [](const Record& r) { return r.record_id == "002-0001"; });
    REQUIRE(it != recs.end());
    CHECK(*it->value == 2098102);
    CHECK(it->value_text() == "2098102");
    CHECK(it->line == 111); // physical line (notes span lines)
}

TEST_CASE("a bad record names its file and line", "[records]") {
    const std::string path = std::string(SITMAP_TEST_DATA) + "/atlas/bad_category.csv";
    try {
        load_records({path});
        FAIL("no error");
    } catch (const InputError& e) {
        CHECK(e.line() == 3);
        CHECK(std::string(e.what()).find("unknown category 'retruns'") != std::string::npos);
        CHECK(std::string(e.what()).find("bad_category.csv") != std::string::npos);
    }
}

TEST_CASE("a record id used twice across files is an error", "[records]") {
    const std::string path = std::string(SITMAP_TEST_DATA) + "/atlas/small_records.csv";
    CHECK(load_records({path}).size() == 7);
    CHECK_THROWS_AS(load_records({path, path}), InputError);
}

TEST_CASE("dates and lists", "[records]") {
    CHECK(is_iso_date("2020-02-29"));
    CHECK_FALSE(is_iso_date("2019-02-29"));
    CHECK_FALSE(is_iso_date("2020/02/12"));
    CHECK(split_names("Jaydet-Yabus|Talkalakh") ==
          std::vector<std::string>{"Jaydet-Yabus", "Talkalakh"});
    CHECK(split_names("").empty());
}
