#include "layers/render/classes.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace sitmap::render {

std::size_t ClassBreaks::classify(double v) const {
    for (std::size_t i = 0; i < upper.size(); ++i)
        if (v <= upper[i])
            return i;
    return upper.empty() ? 0 : upper.size() - 1;
}

ClassBreaks natural_breaks(std::vector<double> v, std::size_t k) {
    ClassBreaks out;
    // NaN and infinities have no place in a class (and NaN would break the sort's ordering).
    std::erase_if(v, [](double x) { return !std::isfinite(x); });
    if (v.empty() || k == 0)
        return out;
    std::sort(v.begin(), v.end());
    std::vector<double> distinct = v;
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    k = std::min(k, distinct.size());
    out.lower = v.front();
    const std::size_t n = v.size();
    // cost(i, j): squared deviations of v[i..j]; best[c][j]: c+1 classes over v[0..j].
    std::vector<double> s(n + 1, 0), s2(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i)
        s[i + 1] = s[i] + v[i], s2[i + 1] = s2[i] + v[i] * v[i];
    const auto cost = [&](std::size_t i, std::size_t j) {
        const double m = static_cast<double>(j - i + 1), sum = s[j + 1] - s[i];
        return s2[j + 1] - s2[i] - sum * sum / m;
    };
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<std::vector<double>> best(k, std::vector<double>(n, inf));
    std::vector<std::vector<std::size_t>> start(k, std::vector<std::size_t>(n, 0));
    for (std::size_t j = 0; j < n; ++j)
        best[0][j] = cost(0, j);
    for (std::size_t c = 1; c < k; ++c)
        for (std::size_t j = c; j < n; ++j)
            for (std::size_t i = c; i <= j; ++i) {
                if (v[i] == v[i - 1])
                    continue; // equal values stay in one class
                const double x = best[c - 1][i - 1] + cost(i, j);
                if (x < best[c][j])
                    best[c][j] = x, start[c][j] = i;
            }
    // When equal values forbid k classes, use the most that are possible.
    while (k > 1 && best[k - 1][n - 1] == inf)
        --k;
    std::vector<double> upper;
    std::size_t j = n - 1;
    for (std::size_t c = k; c-- > 0;) {
        upper.push_back(v[j]);
        if (c > 0)
            j = start[c][j] - 1;
    }
    std::reverse(upper.begin(), upper.end());
    out.upper = upper;
    return out;
}

std::vector<Color> ylgnbu(std::size_t n) {
    switch (n) {
    case 0:
        return {};
    case 1:
        return {{65, 182, 196}};
    case 2:
        return {{161, 218, 180}, {44, 127, 184}};
    case 3:
        return {{237, 248, 177}, {127, 205, 187}, {44, 127, 184}};
    case 4:
        return {{255, 255, 204}, {161, 218, 180}, {65, 182, 196}, {34, 94, 168}};
    default:
        return {{255, 255, 204}, {161, 218, 180}, {65, 182, 196}, {44, 127, 184}, {37, 52, 148}};
    }
}

std::string format_count(double v) {
    if (!std::isfinite(v))
        return "n/a";
    // Rounded once, to one decimal: what is printed follows from that value alone.
    const double tenths = std::round(v * 10) / 10;
    char buf[512];
    if (std::abs(tenths) < 10 && tenths != std::round(tenths)) {
        std::snprintf(buf, sizeof buf, "%.1f", tenths);
        return buf;
    }
    // %.0f of an integral double: exact digits at any magnitude (no integer overflow).
    std::snprintf(buf, sizeof buf, "%.0f", std::abs(std::round(v)));
    const std::string digits = buf;
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return (std::round(v) < 0 ? "-" : "") + out;
}

std::string class_label(const ClassBreaks &b, std::size_t i, const std::vector<double> &values) {
    double lo = std::numeric_limits<double>::max(), hi = -lo;
    for (const double v : values)
        if (b.classify(v) == i)
            lo = std::min(lo, v), hi = std::max(hi, v);
    if (lo > hi)
        return "";
    return lo == hi ? format_count(lo) : format_count(lo) + " – " + format_count(hi);
}

} // namespace sitmap::render
