#pragma once
// The figures a map shows, chosen from the atlas: the choropleth's group of records summed per
// governorate with the library's aggregation (layers/aggregate.hpp), its classes, and the flow
// legs of the same category, period kind and unit.
//
// Choice of the group when not given (records in people preferred when there are any):
// - the period kind with the most records allocated to a governorate (ties: the one with more
//   flow legs, then cumulative, week, month, day, year, point_in_time);
// - in it, the group (subcategory, unit, status) with a value in the most governorates, then
//   with the most records (ties: subcategory total, idp, from_abroad, then the first by name).
#include "layers/aggregate.hpp"
#include "layers/feature.hpp"
#include "layers/render/classes.hpp"
#include "layers/render/render.hpp"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace sitmap::render {

struct FlowFigure {
    LonLat from, to;
    double value = 0;
    std::string from_name, to_name, record_id;
};

struct MapFigures {
    std::optional<GroupKey> group;                   // empty: no record of the category allocated
    std::vector<std::optional<double>> region_value; // per feature of the regions layer
    std::vector<double> values;                      // the values classed
    ClassBreaks breaks;
    std::vector<Color> colors;
    std::size_t unallocated = 0; // records of the group not in a governorate
    std::string first_as_of, last_as_of;
    std::string period;            // the period kind of the group and flows
    std::vector<FlowFigure> flows; // of the group's unit (when there is a group), largest first
    std::set<std::string> sources; // of the records shown: the group's and the flows'
};

// The regions layer of the atlas (read from `atlas_path`) as a region layer for the
// aggregation. Throws InputError naming the file when the layer lacks region_id or name or has
// no features.
RegionLayer regions_from_layer(const Layer &regions, const std::string &atlas_path);

// Throws InputError naming `atlas_path` when the atlas has no record layer or its flows layer
// lacks a field the map needs (value, category, period, from_name, to_name); UsageError for an
// unknown category, subcategory or period kind.
MapFigures compute_figures(const std::vector<Layer> &atlas, const RegionLayer &regions,
                           const RenderOptions &opt, const std::string &atlas_path);

} // namespace sitmap::render
