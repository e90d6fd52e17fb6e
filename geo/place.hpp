#pragma once
// A place of the gazetteer: one named location with its kind, point and admin codes.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sitmap {

enum class Kind : std::uint8_t {
    governorate,
    city,
    town,
    village,
    border_crossing,
    checkpoint,
    camp,
    military_base,
    area,
    facility,
    country,
    foreign_city,
};

// How finely a located thing is known, finest first.
enum class Precision : std::uint8_t { point, settlement, district, governorate, country, unresolved };

std::string_view to_string(Kind k);
std::string_view to_string(Precision p);
std::optional<Kind> parse_kind(std::string_view s);
std::optional<Precision> parse_precision(std::string_view s);
// Every kind name, in enum order ("governorate, city, ...") for messages.
std::string kind_names();

// The precision a place of this kind gives to what is located at it.
Precision precision_of(Kind k);

struct LonLat {
    double lon = 0;
    double lat = 0;
};

struct Place {
    std::string id;                    // stable id of our own (or "geonames:<id>" for imports)
    std::string name;                  // canonical English name
    std::string name_ar;               // Arabic script
    std::vector<std::string> alt_names;
    Kind kind = Kind::village;
    LonLat point;
    std::string admin1;                // ISO 3166-2:SY code for Syrian places
    std::string admin1_pcode;          // OCHA COD-AB p-code
    std::string country;               // ISO 3166-1 alpha-3
    int importance = 0;                // 0..100
    std::string source;                // public reference of the coordinate
    bool curated = true;               // false for entries imported from GeoNames
    std::int64_t geonames_id = 0;      // when known

    // Every name this place is known by: name, Arabic name, alternatives.
    std::vector<std::string_view> all_names() const;
};

} // namespace sitmap
