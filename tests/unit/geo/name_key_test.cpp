#include "geo/flat_index.hpp"
#include "geo/name_key.hpp"

#include <catch2/catch.hpp>

using sitmap::make_key;

TEST_CASE("Latin names fold case, diacritics, marks and hyphens") {
    CHECK(make_key("Dar‘ā").key == "dara");
    CHECK(make_key("DARAA").key == "daraa");
    CHECK(make_key("Ḩimş").key == "hims");
    CHECK(make_key("Jaydet-Yabus").key == "jaydetyabus");
    CHECK(make_key("Jaydet Yabus").key == make_key("jaydet-yabus").key);
    CHECK(make_key("Ma'arrat al-Nu'man").key == "maarratnuman");
}

TEST_CASE("Articles are dropped, also when assimilated") {
    CHECK(make_key("al-Tanf").key == "tanf");
    CHECK(make_key("At Tanf").key == "tanf");
    CHECK(make_key("Deir ez-Zor").key == "deirzor");
    CHECK(make_key("Deir Ezzor").key == "deirzor");
    CHECK(make_key("Ar-Raqqah").key == make_key("Arraqqah").key);
    // A lone article-like word is a name, not an article.
    CHECK(make_key("Al").key == "al");
}

TEST_CASE("Kind words leave the key and become hints") {
    auto k = make_key("Homs province");
    CHECK(k.key == "homs");
    CHECK((k.hint & sitmap::hint_governorate) != 0);
    auto c = make_key("the Nasib CP");
    CHECK(c.key == "nasib");
    CHECK((c.hint & sitmap::hint_crossing) != 0);
    auto r = make_key("Rukban refugee camp");
    CHECK(r.key == "rukban");
    CHECK((r.hint & sitmap::hint_camp) != 0);
    // A name made only of a kind word keeps it.
    CHECK(make_key("Camp").key == "camp");
}

TEST_CASE("Phonetic keys meet across transliterations") {
    CHECK(make_key("Deir ez-Zor").phonetic == make_key("Dayr az Zawr").phonetic);
    CHECK(make_key("Homs").phonetic == make_key("Hims").phonetic);
    CHECK(make_key("Hama").phonetic == make_key("Hamah").phonetic);
    CHECK(make_key("Raqqa").phonetic == make_key("Rakka").phonetic);
    // One vowel apart: left to the fuzzy stage (edit distance 1).
    CHECK(sitmap::bounded_edit_distance(make_key("Quneitra").phonetic,
                                        make_key("Qunaytirah").phonetic, 2) == 1);
    CHECK(make_key("Idlib").phonetic == make_key("Edleb").phonetic);
    CHECK(make_key("Douma").phonetic == make_key("Duma").phonetic);
    CHECK(make_key("Qamishli").phonetic == make_key("Kamishly").phonetic);
    CHECK(make_key("Daraa").phonetic != make_key("Dur").phonetic);
}

TEST_CASE("Arabic script folds alef, taa marbuta, yaa and the article") {
    auto a = make_key("إدلب");
    auto b = make_key("ادلب");
    CHECK(a.arabic);
    CHECK(a.key == b.key);
    CHECK(make_key("حماة").key == make_key("حماه").key);
    CHECK(make_key("الرقة").key == make_key("رقه").key);
    CHECK(make_key("دير الزور").key == make_key("دير  الزّور").key);
    auto camp = make_key("مخيم الركبان");
    CHECK(camp.key == make_key("الركبان").key);
    CHECK((camp.hint & sitmap::hint_camp) != 0);
    CHECK(make_key("درعا").key != make_key("دمشق").key);
}
