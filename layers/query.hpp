#pragma once
// Spatial and attribute queries on one atlas layer, for `sitmap query`.
//
// Filters combine with AND: --where (layers/where_expr.hpp), --within an area (closed: a point on
// the area's boundary is inside; points are tested exactly with RegionIndex, other geometries
// with GEOS Within), --intersects a geometry (GEOS), --bbox (closed), --from/--to on `as_of`,
// --near a point within N km (geodesic distance on WGS84, sorted nearest first), --nearest k.
// Distances are exact for points; for lines and polygons they are to the nearest vertex (0 when
// a polygon holds the point): the vertices of flow lines are the places they join.
// Features without geometry never pass a spatial filter. Output order: source order, or by
// distance (ties in source order) when a point is given.
#include "geo/place.hpp"
#include "geo/region_index.hpp"
#include "layers/feature.hpp"
#include "layers/region_source.hpp"
#include "layers/where_expr.hpp"

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sitmap {

// An area for --within: polygons in lon/lat.
struct QueryArea {
    std::string label;                     // what it is, for messages ("zone 'al-Tanf 55 km zone'")
    std::vector<sitmap::Region> parts;     // for exact point tests
    std::shared_ptr<OGRGeometry> geometry; // the union, for other geometries
};

// Builds an area from polygon geometries (Polygon, MultiPolygon, or collections of them).
QueryArea make_area(std::string label, const std::vector<const OGRGeometry*>& polygons);


struct QuerySpec {
    std::optional<WhereExpr> where;
    std::optional<QueryArea> within;
    std::shared_ptr<OGRGeometry> intersects;      // lon/lat
    std::optional<std::array<double, 4>> bbox;    // min lon, min lat, max lon, max lat
    std::optional<LonLat> near;                   // with km
    double km = 0;
    std::optional<LonLat> nearest;                // with k
    std::size_t k = 0;
    std::string from, to;                         // as_of range, inclusive
    std::size_t limit = 0;                        // 0: all
};

struct QueryHit {
    std::size_t feature = 0;             // index into the layer's features
    std::optional<double> distance_km;   // with --near / --nearest
};

// Runs the query. Throws UsageError when the layer lacks what a filter needs (geometry for a
// spatial filter, an `as_of` field for --from/--to).
std::vector<QueryHit> run_query(const Layer& layer, const QuerySpec& spec);

// Parses "minlon,minlat,maxlon,maxlat"; throws UsageError.
std::array<double, 4> parse_bbox(const std::string& s);

// ---- output helpers shared by `sitmap query` and `sitmap aggregate` -----------------------------

// A number as text: integers without a decimal point, others with up to 15 significant digits.
std::string format_number(double v);
// A feature value as text ("" for NULL).
std::string value_text(const Value& v);
// A feature's field as text: "" for NULL and when the layer has no such field.
std::string field_text(const Layer& layer, const Feature& f, const std::string& field);
// Rows (the first is the header) as aligned columns, two spaces apart, UTF-8 aware.
std::string text_table(const std::vector<std::vector<std::string>>& rows);
// True for YYYY-MM-DD (layers/records.cpp).
bool is_iso_date(const std::string& s);

} // namespace sitmap
