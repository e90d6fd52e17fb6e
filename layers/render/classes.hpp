#pragma once
// Classes of a choropleth: natural breaks (Jenks, by Fisher's exact optimisation) over the finite
// values (zeros included, NaN and infinities left out), at most five classes, coloured with
// ColorBrewer's YlGnBu ramp (sequential, safe for colour-blind readers and in greyscale).
#include "layers/render/display_list.hpp"

#include <string>
#include <vector>

namespace sitmap::render {

struct ClassBreaks {
    std::vector<double> upper;            // inclusive upper bound of each class, ascending
    double lower = 0;                     // the smallest value
    std::size_t classify(double v) const; // class index for a value in [lower, upper.back()]
};

// Up to `k` classes minimising the within-class sum of squared deviations. Fewer classes when
// there are fewer distinct values. Values that are not finite are left out. Empty when no value
// is left.
ClassBreaks natural_breaks(std::vector<double> values, std::size_t k = 5);

// The ColorBrewer YlGnBu colours for n classes (1..5), light to dark.
std::vector<Color> ylgnbu(std::size_t n);

// 1234567.8 -> "1,234,568"; rounded to one decimal first, values below 10 keep that decimal when
// it is not zero (2.5 -> "2.5", 9.96 -> "10", 0.04 -> "0"); any magnitude; "n/a" when not finite.
std::string format_count(double v);

// Legend label of class i: "1,200 – 5,000", or "270" for a class of one value.
std::string class_label(const ClassBreaks &b, std::size_t i, const std::vector<double> &values);

} // namespace sitmap::render
