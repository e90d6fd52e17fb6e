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
        // A single value lives in the slot itself: one cache miss per look-up, not two.
        const auto begin = j - i == 1 ? pending_[i].second : static_cast<std::uint32_t>(i);
        slots_[pos] = Slot{pending_[i].first, begin, static_cast<std::uint32_t>(j - i)};
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
        if (s.hash == hash) {
            if (s.count == 1) return {&s.begin, 1};
            return {values_.data() + s.begin, s.count};
        }
        pos = (pos + 1) & mask_;
    }
}

std::size_t bounded_edit_distance(std::string_view a, std::string_view b, std::size_t max_d) {
    if (a.size() > b.size()) std::swap(a, b);
    if (b.size() - a.size() > max_d) return max_d + 1;
    if (b.size() >= 255) return a == b ? 0 : max_d + 1;
    // Banded dynamic programme: only cells with |i - j| <= max_d can stay within the bound.
    constexpr std::size_t kBig = 1u << 20;
    std::size_t prev[256], cur[256];
    const std::size_t n = a.size(), m = b.size();
    for (std::size_t j = 0; j <= m; ++j) prev[j] = j <= max_d ? j : kBig;
    for (std::size_t i = 1; i <= n; ++i) {
        const std::size_t lo = i > max_d ? i - max_d : 1;
        const std::size_t hi = std::min(m, i + max_d);
        cur[lo - 1] = lo == 1 ? (i <= max_d ? i : kBig) : kBig;
        std::size_t best = cur[lo - 1];
        for (std::size_t j = lo; j <= hi; ++j) {
            const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            const std::size_t del = prev[j] + 1;
            const std::size_t ins = cur[j - 1] + 1;
            cur[j] = std::min({sub, del, ins});
            best = std::min(best, cur[j]);
        }
        if (hi < m) cur[hi + 1] = kBig;
        if (best > max_d) return max_d + 1;
        std::copy(cur + (lo - 1), cur + std::min(m, hi + 1) + 1, prev + (lo - 1));
        if (lo >= 2) prev[lo - 2] = kBig;
    }
    return std::min(prev[m], max_d + 1);
}

double edit_similarity(std::string_view a, std::string_view b, std::size_t cap) {
    const std::size_t n = std::max(a.size(), b.size());
    if (n == 0) return 1.0;
    const std::size_t d = std::min(bounded_edit_distance(a, b, cap), cap + 1);
    return std::max(0.0, 1.0 - static_cast<double>(d) / static_cast<double>(n));
}

} // namespace sitmap
