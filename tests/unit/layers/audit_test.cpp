#include "layers/atlas.hpp"
#include "layers/audit.hpp"
#include "tests/unit/support/embedded_atlas.hpp"
#include "tools/data_paths.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace sitmap;

namespace {

const testing::EmbeddedAtlas& built() { return testing::embedded_atlas(); }

// The audit rows (not "ok") of a rule that name all these records.
bool finds(const std::string& rule, std::set<std::string> ids, const std::string& severity = "") {
    const Layer& a = built().atlas.layer("audit");
    const auto r = a.field_index("rule"), s = a.field_index("severity"),
               rec = a.field_index("record_ids");
    for (const auto& f : a.features) {
        if (std::get<std::string>(f.values[r]) != rule) continue;
        const auto sev = std::get<std::string>(f.values[s]);
        if (sev == "ok" || (!severity.empty() && sev != severity)) continue;
        const std::string list = "|" + std::get<std::string>(f.values[rec]) + "|";
        bool all = true;
        for (const auto& id : ids) all = all && list.find("|" + id + "|") != std::string::npos;
        if (all) return true;
    }
    return false;
}

} // namespace

TEST_CASE("the audit finds the known inconsistencies of the records", "[audit]") {
    // 001: the daily breakdown repeats the weekly figures (5,241 from abroad; 1,787 IDPs).
    CHECK(finds("two_periods", {"001-0065", "001-0068", "001-0006"}, "inconsistent"));
    CHECK(finds("two_periods", {"001-0071", "001-0005"}, "inconsistent"));
    // 003: weekly IDP returns 2,357 against 366 + 1,721; the gap is the 270 via Jleb.
    CHECK(finds("places", {"003-0025", "003-0026", "003-0027", "003-0030"}, "inconsistent"));
    // 003: the Rukban survey's destinations sum to 33,900, not 35,500.
    CHECK(finds("split", {"003-0015", "003-0016", "003-0017", "003-0018", "003-0019"},
                "inconsistent"));
    // 003: those who want to leave Rukban: 35,500 and 40,000; 40,000 is the whole population.
    CHECK(finds("two_figures", {"003-0015", "003-0034"}, "inconsistent"));
    CHECK(finds("population", {"003-0034", "003-0020"}));
    // 003: the exact national total agrees with its split only through "over 375,000".
    CHECK(finds("split", {"003-0001", "003-0002", "003-0003"}, "note"));
    // 001: the Lebanese pledge, "some" and "at least" 200,000.
    CHECK(finds("qualified", {"001-0007", "001-0096"}));
    // 000 and 004: the same series from different starting points (001 already at 1.5 M).
    CHECK(finds("series", {"000-0001", "004-0001", "001-0001"}));
    // 001: the Rukban convoy's 450 t itemised only as 400 t.
    CHECK(finds("itemised", {"001-0080", "001-0081", "001-0082"}, "note"));
}

TEST_CASE("the audit passes the checks that add up", "[audit]") {
    CHECK_FALSE(finds("split", {"002-0001", "002-0002", "002-0003"}));
    CHECK_FALSE(finds("split", {"001-0001", "001-0002", "001-0003"}));
    CHECK_FALSE(finds("split", {"000-0001", "000-0002", "000-0003"}));
    CHECK_FALSE(finds("split", {"003-0004", "003-0005", "003-0006"}));
    CHECK_FALSE(finds("subsets", {}));
    CHECK_FALSE(finds("dates", {}));
    CHECK(built().atlas.audit_findings == 10);
}

TEST_CASE("every record is in exactly one record layer", "[atlas]") {
    std::size_t n = 0;
    for (const char* l : {"returns", "intended_returns", "camp_population", "facilities",
                          "other_figures"})
        n += built().atlas.layer(l).features.size();
    CHECK(n == 148);
    CHECK(built().atlas.layer("regions").features.size() == 14);
    CHECK(built().atlas.layer("zones").features.size() == 1);
}

TEST_CASE("records are located by the place, not by the word", "[atlas]") {
    const Layer& r = built().atlas.layer("returns");
    const auto id = r.field_index("record_id"), adm = r.field_index("admin1"),
               prec = r.field_index("precision");
    for (const auto& f : r.features) {
        const auto rid = std::get<std::string>(f.values[id]);
        if (rid == "001-0072" || rid == "003-0026") { // "Eastern Ghouta (Damascus province)"
            CHECK(std::get<std::string>(f.values[adm]) == "SY-RD");
            CHECK(std::get<std::string>(f.values[prec]) == "district");
        }
        if (rid == "002-0001") CHECK(std::get<std::string>(f.values[prec]) == "country");
    }
    const Layer& fac = built().atlas.layer("facilities");
    const auto fid = fac.field_index("record_id"), fprec = fac.field_index("precision"),
               fadm = fac.field_index("admin1");
    for (const auto& f : fac.features)
        if (std::get<std::string>(f.values[fid]) == "001-0056") { // Daraa province schools
            CHECK(std::get<std::string>(f.values[fprec]) == "governorate");
            CHECK(std::get<std::string>(f.values[fadm]) == "SY-DR");
            REQUIRE(f.geometry);
        }
}
