#include "geo/geocoder.hpp"

#include "geo/geodesic.hpp"
#include "geo/name_key.hpp"

#include <algorithm>
#include <cmath>

namespace sitmap {
namespace {

// Names longer than this are indexed for exact and phonetic lookup only (no deletion entries).
constexpr std::size_t kMaxFuzzyLen = 40;
// Postings examined per fuzzy query before giving up on rarer candidates.
constexpr std::size_t kMaxFuzzyPostings = 20000;

// Base scores: an exact key is 1.0; a phonetic key 0.84..0.94 by how alike the exact keys are,
// so a phonetic look-alike never rivals an exact match; a fuzzy match at most ~0.9 and less the
// shorter the name (one letter off in five is a different name more often than a typo).
constexpr double kPhoneticBase = 0.84;

std::size_t max_distance(std::size_t phonetic_len) {
    if (phonetic_len <= 4) return 0;
    if (phonetic_len <= 8) return 1;
    return 2;
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

bool is_container(const Place& c, const Place& top) {
    if (c.kind == Kind::governorate) return !c.admin1.empty() && c.admin1 == top.admin1;
    if (c.kind == Kind::country) return c.country == top.country;
    return false;
}

} // namespace

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
    std::string del;
    for (std::uint32_t pi = 0; pi < places.size(); ++pi) {
        std::vector<std::string> seen;
        for (auto name : places[pi].all_names()) {
            NameKey k = make_key(name);
            if (k.key.empty() || k.key.size() > 0xFFFF) continue;
            // One entry per key, and one more when the key also comes without kind words.
            std::string tag = k.key + (k.hint == hint_none ? "|bare" : "|kind");
            if (std::find(seen.begin(), seen.end(), tag) != seen.end()) continue;
            seen.push_back(std::move(tag));
            Name n{pi, static_cast<std::uint32_t>(arena_.size()), 0,
                   static_cast<std::uint16_t>(k.key.size()), 0, k.hint};
            arena_ += k.key;
            n.ph_off = static_cast<std::uint32_t>(arena_.size());
            n.ph_len = static_cast<std::uint16_t>(k.phonetic.size());
            arena_ += k.phonetic;
            const auto id = static_cast<std::uint32_t>(names_.size());
            names_.push_back(n);
            exact_.add(hash_key(k.key), id);
            phon_.add(hash_key(k.phonetic), id);
            if (max_distance(k.phonetic.size()) > 0 && k.phonetic.size() <= kMaxFuzzyLen) {
                for (std::size_t i = 0; i < k.phonetic.size(); ++i) {
                    if (i > 0 && k.phonetic[i] == k.phonetic[i - 1]) continue;
                    del.assign(k.phonetic, 0, i);
                    del.append(k.phonetic, i + 1);
                    deletes_.add(hash_key(del), id);
                }
            }
        }
    }
    exact_.finalize();
    phon_.finalize();
    deletes_.finalize();
}

GeocodeResult Geocoder::geocode(std::string_view query, const GeocodeContext& ctx) const {
    GeocodeResult r;
    r.query = std::string(query);
    const NameKey q = make_key(query);
    if (q.key.empty()) return r;

    // Best base score per place.
    std::vector<Candidate> found;
    auto offer = [&](std::uint32_t name_id, double base) {
        const std::uint32_t pi = names_[name_id].place;
        // A bare query fits a bare name better than one reached by dropping kind words:
        // "Talkalakh" is the town before "Talkalakh crossing".
        if (q.hint == hint_none && names_[name_id].hint != hint_none) base -= 0.015;
        for (auto& c : found) {
            if (c.place == pi) {
                c.score = std::max(c.score, base);
                return;
            }
        }
        found.push_back({pi, base});
    };

    bool exact_hit = false;
    for (std::uint32_t n : exact_.find(hash_key(q.key))) {
        if (key_of(names_[n]) != q.key) continue;
        offer(n, 1.0);
        exact_hit = true;
    }
    for (std::uint32_t n : phon_.find(hash_key(q.phonetic))) {
        if (ph_of(names_[n]) != q.phonetic) continue;
        offer(n, kPhoneticBase + 0.10 * edit_similarity(q.key, key_of(names_[n])));
    }
    const std::size_t maxd = max_distance(q.phonetic.size());
    if (!exact_hit && maxd > 0 && q.phonetic.size() <= kMaxFuzzyLen) {
        std::size_t examined = 0;
        auto consider = [&](std::span<const std::uint32_t> hits) {
            for (std::uint32_t n : hits) {
                if (++examined > kMaxFuzzyPostings) return;
                const auto ph = ph_of(names_[n]);
                if (ph == q.phonetic) continue;
                const std::size_t d = bounded_edit_distance(q.phonetic, ph, maxd);
                if (d > maxd) continue;
                const double len = static_cast<double>(std::max(ph.size(), q.phonetic.size()));
                offer(n, 0.92 * (1.0 - static_cast<double>(d) / len) - 0.02 +
                             0.06 * edit_similarity(q.key, key_of(names_[n])));
            }
        };
        consider(deletes_.find(hash_key(q.phonetic)));
        std::string del;
        for (std::size_t i = 0; i < q.phonetic.size(); ++i) {
            if (i > 0 && q.phonetic[i] == q.phonetic[i - 1]) continue;
            del.assign(q.phonetic, 0, i);
            del.append(q.phonetic, i + 1);
            const auto h = hash_key(del);
            consider(phon_.find(h));
            consider(deletes_.find(h));
        }
    }
    if (found.empty()) return r;

    // Context: kind words, admin1 hint, nearness, importance.
    const auto& places = gaz_.places();
    for (auto& c : found) {
        const Place& p = places[c.place];
        if (q.hint != hint_none) {
            c.score += kind_fits(q.hint, p.kind) ? 0.04 : -0.15;
        } else if (p.kind == Kind::governorate || p.kind == Kind::country) {
            // A bare name is the settlement; the governorate needs its word ("Homs province").
            for (const auto& o : found) {
                const Place& s = places[o.place];
                if (&s != &p && precision_of(s.kind) < precision_of(p.kind) && is_container(p, s)) {
                    c.score -= 0.06;
                    break;
                }
            }
        }
        if (!ctx.admin1.empty() && p.admin1 == ctx.admin1) c.score += 0.08;
        if (ctx.near) {
            const double km = geodesic_distance_m(*ctx.near, p.point) / 1000.0;
            c.score += 0.10 * std::max(0.0, 1.0 - km / 100.0);
        }
        c.score += 0.02 * p.importance / 100.0;
    }
    std::sort(found.begin(), found.end(), [&](const Candidate& a, const Candidate& b) {
        if (a.score != b.score) return a.score > b.score;
        return places[a.place].id < places[b.place].id;
    });

    const Candidate& top = found.front();
    const Place& tp = places[top.place];
    if (top.score < t_.unresolved_below) {
        found.resize(std::min<std::size_t>(found.size(), 5));
        r.candidates = std::move(found);
        return r;
    }
    bool rival = false;
    for (std::size_t i = 1; i < found.size() && !rival; ++i) {
        const Candidate& c = found[i];
        if (c.score < top.score - t_.ambiguity_margin) break;
        const Place& cp = places[c.place];
        if (is_container(cp, tp) || is_container(tp, cp)) continue;
        if (geodesic_distance_m(tp.point, cp.point) / 1000.0 <= t_.same_place_km) continue;
        rival = true;
    }
    r.place = &tp;
    r.score = std::min(1.0, std::max(0.0, top.score));
    r.precision = precision_of(tp.kind);
    r.status = (rival || top.score < t_.matched_from) ? MatchStatus::ambiguous : MatchStatus::matched;
    found.resize(std::min<std::size_t>(found.size(), 5));
    r.candidates = std::move(found);
    return r;
}

} // namespace sitmap
