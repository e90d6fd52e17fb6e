#include "geo/countries.hpp"

#include "geo/csv.hpp"

namespace sitmap {

CountryCodes CountryCodes::load(const std::string& path) {
    CsvReader csv(path);
    const auto a2 = csv.require("iso_a2"), a3 = csv.require("iso_a3");
    CountryCodes c;
    std::vector<std::string> row;
    while (csv.next(row)) {
        if (row[a2].size() != 2 || row[a3].size() != 3) csv.fail("malformed country codes");
        c.a3_.emplace(row[a2], row[a3]);
    }
    return c;
}

std::string CountryCodes::alpha3(std::string_view alpha2) const {
    auto it = a3_.find(std::string(alpha2));
    return it == a3_.end() ? std::string() : it->second;
}

} // namespace sitmap
