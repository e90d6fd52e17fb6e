// Resolving the place strings of records and locating records (layers/atlas.hpp).
#include "geo/admin1.hpp"
#include "geo/geocoder.hpp"
#include "layers/atlas.hpp"

#include <algorithm>
#include <set>

namespace sitmap {
namespace {

// Words the bulletins use where a place would stand but that name none: they are reported as
// not_a_place instead of being fuzzy-matched to a village.
bool is_vague(const std::string& s) {
    static const std::set<std::string> vague = {"abroad", "foreign countries", "other countries",
                                                "territory under government control"};
    std::string l;
    for (char c : s) l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return vague.count(l) > 0;
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// "A, B and C provinces" -> {"A province", "B province", "C province"}; empty otherwise.
std::vector<std::string> split_list(const std::string& s) {
    for (const char* plural : {" provinces", " governorates"}) {
        const std::string p = plural;
        if (s.size() <= p.size() || s.compare(s.size() - p.size(), p.size(), p) != 0) continue;
        std::string body = s.substr(0, s.size() - p.size());
        std::vector<std::string> parts;
        std::size_t start = 0;
        while (true) {
            auto comma = body.find(", ", start), andw = body.find(" and ", start);
            auto cut = std::min(comma, andw);
            if (cut == std::string::npos) {
                parts.push_back(trim(body.substr(start)));
                break;
            }
            parts.push_back(trim(body.substr(start, cut - start)));
            start = cut + (cut == comma ? 2 : 5);
        }
        const std::string singular = p.substr(0, p.size() - 1);
        for (auto& x : parts) x += singular;
        return parts;
    }
    return {};
}

} // namespace

RecordLocator::RecordLocator(const Geocoder& geocoder, const RegionSet& regions,
                             const Admin1Table& admin1)
    : geocoder_(geocoder), regions_(regions), admin1_(admin1) {}

const NameMatch& RecordLocator::resolve(const std::string& text, const std::string& category,
                                        const std::string& subcategory) {
    std::string hint;
    if (category == "facilities") {
        hint = subcategory;
        std::replace(hint.begin(), hint.end(), '_', ' ');
    }
    const std::string key = text + "\x1f" + hint;
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    NameMatch m;
    m.text = text;
    auto take = [&](const GeocodeResult& r, std::string how) {
        m.status = "matched";
        m.places = {r.place};
        m.score = r.score;
        m.how = std::move(how);
    };
    if (is_vague(text)) {
        m.status = "not_a_place";
    } else {
        GeocodeResult r;
        if (!hint.empty()) {
            r = geocoder_.geocode(text + " " + hint);
            if (r.status == MatchStatus::matched && r.place->kind == Kind::facility)
                take(r, "matched as '" + text + " " + hint + "'");
        }
        if (m.status.empty()) {
            r = geocoder_.geocode(text);
            if (r.status == MatchStatus::matched) take(r, "");
        }
        const auto open = text.find(" (");
        if (m.status.empty() && open != std::string::npos && text.back() == ')') {
            // "Eastern Ghouta (Damascus province)": the place first, the bracket as a fallback.
            const auto outer = geocoder_.geocode(text.substr(0, open));
            const auto inner = geocoder_.geocode(text.substr(open + 2, text.size() - open - 3));
            if (outer.status == MatchStatus::matched)
                take(outer, "located by '" + text.substr(0, open) + "', not by the bracket");
            else if (inner.status == MatchStatus::matched)
                take(inner, "located by the bracket only");
        }
        if (m.status.empty()) {
            const auto parts = split_list(text);
            std::vector<const Place*> found;
            double score = 1;
            for (const auto& p : parts) {
                const auto pr = geocoder_.geocode(p);
                if (pr.status != MatchStatus::matched) break;
                found.push_back(pr.place);
                score = std::min(score, pr.score);
            }
            if (!parts.empty() && found.size() == parts.size()) {
                m.status = "matched";
                m.places = found;
                m.score = score;
                m.how = "list of " + std::to_string(parts.size()) + " places";
            }
        }
        if (m.status.empty()) {
            m.status = std::string(to_string(r.status));
            m.score = r.score;
            if (r.place) m.candidate = r.place->id;
        }
    }
    return cache_.emplace(key, std::move(m)).first->second;
}

std::vector<const NameMatch*> RecordLocator::resolve_field(const std::string& field,
                                                           const std::string& category,
                                                           const std::string& subcategory) {
    std::vector<const NameMatch*> out;
    for (const auto& n : split_names(field)) out.push_back(&resolve(n, category, subcategory));
    return out;
}

LonLat RecordLocator::point_of(const Place& p) const {
    if (p.kind == Kind::governorate && !p.admin1.empty())
        if (auto pt = regions_.point_on_surface(p.admin1)) return *pt;
    return p.point;
}

Located RecordLocator::locate(const Record& r) {
    Located loc;
    std::vector<const Place*> places;
    double score = 1;
    std::size_t missing = 0;
    for (const NameMatch* m : resolve_field(r.place, r.category, r.subcategory)) {
        if (m->status != "matched") {
            ++missing;
            continue;
        }
        for (const Place* p : m->places)
            if (std::find(places.begin(), places.end(), p) == places.end()) places.push_back(p);
        score = std::min(score, m->score);
        if (!m->how.empty()) loc.how += (loc.how.empty() ? "" : "; ") + m->how;
    }
    if (places.empty()) {
        loc.how = r.place.empty() ? "no place given" : "place not resolved";
        return loc;
    }
    loc.places = places;
    loc.confidence = score * (missing > 0 ? 0.5 : 1.0);
    if (missing > 0) loc.how += (loc.how.empty() ? "" : "; ") + std::string("some names unresolved");
    if (places.size() == 1) {
        const Place& p = *places[0];
        loc.precision = precision_of(p.kind);
        loc.point = point_of(p);
        loc.admin1 = p.admin1;
    } else {
        // Several places: the smallest unit holding them all.
        std::set<std::string> admins, countries;
        for (const Place* p : places) {
            admins.insert(p->admin1);
            countries.insert(p->country);
        }
        if (admins.size() == 1 && !admins.begin()->empty()) {
            loc.precision = Precision::governorate;
            loc.admin1 = *admins.begin();
            if (auto pt = regions_.point_on_surface(loc.admin1)) loc.point = *pt;
            else loc.point = places[0]->point;
        } else {
            loc.precision = Precision::country;
            const std::string country = countries.size() == 1 ? *countries.begin() : "";
            for (const Place& p : geocoder_.gazetteer().places())
                if (p.kind == Kind::country && p.country == country) loc.point = p.point;
        }
        loc.how += (loc.how.empty() ? "" : "; ") + std::string("several places, located to the ") +
                   std::string(to_string(loc.precision));
    }
    if (loc.point && loc.precision != Precision::country && loc.precision != Precision::governorate) {
        // Locate by the place, not by the word: the region is where the point lies.
        if (const AtlasRegion* reg = regions_.region_at(*loc.point)) {
            loc.region_id = reg->id;
            loc.admin1 = reg->iso;
        }
    } else if (loc.precision == Precision::governorate) {
        for (const auto& reg : regions_.regions)
            if (reg.iso == loc.admin1 && reg.level == "governorate") loc.region_id = reg.id;
    }
    if (const Admin1* a = admin1_.by_iso(loc.admin1)) loc.admin1_pcode = a->ocha_pcode;
    return loc;
}

} // namespace sitmap
