#include "layers/tiles/mvt_encoder.hpp"

#include "layers/tiles/tile_math.hpp"

#include <protozero/pbf_writer.hpp>

#include <algorithm>

namespace sitmap::tiles {
namespace {

constexpr std::uint32_t command(std::uint32_t id, std::uint32_t count) { return (count << 3) | id; }
constexpr std::uint32_t zigzag(std::int32_t v) {
    return (static_cast<std::uint32_t>(v) << 1) ^ static_cast<std::uint32_t>(v >> 31);
}

// Drops repeated consecutive points (and, for rings, a closing point equal to the first).
std::vector<std::int32_t> without_repeats(const std::vector<std::int32_t>& xy, bool ring) {
    std::vector<std::int32_t> out;
    out.reserve(xy.size());
    for (std::size_t i = 0; i + 1 < xy.size(); i += 2) {
        const auto n = out.size();
        if (n >= 2 && out[n - 2] == xy[i] && out[n - 1] == xy[i + 1]) continue;
        out.push_back(xy[i]);
        out.push_back(xy[i + 1]);
    }
    while (ring && out.size() >= 4 && out[0] == out[out.size() - 2] && out[1] == out.back())
        out.resize(out.size() - 2);
    return out;
}

} // namespace

void GeometryCommands::move_to(std::int32_t x, std::int32_t y) {
    ints_.push_back(command(1, 1));
    ints_.push_back(zigzag(x - cx_));
    ints_.push_back(zigzag(y - cy_));
    cx_ = x;
    cy_ = y;
}

void GeometryCommands::point(std::int32_t x, std::int32_t y) { move_to(x, y); }

void GeometryCommands::path(const std::vector<std::int32_t>& pts) {
    move_to(pts[0], pts[1]);
    ints_.push_back(command(2, static_cast<std::uint32_t>(pts.size() / 2 - 1)));
    for (std::size_t i = 2; i < pts.size(); i += 2) {
        ints_.push_back(zigzag(pts[i] - cx_));
        ints_.push_back(zigzag(pts[i + 1] - cy_));
        cx_ = pts[i];
        cy_ = pts[i + 1];
    }
}

bool GeometryCommands::line(const std::vector<std::int32_t>& xy) {
    const auto pts = without_repeats(xy, false);
    if (pts.size() < 4) return false;
    path(pts);
    return true;
}

bool GeometryCommands::ring(const std::vector<std::int32_t>& xy) {
    const auto pts = without_repeats(xy, true);
    if (pts.size() < 6) return false;
    path(pts);
    ints_.push_back(command(7, 1)); // ClosePath
    return true;
}

void NumberRange::add(std::int64_t v) {
    imin = integers ? std::min(imin, v) : v;
    imax = integers ? std::max(imax, v) : v;
    integers = true;
}
void NumberRange::add(double v) {
    dmin = reals ? std::min(dmin, v) : v;
    dmax = reals ? std::max(dmax, v) : v;
    reals = true;
}
void NumberRange::merge(const NumberRange& o) {
    if (o.integers) add(o.imin), add(o.imax);
    if (o.reals) add(o.dmin), add(o.dmax);
}

std::vector<std::pair<std::string, NumberRange>> LayerEncoder::ranges() const {
    std::vector<std::pair<std::string, NumberRange>> out;
    for (std::size_t i = 0; i < key_order_.size(); ++i)
        if (ranges_[i].integers || ranges_[i].reals) out.emplace_back(*key_order_[i], ranges_[i]);
    return out;
}

void LayerEncoder::begin_feature() { tags_.clear(); }

std::uint32_t LayerEncoder::key_index(const std::string& key) {
    auto [it, added] = keys_.try_emplace(key, static_cast<std::uint32_t>(key_order_.size()));
    if (added) {
        key_order_.push_back(&it->first);
        ranges_.emplace_back();
    }
    return it->second;
}

void LayerEncoder::add_tag(const std::string& key, std::string&& value_message) {
    tags_.push_back(key_index(key));
    auto [it, added] =
        values_.try_emplace(std::move(value_message), static_cast<std::uint32_t>(value_order_.size()));
    if (added) value_order_.push_back(&it->first);
    tags_.push_back(it->second);
}

void LayerEncoder::property(const std::string& key, std::int64_t v) {
    ranges_[key_index(key)].add(v);
    std::string msg;
    protozero::pbf_writer w(msg);
    if (v >= 0) w.add_uint64(5, static_cast<std::uint64_t>(v));
    else w.add_sint64(6, v);
    add_tag(key, std::move(msg));
}

void LayerEncoder::property(const std::string& key, double v) {
    ranges_[key_index(key)].add(v);
    std::string msg;
    protozero::pbf_writer(msg).add_double(3, v);
    add_tag(key, std::move(msg));
}

void LayerEncoder::property(const std::string& key, bool v) {
    std::string msg;
    protozero::pbf_writer(msg).add_bool(7, v);
    add_tag(key, std::move(msg));
}

void LayerEncoder::property(const std::string& key, std::string_view v) {
    std::string msg;
    protozero::pbf_writer(msg).add_string(1, v.data(), v.size());
    add_tag(key, std::move(msg));
}

void LayerEncoder::end_feature(GeomType type, const std::vector<std::uint32_t>& geometry,
                               std::optional<std::uint64_t> id) {
    protozero::pbf_writer layer(features_);
    protozero::pbf_writer f(layer, 2);
    if (id) f.add_uint64(1, *id);
    if (!tags_.empty()) f.add_packed_uint32(2, tags_.begin(), tags_.end());
    f.add_enum(3, static_cast<std::int32_t>(type));
    f.add_packed_uint32(4, geometry.begin(), geometry.end());
    ++features_count_;
}

void LayerEncoder::finish(std::string& tile) {
    std::string body;
    {
        protozero::pbf_writer l(body);
        l.add_uint32(15, 2);
        l.add_string(1, name_);
    }
    body += features_; // repeated field 2, already framed
    {
        protozero::pbf_writer l(body);
        for (const auto* k : key_order_) l.add_string(3, *k);
        for (const auto* v : value_order_) l.add_message(4, *v);
        l.add_uint32(5, kExtent);
    }
    protozero::pbf_writer(tile).add_message(3, body);
}

} // namespace sitmap::tiles
