#pragma once
// Import of GeoNames dump files into the gazetteer: the 19-column main format (allCountries.txt,
// SY.txt, cities500.txt, ...) with its alternatenames column, and the separate alternateNames
// file. Imported places keep their GeoNames id (id "geonames:<id>") and attribution
// ("GeoNames <id> (CC BY 4.0)"). Curated places win: an import is dropped when a curated place
// cites the same GeoNames id, or has the same folded name within 10 km.
#include <cstddef>
#include <set>
#include <string>

namespace sitmap {

class Admin1Table;
class CountryCodes;
class Gazetteer;

struct GeonamesOptions {
    std::set<std::string> countries;     // ISO alpha-2 codes to keep; empty keeps all
    bool alternate_names = true;         // index the alternatenames column
};

struct GeonamesStats {
    std::size_t rows = 0;       // rows read
    std::size_t added = 0;      // places added
    std::size_t curated = 0;    // dropped because a curated place is the same
    std::size_t skipped = 0;    // feature codes that are not places the geocoder serves
    std::size_t alt_names = 0;  // alternate names attached (alternateNames file)
};

// Reads a GeoNames main dump file. Throws InputError naming file and line on a malformed row.
// Country codes become ISO alpha-3 through `countries`; Syrian admin1 codes (FIPS numbers in
// GeoNames) become ISO 3166-2:SY through `admin1`.
GeonamesStats import_geonames(Gazetteer& g, const std::string& path, const Admin1Table& admin1,
                              const CountryCodes& countries, const GeonamesOptions& opt = {});

// Reads GeoNames' alternateNames file (8 or 10 columns) and attaches the names to places
// already imported. Returns the number of names attached.
std::size_t import_geonames_alternate_names(Gazetteer& g, const std::string& path);

} // namespace sitmap
