#include "layers/feature.hpp"

#include <stdexcept>

namespace sitmap {

std::size_t Layer::field_index(const std::string& field) const {
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i].name == field) return i;
    throw std::out_of_range("layer '" + name + "' has no field '" + field + "'");
}

const Layer* find_layer(const std::vector<Layer>& layers, const std::string& name) {
    for (const auto& l : layers)
        if (l.name == name) return &l;
    return nullptr;
}

std::shared_ptr<OGRGeometry> make_point(double lon, double lat) {
    return std::make_shared<OGRPoint>(lon, lat);
}

} // namespace sitmap
