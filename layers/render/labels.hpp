#pragma once
// Collision-free label placement. Each label has candidate positions around its anchor (for a
// point symbol: right, left, the four diagonals, above, below; for an area: centred, then shifted);
// labels are placed in priority order at the first candidate that stays inside the bounds and
// overlaps no placed label and no obstacle (the symbols; the flow arrows as soft obstacles, given
// up when nothing else is free). The legend and the other furniture lie outside the map frame,
// the bounds, so they need no obstacles. A label that cannot be placed is left out and counted,
// never drawn over another.
#include "layers/render/display_list.hpp"
#include "layers/render/text_metrics.hpp"

#include <string>
#include <vector>

namespace sitmap::render {

struct LabelRequest {
    TextItem style;    // text, font, colours; `at` is ignored
    Pt anchor;         // the symbol's centre or the area's label point
    double radius = 0; // half the symbol's size (0 for an area label)
    int priority = 0;  // lower first
    bool area = false;
    // When not empty: the label's middle line (both ends and centre) must lie inside these rings
    // (even-odd), e.g. its country or governorate.
    std::vector<std::vector<Pt>> within;
};

// True when p lies inside the rings (even-odd rule).
bool inside_rings(const std::vector<std::vector<Pt>> &rings, Pt p);

struct LabelResult {
    std::vector<TextItem> placed;
    std::vector<Box> boxes;            // of the placed labels
    std::vector<std::string> left_out; // texts that found no free position
};

class LabelPlacer {
  public:
    LabelPlacer(const TextMeasurer &measurer, Box bounds) : m_(measurer), bounds_(bounds) {}
    // A soft obstacle (e.g. a flow arrow) is given up for labels that find no free position
    // otherwise (labels never overlap each other or hard obstacles).
    void add_obstacle(Box b, bool soft = false) { (soft ? soft_ : obstacles_).push_back(b); }
    void add(LabelRequest r) { requests_.push_back(std::move(r)); }
    LabelResult place() const;

  private:
    const TextMeasurer &m_;
    Box bounds_;
    std::vector<Box> obstacles_, soft_;
    std::vector<LabelRequest> requests_;
};

} // namespace sitmap::render
