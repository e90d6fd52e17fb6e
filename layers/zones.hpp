#pragma once
// Zones: circles of a given radius around a gazetteer place, drawn as true geodesic circles on
// WGS84 (PROJ's geod_direct at even azimuth steps). Zones are data (data/zones.csv) so users can
// add their own.
#include "geo/place.hpp"

#include <ogr_geometry.h>

#include <memory>
#include <string>
#include <vector>

namespace sitmap {

class Gazetteer;

struct ZoneDef {
    std::string name;
    std::string centre_id;
    double radius_km = 0;
    std::string source;
    std::size_t line = 0;
};

struct Zone {
    ZoneDef def;
    const Place* centre = nullptr;
    std::shared_ptr<OGRGeometry> geometry; // polygon, counter-clockwise exterior ring
    std::size_t vertices = 0;              // distinct vertices of the ring

    // True when p lies within the radius (geodesic distance from the centre).
    bool contains(LonLat p) const;
};

// Reads a zones table (columns name,centre_id,radius_km,source). Throws InputError naming file
// and line on a bad radius or an empty name.
std::vector<ZoneDef> load_zone_defs(const std::string& path);

// Vertices needed so that the straight edges of the ring stay within `tolerance_m` of the circle.
std::size_t circle_vertices(double radius_m, double tolerance_m);

// A geodesic circle: `n` vertices at distance radius_m from the centre, ring closed and
// counter-clockwise (the right-hand rule of RFC 7946).
std::shared_ptr<OGRGeometry> geodesic_circle(LonLat centre, double radius_m, std::size_t n);

// Resolves each zone's centre in the gazetteer (InputError naming file and line when unknown)
// and draws it with edges within 10 m of the circle.
std::vector<Zone> make_zones(const std::vector<ZoneDef>& defs, const Gazetteer& g,
                             const std::string& path);

} // namespace sitmap
