#pragma once
// Cartographic helpers of the map builder: wording of categories and periods, label points and
// styles, the attribution's references, the flow legend's reference values, flows as label
// obstacles.
#include "layers/feature.hpp"
#include "layers/render/figures.hpp"
#include "layers/render/labels.hpp"

#include <optional>
#include <string>
#include <vector>

namespace sitmap::render {

std::string words(std::string s);                    // "from_abroad" -> "from abroad"
std::string capitalised(std::string s);              // first letter upper case
std::string period_words(const std::string &period); // "day" -> "daily figures"
std::string dates(const MapFigures &f);              // "2018-11-05" or "A to B"
// The label point of a geometry clipped to the view (lon/lat), or nothing when outside it.
std::optional<LonLat> label_point(const OGRGeometry &g, const LonLatBox &b);
TextItem label_style(const std::string &text, double size, Color color);
// The public references of the gazetteer coordinates drawn (GeoNames, Wikipedia, ...).
std::vector<std::string> gazetteer_refs(const std::vector<Layer> &atlas);
std::string join(const std::vector<std::string> &v, const std::string &sep);
// Two or three round reference values for the flow legend.
std::vector<double> flow_references(double max_value);
// A text field of the atlas as text for the map (field_text made fit for display: malformed
// UTF-8 and control characters replaced with U+FFFD).
std::string display_text(const Layer &layer, const Feature &f, const std::string &field);
// Labels keep off the flows: a stroked path of a drawn arrow (its shaft) becomes soft obstacles
// of its half-width every 3 points along it, a filled one (its head) its bounding box.
void flow_boxes(const PathItem &p, LabelPlacer &labels);

} // namespace sitmap::render
