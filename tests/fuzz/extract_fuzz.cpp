// libFuzzer target: the extractor on arbitrary bytes, with the project's gazetteer and pattern
// tables. Anything may be rejected with InputError (not UTF-8, binary); nothing may crash, hang
// or read out of bounds. Build and run: make fuzz (clang++ -fsanitize=fuzzer,address).
#include "geo/admin1.hpp"
#include "geo/error.hpp"
#include "geo/gazetteer.hpp"
#include "geo/geocoder.hpp"
#include "layers/extract.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace {

struct World {
    sitmap::Admin1Table admin1 = sitmap::Admin1Table::load(std::string(SITMAP_DATA_DIR) + "/admin1.csv");
    sitmap::Gazetteer gaz =
        sitmap::Gazetteer::load(std::string(SITMAP_DATA_DIR) + "/gazetteer.csv", admin1);
    sitmap::Geocoder geo{gaz};
    sitmap::Extractor ex{sitmap::load_extract_patterns(std::string(SITMAP_DATA_DIR) + "/patterns"), &geo};
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static World w;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    sitmap::ExtractOptions opt;
    // The first byte picks whether a fallback date is given, so both paths are explored.
    if (size > 0 && (data[0] & 1)) opt.date = "2024-03-14";
    try {
        const auto x = w.ex.extract(text, "fuzz", opt);
        for (const auto& r : x.records)
            if (r.record.locator.empty() || r.record.claimant.empty()) __builtin_trap();
        (void)sitmap::extracted_csv(x.records);
    } catch (const sitmap::InputError&) {
        // rejected input (encoding, binary): fine
    }
    return 0;
}
