#pragma once
// UTF-8 checks used wherever user text enters the engine.
#include <cstddef>
#include <string>
#include <string_view>

namespace sitmap {

// True when `s` is well-formed UTF-8 (no overlong forms, no surrogates).
bool is_valid_utf8(std::string_view s);

// Byte offset of the first malformed sequence, or npos when `s` is valid.
std::size_t first_invalid_utf8(std::string_view s);

// `s` as text fit for display and XML: each malformed UTF-8 sequence (one byte at a time), each
// C0 control character other than tab, newline and carriage return, and U+FFFE/U+FFFF replaced
// with U+FFFD. Well-formed text without those comes back unchanged.
std::string displayable_utf8(std::string_view s);

} // namespace sitmap
