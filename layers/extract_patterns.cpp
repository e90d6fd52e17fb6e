#include "layers/extract_patterns.hpp"

#include "geo/csv.hpp"
#include "geo/error.hpp"
#include "layers/extract.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>

namespace sitmap {
namespace {

// Decodes the code point at s[i] (valid or not); `len` gets its byte length (>= 1).
std::uint32_t decode(std::string_view s, std::size_t i, std::size_t& len) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) { len = 1; return c; }
    std::size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (i + n > s.size()) n = 1;
    if (n == 1) { len = 1; return 0xFFFD; }
    std::uint32_t cp = c & (0xFF >> (n + 1));
    for (std::size_t k = 1; k < n; ++k) {
        const auto d = static_cast<unsigned char>(s[i + k]);
        if ((d & 0xC0) != 0x80) { len = 1; return 0xFFFD; }
        cp = (cp << 6) | (d & 0x3F);
    }
    len = n;
    return cp;
}

bool is_space_cp(std::uint32_t cp) {
    return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == '\v' || cp == '\f' ||
           cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F ||
           cp == 0x3000 || cp == 0xFEFF;
}

// Normalised text of a punctuation code point, or empty when it is part of words.
// The punctuation a code point stands for (a view of a literal or of `raw`), or "".
std::string_view punct_of(std::uint32_t cp, std::string_view raw) {
    if (cp < 0x80) {
        const char c = static_cast<char>(cp);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return "";
        if (c == '`') return "'";
        return raw.substr(0, 1);
    }
    if (cp >= 0x2010 && cp <= 0x2015) return "-";
    if (cp == 0x2212) return "-";
    if (cp == 0x2018 || cp == 0x2019 || cp == 0x201B || cp == 0x2032 || cp == 0x02BF ||
        cp == 0x02BE || cp == 0x02BC)
        return "'";
    if (cp == 0x201C || cp == 0x201D || cp == 0x201E || cp == 0x00AB || cp == 0x00BB)
        return "\"";
    if (cp == 0x2026) return ".";
    if ((cp >= 0xA1 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2016 && cp <= 0x206F) ||
        (cp >= 0x20A0 && cp <= 0x20CF) || (cp >= 0x2190 && cp <= 0x2BFF) || cp == 0xFFFD ||
        (cp >= 0x1F000))
        return raw;
    return "";
}

bool is_letter_ascii(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

} // namespace

std::uint32_t Vocab::intern(const std::string& folded) {
    const std::uint32_t h = hash(folded);
    if (const auto id = lookup(folded, h); id != kUnknown) return id;
    if ((count_ + 1) * 2 > slots_.size()) {
        std::vector<Slot> old = std::move(slots_);
        slots_.assign(std::max<std::size_t>(64, old.size() * 2), Slot{});
        for (const Slot& s : old) {
            if (s.id == kUnknown) continue;
            std::size_t i = s.hash & (slots_.size() - 1);
            while (slots_[i].id != kUnknown) i = (i + 1) & (slots_.size() - 1);
            slots_[i] = s;
        }
    }
    const auto id = static_cast<std::uint32_t>(count_ + 3);
    ++count_;
    std::size_t i = h & (slots_.size() - 1);
    while (slots_[i].id != kUnknown) i = (i + 1) & (slots_.size() - 1);
    slots_[i] = {h, id, static_cast<std::uint32_t>(pool_.size()), static_cast<std::uint32_t>(folded.size())};
    pool_ += folded;
    if (!folded.empty()) filter_[sig(folded) >> 6] |= std::uint64_t{1} << (sig(folded) & 63);
    return id;
}

namespace {

// Fills the token's id and placeholder flags (one vocabulary lookup).
void classify(Tok& t, const Vocab* vocab) {
    if (vocab) t.id = vocab->find(t.fold);
    if (t.kind == TokKind::number) {
        if (t.fold.size() == 4 && is_digit(t.fold[0]) && is_digit(t.fold[1]) && is_digit(t.fold[2]) &&
            is_digit(t.fold[3])) {
            const int y = (t.fold[0] - '0') * 1000 + (t.fold[1] - '0') * 100 + (t.fold[2] - '0') * 10 +
                          (t.fold[3] - '0');
            t.year = y >= 1900 && y <= 2100;
        }
    } else if (t.kind == TokKind::word && t.fold.size() >= 3 && t.fold.size() <= 9 &&
               (t.fold[0] == 'j' || t.fold[0] == 'f' || t.fold[0] == 'm' || t.fold[0] == 'a' ||
                t.fold[0] == 's' || t.fold[0] == 'o' || t.fold[0] == 'n' || t.fold[0] == 'd')) {
        t.month = static_cast<std::uint8_t>(month_of(t.fold));
    }
}

} // namespace

void tokenize(std::string_view s, std::size_t b, std::size_t e, std::vector<Tok>& out,
              const Vocab* vocab, std::size_t max_tokens) {
    bool space = true;
    std::size_t i = b;
    const std::size_t stop = max_tokens == SIZE_MAX ? SIZE_MAX : out.size() + max_tokens;
    out.reserve(out.size() + std::min<std::size_t>((e - b) / 4 + 1, max_tokens));
    while (i < e && out.size() < stop) {
        std::size_t len = 1;
        const std::uint32_t cp = decode(s, i, len);
        if (is_space_cp(cp)) { space = true; i += len; continue; }
        Tok t;
        t.b = static_cast<std::uint32_t>(i);
        t.space_before = space;
        space = false;
        if (is_digit(s[i])) {
            std::size_t j = i;
            while (j < e && is_digit(s[j])) ++j;
            while (j + 1 < e && (s[j] == ',' || s[j] == '.') && is_digit(s[j + 1])) {
                ++j;
                while (j < e && is_digit(s[j])) ++j;
            }
            t.kind = TokKind::number;
            t.fold.assign(s.data() + i, j - i);
            t.e = static_cast<std::uint32_t>(j);
            classify(t, vocab);
            out.push_back(std::move(t));
            i = j;
            continue;
        }
        const std::string_view p = punct_of(cp, s.substr(i, len));
        if (!p.empty()) {
            t.kind = TokKind::punct;
            t.fold.assign(p);
            t.e = static_cast<std::uint32_t>(i + len);
            classify(t, vocab);
            out.push_back(std::move(t));
            i += len;
            continue;
        }
        // A word: letters, digits and non-punctuation code points, with inner apostrophes.
        t.kind = TokKind::word;
        t.upper = (s[i] >= 'A' && s[i] <= 'Z');
        std::size_t j = i;
        while (j < e) {
            // Fast path: a run of ASCII letters and digits, lowercased in one go.
            std::size_t r = j;
            while (r < e && (is_letter_ascii(s[r]) || is_digit(s[r]))) ++r;
            if (r > j) {
                const std::size_t at = t.fold.size();
                t.fold.append(s.data() + j, r - j);
                for (std::size_t q = at; q < t.fold.size(); ++q)
                    if (t.fold[q] >= 'A' && t.fold[q] <= 'Z') t.fold[q] = static_cast<char>(t.fold[q] + 32);
                j = r;
                if (j >= e) break;
            }
            std::size_t l2 = 1;
            const std::uint32_t c2 = decode(s, j, l2);
            if (is_space_cp(c2)) break;
            if (c2 < 0x80 && (is_letter_ascii(static_cast<char>(c2)) || is_digit(static_cast<char>(c2)))) {
                t.fold.push_back(static_cast<char>(c2 >= 'A' && c2 <= 'Z' ? c2 + 32 : c2));
                j += 1;
                continue;
            }
            const std::string_view p2 = punct_of(c2, s.substr(j, l2));
            if (p2 == "'" && j + l2 < e && is_letter_ascii(s[j + l2]) && !t.fold.empty()) {
                t.fold.push_back('\'');
                j += l2;
                continue;
            }
            if (!p2.empty()) break;
            t.fold.append(s.data() + j, l2);
            j += l2;
        }
        t.e = static_cast<std::uint32_t>(j);
        classify(t, vocab);
        out.push_back(std::move(t));
        i = j;
    }
}

int month_of(std::string_view w) {
    // Compared as string_views of known length (no strlen per call); most words fail the
    // length or first-letter test at once.
    using namespace std::string_view_literals;
    static constexpr std::string_view full[] = {"january"sv, "february"sv, "march"sv,     "april"sv,
                                                "may"sv,     "june"sv,     "july"sv,      "august"sv,
                                                "september"sv, "october"sv, "november"sv, "december"sv};
    static constexpr std::string_view abbr[] = {"jan"sv, "feb"sv, "mar"sv, "apr"sv, ""sv,    "jun"sv,
                                                "jul"sv, "aug"sv, "sep"sv, "oct"sv, "nov"sv, "dec"sv};
    if (w.size() < 3 || w.size() > 9) return 0;
    for (int m = 0; m < 12; ++m)
        if (full[m][0] == w[0] && w == full[m]) return m + 1;
    if (w.size() == 3)
        for (int m = 0; m < 12; ++m)
            if (!abbr[m].empty() && w == abbr[m]) return m + 1;
    if (w == "sept"sv) return 9;
    return 0;
}

void PhraseTable::add(std::string_view phrase, std::uint32_t payload, Vocab& vocab) {
    std::vector<Tok> toks;
    tokenize(phrase, 0, phrase.size(), toks);
    if (toks.empty()) return;
    Entry en;
    en.payload = payload;
    for (std::size_t k = 0; k < toks.size(); ++k) {
        // Placeholders: "<year>" and "<month>" are one word of the pattern.
        if (toks[k].fold == "<" && k + 2 < toks.size() && toks[k + 2].fold == ">") {
            const auto& w = toks[k + 1].fold;
            en.words.push_back(w == "year" ? Vocab::kYear : w == "month" ? Vocab::kMonth
                                                                         : vocab.intern("<" + w + ">"));
            k += 2;
            continue;
        }
        en.words.push_back(vocab.intern(toks[k].fold));
    }
    const auto id = static_cast<std::uint32_t>(entries_.size());
    entries_.push_back(std::move(en));
    auto put = [&](std::vector<std::vector<std::uint32_t>>& index, std::uint32_t word) {
        if (index.size() <= word) index.resize(word + 1);
        auto& v = index[word];
        v.push_back(id);
        std::stable_sort(v.begin(), v.end(), [&](std::uint32_t a, std::uint32_t c) {
            return entries_[a].words.size() > entries_[c].words.size();
        });
    };
    const auto& w = entries_[id].words;
    put(by_first_, w.front());
    put(by_last_, w.back());
}

bool PhraseTable::matches(const Entry& en, Toks toks, std::size_t i,
                          std::size_t end) const {
    if (i + en.words.size() > end) return false;
    for (std::size_t k = 0; k < en.words.size(); ++k) {
        const auto w = en.words[k];
        const Tok& t = toks[i + k];
        if (w == Vocab::kYear) {
            if (!t.year) return false;
        } else if (w == Vocab::kMonth) {
            if (!t.month) return false;
        } else if (t.id != w) {
            return false;
        }
    }
    return true;
}

template <class F>
void PhraseTable::each_candidate(const std::vector<std::vector<std::uint32_t>>& index, const Tok& t,
                                 F&& f) const {
    // At most three short lists: the token's own id, then <year> or <month> when it fits one.
    if (t.id != Vocab::kUnknown && t.id < index.size())
        for (auto id : index[t.id])
            if (!f(id)) return;
    const std::uint32_t ph = t.year ? Vocab::kYear : t.month ? Vocab::kMonth : Vocab::kUnknown;
    if (ph != Vocab::kUnknown && ph < index.size())
        for (auto id : index[ph])
            if (!f(id)) return;
}

PhraseTable::Match PhraseTable::match(Toks toks, std::size_t i,
                                      std::size_t end) const {
    if (i >= end) return {};
    Match best;
    each_candidate(by_first_, toks[i], [&](std::uint32_t id) {
        const auto& en = entries_[id];
        if (en.words.size() <= best.length) return true;
        if (matches(en, toks, i, end)) best = {en.payload, en.words.size()};
        return true;
    });
    return best;
}

std::vector<PhraseTable::Match> PhraseTable::match_all(Toks toks, std::size_t i,
                                                     std::size_t end) const {
    std::vector<Match> out;
    if (i >= end) return out;
    each_candidate(by_first_, toks[i], [&](std::uint32_t id) {
        const auto& en = entries_[id];
        if (matches(en, toks, i, end)) out.push_back({en.payload, en.words.size()});
        return true;
    });
    std::stable_sort(out.begin(), out.end(),
                     [](const Match& a, const Match& b) { return a.length > b.length; });
    return out;
}

PhraseTable::Match PhraseTable::match_ending(Toks toks, std::size_t begin,
                                             std::size_t end) const {
    if (end == 0 || end <= begin) return {};
    Match best;
    each_candidate(by_last_, toks[end - 1], [&](std::uint32_t id) {
        const auto& en = entries_[id];
        const auto n = en.words.size();
        if (n <= best.length || n > end - begin) return true;
        if (matches(en, toks, end - n, end)) best = {en.payload, n};
        return true;
    });
    return best;
}

namespace {

std::vector<std::string> split_bar(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= s.size()) {
        auto bar = s.find('|', start);
        if (bar == std::string::npos) bar = s.size();
        if (bar > start) out.push_back(s.substr(start, bar - start));
        start = bar + 1;
    }
    return out;
}

} // namespace

std::shared_ptr<const ExtractPatterns> load_extract_patterns(const std::string& dir) {
    auto p = std::make_shared<ExtractPatterns>();
    p->dir = dir;
    if (!std::filesystem::is_directory(dir)) throw InputError(dir, 0, "no such pattern folder");
    auto path = [&](const char* name) { return dir + "/" + name; };
    std::vector<std::string> row;
    auto need_phrase = [](CsvReader& csv, const std::string& phrase) {
        if (phrase.empty()) csv.fail("empty phrase");
    };
    {
        CsvReader csv(path("qualifiers.csv"));
        const auto ph = csv.require("phrase"), q = csv.require("qualifier");
        const auto& known = record_qualifiers();
        while (csv.next(row)) {
            need_phrase(csv, row[ph]);
            if (std::find(known.begin(), known.end(), row[q]) == known.end())
                csv.fail("unknown qualifier '" + row[q] + "'");
            p->qualifiers.add(row[ph], static_cast<std::uint32_t>(p->qualifier_of.size()), p->vocab);
            p->qualifier_of.push_back(row[q]);
        }
    }
    {
        CsvReader csv(path("number_words.csv"));
        const auto w = csv.require("word"), v = csv.require("value"), k = csv.require("kind");
        while (csv.next(row)) {
            NumberWord nw;
            try { nw.value = std::stod(row[v]); } catch (...) { csv.fail("bad value '" + row[v] + "'"); }
            nw.kind = row[k];
            if (nw.kind != "unit" && nw.kind != "hundred" && nw.kind != "scale" && nw.kind != "fraction")
                csv.fail("unknown kind '" + nw.kind + "' (unit, hundred, scale, fraction)");
            p->number_words[row[w]] = nw;
            p->vocab.intern(row[w]);
        }
    }
    {
        CsvReader csv(path("categories.csv"));
        const auto c = csv.require("category"), d = csv.require("default_period"),
                   a = csv.require("as_of_period");
        while (csv.next(row)) p->categories[row[c]] = {row[d], row[a]};
    }
    auto check_category = [&](CsvReader& csv, const std::string& cat) {
        const auto& known = record_categories();
        if (std::find(known.begin(), known.end(), cat) == known.end())
            csv.fail("unknown category '" + cat + "'");
    };
    {
        CsvReader csv(path("periods.csv"));
        const auto ph = csv.require("phrase"), pe = csv.require("period"), an = csv.require("anchor");
        while (csv.next(row)) {
            need_phrase(csv, row[ph]);
            const auto& known = record_periods();
            if (row[pe] != "as_of" && std::find(known.begin(), known.end(), row[pe]) == known.end())
                csv.fail("unknown period '" + row[pe] + "'");
            p->periods.add(row[ph], static_cast<std::uint32_t>(p->period_of.size()), p->vocab);
            p->period_of.push_back({row[pe], row[an]});
        }
    }
    {
        CsvReader csv(path("units.csv"));
        const auto ph = csv.require("phrase"), u = csv.require("unit"), c = csv.require("category"),
                   s = csv.require("subcategory");
        while (csv.next(row)) {
            need_phrase(csv, row[ph]);
            check_category(csv, row[c]);
            p->units.add(row[ph], static_cast<std::uint32_t>(p->unit_of.size()), p->vocab);
            p->unit_of.push_back({row[u], row[c], row[s]});
        }
    }
    {
        CsvReader csv(path("nouns.csv"));
        const auto ph = csv.require("phrase"), c = csv.require("category"),
                   s = csv.require("subcategory"), u = csv.require("unit"), k = csv.require("class");
        while (csv.next(row)) {
            need_phrase(csv, row[ph]);
            check_category(csv, row[c]);
            p->nouns.add(row[ph], static_cast<std::uint32_t>(p->noun_of.size()), p->vocab);
            p->noun_of.push_back({row[c], row[s], row[u], row[k]});
        }
    }
    {
        CsvReader csv(path("cues.csv"));
        const auto ph = csv.require("phrase"), k = csv.require("classes"), c = csv.require("category"),
                   s = csv.require("subcategory");
        while (csv.next(row)) {
            need_phrase(csv, row[ph]);
            check_category(csv, row[c]);
            p->cues.add(row[ph], static_cast<std::uint32_t>(p->cue_of.size()), p->vocab);
            p->cue_of.push_back({split_bar(row[k]), row[c], row[s]});
        }
    }
    {
        CsvReader csv(path("statuses.csv"));
        const auto ph = csv.require("phrase"), s = csv.require("status");
        while (csv.next(row)) {
            need_phrase(csv, row[ph]);
            p->statuses.add(row[ph], static_cast<std::uint32_t>(p->status_of.size()), p->vocab);
            p->status_of.push_back(row[s]);
        }
    }
    {
        CsvReader csv(path("skips.csv"));
        const auto ph = csv.require("phrase"), pos = csv.require("position");
        while (csv.next(row)) {
            need_phrase(csv, row[ph]);
            if (row[pos] == "before") p->skip_before.add(row[ph], 0, p->vocab);
            else if (row[pos] == "after") p->skip_after.add(row[ph], 0, p->vocab);
            else csv.fail("position must be 'before' or 'after'");
        }
    }
    {
        CsvReader csv(path("debris.csv"));
        const auto ph = csv.require("phrase"), sc = csv.require("scope");
        while (csv.next(row)) {
            need_phrase(csv, row[ph]);
            if (row[sc] == "line") p->debris_line.add(row[ph], 0, p->vocab);
            else if (row[sc] == "rest") p->debris_rest.add(row[ph], 0, p->vocab);
            else csv.fail("scope must be 'line' or 'rest'");
        }
    }
    {
        CsvReader csv(path("speakers.csv"));
        const auto pr = csv.require("prefix"), su = csv.require("suffix");
        while (csv.next(row)) {
            need_phrase(csv, row[pr]);
            p->speakers.add(row[pr], static_cast<std::uint32_t>(p->speaker_suffix.size()), p->vocab);
            p->speaker_suffix.push_back(row[su]);
        }
    }
    {
        CsvReader csv(path("place_kinds.csv"));
        const auto w = csv.require("word"), pl = csv.require("plural");
        while (csv.next(row)) {
            need_phrase(csv, row[w]);
            p->place_kinds.add(row[w], static_cast<std::uint32_t>(p->kind_plural.size()), p->vocab);
            p->kind_plural.push_back(row[pl] == "1");
        }
    }
    {
        CsvReader csv(path("relations.csv"));
        const auto ph = csv.require("phrase"), r = csv.require("relation");
        while (csv.next(row)) {
            need_phrase(csv, row[ph]);
            p->relations.add(row[ph], static_cast<std::uint32_t>(p->relation_of.size()), p->vocab);
            p->relation_of.push_back(row[r]);
        }
    }
    // Number words by vocabulary id (the map's nodes stay where they are).
    p->number_word_of.assign(p->vocab.size(), nullptr);
    for (const auto& [word, nw] : p->number_words) {
        const auto id = p->vocab.find(word);
        if (id != Vocab::kUnknown) p->number_word_of[id] = &nw;
    }
    return p;
}

} // namespace sitmap
