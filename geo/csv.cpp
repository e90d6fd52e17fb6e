#include "geo/csv.hpp"

#include "geo/error.hpp"
#include "geo/utf8.hpp"

#include <fstream>

namespace sitmap {

CsvReader::CsvReader(const std::string& path, char delimiter) : name_(path), delim_(delimiter) {
    auto* f = new std::ifstream(path, std::ios::binary);
    if (!*f) {
        delete f;
        throw InputError(path, 0, "cannot open file");
    }
    owned_ = f;
    in_ = f;
}

CsvReader::CsvReader(std::istream& in, std::string name, char delimiter)
    : in_(&in), name_(std::move(name)), delim_(delimiter) {}

CsvReader::~CsvReader() { delete owned_; }

void CsvReader::fail(const std::string& what) const { throw InputError(name_, row_line_, what); }

bool CsvReader::read_record(std::vector<std::string>& row) {
    row.clear();
    std::string field;
    bool in_quotes = false, any = false, was_quoted = false;
    row_line_ = line_ + 1;
    int c;
    while ((c = in_->get()) != EOF) {
        any = true;
        const char ch = static_cast<char>(c);
        if (in_quotes) {
            if (ch == '"') {
                if (in_->peek() == '"') {
                    in_->get();
                    field += '"';
                } else {
                    in_quotes = false;
                }
            } else {
                if (ch == '\n') ++line_;
                field += ch;
            }
            continue;
        }
        if (ch == '"' && field.empty() && !was_quoted) {
            in_quotes = was_quoted = true;
        } else if (ch == delim_) {
            row.push_back(std::move(field));
            field.clear();
            was_quoted = false;
        } else if (ch == '\r') {
            // CRLF line ends: the '\n' that follows ends the record.
        } else if (ch == '\n') {
            ++line_;
            row.push_back(std::move(field));
            return true;
        } else {
            field += ch;
        }
    }
    if (in_quotes) {
        throw InputError(name_, row_line_, "a quoted field is not closed before the end of the file");
    }
    if (!any) return false;
    ++line_;
    row.push_back(std::move(field));
    return true;
}

const std::vector<std::string>& CsvReader::header() {
    if (!header_read_) {
        header_read_ = true;
        if (!read_record(header_)) throw InputError(name_, 0, "the file is empty (no header row)");
        if (!header_.empty() && header_[0].rfind("\xEF\xBB\xBF", 0) == 0) header_[0].erase(0, 3);
        for (auto& h : header_)
            if (!is_valid_utf8(h)) throw InputError(name_, 1, "the header is not valid UTF-8");
    }
    return header_;
}

std::optional<std::size_t> CsvReader::column(std::string_view name) {
    const auto& h = header();
    for (std::size_t i = 0; i < h.size(); ++i)
        if (h[i] == name) return i;
    return std::nullopt;
}

std::size_t CsvReader::require(std::string_view name) {
    if (auto i = column(name)) return *i;
    std::string cols;
    for (const auto& h : header()) cols += (cols.empty() ? "" : ", ") + h;
    throw InputError(name_, 1, "no column '" + std::string(name) + "' (columns: " + cols + ")");
}

bool CsvReader::next(std::vector<std::string>& row) {
    header();
    while (read_record(row)) {
        if (row.size() == 1 && row[0].empty()) continue; // blank line
        if (row.size() > header_.size()) {
            fail("row has " + std::to_string(row.size()) + " fields, the header has " +
                 std::to_string(header_.size()));
        }
        for (const auto& f : row)
            if (!is_valid_utf8(f)) fail("the row is not valid UTF-8");
        row.resize(header_.size());
        return true;
    }
    return false;
}

std::string csv_escape(std::string_view field) {
    if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
    std::string out = "\"";
    for (char c : field) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

} // namespace sitmap
