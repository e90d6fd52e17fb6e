#pragma once
// GDAL/OGR adapter: one error channel into exceptions, RAII datasets, and writing layers to any
// vector driver through a temporary file renamed into place (no half-written output).
#include "layers/feature.hpp"

#include <gdal_priv.h>

#include <string>
#include <vector>

namespace sitmap {

// Registers GDAL drivers once and routes GDAL's messages away from stderr: errors raised while
// a GdalErrorScope is alive are collected and thrown as WorkError by check().
void init_gdal();

class GdalErrorScope {
public:
    GdalErrorScope();
    ~GdalErrorScope();
    GdalErrorScope(const GdalErrorScope&) = delete;
    GdalErrorScope& operator=(const GdalErrorScope&) = delete;
    // Last error message GDAL raised in this scope, or "".
    std::string last_error() const;
};

struct WriteOptions {
    std::vector<std::string> dataset_options; // e.g. "RFC7946=YES" is a layer option for GeoJSON
    std::vector<std::string> layer_options;
    bool overwrite = true;
};

// Writes layers to `path` with the named GDAL driver ("GPKG", "GeoJSON", ...). For single-layer
// formats pass one layer. The file appears only when complete.
void write_layers(const std::string& path, const std::string& driver,
                  const std::vector<const Layer*>& layers, const WriteOptions& opt = {});

// Opens a vector dataset read-only; throws InputError naming the path when GDAL cannot.
GDALDatasetUniquePtr open_vector(const std::string& path);

} // namespace sitmap
