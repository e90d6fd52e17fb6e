#pragma once
// Where the embedded default data lives, and loading it. `--data DIR` or the SITMAP_DATA
// environment variable point elsewhere; the default is the project's data/ folder.
#include "geo/admin1.hpp"
#include "geo/countries.hpp"
#include "geo/gazetteer.hpp"

#include <string>
#include <vector>

namespace sitmap::cli {

struct DataOptions {
    std::string data_dir;                   // empty: SITMAP_DATA or the built-in default
    std::string gazetteer;                  // empty: <data>/gazetteer.csv
    std::vector<std::string> geonames;      // GeoNames dump files to import
    std::vector<std::string> alternate_names; // GeoNames alternateNames files
    std::vector<std::string> countries;     // alpha-2 codes to keep from GeoNames (empty: all)

    std::string dir() const;
    std::string file(const std::string& name) const { return dir() + "/" + name; }
};

struct LoadedGazetteer {
    Admin1Table admin1;
    Gazetteer gazetteer;
    std::string summary; // one line on what was loaded, for messages
};

LoadedGazetteer load_gazetteer(const DataOptions& d);

} // namespace sitmap::cli
