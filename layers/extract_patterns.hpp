#pragma once
// The extractor's pattern tables (data/patterns/*.csv) and the tokenizer they share with the text.
// A phrase of a table is tokenized exactly like the bulletin text, so "sq km", "%" and "no." match
// the same tokens. Placeholders <year>, <month> and <date> match a year, a month name, a date.
#include <cstdint>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sitmap {

enum class TokKind : std::uint8_t { word, number, punct };

struct Tok {
    TokKind kind = TokKind::word;
    std::uint32_t b = 0, e = 0; // byte offsets in the text
    std::string fold;           // words lowercased (ASCII); punctuation normalised ("-", "\"", "'")
    std::uint32_t id = 0;       // the folded form's id in the patterns' vocabulary, 0 if unknown
    bool space_before = false;  // whitespace between this token and the previous one
    bool upper = false;         // a word starting with an upper-case letter
    bool year = false;          // four digits 1900..2100 (matches <year>)
    std::uint8_t month = 0;     // 1..12 for a month word of three letters or more (<month>)
};

// A run of tokens (a sentence, or a line): phrase tables and parsers index it from 0.
using Toks = std::span<const Tok>;

// Every folded word of every pattern table, interned once: a token is looked up here once when
// it is read, and the tables then compare and index small integers, never strings.
class Vocab {
public:
    static constexpr std::uint32_t kUnknown = 0, kYear = 1, kMonth = 2;
    std::uint32_t intern(const std::string& folded);
    std::uint32_t find(const std::string& folded) const {
        // Most words of a bulletin are in no table: a bit per (length, first, last byte) rules
        // them out before any hashing.
        if (folded.empty() || !(filter_[sig(folded) >> 6] >> (sig(folded) & 63) & 1)) return kUnknown;
        return lookup(folded, hash(folded));
    }
    std::size_t size() const { return count_ + 3; }

private:
    static std::uint32_t sig(const std::string& w) {
        const auto f = static_cast<unsigned char>(w.front()), l = static_cast<unsigned char>(w.back());
        return ((static_cast<std::uint32_t>(w.size()) & 31) << 13) | ((f & 127u) << 6) | (l & 63u);
    }
    static std::uint32_t hash(const std::string& w) {
        std::uint32_t h = 2166136261u; // FNV-1a
        for (const char c : w) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
        return h;
    }
    std::uint32_t lookup(const std::string& w, std::uint32_t h) const {
        if (slots_.empty()) return kUnknown;
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = h & mask;; i = (i + 1) & mask) {
            const Slot& s = slots_[i];
            if (s.id == kUnknown) return kUnknown;
            if (s.hash == h && s.len == w.size() && pool_.compare(s.off, s.len, w) == 0) return s.id;
        }
    }
    // Open addressing over a flat pool of the words (no node per word, no std::hash).
    struct Slot {
        std::uint32_t hash = 0, id = kUnknown, off = 0, len = 0;
    };
    std::vector<Slot> slots_;
    std::string pool_;
    std::size_t count_ = 0;
    std::uint64_t filter_[(32u << 13) / 64] = {};
};

// Splits text[b, e) into tokens (appended to `out`). Never throws; bytes >= 0x80 that are not
// known spaces or punctuation are kept inside words. With a vocabulary, each token gets its id
// (one hash lookup per token), which the phrase tables need to match it.
// Stops after `max_tokens` tokens.
void tokenize(std::string_view text, std::size_t b, std::size_t e, std::vector<Tok>& out,
              const Vocab* vocab = nullptr, std::size_t max_tokens = SIZE_MAX);

// Month number (1..12) of a month word ("january", "jan", "sept"), or 0.
int month_of(std::string_view folded);

// One phrase table: token sequences, matched longest first at a token position. Phrases are
// stored as vocabulary ids and indexed by their first and last id (plain arrays, no hashing);
// tokens must come from tokenize() with the same vocabulary.
class PhraseTable {
public:
    void add(std::string_view phrase, std::uint32_t payload, Vocab& vocab);
    struct Match {
        std::uint32_t payload = 0;
        std::size_t length = 0; // tokens consumed; 0 = no match
    };
    // Longest phrase starting at toks[i] that ends before `end`.
    Match match(Toks toks, std::size_t i, std::size_t end) const;
    // Longest phrase ending exactly at toks[end-1] and starting at or after `begin`.
    Match match_ending(Toks toks, std::size_t begin, std::size_t end) const;
    // Every phrase starting at toks[i] (longest first): payload and length.
    std::vector<Match> match_all(Toks toks, std::size_t i, std::size_t end) const;
    std::size_t size() const { return entries_.size(); }

private:
    struct Entry {
        std::vector<std::uint32_t> words; // vocabulary ids (Vocab::kYear / kMonth: placeholders)
        std::uint32_t payload;
    };
    bool matches(const Entry& en, Toks toks, std::size_t i,
                 std::size_t end) const;
    // Entries whose first (last) word is the token's id or one of the placeholders it fits.
    template <class F>
    void each_candidate(const std::vector<std::vector<std::uint32_t>>& index, const Tok& t,
                        F&& f) const;
    std::vector<Entry> entries_;
    std::vector<std::vector<std::uint32_t>> by_first_; // by vocabulary id, longest first
    std::vector<std::vector<std::uint32_t>> by_last_;
};

struct NounDef {
    std::string category, subcategory, unit, cls;
};
struct UnitDef {
    std::string unit, category, subcategory;
};
struct PeriodDef {
    std::string period, anchor;
};
struct CueDef {
    std::vector<std::string> classes;
    std::string category, subcategory;
};
struct CategoryDef {
    std::string default_period, as_of_period;
};
struct NumberWord {
    double value = 0;
    std::string kind; // unit | hundred | scale | fraction
};

struct ExtractPatterns {
    PhraseTable qualifiers, periods, units, nouns, cues, statuses, skip_before, skip_after,
        debris_line, debris_rest, speakers, place_kinds, relations;
    std::vector<std::string> qualifier_of, status_of, relation_of, speaker_suffix;
    std::vector<PeriodDef> period_of;
    std::vector<UnitDef> unit_of;
    std::vector<NounDef> noun_of;
    std::vector<CueDef> cue_of;
    std::vector<bool> kind_plural;
    std::unordered_map<std::string, CategoryDef> categories;
    std::unordered_map<std::string, NumberWord> number_words;
    std::vector<const NumberWord*> number_word_of; // by vocabulary id (null: not a number word)
    Vocab vocab;
    std::string dir;

    const NumberWord* number_word(const Tok& t) const {
        return t.kind == TokKind::word && t.id < number_word_of.size() ? number_word_of[t.id] : nullptr;
    }
};

} // namespace sitmap
