#include "layers/extract_detail.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace sitmap::extract_detail {

long days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const long yoe = y - era * 400;
    const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

Ymd civil_from_days(long z) {
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const long doe = z - era * 146097;
    const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long mp = (5 * doy + 2) / 153;
    const long d = doy - (153 * mp + 2) / 5 + 1;
    const long m = mp < 10 ? mp + 3 : mp - 9;
    const long y = yoe + era * 400 + (m <= 2);
    return {static_cast<int>(y), static_cast<int>(m), static_cast<int>(d)};
}

int days_in_month(int y, int m) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[(m - 1) % 12];
}

std::string iso(const Ymd& d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.y, d.m, d.d);
    return buf;
}

std::optional<Ymd> parse_iso(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (s[i] < '0' || s[i] > '9') return std::nullopt;
    Ymd d{std::atoi(s.substr(0, 4).c_str()), std::atoi(s.substr(5, 2).c_str()),
          std::atoi(s.substr(8, 2).c_str())};
    if (d.m < 1 || d.m > 12 || d.d < 1 || d.d > days_in_month(d.y, d.m)) return std::nullopt;
    return d;
}

Ymd add_days(const Ymd& d, long n) { return civil_from_days(days_from_civil(d.y, d.m, d.d) + n); }

Ymd month_back(const Ymd& d) {
    Ymd r = d;
    r.m -= 1;
    if (r.m == 0) { r.m = 12; r.y -= 1; }
    r.d = std::min(r.d, days_in_month(r.y, r.m));
    return add_days(r, 1);
}

namespace {

bool all_digits(const std::string& s) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}
int to_int(const std::string& s) { return s.size() > 9 ? -1 : std::atoi(s.c_str()); }

bool valid(const Ymd& d) {
    return d.m >= 1 && d.m <= 12 && d.d >= 1 && d.d <= days_in_month(d.y ? d.y : 2000, d.m) &&
           (d.y == 0 || (d.y >= 1900 && d.y <= 2100));
}

int year_at(Toks t, std::size_t i, std::size_t end) {
    if (i >= end || t[i].kind != TokKind::number || t[i].fold.size() != 4 || !all_digits(t[i].fold))
        return 0;
    const int y = to_int(t[i].fold);
    return y >= 1900 && y <= 2100 ? y : 0;
}

} // namespace

std::size_t parse_date(Toks t, std::size_t i, std::size_t end, Ymd& out) {
    if (i >= end) return 0;
    const Tok& a = t[i];
    // 12.02.2020
    if (a.kind == TokKind::number && std::count(a.fold.begin(), a.fold.end(), '.') == 2) {
        const auto p1 = a.fold.find('.'), p2 = a.fold.find('.', p1 + 1);
        Ymd d{to_int(a.fold.substr(p2 + 1)), to_int(a.fold.substr(p1 + 1, p2 - p1 - 1)),
              to_int(a.fold.substr(0, p1))};
        if (a.fold.size() - p2 - 1 == 4 && valid(d)) { out = d; return 1; }
        return 0;
    }
    // 2020-02-12 and 12/02/2020
    if (a.kind == TokKind::number && i + 4 < end + 0 && i + 4 <= end - 1 + 1 && i + 4 < t.size() &&
        t[i + 2].kind == TokKind::number && t[i + 4].kind == TokKind::number &&
        !t[i + 1].space_before && !t[i + 2].space_before && !t[i + 3].space_before &&
        !t[i + 4].space_before && i + 4 < end) {
        const std::string& s1 = t[i + 1].fold;
        const std::string& s3 = t[i + 3].fold;
        if (is(s1, "-") && is(s3, "-") && a.fold.size() == 4) {
            Ymd d{to_int(a.fold), to_int(t[i + 2].fold), to_int(t[i + 4].fold)};
            if (valid(d) && d.y) { out = d; return 5; }
        }
        if (is(s1, "/") && is(s3, "/") && t[i + 4].fold.size() == 4) {
            Ymd d{to_int(t[i + 4].fold), to_int(t[i + 2].fold), to_int(a.fold)};
            if (valid(d) && d.y) { out = d; return 5; }
        }
    }
    // February 12, 2020 / February 19
    if (a.kind == TokKind::word && a.fold.size() >= 3) {
        const int m = a.month;
        if (m && i + 1 < end && t[i + 1].kind == TokKind::number && all_digits(t[i + 1].fold) &&
            t[i + 1].fold.size() <= 2) {
            Ymd d{0, m, to_int(t[i + 1].fold)};
            std::size_t n = 2;
            std::size_t j = i + 2;
            if (j < end && is(t[j].fold, ",")) ++j;
            if (const int y = year_at(t, j, end)) { d.y = y; n = j + 1 - i; }
            if (valid(d)) { out = d; return n; }
        }
    }
    // 12 February 2020 / 19 February
    if (a.kind == TokKind::number && all_digits(a.fold) && a.fold.size() <= 2 && i + 1 < end &&
        t[i + 1].kind == TokKind::word && t[i + 1].fold.size() >= 3) {
        const int m = t[i + 1].month;
        if (m) {
            Ymd d{0, m, to_int(a.fold)};
            std::size_t n = 2;
            std::size_t j = i + 2;
            if (j < end && is(t[j].fold, ",")) ++j;
            if (const int y = year_at(t, j, end)) { d.y = y; n = j + 1 - i; }
            if (valid(d)) { out = d; return n; }
        }
    }
    return 0;
}

bool parse_digits(const std::string& s, double& value, bool& dot3, double& dot3_thousands) {
    dot3 = false;
    const auto dots = std::count(s.begin(), s.end(), '.');
    const auto commas = std::count(s.begin(), s.end(), ',');
    std::string plain;
    if (dots >= 2) {
        // 1.507.515 (dots as thousands separators); a date like 12.02.2020 is not a number.
        std::size_t start = 0;
        bool first = true;
        while (start <= s.size()) {
            auto d = s.find('.', start);
            if (d == std::string::npos) d = s.size();
            const auto len = d - start;
            if ((first && (len < 1 || len > 3)) || (!first && len != 3)) return false;
            if (commas) return false;
            plain += s.substr(start, len);
            first = false;
            start = d + 1;
        }
        value = std::strtod(plain.c_str(), nullptr);
        return true;
    }
    // Commas: thousands separators when every group after the first has three digits.
    std::string intpart = s, frac;
    if (dots == 1) {
        const auto d = s.find('.');
        intpart = s.substr(0, d);
        frac = s.substr(d + 1);
    }
    std::size_t start = 0;
    bool first = true;
    while (start <= intpart.size()) {
        auto c = intpart.find(',', start);
        if (c == std::string::npos) c = intpart.size();
        const auto len = c - start;
        if ((first && (len < 1 || (commas && len > 3))) || (!first && len != 3)) return false;
        plain += intpart.substr(start, len);
        first = false;
        start = c + 1;
    }
    if (!frac.empty()) {
        if (!commas && frac.size() == 3 && intpart.size() <= 3 && intpart != "0") {
            dot3 = true;
            dot3_thousands = std::strtod((plain + frac).c_str(), nullptr);
        }
        plain += "." + frac;
    }
    value = std::strtod(plain.c_str(), nullptr);
    return std::isfinite(value);
}

std::size_t parse_number_words(const ExtractPatterns& p, Toks t,
                               std::size_t i, std::size_t end, double& value, bool& has_scale) {
    double total = 0, current = 0;
    bool any = false;
    has_scale = false;
    std::size_t j = i, last = i;
    auto word_at = [&](std::size_t k) -> const NumberWord* {
        return k < end ? p.number_word(t[k]) : nullptr;
    };
    while (j < end) {
        const Tok& tk = t[j];
        if (tk.kind == TokKind::punct && is(tk.fold, "-") && any && !tk.space_before &&
            word_at(j + 1) && !t[j + 1].space_before) {
            ++j;
            continue;
        }
        if (tk.kind == TokKind::word && is(tk.fold, "and") && any) {
            if (word_at(j + 1) && word_at(j + 1)->kind != "fraction") { ++j; continue; }
            if (j + 2 < end && is(t[j + 1].fold, "a") && word_at(j + 2) &&
                word_at(j + 2)->kind == "fraction") {
                current += word_at(j + 2)->value;
                j += 3;
                last = j;
                continue;
            }
            break;
        }
        const NumberWord* w = word_at(j);
        if (!w || w->kind == "fraction") break;
        if (w->kind == "unit") {
            current += w->value;
        } else if (w->kind == "hundred") {
            current = (current == 0 ? 1 : current) * w->value;
        } else { // scale
            if (!any) break; // "thousand" alone is not a figure here ("thousands of")
            total += (current == 0 ? 1 : current) * w->value;
            current = 0;
            has_scale = true;
        }
        any = true;
        ++j;
        last = j;
    }
    if (!any) return 0;
    value = total + current;
    return last - i;
}

} // namespace sitmap::extract_detail
