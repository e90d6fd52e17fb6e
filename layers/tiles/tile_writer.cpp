#include "layers/tiles/tile_writer.hpp"

#include "geo/error.hpp"

#include <sqlite3.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
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

// Beside the target (same folder, so a rename moves it into place).
fs::path temp_name(const fs::path& target) {
    return target.string() + ".tmp-" + std::to_string(::getpid());
}
fs::path backup_name(const fs::path& target) {
    return target.string() + ".old-" + std::to_string(::getpid());
}

bool all_digits(const std::string& s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// An earlier tile set: metadata.json and tiles.json (or a metadata.json saying "format": "pbf"),
// and nothing else but zoom folders.
bool is_tile_set(const fs::path& dir) {
    if (!fs::is_regular_file(dir / "metadata.json")) return false;
    bool tilejson = fs::is_regular_file(dir / "tiles.json");
    if (!tilejson) {
        std::ifstream f(dir / "metadata.json");
        const auto meta = nlohmann::json::parse(f, nullptr, false);
        tilejson = meta.is_object() && meta.contains("format") && meta["format"] == "pbf";
    }
    if (!tilejson) return false;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const auto name = e.path().filename().string();
        if (name == "metadata.json" || name == "tiles.json") continue;
        if (e.is_directory() && !e.is_symlink() && all_digits(name)) continue;
        return false;
    }
    return !ec;
}

// Moves `tmp` to `target`; an existing target is first moved to a backup, which commit_publish()
// removes and rollback() puts back.
class Publisher {
public:
    Publisher(fs::path target, fs::path tmp) : target_(std::move(target)), tmp_(std::move(tmp)) {}
    const fs::path& target() const { return target_; }
    const fs::path& tmp() const { return tmp_; }
    bool published() const { return state_ != State::building; }

    void publish() {
        if (target_.has_parent_path()) fs::create_directories(target_.parent_path());
        std::error_code ec;
        const fs::path old = backup_name(target_);
        fs::remove_all(old, ec);
        had_target_ = fs::symlink_status(target_).type() != fs::file_type::not_found;
        if (had_target_) {
            fs::rename(target_, old, ec);
            if (ec)
                throw WorkError("cannot move '" + target_.string() + "' aside: " + ec.message());
        }
        fs::rename(tmp_, target_, ec);
        if (ec) {
            std::error_code ignore;
            if (had_target_) fs::rename(old, target_, ignore);
            throw WorkError("cannot rename '" + tmp_.string() + "' to '" + target_.string() +
                            "': " + ec.message());
        }
        state_ = State::published;
    }
    // Removes the backup of the earlier output.
    void finish() {
        std::error_code ec;
        if (state_ == State::published && had_target_) fs::remove_all(backup_name(target_), ec);
        state_ = State::finished;
    }
    // Undoes publish(): the new output goes away, the earlier one comes back.
    void rollback() {
        if (state_ != State::published) return;
        std::error_code ec;
        fs::remove_all(target_, ec);
        if (had_target_) fs::rename(backup_name(target_), target_, ec);
        state_ = State::building;
    }

private:
    enum class State { building, published, finished };
    fs::path target_, tmp_;
    bool had_target_ = false;
    State state_ = State::building;
};

class DirectorySink : public TileSink {
public:
    explicit DirectorySink(const fs::path& dir) : out_(dir, temp_name(dir)) {
        const auto& target = out_.target();
        const auto st = fs::symlink_status(target).type();
        if (st == fs::file_type::not_found) return;
        if (st != fs::file_type::directory)
            throw UsageError("'" + target.string() + "' exists and is not a folder; remove it or "
                             "choose another");
        std::error_code ec;
        if (!fs::is_empty(target, ec) && !is_tile_set(target))
            throw UsageError("'" + target.string() +
                             "' exists and is not a tile folder; remove it or choose another");
    }
    ~DirectorySink() override {
        std::error_code ec;
        if (!out_.published()) fs::remove_all(out_.tmp(), ec);
    }
    void write(const TileId& id, const std::string& pbf, const std::string&) override {
        const fs::path d = out_.tmp() / std::to_string(id.z) / std::to_string(id.x);
        fs::create_directories(d);
        write_file(d / (std::to_string(id.y) + ".pbf"), pbf);
    }
    void commit(const TileSetInfo& info) override {
        const fs::path& tmp = out_.tmp();
        fs::create_directories(tmp);
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
        write_file(tmp / "metadata.json", meta.dump(2) + "\n");

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
        write_file(tmp / "tiles.json", tj.dump(2) + "\n");
    }
    void publish() override { out_.publish(); }
    void finish() override { out_.finish(); }
    void rollback() override { out_.rollback(); }
    const fs::path& target() const override { return out_.target(); }

private:
    Publisher out_;
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
    explicit MbtilesSink(const fs::path& file)
        : out_(file, temp_name(file)), target_(out_.target()), tmp_(out_.tmp()) {
        if (fs::is_directory(target_))
            throw UsageError("--mbtiles '" + target_.string() + "' is a folder");
    }
    ~MbtilesSink() override {
        insert_.finalize();
        if (db_) sqlite3_close(db_);
        std::error_code ec;
        if (!out_.published()) fs::remove(tmp_, ec);
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
    void publish() override { out_.publish(); }
    void finish() override { out_.finish(); }
    void rollback() override { out_.rollback(); }
    const fs::path& target() const override { return out_.target(); }

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

    Publisher out_;
    const fs::path& target_;
    const fs::path& tmp_;
    sqlite3* db_ = nullptr;
    Statement insert_;
};

} // namespace

fs::path output_path(const std::string& path) {
    fs::path p = fs::absolute(path).lexically_normal();
    while (!p.has_filename() && p.has_parent_path() && p != p.root_path()) p = p.parent_path();
    return p;
}

std::unique_ptr<TileSink> directory_sink(const std::string& dir) {
    return std::make_unique<DirectorySink>(output_path(dir));
}

std::unique_ptr<TileSink> mbtiles_sink(const std::string& file) {
    return std::make_unique<MbtilesSink>(output_path(file));
}

void publish_all(const std::vector<std::unique_ptr<TileSink>>& sinks) {
    std::size_t done = 0;
    try {
        for (; done < sinks.size(); ++done) sinks[done]->publish();
    } catch (...) {
        while (done > 0) sinks[--done]->rollback();
        throw;
    }
    for (const auto& s : sinks) s->finish();
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
