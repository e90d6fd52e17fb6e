#include "layers/tiles/tile_writer.hpp"

#include "geo/error.hpp"

#include <sqlite3.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace sitmap::tiles {
namespace fs = std::filesystem;
namespace {

std::string fixed(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.7f", v);
    return buf;
}

std::string bounds_text(const LonLatBox& b) {
    return fixed(b.west) + "," + fixed(b.south) + "," + fixed(b.east) + "," + fixed(b.north);
}

LonLatBox usable(const TileSetInfo& info) {
    if (info.bounds.empty()) return {-180, -kMaxLatitude, 180, kMaxLatitude};
    return info.bounds;
}

std::array<double, 3> center_of(const TileSetInfo& info) {
    if (info.center) return *info.center;
    const auto b = usable(info);
    return {(b.west + b.east) / 2, (b.south + b.north) / 2, static_cast<double>(info.min_zoom)};
}

std::string center_text(const TileSetInfo& info) {
    const auto c = center_of(info);
    return fixed(c[0]) + "," + fixed(c[1]) + "," + std::to_string(static_cast<int>(c[2]));
}

// The `json` metadata entry: vector_layers and tilestats.
std::string layers_json(const TileSetInfo& info) {
    nlohmann::ordered_json j;
    j["vector_layers"] = info.vector_layers;
    j["tilestats"] = info.tilestats;
    return j.dump();
}

void write_file(const fs::path& p, const std::string& bytes) {
    std::ofstream f(p, std::ios::binary);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!f.flush()) throw WorkError("cannot write '" + p.string() + "'");
}

std::string temp_name(const fs::path& target) {
    return target.string() + ".tmp-" + std::to_string(::getpid());
}

class DirectorySink : public TileSink {
public:
    explicit DirectorySink(const fs::path& dir) : target_(dir), tmp_(temp_name(dir)) {
        std::error_code ec;
        if (fs::exists(target_) && !fs::is_empty(target_, ec) &&
            !fs::exists(target_ / "metadata.json"))
            throw UsageError("'" + target_.string() +
                             "' exists and is not a tile folder; remove it or choose another");
    }
    ~DirectorySink() override {
        std::error_code ec;
        if (!done_) fs::remove_all(tmp_, ec);
    }
    void write(const TileId& id, const std::string& pbf, const std::string&) override {
        const fs::path d = tmp_ / std::to_string(id.z) / std::to_string(id.x);
        fs::create_directories(d);
        write_file(d / (std::to_string(id.y) + ".pbf"), pbf);
    }
    void commit(const TileSetInfo& info) override {
        fs::create_directories(tmp_);
        nlohmann::ordered_json meta;
        meta["name"] = info.name;
        meta["description"] = info.description;
        meta["version"] = 2;
        meta["minzoom"] = info.min_zoom;
        meta["maxzoom"] = info.max_zoom;
        meta["center"] = center_text(info);
        meta["bounds"] = bounds_text(usable(info));
        meta["type"] = "overlay";
        meta["format"] = "pbf";
        meta["json"] = layers_json(info);
        write_file(tmp_ / "metadata.json", meta.dump(2) + "\n");

        const auto b = usable(info);
        nlohmann::ordered_json tj;
        tj["tilejson"] = "3.0.0";
        tj["name"] = info.name;
        tj["description"] = info.description;
        tj["scheme"] = "xyz";
        tj["format"] = "pbf";
        tj["tiles"] = {"{z}/{x}/{y}.pbf"};
        tj["minzoom"] = info.min_zoom;
        tj["maxzoom"] = info.max_zoom;
        tj["bounds"] = {b.west, b.south, b.east, b.north};
        const auto c = center_of(info);
        tj["center"] = {c[0], c[1], static_cast<int>(c[2])};
        tj["vector_layers"] = info.vector_layers;
        write_file(tmp_ / "tiles.json", tj.dump(2) + "\n");
    }
    void publish() override {
        std::error_code ec;
        fs::remove_all(target_, ec);
        if (target_.has_parent_path()) fs::create_directories(target_.parent_path());
        fs::rename(tmp_, target_);
        done_ = true;
    }

private:
    fs::path target_, tmp_;
    bool done_ = false;
};

// An SQLite statement that finalizes itself.
struct Statement {
    sqlite3_stmt* s = nullptr;
    ~Statement() { finalize(); }
    void finalize() {
        sqlite3_finalize(s);
        s = nullptr;
    }
};

class MbtilesSink : public TileSink {
public:
    explicit MbtilesSink(const fs::path& file) : target_(file), tmp_(temp_name(file)) {
        if (fs::is_directory(target_))
            throw UsageError("--mbtiles '" + target_.string() + "' is a folder");
    }
    ~MbtilesSink() override {
        insert_.finalize();
        if (db_) sqlite3_close(db_);
        std::error_code ec;
        if (!done_) fs::remove(tmp_, ec);
    }
    bool wants_gzip() const override { return true; }
    void write(const TileId& id, const std::string&, const std::string& z) override {
        open();
        const std::int64_t row = (std::int64_t{1} << id.z) - 1 - id.y; // TMS: row 0 is south
        sqlite3_reset(insert_.s);
        sqlite3_bind_int(insert_.s, 1, id.z);
        sqlite3_bind_int64(insert_.s, 2, id.x);
        sqlite3_bind_int64(insert_.s, 3, row);
        sqlite3_bind_blob(insert_.s, 4, z.data(), static_cast<int>(z.size()), SQLITE_TRANSIENT);
        if (sqlite3_step(insert_.s) != SQLITE_DONE) fail("cannot insert a tile");
    }
    void commit(const TileSetInfo& info) override {
        open();
        const std::pair<std::string, std::string> meta[] = {
            {"name", info.name},
            {"description", info.description},
            {"version", "2"},
            {"type", "overlay"},
            {"format", "pbf"},
            {"minzoom", std::to_string(info.min_zoom)},
            {"maxzoom", std::to_string(info.max_zoom)},
            {"bounds", bounds_text(usable(info))},
            {"center", center_text(info)},
            {"json", layers_json(info)},
        };
        Statement m;
        sqlite3_prepare_v2(db_, "INSERT INTO metadata (name, value) VALUES (?, ?)", -1, &m.s,
                           nullptr);
        for (const auto& [k, v] : meta) {
            sqlite3_reset(m.s);
            sqlite3_bind_text(m.s, 1, k.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(m.s, 2, v.c_str(), -1, SQLITE_TRANSIENT);
            if (sqlite3_step(m.s) != SQLITE_DONE) fail("cannot write metadata");
        }
        m.finalize();
        exec("COMMIT");
        insert_.finalize();
        if (sqlite3_close(db_) != SQLITE_OK) fail("cannot close");
        db_ = nullptr;
    }
    void publish() override {
        if (target_.has_parent_path()) fs::create_directories(target_.parent_path());
        fs::rename(tmp_, target_);
        done_ = true;
    }

private:
    [[noreturn]] void fail(const std::string& what) {
        throw WorkError(what + " in '" + tmp_.string() + "': " +
                        (db_ ? sqlite3_errmsg(db_) : "cannot open"));
    }
    void exec(const char* sql) {
        if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(sql);
    }
    void open() {
        if (db_) return;
        if (target_.has_parent_path()) fs::create_directories(target_.parent_path());
        std::error_code ec;
        fs::remove(tmp_, ec);
        if (sqlite3_open_v2(tmp_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                            nullptr) != SQLITE_OK)
            fail("cannot create the MBTiles file");
        exec("PRAGMA journal_mode=OFF");
        exec("PRAGMA synchronous=OFF");
        exec("CREATE TABLE metadata (name TEXT, value TEXT)");
        exec("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, "
             "tile_data BLOB)");
        exec("CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)");
        exec("CREATE UNIQUE INDEX name ON metadata (name)");
        exec("BEGIN");
        if (sqlite3_prepare_v2(db_,
                               "INSERT INTO tiles (zoom_level, tile_column, tile_row, tile_data) "
                               "VALUES (?, ?, ?, ?)",
                               -1, &insert_.s, nullptr) != SQLITE_OK)
            fail("cannot prepare");
    }

    fs::path target_, tmp_;
    sqlite3* db_ = nullptr;
    Statement insert_;
    bool done_ = false;
};

} // namespace

std::unique_ptr<TileSink> directory_sink(const std::string& dir) {
    return std::make_unique<DirectorySink>(dir);
}

std::unique_ptr<TileSink> mbtiles_sink(const std::string& file) {
    return std::make_unique<MbtilesSink>(file);
}

std::string gzip(const std::string& data) {
    z_stream zs{};
    if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw WorkError("zlib cannot start a gzip stream");
    std::string out(deflateBound(&zs, static_cast<uLong>(data.size())) + 32, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) throw WorkError("zlib cannot compress a tile");
    return out;
}

} // namespace sitmap::tiles
