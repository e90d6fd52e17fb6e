#pragma once
// Region polygons for the atlas: Syria's governorates (Natural Earth admin-1 from Debian's
// qgis-common by default, or any polygon layer GDAL reads) keyed by ISO 3166-2 code with OCHA
// p-codes, and the neighbouring countries for context. Everything is WGS84 lon/lat.
#include "geo/place.hpp"

#include <ogr_geometry.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sitmap {

class Admin1Table;

struct AtlasRegion {
    std::string id;          // ISO 3166-2 code for governorates, the source's code for subdivisions
    std::string iso;         // ISO 3166-2:SY code of the governorate it lies in
    std::string name;        // as the source writes it
    std::string pcode;       // OCHA p-code of the governorate
    std::string level;       // "governorate", or "subdivision" when several features share a code
    std::string source_code; // the value of the key field in the source
    std::shared_ptr<OGRGeometry> geometry; // multipolygon, WGS84 lon/lat
};

struct Country {
    std::string iso3, name;
    std::shared_ptr<OGRGeometry> geometry;
};

struct RegionSet {
    std::vector<AtlasRegion> regions;
    std::vector<Country> countries; // neighbours of Syria, context only
    std::string source;             // path and layer read
    std::string key_field;          // field the ISO codes came from

    // The region containing the point (first match), or null.
    const AtlasRegion* region_at(LonLat p) const;
    // A point inside the union of the regions of a governorate (ISO code), or nullopt.
    std::optional<LonLat> point_on_surface(const std::string& iso) const;
};

// Debian's qgis-common ships Natural Earth here (layers states_provinces and countries).
std::string default_world_map();

// Natural Earth admin-1 (states_provinces, iso_a2 = 'SY'; the `fips` field mapped to ISO through
// the admin1 table; the UNDOF zone left out) and admin-0 neighbours from `world_map`.
RegionSet load_natural_earth_regions(const std::string& world_map, const Admin1Table& admin1);

// Any polygon layer GDAL reads (first layer, or "path|layername=NAME"), reprojected to WGS84.
// The key field is found by its values: ISO 3166-2 codes (SY-DR), OCHA p-codes (SY12, SY1203),
// UNHCR codes (SYR012003) or, in a field named like "fips", FIPS codes. Throws InputError naming
// the file when no field maps every feature to a governorate.
RegionSet load_regions(const std::string& path, const Admin1Table& admin1);

// Neighbouring countries of Syria from Natural Earth admin-0 (for context), or none when the file
// is missing.
std::vector<Country> load_neighbour_countries(const std::string& world_map);

} // namespace sitmap
