#pragma once
// The curated records (one figure each, as a source states it) and the documents they come from.
// Loading validates every field and names the file and line of the first bad one.
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace sitmap {

struct Record {
    std::string record_id, doc_id, as_of, source, claimant, category, subcategory;
    std::optional<double> value, value_low, value_high;
    std::string qualifier, unit, period, period_start, period_end;
    std::string place, via, origin, destination, status, locator, note;
    std::string file; // where it was read, for messages
    std::size_t line = 0;

    // The stated figure as text, without trailing zeros ("2098102", "14.91").
    std::string value_text() const;
};

// The record's place-name fields with their role, in this order: place, via, origin, destination.
struct PlaceField {
    const char* role;
    const std::string* text;
};
inline std::array<PlaceField, 4> place_fields(const Record& r) {
    return {{{"place", &r.place}, {"via", &r.via}, {"origin", &r.origin},
             {"destination", &r.destination}}};
}

struct Document {
    std::string doc_id, date, publisher, claimant, title;
};

// The category, qualifier and period words a record may use.
const std::vector<std::string>& record_categories();
const std::vector<std::string>& record_qualifiers();
const std::vector<std::string>& record_periods();

// Reads one or more records tables (columns as in data/records.csv; `note` and `locator` may be
// absent). Throws InputError naming file and line on a missing column, an unknown category,
// qualifier or period, a bad number or date, or a record id used twice (across all files).
std::vector<Record> load_records(const std::vector<std::string>& paths);

// Reads data/documents.csv (doc_id,file,date,...). Throws InputError naming file and line.
std::vector<Document> load_documents(const std::string& path);

// Splits a field holding several names joined by '|'; empty parts are dropped.
std::vector<std::string> split_names(const std::string& field);

// True for YYYY-MM-DD with a real month and day.
bool is_iso_date(const std::string& s);

} // namespace sitmap
