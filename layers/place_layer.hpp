#pragma once
// The gazetteer as a point layer: one feature per place with its names, kind, codes and source.
#include "layers/feature.hpp"

#include <functional>

namespace sitmap {

class Gazetteer;
struct Place;

// Builds a point layer named `name` from the places for which `keep` is true (all when empty).
Layer make_place_layer(const Gazetteer& g, const std::string& name,
                       const std::function<bool(const Place&)>& keep = {});

} // namespace sitmap
