#include "layers/extract.hpp"

#include "geo/error.hpp"
#include "geo/utf8.hpp"
#include "layers/extract_detail.hpp"
#include "layers/extract_places.hpp"

#include <algorithm>
#include <mutex>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <unordered_map>

namespace sitmap {

using namespace extract_detail;

namespace {

constexpr std::size_t kMaxSentence = 8 * 1024; // longer runs are cut at a space
constexpr std::size_t kShortLine = 16;          // debris lines have at most this many tokens

struct Line {
    std::size_t b = 0, e = 0;
    bool debris = false, figures = true;
    bool tokenized = false;      // its tokens are ltoks[tb, te) (short lines, read once)
    std::size_t tb = 0, te = 0;
    int section = 0, paragraph = 0;
};

// A place mention in a sentence (one name, or a list "Deir ez-Zor, Damascus and Homs provinces").
struct Mention {
    std::size_t tb = 0, te = 0;          // token range
    std::uint32_t b = 0, e = 0;          // bytes of the written span
    std::vector<std::string> names;      // each name as written (kind words of a plural added)
    std::vector<const Place*> places;    // resolved place of each name (may be null)
    std::size_t kinded = 0;              // names before this index already carry a kind word
    std::string role;                    // from | via | to | in | of | subject
    std::string text;                    // as written (for an anaphora: the place it refers to)
    bool foreign = false, country = false, crossing = false, governorate = false, camp = false;
    bool checkpoint = false;
    bool used = false;
    std::string relation;                // "near", "20 km east of": the figure is near/off it
};

struct Cand {
    std::size_t tb = 0, te = 0; // number tokens
    std::size_t qb = 0;         // first token of the qualifier (== tb when none)
    double value = 0;
    bool dot3 = false;
    double dot3_thousands = 0;
    bool words = false, small_words = false, article = false;
    std::string qualifier = "exact";
    const NounDef* noun = nullptr;
    const UnitDef* unit = nullptr;
    std::size_t noun_end = 0; // token after the noun / unit
    std::string cls, category, subcategory, unit_name, status, relation;
    int parent = -1;
    std::size_t record = SIZE_MAX;     // index of the emitted record
    std::vector<std::size_t> mentions; // indices into the sentence's mentions
    bool zone = false, offset = false;
    std::size_t rel_end = 0; // token after an offset's relation phrase ("20 km east of| X")
};

struct Section {
    std::string claimant;
    const Place* place = nullptr;   // from the speaker line
    std::string place_written;
    const Place* last_gov = nullptr;
    std::string last_gov_written;
    std::unordered_map<std::string, std::pair<const Place*, std::string>> last_of_kind;
};

struct PeriodState {
    std::string period, anchor;
    Ymd start, end;
    bool has_start = false, has_end = false;
    unsigned categories = 0; // bit per category index that used it
    int section = -1, paragraph = -1;
    bool set = false;
};

unsigned cat_bit(const std::string& c) {
    const auto& all = record_categories();
    for (std::size_t i = 0; i < all.size(); ++i)
        if (all[i] == c) return 1u << i;
    return 0;
}

std::string trim(std::string s) {
    const char* ws = " \t\r\n.,:;";
    const auto b = s.find_first_not_of(ws);
    if (b == std::string::npos) return "";
    const auto e = s.find_last_not_of(ws);
    return s.substr(b, e - b + 1);
}

std::string doc_prefix(const std::string& doc_id) { return doc_id; }

std::string fmt_value(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6f", v);
    std::string s = buf;
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

Precision coarser(Precision p) {
    switch (p) {
    case Precision::point: return Precision::settlement;
    case Precision::settlement: return Precision::district;
    case Precision::district: return Precision::governorate;
    default: return p;
    }
}

} // namespace

struct Extractor::Impl {
    std::shared_ptr<const ExtractPatterns> pat;
    const Geocoder* geo = nullptr;
    std::unique_ptr<PlaceScanner> scanner;
    // Geocoding answers by (name, admin1 context), shared by every document: the answer depends
    // on nothing else, and weekly bulletins name the same places again and again.
    mutable std::unordered_map<std::string, const Place*> geocache;
    mutable std::mutex geocache_mutex;

    struct Doc; // per-document state
    void run(std::string_view text, Extraction& out, const ExtractOptions& opt) const;
};

namespace {

bool is_abbrev_before(std::string_view text, std::size_t dot) {
    // The word before the dot: a single capital letter (initials), or a title.
    std::size_t b = dot;
    while (b > 0 && ((text[b - 1] >= 'a' && text[b - 1] <= 'z') || (text[b - 1] >= 'A' && text[b - 1] <= 'Z')))
        --b;
    const std::string_view w = text.substr(b, dot - b);
    if (w.size() == 1 && w[0] >= 'A' && w[0] <= 'Z') return true;
    static const char* titles[] = {"Mr", "Mrs", "Ms", "Dr", "Gen", "Col", "Lt", "St", "No", "Nos",
                                   "vs", "etc", "Maj", "Capt", "Prof", "Jr", "Sr", "approx"};
    for (const char* t : titles)
        if (w == t) return true;
    return false;
}

// Sentences of text[b, e): cut after . ! ? ; followed by a space (not after an abbreviation).
void split_sentences(std::string_view text, std::size_t b, std::size_t e,
                     std::vector<std::pair<std::size_t, std::size_t>>& out) {
    std::size_t start = b;
    auto push = [&](std::size_t s, std::size_t t) {
        while (s < t && (text[s] == ' ' || text[s] == '\t')) ++s;
        while (t - s > kMaxSentence) {
            std::size_t cut = s + kMaxSentence;
            while (cut > s + kMaxSentence / 2 && text[cut] != ' ') --cut;
            if (cut == s + kMaxSentence / 2) cut = s + kMaxSentence;
            // Do not cut inside a UTF-8 sequence.
            while (cut < t && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) ++cut;
            out.emplace_back(s, cut);
            s = cut;
        }
        if (t > s) out.emplace_back(s, t);
    };
    for (std::size_t i = b; i < e; ++i) {
        const char c = text[i];
        if (c != '.' && c != '!' && c != '?' && c != ';') continue;
        if (i + 1 < e && text[i + 1] != ' ' && text[i + 1] != '\t') continue;
        if (c == '.' && is_abbrev_before(text, i)) continue;
        push(start, i + 1);
        start = i + 1;
    }
    push(start, e);
}

} // namespace

struct Extractor::Impl::Doc {
    const Impl& im;
    const ExtractPatterns& p;
    std::string_view text;
    const ExtractOptions& opt;
    Extraction& out;
    std::optional<Ymd> date;
    std::vector<Line> lines;
    std::vector<Section> sections;
    GeocodeContext ctx;
    std::string key_buf; // the cache key, built in place (no allocation per lookup)
    // The bulletin's own governorate, as context for ambiguous names: how often each governorate
    // has been named so far, and the most named one.
    std::unordered_map<std::string, int> gov_count;
    std::string doc_gov;
    int doc_gov_n = 0;
    PeriodState period_state;
    const Place* carry = nullptr; // last place of the paragraph
    std::string carry_written;
    int carry_paragraph = -1;
    std::vector<PlaceScanner::Hit> hits;
    std::vector<Tok> ltoks;  // tokens of the short lines, tokenized once for every stage
    std::vector<Tok> stoks;  // scratch: a sentence of a long line
    int record_no = 0;
    int cur_section = 0;

    Doc(const Impl& i, std::string_view t, const ExtractOptions& o, Extraction& x)
        : im(i), p(*i.pat), text(t), opt(o), out(x) {}

    std::string written(std::size_t b, std::size_t e) const { return std::string(text.substr(b, e - b)); }

    const Place* resolve(const std::string& name, std::uint32_t hit_name) {
        key_buf.assign(name).push_back('\x1f');
        key_buf += ctx.admin1;
        {
            std::lock_guard<std::mutex> lock(im.geocache_mutex);
            if (auto it = im.geocache.find(key_buf); it != im.geocache.end()) return it->second;
        }
        const std::string& key = key_buf;
        const Place* pl = nullptr;
        if (im.geo) {
            const auto r = im.geo->geocode(name, ctx);
            if (r.place && r.status != MatchStatus::unresolved) pl = r.place;
            if (!pl && hit_name != UINT32_MAX && !im.scanner->places_of(hit_name).empty())
                pl = &im.geo->gazetteer().places()[im.scanner->places_of(hit_name).front()];
        }
        std::lock_guard<std::mutex> lock(im.geocache_mutex);
        im.geocache.emplace(key, pl);
        return pl;
    }

    void classify_lines();
    void find_date();
    void run_sentences();
    void sentence(Toks toks, std::size_t sb, std::size_t se, const Line& line);
    // "near" when a relations.csv `near` phrase ("near", "close to", "outside") ends right before
    // token k (an article between is skipped); else empty.
    std::string near_before(Toks toks, std::size_t k) const {
        if (k > 0 && is(toks[k - 1].fold, "the")) --k;
        if (k == 0) return {};
        const auto r = p.relations.match_ending(toks, k >= 5 ? k - 5 : 0, k);
        if (r.length && p.relation_of[r.payload] == "near") return "near";
        return {};
    }
    Toks line_toks(const Line& ln) const { return Toks(ltoks).subspan(ln.tb, ln.te - ln.tb); }
    std::vector<Mention> mentions(Toks toks, std::size_t sb, std::size_t se);
    void period_of(Toks toks, const Line& line, PeriodState& ps);
    void emit(Toks toks, std::size_t sb, std::size_t se, Cand& c,
              const std::vector<Mention>& ms, const Line& line, const PeriodState& ps,
              bool explicit_period, int sentence_gov_idx);
};

void Extractor::Impl::Doc::classify_lines() {
    std::size_t i = 0;
    while (i <= text.size()) {
        auto nl = text.find('\n', i);
        if (nl == std::string_view::npos) nl = text.size();
        std::size_t e = nl;
        if (e > i && text[e - 1] == '\r') --e;
        lines.push_back({i, e});
        if (nl == text.size()) break;
        i = nl + 1;
    }
    bool rest_debris = false;
    int section = 0, paragraph = 0;
    Section first;
    first.claimant = opt.claimant.empty() ? (opt.source.empty() ? "not stated in text" : opt.source)
                                          : opt.claimant;
    sections.push_back(std::move(first));
    bool prev_blank = true;
    {
        std::size_t short_bytes = 0; // tokens are about 5 bytes: reserve once, no moves
        for (const auto& ln : lines)
            if (ln.e - ln.b < 600) short_bytes += ln.e - ln.b;
        ltoks.reserve(short_bytes / 4 + 16);
    }
    for (auto& ln : lines) {
        if (rest_debris) { ln.debris = true; continue; }
        const bool blank = text.substr(ln.b, ln.e - ln.b).find_first_not_of(" \t\xC2\xA0") ==
                           std::string_view::npos;
        if (blank) { prev_blank = true; ln.figures = false; ln.paragraph = paragraph; ln.section = section; continue; }
        if (ln.e - ln.b < 600) {
            // A short line is tokenized once, here; the date and the sentences reuse its tokens.
            ln.tb = ltoks.size();
            tokenize(text, ln.b, ln.e, ltoks, &p.vocab);
            ln.te = ltoks.size();
            ln.tokenized = true;
            const Toks toks = line_toks(ln);
            bool has_alpha = false;
            for (const auto& t : toks)
                if (t.kind == TokKind::word && t.fold.size() > 1) { has_alpha = true; break; }
            if (!has_alpha) ln.debris = true;
            if (toks.size() <= kShortLine) {
                bool numbers = false;
                for (const auto& t : toks) numbers |= t.kind == TokKind::number;
                for (std::size_t k = 0; k < toks.size() && !ln.debris; ++k) {
                    if (p.debris_line.match(toks, k, toks.size()).length) ln.debris = true;
                    if (toks.size() <= 8 && !numbers && p.debris_rest.match(toks, k, toks.size()).length) {
                        ln.debris = true;
                        rest_debris = true;
                    }
                }
                bool dollar = false;
                for (const auto& t : toks) dollar |= is(t.fold, "$");
                if (dollar && toks.size() <= 4) ln.debris = true;
            }
            if (!ln.debris && toks.size() <= 40) {
                const auto m = p.speakers.match(toks, 0, toks.size());
                if (m.length) {
                    std::size_t cb = toks[m.length - 1].e, ce = ln.e;
                    const std::string& suffix = p.speaker_suffix[m.payload];
                    if (!suffix.empty()) {
                        const auto pos = text.substr(cb, ce - cb).find(suffix);
                        if (pos == std::string_view::npos) goto not_speaker;
                        ce = cb + pos;
                    }
                    ++section;
                    Section s;
                    s.claimant = trim(written(cb, ce));
                    if (s.claimant.rfind("the ", 0) == 0) s.claimant = s.claimant.substr(4);
                    if (s.claimant.empty()) s.claimant = sections.front().claimant;
                    std::vector<PlaceScanner::Hit> hs;
                    im.scanner->scan(text, ln.b, ln.e, hs);
                    for (const auto& h : hs) {
                        // Take the kind word after the name too ("Daraa province").
                        std::size_t he = h.e;
                        std::vector<Tok> after;
                        tokenize(text, h.e, std::min(ln.e, static_cast<std::size_t>(h.e) + 40), after, &p.vocab);
                        const auto km = p.place_kinds.match(after, 0, after.size());
                        if (km.length) he = after[km.length - 1].e;
                        const std::string w = written(h.b, he);
                        const Place* pl = resolve(w, h.name);
                        if (pl && pl->kind != Kind::country && pl->country == "SYR") {
                            s.place = pl;
                            s.place_written = w;
                            break;
                        }
                    }
                    sections.push_back(s);
                    ln.figures = false;
                }
            }
        }
    not_speaker:
        if (prev_blank) ++paragraph;
        prev_blank = false;
        ln.section = section;
        ln.paragraph = paragraph;
    }
}

void Extractor::Impl::Doc::find_date() {
    // A date line: a short line that is (mostly) a full date. Page furniture was dropped first,
    // so "Posted on ..." or a month-and-year header ("MARCH 2025") is not taken.
    for (auto& ln : lines) {
        if (ln.debris || ln.e - ln.b > 200 || !ln.tokenized) continue;
        const Toks toks = line_toks(ln);
        if (toks.empty() || toks.size() > 10) continue;
        std::size_t words = 0;
        for (const auto& t : toks) words += t.kind == TokKind::word;
        for (std::size_t k = 0; k < toks.size(); ++k) {
            Ymd d;
            const auto n = parse_date(toks, k, toks.size(), d);
            if (n && d.y) {
                std::size_t date_words = 0;
                for (std::size_t j = k; j < k + n; ++j) date_words += toks[j].kind == TokKind::word;
                if (words - date_words <= 3) {
                    ln.figures = false;
                    if (!date) date = d;
                }
                break;
            }
        }
        if (date) break;
    }
}

std::vector<Mention> Extractor::Impl::Doc::mentions(Toks toks, std::size_t sb,
                                                    std::size_t se) {
    std::vector<Mention> ms;
    auto first = std::lower_bound(hits.begin(), hits.end(), sb,
                                  [](const PlaceScanner::Hit& h, std::size_t v) { return h.b < v; });
    auto tok_at = [&](std::uint32_t byte) {
        return static_cast<std::size_t>(
            std::lower_bound(toks.begin(), toks.end(), byte,
                             [](const Tok& t, std::uint32_t v) { return t.b < v; }) -
            toks.begin());
    };
    for (auto it = first; it != hits.end() && it->b < se; ++it) {
        if (it->e > se) break;
        Mention m;
        m.tb = tok_at(it->b);
        m.te = tok_at(it->e);
        if (m.tb >= toks.size() || m.te <= m.tb) continue;
        if (toks[m.tb].kind == TokKind::number) continue; // "55 km zone": the figure, not a place
        // Part of a longer proper name ("Hayat Tahrir Ash-Sham"): a capitalised word right before.
        if (m.tb > 0 && toks[m.tb - 1].kind == TokKind::word && toks[m.tb - 1].upper &&
            m.tb - 1 > 0 && !p.place_kinds.match(toks, m.tb - 1, m.tb).length)
            continue;
        m.b = it->b;
        m.e = it->e;
        std::string name = written(it->b, it->e);
        bool plural = false;
        const auto km = p.place_kinds.match(toks, m.te, toks.size());
        if (km.length) {
            plural = p.kind_plural[km.payload];
            if (!plural) name = written(it->b, toks[m.te + km.length - 1].e);
            m.te += km.length;
            m.e = toks[m.te - 1].e;
        }
        m.names.push_back(name);
        m.places.push_back(resolve(name, it->name));
        // A governorate named earlier in the sentence is the context of the names after it.
        if (m.places.back() && m.places.back()->kind == Kind::governorate && !m.places.back()->admin1.empty())
            ctx.admin1 = m.places.back()->admin1;
        if (plural) {
            // "Deir ez-Zor, Damascus and Homs provinces": the plural kind word applies to each.
            std::string kind = toks[m.te - 1].fold;
            if (!kind.empty() && kind.back() == 's') kind.pop_back();
            if (kind == "cp") kind = "CP";
            m.names.back() = name + " " + kind;
            m.places.back() = resolve(m.names.back(), it->name);
        }
        // A list: the previous mention ends right before ", " or " and ".
        if (!ms.empty()) {
            Mention& prev = ms.back();
            bool joined = true;
            for (std::size_t k = prev.te; k < m.tb; ++k) {
                const auto& f = toks[k].fold;
                if (!is(f, ",") && !is(f, "and") && !is(f, "\"") && !is(f, "&") && !is(f, "the")) joined = false;
            }
            if (prev.te < m.tb && joined && !(m.tb > 0 && is(toks[m.tb - 1].fold, "\"") && false)) {
                if (plural) {
                    std::string kind = m.names.back().substr(m.names.back().rfind(' ') + 1);
                    for (std::size_t k = prev.kinded; k < prev.names.size(); ++k) {
                        prev.names[k] += " " + kind;
                        prev.places[k] = resolve(prev.names[k], UINT32_MAX);
                    }
                }
                prev.names.insert(prev.names.end(), m.names.begin(), m.names.end());
                prev.places.insert(prev.places.end(), m.places.begin(), m.places.end());
                if (plural) prev.kinded = prev.names.size();
                prev.te = m.te;
                prev.e = m.e;
                continue;
            }
            // "Eastern Ghouta (Damascus province)": a parenthetical after a name.
            if (m.tb == prev.te + 1 && is(toks[prev.te].fold, "(") && m.te < toks.size() &&
                is(toks[m.te].fold, ")")) {
                prev.te = m.te + 1;
                prev.e = toks[m.te].e;
                prev.names.back() = written(prev.b, prev.e);
                continue;
            }
        }
        ms.push_back(std::move(m));
    }
    for (auto& m : ms) {
        // The role from the words before: "from", "via", "to", "in" (skipping "the", kind words).
        std::size_t k = m.tb;
        int guard = 0;
        while (k > 0 && guard < 4) {
            const auto& f = toks[k - 1].fold;
            if (is(f, "the") || is(f, "\"") || is(f, "back") || is(f, "refugee") || is(f, "camp") ||
                is(f, "checkpoint") || is(f, "cp") || is(f, "province") ||
                is(f, "settlements") || is(f, "city") || is(f, "town") || is(f, "suburbs")) {
                --k;
                ++guard;
                continue;
            }
            break;
        }
        static const std::string none;
        const std::string& prev = k > 0 ? toks[k - 1].fold : none;
        if (is(prev, "from") || is(prev, "left")) m.role = "from";
        else if (is(prev, "via") || is(prev, "through")) m.role = "via";
        else if (is(prev, "to") || is(prev, "for") || is(prev, "towards") || is(prev, "into") || is(prev, "reached"))
            m.role = "to";
        else if (is(prev, "in") || is(prev, "at") || is(prev, "near") || is(prev, "around") || is(prev, "inside") ||
                 is(prev, "within") || is(prev, "on"))
            m.role = "in";
        else if (is(prev, "of") || is(prev, "between") || is(prev, "with") || is(prev, "by")) m.role = "of";
        else m.role = "subject";
        for (const Place* pl : m.places) {
            if (!pl) continue;
            if (pl->kind == Kind::country) m.country = true;
            if (pl->country != "SYR") m.foreign = true;
            if (pl->kind == Kind::border_crossing || pl->kind == Kind::checkpoint) m.crossing = true;
            if (pl->kind == Kind::checkpoint) m.checkpoint = true;
            if (pl->kind == Kind::governorate) m.governorate = true;
            if (pl->kind == Kind::camp) m.camp = true;
        }
        if (m.foreign && m.role == "subject" && m.tb > 0 && is(toks[m.tb - 1].fold, "left")) m.role = "from";
        m.text = written(m.b, m.e);
        m.relation = near_before(toks, m.tb);
    }
    // Anaphora: "the checkpoint", "the camp" refer to the last one named in this section.
    Section& sec = sections[static_cast<std::size_t>(cur_section)];
    std::vector<Mention> anaphora;
    for (std::size_t k = 0; k + 1 < toks.size(); ++k) {
        if (!is(toks[k].fold, "the")) continue;
        std::string kind = toks[k + 1].fold;
        if (kind == "cp") kind = "checkpoint";
        if (kind != "checkpoint" && kind != "camp" && kind != "crossing") continue;
        if (k + 2 < toks.size() && (toks[k + 2].upper || is(toks[k + 2].fold, "al"))) continue; // "the checkpoint al-Salhiyah"
        // Named right there: a mention covering the kind word, ending at "the" or starting after it.
        // Mentions are sorted and do not overlap, so only the neighbours of k need a look.
        bool named = false;
        auto near = std::lower_bound(ms.begin(), ms.end(), k,
                                     [](const Mention& m, std::size_t v) { return m.te < v; });
        for (auto it = near; it != ms.end() && it->tb <= k + 2; ++it)
            named |= (it->tb <= k + 1 && it->te > k + 1) || it->te == k || it->tb == k + 2;
        if (named) continue;
        const auto it = sec.last_of_kind.find(kind);
        if (it == sec.last_of_kind.end()) continue;
        Mention a;
        a.tb = k;
        a.te = k + 2;
        a.b = toks[k].b;
        a.e = toks[k + 1].e;
        a.names = {it->second.second};
        a.places = {it->second.first};
        a.text = it->second.second;
        a.role = "in";
        a.crossing = kind != "camp";
        a.checkpoint = a.crossing && it->second.first && it->second.first->kind == Kind::checkpoint;
        a.camp = kind == "camp";
        a.relation = near_before(toks, k + 1);
        anaphora.push_back(std::move(a));
    }
    if (!anaphora.empty()) {
        std::vector<Mention> merged;
        merged.reserve(ms.size() + anaphora.size());
        std::merge(std::make_move_iterator(ms.begin()), std::make_move_iterator(ms.end()),
                   std::make_move_iterator(anaphora.begin()), std::make_move_iterator(anaphora.end()),
                   std::back_inserter(merged),
                   [](const Mention& x, const Mention& y) { return x.tb < y.tb; });
        ms = std::move(merged);
    }
    for (const auto& m : ms) {
        if (m.places.size() != 1 || !m.places[0] || m.text.rfind("the ", 0) == 0) continue;
        const Kind kd = m.places[0]->kind;
        if (kd == Kind::checkpoint || kd == Kind::border_crossing) {
            sec.last_of_kind["checkpoint"] = {m.places[0], m.names[0]};
            sec.last_of_kind["crossing"] = {m.places[0], m.names[0]};
        } else if (kd == Kind::camp) {
            sec.last_of_kind["camp"] = {m.places[0], m.names[0]};
        }
    }
    return ms;
}

void Extractor::Impl::Doc::period_of(Toks toks, const Line& line, PeriodState& ps) {
    static const char* order[] = {"rate",       "since_date", "since",       "year_end",
                                  "month_end",
                                  "month_span", "past_day",   "past_week",   "past_month",
                                  "named_month", "named_year", "year_to_date", "as_of"};
    int best = 99;
    std::size_t best_at = 0, best_len = 0;
    PeriodDef best_def;
    for (std::size_t k = 0; k < toks.size(); ++k) {
        const auto m = p.periods.match(toks, k, toks.size());
        if (!m.length) continue;
        PeriodDef d = p.period_of[m.payload];
        Ymd tmp;
        if (d.anchor == "since" && parse_date(toks, k + m.length, toks.size(), tmp)) d.anchor = "since_date";
        int rank = 98;
        for (int r = 0; r < 13; ++r)
            if (d.anchor == order[r]) rank = r;
        if (rank < best) { best = rank; best_at = k; best_len = m.length; best_def = d; }
        k += m.length - 1;
    }
    if (best == 99) return;
    ps = PeriodState{};
    ps.set = true;
    ps.period = best_def.period;
    ps.anchor = best_def.anchor;
    ps.section = line.section;
    ps.paragraph = line.paragraph;
    if (!date) return;
    const Ymd d = *date;
    const std::string& a = best_def.anchor;
    auto set = [&](Ymd s, Ymd e) { ps.start = s; ps.end = e; ps.has_start = ps.has_end = true; };
    if (a == "past_day") set(d, d);
    else if (a == "past_week") set(add_days(d, -6), d);
    else if (a == "past_month") set(month_back(d), d);
    else if (a == "year_to_date") set({d.y, 1, 1}, d);
    else if (a == "named_year" || a == "named_month" || a == "month_span") {
        int y = d.y, m1 = 0, m2 = 0;
        for (std::size_t k = best_at; k < best_at + best_len; ++k) {
            if (toks[k].kind == TokKind::number && toks[k].fold.size() == 4) y = std::stoi(toks[k].fold);
            if (toks[k].kind == TokKind::word && toks[k].fold.size() >= 3 && month_of(toks[k].fold)) {
                if (!m1) m1 = month_of(toks[k].fold);
                m2 = month_of(toks[k].fold);
            }
        }
        if (a == "named_year") set({y, 1, 1}, y == d.y ? d : Ymd{y, 12, 31});
        else {
            if (a == "named_month" && m1 > d.m) y -= 1;
            set({y, m1, 1}, {y, m2, days_in_month(y, m2)});
        }
    } else if (a == "year_end") {
        ps.end = {d.y, 12, 31};
        ps.has_end = true;
    } else if (a == "month_end") {
        ps.end = {d.y, d.m, days_in_month(d.y, d.m)};
        ps.has_end = true;
    } else if (a == "since_date") {
        Ymd s;
        parse_date(toks, best_at + best_len, toks.size(), s);
        if (!s.y) s.y = (s.m > d.m || (s.m == d.m && s.d > d.d)) ? d.y - 1 : d.y;
        set(s, d);
    } else if (a == "since" || a == "as_of") {
        ps.end = d;
        ps.has_end = true;
    }
}

void Extractor::Impl::Doc::run_sentences() {
    std::vector<std::pair<std::size_t, std::size_t>> sents;
    for (const auto& ln : lines) {
        if (ln.debris || !ln.figures || ln.e <= ln.b) continue;
        hits.clear();
        im.scanner->scan(text, ln.b, ln.e, hits);
        sents.clear();
        split_sentences(text, ln.b, ln.e, sents);
        if (ln.tokenized) {
            // The line's tokens, cut at the sentences (no token spans a cut: a cut follows
            // punctuation and a space).
            const Toks all = line_toks(ln);
            std::size_t k = 0;
            for (const auto& [sb, se] : sents) {
                while (k < all.size() && all[k].b < sb) ++k;
                std::size_t j = k;
                while (j < all.size() && all[j].b < se) ++j;
                if (j > k) sentence(all.subspan(k, j - k), sb, se, ln);
                k = j;
            }
        } else {
            for (const auto& [sb, se] : sents) {
                stoks.clear();
                tokenize(text, sb, se, stoks, &p.vocab);
                if (!stoks.empty()) sentence(stoks, sb, se, ln);
            }
        }
    }
}

void Extractor::Impl::Doc::sentence(Toks toks, std::size_t sb, std::size_t se, const Line& line) {
    if (toks.empty()) return;
    const std::size_t n = toks.size();
    cur_section = line.section;
    {
        // Context for ambiguous names ("Saida" in a Daraa section is the town in Daraa): the
        // section's governorate (last named, else its speaker's), else the document's most named.
        const Section& s0 = sections[static_cast<std::size_t>(line.section)];
        if (s0.last_gov && !s0.last_gov->admin1.empty()) ctx.admin1 = s0.last_gov->admin1;
        else if (s0.place && !s0.place->admin1.empty()) ctx.admin1 = s0.place->admin1;
        else ctx.admin1 = doc_gov;
    }
    std::vector<Mention> ms = mentions(toks, sb, se);
    Section& sec = sections[static_cast<std::size_t>(line.section)];
    if (line.paragraph != carry_paragraph) { carry = nullptr; carry_written.clear(); carry_paragraph = line.paragraph; }

    // Candidates: digits, numbers in words, and "a kindergarten" in a list of facilities.
    std::vector<Cand> cs;
    for (std::size_t i = 0; i < n; ++i) {
        const Tok& t = toks[i];
        // Most tokens start no figure: punctuation, and words that are neither number words nor
        // an article (parse_number_words needs a number word first). Skip them before building one.
        if (t.kind == TokKind::punct) continue;
        if (t.kind == TokKind::word && !p.number_word(t) && !is(t.fold, "a") && !is(t.fold, "an")) continue;
        Cand c;
        c.tb = i;
        if (t.kind == TokKind::number) {
            // Dates, times, years, fractions such as 24/7, attached letters ("3rd", "node3").
            Ymd d;
            if (parse_date(toks, i, n, d)) { i += parse_date(toks, i, n, d) - 1; continue; }
            if (i > 0 && toks[i - 1].kind == TokKind::word && toks[i - 1].month &&
                toks[i - 1].fold.size() >= 3)
                continue;
            if (i + 1 < n && !toks[i + 1].space_before &&
                (is(toks[i + 1].fold, ":") || is(toks[i + 1].fold, "/")) && i + 2 < n &&
                toks[i + 2].kind == TokKind::number)
                { i += 2; continue; }
            if (i > 0 && !t.space_before && (toks[i - 1].kind == TokKind::word || is(toks[i - 1].fold, "/") ||
                                             is(toks[i - 1].fold, ":") || is(toks[i - 1].fold, ".")))
                continue;
            if (i + 1 < n && !toks[i + 1].space_before && toks[i + 1].kind == TokKind::word &&
                !p.units.match(toks, i + 1, n).length)
                continue;
            bool year = t.fold.size() == 4 && t.fold.find_first_not_of("0123456789") == std::string::npos;
            if (year) {
                const int y = std::stoi(t.fold);
                year = y >= 1900 && y <= 2100;
            }
            if (year && !(i + 1 < n && p.nouns.match(toks, i + 1, n).length)) continue;
            if (p.skip_before.match_ending(toks, i >= 3 ? i - 3 : 0, i).length) continue;
            if (!parse_digits(t.fold, c.value, c.dot3, c.dot3_thousands)) continue;
            c.te = i + 1;
            // "963 thousand", "1.5 million"
            if (c.te < n && toks[c.te].kind == TokKind::word) {
                const NumberWord* nw = p.number_word(toks[c.te]);
                if (nw && nw->kind == "scale") {
                    c.value *= nw->value;
                    c.dot3 = false;
                    ++c.te;
                }
            }
        } else if (t.kind == TokKind::word) {
            double v = 0;
            bool scale = false;
            const auto len = parse_number_words(p, toks, i, n, v, scale);
            if (len) {
                c.value = v;
                c.te = i + len;
                c.words = true;
                c.small_words = !scale;
                if (i + len < n && is(toks[i + len].fold, "of") && !scale) { i += len - 1; continue; }
            } else if ((is(t.fold, "a") || is(t.fold, "an")) && i + 1 < n) {
                const auto m = p.nouns.match(toks, i + 1, n);
                if (!m.length || p.noun_of[m.payload].cls != "facility") continue;
                c.value = 1;
                c.te = i + 1;
                c.article = true;
            } else {
                continue;
            }
        } else {
            continue;
        }
        if (c.te < n && p.skip_after.match(toks, c.te, n).length) { i = c.te - 1; continue; }
        // Qualifier right before.
        c.qb = c.tb;
        if (const auto q = p.qualifiers.match_ending(toks, c.tb >= 4 ? c.tb - 4 : 0, c.tb); q.length) {
            c.qualifier = p.qualifier_of[q.payload];
            c.qb = c.tb - q.length;
        }
        cs.push_back(c);
        i = c.te - 1;
    }
    if (cs.empty()) {
        // Still track places for the paragraph and the province of the section.
        for (const auto& m : ms) {
            if (m.role == "of" || m.role == "via" || m.foreign || m.country || m.places.empty() || !m.places[0]) continue;
            if (!carry) { carry = m.places[0]; carry_written = m.text; }
        }
        for (const auto& m : ms)
            if (m.governorate && m.names.size() == 1) { sec.last_gov = m.places[0]; sec.last_gov_written = m.names[0]; }
        PeriodState ps;
        period_of(toks, line, ps);
        if (ps.set) period_state = ps;
        return;
    }

    // What each figure counts: a unit and/or a noun after it, a label before it, "out of", "of them".
    for (std::size_t ci = 0; ci < cs.size(); ++ci) {
        Cand& c = cs[ci];
        std::size_t k = c.te;
        if (k < n && is(toks[k].fold, "-") && !toks[k].space_before) ++k; // 55-kilometre
        const auto longer_noun = p.nouns.match(toks, k, n);
        if (const auto u = p.units.match(toks, k, n); u.length && u.length >= longer_noun.length) {
            c.unit = &p.unit_of[u.payload];
            k += u.length;
            c.noun_end = k;
            if (k < n && is(toks[k].fold, "of")) {
                for (std::size_t j = k + 1; j < std::min(n, k + 4); ++j)
                    if (const auto m = p.nouns.match(toks, j, n); m.length) {
                        c.noun = &p.noun_of[m.payload];
                        c.noun_end = j + m.length;
                        break;
                    }
            }
        } else {
            std::size_t words = 0;
            for (std::size_t j = k; j < n && words < 5; ++j) {
                const Tok& tj = toks[j];
                if (tj.kind == TokKind::number) break;
                if (tj.kind == TokKind::punct && !is(tj.fold, "\"") && !is(tj.fold, "'")) break;
                if (is(tj.fold, "out") && j + 2 < n && is(toks[j + 1].fold, "of") &&
                    toks[j + 2].kind == TokKind::number) {
                    // "6 out of 11 power stations": the noun of the whole.
                    for (std::size_t q = j + 3; q < std::min(n, j + 8); ++q)
                        if (const auto m = p.nouns.match(toks, q, n); m.length) {
                            c.noun = &p.noun_of[m.payload];
                            c.noun_end = q + m.length;
                            break;
                        }
                    break;
                }
                if (is(tj.fold, "of") && j + 1 < n && is(toks[j + 1].fold, "them") && ci > 0 && !c.noun) {
                    c.noun = cs[ci - 1].noun; // "25 of them", unless a noun follows
                    c.unit = cs[ci - 1].unit;
                    c.noun_end = j + 2;
                    ++j;
                    continue;
                }
                if (const auto m = p.nouns.match(toks, j, n); m.length) {
                    c.noun = &p.noun_of[m.payload];
                    c.noun_end = j + m.length;
                    break;
                }
                if (tj.kind == TokKind::word) ++words;
            }
        }
        if (!c.noun) {
            // A label before: "women - 475", "wheat flour - 300 tons", "food sets (sugar) - 100 tons".
            std::size_t j = c.qb;
            if (j > 0 && (is(toks[j - 1].fold, "-") || is(toks[j - 1].fold, ":"))) {
                std::size_t end = j - 1;
                if (end > 0 && is(toks[end - 1].fold, ")")) {
                    int depth = 0;
                    std::size_t q = end;
                    while (q > 0) {
                        --q;
                        if (is(toks[q].fold, ")")) ++depth;
                        else if (is(toks[q].fold, "(") && --depth == 0) break;
                    }
                    end = q;
                }
                if (const auto m = p.nouns.match_ending(toks, end >= 4 ? end - 4 : 0, end); m.length)
                    c.noun = &p.noun_of[m.payload];
            }
        }
        if (!c.noun && !c.unit) {
            // A noun just before: "the number of operating bakeries to 14".
            std::size_t words = 0;
            for (std::size_t j = c.qb; j > 0 && words < 4; --j) {
                const Tok& tj = toks[j - 1];
                if (tj.kind != TokKind::word) break;
                if (const auto m = p.nouns.match_ending(toks, j >= 4 ? j - 4 : 0, j); m.length) {
                    if (p.noun_of[m.payload].cls != "people") c.noun = &p.noun_of[m.payload];
                    break;
                }
                ++words;
            }
        }
        if (!c.noun && !c.unit && ci > 0 && cs[ci - 1].noun && !c.article && !c.small_words) {
            c.noun = cs[ci - 1].noun; // a list continues: "to Aleppo province - about 1,200"
            c.unit = cs[ci - 1].unit;
        }
        if (c.small_words && !c.noun && !c.unit) c.value = -1; // "one of", "five years": not a figure
        if (c.dot3) {
            const bool measure = c.unit && (c.unit->unit != "sets" && c.unit->unit != "pieces");
            if (!measure) c.value = c.dot3_thousands;
        }
    }
    // Articles count only inside a list of facilities with other figures.
    bool facility_list = false;
    for (const auto& c : cs)
        if (!c.article && c.noun && c.noun->cls == "facility") facility_list = true;
    cs.erase(std::remove_if(cs.begin(), cs.end(),
                            [&](const Cand& c) { return c.value < 0 || (c.article && !facility_list); }),
             cs.end());
    if (cs.empty()) return;

    // Category, subcategory, unit: from the noun or unit, then the cues of the sentence.
    // Every table is matched once per token of the sentence; each figure then consults these
    // arrays within a bounded window, so a sentence costs O(tokens + figures * window).
    std::vector<std::pair<std::size_t, PhraseTable::Match>> cues; // sorted by token
    std::vector<std::uint32_t> status_at(n, 0);                    // payload + 1, 0: none
    for (std::size_t k = 0; k < n; ++k) {
        for (const auto& m : p.cues.match_all(toks, k, n)) cues.emplace_back(k, m);
        if (const auto m = p.statuses.match(toks, k, n); m.length) status_at[k] = m.payload + 1;
    }
    constexpr std::size_t kStatusWindow = 30, kCueWindow = 40;
    // next_status[k]: first token >= k starting a status phrase (n: none); prev_status[k]: last
    // token < k starting one (SIZE_MAX: none).
    std::vector<std::size_t> next_status(n + 1, n), prev_status(n + 1, SIZE_MAX);
    for (std::size_t k = n; k-- > 0;) next_status[k] = status_at[k] ? k : next_status[k + 1];
    for (std::size_t k = 1; k <= n; ++k) prev_status[k] = status_at[k - 1] ? k - 1 : prev_status[k - 1];
    for (auto& c : cs) {
        if (c.noun) {
            c.category = c.noun->category;
            c.subcategory = c.noun->subcategory;
            c.unit_name = c.noun->unit;
            c.cls = c.noun->cls;
        }
        if (c.unit) {
            if (!c.noun || c.noun->category != "aid") {
                c.category = c.unit->category;
                c.subcategory = c.unit->subcategory;
            }
            c.unit_name = c.unit->unit;
            c.cls = c.unit->unit == "percent" ? "share" : c.unit->category == "aid" ? "aid" : "measure";
        }
        if (!c.noun && !c.unit) {
            c.category = "other";
            std::string head;
            for (std::size_t j = c.te; j < n && j < c.te + 2 && toks[j].kind == TokKind::word; ++j)
                head += (head.empty() ? "" : "_") + toks[j].fold;
            c.subcategory = head.empty() ? "count" : head;
            c.unit_name = head.empty() ? "items" : head;
            c.cls = "count";
        }
        // Cues: the nearest one that applies to this class.
        long best = 1 << 30;
        const auto cue_from = std::lower_bound(
            cues.begin(), cues.end(), c.tb > kCueWindow ? c.tb - kCueWindow : 0,
            [](const std::pair<std::size_t, PhraseTable::Match>& x, std::size_t v) { return x.first < v; });
        for (auto cit = cue_from; cit != cues.end() && cit->first <= c.te + kCueWindow; ++cit) {
            const auto& [k, m] = *cit; // the same clause, roughly
            const auto& cue = p.cue_of[m.payload];
            if (std::find(cue.classes.begin(), cue.classes.end(), c.cls) == cue.classes.end()) continue;
            if (cue.category == "returns" && cue.subcategory == "idp" && c.category != "returns") continue;
            const long dist = k >= c.te ? static_cast<long>(k - c.te) : k < c.tb ? static_cast<long>(c.tb - k) : 0;
            if (dist < best) {
                best = dist;
                c.category = cue.category;
                if (!cue.subcategory.empty()) c.subcategory = cue.subcategory;
                else if (cue.category == "capacity") c.subcategory = c.cls == "vehicle" ? "vehicles" : "people";
            }
        }
        // Status: the first status phrase after the noun, else the last one before.
        const std::size_t s0 = std::min(c.noun_end ? c.noun_end : c.te, n);
        if (const auto k = next_status[s0]; k < n && k < s0 + kStatusWindow)
            c.status = p.status_of[status_at[k] - 1];
        else if (const auto k2 = prev_status[c.tb]; k2 != SIZE_MAX && k2 + kStatusWindow >= c.tb)
            c.status = p.status_of[status_at[k2] - 1];
        // A zone around a place: "the 55-kilometre zone around the base at al-Tanf".
        if (c.unit && c.unit->unit == "km") {
            std::size_t k = c.noun_end;
            if (k < n && is(toks[k].fold, "\"")) ++k;
            if (const auto r = p.relations.match(toks, k, n); r.length) {
                const auto& rel = p.relation_of[r.payload];
                if (rel == "zone") {
                    c.zone = true;
                    c.category = "other";
                    c.subcategory = "zone_radius";
                    c.relation = "zone " + fmt_value(c.value) + " km around";
                } else if (rel == "offset") {
                    c.offset = true;
                    c.rel_end = k + r.length;
                    c.relation = fmt_value(c.value) + " km ";
                    for (std::size_t j = k; j < k + r.length; ++j) c.relation += toks[j].fold + (j + 1 < k + r.length ? " " : "");
                }
            }
        }
    }
    // Children: figures in parentheses right after a figure ("2,156 people (647 women ...)").
    {
        int depth = 0, parent = -1;
        std::size_t ci = 0, done_from = SIZE_MAX;
        std::vector<std::vector<std::uint32_t>> ending(n + 1); // figures whose number or noun ends here
        for (std::size_t q = 0; q < cs.size(); ++q) {
            if (cs[q].te <= n) ending[cs[q].te].push_back(static_cast<std::uint32_t>(q));
            if (cs[q].noun_end <= n && cs[q].noun_end != cs[q].te)
                ending[cs[q].noun_end].push_back(static_cast<std::uint32_t>(q));
        }
        for (std::size_t k = 0; k < n; ++k) {
            while (ci < cs.size() && cs[ci].tb == k) {
                if (depth > 0 && parent >= 0 && static_cast<std::size_t>(parent) != ci) cs[ci].parent = parent;
                ++ci;
            }
            if (is(toks[k].fold, ":") && depth == 0 && ci > 0 && ci < cs.size() && ci < done_from) {
                // "210 tons to the camp: flour - 120 tons, ...": a breakdown of the figure before.
                std::size_t q = ci;
                while (q > 0 && cs[q - 1].parent >= 0) --q;
                if (q > 0) {
                    for (std::size_t r2 = ci; r2 < cs.size(); ++r2)
                        if (cs[r2].parent < 0) cs[r2].parent = static_cast<int>(q - 1);
                    done_from = ci; // every later figure has a parent now
                }
            }
            if (is(toks[k].fold, "(")) {
                if (depth == 0) {
                    parent = -1;
                    for (const auto q : ending[k])
                        if (cs[q].parent < 0) parent = std::max(parent, static_cast<int>(q));
                }
                ++depth;
            } else if (is(toks[k].fold, ")") && depth > 0) {
                --depth;
            }
        }
    }
    // "20 km east of X": X is the anchor of whatever the sentence locates there; the distance is
    // not a figure of its own but the mention's relation.
    for (const auto& c : cs) {
        if (!c.offset) continue;
        for (auto& m : ms)
            if (m.tb == c.rel_end || (m.tb == c.rel_end + 1 && c.rel_end < n && is(toks[c.rel_end].fold, "the")))
                { m.relation = c.relation; m.role = "in"; }
    }
    // Places: a label before a dash, then mentions after the figure, then before it.
    std::vector<std::size_t> mains;
    for (std::size_t ci = 0; ci < cs.size(); ++ci)
        if (cs[ci].parent < 0 && !cs[ci].offset) mains.push_back(ci);
    std::vector<bool> taken(ms.size(), false);
    // Mentions are sorted by token and do not overlap: the first one starting (ending) at or
    // after a token is a binary search away, so each figure looks only at its own window.
    auto first_starting = [&](std::size_t k) {
        return static_cast<std::size_t>(
            std::lower_bound(ms.begin(), ms.end(), k, [](const Mention& m, std::size_t v) { return m.tb < v; }) -
            ms.begin());
    };
    auto first_ending = [&](std::size_t k) {
        return static_cast<std::size_t>(
            std::lower_bound(ms.begin(), ms.end(), k, [](const Mention& m, std::size_t v) { return m.te < v; }) -
            ms.begin());
    };
    for (std::size_t mi = 0; mi < mains.size(); ++mi) {
        Cand& c = cs[mains[mi]];
        std::size_t j = c.qb;
        if (j > 0 && (is(toks[j - 1].fold, "-") || is(toks[j - 1].fold, ":"))) {
            for (std::size_t m = first_ending(j >= 2 ? j - 2 : 0); m < ms.size() && ms[m].te <= j; ++m)
                if (!taken[m] && ms[m].te + 1 >= j - 1 && ms[m].te <= j - 1 + 1 && ms[m].tb < j) {
                    c.mentions.push_back(m);
                    taken[m] = true;
                }
        }
    }
    for (std::size_t mi = 0; mi < mains.size(); ++mi) {
        // "two border crossings - Nasib and ...": names listed after the counted noun are the
        // things counted, not where they are.
        Cand& c = cs[mains[mi]];
        if (c.category == "returns" || c.category == "intended_returns" || !c.noun_end) continue;
        const std::size_t k = c.noun_end;
        if (k < n && (is(toks[k].fold, "-") || is(toks[k].fold, ":")))
            for (std::size_t m = first_starting(k + 1); m < ms.size() && ms[m].tb <= k + 3; ++m)
                if (!taken[m]) taken[m] = true;
    }
    for (std::size_t mi = 0; mi < mains.size(); ++mi) {
        Cand& c = cs[mains[mi]];
        if (!c.mentions.empty()) continue;
        const std::size_t seg_end = mi + 1 < mains.size() ? cs[mains[mi + 1]].qb : n;
        for (std::size_t m = first_starting(c.te); m < ms.size() && ms[m].tb < seg_end; ++m)
            if (!taken[m]) { c.mentions.push_back(m); taken[m] = true; }
    }
    for (std::size_t mi = mains.size(); mi-- > 1;) {
        // "1,529 people (...) and 83 vehicles returned to X": coordinated figures share places.
        Cand& c = cs[mains[mi - 1]];
        const Cand& next = cs[mains[mi]];
        if (!c.mentions.empty() || next.mentions.empty()) continue;
        std::size_t k = std::max(c.noun_end, c.te);
        int depth = 0;
        bool only_and = true, saw_and = false;
        for (; k < next.qb; ++k) {
            if (is(toks[k].fold, "(")) ++depth;
            else if (is(toks[k].fold, ")")) --depth;
            else if (depth == 0) {
                if (is(toks[k].fold, "and")) saw_and = true;
                else only_and = false;
            }
        }
        if (only_and && saw_and) c.mentions = next.mentions;
    }
    for (std::size_t mi = 0; mi < mains.size(); ++mi) {
        Cand& c = cs[mains[mi]];
        if (!c.mentions.empty()) continue;
        const std::size_t seg_begin = mi > 0 ? cs[mains[mi - 1]].te : 0;
        for (std::size_t m = first_starting(seg_begin); m < ms.size() && ms[m].te <= c.qb; ++m)
            if (!taken[m]) c.mentions.push_back(m);
    }
    for (std::size_t mi = 1; mi < mains.size(); ++mi) {
        // "X can receive 900 people and 40 vehicles": the second shares the first's places.
        Cand& c = cs[mains[mi]];
        const Cand& prev = cs[mains[mi - 1]];
        if (!c.mentions.empty() || prev.mentions.empty()) continue;
        bool only_and = c.qb > 0;
        for (std::size_t k = std::max(prev.noun_end, prev.te); k < c.qb; ++k)
            if (!is(toks[k].fold, "and")) only_and = false;
        if (only_and && c.qb == std::max(prev.noun_end, prev.te) + 1) c.mentions = prev.mentions;
    }
    // "in the province": the province last named in this section.
    int sentence_gov = -1;
    for (std::size_t k = 0; k + 1 < n; ++k)
        if (is(toks[k].fold, "the") && (is(toks[k + 1].fold, "province") || is(toks[k + 1].fold, "governorate")) &&
            !(k > 0 && toks[k - 1].kind == TokKind::word && toks[k - 1].upper))
            sentence_gov = static_cast<int>(k);

    // The period: stated in the sentence, or carried from an earlier sentence of the section.
    PeriodState ps;
    period_of(toks, line, ps);
    const bool explicit_period = ps.set;
    if (ps.set) period_state = ps;

    for (auto& c : cs) {
        if (c.offset) continue;
        PeriodState use;
        if (explicit_period) use = ps;
        else if (period_state.set && period_state.section == line.section &&
                 ((period_state.categories & cat_bit(c.category)) ||
                  (period_state.categories == 0 && period_state.paragraph == line.paragraph)))
            use = period_state;
        emit(toks, sb, se, c, ms, line, use, explicit_period || use.set, sentence_gov);
        if (explicit_period || use.set) period_state.categories |= cat_bit(c.category);
    }
    // Children copy their parent's places.
    for (auto& c : cs) {
        if (c.parent < 0 || c.record == SIZE_MAX) continue;
        const Cand& pc = cs[static_cast<std::size_t>(c.parent)];
        if (pc.record == SIZE_MAX) continue;
        const ExtractedRecord& pr = out.records[pc.record];
        ExtractedRecord& cr = out.records[c.record];
        cr.record.place = pr.record.place;
        cr.record.via = pr.record.via;
        cr.record.origin = pr.record.origin;
        cr.record.destination = pr.record.destination;
        cr.place_id = pr.place_id;
        cr.precision = pr.precision;
        cr.relation = pr.relation;
        if (cr.record.category == pr.record.category || cr.record.category == "returns") {
            cr.record.period = pr.record.period;
            cr.record.period_start = pr.record.period_start;
            cr.record.period_end = pr.record.period_end;
        }
    }
    for (const auto& m : ms) {
        if (m.role == "of" || m.role == "via" || m.foreign || m.country || m.places.empty() || !m.places[0]) continue;
        carry = m.places[0];
        carry_written = m.text;
        break;
    }
    for (const auto& m : ms)
        if (m.governorate && m.names.size() == 1) { sec.last_gov = m.places[0]; sec.last_gov_written = m.names[0]; }
    for (const auto& m : ms)
        for (const Place* pl : m.places)
            if (pl && pl->kind == Kind::governorate && !pl->admin1.empty()) {
                const int c = ++gov_count[pl->admin1];
                if (c > doc_gov_n) { doc_gov_n = c; doc_gov = pl->admin1; }
            }
}

void Extractor::Impl::Doc::emit(Toks toks, std::size_t sb, std::size_t se, Cand& c,
                                const std::vector<Mention>& ms, const Line& line, const PeriodState& ps,
                                bool has_period, int sentence_gov) {
    const Section& sec = sections[static_cast<std::size_t>(line.section)];
    ExtractedRecord er;
    Record& r = er.record;
    char id[32];
    std::snprintf(id, sizeof id, "-%04d", ++record_no);
    r.record_id = doc_prefix(out.doc_id) + id;
    r.doc_id = out.doc_id;
    r.as_of = date ? iso(*date) : "";
    r.source = opt.source;
    r.claimant = sec.claimant;
    r.category = c.category;
    r.subcategory = c.subcategory.empty() ? "total" : c.subcategory;
    r.value = c.value;
    r.qualifier = c.qualifier;
    if (c.qualifier == "exact") { r.value_low = c.value; r.value_high = c.value; }
    else if (c.qualifier == "more_than" || c.qualifier == "at_least") r.value_low = c.value;
    else if (c.qualifier == "up_to") r.value_high = c.value;
    r.unit = c.unit_name.empty() ? "items" : c.unit_name;
    r.status = c.status;
    // Period.
    const auto cat = p.categories.find(c.category);
    std::string period = has_period ? ps.period : "";
    if (period == "as_of") period = cat != p.categories.end() ? cat->second.as_of_period : "point_in_time";
    if (period.empty()) period = cat != p.categories.end() ? cat->second.default_period : "point_in_time";
    r.period = period;
    if (has_period && ps.anchor != "rate") {
        if (ps.has_start) r.period_start = iso(ps.start);
        if (ps.has_end) r.period_end = iso(ps.end);
    }
    if (!has_period && period == "cumulative" && date) r.period_end = iso(*date);
    if (period == "point_in_time") { r.period_start.clear(); r.period_end.clear(); }
    if (period == "cumulative" && r.period_end.empty() && date && ps.anchor != "year_end") r.period_end = iso(*date);

    // Places.
    const std::vector<std::size_t>* mine = &c.mentions;
    std::vector<std::size_t> parent_mentions;
    std::string place, place_ids, via, origin, destination;
    const Place* place_pl = nullptr;
    auto join_names = [&](const Mention& m) {
        std::string s;
        for (const auto& nm : m.names) s += (s.empty() ? "" : "|") + nm;
        return s;
    };
    auto ids_of = [&](const Mention& m) {
        std::string s;
        for (const Place* pl : m.places) s += (s.empty() ? "" : "|") + (pl ? pl->id : std::string());
        return s;
    };
    const Mention* place_m = nullptr;
    const Mention* dest_m = nullptr;
    const Mention* in_m = nullptr;
    for (std::size_t mi : *mine) {
        const Mention& m = ms[mi];
        const bool cross = m.crossing && c.category == "returns";
        if (m.role == "via" || (cross && m.role != "from" && m.role != "to")) {
            via += (via.empty() ? "" : "|") + join_names(m);
        } else if (m.role == "from") {
            origin += (origin.empty() ? "" : "|") + join_names(m);
            if (!in_m && c.category == "intended_returns") in_m = &m;
        } else if (m.role == "to") {
            destination += (destination.empty() ? "" : "|") + join_names(m);
            if (!dest_m) dest_m = &m;
        } else if (m.role == "in" || m.role == "subject" ||
                   (m.role == "of" && m.camp && c.category != "returns")) {
            if (!in_m && !m.foreign) in_m = &m;
        }
    }
    if (c.category == "returns") {
        if (dest_m && !dest_m->country && !dest_m->foreign) place_m = dest_m;
        else if (in_m && !in_m->country && !in_m->crossing && !in_m->camp) {
            place_m = in_m;
            if (destination.empty()) destination = join_names(*in_m);
        }
        if (!place_m && sentence_gov >= 0 && sec.last_gov && sentence_gov > 0 &&
            (is(toks[static_cast<std::size_t>(sentence_gov) - 1].fold, "to") ||
             is(toks[static_cast<std::size_t>(sentence_gov) - 1].fold, "in"))) {
            // "returned to the province": the province last named in this section.
            place = sec.last_gov_written;
            place_pl = sec.last_gov;
            place_ids = place_pl->id;
            if (destination.empty()) destination = place;
        }
        if (!place_m && place.empty() && destination.empty()) {
            // Counted at a checkpoint inside the country: the checkpoint is the finest place known.
            for (std::size_t mi : *mine)
                if (ms[mi].checkpoint && !ms[mi].foreign && ms[mi].role != "to") { place_m = &ms[mi]; break; }
        }
        if (!origin.empty()) {
            bool foreign_origin = false;
            for (std::size_t mi : *mine)
                if (ms[mi].role == "from" && ms[mi].foreign) foreign_origin = true;
            if (foreign_origin && (r.subcategory == "total" || r.subcategory == "idp")) r.subcategory = "from_abroad";
            if (foreign_origin && destination.empty()) destination = opt.country;
        }
    } else if (c.category == "intended_returns") {
        if (in_m && !in_m->country) place_m = in_m;
    } else {
        if (in_m && !in_m->country) place_m = in_m;
        else if (dest_m && !dest_m->country && !dest_m->foreign) place_m = dest_m;
        else if (in_m) place_m = in_m;
    }
    if (c.zone) {
        // The anchor of the zone is the place; its precision is coarser.
        er.relation = c.relation;
    }
    if (er.relation.empty() && place_m && !place_m->relation.empty()) {
        // "20 km east of X", "near the checkpoint": X is the anchor, the figure is off it.
        er.relation = place_m->relation;
    }
    if (!place.empty()) {
        // set above (a province named earlier)
    } else if (place_m) {
        place = place_m->text;
        place_ids = ids_of(*place_m);
        place_pl = place_m->places.empty() ? nullptr : place_m->places.front();
        if (place_m->names.size() > 1 && !place_m->places.empty()) place_pl = place_m->places.front();
    } else if (c.category != "returns" && sentence_gov >= 0 && sec.last_gov) {
        place = sec.last_gov_written;
        place_pl = sec.last_gov;
        place_ids = place_pl->id;
    } else if (c.category != "returns" && carry) {
        place = carry_written;
        place_pl = carry;
        place_ids = carry->id;
    } else if (c.category != "returns" && sec.place) {
        place = sec.place_written;
        place_pl = sec.place;
        place_ids = sec.place->id;
    } else {
        place = opt.country;
        if (im.geo) {
            place_pl = resolve(opt.country, UINT32_MAX);
            if (place_pl) place_ids = place_pl->id;
        }
    }
    r.place = place;
    r.via = via;
    r.origin = origin;
    r.destination = destination;
    er.place_id = place_ids;
    Precision prec = place_pl ? precision_of(place_pl->kind) : Precision::unresolved;
    if (place_m && place_m->names.size() > 1) prec = std::max(prec, Precision::governorate);
    if (!er.relation.empty()) prec = coarser(prec);
    er.precision = std::string(to_string(prec));
    // Provenance.
    r.locator = std::to_string(toks[c.qb].b) + "-" + std::to_string(toks[c.te - 1].e); // bytes for now
    er.sentence_start = sb;
    er.sentence_end = se;
    if (c.words) r.note = "number written in words";
    if (c.article) r.note = "count given by the article '" + toks[c.tb].fold + "'";
    if (c.dot3 && c.value == c.dot3_thousands) r.note = "a dot read as thousands separator";
    out.records.push_back(std::move(er));
    c.record = out.records.size() - 1;
}

void Extractor::Impl::run(std::string_view text, Extraction& out, const ExtractOptions& opt) const {
    Doc d(*this, text, opt, out);
    d.classify_lines();
    if (opt.prefer_text_date) d.find_date();
    if (d.date) {
        out.date = iso(*d.date);
        out.date_basis = "text";
    } else if (!opt.date.empty()) {
        d.date = parse_iso(opt.date);
        if (!d.date) throw UsageError("--date '" + opt.date + "' is not a date (YYYY-MM-DD)");
        out.date = opt.date;
        out.date_basis = "option";
    } else {
        out.date_basis = "none";
    }
    // The bulletin's own governorate: the most named one, as context for ambiguous names.
    d.run_sentences();
    // Byte offsets -> code point offsets (the locator convention of data/records.csv).
    std::vector<std::size_t> offs;
    for (const auto& er : out.records) {
        const auto& loc = er.record.locator;
        const auto dash = loc.find('-');
        offs.push_back(std::stoul(loc.substr(0, dash)));
        offs.push_back(std::stoul(loc.substr(dash + 1)));
        offs.push_back(er.sentence_start);
        offs.push_back(er.sentence_end);
    }
    std::vector<std::size_t> sorted = offs;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    std::unordered_map<std::size_t, std::size_t> cp;
    std::size_t count = 0, pos = 0;
    for (std::size_t o : sorted) {
        for (; pos < o && pos < text.size(); ++pos)
            if ((static_cast<unsigned char>(text[pos]) & 0xC0) != 0x80) ++count;
        cp[o] = count;
    }
    for (auto& er : out.records) {
        auto& loc = er.record.locator;
        const auto dash = loc.find('-');
        const auto b = cp[std::stoul(loc.substr(0, dash))], e = cp[std::stoul(loc.substr(dash + 1))];
        loc = out.doc_id + ":" + std::to_string(b) + "-" + std::to_string(e);
        er.sentence_start = cp[er.sentence_start];
        er.sentence_end = cp[er.sentence_end];
    }
    if (out.records.empty() && out.reason.empty()) out.reason = "no figures found";
}

Extractor::Extractor(std::shared_ptr<const ExtractPatterns> patterns, const Geocoder* geocoder)
    : impl_(std::make_unique<Impl>()) {
    impl_->pat = std::move(patterns);
    impl_->geo = geocoder;
    if (geocoder) impl_->scanner = std::make_unique<PlaceScanner>(geocoder->gazetteer());
    else impl_->scanner = std::make_unique<PlaceScanner>(Gazetteer{});
}

Extractor::~Extractor() = default;

Extraction Extractor::extract(std::string_view text, const std::string& doc_id,
                              const ExtractOptions& opt, const std::string& name) const {
    Extraction out;
    out.doc_id = doc_id;
    const std::string file = name.empty() ? doc_id : name;
    auto line_of = [&](std::size_t off) {
        return static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<long>(off), '\n')) + 1;
    };
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        out.reason = text.empty() ? "empty file" : "only white space";
        out.date_basis = "none";
        return out;
    }
    if (const auto nul = text.find('\0'); nul != std::string_view::npos)
        throw InputError(file, line_of(nul), "binary data (a NUL byte at byte " + std::to_string(nul) +
                                                 "); expected a plain-text bulletin");
    if (const auto bad = first_invalid_utf8(text); bad != std::string_view::npos) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[bad]));
        throw InputError(file, line_of(bad), std::string("not UTF-8 (byte ") + hex + " at byte " +
                                                 std::to_string(bad) +
                                                 "); convert it first, e.g. iconv -f WINDOWS-1252 -t UTF-8");
    }
    std::size_t controls = 0;
    for (std::size_t i = 0; i < std::min<std::size_t>(text.size(), 4096); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') ++controls;
    }
    if (controls > 16) throw InputError(file, 0, "binary data (control bytes); expected a plain-text bulletin");
    impl_->run(text, out, opt);
    return out;
}

Extraction Extractor::extract_file(const std::string& path, const ExtractOptions& opt) const {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path, 0, std::filesystem::exists(path) ? "cannot be read" : "no such file");
    std::ostringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    return extract(text, std::filesystem::path(path).stem().string(), opt, path);
}

} // namespace sitmap
