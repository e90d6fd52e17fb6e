// sitmap extract: raw bulletins (plain text) -> records.csv, one located figure per row.
#include "geo/error.hpp"
#include "layers/extract.hpp"
#include "tools/command.hpp"
#include "tools/options.hpp"

#include <filesystem>
#include <ostream>

namespace sitmap::cli {

struct ExtractJob {
    std::vector<std::string> bulletins;
    std::string date, source, claimant, patterns;
    DataOptions data;
};

// Extracts every bulletin and writes the merged records to `out` (temp file + rename).
// Returns the number of records written. Used by `sitmap run --bulletins` too.
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

void check_extract_job(const ExtractJob& job) {
    namespace fs = std::filesystem;
    for (const auto& b : job.bulletins) {
        if (!fs::exists(b)) throw InputError(b, 0, "no such file");
        if (fs::is_directory(b)) throw InputError(b, 0, "is a folder; give the bulletin files");
    }
    if (!job.date.empty() && !is_iso_date(job.date))
        throw UsageError("--date '" + job.date + "' is not a date (YYYY-MM-DD)");
}

namespace {

class ExtractCommand : public Command {
public:
    std::string_view name() const override { return "extract"; }
    std::string_view summary() const override {
        return "Read plain-text bulletins into records (figures with places, periods, provenance)";
    }
    void setup(CLI::App& app) override {
        app.add_option("bulletins", job_.bulletins, "Bulletin text files (UTF-8)")->required();
        add_output(app, out_, "Records table to write (CSV, the columns of data/records.csv + extras)")
            ->required();
        app.add_option("--date", job_.date, "Date of the bulletins when the text states none (YYYY-MM-DD)");
        app.add_option("--source", job_.source, "Publisher, copied to every record");
        app.add_option("--claimant", job_.claimant,
                       "Who states the figures when the text names no speaker");
        app.add_option("--patterns", job_.patterns, "Folder of pattern tables (default: <data>/patterns)");
        add_data_options(app, job_.data);
        app.footer("Then: sitmap build --records records.csv -o atlas.gpkg. See docs/extraction.md.");
    }
    int run(Io& io) override {
        check_extract_job(job_);
        const auto n = run_extract_job(job_, out_, io);
        io.out << "wrote " << out_ << " (" << n << " records from " << job_.bulletins.size()
               << " bulletin" << (job_.bulletins.size() == 1 ? "" : "s") << ")\n";
        return 0;
    }

private:
    ExtractJob job_;
    std::string out_;
};

} // namespace

std::unique_ptr<Command> make_extract_command() { return std::make_unique<ExtractCommand>(); }

} // namespace sitmap::cli
