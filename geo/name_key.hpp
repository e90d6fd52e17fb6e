#pragma once
// Keys under which place names are indexed and looked up.
//
// Latin-script names are folded the way Arabic names vary in transliteration: case and
// diacritics (ICU), ʿayn/hamza marks and apostrophes, the article (al-, el-, as-, ad-, ...,
// also assimilated forms such as "Ezzor"), hyphens and spaces. Words naming a kind of place
// ("province", "camp", "crossing", "CP", ...) are removed from the key and returned as a hint.
// Arabic-script names are folded on alef, taa marbuta, yaa and hamza forms, harakat and tatweel,
// and the article ال.
//
// Two keys come out: `key` (exact after folding) and `phonetic` (coarser: consonant classes
// q/k/c, dh/z, kh/k, sh/ch/s ..., every run of vowels as one 'a', doubled letters collapsed,
// a final h after a vowel dropped), so "Deir ez-Zor", "Dayr az Zawr" and "Deir Ezzor" meet.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sitmap {

// What the words of a name say about the kind of place (bit set).
enum KindHint : std::uint32_t {
    hint_none = 0,
    hint_governorate = 1u << 0,
    hint_settlement = 1u << 1,
    hint_camp = 1u << 2,
    hint_crossing = 1u << 3,
    hint_base = 1u << 4,
    hint_area = 1u << 5,
    hint_district = 1u << 6,
    hint_facility = 1u << 7,
};

struct NameKey {
    std::string key;      // folded tokens, joined without separators; empty if nothing to index
    std::string phonetic; // coarser key for transliteration variants
    std::uint32_t hint = hint_none;
    bool arabic = false;  // Arabic-script key (letters encoded one byte each)
};

// Folds a name into its keys. Never throws; invalid UTF-8 bytes are skipped.
// With with_phonetic false, `phonetic` stays empty (cheaper, for exact look-ups).
NameKey make_key(std::string_view name, bool with_phonetic = true);
// The phonetic key of a name, as make_key(name).phonetic.
std::string phonetic_key(std::string_view name);

// The folded tokens of a Latin name, articles kept, for inspection and tests ("deir ez zor").
std::vector<std::string> fold_tokens(std::string_view name);

} // namespace sitmap
