#include "geo/gazetteer.hpp"

#include "geo/admin1.hpp"
#include "geo/csv.hpp"
#include "geo/error.hpp"

#include <charconv>
#include <stdexcept>

namespace sitmap {
namespace {

std::vector<std::string> split_alt(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= s.size()) {
        const std::size_t bar = s.find('|', start);
        const std::string part = s.substr(start, bar == std::string::npos ? bar : bar - start);
        std::size_t b = part.find_first_not_of(' '), e = part.find_last_not_of(' ');
        if (b != std::string::npos) out.push_back(part.substr(b, e - b + 1));
        if (bar == std::string::npos) break;
        start = bar + 1;
    }
    return out;
}

bool parse_double(const std::string& s, double& v) {
    const char* end = s.data() + s.size();
    auto r = std::from_chars(s.data(), end, v);
    return r.ec == std::errc() && r.ptr == end;
}

} // namespace

Gazetteer Gazetteer::load(const std::string& path, const Admin1Table& admin1) {
    CsvReader csv(path);
    const auto c_id = csv.require("id"), c_name = csv.require("name"),
               c_ar = csv.require("name_ar"), c_alt = csv.require("alt_names"),
               c_kind = csv.require("kind"), c_lon = csv.require("lon"), c_lat = csv.require("lat"),
               c_admin1 = csv.require("admin1"), c_pcode = csv.require("admin1_pcode"),
               c_country = csv.require("country"), c_imp = csv.require("importance"),
               c_src = csv.require("source");
    Gazetteer g;
    std::vector<std::string> row;
    while (csv.next(row)) {
        Place p;
        p.id = row[c_id];
        if (p.id.empty()) csv.fail("empty id");
        p.name = row[c_name];
        if (p.name.empty()) csv.fail("place '" + p.id + "' has no name");
        p.name_ar = row[c_ar];
        p.alt_names = split_alt(row[c_alt]);
        auto kind = parse_kind(row[c_kind]);
        if (!kind) csv.fail("unknown kind '" + row[c_kind] + "' (known: " + kind_names() + ")");
        p.kind = *kind;
        if (!parse_double(row[c_lon], p.point.lon) || p.point.lon < -180 || p.point.lon > 180)
            csv.fail("longitude '" + row[c_lon] + "' is not a number in [-180, 180]");
        if (!parse_double(row[c_lat], p.point.lat) || p.point.lat < -90 || p.point.lat > 90)
            csv.fail("latitude '" + row[c_lat] + "' is not a number in [-90, 90]");
        p.admin1 = row[c_admin1];
        p.admin1_pcode = row[c_pcode];
        p.country = row[c_country];
        if (p.country.size() != 3) csv.fail("country '" + p.country + "' is not ISO 3166-1 alpha-3");
        if (!p.admin1.empty()) {
            const Admin1* a = admin1.by_iso(p.admin1);
            if (a == nullptr) csv.fail("unknown admin1 code '" + p.admin1 + "'");
            if (p.admin1_pcode.empty()) p.admin1_pcode = a->ocha_pcode;
            if (p.admin1_pcode != a->ocha_pcode)
                csv.fail("p-code '" + p.admin1_pcode + "' does not match " + p.admin1 + " (" +
                         a->ocha_pcode + ")");
        } else if (p.country == "SYR" && p.kind != Kind::country && p.kind != Kind::area) {
            csv.fail("Syrian place '" + p.id + "' has no admin1 code");
        }
        double imp = 0;
        if (!row[c_imp].empty() && (!parse_double(row[c_imp], imp) || imp < 0 || imp > 100))
            csv.fail("importance '" + row[c_imp] + "' is not a number in [0, 100]");
        p.importance = static_cast<int>(imp);
        p.source = row[c_src];
        if (p.source.empty()) csv.fail("place '" + p.id + "' has no source for its coordinate");
        p.curated = true;
        const auto gn = p.source.find("GeoNames ");
        if (gn != std::string::npos) {
            std::int64_t id = 0;
            const char* b = p.source.data() + gn + 9;
            auto r = std::from_chars(b, p.source.data() + p.source.size(), id);
            if (r.ec == std::errc()) p.geonames_id = id;
        }
        if (g.find_id(p.id) != nullptr) csv.fail("duplicate id '" + p.id + "'");
        g.add(std::move(p));
    }
    return g;
}

void Gazetteer::add(Place p) {
    if (by_id_.count(p.id) != 0) throw std::invalid_argument("duplicate place id '" + p.id + "'");
    by_id_.emplace(p.id, places_.size());
    places_.push_back(std::move(p));
}

const Place* Gazetteer::find_id(std::string_view id) const {
    auto it = by_id_.find(std::string(id));
    return it == by_id_.end() ? nullptr : &places_[it->second];
}

void Gazetteer::reindex() {
    by_id_.clear();
    for (std::size_t i = 0; i < places_.size(); ++i) by_id_.emplace(places_[i].id, i);
}

} // namespace sitmap
