#include "geo/flat_index.hpp"

#include <algorithm>
#include <bit>

namespace sitmap {

std::uint64_t hash_key(std::string_view s) {
    // FNV-1a, then a final avalanche (splitmix64) so that open addressing spreads well.
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ull;
    }
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebull;
    h ^= h >> 31;
    return h;
}

void FlatIndex::finalize() {
    std::sort(pending_.begin(), pending_.end());
    pending_.erase(std::unique(pending_.begin(), pending_.end()), pending_.end());
    std::size_t distinct = 0;
    for (std::size_t i = 0; i < pending_.size(); ++i)
        if (i == 0 || pending_[i].first != pending_[i - 1].first) ++distinct;
    const std::size_t cap = std::bit_ceil(std::max<std::size_t>(16, distinct * 2));
    slots_.assign(cap, Slot{});
    mask_ = cap - 1;
    values_.resize(pending_.size());
    slots_used_ = distinct;
    std::size_t i = 0;
    while (i < pending_.size()) {
        std::size_t j = i;
        while (j < pending_.size() && pending_[j].first == pending_[i].first) {
            values_[j] = pending_[j].second;
            ++j;
        }
        std::uint64_t pos = pending_[i].first & mask_;
        while (slots_[pos].count != 0) pos = (pos + 1) & mask_;
        slots_[pos] = Slot{pending_[i].first, static_cast<std::uint32_t>(i),
                           static_cast<std::uint32_t>(j - i)};
        i = j;
    }
    pending_.clear();
    pending_.shrink_to_fit();
}

std::span<const std::uint32_t> FlatIndex::find(std::uint64_t hash) const {
    if (slots_.empty()) return {};
    std::uint64_t pos = hash & mask_;
    while (true) {
        const Slot& s = slots_[pos];
        if (s.count == 0) return {};
        if (s.hash == hash) return {values_.data() + s.begin, s.count};
        pos = (pos + 1) & mask_;
    }
}

std::size_t bounded_edit_distance(std::string_view a, std::string_view b, std::size_t max_d) {
    if (a.size() > b.size()) std::swap(a, b);
    if (b.size() - a.size() > max_d) return max_d + 1;
    // Single-row dynamic programme; rows are short (place names).
    std::size_t row[128];
    if (b.size() + 1 > 128) b = b.substr(0, 127);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t prev = row[0];
        row[0] = i;
        std::size_t best = row[0];
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cur = row[j];
            const std::size_t sub = prev + (a[i - 1] == b[j - 1] ? 0 : 1);
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, sub});
            prev = cur;
            best = std::min(best, row[j]);
        }
        if (best > max_d) return max_d + 1;
    }
    return std::min(row[b.size()], max_d + 1);
}

double edit_similarity(std::string_view a, std::string_view b) {
    const std::size_t n = std::max(a.size(), b.size());
    if (n == 0) return 1.0;
    const std::size_t d = bounded_edit_distance(a, b, n);
    return 1.0 - static_cast<double>(d) / static_cast<double>(n);
}

} // namespace sitmap
