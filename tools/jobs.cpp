#include "tools/jobs.hpp"

#include "geo/error.hpp"
#include "layers/export.hpp"
#include "layers/extract.hpp"
#include "tools/options.hpp"

#include <filesystem>
#include <ostream>

namespace sitmap::cli {

void AtlasJob::check() const {
    namespace fs = std::filesystem;
    for (const auto& r : records)
        if (!fs::exists(r)) throw InputError(r, 0, "no such file");
    if (!regions.empty() && regions.find("|layername=") == std::string::npos &&
        !fs::exists(regions))
        throw InputError(regions, 0, "no such file");
}

Atlas run_atlas_job(const AtlasJob& job, const std::string& out, std::ostream& log) {
    const LoadedGazetteer loaded = load_gazetteer(job.data);
    AtlasInputs in;
    in.records = load_records(job.records.empty() ? std::vector<std::string>{job.data.file("records.csv")}
                                                  : job.records);
    const std::string docs = job.documents.empty() ? job.data.file("documents.csv") : job.documents;
    if (std::filesystem::exists(docs)) in.documents = load_documents(docs);
    in.gazetteer = &loaded.gazetteer;
    in.admin1 = &loaded.admin1;
    const std::string world = job.world_map.empty() ? default_world_map() : job.world_map;
    in.regions = job.regions.empty() ? load_natural_earth_regions(world, loaded.admin1)
                                     : load_regions(job.regions, loaded.admin1);
    const std::string zones = job.zones.empty() ? job.data.file("zones.csv") : job.zones;
    in.zones = make_zones(load_zone_defs(zones), loaded.gazetteer, zones);
    Atlas atlas = build_atlas(in);
    write_atlas_gpkg(out, atlas.layers, job.styles_dir());
    log << "records: " << in.records.size() << " (gazetteer: " << loaded.summary
        << "; regions: " << in.regions.regions.size() << " from " << in.regions.source << ")\n";
    for (const auto& l : atlas.layers) log << "  " << l.name << ": " << l.features.size() << "\n";
    log << "unresolved place strings: " << atlas.unresolved
        << "; audit findings: " << atlas.audit_findings << " of "
        << atlas.layer("audit").features.size() << " checks\n";
    return atlas;
}

void add_atlas_options(CLI::App& app, AtlasJob& job) {
    app.add_option("--records", job.records,
                   "Records tables (default: <data>/records.csv); repeatable")
        ->expected(1)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    app.add_option("--documents", job.documents, "Documents table (default: <data>/documents.csv)");
    app.add_option("--regions", job.regions,
                   "Region polygons, any layer GDAL reads (PATH or 'PATH|layername=L'); default: "
                   "Natural Earth admin-1 from --world-map");
    app.add_option("--world-map", job.world_map,
                   "Natural Earth GeoPackage with states_provinces and countries (default: " +
                       default_world_map() + ")");
    app.add_option("--zones", job.zones, "Zones table (default: <data>/zones.csv)");
    app.add_option("--styles", job.styles, "Folder of QML styles (default: <data>/styles)");
    add_data_options(app, job.data);
}

void check_extract_job(const ExtractJob& job) {
    namespace fs = std::filesystem;
    for (const auto& b : job.bulletins) {
        if (!fs::exists(b)) throw InputError(b, 0, "no such file");
        if (fs::is_directory(b)) throw InputError(b, 0, "is a folder; give the bulletin files");
    }
    if (!job.date.empty() && !is_iso_date(job.date))
        throw UsageError("--date '" + job.date + "' is not a date (YYYY-MM-DD)");
}

std::size_t run_extract_job(const ExtractJob& job, const std::string& out, Io& io) {
    const LoadedGazetteer loaded = load_gazetteer(job.data);
    const Geocoder geocoder(loaded.gazetteer);
    const auto patterns =
        load_extract_patterns(job.patterns.empty() ? job.data.file("patterns") : job.patterns);
    const Extractor extractor(patterns, &geocoder);
    ExtractOptions opt;
    opt.date = job.date;
    opt.source = job.source;
    opt.claimant = job.claimant;
    std::vector<Extraction> docs;
    std::size_t i = 0;
    for (const auto& path : job.bulletins) {
        ++i;
        if (io.progress && job.bulletins.size() > 1)
            io.err << "\rextract: " << i << "/" << job.bulletins.size() << " " << path << "\x1b[K"
                   << std::flush;
        docs.push_back(extractor.extract_file(path, opt));
        const auto& d = docs.back();
        if (d.records.empty())
            io.err << (io.progress ? "\n" : "") << "extract: " << path << ": no records (" << d.reason
                   << ")\n";
        else if (d.date_basis == "none")
            io.err << (io.progress ? "\n" : "") << "extract: " << path
                   << ": no date in the text and no --date; periods have no dates\n";
    }
    if (io.progress && job.bulletins.size() > 1) io.err << "\n";
    const auto merged = merge_repeated(docs);
    write_extracted_csv(out, merged);
    return merged.size();
}

} // namespace sitmap::cli
