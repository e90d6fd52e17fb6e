#pragma once
// The atlas: every layer `sitmap build` writes to one GeoPackage, built from located records.
//
//   regions, countries            polygons (governorates keyed by ISO 3166-2; neighbours)
//   places, crossings, camps      gazetteer entries the records use, with record counts
//   zones                         geodesic circles from data/zones.csv
//   returns, facilities, camp_population, intended_returns, other_figures
//                                 one point per record, at its place, with precision
//   flows                         lines origin -> crossing -> destination with value and period
//   unresolved                    every place string that could not be located, with its record
//   audit                         consistency checks on the records
#include "geo/place.hpp"
#include "layers/feature.hpp"
#include "layers/records.hpp"
#include "layers/regions.hpp"
#include "layers/zones.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sitmap {

class Gazetteer;
class Geocoder;

// One place string of a record resolved against the gazetteer.
struct NameMatch {
    std::string text;                 // as written
    std::string status;               // matched | ambiguous | unresolved | not_a_place
    std::vector<const Place*> places; // one, or several for "A, B and C provinces"
    double score = 0;
    std::string candidate;            // best candidate id when ambiguous
    std::string how;                  // how it was matched, when not directly
};

// Where a record is: its place (or places), a point, how precise, how sure.
struct Located {
    std::vector<const Place*> places;
    std::optional<LonLat> point;
    Precision precision = Precision::unresolved;
    std::string admin1, admin1_pcode, region_id;
    double confidence = 0;
    std::string how;
};

// Resolves the place strings of records, remembering each answer.
class RecordLocator {
public:
    RecordLocator(const Geocoder& geocoder, const RegionSet& regions, const Admin1Table& admin1);
    // Resolves one name ('|'-separated lists are split by the caller). `category` and
    // `subcategory` give context (facility names are tried with their kind first).
    const NameMatch& resolve(const std::string& text, const std::string& category = "",
                             const std::string& subcategory = "");
    // Resolves every name of a '|'-joined field.
    std::vector<const NameMatch*> resolve_field(const std::string& field,
                                                const std::string& category = "",
                                                const std::string& subcategory = "");
    // Locates a record by its `place` field.
    Located locate(const Record& r);
    // A point for a place: governorates and countries get their region's point on surface.
    LonLat point_of(const Place& p) const;

private:
    const Geocoder& geocoder_;
    const RegionSet& regions_;
    const Admin1Table& admin1_;
    std::map<std::string, NameMatch> cache_;
};

struct AtlasInputs {
    std::vector<Record> records;
    std::vector<Document> documents;
    const Gazetteer* gazetteer = nullptr;
    const Admin1Table* admin1 = nullptr;
    RegionSet regions;
    std::vector<Zone> zones;
};

struct Atlas {
    std::vector<Layer> layers; // in the order they are written and drawn
    std::size_t unresolved = 0;      // rows of the unresolved layer
    std::size_t audit_findings = 0;  // audit rows that are not "ok"

    const Layer& layer(const std::string& name) const; // throws std::out_of_range
};

Atlas build_atlas(const AtlasInputs& in);

// The layer each record category goes to.
std::string record_layer_name(const std::string& category);
// Layer names in atlas order.
const std::vector<std::string>& atlas_layer_names();

// Builders (layers/atlas_*.cpp).
Layer make_regions_layer(const RegionSet& regions, const Admin1Table& admin1,
                         const std::vector<Record>& records, const std::vector<Located>& located);
Layer make_countries_layer(const RegionSet& regions);
Layer make_zones_layer(const std::vector<Zone>& zones, const Gazetteer& g,
                       const std::vector<Located>& located);
Layer make_record_layer(const std::string& name, const std::vector<Record>& records,
                        const std::vector<Located>& located);
Layer make_flows_layer(const std::vector<Record>& records, RecordLocator& locator);
Layer make_unresolved_layer(const std::vector<Record>& records, RecordLocator& locator);
std::vector<Layer> make_place_layers(const Gazetteer& g, const std::vector<Record>& records,
                                     RecordLocator& locator);

// Geodesic area of a polygon in km² (PROJ's geod_polygonarea on WGS84).
double geodesic_area_km2(const OGRGeometry& g);

} // namespace sitmap
