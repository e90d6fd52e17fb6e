#include "geo/name_key.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <array>
#include <cstring>

namespace sitmap {
namespace {

// ---------------------------------------------------------------------------------------------
// Decoding

char32_t next_cp(std::string_view s, std::size_t& i) {
    const auto c = static_cast<unsigned char>(s[i]);
    auto cont = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]) & 0x3Fu; };
    if (c < 0x80) {
        ++i;
        return c;
    }
    if ((c & 0xE0) == 0xC0 && i + 1 < s.size()) {
        char32_t cp = ((c & 0x1Fu) << 6) | cont(1);
        i += 2;
        return cp;
    }
    if ((c & 0xF0) == 0xE0 && i + 2 < s.size()) {
        char32_t cp = ((c & 0x0Fu) << 12) | (cont(1) << 6) | cont(2);
        i += 3;
        return cp;
    }
    if ((c & 0xF8) == 0xF0 && i + 3 < s.size()) {
        char32_t cp = ((c & 0x07u) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3);
        i += 4;
        return cp;
    }
    ++i;
    return 0xFFFD;
}

bool is_arabic_letter(char32_t cp) { return cp >= 0x0620 && cp <= 0x06FF; }

// Marks that stand for ʿayn or hamza, and apostrophes: removed, joining the letters around them.
bool is_apostrophe(char32_t cp) {
    switch (cp) {
    case U'\'': case U'`': case 0x00B4: case 0x02B9: case 0x02BB: case 0x02BC: case 0x02BD:
    case 0x02BE: case 0x02BF: case 0x02C8: case 0x2018: case 0x2019: case 0x201B: case 0x2032:
    case 0x02C1: case 0x02C0: case 0xA78C:
        return true;
    default:
        return false;
    }
}

// Latin letters whose decomposition has no ASCII base.
const char* special_latin(char32_t cp) {
    switch (cp) {
    case 0x00DF: return "ss";
    case 0x00E6: case 0x00C6: return "ae";
    case 0x0153: case 0x0152: return "oe";
    case 0x00F8: case 0x00D8: return "o";
    case 0x0131: return "i";
    case 0x0142: case 0x0141: return "l";
    case 0x0111: case 0x0110: case 0x00F0: case 0x00D0: return "d";
    case 0x0127: case 0x0126: return "h";
    case 0x00FE: case 0x00DE: return "th";
    case 0x014B: case 0x014A: return "n";
    case 0x0259: case 0x018F: return "e";
    default: return nullptr;
    }
}

// Appends the ASCII folding of one non-ASCII Latin code point ("" for marks and other scripts).
void fold_latin_cp(char32_t cp, std::string& out) {
    if (const char* s = special_latin(cp)) {
        out += s;
        return;
    }
    UErrorCode status = U_ZERO_ERROR;
    static const icu::Normalizer2* nfkd = icu::Normalizer2::getNFKDInstance(status);
    if (nfkd == nullptr) return;
    icu::UnicodeString decomposed;
    if (!nfkd->getDecomposition(static_cast<UChar32>(cp), decomposed)) {
        return; // no decomposition: a letter of another script, or a symbol
    }
    for (int32_t k = 0; k < decomposed.length();) {
        const UChar32 c = decomposed.char32At(k);
        k += U16_LENGTH(c);
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else if (const char* s = special_latin(static_cast<char32_t>(c))) {
            out += s;
        }
    }
}

// Arabic letters normalised: alef forms to alef, taa marbuta to haa, alef maqsura and Persian
// yeh to yaa, hamza on a seat to the seat, Persian kaf to kaf. Returns 0 to drop the code point.
char32_t fold_arabic_cp(char32_t cp) {
    switch (cp) {
    case 0x0622: case 0x0623: case 0x0625: case 0x0671: case 0x0672: case 0x0673:
        return 0x0627; // alef
    case 0x0629: return 0x0647;           // taa marbuta -> haa
    case 0x0649: case 0x06CC: case 0x06D2: case 0x0626: return 0x064A; // yaa
    case 0x0624: return 0x0648;           // waw with hamza -> waw
    case 0x0621: return 0;                // lone hamza
    case 0x06A9: case 0x06AA: return 0x0643; // keheh -> kaf
    case 0x06C1: case 0x06BE: case 0x06D5: return 0x0647;
    case 0x0640: return 0;                // tatweel
    default: break;
    }
    if (cp >= 0x064B && cp <= 0x065F) return 0; // harakat
    if (cp == 0x0670) return 0;                 // superscript alef
    if (cp >= 0x06D6 && cp <= 0x06ED) return 0; // Quranic marks
    return cp;
}

// ---------------------------------------------------------------------------------------------
// Tokens

struct Tokens {
    std::vector<std::string> words;
    bool arabic = false;
};

Tokens tokenize(std::string_view name) {
    Tokens t;
    // Decide the script: any Arabic letter makes it an Arabic name.
    for (std::size_t i = 0; i < name.size();) {
        if (is_arabic_letter(next_cp(name, i))) {
            t.arabic = true;
            break;
        }
    }
    std::string cur;
    auto flush = [&] {
        if (!cur.empty()) t.words.push_back(std::move(cur));
        cur.clear();
    };
    for (std::size_t i = 0; i < name.size();) {
        const char32_t cp = next_cp(name, i);
        if (cp < 0x80) {
            const auto c = static_cast<char>(cp);
            if (c >= 'A' && c <= 'Z') {
                if (!t.arabic) cur += static_cast<char>(c - 'A' + 'a');
            } else if ((c >= 'a' && c <= 'z')) {
                if (!t.arabic) cur += c;
            } else if (c >= '0' && c <= '9') {
                cur += c;
            } else if (is_apostrophe(cp)) {
                // joins
            } else {
                flush();
            }
            continue;
        }
        if (is_apostrophe(cp)) continue;
        if (t.arabic) {
            if (cp >= 0x0660 && cp <= 0x0669) {
                cur += static_cast<char>('0' + (cp - 0x0660));
            } else if (cp >= 0x06F0 && cp <= 0x06F9) {
                cur += static_cast<char>('0' + (cp - 0x06F0));
            } else if (is_arabic_letter(cp) || (cp >= 0x064B && cp <= 0x065F)) {
                const char32_t f = fold_arabic_cp(cp);
                if (f >= 0x0620 && f <= 0x06FF) {
                    // One byte per letter, so edit distances count letters.
                    cur += static_cast<char>(0x80 | ((f - 0x0620) & 0x7F));
                }
            } else if (cp == 0x0640) {
                // tatweel
            } else if (u_isspace(static_cast<UChar32>(cp)) || u_ispunct(static_cast<UChar32>(cp)) ||
                       cp == 0x060C || cp == 0x061B) {
                flush();
            }
            continue;
        }
        if (u_isspace(static_cast<UChar32>(cp)) || u_ispunct(static_cast<UChar32>(cp)) ||
            cp == 0x2010 || cp == 0x2011 || cp == 0x2013 || cp == 0x2014) {
            flush();
            continue;
        }
        std::string folded;
        fold_latin_cp(cp, folded);
        for (char c : folded) {
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                cur += c;
            } else if (c == ' ' || c == '-') {
                flush();
            }
        }
    }
    flush();
    return t;
}

// ---------------------------------------------------------------------------------------------
// Articles and kind words

struct KindWord {
    std::string_view word;
    std::uint32_t hint;
};

constexpr std::array<KindWord, 40> kLatinKindWords{{
    {"province", hint_governorate},   {"provinces", hint_governorate},
    {"governorate", hint_governorate}, {"governorates", hint_governorate},
    {"governate", hint_governorate},  {"gouvernorat", hint_governorate},
    {"muhafazat", hint_governorate},  {"mohafazat", hint_governorate},
    {"muhafaza", hint_governorate},   {"mohafaza", hint_governorate},
    {"muhafazah", hint_governorate},  {"city", hint_settlement},
    {"town", hint_settlement},        {"village", hint_settlement},
    {"camp", hint_camp},              {"camps", hint_camp},
    {"crossing", hint_crossing},      {"checkpoint", hint_crossing},
    {"checkpoints", hint_crossing},   {"cp", hint_crossing},
    {"border", hint_crossing},        {"crossings", hint_crossing},
    {"post", hint_crossing},          {"base", hint_base},
    {"airbase", hint_base},           {"garrison", hint_base},
    {"area", hint_area},              {"region", hint_area},
    {"district", hint_district},      {"mantiqa", hint_district},
    {"mantiqah", hint_district},      {"nahiya", hint_district},
    {"subdistrict", hint_district},   {"plant", hint_facility},
    {"station", hint_facility},       {"refugee", hint_none},
    {"idp", hint_none},               {"military", hint_none},
    {"point", hint_none},             {"the", hint_none},
}};

constexpr std::array<std::string_view, 21> kLatinArticles{
    "al", "el", "il", "ul", "as", "ad", "ar", "ash", "at", "az", "an",
    "ath", "adh", "es", "ed", "er", "esh", "et", "ez", "en", "of"};

bool is_article(std::string_view w) {
    if (w.size() > 3) return false;
    for (auto a : kLatinArticles)
        if (w == a) return true;
    return false;
}

const KindWord* kind_word(std::string_view w) {
    if (w.size() < 2 || w.size() > 12) return nullptr;
    for (const auto& k : kLatinKindWords)
        if (w.size() == k.word.size() && w == k.word) return &k;
    return nullptr;
}

// "ezzor" -> "zor", "arraqqa" -> "raqqa", "assuwayda" -> "suwayda": an article assimilated to a
// sun letter is written as a vowel and a doubled consonant.
void strip_assimilated_article(std::string& w) {
    if (w.size() < 5) return;
    if (w[0] != 'a' && w[0] != 'e') return;
    const char c = w[1];
    if (std::strchr("tdrzsnl", c) == nullptr || w[2] != c) return;
    w.erase(0, 2);
}

std::string arabic(std::initializer_list<char32_t> cps) {
    std::string out;
    for (char32_t cp : cps) out += static_cast<char>(0x80 | ((cp - 0x0620) & 0x7F));
    return out;
}

struct ArabicKindWord {
    std::string word;
    std::uint32_t hint;
};

const std::vector<ArabicKindWord>& arabic_kind_words() {
    static const std::vector<ArabicKindWord> words = {
        {arabic({0x0645, 0x062D, 0x0627, 0x0641, 0x0638, 0x0647}), hint_governorate}, // محافظة
        {arabic({0x0645, 0x062E, 0x064A, 0x0645}), hint_camp},                         // مخيم
        {arabic({0x0645, 0x0639, 0x0628, 0x0631}), hint_crossing},                     // معبر
        {arabic({0x062D, 0x0627, 0x062C, 0x0632}), hint_crossing},                     // حاجز
        {arabic({0x0645, 0x062F, 0x064A, 0x0646, 0x0647}), hint_settlement},           // مدينة
        {arabic({0x0628, 0x0644, 0x062F, 0x0647}), hint_settlement},                   // بلدة
        {arabic({0x0642, 0x0631, 0x064A, 0x0647}), hint_settlement},                   // قرية
        {arabic({0x0645, 0x0646, 0x0637, 0x0642, 0x0647}), hint_area},                 // منطقة
        {arabic({0x0642, 0x0627, 0x0639, 0x062F, 0x0647}), hint_base},                 // قاعدة
        {arabic({0x0646, 0x0627, 0x062D, 0x064A, 0x0647}), hint_district},             // ناحية
    };
    return words;
}

// ---------------------------------------------------------------------------------------------
// Phonetic key of one Latin token.

bool is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

void phonetic_token(const std::string& word, std::string& out) {
    // Doubled letters are one sound (shadda): Raqqa/Raqa, Darayya/Daraya, Qousseir/Qouseir.
    std::string w;
    w.reserve(word.size());
    for (char c : word)
        if (w.empty() || w.back() != c) w += c;
    std::string s;
    s.reserve(w.size());
    const std::size_t n = w.size();
    for (std::size_t i = 0; i < n; ++i) {
        const char c = w[i];
        const char d = i + 1 < n ? w[i + 1] : '\0';
        const char e = i + 2 < n ? w[i + 2] : '\0';
        if (c == 's' && d == 'c' && e == 'h') { s += 's'; i += 2; continue; }
        if (c == 's' && d == 'h') { s += 's'; ++i; continue; }
        if (c == 'c' && d == 'h') { s += 's'; ++i; continue; }
        if (c == 'k' && d == 'h') { s += 'k'; ++i; continue; }
        if (c == 'g' && d == 'h') { s += 'g'; ++i; continue; }
        if (c == 't' && d == 'h') { s += 't'; ++i; continue; }
        if (c == 'd' && d == 'h') { s += 'z'; ++i; continue; }
        if (c == 'p' && d == 'h') { s += 'f'; ++i; continue; }
        if (c == 'd' && d == 'j') { s += 'j'; ++i; continue; }
        if (c == 'c' && d == 'k') { s += 'k'; ++i; continue; }
        switch (c) {
        case 'q': case 'c': s += 'k'; break;
        case 'x': s += "ks"; break;
        case 'p': s += 'b'; break;
        case 'v': s += 'f'; break;
        case 'y': case 'w':
            // A consonant before a vowel at the start of a word or between vowels
            // (Yabus, Suwayda, Hawa, Mayadin); part of a vowel elsewhere (Dayr, Zawr, Jaydet).
            if (is_vowel(d) && (i == 0 || is_vowel(w[i - 1]))) s += c;
            else s += 'a';
            break;
        default:
            s += is_vowel(c) ? 'a' : c;
        }
    }
    // Collapse runs (vowel runs to one 'a', doubled consonants to one).
    std::string r;
    r.reserve(s.size());
    for (char c : s)
        if (r.empty() || r.back() != c) r += c;
    // A final h after a vowel is a taa marbuta or a spelling habit: Hamah/Hama, Raqqah/Raqqa.
    if (r.size() > 2 && r.back() == 'h' && r[r.size() - 2] == 'a') r.pop_back();
    out += r;
}

} // namespace

std::vector<std::string> fold_tokens(std::string_view name) { return tokenize(name).words; }

NameKey make_key(std::string_view name, bool with_phonetic) {
    NameKey k;
    Tokens t = tokenize(name);
    k.arabic = t.arabic;
    auto& w = t.words;

    if (t.arabic) {
        const std::string al = arabic({0x0627, 0x0644});
        std::vector<std::string> kept;
        for (auto& word : w) {
            bool kind = false;
            for (const auto& kw : arabic_kind_words()) {
                if (word == kw.word || word == al + kw.word) {
                    k.hint |= kw.hint;
                    kind = true;
                }
            }
            if (!kind) kept.push_back(word);
        }
        if (kept.empty()) kept = w; // the name is only a kind word: keep it
        for (auto& word : kept) {
            if (word.size() > 3 && word.compare(0, 2, al) == 0) word.erase(0, 2);
            k.key += word;
        }
        if (with_phonetic) k.phonetic = k.key;
        return k;
    }

    // Latin: kind words out (when something else remains), then articles, then keys.
    std::vector<std::string> kept;
    std::uint32_t hint = hint_none;
    for (auto& word : w) {
        if (const KindWord* kw = kind_word(word)) {
            hint |= kw->hint;
            continue;
        }
        kept.push_back(word);
    }
    if (kept.empty()) {
        kept = w;
    } else {
        k.hint = hint;
    }
    std::vector<std::string> core;
    for (std::size_t i = 0; i < kept.size(); ++i) {
        if (i + 1 < kept.size() && is_article(kept[i])) continue;
        core.push_back(kept[i]);
    }
    for (auto& word : core) {
        strip_assimilated_article(word);
        k.key += word;
        if (with_phonetic) phonetic_token(word, k.phonetic);
    }
    return k;
}

std::string phonetic_key(std::string_view name) { return make_key(name, true).phonetic; }

} // namespace sitmap
