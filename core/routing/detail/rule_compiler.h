// Turning the JSON of config/routes.json into compiled rules, with every
// problem reported as "<file>: <JSON Pointer>: <what is wrong>".
//
// Private to core/routing; include from .cpp files only (it brings nlohmann).
#ifndef LENDGATE_ROUTING_DETAIL_RULE_COMPILER_H
#define LENDGATE_ROUTING_DETAIL_RULE_COMPILER_H

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/common/result.h"
#include "core/model/envelope.h"
#include "core/routing/detail/field_catalogue.h"
#include "core/routing/detail/rules.h"

namespace lendgate::routing::detail {

/// Collects the problems of one rules file. Each names a JSON Pointer into
/// the file; they are reported in document order, whatever order the checks
/// found them in.
class Diagnostics {
public:
    explicit Diagnostics(std::string_view origin) : origin_(origin) {}

    void add(std::string pointer, std::string message);
    bool empty() const noexcept { return problems_.empty(); }
    std::size_t size() const noexcept { return problems_.size(); }
    /// One line per problem, "origin: pointer: message", capped at a few hundred lines.
    Error toError() const;

private:
    struct Problem {
        std::string pointer;
        std::string message;
    };
    std::string origin_;
    std::vector<Problem> problems_;
};

/// Config text quoted in a message (a key, an operator, an id): escaped,
/// capped, and masked like any other untrusted text.
std::string inQuotes(std::string_view text);

/// "/rules/3" + "match" → "/rules/3/match".
std::string child(const std::string &pointer, std::string_view token);
std::string child(const std::string &pointer, std::size_t index);

/// Compiles the predicates of one rule ("match.payload"). Problems go to the
/// Diagnostics; a predicate with a problem is still returned (with what could
/// be compiled) so that checking goes on and every problem is reported.
class PredicateCompiler {
public:
    PredicateCompiler(const FieldCatalogue &catalogue, FieldSet &fields, Diagnostics &diagnostics)
        : catalogue_(catalogue), fields_(fields), diagnostics_(diagnostics) {}

    /// `types` are the rule's message types; pointers are checked against them.
    Predicate compile(const nlohmann::json &predicate, const std::string &at,
                      const std::vector<model::MessageType> &types);

private:
    Predicate compileTest(const nlohmann::json &predicate, const std::string &at,
                          const std::vector<model::MessageType> &types);
    std::optional<FieldInfo> checkPointer(const nlohmann::json &pointer, const std::string &at,
                                          const std::vector<model::MessageType> &types, std::size_t &slot);
    void compileOperands(Op op, const nlohmann::json &value, const std::string &at,
                         const std::optional<FieldInfo> &field, const std::string &pointerText, Predicate &out);
    std::optional<Operand> scalarOperand(Op op, const nlohmann::json &value, const std::string &at,
                                         const std::optional<FieldInfo> &field, const std::string &pointerText);

    const FieldCatalogue &catalogue_;
    FieldSet &fields_;
    Diagnostics &diagnostics_;
};

}  // namespace lendgate::routing::detail

#endif  // LENDGATE_ROUTING_DETAIL_RULE_COMPILER_H
