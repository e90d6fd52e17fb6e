// Writing extracted records, merging repeats across bulletins, comparing with curated records.
#include "geo/csv.hpp"
#include "geo/error.hpp"
#include "geo/name_key.hpp"
#include "layers/extract.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <unordered_map>

namespace sitmap {

const std::vector<std::string>& extract_columns() {
    static const std::vector<std::string> c = {
        "record_id", "doc_id", "as_of", "source", "claimant", "category", "subcategory", "value",
        "qualifier", "value_low", "value_high", "unit", "period", "period_start", "period_end",
        "place", "via", "origin", "destination", "status", "locator", "note", "sentence_start",
        "sentence_end", "place_id", "precision", "relation", "also_reported_in"};
    return c;
}

namespace {

std::string num(const std::optional<double>& v) {
    if (!v) return "";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6f", *v);
    std::string s = buf;
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

} // namespace

std::string extracted_csv(const std::vector<ExtractedRecord>& records) {
    std::string out;
    const auto& cols = extract_columns();
    for (std::size_t i = 0; i < cols.size(); ++i) out += (i ? "," : "") + cols[i];
    out += "\n";
    for (const auto& er : records) {
        const Record& r = er.record;
        std::string also;
        for (const auto& a : er.also_in) also += (also.empty() ? "" : "|") + a;
        const std::string f[] = {r.record_id, r.doc_id, r.as_of, r.source, r.claimant, r.category,
                                 r.subcategory, num(r.value), r.qualifier, num(r.value_low),
                                 num(r.value_high), r.unit, r.period, r.period_start, r.period_end,
                                 r.place, r.via, r.origin, r.destination, r.status, r.locator, r.note,
                                 std::to_string(er.sentence_start), std::to_string(er.sentence_end),
                                 er.place_id, er.precision, er.relation, also};
        for (std::size_t i = 0; i < std::size(f); ++i) out += (i ? "," : "") + csv_escape(f[i]);
        out += "\n";
    }
    return out;
}

void write_extracted_csv(const std::string& path, const std::vector<ExtractedRecord>& records) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream o(tmp, std::ios::binary | std::ios::trunc);
        if (!o) throw InputError(path, 0, "cannot be written");
        o << extracted_csv(records);
        o.flush();
        if (!o) {
            std::error_code ec;
            std::filesystem::remove(tmp, ec);
            throw WorkError("writing '" + path + "' failed");
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        throw WorkError("cannot rename the temporary file to '" + path + "'");
    }
}

std::vector<ExtractedRecord> merge_repeated(const std::vector<Extraction>& docs) {
    std::vector<ExtractedRecord> out;
    std::unordered_map<std::string, std::size_t> seen; // key -> index in out
    for (const auto& d : docs) {
        for (const auto& er : d.records) {
            const Record& r = er.record;
            const std::string key = num(r.value) + "|" + r.category + "|" + r.subcategory + "|" +
                                    make_key(r.place, false).key + "|" + r.as_of + "|" + r.period;
            auto it = seen.find(key);
            if (it != seen.end() && out[it->second].record.doc_id != r.doc_id) {
                out[it->second].also_in.push_back(r.locator);
                continue;
            }
            if (it == seen.end()) seen.emplace(key, out.size());
            out.push_back(er);
        }
    }
    return out;
}

namespace {

// The places a place field names, as folded keys and as geocoded ids.
struct PlaceSet {
    std::set<std::string> keys, ids;
};

PlaceSet place_set(const std::string& field, const Geocoder* geo) {
    PlaceSet s;
    std::string f = field;
    // Drop a parenthetical ("Eastern Ghouta (Damascus province)").
    if (const auto p = f.find('('); p != std::string::npos) f = f.substr(0, p);
    // Split on '|', ',' and ' and '.
    std::vector<std::string> parts;
    std::string cur;
    for (std::size_t i = 0; i < f.size(); ++i) {
        if (f[i] == '|' || f[i] == ',') { parts.push_back(cur); cur.clear(); continue; }
        if (f.compare(i, 5, " and ") == 0) { parts.push_back(cur); cur.clear(); i += 4; continue; }
        cur += f[i];
    }
    parts.push_back(cur);
    for (auto& p : parts) {
        const auto b = p.find_first_not_of(' ');
        if (b == std::string::npos) continue;
        p = p.substr(b, p.find_last_not_of(' ') - b + 1);
        const auto k = make_key(p, false).key;
        if (!k.empty()) s.keys.insert(k);
        if (geo) {
            const auto r = geo->geocode(p);
            if (r.place && r.status == MatchStatus::matched) s.ids.insert(r.place->id);
            else s.ids.insert("?" + k);
        }
    }
    return s;
}

} // namespace

Comparison compare_records(const std::vector<Record>& curated,
                           const std::vector<ExtractedRecord>& extracted, const Geocoder* geo) {
    std::unordered_map<std::string, PlaceSet> cache;
    auto places = [&](const std::string& f) -> const PlaceSet& {
        auto it = cache.find(f);
        if (it == cache.end()) it = cache.emplace(f, place_set(f, geo)).first;
        return it->second;
    };
    auto same_place = [&](const std::string& a, const std::string& b) {
        if (a == b) return true;
        const auto& pa = places(a);
        const auto& pb = places(b);
        if (!pa.keys.empty() && pa.keys == pb.keys) return true;
        return geo && !pa.ids.empty() && pa.ids == pb.ids;
    };
    auto start_of = [](const std::string& loc) -> long {
        const auto c = loc.rfind(':');
        if (c == std::string::npos) return -1;
        try { return std::stol(loc.substr(c + 1)); } catch (...) { return -1; }
    };
    auto eq = [](const std::optional<double>& a, const std::optional<double>& b) {
        return a && b && std::fabs(*a - *b) < 1e-6 * std::max(1.0, std::fabs(*a));
    };
    // Score each (curated, extracted) pair of the same document and value by the fields right;
    // pair greedily, best first, nearest locator breaking ties.
    struct Pair {
        int score;
        long dist;
        std::size_t c, e;
        bool cat, per, pl;
    };
    std::vector<Pair> pairs;
    for (std::size_t ci = 0; ci < curated.size(); ++ci) {
        for (std::size_t ei = 0; ei < extracted.size(); ++ei) {
            const Record& c = curated[ci];
            const Record& e = extracted[ei].record;
            if (c.doc_id != e.doc_id || !eq(c.value, e.value)) continue;
            Pair p{0, 0, ci, ei, c.category == e.category, c.period == e.period, same_place(c.place, e.place)};
            p.score = p.cat + p.per + p.pl;
            const long a = start_of(c.locator), b = start_of(e.locator);
            p.dist = a >= 0 && b >= 0 ? std::labs(a - b) : 1L << 40;
            pairs.push_back(p);
        }
    }
    std::sort(pairs.begin(), pairs.end(), [](const Pair& x, const Pair& y) {
        return x.score != y.score ? x.score > y.score : x.dist < y.dist;
    });
    std::vector<int> c_of(extracted.size(), -1), e_of(curated.size(), -1);
    std::vector<Pair> kept;
    for (const auto& p : pairs) {
        if (c_of[p.e] >= 0 || e_of[p.c] >= 0) continue;
        c_of[p.e] = static_cast<int>(p.c);
        e_of[p.c] = static_cast<int>(p.e);
        kept.push_back(p);
    }
    Comparison cmp;
    const char* names[] = {"value", "category", "period", "place", "all"};
    for (const char* n : names) cmp.fields.push_back({n, 0, curated.size(), extracted.size(), 0});
    for (const auto& p : kept) {
        const bool ok[] = {true, p.cat, p.per, p.pl, p.cat && p.per && p.pl};
        for (std::size_t f = 0; f < 5; ++f)
            if (ok[f]) { cmp.fields[f].matched++; cmp.fields[f].correct++; }
    }
    std::vector<bool> full_c(curated.size(), false), full_e(extracted.size(), false);
    for (const auto& p : kept)
        if (p.cat && p.per && p.pl) { full_c[p.c] = true; full_e[p.e] = true; }
    for (std::size_t i = 0; i < curated.size(); ++i) {
        if (full_c[i]) continue;
        const Record& c = curated[i];
        std::string why = e_of[i] < 0 ? "no figure" : "";
        if (e_of[i] >= 0) {
            const Record& e = extracted[static_cast<std::size_t>(e_of[i])].record;
            if (e.category != c.category) why += " category " + e.category + "!=" + c.category;
            if (e.period != c.period) why += " period " + e.period + "!=" + c.period;
            if (!same_place(c.place, e.place)) why += " place '" + e.place + "'!='" + c.place + "'";
        }
        cmp.missed.push_back(c.record_id + " " + c.value_text() + " " + c.category + "/" + c.period +
                             "/" + c.place + ":" + why);
    }
    for (std::size_t i = 0; i < extracted.size(); ++i) {
        if (full_e[i]) continue;
        const Record& e = extracted[i].record;
        cmp.spurious.push_back(e.locator + " " + e.value_text() + " " + e.category + "/" +
                               e.subcategory + "/" + e.period + "/" + e.place);
    }
    return cmp;
}

} // namespace sitmap
