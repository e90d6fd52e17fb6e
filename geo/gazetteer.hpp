#pragma once
// The gazetteer: the places the geocoder knows. Curated entries come from data/gazetteer.csv;
// GeoNames dump files can be imported on top (geo/geonames.hpp). Curated entries win.
#include "geo/place.hpp"

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sitmap {

class Admin1Table;

class Gazetteer {
public:
    // Reads a gazetteer table (columns: id,name,name_ar,alt_names,kind,lon,lat,admin1,
    // admin1_pcode,country,importance,source). Throws InputError naming file and line.
    static Gazetteer load(const std::string& path, const Admin1Table& admin1);

    // Adds a place; throws std::invalid_argument on a duplicate id.
    void add(Place p);
    // Removes places for which pred is true (used when merging imports).
    const std::vector<Place>& places() const { return places_; }
    std::vector<Place>& mutable_places() { return places_; }
    const Place* find_id(std::string_view id) const;
    std::size_t size() const { return places_.size(); }

    // Rebuilds the id lookup after places were changed in place.
    void reindex();

private:
    std::vector<Place> places_;
    std::unordered_map<std::string, std::size_t> by_id_;
};

} // namespace sitmap
