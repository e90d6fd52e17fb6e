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
        app.add_option("--threads", opt_.threads, "Worker threads (default: every core)");
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
            "clustered is written as source_count / source_clustered.\n"
            "The same input gives the same bytes. An existing output is replaced (a folder only\n"
            "when it is empty or holds an earlier tile set).\n"
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
            const auto plural = [](std::size_t n) { return n == 1 ? "" : "s"; };
            if (l.points) io.out << l.points << " point" << plural(l.points);
            if (l.points && l.shapes) io.out << ", ";
            if (l.shapes)
                io.out << l.shapes << (l.geometry == "Polygon" ? " polygon" : " line")
                       << plural(l.shapes);
            if (!l.points && !l.shapes) io.out << "no features";
            if (l.skipped) io.out << " (" << l.skipped << " without geometry, not tiled)";
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
