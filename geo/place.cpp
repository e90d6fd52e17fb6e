#include "geo/place.hpp"

#include <array>

namespace sitmap {
namespace {

constexpr std::array<std::string_view, 12> kKindNames{
    "governorate", "city",     "town", "village",  "border_crossing", "checkpoint",
    "camp",        "military_base", "area", "facility", "country",   "foreign_city"};

constexpr std::array<std::string_view, 6> kPrecisionNames{
    "point", "settlement", "district", "governorate", "country", "unresolved"};

} // namespace

std::string_view to_string(Kind k) { return kKindNames[static_cast<std::size_t>(k)]; }
std::string_view to_string(Precision p) { return kPrecisionNames[static_cast<std::size_t>(p)]; }

std::optional<Kind> parse_kind(std::string_view s) {
    for (std::size_t i = 0; i < kKindNames.size(); ++i)
        if (kKindNames[i] == s) return static_cast<Kind>(i);
    return std::nullopt;
}

std::optional<Precision> parse_precision(std::string_view s) {
    for (std::size_t i = 0; i < kPrecisionNames.size(); ++i)
        if (kPrecisionNames[i] == s) return static_cast<Precision>(i);
    return std::nullopt;
}

std::string kind_names() {
    std::string out;
    for (auto k : kKindNames) out += (out.empty() ? "" : ", ") + std::string(k);
    return out;
}

Precision precision_of(Kind k) {
    switch (k) {
    case Kind::governorate: return Precision::governorate;
    case Kind::country: return Precision::country;
    case Kind::area: return Precision::district;
    case Kind::city:
    case Kind::town:
    case Kind::village:
    case Kind::foreign_city: return Precision::settlement;
    case Kind::border_crossing:
    case Kind::checkpoint:
    case Kind::camp:
    case Kind::military_base:
    case Kind::facility: return Precision::point;
    }
    return Precision::unresolved;
}

std::vector<std::string_view> Place::all_names() const {
    std::vector<std::string_view> out;
    out.reserve(2 + alt_names.size());
    out.push_back(name);
    if (!name_ar.empty()) out.push_back(name_ar);
    for (const auto& a : alt_names) out.push_back(a);
    return out;
}

} // namespace sitmap
