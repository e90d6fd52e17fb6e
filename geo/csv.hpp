#pragma once
// A small RFC 4180 reader for the project's own data tables (gazetteer, records, fixtures).
// Geodata formats go through GDAL; this reads plain tables and reports file and line on error.
#include <cstddef>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sitmap {

class CsvReader {
public:
    // Reads from a file; throws InputError if it cannot be opened.
    explicit CsvReader(const std::string& path, char delimiter = ',');
    // Reads from a stream; `name` is used in error messages.
    CsvReader(std::istream& in, std::string name, char delimiter = ',');
    ~CsvReader();
    CsvReader(const CsvReader&) = delete;
    CsvReader& operator=(const CsvReader&) = delete;

    // The first row. Throws InputError when the file is empty.
    const std::vector<std::string>& header();
    // Index of a header column, or nullopt.
    std::optional<std::size_t> column(std::string_view name);
    // Index of a header column; throws InputError listing the columns when absent.
    std::size_t require(std::string_view name);

    // Next data row; false at the end. Rows shorter than the header are padded with "".
    // A row longer than the header is an error naming the line.
    bool next(std::vector<std::string>& row);

    // Line on which the last row returned by next() started (1-based).
    std::size_t line() const { return row_line_; }
    const std::string& name() const { return name_; }

    // Throws InputError for the current row with this reader's file and line.
    [[noreturn]] void fail(const std::string& what) const;

private:
    bool read_record(std::vector<std::string>& row);

    std::istream* in_ = nullptr;
    std::istream* owned_ = nullptr;
    std::string name_;
    char delim_;
    std::vector<std::string> header_;
    bool header_read_ = false;
    std::size_t line_ = 0;
    std::size_t row_line_ = 0;
};

// Quotes a field for CSV output when it needs it.
std::string csv_escape(std::string_view field);

} // namespace sitmap
