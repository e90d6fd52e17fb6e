#pragma once
// One pass over a text for every gazetteer name: an Aho-Corasick automaton over folded names
// (lower case, apostrophes dropped, every other non-letter a single space). Matches are whole
// words, leftmost-longest, and start with a capital letter or an article (al-, el-, ...).
#include "geo/gazetteer.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sitmap {

class PlaceScanner {
public:
    explicit PlaceScanner(const Gazetteer& gazetteer);

    struct Hit {
        std::uint32_t b = 0, e = 0; // byte range in the text
        std::uint32_t name = 0;     // index of the matched name
    };
    // Appends the hits in text[b, e) to `out`, in text order, not overlapping.
    void scan(std::string_view text, std::size_t b, std::size_t e, std::vector<Hit>& out) const;
    // Places (gazetteer indices) known by a matched name.
    const std::vector<std::uint32_t>& places_of(std::uint32_t name) const { return names_[name].places; }
    std::size_t states() const { return depth_.size(); }

private:
    static constexpr int kAlpha = 38;
    struct Name {
        std::string folded; // with a space on each side
        std::vector<std::uint32_t> places;
    };
    std::vector<Name> names_;
    std::vector<std::int32_t> delta_;  // state * kAlpha + class -> state
    std::vector<std::int32_t> out_;    // longest name ending in this state, -1 if none
    std::vector<std::uint16_t> depth_;
};

// Folds a name the way the scanner folds text (exposed for tests).
std::string fold_place_name(std::string_view name);

} // namespace sitmap
