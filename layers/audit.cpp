#include "layers/audit.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <set>

namespace sitmap {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Range {
    double lo = 0, hi = 0;
};

Range range_of(const Record& r) {
    const double v = r.value.value_or(0);
    if (r.qualifier == "more_than" || r.qualifier == "at_least") return {v, kInf};
    if (r.qualifier == "up_to") return {0, v};
    return {v, v};
}

bool open_ended(const Record& r) { return range_of(r).hi == kInf || r.qualifier == "up_to"; }

std::string num(double v) {
    char buf[64];
    if (std::fabs(v - std::round(v)) < 1e-9) {
        std::snprintf(buf, sizeof buf, "%.0f", v);
        std::string s = buf, out;
        const bool neg = s[0] == '-';
        if (neg) s.erase(0, 1);
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (i > 0 && (s.size() - i) % 3 == 0) out += ',';
            out += s[i];
        }
        return (neg ? "-" : "") + out;
    }
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

std::string stated(const Record& r) {
    std::string q;
    if (r.qualifier == "more_than") q = "more than ";
    else if (r.qualifier == "at_least") q = "at least ";
    else if (r.qualifier == "approx") q = "about ";
    else if (r.qualifier == "up_to") q = "up to ";
    return q + num(r.value.value_or(0)) + " (" + r.record_id + ")";
}

struct Ctx {
    const std::vector<Record>& rec;
    const std::vector<Located>& loc;
    const std::vector<Zone>& zones;
    std::vector<AuditRow> rows;

    bool national(std::size_t i) const {
        return loc[i].precision == Precision::country && rec[i].via.empty();
    }
    std::string place_key(std::size_t i) const {
        std::string k;
        for (const Place* p : loc[i].places) k += p->id + "|";
        return k.empty() ? rec[i].place : k;
    }
    std::string period_key(std::size_t i) const {
        const Record& r = rec[i];
        return r.period + "|" + r.period_start + "|" + r.period_end;
    }
    void add(std::string rule, std::string severity, std::vector<std::size_t> ids,
             std::optional<double> a, std::optional<double> b, std::string msg) {
        AuditRow row{std::move(rule), std::move(severity), {}, a, b, std::move(msg)};
        for (auto i : ids) row.records.push_back(rec[i].record_id);
        rows.push_back(std::move(row));
    }
};

// Compares a stated total with the sum of its parts, with the bounds the qualifiers give.
void compare_sum(Ctx& c, const char* rule, std::size_t total, const std::vector<std::size_t>& parts,
                 const std::string& what) {
    const Record& t = c.rec[total];
    double sum = 0, lo = 0, hi = 0;
    bool part_open = false;
    std::string list;
    for (auto p : parts) {
        sum += c.rec[p].value.value_or(0);
        const Range r = range_of(c.rec[p]);
        lo += r.lo;
        hi += r.hi;
        part_open |= open_ended(c.rec[p]);
        list += (list.empty() ? "" : " + ") + stated(c.rec[p]);
    }
    const Range tr = range_of(t);
    std::vector<std::size_t> ids{total};
    ids.insert(ids.end(), parts.begin(), parts.end());
    const double diff = t.value.value_or(0) - sum;
    std::string msg = what + ": " + stated(t) + " against " + list + " = " + num(sum);
    if (std::fabs(diff) < 1e-6) {
        c.add(rule, "ok", ids, t.value, sum, msg + "; adds up");
    } else if (tr.lo <= hi && lo <= tr.hi) {
        const bool exact_total = !open_ended(t) && t.qualifier != "approx";
        if (exact_total && part_open)
            c.add(rule, "note", ids, t.value, sum,
                  msg + "; the stated parts are " + num(std::fabs(diff)) +
                      (diff > 0 ? " short" : " over") +
                      " of an exact total and agree only through an open bound ('" +
                      "more than')");
        else
            c.add(rule, "ok", ids, t.value, sum, msg + "; agrees within the stated bounds");
    } else {
        std::string gap = "; " + std::string(diff > 0 ? "the parts are " : "the parts exceed it by ") +
                          num(std::fabs(diff)) + (diff > 0 ? " short" : "");
        // Name a record of the same document and kind whose value equals the gap.
        for (std::size_t k = 0; k < c.rec.size(); ++k) {
            const Record& o = c.rec[k];
            if (k == total || std::find(parts.begin(), parts.end(), k) != parts.end()) continue;
            if (o.doc_id == t.doc_id && o.category == t.category &&
                o.subcategory == t.subcategory && o.unit == t.unit && o.value &&
                std::fabs(*o.value - std::fabs(diff)) < 1e-6) {
                gap += "; the gap equals " + stated(o) + ", which the parts do not list";
                ids.push_back(k);
            }
        }
        c.add(rule, "inconsistent", ids, t.value, sum, msg + gap);
    }
}

void rule_split(Ctx& c) {
    std::map<std::string, std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < c.rec.size(); ++i) {
        const Record& r = c.rec[i];
        if (r.category != "returns" && r.category != "intended_returns") continue;
        if (!r.via.empty()) continue;
        const std::string origin = r.category == "intended_returns" ? r.origin : "";
        groups[r.doc_id + "|" + r.category + "|" + r.unit + "|" + c.period_key(i) + "|" +
               c.place_key(i) + "|" + origin]
            .push_back(i);
    }
    for (const auto& [key, g] : groups) {
        for (auto t : g) {
            if (c.rec[t].subcategory != "total") continue;
            std::vector<std::size_t> parts;
            if (c.rec[t].category == "returns") {
                std::vector<std::size_t> idp, abroad;
                for (auto p : g) {
                    if (c.rec[p].subcategory == "idp") idp.push_back(p);
                    if (c.rec[p].subcategory == "from_abroad") abroad.push_back(p);
                }
                if (idp.size() != 1 || abroad.size() != 1) continue;
                parts = {idp[0], abroad[0]};
                compare_sum(c, "split", t, parts, "total returns against IDPs + from abroad");
            } else {
                for (auto p : g)
                    if (c.rec[p].subcategory == "by_destination") parts.push_back(p);
                if (parts.size() < 2) continue;
                compare_sum(c, "split", t, parts, "intended returns against their destinations");
            }
        }
    }
}

void rule_places(Ctx& c) {
    std::map<std::string, std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < c.rec.size(); ++i) {
        const Record& r = c.rec[i];
        if (r.category != "returns" || r.period == "cumulative" || r.period == "point_in_time")
            continue;
        groups[r.doc_id + "|" + r.subcategory + "|" + r.unit + "|" + c.period_key(i)].push_back(i);
    }
    for (const auto& [key, g] : groups) {
        std::vector<std::size_t> nat, parts;
        for (auto i : g) (c.national(i) ? nat : parts).push_back(i);
        if (nat.size() != 1 || parts.size() < 2) continue;
        compare_sum(c, "places", nat[0], parts,
                    "national " + c.rec[nat[0]].subcategory + " returns (" +
                        c.rec[nat[0]].period + ") against the places and crossings listed");
    }
}

// The figure a group of same-period records gives for the country: its national record, or the
// sum of its records by crossing.
std::optional<std::pair<double, std::vector<std::size_t>>> national_figure(
    const Ctx& c, const std::vector<std::size_t>& g) {
    std::vector<std::size_t> nat, via;
    for (auto i : g) {
        if (c.national(i)) nat.push_back(i);
        else if (!c.rec[i].via.empty() && c.loc[i].precision == Precision::country) via.push_back(i);
    }
    if (nat.size() == 1) return std::make_pair(*c.rec[nat[0]].value, nat);
    if (nat.empty() && via.size() >= 2) {
        double s = 0;
        for (auto i : via) s += *c.rec[i].value;
        return std::make_pair(s, via);
    }
    return std::nullopt;
}

void rule_two_periods(Ctx& c) {
    // doc|subcategory|unit -> period kind -> records
    std::map<std::string, std::map<std::string, std::vector<std::size_t>>> groups;
    for (std::size_t i = 0; i < c.rec.size(); ++i) {
        const Record& r = c.rec[i];
        if (r.category != "returns") continue;
        if (r.period != "day" && r.period != "week" && r.period != "month") continue;
        groups[r.doc_id + "|" + r.subcategory + "|" + r.unit][c.period_key(i)].push_back(i);
    }
    for (const auto& [key, periods] : groups) {
        for (auto a = periods.begin(); a != periods.end(); ++a) {
            for (auto b = std::next(a); b != periods.end(); ++b) {
                const auto fa = national_figure(c, a->second), fb = national_figure(c, b->second);
                if (!fa || !fb) continue;
                const Record& ra = c.rec[fa->second[0]];
                const Record& rb = c.rec[fb->second[0]];
                if (ra.period == rb.period) continue;
                if (std::fabs(fa->first - fb->first) > 1e-6) continue;
                std::vector<std::size_t> ids = fa->second;
                ids.insert(ids.end(), fb->second.begin(), fb->second.end());
                std::string la, lb;
                for (auto i : fa->second) la += (la.empty() ? "" : " + ") + stated(c.rec[i]);
                for (auto i : fb->second) lb += (lb.empty() ? "" : " + ") + stated(c.rec[i]);
                c.add("two_periods", "inconsistent", ids, fa->first, fb->first,
                      ra.subcategory + " returns: the same figure " + num(fa->first) +
                          " is given for a " + ra.period + " (" + la + ") and for a " +
                          rb.period + " (" + lb + ")");
            }
        }
    }
}

void rule_qualified(Ctx& c) {
    std::map<std::string, std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < c.rec.size(); ++i) {
        const Record& r = c.rec[i];
        groups[r.doc_id + "|" + r.category + "|" + r.subcategory + "|" + r.unit + "|" +
               r.value_text() + "|" + c.period_key(i) + "|" + c.place_key(i) + "|" + r.origin +
               "|" + r.destination + "|" + r.via]
            .push_back(i);
    }
    for (const auto& [key, g] : groups) {
        if (g.size() < 2) continue;
        std::set<std::string> quals, claimants;
        for (auto i : g) {
            quals.insert(c.rec[i].qualifier);
            claimants.insert(c.rec[i].claimant);
        }
        if (quals.size() < 2) continue; // the same words from two speakers are not a conflict
        std::string list;
        for (auto i : g)
            list += (list.empty() ? "" : " and ") + stated(c.rec[i]) + " attributed to " +
                    c.rec[i].claimant;
        c.add("qualified", "note", g, c.rec[g[0]].value, c.rec[g[1]].value,
              c.rec[g[0]].category + " " + c.rec[g[0]].subcategory +
                  ": one statement given twice, qualified differently: " + list);
    }
}

// Subcategories that measure one and the same quantity.
bool same_quantity(const std::string& a, const std::string& b) {
    static const std::set<std::string> whole = {"total", "want_to_leave"};
    return whole.count(a) && whole.count(b);
}

void rule_two_figures(Ctx& c) {
    for (std::size_t i = 0; i < c.rec.size(); ++i) {
        for (std::size_t j = i + 1; j < c.rec.size(); ++j) {
            const Record& a = c.rec[i];
            const Record& b = c.rec[j];
            if (a.doc_id != b.doc_id || a.category != b.category || a.unit != b.unit ||
                a.category != "intended_returns" || c.place_key(i) != c.place_key(j) ||
                c.period_key(i) != c.period_key(j) || !same_quantity(a.subcategory, b.subcategory))
                continue;
            if (std::fabs(*a.value - *b.value) < 1e-6) continue;
            c.add("two_figures", "inconsistent", {i, j}, a.value, b.value,
                  "people at " + a.place + " wanting to leave: given as " + stated(a) + " and " +
                      stated(b) + ", a difference of " + num(std::fabs(*a.value - *b.value)));
        }
    }
}

void rule_population(Ctx& c) {
    for (std::size_t i = 0; i < c.rec.size(); ++i) {
        const Record& a = c.rec[i];
        if (a.category != "intended_returns" || a.unit != "people" || !c.loc[i].point ||
            !same_quantity(a.subcategory, "total"))
            continue;
        for (std::size_t j = 0; j < c.rec.size(); ++j) {
            const Record& p = c.rec[j];
            if (p.category != "camp_population" || p.doc_id != a.doc_id || p.unit != "people")
                continue;
            // The population's area: the zone it names, or its own place.
            bool inside = c.place_key(i) == c.place_key(j);
            for (const auto& z : c.zones)
                for (const Place* pl : c.loc[j].places)
                    if (pl->name == z.def.name || pl->id == z.def.centre_id)
                        inside = inside || z.contains(*c.loc[i].point);
            if (!inside) continue;
            const Range pr = range_of(p);
            if (*a.value < pr.lo) continue;
            c.add("population", "note", {i, j}, a.value, p.value,
                  "people wanting to leave " + a.place + ", " + stated(a) +
                      ", equal or exceed the whole stated population of " + p.place + ", " +
                      stated(p));
        }
    }
}

void rule_itemised(Ctx& c) {
    for (std::size_t t = 0; t < c.rec.size(); ++t) {
        const Record& tot = c.rec[t];
        if (tot.category != "aid" || tot.subcategory != "total") continue;
        std::vector<std::size_t> same, other;
        for (std::size_t k = 0; k < c.rec.size(); ++k) {
            const Record& r = c.rec[k];
            if (k == t || r.doc_id != tot.doc_id || r.category != "aid" ||
                c.place_key(k) != c.place_key(t) || c.period_key(k) != c.period_key(t) ||
                r.subcategory == "total")
                continue;
            (r.unit == tot.unit ? same : other).push_back(k);
        }
        if (same.empty()) continue;
        double sum = 0;
        std::string list;
        for (auto k : same) {
            sum += *c.rec[k].value;
            list += (list.empty() ? "" : " + ") + stated(c.rec[k]);
        }
        std::vector<std::size_t> ids{t};
        ids.insert(ids.end(), same.begin(), same.end());
        const std::string msg = "aid " + tot.unit + ": total " + stated(tot) + " against " + list +
                                " = " + num(sum);
        if (std::fabs(sum - *tot.value) < 1e-6)
            c.add("itemised", "ok", ids, tot.value, sum, msg + "; adds up");
        else if (sum > *tot.value)
            c.add("itemised", "inconsistent", ids, tot.value, sum, msg + "; the items exceed it");
        else if (!other.empty())
            c.add("itemised", "note", ids, tot.value, sum,
                  msg + "; " + num(*tot.value - sum) + " " + tot.unit + " not itemised (" +
                      std::to_string(other.size()) +
                      " other items are counted in other units): incomplete, not contradictory");
        else
            c.add("itemised", "inconsistent", ids, tot.value, sum, msg + "; the items fall short");
    }
}

void rule_subsets(Ctx& c) {
    std::map<std::string, std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < c.rec.size(); ++i) {
        const Record& r = c.rec[i];
        if (r.category != "returns") continue;
        groups[r.doc_id + "|" + r.place + "|" + r.via + "|" + r.origin + "|" + r.destination +
               "|" + c.period_key(i) + "|" + r.unit]
            .push_back(i);
    }
    for (const auto& [key, g] : groups) {
        std::optional<std::size_t> whole;
        std::vector<std::size_t> subs;
        for (auto i : g) {
            const auto& s = c.rec[i].subcategory;
            if (s == "women" || s == "children") subs.push_back(i);
            else if (s == "idp" || s == "from_abroad" || s == "total") whole = i;
        }
        if (!whole || subs.empty()) continue;
        double sum = 0;
        std::string list;
        for (auto k : subs) {
            sum += *c.rec[k].value;
            list += (list.empty() ? "" : " + ") + stated(c.rec[k]);
        }
        std::vector<std::size_t> ids{*whole};
        ids.insert(ids.end(), subs.begin(), subs.end());
        const Record& w = c.rec[*whole];
        const bool ok = sum <= range_of(w).hi;
        c.add("subsets", ok ? "ok" : "inconsistent", ids, w.value, sum,
              "women and children " + list + " = " + num(sum) + " against " + stated(w) +
                  (ok ? "; within it" : "; more than the figure they belong to"));
    }
}

std::string start_year(const Record& r) {
    if (!r.period_start.empty()) return r.period_start;
    const auto since = r.note.find("since");
    if (since == std::string::npos) return "";
    for (std::size_t k = since; k + 4 <= r.note.size(); ++k) {
        if ((r.note[k] == '1' || r.note[k] == '2') && std::isdigit(static_cast<unsigned char>(r.note[k + 1])) &&
            std::isdigit(static_cast<unsigned char>(r.note[k + 2])) &&
            std::isdigit(static_cast<unsigned char>(r.note[k + 3])))
            return r.note.substr(k, 4);
    }
    return "";
}

void rule_series(Ctx& c) {
    for (const char* sub : {"total", "idp", "from_abroad"}) {
        std::vector<std::size_t> s;
        for (std::size_t i = 0; i < c.rec.size(); ++i) {
            const Record& r = c.rec[i];
            if (r.category == "returns" && r.subcategory == sub && r.period == "cumulative" &&
                r.unit == "people" && c.national(i) && !r.as_of.empty())
                s.push_back(i);
        }
        if (s.size() < 2) continue;
        std::stable_sort(s.begin(), s.end(),
                         [&](auto a, auto b) { return c.rec[a].as_of < c.rec[b].as_of; });
        bool rising = true;
        for (std::size_t k = 1; k < s.size(); ++k) {
            const Record& a = c.rec[s[k - 1]];
            const Record& b = c.rec[s[k]];
            if (range_of(b).hi < range_of(a).lo) {
                rising = false;
                c.add("series", "inconsistent", {s[k - 1], s[k]}, a.value, b.value,
                      std::string(sub) + " returns fall from " + stated(a) + " on " + a.as_of +
                          " to " + stated(b) + " on " + b.as_of);
            }
        }
        if (rising) {
            std::string list;
            for (auto i : s) list += (list.empty() ? "" : ", ") + c.rec[i].as_of + " " + stated(c.rec[i]);
            c.add("series", "ok", s, c.rec[s.front()].value, c.rec[s.back()].value,
                  std::string("national cumulative ") + sub + " returns rise in date order: " + list);
        }
        if (std::string(sub) != "total") continue;
        // Counts with different starting points: a count that starts later yet is larger than
        // a count that starts earlier, while a third count had already reached a large share
        // by the later start.
        for (auto a : s) {
            for (auto b : s) {
                const Record& ra = c.rec[a];
                const Record& rb = c.rec[b];
                const std::string sa = start_year(ra), sb = start_year(rb);
                if (sa.empty() || sb.empty() || sb.substr(0, 4) <= sa.substr(0, 4)) continue;
                if (rb.as_of <= ra.as_of || range_of(rb).lo <= range_of(ra).lo) continue;
                std::vector<std::size_t> ids{a, b};
                std::string also;
                std::optional<std::size_t> before;
                for (auto k : s)
                    if (c.rec[k].as_of.substr(0, 4) <= sb.substr(0, 4) && k != a && k != b)
                        before = k;
                if (before) {
                    ids.push_back(*before);
                    also = "; by " + c.rec[*before].as_of + " " + stated(c.rec[*before]) +
                           " had already been reported, so a count from " + sb.substr(0, 4) +
                           " onward can only reach this figure if it includes earlier returns";
                }
                c.add("series", "note", ids, ra.value, rb.value,
                      "the same series with different starting points: " + stated(ra) +
                          " since " + sa + " (as of " + ra.as_of + ") against " + stated(rb) +
                          " since " + sb + " (as of " + rb.as_of + ")" + also);
            }
        }
    }
}

void rule_dates(Ctx& c, const std::vector<Document>& docs) {
    std::map<std::string, std::string> date_of;
    for (const auto& d : docs) date_of[d.doc_id] = d.date;
    std::size_t bad = 0;
    for (std::size_t i = 0; i < c.rec.size(); ++i) {
        const Record& r = c.rec[i];
        std::string why;
        if (!r.period_start.empty() && !r.period_end.empty() && r.period_start > r.period_end)
            why = "period_start " + r.period_start + " is after period_end " + r.period_end;
        const std::string& d = date_of[r.doc_id];
        if (!d.empty() && !r.as_of.empty() && r.as_of > d)
            why = "as_of " + r.as_of + " is after the document's date " + d;
        if (!d.empty() && !r.period_end.empty() && r.period_end > d && r.status != "planned" &&
            r.category != "intended_returns" && r.period != "year")
            why = "period_end " + r.period_end + " is after the document's date " + d;
        if (why.empty()) continue;
        ++bad;
        c.add("dates", "inconsistent", {i}, std::nullopt, std::nullopt, why);
    }
    if (bad == 0) {
        c.add("dates", "ok", {}, std::nullopt, std::nullopt,
              "dates in order in all " + std::to_string(c.rec.size()) +
                  " records: period_start <= period_end, as_of and period_end not after the "
                  "document's date");
    }
}

} // namespace

std::vector<AuditRow> audit_records(const std::vector<Record>& records,
                                    const std::vector<Located>& located,
                                    const std::vector<Zone>& zones,
                                    const std::vector<Document>& documents) {
    Ctx c{records, located, zones, {}};
    rule_split(c);
    rule_places(c);
    rule_two_periods(c);
    rule_qualified(c);
    rule_two_figures(c);
    rule_population(c);
    rule_itemised(c);
    rule_subsets(c);
    rule_series(c);
    rule_dates(c, documents);
    return std::move(c.rows);
}

Layer make_audit_layer(const std::vector<AuditRow>& rows) {
    Layer l;
    l.name = "audit";
    l.geometry_type = wkbNone;
    l.fields = {{"audit_id", FieldType::string, "#meta+id"},
                {"rule", FieldType::string, "#indicator+check"},
                {"severity", FieldType::string, "#severity"},
                {"record_ids", FieldType::string, "#meta+records"},
                {"doc_ids", FieldType::string, "#meta+doc"},
                {"stated", FieldType::real, "#indicator+value+stated"},
                {"computed", FieldType::real, "#indicator+value+computed"},
                {"difference", FieldType::real, "#indicator+value+difference"},
                {"message", FieldType::string, "#description"}};
    int n = 0;
    for (const auto& r : rows) {
        char id[16];
        std::snprintf(id, sizeof id, "A%03d", ++n);
        std::string ids, docs;
        std::set<std::string> seen;
        for (const auto& rid : r.records) {
            ids += (ids.empty() ? "" : "|") + rid;
            const std::string doc = rid.substr(0, rid.find('-'));
            if (seen.insert(doc).second) docs += (docs.empty() ? "" : "|") + doc;
        }
        Feature f;
        f.values = {std::string(id), r.rule, r.severity, ids, docs,
                    r.stated ? Value{*r.stated} : Value{},
                    r.computed ? Value{*r.computed} : Value{},
                    r.stated && r.computed ? Value{*r.stated - *r.computed} : Value{},
                    r.message};
        l.features.push_back(std::move(f));
    }
    return l;
}

} // namespace sitmap
