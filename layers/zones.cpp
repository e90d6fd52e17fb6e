#include "layers/zones.hpp"

#include "geo/csv.hpp"
#include "geo/error.hpp"
#include "geo/gazetteer.hpp"
#include "geo/geodesic.hpp"

#include <charconv>
#include <cmath>

namespace sitmap {

bool Zone::contains(LonLat p) const {
    return centre != nullptr && geodesic_distance_m(centre->point, p) <= def.radius_km * 1000.0;
}

std::vector<ZoneDef> load_zone_defs(const std::string& path) {
    CsvReader csv(path);
    const auto name = csv.require("name"), centre = csv.require("centre_id"),
               radius = csv.require("radius_km");
    const auto source = csv.column("source");
    std::vector<ZoneDef> out;
    std::vector<std::string> row;
    while (csv.next(row)) {
        ZoneDef z;
        z.name = row[name];
        z.centre_id = row[centre];
        z.source = source ? row[*source] : "";
        z.line = csv.line();
        if (z.name.empty()) csv.fail("empty zone name");
        if (z.centre_id.empty()) csv.fail("empty centre_id");
        const auto& r = row[radius];
        const auto res = std::from_chars(r.data(), r.data() + r.size(), z.radius_km);
        if (res.ec != std::errc() || res.ptr != r.data() + r.size() || !(z.radius_km > 0) ||
            z.radius_km > 5000)
            csv.fail("radius_km must be a number between 0 and 5000, not '" + r + "'");
        out.push_back(std::move(z));
    }
    return out;
}

std::size_t circle_vertices(double radius_m, double tolerance_m) {
    // A chord of angle 2*pi/n falls short of the arc by r*(1 - cos(pi/n)) at its middle.
    const double pi = std::acos(-1.0);
    const double ratio = 1.0 - tolerance_m / radius_m;
    if (ratio <= 0) return 16;
    const double n = pi / std::acos(ratio);
    std::size_t v = static_cast<std::size_t>(std::ceil(n));
    v = (v + 7) / 8 * 8; // a multiple of 8 keeps N, E, S, W on the ring
    return v < 16 ? 16 : v;
}

std::shared_ptr<OGRGeometry> geodesic_circle(LonLat centre, double radius_m, std::size_t n) {
    auto ring = std::make_unique<OGRLinearRing>();
    // Azimuths run clockwise from north; walking them backwards gives a counter-clockwise ring.
    for (std::size_t i = 0; i <= n; ++i) {
        const double az = -360.0 * static_cast<double>(i % n) / static_cast<double>(n);
        const LonLat p = geodesic_forward(centre, az, radius_m);
        ring->addPoint(p.lon, p.lat);
    }
    auto poly = std::make_shared<OGRPolygon>();
    poly->addRingDirectly(ring.release());
    return poly;
}

std::vector<Zone> make_zones(const std::vector<ZoneDef>& defs, const Gazetteer& g,
                             const std::string& path) {
    std::vector<Zone> out;
    for (const auto& d : defs) {
        Zone z;
        z.def = d;
        z.centre = g.find_id(d.centre_id);
        if (z.centre == nullptr)
            throw InputError(path, d.line,
                             "centre_id '" + d.centre_id + "' is not a gazetteer place id");
        const double r = d.radius_km * 1000.0;
        z.vertices = circle_vertices(r, 10.0);
        z.geometry = geodesic_circle(z.centre->point, r, z.vertices);
        out.push_back(std::move(z));
    }
    return out;
}

} // namespace sitmap
