#pragma once
// The atlas of the embedded data (data/), built in memory as `sitmap build` builds it, once per
// test executable. For tests that need real atlas layers without writing a GeoPackage.
#include "layers/atlas.hpp"
#include "tools/data_paths.hpp"

#include <string>

namespace sitmap::testing {

struct EmbeddedAtlas {
    cli::LoadedGazetteer gaz = cli::load_gazetteer(cli::DataOptions{});
    Atlas atlas;
    EmbeddedAtlas() {
        AtlasInputs in;
        const std::string d = SITMAP_DATA_DIR;
        in.records = load_records({d + "/records.csv"});
        in.documents = load_documents(d + "/documents.csv");
        in.gazetteer = &gaz.gazetteer;
        in.admin1 = &gaz.admin1;
        in.regions = load_natural_earth_regions(default_world_map(), gaz.admin1);
        in.zones = make_zones(load_zone_defs(d + "/zones.csv"), gaz.gazetteer, d + "/zones.csv");
        atlas = build_atlas(in);
    }
};

inline const EmbeddedAtlas& embedded_atlas() {
    static const EmbeddedAtlas built;
    return built;
}

} // namespace sitmap::testing
