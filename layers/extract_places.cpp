#include "layers/extract_places.hpp"

#include <algorithm>
#include <queue>
#include <unordered_map>

namespace sitmap {
namespace {

// Calls emit(folded byte, original byte offset) for text[b, e), spaces not yet collapsed.
template <class F>
void fold_stream(std::string_view s, std::size_t b, std::size_t e, F&& emit) {
    std::size_t i = b;
    while (i < e) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            if (c >= 'A' && c <= 'Z') emit(static_cast<char>(c + 32), i);
            else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) emit(static_cast<char>(c), i);
            else if (c != '\'' && c != '`') emit(' ', i);
            ++i;
            continue;
        }
        const auto c1 = i + 1 < e ? static_cast<unsigned char>(s[i + 1]) : 0;
        const auto c2 = i + 2 < e ? static_cast<unsigned char>(s[i + 2]) : 0;
        if (c == 0xE2 && c1 == 0x80) {
            if (c2 != 0x98 && c2 != 0x99 && c2 != 0x9B) emit(' ', i);
            i += 3;
            continue;
        }
        if (c == 0xCA && (c1 == 0xBF || c1 == 0xBE || c1 == 0xBC)) { i += 2; continue; }
        if (c == 0xC2 && (c1 == 0xA0 || c1 == 0xAB || c1 == 0xBB)) { emit(' ', i); i += 2; continue; }
        emit(static_cast<char>(c), i);
        ++i;
    }
}

int class_of(char ch) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == ' ') return 0;
    if (c >= 'a' && c <= 'z') return 1 + (c - 'a');
    if (c >= '0' && c <= '9') return 27 + (c - '0');
    return 37;
}

bool article_start(std::string_view s, std::size_t b, std::size_t e) {
    // "al-Tanf", "el-Khol", "as-Salihiyah", "ash-Sham": a lower-case article then a capital.
    std::size_t i = b;
    while (i < e && i < b + 4 && s[i] >= 'a' && s[i] <= 'z') ++i;
    if (i == b || i >= e || (s[i] != '-' && s[i] != ' ')) return false;
    const std::string_view art = s.substr(b, i - b);
    if (art != "al" && art != "el" && art != "as" && art != "ash" && art != "ad" && art != "ar" &&
        art != "at" && art != "an" && art != "az" && art != "ed" && art != "es" && art != "ez")
        return false;
    return i + 1 < e && ((s[i + 1] >= 'A' && s[i + 1] <= 'Z'));
}

} // namespace

std::string fold_place_name(std::string_view name) {
    std::string out;
    fold_stream(name, 0, name.size(), [&](char c, std::size_t) {
        if (c == ' ' && (out.empty() || out.back() == ' ')) return;
        out.push_back(c);
    });
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

PlaceScanner::PlaceScanner(const Gazetteer& gazetteer) {
    std::unordered_map<std::string, std::uint32_t> index;
    const auto& places = gazetteer.places();
    for (std::uint32_t p = 0; p < places.size(); ++p) {
        for (auto n : places[p].all_names()) {
            const std::string f = fold_place_name(n);
            if (f.size() < 3 || f.size() > 200) continue;
            const std::string key = " " + f + " ";
            auto [it, fresh] = index.emplace(key, static_cast<std::uint32_t>(names_.size()));
            if (fresh) names_.push_back({key, {}});
            auto& pl = names_[it->second].places;
            if (pl.empty() || pl.back() != p) pl.push_back(p);
        }
    }
    // Trie.
    std::vector<std::int32_t> go(kAlpha, -1);
    out_.push_back(-1);
    depth_.push_back(0);
    for (std::uint32_t n = 0; n < names_.size(); ++n) {
        std::int32_t s = 0;
        for (char ch : names_[n].folded) {
            const int c = class_of(ch);
            auto& next = go[static_cast<std::size_t>(s) * kAlpha + c];
            if (next < 0) {
                next = static_cast<std::int32_t>(depth_.size());
                depth_.push_back(static_cast<std::uint16_t>(depth_[static_cast<std::size_t>(s)] + 1));
                out_.push_back(-1);
                go.resize(go.size() + kAlpha, -1);
            }
            s = go[static_cast<std::size_t>(s) * kAlpha + c];
        }
        out_[static_cast<std::size_t>(s)] = static_cast<std::int32_t>(n);
    }
    // Failure links, then the full transition table (BFS order).
    const std::size_t n_states = depth_.size();
    std::vector<std::int32_t> fail(n_states, 0);
    delta_.assign(n_states * kAlpha, 0);
    std::queue<std::int32_t> q;
    for (int c = 0; c < kAlpha; ++c) {
        const auto t = go[static_cast<std::size_t>(c)];
        if (t > 0) { delta_[static_cast<std::size_t>(c)] = t; fail[static_cast<std::size_t>(t)] = 0; q.push(t); }
    }
    while (!q.empty()) {
        const auto s = q.front();
        q.pop();
        const auto su = static_cast<std::size_t>(s);
        if (out_[su] < 0) out_[su] = out_[static_cast<std::size_t>(fail[su])];
        for (int c = 0; c < kAlpha; ++c) {
            const auto t = go[su * kAlpha + c];
            const auto via_fail = delta_[static_cast<std::size_t>(fail[su]) * kAlpha + c];
            if (t > 0) {
                fail[static_cast<std::size_t>(t)] = via_fail;
                delta_[su * kAlpha + c] = t;
                q.push(t);
            } else {
                delta_[su * kAlpha + c] = via_fail;
            }
        }
    }
}

void PlaceScanner::scan(std::string_view text, std::size_t b, std::size_t e,
                        std::vector<Hit>& out) const {
    if (names_.empty() || b >= e) return;
    constexpr std::size_t kRing = 512;
    char ring_c[kRing];
    std::uint32_t ring_p[kRing] = {};
    std::size_t fed = 0;
    std::int32_t s = 0;
    char last = 0;
    thread_local std::vector<Hit> found; // scratch, reused from line to line
    found.clear();
    auto feed = [&](char c, std::size_t pos) {
        if (c == ' ' && last == ' ') return;
        last = c;
        ring_c[fed % kRing] = c;
        ring_p[fed % kRing] = static_cast<std::uint32_t>(pos);
        ++fed;
        s = delta_[static_cast<std::size_t>(s) * kAlpha + class_of(c)];
        if (c != ' ') return; // names end at a space: only then is the output worth a look
        const auto o = out_[static_cast<std::size_t>(s)];
        if (o < 0) return;
        const auto& name = names_[static_cast<std::size_t>(o)].folded;
        const std::size_t len = name.size();
        if (len + 1 >= kRing || len > fed) return;
        // Verify (non-ASCII bytes share one class in the automaton).
        for (std::size_t k = 0; k < len; ++k)
            if (ring_c[(fed - len + k) % kRing] != name[k]) return;
        const std::uint32_t hb = ring_p[(fed - len + 1) % kRing];
        const std::uint32_t he = ring_p[(fed - 2) % kRing] + 1;
        found.push_back({hb, he, static_cast<std::uint32_t>(o)});
    };
    feed(' ', b);
    fold_stream(text, b, e, feed);
    feed(' ', e);
    // Leftmost-longest, not overlapping; a capital letter (or an article) at the start.
    std::size_t kept_end = 0;
    // At most one hit ends at each byte, so (b, e) is unique and a plain sort is enough.
    std::vector<Hit>& sorted = found;
    std::sort(sorted.begin(), sorted.end(), [](const Hit& x, const Hit& y) {
        return x.b != y.b ? x.b < y.b : x.e > y.e;
    });
    for (const auto& h : sorted) {
        if (h.b < kept_end) continue;
        const auto c0 = static_cast<unsigned char>(text[h.b]);
        const bool ok = (c0 >= 'A' && c0 <= 'Z') || (c0 >= '0' && c0 <= '9') || c0 >= 0x80 ||
                        article_start(text, h.b, h.e);
        if (!ok) continue;
        // Trim a trailing apostrophe-less byte overshoot (multi-byte last char).
        Hit k = h;
        while (k.e < e && (static_cast<unsigned char>(text[k.e]) & 0xC0) == 0x80) ++k.e;
        out.push_back(k);
        kept_end = k.e;
    }
}

} // namespace sitmap
