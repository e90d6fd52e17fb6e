#pragma once
// Mapbox Vector Tile 2.1 encoder on protozero: one layer at a time, with deduplicated key and
// value tables, extent kExtent and geometry as zigzag-encoded command integers.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sitmap::tiles {

enum class GeomType : std::uint32_t { point = 1, linestring = 2, polygon = 3 };

// Geometry command integers of one feature (MoveTo / LineTo / ClosePath with zigzag deltas).
class GeometryCommands {
public:
    void point(std::int32_t x, std::int32_t y);
    // An open line (>= 2 points after removing repeats) or a closed ring given without its
    // closing point (>= 3 points). Returns false (and writes nothing) when too short.
    bool line(const std::vector<std::int32_t>& xy);
    bool ring(const std::vector<std::int32_t>& xy);
    bool empty() const { return ints_.empty(); }
    const std::vector<std::uint32_t>& ints() const { return ints_; }
    void clear() { ints_.clear(), cx_ = cy_ = 0; }

private:
    void move_to(std::int32_t x, std::int32_t y);
    // MoveTo the first point, then one LineTo with the others (pts: interleaved x,y).
    void path(const std::vector<std::int32_t>& pts);
    std::vector<std::uint32_t> ints_;
    std::int32_t cx_ = 0, cy_ = 0;
};

// Range of the numbers written under one key (for tilestats, which GDAL reads field types from).
struct NumberRange {
    bool integers = false, reals = false;
    std::int64_t imin = 0, imax = 0;
    double dmin = 0, dmax = 0;
    void add(std::int64_t v);
    void add(double v);
    void merge(const NumberRange& o);
};

// Builds one layer message. Usage: begin_feature, properties, end_feature(geometry); finish.
class LayerEncoder {
public:
    explicit LayerEncoder(std::string name) : name_(std::move(name)) {}

    void begin_feature();
    void property(const std::string& key, std::int64_t v);
    void property(const std::string& key, double v);
    void property(const std::string& key, bool v);
    void property(const std::string& key, std::string_view v);
    // `id` empty: the feature has no id (the field is optional in the specification).
    void end_feature(GeomType type, const std::vector<std::uint32_t>& geometry,
                     std::optional<std::uint64_t> id);

    std::size_t features() const { return features_count_; }
    // Number ranges by key, for keys that carried numbers.
    std::vector<std::pair<std::string, NumberRange>> ranges() const;
    // Appends the layer as field 3 of a Tile message to `tile`.
    void finish(std::string& tile);

private:
    std::uint32_t key_index(const std::string& key);
    void add_tag(const std::string& key, std::string&& value_message);

    std::string name_;
    std::string features_; // serialized Feature messages as repeated field 2
    std::size_t features_count_ = 0;
    std::vector<std::uint32_t> tags_;
    std::unordered_map<std::string, std::uint32_t> keys_, values_;
    std::vector<const std::string*> key_order_, value_order_;
    std::vector<NumberRange> ranges_; // by key index
};

} // namespace sitmap::tiles
