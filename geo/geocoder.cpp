#include "geo/geocoder.hpp"

#include "geo/geodesic.hpp"
#include "geo/name_key.hpp"

#include <algorithm>
#include <ranges>
#include <bit>
#include <cmath>
#include <unordered_map>

namespace sitmap {
namespace {

// Names longer than this are indexed for exact and phonetic lookup only (no deletion entries).
constexpr std::size_t kMaxFuzzyLen = 40;
// Names examined per query. A name that looks like more names than this cannot be resolved
// with confidence: the answer is then at best ambiguous. Bounds the cost of any one query.
constexpr std::size_t kMaxCandidates = 128;
// Phonetic keys examined per fuzzy query (the same reasoning).
constexpr std::size_t kMaxNearKeys = 256;

// Base scores: an exact key is 1.0; a phonetic key 0.84..0.94 by how alike the exact keys are,
// so a phonetic look-alike never rivals an exact match; a fuzzy match at most ~0.9 and less the
// shorter the name (one letter off in five is a different name more often than a typo).
constexpr double kPhoneticBase = 0.84;
// A bare query reaching a place only through a name with kind words ("al-Tanf" -> "al-Tanf
// crossing") yields to places that bear the bare name (the al-Tanf base): more than the margin.
constexpr double kKindAliasPenalty = 0.06;

std::size_t max_distance(std::size_t phonetic_len) {
    if (phonetic_len <= 4) return 0;
    if (phonetic_len <= 8) return 1;
    return 2;
}

// One bit per letter class present. Strings within edit distance d differ in at most 2d bits.
std::uint32_t letter_mask(std::string_view s) {
    std::uint32_t m = 0;
    for (unsigned char c : s) m |= 1u << (c & 31u);
    return m;
}

bool kind_fits(std::uint32_t hint, Kind k) {
    switch (k) {
    case Kind::governorate: return (hint & hint_governorate) != 0;
    case Kind::city:
    case Kind::town:
    case Kind::village:
    case Kind::foreign_city: return (hint & hint_settlement) != 0;
    case Kind::camp: return (hint & hint_camp) != 0;
    case Kind::border_crossing:
    case Kind::checkpoint: return (hint & hint_crossing) != 0;
    case Kind::military_base: return (hint & hint_base) != 0;
    case Kind::area: return (hint & (hint_area | hint_district)) != 0;
    case Kind::facility: return (hint & hint_facility) != 0;
    case Kind::country: return false;
    }
    return false;
}

// Whether two points are more than `km` apart: an equirectangular estimate decides clear cases
// (it errs by well under 1 % at these distances), the geodesic the close ones.
bool farther_than(LonLat a, LonLat b, double km) {
    constexpr double kKmPerDeg = 111.2;
    const double dy = (a.lat - b.lat) * kKmPerDeg;
    const double dx = (a.lon - b.lon) * kKmPerDeg * std::cos((a.lat + b.lat) * 0.5 * M_PI / 180.0);
    const double est = std::sqrt(dx * dx + dy * dy);
    if (est > km * 1.02) return true;
    if (est < km * 0.98) return false;
    return geodesic_distance_m(a, b) / 1000.0 > km;
}

} // namespace

std::uint16_t Geocoder::code_index(std::vector<std::string>& codes, const std::string& code) {
    if (code.empty()) return 0;
    for (std::size_t i = 1; i < codes.size(); ++i)
        if (codes[i] == code) return static_cast<std::uint16_t>(i);
    codes.push_back(code);
    return static_cast<std::uint16_t>(codes.size() - 1);
}

// Whether `c` is an admin area (governorate, country) that holds `top`.
bool Geocoder::is_container(const PlaceInfo& c, const PlaceInfo& top) const {
    if (c.kind == Kind::governorate) return c.admin1 != 0 && c.admin1 == top.admin1;
    if (c.kind == Kind::country) return c.country != 0 && c.country == top.country;
    return false;
}

std::string_view to_string(MatchStatus s) {
    switch (s) {
    case MatchStatus::matched: return "matched";
    case MatchStatus::ambiguous: return "ambiguous";
    case MatchStatus::unresolved: return "unresolved";
    }
    return "unresolved";
}

Geocoder::Geocoder(const Gazetteer& gazetteer, Thresholds t) : gaz_(gazetteer), t_(t) {
    const auto& places = gaz_.places();
    std::unordered_map<std::string, std::uint32_t> ph_ids;
    std::vector<PlaceInfo> info;
    info.reserve(places.size());
    for (const Place& p : places)
        info.push_back({p.point.lon, p.point.lat, p.kind,
                        static_cast<std::uint8_t>(std::clamp(p.importance, 0, 100)),
                        code_index(admin1_codes_, p.admin1), code_index(country_codes_, p.country)});
    // Collect the names, then lay them out grouped by phonetic key, keys in the same order in
    // the arena: the names a look-up visits sit next to each other in memory.
    struct Pending {
        std::uint32_t ph;
        std::uint32_t place;
        std::uint32_t hint;
        std::string key;
    };
    std::vector<Pending> pending;
    std::vector<std::string> ph_texts;
    for (std::uint32_t pi = 0; pi < places.size(); ++pi) {
        std::vector<std::string> seen;
        for (auto name : places[pi].all_names()) {
            NameKey k = make_key(name);
            if (k.key.empty() || k.key.size() > 0xFFFF || k.phonetic.size() > 0xFFFF) continue;
            // One entry per key, and one more when the key also comes without kind words.
            std::string tag = k.key + (k.hint == hint_none ? "|bare" : "|kind");
            if (std::find(seen.begin(), seen.end(), tag) != seen.end()) continue;
            seen.push_back(std::move(tag));
            auto [it, fresh] = ph_ids.emplace(k.phonetic, static_cast<std::uint32_t>(ph_texts.size()));
            if (fresh) ph_texts.push_back(k.phonetic);
            pending.push_back({it->second, pi, k.hint, std::move(k.key)});
        }
    }
    std::stable_sort(pending.begin(), pending.end(),
                     [](const Pending& a, const Pending& b) { return a.ph < b.ph; });
    const std::size_t n_ph = ph_texts.size();
    ph_first_name_.assign(n_ph + 1, 0);
    for (const auto& pn : pending) ++ph_first_name_[pn.ph + 1];
    for (std::size_t i = 0; i < n_ph; ++i) ph_first_name_[i + 1] += ph_first_name_[i];
    ph_key_off_.resize(n_ph);
    ph_key_len_.resize(n_ph);
    ph_letters_.resize(n_ph);
    names_.reserve(pending.size());
    std::size_t i = 0;
    for (std::uint32_t ph = 0; ph < n_ph; ++ph) {
        ph_key_off_[ph] = static_cast<std::uint32_t>(arena_.size());
        ph_key_len_[ph] = static_cast<std::uint16_t>(ph_texts[ph].size());
        ph_letters_[ph] = letter_mask(ph_texts[ph]);
        arena_ += ph_texts[ph];
        for (; i < pending.size() && pending[i].ph == ph; ++i) {
            const Pending& pn = pending[i];
            Name n{pn.place, static_cast<std::uint32_t>(arena_.size()), ph_key_off_[ph],
                   static_cast<std::uint16_t>(pn.key.size()), ph_key_len_[ph], pn.hint,
                   info[pn.place]};
            arena_ += pn.key;
            exact_.add(hash_key(pn.key), static_cast<std::uint32_t>(names_.size()));
            names_.push_back(n);
        }
    }

    std::string del;
    for (std::uint32_t ph = 0; ph < n_ph; ++ph) {
        const std::string_view text = phonetic_text(ph);
        phon_.add(hash_key(text), ph * 2);
        if (max_distance(text.size()) == 0 || text.size() > kMaxFuzzyLen) continue;
        for (std::size_t at = 0; at < text.size(); ++at) {
            if (at > 0 && text[at] == text[at - 1]) continue;
            del.assign(text.substr(0, at));
            del.append(text.substr(at + 1));
            phon_.add(hash_key(del), ph * 2 + 1);
        }
    }
    exact_.finalize();
    phon_.finalize();
}

GeocodeResult Geocoder::geocode(std::string_view query, const GeocodeContext& ctx) const {
    GeocodeResult r;
    r.query = std::string(query);
    NameKey q = make_key(query, false);
    if (q.key.empty()) return r;
    const bool context = !ctx.admin1.empty() || ctx.near.has_value();

    // Base score per (place, name); reduced to the best per place below.
    std::vector<Candidate> found;
    found.reserve(16);
    bool too_many = false;
    auto offer = [&](std::uint32_t name_id, double base) {
        if (found.size() >= kMaxCandidates) {
            too_many = true;
            return;
        }
        // A bare query fits a bare name better than one reached by dropping kind words:
        // "Talkalakh" is the town before "Talkalakh crossing".
        if (q.hint == hint_none && names_[name_id].hint != hint_none) base -= kKindAliasPenalty;
        found.push_back({names_[name_id].place, base, name_id});
    };
    // Names of a phonetic key are contiguous in names_.
    auto names_of = [&](std::uint32_t ph) {
        return std::views::iota(ph_first_name_[ph], ph_first_name_[ph + 1]);
    };

    // Postings share the key's 64-bit hash; a length check guards the (2^-64) collision case.
    bool exact_hit = false;
    for (std::uint32_t n : exact_.find(hash_key(q.key))) {
        if (names_[n].key_len != q.key.size()) continue;
        offer(n, 1.0);
        exact_hit = true;
    }
    // Without context a phonetic look-alike cannot beat an exact match: skip the work.
    if (!exact_hit || context) q.phonetic = make_key(query, true).phonetic;
    if (!exact_hit || context) {
        for (std::uint32_t v : phon_.find(hash_key(q.phonetic))) {
            const std::uint32_t ph = v >> 1;
            if ((v & 1) != 0 || ph_key_len_[ph] != q.phonetic.size()) continue;
            for (std::uint32_t n : names_of(ph)) {
                if (too_many) break;
                offer(n, kPhoneticBase + 0.10 * edit_similarity(q.key, key_of(names_[n])));
            }
        }
    }
    const std::size_t maxd = max_distance(q.phonetic.size());
    if (!exact_hit && maxd > 0 && q.phonetic.size() <= kMaxFuzzyLen) {
        // Phonetic keys within edit distance maxd: deletion neighbourhoods meet. The letter
        // mask rejects most look-alikes before the edit distance is computed.
        const std::uint32_t qmask = letter_mask(q.phonetic);
        thread_local std::vector<std::uint32_t> near_ph;
        near_ph.clear();
        // Deletions of indexed keys equal to the query (an inserted letter), indexed keys equal
        // to a deletion of the query (a dropped letter), and deletions equal to deletions
        // (a changed letter).
        auto collect = [&](std::span<const std::uint32_t> hits, bool deletions_only) {
            for (std::uint32_t v : hits) {
                if (deletions_only && (v & 1) == 0) continue;
                const std::uint32_t ph = v >> 1;
                if (std::popcount(ph_letters_[ph] ^ qmask) <= static_cast<int>(2 * maxd))
                    near_ph.push_back(ph);
            }
        };
        collect(phon_.find(hash_key(q.phonetic)), true);
        std::string del;
        for (std::size_t i = 0; i < q.phonetic.size(); ++i) {
            if (i > 0 && q.phonetic[i] == q.phonetic[i - 1]) continue;
            del.assign(q.phonetic, 0, i);
            del.append(q.phonetic, i + 1);
            collect(phon_.find(hash_key(del)), false);
        }
        std::sort(near_ph.begin(), near_ph.end());
        near_ph.erase(std::unique(near_ph.begin(), near_ph.end()), near_ph.end());
        if (near_ph.size() > kMaxNearKeys) {
            too_many = true;
            near_ph.resize(kMaxNearKeys);
        }
        for (std::uint32_t ph : near_ph) {
            if (too_many) break;
            const auto text = phonetic_text(ph);
            if (text.size() == q.phonetic.size() && text == q.phonetic) continue;
            const std::size_t d = bounded_edit_distance(q.phonetic, text, maxd);
            if (d > maxd) continue;
            const double len = static_cast<double>(std::max(text.size(), q.phonetic.size()));
            // Misspellings rarely touch the first letter ("abroad" is not "Yabroud").
            const double first = text[0] == q.phonetic[0] ? 0.0 : 0.05;
            for (std::uint32_t n : names_of(ph)) {
                offer(n, 0.92 * (1.0 - static_cast<double>(d) / len) - 0.02 - first +
                             0.06 * edit_similarity(q.key, key_of(names_[n])));
            }
        }
    }
    if (found.empty()) return r;
    std::sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) {
        return a.place != b.place ? a.place < b.place : a.score > b.score;
    });
    found.erase(std::unique(found.begin(), found.end(),
                            [](const Candidate& a, const Candidate& b) { return a.place == b.place; }),
                found.end());

    // Context: kind words, admin1 hint, nearness, importance.
    std::uint16_t want_admin1 = 0xFFFF;
    for (std::size_t i = 1; i < admin1_codes_.size(); ++i)
        if (admin1_codes_[i] == ctx.admin1) want_admin1 = static_cast<std::uint16_t>(i);
    for (auto& c : found) {
        const PlaceInfo& p = names_[c.name].info;
        if (q.hint != hint_none) {
            c.score += kind_fits(q.hint, p.kind) ? 0.04 : -0.15;
        } else if (p.kind == Kind::governorate || p.kind == Kind::country) {
            // A bare name is the settlement; the governorate needs its word ("Homs province").
            for (const auto& o : found) {
                const PlaceInfo& s = names_[o.name].info;
                if (o.place != c.place && precision_of(s.kind) < precision_of(p.kind) &&
                    is_container(p, s)) {
                    c.score -= 0.06;
                    break;
                }
            }
        }
        if (p.admin1 == want_admin1) c.score += 0.08;
        if (ctx.near) {
            const double km = geodesic_distance_m(*ctx.near, {p.lon, p.lat}) / 1000.0;
            c.score += 0.10 * std::max(0.0, 1.0 - km / 100.0);
        }
        c.score += 0.02 * p.importance / 100.0;
    }
    // Best first; ties in gazetteer order (curated entries come first), so answers are stable.
    std::sort(found.begin(), found.end(), [&](const Candidate& a, const Candidate& b) {
        if (a.score != b.score) return a.score > b.score;
        return a.place < b.place;
    });

    const Candidate& top = found.front();
    const PlaceInfo& ti = names_[top.name].info;
    if (top.score < t_.unresolved_below) {
        found.resize(std::min<std::size_t>(found.size(), 5));
        r.candidates = std::move(found);
        return r;
    }
    bool rival = false;
    for (std::size_t i = 1; i < found.size() && !rival; ++i) {
        const Candidate& c = found[i];
        if (c.score < top.score - t_.ambiguity_margin) break;
        const PlaceInfo& ci = names_[c.name].info;
        if (is_container(ci, ti) || is_container(ti, ci)) continue;
        if (!farther_than({ti.lon, ti.lat}, {ci.lon, ci.lat}, t_.same_place_km)) continue;
        rival = true;
    }
    const Place& tp = gaz_.places()[top.place];
    r.place = &tp;
    r.score = std::min(1.0, std::max(0.0, top.score));
    r.precision = precision_of(tp.kind);
    r.status = (rival || too_many || top.score < t_.matched_from) ? MatchStatus::ambiguous
                                                                  : MatchStatus::matched;
    found.resize(std::min<std::size_t>(found.size(), 5));
    r.candidates = std::move(found);
    return r;
}

} // namespace sitmap
