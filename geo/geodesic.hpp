#pragma once
// Geodesic distance and direct problem on the WGS84 ellipsoid (PROJ's geodesic routines).
#include "geo/place.hpp"

namespace sitmap {

// Distance in metres between two points on WGS84.
double geodesic_distance_m(LonLat a, LonLat b);

// The point reached from `from` after `distance_m` metres on azimuth `azimuth_deg` (clockwise
// from north).
LonLat geodesic_forward(LonLat from, double azimuth_deg, double distance_m);

} // namespace sitmap
