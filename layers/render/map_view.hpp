#pragma once
// Where the map goes on the page: a PROJ projection suited to the area (Lambert conformal conic
// for Syria by default) and the fit of a lon/lat box into a frame of the page. Page units are
// points (1/72 inch), y downwards.
#include "geo/place.hpp"

#include <ogr_geometry.h>

#include <memory>
#include <string>
#include <vector>

namespace sitmap::render {

struct Pt {
    double x = 0, y = 0;
};

struct Box {
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    double width() const { return x1 - x0; }
    double height() const { return y1 - y0; }
    bool overlaps(const Box &o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
    bool contains(const Box &o) const {
        return o.x0 >= x0 && o.x1 <= x1 && o.y0 >= y0 && o.y1 <= y1;
    }
    bool contains(Pt p) const { return p.x >= x0 && p.x <= x1 && p.y >= y0 && p.y <= y1; }
};

struct LonLatBox {
    double min_lon = 0, min_lat = 0, max_lon = 0, max_lat = 0;
};

// The default projection: Lambert conformal conic with standard parallels 33 and 37 N, centred
// on 35 N 38.5 E, on WGS84.
inline constexpr const char *kSyriaLcc =
    "+proj=lcc +lat_1=33 +lat_2=37 +lat_0=35 +lon_0=38.5 +datum=WGS84 +units=m +no_defs";
// kSyriaLcc in words, for the map's attribution.
inline constexpr const char *kSyriaLccWords =
    "Lambert conformal conic projection (standard parallels 33° and 37° N, WGS84)";

// A PROJ transformation from EPSG:4326 (lon, lat order) to a projected CRS. Owns its context.
class Projection {
  public:
    explicit Projection(const std::string &target = kSyriaLcc); // throws WorkError
    ~Projection();
    Projection(const Projection &) = delete;
    Projection &operator=(const Projection &) = delete;
    Pt forward(LonLat p) const;                  // metres; throws WorkError when PROJ fails
    void forward(std::vector<Pt> &lonlat) const; // in place, lon/lat in, metres out

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::string def_;
};

// The fit of a lon/lat box into a page frame: projected, scaled uniformly and centred.
class MapView {
  public:
    MapView(const Projection &proj, LonLatBox bbox, Box frame);
    Pt to_page(LonLat p) const;
    Pt to_page_m(Pt metres) const;
    // The rings/lines of an OGR geometry in page coordinates (points are left out).
    std::vector<std::vector<Pt>> to_page(const OGRGeometry &g) const;
    const Box &frame() const { return frame_; }
    const Projection &projection() const { return proj_; }
    LonLat centre() const { return centre_; }
    // Page points per ground metre at `at`: the page length of a geodesic of `metres` to the east,
    // divided by `metres`.
    double ground_scale(LonLat at, double metres) const;
    // Angle of true north at `at`, in degrees clockwise from page up.
    double north_angle(LonLat at) const;

  private:
    const Projection &proj_;
    Box frame_;
    LonLat centre_;
    double k_ = 1, mx_ = 0, my_ = 0; // page = frame centre + k * (m - (mx, my)), y flipped
};

} // namespace sitmap::render
