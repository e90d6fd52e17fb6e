#include "geo/admin1.hpp"

#include "geo/csv.hpp"

namespace sitmap {

Admin1Table Admin1Table::load(const std::string& path) {
    CsvReader csv(path);
    const auto iso = csv.require("iso_3166_2"), name = csv.require("name"),
               ar = csv.require("name_ar"), pcode = csv.require("ocha_pcode"),
               fips = csv.require("fips"), ne = csv.require("natural_earth_name");
    Admin1Table t;
    std::vector<std::string> row;
    while (csv.next(row)) {
        if (row[iso].size() != 5 || row[iso].compare(0, 3, "SY-") != 0)
            csv.fail("'" + row[iso] + "' is not an ISO 3166-2:SY code");
        t.rows_.push_back({row[iso], row[name], row[ar], row[pcode], row[fips], row[ne]});
    }
    return t;
}

const Admin1* Admin1Table::by_iso(std::string_view iso) const {
    for (const auto& r : rows_)
        if (r.iso == iso) return &r;
    return nullptr;
}

const Admin1* Admin1Table::by_fips(std::string_view fips) const {
    for (const auto& r : rows_)
        if (r.fips == fips || (fips.size() == 2 && r.fips.compare(2, 2, fips) == 0)) return &r;
    return nullptr;
}

const Admin1* Admin1Table::by_pcode(std::string_view pcode) const {
    for (const auto& r : rows_)
        if (r.ocha_pcode == pcode) return &r;
    return nullptr;
}

} // namespace sitmap
