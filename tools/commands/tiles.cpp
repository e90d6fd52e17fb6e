// sitmap tiles: atlas (or any vector dataset) -> Mapbox Vector Tiles, a z/x/y.pbf folder and/or
// an MBTiles file.
#include "geo/error.hpp"
#include "layers/tiles/tile_math.hpp"
#include "layers/tiles/tileset.hpp"
#include "tools/command.hpp"
#include "tools/options.hpp"

#include <ostream>

namespace sitmap::cli {
namespace {

class TilesCommand : public Command {
public:
    std::string_view name() const override { return "tiles"; }
    std::string_view summary() const override {
        return "Write Mapbox Vector Tiles (a z/x/y.pbf folder and/or MBTiles) for a zoom range";
    }
    void setup(CLI::App& app) override {
        app.add_option("atlas", opt_.input,
                       "Atlas GeoPackage, or any vector dataset GDAL reads (any CRS)")
            ->required();
        add_output(app, opt_.directory,
                   "Folder for the z/x/y.pbf pyramid with metadata.json and tiles.json");
        app.add_option("--mbtiles", opt_.mbtiles, "MBTiles file to write");
        app.add_option("--zoom", zoom_, "Zoom levels MIN-MAX, within 0-14")
            ->capture_default_str()
            ->check([](const std::string& s) {
                try {
                    tiles::parse_zoom_range(s);
                    return std::string();
                } catch (const UsageError& e) {
                    return std::string(e.what());
                }
            });
        app.add_option("--layers", opt_.layers,
                       "Layers to tile, comma-separated (default: every layer with geometries)")
            ->delimiter(',');
        app.add_option("--cluster-cell", opt_.cluster_cell,
                       "Side of a cluster cell in tile units (of 4096), a power of two")
            ->capture_default_str();
        app.add_option("--cluster-by", opt_.cluster_by,
                       "Fields points must share to be clustered, comma-separated, or 'none' "
                       "(default: category,subcategory,period,unit where present)")
            ->delimiter(',');
        app.add_option("--buffer", opt_.buffer, "Tile units kept around each tile for lines and "
                                                "polygons")
            ->capture_default_str();
        app.add_option("--name", opt_.name, "Tile set name (default: the input file's name)");
        app.add_option("--description", opt_.description, "Tile set description");
        app.add_option("--threads", opt_.threads,
                       "Worker threads, 1 to 256, or 0 for every core (default)");
        app.footer(
            "Tile layers are the source layers; every attribute is kept. Lines and polygons are\n"
            "clipped to each tile (with the buffer) and simplified below the top zoom. Points\n"
            "are never dropped: each point lies in exactly one tile per zoom, and points sharing\n"
            "a cluster cell become one feature at their mean position with `count` (the number\n"
            "of points), the sum of every numeric field (the mean of lon, lat, longitude,\n"
            "latitude, x, y, confidence, importance and score), `clustered`=1, and each text\n"
            "field all members share. Points are clustered only with points that share their\n"
            "category, subcategory, period and unit (--cluster-by), so figures of different\n"
            "kinds are never added up. A lone point keeps its attributes with count=1,\n"
            "clustered=0. So at every zoom the counts over all tiles add up to the number of\n"
            "points, and each summed field to the layer's total. A source field named count or\n"
            "clustered is written as source_count / source_clustered. A cluster carries the\n"
            "value of each --cluster-by field; an integer sum too large for 64 bits is written\n"
            "as a real. Lone points and line and polygon pieces have their source feature id as\n"
            "their tile feature id; clusters have none. Text that is not valid UTF-8 has each\n"
            "invalid byte replaced by U+FFFD. Features PROJ cannot transform are counted and\n"
            "not tiled.\n"
            "The same input gives the same bytes. An existing output is replaced (a folder only\n"
            "when it is empty or holds an earlier tile set: metadata.json, tiles.json and zoom\n"
            "folders); the earlier output is kept until the new one is in place.\n"
            "Exit status: 0 success, 1 the work failed, 2 bad usage or bad input.");
    }
    int run(Io& io) override {
        const auto [lo, hi] = tiles::parse_zoom_range(zoom_);
        opt_.min_zoom = lo;
        opt_.max_zoom = hi;
        tiles::check_tile_options(opt_);
        const auto rep = tiles::make_tiles(opt_);
        for (const auto& l : rep.layers) {
            io.out << "layer " << l.name << ": ";
            // "3 points, 2 lines, 1 polygon" (each kind the layer has).
            std::string sep;
            auto count = [&](std::size_t n, const char* what) {
                if (n == 0) return;
                io.out << sep << n << " " << what << (n == 1 ? "" : "s");
                sep = ", ";
            };
            count(l.points, "point");
            count(l.lines, "line");
            count(l.polygons, "polygon");
            if (sep.empty()) io.out << "no features";
            // Features that are not tiled, by reason.
            std::string why;
            if (l.skipped) why = std::to_string(l.skipped) + " without geometry";
            if (l.unprojected)
                why += (why.empty() ? "" : ", ") + std::to_string(l.unprojected) +
                       " could not be projected";
            if (!why.empty()) io.out << " (" << why << ", not tiled)";
            io.out << "\n";
        }
        for (const auto& z : rep.zooms)
            io.out << "zoom " << z.zoom << ": " << z.tiles << " tiles, " << z.features
                   << " features (" << z.clusters << " clusters), count " << z.points << " of "
                   << rep.points() << " points, " << z.bytes << " bytes\n";
        io.out << "wrote " << rep.tiles() << " tiles (" << rep.bytes() << " bytes)";
        if (!opt_.directory.empty()) io.out << " to " << opt_.directory;
        if (!opt_.directory.empty() && !opt_.mbtiles.empty()) io.out << " and";
        if (!opt_.mbtiles.empty()) io.out << " to " << opt_.mbtiles;
        io.out << "\n";
        return 0;
    }

private:
    tiles::TileOptions opt_;
    std::string zoom_ = "0-8";
};

} // namespace

std::unique_ptr<Command> make_tiles_command() { return std::make_unique<TilesCommand>(); }

} // namespace sitmap::cli
