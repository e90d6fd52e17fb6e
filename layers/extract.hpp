#pragma once
// Bulletin ingestion: plain-text bulletin -> records (one figure each) with provenance.
//
// The extractor reads the text once: it checks the encoding, drops web-page debris, finds the
// report's date and its speakers, splits sentences, scans place names with one Aho-Corasick pass
// over the gazetteer names, and reads every figure with its qualifier, unit, what it counts, its
// period and its places. What it recognises comes from tables (data/patterns/*.csv), not code.
// See docs/extraction.md.
#include "geo/geocoder.hpp"
#include "layers/records.hpp"

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sitmap {

struct ExtractPatterns; // layers/extract_patterns.hpp

// Loads the pattern tables from a folder (default <data>/patterns). Throws InputError naming the
// table and line of a bad row.
std::shared_ptr<const ExtractPatterns> load_extract_patterns(const std::string& dir);

struct ExtractOptions {
    std::string date;       // YYYY-MM-DD used when the text states none; empty: none
    bool prefer_text_date = true; // a date line in the text wins over `date`
    std::string source;     // publisher, copied to every record
    std::string claimant;   // who states the figures when the text names no speaker
    std::string country = "Syria"; // place of figures that name none (national figures)
};

// One extracted figure: the record plus what only extraction knows.
struct ExtractedRecord {
    Record record;
    std::size_t sentence_start = 0, sentence_end = 0; // code points, like the locator
    std::string place_id;   // gazetteer ids of the place ('|' for several), empty if unresolved
    std::string precision;  // point | settlement | district | governorate | country | unresolved
    std::string relation;   // relative location, e.g. "zone 55 km around" or "20 km east of"
    std::vector<std::string> also_in; // other locators stating the same figure (after merging)
};

struct Extraction {
    std::string doc_id;
    std::string date;       // the date used (text or option); empty when none
    std::string date_basis; // "text" | "option" | "none"
    std::vector<ExtractedRecord> records;
    std::string reason;     // why there are no records (empty text, no figures...)
};

class Extractor {
public:
    // `geocoder` may be null (places stay unresolved, no typo tolerance).
    Extractor(std::shared_ptr<const ExtractPatterns> patterns, const Geocoder* geocoder);
    ~Extractor();

    // Extracts from text already in memory. `name` is used in error messages.
    // Throws InputError for text that is not UTF-8 or is binary.
    Extraction extract(std::string_view text, const std::string& doc_id,
                       const ExtractOptions& opt, const std::string& name = "") const;
    // Reads a file and extracts from it; doc_id is the file name without extension.
    Extraction extract_file(const std::string& path, const ExtractOptions& opt) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Merges figures reported again across bulletins (same value, category, subcategory, place and
// date) into one record that lists the other sources in `also_in`.
std::vector<ExtractedRecord> merge_repeated(const std::vector<Extraction>& docs);

// The columns written: those of data/records.csv, then sentence_start, sentence_end, place_id,
// precision, relation, also_reported_in.
const std::vector<std::string>& extract_columns();
// Writes records as CSV to `path` through a temporary file renamed at the end.
void write_extracted_csv(const std::string& path, const std::vector<ExtractedRecord>& records);
std::string extracted_csv(const std::vector<ExtractedRecord>& records);

// Comparison of extracted records with curated ones (the seed and sample tests).
struct FieldScore {
    std::string field;
    std::size_t matched = 0;  // curated records whose field is right on the paired figure
    std::size_t curated = 0;
    std::size_t extracted = 0;
    std::size_t correct = 0;  // extracted records whose field is right on the paired figure
    double recall() const { return curated ? double(matched) / double(curated) : 1.0; }
    double precision() const { return extracted ? double(correct) / double(extracted) : 1.0; }
};
struct Comparison {
    std::vector<FieldScore> fields; // value, category, period, place, all
    std::vector<std::string> missed;   // curated records with no fully right extracted record
    std::vector<std::string> spurious; // extracted records matching no curated one fully
};
// Pairs records of the same document by value (nearest locator first). A pair is right on
// `place` when the place names fold to the same keys or geocode to the same places.
Comparison compare_records(const std::vector<Record>& curated,
                           const std::vector<ExtractedRecord>& extracted,
                           const Geocoder* geocoder);

} // namespace sitmap
