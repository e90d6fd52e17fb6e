#include "layers/where_expr.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <variant>

namespace sitmap {

WhereError::WhereError(std::size_t position, const std::string& what)
    : std::runtime_error("at character " + std::to_string(position) + ": " + what),
      position_(position) {}

std::string list_fields(const std::vector<FieldDef>& fields) {
    std::string s;
    for (const auto& f : fields) s += (s.empty() ? "" : ", ") + f.name;
    return s;
}

namespace {

char fold(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool like_at(std::string_view t, std::size_t ti, std::string_view p, std::size_t pi) {
    // Iterative matcher with single backtrack point for '%'.
    std::size_t star_p = std::string_view::npos, star_t = 0;
    while (ti < t.size()) {
        if (pi < p.size() && p[pi] == '%') {
            star_p = pi++;
            star_t = ti;
        } else if (pi < p.size() && (p[pi] == '_' || fold(p[pi]) == fold(t[ti]))) {
            if (p[pi] == '_') { // one UTF-8 character
                ++ti;
                while (ti < t.size() && (static_cast<unsigned char>(t[ti]) & 0xC0) == 0x80) ++ti;
            } else {
                ++ti;
            }
            ++pi;
        } else if (star_p != std::string_view::npos) {
            pi = star_p + 1;
            ti = ++star_t;
        } else {
            return false;
        }
    }
    while (pi < p.size() && p[pi] == '%') ++pi;
    return pi == p.size();
}

} // namespace

bool like_match(std::string_view text, std::string_view pattern) {
    return like_at(text, 0, pattern, 0);
}

// ---- AST ---------------------------------------------------------------------------------------

namespace where_detail {
using Literal = std::variant<double, std::string>;
enum class NodeKind { and_, or_, not_, cmp, in, like, between, is_null };
enum class Op { eq, ne, lt, le, gt, ge };
enum class Tri { f, t, u };
} // namespace where_detail
using where_detail::NodeKind;
using where_detail::Literal;
using where_detail::Op;
using where_detail::Tri;

struct WhereExpr::Node {
    NodeKind kind;
    std::shared_ptr<const Node> a, b; // and/or/not
    std::size_t field = 0;
    std::string field_name;
    Op op = Op::eq;
    bool negate = false;
    std::vector<Literal> lits; // cmp: 1; in: n; between: 2; like: 1 (the pattern)
};

namespace {

using NodeP = std::shared_ptr<const WhereExpr::Node>;
using Node = WhereExpr::Node;

Tri tri_not(Tri x) { return x == Tri::t ? Tri::f : x == Tri::f ? Tri::t : Tri::u; }

// Compares a feature value with a literal: -1, 0, 1, or nullopt when unknown (NULL or mismatch).
std::optional<int> compare(const Value& v, const Literal& lit) {
    if (std::holds_alternative<std::monostate>(v)) return std::nullopt;
    if (const auto* d = std::get_if<double>(&lit)) {
        double x;
        if (const auto* i = std::get_if<std::int64_t>(&v)) x = static_cast<double>(*i);
        else if (const auto* r = std::get_if<double>(&v)) x = *r;
        else return std::nullopt;
        if (std::isnan(x)) return std::nullopt;
        return x < *d ? -1 : x > *d ? 1 : 0;
    }
    const auto* s = std::get_if<std::string>(&v);
    if (s == nullptr) return std::nullopt;
    const int c = s->compare(std::get<std::string>(lit));
    return c < 0 ? -1 : c > 0 ? 1 : 0;
}

Tri eval(const Node& n, const Feature& f) {
    switch (n.kind) {
    case NodeKind::and_: {
        const Tri x = eval(*n.a, f);
        if (x == Tri::f) return Tri::f;
        const Tri y = eval(*n.b, f);
        if (y == Tri::f) return Tri::f;
        return x == Tri::t && y == Tri::t ? Tri::t : Tri::u;
    }
    case NodeKind::or_: {
        const Tri x = eval(*n.a, f);
        if (x == Tri::t) return Tri::t;
        const Tri y = eval(*n.b, f);
        if (y == Tri::t) return Tri::t;
        return x == Tri::f && y == Tri::f ? Tri::f : Tri::u;
    }
    case NodeKind::not_: return tri_not(eval(*n.a, f));
    default: break;
    }
    const Value& v = n.field < f.values.size() ? f.values[n.field] : Value{};
    const bool null = std::holds_alternative<std::monostate>(v);
    Tri r = Tri::u;
    switch (n.kind) {
    case NodeKind::is_null: r = null ? Tri::t : Tri::f; break;
    case NodeKind::cmp: {
        const auto c = compare(v, n.lits[0]);
        if (!c) return Tri::u;
        bool ok = false;
        switch (n.op) {
        case Op::eq: ok = *c == 0; break;
        case Op::ne: ok = *c != 0; break;
        case Op::lt: ok = *c < 0; break;
        case Op::le: ok = *c <= 0; break;
        case Op::gt: ok = *c > 0; break;
        case Op::ge: ok = *c >= 0; break;
        }
        return ok ? Tri::t : Tri::f;
    }
    case NodeKind::in: {
        if (null) return Tri::u;
        r = Tri::f;
        for (const auto& lit : n.lits) {
            const auto c = compare(v, lit);
            if (!c) { r = Tri::u; continue; }
            if (*c == 0) { r = Tri::t; break; }
        }
        break;
    }
    case NodeKind::between: {
        const auto lo = compare(v, n.lits[0]), hi = compare(v, n.lits[1]);
        if (!lo || !hi) return Tri::u;
        r = *lo >= 0 && *hi <= 0 ? Tri::t : Tri::f;
        break;
    }
    case NodeKind::like: {
        const auto* s = std::get_if<std::string>(&v);
        if (s == nullptr) return Tri::u;
        r = like_match(*s, std::get<std::string>(n.lits[0])) ? Tri::t : Tri::f;
        break;
    }
    default: break;
    }
    return n.negate ? tri_not(r) : r;
}

std::string quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') out += '\'';
        out += c;
    }
    return out + "'";
}

std::string lit_string(const Literal& l) {
    if (const auto* d = std::get_if<double>(&l)) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.17g", *d);
        return buf;
    }
    return quote(std::get<std::string>(l));
}

std::string show(const Node& n) {
    static const char* ops[] = {"=", "!=", "<", "<=", ">", ">="};
    const std::string not_ = n.negate ? "NOT " : "";
    switch (n.kind) {
    case NodeKind::and_: return "(" + show(*n.a) + " AND " + show(*n.b) + ")";
    case NodeKind::or_: return "(" + show(*n.a) + " OR " + show(*n.b) + ")";
    case NodeKind::not_: return "NOT " + show(*n.a);
    case NodeKind::cmp: return n.field_name + " " + ops[int(n.op)] + " " + lit_string(n.lits[0]);
    case NodeKind::is_null: return n.field_name + " IS " + not_ + "NULL";
    case NodeKind::like: return n.field_name + " " + not_ + "LIKE " + lit_string(n.lits[0]);
    case NodeKind::between:
        return n.field_name + " " + not_ + "BETWEEN " + lit_string(n.lits[0]) + " AND " +
               lit_string(n.lits[1]);
    case NodeKind::in: {
        std::string s = n.field_name + " " + not_ + "IN (";
        for (std::size_t i = 0; i < n.lits.size(); ++i)
            s += (i ? ", " : "") + lit_string(n.lits[i]);
        return s + ")";
    }
    }
    return "";
}

// ---- tokenizer ---------------------------------------------------------------------------------

enum class Tok { ident, qident, text, number, op, lparen, rparen, comma, end };

struct Token {
    Tok type;
    std::string text; // identifier (as written), string content, operator
    double number = 0;
    std::size_t pos = 0; // 1-based
};

std::vector<Token> tokenize(std::string_view s) {
    std::vector<Token> out;
    std::size_t i = 0;
    auto is_id0 = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; };
    auto is_id = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    while (true) {
        while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
        Token t{Tok::end, "", 0, i + 1};
        if (i >= s.size()) {
            out.push_back(t);
            return out;
        }
        const char c = s[i];
        if (is_id0(c)) {
            std::size_t j = i;
            while (j < s.size() && is_id(s[j])) ++j;
            t.type = Tok::ident;
            t.text = std::string(s.substr(i, j - i));
            i = j;
        } else if (c == '\'' || c == '"') {
            std::size_t j = i + 1;
            std::string v;
            while (true) {
                if (j >= s.size())
                    throw WhereError(i + 1, std::string("unterminated ") +
                                                (c == '\'' ? "text" : "quoted field name") +
                                                " (missing closing " + c + ")");
                if (s[j] == c) {
                    if (j + 1 < s.size() && s[j + 1] == c) {
                        v += c;
                        j += 2;
                        continue;
                    }
                    ++j;
                    break;
                }
                v += s[j++];
            }
            t.type = c == '\'' ? Tok::text : Tok::qident;
            t.text = v;
            i = j;
        } else if (std::isdigit(static_cast<unsigned char>(c)) ||
                   ((c == '-' || c == '+' || c == '.') && i + 1 < s.size() &&
                    (std::isdigit(static_cast<unsigned char>(s[i + 1])) || s[i + 1] == '.'))) {
            std::size_t j = i + 1;
            while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.' ||
                                    s[j] == 'e' || s[j] == 'E' ||
                                    ((s[j] == '-' || s[j] == '+') &&
                                     (s[j - 1] == 'e' || s[j - 1] == 'E'))))
                ++j;
            const std::string num(s.substr(c == '+' ? i + 1 : i, j - (c == '+' ? i + 1 : i)));
            double v = 0;
            const auto r = std::from_chars(num.data(), num.data() + num.size(), v);
            if (r.ec != std::errc() || r.ptr != num.data() + num.size())
                throw WhereError(i + 1, "malformed number '" + std::string(s.substr(i, j - i)) + "'");
            if (j < s.size() && is_id0(s[j]))
                throw WhereError(j + 1, "unexpected '" + std::string(1, s[j]) + "' after a number");
            t.type = Tok::number;
            t.number = v;
            t.text = std::string(s.substr(i, j - i));
            i = j;
        } else if (c == '(' || c == ')' || c == ',') {
            t.type = c == '(' ? Tok::lparen : c == ')' ? Tok::rparen : Tok::comma;
            t.text = std::string(1, c);
            ++i;
        } else if (c == '=' || c == '!' || c == '<' || c == '>') {
            std::string op(1, c);
            if (i + 1 < s.size()) {
                const char d = s[i + 1];
                if ((c == '=' && d == '=') || (c == '!' && d == '=') || (c == '<' && d == '=') ||
                    (c == '<' && d == '>') || (c == '>' && d == '='))
                    op += d;
            }
            if (op == "!") throw WhereError(i + 1, "'!' must be '!=' (use NOT to negate)");
            t.type = Tok::op;
            t.text = op;
            i += op.size();
        } else {
            throw WhereError(i + 1, "unexpected character '" + std::string(1, c) + "'");
        }
        out.push_back(std::move(t));
    }
}

// ---- parser ------------------------------------------------------------------------------------

bool keyword(const Token& t, std::string_view kw) {
    if (t.type != Tok::ident || t.text.size() != kw.size()) return false;
    for (std::size_t i = 0; i < kw.size(); ++i)
        if (std::toupper(static_cast<unsigned char>(t.text[i])) != kw[i]) return false;
    return true;
}

bool is_reserved(const Token& t) {
    for (const char* kw : {"AND", "OR", "NOT", "IN", "LIKE", "ILIKE", "BETWEEN", "IS", "NULL"})
        if (keyword(t, kw)) return true;
    return false;
}

std::string_view type_name(FieldType t) {
    switch (t) {
    case FieldType::string: return "text";
    case FieldType::integer: return "integer";
    case FieldType::real: return "real";
    case FieldType::date: return "date";
    }
    return "";
}

bool is_date(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    const int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

class Parser {
public:
    Parser(std::string_view text, const std::vector<FieldDef>& fields,
           std::vector<std::string>& used)
        : toks_(tokenize(text)), fields_(fields), used_(used) {}

    NodeP parse() {
        if (peek().type == Tok::end) throw WhereError(1, "empty expression");
        NodeP n = parse_or();
        if (peek().type != Tok::end) {
            const Token& t = peek();
            throw WhereError(t.pos, "expected AND, OR or the end, found " + describe(t));
        }
        return n;
    }

private:
    const Token& peek() const { return toks_[i_]; }
    const Token& next() { return toks_[i_ < toks_.size() - 1 ? i_++ : i_]; }

    static std::string describe(const Token& t) {
        if (t.type == Tok::end) return "the end of the expression";
        if (t.type == Tok::text) return "'" + t.text + "'";
        return "'" + t.text + "'";
    }

    NodeP parse_or() {
        NodeP a = parse_and();
        while (keyword(peek(), "OR")) {
            next();
            auto n = std::make_shared<Node>();
            n->kind = NodeKind::or_;
            n->a = a;
            n->b = parse_and();
            a = n;
        }
        return a;
    }

    NodeP parse_and() {
        NodeP a = parse_not();
        while (keyword(peek(), "AND")) {
            next();
            auto n = std::make_shared<Node>();
            n->kind = NodeKind::and_;
            n->a = a;
            n->b = parse_not();
            a = n;
        }
        return a;
    }

    NodeP parse_not() {
        if (keyword(peek(), "NOT")) {
            next();
            auto n = std::make_shared<Node>();
            n->kind = NodeKind::not_;
            n->a = parse_not();
            return n;
        }
        if (peek().type == Tok::lparen) {
            const Token open = next();
            NodeP n = parse_or();
            if (peek().type != Tok::rparen)
                throw WhereError(peek().pos, "expected ')' to close the '(' at character " +
                                                 std::to_string(open.pos) + ", found " +
                                                 describe(peek()));
            next();
            return n;
        }
        return parse_test();
    }

    NodeP parse_test() {
        const Token ft = next();
        if (ft.type == Tok::end) throw WhereError(ft.pos, "expected a field name, found the end");
        if ((ft.type != Tok::ident && ft.type != Tok::qident) ||
            (ft.type == Tok::ident && is_reserved(ft)))
            throw WhereError(ft.pos, "expected a field name, found " + describe(ft));
        auto n = std::make_shared<Node>();
        n->field = find_field(ft);
        n->field_name = fields_[n->field].name;
        const FieldType type = fields_[n->field].type;

        if (keyword(peek(), "IS")) {
            next();
            n->kind = NodeKind::is_null;
            if (keyword(peek(), "NOT")) {
                next();
                n->negate = true;
            }
            if (!keyword(peek(), "NULL"))
                throw WhereError(peek().pos, "expected NULL after IS, found " + describe(peek()));
            next();
            return n;
        }
        if (keyword(peek(), "NOT")) {
            next();
            n->negate = true;
            if (!keyword(peek(), "IN") && !keyword(peek(), "LIKE") && !keyword(peek(), "ILIKE") &&
                !keyword(peek(), "BETWEEN"))
                throw WhereError(peek().pos, "expected IN, LIKE or BETWEEN after NOT, found " +
                                                 describe(peek()));
        }
        const Token& t = peek();
        if (keyword(t, "IN")) {
            next();
            n->kind = NodeKind::in;
            if (peek().type != Tok::lparen)
                throw WhereError(peek().pos, "expected '(' after IN, found " + describe(peek()));
            next();
            while (true) {
                n->lits.push_back(literal(n->field_name, type));
                if (peek().type == Tok::comma) {
                    next();
                    continue;
                }
                if (peek().type == Tok::rparen) {
                    next();
                    break;
                }
                throw WhereError(peek().pos, "expected ',' or ')' in the IN list, found " +
                                                 describe(peek()));
            }
            return n;
        }
        if (keyword(t, "LIKE") || keyword(t, "ILIKE")) {
            const Token kw = next();
            n->kind = NodeKind::like;
            if (type != FieldType::string && type != FieldType::date)
                throw WhereError(kw.pos, "LIKE needs a text field; '" + n->field_name + "' is " +
                                             std::string(type_name(type)));
            const Token p = next();
            if (p.type != Tok::text)
                throw WhereError(p.pos, "expected a 'quoted' pattern after LIKE, found " +
                                            describe(p));
            n->lits.emplace_back(p.text);
            return n;
        }
        if (keyword(t, "BETWEEN")) {
            next();
            n->kind = NodeKind::between;
            n->lits.push_back(literal(n->field_name, type));
            if (!keyword(peek(), "AND"))
                throw WhereError(peek().pos, "expected AND in BETWEEN, found " + describe(peek()));
            next();
            n->lits.push_back(literal(n->field_name, type));
            return n;
        }
        if (t.type != Tok::op)
            throw WhereError(t.pos, "expected an operator (= != <> < <= > >= IN LIKE BETWEEN IS) "
                                    "after '" + n->field_name + "', found " + describe(t));
        const Token op = next();
        n->kind = NodeKind::cmp;
        if (op.text == "=" || op.text == "==") n->op = Op::eq;
        else if (op.text == "!=" || op.text == "<>") n->op = Op::ne;
        else if (op.text == "<") n->op = Op::lt;
        else if (op.text == "<=") n->op = Op::le;
        else if (op.text == ">") n->op = Op::gt;
        else n->op = Op::ge;
        if (keyword(peek(), "NULL"))
            throw WhereError(peek().pos, "compare with NULL using IS NULL or IS NOT NULL");
        n->lits.push_back(literal(n->field_name, type));
        return n;
    }

    Literal literal(const std::string& field, FieldType type) {
        const Token t = next();
        if (t.type == Tok::number) {
            if (type == FieldType::string || type == FieldType::date)
                throw WhereError(t.pos, "field '" + field + "' is " +
                                            std::string(type_name(type)) +
                                            ": quote the value ('" + t.text + "')");
            return t.number;
        }
        if (t.type == Tok::text) {
            if (type == FieldType::integer || type == FieldType::real)
                throw WhereError(t.pos, "field '" + field + "' is " +
                                            std::string(type_name(type)) +
                                            ": give a number, not '" + t.text + "'");
            if (type == FieldType::date && !is_date(t.text))
                throw WhereError(t.pos, "field '" + field + "' is a date: give 'YYYY-MM-DD', not '" +
                                            t.text + "'");
            return t.text;
        }
        if (t.type == Tok::ident && !is_reserved(t))
            throw WhereError(t.pos, "expected a value, found the name '" + t.text +
                                        "' (quote text values: '" + t.text + "')");
        throw WhereError(t.pos, "expected a value, found " + describe(t));
    }

    std::size_t find_field(const Token& t) {
        for (std::size_t i = 0; i < fields_.size(); ++i) {
            if (fields_[i].name == t.text) return remember(i);
        }
        // Unquoted names are matched case-insensitively when unambiguous.
        if (t.type == Tok::ident) {
            std::size_t found = fields_.size(), hits = 0;
            for (std::size_t i = 0; i < fields_.size(); ++i) {
                const auto& a = fields_[i].name;
                if (a.size() != t.text.size()) continue;
                bool same = true;
                for (std::size_t k = 0; k < a.size() && same; ++k) same = fold(a[k]) == fold(t.text[k]);
                if (same) { found = i; ++hits; }
            }
            if (hits == 1) return remember(found);
        }
        throw WhereError(t.pos, "unknown field '" + t.text + "'; valid fields: " +
                                    list_fields(fields_));
    }

    std::size_t remember(std::size_t i) {
        const auto& name = fields_[i].name;
        bool seen = false;
        for (const auto& u : used_) seen = seen || u == name;
        if (!seen) used_.push_back(name);
        return i;
    }

    std::vector<Token> toks_;
    std::size_t i_ = 0;
    const std::vector<FieldDef>& fields_;
    std::vector<std::string>& used_;
};

} // namespace

WhereExpr WhereExpr::parse(std::string_view text, const std::vector<FieldDef>& fields) {
    WhereExpr e;
    Parser p(text, fields, e.used_);
    e.root_ = p.parse();
    return e;
}

bool WhereExpr::matches(const Feature& f) const {
    return !root_ || eval(*root_, f) == Tri::t;
}

std::string WhereExpr::to_string() const { return root_ ? show(*root_) : ""; }

} // namespace sitmap
