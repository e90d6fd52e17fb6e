#include "geo/geonames.hpp"

#include "geo/admin1.hpp"
#include "geo/countries.hpp"
#include "geo/error.hpp"
#include "geo/gazetteer.hpp"
#include "geo/geodesic.hpp"
#include "geo/name_key.hpp"
#include "geo/utf8.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace sitmap {
namespace {

void split_tabs(std::string_view line, std::vector<std::string_view>& out) {
    out.clear();
    std::size_t start = 0;
    while (true) {
        const std::size_t tab = line.find('\t', start);
        if (tab == std::string_view::npos) {
            out.push_back(line.substr(start));
            return;
        }
        out.push_back(line.substr(start, tab - start));
        start = tab + 1;
    }
}

template <class T> bool parse_num(std::string_view s, T& v) {
    auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

// The kind of a GeoNames feature, or nullopt when the geocoder does not serve it.
std::optional<Kind> kind_of(std::string_view cls, std::string_view code, bool syrian,
                            long population) {
    if (cls == "P") {
        if (!syrian) return Kind::foreign_city;
        if (code == "PPLC" || code == "PPLA" || population >= 100000) return Kind::city;
        if (population >= 10000 || code == "PPLA2") return Kind::town;
        return Kind::village;
    }
    if (cls == "A") {
        if (code == "PCLI") return Kind::country;
        if (code == "ADM1" && syrian) return Kind::governorate;
        return std::nullopt;
    }
    if (cls == "S") {
        if (code == "CMP" || code == "CMPRF" || code == "CMPQ") return Kind::camp;
        if (code == "PSTB" || code == "PSTC") return Kind::border_crossing;
        if (code == "MILB" || code == "INSM") return Kind::military_base;
        if (code == "PS" || code == "PSH" || code == "DAM") return Kind::facility;
        return std::nullopt;
    }
    if (cls == "L" && (code == "AREA" || code == "RGN")) return Kind::area;
    return std::nullopt;
}

int importance_of(Kind k, std::string_view code, long population) {
    double imp = population > 0 ? 10.0 * std::log10(static_cast<double>(population) + 1.0) : 10.0;
    if (code == "PPLC") imp += 20;
    else if (code == "PPLA") imp += 10;
    if (k == Kind::country) imp = 95;
    if (k == Kind::governorate) imp = 85;
    return static_cast<int>(std::min(80.0, imp));
}

} // namespace

GeonamesStats import_geonames(Gazetteer& g, const std::string& path, const Admin1Table& admin1,
                              const CountryCodes& countries, const GeonamesOptions& opt) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path, 0, "cannot open file");

    // Curated places by GeoNames id and by folded name, to let them win.
    std::unordered_set<std::int64_t> curated_ids;
    std::unordered_multimap<std::string, std::size_t> curated_keys;
    for (std::size_t i = 0; i < g.places().size(); ++i) {
        const Place& p = g.places()[i];
        if (!p.curated) continue;
        if (p.geonames_id != 0) curated_ids.insert(p.geonames_id);
        for (auto n : p.all_names()) curated_keys.emplace(make_key(n).key, i);
    }
    auto same_as_curated = [&](const std::string& key, LonLat pt) {
        auto [b, e] = curated_keys.equal_range(key);
        for (auto it = b; it != e; ++it)
            if (geodesic_distance_m(g.places()[it->second].point, pt) < 10000) return true;
        return false;
    };

    GeonamesStats st;
    std::string line;
    std::vector<std::string_view> f;
    std::size_t lineno = 0;
    while (std::getline(in, line)) {
        ++lineno;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        split_tabs(line, f);
        if (f.size() != 19) {
            throw InputError(path, lineno,
                             "expected 19 tab-separated columns (GeoNames dump format), found " +
                                 std::to_string(f.size()));
        }
        if (!is_valid_utf8(line)) throw InputError(path, lineno, "the line is not valid UTF-8");
        ++st.rows;
        const std::string_view cc = f[8];
        if (!opt.countries.empty() && opt.countries.count(std::string(cc)) == 0) {
            ++st.skipped;
            continue;
        }
        std::int64_t id = 0;
        double lat = 0, lon = 0;
        if (!parse_num(f[0], id)) throw InputError(path, lineno, "geonameid is not a number");
        if (!parse_num(f[4], lat) || !parse_num(f[5], lon) || std::abs(lat) > 90 ||
            std::abs(lon) > 180)
            throw InputError(path, lineno, "latitude/longitude are not valid numbers");
        long population = 0;
        if (!f[14].empty() && !parse_num(f[14], population))
            throw InputError(path, lineno, "population is not a number");
        const bool syrian = cc == "SY";
        auto kind = kind_of(f[6], f[7], syrian, population);
        if (!kind) {
            ++st.skipped;
            continue;
        }
        if (curated_ids.count(id) != 0) {
            ++st.curated;
            continue;
        }
        Place p;
        p.id = "geonames:" + std::string(f[0]);
        p.name = std::string(f[1]);
        p.kind = *kind;
        p.point = {lon, lat};
        p.curated = false;
        p.geonames_id = id;
        p.importance = importance_of(*kind, f[7], population);
        p.source = "GeoNames " + std::string(f[0]) + " (CC BY 4.0)";
        if (same_as_curated(make_key(p.name).key, p.point)) {
            ++st.curated;
            continue;
        }
        if (f[2] != f[1] && !f[2].empty()) p.alt_names.emplace_back(f[2]);
        if (opt.alternate_names && !f[3].empty()) {
            std::size_t start = 0;
            while (start <= f[3].size()) {
                const std::size_t comma = f[3].find(',', start);
                auto alt = f[3].substr(start, comma == std::string_view::npos ? comma : comma - start);
                if (!alt.empty() && alt != f[1] && alt != f[2]) p.alt_names.emplace_back(alt);
                if (comma == std::string_view::npos) break;
                start = comma + 1;
            }
        }
        if (syrian) {
            p.country = "SYR";
            if (const Admin1* a = admin1.by_fips(f[10])) {
                p.admin1 = a->iso;
                p.admin1_pcode = a->ocha_pcode;
            }
        } else {
            p.country = countries.alpha3(cc);
            if (p.country.empty()) p.country = std::string(cc); // not in ISO 3166-1 (e.g. XK)
        }
        if (g.find_id(p.id) != nullptr) {
            throw InputError(path, lineno, "geonameid " + std::string(f[0]) + " appears twice");
        }
        g.add(std::move(p));
        ++st.added;
    }
    return st;
}

std::size_t import_geonames_alternate_names(Gazetteer& g, const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path, 0, "cannot open file");
    std::unordered_map<std::int64_t, std::size_t> by_gid;
    for (std::size_t i = 0; i < g.places().size(); ++i)
        if (!g.places()[i].curated && g.places()[i].geonames_id != 0)
            by_gid.emplace(g.places()[i].geonames_id, i);
    static const std::unordered_set<std::string_view> skip_lang = {
        "link", "wkdt", "post", "iata", "icao", "faac", "fr_1793", "abbr", "unlc", "tcid"};
    std::string line;
    std::vector<std::string_view> f;
    std::size_t lineno = 0, attached = 0;
    while (std::getline(in, line)) {
        ++lineno;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        split_tabs(line, f);
        if (f.size() != 8 && f.size() != 10)
            throw InputError(path, lineno,
                             "expected 8 or 10 tab-separated columns (GeoNames alternateNames), found " +
                                 std::to_string(f.size()));
        std::int64_t gid = 0;
        if (!parse_num(f[1], gid)) throw InputError(path, lineno, "geonameid is not a number");
        if (skip_lang.count(f[2]) != 0 || f[3].empty()) continue;
        if (!is_valid_utf8(f[3])) throw InputError(path, lineno, "the name is not valid UTF-8");
        auto it = by_gid.find(gid);
        if (it == by_gid.end()) continue;
        Place& p = g.mutable_places()[it->second];
        bool have = p.name == f[3];
        for (const auto& a : p.alt_names) have = have || a == f[3];
        if (have) continue;
        p.alt_names.emplace_back(f[3]);
        if (f[2] == "ar" && p.name_ar.empty()) p.name_ar = std::string(f[3]);
        ++attached;
    }
    return attached;
}

} // namespace sitmap
