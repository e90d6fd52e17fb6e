#pragma once
// A compact multimap from 64-bit hashes to 32-bit values, built once and then read:
// open addressing over the distinct hashes, values stored contiguously. A lookup touches one or
// two cache lines; a million keys take about 24 bytes each.
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace sitmap {

std::uint64_t hash_key(std::string_view s);

class FlatIndex {
public:
    void add(std::uint64_t hash, std::uint32_t value) { pending_.emplace_back(hash, value); }
    // Sorts, removes duplicate (hash, value) pairs and builds the table. Call once after add().
    void finalize();
    std::span<const std::uint32_t> find(std::uint64_t hash) const;
    std::size_t distinct_keys() const { return slots_used_; }
    std::size_t size() const { return values_.size(); }

private:
    struct Slot {
        std::uint64_t hash = 0;
        std::uint32_t begin = 0;
        std::uint32_t count = 0; // 0: empty slot
    };
    std::vector<std::pair<std::uint64_t, std::uint32_t>> pending_;
    std::vector<Slot> slots_;
    std::vector<std::uint32_t> values_;
    std::uint64_t mask_ = 0;
    std::size_t slots_used_ = 0;
};

// Levenshtein distance, giving up (returning max_d + 1) once it exceeds max_d.
std::size_t bounded_edit_distance(std::string_view a, std::string_view b, std::size_t max_d);
// 1 - distance / longer length, in [0, 1]. Distances beyond `cap` count as cap + 1 (cheaper:
// only a band of the table is computed).
double edit_similarity(std::string_view a, std::string_view b, std::size_t cap = 3);

} // namespace sitmap
