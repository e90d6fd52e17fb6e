#pragma once
// Records per region: sums of the atlas record layers over any polygon layer (the atlas regions,
// its zones, or a layer the user brings), for `sitmap aggregate`.
//
// Rules (docs/cli/sitmap-aggregate.md):
// - Sums are made per group: same category, subcategory, period kind, unit and status. Cumulative
//   and per-period figures are never added together. Several percentages are not summed.
// - Stock figures (period `cumulative` or `point_in_time`) of one place supersede each other:
//   only the latest `as_of` of each place counts in a group's sum; earlier ones are counted as
//   `superseded` (a series of national totals is never summed over its dates).
// - A record whose precision is coarser than the region level (a governorate record asked per
//   district, a country record asked per governorate) or that has no point goes to the
//   `unallocated` row, never spread; a point inside none of the regions goes to `outside`.
// - A point on a boundary goes to the region RegionIndex's boundary rule picks (the lowest index
//   in the source order among the regions whose closed set holds it).
// - Rows are sorted by region id (then source order); `unallocated` and `outside` come last.
#include "layers/feature.hpp"
#include "layers/region_source.hpp"

#include <cstddef>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace sitmap {

// Region levels, finest last. A record is allocated when its precision is at most as coarse as
// the level: settlement takes point/settlement records, district also district records,
// governorate also governorate records. Country records are never allocated.
enum class RegionLevel { governorate, district, subdistrict, settlement };
std::string to_string(RegionLevel l);
std::optional<RegionLevel> parse_region_level(const std::string& s);

// Rank of a record precision (point 0, settlement 1, district 2, governorate 3, country 4,
// unresolved or unknown 5), and the coarsest rank a level accepts.
int precision_rank(const std::string& precision);
int level_max_rank(RegionLevel l);

struct AggregateSpec {
    std::vector<std::string> categories;    // empty: returns and facilities
    std::vector<std::string> subcategories; // empty: all
    std::vector<std::string> periods;       // period kinds; empty: all
    std::vector<std::string> statuses;      // empty: all ("" matches records without status)
    std::string from, to;                   // as_of range, inclusive; empty: open
    std::optional<RegionLevel> level;       // empty: detected (detect_level)
    std::string id_field, name_field;       // empty: detected (detect_region_fields)
};

struct GroupKey {
    std::string category, subcategory, period, unit, status;
    // Column name: category:subcategory:period:unit[:status]
    std::string column() const;
    auto operator<=>(const GroupKey&) const = default;
};

struct GroupSum {
    double value = 0;              // sum of the counted records' values
    std::size_t records = 0;       // records counted in the sum
    std::size_t superseded = 0;    // stock records left out (an older figure of the same place)
    std::string first_as_of, last_as_of;
    std::set<std::string> qualifiers; // of the counted records (more_than makes a lower bound)
    // False when the sum means nothing: several figures in percent. Writers leave it empty.
    bool additive = true;
    bool has_value() const { return records > 0 && additive; }
};

struct AggregateRow {
    std::string region_id, region_name;
    std::int32_t region = -1;      // index into the region layer's features; -1: the two below
    std::string kind = "region";   // region | unallocated | outside
    std::map<GroupKey, GroupSum> sums;
    std::size_t records = 0;       // every selected record in the row (counted or superseded)
    std::size_t superseded = 0;
    std::set<std::string> sources, claimants;
    std::vector<std::string> record_ids; // in record_id order
};

struct AggregateTable {
    RegionLevel level = RegionLevel::governorate;
    std::string level_how;               // "from --level", "from codes in field X", ...
    std::string id_field, name_field;
    std::vector<std::string> fields;     // the region layer's own fields, in its order
    std::vector<GroupKey> groups;        // every group in any row, sorted
    std::vector<AggregateRow> rows;
    std::size_t records = 0;             // records selected
};

// Picks the id field (values unique where present, at most half empty; admin codes, names like
// *pcode*, *code*, *id* preferred; a feature with an empty id is keyed "fid:N")
// and the name field (names like name, admname, *_en). Throws UsageError listing the fields when
// a requested field is absent or no id field can be found.
std::pair<std::string, std::string> detect_region_fields(const RegionLayer& regions,
                                                         const std::string& id_field = "",
                                                         const std::string& name_field = "");

// Level from the codes of the id field (SY-DR, SY12, SYR012: governorate; SY1203, SYR012003:
// district; longer: subdistrict), else from the count (at most 20 features: governorate).
std::pair<RegionLevel, std::string> detect_level(const RegionLayer& regions,
                                                 const std::string& id_field);

// Aggregates the records of `record_layers` (atlas layers with category/value/precision fields).
// Throws UsageError on an unknown category or period kind (listing the known ones).
AggregateTable aggregate_records(const RegionLayer& regions,
                                 const std::vector<const Layer*>& record_layers,
                                 const AggregateSpec& spec);

// The region's polygons as an OGR multipolygon (lon/lat).
std::shared_ptr<OGRGeometry> region_geometry(const sitmap::Region& r);

// Column names of the wide layout: the layer's own fields (renamed src_X where they clash with
// ours) and one column per group (category:subcategory:period:unit[:status]).
struct AggregateColumns {
    std::vector<std::string> own;
    std::vector<std::string> groups;
};
AggregateColumns aggregate_columns(const AggregateTable& t);

// The table as CSV, one row per region: region_id, region_name, row_kind, the layer's own
// fields, records, superseded, one column per group, sources, claimants, record_ids.
void write_aggregate_csv(std::ostream& out, const AggregateTable& t, const RegionLayer& regions);

} // namespace sitmap
