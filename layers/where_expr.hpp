#pragma once
// Attribute filters for `sitmap query --where`: a small expression language parsed to an AST,
// checked against a layer's fields, and evaluated on features. Never spliced into SQL.
//
//   expr     := or
//   or       := and ( OR and )*
//   and      := not ( AND not )*
//   not      := NOT not | '(' expr ')' | test
//   test     := field op literal
//             | field [NOT] IN '(' literal ( ',' literal )* ')'
//             | field [NOT] LIKE 'pattern'        (% any run, _ one character; ASCII case folded)
//             | field [NOT] BETWEEN literal AND literal
//             | field IS [NOT] NULL
//   op       := = | == | != | <> | < | <= | > | >=
//   field    := identifier ([A-Za-z_][A-Za-z0-9_]*) or "double quoted"
//   literal  := number | 'single quoted text' ('' for a quote) | NULL is not a literal
//
// Keywords are case-insensitive. Text fields take text literals, integer and real fields take
// numbers, date fields take 'YYYY-MM-DD' text. Comparisons with an empty (NULL) value are
// unknown, as in SQL: `NOT (x = 1)` does not match a feature whose x is NULL.
#include "layers/feature.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sitmap {

// A malformed or ill-typed expression: names the 1-based character position.
class WhereError : public std::runtime_error {
public:
    WhereError(std::size_t position, const std::string& what);
    std::size_t position() const { return position_; }

private:
    std::size_t position_;
};

class WhereExpr {
public:
    struct Node;

    // Parses `text` against `fields`. Throws WhereError: "at character N: ..." (an unknown field
    // lists the valid ones).
    static WhereExpr parse(std::string_view text, const std::vector<FieldDef>& fields);

    // True when the expression holds for the feature (unknown counts as false).
    bool matches(const Feature& f) const;

    // The expression in a normalised form (for messages and tests).
    std::string to_string() const;

    // Names of the fields the expression reads, in first-use order.
    const std::vector<std::string>& fields_used() const { return used_; }

private:
    std::shared_ptr<const Node> root_;
    std::vector<std::string> used_;
};

// "a, b, c": the field names, for error messages.
std::string list_fields(const std::vector<FieldDef>& fields);

// SQL LIKE with % and _, ASCII case-insensitive.
bool like_match(std::string_view text, std::string_view pattern);

} // namespace sitmap
