#pragma once
// Helpers shared by the extractor's source files: dates and number words. Not a public API.
#include "layers/extract_patterns.hpp"

#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace sitmap::extract_detail {

// A folded token equals a literal: the length is known at compile time, so this is one size test
// and a short memcmp (no strlen, no temporary).
template <std::size_t N>
inline bool is(const std::string& s, const char (&lit)[N]) {
    return s.size() == N - 1 && std::memcmp(s.data(), lit, N - 1) == 0;
}

struct Ymd {
    int y = 0, m = 0, d = 0;
};
long days_from_civil(int y, int m, int d);
Ymd civil_from_days(long z);
int days_in_month(int y, int m);
std::string iso(const Ymd& d);
std::optional<Ymd> parse_iso(const std::string& s);
Ymd add_days(const Ymd& d, long n);
// One calendar month back, plus one day (the month ending on `d`).
Ymd month_back(const Ymd& d);

// A date written at toks[i] ("February 12, 2020", "19 February", "12.02.2020", "2020-02-12").
// Returns the tokens consumed (0: none); a date without a year has y = 0.
std::size_t parse_date(Toks toks, std::size_t i, std::size_t end, Ymd& out);

// The value of a number token ("1,507,515", "3,101.68", "2.357"). `dot3` is set when a single
// dot is followed by exactly three digits (thousands separator or decimal: the unit decides).
// Returns false for forms that are not one number (dates such as 12.02.2020).
bool parse_digits(const std::string& s, double& value, bool& dot3, double& dot3_thousands);

// A number written in words at toks[i] ("two million three hundred and thirty-eight thousand",
// "Forty-five", "two and a half million"); returns tokens consumed (0: none).
std::size_t parse_number_words(const ExtractPatterns& p, Toks toks,
                               std::size_t i, std::size_t end, double& value, bool& has_scale);

} // namespace sitmap::extract_detail
