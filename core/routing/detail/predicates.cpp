// Evaluation of compiled predicates on the fields read from one record.
//
// Every comparison is exact: amounts and numbers through model::Decimal (never
// a double), dates through model::Date and model::Timestamp. A field that is
// absent, or whose value cannot be read the way the operator needs (text
// where a number is expected), makes the test false; `not` and `exists` are
// the way to say "absent or different".
#include <array>
#include <compare>
#include <utility>

#include "core/routing/detail/rules.h"

namespace lendgate::routing::detail {

namespace {

using model::Decimal;

constexpr std::array<std::pair<Op, std::string_view>, 13> kOpNames{{
    {Op::Equals, "equals"},
    {Op::NotEquals, "not_equals"},
    {Op::In, "in"},
    {Op::Prefix, "prefix"},
    {Op::Exists, "exists"},
    {Op::Lt, "lt"},
    {Op::Le, "le"},
    {Op::Gt, "gt"},
    {Op::Ge, "ge"},
    {Op::Before, "before"},
    {Op::After, "after"},
    {Op::OnOrBefore, "on_or_before"},
    {Op::OnOrAfter, "on_or_after"},
}};

// A number as written in the record, or an amount string ("612.40").
std::optional<Decimal> numberOf(const FieldValue &field) {
    if (field.kind != FieldValue::Kind::Number && field.kind != FieldValue::Kind::String) return std::nullopt;
    return Decimal::parse(field.text);
}

std::optional<DateOperand> dateOf(const FieldValue &field) {
    if (field.kind != FieldValue::Kind::String) return std::nullopt;
    if (std::optional<model::Date> date = model::Date::parse(field.text)) return DateOperand{*date};
    if (std::optional<model::Timestamp> instant = model::Timestamp::parse(field.text)) return DateOperand{*instant};
    return std::nullopt;
}

model::Date dayOf(const DateOperand &value) {
    if (const auto *instant = std::get_if<model::Timestamp>(&value)) return instant->localDate();
    return std::get<model::Date>(value);
}

// Two instants compare as instants. When either side is a full-date, both
// compare as calendar days, a date-time counting as the day it names at its
// own offset: "2026-12-01T00:30:00-07:00" is on 2026-12-01, whatever UTC says.
std::strong_ordering compareDates(const DateOperand &field, const DateOperand &operand) {
    const auto *fieldInstant = std::get_if<model::Timestamp>(&field);
    const auto *operandInstant = std::get_if<model::Timestamp>(&operand);
    if (fieldInstant != nullptr && operandInstant != nullptr) return *fieldInstant <=> *operandInstant;
    return dayOf(field) <=> dayOf(operand);
}

bool equalsOperand(const FieldValue &field, const Operand &operand) {
    switch (operand.kind) {
        case Operand::Kind::String: return field.kind == FieldValue::Kind::String && field.text == operand.text;
        case Operand::Kind::Boolean: return field.kind == FieldValue::Kind::Boolean && field.boolean == operand.boolean;
        case Operand::Kind::Number: {
            const std::optional<Decimal> number = numberOf(field);
            return number.has_value() && *number == operand.number;
        }
    }
    return false;
}

bool orderHolds(Op op, std::strong_ordering order) {
    switch (op) {
        case Op::Lt:
        case Op::Before: return std::is_lt(order);
        case Op::Le:
        case Op::OnOrBefore: return std::is_lteq(order);
        case Op::Gt:
        case Op::After: return std::is_gt(order);
        case Op::Ge:
        case Op::OnOrAfter: return std::is_gteq(order);
        default: return false;
    }
}

bool testHolds(const Predicate &predicate, const FieldValue &field) {
    switch (predicate.op) {
        case Op::Exists: return field.present() == predicate.mustExist;
        case Op::Equals: return equalsOperand(field, predicate.operands.front());
        case Op::NotEquals: return field.present() && !equalsOperand(field, predicate.operands.front());
        case Op::In:
            for (const Operand &operand : predicate.operands) {
                if (equalsOperand(field, operand)) return true;
            }
            return false;
        case Op::Prefix:
            if (field.kind != FieldValue::Kind::String) return false;
            for (const Operand &operand : predicate.operands) {
                if (field.text.starts_with(operand.text)) return true;
            }
            return false;
        case Op::Lt:
        case Op::Le:
        case Op::Gt:
        case Op::Ge: {
            const std::optional<Decimal> number = numberOf(field);
            return number.has_value() && orderHolds(predicate.op, *number <=> predicate.operands.front().number);
        }
        case Op::Before:
        case Op::After:
        case Op::OnOrBefore:
        case Op::OnOrAfter: {
            const std::optional<DateOperand> date = dateOf(field);
            return date.has_value() && orderHolds(predicate.op, compareDates(*date, predicate.date));
        }
    }
    return false;
}

}  // namespace

std::optional<Op> opFromName(std::string_view name) noexcept {
    for (const auto &[op, opText] : kOpNames) {
        if (opText == name) return op;
    }
    return std::nullopt;
}

std::string_view opName(Op op) noexcept {
    for (const auto &[value, name] : kOpNames) {
        if (value == op) return name;
    }
    return {};
}

bool holds(const Predicate &predicate, const std::vector<FieldValue> &fields) {
    switch (predicate.kind) {
        case Predicate::Kind::Test: return testHolds(predicate, fields[predicate.slot]);
        case Predicate::Kind::All:
            for (const Predicate &child : predicate.children) {
                if (!holds(child, fields)) return false;
            }
            return true;
        case Predicate::Kind::Any:
            for (const Predicate &child : predicate.children) {
                if (holds(child, fields)) return true;
            }
            return false;
        case Predicate::Kind::Not: return !holds(predicate.children.front(), fields);
    }
    return false;
}

void markSlots(const Predicate &predicate, std::vector<bool> &slots) {
    if (predicate.kind == Predicate::Kind::Test) {
        slots[predicate.slot] = true;
        return;
    }
    for (const Predicate &child : predicate.children) markSlots(child, slots);
}

}  // namespace lendgate::routing::detail
