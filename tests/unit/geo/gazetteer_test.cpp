// The curated gazetteer (data/gazetteer.csv) and the geocoder over it: coverage, codes,
// coordinates, and every place name of the five source bulletins.
#include "geo/admin1.hpp"
#include "geo/csv.hpp"
#include "geo/gazetteer.hpp"
#include "geo/geocoder.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <set>

using namespace sitmap;

namespace {

const Admin1Table& admin1() {
    static const Admin1Table t = Admin1Table::load(SITMAP_DATA_DIR "/admin1.csv");
    return t;
}

const Gazetteer& gazetteer() {
    static const Gazetteer g = Gazetteer::load(SITMAP_DATA_DIR "/gazetteer.csv", admin1());
    return g;
}

const Geocoder& geocoder() {
    static const Geocoder gc(gazetteer());
    return gc;
}

struct Expectation {
    std::string query, expected_id, admin1_hint;
    std::size_t line;
};

std::vector<Expectation> read_expectations(const std::string& path) {
    CsvReader csv(path);
    const auto q = csv.require("query"), id = csv.require("expected_id");
    const auto hint = csv.column("admin1_hint");
    std::vector<Expectation> out;
    std::vector<std::string> row;
    while (csv.next(row)) out.push_back({row[q], row[id], hint ? row[*hint] : "", csv.line()});
    return out;
}

} // namespace

TEST_CASE("The 14 governorates are there, keyed by ISO 3166-2 with OCHA p-codes") {
    std::set<std::string> iso, pcodes;
    for (const Place& p : gazetteer().places()) {
        if (p.kind != Kind::governorate) continue;
        iso.insert(p.admin1);
        pcodes.insert(p.admin1_pcode);
        CHECK(admin1().by_iso(p.admin1)->ocha_pcode == p.admin1_pcode);
    }
    CHECK(iso.size() == 14);
    CHECK(pcodes.size() == 14);
    // The FIPS trap: Natural Earth's SY01 is al-Hasakah, OCHA's SY01 is Damascus.
    CHECK(admin1().by_fips("SY01")->iso == "SY-HA");
    CHECK(admin1().by_pcode("SY01")->iso == "SY-DI");
}

TEST_CASE("Every entry is complete and Syrian places lie in Syria") {
    std::map<Kind, int> kinds;
    for (const Place& p : gazetteer().places()) {
        INFO(p.id);
        ++kinds[p.kind];
        CHECK(!p.source.empty());
        CHECK(p.country.size() == 3);
        if (p.country == "SYR" && p.kind != Kind::country) {
            CHECK(!p.admin1.empty());
            // Syria's bounding box (Natural Earth admin-0), with a margin for border posts.
            CHECK(p.point.lon > 35.6);
            CHECK(p.point.lon < 42.4);
            CHECK(p.point.lat > 32.3);
            CHECK(p.point.lat < 37.4);
        }
    }
    CHECK(kinds[Kind::governorate] == 14);
    CHECK(kinds[Kind::border_crossing] >= 15);
    CHECK(kinds[Kind::camp] >= 5);
    CHECK(kinds[Kind::country] >= 6);
    CHECK(kinds[Kind::military_base] >= 1);
}

TEST_CASE("Capitals sit where references put them") {
    // Reference coordinates (GeoNames); tolerance 3 km.
    const struct {
        const char* query;
        double lon, lat;
    } refs[] = {{"Damascus", 36.29128, 33.5102}, {"Aleppo", 37.16117, 36.20124},
                {"Homs", 36.72339, 34.72682},    {"Daraa", 36.10213, 32.61889},
                {"Deir ez-Zor", 40.14083, 35.33588}, {"Amman", 35.94503, 31.95522},
                {"Beirut", 35.49442, 33.89332}};
    for (const auto& r : refs) {
        INFO(r.query);
        auto g = geocoder().geocode(r.query);
        REQUIRE(g.place != nullptr);
        CHECK(std::abs(g.place->point.lon - r.lon) < 0.03);
        CHECK(std::abs(g.place->point.lat - r.lat) < 0.03);
    }
}

TEST_CASE("Every place name in the five bulletins resolves to its entry") {
    const auto expected = read_expectations(SITMAP_TEST_DATA "/geocode_bulletin_places.csv");
    REQUIRE(expected.size() >= 100);
    std::size_t unresolved_expected = 0;
    for (const auto& e : expected) {
        INFO("line " << e.line << ": '" << e.query << "' expected '" << e.expected_id << "'");
        GeocodeContext ctx;
        ctx.admin1 = e.admin1_hint;
        const auto r = geocoder().geocode(e.query, ctx);
        if (e.expected_id.empty()) {
            // Names the gazetteer does not hold must be reported, not guessed.
            ++unresolved_expected;
            CHECK(r.status == MatchStatus::unresolved);
            continue;
        }
        REQUIRE(gazetteer().find_id(e.expected_id) != nullptr);
        CHECK(r.status == MatchStatus::matched);
        CHECK((r.place ? r.place->id : std::string("(none)")) == e.expected_id);
    }
    CHECK(unresolved_expected <= 3);
}

TEST_CASE("Other spellings and Arabic script resolve; made-up and foreign names do not") {
    const auto variants = read_expectations(SITMAP_TEST_DATA "/geocode_variants.csv");
    std::size_t resolvable = 0, unknown = 0;
    for (const auto& e : variants) {
        INFO("line " << e.line << ": '" << e.query << "' expected '" << e.expected_id << "'");
        const auto r = geocoder().geocode(e.query);
        if (e.expected_id.empty()) {
            ++unknown;
            CHECK(r.status == MatchStatus::unresolved);
            CHECK(r.place == nullptr);
        } else {
            ++resolvable;
            CHECK(r.status == MatchStatus::matched);
            CHECK((r.place ? r.place->id : std::string("(none)")) == e.expected_id);
        }
    }
    CHECK(resolvable >= 40);
    CHECK(unknown >= 10);
}

TEST_CASE("Spellings that are in no entry resolve through folding alone") {
    // Each query here is, even case-folded, none of the gazetteer's names: it resolves only
    // through diacritic, article, kind-word, phonetic or fuzzy folding.
    std::set<std::string> literal;
    for (const Place& p : gazetteer().places())
        for (auto n : p.all_names()) {
            std::string s(n);
            for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            literal.insert(s);
        }
    const auto spellings = read_expectations(SITMAP_TEST_DATA "/geocode_spellings.csv");
    CHECK(spellings.size() >= 40);
    std::size_t arabic = 0;
    for (const auto& e : spellings) {
        INFO("line " << e.line << ": '" << e.query << "' expected '" << e.expected_id << "'");
        std::string lower = e.query;
        for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        CHECK(literal.count(lower) == 0);
        arabic += static_cast<unsigned char>(e.query[0]) >= 0xD8;
        const auto r = geocoder().geocode(e.query);
        CHECK(r.status == MatchStatus::matched);
        CHECK((r.place ? r.place->id : std::string("(none)")) == e.expected_id);
    }
    CHECK(arabic >= 5);
}
