#pragma once
// The geocoder: place name -> gazetteer entry, with how sure it is.
//
// A query is folded into keys (geo/name_key.hpp) and looked up: exact key first, then the
// phonetic key, then fuzzy on the phonetic key (edit distance 1, or 2 for long names, through a
// deletion index). Candidates are ranked by match quality, the kind words of the query
// ("province", "camp", "crossing"), context (an admin1 hint, a point to be near) and importance.
// The answer is `matched` only when one place clearly wins; several far-apart places scoring
// alike give `ambiguous`, and a weak best match is `ambiguous` too, never a confident guess.
#include "geo/flat_index.hpp"
#include "geo/gazetteer.hpp"
#include "geo/place.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sitmap {

enum class MatchStatus : std::uint8_t { matched, ambiguous, unresolved };
std::string_view to_string(MatchStatus s);

struct GeocodeContext {
    std::string admin1;          // ISO 3166-2:SY hint, e.g. "SY-DR" for a Daraa bulletin
    std::optional<LonLat> near;  // prefer places near this point
};

struct Candidate {
    std::uint32_t place = 0;     // index into the gazetteer
    double score = 0;            // final score (match quality adjusted by context)
    std::uint32_t name = 0;      // the geocoder's entry for the best-matching name
};

struct GeocodeResult {
    std::string query;
    MatchStatus status = MatchStatus::unresolved;
    double score = 0;                  // best candidate's score in [0, 1]; 0 when unresolved
    const Place* place = nullptr;      // best candidate; null when unresolved
    Precision precision = Precision::unresolved;
    std::vector<Candidate> candidates; // best first, at most 5
};

class Geocoder {
public:
    // Scores below `unresolved_below` give no answer; a best score below `matched_from`, or a
    // rival within `ambiguity_margin` more than `same_place_km` away, gives `ambiguous`.
    struct Thresholds {
        double matched_from = 0.85;
        double unresolved_below = 0.80;
        double ambiguity_margin = 0.05;
        double same_place_km = 25.0;
    };

    explicit Geocoder(const Gazetteer& gazetteer) : Geocoder(gazetteer, Thresholds{}) {}
    Geocoder(const Gazetteer& gazetteer, Thresholds t);

    GeocodeResult geocode(std::string_view query, const GeocodeContext& ctx = {}) const;

    const Gazetteer& gazetteer() const { return gaz_; }
    std::size_t indexed_names() const { return names_.size(); }

private:
    // What ranking reads of each place, packed (one cache line holds four places).
    struct PlaceInfo {
        double lon, lat;
        Kind kind;
        std::uint8_t importance;
        std::uint16_t admin1;  // index into admin1_codes_, 0 = none
        std::uint16_t country; // index into country_codes_
    };
    struct Name {
        std::uint32_t place;
        std::uint32_t key_off;
        std::uint32_t ph_off;
        std::uint16_t key_len;
        std::uint16_t ph_len;
        std::uint32_t hint;   // kind words the indexed name carried ("Nasib crossing")
        PlaceInfo info;       // a copy of the place's ranking data, read with the name
    };
    std::string_view key_of(const Name& n) const { return {arena_.data() + n.key_off, n.key_len}; }
    std::string_view ph_of(const Name& n) const { return {arena_.data() + n.ph_off, n.ph_len}; }

    std::uint16_t code_index(std::vector<std::string>& codes, const std::string& code);
    bool is_container(const PlaceInfo& c, const PlaceInfo& top) const;

    const Gazetteer& gaz_;
    Thresholds t_;
    std::vector<std::string> admin1_codes_{""};
    std::vector<std::string> country_codes_{""};
    std::vector<Name> names_;
    std::string arena_;
    // Distinct phonetic keys; names_ is grouped by them: key k owns
    // names_[ph_first_name_[k] .. ph_first_name_[k + 1]).
    std::vector<std::uint32_t> ph_first_name_; // size = phonetic keys + 1
    std::vector<std::uint32_t> ph_key_off_;    // offset of the phonetic text in arena_
    std::vector<std::uint16_t> ph_key_len_;
    std::vector<std::uint32_t> ph_letters_;    // bit per letter present: a cheap distance filter
    std::string_view phonetic_text(std::uint32_t ph) const {
        return {arena_.data() + ph_key_off_[ph], ph_key_len_[ph]};
    }

    FlatIndex exact_;   // hash(key) -> name
    // hash(phonetic) -> phonetic key id * 2, and hash(phonetic less one letter) -> id * 2 + 1:
    // one table, so each look-up of the fuzzy stage is one probe.
    FlatIndex phon_;
};

} // namespace sitmap
