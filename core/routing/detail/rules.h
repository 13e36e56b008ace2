// Compiled routing rules: what config/routes.json becomes once loaded.
//
// Everything a rule needs at evaluation time is resolved here, at load time:
// operators are an enum, operands are parsed into exact decimals and dates,
// pointers are slots of one FieldSet, and rules are bucketed by message type,
// so route() does no parsing of the rules and no string-keyed lookups.
//
// Private to core/routing.
#ifndef LENDGATE_ROUTING_DETAIL_RULES_H
#define LENDGATE_ROUTING_DETAIL_RULES_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/model/calendar.h"
#include "core/model/decimal.h"
#include "core/routing/detail/record_fields.h"
#include "core/routing/route_table.h"

namespace lendgate::routing::detail {

enum class Op : std::uint8_t {
    Equals,
    NotEquals,
    In,
    Prefix,
    Exists,
    Lt,
    Le,
    Gt,
    Ge,
    Before,
    After,
    OnOrBefore,
    OnOrAfter,
};

/// The operator with that wire name ("equals", "on_or_after", ...), if any.
std::optional<Op> opFromName(std::string_view name) noexcept;
std::string_view opName(Op op) noexcept;

/// A scalar a rule compares a field with. The operand's own JSON type says how:
/// a string compares as text, a number numerically (with a number or an
/// amount string in the record), a boolean as a boolean.
struct Operand {
    enum class Kind : std::uint8_t { String, Number, Boolean };

    Kind kind = Kind::String;
    std::string text;
    model::Decimal number;
    bool boolean = false;
};

/// A full-date compares by calendar day, a date-time as an instant.
using DateOperand = std::variant<model::Date, model::Timestamp>;

struct Predicate {
    enum class Kind : std::uint8_t { Test, All, Any, Not };

    Kind kind = Kind::Test;
    // Kind::Test
    Op op = Op::Equals;
    std::size_t slot = 0;           ///< the tested field's slot in the table's FieldSet
    std::vector<Operand> operands;  ///< equals/not_equals: one; in: several; prefix: strings; lt..ge: one number
    bool mustExist = true;          ///< exists
    DateOperand date;               ///< before/after/on_or_before/on_or_after
    // Kind::All / Any / Not (Not has exactly one child)
    std::vector<Predicate> children;
};

/// Whether the predicate holds for the fields read from one record.
bool holds(const Predicate &predicate, const std::vector<FieldValue> &fields);

/// Sets the flag of every slot the predicate (and its children) tests.
void markSlots(const Predicate &predicate, std::vector<bool> &slots);

struct Destination {
    enum class Target : std::uint8_t { Partner, CaseLender, CaseAssignees };

    Target target = Target::Partner;
    std::string partner;  ///< for Target::Partner
    std::string format;   ///< empty: the partner's default
};

struct Rule {
    std::string id;
    std::vector<std::string> senders;   ///< empty: any sender
    std::uint32_t senderRoles = 0;      ///< senderBit() of each listed role; 0: any role
    std::vector<Predicate> predicates;  ///< all must hold
    std::vector<Destination> destinations;
};

/// A bit per partner role, and one for the gateway (no role).
constexpr std::uint32_t senderBit(std::optional<model::PartnerRole> role) noexcept {
    constexpr unsigned kGatewayBit = 8;
    return std::uint32_t{1} << (role ? static_cast<unsigned>(*role) : kGatewayBit);
}

/// One bucket per model::MessageType, in enum order.
inline constexpr std::size_t kMessageTypeCount = static_cast<std::size_t>(model::MessageType::Ack) + 1;

}  // namespace lendgate::routing::detail

namespace lendgate::routing {

struct RouteTable::Impl {
    std::string origin;
    std::vector<detail::Rule> rules;                                              ///< in file order
    std::array<std::vector<std::size_t>, detail::kMessageTypeCount> rulesByType;  ///< indexes into rules
    detail::FieldSet fields;
    /// Per message type, a flag per slot of `fields`: tested by a rule of that type.
    std::array<std::vector<bool>, detail::kMessageTypeCount> slotsByType;
};

}  // namespace lendgate::routing

#endif  // LENDGATE_ROUTING_DETAIL_RULES_H
