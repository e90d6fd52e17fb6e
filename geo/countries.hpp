#pragma once
// ISO 3166-1 country codes: alpha-2 (as GeoNames writes them) to alpha-3 (the project's key).
// Read from data/countries.csv (Natural Earth admin-0, public domain).
#include <string>
#include <string_view>
#include <unordered_map>

namespace sitmap {

class CountryCodes {
public:
    static CountryCodes load(const std::string& path);
    // Alpha-3 for an alpha-2 code, or "" when unknown.
    std::string alpha3(std::string_view alpha2) const;
    std::size_t size() const { return a3_.size(); }

private:
    std::unordered_map<std::string, std::string> a3_;
};

} // namespace sitmap
