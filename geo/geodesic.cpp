#include "geo/geodesic.hpp"

#include <geodesic.h>

namespace sitmap {
namespace {

const geod_geodesic& wgs84() {
    static const geod_geodesic g = [] {
        geod_geodesic x{};
        geod_init(&x, 6378137.0, 1.0 / 298.257223563);
        return x;
    }();
    return g;
}

} // namespace

double geodesic_distance_m(LonLat a, LonLat b) {
    double s12 = 0, azi1 = 0, azi2 = 0;
    geod_inverse(&wgs84(), a.lat, a.lon, b.lat, b.lon, &s12, &azi1, &azi2);
    return s12;
}

LonLat geodesic_forward(LonLat from, double azimuth_deg, double distance_m) {
    double lat2 = 0, lon2 = 0, azi2 = 0;
    geod_direct(&wgs84(), from.lat, from.lon, azimuth_deg, distance_m, &lat2, &lon2, &azi2);
    return {lon2, lat2};
}

} // namespace sitmap
