#include "geo/utf8.hpp"

namespace sitmap {

std::size_t first_invalid_utf8(std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len;
        unsigned cp;
        if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1Fu;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0Fu;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07u;
        } else {
            return i;
        }
        if (i + len > n) return i;
        for (std::size_t k = 1; k < len; ++k) {
            if ((p[i + k] & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (p[i + k] & 0x3Fu);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += len;
    }
    return std::string_view::npos;
}

bool is_valid_utf8(std::string_view s) { return first_invalid_utf8(s) == std::string_view::npos; }

std::string displayable_utf8(std::string_view s) {
    static constexpr std::string_view kReplacement = "\xEF\xBF\xBD"; // U+FFFD
    std::string out;
    out.reserve(s.size());
    while (!s.empty()) {
        const std::size_t bad = first_invalid_utf8(s);
        const std::string_view good = s.substr(0, bad == std::string_view::npos ? s.size() : bad);
        for (std::size_t i = 0; i < good.size(); ++i) {
            const auto c = static_cast<unsigned char>(good[i]);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                out += kReplacement;
            } else if (c == 0xEF && i + 2 < good.size() && good.substr(i, 2) == "\xEF\xBF" &&
                       (good[i + 2] == '\xBE' || good[i + 2] == '\xBF')) {
                out += kReplacement; // U+FFFE, U+FFFF: not characters, not allowed in XML
                i += 2;
            } else {
                out += good[i];
            }
        }
        if (bad == std::string_view::npos)
            break;
        out += kReplacement;
        s.remove_prefix(bad + 1);
    }
    return out;
}

} // namespace sitmap
