#include "layers/gdal_io.hpp"

#include "geo/error.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <ogrsf_frmts.h>

#include <unistd.h>

#include <filesystem>
#include <mutex>

namespace sitmap {
namespace {

thread_local std::string g_last_error;
thread_local int g_scopes = 0;

void CPL_STDCALL collect_error(CPLErr cls, CPLErrorNum, const char* msg) {
    if (cls >= CE_Failure) g_last_error = msg ? msg : "unknown GDAL error";
}

struct CslList {
    char** list = nullptr;
    explicit CslList(const std::vector<std::string>& items) {
        for (const auto& s : items) list = CSLAddString(list, s.c_str());
    }
    ~CslList() { CSLDestroy(list); }
};

OGRFieldType ogr_type(FieldType t) {
    switch (t) {
    case FieldType::integer: return OFTInteger64;
    case FieldType::real: return OFTReal;
    case FieldType::date: return OFTDate;
    case FieldType::string: break;
    }
    return OFTString;
}

void set_value(OGRFeature& f, int i, const Value& v, FieldType t) {
    if (std::holds_alternative<std::monostate>(v)) {
        f.SetFieldNull(i);
    } else if (auto* n = std::get_if<std::int64_t>(&v)) {
        f.SetField(i, static_cast<GIntBig>(*n));
    } else if (auto* d = std::get_if<double>(&v)) {
        f.SetField(i, *d);
    } else {
        const auto& s = std::get<std::string>(v);
        if (t == FieldType::date && s.empty()) f.SetFieldNull(i);
        else f.SetField(i, s.c_str());
    }
}

} // namespace

void init_gdal() {
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
        CPLSetErrorHandler(collect_error);
    });
}

GdalErrorScope::GdalErrorScope() {
    init_gdal();
    if (g_scopes++ == 0) g_last_error.clear();
}
GdalErrorScope::~GdalErrorScope() { --g_scopes; }
std::string GdalErrorScope::last_error() const { return g_last_error; }

GDALDatasetUniquePtr open_vector(const std::string& path) {
    GdalErrorScope scope;
    if (!std::filesystem::exists(path) && path.rfind("/vsi", 0) != 0 && path.rfind("PG:", 0) != 0)
        throw InputError(path, 0, "no such file");
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!ds) {
        throw InputError(path, 0, "GDAL cannot open it as a vector dataset" +
                                      (scope.last_error().empty() ? "" : ": " + scope.last_error()));
    }
    return ds;
}

namespace {

// Creates the dataset at `path` and writes every layer into it.
void write_dataset(const std::string& path, GDALDriver& driver, const std::vector<const Layer*>& layers,
                   const WriteOptions& opt, const GdalErrorScope& scope) {
        CslList dsopts(opt.dataset_options);
        GDALDatasetUniquePtr ds(
            driver.Create(path.c_str(), 0, 0, 0, GDT_Unknown, dsopts.list));
        if (!ds) throw WorkError("cannot create '" + path + "': " + scope.last_error());
        OGRSpatialReference wgs84;
        wgs84.SetWellKnownGeogCS("WGS84");
        wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        for (const Layer* layer : layers) {
            CslList lopts(opt.layer_options);
            OGRLayer* ol = ds->CreateLayer(layer->name.c_str(),
                                           layer->geometry_type == wkbNone ? nullptr : &wgs84,
                                           layer->geometry_type, lopts.list);
            if (ol == nullptr)
                throw WorkError("cannot create layer '" + layer->name + "' in '" + path +
                                "': " + scope.last_error());
            for (const auto& fd : layer->fields) {
                OGRFieldDefn defn(fd.name.c_str(), ogr_type(fd.type));
                if (ol->CreateField(&defn) != OGRERR_NONE)
                    throw WorkError("cannot create field '" + fd.name + "' in layer '" +
                                    layer->name + "': " + scope.last_error());
            }
            const bool tx = ds->TestCapability(ODsCTransactions) &&
                            ds->StartTransaction() == OGRERR_NONE;
            OGRFeatureDefn* defn = ol->GetLayerDefn();
            for (const auto& feat : layer->features) {
                OGRFeatureUniquePtr f(OGRFeature::CreateFeature(defn));
                for (std::size_t i = 0; i < layer->fields.size() && i < feat.values.size(); ++i)
                    set_value(*f, static_cast<int>(i), feat.values[i], layer->fields[i].type);
                if (feat.geometry) f->SetGeometry(feat.geometry.get());
                if (ol->CreateFeature(f.get()) != OGRERR_NONE)
                    throw WorkError("cannot write a feature to layer '" + layer->name +
                                    "': " + scope.last_error());
            }
            if (tx && ds->CommitTransaction() != OGRERR_NONE)
                throw WorkError("cannot commit layer '" + layer->name + "': " + scope.last_error());
        }
        ds->FlushCache();
        if (!scope.last_error().empty())
            throw WorkError("cannot write '" + path + "': " + scope.last_error());
    }

} // namespace

void write_layers(const std::string& path, const std::string& driver_name,
                  const std::vector<const Layer*>& layers, const WriteOptions& opt) {
    GdalErrorScope scope;
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name.c_str());
    if (driver == nullptr) throw WorkError("GDAL has no driver '" + driver_name + "'");

    namespace fs = std::filesystem;
    // Streams (/vsistdout/) and other virtual files are written in place: there is nothing to
    // rename, and a reader of a stream sees it whole or not at all anyway.
    if (path.rfind("/vsi", 0) == 0) {
        write_dataset(path, *driver, layers, opt, scope);
        return;
    }
    const fs::path target(path);
    if (fs::exists(target) && !opt.overwrite)
        throw UsageError("'" + path + "' exists (use --overwrite)");
    if (target.has_parent_path()) fs::create_directories(target.parent_path());
    const fs::path tmp = target.parent_path() /
                         (".tmp" + std::to_string(::getpid()) + "-" + target.filename().string());
    std::error_code ec;
    fs::remove_all(tmp, ec);

    write_dataset(tmp.string(), *driver, layers, opt, scope);
    fs::remove_all(target, ec);
    fs::rename(tmp, target);
}

} // namespace sitmap
