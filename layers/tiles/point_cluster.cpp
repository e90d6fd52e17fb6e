#include "layers/tiles/point_cluster.hpp"

#include <algorithm>
#include <cstring>

namespace sitmap::tiles {
namespace {

const std::string kCount = "count";
const std::string kClustered = "clustered";

void lone_point(const SourceLayer& l, std::size_t i, LayerEncoder& enc) {
    write_attributes(l.point_columns, i, enc);
    enc.property(kCount, std::int64_t{1});
    enc.property(kClustered, std::int64_t{0});
}

// Numeric fields that say where a point is or how sure its location is, not how much it counts:
// a cluster carries their mean over the members, not a sum.
bool mean_field(const std::string& name) {
    static const char* const names[] = {"lon", "lat", "longitude", "latitude", "x", "y",
                                        "confidence", "importance", "score"};
    for (const char* n : names)
        if (name == n) return true;
    return false;
}

// Writes row `row` of one column as a property (nothing for a null).
void write_value(const Column& c, std::size_t row, LayerEncoder& enc) {
    if (!c.present[row]) return;
    switch (c.type) {
    case ColumnType::integer: enc.property(c.name, c.ints[row]); break;
    case ColumnType::real: enc.property(c.name, c.reals[row]); break;
    case ColumnType::boolean: enc.property(c.name, c.ints[row] != 0); break;
    case ColumnType::string:
        enc.property(c.name, std::string_view(c.strings[static_cast<std::size_t>(c.ints[row])]));
        break;
    }
}

// Members are rows of the sorted point arrays, in a fixed order (sums are made in that order).
// The `split` fields are equal over the members (they were grouped by them): their value is kept.
void cluster(const SourceLayer& l, const std::vector<std::uint32_t>& m,
             const std::vector<std::size_t>& split, LayerEncoder& enc) {
    const std::size_t b = m.front();
    for (std::size_t ci = 0; ci < l.point_columns.size(); ++ci) {
        const auto& c = l.point_columns[ci];
        std::size_t n = 0;
        if (std::find(split.begin(), split.end(), ci) != split.end()) {
            write_value(c, b, enc);
        } else if ((c.type == ColumnType::integer || c.type == ColumnType::real) &&
                   mean_field(c.name)) {
            long double sum = 0;
            for (auto i : m)
                if (c.present[i])
                    sum += c.type == ColumnType::real ? c.reals[i] : static_cast<long double>(c.ints[i]), ++n;
            if (n) enc.property(c.name, static_cast<double>(sum / static_cast<long double>(n)));
        } else if (c.type == ColumnType::integer) {
            // Exact while the sum fits in 64 bits; past that, a real.
            std::int64_t sum = 0;
            long double wide = 0;
            bool overflow = false;
            for (auto i : m) {
                if (!c.present[i]) continue;
                ++n;
                wide += static_cast<long double>(c.ints[i]);
                if (!overflow) overflow = __builtin_add_overflow(sum, c.ints[i], &sum);
            }
            if (n && overflow) enc.property(c.name, static_cast<double>(wide));
            else if (n) enc.property(c.name, sum);
        } else if (c.type == ColumnType::real) {
            long double sum = 0;
            for (auto i : m)
                if (c.present[i]) sum += c.reals[i], ++n;
            if (n) enc.property(c.name, static_cast<double>(sum));
        } else {
            bool same = c.present[b] != 0;
            for (std::size_t k = 1; same && k < m.size(); ++k)
                same = c.present[m[k]] && c.ints[m[k]] == c.ints[b];
            if (same) write_value(c, b, enc);
        }
    }
    enc.property(kCount, static_cast<std::int64_t>(m.size()));
    enc.property(kClustered, std::int64_t{1});
}

// The value of a cluster-by field as a key: (present, value); reals by their bits. A null is
// its own key, apart from every value.
std::pair<bool, std::int64_t> split_key(const Column& c, std::size_t i) {
    if (!c.present[i]) return {false, 0};
    if (c.type == ColumnType::real) {
        std::int64_t bits = 0;
        std::memcpy(&bits, &c.reals[i], sizeof bits);
        return {true, bits};
    }
    return {true, c.ints[i]};
}

} // namespace

void write_attributes(const std::vector<Column>& cols, std::size_t row, LayerEncoder& enc) {
    for (const auto& c : cols) write_value(c, row, enc);
}

std::vector<std::size_t> default_cluster_by(const SourceLayer& layer) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < layer.point_columns.size(); ++i) {
        const auto& n = layer.point_columns[i].name;
        if (n == "category" || n == "subcategory" || n == "period" || n == "unit") out.push_back(i);
    }
    return out;
}

PointIndex sort_points(SourceLayer& layer, int top_zoom) {
    PointIndex idx;
    idx.top_zoom = top_zoom;
    const std::size_t n = layer.point_count();
    const int bits = top_zoom + kExtentBits;
    std::vector<std::pair<std::uint64_t, std::uint32_t>> keys(n);
    std::vector<std::uint32_t> px(n), py(n);
    for (std::size_t i = 0; i < n; ++i) {
        px[i] = world_pixel(layer.point_xy[2 * i], bits);
        py[i] = world_pixel(layer.point_xy[2 * i + 1], bits);
        keys[i] = {morton(px[i], py[i]), static_cast<std::uint32_t>(i)};
    }
    std::sort(keys.begin(), keys.end());
    std::vector<std::uint32_t> order(n);
    idx.code.resize(n);
    idx.px.resize(n);
    idx.py.resize(n);
    std::vector<double> xy(2 * n);
    std::vector<std::int64_t> fid(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto o = keys[i].second;
        order[i] = o;
        idx.code[i] = keys[i].first;
        idx.px[i] = px[o];
        idx.py[i] = py[o];
        xy[2 * i] = layer.point_xy[2 * o];
        xy[2 * i + 1] = layer.point_xy[2 * o + 1];
        fid[i] = layer.point_fid[o];
    }
    layer.point_xy.swap(xy);
    layer.point_fid.swap(fid);
    for (auto& c : layer.point_columns) c.permute(order);
    return idx;
}

std::vector<TileRange> tile_ranges(const PointIndex& index, int zoom) {
    std::vector<TileRange> out;
    const int down = index.top_zoom - zoom + kExtentBits; // top pixel -> tile at `zoom`
    const int shift = 2 * down;
    const std::size_t n = index.code.size();
    for (std::size_t b = 0; b < n;) {
        const auto key = index.code[b] >> shift;
        std::size_t e = b + 1;
        while (e < n && (index.code[e] >> shift) == key) ++e;
        out.push_back({index.px[b] >> down, index.py[b] >> down, b, e});
        b = e;
    }
    return out;
}

ClusterCounts encode_points(const SourceLayer& layer, const PointIndex& index, int zoom,
                            int cell_bits, const std::vector<std::size_t>& split,
                            const TileRange& range, LayerEncoder& enc) {
    ClusterCounts counts;
    const int down = index.top_zoom - zoom; // top pixel -> pixel at `zoom`
    const int shift = 2 * (down + cell_bits);
    const std::int64_t ox = std::int64_t{range.x} << kExtentBits;
    const std::int64_t oy = std::int64_t{range.y} << kExtentBits;
    GeometryCommands cmd;
    std::vector<std::uint32_t> cell, members;
    auto emit = [&](const std::vector<std::uint32_t>& m) {
        std::int64_t sx = 0, sy = 0;
        for (auto i : m) {
            sx += (index.px[i] >> down) - ox;
            sy += (index.py[i] >> down) - oy;
        }
        const auto n = static_cast<std::int64_t>(m.size());
        enc.begin_feature();
        if (n == 1) lone_point(layer, m.front(), enc);
        else cluster(layer, m, split, enc), ++counts.clusters;
        cmd.clear();
        cmd.point(static_cast<std::int32_t>((sx + n / 2) / n),
                  static_cast<std::int32_t>((sy + n / 2) / n));
        // A lone point has its source feature id; a cluster has none.
        enc.end_feature(GeomType::point, cmd.ints(),
                        n == 1 ? feature_id(layer.point_fid[m.front()]) : std::nullopt);
        ++counts.features;
        counts.points += m.size();
    };
    auto same_kind = [&](std::uint32_t a, std::uint32_t b) {
        for (auto c : split)
            if (split_key(layer.point_columns[c], a) != split_key(layer.point_columns[c], b))
                return false;
        return true;
    };
    auto kind_less = [&](std::uint32_t a, std::uint32_t b) {
        for (auto c : split) {
            const auto ka = split_key(layer.point_columns[c], a);
            const auto kb = split_key(layer.point_columns[c], b);
            if (ka != kb) return ka < kb;
        }
        return a < b;
    };
    for (std::size_t b = range.begin; b < range.end;) {
        const auto key = index.code[b] >> shift;
        std::size_t e = b + 1;
        while (e < range.end && (index.code[e] >> shift) == key) ++e;
        cell.resize(e - b);
        for (std::size_t i = b; i < e; ++i) cell[i - b] = static_cast<std::uint32_t>(i);
        if (split.empty() || cell.size() == 1) {
            emit(cell);
        } else {
            std::sort(cell.begin(), cell.end(), kind_less);
            for (std::size_t k = 0; k < cell.size();) {
                std::size_t j = k + 1;
                while (j < cell.size() && same_kind(cell[k], cell[j])) ++j;
                members.assign(cell.begin() + static_cast<std::ptrdiff_t>(k),
                               cell.begin() + static_cast<std::ptrdiff_t>(j));
                emit(members);
                k = j;
            }
        }
        b = e;
    }
    return counts;
}

} // namespace sitmap::tiles
