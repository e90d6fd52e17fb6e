#include "layers/export.hpp"

#include "geo/csv.hpp"
#include "geo/error.hpp"
#include "layers/gdal_io.hpp"
#include "layers/styles.hpp"
#include "layers/atlas.hpp"

#include <ogrsf_frmts.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace sitmap {
namespace fs = std::filesystem;
namespace {

void write_text(const fs::path& p, const std::string& text) {
    std::ofstream f(p, std::ios::binary);
    f << text;
    if (!f.flush()) throw WorkError("cannot write '" + p.string() + "'");
}

std::string read_text(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

// A temporary folder beside `target`, renamed into place by commit().
class TempDir {
public:
    explicit TempDir(const fs::path& target) : target_(target) {
        if (target.has_parent_path()) fs::create_directories(target.parent_path());
        tmp_ = target.parent_path() /
               (".tmp" + std::to_string(::getpid()) + "-" + target.filename().string());
        std::error_code ec;
        fs::remove_all(tmp_, ec);
        fs::create_directories(tmp_);
    }
    ~TempDir() {
        std::error_code ec;
        if (!done_) fs::remove_all(tmp_, ec);
    }
    const fs::path& path() const { return tmp_; }
    void commit() {
        std::error_code ec;
        fs::remove_all(target_, ec);
        fs::rename(tmp_, target_);
        done_ = true;
    }

private:
    fs::path target_, tmp_;
    bool done_ = false;
};

Layer fields_dictionary(const std::vector<Layer>& layers) {
    Layer d;
    d.name = "atlas_fields";
    d.geometry_type = wkbNone;
    d.fields = {{"layer_name", FieldType::string, ""},
                {"field_name", FieldType::string, ""},
                {"field_type", FieldType::string, ""},
                {"hxl", FieldType::string, ""},
                {"shapefile_name", FieldType::string, ""}};
    const char* types[] = {"string", "integer", "real", "date"};
    for (const auto& l : layers)
        for (const auto& f : l.fields) {
            Feature row;
            row.values = {l.name, f.name, std::string(types[static_cast<int>(f.type)]), f.hxl,
                          shapefile_field_name(f.name)};
            d.features.push_back(std::move(row));
        }
    return d;
}

Value read_value(OGRFeature& f, int i, OGRFieldType t) {
    if (!f.IsFieldSetAndNotNull(i)) return Value{};
    switch (t) {
    case OFTInteger:
    case OFTInteger64: return static_cast<std::int64_t>(f.GetFieldAsInteger64(i));
    case OFTReal: return f.GetFieldAsDouble(i);
    case OFTDate: {
        int y = 0, m = 0, d = 0, hh = 0, mm = 0, tz = 0;
        float ss = 0;
        f.GetFieldAsDateTime(i, &y, &m, &d, &hh, &mm, &ss, &tz);
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
        return std::string(buf);
    }
    default: return std::string(f.GetFieldAsString(i));
    }
}

FieldType field_type(OGRFieldType t) {
    switch (t) {
    case OFTInteger:
    case OFTInteger64: return FieldType::integer;
    case OFTReal: return FieldType::real;
    case OFTDate: return FieldType::date;
    default: return FieldType::string;
    }
}

std::string hxl_row(const Layer& l, bool wkt) {
    std::string row = wkt ? "" : "";
    bool first = true;
    if (wkt) {
        row += "#geo+wkt";
        first = false;
    }
    for (const auto& f : l.fields) {
        row += (first ? "" : ",") + csv_escape(f.hxl);
        first = false;
    }
    return row;
}

bool has_lonlat(const Layer& l) {
    bool lon = false, lat = false;
    for (const auto& f : l.fields) {
        lon |= f.name == "lon";
        lat |= f.name == "lat";
    }
    return lon && lat;
}

} // namespace

const std::vector<std::string>& export_formats() {
    static const std::vector<std::string> f = {"gpkg", "geojson", "shapefile", "flatgeobuf", "csv"};
    return f;
}

std::string shapefile_field_name(const std::string& field) {
    static const std::map<std::string, std::string> fixed = {
        {"subcategory", "subcat"},        {"period_start", "per_start"},
        {"period_end", "per_end"},        {"destination", "dest"},
        {"admin1_pcode", "adm1_pcode"},   {"located_how", "located_by"},
        {"centre_name", "centr_name"},    {"source_code", "src_code"},
        {"parallel_legs", "par_legs"},    {"candidate_id", "cand_id"},
        {"field_name", "field_name"},     {"shapefile_name", "shp_name"}};
    if (auto it = fixed.find(field); it != fixed.end()) return it->second;
    return field.size() <= 10 ? field : field.substr(0, 10);
}

void write_atlas_gpkg(const std::string& path, const std::vector<Layer>& layers,
                      const std::string& styles_dir) {
    std::vector<Layer> extra;
    extra.push_back(fields_dictionary(layers));
    if (!styles_dir.empty()) extra.push_back(make_layer_styles(layers, styles_dir));
    std::vector<const Layer*> all;
    for (const auto& l : layers) all.push_back(&l);
    for (const auto& l : extra) all.push_back(&l);
    WriteOptions opt;
    write_layers(path, "GPKG", all, opt);
}

std::vector<Layer> read_atlas(const std::string& path) {
    auto ds = open_vector(path);
    std::map<std::string, std::map<std::string, std::string>> hxl;
    if (OGRLayer* d = ds->GetLayerByName("atlas_fields")) {
        for (auto& f : *d)
            hxl[f->GetFieldAsString("layer_name")][f->GetFieldAsString("field_name")] =
                f->GetFieldAsString("hxl");
    }
    std::vector<Layer> out;
    for (auto* ol : ds->GetLayers()) {
        const std::string name = ol->GetName();
        if (name == "atlas_fields" || name == "layer_styles") continue;
        Layer l;
        l.name = name;
        l.geometry_type = wkbFlatten(ol->GetGeomType());
        OGRFeatureDefn* defn = ol->GetLayerDefn();
        std::vector<OGRFieldType> types;
        for (int i = 0; i < defn->GetFieldCount(); ++i) {
            const auto* fd = defn->GetFieldDefn(i);
            types.push_back(fd->GetType());
            l.fields.push_back({fd->GetNameRef(), field_type(fd->GetType()),
                                hxl[name][fd->GetNameRef()]});
        }
        ol->ResetReading();
        for (auto& f : *ol) {
            Feature feat;
            if (const OGRGeometry* g = f->GetGeometryRef())
                feat.geometry = std::shared_ptr<OGRGeometry>(g->clone());
            for (int i = 0; i < defn->GetFieldCount(); ++i)
                feat.values.push_back(read_value(*f, i, types[static_cast<std::size_t>(i)]));
            l.features.push_back(std::move(feat));
        }
        out.push_back(std::move(l));
    }
    const auto& order = atlas_layer_names();
    auto rank = [&](const Layer& l) {
        const auto it = std::find(order.begin(), order.end(), l.name);
        return static_cast<std::size_t>(it - order.begin());
    };
    std::stable_sort(out.begin(), out.end(),
                     [&](const Layer& a, const Layer& b) { return rank(a) < rank(b); });
    return out;
}

ExportResult export_layers(const std::vector<Layer>& layers, const std::string& format,
                           const std::string& path, const ExportOptions& opt) {
    ExportResult res;
    if (format == "gpkg") {
        write_atlas_gpkg(path, layers, opt.styles_dir);
        res.files.push_back(fs::path(path).filename().string());
        return res;
    }
    if (std::find(export_formats().begin(), export_formats().end(), format) ==
        export_formats().end())
        throw UsageError("unknown format '" + format + "'");
    TempDir tmp(path);
    if (format == "geojson") {
        WriteOptions w;
        w.layer_options = {"RFC7946=YES", "COORDINATE_PRECISION=7", "WRITE_NAME=NO",
                           "WRITE_BBOX=NO"};
        for (const auto& l : layers) {
            const std::string f = l.name + ".geojson";
            write_layers((tmp.path() / f).string(), "GeoJSON", {&l}, w);
            res.files.push_back(f);
        }
    } else if (format == "flatgeobuf") {
        for (const auto& l : layers) {
            if (l.geometry_type == wkbNone) {
                // FlatGeobuf files without geometry cannot be read back by GDAL 3.6: tables
                // (unresolved, audit) go beside them as CSV.
                Layer copy = l;
                for (auto& f : copy.fields)
                    if (f.type == FieldType::date) f.type = FieldType::string;
                WriteOptions w;
                w.layer_options = {"LINEFORMAT=LF"};
                write_layers((tmp.path() / (l.name + ".csv")).string(), "CSV", {&copy}, w);
                res.files.push_back(l.name + ".csv");
                continue;
            }
            const std::string f = l.name + ".fgb";
            WriteOptions w;
            // GDAL's FlatGeobuf writer skips features without geometry (records that could not
            // be located): they go to <layer>_unlocated.csv beside the file, not dropped.
            Layer located = l, unlocated = l;
            located.features.clear();
            unlocated.features.clear();
            unlocated.geometry_type = wkbNone;
            for (auto& fd : unlocated.fields)
                if (fd.type == FieldType::date) fd.type = FieldType::string;
            for (const auto& x : l.features) (x.geometry ? located : unlocated).features.push_back(x);
            w.layer_options = {"SPATIAL_INDEX=YES"};
            write_layers((tmp.path() / f).string(), "FlatGeobuf", {&located}, w);
            if (!unlocated.features.empty()) {
                WriteOptions c;
                c.layer_options = {"LINEFORMAT=LF"};
                const std::string side = l.name + "_unlocated.csv";
                write_layers((tmp.path() / side).string(), "CSV", {&unlocated}, c);
                res.files.push_back(side);
            }
            res.files.push_back(f);
        }
    } else if (format == "shapefile") {
        std::string mapping = "layer,field,shapefile_field\n";
        std::vector<Layer> copies;
        for (const auto& l : layers) {
            Layer copy = l;
            std::set<std::string> used;
            for (auto& f : copy.fields) {
                const std::string shp = shapefile_field_name(f.name);
                if (!used.insert(shp).second)
                    throw WorkError("Shapefile field name '" + shp + "' used twice in layer '" +
                                    l.name + "'");
                if (shp != f.name) mapping += l.name + "," + f.name + "," + shp + "\n";
                f.name = shp;
            }
            if (copy.geometry_type == wkbMultiPolygon) copy.geometry_type = wkbPolygon;
            copies.push_back(std::move(copy));
        }
        std::vector<const Layer*> ptrs;
        for (const auto& c : copies) ptrs.push_back(&c);
        WriteOptions w;
        w.layer_options = {"ENCODING=UTF-8"};
        const fs::path sub = tmp.path() / "layers";
        write_layers(sub.string(), "ESRI Shapefile", ptrs, w);
        for (const auto& l : layers) {
            for (const char* ext : {".shp", ".shx", ".dbf", ".prj", ".cpg"}) {
                const fs::path from = sub / (l.name + ext);
                if (!fs::exists(from)) continue;
                fs::rename(from, tmp.path() / (l.name + ext));
                res.files.push_back(l.name + ext);
            }
            if (!opt.styles_dir.empty() && l.geometry_type != wkbNone) {
                const std::string qml = style_qml(l.name, opt.styles_dir, true);
                if (!qml.empty()) {
                    write_text(tmp.path() / (l.name + ".qml"), qml);
                    res.files.push_back(l.name + ".qml");
                }
            }
        }
        fs::remove_all(sub);
        write_text(tmp.path() / "field_names.csv", mapping);
        res.files.push_back("field_names.csv");
    } else if (format == "csv") {
        for (const auto& l : layers) {
            Layer copy = l;
            for (auto& f : copy.fields)
                if (f.type == FieldType::date) f.type = FieldType::string;
            const bool wkt = l.geometry_type != wkbNone && !has_lonlat(l);
            if (!wkt) copy.geometry_type = wkbNone;
            if (!wkt)
                for (auto& f : copy.features) f.geometry.reset();
            WriteOptions w;
            w.layer_options = {wkt ? "GEOMETRY=AS_WKT" : "GEOMETRY=NONE", "LINEFORMAT=LF"};
            const std::string f = l.name + ".csv";
            const fs::path out = tmp.path() / f;
            write_layers(out.string(), "CSV", {&copy}, w);
            if (opt.hxl) {
                std::string text = read_text(out);
                const auto nl = text.find('\n');
                if (nl != std::string::npos)
                    text.insert(nl + 1, hxl_row(l, wkt) + "\n");
                write_text(out, text);
            }
            res.files.push_back(f);
        }
    }
    tmp.commit();
    return res;
}

} // namespace sitmap
