#pragma once
// Options shared by many commands, written once and spelled the same everywhere.
// Include only from command files (CLI11 is heavy).
#include "tools/data_paths.hpp"

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace sitmap::cli {

inline CLI::Option* add_output(CLI::App& app, std::string& path, const std::string& what) {
    return app.add_option("-o,--output", path, what);
}

inline CLI::Option* add_format(CLI::App& app, std::string& format,
                               const std::vector<std::string>& choices) {
    return app.add_option("--format", format, "Output format")
        ->check(CLI::IsMember(choices))
        ->capture_default_str();
}

// --data, --gazetteer, --geonames, --alternate-names, --geonames-country
inline void add_data_options(CLI::App& app, DataOptions& d) {
    app.add_option("--data", d.data_dir, "Data folder (default: SITMAP_DATA or the built-in data/)");
    app.add_option("--gazetteer", d.gazetteer, "Gazetteer table (default: <data>/gazetteer.csv)");
    app.add_option("--geonames", d.geonames,
                   "GeoNames dump file to import (SY.txt, cities500.txt, ...); repeatable")
        ->expected(1)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    app.add_option("--alternate-names", d.alternate_names,
                   "GeoNames alternateNames file for the imported places; repeatable")
        ->expected(1)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    app.add_option("--geonames-country", d.countries,
                   "Keep only these ISO alpha-2 countries from GeoNames; repeatable")
        ->expected(1)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

} // namespace sitmap::cli
