#include "tools/output.hpp"

#include "geo/error.hpp"
#include "layers/gdal_io.hpp"

#include <unistd.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <ostream>

namespace sitmap::cli {

void write_text_file(const std::string& path, const std::string& text) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream f(tmp, std::ios::binary);
        if (!f) throw WorkError("cannot write '" + path + "'");
        f << text;
        if (!f.flush()) throw WorkError("cannot write '" + path + "'");
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
        throw WorkError("cannot rename '" + tmp + "' to '" + path + "'");
}

void write_geojson_layer(const Layer& layer, const std::string& path, std::ostream& out) {
    WriteOptions opt;
    opt.layer_options = {"RFC7946=YES", "COORDINATE_PRECISION=7", "WRITE_NAME=NO"};
    if (!path.empty()) {
        write_layers(path, "GeoJSON", {&layer}, opt);
        return;
    }
    // To the data stream: GDAL writes a temporary file, copied to `out` (which may be a test's
    // string stream rather than the process's stdout).
    namespace fs = std::filesystem;
    const fs::path tmp = fs::temp_directory_path() /
                         ("sitmap-" + std::to_string(::getpid()) + "-" + layer.name + ".geojson");
    write_layers(tmp.string(), "GeoJSON", {&layer}, opt);
    {
        std::ifstream in(tmp, std::ios::binary);
        out << in.rdbuf();
    }
    std::error_code ec;
    fs::remove(tmp, ec);
}

std::optional<LonLat> parse_lonlat(const std::string& s) {
    const auto comma = s.find(',');
    if (comma == std::string::npos) return std::nullopt;
    LonLat p;
    auto a = std::from_chars(s.data(), s.data() + comma, p.lon);
    auto b = std::from_chars(s.data() + comma + 1, s.data() + s.size(), p.lat);
    if (a.ec != std::errc() || a.ptr != s.data() + comma || b.ec != std::errc() ||
        b.ptr != s.data() + s.size())
        return std::nullopt;
    if (std::abs(p.lon) > 180 || std::abs(p.lat) > 90) return std::nullopt;
    return p;
}

} // namespace sitmap::cli
