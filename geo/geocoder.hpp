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
    struct Name {
        std::uint32_t place;
        std::uint32_t key_off;
        std::uint32_t ph_off;
        std::uint16_t key_len;
        std::uint16_t ph_len;
        std::uint32_t hint;   // kind words the indexed name carried ("Nasib crossing")
    };
    std::string_view key_of(const Name& n) const { return {arena_.data() + n.key_off, n.key_len}; }
    std::string_view ph_of(const Name& n) const { return {arena_.data() + n.ph_off, n.ph_len}; }

    const Gazetteer& gaz_;
    Thresholds t_;
    std::vector<Name> names_;
    std::string arena_;
    FlatIndex exact_;   // hash(key) -> name
    FlatIndex phon_;    // hash(phonetic) -> name
    FlatIndex deletes_; // hash(phonetic less one letter) -> name
};

} // namespace sitmap
