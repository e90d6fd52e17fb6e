// Geocoder behaviour on a small fixture gazetteer: ranking, context, ambiguity, kinds.
#include "geo/admin1.hpp"
#include "geo/gazetteer.hpp"
#include "geo/geocoder.hpp"

#include <catch2/catch.hpp>

using namespace sitmap;

namespace {

const Gazetteer& fixture() {
    static const Admin1Table admin1 = Admin1Table::load(SITMAP_DATA_DIR "/admin1.csv");
    static const Gazetteer g =
        Gazetteer::load(SITMAP_TEST_DATA "/geocoder/small_gazetteer.csv", admin1);
    return g;
}

std::string id_of(const GeocodeResult& r) { return r.place ? r.place->id : ""; }

} // namespace

TEST_CASE("Exact and folded names match with full score") {
    Geocoder gc(fixture());
    auto r = gc.geocode("Daraa");
    CHECK(r.status == MatchStatus::matched);
    CHECK(id_of(r) == "daraa");
    CHECK(r.score == Approx(1.0));
    CHECK(r.precision == Precision::settlement);
    CHECK(id_of(gc.geocode("DAR‘A")) == "daraa");
    CHECK(id_of(gc.geocode("درعا")) == "daraa");
}

TEST_CASE("Transliteration variants and typos resolve through phonetic and fuzzy keys") {
    Geocoder gc(fixture());
    auto a = gc.geocode("Dayr al-Zur");
    CHECK(a.status == MatchStatus::matched);
    CHECK(id_of(a) == "deir-ez-zor");
    CHECK(a.score < 1.0);
    auto b = gc.geocode("Jdeidat Yabus");
    CHECK(b.status == MatchStatus::matched);
    CHECK(id_of(b) == "jaydet-yabus-crossing");
    CHECK(b.precision == Precision::point);
    CHECK(id_of(gc.geocode("Rokban")) == "rukban-camp");
}

TEST_CASE("A bare name is the settlement; a kind word picks the governorate") {
    Geocoder gc(fixture());
    auto city = gc.geocode("Homs");
    CHECK(city.status == MatchStatus::matched);
    CHECK(id_of(city) == "homs");
    auto gov = gc.geocode("Homs province");
    CHECK(gov.status == MatchStatus::matched);
    CHECK(id_of(gov) == "homs-governorate");
    CHECK(gov.precision == Precision::governorate);
}

TEST_CASE("Places of one name close together are one answer, the more important first") {
    Geocoder gc(fixture());
    auto r = gc.geocode("Nasib");
    CHECK(r.status == MatchStatus::matched);
    CHECK(id_of(r) == "nasib-crossing");
    CHECK(id_of(gc.geocode("the Nasib CP")) == "nasib-crossing");
}

TEST_CASE("Far-apart places of one name are ambiguous until context decides") {
    Geocoder gc(fixture());
    auto r = gc.geocode("Saida");
    CHECK(r.status == MatchStatus::ambiguous);
    CHECK(r.candidates.size() >= 2);
    GeocodeContext daraa;
    daraa.admin1 = "SY-DR";
    auto d = gc.geocode("Saida", daraa);
    CHECK(d.status == MatchStatus::matched);
    CHECK(id_of(d) == "saida-daraa");
    GeocodeContext near_beirut;
    near_beirut.near = LonLat{35.5018, 33.8938};
    auto s = gc.geocode("Saida", near_beirut);
    CHECK(s.status == MatchStatus::matched);
    CHECK(id_of(s) == "sidon");
}

TEST_CASE("Unknown names are unresolved, with no place") {
    Geocoder gc(fixture());
    for (const char* q : {"Springfield", "Qwertyville", "Xanadu", "Zz", "12345"}) {
        auto r = gc.geocode(q);
        INFO(q);
        CHECK(r.status == MatchStatus::unresolved);
        CHECK(r.place == nullptr);
        CHECK(r.score == 0.0);
        CHECK(r.precision == Precision::unresolved);
    }
    CHECK(gc.geocode("").status == MatchStatus::unresolved);
    CHECK(gc.geocode(" - ").status == MatchStatus::unresolved);
}
