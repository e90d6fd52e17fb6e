#include "tools/data_paths.hpp"

#include "geo/geonames.hpp"

#include <cstdlib>
#include <set>

namespace sitmap::cli {

std::string DataOptions::dir() const {
    if (!data_dir.empty()) return data_dir;
    if (const char* env = std::getenv("SITMAP_DATA"); env != nullptr && *env != '\0') return env;
    return SITMAP_DATA_DIR;
}

LoadedGazetteer load_gazetteer(const DataOptions& d) {
    LoadedGazetteer l{Admin1Table::load(d.file("admin1.csv")), Gazetteer{}, {}};
    l.gazetteer = Gazetteer::load(d.gazetteer.empty() ? d.file("gazetteer.csv") : d.gazetteer,
                                  l.admin1);
    l.summary = std::to_string(l.gazetteer.size()) + " curated places";
    if (!d.geonames.empty()) {
        const CountryCodes codes = CountryCodes::load(d.file("countries.csv"));
        GeonamesOptions opt;
        opt.countries = std::set<std::string>(d.countries.begin(), d.countries.end());
        std::size_t added = 0, curated = 0;
        for (const auto& path : d.geonames) {
            const auto st = import_geonames(l.gazetteer, path, l.admin1, codes, opt);
            added += st.added;
            curated += st.curated;
        }
        std::size_t alts = 0;
        for (const auto& path : d.alternate_names)
            alts += import_geonames_alternate_names(l.gazetteer, path);
        l.summary += ", " + std::to_string(added) + " GeoNames places (" +
                     std::to_string(curated) + " left to curated entries, " +
                     std::to_string(alts) + " alternate names)";
    }
    return l;
}

} // namespace sitmap::cli
