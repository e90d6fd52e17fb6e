#include "layers/where_expr.hpp"

#include <catch2/catch.hpp>

using namespace sitmap;

namespace {

const std::vector<FieldDef> fields = {{"category", FieldType::string, ""},
                                      {"value", FieldType::real, ""},
                                      {"records", FieldType::integer, ""},
                                      {"as_of", FieldType::date, ""},
                                      {"place", FieldType::string, ""}};

Feature row(Value cat, Value value, Value records, Value as_of, Value place) {
    Feature f;
    f.values = {std::move(cat), std::move(value), std::move(records), std::move(as_of),
                std::move(place)};
    return f;
}

const Feature a = row(std::string("returns"), 2338000.0, std::int64_t(3), std::string("2021-12-23"),
                      std::string("Syria"));
const Feature b = row(std::string("facilities"), 14.0, std::int64_t(0), std::string("2018-11-05"),
                      std::string("Daraa province"));
const Feature n = row(Value{}, Value{}, Value{}, Value{}, Value{}); // every value NULL

bool m(const std::string& expr, const Feature& f) {
    return WhereExpr::parse(expr, fields).matches(f);
}

std::size_t error_position(const std::string& expr) {
    try {
        (void)WhereExpr::parse(expr, fields);
    } catch (const WhereError& e) {
        return e.position();
    }
    return 0;
}

} // namespace

TEST_CASE("where: comparisons on text, numbers and dates", "[where]") {
    CHECK(m("category = 'returns'", a));
    CHECK_FALSE(m("category = 'returns'", b));
    CHECK(m("category == 'facilities'", b));
    CHECK(m("category != 'returns'", b));
    CHECK(m("category <> 'returns'", b));
    CHECK(m("value > 1000000", a));
    CHECK(m("value >= 14", b));
    CHECK_FALSE(m("value > 14", b));
    CHECK(m("value <= 14.0", b));
    CHECK(m("value < 1.5e1", b));
    CHECK(m("records = 3", a));
    CHECK(m("records > -1", b));
    CHECK(m("as_of >= '2019-01-01'", a));
    CHECK_FALSE(m("as_of >= '2019-01-01'", b));
    CHECK(m("as_of BETWEEN '2018-01-01' AND '2018-12-31'", b));
    CHECK(m("value NOT BETWEEN 1 AND 10", b));
}

TEST_CASE("where: AND, OR, NOT and precedence", "[where]") {
    // AND binds tighter than OR: true OR (false AND false).
    CHECK(m("category = 'returns' OR value < 0 AND records > 100", a));
    CHECK_FALSE(m("(category = 'returns' OR value < 0) AND records > 100", a));
    CHECK(m("NOT category = 'facilities'", a));
    CHECK(m("NOT NOT category = 'returns'", a));
    CHECK(m("not (value < 1 or records = 0)", a));
    CHECK(m("CaTeGoRy = 'returns' aNd VALUE > 0", a)); // keywords and unquoted fields fold case
    CHECK(m("\"category\" = 'returns'", a));
}

TEST_CASE("where: IN, LIKE and IS NULL", "[where]") {
    CHECK(m("category IN ('returns', 'aid')", a));
    CHECK_FALSE(m("category IN ('returns', 'aid')", b));
    CHECK(m("category NOT IN ('returns', 'aid')", b));
    CHECK(m("records IN (1, 2, 3)", a));
    CHECK(m("place LIKE 'daraa%'", b)); // ASCII case folded
    CHECK(m("place LIKE '%a_a%'", b));
    CHECK_FALSE(m("place LIKE 'Dar'", b));
    CHECK(m("place NOT LIKE 'Dar%'", a));
    CHECK(m("place ILIKE 'SYRIA'", a));
    CHECK(m("place IS NULL", n));
    CHECK(m("place IS NOT NULL", a));
    CHECK(m("place = 'it''s'", row(Value{}, Value{}, Value{}, Value{}, std::string("it's"))));
    CHECK(like_match("al-Tanf", "al-%"));
    CHECK(like_match("", "%"));
    CHECK_FALSE(like_match("", "_"));
    CHECK(like_match("Dar'a", "dar_a"));
    CHECK(like_match("abcabc", "%abc"));
}

TEST_CASE("where: NULL is unknown, as in SQL", "[where]") {
    CHECK_FALSE(m("value = 1", n));
    CHECK_FALSE(m("NOT value = 1", n));
    CHECK_FALSE(m("value NOT IN (1, 2)", n));
    CHECK_FALSE(m("place NOT LIKE 'x'", n));
    CHECK(m("value = 1 OR place IS NULL", n));
    CHECK_FALSE(m("value = 1 AND place IS NULL", n));
    CHECK(m("NOT (value = 1 AND category = 'x')", a)); // false AND unknown... both known here
}

TEST_CASE("where: normalised form", "[where]") {
    CHECK(WhereExpr::parse("category='a' or value>=2 and not place like 'x%'", fields).to_string() ==
          "(category = 'a' OR (value >= 2 AND NOT place LIKE 'x%'))");
    CHECK(WhereExpr::parse("records in (1,2)", fields).fields_used() ==
          std::vector<std::string>{"records"});
}

TEST_CASE("where: errors name the position and the valid fields", "[where]") {
    try {
        (void)WhereExpr::parse("category = 'returns' AND catgory = 'x'", fields);
        FAIL("no error");
    } catch (const WhereError& e) {
        CHECK(e.position() == 26);
        CHECK(std::string(e.what()) ==
              "at character 26: unknown field 'catgory'; valid fields: category, value, records, "
              "as_of, place");
    }
    CHECK(error_position("") == 1);
    CHECK(error_position("category =") == 11);
    CHECK(error_position("category = 'returns") == 12);     // unterminated text
    CHECK(error_position("category = returns") == 12);      // unquoted text value
    CHECK(error_position("value = '3'") == 9);              // text for a number
    CHECK(error_position("category = 3") == 12);            // number for text
    CHECK(error_position("as_of > '2019'") == 9);           // not a date
    CHECK(error_position("(category = 'a'") == 16);         // missing )
    CHECK(error_position("category = 'a' value = 1") == 16); // missing AND/OR
    CHECK(error_position("category IN 'a'") == 13);
    CHECK(error_position("category IN ('a' 'b')") == 18);
    CHECK(error_position("value LIKE '1%'") == 7);
    CHECK(error_position("value = NULL") == 9);
    CHECK(error_position("value ! 3") == 7);
    CHECK(error_position("value = 3x") == 10);
    CHECK(error_position("category ; 1") == 10);
    CHECK(error_position("AND value = 1") == 1);
    CHECK(error_position("value IS 3") == 10);
    CHECK(error_position("value BETWEEN 1 OR 2") == 17);
}
