#pragma once
// Jobs shared by several commands: building the atlas (build, run) and extracting bulletins
// (extract, run --bulletins). Include only from command files (CLI11 is heavy).
#include "layers/atlas.hpp"
#include "tools/command.hpp"
#include "tools/data_paths.hpp"

#include <iosfwd>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace sitmap::cli {

// What `sitmap build` needs: records, documents, regions, zones, styles and the gazetteer.
struct AtlasJob {
    std::vector<std::string> records;   // empty: <data>/records.csv
    std::string documents;              // empty: <data>/documents.csv
    std::string regions;                // empty: Natural Earth from world_map
    std::string world_map;              // empty: Debian's qgis-common copy
    std::string zones;                  // empty: <data>/zones.csv
    std::string styles;                 // empty: <data>/styles
    DataOptions data;

    // Checks the files given exist (before any work starts).
    void check() const;
    std::string styles_dir() const { return styles.empty() ? data.file("styles") : styles; }
};

// Declares the atlas options (--records, --documents, --regions, --world-map, --zones, --styles
// and the data options) on a command.
void add_atlas_options(CLI::App& app, AtlasJob& job);

// Builds the atlas and writes it to `out` (a GeoPackage). Prints one line per layer to `log`.
Atlas run_atlas_job(const AtlasJob& job, const std::string& out, std::ostream& log);

// What `sitmap extract` needs: bulletin files, fallbacks for date, source and claimant.
struct ExtractJob {
    std::vector<std::string> bulletins;
    std::string date, source, claimant, patterns;
    DataOptions data;
};

// Checks the bulletin files exist and --date is a date (before any work starts).
void check_extract_job(const ExtractJob& job);

// Extracts every bulletin and writes the merged records to `out` (temp file + rename).
// Returns the number of records written.
std::size_t run_extract_job(const ExtractJob& job, const std::string& out, Io& io);

} // namespace sitmap::cli
