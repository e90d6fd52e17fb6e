// sitmap extract: raw bulletins (plain text) -> records.csv, one located figure per row.
#include "geo/error.hpp"
#include "layers/extract.hpp"
#include "tools/command.hpp"
#include "tools/jobs.hpp"
#include "tools/options.hpp"

#include <filesystem>
#include <ostream>

namespace sitmap::cli {

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
