#include "layers/records.hpp"

#include "geo/csv.hpp"
#include "geo/error.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <unordered_map>

namespace sitmap {
namespace {

std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
}

std::optional<double> parse_number(CsvReader& csv, const std::string& column,
                                   const std::string& text) {
    if (text.empty()) return std::nullopt;
    double v = 0;
    const auto* end = text.data() + text.size();
    const auto r = std::from_chars(text.data(), end, v);
    if (r.ec != std::errc() || r.ptr != end || !std::isfinite(v))
        csv.fail("column '" + column + "' is not a number: '" + text + "'");
    return v;
}

} // namespace

const std::vector<std::string>& record_categories() {
    static const std::vector<std::string> v = {"returns", "intended_returns", "facilities",
                                               "camp_population", "capacity", "aid", "other"};
    return v;
}
const std::vector<std::string>& record_qualifiers() {
    static const std::vector<std::string> v = {"exact", "approx", "more_than", "at_least",
                                               "up_to"};
    return v;
}
const std::vector<std::string>& record_periods() {
    static const std::vector<std::string> v = {"cumulative", "day",  "week",
                                               "month",      "year", "point_in_time"};
    return v;
}

std::string Record::value_text() const {
    if (!value) return "";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6f", *value);
    std::string s = buf;
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

bool is_iso_date(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (s[i] < '0' || s[i] > '9') return false;
    const int y = std::stoi(s.substr(0, 4)), m = std::stoi(s.substr(5, 2)),
              d = std::stoi(s.substr(8, 2));
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > days[m - 1]) return false;
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

std::vector<std::string> split_names(const std::string& field) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= field.size()) {
        auto bar = field.find('|', start);
        if (bar == std::string::npos) bar = field.size();
        std::string part = field.substr(start, bar - start);
        const auto b = part.find_first_not_of(" \t");
        const auto e = part.find_last_not_of(" \t");
        if (b != std::string::npos) out.push_back(part.substr(b, e - b + 1));
        start = bar + 1;
    }
    return out;
}

std::vector<Record> load_records(const std::vector<std::string>& paths) {
    std::vector<Record> out;
    std::unordered_map<std::string, std::string> seen; // id -> "file line N"
    for (const auto& path : paths) {
        CsvReader csv(path);
        const char* required[] = {"record_id", "doc_id",    "as_of",      "source",      "claimant",
                                  "category",  "subcategory", "value",    "qualifier",   "value_low",
                                  "value_high", "unit",      "period",    "period_start",
                                  "period_end", "place",     "via",       "origin",
                                  "destination", "status"};
        std::vector<std::size_t> col;
        for (const char* c : required) col.push_back(csv.require(c));
        const auto locator = csv.column("locator");
        const auto note = csv.column("note");
        std::vector<std::string> row;
        while (csv.next(row)) {
            Record r;
            r.file = path;
            r.line = csv.line();
            std::size_t i = 0;
            r.record_id = row[col[i++]];
            r.doc_id = row[col[i++]];
            r.as_of = row[col[i++]];
            r.source = row[col[i++]];
            r.claimant = row[col[i++]];
            r.category = row[col[i++]];
            r.subcategory = row[col[i++]];
            r.value = parse_number(csv, "value", row[col[i++]]);
            r.qualifier = row[col[i++]];
            r.value_low = parse_number(csv, "value_low", row[col[i++]]);
            r.value_high = parse_number(csv, "value_high", row[col[i++]]);
            r.unit = row[col[i++]];
            r.period = row[col[i++]];
            r.period_start = row[col[i++]];
            r.period_end = row[col[i++]];
            r.place = row[col[i++]];
            r.via = row[col[i++]];
            r.origin = row[col[i++]];
            r.destination = row[col[i++]];
            r.status = row[col[i++]];
            if (locator) r.locator = row[*locator];
            if (note) r.note = row[*note];

            if (r.record_id.empty()) csv.fail("empty record_id");
            if (auto [it, fresh] = seen.emplace(r.record_id, path + " line " +
                                                                  std::to_string(r.line));
                !fresh)
                csv.fail("record_id '" + r.record_id + "' was already used (" + it->second + ")");
            if (r.doc_id.empty()) csv.fail("empty doc_id");
            auto known = [&](const std::vector<std::string>& set, const std::string& v,
                             const char* what) {
                if (std::find(set.begin(), set.end(), v) == set.end())
                    csv.fail(std::string("unknown ") + what + " '" + v + "' (expected one of " +
                             joined(set) + ")");
            };
            known(record_categories(), r.category, "category");
            known(record_qualifiers(), r.qualifier, "qualifier");
            known(record_periods(), r.period, "period");
            if (r.subcategory.empty()) csv.fail("empty subcategory");
            if (!r.value) csv.fail("empty value");
            if (r.unit.empty()) csv.fail("empty unit");
            for (const auto* d : {&r.as_of, &r.period_start, &r.period_end})
                if (!d->empty() && !is_iso_date(*d))
                    csv.fail("'" + *d + "' is not a date (YYYY-MM-DD)");
            if (r.value_low && r.value_high && *r.value_low > *r.value_high)
                csv.fail("value_low is greater than value_high");
            out.push_back(std::move(r));
        }
    }
    return out;
}

std::vector<Document> load_documents(const std::string& path) {
    CsvReader csv(path);
    const auto id = csv.require("doc_id"), date = csv.require("date");
    const auto pub = csv.column("publisher"), cl = csv.column("claimant"), ti = csv.column("title");
    std::vector<Document> out;
    std::vector<std::string> row;
    while (csv.next(row)) {
        Document d{row[id], row[date], pub ? row[*pub] : "", cl ? row[*cl] : "",
                   ti ? row[*ti] : ""};
        if (d.doc_id.empty()) csv.fail("empty doc_id");
        if (!d.date.empty() && !is_iso_date(d.date))
            csv.fail("'" + d.date + "' is not a date (YYYY-MM-DD)");
        out.push_back(std::move(d));
    }
    return out;
}

} // namespace sitmap
